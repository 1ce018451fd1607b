// SPDX-License-Identifier: MIT
/*
 * top's layout and keys (src/render/render-top-layout.c, render-top-view.c)
 * and its writers (render-top-out.c): every size from 1x1 to 300x100 and
 * beyond with nothing written outside the grid, the header when it fits, the
 * sort mark, the filter, scrolling limits, the help, long names, thousands
 * of devices, the --batch frame's height and the JSON record's keys.
 */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdio.h>

#include "model.h"
#include "render-top.h"
#include "status.h"
#include "test.h"
#include "top-fixture.h"

static const char *const one_unit[] = { "dmar0" };
static const enum ii_vendor intel[] = { II_VENDOR_INTEL };

struct world {
	struct ii_system s;
	struct ii_status st;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	struct top_view v;
};

/* ndev devices, faults on some of them, one interval of 1 s; a long-named client too. */
static void world(struct world *w, size_t ndev)
{
	struct ii_act_state fam[II_ACT_FAMILIES] = { { 0 } };
	struct ii_fault f;

	memset(w, 0, sizeof(*w));
	tf_system(&w->s, ndev, one_unit, intel, 1);
	memset(&w->st, 0, sizeof(w->st));
	w->st.default_domain.value = xstrdup("DMA-FQ");
	w->st.invalidation.value = xstrdup("lazy");
	w->sp = ii_sampler_new(&w->s, 64);
	for (unsigned i = 0; i < II_ACT_FAMILIES; i++)
		fam[i] = (struct ii_act_state){ .why = i == II_ACT_KMSG ? II_WHY_LIVE : II_WHY_NOT_ROOT };
	fam[II_ACT_PMU].why = II_WHY_NO_PMU_HW;
	ii_sampler_sources(w->sp, fam);
	ii_sampler_tick(w->sp, 0, 0);
	ii_sampler_sample(w->sp);
	for (unsigned i = 0; i < 40; i++) {
		char name[II_BDF_MAX];
		struct ii_bdf b = { 0, 0, (uint8_t)(i % 3), 0 };

		ii_format_bdf(&b, name);
		f = tf_fault(ndev ? name : NULL, "dmar0", 1000000u * i, 0x1000u * i,
			     "PTE Read access is not set");
		ii_fault_attribute(&w->s, &f);
		ii_sampler_fault(w->sp, &f);
	}
	f = tf_fault("a-platform-device-with-a-very-long-name.iommu-client@fe000000", "", 5, 0x10,
		     "F_TRANSLATION: a translation fault with a long explanation of what it means");
	ii_sampler_fault(w->sp, &f);
	ii_sampler_tick(w->sp, 1000000000, 1700000000LL * 1000000000LL);
	w->smp = ii_sampler_sample(w->sp);
	top_view_init(&w->v, 1);
}

static void world_free(struct world *w)
{
	ii_sampler_free(w->sp);
	ii_status_free(&w->st);
	ii_system_free(&w->s);
}

static struct top_frame frame(const struct world *w)
{
	return (struct top_frame){ &w->s, &w->st, w->smp, &w->v };
}

/* Lay out at rows x cols in a grid with guard cells after it; 0 when they were not touched. */
#define GUARD 4096
static int lay(struct top_grid *g, const struct top_frame *f, int rows, int cols)
{
	size_t n = (size_t)rows * (size_t)cols;

	top_grid_init(g, rows, cols);
	g->cells = xrealloc(g->cells, (n + GUARD) * sizeof(*g->cells));
	for (size_t i = n; i < n + GUARD; i++)
		g->cells[i] = (struct top_cell){ 0x7f, 0xee };
	top_layout(g, f);
	for (size_t i = 0; i < n; i++)
		if (g->cells[i].ch < 0x20 || g->cells[i].ch > 0x7e || g->cells[i].role >= TOP_ROLES)
			return 1;
	for (size_t i = n; i < n + GUARD; i++)
		if (g->cells[i].ch != 0x7f || g->cells[i].role != 0xee)
			return 2;
	return 0;
}

/* Row r as a string (static buffer). */
static const char *row(const struct top_grid *g, int r)
{
	static char buf[4096];
	int n = g->cols < (int)sizeof(buf) - 1 ? g->cols : (int)sizeof(buf) - 1;

	for (int c = 0; c < n; c++)
		buf[c] = g->cells[(size_t)r * (size_t)g->cols + (size_t)c].ch;
	buf[n] = '\0';
	return buf;
}

/* The first row holding s, or -1. */
static int find(const struct top_grid *g, const char *s)
{
	for (int r = 0; r < g->rows; r++)
		if (strstr(row(g, r), s))
			return r;
	return -1;
}

TEST(top_layout_every_size)
{
	static const int sizes[][2] = { { 1, 1 }, { 1, 80 }, { 2, 19 }, { 3, 20 }, { 4, 24 },
					{ 5, 30 }, { 10, 40 }, { 24, 80 }, { 25, 81 }, { 50, 132 },
					{ 100, 300 }, { 300, 100 }, { 500, 1000 }, { 1000, 5 },
					{ 2, 2000 } };
	struct world w;
	struct top_grid g;
	struct top_frame f;
	int bad = 0;

	world(&w, 200);
	f = frame(&w);
	for (int pass = 0; pass < 4; pass++) {
		w.v.help = pass == 1;
		w.v.editing = pass == 2;
		w.v.paused = pass == 3;
		strcpy(w.v.filter, pass == 2 ? "drv" : "");
		for (size_t i = 0; i < II_ARRAY_SIZE(sizes); i++) {
			int rc = lay(&g, &f, sizes[i][0], sizes[i][1]);

			if (rc) {
				t_fail(__FILE__, __LINE__, "%dx%d (pass %d): %s", sizes[i][1],
				       sizes[i][0], pass, rc == 1 ? "a bad cell" : "a write past the grid");
				bad++;
			}
			top_grid_free(&g);
		}
	}
	/* every size in between, rows 1..60 by columns 1..140 */
	for (int r = 1; r <= 60 && !bad; r++)
		for (int c = 1; c <= 140 && !bad; c++) {
			if (lay(&g, &f, r, c)) {
				t_fail(__FILE__, __LINE__, "%dx%d", c, r);
				bad++;
			}
			top_grid_free(&g);
		}
	/* nothing at all to lay out on */
	top_grid_init(&g, 0, 80);
	top_layout(&g, &f);
	CHECK(g.rows == 0 && g.page == 0);
	top_grid_free(&g);
	top_grid_init(&g, 24, 0);
	top_layout(&g, &f);
	top_grid_free(&g);
	world_free(&w);
}

TEST(top_layout_header_and_small)
{
	struct world w;
	struct top_grid g;
	struct top_frame f;

	world(&w, 20);
	f = frame(&w);
	CHECK_INT(lay(&g, &f, 24, 80), 0);
	CHECK(strstr(row(&g, 0), "iommu-inspect top"));
	CHECK(strstr(row(&g, 0), "6.12.0-test"));
	CHECK(strstr(row(&g, 0), "every 1s"));
	CHECK(find(&g, "UNIT") > 0);
	CHECK(find(&g, "DEVICE") > 0);
	CHECK(find(&g, "FAULT LOG") > 0);
	CHECK(strstr(row(&g, 23), "q quit"));
	/* the sources: live ones, and a word for why the others are not */
	CHECK(strstr(row(&g, 1), "live: log"));
	CHECK(strstr(row(&g, 1), "map/unmap (needs root)"));
	top_grid_free(&g);
	/* tall enough: one line per source that is not live, with how to get it */
	CHECK_INT(lay(&g, &f, 40, 120), 0);
	CHECK(find(&g, "needs root (run as root or grant CAP_PERFMON)") > 0);
	CHECK(find(&g, "the hardware has no counters") > 0);
	top_grid_free(&g);
	/* too small: one line that says so, cut to the width */
	CHECK_INT(lay(&g, &f, 2, 60), 0);
	CHECK(!strncmp(row(&g, 0), "terminal too small (60x2)", 25));
	top_grid_free(&g);
	CHECK_INT(lay(&g, &f, 10, 8), 0);
	CHECK_STR(row(&g, 0), "terminal");
	top_grid_free(&g);
	CHECK_INT(lay(&g, &f, 1, 1), 0);
	CHECK_STR(row(&g, 0), "t");
	top_grid_free(&g);
	/* the state at the right of the title wins over the facts at the left */
	w.v.paused = true;
	CHECK_INT(lay(&g, &f, 24, 40), 0);
	CHECK(strstr(row(&g, 0), "[paused]"));
	top_grid_free(&g);
	world_free(&w);
}

TEST(top_layout_sort_mark_and_keys)
{
	struct world w;
	struct top_grid g;
	struct top_frame f;
	int r;

	world(&w, 20);
	f = frame(&w);
	CHECK_INT(lay(&g, &f, 30, 120), 0);
	r = find(&g, "DEVICE");
	CHECK(r > 0 && strstr(row(&g, r), "FAULTS/sv"));
	CHECK(g.cells[(size_t)r * 120 + (size_t)(strstr(row(&g, r), "FAULTS/sv") - row(&g, r))].role ==
	      TOP_ROLE_SORTED);
	/* the busiest device first */
	CHECK(strstr(row(&g, r + 1), "0000:00:00.0") || strstr(row(&g, r + 1), "0000:00:01.0"));
	top_grid_free(&g);

	CHECK_INT(top_view_key(&w.v, 's', 10), TOP_R_REDRAW);
	CHECK(w.v.sort == II_SORT_TOTAL);
	lay(&g, &f, 30, 120);
	CHECK(strstr(row(&g, find(&g, "DEVICE")), "TOTALv"));
	top_grid_free(&g);
	top_view_key(&w.v, 'r', 10);
	lay(&g, &f, 30, 120);
	CHECK(strstr(row(&g, find(&g, "DEVICE")), "TOTAL^"));
	top_grid_free(&g);
	top_view_key(&w.v, '<', 10);
	top_view_key(&w.v, '<', 10);
	CHECK(w.v.sort == II_SORT_DRIVER && !w.v.reverse);
	lay(&g, &f, 30, 120);
	CHECK(strstr(row(&g, find(&g, "DEVICE")), "DRIVER^"));
	top_grid_free(&g);
	top_view_key(&w.v, '>', 10);
	CHECK(w.v.sort == II_SORT_RATE);

	/* the other keys */
	CHECK_INT(top_view_key(&w.v, 'q', 10), TOP_R_QUIT);
	CHECK_INT(top_view_key(&w.v, 'p', 10), TOP_R_REDRAW | TOP_R_TIMING);
	CHECK(w.v.paused);
	CHECK_INT(top_view_key(&w.v, '+', 10), TOP_R_REDRAW | TOP_R_TIMING);
	CHECK(w.v.interval_s == 2);
	top_view_key(&w.v, '-', 10);
	top_view_key(&w.v, '-', 10);
	CHECK(w.v.interval_s == 0.5);
	for (int i = 0; i < 20; i++)
		top_view_key(&w.v, '-', 10);
	CHECK(w.v.interval_s == 0.1);
	CHECK_INT(top_view_key(&w.v, '-', 10), 0);
	top_view_key(&w.v, '3', 10);
	CHECK(!w.v.show[TOP_PANEL_DEVICES]);
	lay(&g, &f, 30, 120);
	CHECK(find(&g, "DEVICE ") < 0 && find(&g, "FAULT LOG") > 0);
	top_grid_free(&g);
	top_view_key(&w.v, '3', 10);
	CHECK_INT(top_view_key(&w.v, 'Z', 10), 0);
	/* the help: any key closes it, q still quits */
	top_view_key(&w.v, 'h', 10);
	CHECK(w.v.help);
	lay(&g, &f, 30, 120);
	CHECK(find(&g, "Keys (q quits") == 2);
	CHECK(find(&g, "pause and resume") > 0);
	CHECK(find(&g, "Sources that are not live") > 0);
	top_grid_free(&g);
	CHECK_INT(top_view_key(&w.v, 'x', 10), TOP_R_REDRAW);
	CHECK(!w.v.help);
	top_view_key(&w.v, '?', 10);
	CHECK_INT(top_view_key(&w.v, 'q', 10), TOP_R_QUIT);
	world_free(&w);
}

TEST(top_layout_filter_and_scroll)
{
	struct world w;
	struct top_grid g;
	struct top_frame f;
	long page;

	world(&w, 300);
	f = frame(&w);
	/* typing a filter: it applies as it is typed; Enter keeps it */
	top_view_key(&w.v, '/', 10);
	CHECK(w.v.editing);
	for (const char *p = "drv3"; *p; p++)
		top_view_key(&w.v, *p, 10);
	top_view_key(&w.v, 'x', 10);
	top_view_key(&w.v, TK_BACKSPACE, 10);
	CHECK_STR(w.v.filter, "drv3");
	CHECK_INT(lay(&g, &f, 24, 80), 0);
	CHECK(strstr(row(&g, 23), "filter (address, driver, group"));
	CHECK(strstr(row(&g, 23), "drv3_"));
	/* drv3: every device i with i % 7 == 3 and i % 5 != 0 */
	CHECK_INT(g.matched, 34);
	for (int r = find(&g, "DEVICE") + 1; r < find(&g, "FAULT LOG"); r++)
		CHECK(strstr(row(&g, r), "drv3"));
	top_grid_free(&g);
	top_view_key(&w.v, TK_ENTER, 10);
	CHECK(!w.v.editing);
	lay(&g, &f, 24, 120);
	CHECK(strstr(row(&g, 23), "filter: drv3"));
	CHECK(strstr(row(&g, find(&g, "DEVICE")), "34 of 301"));
	top_grid_free(&g);
	/* Esc clears it */
	top_view_key(&w.v, '/', 10);
	top_view_key(&w.v, TK_ESC, 10);
	CHECK(!w.v.editing && !w.v.filter[0]);
	/* a filter nothing matches */
	strcpy(w.v.filter, "no-such-thing");
	lay(&g, &f, 24, 80);
	CHECK_INT(g.matched, 0);
	CHECK(find(&g, "no device matches the filter") > 0);
	top_grid_free(&g);
	w.v.filter[0] = '\0';

	/* scrolling stops at both ends */
	lay(&g, &f, 24, 80);
	page = g.page;
	CHECK(page > 2 && g.matched == 301);
	top_grid_free(&g);
	top_view_key(&w.v, TK_END, page);
	lay(&g, &f, 24, 80);
	CHECK_INT(g.scroll, 301 - page);
	/* the last: the highest address of those without faults */
	CHECK(find(&g, "0000:01:05.3") == find(&g, "FAULT LOG") - 1);
	top_grid_free(&g);
	w.v.scroll = 1000000;
	lay(&g, &f, 24, 80);
	CHECK_INT(g.scroll, 301 - page);
	w.v.scroll = g.scroll;
	top_grid_free(&g);
	top_view_key(&w.v, TK_PGUP, page);
	CHECK_INT(w.v.scroll, 301 - page - (page - 1));
	top_view_key(&w.v, TK_HOME, page);
	CHECK_INT(w.v.scroll, 0);
	top_view_key(&w.v, TK_UP, page);
	CHECK_INT(w.v.scroll, 0);
	top_view_key(&w.v, TK_DOWN, page);
	top_view_key(&w.v, TK_PGDN, page);
	CHECK_INT(w.v.scroll, page);
	world_free(&w);
}

TEST(top_layout_long_names_and_many_devices)
{
	struct world w;
	struct top_grid g;
	struct top_frame f;
	int r;

	world(&w, 6000);
	f = frame(&w);
	w.v.sort = II_SORT_BDF;
	w.v.reverse = true; /* the named client sorts after the PCI devices: first when reversed */
	CHECK_INT(lay(&g, &f, 40, 100), 0);
	r = find(&g, "a-platform-device");
	CHECK(r > 0 && strstr(row(&g, r), "~")); /* cut, with a mark */
	CHECK(strlen(row(&g, r)) == 100);
	CHECK_INT(g.matched, 6001);
	top_grid_free(&g);
	CHECK_INT(lay(&g, &f, 100, 300), 0);
	top_grid_free(&g);
	world_free(&w);
}

/* --batch: the frame is as tall as its sections, and only devices with faults are listed. */
TEST(top_batch_frame)
{
	struct world w;
	struct top_frame f;
	struct ii_out *o;
	char *buf = NULL;
	size_t len = 0, lines = 0;
	FILE *mem;

	world(&w, 50);
	w.v.batch = true;
	f = frame(&w);
	mem = open_memstream(&buf, &len);
	o = out_new(mem, II_FMT_TEXT, false);
	render_top_text(o, &f, 80);
	out_free(o);
	fclose(mem);
	for (char *p = buf, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		CHECK(nl - p <= 80);
		lines++;
	}
	CHECK_INT((int)lines, top_layout_height(&f, 80) + 1); /* and a blank line */
	CHECK(strstr(buf, "0000:00:01.0"));
	CHECK(!strstr(buf, "0000:00:05.0")); /* no fault: not listed */
	CHECK(strstr(buf, "FAULT LOG: 41 new"));
	CHECK(strstr(buf, "needs root (run as root"));
	CHECK(!strstr(buf, "q quit"));
	free(buf);
	CHECK_INT(top_layout_height(&f, 5), 1);
	world_free(&w);
}

/* --json: one object per line with the keys the man page documents. */
TEST(top_json_record)
{
	struct world w;
	struct top_frame f;
	struct ii_out *o;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	json_object *j, *x, *d, *u;
	struct strlist warn = { 0 };

	world(&w, 10);
	f = frame(&w);
	sl_add(&warn, "a warning");
	mem = open_memstream(&buf, &len);
	o = out_new(mem, II_FMT_JSON, false);
	out_record_begin(o);
	render_top_json(o, &f, &warn);
	CHECK_INT(out_record_end(o), 0);
	out_free(o);
	fclose(mem);
	CHECK(len > 0 && buf[len - 1] == '\n' && !memchr(buf, '\n', len - 1));
	j = json_tokener_parse(buf);
	CHECK(j != NULL);
	if (j) {
		struct json_object_iterator it = json_object_iter_begin(j);

		CHECK_STR(json_object_iter_peek_name(&it), "schema_version");
		CHECK(json_object_object_get_ex(j, "interval_s", &x) &&
		      json_object_get_double(x) == 1.0);
		CHECK(json_object_object_get_ex(j, "sources", &x));
		CHECK(json_object_object_get_ex(x, "tracepoints", &d));
		CHECK(json_object_object_get_ex(d, "live", &u) && !json_object_get_boolean(u));
		CHECK(json_object_object_get_ex(d, "reason", &u) &&
		      !strcmp(json_object_get_string(u), ii_act_why_key(II_WHY_NOT_ROOT)));
		CHECK(json_object_object_get_ex(j, "units", &x) && json_object_array_length(x) == 1);
		u = json_object_array_get_idx(x, 0);
		CHECK(json_object_object_get_ex(u, "name", &d) &&
		      !strcmp(json_object_get_string(d), "dmar0"));
		CHECK(json_object_object_get_ex(u, "iotlb_lookups", &d) && d == NULL);
		CHECK(json_object_object_get_ex(u, "fault_records", &d) &&
		      json_object_object_get_ex(d, "interval_s", &x) && json_object_get_double(x) == 1.0);
		CHECK(json_object_object_get_ex(j, "devices", &x) && json_object_array_length(x) == 12);
		d = json_object_array_get_idx(x, 0);
		CHECK(json_object_object_get_ex(d, "bdf", &u) &&
		      !strcmp(json_object_get_string(u), "0000:00:00.0"));
		CHECK(json_object_object_get_ex(d, "group", &u) && json_object_get_int(u) == 0);
		CHECK(json_object_object_get_ex(d, "faults_total", &u) && json_object_get_int(u) == 14);
		CHECK(json_object_object_get_ex(d, "faults_per_s", &u) &&
		      json_object_get_double(u) == 14.0);
		CHECK(json_object_object_get_ex(j, "faults", &x) && json_object_array_length(x) == 41);
		CHECK(json_object_object_get_ex(j, "warnings", &x) && json_object_array_length(x) == 1);
		/* "warnings" last, as in every document */
		{
			struct json_object_iterator end = json_object_iter_end(j);
			const char *last = NULL;

			for (it = json_object_iter_begin(j); !json_object_iter_equal(&it, &end);
			     json_object_iter_next(&it))
				last = json_object_iter_peek_name(&it);
			CHECK_STR(last, "warnings");
		}
		json_object_put(j);
	}
	free(buf);
	sl_free(&warn);
	world_free(&w);
}

/* Devices that went or came, units whose counters vanished, and the latency panel. */
TEST(top_layout_gone_added_latency)
{
	struct world w;
	struct top_grid g;
	struct top_frame f;
	struct tf_reading x;
	char lat[] = "IOMMU: dmar0 Register Base Address: fed90000\n"
		     "                    <0.1us   0.1us-1us    1us-10us  10us-100us   100us-1ms"
		     "    1ms-10ms      >=10ms     min(us)     max(us) average(us)\n"
		     " inv_iotlb           0           0        1147          20           0"
		     "           0           0           2          40           4\n";
	int r;

	world(&w, 10);
	tf_at(&x, 2);
	tf_hp(&x, II_HP_REMOVE, "0000:00:01.0", NULL);
	tf_hp(&x, II_HP_ADD, "0000:00:09.0", NULL);
	tf_ctr(&x, II_CTR_IOTLB_LOOKUP, "dmar7", "dmar7/iotlb_lookup/", 5);
	x.r.latency_text = lat;
	ii_sampler_reading(w.sp, &x.r);
	w.smp = ii_sampler_sample(w.sp);
	tf_at(&x, 3);
	x.r.latency_text = NULL;
	ii_sampler_reading(w.sp, &x.r); /* dmar7's counter is gone */
	w.smp = ii_sampler_sample(w.sp);
	f = frame(&w);
	CHECK_INT(lay(&g, &f, 40, 120), 0);
	r = find(&g, "0000:00:01.0");
	CHECK(r > 0 && strstr(row(&g, r), "[gone] PTE Read access is not set"));
	CHECK(r > 0 && g.cells[(size_t)r * 120].role == TOP_ROLE_GONE);
	r = find(&g, "0000:00:09.0");
	CHECK(r > 0 && strstr(row(&g, r), "[new]") && g.cells[(size_t)r * 120].role == TOP_ROLE_ADDED);
	r = find(&g, "dmar7");
	CHECK(r > 0 && strstr(row(&g, r), "gone") && g.cells[(size_t)r * 120].role == TOP_ROLE_GONE);
	r = find(&g, "LATENCY");
	CHECK(r > 0 && strstr(row(&g, r + 1), "inv_iotlb") && strstr(row(&g, r + 1), "1147"));
	top_grid_free(&g);
	/* a small terminal: the units panel gets at most a third, the devices still show */
	CHECK_INT(lay(&g, &f, 12, 80), 0);
	CHECK(find(&g, "DEVICE") > 0);
	top_grid_free(&g);
	world_free(&w);
}
