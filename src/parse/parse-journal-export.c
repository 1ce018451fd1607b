// SPDX-License-Identifier: MIT
/*
 * Journal entries and the journal export format (include/parse/jexport.h;
 * systemd's "Journal Export Formats" document):
 *
 *   __REALTIME_TIMESTAMP=1795322400999995
 *   _BOOT_ID=0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5f
 *   _TRANSPORT=kernel
 *   MESSAGE
 *   <8 bytes: length, little-endian><the value, newlines and all>
 *   <empty line>
 *
 * Field names are upper-case letters, digits and '_'; a value without a
 * newline follows '=', any other in the binary form. Every length and
 * number is checked against the bytes there are.
 */
#include <errno.h>
#include <string.h>

#include "jexport.h"
#include "util.h"

void ii_jentry_init(struct ii_jentry *e)
{
	memset(e, 0, sizeof(*e));
	e->prio = -1;
}

static bool name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && !memcmp(name, want, n);
}

/* A decimal number filling the whole value (at most 20 digits, no overflow). */
static bool dec_u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (!n || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

bool ii_boot_id_parse(const char *s, size_t len, char out[II_BOOT_ID_LEN + 1])
{
	size_t k = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '-' && (len == 36) && (i == 8 || i == 13 || i == 18 || i == 23))
			continue;
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) || k == II_BOOT_ID_LEN)
			return false;
		out[k++] = c;
	}
	out[k] = '\0';
	return k == II_BOOT_ID_LEN;
}

void ii_jentry_field(struct ii_jentry *e, const char *name, size_t n, const char *val, size_t len)
{
	uint64_t v;

	if (n < 2)
		return;
	switch (name[0] == '_' ? name[1] : name[0]) {
	case 'M':
		if (name_is(name, n, "MESSAGE")) {
			e->msg = val;
			e->msg_len = len;
		}
		break;
	case 'P':
		if (name_is(name, n, "PRIORITY") && len == 1 && val[0] >= '0' && val[0] <= '7')
			e->prio = val[0] - '0';
		break;
	case 'T':
		if (name_is(name, n, "_TRANSPORT"))
			e->kernel = len == 6 && !memcmp(val, "kernel", 6);
		break;
	case 'B':
		if (name_is(name, n, "_BOOT_ID"))
			e->has_boot = ii_boot_id_parse(val, len, e->boot);
		break;
	case 'K':
		if (name_is(name, n, "_KERNEL_DEVICE")) {
			e->device = val;
			e->device_len = len;
		}
		break;
	case 'S':
		if (name_is(name, n, "_SOURCE_MONOTONIC_TIMESTAMP") && dec_u64(val, len, &v)) {
			e->has_mono = e->mono_source = true;
			e->mono = v;
		}
		break;
	case '_':
		/* __REALTIME_TIMESTAMP, __MONOTONIC_TIMESTAMP: the journal's own */
		if (name_is(name, n, "__REALTIME_TIMESTAMP") && dec_u64(val, len, &v)) {
			e->has_realtime = true;
			e->realtime = v;
		} else if (name_is(name, n, "__MONOTONIC_TIMESTAMP") && !e->mono_source &&
			   dec_u64(val, len, &v)) {
			e->has_mono = true;
			e->mono = v;
		}
		break;
	}
}

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

int ii_jexport_next(const char *buf, size_t len, size_t *off, struct ii_jentry *e)
{
	size_t p = *off, fields = 0;

	ii_jentry_init(e);
	/* an empty line between entries, or several, is nothing */
	while (p < len && buf[p] == '\n')
		p++;
	if (p >= len) {
		*off = p;
		return 0;
	}
	for (;;) {
		size_t name = p, nlen;

		if (p >= len)
			break; /* cut: no empty line after the last field */
		if (buf[p] == '\n') {
			*off = p + 1;
			return fields ? 1 : 0;
		}
		while (p < len && name_char(buf[p]))
			p++;
		nlen = p - name;
		if (!nlen || p >= len)
			break;
		if (buf[p] == '=') {
			const char *nl = memchr(buf + p + 1, '\n', len - p - 1);

			if (!nl)
				break;
			ii_jentry_field(e, buf + name, nlen, buf + p + 1, (size_t)(nl - (buf + p + 1)));
			p = (size_t)(nl - buf) + 1;
		} else if (buf[p] == '\n') {
			uint64_t vlen = 0;

			p++;
			if (len - p < 8)
				break;
			for (int i = 7; i >= 0; i--)
				vlen = vlen << 8 | (unsigned char)buf[p + (size_t)i];
			p += 8;
			if (vlen >= len - p || buf[p + vlen] != '\n')
				break;
			ii_jentry_field(e, buf + name, nlen, buf + p, (size_t)vlen);
			p += (size_t)vlen + 1;
		} else {
			break;
		}
		fields++;
	}
	*off = p;
	return -EBADMSG;
}

void ii_jexport_put(struct strbuf *sb, const char *name, const char *val, size_t len)
{
	if (!memchr(val, '\n', len)) {
		sb_adds(sb, name);
		sb_add(sb, "=", 1);
		sb_add(sb, val, len);
		sb_add(sb, "\n", 1);
		return;
	}
	{
		unsigned char le[8];
		uint64_t v = len;

		for (int i = 0; i < 8; i++, v >>= 8)
			le[i] = (unsigned char)(v & 0xff);
		sb_adds(sb, name);
		sb_add(sb, "\n", 1);
		sb_add(sb, (const char *)le, 8);
		sb_add(sb, val, len);
		sb_add(sb, "\n", 1);
	}
}

void ii_jexport_put_u64(struct strbuf *sb, const char *name, uint64_t v)
{
	sb_addf(sb, "%s=%llu\n", name, (unsigned long long)v);
}

void ii_jexport_end(struct strbuf *sb)
{
	sb_add(sb, "\n", 1);
}
