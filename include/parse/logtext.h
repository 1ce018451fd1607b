/* SPDX-License-Identifier: MIT */
/*
 * Kernel log text as people paste it (src/parse/parse-logtext.c): the
 * output of dmesg (with or without timestamps, -T, -r, -x, -d, --time-format
 * iso and reltime), journalctl -k (short, short-precise, short-iso,
 * short-full, short-monotonic, with or without the host), syslog files (with
 * the kernel's own time after "kernel:", or what is left of it), kernels
 * with CONFIG_PRINTK_CALLER or a vendor's caller prefix, logs read out of a
 * ramdump, and the way pastes change them (indentation, Markdown backticks,
 * records joined into one line). One line in; its time, priority and where
 * the kernel's message starts and ends out. Pure.
 */
#ifndef II_LOGTEXT_H
#define II_LOGTEXT_H

#include "ii.h"

/* A wall-clock time as a log line gives it. */
struct ii_walltime {
	bool valid;
	int year;          /* 0: not given (syslog "Nov 22 04:41:09") */
	int mon, mday;     /* 1-12, 1-31 */
	int hour, min, sec;
	long usec;         /* -1: not given */
	bool has_tz;
	int tz_min;        /* offset east of UTC, in minutes */
};

struct ii_textline {
	int prio;          /* the level (0-7) when the line gives it, else -1 */
	bool has_usec;
	uint64_t usec;     /* "[   12.345678]": time since boot */
	struct ii_walltime wall;
	bool kernel;       /* false: another program's syslog line, or a journal marker ("-- Boot") */
	bool indented;     /* no time and leading white space: it continues the previous line */
	bool syslog;       /* a syslog daemon wrote it: "#012" stands for a newline (rsyslog) */
	size_t msg;        /* offset of the kernel's message in the line */
	size_t msg_end;    /* offset of its end (a backtick or CR that closes the line left out) */
	size_t next;       /* 0, or the offset of another record that a paste joined to this
			      line ("...  [   16.363414] next"): parse it again from there */
};

void ii_parse_textline(const char *line, size_t len, struct ii_textline *out);

/* "2026-11-22T04:41:09.423946+01:00", "2026-11-22T04:41:09" or "Nov 22 04:41:09". */
void ii_walltime_format(const struct ii_walltime *w, char *buf, size_t size);

#endif
