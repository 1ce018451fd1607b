/* SPDX-License-Identifier: MIT */
/*
 * top's full-screen view (src/render/render-top-curses.c, the one file that
 * includes curses.h): it draws the layout's grid (include/render/render-top.h),
 * its colour roles mapped to curses colour pairs or, without colour, to
 * attributes, reads keys as the layout's TK_ codes, and restores the
 * terminal on every way out: top_term_stop(), exit() (atexit), and a fatal
 * signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT), whose handler writes the
 * terminal's own reset strings and puts back the saved termios with
 * async-signal-safe calls only, then lets the signal take its course.
 */
#ifndef II_RENDER_TOP_CURSES_H
#define II_RENDER_TOP_CURSES_H

#include "render-top.h"

enum top_color { TOP_COLOR_AUTO, TOP_COLOR_ALWAYS, TOP_COLOR_NEVER };

struct top_term;

/* Take over the terminal (stdin and stdout); NULL with *err (to be freed) when it cannot. */
struct top_term *top_term_start(enum top_color color, char **err);
/* Its size now (0 when the terminal says 0). */
void top_term_size(const struct top_term *t, int *rows, int *cols);
/* After SIGWINCH: take the terminal's new size. */
void top_term_resized(struct top_term *t);
/* Draw a grid laid out for top_term_size(). */
void top_term_draw(struct top_term *t, const struct top_grid *g);
/* The next key typed, as the layout's codes (include/render/render-top.h), or TK_NONE. */
int top_term_key(struct top_term *t);
/* Give the terminal back as it was, and free t (NULL: nothing). */
void top_term_stop(struct top_term *t);

#endif
