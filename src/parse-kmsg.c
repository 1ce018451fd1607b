// SPDX-License-Identifier: MIT
/* /dev/kmsg records (kernel-interfaces §5.1). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

size_t ii_kmsg_record_len(const char *buf, size_t len)
{
	size_t i = 0;

	for (;;) {
		const char *nl = memchr(buf + i, '\n', len - i);

		if (!nl)
			return len;
		i = (size_t)(nl - buf) + 1;
		if (i >= len || buf[i] != ' ')
			return i;
	}
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

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static int number(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p, *fits = end - s > 19 ? s + 19 : end;
	uint64_t v = 0;

	if (s >= end || !digit(*s))
		return -EINVAL;
	/* 19 digits always fit; the 20th is checked */
	while (s < fits && digit(*s))
		v = v * 10 + (uint64_t)(*s++ - '0');
	if (s < end && digit(*s)) {
		unsigned d = (unsigned)(*s - '0');

		if (v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 && d > UINT64_MAX % 10))
			return -EINVAL;
		v = v * 10 + d;
		s++;
		if (s < end && digit(*s))
			return -EINVAL;
	}
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
 * The header "<prio>,<seq>,<usec>,<flags>[,...];": sets *semi and *eol. One
 * pass: the header is read up to its ';', then the text up to its newline.
 */
static int header(const char *rec, size_t len, struct ii_kmsg *out, const char **semi,
		  const char **eol)
{
	const char *end = rec + len, *p = rec;
	uint64_t prio;

	memset(out, 0, sizeof(*out));
	if (number(&p, end, &prio) || prio > 1023 || !sep(&p, end, ',') ||
	    number(&p, end, &out->seq) || !sep(&p, end, ',') || number(&p, end, &out->usec) ||
	    !sep(&p, end, ','))
		return -EINVAL;
	/* flags, then fields a future kernel may add: all up to ';' */
	for (; p < end && *p != ';' && *p != '\n' && *p != ','; p++)
		if (*p == 'c')
			out->cont = true;
	while (p < end && *p != ';' && *p != '\n')
		p++;
	if (p >= end || *p != ';')
		return -EINVAL;
	*semi = p;
	*eol = memchr(p, '\n', (size_t)(end - p));
	if (!*eol)
		*eol = end;
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
 * Append s[0..n) to o decoding \xHH escapes and a NUL; returns the end of
 * what was written. *nul is set when an escape decoded to a NUL byte.
 */
static char *unescape_to(char *o, const char *s, size_t n, bool *nul)
{
	const char *end = s + n;

	while (s < end) {
		const char *bs = memchr(s, '\\', (size_t)(end - s));
		size_t plain = bs ? (size_t)(bs - s) : (size_t)(end - s);

		memcpy(o, s, plain);
		o += plain;
		s += plain;
		if (!bs)
			break;
		if (end - s >= 4 && s[1] == 'x' && hexval(s[2]) >= 0 && hexval(s[3]) >= 0) {
			*o = (char)(hexval(s[2]) * 16 + hexval(s[3]));
			*nul |= *o++ == '\0';
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o++ = '\0';
	return o;
}

int ii_parse_kmsg_buf(const char *rec, size_t len, struct ii_kmsg *out, struct strbuf *buf)
{
	const char *end = rec + len, *p, *semi, *eol;
	size_t text_off, subsys_off = 0, dev_off = 0;
	bool has_subsys = false, has_dev = false, nul = false;
	char *o;

	if (header(rec, len, out, &semi, &eol) < 0)
		return -EINVAL;
	/* unescaping only shrinks: the record and three NULs always fit */
	xgrow((void **)&buf->buf, &buf->cap, len + 4, 1);
	o = buf->buf;
	text_off = 0;
	o = unescape_to(o, semi + 1, (size_t)(eol - semi - 1), &nul);
	out->text_len = nul ? strlen(buf->buf) : (size_t)(o - buf->buf - 1);

	p = eol < end ? eol + 1 : end;
	while (p < end && *p == ' ') {
		const char *le = memchr(p, '\n', (size_t)(end - p));
		const char *kv = p + 1;
		size_t n;

		if (!le)
			le = end;
		n = (size_t)(le - kv);
		if (n > 10 && !strncmp(kv, "SUBSYSTEM=", 10) && !has_subsys) {
			has_subsys = true;
			subsys_off = (size_t)(o - buf->buf);
			o = unescape_to(o, kv + 10, n - 10, &nul);
		} else if (n > 7 && !strncmp(kv, "DEVICE=", 7) && !has_dev) {
			has_dev = true;
			dev_off = (size_t)(o - buf->buf);
			o = unescape_to(o, kv + 7, n - 7, &nul);
		}
		p = le < end ? le + 1 : end;
	}
	buf->len = (size_t)(o - buf->buf);
	out->text = buf->buf + text_off;
	out->subsystem = has_subsys ? buf->buf + subsys_off : NULL;
	out->device = has_dev ? buf->buf + dev_off : NULL;
	return 0;
}
