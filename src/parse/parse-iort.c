// SPDX-License-Identifier: MIT
/*
 * The IORT (kernel-interfaces §8.3): the nodes (ITS groups, named components,
 * root complexes, SMMUv1/v2 and SMMUv3, PMCGs, RMRs), their ID mappings
 * checked against the table and the nodes found, and the walk of an ID
 * through them. Every length is checked before the bytes it covers are read;
 * a node is decoded as far as its length and the table allow.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iort.h"

#define IORT_BODY 48 /* header, node count, node offset, reserved */
#define NODE_HDR 16
#define MAP_SIZE 20
#define RMR_DESC 20

static const char *const type_keys[] = {
	"its_group", "named_component", "root_complex", "smmu", "smmu_v3", "pmcg", "rmr",
};
static const char *const type_names[] = {
	"ITS group", "named component", "root complex", "SMMUv1/v2", "SMMUv3", "PMCG", "RMR",
};

const char *ii_iort_type_key(unsigned type)
{
	return type < II_ARRAY_SIZE(type_keys) ? type_keys[type] : NULL;
}

const char *ii_iort_type_name(unsigned type)
{
	return type < II_ARRAY_SIZE(type_names) ? type_names[type] : NULL;
}

const char *ii_iort_smmu_model(unsigned type, uint32_t model)
{
	static const char *const v2[] = {
		"generic SMMUv1", "generic SMMUv2", "Arm CoreLink MMU-400", "Arm CoreLink MMU-500",
		"Arm CoreLink MMU-401", "Cavium ThunderX SMMUv2",
	};
	static const char *const v3[] = {
		"generic SMMUv3", "HiSilicon Hi161x SMMUv3", "Cavium CN99xx SMMUv3",
	};

	if (type == II_IORT_SMMU)
		return model < II_ARRAY_SIZE(v2) ? v2[model] : NULL;
	if (type == II_IORT_SMMU_V3)
		return model < II_ARRAY_SIZE(v3) ? v3[model] : NULL;
	return NULL;
}

const char *ii_iort_rmr_attr(unsigned attr)
{
	static const char *const names[] = {
		"device-nGnRnE", "device-nGnRE", "device-nGRE", "device-GRE", "normal-nc", "normal-wb",
	};

	return attr < II_ARRAY_SIZE(names) ? names[attr] : NULL;
}

const char *ii_iort_end_key(enum ii_iort_end e)
{
	static const char *const keys[] = { "its", "no-mapping", "bad-reference", "loop", "stop" };

	return (size_t)e < II_ARRAY_SIZE(keys) ? keys[e] : "unknown";
}

long ii_iort_node_at(const struct ii_iort *t, uint32_t off)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->nodes[i].offset == off)
			return (long)i;
	return -1;
}

/* ------------------------------------------------------------ node bodies */

/* The n bytes of node nd at p (n = what is inside both its length and the table). */
struct body {
	const uint8_t *p;
	size_t n;
	struct ii_iort_node *nd;
	struct strlist *w;
};

static bool has(const struct body *b, size_t end)
{
	return b->n >= end;
}

/* Is a fixed field ending at end there, before the node's mappings (which may follow the
 * fields of an older revision directly)? */
static bool fixed(const struct body *b, size_t end)
{
	const struct ii_iort_node *nd = b->nd;

	if (nd->mapping_count && nd->mapping_offset >= NODE_HDR && nd->mapping_offset < end)
		return false;
	return b->n >= end;
}

static void short_node(const struct body *b, size_t need, const char *what)
{
	ii_acpi_warn(b->w, "offset 0x%x: %s node of %zu bytes, shorter than the %zu its %s need; "
		     "the fields it does not hold are unknown", b->nd->offset,
		     ii_iort_type_name(b->nd->type), b->n, need, what);
}

static void memory_props(struct ii_iort_node *nd, const uint8_t *p)
{
	nd->cca = ii_le32(p);
	nd->hints = p[4];
	nd->mem_flags = p[7];
	nd->coherent = nd->cca == 1;
	nd->hint_transient = nd->hints & 1;
	nd->hint_write = nd->hints & 2;
	nd->hint_read = nd->hints & 4;
	nd->hint_override = nd->hints & 8;
	nd->mf_cpm = nd->mem_flags & 1;
	nd->mf_dacs = nd->mem_flags & 2;
	nd->mf_canwbs = nd->mem_flags & 4;
}

static void its_group(struct body *b)
{
	struct ii_iort_node *nd = b->nd;
	size_t fit;

	if (!has(b, 20)) {
		short_node(b, 20, "ITS count");
		return;
	}
	nd->have |= II_IN_BODY;
	nd->its_count = ii_le32(b->p + 16);
	if (!nd->its_count)
		ii_acpi_warn(b->w, "offset 0x%x: ITS group with no ITS: MSIs mapped to it go nowhere",
			     nd->offset);
	fit = (b->n - 20) / 4;
	if (nd->its_count > fit)
		ii_acpi_warn(b->w, "offset 0x%x: ITS group says %u ITS identifiers, its node holds %zu",
			     nd->offset, nd->its_count, fit);
	nd->nits = nd->its_count < fit ? nd->its_count : fit;
	nd->its_ids = xcalloc(nd->nits + 1, sizeof(*nd->its_ids));
	for (size_t i = 0; i < nd->nits; i++)
		nd->its_ids[i] = ii_le32(b->p + 20 + 4 * i);
}

static void named_component(struct body *b)
{
	struct ii_iort_node *nd = b->nd;
	struct strbuf sb = { 0 };
	size_t i, end = nd->mapping_offset && nd->mapping_offset < b->n ? nd->mapping_offset : b->n;

	if (!has(b, 30)) {
		short_node(b, 30, "flags, memory properties, address limit and name");
		if (!has(b, 29))
			return;
	}
	nd->have |= II_IN_BODY | II_IN_MEMLIMIT;
	nd->nc_flags = ii_le32(b->p + 16);
	nd->stall_supported = nd->nc_flags & 1;
	nd->nc_pasid_bits = (nd->nc_flags >> 1) & 0x1f;
	memory_props(nd, b->p + 20);
	nd->mem_addr_limit = b->p[28];
	for (i = 29; i < end && b->p[i]; i++) {
		char c = b->p[i] >= 0x20 && b->p[i] < 0x7f ? (char)b->p[i] : '?';
		sb_add(&sb, &c, 1);
	}
	nd->device_name = sb_detach(&sb);
	if (!nd->device_name)
		nd->device_name = xstrdup("");
	if (i == end && has(b, 30))
		ii_acpi_warn(b->w, "offset 0x%x: the named component's device name is not "
			     "NUL-terminated before %s", nd->offset,
			     end == b->n ? "the node's end" : "its mappings");
	if (!nd->device_name[0])
		ii_acpi_warn(b->w, "offset 0x%x: named component with an empty device name: the "
			     "kernel matches no device to it", nd->offset);
}

static void root_complex(struct body *b)
{
	struct ii_iort_node *nd = b->nd;

	if (!has(b, 32)) {
		short_node(b, 32, "memory properties, ATS attribute and segment");
		return;
	}
	nd->have |= II_IN_BODY;
	memory_props(nd, b->p + 16);
	nd->ats_attr = ii_le32(b->p + 24);
	nd->segment = ii_le32(b->p + 28);
	nd->ats = nd->ats_attr & 1;
	nd->pri = nd->ats_attr & 2;
	nd->pasid_fwd = nd->ats_attr & 4;
	if (nd->revision >= 1 && fixed(b, 33)) {
		nd->have |= II_IN_MEMLIMIT;
		nd->mem_addr_limit = b->p[32];
	}
	if (nd->revision >= 4 && fixed(b, 35)) {
		nd->have |= II_IN_PASID;
		nd->pasid_caps = ii_le16(b->p + 33);
		nd->pasid_max_width = nd->pasid_caps & 0x1f;
	}
	if (nd->revision >= 4 && fixed(b, 40)) {
		nd->have |= II_IN_RC_FLAGS;
		nd->rc_flags = ii_le32(b->p + 36);
		nd->rc_pasid_supported = nd->rc_flags & 1;
	}
	if (nd->segment > 0xffff)
		ii_acpi_warn(b->w, "offset 0x%x: root complex of PCI segment %u (above 65535): no "
			     "Linux PCI domain has that number", nd->offset, nd->segment);
}

/* count interrupts of 8 bytes at node offset off: what fits, with a warning when not all do */
static struct ii_iort_irq *irqs(struct body *b, uint32_t off, uint32_t count, const char *what,
				size_t *n)
{
	struct ii_iort_node *nd = b->nd;
	struct ii_iort_irq *v;
	size_t fit = off && off < b->n ? (b->n - off) / 8 : 0;

	*n = 0;
	if (!count)
		return NULL;
	if (!off || off < 60 || fit < count)
		ii_acpi_warn(b->w, "offset 0x%x: %u %s interrupts at node offset 0x%x: %zu fit inside "
			     "the node", nd->offset, count, what, off, off < 60 ? (size_t)0 : fit);
	if (off < 60)
		return NULL;
	*n = count < fit ? count : fit;
	v = xcalloc(*n + 1, sizeof(*v));
	for (size_t i = 0; i < *n; i++) {
		v[i].offset = nd->offset + off + (uint32_t)(8 * i);
		v[i].gsiv = ii_le32(b->p + off + 8 * i);
		v[i].flags = ii_le32(b->p + off + 8 * i + 4);
		v[i].edge = v[i].flags & 1;
	}
	return v;
}

static void smmu(struct body *b)
{
	struct ii_iort_node *nd = b->nd;
	const uint8_t *p = b->p;

	if (!has(b, 60)) {
		short_node(b, 60, "base, span, model, flags and interrupt fields");
		if (!has(b, 24))
			return;
		nd->base = ii_le64(p + 16);
		return;
	}
	nd->have |= II_IN_BODY;
	nd->base = ii_le64(p + 16);
	nd->span = ii_le64(p + 24);
	nd->model = ii_le32(p + 32);
	nd->flags = ii_le32(p + 36);
	nd->gi_offset = ii_le32(p + 40);
	nd->ctx_count = ii_le32(p + 44);
	nd->ctx_offset = ii_le32(p + 48);
	nd->pmu_count = ii_le32(p + 52);
	nd->pmu_offset = ii_le32(p + 56);
	nd->dvm = nd->flags & 1;
	nd->coherent_walk = nd->flags & 2;
	if (nd->gi_offset >= 60 && nd->gi_offset <= b->n && b->n - nd->gi_offset >= 16) {
		const uint8_t *g = p + nd->gi_offset;

		nd->have_global = true;
		nd->nsg_irpt.offset = nd->offset + nd->gi_offset;
		nd->nsg_irpt.gsiv = ii_le32(g);
		nd->nsg_irpt.flags = ii_le32(g + 4);
		nd->nsg_irpt.edge = nd->nsg_irpt.flags & 1;
		nd->nsg_cfg_irpt.offset = nd->offset + nd->gi_offset + 8;
		nd->nsg_cfg_irpt.gsiv = ii_le32(g + 8);
		nd->nsg_cfg_irpt.flags = ii_le32(g + 12);
		nd->nsg_cfg_irpt.edge = nd->nsg_cfg_irpt.flags & 1;
	} else {
		ii_acpi_warn(b->w, "offset 0x%x: the SMMU's global interrupts at node offset 0x%x are "
			     "not inside the node", nd->offset, nd->gi_offset);
	}
	nd->ctx_irqs = irqs(b, nd->ctx_offset, nd->ctx_count, "context", &nd->nctx);
	nd->pmu_irqs = irqs(b, nd->pmu_offset, nd->pmu_count, "PMU", &nd->npmu);
	if (!ii_iort_smmu_model(nd->type, nd->model))
		ii_acpi_warn(b->w, "offset 0x%x: unknown SMMU model %u", nd->offset, nd->model);
}

static void smmu_v3(struct body *b)
{
	struct ii_iort_node *nd = b->nd;
	const uint8_t *p = b->p;

	if (!has(b, 60)) {
		short_node(b, 60, "base, flags, VATOS, model and interrupts");
		if (!has(b, 24))
			return;
		nd->base = ii_le64(p + 16);
		return;
	}
	nd->have |= II_IN_BODY;
	nd->base = ii_le64(p + 16);
	nd->flags = ii_le32(p + 24);
	nd->vatos = ii_le64(p + 32);
	nd->model = ii_le32(p + 40);
	nd->event_gsiv = ii_le32(p + 44);
	nd->pri_gsiv = ii_le32(p + 48);
	nd->gerr_gsiv = ii_le32(p + 52);
	nd->sync_gsiv = ii_le32(p + 56);
	nd->cohacc_override = nd->flags & 1;
	nd->httu_override = (nd->flags >> 1) & 3;
	nd->pxm_valid = nd->flags & 8;
	if (fixed(b, 64)) {
		nd->have |= II_IN_PXM;
		nd->pxm = ii_le32(p + 60);
	}
	if (fixed(b, 68)) {
		nd->have |= II_IN_IDINDEX;
		nd->id_index = ii_le32(p + 64);
	}
	if (nd->pxm_valid && !(nd->have & II_IN_PXM))
		ii_acpi_warn(b->w, "offset 0x%x: the SMMUv3 says its proximity domain is valid, but "
			     "its node is too short to hold it", nd->offset);
	if (!ii_iort_smmu_model(nd->type, nd->model))
		ii_acpi_warn(b->w, "offset 0x%x: unknown SMMUv3 model %u", nd->offset, nd->model);
	/* as the kernel's iort_get_id_mapping_index() */
	nd->id_index_used = nd->revision >= 1 && (nd->have & II_IN_IDINDEX) &&
			    !(nd->event_gsiv && nd->pri_gsiv && nd->gerr_gsiv && nd->sync_gsiv) &&
			    nd->id_index < nd->mapping_count;
	if (nd->revision >= 1 && (nd->have & II_IN_IDINDEX) && nd->mapping_count &&
	    !(nd->event_gsiv && nd->pri_gsiv && nd->gerr_gsiv && nd->sync_gsiv) &&
	    nd->id_index >= nd->mapping_count)
		ii_acpi_warn(b->w, "offset 0x%x: the SMMUv3's device ID mapping index %u is not below "
			     "its %u mappings (the kernel ignores it)", nd->offset, nd->id_index,
			     nd->mapping_count);
}

static void pmcg(struct body *b)
{
	struct ii_iort_node *nd = b->nd;

	if (!has(b, 32)) {
		short_node(b, 32, "page 0 base, overflow interrupt and node reference");
		return;
	}
	nd->have |= II_IN_BODY;
	nd->page0 = ii_le64(b->p + 16);
	nd->base = nd->page0;
	nd->overflow_gsiv = ii_le32(b->p + 24);
	nd->node_ref = ii_le32(b->p + 28);
	if (nd->revision >= 1 && fixed(b, 40)) {
		nd->have |= II_IN_PAGE1;
		nd->page1 = ii_le64(b->p + 32);
	} else if (nd->revision >= 1) {
		ii_acpi_warn(b->w, "offset 0x%x: PMCG of revision %u is too short for its page 1 base",
			     nd->offset, nd->revision);
	}
}

static void rmr(struct body *b)
{
	struct ii_iort_node *nd = b->nd;
	size_t fit;

	if (!has(b, 28)) {
		short_node(b, 28, "flags, descriptor count and offset");
		return;
	}
	nd->have |= II_IN_BODY;
	nd->rmr_flags = ii_le32(b->p + 16);
	nd->rmr_count = ii_le32(b->p + 20);
	nd->rmr_offset = ii_le32(b->p + 24);
	nd->remap_permitted = nd->rmr_flags & 1;
	nd->access_privileged = nd->rmr_flags & 2;
	nd->access_attr = (nd->rmr_flags >> 2) & 0xff;
	if (!ii_iort_rmr_attr(nd->access_attr))
		ii_acpi_warn(b->w, "offset 0x%x: RMR access attributes 0x%02x are reserved", nd->offset,
			     nd->access_attr);
	if (!nd->rmr_count) {
		ii_acpi_warn(b->w, "offset 0x%x: RMR node with no memory range", nd->offset);
		return;
	}
	if (nd->rmr_offset < 28 || nd->rmr_offset > b->n) {
		ii_acpi_warn(b->w, "offset 0x%x: the RMR's %u memory ranges at node offset 0x%x are not "
			     "inside the node", nd->offset, nd->rmr_count, nd->rmr_offset);
		return;
	}
	fit = (b->n - nd->rmr_offset) / RMR_DESC;
	if (fit < nd->rmr_count)
		ii_acpi_warn(b->w, "offset 0x%x: the RMR says %u memory ranges, %zu fit inside the node",
			     nd->offset, nd->rmr_count, fit);
	nd->nrmr = nd->rmr_count < fit ? nd->rmr_count : fit;
	nd->rmrs = xcalloc(nd->nrmr + 1, sizeof(*nd->rmrs));
	for (size_t i = 0; i < nd->nrmr; i++) {
		struct ii_iort_rmr_desc *d = &nd->rmrs[i];
		const uint8_t *q = b->p + nd->rmr_offset + RMR_DESC * i;

		d->offset = nd->offset + nd->rmr_offset + (uint32_t)(RMR_DESC * i);
		d->base = ii_le64(q);
		d->length = ii_le64(q + 8);
		d->has_end = d->length != 0;
		d->end = d->base + d->length - 1;
		d->aligned_64k = !(d->base & 0xffff) && !(d->length & 0xffff);
		if (!d->length)
			ii_acpi_warn(b->w, "offset 0x%x: RMR memory range at 0x%llx of length 0",
				     d->offset, (unsigned long long)d->base);
		else if (d->end < d->base)
			ii_acpi_warn(b->w, "offset 0x%x: RMR memory range 0x%llx + 0x%llx wraps around",
				     d->offset, (unsigned long long)d->base,
				     (unsigned long long)d->length);
		else if (!d->aligned_64k)
			ii_acpi_warn(b->w, "offset 0x%x: RMR memory range 0x%llx-0x%llx is not 64 KiB "
				     "aligned (the kernel rounds it to pages)", d->offset,
				     (unsigned long long)d->base, (unsigned long long)d->end);
		for (size_t j = 0; j < i && d->has_end; j++)
			if (nd->rmrs[j].has_end && d->base <= nd->rmrs[j].end &&
			    d->end >= nd->rmrs[j].base)
				ii_acpi_warn(b->w, "offset 0x%x: RMR memory range overlaps the one at 0x%x",
					     d->offset, nd->rmrs[j].offset);
	}
}

/* ---------------------------------------------------------------- mappings */

static void mappings(struct body *b)
{
	struct ii_iort_node *nd = b->nd;
	size_t fit;

	if (!nd->mapping_count)
		return;
	if (nd->type == II_IORT_ITS_GROUP) {
		ii_acpi_warn(b->w, "offset 0x%x: an ITS group with %u ID mappings (it may have none); "
			     "ignored", nd->offset, nd->mapping_count);
		return;
	}
	if (!nd->mapping_offset || nd->mapping_offset < NODE_HDR || nd->mapping_offset > b->n) {
		ii_acpi_warn(b->w, "offset 0x%x: %u ID mappings at node offset 0x%x, which is not "
			     "inside the node (%zu bytes)", nd->offset, nd->mapping_count,
			     nd->mapping_offset, b->n);
		return;
	}
	fit = (b->n - nd->mapping_offset) / MAP_SIZE;
	if (fit < nd->mapping_count)
		ii_acpi_warn(b->w, "offset 0x%x: %u ID mappings at node offset 0x%x, %zu fit inside the "
			     "node", nd->offset, nd->mapping_count, nd->mapping_offset, fit);
	nd->nmaps = nd->mapping_count < fit ? nd->mapping_count : fit;
	nd->maps = xcalloc(nd->nmaps + 1, sizeof(*nd->maps));
	for (size_t i = 0; i < nd->nmaps; i++) {
		struct ii_iort_map *m = &nd->maps[i];
		const uint8_t *q = b->p + nd->mapping_offset + MAP_SIZE * i;

		m->offset = nd->offset + nd->mapping_offset + (uint32_t)(MAP_SIZE * i);
		m->input_base = ii_le32(q);
		m->id_count = ii_le32(q + 4);
		m->output_base = ii_le32(q + 8);
		m->output_ref = ii_le32(q + 12);
		m->flags = ii_le32(q + 16);
		m->single = m->flags & 1;
		m->ids = (uint64_t)m->id_count + 1;
		m->target = -1;
	}
}

/* ------------------------------------------------------------ cross-checks */

/* May a mapping of a node of type from lead to a node of type to? */
static bool allowed_target(unsigned from, unsigned to)
{
	switch (from) {
	case II_IORT_NAMED_COMPONENT:
	case II_IORT_ROOT_COMPLEX:
		return to == II_IORT_SMMU || to == II_IORT_SMMU_V3 || to == II_IORT_ITS_GROUP;
	case II_IORT_SMMU:
	case II_IORT_SMMU_V3:
	case II_IORT_PMCG:
		return to == II_IORT_ITS_GROUP;
	case II_IORT_RMR:
		return to == II_IORT_SMMU || to == II_IORT_SMMU_V3;
	}
	return true;
}

static void mark_special(struct ii_iort_node *nd)
{
	/* a cut node holds fewer mappings than it declares: the index may point past them */
	if (nd->type == II_IORT_SMMU_V3 && nd->id_index_used && nd->id_index < nd->nmaps)
		nd->maps[nd->id_index].special = true;
	if (nd->type == II_IORT_PMCG && (nd->have & II_IN_BODY) && !nd->overflow_gsiv && nd->nmaps)
		nd->maps[0].special = true;
}

static void check_refs(struct ii_iort *t)
{
	struct strlist *w = &t->warnings;

	for (size_t i = 0; i < t->n; i++) {
		struct ii_iort_node *nd = &t->nodes[i];

		mark_special(nd);
		for (size_t k = 0; k < nd->nmaps; k++) {
			struct ii_iort_map *m = &nd->maps[k];

			if (!m->output_ref) {
				ii_acpi_warn(w, "offset 0x%x: ID mapping with no output reference (0): the "
					     "kernel stops at it", m->offset);
				continue;
			}
			m->target = ii_iort_node_at(t, m->output_ref);
			if (m->target < 0) {
				ii_acpi_warn(w, "offset 0x%x: ID mapping's output reference 0x%x is %s",
					     m->offset, m->output_ref, m->output_ref >= t->size ?
					     "outside the table" : "not the start of a node");
				continue;
			}
			if ((size_t)m->target == i)
				ii_acpi_warn(w, "offset 0x%x: ID mapping of the %s node at 0x%x leads to "
					     "itself (a loop)", m->offset, ii_iort_type_name(nd->type) ?
					     ii_iort_type_name(nd->type) : "unknown", nd->offset);
			else if (!allowed_target(nd->type, t->nodes[m->target].type))
				ii_acpi_warn(w, "offset 0x%x: an ID mapping of a %s node may not lead to "
					     "the %s node at 0x%x", m->offset,
					     ii_iort_type_name(nd->type) ? ii_iort_type_name(nd->type) :
					     "unknown", ii_iort_type_name(t->nodes[m->target].type) ?
					     ii_iort_type_name(t->nodes[m->target].type) : "unknown",
					     m->output_ref);
			if (m->single && nd->type != II_IORT_NAMED_COMPONENT &&
			    nd->type != II_IORT_ROOT_COMPLEX && !m->special &&
			    nd->type != II_IORT_SMMU_V3 && nd->type != II_IORT_PMCG)
				ii_acpi_warn(w, "offset 0x%x: single ID mapping in a %s node (the kernel "
					     "skips it)", m->offset, ii_iort_type_name(nd->type) ?
					     ii_iort_type_name(nd->type) : "unknown");
			if (!m->single && (uint64_t)m->input_base + m->id_count > 0xffffffffull)
				ii_acpi_warn(w, "offset 0x%x: ID mapping input 0x%x + 0x%x runs past 32 bits",
					     m->offset, m->input_base, m->id_count);
			/* the common firmware slip: the count of IDs stored instead of count - 1 */
			for (size_t j = 0; j < nd->nmaps && !m->single; j++)
				if (j != k && !nd->maps[j].single && m->id_count &&
				    m->input_base + m->id_count == nd->maps[j].input_base)
					ii_acpi_warn(&t->notes, "offset 0x%x: ID mapping ends (0x%x) "
						     "where the one at 0x%x starts: the number of IDs "
						     "was stored, not the number minus one; the kernel "
						     "gives that ID to the other", m->offset,
						     m->input_base + m->id_count, nd->maps[j].offset);
		}
		if (nd->type == II_IORT_PMCG && (nd->have & II_IN_BODY)) {
			nd->ref_node = -1;
			if (nd->node_ref) {
				nd->ref_node = ii_iort_node_at(t, nd->node_ref);
				if (nd->ref_node < 0)
					ii_acpi_warn(w, "offset 0x%x: the PMCG's node reference 0x%x is not "
						     "the start of a node", nd->offset + 28, nd->node_ref);
			}
		}
	}
}

/* A cycle through the mappings (beyond a node leading to itself): found by walking. */
static void check_loops(struct ii_iort *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct ii_iort_node *nd = &t->nodes[i];

		for (size_t k = 0; k < nd->nmaps; k++) {
			long cur = nd->maps[k].target;
			size_t steps = 0;

			if (cur < 0 || (size_t)cur == i)
				continue;
			while (cur >= 0 && steps++ <= t->n) {
				const struct ii_iort_node *c = &t->nodes[cur];

				if ((size_t)cur == i) {
					ii_acpi_warn(&t->warnings, "offset 0x%x: the ID mappings lead from "
						     "the node at 0x%x back to it (a loop)",
						     nd->maps[k].offset, nd->offset);
					return;
				}
				cur = c->nmaps ? c->maps[0].target : -1;
			}
		}
	}
}

/* ------------------------------------------------------------------ table */

static void parse_node(const uint8_t *p, size_t avail, struct ii_iort_node *nd, struct strlist *w)
{
	struct body b = { p, avail < nd->length ? avail : nd->length, nd, w };

	if (b.n < NODE_HDR) {
		ii_acpi_warn(w, "offset 0x%x: node of %zu bytes, shorter than the 16-byte node header",
			     nd->offset, b.n);
		return;
	}
	nd->have |= II_IN_HEADER;
	nd->identifier = ii_le32(p + 4);
	nd->mapping_count = ii_le32(p + 8);
	nd->mapping_offset = ii_le32(p + 12);
	switch (nd->type) {
	case II_IORT_ITS_GROUP:
		its_group(&b);
		break;
	case II_IORT_NAMED_COMPONENT:
		named_component(&b);
		break;
	case II_IORT_ROOT_COMPLEX:
		root_complex(&b);
		break;
	case II_IORT_SMMU:
		smmu(&b);
		break;
	case II_IORT_SMMU_V3:
		smmu_v3(&b);
		break;
	case II_IORT_PMCG:
		pmcg(&b);
		break;
	case II_IORT_RMR:
		rmr(&b);
		break;
	default:
		nd->nraw = b.n;
		nd->raw = xmalloc(b.n);
		memcpy(nd->raw, p, b.n);
		ii_acpi_warn(w, "offset 0x%x: unknown node type %u, length %u; shown as raw bytes",
			     nd->offset, nd->type, nd->length);
		return;
	}
	mappings(&b);
}

int ii_parse_iort(const uint8_t *buf, size_t len, struct ii_iort *out)
{
	static const struct ii_acpi_list nodes = { "node", 1, NODE_HDR, false };
	size_t end, off, cap = 0;

	memset(out, 0, sizeof(*out));
	if (ii_acpi_table_begin(buf, len, "IORT", &out->hdr, &out->warnings, &end))
		return -EINVAL;
	out->size = end;
	if (out->hdr.revision > 7)
		ii_acpi_warn(&out->warnings, "offset 0x8: IORT revision %u is newer than issue E.f "
			     "(revision 7); decoded as E.f", out->hdr.revision);
	if (end < 44) {
		ii_acpi_warn(&out->warnings, "offset 0x%zx: the table ends before the node count and "
			     "offset", end);
		return 0;
	}
	out->have_body = true;
	out->node_count = ii_le32(buf + 36);
	out->node_offset = ii_le32(buf + 40);
	if (out->node_offset < IORT_BODY && out->node_count) {
		ii_acpi_warn(&out->warnings, "offset 0x28: the first node at 0x%x would overlap the "
			     "table's header", out->node_offset);
		return 0;
	}
	off = out->node_offset;
	for (uint32_t i = 0; i < out->node_count; i++) {
		struct ii_iort_node nd = { 0 };
		struct ii_acpi_entry e;

		if (off >= end) {
			ii_acpi_warn(&out->warnings, "offset 0x%zx: the table says %u nodes, it ends after "
				     "%u", off, out->node_count, i);
			break;
		}
		if (!ii_acpi_entry_at(buf, end, off, &nodes, &out->warnings, &e))
			break;
		nd.offset = e.offset;
		nd.type = (uint8_t)e.type;
		nd.length = (uint16_t)e.length;
		nd.avail = e.avail;
		nd.revision = buf[off + 3];
		nd.ref_node = -1;
		parse_node(buf + off, end - off, &nd, &out->warnings);
		xgrow((void **)&out->nodes, &cap, out->n + 1, sizeof(*out->nodes));
		out->nodes[out->n++] = nd;
		off += nd.length;
	}
	if (off < end && out->n == out->node_count)
		ii_acpi_warn(&out->warnings, "offset 0x%zx: %zu bytes after the last of the %u nodes "
			     "are not part of any", off, end - off, out->node_count);
	check_refs(out);
	check_loops(out);
	return 0;
}

void ii_iort_free(struct ii_iort *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct ii_iort_node *nd = &t->nodes[i];

		free(nd->maps);
		free(nd->its_ids);
		free(nd->device_name);
		free(nd->ctx_irqs);
		free(nd->pmu_irqs);
		free(nd->rmrs);
		free(nd->raw);
	}
	free(t->nodes);
	sl_free(&t->warnings);
	sl_free(&t->notes);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------------- walk */

/* Map id through one mapping of a node of type type; 0, -1 (not taken), or 1 (its range's
 * last ID: taken unless another range starts there). */
static int map_one(const struct ii_iort_map *m, unsigned type, uint32_t id, uint32_t *out)
{
	if (m->single) {
		if (type != II_IORT_NAMED_COMPONENT && type != II_IORT_ROOT_COMPLEX)
			return -1;
		*out = m->output_base;
		return 0;
	}
	if (id < m->input_base || (uint64_t)id > (uint64_t)m->input_base + m->id_count)
		return -1;
	*out = m->output_base + (id - m->input_base);
	return m->id_count && id == m->input_base + m->id_count ? 1 : 0;
}

void ii_iort_walk(const struct ii_iort *t, size_t from, uint32_t id, unsigned stop_mask,
		  struct ii_iort_path *p)
{
	size_t cur = from;

	memset(p, 0, sizeof(*p));
	for (;;) {
		const struct ii_iort_node *nd = &t->nodes[cur];
		long taken = -1, end_match = -1;
		uint32_t out = 0, end_out = 0;

		for (size_t h = 0; h < p->nhops; h++)
			if (p->hop[h].node == cur) {
				p->end = II_IE_LOOP;
				return;
			}
		if (p->nhops == II_IORT_MAX_HOPS) {
			p->end = II_IE_LOOP;
			return;
		}
		p->hop[p->nhops].node = cur;
		p->hop[p->nhops].id = id;
		p->hop[p->nhops].map = -1;
		p->nhops++;
		/* an unknown node type (up to 255) is no bit of the mask */
		if (p->nhops > 1 && nd->type < 32 && ((stop_mask >> nd->type) & 1)) {
			p->end = II_IE_STOP;
			return;
		}
		if (nd->type == II_IORT_ITS_GROUP) {
			p->end = II_IE_ITS;
			return;
		}
		for (size_t k = 0; k < nd->nmaps && taken < 0; k++) {
			uint32_t o;
			int r;

			if (nd->maps[k].special)
				continue;
			r = map_one(&nd->maps[k], nd->type, id, &o);
			if (r == 0 && end_match >= 0 && id != nd->maps[k].input_base)
				continue; /* the kernel disregards a second match that does not start here */
			if (r == 0) {
				taken = (long)k;
				out = o;
			} else if (r == 1 && end_match < 0) {
				end_match = (long)k;
				end_out = o;
			}
		}
		if (taken < 0 && end_match >= 0) {
			taken = end_match;
			out = end_out;
		} else if (taken >= 0 && end_match >= 0) {
			p->workaround = true;
		}
		if (taken < 0) {
			p->end = II_IE_NO_MAPPING;
			return;
		}
		p->hop[p->nhops - 1].map = taken;
		if (nd->maps[taken].target < 0) {
			p->end = II_IE_BAD_REF;
			return;
		}
		cur = (size_t)nd->maps[taken].target;
		id = out;
	}
}
