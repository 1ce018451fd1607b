// SPDX-License-Identifier: MIT
/*
 * top [-d SECS] [-n N] [--batch | --json] [--speed N] (and the global --color WHEN)
 *
 * The live view: sample, then draw, then wait for a key, the timer or the
 * activity source's descriptor, and never mix them. The run
 * (include/model/top-run.h) says when a sample is due and takes it, from the
 * activity source and the kernel log's faults, at a replay's recorded pace;
 * the layout and the writers (include/render/render-top.h) and the curses
 * view (include/render/render-top-curses.h) show it. This file holds the
 * options, the wait and the keys. Signal handlers only set flags.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cmd-common.h"
#include "render-top-curses.h"
#include "render-top.h"
#include "top-run.h"

#define NS 1000000000LL

enum mode { M_TERM, M_BATCH, M_JSON };

static volatile sig_atomic_t stop_sig, winch_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

static void on_winch(int sig)
{
	(void)sig;
	winch_sig = 1;
}

struct top {
	struct ii_ctx *ctx;
	enum mode mode;
	long iterations;          /* -1: until stopped */
	int width;                /* --batch frames */
	enum top_color color;
	double speed;             /* a replay's pace (--speed) */
	bool unpaced;             /* a replay to a file or pipe without --speed: as fast as it goes */
	struct ii_top_run run;
	struct top_view view;
	struct top_term *term;
	struct top_grid grid;
	size_t warned;            /* of run.warnings, those printed (without a terminal) */
	size_t json_warned;       /* of run.warnings, those a JSON record had */
	bool quit;
	int werr;
};

/* ------------------------------------------------------------- arguments */

static int usage_err(const char *fmt, ...) ii_printf_like(1, 2);
static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("iommu-inspect: top: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nRun 'iommu-inspect top --help' for usage.\n", stderr);
	return II_EXIT_USAGE;
}

static bool parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* The width of --batch frames: $COLUMNS when it is one, else the terminal's when the output is
   one, else 80. */
static int batch_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	long long v;

	if ((!env || !*env) && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= TOP_MIN_COLS)
		return ws.ws_col;
	if (!env || !*env)
		return 80;
	if (ii_parse_int(env, &v) || v < 1 || v > 10000) {
		fprintf(stderr, "iommu-inspect: top: COLUMNS='%s' is not a number of columns; frames "
			"are 80 wide\n", env);
		return 80;
	}
	if (v < TOP_MIN_COLS) {
		fprintf(stderr, "iommu-inspect: top: COLUMNS=%lld is narrower than the %d columns a "
			"frame needs; frames are %d wide\n", v, TOP_MIN_COLS, TOP_MIN_COLS);
		return TOP_MIN_COLS;
	}
	return (int)v;
}

static int parse_args(struct top *t)
{
	const char *const *opt = t->ctx->opt;
	double d = 1, speed = 1;
	long long n = -1;

	if (opt[OPT_DELAY] && !parse_double(opt[OPT_DELAY], 0.1, 3600, &d))
		return usage_err("-d '%s' is not a number of seconds from 0.1 to 3600", opt[OPT_DELAY]);
	if (opt[OPT_ITERATIONS] && (ii_parse_int(opt[OPT_ITERATIONS], &n) || n < 1 || n > INT32_MAX))
		return usage_err("-n '%s' is not a number of samples (1 or more)", opt[OPT_ITERATIONS]);
	if (opt[OPT_SPEED] && !parse_double(opt[OPT_SPEED], 0.001, 1e6, &speed))
		return usage_err("--speed '%s' is not a pace from 0.001 to 1000000", opt[OPT_SPEED]);
	if (opt[OPT_SPEED] && ii_root_is_live(t->ctx->root))
		return usage_err("%s", "--speed sets the pace of a replay: give the recorded tree with "
				 "--root");
	if (opt[OPT_BATCH] && opt[OPT_JSON])
		return usage_err("%s", "--batch and --json exclude each other");
	/* the global --color (parsed in cmd-table.c); the view asks curses whether it can */
	t->color = t->ctx->color == II_COLOR_ALWAYS ? TOP_COLOR_ALWAYS :
		   t->ctx->color == II_COLOR_NEVER ? TOP_COLOR_NEVER : TOP_COLOR_AUTO;
	if (opt[OPT_JSON])
		t->mode = M_JSON;
	else if (opt[OPT_BATCH] || !isatty(STDOUT_FILENO))
		t->mode = M_BATCH; /* like top -b when the output is a file or a pipe */
	else if (!isatty(STDIN_FILENO))
		return usage_err("%s", "standard input is not a terminal, so keys cannot be read: use "
				 "--batch or --json");
	else
		t->mode = M_TERM;
	t->iterations = (long)n;
	top_view_init(&t->view, d);
	t->view.speed = t->speed = speed;
	/* nobody watches frames written to a file or a pipe: a replay is not paced unless asked */
	if (t->mode != M_TERM && !opt[OPT_SPEED] && !ii_root_is_live(t->ctx->root)) {
		t->unpaced = true;
		t->view.speed = 0;
	}
	t->view.batch = t->mode == M_BATCH;
	return 0;
}

/* ------------------------------------------------------------- warnings */

/* Without a terminal, the run's new warnings go to stderr as they come (with one, after the view). */
static void print_warnings(struct top *t)
{
	if (t->mode == M_TERM)
		return;
	for (; t->warned < t->run.warnings.n; t->warned++)
		ii_warn_print_msg(t->run.warnings.v[t->warned]);
}

/* ---------------------------------------------------------------- output */

static struct top_frame frame(const struct top *t)
{
	return (struct top_frame){ &t->run.sys, &t->run.st, t->run.smp, &t->view };
}

static void draw(struct top *t)
{
	struct top_frame f = frame(t);
	int rows, cols;

	top_term_size(t->term, &rows, &cols);
	if (rows != t->grid.rows || cols != t->grid.cols) {
		top_grid_free(&t->grid);
		top_grid_init(&t->grid, rows, cols);
	}
	t->view.warnings = t->run.warnings.n;
	top_layout(&t->grid, &f);
	t->view.scroll = t->grid.scroll; /* within the limits the layout found */
	top_term_draw(t->term, &t->grid);
}

static void output(struct top *t)
{
	struct top_frame f = frame(t);
	int err;

	if (t->mode == M_TERM) {
		draw(t);
		return;
	}
	out_record_begin(t->ctx->out);
	if (t->mode == M_JSON) {
		struct strlist w = { t->run.warnings.v + t->json_warned,
				     t->run.warnings.n - t->json_warned, 0 };

		render_top_json(t->ctx->out, &f, &w);
		t->json_warned = t->run.warnings.n;
	} else {
		render_top_text(t->ctx->out, &f, t->width);
	}
	err = out_record_end(t->ctx->out);
	if (err < 0 && !t->werr)
		t->werr = err;
}

/* ------------------------------------------------------------------ wait */

/* Keys: what they ask for, applied. */
static void keys(struct top *t)
{
	unsigned r = 0;
	int k;

	while ((k = top_term_key(t->term)) != TK_NONE)
		r |= top_view_key(&t->view, k, t->grid.page);
	if (r & TOP_R_QUIT)
		t->quit = true;
	if (r & TOP_R_TIMING)
		ii_trun_timing(&t->run, t->view.paused, t->view.interval_s);
	if ((r & TOP_R_REDRAW) && !t->quit)
		draw(t);
}

/*
 * Until the next sample or recorded reading is due, a key is typed, a signal
 * comes or the activity source has something: ppoll with the stop signals
 * blocked outside it, so that one arriving just before it is not missed.
 */
static void wait_next(struct top *t, const sigset_t *unblocked)
{
	struct pollfd pfd[2] = { { .fd = -1 }, { .fd = -1 } };
	nfds_t n = 0;
	int64_t left = ii_trun_wait_ns(&t->run);
	struct timespec ts, *tsp = NULL;
	int afd = ii_trun_fd(&t->run);

	if (left >= 0) {
		ts = (struct timespec){ (time_t)(left / NS), (long)(left % NS) };
		tsp = &ts;
	}
	if (t->mode == M_TERM)
		pfd[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	if (afd >= 0)
		pfd[n++] = (struct pollfd){ .fd = afd, .events = POLLIN };
	if (ppoll(pfd, n, tsp, unblocked) < 0)
		pfd[0].revents = pfd[1].revents = 0;
	if (winch_sig && t->mode == M_TERM) {
		winch_sig = 0;
		top_term_resized(t->term);
		draw(t);
	}
	if (t->mode == M_TERM && (pfd[0].revents & POLLIN))
		keys(t);
	/* the terminal went away without a SIGHUP: nothing more can be shown or typed */
	if (t->mode == M_TERM && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
		t->quit = true;
	if (afd >= 0 && (pfd[n - 1].revents & POLLIN))
		ii_trun_readable(&t->run);
	ii_trun_catch_up(&t->run);
	print_warnings(t);
}

static void signals(sigset_t *unblocked)
{
	struct sigaction stop = { .sa_handler = on_stop }, winch = { .sa_handler = on_winch };
	sigset_t block;

	sigemptyset(&stop.sa_mask);
	sigemptyset(&winch.sa_mask);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGHUP, &stop, NULL);
	sigaction(SIGWINCH, &winch, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	sigprocmask(SIG_BLOCK, &block, unblocked);
}

/* ------------------------------------------------------------- the command */

static void run(struct top *t)
{
	sigset_t unblocked;

	signals(&unblocked);
	while (!t->quit && !stop_sig && !t->werr) {
		if (!ii_trun_due(&t->run)) {
			wait_next(t, &unblocked);
			continue;
		}
		ii_trun_sample(&t->run);
		t->view.replay_ended = t->run.replay_ended;
		print_warnings(t);
		output(t);
		if (t->werr || (t->iterations > 0 && t->run.samples >= t->iterations))
			break;
		/* a --batch or --json replay without -n ends with its recording */
		if (t->mode != M_TERM && t->iterations < 0 && t->run.replay_ended)
			break;
	}
	sigprocmask(SIG_SETMASK, &unblocked, NULL);
}

int cmd_top(struct ii_ctx *ctx)
{
	struct top *t = xcalloc(1, sizeof(*t));
	char *err = NULL;
	int rc;

	t->ctx = ctx;
	if ((rc = parse_args(t))) {
		free(t);
		return rc;
	}
	if (t->mode == M_BATCH)
		t->width = batch_width();
	ii_trun_open(&t->run, ctx->root, &ctx->load, t->view.interval_s, t->speed, t->unpaced);
	print_warnings(t);
	t->view.replay = t->run.act.replay;

	rc = II_EXIT_OK;
	if (t->mode == M_TERM && !(t->term = top_term_start(t->color, &err))) {
		fprintf(stderr, "iommu-inspect: top: %s\n", err);
		free(err);
		rc = II_EXIT_ERROR;
	} else {
		run(t);
	}
	top_term_stop(t->term);
	if (t->mode == M_TERM)
		for (size_t i = 0; i < t->run.warnings.n; i++)
			ii_warn_print_msg(t->run.warnings.v[i]);
	if (t->werr && t->werr != -EPIPE) {
		fprintf(stderr, "iommu-inspect: error: writing the output: %s\n", strerror(-t->werr));
		rc = II_EXIT_ERROR;
	}

	ii_trun_close(&t->run);
	top_grid_free(&t->grid);
	free(t);
	return rc;
}
