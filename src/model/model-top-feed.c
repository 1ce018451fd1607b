// SPDX-License-Identifier: MIT
/*
 * top's faults (include/model/top-feed.h): the model's fault run on the
 * root's kernel log, polled for what is new at every sample and fed to the
 * sampler. The run attributes each fault and dates it; this file only
 * passes faults and drops on and says whether the log is live.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fault-run.h"
#include "top-feed.h"

/* Polls per sample at most, so that a fault storm cannot hold the view (each reads 8 MiB). */
#define POLLS_PER_SAMPLE 16

struct ii_top_faults {
	struct ii_frun run;
	bool opened;
	bool replayed;            /* a recorded tree's log was read whole */
	int rc;                   /* how that went: 0 or -errno */
	bool has_recorded;        /* a recording's state of the log, and its records */
	struct ii_act_state recorded;
	struct ii_sampler *sp;
};

static void on_fault(void *ctx, const struct ii_fault *f)
{
	struct ii_top_faults *t = ctx;

	ii_sampler_fault(t->sp, f);
}

static void on_drop(void *ctx, const struct ii_fault_drop *d)
{
	struct ii_top_faults *t = ctx;

	ii_sampler_drop(t->sp, d);
}

static void log_state(struct ii_top_faults *t, struct ii_system *s, int rc)
{
	struct ii_act_state st = { .why = II_WHY_LIVE };
	const char *display = t->run.ls.display ? t->run.ls.display : "";

	if (rc == -EPERM || rc == -EACCES) {
		st = (struct ii_act_state){ .why = II_WHY_NOT_ROOT, .err = rc };
		snprintf(st.detail, sizeof(st.detail), "%s", display);
	} else if (rc == -ENOENT && !ii_root_is_live(s->root) && t->has_recorded) {
		/* no dev/kmsg in the tree: the recording's records are the log, as the recorder
		   found it */
		st = t->recorded;
	} else if (rc == -ENOENT && !ii_root_is_live(s->root)) {
		st = (struct ii_act_state){ .why = II_WHY_NOT_RECORDED, .err = rc };
	} else if (rc < 0) {
		st = (struct ii_act_state){ .why = II_WHY_ERROR, .err = rc };
		snprintf(st.detail, sizeof(st.detail), "%s", display);
	}
	ii_sampler_source(t->sp, II_ACT_KMSG, &st);
}

void ii_top_faults(struct ii_top_faults **tf, struct ii_system *s, struct ii_sampler *sp)
{
	struct ii_top_faults *t = *tf;
	int rc = 0;

	if (!sp) {
		if (t)
			ii_frun_close(&t->run);
		free(t);
		*tf = NULL;
		return;
	}
	if (!t) {
		struct ii_frun_opts opt = { .attribute = true, .messages = true };
		struct ii_frun_sink sink = { .fault = on_fault, .drop = on_drop };

		t = *tf = xcalloc(1, sizeof(*t));
		sink.ctx = t;
		t->sp = sp;
		rc = ii_frun_open(&t->run, s, &opt, &sink);
		t->opened = true;
	}
	t->sp = sp;
	t->run.sys = s; /* the model may have been read again since (hotplug) */
	if (!rc)
		rc = t->run.err;
	if (!ii_root_is_live(s->root)) {
		if (rc && !t->replayed) {
			t->rc = rc;
			t->replayed = true;
		}
		/* a recorded log is whole: read it to its end once, what waits emitted */
		if (!t->replayed)
			t->rc = ii_frun_read_all(&t->run);
		t->replayed = true;
		log_state(t, s, t->rc);
		return;
	}
	for (int i = 0; !rc && i < POLLS_PER_SAMPLE; i++) {
		int flags = ii_frun_poll(&t->run);

		if (flags < 0)
			rc = flags;
		else if (!(flags & II_POLL_MORE))
			break;
	}
	log_state(t, s, rc);
}

void ii_top_faults_replay(struct ii_top_faults **tf, struct ii_system *s, struct ii_sampler *sp,
			  const struct ii_act_reading *r, const struct ii_act_state *recorded)
{
	struct ii_top_faults *t;

	if (!*tf)
		ii_top_faults(tf, s, sp);
	t = *tf;
	t->sp = sp;
	t->run.sys = s;
	if (recorded && !t->has_recorded) {
		t->recorded = *recorded;
		t->has_recorded = true;
	}
	ii_frun_feed_kmsg(&t->run, r->kmsg, r->nkmsg);
	log_state(t, s, t->rc);
}
