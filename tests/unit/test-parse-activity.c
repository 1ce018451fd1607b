// SPDX-License-Identifier: MIT
/*
 * The pure parsers of live activity: perf PMU format fields and event terms
 * (src/parse/parse-pmu.c), CPU lists, the IOMMU rows of proc/interrupts
 * (src/parse/parse-irq-rows.c) and the lines of a recording
 * (src/parse/parse-activity.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "actdata.h"
#include "pmufmt.h"
#include "test.h"

/* ------------------------------------------------------------ PMU format */

TEST(pmu_format_fields)
{
	struct ii_pmu_field f;
	const char *why = NULL;

	CHECK_INT(ii_parse_pmu_format("event", "config:0-27\n", &f, &why), 0);
	CHECK_INT(f.word, 0);
	CHECK_INT(f.nranges, 1);
	CHECK_INT(f.range[0].lo, 0);
	CHECK_INT(f.range[0].hi, 27);
	CHECK_INT(ii_pmu_field_width(&f), 28);
	CHECK_STR(f.name, "event");

	CHECK_INT(ii_parse_pmu_format("domid_mask", "config1:16-31", &f, &why), 0);
	CHECK_INT(f.word, 1);
	CHECK_INT(f.range[0].lo, 16);
	CHECK_INT(ii_parse_pmu_format("filter_pasid", "config2:0-21", &f, &why), 0);
	CHECK_INT(f.word, 2);
	CHECK_INT(ii_parse_pmu_format("filter_requester_id_en", "config1:0", &f, &why), 0);
	CHECK_INT(ii_pmu_field_width(&f), 1);
	CHECK_INT(ii_parse_pmu_format("split", "config:0-7,32-35", &f, &why), 0);
	CHECK_INT(f.nranges, 2);
	CHECK_INT(ii_pmu_field_width(&f), 12);
}

TEST(pmu_format_bad)
{
	static const char *const bad[] = {
		"", "config", "config:", "config3:0-7", "cfg:0-7", "config:7-0", "config:0-64",
		"config:a-b", "config:0-7 junk", "config:0-1,2-3,4-5,6-7,8-9", "config:0-",
		"config:99999999999999999999999",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ii_pmu_field f;
		const char *why = NULL;

		if (ii_parse_pmu_format("x", bad[i], &f, &why) == 0)
			t_fail(__FILE__, __LINE__, "\"%s\" parsed", bad[i]);
		else
			CHECK(why != NULL);
	}
}

static void fields(struct ii_pmu_field *f, size_t n, const char *const *spec)
{
	const char *why;

	for (size_t i = 0; i < n; i++)
		CHECK_INT(ii_parse_pmu_format(spec[2 * i], spec[2 * i + 1], &f[i], &why), 0);
}

TEST(pmu_place_events)
{
	static const char *const intel[] = { "event", "config:0-27", "event_group", "config:28-31",
					     "filter_pasid", "config2:0-21" };
	static const char *const amd[] = { "csource", "config:0-7", "devid", "config:8-23",
					   "domid_mask", "config1:16-31" };
	static const char *const arm[] = { "event", "config:0-15", "filter_stream_id", "config1:0-31" };
	static const char *const split[] = { "e", "config:0-3,8-11" };
	struct ii_pmu_field f[3];
	uint64_t c[3];
	const char *why = NULL;

	fields(f, 3, intel);
	CHECK_INT(ii_pmu_place(f, 3, "event_group=0x3,event=0x001\n", c, &why), 0);
	CHECK_U64(c[0], 0x30000001);
	CHECK_INT(ii_pmu_place(f, 3, "event_group=0x2,event=0x008,filter_pasid=5", c, &why), 0);
	CHECK_U64(c[0], 0x20000008);
	CHECK_U64(c[2], 5);
	/* too wide for its field */
	CHECK_INT(ii_pmu_place(f, 3, "event_group=0x10,event=1", c, &why), -EINVAL);
	CHECK(why && strstr(why, "wider"));
	/* a field the PMU does not have */
	CHECK_INT(ii_pmu_place(f, 3, "umask=1", c, &why), -EINVAL);
	CHECK_INT(ii_pmu_place(f, 3, "", c, &why), -EINVAL);
	CHECK_INT(ii_pmu_place(f, 3, "event=", c, &why), -EINVAL);
	CHECK_INT(ii_pmu_place(f, 3, "event=1,", c, &why), -EINVAL);

	fields(f, 3, amd);
	CHECK_INT(ii_pmu_place(f, 3, "csource=0x06", c, &why), 0);
	CHECK_U64(c[0], 6);
	CHECK_INT(ii_pmu_place(f, 3, "csource=0x13,devid=0x10,domid_mask=0xffff", c, &why), 0);
	CHECK_U64(c[0], 0x1013);
	CHECK_U64(c[1], 0xffff0000);

	fields(f, 2, arm);
	CHECK_INT(ii_pmu_place(f, 2, "event=0x0002", c, &why), 0);
	CHECK_U64(c[0], 2);
	/* a term without a value is 1 (perf's rule); config= sets the word itself */
	CHECK_INT(ii_pmu_place(f, 2, "event", c, &why), 0);
	CHECK_U64(c[0], 1);
	CHECK_INT(ii_pmu_place(f, 2, "config=0x1234,config1=7", c, &why), 0);
	CHECK_U64(c[0], 0x1234);
	CHECK_U64(c[1], 7);

	fields(f, 1, split);
	CHECK_INT(ii_pmu_place(f, 1, "e=0xab", c, &why), 0);
	CHECK_U64(c[0], 0xa0b);
	CHECK_INT(ii_pmu_place(f, 1, "e=0x1ab", c, &why), -EINVAL);
}

TEST(cpulist)
{
	int *cpus;
	size_t n;

	CHECK_INT(ii_parse_cpulist("0-3,8\n", &cpus, &n), 0);
	CHECK_INT(n, 5);
	CHECK_INT(cpus[3], 3);
	CHECK_INT(cpus[4], 8);
	free(cpus);
	CHECK_INT(ii_parse_cpulist("1,0,0-1", &cpus, &n), 0);
	CHECK_INT(n, 2);
	CHECK_INT(cpus[0], 0);
	free(cpus);
	CHECK_INT(ii_parse_cpulist("\n", &cpus, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(ii_parse_cpulist("3-1", &cpus, &n), -EINVAL);
	CHECK_INT(ii_parse_cpulist("0-", &cpus, &n), -EINVAL);
	CHECK_INT(ii_parse_cpulist("x", &cpus, &n), -EINVAL);
	CHECK_INT(ii_parse_cpulist("0-99999999", &cpus, &n), -EINVAL);
}

/* -------------------------------------------------------- proc/interrupts */

static const struct ii_irq_row *row(const struct ii_irq_row *r, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].name, name))
			return &r[i];
	return NULL;
}

TEST(irq_rows_intel)
{
	static const char text[] =
		"           CPU0       CPU1       \n"
		"  0:        135          0  IR-IO-APIC   2-edge      timer\n"
		" 24:         16          4  DMAR-MSI   0-edge      dmar0\n"
		" 25:          1          2  DMAR-MSI   1-edge      dmar1\n"
		" 26:          7          0  DMAR-MSI   2-edge      dmar1-prq\n"
		" 27:          3          0  DMAR-MSI   3-edge      dmar1-perf\n"
		" 30:          9          9  IR-PCI-MSI 32768-edge  nvme0q0\n"
		"NMI:          0          0   Non-maskable interrupts\n";
	struct ii_irq_unit u[] = { { "dmar0", II_VENDOR_INTEL, NULL, NULL }, { "dmar1", II_VENDOR_INTEL, NULL, NULL } };
	struct ii_irq_row *r;
	size_t n = ii_parse_irq_rows(text, u, 2, &r);
	const struct ii_irq_row *q;

	CHECK_INT(n, 4);
	CHECK((q = row(r, n, "dmar0")) && q->count == 20 && q->irq == 24 && q->fault &&
	      !strcmp(q->unit, "dmar0"));
	CHECK((q = row(r, n, "dmar1")) && q->count == 3 && q->fault);
	CHECK((q = row(r, n, "dmar1-prq")) && q->count == 7 && !q->fault && !strcmp(q->unit, "dmar1"));
	CHECK((q = row(r, n, "dmar1-perf")) && !q->fault && !strcmp(q->unit, "dmar1"));
	free(r);
	/* without units the name still says which */
	n = ii_parse_irq_rows(text, NULL, 0, &r);
	CHECK_INT(n, 4);
	CHECK((q = row(r, n, "dmar0")) && !strcmp(q->unit, "dmar0"));
	free(r);
}

/* A virtio-iommu: its event queue's vector carries its faults; a shared vector is not taken. */
TEST(irq_rows_virtio_iommu)
{
	static const char text[] =
		" 22:         12          0   IO-APIC  22-fasteoi   virtio0\n"
		" 30:          7          0  PCI-MSIX-0000:00:02.0 0-edge  virtio0-config\n"
		" 31:        900          0  PCI-MSIX-0000:00:02.0 1-edge  virtio0-request\n"
		" 32:          3          1  PCI-MSIX-0000:00:02.0 2-edge  virtio0-event\n"
		" 33:          5          0  PCI-MSIX-0000:00:03.0 2-edge  virtio1-event\n"
		" 34:          5          0  PCI-MSIX-0000:00:04.0 1-edge  virtio2-virtqueues\n";
	struct ii_irq_unit u[] = { { "0000:00:02.0", II_VENDOR_VIRTIO, NULL, "virtio0" },
				   { "0000:00:04.0", II_VENDOR_VIRTIO, NULL, "virtio2" } };
	struct ii_irq_row *r;
	size_t n = ii_parse_irq_rows(text, u, 2, &r);
	const struct ii_irq_row *q;

	CHECK_INT(n, 2);
	CHECK((q = row(r, n, "virtio0-event")) && q->fault && q->count == 4 &&
	      !strcmp(q->unit, "0000:00:02.0"));
	CHECK((q = row(r, n, "virtio0-request")) && !q->fault && !strcmp(q->unit, "0000:00:02.0"));
	CHECK(!row(r, n, "virtio0") && !row(r, n, "virtio1-event") && !row(r, n, "virtio2-virtqueues"));
	free(r);
	/* without the units, no virtio row is an IOMMU's */
	n = ii_parse_irq_rows(text, NULL, 0, &r);
	CHECK_INT(n, 0);
	free(r);
}

TEST(irq_rows_amd_arm)
{
	static const char amd[] =
		" 24:          5          0   PCI-MSI 32768-edge      AMD-Vi\n"
		" 25:          6          0  PCI-MSI-0000:40:00.2 0-edge AMD-Vi\n"
		" 26:          2          1  AMD-Vi   0-edge      AMD-Vi1-Evt\n"
		" 27:          4          0  AMD-Vi   1-edge      AMD-Vi1-PPR\n"
		" 28:          4          0  AMD-Vi   2-edge      AMD-Vi1-GA\n"
		" 29:          4          0  AMD-Vi   3-edge      AMD-Vi1-Foo\n";
	static const char arm[] =
		" 52:         11          0  ITS-MSI 16384-edge   arm-smmu-v3-evtq\n"
		" 53:          0          0  ITS-MSI 16385-edge   arm-smmu-v3-gerror\n"
		" 54:          2          0  ITS-MSI 16386-edge   arm-smmu-v3-priq\n"
		" 55:          2          0  GICv3 100 Level      arm-smmu-v3-combined-irq\n";
	struct ii_irq_unit two[] = { { "ivhd0", II_VENDOR_AMD, "0000:00:00.2", NULL },
				     { "ivhd1", II_VENDOR_AMD, "0000:40:00.2", NULL } };
	struct ii_irq_unit one[] = { { "ivhd0", II_VENDOR_AMD, "0000:00:00.2", NULL } };
	struct ii_irq_unit smmu[] = { { "smmu3.0x0000000009050000", II_VENDOR_ARM_SMMU_V3, NULL, NULL } };
	struct ii_irq_row *r;
	const struct ii_irq_row *q;
	size_t n;

	n = ii_parse_irq_rows(amd, two, 2, &r);
	CHECK_INT(n, 5);
	/* "AMD-Vi" alone names no unit among two; the MSI chip's function does */
	CHECK(r[0].fault && r[0].count == 5 && !strcmp(r[0].unit, ""));
	CHECK(!strcmp(r[1].unit, "ivhd1") && r[1].count == 6);
	CHECK((q = row(r, n, "AMD-Vi1-Evt")) && q->fault && q->count == 3 && !strcmp(q->unit, "ivhd1"));
	CHECK((q = row(r, n, "AMD-Vi1-PPR")) && !q->fault);
	CHECK((q = row(r, n, "AMD-Vi1-GA")) && !q->fault);
	CHECK(!row(r, n, "AMD-Vi1-Foo"));
	free(r);
	n = ii_parse_irq_rows(amd, one, 1, &r);
	CHECK(n >= 1 && !strcmp(r[0].unit, "ivhd0"));
	free(r);

	n = ii_parse_irq_rows(arm, smmu, 1, &r);
	CHECK_INT(n, 4);
	CHECK((q = row(r, n, "arm-smmu-v3-evtq")) && q->fault && q->count == 11 &&
	      !strcmp(q->unit, "smmu3.0x0000000009050000"));
	CHECK((q = row(r, n, "arm-smmu-v3-priq")) && !q->fault);
	CHECK((q = row(r, n, "arm-smmu-v3-combined-irq")) && q->fault);
	free(r);
}

TEST(irq_rows_garbage)
{
	static const char *const text[] = {
		"", "\n\n", "24:", "24: 1 2", " 24: 1 2 dmar0", "x: 1 dmar0\n", "24: dmar0x\n",
		"99999999999999999999: 1 DMAR-MSI 0-edge dmar0",
	};

	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		struct ii_irq_row *r;
		size_t n = ii_parse_irq_rows(text[i], NULL, 0, &r);

		CHECK(n <= 1);
		free(r);
	}
}

/* ------------------------------------------------------------ recordings */

TEST(act_line_round_trip)
{
	struct ii_act_unit units[2] = { { "dmar0", "dmar0", { 0 } },
					{ "dmar1", "", { II_WHY_NO_PMU_HW, 0, "no PMS" } } };
	struct ii_ctr_value ctrs[2] = {
		{ II_CTR_IOTLB_LOOKUP, "dmar0", "dmar0/iotlb_lookup/", true, 12345678901234ULL, 10, 5,
		  { 0 } },
		{ II_CTR_MAP, "", "iommu:map", false, 0, 0, 0, { II_WHY_PARANOID, -13, "paranoid 3" } },
	};
	struct ii_irq_row irqs[1] = { { "dmar0", "dmar0", 24, true, 16 } };
	struct ii_hotplug hp[1] = { { II_HP_BIND, "0000:03:00.0", "vfio-pci" } };
	struct ii_act_header h;
	struct ii_act_reading r;
	struct ii_kmsg m = { 3, 603, 9423946, false, (char *)"DMAR: [DMA Read] \\ \x01\xff end", NULL,
			     (char *)"+pci:0000:00:05.0", 0 };
	struct strbuf sb = { 0 };
	struct ii_actl l;
	char *line, *nl;

	memset(&h, 0, sizeof(h));
	h.schema_version = 1;
	strcpy(h.version, "0.1.0");
	strcpy(h.kernel, "6.8.0");
	h.live = true;
	h.interval_ms = 1000;
	h.has_family[II_ACT_PMU] = true;
	h.family[II_ACT_PMU].why = II_WHY_PARANOID;
	h.family[II_ACT_PMU].err = -13;
	strcpy(h.family[II_ACT_PMU].detail, "kernel.perf_event_paranoid is 3");
	h.units = units;
	h.nunits = 2;
	memset(&r, 0, sizeof(r));
	r.seq = 7;
	r.t_ns = 123456789;
	r.wall_ns = 1700000000000000000LL;
	r.ctrs = ctrs;
	r.nctrs = 2;
	r.irqs = irqs;
	r.nirqs = 1;
	r.hotplug = hp;
	r.nhotplug = 1;
	r.latency_text = (char *)"IOMMU: dmar0 Register Base Address: fed90000\n";
	r.kmsg_lost = 2;
	m.text_len = strlen(m.text);

	ii_act_format_header(&sb, &h);
	ii_act_format_kmsg(&sb, &m);
	ii_act_format_reading(&sb, &r);
	/* every line is ASCII: the log's bytes are escaped */
	for (size_t i = 0; i < sb.len; i++)
		CHECK((unsigned char)sb.buf[i] < 0x80);

	line = sb.buf;
	nl = strchr(line, '\n');
	CHECK_INT(ii_act_parse_line(line, (size_t)(nl - line), &l), II_ACTL_HEADER);
	CHECK_INT(l.hdr.schema_version, 1);
	CHECK_STR(l.hdr.kernel, "6.8.0");
	CHECK(l.hdr.live);
	CHECK(l.hdr.has_family[II_ACT_PMU] && !l.hdr.has_family[II_ACT_KMSG]);
	CHECK_INT(l.hdr.family[II_ACT_PMU].why, II_WHY_PARANOID);
	CHECK_INT(l.hdr.family[II_ACT_PMU].err, -13);
	CHECK_STR(l.hdr.family[II_ACT_PMU].detail, "kernel.perf_event_paranoid is 3");
	CHECK_INT(l.hdr.nunits, 2);
	CHECK(l.hdr.nunits == 2 && l.hdr.units[1].state.why == II_WHY_NO_PMU_HW &&
	      !strcmp(l.hdr.units[0].pmu, "dmar0"));
	ii_actl_free(&l);

	line = nl + 1;
	nl = strchr(line, '\n');
	CHECK_INT(ii_act_parse_line(line, (size_t)(nl - line), &l), II_ACTL_KMSG);
	CHECK_U64(l.kmsg.seq, 603);
	CHECK_U64(l.kmsg.usec, 9423946);
	CHECK_INT(l.kmsg.prio, 3);
	CHECK(l.kmsg.text_len == m.text_len && !memcmp(l.kmsg.text, m.text, m.text_len));
	CHECK_STR(l.kmsg.device, "+pci:0000:00:05.0");
	CHECK(l.kmsg.subsystem == NULL);
	ii_actl_free(&l);

	line = nl + 1;
	nl = strchr(line, '\n');
	CHECK_INT(ii_act_parse_line(line, (size_t)(nl - line), &l), II_ACTL_READING);
	CHECK_U64(l.rd.seq, 7);
	CHECK_INT(l.rd.t_ns, 123456789);
	CHECK_INT(l.rd.wall_ns, 1700000000000000000LL);
	CHECK_INT(l.rd.nctrs, 2);
	if (l.rd.nctrs == 2) {
		CHECK_INT(l.rd.ctrs[0].kind, II_CTR_IOTLB_LOOKUP);
		CHECK_U64(l.rd.ctrs[0].value, 12345678901234ULL);
		CHECK(l.rd.ctrs[0].ok && l.rd.ctrs[0].enabled_ns == 10 && l.rd.ctrs[0].running_ns == 5);
		CHECK(!l.rd.ctrs[1].ok && l.rd.ctrs[1].state.why == II_WHY_PARANOID);
		CHECK_STR(l.rd.ctrs[1].event, "iommu:map");
	}
	CHECK(l.rd.nirqs == 1 && l.rd.irqs[0].count == 16 && l.rd.irqs[0].irq == 24 && l.rd.irqs[0].fault);
	CHECK(l.rd.nhotplug == 1 && l.rd.hotplug[0].kind == II_HP_BIND &&
	      !strcmp(l.rd.hotplug[0].driver, "vfio-pci"));
	CHECK_STR(l.rd.latency_text, r.latency_text);
	CHECK_U64(l.rd.kmsg_lost, 2);
	ii_actl_free(&l);
	sb_free(&sb);
}

TEST(act_line_bad)
{
	static const char *const bad[] = {
		"garbage",
		"{\"type\":\"reading\",\"seq\":1,\"t_ns\":5,\"counters\":[{\"kind\":\"map\"",
		"[1,2,3]",
		"{\"seq\":1}",
		"{\"type\":\"what\"}",
		"{\"type\":\"reading\"}",
		"{\"type\":\"reading\",\"t_ns\":\"5\"}",
		"{\"type\":\"reading\",\"t_ns\":5,\"counters\":{}}",
		"{\"type\":\"reading\",\"t_ns\":5,\"counters\":[{\"kind\":\"map\",\"ok\":true}]}",
		"{\"type\":\"reading\",\"t_ns\":5,\"counters\":[{\"kind\":\"map\",\"ok\":true,\"value\":-1}]}",
		"{\"type\":\"reading\",\"t_ns\":5,\"irqs\":[{\"name\":\"x\"}]}",
		"{\"type\":\"reading\",\"t_ns\":5,\"latency\":5}",
		"{\"type\":\"header\"}",
		"{\"type\":\"header\",\"schema_version\":1,\"families\":[]}",
		"{\"type\":\"header\",\"schema_version\":1,\"units\":[{\"unit\":5}]}",
		"{\"type\":\"kmsg\",\"seq\":1}",
		"{\"type\":\"kmsg\",\"seq\":1,\"text\":\"x\",\"prio\":-1}",
		"{\"type\":\"reading\",\"t_ns\":5} trailing",
	};
	struct ii_actl l;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ii_act_parse_line(bad[i], strlen(bad[i]), &l) != II_ACTL_BAD)
			t_fail(__FILE__, __LINE__, "\"%s\" is not bad", bad[i]);
		CHECK(l.why != NULL);
		ii_actl_free(&l);
	}
	CHECK_INT(ii_act_parse_line("  \r", 3, &l), II_ACTL_BLANK);
	/* unknown kinds and keys of newer versions are left out, not errors */
	{
		const char *s = "{\"type\":\"reading\",\"t_ns\":5,\"new\":1,\"counters\":[{\"kind\":\"future\","
				"\"ok\":true,\"value\":1},{\"kind\":\"unmap\",\"ok\":false,\"why\":\"wormhole\"}],"
				"\"hotplug\":[{\"kind\":\"teleport\",\"device\":\"x\"}]}  ";

		CHECK_INT(ii_act_parse_line(s, strlen(s), &l), II_ACTL_READING);
		CHECK_INT(l.rd.nctrs, 1);
		CHECK(l.rd.nctrs == 1 && l.rd.ctrs[0].state.why == II_WHY_ERROR &&
		      !strcmp(l.rd.ctrs[0].state.detail, "wormhole"));
		CHECK_INT(l.rd.nhotplug, 0);
		ii_actl_free(&l);
	}
}

TEST(act_keys)
{
	enum ii_act_why w;
	enum ii_ctr_kind k;

	for (int i = 0; i < II_WHY_COUNT; i++) {
		CHECK(ii_act_why_parse(ii_act_why_key((enum ii_act_why)i), &w) && (int)w == i);
	}
	for (int i = 0; i < II_CTR_KINDS; i++)
		CHECK(ii_ctr_kind_parse(ii_ctr_kind_key((enum ii_ctr_kind)i), &k) && (int)k == i);
	CHECK_STR(ii_act_family_key(II_ACT_LATENCY), "latency");
	CHECK_STR(ii_act_why_key(II_WHY_PARANOID), "paranoid");
	CHECK_STR(ii_act_why_key((enum ii_act_why)99), "unknown");
	CHECK_STR(ii_hotplug_kind_key(II_HP_UNBIND), "unbind");
	CHECK(!ii_act_why_parse("nope", &w));
}
