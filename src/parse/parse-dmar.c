// SPDX-License-Identifier: MIT
/*
 * The DMAR table (kernel-interfaces §8.1): the remapping structures and their
 * device scopes, and the walk that turns a scope's path into a PCI address.
 * Every length is checked before the bytes it covers are read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acpi.h"

#define DMAR_BODY 48       /* header, width, flags, reserved */

static const char *const type_names[] = { "DRHD", "RMRR", "ATSR", "RHSA", "ANDD", "SATC", "SIDP" };

const char *ii_dmar_type_name(unsigned type)
{
	return type < II_ARRAY_SIZE(type_names) ? type_names[type] : NULL;
}

const char *ii_scope_type_name(unsigned type)
{
	static const char *const names[] = { NULL, "endpoint", "bridge", "ioapic", "hpet", "acpi" };

	return type < II_ARRAY_SIZE(names) ? names[type] : NULL;
}

bool ii_dmar_has_scopes(unsigned type)
{
	return type == II_DMAR_DRHD || type == II_DMAR_RMRR || type == II_DMAR_ATSR ||
	       type == II_DMAR_SATC || type == II_DMAR_SIDP;
}

/* Where the scopes of a structure type start (its fixed part's size); 0: no scopes. */
static size_t scope_start(unsigned type)
{
	switch (type) {
	case II_DMAR_DRHD:
		return 16;
	case II_DMAR_RMRR:
		return 24;
	case II_DMAR_ATSR:
	case II_DMAR_SATC:
	case II_DMAR_SIDP:
		return 8;
	}
	return 0;
}

/* The fixed part's size of each known type, for the "too short" check. */
static size_t fixed_size(unsigned type)
{
	switch (type) {
	case II_DMAR_RHSA:
		return 20;
	case II_DMAR_ANDD:
		return 9; /* at least one byte of name (its NUL) */
	}
	return scope_start(type);
}

/* ---------------------------------------------------------------- scopes */

static void parse_scopes(const uint8_t *p, struct ii_dmar_struct *st, size_t from, size_t to,
			 struct strlist *w)
{
	size_t cap = 0, off = from;

	while (off < to) {
		struct ii_dmar_scope sc = { 0 };
		uint32_t at = st->offset + (uint32_t)off;

		if (to - off < 2) {
			ii_acpi_warn(w, "offset 0x%x: 1 byte left in the %s at 0x%x, too short for a device "
				     "scope; ignored", at, ii_dmar_type_name(st->type), st->offset);
			break;
		}
		sc.offset = at;
		sc.type = p[off];
		sc.length = p[off + 1];
		if (sc.length < 6) {
			ii_acpi_warn(w, "offset 0x%x: device scope of length %u (at least 6); the scopes after "
				     "it in the %s at 0x%x cannot be found", at, sc.length,
				     ii_dmar_type_name(st->type), st->offset);
			break;
		}
		if (sc.length > to - off) {
			ii_acpi_warn(w, "offset 0x%x: device scope of length %u runs past the end of its %s "
				     "(0x%x bytes left); ignored", at, sc.length, ii_dmar_type_name(st->type),
				     (unsigned)(to - off));
			break;
		}
		sc.flags = p[off + 2];
		sc.enum_id = p[off + 4];
		sc.start_bus = p[off + 5];
		sc.npath = (size_t)(sc.length - 6) / 2;
		if ((sc.length - 6) % 2)
			ii_acpi_warn(w, "offset 0x%x: device scope length %u leaves half a path element; the "
				     "odd byte is ignored", at, sc.length);
		if (sc.npath) {
			sc.path = xcalloc(sc.npath, sizeof(*sc.path));
			for (size_t i = 0; i < sc.npath; i++) {
				sc.path[i].dev = p[off + 6 + 2 * i];
				sc.path[i].fn = p[off + 7 + 2 * i];
				if (sc.path[i].dev > 31 || sc.path[i].fn > 7)
					ii_acpi_warn(w, "offset 0x%x: path element %zu is %02x,%02x: device "
						     "above 31 or function above 7", at, i + 1, sc.path[i].dev,
						     sc.path[i].fn);
			}
		} else {
			ii_acpi_warn(w, "offset 0x%x: device scope with an empty path", at);
		}
		if (!ii_scope_type_name(sc.type))
			ii_acpi_warn(w, "offset 0x%x: unknown device scope type %u; shown as found", at,
				     sc.type);
		xgrow((void **)&st->scopes, &cap, st->nscopes + 1, sizeof(*st->scopes));
		st->scopes[st->nscopes++] = sc;
		off += sc.length;
	}
}

/* ------------------------------------------------------------ structures */

/* Is a field that ends at byte end inside the n bytes there are? Then it is marked present. */
static bool field(struct ii_dmar_struct *st, size_t n, size_t end, unsigned bit)
{
	if (n < end)
		return false;
	st->have |= bit;
	return true;
}

/* Decode the fields of one structure from the avail bytes at p. */
/* What the raw fields mean, decoded once here so that no renderer decodes bits. */
static void decode_fields(struct ii_dmar_struct *st)
{
	if (st->type == II_DMAR_DRHD && (st->have & II_DH_SIZE))
		st->register_size = 1ULL << ((st->size & 0x1f) + 12);
	if (st->have & II_DH_FLAGS) {
		st->include_pci_all = st->type == II_DMAR_DRHD && (st->flags & 1);
		st->all_ports = st->type == II_DMAR_ATSR && (st->flags & 1);
		st->atc_required = st->type == II_DMAR_SATC && (st->flags & 1);
	}
	if (st->type == II_DMAR_RMRR && (st->have & II_DH_LIMIT) && st->limit >= st->base) {
		st->rmrr_in_order = true;
		st->rmrr_bytes = st->limit - st->base + 1;
	}
}

static void parse_struct(const uint8_t *p, struct ii_dmar_struct *st, struct strlist *w)
{
	size_t n = st->avail < st->length ? st->avail : st->length;
	const char *name = ii_dmar_type_name(st->type);

	if (!name) {
		ii_acpi_warn(w, "offset 0x%x: unknown structure type %u, length %u; shown as raw bytes",
			     st->offset, st->type, st->length);
		st->nraw = n;
		st->raw = xmalloc(n ? n : 1);
		memcpy(st->raw, p, n);
		return;
	}
	if (st->length < fixed_size(st->type))
		ii_acpi_warn(w, "offset 0x%x: %s of length %u, shorter than its %zu fixed bytes; the fields "
			     "it does not hold are unknown", st->offset, name, st->length,
			     fixed_size(st->type));
	switch (st->type) {
	case II_DMAR_DRHD:
		if (field(st, n, 5, II_DH_FLAGS))
			st->flags = p[4];
		if (field(st, n, 6, II_DH_SIZE))
			st->size = p[5];
		if (field(st, n, 8, II_DH_SEGMENT))
			st->segment = ii_le16(p + 6);
		if (field(st, n, 16, II_DH_BASE))
			st->base = ii_le64(p + 8);
		break;
	case II_DMAR_RMRR:
		if (field(st, n, 8, II_DH_SEGMENT))
			st->segment = ii_le16(p + 6);
		if (field(st, n, 16, II_DH_BASE))
			st->base = ii_le64(p + 8);
		if (field(st, n, 24, II_DH_LIMIT))
			st->limit = ii_le64(p + 16);
		if ((st->have & II_DH_LIMIT) && st->limit < st->base)
			ii_acpi_warn(w, "offset 0x%x: RMRR ends (0x%llx) before it starts (0x%llx)", st->offset,
				     (unsigned long long)st->limit, (unsigned long long)st->base);
		else if ((st->have & II_DH_LIMIT) && ((st->base & 0xfff) || (st->limit & 0xfff) != 0xfff))
			ii_acpi_warn(w, "offset 0x%x: RMRR 0x%llx-0x%llx is not 4 KiB aligned", st->offset,
				     (unsigned long long)st->base, (unsigned long long)st->limit);
		break;
	case II_DMAR_ATSR:
	case II_DMAR_SATC:
		if (field(st, n, 5, II_DH_FLAGS))
			st->flags = p[4];
		/* fall through */
	case II_DMAR_SIDP:
		if (field(st, n, 8, II_DH_SEGMENT))
			st->segment = ii_le16(p + 6);
		break;
	case II_DMAR_RHSA:
		if (field(st, n, 16, II_DH_BASE))
			st->base = ii_le64(p + 8);
		if (field(st, n, 20, II_DH_PROXIMITY))
			st->proximity = ii_le32(p + 16);
		break;
	case II_DMAR_ANDD:
		if (n >= 8) {
			struct strbuf sb = { 0 };
			size_t i;

			st->acpi_dev = p[7];
			st->have |= II_DH_ANDD;
			for (i = 8; i < n && p[i]; i++) {
				char c = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
				sb_add(&sb, &c, 1);
			}
			st->object_name = sb_detach(&sb);
			if (i == n)
				ii_acpi_warn(w, "offset 0x%x: ANDD object name is not NUL-terminated", st->offset);
		}
		break;
	}
	if (ii_dmar_has_scopes(st->type) && n > scope_start(st->type))
		parse_scopes(p, st, scope_start(st->type), n, w);
	decode_fields(st);
}

/* ANDD names of ACPI scopes: each scope of type ACPI names its device by the ANDD number. */
static void link_andd(struct ii_dmar *d)
{
	for (size_t i = 0; i < d->n; i++)
		for (size_t k = 0; k < d->s[i].nscopes; k++) {
			struct ii_dmar_scope *sc = &d->s[i].scopes[k];

			if (sc->type != II_SCOPE_ACPI)
				continue;
			for (size_t j = 0; j < d->n && !sc->acpi_name; j++)
				if (d->s[j].type == II_DMAR_ANDD && (d->s[j].have & II_DH_ANDD) &&
				    d->s[j].acpi_dev == sc->enum_id)
					sc->acpi_name = d->s[j].object_name;
		}
}

int ii_parse_dmar(const uint8_t *buf, size_t len, struct ii_dmar *out)
{
	size_t end, off, cap = 0;

	memset(out, 0, sizeof(*out));
	if (ii_acpi_table_begin(buf, len, "DMAR", &out->hdr, &out->warnings, &end))
		return -EINVAL;
	out->size = end;
	if (end < 38) {
		ii_acpi_warn(&out->warnings, "offset 0x%zx: the table ends before the host address width and "
			     "flags", end);
		return 0;
	}
	out->have_body = true;
	out->haw = buf[36];
	out->flags = buf[37];
	out->host_address_width = out->haw + 1u;
	out->intr_remap = out->flags & II_DMAR_INTR_REMAP;
	out->x2apic_opt_out = out->flags & II_DMAR_X2APIC_OPT_OUT;
	out->dma_ctrl_platform_opt_in = out->flags & II_DMAR_PLATFORM_OPT_IN;
	if (out->haw + 1 < 12)
		ii_acpi_warn(&out->warnings, "offset 0x24: host address width %u is below 12 bits (the "
			     "kernel rejects the table)", out->haw + 1);
	if (end < DMAR_BODY) {
		if (end > 38)
			ii_acpi_warn(&out->warnings, "offset 0x%zx: the table ends inside the reserved bytes "
				     "before the first structure", end);
		return 0;
	}
	for (off = DMAR_BODY; off < end;) {
		struct ii_dmar_struct st = { 0 };

		if (end - off < 4) {
			ii_acpi_warn(&out->warnings, "offset 0x%zx: %zu byte%s left, too short for a structure "
				     "header; ignored", off, end - off, end - off == 1 ? "" : "s");
			break;
		}
		st.offset = (uint32_t)off;
		st.type = ii_le16(buf + off);
		st.length = ii_le16(buf + off + 2);
		if (st.length < 4) {
			ii_acpi_warn(&out->warnings, "offset 0x%zx: %s structure of length %u: the structures "
				     "after it cannot be found; decoding stops here, as the kernel's does", off,
				     ii_dmar_type_name(st.type) ? ii_dmar_type_name(st.type) : "unknown",
				     st.length);
			break;
		}
		st.avail = (uint32_t)(end - off < st.length ? end - off : st.length);
		if (st.avail < st.length)
			ii_acpi_warn(&out->warnings, "offset 0x%zx: %s of length %u runs past the end of the "
				     "table (0x%zx bytes left); decoded as far as it goes", off,
				     ii_dmar_type_name(st.type) ? ii_dmar_type_name(st.type) : "structure",
				     st.length, end - off);
		parse_struct(buf + off, &st, &out->warnings);
		xgrow((void **)&out->s, &cap, out->n + 1, sizeof(*out->s));
		out->s[out->n++] = st;
		off += st.length;
	}
	link_andd(out);
	return 0;
}

void ii_dmar_free(struct ii_dmar *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t j = 0; j < d->s[i].nscopes; j++)
			free(d->s[i].scopes[j].path);
		free(d->s[i].scopes);
		free(d->s[i].object_name);
		free(d->s[i].raw);
	}
	free(d->s);
	sl_free(&d->warnings);
	memset(d, 0, sizeof(*d));
}

/* -------------------------------------------------------------- path walk */

void ii_dmar_scope_resolve(uint16_t segment, struct ii_dmar_scope *sc, ii_pci_lookup_fn lookup,
			   void *ctx)
{
	uint8_t seen[256 / 8] = { 0 };
	unsigned bus = sc->start_bus;

	sc->note[0] = '\0';
	memset(&sc->bdf, 0, sizeof(sc->bdf));
	if (!sc->npath) {
		sc->walk = II_WALK_EMPTY;
		snprintf(sc->note, sizeof(sc->note), "the path is empty");
		return;
	}
	sc->walk = II_WALK_EXACT;
	seen[bus / 8] |= (uint8_t)(1u << (bus % 8));
	for (size_t i = 0; i + 1 < sc->npath; i++) {
		const struct ii_dmar_path *e = &sc->path[i];
		uint8_t sec = 0;
		int r = lookup(ctx, segment, (uint8_t)bus, e->dev, e->fn, &sec);

		if (r == 1) {
			if (seen[sec / 8] & (1u << (sec % 8))) {
				sc->walk = II_WALK_LOOP;
				snprintf(sc->note, sizeof(sc->note), "the path loops: the bridge "
					 "%02x:%02x.%x (element %zu) leads back to bus %02x", bus,
					 e->dev, e->fn, i + 1, sec);
				return;
			}
			seen[sec / 8] |= (uint8_t)(1u << (sec % 8));
			bus = sec;
			continue;
		}
		sc->walk = II_WALK_NAIVE;
		snprintf(sc->note, sizeof(sc->note), "%02x:%02x.%x (element %zu) %s: bus %02x "
			 "assumed for the rest of the path", bus, e->dev, e->fn, i + 1,
			 r == 0 ? "is not a PCI-to-PCI bridge" :
			 r == -ENOENT ? "is not in the tree" : "has no recorded config space", bus);
		break;
	}
	sc->bdf.domain = segment;
	sc->bdf.bus = (uint8_t)bus;
	sc->bdf.dev = sc->path[sc->npath - 1].dev & 0x1f;
	sc->bdf.fn = sc->path[sc->npath - 1].fn & 0x7;
}
