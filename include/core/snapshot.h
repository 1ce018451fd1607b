/* SPDX-License-Identifier: MIT */
/*
 * The snapshot writer. While the model is loaded, a recorder attached to the
 * root learns every file, directory, link and stream the tool reads; the
 * writer then copies exactly those into a directory (or an archive of one)
 * that every command replays with --root.
 */
#ifndef II_SNAPSHOT_H
#define II_SNAPSHOT_H

#include "output.h"
#include "root.h"

struct ii_snapshot;

/* The file at the top of every snapshot that describes it. */
#define II_SNAPSHOT_INFO "iommu-inspect-snapshot.txt"

struct ii_snapshot *ii_snapshot_new(struct ii_root *r);
/* Start and stop recording what is read through the root. */
void ii_snapshot_record(struct ii_snapshot *sn, bool on);
/* Add a whole subtree (e.g. debugfs) without reading it now; missing is not an error. */
void ii_snapshot_add_tree(struct ii_snapshot *sn, const char *rel, struct ii_diags *d);
/* Leave recorded streams (the kernel log) out. */
void ii_snapshot_drop_streams(struct ii_snapshot *sn);
/* The bytes recorded so far from stream rel (dev/kmsg), or NULL; valid until the next read. */
const struct strbuf *ii_snapshot_stream(const struct ii_snapshot *sn, const char *rel);
/*
 * Add a file made by the tool (rel inside the snapshot, e.g. the activity
 * recording) with the bytes of *data, which the snapshot takes (*data is
 * reset). Written with the rest; ii_snapshot_drop_streams leaves it.
 */
void ii_snapshot_add_data(struct ii_snapshot *sn, const char *rel, struct strbuf *data);

struct ii_snapshot_stats {
	size_t files, links, dirs, streams, bytes;
	struct strlist unreadable;
};
/*
 * Write everything recorded into dir (created; it must be empty or absent
 * unless force). Returns 0, or -1 with *err set.
 */
int ii_snapshot_write(struct ii_snapshot *sn, const char *dir, struct ii_snapshot_stats *st,
		      struct ii_diags *d, char **err);
/* OUT may be written: absent, or an empty directory (any directory with force). */
bool ii_snapshot_dir_usable(const char *dir, bool force);
/* dir holds an earlier snapshot (its iommu-inspect-snapshot.txt). */
bool ii_snapshot_is_snapshot(const char *dir);
void ii_snapshot_free(struct ii_snapshot *sn);

#endif
