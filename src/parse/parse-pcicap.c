// SPDX-License-Identifier: MIT
/*
 * PCI configuration space: the header, the capability lists and what they
 * say about isolation (ACS) and reset. The walks follow the rules the kernel
 * applies (drivers/pci/pci.c): a capability pointer's low two bits are
 * ignored, a pointer below 0x40 ends the list, at most 48 capabilities are
 * followed; the extended list starts at 0x100, an all-zero header there
 * means none, and a next offset below 0x100 ends it. Here a pointer that
 * leaves the bytes given or comes back to a capability already seen ends the
 * walk too, with a warning, since the bytes are a recorded file, not
 * hardware.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi.h" /* ii_le16, ii_le32 */
#include "pcicap.h"

#define STD_TTL 48
#define EXT_START 0x100
#define EXT_END 0x1000

static const char *const pcie_types[] = {
	[II_PCIE_ENDPOINT] = "endpoint",
	[II_PCIE_LEGACY_ENDPOINT] = "legacy-endpoint",
	[II_PCIE_ROOT_PORT] = "root-port",
	[II_PCIE_UPSTREAM] = "upstream-port",
	[II_PCIE_DOWNSTREAM] = "downstream-port",
	[II_PCIE_TO_PCI_BRIDGE] = "pcie-to-pci-bridge",
	[II_PCI_TO_PCIE_BRIDGE] = "pci-to-pcie-bridge",
	[II_PCIE_RC_ENDPOINT] = "rc-integrated-endpoint",
	[II_PCIE_RC_EVENT_COLLECTOR] = "rc-event-collector",
};

const char *ii_pcie_type_key(unsigned type)
{
	return type < II_ARRAY_SIZE(pcie_types) ? pcie_types[type] : NULL;
}

const char *ii_acs_bit_name(unsigned bit)
{
	static const char *const names[] = {
		"Source Validation", "Translation Blocking", "P2P Request Redirect",
		"P2P Completion Redirect", "Upstream Forwarding", "P2P Egress Control",
		"Direct Translated P2P",
	};

	return bit < II_ARRAY_SIZE(names) ? names[bit] : NULL;
}

static void add_cap(struct ii_pcicaps *c, size_t *cap, uint16_t id, uint16_t off, bool ext,
		    uint8_t version)
{
	xgrow((void **)&c->caps, cap, c->ncaps + 1, sizeof(*c->caps));
	c->caps[c->ncaps++] = (struct ii_pcicap){ .id = id, .offset = off, .ext = ext,
						  .version = version };
}

static bool seen(const struct ii_pcicaps *c, uint16_t off, bool ext)
{
	for (size_t i = 0; i < c->ncaps; i++)
		if (c->caps[i].offset == off && c->caps[i].ext == ext)
			return true;
	return false;
}

/* The capability list of the first 256 bytes. */
static void walk_std(const uint8_t *cfg, size_t len, struct ii_pcicaps *c, size_t *cap)
{
	unsigned ptr_at = (c->header_type & 0x7f) == 2 ? 0x14 : 0x34;
	unsigned pos;
	int ttl = STD_TTL;

	if (!(c->status & 0x10)) {
		c->known |= II_PC_CAPS; /* the status register says there is no list */
		return;
	}
	if (len <= ptr_at)
		return;
	pos = cfg[ptr_at] & 0xfc;
	while (ttl-- > 0) {
		if (pos < 0x40) {
			c->known |= II_PC_CAPS;
			return;
		}
		if (pos + 2 > len) {
			if (len >= 256)
				ii_acpi_warn(&c->warnings, "config offset 0x%x: a capability pointer leads "
					     "outside the configuration space", pos);
			return; /* beyond the bytes given: the rest is unknown */
		}
		if (seen(c, (uint16_t)pos, false)) {
			ii_acpi_warn(&c->warnings, "config offset 0x%x: the capability list loops back to "
				     "a capability already seen; the walk stops there", pos);
			return;
		}
		add_cap(c, cap, cfg[pos], (uint16_t)pos, false, 0);
		pos = cfg[pos + 1] & 0xfc;
	}
	ii_acpi_warn(&c->warnings, "config: more than %d capabilities (the kernel follows no more); "
		     "the walk stops there", STD_TTL);
}

/* The extended capability list, from 0x100. */
static void walk_ext(const uint8_t *cfg, size_t len, struct ii_pcicaps *c, size_t *cap)
{
	unsigned pos = EXT_START;
	int ttl = (EXT_END - EXT_START) / 8;

	if (len < EXT_START + 4)
		return; /* not given: unknown */
	if (ii_le32(cfg + pos) == 0) {
		c->known |= len >= EXT_END ? II_PC_EXT : 0;
		return;
	}
	while (ttl-- > 0) {
		uint32_t h;

		if (pos + 4 > len) {
			if (len >= EXT_END)
				ii_acpi_warn(&c->warnings, "config offset 0x%x: an extended capability "
					     "leads outside the configuration space", pos);
			return;
		}
		if (seen(c, (uint16_t)pos, true)) {
			ii_acpi_warn(&c->warnings, "config offset 0x%x: the extended capability list "
				     "loops back to a capability already seen; the walk stops there", pos);
			return;
		}
		h = ii_le32(cfg + pos);
		add_cap(c, cap, (uint16_t)(h & 0xffff), (uint16_t)pos, true, (uint8_t)((h >> 16) & 0xf));
		pos = (h >> 20) & 0xffc;
		if (pos < EXT_START) {
			c->known |= II_PC_EXT;
			return;
		}
	}
	ii_acpi_warn(&c->warnings, "config: the extended capability list is longer than the space "
		     "allows; the walk stops there");
}

/* What the capabilities found say (each read only when its bytes are there). */
static void decode(const uint8_t *cfg, size_t len, struct ii_pcicaps *c)
{
	for (size_t i = 0; i < c->ncaps; i++) {
		const struct ii_pcicap *p = &c->caps[i];
		size_t o = p->offset;

		if (!p->ext) {
			switch (p->id) {
			case II_CAP_PCIE:
				if (c->pcie || o + 8 > len)
					break;
				c->pcie = true;
				c->pcie_type = (ii_le16(cfg + o + 2) >> 4) & 0xf;
				c->flr = ii_le32(cfg + o + 4) & (1u << 28);
				break;
			case II_CAP_AF:
				if (o + 4 > len)
					break;
				c->af = true;
				c->af_flr = cfg[o + 3] & 0x02;
				break;
			case II_CAP_PM:
				if (o + 6 > len)
					break;
				c->pm = true;
				c->pm_no_soft_reset = ii_le16(cfg + o + 4) & 0x08;
				break;
			}
			continue;
		}
		switch (p->id) {
		case II_ECAP_ACS:
			if (c->acs || o + 8 > len)
				break;
			c->acs = true;
			c->acs_cap = ii_le16(cfg + o + 4);
			c->acs_ctrl = ii_le16(cfg + o + 6);
			if (o + 10 <= len) {
				c->acs_word8_valid = true;
				c->acs_word8 = ii_le16(cfg + o + 8);
			}
			break;
		case II_ECAP_ATS:
			c->ats = true;
			break;
		case II_ECAP_PRI:
			c->pri = true;
			break;
		case II_ECAP_PASID:
			c->pasid = true;
			break;
		case II_ECAP_SRIOV:
			c->sriov = true;
			break;
		case II_ECAP_ARI:
			c->ari = true;
			break;
		}
	}
}

void ii_parse_pcicaps(const uint8_t *cfg, size_t len, struct ii_pcicaps *out)
{
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->len = len;
	if (!cfg || len < 64)
		return;
	out->known |= II_PC_HEADER;
	out->vendor_id = ii_le16(cfg);
	out->device_id = ii_le16(cfg + 2);
	out->command = ii_le16(cfg + 4);
	out->status = ii_le16(cfg + 6);
	out->revision = cfg[8];
	out->class_code = (uint32_t)cfg[9] | (uint32_t)cfg[10] << 8 | (uint32_t)cfg[11] << 16;
	out->header_type = cfg[0x0e];
	out->multifunction = cfg[0x0e] & 0x80;
	if ((out->header_type & 0x7f) == 1) {
		out->primary_bus = cfg[0x18];
		out->secondary_bus = cfg[0x19];
		out->subordinate_bus = cfg[0x1a];
	} else if ((out->header_type & 0x7f) == 0) {
		out->subvendor_id = ii_le16(cfg + 0x2c);
		out->subdevice_id = ii_le16(cfg + 0x2e);
	}
	walk_std(cfg, len < 256 ? len : 256, out, &cap);
	/* only PCI Express functions have an extended space (the kernel checks the same) */
	if (ii_pcicap_find(out, II_CAP_PCIE, false))
		walk_ext(cfg, len < EXT_END ? len : EXT_END, out, &cap);
	decode(cfg, len, out);
}

void ii_pcicaps_free(struct ii_pcicaps *c)
{
	free(c->caps);
	sl_free(&c->warnings);
	memset(c, 0, sizeof(*c));
}

const struct ii_pcicap *ii_pcicap_find(const struct ii_pcicaps *c, uint16_t id, bool ext)
{
	for (size_t i = 0; i < c->ncaps; i++)
		if (c->caps[i].id == id && c->caps[i].ext == ext)
			return &c->caps[i];
	return NULL;
}
