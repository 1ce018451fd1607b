// SPDX-License-Identifier: MIT
/*
 * Translation domains from debugfs, joined with the model.
 *
 * Intel: the context (or PASID) entries of dmar_translation_struct say which
 * requester ids use which domain id and page table; the page-table dumps of
 * domain_translation_struct are matched to them by the page table's address.
 * A dump names one device; in 5.10 to 6.6 it is the first member of a group
 * and stands for the whole group (the kernel prints it once per member), so
 * the group's members are attached too. AMD (6.15+): the one device table
 * entry that amd/devtbl shows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dbgregs.h"
#include "domains.h"
#include "source.h"

#define MAX_BAD_WARNINGS 3

/* ------------------------------------------------------------- building */

struct ii_dbg_domain *ii_dbg_add_domain(struct ii_dbg *d, const char *unit, long did)
{
	struct ii_dbg_domain *dom = xcalloc(1, sizeof(*dom));

	snprintf(dom->unit, sizeof(dom->unit), "%s", unit ? unit : "");
	dom->did = did;
	xgrow((void **)&d->domains, &d->cap, d->ndomains + 1, sizeof(*d->domains));
	d->domains[d->ndomains++] = dom;
	return dom;
}

static struct ii_dbg_domain *find_did(struct ii_dbg *d, const char *unit, long did)
{
	for (size_t i = 0; i < d->ndomains; i++)
		if (d->domains[i]->did == did && !strcmp(d->domains[i]->unit, unit))
			return d->domains[i];
	return NULL;
}

/* Attach a requester id (once; the flags say how it was learnt). */
struct ii_dbg_dev *ii_dbg_attach(struct ii_system *s, struct ii_dbg_domain *dom, const char *name,
				 long pasid)
{
	struct ii_dbg_dev *dv;

	for (size_t i = 0; i < dom->ndevs; i++)
		if (!strcmp(dom->devs[i].name, name) && dom->devs[i].pasid == pasid)
			return &dom->devs[i];
	xgrow((void **)&dom->devs, &dom->capdevs, dom->ndevs + 1, sizeof(*dom->devs));
	dv = &dom->devs[dom->ndevs++];
	memset(dv, 0, sizeof(*dv));
	snprintf(dv->name, sizeof(dv->name), "%s", name);
	dv->pasid = pasid;
	dv->dev = ii_find_device(s, name);
	if (dv->dev && !dv->dev->present && dv->dev->group < 0)
		dv->dev = NULL;
	if (dv->dev && dv->dev->group >= 0)
		dv->group = ii_find_group(s, (unsigned)dv->dev->group);
	return dv;
}

/* The PCI segment of a unit's devices (the context rows have none). */
static unsigned unit_segment(const struct ii_system *s, const char *unit)
{
	for (size_t i = 0; i < s->nunits; i++) {
		struct ii_bdf b;

		if (strcmp(s->units[i].name, unit))
			continue;
		for (size_t j = 0; j < s->units[i].devices.n; j++)
			if (ii_parse_bdf(s->units[i].devices.v[j], &b) == 0)
				return b.domain;
	}
	return 0;
}

struct ctx_load {
	struct ii_system *s;
	struct ii_dbg *d;
	struct ii_ctxt p;
	const char *rel;
	unsigned segment;
	size_t lineno, bad;
};

static void ctx_line(void *arg, const char *line, size_t len)
{
	struct ctx_load *c = arg;
	struct ii_ctx_info ci;
	struct ii_dbg_domain *dom;
	struct ii_dbg_dev *dv;
	struct ii_bdf b;
	char name[II_BDF_MAX];

	c->lineno++;
	switch (ii_ctxt_line(&c->p, line, len)) {
	case II_DL_UNIT:
		c->segment = unit_segment(c->s, c->p.unit);
		return;
	case II_DL_BAD:
		if (c->bad++ < MAX_BAD_WARNINGS)
			ii_dbg_warn(c->s, c->rel, "line %zu: %s; line ignored", c->lineno, c->p.why);
		return;
	case II_DL_MSG:
		ii_dbg_warn(c->s, c->rel, "%s", c->p.msg);
		return;
	case II_DL_ROW:
		break;
	default:
		return;
	}
	ii_ctx_decode(&c->p.row, &ci);
	if (!ci.present || ci.did < 0)
		return;
	b = (struct ii_bdf){ (uint16_t)c->segment, c->p.row.bus, c->p.row.dev, c->p.row.fn };
	ii_format_bdf(&b, name);
	dom = find_did(c->d, c->p.unit, ci.did);
	if (!dom) {
		dom = ii_dbg_add_domain(c->d, c->p.unit, ci.did);
		dom->mode = ci.scalable ? II_DM_SCALABLE : II_DM_LEGACY;
		dom->translation = ci.translation;
		dom->has_pgd = ci.has_pgd;
		dom->pgd = ci.pgd;
		dom->aw_bits = ci.aw_bits;
		dom->levels = ci.levels;
	}
	/* in scalable mode, requests without a PASID go through PASID 0 (RID_PASID) */
	dv = ii_dbg_attach(c->s, dom, name, c->p.row.pasid > 0 ? c->p.row.pasid : -1);
	dv->from_ctx = true;
}

static void load_ctx(struct ii_system *s, struct ii_dbg *d)
{
	struct ctx_load c = { .s = s, .d = d };
	char *rel = ii_src_debugfs_path(&d->fs, "dmar_translation_struct");

	ii_ctxt_init(&c.p);
	c.rel = rel;
	if (ii_src_debugfs_lines(s, &d->fs, rel, ctx_line, &c) == 0)
		d->ctx_read = true;
	if (c.bad > MAX_BAD_WARNINGS)
		ii_dbg_warn(s, rel, "%zu lines not understood in all", c.bad);
	free(rel);
}

/* AMD: the device table entry of the device selected in amd/devid. */
static void load_amd(struct ii_system *s, struct ii_dbg *d)
{
	char *rel = ii_src_debugfs_path(&d->fs, "devtbl"), *buf, name[II_BDF_MAX], unit[32];
	struct ii_amd_dte_info di;
	struct ii_amd_dte dte;
	struct ii_dbg_domain *dom;
	struct ii_dbg_dev *dv;
	size_t len;
	int rc;

	if (ii_src_debugfs_small(s, &d->fs, rel, &buf, &len, 65536) < 0) {
		free(rel);
		return;
	}
	rc = ii_amd_devtbl_parse(buf, len, &dte, &d->amd_msg);
	free(buf);
	if (rc == -EINVAL)
		ii_dbg_warn(s, rel, "not a device table entry; ignored");
	free(rel);
	if (rc < 0)
		return;
	d->ctx_read = true;
	ii_amd_dte_decode(&dte, &di);
	ii_format_bdf(&dte.bdf, name);
	snprintf(unit, sizeof(unit), "ivhd%d", dte.unit); /* iommuNN in debugfs is ivhdN in sysfs */
	dom = ii_dbg_add_domain(d, dte.unit >= 0 ? unit : "", di.valid && di.tv ? di.did : -1);
	dom->translation = di.translation;
	if (di.translation != II_TT_PASSTHROUGH) {
		dom->has_pgd = di.levels > 0;
		dom->pgd = di.pgd;
		dom->levels = di.levels;
		dom->aw_bits = dom->levels ? 12 + 9 * dom->levels : 0;
	}
	dv = ii_dbg_attach(s, dom, name, -1);
	dv->from_ctx = true;
}

void ii_dbg_load(struct ii_system *s, struct ii_dbg *d)
{
	memset(d, 0, sizeof(*d));
	ii_src_debugfs_probe(s, ii_system_vendor(s), &d->fs);
	if (d->fs.state != II_DBG_OK)
		return;
	if (d->fs.vendor == II_VENDOR_AMD) {
		load_amd(s, d);
		return;
	}
	load_ctx(s, d);
	if (ii_src_debugfs_dts_files(s, &d->fs, &d->dts_files, &d->layout) == 0)
		d->have_dts = d->dts_files.n > 0;
}

/* Every dump read once: each domain's statistics (and ranges, when kept); domains sorted. */
static void load_walk(struct ii_system *s, struct ii_dbg *d, bool keep_ranges)
{
	if (d->fs.state == II_DBG_OK && d->fs.vendor == II_VENDOR_INTEL) {
		if (!d->have_dts)
			ii_dbg_warn(s, d->fs.dir, "no domain_translation_struct: the page tables cannot be "
				    "read, only the domains the context entries name");
		ii_dbg_walk(s, d, &(struct ii_dbg_walk){ .keep_ranges = keep_ranges });
		d->walked = true;
		d->indexed = keep_ranges && d->have_dts;
	}
	if (d->fs.state == II_DBG_OK && d->fs.vendor == II_VENDOR_AMD && d->amd_msg) {
		char *rel = ii_src_debugfs_path(&d->fs, "devtbl");

		ii_dbg_warn(s, rel, "\"%s\": AMD's debugfs shows the device table entry of the one "
			    "device whose address was written to amd/devid (as root; iommu-inspect never "
			    "writes), and no page tables", d->amd_msg);
		free(rel);
	}
	ii_dbg_sort(d);
}

void ii_dbg_system_load(struct ii_system *s, unsigned what)
{
	if (what & (II_LOAD_DBG_DOMAINS | II_LOAD_DBG_WALK | II_LOAD_DBG_RANGES)) {
		s->dbg = xcalloc(1, sizeof(*s->dbg));
		ii_dbg_load(s, s->dbg);
		if (what & (II_LOAD_DBG_WALK | II_LOAD_DBG_RANGES))
			load_walk(s, s->dbg, what & II_LOAD_DBG_RANGES);
	}
	if (what & II_LOAD_DBG_REGS) {
		s->dbg_regs = xcalloc(1, sizeof(*s->dbg_regs));
		ii_dbg_regs_load(s, s->dbg_regs);
		/* for iommus --regs, debugfs is an addition: why it is missing is a warning */
		if ((what & II_LOAD_DBG_WARN) && s->dbg_regs->fs.state != II_DBG_OK && s->nunits)
			ii_warn(&s->diags, "--regs: %s", s->dbg_regs->fs.why);
	}
}

void ii_dbg_system_free(struct ii_system *s)
{
	if (s->dbg)
		ii_dbg_free(s->dbg);
	free(s->dbg);
	s->dbg = NULL;
	if (s->dbg_regs)
		ii_dbg_regs_free(s->dbg_regs);
	free(s->dbg_regs);
	s->dbg_regs = NULL;
	ii_fault_notes_free(s->fault_notes);
	s->fault_notes = NULL;
}

bool ii_dbg_partly_read(const struct ii_system *s)
{
	const struct ii_dbgfs *fs[] = { s->dbg ? &s->dbg->fs : NULL,
					s->dbg_regs ? &s->dbg_regs->fs : NULL };

	for (size_t i = 0; i < II_ARRAY_SIZE(fs); i++)
		if (fs[i] && (fs[i]->unreadable || fs[i]->state == II_DBG_DENIED ||
			      fs[i]->state == II_DBG_LOCKDOWN))
			return true;
	return false;
}

static const char *const why_text[] = {
	[II_WHY_NONE] = NULL,
	[II_WHY_DEBUGFS] = "debugfs cannot be read",
	[II_WHY_NOT_READ] = "debugfs was not read",
	[II_WHY_NO_DEVICE] = "no such PCI device",
	[II_WHY_NO_GROUP] = "the device is in no IOMMU group",
	[II_WHY_NO_TABLE] = "debugfs shows no page table for the device",
	[II_WHY_NO_DUMPS] = "debugfs has no page-table dump",
	[II_WHY_DUMP_UNREAD] = "the page-table dump of its domain could not be read",
	[II_WHY_PASSTHROUGH] = "its domain does not translate (identity, pass-through): its DMA "
			       "addresses are physical addresses, and nothing is mapped",
	[II_WHY_NOT_TRANSLATED] = "it is in no IOMMU group, so no IOMMU translates its DMA",
	[II_WHY_NO_DOMAIN_DUMP] = "debugfs has no page-table dump of its domain",
	[II_WHY_NO_DOMAIN] = "debugfs shows no domain for it (no context entry points to one, no "
			     "dump names it)",
	[II_WHY_AMD_NO_TABLES] = "no kernel dumps AMD-Vi page tables in debugfs (amd/devtbl shows "
				 "one device table entry; see iommu-inspect domains)",
	[II_WHY_NO_DTS_FILE] = "debugfs has no domain_translation_struct file: the kernel shows no "
			       "page tables",
	[II_WHY_NO_SUCH_DOMAIN] = "no such domain has a page-table dump in debugfs",
	[II_WHY_NOTHING_DUMPED] = "no page-table dump in debugfs maps anything",
};

const char *ii_dbg_why_text(const struct ii_dbg *d, enum ii_dbg_why why)
{
	if (why == II_WHY_DEBUGFS && d && d->fs.why)
		return d->fs.why;
	return (size_t)why < II_ARRAY_SIZE(why_text) ? why_text[why] : NULL;
}

void ii_dbg_free_ranges(struct ii_dbg_domain *dom)
{
	free(dom->ranges);
	dom->ranges = NULL;
	dom->nkept = 0;
	dom->capranges = 0;
}

void ii_dbg_free(struct ii_dbg *d)
{
	for (size_t i = 0; i < d->ndomains; i++) {
		free(d->domains[i]->devs);
		free(d->domains[i]->file);
		ii_dbg_free_ranges(d->domains[i]);
		free(d->domains[i]);
	}
	free(d->domains);
	sl_free(&d->dts_files);
	ii_dbgfs_free(&d->fs);
	memset(d, 0, sizeof(*d));
}

struct ii_dbg_domain *ii_dbg_domain_of(struct ii_dbg *d, const char *bdf)
{
	struct ii_dbg_domain *hit = NULL;

	for (size_t i = 0; i < d->ndomains; i++)
		for (size_t j = 0; j < d->domains[i]->ndevs; j++) {
			const struct ii_dbg_dev *dv = &d->domains[i]->devs[j];

			if (dv->pasid >= 0 || strcmp(dv->name, bdf))
				continue;
			/* what the context entry says wins over a dump's name */
			if (dv->from_ctx)
				return d->domains[i];
			if (!hit)
				hit = d->domains[i];
		}
	return hit;
}

static int devname_cmp(const char *a, const char *b)
{
	struct ii_bdf x, y;

	if (ii_parse_bdf(a, &x) == 0 && ii_parse_bdf(b, &y) == 0)
		return ii_bdf_cmp(&x, &y);
	return strcmp(a, b);
}

static int cmp_domain(const void *a, const void *b)
{
	const struct ii_dbg_domain *x = *(struct ii_dbg_domain *const *)a;
	const struct ii_dbg_domain *y = *(struct ii_dbg_domain *const *)b;
	int c = natural_cmp(x->unit, y->unit);

	if (c)
		return c;
	if ((x->did < 0) != (y->did < 0))
		return x->did < 0 ? 1 : -1;
	if (x->did != y->did)
		return x->did < y->did ? -1 : 1;
	if (x->pgd != y->pgd)
		return x->pgd < y->pgd ? -1 : 1;
	return 0;
}

void ii_dbg_sort(struct ii_dbg *d)
{
	if (d->ndomains > 1)
		qsort(d->domains, d->ndomains, sizeof(*d->domains), cmp_domain);
	for (size_t i = 0; i < d->ndomains; i++) {
		struct ii_dbg_domain *dom = d->domains[i];

		/* devices: requests without PASID first, each by address */
		for (size_t j = 1; j < dom->ndevs; j++)
			for (size_t k = j; k > 0; k--) {
				struct ii_dbg_dev *p = &dom->devs[k - 1], *q = &dom->devs[k], t;
				int c = devname_cmp(p->name, q->name);

				if (c < 0 || (c == 0 && p->pasid <= q->pasid))
					break;
				t = *p;
				*p = *q;
				*q = t;
			}
	}
}
