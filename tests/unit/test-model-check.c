// SPDX-License-Identifier: MIT
/*
 * src/model/model-check.c: which functions are never a guest's whatever their
 * group (a bridge vfio-pci refuses, a host bridge, an ISA/LPC bridge), and that
 * on a recorded tree only their own verdict says so: their companions' verdicts
 * and their group's facts stay what the kernel's rules make them.
 */
#include <stdlib.h>

#include "check.h"
#include "fixture.h"
#include "test.h"

static struct ii_device fn(uint32_t class_code, uint8_t header_type)
{
	struct ii_device d = { .is_pci = true, .present = true, .group = -1 };

	d.class_code = class_code;
	d.header_type = header_type;
	d.is_bridge = header_type == 1 || header_type == 2;
	d.valid = II_DV_CLASS | II_DV_CONFIG;
	return d;
}

TEST(check_infrastructure_by_class_and_header)
{
	struct ii_device d;

	d = fn(0x060000, 0); /* host bridge */
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_HOST_BRIDGE);
	d = fn(0x060100, 0); /* ISA/LPC bridge */
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_ISA_BRIDGE);
	d = fn(0x060400, 1); /* PCI-to-PCI bridge, root or switch port */
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_IS_BRIDGE);
	d = fn(0x060401, 1); /* subtractive decode */
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_IS_BRIDGE);
	d = fn(0x060900, 1); /* semi-transparent PCI-to-PCI bridge */
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_IS_BRIDGE);
	d = fn(0x060700, 2); /* CardBus bridge */
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_IS_BRIDGE);
	/* header type decides for vfio-pci: a header type 1 function of any class */
	d = fn(0x088000, 1);
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_IS_BRIDGE);
	/* "other bridge" (an NVSwitch, an NTB endpoint) and endpoints: a guest's */
	d = fn(0x068000, 0);
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_NCODES);
	d = fn(0x020000, 0);
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_NCODES);
	d = fn(0x030000, 0);
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_NCODES);
	/* the class not read: nothing said from it */
	d = fn(0x060000, 0);
	d.valid = 0;
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_NCODES);
	/* no header type, a bridge by its class (source-pcidev.c sets is_bridge) */
	d = fn(0x060400, 0);
	d.is_bridge = true;
	d.valid = II_DV_CLASS;
	CHECK_INT(ii_check_infrastructure(&d), II_CHK_IS_BRIDGE);
	/* each reason has its words in the one table */
	CHECK_STR(ii_chk_code_info(II_CHK_HOST_BRIDGE)->key, "host-bridge");
	CHECK_STR(ii_chk_code_info(II_CHK_ISA_BRIDGE)->key, "isa-bridge");
	CHECK_INT(ii_chk_code_info(II_CHK_HOST_BRIDGE)->sev, II_SEV_ERROR);
	CHECK_INT(ii_chk_code_info(II_CHK_ISA_BRIDGE)->sev, II_SEV_ERROR);
}

static const struct ii_chk_device *checked(const struct ii_check *c, const char *name)
{
	for (size_t i = 0; i < c->ndevs; i++)
		if (!strcmp(c->devs[i].dev->name, name))
			return &c->devs[i];
	return NULL;
}

static bool because_is(const struct ii_chk_device *cd, enum ii_chk_code code)
{
	return cd && cd->nbecause == 1 && cd->because[0] == code;
}

/* intel-q35 loaded as check loads a tree; NULL (after a failed check) when it cannot be. */
static struct ii_root *load_q35(struct ii_system *s)
{
	char path[4096], *err = NULL;
	struct ii_root *root;

	if (!fx_path("intel-q35", path, sizeof(path))) {
		t_fail(__FILE__, __LINE__, "no fixtures/ directory found");
		return NULL;
	}
	root = ii_root_open(path, &err);
	if (!root) {
		t_fail(__FILE__, __LINE__, "%s: %s", path, err ? err : "?");
		free(err);
		return NULL;
	}
	ii_system_load(s, root, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_DETAILS |
			       II_LOAD_LOG | II_LOAD_SYSINFO | II_LOAD_ACPI | II_LOAD_HOST, NULL);
	return root;
}

TEST(check_q35_infrastructure_verdicts)
{
	static const char *const names[] = { "0000:00:00.0", "0000:00:1f.0", "0000:00:1f.2",
					     "0000:00:10.0", "0000:00:05.0" };
	struct ii_device *devs[5];
	struct ii_system s = { 0 };
	struct ii_check c;
	struct ii_root *root;
	const struct ii_chk_device *cd;

	root = load_q35(&s);
	if (!root)
		return;
	for (size_t i = 0; i < 5; i++) {
		devs[i] = ii_find_device(&s, names[i]);
		CHECK(devs[i] != NULL);
		if (!devs[i])
			goto out;
	}
	ii_check_derive(&s, NULL, 0, devs, 5, &c);

	cd = checked(&c, "0000:00:00.0");
	CHECK(cd && cd->verdict == II_VERDICT_NOT && cd->nsteps == 0);
	CHECK(because_is(cd, II_CHK_HOST_BRIDGE));
	cd = checked(&c, "0000:00:1f.0");
	CHECK(cd && cd->verdict == II_VERDICT_NOT && cd->nsteps == 0);
	CHECK(because_is(cd, II_CHK_ISA_BRIDGE));
	cd = checked(&c, "0000:00:10.0");
	CHECK(cd && cd->verdict == II_VERDICT_NOT && because_is(cd, II_CHK_IS_BRIDGE));
	/* the SATA function beside the LPC bridge: its group and verdict as before */
	cd = checked(&c, "0000:00:1f.2");
	CHECK(cd && cd->verdict == II_VERDICT_AFTER_STEPS);
	for (size_t i = 0; cd && i < cd->ncomps; i++)
		CHECK_INT(cd->comps[i].action, II_COMP_FREE);
	CHECK(cd && cd->group && cd->group->nwhy == 2 &&
	      cd->group->why[0].code == II_CHK_WHY_FUNCTIONS && cd->group->why[0].via == devs[1]);
	cd = checked(&c, "0000:00:05.0");
	CHECK(cd && cd->verdict == II_VERDICT_NOW);
	CHECK_INT(c.count[II_VERDICT_NOT], 3);
	ii_check_free(&c);
out:
	ii_system_free(&s);
	ii_root_close(root);
}

/* vfio-pci's denylist: a QuickAssist C62x function is refused unless disable_denylist is set
 * (the e1000e of intel-q35 given its IDs). */
TEST(check_vfio_denylist)
{
	struct ii_system s = { 0 };
	struct ii_device *d;
	struct ii_check c;
	struct ii_root *root;
	const struct ii_chk_device *cd;

	CHECK(ii_vfio_denylisted(0x8086, 0x37c8));
	CHECK(ii_vfio_denylisted(0x8086, 0x37c9));
	CHECK(!ii_vfio_denylisted(0x8086, 0x37cc));
	CHECK(!ii_vfio_denylisted(0x1234, 0x37c8));
	root = load_q35(&s);
	if (!root)
		return;
	d = ii_find_device(&s, "0000:01:00.0"); /* the e1000e, alone in its group */
	CHECK(d != NULL && s.host != NULL);
	if (!d || !s.host)
		goto out;
	d->vendor_id = 0x8086;
	d->device_id = 0x37c8;
	s.host->no_denylist = 0;
	ii_check_derive(&s, NULL, 0, &d, 1, &c);
	cd = checked(&c, "0000:01:00.0");
	CHECK(cd && cd->verdict == II_VERDICT_NOT && cd->nsteps == 0);
	CHECK(because_is(cd, II_CHK_VFIO_DENYLIST));
	ii_check_free(&c);
	/* the module not loaded: it loads with the list on */
	s.host->no_denylist = -1;
	ii_check_derive(&s, NULL, 0, &d, 1, &c);
	cd = checked(&c, "0000:01:00.0");
	CHECK(cd && cd->verdict == II_VERDICT_NOT && because_is(cd, II_CHK_VFIO_DENYLIST));
	ii_check_free(&c);
	/* disable_denylist=Y: assignable as before, with a warning */
	s.host->no_denylist = 1;
	ii_check_derive(&s, NULL, 0, &d, 1, &c);
	cd = checked(&c, "0000:01:00.0");
	CHECK(cd && cd->verdict == II_VERDICT_AFTER_STEPS);
	for (size_t i = 0, n = 0; cd && i < cd->findings.n; i++) {
		n += cd->findings.v[i].code == II_CHK_DENYLIST_OFF;
		if (i + 1 == cd->findings.n)
			CHECK_INT(n, 1);
	}
	ii_check_free(&c);
	CHECK_STR(ii_chk_code_info(II_CHK_VFIO_DENYLIST)->key, "vfio-denylist");
	CHECK_INT(ii_chk_code_info(II_CHK_VFIO_DENYLIST)->sev, II_SEV_ERROR);
out:
	ii_system_free(&s);
	ii_root_close(root);
}

/* vfio-pci refuses an SR-IOV PF whose VFs are enabled: the steps disable them first (the
 * e1000e of intel-q35 given a VF: the nvme's physfn link names it). */
TEST(check_pf_with_vfs)
{
	struct ii_system s = { 0 };
	struct ii_device *pf, *vf;
	struct ii_check c;
	struct ii_root *root;
	const struct ii_chk_device *cd;

	root = load_q35(&s);
	if (!root)
		return;
	pf = ii_find_device(&s, "0000:01:00.0");
	vf = ii_find_device(&s, "0000:02:00.0");
	CHECK(pf && vf && !vf->physfn);
	if (!pf || !vf || vf->physfn)
		goto out;
	ii_check_derive(&s, NULL, 0, &pf, 1, &c);
	cd = checked(&c, "0000:01:00.0");
	CHECK(cd && cd->verdict == II_VERDICT_AFTER_STEPS && cd->nsteps == 3);
	ii_check_free(&c);
	vf->physfn = xstrdup("0000:01:00.0");
	ii_check_derive(&s, NULL, 0, &pf, 1, &c);
	cd = checked(&c, "0000:01:00.0");
	CHECK(cd && cd->verdict == II_VERDICT_AFTER_STEPS && cd->nsteps == 4);
	CHECK(cd && cd->nsteps && cd->steps[0].kind == II_STEP_DISABLE_VFS &&
	      !strcmp(cd->steps[0].command, "echo 0 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"));
	CHECK(cd && cd->nbecause >= 1 && cd->because[0] == II_CHK_PF_VFS);
	ii_check_free(&c);
out:
	ii_system_free(&s);
	ii_root_close(root);
}
