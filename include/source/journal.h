/* SPDX-License-Identifier: MIT */
/*
 * The systemd journal as a source of kernel log records
 * (src/source/source-journal.c): the kernel's messages (_TRANSPORT=kernel)
 * of one boot, handed out as the records of the other log sources
 * (include/source/logsrc.h), with their time since boot, wall-clock time,
 * priority and device. Where it reads:
 *
 *  - the root's journal: the system journal files under var/log/journal and
 *    run/log/journal of the root's machine (etc/machine-id), opened through
 *    the root layer and given to libsystemd (sd-journal) as descriptors; a
 *    snapshot holds instead what `snapshot --journal-boots` exported
 *    (II_PATH_JOURNAL_EXPORT), read back in the journal export format;
 *  - --journal-dir DIR: the journal files in DIR and its subdirectories
 *    (a copy of /var/log/journal, or what systemd-journal-remote wrote);
 *  - --journal-file FILE: one journal file, or an export of one.
 *
 * A file that is not a journal or is damaged is left out with a warning; a
 * file that cannot be read for lack of permission makes the error name the
 * fix when nothing else could be read. Like every source it never prints.
 */
#ifndef II_JOURNAL_H
#define II_JOURNAL_H

#include "jexport.h"
#include "logsrc.h"
#include "root.h"

struct ii_journal;

/* Where the journal is; dir and file are paths the user named (NULL: the root's). */
int ii_journal_open(struct ii_journal **out, struct ii_root *root, const char *dir,
		    const char *file);
void ii_journal_close(struct ii_journal *j);
/* Its name in messages: "/var/log/journal", "DIR", "FILE", "SNAPSHOT/var/lib/..." */
const char *ii_journal_display(const struct ii_journal *j);
/* 0, or -errno of the open: -EACCES when files were there but none could be read. */
int ii_journal_error(const struct ii_journal *j);
/* What could not be read but did not stop reading (files left out, damage found). */
const struct strlist *ii_journal_warnings(const struct ii_journal *j);
/* true when the journal came from libsystemd's files, false for an export. */
bool ii_journal_is_files(const struct ii_journal *j);

/* One boot the journal has entries of, and when its first and last entries were written. */
struct ii_jboot {
	char id[II_BOOT_ID_LEN + 1];
	bool has_first, has_last;
	uint64_t first_realtime, last_realtime; /* us since 1970 */
};
/*
 * The boots, oldest first (by their first entry), into a new array. Returns
 * 0 or -errno (entries read until then are kept; a warning says where).
 */
int ii_journal_boots(struct ii_journal *j, struct ii_jboot **out, size_t *n);

struct ii_journal_stats {
	uint64_t entries;   /* kernel entries of the boot handed out */
	uint64_t bytes;     /* of their messages */
};
/*
 * Hand out the kernel's entries of boot (a boot id) in order, as records:
 * has_usec (the kernel's time since boot), has_realtime, prio, text, len
 * and device are set; kmsg is NULL. A nonzero return of fn stops and is
 * returned. A damaged journal stops with -EBADMSG (or the error there was)
 * after the entries before the damage.
 */
int ii_journal_read(struct ii_journal *j, const char *boot, ii_logrec_fn fn, void *ctx,
		    struct ii_journal_stats *st);
/*
 * Append the kernel's entries of boot to out in the journal export format
 * (__REALTIME_TIMESTAMP, __MONOTONIC_TIMESTAMP, _BOOT_ID, _TRANSPORT,
 * PRIORITY, _SOURCE_MONOTONIC_TIMESTAMP, _KERNEL_DEVICE, MESSAGE).
 */
int ii_journal_export(struct ii_journal *j, const char *boot, struct strbuf *out,
		      uint64_t *entries);

/* The root's boot id (proc/sys/kernel/random/boot_id): the running boot, or a snapshot's. */
int ii_root_boot_id(struct ii_root *r, char id[II_BOOT_ID_LEN + 1]);

#endif
