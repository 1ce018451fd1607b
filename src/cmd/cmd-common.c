// SPDX-License-Identifier: MIT
/* Helpers shared by the commands: argument checks and the standard errors. */
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "cmd-common.h"

int ii_arg_class(struct ii_ctx *ctx, struct ii_class_filter **f, size_t *n)
{
	char *bad;

	*f = NULL;
	*n = 0;
	if (!ctx->opt[OPT_CLASS])
		return 0;
	if (ii_class_filter_parse(ctx->opt[OPT_CLASS], f, n, &bad) == 0 && *n)
		return 0;
	fprintf(stderr, "iommu-inspect: --class: unknown class '%s'; use one of", bad ? bad : "");
	for (const char *const *c = ii_class_names; *c; c++)
		fprintf(stderr, "%s %s", c == ii_class_names ? "" : ",", *c);
	fputs(", or a hex class code such as 0x0c03\n", stderr);
	free(bad);
	free(*f);
	*f = NULL;
	return II_EXIT_USAGE;
}

int ii_arg_columns(struct ii_ctx *ctx, const struct ii_columns *t, struct ii_colsel *sel,
		   bool *table, bool *listed)
{
	const char *list = ctx->opt[OPT_COLUMNS];
	bool raw = ctx->opt[OPT_TABLE_RAW] != NULL;
	char *bad;

	*table = *listed = false;
	memset(sel, 0, sizeof(*sel));
	if (ctx->opt[OPT_LIST_COLUMNS]) {
		out_begin(ctx->out);
		render_columns_list(ctx->out, t);
		out_end(ctx->out, NULL);
		*listed = true;
		return 0;
	}
	if (!list && !raw)
		return 0;
	if (raw && ctx->opt[OPT_JSON]) {
		fprintf(stderr, "iommu-inspect: %s: --raw is a text layout; it does not go with --json\n"
			"Run 'iommu-inspect %s --help' for usage.\n", t->cmd, t->cmd);
		return II_EXIT_USAGE;
	}
	if (render_colsel_parse(sel, t, list, raw, &bad) < 0) {
		fprintf(stderr, "iommu-inspect: %s: -o: no column '%s'; 'iommu-inspect %s "
			"--list-columns' lists them\n", t->cmd, bad ? bad : "", t->cmd);
		free(bad);
		return II_EXIT_USAGE;
	}
	*table = true;
	return 0;
}

int ii_arg_bdf(const char *arg, const char *what, struct ii_bdf *b, char out[II_BDF_MAX])
{
	if (ii_parse_bdf(arg, b) == 0) {
		ii_format_bdf(b, out);
		return 0;
	}
	fprintf(stderr, "iommu-inspect: %s: '%s' is not a PCI address; write it as 0000:00:02.0 or "
		"00:02.0\n", what, arg);
	return II_EXIT_USAGE;
}

int ii_usage_issue(const char *cmd, const struct ii_sel_issue *is)
{
	char *msg = render_sel_issue(NULL, is);

	fprintf(stderr, "iommu-inspect: %s: %s\n", is->option ? is->option : cmd, msg);
	free(msg);
	return II_EXIT_USAGE;
}

int ii_report_issues(struct ii_ctx *ctx, const struct ii_system *s, const struct ii_sel_issue *is,
		     size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *msg = render_sel_issue(s, &is[i]);
		out_error(ctx->out, "%s", msg);
		free(msg);
	}
	return n ? II_EXIT_ERROR : II_EXIT_OK;
}

void ii_cmd_warnings_since(const struct ii_system *s, size_t from)
{
	fflush(stdout);
	for (size_t i = from; i < s->diags.warnings.n; i++)
		fprintf(stderr, "iommu-inspect: warning: %s\n", s->diags.warnings.v[i]);
}
