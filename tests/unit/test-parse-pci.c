// SPDX-License-Identifier: MIT
/* src/parse-pci.c: PCI addresses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "parse.h"
#include "test.h"

static int bdf(const char *s, unsigned dom, unsigned bus, unsigned dev, unsigned fn)
{
	struct ii_bdf b = { 0xeeee, 0xee, 0xee, 0xe };
	int ret = ii_parse_bdf(s, &b);

	if (ret)
		return ret;
	return b.domain == dom && b.bus == bus && b.dev == dev && b.fn == fn ? 0 : 1;
}

TEST(pci_parse_long_form)
{
	CHECK_INT(bdf("0000:00:02.0", 0, 0, 2, 0), 0);
	CHECK_INT(bdf("0000:06:01.0", 0, 6, 1, 0), 0);
	CHECK_INT(bdf("0001:ff:1f.7", 1, 0xff, 0x1f, 7), 0);
	CHECK_INT(bdf("ffff:a0:10.3", 0xffff, 0xa0, 0x10, 3), 0);
	/* upper-case hex is hex too */
	CHECK_INT(bdf("ABCD:EF:1F.7", 0xabcd, 0xef, 0x1f, 7), 0);
}

/* Intel VMD numbers its domains from 0x10000: the kernel prints them with 5 digits */
TEST(pci_parse_wide_domain)
{
	CHECK_INT(bdf("10000:01:00.0", 0x10000, 1, 0, 0), 0);
	CHECK_INT(bdf("10001:e1:1f.7", 0x10001, 0xe1, 0x1f, 7), 0);
	CHECK_INT(bdf("ffffffff:ff:1f.7", 0xffffffffu, 0xff, 0x1f, 7), 0);
	/* more digits than the kernel writes still name the same domain */
	CHECK_INT(bdf("00000:00:02.0", 0, 0, 2, 0), 0);
	CHECK_INT(bdf("0000abcd:00:02.0", 0xabcd, 0, 2, 0), 0);
}

TEST(pci_parse_short_form)
{
	CHECK_INT(bdf("00:02.0", 0, 0, 2, 0), 0);
	CHECK_INT(bdf("05:00.0", 0, 5, 0, 0), 0);
	CHECK_INT(bdf("ff:1f.7", 0, 0xff, 0x1f, 7), 0);
}

TEST(pci_parse_rejects_bad_lengths)
{
	struct ii_bdf b;

	CHECK_INT(ii_parse_bdf("", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf(NULL, &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("000:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("000000000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("100000000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.00", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:0:002.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:2.0", &b), -EINVAL);
}

TEST(pci_parse_rejects_dev_fn_out_of_range)
{
	struct ii_bdf b;

	CHECK_INT(ii_parse_bdf("0000:00:20.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:20.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:ff.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:1f.8", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:00.f", &b), -EINVAL);
	/* the boundaries themselves are accepted */
	CHECK_INT(ii_parse_bdf("0000:00:1f.7", &b), 0);
}

TEST(pci_parse_rejects_non_hex_and_separators)
{
	struct ii_bdf b;

	CHECK_INT(ii_parse_bdf("000g:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:0x:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:0z.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.x", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02:0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000.00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00.02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf(" 000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("-000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("+0:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:02 0", &b), -EINVAL);
}

TEST(pci_parse_rejects_trailing_junk)
{
	struct ii_bdf b;

	CHECK_INT(ii_parse_bdf("0000:00:02.0\n", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.0 ", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.0x", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:02.0x", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:02.01", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.0/", &b), -EINVAL);
}

TEST(pci_format)
{
	struct ii_bdf b = { 0, 0, 2, 0 };
	char out[II_BDF_MAX];

	ii_format_bdf(&b, out);
	CHECK_STR(out, "0000:00:02.0");
	b = (struct ii_bdf){ 0xabcd, 0xef, 0x1f, 7 };
	ii_format_bdf(&b, out);
	CHECK_STR(out, "abcd:ef:1f.7");
	CHECK_INT(strlen(out), 12);

	/* round trip through the short form */
	CHECK_INT(ii_parse_bdf("0a:1c.3", &b), 0);
	ii_format_bdf(&b, out);
	CHECK_STR(out, "0000:0a:1c.3");

	/* the widest address fills the buffer exactly */
	b = (struct ii_bdf){ 0xffffffffu, 0xff, 0x1f, 7 };
	ii_format_bdf(&b, out);
	CHECK_STR(out, "ffffffff:ff:1f.7");
	CHECK_INT(strlen(out), II_BDF_MAX - 1);
	b = (struct ii_bdf){ 0x10000, 1, 0, 0 };
	ii_format_bdf(&b, out);
	CHECK_STR(out, "10000:01:00.0");
}

/* what sysfs directories are named: exactly as ii_format_bdf() writes */
TEST(pci_canonical)
{
	struct ii_bdf b;

	CHECK(ii_bdf_is_canonical("0000:00:02.0", &b));
	CHECK(ii_bdf_is_canonical("10000:01:00.0", &b));
	CHECK_INT(b.domain, 0x10000);
	CHECK(ii_bdf_is_canonical("ffffffff:ff:1f.7", &b));
	CHECK(!ii_bdf_is_canonical("00:02.0", &b));
	CHECK(!ii_bdf_is_canonical("00000:00:02.0", &b));
	CHECK(!ii_bdf_is_canonical("0000:00:0A.0", &b));
	CHECK(!ii_bdf_is_canonical("0000:00:02.0 ", &b));
	CHECK(!ii_bdf_is_canonical("virtio0", &b));
}

TEST(pci_ordering)
{
	static const char *const sorted[] = {
		"0000:00:00.0", "0000:00:00.1", "0000:00:00.7", "0000:00:01.0", "0000:00:1f.7",
		"0000:01:00.0", "0000:0a:00.0", "0000:ff:1f.7", "0001:00:00.0", "ffff:00:00.0",
		"ffff:ff:1f.7", "10000:00:00.0", "10000:01:00.0", "10001:00:00.0", "ffffffff:ff:1f.7",
	};
	struct ii_bdf a, b;

	for (size_t i = 0; i < sizeof(sorted) / sizeof(sorted[0]); i++) {
		CHECK_INT(ii_parse_bdf(sorted[i], &a), 0);
		CHECK_INT(ii_bdf_cmp(&a, &a), 0);
		for (size_t j = i + 1; j < sizeof(sorted) / sizeof(sorted[0]); j++) {
			CHECK_INT(ii_parse_bdf(sorted[j], &b), 0);
			CHECK_INT(ii_bdf_cmp(&a, &b), -1);
			CHECK_INT(ii_bdf_cmp(&b, &a), 1);
		}
	}
	/* the short form is domain 0 */
	CHECK_INT(ii_parse_bdf("00:02.0", &a), 0);
	CHECK_INT(ii_parse_bdf("0000:00:02.0", &b), 0);
	CHECK_INT(ii_bdf_cmp(&a, &b), 0);
}

/* ------------------------------------------------------------ config header */

/* The first 64 bytes of config space, little-endian fields. */
static void header(uint8_t c[64], uint16_t vid, uint16_t did, uint32_t cls, uint8_t rev, uint8_t type)
{
	memset(c, 0, 64);
	c[0] = (uint8_t)vid;
	c[1] = (uint8_t)(vid >> 8);
	c[2] = (uint8_t)did;
	c[3] = (uint8_t)(did >> 8);
	c[8] = rev;
	c[9] = (uint8_t)cls;
	c[10] = (uint8_t)(cls >> 8);
	c[11] = (uint8_t)(cls >> 16);
	c[0x0e] = type;
}

TEST(pci_header_endpoint)
{
	uint8_t c[64];
	struct ii_pci_header h;

	header(c, 0x8086, 0x100e, 0x020000, 0x03, 0x80);
	c[0x2c] = 0xf4;
	c[0x2d] = 0x1a;
	c[0x2e] = 0x00;
	c[0x2f] = 0x11;
	CHECK_INT(ii_parse_pci_header(c, sizeof(c), &h), 0);
	CHECK(h.has_ids);
	CHECK_INT(h.vendor_id, 0x8086);
	CHECK_INT(h.device_id, 0x100e);
	CHECK_INT(h.class_code, 0x020000);
	CHECK_INT(h.revision, 3);
	CHECK_INT(h.header_type, 0);
	CHECK(h.multifunction);
	CHECK(h.has_subsys);
	CHECK_INT(h.subvendor_id, 0x1af4);
	CHECK_INT(h.subdevice_id, 0x1100);
	CHECK(!h.has_buses);
}

TEST(pci_header_bridge)
{
	uint8_t c[64];
	struct ii_pci_header h;

	header(c, 0x1b36, 0x000c, 0x060400, 0, 0x01);
	c[0x18] = 0x00;
	c[0x19] = 0x05;
	c[0x1a] = 0x06;
	c[0x2c] = 0xff; /* a bridge's 0x2c is its prefetchable window, not subsystem ids */
	CHECK_INT(ii_parse_pci_header(c, sizeof(c), &h), 0);
	CHECK_INT(h.header_type, 1);
	CHECK(!h.multifunction);
	CHECK(h.has_buses);
	CHECK_INT(h.secondary_bus, 5);
	CHECK_INT(h.subordinate_bus, 6);
	CHECK(!h.has_subsys);
	header(c, 0x104c, 0xac56, 0x060700, 0, 0x02); /* CardBus: neither */
	CHECK_INT(ii_parse_pci_header(c, sizeof(c), &h), 0);
	CHECK_INT(h.header_type, 2);
	CHECK(!h.has_buses && !h.has_subsys);
}

/* An SR-IOV VF reads 0xffff as its vendor and device: the ids must come from elsewhere. */
TEST(pci_header_vf)
{
	uint8_t c[64];
	struct ii_pci_header h;

	header(c, 0xffff, 0xffff, 0x020000, 0x02, 0x00);
	CHECK_INT(ii_parse_pci_header(c, sizeof(c), &h), 0);
	CHECK(!h.has_ids);
	CHECK_INT(h.class_code, 0x020000);
	CHECK_INT(h.revision, 2);
}

TEST(pci_header_short)
{
	uint8_t c[64] = { 0x86, 0x80 };
	struct ii_pci_header h;

	CHECK_INT(ii_parse_pci_header(c, 63, &h), -EINVAL);
	CHECK_INT(ii_parse_pci_header(c, 0, &h), -EINVAL);
	CHECK_INT(ii_parse_pci_header(c, 64, &h), 0);
}

/* the real config headers of the fixtures give what their attributes say */
TEST(pci_header_fixtures)
{
	static const char *const devs[] = { "0000:00:00.0", "0000:00:10.0", "0000:06:01.0",
					    "0000:06:02.0", "0000:07:00.1" };

	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		char rel[128], *cfg, *vendor, *cls;
		size_t len;
		struct ii_pci_header h;

		snprintf(rel, sizeof(rel), "intel-q35/sys/bus/pci/devices/%s/config", devs[i]);
		cfg = fx_read(rel, &len);
		snprintf(rel, sizeof(rel), "intel-q35/sys/bus/pci/devices/%s/vendor", devs[i]);
		vendor = fx_read(rel, NULL);
		snprintf(rel, sizeof(rel), "intel-q35/sys/bus/pci/devices/%s/class", devs[i]);
		cls = fx_read(rel, NULL);
		CHECK(cfg && vendor && cls);
		if (cfg && vendor && cls) {
			CHECK_INT(ii_parse_pci_header((const uint8_t *)cfg, len, &h), 0);
			CHECK_INT(h.vendor_id, strtoul(vendor, NULL, 16));
			CHECK_INT(h.class_code, strtoul(cls, NULL, 16));
		}
		free(cfg);
		free(vendor);
		free(cls);
	}
}

/* ------------------------------------------------------------------ uevent */

TEST(pci_uevent)
{
	struct ii_pci_uevent u;

	CHECK_INT(ii_parse_pci_uevent("DRIVER=e1000\nPCI_CLASS=20000\nPCI_ID=8086:100E\n"
				      "PCI_SUBSYS_ID=8086:001E\nPCI_SLOT_NAME=0000:06:01.0\n"
				      "MODALIAS=pci:v00008086d0000100Esv00008086sd0000001Ebc02sc00i00\n",
				      &u), 0);
	CHECK_INT(u.valid, II_UE_DRIVER | II_UE_CLASS | II_UE_IDS | II_UE_SUBSYS);
	CHECK_STR(u.driver, "e1000");
	CHECK_INT(u.class_code, 0x020000);
	CHECK_INT(u.vendor_id, 0x8086);
	CHECK_INT(u.device_id, 0x100e);
	CHECK_INT(u.subvendor_id, 0x8086);
	CHECK_INT(u.subdevice_id, 0x001e);
	/* no DRIVER line: no driver bound; a missing newline at the end is fine */
	CHECK_INT(ii_parse_pci_uevent("PCI_CLASS=60400\nPCI_ID=1B36:000C", &u), 0);
	CHECK_INT(u.valid, II_UE_CLASS | II_UE_IDS);
	CHECK_INT(u.class_code, 0x060400);
	CHECK_INT(ii_parse_pci_uevent("", &u), 0);
	CHECK_INT(u.valid, 0);
}

TEST(pci_uevent_rejects)
{
	struct ii_pci_uevent u;

	/* a malformed known key is reported, the good ones are kept */
	CHECK_INT(ii_parse_pci_uevent("PCI_ID=zzzz\nPCI_CLASS=20000\n", &u), -EINVAL);
	CHECK_INT(u.valid, II_UE_CLASS);
	CHECK_INT(ii_parse_pci_uevent("PCI_ID=8086\n", &u), -EINVAL);
	CHECK_INT(ii_parse_pci_uevent("PCI_ID=8086:10000\n", &u), -EINVAL);
	CHECK_INT(ii_parse_pci_uevent("PCI_ID=:100E\n", &u), -EINVAL);
	CHECK_INT(ii_parse_pci_uevent("PCI_CLASS=1000000\n", &u), -EINVAL);
	CHECK_INT(ii_parse_pci_uevent("DRIVER=\n", &u), -EINVAL);
	CHECK_INT(ii_parse_pci_uevent("DRIVER=../../x\n", &u), -EINVAL);
	CHECK_INT(u.valid, 0);
	CHECK_INT(ii_parse_pci_uevent(NULL, &u), -EINVAL);
	/* unknown keys and lines without '=' are skipped */
	CHECK_INT(ii_parse_pci_uevent("garbage\nFOO=bar\nPCI_ID=1AF4:1005\n", &u), 0);
	CHECK_INT(u.valid, II_UE_IDS);
}
