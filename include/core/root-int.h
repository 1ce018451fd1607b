// SPDX-License-Identifier: MIT
/*
 * The root layer's own declarations, shared by its two files and by nothing
 * else: src/core/root.c (opening a tree, what may be opened, resolving paths)
 * and src/core/root-read.c (directories, whole files, device nodes, streams).
 */
#ifndef II_ROOT_INT_H
#define II_ROOT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "root.h"
#include "util.h"

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

/* How a path is resolved when it is opened. */
enum ii_how {
	II_HOW_LIVE,    /* an absolute path on the running system, resolved by the kernel */
	II_HOW_IN_ROOT, /* openat2(RESOLVE_IN_ROOT): links are resolved inside the tree */
	II_HOW_BENEATH, /* a link-free path found by walk(): a link met now is refused */
	II_HOW_ENTRY,   /* one entry of an open directory, not followed if it is a link */
};

/* Tell the recorder (a snapshot being taken) about path; nothing without one. */
void ii_root_record(struct ii_root *r, enum ii_rec_kind kind, const char *path, const char *data,
		    size_t len);
/*
 * Open path below dirfd for reading, the one place that decides what may be
 * read (root.c says how); sdir and sname name the file in messages.
 */
int ii_root_open_checked(struct ii_root *r, int dirfd, const char *path, int flags, enum ii_how how,
			 bool kmsg, const char *sdir, const char *sname);
/* Open rel inside the root; *real receives the resolved path when it was walked. */
int ii_root_resolve_open(struct ii_root *r, const char *rel, int flags, char **real);
/* The target of the link name (or of a link kept as a small file) below dirfd. */
int ii_root_read_link_at(struct ii_root *r, int dirfd, const char *name, const struct stat *st,
			 char *buf, size_t size);
/* -EBADMSG when a text attribute holds a NUL byte, else 0. */
int ii_root_text_check(const char *buf, size_t len);

#endif
