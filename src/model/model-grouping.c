// SPDX-License-Identifier: MIT
/*
 * The kernel's grouping rules applied to recorded configuration space
 * (include/model/grouping.h). pci_device_group() in drivers/iommu/iommu.c,
 * for a device D, in the order the kernel probes devices (a bridge before
 * what is below it):
 *  1. D's DMA aliases: walking up from D, a PCIe-to-PCI bridge aliases what
 *     is below it to (its secondary bus, 00.0) and a conventional PCI bridge
 *     to itself (pci_for_each_dma_alias): D takes the group of the last such
 *     bridge, which already has one;
 *  2. from there up to the root bus, the first bridge whose path to the root
 *     isolates (pci_acs_path_enabled with SV, RR, CR and UF) stops the walk;
 *     every bridge before it that does not shares its group downwards;
 *  3. a device that shares requester IDs with another of its bus by a DMA
 *     alias quirk joins that device's group (get_pci_alias_group);
 *  4. a function of a multifunction slot without ACS joins the group of
 *     another function of the slot without ACS;
 *  5. otherwise a new group.
 * Whether a function isolates is pci_acs_enabled(): the device-specific ACS
 * quirks first (pci_dev_specific_acs_enabled), then its type and capability.
 * The quirks come from tables (src/model/model-pci-quirks.c); what they need
 * beyond configuration space (a chipset register, an NTB's partition table)
 * is assumed or said to be unknown. Devices that are not PCI are not modelled.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grouping.h"
#include "source.h"

const char *ii_acs_verdict_key(enum ii_acs_verdict v)
{
	static const char *const keys[] = {
		[II_ACS_ISOLATES] = "isolates",           [II_ACS_NOT_APPLICABLE] = "not-applicable",
		[II_ACS_CONVENTIONAL] = "conventional-pci", [II_ACS_BRIDGE_TYPE] = "bridge-type",
		[II_ACS_NO_CAPABILITY] = "no-acs",          [II_ACS_DISABLED] = "acs-disabled",
		[II_ACS_UNKNOWN] = "unknown",               [II_ACS_QUIRK_DENIES] = "quirk-denies",
	};
	return (size_t)v < II_ARRAY_SIZE(keys) ? keys[v] : "unknown";
}

const char *ii_group_cause_key(enum ii_group_cause c)
{
	static const char *const keys[] = {
		[II_GC_OWN] = "own",                     [II_GC_BRIDGE_ALIAS] = "bridge-alias",
		[II_GC_UPSTREAM_NO_ACS] = "upstream-no-acs", [II_GC_FUNCTION_NO_ACS] = "function-no-acs",
		[II_GC_UNKNOWN] = "unknown",             [II_GC_DMA_ALIAS] = "dma-alias",
	};
	return (size_t)c < II_ARRAY_SIZE(keys) ? keys[c] : "unknown";
}

/* The device-specific ACS quirks (pci_dev_specific_acs_enabled): true when one decided. */
static bool acs_quirk(struct ii_pred *p, bool ivrs)
{
	const struct ii_pcicaps *c = &p->caps;
	const struct ii_device *d = p->dev;
	struct ii_acs_quirk_dev qd = {
		.vendor = (d->valid & II_DV_IDS) ? d->vendor_id : c->vendor_id,
		.device = (d->valid & II_DV_IDS) ? d->device_id : c->device_id,
		.pcie = c->pcie, .pcie_type = c->pcie_type, .multifunction = p->multifunction,
		.root_bus = p->parent < 0, .ivrs = ivrs, .acs_cap = c->acs,
	};
	uint16_t want;

	switch (ii_acs_quirk(&qd, &p->acs_quirk)) {
	case II_AQR_NONE:
		return false;
	case II_AQR_ISOLATES:
		p->acs = II_ACS_ISOLATES;
		return true;
	case II_AQR_DENIES:
		p->acs = II_ACS_QUIRK_DENIES;
		return true;
	case II_AQR_SPT:
		/* the control bits sit in the word at +8, as the chipset's errata say */
		if (!c->acs_word8_valid) {
			p->acs = II_ACS_UNKNOWN;
			return true;
		}
		want = II_ACS_REQUIRED & (c->acs_cap | II_ACS_EC);
		p->acs_missing = want & ~c->acs_word8;
		p->acs = p->acs_missing ? II_ACS_DISABLED : II_ACS_ISOLATES;
		return true;
	}
	return false;
}

/* pci_acs_enabled() with the required flags, from the recorded bytes. */
static void acs_verdict(struct ii_pred *p, bool ivrs)
{
	const struct ii_pcicaps *c = &p->caps;
	uint16_t want;

	p->acs_missing = 0;
	p->acs_quirk = NULL;
	if (!(c->known & II_PC_HEADER) || !(c->known & II_PC_CAPS)) {
		p->acs = II_ACS_UNKNOWN;
		return;
	}
	if (acs_quirk(p, ivrs))
		return;
	if (!c->pcie) {
		p->acs = II_ACS_CONVENTIONAL;
		return;
	}
	switch (c->pcie_type) {
	case II_PCIE_TO_PCI_BRIDGE:
	case II_PCI_TO_PCIE_BRIDGE:
	case II_PCIE_RC_EVENT_COLLECTOR:
		p->acs = II_ACS_BRIDGE_TYPE;
		return;
	case II_PCIE_ROOT_PORT:
	case II_PCIE_DOWNSTREAM:
		break;
	case II_PCIE_ENDPOINT:
	case II_PCIE_UPSTREAM:
	case II_PCIE_LEGACY_ENDPOINT:
	case II_PCIE_RC_ENDPOINT:
		if (!p->multifunction) {
			p->acs = II_ACS_NOT_APPLICABLE;
			return;
		}
		break;
	default:
		p->acs = II_ACS_NOT_APPLICABLE; /* the kernel's default: true */
		return;
	}
	if (!(c->known & II_PC_EXT)) {
		p->acs = II_ACS_UNKNOWN;
		return;
	}
	if (!c->acs) {
		p->acs = II_ACS_NO_CAPABILITY;
		return;
	}
	/* flags the capability does not offer are hard-wired on, except egress control */
	want = II_ACS_REQUIRED & (c->acs_cap | II_ACS_EC);
	p->acs_missing = want & ~c->acs_ctrl;
	p->acs = p->acs_missing ? II_ACS_DISABLED : II_ACS_ISOLATES;
}

static bool isolates(const struct ii_pred *p)
{
	return p->acs == II_ACS_ISOLATES || p->acs == II_ACS_NOT_APPLICABLE;
}

/*
 * The bridge whose secondary bus d is on (same domain), or -1: d is on a root bus. A VF
 * on a bus of its own (a large VF offset) is on a virtual bus without a bridge, which the
 * kernel's walks skip: its PF's bridge is the one above it.
 */
static long parent_of(const struct ii_grouping *g, size_t i)
{
	const struct ii_device *d = g->p[i].dev;

	if (d->physfn) {
		for (size_t j = 0; j < g->n; j++)
			if (j != i && !g->p[j].dev->physfn && !strcmp(g->p[j].dev->name, d->physfn)) {
				d = g->p[j].dev;
				i = j;
				break;
			}
	}

	for (size_t j = 0; j < g->n; j++) {
		const struct ii_pred *b = &g->p[j];

		if (j != i && (b->caps.header_type & 0x7f) == 1 && (b->caps.known & II_PC_HEADER) &&
		    b->dev->bdf.domain == d->bdf.domain && b->caps.secondary_bus == d->bdf.bus &&
		    b->caps.secondary_bus != 0)
			return (long)j;
	}
	return -1;
}

/* pci_acs_path_enabled(start, NULL): start and every bridge above it isolate. -1: unknown. */
static int path_isolates(const struct ii_grouping *g, long start)
{
	int hops = 0;

	for (long i = start; i >= 0 && hops < 256; i = g->p[i].parent, hops++) {
		if (g->p[i].acs == II_ACS_UNKNOWN)
			return -1;
		if (!isolates(&g->p[i]))
			return 0;
	}
	return 1;
}

static long new_group(struct ii_grouping *g)
{
	return (long)g->ngroups++;
}

static long group_of(struct ii_grouping *g, long i);

/* Join the group of j (deciding it first), with the cause and the device behind it. */
static long join(struct ii_grouping *g, long i, long j, enum ii_group_cause cause)
{
	long grp = group_of(g, j);

	g->p[i].cause = grp < 0 ? II_GC_UNKNOWN : cause;
	g->p[i].via = j;
	return grp;
}

static bool same_bus(const struct ii_device *a, const struct ii_device *b)
{
	return a->bdf.domain == b->bdf.domain && a->bdf.bus == b->bdf.bus;
}

static uint8_t devfn(const struct ii_device *d)
{
	return (uint8_t)(d->bdf.dev << 3 | d->bdf.fn);
}

/* a aliases b: b's devfn is among a's DMA aliases (a's quirk) */
static bool aliases(const struct ii_pred *a, const struct ii_pred *b)
{
	bool mask[256] = { false };

	return a->alias_quirk && ii_alias_devfns(a->alias_quirk, devfn(a->dev), mask) &&
	       mask[devfn(b->dev)];
}

/*
 * pci_devs_are_dma_aliases() with a device of i's bus probed before it (the kernel
 * probes in address order; a later one finds i's group), or -1.
 */
static long alias_partner(const struct ii_grouping *g, long i)
{
	const struct ii_pred *p = &g->p[i];

	for (long j = 0; j < (long)g->n; j++) {
		const struct ii_pred *q = &g->p[j];

		if (j == i || !same_bus(p->dev, q->dev) || (!p->alias_quirk && !q->alias_quirk))
			continue;
		if ((j < i || q->group >= 0) && (aliases(p, q) || aliases(q, p)))
			return j;
	}
	return -1;
}

static long decide(struct ii_grouping *g, long i)
{
	struct ii_pred *p = &g->p[i];
	long alias = -1;

	/* 1. DMA aliases: the nearest PCI or PCI-X bridge above it (which has its group) */
	for (long b = p->parent; b >= 0 && alias < 0; b = g->p[b].parent) {
		const struct ii_pcicaps *c = &g->p[b].caps;

		/* the IOMMU is associated at this bridge: no alias above it (pci_for_each_dma_alias) */
		if (g->p[b].alias_quirk && g->p[b].alias_quirk->kind == II_DA_XLATE_ROOT)
			break;
		if (!(c->known & II_PC_CAPS))
			return (p->cause = II_GC_UNKNOWN, -1);
		if (!c->pcie || c->pcie_type == II_PCIE_TO_PCI_BRIDGE || c->pcie_type == II_PCI_TO_PCIE_BRIDGE)
			alias = b;
	}
	if (alias >= 0)
		return join(g, i, alias, II_GC_BRIDGE_ALIAS);

	/* 2. the bridge above it, unless its path to the root isolates */
	if (p->parent >= 0) {
		int iso = path_isolates(g, p->parent);

		if (iso < 0)
			return (p->cause = II_GC_UNKNOWN, -1);
		if (!iso)
			return join(g, i, p->parent, II_GC_UPSTREAM_NO_ACS);
	}

	/* 3. a device of its bus it shares requester IDs with, by a DMA alias quirk */
	{
		long j = alias_partner(g, i);

		if (j >= 0)
			return join(g, i, j, II_GC_DMA_ALIAS);
	}

	/* 4. another function of a multifunction slot, neither isolating */
	if (p->multifunction && !isolates(p)) {
		if (p->acs == II_ACS_UNKNOWN)
			return (p->cause = II_GC_UNKNOWN, -1);
		for (long j = 0; j < (long)g->n; j++) {
			const struct ii_pred *q = &g->p[j];

			if (j == i || q->dev->bdf.domain != p->dev->bdf.domain ||
			    q->dev->bdf.bus != p->dev->bdf.bus || q->dev->bdf.dev != p->dev->bdf.dev ||
			    isolates(q) || q->acs == II_ACS_UNKNOWN)
				continue;
			if (q->dev->bdf.fn < p->dev->bdf.fn || q->group >= 0)
				return join(g, i, j, II_GC_FUNCTION_NO_ACS);
		}
	}
	p->cause = II_GC_OWN;
	return new_group(g);
}

static long group_of(struct ii_grouping *g, long i)
{
	struct ii_pred *p = &g->p[i];

	if (p->group >= 0 || p->cause == II_GC_UNKNOWN)
		return p->group;
	if (p->visiting)
		return -1; /* a loop of bridges in a hostile tree: undecided */
	p->visiting = true;
	p->group = decide(g, i);
	p->visiting = false;
	return p->group;
}

void ii_grouping_predict(struct ii_system *s, struct ii_grouping *g)
{
	static uint8_t cfg[4096];
	bool ivrs = s->ivrs.present;

	memset(g, 0, sizeof(*g));
	g->p = xcalloc(s->ndevices + 1, sizeof(*g->p));
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];
		struct ii_pred *p;
		ssize_t n;

		if (!d->is_pci || !d->present)
			continue;
		/*
		 * An IOMMU's own function and a device no IOMMU translates are never given a
		 * group, so no other function can join theirs (iommu_group_get() is NULL);
		 * a bridge stays, for the walk of the devices below it.
		 */
		if (d->nogroup > II_NOGROUP_NO_GROUPS && d->nogroup < II_NOGROUP_GROUPS_UNREADABLE &&
		    !d->is_bridge)
			continue;
		p = &g->p[g->n++];
		p->dev = d;
		p->group = -1;
		p->via = -1;
		n = ii_src_pci_config(s, d, cfg, sizeof(cfg));
		if (n < 0)
			p->cfg_err = (int)n;
		ii_parse_pcicaps(cfg, n > 0 ? (size_t)n : 0, &p->caps);
		/*
		 * The kernel counts every function but 0 of a slot it scans as multifunction
		 * (pci_scan_slot); a VF is not scanned so, and keeps its header's bit.
		 */
		p->multifunction = p->caps.multifunction || (d->bdf.fn > 0 && !d->physfn);
		{
			const struct ii_pcicaps *c = &p->caps;
			bool ids = d->valid & II_DV_IDS;

			if (ids || (c->known & II_PC_HEADER))
				p->alias_quirk = ii_alias_quirk(ids ? d->vendor_id : c->vendor_id,
								ids ? d->device_id : c->device_id,
								d->valid & II_DV_SUBSYS ? d->subvendor_id : c->subvendor_id,
								d->valid & II_DV_SUBSYS ? d->subdevice_id : c->subdevice_id,
								d->valid & II_DV_CLASS ? d->class_code : c->class_code);
		}
	}
	for (size_t i = 0; i < g->n; i++)
		g->p[i].parent = parent_of(g, i);
	for (size_t i = 0; i < g->n; i++)
		acs_verdict(&g->p[i], ivrs);
	g->complete = true;
	for (size_t i = 0; i < g->n; i++)
		if (group_of(g, (long)i) < 0)
			g->complete = false;
}

void ii_grouping_free(struct ii_grouping *g)
{
	for (size_t i = 0; i < g->n; i++)
		ii_pcicaps_free(&g->p[i].caps);
	free(g->p);
	memset(g, 0, sizeof(*g));
}

const struct ii_pred *ii_grouping_find(const struct ii_grouping *g, const struct ii_device *d)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->p[i].dev == d)
			return &g->p[i];
	return NULL;
}
