/* SPDX-License-Identifier: MIT */
/* Helpers shared by the commands (src/cmd-*.c). */
#ifndef II_CMD_COMMON_H
#define II_CMD_COMMON_H

#include "cmd.h"
#include "render.h"
#include "source.h"

/* --class: 0, or II_EXIT_USAGE after printing why. */
int ii_arg_class(struct ii_ctx *ctx, struct ii_class_filter **f, size_t *n);
/* A BDF argument, normalized to "dddd:bb:dd.f": 0, or II_EXIT_USAGE after printing why. */
int ii_arg_bdf(const char *arg, const char *what, struct ii_bdf *b, char out[II_BDF_MAX]);
/* The error for a system without IOMMU groups. */
void ii_err_no_groups(struct ii_ctx *ctx, const struct ii_system *s);

#endif
