// SPDX-License-Identifier: MIT
/* src/parse-proc.c: proc/version, proc/interrupts and proc/stat btime. */
#include <stdlib.h>

#include "fixture.h"
#include "parse.h"
#include "test.h"

static void irq_fixture(int line, const char *tree, unsigned lines, unsigned remapped,
			unsigned iommu_lines, unsigned long long iommu_irqs)
{
	struct ii_irq_counts c;
	char rel[128], *buf;

	snprintf(rel, sizeof(rel), "%s/proc/interrupts", tree);
	buf = fx_read(rel, NULL);
	if (!buf) {
		t_fail(__FILE__, line, "cannot read fixtures/%s", rel);
		return;
	}
	memset(&c, 0x5a, sizeof(c));
	ii_parse_interrupts(buf, &c);
	if (c.lines != lines || c.remapped != remapped || c.iommu_lines != iommu_lines ||
	    c.iommu_irqs != iommu_irqs)
		t_fail(__FILE__, line, "%s: lines %u remapped %u iommu_lines %u iommu_irqs %llu, "
		       "expected %u %u %u %llu", tree, c.lines, c.remapped, c.iommu_lines,
		       c.iommu_irqs, lines, remapped, iommu_lines, iommu_irqs);
	free(buf);
}

TEST(proc_interrupts_fixtures)
{
	/* numbered lines; "IR-IO-APIC"/"IR-PCI-MSI" lines; the IOMMU's own interrupt */
	irq_fixture(__LINE__, "intel-q35", 26, 25, 1, 0);      /* 24: DMAR-MSI dmar0, 0 + 0 */
	irq_fixture(__LINE__, "intel-faults", 26, 25, 1, 16);  /* 24: DMAR-MSI dmar0, 16 + 0 */
	irq_fixture(__LINE__, "intel-debugfs", 28, 27, 1, 16); /* 24: DMAR-MSI dmar0, 16 + 0 */
	/* 24: "PCI-MSI 32768-edge AMD-Vi": the chip is PCI-MSI, AMD-Vi is the handler's name */
	irq_fixture(__LINE__, "amd-q35", 26, 25, 1, 0);
	/* plain IO-APIC and PCI-MSI */
	irq_fixture(__LINE__, "no-iommu", 25, 0, 0, 0);
}

TEST(proc_interrupts_synthetic)
{
	struct ii_irq_counts c;

	ii_parse_interrupts("           CPU0       CPU1       CPU2       CPU3\n"
			    "  0:         10          0          0          0  IR-IO-APIC    2-edge      timer\n"
			    " 24:          3          4          5          6  DMAR-MSI    0-edge      dmar0\n"
			    " 25:          1          0          0          0  DMAR-MSI    1-edge      dmar1\n"
			    " 26:          0          0          0          0  IR-PCI-MSI 262144-edge      PCIe PME, aerdrv\n"
			    " 27:          7          0          0          0   PCI-MSI 32768-edge      AMD-Vi\n"
			    " 28:          1          1          0          0  AMD-Vi-MSI    0-edge      AMD-Vi0-Evt\n"
			    "NMI:          0          0          0          0   Non-maskable interrupts\n"
			    "ERR:          0\n"
			    "MIS:          0\n",
			    &c);
	CHECK_INT(c.lines, 6);
	CHECK_INT(c.remapped, 2);
	CHECK_INT(c.iommu_lines, 4);
	CHECK_U64(c.iommu_irqs, 18 + 1 + 7 + 2);
}

TEST(proc_interrupts_edge_cases)
{
	struct ii_irq_counts c;

	ii_parse_interrupts("", &c);
	CHECK_INT(c.lines, 0);
	CHECK_INT(c.remapped, 0);
	CHECK_INT(c.iommu_lines, 0);
	CHECK_U64(c.iommu_irqs, 0);
	/* no newline at the end; a line with no counts; a chip name too long to keep */
	ii_parse_interrupts(" 1: IR-IO-APIC\n"
			    " 2:\n"
			    " 3: 5 IR-" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
			    " 4: 1 2 DMAR-MSI 0-edge dmar0",
			    &c);
	CHECK_INT(c.lines, 4);
	CHECK_INT(c.remapped, 2);
	CHECK_INT(c.iommu_lines, 1);
	CHECK_U64(c.iommu_irqs, 3);
	/* a number without a colon is not an IRQ line; "DMAR-MSI-X" is not DMAR-MSI */
	ii_parse_interrupts("12 IR-IO-APIC\n 5: 9 DMAR-MSIX 0-edge x\n", &c);
	CHECK_INT(c.lines, 1);
	CHECK_INT(c.remapped, 0);
	CHECK_INT(c.iommu_lines, 0);
}

TEST(proc_linux_version)
{
	char *v, *buf;

	v = ii_parse_linux_version("Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) "
				   "(gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0) #1 SMP\n");
	CHECK_STR(v, "6.1.0-56-amd64");
	free(v);
	v = ii_parse_linux_version("Linux version 6.8.0\n");
	CHECK_STR(v, "6.8.0");
	free(v);
	v = ii_parse_linux_version("Linux version 7.2.0-rc1");
	CHECK_STR(v, "7.2.0-rc1");
	free(v);
	v = ii_parse_linux_version("Linux version 6.1.0\t(x)");
	CHECK_STR(v, "6.1.0");
	free(v);
	CHECK(ii_parse_linux_version(NULL) == NULL);
	CHECK(ii_parse_linux_version("") == NULL);
	CHECK(ii_parse_linux_version("Linux version ") == NULL);
	CHECK(ii_parse_linux_version("Linux version \n") == NULL);
	CHECK(ii_parse_linux_version("Linux version  6.1") == NULL);
	CHECK(ii_parse_linux_version("linux version 6.1.0") == NULL);
	CHECK(ii_parse_linux_version(" Linux version 6.1.0") == NULL);
	CHECK(ii_parse_linux_version("Linux 6.1.0") == NULL);

	buf = fx_read("intel-q35/proc/version", NULL);
	CHECK(buf != NULL);
	if (buf) {
		v = ii_parse_linux_version(buf);
		CHECK_STR(v, "6.1.0-56-amd64");
		CHECK_INT(ii_parse_kver(v), 6001);
		free(v);
		free(buf);
	}
	buf = fx_read("intel-debugfs/proc/version", NULL);
	CHECK(buf != NULL);
	if (buf) {
		v = ii_parse_linux_version(buf);
		CHECK_STR(v, "6.1.192-iommudbg");
		free(v);
		free(buf);
	}
}

TEST(proc_stat_btime)
{
	long long t = -1;

	CHECK(ii_parse_btime("cpu  1 2 3\nintr 5 0\nctxt 9\nbtime 1795000000\nprocesses 7\n", &t));
	CHECK_U64(t, 1795000000);
	t = -1;
	CHECK(ii_parse_btime("btime 1795000001", &t));
	CHECK_U64(t, 1795000001);
	t = 42;
	CHECK(!ii_parse_btime("cpu 1\nctxt 9\n", &t));
	CHECK(!ii_parse_btime("", &t));
	CHECK(!ii_parse_btime("btime \n", &t));
	CHECK(!ii_parse_btime("btime 12x\n", &t));
	CHECK(!ii_parse_btime("btime -5\n", &t));
	CHECK(!ii_parse_btime("xbtime 5\n", &t));
	CHECK_U64(t, 42);
}
