// SPDX-License-Identifier: MIT
/*
 * top's layout (include/render/render-top.h): a sample, the view state and a
 * size in, a grid of cells with colour roles out. Pure: the curses view and
 * the --batch frames draw what it lays out, and the unit tests check it at
 * every size. Sections from the top: the title (kernel, IOMMU, domain type,
 * invalidation), the sources (live or why not), the units, the system-wide
 * counts, the devices (sorted, filtered, scrolled), the latest faults, and a
 * line for the filter prompt or the key hints; the help is drawn over them.
 * Every write is clipped to the grid, so nothing lands outside it whatever
 * the size or the length of a name.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render-top.h"

#define DEV_W_MIN 12              /* "0000:00:00.0" */
#define DEV_W_MAX 32
#define DRV_W_MIN 7               /* "DRIVER" and a sort mark */
#define DRV_W_MAX 16

void top_grid_init(struct top_grid *g, int rows, int cols)
{
	size_t n;

	memset(g, 0, sizeof(*g));
	g->rows = rows > 0 ? rows : 0;
	g->cols = cols > 0 ? cols : 0;
	n = (size_t)g->rows * (size_t)g->cols;
	g->cells = xcalloc(n ? n : 1, sizeof(*g->cells));
	for (size_t i = 0; i < n; i++)
		g->cells[i] = (struct top_cell){ ' ', TOP_ROLE_NORMAL };
}

void top_grid_free(struct top_grid *g)
{
	free(g->cells);
	memset(g, 0, sizeof(*g));
}

/* ------------------------------------------------------------------ writing */

struct lay {
	struct top_grid *g;       /* NULL: count rows only */
	const struct top_frame *f;
	int rows, cols;
	int row;                  /* the next row to write */
};

/* Text at (row, col), at most n bytes of s, clipped to the grid; unprintable bytes become '?'. */
static int put(struct lay *l, int row, int col, const char *s, size_t n, int role)
{
	int w = 0;

	for (size_t i = 0; i < n && s[i]; i++, w++) {
		long c = (long)col + (long)i;
		unsigned char ch = (unsigned char)s[i];
		struct top_cell *cell;

		if (!l->g || row < 0 || row >= l->rows || c < 0)
			continue;
		if (c >= l->cols)
			break;
		cell = &l->g->cells[(size_t)row * (size_t)l->cols + (size_t)c];
		cell->ch = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		cell->role = (unsigned char)role;
	}
	return w;
}

static int putf(struct lay *l, int row, int col, int role, const char *fmt, ...) ii_printf_like(5, 6);
static int putf(struct lay *l, int row, int col, int role, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return put(l, row, col, buf, sizeof(buf), role);
}

/* A whole row in one role (a bar). */
static void bar(struct lay *l, int row, int role)
{
	if (!l->g || row < 0 || row >= l->rows)
		return;
	for (int c = 0; c < l->cols; c++) {
		struct top_cell *cell = &l->g->cells[(size_t)row * (size_t)l->cols + (size_t)c];

		cell->ch = ' ';
		cell->role = (unsigned char)role;
	}
}

/* A cell of a table row: text in width columns, left or right aligned, cut with '~'. */
struct cur {
	struct lay *l;
	int row, col;
};

static void cell(struct cur *c, int width, bool right, int role, const char *text)
{
	char buf[256];
	size_t len = strlen(text);

	if (width <= 0)
		return;
	if ((int)len > width) {
		snprintf(buf, sizeof(buf), "%.*s~", width - 1, text);
		text = buf;
		len = (size_t)width;
	}
	put(c->l, c->row, c->col + (right ? width - (int)len : 0), text, len, role);
	c->col += width + 1;
}

/* ------------------------------------------------------------------ numbers */

/* A rate or a count in a few characters: 0, 0.5, 12.3, 456, 7890, 12.3k, 4.5M, 6.7G. */
static void fmt_num(double v, char *buf, size_t size)
{
	if (v <= 0)
		snprintf(buf, size, "0");
	else if (v < 0.1)
		snprintf(buf, size, "<0.1");
	else if (v < 100)
		snprintf(buf, size, "%.1f", v);
	else if (v < 10000)
		snprintf(buf, size, "%.0f", v);
	else if (v < 1e7)
		snprintf(buf, size, "%.1fk", v / 1e3);
	else if (v < 1e10)
		snprintf(buf, size, "%.1fM", v / 1e6);
	else
		snprintf(buf, size, "%.1fG", v / 1e9);
}

static void fmt_count(uint64_t v, char *buf, size_t size)
{
	if (v < 100000)
		snprintf(buf, size, "%llu", (unsigned long long)v);
	else
		fmt_num((double)v, buf, size);
}

/* "-" when not counted or no rate this interval, "gone" when its counters went away. */
static void fmt_rate(const struct ii_rate *r, char *buf, size_t size)
{
	if (r->gone)
		snprintf(buf, size, "gone");
	else if (!r->known || !r->has)
		snprintf(buf, size, "-");
	else
		fmt_num(r->per_s, buf, size);
}

static void fmt_ratio(bool has, double v, char *buf, size_t size)
{
	if (has)
		snprintf(buf, size, "%.1f%%", v * 100);
	else
		snprintf(buf, size, "-");
}

/* A log time: the clock time of its date (HH:MM:SS.mmm) or seconds since boot like dmesg. */
static void fmt_logtime(const char *wall, bool has_usec, uint64_t usec, bool millis, char *buf,
			size_t size)
{
	if (strlen(wall) >= 19 && wall[10] == 'T')
		snprintf(buf, size, "%.8s%.*s", wall + 11, millis && wall[19] == '.' ? 4 : 0, wall + 19);
	else if (has_usec)
		snprintf(buf, size, "%llu.%06llu", (unsigned long long)(usec / 1000000),
			 (unsigned long long)(usec % 1000000));
	else
		snprintf(buf, size, "-");
}

/* ------------------------------------------------------------------ sections */

static size_t nonlive(const struct ii_sample *smp)
{
	size_t n = 0;

	for (unsigned f = 0; smp && f < II_ACT_FAMILIES; f++)
		n += smp->family[f].why != II_WHY_LIVE;
	return n;
}

/* The last double space in s, or NULL. */
static char *strrstr2(char *s)
{
	char *hit = NULL;

	for (char *p = strstr(s, "  "); p; p = strstr(p + 1, "  "))
		hit = p;
	return hit;
}

static void title(struct lay *l)
{
	const struct top_frame *f = l->f;
	const struct ii_system *s = f->sys;
	const struct ii_status *st = f->st;
	const struct top_view *v = f->view;
	char left[384], right[128], mode[48], when[32] = "";
	size_t n = 0;
	int row = l->row++, rlen;

	n += (size_t)snprintf(left + n, sizeof(left) - n, " iommu-inspect top");
	if (s && s->kernel_release)
		n += (size_t)snprintf(left + n, sizeof(left) - n, "  %s", s->kernel_release);
	if (!s || !s->nunits)
		n += (size_t)snprintf(left + n, sizeof(left) - n, "  no IOMMU unit");
	else
		n += (size_t)snprintf(left + n, sizeof(left) - n, "  %s",
				      ii_vendor_name(ii_system_vendor(s)));
	for (size_t i = 0; s && i < s->nunits && n + 1 < sizeof(left); i++)
		n += (size_t)snprintf(left + n, sizeof(left) - n, " %s", s->units[i].name);
	if (s && s->nunits && st && st->default_domain.value && n + 1 < sizeof(left))
		n += (size_t)snprintf(left + n, sizeof(left) - n, "  %s", st->default_domain.value);
	if (s && s->nunits && st && st->invalidation.value && n + 1 < sizeof(left))
		snprintf(left + n, sizeof(left) - n, " %s", st->invalidation.value);

	if (f->smp && f->smp->wall_ns > 0) {
		time_t t = (time_t)(f->smp->wall_ns / 1000000000);
		struct tm tm;

		if (localtime_r(&t, &tm))
			strftime(when, sizeof(when), "  %H:%M:%S", &tm);
	}
	if (!v->replay)
		mode[0] = '\0';
	else if (v->replay_ended)
		snprintf(mode, sizeof(mode), "replay ended  ");
	else if (v->speed != 1 && v->speed > 0)
		snprintf(mode, sizeof(mode), "replay x%g  ", v->speed);
	else
		snprintf(mode, sizeof(mode), "replay  ");
	rlen = snprintf(right, sizeof(right), "  %s%severy %gs%s ", v->paused ? "[paused]  " : "",
			mode, v->interval_s, when);
	/* the state at the right wins: the facts at the left end before it, at a gap if they can */
	bar(l, row, TOP_ROLE_TITLE);
	if (rlen > l->cols)
		rlen = 0;
	n = strlen(left);
	if ((int)n > l->cols - rlen) {
		char *gap;

		/* " iommu-inspect top" whole, or nothing of it */
		left[l->cols - rlen >= 18 ? l->cols - rlen : 0] = '\0';
		if ((gap = strrstr2(left)) && gap >= left + 18)
			*gap = '\0';
	}
	put(l, row, 0, left, strlen(left), TOP_ROLE_TITLE);
	put(l, row, l->cols - rlen, right, (size_t)rlen, TOP_ROLE_TITLE);
}

/*
 * Text from (row, col) on, broken at spaces onto the rows below, each from
 * col, so that none of it is cut (a --batch frame, as tall as it needs).
 */
static void wrapped(struct lay *l, int row, int col, const char *text, int role)
{
	int w = l->cols - col;
	size_t len = strlen(text);

	if (w < 8) {
		put(l, row, col, text, len, role);
		return;
	}
	for (;;) {
		size_t n = len;

		if (n > (size_t)w) {
			n = (size_t)w;
			/* at the last space that fits; a word longer than the line is cut there */
			while (n > 0 && text[n] != ' ')
				n--;
			if (n == 0)
				n = (size_t)w;
		}
		put(l, row, col, text, n, role);
		text += n;
		len -= n;
		while (len && *text == ' ') {
			text++;
			len--;
		}
		if (!len)
			return;
		row = l->row++;
	}
}

static void sources(struct lay *l, bool full)
{
	const struct ii_sample *smp = l->f->smp;
	char why[640];
	int row = l->row++, col = 0;

	if (!smp) {
		putf(l, row, 0, TOP_ROLE_LABEL, "sources: starting");
		return;
	}
	col += put(l, row, col, "live:", 5, TOP_ROLE_LABEL);
	for (unsigned f = 0, n = 0; f < II_ACT_FAMILIES; f++)
		if (smp->family[f].why == II_WHY_LIVE)
			col += putf(l, row, col, TOP_ROLE_LIVE, "%s %s", n++ ? "," : "",
				    top_family_name((enum ii_act_family)f));
	if (col == 5)
		col += put(l, row, col, " none", 5, TOP_ROLE_OFF);
	if (full) {
		for (unsigned f = 0; f < II_ACT_FAMILIES; f++) {
			if (smp->family[f].why == II_WHY_LIVE)
				continue;
			top_why_text((enum ii_act_family)f, &smp->family[f], why, sizeof(why));
			row = l->row++;
			putf(l, row, 2, TOP_ROLE_OFF, "%-10s", top_family_name((enum ii_act_family)f));
			if (l->f->view->batch)
				wrapped(l, row, 13, why, TOP_ROLE_OFF);
			else
				put(l, row, 13, why, sizeof(why), TOP_ROLE_OFF);
		}
		return;
	}
	/* one line: a word or two for each, without how to get it (a taller terminal and
	   --batch say) */
	col += put(l, row, col, "  off:", 6, TOP_ROLE_LABEL);
	for (unsigned f = 0, n = 0; f < II_ACT_FAMILIES; f++)
		if (smp->family[f].why != II_WHY_LIVE)
			col += putf(l, row, col, TOP_ROLE_OFF, "%s %s (%s)", n++ ? "," : "",
				    top_family_name((enum ii_act_family)f),
				    top_why_short(smp->family[f].why));
}

static const struct {
	const char *name;
	int width;
} ucols[] = {
	{ "LOOKUP/s", 8 }, { "HIT/s", 6 }, { "MISS/s", 6 }, { "HIT%", 6 }, { "CTX%", 6 },
	{ "INV/s", 6 }, { "IRQ/s", 6 }, { "FLT/s", 6 }, { "SUPPR", 5 },
};

static void units_head(struct lay *l, int uw)
{
	struct cur c = { l, l->row++, 0 };

	bar(l, c.row, TOP_ROLE_HEAD);
	cell(&c, uw, false, TOP_ROLE_HEAD, "UNIT");
	for (unsigned k = 0; k < II_ARRAY_SIZE(ucols); k++)
		cell(&c, ucols[k].width, true, TOP_ROLE_HEAD, ucols[k].name);
	cell(&c, l->cols, false, TOP_ROLE_HEAD, "PMU");
}

static void unit_row(struct lay *l, const struct ii_unit_activity *u, int uw)
{
	struct cur c = { l, l->row++, 0 };
	int role = u->gone ? TOP_ROLE_GONE : u->fault_records.delta ? TOP_ROLE_FAULT : TOP_ROLE_NORMAL;
	char b[II_ARRAY_SIZE(ucols)][32];

	cell(&c, uw, false, role, u->name);
	fmt_rate(&u->iotlb_lookups, b[0], sizeof(b[0]));
	fmt_rate(&u->iotlb_hits, b[1], sizeof(b[1]));
	fmt_rate(&u->iotlb_misses, b[2], sizeof(b[2]));
	fmt_ratio(u->has_hit_ratio, u->hit_ratio, b[3], sizeof(b[3]));
	fmt_ratio(u->has_ctx_hit_ratio, u->ctx_hit_ratio, b[4], sizeof(b[4]));
	fmt_rate(&u->invalidations, b[5], sizeof(b[5]));
	fmt_rate(&u->fault_irqs, b[6], sizeof(b[6]));
	fmt_rate(&u->fault_records, b[7], sizeof(b[7]));
	if (u->fault_records.known)
		fmt_count(u->suppressed, b[8], sizeof(b[8]));
	else
		snprintf(b[8], sizeof(b[8]), "-");
	for (unsigned k = 0; k < II_ARRAY_SIZE(ucols); k++)
		cell(&c, ucols[k].width, true, role, b[k]);
	if (u->gone) {
		put(l, c.row, c.col, "gone", 4, TOP_ROLE_GONE);
	} else if (u->pmu.why == II_WHY_LIVE) {
		put(l, c.row, c.col, "live", 4, TOP_ROLE_LIVE);
	} else {
		put(l, c.row, c.col, top_why_short(u->pmu.why), 32, TOP_ROLE_OFF);
	}
}

static int unit_width(const struct ii_sample *smp)
{
	int w = 8;

	for (size_t i = 0; smp && i < smp->nunits; i++)
		if ((int)strlen(smp->units[i].name) > w)
			w = (int)strlen(smp->units[i].name);
	return w > 24 ? 24 : w;
}

/* dmar_perf_latency: per unit and type, the buckets, min, max and average. */
static void latency_rows(struct lay *l, int max)
{
	const struct ii_sample *smp = l->f->smp;
	struct cur c = { l, l->row++, 0 };
	static const char *const heads[II_LAT_COLS] = { "<0.1us", "<1us", "<10us", "<100us",
							"<1ms", "<10ms", ">=10ms", "min", "max", "avg" };

	bar(l, c.row, TOP_ROLE_HEAD);
	cell(&c, 8, false, TOP_ROLE_HEAD, "LATENCY");
	cell(&c, 12, false, TOP_ROLE_HEAD, "TYPE");
	for (unsigned k = 0; k < II_LAT_COLS; k++)
		cell(&c, 7, true, TOP_ROLE_HEAD, heads[k]);
	for (size_t i = 0; i < smp->nlatency && (int)i < max - 1; i++) {
		const struct ii_top_latency *x = &smp->latency[i];
		char b[32];

		c = (struct cur){ l, l->row++, 0 };
		cell(&c, 8, false, TOP_ROLE_NORMAL, x->unit);
		cell(&c, 12, false, TOP_ROLE_NORMAL, x->row.type);
		for (unsigned k = 0; k < II_LAT_COLS; k++) {
			fmt_count(x->row.v[k] < 0 ? 0 : (uint64_t)x->row.v[k], b, sizeof(b));
			cell(&c, 7, true, TOP_ROLE_NORMAL, b);
		}
	}
}

static int units_rows(const struct ii_sample *smp)
{
	int n = 1 + (int)(smp && smp->nunits ? smp->nunits : 1);

	if (smp && smp->nlatency)
		n += 1 + (int)smp->nlatency;
	return n;
}

static void units(struct lay *l, int max)
{
	const struct ii_sample *smp = l->f->smp;
	int uw = unit_width(smp), end = l->row + max;

	if (max <= 0)
		return;
	units_head(l, uw);
	if (!smp || !smp->nunits) {
		if (l->row < end)
			putf(l, l->row++, 0, TOP_ROLE_OFF, "no IOMMU unit in sys/class/iommu");
		return;
	}
	for (size_t i = 0; i < smp->nunits && l->row < end; i++)
		unit_row(l, &smp->units[i], uw);
	if (smp->nlatency && end - l->row >= 2)
		latency_rows(l, end - l->row);
}

/* System-wide: DMA map/unmap and invalidations, then the faults. */
static void system_rows(struct lay *l, int max)
{
	const struct ii_sample *smp = l->f->smp;
	int row = l->row, col = 0;
	char a[32], b[32], c[32], d[32], e[32];

	if (!smp || max <= 0)
		return;
	l->row += max < 2 ? max : 2;
	fmt_rate(&smp->maps, a, sizeof(a));
	fmt_rate(&smp->unmaps, b, sizeof(b));
	fmt_rate(&smp->invalidations, c, sizeof(c));
	fmt_rate(&smp->fault_irqs, d, sizeof(d));
	fmt_rate(&smp->fault_records, e, sizeof(e));
	col += put(l, row, col, "DMA    ", 7, TOP_ROLE_LABEL);
	col += putf(l, row, col, TOP_ROLE_NORMAL, "map/s %s  unmap/s %s  invalidations/s %s", a, b, c);
	if (smp->resets)
		col += putf(l, row, col, TOP_ROLE_OFF, "  counter resets %llu",
			    (unsigned long long)smp->resets);
	if (smp->interval_s > 0)
		putf(l, row, col, TOP_ROLE_NORMAL, "  (over %.2fs)", smp->interval_s);
	if (max < 2)
		return;
	row++;
	col = put(l, row, 0, "FAULTS ", 7, TOP_ROLE_LABEL);
	if (!smp->fault_records.known) {
		/* the log is not read: its counts are unknown, not zero */
		putf(l, row, col, TOP_ROLE_NORMAL, "interrupts/s %s  records/s -  total -  "
		     "suppressed -  lost -", d);
		return;
	}
	putf(l, row, col, smp->fault_records.delta ? TOP_ROLE_FAULT : TOP_ROLE_NORMAL,
	     "interrupts/s %s  records/s %s  total %llu  suppressed %llu  lost %llu", d, e,
	     (unsigned long long)smp->fault_records.total, (unsigned long long)smp->suppressed,
	     (unsigned long long)smp->lost_records);
}

/* ------------------------------------------------------------------ devices */

struct dcol {
	const char *name;
	int sort;                 /* enum ii_dev_sort, or -1 */
	bool right;
	bool desc;                /* its natural order is the biggest first */
};

enum { DC_DEV, DC_GROUP, DC_DRIVER, DC_RATE, DC_TOTAL, DC_LAST, DC_ADDR, DC_REASON, DC_N };

static const struct dcol dcols[DC_N] = {
	[DC_DEV] = { "DEVICE", II_SORT_BDF, false, false },
	[DC_GROUP] = { "GROUP", II_SORT_GROUP, true, false },
	[DC_DRIVER] = { "DRIVER", II_SORT_DRIVER, false, false },
	[DC_RATE] = { "FAULTS/s", II_SORT_RATE, true, true },
	[DC_TOTAL] = { "TOTAL", II_SORT_TOTAL, true, true },
	[DC_LAST] = { "LAST", II_SORT_LAST, true, true },
	[DC_ADDR] = { "ADDRESS", -1, false, false },
	[DC_REASON] = { "LAST REASON", -1, false, false },
};

/* The device rows to show: filtered (a batch frame: only those with faults, or that came or went). */
static size_t dev_rows(const struct top_frame *f, size_t **out)
{
	const struct ii_sample *smp = f->smp;
	size_t n, *idx;

	*out = NULL;
	if (!smp || !smp->ndevs)
		return 0;
	idx = xmalloc(smp->ndevs * sizeof(*idx));
	if (f->view->batch)
		n = ii_sample_dev_order_active(smp, f->view->sort, f->view->reverse, idx, smp->ndevs);
	else
		n = ii_sample_dev_order(smp, f->view->sort, f->view->reverse, f->view->filter, idx,
					smp->ndevs);
	*out = idx;
	return n;
}

static void dev_widths(const struct ii_sample *smp, const size_t *idx, size_t n, int w[DC_N])
{
	w[DC_DEV] = DEV_W_MIN;
	w[DC_DRIVER] = DRV_W_MIN;
	w[DC_ADDR] = 8;           /* "ADDRESS" and a space */
	for (size_t i = 0; i < n; i++) {
		const struct ii_dev_activity *d = &smp->devs[idx[i]];
		int a = (int)strlen(d->bdf), b = (int)strlen(d->driver);
		char x[24];

		if (a > w[DC_DEV])
			w[DC_DEV] = a < DEV_W_MAX ? a : DEV_W_MAX;
		if (b > w[DC_DRIVER])
			w[DC_DRIVER] = b < DRV_W_MAX ? b : DRV_W_MAX;
		if (d->has_last_addr && snprintf(x, sizeof(x), "0x%llx",
						 (unsigned long long)d->last_addr) > w[DC_ADDR])
			w[DC_ADDR] = (int)strlen(x);
	}
	w[DC_GROUP] = 6;
	w[DC_RATE] = 9;
	w[DC_TOTAL] = 7;
	w[DC_LAST] = 10;
	w[DC_REASON] = 64;
}

static void dev_head(struct lay *l, const int w[DC_N], size_t matched)
{
	const struct top_view *v = l->f->view;
	struct cur c = { l, l->row++, 0 };
	char name[32];
	int end = 0;

	bar(l, c.row, TOP_ROLE_HEAD);
	for (unsigned k = 0; k < DC_N; k++) {
		if (k == DC_REASON)
			end = c.col + (int)strlen(dcols[k].name) + 1;
		bool sorted = dcols[k].sort == (int)v->sort;

		if (sorted)
			snprintf(name, sizeof(name), "%s%c", dcols[k].name,
				 dcols[k].desc != v->reverse ? 'v' : '^');
		else
			snprintf(name, sizeof(name), "%s", dcols[k].name);
		cell(&c, w[k], dcols[k].right, sorted ? TOP_ROLE_SORTED : TOP_ROLE_HEAD, name);
	}
	if (v->batch || !l->f->smp)
		return;
	/* the filter and the count, at the right end */
	if (v->filter[0])
		snprintf(name, sizeof(name), " %zu of %zu ", matched, l->f->smp->ndevs);
	else
		snprintf(name, sizeof(name), " %zu devices ", l->f->smp->ndevs);
	if (end + (int)strlen(name) <= l->cols)
		put(l, c.row, l->cols - (int)strlen(name), name, strlen(name), TOP_ROLE_HEAD);
}

static void dev_row(struct lay *l, const struct ii_dev_activity *d, const int w[DC_N])
{
	struct cur c = { l, l->row++, 0 };
	int role = d->gone ? TOP_ROLE_GONE : d->faults.delta ? TOP_ROLE_FAULT :
		   d->added ? TOP_ROLE_ADDED : TOP_ROLE_NORMAL;
	char b[160];

	cell(&c, w[DC_DEV], false, role, d->bdf);
	if (d->group >= 0)
		snprintf(b, sizeof(b), "%d", d->group);
	else
		snprintf(b, sizeof(b), "-");
	cell(&c, w[DC_GROUP], true, role, b);
	cell(&c, w[DC_DRIVER], false, role, d->driver[0] ? d->driver : "-");
	fmt_rate(&d->faults, b, sizeof(b));
	cell(&c, w[DC_RATE], true, role, b);
	if (d->faults.known)
		fmt_count(d->faults.total, b, sizeof(b));
	else
		snprintf(b, sizeof(b), "-");
	cell(&c, w[DC_TOTAL], true, role, b);
	if (d->has_last)
		fmt_logtime(d->last_time, d->has_last_usec, d->last_usec, false, b, sizeof(b));
	else
		snprintf(b, sizeof(b), "-");
	cell(&c, w[DC_LAST], true, role, b);
	if (d->has_last_addr)
		snprintf(b, sizeof(b), "0x%llx", (unsigned long long)d->last_addr);
	else
		snprintf(b, sizeof(b), "-");
	cell(&c, w[DC_ADDR], false, role, b);
	snprintf(b, sizeof(b), "%s%s", d->gone ? "[gone] " : d->added ? "[new] " : "",
		 d->has_last && d->last_reason[0] ? d->last_reason : d->gone || d->added ? "" : "-");
	cell(&c, w[DC_REASON], false, role, b);
}

/* The device table in max rows (a head and the rows); -1: as many as there are. */
static void devices(struct lay *l, int max, struct top_grid *g)
{
	const struct ii_sample *smp = l->f->smp;
	size_t *idx, n = dev_rows(l->f, &idx);
	long page, scroll = l->f->view->scroll;
	int w[DC_N];

	if (max == 0)
		goto out;
	dev_widths(smp, idx, n, w);
	dev_head(l, w, n);
	page = max < 0 ? (long)n : max - 1;
	if (page < 0)
		page = 0;
	if (scroll > (long)n - page)
		scroll = (long)n - page;
	if (scroll < 0 || l->f->view->batch)
		scroll = 0;
	if (g) {
		g->scroll = scroll;
		g->page = page;
		g->matched = n;
	}
	if (!n && (page > 0 || max < 0)) {
		putf(l, l->row++, 0, TOP_ROLE_OFF, "%s",
		     !smp ? "" : l->f->view->batch && !smp->fault_records.known ?
		     "which devices fault needs the kernel log" :
		     l->f->view->batch ? "no device has faulted" :
		     l->f->view->filter[0] ? "no device matches the filter" : "no devices");
		goto out;
	}
	for (long i = scroll; i < (long)n && i < scroll + page; i++)
		dev_row(l, &smp->devs[idx[i]], w);
out:
	free(idx);
}

/* ------------------------------------------------------------------- faults */

/* What a fault line shows of the faulting address: the address, or an interrupt's index. */
static void fault_addr(const struct ii_fault *f, char *b, size_t size)
{
	if (f->has_addr)
		snprintf(b, size, "0x%llx", (unsigned long long)f->addr);
	else if (f->has_index)
		snprintf(b, size, "index 0x%llx", (unsigned long long)f->index);
	else
		snprintf(b, size, "-");
}

static void fault_row(struct lay *l, const struct ii_fault *f, int uw, int aw)
{
	struct cur c = { l, l->row++, 0 };
	char b[160], req[II_BDF_MAX];
	const char *who = ii_fault_requester(f, req);
	const char *acc = ii_access_key(f->access);

	fmt_logtime(f->pos.wall, f->pos.has_usec, f->pos.usec, true, b, sizeof(b));
	cell(&c, 14, true, TOP_ROLE_FAULT, b);
	cell(&c, DEV_W_MIN, false, TOP_ROLE_FAULT, who ? who : "-");
	cell(&c, uw, false, TOP_ROLE_FAULT, f->unit[0] ? f->unit : "-");
	cell(&c, 5, false, TOP_ROLE_FAULT, acc ? acc : "-");
	fault_addr(f, b, sizeof(b));
	cell(&c, aw, false, TOP_ROLE_FAULT, b);
	snprintf(b, sizeof(b), "%s", f->has_reason ? f->reason : f->event ? f->event : "-");
	cell(&c, l->cols, false, TOP_ROLE_FAULT, b);
}

/* The fault log in max rows (-1: the faults of this interval, all of them). */
static void faults(struct lay *l, int max)
{
	const struct ii_sample *smp = l->f->smp;
	bool batch = l->f->view->batch;
	size_t have = !smp ? 0 : batch ? smp->recent_new : smp->nrecent, show = have;
	int row = l->row++, uw = 5, aw = 7;

	if (max == 0)
		return;
	bar(l, row, TOP_ROLE_HEAD);
	if (max > 0 && (size_t)(max - 1) < show)
		show = (size_t)(max - 1);
	if (!smp)
		putf(l, row, 0, TOP_ROLE_HEAD, "FAULT LOG");
	else if (batch)
		putf(l, row, 0, TOP_ROLE_HEAD, "FAULT LOG: %llu new%s", (unsigned long long)smp->faults_new,
		     smp->faults_new > show ? ", the latest below" : "");
	else
		putf(l, row, 0, TOP_ROLE_HEAD, "FAULT LOG: latest %zu of %llu", show,
		     (unsigned long long)smp->fault_records.total);
	if (!smp)
		return;
	if (!have && (max < 0 || max > 1)) {
		putf(l, l->row++, 0, TOP_ROLE_NORMAL, "%s",
		     smp->family[II_ACT_KMSG].why == II_WHY_LIVE || smp->fault_records.known ?
		     "no faults" : "the kernel log is not read");
		return;
	}
	for (size_t i = smp->nrecent - show; i < smp->nrecent; i++) {
		char b[64];
		int n = (int)strlen(smp->recent[i].unit);

		fault_addr(&smp->recent[i], b, sizeof(b));
		if ((int)strlen(b) > aw)
			aw = (int)strlen(b) < 18 ? (int)strlen(b) : 18;
		if (n > uw)
			uw = n < 20 ? n : 20;
	}
	for (size_t i = smp->nrecent - show; i < smp->nrecent; i++)
		fault_row(l, &smp->recent[i], uw, aw);
}

/* ----------------------------------------------------------- bottom and help */

static void bottom(struct lay *l, int row)
{
	const struct top_view *v = l->f->view;

	bar(l, row, TOP_ROLE_PROMPT);
	if (v->editing)
		putf(l, row, 0, TOP_ROLE_PROMPT, "filter (address, driver, group; Enter keeps, Esc "
		     "clears): %s_", v->filter);
	else if (v->filter[0])
		putf(l, row, 0, TOP_ROLE_PROMPT, "filter: %s   (/ change, h help, q quit)", v->filter);
	else
		putf(l, row, 0, TOP_ROLE_PROMPT, "q quit  h help  s sort  / filter  p pause  +/- "
		     "interval  1-4 panels");
	if (v->warnings && !v->editing) {
		char w[64];
		int n = snprintf(w, sizeof(w), " %zu warning%s, printed on exit ", v->warnings,
				 v->warnings == 1 ? "" : "s");

		if (n < l->cols / 2)
			put(l, row, l->cols - n, w, (size_t)n, TOP_ROLE_OFF);
	}
}

/* The keys, then how to get each source that is not live. */
static void help(struct lay *l)
{
	const struct ii_sample *smp = l->f->smp;
	int w = l->cols - 4 > 96 ? 96 : l->cols - 4, h, top = 1, left = 2, r;
	size_t nkeys = top_help_count(), nsrc = nonlive(smp);
	char line[128], why[512];

	if (w < 16 || l->rows < 5) {
		/* no room for the box: one line */
		put(l, 0, 0, "help: q quits, any other key closes this", (size_t)l->cols, TOP_ROLE_HELP);
		return;
	}
	h = (int)(nkeys + (nsrc ? nsrc + 2 : 0)) + 4;
	if (h > l->rows - 1)
		h = l->rows - 1;
	for (r = 0; r < h; r++) {
		memset(line, ' ', sizeof(line));
		line[0] = line[w - 1] = r == 0 || r == h - 1 ? '+' : '|';
		if (r == 0 || r == h - 1)
			memset(line + 1, '-', (size_t)w - 2);
		put(l, top + r, left, line, (size_t)w, TOP_ROLE_HELP);
	}
	r = top + 1;
	putf(l, r++, left + 2, TOP_ROLE_HELP, "%.*s", w - 4, "Keys (q quits, any other key closes this help)");
	for (size_t i = 0; i < nkeys && r < top + h - 1; i++) {
		snprintf(line, sizeof(line), "%-10s %s", top_help_key(i), top_help_text(i));
		put(l, r++, left + 2, line, (size_t)w - 4, TOP_ROLE_HELP);
	}
	if (!nsrc || r + 2 >= top + h - 1)
		return;
	r++;
	put(l, r++, left + 2, "Sources that are not live, and how to get them:", (size_t)w - 4,
	    TOP_ROLE_HELP);
	for (unsigned f = 0; f < II_ACT_FAMILIES && r < top + h - 1; f++) {
		if (smp->family[f].why == II_WHY_LIVE)
			continue;
		top_why_text((enum ii_act_family)f, &smp->family[f], why, sizeof(why));
		putf(l, r, left + 2, TOP_ROLE_HELP, "%-10s %.*s", top_family_name((enum ii_act_family)f),
		     w - 15 > 0 ? w - 15 : 0, why);
		r++;
	}
}

/* --------------------------------------------------------------------- frame */

static void too_small(struct lay *l)
{
	putf(l, 0, 0, TOP_ROLE_OFF, "terminal too small (%dx%d)", l->cols, l->rows);
}

/* Share the rows between the sections (the devices get what is left). */
static void interactive(struct lay *l, struct top_grid *g)
{
	const struct top_frame *f = l->f;
	const struct top_view *v = f->view;
	const struct ii_sample *smp = f->smp;
	bool full = l->rows >= 21 + (int)nonlive(smp);
	int left, u = 0, dev = 0, flt = 0;

	title(l);
	left = l->rows - 2; /* the title and the bottom line */
	if (left >= 2) {
		sources(l, full);
		left -= l->row - 1;
	}
	if (v->show[TOP_PANEL_UNITS] && left >= 2) {
		u = units_rows(smp);
		if (u > left / 3 && u > 2)
			u = left / 3 > 2 ? left / 3 : 2;
		units(l, u);
		left -= u;
	}
	if (v->show[TOP_PANEL_SYSTEM] && left >= 1) {
		int n = left >= 6 ? 2 : 1;

		system_rows(l, n);
		left -= n;
	}
	if (v->show[TOP_PANEL_FAULTS] && left >= 2) {
		size_t want = 1 + (smp && smp->nrecent ? smp->nrecent : 1);

		flt = v->show[TOP_PANEL_DEVICES] ? left / 3 : left;
		if (flt < 2)
			flt = 2;
		if ((size_t)flt > want)
			flt = (int)want;
	}
	if (v->show[TOP_PANEL_DEVICES]) {
		dev = left - flt;
		if (dev < 2) {
			dev = 0;
			flt = left;
		}
		devices(l, dev, g);
	}
	if (flt > 0) {
		l->row = l->rows - 1 - flt;
		faults(l, flt);
	}
	bottom(l, l->rows - 1);
	if (v->help)
		help(l);
}

static void batch(struct lay *l)
{
	title(l);
	sources(l, true);
	if (l->f->view->show[TOP_PANEL_UNITS])
		units(l, INT_MAX / 4);
	if (l->f->view->show[TOP_PANEL_SYSTEM])
		system_rows(l, 2);
	if (l->f->view->show[TOP_PANEL_DEVICES])
		devices(l, -1, NULL);
	if (l->f->view->show[TOP_PANEL_FAULTS])
		faults(l, -1);
}

void top_layout(struct top_grid *g, const struct top_frame *f)
{
	struct lay l = { g, f, g->rows, g->cols, 0 };

	g->scroll = 0;
	g->page = 0;
	g->matched = 0;
	if (g->rows <= 0 || g->cols <= 0)
		return;
	for (size_t i = 0; i < (size_t)g->rows * (size_t)g->cols; i++)
		g->cells[i] = (struct top_cell){ ' ', TOP_ROLE_NORMAL };
	if (f->view->batch) {
		if (g->cols < TOP_MIN_COLS)
			too_small(&l);
		else
			batch(&l);
	} else if (g->rows < TOP_MIN_ROWS || g->cols < TOP_MIN_COLS) {
		too_small(&l);
	} else {
		interactive(&l, g);
	}
}

int top_layout_height(const struct top_frame *f, int cols)
{
	struct lay l = { NULL, f, INT_MAX / 4, cols, 0 };

	if (cols < TOP_MIN_COLS)
		return 1;
	batch(&l);
	return l.row;
}
