// SPDX-License-Identifier: MIT
/*
 * The prefixes that dmesg, journalctl, syslog and pastes put before a kernel
 * message:
 *
 *   [    9.423946] msg                               dmesg
 *   [Sat Nov 22 04:41:09 2026] msg                    dmesg -T (--time-format ctime)
 *   [    9.423946 <    0.000297>] msg                dmesg -d
 *   [Nov22 04:41] msg, [  +0.000297] msg             dmesg -e (--time-format reltime)
 *   2026-11-22T04:41:09,423946+00:00 msg             dmesg --time-format iso
 *   <3>[    9.423946] msg                            dmesg -r, console logs, last_kmsg
 *   kern  :err   : [    9.423946] msg               dmesg -x
 *   [    9.423946][    C0] msg, [ 9.4][  T207] msg   CONFIG_PRINTK_CALLER
 *   [    7.471032] [pid:134,cpu0,irq/13-smmu]msg     a vendor kernel's caller prefix
 *   [    0.418959,2] msg                             a vendor kernel's CPU after the time
 *   Nov 22 04:41:09 host kernel: msg                 journalctl -k, syslog (maybe with
 *   Nov 22 04:41:09.423946 host kernel: msg          [    9.423946] after "kernel: ", or
 *   2026-11-22T04:41:09+0000 host kernel: msg        "   9.423946] " when a syslog lost
 *   Sat 2026-11-22 04:41:09 UTC host kernel: msg     the "["; the host may be removed)
 *   [    9.423946] host kernel: msg                  journalctl -o short-monotonic
 *   [    9.423946] kernel: msg, kernel: [ 9.4] msg   the same without the host or time
 *   0x000000000277BBFA |   1263.468579:   msg        a log read out of a ramdump
 *   msg                                              dmesg -t
 *
 * A paste may indent the lines, put them between Markdown backticks, or join
 * records into one line ("msg     [   16.363414] msg"): the indentation and
 * backticks are passed over, and a record joined after white space is
 * reported (next) for the caller to parse again from there. A bracket that is
 * not a time ("[drm] ...") is part of the message.
 *
 * The common lines are decided by their first byte; no step copies or
 * measures a string (this runs on every line of a log).
 */
#include <stdio.h>
#include <string.h>

#include "bytescan.h"
#include "logtext.h"

struct cur {
	const char *p, *end;
};

/* Inlined, so that strlen() of a literal is a constant. */
#define ii_inline static inline __attribute__((always_inline))

ii_inline bool lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

ii_inline bool isdig(char ch)
{
	return ch >= '0' && ch <= '9';
}

ii_inline void skip_sp(struct cur *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

/* n to max digits; returns the value or -1. */
static long digits(struct cur *c, int min, int max)
{
	long v = 0;
	int n = 0;

	while (c->p < c->end && isdig(*c->p) && n < max) {
		v = v * 10 + (*c->p++ - '0');
		n++;
	}
	return n >= min ? v : -1;
}

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
static const char wdays[] = "MonTueWedThuFriSatSun";

/* A three-letter name of the table at the cursor: its index + 1, or 0. */
static int name3(struct cur *c, const char *table, int n)
{
	if (c->end - c->p < 3)
		return 0;
	for (int i = 0; i < n; i++) {
		if (c->p[0] == table[3 * i] && c->p[1] == table[3 * i + 1] &&
		    c->p[2] == table[3 * i + 2]) {
			c->p += 3;
			return i + 1;
		}
	}
	return 0;
}

static int month(struct cur *c)
{
	return name3(c, months, 12);
}

static bool weekday(struct cur *c)
{
	return name3(c, wdays, 7) != 0;
}

/* "04:41:09" and an optional fraction after '.' or ','. */
static bool clock_time(struct cur *c, struct ii_walltime *w, bool frac)
{
	long h = digits(c, 2, 2), m, s;

	if (h < 0 || !lit(c, ":") || (m = digits(c, 2, 2)) < 0 || !lit(c, ":") ||
	    (s = digits(c, 2, 2)) < 0 || h > 23 || m > 59 || s > 60)
		return false;
	w->hour = (int)h;
	w->min = (int)m;
	w->sec = (int)s;
	w->usec = -1;
	if (frac && c->p < c->end && (*c->p == '.' || *c->p == ',') && c->p + 1 < c->end &&
	    isdig(c->p[1])) {
		long us = 0;
		int n = 0;

		c->p++;
		while (c->p < c->end && isdig(*c->p)) {
			if (n < 6) {
				us = us * 10 + (*c->p - '0');
				n++;
			}
			c->p++;
		}
		while (n++ < 6)
			us *= 10;
		w->usec = us;
	}
	return true;
}

/* "Z", "+00:00", "+0000", "-0530" */
static void tz_offset(struct cur *c, struct ii_walltime *w)
{
	struct cur s = *c;
	long h, m;
	int sign;

	if (lit(c, "Z")) {
		w->has_tz = true;
		w->tz_min = 0;
		return;
	}
	if (s.p >= s.end || (*s.p != '+' && *s.p != '-'))
		return;
	sign = *s.p++ == '-' ? -1 : 1;
	if ((h = digits(&s, 2, 2)) < 0)
		return;
	lit(&s, ":");
	if ((m = digits(&s, 2, 2)) < 0)
		return;
	w->has_tz = true;
	w->tz_min = sign * (int)(h * 60 + m);
	*c = s;
}

/* "2026-11-22T04:41:09[.frac][tz]" or, with space, "2026-11-22 04:41:09". */
static bool iso_time(struct cur *c, struct ii_walltime *w, bool space)
{
	struct cur s = *c;
	long y = digits(&s, 4, 4), mo, d;

	if (y < 0 || !lit(&s, "-") || (mo = digits(&s, 2, 2)) < 1 || mo > 12 || !lit(&s, "-") ||
	    (d = digits(&s, 2, 2)) < 1 || d > 31 || !lit(&s, space ? " " : "T") ||
	    !clock_time(&s, w, true))
		return false;
	w->year = (int)y;
	w->mon = (int)mo;
	w->mday = (int)d;
	w->valid = true;
	tz_offset(&s, w);
	*c = s;
	return true;
}

/* "Nov 22 04:41:09[.frac]" (syslog, journal). */
static bool syslog_time(struct cur *c, struct ii_walltime *w)
{
	struct cur s = *c;
	int mo = month(&s);
	long d;

	if (!mo || !lit(&s, " "))
		return false;
	skip_sp(&s);
	if ((d = digits(&s, 1, 2)) < 1 || d > 31 || !lit(&s, " ") || !clock_time(&s, w, true))
		return false;
	w->year = 0;
	w->mon = mo;
	w->mday = (int)d;
	w->valid = true;
	*c = s;
	return true;
}

/*
 * "    9.423946" up to and with the closing bracket: seconds since boot
 * and exactly six digits of fraction, then maybe a vendor's ",<cpu>" or
 * dmesg -d's " <    0.000297>". The cursor is after the "[".
 */
static bool mono_time(struct cur *c, uint64_t *usec)
{
	struct cur s = *c;
	uint64_t secs = 0;
	long us;
	int n = 0;

	skip_sp(&s);
	while (s.p < s.end && isdig(*s.p) && n < 12) {
		secs = secs * 10 + (uint64_t)(*s.p++ - '0');
		n++;
	}
	if (!n || !lit(&s, ".") || (us = digits(&s, 6, 6)) < 0)
		return false;
	if (lit(&s, ",")) {
		if (digits(&s, 1, 4) < 0)
			return false;
	}
	skip_sp(&s);
	if (lit(&s, "<")) {
		while (s.p < s.end && *s.p != '>' && *s.p != ']')
			s.p++;
		if (!lit(&s, ">"))
			return false;
	}
	if (!lit(&s, "]"))
		return false;
	*usec = secs * 1000000 + (uint64_t)us;
	*c = s;
	return true;
}

/* The contents of a leading "[...]" if it is a time: dmesg, -T, -d, reltime. */
static bool bracket_time(struct cur *c, struct ii_textline *out)
{
	struct cur s = *c;
	struct ii_walltime w = { 0 };

	if (!lit(&s, "["))
		return false;
	skip_sp(&s);
	if (s.p < s.end && isdig(*s.p)) {
		if (!mono_time(&s, &out->usec))
			return false;
		out->has_usec = true;
	} else if (lit(&s, "+")) {
		/* reltime delta: no absolute time */
		while (s.p < s.end && (isdig(*s.p) || *s.p == '.'))
			s.p++;
		if (!lit(&s, "]"))
			return false;
	} else if (weekday(&s)) {
		/* "Sat Nov 22 04:41:09 2026" */
		int mo;
		long d, y;

		if (!lit(&s, " ") || !(mo = month(&s)) || !lit(&s, " "))
			return false;
		skip_sp(&s);
		if ((d = digits(&s, 1, 2)) < 1 || d > 31 || !lit(&s, " ") || !clock_time(&s, &w, false) ||
		    !lit(&s, " ") || (y = digits(&s, 4, 4)) < 0 || !lit(&s, "]"))
			return false;
		w.year = (int)y;
		w.mon = mo;
		w.mday = (int)d;
		w.valid = true;
		out->wall = w;
	} else {
		/* reltime "Nov22 04:41" */
		int mo = month(&s);
		long d, h, m;

		if (!mo || (d = digits(&s, 1, 2)) < 1 || !lit(&s, " ") || (h = digits(&s, 2, 2)) < 0 ||
		    !lit(&s, ":") || (m = digits(&s, 2, 2)) < 0 || !lit(&s, "]"))
			return false;
		w.mon = mo;
		w.mday = (int)d;
		w.hour = (int)h;
		w.min = (int)m;
		w.usec = -1;
		w.valid = d <= 31 && h <= 23 && m <= 59;
		out->wall = w;
	}
	*c = s;
	return true;
}

/*
 * Right after a dmesg time: CONFIG_PRINTK_CALLER's "[    C0]" or "[  T207]",
 * or a vendor's "[pid:134,cpu0,irq/13-arm-smmu]" (no space before the message).
 */
static bool caller(struct cur *c)
{
	struct cur s = *c;

	if (!lit(&s, "["))
		return false;
	if (lit(&s, "pid:")) {
		const char *stop = s.end - s.p > 96 ? s.p + 96 : s.end;

		while (s.p < stop && *s.p != ']' && *s.p != '[')
			s.p++;
		if (!lit(&s, "]"))
			return false;
	} else {
		skip_sp(&s);
		if (!lit(&s, "C") && !lit(&s, "T"))
			return false;
		if (digits(&s, 1, 7) < 0 || !lit(&s, "]"))
			return false;
	}
	*c = s;
	return true;
}

/* "<3>": the syslog priority of dmesg -r. */
static void raw_prio(struct cur *c, struct ii_textline *out)
{
	struct cur s = *c;
	long v;

	if (!lit(&s, "<") || (v = digits(&s, 1, 4)) < 0 || !lit(&s, ">"))
		return;
	out->prio = (int)(v & 7);
	*c = s;
}

/* dmesg -x: "kern  :err   : " */
static void decoded_prio(struct cur *c, struct ii_textline *out)
{
	static const char *const levels[] = { "emerg", "alert", "crit", "err",
					      "warn", "notice", "info", "debug" };
	struct cur s = *c;
	const char *lv;

	while (s.p < s.end && *s.p >= 'a' && *s.p <= 'z')
		s.p++;
	if (s.p == c->p || s.p - c->p > 8)
		return;
	skip_sp(&s);
	if (!lit(&s, ":"))
		return;
	lv = s.p;
	while (s.p < s.end && *s.p >= 'a' && *s.p <= 'z')
		s.p++;
	for (int i = 0; i < 8; i++) {
		if (strlen(levels[i]) == (size_t)(s.p - lv) && !memcmp(levels[i], lv, (size_t)(s.p - lv))) {
			skip_sp(&s);
			if (!lit(&s, ": "))
				return;
			out->prio = i;
			*c = s;
			return;
		}
	}
}

/* The kernel's syslog tag, "kernel:" or "kernel[0]:", and the space after it. */
static bool kernel_tag(struct cur *c)
{
	struct cur s = *c;

	if (!lit(&s, "kernel"))
		return false;
	if (lit(&s, "[")) {
		while (s.p < s.end && isdig(*s.p))
			s.p++;
		if (!lit(&s, "]"))
			return false;
	}
	if (!lit(&s, ":"))
		return false;
	lit(&s, " ");
	*c = s;
	return true;
}

/*
 * "host tag: " after a syslog or journal time, or only "kernel: " when the
 * reporter removed the host. Sets kernel when the tag is the kernel's;
 * returns false when there is no such pair.
 */
static bool host_tag(struct cur *c, struct ii_textline *out)
{
	struct cur s = *c;
	const char *tag;

	skip_sp(&s);
	if (kernel_tag(&s)) {
		out->kernel = true;
		*c = s;
		return true;
	}
	while (s.p < s.end && *s.p != ' ')
		s.p++;
	if (s.p == c->p || !lit(&s, " "))
		return false;
	tag = s.p;
	while (s.p < s.end && *s.p != ' ' && *s.p != ':' && *s.p != '[')
		s.p++;
	if (s.p == tag)
		return false;
	out->kernel = (size_t)(s.p - tag) == 6 && !memcmp(tag, "kernel", 6);
	if (lit(&s, "[")) {
		while (s.p < s.end && isdig(*s.p))
			s.p++;
		if (!lit(&s, "]"))
			return false;
	}
	if (!lit(&s, ":"))
		return false;
	lit(&s, " ");
	*c = s;
	return true;
}

/*
 * After "kernel: ": the kernel's own time that rsyslog keeps, "[    9.423946] ",
 * or what a syslog left of it without the "[": "    8.490167] ".
 */
static void kernel_time(struct cur *c, struct ii_textline *out)
{
	struct cur s = *c;

	if (bracket_time(c, out)) {
		caller(c);
		lit(c, " ");
		return;
	}
	skip_sp(&s);
	if (s.p < s.end && isdig(*s.p) && mono_time(&s, &out->usec)) {
		out->has_usec = true;
		lit(&s, " ");
		*c = s;
	}
}

/* After a dmesg time: journalctl -o short-monotonic's "host kernel: ", or only "kernel: ". */
static void monotonic_tag(struct cur *c, struct ii_textline *out)
{
	struct cur s = *c;
	const char *sp;

	if (s.p >= s.end)
		return;
	if (*s.p == 'k' && kernel_tag(&s)) {
		*c = s;
		return;
	}
	/* "host kernel:": cheap to rule out, since most lines are not */
	sp = memchr(s.p, ' ', (size_t)(s.end - s.p) < 256 ? (size_t)(s.end - s.p) : 256);
	if (!sp || sp == s.p || sp[-1] == ':' || s.end - sp < 8 || sp[1] != 'k')
		return;
	s.p = sp + 1;
	if (kernel_tag(&s)) {
		out->kernel = true;
		*c = s;
	}
}

/* A ramdump's "0x000000000277BBFA |   1263.468579:   ". */
static bool ramdump_prefix(struct cur *c, struct ii_textline *out)
{
	struct cur s = *c;
	uint64_t secs = 0;
	long us;
	int n = 0;

	if (!lit(&s, "0x"))
		return false;
	while (s.p < s.end && n < 16 && (isdig(*s.p) || (*s.p >= 'a' && *s.p <= 'f') ||
					 (*s.p >= 'A' && *s.p <= 'F'))) {
		s.p++;
		n++;
	}
	if (!n)
		return false;
	skip_sp(&s);
	if (!lit(&s, "|"))
		return false;
	skip_sp(&s);
	for (n = 0; s.p < s.end && isdig(*s.p) && n < 12; n++)
		secs = secs * 10 + (uint64_t)(*s.p++ - '0');
	if (!n || !lit(&s, ".") || (us = digits(&s, 6, 6)) < 0 || !lit(&s, ":"))
		return false;
	skip_sp(&s);
	out->has_usec = true;
	out->usec = secs * 1000000 + (uint64_t)us;
	*c = s;
	return true;
}

/* A "[" at p (not the message's first byte) that starts a joined record's time. */
static bool joined_at(const char *p, const char *end)
{
	struct cur s = { p + 1, end };
	uint64_t us;

	/* most brackets of a message are not times: "[DMA Read", "[fault reason" */
	return (p[-1] == ' ' || p[-1] == '\t') && end - p > 9 && (p[1] == ' ' || isdig(p[1])) &&
	       mono_time(&s, &us);
}

/*
 * A dmesg time after white space inside a message (from p on): records a
 * paste joined into one line. Returns where that record starts, or NULL.
 */
static const char *joined_record(const char *p, const char *end)
{
	while ((p = ii_find_byte(p, end, '[')) != NULL) {
		if (joined_at(p, end))
			return p;
		p++;
	}
	return NULL;
}

/*
 * p[0..7] are six digits, "]" and " ": the six digits' value, else -1. A
 * word at a time: each digit is a byte 0x30 to 0x39 (its high half 3, and
 * still 3 with 6 added), and the digits are summed in pairs, then the pairs.
 */
static long fraction6(const char *p)
{
	const uint64_t digits6 = 0x0000ffffffffffffull, high = 0x0000f0f0f0f0f0f0ull,
		       zeros = 0x0000303030303030ull;
	uint64_t x = ii_load_le64(p), d, pairs;

	if ((x & ~digits6) != ((uint64_t)' ' << 56 | (uint64_t)']' << 48) ||
	    (x & high) != zeros || (((x & digits6) + 0x0000060606060606ull) & high) != zeros)
		return -1;
	d = (x & digits6) - zeros;                     /* byte i: the value of p[i] */
	pairs = (d * 10 + (d >> 8)) & 0x000000ff00ff00ffull; /* bytes 0, 2, 4: p[0..1], [2..3], [4..5] */
	return (long)((pairs & 0xff) * 10000 + (pairs >> 16 & 0xff) * 100 + (pairs >> 32));
}

/*
 * The line of plain dmesg, most of most logs, in one pass: "[" spaces, 1 to
 * 12 digits, ".", 6 digits, "] ", then a message that does not start with a
 * caller's "[" or a "k" (a "kernel:" tag), and whose first word is not
 * followed by " k" (a host before "kernel:"). What the general path below
 * would find for such a line, field for field; any other line returns false
 * and is left to it (tests/unit/test-parse-logtext.c compares the two).
 * end is after the trailing CRs and newlines.
 */
static bool plain_dmesg(const char *line, const char *end, struct ii_textline *out)
{
	const char *p = line + 1, *msg, *w, *stop;
	uint64_t secs = 0;
	long us;

	while (p < end && *p == ' ')
		p++;
	/* 1 to 12 digits of seconds */
	stop = end - p > 12 ? p + 12 : end;
	for (w = p; p < stop && isdig(*p); p++)
		secs = secs * 10 + (uint64_t)(*p - '0');
	if (p == w || end - p < 10 || *p != '.' || (us = fraction6(p + 1)) < 0 || p[9] == '[' ||
	    p[9] == 'k')
		return false;
	msg = p + 9;
	/* monotonic_tag()'s test for "host kernel:", on the first word within 256 bytes */
	stop = end - msg < 256 ? end : msg + 256;
	w = ii_find_byte(msg, stop, ' ');
	if (w && w != msg && w[-1] != ':' && end - w >= 8 && w[1] == 'k')
		return false;
	out->has_usec = true;
	out->usec = secs * 1000000 + (uint64_t)us;
	out->msg = (size_t)(msg - line);
	if (end - msg > 1) {
		const char *j = joined_record(msg + 1, end);

		if (j) {
			out->next = (size_t)(j - line);
			end = j;
			while (end > msg && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
		}
	}
	while (end > msg && end[-1] == '`')
		end--;
	out->msg_end = (size_t)(end - line);
	return true;
}

void ii_parse_textline(const char *line, size_t len, struct ii_textline *out)
{
	struct cur c = { line, line + len }, s;
	bool syslog = false, lead = false, dmesg = false;

	memset(out, 0, sizeof(*out));
	out->prio = -1;
	out->kernel = true;
	out->wall.usec = -1;
	if (!line)
		return;
	while (c.end > c.p && (c.end[-1] == '\r' || c.end[-1] == '\n'))
		c.end--;
	if (c.p < c.end && *c.p == '[' && plain_dmesg(line, c.end, out))
		return;
	if (lit(&c, "-- ")) {
		/* journalctl: "-- Boot 1234... --", "-- Logs begin at ...", "-- No entries --" */
		out->kernel = false;
		out->msg = out->msg_end = len;
		return;
	}
	/* what a paste put first: indentation, a Markdown backtick */
	while (c.p < c.end && (*c.p == ' ' || *c.p == '\t')) {
		c.p++;
		lead = true;
	}
	while (c.p < c.end && *c.p == '`')
		c.p++;
	if (c.p < c.end && *c.p == '<')
		raw_prio(&c, out);
	if (c.p < c.end && *c.p >= 'a' && *c.p <= 'z' && *c.p != 'k')
		decoded_prio(&c, out);
	else if (c.p < c.end && *c.p == 'k') {
		decoded_prio(&c, out);
		/* "kernel: [   13.134460] msg": a syslog line whose time and host were removed */
		if (out->prio < 0 && kernel_tag(&c)) {
			syslog = true;
			kernel_time(&c, out);
		}
	}

	if (c.p >= c.end) {
		/* nothing */
	} else if (*c.p == '[') {
		/* dmesg: most lines of most logs */
		if (bracket_time(&c, out)) {
			dmesg = out->has_usec;
			caller(&c);
			lit(&c, " ");
			if (caller(&c)) /* "[    7.471032] [pid:134,cpu0,irq/13-arm-smmu]msg" */
				lit(&c, " ");
			monotonic_tag(&c, out);
		}
	} else if (*c.p >= 'A' && *c.p <= 'Z') {
		/* syslog and journal times, followed by "host tag: " */
		s = c;
		if (weekday(&s) && lit(&s, " ") && iso_time(&s, &out->wall, true)) {
			/* journalctl -o short-full: "Sat 2026-11-22 04:41:09 UTC host kernel: " */
			if (lit(&s, " ")) {
				while (s.p < s.end && *s.p >= 'A' && *s.p <= 'Z')
					s.p++;
			}
			syslog = true;
		} else if ((s = c, syslog_time(&s, &out->wall))) {
			syslog = true;
		} else {
			memset(&out->wall, 0, sizeof(out->wall));
			out->wall.usec = -1;
		}
		if (out->wall.valid)
			c = s;
	} else if (isdig(*c.p)) {
		s = c;
		if (c.end - c.p > 2 && c.p[1] == 'x' && ramdump_prefix(&c, out)) {
			/* done */
		} else if (iso_time(&s, &out->wall, false)) {
			/* dmesg --time-format iso uses a comma and no host; syslog a point or nothing */
			syslog = !memchr(c.p, ',', (size_t)(s.p - c.p));
			c = s;
		} else {
			memset(&out->wall, 0, sizeof(out->wall));
			out->wall.usec = -1;
		}
	}
	if (out->wall.valid) {
		lit(&c, " ");
		if (syslog && host_tag(&c, out)) {
			out->syslog = true;
			if (out->kernel)
				kernel_time(&c, out);
		} else {
			out->kernel = true;
			/* dmesg --time-format iso keeps nothing else; -T may have a caller */
			caller(&c);
			lit(&c, " ");
		}
	} else if (syslog) {
		out->syslog = true;
	}
	if (lead && !out->has_usec && !out->wall.valid && out->prio < 0 && !out->syslog)
		out->indented = true;
	/* the rest of the indentation of a continuation line */
	if (out->indented)
		while (c.p < c.end && (*c.p == ' ' || *c.p == '\t'))
			c.p++;
	out->msg = (size_t)(c.p - line);
	if (dmesg && c.end - c.p > 1) {
		const char *j = joined_record(c.p + 1, c.end);

		if (j) {
			out->next = (size_t)(j - line);
			c.end = j;
			while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t'))
				c.end--;
		}
	}
	while (c.end > c.p && c.end[-1] == '`')
		c.end--;
	out->msg_end = (size_t)(c.end - line);
}

void ii_walltime_format(const struct ii_walltime *w, char *buf, size_t size)
{
	int n;

	if (!size)
		return;
	buf[0] = '\0';
	if (!w->valid)
		return;
	if (!w->year) {
		int m = (w->mon - 1) % 12;

		n = snprintf(buf, size, "%.3s %2d %02d:%02d:%02d", months + 3 * (m < 0 ? 0 : m),
			     w->mday, w->hour, w->min, w->sec);
	} else {
		n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", w->year, w->mon, w->mday,
			     w->hour, w->min, w->sec);
	}
	if (n < 0 || (size_t)n >= size)
		return;
	if (w->usec >= 0)
		n += snprintf(buf + n, size - (size_t)n, ".%06ld", w->usec);
	if (w->has_tz && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "%c%02d:%02d", w->tz_min < 0 ? '-' : '+',
			 (w->tz_min < 0 ? -w->tz_min : w->tz_min) / 60,
			 (w->tz_min < 0 ? -w->tz_min : w->tz_min) % 60);
}
