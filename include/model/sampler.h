/* SPDX-License-Identifier: MIT */
/*
 * The live view's model (`top`): readings of the activity source
 * (include/source/activity.h) and the faults of the fault run turned into
 * one sample per interval: rates per unit and system-wide, per-device fault
 * counts, the latest faults, and which sources are live and why not.
 * Pure: it is fed readings and faults and never reads, draws or sleeps, so
 * it is unit-tested with made-up readings; the renderers (text frames, JSON
 * lines, the curses view) print a sample's fields and compute nothing.
 *
 * Counters are cumulative: a rate is the difference of two readings over the
 * time between them. A counter that goes backwards (a PMU reset, a wrap of
 * a narrow hardware counter the driver did not extend, a replay cut) gives
 * no rate for that interval and is counted in resets; one that disappears is
 * shown as gone, with its last total.
 */
#ifndef II_SAMPLER_H
#define II_SAMPLER_H

#include "activity.h"
#include "faults.h"

/* A rate over one interval; has: it could be computed this interval. */
struct ii_rate {
	bool has;
	double per_s;
	uint64_t delta;           /* the count in the interval */
	uint64_t total;           /* cumulative since the sampler started */
};

struct ii_unit_activity {
	char name[32];            /* as in sys/class/iommu */
	enum ii_vendor vendor;
	struct ii_rate iotlb_lookups, iotlb_hits, iotlb_misses;
	bool has_hit_ratio;
	double hit_ratio;         /* hits / lookups (or hits / (hits + misses)) in the interval */
	struct ii_rate ctx_lookups, ctx_hits;
	bool has_ctx_hit_ratio;
	double ctx_hit_ratio;
	struct ii_rate invalidations; /* qi_submit (Intel), tlb_inv (AMD) */
	struct ii_rate fault_irqs;    /* proc/interrupts rows of the unit */
	struct ii_rate fault_records; /* faults in the log attributed to the unit */
	uint64_t suppressed;      /* ratelimited records, since start */
	struct ii_act_state pmu;  /* why the unit has no PMU counters, if it has none */
	bool gone;                /* the unit's counters disappeared */
};

struct ii_dev_activity {
	char bdf[32];             /* or the requester's name when not PCI */
	int group;                /* -1: none or unknown */
	char driver[64];          /* "" none */
	struct ii_rate faults;    /* total: counted from the start of the log */
	bool has_last;
	int64_t last_wall_ns;     /* when its last fault was logged, 0 unknown */
	char last_reason[112];
	bool has_last_addr;
	uint64_t last_addr;
	bool gone;                /* removed while the view ran: last counts kept */
};

/* Sort keys of the device table. */
enum ii_dev_sort {
	II_SORT_RATE, II_SORT_TOTAL, II_SORT_LAST, II_SORT_BDF, II_SORT_GROUP, II_SORT_DRIVER,
	II_SORT_KEYS
};
const char *ii_dev_sort_key(enum ii_dev_sort k);

struct ii_sample {
	uint64_t seq;             /* 1 for the first sample */
	int64_t t_ns, wall_ns;
	double interval_s;        /* the time the rates cover; 0 for the first sample */
	struct ii_unit_activity *units;
	size_t nunits;
	struct ii_rate maps, unmaps; /* system-wide DMA map/unmap operations */
	struct ii_dev_activity *devs; /* every device with a fault, and every present PCI device */
	size_t ndevs;
	struct ii_fault *recent;  /* the latest decoded faults, oldest first */
	size_t nrecent;
	uint64_t lost_records;    /* kernel log records lost (overrun) since start */
	uint64_t resets;          /* counter readings that went backwards, since start */
	struct ii_act_state family[II_ACT_FAMILIES];
	char *latency_text;       /* dmar_perf_latency as read, or NULL */
};

struct ii_sampler;

/* A sampler over the model's units and devices; keeps at most recent_max faults. */
struct ii_sampler *ii_sampler_new(const struct ii_system *s, size_t recent_max);
/* Feed: one activity reading, a decoded (and attributed) fault, a drop. */
void ii_sampler_reading(struct ii_sampler *sp, const struct ii_act_reading *r);
void ii_sampler_fault(struct ii_sampler *sp, const struct ii_fault *f);
void ii_sampler_drop(struct ii_sampler *sp, const struct ii_fault_drop *d);
/* The sample for the interval ending at the last reading; valid until the next call. */
const struct ii_sample *ii_sampler_sample(struct ii_sampler *sp);
void ii_sampler_free(struct ii_sampler *sp);

/* The device rows in display order, filtered ("" no filter: matches BDF, group, driver). */
size_t ii_sample_dev_order(const struct ii_sample *smp, enum ii_dev_sort key, bool reverse,
			   const char *filter, size_t *idx, size_t max);

#endif
