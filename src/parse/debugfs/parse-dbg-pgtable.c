// SPDX-License-Identifier: MIT
/*
 * domain_translation_struct (kernel-interfaces §2.4): one line at a time.
 *
 *   Device 0000:00:1f.0 @0x1f65000                    (6.1; 6.7+ legacy mode)
 *   Device 0000:00:02.0 with pasid 0 @0x10b0d2000     (5.10, 5.15; 6.7+ scalable mode)
 *   IOVA_PFN  PML5E  PML4E  PDPE  PDE  PTE             (two header styles)
 *   0x00000000fffff |<TAB>0x...<TAB>0x...<TAB>0x...<TAB>0x...<TAB>0x...
 *   <empty line>                                       (ends a block up to 6.6)
 *
 * A row is a leaf: the entries on the path from the top level down to it,
 * PML5E first. Up to 6.6 all five columns are printed, zeros for the levels
 * not walked; from 6.7 a row stops at its leaf. Either way the leaf is the
 * last nonzero entry. Rows are most of a dump, so a row of the exact width the
 * kernel prints is decoded by a fast path that reads eight hex digits at a
 * time; anything else goes through the general path, which accepts the same
 * rows (and upper-case digits, other spacing) and says what is wrong with the
 * others.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "debugfs.h"

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL
#define ADDR_MASK 0x000ffffffffff000ULL

/* Eight lower-case hex digits at s as a number; false if any byte is not one. */
static inline __attribute__((always_inline)) bool hex8(const char *s, uint64_t *v)
{
	uint64_t x, dig, alp;

	memcpy(&x, s, 8);
	if (x & HIGH)
		return false;
	/* per byte, with no carry between bytes since every byte is below 0x80 */
	dig = (x + (0x80 - 0x30) * ONES) & ~(x + (0x80 - 0x3a) * ONES);
	alp = (x + (0x80 - 0x61) * ONES) & ~(x + (0x80 - 0x67) * ONES);
	if (((dig | alp) & HIGH) != HIGH)
		return false;
	/* a nibble per byte, then packed; the first byte is the most significant digit */
	x = (x & 0x0f0f0f0f0f0f0f0fULL) + ((x >> 6) & ONES) * 9;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);
#endif
	x = ((x << 4) | (x >> 8)) & 0x00ff00ff00ff00ffULL;
	x = ((x << 8) | (x >> 16)) & 0x0000ffff0000ffffULL;
	*v = ((x << 16) | (x >> 32)) & 0xffffffffULL;
	return true;
}

void ii_dts_init(struct ii_dts *p, enum ii_dts_layout layout)
{
	memset(p, 0, sizeof(*p));
	p->layout = layout;
	p->pasid = -1;
}

/* From the printed columns to a leaf: the checks every row gets, whichever path read it. */
static enum ii_dl leaf(struct ii_dts *p, uint64_t pfn, const uint64_t *cols, unsigned n)
{
	struct ii_pte *r = &p->row;
	unsigned first = n, last = n;
	bool rd = true, wr = true;

	for (unsigned k = 0; k < n; k++)
		if (cols[k]) {
			if (first == n)
				first = k;
			last = k;
		}
	if (first == n) {
		p->why = "a row with no present entry";
		return II_DL_BAD;
	}
	for (unsigned k = first; k <= last; k++) {
		if (!(cols[k] & 3)) {
			p->why = cols[k] ? "an entry on the path that is not present (neither R nor W)"
					 : "a gap in the path (a zero entry between two present ones)";
			return II_DL_BAD;
		}
		rd = rd && (cols[k] & 1);
		wr = wr && (cols[k] & 2);
	}
	/* column k is level 5 - k however many are printed (the columns start at PML5E) */
	r->level = (uint8_t)(5 - last);
	if (r->level > 3) {
		p->why = "a leaf above the PDPE level";
		return II_DL_BAD;
	}
	if (r->level > 1 && !(cols[last] & 0x80)) {
		p->why = "the last entry is a directory without the page-size bit (a row cut short?)";
		return II_DL_BAD;
	}
	if (pfn >> 52) {
		p->why = "an IOVA_PFN beyond 64-bit addresses";
		return II_DL_BAD;
	}
	r->size = r->level == 1 ? 1ULL << 12 : r->level == 2 ? 1ULL << 21 : 1ULL << 30;
	r->iova = pfn << 12;
	if (r->iova & (r->size - 1)) {
		p->why = "a superpage whose IOVA is not aligned to its size";
		return II_DL_BAD;
	}
	r->entry = cols[last];
	r->phys = cols[last] & ADDR_MASK & ~(r->size - 1);
	r->read = rd;
	r->write = wr;
	r->ncols = (uint8_t)n;
	memset(r->path, 0, sizeof(r->path));
	memcpy(r->path, cols, n * sizeof(*cols));
	return II_DL_ROW;
}

/* Eight digits at s, through the memo slot m: decoded only when they differ from last time. */
static inline __attribute__((always_inline)) bool memo8(struct ii_dts *p, unsigned m, const char *s, uint64_t *v)
{
	uint64_t t;

	memcpy(&t, s, 8);
	if (t == p->memo_text[m]) {
		*v = p->memo_val[m];
		return true;
	}
	if (!hex8(s, v))
		return false;
	p->memo_text[m] = t;
	p->memo_val[m] = *v;
	return true;
}

/*
 * A row exactly as the kernel prints it: "0x" and 13 digits, " |", then n
 * columns of a tab, "0x" and 16 lower-case digits; len == 17 + 19 n. False
 * when it is not (the general path then says what is wrong).
 */
static bool fast_row(struct ii_dts *p, const char *s, size_t len, enum ii_dl *ret)
{
	uint64_t cols[5], a, b, hi, lo;
	unsigned n;

	if (len < 17 + 19 * 3 || len > 17 + 19 * 5 || (len - 17) % 19)
		return false;
	n = (unsigned)((len - 17) / 19);
	if (s[0] != '0' || s[1] != 'x' || s[15] != ' ' || s[16] != '|')
		return false;
	/* the 13 digits of IOVA_PFN as two overlapping runs of eight */
	if (!memo8(p, 0, s + 2, &a) || !memo8(p, 1, s + 7, &b))
		return false;
	for (unsigned k = 0; k < n; k++) {
		const char *c = s + 17 + 19 * k;

		if (c[0] != '\t' || c[1] != '0' || c[2] != 'x' || !memo8(p, 2 + 2 * k, c + 3, &hi) ||
		    !memo8(p, 3 + 2 * k, c + 11, &lo))
			return false;
		cols[k] = hi << 32 | lo;
	}
	*ret = leaf(p, a << 20 | (b & 0xfffff), cols, n);
	return true;
}

/* The 81 bytes from " |" to the PTE's "0x" equal, without a call. */
static inline __attribute__((always_inline)) bool same81(const char *a, const char *b)
{
	uint64_t x = 0, y, u;

	for (unsigned i = 0; i < 80; i += 8) {
		memcpy(&u, a + i, 8);
		memcpy(&y, b + i, 8);
		x |= u ^ y;
	}
	return !x && a[80] == b[80];
}

/*
 * The commonest row of all: five columns, a 4 KiB leaf under the same four
 * directory entries as the last one. Those columns (with the separators
 * around them) are compared, not decoded; only IOVA_PFN and the PTE are.
 */
static bool fast_row5(struct ii_dts *p, const char *s, enum ii_dl *ret)
{
	uint64_t a, b, hi, lo, e, pfn;
	struct ii_pte *r = &p->row;

	if (!p->upper_valid || !same81(s + 15, p->upper_text) || s[0] != '0' || s[1] != 'x' ||
	    !memo8(p, 0, s + 2, &a) || !memo8(p, 1, s + 7, &b) || !memo8(p, 10, s + 96, &hi) ||
	    !memo8(p, 11, s + 104, &lo))
		goto general;
	e = hi << 32 | lo;
	pfn = a << 20 | (b & 0xfffff);
	if (!(e & 3))
		goto general;
	r->iova = pfn << 12;
	r->size = 1ULL << 12;
	r->level = 1;
	r->entry = e;
	r->phys = e & ADDR_MASK;
	r->read = p->upper_rd && (e & 1);
	r->write = p->upper_wr && (e & 2);
	r->ncols = 5;
	memcpy(r->path, p->upper, sizeof(p->upper));
	r->path[4] = e;
	*ret = II_DL_ROW;
	return true;
general:
	if (!fast_row(p, s, 112, ret))
		return false;
	p->upper_valid = false;
	if (*ret == II_DL_ROW && r->level == 1) {
		/* remember the directories above this leaf for the rows to come */
		p->upper_rd = p->upper_wr = true;
		for (unsigned k = 0; k < 4; k++) {
			p->upper[k] = r->path[k];
			if (r->path[k]) {
				p->upper_rd = p->upper_rd && (r->path[k] & 1);
				p->upper_wr = p->upper_wr && (r->path[k] & 2);
			}
		}
		memcpy(p->upper_text, s + 15, 81);
		p->upper_valid = true;
	}
	return true;
}

static enum ii_dl slow_row(struct ii_dts *p, const char *s, size_t len)
{
	struct ii_cur c = { s, len, 0 };
	uint64_t pfn, cols[5];
	size_t digits;
	unsigned n = 0;

	if (!ii_cur_hex(&c, 1, &pfn, NULL)) {
		p->why = "a row whose IOVA_PFN is not a hex number";
		return II_DL_BAD;
	}
	ii_cur_ws(&c);
	if (!ii_cur_lit(&c, "|")) {
		p->why = "a row without the '|' after its IOVA_PFN";
		return II_DL_BAD;
	}
	for (;;) {
		ii_cur_ws(&c);
		if (c.i >= len)
			break;
		if (n == 5) {
			p->why = "a row with more than five entries";
			return II_DL_BAD;
		}
		if (!ii_cur_hex(&c, 1, &cols[n], &digits) || digits != 16 ||
		    (c.i < len && s[c.i] != ' ' && s[c.i] != '\t')) {
			p->why = "a row entry that is not 0x and 16 hex digits (a row cut short?)";
			return II_DL_BAD;
		}
		n++;
	}
	if (n < 3) {
		p->why = "a row with fewer than three entries (a row cut short?)";
		return II_DL_BAD;
	}
	return leaf(p, pfn, cols, n);
}

/* "Device <name> @0x<pgd>" or "Device <name> with pasid <n> @0x<pgd>" */
static enum ii_dl device_line(struct ii_dts *p, const char *s, size_t len)
{
	struct ii_cur c = { s, len, strlen("Device ") };
	long long pasid = -1;

	ii_cur_ws(&c);
	if (!ii_cur_word(&c, p->dev, sizeof(p->dev))) {
		p->why = "a Device line without a device name";
		return II_DL_BAD;
	}
	ii_cur_ws(&c);
	if (ii_cur_lit(&c, "with pasid ")) {
		uint64_t x;
		bool ok;

		/* %d up to 6.6, %x from 6.7 */
		if (p->layout == II_DTS_PER_DEVICE) {
			ok = ii_cur_hex(&c, -1, &x, NULL) && x <= 0xfffff;
			pasid = (long long)x;
		} else {
			ok = ii_cur_dec(&c, &pasid) && pasid >= 0 && pasid <= 0xfffff;
		}
		if (!ok || (c.i < len && s[c.i] != ' ')) {
			p->why = "a Device line whose pasid is not a number";
			return II_DL_BAD;
		}
		ii_cur_ws(&c);
	}
	if (!ii_cur_lit(&c, "@")) {
		p->why = "a Device line without '@0x' and the page table's address";
		return II_DL_BAD;
	}
	if (!ii_cur_hex(&c, 1, &p->pgd, NULL) || c.i != len) {
		p->why = "a Device line whose page-table address is not a hex number";
		return II_DL_BAD;
	}
	p->pasid = (int)pasid;
	p->in_block = true;
	p->padded_header = false;
	return II_DL_BLOCK;
}

enum ii_dl ii_dts_line(struct ii_dts *p, const char *s, size_t len)
{
	enum ii_dl ret;

	p->lines++;
	if (len && s[len - 1] == '\r')
		len--;
	if (len && s[0] == '0') {
		if (!p->in_block) {
			p->why = "a row outside a Device block";
			return II_DL_BAD;
		}
		if (len == 112 ? fast_row5(p, s, &ret) : fast_row(p, s, len, &ret))
			return ret;
		return slow_row(p, s, len);
	}
	if (!len) {
		if (!p->in_block)
			return II_DL_NONE;
		p->in_block = false;
		return II_DL_END;
	}
	if (len >= 7 && !memcmp(s, "Device ", 7))
		return device_line(p, s, len);
	if (len >= 8 && !memcmp(s, "IOVA_PFN", 8)) {
		if (!p->in_block) {
			p->why = "a column header outside a Device block";
			return II_DL_BAD;
		}
		p->padded_header = memchr(s, ' ', len) != NULL;
		return II_DL_NONE;
	}
	if (len >= 28 && !memcmp(s, "DMA Remapping is not enabled", 28)) {
		str_copy(p->msg, sizeof(p->msg), s, len);
		return II_DL_MSG;
	}
	p->why = "not a line of domain_translation_struct";
	return II_DL_BAD;
}

enum ii_dl ii_dts_next(struct ii_dts *p, const char *buf, size_t avail, bool eof, size_t *used)
{
	const char *nl;
	enum ii_dl ret;
	size_t len;

	p->partial = false;
	/* most lines are rows of five columns: try that length before searching for the end */
	if (avail > 112 && buf[112] == '\n' && buf[0] == '0' && p->in_block &&
	    fast_row5(p, buf, &ret)) {
		p->lines++;
		*used = 113;
		return ret;
	}
	nl = memchr(buf, '\n', avail);
	if (!nl && !eof) {
		*used = 0;
		return II_DL_NONE;
	}
	len = nl ? (size_t)(nl - buf) : avail;
	*used = len + (nl ? 1 : 0);
	p->partial = !nl;
	if (!nl && !len)
		return II_DL_NONE;
	return ii_dts_line(p, buf, len);
}

enum ii_dl ii_dts_finish(struct ii_dts *p)
{
	if (!p->in_block)
		return II_DL_NONE;
	p->in_block = false;
	return II_DL_END;
}
