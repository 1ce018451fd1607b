/* SPDX-License-Identifier: MIT */
/*
 * The snapshot writer. While the model is loaded, a recorder attached to the
 * root learns every file, directory, link and stream the tool reads; the
 * writer then copies exactly those into a directory (or an archive of one)
 * that every command replays with --root.
 *
 * What it guarantees, whatever the tree read holds:
 *  - every write lands below OUT: each directory on the way is opened without
 *    following a link, so a link recorded from the tree (dev -> /etc/cron.d)
 *    is recreated as a link and never written through;
 *  - OUT itself is never a symbolic link, and files are created O_EXCL|O_NOFOLLOW;
 *  - no copied file or stream is larger than II_SNAPSHOT_FILE_MAX (a warning
 *    names what was cut);
 *  - an archive appears under its name only when complete (it is written to a
 *    temporary name beside it, then renamed); a directory holds
 *    II_TREE_UNFINISHED (include/core/root.h) until the end, which --root
 *    reports, and is removed on a write error when the snapshot created it;
 *  - a directory written with nothing in it holds II_TREE_KEEP, so that it
 *    survives being committed to git.
 */
#ifndef II_SNAPSHOT_H
#define II_SNAPSHOT_H

#include "output.h"
#include "root.h"

struct ii_snapshot;

/* The file at the top of every snapshot that describes it. */
#define II_SNAPSHOT_INFO "iommu-inspect-snapshot.txt"

/*
 * The most bytes copied of any one file or stream: far above what the tool
 * reads (an ACPI table is under 1 MiB, a proc file under 4 MiB, the kernel
 * log a few MiB, a debugfs page-table dump of a busy machine tens of MiB), far
 * below what fills a disk. A sparse or endless file is cut there.
 */
#define II_SNAPSHOT_FILE_MAX (64ULL << 20)

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
 * reset). Written with the rest, below OUT like every write; ii_snapshot_drop_streams
 * leaves it.
 */
void ii_snapshot_add_data(struct ii_snapshot *sn, const char *rel, struct strbuf *data);

struct ii_snapshot_stats {
	size_t files, links, dirs, streams, bytes;
	struct strlist unreadable;
};

/*
 * Where the snapshot goes: OUT, a directory, or an archive when ii_archive_is_name().
 * Refused (-1, *err set): a symbolic link; an archive that exists (unless force);
 * a directory that is not empty (unless force); anything else that exists; a
 * place inside the tree being read. With force, an earlier snapshot in OUT is
 * removed whole. Call it before recording, so that a refusal comes first.
 */
int ii_snapshot_set_out(struct ii_snapshot *sn, const char *out, bool force, char **err);
/* Write everything recorded below OUT (or the archive's staging directory). 0, or -1 with *err. */
int ii_snapshot_write(struct ii_snapshot *sn, struct ii_snapshot_stats *st, struct ii_diags *d,
		      char **err);
/*
 * Write info as OUT's iommu-inspect-snapshot.txt, mark the snapshot finished
 * and, for an archive, pack it under its name. 0, or -1 with *err set.
 */
int ii_snapshot_finish(struct ii_snapshot *sn, const char *info, char **err);
void ii_snapshot_free(struct ii_snapshot *sn);

#endif
