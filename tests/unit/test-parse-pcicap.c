// SPDX-License-Identifier: MIT
/* The configuration-space decoder: real QEMU functions, hand-made lists, hostile lists. */
#include <stdlib.h>

#include "fixture.h"
#include "pcicap.h"
#include "test.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

/* A type-0 header with a capability list; caps are added by the tests. */
static void header(uint8_t *cfg, uint8_t first_cap)
{
	memset(cfg, 0, 4096);
	put16(cfg, 0x8086);
	put16(cfg + 2, 0x1234);
	put16(cfg + 6, 0x10);     /* status: capability list */
	cfg[0x34] = first_cap;
}

static struct ii_pcicaps fixture_caps(const char *bdf)
{
	char rel[128];
	size_t len = 0;
	char *buf;
	struct ii_pcicaps c;

	snprintf(rel, sizeof(rel), "intel-q35/sys/bus/pci/devices/%s/config", bdf);
	buf = fx_read(rel, &len);
	ii_parse_pcicaps((const uint8_t *)buf, buf ? len : 0, &c);
	free(buf);
	return c;
}

TEST(pcicap_qemu_root_port_has_acs)
{
	struct ii_pcicaps c = fixture_caps("0000:00:10.0");

	if (!c.len) {
		t_skip("fixtures/intel-q35 not found");
		return;
	}
	CHECK_INT(c.len, 4096);
	CHECK(c.known & II_PC_CAPS);
	CHECK(c.known & II_PC_EXT);
	CHECK(c.pcie);
	CHECK_INT(c.pcie_type, II_PCIE_ROOT_PORT);
	CHECK(c.multifunction);       /* 00:10.0-3 share a slot */
	CHECK(c.acs);
	CHECK((c.acs_cap & II_ACS_REQUIRED) == II_ACS_REQUIRED);
	CHECK_INT(c.warnings.n, 0);
	CHECK_STR(ii_pcie_type_key(c.pcie_type), "root-port");
	ii_pcicaps_free(&c);
}

TEST(pcicap_qemu_pci_bridge_and_conventional_endpoint)
{
	struct ii_pcicaps br = fixture_caps("0000:05:00.0"), ep = fixture_caps("0000:06:01.0");

	if (!br.len || !ep.len) {
		t_skip("fixtures/intel-q35 not found");
		ii_pcicaps_free(&br);
		ii_pcicaps_free(&ep);
		return;
	}
	CHECK(br.pcie);
	CHECK_INT(br.pcie_type, II_PCIE_TO_PCI_BRIDGE);
	CHECK_INT(br.header_type & 0x7f, 1);
	CHECK_INT(br.secondary_bus, 6);
	CHECK(!ep.pcie);              /* e1000 behind the PCI bridge: conventional PCI */
	CHECK(ep.known & II_PC_CAPS); /* its list ended within 256 bytes */
	CHECK(!(ep.known & II_PC_EXT)); /* no extended space known */
	CHECK_INT(ep.vendor_id, 0x8086);
	ii_pcicaps_free(&br);
	ii_pcicaps_free(&ep);
}

TEST(pcicap_decodes_pcie_flr_af_pm_acs)
{
	static uint8_t cfg[4096];
	struct ii_pcicaps c;

	header(cfg, 0x40);
	cfg[0x0e] = 0x80;                           /* multifunction */
	cfg[0x40] = II_CAP_PM, cfg[0x41] = 0x50;
	put16(cfg + 0x44, 0x0008);                  /* No_Soft_Reset */
	cfg[0x50] = II_CAP_PCIE, cfg[0x51] = 0x60;
	put16(cfg + 0x52, 0x0002);                  /* version 2, endpoint */
	put32(cfg + 0x54, 1u << 28);                /* FLR */
	cfg[0x60] = II_CAP_AF, cfg[0x61] = 0x00;
	cfg[0x63] = 0x03;                           /* TP, FLR */
	put32(cfg + 0x100, II_ECAP_ACS | 1u << 16 | 0x140u << 20);
	put16(cfg + 0x104, 0x1f);
	put16(cfg + 0x106, 0x05);                   /* SV and RR on */
	put32(cfg + 0x140, II_ECAP_ATS | 1u << 16);
	ii_parse_pcicaps(cfg, sizeof(cfg), &c);
	CHECK_INT(c.ncaps, 5);
	CHECK(c.pm && c.pm_no_soft_reset);
	CHECK(c.pcie && c.flr);
	CHECK_INT(c.pcie_type, II_PCIE_ENDPOINT);
	CHECK(c.af && c.af_flr);
	CHECK(c.acs);
	CHECK_INT(c.acs_cap, 0x1f);
	CHECK_INT(c.acs_ctrl, 0x05);
	CHECK(c.ats && !c.pri && !c.pasid);
	CHECK(c.known & II_PC_CAPS && c.known & II_PC_EXT);
	CHECK_INT(c.warnings.n, 0);
	CHECK(ii_pcicap_find(&c, II_ECAP_ATS, true) != NULL);
	CHECK(ii_pcicap_find(&c, II_ECAP_ATS, false) == NULL);
	ii_pcicaps_free(&c);
}

TEST(pcicap_loops_and_wild_pointers_end_the_walk)
{
	static uint8_t cfg[4096];
	struct ii_pcicaps c;

	header(cfg, 0x40);
	cfg[0x40] = II_CAP_PM, cfg[0x41] = 0x48;
	cfg[0x48] = II_CAP_PCIE, cfg[0x49] = 0x40;  /* back to the first */
	put32(cfg + 0x100, II_ECAP_ACS | 0x100u << 20); /* points at itself */
	ii_parse_pcicaps(cfg, sizeof(cfg), &c);
	CHECK_INT(c.ncaps, 3);
	CHECK(!(c.known & II_PC_CAPS));
	CHECK(!(c.known & II_PC_EXT));
	CHECK_INT(c.warnings.n, 2);
	ii_pcicaps_free(&c);

	header(cfg, 0xff);                          /* 0xfc: the last dword */
	cfg[0xfc] = II_CAP_PCIE, cfg[0xfd] = 0x00;
	ii_parse_pcicaps(cfg, 256, &c);
	CHECK_INT(c.ncaps, 1);
	CHECK(!c.pcie);                             /* its registers are not in the space */
	CHECK(c.known & II_PC_CAPS);
	ii_pcicaps_free(&c);
}

TEST(pcicap_short_space_is_unknown_not_absent)
{
	static uint8_t cfg[4096];
	struct ii_pcicaps c;

	header(cfg, 0x40);
	cfg[0x40] = II_CAP_PCIE;
	ii_parse_pcicaps(cfg, 64, &c);             /* what a non-root reader sees */
	CHECK(c.known & II_PC_HEADER);
	CHECK(!(c.known & II_PC_CAPS));
	CHECK(!(c.known & II_PC_EXT));
	CHECK(!c.pcie);
	ii_pcicaps_free(&c);

	ii_parse_pcicaps(cfg, 10, &c);
	CHECK_INT(c.known, 0);
	ii_pcicaps_free(&c);
	ii_parse_pcicaps(NULL, 0, &c);
	CHECK_INT(c.known, 0);
	ii_pcicaps_free(&c);
}

TEST(pcicap_every_length_is_safe)
{
	static uint8_t cfg[4096];
	struct ii_pcicaps c;

	header(cfg, 0x40);
	cfg[0x40] = II_CAP_PCIE, cfg[0x41] = 0x50;
	cfg[0x50] = II_CAP_PM;
	put32(cfg + 0x100, II_ECAP_ACS | 0x200u << 20);
	put32(cfg + 0x200, II_ECAP_PASID);
	for (size_t len = 0; len <= sizeof(cfg); len++) {
		uint8_t *copy = malloc(len ? len : 1);

		memcpy(copy, cfg, len);
		ii_parse_pcicaps(copy, len, &c);    /* ASan finds a read past len */
		ii_pcicaps_free(&c);
		free(copy);
	}
	CHECK(1);
}
