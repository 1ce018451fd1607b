// SPDX-License-Identifier: MIT
/*
 * check (include/model/check.h): the verdict for each device asked for, its
 * companions and the steps, and each group's facts and why it is what it is.
 * Pure: it reads the model (and, through the grouping model, configuration
 * space, as every model of PCI does).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "paths.h"

/* ------------------------------------------------------------ findings */

static void add(struct ii_chk_findings *f, enum ii_chk_code code, const struct ii_device *dev,
		const char *fmt, ...) ii_printf_like(4, 5);
static void add(struct ii_chk_findings *f, enum ii_chk_code code, const struct ii_device *dev,
		const char *fmt, ...)
{
	va_list ap;

	xgrow((void **)&f->v, &f->cap, f->n + 1, sizeof(*f->v));
	f->v[f->n].code = code;
	f->v[f->n].dev = dev;
	va_start(ap, fmt);
	f->v[f->n].evidence = xvasprintf(fmt, ap);
	va_end(ap);
	f->n++;
}

static bool has(const struct ii_chk_findings *f, enum ii_chk_code code)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].code == code)
			return true;
	return false;
}

static void findings_free(struct ii_chk_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].evidence);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static void because(struct ii_chk_device *cd, enum ii_chk_code code)
{
	for (size_t i = 0; i < cd->nbecause; i++)
		if (cd->because[i] == code)
			return;
	cd->because = xrealloc(cd->because, (cd->nbecause + 1) * sizeof(*cd->because));
	cd->because[cd->nbecause++] = code;
}

/* the names of the ACS flags set in flags */
static void acs_names(uint16_t flags, struct strlist *out)
{
	for (unsigned b = 0; b < 7; b++)
		if (flags & (1u << b))
			sl_add(out, ii_acs_bit_name(b));
}

static const char *acs_words(enum ii_acs_verdict v)
{
	static const char *const w[] = {
		[II_ACS_ISOLATES] = "isolates", [II_ACS_NOT_APPLICABLE] = "needs no ACS",
		[II_ACS_CONVENTIONAL] = "conventional PCI: never isolates",
		[II_ACS_BRIDGE_TYPE] = "a PCI/PCI-X bridge type: never isolates",
		[II_ACS_NO_CAPABILITY] = "no ACS capability", [II_ACS_DISABLED] = "ACS flags off",
		[II_ACS_UNKNOWN] = "not readable far enough", [II_ACS_QUIRK_DENIES] = "a quirk says it does not isolate",
	};
	return (size_t)v < II_ARRAY_SIZE(w) ? w[v] : "unknown";
}

static const char *ids(const struct ii_device *d, char buf[16])
{
	if (d->valid & II_DV_IDS)
		snprintf(buf, 16, "%04x:%04x", d->vendor_id, d->device_id);
	else
		snprintf(buf, 16, "ids unknown");
	return buf;
}

static bool is_bridge(const struct ii_device *d)
{
	return d->is_bridge;
}

enum ii_chk_code ii_check_infrastructure(const struct ii_device *d)
{
	if (is_bridge(d))
		return II_CHK_IS_BRIDGE;
	if (!(d->valid & II_DV_CLASS))
		return II_CHK_NCODES;
	switch (d->class_code >> 8) {
	case 0x0600:
		return II_CHK_HOST_BRIDGE;
	case 0x0601:
		return II_CHK_ISA_BRIDGE;
	}
	return II_CHK_NCODES;
}

/* ---------------------------------------------------------- the system */

static const struct ii_pred *pred(const struct ii_check *c, const struct ii_device *d)
{
	return ii_grouping_find(&c->grouping, d);
}

static void system_facts(struct ii_system *s, struct ii_check *c)
{
	const struct ii_host *h = s->host;
	bool recorded = h && h->container.err != -ENODATA;

	c->kver = s->kver;
	c->active = c->status.active.value;
	c->default_domain = c->status.default_domain.value;
	c->default_from_cmdline = c->status.default_from_cmdline;
	c->intremap = c->status.intremap.value;
	c->unsafe_intr = h ? h->unsafe_intr : -1;
	c->no_denylist = h ? h->no_denylist : -1;
	c->container = h ? &h->container : NULL;
	c->iommufd = h ? &h->iommufd : NULL;
	c->vfio_pci = -1;
	for (size_t i = 0; i < s->ndevices; i++)
		if (ii_vfio_driver_kind(s->devices[i]->driver) == II_VDRV_VFIO &&
		    !strcmp(s->devices[i]->driver, "vfio-pci"))
			c->vfio_pci = 1;
	if (c->vfio_pci < 0 && h && h->vfio_pci_err == 0)
		c->vfio_pci = 1;
	else if (c->vfio_pci < 0 && h && h->vfio_pci_err == -ENOENT && recorded)
		c->vfio_pci = 0;

	if (s->groups_err) {
		char *p = ii_root_display(s->root, II_PATH_IOMMU_GROUPS);
		add(&c->findings, II_CHK_GROUPS_UNREADABLE, NULL, "%s: %s", p, strerror(-s->groups_err));
		free(p);
	} else if (!s->ngroups) {
		char *p = ii_root_display(s->root, II_PATH_IOMMU_GROUPS);
		/* a kernel without the driver of the IOMMU its firmware describes (a virtio-iommu,
		   an Arm SMMU): VT-d or AMD-Vi is not the fix */
		const struct ii_fwdrv_info *fw = ii_fwdrv_info(ii_fw_iommu_without_driver(s));
		char *why = fw ? xasprintf("; the firmware describes %s (%s) that no driver "
					   "registered: the kernel needs %s (module %s)", fw->what,
					   fw->table, fw->option, fw->module) : NULL;

		add(&c->findings, II_CHK_NO_IOMMU, NULL, "%s %s; status: IOMMU active: %s%s", p,
		    s->groups_dir ? "is empty" : "does not exist", c->active ? c->active : "unknown",
		    why ? why : "");
		free(why);
		free(p);
		return;
	}
	if (c->default_domain && !strcmp(c->default_domain, "identity"))
		add(&c->findings, II_CHK_PASSTHROUGH, NULL, "default domain identity (%s)",
		    c->default_from_cmdline > 0 ? "set on the kernel command line"
						: "the kernel's default");
	if (c->intremap && !strcmp(c->intremap, "not-applicable")) {
		/* Arm: the GIC ITS isolates MSIs (IRQ_DOMAIN_FLAG_MSI_REMAP) where x86 remaps them */
		const struct ii_fact *m = &c->status.msi_isolation;
		const char *why = m->evidence.n ? m->evidence.v[0] : "";

		c->msi_isolation = m->value;
		if (m->value && !strcmp(m->value, "none")) {
			if (c->unsafe_intr == 1)
				add(&c->findings, II_CHK_UNSAFE_INTERRUPTS, NULL,
				    "no MSI isolation (%s); allow_unsafe_interrupts is Y", why);
			else
				add(&c->findings, II_CHK_MSI_NOT_ISOLATED, NULL,
				    "no MSI isolation (%s); allow_unsafe_interrupts is %s", why,
				    c->unsafe_intr == 0 ? "N"
							: "not known (vfio_iommu_type1 not loaded?)");
		} else if (!m->value) {
			add(&c->findings, II_CHK_INTREMAP_UNKNOWN, NULL,
			    "neither the firmware nor the kernel log says whether MSIs go through a GIC "
			    "ITS");
		}
	} else if (c->intremap && !strcmp(c->intremap, "disabled")) {
		const char *why = c->status.intremap.evidence.n ? c->status.intremap.evidence.v[0] : "";

		if (c->unsafe_intr == 1)
			add(&c->findings, II_CHK_UNSAFE_INTERRUPTS, NULL,
			    "interrupt remapping disabled (%s); allow_unsafe_interrupts is Y", why);
		else
			add(&c->findings, II_CHK_INTREMAP_OFF, NULL,
			    "interrupt remapping disabled (%s); allow_unsafe_interrupts is %s", why,
			    c->unsafe_intr == 0 ? "N" : "not known (vfio_iommu_type1 not loaded?)");
	} else if (!c->intremap) {
		add(&c->findings, II_CHK_INTREMAP_UNKNOWN, NULL,
		    "neither the kernel log nor the units say whether interrupts are remapped");
	}
	if (h && !recorded) {
		add(&c->findings, II_CHK_VFIO_UNKNOWN, NULL, "/%s is not in the tree",
		    II_PATH_VFIO_CONTAINER);
	} else if (c->vfio_pci == 0) {
		char *p = ii_root_display(s->root, II_PATH_VFIO_PCI_DRIVER);
		add(&c->findings, II_CHK_VFIO_PCI_MISSING, NULL, "%s does not exist", p);
		free(p);
	}
	if (h && h->iommufd.err == 0) {
		char *p = ii_root_display(s->root, II_PATH_IOMMUFD);
		add(&c->findings, II_CHK_IOMMUFD, NULL, "%s: character device %u:%u, mode %04o, owner %u:%u",
		    p, h->iommufd.node.major, h->iommufd.node.minor, h->iommufd.node.mode,
		    h->iommufd.node.uid, h->iommufd.node.gid);
		free(p);
	}
	if (h && (h->root_err || h->route_err || h->input_err)) {
		struct strbuf sb = { 0 };
		const char *absent = ii_root_is_live(s->root) ? "not there" : "not in the tree";

		if (h->root_err)
			sb_addf(&sb, "the root filesystem's disk (/%s: %s)", II_PATH_MOUNTINFO,
				h->root_err == -ENODEV ? "its block device is not in sysfs" :
				h->root_err == -ENOENT ? absent : strerror(-h->root_err));
		if (h->route_err)
			sb_addf(&sb, "%sthe default routes (/%s: %s)", sb.len ? "; " : "", II_PATH_NET_ROUTE,
				h->route_err == -ENOENT ? absent : strerror(-h->route_err));
		if (h->input_err)
			sb_addf(&sb, "%sthe keyboards (/%s: %s)", sb.len ? "; " : "", II_PATH_CLASS_INPUT,
				h->input_err == -ENOENT ? absent : strerror(-h->input_err));
		add(&c->findings, II_CHK_HOST_UNKNOWN, NULL, "not known: %s", sb.buf);
		sb_free(&sb);
	} else if (h && h->root_mount && !h->root_mount->major && !h->ncrit) {
		/* tmpfs, overlay, nfs, zfs: no block device to follow */
	}
}

/* ------------------------------------------------------------- groups */

static void predicted(struct ii_check *c, struct ii_chk_group *cg)
{
	const struct ii_group *g = cg->group;
	long k = -1;
	bool differs = false;

	cg->predicted_known = g->ndevs > 0 && !g->err && !g->members_err;
	for (size_t i = 0; i < g->ndevs && cg->predicted_known; i++) {
		const struct ii_pred *p = pred(c, g->devs[i]);

		if (!p || p->group < 0)
			cg->predicted_known = false;
		else if (k < 0)
			k = p->group;
		else if (p->group != k)
			differs = true;
	}
	if (!cg->predicted_known) {
		if (g->ndevs)
			add(&cg->findings, II_CHK_PREDICTION_UNKNOWN, NULL,
			    "the configuration space of a member or of a bridge above it could not be "
			    "read far enough");
		return;
	}
	cg->predicted = xcalloc(c->grouping.n + 1, sizeof(*cg->predicted));
	for (size_t i = 0; i < c->grouping.n; i++)
		if (c->grouping.p[i].group == k) {
			cg->predicted[cg->npredicted++] = c->grouping.p[i].dev;
			differs |= c->grouping.p[i].dev->group != (int)g->id;
		}
	if (differs) {
		struct strbuf sb = { 0 };

		sb_adds(&sb, "the kernel's members:");
		for (size_t i = 0; i < g->ndevs; i++)
			sb_addf(&sb, " %s", g->devs[i]->name);
		sb_adds(&sb, "; predicted with the first:");
		for (size_t i = 0; i < cg->npredicted; i++)
			sb_addf(&sb, " %s", cg->predicted[i]->name);
		add(&cg->findings, II_CHK_PREDICTION_DIFFERS, NULL, "%s", sb.buf);
		sb_free(&sb);
	}
}

/* The first bridge from b up that does not isolate (the port to blame), or -1. */
static long culprit(const struct ii_grouping *g, long b)
{
	for (int hops = 0; b >= 0 && hops < 256; b = g->p[b].parent, hops++) {
		enum ii_acs_verdict v = g->p[b].acs;
		if (v != II_ACS_ISOLATES && v != II_ACS_NOT_APPLICABLE)
			return b;
	}
	return -1;
}

static void add_why(const struct ii_check *c, struct ii_chk_group *cg, struct ii_chk_why *w,
		    uint16_t missing)
{
	struct strbuf sb = { 0 };
	const char *type = NULL;
	const struct ii_pred *v = w->via ? pred(c, w->via) : NULL;

	if (v && v->caps.pcie)
		type = ii_pcie_type_key(v->caps.pcie_type);
	acs_names(missing, &w->missing);
	switch (w->code) {
	case II_CHK_WHY_OWN:
		sb_addf(&sb, "%s: alone in its group", w->dev->name);
		break;
	case II_CHK_WHY_FUNCTIONS:
		sb_addf(&sb, "%s and %s: functions of slot %02x:%02x, %s", w->dev->name,
			w->via ? w->via->name : "?", w->dev->bdf.bus, w->dev->bdf.dev, acs_words(w->acs));
		break;
	case II_CHK_WHY_BRIDGE_ALIAS:
		sb_addf(&sb, "%s: behind %s (%s)", w->dev->name, w->via ? w->via->name : "?",
			type ? type : "conventional PCI bridge");
		break;
	case II_CHK_WHY_DMA_ALIAS:
		sb_addf(&sb, "%s and %s: %s", w->dev->name, w->via ? w->via->name : "?",
			w->quirk ? w->quirk : "a DMA alias");
		break;
	default:
		if (w->via)
			sb_addf(&sb, "%s: above it %s (%s): %s", w->dev->name, w->via->name,
				type ? type : "bridge", acs_words(w->acs));
		else
			sb_addf(&sb, "%s: its own configuration space: %s", w->dev->name,
				acs_words(w->acs));
		break;
	}
	if (w->missing.n) {
		char *m = sl_join(&w->missing, ", ");
		sb_addf(&sb, " (off: %s)", m);
		free(m);
	}
	if (w->quirk && w->code != II_CHK_WHY_DMA_ALIAS)
		sb_addf(&sb, " [%s]", w->quirk);
	w->evidence = sb_detach(&sb);
	cg->why = xrealloc(cg->why, (cg->nwhy + 1) * sizeof(*cg->why));
	cg->why[cg->nwhy++] = *w;
}

static void why(struct ii_check *c, struct ii_chk_group *cg)
{
	const struct ii_grouping *gr = &c->grouping;
	const struct ii_group *g = cg->group;

	for (size_t i = 0; i < g->ndevs; i++) {
		const struct ii_device *d = g->devs[i];
		const struct ii_pred *p = pred(c, d);
		struct ii_chk_why w = { .dev = d };
		uint16_t missing = 0;
		char buf[16];

		bool show = true;

		if (!p)
			continue;
		switch (p->cause) {
		case II_GC_OWN:
			/* the one the others joined: their entries say why (its quirks below) */
			show = g->ndevs == 1;
			w.code = II_CHK_WHY_OWN;
			w.acs = p->acs;
			break;
		case II_GC_UPSTREAM_NO_ACS: {
			long b = culprit(gr, p->via);
			const struct ii_pred *q = b >= 0 ? &gr->p[b] : &gr->p[p->via];

			w.via = q->dev;
			w.acs = q->acs;
			missing = q->acs_missing;
			w.quirk = q->acs_quirk ? q->acs_quirk->function : NULL;
			w.code = q->acs == II_ACS_DISABLED ? II_CHK_WHY_PORT_ACS_OFF :
				 q->acs == II_ACS_QUIRK_DENIES ? II_CHK_WHY_QUIRK_DENIES :
				 q->acs == II_ACS_UNKNOWN ? II_CHK_WHY_PATH_UNKNOWN : II_CHK_WHY_PORT_NO_ACS;
			break;
		}
		case II_GC_FUNCTION_NO_ACS:
			w.code = II_CHK_WHY_FUNCTIONS;
			w.via = p->via >= 0 ? gr->p[p->via].dev : NULL;
			w.acs = p->acs;
			missing = p->acs_missing;
			w.quirk = p->acs_quirk ? p->acs_quirk->function : NULL;
			break;
		case II_GC_BRIDGE_ALIAS:
			w.code = II_CHK_WHY_BRIDGE_ALIAS;
			w.via = p->via >= 0 ? gr->p[p->via].dev : NULL;
			w.acs = p->via >= 0 ? gr->p[p->via].acs : p->acs;
			break;
		case II_GC_DMA_ALIAS: {
			const struct ii_pred *q = p->via >= 0 ? &gr->p[p->via] : NULL;

			w.code = II_CHK_WHY_DMA_ALIAS;
			w.via = q ? q->dev : NULL;
			w.acs = p->acs;
			w.quirk = p->alias_quirk ? p->alias_quirk->function :
				  q && q->alias_quirk ? q->alias_quirk->function : NULL;
			break;
		}
		case II_GC_UNKNOWN: {
			/* the first bridge above it that could not be read far enough, else itself */
			long b = p->parent;

			for (int hops = 0; b >= 0 && hops < 256 && gr->p[b].acs != II_ACS_UNKNOWN &&
					   (gr->p[b].caps.known & II_PC_CAPS); hops++)
				b = gr->p[b].parent;
			w.code = II_CHK_WHY_PATH_UNKNOWN;
			w.via = b >= 0 ? gr->p[b].dev : NULL;
			w.acs = b >= 0 ? gr->p[b].acs : p->acs;
			break;
		}
		}
		if (show)
			add_why(c, cg, &w, missing);
		/* the quirks that bear on it: its own ACS and DMA alias quirks */
		if (p->acs_quirk && p->acs == II_ACS_ISOLATES)
			add(&cg->findings, II_CHK_ACS_QUIRK, d, "%s (%s): %s", d->name, ids(d, buf),
			    p->acs_quirk->function);
		if (p->alias_quirk && p->alias_quirk->kind == II_DA_REGISTERS) {
			add(&cg->findings, II_CHK_ALIAS_UNKNOWN, d, "%s (%s): %s", d->name, ids(d, buf),
			    p->alias_quirk->function);
		} else if (p->alias_quirk && p->alias_quirk->kind != II_DA_PCIE_BRIDGE &&
			   p->alias_quirk->kind != II_DA_XLATE_ROOT) {
			bool mask[256] = { false }, found = false;
			uint8_t me = (uint8_t)(d->bdf.dev << 3 | d->bdf.fn);

			ii_alias_devfns(p->alias_quirk, me, mask);
			for (size_t j = 0; j < gr->n && !found; j++) {
				const struct ii_device *o = gr->p[j].dev;
				found = o != d && o->bdf.domain == d->bdf.domain && o->bdf.bus == d->bdf.bus &&
					mask[o->bdf.dev << 3 | o->bdf.fn];
			}
			if (!found)
				add(&cg->findings, II_CHK_ALIAS_GHOST, d, "%s (%s): %s: no such function on "
				    "bus %02x", d->name, ids(d, buf), p->alias_quirk->function, d->bdf.bus);
		}
		/* the port above that a quirk calls isolating */
		if (p->parent >= 0 && gr->p[p->parent].acs_quirk && gr->p[p->parent].acs == II_ACS_ISOLATES) {
			const struct ii_device *b = gr->p[p->parent].dev;
			bool said = false;

			for (size_t k = 0; k < cg->findings.n; k++)
				said |= cg->findings.v[k].code == II_CHK_ACS_QUIRK && cg->findings.v[k].dev == b;
			if (!said)
				add(&cg->findings, II_CHK_ACS_QUIRK, b, "%s (%s), the bridge above %s: %s",
				    b->name, ids(b, buf), d->name, gr->p[p->parent].acs_quirk->function);
		}
	}
}

/* The RMRR (its index among the DMAR's structures) that pins d, or NULL. */
static const struct ii_acpi_pin *pin_of(const struct ii_system *s, const struct ii_device *d,
					const struct ii_dmar_struct **st)
{
	const struct ii_dmar *dm = s->dmar.dmar;

	if (!dm || !s->dmar.cover)
		return NULL;
	for (size_t i = 0; i < dm->n; i++) {
		const struct ii_acpi_cover *cv = &s->dmar.cover[i];

		if (dm->s[i].type != II_DMAR_RMRR || !cv->pins)
			continue;
		for (size_t k = 0; k < cv->ndevs; k++)
			if (cv->pins[k].dev == d) {
				*st = &dm->s[i];
				return &cv->pins[k];
			}
	}
	return NULL;
}

static void rmrr(const struct ii_system *s, struct ii_check *c, struct ii_chk_group *cg)
{
	const struct ii_group *g = cg->group;
	bool intel = ii_system_vendor(s) == II_VENDOR_INTEL || s->dmar.present;
	bool named = false;

	/* the DMAR names the devices (root only) */
	for (size_t i = 0; i < g->ndevs; i++) {
		const struct ii_dmar_struct *st = NULL;
		const struct ii_acpi_pin *pin = pin_of(s, g->devs[i], &st);

		if (!pin)
			continue;
		named = true;
		if (pin->relaxable) {
			add(&cg->findings, II_CHK_RMRR_RELAXABLE, pin->dev,
			    "RMRR at DMAR offset 0x%x, 0x%llx-0x%llx, names %s; the group's region: %s",
			    st->offset, (unsigned long long)st->base, (unsigned long long)st->limit,
			    pin->dev->name, pin->region ? pin->region : "none");
		} else {
			add(&cg->findings, II_CHK_RMRR_LOCKED, pin->dev,
			    "RMRR at DMAR offset 0x%x, 0x%llx-0x%llx, names %s%s; the group's region: %s",
			    st->offset, (unsigned long long)st->base, (unsigned long long)st->limit,
			    pin->dev->name, pin->bridge ? " (a bridge: the kernel attaches it with the group)" : "",
			    pin->region ? pin->region : "none");
			cg->blocked = true;
		}
	}
	/* the group's reserved regions say it to anyone (since 5.3: direct, direct-relaxable) */
	for (size_t i = 0; i < g->nresv; i++) {
		const struct ii_resv *r = &g->resv[i];
		bool dup = false;

		if (strcmp(r->type, "direct") != 0)
			continue;
		for (size_t k = 0; k < cg->findings.n; k++)
			dup |= cg->findings.v[k].code == II_CHK_RMRR_LOCKED;
		if (dup)
			continue;
		if (intel && (c->kver >= 5003 || !c->kver)) {
			add(&cg->findings, II_CHK_RMRR_LOCKED, NULL,
			    "reserved region 0x%llx-0x%llx direct%s", (unsigned long long)r->start,
			    (unsigned long long)r->end,
			    named ? "" : " (the DMAR could not tell which device: not readable here)");
			cg->blocked = true;
		} else if (intel) {
			add(&cg->findings, II_CHK_RMRR_UNKNOWN, NULL,
			    "reserved region 0x%llx-0x%llx direct; before 5.3 relaxable regions read "
			    "direct too", (unsigned long long)r->start, (unsigned long long)r->end);
		} else {
			add(&cg->findings, II_CHK_DIRECT_REGION, NULL, "reserved region 0x%llx-0x%llx direct",
			    (unsigned long long)r->start, (unsigned long long)r->end);
		}
	}
	if (intel && s->dmar.present && s->dmar.err && g->err)
		add(&cg->findings, II_CHK_RMRR_UNKNOWN, NULL, "the DMAR table: %s; the group: %s",
		    strerror(-s->dmar.err), strerror(-g->err));
}

static void host_critical(const struct ii_system *s, struct ii_chk_group *cg)
{
	const struct ii_group *g = cg->group;
	static const enum ii_chk_code code[] = {
		[II_CRIT_ROOT_DISK] = II_CHK_HOST_ROOT_DISK,
		[II_CRIT_ROUTE_NIC] = II_CHK_HOST_ROUTE_NIC,
		[II_CRIT_KEYBOARD] = II_CHK_HOST_KEYBOARD,
	};
	static const char *const what[] = {
		[II_CRIT_ROOT_DISK] = "holds the root filesystem (/): ",
		[II_CRIT_ROUTE_NIC] = "carries a default route: interface ",
		[II_CRIT_KEYBOARD] = "has a keyboard attached: ",
	};

	for (size_t i = 0; i < g->ndevs; i++) {
		const struct ii_device *d = g->devs[i];

		if (d->boot_vga) {
			add(&cg->findings, II_CHK_HOST_BOOT_VGA, d, "%s: boot_vga is 1", d->name);
			cg->host_critical = true;
		}
		for (size_t k = 0; s->host && k < s->host->ncrit; k++) {
			const struct ii_crit *cr = &s->host->crit[k];

			if (strcmp(cr->bdf, d->name) != 0)
				continue;
			add(&cg->findings, code[cr->kind], d, "%s %s%s", d->name, what[cr->kind], cr->what);
			cg->host_critical = true;
		}
	}
	cg->blocked |= cg->host_critical;
}

/*
 * Arm: a device the kernel refused an SMMU because a device of this group held
 * the alias stream ID of the bridge they are behind (II_NOGROUP_ARM_ALIAS_TAKEN):
 * it sends with that alias, into this group's domain.
 */
static void alias_stream_shared(const struct ii_system *s, struct ii_chk_group *cg)
{
	const struct ii_group *g = cg->group;

	for (size_t j = 0; j < s->ndevices; j++) {
		const struct ii_device *o = s->devices[j];

		if (o->nogroup != II_NOGROUP_ARM_ALIAS_TAKEN)
			continue;
		for (size_t i = 0; i < g->ndevs; i++) {
			const struct ii_device *d = g->devs[i];

			if (d->is_pci && d->bdf.domain == o->bdf.domain && d->bdf.bus == o->bdf.bus) {
				add(&cg->findings, II_CHK_ALIAS_STREAM_SHARED, o,
				    "%s (%s, in no group) sends with the bridge's alias stream ID, "
				    "which %s holds", o->name, o->driver ? o->driver : "no driver",
				    d->name);
				break;
			}
		}
	}
}

static void node_facts(const struct ii_system *s, struct ii_chk_group *cg)
{
	const struct ii_devnode *n = cg->node;
	char *rel, *p;

	if (!n)
		return;
	rel = xasprintf(II_PATH_VFIO_GROUP_FMT, cg->group->id);
	p = ii_root_display(s->root, rel);
	if (n->err == -ENODATA && s->host->container.err != -ENODATA)
		add(&cg->findings, II_CHK_NODE_UNKNOWN, NULL, "%s", p);
	else if (n->err == -ENOENT)
		add(&cg->findings, II_CHK_NODE_ABSENT, NULL, "%s does not exist", p);
	else if (!n->err && !(n->node.mode & 0066))
		add(&cg->findings, II_CHK_NODE_ROOT_ONLY, NULL, "%s: mode %04o, owner %u:%u", p,
		    n->node.mode, n->node.uid, n->node.gid);
	free(p);
	free(rel);
}

static struct ii_chk_group *group_for(struct ii_system *s, struct ii_check *c, const struct ii_group *g)
{
	struct ii_chk_group *cg;

	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i].group == g)
			return &c->groups[i];
	cg = &c->groups[c->ngroups++];
	cg->group = g;
	if (s->host)
		cg->node = &s->host->group_nodes[g - s->groups];
	if (g->err || g->members_err)
		add(&cg->findings, II_CHK_MEMBERS_UNKNOWN, NULL, "IOMMU group %u: %s", g->id,
		    strerror(-(g->err ? g->err : g->members_err)));
	predicted(c, cg);
	why(c, cg);
	rmrr(s, c, cg);
	host_critical(s, cg);
	alias_stream_shared(s, cg);
	node_facts(s, cg);
	return cg;
}

/* ------------------------------------------------------------- denylist */

/*
 * vfio-pci's denylist (since 5.9): its probe refuses the function unless
 * disable_denylist is set (then it binds it, with a warning in the log). One
 * already bound to a VFIO driver was let in: nothing to say against it.
 */
static void denylist(const struct ii_check *c, struct ii_chk_device *cd, bool *blocked)
{
	const struct ii_device *d = cd->dev;

	if (!(d->valid & II_DV_IDS) || !ii_vfio_denylisted(d->vendor_id, d->device_id) ||
	    (c->kver && c->kver < 5009) || ii_vfio_driver_kind(d->driver) == II_VDRV_VFIO)
		return;
	if (c->no_denylist == 1) {
		add(&cd->findings, II_CHK_DENYLIST_OFF, d, "%s: %04x:%04x; vfio_pci disable_denylist is Y",
		    d->name, d->vendor_id, d->device_id);
		return;
	}
	add(&cd->findings, II_CHK_VFIO_DENYLIST, d, "%s: %04x:%04x; vfio_pci disable_denylist is %s",
	    d->name, d->vendor_id, d->device_id,
	    c->no_denylist == 0 ? "N" : "not known (vfio_pci not loaded: N when it loads)");
	because(cd, II_CHK_VFIO_DENYLIST);
	*blocked = true;
}

/* ---------------------------------------------------------------- reset */

static void reset(const struct ii_system *s, const struct ii_check *c, struct ii_chk_device *cd)
{
	const struct ii_device *d = cd->dev;
	const struct ii_pred *p = pred(c, d);
	struct ii_chk_reset *r = &cd->reset;
	const struct ii_reset_quirk *q[4];
	size_t n;
	char buf[16];

	r->methods_known = d->valid & II_DV_RESET;
	r->methods = &d->reset_methods;
	r->flr = r->af_flr = r->pm = -1;
	if (p && (p->caps.known & II_PC_CAPS)) {
		r->flr = p->caps.pcie && p->caps.flr;
		r->af_flr = p->caps.af && p->caps.af_flr;
		r->pm = p->caps.pm && !p->caps.pm_no_soft_reset;
	}
	if (d->valid & II_DV_IDS) {
		n = ii_reset_quirks(d->vendor_id, d->device_id, d->class_code, d->revision, q, 3);
		for (size_t i = 0; i < n; i++)
			r->quirks[r->nquirks++] = q[i];
	}
	if (is_bridge(d)) {
		r->bus = II_BUS_RESET_BRIDGE;
	} else if (!p) {
		r->bus = II_BUS_RESET_UNKNOWN;
	} else if (p->parent < 0) {
		r->bus = II_BUS_RESET_ROOT_BUS;
	} else {
		const struct ii_device *b = c->grouping.p[p->parent].dev;

		r->bus = II_BUS_RESET_ALONE;
		if (b->valid & II_DV_IDS) {
			n = ii_reset_quirks(b->vendor_id, b->device_id, b->class_code, b->revision, q, 4);
			for (size_t i = 0; i < n; i++)
				if (q[i]->kind == II_RQ_NO_BUS_RESET && r->nquirks < 4) {
					r->quirks[r->nquirks++] = q[i];
					r->bus = II_BUS_RESET_QUIRK;
				}
		}
		for (size_t i = 0; i < r->nquirks; i++)
			if (r->quirks[i]->kind == II_RQ_NO_BUS_RESET)
				r->bus = II_BUS_RESET_QUIRK;
		for (size_t i = 0; i < s->ndevices && r->bus == II_BUS_RESET_ALONE; i++) {
			const struct ii_device *o = s->devices[i];

			if (o != d && o->is_pci && o->present && o->bdf.domain == d->bdf.domain &&
			    o->bdf.bus == d->bdf.bus)
				r->bus = II_BUS_RESET_SIBLINGS;
		}
		if (r->bus == II_BUS_RESET_SIBLINGS) {
			r->siblings = xcalloc(s->ndevices + 1, sizeof(*r->siblings));
			for (size_t i = 0; i < s->ndevices; i++) {
				const struct ii_device *o = s->devices[i];

				if (o != d && o->is_pci && o->present && o->bdf.domain == d->bdf.domain &&
				    o->bdf.bus == d->bdf.bus)
					r->siblings[r->nsiblings++] = o;
			}
		}
	}
	if (is_bridge(d))
		return;
	if (r->methods_known && !r->methods->n &&
	    (r->flr > 0 || r->af_flr > 0 || r->pm > 0 || r->bus == II_BUS_RESET_ALONE)) {
		/*
		 * 5.15+ hides reset_method only when it has no method; a function that
		 * shows one would have it listed: the file is missing, not empty
		 */
		r->methods_known = false;
		add(&cd->findings, II_CHK_RESET_UNKNOWN, d,
		    "%s: no reset_method, yet config space or its bus shows a reset (FLR %s, AF FLR %s, "
		    "PM %s, bus reset %s): the file is missing", d->name,
		    r->flr > 0 ? "yes" : "no", r->af_flr > 0 ? "yes" : "no", r->pm > 0 ? "yes" : "no",
		    ii_bus_reset_key(r->bus));
	} else if (!r->methods_known) {
		add(&cd->findings, II_CHK_RESET_UNKNOWN, d, "%s: reset_method %s", d->name,
		    s->kver && s->kver < 5015 ? "does not exist before 5.15" : "could not be read");
	} else if (!r->methods->n) {
		struct strbuf sb = { 0 };

		sb_addf(&sb, "%s: no reset_method; config space: FLR %s, AF FLR %s, PM reset %s", d->name,
			r->flr < 0 ? "unknown" : r->flr ? "yes" : "no",
			r->af_flr < 0 ? "unknown" : r->af_flr ? "yes" : "no",
			r->pm < 0 ? "unknown" : r->pm ? "yes" : "no (No_Soft_Reset or no PM)");
		if (r->bus == II_BUS_RESET_SIBLINGS) {
			sb_adds(&sb, "; a bus reset would reset");
			for (size_t i = 0; i < r->nsiblings; i++)
				sb_addf(&sb, " %s", r->siblings[i]->name);
			add(&cd->findings, II_CHK_RESET_BUS_ONLY, d, "%s", sb.buf);
		} else {
			sb_addf(&sb, "; bus reset: %s", ii_bus_reset_key(r->bus));
			add(&cd->findings, II_CHK_RESET_NONE, d, "%s", sb.buf);
		}
		sb_free(&sb);
	} else if (r->bus == II_BUS_RESET_SIBLINGS && r->methods->n == 1 &&
		   !strcmp(r->methods->v[0], "bus")) {
		/* probed when it was alone on its bus (before its other functions were added) */
		struct strbuf sb = { 0 };

		sb_addf(&sb, "%s: reset_method bus only; its bus also has", d->name);
		for (size_t i = 0; i < r->nsiblings; i++)
			sb_addf(&sb, " %s", r->siblings[i]->name);
		add(&cd->findings, II_CHK_RESET_BUS_ONLY, d, "%s", sb.buf);
		sb_free(&sb);
	}
	for (size_t i = 0; i < r->nquirks; i++)
		add(&cd->findings, II_CHK_RESET_QUIRK, d, "%s (%s): %s", d->name, ids(d, buf),
		    r->quirks[i]->function);
}

/* ---------------------------------------------------------------- devices */

static void step(struct ii_chk_device *cd, enum ii_step_kind kind, const struct ii_device *d,
		 const char *fmt, ...) ii_printf_like(4, 5);
static void step(struct ii_chk_device *cd, enum ii_step_kind kind, const struct ii_device *d,
		 const char *fmt, ...)
{
	va_list ap;

	cd->steps = xrealloc(cd->steps, (cd->nsteps + 1) * sizeof(*cd->steps));
	cd->steps[cd->nsteps].kind = kind;
	cd->steps[cd->nsteps].dev = d;
	va_start(ap, fmt);
	cd->steps[cd->nsteps].command = xvasprintf(fmt, ap);
	va_end(ap);
	cd->nsteps++;
}

/* driver_override, unbind, bind: d to vfio-pci */
static void to_vfio(struct ii_chk_device *cd, const struct ii_device *d)
{
	if (!d->driver_override || strcmp(d->driver_override, "vfio-pci") != 0)
		step(cd, II_STEP_OVERRIDE, d, "echo vfio-pci > /" II_PATH_PCI_DEVICES "/%s/driver_override",
		     d->name);
	if (d->driver)
		step(cd, II_STEP_UNBIND, d, "echo %s > /" II_PATH_PCI_DEVICES "/%s/driver/unbind",
		     d->name, d->name);
	step(cd, II_STEP_BIND, d, "echo %s > /" II_PATH_PCI_DRIVERS "/vfio-pci/bind", d->name);
}

/* v is a VF of pf: its physfn link names it. */
static bool vf_of(const struct ii_device *v, const struct ii_device *pf)
{
	return v->present && v->physfn && !strcmp(v->physfn, pf->name);
}

/*
 * vfio-pci refuses a physical function whose VFs are enabled (6.1:
 * vfio_pci_core_register_device(), -EBUSY): pf, the device or a companion the
 * steps bind, has its number of VFs set to 0 first. The VFs are the tree's
 * devices whose physfn link names it.
 */
static bool vfs_first(const struct ii_system *s, struct ii_chk_device *cd,
		      const struct ii_device *pf)
{
	const struct ii_device *first = NULL;
	size_t n = 0;

	for (size_t i = 0; i < s->ndevices; i++)
		if (vf_of(s->devices[i], pf) && n++ == 0)
			first = s->devices[i];
	if (!n)
		return false;
	add(&cd->findings, II_CHK_PF_VFS, pf, "%s: %zu VF%s enabled (%s%s)", pf->name, n,
	    n == 1 ? "" : "s", first->name, n > 1 ? ", ..." : "");
	step(cd, II_STEP_DISABLE_VFS, pf, "echo 0 > /" II_PATH_PCI_DEVICES "/%s/sriov_numvfs",
	     pf->name);
	because(cd, II_CHK_PF_VFS);
	return true;
}

/*
 * A VF in the group of its PF, which a host driver holds: the group goes to
 * VFIO whole, vfio-pci refuses the PF while its VFs are enabled, and
 * disabling them removes this VF. No step makes it assignable.
 */
static void pf_in_group(struct ii_chk_device *cd, bool *blocked)
{
	const struct ii_device *d = cd->dev;

	for (size_t i = 0; i < cd->ncomps; i++) {
		const struct ii_device *pf = cd->comps[i].dev;

		if (cd->comps[i].action == II_COMP_BIND_VFIO && vf_of(d, pf)) {
			add(&cd->findings, II_CHK_VF_PF_IN_GROUP, d,
			    "%s: its PF %s (%s) is in IOMMU group %u", d->name, pf->name, pf->driver,
			    cd->group->group->id);
			because(cd, II_CHK_VF_PF_IN_GROUP);
			*blocked = true;
			return;
		}
	}
}

static enum ii_comp_action action(const struct ii_check *c, const struct ii_device *o)
{
	enum ii_vfio_driver k;

	if (!(o->valid & II_DV_DRIVER) || o->err)
		return II_COMP_UNKNOWN;
	k = ii_vfio_driver_kind(o->driver);
	if (is_bridge(o))
		return ii_vfio_driver_blocks(k, true, c->kver) ? II_COMP_UNBIND : II_COMP_BRIDGE;
	/*
	 * a host or ISA bridge (header type 0) with a host driver (EDAC, lpc_ich) blocks
	 * the group as any driver does, but is not a device to give a guest: it is
	 * unbound, not bound to vfio-pci
	 */
	if (k == II_VDRV_HOST && ii_check_infrastructure(o) != II_CHK_NCODES)
		return II_COMP_UNBIND;
	switch (k) {
	case II_VDRV_NONE:
	case II_VDRV_PORT:
		return II_COMP_FREE;
	case II_VDRV_VFIO:
		return II_COMP_VFIO;
	case II_VDRV_STUB:
		return II_COMP_STUB;
	case II_VDRV_HOST:
		break;
	}
	return II_COMP_BIND_VFIO;
}

static void companions(const struct ii_check *c, struct ii_chk_device *cd)
{
	const struct ii_group *g = cd->group->group;
	struct strbuf bound = { 0 }, unknown = { 0 };

	cd->comps = xcalloc(g->ndevs + 1, sizeof(*cd->comps));
	for (size_t i = 0; i < g->ndevs; i++) {
		const struct ii_device *o = g->devs[i];
		enum ii_comp_action a;

		if (o == cd->dev)
			continue;
		a = action(c, o);
		cd->comps[cd->ncomps++] = (struct ii_chk_companion){ .dev = o, .action = a };
		if (a == II_COMP_BIND_VFIO || a == II_COMP_UNBIND)
			/* a host or LPC bridge's driver serves the host (EDAC, watchdog, GPIO) */
			sb_addf(&bound, "%s%s (%s%s)", bound.len ? ", " : "", o->name, o->driver,
				ii_check_infrastructure(o) == II_CHK_HOST_BRIDGE ?
				"; the host bridge: unbinding it takes that driver's function from "
				"the host" : ii_check_infrastructure(o) == II_CHK_ISA_BRIDGE ?
				"; the ISA/LPC bridge: unbinding it takes that driver's functions "
				"from the host" : "");
		else if (a == II_COMP_UNKNOWN)
			sb_addf(&unknown, "%s%s", unknown.len ? ", " : "", o->name);
	}
	if (bound.len)
		add(&cd->findings, II_CHK_COMPANION_BOUND, cd->dev, "in IOMMU group %u with %s", g->id,
		    bound.buf);
	if (unknown.len)
		add(&cd->findings, II_CHK_COMPANION_UNKNOWN, cd->dev, "driver unknown: %s", unknown.buf);
	sb_free(&bound);
	sb_free(&unknown);
}

/* o, a companion, is a VF whose PF has its VFs disabled by the steps: it is gone then. */
static bool gone_with_pf(const struct ii_chk_device *cd, bool dev_vfs, const struct ii_device *o)
{
	if (dev_vfs && vf_of(o, cd->dev))
		return true;
	for (size_t i = 0; i < cd->ncomps; i++)
		if (cd->comps[i].vfs_off && vf_of(o, cd->comps[i].dev))
			return true;
	return false;
}

static void config_findings(const struct ii_check *c, struct ii_chk_device *cd)
{
	const struct ii_device *d = cd->dev;
	const struct ii_pred *p = pred(c, d);
	char *path = NULL;

	if (!p)
		return;
	if (p->cfg_err) {
		add(&cd->findings, II_CHK_CONFIG_UNREADABLE, d, "%s/config: %s", d->name,
		    strerror(-p->cfg_err));
	} else if (p->caps.len < 256 || (p->caps.pcie && p->caps.len < 4096)) {
		/* short; a walk that stopped in bytes that are all there is CONFIG_BROKEN's */
		add(&cd->findings, II_CHK_CONFIG_SHORT, d, "%s/config: %zu bytes read%s", d->name,
		    p->caps.len, p->caps.pcie ? " of a PCI Express function's 4096" : "");
	}
	if (p->caps.warnings.n) {
		path = sl_join(&p->caps.warnings, "; ");
		add(&cd->findings, II_CHK_CONFIG_BROKEN, d, "%s: %s", d->name, path);
		free(path);
	}
}

static void decide(struct ii_system *s, struct ii_check *c, struct ii_chk_device *cd)
{
	const struct ii_device *d = cd->dev;
	struct ii_chk_group *cg = cd->group;
	bool unknown = false, blocked = false, vfs;
	enum ii_chk_code infra;

	/* the system's blockers */
	if (has(&c->findings, II_CHK_NO_IOMMU) || has(&c->findings, II_CHK_GROUPS_UNREADABLE)) {
		because(cd, has(&c->findings, II_CHK_NO_IOMMU) ? II_CHK_NO_IOMMU
							       : II_CHK_GROUPS_UNREADABLE);
		blocked = true;
	}
	if (!cg && !blocked) {
		static const char *const why[] = {
			[II_NOGROUP_NONE] = "in a group", [II_NOGROUP_NO_GROUPS] = "there are no groups",
			[II_NOGROUP_IOMMU_FUNCTION] = "it is an IOMMU's own function",
			[II_NOGROUP_NOT_TRANSLATED] = "no IOMMU translates it",
			[II_NOGROUP_ARM_NO_DRIVER] = "no driver has bound (its SMMU takes it then)",
			[II_NOGROUP_ARM_ALIAS_TAKEN] = "its alias stream ID is another device's",
			[II_NOGROUP_VIOT_NO_DRIVER] = "no driver has bound (its virtio-iommu takes "
						      "it then)",
			[II_NOGROUP_VIOT_ALIAS] = "the virtio-iommu did not accept it behind its "
						  "PCIe-to-PCI bridge",
			[II_NOGROUP_VIOT_NOT_ADDED] = "the virtio-iommu did not accept it",
			[II_NOGROUP_GROUPS_UNREADABLE] = "the groups cannot be read",
			[II_NOGROUP_GROUP_UNREADABLE] = "its group cannot be read",
			[II_NOGROUP_DEVICE_UNREADABLE] = "its directory cannot be read",
		};
		add(&cd->findings, II_CHK_NO_GROUP, d, "%s: %s", d->name,
		    (size_t)d->nogroup < II_ARRAY_SIZE(why) ? why[d->nogroup] : "unknown");
		because(cd, II_CHK_NO_GROUP);
		blocked = true;
	}
	infra = ii_check_infrastructure(d);
	if (infra == II_CHK_IS_BRIDGE && (d->valid & II_DV_CONFIG))
		add(&cd->findings, infra, d, "%s: header type %u", d->name, d->header_type);
	else if (infra == II_CHK_IS_BRIDGE)
		/* the header type was not read: the class said bridge (source-pcidev.c) */
		add(&cd->findings, infra, d, "%s: class %06x (configuration space not read)", d->name,
		    d->class_code);
	else if (infra != II_CHK_NCODES && (d->valid & II_DV_CONFIG))
		add(&cd->findings, infra, d, "%s: class %06x, header type %u", d->name, d->class_code,
		    d->header_type);
	else if (infra != II_CHK_NCODES)
		add(&cd->findings, infra, d, "%s: class %06x", d->name, d->class_code);
	if (infra != II_CHK_NCODES) {
		because(cd, infra);
		blocked = true;
	}
	denylist(c, cd, &blocked);
	config_findings(c, cd);
	reset(s, c, cd);
	if (cg) {
		for (size_t i = 0; i < cg->findings.n; i++) {
			enum ii_chk_code k = cg->findings.v[i].code;
			if (k == II_CHK_RMRR_LOCKED || (k >= II_CHK_HOST_ROOT_DISK && k <= II_CHK_HOST_KEYBOARD))
				because(cd, k);
			if (k == II_CHK_MEMBERS_UNKNOWN) {
				because(cd, k);
				unknown = true;
			}
		}
		blocked |= cg->blocked;
		companions(c, cd);
		pf_in_group(cd, &blocked);
	}
	if (!(d->valid & II_DV_DRIVER) || d->err) {
		add(&cd->findings, II_CHK_DRIVER_UNKNOWN, d, "%s/driver", d->name);
		because(cd, II_CHK_DRIVER_UNKNOWN);
		unknown = true;
	} else if (ii_vfio_driver_kind(d->driver) == II_VDRV_VFIO) {
		add(&cd->findings, II_CHK_BOUND_VFIO, d, "%s: driver %s", d->name, d->driver);
	} else if (!blocked && !unknown && !has(&cd->findings, II_CHK_COMPANION_UNKNOWN)) {
		/* only where steps follow: a device that is not assignable gets none */
		add(&cd->findings, II_CHK_BIND_VFIO, d, "%s: %s%s", d->name,
		    d->driver ? "driver " : "no driver", d->driver ? d->driver : "");
	}
	if (d->driver_override && strcmp(d->driver_override, "vfio-pci") != 0)
		add(&cd->findings, II_CHK_OVERRIDE_OTHER, d, "%s: driver_override is %s", d->name,
		    d->driver_override);
	if (has(&cd->findings, II_CHK_COMPANION_UNKNOWN)) {
		because(cd, II_CHK_COMPANION_UNKNOWN);
		unknown = true;
	}

	if (blocked) {
		cd->verdict = II_VERDICT_NOT;
		return; /* no steps: nothing makes it assignable, or it must not be */
	}
	if (unknown) {
		cd->verdict = II_VERDICT_UNKNOWN;
		return;
	}
	/* the steps: the module, the companions, the device, the interrupts */
	if (c->vfio_pci == 0) {
		step(cd, II_STEP_MODPROBE, NULL, "modprobe vfio-pci");
		because(cd, II_CHK_VFIO_PCI_MISSING);
	}
	/*
	 * A PF's VFs go first, the device's and those of each companion the steps
	 * bind; the VFs among the companions go with them, so no step is for them.
	 */
	vfs = ii_vfio_driver_kind(d->driver) != II_VDRV_VFIO && vfs_first(s, cd, d);
	for (size_t i = 0; i < cd->ncomps; i++)
		cd->comps[i].vfs_off = cd->comps[i].action == II_COMP_BIND_VFIO &&
				       vfs_first(s, cd, cd->comps[i].dev);
	for (size_t i = 0; i < cd->ncomps; i++) {
		const struct ii_device *o = cd->comps[i].dev;

		if (gone_with_pf(cd, vfs, o))
			continue;
		if (cd->comps[i].action == II_COMP_BIND_VFIO)
			to_vfio(cd, o);
		else if (cd->comps[i].action == II_COMP_UNBIND)
			step(cd, II_STEP_UNBIND, o, "echo %s > /" II_PATH_PCI_DEVICES "/%s/driver/unbind",
			     o->name, o->name);
	}
	if (has(&cd->findings, II_CHK_COMPANION_BOUND))
		because(cd, II_CHK_COMPANION_BOUND);
	if (ii_vfio_driver_kind(d->driver) != II_VDRV_VFIO) {
		to_vfio(cd, d);
		because(cd, II_CHK_BIND_VFIO);
	}
	if (has(&c->findings, II_CHK_INTREMAP_OFF)) {
		step(cd, II_STEP_ALLOW_UNSAFE, NULL, "echo 1 > /" II_PATH_VFIO_UNSAFE_INTR);
		because(cd, II_CHK_INTREMAP_OFF);
	}
	if (has(&c->findings, II_CHK_MSI_NOT_ISOLATED)) {
		step(cd, II_STEP_ALLOW_UNSAFE, NULL, "echo 1 > /" II_PATH_VFIO_UNSAFE_INTR);
		because(cd, II_CHK_MSI_NOT_ISOLATED);
	}
	if (cd->nsteps) {
		cd->verdict = II_VERDICT_AFTER_STEPS;
	} else if (cg && cg->node && cg->node->err == -ENOENT) {
		/* bound to vfio-pci, yet no /dev/vfio/N: it cannot be opened */
		because(cd, II_CHK_NODE_ABSENT);
		cd->verdict = II_VERDICT_UNKNOWN;
	} else {
		cd->verdict = II_VERDICT_NOW;
	}
}

static bool endpoint(const struct ii_device *d)
{
	return d->is_pci && d->present && !is_bridge(d);
}

static void add_dev(struct ii_system *s, struct ii_check *c, const struct ii_device *d)
{
	struct ii_chk_device *cd;

	for (size_t i = 0; i < c->ndevs; i++)
		if (c->devs[i].dev == d)
			return;
	cd = &c->devs[c->ndevs++];
	cd->dev = d;
	if (d->group >= 0) {
		const struct ii_group *g = ii_find_group(s, (unsigned)d->group);
		if (g)
			cd->group = group_for(s, c, g);
	}
}

void ii_check_derive(struct ii_system *s, struct ii_group *const *groups, size_t ngroups,
		     struct ii_device *const *devs, size_t ndevs, struct ii_check *c)
{
	memset(c, 0, sizeof(*c));
	ii_status_derive(s, &c->status);
	ii_grouping_predict(s, &c->grouping);
	system_facts(s, c);
	c->groups = xcalloc(s->ngroups + 1, sizeof(*c->groups));
	c->devs = xcalloc(s->ndevices + 1, sizeof(*c->devs));
	for (size_t i = 0; i < ndevs; i++)
		add_dev(s, c, devs[i]);
	for (size_t i = 0; i < ngroups; i++)
		for (size_t k = 0; k < groups[i]->ndevs; k++)
			if (endpoint(groups[i]->devs[k]))
				add_dev(s, c, groups[i]->devs[k]);
	if (!ndevs && !ngroups)
		for (size_t i = 0; i < s->ngroups; i++)
			for (size_t k = 0; k < s->groups[i].ndevs; k++)
				if (endpoint(s->groups[i].devs[k]))
					add_dev(s, c, s->groups[i].devs[k]);
	/* groups asked for without an endpoint still show their facts */
	for (size_t i = 0; i < ngroups; i++)
		group_for(s, c, groups[i]);
	for (size_t i = 0; i < c->ndevs; i++) {
		decide(s, c, &c->devs[i]);
		c->count[c->devs[i].verdict]++;
	}
}

void ii_check_free(struct ii_check *c)
{
	for (size_t i = 0; i < c->ngroups; i++) {
		struct ii_chk_group *cg = &c->groups[i];

		free(cg->predicted);
		for (size_t k = 0; k < cg->nwhy; k++) {
			sl_free(&cg->why[k].missing);
			free(cg->why[k].evidence);
		}
		free(cg->why);
		findings_free(&cg->findings);
	}
	free(c->groups);
	for (size_t i = 0; i < c->ndevs; i++) {
		struct ii_chk_device *cd = &c->devs[i];

		free(cd->because);
		free(cd->comps);
		for (size_t k = 0; k < cd->nsteps; k++)
			free(cd->steps[k].command);
		free(cd->steps);
		free(cd->reset.siblings);
		findings_free(&cd->findings);
	}
	free(c->devs);
	findings_free(&c->findings);
	ii_grouping_free(&c->grouping);
	ii_status_free(&c->status);
	memset(c, 0, sizeof(*c));
}
