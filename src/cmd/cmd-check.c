// SPDX-License-Identifier: MIT
/* check [BDF|GROUP...]: can these devices be given to a VM, and what must be done first */
#include <stdlib.h>
#include <string.h>

#include "cmd-common.h"
#include "render-check.h"

int cmd_check(struct ii_ctx *ctx)
{
	const char **bdfs = xcalloc((size_t)ctx->argc + 1, sizeof(*bdfs));
	const char **ids = xcalloc((size_t)ctx->argc + 1, sizeof(*ids));
	size_t nbdfs = 0, nids = 0;
	struct ii_group_sel gsel;
	struct ii_device_sel dsel;
	struct ii_sel_issue bad;
	struct ii_system s;
	struct ii_check c;
	int rc;

	/* an address has a ':' or a '.'; anything else must be a group number */
	for (int i = 0; i < ctx->argc; i++) {
		if (strpbrk(ctx->argv[i], ":."))
			bdfs[nbdfs++] = ctx->argv[i];
		else
			ids[nids++] = ctx->argv[i];
	}
	memset(&dsel, 0, sizeof(dsel));
	if (ii_group_sel_init(&gsel, ids, nids, NULL, NULL, 0, &bad) ||
	    ii_device_sel_init(&dsel, bdfs, nbdfs, NULL, 0, &bad)) {
		rc = ii_usage_issue("check", &bad);
		goto out;
	}
	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_DETAILS |
				     II_LOAD_NAMES | II_LOAD_PCI_IDS | II_LOAD_LOG | II_LOAD_SYSINFO |
				     II_LOAD_ACPI | II_LOAD_HOST);
	if (nids)
		ii_select_groups(&s, &gsel);
	if (nbdfs)
		ii_select_devices(&s, &dsel);
	ii_check_derive(&s, gsel.groups, gsel.ngroups, dsel.devices, dsel.ndevices, &c);
	out_begin(ctx->out);
	rc = ii_report_issues(ctx, &s, gsel.issues, gsel.nissues);
	rc |= ii_report_issues(ctx, &s, dsel.issues, dsel.nissues);
	render_check(ctx->out, &s, &c);
	/* 0: every device asked for can be given to a VM now */
	if (!rc && (!c.ndevs || c.count[II_VERDICT_NOW] != c.ndevs))
		rc = II_EXIT_ERROR;
	rc = ii_cmd_finish(ctx, &s, rc ? II_EXIT_ERROR : II_EXIT_OK);
	ii_check_free(&c);
	ii_system_free(&s);
out:
	ii_group_sel_free(&gsel);
	ii_device_sel_free(&dsel);
	free(bdfs);
	free(ids);
	return rc;
}
