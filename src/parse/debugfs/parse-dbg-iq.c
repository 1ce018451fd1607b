// SPDX-License-Identifier: MIT
/*
 * invalidation_queue (kernel-interfaces §2.5):
 *
 *   Invalidation queue on IOMMU: dmar0
 *    Base: 0x1252000<TAB>Head: 238<TAB>Tail: 238
 *   Index<TAB><TAB>qw0<TAB><TAB><TAB>qw1[...qw2, qw3]<TAB><TAB><TAB>status
 *       0<TAB>00000000000f00f2<TAB>00000000fff64000<TAB>0000000000000000
 *   <empty line>
 */
#include <string.h>

#include "debugfs.h"

void ii_iq_init(struct ii_iq *p)
{
	memset(p, 0, sizeof(*p));
}

enum ii_dl ii_iq_line(struct ii_iq *p, const char *line, size_t len)
{
	struct ii_cur c = { line, len, 0 };
	struct ii_iq_row *r = &p->row;
	long long v;
	uint64_t x[5];
	unsigned n = 0;

	if (ii_cur_end(&c))
		return II_DL_NONE;
	if (ii_cur_lit(&c, "Invalidation queue on IOMMU:")) {
		ii_cur_ws(&c);
		if (!ii_cur_word(&c, p->unit, sizeof(p->unit)) || !ii_cur_end(&c)) {
			p->why = "an \"Invalidation queue on IOMMU:\" line without a unit name";
			p->have_unit = false;
			return II_DL_BAD;
		}
		p->have_unit = true;
		p->have_base = false;
		p->nqw = 0;
		return II_DL_UNIT;
	}
	ii_cur_ws(&c);
	if (ii_cur_lit(&c, "Base:")) {
		ii_cur_ws(&c);
		if (!ii_cur_hex(&c, 1, &p->base, NULL) || (ii_cur_ws(&c), !ii_cur_lit(&c, "Head:")) ||
		    (ii_cur_ws(&c), !ii_cur_dec(&c, &p->head)) || (ii_cur_ws(&c), !ii_cur_lit(&c, "Tail:")) ||
		    (ii_cur_ws(&c), !ii_cur_dec(&c, &p->tail)) || !ii_cur_end(&c)) {
			p->why = "a Base line that is not \"Base: 0x<address> Head: <n> Tail: <n>\"";
			return II_DL_BAD;
		}
		p->have_base = true;
		return II_DL_NONE;
	}
	if (ii_cur_lit(&c, "Index")) {
		p->nqw = 2;
		for (size_t i = c.i; i + 3 <= len; i++)
			if (!memcmp(line + i, "qw3", 3))
				p->nqw = 4;
		return II_DL_NONE;
	}
	if (!ii_cur_dec(&c, &v) || v < 0 || v > 0xffffff) {
		p->why = "not a line of invalidation_queue";
		return II_DL_BAD;
	}
	r->index = (unsigned)v;
	for (;;) {
		ii_cur_ws(&c);
		if (c.i >= len)
			break;
		size_t digits;

		if (n == 5 || !ii_cur_hex(&c, -1, &x[n], &digits) || digits != 16) {
			p->why = "a descriptor row that is not an index and 3 or 5 numbers of 16 hex "
				 "digits (a line cut short?)";
			return II_DL_BAD;
		}
		n++;
	}
	if ((n != 3 && n != 5) || (p->nqw && n != p->nqw + 1)) {
		p->why = "a descriptor row that is not an index and 3 or 5 hex numbers (a line cut short?)";
		return II_DL_BAD;
	}
	if (!p->have_unit) {
		p->why = "a descriptor row before any \"Invalidation queue on IOMMU\" line";
		return II_DL_BAD;
	}
	r->nqw = n - 1;
	memset(r->qw, 0, sizeof(r->qw));
	memcpy(r->qw, x, (n - 1) * sizeof(*x));
	r->status = x[n - 1];
	return II_DL_ROW;
}

const char *ii_iq_type_name(uint64_t qw0)
{
	static const char *const names[] = {
		[1] = "cc_inv",     [2] = "iotlb_inv",     [3] = "dev_tlb_inv",
		[4] = "iec_inv",    [5] = "inv_wait",      [6] = "p_iotlb_inv",
		[7] = "pc_inv",     [8] = "p_dev_tlb_inv", [9] = "page_grp_resp",
	};
	unsigned t = (unsigned)(qw0 & 0xf);

	return t < II_ARRAY_SIZE(names) ? names[t] : NULL;
}

const char *ii_iq_status_name(uint64_t status)
{
	static const char *const names[] = { "free", "in-use", "done", "abort" };

	return status < II_ARRAY_SIZE(names) ? names[status] : NULL;
}
