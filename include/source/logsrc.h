/* SPDX-License-Identifier: MIT */
/*
 * The kernel log as a stream of records (src/source-kmsg.c, and
 * src/source-follow.c for --follow). Either the root's dev/kmsg (the
 * character device on a live system, one record per read; a file of records
 * in a recorded tree) or a file the user names outside the root: /dev/kmsg
 * records (--kmsg-file) or log text as dmesg, journalctl or syslog write it
 * (--dmesg-file). Like every source it never prints: counts of what could
 * not be read are left in struct ii_logsrc for the caller to report.
 */
#ifndef II_LOGSRC_H
#define II_LOGSRC_H

#include <signal.h>

#include "logtext.h"
#include "parse.h"
#include "root.h"

enum ii_log_format {
	II_LOG_KMSG, /* /dev/kmsg records */
	II_LOG_TEXT, /* dmesg, journalctl or syslog text */
};

/* One record (kmsg) or line (text). Pointers are valid during the callback only. */
struct ii_logrec {
	int prio;               /* kmsg: (facility << 3) | level; text: the level, or -1 */
	bool has_seq, has_usec;
	uint64_t seq, usec;
	uint64_t lineno;        /* text: the line number (1-based); kmsg: 0 */
	bool kernel;            /* false: a message from user space, or not a message */
	bool indented;          /* text: no time of its own, continues the previous line */
	struct ii_walltime wall; /* text: the wall-clock time the line gives */
	const char *text;       /* the message, NUL-terminated */
	size_t len;
	const struct ii_kmsg *kmsg; /* kmsg: the whole record (text, dictionary) */
};

/* Called for each record; a nonzero return stops reading and is returned. */
typedef int (*ii_logrec_fn)(void *ctx, const struct ii_logrec *r);

struct ii_logsrc {
	struct ii_stream st;
	enum ii_log_format fmt;
	bool is_file;           /* the user named it (not the root's dev/kmsg) */
	char *display;          /* its name in messages */
	bool device;            /* a character device: one record per read */
	bool fifo;              /* a pipe or FIFO: the end is when the writer closes it */
	bool regular;           /* a regular file (--follow watches it grow) */
	bool eof;               /* a read returned 0 */
	struct strbuf in;       /* bytes read and not yet taken */
	size_t done;            /* of in, bytes taken */
	bool bulk;              /* ii_logsrc_read_all's reader: taken bytes stay where they are */
	struct ii_kmsg *kslot;  /* where the next kmsg record is parsed (the bulk reader's), and the
				   callback gets NULL for it; NULL: anywhere, and the callback its record */
	bool skip;              /* the rest of a record or line that was cut is being passed over */
	uint64_t offset;        /* bytes read from the file */
	uint64_t lineno;
	uint64_t records;       /* records handed out */
	uint64_t bad;           /* kmsg lines that are not records */
	uint64_t overlong;      /* records or lines cut at II_LOG_LINE_MAX */
	uint64_t cut_offset;    /* the byte offset of the first one cut */
	uint64_t cut_lineno;    /* text: its line number */
	uint64_t overruns;      /* EPIPE: the kernel overwrote records before they were read */
	uint64_t truncations;   /* --follow: the file shrank and was read again from its start */
};

/* The longest record or line handed out; the rest of a longer one is passed over. */
#define II_LOG_LINE_MAX (1 << 20)

/* The root's dev/kmsg. nonblock: the live device returns what it has, then EAGAIN. */
int ii_logsrc_open_root(struct ii_logsrc *ls, struct ii_root *r);
/* A file named by the user ("-": standard input). */
int ii_logsrc_open_file(struct ii_logsrc *ls, const char *path, enum ii_log_format fmt);
/*
 * Hand out the records that can be read now. A record at the very end of a
 * file is held back (more of it may come) unless final is set. Returns 0
 * when nothing more can be read now (end of file, EAGAIN on the device),
 * the callback's nonzero value, or -errno.
 */
int ii_logsrc_read(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, bool final);
/*
 * Read to the end once: ii_logsrc_read(ls, fn, ctx, true), but for a regular
 * file the user named, a second thread reads and cuts the records while fn
 * runs (src/source-log-bulk.c). fn is called in order, from the calling
 * thread. When fn returns nonzero, what was not handed out is dropped.
 */
int ii_logsrc_read_all(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx);
void ii_logsrc_close(struct ii_logsrc *ls);
/* For the follow loop: the writer is quiet (a record ending in a newline is whole), or the end. */
int ii_logsrc_take_quiet(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, bool end);
/* For the follow loop: the file shrank; read it again from its start. */
int ii_logsrc_restart(struct ii_logsrc *ls);
/*
 * For the bulk reader: read a chunk into ls->in (bytes read, 0 at the end,
 * -errno); hand out the whole records in it (all that is left when end is set).
 */
ssize_t ii_logsrc_fill(struct ii_logsrc *ls);
int ii_logsrc_take(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, bool end);
/* The ii_logrec of a kmsg record (r->kmsg is m). */
void ii_logrec_from_kmsg(struct ii_logrec *r, const struct ii_kmsg *m);

/*
 * --follow: read, then wait for more (poll on the device or a FIFO, a short
 * sleep on a regular file, which is read again from its start if it shrinks)
 * until *stop is set, a FIFO's writer closes it, the reader of watch_fd
 * goes away, or fn or idle returns nonzero. idle is called once after each
 * quiet spell of idle_ms (to emit what waits for lines that did not come).
 * Returns 0, the nonzero value of fn or idle, or -errno.
 */
struct ii_follow {
	volatile sig_atomic_t *stop;
	int idle_ms;
	int (*idle)(void *ctx);
	int watch_fd;           /* stop when this (the output) reports an error or hang-up; -1: none */
};
int ii_logsrc_follow(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, const struct ii_follow *f);

/*
 * The wall-clock time of boot in microseconds since 1970, to turn log times
 * into dates: IOMMU_INSPECT_TEST_BOOTTIME (seconds, for tests), else the
 * boot time in the inspected system's proc/stat (s loaded with
 * II_LOAD_SYSINFO) when the log is that system's own, live or recorded, so
 * that a replay dates faults as the live run did. false when unknown.
 */
struct ii_system;
bool ii_log_boottime(const struct ii_logsrc *ls, const struct ii_system *s, int64_t *usec);

#endif
