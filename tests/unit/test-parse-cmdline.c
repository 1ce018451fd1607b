// SPDX-License-Identifier: MIT
/* src/parse-cmdline.c: the kernel command line (kernel-interfaces §9.1). */
#include <stdlib.h>

#include "fixture.h"
#include "parse.h"
#include "test.h"

/* The relevant parameters joined by '|', for one comparison. */
static char *relevant(const char *cmdline)
{
	struct strlist sl = { 0 };
	char *s;

	ii_cmdline_relevant(cmdline, &sl);
	s = sl_join(&sl, "|");
	sl_free(&sl);
	return s;
}

#define CHECK_RELEVANT(cmdline, want)                    \
	do {                                             \
		char *t_s = relevant(cmdline);           \
		CHECK_STR(t_s, want);                    \
		free(t_s);                               \
	} while (0)

/* ii_cmdline_get(cmdline, key) is want (NULL: absent). */
static void get(int line, const char *cmdline, const char *key, const char *want)
{
	char *v = ii_cmdline_get(cmdline, key);

	if (!want && v)
		t_fail(__FILE__, line, "%s in '%s': \"%s\", expected none", key, cmdline, v);
	else if (want && (!v || strcmp(v, want)))
		t_fail(__FILE__, line, "%s in '%s': \"%s\" != \"%s\"", key, cmdline, v ? v : "(null)",
		       want);
	free(v);
}

#define GET(cmdline, key, want) get(__LINE__, cmdline, key, want)

TEST(cmdline_relevant_fixtures)
{
	static const struct {
		const char *tree, *want;
	} cases[] = {
		{ "intel-q35", "intel_iommu=on|iommu.strict=1" },
		{ "intel-faults", "intel_iommu=on|iommu.strict=1" },
		{ "intel-debugfs", "intel_iommu=on|iommu.strict=1" },
		{ "amd-q35", "iommu=pt" },
		{ "no-iommu", "intel_iommu=on" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char rel[128], *buf;

		snprintf(rel, sizeof(rel), "%s/proc/cmdline", cases[i].tree);
		buf = fx_read(rel, NULL);
		if (!buf) {
			t_fail(__FILE__, __LINE__, "cannot read fixtures/%s", rel);
			continue;
		}
		/* trace_event=iommu:* and cap_vfio=... are not IOMMU parameters */
		CHECK_RELEVANT(buf, cases[i].want);
		free(buf);
	}
}

TEST(cmdline_relevant_parameters)
{
	CHECK_RELEVANT("", "");
	CHECK_RELEVANT("   \n", "");
	CHECK_RELEVANT("quiet splash", "");
	CHECK_RELEVANT("intel_iommu=on,sm_on iommu=pt iommu.passthrough=1 iommu.strict=0 "
		       "iommu.forcedac=1",
		       "intel_iommu=on,sm_on|iommu=pt|iommu.passthrough=1|iommu.strict=0|iommu.forcedac=1");
	CHECK_RELEVANT("amd_iommu=off amd_iommu_intr=vapic amd_iommu_dump",
		       "amd_iommu=off|amd_iommu_intr=vapic|amd_iommu_dump");
	CHECK_RELEVANT("intremap=off nointremap intel_iommu", "intremap=off|nointremap|intel_iommu");
	CHECK_RELEVANT("pcie_acs_override=downstream,multifunction",
		       "pcie_acs_override=downstream,multifunction");
	CHECK_RELEVANT("vfio-pci.ids=10de:1b80,10de:10f0 vfio_pci.disable_vga=1 "
		       "vfio_iommu_type1.allow_unsafe_interrupts=1 vfio.enable_unsafe_noiommu_mode=1 "
		       "iommufd.x=1",
		       "vfio-pci.ids=10de:1b80,10de:10f0|vfio_pci.disable_vga=1|"
		       "vfio_iommu_type1.allow_unsafe_interrupts=1|vfio.enable_unsafe_noiommu_mode=1|"
		       "iommufd.x=1");
	CHECK_RELEVANT("arm-smmu.disable_bypass=0 arm-smmu-v3.disable_bypass=0 swiotlb=65536 "
		       "mem_encrypt=on",
		       "arm-smmu.disable_bypass=0|arm-smmu-v3.disable_bypass=0|swiotlb=65536|"
		       "mem_encrypt=on");
}

TEST(cmdline_relevant_ivrs)
{
	CHECK_RELEVANT("ivrs_ioapic[32]=00:14.0 ivrs_hpet[0]=00:14.0 ivrs_acpihid[00:14.5]=AMD0020:0",
		       "ivrs_ioapic[32]=00:14.0|ivrs_hpet[0]=00:14.0|ivrs_acpihid[00:14.5]=AMD0020:0");
	/* the newer form without brackets */
	CHECK_RELEVANT("ivrs_ioapic=32@0000:00:14.0", "ivrs_ioapic=32@0000:00:14.0");
	/* a key that only starts like one */
	CHECK_RELEVANT("ivrs_ioapicx[32]=00:14.0 ivrs_ioapic_x=1", "");
}

TEST(cmdline_relevant_not_prefixes)
{
	/* exact keys are not prefixes */
	CHECK_RELEVANT("iommu_foo=1 iommux=1 intel_iommu_x=on xintel_iommu=on amd_iommux=1", "");
	CHECK_RELEVANT("smex sme", "sme");
	/* a prefix ending in '.' needs something after it */
	CHECK_RELEVANT("iommu. vfio.= iommu.=1", "");
	/* the value does not make the key */
	CHECK_RELEVANT("trace_event=iommu:* cap_vfio=0000:00:05.0 root=iommu=pt", "");
}

TEST(cmdline_relevant_quotes_and_terminator)
{
	/* a quoted value keeps its spaces and is listed as written */
	CHECK_RELEVANT("quiet vfio-pci.ids=\"10de:1b80, 10de:10f0\" iommu=pt",
		       "vfio-pci.ids=\"10de:1b80, 10de:10f0\"|iommu=pt");
	/* what is inside quotes is not a parameter */
	CHECK_RELEVANT("dyndbg=\"file intel-iommu.c +p iommu=pt\" iommu.strict=1", "iommu.strict=1");
	/* the rest goes to init */
	CHECK_RELEVANT("iommu=pt -- intel_iommu=off", "iommu=pt");
	CHECK_RELEVANT("-- iommu=pt", "");
	/* but "--x" is just an argument */
	CHECK_RELEVANT("--x iommu=pt ---", "iommu=pt");
	/* tabs and the trailing newline of /proc/cmdline */
	CHECK_RELEVANT("\tintel_iommu=on\tiommu=pt\n", "intel_iommu=on|iommu=pt");
	/* an unterminated quote runs to the end */
	CHECK_RELEVANT("a=\"b iommu=pt", "");
}

TEST(cmdline_get_values)
{
	static const char cl[] = "BOOT_IMAGE=/vmlinuz root=UUID=1234 ro intel_iommu=on,sm_on "
				 "iommu.strict=1 amd_iommu_dump iommu=pt\n";

	GET(cl, "intel_iommu", "on,sm_on");
	GET(cl, "iommu.strict", "1");
	GET(cl, "iommu", "pt");
	GET(cl, "root", "UUID=1234");
	GET(cl, "BOOT_IMAGE", "/vmlinuz");
	/* a flag has an empty value */
	GET(cl, "amd_iommu_dump", "");
	GET(cl, "ro", "");
	/* absent keys, and keys that are only prefixes or suffixes of others */
	GET(cl, "amd_iommu", NULL);
	GET(cl, "intel", NULL);
	GET(cl, "iommu.", NULL);
	GET(cl, "strict", NULL);
	GET(cl, "sm_on", NULL);
	GET("", "iommu", NULL);
	GET("iommu", "iommu", "");
	GET("iommu=", "iommu", "");
}

TEST(cmdline_get_last_wins)
{
	GET("iommu.strict=0 quiet iommu.strict=1", "iommu.strict", "1");
	GET("intel_iommu=on intel_iommu=off", "intel_iommu", "off");
	GET("intel_iommu=off intel_iommu", "intel_iommu", "");
	GET("intel_iommu intel_iommu=on", "intel_iommu", "on");
	/* but not past the terminator */
	GET("intel_iommu=on -- intel_iommu=off", "intel_iommu", "on");
	GET("-- intel_iommu=off", "intel_iommu", NULL);
}

TEST(cmdline_get_quoted)
{
	/* the kernel drops the quotes around a value (lib/cmdline.c next_arg) */
	GET("dyndbg=\"file iommu.c +p\" quiet", "dyndbg", "file iommu.c +p");
	GET("iommu=\"pt\"", "iommu", "pt");
	GET("vfio-pci.ids=\"10de:1b80,10de:10f0\" iommu=pt", "vfio-pci.ids", "10de:1b80,10de:10f0");
	GET("a=\"\"", "a", "");
	/* an unterminated quote */
	GET("a=\"b c", "a", "b c");
	/* quotes inside a value are kept */
	GET("a=b\"c d\"", "a", "b\"c d\"");
	/* keys inside quotes are not parameters */
	GET("dyndbg=\"iommu=pt\"", "iommu", NULL);
}
