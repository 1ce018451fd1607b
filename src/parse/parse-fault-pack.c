// SPDX-License-Identifier: MIT
/*
 * What the line parser gave for a line, packed, so that it can be parsed on
 * one thread and assembled on another (the bulk reader of a log file parses
 * lines ahead while it has nothing to read; src/source/source-log-bulk.c).
 * An ii_fline is over a kilobyte, most of it text arrays that hold a few
 * bytes: packed, a line that is no fault is one byte and a fault 60 to 150,
 * so that the other core has few cache lines to fetch.
 *
 *   kind (1 byte); for II_FL_NONE nothing more; for II_FL_SMMU_DWORD, whose
 *     fault the parser does not set (the assembler reads only its value and
 *     prefix), the value and the prefix (8 bytes, then as below)
 *   mask (4 bytes): bit i, the i-th 8-byte word of the fault's fields from
 *     vendor to unit is not zero; bit 31, value is not zero
 *   the words the mask names, then value
 *   unit, client, reason, prefix_dev (and function for II_FL_SUPPRESSED):
 *     a length byte, then the bytes
 *
 * Unpacked, an ii_fline holds what ii_fault_parse_line() would have stored:
 * every field the parser sets, and the same first bytes of the others
 * (reset() of src/parse/parse-fault.c). Pure: no state.
 */
#include <stddef.h>
#include <string.h>

#include "fault.h"

#define HEAD_START offsetof(struct ii_fault, vendor)
#define HEAD_END offsetof(struct ii_fault, unit)
#define HEAD_WORDS ((HEAD_END - HEAD_START) / 8)
#define HAS_VALUE (1u << 31)

_Static_assert((HEAD_END - HEAD_START) % 8 == 0 && HEAD_START % 8 == 0,
	       "the fault's numeric fields are whole 8-byte words");
_Static_assert(HEAD_WORDS <= 31, "the mask has a bit for each word");
_Static_assert(sizeof(((struct ii_fault *)0)->reason) < 256 &&
	       sizeof(((struct ii_fline *)0)->prefix_dev) < 256 &&
	       sizeof(((struct ii_fault *)0)->client) < 256 &&
	       sizeof(((struct ii_fault *)0)->unit) < 256 &&
	       sizeof(((struct ii_fline *)0)->function) < 256, "a string's length fits a byte");
_Static_assert(II_FLINE_PACK_MAX >= 1 + 4 + 8 * HEAD_WORDS + 8 + 5 +
	       sizeof(((struct ii_fault *)0)->unit) + sizeof(((struct ii_fault *)0)->client) +
	       sizeof(((struct ii_fault *)0)->reason) + sizeof(((struct ii_fline *)0)->prefix_dev) +
	       sizeof(((struct ii_fline *)0)->function), "II_FLINE_PACK_MAX holds the largest");

static unsigned char *put_str(unsigned char *p, const char *s, size_t size)
{
	size_t n;

	if (!s[0]) { /* most units, clients and prefixes: no call */
		*p = 0;
		return p + 1;
	}
	n = strnlen(s, size - 1);

	*p++ = (unsigned char)n;
	memcpy(p, s, n);
	return p + n;
}

static const unsigned char *get_str(const unsigned char *p, char *s)
{
	size_t n = *p++;

	if (!n) {
		s[0] = '\0';
		return p;
	}
	memcpy(s, p, n);
	s[n] = '\0';
	return p + n;
}

size_t ii_fline_pack(const struct ii_fline *fl, unsigned char *buf)
{
	const unsigned char *head = (const unsigned char *)&fl->f + HEAD_START;
	unsigned char *p = buf;
	uint32_t mask = 0;

	*p++ = (unsigned char)fl->kind;
	if (fl->kind == II_FL_NONE)
		return 1;
	if (fl->kind == II_FL_SMMU_DWORD) {
		memcpy(p, &fl->value, 8);
		p = put_str(p + 8, fl->prefix_dev, sizeof(fl->prefix_dev));
		return (size_t)(p - buf);
	}
	p += 4;
	for (size_t i = 0; i < HEAD_WORDS; i++) {
		uint64_t w;

		memcpy(&w, head + 8 * i, 8);
		if (w) {
			mask |= 1u << i;
			memcpy(p, &w, 8);
			p += 8;
		}
	}
	if (fl->value) {
		mask |= HAS_VALUE;
		memcpy(p, &fl->value, 8);
		p += 8;
	}
	memcpy(buf + 1, &mask, 4);
	p = put_str(p, fl->f.unit, sizeof(fl->f.unit));
	p = put_str(p, fl->f.client, sizeof(fl->f.client));
	p = put_str(p, fl->f.reason, sizeof(fl->f.reason));
	p = put_str(p, fl->prefix_dev, sizeof(fl->prefix_dev));
	if (fl->kind == II_FL_SUPPRESSED)
		p = put_str(p, fl->function, sizeof(fl->function));
	return (size_t)(p - buf);
}

void ii_fline_unpack(const unsigned char *buf, struct ii_fline *fl)
{
	unsigned char *head = (unsigned char *)&fl->f + HEAD_START;
	const unsigned char *p = buf;
	uint32_t mask;

	fl->kind = (enum ii_fline_kind)*p++;
	fl->value = 0;
	if (fl->kind == II_FL_NONE) {
		fl->prefix_dev[0] = '\0';
		return;
	}
	if (fl->kind == II_FL_SMMU_DWORD) {
		memcpy(&fl->value, p, 8);
		get_str(p + 8, fl->prefix_dev);
		return; /* fl->f is left as it was, as the parser leaves it */
	}
	memcpy(&mask, p, 4);
	p += 4;
	/* as the parser's reset(): the position cleared, then its fields */
	memset(&fl->f, 0, HEAD_START);
	for (size_t i = 0; i < HEAD_WORDS; i++) {
		if (mask & (1u << i)) {
			memcpy(head + 8 * i, p, 8);
			p += 8;
		} else {
			memset(head + 8 * i, 0, 8);
		}
	}
	if (mask & HAS_VALUE) {
		memcpy(&fl->value, p, 8);
		p += 8;
	}
	p = get_str(p, fl->f.unit);
	p = get_str(p, fl->f.client);
	p = get_str(p, fl->f.reason);
	p = get_str(p, fl->prefix_dev);
	if (fl->kind == II_FL_SUPPRESSED)
		get_str(p, fl->function);
	ii_fault_clear_rest(&fl->f); /* as the parser's reset() */
}

size_t ii_fault_preparse(const char *text, size_t len, unsigned char *out)
{
	struct ii_fline fl;

	ii_fault_parse_line(text, len, &fl);
	return ii_fline_pack(&fl, out);
}
