// SPDX-License-Identifier: MIT
/*
 * Faults of a stream ID that is a bridge's DMA alias, on the real arm64 QEMU
 * trees (fixtures/arm-smmuv3-virt: ACPI IORT; arm-smmuv3-virt-dt: device tree):
 * the e1000 and the virtio-rng behind the PCIe-to-PCI bridge 05:00.0 both carry
 * the alias 06:00.0 (stream 0x600); the kernel gave it to the virtio-rng, and
 * the e1000, left with no SMMU, faulted with it. The fault is named by the alias
 * requester ID and the bridge's group; a device's own stream ID still names it.
 */
#include <stdlib.h>
#include <string.h>

#include "arm.h"
#include "faults.h"
#include "fixture.h"
#include "model.h"
#include "test.h"

static struct ii_root *load(struct ii_system *s, const char *name)
{
	char path[4096], *err = NULL;
	struct ii_root *r;

	memset(s, 0, sizeof(*s));
	if (!fx_path(name, path, sizeof(path))) {
		CHECK(!"fixtures/ not found");
		return NULL;
	}
	r = ii_root_open(path, &err);
	if (!r) {
		t_fail(__FILE__, __LINE__, "%s: %s", path, err ? err : "?");
		free(err);
		return NULL;
	}
	/* not the PCI ID names: libpci's lookup through udev's hwdb leaks a little, which ASan would report */
	ii_system_load(s, r, II_LOAD_ALL & ~(unsigned)II_LOAD_PCI_IDS, NULL);
	return r;
}

static void smmu_fault(struct ii_fault *f, const char *unit, uint32_t sid)
{
	memset(f, 0, sizeof(*f));
	f->vendor = II_VENDOR_ARM_SMMU_V3;
	f->has_sid = true;
	f->sid = sid;
	f->group = -1;
	snprintf(f->unit, sizeof(f->unit), "%s", unit);
}

static void alias_case(const char *fixture, const char *unit)
{
	struct ii_system s;
	struct ii_root *r = load(&s, fixture);
	struct ii_fault f;
	struct ii_bdf alias;
	const struct ii_device *b;

	if (!r)
		return;
	/* the alias: 06:00.0, no such device; the bridge 05:00.0 and its group */
	smmu_fault(&f, unit, 0x600);
	ii_fault_attribute(&s, &f);
	CHECK(f.has_bdf && f.bdf.domain == 0 && f.bdf.bus == 6 && f.bdf.dev == 0 && f.bdf.fn == 0);
	CHECK(f.dev == NULL);
	CHECK(f.via != NULL && !strcmp(f.via->name, "0000:05:00.0"));
	CHECK(f.group >= 0 && f.via && f.group == f.via->group);
	b = ii_idmap_alias_by_sid(&s, NULL, 0x600, &alias);
	CHECK(b != NULL && alias.bus == 6);
	/* a device's own stream ID: that device (the edu at 00:05.0, stream 0x28) */
	smmu_fault(&f, unit, 0x28);
	ii_fault_attribute(&s, &f);
	CHECK(f.dev != NULL && !strcmp(f.dev->name, "0000:00:05.0") && f.via == NULL);
	/* a stream no device and no alias gives: unattributed */
	smmu_fault(&f, unit, 0x700 | 0x7);
	ii_fault_attribute(&s, &f);
	CHECK(!f.has_bdf && f.dev == NULL && f.via == NULL && f.group == -1);
	CHECK(ii_idmap_alias_by_sid(&s, NULL, 0x707, &alias) == NULL);
	ii_system_free(&s);
	ii_root_close(r);
}

TEST(arm_alias_acpi)
{
	alias_case("arm-smmuv3-virt", "arm-smmu-v3.0.auto");
}

TEST(arm_alias_dt)
{
	alias_case("arm-smmuv3-virt-dt", "9050000.smmuv3");
}
