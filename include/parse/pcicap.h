/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space, decoded (src/parse/parse-pcicap.c): the header's
 * type and bridge buses, the capability list and the extended capability
 * list walked safely (a list that loops, points outside the bytes given or
 * below the header ends the walk with a warning), and what device assignment
 * turns on: the PCI Express device/port type, ACS capability and control,
 * the resets a function offers (FLR, AF FLR, PM without soft reset), ATS,
 * PRI, PASID, SR-IOV, ARI.
 *
 * What is not in the bytes is unknown, never "absent": a non-root reader of
 * sysfs `config` sees 64 bytes (no capability list), the conventional space
 * is 256 bytes (no extended list), and a device with no PCIe capability has
 * no extended list at all.
 */
#ifndef II_PCICAP_H
#define II_PCICAP_H

#include "parse.h"

/* PCI Express device/port types (the PCIe capability's flags, bits 7:4). */
enum ii_pcie_type {
	II_PCIE_ENDPOINT = 0x0,
	II_PCIE_LEGACY_ENDPOINT = 0x1,
	II_PCIE_ROOT_PORT = 0x4,
	II_PCIE_UPSTREAM = 0x5,
	II_PCIE_DOWNSTREAM = 0x6,
	II_PCIE_TO_PCI_BRIDGE = 0x7,  /* PCIe to PCI/PCI-X bridge */
	II_PCI_TO_PCIE_BRIDGE = 0x8,  /* PCI/PCI-X to PCIe bridge */
	II_PCIE_RC_ENDPOINT = 0x9,    /* root complex integrated endpoint */
	II_PCIE_RC_EVENT_COLLECTOR = 0xa,
};
/* "endpoint", "root-port", ... or NULL for a reserved value. */
const char *ii_pcie_type_key(unsigned type);

/* ACS capability and control bits (both registers use the same positions). */
enum {
	II_ACS_SV = 1 << 0, /* Source Validation */
	II_ACS_TB = 1 << 1, /* Translation Blocking */
	II_ACS_RR = 1 << 2, /* P2P Request Redirect */
	II_ACS_CR = 1 << 3, /* P2P Completion Redirect */
	II_ACS_UF = 1 << 4, /* Upstream Forwarding */
	II_ACS_EC = 1 << 5, /* P2P Egress Control */
	II_ACS_DT = 1 << 6, /* Direct Translated P2P */
};
/* The flags the kernel requires for isolation (REQ_ACS_FLAGS in drivers/iommu/iommu.c). */
#define II_ACS_REQUIRED (II_ACS_SV | II_ACS_RR | II_ACS_CR | II_ACS_UF)
/* "Source Validation", ... for one bit. */
const char *ii_acs_bit_name(unsigned bit);

/* ii_pcicaps.known bits: what the bytes given could tell */
enum {
	II_PC_HEADER = 1 << 0,   /* the first 64 bytes: ids, header type, status */
	II_PC_CAPS = 1 << 1,     /* the capability list was walked to its end */
	II_PC_EXT = 1 << 2,      /* the extended list was walked to its end (4096 bytes given) */
};

struct ii_pcicap {
	uint16_t id;
	uint16_t offset;
	bool ext;                /* an extended capability */
	uint8_t version;         /* extended: its version */
};

struct ii_pcicaps {
	size_t len;              /* bytes given */
	unsigned known;
	uint16_t vendor_id, device_id, command, status;
	uint32_t class_code;
	uint8_t revision, header_type;
	bool multifunction;      /* header type bit 7 */
	uint8_t primary_bus, secondary_bus, subordinate_bus; /* header type 1 */
	uint16_t subvendor_id, subdevice_id;              /* header type 0 */

	struct ii_pcicap *caps;
	size_t ncaps;

	bool pcie;               /* a PCI Express capability is present */
	uint8_t pcie_type;       /* enum ii_pcie_type */
	bool flr;                /* PCIe DevCap: Function Level Reset */
	bool af, af_flr;         /* Advanced Features capability; its FLR */
	bool pm, pm_no_soft_reset; /* Power Management; No_Soft_Reset (D3hot->D0 keeps state) */
	bool acs;                /* an ACS extended capability (its registers below) */
	uint16_t acs_cap, acs_ctrl;
	bool acs_word8_valid;    /* the word at ACS+8, where Intel's 100/200-series PCH root
				    ports keep their control bits (pci_quirk_intel_spt_pch_acs) */
	uint16_t acs_word8;
	bool ats, pri, pasid, sriov, ari;
	struct strlist warnings; /* "config offset 0x40: capability list loops back to 0x40" */
};

/* Decode len bytes of configuration space (any len, any bytes). Free with ii_pcicaps_free. */
void ii_parse_pcicaps(const uint8_t *cfg, size_t len, struct ii_pcicaps *out);
void ii_pcicaps_free(struct ii_pcicaps *c);
/* The capability with that id (ext: an extended one), or NULL. */
const struct ii_pcicap *ii_pcicap_find(const struct ii_pcicaps *c, uint16_t id, bool ext);

/* Capability ids used here. */
enum {
	II_CAP_PM = 0x01,
	II_CAP_PCIX = 0x07,
	II_CAP_PCIE = 0x10,
	II_CAP_AF = 0x13,
	II_ECAP_ACS = 0x000d,
	II_ECAP_ARI = 0x000e,
	II_ECAP_ATS = 0x000f,
	II_ECAP_SRIOV = 0x0010,
	II_ECAP_PRI = 0x0013,
	II_ECAP_PASID = 0x001b,
};

#endif
