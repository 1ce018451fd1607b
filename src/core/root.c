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
 * Every file is opened for reading by open_checked(), the one place that
 * decides what may be read (see admit()): a recorded tree may come from
 * anyone, and a FIFO in it would hang us, a device node would read (or act on)
 * this machine's own device.
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
#include "paths.h"

#define MAX_LINKS 40
#define LINK_FILE_MAX 4096

struct ii_root {
	int fd;           /* O_PATH descriptor of the tree's top directory */
	bool live;        /* the tree is the running system's "/" */
	char *dir;        /* the tree's directory, for libraries that take a path */
	char *label;      /* how the tree is named in messages ("" when live) */
	char *tmpdir;     /* extraction directory of an archive, removed on close */
	bool no_openat2;  /* openat2 is missing or refused here */
	char *note;       /* what a reader must know about the tree (ii_root_note()) */
	struct strlist refused; /* files admit() refused, as shown in messages */
	ii_recorder_fn rec;
	void *rec_ctx;
};

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

static void record(struct ii_root *r, enum ii_rec_kind kind, const char *path, const char *data,
		   size_t len)
{
	if (r->rec)
		r->rec(r->rec_ctx, kind, path, data, len);
}

/* ---------------------------------------------------------------- opening */

/* How a path is resolved when it is opened. */
enum how {
	HOW_LIVE,    /* an absolute path on the running system, resolved by the kernel */
	HOW_IN_ROOT, /* openat2(RESOLVE_IN_ROOT): links are resolved inside the tree */
	HOW_BENEATH, /* a link-free path found by walk(): a link met now is refused */
	HOW_ENTRY,   /* one entry of an open directory, not followed if it is a link */
};

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
static int sys_open(struct ii_root *r, int dirfd, const char *path, int flags, enum how how)
{
	int fd = -1;

	/* openat2 refuses O_PATH with other flags than these */
	flags |= O_CLOEXEC | (flags & O_PATH ? 0 : O_NOCTTY);
	switch (how) {
	case HOW_LIVE:
		fd = openat(AT_FDCWD, path, flags);
		break;
	case HOW_IN_ROOT:
		fd = sys_openat2(dirfd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
		break;
	case HOW_BENEATH:
		if (!r->no_openat2) {
			fd = sys_openat2(dirfd, path, flags,
					 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
			if (fd >= 0 || !openat2_missing(errno))
				break;
			r->no_openat2 = true;
		}
		fd = open_beneath_walk(dirfd, path, flags);
		break;
	case HOW_ENTRY:
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
static int open_checked(struct ii_root *r, int dirfd, const char *path, int flags, enum how how,
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
		if (how == HOW_IN_ROOT) {
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
static int text_check(const char *buf, size_t len)
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
	fd = open_checked(r, dirfd, name, O_RDONLY, HOW_BENEATH, false, NULL, name);
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

static int read_link_at(struct ii_root *r, int dirfd, const char *name, const struct stat *st,
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
			int n = read_link_at(r, r->fd, out->buf, &st, target, sizeof(target));

			if (n >= 0) {
				char *next;

				if (++links > MAX_LINKS) {
					ret = -ELOOP;
					break;
				}
				record(r, II_REC_LINK, out->buf, target, (size_t)n);
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
static int resolve_open(struct ii_root *r, const char *rel, int flags, char **real)
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
			fd = open_checked(r, AT_FDCWD, abs, flags, HOW_LIVE, kmsg, NULL, rel);
			free(abs);
			return fd;
		}
		if (!r->no_openat2) {
			fd = open_checked(r, r->fd, *rel ? rel : ".", flags, HOW_IN_ROOT, kmsg, NULL, rel);
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
	fd = open_checked(r, r->fd, sb.len ? sb.buf : ".", flags, HOW_BENEATH, kmsg, NULL, rel);
	if (fd < 0) {
		sb_free(&sb);
		return fd;
	}
	*real = sb_detach(&sb);
	return fd;
}

/* ------------------------------------------------------------ directories */

int ii_dir_open(struct ii_root *r, struct ii_dir *d, const char *fmt, ...)
{
	va_list ap;
	int fd;

	memset(d, 0, sizeof(*d));
	d->root = r;
	d->fd = -1;
	va_start(ap, fmt);
	d->path = xvasprintf(fmt, ap);
	va_end(ap);
	fd = resolve_open(r, d->path, O_RDONLY | O_DIRECTORY, &d->real);
	if (fd < 0)
		return fd;
	d->fd = fd;
	return 0;
}

int ii_dir_open_at(const struct ii_dir *parent, struct ii_dir *d, const char *name)
{
	const char *base = parent->real ? parent->real : parent->path;
	int ret = ii_dir_open(parent->root, d, "%s/%s", base, name);

	if (parent->real) {
		/* keep the asked-for spelling in messages */
		free(d->path);
		d->path = xasprintf("%s/%s", parent->path, name);
	}
	return ret;
}

void ii_dir_close(struct ii_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	free(d->path);
	free(d->real);
	memset(d, 0, sizeof(*d));
	d->fd = -1;
}

char *ii_dir_display(const struct ii_dir *d, const char *name)
{
	char *rel = name ? xasprintf("%s/%s", d->path, name) : xstrdup(d->path);
	char *s = ii_root_display(d->root, rel);

	free(rel);
	return s;
}

static char *real_child(const struct ii_dir *d, const char *name)
{
	if (!d->real)
		return NULL;
	return *d->real ? xasprintf("%s/%s", d->real, name) : xstrdup(name);
}

/* A name openat() may take below d: no '/', not "." or ".." (".." of the top leaves the root). */
static bool plain_name(const char *name)
{
	return !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* Open a file below d: directly when name is a plain entry, else through the resolver. */
static int open_child(const struct ii_dir *d, const char *name, char **real)
{
	int fd;

	*real = NULL;
	if (d->fd < 0)
		return -EBADF;
	if (plain_name(name)) {
		fd = open_checked(d->root, d->fd, name, O_RDONLY, HOW_ENTRY, false, d->path, name);
		if (fd >= 0) {
			*real = real_child(d, name);
			return fd;
		}
		if (fd != -ELOOP)
			return fd;
	}
	{
		const char *base = d->real ? d->real : d->path;
		char *rel = xasprintf("%s/%s", base, name);

		fd = resolve_open(d->root, rel, O_RDONLY, real);
		free(rel);
		return fd;
	}
}

/*
 * Read up to size bytes. A short read ends it: a sysfs attribute is returned
 * whole by its first read and a regular file is short only at its end, so the
 * extra read that would see end-of-file is saved (it is a third of the system
 * calls on a large machine).
 */
static ssize_t read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		size_t want = size - got;
		ssize_t n = read(fd, buf + got, want);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	return (ssize_t)got;
}

static ssize_t read_child(const struct ii_dir *d, const char *name, char *buf, size_t size)
{
	char *real;
	ssize_t n;
	int fd = open_child(d, name, &real);

	if (fd < 0)
		return fd;
	n = read_all(fd, buf, size);
	close(fd);
	if (n >= 0 && real)
		record(d->root, II_REC_FILE, real, NULL, 0);
	free(real);
	return n;
}

ssize_t ii_dir_read(const struct ii_dir *d, const char *name, char *buf, size_t size)
{
	ssize_t n;

	if (size < 2)
		return -EINVAL;
	n = read_child(d, name, buf, size);
	if (n < 0)
		return n;
	if ((size_t)n >= size) {
		buf[size - 1] = '\0';
		return -EFBIG;
	}
	buf[n] = '\0';
	return text_check(buf, (size_t)n) < 0 ? -EBADMSG : n;
}

ssize_t ii_dir_read_bin(const struct ii_dir *d, const char *name, void *buf, size_t size)
{
	return read_child(d, name, buf, size);
}

int ii_dir_readlink_base(const struct ii_dir *d, const char *name, char *buf, size_t size)
{
	char target[PATH_MAX];
	struct stat st;
	const char *base;
	char *real;
	int n;

	if (d->fd < 0)
		return -EBADF;
	if (strchr(name, '/'))
		return -EINVAL;
	n = (int)readlinkat(d->fd, name, target, sizeof(target) - 1);
	if (n >= (int)sizeof(target) - 1) {
		return -ENAMETOOLONG;
	} else if (n >= 0) {
		target[n] = '\0';
	} else if (errno != EINVAL) {
		return -errno;
	} else {
		/* not a symbolic link: perhaps a link kept as a file */
		if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		n = read_link_at(d->root, d->fd, name, &st, target, sizeof(target));
		if (n < 0)
			return n;
	}
	real = real_child(d, name);
	if (real)
		record(d->root, II_REC_LINK, real, target, (size_t)n);
	free(real);
	while (n > 1 && target[n - 1] == '/')
		target[--n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

/*
 * The names a listing returned are part of what was read: tell the recorder,
 * so that a replay lists the same names. A link (group members, a unit's
 * devices) is kept as a link; a subdirectory as a directory (empty unless
 * something inside it is read too), so that "debugfs is mounted and has no
 * iommu/" replays as such. Other entries are recorded only when read.
 */
static void record_entry(struct ii_root *r, int dirfd, const char *real, const struct dirent *e)
{
	char target[PATH_MAX], *path;
	struct stat st;
	int n;

	if (e->d_type != DT_DIR && e->d_type != DT_LNK && e->d_type != DT_UNKNOWN &&
	    e->d_type != DT_REG)
		return;
	if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	path = *real ? xasprintf("%s/%s", real, e->d_name) : xstrdup(e->d_name);
	if (S_ISDIR(st.st_mode)) {
		record(r, II_REC_DIR, path, NULL, 0);
	} else {
		n = read_link_at(r, dirfd, e->d_name, &st, target, sizeof(target));
		if (n >= 0)
			record(r, II_REC_LINK, path, target, (size_t)n);
	}
	free(path);
}

int ii_dir_list(const struct ii_dir *d, const char *sub, struct strlist *out)
{
	struct dirent *e;
	char *real = NULL;
	DIR *dir;
	int fd;

	if (d->fd < 0)
		return -EBADF;
	if (!sub) {
		fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		real = d->real ? xstrdup(d->real) : NULL;
	} else if (plain_name(sub) &&
		   (fd = openat(d->fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		real = real_child(d, sub);
	} else {
		const char *base = d->real ? d->real : d->path;
		char *rel = xasprintf("%s/%s", base, sub);

		fd = resolve_open(d->root, rel, O_RDONLY | O_DIRECTORY, &real);
		free(rel);
		if (fd < 0)
			return fd;
	}
	dir = fdopendir(fd);
	if (!dir) {
		int err = errno;
		close(fd);
		free(real);
		return -err;
	}
	errno = 0;
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sl_add(out, e->d_name);
		if (real && d->root->rec)
			record_entry(d->root, dirfd(dir), real, e);
	}
	closedir(dir);
	sl_sort(out);
	if (real)
		record(d->root, II_REC_DIR, real, NULL, 0);
	free(real);
	return 0;
}

int ii_dir_list_dirs(const struct ii_dir *d, struct strlist *out)
{
	struct dirent *e;
	DIR *dir;
	int fd;

	if (d->fd < 0)
		return -EBADF;
	fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		int err = errno;
		close(fd);
		return -err;
	}
	while ((e = readdir(dir))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type == DT_DIR ||
		    (e->d_type == DT_UNKNOWN && fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		     S_ISDIR(st.st_mode)))
			sl_add(out, e->d_name);
	}
	closedir(dir);
	sl_sort(out);
	if (d->real)
		record(d->root, II_REC_DIR, d->real, NULL, 0);
	return 0;
}

int ii_dir_lstat(const struct ii_dir *d, const char *name, struct stat *st)
{
	if (d->fd < 0)
		return -EBADF;
	return fstatat(d->fd, name, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

/* ------------------------------------------------------------ whole files */

/* Read fd to the end (closing it); on success record real and hand over the buffer. */
static int slurp(struct ii_root *r, int fd, char *real, char **buf, size_t *len, size_t max)
{
	struct strbuf sb = { 0 };
	char chunk[8192];
	int ret = 0;

	*buf = NULL;
	*len = 0;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		if (sb.len + (size_t)n > max) {
			ret = -EFBIG;
			break;
		}
		sb_add(&sb, chunk, (size_t)n);
	}
	close(fd);
	if (ret == 0) {
		if (real)
			record(r, II_REC_FILE, real, NULL, 0);
		*len = sb.len;
		*buf = sb_detach(&sb);
	}
	sb_free(&sb);
	free(real);
	return ret;
}

int ii_root_read_file(struct ii_root *r, const char *rel, char **buf, size_t *len, size_t max)
{
	char *real;
	int fd = resolve_open(r, rel, O_RDONLY, &real);

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return fd;
	return slurp(r, fd, real, buf, len, max);
}

/* A whole file read as text: an embedded NUL is -EBADMSG (and no buffer). */
static int text_result(int ret, char **buf, size_t *len)
{
	if (ret == 0 && text_check(*buf, *len) < 0) {
		free(*buf);
		*buf = NULL;
		*len = 0;
		return -EBADMSG;
	}
	return ret;
}

int ii_root_read_text(struct ii_root *r, const char *rel, char **buf, size_t *len, size_t max)
{
	return text_result(ii_root_read_file(r, rel, buf, len, max), buf, len);
}

int ii_dir_read_file(const struct ii_dir *d, const char *name, char **buf, size_t *len, size_t max)
{
	char *real;
	int fd = open_child(d, name, &real);

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return fd;
	return text_result(slurp(d->root, fd, real, buf, len, max), buf, len);
}

int ii_root_stat(struct ii_root *r, const char *rel, struct stat *st)
{
	char *real;
	int ret = 0, fd = resolve_open(r, rel, O_PATH, &real);

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		ret = -errno;
	close(fd);
	free(real);
	return ret;
}

/* ----------------------------------------------------------- device nodes */

#define NODE_TAG "iommu-inspect device node: "
#define NODE_RECORD_MAX 128

void ii_node_format(const struct ii_node *n, char *buf, size_t size)
{
	if (!n)
		snprintf(buf, size, NODE_TAG "absent\n");
	else
		snprintf(buf, size, NODE_TAG "%c %u:%u mode %04o uid %u gid %u\n", n->type, n->major,
			 n->minor, n->mode & 07777, n->uid, n->gid);
}

int ii_node_parse(const char *text, size_t len, struct ii_node *n)
{
	char buf[NODE_RECORD_MAX], type;
	unsigned major, minor, mode, uid, gid;
	const char *p;
	int used = -1;

	if (len >= sizeof(buf) || memchr(text, '\0', len))
		return -EBADMSG;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (!str_starts(buf, NODE_TAG))
		return -EBADMSG;
	p = buf + strlen(NODE_TAG);
	if (!strcmp(p, "absent\n"))
		return -ENOENT;
	if (sscanf(p, "%c %u:%u mode %o uid %u gid %u%n", &type, &major, &minor, &mode, &uid, &gid,
		   &used) != 6 || used < 0 || strcmp(p + used, "\n") != 0 ||
	    (type != 'c' && type != 'b') || mode > 07777)
		return -EBADMSG;
	*n = (struct ii_node){ .type = type, .major = major, .minor = minor, .mode = mode,
			       .uid = uid, .gid = gid, .recorded = true };
	return 0;
}

int ii_root_node(struct ii_root *r, const char *rel, struct ii_node *n)
{
	char rec[NODE_RECORD_MAX], *real, *text;
	struct stat st;
	size_t len;
	int fd, ret;

	memset(n, 0, sizeof(*n));
	while (*rel == '/')
		rel++;
	fd = resolve_open(r, rel, O_PATH, &real);
	if (fd < 0) {
		if (fd != -ENOENT)
			return fd;
		if (!r->live)
			return -ENODATA; /* a tree recorded before nodes were: unknown, not absent */
		ii_node_format(NULL, rec, sizeof(rec));
		record(r, II_REC_NODE, rel, rec, strlen(rec));
		return -ENOENT;
	}
	ret = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (!ret && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
		*n = (struct ii_node){ .type = S_ISCHR(st.st_mode) ? 'c' : 'b',
				       .major = major(st.st_rdev), .minor = minor(st.st_rdev),
				       .mode = st.st_mode & 07777, .uid = st.st_uid, .gid = st.st_gid };
		ii_node_format(n, rec, sizeof(rec));
		record(r, II_REC_NODE, real ? real : rel, rec, strlen(rec));
	} else if (!ret && S_ISREG(st.st_mode)) {
		/* a snapshot's record of the node (read as a file: a snapshot of it copies it) */
		ret = ii_root_read_text(r, rel, &text, &len, NODE_RECORD_MAX);
		if (ret == -EFBIG)
			ret = -EBADMSG;
		if (!ret)
			ret = ii_node_parse(text, len, n);
		free(text);
	} else if (!ret) {
		ret = -EBADMSG;
	}
	free(real);
	return ret;
}

int ii_host_read_file(const char *path, char **buf, size_t *len, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	return slurp(NULL, fd, NULL, buf, len, max);
}

/* ---------------------------------------------------------------- streams */

int ii_stream_open(struct ii_root *r, struct ii_stream *s, const char *rel, bool nonblock)
{
	struct stat st;
	char *real;
	int fd;

	memset(s, 0, sizeof(*s));
	s->root = r;
	s->path = xstrdup(rel);
	fd = resolve_open(r, rel, O_RDONLY | (nonblock ? O_NONBLOCK : 0), &real);
	if (real) {
		/* recorded under the path it really has, which holds no link */
		free(s->path);
		s->path = real;
	}
	if (fd < 0) {
		s->fd = -1;
		return fd;
	}
	s->fd = fd;
	s->chardev = fstat(fd, &st) == 0 && S_ISCHR(st.st_mode);
	return 0;
}

int ii_stream_open_file(struct ii_root *r, struct ii_stream *s, const char *rel)
{
	char *real;
	int fd;

	memset(s, 0, sizeof(*s));
	s->root = r;
	s->file = true;
	s->path = xstrdup(rel);
	fd = resolve_open(r, rel, O_RDONLY, &real);
	if (fd < 0) {
		s->fd = -1;
		return fd;
	}
	s->fd = fd;
	if (real)
		record(r, II_REC_FILE, real, NULL, 0);
	free(real);
	return 0;
}

/*
 * A file named on the command line (--kmsg-file, --dmesg-file): not part of
 * the inspected tree, so it is opened as the user wrote it, and never
 * recorded. "-" is standard input. A FIFO is opened blocking (it waits for
 * its writer); anything else with O_NONBLOCK, so that a character device
 * such as /dev/kmsg returns EAGAIN at its end.
 */
int ii_stream_open_path(struct ii_stream *s, const char *path)
{
	struct stat st;
	int fd;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->path = xstrdup(path);
	if (!strcmp(path, "-")) {
		fd = fcntl(0, F_DUPFD_CLOEXEC, 3);
	} else {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
			close(fd);
			fd = open(path, O_RDONLY | O_CLOEXEC); /* EINTR: a signal asked us to stop */
		} else if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISCHR(st.st_mode)) {
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		}
	}
	if (fd < 0)
		return -errno;
	s->fd = fd;
	s->chardev = fstat(fd, &st) == 0 && S_ISCHR(st.st_mode);
	return 0;
}

int ii_stream_stat(const struct ii_stream *s, struct stat *st)
{
	return fstat(s->fd, st) < 0 ? -errno : 0;
}

int ii_stream_set_nonblock(struct ii_stream *s, bool on)
{
	int fl = fcntl(s->fd, F_GETFL);

	if (fl < 0 || fcntl(s->fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

int ii_stream_rewind(struct ii_stream *s)
{
	return lseek(s->fd, 0, SEEK_SET) < 0 ? -errno : 0;
}

ssize_t ii_stream_read(struct ii_stream *s, void *buf, size_t size)
{
	ssize_t n;

	do
		n = read(s->fd, buf, size);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n > 0 && s->root && !s->file)
		record(s->root, II_REC_STREAM, s->path, buf, (size_t)n);
	return n;
}

void ii_stream_close(struct ii_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->path);
	s->path = NULL;
	s->fd = -1;
}
