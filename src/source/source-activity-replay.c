// SPDX-License-Identifier: MIT
/*
 * Replay of a recording (II_PATH_ACTIVITY, written by `snapshot --activity`):
 * read through the root layer a buffer at a time, never whole; each line
 * parsed by ii_act_parse_line (src/parse/parse-activity.c). The kernel log
 * records before a reading are handed out with it.
 *
 * Damage is reported, never fatal: a garbage line, a reading whose time
 * goes back, a counter that goes backwards (the sampler gives it no rate),
 * records after the last reading, a last line cut short. Each is a warning
 * that names the file and line; what came before is kept.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actsrc.h"
#include "dbgfs.h"
#include "paths.h"

#define WARN_MAX 20 /* warnings per file; then one that says how many more */

struct ii_act_replay {
	struct ii_system *s;
	struct ii_dbg_reader rd;
	char *display;
	uint64_t lineno;
	bool eof, skipping;       /* skipping: the rest of an overlong line */
	size_t warned, more;
	struct ii_kmsg *kmsg;     /* records waiting for their reading */
	size_t nkmsg, kcap;
	bool have_prev;
	int64_t prev_t;
	struct ii_ctr_value *prev; /* the previous reading's counters */
	size_t nprev;
};

static void warn(struct ii_act_replay *rp, uint64_t line, const char *fmt, ...) ii_printf_like(3, 4);
static void warn(struct ii_act_replay *rp, uint64_t line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (rp->warned >= WARN_MAX) {
		rp->more++;
		return;
	}
	rp->warned++;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	ii_warn(&rp->s->diags, "%s:%llu: %s", rp->display, (unsigned long long)line, msg);
	free(msg);
}

/*
 * The next line: 1 with *line (not NUL-terminated) and *len, 0 at the end,
 * -errno. *cut: the file ended without the line's newline.
 */
static int next_line(struct ii_act_replay *rp, const char **line, size_t *len, bool *cut)
{
	for (;;) {
		const char *data, *nl;
		ssize_t avail;
		bool eof;

		avail = ii_dbg_reader_fill(&rp->rd, &data, &eof);
		if (avail < 0)
			return (int)avail;
		if (avail == 0)
			return 0;
		nl = memchr(data, '\n', (size_t)avail);
		if (!nl && !eof) {
			/* longer than any line the recorder writes: skip it */
			if (!rp->skipping)
				warn(rp, rp->lineno + 1, "a line longer than %zu bytes; skipped",
				     (size_t)avail);
			rp->skipping = true;
			ii_dbg_reader_consume(&rp->rd, (size_t)avail);
			continue;
		}
		rp->lineno++;
		*line = data;
		*len = nl ? (size_t)(nl - data) : (size_t)avail;
		*cut = !nl;
		ii_dbg_reader_consume(&rp->rd, *len + (nl ? 1 : 0));
		if (rp->skipping) {
			rp->skipping = false;
			continue;
		}
		return 1;
	}
}

static void drop_kmsg(struct ii_act_replay *rp)
{
	for (size_t i = 0; i < rp->nkmsg; i++)
		ii_kmsg_free(&rp->kmsg[i]);
	rp->nkmsg = 0;
}

int ii_act_replay_open(struct ii_activity *a, struct ii_system *s, struct ii_act_replay **out)
{
	struct ii_act_replay *rp = xcalloc(1, sizeof(*rp));
	const char *line;
	size_t len;
	bool cut;
	int rc;

	*out = NULL;
	rp->s = s;
	rc = ii_dbg_reader_open(s, NULL, &rp->rd, II_PATH_ACTIVITY);
	if (rc < 0) {
		ii_dbg_reader_close(&rp->rd);
		free(rp);
		return rc;
	}
	rp->display = ii_root_display(s->root, II_PATH_ACTIVITY);
	for (size_t f = 0; f < II_ACT_FAMILIES; f++)
		ii_act_state_set(&a->family[f], II_WHY_NOT_RECORDED, 0,
				 "the recording (%s) does not have it", rp->display);
	rc = next_line(rp, &line, &len, &cut);
	if (rc > 0) {
		struct ii_actl l;

		if (ii_act_parse_line(line, len, &l) == II_ACTL_HEADER) {
			if (l.hdr.schema_version > II_ACT_SCHEMA_VERSION)
				warn(rp, rp->lineno, "recorded by a newer iommu-inspect (%s, schema_version "
				     "%u): what this version does not know is left out", l.hdr.version,
				     l.hdr.schema_version);
			for (size_t f = 0; f < II_ACT_FAMILIES; f++)
				if (l.hdr.has_family[f])
					a->family[f] = l.hdr.family[f];
			a->units = l.hdr.units;
			a->nunits = l.hdr.nunits;
			a->interval_ms = l.hdr.interval_ms;
			l.hdr.units = NULL;
		} else {
			warn(rp, rp->lineno, "not a recording's header (%s); the sources' states are "
			     "unknown", l.kind == II_ACTL_BAD ? l.why : "another kind of line");
			/* read it again as a reading or a record */
			ii_dbg_reader_close(&rp->rd);
			rc = ii_dbg_reader_open(s, NULL, &rp->rd, II_PATH_ACTIVITY);
			rp->lineno = 0;
		}
		ii_actl_free(&l);
	} else if (rc == 0) {
		warn(rp, 1, "an empty recording");
	}
	if (rc < 0) {
		warn(rp, rp->lineno + 1, "%s", strerror(-rc));
		rp->eof = true;
	}
	if (!a->units) {
		a->units = xcalloc(s->nunits ? s->nunits : 1, sizeof(*a->units));
		a->nunits = s->nunits;
		for (size_t i = 0; i < s->nunits; i++) {
			str_copy(a->units[i].unit, sizeof(a->units[i].unit), s->units[i].name,
				 strlen(s->units[i].name));
			a->units[i].state = a->family[II_ACT_PMU];
		}
	}
	*out = rp;
	return 0;
}

/* Counters of r that went backwards since the previous reading: a warning each (the first few). */
static void check_backwards(struct ii_act_replay *rp, const struct ii_act_reading *r)
{
	for (size_t i = 0; i < r->nctrs; i++) {
		const struct ii_ctr_value *c = &r->ctrs[i];

		if (!c->ok)
			continue;
		for (size_t k = 0; k < rp->nprev; k++) {
			const struct ii_ctr_value *p = &rp->prev[k];

			if (p->ok && p->kind == c->kind && !strcmp(p->unit, c->unit) &&
			    !strcmp(p->event, c->event) && c->value < p->value)
				warn(rp, rp->lineno,
				     "counter %s (%s%s%s) went backwards, from %llu to %llu: no rate "
				     "for that interval", c->event, ii_ctr_kind_key(c->kind),
				     *c->unit ? " of " : "", c->unit, (unsigned long long)p->value,
				     (unsigned long long)c->value);
		}
	}
	free(rp->prev);
	rp->prev = NULL;
	rp->nprev = r->nctrs;
	if (r->nctrs) {
		rp->prev = xmalloc(r->nctrs * sizeof(*rp->prev));
		memcpy(rp->prev, r->ctrs, r->nctrs * sizeof(*rp->prev));
	}
}

int ii_act_replay_read(struct ii_act_replay *rp, struct ii_act_reading *out)
{
	const char *line;
	size_t len;
	bool cut;
	int rc;

	while (!rp->eof) {
		struct ii_actl l;

		rc = next_line(rp, &line, &len, &cut);
		if (rc < 0) {
			warn(rp, rp->lineno + 1, "%s; the rest is not replayed", strerror(-rc));
			rp->eof = true;
			break;
		}
		if (rc == 0) {
			rp->eof = true;
			break;
		}
		switch (ii_act_parse_line(line, len, &l)) {
		case II_ACTL_BLANK:
			break;
		case II_ACTL_HEADER:
			warn(rp, rp->lineno, "a second header (two recordings joined?); ignored");
			break;
		case II_ACTL_KMSG:
			xgrow((void **)&rp->kmsg, &rp->kcap, rp->nkmsg + 1, sizeof(*rp->kmsg));
			rp->kmsg[rp->nkmsg++] = l.kmsg;
			memset(&l.kmsg, 0, sizeof(l.kmsg));
			break;
		case II_ACTL_BAD:
			if (cut)
				warn(rp, rp->lineno, "the last line is cut short (%s): the recording "
				     "ends with the reading before it", l.why);
			else
				warn(rp, rp->lineno, "%s; skipped", l.why);
			break;
		case II_ACTL_READING:
			if (rp->have_prev && l.rd.t_ns < rp->prev_t) {
				warn(rp, rp->lineno, "a reading earlier than the one before it (%lld < "
				     "%lld ns); skipped", (long long)l.rd.t_ns, (long long)rp->prev_t);
				break;
			}
			check_backwards(rp, &l.rd);
			rp->have_prev = true;
			rp->prev_t = l.rd.t_ns;
			*out = l.rd;
			memset(&l.rd, 0, sizeof(l.rd));
			out->kmsg = rp->kmsg;
			out->nkmsg = rp->nkmsg;
			rp->kmsg = NULL;
			rp->nkmsg = rp->kcap = 0;
			ii_actl_free(&l);
			return 1;
		}
		ii_actl_free(&l);
	}
	if (rp->nkmsg) {
		warn(rp, rp->lineno, "%zu kernel log record%s after the last reading %s not "
		     "replayed (the recording was cut?)", rp->nkmsg, rp->nkmsg == 1 ? "" : "s",
		     rp->nkmsg == 1 ? "is" : "are");
		drop_kmsg(rp);
	}
	if (rp->more) {
		ii_warn(&rp->s->diags, "%s: %zu more warnings like those", rp->display, rp->more);
		rp->more = 0;
	}
	return 0;
}

void ii_act_replay_close(struct ii_act_replay *rp)
{
	if (!rp)
		return;
	drop_kmsg(rp);
	free(rp->kmsg);
	free(rp->prev);
	ii_dbg_reader_close(&rp->rd);
	free(rp->display);
	free(rp);
}
