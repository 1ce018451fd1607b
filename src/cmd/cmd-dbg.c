// SPDX-License-Identifier: MIT
/* Helpers of the commands that read debugfs. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd-dbg.h"

void ii_cmd_warnings_since(struct ii_system *s, size_t from)
{
	ii_warn_print(&s->diags, from);
}

void ii_cmd_load_regs(struct ii_ctx *ctx, struct ii_system *s, struct ii_dbg_regs *r)
{
	size_t from = s->diags.warnings.n;

	(void)ctx;
	ii_dbg_regs_load(s, r);
	if (r->fs.state != II_DBG_OK && s->nunits)
		ii_warn(&s->diags, "--regs: %s", r->fs.why);
	s->dbg_regs = r;
	ii_cmd_warnings_since(s, from);
}
