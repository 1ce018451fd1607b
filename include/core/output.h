/* SPDX-License-Identifier: MIT */
/*
 * One output layer for text and JSON, in the manner of iproute2's json_print:
 * a renderer writes each field once, with its JSON key and its text format,
 * and the layer emits whichever the user asked for.
 *
 *  - text: a field with a non-NULL fmt is printed with printf(fmt, value);
 *    a NULL fmt means "JSON only". out_text() prints in text mode only.
 *  - JSON: fields become keys of the innermost open object (or elements of
 *    the innermost array, key NULL). Arrays opened at the top level of the
 *    document are streamed: each element is written as soon as it is closed,
 *    so memory stays flat on machines with thousands of devices.
 *
 * Every JSON document is an object that starts with "schema_version" and ends
 * with "warnings" (an array of strings, possibly empty).
 *
 * Text goes to a terminal, and what the tree holds (names, attributes, log
 * lines) could steer it: in text mode, and in every message on stderr, the
 * control bytes of every string (a field, a %s argument of out_text or
 * out_error, a warning) are shown as \xNN: C0 controls (newlines and tabs
 * too: the layout is the formats' own), DEL, C1 controls and bytes that are
 * not UTF-8. JSON escapes them as JSON does.
 *
 * Colours (--color, NO_COLOR): a renderer never names a colour. It passes a
 * semantic role (enum ii_role) with a field or a piece of text; the one
 * table in src/core/output.c maps each role to an SGR sequence, written
 * around the converted value only, in text mode and only when colour was
 * turned on (out_set_color). The value itself is escaped as above first, so
 * nothing read can end or forge a sequence; JSON never has colours.
 */
#ifndef II_OUTPUT_H
#define II_OUTPUT_H

#include <stdio.h>
#include "ii.h"
#include "util.h"

enum ii_format { II_FMT_TEXT, II_FMT_JSON };

/* Messages collected while reading; printed to stderr and listed in JSON "warnings". */
struct ii_diags {
	struct strlist warnings;
};
void ii_warn(struct ii_diags *d, const char *fmt, ...) ii_printf_like(2, 3);
/*
 * Print d's warnings from index from on to stderr ("iommu-inspect: warning:
 * ..."), after flushing stdout; the one way warnings reach a terminal.
 */
void ii_warn_print(const struct ii_diags *d, size_t from);
void ii_warn_print_msg(const char *msg);

/* --color=WHEN, parsed once with the global options. */
enum ii_color_when { II_COLOR_AUTO, II_COLOR_ALWAYS, II_COLOR_NEVER };
/* "auto", "always", "never": 0, or -EINVAL. */
int ii_color_parse(const char *s, enum ii_color_when *out);
/*
 * Colours for output on fd? always: yes (over NO_COLOR, as https://no-color.org
 * says a per-instance option should); never: no; auto: when fd is a terminal,
 * TERM is set and not "dumb", and NO_COLOR is unset or empty.
 */
bool ii_color_wanted(enum ii_color_when w, int fd);

/* What a coloured piece of text means; the colour is the output layer's choice. */
enum ii_role {
	II_ROLE_NONE = 0,
	II_ROLE_GOOD,    /* a verdict that is as it should be: "present", "enabled", "OK" */
	II_ROLE_NOTICE,  /* worth a look, not wrong: lazy invalidation, pass-through */
	II_ROLE_BAD,     /* a verdict that is wrong or failing: "absent", "FAULTS" */
	II_ROLE_FAULT,   /* a fault's reason */
	II_ROLE_UNKNOWN, /* a value that could not be known */
	II_ROLE_HEADING, /* a section title */
	II_ROLE_COUNT
};

struct ii_out;
struct ii_out *out_new(FILE *f, enum ii_format fmt, bool pretty);
bool out_is_json(const struct ii_out *o);
/* Text mode: write the roles' colours from now on (JSON: ignored). */
void out_set_color(struct ii_out *o, bool on);
bool out_color(const struct ii_out *o);
/* Flush and free; returns 0, or -errno if writing failed (EPIPE is not an error). */
int out_free(struct ii_out *o);

void out_begin(struct ii_out *o);
void out_end(struct ii_out *o, const struct ii_diags *d);
/* A fatal error: {"error": msg} in JSON mode (inside the document), else on stderr. */
void out_error(struct ii_out *o, const char *fmt, ...) ii_printf_like(2, 3);
/* A warning from before the model exists: on stderr now, first in JSON "warnings". */
void out_warn(struct ii_out *o, const char *msg);

void out_open_obj(struct ii_out *o, const char *key);
void out_close_obj(struct ii_out *o);
void out_open_arr(struct ii_out *o, const char *key);
void out_close_arr(struct ii_out *o);

void out_str(struct ii_out *o, const char *key, const char *fmt, const char *val);
void out_int(struct ii_out *o, const char *key, const char *fmt, long long val);
void out_uint(struct ii_out *o, const char *key, const char *fmt, unsigned long long val);
/* JSON: "0x" and the value as lowercase hex, zero-padded to digits (0: no padding). */
void out_hex(struct ii_out *o, const char *key, const char *fmt, uint64_t val, int digits);
/*
 * JSON: a number with at most decimals digits after the point, written as
 * such (1.5, 0.333; never 1.4999999999999999 or an exponent); null when it is
 * not finite. Text: fmt receives the double.
 */
void out_double(struct ii_out *o, const char *key, const char *fmt, double val, int decimals);
/* Text: fmt receives "yes" or "no". */
void out_bool(struct ii_out *o, const char *key, const char *fmt, bool val);
/* Text: fmt receives "-". */
void out_null(struct ii_out *o, const char *key, const char *fmt);
/* JSON: an array of strings; text: fmt receives the items joined by sep ("-" if empty). */
void out_strlist(struct ii_out *o, const char *key, const char *fmt, const char *sep,
		 const struct strlist *l);
void out_text(struct ii_out *o, const char *fmt, ...) ii_printf_like(2, 3);
/*
 * With a role: out_str with the value's conversion (its padding included) in
 * the role's colour, the rest of fmt as it is; fmt has one conversion, %s
 * with flags and a width (no *). out_text_role colours all its text: leave
 * newlines out of it, so that a colour never spans a line end.
 */
void out_str_role(struct ii_out *o, const char *key, const char *fmt, const char *val,
		  enum ii_role role);
void out_text_role(struct ii_out *o, enum ii_role role, const char *fmt, ...) ii_printf_like(3, 4);
/*
 * Text another text-mode ii_out has written (already shown safely, its layout
 * included): printed as it is. out_text(o, "%s", text) would escape its newlines.
 */
void out_text_rendered(struct ii_out *o, const char *text);

/* Write a JSON value on one line with a newline (NDJSON streams). */
void out_flush(struct ii_out *o);

/*
 * A stream of records instead of one document (faults --follow): in JSON
 * mode each record is one compact object on a line of its own (NDJSON; the
 * fields between the two calls, and an out_error() as "error"), written and
 * flushed at out_record_end(); in text mode the text written in between is
 * flushed. out_record_end() returns 0, or -errno when writing failed
 * (-EPIPE: the reader went away).
 */
void out_record_begin(struct ii_out *o);
int out_record_end(struct ii_out *o);

#endif
