// SPDX-License-Identifier: MIT
/* /dev/kmsg records (kernel-interfaces §5.1). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

size_t ii_kmsg_record_span(const char *buf, size_t len, size_t *line)
{
	const char *nl = memchr(buf, '\n', len);
	size_t i;

	*line = nl ? (size_t)(nl - buf) : len;
	for (;;) {
		if (!nl)
			return len;
		i = (size_t)(nl - buf) + 1;
		if (i >= len || buf[i] != ' ')
			return i;
		nl = memchr(buf + i, '\n', len - i);
	}
}

size_t ii_kmsg_record_len(const char *buf, size_t len)
{
	size_t line;

	return ii_kmsg_record_span(buf, len, &line);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A decimal number of the header; more than UINT64_MAX is an error. */
static inline int number(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p, *start = s;
	uint64_t v = 0;

	for (; s < end; s++) {
		unsigned d = (unsigned)(unsigned char)*s - '0';

		if (d > 9)
			break;
		/* 19 digits always fit; a 20th may not, a 21st never does */
		if (s - start >= 19 && (s - start > 19 || v > (UINT64_MAX - d) / 10))
			return -EINVAL;
		v = v * 10 + d;
	}
	if (s == start)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

/* The character after a number of the header, which must be c. */
static bool sep(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

/*
 * The header "<prio>,<seq>,<usec>,<flags>[,...];" of a record whose first
 * line is rec[0..line): sets *semi to its ';'.
 */
static int header(const char *rec, size_t line, struct ii_kmsg *out, const char **semi)
{
	const char *end = rec + line, *p = rec;
	uint64_t prio;

	memset(out, 0, sizeof(*out));
	if (number(&p, end, &prio) || prio > 1023 || !sep(&p, end, ',') ||
	    number(&p, end, &out->seq) || !sep(&p, end, ',') || number(&p, end, &out->usec) ||
	    !sep(&p, end, ','))
		return -EINVAL;
	/* flags, then fields a future kernel may add: all up to ';' */
	for (; p < end && *p != ';' && *p != ','; p++)
		if (*p == 'c')
			out->cont = true;
	p = memchr(p, ';', (size_t)(end - p));
	if (!p)
		return -EINVAL;
	*semi = p;
	out->prio = (int)prio;
	return 0;
}

/* The allocating form: ii_parse_kmsg_buf into a scratch buffer, the strings copied out. */
int ii_parse_kmsg(const char *rec, size_t len, struct ii_kmsg *out)
{
	struct strbuf scratch = { 0 };
	int rc = ii_parse_kmsg_buf(rec, len, out, &scratch);

	if (rc == 0) {
		out->text = xstrndup(out->text, out->text_len);
		out->subsystem = out->subsystem ? xstrdup(out->subsystem) : NULL;
		out->device = out->device ? xstrdup(out->device) : NULL;
	}
	sb_free(&scratch);
	return rc;
}

void ii_kmsg_free(struct ii_kmsg *m)
{
	free(m->text);
	free(m->subsystem);
	free(m->device);
	memset(m, 0, sizeof(*m));
}

/*
 * Decode the \xHH escapes of s[0..n) in place (decoding only shrinks) and put
 * a NUL after what is left, at s[n] at the latest; returns the length left.
 * *nul is set when an escape decoded to a NUL byte.
 */
static size_t unescape(char *s, size_t n, bool *nul)
{
	char *p = memchr(s, '\\', n), *end = s + n, *o = p;

	if (!p) {
		s[n] = '\0';
		return n;
	}
	while (p < end) {
		if (*p == '\\' && end - p >= 4 && p[1] == 'x' && hexval(p[2]) >= 0 &&
		    hexval(p[3]) >= 0) {
			*o = (char)(hexval(p[2]) * 16 + hexval(p[3]));
			*nul |= *o++ == '\0';
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return (size_t)(o - s);
}

int ii_parse_kmsg_buf(const char *rec, size_t len, struct ii_kmsg *out, struct strbuf *buf)
{
	const char *nl = memchr(rec, '\n', len);

	xgrow((void **)&buf->buf, &buf->cap, len + 1, 1);
	memcpy(buf->buf, rec, len);
	buf->buf[len] = '\0';
	buf->len = len;
	return ii_parse_kmsg_inplace(buf->buf, len, nl ? (size_t)(nl - rec) : len, out);
}

int ii_parse_kmsg_inplace(char *rec, size_t len, size_t line, struct ii_kmsg *out)
{
	char *end = rec + len, *eol = rec + line, *p;
	const char *semi;
	bool nul = false;
	size_t n;

	if (header(rec, line, out, &semi) < 0)
		return -EINVAL;
	out->text = rec + (semi + 1 - rec); /* the byte after the ';', as writable as rec */
	n = unescape(out->text, (size_t)(eol - out->text), &nul);
	out->text_len = nul ? strlen(out->text) : n;

	p = eol < end ? eol + 1 : end;
	while (p < end && *p == ' ') {
		char *le = memchr(p, '\n', (size_t)(end - p)), *kv = p + 1;

		if (!le)
			le = end;
		n = (size_t)(le - kv);
		if (n > 10 && !memcmp(kv, "SUBSYSTEM=", 10) && !out->subsystem) {
			out->subsystem = kv + 10;
			unescape(kv + 10, n - 10, &nul);
		} else if (n > 7 && !memcmp(kv, "DEVICE=", 7) && !out->device) {
			out->device = kv + 7;
			unescape(kv + 7, n - 7, &nul);
		}
		p = le < end ? le + 1 : end;
	}
	return 0;
}
