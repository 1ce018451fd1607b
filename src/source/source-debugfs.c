// SPDX-License-Identifier: MIT
/*
 * The IOMMU debugfs directory (kernel-interfaces §2.0, §3): whether it can be
 * read and, when it cannot, one message that says why and how to get it;
 * its files streamed a buffer at a time (a page-table dump can be hundreds of
 * megabytes). Everything goes through the root layer; nothing is printed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbgfs.h"
#include "snapshot.h"
#include "source.h"
#include "paths.h"

#define LOCKDOWN_FILE II_PATH_LOCKDOWN
#define READ_CHUNK (256 * 1024)
#define LINE_MAX_BYTES (1024 * 1024)

static const char *const state_keys[] = {
	[II_DBG_OK] = "ok",
	[II_DBG_NOT_MOUNTED] = "not-mounted",
	[II_DBG_DENIED] = "permission-denied",
	[II_DBG_LOCKDOWN] = "lockdown",
	[II_DBG_NO_IOMMU_DEBUGFS] = "no-iommu-debugfs",
	[II_DBG_NO_VENDOR_DEBUGFS] = "no-vendor-debugfs",
	[II_DBG_NOT_RECORDED] = "not-recorded",
	[II_DBG_NO_FILES] = "no-files",
	[II_DBG_NO_IOMMU] = "no-iommu",
};

const char *ii_dbg_state_key(enum ii_dbg_state st)
{
	return (size_t)st < II_ARRAY_SIZE(state_keys) ? state_keys[st] : "unknown";
}

void ii_dbg_warn(struct ii_system *s, const char *rel, const char *fmt, ...)
{
	char *path = ii_root_display(s->root, rel), *msg;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	ii_warn(&s->diags, "%s: %s", path, msg);
	free(msg);
	free(path);
}

/* ------------------------------------------------------------- evidence */

static const char *const lockdown_keys[] = {
	[II_LOCKDOWN_UNKNOWN] = NULL,
	[II_LOCKDOWN_NONE] = "none",
	[II_LOCKDOWN_INTEGRITY] = "integrity",
	[II_LOCKDOWN_CONFIDENTIALITY] = "confidentiality",
};

const char *ii_lockdown_key(enum ii_lockdown l)
{
	return (size_t)l < II_ARRAY_SIZE(lockdown_keys) ? lockdown_keys[l] : NULL;
}

/* The selected lockdown level: "[none] integrity confidentiality" -> II_LOCKDOWN_NONE. */
static enum ii_lockdown lockdown_level(struct ii_system *s)
{
	enum ii_lockdown ret = II_LOCKDOWN_UNKNOWN;
	size_t len;
	char *buf;

	if (ii_root_read_file(s->root, LOCKDOWN_FILE, &buf, &len, 4096) < 0)
		return ret;
	for (size_t i = II_LOCKDOWN_NONE; i < II_ARRAY_SIZE(lockdown_keys); i++) {
		char want[32];

		snprintf(want, sizeof(want), "[%s]", lockdown_keys[i]);
		if (strstr(buf, want))
			ret = (enum ii_lockdown)i;
	}
	free(buf);
	return ret;
}

/*
 * What is known about a kernel option: 1 built in, 0 not set, -1 unknown;
 * *how says from where. The build configuration under boot/ first, then,
 * with log_banner (CONFIG_IOMMU_DEBUGFS), the banner the option prints at boot.
 */
static int config_option(struct ii_system *s, const char *opt, bool log_banner, char **how)
{
	char *rel, *buf = NULL, *line;
	int ret = -1;
	size_t len;

	*how = NULL;
	if (s->kernel_release && !strchr(s->kernel_release, '/')) {
		rel = xasprintf(II_PATH_BOOT_CONFIG_FMT, s->kernel_release);
		if (ii_root_read_file(s->root, rel, &buf, &len, 4 << 20) == 0) {
			char *y = xasprintf("%s=y", opt), *no = xasprintf("# %s is not set", opt);

			for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
				if (!strcmp(line, y))
					ret = 1;
				else if (!strcmp(line, no))
					ret = 0;
			}
			if (ret >= 0) {
				char *path = ii_root_display(s->root, rel);
				*how = xasprintf("%s says %s", path, ret ? y : no);
				free(path);
			}
			free(y);
			free(no);
			free(buf);
		}
		free(rel);
	}
	if (ret < 0 && log_banner) {
		if (s->log.debugfs_banner.text) {
			ret = 1;
			*how = xstrdup("the kernel log has its banner \"IOMMU DebugFS SUPPORT HAS BEEN "
				       "ENABLED IN THIS KERNEL\"");
		} else if (s->log.have_first_seq && s->log.first_seq == 0 && s->log.records > 0) {
			ret = 0;
			*how = xstrdup("the kernel log, complete from boot, lacks the banner \"IOMMU "
				       "DebugFS SUPPORT HAS BEEN ENABLED IN THIS KERNEL\" that it prints");
		}
	}
	return ret;
}

/* What a snapshot's description says about itself (its "debugfs:" and "uid:" lines). */
static char *snapshot_says(struct ii_system *s)
{
	char *buf, *dbg, *uid, *ret = NULL;
	size_t len;

	if (ii_root_is_live(s->root) ||
	    ii_root_read_file(s->root, II_SNAPSHOT_INFO, &buf, &len, 65536) < 0)
		return NULL;
	dbg = strstr(buf, "\ndebugfs: ");
	uid = strstr(buf, "\nuid: ");
	if (dbg) {
		dbg += strlen("\ndebugfs: ");
		dbg[strcspn(dbg, "\n")] = '\0';
	}
	if (uid) {
		uid += strlen("\nuid: ");
		uid[strcspn(uid, "\n")] = '\0';
	}
	if (dbg)
		ret = xasprintf("its %s says \"debugfs: %s\"%s%s%s", II_SNAPSHOT_INFO, dbg,
				uid ? " and it was taken by uid " : "", uid ? uid : "",
				uid && strcmp(uid, "0") ? " (not root)" : "");
	free(buf);
	return ret;
}

/* The directory has entries (it is a mounted debugfs, not the empty mount point). */
static int dir_entries(struct ii_system *s, const char *rel, size_t *n)
{
	struct strlist l = { 0 };
	struct ii_dir d;
	int rc;

	*n = 0;
	rc = ii_dir_open(s->root, &d, "%s", rel);
	if (rc < 0) {
		ii_dir_close(&d);
		return rc;
	}
	rc = ii_dir_list(&d, NULL, &l);
	ii_dir_close(&d);
	*n = l.n;
	sl_free(&l);
	return rc < 0 ? rc : 0;
}

/* ----------------------------------------------------------------- probe */

static void set(struct ii_dbgfs *fs, enum ii_dbg_state st, char *why)
{
	fs->state = st;
	free(fs->why);
	fs->why = why;
}

static void denied(struct ii_system *s, struct ii_dbgfs *fs, const char *rel, int err)
{
	char *path = ii_root_display(s->root, rel);

	if (err == -EPERM && fs->lockdown != II_LOCKDOWN_UNKNOWN && fs->lockdown != II_LOCKDOWN_NONE) {
		char *lp = ii_root_display(s->root, LOCKDOWN_FILE);
		set(fs, II_DBG_LOCKDOWN,
		    xasprintf("cannot read %s: %s: the kernel is locked down (%s says [%s]), which "
			      "restricts debugfs; boot with lockdown=none (or Secure Boot off) to read it",
			      path, strerror(-err), lp, ii_lockdown_key(fs->lockdown)));
		free(lp);
	} else if (ii_root_is_live(s->root) && geteuid() != 0) {
		set(fs, II_DBG_DENIED,
		    xasprintf("cannot read %s: %s: debugfs is readable by root only; run iommu-inspect "
			      "as root (sudo iommu-inspect ...)", path, strerror(-err)));
	} else {
		set(fs, II_DBG_DENIED, xasprintf("cannot read %s: %s", path, strerror(-err)));
	}
	free(path);
}

static const char *vendor_option(enum ii_vendor v)
{
	return v == II_VENDOR_AMD ? "CONFIG_AMD_IOMMU_DEBUGFS" : "CONFIG_INTEL_IOMMU_DEBUGFS";
}

/* Neither the vendor's directory nor iommu/: not mounted, not recorded, or not built. */
static void no_iommu_dir(struct ii_system *s, struct ii_dbgfs *fs)
{
	char *how, *dbgpath = ii_root_display(s->root, II_PATH_DEBUGFS), *snap;
	int cfg = config_option(s, "CONFIG_IOMMU_DEBUGFS", true, &how);
	size_t n = 0;
	int rc = dir_entries(s, II_PATH_DEBUGFS, &n);
	const char *need = vendor_option(fs->vendor);

	if (rc == -EACCES || rc == -EPERM) {
		denied(s, fs, II_PATH_DEBUGFS, rc);
	} else if (cfg == 1 && rc == 0 && n > 0) {
		/* built in, mounted, and yet no iommu/: a recording that left it out */
		set(fs, ii_root_is_live(s->root) ? II_DBG_NO_IOMMU_DEBUGFS : II_DBG_NOT_RECORDED,
		    xasprintf("%s has no iommu directory although CONFIG_IOMMU_DEBUGFS is built in (%s)%s",
			      dbgpath, how, ii_root_is_live(s->root) ? ""
					    : "; the recording left it out (snapshot --no-debugfs?)"));
	} else if (cfg == 0 || (rc == 0 && n > 0)) {
		/* built without it: nothing to mount or record */
		set(fs, II_DBG_NO_IOMMU_DEBUGFS,
		    xasprintf("the kernel was built without CONFIG_IOMMU_DEBUGFS%s%s%s, so debugfs has no "
			      "iommu directory%s%s%s; a kernel built with CONFIG_IOMMU_DEBUGFS=y and %s=y "
			      "shows the IOMMU's tables there", how ? " (" : "", how ? how : "",
			      how ? ")" : "", rc == 0 && n > 0 ? " (" : "",
			      rc == 0 && n > 0 ? dbgpath : "", rc == 0 && n > 0 ? " has none)" : "",
			      need));
	} else if (!ii_root_is_live(s->root)) {
		snap = snapshot_says(s);
		set(fs, II_DBG_NOT_RECORDED,
		    xasprintf("the recorded tree has no %s: it was recorded without debugfs (a "
			      "snapshot taken as root, without --no-debugfs, with debugfs mounted, "
			      "includes it)%s%s", II_PATH_DEBUGFS, snap ? "; " : "", snap ? snap : ""));
		free(snap);
	} else {
		set(fs, II_DBG_NOT_MOUNTED,
		    xasprintf("debugfs is not mounted on %s: mount it with `mount -t debugfs none %s` "
			      "(as root)%s%s", dbgpath, dbgpath, how ? "; " : "", how ? how : ""));
	}
	free(how);
	free(dbgpath);
}

void ii_src_debugfs_probe(struct ii_system *s, enum ii_vendor v, struct ii_dbgfs *fs)
{
	struct ii_stream st;
	struct stat sb;
	char *path;
	int rc;

	memset(fs, 0, sizeof(*fs));
	fs->lockdown = lockdown_level(s);
	if (v == II_VENDOR_NONE) {
		char *p = ii_root_display(s->root, II_PATH_IOMMU_UNITS);
		fs->vendor = v;
		set(fs, II_DBG_NO_IOMMU,
		    xasprintf("no IOMMU unit is registered under %s, so debugfs has no IOMMU tables to "
			      "show (`iommu-inspect status` shows why the IOMMU is off)", p));
		free(p);
		return;
	}
	if (v != II_VENDOR_INTEL && v != II_VENDOR_AMD) {
		fs->vendor = v;
		set(fs, II_DBG_NO_VENDOR_DEBUGFS,
		    xasprintf("the %s driver has no debugfs files in any kernel; iommu-inspect reads "
			      "the Intel VT-d and AMD-Vi ones", ii_vendor_name(v)));
		return;
	}
	fs->vendor = v;
	fs->dir = v == II_VENDOR_AMD ? II_PATH_DEBUGFS_IOMMU "/amd" : II_PATH_DEBUGFS_IOMMU "/intel";
	rc = ii_root_stat(s->root, fs->dir, &sb);
	if (rc == 0 && !S_ISDIR(sb.st_mode))
		rc = -ENOTDIR;
	if (rc == -EACCES || rc == -EPERM) {
		denied(s, fs, fs->dir, rc);
		return;
	}
	if (rc < 0) {
		size_t n;

		/* listed, not only looked at: a snapshot then records that iommu/ is there */
		rc = dir_entries(s, II_PATH_DEBUGFS_IOMMU, &n);
		if (rc == -EACCES || rc == -EPERM) {
			denied(s, fs, II_PATH_DEBUGFS_IOMMU, rc);
		} else if (rc == 0) {
			path = ii_root_display(s->root, II_PATH_DEBUGFS_IOMMU);
			set(fs, II_DBG_NO_VENDOR_DEBUGFS,
			    xasprintf("%s has no %s directory: the kernel was built without %s; "
				      "rebuild it with %s=y", path, v == II_VENDOR_AMD ? "amd" : "intel",
				      vendor_option(v), vendor_option(v)));
			free(path);
		} else {
			no_iommu_dir(s, fs);
		}
		return;
	}
	/* the directory is there: can its files be opened? */
	{
		const char *probe = v == II_VENDOR_AMD ? II_PATH_DEBUGFS_IOMMU "/amd/devtbl"
						       : II_PATH_DEBUGFS_IOMMU "/intel/iommu_regset";
		size_t n = 0;

		rc = dir_entries(s, fs->dir, &n);
		if (rc == -EACCES || rc == -EPERM) {
			denied(s, fs, fs->dir, rc);
			return;
		}
		rc = ii_stream_open_file(s->root, &st, probe);
		if (rc == 0) {
			ii_stream_close(&st);
		} else if (rc == -EACCES || rc == -EPERM) {
			denied(s, fs, probe, rc);
			return;
		} else if (v == II_VENDOR_AMD && rc == -ENOENT) {
			path = ii_root_display(s->root, fs->dir);
			set(fs, II_DBG_NO_FILES,
			    xasprintf("%s has %s: the AMD IOMMU driver added its debugfs files (devtbl, "
				      "irqtbl, and mmio, capability and cmdbuf per unit) in Linux 6.15, "
				      "and no kernel dumps AMD page tables there", path,
				      n ? "only the units' empty directories" : "no files"));
			free(path);
			return;
		} else {
			ii_stream_close(&st);
		}
	}
	fs->state = II_DBG_OK;
}

void ii_dbgfs_free(struct ii_dbgfs *fs)
{
	free(fs->why);
	fs->why = NULL;
}

/* --------------------------------------------------------------- reading */

char *ii_src_debugfs_path(const struct ii_dbgfs *fs, const char *name)
{
	return xasprintf("%s/%s", fs->dir ? fs->dir : II_PATH_DEBUGFS_IOMMU, name);
}

int ii_dbg_reader_open(struct ii_system *s, struct ii_dbgfs *fs, struct ii_dbg_reader *rd,
		       const char *rel)
{
	int rc;

	memset(rd, 0, sizeof(*rd));
	rd->st.fd = -1;
	rc = ii_stream_open_file(s->root, &rd->st, rel);
	if (rc < 0 && rc != -ENOENT && fs)
		fs->unreadable++;
	return rc;
}

ssize_t ii_dbg_reader_fill(struct ii_dbg_reader *rd, const char **data, bool *eof)
{
	for (;;) {
		size_t avail = rd->end - rd->start;
		ssize_t n;

		if (rd->eof || (avail && memchr(rd->buf + rd->start, '\n', avail))) {
			*data = rd->buf + rd->start;
			*eof = rd->eof;
			return (ssize_t)avail;
		}
		if (rd->start) {
			memmove(rd->buf, rd->buf + rd->start, avail);
			rd->start = 0;
			rd->end = avail;
		}
		if (rd->cap - rd->end < READ_CHUNK / 2) {
			if (rd->cap >= LINE_MAX_BYTES + READ_CHUNK) {
				/* a line longer than any the kernel writes: hand it over as it is */
				*data = rd->buf;
				*eof = false;
				return (ssize_t)avail;
			}
			rd->cap = rd->cap ? rd->cap * 2 : READ_CHUNK;
			rd->buf = xrealloc(rd->buf, rd->cap);
		}
		n = ii_stream_read(&rd->st, rd->buf + rd->end, rd->cap - rd->end);
		if (n < 0)
			return n;
		if (n == 0)
			rd->eof = true;
		rd->end += (size_t)n;
	}
}

void ii_dbg_reader_consume(struct ii_dbg_reader *rd, size_t n)
{
	rd->start += n;
	if (rd->start > rd->end)
		rd->start = rd->end;
}

void ii_dbg_reader_close(struct ii_dbg_reader *rd)
{
	ii_stream_close(&rd->st);
	free(rd->buf);
	rd->buf = NULL;
}

/* The message for a file that could not be read, with the fix. */
static void warn_open(struct ii_system *s, const char *rel, int err)
{
	const char *hint = "";

	if (err == -EPERM)
		hint = "; the kernel's lockdown restricts debugfs files that can be written";
	else if (err == -EACCES)
		hint = "; run as root";
	ii_dbg_warn(s, rel, "%s%s", strerror(-err), hint);
}

int ii_src_debugfs_lines(struct ii_system *s, struct ii_dbgfs *fs, const char *rel,
			 ii_dbg_line_fn fn, void *ctx)
{
	struct ii_dbg_reader rd;
	const char *data;
	ssize_t avail;
	bool eof;
	int rc = ii_dbg_reader_open(s, fs, &rd, rel);

	if (rc < 0) {
		if (rc != -ENOENT)
			warn_open(s, rel, rc);
		ii_dbg_reader_close(&rd);
		return rc;
	}
	while ((avail = ii_dbg_reader_fill(&rd, &data, &eof)) > 0) {
		size_t off = 0;

		while (off < (size_t)avail) {
			const char *nl = memchr(data + off, '\n', (size_t)avail - off);
			size_t len = nl ? (size_t)(nl - (data + off)) : (size_t)avail - off;

			/* a partial last line waits for more, unless nothing else fits (too long) */
			if (!nl && !eof && off)
				break;
			fn(ctx, data + off, len);
			off += len + (nl ? 1 : 0);
		}
		ii_dbg_reader_consume(&rd, off);
	}
	if (avail < 0) {
		warn_open(s, rel, (int)avail);
		fs->unreadable++;
		rc = (int)avail;
	}
	ii_dbg_reader_close(&rd);
	return rc;
}

int ii_src_debugfs_small(struct ii_system *s, struct ii_dbgfs *fs, const char *rel, char **buf,
			 size_t *len, size_t max)
{
	int rc = ii_root_read_file(s->root, rel, buf, len, max);

	if (rc < 0 && rc != -ENOENT) {
		warn_open(s, rel, rc);
		fs->unreadable++;
	}
	return rc;
}

int ii_src_debugfs_amd_units(struct ii_system *s, const struct ii_dbgfs *fs, struct strlist *out)
{
	struct strlist dirs = { 0 };
	struct ii_dir d;
	int rc = ii_dir_open(s->root, &d, "%s", fs->dir);

	if (rc == 0)
		rc = ii_dir_list_dirs(&d, &dirs);
	ii_dir_close(&d);
	for (size_t i = 0; i < dirs.n; i++)
		if (!strncmp(dirs.v[i], "iommu", 5))
			sl_add(out, dirs.v[i]);
	sl_free(&dirs);
	return rc < 0 ? rc : 0;
}

/* "1a" -> a PASID directory name (lower-case hex without 0x). */
static bool pasid_dir(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return true;
}

int ii_src_debugfs_dts_files(struct ii_system *s, const struct ii_dbgfs *fs, struct strlist *out,
			     enum ii_dts_layout *layout)
{
	struct strlist dirs = { 0 };
	struct ii_dir d;
	struct ii_bdf b;
	char *rel;
	int rc;

	*layout = II_DTS_GLOBAL;
	rel = xasprintf("%s/domain_translation_struct", fs->dir);
	if (ii_root_stat(s->root, rel, &(struct stat){ 0 }) == 0) {
		sl_add_owned(out, rel);
		return 0;
	}
	free(rel);
	*layout = II_DTS_PER_DEVICE;
	rc = ii_dir_open(s->root, &d, "%s", fs->dir);
	if (rc < 0) {
		ii_dir_close(&d);
		return rc;
	}
	rc = ii_dir_list_dirs(&d, &dirs);
	for (size_t i = 0; rc >= 0 && i < dirs.n; i++) {
		struct strlist sub = { 0 };
		struct ii_dir dd;

		if (ii_parse_bdf(dirs.v[i], &b) < 0)
			continue;
		rel = xasprintf("%s/%s/domain_translation_struct", fs->dir, dirs.v[i]);
		if (ii_root_stat(s->root, rel, &(struct stat){ 0 }) == 0)
			sl_add_owned(out, rel);
		else
			free(rel);
		if (ii_dir_open_at(&d, &dd, dirs.v[i]) < 0) {
			ii_dir_close(&dd);
			continue;
		}
		if (ii_dir_list_dirs(&dd, &sub) >= 0)
			for (size_t j = 0; j < sub.n; j++) {
				if (!pasid_dir(sub.v[j]))
					continue;
				rel = xasprintf("%s/%s/%s/domain_translation_struct", fs->dir, dirs.v[i],
						sub.v[j]);
				if (ii_root_stat(s->root, rel, &(struct stat){ 0 }) == 0)
					sl_add_owned(out, rel);
				else
					free(rel);
			}
		sl_free(&sub);
		ii_dir_close(&dd);
	}
	sl_free(&dirs);
	ii_dir_close(&d);
	return rc < 0 ? rc : 0;
}
