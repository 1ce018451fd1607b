/* SPDX-License-Identifier: MIT */
/*
 * The data of live activity (include/source/activity.h says where it comes
 * from) and its recorded form, with the pure functions that read and write
 * it: the fault-interrupt rows of proc/interrupts, and the lines of a
 * recording (II_PATH_ACTIVITY, written by `snapshot --activity`). These types
 * live in the parse layer so that the recording's line parser, which is
 * fuzzed, can fill them; activity.h includes this header.
 *
 * The recording is NDJSON (man/iommu-inspect-snapshot.8, FILES): a header
 * line, then for each reading the kernel log records that arrived since the
 * previous one, then the reading itself.
 */
#ifndef II_ACTDATA_H
#define II_ACTDATA_H

#include "parse.h"

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
	II_WHY_COUNT
};
const char *ii_act_why_key(enum ii_act_why w); /* "live", "paranoid", ... (JSON) */
/* The key back to the value; false for a key this version does not know. */
bool ii_act_why_parse(const char *key, enum ii_act_why *out);

struct ii_act_state {
	enum ii_act_why why;
	int err;                  /* -errno of the failure, 0 */
	char detail[512];         /* the file, value or option that explains it, and the fix; "" */
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
bool ii_ctr_kind_parse(const char *key, enum ii_ctr_kind *out);

/*
 * One counter's cumulative value at a reading: one per (kind, unit); the
 * source adds up the events and CPUs it is made of. A counter the source
 * tried and could not open or read has ok false and its state, in every
 * reading; a family that could not be opened at all has no counters (see
 * the family's state), nor does a unit without a PMU (see ii_act_unit).
 * When ok, state.why is II_WHY_LIVE, or II_WHY_IDENTITY on map/unmap when
 * every group is identity: read, and expected to stay at zero (only VFIO or
 * other unmanaged domains map then).
 */
struct ii_ctr_value {
	enum ii_ctr_kind kind;
	char unit[32];            /* the IOMMU unit ("dmar0", "ivhd0", "smmu3.0x..."); "" system-wide;
				     an Arm PMCG matched to no unit: the PMU's name */
	char event[96];           /* the perf event(s): "dmar0/iotlb_lookup/", "iommu:map",
				     "dmar0/ctxt_cache_lookup/+dmar0/pasid_cache_lookup/" */
	bool ok;                  /* read this time; false: see state */
	uint64_t value;           /* cumulative, scaled by enabled/running when multiplexed */
	uint64_t enabled_ns, running_ns;
	struct ii_act_state state;
};

/* Interrupts of one IOMMU unit: a proc/interrupts row, all CPUs summed. */
struct ii_irq_row {
	char name[48];            /* the row's action name: "dmar0", "AMD-Vi", "arm-smmu-v3-evtq" */
	char unit[32];            /* the unit it belongs to when known, else "" */
	unsigned irq;             /* the interrupt number (first column), 0 when not numeric */
	bool fault;               /* a fault or event-log interrupt (not page requests, the PMU,
				     guest vAPIC logging) */
	uint64_t count;
};

/* A device appeared, went away, or was bound or unbound. */
enum ii_hotplug_kind { II_HP_ADD, II_HP_REMOVE, II_HP_BIND, II_HP_UNBIND, II_HP_KINDS };
const char *ii_hotplug_kind_key(enum ii_hotplug_kind k); /* "add", "remove", "bind", "unbind" */
struct ii_hotplug {
	enum ii_hotplug_kind kind;
	char device[32];          /* "0000:03:00.0" */
	char driver[64];          /* bind: the driver; "" */
};

/* One reading: everything sampled at one time. */
struct ii_act_reading {
	uint64_t seq;             /* 1 for the first reading of a source */
	int64_t t_ns;             /* CLOCK_MONOTONIC when taken (live) or as recorded (replay) */
	int64_t wall_ns;          /* CLOCK_REALTIME, for display; 0 unknown */
	struct ii_ctr_value *ctrs;
	size_t nctrs;
	struct ii_irq_row *irqs;
	size_t nirqs;
	struct ii_hotplug *hotplug; /* events since the previous reading */
	size_t nhotplug;
	/* dmar_perf_latency: the histogram rows that have data, as parsed (debugfs.h) */
	char *latency_text;       /* the file's text when read this time, or NULL */
	/*
	 * Replay only: the kernel log records that arrived since the previous
	 * reading, for the caller to feed to the fault run (ii_logrec_from_kmsg);
	 * live, the fault run reads the log itself and these are empty.
	 */
	struct ii_kmsg *kmsg;
	size_t nkmsg;
	uint64_t kmsg_lost;       /* replay: records the recorder lost to overruns, since its start */
};
void ii_act_reading_free(struct ii_act_reading *r);

/* An IOMMU unit and its PMU: which perf PMU counts for it, or why none does. */
struct ii_act_unit {
	char unit[32];            /* as in sys/class/iommu */
	char pmu[32];             /* "dmar0", "amd_iommu_0", "smmuv3_pmcg_2b402"; "" none */
	struct ii_act_state state; /* II_WHY_LIVE when its counters opened */
};

/* ----------------------------------------------------------- proc/interrupts */

/* What the row parser knows of the units, to give each row its unit. */
struct ii_irq_unit {
	const char *name;         /* "dmar0", "ivhd0", "smmu3.0x..." */
	enum ii_vendor vendor;
	const char *pci_function; /* AMD: the unit's own PCI function ("0000:00:00.2"), or NULL */
	const char *parent;       /* virtio-iommu: its virtio device ("virtio0"), or NULL */
};
/*
 * The IOMMU rows of proc/interrupts (kernel-interfaces §12.4), counts of all
 * CPUs summed; a row's unit is set when its name (or, for AMD, the MSI
 * chip's PCI function) says which, or when the vendor has a single unit.
 * Returns the number of rows (*rows allocated, owned by the caller).
 */
size_t ii_parse_irq_rows(const char *text, const struct ii_irq_unit *units, size_t nunits,
			 struct ii_irq_row **rows);

/* ------------------------------------------------------------ the recording */

#define II_ACT_SCHEMA_VERSION 1

/* The first line: what recorded it and what was live then. */
struct ii_act_header {
	unsigned schema_version;
	char version[32];         /* the iommu-inspect that recorded it */
	char kernel[80];          /* the kernel release, "" unknown */
	bool live;                /* recorded from a live system (not a replay or a tree) */
	unsigned interval_ms;     /* the time between readings it aimed at */
	struct ii_act_state family[II_ACT_FAMILIES];
	bool has_family[II_ACT_FAMILIES];
	struct ii_act_unit *units;
	size_t nunits;
};

enum ii_actl_kind {
	II_ACTL_BLANK,            /* an empty line */
	II_ACTL_HEADER,
	II_ACTL_READING,
	II_ACTL_KMSG,
	II_ACTL_BAD,              /* why says what is wrong with it */
};

/* One parsed line; free with ii_actl_free. */
struct ii_actl {
	enum ii_actl_kind kind;
	const char *why;          /* II_ACTL_BAD: a constant message */
	struct ii_act_header hdr;
	struct ii_act_reading rd;
	struct ii_kmsg kmsg;      /* text, subsystem, device owned */
};
/* Parse one line (without its newline). Never fails as a whole: II_ACTL_BAD says why. */
enum ii_actl_kind ii_act_parse_line(const char *line, size_t len, struct ii_actl *out);
void ii_actl_free(struct ii_actl *l);

/* Write one line each, with its newline, appended to out. */
void ii_act_format_header(struct strbuf *out, const struct ii_act_header *h);
void ii_act_format_reading(struct strbuf *out, const struct ii_act_reading *r);
void ii_act_format_kmsg(struct strbuf *out, const struct ii_kmsg *m);

#endif
