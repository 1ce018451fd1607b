// SPDX-License-Identifier: MIT
/*
 * The kernel's PCI quirks as data (include/model/pciquirks.h). Each entry is
 * a fact read from drivers/pci/quirks.c of the 6.1 sources: the ids a quirk
 * is declared for and what its function asserts; the comments name the
 * function. The ACS table keeps the kernel's order, since the kernel stops at
 * the first quirk that decides (pci_dev_specific_acs_enabled).
 */
#include <string.h>

#include "pciquirks.h"
#include "pcicap.h"

#define ANY 0x0000, 0xffff
#define ONE(d) (d), (d)
#define RP (1u << II_PCIE_ROOT_PORT)
#define DS (1u << II_PCIE_DOWNSTREAM)

#define V_ATI 0x1002
#define V_AMD 0x1022
#define V_SOLARFLARE 0x1924
#define V_INTEL 0x8086
#define V_QCOM 0x17cb
#define V_HXT 0x1dbf
#define V_CAVIUM 0x177d
#define V_AMCC 0x10e8
#define V_AMPERE 0x1def
#define V_BROADCOM 0x14e4
#define V_LOONGSON 0x0014
#define V_AMAZON_AL 0x1c36
#define V_ZHAOXIN 0x1d17
#define V_NXP 0x1957
#define V_WANGXUN 0x8088

#define MF(v, d) { v, ONE(d), 0, II_AQ_MF_ENDPOINT, "pci_quirk_mf_endpoint_acs" }
#define AMD_SB(v, d) { v, ONE(d), 0, II_AQ_AMD_SB, "pci_quirk_amd_sb_acs" }
#define PCH(lo, hi) { V_INTEL, lo, hi, RP, II_AQ_INTEL_PCH, "pci_quirk_intel_pch_acs" }
#define SPT(lo, hi) { V_INTEL, lo, hi, RP, II_AQ_INTEL_SPT, "pci_quirk_intel_spt_pch_acs" }
#define R(lo, hi) (lo), (hi)
#define ISO(v, range, types, fn) { v, range, types, II_AQ_ISOLATED, fn }

/* pci_dev_acs_enabled[], in its order */
static const struct ii_acs_quirk acs_quirks[] = {
	AMD_SB(V_ATI, 0x4385), AMD_SB(V_ATI, 0x439c), AMD_SB(V_ATI, 0x4383), AMD_SB(V_ATI, 0x439d),
	AMD_SB(V_ATI, 0x4384), AMD_SB(V_ATI, 0x4399), AMD_SB(V_AMD, 0x780f), AMD_SB(V_AMD, 0x7809),
	MF(V_SOLARFLARE, 0x0903), MF(V_SOLARFLARE, 0x0923), MF(V_SOLARFLARE, 0x0a03),
	MF(V_INTEL, 0x10c6), MF(V_INTEL, 0x10db), MF(V_INTEL, 0x10dd), MF(V_INTEL, 0x10e1),
	MF(V_INTEL, 0x10f1), MF(V_INTEL, 0x10f7), MF(V_INTEL, 0x10f8), MF(V_INTEL, 0x10f9),
	MF(V_INTEL, 0x10fa), MF(V_INTEL, 0x10fb), MF(V_INTEL, 0x10fc), MF(V_INTEL, 0x1507),
	MF(V_INTEL, 0x1514), MF(V_INTEL, 0x151c), MF(V_INTEL, 0x1529), MF(V_INTEL, 0x152a),
	MF(V_INTEL, 0x154d), MF(V_INTEL, 0x154f), MF(V_INTEL, 0x1551), MF(V_INTEL, 0x1558),
	/* 82580 */
	MF(V_INTEL, 0x1509), MF(V_INTEL, 0x150e), MF(V_INTEL, 0x150f), MF(V_INTEL, 0x1510),
	MF(V_INTEL, 0x1511), MF(V_INTEL, 0x1516), MF(V_INTEL, 0x1527),
	/* 82576 */
	MF(V_INTEL, 0x10c9), MF(V_INTEL, 0x10e6), MF(V_INTEL, 0x10e7), MF(V_INTEL, 0x10e8),
	MF(V_INTEL, 0x150a), MF(V_INTEL, 0x150d), MF(V_INTEL, 0x1518), MF(V_INTEL, 0x1526),
	/* 82575 */
	MF(V_INTEL, 0x10a7), MF(V_INTEL, 0x10a9), MF(V_INTEL, 0x10d6),
	/* I350 */
	MF(V_INTEL, 0x1521), MF(V_INTEL, 0x1522), MF(V_INTEL, 0x1523), MF(V_INTEL, 0x1524),
	/* 82571 (the quad-port ones sit behind a switch without ACS: not listed) */
	MF(V_INTEL, 0x105e), MF(V_INTEL, 0x105f), MF(V_INTEL, 0x1060), MF(V_INTEL, 0x10d9),
	/* I219 */
	MF(V_INTEL, 0x15b7), MF(V_INTEL, 0x15b8),
	/* pci_quirk_rciep_acs: Intel RCiEPs allow peer-to-peer only on translated addresses */
	{ V_INTEL, ANY, 1u << II_PCIE_RC_ENDPOINT, II_AQ_RCIEP, "pci_quirk_rciep_acs" },
	/* pci_quirk_qcom_rp_acs: QDF2xxx, SA8775P, Hamoa, Glymur root ports; HXT SD4800 */
	ISO(V_QCOM, ONE(0x0400), 0, "pci_quirk_qcom_rp_acs"),
	ISO(V_QCOM, ONE(0x0401), 0, "pci_quirk_qcom_rp_acs"),
	ISO(V_QCOM, ONE(0x0115), 0, "pci_quirk_qcom_rp_acs"),
	ISO(V_QCOM, ONE(0x0111), 0, "pci_quirk_qcom_rp_acs"),
	ISO(V_QCOM, ONE(0x0120), 0, "pci_quirk_qcom_rp_acs"),
	ISO(V_HXT, ONE(0x0401), 0, "pci_quirk_qcom_rp_acs"),
	/* pci_quirk_intel_pch_acs: pci_quirk_intel_pch_acs_ids[] (Red Hat bugzilla 1037684) */
	PCH(0x3b42, 0x3b51), PCH(0x1c10, 0x1c1f), PCH(0x1e10, 0x1e1f), PCH(0x8c10, 0x8c1f),
	PCH(0x9c10, 0x9c1b), PCH(0x9c90, 0x9c9b),
	PCH(0x1d10, 0x1d10), PCH(0x1d12, 0x1d12), PCH(0x1d14, 0x1d14), PCH(0x1d16, 0x1d16),
	PCH(0x1d18, 0x1d18), PCH(0x1d1a, 0x1d1a), PCH(0x1d1c, 0x1d1c), PCH(0x1d1e, 0x1d1e),
	PCH(0x8d10, 0x8d1e),
	PCH(0x8c90, 0x8c90), PCH(0x8c92, 0x8c92), PCH(0x8c94, 0x8c94), PCH(0x8c96, 0x8c96),
	PCH(0x8c98, 0x8c98), PCH(0x8c9a, 0x8c9a), PCH(0x8c9c, 0x8c9c), PCH(0x8c9e, 0x8c9e),
	/* pci_quirk_intel_spt_pch_acs: Sunrise Point, Union Point, 7th/8th gen mobile */
	SPT(0xa110, 0xa11f), SPT(0xa167, 0xa16a), SPT(0xa290, 0xa29f), SPT(0xa2e7, 0xa2ee),
	SPT(0x9d10, 0x9d1b),
	MF(0x19a2, 0x0710), /* Emulex BE3-R */
	MF(0x10df, 0x0720), /* Emulex Skyhawk-R */
	/* pci_quirk_cavium_acs: ThunderX1, ThunderX2, ThunderX3 root ports */
	ISO(V_CAVIUM, R(0xa000, 0xa7ff), RP, "pci_quirk_cavium_acs"),
	ISO(V_CAVIUM, ONE(0xaf84), RP, "pci_quirk_cavium_acs"),
	ISO(V_CAVIUM, ONE(0xb884), RP, "pci_quirk_cavium_acs"),
	MF(V_CAVIUM, 0xa026), MF(V_CAVIUM, 0xa059), MF(V_CAVIUM, 0xa060),
	/* pci_quirk_xgene_acs: APM X-Gene, Ampere root ports */
	ISO(V_AMCC, ONE(0xe004), 0, "pci_quirk_xgene_acs"),
	ISO(V_AMPERE, R(0xe005, 0xe00c), 0, "pci_quirk_xgene_acs"),
	MF(V_BROADCOM, 0x16d7), MF(V_BROADCOM, 0x1750), MF(V_BROADCOM, 0x1751),
	MF(V_BROADCOM, 0x1752), MF(V_BROADCOM, 0x1760), MF(V_BROADCOM, 0x1761),
	MF(V_BROADCOM, 0x1762), MF(V_BROADCOM, 0x1763),
	ISO(V_BROADCOM, ONE(0xd714), 0, "pci_quirk_brcm_acs"),
	/* pci_quirk_loongson_acs */
	ISO(V_LOONGSON, ONE(0x3c09), 0, "pci_quirk_loongson_acs"),
	ISO(V_LOONGSON, ONE(0x3c19), 0, "pci_quirk_loongson_acs"),
	ISO(V_LOONGSON, ONE(0x3c29), 0, "pci_quirk_loongson_acs"),
	ISO(V_LOONGSON, R(0x7a09, 0x7a09), 0, "pci_quirk_loongson_acs"),
	ISO(V_LOONGSON, R(0x7a19, 0x7a19), 0, "pci_quirk_loongson_acs"),
	ISO(V_LOONGSON, R(0x7a29, 0x7a29), 0, "pci_quirk_loongson_acs"),
	ISO(V_LOONGSON, R(0x7a39, 0x7a39), 0, "pci_quirk_loongson_acs"),
	ISO(V_LOONGSON, R(0x7a49, 0x7a49), 0, "pci_quirk_loongson_acs"),
	ISO(V_LOONGSON, R(0x7a59, 0x7a59), 0, "pci_quirk_loongson_acs"),
	ISO(V_LOONGSON, R(0x7a69, 0x7a69), 0, "pci_quirk_loongson_acs"),
	/* pci_quirk_al_acs: Amazon Annapurna Labs root ports */
	ISO(V_AMAZON_AL, ONE(0x0031), RP, "pci_quirk_al_acs"),
	MF(V_ZHAOXIN, 0x3038), MF(V_ZHAOXIN, 0x3104), MF(V_ZHAOXIN, 0x9083),
	/* pci_quirk_nxp_rp_acs: LX2xx0 and LX2xx2 root ports */
	ISO(V_NXP, ONE(0x8d81), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8da1), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8d83), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8d80), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8da0), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8d82), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8d90), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8db0), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8d92), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8d91), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8db1), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8d93), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8d89), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8da9), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8d8b), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8d88), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8da8), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8d8a), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8d98), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8db8), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8d9a), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8d99), 0, "pci_quirk_nxp_rp_acs"),
	ISO(V_NXP, ONE(0x8db9), 0, "pci_quirk_nxp_rp_acs"), ISO(V_NXP, ONE(0x8d9b), 0, "pci_quirk_nxp_rp_acs"),
	/* pci_quirk_zhaoxin_pcie_ports_acs: root and downstream ports; the others deny */
	ISO(V_ZHAOXIN, R(0x0710, 0x071e), RP | DS, "pci_quirk_zhaoxin_pcie_ports_acs"),
	ISO(V_ZHAOXIN, ONE(0x0721), RP | DS, "pci_quirk_zhaoxin_pcie_ports_acs"),
	ISO(V_ZHAOXIN, R(0x0723, 0x0752), RP | DS, "pci_quirk_zhaoxin_pcie_ports_acs"),
	{ V_ZHAOXIN, ANY, RP | DS, II_AQ_DENY, "pci_quirk_zhaoxin_pcie_ports_acs" },
	/* pci_quirk_wangxun_nic_acs: EM, SP, AML NICs; the vendor's other devices deny */
	ISO(V_WANGXUN, R(0x0100, 0x010f), 0, "pci_quirk_wangxun_nic_acs"),
	ISO(V_WANGXUN, ONE(0x1001), 0, "pci_quirk_wangxun_nic_acs"),
	ISO(V_WANGXUN, ONE(0x2001), 0, "pci_quirk_wangxun_nic_acs"),
	ISO(V_WANGXUN, ONE(0x5010), 0, "pci_quirk_wangxun_nic_acs"),
	ISO(V_WANGXUN, ONE(0x5025), 0, "pci_quirk_wangxun_nic_acs"),
	ISO(V_WANGXUN, ONE(0x5040), 0, "pci_quirk_wangxun_nic_acs"),
	ISO(V_WANGXUN, ONE(0x5110), 0, "pci_quirk_wangxun_nic_acs"),
	ISO(V_WANGXUN, ONE(0x5125), 0, "pci_quirk_wangxun_nic_acs"),
	ISO(V_WANGXUN, ONE(0x5140), 0, "pci_quirk_wangxun_nic_acs"),
	{ V_WANGXUN, ANY, 0, II_AQ_DENY, "pci_quirk_wangxun_nic_acs" },
};

/* the kernel's pci_pcie_type() of a function without a PCIe capability reads 0 (endpoint) */
static bool type_matches(const struct ii_acs_quirk *q, const struct ii_acs_quirk_dev *d)
{
	if (!q->types)
		return true;
	return d->pcie && d->pcie_type < 16 && (q->types & (1u << d->pcie_type));
}

enum ii_acs_quirk_result ii_acs_quirk(const struct ii_acs_quirk_dev *d,
				      const struct ii_acs_quirk **which)
{
	*which = NULL;
	for (size_t i = 0; i < II_ARRAY_SIZE(acs_quirks); i++) {
		const struct ii_acs_quirk *q = &acs_quirks[i];

		if (q->vendor != d->vendor || d->device < q->dev_lo || d->device > q->dev_hi)
			continue;
		if (!type_matches(q, d))
			continue; /* the function returns -ENOTTY: the next quirk is asked */
		switch (q->kind) {
		case II_AQ_AMD_SB:
			if (!d->multifunction || !d->root_bus || !d->ivrs)
				continue; /* -ENODEV */
			break;
		case II_AQ_INTEL_SPT:
			if (!d->acs_cap)
				continue;
			*which = q;
			return II_AQR_SPT;
		case II_AQ_DENY:
			*which = q;
			return II_AQR_DENIES;
		default:
			break;
		}
		*which = q;
		return II_AQR_ISOLATES;
	}
	return II_AQR_NONE;
}

/* ------------------------------------------------------------- DMA aliases */

static const uint8_t mic_x200_devfns[] = { 0x10 << 3, 0x11 << 3, (0x12 << 3) | 3 };

#define F0(v, d) { v, d, 0, 0, 0, II_DA_FUNC0, 0, 0, NULL, 0, "quirk_dma_func0_alias" }
#define F1(v, d) { v, d, 0, 0, 0, II_DA_FUNC1, 0, 0, NULL, 0, "quirk_dma_func1_alias" }
#define PB(v, d) { v, d, 0, 0, 0, II_DA_PCIE_BRIDGE, 0, 0, NULL, 0, "quirk_use_pcie_bridge_dma_alias" }
#define VCA(d) { V_INTEL, d, 0, 0, 0, II_DA_DEVFNS, 0, 5, NULL, 32, "quirk_pex_vca_alias" }
#define STEC(v, d) { v, d, 0, 0, 0x0680, II_DA_REGISTERS, 0, 0, NULL, 0, "quirk_switchtec_ntb_dma_alias" }

static const struct ii_alias_quirk alias_quirks[] = {
	/* Ricoh, Glenfly: function 0's requester ID */
	F0(0x1180, 0xe832), F0(0x1180, 0xe476), F0(0x6766, 0x3d40), F0(0x6766, 0x3d41),
	/* Marvell 88SE91xx/92xx SATA (bugzilla 42679), TTI, JMicron JMB388, Plextor M6E */
	F1(0x1b4b, 0x9120), F1(0x1b4b, 0x9123), F1(0x1b4b, 0x9125), F1(0x1b4b, 0x9128),
	F1(0x1b4b, 0x9130), F1(0x1b4b, 0x9170), F1(0x1b4b, 0x9172), F1(0x1b4b, 0x917a),
	F1(0x1b4b, 0x9182), F1(0x1b4b, 0x9183), F1(0x1b4b, 0x91a0), F1(0x1b4b, 0x9215),
	F1(0x1b4b, 0x9220), F1(0x1b4b, 0x9230), F1(0x1b4b, 0x9235), F1(0x1103, 0x0642),
	F1(0x1103, 0x0645), F1(0x197b, 0x2392), F1(0x1c28, 0x0122),
	/* quirk_fixed_dma_alias: Adaptec 3405 and 3805, whose DMA engine is at 01.0 */
	{ 0x9005, 0x0285, 0x9005, 0x02bb, 0, II_DA_FIXED, 1 << 3, 1, NULL, 0, "quirk_fixed_dma_alias" },
	{ 0x9005, 0x0285, 0x9005, 0x02bc, 0, II_DA_FIXED, 1 << 3, 1, NULL, 0, "quirk_fixed_dma_alias" },
	/* ASMedia ASM1083/1085, Tundra 8113, ITE 8892/8893, Intel 82801 */
	PB(0x1b21, 0x1080), PB(0x10e3, 0x8113), PB(0x1283, 0x8892), PB(0x1283, 0x8893),
	PB(V_INTEL, 0x244e),
	/* MIC x200 NTB: the RIT-LUT's requester IDs */
	{ V_INTEL, 0x2260, 0, 0, 0, II_DA_DEVFNS, 0, 3, mic_x200_devfns, 0, "quirk_mic_x200_dma_alias" },
	{ V_INTEL, 0x2264, 0, 0, 0, II_DA_DEVFNS, 0, 3, mic_x200_devfns, 0, "quirk_mic_x200_dma_alias" },
	/* Intel VCA: functions 0-4 of every slot */
	VCA(0x2954), VCA(0x2955), VCA(0x2956), VCA(0x2958), VCA(0x2959), VCA(0x295a),
	/* Broadcom Vulcan / Cavium ThunderX2: the IOMMU is associated at this bridge */
	{ V_BROADCOM, 0x9000, 0, 0, 0, II_DA_XLATE_ROOT, 0, 0, NULL, 0, "quirk_bridge_cavm_thrx2_pcie_root" },
	{ V_BROADCOM, 0x9084, 0, 0, 0, II_DA_XLATE_ROOT, 0, 0, NULL, 0, "quirk_bridge_cavm_thrx2_pcie_root" },
	/* Switchtec NTBs (class "other bridge"): aliases from the partition tables in MMIO */
	STEC(0x11f8, 0x8531), STEC(0x11f8, 0x8532), STEC(0x11f8, 0x8533), STEC(0x11f8, 0x8534),
	STEC(0x11f8, 0x8535), STEC(0x11f8, 0x5568), STEC(0x11f8, 0x5552), STEC(0x11f8, 0x5536),
	STEC(0x11f8, 0x5528),
	/* PLX NTB: every devfn of bus 0 */
	{ 0x10b5, 0x87b0, 0, 0, 0, II_DA_WHOLE_BUS, 0, 0, NULL, 0, "quirk_plx_ntb_dma_alias" },
	{ 0x10b5, 0x87b1, 0, 0, 0, II_DA_WHOLE_BUS, 0, 0, NULL, 0, "quirk_plx_ntb_dma_alias" },
};

/*
 * Switchtec: every id of SWITCHTEC_QUIRK() and SWITCHTEC_PCI100X_QUIRK() (Microsemi
 * 0x8531-0x8536, 0x8541-0x8546, 0x8551-0x8556, 0x8561-0x8566, 0x8571-0x8576, 0x4000-0x4352
 * families, PAXA; Efar 0x1001-0x1005): matched by class and vendor, since the aliases
 * cannot be known from outside anyway.
 */
static bool switchtec(uint16_t vendor, uint32_t class_code)
{
	return (vendor == 0x11f8 || vendor == 0x1055) && (class_code >> 8) == 0x0680;
}

const struct ii_alias_quirk *ii_alias_quirk(uint16_t vendor, uint16_t device, uint16_t subvendor,
					    uint16_t subdevice, uint32_t class_code)
{
	static const struct ii_alias_quirk stec = { 0x11f8, 0, 0, 0, 0x0680, II_DA_REGISTERS, 0, 0,
						     NULL, 0, "quirk_switchtec_ntb_dma_alias" };

	for (size_t i = 0; i < II_ARRAY_SIZE(alias_quirks); i++) {
		const struct ii_alias_quirk *q = &alias_quirks[i];

		if (q->vendor != vendor || q->device != device)
			continue;
		if (q->subvendor && (q->subvendor != subvendor || q->subdevice != subdevice))
			continue;
		if (q->class_code && (class_code >> 8) != q->class_code)
			continue;
		return q;
	}
	return switchtec(vendor, class_code) ? &stec : NULL;
}

bool ii_alias_devfns(const struct ii_alias_quirk *q, uint8_t devfn, bool mask[256])
{
	switch (q->kind) {
	case II_DA_FUNC0:
		if (devfn & 7)
			mask[devfn & ~7] = true;
		return true;
	case II_DA_FUNC1:
		if ((devfn & 7) != 1)
			mask[(devfn & ~7) | 1] = true;
		return true;
	case II_DA_FIXED:
		for (unsigned k = 0; k < q->count; k++)
			mask[(uint8_t)(q->first + k)] = true;
		return true;
	case II_DA_DEVFNS:
		if (q->devfns) {
			for (unsigned k = 0; k < q->count; k++)
				mask[q->devfns[k]] = true;
		} else {
			for (unsigned slot = 0; slot < q->slots; slot++)
				for (unsigned k = 0; k < q->count; k++)
					mask[(slot << 3) + k] = true;
		}
		return true;
	case II_DA_WHOLE_BUS:
		for (unsigned k = 0; k < 256; k++)
			mask[k] = true;
		return true;
	case II_DA_REGISTERS:
		return false;
	case II_DA_PCIE_BRIDGE:
	case II_DA_XLATE_ROOT:
		return true; /* no devfn of its own bus: they change the walk upwards */
	}
	return true;
}

/* ------------------------------------------------------------------ resets */

static const struct ii_reset_quirk reset_quirks[] = {
	/* quirk_no_bus_reset */
	{ 0x10de, 0x22ce, 0x22ce, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" }, /* GB10 root port */
	{ 0x10de, 0x22d0, 0x22d0, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" },
	{ 0x10de, 0x2340, 0x237f, 0, -1, II_RQ_NO_BUS_RESET, "quirk_nvidia_no_bus_reset" },
	{ 0x168c, 0x0030, 0x0030, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" }, /* Atheros */
	{ 0x168c, 0x0032, 0x0034, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" },
	{ 0x168c, 0x003c, 0x003c, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" },
	{ 0x168c, 0x003e, 0x003e, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" },
	{ V_QCOM, 0x1103, 0x1103, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" }, /* WCN6855 */
	{ V_QCOM, 0x1107, 0x1107, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" }, /* WCN7850 */
	{ V_QCOM, 0x0308, 0x0308, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" }, /* SDX62/65 */
	{ V_CAVIUM, 0xa100, 0xa100, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" },
	{ 0x104c, 0xb005, 0xb005, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" }, /* TI C667X */
	{ 0x1b21, 0x1164, 0x1164, 0, -1, II_RQ_NO_BUS_RESET, "quirk_no_bus_reset" }, /* ASM1164 */
	/* quirk_no_pm_reset: AMD/ATI VGA (Oland), Mellanox Spectrum */
	{ V_ATI, ANY, 0x0300, -1, II_RQ_NO_PM_RESET, "quirk_no_pm_reset" },
	{ 0x15b3, 0xcb84, 0xcb84, 0, -1, II_RQ_NO_PM_RESET, "quirk_no_pm_reset" },
	{ 0x15b3, 0xcf6c, 0xcf6c, 0, -1, II_RQ_NO_PM_RESET, "quirk_no_pm_reset" },
	{ 0x15b3, 0xcf70, 0xcf70, 0, -1, II_RQ_NO_PM_RESET, "quirk_no_pm_reset" },
	{ 0x15b3, 0xcf80, 0xcf80, 0, -1, II_RQ_NO_PM_RESET, "quirk_no_pm_reset" },
	/* quirk_no_flr: AMD Matisse audio and USB, FCH SATA; Intel 82579; SolidRun SNET rev 1 */
	{ V_AMD, 0x1487, 0x1487, 0, -1, II_RQ_NO_FLR, "quirk_no_flr" },
	{ V_AMD, 0x148c, 0x148c, 0, -1, II_RQ_NO_FLR, "quirk_no_flr" },
	{ V_AMD, 0x149c, 0x149c, 0, -1, II_RQ_NO_FLR, "quirk_no_flr" },
	{ V_AMD, 0x7901, 0x7901, 0, -1, II_RQ_NO_FLR, "quirk_no_flr" },
	{ V_INTEL, 0x1502, 0x1503, 0, -1, II_RQ_NO_FLR, "quirk_no_flr" },
	{ 0xd063, 0x1000, 0x1000, 0, 1, II_RQ_NO_FLR, "quirk_no_flr_snet" },
	/* pci_dev_reset_methods[] */
	{ V_INTEL, 0x10ed, 0x10ed, 0, -1, II_RQ_DEVICE_SPECIFIC, "reset_intel_82599_sfp_virtfn" },
	{ V_INTEL, 0x0156, 0x0156, 0, -1, II_RQ_DEVICE_SPECIFIC, "reset_ivb_igd" },
	{ V_INTEL, 0x0166, 0x0166, 0, -1, II_RQ_DEVICE_SPECIFIC, "reset_ivb_igd" },
	{ 0x144d, 0xa804, 0xa804, 0, -1, II_RQ_DEVICE_SPECIFIC, "nvme_disable_and_flr" },
	{ V_INTEL, 0x0953, 0x0953, 0, -1, II_RQ_DEVICE_SPECIFIC, "delay_250ms_after_flr" },
	{ V_INTEL, 0x0a54, 0x0a54, 0, -1, II_RQ_DEVICE_SPECIFIC, "delay_250ms_after_flr" },
	{ 0x025e, 0xf1ac, 0xf1ac, 0, -1, II_RQ_DEVICE_SPECIFIC, "delay_250ms_after_flr" },
	{ 0x1425, 0x4000, 0x4fff, 0, -1, II_RQ_DEVICE_SPECIFIC, "reset_chelsio_generic_dev" }, /* T4 */
	{ 0x19e5, 0x375e, 0x375e, 0, -1, II_RQ_DEVICE_SPECIFIC, "reset_hinic_vf_dev" },
};

size_t ii_reset_quirks(uint16_t vendor, uint16_t device, uint32_t class_code, uint8_t revision,
		       const struct ii_reset_quirk **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < II_ARRAY_SIZE(reset_quirks) && n < max; i++) {
		const struct ii_reset_quirk *q = &reset_quirks[i];

		if (q->vendor != vendor || device < q->dev_lo || device > q->dev_hi)
			continue;
		if (q->class_code && (class_code >> 8) != q->class_code)
			continue;
		if (q->revision >= 0 && q->revision != revision)
			continue;
		out[n++] = q;
	}
	return n;
}

/* ---------------------------------------------------------------- drivers */

bool ii_vfio_denylisted(uint16_t vendor, uint16_t device)
{
	/* drivers/vfio/pci/vfio_pci.c (6.1): Intel QuickAssist C3xxx, C62x and DH895xCC and
	   their VFs (since 5.9), and the Sapphire Rapids DSA and IAA (IAX) */
	static const uint16_t intel[] = { 0x19e2, 0x19e3, 0x37c8, 0x37c9, 0x0435, 0x0443,
					  0x0b25, 0x0cfe };

	if (vendor != 0x8086)
		return false;
	for (size_t i = 0; i < II_ARRAY_SIZE(intel); i++)
		if (intel[i] == device)
			return true;
	return false;
}

/* driver_managed_dma = true in the 6.1 sources: vfio-pci and its variant drivers */
static const char *const vfio_drivers[] = {
	"vfio-pci", "mlx5_vfio_pci", "hisi_acc_vfio_pci",
	/* later variants (6.7 and on) */
	"pds_vfio_pci", "virtio_vfio_pci", "nvgrace_gpu_vfio_pci", "qat_vfio_pci",
};

enum ii_vfio_driver ii_vfio_driver_kind(const char *driver)
{
	size_t n;

	if (!driver || !*driver)
		return II_VDRV_NONE;
	for (size_t i = 0; i < II_ARRAY_SIZE(vfio_drivers); i++)
		if (!strcmp(driver, vfio_drivers[i]))
			return II_VDRV_VFIO;
	n = strlen(driver);
	if (n > 8 && (!strcmp(driver + n - 8, "vfio_pci") || !strcmp(driver + n - 8, "vfio-pci")))
		return II_VDRV_VFIO;
	if (!strcmp(driver, "pci-stub"))
		return II_VDRV_STUB;
	if (!strcmp(driver, "pcieport"))
		return II_VDRV_PORT;
	return II_VDRV_HOST;
}

bool ii_vfio_driver_blocks(enum ii_vfio_driver k, bool bridge, unsigned kver)
{
	switch (k) {
	case II_VDRV_NONE:
	case II_VDRV_VFIO:
	case II_VDRV_STUB:
		return false;
	case II_VDRV_PORT:
		return false; /* driver_managed_dma since 5.19; a bridge's driver before */
	case II_VDRV_HOST:
		/* before 5.19, vfio_dev_viable() let any driver of a "PCI interconnect device" be */
		return !(bridge && kver && kver < 5019);
	}
	return true;
}
