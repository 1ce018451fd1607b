// SPDX-License-Identifier: MIT
/*
 * What `mappings` shows, chosen and explained here so that the command only
 * parses its options and the renderer only prints: the domains asked for
 * (by device, by domain id, or all), each element's device, PASID and the
 * other devices its domain serves, and, when a device has nothing to list,
 * why (enum ii_dbg_why). The dumps are read once, as they stream by; only
 * the ranges of the devices asked for by address are kept.
 */
#include <stdlib.h>
#include <string.h>

#include "domains.h"

static bool asked(const struct ii_map_sel *sel, const struct ii_dbg_domain *dom)
{
	if (sel->by_domain)
		return dom->did == sel->did && (!sel->unit[0] || !strcmp(sel->unit, dom->unit));
	for (size_t i = 0; i < sel->nbdfs; i++)
		for (size_t j = 0; j < dom->ndevs; j++)
			if (!strcmp(dom->devs[j].name, sel->bdfs[i]))
				return true;
	return !sel->nbdfs;
}

/* The device a domain's element is named after when none was asked for: the dump's. */
static const char *first_dev(const struct ii_dbg_domain *dom)
{
	for (size_t j = 0; j < dom->ndevs; j++)
		if (dom->devs[j].from_dump)
			return dom->devs[j].name;
	return dom->ndevs ? dom->devs[0].name : "";
}

static void mapping_free(struct ii_mapping *m)
{
	sl_free(&m->devices);
	sl_free(&m->others);
	memset(m, 0, sizeof(*m));
}

static void mapping_init(struct ii_system *s, struct ii_mapping *m, const char *bdf,
			 const struct ii_dbg_domain *dom)
{
	mapping_free(m);
	m->bdf = bdf;
	m->dev = ii_find_device(s, bdf);
	m->dom = dom;
	m->pasid = -1;
	/* the PASID it uses the domain with: none when it uses it without one too */
	for (size_t i = 0; dom && i < dom->ndevs; i++)
		if (!strcmp(dom->devs[i].name, bdf)) {
			m->pasid = dom->devs[i].pasid;
			if (m->pasid < 0)
				break;
		}
	for (size_t i = 0; dom && i < dom->ndevs; i++) {
		const char *name = dom->devs[i].name;

		if (dom->devs[i].pasid >= 0 || sl_contains(&m->devices, name))
			continue;
		sl_add(&m->devices, name);
		if (strcmp(name, bdf))
			sl_add(&m->others, name);
	}
}

enum ii_dbg_why ii_mappings_unavailable(const struct ii_system *s)
{
	const struct ii_dbg *d = s->dbg;

	if (!d)
		return II_WHY_NOT_READ;
	if (d->fs.state != II_DBG_OK)
		return II_WHY_DEBUGFS;
	if (d->fs.vendor != II_VENDOR_INTEL)
		return II_WHY_AMD_NO_TABLES;
	if (!d->have_dts)
		return II_WHY_NO_DTS_FILE;
	return II_WHY_NONE;
}

/* ------------------------------------------------------------------ visit */

struct visit {
	struct ii_system *s;
	const struct ii_map_sel *sel;
	const struct ii_map_visit *v;
	struct ii_map_result *res;
	struct ii_mapping m;   /* the element streaming by */
};

static bool want_stream(void *ctx, struct ii_dbg_domain *dom)
{
	struct visit *x = ctx;

	if (!asked(x->sel, dom))
		return false;
	mapping_init(x->s, &x->m, first_dev(dom), dom);
	x->res->shown++;
	if (x->v->begin)
		x->v->begin(x->v->ctx, &x->m);
	return true;
}

static void range_stream(void *ctx, struct ii_dbg_domain *dom, const struct ii_range *r)
{
	struct visit *x = ctx;

	(void)dom;
	if (x->v->range)
		x->v->range(x->v->ctx, &x->m, r);
}

static void done_stream(void *ctx, struct ii_dbg_domain *dom)
{
	struct visit *x = ctx;

	(void)dom;
	if (x->v->end)
		x->v->end(x->v->ctx, &x->m);
}

static void leaf_raw(void *ctx, struct ii_dbg_domain *dom, const struct ii_pte *p)
{
	struct visit *x = ctx;

	(void)dom;
	if (x->v->pte)
		x->v->pte(x->v->ctx, &x->m, p);
}

static bool want_asked(void *ctx, struct ii_dbg_domain *dom)
{
	struct visit *x = ctx;

	return asked(x->sel, dom);
}

/* Why a device has no ranges to show (II_WHY_PASSTHROUGH: because it needs none). */
static enum ii_dbg_why no_tables(struct ii_system *s, const char *bdf,
				 const struct ii_dbg_domain *dom)
{
	struct ii_device *dev = ii_find_device(s, bdf);
	struct ii_group *g = dev && dev->group >= 0 ? ii_find_group(s, (unsigned)dev->group) : NULL;

	if (dom && dom->dumped)
		return II_WHY_NONE;
	if ((dom && dom->translation == II_TT_PASSTHROUGH) ||
	    (!dom && g && g->domtype == II_DOM_IDENTITY))
		return II_WHY_PASSTHROUGH;
	if (!dev || (!dev->present && dev->group < 0))
		return II_WHY_NO_DEVICE;
	if (dev->group < 0)
		return II_WHY_NOT_TRANSLATED;
	return dom ? II_WHY_NO_DOMAIN_DUMP : II_WHY_NO_DOMAIN;
}

/* The devices asked for, in the order asked, after one walk that keeps their ranges. */
static void asked_ranges(struct visit *x)
{
	struct ii_dbg *d = x->s->dbg;
	const struct ii_map_visit *v = x->v;

	ii_dbg_walk(x->s, d, &(struct ii_dbg_walk){ .want = want_asked, .ctx = x, .keep_ranges = true });
	for (size_t i = 0; i < x->sel->nbdfs; i++) {
		const char *bdf = x->sel->bdfs[i];
		struct ii_dbg_domain *dom = ii_dbg_domain_of(d, bdf);

		mapping_init(x->s, &x->m, bdf, dom);
		x->m.why = no_tables(x->s, bdf, dom);
		if (x->m.why != II_WHY_NONE) {
			if (x->m.why == II_WHY_PASSTHROUGH)
				x->res->shown++;
			else
				x->res->errors++;
			if (v->none)
				v->none(v->ctx, &x->m);
			continue;
		}
		x->res->shown++;
		if (v->begin)
			v->begin(v->ctx, &x->m);
		for (size_t k = 0; v->range && k < dom->nkept; k++)
			v->range(v->ctx, &x->m, &dom->ranges[k]);
		if (v->end)
			v->end(v->ctx, &x->m);
	}
	/* what was kept served its purpose: memory stays with the devices asked for */
	for (size_t i = 0; i < d->ndomains; i++)
		ii_dbg_free_ranges(d->domains[i]);
}

void ii_mappings_visit(struct ii_system *s, const struct ii_map_sel *sel, bool raw,
		       const struct ii_map_visit *v, struct ii_map_result *res)
{
	struct visit x = { .s = s, .sel = sel, .v = v, .res = res };

	memset(res, 0, sizeof(*res));
	if (ii_mappings_unavailable(s) != II_WHY_NONE)
		return;
	if (raw)
		ii_dbg_walk(s, s->dbg, &(struct ii_dbg_walk){ .want = want_stream, .leaf = leaf_raw,
							      .ctx = &x });
	else if (sel->nbdfs)
		asked_ranges(&x);
	else
		ii_dbg_walk(s, s->dbg, &(struct ii_dbg_walk){ .want = want_stream, .range = range_stream,
							      .done = done_stream, .ctx = &x });
	mapping_free(&x.m);
	if (!res->errors && !res->shown && (sel->by_domain || !sel->nbdfs))
		res->empty = sel->by_domain ? II_WHY_NO_SUCH_DOMAIN : II_WHY_NOTHING_DUMPED;
}

/* ----------------------------------------------------------------- lookup */

static bool want_none(void *ctx, struct ii_dbg_domain *dom)
{
	(void)ctx;
	(void)dom;
	return false;
}

void ii_mappings_lookup(struct ii_system *s, const struct ii_map_sel *sel, uint64_t iova,
			struct ii_map_lookups *out)
{
	struct ii_dbg *d = s->dbg;
	size_t cap = (d ? d->ndomains : 0) + sel->nbdfs + 1, shown = 0;
	char (*names)[II_BDF_MAX];

	memset(out, 0, sizeof(*out));
	if (ii_mappings_unavailable(s) != II_WHY_NONE)
		return;
	/* the questions own their names: a walk may move a domain's list of devices */
	out->q = xcalloc(cap, sizeof(*out->q) + sizeof(*names));
	names = (char (*)[II_BDF_MAX])(out->q + cap);
	/* without context entries, only a walk tells which dump is whose */
	if (!sel->nbdfs && !d->ctx_read)
		ii_dbg_walk(s, d, &(struct ii_dbg_walk){ .want = want_none });
	for (size_t i = 0; !sel->nbdfs && i < d->ndomains; i++) {
		struct ii_dbg_domain *dom = d->domains[i];

		if (asked(sel, dom) && dom->has_pgd && *first_dev(dom)) {
			str_copy(names[out->n], sizeof(names[out->n]), first_dev(dom),
				 strlen(first_dev(dom)));
			out->q[out->n] = (struct ii_iova_query){ names[out->n], iova };
			out->n++;
		}
	}
	for (size_t i = 0; i < sel->nbdfs; i++)
		out->q[out->n++] = (struct ii_iova_query){ sel->bdfs[i], iova };
	out->info = xcalloc(out->n + 1, sizeof(*out->info));
	ii_dbg_lookup_many(s, d, out->q, out->n, out->info);
	for (size_t i = 0; i < out->n; i++) {
		if (out->info[i].state == II_IOVA_UNKNOWN && out->info[i].reason == II_WHY_NO_DEVICE)
			out->errors++;
		else
			shown++;
	}
	if (!out->errors && !shown && (sel->by_domain || !sel->nbdfs))
		out->empty = sel->by_domain ? II_WHY_NO_SUCH_DOMAIN : II_WHY_NOTHING_DUMPED;
}

void ii_map_lookups_free(struct ii_map_lookups *l)
{
	free(l->q);
	free(l->info);
	memset(l, 0, sizeof(*l));
}
