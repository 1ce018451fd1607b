// SPDX-License-Identifier: MIT
/*
 * A fault run (include/model/fault-run.h): the kernel log source, the fault
 * assembler, the filters, the summary, the interrupt cross-check and the
 * notes debugfs gives on fault addresses, behind one object that `faults`
 * (once or following), `status` (the boot facts) and a live view share.
 * Every record of the log passes through on_record(): its position (a text
 * line without a time of its own takes the time of the line it continues),
 * then its lines to the assembler, whose faults are joined with the model,
 * filtered, summed up, and handed to the caller's sink.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "domains.h"
#include "fault-run.h"
#include "journal.h"

#define IDLE_MS 200

static const char *const format_keys[] = {
	[II_LOG_KMSG] = "kmsg",
	[II_LOG_TEXT] = "text",
	[II_LOG_JOURNAL] = "journal",
};

const char *ii_log_format_key(enum ii_log_format f)
{
	return (unsigned)f < sizeof(format_keys) / sizeof(format_keys[0]) ? format_keys[f] : "?";
}

static void warn(struct ii_frun *r, const char *fmt, ...) ii_printf_like(2, 3);
static void warn(struct ii_frun *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (r->sink.warning)
		r->sink.warning(r->sink.ctx, msg);
	sl_add_owned(&r->sys->diags.warnings, msg);
}

/*
 * The wall-clock time of boot in microseconds since 1970, to turn log times
 * into dates: IOMMU_INSPECT_TEST_BOOTTIME (seconds, for tests), else the
 * boot time in the inspected system's proc/stat (loaded with
 * II_LOAD_SYSINFO) when the log is that system's own, live or recorded, so
 * that a replay dates faults as the live run did.
 */
static bool boottime(const struct ii_frun *r, int64_t *usec)
{
	const char *env = getenv("IOMMU_INSPECT_TEST_BOOTTIME");

	if (env && *env) {
		char *end;
		double v = strtod(env, &end);

		if (end != env && !*end && v >= 0 && v < 1e11) {
			*usec = (int64_t)(v * 1e6 + 0.5);
			return true;
		}
		return false;
	}
	if (r->ls.is_file || !r->sys->has_btime)
		return false;
	*usec = (int64_t)r->sys->btime * 1000000;
	return true;
}

/* The wall-clock time of an item handed out, from the boot time, when it is known. */
static void fill_wall(const struct ii_frun *r, struct ii_logpos *pos)
{
	if (!pos->wall[0] && pos->has_usec && r->has_boot)
		ii_logpos_times(pos, NULL, true, r->boot_usec);
}

/* ---------------------------------------------------- what the assembler gives */

static void on_fault(void *ctx, struct ii_fault *f)
{
	struct ii_frun *r = ctx;
	bool sel;

	r->n.faults++;
	if (r->opt.attribute) {
		ii_fault_attribute(r->sys, f);
		ii_fault_note(r->sys, f); /* unmapped, read-only, RMRR... */
	}
	sel = ii_fault_match(&r->opt.filter, f);
	if (r->opt.summary)
		ii_fsum_fault(&r->sum, f, sel);
	if (!sel)
		return;
	r->n.selected++;
	if (r->opt.keep_last) {
		r->last = *f;
		r->has_last = true;
	}
	if (r->sink.fault && !r->stopped) {
		fill_wall(r, &f->pos);
		r->sink.fault(r->sink.ctx, f);
	}
}

static void on_drop(void *ctx, const struct ii_fault_drop *d)
{
	struct ii_frun *r = ctx;
	struct ii_fault_drop copy;
	bool sel = ii_fault_drop_match(&r->opt.filter, d);

	if (r->opt.summary)
		ii_fsum_drop(&r->sum, d, sel);
	if (!sel)
		return;
	r->n.drops++;
	r->n.not_printed += d->estimate;
	if (r->ndrops >= r->opt.keep && (!r->sink.drop || r->stopped))
		return;
	copy = *d;
	fill_wall(r, &copy.pos);
	if (r->ndrops < r->opt.keep) {
		xgrow((void **)&r->drops, &r->capdrops, r->ndrops + 1, sizeof(*r->drops));
		r->drops[r->ndrops++] = copy;
	}
	if (r->sink.drop && !r->stopped)
		r->sink.drop(r->sink.ctx, &copy);
}

static void on_unparsed(void *ctx, const struct ii_logpos *pos, enum ii_vendor v, const char *line,
			size_t len)
{
	struct ii_frun *r = ctx;
	struct ii_fault_kept k;

	if (!ii_fault_unparsed_match(&r->opt.filter, pos, v))
		return;
	r->n.unparsed++;
	if (r->opt.summary)
		r->sum.unparsed++;
	if (r->nunparsed >= r->opt.keep && (!r->sink.unparsed || r->stopped))
		return;
	k.pos = *pos;
	str_copy(k.line, sizeof(k.line), line, len);
	fill_wall(r, &k.pos);
	if (r->nunparsed < r->opt.keep) {
		xgrow((void **)&r->unparsed, &r->capunparsed, r->nunparsed + 1, sizeof(*r->unparsed));
		r->unparsed[r->nunparsed++] = k;
	}
	if (r->sink.unparsed && !r->stopped)
		r->sink.unparsed(r->sink.ctx, &k.pos, k.line);
}

/* ------------------------------------------------------------------ records */

/* One record of the log: its position, then its lines to the assembler. */
static int on_record(void *ctx, const struct ii_logrec *rec)
{
	struct ii_frun *r = ctx;
	struct ii_logpos pos;

	if (r->skipping) {
		/* reopened: what was taken before is passed over, so nothing is emitted twice */
		if (r->skip_by_seq ? rec->has_seq && rec->seq <= r->skip_seq : rec->lineno <= r->skip_line) {
			r->reread++;
			return 0;
		}
		r->skipping = false;
	}
	if (rec->has_seq) {
		r->has_seen_seq = true;
		r->seen_seq = rec->seq;
	}
	r->seen_line = rec->lineno;
	if (r->opt.facts && rec->kmsg)
		ii_logfacts_feed(&r->sys->log, rec->kmsg);
	if (r->opt.no_faults)
		return 0;
	if (!rec->kernel) {
		if (rec->has_seq) {
			pos = (struct ii_logpos){ .has_seq = true, .seq = rec->seq };
			ii_fasm_seen(&r->fasm, &pos);
		}
		return 0;
	}
	if (rec->has_realtime && !rec->kmsg && !rec->indented) {
		/* a journal entry: its time since boot, and when it was written */
		memset(&pos, 0, sizeof(pos));
		pos.has_usec = rec->has_usec;
		pos.usec = rec->usec;
		if (rec->has_usec)
			ii_logpos_times(&pos, NULL, true, (int64_t)rec->realtime - (int64_t)rec->usec);
	} else if (rec->indented && r->has_prev) {
		pos = r->prev;
		pos.lineno = rec->lineno;
	} else {
		/*
		 * Field by field, and of the wall-clock time only what is used: this
		 * runs for every line, and a memset() then a copy of the whole
		 * (72 bytes) cost more than the rest of a line that is no fault.
		 */
		pos.has_seq = rec->has_seq;
		pos.seq = rec->seq;
		pos.has_usec = rec->has_usec;
		pos.usec = rec->usec;
		pos.lineno = rec->lineno;
		pos.wall[0] = '\0';
		if (rec->wall.valid)
			ii_logpos_times(&pos, &rec->wall, r->has_boot, r->boot_usec);
		if (!rec->kmsg) {
			r->prev.has_seq = pos.has_seq;
			r->prev.seq = pos.seq;
			r->prev.has_usec = pos.has_usec;
			r->prev.usec = pos.usec;
			r->prev.lineno = pos.lineno;
			if (pos.wall[0])
				memcpy(r->prev.wall, pos.wall, sizeof(pos.wall));
			else
				r->prev.wall[0] = '\0';
			r->has_prev = true;
		}
	}
	if (rec->one_line && rec->pre) /* parsed ahead by the bulk reader */
		ii_fasm_line_pre(&r->fasm, &pos, rec->text, rec->len, rec->device, rec->pre);
	else if (rec->one_line) /* a line of text: its bytes need not be searched for more lines */
		ii_fasm_line(&r->fasm, &pos, rec->text, rec->len, rec->device);
	else
		ii_fasm_record(&r->fasm, &pos, rec->text, rec->len,
			       rec->kmsg ? rec->kmsg->device : rec->device);
	return r->stopped || (r->stop && *r->stop) ? 1 : 0;
}

/* ---------------------------------------------------------------- the run */

int ii_frun_open(struct ii_frun *r, struct ii_system *sys, const struct ii_frun_opts *opt,
		 const struct ii_frun_sink *sink)
{
	memset(r, 0, sizeof(*r));
	r->opt = *opt;
	if (r->opt.idle_ms <= 0)
		r->opt.idle_ms = IDLE_MS;
	r->sys = sys;
	if (sink)
		r->sink = *sink;
	if (opt->journal) {
		/* the journal is the caller's, open; the byte-stream source stays closed */
		r->ls.st.fd = -1;
		r->ls.fmt = II_LOG_JOURNAL;
		r->ls.is_file = true;
		r->ls.display = xstrdup(ii_journal_display(opt->journal));
		r->err = 0;
	} else if (opt->file)
		r->err = ii_logsrc_open_file(&r->ls, opt->file, opt->fmt, opt->stop_wait);
	else
		r->err = ii_logsrc_open_root(&r->ls, sys->root);
	r->has_boot = r->err == 0 && !opt->journal && boottime(r, &r->boot_usec);
	/* the summary and --check show no message: the assembler need not copy the text */
	ii_fasm_init(&r->fasm, &(struct ii_fault_sink){ on_fault, on_drop, on_unparsed, r,
							.no_msg = !opt->messages });
	return r->err;
}

char *ii_frun_error(const struct ii_frun *r)
{
	const struct ii_logsrc *ls = &r->ls;
	const char *hint = "";
	int err = r->err < 0 ? r->err : -EIO;

	if (err == -EPERM || err == -EACCES)
		hint = ls->is_file ? "" : "; run as root or set sysctl kernel.dmesg_restrict=0";
	else if (err == -ENOENT && !ls->is_file && !ii_root_is_live(r->sys->root))
		hint = "; the tree holds no kernel log (record it with `iommu-inspect snapshot`, "
		       "without --no-kmsg, or give --kmsg-file or --dmesg-file)";
	return xasprintf("cannot read %s: %s%s", ls->display, strerror(-err), hint);
}

int ii_frun_read_all(struct ii_frun *r)
{
	int rc;

	if (r->err)
		return r->err;
	if (r->opt.journal) {
		struct ii_journal_stats st = { 0 };

		rc = ii_journal_read(r->opt.journal, r->opt.journal_boot, on_record, r, &st);
		r->ls.records = st.entries;
		r->ls.bytes = st.bytes;
		/*
		 * stopped by the sink, or by damage: what came before it stands, and the
		 * journal's warnings say where it stopped
		 */
		rc = 0;
	} else {
		/* the reader may parse lines ahead while it waits for the assembler */
		if (!r->opt.no_faults) {
			r->ls.pre = ii_fault_preparse;
			r->ls.pre_max = II_FLINE_PACK_MAX;
		}
		rc = ii_logsrc_read_all(&r->ls, on_record, r);
		r->ls.pre = NULL;
	}
	ii_fasm_flush(&r->fasm);
	if (rc < 0)
		r->err = rc;
	return rc < 0 ? rc : 0;
}

int ii_frun_poll(struct ii_frun *r)
{
	int rw, flags;

	if (r->err)
		return r->err;
	if (r->opt.journal)
		return -EOPNOTSUPP; /* a journal is read once (ii_frun_read_all) */
	rw = ii_logsrc_rewound(&r->ls);
	if (rw < 0)
		return r->err = rw;
	if (rw) {
		/* what waited for lines of the old content will not get them */
		ii_fasm_flush(&r->fasm);
		r->has_prev = false;
		warn(r, rw == II_REWOUND_SHRANK ?
			"%s: the file shrank (truncated or replaced): read again from its start" :
			"%s: the file was truncated and written again: read again from its start",
		     r->ls.display);
	}
	flags = ii_logsrc_poll(&r->ls, on_record, r, r->opt.idle_ms);
	if (flags < 0)
		return r->err = flags;
	/*
	 * Quiet: a fault waiting for its next line is shown as it is, unless the
	 * start of a record waits for its end (a writer that wrote half a record,
	 * which may be that line). A status line waiting for its fault line stays
	 * until the next line or the end: reported now, it would be a drop that
	 * the record coming half a second later shows was none.
	 */
	if ((flags & II_POLL_QUIET) && !ii_logsrc_pending(&r->ls))
		ii_fasm_idle(&r->fasm);
	return flags;
}

void ii_frun_feed_kmsg(struct ii_frun *r, const struct ii_kmsg *m, size_t n)
{
	struct ii_logrec rec;

	for (size_t i = 0; i < n; i++) {
		ii_logrec_from_kmsg(&rec, &m[i]);
		on_record(r, &rec);
	}
	if (n)
		ii_fasm_idle(&r->fasm);
}

int ii_frun_wait(struct ii_frun *r, int watch_fd)
{
	return ii_logsrc_wait(&r->ls, r->opt.idle_ms, watch_fd);
}

/*
 * SIGHUP: open the log again and read on after the last record taken. The new
 * source is opened before the old one is closed, so that a log that cannot be
 * opened again is still followed (with a warning). A pipe is not reopened.
 */
static void reopen(struct ii_frun *r)
{
	struct ii_logsrc old = r->ls, ls;
	struct stat a, b;
	bool same;
	int err;

	if (old.fifo || (r->opt.file && !strcmp(r->opt.file, "-")))
		return;
	if (r->opt.file)
		err = ii_logsrc_open_file(&ls, r->opt.file, r->opt.fmt, NULL); /* not a FIFO */
	else
		err = ii_logsrc_open_root(&ls, r->sys->root);
	if (err < 0) {
		warn(r, "%s: cannot open it again (%s): following the one open", old.display,
		     strerror(-err));
		ii_logsrc_close(&ls);
		return;
	}
	same = ii_stream_stat(&old.st, &a) == 0 && ii_stream_stat(&ls.st, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	r->skip_by_seq = r->has_seen_seq;
	r->skip_seq = r->seen_seq;
	r->skip_line = same ? r->seen_line : 0;
	r->skipping = r->skip_by_seq || r->skip_line;
	if (!r->skip_by_seq && !same) {
		/* another file (log text rotated): what waited for lines of the old one gets none */
		ii_fasm_flush(&r->fasm);
		r->has_prev = false;
	}
	r->base.bytes += old.bytes;
	r->base.records += old.records;
	r->base.bad += old.bad;
	r->base.cut += old.overlong;
	r->base.lost_records += old.overruns;
	r->base.rewinds += old.truncations;
	ii_logsrc_close(&old);
	r->ls = ls;
}

int ii_frun_follow(struct ii_frun *r, volatile sig_atomic_t *stop, int watch_fd)
{
	int flags;

	r->stop = stop;
	for (;;) {
		if (r->reopen && *r->reopen) {
			*r->reopen = 0;
			reopen(r);
		}
		flags = ii_frun_poll(r);
		if (flags < 0 || r->stopped || (stop && *stop) || (flags & (II_POLL_END | II_POLL_STOP)))
			break;
		if (flags & II_POLL_MORE)
			continue;
		if (ii_frun_wait(r, watch_fd) < 0)
			break; /* the output's reader went away */
	}
	if (!r->stopped) {
		/* what was held back for more that did not come */
		if (r->err == 0)
			ii_logsrc_take_rest(&r->ls, on_record, r);
		ii_fasm_flush(&r->fasm);
	}
	return flags < 0 ? flags : 0;
}

void ii_frun_stop(struct ii_frun *r)
{
	r->stopped = true;
}

void ii_frun_counts(const struct ii_frun *r, struct ii_frun_counts *out)
{
	*out = r->n;
	out->bytes = r->base.bytes + r->ls.bytes;
	out->records = r->base.records + r->ls.records - r->reread;
	out->lost_records = r->fasm.lost + r->base.lost_records + r->ls.overruns;
	out->bad = r->base.bad + r->ls.bad;
	out->cut = r->base.cut + r->ls.overlong;
	out->rewinds = r->base.rewinds + r->ls.truncations;
}

void ii_frun_log_warnings(struct ii_frun *r)
{
	const struct ii_logsrc *ls = &r->ls;
	unsigned long long n;

	if ((n = ls->bad))
		warn(r, "%s: %llu line%s not in /dev/kmsg record format; ignored%s", ls->display, n,
		     n == 1 ? " is" : "s are",
		     ls->is_file && ls->fmt == II_LOG_KMSG ? " (is it dmesg text? use --dmesg-file)" : "");
	if (!(n = ls->overlong))
		return;
	if (ls->fmt == II_LOG_TEXT)
		warn(r, "%s: %llu line%s longer than %d bytes %s cut to that length, the first at "
		     "line %llu (byte %llu)", ls->display, n, n == 1 ? "" : "s", II_LOG_LINE_MAX,
		     n == 1 ? "was" : "were", (unsigned long long)ls->cut_lineno,
		     (unsigned long long)ls->cut_offset);
	else
		warn(r, "%s: %llu record%s longer than %d bytes %s cut to that length, the first at "
		     "byte %llu", ls->display, n, n == 1 ? "" : "s", II_LOG_LINE_MAX,
		     n == 1 ? "was" : "were", (unsigned long long)ls->cut_offset);
}

void ii_frun_finish(struct ii_frun *r)
{
	const struct ii_fault_filter *flt = &r->opt.filter;
	struct ii_fault_log *l = &r->log;
	struct ii_fault_irqs *q = &r->irq;

	if (r->opt.summary) {
		/* with --device or --group, drops no fault of theirs follows are nobody's */
		ii_fsum_finish(&r->sum, !flt->device && !flt->group);
		ii_fsum_sort(&r->sum);
	}
	*l = (struct ii_fault_log){ .path = r->ls.display, .format = r->ls.fmt,
				    .records = r->ls.records, .bad = r->ls.bad,
				    .overlong = r->ls.overlong, .overruns = r->ls.overruns,
				    .has_first_seq = r->fasm.have_seq, .first_seq = r->fasm.first_seq };
	memset(q, 0, sizeof(*q));
	/* a file's log need not be this machine's, nor of this boot */
	if (r->opt.attribute && !r->ls.is_file && r->sys->irq_read && r->sys->irq.iommu_lines) {
		q->known = true;
		q->count = r->sys->irq.iommu_irqs;
		q->printed = r->n.faults;
		q->log_complete = l->has_first_seq && l->first_seq == 0;
		q->has_estimate = q->log_complete;
		if (q->log_complete && q->count > q->printed)
			q->not_printed = q->count - q->printed;
	}
}

void ii_frun_check(const struct ii_frun *r, uint64_t max, struct ii_fault_check *out)
{
	out->faults = r->sum.faults + r->sum.unparsed;
	out->max = max;
	out->ok = out->faults <= max;
	out->devices = r->sum.requesters;
	out->not_printed = r->sum.dropped;
	out->last = r->has_last ? &r->last : NULL;
}

void ii_frun_close(struct ii_frun *r)
{
	ii_logsrc_close(&r->ls);
	ii_fsum_free(&r->sum);
	free(r->unparsed);
	free(r->drops);
	r->unparsed = NULL;
	r->drops = NULL;
	r->nunparsed = r->ndrops = 0;
}

/* ------------------------------------------------------- status: boot facts */

void ii_frun_load_facts(struct ii_system *s)
{
	struct ii_frun_opts opt = { .facts = true, .no_faults = true };
	struct ii_frun r;
	int err = ii_frun_open(&r, s, &opt, NULL);

	if (err == 0)
		err = ii_frun_read_all(&r);
	s->log_err = err;
	if (err < 0 && !(err == -ENOENT && !ii_root_is_live(s->root))) {
		if (err == -EPERM || err == -EACCES)
			warn(&r, "%s: %s; run as root or set sysctl kernel.dmesg_restrict=0: facts "
			     "from the kernel log are unknown", r.ls.display, strerror(-err));
		else
			warn(&r, "%s: %s: facts from the kernel log are unknown", r.ls.display,
			     strerror(-err));
	}
	ii_frun_log_warnings(&r);
	if (err == 0 && !r.ls.device && s->log.records == 0 && !r.ls.bad)
		s->log_err = -ENODATA;
	ii_frun_close(&r);
}
