// SPDX-License-Identifier: MIT
/*
 * top without a terminal (include/render/render-top.h): --batch prints the
 * layout's cells as text lines, one frame per interval; --json writes the
 * keys of one NDJSON record per interval through the output layer. Numbers
 * and units are separate (a key says its unit: per_s, interval_s, _us), each
 * rate carries the interval it covers, and a source that is not live is
 * null with its reason under "sources".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render-faults.h"
#include "render-top.h"

/* ------------------------------------------------------------------- --batch */

void render_top_text(struct ii_out *o, const struct top_frame *f, int cols)
{
	struct top_grid g;
	int rows = top_layout_height(f, cols);
	char *line = xmalloc((size_t)(cols > 0 ? cols : 0) + 1);

	top_grid_init(&g, rows, cols);
	top_layout(&g, f);
	for (int r = 0; r < g.rows; r++) {
		int n = g.cols;

		for (int c = 0; c < g.cols; c++)
			line[c] = g.cells[(size_t)r * (size_t)g.cols + (size_t)c].ch;
		while (n > 0 && line[n - 1] == ' ')
			n--;
		out_text(o, "%.*s\n", n, line);
	}
	out_text(o, "\n");
	free(line);
	top_grid_free(&g);
}

/* -------------------------------------------------------------------- --json */

/* A rate: {"per_s", "count", "interval_s", "total", "gone"}, or null when it is not counted. */
static void rate(struct ii_out *o, const char *key, const struct ii_rate *r, double iv)
{
	if (!r->known) {
		out_null(o, key, NULL);
		return;
	}
	out_open_obj(o, key);
	if (r->has) {
		out_double(o, "per_s", NULL, r->per_s, 3);
		out_uint(o, "count", NULL, r->delta);
		out_double(o, "interval_s", NULL, iv, 3);
	} else {
		out_null(o, "per_s", NULL);
		out_null(o, "count", NULL);
		out_null(o, "interval_s", NULL);
	}
	out_uint(o, "total", NULL, r->total);
	out_bool(o, "gone", NULL, r->gone);
	out_close_obj(o);
}

static void ratio(struct ii_out *o, const char *key, bool has, double v)
{
	if (has)
		out_double(o, key, NULL, v, 4);
	else
		out_null(o, key, NULL);
}

/* Live, or why not: {"live", "reason", "detail", "message"}. */
static void state(struct ii_out *o, const char *key, enum ii_act_family f,
		  const struct ii_act_state *st)
{
	char msg[640];
	bool live = st->why == II_WHY_LIVE;

	out_open_obj(o, key);
	out_bool(o, "live", NULL, live);
	out_str(o, "reason", NULL, live ? NULL : ii_act_why_key(st->why));
	out_str(o, "detail", NULL, !live && st->detail[0] ? st->detail : NULL);
	if (!live)
		top_why_text(f, st, msg, sizeof(msg));
	out_str(o, "message", NULL, live ? NULL : msg);
	out_close_obj(o);
}

/* A date in the manner of the faults' "time": 2026-11-22T04:41:09.123+01:00. */
static void iso_time(int64_t wall_ns, char *buf, size_t size)
{
	time_t t = (time_t)(wall_ns / 1000000000);
	struct tm tm;
	char zone[8];
	size_t n;

	buf[0] = '\0';
	if (!localtime_r(&t, &tm))
		return;
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n || !strftime(zone, sizeof(zone), "%z", &tm) || strlen(zone) != 5) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf + n, size - n, ".%03lld%.3s:%s", (long long)(wall_ns / 1000000 % 1000), zone,
		 zone + 3);
}

static void json_unit(struct ii_out *o, const struct ii_unit_activity *u, double iv)
{
	out_open_obj(o, NULL);
	out_str(o, "name", NULL, u->name);
	out_str(o, "vendor", NULL, u->vendor == II_VENDOR_NONE ? NULL : ii_vendor_key(u->vendor));
	out_bool(o, "gone", NULL, u->gone);
	rate(o, "iotlb_lookups", &u->iotlb_lookups, iv);
	rate(o, "iotlb_hits", &u->iotlb_hits, iv);
	rate(o, "iotlb_misses", &u->iotlb_misses, iv);
	ratio(o, "iotlb_hit_ratio", u->has_hit_ratio, u->hit_ratio);
	rate(o, "context_lookups", &u->ctx_lookups, iv);
	rate(o, "context_hits", &u->ctx_hits, iv);
	ratio(o, "context_hit_ratio", u->has_ctx_hit_ratio, u->ctx_hit_ratio);
	rate(o, "invalidations", &u->invalidations, iv);
	rate(o, "fault_interrupts", &u->fault_irqs, iv);
	rate(o, "fault_records", &u->fault_records, iv);
	if (u->fault_records.known)
		out_uint(o, "suppressed", NULL, u->suppressed);
	else
		out_null(o, "suppressed", NULL);
	state(o, "pmu", II_ACT_PMU, &u->pmu);
	out_close_obj(o);
}

static void json_device(struct ii_out *o, const struct ii_dev_activity *d)
{
	out_open_obj(o, NULL);
	out_str(o, "bdf", NULL, d->is_pci ? d->bdf : NULL);
	out_str(o, "client", NULL, d->is_pci ? NULL : d->bdf);
	if (d->group >= 0)
		out_int(o, "group", NULL, d->group);
	else
		out_null(o, "group", NULL);
	out_str(o, "driver", NULL, d->driver[0] ? d->driver : NULL);
	out_bool(o, "gone", NULL, d->gone);
	out_bool(o, "added", NULL, d->added);
	if (d->faults.known) {
		out_uint(o, "faults_total", NULL, d->faults.total);
		if (d->faults.has) {
			out_uint(o, "faults", NULL, d->faults.delta);
			out_double(o, "faults_per_s", NULL, d->faults.per_s, 3);
		} else {
			out_null(o, "faults", NULL);
			out_null(o, "faults_per_s", NULL);
		}
	} else {
		out_null(o, "faults_total", NULL);
		out_null(o, "faults", NULL);
		out_null(o, "faults_per_s", NULL);
	}
	if (d->has_last) {
		out_open_obj(o, "last_fault");
		if (d->has_last_usec)
			out_uint(o, "timestamp_us", NULL, d->last_usec);
		else
			out_null(o, "timestamp_us", NULL);
		out_str(o, "time", NULL, d->last_time[0] ? d->last_time : NULL);
		out_str(o, "reason", NULL, d->last_reason[0] ? d->last_reason : NULL);
		if (d->has_last_addr)
			out_hex(o, "address", NULL, d->last_addr, 0);
		else
			out_null(o, "address", NULL);
		out_close_obj(o);
	} else {
		out_null(o, "last_fault", NULL);
	}
	out_close_obj(o);
}

static void json_latency(struct ii_out *o, const struct ii_sample *smp)
{
	if (!smp->nlatency && smp->family[II_ACT_LATENCY].why != II_WHY_LIVE) {
		out_null(o, "latency", NULL);
		return;
	}
	out_open_arr(o, "latency");
	for (size_t i = 0; i < smp->nlatency; i++) {
		const struct ii_top_latency *x = &smp->latency[i];

		out_open_obj(o, NULL);
		out_str(o, "unit", NULL, x->unit);
		out_str(o, "type", NULL, x->row.type);
		out_open_arr(o, "buckets");
		for (unsigned k = 0; k < 7; k++)
			out_int(o, NULL, NULL, x->row.v[k]);
		out_close_arr(o);
		out_int(o, "min_us", NULL, x->row.v[7]);
		out_int(o, "max_us", NULL, x->row.v[8]);
		out_int(o, "average_us", NULL, x->row.v[9]);
		out_close_obj(o);
	}
	out_close_arr(o);
}

void render_top_json(struct ii_out *o, const struct top_frame *f, const struct strlist *warnings)
{
	const struct ii_sample *smp = f->smp;
	const struct top_view *v = f->view;
	struct ii_fault_view fv = { .attributed = true };
	double iv = smp->interval_s;
	char when[48];
	size_t *idx, n;

	out_int(o, "schema_version", NULL, II_SCHEMA_VERSION);
	out_uint(o, "seq", NULL, smp->seq);
	iso_time(smp->wall_ns, when, sizeof(when));
	out_str(o, "time", NULL, smp->wall_ns > 0 && when[0] ? when : NULL);
	if (iv > 0)
		out_double(o, "interval_s", NULL, iv, 3);
	else
		out_null(o, "interval_s", NULL);
	out_bool(o, "replay", NULL, v->replay);

	out_open_obj(o, "sources");
	for (unsigned i = 0; i < II_ACT_FAMILIES; i++)
		state(o, ii_act_family_key((enum ii_act_family)i), (enum ii_act_family)i,
		      &smp->family[i]);
	out_close_obj(o);

	out_open_arr(o, "units");
	for (size_t i = 0; i < smp->nunits; i++)
		json_unit(o, &smp->units[i], iv);
	out_close_arr(o);

	out_open_obj(o, "system");
	rate(o, "maps", &smp->maps, iv);
	rate(o, "unmaps", &smp->unmaps, iv);
	rate(o, "invalidations", &smp->invalidations, iv);
	rate(o, "fault_interrupts", &smp->fault_irqs, iv);
	rate(o, "fault_records", &smp->fault_records, iv);
	if (smp->fault_records.known) {
		out_uint(o, "suppressed", NULL, smp->suppressed);
		out_uint(o, "lost_records", NULL, smp->lost_records);
	} else {
		/* the kernel log is not read: unknown, not zero */
		out_null(o, "suppressed", NULL);
		out_null(o, "lost_records", NULL);
	}
	out_uint(o, "counter_resets", NULL, smp->resets);
	out_close_obj(o);

	out_open_arr(o, "devices");
	idx = xmalloc((smp->ndevs ? smp->ndevs : 1) * sizeof(*idx));
	n = ii_sample_dev_order(smp, II_SORT_BDF, false, NULL, idx, smp->ndevs);
	for (size_t i = 0; i < n; i++)
		json_device(o, &smp->devs[idx[i]]);
	free(idx);
	out_close_arr(o);

	out_open_arr(o, "faults");
	for (size_t i = smp->nrecent - smp->recent_new; i < smp->nrecent; i++) {
		out_open_obj(o, NULL);
		render_fault(o, &fv, &smp->recent[i]);
		out_close_obj(o);
	}
	out_close_arr(o);
	out_uint(o, "faults_not_listed", NULL, smp->faults_new - smp->recent_new);
	json_latency(o, smp);

	out_open_arr(o, "warnings");
	for (size_t i = 0; warnings && i < warnings->n; i++)
		out_str(o, NULL, NULL, warnings->v[i]);
	out_close_arr(o);
}
