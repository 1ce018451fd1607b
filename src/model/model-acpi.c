// SPDX-License-Identifier: MIT
/*
 * The decoded DMAR and IVRS cross-referenced with the tree: device scope paths
 * resolved through the recorded config space of the bridges on the way, the
 * devices each remapping unit and memory definition covers, the devices an
 * RMRR pins (they get the rmrr mark), and the registered unit that each DRHD
 * and IVHD describes. Pure: it reads only the model.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "arm.h"
#include "source.h"
#include "paths.h"

bool ii_rmrr_relaxable(const struct ii_device *d)
{
	/* as the kernel's device_rmrr_is_relaxable(): USB controllers and graphics */
	return (d->valid & II_DV_CLASS) &&
	       ((d->class_code >> 8) == 0x0c03 || (d->class_code >> 16) == 0x03);
}

/* The index of the PCI device b in s->devices (sorted: PCI by address first), or -1. */
static long dev_index(const struct ii_system *s, const struct ii_bdf *b)
{
	size_t lo = 0, hi = s->ndevices;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct ii_device *d = s->devices[mid];
		int c = d->is_pci ? ii_bdf_cmp(&d->bdf, b) : 1;

		if (!c)
			return d->present ? (long)mid : -1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int lookup(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t *sec)
{
	const struct ii_system *s = ctx;
	struct ii_bdf b = { seg, bus, dev, fn };
	long i = dev_index(s, &b);
	const struct ii_device *d;

	if (i < 0)
		return -ENOENT;
	d = s->devices[i];
	if (d->valid & II_DV_BUSES) {
		*sec = d->secondary_bus;
		return 1;
	}
	if ((d->valid & II_DV_CONFIG) && d->header_type != 1)
		return 0;
	return -ENODATA;
}

/* Mark device i and, for a bridge, every device on the buses below it. */
static void mark_subtree(const struct ii_system *s, long i, bool subtree, bool *mark)
{
	const struct ii_device *br = s->devices[i];

	mark[i] = true;
	if (!subtree || !(br->valid & II_DV_BUSES))
		return;
	for (size_t j = 0; j < s->ndevices; j++) {
		const struct ii_device *d = s->devices[j];
		if (d->is_pci && d->present && d->bdf.domain == br->bdf.domain &&
		    d->bdf.bus >= br->secondary_bus && d->bdf.bus <= br->subordinate_bus)
			mark[j] = true;
	}
}

/* The devices of the tree that a structure's PCI scopes name (bridges: with what is below). */
static void mark_scopes(const struct ii_system *s, const struct ii_dmar_struct *st, bool *mark)
{
	for (size_t k = 0; k < st->nscopes; k++) {
		const struct ii_dmar_scope *sc = &st->scopes[k];
		long i;

		if (sc->type != II_SCOPE_ENDPOINT && sc->type != II_SCOPE_BRIDGE)
			continue;
		if (sc->walk != II_WALK_EXACT && sc->walk != II_WALK_NAIVE)
			continue;
		i = dev_index(s, &sc->bdf);
		if (i >= 0)
			mark_subtree(s, i, sc->type == II_SCOPE_BRIDGE, mark);
	}
}

/* Turn marks into a cover's device list (in address order), and clear them. */
static void collect(const struct ii_system *s, bool *mark, struct ii_acpi_cover *c)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ndevices; i++)
		n += mark[i];
	c->devs = xcalloc(n ? n : 1, sizeof(*c->devs));
	c->ndevs = 0;
	for (size_t i = 0; i < s->ndevices; i++)
		if (mark[i]) {
			c->devs[c->ndevs++] = s->devices[i];
			mark[i] = false;
		}
}

static struct ii_unit *unit_at(const struct ii_system *s, uint64_t base)
{
	for (size_t i = 0; i < s->nunits; i++)
		if (s->units[i].vendor == II_VENDOR_INTEL && (s->units[i].valid & II_UV_ADDRESS) &&
		    s->units[i].address == base)
			return &s->units[i];
	return NULL;
}

/* How the table is named in warnings: the --file as given, or its path under the root. */
static char *table_name(const struct ii_system *s, const struct ii_acpi_table *t)
{
	char *rel, *name;

	if (t->file)
		return xstrdup(t->file);
	rel = xasprintf(II_PATH_ACPI_TABLES "/%s", t->signature);
	name = s->root ? ii_root_display(s->root, rel) : xstrdup(rel);
	free(rel);
	return name;
}

/* A scope's PCI address as a device of the tree, or NULL. */
static const struct ii_device *scope_device(const struct ii_system *s,
					    const struct ii_dmar_scope *sc)
{
	long i;

	if (sc->walk != II_WALK_EXACT && sc->walk != II_WALK_NAIVE)
		return NULL;
	i = dev_index(s, &sc->bdf);
	return i >= 0 ? s->devices[i] : NULL;
}

/* The type of the group's reserved region that is exactly the RMRR, or NULL. */
static const char *rmrr_region(const struct ii_group *g, const struct ii_dmar_struct *st)
{
	for (size_t i = 0; g && i < g->nresv; i++)
		if (g->resv[i].start == st->base && g->resv[i].end == st->limit)
			return g->resv[i].type;
	return NULL;
}

/* An RMRR's pinned devices: what decides whether their groups can be assigned. */
static void link_pins(const struct ii_system *s, const struct ii_dmar_struct *st,
		      struct ii_acpi_cover *c)
{
	c->pins = xcalloc(c->ndevs + 1, sizeof(*c->pins));
	for (size_t i = 0; i < c->ndevs; i++) {
		struct ii_acpi_pin *p = &c->pins[i];
		const struct ii_device *d = c->devs[i];

		p->dev = d;
		p->group = d->group >= 0 ? ii_find_group(s, (unsigned)d->group) : NULL;
		p->relaxable = ii_rmrr_relaxable(d);
		p->bridge = (d->valid & II_DV_CLASS) && (d->class_code >> 16) == 0x06;
		p->region = rmrr_region(p->group, st);
		/* the kernel's device_rmrr_is_relaxable() and the bridge exception (5.3+) */
		p->ineligible = !p->relaxable && !p->bridge && d->group >= 0;
	}
}

static void link_dmar(struct ii_system *s, struct ii_acpi_table *t)
{
	struct ii_dmar *dm = t->dmar;
	bool *mark = xcalloc(s->ndevices + 1, sizeof(*mark));
	bool *claimed = xcalloc(s->ndevices + 1, sizeof(*claimed));

	t->cover = xcalloc(dm->n + 1, sizeof(*t->cover));
	for (size_t i = 0; i < dm->n; i++) {
		struct ii_dmar_struct *st = &dm->s[i];
		uint16_t seg = (st->have & II_DH_SEGMENT) ? st->segment : 0;

		t->cover[i].scope_devs = xcalloc(st->nscopes + 1, sizeof(*t->cover[i].scope_devs));
		for (size_t k = 0; k < st->nscopes; k++) {
			struct ii_dmar_scope *sc = &st->scopes[k];

			ii_dmar_scope_resolve(seg, sc, lookup, s);
			t->cover[i].scope_devs[k] = scope_device(s, sc);
			if (sc->walk == II_WALK_LOOP) {
				char *name = table_name(s, t);
				ii_warn(&s->diags, "%s: offset 0x%x: %s (the config space of the tree "
					"contradicts the device scope); no PCI address", name,
					sc->offset, sc->note);
				free(name);
			}
		}
		if ((st->type == II_DMAR_DRHD || st->type == II_DMAR_RHSA) && (st->have & II_DH_BASE))
			t->cover[i].unit = unit_at(s, st->base);
		if (!ii_dmar_has_scopes(st->type))
			continue;
		if (st->type == II_DMAR_DRHD && (st->flags & 1))
			continue; /* INCLUDE_PCI_ALL: what the others leave, below */
		mark_scopes(s, st, mark);
		if (st->type == II_DMAR_DRHD)
			for (size_t j = 0; j < s->ndevices; j++)
				claimed[j] |= mark[j];
		if (st->type == II_DMAR_RMRR)
			for (size_t j = 0; j < s->ndevices; j++)
				s->devices[j]->rmrr |= mark[j];
		collect(s, mark, &t->cover[i]);
		if (st->type == II_DMAR_RMRR)
			link_pins(s, st, &t->cover[i]);
	}
	for (size_t i = 0; i < dm->n; i++) {
		struct ii_dmar_struct *st = &dm->s[i];

		if (st->type != II_DMAR_DRHD || !(st->flags & 1) || !(st->have & II_DH_SEGMENT))
			continue;
		for (size_t j = 0; j < s->ndevices; j++) {
			const struct ii_device *d = s->devices[j];
			mark[j] = d->is_pci && d->present && !claimed[j] &&
				  d->bdf.domain == st->segment;
		}
		collect(s, mark, &t->cover[i]);
	}
	free(claimed);
	free(mark);
}

/* The device ids an IVHD entry or IVMD block covers, within a segment. */
static bool ivmd_covers(const struct ii_ivrs_block *b, uint16_t devid)
{
	switch (b->type) {
	case 0x20:
		return true;
	case 0x21:
		return devid == b->devid;
	default:
		return devid >= b->devid && devid <= b->aux;
	}
}

static void link_ivrs(struct ii_system *s, struct ii_acpi_table *t)
{
	struct ii_ivrs *iv = t->ivrs;
	bool *mark = xcalloc(s->ndevices + 1, sizeof(*mark));

	t->cover = xcalloc(iv->n + 1, sizeof(*t->cover));
	for (size_t i = 0; i < iv->n; i++) {
		const struct ii_ivrs_block *b = &iv->b[i];

		if (b->kind == II_IVRS_UNKNOWN || (b->kind == II_IVRS_IVHD && !(b->have & II_IH_HEADER)) ||
		    (b->kind == II_IVRS_IVMD && !(b->have & II_IH_IVMD)))
			continue;
		for (size_t j = 0; j < s->ndevices; j++) {
			const struct ii_device *d = s->devices[j];
			uint16_t devid = (uint16_t)(d->bdf.bus << 8 | d->bdf.dev << 3 | d->bdf.fn);

			if (!d->is_pci || !d->present || d->bdf.domain != b->segment)
				continue;
			if (b->kind == II_IVRS_IVMD) {
				mark[j] = ivmd_covers(b, devid);
				continue;
			}
			for (size_t k = 0; k < b->nentries && !mark[j]; k++) {
				const struct ii_ivhd_entry *e = &b->entries[k];
				mark[j] = ii_ive_covers(e) && devid >= e->first && devid <= e->last;
			}
		}
		collect(s, mark, &t->cover[i]);
		if (b->kind == II_IVRS_IVHD) {
			struct ii_bdf fn = ii_devid_bdf(b->segment, b->devid);
			char name[II_BDF_MAX];

			ii_format_bdf(&fn, name);
			for (size_t u = 0; u < s->nunits; u++)
				if (s->units[u].pci_function && !strcmp(s->units[u].pci_function, name))
					t->cover[i].unit = &s->units[u];
		}
	}
	free(mark);
}

static void free_cover(struct ii_acpi_table *t)
{
	size_t n = t->dmar ? t->dmar->n : t->ivrs ? t->ivrs->n : t->iort ? t->iort->n :
		   t->viot ? t->viot->n : 0;

	for (size_t i = 0; t->cover && i < n; i++) {
		free(t->cover[i].devs);
		free(t->cover[i].scope_devs);
		free(t->cover[i].pins);
	}
	free(t->cover);
	t->cover = NULL;
}

void ii_acpi_link(struct ii_system *s)
{
	bool rmrr_known = !s->dmar.present || s->dmar.dmar;

	for (size_t j = 0; j < s->ndevices; j++) {
		s->devices[j]->rmrr = false;
		s->devices[j]->valid &= ~(unsigned)II_DV_RMRR;
		if (rmrr_known && s->devices[j]->is_pci)
			s->devices[j]->valid |= II_DV_RMRR;
	}
	free_cover(&s->dmar);
	free_cover(&s->ivrs);
	free_cover(&s->iort);
	free_cover(&s->viot);
	if (s->dmar.dmar)
		link_dmar(s, &s->dmar);
	if (s->ivrs.ivrs)
		link_ivrs(s, &s->ivrs);
	/* Arm and virtio-iommu: the ID chains, the IORT covers and the RMR marks */
	ii_arm_link(s);
}

void ii_acpi_warn_rmrr_unknown(struct ii_system *s)
{
	char *path;

	if (!s->dmar.present || s->dmar.dmar || !s->dmar.err)
		return;
	path = ii_root_display(s->root, II_PATH_ACPI_TABLES "/DMAR");
	ii_warn(&s->diags, "cannot read %s: %s: which devices an RMRR pins is unknown (\"rmrr\" is "
		"null in JSON)%s", path, strerror(-s->dmar.err),
		s->dmar.err == -EACCES || s->dmar.err == -EPERM
			? "; the ACPI tables are readable by root only: run as root" : "");
	free(path);
}

void ii_acpi_table_free(struct ii_acpi_table *t)
{
	free_cover(t);
	ii_src_acpi_free(t);
}

int ii_acpi_load_file(struct ii_system *s, const char *file, char **err)
{
	free_cover(&s->dmar);
	free_cover(&s->ivrs);
	free_cover(&s->iort);
	free_cover(&s->viot);
	if (ii_src_acpi_file(s, file, err) < 0)
		return -1;
	ii_acpi_link(s);
	return 0;
}
