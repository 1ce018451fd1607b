// SPDX-License-Identifier: MIT
/*
 * The systemd journal as a source of kernel records (include/source/journal.h).
 *
 * Journal files are found and opened through the root layer (so that a
 * recorded tree, a copied directory and the live system are read alike, and
 * nothing outside the core opens a file), and handed to libsystemd as
 * descriptors (sd_journal_open_files_fd), which interleaves them. Each file
 * is first tried alone: one damaged or foreign file would fail the whole
 * open, and is instead left out with a warning. An export (journal export
 * format: a snapshot's, or a file the user names) is read whole and parsed
 * by src/parse/parse-journal-export.c.
 *
 * libsystemd takes the descriptors it is given (sd_journal_close closes
 * them): it is given duplicates, and the streams are closed here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

#include "journal.h"
#include "paths.h"

#define EXPORT_MAX ((size_t)1 << 30)   /* an export read whole: 1 GiB at most */
#define JOURNAL_MAGIC "LPKSHHRH"       /* the first bytes of a journal file */

struct ii_journal {
	struct ii_root *root;         /* where the files are */
	struct ii_root *live;         /* --journal-dir, --journal-file: a root of "/" of our own */
	char *display;
	int err;
	struct strlist warnings;
	/* files read by libsystemd */
	sd_journal *sd;
	struct ii_stream *streams;
	size_t nstreams, capstreams;
	unsigned denied;              /* files that could not be opened for lack of permission */
	unsigned damaged;             /* files left out as damaged or not journal files */
	char *denied_name;
	/* an export read whole */
	char *buf;
	size_t len;
	bool is_export;
	/* copies handed out, NUL-terminated; smsg, sdev: what libsystemd returned, kept */
	struct strbuf text, dev, smsg, sdev;
};

static void warn(struct ii_journal *j, const char *fmt, ...) ii_printf_like(2, 3);
static void warn(struct ii_journal *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sl_add_owned(&j->warnings, xvasprintf(fmt, ap));
	va_end(ap);
}

const char *ii_journal_display(const struct ii_journal *j)
{
	return j->display;
}

int ii_journal_error(const struct ii_journal *j)
{
	return j->err;
}

const struct strlist *ii_journal_warnings(const struct ii_journal *j)
{
	return &j->warnings;
}

bool ii_journal_is_files(const struct ii_journal *j)
{
	return !j->is_export;
}

int ii_root_boot_id(struct ii_root *r, char id[II_BOOT_ID_LEN + 1])
{
	char *buf = NULL;
	size_t len = 0;
	int err = ii_root_read_file(r, II_PATH_BOOT_ID, &buf, &len, 128);

	if (err == 0) {
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
			len--;
		if (!ii_boot_id_parse(buf, len, id))
			err = -EINVAL;
	}
	free(buf);
	return err;
}

/* ------------------------------------------------------------------ files */

/* A descriptor for libsystemd, which will close it. */
static int dup_fd(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/* Give fds[0..n) to libsystemd; on failure it may or may not have closed them. */
static int sd_open(sd_journal **out, int *fds, unsigned n)
{
	int r = sd_journal_open_files_fd(out, fds, n, 0);

	if (r < 0) {
		*out = NULL;
		for (unsigned i = 0; i < n; i++)
			if (fcntl(fds[i], F_GETFD) >= 0)
				close(fds[i]);
	}
	return r;
}

/* The first bytes of a file: a journal file, or something to read as an export. */
static bool is_journal_file(struct ii_stream *s)
{
	char magic[8];

	return pread(s->fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
	       !memcmp(magic, JOURNAL_MAGIC, sizeof(magic));
}

/* Keep an opened journal file if libsystemd accepts it alone; else say why and close it. */
static void keep_file(struct ii_journal *j, struct ii_stream *s, const char *display)
{
	sd_journal *t;
	int fd, r;

	if (!is_journal_file(s)) {
		warn(j, "%s: not a journal file (no journal header); left out", display);
		j->damaged++;
		ii_stream_close(s);
		return;
	}
	fd = dup_fd(s->fd);
	r = fd < 0 ? -errno : sd_open(&t, &fd, 1);
	if (r < 0) {
		warn(j, "%s: %s: the journal file is damaged or of an unknown version; left out "
		     "(journalctl --file %s --verify says more)", display, strerror(-r), display);
		j->damaged++;
		ii_stream_close(s);
		return;
	}
	sd_journal_close(t);
	xgrow((void **)&j->streams, &j->capstreams, j->nstreams + 1, sizeof(*j->streams));
	j->streams[j->nstreams++] = *s;
}

static void open_failed(struct ii_journal *j, int err, const char *display)
{
	if (err == -EACCES || err == -EPERM) {
		if (!j->denied++)
			j->denied_name = xstrdup(display);
		return;
	}
	warn(j, "%s: %s; left out", display, strerror(-err));
}

static bool journal_name(const char *name, bool system_only)
{
	size_t n = strlen(name);
	bool suffix = (n > 8 && !strcmp(name + n - 8, ".journal")) ||
		      (n > 9 && !strcmp(name + n - 9, ".journal~"));

	return suffix && (!system_only || !strncmp(name, "system", 6));
}

/* The journal files in rel (and, depth permitting, its subdirectories). */
static void collect_dir(struct ii_journal *j, struct ii_root *r, const char *rel, bool system_only,
			int depth)
{
	struct strlist names = { 0 };
	struct ii_dir d;
	int err = ii_dir_open(r, &d, "%s", rel);

	if (err == 0)
		err = ii_dir_list(&d, NULL, &names);
	if (err < 0) {
		if (err != -ENOENT && err != -ENOTDIR) {
			char *disp = ii_root_display(r, rel);

			open_failed(j, err, disp);
			free(disp);
		}
		ii_dir_close(&d); /* also when it did not open: its path was kept */
		sl_free(&names);
		return;
	}
	for (size_t i = 0; i < names.n; i++) {
		char *path = xasprintf("%s/%s", rel, names.v[i]), *disp = ii_root_display(r, path);
		struct ii_stream s;

		if (journal_name(names.v[i], system_only)) {
			err = ii_stream_open_file(r, &s, path);
			if (err < 0) {
				open_failed(j, err, disp);
				ii_stream_close(&s); /* its path */
			} else {
				keep_file(j, &s, disp);
			}
		} else if (depth > 0 && names.v[i][0] != '.') {
			struct stat st;

			if (ii_root_stat(r, path, &st) == 0 && S_ISDIR(st.st_mode))
				collect_dir(j, r, path, system_only, depth - 1);
		}
		free(path);
		free(disp);
	}
	ii_dir_close(&d);
	sl_free(&names);
}

/* The root's system journal: var/log/journal/<machine-id>/ and run/log/journal/<machine-id>/. */
static void collect_root(struct ii_journal *j)
{
	static const char *const dirs[] = { II_PATH_JOURNAL_PERSISTENT, II_PATH_JOURNAL_VOLATILE };
	char *mid = NULL, id[II_BOOT_ID_LEN + 1];
	size_t len = 0;
	bool have_mid = false;

	if (ii_root_read_file(j->root, II_PATH_MACHINE_ID, &mid, &len, 128) == 0) {
		while (len && (mid[len - 1] == '\n' || mid[len - 1] == ' '))
			len--;
		have_mid = ii_boot_id_parse(mid, len, id);
	}
	free(mid);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (have_mid) {
			char *rel = xasprintf("%s/%s", dirs[i], id);

			collect_dir(j, j->root, rel, true, 0);
			free(rel);
		} else {
			/* no machine id: every machine's directory (the journal of a copied tree) */
			collect_dir(j, j->root, dirs[i], true, 1);
		}
	}
}

/* An export, read whole. */
static int read_export(struct ii_journal *j, struct ii_root *r, const char *rel, const char *path)
{
	int err = r ? ii_root_read_file(r, rel, &j->buf, &j->len, EXPORT_MAX)
		    : ii_host_read_file(path, &j->buf, &j->len, EXPORT_MAX);

	j->is_export = err == 0;
	return err;
}

/* Hand the files kept to libsystemd, all at once. */
static int open_files(struct ii_journal *j)
{
	int *fds, r;

	if (!j->nstreams)
		return 0;
	fds = xcalloc(j->nstreams, sizeof(*fds));
	for (size_t i = 0; i < j->nstreams; i++) {
		fds[i] = dup_fd(j->streams[i].fd);
		if (fds[i] < 0) {
			r = -errno;
			for (size_t k = 0; k < i; k++)
				close(fds[k]);
			free(fds);
			return r;
		}
	}
	r = sd_open(&j->sd, fds, (unsigned)j->nstreams);
	free(fds);
	if (r < 0)
		return r;
	/* whole messages, however long */
	sd_journal_set_data_threshold(j->sd, 0);
	return 0;
}

int ii_journal_open(struct ii_journal **out, struct ii_root *root, const char *dir,
		    const char *file)
{
	struct ii_journal *j = xcalloc(1, sizeof(*j));
	struct stat st;
	int err = 0;

	*out = j;
	j->root = root;
	if (dir || file) {
		char *errs = NULL, *cwd = NULL, *abs;
		const char *p = dir ? dir : file;

		j->live = ii_root_open(NULL, &errs);
		free(errs);
		if (!j->live)
			return j->err = -EIO;
		j->root = j->live;
		j->display = xstrdup(p);
		if (p[0] != '/') {
			cwd = getcwd(NULL, 0);
			abs = xasprintf("%s/%s", cwd ? cwd : ".", p);
		} else {
			abs = xstrdup(p);
		}
		free(cwd);
		if (dir) {
			err = ii_root_stat(j->live, abs, &st);
			if (err == 0 && !S_ISDIR(st.st_mode))
				err = -ENOTDIR;
			if (err == 0)
				collect_dir(j, j->live, abs, false, 2);
		} else {
			struct ii_stream s;

			err = ii_stream_open_file(j->live, &s, abs);
			if (err == 0 && is_journal_file(&s)) {
				keep_file(j, &s, j->display);
			} else {
				ii_stream_close(&s);
				if (err == 0)
					err = read_export(j, j->live, abs, NULL);
				else if (err == -EACCES || err == -EPERM)
					open_failed(j, err, j->display);
			}
		}
		free(abs);
	} else if (!ii_root_is_live(root) && ii_root_stat(root, II_PATH_JOURNAL_EXPORT, &st) == 0) {
		/* a snapshot: the kernel's entries it exported */
		j->display = ii_root_display(root, II_PATH_JOURNAL_EXPORT);
		err = read_export(j, root, II_PATH_JOURNAL_EXPORT, NULL);
	} else {
		j->display = ii_root_display(root, II_PATH_JOURNAL_PERSISTENT);
		collect_root(j);
	}
	if (err == 0 && !j->is_export) {
		if (j->nstreams)
			err = open_files(j);
		else if (j->denied)
			err = -EACCES;
		else if (j->damaged)
			err = -EBADMSG; /* there were journal files, none of them readable */
		else
			err = -ENOENT;
	}
	if (j->denied && err == 0)
		warn(j, "%u journal file%s could not be read (Permission denied), %s the first: their "
		     "entries are left out; add the user to the systemd-journal group (or adm), or "
		     "run as root", j->denied, j->denied == 1 ? "" : "s", j->denied_name);
	return j->err = err;
}

void ii_journal_close(struct ii_journal *j)
{
	if (!j)
		return;
	if (j->sd)
		sd_journal_close(j->sd);
	for (size_t i = 0; i < j->nstreams; i++)
		ii_stream_close(&j->streams[i]);
	free(j->streams);
	if (j->live)
		ii_root_close(j->live);
	free(j->display);
	free(j->denied_name);
	free(j->buf);
	sb_free(&j->text);
	sb_free(&j->dev);
	sb_free(&j->smsg);
	sb_free(&j->sdev);
	sl_free(&j->warnings);
	free(j);
}

/* ------------------------------------------------------------------ entries */

/*
 * The fields of the entry libsystemd is at, in one pass over them (each
 * sd_journal_get_data() call walks the entry's fields again). What
 * libsystemd returns is valid only until its next call, so the message
 * and the device are copied at once.
 */
static void sd_entry(struct ii_journal *j, struct ii_jentry *e)
{
	const void *d;
	size_t n;
	sd_id128_t boot;
	uint64_t us;

	ii_jentry_init(e);
	sd_journal_restart_data(j->sd);
	while (sd_journal_enumerate_data(j->sd, &d, &n) > 0) {
		const char *f = d, *eq = memchr(f, '=', n);
		size_t k;

		if (!eq)
			continue;
		k = (size_t)(eq - f);
		ii_jentry_field(e, f, k, eq + 1, n - k - 1);
		if (e->msg == eq + 1) {
			sb_reset(&j->smsg);
			sb_add(&j->smsg, e->msg, e->msg_len);
			e->msg = j->smsg.buf ? j->smsg.buf : "";
		} else if (e->device == eq + 1) {
			sb_reset(&j->sdev);
			sb_add(&j->sdev, e->device, e->device_len);
			e->device = j->sdev.buf ? j->sdev.buf : "";
		}
	}
	if (sd_journal_get_realtime_usec(j->sd, &us) >= 0) {
		e->has_realtime = true;
		e->realtime = us;
	}
	if (!e->mono_source && sd_journal_get_monotonic_usec(j->sd, &us, &boot) >= 0) {
		e->has_mono = true;
		e->mono = us;
	}
}

/* The record of an entry, its text and device copied to be NUL-terminated. */
static void to_record(struct ii_journal *j, const struct ii_jentry *e, struct ii_logrec *r)
{
	memset(r, 0, sizeof(*r));
	sb_reset(&j->text);
	sb_add(&j->text, e->msg ? e->msg : "", e->msg ? e->msg_len : 0);
	r->prio = e->prio;
	r->has_usec = e->has_mono;
	r->usec = e->mono;
	r->kernel = true;
	r->wall = (struct ii_walltime){ .usec = -1 };
	r->text = j->text.buf ? j->text.buf : "";
	r->len = j->text.len;
	r->has_realtime = e->has_realtime;
	r->realtime = e->realtime;
	if (e->device) {
		sb_reset(&j->dev);
		sb_add(&j->dev, e->device, e->device_len);
		r->device = j->dev.buf;
	}
}

/* Walk every entry (export) or the entries libsystemd matches; fn(ctx, entry) each. */
typedef int (*entry_fn)(struct ii_journal *j, const struct ii_jentry *e, void *ctx);

static int walk(struct ii_journal *j, const char *boot, entry_fn fn, void *ctx)
{
	struct ii_jentry e;
	int r;

	if (j->err)
		return j->err;
	if (j->is_export) {
		size_t off = 0;

		while ((r = ii_jexport_next(j->buf, j->len, &off, &e)) > 0) {
			if (boot && (!e.has_boot || strcmp(e.boot, boot) || !e.kernel))
				continue;
			if ((r = fn(j, &e, ctx)) != 0)
				return r;
		}
		if (r < 0)
			warn(j, "%s: not in the journal export format at byte %zu (cut or damaged): "
			     "the rest is left out", j->display, off);
		return r;
	}
	sd_journal_flush_matches(j->sd);
	if (boot) {
		char m[16 + II_BOOT_ID_LEN];

		snprintf(m, sizeof(m), "_BOOT_ID=%s", boot);
		if ((r = sd_journal_add_match(j->sd, m, 0)) < 0 ||
		    (r = sd_journal_add_match(j->sd, "_TRANSPORT=kernel", 0)) < 0)
			return r;
	}
	if ((r = sd_journal_seek_head(j->sd)) < 0)
		return r;
	while ((r = sd_journal_next(j->sd)) > 0) {
		sd_entry(j, &e);
		if ((r = fn(j, &e, ctx)) != 0)
			break;
	}
	sd_journal_flush_matches(j->sd);
	if (r < 0)
		warn(j, "%s: %s while reading the journal (damaged, or rotated away): the entries "
		     "after it are left out", j->display, strerror(-r));
	return r;
}

/* --------------------------------------------------------------------- boots */

struct boots {
	struct ii_jboot *v;
	size_t n, cap;
};

static int boot_cmp(const void *a, const void *b)
{
	const struct ii_jboot *x = a, *y = b;

	if (x->first_realtime != y->first_realtime)
		return x->first_realtime < y->first_realtime ? -1 : 1;
	return strcmp(x->id, y->id);
}

static struct ii_jboot *boot_of(struct boots *b, const char *id)
{
	/* the entries of a boot come together: the last one is the likely one */
	for (size_t i = b->n; i-- > 0;)
		if (!strcmp(b->v[i].id, id))
			return &b->v[i];
	xgrow((void **)&b->v, &b->cap, b->n + 1, sizeof(*b->v));
	memset(&b->v[b->n], 0, sizeof(b->v[b->n]));
	memcpy(b->v[b->n].id, id, sizeof(b->v[b->n].id));
	return &b->v[b->n++];
}

static void boot_saw(struct ii_jboot *b, const struct ii_jentry *e)
{
	if (!e->has_realtime)
		return;
	if (!b->has_first || e->realtime < b->first_realtime)
		b->first_realtime = e->realtime;
	if (!b->has_last || e->realtime > b->last_realtime)
		b->last_realtime = e->realtime;
	b->has_first = b->has_last = true;
}

static int export_boot(struct ii_journal *j, const struct ii_jentry *e, void *ctx)
{
	(void)j;
	if (e->has_boot)
		boot_saw(boot_of(ctx, e->boot), e);
	return 0;
}

/* libsystemd: the boot ids it indexes, and the first and last entry of each. */
static int sd_boots(struct ii_journal *j, struct boots *b)
{
	const void *d;
	size_t n;
	int r = sd_journal_query_unique(j->sd, "_BOOT_ID");

	if (r < 0)
		return r;
	SD_JOURNAL_FOREACH_UNIQUE(j->sd, d, n) {
		char id[II_BOOT_ID_LEN + 1];

		if (n > 9 && ii_boot_id_parse((const char *)d + 9, n - 9, id))
			boot_of(b, id);
	}
	for (size_t i = 0; i < b->n; i++) {
		struct ii_jboot *bt = &b->v[i];
		char m[16 + II_BOOT_ID_LEN];
		uint64_t us;

		sd_journal_flush_matches(j->sd);
		snprintf(m, sizeof(m), "_BOOT_ID=%s", bt->id);
		if ((r = sd_journal_add_match(j->sd, m, 0)) < 0)
			break;
		if (sd_journal_seek_head(j->sd) >= 0 && sd_journal_next(j->sd) > 0 &&
		    sd_journal_get_realtime_usec(j->sd, &us) >= 0) {
			bt->has_first = true;
			bt->first_realtime = us;
		}
		if (sd_journal_seek_tail(j->sd) >= 0 && sd_journal_previous(j->sd) > 0 &&
		    sd_journal_get_realtime_usec(j->sd, &us) >= 0) {
			bt->has_last = true;
			bt->last_realtime = us;
		}
	}
	sd_journal_flush_matches(j->sd);
	return r < 0 ? r : 0;
}

int ii_journal_boots(struct ii_journal *j, struct ii_jboot **out, size_t *n)
{
	struct boots b = { 0 };
	int r;

	if (j->err)
		r = j->err;
	else if (j->is_export)
		r = walk(j, NULL, export_boot, &b);
	else
		r = sd_boots(j, &b);
	/* a boot without a time (an entry without __REALTIME_TIMESTAMP) sorts first */
	if (b.n)
		qsort(b.v, b.n, sizeof(*b.v), boot_cmp);
	*out = b.v;
	*n = b.n;
	return r < 0 ? r : 0;
}

/* ------------------------------------------------------------------- reading */

struct reading {
	ii_logrec_fn fn;
	void *ctx;
	struct ii_journal_stats *st;
	struct strbuf *out;
};

static int read_one(struct ii_journal *j, const struct ii_jentry *e, void *ctx)
{
	struct reading *rd = ctx;
	struct ii_logrec r;

	if (!e->kernel)
		return 0;
	to_record(j, e, &r);
	rd->st->entries++;
	rd->st->bytes += r.len;
	return rd->fn(rd->ctx, &r);
}

int ii_journal_read(struct ii_journal *j, const char *boot, ii_logrec_fn fn, void *ctx,
		    struct ii_journal_stats *st)
{
	struct ii_journal_stats local = { 0 };
	struct reading rd = { fn, ctx, st ? st : &local, NULL };

	return walk(j, boot, read_one, &rd);
}

static int export_one(struct ii_journal *j, const struct ii_jentry *e, void *ctx)
{
	struct reading *rd = ctx;
	struct strbuf *o = rd->out;

	(void)j;
	if (!e->kernel)
		return 0;
	if (e->has_realtime)
		ii_jexport_put_u64(o, "__REALTIME_TIMESTAMP", e->realtime);
	if (e->has_mono && !e->mono_source)
		ii_jexport_put_u64(o, "__MONOTONIC_TIMESTAMP", e->mono);
	if (e->has_boot)
		ii_jexport_put(o, "_BOOT_ID", e->boot, II_BOOT_ID_LEN);
	ii_jexport_put(o, "_TRANSPORT", "kernel", 6);
	if (e->prio >= 0) {
		char p = (char)('0' + e->prio);

		ii_jexport_put(o, "PRIORITY", &p, 1);
	}
	if (e->has_mono && e->mono_source) {
		/* systemd-journal-remote wants the journal's own monotonic time too */
		ii_jexport_put_u64(o, "__MONOTONIC_TIMESTAMP", e->mono);
		ii_jexport_put_u64(o, "_SOURCE_MONOTONIC_TIMESTAMP", e->mono);
	}
	if (e->device)
		ii_jexport_put(o, "_KERNEL_DEVICE", e->device, e->device_len);
	ii_jexport_put(o, "MESSAGE", e->msg ? e->msg : "", e->msg ? e->msg_len : 0);
	ii_jexport_end(o);
	rd->st->entries++;
	return 0;
}

int ii_journal_export(struct ii_journal *j, const char *boot, struct strbuf *out,
		      uint64_t *entries)
{
	struct ii_journal_stats st = { 0 };
	struct reading rd = { NULL, NULL, &st, out };
	int r = walk(j, boot, export_one, &rd);

	if (entries)
		*entries = st.entries;
	return r;
}
