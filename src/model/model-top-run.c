// SPDX-License-Identifier: MIT
/*
 * A run of the live view (include/model/top-run.h): what to sample, when,
 * and from which readings. The command (src/cmd/cmd-top.c) only waits,
 * reads keys and shows what this gives it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "top-feed.h"
#include "top-run.h"

#define RECENT_MAX 256            /* faults kept for the log panel */
#define NS 1000000000LL
#define LOAD (II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_SYSINFO)

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

static int64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

/* The run's clock: a replay's recorded time, or the monotonic clock when live. */
static int64_t vnow(const struct ii_top_run *r)
{
	if (r->unpaced)
		return INT64_MAX / 2; /* whatever is due next is due now */
	if (r->paused)
		return r->v_paused;
	return r->v_base + (int64_t)((double)(mono_ns() - r->r_base) * r->speed);
}

static int64_t interval_ns(const struct ii_top_run *r)
{
	return (int64_t)(r->interval_s * (double)NS);
}

/*
 * A replay's sample takes the readings recorded up to half an interval (of
 * the view's or the recording's, the shorter) after its time: a recorder's
 * readings are a little late or early, and a reading just past the sample's
 * time belongs to it, not to a sample of its own a moment later.
 */
static int64_t slack_ns(const struct ii_top_run *r)
{
	int64_t iv = interval_ns(r), rec = (int64_t)r->act.interval_ms * 1000000;

	if (rec > 0 && rec < iv)
		iv = rec;
	return iv / 2;
}

/* What s's sources warned of since the last look (a replay warns as it reads). */
static void keep_warnings(struct ii_top_run *r, struct ii_system *s)
{
	for (size_t i = 0; i < s->diags.warnings.n; i++)
		sl_add(&r->warnings, s->diags.warnings.v[i]);
	sl_free(&s->diags.warnings);
}

/* A hotplug event named a device the model lacks: read the model again. */
static void reload(struct ii_top_run *r)
{
	struct ii_system s;

	ii_system_load(&s, r->root, LOAD, r->load);
	ii_sampler_sync(r->sp, &s);
	keep_warnings(r, &s);
	keep_warnings(r, &r->sys);
	ii_system_free(&r->sys);
	r->sys = s;
}

/* A reading: fed to the sampler (a replay's log records first, to the fault run), then freed. */
static void feed(struct ii_top_run *r, struct ii_act_reading *rd)
{
	if (r->act.replay && r->act.recorded)
		ii_top_faults_replay(&r->tf, &r->sys, r->sp, rd, &r->act.family[II_ACT_KMSG]);
	ii_sampler_reading(r->sp, rd);
	r->last_t = rd->t_ns;
	r->last_wall = rd->wall_ns;
	ii_act_reading_free(rd);
}

static void read_ahead(struct ii_top_run *r)
{
	int rc;

	if (r->have_next || r->replay_over)
		return;
	rc = ii_act_read(&r->act, &r->next);
	if (rc == 1) {
		/* what the reader said on the way to it comes with it, not with the sample before */
		for (size_t i = 0; i < r->sys.diags.warnings.n; i++)
			sl_add(&r->ahead, r->sys.diags.warnings.v[i]);
		sl_free(&r->sys.diags.warnings);
		r->have_next = true;
		return;
	}
	r->replay_over = true;
	if (rc < 0)
		sl_add_owned(&r->warnings, xasprintf("the activity recording could not be read to its "
						     "end: %s", strerror(-rc)));
}

/* Replay: the readings whose time has come. */
static void feed_due(struct ii_top_run *r, int64_t upto)
{
	while (r->have_next && r->next.t_ns <= upto) {
		r->have_next = false;
		for (size_t i = 0; i < r->ahead.n; i++)
			sl_add(&r->warnings, r->ahead.v[i]);
		sl_free(&r->ahead);
		feed(r, &r->next);
		read_ahead(r);
	}
}

void ii_trun_open(struct ii_top_run *r, struct ii_root *root, const struct ii_load_opts *load,
		  double interval_s, double speed, bool unpaced)
{
	memset(r, 0, sizeof(*r));
	r->root = root;
	r->load = load;
	r->interval_s = interval_s;
	r->speed = speed;
	r->unpaced = unpaced;
	ii_system_load(&r->sys, root, LOAD | II_LOAD_LOG | II_LOAD_ACPI, load);
	ii_status_derive(&r->sys, &r->st);
	keep_warnings(r, &r->sys);
	ii_act_open(&r->act, &r->sys);
	keep_warnings(r, &r->sys);
	r->sp = ii_sampler_new(&r->sys, RECENT_MAX);
	ii_sampler_sources(r->sp, r->act.family);

	r->r_base = mono_ns();
	if (r->act.replay) {
		read_ahead(r);
		r->v_base = r->have_next ? r->next.t_ns : 0;
	} else {
		r->v_base = r->r_base;
	}
	r->next_sample = r->v_base;
}

void ii_trun_close(struct ii_top_run *r)
{
	if (r->have_next)
		ii_act_reading_free(&r->next);
	ii_act_close(&r->act);
	ii_top_faults(&r->tf, &r->sys, NULL);
	ii_sampler_free(r->sp);
	sl_free(&r->warnings);
	sl_free(&r->ahead);
	ii_status_free(&r->st);
	ii_system_free(&r->sys);
}

bool ii_trun_due(const struct ii_top_run *r)
{
	return !r->paused && vnow(r) >= r->next_sample;
}

void ii_trun_sample(struct ii_top_run *r)
{
	struct ii_act_reading rd = { 0 };

	ii_top_faults(&r->tf, &r->sys, r->sp);
	if (!r->act.replay) {
		if (ii_act_read(&r->act, &rd) == 1)
			feed(r, &rd);
		else
			ii_sampler_tick(r->sp, mono_ns(), wall_ns());
	} else {
		int64_t before = r->last_t;

		feed_due(r, r->next_sample + slack_ns(r));
		if (r->replay_over && !r->have_next && r->last_t == before) {
			/* the recording is over (or there is none): time goes on, nothing more comes */
			int64_t v = r->next_sample;

			ii_sampler_tick(r->sp, v, r->last_wall ? r->last_wall + (v - r->last_t) : 0);
		}
	}
	r->smp = ii_sampler_sample(r->sp);
	if (r->smp->devices_changed) {
		reload(r);
		r->smp = ii_sampler_sample(r->sp);
	}
	keep_warnings(r, &r->sys);
	r->samples++;
	r->last_sample = r->next_sample;
	r->replay_ended = r->act.replay && r->replay_over && !r->have_next;

	r->next_sample += interval_ns(r);
	/* live and behind (a slow terminal): no catching up; a replay keeps its recorded times,
	   whatever the pace */
	if (!r->act.replay && r->next_sample < vnow(r))
		r->next_sample = vnow(r);
}

int64_t ii_trun_wait_ns(const struct ii_top_run *r)
{
	int64_t due = r->next_sample, left;

	if (r->paused)
		return -1;
	if (r->unpaced)
		return 0;
	if (r->act.replay && r->have_next && r->next.t_ns < due)
		due = r->next.t_ns;
	left = (int64_t)((double)(due - vnow(r)) / r->speed);
	return left < 0 ? 0 : left;
}

int ii_trun_fd(const struct ii_top_run *r)
{
	return ii_act_fd(&r->act);
}

void ii_trun_readable(struct ii_top_run *r)
{
	struct ii_act_reading rd = { 0 };

	/* devices came or went between readings: take what the source has now */
	if (ii_act_read(&r->act, &rd) == 1)
		feed(r, &rd);
}

void ii_trun_catch_up(struct ii_top_run *r)
{
	int64_t now;

	if (!r->act.replay || r->paused)
		return;
	now = vnow(r);
	feed_due(r, now < r->next_sample ? now : r->next_sample - 1);
}

void ii_trun_timing(struct ii_top_run *r, bool paused, double interval_s)
{
	if (paused != r->paused) {
		if (paused) {
			r->v_paused = vnow(r);
		} else {
			r->v_base = r->v_paused;
			r->r_base = mono_ns();
		}
		r->paused = paused;
	}
	r->interval_s = interval_s;
	r->next_sample = r->last_sample + interval_ns(r);
}
