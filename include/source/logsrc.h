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

#include "logtext.h"
#include "parse.h"
#include "root.h"

enum ii_log_format {
	II_LOG_KMSG, /* /dev/kmsg records */
	II_LOG_TEXT, /* dmesg, journalctl or syslog text */
	II_LOG_JOURNAL, /* the systemd journal (include/source/journal.h) */
};

/* One record (kmsg) or line (text). Pointers are valid during the callback only. */
struct ii_logrec {
	int prio;               /* kmsg: (facility << 3) | level; text: the level, or -1 */
	bool has_seq, has_usec;
	uint64_t seq, usec;
	uint64_t lineno;        /* text: the line number (1-based); kmsg: 0 */
	bool kernel;            /* false: a message from user space, or not a message */
	bool indented;          /* text: no time of its own, continues the previous line */
	bool one_line;          /* text: the message holds no newline (no rsyslog #012 made one) */
	struct ii_walltime wall; /* text: the wall-clock time the line gives */
	const char *text;       /* the message, NUL-terminated */
	size_t len;
	const struct ii_kmsg *kmsg; /* kmsg: the whole record (text, dictionary) */
	bool has_realtime;      /* journal: when the entry was written (__REALTIME_TIMESTAMP) */
	uint64_t realtime;      /* us since 1970 */
	const char *device;     /* journal: the record's device (_KERNEL_DEVICE), or NULL */
	const unsigned char *pre; /* what ii_logsrc.pre gave for text and len, or NULL: not done */
};

/*
 * A line of text as the bulk reader keeps it in a batch: what its ii_logrec
 * is made from (ii_logrec_from_textslot), in a third of the room, so that
 * the thread that reads the batch, on another core, has fewer cache lines
 * to fetch. Six 8-byte words, each written whole and around the cache
 * (include/core/ntstore.h); the small fields are packed into three of them:
 *   meta:      len (bits 0-31), prio (32-39, as int8_t), flags (40-47, II_TS_*)
 *   wall_date: year (0-15), month (16-23), day (24-31), hour (32-39),
 *              minute (40-47), second (48-55)
 *   wall_frac: microseconds (0-31, as int32_t: -1 not given), the zone's
 *              offset in minutes (32-47, as int16_t)
 */
struct ii_textslot {
	uint64_t text;          /* the NUL-terminated message, as uintptr_t */
	uint64_t usec, lineno;
	uint64_t meta, wall_date, wall_frac;
};
/* A slot's message, its length and its II_TS_* flags, as the words above hold them. */
static inline const char *ii_textslot_text(const struct ii_textslot *t)
{
	return (const char *)(uintptr_t)t->text;
}
static inline uint32_t ii_textslot_len(const struct ii_textslot *t)
{
	return (uint32_t)t->meta;
}
static inline unsigned ii_textslot_flags(const struct ii_textslot *t)
{
	return (unsigned)(t->meta >> 40) & 0xff;
}
enum {
	II_TS_USEC = 1 << 0,    /* has_usec */
	II_TS_KERNEL = 1 << 1,
	II_TS_INDENTED = 1 << 2,
	II_TS_WALL = 1 << 3,    /* wall.valid */
	II_TS_TZ = 1 << 4,      /* wall.has_tz */
	II_TS_ONE_LINE = 1 << 5, /* one_line */
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
	struct ii_kmsg *kslot;  /* where the next kmsg record is stored (the bulk reader's), and the
				   callback gets NULL for it; NULL: anywhere, and the callback its record */
	struct ii_textslot *tslot; /* the same for a line of text */
	/*
	 * Optional work on a kernel line of text (one_line, not empty) that
	 * ii_logsrc_read_all()'s reader may do ahead while it has nothing to
	 * read, on its thread: pure (it reads only text[0..len) and writes only
	 * out, at most pre_max bytes; returns the bytes written). Its result
	 * comes in ii_logrec.pre; a record may come without it (NULL).
	 */
	size_t (*pre)(const char *text, size_t len, unsigned char *out);
	size_t pre_max;
	bool skip;              /* the rest of a record or line that was cut is being passed over */
	uint64_t offset;        /* bytes read from the file (since it was last read from its start) */
	uint64_t bytes;         /* bytes read in all */
	uint64_t lineno;
	uint64_t records;       /* records handed out */
	uint64_t bad;           /* kmsg lines that are not records */
	uint64_t overlong;      /* records or lines cut at II_LOG_LINE_MAX */
	uint64_t cut_offset;    /* the byte offset of the first one cut */
	uint64_t cut_lineno;    /* text: its line number */
	uint64_t overruns;      /* EPIPE: the kernel overwrote records before they were read */
	uint64_t truncations;   /* followed: the file shrank or was rewritten, and was read again */
	/* polling (ii_logsrc_poll) */
	bool polling;           /* a FIFO was made non-blocking */
	bool idle_done;         /* the quiet spell since the last data was handled */
	int64_t last_data_ms;   /* when data last came (CLOCK_MONOTONIC) */
	unsigned char tail[32]; /* the last bytes read, to tell a rewritten file from a grown one */
	size_t tail_len;
};

/* The longest record or line handed out; the rest of a longer one is passed over. */
#define II_LOG_LINE_MAX (1 << 20)

/* The root's dev/kmsg. nonblock: the live device returns what it has, then EAGAIN. */
int ii_logsrc_open_root(struct ii_logsrc *ls, struct ii_root *r);
/* A file named by the user ("-": standard input); stop: as ii_stream_open_path's. */
int ii_logsrc_open_file(struct ii_logsrc *ls, const char *path, enum ii_log_format fmt,
			volatile sig_atomic_t *stop);
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
/* Bytes read and held back: the start of a record whose end has not come yet. */
size_t ii_logsrc_pending(const struct ii_logsrc *ls);
/*
 * For the bulk reader: read a chunk into ls->in (bytes read, 0 at the end,
 * -errno); hand out the whole records in it (all that is left when end is set).
 */
ssize_t ii_logsrc_fill(struct ii_logsrc *ls);
int ii_logsrc_take(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, bool end);
/* The ii_logrec of a kmsg record (r->kmsg is m). */
void ii_logrec_from_kmsg(struct ii_logrec *r, const struct ii_kmsg *m);
/* The ii_logrec of a line of text the bulk reader kept. */
void ii_logrec_from_textslot(struct ii_logrec *r, const struct ii_textslot *t);

/*
 * Following the log (src/source-follow.c), one look at a time, never waiting:
 *
 *  - ii_logsrc_rewound(): a regular file that is shorter than what was read
 *    (truncated), or whose last bytes read are no longer what they were
 *    (truncated and written again between two looks), is read again from its
 *    start, as `tail -F` does: II_REWOUND_SHRANK or II_REWOUND_REWRITTEN, 0
 *    when it only grew, or -errno. The caller emits what waited for lines
 *    of the old content before it takes the new.
 *  - ii_logsrc_poll(): hand out what can be read now (at most a few MiB, so
 *    that a writer faster than the reader cannot hold the caller), and once
 *    the writer has been quiet for idle_ms, the record it left at the end
 *    when that ends in a newline. Returns II_POLL_* flags (II_POLL_STOP: the
 *    callback returned nonzero, and reading stopped there), or -errno.
 *  - ii_logsrc_wait(): sleep until there may be more: poll() on the device
 *    or a FIFO, a short sleep on a regular file; a signal ends it early.
 *    -EPIPE when watch_fd (the output; -1: none) reports an error or hang-up.
 */
enum {
	II_REWOUND_SHRANK = 1,
	II_REWOUND_REWRITTEN = 2,
};
int ii_logsrc_rewound(struct ii_logsrc *ls);

enum {
	II_POLL_DATA = 1 << 0,  /* bytes came */
	II_POLL_MORE = 1 << 1,  /* there is more to read now: poll again without waiting */
	II_POLL_QUIET = 1 << 2, /* the writer went quiet: what waits for a next line will not come soon */
	II_POLL_END = 1 << 3,   /* a FIFO's writer closed it: nothing more will come */
	II_POLL_STOP = 1 << 4,  /* the callback returned nonzero */
};
int ii_logsrc_poll(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, int idle_ms);
/* How long ago data last came (milliseconds), once polling has started. */
int64_t ii_logsrc_quiet_ms(const struct ii_logsrc *ls);
int ii_logsrc_wait(struct ii_logsrc *ls, int idle_ms, int watch_fd);
/* The end of following: hand out everything held back. */
int ii_logsrc_take_rest(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx);

#endif
