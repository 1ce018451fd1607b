/* SPDX-License-Identifier: MIT */
/*
 * Commands: one table declares every command, its arguments, options and
 * summary. The dispatcher enforces arity, parses options once and builds
 * --help, the man-page check and the completion check from the same table.
 */
#ifndef II_CMD_H
#define II_CMD_H

#include "model.h"
#include "output.h"
#include "root.h"

/* Every option a user can type; the value is stored in ctx->opt[id]. */
enum ii_opt_id {
	OPT_NONE = 0,
	/* global */
	OPT_ROOT, OPT_JSON, OPT_PRETTY, OPT_PCI_IDS, OPT_HELP, OPT_VERSION, OPT_COLOR,
	/* groups, devices */
	OPT_CLASS, OPT_DEVICE, OPT_COLUMNS, OPT_LIST_COLUMNS, OPT_TABLE_RAW,
	/* snapshot */
	OPT_NO_KMSG, OPT_NO_DEBUGFS, OPT_FORCE, OPT_ACTIVITY, OPT_JOURNAL_BOOTS,
	/* acpi */
	OPT_FILE,
	/* domains, mappings; iommus --regs */
	OPT_DOMAIN, OPT_RAW, OPT_AT, OPT_REGS,
	/* faults */
	OPT_KMSG_FILE, OPT_DMESG_FILE, OPT_FOLLOW, OPT_SUMMARY, OPT_LIST, OPT_CHECK, OPT_MAX,
	OPT_FAULT_DEVICE, OPT_GROUP, OPT_VENDOR, OPT_SINCE,
	OPT_BOOT, OPT_LIST_BOOTS, OPT_JOURNAL_DIR, OPT_JOURNAL_FILE,
	/* top */
	OPT_DELAY, OPT_ITERATIONS, OPT_BATCH, OPT_SPEED,
	/* metrics */
	OPT_METRICS_FILE, OPT_MAX_SERIES, OPT_NO_TIMING, OPT_METRICS_NO_DEBUGFS,
	OPT_COUNT
};

struct ii_opt {
	enum ii_opt_id id;
	const char *long_name;
	char short_name;   /* 0: none */
	const char *arg;   /* NULL: a flag; "[N]": an optional value (--boot, --boot=N, --boot -1) */
	const char *help;
};

struct ii_ctx {
	struct ii_root *root;
	struct ii_out *out;
	struct ii_load_opts load;
	const char *opt[OPT_COUNT]; /* option values; flags are "" when given */
	enum ii_color_when color;   /* --color, parsed (II_COLOR_AUTO when not given) */
	int argc;                   /* positional arguments after the command */
	char **argv;
};

/* ii_cmd.flags */
enum {
	CMD_HIDDEN = 1 << 0, /* not listed in --help */
};

struct ii_cmd {
	const char *name;
	int (*fn)(struct ii_ctx *ctx);
	int min_args, max_args; /* max -1: unlimited */
	unsigned flags;
	const char *args;       /* synopsis of the positional arguments */
	const char *summary;
	const enum ii_opt_id *opts; /* the command's own options, OPT_NONE-terminated */
};

extern const struct ii_cmd ii_cmds[];
extern const struct ii_opt ii_opts[];
extern const enum ii_opt_id ii_global_opts[];
const struct ii_opt *ii_opt_find(enum ii_opt_id id);

int ii_main(int argc, char **argv);

/* Command entry points (src/cmd-*.c). */
int cmd_status(struct ii_ctx *ctx);
int cmd_groups(struct ii_ctx *ctx);
int cmd_devices(struct ii_ctx *ctx);
int cmd_iommus(struct ii_ctx *ctx);
int cmd_snapshot(struct ii_ctx *ctx);
int cmd_acpi(struct ii_ctx *ctx);
int cmd_domains(struct ii_ctx *ctx);
int cmd_mappings(struct ii_ctx *ctx);
int cmd_faults(struct ii_ctx *ctx);
int cmd_top(struct ii_ctx *ctx);
int cmd_check(struct ii_ctx *ctx);
int cmd_metrics(struct ii_ctx *ctx);

/* Shared by commands: load the model, printing its warnings on stderr. */
void ii_cmd_load(struct ii_ctx *ctx, struct ii_system *s, unsigned what);
/* End a command: close the JSON document (with warnings) and pick the exit code. */
int ii_cmd_finish(struct ii_ctx *ctx, struct ii_system *s, int code);

#endif
