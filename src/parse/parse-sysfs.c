// SPDX-License-Identifier: MIT
/* Values of sysfs attributes (kernel-interfaces §1). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Only trailing whitespace may follow a value. */
static bool only_space(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return *p == '\0';
}

int ii_parse_hex(const char *s, uint64_t *out)
{
	char *end;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!isxdigit((unsigned char)*s) || (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 16);
	if (errno || !only_space(end))
		return -EINVAL;
	return 0;
}

int ii_parse_int(const char *s, long long *out)
{
	char *end;

	if (!s)
		return -EINVAL;
	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s) && !(*s == '-' && isdigit((unsigned char)s[1])))
		return -EINVAL;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || !only_space(end))
		return -EINVAL;
	return 0;
}

int ii_parse_group_name(const char *s, unsigned *out)
{
	unsigned long long v = 0;
	size_t n = 0;

	if (!s || !s[0] || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 10)
			return -EINVAL;
		v = v * 10 + (unsigned)(s[n] - '0');
	}
	if (v > UINT32_MAX)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

/* "0x" and a hex digit; not "0x0x", which strtoull() would also take. */
static bool hex_prefixed(const char *p)
{
	return p[0] == '0' && p[1] == 'x' && isxdigit((unsigned char)p[2]) &&
	       !(p[2] == '0' && (p[3] == 'x' || p[3] == 'X'));
}

int ii_parse_resv_line(const char *line, struct ii_resv *out)
{
	const char *p = line;
	char *end;
	size_t n;

	if (!hex_prefixed(p))
		return -EINVAL;
	errno = 0;
	out->start = strtoull(p + 2, &end, 16);
	if (errno || *end != ' ')
		return -EINVAL;
	p = end + 1;
	if (!hex_prefixed(p))
		return -EINVAL;
	out->end = strtoull(p + 2, &end, 16);
	if (errno || *end != ' ' || out->end < out->start)
		return -EINVAL;
	p = end + 1;
	n = 0;
	while (p[n] && !isspace((unsigned char)p[n]))
		n++;
	if (n == 0 || n >= sizeof(out->type) || !only_space(p + n))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isprint((unsigned char)p[i]))
			return -EINVAL;
	memcpy(out->type, p, n);
	out->type[n] = '\0';
	out->kind = !strcmp(out->type, "direct") ? II_RESV_DIRECT :
		    !strcmp(out->type, "direct-relaxable") ? II_RESV_DIRECT_RELAXABLE :
		    !strcmp(out->type, "reserved") ? II_RESV_RESERVED :
		    !strcmp(out->type, "msi") ? II_RESV_MSI : II_RESV_OTHER;
	return 0;
}

static const char *const domtype_names[] = {
	[II_DOM_UNKNOWN] = "unknown",   [II_DOM_DMA] = "DMA",
	[II_DOM_DMA_FQ] = "DMA-FQ",     [II_DOM_IDENTITY] = "identity",
	[II_DOM_BLOCKED] = "blocked",   [II_DOM_UNMANAGED] = "unmanaged",
};

enum ii_domtype ii_parse_domtype(const char *s)
{
	size_t n = strcspn(s, " \t\r\n");

	for (size_t i = 1; i < II_ARRAY_SIZE(domtype_names); i++)
		if (strlen(domtype_names[i]) == n && strncmp(s, domtype_names[i], n) == 0)
			return (enum ii_domtype)i;
	return II_DOM_UNKNOWN;
}

const char *ii_domtype_name(enum ii_domtype t)
{
	return (size_t)t < II_ARRAY_SIZE(domtype_names) ? domtype_names[t] : "unknown";
}

unsigned ii_parse_kver(const char *release)
{
	char *end;
	unsigned long major, minor;

	if (!release || !isdigit((unsigned char)*release))
		return 0;
	major = strtoul(release, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return 0;
	minor = strtoul(end + 1, &end, 10);
	if (major > 99 || minor > 999)
		return 0;
	return (unsigned)(major * 1000 + minor);
}

/* EFR bits that every AMD IOMMU implementation sets: PreF, or a nonzero HATS. */
static bool looks_like_efr(uint64_t v)
{
	return (v & 1) || ((v >> 10) & 3);
}

/* Assign the two fields "a:b" of the features file. */
static void split(struct ii_amd_features *out, uint64_t a, uint64_t b, bool efr2_first,
		  const char *basis, const char *order)
{
	out->efr = efr2_first ? b : a;
	out->efr2 = efr2_first ? a : b;
	out->layout = efr2_first ? "EFR2:EFR" : "EFR:EFR2";
	out->basis = basis;
	out->order = order;
}

#define GUESS_ODD(l) l " (guessed from the EFR bits: the order on this kernel version is not established)"
#define GUESS_UNKNOWN(l) l " (guessed from the EFR bits: kernel version unknown)"

int ii_parse_amd_features(const char *s, unsigned kver, struct ii_amd_features *out)
{
	char first[32], *colon;
	uint64_t a, b;
	size_t n;

	memset(out, 0, sizeof(*out));
	colon = strchr(s, ':');
	if (!colon) {
		if (ii_parse_hex(s, &out->efr))
			return -EINVAL;
		out->layout = "EFR";
		out->basis = "single-field";
		out->order = "EFR (one field: kernel before 6.1)";
		return 0;
	}
	n = (size_t)(colon - s);
	if (n == 0 || n >= sizeof(first))
		return -EINVAL;
	memcpy(first, s, n);
	first[n] = '\0';
	if (ii_parse_hex(first, &a) || ii_parse_hex(colon + 1, &b))
		return -EINVAL;
	out->has_efr2 = true;
	if (kver && kver <= 6006)
		split(out, a, b, true, "kernel-version", "EFR2:EFR (kernels 6.1 to 6.6)");
	else if (kver >= 6008)
		split(out, a, b, false, "kernel-version", "EFR:EFR2 (kernels 6.8 and later)");
	else if (looks_like_efr(b) && !looks_like_efr(a))
		split(out, a, b, true, "guessed", kver ? GUESS_ODD("EFR2:EFR") : GUESS_UNKNOWN("EFR2:EFR"));
	else
		split(out, a, b, false, "guessed", kver ? GUESS_ODD("EFR:EFR2") : GUESS_UNKNOWN("EFR:EFR2"));
	return 0;
}
