// SPDX-License-Identifier: MIT
/* The grouping predicted from config space agrees with the kernel's on every recorded tree. */
#include <stdlib.h>

#include "fixture.h"
#include "grouping.h"
#include "test.h"

/* Load a recorded tree (fixtures/NAME, or ../shared/captures/NAME when given as such). */
static struct ii_root *open_tree(const char *rel, struct ii_system *s)
{
	char path[512];
	struct ii_root *r;
	char *err = NULL;

	if (!fx_path(rel, path, sizeof(path)))
		return NULL;
	r = ii_root_open(path, &err);
	free(err);
	if (!r)
		return NULL;
	ii_system_load(s, r, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES, NULL);
	return r;
}

/* Every pair of devices: together in the kernel's groups exactly when together in the prediction. */
static void check_tree(const char *rel, size_t min_devices)
{
	struct ii_system s;
	struct ii_grouping g;
	struct ii_root *r = open_tree(rel, &s);
	size_t compared = 0;

	if (!r) {
		t_skip("%s not found", rel);
		return;
	}
	ii_grouping_predict(&s, &g);
	CHECK(g.complete);
	for (size_t i = 0; i < g.n; i++) {
		const struct ii_pred *a = &g.p[i];

		if (a->dev->group < 0)
			continue;
		for (size_t j = i + 1; j < g.n; j++) {
			const struct ii_pred *b = &g.p[j];
			bool kernel, predicted;

			if (b->dev->group < 0)
				continue;
			kernel = a->dev->group == b->dev->group;
			predicted = a->group == b->group && a->group >= 0;
			if (kernel != predicted)
				t_fail(__FILE__, __LINE__, "%s: %s and %s: kernel %s, predicted %s (%s, %s)",
				       rel, a->dev->name, b->dev->name, kernel ? "together" : "apart",
				       predicted ? "together" : "apart", ii_group_cause_key(a->cause),
				       ii_group_cause_key(b->cause));
			compared++;
		}
	}
	CHECK(g.n >= min_devices);
	CHECK(compared > 0);
	ii_grouping_free(&g);
	ii_system_free(&s);
	ii_root_close(r);
}

TEST(grouping_matches_kernel_intel_q35)
{
	check_tree("intel-q35", 20);
}

TEST(grouping_matches_kernel_amd_q35)
{
	check_tree("amd-q35", 20);
}

TEST(grouping_matches_kernel_intel_faults)
{
	check_tree("intel-faults", 20);
}

TEST(grouping_matches_kernel_intel_debugfs)
{
	check_tree("intel-debugfs", 20);
}

TEST(grouping_explains_qemu_causes)
{
	struct ii_system s;
	struct ii_grouping g;
	struct ii_root *r = open_tree("intel-q35", &s);
	const struct ii_pred *p;

	if (!r) {
		t_skip("fixtures/intel-q35 not found");
		return;
	}
	ii_grouping_predict(&s, &g);
	/* e1000 behind the PCIe-to-PCI bridge 05:00.0 */
	p = ii_grouping_find(&g, ii_find_device(&s, "0000:06:01.0"));
	CHECK(p && p->cause == II_GC_BRIDGE_ALIAS);
	CHECK(p && p->via >= 0 && !strcmp(g.p[p->via].dev->name, "0000:05:00.0"));
	CHECK(p && p->acs == II_ACS_CONVENTIONAL);
	/* the two edu functions of one slot, without ACS */
	p = ii_grouping_find(&g, ii_find_device(&s, "0000:07:00.1"));
	CHECK(p && p->cause == II_GC_FUNCTION_NO_ACS);
	/* a root port with ACS: its own group */
	p = ii_grouping_find(&g, ii_find_device(&s, "0000:00:10.0"));
	CHECK(p && p->cause == II_GC_OWN && p->acs == II_ACS_ISOLATES);
	ii_grouping_free(&g);
	ii_system_free(&s);
	ii_root_close(r);
}

TEST(grouping_unknown_without_config)
{
	struct ii_system s;
	struct ii_grouping g;
	struct ii_root *r = open_tree("intel-q35", &s);

	if (!r) {
		t_skip("fixtures/intel-q35 not found");
		return;
	}
	/* pretend every config read failed: nothing can be decided */
	for (size_t i = 0; i < s.ndevices; i++)
		s.devices[i]->present = s.devices[i]->present && !s.devices[i]->is_pci;
	ii_grouping_predict(&s, &g);
	CHECK_INT(g.n, 0);
	CHECK(g.complete);
	ii_grouping_free(&g);
	ii_system_free(&s);
	ii_root_close(r);
}
