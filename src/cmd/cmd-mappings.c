// SPDX-License-Identifier: MIT
/*
 * mappings [BDF...] [--domain ID] [--raw] [--at ADDR]: the IOVA ranges a
 * device's domain maps, coalesced from its page-table dump as it streams by;
 * --raw shows the entries themselves, --at what one IOVA translates to.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-dbg.h"

struct sel {
	struct ii_system *s;
	struct ii_dbg *d;
	struct ii_out *o;
	char (*bdfs)[II_BDF_MAX];
	int nbdfs;
	bool by_domain;
	char unit[32];
	long did;
	bool raw, at;
	uint64_t iova;
	size_t shown;
};

/* --domain ID or UNIT:ID; ID in decimal or 0x hex. */
static int parse_domain(const char *arg, struct sel *sel)
{
	const char *colon = strrchr(arg, ':'), *num = colon ? colon + 1 : arg;
	char *end;
	long long v;

	errno = 0;
	v = strtoll(num, &end, 0);
	if (!*num || *end || errno || v < 0 || v > 0xffff ||
	    (colon && (colon == arg || (size_t)(colon - arg) >= sizeof(sel->unit)))) {
		fprintf(stderr, "iommu-inspect: --domain: '%s' is not a domain id (0 to 65535, or "
			"UNIT:ID such as dmar0:12)\n", arg);
		return II_EXIT_USAGE;
	}
	if (colon)
		snprintf(sel->unit, sizeof(sel->unit), "%.*s", (int)(colon - arg), arg);
	sel->did = (long)v;
	sel->by_domain = true;
	return 0;
}

/* --at ADDR: hexadecimal, with or without 0x. */
static int parse_at(const char *arg, uint64_t *out)
{
	const char *p = arg;
	char *end;

	if (!strncmp(p, "0x", 2) || !strncmp(p, "0X", 2))
		p += 2;
	errno = 0;
	*out = strtoull(p, &end, 16);
	if (!*p || *end || errno || *p == '-' || *p == '+' || *p == ' ') {
		fprintf(stderr, "iommu-inspect: --at: '%s' is not an address; write it in hexadecimal, "
			"such as 0xfff00000\n", arg);
		return II_EXIT_USAGE;
	}
	return 0;
}

static bool asked(const struct sel *sel, const struct ii_dbg_domain *dom)
{
	if (sel->by_domain)
		return dom->did == sel->did && (!sel->unit[0] || !strcmp(sel->unit, dom->unit));
	for (int i = 0; i < sel->nbdfs; i++)
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

/* ---------------------------------------------------------------- ranges */

static bool want_stream(void *ctx, struct ii_dbg_domain *dom)
{
	struct sel *sel = ctx;
	bool w = asked(sel, dom);

	if (w)
		render_mapping_begin(sel->o, sel->s, dom, first_dev(dom), !sel->shown);
	return w;
}

static void range_stream(void *ctx, struct ii_dbg_domain *dom, const struct ii_range *r)
{
	struct sel *sel = ctx;

	(void)dom;
	render_mapping_range(sel->o, r);
}

static void done_stream(void *ctx, struct ii_dbg_domain *dom)
{
	struct sel *sel = ctx;

	render_mapping_end(sel->o, dom);
	sel->shown++;
}

/* Every domain (or those of --domain), each as its dump streams by. */
static void all_ranges(struct sel *sel)
{
	struct ii_dbg_walk w = { .want = want_stream, .range = range_stream, .done = done_stream,
				 .ctx = sel };

	out_open_arr(sel->o, "mappings");
	ii_dbg_walk(sel->s, sel->d, &w);
	out_close_arr(sel->o);
}

static bool want_asked(void *ctx, struct ii_dbg_domain *dom)
{
	return asked(ctx, dom);
}

static bool want_none(void *ctx, struct ii_dbg_domain *dom)
{
	(void)ctx;
	(void)dom;
	return false;
}

/* Why a device has no ranges to show (*passthrough: because it needs none), or NULL. */
static const char *no_tables(struct sel *sel, const char *bdf, struct ii_dbg_domain *dom,
			     bool *passthrough)
{
	struct ii_device *dev = ii_find_device(sel->s, bdf);
	struct ii_group *g = dev && dev->group >= 0 ? ii_find_group(sel->s, (unsigned)dev->group) : NULL;

	*passthrough = false;
	if (dom && dom->dumped)
		return NULL;
	if ((dom && dom->translation && !strcmp(dom->translation, "pass-through")) ||
	    (!dom && g && g->domtype == II_DOM_IDENTITY)) {
		*passthrough = true;
		return "its domain does not translate (identity, pass-through): its DMA addresses are "
		       "physical addresses, and nothing is mapped";
	}
	if (!dev || (!dev->present && dev->group < 0))
		return "no such PCI device";
	if (dev->group < 0)
		return "it is in no IOMMU group, so no IOMMU translates its DMA";
	return dom ? "debugfs has no page-table dump of its domain"
		   : "debugfs shows no domain for it (no context entry points to one, no dump names it)";
}

/* The devices asked for, in the order asked, after one walk that keeps their ranges. */
static int asked_ranges(struct sel *sel)
{
	struct ii_dbg_walk w = { .want = want_asked, .ctx = sel, .keep_ranges = true };
	int rc = II_EXIT_OK;

	ii_dbg_walk(sel->s, sel->d, &w);
	out_open_arr(sel->o, "mappings");
	for (int i = 0; i < sel->nbdfs; i++) {
		struct ii_dbg_domain *dom = ii_dbg_domain_of(sel->d, sel->bdfs[i]);
		bool passthrough;
		const char *why = no_tables(sel, sel->bdfs[i], dom, &passthrough);

		if (why && passthrough) {
			render_mapping_none(sel->o, sel->s, dom, sel->bdfs[i], why, !sel->shown++);
		} else if (why) {
			out_error(sel->o, "%s: %s", sel->bdfs[i], why);
			rc = II_EXIT_ERROR;
		} else {
			render_mapping_begin(sel->o, sel->s, dom, sel->bdfs[i], !sel->shown++);
			for (size_t k = 0; k < dom->nkept; k++)
				render_mapping_range(sel->o, &dom->ranges[k]);
			render_mapping_end(sel->o, dom);
		}
	}
	out_close_arr(sel->o);
	return rc;
}

/* ------------------------------------------------------------------- raw */

static bool want_raw(void *ctx, struct ii_dbg_domain *dom)
{
	struct sel *sel = ctx;
	bool w = asked(sel, dom);

	if (w)
		out_text(sel->o, "%s%s  %s domain %ld, page table at 0x%llx\n", sel->shown++ ? "\n" : "",
			 first_dev(dom), dom->unit, dom->did, (unsigned long long)dom->pgd);
	return w;
}

static void leaf_raw(void *ctx, struct ii_dbg_domain *dom, const struct ii_pte *p)
{
	struct sel *sel = ctx;

	render_pte(sel->o, dom, first_dev(dom), p);
}

/* ---------------------------------------------------------------- lookup */

/* One lookup per device asked for, or per domain (under its dump's name): one pass. */
static int lookups(struct sel *sel)
{
	struct ii_iova_query *q = xcalloc(sel->d->ndomains + (size_t)sel->nbdfs + 1, sizeof(*q));
	struct ii_iova_info *info;
	size_t n = 0;
	int rc = II_EXIT_OK;

	if (!sel->nbdfs && !sel->d->ctx_read)
		ii_dbg_walk(sel->s, sel->d, &(struct ii_dbg_walk){ .want = want_none });
	for (size_t i = 0; !sel->nbdfs && i < sel->d->ndomains; i++) {
		struct ii_dbg_domain *dom = sel->d->domains[i];

		if (asked(sel, dom) && dom->has_pgd && *first_dev(dom))
			q[n++] = (struct ii_iova_query){ first_dev(dom), sel->iova };
	}
	for (int i = 0; i < sel->nbdfs; i++)
		q[n++] = (struct ii_iova_query){ sel->bdfs[i], sel->iova };
	info = xcalloc(n + 1, sizeof(*info));
	ii_dbg_lookup_many(sel->s, sel->d, q, n, info);
	out_open_arr(sel->o, "lookups");
	for (size_t i = 0; i < n; i++) {
		if (info[i].state == II_IOVA_UNKNOWN && !strcmp(info[i].why, "no such PCI device")) {
			out_error(sel->o, "%s: no such PCI device", q[i].bdf);
			rc = II_EXIT_ERROR;
			continue;
		}
		render_lookup(sel->o, sel->s, q[i].bdf, &info[i]);
		sel->shown++;
	}
	out_close_arr(sel->o);
	free(info);
	free(q);
	return rc;
}

int cmd_mappings(struct ii_ctx *ctx)
{
	struct sel sel = { 0 };
	struct ii_system s;
	struct ii_dbg d;
	size_t from;
	int rc = II_EXIT_OK;

	sel.raw = ctx->opt[OPT_RAW] != NULL;
	sel.at = ctx->opt[OPT_AT] != NULL;
	if (sel.raw && sel.at) {
		fprintf(stderr, "iommu-inspect: mappings: --raw and --at exclude each other\n");
		return II_EXIT_USAGE;
	}
	if (ctx->opt[OPT_DOMAIN] && ctx->argc) {
		fprintf(stderr, "iommu-inspect: mappings: give either PCI addresses or --domain, not "
			"both\n");
		return II_EXIT_USAGE;
	}
	if ((ctx->opt[OPT_DOMAIN] && (rc = parse_domain(ctx->opt[OPT_DOMAIN], &sel))) ||
	    (sel.at && (rc = parse_at(ctx->opt[OPT_AT], &sel.iova))))
		return rc;
	sel.bdfs = xcalloc((size_t)ctx->argc + 1, sizeof(*sel.bdfs));
	for (int i = 0; i < ctx->argc; i++) {
		struct ii_bdf b;

		if ((rc = ii_arg_bdf(ctx->argv[i], "mappings", &b, sel.bdfs[sel.nbdfs]))) {
			free(sel.bdfs);
			return rc;
		}
		sel.nbdfs++;
	}

	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_LOG |
				     II_LOAD_SYSINFO);
	from = s.diags.warnings.n;
	ii_dbg_load(&s, &d);
	ii_cmd_warnings_since(&s, from);
	sel.s = &s;
	sel.d = &d;
	sel.o = ctx->out;
	from = s.diags.warnings.n;
	out_begin(ctx->out);
	render_dbg_state(ctx->out, &s, &d);
	if (d.fs.state != II_DBG_OK || d.fs.vendor != II_VENDOR_INTEL || !d.have_dts) {
		const char *why = d.fs.state != II_DBG_OK ? d.fs.why
				  : d.fs.vendor != II_VENDOR_INTEL
					  ? "no kernel dumps AMD-Vi page tables in debugfs (amd/devtbl shows "
					    "one device table entry; see iommu-inspect domains)"
					  : "debugfs has no domain_translation_struct file: the kernel shows no "
					    "page tables";

		out_open_arr(ctx->out, sel.at ? "lookups" : sel.raw ? "ptes" : "mappings");
		out_close_arr(ctx->out);
		out_error(ctx->out, "%s", why);
		rc = II_EXIT_ERROR;
	} else if (sel.at) {
		rc = lookups(&sel);
	} else if (sel.raw) {
		struct ii_dbg_walk w = { .want = want_raw, .leaf = leaf_raw, .ctx = &sel };

		out_open_arr(ctx->out, "ptes");
		ii_dbg_walk(&s, &d, &w);
		out_close_arr(ctx->out);
	} else if (sel.nbdfs) {
		rc = asked_ranges(&sel);
	} else {
		all_ranges(&sel);
	}
	if (rc == II_EXIT_OK && d.fs.state == II_DBG_OK && !sel.shown && (sel.by_domain || !sel.nbdfs)) {
		if (sel.by_domain) {
			out_error(ctx->out, "--domain %s: no such domain has a page-table dump in debugfs",
				  ctx->opt[OPT_DOMAIN]);
			rc = II_EXIT_ERROR;
		} else {
			out_text(ctx->out, "No page-table dump in debugfs maps anything.\n");
		}
	}
	ii_cmd_warnings_since(&s, from); /* what the walk found, after the output it concerns */
	rc = ii_cmd_finish(ctx, &s, rc);
	free(sel.bdfs);
	ii_dbg_free(&d);
	ii_system_free(&s);
	return rc;
}
