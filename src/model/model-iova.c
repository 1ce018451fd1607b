// SPDX-License-Identifier: MIT
/*
 * What an IOVA of a device translates to: its domain's page tables, read in
 * one pass over the dumps for any number of questions about any devices, and
 * the reserved regions of its group (from sysfs, so that part works without
 * debugfs). Used by `mappings --at` and to annotate faults.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domains.h"
#include "faults.h"

/* The questions that need the page tables, sorted by page table, then IOVA. */
struct pending {
	uint64_t pgd, iova;
	size_t q;              /* index of the question */
};

struct lookup {
	struct pending *p;
	size_t n;
	struct ii_iova_info *out;
};

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->pgd != y->pgd)
		return x->pgd < y->pgd ? -1 : 1;
	if (x->iova != y->iova)
		return x->iova < y->iova ? -1 : 1;
	return x->q < y->q ? -1 : x->q > y->q;
}

/* The first pending question at or after (pgd, iova). */
static size_t lower_bound(const struct lookup *l, uint64_t pgd, uint64_t iova)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pending *m = &l->p[mid];

		if (m->pgd < pgd || (m->pgd == pgd && m->iova < iova))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool want(void *ctx, struct ii_dbg_domain *dom)
{
	struct lookup *l = ctx;
	size_t i = lower_bound(l, dom->pgd, 0);

	return dom->has_pgd && i < l->n && l->p[i].pgd == dom->pgd;
}

static void leaf(void *ctx, struct ii_dbg_domain *dom, const struct ii_pte *p)
{
	struct lookup *l = ctx;

	for (size_t i = lower_bound(l, dom->pgd, p->iova);
	     i < l->n && l->p[i].pgd == dom->pgd && l->p[i].iova - p->iova < p->size; i++) {
		struct ii_iova_info *o = &l->out[l->p[i].q];

		o->state = II_IOVA_MAPPED;
		o->phys_known = true;
		o->phys = p->phys + (l->p[i].iova - p->iova);
		o->page_size = p->size;
		o->read = p->read;
		o->write = p->write;
	}
}

static void range(void *ctx, struct ii_dbg_domain *dom, const struct ii_range *r)
{
	struct lookup *l = ctx;

	for (size_t i = lower_bound(l, dom->pgd, r->start);
	     i < l->n && l->p[i].pgd == dom->pgd && l->p[i].iova <= r->end; i++)
		l->out[l->p[i].q].range = *r;
}

static bool want_none(void *ctx, struct ii_dbg_domain *dom)
{
	(void)ctx;
	(void)dom;
	return false;
}

static void unknown(const struct ii_dbg *d, struct ii_iova_info *o, enum ii_dbg_why why)
{
	o->state = II_IOVA_UNKNOWN;
	o->reason = why;
	o->why = ii_dbg_why_text(d, why);
}

const char *ii_iova_state_key(enum ii_iova_state st)
{
	static const char *const keys[] = {
		[II_IOVA_UNKNOWN] = "unknown",
		[II_IOVA_UNMAPPED] = "unmapped",
		[II_IOVA_MAPPED] = "mapped",
		[II_IOVA_PASSTHROUGH] = "pass-through",
	};

	return (size_t)st < II_ARRAY_SIZE(keys) ? keys[st] : "unknown";
}

/* Everything that can be said before reading the page tables; true if they are needed. */
static bool prepare(struct ii_system *s, struct ii_dbg *d, const struct ii_iova_query *q,
		    struct ii_iova_info *o)
{
	struct ii_bdf b;
	char name[II_BDF_MAX];
	struct ii_device *dev = ii_parse_bdf(q->bdf, &b) == 0 ? ii_find_device(s, q->bdf) : NULL;
	struct ii_group *g = dev && dev->group >= 0 ? ii_find_group(s, (unsigned)dev->group) : NULL;
	struct ii_dbg_domain *dom;

	memset(o, 0, sizeof(*o));
	o->iova = q->iova;
	if (!dev || (!dev->present && dev->group < 0)) {
		unknown(d, o, II_WHY_NO_DEVICE);
		return false;
	}
	o->dev = dev;
	for (size_t k = 0; g && k < g->nresv; k++)
		if (q->iova >= g->resv[k].start && q->iova <= g->resv[k].end) {
			o->resv = &g->resv[k];
			o->rmrr = ii_resv_is_direct(&g->resv[k]);
			break;
		}
	if (!d) {
		unknown(d, o, II_WHY_NOT_READ);
		return false;
	}
	if (d->fs.state != II_DBG_OK) {
		unknown(d, o, II_WHY_DEBUGFS);
		return false;
	}
	ii_format_bdf(&b, name);
	dom = o->domain = ii_dbg_domain_of(d, name);
	if ((dom && dom->translation == II_TT_PASSTHROUGH) ||
	    (!dom && g && g->domtype == II_DOM_IDENTITY)) {
		o->state = II_IOVA_PASSTHROUGH;
		o->phys_known = true;
		o->phys = q->iova;
		return false;
	}
	if (dev->group < 0) {
		unknown(d, o, II_WHY_NO_GROUP);
		return false;
	}
	if (!dom || !dom->has_pgd) {
		unknown(d, o, II_WHY_NO_TABLE);
		return false;
	}
	if (!d->have_dts) {
		unknown(d, o, II_WHY_NO_DUMPS);
		return false;
	}
	o->state = II_IOVA_UNMAPPED;
	return true;
}

void ii_dbg_lookup_many(struct ii_system *s, struct ii_dbg *d, const struct ii_iova_query *q,
			size_t n, struct ii_iova_info *out)
{
	struct lookup l = { xcalloc(n + 1, sizeof(*l.p)), 0, out };
	struct ii_dbg_walk w = { .want = want, .leaf = leaf, .range = range, .ctx = &l };

	/* without context entries, only a walk tells which dump is whose */
	if (d && d->fs.state == II_DBG_OK && d->have_dts && !d->ctx_read)
		ii_dbg_walk(s, d, &(struct ii_dbg_walk){ .want = want_none });
	for (size_t i = 0; i < n; i++)
		if (prepare(s, d, &q[i], &out[i]))
			l.p[l.n++] = (struct pending){ out[i].domain->pgd, q[i].iova, i };
	if (l.n) {
		qsort(l.p, l.n, sizeof(*l.p), cmp_pending);
		ii_dbg_walk(s, d, &w);
		for (size_t i = 0; i < l.n; i++) {
			struct ii_iova_info *o = &out[l.p[i].q];

			if (!o->domain->dumped)
				unknown(d, o, II_WHY_DUMP_UNREAD);
		}
	}
	free(l.p);
}

int ii_dbg_index(struct ii_system *s, struct ii_dbg *d)
{
	struct ii_dbg_walk w = { .keep_ranges = true };
	int rc;

	if (d->fs.state != II_DBG_OK || !d->have_dts)
		return -1;
	if (d->indexed)
		return 0;
	rc = ii_dbg_walk(s, d, &w);
	d->walked = true;
	d->indexed = rc == 0;
	return rc;
}

void ii_dbg_lookup_indexed(struct ii_system *s, struct ii_dbg *d, const char *bdf, uint64_t iova,
			   struct ii_iova_info *out)
{
	struct ii_iova_query q = { bdf, iova };
	struct ii_dbg_domain *dom = NULL;
	size_t lo = 0, hi;

	if (!prepare(s, d, &q, out))
		return;
	/* the ranges are kept by the domain whose dump was read (another unit's may share it) */
	for (size_t i = 0; i < d->ndomains && !dom; i++)
		if (d->domains[i]->dumped && d->domains[i]->ranges && d->domains[i]->has_pgd &&
		    d->domains[i]->pgd == out->domain->pgd)
			dom = d->domains[i];
	if (!dom) {
		if (!out->domain->dumped)
			unknown(d, out, II_WHY_DUMP_UNREAD);
		return;
	}
	hi = dom->nkept;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dom->ranges[mid].end < iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < dom->nkept && dom->ranges[lo].start <= iova) {
		const struct ii_range *r = &dom->ranges[lo];

		out->state = II_IOVA_MAPPED;
		out->range = *r;
		out->read = r->read;
		out->write = r->write;
		out->page_size = r->page_size;
		out->phys_known = r->phys_contig;
		out->phys = r->phys_contig ? r->phys + (iova - r->start) : 0;
	}
}

void ii_dbg_lookup(struct ii_system *s, struct ii_dbg *d, const char *bdf, const uint64_t *iova,
		   size_t n, struct ii_iova_info *out)
{
	struct ii_iova_query *q = xcalloc(n + 1, sizeof(*q));

	for (size_t i = 0; i < n; i++)
		q[i] = (struct ii_iova_query){ bdf, iova[i] };
	ii_dbg_lookup_many(s, d, q, n, out);
	free(q);
}

const char *ii_iova_note(const struct ii_iova_info *info, int access, char *buf, size_t size)
{
	if (info->resv) {
		if (info->rmrr)
			snprintf(buf, size, "inside an RMRR 0x%llx-0x%llx (%s)",
				 (unsigned long long)info->resv->start,
				 (unsigned long long)info->resv->end, info->resv->type);
		else
			snprintf(buf, size, "inside reserved region 0x%llx-0x%llx (%s)",
				 (unsigned long long)info->resv->start,
				 (unsigned long long)info->resv->end, info->resv->type);
		return buf;
	}
	switch (info->state) {
	case II_IOVA_UNMAPPED:
		snprintf(buf, size, "unmapped");
		return buf;
	case II_IOVA_PASSTHROUGH:
		snprintf(buf, size, "not translated (pass-through)");
		return buf;
	case II_IOVA_MAPPED:
		if (access == 'w' && !info->write)
			snprintf(buf, size, "mapped read-only");
		else if (access == 'r' && !info->read)
			snprintf(buf, size, "mapped write-only");
		else
			snprintf(buf, size, "mapped %s", info->read && info->write ? "read/write"
							 : info->read ? "read-only" : "write-only");
		return buf;
	default:
		return NULL;
	}
}

/* ---------------------------------------------------------- fault notes */

struct ii_fault_notes {
	struct ii_dbg dbg;     /* when s->dbg was not loaded with II_LOAD_DBG_RANGES */
	struct ii_dbg *use;    /* s->dbg or &dbg */
	bool ok;
};

void ii_fault_note(struct ii_system *s, struct ii_fault *f)
{
	struct ii_fault_notes *n = s->fault_notes;
	struct ii_iova_info info;
	char name[II_BDF_MAX], buf[128];
	const char *note;

	/* a DMA fault with its requester and address, on requests without PASID */
	if (f->kind != II_FK_DMA || !f->has_bdf || !f->has_addr || (f->has_pasid && f->pasid))
		return;
	if (!n) {
		size_t from = s->diags.warnings.n;

		n = s->fault_notes = xcalloc(1, sizeof(*n));
		if (s->dbg && s->dbg->indexed) {
			/* loaded with II_LOAD_DBG_RANGES: its warnings were given at load time */
			n->use = s->dbg;
		} else {
			n->use = &n->dbg;
			ii_dbg_load(s, &n->dbg);
		}
		n->ok = n->use->fs.state == II_DBG_OK && n->use->fs.vendor == II_VENDOR_INTEL &&
			ii_dbg_index(s, n->use) == 0;
		/* debugfs is a bonus here: what is wrong with it is for domains and mappings to say */
		while (s->diags.warnings.n > from)
			free(s->diags.warnings.v[--s->diags.warnings.n]);
	}
	if (!n->ok)
		return;
	ii_format_bdf(&f->bdf, name);
	ii_dbg_lookup_indexed(s, n->use, name, f->addr, &info);
	note = ii_iova_note(&info, f->access & II_ACC_WRITE ? 'w' : f->access & II_ACC_READ ? 'r' : 0,
			    buf, sizeof(buf));
	if (note)
		snprintf(f->annotation, sizeof(f->annotation), "%s", note);
}

void ii_fault_notes_free(struct ii_fault_notes *notes)
{
	if (!notes)
		return;
	ii_dbg_free(&notes->dbg);
	free(notes);
}
