// SPDX-License-Identifier: MIT
/*
 * The snapshot writer (see include/snapshot.h). Reads go through the root
 * layer; writes go only below the output directory, which is created here.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot.h"

struct entry {
	enum ii_rec_kind kind;
	char *path;
	char *target; /* link target */
};

struct ii_snapshot {
	struct ii_root *root;
	struct entry *v;
	size_t n, cap;
	/* streams: path and all bytes read from it */
	struct strlist stream_paths;
	struct strbuf *streams;
	size_t nstreams_cap;
	/* files the tool made (ii_snapshot_add_data): paths and contents */
	struct strlist data_paths;
	struct strbuf *data;
	size_t ndata_cap;
};

static void add(struct ii_snapshot *sn, enum ii_rec_kind kind, const char *path, const char *target)
{
	xgrow((void **)&sn->v, &sn->cap, sn->n + 1, sizeof(*sn->v));
	sn->v[sn->n++] = (struct entry){ kind, xstrdup(path), target ? xstrdup(target) : NULL };
}

static void recorder(void *ctx, enum ii_rec_kind kind, const char *path, const char *data,
		     size_t len)
{
	struct ii_snapshot *sn = ctx;

	if (kind == II_REC_STREAM) {
		size_t i;

		for (i = 0; i < sn->stream_paths.n; i++)
			if (!strcmp(sn->stream_paths.v[i], path))
				break;
		if (i == sn->stream_paths.n) {
			sl_add(&sn->stream_paths, path);
			xgrow((void **)&sn->streams, &sn->nstreams_cap, i + 1, sizeof(*sn->streams));
			memset(&sn->streams[i], 0, sizeof(sn->streams[i]));
		}
		sb_add(&sn->streams[i], data, len);
		return;
	}
	if (kind == II_REC_LINK) {
		char *target = xstrndup(data, len);
		add(sn, kind, path, target);
		free(target);
		return;
	}
	add(sn, kind, path, NULL);
}

struct ii_snapshot *ii_snapshot_new(struct ii_root *r)
{
	struct ii_snapshot *sn = xcalloc(1, sizeof(*sn));

	sn->root = r;
	return sn;
}

void ii_snapshot_record(struct ii_snapshot *sn, bool on)
{
	ii_root_set_recorder(sn->root, on ? recorder : NULL, on ? sn : NULL);
}

void ii_snapshot_drop_streams(struct ii_snapshot *sn)
{
	for (size_t i = 0; i < sn->stream_paths.n; i++)
		sb_free(&sn->streams[i]);
	free(sn->streams);
	sn->streams = NULL;
	sn->nstreams_cap = 0;
	sl_free(&sn->stream_paths);
}

const struct strbuf *ii_snapshot_stream(const struct ii_snapshot *sn, const char *rel)
{
	for (size_t i = 0; i < sn->stream_paths.n; i++)
		if (!strcmp(sn->stream_paths.v[i], rel))
			return &sn->streams[i];
	return NULL;
}

void ii_snapshot_add_data(struct ii_snapshot *sn, const char *rel, struct strbuf *data)
{
	size_t i = sn->data_paths.n;

	sl_add(&sn->data_paths, rel);
	xgrow((void **)&sn->data, &sn->ndata_cap, i + 1, sizeof(*sn->data));
	sn->data[i] = *data;
	memset(data, 0, sizeof(*data));
}

static void add_tree(struct ii_snapshot *sn, struct ii_dir *d, const char *rel, int depth,
		     struct ii_diags *diags)
{
	struct strlist names = { 0 };
	int err = ii_dir_list(d, NULL, &names);

	if (err < 0) {
		char *p = ii_dir_display(d, NULL);
		ii_warn(diags, "%s: %s: not in the snapshot", p, strerror(-err));
		free(p);
		return;
	}
	add(sn, II_REC_DIR, rel, NULL);
	for (size_t i = 0; i < names.n; i++) {
		char *sub = xasprintf("%s/%s", rel, names.v[i]);
		struct stat st;

		if (ii_dir_lstat(d, names.v[i], &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth < 8) {
				struct ii_dir c;
				if (ii_dir_open_at(d, &c, names.v[i]) == 0)
					add_tree(sn, &c, sub, depth + 1, diags);
				ii_dir_close(&c);
			} else if (S_ISREG(st.st_mode)) {
				add(sn, II_REC_FILE, sub, NULL);
			}
		}
		free(sub);
	}
	sl_free(&names);
}

void ii_snapshot_add_tree(struct ii_snapshot *sn, const char *rel, struct ii_diags *d)
{
	struct ii_dir dir;
	int err = ii_dir_open(sn->root, &dir, "%s", rel);

	if (err == 0) {
		add_tree(sn, &dir, rel, 0, d);
	} else if (err != -ENOENT) {
		char *p = ii_root_display(sn->root, rel);
		ii_warn(d, "%s: %s: not in the snapshot%s", p, strerror(-err),
			err == -EACCES || err == -EPERM ? " (run as root to include it)" : "");
		free(p);
	}
	ii_dir_close(&dir);
}

/* ----------------------------------------------------------------- writing */

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (int)x->kind - (int)y->kind;
}

/* mkdir -p of rel (relative to outfd), or of its parent when parent_only. */
static int mkdirs(int outfd, const char *rel, bool parent_only)
{
	char *p = xstrdup(rel), *s;
	int ret = 0;

	if (parent_only) {
		s = strrchr(p, '/');
		if (!s) {
			free(p);
			return 0;
		}
		*s = '\0';
	}
	for (s = p;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (*p && mkdirat(outfd, p, 0755) < 0 && errno != EEXIST) {
				ret = -errno;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return ret;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy a file of the inspected tree; returns bytes copied or -errno (of the read side). */
static long long copy_file(struct ii_root *r, const char *rel, int outfd, int *werr)
{
	struct ii_stream in;
	char buf[65536];
	long long total = 0;
	int fd, err = ii_stream_open(r, &in, rel, false);

	*werr = 0;
	if (err < 0)
		return err;
	if (mkdirs(outfd, rel, true) < 0 ||
	    (fd = openat(outfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
		*werr = -errno;
		ii_stream_close(&in);
		return 0;
	}
	for (;;) {
		ssize_t n = ii_stream_read(&in, buf, sizeof(buf));
		if (n <= 0) {
			if (n < 0)
				total = n;
			break;
		}
		if ((*werr = write_all(fd, buf, (size_t)n)) < 0)
			break;
		total += n;
	}
	if (close(fd) < 0 && !*werr)
		*werr = -errno;
	ii_stream_close(&in);
	return total;
}

static bool dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return true;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

int ii_snapshot_write(struct ii_snapshot *sn, const char *dir, struct ii_snapshot_stats *st,
		      struct ii_diags *d, char **err)
{
	int outfd, werr = 0;

	memset(st, 0, sizeof(*st));
	*err = NULL;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		*err = xasprintf("%s: cannot create it: %s", dir, strerror(errno));
		return -1;
	}
	outfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (outfd < 0) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (sn->n > 1)
		qsort(sn->v, sn->n, sizeof(*sn->v), cmp_entry);
	for (size_t i = 0; i < sn->n && !werr; i++) {
		const struct entry *e = &sn->v[i];
		long long n;

		if (i && !strcmp(e->path, sn->v[i - 1].path))
			continue;
		switch (e->kind) {
		case II_REC_DIR:
			werr = mkdirs(outfd, e->path, false);
			st->dirs++;
			break;
		case II_REC_LINK:
			werr = mkdirs(outfd, e->path, true);
			if (!werr && symlinkat(e->target, outfd, e->path) < 0) {
				/* --force into an existing tree: the link as read now wins */
				if (errno != EEXIST || unlinkat(outfd, e->path, 0) < 0 ||
				    symlinkat(e->target, outfd, e->path) < 0)
					werr = -errno;
			}
			st->links++;
			break;
		case II_REC_FILE:
			n = copy_file(sn->root, e->path, outfd, &werr);
			if (n < 0) {
				sl_add_owned(&st->unreadable, xasprintf("%s: %s", e->path, strerror((int)-n)));
				ii_warn(d, "%s: %s: not in the snapshot", e->path, strerror((int)-n));
			} else {
				st->files++;
				st->bytes += (size_t)n;
			}
			break;
		case II_REC_STREAM:
			break;
		}
		if (werr)
			*err = xasprintf("%s/%s: %s", dir, e->path, strerror(-werr));
	}
	for (size_t i = 0; i < sn->stream_paths.n && !werr; i++) {
		const char *p = sn->stream_paths.v[i];
		int fd;

		werr = mkdirs(outfd, p, true);
		fd = werr ? -1 : openat(outfd, p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0 || (werr = write_all(fd, sn->streams[i].buf ? sn->streams[i].buf : "",
						sn->streams[i].len)) < 0) {
			werr = werr ? werr : -errno;
			*err = xasprintf("%s/%s: %s", dir, p, strerror(-werr));
		}
		if (fd >= 0)
			close(fd);
		st->streams++;
		st->bytes += sn->streams[i].len;
	}
	for (size_t i = 0; i < sn->data_paths.n && !werr; i++) {
		const char *p = sn->data_paths.v[i];
		int fd;

		werr = mkdirs(outfd, p, true);
		fd = werr ? -1 : openat(outfd, p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0 || (werr = write_all(fd, sn->data[i].buf ? sn->data[i].buf : "",
						sn->data[i].len)) < 0) {
			werr = werr ? werr : -errno;
			*err = xasprintf("%s/%s: %s", dir, p, strerror(-werr));
		}
		if (fd >= 0 && close(fd) < 0 && !werr) {
			werr = -errno;
			*err = xasprintf("%s/%s: %s", dir, p, strerror(-werr));
		}
		st->bytes += sn->data[i].len;
	}
	close(outfd);
	return werr ? -1 : 0;
}

void ii_snapshot_free(struct ii_snapshot *sn)
{
	if (!sn)
		return;
	for (size_t i = 0; i < sn->n; i++) {
		free(sn->v[i].path);
		free(sn->v[i].target);
	}
	free(sn->v);
	ii_snapshot_drop_streams(sn);
	for (size_t i = 0; i < sn->data_paths.n; i++)
		sb_free(&sn->data[i]);
	free(sn->data);
	sl_free(&sn->data_paths);
	free(sn);
}

bool ii_snapshot_is_snapshot(const char *dir)
{
	char *info = xasprintf("%s/" II_SNAPSHOT_INFO, dir);
	struct stat st;
	bool yes = lstat(info, &st) == 0 && S_ISREG(st.st_mode);

	free(info);
	return yes;
}

bool ii_snapshot_dir_usable(const char *dir, bool force)
{
	struct stat st;

	if (stat(dir, &st) < 0)
		return errno == ENOENT;
	return S_ISDIR(st.st_mode) && (force || dir_is_empty(dir));
}
