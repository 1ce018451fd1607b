// SPDX-License-Identifier: MIT
/*
 * The device tree's mappings joined with the tree (a machine booted without
 * ACPI): each PCI device's requester ID through its host bridge's iommu-map
 * (stream ID on the IOMMU the phandle names) and msi-map (device ID on the
 * ITS), and each platform node's iommus specifiers, as the kernel's
 * of_map_id() and of_iommu_configure() do. Pure: it reads only the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "arm.h"
#include "dt.h"

static const struct ii_dt_node *by_phandle(const struct ii_dt *dt, uint32_t ph)
{
	for (size_t i = 0; i < dt->n; i++)
		if (dt->nodes[i].has_phandle && dt->nodes[i].phandle == ph)
			return &dt->nodes[i];
	return NULL;
}

/* The unit of the IOMMU node io: by its register base, for an SMMU. */
static const struct ii_unit *dt_unit(const struct ii_system *s, const struct ii_dt_node *io)
{
	const struct ii_unit *u;

	if (!io || !io->has_reg)
		return NULL;
	u = ii_unit_at_base(s, II_VENDOR_ARM_SMMU_V3, io->reg);
	return u ? u : ii_unit_at_base(s, II_VENDOR_ARM_SMMU, io->reg);
}

static void set_iommu(const struct ii_system *s, const struct ii_dt *dt, struct ii_idmap_entry *e,
		      uint32_t ph, uint32_t sid)
{
	const struct ii_dt_node *io = by_phandle(dt, ph);

	e->has_sid = true;
	e->sid = sid;
	if (io) {
		e->iommu_fw = xstrdup(io->path);
		e->has_iommu_base = io->has_reg;
		e->iommu_base = io->reg;
		e->iommu_node = io - dt->nodes;
	}
	e->unit = dt_unit(s, io);
	e->end = II_IE_STOP;
}

/* The kernel's platform device name of a node "name@addr": "addr.name". */
static void platform_name(const struct ii_dt_node *nd, char *out, size_t size)
{
	const char *at = strchr(nd->name, '@');

	if (at)
		snprintf(out, size, "%s.%.*s", at + 1, (int)(at - nd->name), nd->name);
	else
		snprintf(out, size, "%s", nd->name);
}

bool ii_dt_sid_of_rid(const struct ii_system *s, uint32_t domain, uint32_t rid, uint32_t *sid,
		      const struct ii_unit **unit)
{
	const struct ii_dt *dt = s->dt;
	size_t nhost = 0;

	for (size_t i = 0; dt && i < dt->n; i++) {
		const struct ii_dt_node *h = &dt->nodes[i];
		uint32_t ph;

		if (!h->is_pci)
			continue;
		/* numbered as ii_dt_link numbers them */
		if ((h->has_domain ? h->pci_domain : (uint32_t)nhost++) != domain)
			continue;
		if (!ii_dt_map_id(h->iommu_map, h->n_iommu_map, h->iommu_map_mask, rid, &ph, sid))
			return false;
		*unit = dt_unit(s, by_phandle(dt, ph));
		return true;
	}
	return false;
}

void ii_dt_link(struct ii_system *s)
{
	const struct ii_dt *dt = s->dt;
	struct ii_idmap *m = &s->idmap;
	size_t cap = 0, nhost = 0;

	m->src = II_IDMAP_DT;
	for (size_t i = 0; i < dt->n; i++) {
		const struct ii_dt_node *h = &dt->nodes[i];
		uint32_t domain;

		if (!h->is_pci)
			continue;
		/* as the kernel numbers host bridges without linux,pci-domain: in probe order */
		domain = h->has_domain ? h->pci_domain : (uint32_t)nhost;
		nhost++;
		for (size_t j = 0; j < s->ndevices; j++) {
			const struct ii_device *d = s->devices[j];
			struct ii_idmap_entry *e;
			uint32_t ph, out;

			if (!d->is_pci || !d->present || d->bdf.domain != domain)
				continue;
			xgrow((void **)&m->e, &cap, m->n + 1, sizeof(*m->e));
			e = &m->e[m->n++];
			memset(e, 0, sizeof(*e));
			e->iommu_node = e->its_node = -1;
			e->rc_node = (long)i;
			e->dev = d;
			e->is_pci = true;
			e->bdf = d->bdf;
			e->rid = (uint32_t)(d->bdf.bus << 8 | d->bdf.dev << 3 | d->bdf.fn);
			e->fw_name = xstrdup(h->path);
			e->end = II_IE_NO_MAPPING;
			if (ii_dt_map_id(h->iommu_map, h->n_iommu_map, h->iommu_map_mask, e->rid, &ph,
					 &out))
				set_iommu(s, dt, e, ph, out);
			if (ii_dt_map_id(h->msi_map, h->n_msi_map, h->msi_map_mask, e->rid, &ph, &out)) {
				const struct ii_dt_node *its = by_phandle(dt, ph);

				e->has_devid = true;
				e->devid = out;
				e->its_node = its ? its - dt->nodes : -1;
			}
		}
	}
	for (size_t i = 0; i < dt->n; i++) {
		const struct ii_dt_node *nd = &dt->nodes[i];
		char name[128];

		for (size_t k = 0; k < nd->n_iommus; k++) {
			struct ii_idmap_entry *e;

			xgrow((void **)&m->e, &cap, m->n + 1, sizeof(*m->e));
			e = &m->e[m->n++];
			memset(e, 0, sizeof(*e));
			e->iommu_node = e->its_node = -1;
			e->rc_node = (long)i;
			e->fw_name = xstrdup(nd->path);
			platform_name(nd, name, sizeof(name));
			e->dev = ii_find_device(s, name);
			set_iommu(s, dt, e, nd->iommus[k].phandle, nd->iommus[k].arg);
		}
	}
}
