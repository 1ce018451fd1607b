// SPDX-License-Identifier: MIT
/*
 * src/model/model-fault-run.c: a fault run over the recorded capture
 * (fixtures/intel-faults, attributed and not), the poll API a follower or a
 * live view uses (what is new since the last call, never waiting; a record
 * that comes in two writes; a file truncated, or truncated and written
 * again; a FIFO), and records longer than the limit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fault-run.h"
#include "fixture.h"
#include "model.h"
#include "test.h"

/* What a sink was handed. */
struct seen {
	unsigned faults, drops, unparsed, warnings;
	char last_warning[512];
	uint64_t last_addr;
};

static void s_fault(void *ctx, const struct ii_fault *f)
{
	struct seen *s = ctx;

	s->faults++;
	s->last_addr = f->addr;
}

static void s_drop(void *ctx, const struct ii_fault_drop *d)
{
	(void)d;
	((struct seen *)ctx)->drops++;
}

static void s_unparsed(void *ctx, const struct ii_logpos *pos, const char *line)
{
	(void)pos;
	(void)line;
	((struct seen *)ctx)->unparsed++;
}

static void s_warning(void *ctx, const char *msg)
{
	struct seen *s = ctx;

	s->warnings++;
	snprintf(s->last_warning, sizeof(s->last_warning), "%s", msg);
}

static struct ii_frun_sink sink_of(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	return (struct ii_frun_sink){ s_fault, s_drop, s_unparsed, s_warning, s };
}

/* ------------------------------------------------------ the recorded capture */

TEST(frun_capture_attributed)
{
	struct ii_frun_opts opt = { .attribute = true, .summary = true, .messages = true,
				    .keep = 1000, .keep_last = true };
	struct ii_fault_check chk;
	struct ii_frun_counts n;
	struct ii_system sys;
	struct ii_root *root;
	struct ii_frun r;
	struct seen seen;
	struct ii_frun_sink sink = sink_of(&seen);
	char path[4096], *err = NULL;

	if (!fx_path("intel-faults", path, sizeof(path)) || !(root = ii_root_open(path, &err))) {
		t_fail(__FILE__, __LINE__, "fixtures/intel-faults: %s", err ? err : "not found");
		free(err);
		return;
	}
	ii_system_load(&sys, root, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES |
				   II_LOAD_SYSINFO | II_LOAD_LOG, NULL);
	CHECK_INT(ii_frun_open(&r, &sys, &opt, &sink), 0);
	CHECK_INT(ii_frun_read_all(&r), 0);
	ii_frun_finish(&r);

	/* what `faults --summary -j` shows of the capture (tests/expected/cases) */
	CHECK_U64(r.sum.faults, 13);
	CHECK_U64(r.sum.requesters, 3);
	CHECK_INT(r.sum.nrows, 6);
	CHECK_U64(r.sum.suppressed, 8);
	CHECK_U64(r.sum.dropped, 3);
	CHECK_U64(r.sum.status_only, 1);
	CHECK_STR(r.sum.rows[0].key, "0000:00:05.0");
	CHECK(r.sum.rows[0].dev && r.sum.rows[0].dev->group == 2);
	CHECK(r.sum.rows[0].has_rate);
	CHECK_U64(r.sum.rows[0].per_hour, 1131);
	CHECK(r.sum.rows[0].per_min > 18.8 && r.sum.rows[0].per_min < 18.9);
	CHECK(!r.sum.rows[2].has_rate); /* one fault: no rate */
	CHECK_U64(r.sum.rows[5].dropped, 3);
	CHECK_U64(r.log.records, 630);
	CHECK(r.log.has_first_seq && r.log.first_seq == 0);
	CHECK_INT(r.log.format, II_LOG_KMSG);
	/* the ratelimit kept 13 of the 16 fault interrupts */
	CHECK(r.irq.known);
	CHECK_U64(r.irq.count, 16);
	CHECK_U64(r.irq.printed, 13);
	CHECK(r.irq.log_complete && r.irq.has_estimate);
	CHECK_U64(r.irq.not_printed, 3);

	ii_frun_check(&r, 0, &chk);
	CHECK(!chk.ok);
	CHECK_U64(chk.faults, 13);
	CHECK_INT(chk.devices, 3);
	CHECK_U64(chk.not_printed, 3);
	CHECK(chk.last && chk.last->has_bdf && chk.last->bdf.bus == 7 && chk.last->bdf.fn == 1);
	ii_frun_check(&r, 20, &chk);
	CHECK(chk.ok);

	ii_frun_counts(&r, &n);
	CHECK_U64(n.faults, 13);
	CHECK_U64(n.selected, 13);
	CHECK_U64(n.records, 630);
	CHECK_U64(n.lost_records, 0);
	CHECK_U64(n.not_printed, r.sum.dropped + 0);
	CHECK_INT(seen.faults, 13);
	CHECK_INT(seen.drops, (int)r.ndrops);
	CHECK_INT(seen.warnings, 0);
	ii_frun_close(&r);

	/* --device 0000:07:00.1: its 4 faults, and the drops that went with them */
	opt.filter = (struct ii_fault_filter){ .device = true, .bdf = { 0, 7, 0, 1 } };
	sink = sink_of(&seen);
	CHECK_INT(ii_frun_open(&r, &sys, &opt, &sink), 0);
	CHECK_INT(ii_frun_read_all(&r), 0);
	ii_frun_finish(&r);
	CHECK_U64(r.sum.faults, 4);
	CHECK_U64(r.sum.requesters, 1);
	CHECK_U64(r.sum.dropped, 3);
	CHECK_INT(seen.faults, 4);
	CHECK_U64(r.irq.printed, 13); /* the interrupts are every device's */
	ii_frun_close(&r);

	/* the boot facts of the same log, read by a run for status (II_LOAD_LOG) */
	CHECK_INT(sys.log.records, 630);
	CHECK(sys.log.default_domain.text != NULL);
	CHECK_INT(sys.log_err, 0);
	ii_system_free(&sys);
	ii_root_close(root);
}

/* The capture's log as a file the user names: not this machine's, so not attributed. */
TEST(frun_capture_as_file)
{
	struct ii_frun_opts opt = { .attribute = false, .summary = true, .fmt = II_LOG_KMSG };
	struct ii_system sys = { 0 };
	struct ii_frun r;
	char path[4096];

	if (!fx_path("intel-faults/dev/kmsg", path, sizeof(path))) {
		t_fail(__FILE__, __LINE__, "no fixtures");
		return;
	}
	opt.file = path;
	CHECK_INT(ii_frun_open(&r, &sys, &opt, NULL), 0);
	CHECK_INT(ii_frun_read_all(&r), 0);
	ii_frun_finish(&r);
	CHECK_U64(r.sum.faults, 13);
	CHECK_U64(r.sum.requesters, 3);
	CHECK(!r.irq.known);
	CHECK(r.sum.rows[0].dev == NULL && r.sum.rows[0].group == -1);
	ii_frun_close(&r);
	ii_system_free(&sys);
}

TEST(frun_missing_log)
{
	struct ii_frun_opts opt = { .file = "/nonexistent/kmsg", .summary = true };
	struct ii_system sys = { 0 };
	struct ii_frun r;
	char *msg;

	CHECK_INT(ii_frun_open(&r, &sys, &opt, NULL), -ENOENT);
	CHECK_INT(ii_frun_read_all(&r), -ENOENT);
	CHECK_INT(ii_frun_poll(&r), -ENOENT);
	msg = ii_frun_error(&r);
	CHECK_STR(msg, "cannot read /nonexistent/kmsg: No such file or directory");
	free(msg);
	ii_frun_close(&r);
	ii_system_free(&sys);
}

/* ------------------------------------------------------------- polling */

struct tmp {
	char dir[64], path[96];
};

static void tmp_make(struct tmp *t, const char *name)
{
	snprintf(t->dir, sizeof(t->dir), "%s/frun.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(t->dir))
		snprintf(t->dir, sizeof(t->dir), "/tmp");
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
}

static void tmp_free(struct tmp *t)
{
	unlink(t->path);
	rmdir(t->dir);
}

static void put(const char *path, const char *mode, const char *data, size_t len)
{
	FILE *f = fopen(path, mode);

	if (!f)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
}

/* Faults first..first+count-1 as the kernel logs them: status line, fault, an unrelated record. */
static char *faults(unsigned first, unsigned count)
{
	struct strbuf sb = { 0 };

	for (unsigned i = first; i < first + count; i++) {
		unsigned long us = 1000000 + i * 1000ul;

		sb_addf(&sb, "3,%u,%lu,-;DMAR: DRHD: handling fault status reg 2\n", 3 * i, us);
		sb_addf(&sb, "3,%u,%lu,-;DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr "
			"0x%x [fault reason 0x06] PTE Read access is not set\n", 3 * i + 1, us + 1,
			0x1000 * (i + 1));
		sb_addf(&sb, "6,%u,%lu,-;e1000e 0000:01:00.0 eth0: noise %u\n", 3 * i + 2, us + 2, i);
	}
	return sb_detach(&sb);
}

static void pause_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* Appended records are taken by the next poll, never more than once; counters only grow. */
TEST(frun_poll_takes_what_is_new)
{
	struct ii_frun_opts opt = { .fmt = II_LOG_KMSG, .messages = true, .idle_ms = 1 };
	struct ii_frun_counts a, b;
	struct ii_system sys = { 0 };
	struct ii_frun r;
	struct seen seen;
	struct ii_frun_sink sink = sink_of(&seen);
	struct tmp t;
	char *d;
	int flags;

	tmp_make(&t, "kmsg");
	put(t.path, "w", "", 0);
	opt.file = t.path;
	CHECK_INT(ii_frun_open(&r, &sys, &opt, &sink), 0);
	flags = ii_frun_poll(&r);
	CHECK(flags >= 0 && !(flags & II_POLL_DATA));
	ii_frun_counts(&r, &a);
	CHECK_U64(a.records, 0);

	d = faults(0, 3);
	put(t.path, "a", d, strlen(d));
	free(d);
	flags = ii_frun_poll(&r);
	CHECK(flags & II_POLL_DATA);
	CHECK_INT(seen.faults, 3);
	ii_frun_counts(&r, &b);
	CHECK(b.records >= 8 && b.records > a.records);
	CHECK_U64(b.faults, 3);

	/* nothing new: nothing handed out again; quiet: the last record is taken */
	pause_ms(3);
	flags = ii_frun_poll(&r);
	CHECK(flags >= 0 && !(flags & II_POLL_DATA));
	CHECK_INT(seen.faults, 3);
	ii_frun_counts(&r, &a);
	CHECK_U64(a.records, 9);

	d = faults(3, 2);
	put(t.path, "a", d, strlen(d));
	free(d);
	ii_frun_poll(&r);
	pause_ms(3);
	ii_frun_poll(&r);
	ii_frun_counts(&r, &b);
	CHECK_U64(b.records, 15);
	CHECK_U64(b.faults, 5);
	CHECK_U64(b.selected, 5);
	CHECK_U64(b.drops, 0);
	CHECK(b.bytes > a.bytes);
	CHECK_INT(seen.faults, 5);
	CHECK_U64(seen.last_addr, 0x5000);
	ii_frun_close(&r);
	ii_system_free(&sys);
	tmp_free(&t);
}

/*
 * A status line and half of its fault record in one write, the rest half a
 * second later (defect 10): the quiet spell between must not turn the status
 * line into a drop, which a read of the same bytes at once does not report.
 */
TEST(frun_poll_record_in_two_writes)
{
	struct ii_frun_opts opt = { .fmt = II_LOG_KMSG, .messages = true, .idle_ms = 1 };
	struct ii_frun_counts n;
	struct ii_system sys = { 0 };
	struct ii_frun r;
	struct seen seen;
	struct ii_frun_sink sink = sink_of(&seen);
	struct tmp t;
	char *d = faults(0, 1);
	size_t cut = (size_t)(strstr(d, "Request") - d);

	tmp_make(&t, "kmsg");
	put(t.path, "w", d, cut);
	opt.file = t.path;
	CHECK_INT(ii_frun_open(&r, &sys, &opt, &sink), 0);
	for (int i = 0; i < 4; i++) {
		ii_frun_poll(&r);
		pause_ms(3);
	}
	CHECK_INT(seen.drops, 0);
	CHECK_INT(seen.faults, 0);
	put(t.path, "a", d + cut, strlen(d) - cut);
	for (int i = 0; i < 4; i++) {
		ii_frun_poll(&r);
		pause_ms(3);
	}
	CHECK_INT(seen.faults, 1);
	CHECK_INT(seen.drops, 0);
	ii_frun_counts(&r, &n);
	CHECK_U64(n.drops, 0);
	ii_frun_close(&r);

	/* the status line alone, its fault line later: still no drop */
	put(t.path, "w", d, (size_t)(strchr(d, '\n') + 1 - d));
	sink = sink_of(&seen);
	CHECK_INT(ii_frun_open(&r, &sys, &opt, &sink), 0);
	for (int i = 0; i < 4; i++) {
		ii_frun_poll(&r);
		pause_ms(3);
	}
	put(t.path, "a", strchr(d, '\n') + 1, strlen(strchr(d, '\n') + 1));
	for (int i = 0; i < 4; i++) {
		ii_frun_poll(&r);
		pause_ms(3);
	}
	CHECK_INT(seen.faults, 1);
	CHECK_INT(seen.drops, 0);
	/* and a status line whose fault never comes is one at the end */
	put(t.path, "a", "3,3,2000000,-;DMAR: DRHD: handling fault status reg 2\n", 54);
	CHECK_INT(ii_frun_follow(&r, &(volatile sig_atomic_t){ 1 }, -1), 0);
	CHECK_INT(seen.drops, 1);
	ii_frun_close(&r);
	ii_system_free(&sys);
	tmp_free(&t);
	free(d);
}

/*
 * A followed file truncated, then written again between two looks (defect
 * 11): read again from its start, with a warning, no record lost; and one
 * that only shrank.
 */
TEST(frun_poll_truncated_and_rewritten)
{
	struct ii_frun_opts opt = { .fmt = II_LOG_KMSG, .messages = true, .idle_ms = 1 };
	struct ii_frun_counts n;
	struct ii_system sys = { 0 };
	struct ii_frun r;
	struct seen seen;
	struct ii_frun_sink sink = sink_of(&seen);
	struct tmp t;
	char *d = faults(0, 20), *e = faults(20, 40), *f = faults(100, 2);

	tmp_make(&t, "kmsg");
	put(t.path, "w", d, strlen(d));
	opt.file = t.path;
	CHECK_INT(ii_frun_open(&r, &sys, &opt, &sink), 0);
	ii_frun_poll(&r);
	pause_ms(3);
	ii_frun_poll(&r);
	CHECK_INT(seen.faults, 20);
	/* truncate, then 40 others at once: more bytes than were read */
	put(t.path, "w", e, strlen(e));
	ii_frun_poll(&r);
	pause_ms(3);
	ii_frun_poll(&r);
	CHECK_INT(seen.faults, 60);
	CHECK_U64(seen.last_addr, 0x1000 * 60);
	CHECK_INT(seen.warnings, 1);
	CHECK(strstr(seen.last_warning, "truncated and written again") != NULL);
	/* shorter than what was read */
	put(t.path, "w", f, strlen(f));
	ii_frun_poll(&r);
	pause_ms(3);
	ii_frun_poll(&r);
	CHECK_INT(seen.faults, 62);
	CHECK_INT(seen.warnings, 2);
	CHECK(strstr(seen.last_warning, "shrank") != NULL);
	ii_frun_counts(&r, &n);
	CHECK_U64(n.rewinds, 2);
	CHECK_U64(n.bad, 0);
	CHECK_INT(sys.diags.warnings.n, 2);
	ii_frun_close(&r);
	ii_system_free(&sys);
	tmp_free(&t);
	free(d);
	free(e);
	free(f);
}

/*
 * A FIFO: a poll with nothing new written returns at once; the writer's close is the end.
 * (The open waits for the first writer's bytes or close: some are written first.)
 */
TEST(frun_poll_fifo_never_waits)
{
	struct ii_frun_opts opt = { .fmt = II_LOG_KMSG, .messages = true, .idle_ms = 1 };
	struct ii_system sys = { 0 };
	struct timespec t0, t1;
	struct ii_frun r;
	struct seen seen;
	struct ii_frun_sink sink = sink_of(&seen);
	struct tmp t;
	char *d = faults(0, 2), *e = faults(2, 1);
	int w, flags;

	tmp_make(&t, "fifo");
	if (mkfifo(t.path, 0600) < 0) {
		t_fail(__FILE__, __LINE__, "mkfifo: %s", strerror(errno));
		return;
	}
	w = open(t.path, O_RDWR | O_CLOEXEC); /* a writer, so that the reader's open does not wait */
	CHECK_INT(write(w, d, strlen(d)), (int)strlen(d));
	opt.file = t.path;
	CHECK_INT(ii_frun_open(&r, &sys, &opt, &sink), 0);
	ii_frun_poll(&r);
	CHECK_INT(seen.faults, 2);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	flags = ii_frun_poll(&r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(flags >= 0 && !(flags & (II_POLL_DATA | II_POLL_END)));
	CHECK(t1.tv_sec - t0.tv_sec < 1);
	CHECK_INT(write(w, e, strlen(e)), (int)strlen(e));
	ii_frun_poll(&r);
	CHECK_INT(seen.faults, 3);
	close(w);
	pause_ms(3);
	flags = ii_frun_poll(&r);
	CHECK(flags >= 0 && (flags & II_POLL_END));
	ii_frun_close(&r);
	ii_system_free(&sys);
	tmp_free(&t);
	free(d);
	free(e);
}

/* ------------------------------------------------------- overlong records */

/* Records and lines longer than the limit are cut, the rest passed over, the first one's place told. */
TEST(frun_overlong_cut)
{
	struct ii_frun_opts opt = { .summary = true, .messages = true };
	struct ii_system sys = { 0 };
	struct ii_frun r;
	struct seen seen;
	struct ii_frun_sink sink = sink_of(&seen);
	struct strbuf sb = { 0 };
	struct tmp t;
	char *d = faults(0, 1), *e = faults(1, 1), *long_line;
	size_t big = 3 * II_LOG_LINE_MAX, at;

	long_line = malloc(big + 1);
	memset(long_line, 'x', big);
	long_line[big] = '\0';
	tmp_make(&t, "log");
	opt.file = t.path;

	/* kmsg: a record of 3 MiB between two faults, then one without a newline at the end */
	sb_adds(&sb, d);
	at = sb.len;
	sb_addf(&sb, "6,100,2000000,-;%s\n", long_line);
	sb_adds(&sb, e);
	sb_addf(&sb, "6,200,3000000,-;%s", long_line);
	put(t.path, "w", sb.buf, sb.len);
	opt.fmt = II_LOG_KMSG;
	CHECK_INT(ii_frun_open(&r, &sys, &opt, &sink), 0);
	CHECK_INT(ii_frun_read_all(&r), 0);
	ii_frun_log_warnings(&r);
	CHECK_INT(seen.faults, 2);
	CHECK_U64(r.ls.overlong, 2);
	CHECK_U64(r.ls.cut_offset, at);
	CHECK_U64(r.ls.bad, 0);
	CHECK_U64(r.ls.records, 8);
	CHECK_INT(seen.warnings, 1);
	{
		char want[160];

		snprintf(want, sizeof(want), "2 records longer than %d bytes were cut to that length, "
			 "the first at byte %zu", II_LOG_LINE_MAX, at);
		CHECK(strstr(seen.last_warning, want) != NULL);
	}
	ii_frun_close(&r);

	/* text: the same as lines */
	sb_reset(&sb);
	sb_adds(&sb, "[    1.000000] DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr "
		"0x1000 [fault reason 0x06] PTE Read access is not set\n");
	at = sb.len;
	sb_addf(&sb, "[    2.000000] %s\n", long_line);
	sb_adds(&sb, "[    3.000000] DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr "
		"0x2000 [fault reason 0x06] PTE Read access is not set\n");
	sb_addf(&sb, "[    4.000000] %s", long_line);
	put(t.path, "w", sb.buf, sb.len);
	opt.fmt = II_LOG_TEXT;
	sink = sink_of(&seen);
	CHECK_INT(ii_frun_open(&r, &sys, &opt, &sink), 0);
	CHECK_INT(ii_frun_read_all(&r), 0);
	ii_frun_log_warnings(&r);
	CHECK_INT(seen.faults, 2);
	CHECK_U64(r.ls.overlong, 2);
	CHECK_U64(r.ls.cut_offset, at);
	CHECK_U64(r.ls.cut_lineno, 2);
	CHECK_U64(r.ls.records, 4);
	CHECK(strstr(seen.last_warning, "2 lines longer than") && strstr(seen.last_warning, "line 2"));
	ii_frun_close(&r);

	sb_free(&sb);
	free(long_line);
	free(d);
	free(e);
	ii_system_free(&sys);
	tmp_free(&t);
}
