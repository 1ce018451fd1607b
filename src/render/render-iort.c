// SPDX-License-Identifier: MIT
/*
 * `acpi`: the decoded IORT and VIOT with what they map in the tree. Text: one
 * block per node, its ID mappings one per line, and for root complexes and
 * named components the chain of each device's IDs (requester -> stream ->
 * ITS device). JSON: "nodes": [{"offset", "type", ..., "mappings": [...]}].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render-acpi.h"

static const char *tname(unsigned type)
{
	const char *n = ii_iort_type_name(type);

	return n ? n : "unknown node";
}

/* The issue of the IORT spec each table revision stands for. */
static const char *issue(unsigned rev)
{
	static const char *const names[] = { "A to D", "E", "E.a", "E.b", "E.c", "E.d", "E.e", "E.f" };

	return rev < II_ARRAY_SIZE(names) ? names[rev] : "after E.f";
}

static void map_line(struct ii_out *o, const struct ii_iort *t, const struct ii_iort_map *m)
{
	const struct ii_iort_node *to = m->target >= 0 ? &t->nodes[m->target] : NULL;

	out_open_obj(o, NULL);
	out_hex(o, "offset", "    mapping at 0x%llx:", m->offset, 0);
	out_uint(o, "input_base", m->single ? NULL : " input 0x%llx", m->input_base);
	out_uint(o, "id_count", m->single ? NULL : " (+%llu", m->id_count);
	if (!m->single)
		out_text(o, ": %llu ID%s)", (unsigned long long)m->ids, m->ids == 1 ? "" : "s");
	out_bool(o, "single", m->single ? " single ID" : NULL, m->single);
	out_uint(o, "output_base", " -> 0x%llx", m->output_base);
	out_hex(o, "output_reference", " at 0x%llx", m->output_ref, 0);
	out_hex(o, "flags", NULL, m->flags, 8);
	if (to)
		out_str(o, "output_type", " (%s)", ii_iort_type_key(to->type) ? ii_iort_type_key(to->type) :
			"unknown");
	else
		out_null(o, "output_type", " (no node there)");
	out_bool(o, "special", m->special ? "  [the node's own MSIs]" : NULL, m->special);
	out_text(o, "\n");
	out_close_obj(o);
}

static void memory(struct ii_out *o, const struct ii_iort_node *nd)
{
	out_open_obj(o, "memory_access");
	out_uint(o, "cca", "  memory: CCA %llu", nd->cca);
	out_bool(o, "coherent", NULL, nd->coherent);
	out_text(o, nd->coherent ? " (coherent)" : " (not coherent)");
	out_hex(o, "hints", ", hints 0x%02llx", nd->hints, 2);
	out_hex(o, "flags", ", flags 0x%02llx", nd->mem_flags, 2);
	out_bool(o, "cpm", nd->mf_cpm ? " CPM" : NULL, nd->mf_cpm);
	out_bool(o, "dacs", nd->mf_dacs ? " DACS" : NULL, nd->mf_dacs);
	out_bool(o, "canwbs", nd->mf_canwbs ? " CANWBS" : NULL, nd->mf_canwbs);
	out_close_obj(o);
	if (nd->have & II_IN_MEMLIMIT)
		out_uint(o, "memory_address_limit", nd->mem_addr_limit ?
			 ", address limit %llu bits" : ", address limit not given",
			 nd->mem_addr_limit);
	else
		out_null(o, "memory_address_limit", NULL);
	out_text(o, "\n");
}

/* The ID chains that start at node i (root complex, named component). */
static void chains(struct ii_out *o, const struct ii_system *s, size_t i)
{
	size_t n = 0;

	for (size_t j = 0; j < s->idmap.n; j++)
		n += s->idmap.e[j].rc_node == (long)i;
	out_open_arr(o, "devices");
	if (n)
		out_text(o, "  IDs (requester -> stream -> ITS device):\n");
	for (size_t j = 0; j < s->idmap.n; j++) {
		const struct ii_idmap_entry *e = &s->idmap.e[j];
		char bdf[II_BDF_MAX];

		if (e->rc_node != (long)i)
			continue;
		out_open_obj(o, NULL);
		if (e->is_pci) {
			ra_bdf(&e->bdf, bdf);
			out_str(o, "bdf", "    %s", bdf);
		} else {
			out_null(o, "bdf", NULL);
			out_text(o, "    %s", e->fw_name ? e->fw_name : "-");
		}
		out_hex(o, "rid", " 0x%04llx", e->rid, 4);
		if (e->has_sid)
			out_hex(o, "sid", " -> sid 0x%llx", e->sid, 0);
		else
			out_null(o, "sid", " -> no stream ID");
		if (e->unit)
			out_str(o, "unit", " (%s)", e->unit->name);
		else
			out_null(o, "unit", NULL);
		if (e->has_devid)
			out_hex(o, "devid", " -> devid 0x%llx", e->devid, 0);
		else
			out_null(o, "devid", " -> no ITS device ID");
		out_str(o, "end", e->end == II_IE_ITS ? NULL : " (%s)", ii_iort_end_key(e->end));
		out_bool(o, "rmr", e->rmr ? " [RMR]" : NULL, e->rmr);
		out_bool(o, "workaround", e->workaround ? " [range end given to the next range, as "
			 "the kernel does]" : NULL, e->workaround);
		out_text(o, "\n");
		out_close_obj(o);
	}
	out_close_arr(o);
}

static void irq(struct ii_out *o, const char *key, const char *fmt, const struct ii_iort_irq *q)
{
	out_open_obj(o, key);
	out_uint(o, "gsiv", fmt, q->gsiv);
	out_hex(o, "flags", NULL, q->flags, 8);
	out_bool(o, "edge", q->edge ? " (edge)" : NULL, q->edge);
	out_close_obj(o);
}

static void irq_list(struct ii_out *o, const char *key, const char *what,
		     const struct ii_iort_irq *v, size_t n)
{
	out_open_arr(o, key);
	if (n)
		out_text(o, "  %s interrupts:", what);
	for (size_t i = 0; i < n; i++)
		irq(o, NULL, " %llu", &v[i]);
	if (n)
		out_text(o, "\n");
	out_close_arr(o);
}

static void smmu_body(struct ii_out *o, const struct ii_iort_node *nd)
{
	const char *model = ii_iort_smmu_model(nd->type, nd->model);
	bool b = nd->have & II_IN_BODY;

	ra_uint(o, "model", "  model %llu", nd->model, b);
	out_str(o, "model_name", model && b ? " (%s)" : NULL, model && b ? model : NULL);
	ra_hex(o, "flags", ", flags 0x%llx", nd->flags, 0, b);
	if (nd->type == II_IORT_SMMU) {
		/* the flags' names right after the flags, then the span (the JSON keys
		 * keep their order) */
		ra_hex(o, "span", NULL, nd->span, 0, b);
		out_bool(o, "dvm", b && nd->dvm ? " DVM" : NULL, nd->dvm);
		out_bool(o, "coherent_walk", b && nd->coherent_walk ? " coherent-walk" : NULL,
			 nd->coherent_walk);
		if (b)
			out_text(o, ", span 0x%llx", (unsigned long long)nd->span);
		out_text(o, "\n");
		if (nd->have_global) {
			irq(o, "nsg_irpt", "  global interrupts: NSgIrpt %llu", &nd->nsg_irpt);
			irq(o, "nsg_cfg_irpt", ", NSgCfgIrpt %llu\n", &nd->nsg_cfg_irpt);
		} else {
			out_null(o, "nsg_irpt", NULL);
			out_null(o, "nsg_cfg_irpt", NULL);
		}
		irq_list(o, "context_interrupts", "context", nd->ctx_irqs, nd->nctx);
		irq_list(o, "pmu_interrupts", "PMU", nd->pmu_irqs, nd->npmu);
		return;
	}
	out_bool(o, "cohacc_override", b && nd->cohacc_override ? " COHACC-override" : NULL,
		 nd->cohacc_override);
	out_uint(o, "httu_override", b && nd->httu_override ? " HTTU-override %llu" : NULL,
		 nd->httu_override);
	out_bool(o, "proximity_valid", b && nd->pxm_valid ? " proximity-domain-valid" : NULL,
		 nd->pxm_valid);
	ra_hex(o, "vatos", NULL, nd->vatos, 0, b);
	out_text(o, "\n");
	ra_uint(o, "event_gsiv", "  interrupts: event %llu", nd->event_gsiv, b);
	ra_uint(o, "pri_gsiv", ", PRI %llu", nd->pri_gsiv, b);
	ra_uint(o, "gerr_gsiv", ", GERR %llu", nd->gerr_gsiv, b);
	ra_uint(o, "sync_gsiv", ", sync %llu", nd->sync_gsiv, b);
	out_text(o, "%s\n", b && !(nd->event_gsiv && nd->pri_gsiv && nd->gerr_gsiv && nd->sync_gsiv)
		 ? " (0: the SMMU signals by MSI)" : "");
	if (nd->pxm_valid && (nd->have & II_IN_PXM))
		out_uint(o, "proximity_domain", "  proximity domain %llu\n", nd->pxm);
	else
		out_null(o, "proximity_domain", NULL);
	ra_uint(o, "id_mapping_index", nd->id_index_used ? "  device ID mapping index %llu (its "
		"own MSIs)\n" : NULL, nd->id_index, nd->have & II_IN_IDINDEX);
	out_bool(o, "id_mapping_index_used", NULL, nd->id_index_used);
}

static void node(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t,
		 size_t i)
{
	const struct ii_iort *io = t->iort;
	const struct ii_iort_node *nd = &io->nodes[i];
	const struct ii_acpi_cover *c = t->cover ? &t->cover[i] : NULL;
	const char *key = ii_iort_type_key(nd->type);
	bool b = nd->have & II_IN_BODY;

	out_open_obj(o, NULL);
	out_text(o, "\n");
	out_str(o, "type", "%s", key ? key : "unknown");
	out_uint(o, "type_code", NULL, nd->type);
	out_text(o, " (%s)", tname(nd->type));
	out_hex(o, "offset", " at 0x%llx", nd->offset, 0);
	out_uint(o, "length", " (length %llu", nd->length);
	out_uint(o, "revision", ", revision %llu", nd->revision);
	ra_uint(o, "identifier", ", id %llu)", nd->identifier, nd->have & II_IN_HEADER);
	out_bool(o, "truncated", nd->avail < nd->length ? " TRUNCATED" : NULL, nd->avail < nd->length);
	if (nd->type == II_IORT_SMMU || nd->type == II_IORT_SMMU_V3 || nd->type == II_IORT_PMCG)
		ra_hex(o, "base", "  base 0x%llx", nd->base, 0,
		       nd->type == II_IORT_PMCG ? b : nd->avail >= 24);
	ra_uint(o, "mapping_count", NULL, nd->mapping_count, nd->have & II_IN_HEADER);
	ra_hex(o, "mapping_offset", NULL, nd->mapping_offset, 0, nd->have & II_IN_HEADER);
	if (nd->type == II_IORT_SMMU || nd->type == II_IORT_SMMU_V3) {
		if (c && c->unit)
			out_str(o, "unit", "  unit %s", c->unit->name);
		else
			out_null(o, "unit", "  (no registered unit with this base)");
	}
	out_text(o, "\n");
	switch (nd->type) {
	case II_IORT_ITS_GROUP:
		ra_uint(o, "its_count", NULL, nd->its_count, b);
		out_open_arr(o, "its_ids");
		out_text(o, "  ITS identifiers:");
		for (size_t k = 0; k < nd->nits; k++)
			out_uint(o, NULL, " %llu", nd->its_ids[k]);
		out_close_arr(o);
		out_text(o, "\n");
		break;
	case II_IORT_NAMED_COMPONENT:
		out_str(o, "device_name", "  device %s", nd->device_name ? nd->device_name : "-");
		ra_hex(o, "node_flags", ", flags 0x%llx", nd->nc_flags, 0, b);
		out_bool(o, "stall_supported", nd->stall_supported ? " stall" : NULL,
			 nd->stall_supported);
		out_uint(o, "pasid_bits", nd->nc_pasid_bits ? ", PASID %llu bits" : NULL,
			 nd->nc_pasid_bits);
		out_text(o, "\n");
		if (b)
			memory(o, nd);
		break;
	case II_IORT_ROOT_COMPLEX:
		ra_uint(o, "segment", "  PCI segment %llu", nd->segment, b);
		ra_hex(o, "ats_attribute", ", ATS attribute 0x%llx", nd->ats_attr, 0, b);
		out_bool(o, "ats", b ? ": ATS %s" : NULL, nd->ats);
		out_bool(o, "pri", b ? ", PRI %s" : NULL, nd->pri);
		out_bool(o, "pasid_forwarding", b ? ", PASID forwarding %s" : NULL, nd->pasid_fwd);
		if (nd->have & II_IN_PASID)
			out_uint(o, "pasid_max_width", ", PASID width %llu bits", nd->pasid_max_width);
		else
			out_null(o, "pasid_max_width", NULL);
		if (nd->have & II_IN_RC_FLAGS)
			out_bool(o, "pasid_supported", ", PASID supported %s", nd->rc_pasid_supported);
		else
			out_null(o, "pasid_supported", NULL);
		out_text(o, "\n");
		if (b)
			memory(o, nd);
		break;
	case II_IORT_SMMU:
	case II_IORT_SMMU_V3:
		smmu_body(o, nd);
		break;
	case II_IORT_PMCG:
		ra_uint(o, "overflow_gsiv", "  overflow interrupt %llu", nd->overflow_gsiv, b);
		ra_hex(o, "node_reference", ", counts for the node at 0x%llx", nd->node_ref, 0, b);
		if (nd->have & II_IN_PAGE1)
			out_hex(o, "page1_base", ", page 1 at 0x%llx", nd->page1, 0);
		else
			out_null(o, "page1_base", NULL);
		out_text(o, "\n");
		break;
	case II_IORT_RMR:
		ra_hex(o, "rmr_flags", "  flags 0x%llx", nd->rmr_flags, 0, b);
		out_bool(o, "remap_permitted", b ? ": remapping %s" : NULL, nd->remap_permitted);
		out_bool(o, "privileged", b && nd->access_privileged ? ", privileged" : NULL,
			 nd->access_privileged);
		out_str(o, "access", b ? ", access %s" : NULL, ii_iort_rmr_attr(nd->access_attr) ?
			ii_iort_rmr_attr(nd->access_attr) : "reserved");
		out_text(o, "\n");
		out_open_arr(o, "ranges");
		for (size_t k = 0; k < nd->nrmr; k++) {
			const struct ii_iort_rmr_desc *d = &nd->rmrs[k];
			char size[32];

			out_open_obj(o, NULL);
			out_hex(o, "offset", NULL, d->offset, 0);
			out_hex(o, "base", "  range 0x%016llx", d->base, 0);
			out_hex(o, "length", NULL, d->length, 0);
			if (d->has_end)
				out_hex(o, "end", "-0x%016llx", d->end, 0);
			else
				out_null(o, "end", " (empty)");
			ra_size(d->length, size, sizeof(size));
			out_text(o, " (%s)\n", size);
			out_close_obj(o);
		}
		out_close_arr(o);
		break;
	default:
		out_text(o, "  (unknown to this tool)\n");
		ra_raw(o, nd->raw, nd->nraw);
	}
	out_open_arr(o, "mappings");
	for (size_t k = 0; k < nd->nmaps; k++)
		map_line(o, io, &nd->maps[k]);
	out_close_arr(o);
	if (nd->type == II_IORT_ROOT_COMPLEX || nd->type == II_IORT_NAMED_COMPONENT)
		chains(o, s, i);
	if (nd->type == II_IORT_RMR) {
		size_t n = c ? c->ndevs : 0;

		out_open_arr(o, "pins");
		out_text(o, "  covers %zu device%s in the tree%s\n", n, n == 1 ? "" : "s", n ? ":" : "");
		for (size_t k = 0; k < n; k++) {
			const struct ii_acpi_pin *p = &c->pins[k];

			out_open_obj(o, NULL);
			out_str(o, "bdf", "    %s", p->dev->name);
			if (p->dev->group >= 0)
				out_int(o, "group", "  group %lld", p->dev->group);
			else
				out_null(o, "group", "  group %s");
			out_str(o, "reserved_region", p->region ? ", reserved region %s" : NULL,
				p->region);
			out_bool(o, "ineligible", p->ineligible ? ": the kernel keeps it in an identity "
				 "mapping (no VFIO assignment)" : NULL, p->ineligible);
			out_text(o, "\n");
			out_close_obj(o);
		}
		out_close_arr(o);
	} else if (nd->type == II_IORT_SMMU || nd->type == II_IORT_SMMU_V3) {
		ra_covers(o, c, " (their stream IDs reach it)");
	}
	out_close_obj(o);
}

void render_iort_body(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t)
{
	const struct ii_iort *io = t->iort;

	out_text(o, "  revision %u: issue %s\n", io->hdr.revision, issue(io->hdr.revision));
	ra_uint(o, "node_count", "  %llu nodes", io->node_count, io->have_body);
	ra_hex(o, "node_offset", " from 0x%llx\n", io->node_offset, 0, io->have_body);
	out_open_arr(o, "notes");
	for (size_t i = 0; i < io->notes.n; i++)
		out_str(o, NULL, "  note: %s\n", io->notes.v[i]);
	out_close_arr(o);
	out_open_arr(o, "nodes");
	for (size_t i = 0; i < io->n; i++)
		node(o, s, t, i);
	out_close_arr(o);
}

/* ------------------------------------------------------------------- VIOT */

static void viot_node(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t,
		      size_t i)
{
	const struct ii_viot *v = t->viot;
	const struct ii_viot_node *nd = &v->nodes[i];
	const struct ii_acpi_cover *c = t->cover ? &t->cover[i] : NULL;
	const char *key = ii_viot_type_key(nd->type);
	char bdf[II_BDF_MAX];

	(void)s;
	out_open_obj(o, NULL);
	out_text(o, "\n");
	out_str(o, "type", "%s", key ? key : "unknown");
	out_uint(o, "type_code", NULL, nd->type);
	out_hex(o, "offset", " at 0x%llx", nd->offset, 0);
	out_uint(o, "length", " (length %llu)", nd->length);
	out_bool(o, "truncated", nd->avail < nd->length ? " TRUNCATED" : NULL, nd->avail < nd->length);
	if (!nd->have_body && key) {
		out_text(o, "  (too short: fields unknown)\n");
		out_close_obj(o);
		return;
	}
	switch (nd->type) {
	case II_VIOT_PCI_RANGE:
		out_uint(o, "endpoint_start", "  endpoints from %llu", nd->endpoint_start);
		out_uint(o, "segment_start", ": %04llx", nd->segment_start);
		out_hex(o, "bdf_start", ":%04llx", nd->bdf_start, 4);
		out_uint(o, "segment_end", " to %04llx", nd->segment_end);
		out_hex(o, "bdf_end", ":%04llx", nd->bdf_end, 4);
		out_hex(o, "output_node", ", virtio-iommu at 0x%llx", nd->output_node, 0);
		out_text(o, "\n");
		ra_covers(o, c, NULL);
		break;
	case II_VIOT_MMIO:
		out_uint(o, "endpoint", "  endpoint %llu", nd->endpoint);
		out_hex(o, "base", ": MMIO 0x%llx", nd->base, 0);
		out_hex(o, "output_node", ", virtio-iommu at 0x%llx\n", nd->output_node, 0);
		break;
	case II_VIOT_VIRTIO_PCI:
		ra_bdf(&nd->iommu_bdf, bdf);
		out_str(o, "bdf", "  virtio-iommu PCI function %s", bdf);
		ra_unit(o, c);
		out_text(o, "\n");
		ra_covers(o, c, " (their endpoints)");
		break;
	case II_VIOT_VIRTIO_MMIO:
		out_hex(o, "base", "  virtio-iommu MMIO 0x%llx", nd->base, 0);
		ra_unit(o, c);
		out_text(o, "\n");
		ra_covers(o, c, " (their endpoints)");
		break;
	default:
		out_text(o, "  (unknown to this tool)\n");
		ra_raw(o, nd->raw, nd->nraw);
	}
	out_close_obj(o);
}

void render_viot_body(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t)
{
	const struct ii_viot *v = t->viot;

	ra_uint(o, "node_count", "  %llu nodes", v->node_count, v->have_body);
	ra_hex(o, "node_offset", " from 0x%llx\n", v->node_offset, 0, v->have_body);
	out_open_arr(o, "nodes");
	for (size_t i = 0; i < v->n; i++)
		viot_node(o, s, t, i);
	out_close_arr(o);
	out_open_arr(o, "endpoints");
	/* with an IORT too (an Arm guest), the VIOT's endpoints are those that reach a virtio unit */
	for (size_t j = 0, shown = 0; j < s->idmap.n; j++) {
		const struct ii_idmap_entry *e = &s->idmap.e[j];
		char bdf[II_BDF_MAX];

		if (s->idmap.src != II_IDMAP_VIOT &&
		    !(e->has_sid && e->unit && e->unit->vendor == II_VENDOR_VIRTIO))
			continue;
		if (!shown++)
			out_text(o, "\nendpoint IDs:\n");
		out_open_obj(o, NULL);
		ra_bdf(&e->bdf, bdf);
		out_str(o, "bdf", "  %s", bdf);
		out_uint(o, "endpoint", " -> endpoint %llu", e->sid);
		if (e->unit)
			out_str(o, "unit", " (%s)", e->unit->name);
		else
			out_null(o, "unit", NULL);
		out_text(o, "\n");
		out_close_obj(o);
	}
	out_close_arr(o);
}
