/* SPDX-License-Identifier: MIT */
/* Memory and string helpers. Allocation failures abort with a message. */
#ifndef II_UTIL_H
#define II_UTIL_H

#include <stdarg.h>
#include <string.h>
#include "ii.h"

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow *p (holding *cap elements of size) so it can hold at least want. */
void xgrow(void **p, size_t *cap, size_t want, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) ii_printf_like(1, 2);
char *xvasprintf(const char *fmt, va_list ap) ii_printf_like(1, 0);

/* A growable NUL-terminated byte string. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addf(struct strbuf *sb, const char *fmt, ...) ii_printf_like(2, 3);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Take ownership of the buffer (never NULL) and reset sb. */
char *sb_detach(struct strbuf *sb);

/* A growable list of owned strings. */
struct strlist {
	char **v;
	size_t n, cap;
};
void sl_add(struct strlist *sl, const char *s);
void sl_add_owned(struct strlist *sl, char *s);
bool sl_contains(const struct strlist *sl, const char *s);
void sl_sort(struct strlist *sl);
void sl_free(struct strlist *sl);
/* Join with sep into a new string ("" for an empty list). */
char *sl_join(const struct strlist *sl, const char *sep);

/* Compare strings so that embedded numbers sort by value ("group 9" < "group 10"). */
int natural_cmp(const char *a, const char *b);
int natural_cmp_p(const void *a, const void *b); /* for qsort over char * arrays */

/* n bytes of s (need not be NUL-terminated) into dst as a string, cut to size - 1 bytes. */
static inline void str_copy(char *dst, size_t size, const char *s, size_t n)
{
	if (!size)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A hex digit's value, or -1 (no <ctype.h>: locale-free, and on every name of a large tree). */
static inline int ii_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Remove trailing whitespace in place; returns s. */
char *rtrim(char *s);
bool str_starts(const char *s, const char *prefix);

#endif
