/* SPDX-License-Identifier: MIT */
/*
 * ACPI tables from fixtures/ for the DMAR and IVRS tests: the real ones in the
 * recorded trees, the hand-built ones in fixtures/acpi/{good,bad} (written by
 * tests/acpi/mk-tables.py), and the bad set's MANIFEST.
 */
#ifndef II_TEST_ACPI_FIXTURE_H
#define II_TEST_ACPI_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "acpi.h"
#include "fixture.h"
#include "test.h"

/* A table file under fixtures/, or NULL after a failed check. */
static inline uint8_t *acpi_table(const char *rel, size_t *len)
{
	uint8_t *buf = (uint8_t *)fx_read(rel, len);

	if (!buf)
		t_fail(__FILE__, __LINE__, "cannot read fixtures/%s", rel);
	return buf;
}

/* One line of fixtures/acpi/bad/MANIFEST: "name | rc | text | why". */
struct bad_case {
	char name[64];
	int rc;
	char text[128];
};

/* The cases whose name starts with prefix ("dmar-", "ivrs-"); returns how many (at most max). */
static inline size_t bad_cases(const char *prefix, struct bad_case *out, size_t max)
{
	char *m = fx_read("acpi/bad/MANIFEST", NULL), *next;
	size_t n = 0;

	if (!m) {
		t_fail(__FILE__, __LINE__, "cannot read fixtures/acpi/bad/MANIFEST");
		return 0;
	}
	for (char *l = m; l && *l && n < max; l = next) {
		char *f[4] = { 0 };
		char *p = l;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';

		if (*l == '#' || strncmp(l, prefix, strlen(prefix)))
			continue;
		for (int i = 0; i < 4 && p; i++) {
			char *bar = strchr(p, '|');
			f[i] = p;
			if (bar)
				*bar = '\0';
			p = bar ? bar + 1 : NULL;
		}
		if (!f[2])
			continue;
		for (int i = 0; i < 3; i++) {
			char *e = f[i] + strlen(f[i]);
			while (*f[i] == ' ')
				f[i]++;
			while (e > f[i] && e[-1] == ' ')
				*--e = '\0';
		}
		snprintf(out[n].name, sizeof(out[n].name), "%s", f[0]);
		out[n].rc = atoi(f[1]);
		snprintf(out[n].text, sizeof(out[n].text), "%s", f[2]);
		n++;
	}
	free(m);
	return n;
}

/* Does some warning contain text? */
static inline bool has_warning(const struct strlist *w, const char *text)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->v[i], text))
			return true;
	return false;
}

#endif
