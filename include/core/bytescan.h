/* SPDX-License-Identifier: MIT */
/*
 * Byte searches for the per-line loops of the log readers, where a library
 * call costs more than the search: the lines are short (80 bytes is usual)
 * and most searches end within the first few dozen bytes, but memchr()
 * spends some 20 to 40 instructions on getting started (alignment, page
 * ends, its choice of vector width) before it looks at the first byte.
 * These are inlined and take 16 bytes at a time with SSE2, which every
 * x86-64 CPU has, and leave other targets to memchr(). They never read
 * outside [p, end): the last 16 bytes of a range are looked at with a load
 * that overlaps the one before it.
 */
#ifndef II_BYTESCAN_H
#define II_BYTESCAN_H

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The first ch in [p, end), or NULL. */
static inline const char *ii_find_byte(const char *p, const char *end, char ch)
{
#ifdef __SSE2__
	if (end - p >= 16) {
		const __m128i want = _mm_set1_epi8(ch);
		const char *last = end - 16;

		for (;;) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, want));

			if (m)
				return p + __builtin_ctz(m);
			if (p == last)
				return NULL;
			/* the bytes looked at again held no ch */
			p = p + 16 <= last ? p + 16 : last;
		}
	}
	for (; p < end; p++)
		if (*p == ch)
			return p;
	return NULL;
#else
	return p < end ? memchr(p, ch, (size_t)(end - p)) : NULL;
#endif
}

/* The 8 bytes at p as a number whose lowest byte is p[0], whatever the CPU's byte order. */
static inline uint64_t ii_load_le64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

#endif
