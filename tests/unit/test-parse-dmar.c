// SPDX-License-Identifier: MIT
/* src/parse-dmar.c: the DMAR table and the scope path walk (kernel-interfaces §8.1). */
#include <errno.h>
#include <stdlib.h>

#include "acpi-fixture.h"
#include "acpi.h"

#define DMAR_Q35 "intel-q35/sys/firmware/acpi/tables/DMAR"
#define DMAR_ALL "acpi/good/dmar-all.dat"
#define DMAR_RMRR "acpi/good/dmar-rmrr.dat"

static void check_path(const struct ii_dmar_scope *sc, const char *want)
{
	char got[64] = "";
	size_t n = 0;

	for (size_t i = 0; i < sc->npath; i++)
		n += (size_t)snprintf(got + n, sizeof(got) - n, "%s%02x.%x", i ? "/" : "",
				      sc->path[i].dev, sc->path[i].fn);
	CHECK_STR(got, want);
}

TEST(dmar_real_q35)
{
	struct ii_dmar d;
	size_t len;
	uint8_t *buf = acpi_table(DMAR_Q35, &len);
	static const uint8_t types[] = { 3, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1 };
	static const char *const paths[] = { "00.0", "00.0", "01.0", "05.0", "10.0", "10.1", "10.2",
					     "10.3", "11.0", "12.0", "1f.0", "1f.2", "1f.3" };

	if (!buf)
		return;
	CHECK_INT(ii_parse_dmar(buf, len, &d), 0);
	CHECK_INT(d.warnings.n, 0);
	CHECK_INT(d.size, 168);
	CHECK(d.have_body);
	CHECK_INT(d.haw + 1, 39);
	CHECK_INT(d.flags, II_DMAR_INTR_REMAP);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		const struct ii_dmar_struct *s = &d.s[0];

		CHECK_INT(s->type, II_DMAR_DRHD);
		CHECK_INT(s->offset, 0x30);
		CHECK_INT(s->length, 0x78);
		CHECK_INT(s->avail, 0x78);
		CHECK_INT(s->flags, 0);
		CHECK_INT(s->size, 0);
		CHECK_INT(s->segment, 0);
		CHECK_U64(s->base, 0xfed90000);
		CHECK_INT(s->have & (II_DH_FLAGS | II_DH_SIZE | II_DH_SEGMENT | II_DH_BASE),
			  II_DH_FLAGS | II_DH_SIZE | II_DH_SEGMENT | II_DH_BASE);
		CHECK_INT(s->nscopes, 13);
		for (size_t i = 0; i < s->nscopes && i < 13; i++) {
			CHECK_INT(s->scopes[i].type, types[i]);
			CHECK_INT(s->scopes[i].length, 8);
			CHECK_INT(s->scopes[i].offset, 0x40 + 8 * i);
			CHECK_INT(s->scopes[i].start_bus, i == 0 ? 0xff : 0);
			check_path(&s->scopes[i], paths[i]);
		}
	}
	ii_dmar_free(&d);
	free(buf);
}

TEST(dmar_good_all)
{
	struct ii_dmar d;
	size_t len;
	uint8_t *buf = acpi_table(DMAR_ALL, &len);
	static const unsigned types[] = { 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 9 };

	if (!buf)
		return;
	CHECK_INT(ii_parse_dmar(buf, len, &d), 0);
	CHECK(d.hdr.checksum_ok);
	CHECK_INT(d.haw + 1, 48);
	CHECK_INT(d.flags, II_DMAR_INTR_REMAP | II_DMAR_X2APIC_OPT_OUT | II_DMAR_PLATFORM_OPT_IN);
	/* the only complaint: the type this tool does not know */
	CHECK_INT(d.warnings.n, 1);
	CHECK(has_warning(&d.warnings, "unknown structure type 9, length 12"));
	CHECK_INT(d.n, 13);
	if (d.n != 13)
		goto out;
	for (size_t i = 0; i < d.n; i++) {
		CHECK_INT(d.s[i].type, types[i]);
		CHECK_INT(d.s[i].avail, d.s[i].length);
	}
	/* DRHD: 8 KiB of registers, one endpoint */
	CHECK_INT(d.s[0].size, 1);
	CHECK_U64(d.s[0].base, 0xfed90000);
	CHECK_INT(d.s[0].nscopes, 1);
	/* DRHD INCLUDE_PCI_ALL: IOAPIC 2, HPET 0, ACPI device 1 */
	CHECK_INT(d.s[1].flags, 1);
	CHECK_INT(d.s[1].nscopes, 3);
	if (d.s[1].nscopes == 3) {
		CHECK_INT(d.s[1].scopes[0].type, II_SCOPE_IOAPIC);
		CHECK_INT(d.s[1].scopes[0].enum_id, 2);
		CHECK_INT(d.s[1].scopes[0].start_bus, 0xf0);
		CHECK_INT(d.s[1].scopes[1].type, II_SCOPE_HPET);
		check_path(&d.s[1].scopes[1], "1f.7");
		CHECK_INT(d.s[1].scopes[2].type, II_SCOPE_ACPI);
		CHECK_INT(d.s[1].scopes[2].enum_id, 1);
	}
	/* segment 1: a bridge and a two-element path */
	CHECK_INT(d.s[2].segment, 1);
	CHECK_INT(d.s[2].nscopes, 2);
	if (d.s[2].nscopes == 2) {
		CHECK_INT(d.s[2].scopes[0].type, II_SCOPE_BRIDGE);
		CHECK_INT(d.s[2].scopes[1].length, 10);
		check_path(&d.s[2].scopes[1], "01.0/00.0");
	}
	/* RMRRs */
	CHECK_U64(d.s[3].base, 0x3e000000);
	CHECK_U64(d.s[3].limit, 0x3e0fffff);
	CHECK_INT(d.s[3].nscopes, 2);
	if (d.s[3].nscopes == 2)
		check_path(&d.s[3].scopes[0], "11.0/00.0/01.0");
	CHECK_U64(d.s[4].limit, 0x7fffffff);
	/* ATSR: two root ports; then ALL_PORTS with none */
	CHECK_INT(d.s[5].flags, 0);
	CHECK_INT(d.s[5].nscopes, 2);
	CHECK_INT(d.s[6].flags, 1);
	CHECK_INT(d.s[6].segment, 1);
	CHECK_INT(d.s[6].nscopes, 0);
	/* RHSA */
	CHECK_U64(d.s[8].base, 0xfed92000);
	CHECK_INT(d.s[8].proximity, 1);
	CHECK(d.s[8].have & II_DH_PROXIMITY);
	/* ANDD */
	CHECK_INT(d.s[9].acpi_dev, 1);
	CHECK_STR(d.s[9].object_name, "\\_SB.PCI0.SDMA");
	/* SATC, SIDP (a scope with a flags byte) */
	CHECK_INT(d.s[10].flags, 1);
	CHECK_INT(d.s[10].nscopes, 1);
	CHECK_INT(d.s[11].nscopes, 1);
	if (d.s[11].nscopes == 1)
		CHECK_INT(d.s[11].scopes[0].flags, 1);
	/* unknown: its bytes as found */
	CHECK_INT(d.s[12].nraw, 12);
	if (d.s[12].nraw == 12) {
		CHECK_INT(d.s[12].raw[0], 9);
		CHECK_INT(d.s[12].raw[4], 0xa0);
		CHECK_INT(d.s[12].raw[11], 0xa7);
	}
out:
	ii_dmar_free(&d);
	free(buf);
}

/* A table cut at every byte: decoded without reading past the cut, and never silently. */
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
		uint8_t *buf = malloc(n ? n : 1); /* exactly n bytes: ASan sees any overread */
		struct ii_dmar d;
		int rc;

		memcpy(buf, full, n);
		rc = ii_parse_dmar(buf, n, &d);
		if (n < 36) {
			if (rc != -EINVAL)
				TFAIL("%s cut at %zu: %d, not -EINVAL", rel, n, rc);
		} else if (rc != 0) {
			TFAIL("%s cut at %zu: %d", rel, n, rc);
		} else if (n < len && !has_warning(&d.warnings, "truncated")) {
			TFAIL("%s cut at %zu: no 'truncated' warning", rel, n);
		} else if (n == len && has_warning(&d.warnings, "truncated")) {
			TFAIL("%s whole: a 'truncated' warning", rel);
		}
		for (size_t i = 0; i < d.n; i++) {
			if (d.s[i].offset + d.s[i].avail > n)
				TFAIL("%s cut at %zu: structure %zu past the cut", rel, n, i);
			for (size_t k = 0; k < d.s[i].nscopes; k++)
				if (d.s[i].scopes[k].offset + d.s[i].scopes[k].length > n)
					TFAIL("%s cut at %zu: scope past the cut", rel, n);
		}
		ii_dmar_free(&d);
		free(buf);
	}
	free(full);
}

TEST(dmar_every_truncation)
{
	every_truncation(DMAR_Q35);
	every_truncation(DMAR_ALL);
	every_truncation(DMAR_RMRR);
}

TEST(dmar_bad_set)
{
	struct bad_case c[64];
	size_t n = bad_cases("dmar-", c, 64);

	CHECK(n >= 15);
	for (size_t i = 0; i < n; i++) {
		char rel[96];
		struct ii_dmar d;
		size_t len;
		uint8_t *buf;

		snprintf(rel, sizeof(rel), "acpi/bad/%.63s", c[i].name);
		buf = acpi_table(rel, &len);
		if (!buf)
			continue;
		if (c[i].rc) {
			/* not even a header: nothing to decode */
			if (ii_parse_dmar(buf, len, &d) != -EINVAL)
				t_fail(__FILE__, __LINE__, "%s: decoded", c[i].name);
		} else if (ii_parse_dmar(buf, len, &d) != 0) {
			t_fail(__FILE__, __LINE__, "%s: not decoded", c[i].name);
		} else if (!has_warning(&d.warnings, c[i].text)) {
			t_fail(__FILE__, __LINE__, "%s: no warning with \"%s\" (%zu warnings%s%s)",
			       c[i].name, c[i].text, d.warnings.n, d.warnings.n ? ", first: " : "",
			       d.warnings.n ? d.warnings.v[0] : "");
		}
		ii_dmar_free(&d);
		free(buf);
	}
}

TEST(dmar_bad_keeps_the_rest)
{
	struct ii_dmar d;
	size_t len;
	uint8_t *buf = acpi_table("acpi/bad/dmar-zero-length.dat", &len);

	if (!buf)
		return;
	/* the structure before the zero length is whole; decoding stops at it */
	CHECK_INT(ii_parse_dmar(buf, len, &d), 0);
	CHECK_INT(d.n, 1);
	CHECK_U64(d.s[0].base, 0xfed90000);
	CHECK(has_warning(&d.warnings, "offset 0x48:"));
	ii_dmar_free(&d);
	free(buf);

	/* an odd scope length: that scope keeps its one element, the next is lost */
	buf = acpi_table("acpi/bad/dmar-scope-odd.dat", &len);
	if (!buf)
		return;
	CHECK_INT(ii_parse_dmar(buf, len, &d), 0);
	CHECK_INT(d.n, 1);
	CHECK_INT(d.s[0].nscopes, 1);
	CHECK_INT(d.s[0].scopes[0].npath, 1);
	CHECK(has_warning(&d.warnings, "offset 0x40:"));
	CHECK(has_warning(&d.warnings, "offset 0x49: device scope of length 0"));
	ii_dmar_free(&d);
	free(buf);

	/* an overlong scope is dropped, the scope before it kept */
	buf = acpi_table("acpi/bad/dmar-scope-overlong.dat", &len);
	if (!buf)
		return;
	CHECK_INT(ii_parse_dmar(buf, len, &d), 0);
	CHECK_INT(d.s[0].nscopes, 1);
	CHECK(has_warning(&d.warnings, "offset 0x48:"));
	ii_dmar_free(&d);
	free(buf);
}

/* ---------------------------------------------------------------- path walk */

/* A made-up topology: bus 0 has bridges 01.0 (-> bus 2) and 02.0 (-> bus 0, a loop);
 * bus 2 has bridge 00.0 (-> bus 5) and 03.0 (-> bus 0); 04.0 on bus 0 has no config
 * recorded; 1f.0 is not a bridge. */
static int topo(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t *sec)
{
	int *calls = ctx;

	(*calls)++;
	if (seg != 0 || fn != 0)
		return -ENOENT;
	if (bus == 0 && dev == 0x01)
		return *sec = 2, 1;
	if (bus == 0 && dev == 0x02)
		return *sec = 0, 1;
	if (bus == 2 && dev == 0x00)
		return *sec = 5, 1;
	if (bus == 2 && dev == 0x03)
		return *sec = 0, 1;
	if (bus == 0 && dev == 0x04)
		return -ENODATA;
	if (bus == 0 && dev == 0x1f)
		return 0;
	return -ENOENT;
}

static void walk(int line, const struct ii_dmar_path *p, size_t n, enum ii_walk want,
		 const char *bdf, const char *note)
{
	struct ii_dmar_scope sc = { .type = 1, .start_bus = 0 };
	char got[II_BDF_MAX];
	int calls = 0;

	sc.path = (struct ii_dmar_path *)p;
	sc.npath = n;
	ii_dmar_scope_resolve(0, &sc, topo, &calls);
	if (sc.walk != want)
		t_fail(__FILE__, line, "walk %d, not %d (%s)", sc.walk, want, sc.note);
	if (calls > (int)n)
		t_fail(__FILE__, line, "%d lookups for %zu elements", calls, n);
	if (bdf) {
		ii_format_bdf(&sc.bdf, got);
		if (strcmp(got, bdf))
			t_fail(__FILE__, line, "bdf %s, not %s", got, bdf);
	}
	if (note ? !strstr(sc.note, note) : sc.note[0] != '\0')
		t_fail(__FILE__, line, "note \"%s\", not \"%s\"", sc.note, note ? note : "");
}

TEST(dmar_walk)
{
	static const struct ii_dmar_path one[] = { { 0x1f, 3 } };
	static const struct ii_dmar_path deep[] = { { 0x01, 0 }, { 0x00, 0 }, { 0x07, 1 } };
	static const struct ii_dmar_path nocfg[] = { { 0x04, 0 }, { 0x00, 0 } };
	static const struct ii_dmar_path notbr[] = { { 0x1f, 0 }, { 0x00, 0 } };
	static const struct ii_dmar_path absent[] = { { 0x01, 0 }, { 0x09, 0 }, { 0x00, 0 } };
	static const struct ii_dmar_path loop1[] = { { 0x02, 0 }, { 0x00, 0 } };
	static const struct ii_dmar_path loop2[] = { { 0x01, 0 }, { 0x03, 0 }, { 0x01, 0 },
						     { 0x00, 0 } };

	/* one element: no config space needed */
	walk(__LINE__, one, 1, II_WALK_EXACT, "0000:00:1f.3", NULL);
	/* 00:01.0 -> bus 2, 02:00.0 -> bus 5: 05:07.1 */
	walk(__LINE__, deep, 3, II_WALK_EXACT, "0000:05:07.1", NULL);
	/* the first bridge's config is missing: naive, on the start bus */
	walk(__LINE__, nocfg, 2, II_WALK_NAIVE, "0000:00:00.0", "no recorded config space");
	walk(__LINE__, notbr, 2, II_WALK_NAIVE, "0000:00:00.0", "not a PCI-to-PCI bridge");
	/* the second element is missing: the bus reached so far is kept */
	walk(__LINE__, absent, 3, II_WALK_NAIVE, "0000:02:00.0", "02:09.0 (element 2) is not in");
	/* a bridge back to the start bus, and a loop over two bridges */
	walk(__LINE__, loop1, 2, II_WALK_LOOP, NULL, "leads back to bus 00");
	walk(__LINE__, loop2, 4, II_WALK_LOOP, NULL, "02:03.0 (element 2) leads back");
	/* no element at all */
	walk(__LINE__, NULL, 0, II_WALK_EMPTY, NULL, "empty");
}

TEST(dmar_names)
{
	CHECK_STR(ii_dmar_type_name(0), "DRHD");
	CHECK_STR(ii_dmar_type_name(6), "SIDP");
	CHECK(ii_dmar_type_name(7) == NULL);
	CHECK_STR(ii_scope_type_name(5), "acpi");
	CHECK(ii_scope_type_name(0) == NULL);
	CHECK(ii_scope_type_name(6) == NULL);
	CHECK(ii_dmar_has_scopes(II_DMAR_SIDP));
	CHECK(!ii_dmar_has_scopes(II_DMAR_RHSA));
}
