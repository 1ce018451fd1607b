// SPDX-License-Identifier: MIT
/* PCI addresses: "dddd:bb:dd.f" and the short "bb:dd.f". */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

/* Parse exactly n hex digits (n > 0) at *s; advance past them. */
static int hexn(const char **s, int n, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*s)[i];
		if (!isxdigit((unsigned char)c))
			return -EINVAL;
		v = v * 16 + (unsigned)(isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10));
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

	if (n == 12) {
		if (hexn(&p, 4, &dom) || *p++ != ':')
			return -EINVAL;
	} else if (n != 7) {
		return -EINVAL;
	}
	if (hexn(&p, 2, &bus) || *p++ != ':' || hexn(&p, 2, &dev) || *p++ != '.' ||
	    hexn(&p, 1, &fn) || *p)
		return -EINVAL;
	if (dev > 0x1f || fn > 7)
		return -EINVAL;
	out->domain = (uint16_t)dom;
	out->bus = (uint8_t)bus;
	out->dev = (uint8_t)dev;
	out->fn = (uint8_t)fn;
	return 0;
}

void ii_format_bdf(const struct ii_bdf *b, char out[16])
{
	snprintf(out, 16, "%04x:%02x:%02x.%x", b->domain, b->bus, b->dev, b->fn);
}

int ii_bdf_cmp(const struct ii_bdf *a, const struct ii_bdf *b)
{
	uint32_t x = ((uint32_t)a->domain << 16) | (uint32_t)(a->bus << 8) | (uint32_t)(a->dev << 3) | a->fn;
	uint32_t y = ((uint32_t)b->domain << 16) | (uint32_t)(b->bus << 8) | (uint32_t)(b->dev << 3) | b->fn;

	return x < y ? -1 : x > y;
}
