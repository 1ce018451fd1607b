/* SPDX-License-Identifier: MIT */
/*
 * The ACPI tables that describe IOMMUs, decoded (kernel-interfaces §8): DMAR
 * (Intel VT-d) and IVRS (AMD-Vi). The parsers are pure: bytes in, structs out.
 * Every length field is checked against the structure that holds it and
 * against the table; what is malformed becomes a message in the result's
 * warnings that names the byte offset, and decoding goes on wherever the
 * lengths still allow it. Nothing is read outside the buffer given.
 */
#ifndef II_ACPI_H
#define II_ACPI_H

#include "parse.h"

/* ------------------------------------------------ shared by the decoders */

/* Little-endian fields; the caller has checked that the bytes are there. */
static inline uint16_t ii_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t ii_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t ii_le64(const uint8_t *p)
{
	return (uint64_t)ii_le32(p) | (uint64_t)ii_le32(p + 4) << 32;
}

/* Add a decoding problem to w; after the first 50, one line says that more follow. */
void ii_acpi_warn(struct strlist *w, const char *fmt, ...) ii_printf_like(2, 3);

/* How many of len bytes to decode, from the header's length (warning when they differ). */
size_t ii_acpi_table_end(const struct ii_acpi_header *h, size_t len, struct strlist *w);
/*
 * The start every table decoder shares: the header (-EINVAL when there is
 * none), a warning for a signature other than sig, *end from
 * ii_acpi_table_end(), and a warning with the bytes' sum when the checksum
 * of a whole table is wrong.
 */
int ii_acpi_table_begin(const uint8_t *buf, size_t len, const char *sig,
			struct ii_acpi_header *h, struct strlist *w, size_t *end);

/*
 * A table's list of entries that start with a one-byte type and a 16-bit
 * length (IVRS blocks, IORT and VIOT nodes), and the header of the entry at
 * off < end as the decoders walk them: false, with a warning, when no entry
 * can be read there and the walk ends (fewer than 4 bytes left, or a length
 * below min_length, after which the next entry cannot be found); a warning
 * too when the entry runs past end (e->avail: what the table holds of it).
 */
struct ii_acpi_list {
	const char *noun;    /* "node", "block": in the warnings */
	unsigned length_at;  /* the length's offset in the entry */
	unsigned min_length;
	bool hex_type;       /* the type in warnings as 0x%02x */
};
struct ii_acpi_entry {
	uint32_t offset, avail;
	unsigned type, length;
};
bool ii_acpi_entry_at(const uint8_t *buf, size_t end, size_t off, const struct ii_acpi_list *l,
		      struct strlist *w, struct ii_acpi_entry *e);

/* ------------------------------------------------------------------- DMAR */

enum {
	II_DMAR_DRHD = 0,
	II_DMAR_RMRR = 1,
	II_DMAR_ATSR = 2,
	II_DMAR_RHSA = 3,
	II_DMAR_ANDD = 4,
	II_DMAR_SATC = 5,
	II_DMAR_SIDP = 6,
};

/* Table flags (byte 37). */
#define II_DMAR_INTR_REMAP 0x01
#define II_DMAR_X2APIC_OPT_OUT 0x02
#define II_DMAR_PLATFORM_OPT_IN 0x04

/* Device scope types. */
enum {
	II_SCOPE_ENDPOINT = 1,
	II_SCOPE_BRIDGE = 2,
	II_SCOPE_IOAPIC = 3,
	II_SCOPE_HPET = 4,
	II_SCOPE_ACPI = 5,
};

/* How a scope's path was turned into a PCI address (ii_dmar_scope_resolve). */
enum ii_walk {
	II_WALK_NONE = 0, /* not resolved (yet) */
	II_WALK_EXACT,    /* one element, or every bridge on the way was found */
	II_WALK_NAIVE,    /* a bridge on the way could not be read: the bus reached is assumed */
	II_WALK_LOOP,     /* the path leads back to a bus it already crossed: no address */
	II_WALK_EMPTY,    /* the path has no element: no address */
};

struct ii_dmar_path {
	uint8_t dev, fn;
};

struct ii_dmar_scope {
	uint32_t offset;          /* of the scope entry in the table */
	uint8_t type, length, flags, enum_id, start_bus;
	struct ii_dmar_path *path;
	size_t npath;
	/* filled by ii_dmar_scope_resolve() */
	enum ii_walk walk;
	struct ii_bdf bdf;        /* for II_WALK_EXACT and II_WALK_NAIVE */
	char note[160];           /* why the walk was not exact, or "" */
	const char *acpi_name;    /* an ACPI scope: the object name its ANDD gives, or NULL */
};

/* ii_dmar_struct.have: the fields the structure is long enough to hold */
enum {
	II_DH_FLAGS = 1 << 0,     /* DRHD, ATSR, SATC */
	II_DH_SIZE = 1 << 1,      /* DRHD */
	II_DH_SEGMENT = 1 << 2,   /* DRHD, RMRR, ATSR, SATC, SIDP */
	II_DH_BASE = 1 << 3,      /* DRHD, RMRR, RHSA */
	II_DH_LIMIT = 1 << 4,     /* RMRR */
	II_DH_PROXIMITY = 1 << 5, /* RHSA */
	II_DH_ANDD = 1 << 6,      /* ANDD: device number and object name */
};

struct ii_dmar_struct {
	uint32_t offset;
	uint16_t type, length;    /* as recorded */
	uint32_t avail;           /* bytes of it inside the table (< length: truncated) */
	unsigned have;
	uint8_t flags, size;
	uint16_t segment;
	uint64_t base, limit;     /* DRHD/RHSA register base; RMRR base and inclusive limit */
	uint32_t proximity;
	uint8_t acpi_dev;
	char *object_name;        /* ANDD: printable ASCII */
	struct ii_dmar_scope *scopes;
	size_t nscopes;
	uint8_t *raw;             /* a type this parser does not know: its bytes */
	size_t nraw;
	/* decoded from the fields above (valid with the have bit named) */
	uint64_t register_size;   /* DRHD (II_DH_SIZE): bytes of its register set, 2^(size+12) */
	bool include_pci_all;     /* DRHD (II_DH_FLAGS): flag bit 0 */
	bool all_ports;           /* ATSR (II_DH_FLAGS): flag bit 0 */
	bool atc_required;        /* SATC (II_DH_FLAGS): flag bit 0 */
	bool rmrr_in_order;       /* RMRR (II_DH_LIMIT): the limit is not below the base */
	uint64_t rmrr_bytes;      /* RMRR, in order: limit - base + 1 (0: all 2^64) */
};

struct ii_dmar {
	struct ii_acpi_header hdr;
	size_t size;              /* bytes decoded: the header's length, or fewer if fewer were given */
	bool have_body;           /* width and flags are present */
	uint8_t haw;              /* as recorded: the width is haw + 1 */
	uint8_t flags;
	/* decoded from haw and flags (valid with have_body) */
	unsigned host_address_width; /* bits */
	bool intr_remap, x2apic_opt_out, dma_ctrl_platform_opt_in;
	struct ii_dmar_struct *s;
	size_t n;
	struct strlist warnings;  /* "offset 0x30: ..." */
};

/* Returns 0, or -EINVAL when len is shorter than an ACPI header (nothing decoded). */
int ii_parse_dmar(const uint8_t *buf, size_t len, struct ii_dmar *out);
void ii_dmar_free(struct ii_dmar *d);
/* "DRHD", ... or NULL for an unknown type. */
const char *ii_dmar_type_name(unsigned type);
/* "endpoint", "bridge", "ioapic", "hpet", "acpi" or NULL. */
const char *ii_scope_type_name(unsigned type);
/* The structure has device scopes (DRHD, RMRR, ATSR, SATC, SIDP). */
bool ii_dmar_has_scopes(unsigned type);

/*
 * What the path walk needs to know of a PCI function seg:bus:dev.fn:
 * 1 and *secondary set: a PCI-to-PCI bridge; 0: there, but not such a bridge;
 * -ENOENT: no such function; -ENODATA: there, but its config space is unknown.
 */
typedef int (*ii_pci_lookup_fn)(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
				uint8_t *secondary);

/*
 * Resolve a scope's path to a PCI address: start at the start bus, and for
 * every element but the last, step to the secondary bus of the bridge it
 * names. Fills sc->walk, sc->bdf and sc->note.
 */
void ii_dmar_scope_resolve(uint16_t segment, struct ii_dmar_scope *sc, ii_pci_lookup_fn lookup,
			   void *ctx);

/* ------------------------------------------------------------------- IVRS */

/* IVinfo bits */
#define II_IVINFO_EFRSUP 0x01
#define II_IVINFO_DMA_REMAP 0x02
#define II_IVINFO_HT_ATS_RESV 0x400000

enum ii_ive_kind {
	II_IVE_PAD,          /* 0x00, 0x40: nothing */
	II_IVE_ALL,          /* 0x01: every device id */
	II_IVE_SELECT,       /* 0x02 */
	II_IVE_RANGE,        /* 0x03 ... 0x04 */
	II_IVE_ALIAS_SELECT, /* 0x42 */
	II_IVE_ALIAS_RANGE,  /* 0x43 ... 0x04 */
	II_IVE_EXT_SELECT,   /* 0x46 */
	II_IVE_EXT_RANGE,    /* 0x47 ... 0x04 */
	II_IVE_SPECIAL,      /* 0x48: IOAPIC or HPET */
	II_IVE_ACPI_HID,     /* 0xf0 */
	II_IVE_END_ALONE,    /* 0x04 without a start before it */
	II_IVE_UNKNOWN,
};

struct ii_ivhd_entry {
	uint32_t offset;          /* of the entry (of the start entry, for a range) */
	uint32_t end_offset;      /* of the range's end entry, 0 when it has none */
	uint8_t code;             /* the type byte */
	enum ii_ive_kind kind;
	uint8_t dte;              /* DTE setting */
	uint16_t first, last;     /* device ids covered; first == last for a select */
	bool open;                /* a range start that no end entry closes */
	uint16_t alias;           /* ALIAS_*: the id the device's requests carry */
	uint32_t ext;             /* EXT_*: extended data */
	uint8_t handle, variety;  /* SPECIAL: IOAPIC id or HPET number; 1 IOAPIC, 2 HPET */
	uint16_t source;          /* SPECIAL: its requester id */
	char hid[24], cid[24];    /* ACPI_HID: printable (or hex); cid "" when zero */
	uint8_t uid_format, uid_len;
	char *uid;                /* ACPI_HID: the UID as text, NULL when absent */
	uint8_t *raw;             /* UNKNOWN: its bytes */
	size_t nraw;
	/* decoded */
	bool ats_disabled;        /* EXT_*: bit 31 of the extended data */
	struct strlist dte_flags; /* the DTE setting's bits by name ("INITPass", "SysMgt=1", ...) */
};

/* ii_ivrs_block.have */
enum {
	II_IH_HEADER = 1 << 0,    /* IVHD: devid .. info (offsets 4-19) */
	II_IH_FEATURE = 1 << 1,   /* IVHD: offsets 20-23 */
	II_IH_EFR = 1 << 2,       /* IVHD 0x11/0x40: offsets 24-39 */
	II_IH_IVMD = 1 << 3,      /* IVMD: every field */
};

enum ii_ivrs_kind { II_IVRS_IVHD, II_IVRS_IVMD, II_IVRS_UNKNOWN };

/* What an IVMD applies to, by its type. */
enum ii_ivmd_applies {
	II_IVMD_ALL,    /* 0x20 */
	II_IVMD_DEVICE, /* 0x21 */
	II_IVMD_RANGE,  /* 0x22 */
};
/* "all", "device", "range" */
const char *ii_ivmd_applies_key(enum ii_ivmd_applies a);

struct ii_ivrs_block {
	uint32_t offset;
	uint8_t type, flags;
	uint16_t length;
	uint32_t avail;
	enum ii_ivrs_kind kind;
	unsigned have;
	uint16_t devid, segment;
	/* IVHD */
	uint16_t cap_offset, info;
	uint64_t base;
	uint32_t feature;         /* 0x10: feature reporting; 0x11, 0x40: attributes */
	uint64_t efr, efr2;
	struct ii_ivhd_entry *entries;
	size_t nentries;
	bool kernel_uses;         /* the kernel's rule picks this block's type */
	/* IVMD */
	uint16_t aux;             /* 0x22: the last device id */
	uint64_t start, size;
	/* UNKNOWN */
	uint8_t *raw;
	size_t nraw;
	/* decoded */
	uint8_t msi_number, unit_id; /* IVHD (II_IH_HEADER): from info */
	struct strlist flag_names;   /* IVHD: the flags by name ("HtTunEn", ...) */
	bool unity, read, write, exclusion_range; /* IVMD: flag bits 0-3 */
	enum ii_ivmd_applies applies_to; /* IVMD: by its type */
	uint16_t last_devid;         /* IVMD (II_IH_IVMD): the last device id it applies to */
	bool has_end;                /* IVMD: size is not 0 */
	uint64_t end;                /* IVMD: start + size - 1 */
};

struct ii_ivrs {
	struct ii_acpi_header hdr;
	size_t size;
	bool have_ivinfo;
	uint32_t ivinfo;
	/* decoded from ivinfo (valid with have_ivinfo) */
	uint8_t pa_size, va_size, gva_size; /* gva_size as encoded */
	bool efr_supported, dma_remap, ht_ats_reserved;
	uint8_t kernel_type;      /* the IVHD type the kernel would use; 0 when none */
	struct ii_ivrs_block *b;
	size_t n;
	struct strlist warnings;
};

int ii_parse_ivrs(const uint8_t *buf, size_t len, struct ii_ivrs *out);
void ii_ivrs_free(struct ii_ivrs *v);
/* "select", "range", ... (the JSON names). */
const char *ii_ive_kind_name(enum ii_ive_kind k);
/* Header size of an IVHD type: 24, 40, or 0 for a type this parser does not know. */
size_t ii_ivhd_header_size(uint8_t type);
/* The kind covers PCI device ids (a select or a range of some sort, or ALL). */
bool ii_ive_covers(const struct ii_ivhd_entry *e);

/* A 16-bit device id with its segment as a PCI address. */
struct ii_bdf ii_devid_bdf(uint16_t segment, uint16_t devid);

#endif
