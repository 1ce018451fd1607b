// SPDX-License-Identifier: MIT
/*
 * The live view's sampler (include/model/sampler.h): readings of cumulative
 * counters, proc/interrupts rows, hotplug events and decoded faults in; one
 * sample of rates per interval out. No I/O, no clock: times come with the
 * readings, so a replay and a unit test see exactly what a live run would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sampler.h"

/*
 * A cumulative value followed across readings: a counter or an interrupt
 * row. An interval has a rate when the value was read at its start (the
 * last sample) and at its end, and never went backwards in between.
 */
struct cum {
	bool seen;                /* read fine at least once */
	bool has_prev;
	uint64_t prev;            /* the last value read fine */
	bool at_sample;           /* it had a value when the last sample was taken */
	bool ok_now;              /* the latest reading read it fine */
	bool void_iv;             /* this interval has no rate: a reset, a failed read, a tick */
	bool gone;                /* the latest reading no longer has it */
	uint64_t acc;             /* counted in this interval */
	uint64_t total;           /* counted since the sampler started */
};

struct ctr_track {
	enum ii_ctr_kind kind;
	char unit[32];
	char event[96];
	int unit_idx;             /* into units, -1: system-wide */
	bool there;               /* in the latest reading (read fine or not) */
	struct ii_act_state state; /* why the latest reading could not read it */
	struct cum c;
};

struct irq_track {
	char name[48];
	unsigned irq;
	int unit_idx;
	struct cum c;
};

struct dev_priv {
	uint64_t acc;             /* faults in this interval */
};

struct ii_sampler {
	struct ii_sample smp;
	/* units: smp.units is the array; unit_acc its faults in the interval */
	size_t cap_units;
	uint64_t *unit_acc;
	/* devices: smp.devs, with a hash from name to index + 1 */
	size_t cap_devs;
	struct dev_priv *dpriv;
	size_t *hash;
	size_t hcap;
	/* counters and interrupt rows */
	struct ctr_track *ctrs;
	size_t nctrs, cap_ctrs;
	struct irq_track *irqs;
	size_t nirqs, cap_irqs;
	/* faults */
	bool log_known;           /* the kernel log is read: fault counts are known (zero or not) */
	uint64_t gap_lost;        /* records lost, from gaps in the log's sequence numbers */
	uint64_t overruns;        /* a replay: the overruns its recorder met (each lost one or more) */
	uint64_t faults_acc, faults_total;
	struct ii_fault *ring;
	size_t ring_max, ring_head, ring_n;
	size_t ring_new;          /* faults pushed since the last sample, at most ring_max */
	/* time */
	bool has_t;
	int64_t t_ns, wall_ns;    /* of the latest reading or tick */
	bool has_sample_t;
	int64_t sample_t_ns;      /* of the last sample */
	bool time_void;           /* a reading's time went backwards: this interval has no rate */
	size_t tmp_cap;
	struct agg *tmp;
};

struct agg {
	int n;                    /* counters of this kind */
	bool known, has, gone;
	uint64_t delta, total;
};

static const char *const sort_keys[II_SORT_KEYS] = {
	[II_SORT_RATE] = "rate", [II_SORT_TOTAL] = "total", [II_SORT_LAST] = "last",
	[II_SORT_BDF] = "device", [II_SORT_GROUP] = "group", [II_SORT_DRIVER] = "driver",
};

const char *ii_dev_sort_key(enum ii_dev_sort k)
{
	return (unsigned)k < II_SORT_KEYS ? sort_keys[k] : "?";
}

/* ---------------------------------------------------------- cumulative values */

static void cum_read(struct ii_sampler *sp, struct cum *c, uint64_t v)
{
	c->gone = false;
	c->ok_now = true;
	if (c->has_prev) {
		if (v >= c->prev) {
			c->acc += v - c->prev;
			c->total += v - c->prev;
		} else {
			/* a reset or a wrap: what was counted since cannot be told */
			c->void_iv = true;
			sp->smp.resets++;
		}
	}
	c->prev = v;
	c->has_prev = true;
	c->seen = true;
}

static void cum_failed(struct cum *c)
{
	c->gone = false;
	c->ok_now = false;
	c->void_iv = true;
}

/* Close the interval: does it have a rate? Then start the next one (acc: the caller's). */
static bool cum_close(struct cum *c, bool interval_ok)
{
	bool has = interval_ok && c->at_sample && c->ok_now && !c->void_iv && !c->gone;

	c->void_iv = false;
	c->at_sample = c->has_prev && c->ok_now && !c->gone;
	return has;
}

/* --------------------------------------------------------------------- units */

static int unit_find(const struct ii_sampler *sp, const char *name)
{
	for (size_t i = 0; i < sp->smp.nunits; i++)
		if (!strcmp(sp->smp.units[i].name, name))
			return (int)i;
	return -1;
}

static int unit_add(struct ii_sampler *sp, const char *name, enum ii_vendor v, bool in_model)
{
	struct ii_unit_activity *u;
	size_t old = sp->cap_units;

	xgrow((void **)&sp->smp.units, &sp->cap_units, sp->smp.nunits + 1, sizeof(*sp->smp.units));
	if (sp->cap_units != old) {
		sp->unit_acc = xrealloc(sp->unit_acc, sp->cap_units * sizeof(*sp->unit_acc));
	}
	u = &sp->smp.units[sp->smp.nunits];
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", name);
	u->vendor = v;
	u->in_model = in_model;
	sp->unit_acc[sp->smp.nunits] = 0;
	return (int)sp->smp.nunits++;
}

/* A unit by name, added when a counter or interrupt names one sysfs does not list. */
static int unit_get(struct ii_sampler *sp, const char *name)
{
	int i;

	if (!name || !name[0])
		return -1;
	i = unit_find(sp, name);
	return i >= 0 ? i : unit_add(sp, name, II_VENDOR_NONE, false);
}

/* The one unit of a vendor, or -1 when it has none or several. */
static int vendor_unit(const struct ii_sampler *sp, enum ii_vendor v)
{
	int hit = -1;

	for (size_t i = 0; i < sp->smp.nunits; i++) {
		if (sp->smp.units[i].vendor != v)
			continue;
		if (hit >= 0)
			return -1;
		hit = (int)i;
	}
	return hit;
}

/* ------------------------------------------------------------------- devices */

static size_t hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 31));
}

static void hash_put(size_t *tab, size_t cap, const char *name, size_t idx)
{
	size_t i = hash_name(name) & (cap - 1);

	while (tab[i])
		i = (i + 1) & (cap - 1);
	tab[i] = idx + 1;
}

static int dev_find(const struct ii_sampler *sp, const char *name)
{
	size_t i;

	if (!sp->hcap)
		return -1;
	for (i = hash_name(name) & (sp->hcap - 1); sp->hash[i]; i = (i + 1) & (sp->hcap - 1))
		if (!strcmp(sp->smp.devs[sp->hash[i] - 1].bdf, name))
			return (int)(sp->hash[i] - 1);
	return -1;
}

static struct ii_dev_activity *dev_add(struct ii_sampler *sp, const char *name)
{
	struct ii_dev_activity *d;
	size_t n = sp->smp.ndevs, old = sp->cap_devs;
	struct ii_bdf b;

	xgrow((void **)&sp->smp.devs, &sp->cap_devs, n + 1, sizeof(*sp->smp.devs));
	if (sp->cap_devs != old)
		sp->dpriv = xrealloc(sp->dpriv, sp->cap_devs * sizeof(*sp->dpriv));
	/* the table stays at most half full */
	if (2 * (n + 1) > sp->hcap) {
		size_t cap = sp->hcap ? sp->hcap * 2 : 64;

		while (2 * (n + 1) > cap)
			cap *= 2;
		free(sp->hash);
		sp->hash = xcalloc(cap, sizeof(*sp->hash));
		sp->hcap = cap;
		for (size_t i = 0; i < n; i++)
			hash_put(sp->hash, cap, sp->smp.devs[i].bdf, i);
	}
	d = &sp->smp.devs[n];
	memset(d, 0, sizeof(*d));
	snprintf(d->bdf, sizeof(d->bdf), "%s", name);
	d->is_pci = ii_parse_bdf(name, &b) == 0;
	d->group = -1;
	sp->dpriv[n].acc = 0;
	hash_put(sp->hash, sp->hcap, d->bdf, n);
	sp->smp.ndevs++;
	return d;
}

static struct ii_dev_activity *dev_get(struct ii_sampler *sp, const char *name)
{
	int i = dev_find(sp, name);

	return i >= 0 ? &sp->smp.devs[i] : dev_add(sp, name);
}

static void dev_from_model(struct ii_dev_activity *d, const struct ii_device *m)
{
	d->in_model = true;
	d->gone = false;
	d->group = m->group;
	snprintf(d->driver, sizeof(d->driver), "%s", m->driver ? m->driver : "");
}

static bool model_device(const struct ii_device *d)
{
	return d->is_pci && d->present;
}

/* --------------------------------------------------------------- the sampler */

struct ii_sampler *ii_sampler_new(const struct ii_system *s, size_t recent_max)
{
	struct ii_sampler *sp = xcalloc(1, sizeof(*sp));

	for (size_t i = 0; i < s->nunits; i++)
		unit_add(sp, s->units[i].name, s->units[i].vendor, true);
	for (size_t i = 0; i < s->ndevices; i++)
		if (model_device(s->devices[i]))
			dev_from_model(dev_get(sp, s->devices[i]->name), s->devices[i]);
	sp->ring_max = recent_max;
	if (recent_max) {
		sp->ring = xcalloc(recent_max, sizeof(*sp->ring));
		sp->smp.recent = xcalloc(recent_max, sizeof(*sp->smp.recent));
	}
	for (unsigned f = 0; f < II_ACT_FAMILIES; f++)
		sp->smp.family[f] = (struct ii_act_state){ .why = II_WHY_ERROR, .err = -ENOSYS };
	return sp;
}

void ii_sampler_free(struct ii_sampler *sp)
{
	if (!sp)
		return;
	free(sp->smp.units);
	free(sp->smp.devs);
	free(sp->smp.recent);
	free(sp->smp.latency);
	free(sp->unit_acc);
	free(sp->dpriv);
	free(sp->hash);
	free(sp->ctrs);
	free(sp->irqs);
	free(sp->ring);
	free(sp->tmp);
	free(sp);
}

void ii_sampler_sources(struct ii_sampler *sp, const struct ii_act_state fam[II_ACT_FAMILIES])
{
	for (unsigned f = 0; f < II_ACT_FAMILIES; f++)
		ii_sampler_source(sp, (enum ii_act_family)f, &fam[f]);
}

void ii_sampler_source(struct ii_sampler *sp, enum ii_act_family f, const struct ii_act_state *st)
{
	if ((unsigned)f >= II_ACT_FAMILIES)
		return;
	sp->smp.family[f] = *st;
	if (f == II_ACT_KMSG && st->why == II_WHY_LIVE)
		sp->log_known = true;
}

/* ------------------------------------------------------------------ readings */

static struct ctr_track *ctr_get(struct ii_sampler *sp, const struct ii_ctr_value *v, size_t hint)
{
	struct ctr_track *t;

	/* readings list their counters in the same order each time: try the same place first */
	if (hint < sp->nctrs && sp->ctrs[hint].kind == v->kind && !strcmp(sp->ctrs[hint].unit, v->unit) &&
	    !strcmp(sp->ctrs[hint].event, v->event))
		return &sp->ctrs[hint];
	for (size_t i = 0; i < sp->nctrs; i++) {
		t = &sp->ctrs[i];
		if (t->kind == v->kind && !strcmp(t->unit, v->unit) && !strcmp(t->event, v->event))
			return t;
	}
	xgrow((void **)&sp->ctrs, &sp->cap_ctrs, sp->nctrs + 1, sizeof(*sp->ctrs));
	t = &sp->ctrs[sp->nctrs++];
	memset(t, 0, sizeof(*t));
	t->kind = v->kind;
	snprintf(t->unit, sizeof(t->unit), "%s", v->unit);
	snprintf(t->event, sizeof(t->event), "%s", v->event);
	t->unit_idx = unit_get(sp, v->unit);
	return t;
}

static struct irq_track *irq_get(struct ii_sampler *sp, const struct ii_irq_row *r, size_t hint)
{
	struct irq_track *t;

	if (hint < sp->nirqs && sp->irqs[hint].irq == r->irq && !strcmp(sp->irqs[hint].name, r->name))
		return &sp->irqs[hint];
	for (size_t i = 0; i < sp->nirqs; i++) {
		t = &sp->irqs[i];
		if (t->irq == r->irq && !strcmp(t->name, r->name))
			return t;
	}
	xgrow((void **)&sp->irqs, &sp->cap_irqs, sp->nirqs + 1, sizeof(*sp->irqs));
	t = &sp->irqs[sp->nirqs++];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", r->name);
	t->irq = r->irq;
	t->unit_idx = unit_get(sp, r->unit);
	return t;
}

static void hotplug(struct ii_sampler *sp, const struct ii_hotplug *h)
{
	struct ii_dev_activity *d;
	int i = dev_find(sp, h->device);

	if (!h->device[0])
		return;
	switch (h->kind) {
	case II_HP_REMOVE:
		if (i >= 0)
			sp->smp.devs[i].gone = true;
		return;
	case II_HP_ADD:
		d = i >= 0 ? &sp->smp.devs[i] : dev_add(sp, h->device);
		if (i < 0 || d->gone)
			d->added = true;
		d->gone = false;
		if (!d->in_model)
			sp->smp.devices_changed = true;
		return;
	case II_HP_BIND:
	case II_HP_UNBIND:
		d = i >= 0 ? &sp->smp.devs[i] : dev_add(sp, h->device);
		snprintf(d->driver, sizeof(d->driver), "%s", h->kind == II_HP_BIND ? h->driver : "");
		if (i < 0)
			sp->smp.devices_changed = true;
		return;
	case II_HP_KINDS:
		return;
	}
}

static void latency(struct ii_sampler *sp, const char *text)
{
	struct ii_lat p;
	size_t cap = 0;

	free(sp->smp.latency);
	sp->smp.latency = NULL;
	sp->smp.nlatency = 0;
	sp->smp.latency_bad = false;
	ii_lat_init(&p);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		switch (ii_lat_line(&p, text, len)) {
		case II_DL_ROW:
			xgrow((void **)&sp->smp.latency, &cap, sp->smp.nlatency + 1,
			      sizeof(*sp->smp.latency));
			snprintf(sp->smp.latency[sp->smp.nlatency].unit,
				 sizeof(sp->smp.latency->unit), "%s", p.unit);
			sp->smp.latency[sp->smp.nlatency++].row = p.row;
			break;
		case II_DL_BAD:
			sp->smp.latency_bad = true;
			break;
		default:
			break;
		}
		text += len + (nl ? 1 : 0);
	}
}

void ii_sampler_reading(struct ii_sampler *sp, const struct ii_act_reading *r)
{
	if (sp->has_t && r->t_ns < sp->t_ns)
		sp->time_void = true; /* a replay cut, or clocks that disagree: no rate for this one */
	sp->has_t = true;
	sp->t_ns = r->t_ns;
	sp->wall_ns = r->wall_ns;

	for (size_t i = 0; i < sp->nctrs; i++)
		sp->ctrs[i].there = false;
	for (size_t i = 0; i < r->nctrs; i++) {
		const struct ii_ctr_value *v = &r->ctrs[i];
		struct ctr_track *t;

		if ((unsigned)v->kind >= II_CTR_KINDS)
			continue;
		t = ctr_get(sp, v, i);
		t->there = true;
		if (v->ok) {
			cum_read(sp, &t->c, v->value);
			t->state = (struct ii_act_state){ .why = II_WHY_LIVE };
		} else {
			cum_failed(&t->c);
			t->state = v->state;
		}
	}
	/* a counter the reading no longer has is gone; it keeps its total */
	for (size_t i = 0; i < sp->nctrs; i++)
		if (!sp->ctrs[i].there) {
			sp->ctrs[i].c.ok_now = false;
			sp->ctrs[i].c.gone = true;
		}

	for (size_t i = 0; i < sp->nirqs; i++)
		sp->irqs[i].c.ok_now = false;
	for (size_t i = 0; i < r->nirqs; i++)
		cum_read(sp, &irq_get(sp, &r->irqs[i], i)->c, r->irqs[i].count);
	for (size_t i = 0; i < sp->nirqs; i++)
		if (!sp->irqs[i].c.ok_now)
			sp->irqs[i].c.gone = true;

	/* records the recorder lost to overruns: at least one each, even where no later record
	   shows the gap */
	if (r->kmsg_lost > sp->overruns) {
		sp->overruns = r->kmsg_lost;
		if (sp->overruns > sp->smp.lost_records)
			sp->smp.lost_records = sp->overruns;
	}
	for (size_t i = 0; i < r->nhotplug; i++)
		hotplug(sp, &r->hotplug[i]);
	if (r->latency_text)
		latency(sp, r->latency_text);
}

void ii_sampler_tick(struct ii_sampler *sp, int64_t t_ns, int64_t wall_ns)
{
	if (sp->has_t && t_ns < sp->t_ns)
		sp->time_void = true;
	sp->has_t = true;
	sp->t_ns = t_ns;
	sp->wall_ns = wall_ns;
	/* nothing was read at this time: the interval that ends here has no counter rates, and
	   the next one none either, as its start would be the last reading before the tick */
	for (size_t i = 0; i < sp->nctrs; i++)
		sp->ctrs[i].c.ok_now = false;
	for (size_t i = 0; i < sp->nirqs; i++)
		sp->irqs[i].c.ok_now = false;
}

/* -------------------------------------------------------------------- faults */

void ii_sampler_fault(struct ii_sampler *sp, const struct ii_fault *f)
{
	char buf[II_BDF_MAX];
	const char *req = ii_fault_requester(f, buf);
	int u = f->unit[0] ? unit_find(sp, f->unit) : -1;

	sp->log_known = true;
	sp->faults_acc++;
	sp->faults_total++;
	if (u >= 0) {
		sp->unit_acc[u]++;
		sp->smp.units[u].fault_records.total++;
	}
	if (req) {
		int i = dev_find(sp, req);
		struct ii_dev_activity *d = i >= 0 ? &sp->smp.devs[i] : dev_add(sp, req);

		i = (int)(d - sp->smp.devs);
		sp->dpriv[i].acc++;
		d->faults.total++;
		if (!d->in_model && f->dev) {
			d->group = f->dev->group;
			snprintf(d->driver, sizeof(d->driver), "%s", f->dev->driver ? f->dev->driver : "");
		} else if (!d->in_model && f->via) {
			d->group = f->group; /* a bridge's DMA alias: the bridge's group, as faults says */
		}
		d->has_last = true;
		d->has_last_usec = f->pos.has_usec;
		d->last_usec = f->pos.usec;
		snprintf(d->last_time, sizeof(d->last_time), "%s", f->pos.wall);
		snprintf(d->last_reason, sizeof(d->last_reason), "%s", f->has_reason ? f->reason : "");
		d->has_last_addr = f->has_addr;
		d->last_addr = f->addr;
	}
	if (sp->ring_max) {
		size_t at = (sp->ring_head + sp->ring_n) % sp->ring_max;

		if (sp->ring_n == sp->ring_max) {
			at = sp->ring_head;
			sp->ring_head = (sp->ring_head + 1) % sp->ring_max;
		} else {
			sp->ring_n++;
		}
		sp->ring[at] = *f;
		if (sp->ring_new < sp->ring_max)
			sp->ring_new++;
	}
}

void ii_sampler_drop(struct ii_sampler *sp, const struct ii_fault_drop *d)
{
	int u;

	sp->log_known = true;
	if (d->kind == II_DROP_LOST) {
		sp->gap_lost += d->count;
		sp->smp.lost_records = sp->gap_lost > sp->overruns ? sp->gap_lost : sp->overruns;
		return;
	}
	if (d->kind != II_DROP_SUPPRESSED)
		return;
	sp->smp.suppressed += d->count;
	u = vendor_unit(sp, d->vendor);
	if (u >= 0)
		sp->smp.units[u].suppressed += d->count;
}

/* ----------------------------------------------------------------------- sync */

void ii_sampler_sync(struct ii_sampler *sp, const struct ii_system *s)
{
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct ii_device *m = s->devices[i];
		int j;

		if (!model_device(m))
			continue;
		j = dev_find(sp, m->name);
		if (j < 0) {
			dev_from_model(dev_add(sp, m->name), m);
			sp->smp.devs[sp->smp.ndevs - 1].added = true;
		} else {
			if (sp->smp.devs[j].gone)
				sp->smp.devs[j].added = true;
			dev_from_model(&sp->smp.devs[j], m);
		}
	}
	for (size_t i = 0; i < sp->smp.ndevs; i++) {
		struct ii_dev_activity *d = &sp->smp.devs[i];
		const struct ii_device *m;

		if (!d->in_model)
			continue;
		m = ii_find_device(s, d->bdf);
		if (!m || !model_device(m))
			d->gone = true;
	}
	for (size_t i = 0; i < sp->ring_n; i++) {
		struct ii_fault *f = &sp->ring[(sp->ring_head + i) % sp->ring_max];

		if (f->dev)
			f->dev = ii_find_device(s, f->dev->name);
		if (f->dev)
			f->group = f->dev->group;
		if (f->via)
			f->via = ii_find_device(s, f->via->name);
		if (f->via)
			f->group = f->via->group;
	}
	for (size_t i = 0; i < sp->smp.nrecent; i++) {
		sp->smp.recent[i].dev = NULL; /* the old copies: taken again at the next sample */
		sp->smp.recent[i].via = NULL;
	}
	sp->smp.devices_changed = false;
}

/* -------------------------------------------------------------------- sample */

static void set_rate(struct ii_rate *r, const struct agg *a, double iv)
{
	r->known = a->known;
	r->gone = a->n > 0 && a->gone;
	r->total = a->total;
	r->has = a->known && a->has;
	r->delta = r->has ? a->delta : 0;
	r->per_s = r->has && iv > 0 ? (double)a->delta / iv : 0;
}

static void agg_add(struct agg *a, const struct cum *c, bool has)
{
	if (!a->n) {
		a->has = true;
		a->gone = true;
	}
	a->n++;
	a->known |= c->seen;
	a->has &= has;
	a->gone &= c->gone;
	a->delta += has ? c->acc : 0;
	a->total += c->total;
}

/* A derived rate: a - b (misses from lookups and hits) or a + b (lookups from hits and misses). */
static void derive(struct ii_rate *out, const struct ii_rate *a, const struct ii_rate *b, bool sub)
{
	if (out->known || !a->known || !b->known)
		return;
	out->known = true;
	out->gone = a->gone && b->gone;
	if (sub) {
		out->total = a->total >= b->total ? a->total - b->total : 0;
		out->has = a->has && b->has && a->delta >= b->delta;
		out->delta = out->has ? a->delta - b->delta : 0;
		out->per_s = out->has ? a->per_s - b->per_s : 0;
	} else {
		out->total = a->total + b->total;
		out->has = a->has && b->has;
		out->delta = out->has ? a->delta + b->delta : 0;
		out->per_s = out->has ? a->per_s + b->per_s : 0;
	}
}

static bool ratio(const struct ii_rate *part, const struct ii_rate *whole, double *out)
{
	if (!part->has || !whole->has || !whole->delta || part->delta > whole->delta)
		return false;
	*out = (double)part->delta / (double)whole->delta;
	return true;
}

static bool pmu_kind(enum ii_ctr_kind k)
{
	return k != II_CTR_MAP && k != II_CTR_UNMAP && k != II_CTR_QI_SUBMIT;
}

static void finish_units(struct ii_sampler *sp, const struct agg *per, const struct agg *irq,
			 double iv, bool iv_ok)
{
	for (size_t i = 0; i < sp->smp.nunits; i++) {
		struct ii_unit_activity *u = &sp->smp.units[i];
		const struct agg *a = &per[i * II_CTR_KINDS];
		struct agg inv = a[II_CTR_INVALIDATIONS];
		bool any = false, all_gone = true, pmu = false;

		set_rate(&u->iotlb_lookups, &a[II_CTR_IOTLB_LOOKUP], iv);
		set_rate(&u->iotlb_hits, &a[II_CTR_IOTLB_HIT], iv);
		set_rate(&u->iotlb_misses, &a[II_CTR_IOTLB_MISS], iv);
		/* VT-d counts lookups and hits, AMD hits and misses, Arm lookups and misses */
		derive(&u->iotlb_misses, &u->iotlb_lookups, &u->iotlb_hits, true);
		derive(&u->iotlb_hits, &u->iotlb_lookups, &u->iotlb_misses, true);
		derive(&u->iotlb_lookups, &u->iotlb_hits, &u->iotlb_misses, false);
		u->has_hit_ratio = ratio(&u->iotlb_hits, &u->iotlb_lookups, &u->hit_ratio);
		set_rate(&u->ctx_lookups, &a[II_CTR_CTX_LOOKUP], iv);
		set_rate(&u->ctx_hits, &a[II_CTR_CTX_HIT], iv);
		u->has_ctx_hit_ratio = ratio(&u->ctx_hits, &u->ctx_lookups, &u->ctx_hit_ratio);
		/* qi_submit counted for one unit, and tlb_inv, are the unit's invalidations */
		if (a[II_CTR_QI_SUBMIT].n) {
			const struct agg *q = &a[II_CTR_QI_SUBMIT];

			if (!inv.n)
				inv = *q;
			else {
				inv.n += q->n;
				inv.known |= q->known;
				inv.has &= q->has;
				inv.gone &= q->gone;
				inv.delta += q->delta;
				inv.total += q->total;
			}
		}
		set_rate(&u->invalidations, &inv, iv);
		set_rate(&u->fault_irqs, &irq[i], iv);
		u->fault_records.known = sp->log_known;
		u->fault_records.has = sp->log_known && iv_ok;
		u->fault_records.delta = u->fault_records.has ? sp->unit_acc[i] : 0;
		u->fault_records.per_s = u->fault_records.has ? (double)sp->unit_acc[i] / iv : 0;
		sp->unit_acc[i] = 0;

		/* why the unit has no PMU counters: the first one that failed, or the family's */
		u->pmu = (struct ii_act_state){ .why = II_WHY_LIVE };
		for (size_t k = 0; k < II_CTR_KINDS; k++) {
			if (!a[k].n)
				continue;
			any = true;
			all_gone &= a[k].gone;
			pmu |= pmu_kind((enum ii_ctr_kind)k);
		}
		if (irq[i].n) {
			any = true;
			all_gone &= irq[i].gone;
		}
		u->gone = any && all_gone;
		for (size_t c = 0; pmu && c < sp->nctrs; c++)
			if ((size_t)sp->ctrs[c].unit_idx == i && pmu_kind(sp->ctrs[c].kind) &&
			    sp->ctrs[c].there && !sp->ctrs[c].c.ok_now) {
				u->pmu = sp->ctrs[c].state;
				break;
			}
		if (!pmu)
			u->pmu = sp->smp.family[II_ACT_PMU].why == II_WHY_LIVE ?
				 (struct ii_act_state){ .why = II_WHY_NO_PMU_HW } :
				 sp->smp.family[II_ACT_PMU];
	}
}

const struct ii_sample *ii_sampler_sample(struct ii_sampler *sp)
{
	struct ii_sample *smp = &sp->smp;
	size_t nagg = (smp->nunits + 1) * II_CTR_KINDS + smp->nunits + 1;
	struct agg *per, *irq, sys[II_CTR_KINDS] = { { 0 } }, irq_all = { 0 }, inv_all = { 0 };
	bool iv_ok;
	double iv = 0;

	smp->seq++;
	smp->t_ns = sp->t_ns;
	smp->wall_ns = sp->wall_ns;
	if (sp->has_sample_t && sp->t_ns > sp->sample_t_ns && !sp->time_void)
		iv = (double)(sp->t_ns - sp->sample_t_ns) / 1e9;
	iv_ok = iv > 0;
	smp->interval_s = iv;

	xgrow((void **)&sp->tmp, &sp->tmp_cap, nagg, sizeof(*sp->tmp));
	memset(sp->tmp, 0, nagg * sizeof(*sp->tmp));
	per = sp->tmp;
	irq = per + smp->nunits * II_CTR_KINDS;

	for (size_t i = 0; i < sp->nctrs; i++) {
		struct ctr_track *t = &sp->ctrs[i];
		bool has = cum_close(&t->c, iv_ok);

		if (t->unit_idx >= 0)
			agg_add(&per[(size_t)t->unit_idx * II_CTR_KINDS + t->kind], &t->c, has);
		else
			agg_add(&sys[t->kind], &t->c, has);
		if (t->kind == II_CTR_QI_SUBMIT || t->kind == II_CTR_INVALIDATIONS)
			agg_add(&inv_all, &t->c, has);
		t->c.acc = 0;
	}
	for (size_t i = 0; i < sp->nirqs; i++) {
		struct irq_track *t = &sp->irqs[i];
		bool has = cum_close(&t->c, iv_ok);

		if (t->unit_idx >= 0)
			agg_add(&irq[t->unit_idx], &t->c, has);
		agg_add(&irq_all, &t->c, has);
		t->c.acc = 0;
	}
	set_rate(&smp->maps, &sys[II_CTR_MAP], iv);
	set_rate(&smp->unmaps, &sys[II_CTR_UNMAP], iv);
	set_rate(&smp->invalidations, &inv_all, iv);
	set_rate(&smp->fault_irqs, &irq_all, iv);
	finish_units(sp, per, irq, iv, iv_ok);

	smp->fault_records = (struct ii_rate){ .known = sp->log_known, .has = sp->log_known && iv_ok,
					       .total = sp->faults_total };
	if (smp->fault_records.has) {
		smp->fault_records.delta = sp->faults_acc;
		smp->fault_records.per_s = (double)sp->faults_acc / iv;
	}
	smp->faults_new = sp->faults_acc;
	sp->faults_acc = 0;
	for (size_t i = 0; i < smp->ndevs; i++) {
		struct ii_rate *r = &smp->devs[i].faults;
		uint64_t acc = sp->dpriv[i].acc;

		r->known = sp->log_known;
		r->has = sp->log_known && iv_ok;
		r->delta = r->has ? acc : 0;
		r->per_s = r->has ? (double)acc / iv : 0;
		sp->dpriv[i].acc = 0;
	}

	smp->nrecent = sp->ring_n;
	for (size_t i = 0; i < sp->ring_n; i++)
		smp->recent[i] = sp->ring[(sp->ring_head + i) % sp->ring_max];
	smp->recent_new = sp->ring_new;
	sp->ring_new = 0;

	sp->has_sample_t = sp->has_t;
	sp->sample_t_ns = sp->t_ns;
	sp->time_void = false;
	return smp;
}

/* ---------------------------------------------------------- order and filter */

bool ii_sample_dev_match(const struct ii_dev_activity *d, const char *filter)
{
	const char *p;
	char *end;
	long g;

	if (!filter || !*filter)
		return true;
	if (strcasestr(d->bdf, filter) || strcasestr(d->driver, filter))
		return true;
	for (p = filter; *p >= '0' && *p <= '9'; p++)
		;
	if (*p || d->group < 0)
		return false;
	g = strtol(filter, &end, 10);
	return g == d->group;
}

struct order_ctx {
	const struct ii_dev_activity *devs;
	enum ii_dev_sort key;
	bool reverse;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_bdf(const struct ii_dev_activity *a, const struct ii_dev_activity *b)
{
	if (a->is_pci != b->is_pci)
		return a->is_pci ? -1 : 1;
	return strcmp(a->bdf, b->bdf);
}

/*
 * Numbers (rate, total, last) sort the biggest first, names and groups the
 * smallest first; ties by BDF. Rows without a value come last either way.
 */
static int order_cmp(const void *pa, const void *pb, void *pctx)
{
	const struct order_ctx *c = pctx;
	const struct ii_dev_activity *a = &c->devs[*(const size_t *)pa], *b = &c->devs[*(const size_t *)pb];
	int r = 0;

	switch (c->key) {
	case II_SORT_RATE:
		r = a->faults.per_s < b->faults.per_s ? 1 : a->faults.per_s > b->faults.per_s ? -1 : 0;
		if (!r)
			r = -cmp_u64(a->faults.total, b->faults.total);
		break;
	case II_SORT_TOTAL:
		r = -cmp_u64(a->faults.total, b->faults.total);
		break;
	case II_SORT_LAST:
		if (a->has_last_usec != b->has_last_usec)
			return a->has_last_usec ? -1 : 1;
		r = -cmp_u64(a->last_usec, b->last_usec);
		break;
	case II_SORT_GROUP:
		if ((a->group < 0) != (b->group < 0))
			return a->group < 0 ? 1 : -1;
		r = a->group < b->group ? -1 : a->group > b->group;
		break;
	case II_SORT_DRIVER:
		if (!a->driver[0] != !b->driver[0])
			return a->driver[0] ? -1 : 1;
		r = strcmp(a->driver, b->driver);
		break;
	case II_SORT_BDF:
		r = cmp_bdf(a, b);
		break;
	case II_SORT_KEYS:
		break;
	}
	if (!r)
		return cmp_bdf(a, b);
	return c->reverse ? -r : r;
}

/* A row a --batch frame shows: it has faulted, or came or went while the view ran. */
static bool dev_active(const struct ii_dev_activity *d)
{
	return d->faults.total || d->gone || d->added;
}

static size_t dev_order(const struct ii_sample *smp, enum ii_dev_sort key, bool reverse,
			const char *filter, bool active, size_t *idx, size_t max)
{
	struct order_ctx c = { smp->devs, key, reverse };
	size_t n = 0, *all;

	if (!smp->ndevs)
		return 0;
	all = xmalloc(smp->ndevs * sizeof(*all));
	/* the rows are picked before they are sorted: a frame of a few among thousands sorts few */
	for (size_t i = 0; i < smp->ndevs; i++)
		if ((!active || dev_active(&smp->devs[i])) && ii_sample_dev_match(&smp->devs[i], filter))
			all[n++] = i;
	qsort_r(all, n, sizeof(*all), order_cmp, &c);
	memcpy(idx, all, (n < max ? n : max) * sizeof(*idx));
	free(all);
	return n;
}

size_t ii_sample_dev_order(const struct ii_sample *smp, enum ii_dev_sort key, bool reverse,
			   const char *filter, size_t *idx, size_t max)
{
	return dev_order(smp, key, reverse, filter, false, idx, max);
}

size_t ii_sample_dev_order_active(const struct ii_sample *smp, enum ii_dev_sort key, bool reverse,
				  size_t *idx, size_t max)
{
	return dev_order(smp, key, reverse, NULL, true, idx, max);
}
