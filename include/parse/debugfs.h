/* SPDX-License-Identifier: MIT */
/*
 * Pure parsers of the IOMMU debugfs files (kernel-interfaces §2 and §3):
 * lines in, structs out; no I/O, no printing, safe on any input.
 *
 * Every line parser is push-style: the caller splits its stream into lines
 * (without the '\n', not NUL-terminated) and hands them over one at a time;
 * the parser keeps what it must remember between lines in its own state
 * struct and returns what the line was, with the decoded fields in the state.
 * Nothing grows with the input, so a dump of hundreds of megabytes is parsed
 * in constant memory.
 */
#ifndef II_DEBUGFS_H
#define II_DEBUGFS_H

#include "ii.h"
#include "parse.h"

/* What a line was, for every parser below. */
enum ii_dl {
	II_DL_NONE,   /* a header, a blank line, a separator: nothing to take */
	II_DL_UNIT,   /* a unit's first line ("IOMMU: dmar0 ..."): p->unit is set */
	II_DL_BLOCK,  /* domain_translation_struct: a "Device ..." line starts a block */
	II_DL_ROW,    /* a row of data, decoded into the parser's row field */
	II_DL_END,    /* domain_translation_struct: a blank line ends a block */
	II_DL_MSG,    /* a message of the kernel's ("... is not enabled ..."): p->msg */
	II_DL_BAD,    /* none of these: p->why says what is wrong with it */
};

/* ------------------------------------------ domain_translation_struct (§2.4) */

enum ii_dts_layout {
	II_DTS_GLOBAL,     /* 5.10 to 6.6: one file; "with pasid %d" in decimal (5.10, 5.15) */
	II_DTS_PER_DEVICE, /* 6.7 and later: <bdf>/[<pasid>/]domain_translation_struct, "%x" */
};

/* One leaf of a page-table walk: a row of the dump. */
struct ii_pte {
	uint64_t iova;      /* IOVA_PFN << 12 */
	uint64_t size;      /* 4 KiB, 2 MiB or 1 GiB */
	uint64_t phys;      /* the output address of the leaf */
	uint64_t entry;     /* the leaf entry */
	uint64_t path[5];   /* the printed entries, PML5E first; 0 where not printed */
	uint8_t ncols;      /* entry columns printed: 5 (5.10 to 6.6), 3 to 5 (6.7 and later) */
	uint8_t level;      /* of the leaf: 1 (PTE), 2 (PDE, 2 MiB), 3 (PDPE, 1 GiB) */
	bool read, write;   /* the rights of the whole path: every entry's R (bit 0), W (bit 1) */
};

struct ii_dts {
	enum ii_dts_layout layout;
	bool in_block;      /* a "Device" line was seen and no blank line since */
	bool padded_header; /* the block's column header was the 6.7+ one (padded names) */
	/* the current block, from its "Device" line */
	char dev[64];       /* "0000:00:02.0" */
	int pasid;          /* -1: the line names none */
	uint64_t pgd;       /* the page table's physical address */
	struct ii_pte row;  /* II_DL_ROW */
	const char *why;    /* II_DL_BAD */
	char msg[96];       /* II_DL_MSG */
	uint64_t lines;
	bool partial;       /* the last line ii_dts_next() took had no '\n' (the input was cut) */
	/* the previous row's digits, eight at a time, as text and as numbers: most repeat */
	uint64_t memo_text[12], memo_val[12];
	/* the last 4 KiB leaf's upper columns (from " |" to the PTE's "0x") as text, decoded, rights */
	bool upper_valid, upper_rd, upper_wr;
	char upper_text[81];
	uint64_t upper[4];
};

void ii_dts_init(struct ii_dts *p, enum ii_dts_layout layout);
/*
 * One line (len bytes, no '\n'). II_DL_BLOCK also ends the block before it;
 * a row outside a block, or one without a valid leaf, is II_DL_BAD.
 */
enum ii_dl ii_dts_line(struct ii_dts *p, const char *line, size_t len);
/*
 * The same over a buffer: decode the line at buf (avail bytes) and set *used to
 * the bytes it took, its '\n' included. With no '\n' in buf, *used is 0 unless
 * eof, when the rest is taken as a last line (p->partial). Lets rows be
 * decoded without searching for their end first.
 */
enum ii_dl ii_dts_next(struct ii_dts *p, const char *buf, size_t avail, bool eof, size_t *used);
/* End of the input: II_DL_END when a block is still open (6.7+ files end without a blank line). */
enum ii_dl ii_dts_finish(struct ii_dts *p);

/* --------------------------------------------------------- range coalescing */

/* A maximal run of leaves, contiguous in IOVA, with the same rights and page size. */
struct ii_range {
	uint64_t start, end; /* IOVA, end inclusive */
	uint64_t phys;       /* the output address of start */
	uint64_t page_size;
	uint64_t pages;
	bool read, write;
	bool phys_contig;    /* IOVA to physical is contiguous too (phys + offset) */
};

struct ii_coalesce {
	bool open;
	struct ii_range cur;
	uint64_t next_phys;
	/* totals over everything fed */
	uint64_t ranges, bytes, leaves, pages_4k, pages_2m, pages_1g;
	uint64_t disorder;   /* leaves that started at or below the previous one's end */
	unsigned cur_rw;     /* the open range's rights as bits (read 1, write 2) */
};

void ii_coalesce_init(struct ii_coalesce *c);
/* Feed a leaf; true when it closed a range, which is then in *done. */
bool ii_coalesce_add(struct ii_coalesce *c, const struct ii_pte *p, struct ii_range *done);
/* No more leaves: true when a range was still open (in *done). */
bool ii_coalesce_end(struct ii_coalesce *c, struct ii_range *done);

/* The common case of ii_coalesce_add, inline: a 4 KiB leaf that extends the open range. */
static inline bool ii_coalesce_extend(struct ii_coalesce *c, const struct ii_pte *p)
{
	struct ii_range *r = &c->cur;

	/* the rights as bits: two byte loads, not one load of both (a store-forwarding stall) */
	if (!c->open || p->size != 1ULL << 12 || r->page_size != 1ULL << 12 ||
	    p->iova != r->end + 1 || p->iova == 0 || ((unsigned)p->read | (unsigned)p->write << 1) != c->cur_rw)
		return false;
	r->end += 1ULL << 12;
	r->pages++;
	if (p->phys != c->next_phys)
		r->phys_contig = false;
	c->next_phys = p->phys + (1ULL << 12);
	c->leaves++;
	c->bytes += 1ULL << 12;
	c->pages_4k++;
	return true;
}

/* ------------------------------------------------ dmar_translation_struct (§2.3) */

struct ii_ctx_row {
	uint8_t bus, dev, fn;
	uint64_t root_hi, root_lo, ctx_hi, ctx_lo;
	long pasid;          /* -1 in legacy mode */
	uint64_t pe[3];      /* the PASID entry's val[0], val[1], val[2] */
};

struct ii_ctxt {
	char unit[32];       /* II_DL_UNIT: "dmar0" */
	uint64_t root_table; /* II_DL_UNIT */
	bool have_unit;
	struct ii_ctx_row row;
	const char *why;
	char msg[96];
};

void ii_ctxt_init(struct ii_ctxt *p);
enum ii_dl ii_ctxt_line(struct ii_ctxt *p, const char *line, size_t len);

/*
 * How a domain translates: from a context or PASID entry (Intel), or a device
 * table entry (AMD: host or guest page table, or none).
 */
enum ii_dbg_tt {
	II_TT_UNKNOWN,
	II_TT_SECOND_LEVEL,
	II_TT_FIRST_LEVEL,
	II_TT_NESTED,
	II_TT_PASSTHROUGH,       /* no translation: the IOVA is the physical address */
	II_TT_HOST,              /* AMD: the host page table */
	II_TT_GUEST,             /* AMD: a guest page table (GV) */
};
/* "second-level", "first-level", "nested", "pass-through", "host", "guest"; NULL: unknown. */
const char *ii_dbg_tt_key(enum ii_dbg_tt t);

/* Intel: the unit's translation mode (root table type); a context row's. */
enum ii_dbg_mode {
	II_DM_UNKNOWN,
	II_DM_LEGACY,
	II_DM_SCALABLE,
};
/* "legacy", "scalable"; NULL: unknown. */
const char *ii_dbg_mode_key(enum ii_dbg_mode m);

/* What a context row says about the domain of its requester id (§2.8). */
struct ii_ctx_info {
	bool present;
	bool scalable;
	enum ii_dbg_tt translation;
	bool device_tlb;         /* legacy TT 1 */
	long did;                /* -1: unknown */
	bool has_pgd;
	uint64_t pgd;
	int aw_bits, levels;     /* 0: unknown */
};
void ii_ctx_decode(const struct ii_ctx_row *r, struct ii_ctx_info *out);

/* ------------------------------------------------------- iommu_regset (§2.2) */

struct ii_regset_row {
	char name[24];
	uint32_t offset;
	uint64_t value;
};

struct ii_regset {
	char unit[32];       /* II_DL_UNIT */
	uint64_t base;       /* II_DL_UNIT */
	bool have_unit;
	struct ii_regset_row row;
	const char *why;
	char msg[96];
};

void ii_regset_init(struct ii_regset *p);
enum ii_dl ii_regset_line(struct ii_regset *p, const char *line, size_t len);

/* The fields of the registers iommus --regs decodes, by register name ("GSTS"), or NULL. */
const struct ii_regdesc *ii_intel_dbg_regdesc(const char *name);
/* What a field's value means, for people (e.g. "65536 entries"), or NULL. Owned by the caller. */
char *ii_intel_dbg_explain(const struct ii_regdesc *rd, const struct ii_field *f, uint64_t v);

/* ------------------------------------------------- invalidation_queue (§2.5) */

struct ii_iq_row {
	unsigned index;
	uint64_t qw[4];
	unsigned nqw;        /* 2, or 4 with 256-bit descriptors */
	uint64_t status;
};

struct ii_iq {
	char unit[32];       /* II_DL_UNIT */
	bool have_unit, have_base;
	uint64_t base;
	long long head, tail;
	unsigned nqw;        /* from the column header: 2 or 4; 0 before it */
	struct ii_iq_row row;
	const char *why;
};

void ii_iq_init(struct ii_iq *p);
enum ii_dl ii_iq_line(struct ii_iq *p, const char *line, size_t len);
/* The descriptor type of qw0 ("iotlb_inv", ...), or NULL for an unknown one. */
const char *ii_iq_type_name(uint64_t qw0);
/* The software status column: "free", "in-use", "done", "abort", or NULL. */
const char *ii_iq_status_name(uint64_t status);

/* ------------------------------------------------ ir_translation_struct (§2.6) */

struct ii_irte_row {
	unsigned index;
	uint8_t bus, dev, fn;
	bool posted;
	uint32_t dest;       /* remapped: the DstID column */
	uint32_t pda_hi, pda_lo; /* posted */
	uint8_t vector;
	uint64_t hi, lo;
};

struct ii_irt {
	char unit[32];       /* II_DL_UNIT */
	bool have_unit;
	bool posted_pass;    /* after the "****" line */
	bool have_table;
	uint64_t table;      /* " IR table address:..." */
	struct ii_irte_row row;
	const char *why;
	char msg[96];
};

void ii_irt_init(struct ii_irt *p);
enum ii_dl ii_irt_line(struct ii_irt *p, const char *line, size_t len);

/* The fields of an IRTE that matter to people. */
struct ii_irte_info {
	bool present, fpd, logical, redir_hint, level_trigger;
	unsigned delivery_mode;   /* 0 fixed, 1 lowest priority, ... */
	uint16_t sid;
	unsigned sq, svt;         /* source-id qualifier, source validation type */
};
void ii_irte_decode(const struct ii_irte_row *r, struct ii_irte_info *out);
/* "none", "requester id", "bus range" or "reserved", for svt. */
const char *ii_irte_svt_name(unsigned svt);
/* "fixed", "lowest-priority", "smi", "reserved", "nmi", "init", "extint", for delivery_mode. */
const char *ii_irte_delivery_name(unsigned mode);

/* --------------------------------------------------- dmar_perf_latency (§2.7) */

#define II_LAT_COLS 10
struct ii_lat_row {
	char type[16];            /* "inv_iotlb", ... */
	long long v[II_LAT_COLS]; /* seven bucket counts, then min, max, average (µs) */
};

struct ii_lat {
	char unit[32];
	bool have_unit;
	uint64_t base;
	struct ii_lat_row row;
	const char *why;
	char msg[96];
};

void ii_lat_init(struct ii_lat *p);
enum ii_dl ii_lat_line(struct ii_lat *p, const char *line, size_t len);
/* Column labels: "<0.1us", ..., "average(us)". */
extern const char *const ii_lat_labels[II_LAT_COLS];

/* --------------------------------------------------------- AMD-Vi 6.15+ (§3) */

/* amd/devtbl: "SSSS:BB:DD.F qword3 qword2 qword1 qword0 iommuN". */
struct ii_amd_dte {
	struct ii_bdf bdf;
	uint64_t q[4];            /* q[0] is QWORD[0] */
	int unit;                 /* the N of iommuN; -1 if absent */
};
/* Parses the whole (small) file; returns 0, -ENOENT for the "Enter a valid device ID" and
 * similar messages (msg points into a static string), -EINVAL for anything else. */
int ii_amd_devtbl_parse(const char *text, size_t len, struct ii_amd_dte *out, const char **msg);

struct ii_amd_dte_info {
	bool valid, tv, ir, iw, iv, gv;
	unsigned mode;            /* paging levels: 0 = none */
	uint64_t pgd;             /* page-table root, bits 51:12 */
	uint16_t did;
	unsigned int_tab_len;     /* IntTabLen: 2^n entries */
	uint64_t int_tab_entries; /* 2^int_tab_len; 0 for a reserved length */
	uint64_t irt;             /* interrupt table root */
	/* what the entry means for the device's DMA */
	enum ii_dbg_tt translation; /* PASSTHROUGH (not valid, TV clear or mode 0), HOST or GUEST */
	int levels;               /* of its page table: mode when 1 to 6, else 0 */
};
void ii_amd_dte_decode(const struct ii_amd_dte *d, struct ii_amd_dte_info *out);

/* amd/iommuXX/mmio and capability: "Offset:0x<off> Value:0x<val>". -ENOENT: none selected. */
int ii_amd_offset_value_parse(const char *text, size_t len, uint32_t *off, uint64_t *val);

/* amd/iommuXX/cmdbuf: a head line, then "%3d: %08x %08x %08x %08x" lines. */
struct ii_amd_cmd_row {
	unsigned index;
	uint32_t d[4];
};
struct ii_amd_cmdbuf {
	bool have_head;
	long long head, tail;
	struct ii_amd_cmd_row row;
	const char *why;
};
void ii_amd_cmdbuf_init(struct ii_amd_cmdbuf *p);
enum ii_dl ii_amd_cmdbuf_line(struct ii_amd_cmdbuf *p, const char *line, size_t len);
/* "COMPLETION_WAIT", ... for the opcode in d[1] bits 31:28, or NULL. */
const char *ii_amd_cmd_name(const struct ii_amd_cmd_row *r);
/* The same for an opcode (0 to 15). */
const char *ii_amd_cmd_type_name(unsigned op);

/* amd/irqtbl: "DeviceId SSSS:BB:DD.F", then "IRT[%04d] <hi> <lo>" or "IRT[%04d] <%08x>". */
struct ii_amd_irte_row {
	unsigned index;
	bool ga;                  /* the 128-bit format */
	uint64_t hi, lo;          /* 32-bit format: lo only */
	uint8_t vector;
};
struct ii_amd_irqtbl {
	bool have_dev;
	struct ii_bdf dev;
	struct ii_amd_irte_row row;
	const char *why;
	char msg[96];
};
void ii_amd_irqtbl_init(struct ii_amd_irqtbl *p);
enum ii_dl ii_amd_irqtbl_line(struct ii_amd_irqtbl *p, const char *line, size_t len);

/* ------------------------------------------------------------------ helpers */

/*
 * A cursor over a line, for the parsers: each function consumes what it
 * matched and returns true, or leaves the cursor alone and returns false.
 */
struct ii_cur {
	const char *s;
	size_t len, i;
};
void ii_cur_ws(struct ii_cur *c);                          /* skip blanks and tabs */
bool ii_cur_lit(struct ii_cur *c, const char *lit);        /* exactly lit */
bool ii_cur_end(struct ii_cur *c);                         /* only blanks left */
/* Hex digits (1 to 16), with "0x" required (prefix 1), optional (0) or refused (-1). */
bool ii_cur_hex(struct ii_cur *c, int prefix, uint64_t *v, size_t *digits);
bool ii_cur_dec(struct ii_cur *c, long long *v);           /* [-]digits */
/* A run of non-blank characters, copied (it must fit). */
bool ii_cur_word(struct ii_cur *c, char *buf, size_t size);
/* "bb:dd.f" or "ssss:bb:dd.f" (hex). */
bool ii_cur_bdf(struct ii_cur *c, struct ii_bdf *b, bool with_segment);
/*
 * The rest of the unit line that iommu_regset and dmar_perf_latency start
 * each unit with, after "IOMMU: ": "<name> Register Base Address: <hex>".
 * False (the line is malformed) when anything else follows or is missing.
 */
bool ii_cur_unit_base(struct ii_cur *c, char *unit, size_t size, uint64_t *base);
#define II_UNIT_BASE_WHY "an IOMMU line that is not \"IOMMU: <name> Register Base Address: <hex>\""

#endif
