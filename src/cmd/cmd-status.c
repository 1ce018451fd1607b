// SPDX-License-Identifier: MIT
/* status: the effective state with its evidence. */
#include "cmd-common.h"

int cmd_status(struct ii_ctx *ctx)
{
	struct ii_system s;
	struct ii_status st;
	int rc;

	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_LOG |
				     II_LOAD_SYSINFO | II_LOAD_ACPI);
	ii_status_derive(&s, &st);
	out_begin(ctx->out);
	render_status(ctx->out, &s, &st);
	rc = ii_cmd_finish(ctx, &s, II_EXIT_OK);
	ii_status_free(&st);
	ii_system_free(&s);
	return rc;
}
