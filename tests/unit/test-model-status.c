// SPDX-License-Identifier: MIT
/*
 * src/model/model-status.c: the effective state derived from the recorded
 * fixtures (IOMMU on or off, the default domain type and whether the command
 * line chose it, strict or lazy invalidation, interrupt remapping, the kernel
 * log, the advice), each with its evidence; then the same systems changed in
 * memory one fact at a time, to reach the branches no fixture has.
 */
#include <errno.h>
#include <stdlib.h>

#include "fixture.h"
#include "dt.h"
#include "status.h"
#include "test.h"

#define STATUS_LOAD (II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_LOG | \
		     II_LOAD_SYSINFO | II_LOAD_ACPI)

struct fx {
	struct ii_root *root;
	struct ii_system s;
	struct ii_status st;
};

/* Load a fixture as `status` does and derive; false (after a failed check) if it cannot. */
static bool load(struct fx *f, const char *name)
{
	char path[4096], *err = NULL;

	memset(f, 0, sizeof(*f));
	if (!fx_path(name, path, sizeof(path))) {
		t_fail(__FILE__, __LINE__, "no fixtures/ directory found");
		return false;
	}
	f->root = ii_root_open(path, &err);
	if (!f->root) {
		t_fail(__FILE__, __LINE__, "%s: %s", path, err ? err : "?");
		free(err);
		return false;
	}
	ii_system_load(&f->s, f->root, STATUS_LOAD, NULL);
	ii_status_derive(&f->s, &f->st);
	return true;
}

/* Derive again after the system was changed in memory. */
static void rederive(struct fx *f)
{
	ii_status_free(&f->st);
	ii_status_derive(&f->s, &f->st);
}

static void unload(struct fx *f)
{
	ii_status_free(&f->st);
	ii_system_free(&f->s);
	ii_root_close(f->root);
}

/* Some evidence line of the fact contains text. */
static bool has_ev(const struct ii_fact *fact, const char *text)
{
	for (size_t i = 0; i < fact->evidence.n; i++)
		if (strstr(fact->evidence.v[i], text))
			return true;
	return false;
}

static bool has_line(const struct strlist *l, const char *text)
{
	for (size_t i = 0; i < l->n; i++)
		if (strstr(l->v[i], text))
			return true;
	return false;
}

#define CHECK_EV(fact, text)                                                              \
	do {                                                                              \
		if (!has_ev(&(fact), text))                                              \
			t_fail(__FILE__, __LINE__, "%s has no evidence \"%s\"", #fact, text);  \
	} while (0)

/* ----------------------------------------------------------- the fixtures */

/* Intel VT-d, translated, strict because the command line says iommu.strict=1. */
TEST(status_intel_translated_strict)
{
	struct fx f;

	if (!load(&f, "intel-q35"))
		return;
	CHECK_STR(f.st.hardware.value, "present");
	CHECK_EV(f.st.hardware, "ACPI DMAR table");
	CHECK_EV(f.st.hardware, "1 unit under");
	CHECK_STR(f.st.active.value, "yes");
	CHECK_EV(f.st.active, "16 groups under");
	CHECK_EV(f.st.active, "Intel(R) Virtualization Technology for Directed I/O");
	CHECK_STR(f.st.vendor.value, "intel");
	CHECK_EV(f.st.vendor, "unit dmar0 is Intel VT-d");
	CHECK_INT(f.st.units, 1);
	CHECK_INT(f.st.groups, 16);
	CHECK_INT(f.st.devices, 21);
	CHECK_INT(f.st.devices_in_groups, 21);
	CHECK_INT(f.st.devices_without_group, 0);
	CHECK_INT(f.st.devices_group_unknown, 0);
	CHECK(!f.st.units_unknown && !f.st.groups_unknown && !f.st.devices_unknown);
	CHECK_STR(f.st.default_domain.value, "DMA");
	CHECK_EV(f.st.default_domain, "16 of 16 groups have type DMA");
	/* iommu.strict=1 is on the command line, but the driver forced strict anyway:
	 * the command line did not choose DMA, the kernel's default did */
	CHECK_INT(f.st.default_from_cmdline, 0);
	CHECK_STR(f.st.invalidation.value, "strict");
	CHECK_EV(f.st.invalidation, "16 groups of type DMA");
	CHECK_EV(f.st.invalidation, "batching disallowed due to virtualization");
	CHECK_EV(f.st.invalidation, "the command line sets iommu.strict");
	CHECK_STR(f.st.intremap.value, "enabled");
	CHECK_STR(f.st.intremap_mode, "xapic");
	CHECK_EV(f.st.intremap, "INTR_REMAP set");
	CHECK_STR(f.st.kernel_log.value, "complete");
	CHECK_INT(f.st.params.n, 2);
	CHECK(has_line(&f.st.params, "intel_iommu=on") && has_line(&f.st.params, "iommu.strict=1"));
	CHECK_STR(f.st.params_source, "proc/cmdline");
	CHECK_INT(f.st.advice.n, 0);
	unload(&f);
}

/* iommu.strict=0: DMA-FQ groups, lazy, and the command line chose it. */
TEST(status_intel_lazy)
{
	struct fx f;

	if (!load(&f, "intel-lazy"))
		return;
	CHECK_STR(f.st.default_domain.value, "DMA-FQ");
	CHECK_INT(f.st.default_from_cmdline, 1);
	CHECK_EV(f.st.default_domain, "the command line sets the invalidation policy (iommu.strict)");
	CHECK_STR(f.st.invalidation.value, "lazy");
	CHECK_EV(f.st.invalidation, "16 groups of type DMA-FQ");
	unload(&f);
}

/* AMD-Vi with iommu=pt: identity domains, no invalidation, the IOMMU's own function
 * in no group without advice about it. */
TEST(status_amd_passthrough)
{
	struct fx f;

	if (!load(&f, "amd-q35"))
		return;
	CHECK_STR(f.st.vendor.value, "amd");
	CHECK_EV(f.st.vendor, "AMD-Vi");
	CHECK_STR(f.st.default_domain.value, "identity");
	CHECK_INT(f.st.default_from_cmdline, 1);
	CHECK_EV(f.st.default_domain, "the command line sets it: iommu=pt");
	CHECK_STR(f.st.invalidation.value, "none");
	CHECK_EV(f.st.invalidation, "pass-through (identity) domains do not translate");
	CHECK_STR(f.st.intremap.value, "enabled");
	CHECK_INT(f.st.devices, 22);
	CHECK_INT(f.st.devices_without_group, 1);
	CHECK(!has_line(&f.st.advice, "in no IOMMU group"));
	unload(&f);
}

/* No IOMMU: absent, inactive, nothing to invalidate; intel_iommu=on without a DMAR. */
TEST(status_no_iommu)
{
	struct fx f;

	if (!load(&f, "no-iommu"))
		return;
	CHECK_STR(f.st.hardware.value, "absent");
	CHECK_EV(f.st.hardware, "no DMAR or IVRS table under");
	CHECK_EV(f.st.hardware, "(the directory is absent)");
	CHECK_STR(f.st.active.value, "no");
	CHECK_STR(f.st.vendor.value, "none");
	CHECK_STR(f.st.default_domain.value, "none");
	CHECK_STR(f.st.invalidation.value, "none");
	CHECK_STR(f.st.intremap.value, "disabled");
	CHECK_INT(f.st.devices_without_group, 21);
	CHECK_INT(f.st.advice.n, 1);
	CHECK(has_line(&f.st.advice, "the firmware has no DMAR table"));
	unload(&f);
}

/* A synthetic RMRR that pins a NIC: VFIO cannot assign its group. */
TEST(status_rmrr_advice)
{
	struct fx f;

	if (!load(&f, "intel-rmrr"))
		return;
	CHECK(has_line(&f.st.advice, "0000:06:01.0 (IOMMU group 14) is pinned by a firmware RMRR"));
	CHECK_EV(f.st.hardware, "2 reserved memory regions (RMRR)");
	unload(&f);
}

/* -------------------------------------------- the same, one fact changed */

static void set_type(struct ii_group *g, enum ii_domtype t)
{
	free(g->type);
	g->type = xstrdup(ii_domtype_name(t));
	g->domtype = t;
}

static void set_cmdline(struct ii_system *s, const char *cmdline)
{
	free(s->cmdline);
	s->cmdline = xstrdup(cmdline);
}

TEST(status_mixed_group_types)
{
	struct fx f;

	if (!load(&f, "intel-q35"))
		return;
	set_type(&f.s.groups[3], II_DOM_DMA_FQ);
	set_type(&f.s.groups[4], II_DOM_IDENTITY);
	rederive(&f);
	CHECK_STR(f.st.default_domain.value, "mixed");
	CHECK_EV(f.st.default_domain, "group types differ: 14 DMA, 1 DMA-FQ, 1 identity");
	CHECK_STR(f.st.invalidation.value, "mixed");
	CHECK_EV(f.st.invalidation, "14 groups of type DMA (strict) and 1 of type DMA-FQ (lazy)");
	unload(&f);
}

TEST(status_cmdline_passthrough)
{
	struct fx f;

	if (!load(&f, "intel-q35"))
		return;
	set_cmdline(&f.s, "intel_iommu=on iommu.passthrough=1");
	for (size_t i = 0; i < f.s.ngroups; i++)
		set_type(&f.s.groups[i], II_DOM_IDENTITY);
	rederive(&f);
	CHECK_STR(f.st.default_domain.value, "identity");
	CHECK_INT(f.st.default_from_cmdline, 1);
	CHECK_EV(f.st.default_domain, "the command line sets it: iommu.passthrough=");
	CHECK_STR(f.st.invalidation.value, "none");
	/* a comma list counts: iommu=pt,... */
	set_cmdline(&f.s, "iommu=nopt,force");
	rederive(&f);
	CHECK_EV(f.st.default_domain, "the command line sets it: iommu=nopt");
	/* iommu=ptx is not iommu=pt */
	set_cmdline(&f.s, "iommu=ptx");
	rederive(&f);
	CHECK(!has_ev(&f.st.default_domain, "the command line sets it"));
	unload(&f);
}

/* Before 5.15 a DMA group may be lazy: the log's policy line decides. */
TEST(status_old_kernel_policy_from_log)
{
	struct fx f;

	if (!load(&f, "intel-q35"))
		return;
	f.s.kver = 5010;
	rederive(&f);
	CHECK_STR(f.st.invalidation.value, "strict");
	CHECK_EV(f.st.invalidation, "before 5.15 the group type DMA covers both policies");
	free(f.s.log.policy_word);
	f.s.log.policy_word = xstrdup("lazy");
	rederive(&f);
	CHECK_STR(f.st.invalidation.value, "lazy");
	CHECK_EV(f.st.invalidation, "forced strict mode after the policy line was printed");
	unload(&f);
}

/* Before 5.4 groups have no type: the default domain is unknown, not "none". */
TEST(status_no_group_types)
{
	struct fx f;

	if (!load(&f, "intel-q35"))
		return;
	for (size_t i = 0; i < f.s.ngroups; i++) {
		free(f.s.groups[i].type);
		f.s.groups[i].type = NULL;
		f.s.groups[i].domtype = II_DOM_UNKNOWN;
	}
	rederive(&f);
	CHECK(f.st.default_domain.value == NULL);
	CHECK_EV(f.st.default_domain, "kernels before 5.4 have none");
	unload(&f);
}

TEST(status_intremap)
{
	struct fx f;

	if (!load(&f, "intel-q35"))
		return;
	set_cmdline(&f.s, "intremap=off");
	rederive(&f);
	CHECK_EV(f.st.intremap, "the command line turns it off");
	/* without the log line, the interrupts decide */
	free(f.s.log.ir.text);
	f.s.log.ir.text = NULL;
	rederive(&f);
	CHECK_STR(f.st.intremap.value, "enabled");
	CHECK(f.st.intremap_mode == NULL);
	f.s.irq.remapped = 0;
	rederive(&f);
	CHECK_STR(f.st.intremap.value, "disabled");
	CHECK_EV(f.st.intremap, "0 of 26 interrupts");
	f.s.irq_read = false;
	rederive(&f);
	CHECK(f.st.intremap.value == NULL);
	unload(&f);
}

TEST(status_kernel_log)
{
	struct fx f;

	if (!load(&f, "intel-q35"))
		return;
	free(f.s.log.linux_version.text);
	f.s.log.linux_version.text = NULL;
	rederive(&f);
	CHECK_STR(f.st.kernel_log.value, "partial");
	CHECK_EV(f.st.kernel_log, "the boot messages were overwritten");
	f.s.log_err = -ENODATA;
	rederive(&f);
	CHECK_STR(f.st.kernel_log.value, "unavailable");
	CHECK_EV(f.st.kernel_log, "empty");
	f.s.log_err = -EACCES;
	rederive(&f);
	CHECK_EV(f.st.kernel_log, "Permission denied");
	unload(&f);
}

TEST(status_advice)
{
	struct fx f;

	if (!load(&f, "intel-q35"))
		return;
	f.s.devices[5]->group = -1;
	f.s.devices[5]->nogroup = II_NOGROUP_NOT_TRANSLATED;
	set_cmdline(&f.s, "pcie_acs_override=downstream");
	rederive(&f);
	CHECK_INT(f.st.devices_without_group, 1);
	CHECK(has_line(&f.st.advice, "1 PCI device is in no IOMMU group"));
	CHECK(has_line(&f.st.advice, "pcie_acs_override is set"));
	/* the IOMMU's own function needs no advice */
	f.s.devices[5]->nogroup = II_NOGROUP_IOMMU_FUNCTION;
	rederive(&f);
	CHECK(!has_line(&f.st.advice, "in no IOMMU group"));
	f.s.devices[5]->group = 3;
	f.s.devices[5]->nogroup = II_NOGROUP_NONE;
	unload(&f);
}

/* VT-d in the firmware, intel_iommu=off on the command line: no group, and why. */
TEST(status_advice_disabled)
{
	struct fx f;
	size_t ngroups;

	if (!load(&f, "intel-q35"))
		return;
	ngroups = f.s.ngroups;
	f.s.ngroups = 0;
	set_cmdline(&f.s, "intel_iommu=off");
	rederive(&f);
	CHECK_STR(f.st.active.value, "no");
	CHECK_STR(f.st.default_domain.value, "none");
	CHECK(has_line(&f.st.advice, "intel_iommu=off disables it"));
	set_cmdline(&f.s, "quiet");
	rederive(&f);
	CHECK(has_line(&f.st.advice, "boot with intel_iommu=on"));
	f.s.ngroups = ngroups;
	unload(&f);
}

/* -------------------------------------------- unreadable is not absent */

TEST(status_groups_unreadable)
{
	struct fx f;
	size_t ngroups;

	if (!load(&f, "intel-q35"))
		return;
	ngroups = f.s.ngroups;
	f.s.ngroups = 0;
	f.s.groups_err = -EACCES;
	for (size_t i = 0; i < f.s.ndevices; i++)
		f.s.devices[i]->nogroup = II_NOGROUP_GROUPS_UNREADABLE;
	f.s.devices[0]->group = -1;
	rederive(&f);
	CHECK(f.st.active.value == NULL);
	CHECK(!has_ev(&f.st.active, "absent"));
	CHECK_EV(f.st.active, "cannot be read (Permission denied): nothing is concluded from it");
	CHECK(f.st.default_domain.value == NULL);
	CHECK(f.st.invalidation.value == NULL);
	CHECK(f.st.groups_unknown);
	CHECK_INT(f.st.devices_group_unknown, 1);
	CHECK(has_line(&f.st.advice, "cannot be read (Permission denied): what it holds is unknown, "
				     "not absent; run iommu-inspect as root"));
	CHECK(!has_line(&f.st.advice, "boot with intel_iommu=on"));
	f.s.devices[0]->group = 0;
	f.s.ngroups = ngroups;
	unload(&f);
}

TEST(status_units_unreadable)
{
	struct fx f;
	size_t nunits;

	if (!load(&f, "intel-q35"))
		return;
	nunits = f.s.nunits;
	f.s.nunits = 0;
	f.s.units_err = -EACCES;
	rederive(&f);
	/* the DMAR still says there is hardware; the units are not said to be missing */
	CHECK_STR(f.st.hardware.value, "present");
	CHECK(!has_ev(&f.st.hardware, "no units"));
	CHECK_EV(f.st.hardware, "cannot be read (Permission denied)");
	CHECK_STR(f.st.vendor.value, "intel");
	CHECK_EV(f.st.vendor, "ACPI DMAR table (the units cannot be read)");
	CHECK(f.st.units_unknown);
	/* without the DMAR either, nothing tells: unknown, not absent */
	f.s.dmar.present = false;
	rederive(&f);
	CHECK(f.st.hardware.value == NULL);
	CHECK(f.st.vendor.value == NULL);
	CHECK(!has_line(&f.st.advice, "no IOMMU was found"));
	f.s.dmar.present = true;
	/* one unit of two unreadable: there is hardware */
	f.s.units_err = 0;
	f.s.units_unread = 1;
	f.s.units_unread_err = -EACCES;
	f.s.nunits = nunits;
	rederive(&f);
	CHECK_INT(f.st.units, 2);
	CHECK_EV(f.st.hardware, "1 unit under");
	CHECK_EV(f.st.hardware, "cannot be read (Permission denied)");
	unload(&f);
}

/* The IOMMU the firmware describes and no driver registered: which driver it needs. Not the
 * VT-d/AMD-Vi advice on an Arm machine whose kernel lacks its SMMU driver. */
TEST(status_firmware_iommu_without_driver)
{
	struct ii_iort_node nodes[2] = { { .type = II_IORT_ITS_GROUP }, { .type = II_IORT_SMMU_V3 } };
	struct ii_iort io = { .nodes = nodes, .n = 2 };
	struct ii_system s = { 0 };

	CHECK_INT(ii_fw_iommu_without_driver(&s), II_FWDRV_NONE);
	CHECK(ii_fwdrv_info(II_FWDRV_NONE) == NULL);
	s.iort.present = true;
	s.iort.iort = &io;
	CHECK_INT(ii_fw_iommu_without_driver(&s), II_FWDRV_SMMU_V3);
	CHECK_STR(ii_fwdrv_info(II_FWDRV_SMMU_V3)->module, "arm_smmu_v3");
	nodes[1].type = II_IORT_SMMU;
	CHECK_INT(ii_fw_iommu_without_driver(&s), II_FWDRV_SMMU);
	CHECK_STR(ii_fwdrv_info(II_FWDRV_SMMU)->option, "CONFIG_ARM_SMMU");
	nodes[1].type = II_IORT_NAMED_COMPONENT; /* an IORT for the ITS only: no IOMMU */
	CHECK_INT(ii_fw_iommu_without_driver(&s), II_FWDRV_NONE);
	s.viot.present = true;
	CHECK_INT(ii_fw_iommu_without_driver(&s), II_FWDRV_VIRTIO);
	s.nunits = 1; /* a driver did register one */
	CHECK_INT(ii_fw_iommu_without_driver(&s), II_FWDRV_NONE);
}

/* status of the real arm64 guest as if its kernel had no SMMU driver: no unit, no group */
TEST(status_arm_without_smmu_driver)
{
	struct fx f;
	size_t nunits, ngroups;

	if (!load(&f, "arm-smmuv3-virt"))
		return;
	nunits = f.s.nunits;
	ngroups = f.s.ngroups;
	f.s.nunits = 0;
	f.s.ngroups = 0;
	CHECK_INT(ii_fw_iommu_without_driver(&f.s), II_FWDRV_SMMU_V3);
	rederive(&f);
	CHECK(f.st.advice.n >= 1);
	CHECK(!has_line(&f.st.advice, "VT-d") && !has_line(&f.st.advice, "intel_iommu"));
	CHECK(has_line(&f.st.advice, "SMMUv3 (ACPI IORT) but no driver registered it: the kernel "
				     "needs CONFIG_ARM_SMMU_V3 (the arm_smmu_v3 module"));
	f.s.nunits = nunits;
	f.s.ngroups = ngroups;
	unload(&f);
}

/* The same on a device tree machine: the SMMU node's compatible says which driver. */
TEST(status_dt_arm_without_smmu_driver)
{
	struct fx f;
	size_t nunits, ngroups;
	struct ii_dt_node *smmu = NULL;
	char *compat;

	if (!load(&f, "arm-dt-synthetic"))
		return;
	for (size_t i = 0; f.s.dt && i < f.s.dt->n; i++)
		if (f.s.dt->nodes[i].has_iommu_cells)
			smmu = &f.s.dt->nodes[i];
	CHECK(smmu && smmu->compatible && !strcmp(smmu->compatible, "arm,smmu-v3"));
	if (!smmu || !smmu->compatible) {
		unload(&f);
		return;
	}
	nunits = f.s.nunits;
	ngroups = f.s.ngroups;
	CHECK_INT(ii_fw_iommu_without_driver(&f.s), II_FWDRV_NONE); /* it has its unit */
	f.s.nunits = 0;
	f.s.ngroups = 0;
	CHECK_INT(ii_fw_iommu_without_driver(&f.s), II_FWDRV_DT_SMMU_V3);
	rederive(&f);
	CHECK(!has_line(&f.st.advice, "VT-d") && !has_line(&f.st.advice, "intel_iommu"));
	CHECK(has_line(&f.st.advice, "SMMUv3 (device tree) but no driver registered it: the "
				     "kernel needs CONFIG_ARM_SMMU_V3"));
	compat = smmu->compatible;
	smmu->compatible = "qcom,sm8250-smmu-500";
	CHECK_INT(ii_fw_iommu_without_driver(&f.s), II_FWDRV_DT_SMMU);
	smmu->compatible = "virtio,pci-iommu";
	CHECK_INT(ii_fw_iommu_without_driver(&f.s), II_FWDRV_DT_VIRTIO);
	/* an IOMMU whose driver is not known here: named, and still not VT-d */
	smmu->compatible = "rockchip,iommu";
	CHECK_INT(ii_fw_iommu_without_driver(&f.s), II_FWDRV_NONE);
	rederive(&f);
	CHECK(!has_line(&f.st.advice, "VT-d"));
	CHECK(has_line(&f.st.advice, "compatible \"rockchip,iommu\") but no driver registered it"));
	smmu->compatible = compat;
	f.s.nunits = nunits;
	f.s.ngroups = ngroups;
	unload(&f);
}
