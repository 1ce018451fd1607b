// SPDX-License-Identifier: MIT
/*
 * The activity source's live side (src/source/source-activity.c,
 * source-activity-pmu.c, source-perf.c): the states and their reasons on
 * made-up trees driven as if live with a fake perf_event_open (struct
 * ii_act_env), the PMU events each vendor's PMU gives and how they add up,
 * and the perf code path for real on this host's software events. The
 * replay and the recorder are in test-activity-replay.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "act-tree.h"
#include "actsrc.h"
#include "fixture.h"
#include "model.h"
#include "paths.h"
#include "test.h"

static bool busy(int64_t ms);

/* ------------------------------------------------------------- fake perf */

struct fake {
	int err;                  /* every open fails with it (0: succeeds) */
	int read_err;             /* every read fails with it */
	size_t nopen, nclose;
	struct { uint32_t type; uint64_t config[3]; int cpu; } opened[64];
};

static int fake_open(uint32_t type, const uint64_t config[3], int cpu, void *ctx)
{
	struct fake *f = ctx;

	if (f->err)
		return f->err;
	if (f->nopen < 64) {
		f->opened[f->nopen].type = type;
		memcpy(f->opened[f->nopen].config, config, sizeof(f->opened[0].config));
		f->opened[f->nopen].cpu = cpu;
	}
	return 1000 + (int)f->nopen++;
}

/* fd 1000+n counts n+1 events while running half of the time it was enabled */
static ssize_t fake_read(int fd, uint64_t v[3], void *ctx)
{
	struct fake *f = ctx;

	if (f->read_err)
		return f->read_err;
	v[0] = (uint64_t)(fd - 1000 + 1);
	v[1] = 200;
	v[2] = 100;
	return 3 * sizeof(uint64_t);
}

static int fake_filter(int fd, const char *filter, void *ctx)
{
	(void)fd;
	(void)filter;
	(void)ctx;
	return 0;
}

static void fake_close(int fd, void *ctx)
{
	(void)fd;
	((struct fake *)ctx)->nclose++;
}

static const struct ii_perf_ops *fake_ops(struct fake *f)
{
	static struct ii_perf_ops ops = { fake_open, fake_read, fake_filter, fake_close, NULL };

	ops.ctx = f;
	return &ops;
}

static void open_fake(struct ii_activity *a, struct ii_system *s, struct fake *f, unsigned euid)
{
	struct ii_act_env env = { .live = true, .euid = euid, .perf = fake_ops(f), .hotplug = false };

	ii_act_open_env(a, s, &env);
}

/* ----------------------------------------------------------------- trees */

static void intel_tree(const char *d, const char *release, bool pms, bool pmu, bool tracefs)
{
	char ver[128];

	snprintf(ver, sizeof(ver), "Linux version %s (x@y) #1 SMP\n", release);
	put(d, "proc/version", ver);
	put(d, "proc/interrupts", "           CPU0       CPU1\n"
				  " 24:         16          4  DMAR-MSI   0-edge      dmar0\n");
	put(d, "dev/kmsg", "6,1,0,-;Linux version\n");
	put(d, "sys/devices/system/cpu/online", "0-1\n");
	/* QEMU's registers, with ECMDS (cap bit 61) and PMS (ecap bit 51) added when pms */
	put(d, "sys/class/iommu/dmar0/intel-iommu/cap", pms ? "20d2008c22260286\n" : "d2008c22260286\n");
	put(d, "sys/class/iommu/dmar0/intel-iommu/ecap", pms ? "8000000f00f4a\n" : "f00f4a\n");
	put(d, "sys/kernel/iommu_groups/0/type", "DMA\n");
	put_dir(d, "sys/kernel/iommu_groups/0/devices");
	put_dir(d, "sys/bus/event_source/devices/software");
	if (pmu) {
		put(d, "sys/bus/event_source/devices/dmar0/type", "12\n");
		put(d, "sys/bus/event_source/devices/dmar0/cpumask", "1\n");
		put(d, "sys/bus/event_source/devices/dmar0/format/event", "config:0-27\n");
		put(d, "sys/bus/event_source/devices/dmar0/format/event_group", "config:28-31\n");
		put(d, "sys/bus/event_source/devices/dmar0/events/iotlb_lookup",
		    "event_group=0x3,event=0x001\n");
		put(d, "sys/bus/event_source/devices/dmar0/events/iotlb_hit",
		    "event_group=0x3,event=0x002\n");
		put(d, "sys/bus/event_source/devices/dmar0/events/ctxt_cache_lookup",
		    "event_group=0x2,event=0x001\n");
		put(d, "sys/bus/event_source/devices/dmar0/events/ctxt_cache_hit",
		    "event_group=0x2,event=0x002\n");
		put(d, "sys/bus/event_source/devices/dmar0/events/pasid_cache_lookup",
		    "event_group=0x2,event=0x004\n");
		put(d, "sys/bus/event_source/devices/dmar0/events/pasid_cache_hit",
		    "event_group=0x2,event=0x008\n");
		put(d, "sys/bus/event_source/devices/dmar0/events/iommu_clocks",
		    "event_group=0x0,event=0x001\n");
	}
	if (tracefs) {
		put(d, "sys/kernel/tracing/events/iommu/map/id", "101\n");
		put(d, "sys/kernel/tracing/events/iommu/unmap/id", "102\n");
		put(d, "sys/kernel/tracing/events/intel_iommu/qi_submit/id", "103\n");
	} else {
		put_dir(d, "sys/kernel/tracing");
	}
}

/* --------------------------------------------------------------- states */

TEST(act_paranoid_no_tracefs)
{
	char *d = mk_tree();
	struct ii_activity a;
	struct ii_system s;
	struct ii_root *r;
	struct fake f = { .err = -EACCES };

	if (!d)
		return;
	intel_tree(d, "6.8.0-1-amd64", true, true, false);
	put(d, "proc/sys/kernel/perf_event_paranoid", "3\n");
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 1000);
		CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_PARANOID);
		CHECK(strstr(a.family[II_ACT_PMU].detail, "perf_event_paranoid is 3") != NULL);
		CHECK(strstr(a.family[II_ACT_PMU].detail, "CAP_PERFMON") != NULL);
		CHECK_INT(a.family[II_ACT_PMU].err, -EACCES);
		CHECK_INT(a.family[II_ACT_TRACEPOINTS].why, II_WHY_NO_TRACEFS);
		CHECK(strstr(a.family[II_ACT_TRACEPOINTS].detail, "mount -t tracefs") != NULL);
		CHECK_INT(a.family[II_ACT_INTERRUPTS].why, II_WHY_LIVE);
		CHECK_INT(a.family[II_ACT_KMSG].why, II_WHY_LIVE);
		CHECK_INT(a.nunits, 1);
		CHECK(a.nunits == 1 && a.units[0].state.why == II_WHY_PARANOID &&
		      !strcmp(a.units[0].pmu, "dmar0"));
		ii_act_close(&a);

		/* without the sysctl to quote: not root, and the fix */
		unload(r, &s);
		put(d, "proc/sys/kernel/perf_event_paranoid", "");
		load(d, &r, &s);
		open_fake(&a, &s, &f, 1000);
		CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_NOT_ROOT);
		CHECK(strstr(a.family[II_ACT_PMU].detail, "run as root") != NULL);
		ii_act_close(&a);
		/* refused to root: a policy, said as an error */
		f.err = -EPERM;
		open_fake(&a, &s, &f, 0);
		CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_ERROR);
		CHECK(strstr(a.family[II_ACT_PMU].detail, "even to root") != NULL);
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(d);
}

TEST(act_no_pmu_reasons)
{
	char *d = mk_tree();
	struct ii_activity a;
	struct ii_system s;
	struct ii_root *r;
	struct fake f = { 0 };

	if (!d)
		return;
	/* 6.1: no VT-d PMU yet, though the hardware has one */
	intel_tree(d, "6.1.0-56-amd64", true, false, true);
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 0);
		CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_KERNEL_TOO_OLD);
		CHECK(strstr(a.family[II_ACT_PMU].detail, "6.3") != NULL);
		CHECK_INT(a.family[II_ACT_TRACEPOINTS].why, II_WHY_LIVE);
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(d);

	/* QEMU's VT-d: no PMS, whatever the kernel */
	d = mk_tree();
	intel_tree(d, "6.12.0-1-amd64", false, false, true);
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 0);
		CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_NO_PMU_HW);
		CHECK(strstr(a.family[II_ACT_PMU].detail, "ECAP.PMS") != NULL);
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(d);

	/* PMS, a new kernel, and still no PMU: the build */
	d = mk_tree();
	intel_tree(d, "6.12.0-1-amd64", true, false, true);
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 0);
		CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_NOT_BUILT);
		CHECK(strstr(a.family[II_ACT_PMU].detail, "CONFIG_INTEL_IOMMU_PERF_EVENTS") != NULL);
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(d);

	/* tracefs mounted without the IOMMU's events */
	d = mk_tree();
	intel_tree(d, "6.12.0-1-amd64", true, false, false);
	put(d, "sys/kernel/tracing/events/sched/sched_switch/id", "300\n");
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 0);
		CHECK_INT(a.family[II_ACT_TRACEPOINTS].why, II_WHY_NOT_BUILT);
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(d);
}

TEST(act_intel_counters)
{
	char *d = mk_tree();
	struct ii_act_reading rd;
	struct ii_activity a;
	struct ii_system s;
	struct ii_root *r;
	struct fake f = { 0 };
	const struct ii_ctr_value *c;

	if (!d)
		return;
	intel_tree(d, "6.8.0-1-amd64", true, true, true);
	if (!load(d, &r, &s)) {
		rm_tree(d);
		return;
	}
	open_fake(&a, &s, &f, 0);
	CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_LIVE);
	CHECK_INT(a.family[II_ACT_TRACEPOINTS].why, II_WHY_LIVE);
	CHECK(a.nunits == 1 && a.units[0].state.why == II_WHY_LIVE);
	/* map, unmap, qi_submit on both CPUs, then 6 PMU events on the cpumask's CPU */
	CHECK_INT(f.nopen, 12);
	CHECK(f.opened[0].type == PERF_TYPE_TRACEPOINT && f.opened[0].config[0] == 101 &&
	      f.opened[0].cpu == 0 && f.opened[1].cpu == 1);
	CHECK(f.opened[4].config[0] == 103);
	CHECK(f.opened[6].type == 12 && f.opened[6].config[0] == 0x30000001 && f.opened[6].cpu == 1);
	CHECK_INT(ii_act_read(&a, &rd), 1);
	CHECK_INT(rd.seq, 1);
	CHECK(rd.t_ns > 0 && rd.wall_ns > 0);
	/* tracepoints: two CPUs, each scaled by 200/100 */
	CHECK((c = ctr(&rd, II_CTR_MAP, "")) && c->ok && c->value == (1 + 2) * 2 &&
	      c->enabled_ns == 400 && c->running_ns == 200 && c->state.why == II_WHY_LIVE);
	CHECK((c = ctr(&rd, II_CTR_QI_SUBMIT, "dmar0")) && c->ok && c->value == (5 + 6) * 2);
	CHECK((c = ctr(&rd, II_CTR_IOTLB_LOOKUP, "dmar0")) && c->ok && c->value == 7 * 2 &&
	      !strcmp(c->event, "dmar0/iotlb_lookup/"));
	/* context and PASID caches together */
	CHECK((c = ctr(&rd, II_CTR_CTX_LOOKUP, "dmar0")) && c->ok && c->value == (9 + 10) * 2 &&
	      !strcmp(c->event, "dmar0/ctxt_cache_lookup/+dmar0/pasid_cache_lookup/"));
	CHECK((c = ctr(&rd, II_CTR_CTX_HIT, "dmar0")) && c->ok);
	CHECK(rd.nirqs == 1 && rd.irqs[0].count == 20 && !strcmp(rd.irqs[0].unit, "dmar0"));
	ii_act_reading_free(&rd);
	CHECK_INT(ii_act_read(&a, &rd), 1);
	CHECK_INT(rd.seq, 2);
	ii_act_reading_free(&rd);
	/* the PMU went away */
	f.read_err = -ENODEV;
	CHECK_INT(ii_act_read(&a, &rd), 1);
	CHECK((c = ctr(&rd, II_CTR_IOTLB_LOOKUP, "dmar0")) && !c->ok && c->state.why == II_WHY_ERROR &&
	      c->state.err == -ENODEV);
	ii_act_reading_free(&rd);
	ii_act_close(&a);
	CHECK_INT(f.nclose, 12);
	unload(r, &s);

	/* every group identity: map and unmap read, with the note */
	put(d, "sys/kernel/iommu_groups/0/type", "identity\n");
	f = (struct fake){ 0 };
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 0);
		/* the family says why nothing will be counted, though its counters are read */
		CHECK_INT(a.family[II_ACT_TRACEPOINTS].why, II_WHY_IDENTITY);
		CHECK_INT(ii_act_read(&a, &rd), 1);
		CHECK((c = ctr(&rd, II_CTR_MAP, "")) && c->ok && c->state.why == II_WHY_IDENTITY);
		CHECK((c = ctr(&rd, II_CTR_QI_SUBMIT, "dmar0")) && c->state.why == II_WHY_LIVE);
		ii_act_reading_free(&rd);
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(d);
}

TEST(act_amd_arm_pmus)
{
	static const char *const amd_ev[][2] = {
		{ "mem_iommu_tlb_pte_hit", "csource=0x06" }, { "mem_iommu_tlb_pte_mis", "csource=0x07" },
		{ "mem_iommu_tlb_pde_hit", "csource=0x08" }, { "mem_iommu_tlb_pde_mis", "csource=0x09" },
		{ "mem_dte_hit", "csource=0x0a" }, { "mem_dte_mis", "csource=0x0b" },
		{ "tlb_inv", "csource=0x13" }, { "smi_blk", "csource=0x18" },
	};
	char *d = mk_tree();
	struct ii_act_reading rd;
	struct ii_activity a;
	struct ii_system s;
	struct ii_root *r;
	struct fake f = { 0 };
	const struct ii_ctr_value *c;

	if (!d)
		return;
	put(d, "proc/version", "Linux version 6.1.0-56-amd64 (x@y)\n");
	put(d, "sys/devices/system/cpu/online", "0\n");
	put(d, "sys/class/iommu/ivhd0/amd-iommu/features", "25bf732fa2295afe\n");
	put(d, "sys/class/iommu/ivhd0/amd-iommu/cap", "190b6f\n");
	put(d, "sys/class/iommu/ivhd1/amd-iommu/features", "25bf732fa2295dfe\n");
	put(d, "sys/bus/event_source/devices/amd_iommu_0/type", "13\n");
	put(d, "sys/bus/event_source/devices/amd_iommu_0/cpumask", "0\n");
	put(d, "sys/bus/event_source/devices/amd_iommu_0/format/csource", "config:0-7\n");
	for (size_t i = 0; i < sizeof(amd_ev) / sizeof(amd_ev[0]); i++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "sys/bus/event_source/devices/amd_iommu_0/events/%s",
			 amd_ev[i][0]);
		put(d, rel, amd_ev[i][1]);
	}
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 0);
		CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_LIVE);
		CHECK(a.nunits == 2 && !strcmp(a.units[0].pmu, "amd_iommu_0") &&
		      a.units[0].state.why == II_WHY_LIVE);
		/* ivhd1: EFR.PC (bit 9) clear */
		CHECK(a.nunits == 2 && a.units[1].state.why == II_WHY_NO_PMU_HW);
		/* no tracefs: the map counters are not there; 7 PMU events, mem_dte_hit once */
		CHECK_INT(f.nopen, 7);
		CHECK_INT(ii_act_read(&a, &rd), 1);
		/* fds 1000.. count 1.. in the order opened: pte_hit, pde_hit, pte_mis, pde_mis, ... */
		CHECK((c = ctr(&rd, II_CTR_IOTLB_HIT, "ivhd0")) && c->ok && c->value == (1 + 2) * 2 &&
		      strstr(c->event, "pde_hit"));
		CHECK((c = ctr(&rd, II_CTR_IOTLB_MISS, "ivhd0")) && c->ok && c->value == (3 + 4) * 2);
		CHECK((c = ctr(&rd, II_CTR_CTX_LOOKUP, "ivhd0")) && c->ok && c->value == (5 + 6) * 2);
		CHECK((c = ctr(&rd, II_CTR_CTX_HIT, "ivhd0")) && c->ok && c->value == 5 * 2);
		CHECK((c = ctr(&rd, II_CTR_INVALIDATIONS, "ivhd0")) && c->ok && c->value == 7 * 2);
		CHECK(f.opened[6].config[0] == 0x13 && f.opened[6].type == 13);
		ii_act_reading_free(&rd);
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(d);

	/* Arm: the lowest PMCG near the SMMU is its own; the others keep their names */
	d = mk_tree();
	put(d, "proc/version", "Linux version 6.1.0-56-arm64 (x@y)\n");
	put(d, "sys/devices/system/cpu/online", "0-3\n");
	put_dir(d, "sys/class/iommu/smmu3.0x0000000009050000");
	static const char *const pmcgs[] = { "smmuv3_pmcg_9070", "smmuv3_pmcg_9052", "smmuv3_pmcg_ff000" };
	for (size_t i = 0; i < 3; i++) {
		char rel[160];

		snprintf(rel, sizeof(rel), "sys/bus/event_source/devices/%s/type", pmcgs[i]);
		put(d, rel, "20\n");
		snprintf(rel, sizeof(rel), "sys/bus/event_source/devices/%s/format/event", pmcgs[i]);
		put(d, rel, "config:0-15\n");
		snprintf(rel, sizeof(rel), "sys/bus/event_source/devices/%s/events/transaction", pmcgs[i]);
		put(d, rel, "event=0x0001\n");
		snprintf(rel, sizeof(rel), "sys/bus/event_source/devices/%s/events/tlb_miss", pmcgs[i]);
		put(d, rel, "event=0x0002\n");
	}
	f = (struct fake){ 0 };
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 0);
		CHECK(a.nunits == 1 && !strcmp(a.units[0].pmu, "smmuv3_pmcg_9052") &&
		      a.units[0].state.why == II_WHY_LIVE);
		CHECK_INT(ii_act_read(&a, &rd), 1);
		CHECK((c = ctr(&rd, II_CTR_IOTLB_LOOKUP, "smmu3.0x0000000009050000")) && c->ok &&
		      !strcmp(c->event, "smmuv3_pmcg_9052/transaction/"));
		CHECK((c = ctr(&rd, II_CTR_IOTLB_MISS, "smmu3.0x0000000009050000")) && c->ok);
		CHECK(ctr(&rd, II_CTR_IOTLB_MISS, "smmuv3_pmcg_ff000") != NULL);
		CHECK(ctr(&rd, II_CTR_IOTLB_MISS, "smmuv3_pmcg_9070") != NULL);
		ii_act_reading_free(&rd);
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(d);
}

TEST(act_latency_states)
{
	char *d = mk_tree();
	struct ii_act_reading rd;
	struct ii_activity a;
	struct ii_system s;
	struct ii_root *r;
	struct fake f = { 0 };

	if (!d)
		return;
	intel_tree(d, "6.1.0-56-amd64", false, false, true);
	put(d, "sys/kernel/debug/iommu/intel/iommu_regset", "x\n");
	put(d, "sys/kernel/debug/iommu/intel/dmar_perf_latency",
	    "IOMMU: dmar0 Register Base Address: fed90000\n"
	    "                  <0.1us   0.1us-1us    1us-10us  10us-100us   100us-1ms    1ms-10ms"
	    "      >=10ms     min(us)     max(us) average(us)\n");
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 0);
		CHECK_INT(a.family[II_ACT_LATENCY].why, II_WHY_NOT_ENABLED);
		CHECK(strstr(a.family[II_ACT_LATENCY].detail, "never writes") != NULL);
		/* read anyway: rows may be enabled while it runs */
		CHECK_INT(ii_act_read(&a, &rd), 1);
		CHECK(rd.latency_text && strstr(rd.latency_text, "IOMMU: dmar0"));
		ii_act_reading_free(&rd);
		ii_act_close(&a);
		unload(r, &s);
	}
	put_mode(d, "sys/kernel/debug/iommu/intel/dmar_perf_latency",
		 "   inv_iotlb           0         120        3320          13           0           0"
		 "           0           0          47           1\n", true);
	if (load(d, &r, &s)) {
		open_fake(&a, &s, &f, 0);
		CHECK_INT(a.family[II_ACT_LATENCY].why, II_WHY_LIVE);
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(d);
}

/* ------------------------------------------------------- perf, for real */

static struct ii_root *live_root(void)
{
	char *err = NULL;
	struct ii_root *r = ii_root_open(NULL, &err);

	free(err);
	return r;
}

static bool busy(int64_t ms)
{
	struct timespec a, b;
	volatile uint64_t x = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		for (int i = 0; i < 100000; i++)
			x += (uint64_t)i;
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
	return x != 1;
}

TEST(perf_scale_math)
{
	CHECK_U64(ii_perf_scale(100, 100, 100), 100);
	CHECK_U64(ii_perf_scale(100, 200, 100), 200);
	CHECK_U64(ii_perf_scale(100, 300, 200), 150);
	CHECK_U64(ii_perf_scale(100, 200, 0), 0);
	/* running past enabled (rounding in the kernel): not scaled down */
	CHECK_U64(ii_perf_scale(100, 100, 101), 100);
	/* no overflow in the product */
	CHECK_U64(ii_perf_scale(UINT64_MAX / 2, 4, 2), UINT64_MAX - 1);
	CHECK_U64(ii_perf_scale(UINT64_MAX, 4, 2), UINT64_MAX);
	CHECK_U64(ii_perf_scale(1ULL << 40, 3ULL << 40, 1ULL << 40), 3ULL << 40);
}

TEST(perf_software_events)
{
	uint64_t config[3] = { PERF_COUNT_SW_CPU_CLOCK, 0, 0 }, v1, e1, r1, v2, e2, r2;
	struct ii_root *root = live_root();
	struct ii_perf_ctr c;
	char *buf = NULL;
	size_t len, n = 0;
	int *cpus = NULL, rc;

	if (!root || ii_root_read_file(root, II_PATH_CPUS_ONLINE, &buf, &len, 65536) < 0 ||
	    ii_parse_cpulist(buf, &cpus, &n) < 0 || !n) {
		t_skip("cannot read the online CPUs of this host");
		goto out;
	}
	rc = ii_perf_ctr_open(&c, &ii_perf_sys, PERF_TYPE_SOFTWARE, config, cpus, n);
	if (rc == -EACCES || rc == -EPERM || rc == -ENOSYS || rc == -ENOENT || rc == -EOPNOTSUPP) {
		t_skip("perf_event_open of cpu-clock is not permitted here: %s", strerror(-rc));
		goto out;
	}
	CHECK_INT(rc, 0);
	if (rc < 0)
		goto out;
	CHECK_INT(c.nfds, n);
	busy(20);
	CHECK_INT(ii_perf_ctr_read(&c, &v1, &e1, &r1), 0);
	busy(30);
	CHECK_INT(ii_perf_ctr_read(&c, &v2, &e2, &r2), 0);
	/* cpu-clock counts nanoseconds on every CPU: at least the wall time passed, and it grows */
	CHECK(v2 > v1);
	CHECK(v2 - v1 >= 25000000ULL);
	CHECK(e2 > e1 && r2 > r1 && e2 >= r2);
	/* scaled as enabled/running says: here never multiplexed, so about the times */
	CHECK(v2 <= e2 + e2 / 10);
	ii_perf_ctr_close(&c);
	CHECK_INT(c.nfds, 0);
out:
	free(cpus);
	free(buf);
	ii_root_close(root);
}

TEST(perf_tracepoint_live)
{
	uint64_t config[3] = { 0, 0, 0 }, v, e, rn;
	struct ii_root *root = live_root();
	struct ii_perf_ctr c;
	char *buf = NULL;
	size_t len;
	long long id;
	int cpu = 0, rc;

	if (!root || ii_root_read_file(root, II_PATH_TRACEFS "/events/sched/sched_switch/id", &buf,
				       &len, 64) < 0 || ii_parse_int(buf, &id) < 0) {
		t_skip("tracefs is not readable here (not mounted, or not root): no tracepoint id");
		goto out;
	}
	config[0] = (uint64_t)id;
	rc = ii_perf_ctr_open(&c, &ii_perf_sys, PERF_TYPE_TRACEPOINT, config, &cpu, 1);
	if (rc < 0) {
		t_skip("perf_event_open of sched:sched_switch: %s", strerror(-rc));
		goto out;
	}
	for (int i = 0; i < 5; i++)
		usleep(2000); /* each sleep switches tasks */
	CHECK_INT(ii_perf_ctr_read(&c, &v, &e, &rn), 0);
	CHECK(e > 0);
	ii_perf_ctr_close(&c);
out:
	free(buf);
	ii_root_close(root);
}

/* The whole source on this host: whatever it has, every family says something. */
TEST(act_live_host)
{
	struct ii_root *root = live_root();
	struct ii_act_reading rd;
	struct ii_activity a;
	struct ii_system s;

	if (!root) {
		t_skip("cannot open /");
		return;
	}
	ii_system_load(&s, root, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_SYSINFO, NULL);
	ii_act_open(&a, &s);
	CHECK(!a.replay);
	for (int f = 0; f < II_ACT_FAMILIES; f++)
		CHECK(a.family[f].why == II_WHY_LIVE || a.family[f].detail[0]);
	CHECK_INT(ii_act_read(&a, &rd), 1);
	CHECK(rd.t_ns > 0);
	ii_act_reading_free(&rd);
	CHECK_INT(ii_act_read(&a, &rd), 1);
	CHECK_INT(rd.seq, 2);
	ii_act_reading_free(&rd);
	/* the udev monitor, when it opened, is what a poll() loop waits on */
	CHECK(a.family[II_ACT_HOTPLUG].why != II_WHY_LIVE || ii_act_fd(&a) >= 0);
	ii_act_close(&a);
	unload(root, &s);
}

/*
 * The whole live path for real: a made-up "dmar0" PMU whose type is the kernel's software PMU
 * (1) and whose events are cpu-clock and context-switches, so that discovery, placing through
 * format/, perf_event_open on the cpumask's CPU, reading and scaling all run on this host.
 */
TEST(act_real_perf_through_a_made_up_pmu)
{
	struct ii_act_env env = { .live = true, .euid = (unsigned)geteuid(), .perf = &ii_perf_sys };
	char *d = mk_tree();
	struct ii_act_reading r1, r2;
	const struct ii_ctr_value *c1, *c2;
	struct ii_activity a;
	struct ii_system s;
	struct ii_root *r;

	if (!d)
		return;
	intel_tree(d, "6.8.0-1-amd64", true, false, false);
	put(d, "sys/devices/system/cpu/online", "0\n");
	put(d, "sys/bus/event_source/devices/dmar0/type", "1\n");
	put(d, "sys/bus/event_source/devices/dmar0/cpumask", "0\n");
	put(d, "sys/bus/event_source/devices/dmar0/format/event", "config:0-27\n");
	put(d, "sys/bus/event_source/devices/dmar0/format/event_group", "config:28-31\n");
	put(d, "sys/bus/event_source/devices/dmar0/events/iotlb_lookup", "event_group=0x0,event=0x000\n");
	put(d, "sys/bus/event_source/devices/dmar0/events/iotlb_hit", "event_group=0x0,event=0x003\n");
	if (!load(d, &r, &s)) {
		rm_tree(d);
		return;
	}
	ii_act_open_env(&a, &s, &env);
	if (a.family[II_ACT_PMU].why != II_WHY_LIVE) {
		t_skip("perf_event_open of software events is not permitted here: %s",
		       a.family[II_ACT_PMU].detail);
	} else {
		CHECK_INT(ii_act_read(&a, &r1), 1);
		busy(30);
		CHECK_INT(ii_act_read(&a, &r2), 1);
		c1 = ctr(&r1, II_CTR_IOTLB_LOOKUP, "dmar0");
		c2 = ctr(&r2, II_CTR_IOTLB_LOOKUP, "dmar0");
		CHECK(c1 && c2 && c1->ok && c2->ok);
		/* cpu-clock on CPU 0 counts its nanoseconds: about the 30 ms between */
		if (c1 && c2) {
			CHECK(c2->value > c1->value);
			CHECK(c2->value - c1->value <= (uint64_t)(r2.t_ns - r1.t_ns) + 5000000);
			CHECK(c2->enabled_ns >= c2->running_ns && c2->running_ns > c1->running_ns);
		}
		CHECK((c2 = ctr(&r2, II_CTR_IOTLB_HIT, "dmar0")) && c2->ok);
		ii_act_reading_free(&r1);
		ii_act_reading_free(&r2);
	}
	ii_act_close(&a);
	unload(r, &s);
	rm_tree(d);
}
