// SPDX-License-Identifier: MIT
/* A cursor over one line, shared by the debugfs parsers (see include/debugfs.h). */
#include <string.h>

#include "debugfs.h"

void ii_cur_ws(struct ii_cur *c)
{
	while (c->i < c->len && (c->s[c->i] == ' ' || c->s[c->i] == '\t'))
		c->i++;
}

bool ii_cur_lit(struct ii_cur *c, const char *lit)
{
	size_t n = strlen(lit);

	if (c->len - c->i < n || memcmp(c->s + c->i, lit, n))
		return false;
	c->i += n;
	return true;
}

bool ii_cur_end(struct ii_cur *c)
{
	size_t i = c->i;

	while (i < c->len && (c->s[i] == ' ' || c->s[i] == '\t' || c->s[i] == '\r'))
		i++;
	return i == c->len;
}

bool ii_cur_hex(struct ii_cur *c, int prefix, uint64_t *v, size_t *digits)
{
	size_t i = c->i, n = 0;
	uint64_t x = 0;
	bool has = c->len - i >= 2 && c->s[i] == '0' && (c->s[i + 1] == 'x' || c->s[i + 1] == 'X');
	int h;

	if (prefix > 0 && !has)
		return false;
	if (has && prefix >= 0)
		i += 2;
	for (; i < c->len && (h = ii_hexval((unsigned char)c->s[i])) >= 0; i++, n++) {
		if (n == 16)
			return false;
		x = x << 4 | (uint64_t)h;
	}
	if (!n)
		return false;
	*v = x;
	if (digits)
		*digits = n;
	c->i = i;
	return true;
}

bool ii_cur_dec(struct ii_cur *c, long long *v)
{
	size_t i = c->i, n = 0;
	bool neg = false;
	unsigned long long x = 0;

	if (i < c->len && c->s[i] == '-') {
		neg = true;
		i++;
	}
	for (; i < c->len && c->s[i] >= '0' && c->s[i] <= '9'; i++, n++) {
		if (x > 922337203685477580ULL)
			return false;
		x = x * 10 + (unsigned)(c->s[i] - '0');
	}
	if (!n)
		return false;
	*v = neg ? -(long long)x : (long long)x;
	c->i = i;
	return true;
}

bool ii_cur_word(struct ii_cur *c, char *buf, size_t size)
{
	size_t i = c->i;

	while (i < c->len && c->s[i] != ' ' && c->s[i] != '\t')
		i++;
	if (i == c->i || i - c->i >= size)
		return false;
	str_copy(buf, size, c->s + c->i, i - c->i);
	c->i = i;
	return true;
}

/* Exactly n hex digits (no prefix). */
static bool hexn(struct ii_cur *c, size_t n, unsigned *v)
{
	unsigned x = 0;

	if (c->len - c->i < n)
		return false;
	for (size_t k = 0; k < n; k++) {
		int h = ii_hexval((unsigned char)c->s[c->i + k]);
		if (h < 0)
			return false;
		x = x << 4 | (unsigned)h;
	}
	*v = x;
	c->i += n;
	return true;
}

bool ii_cur_bdf(struct ii_cur *c, struct ii_bdf *b, bool with_segment)
{
	struct ii_cur t = *c;
	unsigned seg = 0, bus, dev, fn;

	if (with_segment && !(hexn(&t, 4, &seg) && ii_cur_lit(&t, ":")))
		return false;
	if (!hexn(&t, 2, &bus) || !ii_cur_lit(&t, ":") || !hexn(&t, 2, &dev) || dev > 0x1f ||
	    !ii_cur_lit(&t, ".") || !hexn(&t, 1, &fn) || fn > 7)
		return false;
	if (t.i < t.len && t.s[t.i] != ' ' && t.s[t.i] != '\t')
		return false;
	b->domain = (uint16_t)seg;
	b->bus = (uint8_t)bus;
	b->dev = (uint8_t)dev;
	b->fn = (uint8_t)fn;
	*c = t;
	return true;
}

bool ii_cur_unit_base(struct ii_cur *c, char *unit, size_t size, uint64_t *base)
{
	if (!ii_cur_word(c, unit, size))
		return false;
	ii_cur_ws(c);
	if (!ii_cur_lit(c, "Register Base Address:"))
		return false;
	ii_cur_ws(c);
	return ii_cur_hex(c, 0, base, NULL) && ii_cur_end(c);
}
