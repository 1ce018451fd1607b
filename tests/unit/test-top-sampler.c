// SPDX-License-Identifier: MIT
/*
 * src/model/model-sampler.c with made-up readings and faults: rates from
 * deltas over the interval, hit ratios, counters that go backwards, wrap,
 * fail or disappear, units and devices that come and go, fault counts, the
 * ring of the latest faults, sorting and filtering, thousands of devices.
 */
#define _GNU_SOURCE
#include <time.h>

#include "model.h"
#include "test.h"
#include "top-fixture.h"

static const char *const one_unit[] = { "dmar0" };
static const enum ii_vendor intel[] = { II_VENDOR_INTEL };

TEST(top_sampler_rates_and_ratio)
{
	struct ii_system s;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	const struct ii_unit_activity *u;
	struct tf_reading x;

	tf_system(&s, 4, one_unit, intel, 1);
	sp = ii_sampler_new(&s, 16);
	tf_at(&x, 10);
	tf_ctr(&x, II_CTR_IOTLB_LOOKUP, "dmar0", "dmar0/iotlb_lookup/", 100);
	tf_ctr(&x, II_CTR_IOTLB_HIT, "dmar0", "dmar0/iotlb_hit/", 90);
	tf_ctr(&x, II_CTR_MAP, "", "iommu:map", 5);
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	CHECK_INT(smp->seq, 1);
	CHECK(smp->interval_s == 0);
	u = tf_unit(smp, "dmar0");
	CHECK(u && u->iotlb_lookups.known && !u->iotlb_lookups.has);
	CHECK(!smp->maps.has && smp->maps.known);

	/* two readings in one interval: their deltas add up over the whole of it */
	tf_at(&x, 10.5);
	tf_ctr(&x, II_CTR_IOTLB_LOOKUP, "dmar0", "dmar0/iotlb_lookup/", 600);
	tf_ctr(&x, II_CTR_IOTLB_HIT, "dmar0", "dmar0/iotlb_hit/", 540);
	tf_ctr(&x, II_CTR_MAP, "", "iommu:map", 105);
	ii_sampler_reading(sp, &x.r);
	tf_at(&x, 12);
	tf_ctr(&x, II_CTR_IOTLB_LOOKUP, "dmar0", "dmar0/iotlb_lookup/", 2100);
	tf_ctr(&x, II_CTR_IOTLB_HIT, "dmar0", "dmar0/iotlb_hit/", 1890);
	tf_ctr(&x, II_CTR_MAP, "", "iommu:map", 405);
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	CHECK_INT(smp->seq, 2);
	CHECK(tf_close(smp->interval_s, 2));
	u = tf_unit(smp, "dmar0");
	CHECK(u->iotlb_lookups.has);
	CHECK_U64(u->iotlb_lookups.delta, 2000);
	CHECK(tf_close(u->iotlb_lookups.per_s, 1000));
	CHECK_U64(u->iotlb_hits.delta, 1800);
	/* VT-d has no miss counter: lookups - hits */
	CHECK(u->iotlb_misses.known && u->iotlb_misses.has);
	CHECK_U64(u->iotlb_misses.delta, 200);
	CHECK(tf_close(u->iotlb_misses.per_s, 100));
	CHECK(u->has_hit_ratio && tf_close(u->hit_ratio, 0.9));
	CHECK(!u->has_ctx_hit_ratio && !u->ctx_lookups.known);
	CHECK(smp->maps.has && tf_close(smp->maps.per_s, 200));
	CHECK_U64(smp->maps.total, 400);
	CHECK(!smp->unmaps.known);
	CHECK_U64(smp->resets, 0);
	ii_sampler_free(sp);
	ii_system_free(&s);
}

TEST(top_sampler_amd_and_arm_derive)
{
	static const char *const units[] = { "ivhd0", "smmu3.0x0" };
	static const enum ii_vendor v[] = { II_VENDOR_AMD, II_VENDOR_ARM_SMMU_V3 };
	struct ii_system s;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	const struct ii_unit_activity *a, *b;
	struct tf_reading x;

	tf_system(&s, 0, units, v, 2);
	sp = ii_sampler_new(&s, 0);
	for (int i = 0; i < 2; i++) {
		tf_at(&x, i);
		/* AMD: PTE and PDE hits, counted apart, add up; misses too */
		tf_ctr(&x, II_CTR_IOTLB_HIT, "ivhd0", "amd_iommu_0/mem_iommu_tlb_pte_hit/", 1000u * i);
		tf_ctr(&x, II_CTR_IOTLB_HIT, "ivhd0", "amd_iommu_0/mem_iommu_tlb_pde_hit/", 500u * i);
		tf_ctr(&x, II_CTR_IOTLB_MISS, "ivhd0", "amd_iommu_0/mem_iommu_tlb_pte_mis/", 500u * i);
		tf_ctr(&x, II_CTR_INVALIDATIONS, "ivhd0", "amd_iommu_0/tlb_inv/", 7u * i);
		/* Arm: transactions and TLB misses */
		tf_ctr(&x, II_CTR_IOTLB_LOOKUP, "smmu3.0x0", "smmuv3_pmcg_0/transaction/", 400u * i);
		tf_ctr(&x, II_CTR_IOTLB_MISS, "smmu3.0x0", "smmuv3_pmcg_0/tlb_miss/", 100u * i);
		ii_sampler_reading(sp, &x.r);
		smp = ii_sampler_sample(sp);
	}
	a = tf_unit(smp, "ivhd0");
	b = tf_unit(smp, "smmu3.0x0");
	CHECK_U64(a->iotlb_hits.delta, 1500);
	CHECK_U64(a->iotlb_lookups.delta, 2000);
	CHECK(a->has_hit_ratio && tf_close(a->hit_ratio, 0.75));
	CHECK(a->invalidations.has && tf_close(a->invalidations.per_s, 7));
	CHECK(tf_close(smp->invalidations.per_s, 7));
	CHECK_U64(b->iotlb_hits.delta, 300);
	CHECK(b->has_hit_ratio && tf_close(b->hit_ratio, 0.75));
	CHECK(a->pmu.why == II_WHY_LIVE);
	ii_sampler_free(sp);
	ii_system_free(&s);
}

TEST(top_sampler_backwards_wrap_and_time)
{
	struct ii_system s;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	struct tf_reading x;
	const uint64_t vals[] = { 100, 200, 50, 150, 250, (uint64_t)1 << 40, 10, 20 };

	tf_system(&s, 0, one_unit, intel, 1);
	sp = ii_sampler_new(&s, 0);
	for (size_t i = 0; i < II_ARRAY_SIZE(vals); i++) {
		tf_at(&x, (double)i);
		tf_ctr(&x, II_CTR_UNMAP, "", "iommu:unmap", vals[i]);
		ii_sampler_reading(sp, &x.r);
		smp = ii_sampler_sample(sp);
		switch (i) {
		case 1: CHECK(smp->unmaps.has && smp->unmaps.delta == 100); break;
		case 2: CHECK(!smp->unmaps.has); CHECK_U64(smp->resets, 1); break; /* backwards */
		case 3: CHECK(smp->unmaps.has && smp->unmaps.delta == 100); break; /* from 50 on */
		case 6: CHECK(!smp->unmaps.has); CHECK_U64(smp->resets, 2); break; /* a wrap */
		case 7: CHECK(smp->unmaps.has && tf_close(smp->unmaps.per_s, 10)); break;
		}
	}
	/* the total counts only what could be told */
	CHECK_U64(smp->unmaps.total, 100 + 100 + 100 + ((uint64_t)1 << 40) - 250 + 10);

	/* a reading whose time goes backwards (a replay cut): no rate for that interval */
	tf_at(&x, 3);
	tf_ctr(&x, II_CTR_UNMAP, "", "iommu:unmap", 30);
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	CHECK(smp->interval_s == 0 && !smp->unmaps.has);
	tf_at(&x, 4);
	tf_ctr(&x, II_CTR_UNMAP, "", "iommu:unmap", 40);
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	CHECK(smp->unmaps.has && tf_close(smp->unmaps.per_s, 10) && tf_close(smp->interval_s, 1));
	ii_sampler_free(sp);
	ii_system_free(&s);
}

TEST(top_sampler_gone_and_failed)
{
	struct ii_system s;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	const struct ii_unit_activity *u;
	struct tf_reading x;
	struct ii_act_state fam[II_ACT_FAMILIES] = { { 0 } };

	tf_system(&s, 0, one_unit, intel, 1);
	sp = ii_sampler_new(&s, 0);
	fam[II_ACT_PMU].why = II_WHY_LIVE;
	ii_sampler_sources(sp, fam);
	for (int i = 0; i < 2; i++) {
		tf_at(&x, i);
		tf_ctr(&x, II_CTR_IOTLB_LOOKUP, "dmar0", "dmar0/iotlb_lookup/", 10u + 10u * i);
		tf_ctr(&x, II_CTR_IOTLB_LOOKUP, "dmar1", "dmar1/iotlb_lookup/", 10u + 20u * i);
		tf_irq(&x, "dmar0", "dmar0", 24, 3u * i);
		ii_sampler_reading(sp, &x.r);
		smp = ii_sampler_sample(sp);
	}
	/* dmar1 is not in sys/class/iommu: a unit of its own, from its counter */
	u = tf_unit(smp, "dmar1");
	CHECK(u && !u->in_model && u->iotlb_lookups.has && u->iotlb_lookups.delta == 20);
	CHECK(tf_unit(smp, "dmar0")->fault_irqs.has);
	CHECK(tf_close(tf_unit(smp, "dmar0")->fault_irqs.per_s, 3));

	/* dmar1's counter vanishes (its PMU went away); dmar0's fails to read */
	tf_at(&x, 2);
	tf_ctr_fail(&x, II_CTR_IOTLB_LOOKUP, "dmar0", "dmar0/iotlb_lookup/", II_WHY_PARANOID);
	tf_irq(&x, "dmar0", "dmar0", 24, 9);
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	u = tf_unit(smp, "dmar1");
	CHECK(u->gone && u->iotlb_lookups.gone && !u->iotlb_lookups.has);
	CHECK_U64(u->iotlb_lookups.total, 20);
	u = tf_unit(smp, "dmar0");
	CHECK(!u->gone && !u->iotlb_lookups.has && !u->iotlb_lookups.gone);
	CHECK(u->pmu.why == II_WHY_PARANOID);
	CHECK(u->fault_irqs.has && u->fault_irqs.delta == 6);

	/* read again: a rate only once it was read at both ends of an interval */
	tf_at(&x, 3);
	tf_ctr(&x, II_CTR_IOTLB_LOOKUP, "dmar0", "dmar0/iotlb_lookup/", 50);
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	u = tf_unit(smp, "dmar0");
	CHECK(!u->iotlb_lookups.has && u->pmu.why == II_WHY_LIVE);
	CHECK(u->fault_irqs.gone && !u->gone);
	tf_at(&x, 4);
	tf_ctr(&x, II_CTR_IOTLB_LOOKUP, "dmar0", "dmar0/iotlb_lookup/", 60);
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	CHECK(tf_unit(smp, "dmar0")->iotlb_lookups.has);
	CHECK(tf_unit(smp, "dmar0")->iotlb_lookups.delta == 10);

	/* time passes with no reading (a replay that ended): no counter rates */
	ii_sampler_tick(sp, 5000000000LL, 0);
	smp = ii_sampler_sample(sp);
	CHECK(!tf_unit(smp, "dmar0")->iotlb_lookups.has && tf_close(smp->interval_s, 1));
	ii_sampler_free(sp);
	ii_system_free(&s);
}

TEST(top_sampler_no_pmu_reason)
{
	struct ii_system s;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	struct ii_act_state fam[II_ACT_FAMILIES] = { { 0 } };

	tf_system(&s, 0, one_unit, intel, 1);
	sp = ii_sampler_new(&s, 0);
	fam[II_ACT_PMU] = (struct ii_act_state){ .why = II_WHY_KERNEL_TOO_OLD };
	ii_sampler_sources(sp, fam);
	ii_sampler_tick(sp, 0, 0);
	smp = ii_sampler_sample(sp);
	CHECK(smp->units[0].pmu.why == II_WHY_KERNEL_TOO_OLD);
	CHECK(smp->family[II_ACT_PMU].why == II_WHY_KERNEL_TOO_OLD);
	/* the family is live, but no counter names this unit: its hardware has none */
	fam[II_ACT_PMU].why = II_WHY_LIVE;
	ii_sampler_sources(sp, fam);
	ii_sampler_tick(sp, 1, 0);
	smp = ii_sampler_sample(sp);
	CHECK(smp->units[0].pmu.why == II_WHY_NO_PMU_HW);
	ii_sampler_free(sp);
	ii_system_free(&s);
}

TEST(top_sampler_faults_and_ring)
{
	struct ii_system s;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	const struct ii_dev_activity *d;
	struct ii_fault f;
	struct ii_fault_drop drop = { .kind = II_DROP_SUPPRESSED, .vendor = II_VENDOR_INTEL, .count = 8 };
	struct ii_fault_drop lost = { .kind = II_DROP_LOST, .count = 3 };
	struct ii_act_state live = { .why = II_WHY_LIVE };

	tf_system(&s, 4, one_unit, intel, 1);
	sp = ii_sampler_new(&s, 4);
	ii_sampler_source(sp, II_ACT_KMSG, &live);
	/* faults from the start of the log, before the first sample */
	for (int i = 0; i < 5; i++) {
		f = tf_fault("0000:00:00.1", "dmar0", 1000000u + (unsigned)i, 0x1000u * (unsigned)i,
			     "PTE Read access is not set");
		ii_fault_attribute(&s, &f);
		ii_sampler_fault(sp, &f);
	}
	f = tf_fault("0000:42:00.0", "dmar0", 2000000, 0xdead000, NULL); /* not on this machine */
	ii_sampler_fault(sp, &f);
	f = tf_fault("arm-smmu-client", "", 2500000, 0x10, "F_TRANSLATION"); /* a named client */
	ii_sampler_fault(sp, &f);
	ii_sampler_drop(sp, &drop);
	ii_sampler_drop(sp, &lost);
	ii_sampler_tick(sp, 0, 0);
	smp = ii_sampler_sample(sp);
	d = tf_dev(smp, "0000:00:00.1");
	CHECK(d && d->in_model && d->faults.known && !d->faults.has);
	CHECK_U64(d->faults.total, 5);
	CHECK(d->has_last && d->has_last_addr && d->last_addr == 0x4000);
	CHECK_U64(d->last_usec, 1000004);
	CHECK_STR(d->last_reason, "PTE Read access is not set");
	CHECK_STR(d->driver, "drv1");
	CHECK_INT(d->group, 0);
	d = tf_dev(smp, "0000:42:00.0");
	CHECK(d && !d->in_model && d->is_pci && d->faults.total == 1 && d->group == -1);
	d = tf_dev(smp, "arm-smmu-client");
	CHECK(d && !d->is_pci && d->faults.total == 1);
	CHECK_INT(smp->ndevs, 6);
	CHECK_U64(smp->fault_records.total, 7);
	CHECK_U64(tf_unit(smp, "dmar0")->fault_records.total, 6);
	CHECK_U64(smp->suppressed, 8);
	CHECK_U64(tf_unit(smp, "dmar0")->suppressed, 8);
	CHECK_U64(smp->lost_records, 3);
	/* the ring keeps the latest 4, oldest first; all new */
	CHECK_INT(smp->nrecent, 4);
	CHECK_INT(smp->recent_new, 4);
	CHECK_U64(smp->faults_new, 7);
	CHECK_U64(smp->recent[0].addr, 0x3000);
	CHECK_STR(smp->recent[3].client, "arm-smmu-client");

	/* an interval of 2 s with 3 faults of one device */
	for (int i = 0; i < 3; i++) {
		f = tf_fault("0000:00:00.2", "dmar0", 3000000u + (unsigned)i, 0x2000, "x");
		ii_sampler_fault(sp, &f);
	}
	ii_sampler_tick(sp, 2000000000LL, 0);
	smp = ii_sampler_sample(sp);
	d = tf_dev(smp, "0000:00:00.2");
	CHECK(d->faults.has && d->faults.delta == 3 && tf_close(d->faults.per_s, 1.5));
	d = tf_dev(smp, "0000:00:00.1");
	CHECK(d->faults.has && d->faults.delta == 0 && d->faults.total == 5);
	CHECK(tf_unit(smp, "dmar0")->fault_records.has);
	CHECK(tf_close(tf_unit(smp, "dmar0")->fault_records.per_s, 1.5));
	CHECK(tf_close(smp->fault_records.per_s, 1.5));
	CHECK_INT(smp->recent_new, 3);
	CHECK_U64(smp->recent[3].pos.usec, 3000002);
	ii_sampler_tick(sp, 3000000000LL, 0);
	smp = ii_sampler_sample(sp);
	CHECK_INT(smp->recent_new, 0);
	CHECK_INT(smp->nrecent, 4);
	ii_sampler_free(sp);
	ii_system_free(&s);
}

TEST(top_sampler_hotplug_and_sync)
{
	struct ii_system s, s2;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	const struct ii_dev_activity *d;
	struct ii_fault f;
	struct tf_reading x;

	tf_system(&s, 3, one_unit, intel, 1);
	sp = ii_sampler_new(&s, 8);
	f = tf_fault("0000:00:00.2", "dmar0", 5, 0x1000, "r");
	ii_fault_attribute(&s, &f);
	ii_sampler_fault(sp, &f);
	tf_at(&x, 0);
	tf_hp(&x, II_HP_REMOVE, "0000:00:00.2", NULL);
	tf_hp(&x, II_HP_ADD, "0000:00:00.7", NULL);
	tf_hp(&x, II_HP_BIND, "0000:00:00.7", "vfio-pci");
	tf_hp(&x, II_HP_UNBIND, "0000:00:00.1", NULL);
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	d = tf_dev(smp, "0000:00:00.2");
	CHECK(d && d->gone && d->faults.total == 1); /* removed: its counts stay */
	d = tf_dev(smp, "0000:00:00.7");
	CHECK(d && d->added && !d->gone && !d->in_model);
	CHECK_STR(d->driver, "vfio-pci");
	CHECK_STR(tf_dev(smp, "0000:00:00.1")->driver, "");
	CHECK(smp->devices_changed);

	/* the model read again: .7 is in it now (group 9), .2 is not */
	tf_system(&s2, 2, one_unit, intel, 1);
	s2.devices = xrealloc(s2.devices, 3 * sizeof(*s2.devices));
	s2.devices[2] = xcalloc(1, sizeof(**s2.devices));
	snprintf(s2.devices[2]->name, sizeof(s2.devices[2]->name), "0000:00:00.7");
	ii_parse_bdf("0000:00:00.7", &s2.devices[2]->bdf);
	s2.devices[2]->is_pci = s2.devices[2]->present = true;
	s2.devices[2]->group = 9;
	s2.devices[2]->driver = xstrdup("vfio-pci");
	s2.ndevices = 3;
	ii_sampler_sync(sp, &s2);
	ii_system_free(&s); /* the kept faults point into s2 now */
	smp = ii_sampler_sample(sp);
	CHECK(!smp->devices_changed);
	d = tf_dev(smp, "0000:00:00.7");
	CHECK(d->in_model && d->group == 9);
	CHECK(tf_dev(smp, "0000:00:00.2")->gone);
	CHECK(smp->nrecent == 1 && smp->recent[0].dev == NULL); /* .2 is no longer in the model */
	ii_sampler_free(sp);
	ii_system_free(&s2);
}

TEST(top_sampler_latency)
{
	struct ii_system s;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	struct tf_reading x;
	char text[] = "IOMMU: dmar0 Register Base Address: fed90000\n"
		      "                    <0.1us   0.1us-1us    1us-10us  10us-100us   100us-1ms"
		      "    1ms-10ms      >=10ms     min(us)     max(us) average(us)\n"
		      " inv_iotlb           0           0        1147          20           0"
		      "           0           0           2          40           4\n";

	tf_system(&s, 0, one_unit, intel, 1);
	sp = ii_sampler_new(&s, 0);
	tf_at(&x, 0);
	x.r.latency_text = text;
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	CHECK_INT(smp->nlatency, 1);
	CHECK_STR(smp->latency[0].unit, "dmar0");
	CHECK_STR(smp->latency[0].row.type, "inv_iotlb");
	CHECK_INT(smp->latency[0].row.v[2], 1147);
	CHECK_INT(smp->latency[0].row.v[9], 4);
	CHECK(!smp->latency_bad);
	/* not read this time: the last rows stay */
	tf_at(&x, 1);
	ii_sampler_reading(sp, &x.r);
	CHECK_INT(ii_sampler_sample(sp)->nlatency, 1);
	tf_at(&x, 2);
	x.r.latency_text = (char *)"garbage\n";
	ii_sampler_reading(sp, &x.r);
	smp = ii_sampler_sample(sp);
	CHECK(smp->latency_bad && smp->nlatency == 0);
	ii_sampler_free(sp);
	ii_system_free(&s);
}

/* The order of the rows named, as "a b c". */
static void order(const struct ii_sample *smp, enum ii_dev_sort k, bool rev, const char *flt,
		  char *out, size_t size, size_t *n)
{
	size_t idx[64], len = 0;

	*n = ii_sample_dev_order(smp, k, rev, flt, idx, 64);
	out[0] = '\0';
	for (size_t i = 0; i < *n && i < 64; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "",
					smp->devs[idx[i]].bdf + 10);
}

TEST(top_sampler_sort_and_filter)
{
	struct ii_system s;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	struct ii_fault f;
	char got[512];
	size_t n;
	struct ii_act_state live = { .why = II_WHY_LIVE };

	tf_system(&s, 6, one_unit, intel, 1); /* 00:00.0 .. 00:00.5: groups 0 0 1 1 2 2 */
	sp = ii_sampler_new(&s, 0);
	ii_sampler_source(sp, II_ACT_KMSG, &live);
	ii_sampler_tick(sp, 0, 0);
	ii_sampler_sample(sp);
	/* .3: 1 fault, .4: 3 faults, .1: 2 faults (the latest) */
	f = tf_fault("0000:00:00.3", "dmar0", 10, 1, "a");
	ii_sampler_fault(sp, &f);
	for (int i = 0; i < 3; i++) {
		f = tf_fault("0000:00:00.4", "dmar0", 20, 1, "a");
		ii_sampler_fault(sp, &f);
	}
	ii_sampler_tick(sp, 1000000000, 0);
	ii_sampler_sample(sp);
	for (int i = 0; i < 2; i++) {
		f = tf_fault("0000:00:00.1", "dmar0", 30, 1, "a");
		ii_sampler_fault(sp, &f);
	}
	ii_sampler_tick(sp, 2000000000, 0);
	smp = ii_sampler_sample(sp);

	order(smp, II_SORT_RATE, false, NULL, got, sizeof(got), &n);
	CHECK_STR(got, ".1 .4 .3 .0 .2 .5"); /* this interval's rate, then the totals */
	order(smp, II_SORT_TOTAL, false, "", got, sizeof(got), &n);
	CHECK_STR(got, ".4 .1 .3 .0 .2 .5");
	order(smp, II_SORT_TOTAL, true, "", got, sizeof(got), &n);
	CHECK_STR(got, ".0 .2 .5 .3 .1 .4"); /* ties: by address */
	order(smp, II_SORT_LAST, false, NULL, got, sizeof(got), &n);
	CHECK_STR(got, ".1 .4 .3 .0 .2 .5");
	order(smp, II_SORT_BDF, true, NULL, got, sizeof(got), &n);
	CHECK_STR(got, ".5 .4 .3 .2 .1 .0");
	order(smp, II_SORT_GROUP, true, NULL, got, sizeof(got), &n);
	CHECK_STR(got, ".4 .5 .2 .3 .0 .1");
	/* drivers: drv1..drv4 for .1-.4, none for .0 and .5 (last) */
	order(smp, II_SORT_DRIVER, false, NULL, got, sizeof(got), &n);
	CHECK_STR(got, ".1 .2 .3 .4 .0 .5");

	/* filters: part of an address or a driver (any case), or a group number */
	order(smp, II_SORT_BDF, false, "DRV3", got, sizeof(got), &n);
	CHECK_STR(got, ".3");
	order(smp, II_SORT_BDF, false, "00:00.5", got, sizeof(got), &n);
	CHECK_STR(got, ".5");
	order(smp, II_SORT_BDF, false, "2", got, sizeof(got), &n);
	CHECK_STR(got, ".2 .4 .5"); /* drv2, group 2 */
	order(smp, II_SORT_BDF, false, "nothing", got, sizeof(got), &n);
	CHECK(n == 0 && !got[0]);
	/* fewer slots than rows: the count is of all that match */
	CHECK_INT(ii_sample_dev_order(smp, II_SORT_BDF, false, NULL, (size_t[2]){ 0 }, 2), 6);
	ii_sampler_free(sp);
	ii_system_free(&s);
}

TEST(top_sampler_thousands_of_devices)
{
	struct ii_system s;
	struct ii_sampler *sp;
	const struct ii_sample *smp;
	struct ii_fault f;
	size_t *idx, n;
	char name[II_BDF_MAX];
	struct timespec a, b;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &a);
	tf_system(&s, 8192, one_unit, intel, 1);
	sp = ii_sampler_new(&s, 256);
	for (unsigned i = 0; i < 20000; i++) {
		struct ii_bdf bdf = { 0, (uint8_t)(i % 8192 / 256), (uint8_t)(i % 256 / 8),
				      (uint8_t)(i % 8) };

		ii_format_bdf(&bdf, name);
		f = tf_fault(name, "dmar0", i, i, "r");
		ii_sampler_fault(sp, &f);
	}
	/* requesters the model lacks: added rows, found again by name */
	for (unsigned i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "0001:%02x:%02x.%u", i / 256, i % 256 / 8, i % 8);
		f = tf_fault(name, "dmar0", i, i, "r");
		ii_sampler_fault(sp, &f);
		ii_sampler_fault(sp, &f);
	}
	ii_sampler_tick(sp, 0, 0);
	smp = ii_sampler_sample(sp);
	CHECK_INT(smp->ndevs, 8192 + 3000);
	CHECK_U64(tf_dev(smp, "0000:00:00.0")->faults.total, 3);   /* 0, 8192, 16384 */
	CHECK_U64(tf_dev(smp, "0000:1f:1f.7")->faults.total, 2);   /* 8191, 16383 */
	CHECK(tf_dev(smp, "0001:0b:16.7") && tf_dev(smp, "0001:0b:16.7")->faults.total == 2);
	CHECK_INT(smp->nrecent, 256);
	idx = xmalloc(smp->ndevs * sizeof(*idx));
	n = ii_sample_dev_order(smp, II_SORT_TOTAL, false, NULL, idx, smp->ndevs);
	CHECK_INT(n, smp->ndevs);
	CHECK_U64(smp->devs[idx[0]].faults.total, 3);
	n = ii_sample_dev_order(smp, II_SORT_BDF, false, "0001:", idx, smp->ndevs);
	CHECK_INT(n, 3000);
	CHECK_STR(smp->devs[idx[0]].bdf, "0001:00:00.0");
	free(idx);
	ii_sampler_free(sp);
	ii_system_free(&s);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	CHECK(secs < 5); /* seconds would mean a quadratic lookup */
}
