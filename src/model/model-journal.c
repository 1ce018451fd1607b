// SPDX-License-Identifier: MIT
/*
 * The journal's boots (include/model/jrun.h): the list `--list-boots`
 * shows, the boot a --boot value names, and whether its faults may be
 * joined with the root's devices. The numbering is journalctl's: boots
 * counted back from the last one (0, -1, ...), or forward from the first
 * (1, 2, ...); but 0 is the root's own boot whenever the journal has it,
 * as `journalctl -b` on a machine means its running boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"
#include "jrun.h"

static const char *const attr_keys[] = {
	[II_BOOT_ATTR_CURRENT] = "current-boot",
	[II_BOOT_ATTR_OTHER] = "other-boot",
	[II_BOOT_ATTR_UNKNOWN] = "boot-unknown",
};

const char *ii_boot_attr_key(enum ii_boot_attr a)
{
	return (unsigned)a < sizeof(attr_keys) / sizeof(attr_keys[0]) ? attr_keys[a] : "?";
}

int ii_boot_sel_parse(const char *s, struct ii_boot_sel *sel)
{
	memset(sel, 0, sizeof(*sel));
	if (!s || !*s)
		return 0;
	if (strlen(s) >= II_BOOT_ID_LEN && ii_boot_id_parse(s, strlen(s), sel->id)) {
		sel->by_id = true;
		return 0;
	}
	{
		char *end;
		long v;

		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || end == s || *end || v < -100000 || v > 100000)
			return -EINVAL;
		sel->offset = v;
	}
	return 0;
}

/* The local time of a wall-clock instant, as fault times are shown. */
static void local_time(uint64_t realtime, char *buf, size_t size)
{
	struct ii_logpos pos = { .has_usec = true, .usec = 0 };

	ii_logpos_times(&pos, NULL, true, (int64_t)realtime);
	snprintf(buf, size, "%s", pos.wall);
}

int ii_jrun_open(struct ii_jrun *jr, struct ii_root *root, const char *dir, const char *file)
{
	struct ii_jboot *boots = NULL;
	size_t n = 0;

	memset(jr, 0, sizeof(*jr));
	jr->named = dir || file;
	jr->has_root_boot = ii_root_boot_id(root, jr->root_boot) == 0;
	jr->err = ii_journal_open(&jr->j, root, dir, file);
	if (jr->err)
		return jr->err;
	/* a journal damaged part of the way gives the boots before the damage (and a warning) */
	if (ii_journal_boots(jr->j, &boots, &n) < 0 && !n)
		jr->err = -EBADMSG;
	jr->rows = xcalloc(n ? n : 1, sizeof(*jr->rows));
	for (size_t i = 0; i < n; i++) {
		struct ii_boot_row *row = &jr->rows[i];

		row->b = boots[i];
		row->index = (long)i - (long)(n - 1);
		row->number = (long)i + 1;
		row->current = jr->has_root_boot && !strcmp(row->b.id, jr->root_boot);
		if (row->b.has_first)
			local_time(row->b.first_realtime, row->first, sizeof(row->first));
		if (row->b.has_last)
			local_time(row->b.last_realtime, row->last, sizeof(row->last));
	}
	jr->nrows = n;
	free(boots);
	return jr->err;
}

int ii_jrun_choose(struct ii_jrun *jr, const struct ii_boot_sel *sel)
{
	long base = (long)jr->nrows - 1, at;

	jr->chosen = NULL;
	if (!jr->nrows)
		return -ENOENT;
	if (sel->by_id) {
		for (size_t i = 0; i < jr->nrows; i++)
			if (!strcmp(jr->rows[i].b.id, sel->id))
				jr->chosen = &jr->rows[i];
	} else {
		for (size_t i = 0; i < jr->nrows; i++)
			if (jr->rows[i].current)
				base = (long)i;
		at = sel->offset > 0 ? sel->offset - 1 : base + sel->offset;
		if (at >= 0 && at < (long)jr->nrows)
			jr->chosen = &jr->rows[at];
	}
	if (!jr->chosen)
		return -ENOENT;
	jr->attr = jr->chosen->current ? II_BOOT_ATTR_CURRENT :
		   jr->has_root_boot ? II_BOOT_ATTR_OTHER : II_BOOT_ATTR_UNKNOWN;
	return 0;
}

char *ii_jrun_error(const struct ii_jrun *jr, const struct ii_boot_sel *sel)
{
	const char *where = jr->j ? ii_journal_display(jr->j) : "the journal";

	switch (jr->err) {
	case 0:
		break;
	case -EACCES:
	case -EPERM:
		return xasprintf("cannot read the journal in %s: %s; add the user to the "
				 "systemd-journal group (usermod -aG systemd-journal USER, then log in "
				 "again; the adm group also reads it), or run as root", where,
				 strerror(-jr->err));
	case -ENOENT:
		if (jr->named)
			return xasprintf("no journal in %s: it does not exist, or holds no journal "
					 "files (*.journal)", where);
		return xasprintf("no journal in %s: systemd-journald keeps it in /var/log/journal "
				 "(or /run/log/journal when it is not persistent); a snapshot has it "
				 "when recorded with snapshot --journal-boots N; or name one with "
				 "--journal-dir or --journal-file", where);
	case -ENODATA:
	case -EBADMSG:
		return xasprintf("nothing could be read in %s: %s: not a journal file or a journal "
				 "export, or damaged or cut short (the warnings name each file left out; "
				 "journalctl --file FILE --verify says more)", where, strerror(-jr->err));
	default:
		return xasprintf("cannot read the journal in %s: %s", where, strerror(-jr->err));
	}
	if (!jr->nrows)
		return xasprintf("the journal in %s has no entries", where);
	if (sel && sel->by_id)
		return xasprintf("the journal in %s has no boot %s (--list-boots shows its %zu)",
				 where, sel->id, jr->nrows);
	return xasprintf("the journal in %s has no boot %ld: it has %zu (--list-boots shows them)",
			 where, sel ? sel->offset : 0, jr->nrows);
}

void ii_jrun_close(struct ii_jrun *jr)
{
	ii_journal_close(jr->j);
	free(jr->rows);
	memset(jr, 0, sizeof(*jr));
}

int ii_journal_snapshot(struct ii_root *root, unsigned nboots, struct strbuf *out,
			struct ii_journal_rec_stats *st, struct ii_diags *d, char **why)
{
	struct ii_jrun jr;
	int err = ii_jrun_open(&jr, root, NULL, NULL);
	const struct strlist *w;

	memset(st, 0, sizeof(*st));
	*why = NULL;
	if (err == 0 && !jr.nrows)
		err = -ENODATA;
	if (err) {
		*why = ii_jrun_error(&jr, NULL);
	} else {
		size_t from = jr.nrows > nboots ? jr.nrows - nboots : 0;

		for (size_t i = from; i < jr.nrows; i++) {
			uint64_t n = 0;

			ii_journal_export(jr.j, jr.rows[i].b.id, out, &n);
			st->boots++;
			st->entries += n;
		}
	}
	w = jr.j ? ii_journal_warnings(jr.j) : NULL;
	for (size_t i = 0; w && i < w->n; i++)
		ii_warn(d, "%s", w->v[i]);
	ii_jrun_close(&jr);
	return err;
}
