/* SPDX-License-Identifier: MIT */
/*
 * Reading the recorded trees under fixtures/ from a unit test. The tests run
 * from the top of the repository (make, tests/run.sh), or from a directory
 * below it; II_FIXTURES overrides the search.
 */
#ifndef II_TEST_FIXTURE_H
#define II_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixture's path in buf, or NULL when no fixtures/ directory was found. */
static inline const char *fx_path(const char *rel, char *buf, size_t size)
{
	static const char *const up[] = { "", "../", "../../", "../../../", "../../../../" };
	const char *env = getenv("II_FIXTURES");

	if (env && *env) {
		snprintf(buf, size, "%s/%s", env, rel);
		return buf;
	}
	for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		FILE *f;

		snprintf(buf, size, "%sfixtures/intel-q35/proc/version", up[i]);
		f = fopen(buf, "r");
		if (!f)
			continue;
		fclose(f);
		snprintf(buf, size, "%sfixtures/%s", up[i], rel);
		return buf;
	}
	return NULL;
}

/* The whole fixture file, NUL-terminated (owned by the caller), or NULL. */
static inline char *fx_read(const char *rel, size_t *len)
{
	char path[4096], *buf = NULL;
	size_t n = 0, cap = 0;
	FILE *f;

	if (!fx_path(rel, path, sizeof(path)))
		return NULL;
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

#endif
