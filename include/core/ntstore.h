/* SPDX-License-Identifier: MIT */
/*
 * Stores for what one thread writes and another core reads next: the
 * records (kmsg or text) the bulk log reader (src/source/source-log-bulk.c)
 * hands over. Its ring comes round every few batches, so the memory it
 * writes was last read by the other core, which still holds those cache
 * lines: an ordinary store must first take each line back from that core,
 * and the reader stalled on that for a third of its time. A non-temporal
 * store goes around the cache to memory and waits for no other core; the
 * reader of the data then fetches it from memory, in order, which the
 * prefetcher does well.
 *
 * On x86-64 (SSE2), MOVNTI; elsewhere an ordinary store. ii_nt_fence() must
 * come between the stores and the handover (on x86-64 a lock orders them
 * too, but the fence says so where it matters).
 */
#ifndef II_NTSTORE_H
#define II_NTSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#define II_NT_STORES 1
#else
#define II_NT_STORES 0
#endif

/* *dst = v, around the cache; dst is 8-byte aligned. */
static inline void ii_nt_store64(uint64_t *dst, uint64_t v)
{
#if II_NT_STORES
	_mm_stream_si64((long long *)(void *)dst, (long long)v);
#else
	*dst = v;
#endif
}

/*
 * memcpy(dst, src, 8 * words), around the cache: dst and src are 8-byte
 * aligned (a struct made on the stack, copied whole into its slot).
 */
static inline void ii_nt_copy64(void *dst, const void *src, size_t words)
{
	uint64_t *d = dst;

	for (size_t i = 0; i < words; i++) {
		uint64_t v;

		memcpy(&v, (const char *)src + 8 * i, 8);
		ii_nt_store64(d + i, v);
	}
}

/* The stores above are in memory before any later store (the handover). */
static inline void ii_nt_fence(void)
{
#if II_NT_STORES
	_mm_sfence();
#endif
}

#endif
