/* SPDX-License-Identifier: MIT */
/*
 * The debugfs source (src/source/source-debugfs.c): finds the vendor's
 * IOMMU debugfs directory, says why it cannot be read when it cannot, and
 * reads its files a buffer at a time, never whole.
 */
#ifndef II_DBGFS_H
#define II_DBGFS_H

#include "debugfs.h"
#include "system.h"

/* Whether the debugfs files can be read, and if not, why. */
enum ii_dbg_state {
	II_DBG_OK = 0,
	II_DBG_NOT_MOUNTED,       /* live: sys/kernel/debug is empty */
	II_DBG_DENIED,            /* permission denied: not root */
	II_DBG_LOCKDOWN,          /* the kernel's lockdown refused it */
	II_DBG_NO_IOMMU_DEBUGFS,  /* debugfs is there, iommu/ is not: CONFIG_IOMMU_DEBUGFS off */
	II_DBG_NO_VENDOR_DEBUGFS, /* iommu/ without intel/ (amd/): CONFIG_INTEL_IOMMU_DEBUGFS off */
	II_DBG_NOT_RECORDED,      /* a recorded tree without sys/kernel/debug */
	II_DBG_NO_FILES,          /* AMD before 6.15: empty directories only */
	II_DBG_NO_IOMMU,          /* no IOMMU unit, nothing to look for */
};
/* "ok", "not-mounted", ... (JSON) */
const char *ii_dbg_state_key(enum ii_dbg_state st);

/* The kernel's lockdown level (sys/kernel/security/lockdown), which can refuse debugfs. */
enum ii_lockdown {
	II_LOCKDOWN_UNKNOWN,       /* the file could not be read */
	II_LOCKDOWN_NONE,
	II_LOCKDOWN_INTEGRITY,
	II_LOCKDOWN_CONFIDENTIALITY,
};
/* "none", "integrity", "confidentiality" (as the kernel names them); NULL: unknown. */
const char *ii_lockdown_key(enum ii_lockdown l);

struct ii_dbgfs {
	enum ii_dbg_state state;
	enum ii_vendor vendor;     /* whose directory: intel or amd */
	const char *dir;           /* "sys/kernel/debug/iommu/intel" */
	char *why;                 /* state != OK: what is missing, why, and how to get it */
	enum ii_lockdown lockdown;
	size_t unreadable;         /* files there that could not be read (each warned about) */
};

/* Find the vendor's debugfs directory and say why it is not readable when it is not. */
/* v: the vendor of the registered units (ii_system_vendor). */
void ii_src_debugfs_probe(struct ii_system *s, enum ii_vendor v, struct ii_dbgfs *fs);
void ii_dbgfs_free(struct ii_dbgfs *fs);

/* A file read a buffer at a time through the root layer, never whole. */
struct ii_dbg_reader {
	struct ii_stream st;
	char *buf;
	size_t cap, start, end;
	bool eof;
};
/* A file of the vendor's directory by name ("iommu_regset"): its root-relative path. */
char *ii_src_debugfs_path(const struct ii_dbgfs *fs, const char *name);
/*
 * The readers below count in fs->unreadable the files that exist but cannot
 * be read (a missing file is no error: -ENOENT, and no warning). The buffered
 * reader also reads files outside debugfs (a snapshot's activity recording):
 * then fs is NULL.
 */
int ii_dbg_reader_open(struct ii_system *s, struct ii_dbgfs *fs, struct ii_dbg_reader *rd,
		       const char *rel);
/*
 * The bytes not yet consumed, at least one whole line unless at the end of
 * the file (*eof); 0 when nothing is left; -errno on a read error.
 */
ssize_t ii_dbg_reader_fill(struct ii_dbg_reader *rd, const char **data, bool *eof);
void ii_dbg_reader_consume(struct ii_dbg_reader *rd, size_t n);
void ii_dbg_reader_close(struct ii_dbg_reader *rd);

/* Call fn for each line of a (small) file; a warning names the file if it cannot be read. */
typedef void (*ii_dbg_line_fn)(void *ctx, const char *line, size_t len);
int ii_src_debugfs_lines(struct ii_system *s, struct ii_dbgfs *fs, const char *rel,
			 ii_dbg_line_fn fn, void *ctx);
/* A small file whole (at most max bytes), NUL-terminated. */
int ii_src_debugfs_small(struct ii_system *s, struct ii_dbgfs *fs, const char *rel, char **buf,
			 size_t *len, size_t max);
/* The domain_translation_struct files: one (5.10 to 6.6), or one per device and PASID (6.7+). */
int ii_src_debugfs_dts_files(struct ii_system *s, const struct ii_dbgfs *fs, struct strlist *out,
			     enum ii_dts_layout *layout);
/* AMD (6.15+): the units' directories, "iommu00", ..., in order. */
int ii_src_debugfs_amd_units(struct ii_system *s, const struct ii_dbgfs *fs, struct strlist *out);
/* A warning about a debugfs file, naming it as the user would (rel is root-relative). */
void ii_dbg_warn(struct ii_system *s, const char *rel, const char *fmt, ...) ii_printf_like(3, 4);

#endif
