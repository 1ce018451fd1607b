// SPDX-License-Identifier: MIT
/*
 * faults [--kmsg-file FILE | --dmesg-file FILE] [--follow | --summary | --list | --check [--max N]]
 *        [--device BDF] [--group ID] [--vendor NAME] [--since WHEN]
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
#include "render-faults.h"

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
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
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
		return usage_err("--vendor '%s' is not one of intel, amd, arm-smmu, arm-smmu-v3",
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
 * SIGINT, SIGTERM and SIGHUP end --follow cleanly: the handler only sets a
 * flag. Without restart while a FIFO is opened (it waits for a writer, and
 * the signal must end the wait); with restart while following, so that a
 * signal never fails a write or a read (poll and sleeps return early anyway).
 */
static void on_stop_signals(bool restart)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = restart ? SA_RESTART : 0 };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int follow(struct fcmd *c)
{
	int rc;

	on_stop_signals(true);
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
	if (c->mode != M_FOLLOW)
		rc = ii_cmd_finish(ctx, &c->sys, rc);
	ii_frun_close(&c->run);
	ii_system_free(&c->sys);
	free(c);
	return rc;
}
