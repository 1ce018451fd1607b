/* SPDX-License-Identifier: MIT */
/*
 * The faults `top` shows: the model's fault run (include/model/fault-run.h)
 * on the root's kernel log, polled for what is new and fed to the sampler
 * (src/model/model-top-feed.c).
 */
#ifndef II_TOP_FEED_H
#define II_TOP_FEED_H

#include "sampler.h"

struct ii_top_faults;

/*
 * Feed sp what the kernel log holds that it has not had yet, without
 * waiting: the first call (*tf NULL) opens the log and reads it from its
 * start, so that counts run from the start of the log; later calls read
 * what came since (nothing more in a recorded tree). The log's state (live,
 * or why not) goes to the sampler as the II_ACT_KMSG family. s attributes the
 * faults to devices and may be a model read again since the last call. With
 * sp NULL, the state is freed and *tf set to NULL.
 */
void ii_top_faults(struct ii_top_faults **tf, struct ii_system *s, struct ii_sampler *sp);
/*
 * A replay's reading r: the kernel log records the recording holds for its
 * interval, decoded after those of the tree's dev/kmsg (opened first if need
 * be), before the reading itself goes to the sampler. recorded is how the
 * recorder found the log (the recording's II_ACT_KMSG state): the log's state
 * when the tree holds no dev/kmsg of its own.
 */
void ii_top_faults_replay(struct ii_top_faults **tf, struct ii_system *s, struct ii_sampler *sp,
			  const struct ii_act_reading *r, const struct ii_act_state *recorded);

#endif
