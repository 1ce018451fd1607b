// SPDX-License-Identifier: MIT
/*
 * src/source/source-log-bulk.c against src/source/source-kmsg.c: a file of log
 * text read by the bulk reader (two threads, the lines kept in compact slots,
 * the batches cut wherever the chunks end) gives the same records, field for
 * field, as the same file read in one thread. The file mixes the forms of
 * log text (plain dmesg, which has a one-pass path, and the others), CRLF,
 * NULs, an rsyslog #012, a line longer than the limit, and a last line
 * without a newline, and is long enough for lines to straddle chunks.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "logsrc.h"
#include "test.h"

struct rec {
	int prio;
	bool has_usec, kernel, indented, one_line;
	uint64_t usec, lineno;
	struct ii_walltime wall;
	char *text;
	size_t len;
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

static int keep(void *ctx, const struct ii_logrec *r)
{
	struct recs *rs = ctx;
	struct rec *k;

	xgrow((void **)&rs->v, &rs->cap, rs->n + 1, sizeof(*rs->v));
	k = &rs->v[rs->n++];
	k->prio = r->prio;
	k->has_usec = r->has_usec;
	k->kernel = r->kernel;
	k->indented = r->indented;
	k->one_line = r->one_line;
	k->usec = r->has_usec ? r->usec : 0;
	k->lineno = r->lineno;
	k->wall = r->wall;
	k->len = r->len;
	k->text = malloc(r->len + 1);
	memcpy(k->text, r->text, r->len + 1); /* with its NUL */
	return 0;
}

static void recs_free(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->v[i].text);
	free(rs->v);
}

static bool same_wall(const struct ii_walltime *a, const struct ii_walltime *b)
{
	if (a->valid != b->valid)
		return false;
	return !a->valid || (a->year == b->year && a->mon == b->mon && a->mday == b->mday &&
			     a->hour == b->hour && a->min == b->min && a->sec == b->sec &&
			     a->usec == b->usec && a->has_tz == b->has_tz && a->tz_min == b->tz_min);
}

static const char *const forms[] = {
	"[    1.001003] DMAR: DRHD: handling fault status reg 2\n",
	"[    1.001921] DMAR: [DMA Read NO_PASID] Request device [08:19.0] fault addr 0xa98ae000 "
	"[fault reason 0x06] PTE Read access is not set\n",
	"[    2.000000] vfio-pci 0000:33:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0036 "
	"address=0x22eedc3f000 flags=0x0050]\r\n",
	"            continued on an indented line\n",
	"[Sat Nov 22 04:41:09 2026] DMAR: x\n",
	"2026-11-22T04:41:09.423946+01:00 host kernel: [    9.423946] DMAR: y\n",
	"2026-11-22T04:41:09-0530 host kernel: z\n",
	/* the widest values each packed field of a slot holds (struct ii_textslot) */
	"9999-12-31T23:59:59.999999-09:59 host kernel: the last second\n",
	"0001-01-01T00:00:00.000000+14:00 host kernel: the first\n",
	"<7>[4294967295.999999] debug, the largest time\n",
	"Nov  2 04:41:09 host kernel: a#012b#012c\n",
	"Nov 22 04:41:09.5 host sshd[12]: not the kernel\n",
	"Sat 2026-11-22 04:41:09 UTC host kernel: w\n",
	"-- Boot 0123456789abcdef --\n",
	"<3>[    9.423946] raw priority\n",
	"kern  :err   : [    9.423946] decoded priority\n",
	"[    3.000000] a NUL\0 inside\n",
	"[    4.000000] joined     [    4.000001] DMAR: second\n",
	"[    5.000000] kernel: tagged\n",
	"[    5.000001] host kernel: tagged with a host\n",
	"[  116.882012][    C0] caller\n",
	"plain text without a time\n",
	"\n",
	"\r\n",
};

TEST(logsrc_bulk_same_records_as_one_thread)
{
	char path[] = "/tmp/logsrc.XXXXXX";
	int fd = mkstemp(path);
	struct strbuf sb = { 0 };
	struct recs a = { 0 }, b = { 0 };
	struct ii_logsrc ls;
	size_t i, nforms = II_ARRAY_SIZE(forms);
	uint64_t overlong[2], cut_offset[2], cut_lineno[2], records[2];

	CHECK(fd >= 0);
	/* about 1 MiB: the lines straddle the 128 KiB chunks at many offsets */
	for (i = 0; sb.len < (1u << 20); i++) {
		const char *f = forms[i % nforms];
		size_t n = strlen(f);

		if (strstr(f, "a NUL"))
			n = 29; /* the NUL and what follows it */
		sb_add(&sb, f, n);
		if (i % 97 == 0)
			sb_addf(&sb, "[%5zu.%06zu] padding %*s\n", i, i % 1000000, (int)(i % 301), "");
	}
	/* a line longer than the limit, then a last line without a newline */
	sb_adds(&sb, "[    6.000000] ");
	for (i = 0; i < II_LOG_LINE_MAX + 100; i++)
		sb_add(&sb, "y", 1);
	sb_adds(&sb, "\n[    7.000000] DMAR: the last, without a newline");
	CHECK(write(fd, sb.buf, sb.len) == (ssize_t)sb.len);
	close(fd);

	CHECK_INT(ii_logsrc_open_file(&ls, path, II_LOG_TEXT, NULL), 0);
	CHECK(ls.regular);
	CHECK_INT(ii_logsrc_read_all(&ls, keep, &a), 0);
	overlong[0] = ls.overlong;
	cut_offset[0] = ls.cut_offset;
	cut_lineno[0] = ls.cut_lineno;
	records[0] = ls.records;
	ii_logsrc_close(&ls);

	CHECK_INT(ii_logsrc_open_file(&ls, path, II_LOG_TEXT, NULL), 0);
	CHECK_INT(ii_logsrc_read(&ls, keep, &b, true), 0);
	overlong[1] = ls.overlong;
	cut_offset[1] = ls.cut_offset;
	cut_lineno[1] = ls.cut_lineno;
	records[1] = ls.records;
	ii_logsrc_close(&ls);
	unlink(path);

	CHECK(a.n > 10000);
	CHECK_U64(a.n, b.n);
	CHECK_U64(records[0], records[1]);
	CHECK_U64(overlong[0], 1);
	CHECK_U64(overlong[0], overlong[1]);
	CHECK_U64(cut_offset[0], cut_offset[1]);
	CHECK_U64(cut_lineno[0], cut_lineno[1]);
	for (i = 0; i < a.n && i < b.n; i++) {
		const struct rec *x = &a.v[i], *y = &b.v[i];

		if (x->prio != y->prio || x->has_usec != y->has_usec || x->usec != y->usec ||
		    x->lineno != y->lineno || x->kernel != y->kernel || x->indented != y->indented ||
		    x->one_line != y->one_line || x->one_line != !memchr(x->text, '\n', x->len) ||
		    !same_wall(&x->wall, &y->wall) || x->len != y->len ||
		    memcmp(x->text, y->text, x->len + 1)) {
			t_fail(__FILE__, __LINE__, "record %zu (line %llu) differs: \"%.60s\"", i,
			       (unsigned long long)y->lineno, y->text);
			break;
		}
	}
	/* the widest values went through the slot whole */
	for (i = 0; i < a.n; i++) {
		const struct rec *x = &a.v[i];

		if (!strcmp(x->text, "the last second")) {
			CHECK(x->wall.valid && x->wall.year == 9999 && x->wall.mon == 12 &&
			      x->wall.mday == 31 && x->wall.hour == 23 && x->wall.min == 59 &&
			      x->wall.sec == 59 && x->wall.usec == 999999 && x->wall.has_tz &&
			      x->wall.tz_min == -599);
			break;
		}
	}
	CHECK(i < a.n);
	for (i = 0; i < a.n && strcmp(a.v[i].text, "debug, the largest time"); i++)
		;
	CHECK(i < a.n && a.v[i].prio == 7 && a.v[i].has_usec && a.v[i].usec == 4294967295999999ull);
	/* the last line, without its newline, is a record too */
	CHECK(a.n && !strcmp(a.v[a.n - 1].text, "DMAR: the last, without a newline"));
	recs_free(&a);
	recs_free(&b);
	sb_free(&sb);
}

/*
 * Work ahead (ls->pre): a reader that finds the ring full runs pre on lines
 * of batches the caller has not reached; each record comes with what pre
 * gave for its own text, or without (the caller's thread did that part).
 * A slow caller lets the reader work ahead; a fast one takes most itself.
 */
static size_t pre_sum(const char *text, size_t len, unsigned char *out)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 1099511628211ull;
	memcpy(out, &h, 8);
	memcpy(out + 8, &len, sizeof(len));
	return 8 + sizeof(len);
}

struct pre_seen {
	size_t n, with_pre, bad, pause_every;
	uint64_t last_lineno;
};

static int check_pre(void *ctx, const struct ii_logrec *r)
{
	struct pre_seen *s = ctx;
	unsigned char want[32];

	if (r->lineno <= s->last_lineno && r->lineno != s->last_lineno)
		s->bad++; /* out of order */
	s->last_lineno = r->lineno;
	s->n++;
	if (r->pre) {
		s->with_pre++;
		if (!r->kernel || !r->one_line || !r->len ||
		    memcmp(r->pre, want, pre_sum(r->text, r->len, want)))
			s->bad++;
	}
	if (s->pause_every && s->n % s->pause_every == 1)
		usleep(150000); /* a slow caller: the reader fills the ring and works ahead */
	return 0;
}

TEST(logsrc_bulk_work_ahead)
{
	char path[] = "/tmp/logsrc.XXXXXX";
	int fd = mkstemp(path);
	struct strbuf sb = { 0 };
	size_t i, nforms = II_ARRAY_SIZE(forms), lines = 0;

	CHECK(fd >= 0);
	/* 3 MiB: the ring of 128 KiB batches fills many times */
	for (i = 0; sb.len < (3u << 20); i++) {
		const char *f = forms[i % nforms];

		if (strstr(f, "a NUL"))
			continue;
		sb_adds(&sb, f);
		lines++;
	}
	CHECK(write(fd, sb.buf, sb.len) == (ssize_t)sb.len);
	close(fd);
	for (int slow = 0; slow < 2; slow++) {
		struct pre_seen s = { .pause_every = slow ? 40000 : 0 };
		struct ii_logsrc ls;

		CHECK_INT(ii_logsrc_open_file(&ls, path, II_LOG_TEXT, NULL), 0);
		ls.pre = pre_sum;
		ls.pre_max = 32;
		CHECK_INT(ii_logsrc_read_all(&ls, check_pre, &s), 0);
		CHECK_U64(s.n, ls.records);
		CHECK(s.n > lines / 2);
		CHECK_U64(s.bad, 0);
		if (slow)
			CHECK(s.with_pre > 0); /* the reader did part of it */
		ii_logsrc_close(&ls);
	}
	unlink(path);
	sb_free(&sb);
}
