/* SPDX-License-Identifier: MIT */
/*
 * Pure parsers: bytes or lines in, structs out. No I/O, no printing, no
 * globals; every function can be called on any input (fuzzed) and reports
 * malformed input through its return value.
 */
#ifndef II_PARSE_H
#define II_PARSE_H

#include "ii.h"
#include "util.h"

/* ------------------------------------------------------------ PCI address */

/*
 * A PCI domain (segment) is 32 bits in Linux: ACPI segments are 16, but Intel VMD
 * numbers the domains it creates from 0x10000 up. The kernel prints it with %04x,
 * so an address is 12 to 16 characters: "0000:00:02.0" to "ffffffff:ff:1f.7".
 */
struct ii_bdf {
	uint32_t domain;
	uint8_t bus, dev, fn;
};

/* The longest address and its NUL: the size of every buffer ii_format_bdf() writes. */
#define II_BDF_MAX 17

/* "0000:00:02.0", "10000:01:00.0" (4 to 8 domain digits) or "00:02.0" (domain 0); hex
 * fields. Returns 0 or -EINVAL. */
int ii_parse_bdf(const char *s, struct ii_bdf *out);
/* Writes "dddd:bb:dd.f" as the kernel names devices (%04x domain: 12 to 16 characters). */
void ii_format_bdf(const struct ii_bdf *b, char out[II_BDF_MAX]);
/* s is an address exactly as the kernel writes it (what sysfs directories are named). */
bool ii_bdf_is_canonical(const char *s, struct ii_bdf *out);
int ii_bdf_cmp(const struct ii_bdf *a, const struct ii_bdf *b);

/* ------------------------------------------------------------ PCI function */

/*
 * The 64-byte header at the start of a function's config space: all that an
 * unprivileged reader of sysfs "config" gets, and all the identity there is.
 */
#define II_PCI_HEADER_LEN 64
struct ii_pci_header {
	bool has_ids;          /* vendor_id, device_id: not for an SR-IOV VF, whose read 0xffff */
	uint16_t vendor_id, device_id;
	uint8_t revision;
	uint32_t class_code;   /* base class, subclass, prog-if */
	uint8_t header_type;   /* 0 endpoint, 1 PCI-to-PCI bridge, 2 CardBus bridge (bit 7 cleared) */
	bool multifunction;    /* bit 7 of the header type */
	bool has_subsys;       /* header type 0 only: the others keep them in a capability */
	uint16_t subvendor_id, subdevice_id;
	bool has_buses;        /* header type 1 only */
	uint8_t primary_bus, secondary_bus, subordinate_bus;
};
/* Returns 0, or -EINVAL when len < II_PCI_HEADER_LEN. */
int ii_parse_pci_header(const uint8_t *cfg, size_t len, struct ii_pci_header *out);

/* A PCI device's uevent ("DRIVER=e1000\nPCI_CLASS=20000\nPCI_ID=8086:100E\n..."). */
enum {
	II_UE_DRIVER = 1 << 0,  /* a DRIVER= line: a driver is bound */
	II_UE_CLASS = 1 << 1,
	II_UE_IDS = 1 << 2,
	II_UE_SUBSYS = 1 << 3,
};
struct ii_pci_uevent {
	unsigned valid;        /* II_UE_* that were present and well-formed */
	char driver[64];
	uint32_t class_code;
	uint16_t vendor_id, device_id, subvendor_id, subdevice_id;
};
/* Lines it does not know are skipped; returns 0, or -EINVAL when a known key is malformed. */
int ii_parse_pci_uevent(const char *text, struct ii_pci_uevent *out);

/* ----------------------------------------------------------- PCI ID database */

/*
 * Names from a pci.ids text (the format libpci reads) for the ids asked for, in one pass
 * that keeps nothing else: loading the whole database into a table costs more than the
 * rest of `groups` on a large machine. Only a text every line of which is well formed,
 * with every level in ascending order (which makes every entry unique), is read; anything
 * else returns -EINVAL, and the caller leaves the file to libpci, which says what is wrong.
 */
struct ii_pciids_want {
	uint32_t key;     /* vendor: v; device: v << 16 | d; class: base << 8 | subclass */
	char *name;       /* the entry, pointing into the text (NUL-terminated there); or NULL */
	char *base_name;  /* classes: the base class's entry, for a subclass it lacks */
};
/* Each array sorted by key, without duplicates. text[len] must be writable. */
int ii_pciids_lookup(char *text, size_t len, struct ii_pciids_want *vendors, size_t nv,
		     struct ii_pciids_want *devices, size_t nd, struct ii_pciids_want *classes,
		     size_t nc);

/* --------------------------------------------------------- sysfs attributes */

/* A hex attribute: "0x1b36\n" or "fed90000\n"; trailing whitespace allowed. */
int ii_parse_hex(const char *s, uint64_t *out);
/* A decimal attribute, possibly negative: "-1\n". */
int ii_parse_int(const char *s, long long *out);
/* An iommu_groups directory name as the kernel makes it ("%d": "0", "17", no sign, no
 * leading zero, no space) up to UINT32_MAX. Returns 0 or -EINVAL. */
int ii_parse_group_name(const char *s, unsigned *out);

/* The kinds of reserved region the kernel names (iommu_resv_type_names in drivers/iommu/iommu.c). */
enum ii_resv_kind {
	II_RESV_OTHER = 0,      /* a name this tool does not know */
	II_RESV_DIRECT,         /* "direct": an identity map the device needs (RMRR, IVMD, RMR) */
	II_RESV_DIRECT_RELAXABLE, /* "direct-relaxable": the same, but it may be dropped (USB, GPU) */
	II_RESV_RESERVED,       /* "reserved": never mapped */
	II_RESV_MSI,            /* "msi": the hardware MSI window */
};

/* One line of iommu_groups/N/reserved_regions: "0x<start> 0x<end> <type>". */
struct ii_resv {
	uint64_t start, end; /* end is inclusive */
	char type[24];       /* direct, direct-relaxable, reserved, msi, or as found */
	enum ii_resv_kind kind; /* from type */
};
/* A direct (identity-mapped) region, relaxable or not: what an RMRR becomes. */
static inline bool ii_resv_is_direct(const struct ii_resv *r)
{
	return r->kind == II_RESV_DIRECT || r->kind == II_RESV_DIRECT_RELAXABLE;
}
int ii_parse_resv_line(const char *line, struct ii_resv *out);

/* The default-domain types of iommu_groups/N/type. */
enum ii_domtype {
	II_DOM_UNKNOWN = 0, /* "unknown", or anything not listed */
	II_DOM_DMA,
	II_DOM_DMA_FQ,
	II_DOM_IDENTITY,
	II_DOM_BLOCKED,
	II_DOM_UNMANAGED,
};
enum ii_domtype ii_parse_domtype(const char *s);
const char *ii_domtype_name(enum ii_domtype t);

/*
 * AMD amd-iommu/features: "EFR" (5.x), "EFR2:EFR" (6.1 to 6.6) or "EFR:EFR2"
 * (6.8 and later). kver is the kernel version as major*1000+minor, or 0 when
 * unknown; then the order is guessed from EFR's always-set bits.
 */
struct ii_amd_features {
	uint64_t efr, efr2;
	bool has_efr2;
	const char *layout; /* "EFR", "EFR2:EFR" or "EFR:EFR2" */
	const char *basis;  /* why that layout: "single-field", "kernel-version", "guessed", "boot-log" */
	const char *order;  /* the same in words, for people */
};
int ii_parse_amd_features(const char *s, unsigned kver, struct ii_amd_features *out);

/* "6.1.0-56-amd64" -> 6001; 0 if it does not start with a version. */
unsigned ii_parse_kver(const char *release);

/* --------------------------------------------------------- register fields */

struct ii_field {
	const char *name;
	uint8_t lo, hi;   /* bit range, inclusive */
	const char *desc; /* what a set flag or the value means, for people */
};
struct ii_regdesc {
	const char *reg; /* "cap", "ecap", "efr", "efr2", "amd_cap" */
	const struct ii_field *fields;
	size_t nfields;
};
extern const struct ii_regdesc ii_intel_cap, ii_intel_ecap, ii_amd_efr, ii_amd_efr2, ii_amd_caphdr;
uint64_t ii_field_get(uint64_t reg, const struct ii_field *f);
/* Extra derived facts, e.g. "65536 domain ids" for ND; NULL if none. */
char *ii_field_explain(const struct ii_regdesc *rd, const struct ii_field *f, uint64_t value);

/* ---------------------------------------------------------------- kernel log */

/* One /dev/kmsg record: "<prio>,<seq>,<usec>,<flags>[,...];<text>\n[ KEY=value\n]..." */
struct ii_kmsg {
	int prio;          /* (facility << 3) | level */
	uint64_t seq;
	uint64_t usec;
	bool cont;         /* flags had 'c' */
	char *text;        /* message with \xHH escapes decoded; owned */
	char *subsystem;   /* SUBSYSTEM= of the dictionary, or NULL */
	char *device;      /* DEVICE= of the dictionary, or NULL */
	size_t text_len;   /* strlen(text) */
};
/*
 * Parse one record of len bytes (the record line plus its continuation lines).
 * Returns 0, or -EINVAL for a line that is not a record header.
 */
int ii_parse_kmsg(const char *rec, size_t len, struct ii_kmsg *out);
void ii_kmsg_free(struct ii_kmsg *m);
/*
 * The same without allocating: text, subsystem and device point into buf,
 * which is reused (they stay valid until its next use); do not call
 * ii_kmsg_free() on the result.
 */
int ii_parse_kmsg_buf(const char *rec, size_t len, struct ii_kmsg *out, struct strbuf *buf);
/*
 * The same in place: the escapes of rec are decoded where they are and the
 * strings end in NULs written over the newlines after them, or at rec[len]
 * when the record does not end in one (so rec[len] must be writable then).
 * line is the length of the record's first line, as ii_kmsg_record_span gives.
 */
int ii_parse_kmsg_inplace(char *rec, size_t len, size_t line, struct ii_kmsg *out);
/*
 * Length of the record that starts at buf (header line and " KEY=" lines).
 * ii_kmsg_record_span also sets *line to the length of its first line (without
 * its newline).
 */
size_t ii_kmsg_record_len(const char *buf, size_t len);
size_t ii_kmsg_record_span(const char *buf, size_t len, size_t *line);

/* Facts about the IOMMU state that the boot log states (kernel-interfaces §5.3, §5.6, §9). */
struct ii_logline {
	char *text; /* the line as logged, for the evidence */
	uint64_t seq;
};
/*
 * What an IOMMU driver said of one unit while probing it (Arm SMMU, virtio-iommu),
 * keyed by the device the lines name ("arm-smmu-v3.0.auto", "2b400000.smmu",
 * "virtio0").
 */
struct ii_unit_boot {
	char *dev;
	enum ii_ub_kind { II_UB_SMMU_V3, II_UB_SMMU, II_UB_VIRTIO } kind;
	struct ii_logline probe;         /* the ias/oas line, "probing hardware configuration...",
					    or virtio-iommu's "input address" line */
	bool has_features;
	uint32_t features;               /* SMMUv3: the driver's ARM_SMMU_FEAT_* word */
	unsigned ias, oas;               /* bits; 0 unknown */
	unsigned cmdq, evtq, priq;       /* SMMUv3 queue entries; 0 unknown */
	bool has_pgmask;
	uint64_t pgmask;                 /* virtio-iommu: page sizes */
	unsigned input_bits;             /* virtio-iommu: input address bits; 0 unknown */
	struct strlist notes;            /* its other probe lines, as logged (SMMUv2's "stage 1
					    translation", "N context banks", ...) */
};

struct ii_logfacts {
	struct ii_logline linux_version, cmdline;
	struct ii_logline default_domain; /* iommu: Default domain type: ... */
	char *default_domain_word;        /* Translated, Passthrough, ... */
	bool default_domain_cmdline;
	struct ii_logline policy; /* iommu: DMA domain TLB invalidation policy: ... */
	char *policy_word;        /* strict, lazy */
	bool policy_cmdline;
	struct ii_logline forced_strict; /* batching disallowed / strict mode due to virtualization */
	struct ii_logline ir;            /* interrupt remapping enabled */
	char *ir_mode;                   /* xapic, x2apic, or NULL */
	struct ii_logline ir_disabled;
	struct ii_logline vtd_init;      /* DMAR: Intel(R) Virtualization Technology for Directed I/O */
	struct ii_logline dmar_enabled;  /* DMAR: IOMMU enabled (an echo of intel_iommu=on) */
	struct ii_logline dmar_disabled; /* DMAR: IOMMU disabled */
	struct ii_logline dmar_haw;      /* DMAR: Host address width N (the table was parsed) */
	struct ii_logline amd_features;  /* AMD-Vi: Extended features (EFR, EFR2): ... */
	uint64_t amd_efr, amd_efr2;
	bool amd_efr_valid;
	struct ii_logline amd_init;      /* AMD-Vi: Found IOMMU / AMD-Vi: Interrupt remapping ... */
	struct ii_logline smmu;          /* arm-smmu(-v3) probe line */
	struct ii_unit_boot *ubs;        /* Arm SMMU and virtio-iommu units, as probed */
	size_t nubs;
	struct ii_logline its;           /* GICv3 "ITS [mem ...]": an ITS was found */
	struct ii_logline its_pci;       /* "PCI/MSI: ITS@0x... domain created" */
	struct ii_logline gicv2m;        /* "GICv2m: range[...]": MSIs without isolation */
	struct ii_logline debugfs_banner; /* "IOMMU DebugFS SUPPORT HAS BEEN ENABLED": CONFIG_IOMMU_DEBUGFS */
	struct ii_logline deferred;      /* "pci 0000:00:10.0: deferred probe pending[: reason]" */
	size_t ndeferred;                /* such lines: devices still waiting for a supplier
					    (an IOMMU) when the kernel gave up waiting */
	size_t records;                  /* records fed */
	uint64_t first_seq;              /* sequence number of the oldest record seen */
	bool have_first_seq;
};
void ii_logfacts_feed(struct ii_logfacts *f, const struct ii_kmsg *m);
/* The SMMUv3 driver's features word (ARM_SMMU_FEAT_*, as "ias ... (features 0x...)" prints it)
 * by name, added to out; bits this decoder does not know as "bit N". */
void ii_smmu_feature_names(uint32_t features, struct strlist *out);
void ii_logfacts_free(struct ii_logfacts *f);

/* ------------------------------------------------------------- command line */

/* Parameters that bear on the IOMMU (kernel-interfaces §9.1), in command-line order. */
void ii_cmdline_relevant(const char *cmdline, struct strlist *out);
/* Value of the last "key=value" for key, or NULL (owned by the caller). */
char *ii_cmdline_get(const char *cmdline, const char *key);

/* ------------------------------------------------------------------- proc */

/* proc/version: "Linux version 6.1.0-56-amd64 (...)" -> "6.1.0-56-amd64" (new string) or NULL. */
char *ii_parse_linux_version(const char *line);

/* proc/interrupts: how many lines go through an interrupt-remapping chip ("IR-...") and the
 * counts on the IOMMUs' own fault interrupts ("DMAR-MSI", "AMD-Vi"). */
struct ii_irq_counts {
	unsigned lines, remapped, iommu_lines;
	unsigned long long iommu_irqs;
};
void ii_parse_interrupts(const char *text, struct ii_irq_counts *out);
/* The "btime SECONDS" line of proc/stat: the boot time in seconds since the epoch. */
bool ii_parse_btime(const char *stat, long long *out);

/* ------------------------------------------------------------- ACPI tables */

/* The common 36-byte ACPI table header (kernel-interfaces §8). */
struct ii_acpi_header {
	char signature[5];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[7], oem_table_id[9];
	uint32_t oem_revision;
	char creator_id[5];
	uint32_t creator_revision;
	bool checksum_ok; /* all bytes of min(length, len) sum to 0 */
};
/* Returns 0, or -EINVAL when len < 36. */
int ii_parse_acpi_header(const uint8_t *buf, size_t len, struct ii_acpi_header *out);

/* Who made an IOMMU unit, or whose format a log line has. */
enum ii_vendor {
	II_VENDOR_NONE = 0,
	II_VENDOR_INTEL,
	II_VENDOR_AMD,
	II_VENDOR_ARM_SMMU_V3,
	II_VENDOR_ARM_SMMU,
	II_VENDOR_VIRTIO,
	II_VENDOR_OTHER,
};
const char *ii_vendor_key(enum ii_vendor v);  /* "intel", "amd", ... (JSON) */
const char *ii_vendor_name(enum ii_vendor v); /* "Intel VT-d", ... (text) */

#endif
