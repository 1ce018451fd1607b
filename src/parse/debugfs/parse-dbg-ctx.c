// SPDX-License-Identifier: MIT
/*
 * dmar_translation_struct (kernel-interfaces §2.3) and what a context row says
 * about its requester id's domain (§2.8):
 *
 *   IOMMU dmar0: Root Table Address: 0x1e21000
 *   B.D.F<TAB>Root_entry<TAB>...<TAB>PASID<TAB>PASID_table_entry
 *   00:1f.0<TAB>0x<root hi>:0x<root lo><TAB>0x<ctx hi>:0x<ctx lo><TAB>-1    <TAB>0x<pe2>:0x<pe1>:0x<pe0>
 *   DMA Remapping is not enabled on dmar0
 */
#include <stdio.h>
#include <string.h>

#include "debugfs.h"

#define ADDR_MASK 0x000ffffffffff000ULL

void ii_ctxt_init(struct ii_ctxt *p)
{
	memset(p, 0, sizeof(*p));
}

static bool pair(struct ii_cur *c, uint64_t *hi, uint64_t *lo)
{
	ii_cur_ws(c);
	return ii_cur_hex(c, 1, hi, NULL) && ii_cur_lit(c, ":") && ii_cur_hex(c, 1, lo, NULL);
}

static enum ii_dl row(struct ii_ctxt *p, struct ii_cur *c)
{
	struct ii_ctx_row *r = &p->row;
	struct ii_bdf b;
	long long pasid;

	if (!ii_cur_bdf(c, &b, false)) {
		p->why = "a row that does not start with a bus:device.function";
		return II_DL_BAD;
	}
	r->bus = b.bus;
	r->dev = b.dev;
	r->fn = b.fn;
	if (!pair(c, &r->root_hi, &r->root_lo) || !pair(c, &r->ctx_hi, &r->ctx_lo)) {
		p->why = "a row without its root and context entries (hi:lo)";
		return II_DL_BAD;
	}
	ii_cur_ws(c);
	if (!ii_cur_dec(c, &pasid) || pasid < -1 || pasid > 0xfffff) {
		p->why = "a row whose PASID is not -1 or a PASID";
		return II_DL_BAD;
	}
	r->pasid = (long)pasid;
	ii_cur_ws(c);
	if (!ii_cur_hex(c, 1, &r->pe[2], NULL) || !ii_cur_lit(c, ":") ||
	    !ii_cur_hex(c, 1, &r->pe[1], NULL) || !ii_cur_lit(c, ":") ||
	    !ii_cur_hex(c, 1, &r->pe[0], NULL) || !ii_cur_end(c)) {
		p->why = "a row whose PASID-table entry is not three hex numbers (a line cut short?)";
		return II_DL_BAD;
	}
	if (!p->have_unit) {
		p->why = "a row before any IOMMU line";
		return II_DL_BAD;
	}
	return II_DL_ROW;
}

enum ii_dl ii_ctxt_line(struct ii_ctxt *p, const char *line, size_t len)
{
	struct ii_cur c = { line, len, 0 };

	if (ii_cur_end(&c))
		return II_DL_NONE;
	if (ii_cur_lit(&c, "IOMMU ")) {
		char name[32];

		if (!ii_cur_word(&c, name, sizeof(name)) || !name[0] || name[strlen(name) - 1] != ':' ||
		    (ii_cur_ws(&c), !ii_cur_lit(&c, "Root Table Address:")) ||
		    (ii_cur_ws(&c), !ii_cur_hex(&c, 0, &p->root_table, NULL)) || !ii_cur_end(&c)) {
			p->why = "an IOMMU line that is not \"IOMMU <name>: Root Table Address: 0x<address>\"";
			return II_DL_BAD;
		}
		name[strlen(name) - 1] = '\0';
		snprintf(p->unit, sizeof(p->unit), "%s", name);
		p->have_unit = true;
		return II_DL_UNIT;
	}
	if (ii_cur_lit(&c, "B.D.F"))
		return II_DL_NONE;
	if (ii_cur_lit(&c, "DMA Remapping is not enabled")) {
		str_copy(p->msg, sizeof(p->msg), line, len);
		return II_DL_MSG;
	}
	return row(p, &c);
}

const char *ii_dbg_tt_key(enum ii_dbg_tt t)
{
	static const char *const keys[] = {
		[II_TT_UNKNOWN] = NULL,
		[II_TT_SECOND_LEVEL] = "second-level",
		[II_TT_FIRST_LEVEL] = "first-level",
		[II_TT_NESTED] = "nested",
		[II_TT_PASSTHROUGH] = "pass-through",
		[II_TT_HOST] = "host",
		[II_TT_GUEST] = "guest",
	};

	return (size_t)t < II_ARRAY_SIZE(keys) ? keys[t] : NULL;
}

const char *ii_dbg_mode_key(enum ii_dbg_mode m)
{
	return m == II_DM_LEGACY ? "legacy" : m == II_DM_SCALABLE ? "scalable" : NULL;
}

void ii_ctx_decode(const struct ii_ctx_row *r, struct ii_ctx_info *out)
{
	memset(out, 0, sizeof(*out));
	out->did = -1;
	if (r->pasid < 0) {
		/* legacy context entry */
		unsigned tt = (unsigned)(r->ctx_lo >> 2) & 3, aw = (unsigned)r->ctx_hi & 7;

		out->present = r->ctx_lo & 1;
		if (!out->present)
			return;
		out->did = (long)((r->ctx_hi >> 8) & 0xffff);
		if (tt == 2) {
			out->translation = II_TT_PASSTHROUGH;
			return;
		}
		if (tt == 3)
			return;
		out->translation = II_TT_SECOND_LEVEL;
		out->device_tlb = tt == 1;
		out->has_pgd = true;
		out->pgd = r->ctx_lo & ADDR_MASK;
		if (aw >= 1 && aw <= 3) {
			out->levels = (int)aw + 2;
			out->aw_bits = 30 + 9 * (int)aw;
		}
		return;
	}
	/* scalable mode: the PASID entry holds the domain */
	{
		unsigned pgtt = (unsigned)(r->pe[0] >> 6) & 7, aw = (unsigned)(r->pe[0] >> 2) & 7;

		out->scalable = true;
		out->present = r->pe[0] & 1;
		if (!out->present)
			return;
		out->did = (long)(r->pe[1] & 0xffff);
		switch (pgtt) {
		case 1:
			out->translation = II_TT_FIRST_LEVEL;
			out->has_pgd = true;
			out->pgd = r->pe[2] & ADDR_MASK;
			out->levels = ((r->pe[2] >> 2) & 3) == 1 ? 5 : 4;
			out->aw_bits = out->levels == 5 ? 57 : 48;
			return;
		case 2:
		case 3:
			out->translation = pgtt == 2 ? II_TT_SECOND_LEVEL : II_TT_NESTED;
			out->has_pgd = true;
			out->pgd = r->pe[0] & ADDR_MASK;
			if (aw >= 1 && aw <= 3) {
				out->levels = (int)aw + 2;
				out->aw_bits = 30 + 9 * (int)aw;
			}
			return;
		case 4:
			out->translation = II_TT_PASSTHROUGH;
			return;
		default:
			return;
		}
	}
}
