// SPDX-License-Identifier: MIT
/* IOMMU units with their decoded capability registers. */
#include <stdlib.h>

#include "render.h"
#include "render-dbg.h"

void render_reg_fields(struct ii_out *o, const struct ii_regdesc *rd, uint64_t v,
		       render_explain_fn explain)
{
	out_open_obj(o, "fields");
	for (size_t i = 0; i < rd->nfields; i++) {
		const struct ii_field *f = &rd->fields[i];
		uint64_t x = ii_field_get(v, f);

		if (f->lo == f->hi) {
			out_bool(o, f->name, NULL, x != 0);
			if (x)
				out_text(o, " %s", f->name);
		} else {
			char *why = explain(rd, f, x);

			out_uint(o, f->name, NULL, x);
			if (x) {
				out_text(o, " %s=%#llx", f->name, (unsigned long long)x);
				if (why)
					out_text(o, " (%s)", why);
			}
			free(why);
		}
	}
	out_close_obj(o);
}

/*
 * A register: JSON {"value": "0x...", "fields": {name: bool|int, ...}};
 * text: "  cap   0x... ND=6 (65536 domain ids) CM ..." (set flags by name,
 * nonzero multi-bit fields as NAME=value with what it means).
 */
static void reg(struct ii_out *o, const struct ii_regdesc *rd, uint64_t v, int digits)
{
	out_open_obj(o, rd->reg);
	out_text(o, "  %-8s", rd->reg);
	out_hex(o, "value", digits == 8 ? "0x%08llx" : "0x%016llx", v, digits);
	render_reg_fields(o, rd, v, ii_field_explain);
	out_text(o, "\n");
	out_close_obj(o);
}

/* Capabilities in words: the descriptions of the set flags. */
static void capabilities(struct ii_out *o, const struct ii_regdesc *const *rds, const uint64_t *vals,
			 size_t n)
{
	struct strlist caps = { 0 };

	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < rds[r]->nfields; i++) {
			const struct ii_field *f = &rds[r]->fields[i];
			if (f->lo == f->hi && ii_field_get(vals[r], f))
				sl_add(&caps, f->desc);
		}
	out_strlist(o, "capabilities", "  capabilities: %s\n", "; ", &caps);
	sl_free(&caps);
}

static void devices(struct ii_out *o, const struct ii_unit *u)
{
	out_text(o, "  devices (%zu):", u->devices.n);
	out_open_arr(o, "devices");
	for (size_t i = 0; i < u->devices.n; i++) {
		if (i % 6 == 0)
			out_text(o, "\n   ");
		out_str(o, NULL, " %s", u->devices.v[i]);
	}
	out_close_arr(o);
	out_text(o, "\n");
}

static void intel_unit(struct ii_out *o, const struct ii_unit *u)
{
	const struct ii_regdesc *rds[2];
	uint64_t vals[2];
	size_t n = 0;

	out_str(o, "version", "  version %s", u->version);
	if (u->valid & II_UV_ADDRESS)
		out_hex(o, "address", "  registers at 0x%llx\n", u->address, 0);
	else
		out_null(o, "address", "  registers at %s\n");
	if (u->valid & II_UV_DOMAINS) {
		out_int(o, "domains_supported", "  domain ids: %lld supported", u->domains_supported);
		if (u->domains_used >= 0)
			out_int(o, "domains_used", ", %lld in use\n", u->domains_used);
		else
			out_null(o, "domains_used", ", %s in use\n");
	} else {
		out_null(o, "domains_supported", NULL);
		out_null(o, "domains_used", NULL);
	}
	out_open_obj(o, "registers");
	if (u->valid & II_UV_CAP) {
		reg(o, &ii_intel_cap, u->cap, 16);
		rds[n] = &ii_intel_cap;
		vals[n++] = u->cap;
	} else {
		out_null(o, "cap", "  cap     %s (unknown)\n");
	}
	if (u->valid & II_UV_ECAP) {
		reg(o, &ii_intel_ecap, u->ecap, 16);
		rds[n] = &ii_intel_ecap;
		vals[n++] = u->ecap;
	} else {
		out_null(o, "ecap", "  ecap    %s (unknown)\n");
	}
	out_close_obj(o);
	capabilities(o, rds, vals, n);
}

static void amd_unit(struct ii_out *o, const struct ii_unit *u)
{
	const struct ii_regdesc *rds[3];
	uint64_t vals[3];
	size_t n = 0;

	out_str(o, "pci_function", "  PCI function %s\n", u->pci_function);
	out_open_obj(o, "registers");
	if (u->valid & II_UV_AMD_CAP) {
		reg(o, &ii_amd_caphdr, u->amd_cap, 8);
		rds[n] = &ii_amd_caphdr;
		vals[n++] = u->amd_cap;
	} else {
		out_null(o, "amd_cap", "  amd_cap %s (unknown)\n");
	}
	if (u->valid & II_UV_FEATURES) {
		reg(o, &ii_amd_efr, u->features.efr, 16);
		rds[n] = &ii_amd_efr;
		vals[n++] = u->features.efr;
	} else {
		out_null(o, "efr", "  efr     %s (unknown)\n");
	}
	if ((u->valid & II_UV_FEATURES) && u->features.has_efr2) {
		reg(o, &ii_amd_efr2, u->features.efr2, 16);
		rds[n] = &ii_amd_efr2;
		vals[n++] = u->features.efr2;
	} else {
		out_null(o, "efr2", NULL);
	}
	out_close_obj(o);
	if (u->valid & II_UV_FEATURES) {
		out_str(o, "features_layout", NULL, u->features.layout);
		out_str(o, "features_layout_basis", NULL, u->features.basis);
		out_text(o, "  features file read as %s\n", u->features.order);
	} else {
		out_null(o, "features_layout", NULL);
		out_null(o, "features_layout_basis", NULL);
	}
	capabilities(o, rds, vals, n);
}

static void queue(struct ii_out *o, const char *key, const char *name, unsigned entries)
{
	out_text(o, "%s", name);
	if (entries)
		out_int(o, key, " %lld", entries);
	else
		out_null(o, key, " %s");
}

/*
 * An Arm SMMU or virtio-iommu unit: what its name, the firmware tables and the
 * driver's boot lines say (src/model/model-iort.c fills s->arm_units).
 */
static void arm_unit(struct ii_out *o, const struct ii_unit *u, const struct ii_arm_unit *a)
{
	static const struct strlist no_notes;
	const struct ii_unit_boot *b = a->boot;

	if (a->has_base)
		out_hex(o, "base", "  registers at 0x%llx, ", a->base, 0);
	else
		out_null(o, "base", u->vendor == II_VENDOR_VIRTIO ? NULL : "  registers at %s, ");
	out_str(o, "parent", u->vendor == II_VENDOR_VIRTIO && !a->has_base ? "  device %s\n" :
		"device %s\n", u->parent);
	if (a->fw_table) {
		out_str(o, "firmware_table", "  firmware: ACPI %s", a->fw_table);
		out_hex(o, "firmware_offset", " node at 0x%llx\n", a->fw_offset, 0);
		out_null(o, "firmware_path", NULL);
	} else if (a->fw_path) {
		out_null(o, "firmware_table", NULL);
		out_null(o, "firmware_offset", NULL);
		out_str(o, "firmware_path", "  firmware: device tree node %s\n", a->fw_path);
	} else {
		out_null(o, "firmware_table", "  firmware: %s (no IORT, VIOT or device-tree node "
			 "names it)\n");
		out_null(o, "firmware_offset", NULL);
		out_null(o, "firmware_path", NULL);
	}
	if (u->vendor == II_VENDOR_VIRTIO) {
		if (b && b->input_bits)
			out_int(o, "input_bits", "  input address %lld bits", b->input_bits);
		else
			out_null(o, "input_bits", "  input address %s");
		if (b && b->has_pgmask) {
			out_hex(o, "page_mask", ", page mask 0x%llx", b->pgmask, 0);
			out_int(o, "min_page_size", " (smallest page %lld bytes)\n",
				(long long)a->min_page);
		} else {
			out_null(o, "page_mask", ", page mask %s\n");
			out_null(o, "min_page_size", NULL);
		}
	} else {
		if (b && b->ias)
			out_int(o, "ias", "  ias %lld-bit", b->ias);
		else
			out_null(o, "ias", "  ias %s");
		if (b && b->oas)
			out_int(o, "oas", ", oas %lld-bit", b->oas);
		else
			out_null(o, "oas", ", oas %s");
		out_text(o, "%s\n", b ? "" : " (the kernel log has no probe line of its device)");
		if (b && b->has_features) {
			out_hex(o, "features", "  features 0x%08llx", b->features, 0);
			out_strlist(o, "feature_names", ": %s\n", ", ", &a->features);
		} else {
			out_null(o, "features", u->vendor == II_VENDOR_ARM_SMMU_V3 ?
				 "  features %s\n" : NULL);
			out_strlist(o, "feature_names", NULL, NULL, &a->features);
		}
		if (u->vendor == II_VENDOR_ARM_SMMU_V3) {
			out_text(o, "  queue entries:");
			queue(o, "cmdq_entries", " cmdq", b ? b->cmdq : 0);
			queue(o, "evtq_entries", ", evtq", b ? b->evtq : 0);
			queue(o, "priq_entries", ", priq", b ? b->priq : 0);
			out_text(o, "\n");
		}
		out_strlist(o, "probe_notes", b && b->notes.n ? "  the driver says: %s\n" : NULL,
			    "; ", b ? &b->notes : &no_notes);
		out_open_arr(o, "pmcgs");
		if (a->npmcgs)
			out_text(o, "  PMCGs (IORT nodes at):");
		for (size_t i = 0; i < a->npmcgs; i++)
			out_hex(o, NULL, " 0x%llx", a->pmcgs[i], 0);
		if (a->npmcgs)
			out_text(o, "\n");
		out_close_arr(o);
	}
	out_text(o, "  %s IDs (%zu):", u->vendor == II_VENDOR_VIRTIO ? "endpoint" : "stream", a->nids);
	out_open_arr(o, "stream_ids");
	for (size_t i = 0; i < a->nids; i++) {
		const struct ii_idmap_entry *e = a->ids[i];

		if (i % 3 == 0)
			out_text(o, "\n   ");
		out_open_obj(o, NULL);
		out_hex(o, "sid", " 0x%llx", e->sid, 0);
		out_str(o, "device", e->dev ? " (%s)" : NULL, e->dev ? e->dev->name : NULL);
		out_str(o, "firmware_node", e->dev ? NULL : " (%s)", e->fw_name);
		out_close_obj(o);
	}
	out_close_arr(o);
	out_text(o, "\n");
}

void render_iommus(struct ii_out *o, const struct ii_system *s, const struct ii_unit *units,
		   size_t n)
{
	out_open_arr(o, "iommus");
	for (size_t i = 0; i < n; i++) {
		const struct ii_unit *u = &units[i];

		if (i)
			out_text(o, "\n");
		out_open_obj(o, NULL);
		out_str(o, "name", "%s", u->name);
		out_str(o, "vendor", NULL, ii_vendor_key(u->vendor));
		out_text(o, ": %s\n", ii_vendor_name(u->vendor));
		if (u->vendor == II_VENDOR_INTEL)
			intel_unit(o, u);
		else if (u->vendor == II_VENDOR_AMD)
			amd_unit(o, u);
		else if (s->arm_units && units == s->units &&
			 (u->vendor == II_VENDOR_ARM_SMMU_V3 || u->vendor == II_VENDOR_ARM_SMMU ||
			  u->vendor == II_VENDOR_VIRTIO))
			arm_unit(o, u, &s->arm_units[i]);
		devices(o, u);
		if (s->dbg_regs)
			render_unit_regs(o, s, u); /* iommus --regs (render-regs.c) */
		out_close_obj(o);
	}
	out_close_arr(o);
}
