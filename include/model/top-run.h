/* SPDX-License-Identifier: MIT */
/*
 * A run of the live view: the model of the system, the activity source, the
 * sampler fed by it and by the kernel log's faults, and the clock that says
 * when the next sample is due (src/model/model-top-run.c).
 *
 * Live, the clock is the monotonic clock. On a recorded tree it is the
 * recording's own time, run at `speed` times the real pace from the first
 * reading, stopped while paused; `unpaced` (a replay written to a file or a
 * pipe) makes every sample due at once. A replay's readings are read one
 * ahead, so that the wait can end when the next one is due, and each goes to
 * the sampler when its time has come.
 *
 * The run prints nothing: what its sources warn of is appended to
 * `warnings`, in order, for the command to show.
 */
#ifndef II_TOP_RUN_H
#define II_TOP_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "activity.h"
#include "model.h"
#include "sampler.h"
#include "status.h"

struct ii_top_faults;

struct ii_top_run {
	struct ii_system sys;
	struct ii_status st;
	struct ii_activity act;
	struct ii_sampler *sp;
	struct ii_top_faults *tf;
	const struct ii_sample *smp;  /* the last sample (NULL before the first) */
	long samples;
	bool replay_ended;            /* a replay whose recording is over (or that has none) */
	struct strlist warnings;      /* every warning so far, oldest first */

	/* private to model-top-run.c */
	struct ii_root *root;
	const struct ii_load_opts *load;
	double interval_s, speed;
	bool unpaced, paused;
	int64_t v_base, r_base, v_paused;
	int64_t next_sample, last_sample;
	bool have_next, replay_over;
	struct ii_act_reading next;   /* a replay's next reading, read ahead */
	struct strlist ahead;         /* what the source warned of on its way to it */
	int64_t last_t, last_wall;
};

/*
 * Load the model, derive the status and open the activity source; the first
 * sample is due at once. speed is a replay's pace (1: as recorded); unpaced
 * makes a replay go as fast as it can.
 */
void ii_trun_open(struct ii_top_run *r, struct ii_root *root, const struct ii_load_opts *load,
		  double interval_s, double speed, bool unpaced);
void ii_trun_close(struct ii_top_run *r);

/* Whether the next sample is due now (never while paused). */
bool ii_trun_due(const struct ii_top_run *r);
/*
 * Take the sample that is due: the new faults of the log, the activity
 * source's reading (live) or the recorded readings up to the sample's time
 * (replay), the model read again when devices came or went. The next sample
 * is then due an interval later (live and behind: from now, no catching up).
 */
void ii_trun_sample(struct ii_top_run *r);
/*
 * How long to wait for the next sample or a replay's next reading, in
 * nanoseconds of real time (0: now); -1 while paused (until a key).
 */
int64_t ii_trun_wait_ns(const struct ii_top_run *r);
/* The descriptor that is readable when the live source has a reading (-1: none). */
int ii_trun_fd(const struct ii_top_run *r);
/* The live source's descriptor was readable: feed the sampler what it has now. */
void ii_trun_readable(struct ii_top_run *r);
/* After a wait: feed a replay's readings whose time has come, short of the next sample. */
void ii_trun_catch_up(struct ii_top_run *r);
/* The view's pause or interval changed: stop or restart the clock, and the next sample's time. */
void ii_trun_timing(struct ii_top_run *r, bool paused, double interval_s);

#endif
