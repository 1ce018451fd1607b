/* SPDX-License-Identifier: MIT */
/*
 * Inside the activity source (include/source/activity.h): perf counters
 * through the raw perf_event_open syscall (src/source/source-perf.c), the
 * udev monitor (src/source/source-hotplug.c), the IOMMU PMUs
 * (src/source/source-activity-pmu.c) and the replay reader
 * (src/source/source-activity-replay.c). Declared here for those files and
 * for the unit tests, which drive the live code on made-up trees through
 * struct ii_act_env.
 */
#ifndef II_ACTSRC_H
#define II_ACTSRC_H

#include <sys/types.h>

#include "activity.h"
#include "pmufmt.h"

/* ------------------------------------------------------------------- perf */

/* The system calls a counter makes; the tests put fakes in their place. */
struct ii_perf_ops {
	/* perf_event_open(type, config..., pid -1, cpu), counting only: an fd or -errno */
	int (*open_ev)(uint32_t type, const uint64_t config[3], int cpu, void *ctx);
	/* read one fd's { value, time_enabled, time_running }: bytes read or -errno */
	ssize_t (*read_ev)(int fd, uint64_t v[3], void *ctx);
	/* PERF_EVENT_IOC_SET_FILTER on a tracepoint: 0 or -errno */
	int (*filter_ev)(int fd, const char *filter, void *ctx);
	void (*close_ev)(int fd, void *ctx);
	void *ctx;
};
extern const struct ii_perf_ops ii_perf_sys;

/* One event counted on several CPUs. */
struct ii_perf_ctr {
	const struct ii_perf_ops *ops;
	int *fds;
	size_t nfds;
};
/*
 * Open the event on every CPU of cpus (at least one). Returns 0, or the
 * -errno of the first CPU that refused it (nothing stays open then).
 */
int ii_perf_ctr_open(struct ii_perf_ctr *c, const struct ii_perf_ops *ops, uint32_t type,
		     const uint64_t config[3], const int *cpus, size_t ncpus);
/* A tracepoint filter on every fd ("iommu == \"dmar0\""): 0 or -errno. */
int ii_perf_ctr_filter(struct ii_perf_ctr *c, const char *filter);
/*
 * The sum over the CPUs of each one's count scaled by its enabled/running
 * times, and the sums of those times. 0, or -errno (a read failed: the PMU
 * went away), -EAGAIN when no CPU has counted yet (multiplexed out).
 */
int ii_perf_ctr_read(struct ii_perf_ctr *c, uint64_t *value, uint64_t *enabled,
		     uint64_t *running);
void ii_perf_ctr_close(struct ii_perf_ctr *c);
/* value * enabled / running without overflow; value when not multiplexed; 0 when running is 0. */
uint64_t ii_perf_scale(uint64_t value, uint64_t enabled, uint64_t running);

/* ---------------------------------------------------------------- hotplug */

struct ii_hotplug_mon;
/* A libudev monitor of PCI devices (add, remove, bind, unbind): 0 or -errno. */
int ii_hotplug_open(struct ii_hotplug_mon **out);
int ii_hotplug_fd(const struct ii_hotplug_mon *m);
/* Append the events that arrived to *v (n of them, capacity *cap). */
void ii_hotplug_drain(struct ii_hotplug_mon *m, struct ii_hotplug **v, size_t *n, size_t *cap);
void ii_hotplug_close(struct ii_hotplug_mon *m);

/* ----------------------------------------------------------- live and tests */

/* How ii_act_open sees the machine: the real one, or a test's. */
struct ii_act_env {
	bool live;                /* open counters (else: replay the root) */
	unsigned euid;            /* the user the messages speak of */
	const struct ii_perf_ops *perf;
	bool hotplug;             /* open the udev monitor */
};
void ii_act_open_env(struct ii_activity *a, struct ii_system *s, const struct ii_act_env *env);

/* One opened perf event (all its CPUs), read once per reading. */
struct ii_act_ev {
	char name[64];            /* "dmar0/iotlb_lookup/", "iommu:map" */
	struct ii_perf_ctr pc;
	int read_err;             /* this reading: 0 or -errno */
	uint64_t value, enabled, running;
};

/* A counter as the reading gives it: the sum of its events. */
struct ii_act_ctr {
	enum ii_ctr_kind kind;
	char unit[32];
	char event[96];
	size_t *ev;               /* indexes into ii_act_live.evs */
	size_t nev;
	bool ok;                  /* its events opened */
	struct ii_act_state state; /* why not, or a note (II_WHY_IDENTITY) */
};

/* What the live source holds. */
struct ii_act_live {
	struct ii_act_env env;
	int *cpus;                /* online CPUs */
	size_t ncpus;
	struct ii_act_ev *evs;
	size_t nevs;
	struct ii_act_ctr *ctrs;
	size_t nctrs;
	struct ii_irq_unit *irq_units;
	size_t nirq_units;
	struct ii_hotplug_mon *mon;
	char *latency_rel;        /* dmar_perf_latency to read, or NULL */
};

/*
 * Open event on cpus and give it a place in lv->evs: its index, or -errno
 * (nothing kept).
 */
int ii_act_ev_open(struct ii_act_live *lv, const char *name, uint32_t type,
		   const uint64_t config[3], const int *cpus, size_t ncpus);
/* Add event index ev to the counter (kind, unit), made when new; its name joins c->event. */
struct ii_act_ctr *ii_act_ctr_add(struct ii_act_live *lv, enum ii_ctr_kind kind, const char *unit,
				  int ev, const char *event);

/* The IOMMU PMUs of s's units (source-activity-pmu.c): a->units, PMU counters, family state. */
void ii_act_pmu_open(struct ii_activity *a, struct ii_system *s, struct ii_act_live *lv);
/* The state for a perf_event_open failure (err < 0): paranoid, not root, or an error. */
void ii_act_perf_denied(struct ii_system *s, const struct ii_act_env *env, int err,
			const char *what, struct ii_act_state *st);
/* Set a state; detail printf-like. */
void ii_act_state_set(struct ii_act_state *st, enum ii_act_why why, int err, const char *fmt, ...)
	ii_printf_like(4, 5);
/* The replay (source-activity-replay.c). */
struct ii_act_replay;
/* Open II_PATH_ACTIVITY: 0 (a->family, a->units from its header), -ENOENT, or -errno. */
int ii_act_replay_open(struct ii_activity *a, struct ii_system *s, struct ii_act_replay **out);
int ii_act_replay_read(struct ii_act_replay *rp, struct ii_act_reading *out);
void ii_act_replay_close(struct ii_act_replay *rp);

#endif
