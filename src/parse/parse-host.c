// SPDX-License-Identifier: MIT
/*
 * proc/self/mountinfo, proc/net/route, proc/net/ipv6_route and an input
 * device's capability bitmaps (include/parse/hostparse.h).
 *
 *   36 25 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw
 *   Iface  Destination  Gateway  Flags  RefCnt  Use  Metric  Mask  MTU  Window  IRTT
 *   eth0   00000000     0102A8C0 0003   0       0    100     00000000  0 0 0
 *   00000000000000000000000000000000 00 00000000000000000000000000000000 00
 *     fe800000000000000000000000000001 00000400 00000001 00000000 00000003 eth0
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hostparse.h"

#define RTF_UP 0x0001
#define RTF_REJECT 0x0200

/* The next field of a line (space separated) into buf; false at the end of the line. */
static bool field(const char **p, char *buf, size_t size)
{
	const char *s = *p, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '\n')
		return false;
	for (e = s; *e && *e != ' ' && *e != '\t' && *e != '\n'; e++)
		;
	str_copy(buf, size, s, (size_t)(e - s));
	*p = e;
	return true;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static int parse_devnum(const char *s, unsigned *major, unsigned *minor)
{
	char *end;
	unsigned long a, b;

	a = strtoul(s, &end, 10);
	if (end == s || *end != ':')
		return -EINVAL;
	s = end + 1;
	b = strtoul(s, &end, 10);
	if (end == s || *end || a > 0xfffff || b > 0xfffff)
		return -EINVAL;
	*major = (unsigned)a;
	*minor = (unsigned)b;
	return 0;
}

int ii_parse_mountinfo_root(const char *text, struct ii_mount *out)
{
	int ret = -ENOENT;

	memset(out, 0, sizeof(*out));
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n'), *p = line;
		char f[4][512], sep[8], fstype[64], source[512];
		bool ok = true;

		/* mount id, parent id, major:minor, root, mount point */
		for (int i = 0; i < 4 && ok; i++)
			ok = field(&p, f[i], sizeof(f[i]));
		ok = ok && field(&p, f[3], sizeof(f[3]));
		if (ok && !strcmp(f[3], "/")) {
			struct ii_mount m = { 0 };

			/* optional fields up to "-", then the type and the source */
			do {
				ok = field(&p, sep, sizeof(sep));
			} while (ok && strcmp(sep, "-") != 0);
			ok = ok && field(&p, fstype, sizeof(fstype)) && field(&p, source, sizeof(source)) &&
			     parse_devnum(f[2], &m.major, &m.minor) == 0;
			if (ok) {
				unescape(source);
				str_copy(m.fstype, sizeof(m.fstype), fstype, strlen(fstype));
				str_copy(m.source, sizeof(m.source), source, strlen(source));
				*out = m;
				ret = 0;
			} else {
				ret = -EINVAL;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return ret;
}

struct route {
	char iface[64];
	unsigned long metric;
};

static int route_cmp(const void *a, const void *b)
{
	const struct route *x = a, *y = b;

	return x->metric < y->metric ? -1 : x->metric > y->metric;
}

static void add_sorted(struct route *v, size_t n, struct strlist *ifaces)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), route_cmp); /* stable enough: equal metrics keep no order */
	for (size_t i = 0; i < n; i++)
		if (!sl_contains(ifaces, v[i].iface))
			sl_add(ifaces, v[i].iface);
}

static bool hex_field(const char *s, size_t digits, unsigned long *v)
{
	char *end;

	if (digits && strlen(s) != digits)
		return false;
	*v = strtoul(s, &end, 16);
	return end != s && !*end;
}

size_t ii_parse_route_defaults(const char *text, struct strlist *ifaces)
{
	struct route *v = NULL;
	size_t n = 0, cap = 0, bad = 0;
	bool header = true;

	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n'), *p = line;
		char f[8][64];
		unsigned long dest, flags, metric, mask;
		int k = 0;

		while (k < 8 && field(&p, f[k], sizeof(f[k])))
			k++;
		if (header) {
			header = false; /* "Iface Destination Gateway ..." */
		} else if (k == 0) {
			/* an empty line */
		} else if (k < 8 || !hex_field(f[1], 8, &dest) || !hex_field(f[3], 0, &flags) ||
			   !hex_field(f[7], 8, &mask)) {
			bad++;
		} else if (dest == 0 && mask == 0 && (flags & RTF_UP)) {
			char *end;

			metric = strtoul(f[6], &end, 10);
			xgrow((void **)&v, &cap, n + 1, sizeof(*v));
			str_copy(v[n].iface, sizeof(v[n].iface), f[0], strlen(f[0]));
			v[n++].metric = *end ? ~0UL : metric;
		}
		line = nl ? nl + 1 : NULL;
	}
	add_sorted(v, n, ifaces);
	free(v);
	return bad;
}

size_t ii_parse_route6_defaults(const char *text, struct strlist *ifaces)
{
	struct route *v = NULL;
	size_t n = 0, cap = 0, bad = 0;

	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n'), *p = line;
		char f[10][64];
		unsigned long plen, metric, flags;
		int k = 0;

		while (k < 10 && field(&p, f[k], sizeof(f[k])))
			k++;
		if (k == 0) {
			/* an empty line */
		} else if (k < 10 || strlen(f[0]) != 32 || !hex_field(f[1], 2, &plen) ||
			   !hex_field(f[5], 8, &metric) || !hex_field(f[8], 8, &flags)) {
			bad++;
		} else if (plen == 0 && strspn(f[0], "0") == 32 && (flags & RTF_UP) &&
			   !(flags & RTF_REJECT) && strcmp(f[9], "lo") != 0) {
			xgrow((void **)&v, &cap, n + 1, sizeof(*v));
			str_copy(v[n].iface, sizeof(v[n].iface), f[9], strlen(f[9]));
			v[n++].metric = metric;
		}
		line = nl ? nl + 1 : NULL;
	}
	add_sorted(v, n, ifaces);
	free(v);
	return bad;
}

/* The last (least significant) word of a bitmap, or -EINVAL. */
static int last_word(const char *s, unsigned long long *w)
{
	const char *p = s, *last = NULL;
	char buf[32];

	while (field(&p, buf, sizeof(buf))) {
		for (const char *c = buf; *c; c++)
			if (!strchr("0123456789abcdefABCDEF", *c))
				return -EINVAL;
		if (strlen(buf) > 16)
			return -EINVAL;
		last = p;
	}
	if (!last)
		return -EINVAL;
	*w = strtoull(buf, NULL, 16);
	return 0;
}

int ii_parse_input_keyboard(const char *ev, const char *key)
{
	unsigned long long e, k;

	if (last_word(ev, &e) < 0)
		return -EINVAL;
	if (!(e & (1ULL << 1))) /* EV_KEY */
		return 0;
	if (last_word(key, &k) < 0)
		return -EINVAL;
	return (k & 0xfffffffeULL) == 0xfffffffeULL;
}
