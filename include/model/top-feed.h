/* SPDX-License-Identifier: MIT */
/*
 * The faults `top` shows, until the model's fault run (with its "take what is
 * new" call) replaces this: the root's kernel log read with the pieces
 * `faults` uses (include/source/logsrc.h, the assembler of
 * include/parse/fault.h, ii_fault_attribute) and fed to the sampler. One
 * function, so that the switch is one change (src/model/model-top-feed.c).
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
void ii_top_faults(struct ii_top_faults **tf, const struct ii_system *s, struct ii_sampler *sp);

#endif
