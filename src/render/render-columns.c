// SPDX-License-Identifier: MIT
/*
 * Column tables (include/render/render-columns.h): the cells of each row
 * filled once by the column's cell function, then written as aligned text
 * (widths measured over every row, the last column unpadded), raw text or
 * JSON keys.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render-columns.h"

/* ------------------------------------------------------------- selection */

static long find_col(const struct ii_columns *t, const char *name, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->cols[i].name) == len && !strncasecmp(t->cols[i].name, name, len))
			return (long)i;
	return -1;
}

/* Add the columns of a comma-separated list; -1 with *bad at the first unknown name. */
static int add_list(struct ii_colsel *sel, const char *list, char **bad)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		long i = find_col(sel->t, p, len);

		if (i < 0) {
			*bad = xstrndup(p, len);
			return -1;
		}
		sel->idx = xrealloc(sel->idx, (sel->n + 1) * sizeof(*sel->idx));
		sel->idx[sel->n++] = (size_t)i;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int render_colsel_parse(struct ii_colsel *sel, const struct ii_columns *t, const char *list,
			bool raw, char **bad)
{
	memset(sel, 0, sizeof(*sel));
	sel->t = t;
	sel->raw = raw;
	*bad = NULL;
	if ((!list || *list == '+') && add_list(sel, t->defaults, bad) < 0)
		return -1; /* the table's own defaults: a mistake in this program, caught by tests */
	if (list && add_list(sel, *list == '+' ? list + 1 : list, bad) < 0) {
		render_colsel_free(sel);
		return -1;
	}
	return 0;
}

void render_colsel_free(struct ii_colsel *sel)
{
	free(sel->idx);
	sel->idx = NULL;
	sel->n = 0;
}

/* ------------------------------------------------------------------ cells */

/* The text of a cell (join: where a list is joined). */
static const char *cell_text(const struct ii_cell *c, struct strbuf *join)
{
	if (c->text)
		return c->text;
	switch (c->kind) {
	case II_CELL_NULL:
		return "-";
	case II_CELL_STR:
		return c->s ? c->s : "-";
	case II_CELL_INT:
		sb_reset(join);
		sb_addf(join, "%lld", c->i);
		return join->buf;
	case II_CELL_BOOL:
		return c->b ? "yes" : "no";
	case II_CELL_LIST:
		if (!c->l || !c->l->n)
			return "-";
		sb_reset(join);
		for (size_t i = 0; i < c->l->n; i++)
			sb_addf(join, "%s%s", i ? "," : "", c->l->v[i]);
		return join->buf;
	}
	return "-";
}

static void fill(const struct ii_colsel *sel, size_t k, const struct ii_row *r, struct ii_cell *c)
{
	memset(c, 0, offsetof(struct ii_cell, buf));
	c->buf[0] = '\0';
	sel->t->cols[sel->idx[k]].cell(r, c);
}

/* Columns on a terminal: UTF-8 continuation bytes take none. */
static size_t display_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* Raw text: a space or a backslash as \x20 and \x5c, so that a cell is one field. */
static const char *raw_text(const char *s, struct strbuf *tmp)
{
	if (!strpbrk(s, " \\"))
		return s;
	sb_reset(tmp);
	for (; *s; s++) {
		if (*s == ' ' || *s == '\\')
			sb_addf(tmp, "\\x%02x", (unsigned char)*s);
		else
			sb_add(tmp, s, 1);
	}
	return tmp->buf;
}

static void cell_json(struct ii_out *o, const char *key, const struct ii_cell *c)
{
	switch (c->kind) {
	case II_CELL_NULL:
		out_null(o, key, NULL);
		break;
	case II_CELL_STR:
		out_str(o, key, NULL, c->s);
		break;
	case II_CELL_INT:
		out_int(o, key, NULL, c->i);
		break;
	case II_CELL_BOOL:
		out_bool(o, key, NULL, c->b);
		break;
	case II_CELL_LIST:
		if (c->l) {
			out_strlist(o, key, NULL, NULL, c->l);
		} else {
			out_open_arr(o, key);
			out_close_arr(o);
		}
		break;
	}
}

/* ------------------------------------------------------------------ table */

void render_table(struct ii_out *o, const struct ii_colsel *sel, const struct ii_row *rows,
		  size_t n)
{
	const struct ii_column *cols = sel->t->cols;
	size_t *width = xcalloc(sel->n ? sel->n : 1, sizeof(*width));
	struct strbuf join = { 0 }, tmp = { 0 };
	struct ii_cell c;
	char fmt[32];

	if (out_is_json(o)) {
		out_open_arr(o, sel->t->array);
		for (size_t r = 0; r < n; r++) {
			out_open_obj(o, NULL);
			for (size_t k = 0; k < sel->n; k++) {
				fill(sel, k, &rows[r], &c);
				cell_json(o, cols[sel->idx[k]].key, &c);
			}
			out_close_obj(o);
		}
		out_close_arr(o);
		goto out;
	}
	if (!sel->raw) {
		for (size_t k = 0; k < sel->n; k++)
			width[k] = display_width(cols[sel->idx[k]].name);
		for (size_t r = 0; r < n; r++)
			for (size_t k = 0; k + 1 < sel->n; k++) {
				size_t w;

				fill(sel, k, &rows[r], &c);
				w = display_width(cell_text(&c, &join));
				if (w > width[k])
					width[k] = w;
			}
	}
	/* the header, then the rows: a cell padded to its column's width (raw: none), the last
	   one never */
	for (size_t r = 0; r <= n; r++) {
		for (size_t k = 0; k < sel->n; k++) {
			const char *text;
			bool last = k + 1 == sel->n;

			if (r == 0) {
				text = cols[sel->idx[k]].name;
			} else {
				fill(sel, k, &rows[r - 1], &c);
				text = cell_text(&c, &join);
			}
			if (sel->raw) {
				out_str(o, NULL, last ? "%s\n" : "%s ", raw_text(text, &tmp));
				continue;
			}
			if (last) {
				out_str(o, NULL, "%s\n", text);
				continue;
			}
			/* printf pads by bytes: add what a multibyte character takes more */
			snprintf(fmt, sizeof(fmt), "%%-%zus  ", width[k] + strlen(text) - display_width(text));
			out_str(o, NULL, fmt, text);
		}
	}
out:
	sb_free(&join);
	sb_free(&tmp);
	free(width);
}

void render_columns_list(struct ii_out *o, const struct ii_columns *t)
{
	size_t w = 0;
	char fmt[32];

	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->cols[i].name) > w)
			w = strlen(t->cols[i].name);
	snprintf(fmt, sizeof(fmt), "%%-%zus  ", w);
	out_open_arr(o, "columns");
	for (size_t i = 0; i < t->n; i++) {
		out_open_obj(o, NULL);
		out_str(o, "name", fmt, t->cols[i].name);
		out_str(o, "key", NULL, t->cols[i].key);
		out_str(o, "help", "%s\n", t->cols[i].help);
		out_close_obj(o);
	}
	out_close_arr(o);
	out_str(o, "defaults", "\nDefault columns (--raw without -o): %s\n", t->defaults);
}
