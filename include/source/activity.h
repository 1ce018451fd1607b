/* SPDX-License-Identifier: MIT */
/*
 * Live activity (kernel-interfaces §6, §7, §12): what the `top` view and
 * `snapshot --activity` read, without writing anything anywhere.
 *
 * An activity source is opened once on a root. On the live system it opens
 * perf counters (the iommu:map/unmap and intel_iommu:qi_submit tracepoints in
 * counting mode, one fd per online CPU; the IOMMU PMUs dmarN, amd_iommu_N,
 * smmuv3_pmcg_*), reads proc/interrupts and watches devices come and go
 * (libudev monitor). On a recorded tree it replays the readings that
 * `snapshot --activity` recorded (II_PATH_ACTIVITY), at their recorded times.
 * Each call of ii_act_read gives one reading: raw cumulative values with the
 * time they were taken; the model (include/model/sampler.h) turns readings
 * into rates. Sources decide nothing: a counter that cannot be opened is a
 * state with its reason, never a zero.
 *
 * The kernel log is not part of it: faults come from the model's fault run,
 * which the sampler is fed from; a recorded activity file carries the kmsg
 * records of the interval so that a replay sees them too.
 */
#ifndef II_ACTIVITY_H
#define II_ACTIVITY_H

#include "system.h"

/* The families of activity, each live or not as a whole. */
enum ii_act_family {
	II_ACT_INTERRUPTS,  /* proc/interrupts: fault interrupts per unit */
	II_ACT_KMSG,        /* the kernel log: fault records (read by the fault run) */
	II_ACT_TRACEPOINTS, /* iommu:map, iommu:unmap (and intel_iommu:qi_submit) via perf */
	II_ACT_PMU,         /* IOMMU PMU counters via perf */
	II_ACT_LATENCY,     /* debugfs dmar_perf_latency histograms */
	II_ACT_HOTPLUG,     /* device add/remove/bind/unbind (libudev monitor) */
	II_ACT_FAMILIES
};
const char *ii_act_family_key(enum ii_act_family f); /* "interrupts", "kmsg", ... (JSON) */

/* Why a family (or one counter) is not live: typed, rendered to text in one table. */
enum ii_act_why {
	II_WHY_LIVE = 0,
	II_WHY_NOT_ROOT,          /* needs root (or CAP_SYSLOG / CAP_PERFMON) */
	II_WHY_PARANOID,          /* perf_event_paranoid refuses CPU-wide events (value in detail) */
	II_WHY_KERNEL_TOO_OLD,    /* e.g. the VT-d PMU needs 6.3 */
	II_WHY_NO_PMU_HW,         /* the hardware (or the emulator) has no counters */
	II_WHY_NOT_BUILT,         /* the kernel was built without it (CONFIG_... in detail) */
	II_WHY_NOT_ENABLED,       /* present but off: dmar_perf_latency rows nobody enabled */
	II_WHY_NO_TRACEFS,        /* tracefs not mounted or not readable: no tracepoint ids */
	II_WHY_NOT_RECORDED,      /* a replay whose recording does not have it */
	II_WHY_NO_IOMMU,          /* no unit: nothing to count */
	II_WHY_IDENTITY,          /* map/unmap: every domain is identity (iommu=pt), none come */
	II_WHY_ERROR,             /* anything else: errno and detail say what */
};
const char *ii_act_why_key(enum ii_act_why w);

struct ii_act_state {
	enum ii_act_why why;
	int err;                  /* -errno of the failure, 0 */
	char detail[160];         /* the file, value or option that explains it; "" */
};

/* What a counter counts. */
enum ii_ctr_kind {
	II_CTR_MAP,               /* iommu:map events (system-wide) */
	II_CTR_UNMAP,             /* iommu:unmap events (system-wide) */
	II_CTR_QI_SUBMIT,         /* intel_iommu:qi_submit events: invalidation descriptors */
	II_CTR_IOTLB_LOOKUP,      /* VT-d iotlb_lookup; Arm smmuv3 transaction */
	II_CTR_IOTLB_HIT,         /* VT-d iotlb_hit; AMD tlb_pte_hit + tlb_pde_hit */
	II_CTR_IOTLB_MISS,        /* AMD tlb_pte_mis + tlb_pde_mis; Arm tlb_miss */
	II_CTR_CTX_LOOKUP,        /* VT-d ctxt_cache_lookup + pasid_cache_lookup; AMD dte hit+mis */
	II_CTR_CTX_HIT,           /* VT-d ctxt_cache_hit + pasid_cache_hit; AMD mem_dte_hit */
	II_CTR_INVALIDATIONS,     /* AMD tlb_inv (per unit) */
	II_CTR_KINDS
};
const char *ii_ctr_kind_key(enum ii_ctr_kind k);

/* One counter's cumulative value at a reading. */
struct ii_ctr_value {
	enum ii_ctr_kind kind;
	char unit[32];            /* the IOMMU unit ("dmar0", "ivhd0", "smmu3.0x..."); "" system-wide */
	char event[48];           /* the perf event(s) it comes from: "dmar0/iotlb_lookup/" */
	bool ok;                  /* read this time; false: see state */
	uint64_t value;           /* cumulative, scaled by enabled/running when multiplexed */
	uint64_t enabled_ns, running_ns;
	struct ii_act_state state;
};

/* Fault interrupts of one unit: a proc/interrupts row, all CPUs summed. */
struct ii_irq_row {
	char name[48];            /* the row's action name: "dmar0", "AMD-Vi", "arm-smmu-v3-evtq" */
	char unit[32];            /* the unit it belongs to when known, else "" */
	unsigned irq;             /* the interrupt number (first column), 0 when not numeric */
	uint64_t count;
};

/* A device appeared, went away, or was bound or unbound. */
enum ii_hotplug_kind { II_HP_ADD, II_HP_REMOVE, II_HP_BIND, II_HP_UNBIND };
struct ii_hotplug {
	enum ii_hotplug_kind kind;
	char device[32];          /* "0000:03:00.0" */
	char driver[64];          /* bind: the driver; "" */
};

/* One reading: everything sampled at one time. */
struct ii_act_reading {
	int64_t t_ns;             /* CLOCK_MONOTONIC when taken (live) or as recorded (replay) */
	int64_t wall_ns;          /* CLOCK_REALTIME, for display */
	struct ii_ctr_value *ctrs;
	size_t nctrs;
	struct ii_irq_row *irqs;
	size_t nirqs;
	struct ii_hotplug *hotplug; /* events since the previous reading */
	size_t nhotplug;
	/* dmar_perf_latency: the histogram rows that have data, as parsed (debugfs.h) */
	char *latency_text;       /* the file's text when read this time, or NULL */
};
void ii_act_reading_free(struct ii_act_reading *r);

struct ii_activity {
	struct ii_root *root;
	bool replay;              /* a recorded tree: readings come from II_PATH_ACTIVITY */
	struct ii_act_state family[II_ACT_FAMILIES];
	void *priv;               /* the perf fds, the udev monitor, or the replay reader */
};

/*
 * Open on s (units loaded): live counters, or the recording of a replay.
 * Never fails as a whole: what cannot be opened is a family state; warnings
 * go to s->diags naming the file and the fix.
 */
void ii_act_open(struct ii_activity *a, struct ii_system *s);
/*
 * The next reading. Live: taken now. Replay: the next recorded one (its
 * recorded time tells the caller when to show it). Returns 1 with *out
 * filled, 0 at the end of a replay, -errno on an error (out untouched).
 */
int ii_act_read(struct ii_activity *a, struct ii_act_reading *out);
/*
 * A file descriptor that becomes readable when something arrives between
 * readings (the udev monitor), or -1; for the view's poll() loop.
 */
int ii_act_fd(const struct ii_activity *a);
void ii_act_close(struct ii_activity *a);

#endif
