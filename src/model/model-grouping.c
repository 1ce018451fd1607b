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
 *  3. a function of a multifunction slot without ACS joins the group of
 *     another function of the slot without ACS;
 *  4. otherwise a new group.
 * Not modelled (the prediction says so where it matters): the kernel's
 * device-specific ACS quirks and DMA alias quirks, which sysfs does not show,
 * and devices that are not PCI.
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
		[II_ACS_UNKNOWN] = "unknown",
	};
	return (size_t)v < II_ARRAY_SIZE(keys) ? keys[v] : "unknown";
}

const char *ii_group_cause_key(enum ii_group_cause c)
{
	static const char *const keys[] = {
		[II_GC_OWN] = "own",                     [II_GC_BRIDGE_ALIAS] = "bridge-alias",
		[II_GC_UPSTREAM_NO_ACS] = "upstream-no-acs", [II_GC_FUNCTION_NO_ACS] = "function-no-acs",
		[II_GC_UNKNOWN] = "unknown",
	};
	return (size_t)c < II_ARRAY_SIZE(keys) ? keys[c] : "unknown";
}

/* pci_acs_enabled() with the required flags, from the recorded bytes. */
static void acs_verdict(struct ii_pred *p)
{
	const struct ii_pcicaps *c = &p->caps;
	uint16_t want;

	p->acs_missing = 0;
	if (!(c->known & II_PC_HEADER) || !(c->known & II_PC_CAPS)) {
		p->acs = II_ACS_UNKNOWN;
		return;
	}
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
		if (!c->multifunction) {
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

/* The bridge whose secondary bus d is on (same domain), or -1: d is on a root bus. */
static long parent_of(const struct ii_grouping *g, size_t i)
{
	const struct ii_device *d = g->p[i].dev;

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

static long decide(struct ii_grouping *g, long i)
{
	struct ii_pred *p = &g->p[i];
	long alias = -1;

	/* 1. DMA aliases: the nearest PCI or PCI-X bridge above it (which has its group) */
	for (long b = p->parent; b >= 0 && alias < 0; b = g->p[b].parent) {
		const struct ii_pcicaps *c = &g->p[b].caps;

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

	/* 3. another function of a multifunction slot, neither isolating */
	if (p->caps.multifunction && !isolates(p)) {
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

	memset(g, 0, sizeof(*g));
	g->p = xcalloc(s->ndevices + 1, sizeof(*g->p));
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];
		struct ii_pred *p;
		ssize_t n;

		if (!d->is_pci || !d->present)
			continue;
		p = &g->p[g->n++];
		p->dev = d;
		p->group = -1;
		p->via = -1;
		n = ii_src_pci_config(s, d, cfg, sizeof(cfg));
		if (n < 0)
			p->cfg_err = (int)n;
		ii_parse_pcicaps(cfg, n > 0 ? (size_t)n : 0, &p->caps);
		/* the kernel counts every function but 0 as multifunction (pci_scan_slot) */
		if (d->bdf.fn > 0)
			p->caps.multifunction = true;
		acs_verdict(p);
	}
	for (size_t i = 0; i < g->n; i++)
		g->p[i].parent = parent_of(g, i);
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
