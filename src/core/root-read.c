// SPDX-License-Identifier: MIT
/*
 * Reading inside a tree (see include/root.h): directories, whole files, device
 * nodes and streams, every file opened through src/core/root.c's
 * ii_root_open_checked() or ii_root_resolve_open().
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "output.h"
#include "paths.h"
#include "root-int.h"

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
	fd = ii_root_resolve_open(r, d->path, O_RDONLY | O_DIRECTORY, &d->real);
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
		fd = ii_root_open_checked(d->root, d->fd, name, O_RDONLY, II_HOW_ENTRY, false, d->path,
					  name);
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

		fd = ii_root_resolve_open(d->root, rel, O_RDONLY, real);
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
		ii_root_record(d->root, II_REC_FILE, real, NULL, 0);
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
	return ii_root_text_check(buf, (size_t)n) < 0 ? -EBADMSG : n;
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
		n = ii_root_read_link_at(d->root, d->fd, name, &st, target, sizeof(target));
		if (n < 0)
			return n;
	}
	real = real_child(d, name);
	if (real)
		ii_root_record(d->root, II_REC_LINK, real, target, (size_t)n);
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
		ii_root_record(r, II_REC_DIR, path, NULL, 0);
	} else {
		n = ii_root_read_link_at(r, dirfd, e->d_name, &st, target, sizeof(target));
		if (n >= 0)
			ii_root_record(r, II_REC_LINK, path, target, (size_t)n);
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

		fd = ii_root_resolve_open(d->root, rel, O_RDONLY | O_DIRECTORY, &real);
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
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (!d->root->live && !strcmp(e->d_name, II_TREE_KEEP)))
			continue;
		sl_add(out, e->d_name);
		if (real && d->root->rec)
			record_entry(d->root, dirfd(dir), real, e);
	}
	closedir(dir);
	sl_sort(out);
	if (real)
		ii_root_record(d->root, II_REC_DIR, real, NULL, 0);
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
		ii_root_record(d->root, II_REC_DIR, d->real, NULL, 0);
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
			ii_root_record(r, II_REC_FILE, real, NULL, 0);
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
	int fd = ii_root_resolve_open(r, rel, O_RDONLY, &real);

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return fd;
	return slurp(r, fd, real, buf, len, max);
}

/* A whole file read as text: an embedded NUL is -EBADMSG (and no buffer). */
static int text_result(int ret, char **buf, size_t *len)
{
	if (ret == 0 && ii_root_text_check(*buf, *len) < 0) {
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
	int ret = 0, fd = ii_root_resolve_open(r, rel, O_PATH, &real);

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
	fd = ii_root_resolve_open(r, rel, O_PATH, &real);
	if (fd < 0) {
		if (fd != -ENOENT)
			return fd;
		if (!r->live)
			return -ENODATA; /* a tree recorded before nodes were: unknown, not absent */
		ii_node_format(NULL, rec, sizeof(rec));
		ii_root_record(r, II_REC_NODE, rel, rec, strlen(rec));
		return -ENOENT;
	}
	ret = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (!ret && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
		*n = (struct ii_node){ .type = S_ISCHR(st.st_mode) ? 'c' : 'b',
				       .major = major(st.st_rdev), .minor = minor(st.st_rdev),
				       .mode = st.st_mode & 07777, .uid = st.st_uid, .gid = st.st_gid };
		ii_node_format(n, rec, sizeof(rec));
		ii_root_record(r, II_REC_NODE, real ? real : rel, rec, strlen(rec));
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
	fd = ii_root_resolve_open(r, rel, O_RDONLY | (nonblock ? O_NONBLOCK : 0), &real);
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
	fd = ii_root_resolve_open(r, rel, O_RDONLY, &real);
	if (fd < 0) {
		s->fd = -1;
		return fd;
	}
	s->fd = fd;
	if (real)
		ii_root_record(r, II_REC_FILE, real, NULL, 0);
	free(real);
	return 0;
}

/*
 * Wait for a FIFO's first writer (fd opened O_NONBLOCK: the open did not
 * wait). Linux reports no hang-up on a FIFO before it has had a writer, so
 * poll() returns when one has written or closed it (a writer that opened
 * and is silent is waited for here rather than in the first read). SIGINT
 * and SIGTERM are blocked but for the ppoll() itself, which unblocks them
 * atomically: a stop signal that comes before the wait is seen in *stop, one
 * during it ends it, and none falls between the look and the wait (a
 * blocking open() had that window). -EINTR: *stop was set.
 */
static int fifo_wait(int fd, volatile sig_atomic_t *stop)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	sigset_t block, old;
	int rc;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (;;) {
		if (stop && *stop) {
			rc = -EINTR;
			break;
		}
		rc = ppoll(&p, 1, NULL, &old);
		if (rc > 0) {
			rc = 0;
			break;
		}
		if (rc < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/*
 * A file named on the command line (--kmsg-file, --dmesg-file): not part of
 * the inspected tree, so it is opened as the user wrote it, and never
 * recorded. "-" is standard input. A FIFO waits for its writer (fifo_wait),
 * then is read blocking; anything else keeps O_NONBLOCK, so that a character
 * device such as /dev/kmsg returns EAGAIN at its end.
 */
int ii_stream_open_path(struct ii_stream *s, const char *path, volatile sig_atomic_t *stop)
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
			int err = fifo_wait(fd, stop);

			if (err < 0) {
				close(fd);
				return err;
			}
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
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
		ii_root_record(s->root, II_REC_STREAM, s->path, buf, (size_t)n);
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
