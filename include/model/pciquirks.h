/* SPDX-License-Identifier: MIT */
/*
 * The kernel's PCI quirks that decide IOMMU groups and device assignment, as
 * data (src/model/model-pci-quirks.c): what each asserts of which vendor and
 * device ids, and the kernel function that asserts it (drivers/pci/quirks.c).
 * The tables are those of the kernel 6.1 sources (Debian's 6.1 stable, which
 * carries later additions); a kernel before 6.1 may lack an entry, and the
 * model says so rather than assume it.
 *  - ACS quirks (pci_dev_specific_acs_enabled, pci_dev_acs_enabled[]): a device
 *    without a usable ACS capability that the kernel nevertheless counts as
 *    isolating (or, for a few, as not isolating);
 *  - DMA alias quirks (pci_add_dma_alias, PCI_DEV_FLAG_PCIE_BRIDGE_ALIAS,
 *    PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT): requester IDs a device uses besides its own;
 *  - reset quirks: devices whose FLR, bus reset or PM reset does not work
 *    (quirk_no_flr, quirk_no_bus_reset, quirk_no_pm_reset), and the device-specific
 *    resets (pci_dev_reset_methods[]);
 *  - the drivers that leave a group viable for VFIO (driver_managed_dma).
 */
#ifndef II_PCIQUIRKS_H
#define II_PCIQUIRKS_H

#include "model.h"

/* What the kernel concludes from an ACS quirk for the required flags (SV, RR, CR, UF). */
enum ii_acs_quirk_result {
	II_AQR_NONE,        /* no quirk applies: the capability decides */
	II_AQR_ISOLATES,    /* the quirk asserts isolation */
	II_AQR_DENIES,      /* the quirk says it does not isolate, whatever its capability */
	II_AQR_SPT,         /* Intel Sunrise/Union Point: decided by the control word at +8 */
};

/* What one quirk function asserts. */
enum ii_acs_quirk_kind {
	II_AQ_MF_ENDPOINT,  /* functions that never send peer-to-peer to each other */
	II_AQ_AMD_SB,       /* AMD southbridge multifunction on a root bus, with an IVRS: RR, CR */
	II_AQ_RCIEP,        /* an Intel root complex integrated endpoint (VT-d 3.16) */
	II_AQ_ISOLATED,     /* ports or functions that block peer-to-peer (SV, RR, CR, UF) */
	II_AQ_INTEL_PCH,    /* Intel PCH root ports: isolated once the kernel enables it */
	II_AQ_INTEL_SPT,    /* Intel 100/200-series PCH: ACS control read at the wrong offset */
	II_AQ_DENY,         /* a vendor-wide quirk's other devices: not isolated */
};

struct ii_acs_quirk {
	uint16_t vendor;
	uint16_t dev_lo, dev_hi;     /* a range of device ids, inclusive (0, 0xffff: any) */
	unsigned types;              /* the PCIe types it applies to (1 << type), 0: any function */
	enum ii_acs_quirk_kind kind;
	const char *function;        /* the kernel function: "pci_quirk_mf_endpoint_acs" */
};

/* What the ACS quirk search needs to know of a function. */
struct ii_acs_quirk_dev {
	uint16_t vendor, device;
	bool pcie;
	unsigned pcie_type;          /* enum ii_pcie_type, when pcie */
	bool multifunction;
	bool root_bus;
	bool ivrs;                   /* the firmware has an IVRS (AMD IOMMU) */
	bool acs_cap;                /* it has an ACS extended capability */
};

/*
 * pci_dev_specific_acs_enabled() for the required flags: the result and the quirk that
 * decided it (*which, NULL when none). For II_AQR_SPT the caller decides from the word at
 * ACS+8; for II_AQ_INTEL_PCH the result assumes the kernel could enable it (the chipset
 * register it sets is not in configuration space).
 */
enum ii_acs_quirk_result ii_acs_quirk(const struct ii_acs_quirk_dev *d,
				      const struct ii_acs_quirk **which);

/* DMA alias quirks. */
enum ii_alias_kind {
	II_DA_FUNC0,        /* quirk_dma_func0_alias: functions other than 0 use function 0's ID */
	II_DA_FUNC1,        /* quirk_dma_func1_alias: functions other than 1 use function 1's ID */
	II_DA_FIXED,        /* quirk_fixed_dma_alias: a fixed devfn (the subsystem ids say which card) */
	II_DA_DEVFNS,       /* quirk_mic_x200_dma_alias, quirk_pex_vca_alias: fixed devfns */
	II_DA_WHOLE_BUS,    /* quirk_plx_ntb_dma_alias: every devfn of its bus */
	II_DA_REGISTERS,    /* quirk_switchtec_ntb_dma_alias: read from the NTB's registers */
	II_DA_PCIE_BRIDGE,  /* quirk_use_pcie_bridge_dma_alias: a PCIe-to-PCI bridge without a PCIe cap */
	II_DA_XLATE_ROOT,   /* quirk_bridge_cavm_thrx2_pcie_root: the IOMMU sits at this bridge */
};

struct ii_alias_quirk {
	uint16_t vendor, device;
	uint16_t subvendor, subdevice; /* II_DA_FIXED: the card (0: any) */
	uint32_t class_code;           /* class >> 8 to match (0: any) */
	enum ii_alias_kind kind;
	uint8_t first, count;          /* II_DA_FIXED, II_DA_DEVFNS: devfns first.. (count); */
	const uint8_t *devfns;         /* or these (count of them) */
	uint8_t slots;                 /* II_DA_DEVFNS by slot: count devfns at each of slots slots */
	const char *function;
};

/* The alias quirk of a device, or NULL. */
const struct ii_alias_quirk *ii_alias_quirk(uint16_t vendor, uint16_t device, uint16_t subvendor,
					    uint16_t subdevice, uint32_t class_code);
/*
 * The devfns (on its own bus) a device of devfn uses besides its own, by its quirk: sets
 * bits in mask[256]; returns false when the quirk's aliases cannot be known (registers).
 */
bool ii_alias_devfns(const struct ii_alias_quirk *q, uint8_t devfn, bool mask[256]);

/* Reset quirks. */
enum ii_reset_quirk_kind {
	II_RQ_NO_FLR,           /* quirk_no_flr: its FLR hangs or breaks it */
	II_RQ_NO_BUS_RESET,     /* quirk_no_bus_reset: it does not come back from a bus reset */
	II_RQ_NO_PM_RESET,      /* quirk_no_pm_reset: D3hot->D0 does not reset it (not on a root bus) */
	II_RQ_DEVICE_SPECIFIC,  /* pci_dev_reset_methods[]: the kernel resets it its own way */
};
struct ii_reset_quirk {
	uint16_t vendor, dev_lo, dev_hi;
	uint32_t class_code;        /* class >> 8 to match (0: any) */
	int revision;               /* -1: any */
	enum ii_reset_quirk_kind kind;
	const char *function;
};
/* The reset quirks of a device, up to max into out; returns how many. */
size_t ii_reset_quirks(uint16_t vendor, uint16_t device, uint32_t class_code, uint8_t revision,
		       const struct ii_reset_quirk **out, size_t max);

/*
 * vfio-pci's device denylist (vfio_pci_dev_in_denylist(), since Linux 5.9): functions with
 * errata a guest could exploit, which its probe refuses (-EINVAL) unless the module's
 * disable_denylist is set. true for such a function.
 */
bool ii_vfio_denylisted(uint16_t vendor, uint16_t device);

/* What a bound driver means for a group's VFIO viability. */
enum ii_vfio_driver {
	II_VDRV_NONE,           /* no driver */
	II_VDRV_VFIO,           /* vfio-pci or a variant (mlx5_vfio_pci, ...) */
	II_VDRV_STUB,           /* pci-stub: holds the device, no DMA (driver_managed_dma) */
	II_VDRV_PORT,           /* pcieport: driver_managed_dma since 5.19 */
	II_VDRV_HOST,           /* any other: uses the kernel's DMA API */
};
enum ii_vfio_driver ii_vfio_driver_kind(const char *driver);
/*
 * Whether a device bound to that driver keeps its group from VFIO (kver major*1000+minor,
 * 0 unknown: the rules of 6.1). Since 5.19 a group can be claimed for VFIO only when none
 * of its devices has a driver that uses the kernel's DMA API (iommu_group_claim_dma_owner,
 * driver_managed_dma); before, vfio allowed no driver, a vfio driver, pci-stub, and any
 * driver on a bridge (vfio_dev_viable).
 */
bool ii_vfio_driver_blocks(enum ii_vfio_driver k, bool bridge, unsigned kver);

#endif
