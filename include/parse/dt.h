/* SPDX-License-Identifier: MIT */
/*
 * The device tree's IOMMU properties (kernel-interfaces §8.5), as
 * /sys/firmware/devicetree/base shows them: one file per property, big-endian
 * 32-bit cells. The sources read the files (src/source/source-dt.c); the
 * decoding of the cells is here, pure; the model (src/model/model-dt.c)
 * follows the phandles.
 */
#ifndef II_DT_H
#define II_DT_H

#include "parse.h"

/* One entry of iommu-map or msi-map: rid-base, phandle, output base, length. */
struct ii_dt_map {
	uint32_t rid_base, phandle, out_base, length;
};

/* One IOMMU specifier of an iommus property: phandle and its first argument. */
struct ii_dt_ref {
	uint32_t phandle;
	bool has_arg;
	uint32_t arg;
};

struct ii_dt_node {
	char *path;               /* "/pcie@10000000" */
	char *name;               /* "pcie@10000000" */
	char *compatible;         /* the first string, or NULL */
	bool is_pci;              /* device_type "pci" */
	bool has_phandle;
	uint32_t phandle;
	bool has_reg;
	uint64_t reg;             /* the first address of reg, with the parent's #address-cells */
	bool has_domain;
	uint32_t pci_domain;      /* linux,pci-domain */
	bool has_iommu_cells;
	uint32_t iommu_cells;     /* #iommu-cells */
	struct ii_dt_map *iommu_map, *msi_map;
	size_t n_iommu_map, n_msi_map;
	uint32_t iommu_map_mask, msi_map_mask; /* 0xffffffff when absent */
	struct ii_dt_ref *iommus;
	size_t n_iommus;
	bool has_msi_parent;
	uint32_t msi_parent;
	bool msi_controller;      /* has msi-controller */
};

struct ii_dt {
	bool present;             /* the device tree directory exists */
	struct ii_dt_node *nodes;
	size_t n;
};

/* Big-endian cells. */
static inline uint32_t ii_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * An iommu-map or msi-map property of n bytes: entries of four cells (the
 * IOMMU's #iommu-cells being 1). Returns the number of entries; *why is set
 * to a reason ("not a whole number of 16-byte entries") when bytes are left.
 */
size_t ii_dt_parse_map(const uint8_t *v, size_t n, struct ii_dt_map **out, const char **why);
/* An iommus property: entries of 1 + cells cells (cells: the IOMMU's #iommu-cells, 1 most often). */
size_t ii_dt_parse_iommus(const uint8_t *v, size_t n, unsigned cells, struct ii_dt_ref **out,
			  const char **why);
/* The first address of a reg property, with cells address cells (1 or 2); false when too short. */
bool ii_dt_parse_reg(const uint8_t *v, size_t n, unsigned cells, uint64_t *out);
/* Map id through the entries of a map, as the kernel's of_map_id(): true and *phandle,
 * *out set when an entry takes it (mask applied first). */
bool ii_dt_map_id(const struct ii_dt_map *m, size_t n, uint32_t mask, uint32_t id,
		  uint32_t *phandle, uint32_t *out);
void ii_dt_free(struct ii_dt *dt);

#endif
