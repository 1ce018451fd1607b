// SPDX-License-Identifier: MIT
/* src/parse-bootlog.c: facts stated by boot log lines (kernel-interfaces §5.3, §5.6, §9.2). */
#include <stdlib.h>

#include "fixture.h"
#include "parse.h"
#include "test.h"

static void feed(struct ii_logfacts *f, uint64_t seq, const char *text)
{
	struct ii_kmsg m = { .prio = 6, .seq = seq, .text = (char *)text };

	ii_logfacts_feed(f, &m);
}

/* A fact's line: its text and sequence number, or absent (want NULL). */
static void line(int ln, const char *what, const struct ii_logline *l, const char *want, uint64_t seq)
{
	if (!want) {
		if (l->text)
			t_fail(__FILE__, ln, "%s: expected no line, got \"%s\"", what, l->text);
		return;
	}
	if (!l->text || strcmp(l->text, want))
		t_fail(__FILE__, ln, "%s: \"%s\" != \"%s\"", what, l->text ? l->text : "(null)", want);
	if (l->seq != seq)
		t_fail(__FILE__, ln, "%s: seq %" PRIu64 " != %" PRIu64, what, l->seq, seq);
}

#define LINE(l, want, seq) line(__LINE__, #l, &(l), want, seq)

TEST(bootlog_empty)
{
	struct ii_logfacts f = { 0 };

	feed(&f, 7, "");
	feed(&f, 3, NULL);
	CHECK_INT(f.records, 2);
	CHECK(f.have_first_seq);
	CHECK_U64(f.first_seq, 3);
	LINE(f.default_domain, NULL, 0);
	CHECK(f.default_domain_word == NULL);
	ii_logfacts_free(&f);
	CHECK_INT(f.records, 0);
	CHECK(!f.have_first_seq);
}

TEST(bootlog_default_domain_variants)
{
	/* §5.6: 5.4 to 6.1 add a space and an empty suffix, 6.8 and later do not */
	static const struct {
		const char *text, *word;
		bool cmdline;
	} cases[] = {
		{ "iommu: Default domain type: Translated ", "Translated", false },
		{ "iommu: Default domain type: Translated", "Translated", false },
		{ "iommu: Default domain type: Translated (set via kernel command line)", "Translated", true },
		{ "iommu: Default domain type: Passthrough (set via kernel command line)", "Passthrough", true },
		{ "iommu: Default domain type: Passthrough ", "Passthrough", false },
		{ "iommu: Default domain type: Passthrough", "Passthrough", false },
		{ "iommu: Default domain type: Blocked ", "Blocked", false },
		{ "iommu: Default domain type: Unmanaged", "Unmanaged", false },
		{ "iommu: Default domain type: Platform", "Platform", false },
		{ "iommu: Default domain type: Unknown ", "Unknown", false },
		{ "iommu: Default domain type: Translated\t", "Translated", false },
		{ "iommu: Default domain type: Passthrough(set via kernel command line)", "Passthrough", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ii_logfacts f = { 0 };

		feed(&f, 352 + i, cases[i].text);
		LINE(f.default_domain, cases[i].text, 352 + i);
		CHECK_STR(f.default_domain_word, cases[i].word);
		if (f.default_domain_cmdline != cases[i].cmdline)
			t_fail(__FILE__, __LINE__, "\"%s\": cmdline %d", cases[i].text,
			       f.default_domain_cmdline);
		ii_logfacts_free(&f);
	}
}

TEST(bootlog_default_domain_later_wins)
{
	struct ii_logfacts f = { 0 };

	feed(&f, 10, "iommu: Default domain type: Passthrough (set via kernel command line)");
	feed(&f, 20, "iommu: Default domain type: Translated ");
	LINE(f.default_domain, "iommu: Default domain type: Translated ", 20);
	CHECK_STR(f.default_domain_word, "Translated");
	CHECK(!f.default_domain_cmdline);
	/* not the line: another prefix or a different message */
	feed(&f, 30, "iommu: Default domain type Passthrough");
	feed(&f, 31, "DMAR: iommu: Default domain type: Passthrough");
	CHECK_STR(f.default_domain_word, "Translated");
	ii_logfacts_free(&f);
}

TEST(bootlog_policy)
{
	struct ii_logfacts f = { 0 };

	/* intel-q35 (6.1, iommu.strict=1) */
	feed(&f, 357, "iommu: DMA domain TLB invalidation policy: strict mode (set via kernel command line)");
	LINE(f.policy, "iommu: DMA domain TLB invalidation policy: strict mode (set via kernel command line)", 357);
	CHECK_STR(f.policy_word, "strict");
	CHECK(f.policy_cmdline);
	/* no-iommu (6.1, no option): trailing space */
	feed(&f, 351, "iommu: DMA domain TLB invalidation policy: lazy mode ");
	CHECK_STR(f.policy_word, "lazy");
	CHECK(!f.policy_cmdline);
	LINE(f.policy, "iommu: DMA domain TLB invalidation policy: lazy mode ", 351);
	/* 6.8: no trailing space */
	feed(&f, 400, "iommu: DMA domain TLB invalidation policy: lazy mode");
	CHECK_STR(f.policy_word, "lazy");
	CHECK(!f.policy_cmdline);
	feed(&f, 401, "iommu: DMA domain TLB invalidation policy: strict mode (set via kernel command line)");
	CHECK_STR(f.policy_word, "strict");
	CHECK(f.policy_cmdline);
	/* the policy line says nothing about the default domain */
	LINE(f.default_domain, NULL, 0);
	CHECK(f.default_domain_word == NULL);
	ii_logfacts_free(&f);
}

TEST(bootlog_forced_strict)
{
	struct ii_logfacts f = { 0 };

	feed(&f, 465, "DMAR: IOMMU batching disallowed due to virtualization");
	LINE(f.forced_strict, "DMAR: IOMMU batching disallowed due to virtualization", 465);
	ii_logfacts_free(&f);
	feed(&f, 455, "AMD-Vi: Using strict mode due to virtualization");
	LINE(f.forced_strict, "AMD-Vi: Using strict mode due to virtualization", 455);
	/* a line that mentions virtualization for something else */
	feed(&f, 456, "Performance Events: PMU not available due to virtualization, using software events only.");
	LINE(f.forced_strict, "AMD-Vi: Using strict mode due to virtualization", 455);
	ii_logfacts_free(&f);
}

TEST(bootlog_interrupt_remapping)
{
	struct ii_logfacts f = { 0 };

	feed(&f, 117, "DMAR-IR: Enabled IRQ remapping in xapic mode");
	LINE(f.ir, "DMAR-IR: Enabled IRQ remapping in xapic mode", 117);
	CHECK_STR(f.ir_mode, "xapic");
	feed(&f, 118, "DMAR-IR: Enabled IRQ remapping in x2apic mode");
	LINE(f.ir, "DMAR-IR: Enabled IRQ remapping in x2apic mode", 118);
	CHECK_STR(f.ir_mode, "x2apic");
	LINE(f.ir_disabled, NULL, 0);
	ii_logfacts_free(&f);

	/* AMD states no mode */
	feed(&f, 482, "AMD-Vi: Interrupt remapping enabled");
	LINE(f.ir, "AMD-Vi: Interrupt remapping enabled", 482);
	CHECK(f.ir_mode == NULL);
	/* the IOAPIC line is not the enable line */
	feed(&f, 483, "DMAR-IR: IOAPIC id 0 under DRHD base  0xfed90000 IOMMU 0");
	LINE(f.ir, "AMD-Vi: Interrupt remapping enabled", 482);
	ii_logfacts_free(&f);
}

TEST(bootlog_vtd_and_dmar_lines)
{
	struct ii_logfacts f = { 0 };

	feed(&f, 488, "DMAR: Intel(R) Virtualization Technology for Directed I/O");
	LINE(f.vtd_init, "DMAR: Intel(R) Virtualization Technology for Directed I/O", 488);
	feed(&f, 86, "DMAR: IOMMU enabled");
	LINE(f.dmar_enabled, "DMAR: IOMMU enabled", 86);
	LINE(f.dmar_disabled, NULL, 0);
	feed(&f, 87, "DMAR: IOMMU disabled");
	LINE(f.dmar_disabled, "DMAR: IOMMU disabled", 87);
	feed(&f, 113, "DMAR: Host address width 39");
	LINE(f.dmar_haw, "DMAR: Host address width 39", 113);
	/* printed once at boot: the first is kept */
	feed(&f, 900, "DMAR: Host address width 46");
	LINE(f.dmar_haw, "DMAR: Host address width 39", 113);
	ii_logfacts_free(&f);
}

TEST(bootlog_dmar_enabled_exact)
{
	struct ii_logfacts f = { 0 };

	/* trailing white space is allowed */
	feed(&f, 1, "DMAR: IOMMU enabled ");
	LINE(f.dmar_enabled, "DMAR: IOMMU enabled ", 1);
	feed(&f, 2, "DMAR: IOMMU enabled\t\r\n");
	LINE(f.dmar_enabled, "DMAR: IOMMU enabled\t\r\n", 2);
	ii_logfacts_free(&f);
	/* longer messages are not the echo of intel_iommu=on */
	feed(&f, 3, "DMAR: IOMMU enabled on this machine");
	feed(&f, 4, "DMAR: IOMMU enabledx");
	feed(&f, 5, "DMAR: IOMMU disabled for graphics");
	feed(&f, 6, "DMAR: IOMMU");
	LINE(f.dmar_enabled, NULL, 0);
	LINE(f.dmar_disabled, NULL, 0);
	ii_logfacts_free(&f);
}

TEST(bootlog_amd_extended_features)
{
	struct ii_logfacts f = { 0 };

	/* amd-q35 (6.1) */
	feed(&f, 481, "AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE");
	LINE(f.amd_features, "AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE", 481);
	CHECK(f.amd_efr_valid);
	CHECK_U64(f.amd_efr, 0x29d3);
	CHECK_U64(f.amd_efr2, 0);
	ii_logfacts_free(&f);

	/* names split off into a continuation record: the values are all there */
	feed(&f, 1, "AMD-Vi: Extended features (0x246577efa2254afa, 0x10):");
	CHECK(f.amd_efr_valid);
	CHECK_U64(f.amd_efr, 0x246577efa2254afa);
	CHECK_U64(f.amd_efr2, 0x10);
	ii_logfacts_free(&f);

	/* malformed: the values are not valid */
	feed(&f, 2, "AMD-Vi: Extended features (0x29d3):");
	CHECK(!f.amd_efr_valid);
	ii_logfacts_free(&f);
	feed(&f, 2, "AMD-Vi: Extended features (0x29d3, ):");
	CHECK(!f.amd_efr_valid);
	ii_logfacts_free(&f);
	feed(&f, 2, "AMD-Vi: Extended features (zz, 0x0):");
	CHECK(!f.amd_efr_valid);
	ii_logfacts_free(&f);
	feed(&f, 2, "AMD-Vi: Extended features (0x29d3, 0x0");
	CHECK(!f.amd_efr_valid);
	ii_logfacts_free(&f);
}

TEST(bootlog_amd_extended_features_first_kept)
{
	struct ii_logfacts f = { 0 };

	/* printed once at boot: the values belong to the line that is kept */
	feed(&f, 481, "AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE");
	feed(&f, 900, "AMD-Vi: Extended features (0x1, 0x2):");
	LINE(f.amd_features, "AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE", 481);
	CHECK(f.amd_efr_valid);
	CHECK_U64(f.amd_efr, 0x29d3);
	CHECK_U64(f.amd_efr2, 0);
	feed(&f, 901, "AMD-Vi: Extended features (0x5):");
	CHECK(f.amd_efr_valid);
	CHECK_U64(f.amd_efr, 0x29d3);
	ii_logfacts_free(&f);
}

TEST(bootlog_other_lines)
{
	struct ii_logfacts f = { 0 };
	static const char lv[] = "Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP";
	static const char cl[] = "Kernel command line: console=ttyS0 intel_iommu=on iommu.strict=1 ";

	feed(&f, 0, lv);
	feed(&f, 1, "Command line: console=ttyS0 intel_iommu=on iommu.strict=1 ");
	feed(&f, 85, cl);
	feed(&f, 86, "Linux version 9.9");
	feed(&f, 87, "Kernel command line: later");
	LINE(f.linux_version, lv, 0);
	LINE(f.cmdline, cl, 85);
	feed(&f, 480, "pci 0000:00:02.0: AMD-Vi: Found IOMMU cap 0x40");
	feed(&f, 490, "pci 0000:00:03.0: AMD-Vi: Found IOMMU cap 0x40");
	LINE(f.amd_init, "pci 0000:00:02.0: AMD-Vi: Found IOMMU cap 0x40", 480);
	feed(&f, 500, "arm-smmu-v3 arm-smmu-v3.0.auto: ias 48-bit, oas 48-bit (features 0x00000fef)");
	LINE(f.smmu, "arm-smmu-v3 arm-smmu-v3.0.auto: ias 48-bit, oas 48-bit (features 0x00000fef)", 500);
	ii_logfacts_free(&f);
	feed(&f, 501, "arm-smmu 2b400000.smmu: probing hardware configuration...");
	LINE(f.smmu, "arm-smmu 2b400000.smmu: probing hardware configuration...", 501);
	ii_logfacts_free(&f);
	feed(&f, 502, "arm-smmu 2b400000.smmu: ias 48-bit");
	LINE(f.smmu, NULL, 0);
	ii_logfacts_free(&f);
}

TEST(bootlog_records_and_first_seq)
{
	struct ii_logfacts f = { 0 };

	feed(&f, 500, "x");
	feed(&f, 200, "y");
	feed(&f, 300, "z");
	CHECK_INT(f.records, 3);
	CHECK(f.have_first_seq);
	CHECK_U64(f.first_seq, 200);
	ii_logfacts_free(&f);
	feed(&f, 0, "x");
	feed(&f, 5, "x");
	CHECK_U64(f.first_seq, 0);
	ii_logfacts_free(&f);
}

/* Everything a whole recorded boot log states. */
static bool feed_fixture(const char *tree, struct ii_logfacts *f)
{
	char rel[128], *buf;
	size_t len, off = 0;

	snprintf(rel, sizeof(rel), "%s/dev/kmsg", tree);
	buf = fx_read(rel, &len);
	if (!buf) {
		t_fail(__FILE__, __LINE__, "cannot read fixtures/%s", rel);
		return false;
	}
	while (off < len) {
		size_t n = ii_kmsg_record_len(buf + off, len - off);
		struct ii_kmsg m;

		if (ii_parse_kmsg(buf + off, n, &m) == 0)
			ii_logfacts_feed(f, &m);
		ii_kmsg_free(&m);
		off += n;
	}
	free(buf);
	return true;
}

TEST(bootlog_fixture_intel_q35)
{
	struct ii_logfacts f = { 0 };

	if (!feed_fixture("intel-q35", &f))
		return;
	CHECK_INT(f.records, 600);
	CHECK_U64(f.first_seq, 0);
	CHECK(f.linux_version.text && str_starts(f.linux_version.text, "Linux version 6.1.0-56-amd64 "));
	CHECK(f.cmdline.text && strstr(f.cmdline.text, " intel_iommu=on iommu.strict=1 "));
	CHECK_U64(f.cmdline.seq, 85);
	LINE(f.default_domain, "iommu: Default domain type: Translated ", 356);
	CHECK_STR(f.default_domain_word, "Translated");
	CHECK(!f.default_domain_cmdline);
	CHECK_STR(f.policy_word, "strict");
	CHECK(f.policy_cmdline);
	CHECK_U64(f.policy.seq, 357);
	LINE(f.forced_strict, "DMAR: IOMMU batching disallowed due to virtualization", 465);
	LINE(f.ir, "DMAR-IR: Enabled IRQ remapping in xapic mode", 117);
	CHECK_STR(f.ir_mode, "xapic");
	LINE(f.vtd_init, "DMAR: Intel(R) Virtualization Technology for Directed I/O", 488);
	LINE(f.dmar_enabled, "DMAR: IOMMU enabled", 86);
	LINE(f.dmar_disabled, NULL, 0);
	LINE(f.dmar_haw, "DMAR: Host address width 39", 113);
	LINE(f.amd_features, NULL, 0);
	CHECK(!f.amd_efr_valid);
	LINE(f.amd_init, NULL, 0);
	LINE(f.smmu, NULL, 0);
	ii_logfacts_free(&f);
}

TEST(bootlog_fixture_amd_q35)
{
	struct ii_logfacts f = { 0 };

	if (!feed_fixture("amd-q35", &f))
		return;
	CHECK_INT(f.records, 594);
	CHECK(f.cmdline.text && strstr(f.cmdline.text, " iommu=pt "));
	LINE(f.default_domain, "iommu: Default domain type: Passthrough (set via kernel command line)", 352);
	CHECK_STR(f.default_domain_word, "Passthrough");
	CHECK(f.default_domain_cmdline);
	LINE(f.policy, NULL, 0);
	CHECK(f.policy_word == NULL);
	LINE(f.forced_strict, "AMD-Vi: Using strict mode due to virtualization", 455);
	LINE(f.ir, "AMD-Vi: Interrupt remapping enabled", 482);
	CHECK(f.ir_mode == NULL);
	LINE(f.amd_features, "AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE", 481);
	CHECK(f.amd_efr_valid);
	CHECK_U64(f.amd_efr, 0x29d3);
	CHECK_U64(f.amd_efr2, 0);
	LINE(f.amd_init, "pci 0000:00:02.0: AMD-Vi: Found IOMMU cap 0x40", 480);
	LINE(f.vtd_init, NULL, 0);
	LINE(f.dmar_enabled, NULL, 0);
	LINE(f.dmar_haw, NULL, 0);
	ii_logfacts_free(&f);
}

TEST(bootlog_fixture_no_iommu)
{
	struct ii_logfacts f = { 0 };

	if (!feed_fixture("no-iommu", &f))
		return;
	CHECK_INT(f.records, 565);
	/* intel_iommu=on is echoed although there is no DMAR table (§9.2) */
	LINE(f.dmar_enabled, "DMAR: IOMMU enabled", 82);
	LINE(f.default_domain, "iommu: Default domain type: Translated ", 350);
	CHECK_STR(f.default_domain_word, "Translated");
	LINE(f.policy, "iommu: DMA domain TLB invalidation policy: lazy mode ", 351);
	CHECK_STR(f.policy_word, "lazy");
	CHECK(!f.policy_cmdline);
	LINE(f.dmar_haw, NULL, 0);
	LINE(f.vtd_init, NULL, 0);
	LINE(f.ir, NULL, 0);
	LINE(f.forced_strict, NULL, 0);
	LINE(f.amd_features, NULL, 0);
	ii_logfacts_free(&f);
}

TEST(bootlog_fixture_intel_faults_and_debugfs)
{
	static const char *const trees[] = { "intel-faults", "intel-debugfs" };
	static const uint64_t haw[] = { 111, 106 }, vtd[] = { 490, 436 };

	for (size_t i = 0; i < 2; i++) {
		struct ii_logfacts f = { 0 };

		if (!feed_fixture(trees[i], &f))
			return;
		LINE(f.dmar_haw, "DMAR: Host address width 39", haw[i]);
		LINE(f.vtd_init, "DMAR: Intel(R) Virtualization Technology for Directed I/O", vtd[i]);
		CHECK_STR(f.ir_mode, "xapic");
		CHECK_STR(f.policy_word, "strict");
		CHECK(f.policy_cmdline);
		CHECK(f.forced_strict.text != NULL);
		ii_logfacts_free(&f);
	}
}

/* Devices the driver core still held back when it stopped waiting (a missing IOMMU driver):
 * the first line is kept, all are counted (6.12 adds the reason, 5.x and 6.1 do not). */
TEST(bootlog_deferred_probe)
{
	struct ii_logfacts f = { 0 };

	feed(&f, 559, "pci 0000:00:10.0: deferred probe pending: (reason unknown)");
	feed(&f, 560, "pci 0000:00:10.1: deferred probe pending");
	feed(&f, 561, "virtio-pci 0000:00:03.0: deferred probe pending: supplier 0000:00:02.0 not ready");
	feed(&f, 562, "deferred probe pending"); /* no device: not the driver core's line */
	LINE(f.deferred, "pci 0000:00:10.0: deferred probe pending: (reason unknown)", 559);
	CHECK(f.ndeferred == 3);
	ii_logfacts_free(&f);
}
