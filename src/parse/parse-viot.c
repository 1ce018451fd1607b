// SPDX-License-Identifier: MIT
/*
 * The VIOT (kernel-interfaces §8.4): the virtio-iommu table of a virtual
 * machine's firmware: PCI ranges and MMIO endpoints, each pointing to the
 * virtio-iommu (a PCI function or an MMIO device) that translates them.
 * Every length is checked before the bytes it covers are read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iort.h"

#define VIOT_BODY 48

const char *ii_viot_type_key(unsigned type)
{
	static const char *const keys[] = {
		NULL, "pci_range", "mmio", "virtio_iommu_pci", "virtio_iommu_mmio",
	};

	return type < II_ARRAY_SIZE(keys) ? keys[type] : NULL;
}

/* The size of a node type's fields; 0 for a type this decoder does not know. */
static size_t node_size(unsigned type)
{
	switch (type) {
	case II_VIOT_PCI_RANGE:
	case II_VIOT_MMIO:
		return 24;
	case II_VIOT_VIRTIO_PCI:
	case II_VIOT_VIRTIO_MMIO:
		return 16;
	}
	return 0;
}

bool ii_viot_endpoint(const struct ii_viot_node *n, uint16_t seg, uint16_t bdf16, uint32_t *epid)
{
	if (n->type != II_VIOT_PCI_RANGE || !n->have_body)
		return false;
	if (seg < n->segment_start || seg > n->segment_end || bdf16 < n->bdf_start ||
	    bdf16 > n->bdf_end)
		return false;
	/* as the kernel's viot_pci_dev_iommu_init() */
	*epid = ((uint32_t)(seg - n->segment_start) << 16) + (uint32_t)(bdf16 - n->bdf_start) +
		n->endpoint_start;
	return true;
}

static void parse_node(const uint8_t *p, struct ii_viot_node *nd, struct strlist *w)
{
	size_t n = nd->avail, need = node_size(nd->type);

	if (!need) {
		nd->nraw = n;
		nd->raw = xmalloc(n ? n : 1);
		memcpy(nd->raw, p, n);
		ii_acpi_warn(w, "offset 0x%x: unknown node type %u, length %u; shown as raw bytes",
			     nd->offset, nd->type, nd->length);
		return;
	}
	if (n < need) {
		ii_acpi_warn(w, "offset 0x%x: %s node of %zu bytes, shorter than its %zu (the kernel "
			     "rejects it); its fields are unknown", nd->offset, ii_viot_type_key(nd->type),
			     n, need);
		return;
	}
	nd->have_body = true;
	switch (nd->type) {
	case II_VIOT_PCI_RANGE:
		nd->endpoint_start = ii_le32(p + 4);
		nd->segment_start = ii_le16(p + 8);
		nd->segment_end = ii_le16(p + 10);
		nd->bdf_start = ii_le16(p + 12);
		nd->bdf_end = ii_le16(p + 14);
		nd->output_node = ii_le16(p + 16);
		if (nd->segment_end < nd->segment_start || nd->bdf_end < nd->bdf_start)
			ii_acpi_warn(w, "offset 0x%x: PCI range ends (%04x:%04x) before it starts "
				     "(%04x:%04x)", nd->offset, nd->segment_end, nd->bdf_end,
				     nd->segment_start, nd->bdf_start);
		break;
	case II_VIOT_MMIO:
		nd->endpoint = ii_le32(p + 4);
		nd->base = ii_le64(p + 8);
		nd->output_node = ii_le16(p + 16);
		break;
	case II_VIOT_VIRTIO_PCI:
		nd->segment = ii_le16(p + 4);
		nd->bdf = ii_le16(p + 6);
		nd->iommu_bdf.domain = nd->segment;
		nd->iommu_bdf.bus = (uint8_t)(nd->bdf >> 8);
		nd->iommu_bdf.dev = (nd->bdf >> 3) & 0x1f;
		nd->iommu_bdf.fn = nd->bdf & 7;
		break;
	case II_VIOT_VIRTIO_MMIO:
		nd->base = ii_le64(p + 8);
		break;
	}
}

static void link_outputs(struct ii_viot *v)
{
	for (size_t i = 0; i < v->n; i++) {
		struct ii_viot_node *nd = &v->nodes[i];

		nd->target = -1;
		if (!nd->have_body || (nd->type != II_VIOT_PCI_RANGE && nd->type != II_VIOT_MMIO))
			continue;
		for (size_t j = 0; j < v->n; j++)
			if (v->nodes[j].offset == nd->output_node)
				nd->target = (long)j;
		if (nd->target < 0)
			ii_acpi_warn(&v->warnings, "offset 0x%x: output node 0x%x is %s", nd->offset + 16,
				     nd->output_node, nd->output_node >= v->size ? "outside the table" :
				     "not the start of a node");
		else if (v->nodes[nd->target].type != II_VIOT_VIRTIO_PCI &&
			 v->nodes[nd->target].type != II_VIOT_VIRTIO_MMIO)
			ii_acpi_warn(&v->warnings, "offset 0x%x: output node 0x%x is not a virtio-iommu "
				     "(the kernel finds no IOMMU for these endpoints)", nd->offset + 16,
				     nd->output_node);
	}
}

int ii_parse_viot(const uint8_t *buf, size_t len, struct ii_viot *out)
{
	static const struct ii_acpi_list nodes = { "node", 2, 4, false };
	size_t end, off, cap = 0;

	memset(out, 0, sizeof(*out));
	if (ii_acpi_table_begin(buf, len, "VIOT", &out->hdr, &out->warnings, &end))
		return -EINVAL;
	out->size = end;
	if (end < 40) {
		ii_acpi_warn(&out->warnings, "offset 0x%zx: the table ends before the node count and "
			     "offset", end);
		return 0;
	}
	out->have_body = true;
	out->node_count = ii_le16(buf + 36);
	out->node_offset = ii_le16(buf + 38);
	if (out->node_count && out->node_offset < VIOT_BODY) {
		ii_acpi_warn(&out->warnings, "offset 0x26: the first node at 0x%x would overlap the "
			     "table's header", out->node_offset);
		return 0;
	}
	off = out->node_offset;
	for (unsigned i = 0; i < out->node_count; i++) {
		struct ii_viot_node nd = { 0 };
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
		nd.target = -1;
		parse_node(buf + off, &nd, &out->warnings);
		xgrow((void **)&out->nodes, &cap, out->n + 1, sizeof(*out->nodes));
		out->nodes[out->n++] = nd;
		off += nd.length;
	}
	link_outputs(out);
	return 0;
}

void ii_viot_free(struct ii_viot *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->nodes[i].raw);
	free(v->nodes);
	sl_free(&v->warnings);
	memset(v, 0, sizeof(*v));
}
