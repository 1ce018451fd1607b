// SPDX-License-Identifier: MIT
/*
 * faults [--kmsg-file FILE | --dmesg-file FILE] [--follow | --summary | --list | --check [--max N]]
 *        [--device BDF] [--group ID] [--vendor NAME] [--since WHEN]
 *
 * The kernel log (include/logsrc.h) goes through the fault assembler
 * (include/fault.h); each fault is joined with the model, filtered, and
 * listed, counted in the summary, or streamed (--follow).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-common.h"
#include "faults.h"
#include "logsrc.h"
#include "render-faults.h"
#include "cmd-dbg.h"

#define LIST_AUTO_MAX 50 /* text: more faults than this, and the summary comes instead */
#define KEEP_MAX 1000    /* JSON: unparsed lines and drops kept for the document */
#define IDLE_MS 200      /* --follow: quiet this long, and what waits for a next line is shown */

enum mode { M_AUTO, M_LIST, M_SUMMARY, M_CHECK, M_FOLLOW };

struct kept_line {
	struct ii_logpos pos;
	char line[II_FAULT_MSG_MAX];
};

struct run {
	struct ii_ctx *ctx;
	struct ii_out *o;          /* where listed items go */
	struct ii_system sys;
	struct ii_fault_view view;
	struct ii_fault_filter flt;
	enum mode mode;
	bool json;
	uint64_t max;
	struct ii_fasm fasm;
	struct ii_fsum sum;
	/* text without --list: the list is written to memory until it is too long */
	FILE *mem;
	char *membuf;
	size_t memlen;
	uint64_t items;
	bool too_long;
	/* the JSON document: kept until the faults array is closed */
	struct kept_line *unp;
	size_t nunp, capunp;
	struct ii_fault_drop *drops;
	size_t ndrops, capdrops;
	struct ii_fault last;
	bool has_last;
	bool has_boot;
	int64_t boot_usec;
	struct ii_logpos prev;     /* text: the time of the line an indented line continues */
	bool has_prev;
	int werr;                  /* --follow: writing failed */
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

static int parse_args(struct ii_ctx *ctx, struct run *r)
{
	const char *const *opt = ctx->opt;
	int modes = !!opt[OPT_FOLLOW] + !!opt[OPT_SUMMARY] + !!opt[OPT_LIST] +
		    !!(opt[OPT_CHECK] || opt[OPT_MAX]);
	char want[II_BDF_MAX];

	if (opt[OPT_KMSG_FILE] && opt[OPT_DMESG_FILE])
		return usage_err("%s", "--kmsg-file and --dmesg-file cannot be given together");
	if (modes > 1)
		return usage_err("%s", "--follow, --summary, --list and --check exclude each other");
	r->mode = opt[OPT_FOLLOW] ? M_FOLLOW : opt[OPT_SUMMARY] ? M_SUMMARY : opt[OPT_LIST] ? M_LIST :
		  (opt[OPT_CHECK] || opt[OPT_MAX]) ? M_CHECK : M_AUTO;
	if (opt[OPT_MAX]) {
		long long v;

		if (ii_parse_int(opt[OPT_MAX], &v) || v < 0)
			return usage_err("--max '%s' is not a number of faults", opt[OPT_MAX]);
		r->max = (uint64_t)v;
	}
	if (opt[OPT_FAULT_DEVICE]) {
		int rc = ii_arg_bdf(opt[OPT_FAULT_DEVICE], "--device", &r->flt.bdf, want);

		if (rc)
			return rc;
		r->flt.device = true;
	}
	if (opt[OPT_GROUP]) {
		long long v;

		if (ii_parse_int(opt[OPT_GROUP], &v) || v < 0 || v > INT32_MAX)
			return usage_err("--group '%s' is not a group number", opt[OPT_GROUP]);
		if ((opt[OPT_KMSG_FILE] || opt[OPT_DMESG_FILE]) && !opt[OPT_ROOT])
			return usage_err("%s", "--group needs the machine the log comes from: give its "
					 "--root (--root / for this one)");
		r->flt.group = true;
		r->flt.group_id = (int)v;
	}
	if (opt[OPT_VENDOR] && ii_fault_vendor_parse(opt[OPT_VENDOR], &r->flt) < 0)
		return usage_err("--vendor '%s' is not one of intel, amd, arm-smmu, arm-smmu-v3",
				 opt[OPT_VENDOR]);
	if (opt[OPT_SINCE] && ii_fault_since_parse(opt[OPT_SINCE], &r->flt) < 0)
		return usage_err("--since '%s' is neither seconds after boot (12.5) nor a record "
				 "(seq:1234)", opt[OPT_SINCE]);
	return 0;
}

/* ----------------------------------------------------------------- items */

/* The wall-clock time of a record, from the boot time, when it is known. */
static void fill_wall(struct run *r, struct ii_logpos *pos)
{
	if (!pos->wall[0] && pos->has_usec && r->has_boot)
		ii_logpos_times(pos, NULL, true, r->boot_usec);
}

/* --follow: one record, written and flushed now. */
static void stream_begin(struct run *r)
{
	out_record_begin(r->o);
}

static void stream_end(struct run *r)
{
	int err = out_record_end(r->o);

	if (err < 0 && !r->werr)
		r->werr = err;
}

/* Text without --list: into memory, until there are too many to list. */
static struct ii_out *list_out(struct run *r)
{
	if (r->mode == M_FOLLOW || r->mode == M_LIST)
		return r->o;
	if (r->mode != M_AUTO || r->json || r->too_long)
		return NULL;
	if (++r->items > LIST_AUTO_MAX) {
		r->too_long = true;
		return NULL;
	}
	return r->o;
}

static void on_fault(void *ctx, struct ii_fault *f)
{
	struct run *r = ctx;
	struct ii_out *o;
	bool sel;

	if (r->view.attributed)
		ii_fault_attribute(&r->sys, f);
	if (r->view.attributed)
		ii_fault_note(&r->sys, f); /* unmapped, read-only, RMRR... */
	sel = ii_fault_match(&r->flt, f);
	if (r->mode != M_FOLLOW)
		ii_fsum_fault(&r->sum, f, sel);
	if (!sel)
		return;
	if (r->mode == M_CHECK) {
		r->last = *f;
		r->has_last = true;
		return;
	}
	fill_wall(r, &f->pos);
	if (r->mode == M_FOLLOW) {
		stream_begin(r);
		render_fault(r->o, &r->view, f);
		stream_end(r);
	} else if (r->json && r->mode != M_SUMMARY) {
		out_open_obj(r->o, NULL);
		render_fault(r->o, &r->view, f);
		out_close_obj(r->o);
	} else if ((o = list_out(r))) {
		render_fault(o, &r->view, f);
	}
}

static void on_drop(void *ctx, const struct ii_fault_drop *d)
{
	struct run *r = ctx;
	struct ii_fault_drop copy = *d;
	struct ii_out *o;
	bool sel = ii_fault_drop_match(&r->flt, d);

	if (r->mode != M_FOLLOW)
		ii_fsum_drop(&r->sum, d, sel);
	if (!sel || r->mode == M_CHECK || r->mode == M_SUMMARY)
		return;
	fill_wall(r, &copy.pos);
	if (r->mode == M_FOLLOW) {
		stream_begin(r);
		render_fault_drop(r->o, &r->view, &copy);
		stream_end(r);
	} else if (r->json) {
		if (r->ndrops < KEEP_MAX) {
			xgrow((void **)&r->drops, &r->capdrops, r->ndrops + 1, sizeof(*r->drops));
			r->drops[r->ndrops++] = copy;
		}
	} else if (r->mode == M_LIST || (r->mode == M_AUTO && !r->too_long)) {
		o = r->o;
		render_fault_drop(o, &r->view, &copy);
	}
}

static void on_unparsed(void *ctx, const struct ii_logpos *pos, enum ii_vendor v, const char *line,
			size_t len)
{
	struct run *r = ctx;
	struct kept_line k = { .pos = *pos };
	struct ii_out *o;

	/* it cannot be told whose it is: a --device or --group filter leaves it out */
	if (!ii_fault_pos_match(&r->flt, pos) || r->flt.device || r->flt.group ||
	    (r->flt.vendor != II_VENDOR_NONE && v != r->flt.vendor &&
	     !(r->flt.vendor_arm_any && v == II_VENDOR_ARM_SMMU_V3)))
		return;
	r->sum.unparsed++;
	if (r->mode == M_CHECK || r->mode == M_SUMMARY)
		return;
	str_copy(k.line, sizeof(k.line), line, len);
	fill_wall(r, &k.pos);
	if (r->mode == M_FOLLOW) {
		stream_begin(r);
		render_fault_unparsed(r->o, &r->view, &k.pos, k.line);
		stream_end(r);
	} else if (r->json) {
		if (r->nunp < KEEP_MAX) {
			xgrow((void **)&r->unp, &r->capunp, r->nunp + 1, sizeof(*r->unp));
			r->unp[r->nunp++] = k;
		}
	} else if ((o = list_out(r))) {
		render_fault_unparsed(o, &r->view, &k.pos, k.line);
	}
}

/* One record of the log: its position, then its lines to the assembler. */
static int on_record(void *ctx, const struct ii_logrec *rec)
{
	struct run *r = ctx;
	struct ii_logpos pos;

	if (!rec->kernel) {
		if (rec->has_seq) {
			pos = (struct ii_logpos){ .has_seq = true, .seq = rec->seq };
			ii_fasm_seen(&r->fasm, &pos);
		}
		return 0;
	}
	if (rec->indented && r->has_prev) {
		pos = r->prev;
		pos.lineno = rec->lineno;
	} else {
		memset(&pos, 0, sizeof(pos));
		pos.has_seq = rec->has_seq;
		pos.seq = rec->seq;
		pos.has_usec = rec->has_usec;
		pos.usec = rec->usec;
		pos.lineno = rec->lineno;
		if (rec->wall.valid)
			ii_logpos_times(&pos, &rec->wall, r->has_boot, r->boot_usec);
		if (!rec->kmsg) {
			r->prev = pos;
			r->has_prev = true;
		}
	}
	ii_fasm_record(&r->fasm, &pos, rec->text, rec->len, rec->kmsg ? rec->kmsg->device : NULL);
	return r->werr || stop_flag ? 1 : 0;
}

static int on_idle(void *ctx)
{
	struct run *r = ctx;

	ii_fasm_flush(&r->fasm);
	return r->werr ? 1 : 0;
}

/* ------------------------------------------------------------- the command */

static void warn(struct run *r, const char *fmt, ...) ii_printf_like(2, 3);
static void warn(struct run *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "iommu-inspect: warning: %s\n", msg);
	if (r->mode == M_FOLLOW && r->json) {
		stream_begin(r);
		out_str(r->o, "type", NULL, "warning");
		out_str(r->o, "message", NULL, msg);
		stream_end(r);
	}
	sl_add_owned(&r->sys.diags.warnings, msg);
}

static void log_warnings(struct run *r, const struct ii_logsrc *ls)
{
	if (ls->bad)
		warn(r, "%s: %llu line%s not in /dev/kmsg record format; ignored%s", ls->display,
		     (unsigned long long)ls->bad, ls->bad == 1 ? " is" : "s are",
		     ls->is_file && ls->fmt == II_LOG_KMSG ? " (is it dmesg text? use --dmesg-file)" : "");
	if (ls->overlong)
		warn(r, "%s: %llu line%s longer than %d bytes, cut", ls->display,
		     (unsigned long long)ls->overlong, ls->overlong == 1 ? "" : "s", II_LOG_LINE_MAX);
	if (ls->truncations)
		warn(r, "%s: the file shrank %llu time%s and was read again from its start",
		     ls->display, (unsigned long long)ls->truncations, ls->truncations == 1 ? "" : "s");
}

/* Why the log cannot be read, and what to do. */
static void open_error(struct run *r, const struct ii_logsrc *ls, int err)
{
	const char *hint = "";

	if (err == -EPERM || err == -EACCES)
		hint = ls->is_file ? "" : "; run as root or set sysctl kernel.dmesg_restrict=0";
	else if (err == -ENOENT && !ls->is_file && !ii_root_is_live(r->ctx->root))
		hint = "; the tree holds no kernel log (record it with `iommu-inspect snapshot`, "
		       "without --no-kmsg, or give --kmsg-file or --dmesg-file)";
	if (r->mode == M_FOLLOW && r->json) {
		stream_begin(r);
		out_str(r->o, "type", NULL, "error");
		out_error(r->o, "cannot read %s: %s%s", ls->display, strerror(-err), hint);
		stream_end(r);
	} else {
		out_error(r->o, "cannot read %s: %s%s", ls->display, strerror(-err), hint);
	}
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

static int follow(struct run *r, struct ii_logsrc *ls)
{
	struct ii_follow f = { .stop = &stop_flag, .idle_ms = IDLE_MS, .idle = on_idle,
			       .watch_fd = fileno(stdout) };
	int rc;

	on_stop_signals(true);
	rc = ii_logsrc_follow(ls, on_record, r, &f);
	if (!r->werr)
		on_idle(r); /* stopped: what waits for a next line is shown as it is */
	log_warnings(r, ls);
	if (r->werr == -EPIPE)
		return II_EXIT_OK; /* the reader went away */
	if (r->werr) {
		fprintf(stderr, "iommu-inspect: error: writing the output: %s\n", strerror(-r->werr));
		return II_EXIT_ERROR;
	}
	if (rc < 0) {
		open_error(r, ls, rc);
		return II_EXIT_ERROR;
	}
	return II_EXIT_OK;
}

static void render_kept(struct run *r)
{
	out_open_arr(r->o, "unparsed");
	for (size_t i = 0; i < r->nunp; i++) {
		out_open_obj(r->o, NULL);
		render_fault_unparsed(r->o, &r->view, &r->unp[i].pos, r->unp[i].line);
		out_close_obj(r->o);
	}
	out_close_arr(r->o);
	out_open_arr(r->o, "dropped");
	for (size_t i = 0; i < r->ndrops; i++) {
		out_open_obj(r->o, NULL);
		render_fault_drop(r->o, &r->view, &r->drops[i]);
		out_close_obj(r->o);
	}
	out_close_arr(r->o);
}

static int once(struct run *r, struct ii_logsrc *ls)
{
	struct ii_fault_log log = { .path = ls->display,
				    .format = ls->fmt == II_LOG_KMSG ? "kmsg" : "text" };
	struct ii_fault_irqs irq = { 0 };
	int rc, code = II_EXIT_OK;

	if (r->json && (r->mode == M_AUTO || r->mode == M_LIST))
		out_open_arr(r->o, "faults");
	if (!r->json && r->mode == M_AUTO) {
		r->mem = open_memstream(&r->membuf, &r->memlen);
		r->o = out_new(r->mem, II_FMT_TEXT, false);
	}
	rc = ii_logsrc_read_all(ls, on_record, r);
	ii_fasm_flush(&r->fasm);
	if (r->mem) {
		out_free(r->o);
		fclose(r->mem);
		r->mem = NULL;
		r->o = r->ctx->out;
		if (!r->too_long && r->membuf)
			out_text(r->o, "%s", r->membuf);
		if (!r->too_long && r->memlen)
			out_text(r->o, "\n");
	} else if (r->mode == M_LIST && !r->json && r->items + r->sum.faults + r->sum.unparsed) {
		out_text(r->o, "\n");
	}
	if (r->json && (r->mode == M_AUTO || r->mode == M_LIST))
		out_close_arr(r->o);
	if (rc < 0) {
		open_error(r, ls, rc);
		code = II_EXIT_ERROR;
	}
	log_warnings(r, ls);

	ii_fsum_finish(&r->sum, !r->flt.device && !r->flt.group);
	ii_fsum_sort(&r->sum);
	log.records = ls->records;
	log.bad = ls->bad;
	log.overlong = ls->overlong;
	log.overruns = ls->overruns;
	log.has_first_seq = r->fasm.have_seq;
	log.first_seq = r->fasm.first_seq;
	if (r->view.attributed && !ls->is_file && r->sys.irq_read && r->sys.irq.iommu_lines) {
		irq.known = true;
		irq.count = r->sys.irq.iommu_irqs;
		for (unsigned v = 0; v <= II_VENDOR_OTHER; v++)
			irq.printed += r->sum.printed_by_vendor[v];
		irq.log_complete = log.has_first_seq && log.first_seq == 0;
	}
	if (r->json && (r->mode == M_AUTO || r->mode == M_LIST))
		render_kept(r);
	if (r->json)
		render_fault_log(r->o, &log);
	if (r->mode == M_CHECK) {
		if (r->json)
			render_fault_summary(r->o, &r->view, &r->sum, &irq, &log);
		render_fault_check(r->o, &r->sum, r->max, r->has_last ? &r->last : NULL);
		if (code == II_EXIT_OK && r->sum.faults + r->sum.unparsed > r->max)
			code = II_EXIT_ERROR;
	} else {
		render_fault_summary(r->o, &r->view, &r->sum, &irq, &log);
		if (r->too_long)
			out_text(r->o, "(too many to list: --list shows each one)\n");
	}
	return code;
}

int cmd_faults(struct ii_ctx *ctx)
{
	struct run *r = xcalloc(1, sizeof(*r));
	struct ii_logsrc ls;
	int rc, err;

	r->ctx = ctx;
	r->o = ctx->out;
	r->json = out_is_json(ctx->out);
	if ((rc = parse_args(ctx, r))) {
		free(r);
		return rc;
	}
	if (r->mode == M_FOLLOW)
		on_stop_signals(false);
	if (ctx->opt[OPT_KMSG_FILE])
		err = ii_logsrc_open_file(&ls, ctx->opt[OPT_KMSG_FILE], II_LOG_KMSG);
	else if (ctx->opt[OPT_DMESG_FILE])
		err = ii_logsrc_open_file(&ls, ctx->opt[OPT_DMESG_FILE], II_LOG_TEXT);
	else
		err = ii_logsrc_open_root(&ls, ctx->root);

	/* the log of another machine is not joined with this one's devices unless --root says so */
	r->view.attributed = !ls.is_file || ctx->opt[OPT_ROOT];
	r->view.ndjson = r->mode == M_FOLLOW && r->json;
	r->view.filtered = r->flt.device || r->flt.group || r->flt.vendor != II_VENDOR_NONE ||
			   r->flt.since_seq || r->flt.since_usec;
	if (r->view.attributed)
		ii_cmd_load(ctx, &r->sys, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES |
					  II_LOAD_NAMES | II_LOAD_PCI_IDS | II_LOAD_SYSINFO);
	if (r->mode == M_FOLLOW && r->json)
		for (size_t i = 0; i < r->sys.diags.warnings.n; i++) {
			stream_begin(r);
			out_str(r->o, "type", NULL, "warning");
			out_str(r->o, "message", NULL, r->sys.diags.warnings.v[i]);
			stream_end(r);
		}
	if (r->mode != M_FOLLOW)
		out_begin(ctx->out);
	r->has_boot = err == 0 && ii_log_boottime(&ls, &r->sys, &r->boot_usec);
	/* the summary and --check show no message: the assembler need not copy the text */
	ii_fasm_init(&r->fasm, &(struct ii_fault_sink){ on_fault, on_drop, on_unparsed, r,
							.no_msg = r->mode == M_SUMMARY ||
								  r->mode == M_CHECK });

	if (err == -EINTR && stop_flag) {
		rc = II_EXIT_OK; /* stopped while waiting for a FIFO's writer */
	} else if (err < 0) {
		open_error(r, &ls, err);
		rc = II_EXIT_ERROR;
	} else if (r->mode == M_FOLLOW) {
		rc = follow(r, &ls);
	} else {
		rc = once(r, &ls);
	}
	if (r->mode != M_FOLLOW)
		rc = ii_cmd_finish(ctx, &r->sys, rc);
	ii_logsrc_close(&ls);
	ii_fsum_free(&r->sum);
	free(r->unp);
	free(r->drops);
	free(r->membuf);
	ii_system_free(&r->sys);
	free(r);
	return rc;
}
