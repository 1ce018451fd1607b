// SPDX-License-Identifier: MIT
/* The text/JSON output layer (see include/output.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "output.h"

#define MAX_DEPTH 32

struct frame {
	json_object *obj; /* NULL for frames written directly (document, streamed arrays) */
	bool is_array;
	bool first;       /* nothing written in this direct frame yet */
	char *key;        /* key in the parent, for json-c frames attached at close */
};

struct ii_out {
	FILE *f;
	enum ii_format fmt;
	bool pretty;
	int depth;        /* frames in use */
	struct frame st[MAX_DEPTH];
	char *error;
	bool record;      /* between out_record_begin() and out_record_end(): one compact line */
	struct strlist early; /* out_warn(): warnings from before the model */
};

void ii_warn(struct ii_diags *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sl_add_owned(&d->warnings, xvasprintf(fmt, ap));
	va_end(ap);
}

/* ------------------------------------------------------- text for a terminal */

static size_t utf8_len(const unsigned char *s);

/*
 * The bytes at s that a terminal must not see as they are: C0 controls (ESC
 * starts an escape sequence, OSC ones set the window title or write the
 * clipboard; BEL, backspace and carriage return rewrite what is shown), DEL,
 * C1 controls (U+0080 to U+009F: CSI, OSC, ... in one character) and bytes that
 * are not UTF-8 (a lone 0x9b is CSI to an 8-bit terminal); newlines and tabs
 * too, which would forge lines and columns. Returns how many bytes to escape,
 * 0 to copy the character (*n bytes long) as it is.
 */
static size_t unsafe_len(const unsigned char *p, size_t *n)
{
	*n = utf8_len(p);
	if (*n == 0) {
		*n = 1;
		return 1;
	}
	if (*n == 1 && (p[0] < 0x20 || p[0] == 0x7f))
		return 1;
	if (*n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		return 2;
	return 0;
}

/*
 * A string that was read, as it may reach a terminal: control bytes shown as
 * \xNN (as systemd shows them): s itself when it is safe, which is nearly
 * always, else the escaped copy in tmp. Every string of a text field, text
 * argument and message goes through here, so no renderer needs to think of
 * it; the layout is the formats' own. JSON escapes them its own way.
 */
static const char *term_safe(const char *s, struct strbuf *tmp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, bad = 0;

	for (;;) {
		while (*p >= 0x20 && *p < 0x7f) /* printable ASCII, nearly everything */
			p++;
		if (!*p || (bad = unsafe_len(p, &n)))
			break;
		p += n;
	}
	if (!*p)
		return s;
	sb_reset(tmp);
	sb_add(tmp, s, (size_t)((const char *)p - s));
	while (*p) {
		bad = unsafe_len(p, &n);
		if (bad) {
			for (size_t i = 0; i < bad; i++)
				sb_addf(tmp, "\\x%02x", p[i]);
			p += bad;
		} else {
			sb_add(tmp, (const char *)p, n);
			p += n;
		}
	}
	return tmp->buf;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* One conversion of a printf format: "%-*.3llu" */
struct conv {
	char spec[32]; /* the conversion as written, for fprintf */
	char len[3];   /* its length modifier: "", "hh", "l", "ll", "z", ... */
	char c;        /* its conversion character */
	int nstar;     /* how many * (width, precision) it takes */
	int prec_star; /* the index in the *s of the precision's, or -1 */
	long prec;     /* a precision written as digits, or -1 */
};

/*
 * Parse the conversion at pct (a '%'); returns what follows it, or NULL for
 * something this program does not write. The formats are literals checked by
 * the compiler (ii_printf_like): flags, a width and a precision (either may be
 * *), a length modifier, and one of diouxXcspfFeEgGaA or %.
 */
static const char *parse_conv(const char *pct, struct conv *cv)
{
	const char *q = pct + 1;
	size_t n = 0;

	cv->nstar = 0;
	cv->prec_star = -1;
	cv->prec = -1;
	q += strspn(q, "-+ #0");
	if (*q == '*') {
		cv->nstar++;
		q++;
	}
	q += strspn(q, "0123456789");
	if (*q == '.') {
		q++;
		if (*q == '*') {
			cv->prec_star = cv->nstar++;
			q++;
		} else {
			cv->prec = strtol(q, NULL, 10);
		}
		q += strspn(q, "0123456789");
	}
	while (*q && strchr("hljztL", *q) && n < 2)
		cv->len[n++] = *q++;
	cv->len[n] = '\0';
	if (!*q || !strchr("diouxXcspfFeEgGaA%", *q) || (size_t)(q + 1 - pct) >= sizeof(cv->spec))
		return NULL;
	cv->c = *q;
	memcpy(cv->spec, pct, (size_t)(q + 1 - pct));
	cv->spec[q + 1 - pct] = '\0';
	return q + 1;
}

/* One conversion, with the * widths it took. */
#define EMIT(f, cv, star, v)                                                   \
	do {                                                                   \
		if ((cv)->nstar == 2)                                          \
			fprintf(f, (cv)->spec, (star)[0], (star)[1], v);       \
		else if ((cv)->nstar == 1)                                     \
			fprintf(f, (cv)->spec, (star)[0], v);                  \
		else                                                           \
			fprintf(f, (cv)->spec, v);                             \
	} while (0)

/*
 * Take the argument of one conversion from ap: print it on f (f NULL: only
 * take it). A string is printed through term_safe(); false when f is NULL and
 * a string needs it.
 */
static bool conv_arg(FILE *f, const struct conv *cv, va_list *ap, struct strbuf *tmp)
{
	int star[2] = { 0, 0 };
	const char *l = cv->len;

	for (int i = 0; i < cv->nstar; i++)
		star[i] = va_arg(*ap, int);
	switch (cv->c) {
	case '%':
		if (f)
			fputc('%', f);
		break;
	case 's': {
		const char *v = va_arg(*ap, const char *), *safe;
		long prec = cv->prec_star >= 0 ? star[cv->prec_star] : cv->prec;
		char *cut = NULL;

		/* a precision may bound a string without a NUL: read no further than it */
		if (v && prec >= 0 && memchr(v, '\0', (size_t)prec) == NULL)
			v = cut = xstrndup(v, (size_t)prec);
		safe = v ? term_safe(v, tmp) : "(null)";
		if (!f) {
			bool same = safe == v || !v;

			free(cut);
			return same;
		}
		if (cv->prec_star >= 0 && safe != v)
			star[cv->prec_star] = (int)strlen(safe); /* the escapes are not cut */
		EMIT(f, cv, star, safe);
		free(cut);
		break;
	}
	case 'p': {
		void *v = va_arg(*ap, void *);
		if (f)
			EMIT(f, cv, star, v);
		break;
	}
	case 'd': case 'i': case 'c':
#define INT_ARG(type)                                   \
	do {                                            \
		type v = va_arg(*ap, type);             \
		if (f)                                  \
			EMIT(f, cv, star, v);           \
	} while (0)
		if (!strcmp(l, "ll"))
			INT_ARG(long long);
		else if (!strcmp(l, "l"))
			INT_ARG(long);
		else if (!strcmp(l, "z"))
			INT_ARG(ssize_t);
		else if (!strcmp(l, "j"))
			INT_ARG(intmax_t);
		else if (!strcmp(l, "t"))
			INT_ARG(ptrdiff_t);
		else /* int, and what is promoted to it (h, hh, a char) */
			INT_ARG(int);
		break;
	case 'o': case 'u': case 'x': case 'X':
		if (!strcmp(l, "ll"))
			INT_ARG(unsigned long long);
		else if (!strcmp(l, "l"))
			INT_ARG(unsigned long);
		else if (!strcmp(l, "z"))
			INT_ARG(size_t);
		else if (!strcmp(l, "j"))
			INT_ARG(uintmax_t);
		else if (!strcmp(l, "t"))
			INT_ARG(ptrdiff_t);
		else
			INT_ARG(unsigned int);
		break;
	default: /* fFeEgGaA */
		if (!strcmp(l, "L"))
			INT_ARG(long double);
		else
			INT_ARG(double);
		break;
#undef INT_ARG
	}
	return true;
}

/*
 * vfprintf() for text that goes to a terminal: the format is the program's
 * (its newlines and tabs are the layout) and is printed as it is; every %s
 * argument is text that was read, and is printed through term_safe(), the
 * same way in every renderer and message. When no argument needs it, which
 * is nearly always, vfprintf() prints it all at once.
 */
static void text_vprintf(FILE *f, const char *fmt, va_list ap)
{
	struct strbuf tmp = { 0 };
	struct conv cv;
	const char *p, *pct;
	bool plain = true;
	va_list aq;

	va_copy(aq, ap);
	for (p = fmt; plain && (pct = strchr(p, '%')); p = pct + 1) {
		if (!(p = parse_conv(pct, &cv)))
			break; /* not ours: vfprintf prints it as ever */
		pct = p - 1;
		plain = conv_arg(NULL, &cv, &aq, &tmp);
	}
	va_end(aq);
	if (plain) {
		vfprintf(f, fmt, ap);
	} else {
		va_copy(aq, ap);
		for (p = fmt; *p;) {
			const char *next;

			pct = strchr(p, '%');
			if (!pct || !(next = parse_conv(pct, &cv))) {
				fputs(p, f);
				break;
			}
			fwrite(p, 1, (size_t)(pct - p), f);
			conv_arg(f, &cv, &aq, &tmp);
			p = next;
		}
		va_end(aq);
	}
	sb_free(&tmp);
}

#pragma GCC diagnostic pop

static void warn_line(const char *msg, struct strbuf *tmp)
{
	fprintf(stderr, "iommu-inspect: warning: %s\n", term_safe(msg, tmp));
}

void ii_warn_print(const struct ii_diags *d, size_t from)
{
	struct strbuf tmp = { 0 };

	fflush(stdout);
	for (size_t i = from; i < d->warnings.n; i++)
		warn_line(d->warnings.v[i], &tmp);
	sb_free(&tmp);
}

void ii_warn_print_msg(const char *msg)
{
	struct strbuf tmp = { 0 };

	fflush(stdout);
	warn_line(msg, &tmp);
	sb_free(&tmp);
}

struct ii_out *out_new(FILE *f, enum ii_format fmt, bool pretty)
{
	struct ii_out *o = xcalloc(1, sizeof(*o));

	o->f = f;
	o->fmt = fmt;
	o->pretty = pretty;
	return o;
}

bool out_is_json(const struct ii_out *o)
{
	return o->fmt == II_FMT_JSON;
}

int out_free(struct ii_out *o)
{
	int ret = 0;

	if (fflush(o->f) != 0 || ferror(o->f))
		ret = errno == EPIPE ? 0 : -(errno ? errno : EIO);
	for (int i = 0; i < o->depth; i++) {
		if (o->st[i].obj) /* not yet attached to its parent */
			json_object_put(o->st[i].obj);
		free(o->st[i].key);
	}
	free(o->error);
	sl_free(&o->early);
	free(o);
	return ret;
}

/* Indented: --pretty, except in a record, which is one line whatever the options. */
static bool indented(const struct ii_out *o)
{
	return o->pretty && !o->record;
}

static int jflags(const struct ii_out *o)
{
	return JSON_C_TO_STRING_NOSLASHESCAPE |
	       (indented(o) ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN);
}

/*
 * Write a serialized value, indenting its continuation lines by indent spaces.
 * json-c prints an empty array or object over two lines; write "[]" and "{}" as
 * the streamed top level does. (A newline in a string is escaped, so every
 * newline here is layout.)
 */
static void write_indented(struct ii_out *o, const char *s, int indent)
{
	if (!indented(o)) {
		/* compact: no layout newlines, and json-c writes empty containers as [] and {} */
		fputs(s, o->f);
		return;
	}
	for (; *s; s++) {
		if ((*s == '[' || *s == '{') && s[1] == '\n') {
			const char *t = s + 2;
			while (*t == ' ')
				t++;
			if (*t == (*s == '[' ? ']' : '}')) {
				fputc(*s, o->f);
				fputc(*t, o->f);
				s = t;
				continue;
			}
		}
		fputc(*s, o->f);
		if (*s == '\n')
			fprintf(o->f, "%*s", indent, "");
	}
}

/* Start a new member of the innermost direct frame: separator, indentation, key. */
static void direct_member(struct ii_out *o, const char *key)
{
	struct frame *fr = &o->st[o->depth - 1];
	int indent = 2 * o->depth;

	if (!fr->first)
		fputc(',', o->f);
	fr->first = false;
	if (indented(o))
		fprintf(o->f, "\n%*s", indent, "");
	if (key && !fr->is_array) {
		json_object *k = json_object_new_string(key);
		fputs(json_object_to_json_string_ext(k, jflags(o)), o->f);
		json_object_put(k);
		fputs(indented(o) ? ": " : ":", o->f);
	}
}

/* Length of the UTF-8 sequence at s (RFC 3629: no overlong forms, no surrogates), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned lo, hi;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
		       (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/*
 * A JSON string. json-c copies bytes of 0x80 and above as they are, so a byte
 * that is not UTF-8 (a kernel log line decoded from \xff, say) would make the
 * document invalid: each such byte becomes U+FFFD.
 */
static json_object *jstr(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct strbuf sb = { 0 };
	json_object *j;
	size_t n;

	while (*p && (n = utf8_len(p)))
		p += n;
	if (!*p)
		return json_object_new_string(s);
	sb_add(&sb, s, (size_t)((const char *)p - s));
	while (*p) {
		n = utf8_len(p);
		if (n) {
			sb_add(&sb, (const char *)p, n);
			p += n;
		} else {
			sb_adds(&sb, "\xef\xbf\xbd");
			p++;
		}
	}
	j = json_object_new_string(sb.buf);
	sb_free(&sb);
	return j;
}

/* Add a value (consumed) under key to the innermost frame. */
static void put(struct ii_out *o, const char *key, json_object *v)
{
	struct frame *fr;

	if (o->depth == 0) {
		json_object_put(v);
		return;
	}
	fr = &o->st[o->depth - 1];
	if (fr->obj) {
		if (fr->is_array)
			json_object_array_add(fr->obj, v);
		else
			json_object_object_add(fr->obj, key ? key : "", v);
		return;
	}
	direct_member(o, key);
	write_indented(o, json_object_to_json_string_ext(v, jflags(o)), 2 * o->depth);
	json_object_put(v);
}

void out_begin(struct ii_out *o)
{
	if (o->fmt != II_FMT_JSON)
		return;
	fputc('{', o->f);
	o->st[0] = (struct frame){ .first = true };
	o->depth = 1;
	put(o, "schema_version", json_object_new_int(II_SCHEMA_VERSION));
}

void out_error(struct ii_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (o->fmt == II_FMT_JSON) {
		free(o->error);
		o->error = xvasprintf(fmt, ap);
	} else {
		fflush(o->f);
		fputs("iommu-inspect: error: ", stderr);
		text_vprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

void out_warn(struct ii_out *o, const char *msg)
{
	ii_warn_print_msg(msg);
	sl_add(&o->early, msg);
}

void out_end(struct ii_out *o, const struct ii_diags *d)
{
	if (o->fmt != II_FMT_JSON)
		return;
	while (o->depth > 1) {
		if (o->st[o->depth - 1].is_array)
			out_close_arr(o);
		else
			out_close_obj(o);
	}
	if (o->error)
		put(o, "error", jstr(o->error));
	out_open_arr(o, "warnings");
	for (size_t i = 0; i < o->early.n; i++)
		out_str(o, NULL, NULL, o->early.v[i]);
	for (size_t i = 0; d && i < d->warnings.n; i++)
		out_str(o, NULL, NULL, d->warnings.v[i]);
	out_close_arr(o);
	fputs(o->pretty ? "\n}\n" : "}\n", o->f);
	o->depth = 0;
}

static void open_frame(struct ii_out *o, const char *key, bool array)
{
	struct frame *parent;

	if (o->fmt != II_FMT_JSON || o->depth == 0 || o->depth >= MAX_DEPTH)
		return;
	parent = &o->st[o->depth - 1];
	if (!parent->obj && ((array && o->depth == 1) || o->record)) {
		/* a top-level array: streamed element by element; in a record, everything */
		direct_member(o, key);
		fputc(array ? '[' : '{', o->f);
		o->st[o->depth++] = (struct frame){ .is_array = array, .first = true };
		return;
	}
	o->st[o->depth++] = (struct frame){
		.obj = array ? json_object_new_array() : json_object_new_object(),
		.is_array = array,
		.key = key ? xstrdup(key) : NULL,
	};
}

static void close_frame(struct ii_out *o)
{
	struct frame fr;

	if (o->fmt != II_FMT_JSON || o->depth <= 1)
		return;
	fr = o->st[--o->depth];
	if (!fr.obj) {
		if (indented(o) && !fr.first)
			fprintf(o->f, "\n%*s", 2 * o->depth, "");
		fputc(fr.is_array ? ']' : '}', o->f);
	} else {
		put(o, fr.key, fr.obj);
	}
	free(fr.key);
	/* a document shows each element as it is done; a record, whole, at its end */
	if (!o->record && (o->depth == 1 || (o->depth == 2 && !o->st[1].obj)))
		fflush(o->f);
}

void out_open_obj(struct ii_out *o, const char *key) { open_frame(o, key, false); }
void out_close_obj(struct ii_out *o) { close_frame(o); }
void out_open_arr(struct ii_out *o, const char *key) { open_frame(o, key, true); }
void out_close_arr(struct ii_out *o) { close_frame(o); }

void out_text(struct ii_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->fmt != II_FMT_TEXT)
		return;
	va_start(ap, fmt);
	text_vprintf(o->f, fmt, ap);
	va_end(ap);
}

void out_text_rendered(struct ii_out *o, const char *text)
{
	if (o->fmt == II_FMT_TEXT)
		fputs(text, o->f);
}

/* Text mode: print the field (a NULL fmt prints nothing) and return. */
#define TEXT(o, fmt, ...)                                          \
	do {                                                       \
		if ((o)->fmt == II_FMT_TEXT) {                      \
			if (fmt)                                   \
				fprintf((o)->f, fmt, __VA_ARGS__); \
			return;                                    \
		}                                                  \
	} while (0)

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

void out_str(struct ii_out *o, const char *key, const char *fmt, const char *val)
{
	if (o->fmt == II_FMT_TEXT) {
		struct strbuf tmp = { 0 };

		if (fmt)
			fprintf(o->f, fmt, val ? term_safe(val, &tmp) : "-");
		sb_free(&tmp);
		return;
	}
	put(o, key, val ? jstr(val) : NULL);
}

void out_int(struct ii_out *o, const char *key, const char *fmt, long long val)
{
	TEXT(o, fmt, val);
	put(o, key, json_object_new_int64(val));
}

void out_uint(struct ii_out *o, const char *key, const char *fmt, unsigned long long val)
{
	TEXT(o, fmt, val);
	put(o, key, json_object_new_uint64(val));
}

void out_hex(struct ii_out *o, const char *key, const char *fmt, uint64_t val, int digits)
{
	char buf[24];

	TEXT(o, fmt, (unsigned long long)val);
	snprintf(buf, sizeof(buf), "0x%0*llx", digits, (unsigned long long)val);
	put(o, key, json_object_new_string(buf));
}

void out_double(struct ii_out *o, const char *key, const char *fmt, double val, int decimals)
{
	char buf[64];
	size_t n;

	TEXT(o, fmt, val);
	if (!isfinite(val) || val >= 1e18 || val <= -1e18) {
		put(o, key, NULL);
		return;
	}
	if (decimals < 1)
		decimals = 1;
	if (decimals > 15)
		decimals = 15;
	n = (size_t)snprintf(buf, sizeof(buf), "%.*f", decimals, val);
	/* "2.500" is "2.5", "2.000" is "2.0": a JSON number that still reads as one with a point */
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
	if (!strcmp(buf, "-0.0"))
		memmove(buf, buf + 1, n);
	put(o, key, json_object_new_double_s(val, buf));
}

void out_bool(struct ii_out *o, const char *key, const char *fmt, bool val)
{
	TEXT(o, fmt, val ? "yes" : "no");
	put(o, key, json_object_new_boolean(val));
}

void out_null(struct ii_out *o, const char *key, const char *fmt)
{
	TEXT(o, fmt, "-");
	put(o, key, NULL);
}

void out_strlist(struct ii_out *o, const char *key, const char *fmt, const char *sep,
		 const struct strlist *l)
{
	if (o->fmt == II_FMT_TEXT) {
		if (fmt) {
			struct strbuf tmp = { 0 };
			char *s = sl_join(l, sep);

			fprintf(o->f, fmt, l->n ? term_safe(s, &tmp) : "-");
			sb_free(&tmp);
			free(s);
		}
		return;
	}
	out_open_arr(o, key);
	for (size_t i = 0; i < l->n; i++)
		put(o, NULL, jstr(l->v[i]));
	out_close_arr(o);
}

#pragma GCC diagnostic pop

void out_flush(struct ii_out *o)
{
	fflush(o->f);
}

/*
 * A record is written as it is made, key by key, objects and arrays at any
 * depth included: one with thousands of elements (top's devices) is never
 * built in memory, and costs no json-c object per element; only the flush
 * waits for its end.
 */
void out_record_begin(struct ii_out *o)
{
	if (o->fmt != II_FMT_JSON)
		return;
	if (o->record)
		out_record_end(o); /* the last one was left open: end it, so that each is a line */
	while (o->depth > 0) {
		struct frame *fr = &o->st[--o->depth];
		if (fr->obj)
			json_object_put(fr->obj);
		free(fr->key);
	}
	fputc('{', o->f);
	o->st[0] = (struct frame){ .first = true };
	o->depth = 1;
	o->record = true;
}

int out_record_end(struct ii_out *o)
{
	if (o->fmt == II_FMT_JSON && o->record) {
		while (o->depth > 1)
			close_frame(o);
		if (o->error) {
			put(o, "error", jstr(o->error));
			free(o->error);
			o->error = NULL;
		}
		fputs("}\n", o->f);
		o->depth = 0;
		o->record = false;
	}
	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		return -(errno ? errno : EIO);
	return 0;
}
