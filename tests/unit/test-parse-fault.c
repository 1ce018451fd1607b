// SPDX-License-Identifier: MIT
/* src/parse-fault.c, src/parse-fault-asm.c, src/fault-reasons.c: IOMMU fault lines. */
#include <stdlib.h>

#include "fault.h"
#include "test.h"

static struct ii_fline fl;

static enum ii_fline_kind parse(const char *line)
{
	ii_fault_parse_line(line, strlen(line), &fl);
	return fl.kind;
}

static const char *bdf(const struct ii_fault *f)
{
	static char buf[II_BDF_MAX];

	if (!f->has_bdf)
		return "(none)";
	ii_format_bdf(&f->bdf, buf);
	return buf;
}

TEST(fault_intel_6_1)
{
	/* fixtures/intel-faults/dev/kmsg, record 603 */
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 "
			"[fault reason 0x06] PTE Read access is not set"), II_FL_FAULT);
	CHECK_INT(fl.f.vendor, II_VENDOR_INTEL);
	CHECK_INT(fl.f.kind, II_FK_DMA);
	CHECK_STR(bdf(&fl.f), "0000:00:05.0");
	CHECK(!fl.f.seg_known);
	CHECK_INT(fl.f.access, II_ACC_READ);
	CHECK(!fl.f.has_pasid);
	CHECK(fl.f.has_addr);
	CHECK_U64(fl.f.addr, 0x1000);
	CHECK(fl.f.has_reason);
	CHECK_INT(fl.f.reason_code, 6);
	CHECK_STR(fl.f.reason, "PTE Read access is not set");
	CHECK(fl.f.complete);
	CHECK_INT(fl.f.priv, -1);

	CHECK_INT(parse("DMAR: [DMA Write PASID 0x2] Request device [00:02.0] fault addr 0xdeadb000 "
			"[fault reason 0x71] SM: Present bit in first-level paging entry is clear"),
		  II_FL_FAULT);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	CHECK(fl.f.has_pasid);
	CHECK_INT(fl.f.pasid, 2);
	CHECK_INT(fl.f.reason_code, 0x71);

	CHECK_INT(parse("DMAR: [INTR-REMAP] Request device [f0:1f.0] fault index 0x8 [fault reason "
			"0x22] Present field in the IRTE entry is clear"), II_FL_FAULT);
	CHECK_INT(fl.f.kind, II_FK_INTR);
	CHECK_INT(fl.f.access, II_ACC_INTR);
	CHECK(fl.f.has_index && !fl.f.has_addr);
	CHECK_U64(fl.f.index, 8);
	CHECK_STR(bdf(&fl.f), "0000:f0:1f.0");
	CHECK_INT(fl.f.reason_code, 0x22);
}

TEST(fault_intel_7_segment)
{
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [0001:3a:00.0] fault addr 0x2000 "
			"[fault reason 0x06] PTE Read access is not set"), II_FL_FAULT);
	CHECK_STR(bdf(&fl.f), "0001:3a:00.0");
	CHECK(fl.f.seg_known);
	/* a modern line that lost its end is truncated, not the first of two lines */
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [0000:00:05.0] fault addr 0x2000"),
		  II_FL_UNPARSED);
}

TEST(fault_intel_5_4)
{
	/* no 0x, decimal reason, PASID ffffffff for none */
	CHECK_INT(parse("DMAR: [DMA Read] Request device [03:00.0] PASID ffffffff fault addr ffa3f000 "
			"[fault reason 06] PTE Read access is not set"), II_FL_FAULT);
	CHECK(!fl.f.has_pasid);
	CHECK_U64(fl.f.addr, 0xffa3f000);
	CHECK_INT(fl.f.reason_code, 6);
	CHECK_INT(parse("DMAR: [DMA Write] Request device [03:00.0] PASID 2 fault addr ffa40000 "
			"[fault reason 133] SM: No write permission for Write/AtomicOp request"),
		  II_FL_FAULT);
	CHECK(fl.f.has_pasid);
	CHECK_INT(fl.f.pasid, 2);
	CHECK_INT(fl.f.reason_code, 0x85);
	CHECK_INT(parse("DMAR: [INTR-REMAP] Request device [00:1f.0] fault index 8 [fault reason 34] "
			"Present field in the IRTE entry is clear"), II_FL_FAULT);
	CHECK_INT(fl.f.reason_code, 0x22);
	CHECK_U64(fl.f.index, 8);
	/* 4.x: no PASID at all */
	CHECK_INT(parse("DMAR: [DMA Read] Request device [00:02.0] fault addr 7fe00000 [fault reason "
			"06] PTE Read access is not set"), II_FL_FAULT);
	CHECK_U64(fl.f.addr, 0x7fe00000);
}

TEST(fault_intel_old_two_lines)
{
	CHECK_INT(parse("DMAR:[DMA Read] Request device [00:02.0] fault addr 7fe00000 "),
		  II_FL_INTEL_HALF);
	CHECK(!fl.f.complete);
	CHECK_U64(fl.f.addr, 0x7fe00000);
	CHECK_INT(parse("dmar: DMAR:[DMA Write] Request device [00:1f.2] fault addr 3fae7000 "),
		  II_FL_INTEL_HALF);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	CHECK_INT(parse("DMAR:[fault reason 06] PTE Read access is not set"), II_FL_INTEL_REASON);
	CHECK_INT(fl.f.reason_code, 6);
	CHECK_INT(parse("dmar: INTR-REMAP: Request device [[f0:1f.0] fault index 0"),
		  II_FL_INTEL_HALF);
	CHECK_INT(fl.f.kind, II_FK_INTR);
	CHECK_STR(bdf(&fl.f), "0000:f0:1f.0");
	CHECK_INT(parse("INTR-REMAP:[fault reason 34] Present field in the IRTE entry is clear"),
		  II_FL_INTEL_REASON);
	CHECK_INT(fl.f.reason_code, 0x22);
}

TEST(fault_intel_status_and_noise)
{
	CHECK_INT(parse("DMAR: DRHD: handling fault status reg 2"), II_FL_STATUS);
	CHECK_U64(fl.value, 2);
	CHECK_INT(parse("dmar: DRHD: handling fault status reg 102"), II_FL_STATUS);
	CHECK_U64(fl.value, 0x102);
	CHECK_INT(parse("DRHD: handling fault status reg 3"), II_FL_STATUS);
	CHECK_INT(parse("DMAR: Host address width 39"), II_FL_NONE);
	CHECK_INT(parse("DMAR: [Firmware Bug]: No firmware reserved region can cover this RMRR"),
		  II_FL_NONE);
	CHECK_INT(parse("DMAR: Dump dmar0 table entries for IOVA 0xdeadb000"), II_FL_NONE);
	CHECK_INT(parse("DMAR: pte level: 3, pte value: 0x000000010b0d4003"), II_FL_NONE);
	CHECK_INT(parse("DMAR-IR: Enabled IRQ remapping in xapic mode"), II_FL_NONE);
	CHECK_INT(parse("pci 0000:00:02.0: Adding to iommu group 1"), II_FL_NONE);
	CHECK_INT(parse(""), II_FL_NONE);
}

TEST(fault_intel_unparsed)
{
	const char *bad[] = {
		"DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 [fault reas",
		"DMAR: [DMA Read NO_PASID] Request device [zz:05.0] fault addr 0x1000 [fault reason 0x06] x",
		"DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 [fault reason 0x100] x",
		("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x11112222333344445 "
		 "[fault reason 0x06] x"),
		"DMAR: [DMA Sideways NO_PASID] Request device [00:05.0] fault addr 0x1 [fault reason 0x06]",
		"DMAR: [DMA Read NO_PASID] Request device [00:05.0]",
		"DMAR: something new: Request device [00:05.0] did a thing",
		"DMAR: [DMA Read NO_PASID] Request device [00:20.0] fault addr 0x1 [fault reason 0x06] x",
		"some prefix Request device [00:05.0] fault addr 0x1000",
	};

	for (size_t i = 0; i < II_ARRAY_SIZE(bad); i++) {
		if (parse(bad[i]) != II_FL_UNPARSED)
			t_fail(__FILE__, __LINE__, "not unparsed: %s (kind %d)", bad[i], fl.kind);
	}
	CHECK_INT(fl.f.vendor, II_VENDOR_INTEL);
}

TEST(fault_intel_reasons)
{
	CHECK_STR(ii_intel_reason(0x00), "Software");
	CHECK_STR(ii_intel_reason(0x0d), "PCE for translation request specifies blocking");
	CHECK_STR(ii_intel_reason(0x20), "Detected reserved fields in the decoded interrupt-remapped request");
	CHECK_STR(ii_intel_reason(0x26), "Blocked an interrupt request due to source-id verification failure");
	CHECK_STR(ii_intel_reason(0x30), "SM: Invalid Root Table Address");
	CHECK_STR(ii_intel_reason(0x90), "SM: A/D bit update needed in first-level entry when set up in no snoop");
	CHECK(ii_intel_reason(0x0e) == NULL);
	CHECK(ii_intel_reason(0x27) == NULL);
	CHECK(ii_intel_reason(0x33) == NULL);
	CHECK(ii_intel_reason(0x91) == NULL);
	CHECK(ii_intel_reason(0xffff) == NULL);
	/* an unknown code keeps the kernel's text */
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1 "
			"[fault reason 0x33] Unknown"), II_FL_FAULT);
	CHECK_STR(fl.f.reason, "Unknown");
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1 "
			"[fault reason 0x99] Something new  "), II_FL_FAULT);
	CHECK_STR(fl.f.reason, "Something new");
}

TEST(fault_amd_paths)
{
	/* path 1: on the faulting device */
	CHECK_INT(parse("vfio-pci 0000:41:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0027 "
			"address=0xff7f0000 flags=0x0020]"), II_FL_FAULT);
	CHECK_INT(fl.f.vendor, II_VENDOR_AMD);
	CHECK_STR(bdf(&fl.f), "0000:41:00.0");
	CHECK(fl.f.seg_known);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	CHECK(fl.f.has_domain);
	CHECK_INT(fl.f.domain, 0x27);
	CHECK_U64(fl.f.addr, 0xff7f0000);
	CHECK_INT(fl.f.reason_code, 2);
	CHECK_STR(fl.f.event, "IO_PAGE_FAULT");
	CHECK(fl.f.has_flags);
	CHECK_INT(fl.f.flags, 0x20);
	CHECK_STR(fl.f.reason, "IO_PAGE_FAULT: no translation: the page is not mapped");
	CHECK_STR(fl.f.unit, "");
	/* path 2: pr_err with device=, with and without segment */
	CHECK_INT(parse("AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:05:00.0 domain=0x0000 "
			"address=0x1000 flags=0x0070]"), II_FL_FAULT);
	CHECK_STR(bdf(&fl.f), "0000:05:00.0");
	CHECK_STR(fl.f.reason, "IO_PAGE_FAULT: the page table entry does not allow this access");
	CHECK_INT(parse("AMD-Vi: Event logged [IO_PAGE_FAULT device=00:14.0 domain=0x0000 "
			"address=0x000000fdf8000000 flags=0x0010]"), II_FL_FAULT);
	CHECK(!fl.f.seg_known);
	CHECK_U64(fl.f.addr, 0xfdf8000000ull);
	CHECK_INT(fl.f.access, II_ACC_READ);
	/* path 3: on the IOMMU, which becomes the unit */
	CHECK_INT(parse("iommu ivhd0: AMD-Vi: Event logged [ILLEGAL_DEV_TABLE_ENTRY "
			"device=0000:05:00.0 pasid=0x00000 address=0xfffffff0 flags=0x0a00]"),
		  II_FL_FAULT);
	CHECK_STR(fl.f.unit, "ivhd0");
	CHECK_INT(fl.f.reason_code, 1);
	CHECK_INT(fl.f.kind, II_FK_EVENT);
	CHECK(!fl.f.has_pasid);
	CHECK_INT(parse("iommu ivhd0: AMD-Vi: Event logged [ILLEGAL_COMMAND_ERROR address=0x3000]"),
		  II_FL_FAULT);
	CHECK(!fl.f.has_bdf);
	CHECK_U64(fl.f.addr, 0x3000);
}

TEST(fault_amd_flags)
{
	CHECK_INT(parse("e1000e 0000:03:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0003 "
			"address=0xfee00000 flags=0x0028]"), II_FL_FAULT);
	CHECK_INT(fl.f.access, II_ACC_INTR);
	CHECK_INT(fl.f.kind, II_FK_INTR);
	/* GN: the domain field is the PASID; US: user mode; NX: execute */
	CHECK_INT(parse("amdgpu 0000:04:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0005 "
			"address=0x7f0000001000 flags=0x0007]"), II_FL_FAULT);
	CHECK(fl.f.has_pasid && !fl.f.has_domain);
	CHECK_INT(fl.f.pasid, 5);
	CHECK_INT(fl.f.priv, 0);
	CHECK_INT(fl.f.access, II_ACC_EXEC);
	CHECK_INT(parse("AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:00:01.0 domain=0x0005 "
			"address=0x2000 flags=0x0090]"), II_FL_FAULT);
	CHECK_STR(fl.f.reason, "IO_PAGE_FAULT: reserved bit or bad level in an I/O page table entry");
	{
		char buf[64];

		ii_amd_flag_names(0x0171, " ", buf, sizeof(buf));
		CHECK_STR(buf, "GN PR RW PE TR");
		ii_amd_flag_names(0x0a00, ",", buf, sizeof(buf));
		CHECK_STR(buf, "TYPE=5");
		ii_amd_flag_names(0xfff, " ", buf, 8);
		CHECK(strlen(buf) < 8);
	}
}

TEST(fault_amd_other_forms)
{
	/* RMP events: commas */
	CHECK_INT(parse("AMD-Vi: Event logged [RMP_PAGE_FAULT device=0000:05:00.0, vmg_tag=0x0002, "
			"gpa=0x23456000, flags_rmp=0x0000, flags=0x0020]"), II_FL_FAULT);
	CHECK_INT(fl.f.reason_code, 0xd);
	CHECK_U64(fl.f.addr, 0x23456000);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	/* UNKNOWN: no closing bracket; decoded from the raw event */
	CHECK_INT(parse("iommu ivhd0: AMD-Vi: Event logged [UNKNOWN event[0]=0x00020300 "
			"event[1]=0xa0250001 event[2]=0x00008000 event[3]=0x00000001"), II_FL_FAULT);
	CHECK_INT(fl.f.reason_code, 0xa);
	CHECK_STR(bdf(&fl.f), "0000:03:00.0");
	CHECK_U64(fl.f.addr, 0x100008000ull);
	CHECK_INT(fl.f.flags, 0x025);
	CHECK_INT(fl.f.domain, 0x20001);
	CHECK(fl.f.event == NULL);
	/* 4.x split records, not attached pairs */
	CHECK_INT(parse("AMD-Vi: Event logged ["), II_FL_AMD_OPEN);
	CHECK_INT(parse("IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x000000fdf9103300 "
			"flags=0x0030]"), II_FL_FAULT);
	CHECK_INT(parse("AMD-Vi: Event logged [Device not attached to domain properly]"),
		  II_FL_AMD_NOTATTACHED);
	CHECK_INT(parse("AMD-Vi:   device=0000:06:00.0 domain=0x0000"), II_FL_AMD_DEVLINE);
	CHECK_STR(bdf(&fl.f), "0000:06:00.0");
	/* not faults */
	CHECK_INT(parse("pci 0000:00:00.2: AMD-Vi: Found IOMMU cap 0x40"), II_FL_NONE);
	CHECK_INT(parse("AMD-Vi: Interrupt remapping enabled"), II_FL_NONE);
	CHECK_INT(parse("ACPI: bus type PCI registered"), II_FL_NONE);
	/* malformed */
	CHECK_INT(parse("AMD-Vi: Event logged [BOGUS_EVENT x=1]"), II_FL_UNPARSED);
	CHECK_INT(parse("AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:00:02.0 address=0xzz]"),
		  II_FL_UNPARSED);
	CHECK_INT(parse("AMD-Vi: Event logged [UNKNOWN event[0]=0x1]"), II_FL_UNPARSED);
	CHECK_INT(parse("AMD-Vi: Event logged [IO_PAGE_FAULT flags=0x0] trailing"), II_FL_UNPARSED);
	CHECK_INT(parse("weird prefix: Event logged [IO_PAGE_FAULT something]"), II_FL_UNPARSED);
}

TEST(fault_smmu_lines)
{
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:"), II_FL_SMMU_HEAD);
	CHECK_U64(fl.value, 0x10);
	CHECK_STR(fl.f.unit, "arm-smmu-v3.0.auto");
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000010000000010"), II_FL_SMMU_DWORD);
	CHECK_U64(fl.value, 0x0000010000000010ull);
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: \t0x00000100000000"), II_FL_NONE);
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: event 0xzz received:"), II_FL_UNPARSED);
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: event: F_TRANSLATION client: 0000:01:00.0 "
			"sid: 0x100 ssid: 0x0 iova: 0xfffff000 ipa: 0x0"), II_FL_SMMU_DECODED);
	CHECK_STR(bdf(&fl.f), "0000:01:00.0");
	CHECK_INT(fl.f.sid, 0x100);
	CHECK_U64(fl.f.addr, 0xfffff000);
	CHECK_INT(fl.f.reason_code, 0x10);
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: event: C_BAD_STREAMID client: (unassigned "
			"sid) sid: 0x4444 ssid: 0x0"), II_FL_SMMU_DECODED);
	CHECK(!fl.f.has_bdf && !fl.f.client[0]);
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: event: F_CD_FETCH client: 0000:01:00.2 "
			"sid: 0x102 ssid: 0x0 fetch_addr: 0x90002000"), II_FL_SMMU_DECODED);
	CHECK_U64(fl.f.addr, 0x90002000);
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: unpriv data write s1 \"Input address "
			"caused fault\" stag: 0x0"), II_FL_SMMU_ACCESS);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	CHECK_INT(fl.f.priv, 0);
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: priv inst read s2 \"Reserved\" ttd_read "
			"stall stag: 0x1"), II_FL_SMMU_ACCESS);
	CHECK_INT(fl.f.access, II_ACC_EXEC);
	CHECK_INT(fl.f.priv, 1);
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: EVTQ overflow detected -- events lost"),
		  II_FL_OVERFLOW);
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: ias 48-bit, oas 48-bit"), II_FL_NONE);
	/* not an SMMU driver: its "event 0x" is not ours */
	CHECK_INT(parse("snd_hda_intel 0000:00:1b.0: event 0x10 received:"), II_FL_NONE);
}

TEST(fault_smmu_v2)
{
	CHECK_INT(parse("arm-smmu 2b400000.smmu: Unhandled context fault: fsr=0x402, "
			"iova=0x12345000, fsynr=0x11, cbfrsynra=0x2000, cb=3"), II_FL_FAULT);
	CHECK_INT(fl.f.vendor, II_VENDOR_ARM_SMMU);
	CHECK_STR(fl.f.unit, "2b400000.smmu");
	CHECK_U64(fl.f.addr, 0x12345000);
	CHECK_INT(fl.f.reason_code, 0x402);
	CHECK_STR(fl.f.reason, "translation fault");
	CHECK(fl.f.has_sid);
	CHECK_INT(fl.f.sid, 0x2000);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	CHECK_INT(fl.f.priv, 0);
	CHECK_INT(parse("arm-smmu d0000000.iommu: Unhandled context fault: fsr=0x80000008, "
			"iova=0x5a000000, fsynr=0x60, cb=0"), II_FL_FAULT);
	CHECK(!fl.f.has_sid);
	CHECK_STR(fl.f.reason, "permission fault, multiple faults");
	CHECK_INT(fl.f.access, II_ACC_EXEC);
	CHECK_INT(fl.f.priv, 1);
	CHECK_INT(parse("arm-smmu 2b400000.smmu: Unhandled context fault: fsr=garbage"),
		  II_FL_UNPARSED);
	CHECK_INT(parse("arm-smmu 2b400000.smmu: FSR    = 00000402 [Format=2 TF], SID=0x2000"),
		  II_FL_NONE);
}

TEST(fault_suppressed)
{
	CHECK_INT(parse("dmar_fault: 8 callbacks suppressed"), II_FL_SUPPRESSED);
	CHECK_INT(fl.f.vendor, II_VENDOR_INTEL);
	CHECK_U64(fl.value, 8);
	CHECK_STR(fl.function, "dmar_fault");
	CHECK_INT(parse("amd_iommu_report_page_fault: 12 callbacks suppressed"), II_FL_SUPPRESSED);
	CHECK_INT(fl.f.vendor, II_VENDOR_AMD);
	CHECK_INT(parse("arm_smmu_evtq_thread: 17 callbacks suppressed"), II_FL_SUPPRESSED);
	CHECK_INT(fl.f.vendor, II_VENDOR_ARM_SMMU_V3);
	CHECK_INT(parse("arm_smmu_context_fault: 4 callbacks suppressed"), II_FL_SUPPRESSED);
	CHECK_INT(fl.f.vendor, II_VENDOR_ARM_SMMU);
	CHECK_INT(parse("net_ratelimit: 5 callbacks suppressed"), II_FL_NONE);
	CHECK_INT(parse("dmar_fault: many callbacks suppressed"), II_FL_NONE);
}

TEST(fault_parse_any_bytes)
{
	/* not NUL-terminated, cut anywhere: never reads past len */
	const char *line = "DMAR: [DMA Read PASID 0x2] Request device [0000:00:02.0] fault addr "
			   "0x1000 [fault reason 0x71] SM: Present bit";
	size_t n = strlen(line);

	for (size_t i = 0; i <= n; i++) {
		char *copy = malloc(i ? i : 1);

		memcpy(copy, line, i);
		ii_fault_parse_line(copy, i, &fl);
		free(copy);
	}
	ii_fault_parse_line(NULL, 0, &fl);
	CHECK_INT(fl.kind, II_FL_NONE);
}

/* ------------------------------------------------------------- assembler */

struct got {
	struct ii_fault faults[32];
	struct ii_fault_drop drops[16];
	char unparsed[8][128];
	int nf, nd, nu;
};

static void got_fault(void *ctx, struct ii_fault *f)
{
	struct got *g = ctx;

	if (g->nf < 32)
		g->faults[g->nf++] = *f;
}

static void got_drop(void *ctx, const struct ii_fault_drop *d)
{
	struct got *g = ctx;

	if (g->nd < 16)
		g->drops[g->nd++] = *d;
}

static void got_unparsed(void *ctx, const struct ii_logpos *pos, enum ii_vendor v, const char *line,
			 size_t len)
{
	struct got *g = ctx;

	(void)pos;
	(void)v;
	if (g->nu < 8)
		snprintf(g->unparsed[g->nu++], 128, "%.*s", (int)len, line);
}

static struct got *feed_with(const char *const *lines, size_t n, bool flush, bool no_msg)
{
	static struct ii_fasm a;
	struct got *g = calloc(1, sizeof(*g));
	struct ii_fault_sink sink = { got_fault, got_drop, got_unparsed, g, no_msg };

	ii_fasm_init(&a, &sink);
	for (size_t i = 0; i < n; i++) {
		struct ii_logpos pos = { .has_seq = true, .seq = 100 + i, .has_usec = true,
					 .usec = 1000 * (i + 1) };
		const char *dict = NULL, *text = lines[i];

		if (!strncmp(text, "DICT ", 5)) {
			/* "DICT <device>|text" */
			static char dev[64];
			const char *bar = strchr(text, '|');

			snprintf(dev, sizeof(dev), "%.*s", (int)(bar - text - 5), text + 5);
			dict = dev;
			text = bar + 1;
		}
		ii_fasm_record(&a, &pos, text, strlen(text), dict);
	}
	if (flush)
		ii_fasm_flush(&a);
	return g;
}

static struct got *feed(const char *const *lines, size_t n, bool flush)
{
	return feed_with(lines, n, flush, false);
}

TEST(fasm_intel_two_lines)
{
	const char *lines[] = {
		"DRHD: handling fault status reg 2",
		("DMAR:[DMA Read] Request device [00:02.0] fault addr 7fe00000 \n"
		 "DMAR:[fault reason 06] PTE Read access is not set"),
		"dmar: DMAR:[DMA Write] Request device [00:1f.2] fault addr 3fae7000 ",
		"DMAR:[fault reason 05] PTE Write access is not set",
		"DMAR:[DMA Read] Request device [00:03.0] fault addr 12345000 ",
		"unrelated",
		"DMAR:[fault reason 06] PTE Read access is not set",
	};
	struct got *g = feed(lines, II_ARRAY_SIZE(lines), true);

	CHECK_INT(g->nf, 3);
	CHECK_INT(g->faults[0].reason_code, 6);
	CHECK(g->faults[0].complete);
	CHECK_STR(g->faults[0].msg, "DMAR:[DMA Read] Request device [00:02.0] fault addr 7fe00000 \n"
				    "DMAR:[fault reason 06] PTE Read access is not set");
	CHECK_INT(g->faults[1].reason_code, 5);
	CHECK_U64(g->faults[1].pos.seq, 102); /* where its first line was */
	CHECK(!g->faults[2].complete);
	CHECK(!g->faults[2].has_reason);
	CHECK_INT(g->nu, 1); /* the orphaned reason line */
	CHECK_INT(g->nd, 0);
	free(g);
}

TEST(fasm_intel_ratelimit)
{
	/* the 6.1 capture: three faults, a status line alone, silence, suppression */
	const char *lines[] = {
		"DMAR: DRHD: handling fault status reg 2",
		"DMAR: [DMA Write NO_PASID] Request device [07:00.1] fault addr 0x10000 [fault reason 0x05] x",
		"DMAR: DRHD: handling fault status reg 2",
		"dmar_fault: 8 callbacks suppressed",
		"DMAR: DRHD: handling fault status reg 2",
		"DMAR: [DMA Read NO_PASID] Request device [07:00.1] fault addr 0x70000 [fault reason 0x06] x",
		"DMAR: DRHD: handling fault status reg 3",
		"DMAR: [DMA Read NO_PASID] Request device [07:00.1] fault addr 0x80000 [fault reason 0x06] x",
		"DMAR: DRHD: handling fault status reg 10",
		"DMAR: DRHD: handling fault status reg 2",
	};
	struct got *g = feed(lines, II_ARRAY_SIZE(lines), true);

	CHECK_INT(g->nf, 3);
	CHECK_INT(g->faults[0].suppressed_before, 0);
	CHECK_INT(g->faults[1].suppressed_before, 8);
	CHECK_INT(g->nd, 4);
	CHECK_INT(g->drops[0].kind, II_DROP_STATUS);
	CHECK_U64(g->drops[0].pos.seq, 102);
	CHECK_INT(g->drops[1].kind, II_DROP_SUPPRESSED);
	CHECK_U64(g->drops[1].count, 8);
	CHECK_U64(g->drops[1].estimate, 2); /* 8 calls, 2 of them the lone status line's */
	CHECK_STR(g->drops[1].function, "dmar_fault");
	CHECK_INT(g->drops[2].kind, II_DROP_OVERFLOW); /* PFO */
	CHECK_INT(g->drops[3].kind, II_DROP_STATUS);   /* at the end; reg 10 has no PPF */
	free(g);
}

TEST(fasm_amd_pieces)
{
	const char *lines[] = {
		"AMD-Vi: Event logged [",
		"IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x000000fdf9103300 flags=0x0030]",
		"AMD-Vi: Event logged [Device not attached to domain properly]",
		"AMD-Vi:   device=0000:06:00.0 domain=0x0000",
		"AMD-Vi: Event logged [",
		"something else",
		("DICT +pci:0000:02:00.0|AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0001 address=0x8000 "
		 "flags=0x0000]"),
		"amd_iommu_report_page_fault: 12 callbacks suppressed",
		"DICT +iommu:ivhd1|AMD-Vi: Event logged [ILLEGAL_COMMAND_ERROR address=0x3000]",
	};
	struct got *g = feed(lines, II_ARRAY_SIZE(lines), true);

	CHECK_INT(g->nf, 4);
	CHECK_U64(g->faults[0].addr, 0xfdf9103300ull);
	CHECK_U64(g->faults[0].pos.seq, 100);
	CHECK(g->faults[0].complete);
	CHECK_STR(bdf(&g->faults[1]), "0000:06:00.0");
	CHECK(g->faults[1].complete);
	CHECK_STR(bdf(&g->faults[2]), "0000:02:00.0"); /* from DEVICE= */
	CHECK_STR(g->faults[3].unit, "ivhd1");
	CHECK_INT(g->faults[3].suppressed_before, 12);
	CHECK_INT(g->nu, 1);
	CHECK_STR(g->unparsed[0], "AMD-Vi: Event logged [");
	CHECK_INT(g->nd, 1);
	CHECK_U64(g->drops[0].estimate, 12);
	free(g);
}

TEST(fasm_smmu_events)
{
	const char *lines[] = {
		/* 6.x raw: read of 0xfffff000 by SID 0x100, SSID 5 valid */
		"arm-smmu-v3 smmu.0: event 0x10 received:",
		"arm-smmu-v3 smmu.0: \t0x0000010000005810",
		"arm-smmu-v3 smmu.0: \t0x0000020800000000",
		"arm-smmu-v3 smmu.0: \t0x00000000fffff000",
		"arm-smmu-v3 smmu.0: \t0x0000000000000000",
		/* 7.x: raw, decoded and access lines make one fault */
		"arm-smmu-v3 smmu.0: event 0x13 received:",
		"arm-smmu-v3 smmu.0: \t0x0000010100000013",
		"arm-smmu-v3 smmu.0: \t0x0000000000000000",
		"arm-smmu-v3 smmu.0: \t0x0000000000007000",
		"arm-smmu-v3 smmu.0: \t0x0000000000000000",
		("arm-smmu-v3 smmu.0: event: F_PERMISSION client: 0000:01:00.1 sid: 0x101 ssid: 0x0 "
		 "iova: 0x7000 ipa: 0x0"),
		"arm-smmu-v3 smmu.0: priv data write s1 \"Input address caused fault\" stag: 0x0",
		/* a header whose dwords were cut short */
		"arm-smmu-v3 smmu.0: event 0x04 received:",
		"arm-smmu-v3 smmu.0: \t0x0000030000000004",
		"nvme nvme0: I/O 12 QID 3 timeout, aborting",
		/* STE fetch: the fetch address is in dword 3 */
		"arm-smmu-v3 smmu.0: event 0x03 received:",
		"arm-smmu-v3 smmu.0: \t0x0000030000000003",
		"arm-smmu-v3 smmu.0: \t0x0000000000000000",
		"arm-smmu-v3 smmu.0: \t0x0000000000000000",
		"arm-smmu-v3 smmu.0: \t0x0000000080001007",
		"arm-smmu-v3 smmu.0: EVTQ overflow detected -- events lost",
	};
	struct got *g = feed(lines, II_ARRAY_SIZE(lines), true);

	CHECK_INT(g->nf, 4);
	CHECK_INT(g->faults[0].reason_code, 0x10);
	CHECK_INT(g->faults[0].sid, 0x100);
	CHECK(g->faults[0].has_pasid);
	CHECK_INT(g->faults[0].pasid, 5);
	CHECK_INT(g->faults[0].access, II_ACC_READ);
	CHECK_INT(g->faults[0].priv, 0);
	CHECK_U64(g->faults[0].addr, 0xfffff000);
	CHECK(g->faults[0].complete);
	CHECK_STR(g->faults[0].unit, "smmu.0");
	CHECK_STR(bdf(&g->faults[1]), "0000:01:00.1");
	CHECK_INT(g->faults[1].access, II_ACC_WRITE);
	CHECK_INT(g->faults[1].priv, 1);
	CHECK(g->faults[1].complete);
	CHECK_INT(g->faults[2].reason_code, 0x04);
	CHECK(!g->faults[2].complete);
	CHECK_U64(g->faults[3].addr, 0x80001000);
	CHECK_INT(g->nd, 1);
	CHECK_INT(g->drops[0].kind, II_DROP_OVERFLOW);
	free(g);
}

/* A sink that reads no message gets the same faults, drops and unparsed lines, without msg. */
TEST(fasm_no_msg)
{
	const char *lines[] = {
		"DRHD: handling fault status reg 2",
		("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 "
		 "[fault reason 0x06] PTE Read access is not set"),
		"DMAR:[DMA Write] Request device [00:1f.2] fault addr 3fae7000 ",
		"DMAR:[fault reason 05] PTE Write access is not set",
		"DRHD: handling fault status reg 3",
		"dmar_fault: 8 callbacks suppressed",
		"AMD-Vi: Event logged [",
		"unrelated",
	};
	struct got *a = feed_with(lines, II_ARRAY_SIZE(lines), true, false);
	struct got *b = feed_with(lines, II_ARRAY_SIZE(lines), true, true);

	CHECK_INT(a->nf, 2);
	CHECK_INT(b->nf, a->nf);
	for (int i = 0; i < a->nf && i < b->nf; i++) {
		CHECK(a->faults[i].msg[0] != '\0');
		CHECK_STR(b->faults[i].msg, "");
		CHECK_INT(b->faults[i].reason_code, a->faults[i].reason_code);
		CHECK_STR(b->faults[i].reason, a->faults[i].reason);
		CHECK_U64(b->faults[i].addr, a->faults[i].addr);
		CHECK_INT(ii_bdf_cmp(&b->faults[i].bdf, &a->faults[i].bdf), 0);
		CHECK_U64(b->faults[i].pos.seq, a->faults[i].pos.seq);
		CHECK_INT(b->faults[i].complete, a->faults[i].complete);
	}
	CHECK_STR(a->faults[1].msg, "DMAR:[DMA Write] Request device [00:1f.2] fault addr 3fae7000 \n"
				    "DMAR:[fault reason 05] PTE Write access is not set");
	/* "reg 3": an overflow, and a status line whose fault never came; the suppressed callbacks */
	CHECK_INT(a->nd, 3);
	CHECK_INT(b->nd, a->nd);
	for (int i = 0; i < a->nd && i < b->nd; i++) {
		CHECK_INT(b->drops[i].kind, a->drops[i].kind);
		CHECK_U64(b->drops[i].count, a->drops[i].count);
		CHECK_STR(b->drops[i].function, a->drops[i].function);
		CHECK(a->drops[i].msg[0] != '\0');
		CHECK_STR(b->drops[i].msg, "");
	}
	/* an AMD first half whose event never came is shown as it was, either way */
	CHECK_INT(a->nu, 1);
	CHECK_INT(b->nu, 1);
	CHECK_STR(a->unparsed[0], "AMD-Vi: Event logged [");
	CHECK_STR(b->unparsed[0], "AMD-Vi: Event logged [");
	free(a);
	free(b);
}

TEST(fasm_gaps_and_waiting)
{
	static struct ii_fasm a;
	struct got *g = calloc(1, sizeof(*g));
	struct ii_fault_sink sink = { got_fault, got_drop, got_unparsed, g, false };
	struct ii_logpos p1 = { .has_seq = true, .seq = 10 }, p2 = { .has_seq = true, .seq = 15 };
	struct ii_logpos p3 = { .has_seq = true, .seq = 16 }, p4 = { .has_seq = true, .seq = 3 };
	const char *half = "DMAR:[DMA Read] Request device [00:02.0] fault addr 7fe00000 ";

	ii_fasm_init(&a, &sink);
	ii_fasm_record(&a, &p1, half, strlen(half), NULL);
	CHECK_INT(g->nf, 0); /* it waits for its second line */
	ii_fasm_flush(&a);
	CHECK_INT(g->nf, 1);
	ii_fasm_record(&a, &p2, "x", 1, NULL);
	CHECK_INT(g->nd, 1);
	CHECK_INT(g->drops[0].kind, II_DROP_LOST);
	CHECK_U64(g->drops[0].count, 4);
	ii_fasm_seen(&a, &p3); /* a program's record: no gap */
	ii_fasm_record(&a, &p4, "x", 1, NULL); /* sequence numbers restart: no gap either */
	CHECK_INT(g->nd, 1);
	CHECK_U64(a.first_seq, 10);
	CHECK_U64(a.lost, 4);
	free(g);
}

TEST(fault_keys)
{
	CHECK_STR(ii_access_key(II_ACC_READ), "read");
	CHECK_STR(ii_access_key(II_ACC_WRITE), "write");
	CHECK_STR(ii_access_key(II_ACC_EXEC), "exec");
	CHECK_STR(ii_access_key(II_ACC_INTR | II_ACC_WRITE), "interrupt");
	CHECK(ii_access_key(0) == NULL);
	CHECK_STR(ii_fault_kind_key(II_FK_INTR), "interrupt");
	CHECK_STR(ii_drop_kind_key(II_DROP_STATUS), "status-only");
	CHECK_STR(ii_amd_event_name(2), "IO_PAGE_FAULT");
	CHECK(ii_amd_event_name(0xa) == NULL);
	CHECK(ii_amd_event_name(99) == NULL);
	CHECK_INT(ii_amd_event_type("RMP_HW_ERROR", 12), 0xe);
	CHECK_INT(ii_amd_event_type("RMP_HW_ERRO", 11), -1);
	CHECK_STR(ii_smmu_event_name(0x13), "F_PERMISSION");
	CHECK(ii_smmu_event_name(0x3f) == NULL);
	CHECK_INT(ii_smmu_event_id("F_VMS_FETCH", 11), 0x25);
	CHECK(ii_smmu_event_desc(0x3f) != NULL);
}

/* Forms of real pastes (fixtures/logs/real/). */
TEST(fault_real_forms)
{
	/* a requester printed with "0x" (sof-test #744) */
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [0x00:0x02.0] fault addr 0x70ad5000 "
			"[fault reason 0x07] Next page table ptr is invalid"), II_FL_FAULT);
	CHECK_STR(bdf(&fl.f), "0000:00:02.0");
	CHECK(!fl.f.seg_known);
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [0x0001:0x00:0x02.0] fault addr 0x1 "
			"[fault reason 0x07] x"), II_FL_FAULT);
	CHECK_STR(bdf(&fl.f), "0001:00:02.0");
	CHECK(fl.f.seg_known);
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [0x00:0x20.0] fault addr 0x1 "
			"[fault reason 0x07] x"), II_FL_UNPARSED);
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [0x00:0x02.0.1] fault addr 0x1 "
			"[fault reason 0x07] x"), II_FL_UNPARSED);
	/* a prefix we do not know before a fault (switchtec-kernel #110) */
	CHECK_INT(parse("000: DMAR: [DMA Read] Request device [ed:01.1] PASID ffffffff fault addr "
			"fffd0000 [fault reason 02] Present bit in context entry is clear"), II_FL_FAULT);
	CHECK_STR(bdf(&fl.f), "0000:ed:01.1");
	CHECK_U64(fl.f.addr, 0xfffd0000);
	CHECK_INT(parse("000: DMAR: [DMA Read] Request device [ed:01.1] PASID ffffffff fault addr"),
		  II_FL_UNPARSED);
	CHECK_INT(fl.f.vendor, II_VENDOR_INTEL);
	CHECK_INT(parse("x y: DMAR: DRHD: handling fault status reg 3"), II_FL_STATUS);
	CHECK_INT(parse("DMAR: DRHD: handling fault status reg zz"), II_FL_UNPARSED);
	CHECK_INT(parse("foo: Unhandled context fault: fsr=0x402, iova=0x1000, fsynr=0x3, cb=0"),
		  II_FL_FAULT);
	CHECK_INT(fl.f.vendor, II_VENDOR_ARM_SMMU);
	/* not faults, whatever their words */
	CHECK_INT(parse("user: the DMAR: unit printed something"), II_FL_NONE);
	CHECK_INT(parse("[drm] GPU fault detected: 147 0x0a284802"), II_FL_NONE);
}

TEST(fault_amd_access_other_events)
{
	/* ILLEGAL_DEV_TABLE_ENTRY: RW, I and TR at the places of IO_PAGE_FAULT's */
	CHECK_INT(parse("iommu ivhd0: AMD-Vi: Event logged [ILLEGAL_DEV_TABLE_ENTRY device=0000:05:00.0 "
			"pasid=0x00000 address=0xfffffff0 flags=0x0a20]"), II_FL_FAULT);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	CHECK_INT(parse("iommu ivhd0: AMD-Vi: Event logged [ILLEGAL_DEV_TABLE_ENTRY device=0000:05:00.0 "
			"pasid=0x00000 address=0xfffffff0 flags=0x0a00]"), II_FL_FAULT);
	CHECK_INT(fl.f.access, II_ACC_READ);
	CHECK_INT(parse("iommu ivhd0: AMD-Vi: Event logged [ILLEGAL_DEV_TABLE_ENTRY device=0000:05:00.0 "
			"pasid=0x00000 address=0xfee00000 flags=0x0008]"), II_FL_FAULT);
	CHECK_INT(fl.f.access, II_ACC_INTR);
	/* a translation request: RW means nothing */
	CHECK_INT(parse("iommu ivhd0: AMD-Vi: Event logged [PAGE_TAB_HARDWARE_ERROR device=0000:05:00.0 "
			"pasid=0x0001 address=0x2000 flags=0x0120]"), II_FL_FAULT);
	CHECK_INT(fl.f.access, 0);
	CHECK_INT(parse("iommu ivhd0: AMD-Vi: Event logged [DEV_TAB_HARDWARE_ERROR device=0000:05:00.0 "
			"address=0x1000 flags=0x0220]"), II_FL_FAULT);
	CHECK_INT(fl.f.access, II_ACC_WRITE);
	/* INVALID_DEVICE_REQUEST has no RW bit */
	CHECK_INT(parse("INVALID_DEVICE_REQUEST device=00:00.1 address=0x000000fdf8000020 flags=0x0a20]"),
		  II_FL_FAULT);
	CHECK_INT(fl.f.access, 0);
}

/* fuzz-fault found it: a NUL right after "[fault reason 0x14]" (a damaged paste) left the
   reason empty although decoded; the text ends at the NUL and an unknown code says so */
TEST(fault_intel_reason_cut_by_nul)
{
	static const char line[] = "DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr "
				   "0x1000 [fault reason 0x14]\0u PTE Read acRt";

	ii_fault_parse_line(line, sizeof(line) - 1, &fl);
	CHECK_INT(fl.kind, II_FL_FAULT);
	CHECK(fl.f.has_reason);
	CHECK_INT(fl.f.reason_code, 0x14);
	CHECK(fl.f.reason[0] != '\0');
	CHECK_STR(fl.f.reason, "Unknown");
}

/* ii_fasm_line, for records known to be one line, gives what ii_fasm_record gives. */
TEST(fasm_line_same_as_record)
{
	static const char *const lines[] = {
		"DMAR: DRHD: handling fault status reg 2",
		"DMAR:[DMA Read] Request device [00:02.0] fault addr 7fe00000",
		"DMAR:[fault reason 06] PTE Read access is not set",
		"DMAR: DRHD: handling fault status reg 2",
		"",
		"e1000e 0000:01:00.0 eth0: NIC Link is Up",
		"AMD-Vi: Event logged [",
		"IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x000000fdf8000000 flags=0x0010]",
		"AMD-Vi: Event logged [",
		"",
		"dmar_fault: 8 callbacks suppressed",
		"arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:",
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000010000000010",
		"arm-smmu 2b400000.smmu: Unhandled context fault: fsr=0x402, iova=0x758ed000, fsynr=0x11, "
		"cbfrsynra=0x89de, cb=3",
		"DMAR: [DMA Write NO_PASID] Request device [00:05.0] fault addr 0x1000 [fault reason 0x05] "
		"PTE Write access is not set",
		"DMAR: DRHD: handling fault status reg 2",
	};
	for (int no_msg = 0; no_msg < 2; no_msg++) {
		struct got *g[2];

		for (int k = 0; k < 2; k++) {
			static struct ii_fasm a;
			struct ii_fault_sink sink = { got_fault, got_drop, got_unparsed, NULL, no_msg };

			g[k] = calloc(1, sizeof(*g[k]));
			sink.ctx = g[k];
			ii_fasm_init(&a, &sink);
			for (size_t i = 0; i < II_ARRAY_SIZE(lines); i++) {
				struct ii_logpos pos = { .has_usec = true, .usec = 1000 * (i + 1),
							 .lineno = i + 1 };

				if (k)
					ii_fasm_line(&a, &pos, lines[i], strlen(lines[i]), NULL);
				else
					ii_fasm_record(&a, &pos, lines[i], strlen(lines[i]), NULL);
			}
			ii_fasm_flush(&a);
			CHECK_U64(a.records, II_ARRAY_SIZE(lines));
		}
		CHECK_INT(g[0]->nf, g[1]->nf);
		CHECK_INT(g[0]->nd, g[1]->nd);
		CHECK_INT(g[0]->nu, g[1]->nu);
		CHECK(g[0]->nf >= 5 && g[0]->nd >= 2);
		for (int i = 0; i < g[0]->nf && i < g[1]->nf; i++) {
			const struct ii_fault *x = &g[0]->faults[i], *y = &g[1]->faults[i];

			CHECK(x->vendor == y->vendor && x->kind == y->kind && x->addr == y->addr &&
			      x->complete == y->complete && x->pos.lineno == y->pos.lineno &&
			      x->suppressed_before == y->suppressed_before);
			CHECK_STR(x->reason, y->reason);
			CHECK_STR(x->msg, y->msg);
		}
		for (int i = 0; i < g[0]->nd && i < g[1]->nd; i++) {
			CHECK(g[0]->drops[i].kind == g[1]->drops[i].kind &&
			      g[0]->drops[i].estimate == g[1]->drops[i].estimate);
			CHECK_STR(g[0]->drops[i].msg, g[1]->drops[i].msg);
		}
		for (int i = 0; i < g[0]->nu && i < g[1]->nu; i++)
			CHECK_STR(g[0]->unparsed[i], g[1]->unparsed[i]);
		free(g[0]);
		free(g[1]);
	}
}

/*
 * The assembler parses every line into one scratch ii_fline, and attribution
 * sets its dev, group and via (a bridge whose DMA alias the stream ID is): a
 * new line clears all three, so an unattributed fault never shows the bridge
 * of the fault before it.
 */
TEST(fault_scratch_forgets_attribution)
{
	static const char bridge[64]; /* stands for a device: only the pointer is compared */

	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:"), II_FL_SMMU_HEAD);
	fl.f.via = (const struct ii_device *)bridge;
	fl.f.dev = (const struct ii_device *)bridge;
	fl.f.group = 7;
	CHECK_INT(parse("DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x1000 "
			"[fault reason 0x06] PTE Read access is not set"), II_FL_FAULT);
	CHECK(fl.f.via == NULL && fl.f.dev == NULL && fl.f.group == -1);
}

/*
 * A dword line gives no fault: the parser leaves out->f as it found it.
 * ii_fault_preparse() parses into an uninitialised struct, whose vendor and
 * has_bdf the prefix's step read (a bool neither 0 nor 1 stopped the fault
 * fuzzer under UBSan) and whose unit it wrote.
 */
TEST(fault_smmu_dword_leaves_fault)
{
	memset(&fl, 0xa5, sizeof(fl));
	fl.f.vendor = II_VENDOR_AMD;
	CHECK_INT(parse("arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000010000000010"), II_FL_SMMU_DWORD);
	CHECK_U64(fl.value, 0x0000010000000010ull);
	CHECK_STR(fl.prefix_dev, "arm-smmu-v3.0.auto");
	CHECK(fl.f.unit[0] == (char)0xa5);
	memset(&fl, 0, sizeof(fl));
}
