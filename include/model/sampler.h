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
 * shown as gone, with its last total. Several readings may come between two
 * samples (a replay recorded more often than the view's interval): their
 * deltas add up, and a reset in any of them voids the interval.
 */
#ifndef II_SAMPLER_H
#define II_SAMPLER_H

#include "activity.h"
#include "debugfs.h"
#include "faults.h"

/*
 * A count over one interval. known: it is counted at all (some reading had
 * it, or the kernel log is read); without it the renderers show "-" and JSON
 * null. has: a rate could be computed this interval (not the first sample,
 * no reset, read at both ends, not gone).
 */
struct ii_rate {
	bool known;
	bool has;
	bool gone;                /* it was counted, and the latest reading no longer has it */
	double per_s;
	uint64_t delta;           /* the count in the interval (has), else 0 */
	uint64_t total;           /* cumulative since the sampler started (faults: since the
				     start of the log) */
};

struct ii_unit_activity {
	char name[32];            /* as in sys/class/iommu */
	enum ii_vendor vendor;
	bool in_model;            /* sys/class/iommu lists it (else only a counter names it) */
	struct ii_rate iotlb_lookups, iotlb_hits, iotlb_misses;
	bool has_hit_ratio;
	double hit_ratio;         /* hits / lookups (or hits / (hits + misses)) in the interval */
	struct ii_rate ctx_lookups, ctx_hits;
	bool has_ctx_hit_ratio;
	double ctx_hit_ratio;
	struct ii_rate invalidations; /* qi_submit (Intel), tlb_inv (AMD) */
	struct ii_rate fault_irqs;    /* proc/interrupts rows of the unit */
	struct ii_rate fault_records; /* faults in the log attributed to the unit */
	uint64_t suppressed;      /* ratelimited records, since start (a vendor with one unit) */
	struct ii_act_state pmu;  /* why the unit has no PMU counters, if it has none */
	bool gone;                /* the unit's counters disappeared */
};

struct ii_dev_activity {
	char bdf[64];             /* or the requester's name when not PCI */
	bool is_pci;
	int group;                /* -1: none or unknown */
	char driver[64];          /* "" none */
	bool in_model;            /* a present device of the model (else: a requester with faults,
				     or one a hotplug event named) */
	struct ii_rate faults;    /* total: counted from the start of the log */
	bool has_last;            /* it has faulted: the fields below are its last fault's */
	bool has_last_usec;
	uint64_t last_usec;       /* logged at, microseconds since boot */
	char last_time[40];       /* its date (ii_logpos.wall), "" unknown */
	char last_reason[112];
	bool has_last_addr;
	uint64_t last_addr;
	bool gone;                /* removed while the view ran: last counts kept */
	bool added;               /* appeared while the view ran */
};

/* Sort keys of the device table. */
enum ii_dev_sort {
	II_SORT_RATE, II_SORT_TOTAL, II_SORT_LAST, II_SORT_BDF, II_SORT_GROUP, II_SORT_DRIVER,
	II_SORT_KEYS
};
const char *ii_dev_sort_key(enum ii_dev_sort k); /* "rate", "total", ... */

/* One row of dmar_perf_latency: a unit, an invalidation type and its buckets. */
struct ii_top_latency {
	char unit[32];
	struct ii_lat_row row;    /* seven bucket counts, min, max, average (µs) */
};

struct ii_sample {
	uint64_t seq;             /* 1 for the first sample */
	int64_t t_ns, wall_ns;    /* of the latest reading or tick; wall_ns 0: unknown */
	double interval_s;        /* the time the rates cover; 0 for the first sample */
	struct ii_unit_activity *units;
	size_t nunits;
	struct ii_rate maps, unmaps; /* system-wide DMA map/unmap operations */
	struct ii_rate invalidations; /* system-wide: qi_submit, which names no unit when counted */
	struct ii_rate fault_irqs;    /* every fault interrupt row */
	struct ii_rate fault_records; /* every fault in the log */
	uint64_t suppressed;      /* ratelimited records, since start */
	struct ii_dev_activity *devs; /* every device with a fault, and every present PCI device */
	size_t ndevs;
	struct ii_fault *recent;  /* the latest decoded faults, oldest first */
	size_t nrecent;
	size_t recent_new;        /* of recent, the last recent_new came in this interval */
	uint64_t faults_new;      /* faults in this interval (may exceed recent_new) */
	uint64_t lost_records;    /* kernel log records lost (overrun) since start */
	uint64_t resets;          /* counter readings that went backwards, since start */
	struct ii_act_state family[II_ACT_FAMILIES];
	struct ii_top_latency *latency; /* dmar_perf_latency rows as last read */
	size_t nlatency;
	bool latency_bad;         /* the last text read did not parse as dmar_perf_latency */
	bool devices_changed;     /* a hotplug event named a device the model lacks: re-read the
				     model and give it to ii_sampler_sync() */
};

struct ii_sampler;

/* A sampler over the model's units and devices; keeps at most recent_max faults. */
struct ii_sampler *ii_sampler_new(const struct ii_system *s, size_t recent_max);
/* Feed: one activity reading, a decoded (and attributed) fault, a drop. */
void ii_sampler_reading(struct ii_sampler *sp, const struct ii_act_reading *r);
void ii_sampler_fault(struct ii_sampler *sp, const struct ii_fault *f);
void ii_sampler_drop(struct ii_sampler *sp, const struct ii_fault_drop *d);
/*
 * Time passed without a reading (no activity source, or a replay that
 * ended): the next sample covers up to t_ns; counters have no rate for it.
 */
void ii_sampler_tick(struct ii_sampler *sp, int64_t t_ns, int64_t wall_ns);
/* The states of the families of sources, as the activity source and the fault feed found them. */
void ii_sampler_sources(struct ii_sampler *sp, const struct ii_act_state fam[II_ACT_FAMILIES]);
void ii_sampler_source(struct ii_sampler *sp, enum ii_act_family f, const struct ii_act_state *st);
/*
 * The model was read again (after hotplug): devices it has that the sampler
 * lacks are added, groups and drivers updated, devices of the old model it no
 * longer has marked gone. The faults kept point to s's devices afterwards,
 * so the old model can be freed.
 */
void ii_sampler_sync(struct ii_sampler *sp, const struct ii_system *s);
/* The sample for the interval ending at the last reading; valid until the next call. */
const struct ii_sample *ii_sampler_sample(struct ii_sampler *sp);
void ii_sampler_free(struct ii_sampler *sp);

/*
 * The device rows in display order, filtered ("" or NULL: no filter; else a
 * case-insensitive part of the BDF or driver, or the group's number): writes
 * at most max indexes into smp->devs to idx and returns how many rows match.
 */
size_t ii_sample_dev_order(const struct ii_sample *smp, enum ii_dev_sort key, bool reverse,
			   const char *filter, size_t *idx, size_t max);
/* The same, of the rows that have faulted, or came or went while the view ran (a --batch frame). */
size_t ii_sample_dev_order_active(const struct ii_sample *smp, enum ii_dev_sort key, bool reverse,
				  size_t *idx, size_t max);
/* Does device row d pass the filter? */
bool ii_sample_dev_match(const struct ii_dev_activity *d, const char *filter);

#endif
