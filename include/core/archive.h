/* SPDX-License-Identifier: MIT */
/*
 * Tar archives of recorded trees and the temporary directories they are
 * unpacked into or packed from. The tar program does the work (GNU tar picks
 * the compression from the suffix when packing and by itself when unpacking).
 */
#ifndef II_ARCHIVE_H
#define II_ARCHIVE_H

#include "ii.h"

/* .tar, .tar.gz, .tgz, .tar.xz or .txz */
bool ii_archive_is_name(const char *path);
/*
 * A new private directory under $TMPDIR (or /tmp), removed when the process
 * ends however it ends; NULL with *err set on failure.
 */
char *ii_tmpdir_new(const char *what, char **err);
/* Remove a directory tree (without following links). */
void ii_tree_remove(const char *dir);
/* Unpack archive into dir: 0, or -1 with *err set. */
int ii_archive_extract(const char *archive, const char *dir, char **err);
/*
 * Pack dir's contents into archive, compressed as its name says: written to a
 * temporary file beside it, which takes the name only when complete (over an
 * existing file only when replace). 0, or -1 with *err set.
 */
int ii_archive_pack(const char *dir, const char *archive, bool replace, char **err);

#endif
