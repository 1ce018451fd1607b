/* SPDX-License-Identifier: MIT */
/*
 * The journal's boots for `faults --boot` and `--list-boots`
 * (src/model/model-journal.c): which boot a --boot value means (like
 * `journalctl -k -b N`), whether it is the boot the root's devices are of,
 * and so whether faults may be joined with them.
 *
 *   --boot, --boot=0   the root's running (or recorded) boot when the journal
 *                      has it, else the journal's last boot
 *   --boot=-1          the boot before that one, and so on back
 *   --boot=1           the journal's first boot, 2 the second, ...
 *   --boot=ID          the boot with this id (32 hex digits, dashes allowed)
 */
#ifndef II_JRUN_H
#define II_JRUN_H

#include "journal.h"
#include "output.h"

/* What --boot said. */
struct ii_boot_sel {
	bool by_id;
	char id[II_BOOT_ID_LEN + 1];
	long offset;
};
/* "" (no value), "0", "-1", "3", an id; -EINVAL otherwise. */
int ii_boot_sel_parse(const char *s, struct ii_boot_sel *sel);

/* Why a boot's faults are joined with the root's devices, or not. */
enum ii_boot_attr {
	II_BOOT_ATTR_CURRENT,   /* the root's boot: its devices are those the faults name */
	II_BOOT_ATTR_OTHER,     /* another boot: the devices may have changed since */
	II_BOOT_ATTR_UNKNOWN,   /* the root's boot id is unknown (a snapshot that lacks it) */
};
const char *ii_boot_attr_key(enum ii_boot_attr a); /* "current-boot", "other-boot", "boot-unknown" */

/* A boot as shown: its index counted back from the last (journalctl --list-boots' IDX). */
struct ii_boot_row {
	struct ii_jboot b;
	long index;            /* 0 the last, -1 the one before, ... */
	long number;           /* 1 the first, 2 the second, ... */
	bool current;          /* the root's boot */
	char first[40], last[40]; /* the first and last entries' local times, "" unknown */
};

struct ii_jrun {
	struct ii_journal *j;
	int err;                     /* opening or listing: 0 or -errno */
	bool named;                  /* --journal-dir or --journal-file, not the root's */
	struct ii_boot_row *rows;    /* the boots, oldest first */
	size_t nrows;
	bool has_root_boot;
	char root_boot[II_BOOT_ID_LEN + 1];
	/* set by ii_jrun_choose */
	const struct ii_boot_row *chosen;
	enum ii_boot_attr attr;
};

/* Open the journal (dir, file: --journal-dir, --journal-file; NULL the root's) and list its boots. */
int ii_jrun_open(struct ii_jrun *jr, struct ii_root *root, const char *dir, const char *file);
/* The boot sel names: 0, or -ENOENT when the journal has no such boot (or none at all). */
int ii_jrun_choose(struct ii_jrun *jr, const struct ii_boot_sel *sel);
/* Why it cannot be read, or which boot is missing, with what to do: owned by the caller. */
char *ii_jrun_error(const struct ii_jrun *jr, const struct ii_boot_sel *sel);
void ii_jrun_close(struct ii_jrun *jr);

/* What `snapshot --journal-boots N` recorded. */
struct ii_journal_rec_stats {
	unsigned boots;        /* boots exported */
	uint64_t entries;      /* kernel entries exported */
};
/*
 * The kernel's entries of the root journal's last nboots boots, in the journal
 * export format, into out (what a snapshot keeps as II_PATH_JOURNAL_EXPORT).
 * Returns 0 or -errno; *why (owned by the caller) says why nothing could be
 * exported, and d gets the journal's warnings.
 */
int ii_journal_snapshot(struct ii_root *root, unsigned nboots, struct strbuf *out,
			struct ii_journal_rec_stats *st, struct ii_diags *d, char **why);

#endif
