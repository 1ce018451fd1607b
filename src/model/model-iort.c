// SPDX-License-Identifier: MIT
/*
 * The Arm and virtio-iommu mappings joined with the tree: for every PCI
 * device, its requester ID walked through the IORT (root complex of its
 * segment, SMMU, ITS group) or looked up in the VIOT's PCI ranges, giving
 * its stream ID (virtio-iommu: endpoint ID), the registered unit with the
 * SMMU's base, and its ITS device ID; the named components' stream IDs; the
 * devices each RMR's stream IDs cover (marked rmr, as an RMRR marks them on
 * Intel). The result is s->idmap, which faults, iommus, status and acpi read.
 * Pure: it reads only the model.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "arm.h"

bool ii_unit_base(const struct ii_unit *u, uint64_t *base)
{
	const char *p;
	char *end;

	if (u->vendor != II_VENDOR_ARM_SMMU_V3 && u->vendor != II_VENDOR_ARM_SMMU)
		return false;
	p = strchr(u->name, '.');
	if (!p || strncmp(p + 1, "0x", 2))
		return false;
	*base = strtoull(p + 1, &end, 16);
	return *end == '\0';
}

const struct ii_unit *ii_unit_at_base(const struct ii_system *s, enum ii_vendor v, uint64_t base)
{
	for (size_t i = 0; i < s->nunits; i++) {
		uint64_t b;

		if (s->units[i].vendor == v && ii_unit_base(&s->units[i], &b) && b == base)
			return &s->units[i];
	}
	return NULL;
}

static struct ii_idmap_entry *add_entry(struct ii_idmap *m, size_t *cap)
{
	struct ii_idmap_entry *e;

	xgrow((void **)&m->e, cap, m->n + 1, sizeof(*m->e));
	e = &m->e[m->n++];
	memset(e, 0, sizeof(*e));
	e->iommu_node = e->its_node = e->rc_node = -1;
	return e;
}

/* Fill e's IDs from the walk p of an IORT. */
static void from_path(const struct ii_system *s, const struct ii_iort *t,
		      const struct ii_iort_path *p, struct ii_idmap_entry *e)
{
	e->end = p->end;
	e->workaround = p->workaround;
	for (size_t h = 1; h < p->nhops; h++) {
		const struct ii_iort_node *nd = &t->nodes[p->hop[h].node];

		if ((nd->type == II_IORT_SMMU || nd->type == II_IORT_SMMU_V3) && !e->has_sid) {
			e->has_sid = true;
			e->sid = p->hop[h].id;
			e->iommu_node = (long)p->hop[h].node;
			e->has_iommu_base = true;
			e->iommu_base = nd->base;
			e->unit = ii_unit_at_base(s, nd->type == II_IORT_SMMU_V3 ? II_VENDOR_ARM_SMMU_V3 :
						  II_VENDOR_ARM_SMMU, nd->base);
		}
		if (nd->type == II_IORT_ITS_GROUP && p->end == II_IE_ITS) {
			e->has_devid = true;
			e->devid = p->hop[h].id;
			e->its_node = (long)p->hop[h].node;
		}
	}
}

static long rc_of_segment(const struct ii_iort *t, uint16_t seg)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->nodes[i].type == II_IORT_ROOT_COMPLEX && (t->nodes[i].have & II_IN_BODY) &&
		    t->nodes[i].segment == seg)
			return (long)i;
	return -1;
}

static void iort_map(struct ii_system *s, const struct ii_iort *t)
{
	struct ii_idmap *m = &s->idmap;
	size_t cap = 0;

	m->src = II_IDMAP_IORT;
	for (size_t j = 0; j < s->ndevices; j++) {
		const struct ii_device *d = s->devices[j];
		struct ii_idmap_entry *e;
		struct ii_iort_path p;
		long rc;

		if (!d->is_pci || !d->present)
			continue;
		rc = rc_of_segment(t, d->bdf.domain);
		e = add_entry(m, &cap);
		e->dev = d;
		e->is_pci = true;
		e->bdf = d->bdf;
		e->rid = (uint32_t)(d->bdf.bus << 8 | d->bdf.dev << 3 | d->bdf.fn);
		e->rc_node = rc;
		if (rc < 0) {
			e->end = II_IE_NO_MAPPING;
			continue;
		}
		ii_iort_walk(t, (size_t)rc, e->rid, 0, &p);
		from_path(s, t, &p, e);
	}
	/* named components: their own IDs (a single mapping, or each range's first ID) */
	for (size_t i = 0; i < t->n; i++) {
		const struct ii_iort_node *nd = &t->nodes[i];

		if (nd->type != II_IORT_NAMED_COMPONENT || !nd->device_name)
			continue;
		for (size_t k = 0; k < nd->nmaps; k++) {
			struct ii_idmap_entry *e;
			struct ii_iort_path p;

			if (k && nd->maps[k].single)
				break;
			e = add_entry(m, &cap);
			e->fw_name = xstrdup(nd->device_name);
			e->rc_node = (long)i;
			e->rid = nd->maps[k].input_base;
			ii_iort_walk(t, i, e->rid, 0, &p);
			from_path(s, t, &p, e);
		}
	}
}

/* The RMRs: the stream IDs of each on each SMMU; the entries with one of them are marked. */
static void iort_rmr(struct ii_system *s, struct ii_acpi_table *tab)
{
	const struct ii_iort *t = tab->iort;
	bool *mark = xcalloc(s->ndevices + 1, sizeof(*mark));

	for (size_t i = 0; i < t->n; i++) {
		const struct ii_iort_node *nd = &t->nodes[i];
		struct ii_acpi_cover *c = &tab->cover[i];

		if (nd->type != II_IORT_RMR)
			continue;
		for (size_t k = 0; k < nd->nmaps; k++) {
			const struct ii_iort_map *mp = &nd->maps[k];

			for (size_t j = 0; j < s->idmap.n; j++) {
				struct ii_idmap_entry *e = &s->idmap.e[j];

				if (!e->has_sid || e->iommu_node != mp->target || e->sid < mp->output_base ||
				    (uint64_t)e->sid > (uint64_t)mp->output_base + mp->id_count)
					continue;
				e->rmr = true;
				if (e->dev) {
					long di = ii_device_index(s, e->dev->name);
					if (di >= 0)
						mark[di] = true;
				}
			}
		}
		c->devs = xcalloc(s->ndevices + 1, sizeof(*c->devs));
		for (size_t j = 0; j < s->ndevices; j++)
			if (mark[j]) {
				c->devs[c->ndevs++] = s->devices[j];
				s->devices[j]->rmrr = true; /* the Arm RMR, as an RMRR */
				mark[j] = false;
			}
		c->pins = xcalloc(c->ndevs + 1, sizeof(*c->pins));
		for (size_t j = 0; j < c->ndevs; j++) {
			struct ii_acpi_pin *p = &c->pins[j];
			const struct ii_device *d = c->devs[j];

			p->dev = d;
			p->group = d->group >= 0 ? ii_find_group(s, (unsigned)d->group) : NULL;
			p->relaxable = nd->remap_permitted;
			p->bridge = false;
			for (size_t r = 0; p->group && r < p->group->nresv && nd->nrmr; r++)
				if (p->group->resv[r].start <= nd->rmrs[0].base &&
				    p->group->resv[r].end >= nd->rmrs[0].base)
					p->region = p->group->resv[r].type;
			/* 6.6+: a device with a direct (not relaxable) region cannot leave its
			   identity mapping: no blocking or VFIO domain */
			p->ineligible = !p->relaxable && d->group >= 0 && s->kver >= 6006;
		}
	}
	free(mark);
}

/* Per IORT node: the unit an SMMU node describes and the devices whose IDs it takes. */
static void iort_cover(struct ii_system *s, struct ii_acpi_table *tab)
{
	const struct ii_iort *t = tab->iort;

	tab->cover = xcalloc(t->n + 1, sizeof(*tab->cover));
	for (size_t i = 0; i < t->n; i++) {
		const struct ii_iort_node *nd = &t->nodes[i];
		struct ii_acpi_cover *c = &tab->cover[i];

		if (nd->type == II_IORT_SMMU || nd->type == II_IORT_SMMU_V3)
			c->unit = (struct ii_unit *)ii_unit_at_base(s, nd->type == II_IORT_SMMU_V3 ?
					II_VENDOR_ARM_SMMU_V3 : II_VENDOR_ARM_SMMU, nd->base);
		if (nd->type == II_IORT_RMR || nd->type == II_IORT_PMCG)
			continue;
		c->devs = xcalloc(s->idmap.n + 1, sizeof(*c->devs));
		for (size_t j = 0; j < s->idmap.n; j++) {
			const struct ii_idmap_entry *e = &s->idmap.e[j];

			if (e->dev && (e->rc_node == (long)i || e->iommu_node == (long)i ||
				       e->its_node == (long)i))
				c->devs[c->ndevs++] = (struct ii_device *)e->dev;
		}
	}
}

static void viot_map(struct ii_system *s, struct ii_acpi_table *tab)
{
	const struct ii_viot *v = tab->viot;
	struct ii_idmap *m = &s->idmap;
	size_t cap = 0;

	m->src = II_IDMAP_VIOT;
	tab->cover = xcalloc(v->n + 1, sizeof(*tab->cover));
	for (size_t i = 0; i < v->n; i++)
		tab->cover[i].devs = xcalloc(s->ndevices + 1, sizeof(*tab->cover[i].devs));
	for (size_t j = 0; j < s->ndevices; j++) {
		const struct ii_device *d = s->devices[j];
		uint16_t bdf16;

		if (!d->is_pci || !d->present)
			continue;
		bdf16 = (uint16_t)(d->bdf.bus << 8 | d->bdf.dev << 3 | d->bdf.fn);
		for (size_t i = 0; i < v->n; i++) {
			const struct ii_viot_node *nd = &v->nodes[i];
			struct ii_idmap_entry *e;
			uint32_t ep;

			if (!ii_viot_endpoint(nd, d->bdf.domain, bdf16, &ep))
				continue;
			/* the kernel does not translate the virtio-iommu itself (viot_dev_iommu_init) */
			if (nd->target >= 0 && v->nodes[nd->target].type == II_VIOT_VIRTIO_PCI &&
			    !ii_bdf_cmp(&v->nodes[nd->target].iommu_bdf, &d->bdf))
				break;
			e = add_entry(m, &cap);
			e->dev = d;
			e->is_pci = true;
			e->bdf = d->bdf;
			e->rid = bdf16;
			e->has_sid = true;
			e->sid = ep;
			e->rc_node = (long)i;
			e->iommu_node = nd->target;
			if (nd->target >= 0) {
				const struct ii_viot_node *io = &v->nodes[nd->target];
				char name[II_BDF_MAX];

				tab->cover[nd->target].devs[tab->cover[nd->target].ndevs++] =
					(struct ii_device *)d;
				if (io->type == II_VIOT_VIRTIO_PCI) {
					const struct ii_device *iod;

					ii_format_bdf(&io->iommu_bdf, name);
					iod = ii_find_device(s, name);
					for (size_t u = 0; iod && u < s->nunits; u++)
						if (s->units[u].vendor == II_VENDOR_VIRTIO &&
						    s->units[u].parent && !strcmp(s->units[u].parent, name))
							e->unit = &s->units[u];
				}
			}
			tab->cover[i].devs[tab->cover[i].ndevs++] = (struct ii_device *)d;
			break;
		}
	}
	/* with one virtio-iommu registered, it is the one */
	for (size_t j = 0; j < m->n; j++)
		for (size_t u = 0; !m->e[j].unit && u < s->nunits; u++)
			if (s->units[u].vendor == II_VENDOR_VIRTIO)
				m->e[j].unit = &s->units[u];
	for (size_t i = 0; i < v->n; i++) {
		const struct ii_viot_node *nd = &v->nodes[i];
		char name[II_BDF_MAX];

		if (nd->type != II_VIOT_VIRTIO_PCI || !nd->have_body)
			continue;
		ii_format_bdf(&nd->iommu_bdf, name);
		for (size_t u = 0; u < s->nunits; u++)
			if (s->units[u].vendor == II_VENDOR_VIRTIO && s->units[u].parent &&
			    !strcmp(s->units[u].parent, name))
				tab->cover[i].unit = &s->units[u];
	}
	/*
	 * A unit is named after its virtio device ("virtio0"), not the PCI function:
	 * with one virtio-iommu node and one virtio-iommu unit, they are the same.
	 */
	{
		size_t nodes = 0, units = 0, node = 0, unit = 0;

		for (size_t i = 0; i < v->n; i++)
			if (v->nodes[i].type == II_VIOT_VIRTIO_PCI || v->nodes[i].type == II_VIOT_VIRTIO_MMIO)
				nodes++, node = i;
		for (size_t u = 0; u < s->nunits; u++)
			if (s->units[u].vendor == II_VENDOR_VIRTIO)
				units++, unit = u;
		if (nodes == 1 && units == 1 && !tab->cover[node].unit)
			tab->cover[node].unit = &s->units[unit];
	}
}

/*
 * An Arm guest with a virtio-iommu has both tables: the IORT says how requester
 * IDs reach the ITS (device IDs), the VIOT which virtio-iommu translates them
 * (endpoint IDs). The VIOT's endpoints join the IORT's entries of the same
 * devices; a device only the VIOT names gets an entry of its own.
 */
static void viot_join(struct ii_system *s)
{
	struct ii_idmap io = s->idmap, v = { 0 };
	size_t cap = io.n;

	s->idmap = v;
	viot_map(s, &s->viot);
	v = s->idmap;
	for (size_t j = 0; j < v.n; j++) {
		struct ii_idmap_entry *e = &v.e[j], *to = NULL;

		for (size_t k = 0; e->dev && k < io.n && !to; k++)
			if (io.e[k].dev == e->dev && !io.e[k].has_sid)
				to = &io.e[k];
		if (to) {
			to->has_sid = true;
			to->sid = e->sid;
			to->unit = e->unit;
			continue;
		}
		*add_entry(&io, &cap) = *e;
		e->fw_name = e->iommu_fw = NULL; /* moved */
	}
	ii_idmap_free(&v);
	s->idmap = io;
	s->idmap.src = II_IDMAP_IORT;
}

void ii_idmap_free(struct ii_idmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->e[i].fw_name);
		free(m->e[i].iommu_fw);
	}
	free(m->e);
	memset(m, 0, sizeof(*m));
}

static void arm_units_free(struct ii_system *s)
{
	for (size_t i = 0; s->arm_units && i < s->nunits; i++) {
		sl_free(&s->arm_units[i].features);
		free(s->arm_units[i].pmcgs);
		free(s->arm_units[i].ids);
	}
	free(s->arm_units);
	s->arm_units = NULL;
}

/* Per Arm or virtio unit: its base, boot lines, features, firmware node, PMCGs, stream IDs. */
static void arm_units(struct ii_system *s)
{
	bool any = false;

	for (size_t i = 0; i < s->nunits; i++)
		any |= s->units[i].vendor == II_VENDOR_ARM_SMMU_V3 ||
		       s->units[i].vendor == II_VENDOR_ARM_SMMU || s->units[i].vendor == II_VENDOR_VIRTIO;
	if (!any)
		return;
	s->arm_units = xcalloc(s->nunits, sizeof(*s->arm_units));
	for (size_t i = 0; i < s->nunits; i++) {
		const struct ii_unit *u = &s->units[i];
		struct ii_arm_unit *a = &s->arm_units[i];

		a->fw_node = -1;
		a->has_base = ii_unit_base(u, &a->base);
		for (size_t k = 0; u->parent && k < s->log.nubs; k++)
			if (!strcmp(s->log.ubs[k].dev, u->parent))
				a->boot = &s->log.ubs[k];
		if (a->boot && a->boot->has_features && u->vendor == II_VENDOR_ARM_SMMU_V3)
			ii_smmu_feature_names(a->boot->features, &a->features);
		a->ids = xcalloc(s->idmap.n + 1, sizeof(*a->ids));
		for (size_t j = 0; j < s->idmap.n; j++)
			if (s->idmap.e[j].unit == u && s->idmap.e[j].has_sid) {
				a->ids[a->nids++] = &s->idmap.e[j];
				if (a->fw_node < 0)
					a->fw_node = s->idmap.e[j].iommu_node;
				if (!a->fw_path)
					a->fw_path = s->idmap.e[j].iommu_fw;
			}
		if (s->iort.iort && a->has_base) {
			const struct ii_iort *t = s->iort.iort;

			for (size_t k = 0; k < t->n; k++)
				if ((t->nodes[k].type == II_IORT_SMMU_V3 || t->nodes[k].type == II_IORT_SMMU) &&
				    t->nodes[k].base == a->base)
					a->fw_node = (long)k;
			a->pmcgs = xcalloc(t->n + 1, sizeof(*a->pmcgs));
			for (size_t k = 0; a->fw_node >= 0 && k < t->n; k++)
				if (t->nodes[k].type == II_IORT_PMCG && t->nodes[k].ref_node == a->fw_node)
					a->pmcgs[a->npmcgs++] = t->nodes[k].offset;
		}
		if (u->vendor == II_VENDOR_VIRTIO && s->viot.viot) {
			const struct ii_viot *v = s->viot.viot;

			/* the VIOT node that names it, else the one its endpoints lead to */
			for (size_t k = 0; s->viot.cover && k < v->n; k++)
				if (s->viot.cover[k].unit == u)
					a->fw_node = (long)k;
			if (a->fw_node >= 0 && (size_t)a->fw_node < v->n) {
				a->fw_table = "VIOT";
				a->fw_offset = v->nodes[a->fw_node].offset;
			}
		} else if (a->fw_node >= 0 && s->idmap.src == II_IDMAP_IORT && s->iort.iort &&
			   (size_t)a->fw_node < s->iort.iort->n) {
			a->fw_table = "IORT";
			a->fw_offset = s->iort.iort->nodes[a->fw_node].offset;
		}
		if (a->boot && a->boot->has_pgmask)
			a->min_page = a->boot->pgmask & (~a->boot->pgmask + 1);
	}
}

/*
 * A device in no group that the firmware maps to a registered SMMU: on Arm the
 * kernel gives a PCI device its SMMU when a driver binds (the firmware's IDs are
 * read in dma_configure), and refuses a device whose stream IDs another already
 * has: behind a PCIe-to-PCI bridge every device also carries the bridge's alias
 * (secondary bus, devfn 0), and the first of them to bind keeps it. A virtio-iommu
 * of the ACPI VIOT is given at driver probe too (drivers/acpi/viot.c); a bound
 * device it does not hold was refused by it: QEMU's (7.2, on Linux 6.12) accepts
 * no device behind a PCIe-to-PCI bridge.
 */
static bool pci_present(const struct ii_system *s, uint32_t domain, uint8_t bus, uint8_t devfn);

static void arm_nogroup(struct ii_system *s)
{
	for (size_t j = 0; j < s->ndevices; j++) {
		struct ii_device *d = s->devices[j];
		const struct ii_idmap_entry *e;
		bool virtio, alias;

		if (d->nogroup != II_NOGROUP_NOT_TRANSLATED || !d->is_pci || !d->present)
			continue;
		e = ii_idmap_by_dev(s, d);
		if (!e || !e->has_sid || !e->unit)
			continue;
		virtio = e->unit->vendor == II_VENDOR_VIRTIO;
		if (!virtio && e->unit->vendor != II_VENDOR_ARM_SMMU_V3 &&
		    e->unit->vendor != II_VENDOR_ARM_SMMU)
			continue;
		if (!d->driver) {
			d->nogroup = virtio ? II_NOGROUP_VIOT_NO_DRIVER : II_NOGROUP_ARM_NO_DRIVER;
			continue;
		}
		/* no alias when the bus has a device at devfn 0, a bridge's own */
		alias = !pci_present(s, d->bdf.domain, d->bdf.bus, 0);
		if (virtio) {
			d->nogroup = alias ? II_NOGROUP_VIOT_ALIAS : II_NOGROUP_VIOT_NOT_ADDED;
			continue;
		}
		if (!alias)
			continue;
		for (size_t k = 0; k < s->ndevices; k++) {
			const struct ii_device *o = s->devices[k];

			if (o != d && o->is_pci && o->present && o->group >= 0 &&
			    o->bdf.domain == d->bdf.domain && o->bdf.bus == d->bdf.bus) {
				d->nogroup = II_NOGROUP_ARM_ALIAS_TAKEN;
				break;
			}
		}
	}
}

void ii_arm_link(struct ii_system *s)
{
	arm_units_free(s);
	ii_idmap_free(&s->idmap);
	if (s->iort.iort) {
		iort_map(s, s->iort.iort);
		iort_cover(s, &s->iort);
		iort_rmr(s, &s->iort);
		if (s->viot.viot)
			viot_join(s);
	} else if (s->viot.viot) {
		viot_map(s, &s->viot);
	} else if (s->dt) {
		ii_dt_link(s);
	}
	arm_units(s);
	arm_nogroup(s);
}

void ii_arm_free(struct ii_system *s)
{
	arm_units_free(s);
	ii_idmap_free(&s->idmap);
}

const struct ii_idmap_entry *ii_idmap_by_sid(const struct ii_system *s, const struct ii_unit *u,
					     uint32_t sid)
{
	const struct ii_idmap_entry *found = NULL;
	size_t n = 0;

	for (size_t i = 0; i < s->idmap.n; i++) {
		const struct ii_idmap_entry *e = &s->idmap.e[i];

		if (!e->has_sid || e->sid != sid)
			continue;
		if (u && e->unit && e->unit != u)
			continue;
		if (!found || (found->dev == NULL && e->dev))
			found = e;
		n++;
	}
	/* the same stream ID on two SMMUs and no unit to choose by: no answer */
	if (!u && found) {
		for (size_t i = 0; i < s->idmap.n; i++) {
			const struct ii_idmap_entry *e = &s->idmap.e[i];

			if (e->has_sid && e->sid == sid && e->iommu_node != found->iommu_node)
				return NULL;
		}
	}
	(void)n;
	return found;
}

static bool pci_present(const struct ii_system *s, uint32_t domain, uint8_t bus, uint8_t devfn)
{
	for (size_t j = 0; j < s->ndevices; j++) {
		const struct ii_device *d = s->devices[j];

		if (d->is_pci && d->present && d->bdf.domain == domain && d->bdf.bus == bus &&
		    (d->bdf.dev << 3 | d->bdf.fn) == devfn)
			return true;
	}
	return false;
}

/*
 * The kernel gives a device behind a PCIe-to-PCI bridge the bridge's alias
 * (secondary bus, devfn 0) as a second stream ID (pci_for_each_dma_alias); two
 * devices behind one bridge share it, and one of them may then have no SMMU at
 * all ("stream N already in tree"), its DMA landing in the other's domain. A
 * fault of that stream names no device's own ID: walk the alias through the IORT.
 */
const struct ii_device *ii_idmap_alias_by_sid(const struct ii_system *s, const struct ii_unit *u,
					      uint32_t sid, struct ii_bdf *alias)
{
	const struct ii_iort *t = s->iort.iort;

	if (!(s->idmap.src == II_IDMAP_IORT && t) && !(s->idmap.src == II_IDMAP_DT && s->dt))
		return NULL;
	for (size_t j = 0; j < s->ndevices; j++) {
		const struct ii_device *b = s->devices[j];
		struct ii_idmap_entry e = { .iommu_node = -1, .its_node = -1 };
		uint32_t rid;

		if (!b->is_pci || !b->present || !b->is_bridge || !(b->valid & II_DV_BUSES) ||
		    !b->secondary_bus || pci_present(s, b->bdf.domain, b->secondary_bus, 0))
			continue;
		rid = (uint32_t)b->secondary_bus << 8;
		if (s->idmap.src == II_IDMAP_DT) {
			e.has_sid = ii_dt_sid_of_rid(s, b->bdf.domain, rid, &e.sid, &e.unit);
		} else {
			struct ii_iort_path p;
			long rc = rc_of_segment(t, b->bdf.domain);

			if (rc < 0)
				continue;
			ii_iort_walk(t, (size_t)rc, rid, 0, &p);
			from_path(s, t, &p, &e);
		}
		if (!e.has_sid || e.sid != sid || (u && e.unit && e.unit != u))
			continue;
		*alias = (struct ii_bdf){ .domain = b->bdf.domain, .bus = b->secondary_bus };
		return b;
	}
	return NULL;
}

const struct ii_idmap_entry *ii_idmap_by_dev(const struct ii_system *s, const struct ii_device *d)
{
	for (size_t i = 0; i < s->idmap.n; i++)
		if (s->idmap.e[i].dev == d)
			return &s->idmap.e[i];
	return NULL;
}

const struct ii_unit *ii_unit_by_parent(const struct ii_system *s, const char *parent)
{
	for (size_t i = 0; i < s->nunits; i++)
		if (s->units[i].parent && !strcmp(s->units[i].parent, parent))
			return &s->units[i];
	return NULL;
}
