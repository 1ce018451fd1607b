/* SPDX-License-Identifier: MIT */
/*
 * A made-up model for the tests of `top` (test-top-*.c): units and any number
 * of PCI devices, faults and activity readings, built in memory.
 */
#ifndef II_TEST_TOP_FIXTURE_H
#define II_TEST_TOP_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sampler.h"

/* ndev PCI devices 0000:BB:DD.F in address order, group i / 2, driver "drv<i % 7>" or none
   every fifth; units as named (a vendor each). */
static inline void tf_system(struct ii_system *s, size_t ndev, const char *const *units,
			     const enum ii_vendor *vendors, size_t nunits)
{
	memset(s, 0, sizeof(*s));
	s->units = xcalloc(nunits ? nunits : 1, sizeof(*s->units));
	for (size_t i = 0; i < nunits; i++) {
		s->units[i].name = xstrdup(units[i]);
		s->units[i].vendor = vendors[i];
	}
	s->nunits = nunits;
	s->devices = xcalloc(ndev ? ndev : 1, sizeof(*s->devices));
	for (size_t i = 0; i < ndev; i++) {
		struct ii_device *d = xcalloc(1, sizeof(*d));

		d->bdf = (struct ii_bdf){ 0, (uint8_t)(i / 256), (uint8_t)(i % 256 / 8), (uint8_t)(i % 8) };
		ii_format_bdf(&d->bdf, d->name);
		d->is_pci = d->present = true;
		d->group = (int)(i / 2);
		d->numa_node = -1;
		if (i % 5)
			d->driver = xasprintf("drv%zu", i % 7);
		d->unit = nunits ? &s->units[0] : NULL;
		s->devices[i] = d;
	}
	s->ndevices = ndev;
	s->kernel_release = xstrdup("6.12.0-test");
}

static inline struct ii_fault tf_fault(const char *bdf, const char *unit, uint64_t usec,
				       uint64_t addr, const char *reason)
{
	struct ii_fault f = { .vendor = II_VENDOR_INTEL, .priv = -1, .group = -1, .complete = true,
			      .access = II_ACC_READ };

	if (bdf && ii_parse_bdf(bdf, &f.bdf) == 0)
		f.has_bdf = f.seg_known = true;
	else if (bdf)
		snprintf(f.client, sizeof(f.client), "%s", bdf);
	snprintf(f.unit, sizeof(f.unit), "%s", unit ? unit : "");
	f.pos.has_usec = true;
	f.pos.usec = usec;
	f.has_addr = true;
	f.addr = addr;
	f.has_reason = reason != NULL;
	snprintf(f.reason, sizeof(f.reason), "%s", reason ? reason : "");
	return f;
}

/* A reading at t seconds with up to 16 counters and 8 interrupt rows, added with the helpers. */
struct tf_reading {
	struct ii_act_reading r;
	struct ii_ctr_value ctrs[16];
	struct ii_irq_row irqs[8];
	struct ii_hotplug hp[8];
};

static inline void tf_at(struct tf_reading *x, double t)
{
	memset(x, 0, sizeof(*x));
	x->r.t_ns = (int64_t)(t * 1e9);
	x->r.wall_ns = 1700000000LL * 1000000000LL + x->r.t_ns;
	x->r.ctrs = x->ctrs;
	x->r.irqs = x->irqs;
	x->r.hotplug = x->hp;
}

static inline void tf_ctr(struct tf_reading *x, enum ii_ctr_kind k, const char *unit,
			  const char *event, uint64_t v)
{
	struct ii_ctr_value *c = &x->ctrs[x->r.nctrs++];

	c->kind = k;
	snprintf(c->unit, sizeof(c->unit), "%s", unit);
	snprintf(c->event, sizeof(c->event), "%s", event);
	c->ok = true;
	c->value = v;
}

static inline void tf_ctr_fail(struct tf_reading *x, enum ii_ctr_kind k, const char *unit,
			       const char *event, enum ii_act_why why)
{
	struct ii_ctr_value *c = &x->ctrs[x->r.nctrs++];

	c->kind = k;
	snprintf(c->unit, sizeof(c->unit), "%s", unit);
	snprintf(c->event, sizeof(c->event), "%s", event);
	c->state.why = why;
}

static inline void tf_irq(struct tf_reading *x, const char *name, const char *unit, unsigned irq,
			  uint64_t count)
{
	struct ii_irq_row *r = &x->irqs[x->r.nirqs++];

	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->unit, sizeof(r->unit), "%s", unit);
	r->irq = irq;
	r->count = count;
}

static inline void tf_hp(struct tf_reading *x, enum ii_hotplug_kind k, const char *dev,
			 const char *driver)
{
	struct ii_hotplug *h = &x->hp[x->r.nhotplug++];

	h->kind = k;
	snprintf(h->device, sizeof(h->device), "%s", dev);
	snprintf(h->driver, sizeof(h->driver), "%s", driver ? driver : "");
}

static inline const struct ii_dev_activity *tf_dev(const struct ii_sample *smp, const char *name)
{
	for (size_t i = 0; i < smp->ndevs; i++)
		if (!strcmp(smp->devs[i].bdf, name))
			return &smp->devs[i];
	return NULL;
}

static inline const struct ii_unit_activity *tf_unit(const struct ii_sample *smp, const char *name)
{
	for (size_t i = 0; i < smp->nunits; i++)
		if (!strcmp(smp->units[i].name, name))
			return &smp->units[i];
	return NULL;
}

static inline int tf_close(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

#endif
