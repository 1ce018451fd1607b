// SPDX-License-Identifier: MIT
/* devices [BDF...] [--class LIST] [-o COLUMNS] [--raw] [--list-columns] */
#include <stdlib.h>

#include "cmd-common.h"

int cmd_devices(struct ii_ctx *ctx)
{
	struct ii_class_filter *cf;
	struct ii_device_sel sel;
	struct ii_sel_issue bad;
	struct ii_system s;
	struct ii_colsel cols;
	bool table, listed;
	size_t ncf;
	int rc;

	if ((rc = ii_arg_columns(ctx, &render_device_columns, &cols, &table, &listed)) || listed)
		return rc;
	if ((rc = ii_arg_class(ctx, &cf, &ncf))) {
		render_colsel_free(&cols);
		return rc;
	}
	if (ii_device_sel_init(&sel, (const char *const *)ctx->argv, (size_t)ctx->argc, cf, ncf,
			       &bad)) {
		rc = ii_usage_issue("devices", &bad);
		goto out;
	}
	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_DETAILS |
				     II_LOAD_NAMES | II_LOAD_PCI_IDS | II_LOAD_SYSINFO | II_LOAD_ACPI |
				     II_LOAD_RMRR_WARN);
	ii_select_devices(&s, &sel);
	out_begin(ctx->out);
	rc = ii_report_issues(ctx, &s, sel.issues, sel.nissues);
	if (table)
		render_devices_table(ctx->out, &s, sel.devices, sel.ndevices, &cols);
	else
		render_devices(ctx->out, &s, sel.devices, sel.ndevices);
	rc = ii_cmd_finish(ctx, &s, rc);
	ii_system_free(&s);
out:
	ii_device_sel_free(&sel);
	render_colsel_free(&cols);
	free(cf);
	return rc;
}
