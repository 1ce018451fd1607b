/* SPDX-License-Identifier: MIT */
/* check: the verdicts, companions, steps and findings (src/render/render-check.c). */
#ifndef II_RENDER_CHECK_H
#define II_RENDER_CHECK_H

#include "check.h"
#include "output.h"

void render_check(struct ii_out *o, const struct ii_system *s, const struct ii_check *c);

#endif
