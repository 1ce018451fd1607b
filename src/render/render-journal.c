// SPDX-License-Identifier: MIT
/*
 * The journal's boots, text and JSON (include/render/render-journal.h):
 *
 *   IDX BOOT ID                          FIRST ENTRY                      LAST ENTRY
 *    -1 0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5f 2026-11-22T04:40:01.000990+00:00 ...
 *     0 1a2b3c4d5e6f708192a3b4c5d6e7f809 2026-11-22T05:40:01.000990+00:00 ...  (this boot)
 */
#include <string.h>

#include "paths.h"
#include "render-journal.h"

static void time_field(struct ii_out *o, const char *key, const char *val, bool last)
{
	if (val[0])
		out_str(o, key, last ? " %s" : " %-32s", val);
	else
		out_null(o, key, last ? " %s" : " %-32s");
}

static void boot_fields(struct ii_out *o, const struct ii_boot_row *row)
{
	out_int(o, "index", "%3lld", row->index);
	out_int(o, "number", NULL, row->number);
	out_str(o, "id", " %s", row->b.id);
	time_field(o, "first_entry", row->first, false);
	time_field(o, "last_entry", row->last, true);
	out_bool(o, "current", NULL, row->current);
}

void render_boot_list(struct ii_out *o, const struct ii_jrun *jr)
{
	out_str(o, "journal", NULL, ii_journal_display(jr->j));
	out_text(o, "%-3s %-32s %-32s %s\n", "IDX", "BOOT ID", "FIRST ENTRY", "LAST ENTRY");
	out_open_arr(o, "boots");
	for (size_t i = 0; i < jr->nrows; i++) {
		out_open_obj(o, NULL);
		boot_fields(o, &jr->rows[i]);
		out_text(o, "%s\n", jr->rows[i].current ? " (this boot)" : "");
		out_close_obj(o);
	}
	out_close_arr(o);
	if (!jr->nrows)
		out_text(o, "(no boots in %s)\n", ii_journal_display(jr->j));
}

void render_journal_boot(struct ii_out *o, const struct ii_jrun *jr)
{
	const struct ii_boot_row *row = jr->chosen;

	out_open_obj(o, "journal");
	out_text(o, "Kernel log of boot %ld (%s%s) from ", row->index, row->b.id,
		 row->current ? ", this boot" : "");
	out_str(o, "source", "%s", ii_journal_display(jr->j));
	out_open_obj(o, "boot");
	out_int(o, "index", NULL, row->index);
	out_int(o, "number", NULL, row->number);
	out_str(o, "id", NULL, row->b.id);
	if (row->first[0])
		out_str(o, "first_entry", ", %s", row->first);
	else
		out_null(o, "first_entry", NULL);
	if (row->last[0])
		out_str(o, "last_entry", " to %s", row->last);
	else
		out_null(o, "last_entry", NULL);
	out_bool(o, "current", NULL, row->current);
	out_close_obj(o);
	out_str(o, "attribution", NULL, ii_boot_attr_key(jr->attr));
	out_text(o, "\n");
	switch (jr->attr) {
	case II_BOOT_ATTR_CURRENT:
		break;
	case II_BOOT_ATTR_OTHER:
		out_text(o, "Note: not the boot the devices are read from: faults show their "
			    "requester, without group or driver.\n");
		break;
	case II_BOOT_ATTR_UNKNOWN:
		out_text(o, "Note: the running boot is unknown (no %s): faults show their requester, "
			    "without group or driver.\n", II_PATH_BOOT_ID);
		break;
	}
	out_close_obj(o);
}
