// SPDX-License-Identifier: MIT
/*
 * The prefixes that dmesg, journalctl and syslog put before a kernel message:
 *
 *   [    9.423946] msg                               dmesg
 *   [Sat Nov 22 04:41:09 2026] msg                    dmesg -T (--time-format ctime)
 *   [    9.423946 <    0.000297>] msg                dmesg -d
 *   [Nov22 04:41] msg, [  +0.000297] msg             dmesg -e (--time-format reltime)
 *   2026-11-22T04:41:09,423946+00:00 msg             dmesg --time-format iso
 *   <3>[    9.423946] msg                            dmesg -r
 *   kern  :err   : [    9.423946] msg               dmesg -x
 *   Nov 22 04:41:09 host kernel: msg                 journalctl -k, syslog (maybe with
 *   Nov 22 04:41:09.423946 host kernel: msg          [    9.423946] after "kernel: ")
 *   2026-11-22T04:41:09+0000 host kernel: msg        journalctl -o short-iso[-precise], rsyslog
 *   Sat 2026-11-22 04:41:09 UTC host kernel: msg     journalctl -o short-full
 *   [    9.423946] host kernel: msg                  journalctl -o short-monotonic
 *   msg                                              dmesg -t
 *
 * A bracket that is not a time ("[drm] ...") is part of the message.
 */
#include <stdio.h>
#include <string.h>

#include "logtext.h"

struct cur {
	const char *p, *end;
};

static bool lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

static bool isdig(char ch)
{
	return ch >= '0' && ch <= '9';
}

static void skip_sp(struct cur *c)
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

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const wdays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static int month(struct cur *c)
{
	for (int i = 0; i < 12; i++)
		if (lit(c, months[i]))
			return i + 1;
	return 0;
}

static bool weekday(struct cur *c)
{
	for (int i = 0; i < 7; i++)
		if (lit(c, wdays[i]))
			return true;
	return false;
}

/* "04:41:09" and an optional fraction after sep ('.' or ','). */
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

/* The contents of a leading "[...]" if it is a time: dmesg, -T, -d, reltime. */
static bool bracket_time(struct cur *c, struct ii_textline *out)
{
	struct cur s = *c;
	struct ii_walltime w = { 0 };

	if (!lit(&s, "["))
		return false;
	skip_sp(&s);
	if (s.p < s.end && isdig(*s.p)) {
		/* "    9.423946" and maybe " <    0.000297>" */
		long us;
		uint64_t secs = 0;
		int n = 0;

		while (s.p < s.end && isdig(*s.p) && n < 12) {
			secs = secs * 10 + (uint64_t)(*s.p++ - '0');
			n++;
		}
		if (!lit(&s, ".") || (us = digits(&s, 6, 6)) < 0)
			return false;
		skip_sp(&s);
		if (lit(&s, "<")) {
			while (s.p < s.end && *s.p != '>' && *s.p != ']')
				s.p++;
			if (!lit(&s, ">"))
				return false;
		}
		if (!lit(&s, "]"))
			return false;
		out->has_usec = true;
		out->usec = secs * 1000000 + (uint64_t)us;
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
	lit(&s, " ");
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

/*
 * "host tag: " after a syslog or journal time. Sets kernel when the tag is
 * the kernel's; returns false when there is no such pair.
 */
static bool host_tag(struct cur *c, struct ii_textline *out)
{
	struct cur s = *c;
	const char *tag;

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

void ii_parse_textline(const char *line, size_t len, struct ii_textline *out)
{
	struct cur c = { line, line + len }, s;
	bool syslog = false;

	memset(out, 0, sizeof(*out));
	out->prio = -1;
	out->kernel = true;
	out->wall.usec = -1;
	if (!line)
		return;
	while (c.end > c.p && (c.end[-1] == '\r' || c.end[-1] == '\n'))
		c.end--;
	if (lit(&c, "-- ")) {
		/* journalctl: "-- Boot 1234... --", "-- Logs begin at ...", "-- No entries --" */
		out->kernel = false;
		out->msg = len;
		return;
	}
	raw_prio(&c, out);
	decoded_prio(&c, out);

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
	} else if ((s = c, iso_time(&s, &out->wall, false))) {
		/* dmesg --time-format iso uses a comma and no host; syslog a point or nothing */
		syslog = !memchr(c.p, ',', (size_t)(s.p - c.p));
	} else {
		memset(&out->wall, 0, sizeof(out->wall));
		out->wall.usec = -1;
	}
	if (out->wall.valid) {
		c = s;
		lit(&c, " ");
		if (syslog && host_tag(&c, out))
			out->syslog = true;
		else
			out->kernel = true;
	}
	/* rsyslog keeps the kernel's own "[    9.423946]" after "kernel: " */
	if (bracket_time(&c, out)) {
		/* journalctl -o short-monotonic: "[    9.423946] host kernel: " */
		s = c;
		if (host_tag(&s, out) && out->kernel)
			c = s;
		else
			out->kernel = true;
	}
	if (!out->has_usec && !out->wall.valid && c.p < c.end && (*c.p == ' ' || *c.p == '\t')) {
		out->indented = true;
		while (c.p < c.end && (*c.p == ' ' || *c.p == '\t'))
			c.p++;
	}
	out->msg = (size_t)(c.p - line);
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
		n = snprintf(buf, size, "%s %2d %02d:%02d:%02d", months[(w->mon - 1) % 12], w->mday,
			     w->hour, w->min, w->sec);
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
