// SPDX-License-Identifier: MIT
/*
 * `acpi`: the decoded DMAR (here) and IVRS (render-ivrs.c) with what they
 * cover in the tree. Text: one block per structure, its scopes one per line.
 * JSON: {"tables": [{"signature": "DMAR", ..., "structures": [...]}]}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render-acpi.h"
#include "paths.h"

/* ------------------------------------------------------------------ helpers */

void ra_bdf(const struct ii_bdf *b, char out[II_BDF_MAX])
{
	ii_format_bdf(b, out);
}

void ra_hex(struct ii_out *o, const char *key, const char *fmt, uint64_t v, int digits, bool have)
{
	if (have) {
		out_hex(o, key, fmt, v, digits);
		return;
	}
	out_null(o, key, NULL);
	if (fmt)
		out_text(o, "  %s -", key);
}

void ra_uint(struct ii_out *o, const char *key, const char *fmt, unsigned long long v, bool have)
{
	if (have) {
		out_uint(o, key, fmt, v);
		return;
	}
	out_null(o, key, NULL);
	if (fmt)
		out_text(o, "  %s -", key);
}

void ra_size(uint64_t bytes, char *out, size_t size)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	int u = -1;

	if (!bytes || bytes % 1024) {
		snprintf(out, size, "%llu byte%s", (unsigned long long)bytes, bytes == 1 ? "" : "s");
		return;
	}
	while (u < 3 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(out, size, "%llu %s", (unsigned long long)bytes, units[u]);
}

void ra_covers(struct ii_out *o, const struct ii_acpi_cover *c, const char *why)
{
	size_t n = c ? c->ndevs : 0;

	out_open_arr(o, "covers");
	out_text(o, "  covers %zu device%s in the tree%s%s", n, n == 1 ? "" : "s", why ? why : "",
		 n ? ":" : "");
	for (size_t i = 0; i < n; i++) {
		if (i % 6 == 0)
			out_text(o, "\n   ");
		out_str(o, NULL, " %s", c->devs[i]->name);
	}
	out_close_arr(o);
	out_text(o, "\n");
}

void ra_raw(struct ii_out *o, const uint8_t *p, size_t n)
{
	struct strbuf sb = { 0 };

	/* JSON: one string of hex digits. Text: lines of 16 bytes, each written
	 * on its own (a newline inside a value would be escaped). */
	if (out_is_json(o)) {
		for (size_t i = 0; i < n; i++)
			sb_addf(&sb, "%02x", p[i]);
		out_str(o, "raw", "%s", sb.buf ? sb.buf : "");
		sb_free(&sb);
		return;
	}
	out_text(o, "  raw bytes:\n");
	for (size_t i = 0; i < n; i += 16) {
		sb_reset(&sb);
		for (size_t j = i; j < n && j < i + 16; j++)
			sb_addf(&sb, "%s%02x", j > i ? " " : "", p[j]);
		out_str(o, NULL, "    %s\n", sb.buf);
	}
	sb_free(&sb);
}

void ra_unit(struct ii_out *o, const struct ii_acpi_cover *c)
{
	if (c && c->unit)
		out_str(o, "unit", "  unit %s", c->unit->name);
	else
		out_null(o, "unit", NULL);
}

/* -------------------------------------------------------------- table header */

static void table_header(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t)
{
	const struct ii_acpi_header *h = &t->hdr;
	char *rel = xasprintf(II_PATH_ACPI_TABLES "/%s", t->signature);
	char *src = t->file ? xstrdup(t->file) : ii_root_display(s->root, rel);
	bool checkable = h->length >= 36 && h->length <= t->size;

	out_str(o, "signature", "%s", t->signature);
	out_str(o, "source", "  %s\n", src);
	out_uint(o, "length", "  length %llu", h->length);
	out_uint(o, "bytes_read", " (%llu bytes read)", t->size);
	out_uint(o, "revision", ", revision %llu", h->revision);
	out_hex(o, "checksum", ", checksum 0x%02llx", h->checksum, 2);
	if (checkable)
		out_bool(o, "checksum_ok", NULL, h->checksum_ok);
	else
		out_null(o, "checksum_ok", NULL);
	out_text(o, " (%s)\n", !checkable ? "cannot be checked: the table is incomplete" :
			       h->checksum_ok ? "valid" : "MISMATCH");
	out_str(o, "oem_id", "  OEM \"%s\"", h->oem_id);
	out_str(o, "oem_table_id", " \"%s\"", h->oem_table_id);
	out_uint(o, "oem_revision", " revision %llu", h->oem_revision);
	out_str(o, "creator_id", ", creator \"%s\"", h->creator_id);
	out_uint(o, "creator_revision", " revision %llu\n", h->creator_revision);
	free(src);
	free(rel);
}

/* ---------------------------------------------------------------- DMAR scopes */

static void scope(struct ii_out *o, const struct ii_dmar_scope *sc, const struct ii_device *d)
{
	const char *type = ii_scope_type_name(sc->type);
	bool pci = sc->type == II_SCOPE_ENDPOINT || sc->type == II_SCOPE_BRIDGE;
	struct strbuf path = { 0 };
	char bdf[II_BDF_MAX], tname[16];

	snprintf(tname, sizeof(tname), "type %u", sc->type);
	out_open_obj(o, NULL);
	out_hex(o, "offset", NULL, sc->offset, 0);
	out_str(o, "type", "    %-9s", type ? type : tname);
	out_uint(o, "type_code", NULL, sc->type);
	out_uint(o, "length", NULL, sc->length);
	out_hex(o, "flags", NULL, sc->flags, 2);
	out_uint(o, "enumeration_id", NULL, sc->enum_id);
	out_uint(o, "start_bus", NULL, sc->start_bus);
	out_open_arr(o, "path");
	for (size_t i = 0; i < sc->npath; i++) {
		char e[8];
		snprintf(e, sizeof(e), "%02x.%x", sc->path[i].dev, sc->path[i].fn);
		sb_addf(&path, "%s%s", i ? "/" : "", e);
		out_str(o, NULL, NULL, e);
	}
	out_close_arr(o);
	out_text(o, " bus %02x  path %-15s", sc->start_bus, path.buf ? path.buf : "-");
	if (sc->walk == II_WALK_EXACT || sc->walk == II_WALK_NAIVE) {
		ra_bdf(&sc->bdf, bdf);
		out_str(o, "bdf", " -> %s", bdf);
		out_str(o, "bdf_basis", NULL, sc->walk == II_WALK_EXACT ? "walked" : "naive");
	} else {
		out_null(o, "bdf", " -> %s");
		out_null(o, "bdf_basis", NULL);
	}
	out_bool(o, "in_tree", NULL, d != NULL);
	if (pci && d && d->group >= 0)
		out_text(o, "  group %d", d->group);
	else if (pci && d)
		out_text(o, "  (in no IOMMU group)");
	else if (pci && (sc->walk == II_WALK_EXACT || sc->walk == II_WALK_NAIVE) && !d)
		out_text(o, "  (not in the tree)");
	if (sc->type == II_SCOPE_BRIDGE && d && (d->valid & II_DV_BUSES))
		out_text(o, ", buses %02x-%02x", d->secondary_bus, d->subordinate_bus);
	if (sc->type == II_SCOPE_IOAPIC)
		out_text(o, "  IOAPIC id %u (interrupt source-id)", sc->enum_id);
	else if (sc->type == II_SCOPE_HPET)
		out_text(o, "  HPET %u (interrupt source-id)", sc->enum_id);
	else if (sc->type == II_SCOPE_ACPI) {
		const char *an = sc->acpi_name;
		out_text(o, "  ACPI device %u%s%s%s", sc->enum_id, an ? " (" : "", an ? an : "",
			 an ? ")" : "");
	} else if (sc->enum_id) {
		out_text(o, "  enumeration id %u", sc->enum_id);
	}
	if (sc->flags)
		out_text(o, "  flags 0x%02x", sc->flags);
	out_str(o, "note", sc->note[0] ? "\n      note: %s" : NULL, sc->note[0] ? sc->note : NULL);
	out_text(o, "\n");
	out_close_obj(o);
	sb_free(&path);
}

static void scopes(struct ii_out *o, const struct ii_dmar_struct *st, const struct ii_acpi_cover *c)
{
	out_open_arr(o, "scopes");
	for (size_t i = 0; i < st->nscopes; i++)
		scope(o, &st->scopes[i], c && c->scope_devs ? c->scope_devs[i] : NULL);
	out_close_arr(o);
}

/* ------------------------------------------------------------------- RMRR */

static void pins(struct ii_out *o, const struct ii_acpi_cover *c)
{
	size_t n = c ? c->ndevs : 0;

	out_open_arr(o, "pins");
	out_text(o, "  pins %zu device%s in the tree%s\n", n, n == 1 ? "" : "s", n ? ":" : "");
	for (size_t i = 0; i < n; i++) {
		const struct ii_acpi_pin *p = &c->pins[i];
		const struct ii_device *d = p->dev;
		const struct ii_group *g = p->group;

		out_open_obj(o, NULL);
		out_str(o, "bdf", "    %s", d->name);
		if (d->group >= 0)
			out_int(o, "group", "  group %lld", d->group);
		else
			out_null(o, "group", "  group %s");
		out_str(o, "group_type", g && g->type ? " (%s)" : NULL, g ? g->type : NULL);
		out_bool(o, "relaxable", NULL, p->relaxable);
		out_text(o, "  %s", p->relaxable ? "relaxable (USB or graphics)" : "not relaxable");
		out_str(o, "reserved_region", p->region ? ", reserved region %s" : NULL, p->region);
		if (!p->region && g)
			out_text(o, ", no such reserved region in the group (the kernel did not apply "
				 "this RMRR)");
		if (p->ineligible) {
			char *warning = xasprintf("the kernel refuses to attach %s to a VFIO (unmanaged) "
						  "domain (\"Device is ineligible for IOMMU domain attach "
						  "due to platform RMRR requirement\"), so IOMMU group %d "
						  "cannot be assigned to a virtual machine", d->name,
						  d->group);
			out_str(o, "warning", "\n    warning: %s", warning);
			free(warning);
		} else {
			out_str(o, "warning", NULL, NULL);
		}
		out_text(o, "\n");
		out_close_obj(o);
	}
	out_close_arr(o);
}

/* ------------------------------------------------------------- structures */

static void structure(struct ii_out *o, const struct ii_acpi_table *t, size_t idx)
{
	const struct ii_dmar *dm = t->dmar;
	const struct ii_dmar_struct *st = &dm->s[idx];
	const struct ii_acpi_cover *c = t->cover ? &t->cover[idx] : NULL;
	const char *name = ii_dmar_type_name(st->type);
	unsigned h = st->have;
	char tname[24], size[32];

	snprintf(tname, sizeof(tname), "type %u", st->type);
	out_open_obj(o, NULL);
	out_text(o, "\n");
	out_hex(o, "offset", NULL, st->offset, 0);
	out_str(o, "type", "%s", name ? name : "unknown");
	if (!name)
		out_text(o, " %s", tname);
	out_uint(o, "type_code", NULL, st->type);
	out_text(o, " at 0x%x", st->offset);
	out_uint(o, "length", " (length %llu)", st->length);
	out_bool(o, "truncated", NULL, st->avail < st->length);
	if (st->avail < st->length)
		out_text(o, " TRUNCATED: %u bytes in the table", st->avail);
	switch (st->type) {
	case II_DMAR_DRHD:
		ra_hex(o, "register_base", "  registers 0x%llx", st->base, 0, h & II_DH_BASE);
		ra_uint(o, "size", NULL, st->size, h & II_DH_SIZE);
		ra_hex(o, "register_size", NULL, st->register_size, 0, h & II_DH_SIZE);
		if (h & II_DH_SIZE) {
			ra_size(st->register_size, size, sizeof(size));
			out_text(o, " (%s)", size);
		}
		ra_uint(o, "segment", "  segment %llu", st->segment, h & II_DH_SEGMENT);
		ra_hex(o, "flags", "  flags 0x%02llx", st->flags, 2, h & II_DH_FLAGS);
		if (h & II_DH_FLAGS)
			out_bool(o, "include_pci_all", NULL, st->include_pci_all);
		else
			out_null(o, "include_pci_all", NULL);
		if (st->include_pci_all)
			out_text(o, " INCLUDE_PCI_ALL");
		ra_unit(o, c);
		out_text(o, "\n");
		scopes(o, st, c);
		ra_covers(o, c, st->include_pci_all ?
			  " (INCLUDE_PCI_ALL: those no other unit lists)" : NULL);
		break;
	case II_DMAR_RMRR:
		ra_hex(o, "base", "  0x%016llx", st->base, 0, h & II_DH_BASE);
		ra_hex(o, "limit", "-0x%016llx", st->limit, 0, h & II_DH_LIMIT);
		if (st->rmrr_in_order) {
			ra_size(st->rmrr_bytes, size, sizeof(size));
			out_text(o, " (%s)", size);
		}
		ra_uint(o, "segment", "  segment %llu", st->segment, h & II_DH_SEGMENT);
		out_text(o, "\n");
		scopes(o, st, c);
		pins(o, c);
		break;
	case II_DMAR_ATSR:
	case II_DMAR_SATC:
		ra_uint(o, "segment", "  segment %llu", st->segment, h & II_DH_SEGMENT);
		ra_hex(o, "flags", "  flags 0x%02llx", st->flags, 2, h & II_DH_FLAGS);
		if (st->type == II_DMAR_ATSR) {
			if (h & II_DH_FLAGS)
				out_bool(o, "all_ports", NULL, st->all_ports);
			else
				out_null(o, "all_ports", NULL);
			if (st->all_ports)
				out_text(o, " ALL_PORTS");
		} else {
			if (h & II_DH_FLAGS)
				out_bool(o, "atc_required", NULL, st->atc_required);
			else
				out_null(o, "atc_required", NULL);
			if (st->atc_required)
				out_text(o, " ATC_REQUIRED");
		}
		out_text(o, "\n");
		scopes(o, st, c);
		ra_covers(o, c, NULL);
		break;
	case II_DMAR_SIDP:
		ra_uint(o, "segment", "  segment %llu", st->segment, h & II_DH_SEGMENT);
		out_text(o, "\n");
		scopes(o, st, c);
		ra_covers(o, c, NULL);
		break;
	case II_DMAR_RHSA:
		ra_hex(o, "register_base", "  registers 0x%llx", st->base, 0, h & II_DH_BASE);
		ra_uint(o, "proximity_domain", "  proximity domain %llu", st->proximity,
			h & II_DH_PROXIMITY);
		ra_unit(o, c);
		out_text(o, "\n");
		break;
	case II_DMAR_ANDD:
		ra_uint(o, "acpi_device_number", "  ACPI device %llu", st->acpi_dev, h & II_DH_ANDD);
		out_str(o, "object_name", "  %s", st->object_name);
		out_text(o, "\n");
		break;
	default:
		out_text(o, "  (unknown to this tool)\n");
		ra_raw(o, st->raw, st->nraw);
	}
	out_close_obj(o);
}

static void dmar_body(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t)
{
	const struct ii_dmar *dm = t->dmar;
	bool b = dm->have_body;
	const struct { bool set; const char *key, *name; } flags[] = {
		{ dm->intr_remap, "intr_remap", "INTR_REMAP" },
		{ dm->x2apic_opt_out, "x2apic_opt_out", "X2APIC_OPT_OUT" },
		{ dm->dma_ctrl_platform_opt_in, "dma_ctrl_platform_opt_in", "DMA_CTRL_PLATFORM_OPT_IN" },
	};

	(void)s;
	ra_uint(o, "host_address_width", "  host address width %llu bits\n", dm->host_address_width, b);
	ra_hex(o, "flags", "  flags 0x%02llx", dm->flags, 2, b);
	if (b && (dm->intr_remap || dm->x2apic_opt_out || dm->dma_ctrl_platform_opt_in))
		out_text(o, ":");
	for (size_t i = 0; i < II_ARRAY_SIZE(flags); i++) {
		if (b)
			out_bool(o, flags[i].key, NULL, flags[i].set);
		else
			out_null(o, flags[i].key, NULL);
		if (b && flags[i].set)
			out_text(o, " %s", flags[i].name);
	}
	if (b)
		out_text(o, "\n");
	out_open_arr(o, "structures");
	for (size_t i = 0; i < dm->n; i++)
		structure(o, t, i);
	out_close_arr(o);
}

void render_acpi(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *const *t,
		 size_t n)
{
	out_open_arr(o, "tables");
	for (size_t i = 0; i < n; i++) {
		if (i)
			out_text(o, "\n");
		out_open_obj(o, NULL);
		table_header(o, s, t[i]);
		if (t[i]->dmar)
			dmar_body(o, s, t[i]);
		else if (t[i]->ivrs)
			render_ivrs_body(o, s, t[i]);
		else if (t[i]->iort)
			render_iort_body(o, s, t[i]);
		else if (t[i]->viot)
			render_viot_body(o, s, t[i]);
		out_close_obj(o);
	}
	out_close_arr(o);
}
