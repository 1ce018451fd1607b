// SPDX-License-Identifier: MIT
/*
 * `snapshot --activity SECS`: the activity source's readings, one a second,
 * and the kernel log records that arrived in between, written as the
 * recording a replay reads (II_PATH_ACTIVITY; the format is in
 * src/parse/parse-activity.c and man/iommu-inspect-snapshot.8). The log is
 * read on from where the snapshot's own copy of dev/kmsg ended, so that the
 * two together hold every record once. Nothing is decided here: the states
 * are the source's, the records are as the kernel gave them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actsrc.h"
#include "logsrc.h"
#include "paths.h"

#define NSEC 1000000000LL

struct klog {
	struct ii_logsrc ls;
	bool open, have_after;
	uint64_t after;           /* records up to this seq are in the snapshot already */
	struct strbuf *out;
	size_t records;
	bool keep;                /* false: the first drain, which only learns where the log is */
};

/* The seq of the last whole record in the snapshot's copy of dev/kmsg. */
static bool last_seq(const struct strbuf *sb, uint64_t *seq)
{
	size_t off = 0, line, last = SIZE_MAX, lastlen = 0;
	struct strbuf tmp = { 0 };
	struct ii_kmsg m;
	bool ok = false;

	while (sb && off < sb->len) {
		size_t n = ii_kmsg_record_span(sb->buf + off, sb->len - off, &line);

		if (!n)
			break;
		if (line && sb->buf[off] != ' ') {
			last = off;
			lastlen = n;
		}
		off += n;
	}
	if (last != SIZE_MAX && ii_parse_kmsg_buf(sb->buf + last, lastlen, &m, &tmp) == 0) {
		*seq = m.seq;
		ok = true;
	}
	sb_free(&tmp);
	return ok;
}

static int on_record(void *ctx, const struct ii_logrec *r)
{
	struct klog *k = ctx;

	if (!r || !r->kmsg)
		return 0;
	if (!k->keep) {
		/* where the log is now: what came before is in the snapshot or too old */
		if (!k->have_after || r->kmsg->seq > k->after)
			k->after = r->kmsg->seq;
		k->have_after = true;
		return 0;
	}
	if (k->have_after && r->kmsg->seq <= k->after)
		return 0;
	ii_act_format_kmsg(k->out, r->kmsg);
	k->records++;
	return 0;
}

static void drain(struct klog *k)
{
	if (k->open)
		ii_logsrc_read(&k->ls, on_record, k, true);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

/* Sleep until t (monotonic ns) or until *stop. */
static void sleep_until(int64_t t, volatile sig_atomic_t *stop)
{
	struct timespec ts = { (time_t)(t / NSEC), (long)(t % NSEC) };

	while (!(stop && *stop) && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void header(struct strbuf *out, const struct ii_system *s, const struct ii_activity *a,
		   bool live)
{
	struct ii_act_header h;

	memset(&h, 0, sizeof(h));
	h.schema_version = II_ACT_SCHEMA_VERSION;
	str_copy(h.version, sizeof(h.version), II_VERSION, strlen(II_VERSION));
	if (s->kernel_release)
		str_copy(h.kernel, sizeof(h.kernel), s->kernel_release, strlen(s->kernel_release));
	h.live = live;
	h.interval_ms = 1000;
	for (size_t f = 0; f < II_ACT_FAMILIES; f++) {
		h.family[f] = a->family[f];
		h.has_family[f] = true;
	}
	h.units = a->units;
	h.nunits = a->nunits;
	ii_act_format_header(out, &h);
}

int ii_act_record(struct ii_system *s, struct ii_snapshot *sn, unsigned secs, bool kmsg,
		  volatile sig_atomic_t *stop, struct ii_act_rec_stats *st)
{
	bool live = ii_root_is_live(s->root);
	struct strbuf out = { 0 };
	struct ii_activity a;
	struct klog k;
	int64_t t0 = 0, first_t = 0, last_t = 0;

	memset(st, 0, sizeof(*st));
	memset(&k, 0, sizeof(k));
	k.out = &out;
	/*
	 * What the open reads (PMU and tracefs files, debugfs) is not copied into the snapshot:
	 * the recording's states say what was found, and --no-debugfs stays true.
	 */
	ii_act_open(&a, s);

	if (!kmsg) {
		ii_act_state_set(&a.family[II_ACT_KMSG], II_WHY_NOT_RECORDED, 0,
				 "the kernel log was left out (snapshot --no-kmsg)");
	} else if (!a.recorded) {
		int rc = ii_logsrc_open_root(&k.ls, s->root);

		k.open = rc == 0;
		if (!k.open)
			ii_logsrc_close(&k.ls);
		k.have_after = last_seq(ii_snapshot_stream(sn, II_PATH_KMSG), &k.after);
		/* with no copy to go on from, start at the log's present end */
		k.keep = k.have_after;
		if (!k.keep) {
			drain(&k);
			k.keep = true;
		}
	}
	header(&out, s, &a, live);

	for (unsigned i = 0; i <= secs && !(stop && *stop); i++) {
		struct ii_act_reading r;

		if (i == 0)
			t0 = now_ns();
		else if (live)
			sleep_until(t0 + (int64_t)i * NSEC, stop);
		if (stop && *stop)
			break;
		drain(&k);
		if (ii_act_read(&a, &r) <= 0)
			break;
		if (a.recorded && st->readings && r.t_ns - first_t > (int64_t)secs * NSEC) {
			ii_act_reading_free(&r);
			break;
		}
		/* a replay's records travel with its readings */
		for (size_t j = 0; j < r.nkmsg; j++)
			ii_act_format_kmsg(&out, &r.kmsg[j]);
		k.records += r.nkmsg;
		if (k.open)
			r.kmsg_lost = k.ls.overruns;
		ii_act_format_reading(&out, &r);
		if (!st->readings)
			first_t = r.t_ns;
		last_t = r.t_ns;
		st->readings++;
		st->kmsg_lost = r.kmsg_lost;
		ii_act_reading_free(&r);
	}
	st->kmsg = k.records;
	st->seconds = (double)(last_t - first_t) / NSEC;
	if (k.open)
		ii_logsrc_close(&k.ls);
	ii_act_close(&a);
	ii_snapshot_add_data(sn, II_PATH_ACTIVITY, &out);
	sb_free(&out);
	return 0;
}
