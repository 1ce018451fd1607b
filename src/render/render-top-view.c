// SPDX-License-Identifier: MIT
/*
 * top's view state and its keys (include/render/render-top.h): one table of
 * bindings maps keys to actions, each returning what the loop must do (draw
 * again, quit, compute its wait again); the help is made from the same
 * table. Also the words for why a source is not live, shared by the frames
 * and the JSON lines. No I/O, no terminal: unit-tested.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "render-top.h"

void top_view_init(struct top_view *v, double interval_s)
{
	memset(v, 0, sizeof(*v));
	v->sort = II_SORT_RATE;
	for (unsigned p = 0; p < TOP_PANELS; p++)
		v->show[p] = true;
	v->interval_s = interval_s;
	v->speed = 1;
}

/* ---------------------------------------------------------------- intervals */

static const double steps[] = { 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 15, 30, 60, 120, 300 };

double top_interval_step(double s, int dir)
{
	size_t n = II_ARRAY_SIZE(steps);

	if (dir > 0) {
		for (size_t i = 0; i < n; i++)
			if (steps[i] > s * 1.001)
				return steps[i];
		return s;
	}
	for (size_t i = n; i-- > 0;)
		if (steps[i] < s * 0.999)
			return steps[i];
	return s;
}

/* ---------------------------------------------------------------- actions */

static unsigned k_quit(struct top_view *v, int key, long page)
{
	(void)v, (void)key, (void)page;
	return TOP_R_QUIT;
}

static unsigned k_help(struct top_view *v, int key, long page)
{
	(void)key, (void)page;
	v->help = !v->help;
	return TOP_R_REDRAW;
}

static unsigned k_sort(struct top_view *v, int key, long page)
{
	(void)page;
	if (key == '<')
		v->sort = (enum ii_dev_sort)((v->sort + II_SORT_KEYS - 1) % II_SORT_KEYS);
	else
		v->sort = (enum ii_dev_sort)((v->sort + 1) % II_SORT_KEYS);
	v->reverse = false;
	v->scroll = 0;
	return TOP_R_REDRAW;
}

static unsigned k_reverse(struct top_view *v, int key, long page)
{
	(void)key, (void)page;
	v->reverse = !v->reverse;
	v->scroll = 0;
	return TOP_R_REDRAW;
}

static unsigned k_filter(struct top_view *v, int key, long page)
{
	(void)key, (void)page;
	v->editing = true;
	return TOP_R_REDRAW;
}

static unsigned k_pause(struct top_view *v, int key, long page)
{
	(void)key, (void)page;
	v->paused = !v->paused;
	return TOP_R_REDRAW | TOP_R_TIMING;
}

static unsigned k_interval(struct top_view *v, int key, long page)
{
	double s = top_interval_step(v->interval_s, key == '+' || key == '=' ? 1 : -1);

	(void)page;
	if (s == v->interval_s)
		return 0;
	v->interval_s = s;
	return TOP_R_REDRAW | TOP_R_TIMING;
}

static unsigned k_panel(struct top_view *v, int key, long page)
{
	(void)page;
	v->show[key - '1'] = !v->show[key - '1'];
	return TOP_R_REDRAW;
}

static unsigned k_scroll(struct top_view *v, int key, long page)
{
	long step = page > 1 ? page - 1 : 1;

	switch (key) {
	case TK_UP: case 'k': v->scroll -= 1; break;
	case TK_DOWN: case 'j': v->scroll += 1; break;
	case TK_PGUP: v->scroll -= step; break;
	case TK_PGDN: case ' ': v->scroll += step; break;
	case TK_HOME: v->scroll = 0; break;
	case TK_END: v->scroll = LONG_MAX / 2; break;
	}
	if (v->scroll < 0)
		v->scroll = 0;
	return TOP_R_REDRAW;
}

static unsigned k_redraw(struct top_view *v, int key, long page)
{
	(void)v, (void)key, (void)page;
	return TOP_R_REDRAW;
}

struct binding {
	int keys[4];              /* 0-terminated when fewer */
	const char *label;        /* as the help names them */
	const char *help;
	unsigned (*fn)(struct top_view *v, int key, long page);
};

static const struct binding bindings[] = {
	{ { 'q', 'Q' }, "q", "quit", k_quit },
	{ { 'h', '?' }, "h ?", "this help (any key closes it)", k_help },
	{ { 's', '>' }, "s >", "sort the devices by the next column", k_sort },
	{ { '<' }, "<", "sort by the previous column", k_sort },
	{ { 'r' }, "r", "reverse the order", k_reverse },
	{ { '/' }, "/", "filter the devices: part of an address or a driver, or a group", k_filter },
	{ { 'p' }, "p", "pause and resume", k_pause },
	{ { '+', '=' }, "+", "longer interval", k_interval },
	{ { '-', '_' }, "-", "shorter interval", k_interval },
	{ { '1' }, "1", "show or hide the IOMMU units", k_panel },
	{ { '2' }, "2", "show or hide DMA map/unmap and system totals", k_panel },
	{ { '3' }, "3", "show or hide the devices", k_panel },
	{ { '4' }, "4", "show or hide the fault log", k_panel },
	{ { TK_UP, 'k', TK_DOWN, 'j' }, "Up Down k j", "scroll the devices a line", k_scroll },
	{ { TK_PGUP, TK_PGDN, ' ' }, "PgUp PgDn Space", "scroll the devices a page", k_scroll },
	{ { TK_HOME, TK_END }, "Home End", "first and last devices", k_scroll },
	{ { TK_RESIZE, 'L' & 0x1f }, "^L", "draw again", k_redraw },
};

/* Keys while the filter prompt is open: text, Backspace, Enter keeps it, Esc clears it. */
static unsigned edit_key(struct top_view *v, int key)
{
	size_t n = strlen(v->filter);

	switch (key) {
	case TK_ENTER:
		v->editing = false;
		break;
	case TK_ESC:
		v->editing = false;
		v->filter[0] = '\0';
		break;
	case TK_BACKSPACE:
		if (n)
			v->filter[n - 1] = '\0';
		break;
	case TK_RESIZE:
		break;
	default:
		if (key < 0x20 || key > 0x7e || n + 1 >= sizeof(v->filter))
			return 0;
		v->filter[n] = (char)key;
		v->filter[n + 1] = '\0';
		break;
	}
	v->scroll = 0;
	return TOP_R_REDRAW;
}

unsigned top_view_key(struct top_view *v, int key, long page)
{
	if (key == TK_NONE)
		return 0;
	if (v->editing)
		return edit_key(v, key);
	if (v->help && key != 'q' && key != 'Q' && key != TK_RESIZE) {
		v->help = false;
		return TOP_R_REDRAW;
	}
	for (size_t i = 0; i < II_ARRAY_SIZE(bindings); i++)
		for (size_t k = 0; k < II_ARRAY_SIZE(bindings[i].keys) && bindings[i].keys[k]; k++)
			if (bindings[i].keys[k] == key)
				return bindings[i].fn(v, key, page);
	return 0;
}

size_t top_help_count(void)
{
	return II_ARRAY_SIZE(bindings);
}

const char *top_help_key(size_t i)
{
	return i < II_ARRAY_SIZE(bindings) ? bindings[i].label : "";
}

const char *top_help_text(size_t i)
{
	return i < II_ARRAY_SIZE(bindings) ? bindings[i].help : "";
}

/* ------------------------------------------------------------------ sources */

static const char *const family_names[II_ACT_FAMILIES] = {
	[II_ACT_INTERRUPTS] = "interrupts", [II_ACT_KMSG] = "log",
	[II_ACT_TRACEPOINTS] = "map/unmap", [II_ACT_PMU] = "PMU",
	[II_ACT_LATENCY] = "latency", [II_ACT_HOTPLUG] = "hotplug",
};

const char *top_family_name(enum ii_act_family f)
{
	return (unsigned)f < II_ACT_FAMILIES ? family_names[f] : "?";
}

static const char *const why_short[] = {
	[II_WHY_LIVE] = "live", [II_WHY_NOT_ROOT] = "needs root", [II_WHY_PARANOID] = "paranoid",
	[II_WHY_KERNEL_TOO_OLD] = "kernel too old", [II_WHY_NO_PMU_HW] = "no counters",
	[II_WHY_NOT_BUILT] = "not built", [II_WHY_NOT_ENABLED] = "not enabled",
	[II_WHY_NO_TRACEFS] = "no tracefs", [II_WHY_NOT_RECORDED] = "not recorded",
	[II_WHY_NO_IOMMU] = "no IOMMU", [II_WHY_IDENTITY] = "identity only", [II_WHY_ERROR] = "error",
};

const char *top_why_short(enum ii_act_why w)
{
	return (unsigned)w < II_ARRAY_SIZE(why_short) && why_short[w] ? why_short[w] : "error";
}

/* The fix for "needs root", which depends on what the family reads. */
static const char *root_fix(enum ii_act_family f)
{
	switch (f) {
	case II_ACT_KMSG:
		return "run as root or set sysctl kernel.dmesg_restrict=0";
	case II_ACT_TRACEPOINTS:
	case II_ACT_PMU:
		return "run as root or grant CAP_PERFMON";
	case II_ACT_LATENCY:
		return "debugfs is root's: run as root";
	default:
		return "run as root";
	}
}

void top_why_text(enum ii_act_family f, const struct ii_act_state *st, char *buf, size_t size)
{
	const char *d = st->detail;
	const char *sep = d[0] ? ": " : "";

	switch (st->why) {
	case II_WHY_LIVE:
		snprintf(buf, size, "live");
		break;
	case II_WHY_NOT_ROOT:
		snprintf(buf, size, "needs root (%s)", root_fix(f));
		break;
	case II_WHY_PARANOID:
		/* the source's detail names the value and the fixes */
		if (d[0])
			snprintf(buf, size, "perf_event_paranoid refuses: %s", d);
		else
			snprintf(buf, size, "perf_event_paranoid refuses (run as root, grant CAP_PERFMON "
				 "or lower kernel.perf_event_paranoid)");
		break;
	case II_WHY_KERNEL_TOO_OLD:
		snprintf(buf, size, "kernel too old%s%s", sep, d);
		break;
	case II_WHY_NO_PMU_HW:
		snprintf(buf, size, "the hardware has no counters%s%s", sep, d);
		break;
	case II_WHY_NOT_BUILT:
		snprintf(buf, size, "not built into this kernel%s%s", sep, d);
		break;
	case II_WHY_NOT_ENABLED:
		snprintf(buf, size, "not enabled (an administrator enables it by writing to "
			 "dmar_perf_latency; iommu-inspect never writes)");
		break;
	case II_WHY_NO_TRACEFS:
		/* its event ids name the tracepoints to perf: readable, or not mounted at all */
		if (st->err == -EACCES || st->err == -EPERM)
			snprintf(buf, size, "tracefs is readable by root only (run as root)");
		else /* the source's detail says where, and the command that mounts it */
			snprintf(buf, size, "tracefs is not mounted%s%s", sep, d);
		break;
	case II_WHY_NOT_RECORDED:
		snprintf(buf, size, "not recorded (record it with snapshot --activity)");
		break;
	case II_WHY_NO_IOMMU:
		snprintf(buf, size, "no IOMMU unit to count");
		break;
	case II_WHY_IDENTITY:
		snprintf(buf, size, "identity domains only (iommu=pt): nothing is mapped");
		break;
	case II_WHY_ERROR:
	default:
		snprintf(buf, size, "%s%s%s", st->err ? strerror(-st->err) : "error", sep, d);
		break;
	}
}
