/* SPDX-License-Identifier: MIT */
/*
 * `top`: what the view shows and how keys change it (src/render/render-top-view.c),
 * the layout, a pure function from a sample, the view state and a size to a
 * grid of cells with semantic colour roles (src/render/render-top-layout.c),
 * and the writers that need no terminal: text frames for --batch and one
 * JSON object per interval for --json (src/render/render-top-out.c). The
 * curses view (include/render/render-top-curses.h) only draws the grid.
 */
#ifndef II_RENDER_TOP_H
#define II_RENDER_TOP_H

#include "output.h"
#include "sampler.h"
#include "status.h"

/* ------------------------------------------------------------ view state */

enum top_panel { TOP_PANEL_UNITS, TOP_PANEL_SYSTEM, TOP_PANEL_DEVICES, TOP_PANEL_FAULTS, TOP_PANELS };

struct top_view {
	enum ii_dev_sort sort;
	bool reverse;
	char filter[64];          /* "" none: a part of the BDF or driver, or a group number */
	bool editing;             /* the filter prompt is open */
	bool show[TOP_PANELS];
	bool help;                /* the help is shown over the view */
	bool paused;
	long scroll;              /* the first device row shown (the layout clamps it) */
	double interval_s;
	bool batch;               /* a --batch frame: no prompt, no help, devices with faults only */
	bool replay;              /* a recorded tree */
	bool replay_ended;        /* its recording is over (or it has none) */
	double speed;             /* replay pace; 0: as fast as it goes (no terminal, no --speed) */
	size_t warnings;          /* warnings to be printed when the view ends */
};

void top_view_init(struct top_view *v, double interval_s);

/* Keys: a printable character is itself; the others are these. */
enum {
	TK_NONE = 0,
	TK_UP = 0x100, TK_DOWN, TK_LEFT, TK_RIGHT, TK_PGUP, TK_PGDN, TK_HOME, TK_END,
	TK_ENTER, TK_ESC, TK_BACKSPACE, TK_RESIZE,
};

/* What a key asks of the loop. */
enum {
	TOP_R_REDRAW = 1 << 0,    /* lay out and draw again */
	TOP_R_QUIT = 1 << 1,
	TOP_R_TIMING = 1 << 2,    /* the interval or the pause changed: compute the next wait again */
};

/* Apply a key; page is the number of device rows on the screen (PgUp/PgDn). */
unsigned top_view_key(struct top_view *v, int key, long page);
/* The intervals + and - step through, in seconds. */
double top_interval_step(double s, int dir);

/* The help: one line per key binding, from the key table ("q    quit", ...). */
size_t top_help_count(void);
const char *top_help_key(size_t i);
const char *top_help_text(size_t i);

/* Why a family of sources is not live, for people: a few words and how to get it. */
const char *top_family_name(enum ii_act_family f);
void top_why_text(enum ii_act_family f, const struct ii_act_state *st, char *buf, size_t size);
/* The same in a word or two ("needs root", "no counters"), where there is no room for more. */
const char *top_why_short(enum ii_act_why w);

/* ----------------------------------------------------------------- layout */

enum top_role {
	TOP_ROLE_NORMAL,
	TOP_ROLE_TITLE,           /* the title bar */
	TOP_ROLE_HEAD,            /* a panel's column heads */
	TOP_ROLE_SORTED,          /* the head of the column the devices are sorted by */
	TOP_ROLE_LABEL,
	TOP_ROLE_LIVE,            /* a source that is live */
	TOP_ROLE_OFF,             /* a source that is not, and why */
	TOP_ROLE_FAULT,           /* a device with faults in this interval, a fault line */
	TOP_ROLE_GONE,            /* a device or unit that went away */
	TOP_ROLE_ADDED,           /* a device that appeared */
	TOP_ROLE_PROMPT,          /* the filter prompt, the key hints */
	TOP_ROLE_HELP,            /* the help box */
	TOP_ROLES
};

struct top_cell {
	char ch;                  /* printable ASCII */
	unsigned char role;       /* enum top_role */
};

struct top_grid {
	int rows, cols;
	struct top_cell *cells;   /* rows * cols */
	/* what the layout settled on, for the key handler */
	long scroll;              /* the first device row shown: the view's, within limits */
	long page;                /* device rows on the screen */
	size_t matched;           /* device rows that pass the filter */
};

/* A grid of rows x cols blank cells (0 rows or columns: none). */
void top_grid_init(struct top_grid *g, int rows, int cols);
void top_grid_free(struct top_grid *g);

/* What a frame is made of. */
struct top_frame {
	const struct ii_system *sys;
	const struct ii_status *st;
	const struct ii_sample *smp;  /* NULL before the first sample */
	const struct top_view *view;
};

/* Lay the frame out on g, every cell of it (any size: at worst one line that says it is too
   small). */
void top_layout(struct top_grid *g, const struct top_frame *f);
/* The rows a --batch frame needs at this width: every section whole. */
int top_layout_height(const struct top_frame *f, int cols);
#define TOP_MIN_ROWS 3
#define TOP_MIN_COLS 20

/* ----------------------------------------------------------------- writers */

/* --batch: the frame laid out cols wide and as tall as it needs, as text lines. */
void render_top_text(struct ii_out *o, const struct top_frame *f, int cols);
/* --json: the keys of one record (the caller opens and ends it, see out_record_begin). */
void render_top_json(struct ii_out *o, const struct top_frame *f, const struct strlist *warnings);

#endif
