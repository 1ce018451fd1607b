// SPDX-License-Identifier: MIT
/* src/parse-ivrs.c: the IVRS table (kernel-interfaces §8.2). */
#include <errno.h>
#include <stdlib.h>

#include "acpi-fixture.h"
#include "acpi.h"

#define IVRS_Q35 "amd-q35/sys/firmware/acpi/tables/IVRS"
#define IVRS_ALL "acpi/good/ivrs-all.dat"

static uint16_t id(unsigned bus, unsigned dev, unsigned fn)
{
	return (uint16_t)(bus << 8 | dev << 3 | fn);
}

TEST(ivrs_real_q35)
{
	struct ii_ivrs v;
	size_t len;
	uint8_t *buf = acpi_table(IVRS_Q35, &len);
	/* the entries as QEMU wrote them, ranges joined: kind, first, last */
	static const struct { enum ii_ive_kind k; uint16_t first, last; } want[] = {
		{ II_IVE_SELECT, 0x0000, 0x0000 }, { II_IVE_SELECT, 0x0008, 0x0008 },
		{ II_IVE_SELECT, 0x0010, 0x0010 }, { II_IVE_SELECT, 0x0028, 0x0028 },
		{ II_IVE_SELECT, 0x0080, 0x0080 }, { II_IVE_RANGE, 0x0100, 0x01ff },
		{ II_IVE_SELECT, 0x0081, 0x0081 }, { II_IVE_RANGE, 0x0200, 0x02ff },
		{ II_IVE_SELECT, 0x0082, 0x0082 }, { II_IVE_RANGE, 0x0300, 0x03ff },
		{ II_IVE_SELECT, 0x0083, 0x0083 }, { II_IVE_RANGE, 0x0400, 0x04ff },
		{ II_IVE_SELECT, 0x0088, 0x0088 }, { II_IVE_SELECT, 0x0500, 0x0500 },
		{ II_IVE_ALIAS_RANGE, 0x0600, 0x06ff }, { II_IVE_SELECT, 0x0090, 0x0090 },
		{ II_IVE_RANGE, 0x0700, 0x07ff }, { II_IVE_SELECT, 0x00f8, 0x00f8 },
		{ II_IVE_SELECT, 0x00fa, 0x00fa }, { II_IVE_SELECT, 0x00fb, 0x00fb },
		{ II_IVE_SPECIAL, 0x0000, 0x0000 },
	};

	if (!buf)
		return;
	CHECK_INT(ii_parse_ivrs(buf, len, &v), 0);
	CHECK_INT(v.warnings.n, 0);
	CHECK(v.have_ivinfo);
	CHECK_U64(v.ivinfo, 0x2800);
	CHECK_INT(v.kernel_type, 0x10);
	CHECK_INT(v.n, 1);
	if (v.n == 1) {
		const struct ii_ivrs_block *b = &v.b[0];

		CHECK_INT(b->kind, II_IVRS_IVHD);
		CHECK_INT(b->type, 0x10);
		CHECK_INT(b->flags, 0xd1);
		CHECK_INT(b->length, 0x8c);
		CHECK_INT(b->devid, 0x0010);
		CHECK_INT(b->cap_offset, 0x40);
		CHECK_U64(b->base, 0xfed80000);
		CHECK_INT(b->segment, 0);
		CHECK_U64(b->feature, 0x44);
		CHECK(b->kernel_uses);
		CHECK(!(b->have & II_IH_EFR));
		CHECK_INT(b->nentries, II_ARRAY_SIZE(want));
		for (size_t i = 0; i < b->nentries && i < II_ARRAY_SIZE(want); i++) {
			CHECK_INT(b->entries[i].kind, want[i].k);
			CHECK_INT(b->entries[i].first, want[i].first);
			CHECK_INT(b->entries[i].last, want[i].last);
			CHECK(!b->entries[i].open);
		}
		if (b->nentries == II_ARRAY_SIZE(want)) {
			const struct ii_ivhd_entry *a = &b->entries[14], *sp = &b->entries[20];

			CHECK_INT(a->alias, 0x0600);
			CHECK_INT(a->offset, 0x90);
			CHECK_INT(a->end_offset, 0x98);
			CHECK_INT(sp->handle, 0);
			CHECK_INT(sp->source, id(0, 0x14, 0));
			CHECK_INT(sp->variety, 1);
		}
	}
	ii_ivrs_free(&v);
	free(buf);
}

TEST(ivrs_good_all)
{
	struct ii_ivrs v;
	size_t len;
	uint8_t *buf = acpi_table(IVRS_ALL, &len);
	const struct ii_ivrs_block *b;

	if (!buf)
		return;
	CHECK_INT(ii_parse_ivrs(buf, len, &v), 0);
	CHECK_INT(v.warnings.n, 0);
	CHECK(v.hdr.checksum_ok);
	CHECK_INT(v.hdr.revision, 2);
	CHECK_INT(v.ivinfo & 3, 3);
	CHECK_INT((v.ivinfo >> 8) & 0x7f, 48);
	CHECK_INT((v.ivinfo >> 15) & 0x7f, 64);
	CHECK_INT((v.ivinfo >> 5) & 7, 2);
	/* the same IOMMU as 0x10, 0x11 and 0x40: the kernel takes the last, 0x40 */
	CHECK_INT(v.kernel_type, 0x40);
	CHECK_INT(v.n, 6);
	if (v.n != 6)
		goto out;
	CHECK(!v.b[0].kernel_uses && !v.b[1].kernel_uses && v.b[2].kernel_uses);

	b = &v.b[0];
	CHECK_INT(b->type, 0x10);
	CHECK_INT(b->info, 0x1f04);
	CHECK_U64(b->feature, 0x80048f6e);
	CHECK_INT(b->nentries, 11);
	if (b->nentries == 11) {
		static const enum ii_ive_kind k[] = {
			II_IVE_PAD, II_IVE_SELECT, II_IVE_SELECT, II_IVE_RANGE, II_IVE_ALIAS_SELECT,
			II_IVE_EXT_SELECT, II_IVE_EXT_RANGE, II_IVE_ALIAS_RANGE, II_IVE_PAD,
			II_IVE_SPECIAL, II_IVE_SPECIAL,
		};
		for (size_t i = 0; i < 11; i++)
			CHECK_INT(b->entries[i].kind, k[i]);
		CHECK_INT(b->entries[2].dte, 0xf7);
		CHECK_INT(b->entries[3].first, id(1, 0, 0));
		CHECK_INT(b->entries[3].last, id(1, 31, 7));
		CHECK_INT(b->entries[4].alias, id(0, 0x14, 4));
		CHECK_U64(b->entries[5].ext, 0x80000000);
		CHECK_INT(b->entries[6].last, id(3, 31, 7));
		CHECK_INT(b->entries[7].alias, id(4, 0, 0));
		CHECK_INT(b->entries[9].handle, 0x21);
		CHECK_INT(b->entries[9].variety, 1);
		CHECK_INT(b->entries[10].variety, 2);
		CHECK_INT(b->entries[10].source, id(0, 0x14, 0));
	}
	b = &v.b[1];
	CHECK_INT(b->type, 0x11);
	CHECK_U64(b->efr, 0x58f77ef22294adeULL);
	CHECK(b->have & II_IH_EFR);
	CHECK_INT(b->nentries, 2);
	if (b->nentries == 2) {
		CHECK_INT(b->entries[0].kind, II_IVE_ALL);
		CHECK_INT(b->entries[0].last, 0xffff);
		CHECK(ii_ive_covers(&b->entries[0]));
		CHECK(!ii_ive_covers(&b->entries[1]));
	}
	b = &v.b[2];
	CHECK_INT(b->type, 0x40);
	CHECK_U64(b->efr2, 1);
	CHECK_INT(b->nentries, 5);
	if (b->nentries == 5) {
		CHECK_INT(b->entries[2].kind, II_IVE_ACPI_HID);
		CHECK_STR(b->entries[2].hid, "AMDI0020");
		CHECK_STR(b->entries[2].cid, "");
		CHECK_STR(b->entries[2].uid, "ID00");
		CHECK_INT(b->entries[2].first, id(0, 0x14, 5));
		/* a compressed EISA id, an integer UID */
		CHECK_STR(b->entries[3].hid, "PNP0A08");
		CHECK_STR(b->entries[3].cid, "PNP0C01");
		CHECK_STR(b->entries[3].uid, "5");
		CHECK_INT(b->entries[3].uid_format, 1);
		/* no UID */
		CHECK_STR(b->entries[4].hid, "AMDI0040");
		CHECK(b->entries[4].uid == NULL);
	}
	/* IVMD: all, one device, a range */
	CHECK_INT(v.b[3].kind, II_IVRS_IVMD);
	CHECK_INT(v.b[3].flags, 7);
	CHECK_U64(v.b[3].start, 0xa0000);
	CHECK_U64(v.b[3].size, 0x20000);
	CHECK_INT(v.b[4].devid, id(0, 0x14, 0));
	CHECK_INT(v.b[4].flags, 8);
	CHECK_INT(v.b[5].devid, id(1, 0, 0));
	CHECK_INT(v.b[5].aux, id(1, 0, 7));
out:
	ii_ivrs_free(&v);
	free(buf);
}

/* A failed check, counted in bad. */
#define TFAIL(...)                                            \
	do {                                                  \
		t_fail(__FILE__, __LINE__, __VA_ARGS__);      \
		bad++;                                        \
	} while (0)

static void every_truncation(const char *rel)
{
	size_t len;
	uint8_t *full = acpi_table(rel, &len);

	if (!full)
		return;
	/* a few failures tell the story: stop after the third */
	for (size_t n = 0, bad = 0; n <= len && bad < 3; n++) {
		uint8_t *buf = malloc(n ? n : 1);
		struct ii_ivrs v;
		int rc;

		memcpy(buf, full, n);
		rc = ii_parse_ivrs(buf, n, &v);
		if (n < 36) {
			if (rc != -EINVAL)
				TFAIL("%s cut at %zu: %d, not -EINVAL", rel, n, rc);
		} else if (rc != 0) {
			TFAIL("%s cut at %zu: %d", rel, n, rc);
		} else if (n < len && !has_warning(&v.warnings, "truncated")) {
			TFAIL("%s cut at %zu: no 'truncated' warning", rel, n);
		}
		for (size_t i = 0; i < v.n; i++) {
			if (v.b[i].offset + v.b[i].avail > n)
				TFAIL("%s cut at %zu: block %zu past the cut", rel, n, i);
			for (size_t k = 0; k < v.b[i].nentries; k++)
				if (v.b[i].entries[k].offset >= n)
					TFAIL("%s cut at %zu: entry past the cut", rel, n);
		}
		ii_ivrs_free(&v);
		free(buf);
	}
	free(full);
}

TEST(ivrs_every_truncation)
{
	every_truncation(IVRS_Q35);
	every_truncation(IVRS_ALL);
}

TEST(ivrs_bad_set)
{
	struct bad_case c[64];
	size_t n = bad_cases("ivrs-", c, 64);

	CHECK(n >= 15);
	for (size_t i = 0; i < n; i++) {
		char rel[96];
		struct ii_ivrs v;
		size_t len;
		uint8_t *buf;

		snprintf(rel, sizeof(rel), "acpi/bad/%.63s", c[i].name);
		buf = acpi_table(rel, &len);
		if (!buf)
			continue;
		if (c[i].rc) {
			if (ii_parse_ivrs(buf, len, &v) != -EINVAL)
				t_fail(__FILE__, __LINE__, "%s: decoded", c[i].name);
		} else if (ii_parse_ivrs(buf, len, &v) != 0) {
			t_fail(__FILE__, __LINE__, "%s: not decoded", c[i].name);
		} else if (!has_warning(&v.warnings, c[i].text)) {
			t_fail(__FILE__, __LINE__, "%s: no warning with \"%s\" (%zu warnings%s%s)",
			       c[i].name, c[i].text, v.warnings.n, v.warnings.n ? ", first: " : "",
			       v.warnings.n ? v.warnings.v[0] : "");
		}
		ii_ivrs_free(&v);
		free(buf);
	}
}

TEST(ivrs_ranges_broken)
{
	struct ii_ivrs v;
	size_t len;
	uint8_t *buf = acpi_table("acpi/bad/ivrs-range-open.dat", &len);

	if (!buf)
		return;
	/* the range at 0x5c lost its end: it covers nothing, the entries after it are kept */
	CHECK_INT(ii_parse_ivrs(buf, len, &v), 0);
	CHECK(v.n == 1 && v.b[0].nentries > 6);
	if (v.n == 1 && v.b[0].nentries > 6) {
		CHECK_INT(v.b[0].entries[5].kind, II_IVE_RANGE);
		CHECK(v.b[0].entries[5].open);
		CHECK(!ii_ive_covers(&v.b[0].entries[5]));
		CHECK_INT(v.b[0].entries[6].kind, II_IVE_PAD);
	}
	CHECK(has_warning(&v.warnings, "offset 0x68: range start at 0x5c has no end"));
	ii_ivrs_free(&v);
	free(buf);

	buf = acpi_table("acpi/bad/ivrs-range-end-alone.dat", &len);
	if (!buf)
		return;
	CHECK_INT(ii_parse_ivrs(buf, len, &v), 0);
	CHECK(v.n == 1 && v.b[0].nentries > 6);
	if (v.n == 1 && v.b[0].nentries > 6)
		CHECK_INT(v.b[0].entries[6].kind, II_IVE_END_ALONE);
	CHECK(has_warning(&v.warnings, "offset 0x60: range end without a start"));
	ii_ivrs_free(&v);
	free(buf);
}

TEST(ivrs_devid_bdf)
{
	struct ii_bdf b = ii_devid_bdf(1, 0x06fb);
	char s[II_BDF_MAX];

	ii_format_bdf(&b, s);
	CHECK_STR(s, "0001:06:1f.3");
	CHECK_INT(ii_ivhd_header_size(0x10), 24);
	CHECK_INT(ii_ivhd_header_size(0x11), 40);
	CHECK_INT(ii_ivhd_header_size(0x40), 40);
	CHECK_INT(ii_ivhd_header_size(0x41), 0);
	CHECK_STR(ii_ive_kind_name(II_IVE_ALIAS_RANGE), "alias_range");
}
