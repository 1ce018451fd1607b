// SPDX-License-Identifier: MIT
/* snapshot OUT: placeholder until the writer lands. */
#include "cmd-common.h"

int cmd_snapshot(struct ii_ctx *ctx)
{
	(void)ctx;
	return II_EXIT_ERROR;
}
