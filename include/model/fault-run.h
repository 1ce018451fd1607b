/* SPDX-License-Identifier: MIT */
/*
 * A fault run (src/model/model-fault-run.c): one kernel log, from the root's
 * dev/kmsg or a file the user names, read once or followed; its faults
 * decoded (the assembler of include/parse/fault.h), joined with the model
 * (device, group, driver, and what debugfs says of the address), filtered,
 * counted and summed up; what the ratelimit kept checked against the fault
 * interrupts of proc/interrupts. One object for every reader of faults:
 *
 *  - `faults` (list, summary, check): ii_frun_open, ii_frun_read_all,
 *    ii_frun_finish; the summary, the log, the interrupts and the verdict
 *    (ii_frun_check) are then fields to print;
 *  - `faults --follow`: ii_frun_follow, which is ii_frun_poll and
 *    ii_frun_wait in a loop until a stop flag is set;
 *  - a live view: ii_frun_poll, now and then, takes what is new since the
 *    last call without waiting; the counters (ii_frun_counts) only grow, so
 *    the difference of two samples is what came in between; with
 *    opt.summary, the summary's rows grow as faults come (in the order they
 *    came: ii_fsum_sort ends the summary, so a view sorts a copy);
 *  - `status`: ii_frun_load_facts reads the root's log once for its boot facts;
 *  - `faults --boot`: the same as `faults`, the log being the kernel's entries
 *    of one boot of a journal (include/source/journal.h), which the caller
 *    opened and chose the boot of (include/model/jrun.h); not followed.
 *
 * What it decodes goes to the caller's sink as it comes: the faults that pass
 * the filters (attributed, with their wall-clock time), what the log says was
 * not printed, and lines that look like faults but do not parse. Warnings
 * (lines that are not records, records cut, a followed file rewritten) go to
 * the sink and into the system's diags. It never prints.
 */
#ifndef II_FAULT_RUN_H
#define II_FAULT_RUN_H

#include <signal.h>

#include "faults.h"
#include "logsrc.h"

struct ii_journal;

struct ii_frun_opts {
	const char *file;          /* a log file the user names ("-": standard input); NULL: the
				      root's dev/kmsg */
	struct ii_journal *journal; /* else the kernel's entries of this journal (the caller's) */
	const char *journal_boot;  /* of this boot (include/model/jrun.h chooses it) */
	enum ii_log_format fmt;    /* the file's */
	struct ii_fault_filter filter;
	bool attribute;            /* join faults with the system's devices: the log is its own */
	bool summary;              /* sum the faults up (ii_frun.sum) */
	bool messages;             /* the sink reads the text of faults and drops: it is copied */
	size_t keep;               /* keep the first N drops and unparsed lines (for a document) */
	bool keep_last;            /* keep the last fault that passes the filters (ii_frun.last) */
	int idle_ms;               /* following: the writer quiet this long, and a fault that waits
				      for a next line is emitted as it is (0: 200 ms) */
	bool facts;                /* feed the boot facts of kmsg records into sys->log */
	bool no_faults;            /* only that: no fault is decoded */
	volatile sig_atomic_t *stop_wait; /* set by SIGINT/SIGTERM: ends the wait for a FIFO's
					     writer (ii_frun_open returns -EINTR); may be NULL */
};

/* Where decoded items go; any may be NULL. Pointers are valid during the call only. */
struct ii_frun_sink {
	void (*fault)(void *ctx, const struct ii_fault *f);
	void (*drop)(void *ctx, const struct ii_fault_drop *d);
	void (*unparsed)(void *ctx, const struct ii_logpos *pos, const char *line);
	void (*warning)(void *ctx, const char *msg);
	void *ctx;
};

/* Counts that only grow while the run lasts. */
struct ii_frun_counts {
	uint64_t bytes;            /* read from the log (since it was last read again from its start) */
	uint64_t records;          /* records (text: lines) read, the kernel's and programs' */
	uint64_t faults;           /* faults decoded, before the filters */
	uint64_t selected;         /* faults that pass the filters */
	uint64_t drops;            /* reports of faults not printed that pass the filters */
	uint64_t not_printed;      /* the faults they stand for, at least */
	uint64_t unparsed;         /* lines like faults that do not parse, passing the filters */
	uint64_t lost_records;     /* records the log lost: sequence gaps, device overruns */
	uint64_t bad;              /* lines that are not records */
	uint64_t cut;              /* records or lines cut at II_LOG_LINE_MAX */
	uint64_t rewinds;          /* a followed file was read again from its start */
};

/* What was read (the JSON "log" object). */
struct ii_fault_log {
	const char *path;
	enum ii_log_format format;
	uint64_t records, bad, overlong, overruns;
	bool has_first_seq;
	uint64_t first_seq;
};
const char *ii_log_format_key(enum ii_log_format f); /* "kmsg", "text" */

/* The IOMMUs' fault interrupts of proc/interrupts against the faults the log printed. */
struct ii_fault_irqs {
	bool known;                /* the machine's own log, and its fault interrupts were read */
	unsigned long long count;  /* interrupts on the IOMMUs' fault lines */
	uint64_t printed;          /* faults of every device the log printed */
	bool log_complete;         /* the log still holds its first record */
	bool has_estimate;         /* log_complete: then the difference means something */
	uint64_t not_printed;      /* interrupts beyond the faults printed, at least (or 0) */
};

/* --check: the faults against the most allowed. */
struct ii_fault_check {
	bool ok;
	uint64_t faults;           /* faults and unparsed lines that pass the filters */
	uint64_t max;
	size_t devices;            /* requesters among them */
	uint64_t not_printed;      /* faults the log says were not printed, at least */
	const struct ii_fault *last; /* the last fault that passed, or NULL */
};

struct ii_fault_kept {
	struct ii_logpos pos;
	char line[II_FAULT_MSG_MAX];
};

struct ii_frun {
	struct ii_frun_opts opt;
	struct ii_system *sys;
	struct ii_frun_sink sink;
	struct ii_logsrc ls;       /* unused when the log is a journal (opt.journal) */
	int err;                   /* 0, or -errno opening or reading the log */
	struct ii_fasm fasm;
	struct ii_fsum sum;        /* opt.summary */
	struct ii_frun_counts n;   /* the item counts (ii_frun_counts adds the source's) */
	bool has_boot;             /* the wall-clock time of boot is known: dates for log times */
	int64_t boot_usec;
	/* kept (opt.keep, opt.keep_last) */
	struct ii_fault_kept *unparsed;
	size_t nunparsed, capunparsed;
	struct ii_fault_drop *drops;
	size_t ndrops, capdrops;
	bool has_last;
	struct ii_fault last;
	/* set by ii_frun_finish */
	struct ii_fault_log log;
	struct ii_fault_irqs irq;
	/*
	 * Following: when *reopen is set (by the caller's SIGHUP handler), the log is
	 * opened again (a rotated file, a new /dev/kmsg descriptor) and read on after
	 * the last record taken: by sequence number (kmsg), or for log text by line
	 * number when it is the same file; a file with a new inode is read whole.
	 */
	volatile sig_atomic_t *reopen;
	/* private */
	struct ii_logpos prev;     /* text: the time of the line an indented line continues */
	bool has_prev;
	volatile sig_atomic_t *stop;
	bool stopped;
	bool has_seen_seq;         /* the last record taken: its sequence number, its line */
	uint64_t seen_seq, seen_line;
	bool skipping;             /* reopened: records up to these were taken already */
	bool skip_by_seq;
	uint64_t skip_seq, skip_line;
	struct ii_frun_counts base; /* the counts of the sources closed by reopening */
	uint64_t reread;           /* records read again after reopening, and passed over */
};

/*
 * Open the log and get ready. sys is the system the faults are joined with
 * (loaded by the caller when opt->attribute; its diags get the warnings).
 * Returns 0 or -errno (also in r->err; -EINTR: a signal came while a FIFO
 * waited for its writer); ii_frun_close is needed either way.
 */
int ii_frun_open(struct ii_frun *r, struct ii_system *sys, const struct ii_frun_opts *opt,
		 const struct ii_frun_sink *sink);
/* Why the log cannot be read, with what to do about it: "cannot read ...". Owned by the caller. */
char *ii_frun_error(const struct ii_frun *r);
/* Read to the end (a second thread cuts a large file into records) and emit what waits. */
int ii_frun_read_all(struct ii_frun *r);

/*
 * Take what is new since the last call, without waiting: a followed file
 * that was truncated or rewritten is read again from its start (with a
 * warning); once the writer has been quiet for opt.idle_ms, a fault that
 * waits for a next line is emitted as it is, unless the start of a record
 * is still waiting for its end. Returns II_POLL_* flags (include/logsrc.h:
 * II_POLL_END when a FIFO's writer closed it, II_POLL_MORE when there is
 * more to read now) or -errno.
 */
int ii_frun_poll(struct ii_frun *r);
/*
 * Records that come from elsewhere than the run's log, as if read from it: a
 * replayed activity recording's kernel log records, which go on from where
 * the recorded tree's dev/kmsg ends. Works whether or not the log opened;
 * what waits for a next line is then treated as after a quiet poll.
 */
void ii_frun_feed_kmsg(struct ii_frun *r, const struct ii_kmsg *m, size_t n);
/* Wait until the log may have more (at most half a second): 0, or -EPIPE when watch_fd, the
 * output (-1: none), reports an error or hang-up. */
int ii_frun_wait(struct ii_frun *r, int watch_fd);
/*
 * Follow the log: poll and wait until *stop is set, a FIFO's writer closes
 * it, watch_fd hangs up or a sink calls ii_frun_stop; then what was held back
 * is taken and emitted. Returns 0 or -errno.
 */
int ii_frun_follow(struct ii_frun *r, volatile sig_atomic_t *stop, int watch_fd);
/* From a sink: stop reading now (the output failed); nothing more is emitted. */
void ii_frun_stop(struct ii_frun *r);
/* The counts so far. */
void ii_frun_counts(const struct ii_frun *r, struct ii_frun_counts *out);

/* Warn (once per run, with counts) about what could not be read: lines that are not records,
 * records cut. */
void ii_frun_log_warnings(struct ii_frun *r);
/* After ii_frun_read_all: the summary finished and sorted, the log, the interrupts. */
void ii_frun_finish(struct ii_frun *r);
/* The --check verdict (after ii_frun_finish). */
void ii_frun_check(const struct ii_frun *r, uint64_t max, struct ii_fault_check *out);
void ii_frun_close(struct ii_frun *r);

/*
 * The boot facts of the root's kernel log (s->log, s->log_err), for `status`
 * and the commands that load II_LOAD_LOG: the same reading, without faults.
 */
void ii_frun_load_facts(struct ii_system *s);

#endif
