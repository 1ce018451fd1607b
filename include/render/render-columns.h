/* SPDX-License-Identifier: MIT */
/*
 * Column tables of the list commands (`groups -o`, `devices -o`, as lsblk
 * -o/-r): one descriptor per column (its name, which is also its header,
 * its JSON key and a line of help), and a cell function that fills a row's
 * value once; src/render/render-columns.c turns the cells into aligned text,
 * raw text (one space between cells, a space or backslash inside a cell as
 * \x20 and \x5c, so that awk's fields are the columns) or JSON keys. The same
 * tables give -o's names, --list-columns, the column list of --help and the
 * `columns-CMD:` lines of `iommu-inspect __complete` the completions and the
 * documentation tests read.
 */
#ifndef II_RENDER_COLUMNS_H
#define II_RENDER_COLUMNS_H

#include "model.h"
#include "output.h"

/* What a row is: a device (devices), or a group and one of its members (groups; dev may be
 * NULL for a group without members). */
struct ii_row {
	const struct ii_system *s;
	const struct ii_group *g;
	const struct ii_device *d;
};

enum ii_cell_kind { II_CELL_NULL, II_CELL_STR, II_CELL_INT, II_CELL_BOOL, II_CELL_LIST };

/* One cell: a JSON value, and its text. */
struct ii_cell {
	enum ii_cell_kind kind;
	const char *s;            /* II_CELL_STR */
	long long i;              /* II_CELL_INT */
	bool b;                   /* II_CELL_BOOL */
	const struct strlist *l;  /* II_CELL_LIST */
	const char *text;         /* the text when it is not the value's ("none" for a null group);
				     NULL: "-" for null, the value, "yes"/"no", the items joined by "," */
	char buf[256];            /* room for a value or text the cell composes */
};

struct ii_column {
	const char *name;         /* upper case: the header, and the name -o takes (any case) */
	const char *key;          /* its JSON key */
	const char *help;
	void (*cell)(const struct ii_row *r, struct ii_cell *c);
};

struct ii_columns {
	const char *cmd;          /* "devices" */
	const struct ii_column *cols;
	size_t n;
	const char *defaults;     /* the columns of --raw without -o: "BDF,GROUP,..." */
	const char *array;        /* the JSON array of the rows: "devices", "rows" */
};

extern const struct ii_columns render_device_columns; /* src/render/render-devices.c */
extern const struct ii_columns render_group_columns;  /* src/render/render-groups.c */

/* The columns a command asked for. */
struct ii_colsel {
	const struct ii_columns *t;
	size_t *idx;              /* into t->cols */
	size_t n;
	bool raw;
};
/*
 * -o LIST: names separated by commas, in any case; "+LIST" adds them to the
 * defaults; NULL is the defaults. 0, or -1 with *bad the name that is not a
 * column (owned by the caller).
 */
int render_colsel_parse(struct ii_colsel *sel, const struct ii_columns *t, const char *list,
			bool raw, char **bad);
void render_colsel_free(struct ii_colsel *sel);

/* The rows as a table: a header line and a line per row, or JSON objects in t->array. */
void render_table(struct ii_out *o, const struct ii_colsel *sel, const struct ii_row *rows,
		  size_t n);
/* --list-columns: a line per column (name and help), or JSON "columns": [{name, key, help}]. */
void render_columns_list(struct ii_out *o, const struct ii_columns *t);

/* The table as devices -o shows it (src/render/render-devices.c), and groups -o: a row per
 * member of each group, and one for a group without members (render-groups.c). */
void render_devices_table(struct ii_out *o, const struct ii_system *s,
			  struct ii_device *const *devs, size_t n, const struct ii_colsel *sel);
void render_groups_table(struct ii_out *o, const struct ii_system *s,
			 struct ii_group *const *groups, size_t n, const struct ii_colsel *sel);

/* A device's description as the text shows it: "Ethernet controller: Intel ... 82540EM". */
const char *render_device_description(const struct ii_device *d, char *buf, size_t size);

/* Cells shared by the two tables: a row's device (NULL: every one of them null). */
void render_cell_bdf(const struct ii_row *r, struct ii_cell *c);
void render_cell_vendor_id(const struct ii_row *r, struct ii_cell *c);
void render_cell_device_id(const struct ii_row *r, struct ii_cell *c);
void render_cell_class(const struct ii_row *r, struct ii_cell *c);
void render_cell_category(const struct ii_row *r, struct ii_cell *c);
void render_cell_driver(const struct ii_row *r, struct ii_cell *c);
void render_cell_description(const struct ii_row *r, struct ii_cell *c);
void render_cell_vendor(const struct ii_row *r, struct ii_cell *c);
void render_cell_device(const struct ii_row *r, struct ii_cell *c);
void render_cell_bridge(const struct ii_row *r, struct ii_cell *c);
void render_cell_rmrr(const struct ii_row *r, struct ii_cell *c);
void render_cell_iommu(const struct ii_row *r, struct ii_cell *c);

#endif
