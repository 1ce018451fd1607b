// SPDX-License-Identifier: MIT
/*
 * Coalescing the leaves of a page-table walk into ranges: a range grows while
 * the next leaf starts right after it, with the same rights and page size.
 * Whether the physical side is contiguous too is a property of the range, not
 * a reason to split it (an IOVA range backed by scattered pages is one DMA
 * buffer to the device). Memory is constant: one open range.
 */
#include <string.h>

#include "debugfs.h"

void ii_coalesce_init(struct ii_coalesce *c)
{
	memset(c, 0, sizeof(*c));
}

bool ii_coalesce_add(struct ii_coalesce *c, const struct ii_pte *p, struct ii_range *done)
{
	struct ii_range *r = &c->cur;
	bool closed = false;

	c->leaves++;
	c->bytes += p->size;
	if (p->size == 1ULL << 12)
		c->pages_4k++;
	else if (p->size == 1ULL << 21)
		c->pages_2m++;
	else if (p->size == 1ULL << 30)
		c->pages_1g++;
	if (c->open) {
		if (p->iova <= r->end)
			c->disorder++;
		if (r->end != UINT64_MAX && p->iova == r->end + 1 && p->read == r->read &&
		    p->write == r->write && p->size == r->page_size) {
			r->end = p->iova + (p->size - 1);
			r->pages++;
			if (p->phys != c->next_phys)
				r->phys_contig = false;
			c->next_phys = p->phys + p->size;
			return false;
		}
		*done = *r;
		closed = true;
	}
	*r = (struct ii_range){
		.start = p->iova,
		.end = p->iova + (p->size - 1),
		.phys = p->phys,
		.page_size = p->size,
		.pages = 1,
		.read = p->read,
		.write = p->write,
		.phys_contig = true,
	};
	c->next_phys = p->phys + p->size;
	c->cur_rw = (unsigned)p->read | (unsigned)p->write << 1;
	c->open = true;
	c->ranges++;
	return closed;
}

bool ii_coalesce_end(struct ii_coalesce *c, struct ii_range *done)
{
	if (!c->open)
		return false;
	*done = c->cur;
	c->open = false;
	return true;
}
