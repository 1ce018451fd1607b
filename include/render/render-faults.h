/* SPDX-License-Identifier: MIT */
/* Rendering of faults (src/render-faults.c): the list, the summary, --check, --follow. */
#ifndef II_RENDER_FAULTS_H
#define II_RENDER_FAULTS_H

#include "faults.h"
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

/* What was read. */
struct ii_fault_log {
	const char *path;
	const char *format;        /* "kmsg", "text" */
	uint64_t records, bad, overlong, overruns;
	bool has_first_seq;
	uint64_t first_seq;
};

/* The interrupt counts of proc/interrupts, compared with the faults printed. */
struct ii_fault_irqs {
	bool known;
	unsigned long long count;  /* on the IOMMUs' fault interrupts */
	uint64_t printed;          /* faults of every device printed in the log */
	bool log_complete;         /* the log still holds its first record */
};

void render_fault_log(struct ii_out *o, const struct ii_fault_log *l);
void render_fault_summary(struct ii_out *o, const struct ii_fault_view *v, const struct ii_fsum *s,
			  const struct ii_fault_irqs *irq, const struct ii_fault_log *l);
/* --check: the verdict in one line (text) or a "check" object (JSON); last: the last fault. */
void render_fault_check(struct ii_out *o, const struct ii_fsum *s, uint64_t max,
			const struct ii_fault *last);

#endif
