// SPDX-License-Identifier: MIT
/*
 * `acpi`: the decoded IVRS. Text: IVinfo, then one block per IVHD (its device
 * entries one per line, ranges joined) or IVMD. JSON: "blocks": [...].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render-acpi.h"

/* The DTE setting: its value, and its bits by name. */
static void dte(struct ii_out *o, const struct ii_ivhd_entry *e)
{
	out_hex(o, "dte", e->dte ? "  dte 0x%02llx" : NULL, e->dte, 2);
	out_strlist(o, "dte_flags", e->dte_flags.n ? " (%s)" : NULL, " ", &e->dte_flags);
}

static void devid(struct ii_out *o, const char *key, const char *fmt, uint16_t seg, uint16_t id)
{
	struct ii_bdf b = ii_devid_bdf(seg, id);
	char name[II_BDF_MAX];

	ra_bdf(&b, name);
	out_str(o, key, fmt, name);
}

/* ---------------------------------------------------------- device entries */

static void entry(struct ii_out *o, const struct ii_ivrs_block *b, const struct ii_ivhd_entry *e)
{
	static const char *const text_names[] = {
		[II_IVE_PAD] = "pad", [II_IVE_ALL] = "all", [II_IVE_SELECT] = "select",
		[II_IVE_RANGE] = "range", [II_IVE_ALIAS_SELECT] = "alias select",
		[II_IVE_ALIAS_RANGE] = "alias range", [II_IVE_EXT_SELECT] = "ext select",
		[II_IVE_EXT_RANGE] = "ext range", [II_IVE_SPECIAL] = "special",
		[II_IVE_ACPI_HID] = "ACPI HID", [II_IVE_END_ALONE] = "range end",
		[II_IVE_UNKNOWN] = "unknown",
	};
	bool range = e->kind == II_IVE_RANGE || e->kind == II_IVE_ALIAS_RANGE ||
		     e->kind == II_IVE_EXT_RANGE;

	out_open_obj(o, NULL);
	out_hex(o, "offset", NULL, e->offset, 0);
	out_str(o, "type", NULL, ii_ive_kind_name(e->kind));
	out_text(o, e->kind == II_IVE_PAD ? "    %s" : "    %-13s", text_names[e->kind]);
	out_hex(o, "code", NULL, e->code, 2);
	switch (e->kind) {
	case II_IVE_PAD:
		break;
	case II_IVE_ALL:
	case II_IVE_SELECT:
	case II_IVE_ALIAS_SELECT:
	case II_IVE_EXT_SELECT:
	case II_IVE_END_ALONE:
		devid(o, "first", e->kind == II_IVE_ALL ? NULL : "%s", b->segment, e->first);
		devid(o, "last", NULL, b->segment, e->last);
		if (e->kind == II_IVE_ALL)
			out_text(o, "every device id");
		break;
	case II_IVE_RANGE:
	case II_IVE_ALIAS_RANGE:
	case II_IVE_EXT_RANGE:
		devid(o, "first", "%s", b->segment, e->first);
		if (e->open) {
			out_null(o, "last", NULL);
			out_text(o, "-(no end entry)");
		} else
			devid(o, "last", "-%s", b->segment, e->last);
		if (e->end_offset)
			out_hex(o, "end_offset", NULL, e->end_offset, 0);
		else
			out_null(o, "end_offset", NULL);
		break;
	case II_IVE_SPECIAL:
		out_uint(o, "handle", e->variety == 2 ? "HPET %llu" : e->variety == 1 ?
			 "IOAPIC %llu" : "handle %llu", e->handle);
		out_str(o, "variety", NULL, e->variety == 1 ? "ioapic" : e->variety == 2 ? "hpet" :
					    "unknown");
		out_uint(o, "variety_code", e->variety == 1 || e->variety == 2 ? NULL :
			 " (variety %llu)", e->variety);
		devid(o, "source", "  source-id %s", b->segment, e->source);
		break;
	case II_IVE_ACPI_HID:
		devid(o, "bdf", "%s", b->segment, e->first);
		out_str(o, "hid", "  HID %s", e->hid[0] ? e->hid : NULL);
		out_str(o, "cid", e->cid[0] ? "  CID %s" : NULL, e->cid[0] ? e->cid : NULL);
		out_uint(o, "uid_format", NULL, e->uid_format);
		out_str(o, "uid", e->uid ? "  UID %s" : NULL, e->uid);
		break;
	case II_IVE_UNKNOWN:
		out_text(o, "type 0x%02x", e->code);
		break;
	}
	if (e->kind == II_IVE_ALIAS_SELECT || e->kind == II_IVE_ALIAS_RANGE)
		devid(o, "alias", "  requests as %s", b->segment, e->alias);
	if (e->kind == II_IVE_EXT_SELECT || e->kind == II_IVE_EXT_RANGE) {
		out_hex(o, "ext", "  ext 0x%08llx", e->ext, 8);
		out_bool(o, "ats_disabled", NULL, e->ats_disabled);
		if (e->ats_disabled)
			out_text(o, " (ATS disabled)");
	}
	if (e->kind != II_IVE_PAD && e->kind != II_IVE_END_ALONE)
		dte(o, e);
	if (range && !e->open && e->last < e->first)
		out_text(o, "  (ends before it starts: covers nothing)");
	if (e->kind == II_IVE_UNKNOWN) {
		out_text(o, "\n  ");
		ra_raw(o, e->raw, e->nraw);
	} else {
		out_text(o, "\n");
	}
	out_close_obj(o);
}

/* ------------------------------------------------------------------ blocks */

static void ivhd(struct ii_out *o, const struct ii_ivrs_block *b, const struct ii_acpi_cover *c)
{
	bool hdr = b->have & II_IH_HEADER;
	struct ii_bdf fn = ii_devid_bdf(b->segment, b->devid);
	char name[II_BDF_MAX];

	ra_bdf(&fn, name);
	out_str(o, "iommu_bdf", hdr ? "  IOMMU %s" : NULL, hdr ? name : NULL);
	ra_hex(o, "base_address", "  registers 0x%llx", b->base, 0, hdr);
	ra_uint(o, "segment", "  segment %llu", b->segment, hdr);
	ra_unit(o, c);
	out_bool(o, "kernel_uses", NULL, b->kernel_uses);
	out_text(o, "%s\n", b->kernel_uses ? "" : "  (not the type the kernel uses)");
	out_hex(o, "flags", "  flags 0x%02llx", b->flags, 2);
	out_strlist(o, "flag_names", b->flag_names.n ? ": %s" : NULL, " ", &b->flag_names);
	out_text(o, "\n");
	ra_hex(o, "capability_offset", "  capability at 0x%02llx", b->cap_offset, 2, hdr);
	ra_hex(o, "iommu_info", ", info 0x%04llx", b->info, 4, hdr);
	ra_uint(o, "msi_number", " (MSI number %llu", b->msi_number, hdr);
	ra_uint(o, "unit_id", ", unit id %llu)", b->unit_id, hdr);
	if (b->type == 0x10) {
		ra_hex(o, "feature_reporting", ", feature reporting 0x%08llx", b->feature, 8,
		       b->have & II_IH_FEATURE);
	} else {
		ra_hex(o, "attributes", ", attributes 0x%08llx", b->feature, 8,
		       b->have & II_IH_FEATURE);
		ra_hex(o, "efr", "\n  EFR image 0x%016llx", b->efr, 16, b->have & II_IH_EFR);
		ra_hex(o, "efr2", ", EFR2 image 0x%016llx", b->efr2, 16, b->have & II_IH_EFR);
	}
	out_text(o, "\n");
	out_open_arr(o, "device_entries");
	for (size_t i = 0; i < b->nentries; i++)
		entry(o, b, &b->entries[i]);
	out_close_arr(o);
	ra_covers(o, c, NULL);
}

static void ivmd(struct ii_out *o, const struct ii_ivrs_block *b, const struct ii_acpi_cover *c)
{
	const struct { bool set; const char *key, *name; } flags[4] = {
		{ b->unity, "unity", "unity" }, { b->read, "read", "read" },
		{ b->write, "write", "write" },
		{ b->exclusion_range, "exclusion_range", "exclusion range" },
	};
	bool ok = b->have & II_IH_IVMD;
	char size[32];

	out_hex(o, "flags", "  flags 0x%02llx", b->flags, 2);
	if (b->unity || b->read || b->write || b->exclusion_range)
		out_text(o, ":");
	for (size_t i = 0; i < 4; i++) {
		out_bool(o, flags[i].key, NULL, flags[i].set);
		if (flags[i].set)
			out_text(o, " %s", flags[i].name);
	}
	out_str(o, "applies_to", "  for %s", ii_ivmd_applies_key(b->applies_to));
	if (ok && b->applies_to != II_IVMD_ALL) {
		devid(o, "first", " %s", b->segment, b->devid);
		devid(o, "last", b->applies_to == II_IVMD_RANGE ? "-%s" : NULL, b->segment,
		      b->last_devid);
	} else {
		out_null(o, "first", NULL);
		out_null(o, "last", NULL);
	}
	ra_uint(o, "segment", "  segment %llu", b->segment, ok);
	out_text(o, "\n ");
	ra_hex(o, "start", " 0x%016llx", b->start, 0, ok);
	ra_hex(o, "size", NULL, b->size, 0, ok);
	ra_hex(o, "end", "-0x%016llx", b->end, 0, ok && b->has_end);
	if (ok) {
		ra_size(b->size, size, sizeof(size));
		out_text(o, " (%s)", size);
	}
	out_text(o, "\n");
	ra_covers(o, c, NULL);
}

static void block(struct ii_out *o, const struct ii_acpi_table *t, size_t idx)
{
	const struct ii_ivrs_block *b = &t->ivrs->b[idx];
	const struct ii_acpi_cover *c = t->cover ? &t->cover[idx] : NULL;
	static const char *const kinds[] = { "IVHD", "IVMD", "unknown" };

	out_open_obj(o, NULL);
	out_text(o, "\n");
	out_hex(o, "offset", NULL, b->offset, 0);
	out_str(o, "kind", "%s", kinds[b->kind]);
	out_hex(o, "type", " type 0x%02llx", b->type, 2);
	out_text(o, " at 0x%x", b->offset);
	out_uint(o, "length", " (length %llu)", b->length);
	out_bool(o, "truncated", NULL, b->avail < b->length);
	if (b->avail < b->length)
		out_text(o, " TRUNCATED: %u bytes in the table", b->avail);
	switch (b->kind) {
	case II_IVRS_IVHD:
		ivhd(o, b, c);
		break;
	case II_IVRS_IVMD:
		ivmd(o, b, c);
		break;
	default:
		out_hex(o, "flags", NULL, b->flags, 2);
		out_text(o, "  (unknown to this tool)\n");
		ra_raw(o, b->raw, b->nraw);
	}
	out_close_obj(o);
}

void render_ivrs_body(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t)
{
	const struct ii_ivrs *iv = t->ivrs;
	bool ok = iv->have_ivinfo;

	(void)s;
	ra_hex(o, "ivinfo", "  IVinfo 0x%08llx", iv->ivinfo, 8, ok);
	ra_uint(o, "pa_size", ": physical address size %llu", iv->pa_size, ok);
	ra_uint(o, "va_size", ", virtual %llu", iv->va_size, ok);
	ra_uint(o, "gva_size", ", guest virtual %llu (encoded)", iv->gva_size, ok);
	if (ok) {
		out_bool(o, "efr_supported", NULL, iv->efr_supported);
		out_bool(o, "dma_remap", NULL, iv->dma_remap);
		out_bool(o, "ht_ats_reserved", NULL, iv->ht_ats_reserved);
		out_text(o, "\n  EFR images %s (EFRSup), DMA remapping flag %s, HT ATS range %s\n",
			 iv->efr_supported ? "valid" : "not valid",
			 iv->dma_remap ? "set" : "clear",
			 iv->ht_ats_reserved ? "reserved" : "not reserved");
	} else {
		out_null(o, "efr_supported", NULL);
		out_null(o, "dma_remap", NULL);
		out_null(o, "ht_ats_reserved", NULL);
		out_text(o, "\n");
	}
	if (iv->kernel_type)
		out_hex(o, "kernel_ivhd_type", "  the kernel uses the IVHD blocks of type 0x%02llx\n",
			iv->kernel_type, 2);
	else
		out_null(o, "kernel_ivhd_type", NULL);
	if (!iv->kernel_type)
		out_text(o, "  no IVHD block the kernel can use\n");
	out_open_arr(o, "blocks");
	for (size_t i = 0; i < iv->n; i++)
		block(o, t, i);
	out_close_arr(o);
}
