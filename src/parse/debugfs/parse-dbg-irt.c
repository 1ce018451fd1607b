// SPDX-License-Identifier: MIT
/*
 * ir_translation_struct (kernel-interfaces §2.6): the remapped entries of each
 * unit, a "****" line, then the posted entries:
 *
 *   Remapped Interrupt supported on IOMMU: dmar0
 *    IR table address:1300000
 *    Entry SrcID   DstID    Vct IRTE_high<TAB><TAB>IRTE_low
 *    0     ff:00.0 00000100 2a  000000000004ff00<TAB>00000100002a000d
 *   Interrupt Remapping is not enabled
 *   ****
 *   Posted Interrupt supported on IOMMU: dmar0
 *    Entry SrcID   PDA_high PDA_low  Vct IRTE_high<TAB><TAB>IRTE_low
 *
 * and an IRTE's fields (include/linux/dmar.h's struct irte, the VT-d
 * specification's interrupt remapping table entry).
 */
#include <string.h>

#include "debugfs.h"

void ii_irt_init(struct ii_irt *p)
{
	memset(p, 0, sizeof(*p));
}

static enum ii_dl unit_line(struct ii_irt *p, struct ii_cur *c, bool posted)
{
	ii_cur_ws(c);
	if (!ii_cur_word(c, p->unit, sizeof(p->unit)) || !ii_cur_end(c)) {
		p->why = "an \"Interrupt supported on IOMMU:\" line without a unit name";
		p->have_unit = false;
		return II_DL_BAD;
	}
	p->have_unit = true;
	p->have_table = false;
	p->posted_pass = posted;
	return II_DL_UNIT;
}

static enum ii_dl row(struct ii_irt *p, struct ii_cur *c)
{
	struct ii_irte_row *r = &p->row;
	struct ii_bdf b;
	uint64_t a, pl = 0, vec;
	long long idx;

	if (!ii_cur_dec(c, &idx) || idx < 0 || idx > 0xffff || (ii_cur_ws(c), !ii_cur_bdf(c, &b, false))) {
		p->why = "not a line of ir_translation_struct";
		return II_DL_BAD;
	}
	ii_cur_ws(c);
	if (!ii_cur_hex(c, -1, &a, NULL) || a > 0xffffffffULL)
		goto bad;
	ii_cur_ws(c);
	if (p->posted_pass) {
		if (!ii_cur_hex(c, -1, &pl, NULL) || pl > 0xffffffffULL)
			goto bad;
		ii_cur_ws(c);
	}
	if (!ii_cur_hex(c, -1, &vec, NULL) || vec > 0xff || (ii_cur_ws(c), !ii_cur_hex(c, -1, &r->hi, NULL)) ||
	    (ii_cur_ws(c), !ii_cur_hex(c, -1, &r->lo, NULL)) || !ii_cur_end(c))
		goto bad;
	if (!p->have_unit) {
		p->why = "an entry before any \"Interrupt supported on IOMMU\" line";
		return II_DL_BAD;
	}
	r->index = (unsigned)idx;
	r->bus = b.bus;
	r->dev = b.dev;
	r->fn = b.fn;
	r->posted = p->posted_pass;
	r->dest = p->posted_pass ? 0 : (uint32_t)a;
	r->pda_hi = p->posted_pass ? (uint32_t)a : 0;
	r->pda_lo = (uint32_t)pl;
	r->vector = (uint8_t)vec;
	return II_DL_ROW;
bad:
	p->why = p->posted_pass ? "a posted entry that is not \"index bb:dd.f pda_high pda_low vector high low\""
				: "a remapped entry that is not \"index bb:dd.f destination vector high low\"";
	return II_DL_BAD;
}

enum ii_dl ii_irt_line(struct ii_irt *p, const char *line, size_t len)
{
	struct ii_cur c = { line, len, 0 };

	if (ii_cur_end(&c))
		return II_DL_NONE;
	if (ii_cur_lit(&c, "Remapped Interrupt supported on IOMMU:"))
		return unit_line(p, &c, false);
	if (ii_cur_lit(&c, "Posted Interrupt supported on IOMMU:"))
		return unit_line(p, &c, true);
	if (ii_cur_lit(&c, "****")) {
		p->posted_pass = true;
		p->have_unit = false;
		return II_DL_NONE;
	}
	if (ii_cur_lit(&c, "Interrupt Remapping is not enabled")) {
		str_copy(p->msg, sizeof(p->msg), line, len);
		return II_DL_MSG;
	}
	ii_cur_ws(&c);
	if (ii_cur_lit(&c, "IR table address:")) {
		ii_cur_ws(&c);
		if (!ii_cur_hex(&c, 0, &p->table, NULL) || !ii_cur_end(&c)) {
			p->why = "an \"IR table address:\" line without an address";
			return II_DL_BAD;
		}
		p->have_table = true;
		return II_DL_NONE;
	}
	if (ii_cur_lit(&c, "Entry"))
		return II_DL_NONE;
	return row(p, &c);
}

void ii_irte_decode(const struct ii_irte_row *r, struct ii_irte_info *out)
{
	out->present = r->lo & 1;
	out->fpd = (r->lo >> 1) & 1;
	out->logical = (r->lo >> 2) & 1;
	out->redir_hint = (r->lo >> 3) & 1;
	out->level_trigger = (r->lo >> 4) & 1;
	out->delivery_mode = (unsigned)(r->lo >> 5) & 7;
	out->sid = (uint16_t)(r->hi & 0xffff);
	out->sq = (unsigned)(r->hi >> 16) & 3;
	out->svt = (unsigned)(r->hi >> 18) & 3;
}

const char *ii_irte_delivery_name(unsigned mode)
{
	static const char *const names[] = { "fixed", "lowest-priority", "smi", "reserved", "nmi",
					     "init", "reserved", "extint" };

	return names[mode & 7];
}

const char *ii_irte_svt_name(unsigned svt)
{
	static const char *const names[] = { "none", "requester-id", "bus-range", "reserved" };

	return names[svt & 3];
}
