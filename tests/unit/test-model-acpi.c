// SPDX-License-Identifier: MIT
/*
 * src/model-acpi.c: the decoded tables matched with a hand-built tree: scope
 * paths walked through bridges' bus numbers, what each unit covers, the devices
 * an RMRR pins.
 */
#include <errno.h>
#include <stdlib.h>

#include "acpi-fixture.h"
#include "model.h"

/*
 * The tree: bus 0 has 00:00.0 (host bridge), 00:02.0 (VGA), 00:14.0 (USB),
 * 00:1c.0 (root port, buses 1-2, config recorded), 00:1d.0 (root port whose config
 * was not recorded); bus 1 has 01:00.0 (a PCIe-to-PCI bridge to bus 2); bus 2 has
 * 02:03.0 (a NIC). Segment 1 has 0001:00:00.0.
 */
struct tdev {
	const char *name;
	uint32_t cls;
	int hdr;        /* header type, -1: no config recorded */
	uint8_t sec, sub;
	int group;
};

static const struct tdev tree[] = {
	{ "0000:00:00.0", 0x060000, 0, 0, 0, 0 },
	{ "0000:00:02.0", 0x030000, 0, 0, 0, 1 },
	{ "0000:00:14.0", 0x0c0330, 0, 0, 0, 2 },
	{ "0000:00:1c.0", 0x060400, 1, 1, 2, 3 },
	{ "0000:00:1d.0", 0x060400, -1, 0, 0, 4 },
	{ "0000:01:00.0", 0x060400, 1, 2, 2, 5 },
	{ "0000:02:03.0", 0x020000, 0, 0, 0, 5 },
	{ "0001:00:00.0", 0x010802, 0, 0, 0, 6 },
};

static void build(struct ii_system *s)
{
	memset(s, 0, sizeof(*s));
	s->ndevices = II_ARRAY_SIZE(tree);
	s->devices = xcalloc(s->ndevices, sizeof(*s->devices));
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = xcalloc(1, sizeof(*d));

		snprintf(d->name, sizeof(d->name), "%s", tree[i].name);
		ii_parse_bdf(d->name, &d->bdf);
		d->is_pci = d->present = true;
		d->class_code = tree[i].cls;
		d->valid = II_DV_CLASS;
		if (tree[i].hdr >= 0) {
			d->header_type = (uint8_t)tree[i].hdr;
			d->valid |= II_DV_CONFIG;
		}
		if (tree[i].hdr == 1) {
			d->secondary_bus = tree[i].sec;
			d->subordinate_bus = tree[i].sub;
			d->valid |= II_DV_BUSES;
		}
		d->group = tree[i].group;
		s->devices[i] = d;
	}
	s->nunits = 1;
	s->units = xcalloc(1, sizeof(*s->units));
	s->units[0].name = xstrdup("dmar1");
	s->units[0].vendor = II_VENDOR_INTEL;
	s->units[0].address = 0xfed91000;
	s->units[0].valid = II_UV_ADDRESS;
}

/* A DMAR of the given structures (already encoded), with a valid header. */
static uint8_t *dmar(const uint8_t *body, size_t n, size_t *len)
{
	uint8_t *t = xcalloc(1, 48 + n);
	uint8_t sum = 0;

	memcpy(t, "DMAR", 4);
	*len = 48 + n;
	t[4] = (uint8_t)*len;
	t[5] = (uint8_t)(*len >> 8);
	t[8] = 1;
	t[36] = 38;
	memcpy(t + 48, body, n);
	for (size_t i = 0; i < *len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)(0x100 - sum);
	return t;
}

static void set_dmar(struct ii_system *s, const uint8_t *body, size_t n)
{
	size_t len;
	uint8_t *t = dmar(body, n, &len);

	s->dmar.signature = "DMAR";
	s->dmar.present = true;
	s->dmar.dmar = xcalloc(1, sizeof(*s->dmar.dmar));
	CHECK_INT(ii_parse_dmar(t, len, s->dmar.dmar), 0);
	CHECK_INT(s->dmar.dmar->warnings.n, 0);
	free(t);
}

static char *names(const struct ii_acpi_cover *c)
{
	struct strlist l = { 0 };
	char *s;

	for (size_t i = 0; i < c->ndevs; i++)
		sl_add(&l, c->devs[i]->name);
	s = sl_join(&l, " ");
	sl_free(&l);
	return s;
}

static void check_cover(int line, const struct ii_acpi_cover *c, const char *want)
{
	char *got = names(c);

	if (strcmp(got, want))
		t_fail(__FILE__, line, "covers \"%s\", not \"%s\"", got, want);
	free(got);
}

#define LE16(v) (uint8_t)((v) & 0xff), (uint8_t)((v) >> 8)
#define LE64(v) LE16((v) & 0xffff), LE16(((v) >> 16) & 0xffff), LE16(((v) >> 32) & 0xffff), \
		LE16(((v) >> 48) & 0xffff)

TEST(xref_dmar)
{
	static const uint8_t body[] = {
		/* DRHD 0xfed90000: the VGA endpoint, and the root port 1c.0 as a bridge */
		LE16(0), LE16(32), 0, 0, LE16(0), LE64(0xfed90000ULL),
		1, 8, 0, 0, 0, 0, 0x02, 0,
		2, 8, 0, 0, 0, 0, 0x1c, 0,
		/* DRHD 0xfed91000 INCLUDE_PCI_ALL, segment 0, an IOAPIC */
		LE16(0), LE16(24), 1, 0, LE16(0), LE64(0xfed91000ULL),
		3, 8, 0, 0, 2, 0xf0, 0x1f, 0,
		/* RMRR: the NIC two bridges down, a USB controller, and a path through 1d.0 */
		LE16(1), LE16(24 + 12 + 8 + 10), LE16(0), LE16(0), LE64(0x3e000000ULL),
		LE64(0x3e0fffffULL),
		1, 12, 0, 0, 0, 0, 0x1c, 0, 0x00, 0, 0x03, 0,
		1, 8, 0, 0, 0, 0, 0x14, 0,
		1, 10, 0, 0, 0, 0, 0x1d, 0, 0x00, 0,
	};
	struct ii_system s;
	const struct ii_dmar_struct *st;

	build(&s);
	set_dmar(&s, body, sizeof(body));
	ii_acpi_link(&s);
	if (!s.dmar.cover || s.dmar.dmar->n != 3)
		goto out;
	st = s.dmar.dmar->s;
	/* the bridge scope takes the root port and everything on buses 1-2 */
	check_cover(__LINE__, &s.dmar.cover[0],
		    "0000:00:02.0 0000:00:1c.0 0000:01:00.0 0000:02:03.0");
	CHECK(s.dmar.cover[0].unit == NULL);
	/* INCLUDE_PCI_ALL: what the other unit leaves, in its segment only */
	check_cover(__LINE__, &s.dmar.cover[1], "0000:00:00.0 0000:00:14.0 0000:00:1d.0");
	CHECK(s.dmar.cover[1].unit == &s.units[0]);
	/* the IOAPIC's source-id needs no walk */
	CHECK_INT(st[1].scopes[0].walk, II_WALK_EXACT);
	CHECK_INT(st[1].scopes[0].bdf.bus, 0xf0);
	/* 00:1c.0 -> bus 1, 01:00.0 -> bus 2: 02:03.0 */
	CHECK_INT(st[2].scopes[0].walk, II_WALK_EXACT);
	CHECK_INT(st[2].scopes[0].bdf.bus, 2);
	CHECK_INT(st[2].scopes[0].bdf.dev, 3);
	/* 00:1d.0 has no config space: naive, 00:00.0 */
	CHECK_INT(st[2].scopes[2].walk, II_WALK_NAIVE);
	CHECK(strstr(st[2].scopes[2].note, "no recorded config space") != NULL);
	/* pinned: the NIC, the USB controller, and (naively) the host bridge */
	check_cover(__LINE__, &s.dmar.cover[2], "0000:00:00.0 0000:00:14.0 0000:02:03.0");
	for (size_t i = 0; i < s.ndevices; i++) {
		const struct ii_device *d = s.devices[i];
		bool want = !strcmp(d->name, "0000:02:03.0") || !strcmp(d->name, "0000:00:14.0") ||
			    !strcmp(d->name, "0000:00:00.0");

		CHECK(d->valid & II_DV_RMRR);
		if (d->rmrr != want)
			t_fail(__FILE__, __LINE__, "%s: rmrr %d", d->name, d->rmrr);
	}
	CHECK(ii_rmrr_relaxable(s.devices[2]));  /* USB */
	CHECK(ii_rmrr_relaxable(s.devices[1]));  /* VGA */
	CHECK(!ii_rmrr_relaxable(s.devices[6])); /* NIC */
	/* linking again gives the same answer (the --file path links after the load) */
	ii_acpi_link(&s);
	check_cover(__LINE__, &s.dmar.cover[2], "0000:00:00.0 0000:00:14.0 0000:02:03.0");
out:
	CHECK(s.dmar.cover != NULL);
	ii_system_free(&s);
}

TEST(xref_rmrr_bridge_scope)
{
	/* an RMRR on a bridge pins everything below it, as the kernel's
	 * is_downstream_to_pci_bridge() does */
	static const uint8_t body[] = {
		LE16(1), LE16(32), LE16(0), LE16(0), LE64(0x1000ULL), LE64(0x1fffULL),
		2, 8, 0, 0, 0, 1, 0x00, 0,
	};
	struct ii_system s;

	build(&s);
	set_dmar(&s, body, sizeof(body));
	ii_acpi_link(&s);
	if (s.dmar.cover)
		check_cover(__LINE__, &s.dmar.cover[0], "0000:01:00.0 0000:02:03.0");
	ii_system_free(&s);
}

TEST(xref_path_loop)
{
	/* 00:1d.0 claims bus 0 as its secondary bus: a path through it loops */
	static const uint8_t body[] = {
		LE16(1), LE16(34), LE16(0), LE16(0), LE64(0x1000ULL), LE64(0x1fffULL),
		1, 10, 0, 0, 0, 0, 0x1d, 0, 0x00, 0,
	};
	struct ii_system s;

	build(&s);
	s.devices[4]->header_type = 1;
	s.devices[4]->valid |= II_DV_CONFIG | II_DV_BUSES;
	set_dmar(&s, body, sizeof(body));
	ii_acpi_link(&s);
	CHECK_INT(s.dmar.dmar->s[0].scopes[0].walk, II_WALK_LOOP);
	CHECK(s.diags.warnings.n == 1 &&
	      strstr(s.diags.warnings.v[0], "DMAR: offset 0x48: the path loops: the bridge "
					    "00:1d.0 (element 1) leads back to bus 00") != NULL);
	if (s.diags.warnings.n)
		CHECK(strstr(s.diags.warnings.v[0], "sys/firmware/acpi/tables/DMAR") != NULL);
	/* nothing is pinned, and nothing else is lost */
	if (s.dmar.cover)
		CHECK_INT(s.dmar.cover[0].ndevs, 0);
	ii_system_free(&s);
}

TEST(xref_rmrr_unknown)
{
	struct ii_system s;

	/* a DMAR that could not be read: the mark is unknown, not false */
	build(&s);
	s.dmar.signature = "DMAR";
	s.dmar.present = true;
	s.dmar.err = -EACCES;
	ii_acpi_link(&s);
	for (size_t i = 0; i < s.ndevices; i++)
		CHECK(!(s.devices[i]->valid & II_DV_RMRR));
	ii_system_free(&s);

	/* no DMAR at all (AMD, or no IOMMU): known, false */
	build(&s);
	ii_acpi_link(&s);
	for (size_t i = 0; i < s.ndevices; i++) {
		CHECK(s.devices[i]->valid & II_DV_RMRR);
		CHECK(!s.devices[i]->rmrr);
	}
	ii_system_free(&s);
}

TEST(xref_ivrs)
{
	size_t len;
	uint8_t *buf = acpi_table("acpi/good/ivrs-all.dat", &len);
	struct ii_system s;

	if (!buf)
		return;
	build(&s);
	free(s.units[0].name);
	s.units[0].name = xstrdup("ivhd0");
	s.units[0].vendor = II_VENDOR_AMD;
	s.units[0].pci_function = xstrdup("0000:00:00.2");
	s.ivrs.signature = "IVRS";
	s.ivrs.present = true;
	s.ivrs.ivrs = xcalloc(1, sizeof(*s.ivrs.ivrs));
	CHECK_INT(ii_parse_ivrs(buf, len, s.ivrs.ivrs), 0);
	ii_acpi_link(&s);
	if (!s.ivrs.cover || s.ivrs.ivrs->n != 6)
		goto out;
	/* 0x10: selects 00:00.0, 00:01.0; ranges on buses 1, 3, 4; alias 02:00.0; ext 00:14.0 */
	check_cover(__LINE__, &s.ivrs.cover[0], "0000:00:00.0 0000:00:14.0 0000:01:00.0");
	CHECK(s.ivrs.cover[0].unit == &s.units[0]);
	/* 0x11: ALL, segment 0 only */
	check_cover(__LINE__, &s.ivrs.cover[1], "0000:00:00.0 0000:00:02.0 0000:00:14.0 "
		    "0000:00:1c.0 0000:00:1d.0 0000:01:00.0 0000:02:03.0");
	/* 0x40: 00:00.0 and the range 00:10.0-00:12.7 */
	check_cover(__LINE__, &s.ivrs.cover[2], "0000:00:00.0");
	/* IVMD: all; 00:14.0; 01:00.0-01:00.7 */
	CHECK_INT(s.ivrs.cover[3].ndevs, 7);
	check_cover(__LINE__, &s.ivrs.cover[4], "0000:00:14.0");
	check_cover(__LINE__, &s.ivrs.cover[5], "0000:01:00.0");
	/* IVRS never sets the RMRR mark */
	for (size_t i = 0; i < s.ndevices; i++)
		CHECK(!s.devices[i]->rmrr);
out:
	CHECK(s.ivrs.cover != NULL);
	ii_system_free(&s);
	free(buf);
}
