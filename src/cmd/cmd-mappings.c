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

#include "cmd-common.h"
#include "render-dbg.h"

/* --domain ID or UNIT:ID; ID in decimal or 0x hex. */
static int parse_domain(const char *arg, struct ii_map_sel *sel)
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

int cmd_mappings(struct ii_ctx *ctx)
{
	struct ii_map_sel sel = { 0 };
	bool raw = ctx->opt[OPT_RAW] != NULL, at = ctx->opt[OPT_AT] != NULL;
	char (*bdfs)[II_BDF_MAX];
	struct ii_system s;
	enum ii_dbg_why why;
	uint64_t iova = 0;
	size_t from;
	int rc = II_EXIT_OK;

	if (raw && at) {
		fprintf(stderr, "iommu-inspect: mappings: --raw and --at exclude each other\n");
		return II_EXIT_USAGE;
	}
	if (ctx->opt[OPT_DOMAIN] && ctx->argc) {
		fprintf(stderr, "iommu-inspect: mappings: give either PCI addresses or --domain, not "
			"both\n");
		return II_EXIT_USAGE;
	}
	if ((ctx->opt[OPT_DOMAIN] && (rc = parse_domain(ctx->opt[OPT_DOMAIN], &sel))) ||
	    (at && (rc = parse_at(ctx->opt[OPT_AT], &iova))))
		return rc;
	bdfs = xcalloc((size_t)ctx->argc + 1, sizeof(*bdfs));
	for (int i = 0; i < ctx->argc; i++) {
		struct ii_bdf b;

		if ((rc = ii_arg_bdf(ctx->argv[i], "mappings", &b, bdfs[i]))) {
			free(bdfs);
			return rc;
		}
	}
	sel.bdfs = (const char (*)[II_BDF_MAX])bdfs;
	sel.nbdfs = (size_t)ctx->argc;

	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_LOG |
				     II_LOAD_SYSINFO | II_LOAD_DBG_DOMAINS);
	from = s.diags.warnings.n;
	out_begin(ctx->out);
	render_dbg_state(ctx->out, &s);
	why = ii_mappings_unavailable(&s);
	if (why != II_WHY_NONE) {
		render_mappings_unavailable(ctx->out, &s, at ? "lookups" : raw ? "ptes" : "mappings", why);
		rc = II_EXIT_ERROR;
	} else if (at) {
		struct ii_map_lookups l;

		ii_mappings_lookup(&s, &sel, iova, &l);
		render_lookups(ctx->out, &l);
		render_mappings_empty(ctx->out, l.empty, ctx->opt[OPT_DOMAIN]);
		rc = l.errors || l.empty == II_WHY_NO_SUCH_DOMAIN ? II_EXIT_ERROR : II_EXIT_OK;
		ii_map_lookups_free(&l);
	} else {
		struct render_map rm;
		struct ii_map_result res;

		render_mappings_begin(&rm, ctx->out, &s, raw);
		ii_mappings_visit(&s, &sel, raw, &rm.visit, &res);
		render_mappings_end(&rm);
		render_mappings_empty(ctx->out, res.empty, ctx->opt[OPT_DOMAIN]);
		rc = res.errors || res.empty == II_WHY_NO_SUCH_DOMAIN ? II_EXIT_ERROR : II_EXIT_OK;
	}
	ii_cmd_warnings_since(&s, from); /* what the walk found, after the output it concerns */
	rc = ii_cmd_finish(ctx, &s, rc);
	free(bdfs);
	ii_system_free(&s);
	return rc;
}
