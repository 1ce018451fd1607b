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

/* Copy s[0..n) decoding the kernel's \xHH escapes. */
static char *unescape(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' && hexval(s[i + 2]) >= 0 &&
		    hexval(s[i + 3]) >= 0) {
			*o++ = (char)(hexval(s[i + 2]) * 16 + hexval(s[i + 3]));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static int number(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;

	if (s >= end || !isdigit((unsigned char)*s))
		return -EINVAL;
	while (s < end && isdigit((unsigned char)*s)) {
		unsigned d = (unsigned)(*s - '0');

		if (v > UINT64_MAX / 10 || (v == UINT64_MAX / 10 && d > UINT64_MAX % 10))
			return -EINVAL;
		v = v * 10 + d;
		s++;
	}
	*p = s;
	*out = v;
	return 0;
}

int ii_parse_kmsg(const char *rec, size_t len, struct ii_kmsg *out)
{
	const char *end = rec + len, *p = rec, *semi, *eol;
	uint64_t prio;

	memset(out, 0, sizeof(*out));
	eol = memchr(rec, '\n', len);
	if (!eol)
		eol = end;
	semi = memchr(rec, ';', (size_t)(eol - rec));
	if (!semi)
		return -EINVAL;
	if (number(&p, semi, &prio) || prio > 1023 || *p++ != ',' || number(&p, semi, &out->seq) ||
	    *p++ != ',' || number(&p, semi, &out->usec) || p >= semi || *p++ != ',')
		return -EINVAL;
	/* flags, then fields a future kernel may add: all up to ';' */
	for (; p < semi && *p != ','; p++)
		if (*p == 'c')
			out->cont = true;
	out->prio = (int)prio;
	out->text = unescape(semi + 1, (size_t)(eol - semi - 1));

	/* dictionary lines: " KEY=value" */
	p = eol < end ? eol + 1 : end;
	while (p < end && *p == ' ') {
		const char *le = memchr(p, '\n', (size_t)(end - p));
		const char *kv = p + 1;
		size_t n;

		if (!le)
			le = end;
		n = (size_t)(le - kv);
		if (n > 10 && !strncmp(kv, "SUBSYSTEM=", 10) && !out->subsystem)
			out->subsystem = unescape(kv + 10, n - 10);
		else if (n > 7 && !strncmp(kv, "DEVICE=", 7) && !out->device)
			out->device = unescape(kv + 7, n - 7);
		p = le < end ? le + 1 : end;
	}
	return 0;
}

void ii_kmsg_free(struct ii_kmsg *m)
{
	free(m->text);
	free(m->subsystem);
	free(m->device);
	memset(m, 0, sizeof(*m));
}
