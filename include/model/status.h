/* SPDX-License-Identifier: MIT */
/*
 * The effective IOMMU state, derived from the model with the evidence for each
 * conclusion (kernel-interfaces §9.2). Pure: no I/O.
 */
#ifndef II_STATUS_H
#define II_STATUS_H

#include "model.h"

/* What a conclusion means for the user: renderers colour it by this, never by its words. */
enum ii_verdict {
	II_VERDICT_NONE = 0,  /* neither good nor bad (a vendor's name), or unknown */
	II_VERDICT_GOOD,      /* as it should be: present, active, translated, strict, enabled */
	II_VERDICT_NOTICE,    /* a choice worth knowing: lazy, pass-through, mixed, a partial log */
	II_VERDICT_BAD,       /* absent, inactive, interrupt remapping off, no log */
};

/* A conclusion and the facts it rests on. value NULL means unknown. */
struct ii_fact {
	char *value;
	struct strlist evidence;
	enum ii_verdict verdict; /* set by ii_status_derive from the value */
};

struct ii_status {
	struct ii_fact hardware;      /* "present", "absent" */
	struct ii_fact active;        /* "yes", "no" */
	struct ii_fact vendor;        /* ii_vendor_key() */
	struct ii_fact default_domain; /* a group type, "mixed", or NULL */
	int default_from_cmdline;     /* 1, 0, or -1 unknown */
	struct ii_fact invalidation;  /* "strict", "lazy", "none" (pass-through) */
	struct ii_fact intremap;      /* "enabled", "disabled" */
	char *intremap_mode;          /* "xapic", "x2apic", or NULL */
	struct ii_fact kernel_log;    /* "complete", "partial", "unavailable" */
	/*
	 * Arm (an SMMU, an IORT, or a device tree with IOMMU mappings): MSIs are
	 * isolated by the GIC ITS, not by interrupt remapping (intremap is then
	 * "not-applicable"); the SMMU's bypass of streams with no domain.
	 */
	bool arm;
	struct ii_fact msi_isolation; /* "its", "none" (GICv2m or no MSI controller), NULL */
	struct ii_fact smmu_bypass;   /* "abort" (streams with no domain fault), "bypass" */
	size_t units, groups, devices, devices_in_groups, devices_without_group;
	/* a count that cannot be known (its directory could not be read) is not 0 */
	bool units_unknown, groups_unknown, devices_unknown;
	size_t devices_group_unknown; /* in groups that could not be read, or unreadable devices */
	struct strlist params;        /* IOMMU-related kernel parameters */
	const char *params_source;    /* "proc/cmdline", "kernel log", or NULL */
	struct strlist advice;        /* what to do about what was found */
};

/*
 * An IOMMU the firmware describes and no driver registered (no unit at all):
 * which, for the kernel option and module it needs. II_FWDRV_NONE otherwise.
 */
enum ii_fwdrv {
	II_FWDRV_NONE,
	II_FWDRV_VIRTIO,   /* an ACPI VIOT */
	II_FWDRV_SMMU_V3,  /* SMMUv3 nodes in the ACPI IORT */
	II_FWDRV_SMMU,     /* SMMUv1/v2 nodes in the ACPI IORT */
	II_FWDRV_DT_VIRTIO,  /* a virtio-iommu node of the device tree (#iommu-cells) */
	II_FWDRV_DT_SMMU_V3, /* an SMMUv3 node of the device tree */
	II_FWDRV_DT_SMMU,    /* an SMMUv1/v2 (MMU-400/401/500) node of the device tree */
};
struct ii_fwdrv_info {
	const char *what;   /* "a virtio-iommu" */
	const char *table;  /* "ACPI VIOT" */
	const char *option; /* "CONFIG_VIRTIO_IOMMU" */
	const char *module; /* "virtio_iommu" */
};
enum ii_fwdrv ii_fw_iommu_without_driver(const struct ii_system *s);
const struct ii_fwdrv_info *ii_fwdrv_info(enum ii_fwdrv k); /* NULL for II_FWDRV_NONE */

void ii_status_derive(const struct ii_system *s, struct ii_status *st);
void ii_status_free(struct ii_status *st);

#endif
