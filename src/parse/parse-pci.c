// SPDX-License-Identifier: MIT
/*
 * PCI addresses: "dddd:bb:dd.f" (4 to 8 domain digits) and the short "bb:dd.f"; the
 * identity of a function from its config header or its uevent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Parse exactly n hex digits (n > 0) at *s; advance past them. */
static int hexn(const char **s, int n, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++) {
		int d = ii_hexval((*s)[i]);
		if (d < 0)
			return -EINVAL;
		v = v * 16 + (unsigned)d;
	}
	*s += n;
	*out = v;
	return 0;
}

int ii_parse_bdf(const char *s, struct ii_bdf *out)
{
	unsigned dom = 0, bus, dev, fn;
	const char *p = s;
	size_t n = s ? strlen(s) : 0;

	/* "bb:dd.f" is 7 characters; a domain adds 4 to 8 digits and a colon */
	if (n >= 12 && n <= 16) {
		if (hexn(&p, (int)(n - 8), &dom) || *p++ != ':')
			return -EINVAL;
	} else if (n != 7) {
		return -EINVAL;
	}
	if (hexn(&p, 2, &bus) || *p++ != ':' || hexn(&p, 2, &dev) || *p++ != '.' ||
	    hexn(&p, 1, &fn) || *p)
		return -EINVAL;
	if (dev > 0x1f || fn > 7)
		return -EINVAL;
	out->domain = dom;
	out->bus = (uint8_t)bus;
	out->dev = (uint8_t)dev;
	out->fn = (uint8_t)fn;
	return 0;
}

void ii_format_bdf(const struct ii_bdf *b, char out[II_BDF_MAX])
{
	snprintf(out, II_BDF_MAX, "%04x:%02x:%02x.%x", (unsigned)b->domain, b->bus, b->dev, b->fn);
}

/* As "%04x:%02x:%02x.%x" writes: lowercase, and no leading zero beyond four domain digits. */
bool ii_bdf_is_canonical(const char *s, struct ii_bdf *out)
{
	size_t n;

	if (ii_parse_bdf(s, out))
		return false;
	n = strlen(s);
	if (n < 12 || (n > 12 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'F')
			return false;
	return true;
}

int ii_bdf_cmp(const struct ii_bdf *a, const struct ii_bdf *b)
{
	uint64_t x = ((uint64_t)a->domain << 16) | (uint64_t)(a->bus << 8) | (uint64_t)(a->dev << 3) | a->fn;
	uint64_t y = ((uint64_t)b->domain << 16) | (uint64_t)(b->bus << 8) | (uint64_t)(b->dev << 3) | b->fn;

	return x < y ? -1 : x > y;
}

/* Config space offsets (PCI Local Bus Specification 3.0, 6.1; PCI-to-PCI Bridge 1.2, 3.2). */
#define CFG_VENDOR_ID 0x00
#define CFG_DEVICE_ID 0x02
#define CFG_REVISION 0x08
#define CFG_CLASS 0x09         /* prog-if, subclass, base class: 24 bits little-endian */
#define CFG_HEADER_TYPE 0x0e
#define CFG_PRIMARY_BUS 0x18   /* type 1 */
#define CFG_SECONDARY_BUS 0x19
#define CFG_SUBORDINATE_BUS 0x1a
#define CFG_SUBSYS_VENDOR 0x2c /* type 0 */
#define CFG_SUBSYS_ID 0x2e

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int ii_parse_pci_header(const uint8_t *cfg, size_t len, struct ii_pci_header *out)
{
	memset(out, 0, sizeof(*out));
	if (len < II_PCI_HEADER_LEN)
		return -EINVAL;
	out->vendor_id = le16(cfg + CFG_VENDOR_ID);
	out->device_id = le16(cfg + CFG_DEVICE_ID);
	/*
	 * An SR-IOV virtual function's Vendor and Device ID registers read 0xffff (SR-IOV
	 * 1.1, 3.4.1.1-2); the kernel gives it its PF's vendor and the PF's VF Device ID,
	 * which only sysfs (uevent, vendor, device) tells. The rest of the header is its own.
	 */
	out->has_ids = out->vendor_id != 0xffff;
	out->revision = cfg[CFG_REVISION];
	out->class_code = (uint32_t)cfg[CFG_CLASS] | (uint32_t)cfg[CFG_CLASS + 1] << 8 |
			  (uint32_t)cfg[CFG_CLASS + 2] << 16;
	out->header_type = cfg[CFG_HEADER_TYPE] & 0x7f;
	out->multifunction = cfg[CFG_HEADER_TYPE] & 0x80;
	if (out->header_type == 0) {
		out->has_subsys = true;
		out->subvendor_id = le16(cfg + CFG_SUBSYS_VENDOR);
		out->subdevice_id = le16(cfg + CFG_SUBSYS_ID);
	} else if (out->header_type == 1) {
		out->has_buses = true;
		out->primary_bus = cfg[CFG_PRIMARY_BUS];
		out->secondary_bus = cfg[CFG_SECONDARY_BUS];
		out->subordinate_bus = cfg[CFG_SUBORDINATE_BUS];
	}
	return 0;
}

/* 1 to max hex digits and nothing else (the kernel prints %04X and %X). */
static bool hex_value(const char *p, size_t len, size_t max, unsigned long *out)
{
	unsigned long v = 0;

	if (!len || len > max)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = ii_hexval(p[i]);
		if (d < 0)
			return false;
		v = v * 16 + (unsigned long)d;
	}
	*out = v;
	return true;
}

/* "VVVV:DDDD" */
static bool id_pair(const char *p, size_t len, uint16_t *a, uint16_t *b)
{
	const char *colon = memchr(p, ':', len);
	unsigned long x, y;

	if (!colon || !hex_value(p, (size_t)(colon - p), 4, &x) ||
	    !hex_value(colon + 1, len - (size_t)(colon - p) - 1, 4, &y))
		return false;
	*a = (uint16_t)x;
	*b = (uint16_t)y;
	return true;
}

int ii_parse_pci_uevent(const char *text, struct ii_pci_uevent *out)
{
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!text)
		return -EINVAL;
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		const char *eq = memchr(p, '=', len);

		if (eq) {
			size_t klen = (size_t)(eq - p), vlen = len - klen - 1;
			const char *v = eq + 1;
			unsigned long cls;

			if (klen == 6 && !memcmp(p, "DRIVER", 6)) {
				if (vlen && vlen < sizeof(out->driver) && !memchr(v, '/', vlen)) {
					memcpy(out->driver, v, vlen);
					out->driver[vlen] = '\0';
					out->valid |= II_UE_DRIVER;
				} else {
					ret = -EINVAL;
				}
			} else if (klen == 9 && !memcmp(p, "PCI_CLASS", 9)) {
				if (hex_value(v, vlen, 6, &cls)) {
					out->class_code = (uint32_t)cls;
					out->valid |= II_UE_CLASS;
				} else {
					ret = -EINVAL;
				}
			} else if (klen == 6 && !memcmp(p, "PCI_ID", 6)) {
				if (id_pair(v, vlen, &out->vendor_id, &out->device_id))
					out->valid |= II_UE_IDS;
				else
					ret = -EINVAL;
			} else if (klen == 13 && !memcmp(p, "PCI_SUBSYS_ID", 13)) {
				if (id_pair(v, vlen, &out->subvendor_id, &out->subdevice_id))
					out->valid |= II_UE_SUBSYS;
				else
					ret = -EINVAL;
			}
		}
		p += len;
		if (*p)
			p++;
	}
	return ret;
}
