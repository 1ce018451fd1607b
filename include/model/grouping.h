/* SPDX-License-Identifier: MIT */
/*
 * Why the kernel grouped the devices as it did (src/model/model-grouping.c):
 * the IOMMU groups predicted from configuration space alone, by the rules of
 * the kernel's pci_device_group() (drivers/iommu/iommu.c): requests that
 * alias to a PCIe-to-PCI or conventional PCI bridge, the ACS path upstream,
 * functions of a multifunction slot without ACS. Each device carries the
 * cause that put it with others and the device that caused it, so that the
 * prediction can be compared with the kernel's groups (a disagreement is a
 * finding, never hidden) and each cause can be explained.
 *
 * The kernel's PCI quirks that bear on it are applied from their tables
 * (include/model/pciquirks.h): ACS quirks, DMA alias quirks.
 *
 * What the bytes read cannot tell (config space unreadable, 64 bytes for a
 * reader who is not root) makes the prediction incomplete, never a guess.
 */
#ifndef II_GROUPING_H
#define II_GROUPING_H

#include "model.h"
#include "pcicap.h"
#include "pciquirks.h"

/* Whether a function isolates its peers the way the kernel requires (pci_acs_enabled). */
enum ii_acs_verdict {
	II_ACS_ISOLATES,        /* the required flags are enabled (or hard-wired) */
	II_ACS_NOT_APPLICABLE,  /* a single-function endpoint: no peer to isolate from */
	II_ACS_CONVENTIONAL,    /* conventional PCI or PCI-X: a shared bus, never isolated */
	II_ACS_BRIDGE_TYPE,     /* a PCIe-to-PCI or PCI-to-PCIe bridge, or an RC event collector */
	II_ACS_NO_CAPABILITY,   /* a port or multifunction device without an ACS capability */
	II_ACS_DISABLED,        /* ACS is there but some required flags are off (missing) */
	II_ACS_UNKNOWN,         /* its configuration space could not be read far enough */
	II_ACS_QUIRK_DENIES,    /* a kernel quirk says it does not isolate (acs_quirk) */
};
const char *ii_acs_verdict_key(enum ii_acs_verdict v);

/* What put a device in a group with others. */
enum ii_group_cause {
	II_GC_OWN,              /* nothing: it gets a group of its own */
	II_GC_BRIDGE_ALIAS,     /* its requests carry the ID of a PCI/PCI-X bridge above it */
	II_GC_UPSTREAM_NO_ACS,  /* a bridge above it does not isolate (ACS), so it shares that group */
	II_GC_FUNCTION_NO_ACS,  /* another function of its slot, and neither isolates */
	II_GC_UNKNOWN,          /* the configuration space needed to decide could not be read */
	II_GC_DMA_ALIAS,        /* a DMA alias quirk: it and another device share requester IDs */
};
const char *ii_group_cause_key(enum ii_group_cause c);

struct ii_pred {
	struct ii_device *dev;
	struct ii_pcicaps caps;
	int cfg_err;               /* -errno reading config, 0 */
	enum ii_acs_verdict acs;
	uint16_t acs_missing;      /* II_ACS_DISABLED: required flags (II_ACS_REQUIRED) not enabled */
	const struct ii_acs_quirk *acs_quirk;  /* the ACS quirk that decided acs, or NULL */
	const struct ii_alias_quirk *alias_quirk; /* its DMA alias quirk, or NULL */
	bool multifunction;        /* as the kernel counts it (a function but 0 of a slot, or the bit) */
	long parent;               /* the bridge whose secondary bus it is on, or -1 (a root bus) */
	enum ii_group_cause cause;
	long via;                  /* the device behind the cause (the bridge, the sibling), or -1 */
	long group;                /* predicted group: an index 0..ngroups-1, or -1 unknown */
	bool visiting;             /* internal: the walk is on it */
};

struct ii_grouping {
	struct ii_pred *p;         /* one per present PCI device, in s->devices order */
	size_t n;
	size_t ngroups;
	bool complete;             /* every device could be decided */
};

/* Predict the groups of s's present PCI devices from their configuration space. */
void ii_grouping_predict(struct ii_system *s, struct ii_grouping *g);
void ii_grouping_free(struct ii_grouping *g);
/* The prediction of a device, or NULL. */
const struct ii_pred *ii_grouping_find(const struct ii_grouping *g, const struct ii_device *d);

#endif
