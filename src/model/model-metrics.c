// SPDX-License-Identifier: MIT
/*
 * Metrics (include/model/metrics.h): every family, its help, type, labels
 * and values. The fault counters are computed afresh at each scrape from the
 * kernel's log buffer: the program keeps no state, so its restarts change
 * nothing, and a counter goes back to zero only when the machine reboots (a
 * counter reset, which rate() and increase() expect) or when the buffer has
 * wrapped and lost its first records (iommu_inspect_kernel_log_complete 0).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actdata.h"
#include "domains.h"
#include "fault-run.h"
#include "metrics.h"
#include "source.h"
#include "status.h"

const char *ii_metric_type_key(enum ii_metric_type t)
{
	return t == II_METRIC_COUNTER ? "counter" : "gauge";
}

int64_t ii_metrics_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ------------------------------------------------------------ building */

/* A new family; labels: its label names, comma-separated ("" none). */
static struct ii_metric_family *family(struct ii_metrics *m, const char *name,
				       enum ii_metric_type type, const char *labels,
				       const char *help)
{
	struct ii_metric_family *f;

	xgrow((void **)&m->f, &m->cap, m->n + 1, sizeof(*m->f));
	f = &m->f[m->n++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->type = type;
	f->help = help;
	/* the names, cut at the commas, are copies (freed by ii_metrics_free) */
	while (*labels && f->nlabels < II_METRIC_LABELS_MAX) {
		const char *c = strchr(labels, ',');
		size_t len = c ? (size_t)(c - labels) : strlen(labels);

		f->label[f->nlabels++] = xstrndup(labels, len);
		labels += len + (c != NULL);
	}
	return f;
}

/* A sample with label values (as many as the family has names). */
static struct ii_metric_sample *sample(struct ii_metric_family *f, uint64_t u, ...)
{
	struct ii_metric_sample *s;
	va_list ap;

	xgrow((void **)&f->v, &f->cap, f->n + 1, sizeof(*f->v));
	s = &f->v[f->n++];
	memset(s, 0, sizeof(*s));
	s->u = u;
	va_start(ap, u);
	for (size_t i = 0; i < f->nlabels; i++) {
		const char *v = va_arg(ap, const char *);

		s->label[i] = xstrdup(v ? v : "");
	}
	va_end(ap);
	return s;
}

static void sample_free(struct ii_metric_sample *s)
{
	for (size_t i = 0; i < II_METRIC_LABELS_MAX; i++)
		free(s->label[i]);
}

/* Largest first; equal ones keep their order (the index breaks ties). */
static int by_value_desc(const void *a, const void *b)
{
	const struct ii_metric_sample *x = a, *y = b;

	if (x->u != y->u)
		return x->u < y->u ? 1 : -1;
	return x->d < y->d ? -1 : x->d > y->d;
}

static bool same_labels(const struct ii_metric_family *f, const struct ii_metric_sample *a,
			const struct ii_metric_sample *b)
{
	for (size_t i = 0; i < f->nlabels; i++)
		if (strcmp(a->label[i], b->label[i]))
			return false;
	return true;
}

/*
 * Series with the same labels summed into the first: two rows the model keeps
 * apart (two reason codes the kernel words alike, two domains of a unit it
 * cannot name) would be duplicate series, which the format forbids.
 */
static void merge_same(struct ii_metric_family *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++) {
		size_t j;

		for (j = 0; j < n && !same_labels(f, &f->v[j], &f->v[i]); j++)
			;
		if (j < n) {
			f->v[j].u += f->v[i].u;
			sample_free(&f->v[i]);
		} else {
			f->v[n++] = f->v[i];
		}
	}
	f->n = n;
}

/*
 * The cap: at most max series, the largest kept in their order, the others
 * summed into one whose labels are all "other" (promtool and the collector
 * want no duplicate series, hence one, not one per label).
 */
static void cap_family(struct ii_metric_family *f, size_t max)
{
	struct ii_metric_sample other = { 0 };

	if (f->n <= max || max < 2)
		return;
	/* d: the original index, for a stable order */
	for (size_t i = 0; i < f->n; i++)
		f->v[i].d = (double)i;
	qsort(f->v, f->n, sizeof(*f->v), by_value_desc);
	for (size_t i = max - 1; i < f->n; i++) {
		other.u += f->v[i].u;
		sample_free(&f->v[i]);
	}
	f->folded = f->n - (max - 1);
	f->n = max - 1;
	for (size_t i = 0; i < f->n; i++)
		f->v[i].d = 0;
	for (size_t i = 0; i < f->nlabels; i++)
		other.label[i] = xstrdup("other");
	f->v[f->n++] = other;
}

/* ------------------------------------------------------------- families */

static void state_families(struct ii_metrics *m, const struct ii_system *s,
			   const struct ii_status *st)
{
	struct ii_metric_family *f;
	size_t by_vendor[II_VENDOR_OTHER + 1] = { 0 };

	f = family(m, "iommu_present", II_METRIC_GAUGE, "",
		   "1 when the machine has an IOMMU (the firmware describes one or the kernel registered one)");
	if (st->hardware.value)
		sample(f, !strcmp(st->hardware.value, "present"));
	f = family(m, "iommu_active", II_METRIC_GAUGE, "",
		   "1 when the kernel translates DMA through an IOMMU (units registered)");
	if (st->active.value)
		sample(f, !strcmp(st->active.value, "yes"));
	f = family(m, "iommu_units", II_METRIC_GAUGE, "vendor",
		   "IOMMU units the kernel registered (sys/class/iommu), by vendor");
	for (size_t i = 0; i < s->nunits; i++)
		by_vendor[s->units[i].vendor <= II_VENDOR_OTHER ? s->units[i].vendor : II_VENDOR_OTHER]++;
	for (size_t v = 0; v <= II_VENDOR_OTHER; v++)
		if (by_vendor[v])
			sample(f, by_vendor[v], ii_vendor_key((enum ii_vendor)v));
	f = family(m, "iommu_default_domain_type_info", II_METRIC_GAUGE, "type",
		   "1 for the default domain type of the IOMMU groups (DMA, DMA-FQ, identity, mixed)");
	if (st->default_domain.value)
		sample(f, 1, st->default_domain.value);
	f = family(m, "iommu_invalidation_info", II_METRIC_GAUGE, "mode",
		   "1 for how IOTLB invalidation is done: strict, lazy (flush queue) or none (pass-through)");
	if (st->invalidation.value)
		sample(f, 1, st->invalidation.value);
	f = family(m, "iommu_interrupt_remapping_enabled", II_METRIC_GAUGE, "",
		   "1 when interrupt remapping is enabled");
	if (st->intremap.value)
		sample(f, !strcmp(st->intremap.value, "enabled"));
	f = family(m, "iommu_groups", II_METRIC_GAUGE, "",
		   "IOMMU groups (sys/kernel/iommu_groups)");
	if (!st->groups_unknown)
		sample(f, st->groups);
	f = family(m, "iommu_devices", II_METRIC_GAUGE, "",
		   "PCI devices (sys/bus/pci/devices)");
	if (!st->devices_unknown)
		sample(f, st->devices);
	f = family(m, "iommu_devices_without_group", II_METRIC_GAUGE, "",
		   "PCI devices in no IOMMU group: no IOMMU translates their DMA");
	if (!st->devices_unknown && !st->groups_unknown)
		sample(f, st->devices_without_group);
}

static void group_family(struct ii_metrics *m, const struct ii_system *s, size_t max)
{
	struct ii_metric_family *f;
	char id[24];

	f = family(m, "iommu_group_devices", II_METRIC_GAUGE, "group,type",
		   "Devices in each IOMMU group, with the group's domain type");
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct ii_group *g = &s->groups[i];

		if (g->err || g->members_err)
			continue; /* its members are unknown: no series rather than a wrong 0 */
		snprintf(id, sizeof(id), "%u", g->id);
		sample(f, g->members.n, id, g->type ? g->type : "");
	}
	cap_family(f, max);
}

/* The fault run: the root's kernel log read once, its faults summed up and its boot facts fed. */
static void read_faults(struct ii_system *s, struct ii_frun *r)
{
	struct ii_frun_opts opt = { .attribute = true, .summary = true, .facts = true };
	int err = ii_frun_open(r, s, &opt, NULL);

	if (err == 0) {
		err = ii_frun_read_all(r);
		ii_frun_log_warnings(r);
		ii_frun_finish(r);
	}
	s->log_err = err;
	if (err < 0 && !(err == -ENOENT && !ii_root_is_live(s->root))) {
		char *why = ii_frun_error(r);

		/* a warning, so counted once with the others in iommu_inspect_scrape_errors */
		ii_warn(&s->diags, "%s: no fault counts", why);
		free(why);
	}
	if (err == 0 && !r->ls.device && s->log.records == 0 && !r->ls.bad)
		s->log_err = -ENODATA;
}

/* The label of a row's reason: the kernel's words, or the kind of an event without one. */
static const char *reason_of(const struct ii_fsum_row *row)
{
	if (row->reason[0])
		return row->reason;
	if (row->event)
		return row->event;
	return ii_fault_kind_key(row->kind);
}

static void fault_families(struct ii_metrics *m, const struct ii_frun *r, size_t max)
{
	const struct ii_fsum *sum = &r->sum;
	struct ii_metric_family *f;
	bool have = r->err == 0;
	char group[24];

	f = family(m, "iommu_faults_total", II_METRIC_COUNTER, "device,group,driver,reason,vendor",
		   "IOMMU faults in the kernel log since boot, by requester, its group and driver, "
		   "reason and vendor");
	for (size_t i = 0; have && i < sum->nrows; i++) {
		const struct ii_fsum_row *row = &sum->rows[i];

		if (row->group >= 0)
			snprintf(group, sizeof(group), "%d", row->group);
		else
			group[0] = 0;
		sample(f, row->count, row->key, group, row->dev ? row->dev->driver : "",
		       reason_of(row), ii_vendor_key(row->vendor));
	}
	merge_same(f);
	cap_family(f, max);
	f = family(m, "iommu_faults_suppressed_total", II_METRIC_COUNTER, "kind",
		   "IOMMU faults the kernel log says were not printed, at least: ratelimited "
		   "(suppressed), a status with no fault line (status-only), the fault log overflowed "
		   "(overflow)");
	if (have) {
		sample(f, sum->suppressed, ii_drop_kind_key(II_DROP_SUPPRESSED));
		sample(f, sum->status_only, ii_drop_kind_key(II_DROP_STATUS));
		sample(f, sum->overflows, ii_drop_kind_key(II_DROP_OVERFLOW));
	}
	f = family(m, "iommu_kernel_log_records_lost_total", II_METRIC_COUNTER, "",
		   "Kernel log records lost before they were read (sequence gaps, overruns)");
	if (have)
		sample(f, sum->lost_records);
	f = family(m, "iommu_inspect_kernel_log_complete", II_METRIC_GAUGE, "",
		   "1 when the kernel log still holds the first record of this boot: the fault "
		   "counters count every fault since boot");
	if (have && r->irq.known)
		sample(f, r->irq.log_complete);
}

static void irq_family(struct ii_metrics *m, struct ii_system *s, size_t max)
{
	struct ii_metric_family *f;
	struct ii_irq_row *rows;
	size_t n = ii_src_irq_rows(s, &rows);

	f = family(m, "iommu_fault_interrupts_total", II_METRIC_COUNTER, "unit,name",
		   "Fault (event log) interrupts of each IOMMU unit, all CPUs (proc/interrupts)");
	for (size_t i = 0; i < n; i++)
		if (rows[i].fault)
			sample(f, rows[i].count, rows[i].unit, rows[i].name);
	merge_same(f); /* rows that share a unit and a name: one series */
	free(rows);
	cap_family(f, max);
}

static void domain_family(struct ii_metrics *m, const struct ii_system *s, size_t max)
{
	struct ii_metric_family *f;
	const struct ii_dbg *d = s->dbg;
	char did[24];

	f = family(m, "iommu_domain_mapped_bytes", II_METRIC_GAUGE, "unit,domain",
		   "Bytes a translation domain's page tables map (debugfs, read as root)");
	if (!d || d->fs.state != II_DBG_OK)
		return;
	for (size_t i = 0; i < d->ndomains; i++) {
		const struct ii_dbg_domain *dom = d->domains[i];

		if (!dom->dumped)
			continue;
		if (dom->did >= 0)
			snprintf(did, sizeof(did), "%ld", dom->did);
		else
			did[0] = 0;
		sample(f, dom->bytes, dom->unit, did);
	}
	merge_same(f);
	cap_family(f, max);
}

static void self_families(struct ii_metrics *m, const struct ii_system *s,
			  const struct ii_metrics_opts *o)
{
	struct ii_metric_family *f, *folded;
	size_t nf = m->n;

	folded = family(m, "iommu_inspect_series_folded", II_METRIC_GAUGE, "family",
			"Series of a family summed into its \"other\" series by the cap (--max-series)");
	for (size_t i = 0; i < nf; i++)
		if (m->f[i].folded)
			sample(folded, m->f[i].folded, m->f[i].name);
	m->errors += s->diags.warnings.n;
	f = family(m, "iommu_inspect_scrape_errors", II_METRIC_GAUGE, "",
		   "Problems met in this scrape (each is a warning on standard error)");
	sample(f, m->errors);
	if (o->start_ns) {
		f = family(m, "iommu_inspect_scrape_duration_seconds", II_METRIC_GAUGE, "",
			   "How long this scrape took");
		sample(f, 0)->is_float = true;
		f->v[0].d = (double)(ii_metrics_now_ns() - o->start_ns) / 1e9;
	}
}

void ii_metrics_collect(struct ii_system *s, const struct ii_metrics_opts *o, struct ii_metrics *m)
{
	size_t max = o->max_series ? o->max_series : II_METRICS_MAX_SERIES;
	struct ii_status st;
	struct ii_frun r;

	memset(m, 0, sizeof(*m));
	read_faults(s, &r);
	ii_status_derive(s, &st);
	state_families(m, s, &st);
	group_family(m, s, max);
	fault_families(m, &r, max);
	irq_family(m, s, max);
	domain_family(m, s, max);
	self_families(m, s, o);
	ii_status_free(&st);
	ii_frun_close(&r);
}

void ii_metrics_free(struct ii_metrics *m)
{
	for (size_t i = 0; i < m->n; i++) {
		for (size_t j = 0; j < m->f[i].n; j++)
			sample_free(&m->f[i].v[j]);
		for (size_t j = 0; j < m->f[i].nlabels; j++)
			free((char *)m->f[i].label[j]);
		free(m->f[i].v);
	}
	free(m->f);
	memset(m, 0, sizeof(*m));
}
