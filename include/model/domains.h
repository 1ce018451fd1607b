/* SPDX-License-Identifier: MIT */
/*
 * What the IOMMU debugfs files reveal (kernel-interfaces §2, §3), joined with
 * the model: translation domains with their devices and mapping statistics,
 * the ranges a domain maps, what one IOVA translates to, and the registers
 * and tables of each unit.
 *
 * The source (src/source-debugfs.c) finds the files, says why they are
 * missing when they are, and streams them a buffer at a time; the model
 * (src/model-domains.c, src/model-dbgregs.c) feeds the pure parsers of
 * include/debugfs.h and keeps what the commands need, never a whole dump:
 * memory grows with the number of domains and ranges, not with the page
 * tables' size.
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
};

struct ii_dbg_domain {
	char unit[32];         /* "dmar0", "iommu0"; "" when unknown */
	long did;              /* domain id; -1 when unknown */
	bool has_pgd;
	uint64_t pgd;          /* the page table's physical address */
	const char *mode;      /* "legacy", "scalable" (Intel); NULL: unknown */
	const char *translation; /* "second-level", "first-level", "nested", "pass-through", "host" */
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
	bool ctx_read;         /* dmar_translation_struct was read */
	struct ii_dbg_domain **domains; /* pointers stay valid while domains are added */
	size_t ndomains, cap;
	enum ii_dts_layout layout;
	bool have_dts;         /* some domain_translation_struct file exists */
	struct strlist dts_files;
	const char *amd_msg;   /* AMD: why devtbl shows no entry */
};

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

/* What one IOVA of one device translates to: for `mappings --at` and the faults' notes. */
struct ii_iova_info {
	uint64_t iova;
	enum ii_iova_state state;
	const char *why;       /* UNKNOWN: why the page tables could not be read */
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
 * II_IOVA_UNKNOWN with why set. A device the model does not know is
 * UNKNOWN too ("no such PCI device").
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
 * "mapped read-only", "inside an RMRR ..."), into f->annotation. The first
 * call reads every domain's ranges once (s keeps them until ii_system_free);
 * when debugfs cannot be read nothing is noted and nothing is said.
 */
struct ii_fault;
void ii_fault_note(struct ii_system *s, struct ii_fault *f);
void ii_fault_notes_free(struct ii_fault_notes *notes);

#endif
