// SPDX-License-Identifier: MIT
/* src/parse-regs.c: register fields, on the worked examples of kernel-interfaces §1.2 and §2.8. */
#include <stdlib.h>

#include "parse.h"
#include "test.h"

#define CAP_Q35 UINT64_C(0xd2008c22260286)
#define ECAP_Q35 UINT64_C(0xf00f4a)
#define EFR_Q35 UINT64_C(0x29d3)
#define CAPHDR_Q35 UINT64_C(0x1f03000f)

static const struct ii_field *field(const struct ii_regdesc *rd, const char *name)
{
	for (size_t i = 0; i < rd->nfields; i++)
		if (!strcmp(rd->fields[i].name, name))
			return &rd->fields[i];
	t_fail(__FILE__, __LINE__, "%s has no field %s", rd->reg, name);
	return NULL;
}

/* The value of a named field, or a value no field can have (to fail the check). */
static uint64_t get(const struct ii_regdesc *rd, const char *name, uint64_t reg)
{
	const struct ii_field *f = field(rd, name);

	return f ? ii_field_get(reg, f) : UINT64_C(0xdeadbeefdeadbeef);
}

/* Does the explanation equal want (NULL: there is none)? */
static void explain(int line, const struct ii_regdesc *rd, const char *name, uint64_t reg,
		    const char *want)
{
	const struct ii_field *f = field(rd, name);
	char *s;

	if (!f)
		return;
	s = ii_field_explain(rd, f, ii_field_get(reg, f));
	if (!want && s)
		t_fail(__FILE__, line, "%s.%s: explained as \"%s\", expected nothing", rd->reg, name, s);
	else if (want && (!s || strcmp(s, want)))
		t_fail(__FILE__, line, "%s.%s: \"%s\" != \"%s\"", rd->reg, name, s ? s : "(null)", want);
	free(s);
}

#define EXPLAIN(rd, name, reg, want) explain(__LINE__, rd, name, reg, want)

TEST(regs_tables_are_sane)
{
	const struct ii_regdesc *all[] = { &ii_intel_cap, &ii_intel_ecap, &ii_amd_efr, &ii_amd_efr2,
					   &ii_amd_caphdr };

	CHECK_STR(ii_intel_cap.reg, "cap");
	CHECK_STR(ii_intel_ecap.reg, "ecap");
	CHECK_STR(ii_amd_efr.reg, "efr");
	CHECK_STR(ii_amd_efr2.reg, "efr2");
	CHECK_STR(ii_amd_caphdr.reg, "amd_cap");
	for (size_t r = 0; r < sizeof(all) / sizeof(all[0]); r++) {
		uint64_t seen = 0;

		CHECK(all[r]->nfields > 0);
		for (size_t i = 0; i < all[r]->nfields; i++) {
			const struct ii_field *f = &all[r]->fields[i];
			uint64_t mask;

			CHECK(f->name && *f->name && f->desc && *f->desc);
			CHECK(f->lo <= f->hi && f->hi < 64);
			mask = (f->hi - f->lo + 1 >= 64 ? UINT64_MAX
							: ((UINT64_C(1) << (f->hi - f->lo + 1)) - 1)) << f->lo;
			if (seen & mask)
				t_fail(__FILE__, __LINE__, "%s.%s overlaps another field", all[r]->reg,
				       f->name);
			seen |= mask;
			/* sorted by bit position */
			if (i)
				CHECK(all[r]->fields[i - 1].hi < f->lo);
		}
	}
}

TEST(regs_field_get)
{
	struct ii_field whole = { "ALL", 0, 63, "all" }, top = { "TOP", 63, 63, "top" };
	struct ii_field mid = { "MID", 8, 15, "mid" };

	CHECK_U64(ii_field_get(UINT64_MAX, &whole), UINT64_MAX);
	CHECK_U64(ii_field_get(UINT64_C(0x8000000000000000), &top), 1);
	CHECK_U64(ii_field_get(UINT64_C(0x7fffffffffffffff), &top), 0);
	CHECK_U64(ii_field_get(UINT64_C(0x1234abcd), &mid), 0xab);
}

TEST(regs_intel_cap_worked_example)
{
	const struct ii_regdesc *rd = &ii_intel_cap;

	CHECK_U64(get(rd, "ND", CAP_Q35), 6);
	CHECK_U64(get(rd, "AFL", CAP_Q35), 0);
	CHECK_U64(get(rd, "RWBF", CAP_Q35), 0);
	CHECK_U64(get(rd, "PLMR", CAP_Q35), 0);
	CHECK_U64(get(rd, "PHMR", CAP_Q35), 0);
	CHECK_U64(get(rd, "CM", CAP_Q35), 1);
	CHECK_U64(get(rd, "SAGAW", CAP_Q35), 0x2);
	CHECK_U64(get(rd, "MGAW", CAP_Q35), 0x26);
	CHECK_U64(get(rd, "ZLR", CAP_Q35), 0);
	CHECK_U64(get(rd, "FRO", CAP_Q35), 0x22);
	CHECK_U64(get(rd, "SLLPS", CAP_Q35), 3);
	CHECK_U64(get(rd, "PSI", CAP_Q35), 1);
	CHECK_U64(get(rd, "NFR", CAP_Q35), 0);
	CHECK_U64(get(rd, "MAMV", CAP_Q35), 18);
	CHECK_U64(get(rd, "DWD", CAP_Q35), 1);
	CHECK_U64(get(rd, "DRD", CAP_Q35), 1);
	CHECK_U64(get(rd, "FL1GP", CAP_Q35), 0);
	CHECK_U64(get(rd, "PI", CAP_Q35), 0);
	CHECK_U64(get(rd, "FL5LP", CAP_Q35), 0);
	CHECK_U64(get(rd, "ESRTPS", CAP_Q35), 0);
}

TEST(regs_intel_cap_explained)
{
	const struct ii_regdesc *rd = &ii_intel_cap;

	EXPLAIN(rd, "ND", CAP_Q35, "65536 domain ids");
	EXPLAIN(rd, "SAGAW", CAP_Q35, "39-bit/3-level");
	EXPLAIN(rd, "MGAW", CAP_Q35, "39-bit");
	EXPLAIN(rd, "FRO", CAP_Q35, "registers at 0x220");
	EXPLAIN(rd, "NFR", CAP_Q35, "1 fault-recording register");
	EXPLAIN(rd, "SLLPS", CAP_Q35, "2 MiB, 1 GiB");
	/* flags have no extra explanation */
	EXPLAIN(rd, "CM", CAP_Q35, NULL);
	EXPLAIN(rd, "PSI", CAP_Q35, NULL);
	EXPLAIN(rd, "DWD", CAP_Q35, NULL);
	EXPLAIN(rd, "DRD", CAP_Q35, NULL);
	EXPLAIN(rd, "MAMV", CAP_Q35, NULL);
}

TEST(regs_intel_cap_explained_other_values)
{
	const struct ii_regdesc *rd = &ii_intel_cap;

	/* ND 0: 2^4; ND 2: 2^8; ND 7 is reserved */
	EXPLAIN(rd, "ND", 0, "16 domain ids");
	EXPLAIN(rd, "ND", 2, "256 domain ids");
	EXPLAIN(rd, "ND", 7, NULL);
	/* the sysfs example of §1.2, cap 1c0000c40660462: ND 2, SAGAW 0x4, MGAW 0x26 */
	EXPLAIN(rd, "ND", UINT64_C(0x1c0000c40660462), "256 domain ids");
	EXPLAIN(rd, "SAGAW", UINT64_C(0x1c0000c40660462), "48-bit/4-level");
	EXPLAIN(rd, "MGAW", UINT64_C(0x1c0000c40660462), "39-bit");
	EXPLAIN(rd, "MGAW", UINT64_C(0x2f) << 16, "48-bit");
	EXPLAIN(rd, "SAGAW", UINT64_C(0x600), "39-bit/3-level, 48-bit/4-level");
	EXPLAIN(rd, "SAGAW", UINT64_C(0xe00), "39-bit/3-level, 48-bit/4-level, 57-bit/5-level");
	EXPLAIN(rd, "SAGAW", 0, NULL);
	EXPLAIN(rd, "SLLPS", 0, "4 KiB pages only");
	EXPLAIN(rd, "SLLPS", UINT64_C(1) << 34, "2 MiB");
	EXPLAIN(rd, "SLLPS", UINT64_C(2) << 34, "1 GiB");
	EXPLAIN(rd, "NFR", UINT64_C(7) << 40, "8 fault-recording registers");
	EXPLAIN(rd, "FRO", UINT64_C(0x3ff) << 24, "registers at 0x3ff0");
}

TEST(regs_intel_ecap_worked_example)
{
	const struct ii_regdesc *rd = &ii_intel_ecap;

	CHECK_U64(get(rd, "C", ECAP_Q35), 0);
	CHECK_U64(get(rd, "QI", ECAP_Q35), 1);
	CHECK_U64(get(rd, "DT", ECAP_Q35), 0);
	CHECK_U64(get(rd, "IR", ECAP_Q35), 1);
	CHECK_U64(get(rd, "EIM", ECAP_Q35), 0);
	CHECK_U64(get(rd, "PT", ECAP_Q35), 1);
	CHECK_U64(get(rd, "SC", ECAP_Q35), 0);
	CHECK_U64(get(rd, "IRO", ECAP_Q35), 0xf);
	CHECK_U64(get(rd, "MHMV", ECAP_Q35), 0xf);
	CHECK_U64(get(rd, "PRS", ECAP_Q35), 0);
	CHECK_U64(get(rd, "PSS", ECAP_Q35), 0);
	CHECK_U64(get(rd, "PASID", ECAP_Q35), 0);
	CHECK_U64(get(rd, "SMTS", ECAP_Q35), 0);
	CHECK_U64(get(rd, "PMS", ECAP_Q35), 0);
	EXPLAIN(rd, "IRO", ECAP_Q35, "registers at 0xf0");
	EXPLAIN(rd, "QI", ECAP_Q35, NULL);
	EXPLAIN(rd, "PSS", ECAP_Q35, NULL);
	/* PSS 19: 20-bit PASIDs; SMTS is bit 43 */
	EXPLAIN(rd, "PSS", UINT64_C(19) << 35, "20-bit PASIDs");
	CHECK_U64(get(rd, "SMTS", UINT64_C(1) << 43), 1);
	CHECK_U64(get(rd, "PMS", UINT64_C(1) << 51), 1);
}

TEST(regs_amd_efr_worked_example)
{
	static const char *const set[] = { "PreF", "PPR", "GT", "IA", "GA", "HE" };
	static const char *const clear[] = { "X2APIC", "NX", "PC", "GAM_VAPIC", "GIOSup", "HASup",
					     "EPHSup", "HDSup", "SNP" };
	const struct ii_regdesc *rd = &ii_amd_efr;

	/* the boot log of the same unit: "Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE" */
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		CHECK_U64(get(rd, set[i], EFR_Q35), 1);
	for (size_t i = 0; i < sizeof(clear) / sizeof(clear[0]); i++)
		CHECK_U64(get(rd, clear[i], EFR_Q35), 0);
	CHECK_U64(get(rd, "HATS", EFR_Q35), 2);
	CHECK_U64(get(rd, "GATS", EFR_Q35), 2);
	CHECK_U64(get(rd, "GLX", EFR_Q35), 0);
	CHECK_U64(get(rd, "PASMAX", EFR_Q35), 0);
	EXPLAIN(rd, "HATS", EFR_Q35, "6-level host page tables");
	EXPLAIN(rd, "HATS", 0, "4-level host page tables");
	EXPLAIN(rd, "HATS", UINT64_C(3) << 10, NULL);
	EXPLAIN(rd, "PASMAX", EFR_Q35, NULL);
	EXPLAIN(rd, "PASMAX", UINT64_C(0xf) << 32, "16-bit PASIDs");
	CHECK_U64(get(rd, "SNP", UINT64_C(1) << 63), 1);
}

TEST(regs_amd_efr2)
{
	const struct ii_regdesc *rd = &ii_amd_efr2;

	CHECK_U64(get(rd, "SEVTIO", 0x2), 1);
	CHECK_U64(get(rd, "GCR3TRPMode", 0x8), 1);
	CHECK_U64(get(rd, "SNPAVICSup", 0xe0), 7);
	CHECK_U64(get(rd, "NumIntRemapSup", 0x300), 3);
	CHECK_U64(get(rd, "HTRangeIgnore", 0x800), 1);
	CHECK_U64(get(rd, "HTRangeIgnore", 0), 0);
}

TEST(regs_amd_cap_header)
{
	const struct ii_regdesc *rd = &ii_amd_caphdr;

	/* QEMU's amd-iommu: cap reads 1f03000f */
	CHECK_U64(get(rd, "CapID", CAPHDR_Q35), 0x0f);
	CHECK_U64(get(rd, "CapPtr", CAPHDR_Q35), 0x00);
	CHECK_U64(get(rd, "CapType", CAPHDR_Q35), 3);
	CHECK_U64(get(rd, "CapRev", CAPHDR_Q35), 0);
	CHECK_U64(get(rd, "IotlbSup", CAPHDR_Q35), 1);
	CHECK_U64(get(rd, "HtTunnel", CAPHDR_Q35), 1);
	CHECK_U64(get(rd, "NpCache", CAPHDR_Q35), 1);
	CHECK_U64(get(rd, "EFRSup", CAPHDR_Q35), 1);
	CHECK_U64(get(rd, "CapExt", CAPHDR_Q35), 1);
	/* the §1.2 example of real hardware: 190b640f */
	CHECK_U64(get(rd, "CapPtr", UINT64_C(0x190b640f)), 0x64);
	CHECK_U64(get(rd, "CapType", UINT64_C(0x190b640f)), 3);
	CHECK_U64(get(rd, "CapRev", UINT64_C(0x190b640f)), 1);
	CHECK_U64(get(rd, "NpCache", UINT64_C(0x190b640f)), 0);
	CHECK_U64(get(rd, "EFRSup", UINT64_C(0x190b640f)), 1);
}

TEST(regs_explain_is_per_register)
{
	/* ND is explained for CAP only: the same name in another register is not */
	struct ii_field fake = { "ND", 0, 2, "x" };
	char *s = ii_field_explain(&ii_intel_cap, &fake, 6);

	CHECK_STR(s, "65536 domain ids");
	free(s);

	CHECK(ii_field_explain(&ii_intel_ecap, &fake, 6) == NULL);
	CHECK(ii_field_explain(&ii_amd_efr, &fake, 6) == NULL);
}
