// SPDX-License-Identifier: MIT
/*
 * Stand-ins for the activity source (include/source/activity.h) while it is
 * being written: weak definitions, so that `top` links and shows the kernel
 * log's faults with every other family of sources "not available in this
 * build". The real source's definitions (src/source/source-activity*.c)
 * override these when it is linked in; then this file goes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "activity.h"

#define WEAK __attribute__((weak))

static const char *const family_keys[II_ACT_FAMILIES] = {
	[II_ACT_INTERRUPTS] = "interrupts", [II_ACT_KMSG] = "kmsg",
	[II_ACT_TRACEPOINTS] = "tracepoints", [II_ACT_PMU] = "pmu",
	[II_ACT_LATENCY] = "latency", [II_ACT_HOTPLUG] = "hotplug",
};

static const char *const why_keys[] = {
	[II_WHY_LIVE] = "live", [II_WHY_NOT_ROOT] = "not-root", [II_WHY_PARANOID] = "paranoid",
	[II_WHY_KERNEL_TOO_OLD] = "kernel-too-old", [II_WHY_NO_PMU_HW] = "no-pmu-hardware",
	[II_WHY_NOT_BUILT] = "not-built", [II_WHY_NOT_ENABLED] = "not-enabled",
	[II_WHY_NO_TRACEFS] = "no-tracefs", [II_WHY_NOT_RECORDED] = "not-recorded",
	[II_WHY_NO_IOMMU] = "no-iommu", [II_WHY_IDENTITY] = "identity", [II_WHY_ERROR] = "error",
};

static const char *const kind_keys[II_CTR_KINDS] = {
	[II_CTR_MAP] = "map", [II_CTR_UNMAP] = "unmap", [II_CTR_QI_SUBMIT] = "qi_submit",
	[II_CTR_IOTLB_LOOKUP] = "iotlb_lookup", [II_CTR_IOTLB_HIT] = "iotlb_hit",
	[II_CTR_IOTLB_MISS] = "iotlb_miss", [II_CTR_CTX_LOOKUP] = "ctx_lookup",
	[II_CTR_CTX_HIT] = "ctx_hit", [II_CTR_INVALIDATIONS] = "invalidations",
};

WEAK const char *ii_act_family_key(enum ii_act_family f)
{
	return (unsigned)f < II_ACT_FAMILIES ? family_keys[f] : "unknown";
}

WEAK const char *ii_act_why_key(enum ii_act_why w)
{
	return (unsigned)w < II_ARRAY_SIZE(why_keys) && why_keys[w] ? why_keys[w] : "error";
}

WEAK const char *ii_ctr_kind_key(enum ii_ctr_kind k)
{
	return (unsigned)k < II_CTR_KINDS ? kind_keys[k] : "unknown";
}

WEAK void ii_act_reading_free(struct ii_act_reading *r)
{
	free(r->ctrs);
	free(r->irqs);
	free(r->hotplug);
	free(r->latency_text);
	*r = (struct ii_act_reading){ 0 };
}

WEAK void ii_act_open(struct ii_activity *a, struct ii_system *s)
{
	*a = (struct ii_activity){ .root = s->root, .replay = !ii_root_is_live(s->root) };
	for (unsigned f = 0; f < II_ACT_FAMILIES; f++) {
		a->family[f] = (struct ii_act_state){ .why = II_WHY_ERROR, .err = -ENOSYS };
		snprintf(a->family[f].detail, sizeof(a->family[f].detail), "%s",
			 "this build has no activity source");
	}
}

WEAK int ii_act_read(struct ii_activity *a, struct ii_act_reading *out)
{
	(void)a, (void)out;
	return 0;
}

WEAK int ii_act_fd(const struct ii_activity *a)
{
	(void)a;
	return -1;
}

WEAK void ii_act_close(struct ii_activity *a)
{
	(void)a;
}
