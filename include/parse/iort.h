/* SPDX-License-Identifier: MIT */
/*
 * The Arm and virtio-iommu tables (kernel-interfaces §8): IORT (Arm DEN 0049,
 * table revisions 0 to 7, issues A to E.f) and VIOT (virtio-iommu). Pure, as
 * the DMAR and IVRS decoders are (include/parse/acpi.h): every length is
 * checked against its node and the table, every reference against the nodes
 * found, and what is wrong is a warning that names its byte offset. The walk
 * of an ID through the IORT's mappings (ii_iort_walk) is here too: it needs
 * nothing but the decoded table.
 */
#ifndef II_IORT_H
#define II_IORT_H

#include "acpi.h"

/* ------------------------------------------------------------------- IORT */

enum ii_iort_type {
	II_IORT_ITS_GROUP = 0,
	II_IORT_NAMED_COMPONENT = 1,
	II_IORT_ROOT_COMPLEX = 2,
	II_IORT_SMMU = 3,
	II_IORT_SMMU_V3 = 4,
	II_IORT_PMCG = 5,
	II_IORT_RMR = 6,
	II_IORT_TYPE_MAX = 6,
};
/* "its_group", "named_component", ... (the JSON names); NULL for an unknown type. */
const char *ii_iort_type_key(unsigned type);
/* "ITS group", "named component", "root complex", "SMMUv1/v2", ... (for people); NULL: unknown. */
const char *ii_iort_type_name(unsigned type);

/* One ID mapping (20 bytes). */
struct ii_iort_map {
	uint32_t offset;          /* of the mapping in the table */
	uint32_t input_base, id_count, output_base, output_ref, flags;
	/* decoded */
	bool single;              /* flag bit 0: one ID, whatever the input */
	long target;              /* index of the node output_ref names, -1: none there */
	uint64_t ids;             /* id_count + 1: the number of IDs the range holds */
	bool special;             /* the SMMUv3's or PMCG's own MSI mapping (not a translation) */
};

/* An interrupt of an SMMUv1/v2 node: GSIV and flags. */
struct ii_iort_irq {
	uint32_t offset;          /* in the table */
	uint32_t gsiv, flags;
	bool edge;                /* flags bit 0 */
};

/* A memory range of an RMR node. */
struct ii_iort_rmr_desc {
	uint32_t offset;
	uint64_t base, length;
	/* decoded */
	bool has_end;             /* length is not 0 */
	uint64_t end;             /* base + length - 1 */
	bool aligned_64k;         /* base and length are multiples of 64 KiB, as the spec asks */
};

/* ii_iort_node.have: which fields the node is long enough to hold */
enum {
	II_IN_HEADER = 1 << 0,    /* length 16 or more: identifier, mapping count and offset */
	II_IN_BODY = 1 << 1,      /* the fixed fields of its type (for its revision) */
	II_IN_MEMLIMIT = 1 << 2,  /* NC, RC (node revision 1+): memory address size limit */
	II_IN_PASID = 1 << 3,     /* RC (node revision 4+, E.d): PASID capabilities */
	II_IN_RC_FLAGS = 1 << 4,  /* RC (node revision 4+ with 40 bytes): flags */
	II_IN_PXM = 1 << 5,       /* SMMUv3 (node revision 2+ ... ): proximity domain */
	II_IN_IDINDEX = 1 << 6,   /* SMMUv3 (node revision 1+): device ID mapping index */
	II_IN_PAGE1 = 1 << 7,     /* PMCG (node revision 1+): page 1 base */
};

struct ii_iort_node {
	uint32_t offset;
	uint8_t type, revision;
	uint16_t length;
	uint32_t avail;           /* bytes of it inside the table */
	unsigned have;
	uint32_t identifier;      /* E.b+: a unique id (reserved before) */
	uint32_t mapping_count, mapping_offset;
	struct ii_iort_map *maps;
	size_t nmaps;             /* the mappings decoded (fewer than mapping_count when cut) */

	/* ITS group */
	uint32_t its_count;
	uint32_t *its_ids;
	size_t nits;

	/* named component and root complex: memory access properties */
	uint32_t cca;             /* cache coherency attribute */
	uint8_t hints, mem_flags;
	uint8_t mem_addr_limit;   /* bits; 0: not given */
	bool coherent;            /* cca == 1 */
	bool hint_transient, hint_write, hint_read, hint_override;
	bool mf_cpm, mf_dacs, mf_canwbs; /* memory flags bits 0, 1, 2 (E.f) */
	/* named component */
	uint32_t nc_flags;
	bool stall_supported;     /* nc_flags bit 0 */
	unsigned nc_pasid_bits;   /* nc_flags bits 1-5 */
	char *device_name;        /* the ACPI path, printable */
	/* root complex */
	uint32_t ats_attr, segment;
	bool ats, pri, pasid_fwd; /* ats_attr bits 0, 1, 2 */
	uint16_t pasid_caps;
	unsigned pasid_max_width; /* pasid_caps bits 0-4 */
	uint32_t rc_flags;
	bool rc_pasid_supported;  /* rc_flags bit 0 */

	/* SMMUv1/v2 and SMMUv3 */
	uint64_t base;
	uint32_t model, flags;
	/* SMMUv1/v2 */
	uint64_t span;
	uint32_t gi_offset, ctx_count, ctx_offset, pmu_count, pmu_offset;
	struct ii_iort_irq nsg_irpt, nsg_cfg_irpt;
	bool have_global;         /* the global interrupts are inside the node */
	struct ii_iort_irq *ctx_irqs, *pmu_irqs;
	size_t nctx, npmu;
	bool dvm, coherent_walk;  /* flags bits 0, 1 */
	/* SMMUv3 */
	uint64_t vatos;
	uint32_t event_gsiv, pri_gsiv, gerr_gsiv, sync_gsiv, pxm, id_index;
	bool cohacc_override, pxm_valid; /* flags bits 0, 3 */
	unsigned httu_override;   /* flags bits 1-2 */
	bool id_index_used;       /* the kernel uses id_index: revision 1+, not all GSIVs set, in range */

	/* PMCG */
	uint64_t page0, page1;
	uint32_t overflow_gsiv, node_ref;
	long ref_node;            /* index of the node node_ref names, -1: none */

	/* RMR */
	uint32_t rmr_flags, rmr_count, rmr_offset;
	bool remap_permitted, access_privileged; /* rmr_flags bits 0, 1 */
	unsigned access_attr;     /* rmr_flags bits 2-9 */
	struct ii_iort_rmr_desc *rmrs;
	size_t nrmr;

	/* a type this decoder does not know */
	uint8_t *raw;
	size_t nraw;
};

struct ii_iort {
	struct ii_acpi_header hdr;
	size_t size;
	bool have_body;
	uint32_t node_count, node_offset;
	struct ii_iort_node *nodes;
	size_t n;
	struct strlist warnings;
	/*
	 * Firmware slips the kernel works around the same way every time (an ID
	 * mapping's count stored as the number of IDs, not that minus one, as
	 * QEMU's virt before 8.0 writes it): said by `acpi`, not by every command.
	 */
	struct strlist notes;
};

int ii_parse_iort(const uint8_t *buf, size_t len, struct ii_iort *out);
void ii_iort_free(struct ii_iort *t);
/* The node that starts at offset off, or -1. */
long ii_iort_node_at(const struct ii_iort *t, uint32_t off);
/* "Generic SMMUv2", "Arm CoreLink MMU-500", ... or NULL for an unknown model. */
const char *ii_iort_smmu_model(unsigned type, uint32_t model);
/* RMR access attributes 0-5: "device-nGnRnE", ..., "normal-wb"; NULL for a reserved value. */
const char *ii_iort_rmr_attr(unsigned attr);

/* Where an ID's walk through the mappings ended. */
enum ii_iort_end {
	II_IE_ITS = 0,      /* at an ITS group: the last id is the ITS device ID */
	II_IE_NO_MAPPING,   /* a node none of whose mappings takes the id */
	II_IE_BAD_REF,      /* a mapping points to no node */
	II_IE_LOOP,         /* the mappings lead back to a node already crossed */
	II_IE_STOP,         /* at a node of a type the walk was asked to stop at */
};

#define II_IORT_MAX_HOPS 8

struct ii_iort_path {
	size_t nhops;
	struct {
		size_t node;      /* index in t->nodes */
		uint32_t id;      /* the id as this node receives it */
		long map;         /* index of the mapping that took it on, -1 at the end */
	} hop[II_IORT_MAX_HOPS];
	enum ii_iort_end end;
	bool workaround;    /* the off-by-one of a range's end was taken, as the kernel does */
};

/*
 * Walk id from node `from` through the ID mappings, as the kernel's
 * iort_node_map_id() does (the SMMUv3's and PMCG's own MSI mapping skipped,
 * single mappings of named components and root complexes taking any id, the
 * end of a range that is also the start of the next one given to the next),
 * until a node whose type bit (1 << type) is in stop_mask, an ITS group, or a
 * dead end. The first hop is `from` itself.
 */
void ii_iort_walk(const struct ii_iort *t, size_t from, uint32_t id, unsigned stop_mask,
		  struct ii_iort_path *p);
/* "its", "no-mapping", "bad-reference", "loop", "stop" */
const char *ii_iort_end_key(enum ii_iort_end e);

/* ------------------------------------------------------------------- VIOT */

enum ii_viot_type {
	II_VIOT_PCI_RANGE = 1,
	II_VIOT_MMIO = 2,
	II_VIOT_VIRTIO_PCI = 3,
	II_VIOT_VIRTIO_MMIO = 4,
};
/* "pci_range", "mmio", "virtio_iommu_pci", "virtio_iommu_mmio"; NULL: unknown. */
const char *ii_viot_type_key(unsigned type);

struct ii_viot_node {
	uint32_t offset;
	uint8_t type;
	uint16_t length;
	uint32_t avail;
	bool have_body;           /* long enough for its type's fields */
	/* PCI range */
	uint32_t endpoint_start;
	uint16_t segment_start, segment_end, bdf_start, bdf_end;
	/* MMIO endpoint */
	uint32_t endpoint;
	uint64_t base;            /* MMIO endpoint and virtio-iommu MMIO */
	uint16_t output_node;     /* PCI range and MMIO endpoint: offset of the virtio-iommu node */
	long target;              /* its index, -1: none there */
	/* virtio-iommu PCI */
	uint16_t segment, bdf;
	struct ii_bdf iommu_bdf;  /* decoded from segment and bdf */
	uint8_t *raw;
	size_t nraw;
};

struct ii_viot {
	struct ii_acpi_header hdr;
	size_t size;
	bool have_body;
	uint16_t node_count, node_offset;
	struct ii_viot_node *nodes;
	size_t n;
	struct strlist warnings;
};

int ii_parse_viot(const uint8_t *buf, size_t len, struct ii_viot *out);
void ii_viot_free(struct ii_viot *v);
/*
 * The endpoint ID of PCI function seg:bdf16 under a PCI range node, as the
 * kernel computes it; false when the range does not hold it.
 */
bool ii_viot_endpoint(const struct ii_viot_node *n, uint16_t seg, uint16_t bdf16, uint32_t *epid);

#endif
