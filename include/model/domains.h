/* SPDX-License-Identifier: MIT */
/*
 * What the IOMMU debugfs files reveal (kernel-interfaces §2, §3), joined with
 * the model: translation domains with their devices and mapping statistics,
 * the ranges a domain maps, what one IOVA translates to, and the registers
 * and tables of each unit (include/model/dbgregs.h).
 *
 * ii_system_load() reads them when asked (II_LOAD_DBG_* in
 * include/source/system.h) into s->dbg and s->dbg_regs, which ii_system_free()
 * frees; what is wrong with a file becomes a warning in s->diags as it is
 * read. The source (src/source/source-debugfs.c) finds the files, says why
 * they are missing when they are, and streams them a buffer at a time; the
 * model (src/model/model-domains.c, model-pgtable-walk.c, model-iova.c,
 * model-mappings.c, model-dbgregs.c) feeds the pure parsers of
 * include/parse/debugfs.h and keeps what the commands need, never a whole
 * dump: memory grows with the number of domains and ranges, not with the
 * page tables' size.
 */
#ifndef II_DOMAINS_H
#define II_DOMAINS_H

#include "dbgfs.h"
#include "debugfs.h"
#include "model.h"

/* ------------------------------------------------------------------ domains */

/* A requester id attached to a domain. */
struct ii_dbg_dev {
	char name[II_BDF_MAX];  /* "0000:00:1f.0" */
	long pasid;            /* -1: requests without a PASID */
	bool from_ctx;         /* its context (or PASID) entry points at the domain */
	bool from_dump;        /* a page-table dump is named after it */
	bool from_group;       /* a member of the group of a device the dump names */
	struct ii_device *dev; /* the model's device; NULL for a DMA alias (a requester id only) */
	struct ii_group *group; /* its group, or NULL */
};

struct ii_dbg_domain {
	char unit[32];         /* "dmar0", "iommu0"; "" when unknown */
	long did;              /* domain id; -1 when unknown */
	bool has_pgd;
	uint64_t pgd;          /* the page table's physical address */
	enum ii_dbg_mode mode; /* Intel: legacy or scalable; AMD: unknown */
	enum ii_dbg_tt translation;
	int aw_bits, levels;   /* 0: unknown */
	struct ii_dbg_dev *devs;
	size_t ndevs, capdevs;
	/* from its page-table dump */
	bool dumped;           /* a dump of it was read */
	bool truncated;        /* its dump ended in the middle of a line */
	char *file;            /* the file its dump was read from (root-relative) */
	uint64_t bytes, nranges, leaves, pages_4k, pages_2m, pages_1g;
	uint64_t bad_lines, disorder;
	/* ranges, when asked for */
	struct ii_range *ranges;
	size_t nkept, capranges;
};

struct ii_dbg {
	struct ii_dbgfs fs;
	bool ctx_read;         /* dmar_translation_struct (AMD: devtbl) was read */
	struct ii_dbg_domain **domains; /* pointers stay valid while domains are added */
	size_t ndomains, cap;
	enum ii_dts_layout layout;
	bool have_dts;         /* some domain_translation_struct file exists */
	struct strlist dts_files;
	const char *amd_msg;   /* AMD: why devtbl shows no entry */
	bool walked;           /* every dump was read: the statistics are complete */
	bool indexed;          /* every dumped domain's ranges are kept */
};

/*
 * The typed "why" of everything debugfs cannot tell: why a lookup is unknown,
 * why a device has no ranges to list, why mappings has nothing to show.
 * ii_dbg_why_text() renders each to text from one table.
 */
enum ii_dbg_why {
	II_WHY_NONE,
	II_WHY_DEBUGFS,          /* debugfs cannot be read: fs.why says why */
	II_WHY_NOT_READ,         /* debugfs was not read at all */
	II_WHY_NO_DEVICE,        /* no such PCI device */
	/* lookups */
	II_WHY_NO_GROUP,         /* the device is in no IOMMU group */
	II_WHY_NO_TABLE,         /* debugfs shows no page table for the device */
	II_WHY_NO_DUMPS,         /* debugfs has no page-table dump at all */
	II_WHY_DUMP_UNREAD,      /* the dump of its domain could not be read */
	/* mappings of a device */
	II_WHY_PASSTHROUGH,      /* its domain does not translate: nothing to list */
	II_WHY_NOT_TRANSLATED,   /* it is in no IOMMU group: no IOMMU translates its DMA */
	II_WHY_NO_DOMAIN_DUMP,   /* its domain has no page-table dump */
	II_WHY_NO_DOMAIN,        /* no context entry points to a domain, no dump names it */
	/* mappings as a whole */
	II_WHY_AMD_NO_TABLES,    /* AMD: no kernel dumps page tables */
	II_WHY_NO_DTS_FILE,      /* Intel: no domain_translation_struct file */
	II_WHY_NO_SUCH_DOMAIN,   /* --domain: no such domain has a dump */
	II_WHY_NOTHING_DUMPED,   /* no dump maps anything */
};
/* The words for a why (d->fs.why for II_WHY_DEBUGFS); NULL for II_WHY_NONE. */
const char *ii_dbg_why_text(const struct ii_dbg *d, enum ii_dbg_why why);

/*
 * Load what `what` asks of debugfs (II_LOAD_DBG_*) into s->dbg and s->dbg_regs;
 * called by ii_system_load() once the units, groups and devices are in.
 * ii_dbg_system_free() frees both.
 */
void ii_dbg_system_load(struct ii_system *s, unsigned what);
void ii_dbg_system_free(struct ii_system *s);

/*
 * snapshot: debugfs is there but some of it could not be read (a file, or the
 * vendor's directory: permission, lockdown).
 */
bool ii_dbg_partly_read(const struct ii_system *s);

/* For the model's files: a new domain, and a requester id attached to one (once). */
struct ii_dbg_domain *ii_dbg_add_domain(struct ii_dbg *d, const char *unit, long did);
struct ii_dbg_dev *ii_dbg_attach(struct ii_system *s, struct ii_dbg_domain *dom, const char *name,
				 long pasid);

/* Probe debugfs and read the context tables (Intel) or the device table entry (AMD). */
void ii_dbg_load(struct ii_system *s, struct ii_dbg *d);
void ii_dbg_free(struct ii_dbg *d);

/* What a walk of the page-table dumps does with each block (all callbacks optional). */
struct ii_dbg_walk {
	/* Decode this domain's rows? (Blocks not wanted are skipped quickly.) */
	bool (*want)(void *ctx, struct ii_dbg_domain *dom);
	void (*leaf)(void *ctx, struct ii_dbg_domain *dom, const struct ii_pte *pte);
	void (*range)(void *ctx, struct ii_dbg_domain *dom, const struct ii_range *r);
	/* The domain's dump is complete: its statistics are final. */
	void (*done)(void *ctx, struct ii_dbg_domain *dom);
	void *ctx;
	bool keep_ranges;      /* append every range to dom->ranges */
};
/*
 * Read every page-table dump once. A domain dumped more than once (6.1 prints
 * a group's domain once per member; 6.7+ once per device) is read the first
 * time only. Returns 0, or -1 when no dump could be read (a warning says why).
 */
int ii_dbg_walk(struct ii_system *s, struct ii_dbg *d, const struct ii_dbg_walk *w);

/* The domain a device's requests without PASID go to, or NULL. */
struct ii_dbg_domain *ii_dbg_domain_of(struct ii_dbg *d, const char *bdf);
/* Domains by unit, then domain id (unknown last), then page-table address. */
void ii_dbg_sort(struct ii_dbg *d);
/* Drop a domain's kept ranges. */
void ii_dbg_free_ranges(struct ii_dbg_domain *dom);

/* ---------------------------------------------------------------- lookups */

enum ii_iova_state {
	II_IOVA_UNKNOWN,       /* the page tables could not be read (why says why) */
	II_IOVA_UNMAPPED,
	II_IOVA_MAPPED,
	II_IOVA_PASSTHROUGH,   /* the domain does not translate: the IOVA is the physical address */
};
/* "unknown", "unmapped", "mapped", "pass-through" (JSON). */
const char *ii_iova_state_key(enum ii_iova_state st);

/* What one IOVA of one device translates to: for `mappings --at` and the faults' notes. */
struct ii_iova_info {
	uint64_t iova;
	enum ii_iova_state state;
	enum ii_dbg_why reason; /* UNKNOWN: why the page tables could not be read */
	const char *why;       /* the same in words (ii_dbg_why_text) */
	struct ii_device *dev; /* the device asked about, or NULL */
	struct ii_dbg_domain *domain;
	/* MAPPED */
	bool phys_known;       /* false: the range is scattered and only it was kept (indexed) */
	uint64_t phys, page_size;
	bool read, write;
	struct ii_range range; /* the coalesced range that holds it */
	/* from sysfs: a reserved region of the device's group that holds it */
	const struct ii_resv *resv;
	bool rmrr;             /* that region is direct or direct-relaxable: an RMRR's */
};

/* One question: what does this device's IOVA translate to? */
struct ii_iova_query {
	const char *bdf;       /* "0000:01:00.0" (or any form ii_parse_bdf takes) */
	uint64_t iova;
};

/*
 * Answer n questions in a single pass over the page-table dumps, whatever
 * devices they are about (each fault of a log, say). d may be NULL or not
 * readable: the reserved regions are still checked, and the state is
 * II_IOVA_UNKNOWN with its reason. A device the model does not know is
 * UNKNOWN too (II_WHY_NO_DEVICE).
 */
void ii_dbg_lookup_many(struct ii_system *s, struct ii_dbg *d, const struct ii_iova_query *q,
			size_t n, struct ii_iova_info *out);
/*
 * For many questions that come one at a time (the faults of a log): read
 * every domain's ranges once (memory grows with the number of ranges), then
 * answer each from them without reading the dumps again. The physical
 * address is known only inside a physically contiguous range.
 */
int ii_dbg_index(struct ii_system *s, struct ii_dbg *d);
void ii_dbg_lookup_indexed(struct ii_system *s, struct ii_dbg *d, const char *bdf, uint64_t iova,
			   struct ii_iova_info *out);
/* The same for n IOVAs of one device. */
void ii_dbg_lookup(struct ii_system *s, struct ii_dbg *d, const char *bdf, const uint64_t *iova,
		   size_t n, struct ii_iova_info *out);
/*
 * A few words for a fault on that IOVA: "unmapped", "mapped read-only",
 * "inside reserved region 0x...-0x... (msi)", "inside an RMRR 0x...-0x...".
 * access is 'r' or 'w' (0: unknown). Returns buf, or NULL when there is
 * nothing to say (mapped with the rights the access needs, or unknown).
 */
const char *ii_iova_note(const struct ii_iova_info *info, int access, char *buf, size_t size);

/*
 * faults: a note on a DMA fault from the page tables in debugfs ("unmapped",
 * "mapped read-only", "inside an RMRR ..."), into f->annotation. Uses s->dbg
 * when it was loaded with II_LOAD_DBG_RANGES; otherwise the first call reads
 * every domain's ranges once (s keeps them until ii_system_free), and what is
 * wrong with debugfs is not said (domains and mappings say it). When debugfs
 * cannot be read nothing is noted.
 */
struct ii_fault;
void ii_fault_note(struct ii_system *s, struct ii_fault *f);
void ii_fault_notes_free(struct ii_fault_notes *notes);

/* --------------------------------------------------------------- mappings */

/* Which domains mappings shows: those of some devices, one by id, or all. */
struct ii_map_sel {
	const char (*bdfs)[II_BDF_MAX]; /* normalized PCI addresses, in the order asked */
	size_t nbdfs;
	bool by_domain;          /* --domain [UNIT:]ID */
	char unit[32];           /* "" for any unit */
	long did;
};

/* One element of mappings: a device asked for, or a domain under the device its dump names. */
struct ii_mapping {
	const char *bdf;
	struct ii_device *dev;   /* the model's device, or NULL */
	long pasid;              /* the PASID bdf uses the domain with; -1 without */
	const struct ii_dbg_domain *dom; /* NULL: none */
	struct strlist devices;  /* the domain's requesters without PASID, each once */
	struct strlist others;   /* the same but bdf */
	enum ii_dbg_why why;     /* II_WHY_NONE: ranges follow; else nothing to list, and why */
};

/* Called as mappings' elements stream by (all optional). */
struct ii_map_visit {
	/* ranges: begin, each range, end (the domain's statistics are then final) */
	void (*begin)(void *ctx, const struct ii_mapping *m);
	void (*range)(void *ctx, const struct ii_mapping *m, const struct ii_range *r);
	void (*end)(void *ctx, const struct ii_mapping *m);
	/* a device asked for with nothing to list: pass-through, or an error (m->why) */
	void (*none)(void *ctx, const struct ii_mapping *m);
	/* raw: begin, then each page-table entry */
	void (*pte)(void *ctx, const struct ii_mapping *m, const struct ii_pte *p);
	void *ctx;
};

struct ii_map_result {
	size_t shown;            /* elements begun, and devices shown with nothing to list */
	size_t errors;           /* devices asked for that have no mappings to show */
	enum ii_dbg_why empty;   /* nothing shown although all or --domain was asked: why */
};

/* Why mappings can show nothing at all (II_WHY_NONE: it can); needs II_LOAD_DBG_DOMAINS. */
enum ii_dbg_why ii_mappings_unavailable(const struct ii_system *s);
/*
 * Read the dumps once and call v for each element: with devices asked for,
 * each in the order asked (their ranges kept during the walk); otherwise
 * each selected domain as its dump streams by. raw: the entries instead of
 * the ranges, of every selected domain.
 */
void ii_mappings_visit(struct ii_system *s, const struct ii_map_sel *sel, bool raw,
		       const struct ii_map_visit *v, struct ii_map_result *res);

/* mappings --at: one lookup per device asked for, or per selected domain. */
struct ii_map_lookups {
	struct ii_iova_query *q;
	struct ii_iova_info *info;
	size_t n;
	size_t errors;           /* questions about devices that do not exist */
	enum ii_dbg_why empty;
};
void ii_mappings_lookup(struct ii_system *s, const struct ii_map_sel *sel, uint64_t iova,
			struct ii_map_lookups *out);
void ii_map_lookups_free(struct ii_map_lookups *l);

#endif
