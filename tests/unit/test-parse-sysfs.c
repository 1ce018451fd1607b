// SPDX-License-Identifier: MIT
/* src/parse-sysfs.c: values of sysfs attributes (kernel-interfaces §1). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>

#include "fixture.h"
#include "parse.h"
#include "test.h"

/* ------------------------------------------------------------- ii_parse_hex */

TEST(sysfs_hex_with_and_without_prefix)
{
	uint64_t v = 0;

	CHECK_INT(ii_parse_hex("0x1b36\n", &v), 0);
	CHECK_U64(v, 0x1b36);
	CHECK_INT(ii_parse_hex("0x1b36", &v), 0);
	CHECK_U64(v, 0x1b36);
	CHECK_INT(ii_parse_hex("fed90000\n", &v), 0);
	CHECK_U64(v, 0xfed90000);
	CHECK_INT(ii_parse_hex("d2008c22260286\n", &v), 0);
	CHECK_U64(v, 0xd2008c22260286);
	CHECK_INT(ii_parse_hex("0X0C0330\n", &v), 0);
	CHECK_U64(v, 0x0c0330);
	CHECK_INT(ii_parse_hex("0x060400", &v), 0);
	CHECK_U64(v, 0x060400);
	CHECK_INT(ii_parse_hex("0", &v), 0);
	CHECK_U64(v, 0);
	CHECK_INT(ii_parse_hex("0x0\n", &v), 0);
	CHECK_U64(v, 0);
	CHECK_INT(ii_parse_hex("ffffffffffffffff\n", &v), 0);
	CHECK_U64(v, UINT64_MAX);
	/* trailing white space of any kind */
	CHECK_INT(ii_parse_hex("0x10 \t\r\n", &v), 0);
	CHECK_U64(v, 0x10);
}

TEST(sysfs_hex_rejects_garbage)
{
	uint64_t v = 0x5a5a;

	CHECK_INT(ii_parse_hex("", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("\n", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("0x", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("0x\n", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("0x0x5", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("0X0x5", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("-1", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("0x-1", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("+1", &v), -EINVAL);
	CHECK_INT(ii_parse_hex(" 1", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("0x 1", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("xyz", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("12g", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("12 34", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("0x10\nx", &v), -EINVAL);
	CHECK_INT(ii_parse_hex("(null)\n", &v), -EINVAL);
	CHECK_INT(ii_parse_hex(NULL, &v), -EINVAL);
	/* 17 digits do not fit */
	CHECK_INT(ii_parse_hex("10000000000000000", &v), -EINVAL);
}

/* ------------------------------------------------------------- ii_parse_int */

TEST(sysfs_int)
{
	long long v = 42;

	CHECK_INT(ii_parse_int("65536\n", &v), 0);
	CHECK_INT(v, 65536);
	CHECK_INT(ii_parse_int("-1\n", &v), 0);
	CHECK_INT(v, -1);
	CHECK_INT(ii_parse_int("-1", &v), 0);
	CHECK_INT(v, -1);
	CHECK_INT(ii_parse_int("0\n", &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(ii_parse_int("  7 \n", &v), 0);
	CHECK_INT(v, 7);
	CHECK_INT(ii_parse_int("9223372036854775807", &v), 0);
	CHECK_INT(v, 9223372036854775807LL);
}

TEST(sysfs_int_rejects_garbage)
{
	long long v;

	CHECK_INT(ii_parse_int("", &v), -EINVAL);
	CHECK_INT(ii_parse_int("\n", &v), -EINVAL);
	CHECK_INT(ii_parse_int("-", &v), -EINVAL);
	CHECK_INT(ii_parse_int("-\n", &v), -EINVAL);
	CHECK_INT(ii_parse_int("--1", &v), -EINVAL);
	CHECK_INT(ii_parse_int("+1", &v), -EINVAL);
	CHECK_INT(ii_parse_int("0x10", &v), -EINVAL);
	CHECK_INT(ii_parse_int("12a", &v), -EINVAL);
	CHECK_INT(ii_parse_int("1 2", &v), -EINVAL);
	CHECK_INT(ii_parse_int("abc", &v), -EINVAL);
	CHECK_INT(ii_parse_int(NULL, &v), -EINVAL);
	CHECK_INT(ii_parse_int("9223372036854775808", &v), -EINVAL);
}

/* ------------------------------------------------------- group directory names */

TEST(sysfs_group_name_canonical)
{
	unsigned v = 7;

	CHECK_INT(ii_parse_group_name("0", &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(ii_parse_group_name("17", &v), 0);
	CHECK_INT(v, 17);
	CHECK_INT(ii_parse_group_name("4294967295", &v), 0);
	CHECK(v == 4294967295u);
}

/* names the kernel never makes: each would read as a number that another name may have */
TEST(sysfs_group_name_rejects_non_canonical)
{
	static const char *const bad[] = { "", "00", "05", " 6", "6 ", "8\n", "+1", "-1", "-0",
					   "0x5", "1e3", "4294967296", "99999999999", "12a", "١" };
	unsigned v = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(ii_parse_group_name(bad[i], &v), -EINVAL);
		CHECK_INT(v, 7);
	}
	CHECK_INT(ii_parse_group_name(NULL, &v), -EINVAL);
}

/* ------------------------------------------------------- reserved_regions */

static int resv(const char *line, uint64_t start, uint64_t end, const char *type)
{
	struct ii_resv r;
	int ret;

	memset(&r, 0x5a, sizeof(r));
	ret = ii_parse_resv_line(line, &r);
	if (ret)
		return ret;
	return r.start == start && r.end == end && !strcmp(r.type, type) ? 0 : 1;
}

TEST(sysfs_resv_documented_lines)
{
	/* kernel-interfaces §1.1 */
	CHECK_INT(resv("0x00000000fee00000 0x00000000feefffff msi\n", 0xfee00000, 0xfeefffff, "msi"), 0);
	CHECK_INT(resv("0x000000fd00000000 0x000000ffffffffff reserved\n", 0xfd00000000,
		       0xffffffffff, "reserved"), 0);
	CHECK_INT(resv("0x000000007c000000 0x000000007e7fffff direct-relaxable\n", 0x7c000000,
		       0x7e7fffff, "direct-relaxable"), 0);
	CHECK_INT(resv("0x0000000000001000 0x0000000000001fff direct", 0x1000, 0x1fff, "direct"), 0);
	/* a single byte: end == start */
	CHECK_INT(resv("0x0000000000001000 0x0000000000001000 direct\n", 0x1000, 0x1000, "direct"), 0);
	CHECK_INT(resv("0xffffffffffffffff 0xffffffffffffffff msi\n", UINT64_MAX, UINT64_MAX, "msi"), 0);
	/* types no kernel prints today are kept as found */
	CHECK_INT(resv("0x0 0x1 sw-msi\n", 0, 1, "sw-msi"), 0);
}

/* Every reserved_regions line of every recorded tree. */
static void check_fixture_resv(const char *tree, unsigned ngroups, unsigned *msi, unsigned *reserved,
			       unsigned *relaxable)
{
	for (unsigned g = 0; g < ngroups; g++) {
		char rel[128], *buf, *line, *save = NULL;

		snprintf(rel, sizeof(rel), "%s/sys/kernel/iommu_groups/%u/reserved_regions", tree, g);
		buf = fx_read(rel, NULL);
		if (!buf) {
			t_fail(__FILE__, __LINE__, "cannot read fixtures/%s", rel);
			return;
		}
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			struct ii_resv r;

			if (ii_parse_resv_line(line, &r)) {
				t_fail(__FILE__, __LINE__, "%s: rejected \"%s\"", rel, line);
				continue;
			}
			if (!strcmp(r.type, "msi")) {
				CHECK_U64(r.start, 0xfee00000);
				CHECK_U64(r.end, 0xfeefffff);
				(*msi)++;
			} else if (!strcmp(r.type, "reserved")) {
				CHECK_U64(r.start, 0xfd00000000);
				CHECK_U64(r.end, 0xffffffffff);
				(*reserved)++;
			} else if (!strcmp(r.type, "direct-relaxable")) {
				CHECK_U64(r.start, 0);
				CHECK_U64(r.end, 0xffffff);
				(*relaxable)++;
			} else {
				t_fail(__FILE__, __LINE__, "%s: unexpected type \"%s\"", rel, r.type);
			}
		}
		free(buf);
	}
}

TEST(sysfs_resv_fixture_lines)
{
	unsigned msi = 0, reserved = 0, relaxable = 0;

	check_fixture_resv("intel-q35", 16, &msi, &reserved, &relaxable);
	CHECK_INT(msi, 16);
	CHECK_INT(reserved, 0);
	CHECK_INT(relaxable, 1); /* the LPC group's floppy work-around */
	msi = reserved = relaxable = 0;
	check_fixture_resv("amd-q35", 16, &msi, &reserved, &relaxable);
	CHECK_INT(msi, 16);
	CHECK_INT(reserved, 16); /* the HyperTransport hole */
	CHECK_INT(relaxable, 0);
}

TEST(sysfs_resv_rejects_malformed)
{
	struct ii_resv r;

	/* end below start */
	CHECK_INT(ii_parse_resv_line("0x00000000feefffff 0x00000000fee00000 msi\n", &r), -EINVAL);
	/* missing type */
	CHECK_INT(ii_parse_resv_line("0x00000000fee00000 0x00000000feefffff\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x00000000fee00000 0x00000000feefffff \n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x00000000fee00000 0x00000000feefffff", &r), -EINVAL);
	/* missing 0x */
	CHECK_INT(ii_parse_resv_line("00000000fee00000 0x00000000feefffff msi\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x00000000fee00000 00000000feefffff msi\n", &r), -EINVAL);
	/* a doubled 0x */
	CHECK_INT(ii_parse_resv_line("0x0x10 0x20 msi\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x10 0x0x20 msi\n", &r), -EINVAL);
	/* extra fields */
	CHECK_INT(ii_parse_resv_line("0x00000000fee00000 0x00000000feefffff msi extra\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x00000000fee00000 0x00000000feefffff msi 0x1\n", &r), -EINVAL);
	/* separators and numbers */
	CHECK_INT(ii_parse_resv_line("0x00000000fee00000  0x00000000feefffff msi\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x00000000fee00000\t0x00000000feefffff msi\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0xfee00000g 0xfeefffff msi\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x-1 0xfeefffff msi\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x 0x1 msi\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x10000000000000000 0x1 msi\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x0 0x10000000000000000 msi\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("\n", &r), -EINVAL);
	/* a type too long for the struct, or with control characters */
	CHECK_INT(ii_parse_resv_line("0x0 0x1 abcdefghijklmnopqrstuvwx\n", &r), -EINVAL);
	CHECK_INT(ii_parse_resv_line("0x0 0x1 ms\x01i\n", &r), -EINVAL);
	/* 23 characters still fit */
	CHECK_INT(ii_parse_resv_line("0x0 0x1 abcdefghijklmnopqrstuvw\n", &r), 0);
	CHECK_STR(r.type, "abcdefghijklmnopqrstuvw");
}

/* ------------------------------------------------------------ group type */

TEST(sysfs_domtype_every_string)
{
	CHECK_INT(ii_parse_domtype("DMA"), II_DOM_DMA);
	CHECK_INT(ii_parse_domtype("DMA\n"), II_DOM_DMA);
	CHECK_INT(ii_parse_domtype("DMA-FQ"), II_DOM_DMA_FQ);
	CHECK_INT(ii_parse_domtype("DMA-FQ\n"), II_DOM_DMA_FQ);
	CHECK_INT(ii_parse_domtype("identity"), II_DOM_IDENTITY);
	CHECK_INT(ii_parse_domtype("identity\n"), II_DOM_IDENTITY);
	CHECK_INT(ii_parse_domtype("blocked"), II_DOM_BLOCKED);
	CHECK_INT(ii_parse_domtype("blocked\n"), II_DOM_BLOCKED);
	CHECK_INT(ii_parse_domtype("unmanaged"), II_DOM_UNMANAGED);
	CHECK_INT(ii_parse_domtype("unmanaged\n"), II_DOM_UNMANAGED);
	CHECK_INT(ii_parse_domtype("unknown"), II_DOM_UNKNOWN);
	CHECK_INT(ii_parse_domtype("unknown\n"), II_DOM_UNKNOWN);
}

TEST(sysfs_domtype_unknown_strings)
{
	CHECK_INT(ii_parse_domtype(""), II_DOM_UNKNOWN);
	CHECK_INT(ii_parse_domtype("\n"), II_DOM_UNKNOWN);
	CHECK_INT(ii_parse_domtype("dma"), II_DOM_UNKNOWN);
	CHECK_INT(ii_parse_domtype("DM"), II_DOM_UNKNOWN);
	CHECK_INT(ii_parse_domtype("DMA-"), II_DOM_UNKNOWN);
	CHECK_INT(ii_parse_domtype("DMA-FQX"), II_DOM_UNKNOWN);
	CHECK_INT(ii_parse_domtype("auto"), II_DOM_UNKNOWN);
	CHECK_INT(ii_parse_domtype("identityx\n"), II_DOM_UNKNOWN);
	CHECK_INT(ii_parse_domtype("passthrough"), II_DOM_UNKNOWN);
}

TEST(sysfs_domtype_names)
{
	CHECK_STR(ii_domtype_name(II_DOM_DMA), "DMA");
	CHECK_STR(ii_domtype_name(II_DOM_DMA_FQ), "DMA-FQ");
	CHECK_STR(ii_domtype_name(II_DOM_IDENTITY), "identity");
	CHECK_STR(ii_domtype_name(II_DOM_BLOCKED), "blocked");
	CHECK_STR(ii_domtype_name(II_DOM_UNMANAGED), "unmanaged");
	CHECK_STR(ii_domtype_name(II_DOM_UNKNOWN), "unknown");
	CHECK_STR(ii_domtype_name((enum ii_domtype)99), "unknown");
	/* name -> type -> name */
	for (int t = II_DOM_UNKNOWN; t <= II_DOM_UNMANAGED; t++)
		CHECK_INT(ii_parse_domtype(ii_domtype_name((enum ii_domtype)t)), t);
}

TEST(sysfs_domtype_fixtures)
{
	char *a = fx_read("intel-q35/sys/kernel/iommu_groups/0/type", NULL);
	char *b = fx_read("amd-q35/sys/kernel/iommu_groups/0/type", NULL);

	CHECK(a && b);
	if (a && b) {
		/* intel-q35 boots with iommu.strict=1, amd-q35 with iommu=pt */
		CHECK_INT(ii_parse_domtype(a), II_DOM_DMA);
		CHECK_INT(ii_parse_domtype(b), II_DOM_IDENTITY);
	}
	free(a);
	free(b);
}

/* ---------------------------------------------------------- kernel version */

TEST(sysfs_kver)
{
	CHECK_INT(ii_parse_kver("6.1.0-56-amd64"), 6001);
	CHECK_INT(ii_parse_kver("6.1.192-iommudbg"), 6001);
	CHECK_INT(ii_parse_kver("5.4.0-216-generic"), 5004);
	CHECK_INT(ii_parse_kver("6.8.0"), 6008);
	CHECK_INT(ii_parse_kver("6.12.48+deb13-amd64"), 6012);
	CHECK_INT(ii_parse_kver("7.2"), 7002);
	CHECK_INT(ii_parse_kver("4.19.0"), 4019);
	CHECK_INT(ii_parse_kver("99.999"), 99999);
}

TEST(sysfs_kver_rejects)
{
	CHECK_INT(ii_parse_kver(NULL), 0);
	CHECK_INT(ii_parse_kver(""), 0);
	CHECK_INT(ii_parse_kver("6"), 0);
	CHECK_INT(ii_parse_kver("6."), 0);
	CHECK_INT(ii_parse_kver("6-1"), 0);
	CHECK_INT(ii_parse_kver("v6.1"), 0);
	CHECK_INT(ii_parse_kver(" 6.1"), 0);
	CHECK_INT(ii_parse_kver("6.x"), 0);
	CHECK_INT(ii_parse_kver("Linux"), 0);
	CHECK_INT(ii_parse_kver("100.1"), 0);
	CHECK_INT(ii_parse_kver("6.1000"), 0);
	CHECK_INT(ii_parse_kver("99999999999999999999999.1"), 0);
}

/* ------------------------------------------------------ AMD features file */

TEST(sysfs_amd_features_one_field)
{
	struct ii_amd_features f;

	/* 5.4 to 5.15: EFR only */
	CHECK_INT(ii_parse_amd_features("58f77ef22294ade\n", 5004, &f), 0);
	CHECK_U64(f.efr, 0x58f77ef22294ade);
	CHECK_U64(f.efr2, 0);
	CHECK(!f.has_efr2);
	CHECK_STR(f.layout, "EFR");
	CHECK_STR(f.basis, "single-field");
	CHECK(f.order && strstr(f.order, "one field"));
	/* whatever the version says */
	CHECK_INT(ii_parse_amd_features("29d3\n", 6008, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
	CHECK(!f.has_efr2);
	CHECK_INT(ii_parse_amd_features("29d3", 0, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
}

TEST(sysfs_amd_features_6_1_order)
{
	struct ii_amd_features f;

	/* kernel-interfaces §1.2: QEMU's amd-iommu on 6.1 reads "0:29d3" */
	CHECK_INT(ii_parse_amd_features("0:29d3\n", 6001, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
	CHECK_U64(f.efr2, 0);
	CHECK(f.has_efr2);
	CHECK_STR(f.layout, "EFR2:EFR");
	CHECK_STR(f.basis, "kernel-version");
	CHECK(f.order && strstr(f.order, "EFR2:EFR"));
	CHECK_INT(ii_parse_amd_features("0:29d3", 6006, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
	CHECK_U64(f.efr2, 0);
	CHECK_INT(ii_parse_amd_features("800:1d4", 6001, &f), 0);
	CHECK_U64(f.efr, 0x1d4);
	CHECK_U64(f.efr2, 0x800);
}

TEST(sysfs_amd_features_6_8_order)
{
	struct ii_amd_features f;

	/* 6.8 and later: the two fields are the other way round */
	CHECK_INT(ii_parse_amd_features("29d3:0\n", 6008, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
	CHECK_U64(f.efr2, 0);
	CHECK(f.has_efr2);
	CHECK_STR(f.layout, "EFR:EFR2");
	CHECK_STR(f.basis, "kernel-version");
	CHECK(f.order && strstr(f.order, "EFR:EFR2"));
	CHECK_INT(ii_parse_amd_features("246577efa2254afa:10\n", 6012, &f), 0);
	CHECK_U64(f.efr, 0x246577efa2254afa);
	CHECK_U64(f.efr2, 0x10);
	CHECK_INT(ii_parse_amd_features("29d3:800", 7002, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
	CHECK_U64(f.efr2, 0x800);
	/* the same text read as 6.1 swaps them */
	CHECK_INT(ii_parse_amd_features("29d3:800", 6001, &f), 0);
	CHECK_U64(f.efr, 0x800);
	CHECK_U64(f.efr2, 0x29d3);
}

TEST(sysfs_amd_features_guessed_order)
{
	struct ii_amd_features f;

	/* kernel version unknown: EFR is the field with PreF or HATS set */
	CHECK_INT(ii_parse_amd_features("0:29d3\n", 0, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
	CHECK_U64(f.efr2, 0);
	CHECK_STR(f.layout, "EFR2:EFR");
	CHECK_STR(f.basis, "guessed");
	CHECK(f.order && strstr(f.order, "EFR2:EFR") && strstr(f.order, "guessed"));
	CHECK_INT(ii_parse_amd_features("29d3:0\n", 0, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
	CHECK_U64(f.efr2, 0);
	CHECK_STR(f.layout, "EFR:EFR2");
	CHECK_STR(f.basis, "guessed");
	CHECK(f.order && strstr(f.order, "EFR:EFR2") && strstr(f.order, "guessed"));
	/* HATS without PreF */
	CHECK_INT(ii_parse_amd_features("2:800", 0, &f), 0);
	CHECK_U64(f.efr, 0x800);
	CHECK_U64(f.efr2, 2);
	/* 6.7 sits between the two known orders: guessed too */
	CHECK_INT(ii_parse_amd_features("0:29d3", 6007, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
	CHECK_STR(f.basis, "guessed");
	CHECK(f.order && strstr(f.order, "guessed"));
	/* both look like EFR: keep the newer order */
	CHECK_INT(ii_parse_amd_features("1:3", 0, &f), 0);
	CHECK_U64(f.efr, 1);
	CHECK_U64(f.efr2, 3);
}

TEST(sysfs_amd_features_fixture)
{
	char *buf = fx_read("amd-q35/sys/class/iommu/ivhd0/amd-iommu/features", NULL);
	struct ii_amd_features f;

	CHECK(buf != NULL);
	if (!buf)
		return;
	CHECK_INT(ii_parse_amd_features(buf, 6001, &f), 0);
	CHECK_U64(f.efr, 0x29d3);
	CHECK_U64(f.efr2, 0);
	CHECK(f.has_efr2);
	free(buf);
}

TEST(sysfs_amd_features_rejects)
{
	struct ii_amd_features f;

	CHECK_INT(ii_parse_amd_features("", 6001, &f), -EINVAL);
	CHECK_INT(ii_parse_amd_features("\n", 6001, &f), -EINVAL);
	CHECK_INT(ii_parse_amd_features(":", 6001, &f), -EINVAL);
	CHECK_INT(ii_parse_amd_features(":29d3", 6001, &f), -EINVAL);
	CHECK_INT(ii_parse_amd_features("0:", 6001, &f), -EINVAL);
	CHECK_INT(ii_parse_amd_features("0:\n", 6001, &f), -EINVAL);
	CHECK_INT(ii_parse_amd_features("0:1:2", 6001, &f), -EINVAL);
	CHECK_INT(ii_parse_amd_features("xyz", 6001, &f), -EINVAL);
	CHECK_INT(ii_parse_amd_features("00000000000000000000000000000000001:2", 6001, &f), -EINVAL);
	CHECK_INT(ii_parse_amd_features("10000000000000000:0", 6001, &f), -EINVAL);
}

TEST(resv_kind_from_the_kernels_names)
{
	static const struct { const char *line; enum ii_resv_kind kind; bool direct; } cases[] = {
		{ "0x00000000fee00000 0x00000000feefffff msi\n", II_RESV_MSI, false },
		{ "0x000000007e000000 0x000000007effffff direct\n", II_RESV_DIRECT, true },
		{ "0x00000000000a0000 0x00000000000bffff direct-relaxable\n",
		  II_RESV_DIRECT_RELAXABLE, true },
		{ "0x0000000000000000 0x0000000000000fff reserved\n", II_RESV_RESERVED, false },
		{ "0x0000000000000000 0x0000000000000fff directx\n", II_RESV_OTHER, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ii_resv r;

		CHECK_INT(ii_parse_resv_line(cases[i].line, &r), 0);
		CHECK_INT(r.kind, cases[i].kind);
		CHECK_INT(ii_resv_is_direct(&r), cases[i].direct);
	}
}
