/* SPDX-License-Identifier: MIT */
/*
 * A file replaced whole (src/core/atomic.c): written to a new temporary file
 * in the same directory, which takes the file's name by rename() only when
 * complete. A reader (node_exporter's textfile collector) sees the old file or
 * the new one, never a part; a failed or interrupted write leaves the old one.
 */
#ifndef II_ATOMIC_H
#define II_ATOMIC_H

#include <stdio.h>

#include "ii.h"

struct ii_atomic {
	char *path;  /* the file to replace */
	char *tmp;   /* the temporary file beside it */
	FILE *f;     /* open on tmp */
};

/* Create the temporary file (mode 0644: the collector runs as another user): 0, or -1 with
 * *err set (a message naming the directory and what to do). */
int ii_atomic_open(struct ii_atomic *a, const char *path, char **err);
/* Flush, sync and rename it over the file: 0, or -1 with *err set (the temporary file is
 * removed and the old file kept). Frees a either way. */
int ii_atomic_commit(struct ii_atomic *a, char **err);
/* Remove the temporary file and free a. */
void ii_atomic_abort(struct ii_atomic *a);

#endif
