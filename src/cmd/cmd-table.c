// SPDX-License-Identifier: MIT
/*
 * The command table, option parsing, dispatch and help. Everything a user can
 * type is declared here once; --help, the hidden `__complete` listing (which
 * the tests compare with the man pages and completion scripts) and option
 * parsing all read the same tables.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "render-columns.h"

const struct ii_opt ii_opts[] = {
	{ OPT_JSON, "json", 'j', NULL, "JSON output: the stable interface for scripts" },
	{ OPT_PRETTY, "pretty", 'p', NULL, "indented JSON (implies --json)" },
	{ OPT_ROOT, "root", 0, "DIR", "read a recorded tree (directory or .tar/.tar.gz/.tar.xz) instead of /" },
	{ OPT_PCI_IDS, "pci-ids", 0, "FILE", "the PCI ID database for vendor and device names" },
	{ OPT_HELP, "help", 'h', NULL, "show this help" },
	{ OPT_VERSION, "version", 'V', NULL, "show the version" },
	{ OPT_CLASS, "class", 0, "LIST", "only devices of these classes (comma-separated)" },
	{ OPT_DEVICE, "device", 0, "BDF", "only the group of this PCI device" },
	{ OPT_COLUMNS, "output", 'o', "COLUMNS", "a table of these columns (comma-separated; +LIST adds to the defaults)" },
	{ OPT_LIST_COLUMNS, "list-columns", 0, NULL, "list the columns -o takes, and exit" },
	{ OPT_TABLE_RAW, "raw", 'r', NULL, "the table unaligned: one space between columns, spaces in a cell as \\x20" },
	{ OPT_NO_KMSG, "no-kmsg", 0, NULL, "leave the kernel log out of the snapshot" },
	{ OPT_NO_DEBUGFS, "no-debugfs", 0, NULL, "leave debugfs out of the snapshot" },
	{ OPT_FORCE, "force", 'f', NULL, "write into OUT even if it exists" },
	{ OPT_ACTIVITY, "activity", 0, "SECS", "also record SECS seconds of activity (counters, interrupts, log) to replay" },
	{ OPT_JOURNAL_BOOTS, "journal-boots", 0, "N", "also record the kernel's journal entries of the last N boots" },
	{ OPT_FILE, "file", 0, "PATH", "decode this table file (acpidump -b) instead of the root's" },
	{ OPT_DOMAIN, "domain", 0, "ID", "the ranges of this domain id (UNIT:ID picks a unit)" },
	{ OPT_RAW, "raw", 0, NULL, "the page-table entries themselves, not ranges" },
	{ OPT_AT, "at", 0, "ADDR", "what this IOVA translates to, and with which rights" },
	{ OPT_REGS, "regs", 0, NULL, "registers, invalidation queue, interrupt table from debugfs" },
	{ OPT_KMSG_FILE, "kmsg-file", 0, "FILE", "read /dev/kmsg records from FILE (- for standard input)" },
	{ OPT_DMESG_FILE, "dmesg-file", 0, "FILE", "read log text (dmesg, journalctl, syslog) from FILE or -" },
	{ OPT_FOLLOW, "follow", 'w', NULL, "keep reading and show new faults as they are logged (like dmesg -w)" },
	{ OPT_SUMMARY, "summary", 's', NULL, "only the summary: faults by device and reason" },
	{ OPT_LIST, "list", 'l', NULL, "every fault, however many" },
	{ OPT_CHECK, "check", 0, NULL, "one line; exit status 1 when there are faults" },
	{ OPT_MAX, "max", 0, "N", "with --check: allow up to N faults" },
	{ OPT_FAULT_DEVICE, "device", 0, "BDF", "only faults of this PCI device" },
	{ OPT_GROUP, "group", 0, "ID", "only faults of devices in this IOMMU group" },
	{ OPT_VENDOR, "vendor", 0, "NAME", "only faults of intel, amd, arm-smmu, arm-smmu-v3 or virtio-iommu" },
	{ OPT_SINCE, "since", 0, "WHEN", "only from WHEN on: seconds after boot, or seq:N" },
	{ OPT_BOOT, "boot", 0, "[N]", "the journal's kernel log of boot N (0 this one, -1 the one before, or an id)" },
	{ OPT_LIST_BOOTS, "list-boots", 0, NULL, "list the boots the journal holds" },
	{ OPT_JOURNAL_DIR, "journal-dir", 0, "DIR", "read the journal files in DIR (copied from another machine)" },
	{ OPT_JOURNAL_FILE, "journal-file", 0, "FILE", "read one journal file, or a journal export" },
	{ OPT_DELAY, "delay", 'd', "SECS", "a sample every SECS seconds (default 1)" },
	{ OPT_ITERATIONS, "iterations", 'n', "N", "stop after N samples" },
	{ OPT_BATCH, "batch", 'b', NULL, "text frames on standard output, no full-screen view" },
	{ OPT_COLOR, "color", 0, "WHEN", "colours in text output: auto (a terminal, no NO_COLOR), always, never" },
	{ OPT_SPEED, "speed", 0, "N", "replay a recording (--root) N times as fast" },
	{ OPT_METRICS_FILE, "output", 'o', "FILE", "write to FILE atomically (a new file renamed over it), for node_exporter's textfile collector" },
	{ OPT_MAX_SERIES, "max-series", 0, "N", "at most N series per family of devices, groups or domains; the rest summed as \"other\" (default 500)" },
	{ OPT_NO_TIMING, "no-timing", 0, NULL, "leave out the scrape duration: the same tree gives the same output" },
	{ OPT_METRICS_NO_DEBUGFS, "no-debugfs", 0, NULL, "do not read the page-table dumps of debugfs (no mapped bytes per domain)" },
	{ OPT_NONE, NULL, 0, NULL, NULL },
};

const enum ii_opt_id ii_global_opts[] = { OPT_JSON, OPT_PRETTY, OPT_ROOT, OPT_PCI_IDS, OPT_COLOR,
					  OPT_HELP, OPT_VERSION, OPT_NONE };

static const enum ii_opt_id no_opts[] = { OPT_NONE };
static const enum ii_opt_id groups_opts[] = { OPT_CLASS, OPT_DEVICE, OPT_COLUMNS, OPT_TABLE_RAW,
					      OPT_LIST_COLUMNS, OPT_NONE };
static const enum ii_opt_id devices_opts[] = { OPT_CLASS, OPT_COLUMNS, OPT_TABLE_RAW,
					       OPT_LIST_COLUMNS, OPT_NONE };
static const enum ii_opt_id snapshot_opts[] = { OPT_NO_KMSG, OPT_NO_DEBUGFS, OPT_FORCE, OPT_ACTIVITY,
						  OPT_JOURNAL_BOOTS, OPT_NONE };
static const enum ii_opt_id acpi_opts[] = { OPT_FILE, OPT_NONE };
static const enum ii_opt_id mappings_opts[] = { OPT_DOMAIN, OPT_RAW, OPT_AT, OPT_NONE };
static const enum ii_opt_id iommus_opts[] = { OPT_REGS, OPT_NONE };
static const enum ii_opt_id faults_opts[] = { OPT_KMSG_FILE, OPT_DMESG_FILE, OPT_FOLLOW,
					      OPT_SUMMARY, OPT_LIST, OPT_CHECK, OPT_MAX,
					      OPT_FAULT_DEVICE, OPT_GROUP, OPT_VENDOR, OPT_SINCE,
					      OPT_BOOT, OPT_LIST_BOOTS, OPT_JOURNAL_DIR, OPT_JOURNAL_FILE,
					      OPT_NONE };
static const enum ii_opt_id metrics_opts[] = { OPT_METRICS_FILE, OPT_MAX_SERIES, OPT_NO_TIMING,
					       OPT_METRICS_NO_DEBUGFS, OPT_NONE };
static const enum ii_opt_id top_opts[] = { OPT_DELAY, OPT_ITERATIONS, OPT_BATCH, OPT_SPEED,
					   OPT_NONE };

static int cmd_help(struct ii_ctx *ctx);
static int cmd_complete(struct ii_ctx *ctx);

const struct ii_cmd ii_cmds[] = {
	{ "status", cmd_status, 0, 0, 0, "",
	  "the effective IOMMU state, with the evidence for each line", no_opts },
	{ "groups", cmd_groups, 0, -1, 0, "[ID...]",
	  "IOMMU groups: type, reserved regions and member devices", groups_opts },
	{ "devices", cmd_devices, 0, -1, 0, "[BDF...]",
	  "PCI devices: group, IOMMU unit, driver, NUMA node, reset methods, names", devices_opts },
	{ "iommus", cmd_iommus, 0, 0, 0, "",
	  "IOMMU units, their devices and decoded capabilities", iommus_opts },
	{ "acpi", cmd_acpi, 0, 1, 0, "[dmar|ivrs|iort|viot]",
	  "the firmware's DMAR, IVRS, IORT and VIOT tables, decoded and matched with the devices",
	  acpi_opts },
	{ "domains", cmd_domains, 0, 0, 0, "",
	  "translation domains from debugfs: devices, page tables, mapped sizes", no_opts },
	{ "mappings", cmd_mappings, 0, -1, 0, "[BDF...]",
	  "the IOVA ranges a device's domain maps, from its page tables in debugfs", mappings_opts },
	{ "faults", cmd_faults, 0, 0, 0, "",
	  "IOMMU faults in the kernel log, decoded and attributed to devices", faults_opts },
	{ "check", cmd_check, 0, -1, 0, "[BDF|GROUP...]",
	  "can a device be given to a VM (VFIO): verdict, companions, steps, why", no_opts },
	{ "top", cmd_top, 0, 0, 0, "",
	  "live view of IOTLB, DMA map/unmap, invalidation and fault activity", top_opts },
	{ "metrics", cmd_metrics, 0, 0, 0, "",
	  "Prometheus metrics (node_exporter textfile format): state, groups, faults, domains",
	  metrics_opts },
	{ "snapshot", cmd_snapshot, 1, 1, 0, "OUT",
	  "record the files iommu-inspect reads into a directory or .tar.gz", snapshot_opts },
	{ "help", cmd_help, 0, 1, 0, "[COMMAND]", "show help for a command", no_opts },
	{ "__complete", cmd_complete, 0, 0, CMD_HIDDEN, "",
	  "list commands and options for shell completion", no_opts },
	{ NULL, NULL, 0, 0, 0, NULL, NULL, NULL },
};

const struct ii_opt *ii_opt_find(enum ii_opt_id id)
{
	for (const struct ii_opt *o = ii_opts; o->long_name; o++)
		if (o->id == id)
			return o;
	return NULL;
}

/* The column table of a list command (-o), or NULL. */
static const struct ii_columns *columns_of(const struct ii_cmd *c)
{
	if (c->fn == cmd_groups)
		return &render_group_columns;
	if (c->fn == cmd_devices)
		return &render_device_columns;
	return NULL;
}

static const struct ii_cmd *find_cmd(const char *name)
{
	for (const struct ii_cmd *c = ii_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* ------------------------------------------------------------------- help */

static void print_opts(FILE *f, const enum ii_opt_id *ids)
{
	for (; *ids != OPT_NONE; ids++) {
		const struct ii_opt *o = ii_opt_find(*ids);
		bool optional = o->arg && o->arg[0] == '[';
		char left[48];

		snprintf(left, sizeof(left), "%c%c%c --%s%s%.*s%s", o->short_name ? '-' : ' ',
			 o->short_name ? o->short_name : ' ', o->short_name ? ',' : ' ', o->long_name,
			 optional ? "[=" : o->arg ? " " : "",
			 optional ? (int)strlen(o->arg) - 2 : o->arg ? (int)strlen(o->arg) : 0,
			 optional ? o->arg + 1 : o->arg ? o->arg : "", optional ? "]" : "");
		fprintf(f, "  %-22s %s\n", left, o->help);
	}
}

static void usage_main(FILE *f)
{
	fputs("Usage: iommu-inspect [OPTIONS] COMMAND [ARGS]\n\n"
	      "Show what the IOMMU is doing: its state, groups, devices and units.\n\n"
	      "Commands:\n", f);
	for (const struct ii_cmd *c = ii_cmds; c->name; c++) {
		char left[40];

		if (c->flags & CMD_HIDDEN)
			continue;
		snprintf(left, sizeof(left), "%s %s", c->name, c->args);
		/* a usage wider than the column gets a line of its own: the summaries stay aligned */
		if (strlen(left) > 22)
			fprintf(f, "  %s\n  %-22s %s\n", left, "", c->summary);
		else
			fprintf(f, "  %-22s %s\n", left, c->summary);
	}
	fputs("\nOptions:\n", f);
	print_opts(f, ii_global_opts);
	fputs("\nExit status: 0 success, 1 runtime error, 2 usage error.\n"
	      "Run 'iommu-inspect COMMAND --help' for a command's options; see iommu-inspect(8).\n", f);
}

static void usage_cmd(FILE *f, const struct ii_cmd *c)
{
	fprintf(f, "Usage: iommu-inspect %s [OPTIONS]%s%s\n\n%c%s.\n", c->name, *c->args ? " " : "",
		c->args, toupper((unsigned char)c->summary[0]), c->summary + 1);
	if (c->opts[0] != OPT_NONE) {
		fputs("\nOptions:\n", f);
		print_opts(f, c->opts);
	}
	if (c->opts == groups_opts || c->opts == devices_opts) {
		fputs("\nClasses for --class: ", f);
		for (const char *const *n = ii_class_names; *n; n++)
			fprintf(f, "%s%s", n == ii_class_names ? "" : ", ", *n);
		fputs(", or a class code in hex (0x02, 0x0c03).\n", f);
	}
	if (columns_of(c)) {
		const struct ii_columns *t = columns_of(c);

		fputs("\nColumns for -o (--list-columns says what each holds): ", f);
		for (size_t i = 0; i < t->n; i++)
			fprintf(f, "%s%s", i ? ", " : "", t->cols[i].name);
		fprintf(f, ".\n--raw alone: %s.\n", t->defaults);
	}
	fputs("\nGlobal options:\n", f);
	print_opts(f, ii_global_opts);
	if (c->fn == cmd_help)
		fputs("\nSee iommu-inspect(8).\n", f);
	else
		fprintf(f, "\nSee iommu-inspect-%s(8).\n", c->name);
}

static int cmd_help(struct ii_ctx *ctx)
{
	const struct ii_cmd *c;

	if (ctx->argc == 0) {
		usage_main(stdout);
		return II_EXIT_OK;
	}
	c = find_cmd(ctx->argv[0]);
	if (!c || (c->flags & CMD_HIDDEN)) {
		fprintf(stderr, "iommu-inspect: unknown command '%s'; run 'iommu-inspect --help'\n",
			ctx->argv[0]);
		return II_EXIT_USAGE;
	}
	usage_cmd(stdout, c);
	return II_EXIT_OK;
}

/* Machine-readable listing for completion scripts and the documentation tests. */
static void complete_opts(const enum ii_opt_id *ids)
{
	for (; *ids != OPT_NONE; ids++) {
		const struct ii_opt *o = ii_opt_find(*ids);
		printf(" --%s%s", o->long_name, o->arg ? "=" : "");
		if (o->short_name)
			printf(" -%c", o->short_name);
	}
	putchar('\n');
}

static int cmd_complete(struct ii_ctx *ctx)
{
	(void)ctx;
	fputs("commands:", stdout);
	for (const struct ii_cmd *c = ii_cmds; c->name; c++)
		if (!(c->flags & CMD_HIDDEN))
			printf(" %s", c->name);
	fputs("\nglobal:", stdout);
	complete_opts(ii_global_opts);
	for (const struct ii_cmd *c = ii_cmds; c->name; c++) {
		if (c->flags & CMD_HIDDEN)
			continue;
		printf("%s:", c->name);
		complete_opts(c->opts);
	}
	fputs("classes:", stdout);
	for (const char *const *n = ii_class_names; *n; n++)
		printf(" %s", *n);
	putchar('\n');
	for (const struct ii_cmd *c = ii_cmds; c->name; c++) {
		const struct ii_columns *t = columns_of(c);

		if (!t)
			continue;
		printf("columns-%s:", c->name);
		for (size_t i = 0; i < t->n; i++)
			printf(" %s", t->cols[i].name);
		putchar('\n');
	}
	return II_EXIT_OK;
}

/* ---------------------------------------------------------------- parsing */

static void add_getopt(struct option *lo, size_t *n, struct strbuf *shorts, enum ii_opt_id id)
{
	const struct ii_opt *o = ii_opt_find(id);

	lo[*n] = (struct option){ o->long_name,
				  !o->arg ? no_argument : o->arg[0] == '[' ? optional_argument :
							  required_argument,
				  NULL, (int)(1000 + id) };
	(*n)++;
	if (o->short_name) {
		char s[3] = { o->short_name, o->arg ? ':' : '\0', '\0' };
		sb_adds(shorts, s);
	}
}

/* The option of the sets being parsed with this short name (-o is --output of groups and of
 * metrics, each its own). */
static enum ii_opt_id id_of_short(int c, const enum ii_opt_id *sets[])
{
	for (size_t s = 0; sets[s]; s++)
		for (const enum ii_opt_id *id = sets[s]; *id != OPT_NONE; id++)
			if (ii_opt_find(*id)->short_name == c)
				return *id;
	return OPT_NONE;
}

/*
 * The word after an option whose value is optional, when it is that value:
 * a number ("-1", "2") or a boot id. Anything else is the next argument.
 */
static bool optional_value(enum ii_opt_id id, const char *next)
{
	const struct ii_opt *o = ii_opt_find(id);
	size_t n;

	if (!o || !o->arg || o->arg[0] != '[' || !next)
		return false;
	n = strlen(next);
	if (next[0] == '-' && next[1] >= '0' && next[1] <= '9')
		return strspn(next + 1, "0123456789") == n - 1;
	if (next[0] >= '0' && next[0] <= '9' && strspn(next, "0123456789") == n)
		return true;
	return n >= 32 && strspn(next, "0123456789abcdefABCDEF-") == n;
}

/*
 * Parse options from argv[*ind...] with the given option set. In "global"
 * mode parsing stops at the first non-option (the command). Returns 0, or 2
 * after printing a usage error.
 */
static int parse(struct ii_ctx *ctx, int argc, char **argv, const enum ii_opt_id *sets[],
		 bool stop_at_command, const char *cmdname)
{
	struct option lo[OPT_COUNT + 1];
	struct strbuf shorts = { 0 };
	size_t n = 0;
	int c;

	sb_adds(&shorts, stop_at_command ? "+:" : ":");
	for (size_t s = 0; sets[s]; s++)
		for (const enum ii_opt_id *id = sets[s]; *id != OPT_NONE; id++)
			add_getopt(lo, &n, &shorts, *id);
	lo[n] = (struct option){ 0 };
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts.buf, lo, NULL)) != -1) {
		enum ii_opt_id id;

		if (c == '?' || c == ':') {
			const struct ii_opt *o = optopt >= 1000 ? ii_opt_find((enum ii_opt_id)(optopt - 1000)) : NULL;

			if (c == ':' && o)
				fprintf(stderr, "iommu-inspect: option --%s needs an argument (%s)\n",
					o->long_name, o->arg);
			else if (c == ':')
				fprintf(stderr, "iommu-inspect: option -%c needs an argument\n", optopt);
			else if (optopt && optopt < 1000)
				fprintf(stderr, "iommu-inspect: unknown option -%c%s%s\n", optopt,
					cmdname ? " for " : "", cmdname ? cmdname : "");
			else
				fprintf(stderr, "iommu-inspect: unknown option '%s'%s%s\n", argv[optind - 1],
					cmdname ? " for " : "", cmdname ? cmdname : "");
			fprintf(stderr, "Run 'iommu-inspect %s%s--help' for usage.\n",
				cmdname ? cmdname : "", cmdname ? " " : "");
			sb_free(&shorts);
			return II_EXIT_USAGE;
		}
		id = c >= 1000 ? (enum ii_opt_id)(c - 1000) : id_of_short(c, sets);
		ctx->opt[id] = optarg ? optarg : "";
		if (!optarg && optional_value(id, optind < argc ? argv[optind] : NULL))
			ctx->opt[id] = argv[optind++]; /* "--boot -1", as journalctl -b -1 */
		if (id == OPT_PRETTY)
			ctx->opt[OPT_JSON] = "";
	}
	sb_free(&shorts);
	ctx->argc = argc - optind;
	ctx->argv = argv + optind;
	return 0;
}

/* ------------------------------------------------------------- dispatcher */

void ii_cmd_load(struct ii_ctx *ctx, struct ii_system *s, unsigned what)
{
	ii_system_load(s, ctx->root, what, &ctx->load);
	ii_root_warn_refused(ctx->root, &s->diags);
	ii_warn_print(&s->diags, 0);
}

int ii_cmd_finish(struct ii_ctx *ctx, struct ii_system *s, int code)
{
	if (s) {
		size_t from = s->diags.warnings.n;

		ii_root_warn_refused(ctx->root, &s->diags); /* what was read after the load */
		ii_warn_print(&s->diags, from);
	}
	out_end(ctx->out, s ? &s->diags : NULL);
	return code;
}

int ii_main(int argc, char **argv)
{
	struct ii_ctx ctx = { 0 };
	const enum ii_opt_id *global[] = { ii_global_opts, NULL };
	const struct ii_cmd *cmd;
	char *err = NULL;
	int rc, werr;

	rc = parse(&ctx, argc, argv, global, true, NULL);
	if (rc)
		return rc;
	if (ctx.opt[OPT_VERSION]) {
		printf("iommu-inspect %s (JSON schema_version %d)\n", II_VERSION, II_SCHEMA_VERSION);
		return II_EXIT_OK;
	}
	if (ctx.argc == 0) {
		usage_main(ctx.opt[OPT_HELP] ? stdout : stderr);
		return ctx.opt[OPT_HELP] ? II_EXIT_OK : II_EXIT_USAGE;
	}
	cmd = find_cmd(ctx.argv[0]);
	if (!cmd) {
		fprintf(stderr, "iommu-inspect: unknown command '%s'; run 'iommu-inspect --help'\n",
			ctx.argv[0]);
		return II_EXIT_USAGE;
	}
	if (ctx.opt[OPT_HELP]) {
		usage_cmd(stdout, cmd);
		return II_EXIT_OK;
	}
	{
		const enum ii_opt_id *sets[] = { ii_global_opts, cmd->opts, NULL };
		int sub_argc = ctx.argc;
		char **sub_argv = ctx.argv;

		rc = parse(&ctx, sub_argc, sub_argv, sets, false, cmd->name);
		if (rc)
			return rc;
	}
	if (ctx.opt[OPT_HELP]) {
		usage_cmd(stdout, cmd);
		return II_EXIT_OK;
	}
	if (ctx.argc < cmd->min_args || (cmd->max_args >= 0 && ctx.argc > cmd->max_args)) {
		if (*cmd->args)
			fprintf(stderr, "iommu-inspect: %s: wrong number of arguments\n"
				"Usage: iommu-inspect %s [OPTIONS] %s\n", cmd->name, cmd->name, cmd->args);
		else
			fprintf(stderr, "iommu-inspect: %s takes no arguments\n", cmd->name);
		fprintf(stderr, "Run 'iommu-inspect %s --help' for usage.\n", cmd->name);
		return II_EXIT_USAGE;
	}
	if (cmd->fn == cmd_help || cmd->fn == cmd_complete)
		return cmd->fn(&ctx);
	/* --color: one parser for every command (top's full-screen view reads ctx.color too) */
	if (ctx.opt[OPT_COLOR] && ii_color_parse(ctx.opt[OPT_COLOR], &ctx.color) < 0) {
		fprintf(stderr, "iommu-inspect: --color '%s' is not one of auto, always, never\n"
			"Run 'iommu-inspect %s --help' for usage.\n", ctx.opt[OPT_COLOR], cmd->name);
		return II_EXIT_USAGE;
	}
	if (ctx.opt[OPT_PCI_IDS]) {
		struct stat st;
		/* libpci reads a directory as an empty file and reports "I/O error at DIR, line 0" */
		int e = stat(ctx.opt[OPT_PCI_IDS], &st) < 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR :
			access(ctx.opt[OPT_PCI_IDS], R_OK) < 0 ? errno : 0;
		if (e) {
			fprintf(stderr, "iommu-inspect: --pci-ids %s: %s; give the pci.ids file\n",
				ctx.opt[OPT_PCI_IDS], strerror(e));
			return II_EXIT_USAGE;
		}
	}
	ctx.load.pci_ids = ctx.opt[OPT_PCI_IDS];
	ctx.out = out_new(stdout, ctx.opt[OPT_JSON] ? II_FMT_JSON : II_FMT_TEXT, ctx.opt[OPT_PRETTY] != NULL);
	out_set_color(ctx.out, !ctx.opt[OPT_JSON] && ii_color_wanted(ctx.color, STDOUT_FILENO));
	ctx.root = ii_root_open(ctx.opt[OPT_ROOT], &err);
	if (!ctx.root) {
		out_begin(ctx.out);
		out_error(ctx.out, "%s", err);
		out_end(ctx.out, NULL);
		out_free(ctx.out);
		free(err);
		return II_EXIT_ERROR;
	}
	if (ii_root_note(ctx.root)) /* an unfinished snapshot, say */
		out_warn(ctx.out, ii_root_note(ctx.root));
	rc = cmd->fn(&ctx);
	ii_root_close(ctx.root);
	werr = out_free(ctx.out);
	if (werr < 0 && rc == II_EXIT_OK) {
		fprintf(stderr, "iommu-inspect: error: writing the output: %s\n", strerror(-werr));
		rc = II_EXIT_ERROR;
	}
	return rc;
}
