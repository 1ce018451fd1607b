// SPDX-License-Identifier: MIT
/*
 * The other debugfs parsers: dmar_translation_struct and context decoding,
 * iommu_regset, invalidation_queue, ir_translation_struct, dmar_perf_latency
 * (kernel-interfaces §2.2-§2.8), the AMD files (§3), and the line cursor.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "debugfs.h"
#include "fixture.h"
#include "test.h"

#define L(s) (s), strlen(s)
#define CAPTURE "intel-debugfs/sys/kernel/debug/iommu/intel/"

/* Feed every line of a fixture file to fn; counts of each kind in n[]. */
#define FEED(file, parser, fn, n)                                                    \
	do {                                                                         \
		size_t len_, off_ = 0;                                               \
		char *t_ = fx_read(file, &len_);                                     \
		CHECK(t_ != NULL);                                                   \
		while (t_ && off_ < len_) {                                          \
			char *nl_ = memchr(t_ + off_, '\n', len_ - off_);            \
			size_t l_ = nl_ ? (size_t)(nl_ - (t_ + off_)) : len_ - off_; \
			n[fn(parser, t_ + off_, l_)]++;                              \
			off_ += l_ + 1;                                              \
		}                                                                    \
		free(t_);                                                            \
	} while (0)

TEST(cur_helpers)
{
	struct ii_cur c = { L("  0x1f:rest -12 word tail"), 0 };
	uint64_t v;
	long long d;
	char w[8];
	struct ii_bdf b;

	ii_cur_ws(&c);
	CHECK(!ii_cur_lit(&c, "0y"));
	CHECK(ii_cur_hex(&c, 1, &v, NULL));
	CHECK_U64(v, 0x1f);
	CHECK(ii_cur_lit(&c, ":rest"));
	ii_cur_ws(&c);
	CHECK(ii_cur_dec(&c, &d));
	CHECK_INT(d, -12);
	ii_cur_ws(&c);
	CHECK(ii_cur_word(&c, w, sizeof(w)));
	CHECK_STR(w, "word");
	ii_cur_ws(&c);
	CHECK(!ii_cur_word(&c, w, 4)); /* does not fit */
	CHECK(!ii_cur_end(&c));
	c = (struct ii_cur){ L("ffffffffffffffff1"), 0 };
	CHECK(!ii_cur_hex(&c, 0, &v, NULL)); /* 17 digits */
	c = (struct ii_cur){ L("abc"), 0 };
	CHECK(!ii_cur_hex(&c, 1, &v, NULL));
	CHECK(ii_cur_hex(&c, -1, &v, NULL));
	CHECK_U64(v, 0xabc);
	c = (struct ii_cur){ L("0000:06:1f.7 x"), 0 };
	CHECK(ii_cur_bdf(&c, &b, true));
	CHECK_INT(b.bus, 6);
	CHECK_INT(b.dev, 0x1f);
	CHECK_INT(b.fn, 7);
	c = (struct ii_cur){ L("06:20.0"), 0 };
	CHECK(!ii_cur_bdf(&c, &b, false)); /* device 0x20 */
	c = (struct ii_cur){ L("06:1f.8"), 0 };
	CHECK(!ii_cur_bdf(&c, &b, false));
	c = (struct ii_cur){ L("06:1f.0x"), 0 };
	CHECK(!ii_cur_bdf(&c, &b, false));
	c = (struct ii_cur){ L("99999999999999999999"), 0 };
	CHECK(!ii_cur_dec(&c, &d));
}

TEST(ctx_capture_rows)
{
	size_t n[II_DL_BAD + 1] = { 0 };
	struct ii_ctxt p;

	ii_ctxt_init(&p);
	FEED(CAPTURE "dmar_translation_struct", &p, ii_ctxt_line, n);
	CHECK_INT(n[II_DL_UNIT], 1);
	CHECK_INT(n[II_DL_ROW], 22);
	CHECK_INT(n[II_DL_BAD], 0);
	CHECK_STR(p.unit, "dmar0");
	CHECK_U64(p.root_table, 0x1e21000);
}

TEST(ctx_legacy_decode)
{
	struct ii_ctx_info ci;
	struct ii_ctxt p;

	ii_ctxt_init(&p);
	CHECK_INT(ii_ctxt_line(&p, L("06:00.0\t0x0000000000000000:0x0000000001f81001")), II_DL_BAD);
	CHECK_INT(ii_ctxt_line(&p, L("IOMMU dmar0: Root Table Address: 0x1e21000")), II_DL_UNIT);
	CHECK_INT(ii_ctxt_line(&p, L("B.D.F\tRoot_entry\t\t\t\tContext_entry\t\t\t\tPASID\tPASID_table_entry")),
		  II_DL_NONE);
	CHECK_INT(ii_ctxt_line(&p, L("06:00.0\t0x0000000000000000:0x0000000001f81001\t0x0000000000001001:"
				     "0x0000000001f7f001\t-1    \t0x0000000000000000:0x0000000000000000:"
				     "0x0000000000000000")), II_DL_ROW);
	CHECK_INT(p.row.bus, 6);
	CHECK_INT(p.row.pasid, -1);
	ii_ctx_decode(&p.row, &ci);
	CHECK(ci.present && !ci.scalable);
	CHECK_INT(ci.did, 0x10);
	CHECK_STR(ii_dbg_tt_key(ci.translation), "second-level");
	CHECK(ci.has_pgd);
	CHECK_U64(ci.pgd, 0x1f7f000);
	CHECK_INT(ci.levels, 3);
	CHECK_INT(ci.aw_bits, 39);
	/* pass-through (TT 2), device TLB (TT 1), not present */
	p.row.ctx_lo = 0x1f7f009;
	ii_ctx_decode(&p.row, &ci);
	CHECK_STR(ii_dbg_tt_key(ci.translation), "pass-through");
	CHECK(!ci.has_pgd);
	p.row.ctx_lo = 0x1f7f005;
	ii_ctx_decode(&p.row, &ci);
	CHECK(ci.device_tlb);
	p.row.ctx_lo = 0x1f7f000;
	ii_ctx_decode(&p.row, &ci);
	CHECK(!ci.present);
	CHECK_INT(ci.did, -1);
	/* malformed rows */
	CHECK_INT(ii_ctxt_line(&p, L("06:00.0\t0x0:0x1\t0x2:0x3\tx\t0x0:0x0:0x0")), II_DL_BAD);
	CHECK_INT(ii_ctxt_line(&p, L("06:00.0\t0x0:0x1\t0x2:0x3\t-1\t0x0:0x0")), II_DL_BAD);
	CHECK_INT(ii_ctxt_line(&p, L("06:00.0\t0x0:0x1\t0x2:0x3\t-2\t0x0:0x0:0x0")), II_DL_BAD);
	CHECK_INT(ii_ctxt_line(&p, L("IOMMU dmar0 Root Table Address: 0x1")), II_DL_BAD);
	CHECK_INT(ii_ctxt_line(&p, L("DMA Remapping is not enabled on dmar1")), II_DL_MSG);
	CHECK_STR(p.msg, "DMA Remapping is not enabled on dmar1");
}

TEST(ctx_scalable_decode)
{
	struct ii_ctx_row r = { .pasid = 0 };
	struct ii_ctx_info ci;

	/* second-level, AW 2 (4 levels), DID 7 */
	r.pe[0] = 0x10b00000 | (2 << 6) | (2 << 2) | 1;
	r.pe[1] = 7;
	ii_ctx_decode(&r, &ci);
	CHECK(ci.scalable && ci.present);
	CHECK_STR(ii_dbg_tt_key(ci.translation), "second-level");
	CHECK_U64(ci.pgd, 0x10b00000);
	CHECK_INT(ci.levels, 4);
	CHECK_INT(ci.did, 7);
	/* first-level, 5-level paging */
	r.pe[0] = (1 << 6) | 1;
	r.pe[2] = 0x20000000 | (1 << 2) | 1;
	ii_ctx_decode(&r, &ci);
	CHECK_STR(ii_dbg_tt_key(ci.translation), "first-level");
	CHECK_U64(ci.pgd, 0x20000000);
	CHECK_INT(ci.levels, 5);
	CHECK_INT(ci.aw_bits, 57);
	r.pe[0] = (3 << 6) | 0x30000000 | 1;
	ii_ctx_decode(&r, &ci);
	CHECK_STR(ii_dbg_tt_key(ci.translation), "nested");
	CHECK_U64(ci.pgd, 0x30000000);
	r.pe[0] = (4 << 6) | 1;
	ii_ctx_decode(&r, &ci);
	CHECK_STR(ii_dbg_tt_key(ci.translation), "pass-through");
	CHECK(!ci.has_pgd);
	r.pe[0] = (5 << 6) | 1;
	ii_ctx_decode(&r, &ci);
	CHECK(ci.translation == II_TT_UNKNOWN);
	r.pe[0] = 0;
	ii_ctx_decode(&r, &ci);
	CHECK(!ci.present);
}

TEST(regset_capture)
{
	size_t n[II_DL_BAD + 1] = { 0 };
	struct ii_regset p;

	ii_regset_init(&p);
	FEED(CAPTURE "iommu_regset", &p, ii_regset_line, n);
	CHECK_INT(n[II_DL_UNIT], 1);
	CHECK_INT(n[II_DL_ROW], 67);
	CHECK_INT(n[II_DL_BAD], 0);
	CHECK_U64(p.base, 0xfed90000);
	/* the last row, and names of 17 characters followed directly by the tab */
	CHECK_STR(p.row.name, "VCRSP");
	CHECK_U64(p.row.offset, 0xe10);
	CHECK_INT(ii_regset_line(&p, L("MTRR_FIX16K_A0000\t0x130\t\t0x0000000000000001")), II_DL_ROW);
	CHECK_STR(p.row.name, "MTRR_FIX16K_A0000");
	CHECK_U64(p.row.value, 1);
	CHECK_INT(ii_regset_line(&p, L("GSTS            \t0x1c")), II_DL_BAD);
	CHECK_INT(ii_regset_line(&p, L("\t0x1c\t\t0x0")), II_DL_BAD);
	CHECK_INT(ii_regset_line(&p, L("IOMMU: Invalid base address")), II_DL_MSG);
	CHECK_INT(ii_regset_line(&p, L("IOMMU: dmar1 Register Base Address:")), II_DL_BAD);
	CHECK_INT(ii_regset_line(&p, L("GSTS            \t0x1c\t\t0x0")), II_DL_BAD); /* no unit now */
}

TEST(regset_fields)
{
	const struct ii_regdesc *gsts = ii_intel_dbg_regdesc("GSTS"), *irta = ii_intel_dbg_regdesc("IRTA");
	const struct ii_regdesc *rta = ii_intel_dbg_regdesc("RTADDR");
	char *s;

	CHECK(gsts != NULL && irta != NULL && rta != NULL);
	CHECK(ii_intel_dbg_regdesc("VER") == NULL);
	if (!gsts || !irta || !rta)
		return;
	for (size_t i = 0; i < gsts->nfields; i++)
		if (!strcmp(gsts->fields[i].name, "TES"))
			CHECK_U64(ii_field_get(0xc7000000, &gsts->fields[i]), 1);
	s = ii_intel_dbg_explain(irta, &irta->fields[0], 0xf);
	CHECK_STR(s, "65536 entries");
	free(s);
	s = ii_intel_dbg_explain(rta, &rta->fields[0], 1);
	CHECK_STR(s, "scalable mode");
	free(s);
	s = ii_intel_dbg_explain(rta, &rta->fields[1], 0x1e21);
	CHECK_STR(s, "at 0x1e21000");
	free(s);
}

TEST(iq_capture_and_256bit)
{
	size_t n[II_DL_BAD + 1] = { 0 };
	struct ii_iq p;

	ii_iq_init(&p);
	FEED(CAPTURE "invalidation_queue", &p, ii_iq_line, n);
	CHECK_INT(n[II_DL_UNIT], 1);
	CHECK_INT(n[II_DL_ROW], 256);
	CHECK_INT(n[II_DL_BAD], 0);
	CHECK_INT(p.head, 238);
	CHECK_INT(p.tail, 238);
	CHECK_U64(p.base, 0x1252000);
	CHECK_INT(p.nqw, 2);
	CHECK_INT(p.row.index, 255);
	CHECK_INT(p.row.nqw, 2);
	CHECK_STR(ii_iq_type_name(p.row.qw[0]), "inv_wait");
	CHECK_INT(ii_iq_line(&p, L("Index\t\tqw0\t\t\tqw1\t\t\tqw2\t\t\tqw3\t\t\tstatus")), II_DL_NONE);
	CHECK_INT(p.nqw, 4);
	CHECK_INT(ii_iq_line(&p, L("    3\t0000000000000002\t0000000000000001\t0000000000000000\t"
				   "0000000000000000\t0000000000000001")), II_DL_ROW);
	CHECK_INT(p.row.nqw, 4);
	CHECK_STR(ii_iq_type_name(p.row.qw[0]), "iotlb_inv");
	CHECK_STR(ii_iq_status_name(p.row.status), "in-use");
	CHECK(ii_iq_status_name(7) == NULL);
	CHECK(ii_iq_type_name(0) == NULL);
	CHECK_INT(ii_iq_line(&p, L("    3\t0000000000000002\t0000000000000001\t0000")), II_DL_BAD);
	CHECK_INT(ii_iq_line(&p, L(" Base: 0x1252000\tHead: x\tTail: 238")), II_DL_BAD);
	CHECK_INT(ii_iq_line(&p, L("Invalidation queue on IOMMU:")), II_DL_BAD);
}

TEST(irt_capture_and_posted)
{
	size_t n[II_DL_BAD + 1] = { 0 };
	struct ii_irte_info ii;
	struct ii_irt p;

	ii_irt_init(&p);
	FEED(CAPTURE "ir_translation_struct", &p, ii_irt_line, n);
	CHECK_INT(n[II_DL_UNIT], 1);
	CHECK_INT(n[II_DL_ROW], 27);
	CHECK_INT(n[II_DL_BAD], 0);
	CHECK(p.posted_pass);
	CHECK_U64(p.table, 0x1300000);
	ii_irt_init(&p);
	CHECK_INT(ii_irt_line(&p, L("Remapped Interrupt supported on IOMMU: dmar0")), II_DL_UNIT);
	CHECK_INT(ii_irt_line(&p, L(" IR table address:1300000")), II_DL_NONE);
	CHECK(p.have_table);
	CHECK_INT(ii_irt_line(&p, L(" 0     ff:00.0 00000100 2a  000000000004ff00\t00000100002a000d")), II_DL_ROW);
	CHECK_INT(p.row.index, 0);
	CHECK_INT(p.row.bus, 0xff);
	CHECK_U64(p.row.dest, 0x100);
	CHECK_INT(p.row.vector, 0x2a);
	CHECK(!p.row.posted);
	ii_irte_decode(&p.row, &ii);
	CHECK(ii.present && ii.logical && ii.redir_hint && !ii.level_trigger);
	CHECK_INT(ii.sid, 0xff00);
	CHECK_INT(ii.svt, 1);
	CHECK_STR(ii_irte_svt_name(ii.svt), "requester-id");
	CHECK_INT(ii_irt_line(&p, L("Interrupt Remapping is not enabled")), II_DL_MSG);
	CHECK_INT(ii_irt_line(&p, L("****")), II_DL_NONE);
	CHECK_INT(ii_irt_line(&p, L(" 1     00:02.0 00000001 fee00000 22  0000000000048010\t000000010000a00d")),
		  II_DL_BAD); /* a posted row before its unit line */
	CHECK_INT(ii_irt_line(&p, L("Posted Interrupt supported on IOMMU: dmar0")), II_DL_UNIT);
	CHECK_INT(ii_irt_line(&p, L(" 1     00:02.0 00000001 fee00000 22  0000000000048010\t000000010000a00d")),
		  II_DL_ROW);
	CHECK(p.row.posted);
	CHECK_U64(p.row.pda_hi, 1);
	CHECK_U64(p.row.pda_lo, 0xfee00000);
	CHECK_INT(p.row.vector, 0x22);
	CHECK_INT(ii_irt_line(&p, L(" 1     00:02.0 00000001 22  0000000000048010\t000000010000a00d")),
		  II_DL_BAD); /* a remapped row in the posted pass */
	CHECK_INT(ii_irt_line(&p, L(" 1     00:02.0")), II_DL_BAD);
}

TEST(latency_capture)
{
	size_t n[II_DL_BAD + 1] = { 0 };
	struct ii_lat p;

	ii_lat_init(&p);
	FEED(CAPTURE "dmar_perf_latency", &p, ii_lat_line, n);
	CHECK_INT(n[II_DL_UNIT], 1);
	CHECK_INT(n[II_DL_ROW], 3);
	CHECK_INT(n[II_DL_BAD], 0);
	CHECK_STR(p.row.type, "inv_iec");
	CHECK_INT(p.row.v[2], 7);
	CHECK_INT(p.row.v[9], 5);
	CHECK_INT(ii_lat_line(&p, L("   inv_iotlb           0           0")), II_DL_BAD);
	CHECK_INT(ii_lat_line(&p, L("Failed to get latency snapshot")), II_DL_MSG);
	CHECK_STR(ii_lat_labels[9], "average(us)");
}

TEST(amd_files)
{
	struct ii_amd_dte d;
	struct ii_amd_dte_info di;
	const char *msg;
	uint32_t off;
	uint64_t val;
	struct ii_amd_cmdbuf c;
	struct ii_amd_irqtbl q;

	CHECK_INT(ii_amd_devtbl_parse(L("DeviceId             QWORD[3]         QWORD[2]         QWORD[1]"
					"         QWORD[0] iommu\n0000:03:00.0 0000000000000000 "
					"20000001374a8013 0000000000000044 6000000103ed6603 iommu3\n"),
				      &d, &msg), 0);
	CHECK_INT(d.bdf.bus, 3);
	CHECK_INT(d.unit, 3);
	CHECK_U64(d.q[0], 0x6000000103ed6603);
	CHECK_U64(d.q[2], 0x20000001374a8013);
	ii_amd_dte_decode(&d, &di);
	CHECK(di.valid && di.tv && di.ir && di.iw && di.iv);
	CHECK_INT(di.mode, 3);
	CHECK_U64(di.pgd, 0x103ed6000);
	CHECK_INT(di.did, 0x44);
	CHECK_INT(di.int_tab_len, 9);
	CHECK_INT(ii_amd_devtbl_parse(L("Enter a valid device ID to 'devid' file\n"), &d, &msg), -ENOENT);
	CHECK(msg != NULL);
	CHECK_INT(ii_amd_devtbl_parse(L("0000:03:00.0 0000000000000000 20000001374a8013\n"), &d, &msg), -EINVAL);
	CHECK_INT(ii_amd_devtbl_parse(L(""), &d, &msg), -EINVAL);

	CHECK_INT(ii_amd_offset_value_parse(L("Offset:0x18 Value:0x000c22000003f48d\n"), &off, &val), 0);
	CHECK_INT(off, 0x18);
	CHECK_U64(val, 0x000c22000003f48d);
	CHECK_INT(ii_amd_offset_value_parse(L("Please provide mmio register's offset\n"), &off, &val), -ENOENT);
	CHECK_INT(ii_amd_offset_value_parse(L("Offset:0x18\n"), &off, &val), -EINVAL);

	ii_amd_cmdbuf_init(&c);
	CHECK_INT(ii_amd_cmdbuf_line(&c, L("CMD Buffer Head Offset:339 Tail Offset:340")), II_DL_UNIT);
	CHECK_INT(c.head, 339);
	CHECK_INT(c.tail, 340);
	CHECK_INT(ii_amd_cmdbuf_line(&c, L("  1: 00000000 30000005 fffff003 7fffffff")), II_DL_ROW);
	CHECK_STR(ii_amd_cmd_name(&c.row), "INVALIDATE_IOMMU_PAGES");
	CHECK_INT(ii_amd_cmdbuf_line(&c, L("  0: 00835001 10000001 00003c00 00000000")), II_DL_ROW);
	CHECK_STR(ii_amd_cmd_name(&c.row), "COMPLETION_WAIT");
	CHECK_INT(ii_amd_cmdbuf_line(&c, L("  0: 00835001 10000001 00003c00")), II_DL_BAD);
	CHECK_INT(ii_amd_cmdbuf_line(&c, L("  0: 008350011000000100003c0000000000")), II_DL_BAD);

	ii_amd_irqtbl_init(&q);
	CHECK_INT(ii_amd_irqtbl_line(&q, L("IRT[0000] 0100000000000021 0000000000000101")), II_DL_BAD);
	CHECK_INT(ii_amd_irqtbl_line(&q, L("DeviceId 0000:00:05.0")), II_DL_UNIT);
	CHECK_INT(ii_amd_irqtbl_line(&q, L("IRT[0000] 0100000000000021 0000000000000101")), II_DL_ROW);
	CHECK(q.row.ga);
	CHECK_U64(q.row.hi, 0x0100000000000021);
	CHECK_INT(ii_amd_irqtbl_line(&q, L("IRT[0012] 00210001")), II_DL_ROW);
	CHECK(!q.row.ga);
	CHECK_INT(q.row.index, 12);
	CHECK_INT(ii_amd_irqtbl_line(&q, L("IRT[0012] 1ffffffff")), II_DL_BAD);
	CHECK_INT(ii_amd_irqtbl_line(&q, L("IRQ lookup table not set for 0000:00:05:0")), II_DL_MSG);
	CHECK_INT(ii_amd_irqtbl_line(&q, L("Interrupt remapping is disabled")), II_DL_MSG);
}
