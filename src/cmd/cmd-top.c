// SPDX-License-Identifier: MIT
/*
 * top [-d SECS] [-n N] [--batch | --json] [--color WHEN] [--speed N]
 *
 * The live view: sample, then draw, then wait for a key, the timer or the
 * activity source's descriptor, and never mix them. The sampler
 * (include/model/sampler.h) makes the samples from the activity source
 * (include/source/activity.h) and the kernel log's faults
 * (include/model/top-feed.h); the layout and the writers
 * (include/render/render-top.h) and the curses view
 * (include/render/render-top-curses.h) show them. On a recorded tree the
 * readings come at their recorded pace, --speed times as fast, on a clock
 * that stops while the view is paused. Signal handlers only set flags.
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

#include "activity.h"
#include "cmd-common.h"
#include "render-top-curses.h"
#include "render-top.h"
#include "top-feed.h"

#define RECENT_MAX 256            /* faults kept for the log panel */
#define NS 1000000000LL
#define LOAD (II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_SYSINFO)

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
	long samples;
	int width;                /* --batch frames */
	enum top_color color;
	struct ii_system sys;
	struct ii_status st;
	struct ii_sampler *sp;
	struct ii_activity act;
	struct ii_top_faults *tf;
	const struct ii_sample *smp;
	struct top_view view;
	struct top_term *term;
	struct top_grid grid;
	struct strlist warnings;  /* in the JSON record of their interval; after the full-screen view */
	size_t json_warned;       /* of warnings, those a JSON record had */
	struct strlist ahead;     /* a replay's warnings about the reading read ahead (next) */
	/* the clock: a replay's recorded time, or the monotonic clock when live; paused with p */
	int64_t v_base, r_base, v_paused;
	bool paused;
	bool unpaced;             /* a replay to a file or pipe without --speed: as fast as it goes */
	int64_t next_sample, last_sample;
	/* a replay's next reading, read ahead, and the last one fed */
	bool have_next, replay_over;
	struct ii_act_reading next;
	int64_t last_t, last_wall;
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
	t->color = TOP_COLOR_AUTO;
	if (opt[OPT_COLOR]) {
		if (!strcmp(opt[OPT_COLOR], "always"))
			t->color = TOP_COLOR_ALWAYS;
		else if (!strcmp(opt[OPT_COLOR], "never"))
			t->color = TOP_COLOR_NEVER;
		else if (strcmp(opt[OPT_COLOR], "auto"))
			return usage_err("--color '%s' is not one of auto, always, never", opt[OPT_COLOR]);
	}
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
	t->view.speed = speed;
	/* nobody watches frames written to a file or a pipe: a replay is not paced unless asked */
	if (t->mode != M_TERM && !opt[OPT_SPEED] && !ii_root_is_live(t->ctx->root)) {
		t->unpaced = true;
		t->view.speed = 0;
	}
	t->view.batch = t->mode == M_BATCH;
	return 0;
}

/* ------------------------------------------------------------------ clock */

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

static int64_t vnow(const struct top *t)
{
	if (t->unpaced)
		return INT64_MAX / 2; /* whatever is due next is due now */
	if (t->paused)
		return t->v_paused;
	return t->v_base + (int64_t)((double)(mono_ns() - t->r_base) * t->view.speed);
}

static void pause_clock(struct top *t, bool on)
{
	if (on == t->paused)
		return;
	if (on) {
		t->v_paused = vnow(t);
	} else {
		t->v_base = t->v_paused;
		t->r_base = mono_ns();
	}
	t->paused = on;
}

static int64_t interval_ns(const struct top *t)
{
	return (int64_t)(t->view.interval_s * (double)NS);
}

/*
 * A replay's sample takes the readings recorded up to half an interval (of
 * the view's or the recording's, the shorter) after its time: a recorder's
 * readings are a little late or early, and a reading just past the sample's
 * time belongs to it, not to a sample of its own a moment later.
 */
static int64_t slack_ns(const struct top *t)
{
	int64_t iv = interval_ns(t), rec = (int64_t)t->act.interval_ms * 1000000;

	if (rec > 0 && rec < iv)
		iv = rec;
	return iv / 2;
}

/* ----------------------------------------------------------------- model */

/* A warning: on stderr now without a terminal (after the view with one), and in JSON's next record. */
static void add_warning(struct top *t, char *msg)
{
	if (t->mode != M_TERM)
		fprintf(stderr, "iommu-inspect: warning: %s\n", msg);
	sl_add_owned(&t->warnings, msg);
}

/* What s's sources warned of since the last look (a replay warns as it reads). */
static void keep_warnings(struct top *t, struct ii_system *s)
{
	for (size_t i = 0; i < s->diags.warnings.n; i++)
		add_warning(t, xstrdup(s->diags.warnings.v[i]));
	sl_free(&s->diags.warnings);
}

/* A hotplug event named a device the model lacks: read the model again. */
static void reload(struct top *t)
{
	struct ii_system s;

	ii_system_load(&s, t->ctx->root, LOAD, &t->ctx->load);
	ii_sampler_sync(t->sp, &s);
	keep_warnings(t, &s);
	keep_warnings(t, &t->sys);
	ii_system_free(&t->sys);
	t->sys = s;
}

/* A reading: fed to the sampler (a replay's log records first, to the fault run), then freed. */
static void feed(struct top *t, struct ii_act_reading *r)
{
	if (t->act.replay && t->act.recorded)
		ii_top_faults_replay(&t->tf, &t->sys, t->sp, r, &t->act.family[II_ACT_KMSG]);
	ii_sampler_reading(t->sp, r);
	t->last_t = r->t_ns;
	t->last_wall = r->wall_ns;
	ii_act_reading_free(r);
}

static void read_ahead(struct top *t)
{
	int rc;

	if (t->have_next || t->replay_over)
		return;
	rc = ii_act_read(&t->act, &t->next);
	if (rc == 1) {
		/* what the reader said on the way to it comes with it, not with the sample before */
		for (size_t i = 0; i < t->sys.diags.warnings.n; i++)
			sl_add(&t->ahead, t->sys.diags.warnings.v[i]);
		sl_free(&t->sys.diags.warnings);
		t->have_next = true;
		return;
	}
	t->replay_over = true;
	if (rc < 0)
		add_warning(t, xasprintf("the activity recording could not be read to its end: %s",
					 strerror(-rc)));
}

/* Replay: the readings whose time has come. */
static void feed_due(struct top *t, int64_t upto)
{
	while (t->have_next && t->next.t_ns <= upto) {
		t->have_next = false;
		for (size_t i = 0; i < t->ahead.n; i++)
			add_warning(t, xstrdup(t->ahead.v[i]));
		sl_free(&t->ahead);
		feed(t, &t->next);
		read_ahead(t);
	}
}

static void take_sample(struct top *t)
{
	struct ii_act_reading r = { 0 };

	ii_top_faults(&t->tf, &t->sys, t->sp);
	if (!t->act.replay) {
		int rc = ii_act_read(&t->act, &r);

		if (rc == 1)
			feed(t, &r);
		else
			ii_sampler_tick(t->sp, mono_ns(), wall_ns());
	} else {
		int64_t before = t->last_t;

		feed_due(t, t->next_sample + slack_ns(t));
		if (t->replay_over && !t->have_next && t->last_t == before) {
			/* the recording is over (or there is none): time goes on, nothing more comes */
			int64_t v = t->next_sample;

			ii_sampler_tick(t->sp, v, t->last_wall ? t->last_wall + (v - t->last_t) : 0);
		}
	}
	t->smp = ii_sampler_sample(t->sp);
	if (t->smp->devices_changed) {
		reload(t);
		t->smp = ii_sampler_sample(t->sp);
	}
	keep_warnings(t, &t->sys);
	t->samples++;
	t->last_sample = t->next_sample;
	t->view.replay_ended = t->act.replay && t->replay_over && !t->have_next;
}

/* ---------------------------------------------------------------- output */

static struct top_frame frame(const struct top *t)
{
	return (struct top_frame){ &t->sys, &t->st, t->smp, &t->view };
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
	t->view.warnings = t->warnings.n;
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
		struct strlist w = { t->warnings.v + t->json_warned, t->warnings.n - t->json_warned, 0 };

		render_top_json(t->ctx->out, &f, &w);
		t->json_warned = t->warnings.n;
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
	if (r & TOP_R_TIMING) {
		pause_clock(t, t->view.paused);
		t->next_sample = t->last_sample + interval_ns(t);
	}
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
	int64_t due = t->next_sample, left;
	struct timespec ts, *tsp = NULL;
	int afd = ii_act_fd(&t->act);

	if (t->act.replay && t->have_next && t->next.t_ns < due)
		due = t->next.t_ns;
	if (!t->paused) {
		left = (int64_t)((double)(due - vnow(t)) / t->view.speed);
		if (left < 0)
			left = 0;
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
	if (afd >= 0 && (pfd[n - 1].revents & POLLIN)) {
		struct ii_act_reading r = { 0 };

		/* devices came or went between readings: take what the source has now */
		if (ii_act_read(&t->act, &r) == 1)
			feed(t, &r);
	}
	if (t->act.replay && !t->paused)
		feed_due(t, vnow(t) < t->next_sample ? vnow(t) : t->next_sample - 1);
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
	t->r_base = mono_ns();
	if (t->act.replay) {
		read_ahead(t);
		t->v_base = t->have_next ? t->next.t_ns : 0;
	} else {
		t->v_base = t->r_base;
	}
	t->next_sample = t->v_base;
	while (!t->quit && !stop_sig && !t->werr) {
		if (!t->paused && vnow(t) >= t->next_sample) {
			take_sample(t);
			output(t);
			if (t->werr || (t->iterations > 0 && t->samples >= t->iterations))
				break;
			/* a --batch or --json replay without -n ends with its recording */
			if (t->mode != M_TERM && t->iterations < 0 && t->view.replay_ended)
				break;
			t->next_sample += interval_ns(t);
			/* live and behind (a slow terminal): no catching up; a replay keeps its
			   recorded times, whatever the pace */
			if (!t->act.replay && t->next_sample < vnow(t))
				t->next_sample = vnow(t);
			continue;
		}
		wait_next(t, &unblocked);
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
	ii_system_load(&t->sys, ctx->root, LOAD | II_LOAD_LOG | II_LOAD_ACPI, &ctx->load);
	ii_status_derive(&t->sys, &t->st);
	keep_warnings(t, &t->sys);
	ii_act_open(&t->act, &t->sys);
	keep_warnings(t, &t->sys);
	t->view.replay = t->act.replay;
	t->sp = ii_sampler_new(&t->sys, RECENT_MAX);
	ii_sampler_sources(t->sp, t->act.family);

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
		for (size_t i = 0; i < t->warnings.n; i++)
			fprintf(stderr, "iommu-inspect: warning: %s\n", t->warnings.v[i]);
	if (t->werr && t->werr != -EPIPE) {
		fprintf(stderr, "iommu-inspect: error: writing the output: %s\n", strerror(-t->werr));
		rc = II_EXIT_ERROR;
	}

	if (t->have_next)
		ii_act_reading_free(&t->next);
	ii_act_close(&t->act);
	ii_top_faults(&t->tf, &t->sys, NULL);
	ii_sampler_free(t->sp);
	top_grid_free(&t->grid);
	sl_free(&t->warnings);
	sl_free(&t->ahead);
	ii_status_free(&t->st);
	ii_system_free(&t->sys);
	free(t);
	return rc;
}
