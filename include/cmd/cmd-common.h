/* SPDX-License-Identifier: MIT */
/* Helpers shared by the commands (src/cmd-*.c). */
#ifndef II_CMD_COMMON_H
#define II_CMD_COMMON_H

#include "cmd.h"
#include "render.h"
#include "render-columns.h"
#include "source.h"

/* --class: 0, or II_EXIT_USAGE after printing why. */
int ii_arg_class(struct ii_ctx *ctx, struct ii_class_filter **f, size_t *n);
/*
 * -o COLUMNS, --raw and --list-columns of a list command: *table is set when
 * the rows are to be a table of sel's columns (-o or --raw); *listed when
 * --list-columns printed the columns (the command is done). 0, or
 * II_EXIT_USAGE after printing why.
 */
int ii_arg_columns(struct ii_ctx *ctx, const struct ii_columns *t, struct ii_colsel *sel,
		   bool *table, bool *listed);
/* A BDF argument, normalized to "dddd:bb:dd.f": 0, or II_EXIT_USAGE after printing why. */
int ii_arg_bdf(const char *arg, const char *what, struct ii_bdf *b, char out[II_BDF_MAX]);
/* A usage issue of a selection (before loading), on stderr: II_EXIT_USAGE. */
int ii_usage_issue(const char *cmd, const struct ii_sel_issue *is);
/* The runtime issues of a selection as errors: II_EXIT_ERROR if there is one, else 0. */
int ii_report_issues(struct ii_ctx *ctx, const struct ii_system *s, const struct ii_sel_issue *is,
		     size_t n);
/*
 * Print on stderr the warnings the model added since the first `from` (ii_cmd_load printed
 * the ones before): what a walk that streams the output found, after the output it concerns.
 */
void ii_cmd_warnings_since(const struct ii_system *s, size_t from);
/* The error for a system without IOMMU groups. */
void ii_err_no_groups(struct ii_ctx *ctx, const struct ii_system *s);

#endif
