/* SPDX-License-Identifier: MIT */
/*
 * Metrics (src/model/model-metrics.c): the facts of status, groups, faults,
 * fault interrupts and debugfs domains as typed families of samples, for
 * `iommu-inspect metrics` (the Prometheus text format of node_exporter's
 * textfile collector, render-metrics.c). Names, help, types and label values
 * are decided here; the renderer only writes them out (and escapes).
 *
 * Cardinality: a family whose series follow the machine (groups, fault
 * requesters and reasons, fault interrupt rows, domains) keeps at most
 * max_series of them: the largest first, the rest summed into one series whose
 * labels are all "other". The worst case is then a fixed number of fixed
 * families plus 4 * max_series.
 */
#ifndef II_MODEL_METRICS_H
#define II_MODEL_METRICS_H

#include <stdint.h>

#include "model.h"

enum ii_metric_type { II_METRIC_GAUGE, II_METRIC_COUNTER };
const char *ii_metric_type_key(enum ii_metric_type t); /* "gauge", "counter" */

#define II_METRIC_LABELS_MAX 5

struct ii_metric_sample {
	char *label[II_METRIC_LABELS_MAX]; /* values, in the order of the family's names */
	bool is_float;                     /* d; else u */
	uint64_t u;
	double d;
};

struct ii_metric_family {
	const char *name;                  /* with its unit: "_bytes", "_seconds", "_total" */
	const char *help;
	enum ii_metric_type type;
	const char *label[II_METRIC_LABELS_MAX]; /* label names; NULL after the last */
	size_t nlabels;
	struct ii_metric_sample *v;
	size_t n, cap;
	size_t folded;                     /* series summed into the "other" one by the cap */
};

struct ii_metrics_opts {
	size_t max_series;                 /* per capped family; 0: II_METRICS_MAX_SERIES */
	int64_t start_ns;                  /* CLOCK_MONOTONIC when the scrape began; 0: no duration */
};
#define II_METRICS_MAX_SERIES 500

struct ii_metrics {
	struct ii_metric_family *f;
	size_t n, cap;
	uint64_t errors;                   /* problems met reading (also a family) */
};

/* The loading this needs (ii_system_load's what). */
#define II_METRICS_LOAD (II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_SYSINFO | \
			 II_LOAD_ACPI | II_LOAD_DBG_WALK)

/*
 * Read the root's kernel log (its faults and boot facts: II_METRICS_LOAD does
 * not read it, so that it is read once), the fault interrupts and derive
 * everything into m. The problems met are warnings in s->diags.
 */
void ii_metrics_collect(struct ii_system *s, const struct ii_metrics_opts *o, struct ii_metrics *m);
void ii_metrics_free(struct ii_metrics *m);
/* CLOCK_MONOTONIC now, for ii_metrics_opts.start_ns. */
int64_t ii_metrics_now_ns(void);

#endif
