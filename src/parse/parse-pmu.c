// SPDX-License-Identifier: MIT
/*
 * perf PMU format fields, event terms and CPU lists (include/parse/pmufmt.h).
 *
 *   format/event        config:0-27
 *   format/filter_pasid config2:0-21
 *   events/iotlb_lookup event_group=0x3,event=0x001
 *   cpumask             0
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pmufmt.h"

/* A decimal or 0x-hex number at *p; advances *p. */
static bool number(const char **p, uint64_t *out)
{
	const char *s = *p;
	int base = 10;
	uint64_t v = 0;
	bool any = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / (uint64_t)base)
			return false; /* overflow */
		v = v * (uint64_t)base + d;
		any = true;
	}
	if (!any)
		return false;
	*p = s;
	*out = v;
	return true;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static bool at_end(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return *p == '\0';
}

/* "config" 0, "config1" 1, "config2" 2; advances *p. */
static bool config_word(const char **p, unsigned *word)
{
	const char *s = *p;

	if (strncmp(s, "config", 6) != 0)
		return false;
	s += 6;
	if (*s == '1' || *s == '2') {
		*word = (unsigned)(*s - '0');
		s++;
	} else {
		*word = 0;
	}
	*p = s;
	return true;
}

int ii_parse_pmu_format(const char *name, const char *text, struct ii_pmu_field *out,
			const char **why)
{
	const char *p = skip_ws(text);

	memset(out, 0, sizeof(*out));
	str_copy(out->name, sizeof(out->name), name, strlen(name));
	if (!config_word(&p, &out->word) || *p != ':') {
		*why = "not \"config:\", \"config1:\" or \"config2:\" and a bit range";
		return -EINVAL;
	}
	p++;
	for (;;) {
		uint64_t lo, hi;

		p = skip_ws(p);
		if (!number(&p, &lo)) {
			*why = "a bit range that is not a number";
			return -EINVAL;
		}
		hi = lo;
		if (*p == '-') {
			p++;
			if (!number(&p, &hi)) {
				*why = "a bit range without its upper bit";
				return -EINVAL;
			}
		}
		if (lo > 63 || hi > 63 || hi < lo) {
			*why = "a bit range outside 0-63 or upside down";
			return -EINVAL;
		}
		if (out->nranges == II_PMU_FIELD_RANGES) {
			*why = "more bit ranges than a field has";
			return -EINVAL;
		}
		out->range[out->nranges].lo = (uint8_t)lo;
		out->range[out->nranges].hi = (uint8_t)hi;
		out->nranges++;
		if (*p != ',')
			break;
		p++;
	}
	if (!at_end(p)) {
		*why = "text after the bit ranges";
		return -EINVAL;
	}
	return 0;
}

unsigned ii_pmu_field_width(const struct ii_pmu_field *f)
{
	unsigned w = 0;

	for (unsigned i = 0; i < f->nranges; i++)
		w += (unsigned)(f->range[i].hi - f->range[i].lo) + 1;
	return w;
}

/* Put v into the field's bits, its low bits into the first range. false: v too wide. */
static bool put(const struct ii_pmu_field *f, uint64_t v, uint64_t config[3])
{
	for (unsigned i = 0; i < f->nranges; i++) {
		unsigned n = (unsigned)(f->range[i].hi - f->range[i].lo) + 1;
		uint64_t mask = n == 64 ? UINT64_MAX : (((uint64_t)1 << n) - 1);

		config[f->word] &= ~(mask << f->range[i].lo);
		config[f->word] |= (v & mask) << f->range[i].lo;
		v = n == 64 ? 0 : v >> n;
	}
	return v == 0;
}

int ii_pmu_place(const struct ii_pmu_field *fields, size_t nfields, const char *event,
		 uint64_t config[3], const char **why)
{
	const char *p = skip_ws(event);

	config[0] = config[1] = config[2] = 0;
	if (at_end(p)) {
		*why = "an empty event";
		return -EINVAL;
	}
	for (;;) {
		char term[32];
		size_t n = 0;
		uint64_t v = 1; /* perf: a term without a value is 1 */
		const struct ii_pmu_field *f = NULL;
		unsigned word;
		const char *t;

		p = skip_ws(p);
		while (isalnum((unsigned char)p[n]) || p[n] == '_')
			n++;
		if (!n || n >= sizeof(term)) {
			*why = "a term that is not a field name";
			return -EINVAL;
		}
		str_copy(term, sizeof(term), p, n);
		p = skip_ws(p + n);
		if (*p == '=') {
			p = skip_ws(p + 1);
			if (!number(&p, &v)) {
				*why = "a term whose value is not a number";
				return -EINVAL;
			}
			p = skip_ws(p);
		}
		for (size_t i = 0; i < nfields; i++)
			if (!strcmp(fields[i].name, term))
				f = &fields[i];
		t = term;
		if (f) {
			if (!put(f, v, config)) {
				*why = "a value wider than its format field";
				return -EINVAL;
			}
		} else if (config_word(&t, &word) && *t == '\0') {
			/* config=, config1=, config2= set the whole word (perf's raw terms) */
			config[word] = v;
		} else {
			*why = "a term that names no field of the PMU's format";
			return -EINVAL;
		}
		if (*p != ',')
			break;
		p++;
	}
	if (!at_end(p)) {
		*why = "text after the event's terms";
		return -EINVAL;
	}
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

#define CPU_MAX 65536 /* more than any kernel's NR_CPUS */

int ii_parse_cpulist(const char *text, int **cpus, size_t *n)
{
	const char *p = skip_ws(text);
	int *v = NULL;
	size_t cnt = 0, cap = 0;

	*cpus = NULL;
	*n = 0;
	if (at_end(p)) /* an empty mask: no CPU */
		return 0;
	for (;;) {
		uint64_t lo, hi;

		if (!number(&p, &lo))
			goto bad;
		hi = lo;
		if (*p == '-') {
			p++;
			if (!number(&p, &hi))
				goto bad;
		}
		if (hi < lo || hi >= CPU_MAX || cnt + (hi - lo + 1) > CPU_MAX)
			goto bad;
		for (uint64_t c = lo; c <= hi; c++) {
			xgrow((void **)&v, &cap, cnt + 1, sizeof(*v));
			v[cnt++] = (int)c;
		}
		if (*p != ',')
			break;
		p++;
	}
	if (!at_end(p))
		goto bad;
	qsort(v, cnt, sizeof(*v), cmp_int);
	/* drop repeats ("0,0-1") */
	{
		size_t w = 0;

		for (size_t i = 0; i < cnt; i++)
			if (!w || v[w - 1] != v[i])
				v[w++] = v[i];
		cnt = w;
	}
	*cpus = v;
	*n = cnt;
	return 0;
bad:
	free(v);
	return -EINVAL;
}
