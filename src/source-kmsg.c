// SPDX-License-Identifier: MIT
/*
 * The kernel log: dev/kmsg, a character device on the live system (one record
 * per read) or a file of records in a snapshot (kernel-interfaces §5.1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

#define KMSG_PATH "dev/kmsg"
#define RECORD_MAX 16384

struct feed {
	struct ii_system *s;
	size_t bad;
};

static void one_record(struct feed *f, const char *rec, size_t len)
{
	struct ii_kmsg m;

	if (len == 0 || (len == 1 && rec[0] == '\n'))
		return;
	if (ii_parse_kmsg(rec, len, &m) < 0) {
		f->bad++;
		return;
	}
	ii_logfacts_feed(&f->s->log, &m);
	ii_kmsg_free(&m);
}

/* Split a file of records; a record ends at a newline not followed by a space. */
static int read_file(struct ii_stream *st, struct feed *f)
{
	struct strbuf sb = { 0 };
	char chunk[65536];
	size_t done = 0;

	for (;;) {
		ssize_t n = ii_stream_read(st, chunk, sizeof(chunk));
		bool eof = n == 0;

		if (n < 0) {
			sb_free(&sb);
			return (int)n;
		}
		sb_add(&sb, chunk, (size_t)n);
		while (done < sb.len) {
			size_t len = ii_kmsg_record_len(sb.buf + done, sb.len - done);
			/* incomplete unless followed by the next record's first byte, or at EOF */
			if (!eof && done + len >= sb.len)
				break;
			one_record(f, sb.buf + done, len);
			done += len;
		}
		if (eof)
			break;
		if (done > sizeof(chunk)) {
			memmove(sb.buf, sb.buf + done, sb.len - done);
			sb.len -= done;
			done = 0;
		}
	}
	sb_free(&sb);
	return 0;
}

/* The live device: each read returns one record; EAGAIN at the end, EPIPE after overwrites. */
static int read_device(struct ii_stream *st, struct feed *f)
{
	char *rec = xmalloc(RECORD_MAX);

	for (;;) {
		ssize_t n = ii_stream_read(st, rec, RECORD_MAX - 1);
		if (n == -EPIPE)
			continue; /* records were overwritten while reading: go on from the oldest */
		if (n == -EAGAIN || n == 0)
			break;
		if (n < 0) {
			free(rec);
			return (int)n;
		}
		one_record(f, rec, (size_t)n);
	}
	free(rec);
	return 0;
}

void ii_src_log(struct ii_system *s)
{
	struct ii_stream st;
	struct feed f = { .s = s };
	int err = ii_stream_open(s->root, &st, KMSG_PATH, true);

	if (err == 0)
		err = st.chardev ? read_device(&st, &f) : read_file(&st, &f);
	s->log_err = err;
	if (err < 0 && !(err == -ENOENT && !ii_root_is_live(s->root))) {
		char *path = ii_root_display(s->root, KMSG_PATH);
		if (err == -EPERM || err == -EACCES)
			ii_warn(&s->diags, "%s: %s; run as root or set sysctl kernel.dmesg_restrict=0: "
				"facts from the kernel log are unknown", path, strerror(-err));
		else
			ii_warn(&s->diags, "%s: %s: facts from the kernel log are unknown", path,
				strerror(-err));
		free(path);
	}
	if (f.bad) {
		char *path = ii_root_display(s->root, KMSG_PATH);
		ii_warn(&s->diags, "%s: %zu line%s not in /dev/kmsg record format; ignored", path,
			f.bad, f.bad == 1 ? " is" : "s are");
		free(path);
	}
	if (err == 0 && !st.chardev && f.s->log.records == 0 && !f.bad)
		s->log_err = -ENODATA;
	ii_stream_close(&st);
}
