// SPDX-License-Identifier: MIT
/*
 * The snapshot writer (see include/snapshot.h). Reads go through the root
 * layer; writes go only below the output directory, and out_parent() is the
 * one place that decides where a write may go.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "snapshot.h"

struct entry {
	enum ii_rec_kind kind;
	char *path;
	char *target; /* link target */
};

struct stream {
	struct strbuf data;
	bool cut; /* more than II_SNAPSHOT_FILE_MAX bytes were read */
};

struct ii_snapshot {
	struct ii_root *root;
	bool recording;
	struct entry *v;
	size_t n, cap;
	/* streams: path and all bytes read from it */
	struct strlist stream_paths;
	struct stream *streams;
	size_t nstreams_cap;
	/* files the tool made (ii_snapshot_add_data): paths and contents */
	struct strlist data_paths;
	struct strbuf *data;
	size_t ndata_cap;
	/* where it goes */
	char *out;       /* OUT as the user gave it */
	char *stage;     /* an archive's staging directory */
	const char *dir; /* the directory written: OUT or stage */
	bool archive, force;
	bool made_out;   /* OUT did not exist: remove it if the snapshot fails */
	int outfd;       /* dir, once opened */
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
		struct stream *s;
		size_t i;

		for (i = 0; i < sn->stream_paths.n; i++)
			if (!strcmp(sn->stream_paths.v[i], path))
				break;
		if (i == sn->stream_paths.n) {
			sl_add(&sn->stream_paths, path);
			xgrow((void **)&sn->streams, &sn->nstreams_cap, i + 1, sizeof(*sn->streams));
			memset(&sn->streams[i], 0, sizeof(sn->streams[i]));
		}
		s = &sn->streams[i];
		if (s->data.len + len > II_SNAPSHOT_FILE_MAX) {
			len = II_SNAPSHOT_FILE_MAX - s->data.len;
			s->cut = true;
		}
		sb_add(&s->data, data, len);
		return;
	}
	if (kind == II_REC_NODE) {
		/* a device node cannot be copied: its record takes its place (ii_root_node()) */
		struct strbuf sb = { 0 };

		if (sl_contains(&sn->data_paths, path))
			return;
		sb_add(&sb, data, len);
		ii_snapshot_add_data(sn, path, &sb);
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
	sn->outfd = -1;
	return sn;
}

void ii_snapshot_record(struct ii_snapshot *sn, bool on)
{
	sn->recording = on;
	ii_root_set_recorder(sn->root, on ? recorder : NULL, on ? sn : NULL);
}

void ii_snapshot_drop_streams(struct ii_snapshot *sn)
{
	for (size_t i = 0; i < sn->stream_paths.n; i++)
		sb_free(&sn->streams[i].data);
	free(sn->streams);
	sn->streams = NULL;
	sn->nstreams_cap = 0;
	sl_free(&sn->stream_paths);
}

const struct strbuf *ii_snapshot_stream(const struct ii_snapshot *sn, const char *rel)
{
	for (size_t i = 0; i < sn->stream_paths.n; i++)
		if (!strcmp(sn->stream_paths.v[i], rel))
			return &sn->streams[i].data;
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

/* The link-free path of name below d (d was opened while recording, so d->real is set). */
static char *real_path(const struct ii_dir *d, const char *name)
{
	const char *base = d->real ? d->real : d->path;

	return *base ? xasprintf("%s/%s", base, name) : xstrdup(name);
}

/*
 * With the recorder on, the listing records the directory and the links and
 * subdirectories in it, by their link-free paths; the regular files are added
 * here without being read now.
 */
static void add_tree(struct ii_snapshot *sn, struct ii_dir *d, int depth, struct ii_diags *diags)
{
	struct strlist names = { 0 };
	int err = ii_dir_list(d, NULL, &names);

	if (err < 0) {
		char *p = ii_dir_display(d, NULL);
		ii_warn(diags, "%s: %s: not in the snapshot", p, strerror(-err));
		free(p);
		return;
	}
	for (size_t i = 0; i < names.n; i++) {
		struct stat st;

		if (ii_dir_lstat(d, names.v[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < 8) {
			struct ii_dir c;
			if (ii_dir_open_at(d, &c, names.v[i]) == 0)
				add_tree(sn, &c, depth + 1, diags);
			ii_dir_close(&c);
		} else if (S_ISREG(st.st_mode)) {
			char *sub = real_path(d, names.v[i]);
			add(sn, II_REC_FILE, sub, NULL);
			free(sub);
		} else if (!S_ISLNK(st.st_mode) && !S_ISDIR(st.st_mode)) {
			char *p = ii_dir_display(d, names.v[i]);
			ii_warn(diags, "%s: not a regular file (a FIFO, socket or device node): not in "
				"the snapshot", p);
			free(p);
		}
	}
	sl_free(&names);
}

void ii_snapshot_add_tree(struct ii_snapshot *sn, const char *rel, struct ii_diags *d)
{
	bool was = sn->recording;
	struct ii_dir dir;
	int err;

	ii_snapshot_record(sn, true); /* the walk learns the paths without links */
	err = ii_dir_open(sn->root, &dir, "%s", rel);
	if (err == 0) {
		add_tree(sn, &dir, 0, d);
	} else if (err != -ENOENT) {
		char *p = ii_root_display(sn->root, rel);
		ii_warn(d, "%s: %s: not in the snapshot%s", p, strerror(-err),
			err == -EACCES || err == -EPERM ? " (run as root to include it)" : "");
		free(p);
	}
	ii_dir_close(&dir);
	ii_snapshot_record(sn, was);
}

/* ------------------------------------------------------------------ OUT */

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

/* dir holds an earlier snapshot, finished or not. */
static bool is_snapshot(const char *dir)
{
	char *info = xasprintf("%s/" II_SNAPSHOT_INFO, dir);
	char *mark = xasprintf("%s/" II_TREE_UNFINISHED, dir);
	struct stat st;
	bool yes = (lstat(info, &st) == 0 && S_ISREG(st.st_mode)) ||
		   (lstat(mark, &st) == 0 && S_ISREG(st.st_mode));

	free(info);
	free(mark);
	return yes;
}

/*
 * Is the place OUT will be written (the directory path, or the nearest one of
 * its parents that exists) the tree being read, or inside it? Walks up with
 * ".." and compares each directory with the tree's top.
 */
static bool inside_tree(const struct ii_root *r, const char *path)
{
	struct stat top, st, up;
	char *p = xstrdup(path), *slash;
	bool inside = false;
	int fd;

	if (ii_root_is_live(r) || stat(ii_root_dir(r), &top) < 0) {
		free(p);
		return false;
	}
	while ((fd = open(*p ? p : "/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		slash = strrchr(p, '/');
		if (!slash || slash == p) {
			fd = open(slash ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
			break;
		}
		*slash = '\0';
	}
	free(p);
	while (fd >= 0 && fstat(fd, &st) == 0) {
		int parent;

		if (st.st_dev == top.st_dev && st.st_ino == top.st_ino) {
			inside = true;
			break;
		}
		parent = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = parent;
		if (fd < 0 || fstat(fd, &up) < 0 || (up.st_dev == st.st_dev && up.st_ino == st.st_ino))
			break; /* the top of the file system */
	}
	if (fd >= 0)
		close(fd);
	return inside;
}

int ii_snapshot_set_out(struct ii_snapshot *sn, const char *out, bool force, char **err)
{
	bool archive = ii_archive_is_name(out);
	struct stat st;
	char *where;

	*err = NULL;
	if (lstat(out, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			*err = xasprintf("%s is a symbolic link; snapshot does not write through links: "
					 "name a new file or directory", out);
		else if (archive && !S_ISREG(st.st_mode))
			*err = xasprintf("%s exists and is not a file; choose a new name", out);
		else if (archive && !force)
			*err = xasprintf("%s exists; choose a new name or add --force", out);
		else if (!archive && !S_ISDIR(st.st_mode))
			*err = xasprintf("%s exists and is not a directory; choose a new name", out);
		else if (!archive && !force && !dir_is_empty(out))
			*err = xasprintf("%s exists and is not an empty directory; choose a new name "
					 "or add --force", out);
	} else if (errno != ENOENT) {
		*err = xasprintf("%s: %s", out, strerror(errno));
	}
	if (*err)
		return -1;
	/* an archive goes beside its name; a directory is itself the place */
	if (archive) {
		const char *slash = strrchr(out, '/');
		where = slash ? xstrndup(out, (size_t)(slash - out) + (slash == out)) : xstrdup(".");
	} else {
		where = xstrdup(out);
	}
	if (inside_tree(sn->root, where)) {
		*err = xasprintf("%s is inside the tree being read (%s); write the snapshot outside it",
				 out, ii_root_dir(sn->root));
		free(where);
		return -1;
	}
	free(where);
	sn->out = xstrdup(out);
	sn->archive = archive;
	sn->force = force;
	if (!archive && force && is_snapshot(out))
		ii_tree_remove(out); /* replace an earlier snapshot whole: nothing stale survives */
	return 0;
}

/* ------------------------------------------------------------------ writing */

/*
 * Where a write may go: the one place that decides. rel is a recorded path
 * (root-relative and link-free). Every directory on the way below OUT is
 * opened without following a link, and made when missing, so a write lands
 * below OUT or nowhere: a link the snapshot recreated from the tree (or one
 * someone put in OUT) is never traversed. Returns the descriptor of the
 * directory that is to hold the last component, which *base points to;
 * -EINVAL for a path that is empty, absolute or holds "." or ".."; -ENOTDIR
 * when something on the way is not a directory (a link, a file).
 */
static int out_parent(int outfd, const char *rel, const char **base)
{
	char comp[256];
	const char *p = rel, *slash;
	int cur = outfd;

	if (!*rel || *rel == '/')
		return -EINVAL;
	while ((slash = strchr(p, '/'))) {
		size_t n = (size_t)(slash - p);
		int fd;

		if (n == 0 || n >= sizeof(comp))
			goto bad;
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (!strcmp(comp, ".") || !strcmp(comp, ".."))
			goto bad;
		fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && (mkdirat(cur, comp, 0755) == 0 || errno == EEXIST))
			fd = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			int e = errno == ELOOP ? ENOTDIR : errno;
			if (cur != outfd)
				close(cur);
			return -e;
		}
		if (cur != outfd)
			close(cur);
		cur = fd;
		p = slash + 1;
	}
	if (!*p || !strcmp(p, ".") || !strcmp(p, ".."))
		goto bad;
	*base = p;
	return cur;
bad:
	if (cur != outfd)
		close(cur);
	return -EINVAL;
}

static void done_with(int outfd, int dirfd)
{
	if (dirfd != outfd)
		close(dirfd);
}

static int out_mkdir(int outfd, const char *rel)
{
	const char *base;
	struct stat st;
	int ret = 0, dirfd = out_parent(outfd, rel, &base);

	if (dirfd < 0)
		return dirfd;
	if (mkdirat(dirfd, base, 0755) < 0) {
		ret = -errno;
		if (errno == EEXIST)
			ret = fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)
				      ? 0 : -ENOTDIR;
	}
	done_with(outfd, dirfd);
	return ret;
}

/* A link is made as a link; what was in its place (--force into an old tree) goes. */
static int out_symlink(int outfd, const char *rel, const char *target)
{
	const char *base;
	int ret = 0, dirfd = out_parent(outfd, rel, &base);

	if (dirfd < 0)
		return dirfd;
	if (symlinkat(target, dirfd, base) < 0 &&
	    (errno != EEXIST || unlinkat(dirfd, base, 0) < 0 || symlinkat(target, dirfd, base) < 0))
		ret = -errno;
	done_with(outfd, dirfd);
	return ret;
}

/* A new file, never through a link: O_EXCL, after removing what was there. */
static int out_create(int outfd, const char *rel)
{
	const char *base;
	int fd, dirfd = out_parent(outfd, rel, &base);

	if (dirfd < 0)
		return dirfd;
	fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST && unlinkat(dirfd, base, 0) == 0)
		fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		fd = -errno;
	done_with(outfd, dirfd);
	return fd;
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

static int out_write_file(int outfd, const char *rel, const char *buf, size_t len)
{
	int ret, fd = out_create(outfd, rel);

	if (fd < 0)
		return fd;
	ret = write_all(fd, buf, len);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

/*
 * Copy a file of the inspected tree, at most II_SNAPSHOT_FILE_MAX bytes
 * (*cut when there was more). Returns the bytes copied, or -errno of the
 * read side; a write error is in *werr.
 */
static long long copy_file(struct ii_root *r, const char *rel, int outfd, int *werr, bool *cut)
{
	struct ii_stream in;
	char buf[65536];
	unsigned long long total = 0;
	int fd, err = ii_stream_open(r, &in, rel, false);

	*werr = 0;
	*cut = false;
	if (err < 0)
		return err;
	fd = out_create(outfd, rel);
	if (fd < 0) {
		*werr = fd;
		ii_stream_close(&in);
		return 0;
	}
	for (;;) {
		size_t want = sizeof(buf);
		ssize_t n;

		if (total == II_SNAPSHOT_FILE_MAX) {
			*cut = ii_stream_read(&in, buf, 1) > 0;
			break;
		}
		if (want > II_SNAPSHOT_FILE_MAX - total)
			want = (size_t)(II_SNAPSHOT_FILE_MAX - total);
		n = ii_stream_read(&in, buf, want);
		if (n <= 0) {
			if (n < 0)
				err = (int)n;
			break;
		}
		if ((*werr = write_all(fd, buf, (size_t)n)) < 0)
			break;
		total += (unsigned long long)n;
	}
	if (close(fd) < 0 && !*werr)
		*werr = -errno;
	ii_stream_close(&in);
	return err < 0 ? err : (long long)total;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (int)x->kind - (int)y->kind;
}

/* The snapshot's own files at its top, which no recorded entry may replace. */
static bool own_file(const char *rel)
{
	return !strcmp(rel, II_SNAPSHOT_INFO) || !strcmp(rel, II_TREE_UNFINISHED);
}

/* Open the directory written (made if missing, never a link) and mark it unfinished. */
static int open_out(struct ii_snapshot *sn, char **err)
{
	static const char unfinished[] = "This snapshot is not finished: iommu-inspect snapshot was "
					 "interrupted, or could not write it all. Take it again.\n";
	int werr;

	if (sn->archive) {
		sn->stage = ii_tmpdir_new("snapshot", err);
		if (!sn->stage)
			return -1;
		sn->dir = sn->stage;
	} else {
		sn->dir = sn->out;
		if (mkdir(sn->out, 0755) == 0)
			sn->made_out = true;
		else if (errno != EEXIST) {
			*err = xasprintf("%s: cannot create it: %s", sn->out, strerror(errno));
			return -1;
		}
	}
	sn->outfd = open(sn->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sn->outfd < 0) {
		*err = xasprintf("%s: %s", sn->dir, errno == ELOOP ? "a symbolic link; snapshot does "
				 "not write through links" : strerror(errno));
		return -1;
	}
	werr = out_write_file(sn->outfd, II_TREE_UNFINISHED, unfinished, strlen(unfinished));
	if (werr < 0) {
		*err = xasprintf("%s/%s: %s", sn->dir, II_TREE_UNFINISHED, strerror(-werr));
		return -1;
	}
	return 0;
}

/* A failed snapshot leaves nothing that looks complete: a directory made for it goes. */
static void abandon(struct ii_snapshot *sn)
{
	if (sn->outfd >= 0) {
		close(sn->outfd);
		sn->outfd = -1;
	}
	if (sn->made_out) {
		ii_tree_remove(sn->out);
		sn->made_out = false;
	}
}

/*
 * A recorded path that cannot be written below OUT (a link or a file in the
 * way, which a hostile tree can arrange) is left out with a warning.
 */
static bool skipped(int werr, const char *rel, struct ii_diags *d)
{
	if (werr != -ENOTDIR && werr != -EINVAL && werr != -EISDIR)
		return false;
	ii_warn(d, "%s: not in the snapshot: %s", rel,
		werr == -EINVAL ? "not a plain relative path"
				: "something else is in its way, such as a link (snapshot never "
				  "writes through a link)");
	return true;
}

/* Whether the directory rel below OUT holds nothing (never through a link). */
static bool out_dir_empty(int outfd, const char *rel)
{
	int fd = openat(outfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *e;
	bool empty = true;
	DIR *dir;

	if (fd < 0)
		return false;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return false;
	}
	while (empty && (e = readdir(dir)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(dir);
	return empty;
}

/* II_TREE_KEEP in each directory written that is empty, the last of the writes. */
static int keep_empty_dirs(struct ii_snapshot *sn, char **err)
{
	static const char keep[] = "iommu-inspect snapshot: nothing was recorded in this directory; "
				   "this file keeps it where empty directories are dropped (git).\n";

	for (size_t i = 0; i < sn->n; i++) {
		const struct entry *e = &sn->v[i];
		char *rel;
		int werr;

		if (e->kind != II_REC_DIR || !*e->path || !out_dir_empty(sn->outfd, e->path))
			continue;
		rel = xasprintf("%s/" II_TREE_KEEP, e->path);
		werr = out_write_file(sn->outfd, rel, keep, sizeof(keep) - 1);
		if (werr && werr != -EEXIST) {
			*err = xasprintf("%s/%s: %s", sn->dir, rel, strerror(-werr));
			free(rel);
			return werr;
		}
		free(rel);
	}
	return 0;
}

int ii_snapshot_write(struct ii_snapshot *sn, struct ii_snapshot_stats *st, struct ii_diags *d,
		      char **err)
{
	int werr = 0;
	bool cut;

	memset(st, 0, sizeof(*st));
	*err = NULL;
	/* over a file size limit (ulimit -f), a write fails with EFBIG instead of killing us */
	signal(SIGXFSZ, SIG_IGN);
	if (open_out(sn, err) < 0) {
		abandon(sn);
		return -1;
	}
	if (sn->n > 1)
		qsort(sn->v, sn->n, sizeof(*sn->v), cmp_entry);
	for (size_t i = 0; i < sn->n && !werr; i++) {
		const struct entry *e = &sn->v[i];
		long long n;

		if ((i && !strcmp(e->path, sn->v[i - 1].path)) || own_file(e->path) || !*e->path)
			continue;
		switch (e->kind) {
		case II_REC_DIR:
			werr = out_mkdir(sn->outfd, e->path);
			if (!werr)
				st->dirs++;
			break;
		case II_REC_LINK:
			werr = out_symlink(sn->outfd, e->path, e->target);
			if (!werr)
				st->links++;
			break;
		case II_REC_FILE:
			n = copy_file(sn->root, e->path, sn->outfd, &werr, &cut);
			if (n < 0) {
				sl_add_owned(&st->unreadable, xasprintf("%s: %s", e->path, strerror((int)-n)));
				ii_warn(d, "%s: %s: not in the snapshot", e->path, strerror((int)-n));
			} else if (!werr) {
				st->files++;
				st->bytes += (size_t)n;
				if (cut)
					ii_warn(d, "%s: larger than %llu MiB: only its first %llu MiB are in "
						"the snapshot", e->path, II_SNAPSHOT_FILE_MAX >> 20,
						II_SNAPSHOT_FILE_MAX >> 20);
			}
			break;
		case II_REC_STREAM:
		case II_REC_NODE:
			break;
		}
		if (werr && skipped(werr, e->path, d))
			werr = 0;
		if (werr)
			*err = xasprintf("%s/%s: %s", sn->dir, e->path, strerror(-werr));
	}
	for (size_t i = 0; i < sn->stream_paths.n && !werr; i++) {
		const char *p = sn->stream_paths.v[i];
		const struct stream *s = &sn->streams[i];

		if (own_file(p))
			continue;
		werr = out_write_file(sn->outfd, p, s->data.buf ? s->data.buf : "", s->data.len);
		if (werr && skipped(werr, p, d)) {
			werr = 0;
			continue;
		}
		if (werr) {
			*err = xasprintf("%s/%s: %s", sn->dir, p, strerror(-werr));
			break;
		}
		if (s->cut)
			ii_warn(d, "%s: more than %llu MiB read: only the first %llu MiB are in the "
				"snapshot", p, II_SNAPSHOT_FILE_MAX >> 20, II_SNAPSHOT_FILE_MAX >> 20);
		st->streams++;
		st->bytes += s->data.len;
	}
	/* the files the tool made, through the same door as every other write */
	for (size_t i = 0; i < sn->data_paths.n && !werr; i++) {
		const char *p = sn->data_paths.v[i];

		werr = out_write_file(sn->outfd, p, sn->data[i].buf ? sn->data[i].buf : "",
				      sn->data[i].len);
		if (werr)
			*err = xasprintf("%s/%s: %s", sn->dir, p, strerror(-werr));
		else
			st->bytes += sn->data[i].len;
	}
	if (!werr)
		werr = keep_empty_dirs(sn, err);
	if (werr) {
		abandon(sn);
		return -1;
	}
	return 0;
}

int ii_snapshot_finish(struct ii_snapshot *sn, const char *info, char **err)
{
	int werr;

	*err = NULL;
	if (sn->outfd < 0) {
		*err = xasprintf("%s: not written", sn->out);
		return -1;
	}
	werr = out_write_file(sn->outfd, II_SNAPSHOT_INFO, info, strlen(info));
	if (werr == 0 && unlinkat(sn->outfd, II_TREE_UNFINISHED, 0) < 0)
		werr = -errno;
	if (werr < 0) {
		*err = xasprintf("%s: %s", sn->out, strerror(-werr));
		abandon(sn);
		return -1;
	}
	close(sn->outfd);
	sn->outfd = -1;
	if (sn->archive && ii_archive_pack(sn->stage, sn->out, sn->force, err) < 0)
		return -1;
	sn->made_out = false; /* finished: it stays */
	return 0;
}

void ii_snapshot_free(struct ii_snapshot *sn)
{
	if (!sn)
		return;
	if (sn->outfd >= 0)
		close(sn->outfd);
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
	if (sn->stage)
		ii_tree_remove(sn->stage);
	free(sn->stage);
	free(sn->out);
	free(sn);
}
