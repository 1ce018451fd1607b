// SPDX-License-Identifier: MIT
/* groups [ID...] [--class LIST] [--device BDF] [-o COLUMNS] [--raw] [--list-columns] */
#include <stdlib.h>

#include "cmd-common.h"

int cmd_groups(struct ii_ctx *ctx)
{
	struct ii_class_filter *cf;
	struct ii_group_sel sel;
	struct ii_sel_issue bad;
	struct ii_system s;
	struct ii_colsel cols;
	bool table, listed;
	size_t ncf;
	int rc;

	if ((rc = ii_arg_columns(ctx, &render_group_columns, &cols, &table, &listed)) || listed)
		return rc;
	if ((rc = ii_arg_class(ctx, &cf, &ncf))) {
		render_colsel_free(&cols);
		return rc;
	}
	if (ii_group_sel_init(&sel, (const char *const *)ctx->argv, (size_t)ctx->argc,
			      ctx->opt[OPT_DEVICE], cf, ncf, &bad)) {
		rc = ii_usage_issue("groups", &bad);
		goto out;
	}
	ii_cmd_load(ctx, &s, II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_PCI_IDS | II_LOAD_ACPI |
				     II_LOAD_RMRR_WARN);
	ii_select_groups(&s, &sel);
	out_begin(ctx->out);
	rc = ii_report_issues(ctx, &s, sel.issues, sel.nissues);
	if (table)
		render_groups_table(ctx->out, &s, sel.groups, sel.ngroups, &cols);
	else
		render_groups(ctx->out, &s, sel.groups, sel.ngroups);
	if (sel.no_class_match && !table)
		out_text(ctx->out, "No IOMMU group has a device of class %s.\n", ctx->opt[OPT_CLASS]);
	rc = ii_cmd_finish(ctx, &s, rc);
	ii_system_free(&s);
out:
	ii_group_sel_free(&sel);
	render_colsel_free(&cols);
	free(cf);
	return rc;
}
