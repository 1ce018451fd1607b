// SPDX-License-Identifier: MIT
/* src/parse/parse-bootlog.c: what the Arm SMMU drivers, virtio-iommu and the GIC say at boot. */
#include <string.h>

#include "parse.h"
#include "test.h"

static void feed(struct ii_logfacts *f, uint64_t seq, const char *text)
{
	struct ii_kmsg m = { .prio = 6, .seq = seq, .text = (char *)text };

	ii_logfacts_feed(f, &m);
}

TEST(bootlog_smmu_v3_units)
{
	struct ii_logfacts f = { 0 };

	feed(&f, 10, "ITS [mem 0x08080000-0x0809ffff]");
	feed(&f, 11, "arm-smmu-v3 arm-smmu-v3.0.auto: option mask 0x0");
	feed(&f, 12, "arm-smmu-v3 arm-smmu-v3.0.auto: ias 44-bit, oas 44-bit (features 0x00008305)");
	feed(&f, 13, "arm-smmu-v3 arm-smmu-v3.0.auto: allocated 65536 entries for cmdq");
	feed(&f, 14, "arm-smmu-v3 arm-smmu-v3.0.auto: allocated 32768 entries for evtq");
	feed(&f, 15, "arm-smmu-v3 9050000.smmuv3: ias 48-bit, oas 48-bit (features 0x00001fef)");
	feed(&f, 16, "arm-smmu-v3 9050000.smmuv3: allocated 65536 entries for priq");
	feed(&f, 17, "PCI/MSI: ITS@0x8080000 domain created");
	CHECK_INT(f.nubs, 2);
	CHECK_STR(f.ubs[0].dev, "arm-smmu-v3.0.auto");
	CHECK(f.ubs[0].has_features);
	CHECK_INT(f.ubs[0].features, 0x8305);
	CHECK_INT(f.ubs[0].ias, 44);
	CHECK_INT(f.ubs[0].cmdq, 65536);
	CHECK_INT(f.ubs[0].evtq, 32768);
	CHECK_INT(f.ubs[0].priq, 0);
	CHECK_INT(f.ubs[0].probe.seq, 12);
	CHECK_STR(f.ubs[1].dev, "9050000.smmuv3");
	CHECK_INT(f.ubs[1].priq, 65536);
	CHECK_INT(f.its.seq, 10);
	CHECK_INT(f.its_pci.seq, 17);
	CHECK(f.smmu.text != NULL);
	ii_logfacts_free(&f);
}

TEST(bootlog_smmu_v2_and_virtio)
{
	struct ii_logfacts f = { 0 };

	feed(&f, 1, "GICv2m: range[mem 0x08020000-0x08020fff], SPI[80:143]");
	feed(&f, 2, "arm-smmu 2b400000.smmu: probing hardware configuration...");
	feed(&f, 3, "arm-smmu 2b400000.smmu: SMMUv2 with:");
	feed(&f, 4, "arm-smmu 2b400000.smmu: \tstage 1 translation");
	feed(&f, 5, "arm-smmu 2b400000.smmu: \t8 context banks (0 stage-2 only)");
	feed(&f, 6, "arm-smmu 2b400000.smmu: Stage-1: 48-bit VA -> 44-bit IPA");
	feed(&f, 7, "arm-smmu 2b400000.smmu: cannot parse this");
	feed(&f, 8, "virtio_iommu virtio0: input address: 64 bits");
	feed(&f, 9, "virtio_iommu virtio0: page mask: 0xfffffffffffff000");
	feed(&f, 10, "virtio_iommu: no colon here");
	CHECK_INT(f.gicv2m.seq, 1);
	CHECK_INT(f.nubs, 2);
	CHECK_INT(f.ubs[0].kind, II_UB_SMMU);
	CHECK_INT(f.ubs[0].notes.n, 4);
	CHECK_INT(f.ubs[0].ias, 48);
	CHECK_INT(f.ubs[0].oas, 44);
	CHECK_INT(f.ubs[1].kind, II_UB_VIRTIO);
	CHECK_INT(f.ubs[1].input_bits, 64);
	CHECK(f.ubs[1].has_pgmask);
	CHECK_U64(f.ubs[1].pgmask, 0xfffffffffffff000ull);
	ii_logfacts_free(&f);
}

TEST(bootlog_smmu_feature_names)
{
	struct strlist l = { 0 };

	/* QEMU's SMMUv3: 2-level stream table, LE walks, coherent, stage 1, range invalidation */
	ii_smmu_feature_names(0x8305, &l);
	CHECK_INT(l.n, 5);
	CHECK_STR(l.v[0], "2-level stream table");
	CHECK_STR(l.v[1], "little-endian walks");
	CHECK_STR(l.v[2], "coherent walks");
	CHECK_STR(l.v[3], "stage 1");
	CHECK_STR(l.v[4], "range invalidation");
	sl_free(&l);
	/* bits above 15 changed meaning between kernels: by number only */
	ii_smmu_feature_names(0x80010000u, &l);
	CHECK_INT(l.n, 2);
	CHECK_STR(l.v[0], "bit 16");
	CHECK_STR(l.v[1], "bit 31");
	sl_free(&l);
	ii_smmu_feature_names(0, &l);
	CHECK_INT(l.n, 0);
	sl_free(&l);
}
