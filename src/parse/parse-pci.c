// SPDX-License-Identifier: MIT
/* PCI addresses: "dddd:bb:dd.f" (4 to 8 domain digits) and the short "bb:dd.f". */
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

bool ii_bdf_is_canonical(const char *s, struct ii_bdf *out)
{
	char again[II_BDF_MAX];

	if (ii_parse_bdf(s, out))
		return false;
	ii_format_bdf(out, again);
	return !strcmp(again, s);
}

int ii_bdf_cmp(const struct ii_bdf *a, const struct ii_bdf *b)
{
	uint64_t x = ((uint64_t)a->domain << 16) | (uint64_t)(a->bus << 8) | (uint64_t)(a->dev << 3) | a->fn;
	uint64_t y = ((uint64_t)b->domain << 16) | (uint64_t)(b->bus << 8) | (uint64_t)(b->dev << 3) | b->fn;

	return x < y ? -1 : x > y;
}
