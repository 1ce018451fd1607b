// SPDX-License-Identifier: MIT
/*
 * The IVRS table (kernel-interfaces §8.2): IVinfo, the IVHD blocks with their
 * device entries (ranges joined into one entry each) and the IVMD blocks.
 * Every length is checked before the bytes it covers are read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi.h"

#define IVRS_BODY 48

struct ii_bdf ii_devid_bdf(uint16_t segment, uint16_t devid)
{
	struct ii_bdf b = { segment, (uint8_t)(devid >> 8), (devid >> 3) & 0x1f, devid & 7 };

	return b;
}

static const char *const kind_names[] = {
	[II_IVE_PAD] = "pad",
	[II_IVE_ALL] = "all",
	[II_IVE_SELECT] = "select",
	[II_IVE_RANGE] = "range",
	[II_IVE_ALIAS_SELECT] = "alias_select",
	[II_IVE_ALIAS_RANGE] = "alias_range",
	[II_IVE_EXT_SELECT] = "ext_select",
	[II_IVE_EXT_RANGE] = "ext_range",
	[II_IVE_SPECIAL] = "special",
	[II_IVE_ACPI_HID] = "acpi_hid",
	[II_IVE_END_ALONE] = "range_end",
	[II_IVE_UNKNOWN] = "unknown",
};

const char *ii_ive_kind_name(enum ii_ive_kind k)
{
	return (size_t)k < II_ARRAY_SIZE(kind_names) ? kind_names[k] : "unknown";
}

bool ii_ive_covers(const struct ii_ivhd_entry *e)
{
	switch (e->kind) {
	case II_IVE_ALL:
	case II_IVE_SELECT:
	case II_IVE_RANGE:
	case II_IVE_ALIAS_SELECT:
	case II_IVE_ALIAS_RANGE:
	case II_IVE_EXT_SELECT:
	case II_IVE_EXT_RANGE:
		return !e->open;
	default:
		return false;
	}
}

size_t ii_ivhd_header_size(uint8_t type)
{
	return type == 0x10 ? 24 : type == 0x11 || type == 0x40 ? 40 : 0;
}

/*
 * An ACPI id field of n bytes: printable ASCII up to the first NUL; or, when
 * only the first four bytes are set, a compressed EISA id such as PNP0A08.
 */
static void acpi_id(const uint8_t *p, size_t n, char *out, size_t size)
{
	size_t i, len = 0;
	bool printable = true;

	for (i = 0; i < n && p[i]; i++)
		printable &= p[i] >= 0x20 && p[i] < 0x7f;
	len = i;
	for (; i < n; i++)
		printable &= p[i] == 0;
	if (len && printable) {
		snprintf(out, size, "%.*s", (int)len, (const char *)p);
		return;
	}
	if (n >= 8 && !ii_le32(p + 4) && ii_le32(p)) {
		/* EISA id: big-endian 3 x 5-bit letters, then 4 hex digits */
		uint32_t v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		char c[3] = { (char)('@' + ((v >> 26) & 0x1f)), (char)('@' + ((v >> 21) & 0x1f)),
			      (char)('@' + ((v >> 16) & 0x1f)) };
		snprintf(out, size, "%c%c%c%04X", c[0], c[1], c[2], v & 0xffff);
		return;
	}
	if (!len && !ii_le32(p) && (n < 8 || !ii_le32(p + 4))) {
		out[0] = '\0';
		return;
	}
	/* anything else: the bytes in hex */
	for (i = 0, len = 0; i < n && len + 3 < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%02x", p[i]);
}

/* ----------------------------------------------------------- device entries */

/* Length of the entry at p (avail bytes there), 0 when it cannot be known. */
static size_t entry_length(const uint8_t *p, size_t avail)
{
	if (p[0] < 0x80)
		return (size_t)4 << (p[0] >> 6);
	if (p[0] == 0xf0 && avail >= 22)
		return 22 + (size_t)p[21];
	return 0;
}

static void hid_entry(const uint8_t *p, size_t n, struct ii_ivhd_entry *e, uint32_t at,
		      struct strlist *w)
{
	acpi_id(p + 4, 8, e->hid, sizeof(e->hid));
	acpi_id(p + 12, 8, e->cid, sizeof(e->cid));
	e->uid_format = p[20];
	e->uid_len = p[21];
	if (!e->hid[0])
		ii_acpi_warn(w, "offset 0x%x: ACPI HID entry with an empty HID (the kernel ignores it)", at);
	switch (e->uid_format) {
	case 0:
		if (e->uid_len)
			ii_acpi_warn(w, "offset 0x%x: UID format 0 (none) with length %u", at, e->uid_len);
		break;
	case 1: {
		unsigned long long v = 0;

		for (size_t i = 0; i < e->uid_len && i < 8; i++)
			v |= (unsigned long long)p[22 + i] << (8 * i);
		if (e->uid_len > 8)
			ii_acpi_warn(w, "offset 0x%x: integer UID of %u bytes; the first 8 are used", at,
				     e->uid_len);
		e->uid = xasprintf("%llu", v);
		break;
	}
	case 2: {
		struct strbuf sb = { 0 };

		for (size_t i = 0; i < e->uid_len && 22 + i < n && p[22 + i]; i++) {
			char c = p[22 + i] >= 0x20 && p[22 + i] < 0x7f ? (char)p[22 + i] : '?';
			sb_add(&sb, &c, 1);
		}
		e->uid = sb_detach(&sb);
		break;
	}
	default:
		ii_acpi_warn(w, "offset 0x%x: unknown UID format %u", at, e->uid_format);
	}
}

static void parse_entries(const uint8_t *p, struct ii_ivrs_block *b, size_t from, size_t to,
			  struct strlist *w)
{
	size_t cap = 0, off = from;
	long open = -1; /* index of the range entry waiting for its end */

	while (off < to) {
		struct ii_ivhd_entry e = { 0 };
		uint32_t at = b->offset + (uint32_t)off;
		size_t len = entry_length(p + off, to - off);

		e.offset = at;
		e.code = p[off];
		if (!len) {
			ii_acpi_warn(w, "offset 0x%x: device entry type 0x%02x of unknown length; the entries "
				     "after it in the IVHD at 0x%x cannot be found", at, e.code, b->offset);
			break;
		}
		if (len > to - off) {
			ii_acpi_warn(w, "offset 0x%x: device entry type 0x%02x of %zu bytes runs past the end "
				     "of its IVHD (0x%zx bytes left); ignored", at, e.code, len, to - off);
			break;
		}
		e.dte = p[off + 3];
		e.first = e.last = ii_le16(p + off + 1);
		switch (e.code) {
		case 0x00:
		case 0x40:
			e.kind = II_IVE_PAD;
			break;
		case 0x01:
			e.kind = II_IVE_ALL;
			e.first = 0;
			e.last = 0xffff;
			break;
		case 0x02:
			e.kind = II_IVE_SELECT;
			break;
		case 0x42:
			e.kind = II_IVE_ALIAS_SELECT;
			e.alias = ii_le16(p + off + 5);
			break;
		case 0x46:
			e.kind = II_IVE_EXT_SELECT;
			e.ext = ii_le32(p + off + 4);
			break;
		case 0x03:
		case 0x43:
		case 0x47:
			e.kind = e.code == 0x03 ? II_IVE_RANGE :
				 e.code == 0x43 ? II_IVE_ALIAS_RANGE : II_IVE_EXT_RANGE;
			if (e.code == 0x43)
				e.alias = ii_le16(p + off + 5);
			if (e.code == 0x47)
				e.ext = ii_le32(p + off + 4);
			e.open = true;
			if (open >= 0)
				ii_acpi_warn(w, "offset 0x%x: range start at 0x%x has no end before the next "
					     "start here; it covers nothing", at, b->entries[open].offset);
			open = (long)b->nentries;
			break;
		case 0x04:
			if (open < 0) {
				e.kind = II_IVE_END_ALONE;
				ii_acpi_warn(w, "offset 0x%x: range end without a start; ignored", at);
				break;
			}
			b->entries[open].last = e.first;
			b->entries[open].end_offset = at;
			b->entries[open].open = false;
			if (e.first < b->entries[open].first)
				ii_acpi_warn(w, "offset 0x%x: range end 0x%04x is below its start 0x%04x at "
					     "0x%x; it covers nothing", at, e.first, b->entries[open].first,
					     b->entries[open].offset);
			open = -1;
			off += len;
			continue;
		case 0x48:
			e.kind = II_IVE_SPECIAL;
			e.handle = p[off + 4];
			e.source = ii_le16(p + off + 5);
			e.variety = p[off + 7];
			if (e.variety != 1 && e.variety != 2)
				ii_acpi_warn(w, "offset 0x%x: special device of variety %u (1 IOAPIC, 2 HPET)",
					     at, e.variety);
			break;
		case 0xf0:
			e.kind = II_IVE_ACPI_HID;
			hid_entry(p + off, len, &e, at, w);
			if (b->type != 0x40)
				ii_acpi_warn(w, "offset 0x%x: ACPI HID entry in an IVHD of type 0x%02x (only "
					     "0x40 may hold one; the kernel ignores it)", at, b->type);
			break;
		default:
			e.kind = II_IVE_UNKNOWN;
			e.nraw = len;
			e.raw = xmalloc(len);
			memcpy(e.raw, p + off, len);
			ii_acpi_warn(w, "offset 0x%x: unknown device entry type 0x%02x (%zu bytes); shown as "
				     "raw bytes", at, e.code, len);
		}
		xgrow((void **)&b->entries, &cap, b->nentries + 1, sizeof(*b->entries));
		b->entries[b->nentries++] = e;
		off += len;
	}
	if (open >= 0)
		ii_acpi_warn(w, "offset 0x%x: range start has no end entry; it covers nothing",
			     b->entries[open].offset);
}

/* ------------------------------------------------------------ decoding */

static const char *const ivhd_flag_names[8] = {
	"HtTunEn", "PassPW", "ResPassPW", "Isoc", "IotlbSup", "Coherent", "PreFSup", "PPRSup",
};

static void dte_flags(struct ii_ivhd_entry *e)
{
	static const char *const names[8] = { "INITPass", "EIntPass", "NMIPass", NULL, NULL, NULL,
					      "Lint0Pass", "Lint1Pass" };

	for (size_t i = 0; i < 8; i++)
		if (names[i] && ((e->dte >> i) & 1))
			sl_add(&e->dte_flags, names[i]);
	if (e->dte & 0x30)
		sl_add_owned(&e->dte_flags, xasprintf("SysMgt=%u", (e->dte >> 4) & 3));
}

/* What the raw fields of a block and its entries mean, decoded once here. */
static void decode_block(struct ii_ivrs_block *b)
{
	if (b->kind == II_IVRS_IVHD) {
		b->msi_number = b->info & 0x1f;
		b->unit_id = (b->info >> 8) & 0x1f;
		for (size_t i = 0; i < 8; i++)
			if ((b->flags >> i) & 1)
				sl_add(&b->flag_names, ivhd_flag_names[i]);
		for (size_t i = 0; i < b->nentries; i++) {
			struct ii_ivhd_entry *e = &b->entries[i];

			if (e->kind == II_IVE_EXT_SELECT || e->kind == II_IVE_EXT_RANGE)
				e->ats_disabled = e->ext & 0x80000000u;
			if (e->kind != II_IVE_PAD && e->kind != II_IVE_END_ALONE)
				dte_flags(e);
		}
	} else if (b->kind == II_IVRS_IVMD) {
		b->unity = b->flags & 1;
		b->read = b->flags & 2;
		b->write = b->flags & 4;
		b->exclusion_range = b->flags & 8;
		b->applies_to = b->type == 0x20 ? II_IVMD_ALL : b->type == 0x21 ? II_IVMD_DEVICE :
			        II_IVMD_RANGE;
		b->last_devid = b->type == 0x22 ? b->aux : b->devid;
		b->has_end = b->size != 0;
		b->end = b->start + b->size - 1;
	}
}

const char *ii_ivmd_applies_key(enum ii_ivmd_applies a)
{
	return a == II_IVMD_ALL ? "all" : a == II_IVMD_DEVICE ? "device" : "range";
}

/* ---------------------------------------------------------------- blocks */

static void parse_ivhd(const uint8_t *p, struct ii_ivrs_block *b, struct strlist *w)
{
	size_t n = b->avail < b->length ? b->avail : b->length;
	size_t hs = ii_ivhd_header_size(b->type);

	b->kind = II_IVRS_IVHD;
	if (n < hs)
		ii_acpi_warn(w, "offset 0x%x: IVHD type 0x%02x of %zu bytes, shorter than its %zu-byte "
			     "header; the fields it does not hold are unknown", b->offset, b->type, n, hs);
	if (n >= 20) {
		b->devid = ii_le16(p + 4);
		b->cap_offset = ii_le16(p + 6);
		b->base = ii_le64(p + 8);
		b->segment = ii_le16(p + 16);
		b->info = ii_le16(p + 18);
		b->have |= II_IH_HEADER;
	}
	if (n >= 24) {
		b->feature = ii_le32(p + 20);
		b->have |= II_IH_FEATURE;
	}
	if (hs == 40 && n >= 40) {
		b->efr = ii_le64(p + 24);
		b->efr2 = ii_le64(p + 32);
		b->have |= II_IH_EFR;
	}
	if (n > hs)
		parse_entries(p, b, hs, n, w);
}

static void parse_ivmd(const uint8_t *p, struct ii_ivrs_block *b, struct strlist *w)
{
	size_t n = b->avail < b->length ? b->avail : b->length;

	b->kind = II_IVRS_IVMD;
	if (n < 32) {
		ii_acpi_warn(w, "offset 0x%x: IVMD of %zu bytes, shorter than its 32; its fields are unknown",
			     b->offset, n);
		return;
	}
	b->devid = ii_le16(p + 4);
	b->aux = ii_le16(p + 6);
	b->segment = ii_le16(p + 8);
	b->start = ii_le64(p + 16);
	b->size = ii_le64(p + 24);
	b->have |= II_IH_IVMD;
	if (b->type == 0x22 && b->aux < b->devid)
		ii_acpi_warn(w, "offset 0x%x: IVMD device range ends (0x%04x) below its start (0x%04x)",
			     b->offset, b->aux, b->devid);
	if (b->size && b->start + (b->size - 1) < b->start)
		ii_acpi_warn(w, "offset 0x%x: IVMD range 0x%llx + 0x%llx wraps around", b->offset,
			     (unsigned long long)b->start, (unsigned long long)b->size);
}

/* The kernel's rule: the last IVHD type (up to 0x40) that names the first block's IOMMU. */
static void kernel_type(struct ii_ivrs *v)
{
	uint16_t devid;

	if (!v->n || !(v->b[0].have & II_IH_HEADER))
		return;
	devid = v->b[0].devid;
	v->kernel_type = v->b[0].type;
	for (size_t i = 0; i < v->n && v->b[i].type <= 0x40; i++)
		if ((v->b[i].have & II_IH_HEADER) && v->b[i].devid == devid &&
		    v->b[i].kind == II_IVRS_IVHD)
			v->kernel_type = v->b[i].type;
	if (!ii_ivhd_header_size(v->kernel_type)) {
		v->kernel_type = 0;
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		v->b[i].kernel_uses = v->b[i].kind == II_IVRS_IVHD && v->b[i].type == v->kernel_type;
}

int ii_parse_ivrs(const uint8_t *buf, size_t len, struct ii_ivrs *out)
{
	static const struct ii_acpi_list blocks = { "block", 2, 4, true };
	size_t end, off, cap = 0;

	memset(out, 0, sizeof(*out));
	if (ii_acpi_table_begin(buf, len, "IVRS", &out->hdr, &out->warnings, &end))
		return -EINVAL;
	out->size = end;
	if (end < 40) {
		ii_acpi_warn(&out->warnings, "offset 0x%zx: the table ends before IVinfo", end);
		return 0;
	}
	out->have_ivinfo = true;
	out->ivinfo = ii_le32(buf + 36);
	out->pa_size = (out->ivinfo >> 8) & 0x7f;
	out->va_size = (out->ivinfo >> 15) & 0x7f;
	out->gva_size = (out->ivinfo >> 5) & 0x7;
	out->efr_supported = out->ivinfo & II_IVINFO_EFRSUP;
	out->dma_remap = out->ivinfo & II_IVINFO_DMA_REMAP;
	out->ht_ats_reserved = out->ivinfo & II_IVINFO_HT_ATS_RESV;
	if (end < IVRS_BODY) {
		ii_acpi_warn(&out->warnings, "offset 0x%zx: the table ends inside the reserved bytes before "
			     "the first block", end);
		return 0;
	}
	for (off = IVRS_BODY; off < end;) {
		struct ii_ivrs_block b = { 0 };
		struct ii_acpi_entry e;

		if (!ii_acpi_entry_at(buf, end, off, &blocks, &out->warnings, &e))
			break;
		b.offset = e.offset;
		b.type = (uint8_t)e.type;
		b.length = (uint16_t)e.length;
		b.avail = e.avail;
		b.flags = buf[off + 1];
		if (ii_ivhd_header_size(b.type)) {
			parse_ivhd(buf + off, &b, &out->warnings);
		} else if (b.type >= 0x20 && b.type <= 0x22) {
			parse_ivmd(buf + off, &b, &out->warnings);
		} else {
			b.kind = II_IVRS_UNKNOWN;
			b.nraw = b.avail;
			b.raw = xmalloc(b.nraw);
			memcpy(b.raw, buf + off, b.nraw);
			ii_acpi_warn(&out->warnings, "offset 0x%zx: unknown block type 0x%02x, length %u; shown "
				     "as raw bytes", off, b.type, b.length);
		}
		decode_block(&b);
		xgrow((void **)&out->b, &cap, out->n + 1, sizeof(*out->b));
		out->b[out->n++] = b;
		off += b.length;
	}
	kernel_type(out);
	return 0;
}

void ii_ivrs_free(struct ii_ivrs *v)
{
	for (size_t i = 0; i < v->n; i++) {
		for (size_t j = 0; j < v->b[i].nentries; j++) {
			free(v->b[i].entries[j].uid);
			free(v->b[i].entries[j].raw);
			sl_free(&v->b[i].entries[j].dte_flags);
		}
		free(v->b[i].entries);
		free(v->b[i].raw);
		sl_free(&v->b[i].flag_names);
	}
	free(v->b);
	sl_free(&v->warnings);
	memset(v, 0, sizeof(*v));
}
