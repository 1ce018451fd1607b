// SPDX-License-Identifier: MIT
/*
 * faults [--kmsg-file FILE | --dmesg-file FILE] [--follow | --summary | --list | --check [--max N]]
 *        [--device BDF] [--group ID] [--vendor NAME] [--since WHEN]
 * faults --boot[=N] [--journal-dir DIR | --journal-file FILE] [...]; faults --list-boots
 *
 * Options to a fault run (include/model/fault-run.h), which reads the log and
 * decodes, attributes, filters and counts its faults; its items go to the
 * list renderer as they come, and its summary, log and verdict to the others
 * (include/render/render-faults.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-common.h"
#include "fault-run.h"
#include "jrun.h"
#include "render-faults.h"
#include "render-journal.h"

#define KEEP_MAX 1000 /* JSON: unparsed lines and drops kept for the document */

enum mode { M_AUTO, M_LIST, M_SUMMARY, M_CHECK, M_FOLLOW };

struct fcmd {
	struct ii_ctx *ctx;
	struct ii_system sys;
	struct ii_frun_opts opt;
	struct ii_frun run;
	struct ii_fault_view view;
	struct ii_flist list;
	enum mode mode;
	bool json;
	uint64_t max;
	/* the journal (--boot, --list-boots, --journal-dir, --journal-file) */
	bool journal;
	struct ii_boot_sel sel;
	struct ii_jrun jr;
	size_t jwarned;            /* the journal's warnings printed so far */
};

static volatile sig_atomic_t stop_flag, reopen_flag;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reopen_flag = 1;
	else
		stop_flag = 1;
}

/* ------------------------------------------------------------- arguments */

static int usage_err(const char *fmt, ...) ii_printf_like(1, 2);
static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("iommu-inspect: faults: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nRun 'iommu-inspect faults --help' for usage.\n", stderr);
	return II_EXIT_USAGE;
}

static int parse_args(struct ii_ctx *ctx, struct fcmd *c)
{
	const char *const *opt = ctx->opt;
	struct ii_fault_filter *flt = &c->opt.filter;
	int modes = !!opt[OPT_FOLLOW] + !!opt[OPT_SUMMARY] + !!opt[OPT_LIST] +
		    !!(opt[OPT_CHECK] || opt[OPT_MAX]);
	char want[II_BDF_MAX];

	if (opt[OPT_KMSG_FILE] && opt[OPT_DMESG_FILE])
		return usage_err("%s", "--kmsg-file and --dmesg-file cannot be given together");
	c->journal = opt[OPT_BOOT] || opt[OPT_LIST_BOOTS] || opt[OPT_JOURNAL_DIR] ||
		     opt[OPT_JOURNAL_FILE];
	if (c->journal) {
		if (opt[OPT_KMSG_FILE] || opt[OPT_DMESG_FILE])
			return usage_err("%s", "--boot, --list-boots, --journal-dir and --journal-file "
					 "read the journal, not --kmsg-file or --dmesg-file");
		if (opt[OPT_JOURNAL_DIR] && opt[OPT_JOURNAL_FILE])
			return usage_err("%s", "--journal-dir and --journal-file cannot be given together");
		if (opt[OPT_FOLLOW])
			return usage_err("%s", "--follow follows /dev/kmsg or a file, not the journal "
					 "(journalctl -kf | iommu-inspect faults --follow --dmesg-file -)");
		if (opt[OPT_LIST_BOOTS] && (opt[OPT_BOOT] || modes))
			return usage_err("%s", "--list-boots lists the journal's boots: not with --boot, "
					 "--summary, --list or --check");
		if (ii_boot_sel_parse(opt[OPT_BOOT], &c->sel) < 0)
			return usage_err("--boot '%s' is neither a boot number (0 this boot, -1 the one "
					 "before, 1 the first) nor a boot id (32 hex digits)", opt[OPT_BOOT]);
	}
	if (modes > 1)
		return usage_err("%s", "--follow, --summary, --list and --check exclude each other");
	c->mode = opt[OPT_FOLLOW] ? M_FOLLOW : opt[OPT_SUMMARY] ? M_SUMMARY : opt[OPT_LIST] ? M_LIST :
		  (opt[OPT_CHECK] || opt[OPT_MAX]) ? M_CHECK : M_AUTO;
	if (opt[OPT_MAX]) {
		long long v;

		if (ii_parse_int(opt[OPT_MAX], &v) || v < 0)
			return usage_err("--max '%s' is not a number of faults", opt[OPT_MAX]);
		c->max = (uint64_t)v;
	}
	if (opt[OPT_FAULT_DEVICE]) {
		int rc = ii_arg_bdf(opt[OPT_FAULT_DEVICE], "--device", &flt->bdf, want);

		if (rc)
			return rc;
		flt->device = true;
	}
	if (opt[OPT_GROUP]) {
		long long v;

		if (ii_parse_int(opt[OPT_GROUP], &v) || v < 0 || v > INT32_MAX)
			return usage_err("--group '%s' is not a group number", opt[OPT_GROUP]);
		if ((opt[OPT_KMSG_FILE] || opt[OPT_DMESG_FILE]) && !opt[OPT_ROOT])
			return usage_err("%s", "--group needs the machine the log comes from: give its "
					 "--root (--root / for this one)");
		flt->group = true;
		flt->group_id = (int)v;
	}
	if (opt[OPT_VENDOR] && ii_fault_vendor_parse(opt[OPT_VENDOR], flt) < 0)
		return usage_err("--vendor '%s' is not one of intel, amd, arm-smmu, arm-smmu-v3, "
				 "virtio-iommu",
				 opt[OPT_VENDOR]);
	if (opt[OPT_SINCE] && ii_fault_since_parse(opt[OPT_SINCE], flt) < 0)
		return usage_err("--since '%s' is neither seconds after boot (12.5) nor a record "
				 "(seq:1234)", opt[OPT_SINCE]);

	c->opt.file = opt[OPT_KMSG_FILE] ? opt[OPT_KMSG_FILE] : opt[OPT_DMESG_FILE];
	c->opt.fmt = opt[OPT_DMESG_FILE] ? II_LOG_TEXT : II_LOG_KMSG;
	/* the log of another machine is not joined with this one's devices unless --root says so */
	c->opt.attribute = !c->opt.file || opt[OPT_ROOT];
	c->opt.summary = c->mode != M_FOLLOW;
	c->opt.messages = c->mode != M_SUMMARY && c->mode != M_CHECK;
	c->opt.keep = c->json && (c->mode == M_AUTO || c->mode == M_LIST) ? KEEP_MAX : 0;
	c->opt.keep_last = c->mode == M_CHECK;
	return 0;
}

/* How the items are listed as they come (once). */
static enum ii_flist_mode list_mode(const struct fcmd *c)
{
	switch (c->mode) {
	case M_AUTO:
		return c->json ? II_FLIST_JSON : II_FLIST_TEXT_AUTO;
	case M_LIST:
		return c->json ? II_FLIST_JSON : II_FLIST_TEXT;
	case M_SUMMARY:
	case M_CHECK:
	case M_FOLLOW:
		break;
	}
	return II_FLIST_NONE;
}

/* ------------------------------------------------------------- the command */

/* A warning of the run: on stderr now, and a record of its own in --follow --json. */
static void on_warning(void *list, const char *msg)
{
	ii_warn_print_msg(msg);
	render_flist_warning(list, msg);
}

static void run_error(struct fcmd *c)
{
	char *msg = ii_frun_error(&c->run);

	if (c->mode == M_FOLLOW)
		render_flist_error(&c->list, msg);
	else
		out_error(c->ctx->out, "%s", msg);
	free(msg);
}

/*
 * SIGINT and SIGTERM end --follow cleanly; SIGHUP opens the log again and
 * reads on after the last record taken (a rotated file, or `systemctl reload`):
 * the handler only sets a flag the run looks at, which also ends the wait for
 * a FIFO's first writer (opt.stop_wait; SIGHUP is ignored then: nothing is
 * open yet). Without restart until then; with restart while following,
 * so that a signal never fails a write or a read (poll and sleeps return early
 * anyway).
 */
static void on_stop_signals(bool restart)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = restart ? SA_RESTART : 0 };
	struct sigaction ign = { .sa_handler = SIG_IGN };

	sigemptyset(&sa.sa_mask);
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, restart ? &sa : &ign, NULL);
}

static int follow(struct fcmd *c)
{
	int rc;

	on_stop_signals(true);
	c->run.reopen = &reopen_flag;
	rc = ii_frun_follow(&c->run, &stop_flag, fileno(stdout));
	ii_frun_log_warnings(&c->run);
	if (c->list.werr == -EPIPE)
		return II_EXIT_OK; /* the reader went away */
	if (c->list.werr) {
		fprintf(stderr, "iommu-inspect: error: writing the output: %s\n", strerror(-c->list.werr));
		return II_EXIT_ERROR;
	}
	if (rc < 0) {
		run_error(c);
		return II_EXIT_ERROR;
	}
	return II_EXIT_OK;
}

static int once(struct fcmd *c)
{
	struct ii_out *o = c->ctx->out;
	struct ii_frun *r = &c->run;
	int code = II_EXIT_OK, err;

	if (c->journal)
		render_journal_boot(o, &c->jr);
	render_flist_begin(&c->list, o, stdout, &c->view, list_mode(c), r);
	err = ii_frun_read_all(r);
	render_flist_end(&c->list);
	if (err < 0) {
		run_error(c);
		code = II_EXIT_ERROR;
	}
	ii_frun_log_warnings(r);
	ii_frun_finish(r);
	if (c->list.mode == II_FLIST_JSON)
		render_fault_kept(o, &c->view, r);
	if (c->json)
		render_fault_log(o, &r->log);
	if (c->mode == M_CHECK) {
		struct ii_fault_check chk;

		ii_frun_check(r, c->max, &chk);
		if (c->json)
			render_fault_summary(o, &c->view, &r->sum, &r->irq, &r->log);
		render_fault_check(o, &chk);
		if (code == II_EXIT_OK && !chk.ok)
			code = II_EXIT_ERROR;
	} else {
		render_fault_summary(o, &c->view, &r->sum, &r->irq, &r->log);
		render_flist_footer(&c->list);
	}
	return code;
}

/* What the journal could not read, on stderr and into the document's warnings, once each. */
static void journal_warnings(struct fcmd *c)
{
	const struct strlist *w = c->jr.j ? ii_journal_warnings(c->jr.j) : NULL;

	for (; w && c->jwarned < w->n; c->jwarned++) {
		fflush(stdout);
		fprintf(stderr, "iommu-inspect: warning: %s\n", w->v[c->jwarned]);
		ii_warn(&c->sys.diags, "%s", w->v[c->jwarned]);
	}
}

/*
 * The journal's boots: open it and list them (--list-boots: then done, *rc
 * set), or choose the boot --boot names and whether its faults are joined
 * with the root's devices. Returns true when the command is done.
 */
static bool journal_prepare(struct fcmd *c, int *rc)
{
	struct ii_ctx *ctx = c->ctx;
	const char *const *opt = ctx->opt;
	int err = ii_jrun_open(&c->jr, ctx->root, opt[OPT_JOURNAL_DIR], opt[OPT_JOURNAL_FILE]);

	if (!err && !opt[OPT_LIST_BOOTS])
		err = ii_jrun_choose(&c->jr, &c->sel);
	journal_warnings(c);
	if (err) {
		char *msg = ii_jrun_error(&c->jr, &c->sel);

		out_begin(ctx->out);
		out_error(ctx->out, "%s", msg);
		free(msg);
		*rc = ii_cmd_finish(ctx, &c->sys, II_EXIT_ERROR);
		return true;
	}
	if (opt[OPT_LIST_BOOTS]) {
		out_begin(ctx->out);
		render_boot_list(ctx->out, &c->jr);
		*rc = ii_cmd_finish(ctx, &c->sys, II_EXIT_OK);
		return true;
	}
	/* the devices of the tree are those the faults name only in the boot the tree is of */
	c->opt.journal = c->jr.j;
	c->opt.journal_boot = c->jr.chosen->b.id;
	c->opt.attribute = c->jr.attr == II_BOOT_ATTR_CURRENT;
	if (c->opt.filter.group && !c->opt.attribute) {
		out_begin(ctx->out);
		out_error(ctx->out, "--group needs the devices of the boot the faults come from; boot "
			  "%ld is not the one %s is of", c->jr.chosen->index,
			  opt[OPT_ROOT] ? opt[OPT_ROOT] : "this machine");
		*rc = ii_cmd_finish(ctx, &c->sys, II_EXIT_ERROR);
		return true;
	}
	return false;
}

int cmd_faults(struct ii_ctx *ctx)
{
	struct fcmd *c = xcalloc(1, sizeof(*c));
	struct ii_frun_sink sink = { render_flist_fault, render_flist_drop, render_flist_unparsed,
				     on_warning, &c->list };
	int rc, err;

	c->ctx = ctx;
	c->json = out_is_json(ctx->out);
	if ((rc = parse_args(ctx, c))) {
		free(c);
		return rc;
	}
	c->sys.root = ctx->root;
	if (c->journal && journal_prepare(c, &rc)) {
		ii_jrun_close(&c->jr);
		ii_system_free(&c->sys);
		free(c);
		return rc;
	}
	if (c->opt.attribute)
		/* the ACPI tables and device tree: the Arm stream IDs' devices (s->idmap) */
		ii_cmd_load(ctx, &c->sys, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES |
					  II_LOAD_ACPI | II_LOAD_NAMES | II_LOAD_PCI_IDS |
					  II_LOAD_SYSINFO);
	c->view = (struct ii_fault_view){ .attributed = c->opt.attribute,
					  .ndjson = c->mode == M_FOLLOW && c->json,
					  .filtered = ii_fault_filter_active(&c->opt.filter) };
	if (c->mode == M_FOLLOW) {
		render_flist_begin(&c->list, ctx->out, stdout, &c->view, II_FLIST_STREAM, &c->run);
		for (size_t i = 0; i < c->sys.diags.warnings.n; i++)
			render_flist_warning(&c->list, c->sys.diags.warnings.v[i]);
		on_stop_signals(false);
		c->opt.stop_wait = &stop_flag;
	} else {
		out_begin(ctx->out);
	}
	err = ii_frun_open(&c->run, &c->sys, &c->opt, &sink);
	if (err == -EINTR && stop_flag) {
		rc = II_EXIT_OK; /* stopped while waiting for a FIFO's writer */
	} else if (err < 0) {
		run_error(c);
		rc = II_EXIT_ERROR;
	} else if (c->mode == M_FOLLOW) {
		rc = follow(c);
	} else {
		rc = once(c);
	}
	if (c->journal)
		journal_warnings(c);
	if (c->mode != M_FOLLOW)
		rc = ii_cmd_finish(ctx, &c->sys, rc);
	ii_frun_close(&c->run);
	ii_jrun_close(&c->jr);
	ii_system_free(&c->sys);
	free(c);
	return rc;
}
