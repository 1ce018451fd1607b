// SPDX-License-Identifier: MIT
/*
 * iommu_regset (kernel-interfaces §2.2) and the fields of the registers it
 * shows that iommus --regs decodes (the VT-d specification, as intel/iommu.h
 * encodes them):
 *
 *   IOMMU: dmar0 Register Base Address: fed90000
 *   Name<TAB><TAB><TAB>Offset<TAB><TAB>Contents
 *   GSTS            <TAB>0x1c<TAB><TAB>0x00000000c7000000
 *   <empty line>
 *
 * Rows are keyed by name, not position: registers come and go between
 * kernel versions.
 */
#include <stdio.h>
#include <string.h>

#include "debugfs.h"
#include "util.h"

void ii_regset_init(struct ii_regset *p)
{
	memset(p, 0, sizeof(*p));
}

enum ii_dl ii_regset_line(struct ii_regset *p, const char *line, size_t len)
{
	struct ii_cur c = { line, len, 0 };
	struct ii_regset_row *r = &p->row;
	uint64_t off;
	size_t n;

	if (ii_cur_end(&c))
		return II_DL_NONE;
	if (ii_cur_lit(&c, "IOMMU: ")) {
		if (ii_cur_lit(&c, "Invalid base address")) {
			str_copy(p->msg, sizeof(p->msg), line, len);
			return II_DL_MSG;
		}
		p->have_unit = ii_cur_unit_base(&c, p->unit, sizeof(p->unit), &p->base);
		if (!p->have_unit) {
			p->why = II_UNIT_BASE_WHY;
			return II_DL_BAD;
		}
		return II_DL_UNIT;
	}
	if (ii_cur_lit(&c, "Name") && (c.i == len || line[c.i] == '\t' || line[c.i] == ' '))
		return II_DL_NONE;
	/* NAME (padded with blanks, or not when 16 characters and more) TAB 0xOFF TABS 0xVALUE */
	for (n = 0; n < len && line[n] != '\t' && line[n] != ' '; n++)
		if ((unsigned char)line[n] < 0x21 || (unsigned char)line[n] > 0x7e) {
			p->why = "a register name with a character that is not printable";
			return II_DL_BAD;
		}
	c.i = n;
	if (!n || n >= sizeof(r->name)) {
		p->why = "a register row without a name";
		return II_DL_BAD;
	}
	str_copy(r->name, sizeof(r->name), line, n);
	ii_cur_ws(&c);
	if (!ii_cur_hex(&c, 1, &off, NULL) || off > 0xffffffffULL ||
	    (ii_cur_ws(&c), !ii_cur_hex(&c, 1, &r->value, NULL)) || !ii_cur_end(&c)) {
		p->why = "a register row that is not \"<name> 0x<offset> 0x<value>\" (a line cut short?)";
		return II_DL_BAD;
	}
	r->offset = (uint32_t)off;
	if (!p->have_unit) {
		p->why = "a register row before any IOMMU line";
		return II_DL_BAD;
	}
	return II_DL_ROW;
}

/* ------------------------------------------------------------ register fields */

#define F(n, l, h, d) { n, l, h, d }

static const struct ii_field gcmd[] = {
	F("CFI", 23, 23, "allow compatibility-format interrupts"),
	F("SIRTP", 24, 24, "set interrupt remapping table pointer"),
	F("IRE", 25, 25, "enable interrupt remapping"),
	F("QIE", 26, 26, "enable queued invalidation"),
	F("WBF", 27, 27, "flush the write buffer"),
	F("EAFL", 28, 28, "enable advanced fault logging"),
	F("SFL", 29, 29, "set the fault log"),
	F("SRTP", 30, 30, "set the root table pointer"),
	F("TE", 31, 31, "enable translation"),
};

static const struct ii_field gsts[] = {
	F("CFIS", 23, 23, "compatibility-format interrupts allowed"),
	F("IRTPS", 24, 24, "interrupt remapping table pointer set"),
	F("IRES", 25, 25, "interrupt remapping enabled"),
	F("QIES", 26, 26, "queued invalidation enabled"),
	F("WBFS", 27, 27, "write-buffer flush pending"),
	F("AFLS", 28, 28, "advanced fault logging enabled"),
	F("FLS", 29, 29, "fault log set"),
	F("RTPS", 30, 30, "root table pointer set"),
	F("TES", 31, 31, "translation enabled"),
};

static const struct ii_field fsts[] = {
	F("PFO", 0, 0, "primary fault overflow"),
	F("PPF", 1, 1, "primary fault pending"),
	F("AFO", 2, 2, "advanced fault overflow"),
	F("APF", 3, 3, "advanced fault pending"),
	F("IQE", 4, 4, "invalidation queue error"),
	F("ICE", 5, 5, "invalidation completion error"),
	F("ITE", 6, 6, "invalidation time-out error"),
	F("PRO", 7, 7, "page request overflow"),
	F("FRI", 8, 15, "fault record index"),
};

static const struct ii_field fectl[] = {
	F("IP", 30, 30, "fault interrupt pending"),
	F("IM", 31, 31, "fault interrupts masked"),
};

static const struct ii_field rtaddr[] = {
	F("TTM", 10, 11, "translation table mode"),
	F("RTA", 12, 63, "root table address"),
};

static const struct ii_field iqa[] = {
	F("QS", 0, 2, "queue size"),
	F("DW", 11, 11, "256-bit descriptors"),
	F("IQA", 12, 63, "queue base address"),
};

static const struct ii_field irta[] = {
	F("S", 0, 3, "table size"),
	F("EIME", 11, 11, "x2APIC mode (extended interrupt mode)"),
	F("IRTA", 12, 63, "table address"),
};

static const struct ii_field pmen[] = {
	F("PRS", 0, 0, "protected region status"),
	F("EPM", 31, 31, "protected memory enabled"),
};

static const struct ii_field prs[] = {
	F("PPR", 0, 0, "page request pending"),
	F("PRO", 1, 1, "page request overflow"),
};

static const struct ii_field ics[] = {
	F("IWC", 0, 0, "invalidation wait descriptor complete"),
};

#define REG(var, name, tbl) static const struct ii_regdesc var = { name, tbl, II_ARRAY_SIZE(tbl) }
REG(rd_gcmd, "GCMD", gcmd);
REG(rd_gsts, "GSTS", gsts);
REG(rd_fsts, "FSTS", fsts);
REG(rd_fectl, "FECTL", fectl);
REG(rd_pectl, "PECTL", fectl);
REG(rd_rtaddr, "RTADDR", rtaddr);
REG(rd_iqa, "IQA", iqa);
REG(rd_irta, "IRTA", irta);
REG(rd_pmen, "PMEN", pmen);
REG(rd_prs, "PRS", prs);
REG(rd_ics, "ICS", ics);

static const struct ii_regdesc *const descs[] = {
	&rd_gcmd, &rd_gsts, &rd_fsts, &rd_fectl, &rd_pectl, &rd_rtaddr,
	&rd_iqa,  &rd_irta, &rd_pmen, &rd_prs,   &rd_ics,
};

const struct ii_regdesc *ii_intel_dbg_regdesc(const char *name)
{
	for (size_t i = 0; i < II_ARRAY_SIZE(descs); i++)
		if (!strcmp(descs[i]->reg, name))
			return descs[i];
	return NULL;
}

char *ii_intel_dbg_explain(const struct ii_regdesc *rd, const struct ii_field *f, uint64_t v)
{
	if (rd == &rd_rtaddr && !strcmp(f->name, "TTM"))
		return xstrdup(v == 0 ? "legacy mode" : v == 1 ? "scalable mode" :
			       v == 3 ? "abort-DMA mode" : "reserved");
	if (f->lo == 12 && f->hi == 63)
		return xasprintf("at 0x%llx", (unsigned long long)v << 12);
	if (rd == &rd_iqa && !strcmp(f->name, "QS"))
		return xasprintf("%llu KiB", 4ULL << v);
	if (rd == &rd_irta && !strcmp(f->name, "S"))
		return xasprintf("%llu entries", 1ULL << (v + 1));
	return NULL;
}
