// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: domain_translation_struct (ii_dts_line, ii_dts_next) and the
 * range coalescer. The first byte picks the layout and how the input is cut;
 * every decoded leaf and range must be consistent.
 */
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_leaf(const struct ii_pte *p)
{
	if (p->size != 1ULL << 12 && p->size != 1ULL << 21 && p->size != 1ULL << 30)
		abort();
	if (p->iova & (p->size - 1) || p->phys & (p->size - 1) || p->level < 1 || p->level > 3)
		abort();
	if (!p->read && !p->write && !(p->entry & 3))
		abort();
	if (p->ncols < 3 || p->ncols > 5)
		abort();
}

static void feed(struct ii_dts *p, struct ii_coalesce *c, enum ii_dl e)
{
	struct ii_range r;

	if (e == II_DL_BAD && !p->why)
		abort();
	if (e == II_DL_ROW) {
		check_leaf(&p->row);
		if (ii_coalesce_add(c, &p->row, &r) && (r.end < r.start || !r.pages))
			abort();
	}
	if (!memchr(p->dev, '\0', sizeof(p->dev)) || !memchr(p->msg, '\0', sizeof(p->msg)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ii_dts p;
	struct ii_coalesce c;
	struct ii_range r;
	char *buf;
	size_t off = 0, used;

	if (!size)
		return 0;
	ii_dts_init(&p, data[0] & 1 ? II_DTS_PER_DEVICE : II_DTS_GLOBAL);
	ii_coalesce_init(&c);
	/* a copy of exactly size bytes, so reading past the end is caught */
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	size--;
	if (data[0] & 2) {
		/* line by line */
		while (off < size) {
			const char *nl = memchr(buf + off, '\n', size - off);
			size_t len = nl ? (size_t)(nl - (buf + off)) : size - off;

			feed(&p, &c, ii_dts_line(&p, buf + off, len));
			off += len + 1;
		}
	} else {
		/* over the buffer, as a file is read */
		while (off < size) {
			enum ii_dl e = ii_dts_next(&p, buf + off, size - off, true, &used);

			if (!used || used > size - off)
				abort();
			feed(&p, &c, e);
			off += used;
		}
	}
	feed(&p, &c, ii_dts_finish(&p));
	if (ii_coalesce_end(&c, &r) && r.end < r.start)
		abort();
	if (c.pages_4k + c.pages_2m + c.pages_1g != c.leaves || c.ranges > c.leaves)
		abort();
	free(buf);
	return 0;
}
