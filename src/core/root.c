// SPDX-License-Identifier: MIT
/*
 * The root-prefixed file layer (see include/root.h). This is the only file that
 * knows where the inspected system's files are.
 *
 * Paths are resolved in one of two ways:
 *  - fast: openat2(RESOLVE_IN_ROOT), which the kernel keeps inside the root
 *    (on the live system a plain open of "/<path>");
 *  - walked: one component at a time with fstatat/readlinkat, which is used
 *    when openat2 is missing or refused, when a recorder is attached (the
 *    snapshot must learn every link it crosses), and for trees whose links were
 *    stored as small files holding the target (see link_file_target()).
 *
 * Every file is opened for reading by ii_root_open_checked(), the one place that
 * decides what may be read (see admit()): a recorded tree may come from
 * anyone, and a FIFO in it would hang us, a device node would read (or act on)
 * this machine's own device.
 *
 * Reading through it (directories, whole files, device nodes, streams) is in
 * src/core/root-read.c; what the two share is in include/core/root-int.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "archive.h"
#include "output.h"
#include "root.h"
#include "root-int.h"
#include "paths.h"

#define MAX_LINKS 40
#define LINK_FILE_MAX 4096


/* ---------------------------------------------------------------- helpers */

/* If the tree is one directory deeper (an archive with a top folder), use that. */
static char *descend_single_dir(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *only = NULL;
	int n = 0;

	if (!d)
		return dir;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++n == 1 && e->d_type == DT_DIR && strcmp(e->d_name, II_TOP_SYS) != 0)
			only = xstrdup(e->d_name);
	}
	closedir(d);
	if (n == 1 && only) {
		char *sub = xasprintf("%s/%s", dir, only);
		free(only);
		free(dir);
		return sub;
	}
	free(only);
	return dir;
}

/* ------------------------------------------------------------ open / close */

struct ii_root *ii_root_open(const char *dir, char **err)
{
	struct ii_root *r = xcalloc(1, sizeof(*r));
	struct stat st;

	r->fd = -1;
	*err = NULL;
	if (!dir || strcmp(dir, "/") == 0) {
		r->live = true;
		r->dir = xstrdup("/");
		r->label = xstrdup("");
	} else if (stat(dir, &st) == 0 && S_ISREG(st.st_mode) && ii_archive_is_name(dir)) {
		r->tmpdir = ii_tmpdir_new("root", err);
		if (!r->tmpdir || ii_archive_extract(dir, r->tmpdir, err) < 0)
			goto fail;
		r->dir = descend_single_dir(xstrdup(r->tmpdir));
		r->label = xasprintf("%s:", dir);
	} else {
		size_t n = strlen(dir);

		while (n > 1 && dir[n - 1] == '/')
			n--;
		r->dir = xstrndup(dir, n);
		r->label = xstrdup(r->dir);
	}

	r->fd = open(r->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->fd < 0) {
		int e = errno;

		if (e == ENOTDIR)
			*err = xasprintf("%s: not a directory, nor a .tar, .tar.gz or .tar.xz archive "
					 "by its name; --root takes what `iommu-inspect snapshot` makes",
					 dir);
		else
			*err = xasprintf("%s: %s; --root takes a directory or a .tar, .tar.gz or "
					 ".tar.xz made by `iommu-inspect snapshot`", dir, strerror(e));
		goto fail;
	}
	if (!r->live && fstatat(r->fd, II_TOP_SYS, &st, 0) < 0 && fstatat(r->fd, II_TOP_PROC, &st, 0) < 0 &&
	    fstatat(r->fd, II_TOP_DEV, &st, 0) < 0) {
		*err = xasprintf("%s: no sys/, proc/ or dev/ inside: this is not a recorded tree "
				 "(make one with `iommu-inspect snapshot DIR`)", dir);
		goto fail;
	}
	if (!r->live && fstatat(r->fd, II_TREE_UNFINISHED, &st, AT_SYMLINK_NOFOLLOW) == 0)
		r->note = xasprintf("%s/%s: this snapshot was not finished (interrupted, or a write "
				    "failed): files may be missing, and what is missing is shown as "
				    "unknown or absent; take the snapshot again", r->label, II_TREE_UNFINISHED);
	return r;
fail:
	ii_root_close(r);
	return NULL;
}

void ii_root_close(struct ii_root *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	if (r->tmpdir) {
		ii_tree_remove(r->tmpdir);
		free(r->tmpdir);
	}
	free(r->dir);
	free(r->label);
	free(r->note);
	sl_free(&r->refused);
	free(r);
}

bool ii_root_is_live(const struct ii_root *r)
{
	return r->live;
}

const char *ii_root_dir(const struct ii_root *r)
{
	return r->dir;
}

const char *ii_root_note(const struct ii_root *r)
{
	return r->note;
}

char *ii_root_display(const struct ii_root *r, const char *rel)
{
	while (*rel == '/')
		rel++;
	return xasprintf("%s/%s", r->label, rel);
}

void ii_root_set_recorder(struct ii_root *r, ii_recorder_fn fn, void *ctx)
{
	r->rec = fn;
	r->rec_ctx = ctx;
}

void ii_root_record(struct ii_root *r, enum ii_rec_kind kind, const char *path, const char *data,
		    size_t len)
{
	if (r->rec)
		r->rec(r->rec_ctx, kind, path, data, len);
}

/* ---------------------------------------------------------------- opening */


static bool openat2_missing(int e)
{
	return e == ENOSYS || e == EPERM || e == E2BIG;
}

static int sys_openat2(int dirfd, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = { .flags = (uint64_t)flags, .resolve = resolve };
	int fd = -1;

	/*
	 * EAGAIN: a rename or mount anywhere on the machine raced a ".." step
	 * (every sysfs link has them); try again, then walk instead.
	 */
	for (int tries = 0; tries < 4; tries++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/*
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS where openat2 is missing: one
 * component at a time, each a directory that is not a link.
 */
static int open_beneath_walk(int dirfd, const char *path, int flags)
{
	char *p = xstrdup(path), *comp = p, *slash;
	int cur = dirfd, fd, e;

	while ((slash = strchr(comp, '/'))) {
		*slash = '\0';
		if (!strcmp(comp, "..")) {
			fd = -1;
			errno = EXDEV;
			goto out;
		}
		if (*comp && strcmp(comp, ".")) {
			fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cur != dirfd)
				close(cur);
			cur = fd;
			if (fd < 0)
				goto out;
		}
		comp = slash + 1;
	}
	if (!strcmp(comp, "..")) {
		fd = -1;
		errno = EXDEV;
	} else {
		fd = openat(cur, *comp ? comp : ".", flags | O_NOFOLLOW);
	}
out:
	e = errno;
	if (cur != dirfd && cur >= 0 && cur != fd)
		close(cur);
	free(p);
	errno = e;
	return fd;
}

/* Open path as how says; returns the descriptor or -errno. */
static int sys_open(struct ii_root *r, int dirfd, const char *path, int flags, enum ii_how how)
{
	int fd = -1;

	/* openat2 refuses O_PATH with other flags than these */
	flags |= O_CLOEXEC | (flags & O_PATH ? 0 : O_NOCTTY);
	switch (how) {
	case II_HOW_LIVE:
		fd = openat(AT_FDCWD, path, flags);
		break;
	case II_HOW_IN_ROOT:
		fd = sys_openat2(dirfd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
		break;
	case II_HOW_BENEATH:
		if (!r->no_openat2) {
			fd = sys_openat2(dirfd, path, flags,
					 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
			if (fd >= 0 || !openat2_missing(errno))
				break;
			r->no_openat2 = true;
		}
		fd = open_beneath_walk(dirfd, path, flags);
		break;
	case II_HOW_ENTRY:
		fd = openat(dirfd, path, flags | O_NOFOLLOW);
		break;
	}
	return fd < 0 ? -errno : fd;
}

/*
 * What may be read: the one place that decides. Regular files and
 * directories (links are resolved before this point). A recorded tree is data
 * from anywhere, an archive from a stranger: a FIFO in it would block us
 * forever, and a device node would read this machine's own device (its kernel
 * log, say, as if it were the tree's) or, opened, act on it. On the live
 * system the kernel log, dev/kmsg, is a character device, and it is the only
 * one. Anything else gives -ENXIO, the error open(2) itself gives for a socket
 * or a device without a driver; the sources name the file in their warning.
 */
#define NOT_A_FILE "not a regular file but a FIFO, socket or device node"

static int admit(const struct ii_root *r, const struct stat *st, bool kmsg)
{
	if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
		return 0;
	if (S_ISCHR(st->st_mode) && r->live && kmsg)
		return 0;
	return -ENXIO;
}

/* Remember a refusal (dir/name, root-relative; dir may be NULL), for ii_root_warn_refused(). */
static void refused(struct ii_root *r, const char *dir, const char *name)
{
	char *rel = dir && *dir ? xasprintf("%s/%s", dir, name) : xstrdup(name);
	char *shown = ii_root_display(r, rel);

	free(rel);
	if (sl_contains(&r->refused, shown))
		free(shown);
	else
		sl_add_owned(&r->refused, shown);
}

void ii_root_warn_refused(struct ii_root *r, struct ii_diags *d)
{
	for (size_t i = 0; i < r->refused.n; i++) {
		const char *p = r->refused.v[i];
		bool said = false;

		for (size_t j = 0; j < d->warnings.n && !said; j++)
			said = strstr(d->warnings.v[j], p) && strstr(d->warnings.v[j], NOT_A_FILE);
		if (!said)
			ii_warn(d, "%s: %s: not read", p, NOT_A_FILE);
	}
	sl_free(&r->refused);
}

/*
 * Open path for reading: flags are O_RDONLY with perhaps O_DIRECTORY,
 * O_NONBLOCK or O_PATH; kmsg says that path is the kernel log. Every file
 * of the inspected system is opened here, and always with O_NONBLOCK, so that
 * no FIFO can block the open or a read.
 */
int ii_root_open_checked(struct ii_root *r, int dirfd, const char *path, int flags, enum ii_how how,
			 bool kmsg, const char *sdir, const char *sname)
{
	struct stat st;
	int fd, err, fl;

	/* O_PATH reads nothing; O_DIRECTORY fails on anything else before a driver sees it */
	if (flags & (O_PATH | O_DIRECTORY))
		return sys_open(r, dirfd, path, flags, how);
	if (!r->live) {
		/*
		 * A recorded tree: look before opening, since the open of a device
		 * node reaches its driver, which may act (a watchdog starts, a tape
		 * rewinds). What is swapped in between can do no harm: a FIFO no
		 * longer blocks (O_NONBLOCK stays: reads of regular files ignore
		 * it), and only root can make a device node. This saves an fstat
		 * after the open: a fifth more system calls on a large tree.
		 */
		if (how == II_HOW_IN_ROOT) {
			fd = sys_open(r, dirfd, path, O_PATH, how);
			if (fd < 0)
				return fd;
			err = fstat(fd, &st) < 0 ? -errno : 0;
			close(fd);
		} else {
			err = fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
			if (!err && S_ISLNK(st.st_mode))
				err = -ELOOP; /* as the open would say */
		}
		if (!err && (err = admit(r, &st, kmsg)) < 0)
			refused(r, sdir, sname);
		if (err)
			return err;
		return sys_open(r, dirfd, path, flags | O_NONBLOCK, how);
	}
	/* the live system: its files are the kernel's; look after the open */
	fd = sys_open(r, dirfd, path, flags | O_NONBLOCK, how);
	if (fd < 0)
		return fd;
	err = fstat(fd, &st) < 0 ? -errno : admit(r, &st, kmsg);
	if (err) {
		if (err == -ENXIO)
			refused(r, sdir, sname);
		close(fd);
		return err;
	}
	/* the kernel log device honours O_NONBLOCK: it gets what the caller asked for */
	if (!(flags & O_NONBLOCK) && !S_ISREG(st.st_mode) && (fl = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

/* No text attribute holds a NUL byte: one means a damaged or crafted file, cut short unseen. */
int ii_root_text_check(const char *buf, size_t len)
{
	return memchr(buf, '\0', len) ? -EBADMSG : 0;
}

/* ------------------------------------------------------------- resolution */

/*
 * Trees copied by tools that cannot store symbolic links keep each link as a
 * small regular file holding the target. A sysfs link target is relative and
 * starts with "../"; a sysfs attribute always ends with a newline. So a file
 * that starts with "../" and holds no newline is taken as the link it was.
 */
static int link_file_target(struct ii_root *r, int dirfd, const char *name, const struct stat *st,
			    char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if (!S_ISREG(st->st_mode) || st->st_size < 3 || st->st_size >= (off_t)size ||
	    st->st_size >= LINK_FILE_MAX)
		return -EINVAL;
	fd = ii_root_open_checked(r, dirfd, name, O_RDONLY, II_HOW_BENEATH, false, NULL, name);
	if (fd < 0)
		return fd;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 3)
		return -EINVAL;
	buf[n] = '\0';
	if (strncmp(buf, "../", 3) != 0 || memchr(buf, '\n', n) || strlen(buf) != (size_t)n)
		return -EINVAL;
	return (int)n;
}

int ii_root_read_link_at(struct ii_root *r, int dirfd, const char *name, const struct stat *st,
			 char *buf, size_t size)
{
	if (S_ISLNK(st->st_mode)) {
		ssize_t n = readlinkat(dirfd, name, buf, size - 1);
		if (n < 0)
			return -errno;
		if ((size_t)n >= size - 1)
			return -ENAMETOOLONG;
		buf[n] = '\0';
		return (int)n;
	}
	return link_file_target(r, dirfd, name, st, buf, size);
}

/*
 * Resolve rel one component at a time inside the root, leaving the link-free
 * path in *out ("" is the root itself). A final link is followed when
 * follow_last is set. Returns 0 or -errno; on error *out names the component
 * that failed.
 */
static int walk(struct ii_root *r, const char *rel, bool follow_last, struct strbuf *out)
{
	char *rest = xstrdup(rel), *p = rest;
	char target[PATH_MAX];
	int links = 0, ret = 0;

	sb_reset(out);
	sb_add(out, "", 0);
	while (*p) {
		struct stat st;
		char *comp;
		size_t save;
		bool last;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		comp = p;
		while (*p && *p != '/')
			p++;
		if (*p)
			*p++ = '\0';
		while (*p == '/')
			p++;
		last = !*p;

		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *slash = strrchr(out->buf, '/');
			out->len = slash ? (size_t)(slash - out->buf) : 0;
			out->buf[out->len] = '\0';
			continue;
		}
		save = out->len;
		if (out->len)
			sb_add(out, "/", 1);
		sb_adds(out, comp);
		if (fstatat(r->fd, out->buf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			ret = -errno;
			break;
		}
		if (!last || follow_last) {
			int n = ii_root_read_link_at(r, r->fd, out->buf, &st, target, sizeof(target));

			if (n >= 0) {
				char *next;

				if (++links > MAX_LINKS) {
					ret = -ELOOP;
					break;
				}
				ii_root_record(r, II_REC_LINK, out->buf, target, (size_t)n);
				next = xasprintf("%s%s%s", target, *p ? "/" : "", p);
				free(rest);
				rest = p = next;
				if (target[0] == '/')
					out->len = 0;
				else
					out->len = save;
				out->buf[out->len] = '\0';
				continue;
			}
		}
		if (!last && !S_ISDIR(st.st_mode)) {
			ret = -ENOTDIR;
			break;
		}
	}
	free(rest);
	return ret;
}

static bool tracking(const struct ii_root *r)
{
	return r->rec != NULL;
}

/*
 * Open rel inside the root. *real receives the resolved path when the walk
 * was used (always when recording), NULL otherwise.
 */
int ii_root_resolve_open(struct ii_root *r, const char *rel, int flags, char **real)
{
	struct strbuf sb = { 0 };
	bool kmsg;
	int fd, ret;

	*real = NULL;
	while (*rel == '/')
		rel++;
	kmsg = !strcmp(rel, II_PATH_KMSG);
	if (!tracking(r)) {
		if (r->live) {
			char *abs = xasprintf("/%s", rel);
			fd = ii_root_open_checked(r, AT_FDCWD, abs, flags, II_HOW_LIVE, kmsg, NULL, rel);
			free(abs);
			return fd;
		}
		if (!r->no_openat2) {
			fd = ii_root_open_checked(r, r->fd, *rel ? rel : ".", flags, II_HOW_IN_ROOT, kmsg, NULL, rel);
			if (fd >= 0)
				return fd;
			if (openat2_missing(-fd))
				r->no_openat2 = true;
			else if (fd != -ENOTDIR && fd != -ELOOP && fd != -EAGAIN)
				return fd;
			/* ENOTDIR: a link kept as a file somewhere on the way; walk it. */
		}
	}
	ret = walk(r, rel, true, &sb);
	if (ret < 0) {
		sb_free(&sb);
		return ret;
	}
	fd = ii_root_open_checked(r, r->fd, sb.len ? sb.buf : ".", flags, II_HOW_BENEATH, kmsg, NULL, rel);
	if (fd < 0) {
		sb_free(&sb);
		return fd;
	}
	*real = sb_detach(&sb);
	return fd;
}
