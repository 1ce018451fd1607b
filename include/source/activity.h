/* SPDX-License-Identifier: MIT */
/*
 * Live activity (kernel-interfaces §6, §7, §12): what the `top` view and
 * `snapshot --activity` read, without writing anything anywhere.
 *
 * An activity source is opened once on a root. On the live system it opens
 * perf counters (the iommu:map/unmap and intel_iommu:qi_submit tracepoints in
 * counting mode, one fd per online CPU; the IOMMU PMUs dmarN, amd_iommu_N,
 * smmuv3_pmcg_*), reads proc/interrupts and watches devices come and go
 * (libudev monitor). On a recorded tree it replays the readings that
 * `snapshot --activity` recorded (II_PATH_ACTIVITY), at their recorded times.
 * Each call of ii_act_read gives one reading: raw cumulative values with the
 * time they were taken; the model (include/model/sampler.h) turns readings
 * into rates. Sources decide nothing: a counter that cannot be opened is a
 * state with its reason, never a zero.
 *
 * The kernel log is not part of it: faults come from the model's fault run,
 * which the sampler is fed from; a recorded activity file carries the kmsg
 * records of the interval so that a replay sees them too.
 */
#ifndef II_ACTIVITY_H
#define II_ACTIVITY_H

#include <signal.h>

#include "actdata.h"
#include "snapshot.h"
#include "system.h"

/*
 * The data types (families, reasons, counters, interrupt rows, hotplug
 * events, readings) are in include/parse/actdata.h, with the parser and
 * writer of a recording's lines.
 */

struct ii_activity {
	struct ii_root *root;
	bool replay;              /* a recorded tree: readings come from II_PATH_ACTIVITY */
	bool recorded;            /* replay: the tree has a recording (else one reading of the tree) */
	unsigned interval_ms;     /* replay: the time between readings its recorder aimed at; 0 */
	struct ii_act_state family[II_ACT_FAMILIES];
	struct ii_act_unit *units; /* each IOMMU unit with its PMU, or why it has none */
	size_t nunits;
	void *priv;               /* the perf fds, the udev monitor, or the replay reader */
};

/*
 * Open on s (units, groups and sysinfo loaded; s must outlive a): live
 * counters, or the recording of a replay. Never fails as a whole: what
 * cannot be opened is a family state; warnings go to s->diags naming the
 * file and the fix, during ii_act_read too (a replay's bad lines).
 *
 * A recorded tree without a recording (no II_PATH_ACTIVITY) gives one
 * reading of what the tree holds (its proc/interrupts as recorded: totals,
 * no rates) and then the end; every family is II_WHY_NOT_RECORDED.
 */
void ii_act_open(struct ii_activity *a, struct ii_system *s);
/*
 * The next reading. Live: taken now. Replay: the next recorded one (its
 * recorded time tells the caller when to show it). Returns 1 with *out
 * filled (free it with ii_act_reading_free), 0 at the end of a replay,
 * -errno on an error (out untouched).
 */
int ii_act_read(struct ii_activity *a, struct ii_act_reading *out);
/*
 * A file descriptor that becomes readable when something arrives between
 * readings (the udev monitor), or -1; for the view's poll() loop.
 */
int ii_act_fd(const struct ii_activity *a);
void ii_act_close(struct ii_activity *a);

/*
 * `snapshot --activity SECS` (src/source/source-activity-record.c): open the
 * activity of s's root, take a reading every second for secs seconds (secs
 * + 1 readings; a replay or a recorded tree gives what it has, without
 * waiting), with the kernel log records that arrived in between (kmsg:
 * read the root's dev/kmsg on from where sn's copy of it ended), and add
 * the recording to sn as II_PATH_ACTIVITY. *stop (may be NULL) ends it
 * early. Returns 0, or -errno when nothing could be
 * recorded.
 */
struct ii_act_rec_stats {
	size_t readings, kmsg;
	uint64_t kmsg_lost;
	double seconds;           /* from the first reading to the last */
};
int ii_act_record(struct ii_system *s, struct ii_snapshot *sn, unsigned secs, bool kmsg,
		  volatile sig_atomic_t *stop, struct ii_act_rec_stats *st);

#endif
