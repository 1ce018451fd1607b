// SPDX-License-Identifier: MIT
/* src/parse-logtext.c: the prefixes of dmesg, journalctl and syslog lines. */
#include <stdlib.h>

#include "logtext.h"
#include "test.h"

static struct ii_textline t;
static const char *cur;

static const char *msg(const char *line)
{
	cur = line;
	ii_parse_textline(line, strlen(line), &t);
	return line + t.msg;
}

static const char *wall(void)
{
	static char buf[48];

	ii_walltime_format(&t.wall, buf, sizeof(buf));
	return buf;
}

TEST(logtext_dmesg)
{
	CHECK_STR(msg("[    9.423946] DMAR: [DMA Read NO_PASID] x"), "DMAR: [DMA Read NO_PASID] x");
	CHECK(t.has_usec);
	CHECK_U64(t.usec, 9423946);
	CHECK(!t.wall.valid);
	CHECK(t.kernel);
	CHECK_INT(t.prio, -1);
	CHECK_STR(msg("[123456.000001] x"), "x");
	CHECK_U64(t.usec, 123456000001ull);
	/* -d: the delta in angle brackets */
	CHECK_STR(msg("[    9.423946 <    0.000297>] x"), "x");
	CHECK_U64(t.usec, 9423946);
	/* -r and -x: the priority */
	CHECK_STR(msg("<3>[    9.423946] x"), "x");
	CHECK_INT(t.prio, 3);
	CHECK_STR(msg("<12>x"), "x");
	CHECK_INT(t.prio, 4);
	CHECK_STR(msg("kern  :err   : [    9.423946] x"), "x");
	CHECK_INT(t.prio, 3);
	CHECK_U64(t.usec, 9423946);
	CHECK_STR(msg("kern  :info  : y"), "y");
	CHECK_INT(t.prio, 6);
	/* -t: nothing; a bracket that is not a time belongs to the message */
	CHECK_STR(msg("DMAR: x"), "DMAR: x");
	CHECK(!t.has_usec && !t.wall.valid && !t.indented);
	CHECK_STR(msg("[drm] Initialized bochs-drm"), "[drm] Initialized bochs-drm");
	CHECK_STR(msg("[    9.42] x"), "[    9.42] x");
	CHECK_STR(msg("[Firmware Bug]: x"), "[Firmware Bug]: x");
}

TEST(logtext_dates)
{
	/* -T */
	CHECK_STR(msg("[Sun Nov 22 04:40:08 2026] DMAR: x"), "DMAR: x");
	CHECK(t.wall.valid && !t.has_usec);
	CHECK_STR(wall(), "2026-11-22T04:40:08");
	CHECK_STR(msg("[Mon Dec  1 00:00:01 2025] x"), "x");
	CHECK_STR(wall(), "2025-12-01T00:00:01");
	/* --time-format iso: a comma, no host */
	CHECK_STR(msg("2026-11-22T04:40:08,900900+00:00 nvme 0000:03:00.0: AMD-Vi: x"),
		  "nvme 0000:03:00.0: AMD-Vi: x");
	CHECK_STR(wall(), "2026-11-22T04:40:08.900900+00:00");
	CHECK(t.kernel);
	/* reltime */
	CHECK_STR(msg("[Nov22 04:41] x"), "x");
	CHECK_STR(wall(), "Nov 22 04:41:00");
	CHECK_STR(msg("[  +0.000297] x"), "x");
	CHECK(!t.wall.valid && !t.has_usec);
}

TEST(logtext_journal_syslog)
{
	CHECK_STR(msg("Nov 22 04:40:08 testhost kernel: DMAR: x"), "DMAR: x");
	CHECK_STR(wall(), "Nov 22 04:40:08");
	CHECK(t.kernel && t.syslog);
	CHECK_STR(msg("Nov  2 04:40:08.900900 testhost kernel: x"), "x");
	CHECK_STR(wall(), "Nov  2 04:40:08.900900");
	CHECK_STR(msg("2026-11-22T04:40:08+0000 testhost kernel: x"), "x");
	CHECK_STR(wall(), "2026-11-22T04:40:08+00:00");
	CHECK_STR(msg("2026-11-22T04:40:08.900900-05:30 testhost kernel: x"), "x");
	CHECK_INT(t.wall.tz_min, -330);
	CHECK_STR(msg("Sun 2026-11-22 04:40:08 UTC testhost kernel: x"), "x");
	CHECK_STR(wall(), "2026-11-22T04:40:08");
	/* rsyslog keeps the kernel's timestamp */
	CHECK_STR(msg("2026-11-22T04:40:08.900900+00:00 testhost kernel: [    8.900900] DMAR: x"),
		  "DMAR: x");
	CHECK(t.has_usec && t.wall.valid);
	CHECK_U64(t.usec, 8900900);
	/* short-monotonic */
	CHECK_STR(msg("[    8.900900] testhost kernel: DMAR: x"), "DMAR: x");
	CHECK(t.has_usec);
	/* a dmesg line whose message looks like "host tag:" is left alone */
	CHECK_STR(msg("[    8.900900] iommu ivhd0: AMD-Vi: x"), "iommu ivhd0: AMD-Vi: x");
	/* other programs and journal markers */
	msg("Nov 22 04:40:08 testhost systemd[1]: Started x.");
	CHECK(!t.kernel);
	msg("Nov 22 04:40:08 testhost kernel[0]: x");
	CHECK(t.kernel);
	msg("-- Boot 0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5f --");
	CHECK(!t.kernel);
	msg("-- Logs begin at Sun 2026-11-22 04:40:00 UTC. --");
	CHECK(!t.kernel);
}

TEST(logtext_continuations)
{
	CHECK_STR(msg("               DMAR:[fault reason 06] x"), "DMAR:[fault reason 06] x");
	CHECK(t.indented);
	CHECK_STR(msg("\tx"), "x");
	CHECK(t.indented);
	CHECK_STR(msg("[    1.000000]     cap_scenario=x"), "    cap_scenario=x");
	CHECK(!t.indented);
	CHECK_STR(msg("x\r\n"), "x\r\n");
	CHECK_INT(t.msg, 0);
}

TEST(logtext_any_bytes)
{
	const char *lines[] = { "[", "[ 1", "[ 1.", "[ 1.000000", "[Sun", "[Sun Nov 22 04:40:08",
				"Nov 22 04:40", "2026-11-22T04:40:0", "<", "<3", "kern  :", "Nov 22 04:40:08 h",
				"[Nov22 04:41", "2026-99-22T04:40:08 x", "[Sun Nov 32 04:40:08 2026] x" };

	for (size_t i = 0; i < II_ARRAY_SIZE(lines); i++) {
		size_t n = strlen(lines[i]);
		char *copy = malloc(n ? n : 1);

		memcpy(copy, lines[i], n);
		ii_parse_textline(copy, n, &t);
		if (t.msg > n)
			t_fail(__FILE__, __LINE__, "message offset beyond the line: %s", lines[i]);
		free(copy);
	}
	msg("[Sun Nov 32 04:40:08 2026] x");
	CHECK(!t.wall.valid);
	CHECK_INT(t.msg, 0);
	(void)cur;
}

/* What real pastes look like (fixtures/logs/real/). */
TEST(logtext_pasted_prefixes)
{
	/* a syslog that lost the "[" of the kernel's time */
	CHECK_STR(msg("2014-04-25T09:37:53.595431+01:00 kvmhost kernel:     8.490171] dmar: x"),
		  "dmar: x");
	CHECK(t.has_usec && t.wall.valid && t.kernel);
	CHECK_U64(t.usec, 8490171);
	/* "kernel:" before or after the time, without the host */
	CHECK_STR(msg("kernel: [   13.134460] AMD-Vi: Event logged ["), "AMD-Vi: Event logged [");
	CHECK(t.has_usec);
	CHECK_U64(t.usec, 13134460);
	CHECK_STR(msg("[    0.929869] kernel: DMAR: x"), "DMAR: x");
	CHECK_U64(t.usec, 929869);
	/* the host removed, two spaces left */
	CHECK_STR(msg("Dec  8 10:02:17  kernel: AMD-Vi: x"), "AMD-Vi: x");
	CHECK(t.kernel && t.wall.valid);
	/* CONFIG_PRINTK_CALLER and a vendor's caller */
	CHECK_STR(msg("[  116.882012][    C0] arm-smmu x: y"), "arm-smmu x: y");
	CHECK_U64(t.usec, 116882012);
	CHECK_STR(msg("[  116.912401][  T207] q"), "q");
	CHECK_STR(msg("[    7.471032] [pid:134,cpu0,irq/13-arm-smmu]arm-smmu-v3 a: b"), "arm-smmu-v3 a: b");
	CHECK_STR(msg("[    0.418959,2] msm_iommu_ctx x"), "msm_iommu_ctx x");
	CHECK_U64(t.usec, 418959);
	/* a ramdump */
	CHECK_STR(msg("0x000000000277BBFA |   1263.468579:   arm-smmu 15000000.iommu: x"),
		  "arm-smmu 15000000.iommu: x");
	CHECK_U64(t.usec, 1263468579);
	/* indented and between backticks */
	CHECK_STR(msg("    [10672.868940] DMAR: x"), "DMAR: x");
	CHECK(!t.indented && t.has_usec);
	msg("`DMAR: DRHD: handling fault status reg 102");
	CHECK_INT(t.msg, 1);
	CHECK(!t.indented);
	msg("000: DMAR: x`");
	CHECK_INT(t.msg_end, 12);
	/* records joined into one line after white space */
	msg("[   16.363388] *** gpu fault     [   16.363414] qcom-iommu-ctx x: y");
	CHECK_INT(t.msg_end, 28);
	CHECK_INT(t.next, 33);
	msg("[   16.363414] qcom-iommu-ctx x: y");
	CHECK_INT(t.next, 0);
	/* a time inside a message that is not after white space stays */
	msg("[    1.000000] x[    2.000000] y");
	CHECK_INT(t.next, 0);
	/* not a host and tag: left alone */
	CHECK_STR(msg("[    8.900900] iommu ivhd0: AMD-Vi: x"), "iommu ivhd0: AMD-Vi: x");
	CHECK_STR(msg("[    8.900900] kernelx: y"), "kernelx: y");
}

/*
 * The one-pass path for plain dmesg lines (plain_dmesg) and the lines at its
 * edges, which the general path takes: each gives what it gave before.
 */
TEST(logtext_plain_dmesg_edges)
{
	char longword[400];

	/* taken in one pass */
	CHECK_STR(msg("[    1.001003] DMAR: DRHD: handling fault status reg 2"),
		  "DMAR: DRHD: handling fault status reg 2");
	CHECK(t.has_usec && t.kernel && !t.indented && !t.wall.valid && !t.syslog);
	CHECK_U64(t.usec, 1001003);
	CHECK_INT(t.prio, -1);
	CHECK_STR(msg("[999999999999.999999] x"), "x");
	CHECK_U64(t.usec, 999999999999999999ull);
	/* CR, CRLF and a newline at the end are not the message's */
	msg("[    1.000000] DMAR: x\r\n");
	CHECK_INT(t.msg_end, 22);
	msg("[    1.000000] DMAR: x\r\r");
	CHECK_INT(t.msg_end, 22);
	/* thirteen digits: not a time */
	CHECK_STR(msg("[1234567890123.000000] x"), "[1234567890123.000000] x");
	CHECK(!t.has_usec);
	/* five or seven digits of fraction: not a time; seven: not either */
	CHECK_STR(msg("[    1.00000] x"), "[    1.00000] x");
	CHECK_STR(msg("[    1.0000000] x"), "[    1.0000000] x");
	/* no space after the bracket, or nothing after it */
	CHECK_STR(msg("[    1.000000]x"), "x");
	CHECK_U64(t.usec, 1000000);
	msg("[    1.000000] ");
	CHECK_INT(t.msg, 15);
	CHECK_INT(t.msg_end, 15);
	msg("[    1.000000]");
	CHECK(t.has_usec);
	CHECK_INT(t.msg, 14);
	/* a caller, "kernel:" and "host kernel:" after the time: the general path */
	CHECK_STR(msg("[    1.000000] [    C1] x"), "x");
	CHECK_STR(msg("[    1.000000] kernel: x"), "x");
	CHECK_STR(msg("[    1.000000] kernelfoo x"), "kernelfoo x");
	CHECK_STR(msg("[    1.000000] myhost kernel: x"), "x");
	CHECK_STR(msg("[    1.000000] myhost: kernel: x"), "myhost: kernel: x");
	CHECK_STR(msg("[    1.000000] myhost kernel"), "myhost kernel");
	/* a first word longer than the 256 bytes looked at for a host */
	memset(longword, 'a', sizeof(longword));
	memcpy(longword, "[    1.000000] ", 15);
	memcpy(longword + 15 + 300, " kernel: x", 11);
	msg(longword);
	CHECK_INT(t.msg, 15);
	/* a NUL in the message is a byte like the others (the length says where it ends) */
	{
		const char l[] = "[    1.000000] DMAR:\0x [    2.000000] y";
		ii_parse_textline(l, sizeof(l) - 1, &t);
		CHECK_INT(t.msg, 15);
		CHECK_INT(t.next, 23);
		CHECK_INT(t.msg_end, 22);
	}
	/* backticks that close a paste */
	msg("[    1.000000] DMAR: x``");
	CHECK_INT(t.msg_end, 22);
	/* a joined record after a tab */
	msg("[    1.000000] a\t[    2.000000] b");
	CHECK_INT(t.msg_end, 16);
	CHECK_INT(t.next, 17);
}
