// SPDX-License-Identifier: MIT
/*
 * One pass over the page-table dumps (domain_translation_struct): each block
 * is matched to its domain by the page table's address, its rows coalesced
 * into ranges as they stream by, and handed to the caller's callbacks. A
 * domain dumped more than once is read once; blocks nobody wants are skipped
 * a line at a time without decoding their rows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domains.h"

#define MAX_BAD_WARNINGS 3

struct walk {
	struct ii_system *s;
	struct ii_dbg *d;
	const struct ii_dbg_walk *w;
	struct ii_dts p;
	struct ii_coalesce c;
	struct ii_dbg_domain *dom; /* the block being decoded, or NULL */
	bool skipping;             /* inside a block that is not decoded */
	bool stop_file;            /* nothing more to take from this file */
	const char *rel;
	long pasid;                /* the file's PASID (6.7+ per-PASID files), or -1 */
	size_t bad;
	bool msg_said;
};

static void emit(struct walk *k, const struct ii_range *r)
{
	struct ii_dbg_domain *dom = k->dom;

	if (k->w->keep_ranges) {
		xgrow((void **)&dom->ranges, &dom->capranges, dom->nkept + 1, sizeof(*dom->ranges));
		dom->ranges[dom->nkept++] = *r;
	}
	if (k->w->range)
		k->w->range(k->w->ctx, dom, r);
}

/* The block being decoded is complete. */
static void end_block(struct walk *k)
{
	struct ii_dbg_domain *dom = k->dom;
	struct ii_range r;

	k->skipping = false;
	if (!dom)
		return;
	if (ii_coalesce_end(&k->c, &r))
		emit(k, &r);
	dom->bytes = k->c.bytes;
	dom->nranges = k->c.ranges;
	dom->leaves = k->c.leaves;
	dom->pages_4k = k->c.pages_4k;
	dom->pages_2m = k->c.pages_2m;
	dom->pages_1g = k->c.pages_1g;
	dom->disorder = k->c.disorder;
	if (dom->disorder)
		ii_dbg_warn(k->s, k->rel, "the dump of page table 0x%llx has %llu rows out of address "
			    "order (the page table changed while it was read?); its ranges may overlap",
			    (unsigned long long)dom->pgd, (unsigned long long)dom->disorder);
	/* the same page table under another unit's domain id shares the figures */
	for (size_t i = 0; i < k->d->ndomains; i++) {
		struct ii_dbg_domain *o = k->d->domains[i];

		if (o == dom || !o->has_pgd || o->pgd != dom->pgd)
			continue;
		o->dumped = true;
		o->truncated = dom->truncated;
		o->bytes = dom->bytes;
		o->nranges = dom->nranges;
		o->leaves = dom->leaves;
		o->pages_4k = dom->pages_4k;
		o->pages_2m = dom->pages_2m;
		o->pages_1g = dom->pages_1g;
		o->bad_lines = dom->bad_lines;
		free(o->file);
		o->file = xstrdup(dom->file);
	}
	if (k->w->done)
		k->w->done(k->w->ctx, dom);
	k->dom = NULL;
}

static void begin_block(struct walk *k)
{
	struct ii_dbg_domain *dom = NULL;
	struct ii_device *named;
	struct ii_dbg_dev *dv;

	end_block(k);
	for (size_t i = 0; i < k->d->ndomains; i++)
		if (k->d->domains[i]->has_pgd && k->d->domains[i]->pgd == k->p.pgd) {
			dom = k->d->domains[i];
			break;
		}
	named = ii_find_device(k->s, k->p.dev);
	if (!dom) {
		dom = ii_dbg_add_domain(k->d, named && named->unit ? named->unit->name : NULL, -1);
		dom->has_pgd = true;
		dom->pgd = k->p.pgd;
	}
	dv = ii_dbg_attach(k->s, dom, k->p.dev, k->pasid);
	dv->from_dump = true;
	if (k->d->layout == II_DTS_GLOBAL && named && named->group >= 0) {
		/* 5.10 to 6.6 dump a group's domain under its first member's name */
		struct ii_group *g = ii_find_group(k->s, (unsigned)named->group);

		for (size_t i = 0; g && i < g->ndevs; i++)
			if (g->devs[i] != named)
				ii_dbg_attach(k->s, dom, g->devs[i]->name, -1)->from_group = true;
	}
	if (dom->dumped || (k->w->want && !k->w->want(k->w->ctx, dom))) {
		k->skipping = true;
		k->stop_file = k->d->layout == II_DTS_PER_DEVICE;
		return;
	}
	dom->dumped = true;
	dom->truncated = false;
	dom->bad_lines = 0;
	free(dom->file);
	dom->file = xstrdup(k->rel);
	ii_dbg_free_ranges(dom);
	ii_coalesce_init(&k->c);
	k->dom = dom;
}

static void row(struct walk *k)
{
	struct ii_dbg_domain *dom = k->dom;
	struct ii_range r;

	if (!dom->levels) {
		/* the walk starts at the table's top level: its first present column */
		for (unsigned i = 0; i < k->p.row.ncols; i++)
			if (k->p.row.path[i]) {
				dom->levels = (int)(5 - i);
				dom->aw_bits = 12 + 9 * dom->levels;
				break;
			}
	}
	if (k->w->leaf)
		k->w->leaf(k->w->ctx, dom, &k->p.row);
	if (!ii_coalesce_extend(&k->c, &k->p.row) && ii_coalesce_add(&k->c, &k->p.row, &r))
		emit(k, &r);
}

/* The file ends in the middle of a line. */
static void truncated(struct walk *k)
{
	if (k->dom)
		k->dom->truncated = true;
	ii_dbg_warn(k->s, k->rel, "ends in the middle of line %llu: the dump was cut short (a "
		    "truncated copy?); the mappings after it are missing",
		    (unsigned long long)k->p.lines);
}

static void event(struct walk *k, enum ii_dl e)
{
	switch (e) {
	case II_DL_ROW:
		if (k->dom)
			row(k);
		break;
	case II_DL_BLOCK:
		begin_block(k);
		break;
	case II_DL_END:
		end_block(k);
		break;
	case II_DL_MSG:
		if (!k->msg_said)
			ii_dbg_warn(k->s, k->rel, "%s", k->p.msg);
		k->msg_said = true;
		break;
	case II_DL_BAD:
		if (k->dom)
			k->dom->bad_lines++;
		if (k->p.partial)
			break; /* a row cut short: said below */
		if (k->bad++ < MAX_BAD_WARNINGS)
			ii_dbg_warn(k->s, k->rel, "line %llu: %s; line ignored",
				    (unsigned long long)k->p.lines, k->p.why);
		break;
	default:
		break;
	}
	if (k->p.partial) {
		k->p.partial = false;
		truncated(k);
	}
}

/* Skip the rows of an unwanted block: only lines that do not start with a digit matter. */
static size_t skip_rows(struct walk *k, const char *data, size_t avail, bool eof, bool *more)
{
	size_t off = 0;

	*more = false;
	while (off < avail) {
		const char *nl;

		if (data[off] != '0')
			return off;
		nl = memchr(data + off, '\n', avail - off);
		if (!nl) {
			if (!eof) {
				*more = true;
				return off;
			}
			k->p.lines++;
			truncated(k);
			return avail;
		}
		k->p.lines++;
		off = (size_t)(nl - data) + 1;
	}
	return off;
}

static int walk_file(struct walk *k, const char *rel)
{
	struct ii_dbg_reader rd;
	const char *data;
	ssize_t avail = 0;
	bool eof;
	int rc;

	k->rel = rel;
	k->pasid = -1;
	k->bad = 0;
	k->msg_said = false;
	k->stop_file = false;
	k->skipping = false;
	if (k->d->layout == II_DTS_PER_DEVICE) {
		/* <dir>/<bdf>/<pasid>/domain_translation_struct */
		const char *end = rel + strlen(rel) - strlen("/domain_translation_struct");
		const char *slash = end;

		while (slash > rel && slash[-1] != '/')
			slash--;
		if (end - slash <= 5 && ii_parse_bdf(slash, &(struct ii_bdf){ 0 }) < 0)
			k->pasid = strtol(slash, NULL, 16);
	}
	ii_dts_init(&k->p, k->d->layout);
	rc = ii_dbg_reader_open(k->s, &k->d->fs, &rd, rel);
	if (rc < 0) {
		ii_dbg_warn(k->s, rel, "%s%s", strerror(-rc), rc == -EACCES ? "; run as root" : "");
		ii_dbg_reader_close(&rd);
		return rc;
	}
	while (!k->stop_file && (avail = ii_dbg_reader_fill(&rd, &data, &eof)) > 0) {
		size_t off = 0, used;

		while (off < (size_t)avail && !k->stop_file) {
			enum ii_dl e;

			if (k->skipping) {
				bool more;

				off += skip_rows(k, data + off, (size_t)avail - off, eof, &more);
				if (more || off >= (size_t)avail)
					break;
			}
			e = ii_dts_next(&k->p, data + off, (size_t)avail - off, eof, &used);
			if (!used) {
				if (off)
					break;
				/* no end of line in a full buffer: a line longer than any real one */
				e = ii_dts_line(&k->p, data, (size_t)avail);
				used = (size_t)avail;
			}
			off += used;
			if (e == II_DL_ROW && k->dom && !k->p.partial)
				row(k);
			else
				event(k, e);
		}
		ii_dbg_reader_consume(&rd, off);
	}
	if (!k->stop_file && avail < 0) {
		ii_dbg_warn(k->s, rel, "%s; the rest of the dump is missing", strerror((int)-avail));
		k->d->fs.unreadable++;
		if (k->dom)
			k->dom->truncated = true;
	}
	event(k, ii_dts_finish(&k->p));
	end_block(k);
	if (k->bad > MAX_BAD_WARNINGS)
		ii_dbg_warn(k->s, rel, "%zu lines not understood in all", k->bad);
	ii_dbg_reader_close(&rd);
	return 0;
}

int ii_dbg_walk(struct ii_system *s, struct ii_dbg *d, const struct ii_dbg_walk *w)
{
	struct walk k = { .s = s, .d = d, .w = w };
	size_t ok = 0;

	for (size_t i = 0; i < d->ndomains; i++) {
		d->domains[i]->dumped = false;
		ii_dbg_free_ranges(d->domains[i]);
	}
	for (size_t i = 0; i < d->dts_files.n; i++)
		if (walk_file(&k, d->dts_files.v[i]) == 0)
			ok++;
	return ok || !d->dts_files.n ? 0 : -1;
}
