// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: kernel log text through the fault line parser and the
 * assembler (src/parse-fault.c, src/parse-fault-asm.c), and the summary
 * (src/model-faults.c). The first byte picks the form of the rest: 'k' for
 * /dev/kmsg records (ii_parse_kmsg_buf), anything else for log text, each
 * line through ii_parse_textline (src/parse/parse-logtext.c) first, and each
 * record a paste joined into one line on its own. Each line of text is also
 * parsed, packed and unpacked (src/parse/parse-fault-pack.c, what the bulk
 * reader hands over): the same as parsed, or abort.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"
#include "logtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void terminated(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

static void on_fault(void *ctx, struct ii_fault *f)
{
	struct ii_fsum *s = ctx;

	terminated(f->msg, sizeof(f->msg));
	terminated(f->reason, sizeof(f->reason));
	terminated(f->unit, sizeof(f->unit));
	terminated(f->client, sizeof(f->client));
	if (f->has_reason && !f->reason[0] && f->complete)
		abort(); /* a decoded reason is never empty */
	if ((unsigned)f->vendor > II_VENDOR_OTHER || (f->access & ~0xfu))
		abort();
	ii_fsum_fault(s, f, f->reason_code & 1);
}

static void on_drop(void *ctx, const struct ii_fault_drop *d)
{
	terminated(d->msg, sizeof(d->msg));
	terminated(d->function, sizeof(d->function));
	ii_fsum_drop(ctx, d, true);
}

static void on_unparsed(void *ctx, const struct ii_logpos *pos, enum ii_vendor v, const char *line,
			size_t len)
{
	struct ii_fsum *s = ctx;

	(void)pos;
	(void)v;
	if (len && !line)
		abort();
	s->unparsed++;
}

/* A line parsed ahead and unpacked gives what the parser gave (what the assembler reads). */
static void pack_roundtrip(const char *text, size_t len)
{
	static struct ii_fline parsed, unpacked;
	static unsigned char buf[II_FLINE_PACK_MAX];
	size_t n;

	ii_fault_parse_line(text, len, &parsed);
	n = ii_fault_preparse(text, len, buf);
	if (n < 1 || n > II_FLINE_PACK_MAX)
		abort();
	ii_fline_unpack(buf, &unpacked);
	if (parsed.kind != unpacked.kind || parsed.value != unpacked.value)
		abort();
	if (parsed.kind == II_FL_NONE)
		return;
	if (parsed.kind == II_FL_SMMU_DWORD) { /* its fault is not set: only these are read */
		if (strcmp(parsed.prefix_dev, unpacked.prefix_dev))
			abort();
		return;
	}
	if (memcmp(&parsed.f, &unpacked.f, offsetof(struct ii_fault, unit)) ||
	    strcmp(parsed.f.unit, unpacked.f.unit) || strcmp(parsed.f.client, unpacked.f.client) ||
	    strcmp(parsed.f.reason, unpacked.f.reason) ||
	    strcmp(parsed.prefix_dev, unpacked.prefix_dev) || unpacked.f.msg[0] ||
	    (parsed.kind == II_FL_SUPPRESSED && strcmp(parsed.function, unpacked.function)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ii_fasm a;
	struct ii_fsum s = { 0 };
	/* the length's last bit: with and without messages (the summary's way) */
	struct ii_fault_sink sink = { on_fault, on_drop, on_unparsed, &s, size & 1 };
	struct strbuf scratch = { 0 };
	const char *buf = (const char *)data + 1;
	bool kmsg;
	size_t off = 0;

	if (!size)
		return 0;
	kmsg = data[0] == 'k';
	size--;
	ii_fasm_init(&a, &sink);
	while (off < size) {
		struct ii_logpos pos = { 0 };
		size_t n;

		if (kmsg) {
			struct ii_kmsg m;

			n = ii_kmsg_record_len(buf + off, size - off);
			if (n == 0 || n > size - off)
				abort();
			if (ii_parse_kmsg_buf(buf + off, n, &m, &scratch) == 0) {
				pos.has_seq = pos.has_usec = true;
				pos.seq = m.seq;
				pos.usec = m.usec;
				ii_fasm_record(&a, &pos, m.text, strlen(m.text), m.device);
			}
		} else {
			const char *nl = memchr(buf + off, '\n', size - off);
			struct ii_textline t;
			size_t at = 0, len;

			n = nl ? (size_t)(nl - (buf + off)) + 1 : size - off;
			len = n - (nl ? 1 : 0);
			/* a line may hold several records a paste joined: each from where the last said */
			for (;;) {
				ii_parse_textline(buf + off + at, len - at, &t);
				if (t.msg > t.msg_end || t.msg_end > len - at || (t.next && t.next <= t.msg) ||
				    t.next > len - at)
					abort();
				pos.has_usec = t.has_usec;
				pos.usec = t.usec;
				ii_logpos_times(&pos, &t.wall, false, 0);
				terminated(pos.wall, sizeof(pos.wall));
				ii_fasm_record(&a, &pos, buf + off + at + t.msg, t.msg_end - t.msg, NULL);
				pack_roundtrip(buf + off + at + t.msg, t.msg_end - t.msg);
				if (!t.next)
					break;
				at += t.next;
			}
		}
		off += n;
	}
	ii_fasm_flush(&a);
	ii_fsum_finish(&s, true);
	ii_fsum_sort(&s);
	for (size_t i = 1; i < s.nrows; i++)
		if (!s.rows[i].count)
			abort();
	ii_fsum_free(&s);
	sb_free(&scratch);
	return 0;
}
