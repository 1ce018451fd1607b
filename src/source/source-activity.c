// SPDX-License-Identifier: MIT
/*
 * The activity source (include/source/activity.h, kernel-interfaces §12):
 * on the live system, perf counters of the iommu:map/unmap and
 * intel_iommu:qi_submit tracepoints (one fd per online CPU, their ids read
 * from tracefs, never written) and of the IOMMU PMUs
 * (source-activity-pmu.c), proc/interrupts, dmar_perf_latency (read, never
 * enabled) and a udev monitor; on a recorded tree, the recording's readings
 * (source-activity-replay.c), or, without one, one reading of the tree.
 * Whatever cannot be had is a family, unit or counter state with its reason
 * and its fix; nothing is printed and nothing decided.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "actsrc.h"
#include "dbgfs.h"
#include "debugfs.h"
#include "paths.h"

#define INTERRUPTS_MAX (64 << 20) /* thousands of CPUs and interrupts */
#define LATENCY_MAX (1 << 20)
#define FILTER_FDS_MAX 256         /* per-unit qi_submit filters: fds = units x CPUs */

enum mode { MODE_LIVE, MODE_REPLAY, MODE_TREE };

struct priv {
	struct ii_system *s;
	enum mode mode;
	struct ii_act_live *lv;
	struct ii_act_replay *rp;
	bool tree_done;
	uint64_t seq;
};

/* ------------------------------------------------------- events, counters */

int ii_act_ev_open(struct ii_act_live *lv, const char *name, uint32_t type,
		   const uint64_t config[3], const int *cpus, size_t ncpus)
{
	struct ii_act_ev ev;
	int rc;

	memset(&ev, 0, sizeof(ev));
	str_copy(ev.name, sizeof(ev.name), name, strlen(name));
	rc = ii_perf_ctr_open(&ev.pc, lv->env.perf, type, config, cpus, ncpus);
	if (rc < 0)
		return rc;
	lv->evs = xrealloc(lv->evs, (lv->nevs + 1) * sizeof(*lv->evs));
	lv->evs[lv->nevs] = ev;
	return (int)lv->nevs++;
}

struct ii_act_ctr *ii_act_ctr_add(struct ii_act_live *lv, enum ii_ctr_kind kind, const char *unit,
				  int ev, const char *event)
{
	struct ii_act_ctr *c = NULL;
	size_t len;

	for (size_t i = 0; i < lv->nctrs && !c; i++)
		if (lv->ctrs[i].kind == kind && !strcmp(lv->ctrs[i].unit, unit))
			c = &lv->ctrs[i];
	if (!c) {
		lv->ctrs = xrealloc(lv->ctrs, (lv->nctrs + 1) * sizeof(*lv->ctrs));
		c = &lv->ctrs[lv->nctrs++];
		memset(c, 0, sizeof(*c));
		c->kind = kind;
		c->ok = true;
		str_copy(c->unit, sizeof(c->unit), unit, strlen(unit));
	}
	len = strlen(c->event);
	snprintf(c->event + len, sizeof(c->event) - len, "%s%s", len ? "+" : "", event);
	if (ev < 0) {
		c->ok = false;
	} else {
		c->ev = xrealloc(c->ev, (c->nev + 1) * sizeof(*c->ev));
		c->ev[c->nev++] = (size_t)ev;
	}
	return c;
}

/* ------------------------------------------------------------- tracepoints */

/* The id of events/<sys>/<ev> in tracefs (either mount point): 0, or -errno. */
static int tracepoint_id(struct ii_system *s, const char *sys, const char *ev, uint64_t *id,
			 char **where)
{
	static const char *const bases[] = { II_PATH_TRACEFS, II_PATH_TRACEFS_OLD };
	int first = 0;

	*where = NULL;
	for (size_t i = 0; i < II_ARRAY_SIZE(bases); i++) {
		char *rel = xasprintf("%s/events/%s/%s/id", bases[i], sys, ev), *buf;
		long long v;
		size_t len;
		int rc = ii_root_read_file(s->root, rel, &buf, &len, 64);

		if (rc == 0) {
			rc = ii_parse_int(buf, &v) == 0 && v >= 0 ? 0 : -EINVAL;
			*id = (uint64_t)v;
			free(buf);
		}
		if (rc == 0 || (rc != -ENOENT && !first)) {
			free(*where);
			*where = ii_root_display(s->root, rel);
			first = rc;
		}
		free(rel);
		if (rc == 0)
			return 0;
		if (rc != -ENOENT)
			break;
	}
	return first ? first : -ENOENT;
}

/* tracefs is mounted at one of its places (its events/ directory is there). */
static bool tracefs_mounted(struct ii_system *s)
{
	struct stat st;

	return ii_root_stat(s->root, II_PATH_TRACEFS "/events", &st) == 0 ||
	       ii_root_stat(s->root, II_PATH_TRACEFS_OLD "/events", &st) == 0;
}

/* Why a tracepoint's id could not be had. */
static void id_failed(struct ii_system *s, struct ii_act_live *lv, const char *sys, const char *ev,
		      int rc, const char *where, struct ii_act_state *st)
{
	char *tfs = ii_root_display(s->root, II_PATH_TRACEFS);

	if (rc == -EACCES || rc == -EPERM)
		ii_act_state_set(st, II_WHY_NO_TRACEFS, rc,
				 "%s: %s: tracefs is readable by root only (mode 0700); %s", where,
				 strerror(-rc), lv->env.euid ? "run as root" : "a security policy forbids it");
	else if (rc != -ENOENT)
		ii_act_state_set(st, II_WHY_ERROR, rc, "%s: %s", where,
				 rc == -EINVAL ? "not a tracepoint id" : strerror(-rc));
	else if (!tracefs_mounted(s))
		ii_act_state_set(st, II_WHY_NO_TRACEFS, rc,
				 "tracefs is not mounted on %s, and its event ids name the tracepoints "
				 "to perf; as root: mount -t tracefs nodev %s (iommu-inspect only reads it)",
				 tfs, tfs);
	else if (!strcmp(sys, "intel_iommu") && s->kver && s->kver < 5013)
		ii_act_state_set(st, II_WHY_KERNEL_TOO_OLD, rc,
				 "tracefs has no events/%s/%s: it came in Linux 5.13", sys, ev);
	else
		ii_act_state_set(st, II_WHY_NOT_BUILT, rc,
				 "tracefs has no events/%s/%s: the kernel was built without it (%s)", sys,
				 ev, strcmp(sys, "intel_iommu") ? "CONFIG_IOMMU_API tracepoints"
								: "CONFIG_INTEL_IOMMU");
	free(tfs);
}

/* Open tracepoint sys:ev on every online CPU as counter kind of unit; filter may be NULL. */
static void open_tracepoint(struct ii_system *s, struct ii_act_live *lv, const char *sys,
			    const char *ev, enum ii_ctr_kind kind, const char *unit,
			    const char *filter, const struct ii_act_state *note)
{
	uint64_t config[3] = { 0, 0, 0 };
	struct ii_act_state st = { 0 };
	char name[64], *where;
	int rc = tracepoint_id(s, sys, ev, &config[0], &where), idx = -1;

	snprintf(name, sizeof(name), "%s:%s", sys, ev);
	if (rc < 0) {
		id_failed(s, lv, sys, ev, rc, where ? where : name, &st);
	} else if ((idx = ii_act_ev_open(lv, name, PERF_TYPE_TRACEPOINT, config, lv->cpus,
					 lv->ncpus)) < 0) {
		ii_act_perf_denied(s, &lv->env, idx, name, &st);
	} else if (filter && (rc = ii_perf_ctr_filter(&lv->evs[idx].pc, filter)) < 0) {
		ii_act_state_set(&st, II_WHY_ERROR, rc, "the filter %s on %s: %s", filter, name,
				 strerror(-rc));
		ii_perf_ctr_close(&lv->evs[idx].pc);
		lv->nevs--;
		idx = -1;
	}
	free(where);
	if (idx >= 0)
		ii_act_ctr_add(lv, kind, unit, idx, name)->state = note ? *note : st;
	else
		ii_act_ctr_add(lv, kind, unit, -1, name)->state = st;
}

static void open_tracepoints(struct ii_activity *a, struct ii_system *s, struct ii_act_live *lv)
{
	struct ii_act_state identity = { 0 }, *note = NULL, *fam = &a->family[II_ACT_TRACEPOINTS];
	size_t nintel = 0, first = lv->nctrs;
	const char *only = NULL;
	bool all_identity = s->ngroups > 0;

	if (!s->nunits) {
		char *p = ii_root_display(s->root, II_PATH_IOMMU_UNITS);
		ii_act_state_set(fam, II_WHY_NO_IOMMU, 0, "no IOMMU unit under %s: no map, unmap or "
				 "invalidation goes through one", p);
		free(p);
		return;
	}
	for (size_t i = 0; i < s->ngroups; i++)
		all_identity &= s->groups[i].domtype == II_DOM_IDENTITY;
	if (all_identity) {
		ii_act_state_set(&identity, II_WHY_IDENTITY, 0,
				 "every IOMMU group is identity (iommu=pt or the like): DMA is not "
				 "mapped; only VFIO and other unmanaged domains map");
		note = &identity;
	}
	open_tracepoint(s, lv, "iommu", "map", II_CTR_MAP, "", NULL, note);
	open_tracepoint(s, lv, "iommu", "unmap", II_CTR_UNMAP, "", NULL, note);
	for (size_t i = 0; i < s->nunits; i++)
		if (s->units[i].vendor == II_VENDOR_INTEL) {
			nintel++;
			only = s->units[i].name;
		}
	if (nintel == 1) {
		/* one unit: every descriptor is its own */
		open_tracepoint(s, lv, "intel_iommu", "qi_submit", II_CTR_QI_SUBMIT, only, NULL, NULL);
	} else if (nintel > 1 && nintel * lv->ncpus <= FILTER_FDS_MAX) {
		/* per unit, with a filter on our own fds on the event's "iommu" field */
		for (size_t i = 0; i < s->nunits; i++) {
			char filter[64];

			if (s->units[i].vendor != II_VENDOR_INTEL)
				continue;
			snprintf(filter, sizeof(filter), "iommu == \"%s\"", s->units[i].name);
			open_tracepoint(s, lv, "intel_iommu", "qi_submit", II_CTR_QI_SUBMIT,
					s->units[i].name, filter, NULL);
		}
	} else if (nintel > 1) {
		open_tracepoint(s, lv, "intel_iommu", "qi_submit", II_CTR_QI_SUBMIT, "", NULL, NULL);
	}
	/* the family: live when one tracepoint is counted, else map's reason */
	*fam = lv->ctrs[first].state;
	for (size_t i = first; i < lv->nctrs; i++)
		if (lv->ctrs[i].ok)
			*fam = (struct ii_act_state){ 0 };
	/* counted, but under identity domains nothing is mapped: the family says so (its
	   counters are still read, and stay at zero unless VFIO maps) */
	if (fam->why == II_WHY_LIVE && note && lv->ctrs[first].ok)
		*fam = *note;
}

/* ------------------------------------------------------ the other families */

static void open_interrupts(struct ii_activity *a, struct ii_system *s, struct ii_act_live *lv)
{
	char *buf;
	size_t len;
	int rc = ii_root_read_file(s->root, II_PATH_INTERRUPTS, &buf, &len, INTERRUPTS_MAX);

	free(buf);
	if (rc < 0) {
		char *p = ii_root_display(s->root, II_PATH_INTERRUPTS);
		ii_act_state_set(&a->family[II_ACT_INTERRUPTS], II_WHY_ERROR, rc, "%s: %s", p,
				 strerror(-rc));
		free(p);
	}
	lv->irq_units = xcalloc(s->nunits ? s->nunits : 1, sizeof(*lv->irq_units));
	lv->nirq_units = s->nunits;
	for (size_t i = 0; i < s->nunits; i++)
		lv->irq_units[i] = (struct ii_irq_unit){ s->units[i].name, s->units[i].vendor,
							 s->units[i].pci_function,
							 s->units[i].parent };
}

static void open_kmsg(struct ii_activity *a, struct ii_system *s, const struct ii_act_env *env)
{
	struct ii_stream st;
	int rc = ii_stream_open(s->root, &st, II_PATH_KMSG, true);

	ii_stream_close(&st);
	if (rc < 0) {
		char *p = ii_root_display(s->root, II_PATH_KMSG);
		if ((rc == -EACCES || rc == -EPERM) && env->euid)
			ii_act_state_set(&a->family[II_ACT_KMSG], II_WHY_NOT_ROOT, rc,
					 "%s: %s: kernel.dmesg_restrict keeps the log from users; run "
					 "as root or grant CAP_SYSLOG", p, strerror(-rc));
		else
			ii_act_state_set(&a->family[II_ACT_KMSG], II_WHY_ERROR, rc, "%s: %s", p,
					 strerror(-rc));
		free(p);
	}
}

static enum ii_vendor first_vendor(const struct ii_system *s)
{
	return s->nunits ? s->units[0].vendor : II_VENDOR_NONE;
}

/* dmar_perf_latency: read when it is there; live when someone enabled rows. */
static void open_latency(struct ii_activity *a, struct ii_system *s, struct ii_act_live *lv)
{
	struct ii_act_state *st = &a->family[II_ACT_LATENCY];
	enum ii_vendor v = first_vendor(s);
	struct ii_dbgfs fs;
	char *rel, *buf, *p;
	size_t len;
	int rc;

	if (v != II_VENDOR_INTEL) {
		if (v == II_VENDOR_NONE)
			ii_act_state_set(st, II_WHY_NO_IOMMU, 0, "no IOMMU unit: no invalidation to time");
		else
			ii_act_state_set(st, II_WHY_NOT_BUILT, 0, "dmar_perf_latency is Intel VT-d's; the "
					 "%s driver has no such file", ii_vendor_name(v));
		return;
	}
	ii_src_debugfs_probe(s, v, &fs);
	if (fs.state != II_DBG_OK) {
		static const enum ii_act_why map[] = {
			[II_DBG_NOT_MOUNTED] = II_WHY_ERROR,
			[II_DBG_DENIED] = II_WHY_NOT_ROOT,
			[II_DBG_LOCKDOWN] = II_WHY_ERROR,
			[II_DBG_NO_IOMMU_DEBUGFS] = II_WHY_NOT_BUILT,
			[II_DBG_NO_VENDOR_DEBUGFS] = II_WHY_NOT_BUILT,
			[II_DBG_NOT_RECORDED] = II_WHY_NOT_RECORDED,
			[II_DBG_NO_FILES] = II_WHY_NOT_BUILT,
			[II_DBG_NO_IOMMU] = II_WHY_NO_IOMMU,
		};
		ii_act_state_set(st, (size_t)fs.state < II_ARRAY_SIZE(map) ? map[fs.state] : II_WHY_ERROR,
				 0, "%s", fs.why ? fs.why : "debugfs cannot be read");
		ii_dbgfs_free(&fs);
		return;
	}
	rel = xasprintf("%s/dmar_perf_latency", fs.dir);
	ii_dbgfs_free(&fs);
	p = ii_root_display(s->root, rel);
	rc = ii_root_read_file(s->root, rel, &buf, &len, LATENCY_MAX);
	if (rc == -ENOENT) {
		ii_act_state_set(st, II_WHY_NOT_BUILT, rc, "no %s: it needs Linux 5.15 and "
				 "CONFIG_DMAR_PERF (selected by CONFIG_INTEL_IOMMU_DEBUGFS)", p);
	} else if (rc < 0) {
		ii_act_state_set(st, II_WHY_ERROR, rc, "%s: %s", p, strerror(-rc));
	} else {
		struct ii_lat lat;
		bool rows = false;

		ii_lat_init(&lat);
		for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			rows |= ii_lat_line(&lat, line, nl ? (size_t)(nl - line) : strlen(line)) ==
				II_DL_ROW;
		}
		if (!rows)
			ii_act_state_set(st, II_WHY_NOT_ENABLED, 0,
					 "%s has no rows: nobody enabled the measurement; as root, echo 1 "
					 "(IOTLB), 2 (device TLB) or 3 (interrupt cache) > that file "
					 "(iommu-inspect never writes it)", p);
		free(buf);
		lv->latency_rel = rel;
		rel = NULL;
	}
	free(p);
	free(rel);
}

static void open_hotplug(struct ii_activity *a, struct ii_act_live *lv)
{
	int rc;

	if (!lv->env.hotplug) {
		ii_act_state_set(&a->family[II_ACT_HOTPLUG], II_WHY_NOT_RECORDED, 0,
				 "no udev monitor was asked for");
		return;
	}
	rc = ii_hotplug_open(&lv->mon);
	if (rc < 0)
		ii_act_state_set(&a->family[II_ACT_HOTPLUG], II_WHY_ERROR, rc,
				 "the libudev monitor of PCI devices could not be opened: %s",
				 strerror(-rc));
}

/* --------------------------------------------------------------- opening */

static void open_live(struct ii_activity *a, struct ii_system *s, struct priv *pv,
		      const struct ii_act_env *env)
{
	struct ii_act_live *lv = xcalloc(1, sizeof(*lv));
	char *buf = NULL;
	size_t len;
	int rc;

	pv->lv = lv;
	lv->env = *env;
	rc = ii_root_read_file(s->root, II_PATH_CPUS_ONLINE, &buf, &len, 65536);
	if (rc < 0 || ii_parse_cpulist(buf, &lv->cpus, &lv->ncpus) < 0 || !lv->ncpus) {
		char *p = ii_root_display(s->root, II_PATH_CPUS_ONLINE);
		ii_warn(&s->diags, "%s: %s; counting on CPU 0 only", p,
			rc < 0 ? strerror(-rc) : "not a CPU list");
		free(p);
		free(lv->cpus);
		lv->cpus = xcalloc(1, sizeof(*lv->cpus));
		lv->ncpus = 1;
	}
	free(buf);
	open_interrupts(a, s, lv);
	open_kmsg(a, s, env);
	open_tracepoints(a, s, lv);
	ii_act_pmu_open(a, s, lv);
	open_latency(a, s, lv);
	open_hotplug(a, lv);
}

/* A recorded tree without a recording: one reading of it, every family not recorded. */
static void open_tree(struct ii_activity *a, struct ii_system *s)
{
	char *p = ii_root_display(s->root, II_PATH_ACTIVITY);

	for (size_t f = 0; f < II_ACT_FAMILIES; f++)
		ii_act_state_set(&a->family[f], II_WHY_NOT_RECORDED, 0,
				 "a recorded tree without %s: it holds no activity (record some with "
				 "snapshot --activity SECS on the live system)", p);
	free(p);
	a->units = xcalloc(s->nunits ? s->nunits : 1, sizeof(*a->units));
	a->nunits = s->nunits;
	for (size_t i = 0; i < s->nunits; i++) {
		str_copy(a->units[i].unit, sizeof(a->units[i].unit), s->units[i].name,
			 strlen(s->units[i].name));
		a->units[i].state = a->family[II_ACT_PMU];
	}
}

void ii_act_open_env(struct ii_activity *a, struct ii_system *s, const struct ii_act_env *env)
{
	struct priv *pv = xcalloc(1, sizeof(*pv));
	int rc;

	memset(a, 0, sizeof(*a));
	a->root = s->root;
	a->priv = pv;
	pv->s = s;
	if (env->live) {
		pv->mode = MODE_LIVE;
		open_live(a, s, pv, env);
		return;
	}
	a->replay = true;
	rc = ii_act_replay_open(a, s, &pv->rp);
	if (rc == 0) {
		pv->mode = MODE_REPLAY;
		a->recorded = true;
		return;
	}
	pv->mode = MODE_TREE;
	open_tree(a, s);
	if (rc != -ENOENT) {
		char *p = ii_root_display(s->root, II_PATH_ACTIVITY);
		ii_warn(&s->diags, "%s: %s; its activity is not replayed", p, strerror(-rc));
		free(p);
	}
}

void ii_act_open(struct ii_activity *a, struct ii_system *s)
{
	struct ii_act_env env = {
		.live = ii_root_is_live(s->root),
		.euid = (unsigned)geteuid(),
		.perf = &ii_perf_sys,
		.hotplug = true,
	};

	ii_act_open_env(a, s, &env);
}

/* --------------------------------------------------------------- reading */

static void read_irqs(struct ii_system *s, const struct ii_irq_unit *u, size_t nu,
		      struct ii_act_reading *out)
{
	char *buf;
	size_t len;

	if (ii_root_read_file(s->root, II_PATH_INTERRUPTS, &buf, &len, INTERRUPTS_MAX) == 0) {
		out->nirqs = ii_parse_irq_rows(buf, u, nu, &out->irqs);
		free(buf);
	}
}

static void read_live(struct priv *pv, struct ii_act_reading *out)
{
	struct ii_act_live *lv = pv->lv;
	struct timespec ts;
	size_t cap = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	out->t_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	clock_gettime(CLOCK_REALTIME, &ts);
	out->wall_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	for (size_t i = 0; i < lv->nevs; i++) {
		struct ii_act_ev *e = &lv->evs[i];

		e->read_err = e->pc.nfds ? ii_perf_ctr_read(&e->pc, &e->value, &e->enabled, &e->running)
					 : -ENODEV;
	}
	out->ctrs = xcalloc(lv->nctrs ? lv->nctrs : 1, sizeof(*out->ctrs));
	out->nctrs = lv->nctrs;
	for (size_t i = 0; i < lv->nctrs; i++) {
		const struct ii_act_ctr *c = &lv->ctrs[i];
		struct ii_ctr_value *v = &out->ctrs[i];

		v->kind = c->kind;
		memcpy(v->unit, c->unit, sizeof(v->unit));
		memcpy(v->event, c->event, sizeof(v->event));
		v->state = c->state;
		v->ok = c->ok;
		for (size_t k = 0; v->ok && k < c->nev; k++) {
			const struct ii_act_ev *e = &lv->evs[c->ev[k]];

			if (e->read_err) {
				v->ok = false;
				v->value = v->enabled_ns = v->running_ns = 0;
				ii_act_state_set(&v->state, II_WHY_ERROR, e->read_err,
						 e->read_err == -EAGAIN
							 ? "%s has not been counted yet: the PMU's counters "
							   "are shared (multiplexed) and others had them"
							 : "reading %s: %s (the PMU went away?)",
						 e->name, strerror(-e->read_err));
				break;
			}
			v->value += e->value;
			v->enabled_ns += e->enabled;
			v->running_ns += e->running;
		}
	}
	read_irqs(pv->s, lv->irq_units, lv->nirq_units, out);
	ii_hotplug_drain(lv->mon, &out->hotplug, &out->nhotplug, &cap);
	if (lv->latency_rel) {
		char *buf;
		size_t len;

		if (ii_root_read_file(pv->s->root, lv->latency_rel, &buf, &len, LATENCY_MAX) == 0)
			out->latency_text = buf;
	}
}

/* The tree's own state, once: its interrupts and its latency file as recorded. */
static void read_tree(struct priv *pv, struct ii_act_reading *out)
{
	struct ii_system *s = pv->s;
	struct ii_irq_unit *u = xcalloc(s->nunits ? s->nunits : 1, sizeof(*u));

	for (size_t i = 0; i < s->nunits; i++)
		u[i] = (struct ii_irq_unit){ s->units[i].name, s->units[i].vendor,
					     s->units[i].pci_function, s->units[i].parent };
	read_irqs(s, u, s->nunits, out);
	free(u);
}

int ii_act_read(struct ii_activity *a, struct ii_act_reading *out)
{
	struct priv *pv = a->priv;
	struct ii_act_reading r;
	int rc;

	if (!pv)
		return -EBADF;
	memset(&r, 0, sizeof(r));
	switch (pv->mode) {
	case MODE_LIVE:
		read_live(pv, &r);
		break;
	case MODE_REPLAY:
		rc = ii_act_replay_read(pv->rp, &r);
		if (rc <= 0)
			return rc;
		break;
	case MODE_TREE:
		if (pv->tree_done)
			return 0;
		pv->tree_done = true;
		read_tree(pv, &r);
		break;
	}
	if (pv->mode != MODE_REPLAY || !r.seq)
		r.seq = pv->seq + 1;
	pv->seq = r.seq;
	*out = r;
	return 1;
}

int ii_act_fd(const struct ii_activity *a)
{
	const struct priv *pv = a->priv;

	return pv && pv->lv ? ii_hotplug_fd(pv->lv->mon) : -1;
}

void ii_act_close(struct ii_activity *a)
{
	struct priv *pv = a->priv;

	if (pv && pv->lv) {
		struct ii_act_live *lv = pv->lv;

		for (size_t i = 0; i < lv->nevs; i++)
			ii_perf_ctr_close(&lv->evs[i].pc);
		for (size_t i = 0; i < lv->nctrs; i++)
			free(lv->ctrs[i].ev);
		free(lv->evs);
		free(lv->ctrs);
		free(lv->cpus);
		free(lv->irq_units);
		free(lv->latency_rel);
		ii_hotplug_close(lv->mon);
		free(lv);
	}
	if (pv && pv->rp)
		ii_act_replay_close(pv->rp);
	free(pv);
	free(a->units);
	memset(a, 0, sizeof(*a));
}
