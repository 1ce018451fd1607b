/* SPDX-License-Identifier: MIT */
/*
 * The root-prefixed file layer: the only code that opens, lists or stats files
 * of the inspected system. Every path handed to it is relative to the root
 * ("sys/kernel/iommu_groups"), which is "/" on a live system or the directory
 * (or extracted .tar.gz) given with --root. Symbolic links met on the way are
 * resolved inside the root: an absolute target or a run of ".." never leaves it.
 *
 * Only regular files and directories are read from a recorded tree (and, on
 * the live system, the character device dev/kmsg): a FIFO, socket or device
 * node is never opened for reading, and gives -ENXIO. Files are opened
 * without waiting (O_NONBLOCK), so nothing in a tree can make a read hang.
 * The text readers (ii_dir_read, ii_dir_read_file, ii_root_read_text) give
 * -EBADMSG for a file with a NUL byte inside, which no attribute has and
 * which would cut the text short unseen.
 *
 * Functions return 0 (or a length) on success and a negative errno on failure;
 * they never print. Callers turn errors into messages with ii_root_display().
 */
#ifndef II_ROOT_H
#define II_ROOT_H

#include <signal.h>
#include <sys/types.h>
#include <sys/stat.h>
#include "ii.h"
#include "util.h"

struct ii_root;
struct ii_diags;

/* What the recorder is told about, for `snapshot`. */
enum ii_rec_kind {
	II_REC_FILE,   /* a regular file was read (path is resolved, link-free) */
	II_REC_DIR,    /* a directory was listed */
	II_REC_LINK,   /* a symbolic link was followed or read; data = its target */
	II_REC_STREAM, /* bytes read from a stream such as dev/kmsg; data = bytes */
	II_REC_NODE,   /* a device node was looked at (ii_root_node); data = its record's text */
};
typedef void (*ii_recorder_fn)(void *ctx, enum ii_rec_kind kind, const char *path,
			       const char *data, size_t len);

/*
 * Open a root: NULL or "/" is the live system; a directory; or an archive
 * (.tar, .tar.gz, .tgz, .tar.xz) made by `snapshot`, extracted to a private
 * temporary directory that ii_root_close() removes. On failure returns NULL and
 * sets *err to a message naming the path and the fix.
 */
struct ii_root *ii_root_open(const char *dir, char **err);
void ii_root_close(struct ii_root *r);
bool ii_root_is_live(const struct ii_root *r);
/* The directory that holds the tree ("/" when live), for libraries such as libpci. */
const char *ii_root_dir(const struct ii_root *r);
/*
 * The file `snapshot` writes first and removes last: a tree that has it was not
 * finished. ii_root_note() is then a warning to show (NULL when there is none).
 */
#define II_TREE_UNFINISHED "iommu-inspect-snapshot.unfinished"
/*
 * The file `snapshot` puts in each directory it writes with nothing else in
 * it, so that tools which drop empty directories (git) keep it: a directory
 * that exists says something (a driver is loaded, a group has no devices).
 * No listing of a tree shows it (sysfs, proc and debugfs names never start
 * with a dot).
 */
#define II_TREE_KEEP ".iommu-inspect-keep"
const char *ii_root_note(const struct ii_root *r);
/*
 * Add to d a warning for each file refused since the last call (a FIFO, socket
 * or device node), unless a warning says so already: some readers do not warn
 * when a file they can do without is unreadable, but nothing in a tree is
 * skipped without a word.
 */
void ii_root_warn_refused(struct ii_root *r, struct ii_diags *d);
/* How a root-relative path is named in messages: absolute when live, else under the root. */
char *ii_root_display(const struct ii_root *r, const char *rel);
void ii_root_set_recorder(struct ii_root *r, ii_recorder_fn fn, void *ctx);

/* An open directory inside the root. */
struct ii_dir {
	struct ii_root *root;
	int fd;
	char *path; /* the root-relative path as asked for, for messages */
	char *real; /* the resolved, link-free path; NULL when not tracked */
};

int ii_dir_open(struct ii_root *r, struct ii_dir *d, const char *fmt, ...) ii_printf_like(3, 4);
/* Open name (a relative path that may cross links) below an open directory. */
int ii_dir_open_at(const struct ii_dir *parent, struct ii_dir *d, const char *name);
void ii_dir_close(struct ii_dir *d);
char *ii_dir_display(const struct ii_dir *d, const char *name);

/*
 * Read a small text attribute, NUL-terminated; returns its length. -EFBIG if it
 * did not fit, -EBADMSG if it holds a NUL byte.
 */
ssize_t ii_dir_read(const struct ii_dir *d, const char *name, char *buf, size_t size);
/* Read up to size bytes of a binary file; returns the number read. */
ssize_t ii_dir_read_bin(const struct ii_dir *d, const char *name, void *buf, size_t size);
/*
 * Read a whole text file below d (at most max bytes, else -EFBIG; -EBADMSG if it
 * holds a NUL byte) into a new NUL-terminated buffer.
 */
int ii_dir_read_file(const struct ii_dir *d, const char *name, char **buf, size_t *len, size_t max);
/* The last component of a symbolic link's target, e.g. "vfio-pci" for driver. */
int ii_dir_readlink_base(const struct ii_dir *d, const char *name, char *buf, size_t size);
/* Entries of the directory itself (sub NULL) or of a subdirectory, in natural order. */
int ii_dir_list(const struct ii_dir *d, const char *sub, struct strlist *out);
/* Like ii_dir_list, but only real subdirectories (no links, no files). */
int ii_dir_list_dirs(const struct ii_dir *d, struct strlist *out);
/* lstat-like: does not follow a final link. */
int ii_dir_lstat(const struct ii_dir *d, const char *name, struct stat *st);

/* Read a whole file (at most max bytes; -EFBIG beyond) into a new buffer, NUL-terminated. */
int ii_root_read_file(struct ii_root *r, const char *rel, char **buf, size_t *len, size_t max);
/* The same for a text file: -EBADMSG (and no buffer) if it holds a NUL byte. */
int ii_root_read_text(struct ii_root *r, const char *rel, char **buf, size_t *len, size_t max);
int ii_root_stat(struct ii_root *r, const char *rel, struct stat *st);

/*
 * A device node (dev/vfio/N, dev/iommu): its type, numbers, owner and mode,
 * looked at without opening it (O_PATH: no driver sees the call).
 */
struct ii_node {
	char type;          /* 'c' character device, 'b' block device */
	unsigned major, minor;
	unsigned mode;      /* the permission bits, 0600 */
	unsigned uid, gid;
	bool recorded;      /* learnt from a snapshot's record of the node, not from the node */
};
/*
 * 0 and *n when the node is there; -ENOENT when it is not (known absent); -ENODATA
 * when a recorded tree says nothing of it (made before nodes were recorded);
 * -EBADMSG when a recorded tree holds something else there; other -errno.
 * A snapshot cannot hold a device node, so the recorder is told what was seen,
 * present or absent, as one line of text (II_REC_NODE), which `snapshot` writes
 * as a small regular file in the node's place and which this reads back:
 *   "iommu-inspect device node: c 10:196 mode 0666 uid 0 gid 0\n"
 *   "iommu-inspect device node: absent\n"
 */
int ii_root_node(struct ii_root *r, const char *rel, struct ii_node *n);
/* The record's text of a node (n NULL: absent) into buf; the parse of one: 0, -ENOENT, -EBADMSG. */
void ii_node_format(const struct ii_node *n, char *buf, size_t size);
int ii_node_parse(const char *text, size_t len, struct ii_node *n);

/*
 * Read a whole file the user named on the command line (`acpi --file`): a path
 * on the machine the tool runs on, not inside the root, so that a table
 * extracted with acpidump can be decoded. At most max bytes (-EFBIG beyond);
 * the recorder is not told, as the file is no part of the inspected system.
 */
int ii_host_read_file(const char *path, char **buf, size_t *len, size_t max);

/* A byte stream: dev/kmsg (a character device on a live system, a file in a snapshot). */
struct ii_stream {
	struct ii_root *root;
	int fd;
	bool chardev;
	bool file;     /* ii_stream_open_file: recorded as a file, its bytes are not */
	char *path;
};
int ii_stream_open(struct ii_root *r, struct ii_stream *s, const char *rel, bool nonblock);
/*
 * A regular file read a buffer at a time because it can be huge (a debugfs
 * page-table dump): the recorder learns of the file when it is opened, as of
 * a file read whole (the snapshot copies it), and never holds its bytes.
 */
int ii_stream_open_file(struct ii_root *r, struct ii_stream *s, const char *rel);
/*
 * A file the user names outside the root (--kmsg-file FILE); "-" is standard
 * input. It is not recorded, and s->root is NULL. A character device is
 * opened non-blocking; a FIFO waits for its first writer (its bytes or its
 * close), or until *stop (stop may be NULL), set by a SIGINT or SIGTERM
 * handler: -EINTR.
 */
int ii_stream_open_path(struct ii_stream *s, const char *path, volatile sig_atomic_t *stop);
/* fstat of the open stream (its type and size, for --follow). */
int ii_stream_stat(const struct ii_stream *s, struct stat *st);
/* Reads return EAGAIN instead of waiting (a followed FIFO). */
int ii_stream_set_nonblock(struct ii_stream *s, bool on);
/* Read it again from its start (a followed file that shrank). */
int ii_stream_rewind(struct ii_stream *s);
ssize_t ii_stream_read(struct ii_stream *s, void *buf, size_t size);
void ii_stream_close(struct ii_stream *s);

#endif
