// SPDX-License-Identifier: MIT
/*
 * top's curses view (include/render/render-top-curses.h). It draws cells and
 * reads keys; the layout decides what the cells are. Signal handlers of the
 * loop (SIGINT, SIGTERM, SIGHUP, SIGWINCH) belong to the command and only
 * set flags; the handlers here are for fatal signals, to give the terminal
 * back before the process dies.
 */
#define _GNU_SOURCE
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "render-top-curses.h"

struct top_term {
	SCREEN *screen;
	bool color;
	int attr[TOP_ROLES];
};

/* What the fatal-signal handler needs, set up before the screen is taken. */
static volatile sig_atomic_t term_active;
static struct termios saved_tio;
static bool have_tio;
static char reset_seq[256];       /* rmkx, sgr0, cnorm, rmcup of the terminal, then a newline */
static size_t reset_len;
static struct top_term *the_term;

static void add_cap(const char *name)
{
	char *s = tigetstr(name);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (reset_len + n < sizeof(reset_seq)) {
		memcpy(reset_seq + reset_len, s, n);
		reset_len += n;
	}
}

/* Async-signal-safe: write(2) and tcsetattr(3) only. */
static void emergency_restore(void)
{
	ssize_t rc;

	if (!term_active)
		return;
	term_active = 0;
	if (reset_len)
		rc = write(STDOUT_FILENO, reset_seq, reset_len);
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	rc = write(STDOUT_FILENO, "\n", 1);
	(void)rc;
}

static void on_fatal(int sig)
{
	emergency_restore();
	/* SA_RESETHAND made the action the default again: die of the signal, with its core */
	raise(sig);
}

static void at_exit(void)
{
	/* exit() while the view runs (an error in a source): leave the terminal as it was */
	if (term_active && the_term)
		top_term_stop(the_term);
}

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

static void catch_fatal(bool on)
{
	struct sigaction sa = { .sa_handler = on ? on_fatal : SIG_DFL,
				.sa_flags = on ? SA_RESETHAND | SA_NODEFER : 0 };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < II_ARRAY_SIZE(fatal_signals); i++)
		sigaction(fatal_signals[i], &sa, NULL);
}

/* ---------------------------------------------------------------- colours */

struct look {
	short fg, bg;             /* -1: the terminal's default */
	int attr;                 /* with colour */
	int mono;                 /* without colour */
};

static const struct look looks[TOP_ROLES] = {
	[TOP_ROLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[TOP_ROLE_TITLE] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TOP_ROLE_HEAD] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE },
	[TOP_ROLE_SORTED] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD | A_UNDERLINE },
	[TOP_ROLE_LABEL] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[TOP_ROLE_LIVE] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TOP_ROLE_OFF] = { COLOR_YELLOW, -1, A_NORMAL, A_DIM },
	[TOP_ROLE_FAULT] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[TOP_ROLE_GONE] = { -1, -1, A_DIM, A_DIM },
	[TOP_ROLE_ADDED] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[TOP_ROLE_PROMPT] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TOP_ROLE_HELP] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
};

static bool want_color(enum top_color c)
{
	const char *nc = getenv("NO_COLOR");

	if (c == TOP_COLOR_NEVER)
		return false;
	if (c == TOP_COLOR_AUTO && nc && nc[0])
		return false; /* https://no-color.org: present and not empty */
	return has_colors();
}

static void set_looks(struct top_term *t, enum top_color c)
{
	t->color = want_color(c);
	if (t->color && start_color() == OK) {
		use_default_colors();
		for (int r = 0; r < TOP_ROLES; r++) {
			init_pair((short)(r + 1), looks[r].fg, looks[r].bg);
			t->attr[r] = (int)COLOR_PAIR(r + 1) | looks[r].attr;
		}
		return;
	}
	t->color = false;
	for (int r = 0; r < TOP_ROLES; r++)
		t->attr[r] = looks[r].mono;
}

/* ---------------------------------------------------------------- the view */

struct top_term *top_term_start(enum top_color color, char **err)
{
	struct top_term *t;
	const char *term = getenv("TERM");

	*err = NULL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*err = xstrdup("standard input and output are not a terminal (use --batch or --json)");
		return NULL;
	}
	if (!term || !term[0]) {
		*err = xstrdup("TERM is not set: the terminal type is unknown (set TERM, or use "
			       "--batch or --json)");
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	use_tioctl(TRUE); /* the terminal's own size, before LINES and COLUMNS of the environment */
	t->screen = newterm(NULL, stdout, stdin);
	if (!t->screen) {
		*err = xasprintf("cannot use the terminal type '%s' (no terminfo entry?); set TERM, "
				 "or use --batch or --json", term);
		free(t);
		return NULL;
	}
	set_term(t->screen);
	reset_len = 0;
	add_cap("rmkx");
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmcup");
	the_term = t;
	term_active = 1;
	catch_fatal(true);
	atexit(at_exit);

	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	set_looks(t, color);
	clear();
	return t;
}

void top_term_size(const struct top_term *t, int *rows, int *cols)
{
	(void)t;
	*rows = LINES > 0 ? LINES : 0;
	*cols = COLS > 0 ? COLS : 0;
}

void top_term_resized(struct top_term *t)
{
	struct winsize ws;

	(void)t;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clear();
}

void top_term_draw(struct top_term *t, const struct top_grid *g)
{
	char run[512];

	erase();
	for (int r = 0; r < g->rows && r < LINES; r++) {
		int c = 0;

		while (c < g->cols && c < COLS) {
			const struct top_cell *first = &g->cells[(size_t)r * (size_t)g->cols + (size_t)c];
			int n = 0, start = c;

			while (c < g->cols && c < COLS && n < (int)sizeof(run) &&
			       g->cells[(size_t)r * (size_t)g->cols + (size_t)c].role == first->role) {
				run[n++] = g->cells[(size_t)r * (size_t)g->cols + (size_t)c].ch;
				c++;
			}
			attrset(t->attr[first->role < TOP_ROLES ? first->role : 0]);
			/* the last cell of the screen cannot be written without a scroll: leave it */
			if (r == LINES - 1 && c == COLS)
				n--;
			if (n > 0)
				mvaddnstr(r, start, run, n);
		}
	}
	attrset(A_NORMAL);
	refresh();
}

int top_term_key(struct top_term *t)
{
	int ch = getch();

	(void)t;
	switch (ch) {
	case ERR: return TK_NONE;
	case KEY_UP: return TK_UP;
	case KEY_DOWN: return TK_DOWN;
	case KEY_LEFT: return TK_LEFT;
	case KEY_RIGHT: return TK_RIGHT;
	case KEY_PPAGE: return TK_PGUP;
	case KEY_NPAGE: return TK_PGDN;
	case KEY_HOME: return TK_HOME;
	case KEY_END: return TK_END;
	case KEY_ENTER: case '\n': case '\r': return TK_ENTER;
	case 27: return TK_ESC;
	case KEY_BACKSPACE: case 127: case 8: return TK_BACKSPACE;
	case KEY_RESIZE: return TK_RESIZE;
	}
	if (ch > 0 && ch < 0x7f)
		return ch;
	return 0x1ff; /* a key nothing is bound to */
}

void top_term_stop(struct top_term *t)
{
	if (!t)
		return;
	if (term_active) {
		curs_set(1);
		endwin();
		term_active = 0;
	}
	catch_fatal(false);
	if (t->screen)
		delscreen(t->screen);
	if (the_term == t)
		the_term = NULL;
	free(t);
	fflush(stdout);
}
