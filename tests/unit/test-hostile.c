// SPDX-License-Identifier: MIT
/*
 * Hostile input at the two core layers that meet it first: the root layer
 * (what may be read: FIFOs, NUL bytes; the refusals it reports) and the
 * output layer (control bytes never reach a terminal). tests/hostile/ runs
 * the whole program on hostile trees.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "output.h"
#include "root.h"
#include "test.h"

/* ---------------------------------------------------------------- output */

static char *text_of(void (*fn)(struct ii_out *o))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ii_out *o = out_new(f, II_FMT_TEXT, false);

	fn(o);
	CHECK_INT(out_free(o), 0);
	fclose(f);
	return buf;
}

static void write_fields(struct ii_out *o)
{
	struct strlist l = { 0 };

	out_str(o, "t", "type %s\n", "DMA\x1b]0;x\x07");
	out_str(o, "t", "[%s]\n", "a\tb\nc\rd\x7f");
	out_str(o, "t", "[%s]\n", "c1 \xc2\x9b lone \x9b utf8 \xc3\xa9 end");
	sl_add(&l, "eth\x1b[31m0");
	sl_add(&l, "ok");
	out_strlist(o, "names", "names %s\n", ", ", &l);
	out_text(o, "%s\tcol\n", "drv\x1b[2J");
	sl_free(&l);
}

static void write_formats(struct ii_out *o)
{
	out_text(o, "[%5llu.%06llu] %-*s|%#llx %9.1f %zu %c %% %x %d %ld %s\n", 12ULL, 345ULL, 8,
		 "ab", 0xfedULL, 2.25, (size_t)7, 'q', 255u, -3, -4L, "end");
	out_text(o, "%-12s|%.3s|%*.*s|\n", "dev", "abcdef", 6, 2, "xyz");
	out_text(o, "name %s\tnext\n", "a\nforged line");
}

/* The program's formats print as printf prints them; their arguments are escaped. */
TEST(output_text_formats_as_printf)
{
	char *s = text_of(write_formats), want[256];

	snprintf(want, sizeof(want), "[%5llu.%06llu] %-*s|%#llx %9.1f %zu %c %% %x %d %ld %s\n"
		 "%-12s|%.3s|%*.*s|\n", 12ULL, 345ULL, 8, "ab", 0xfedULL, 2.25, (size_t)7, 'q', 255u,
		 -3, -4L, "end", "dev", "abcdef", 6, 2, "xyz");
	strcat(want, "name a\\x0aforged line\tnext\n");
	CHECK_STR(s, want);
	free(s);
}

TEST(output_text_escapes_control_bytes)
{
	char *s = text_of(write_fields);

	CHECK_STR(s, "type DMA\\x1b]0;x\\x07\n"
		     "[a\\x09b\\x0ac\\x0dd\\x7f]\n"
		     "[c1 \\xc2\\x9b lone \\x9b utf8 \xc3\xa9 end]\n"
		     "names eth\\x1b[31m0, ok\n"
		     "drv\\x1b[2J\tcol\n");
	free(s);
}

static void write_long_text(struct ii_out *o)
{
	char big[2000];

	memset(big, 'x', sizeof(big) - 2);
	big[0] = '\x1b';
	big[sizeof(big) - 2] = '\x07';
	big[sizeof(big) - 1] = '\0';
	out_text(o, "%s\n", big);
}

TEST(output_text_escapes_long_text)
{
	char *s = text_of(write_long_text);

	CHECK(!strchr(s, '\x1b') && !strchr(s, '\x07'));
	CHECK(!strncmp(s, "\\x1bxxx", 7));
	CHECK_INT(strlen(s), 4 + 1997 + 4 + 1); /* \x1b, the x, \x07, the newline */
	free(s);
}

/* ------------------------------------------------------------ root layer */

struct htree {
	char top[256];
};

static bool make_htree(struct htree *t)
{
	const char *tmp = getenv("TMPDIR");
	char p[512];
	int fd;

	snprintf(t->top, sizeof(t->top), "%s/ii-unit-hostile.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t->top))
		return false;
	snprintf(p, sizeof(p), "%s/sys", t->top);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/sys/fifo", t->top);
	CHECK_INT(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/sys/nul", t->top);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	CHECK_INT(write(fd, "DMA\0\0garbage\n", 13), 13);
	close(fd);
	snprintf(p, sizeof(p), "%s/sys/link-to-fifo", t->top);
	CHECK_INT(symlink("/sys/fifo", p), 0);
	return true;
}

TEST(root_refuses_fifos_and_reports_them)
{
	struct ii_diags d = { 0 };
	struct htree t;
	struct ii_root *r;
	struct ii_dir dir;
	char buf[64], *err = NULL, *file;
	size_t len;

	if (!make_htree(&t))
		return;
	r = ii_root_open(t.top, &err);
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(ii_dir_open(r, &dir, "sys"), 0);
		/* none of these blocks: each is refused */
		CHECK_INT(ii_dir_read(&dir, "fifo", buf, sizeof(buf)), -ENXIO);
		CHECK_INT(ii_dir_read(&dir, "link-to-fifo", buf, sizeof(buf)), -ENXIO);
		CHECK_INT(ii_root_read_file(r, "sys/fifo", &file, &len, 100), -ENXIO);
		ii_dir_close(&dir);
		/* one warning each, named as in messages, and none for what a warning names */
		ii_warn(&d, "%s/sys/fifo: not a regular file but a FIFO, socket or device node: "
			"type unknown", t.top);
		ii_root_warn_refused(r, &d);
		CHECK_INT(d.warnings.n, 2);
		if (d.warnings.n == 2)
			CHECK(strstr(d.warnings.v[1], "/sys/link-to-fifo: not a regular file") != NULL);
		ii_root_warn_refused(r, &d); /* reported once */
		CHECK_INT(d.warnings.n, 2);
		ii_root_close(r);
	}
	sl_free(&d.warnings);
	ii_tree_remove(t.top);
}

TEST(root_text_with_a_nul_is_an_error)
{
	struct htree t;
	struct ii_root *r;
	struct ii_dir dir;
	char buf[64], *err = NULL, *file = NULL;
	size_t len;

	if (!make_htree(&t))
		return;
	r = ii_root_open(t.top, &err);
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(ii_dir_open(r, &dir, "sys"), 0);
		CHECK_INT(ii_dir_read(&dir, "nul", buf, sizeof(buf)), -EBADMSG);
		CHECK_INT(ii_dir_read_file(&dir, "nul", &file, &len, 100), -EBADMSG);
		CHECK(file == NULL);
		/* binary readers take the bytes as they are */
		CHECK_INT(ii_dir_read_bin(&dir, "nul", buf, sizeof(buf)), 13);
		CHECK_INT(ii_root_read_file(r, "sys/nul", &file, &len, 100), 0);
		CHECK_INT(len, 13);
		free(file);
		CHECK_INT(ii_root_read_text(r, "sys/nul", &file, &len, 100), -EBADMSG);
		ii_dir_close(&dir);
		ii_root_close(r);
	}
	ii_tree_remove(t.top);
}

TEST(root_unfinished_snapshot_noted)
{
	struct htree t;
	struct ii_root *r;
	char p[512], *err = NULL;
	int fd;

	if (!make_htree(&t))
		return;
	r = ii_root_open(t.top, &err);
	CHECK(r && ii_root_note(r) == NULL);
	ii_root_close(r);
	snprintf(p, sizeof(p), "%s/" II_TREE_UNFINISHED, t.top);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	close(fd);
	r = ii_root_open(t.top, &err);
	CHECK(r && ii_root_note(r) && strstr(ii_root_note(r), "not finished"));
	ii_root_close(r);
	ii_tree_remove(t.top);
}
