// SPDX-License-Identifier: MIT
/* domains: the translation domains debugfs reveals, with their devices and what they map. */
#include "cmd-common.h"
#include "render-dbg.h"

int cmd_domains(struct ii_ctx *ctx)
{
	struct ii_system s;
	int rc = II_EXIT_OK;

	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_LOG |
				     II_LOAD_SYSINFO | II_LOAD_DBG_WALK);
	out_begin(ctx->out);
	render_dbg_state(ctx->out, &s);
	render_domains(ctx->out, &s);
	if (s.dbg->fs.state != II_DBG_OK) {
		out_error(ctx->out, "%s", s.dbg->fs.why);
		rc = II_EXIT_ERROR;
	} else if (!s.dbg->ndomains) {
		out_text(ctx->out, "No translation domain in debugfs.\n");
	}
	rc = ii_cmd_finish(ctx, &s, rc);
	ii_system_free(&s);
	return rc;
}
