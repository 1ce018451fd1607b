/* SPDX-License-Identifier: MIT */
/*
 * Rendering of faults (src/render-faults.c): the list as the fault run
 * (include/model/fault-run.h) hands out its items, the summary, what was
 * read, --check and --follow's records. Every number printed is a field of
 * the model.
 */
#ifndef II_RENDER_FAULTS_H
#define II_RENDER_FAULTS_H

#include <stdio.h>

#include "fault-run.h"
#include "output.h"

/* What the renderers are told about the run. */
struct ii_fault_view {
	bool attributed;           /* faults were joined with the machine's devices */
	bool ndjson;               /* --follow: each item is a record with a "type" */
	bool filtered;             /* --device, --group, --vendor or --since was given */
};

/* One fault: a text line, or the keys of a JSON object the caller opened. */
void render_fault(struct ii_out *o, const struct ii_fault_view *v, const struct ii_fault *f);
/* What the log says was not printed. */
void render_fault_drop(struct ii_out *o, const struct ii_fault_view *v,
		       const struct ii_fault_drop *d);
/* A line that looks like a fault but does not parse. */
void render_fault_unparsed(struct ii_out *o, const struct ii_fault_view *v,
			   const struct ii_logpos *pos, const char *line);

/* ------------------------------------------------------------ the list */

/* How the items are listed as they come. */
enum ii_flist_mode {
	II_FLIST_NONE,      /* not at all (--summary, --check) */
	II_FLIST_TEXT,      /* a line each (--list) */
	II_FLIST_TEXT_AUTO, /* a line each, unless there are more than II_FLIST_AUTO_MAX: then none */
	II_FLIST_JSON,      /* faults in the document's "faults" array; drops and unparsed lines
			       after it, from what the run kept (render_fault_kept) */
	II_FLIST_STREAM,    /* --follow: a record each (NDJSON with --json), written and flushed */
};
#define II_FLIST_AUTO_MAX 50

struct ii_flist {
	struct ii_out *doc;        /* the command's output */
	FILE *f;                   /* the stream under it: a failed write stops the run */
	struct ii_out *o;          /* where items go now (the memory of II_FLIST_TEXT_AUTO) */
	const struct ii_fault_view *v;
	enum ii_flist_mode mode;
	struct ii_frun *run;
	FILE *mem;
	char *membuf;
	size_t memlen;
	uint64_t items;            /* faults and unparsed lines listed */
	bool too_long;
	int werr;                  /* II_FLIST_STREAM: -errno of a failed write */
};

void render_flist_begin(struct ii_flist *l, struct ii_out *doc, FILE *f,
			const struct ii_fault_view *v, enum ii_flist_mode mode, struct ii_frun *run);
/* The run's sink (struct ii_frun_sink; ctx is the list). */
void render_flist_fault(void *l, const struct ii_fault *f);
void render_flist_drop(void *l, const struct ii_fault_drop *d);
void render_flist_unparsed(void *l, const struct ii_logpos *pos, const char *line);
/* II_FLIST_STREAM with JSON: a warning or an error as a record of its own. */
void render_flist_warning(struct ii_flist *l, const char *msg);
void render_flist_error(struct ii_flist *l, const char *msg);
/* The end of the items (before the summary). */
void render_flist_end(struct ii_flist *l);
/* After the summary: that the list was left out. */
void render_flist_footer(struct ii_flist *l);

/* JSON: the drops and unparsed lines the run kept, after the faults. */
void render_fault_kept(struct ii_out *o, const struct ii_fault_view *v, const struct ii_frun *r);
void render_fault_log(struct ii_out *o, const struct ii_fault_log *l);
void render_fault_summary(struct ii_out *o, const struct ii_fault_view *v, const struct ii_fsum *s,
			  const struct ii_fault_irqs *irq, const struct ii_fault_log *l);
/* --check: the verdict in one line (text) or a "check" object (JSON). */
void render_fault_check(struct ii_out *o, const struct ii_fault_check *c);

#endif
