/* SPDX-License-Identifier: MIT */
/*
 * The journal's boots (src/render/render-journal.c): `faults --list-boots`,
 * and the header `faults --boot` writes before the faults (which journal,
 * which boot, and whether faults are joined with the root's devices).
 */
#ifndef II_RENDER_JOURNAL_H
#define II_RENDER_JOURNAL_H

#include "jrun.h"
#include "output.h"

void render_boot_list(struct ii_out *o, const struct ii_jrun *jr);
void render_journal_boot(struct ii_out *o, const struct ii_jrun *jr);

#endif
