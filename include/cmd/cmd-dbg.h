/* SPDX-License-Identifier: MIT */
/* Helpers of the commands that read debugfs (domains, mappings, iommus --regs). */
#ifndef II_CMD_DBG_H
#define II_CMD_DBG_H

#include "cmd-common.h"
#include "dbgregs.h"
#include "domains.h"
#include "render-dbg.h"

/* Print on stderr the warnings added since the first `from` (ii_cmd_load printed those). */
void ii_cmd_warnings_since(struct ii_system *s, size_t from);
/* iommus --regs: read the units' registers from debugfs into r and point s at them. */
void ii_cmd_load_regs(struct ii_ctx *ctx, struct ii_system *s, struct ii_dbg_regs *r);

#endif
