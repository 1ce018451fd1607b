// SPDX-License-Identifier: MIT
/*
 * The IOMMU PMUs (kernel-interfaces §7, §12.1) of the live system, each
 * matched with its unit, opened in counting mode on the CPU of its cpumask:
 *
 *   dmarN              the Intel unit of the same name (Linux 6.3+, VT-d 4.0 hardware)
 *   amd_iommu_N        the AMD unit ivhdN (the Nth AMD unit), when EFR.PC is set
 *   smmuv3_pmcg_<hex>  a PMCG at <hex> << 12: the Arm SMMUv3 whose registers are at or
 *                      below it within 1 MiB. Best effort: IORT ties a PMCG to its SMMU
 *                      (or to a named component) and sysfs does not say which; a PMCG
 *                      matched to no unit keeps its own name as the counter's unit.
 *
 * The events of each PMU are read from its events/ directory and placed
 * through its format/ fields (src/parse/parse-pmu.c), never hard-coded: a
 * PMU advertises only the events its hardware has. A unit without a PMU
 * gets the reason: the kernel (older than 6.3 for VT-d), the hardware
 * (ECAP.PMS, CAP.ECMDS; EFR.PC), or the build.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actsrc.h"
#include "paths.h"

/* The events each vendor's PMU has that the view uses, and what they count. */
struct ev_map {
	const char *event;
	enum ii_ctr_kind kind;
};

static const struct ev_map intel_events[] = {
	{ "iotlb_lookup", II_CTR_IOTLB_LOOKUP },
	{ "iotlb_hit", II_CTR_IOTLB_HIT },
	{ "ctxt_cache_lookup", II_CTR_CTX_LOOKUP },
	{ "pasid_cache_lookup", II_CTR_CTX_LOOKUP },
	{ "ctxt_cache_hit", II_CTR_CTX_HIT },
	{ "pasid_cache_hit", II_CTR_CTX_HIT },
};

static const struct ev_map amd_events[] = {
	{ "mem_iommu_tlb_pte_hit", II_CTR_IOTLB_HIT },
	{ "mem_iommu_tlb_pde_hit", II_CTR_IOTLB_HIT },
	{ "mem_iommu_tlb_pte_mis", II_CTR_IOTLB_MISS },
	{ "mem_iommu_tlb_pde_mis", II_CTR_IOTLB_MISS },
	/* a device-table lookup either hits or misses: one event counts in both kinds */
	{ "mem_dte_hit", II_CTR_CTX_LOOKUP },
	{ "mem_dte_mis", II_CTR_CTX_LOOKUP },
	{ "mem_dte_hit", II_CTR_CTX_HIT },
	{ "tlb_inv", II_CTR_INVALIDATIONS },
};

static const struct ev_map arm_events[] = {
	{ "transaction", II_CTR_IOTLB_LOOKUP },
	{ "tlb_miss", II_CTR_IOTLB_MISS },
};

#define PMCG_PREFIX "smmuv3_pmcg_"
#define PMCG_REACH 0x100000 /* how far above its SMMU's registers a PMCG is taken as its */

void ii_act_state_set(struct ii_act_state *st, enum ii_act_why why, int err, const char *fmt, ...)
{
	va_list ap;

	st->why = why;
	st->err = err;
	va_start(ap, fmt);
	vsnprintf(st->detail, sizeof(st->detail), fmt, ap);
	va_end(ap);
}

void ii_act_perf_denied(struct ii_system *s, const struct ii_act_env *env, int err,
			const char *what, struct ii_act_state *st)
{
	char buf[32], *path = ii_root_display(s->root, II_PATH_PERF_PARANOID);
	size_t len;
	char *text = NULL;
	long long v = 0;
	bool known = ii_root_read_file(s->root, II_PATH_PERF_PARANOID, &text, &len, 64) == 0 &&
		     ii_parse_int(text, &v) == 0;

	free(text);
	if (err != -EACCES && err != -EPERM) {
		ii_act_state_set(st, II_WHY_ERROR, err, "perf_event_open of %s: %s", what,
				 strerror(-err));
	} else if (env->euid == 0) {
		ii_act_state_set(st, II_WHY_ERROR, err,
				 "perf_event_open of %s was refused even to root (%s): a security "
				 "policy (lockdown, seccomp, a container) forbids perf events", what,
				 strerror(-err));
	} else if (known && v > 0) {
		snprintf(buf, sizeof(buf), "%lld", v);
		ii_act_state_set(st, II_WHY_PARANOID, err,
				 "%s is %s: CPU-wide perf events need root, CAP_PERFMON, or the sysctl "
				 "at 0 or below; run as root, grant CAP_PERFMON, or lower "
				 "kernel.perf_event_paranoid", path, buf);
	} else {
		ii_act_state_set(st, II_WHY_NOT_ROOT, err,
				 "perf_event_open of %s was refused (%s): run as root or grant "
				 "CAP_PERFMON", what, strerror(-err));
	}
	free(path);
}

/* ------------------------------------------------------------ sysfs of a PMU */

struct pmu {
	char name[64];
	uint32_t type;
	struct ii_pmu_field *fields;
	size_t nfields;
	int cpu;
};

static void pmu_free(struct pmu *p)
{
	free(p->fields);
	memset(p, 0, sizeof(*p));
}

/* Read type, format/ and cpumask of a PMU: 0, or -errno with st set. */
static int pmu_read(struct ii_system *s, const struct ii_act_live *lv, const char *name,
		    struct pmu *p, struct ii_act_state *st)
{
	struct strlist fmt = { 0 };
	struct ii_dir d, fd;
	char buf[256];
	long long v;
	int rc;

	memset(p, 0, sizeof(*p));
	str_copy(p->name, sizeof(p->name), name, strlen(name));
	p->cpu = lv->ncpus ? lv->cpus[0] : 0;
	rc = ii_dir_open(s->root, &d, "%s/%s", II_PATH_PMUS, name);
	if (rc == 0 && (rc = (int)ii_dir_read(&d, "type", buf, sizeof(buf))) >= 0) {
		rc = ii_parse_int(buf, &v) == 0 && v >= 0 && v <= UINT32_MAX ? 0 : -EINVAL;
		p->type = (uint32_t)v;
	}
	if (rc < 0) {
		char *path = ii_dir_display(&d, "type");
		ii_act_state_set(st, II_WHY_ERROR, rc, "%s: %s", path,
				 rc == -EINVAL ? "not a PMU type number" : strerror(-rc));
		free(path);
		ii_dir_close(&d);
		return rc;
	}
	/* the CPU the driver counts on; else the first online one */
	if (ii_dir_read(&d, "cpumask", buf, sizeof(buf)) >= 0) {
		int *cpus;
		size_t n;

		if (ii_parse_cpulist(buf, &cpus, &n) == 0 && n)
			p->cpu = cpus[0];
		free(cpus);
	}
	rc = ii_dir_open_at(&d, &fd, "format");
	if (rc == 0)
		rc = ii_dir_list(&fd, NULL, &fmt);
	for (size_t i = 0; rc == 0 && i < fmt.n; i++) {
		const char *why;

		if (ii_dir_read(&fd, fmt.v[i], buf, sizeof(buf)) < 0)
			continue;
		p->fields = xrealloc(p->fields, (p->nfields + 1) * sizeof(*p->fields));
		if (ii_parse_pmu_format(fmt.v[i], buf, &p->fields[p->nfields], &why) == 0) {
			p->nfields++;
		} else {
			char *path = ii_dir_display(&fd, fmt.v[i]);
			ii_warn(&s->diags, "%s: %s (\"%s\"); events using that field are not counted",
				path, why, rtrim(buf));
			free(path);
		}
	}
	if (rc < 0) {
		char *path = ii_dir_display(&d, "format");
		ii_act_state_set(st, II_WHY_ERROR, rc, "%s: %s", path, strerror(-rc));
		free(path);
	}
	sl_free(&fmt);
	ii_dir_close(&fd);
	ii_dir_close(&d);
	return rc;
}

/*
 * Open the PMU's events of the map that it advertises, as counters of unit.
 * st: LIVE when one opened, else the first failure (or none advertised).
 */
static void pmu_open_events(struct ii_system *s, struct ii_act_live *lv, const struct pmu *p,
			    const char *unit, const struct ev_map *map, size_t nmap,
			    struct ii_act_state *st)
{
	struct ii_act_state first = { .why = II_WHY_LIVE };
	size_t opened = 0, advertised = 0;
	struct ii_dir d;
	int rc = ii_dir_open(s->root, &d, "%s/%s/events", II_PATH_PMUS, p->name);
	int *evidx = xcalloc(nmap, sizeof(*evidx));
	bool *tried = xcalloc(nmap, sizeof(*tried));

	for (size_t i = 0; i < nmap; i++) {
		struct ii_act_state es = { .why = II_WHY_LIVE };
		char buf[256], name[96];
		uint64_t config[3];
		const char *why;
		int ev = -1;
		size_t j;

		evidx[i] = -1;
		snprintf(name, sizeof(name), "%s/%s/", p->name, map[i].event);
		/* the same event for a second kind: the same fd */
		for (j = 0; j < i; j++)
			if (!strcmp(map[j].event, map[i].event))
				break;
		if (j < i) {
			if (!tried[j])
				continue;
			ev = evidx[i] = evidx[j];
			tried[i] = true;
			if (ev >= 0)
				ii_act_ctr_add(lv, map[i].kind, unit, ev, name);
			else
				ii_act_ctr_add(lv, map[i].kind, unit, -1, name)->state = first;
			continue;
		}
		if (rc < 0 || ii_dir_read(&d, map[i].event, buf, sizeof(buf)) < 0)
			continue; /* not advertised by this hardware */
		advertised++;
		tried[i] = true;
		if (ii_pmu_place(p->fields, p->nfields, buf, config, &why) < 0) {
			char *path = ii_dir_display(&d, map[i].event);
			ii_warn(&s->diags, "%s: %s (\"%s\"); not counted", path, why, rtrim(buf));
			ii_act_state_set(&es, II_WHY_ERROR, -EINVAL, "%s: %s", path, why);
			free(path);
		} else if ((ev = ii_act_ev_open(lv, name, p->type, config, &p->cpu, 1)) < 0) {
			ii_act_perf_denied(s, &lv->env, ev, name, &es);
		} else {
			opened++;
		}
		evidx[i] = ev;
		if (ev >= 0) {
			ii_act_ctr_add(lv, map[i].kind, unit, ev, name);
		} else {
			/* a sum with a part missing would be wrong: the counter is not read */
			ii_act_ctr_add(lv, map[i].kind, unit, -1, name)->state = es;
			if (first.why == II_WHY_LIVE)
				first = es;
		}
	}
	if (opened)
		*st = (struct ii_act_state){ .why = II_WHY_LIVE };
	else if (first.why != II_WHY_LIVE)
		*st = first;
	else if (!advertised) {
		char *path = ii_dir_display(&d, NULL);
		ii_act_state_set(st, II_WHY_NO_PMU_HW, 0,
				 "%s lists none of the events the view counts (%s ...)", path, map[0].event);
		free(path);
	}
	free(evidx);
	free(tried);
	ii_dir_close(&d);
}

/* ------------------------------------------------------------- matching */

static uint64_t unit_address(const struct ii_unit *u)
{
	const char *p = strstr(u->name, ".0x");

	if (u->valid & II_UV_ADDRESS)
		return u->address;
	return p ? strtoull(p + 1, NULL, 16) : 0;
}

/* The address of a PMCG's registers: its name holds it shifted right by 12. */
static uint64_t pmcg_base(const char *pmcg)
{
	return strtoull(pmcg + strlen(PMCG_PREFIX), NULL, 16) << 12;
}

/* The Arm unit a PMCG belongs to: the highest SMMU base at or below it within reach. */
static const struct ii_unit *pmcg_unit(const struct ii_system *s, const char *pmcg)
{
	const struct ii_unit *best = NULL;
	uint64_t base = pmcg_base(pmcg), best_addr = 0;

	for (size_t i = 0; i < s->nunits; i++) {
		const struct ii_unit *u = &s->units[i];
		uint64_t a = unit_address(u);

		if (u->vendor != II_VENDOR_ARM_SMMU_V3 || !a || a > base || base - a >= PMCG_REACH)
			continue;
		if (!best || a > best_addr) {
			best = u;
			best_addr = a;
		}
	}
	return best;
}

/* The index N of amd_iommu_N for an AMD unit: ivhdN, else its rank among the AMD units. */
static unsigned amd_index(const struct ii_system *s, const struct ii_unit *u)
{
	unsigned idx = 0;
	char *end;

	if (str_starts(u->name, "ivhd") && u->name[4]) {
		unsigned long v = strtoul(u->name + 4, &end, 10);

		if (!*end)
			return (unsigned)v;
	}
	for (size_t i = 0; i < s->nunits && &s->units[i] != u; i++)
		if (s->units[i].vendor == II_VENDOR_AMD)
			idx++;
	return idx;
}

/* Why a unit has no PMU directory. */
static void no_pmu(struct ii_system *s, const struct ii_unit *u, const char *pmu, int list_err,
		   struct ii_act_state *st)
{
	char *dir = ii_root_display(s->root, II_PATH_PMUS);

	if (list_err && list_err != -ENOENT) {
		ii_act_state_set(st, II_WHY_ERROR, list_err, "%s: %s", dir, strerror(-list_err));
	} else if (u->vendor == II_VENDOR_INTEL) {
		bool known = (u->valid & II_UV_CAP) && (u->valid & II_UV_ECAP);
		bool pms = (u->ecap >> 51) & 1, ecmds = (u->cap >> 61) & 1;

		if (known && (!pms || !ecmds))
			ii_act_state_set(st, II_WHY_NO_PMU_HW, 0,
					 "%s has no performance monitoring (%s): it came with VT-d 4.0 "
					 "(Sapphire Rapids and later); no emulator has it", u->name,
					 !pms ? "ECAP.PMS, bit 51, is 0" : "CAP.ECMDS, bit 61, is 0");
		else if (s->kver && s->kver < 6003)
			ii_act_state_set(st, II_WHY_KERNEL_TOO_OLD, 0,
					 "the VT-d PMU (%s/%s) came in Linux 6.3; this kernel is %s", dir,
					 pmu, s->kernel_release ? s->kernel_release : "older");
		else
			ii_act_state_set(st, II_WHY_NOT_BUILT, 0,
					 "no %s/%s: the kernel was built without "
					 "CONFIG_INTEL_IOMMU_PERF_EVENTS, or registering it failed (the "
					 "log says \"Failed to register PMU\")", dir, pmu);
	} else if (u->vendor == II_VENDOR_AMD) {
		if ((u->valid & II_UV_FEATURES) && !((u->features.efr >> 9) & 1))
			ii_act_state_set(st, II_WHY_NO_PMU_HW, 0,
					 "%s has no performance counters (EFR.PC, bit 9, is 0)", u->name);
		else
			ii_act_state_set(st, II_WHY_NOT_BUILT, 0,
					 "no %s/%s: the perf driver did not register it (the log's "
					 "\"perf/amd_iommu\" line says why)", dir, pmu);
	} else if (u->vendor == II_VENDOR_ARM_SMMU_V3) {
		ii_act_state_set(st, II_WHY_NO_PMU_HW, 0,
				 "no %s" PMCG_PREFIX "* near %s: the firmware (IORT) describes no PMCG "
				 "for it, or the arm_smmuv3_pmu driver is not loaded", dir, u->name);
	} else {
		ii_act_state_set(st, II_WHY_NO_PMU_HW, 0, "the %s driver has no perf PMU",
				 ii_vendor_name(u->vendor));
	}
	free(dir);
}

static void open_unit_pmu(struct ii_system *s, struct ii_act_live *lv, struct ii_act_unit *au,
			  const char *pmu_name, const char *unit, const struct ev_map *map,
			  size_t nmap)
{
	struct pmu p;

	if (pmu_read(s, lv, pmu_name, &p, &au->state) == 0)
		pmu_open_events(s, lv, &p, unit, map, nmap, &au->state);
	pmu_free(&p);
}

void ii_act_pmu_open(struct ii_activity *a, struct ii_system *s, struct ii_act_live *lv)
{
	struct strlist pmus = { 0 };
	struct ii_dir d;
	int list_err = ii_dir_open(s->root, &d, "%s", II_PATH_PMUS);
	bool any_live = false;

	if (!list_err)
		list_err = ii_dir_list(&d, NULL, &pmus);
	ii_dir_close(&d);
	a->units = xcalloc(s->nunits ? s->nunits : 1, sizeof(*a->units));
	a->nunits = s->nunits;
	for (size_t i = 0; i < s->nunits; i++) {
		const struct ii_unit *u = &s->units[i];
		struct ii_act_unit *au = &a->units[i];
		char want[64] = "";

		str_copy(au->unit, sizeof(au->unit), u->name, strlen(u->name));
		if (u->vendor == II_VENDOR_INTEL)
			snprintf(want, sizeof(want), "%s", u->name);
		else if (u->vendor == II_VENDOR_AMD)
			snprintf(want, sizeof(want), "amd_iommu_%u", amd_index(s, u));
		if (u->vendor == II_VENDOR_ARM_SMMU_V3) {
			/*
			 * The first (lowest) PMCG: the one in the SMMU's own register
			 * pages, which counts at the TCU; those of TBUs count the same
			 * transactions again elsewhere, and adding them would count twice.
			 */
			size_t pick = pmus.n;

			for (size_t k = 0; k < pmus.n; k++)
				if (str_starts(pmus.v[k], PMCG_PREFIX) && pmcg_unit(s, pmus.v[k]) == u &&
				    (pick == pmus.n || pmcg_base(pmus.v[k]) < pmcg_base(pmus.v[pick])))
					pick = k;
			if (pick < pmus.n) {
				str_copy(au->pmu, sizeof(au->pmu), pmus.v[pick], strlen(pmus.v[pick]));
				open_unit_pmu(s, lv, au, pmus.v[pick], u->name, arm_events,
					      II_ARRAY_SIZE(arm_events));
			} else {
				no_pmu(s, u, PMCG_PREFIX "*", list_err, &au->state);
			}
		} else if (*want && sl_contains(&pmus, want)) {
			str_copy(au->pmu, sizeof(au->pmu), want, strlen(want));
			if (u->vendor == II_VENDOR_INTEL)
				open_unit_pmu(s, lv, au, want, u->name, intel_events,
					      II_ARRAY_SIZE(intel_events));
			else
				open_unit_pmu(s, lv, au, want, u->name, amd_events,
					      II_ARRAY_SIZE(amd_events));
		} else {
			no_pmu(s, u, want, list_err, &au->state);
		}
		any_live |= au->state.why == II_WHY_LIVE;
	}
	/* PMCGs of no unit (and the further PMCGs of a unit): counted under their own name */
	for (size_t k = 0; k < pmus.n; k++) {
		struct ii_act_state st = { 0 };
		bool taken = false;

		for (size_t i = 0; i < a->nunits; i++)
			taken |= !strcmp(a->units[i].pmu, pmus.v[k]);
		if (str_starts(pmus.v[k], PMCG_PREFIX) && !taken) {
			struct pmu p;

			if (pmu_read(s, lv, pmus.v[k], &p, &st) == 0)
				pmu_open_events(s, lv, &p, pmus.v[k], arm_events,
						II_ARRAY_SIZE(arm_events), &st);
			pmu_free(&p);
		}
	}
	sl_free(&pmus);

	/* the family: live when one unit's PMU is; else the reason a user can act on first */
	if (!s->nunits) {
		char *p = ii_root_display(s->root, II_PATH_IOMMU_UNITS);
		ii_act_state_set(&a->family[II_ACT_PMU], II_WHY_NO_IOMMU, 0,
				 "no IOMMU unit under %s", p);
		free(p);
	} else if (any_live) {
		a->family[II_ACT_PMU] = (struct ii_act_state){ 0 };
	} else {
		size_t pick = 0;

		for (size_t i = 0; i < a->nunits; i++)
			if (a->units[i].state.why == II_WHY_PARANOID ||
			    a->units[i].state.why == II_WHY_NOT_ROOT) {
				pick = i;
				break;
			}
		a->family[II_ACT_PMU] = a->units[pick].state;
	}
}
