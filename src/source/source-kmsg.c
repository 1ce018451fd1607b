// SPDX-License-Identifier: MIT
/*
 * The kernel log as a stream of records (include/logsrc.h): dev/kmsg of the
 * root, a character device on the live system (one record per read,
 * kernel-interfaces §5.1) or a file of records in a snapshot; or a file the
 * user names, in /dev/kmsg format or as log text. The model's fault run
 * (include/model/fault-run.h) reads it for `faults` and for the boot facts
 * of `status`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "logsrc.h"
#include "ntstore.h"
#include "source.h"
#include "paths.h"

#define RECORD_MAX 16384
#define CHUNK (128 * 1024)

enum take_mode {
	TAKE_MORE,  /* more may come: hold back a record that ends the buffer */
	TAKE_QUIET, /* the writer is quiet: a record ending in a newline is whole */
	TAKE_END,   /* the end: take everything */
};

static void classify(struct ii_logsrc *ls)
{
	struct stat st;

	if (ii_stream_stat(&ls->st, &st) < 0)
		return;
	ls->device = S_ISCHR(st.st_mode);
	ls->fifo = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
	ls->regular = S_ISREG(st.st_mode);
}

int ii_logsrc_open_root(struct ii_logsrc *ls, struct ii_root *r)
{
	int err;

	memset(ls, 0, sizeof(*ls));
	ls->fmt = II_LOG_KMSG;
	ls->display = ii_root_display(r, II_PATH_KMSG);
	err = ii_stream_open(r, &ls->st, II_PATH_KMSG, true);
	if (err == 0)
		classify(ls);
	return err;
}

int ii_logsrc_open_file(struct ii_logsrc *ls, const char *path, enum ii_log_format fmt,
			volatile sig_atomic_t *stop)
{
	int err;

	memset(ls, 0, sizeof(*ls));
	ls->fmt = fmt;
	ls->is_file = true;
	ls->display = xstrdup(strcmp(path, "-") ? path : "standard input");
	err = ii_stream_open_path(&ls->st, path, stop);
	if (err == 0)
		classify(ls);
	return err;
}

void ii_logsrc_close(struct ii_logsrc *ls)
{
	ii_stream_close(&ls->st);
	sb_free(&ls->in);
	free(ls->display);
	ls->display = NULL;
}

/* ---------------------------------------------------------------- records */

void ii_logrec_from_kmsg(struct ii_logrec *r, const struct ii_kmsg *m)
{
	/* field by field: cheaper than a memset() of the whole, which is a call (see Makefile) */
	r->prio = m->prio;
	r->has_seq = r->has_usec = true;
	r->seq = m->seq;
	r->usec = m->usec;
	r->lineno = 0;
	r->kernel = (m->prio >> 3) == 0; /* facility 0: the kernel; others were written by programs */
	r->indented = false;
	r->one_line = false; /* a record may hold several lines (\x0a) */
	r->wall = (struct ii_walltime){ .usec = -1 };
	r->text = m->text;
	r->len = m->text_len;
	r->kmsg = m;
	r->has_realtime = false;
	r->device = NULL;
	r->pre = NULL;
}

void ii_logrec_from_textslot(struct ii_logrec *r, const struct ii_textslot *t)
{
	unsigned flags = ii_textslot_flags(t);

	r->prio = (int8_t)(t->meta >> 32);
	r->has_seq = false;
	r->seq = 0;
	r->has_usec = flags & II_TS_USEC;
	r->usec = t->usec;
	r->lineno = t->lineno;
	r->kernel = flags & II_TS_KERNEL;
	r->indented = flags & II_TS_INDENTED;
	r->one_line = flags & II_TS_ONE_LINE;
	if (flags & II_TS_WALL)
		r->wall = (struct ii_walltime){ .valid = true, .year = (uint16_t)t->wall_date,
						 .mon = (uint8_t)(t->wall_date >> 16),
						 .mday = (uint8_t)(t->wall_date >> 24),
						 .hour = (uint8_t)(t->wall_date >> 32),
						 .min = (uint8_t)(t->wall_date >> 40),
						 .sec = (uint8_t)(t->wall_date >> 48),
						 .usec = (int32_t)t->wall_frac,
						 .has_tz = flags & II_TS_TZ,
						 .tz_min = (int16_t)(t->wall_frac >> 32) };
	else
		r->wall.valid = false; /* nothing else of it is read */
	r->text = ii_textslot_text(t);
	r->len = ii_textslot_len(t);
	r->kmsg = NULL;
	r->has_realtime = false;
	r->realtime = 0;
	r->device = NULL;
	r->pre = NULL;
}

/*
 * One record of len bytes whose first line is rec[0..line), parsed in place:
 * rec[len] is overwritten when the record does not end in a newline.
 */
static int kmsg_record(struct ii_logsrc *ls, char *rec, size_t len, size_t line,
		       ii_logrec_fn fn, void *ctx)
{
	struct ii_logrec r;
	struct ii_kmsg m;

	if (len == 0 || (len == 1 && rec[0] == '\n'))
		return 0;
	if (ii_parse_kmsg_inplace(rec, len, line, &m) < 0) {
		ls->bad++;
		return 0;
	}
	ls->records++;
	if (ls->kslot) {
		/*
		 * The bulk reader's slot, written whole and around the cache (as a
		 * text record's): the callback takes it from there.
		 */
		_Static_assert(sizeof(m) % 8 == 0 && _Alignof(struct ii_kmsg) >= 8,
			       "a kmsg record is whole 8-byte words");
		ii_nt_copy64(ls->kslot, &m, sizeof(m) / 8);
		return fn(ctx, NULL);
	}
	ii_logrec_from_kmsg(&r, &m);
	return fn(ctx, &r);
}

/*
 * One record of text at line[off..]: what ii_parse_textline found, handed
 * out; line[t->msg_end] is overwritten with a NUL.
 */
static int text_record(struct ii_logsrc *ls, char *line, const struct ii_textline *t,
		       ii_logrec_fn fn, void *ctx)
{
	struct ii_logrec r;
	size_t len = t->msg_end - t->msg;
	bool one_line = true; /* a line of the file: its newline was where it was cut */

	line[t->msg_end] = '\0';
	if (t->syslog && memmem(line + t->msg, len, "#012", 4)) {
		/* rsyslog writes the newlines of a multi-line message as #012 */
		char *o = line + t->msg, *p = o, *end = line + t->msg_end;

		while (p < end) {
			if (end - p >= 4 && !memcmp(p, "#012", 4)) {
				*o++ = '\n';
				p += 4;
			} else {
				*o++ = *p++;
			}
		}
		*o = '\0';
		len = (size_t)(o - (line + t->msg));
		one_line = false;
	}
	ls->records++;
	if (ls->tslot) {
		/*
		 * the bulk reader's slot: the callback takes it from there (as
		 * kmsg_record's); each word is made whole, then stored around the
		 * cache (include/core/ntstore.h)
		 */
		struct ii_textslot *s = ls->tslot;
		const struct ii_walltime *w = &t->wall;
		uint64_t flags = (t->has_usec ? II_TS_USEC : 0) | (t->kernel ? II_TS_KERNEL : 0) |
				 (t->indented ? II_TS_INDENTED : 0) | (one_line ? II_TS_ONE_LINE : 0);
		uint64_t meta = (uint64_t)(uint32_t)len | (uint64_t)(uint8_t)(int8_t)t->prio << 32;

		if (w->valid) {
			/* the parser's ranges: year 0-9999, tz_min within +-99:99, the rest smaller */
			uint64_t date = (uint64_t)(uint16_t)w->year | (uint64_t)(uint8_t)w->mon << 16 |
					(uint64_t)(uint8_t)w->mday << 24 |
					(uint64_t)(uint8_t)w->hour << 32 |
					(uint64_t)(uint8_t)w->min << 40 | (uint64_t)(uint8_t)w->sec << 48;
			uint64_t frac = (uint64_t)(uint32_t)(int32_t)w->usec |
					(uint64_t)(uint16_t)(int16_t)w->tz_min << 32;

			flags |= II_TS_WALL | (w->has_tz ? II_TS_TZ : 0);
			ii_nt_store64(&s->wall_date, date);
			ii_nt_store64(&s->wall_frac, frac);
		}
		ii_nt_store64(&s->text, (uint64_t)(uintptr_t)(line + t->msg));
		ii_nt_store64(&s->usec, t->usec);
		ii_nt_store64(&s->lineno, ls->lineno);
		ii_nt_store64(&s->meta, meta | flags << 40);
		return fn(ctx, NULL);
	}
	/* field by field: cheaper than clearing the whole first (a call, see Makefile) */
	r.prio = t->prio;
	r.has_seq = false;
	r.seq = 0;
	r.has_usec = t->has_usec;
	r.usec = t->usec;
	r.lineno = ls->lineno;
	r.kernel = t->kernel;
	r.indented = t->indented;
	r.one_line = one_line;
	r.wall = t->wall;
	r.text = line + t->msg;
	r.len = len;
	r.kmsg = NULL;
	r.has_realtime = false;
	r.realtime = 0;
	r.device = NULL;
	r.pre = NULL;
	return fn(ctx, &r);
}

/*
 * One line of text; line[len] may be overwritten (it is the newline, or spare
 * room). A line into which a paste joined several records gives each of them.
 */
static int text_line(struct ii_logsrc *ls, char *line, size_t len, ii_logrec_fn fn, void *ctx)
{
	struct ii_textline t;
	int rc;

	ls->lineno++;
	while (len && line[len - 1] == '\r')
		len--;
	line[len] = '\0';
	for (;;) {
		ii_parse_textline(line, len, &t);
		if (!t.next)
			return text_record(ls, line, &t, fn, ctx);
		rc = text_record(ls, line, &t, fn, ctx);
		if (rc)
			return rc;
		line += t.next;
		len -= t.next;
	}
}

/* The offset in the file of the byte at p of the buffer. */
static uint64_t file_offset(const struct ii_logsrc *ls, const char *p)
{
	return ls->offset - (uint64_t)(ls->in.buf + ls->in.len - p);
}

/* A record or line at p is longer than II_LOG_LINE_MAX: counted, and the first one's place kept. */
static void cut_at(struct ii_logsrc *ls, const char *p)
{
	if (ls->overlong++)
		return;
	ls->cut_offset = file_offset(ls, p);
	ls->cut_lineno = ls->fmt == II_LOG_TEXT ? ls->lineno + 1 : 0;
}

/*
 * Pass over the rest of a record or line that was cut, up to where the next
 * one starts: true when that was found, false when all there is was passed
 * over (a kmsg record's last newline is kept: the line after it may still
 * continue the record).
 */
static bool skip_rest(struct ii_logsrc *ls, const char *p, size_t avail, enum take_mode mode)
{
	size_t n, line;

	if (ls->fmt == II_LOG_TEXT) {
		const char *nl = memchr(p, '\n', avail);

		n = nl ? (size_t)(nl - p) + 1 : avail;
		ls->done += n;
		ls->skip = !nl && mode != TAKE_END;
		return !ls->skip;
	}
	n = ii_kmsg_record_span(p, avail, &line);
	if (n < avail || mode == TAKE_END || (mode == TAKE_QUIET && p[avail - 1] == '\n')) {
		ls->done += n;
		ls->skip = false;
		return true;
	}
	ls->done += avail - (p[avail - 1] == '\n');
	return false;
}

/*
 * Hand out the records in the buffer. None is longer than II_LOG_LINE_MAX:
 * a longer one is cut there (its last byte becomes the NUL of what is kept)
 * and the rest of it passed over, so that the buffer never holds more than
 * that and a chunk, whatever the file.
 */
static int take(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, enum take_mode mode)
{
	struct strbuf *in = &ls->in;
	int rc = 0;

	while (ls->done < in->len && !rc) {
		char *p = in->buf + ls->done;
		size_t avail = in->len - ls->done, n, line;

		if (ls->skip) {
			if (!skip_rest(ls, p, avail, mode))
				break;
			continue;
		}
		if (ls->fmt == II_LOG_KMSG) {
			n = ii_kmsg_record_span(p, avail, &line);
			/* whole when the next record's first byte is there */
			if (n >= avail && mode != TAKE_END &&
			    !(mode == TAKE_QUIET && p[avail - 1] == '\n')) {
				if (avail <= II_LOG_LINE_MAX)
					break;
				/* its end has not come yet; a last newline may end it, and is kept */
				n = avail - (p[avail - 1] == '\n');
				ls->skip = true;
			}
			if (n > II_LOG_LINE_MAX || ls->skip) {
				cut_at(ls, p);
				rc = kmsg_record(ls, p, II_LOG_LINE_MAX - 1,
						 line < II_LOG_LINE_MAX - 1 ? line : II_LOG_LINE_MAX - 1, fn, ctx);
			} else {
				rc = kmsg_record(ls, p, n, line, fn, ctx);
			}
			ls->done += n;
		} else {
			char *nl = memchr(p, '\n', avail);

			if (nl)
				n = (size_t)(nl - p);
			else if (mode == TAKE_END || avail > II_LOG_LINE_MAX)
				n = avail;
			else
				break;
			if (n > II_LOG_LINE_MAX) {
				cut_at(ls, p);
				ls->skip = !nl && mode != TAKE_END; /* its end has not come yet */
				rc = text_line(ls, p, II_LOG_LINE_MAX - 1, fn, ctx);
			} else {
				rc = text_line(ls, p, n, fn, ctx);
			}
			ls->done += n + (nl ? 1 : 0);
		}
	}
	if (ls->bulk) {
		/* the records taken point into the buffer: the bulk reader moves what is left */
	} else if (ls->done == in->len) {
		in->len = ls->done = 0;
	} else if (ls->done > CHUNK) {
		memmove(in->buf, in->buf + ls->done, in->len - ls->done);
		in->len -= ls->done;
		ls->done = 0;
	}
	return rc;
}

size_t ii_logsrc_pending(const struct ii_logsrc *ls)
{
	return ls->in.len - ls->done;
}

/* The last bytes read, to tell later whether the file still holds them there. */
static void keep_tail(struct ii_logsrc *ls, const char *buf, size_t n)
{
	size_t k = sizeof(ls->tail), keep;

	if (n >= k) {
		memcpy(ls->tail, buf + n - k, k);
		ls->tail_len = k;
		return;
	}
	keep = ls->tail_len + n > k ? k - n : ls->tail_len;
	memmove(ls->tail, ls->tail + ls->tail_len - keep, keep);
	memcpy(ls->tail + keep, buf, n);
	ls->tail_len = keep + n;
}

/* Read a chunk into the buffer (with room for a NUL after it): bytes read, 0 at EOF, -errno. */
ssize_t ii_logsrc_fill(struct ii_logsrc *ls)
{
	struct strbuf *in = &ls->in;
	ssize_t n;

	xgrow((void **)&in->buf, &in->cap, in->len + CHUNK + 1, 1);
	n = ii_stream_read(&ls->st, in->buf + in->len, CHUNK);
	if (n > 0) {
		if (ls->regular)
			keep_tail(ls, in->buf + in->len, (size_t)n);
		in->len += (size_t)n;
		in->buf[in->len] = '\0';
		ls->offset += (uint64_t)n;
		ls->bytes += (uint64_t)n;
		ls->eof = false;
	} else if (n == 0) {
		ls->eof = true;
	}
	return n;
}

/*
 * The live device: each read returns one record; EAGAIN at the end, EPIPE
 * after overwrites. At most budget records (0: no limit); *more is set when
 * that stopped it.
 */
static int read_device(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, unsigned budget, bool *more)
{
	xgrow((void **)&ls->in.buf, &ls->in.cap, RECORD_MAX, 1);
	for (unsigned i = 0; !budget || i < budget; i++) {
		ssize_t n = ii_stream_read(&ls->st, ls->in.buf, RECORD_MAX - 1);
		const char *nl;
		int rc;

		if (n == -EPIPE) {
			ls->overruns++; /* records were overwritten: go on from the oldest */
			continue;
		}
		if (n == -EAGAIN || n == 0)
			return 0;
		if (n < 0)
			return (int)n;
		ls->offset += (uint64_t)n;
		ls->bytes += (uint64_t)n;
		nl = memchr(ls->in.buf, '\n', (size_t)n);
		rc = kmsg_record(ls, ls->in.buf, (size_t)n, nl ? (size_t)(nl - ls->in.buf) : (size_t)n,
				 fn, ctx);
		if (rc)
			return rc;
	}
	*more = true;
	return 0;
}

/* ii_logsrc_read, reading at most budget chunks or records (0: no limit); *more: it stopped so. */
static int read_some(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, bool final, unsigned budget,
		     bool *more)
{
	int rc;

	*more = false;
	if (ls->st.fd < 0)
		return -EBADF;
	if (ls->device && ls->fmt == II_LOG_KMSG)
		return read_device(ls, fn, ctx, budget, more);
	for (unsigned i = 0;; i++) {
		ssize_t n;

		rc = take(ls, fn, ctx, TAKE_MORE);
		if (rc)
			return rc;
		if (budget && i == budget) {
			*more = true;
			return 0;
		}
		n = ii_logsrc_fill(ls);
		if (n == -EAGAIN)
			break;
		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
	}
	return take(ls, fn, ctx, final ? TAKE_END : TAKE_MORE);
}

int ii_logsrc_read(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, bool final)
{
	bool more;

	return read_some(ls, fn, ctx, final, 0, &more);
}

int ii_logsrc_take(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, bool end)
{
	return take(ls, fn, ctx, end ? TAKE_END : TAKE_MORE);
}

/* ------------------------------------------------------------- following */

#define POLL_BUDGET 64 /* chunks (8 MiB) or device records read by one ii_logsrc_poll */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t ii_logsrc_quiet_ms(const struct ii_logsrc *ls)
{
	return now_ms() - ls->last_data_ms;
}

int ii_logsrc_poll(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, int idle_ms)
{
	uint64_t records = ls->records, bytes = ls->bytes;
	int flags = 0, rc;
	bool more;

	if (!ls->polling) {
		ls->polling = true;
		ls->last_data_ms = now_ms();
		if (ls->fifo) /* a FIFO or pipe is read as far as it has bytes, not waited for */
			ii_stream_set_nonblock(&ls->st, true);
	}
	rc = read_some(ls, fn, ctx, false, POLL_BUDGET, &more);
	if (rc < 0 && rc != -EINTR)
		return rc;
	if (rc > 0)
		flags |= II_POLL_STOP;
	if (more)
		flags |= II_POLL_MORE;
	if (ls->records != records || ls->bytes != bytes) {
		flags |= II_POLL_DATA;
		ls->last_data_ms = now_ms();
		ls->idle_done = false;
	}
	if (ls->fifo && ls->eof)
		flags |= II_POLL_END;
	if (!(flags & (II_POLL_STOP | II_POLL_MORE)) && !ls->idle_done &&
	    ii_logsrc_quiet_ms(ls) >= idle_ms) {
		ls->idle_done = true;
		flags |= II_POLL_QUIET;
		if (take(ls, fn, ctx, TAKE_QUIET))
			flags |= II_POLL_STOP;
	}
	return flags;
}

int ii_logsrc_take_rest(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx)
{
	return take(ls, fn, ctx, TAKE_END);
}
