// SPDX-License-Identifier: MIT
/* src/parse-kmsg.c: /dev/kmsg records (kernel-interfaces §5.1). */
#include <errno.h>
#include <stdlib.h>

#include "fixture.h"
#include "parse.h"
#include "test.h"

static int parse(const char *rec, struct ii_kmsg *m)
{
	return ii_parse_kmsg(rec, strlen(rec), m);
}

TEST(kmsg_real_records)
{
	struct ii_kmsg m;

	/* fixtures/intel-q35/dev/kmsg, record 0 */
	CHECK_INT(parse("5,0,0,-;Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) "
			"#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)\n", &m), 0);
	CHECK_INT(m.prio, 5);
	CHECK_U64(m.seq, 0);
	CHECK_U64(m.usec, 0);
	CHECK(!m.cont);
	CHECK_STR(m.text, "Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) "
			  "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)");
	CHECK(m.subsystem == NULL);
	CHECK(m.device == NULL);
	ii_kmsg_free(&m);
	CHECK(m.text == NULL);

	CHECK_INT(parse("6,117,499958,-;DMAR-IR: Enabled IRQ remapping in xapic mode\n", &m), 0);
	CHECK_INT(m.prio, 6);
	CHECK_U64(m.seq, 117);
	CHECK_U64(m.usec, 499958);
	CHECK_STR(m.text, "DMAR-IR: Enabled IRQ remapping in xapic mode");
	ii_kmsg_free(&m);

	/* trailing space of the message is kept (§5.6 relies on it) */
	CHECK_INT(parse("6,356,1762302,-;iommu: Default domain type: Translated \n", &m), 0);
	CHECK_STR(m.text, "iommu: Default domain type: Translated ");
	ii_kmsg_free(&m);

	/* intel-faults: a warning-level record with a large timestamp */
	CHECK_INT(parse("4,627,35255838,-;dmar_fault: 8 callbacks suppressed\n", &m), 0);
	CHECK_INT(m.prio, 4);
	CHECK_U64(m.seq, 627);
	CHECK_U64(m.usec, 35255838);
	CHECK_STR(m.text, "dmar_fault: 8 callbacks suppressed");
	ii_kmsg_free(&m);

	/* the last line needs no newline */
	CHECK_INT(parse("3,1,2,-;no newline", &m), 0);
	CHECK_STR(m.text, "no newline");
	ii_kmsg_free(&m);
	/* nor any text */
	CHECK_INT(parse("6,9,10,-;\n", &m), 0);
	CHECK_STR(m.text, "");
	ii_kmsg_free(&m);
}

TEST(kmsg_escapes)
{
	struct ii_kmsg m;

	/* fixtures/intel-q35/dev/kmsg records 100 and 501 */
	CHECK_INT(parse("6,100,416244,-;rcu: \\x09RCU restricting CPUs from NR_CPUS=8192 to "
			"nr_cpu_ids=2.\n", &m), 0);
	CHECK_STR(m.text, "rcu: \tRCU restricting CPUs from NR_CPUS=8192 to nr_cpu_ids=2.");
	ii_kmsg_free(&m);
	CHECK_INT(parse("6,501,2296779,-;ACPI: \\x5c_SB_.GSIE: Enabled at IRQ 20\n", &m), 0);
	CHECK_STR(m.text, "ACPI: \\_SB_.GSIE: Enabled at IRQ 20");
	ii_kmsg_free(&m);

	/* an embedded newline stays in one record (§5.1) */
	CHECK_INT(parse("3,594,71394593,-;e1000 0000:06:01.0 eth1: Detected Tx Unit Hang\\x0a"
			"  Tx Queue             <0>\\x0a  TDH                  <5>\n", &m), 0);
	CHECK_STR(m.text, "e1000 0000:06:01.0 eth1: Detected Tx Unit Hang\n  Tx Queue             <0>\n"
			  "  TDH                  <5>");
	CHECK_U64(m.seq, 594);
	ii_kmsg_free(&m);

	/* upper-case digits, bytes >= 0x80, and an escape right at the end */
	CHECK_INT(parse("6,1,1,-;a\\xC3\\xa9b\\x7f\\x41\n", &m), 0);
	CHECK_STR(m.text, "a\xc3\xa9" "b\x7f" "A");
	ii_kmsg_free(&m);

	/* what is not a complete escape is copied as is */
	CHECK_INT(parse("6,1,1,-;\\x4g \\x \\y \\\\x41 end\\x4\n", &m), 0);
	CHECK_STR(m.text, "\\x4g \\x \\y \\A end\\x4");
	ii_kmsg_free(&m);
	CHECK_INT(parse("6,1,1,-;\\", &m), 0);
	CHECK_STR(m.text, "\\");
	ii_kmsg_free(&m);
	CHECK_INT(parse("6,1,1,-;\\x", &m), 0);
	CHECK_STR(m.text, "\\x");
	ii_kmsg_free(&m);
	CHECK_INT(parse("6,1,1,-;\\x4", &m), 0);
	CHECK_STR(m.text, "\\x4");
	ii_kmsg_free(&m);
}

TEST(kmsg_dictionary)
{
	static const char rec[] = "6,468,1965107,-;pci 0000:00:05.0: Adding to iommu group 2\n"
				  " SUBSYSTEM=pci\n"
				  " DEVICE=+pci:0000:00:05.0\n";
	struct ii_kmsg m;

	/* fixtures/intel-q35/dev/kmsg record 468 */
	CHECK_INT(parse(rec, &m), 0);
	CHECK_U64(m.seq, 468);
	CHECK_STR(m.text, "pci 0000:00:05.0: Adding to iommu group 2");
	CHECK_STR(m.subsystem, "pci");
	CHECK_STR(m.device, "+pci:0000:00:05.0");
	ii_kmsg_free(&m);
	CHECK(m.subsystem == NULL && m.device == NULL);

	/* §5.1 examples, other keys ignored, the first of a key kept, escapes decoded */
	CHECK_INT(parse("3,2211,10554400,-;iommu ivhd0: AMD-Vi: Event logged [ILLEGAL_DEV_TABLE_ENTRY "
			"device=0000:05:00.0 pasid=0x00000 address=0xfffffff0 flags=0x0a00]\n"
			" SUBSYSTEM=iommu\n"
			" DEVICE=+iommu:ivhd0\n", &m), 0);
	CHECK_STR(m.subsystem, "iommu");
	CHECK_STR(m.device, "+iommu:ivhd0");
	ii_kmsg_free(&m);
	CHECK_INT(parse("6,5,5,-;eth0: link up\n"
			" SUBSYSTEM=net\n"
			" INTERFACE=eth0\n"
			" DEVICE=n2\n"
			" DEVICE=n3\n"
			" SUBSYSTEM=other", &m), 0);
	CHECK_STR(m.text, "eth0: link up");
	CHECK_STR(m.subsystem, "net");
	CHECK_STR(m.device, "n2");
	ii_kmsg_free(&m);
	CHECK_INT(parse("6,5,5,-;x\n DEVICE=+acpi:\\x5c_SB_\n", &m), 0);
	CHECK(m.subsystem == NULL);
	CHECK_STR(m.device, "+acpi:\\_SB_");
	ii_kmsg_free(&m);
	/* DEVICE= with no value is not a device */
	CHECK_INT(parse("6,5,5,-;x\n DEVICE=\n SUBSYSTEM=\n", &m), 0);
	CHECK(m.subsystem == NULL);
	CHECK(m.device == NULL);
	ii_kmsg_free(&m);
	/* parsing stops at the next record */
	CHECK_INT(parse("6,5,5,-;x\n6,6,6,-;y\n SUBSYSTEM=pci\n", &m), 0);
	CHECK_STR(m.text, "x");
	CHECK(m.subsystem == NULL);
	ii_kmsg_free(&m);
}

TEST(kmsg_header_fields)
{
	struct ii_kmsg m;

	/* 'c' marks a continuation fragment */
	CHECK_INT(parse("6,482,2489541,c; PreF PPR\n", &m), 0);
	CHECK(m.cont);
	CHECK_STR(m.text, " PreF PPR");
	ii_kmsg_free(&m);
	CHECK_INT(parse("6,482,2489541,-; PreF PPR\n", &m), 0);
	CHECK(!m.cont);
	ii_kmsg_free(&m);

	/* caller= (CONFIG_PRINTK_CALLER) and future fields are ignored */
	CHECK_INT(parse("6,10,20,-,caller=T1;text\n", &m), 0);
	CHECK_INT(m.prio, 6);
	CHECK_U64(m.seq, 10);
	CHECK_U64(m.usec, 20);
	CHECK(!m.cont);
	CHECK_STR(m.text, "text");
	ii_kmsg_free(&m);
	CHECK_INT(parse("4,11,21,c,caller=C3,future=cc,more;t\n", &m), 0);
	CHECK(m.cont);
	CHECK_STR(m.text, "t");
	ii_kmsg_free(&m);
	/* a 'c' in the other fields is not the flag */
	CHECK_INT(parse("4,11,21,-,caller=C3;t\n", &m), 0);
	CHECK(!m.cont);
	ii_kmsg_free(&m);
	/* an empty flags field */
	CHECK_INT(parse("4,11,21,;t\n", &m), 0);
	CHECK(!m.cont);
	ii_kmsg_free(&m);

	/* the text starts at the first ';' */
	CHECK_INT(parse("6,12,22,-;a;b,c\n", &m), 0);
	CHECK_STR(m.text, "a;b,c");
	ii_kmsg_free(&m);

	/* userspace facilities, and the largest values */
	CHECK_INT(parse("14,13,23,-;from userspace\n", &m), 0);
	CHECK_INT(m.prio, 14);
	ii_kmsg_free(&m);
	CHECK_INT(parse("1023,18446744073709551615,18446744073709551615,-;max\n", &m), 0);
	CHECK_INT(m.prio, 1023);
	CHECK_U64(m.seq, UINT64_MAX);
	CHECK_U64(m.usec, UINT64_MAX);
	ii_kmsg_free(&m);
}

TEST(kmsg_malformed_headers)
{
	static const char *const bad[] = {
		"",
		"\n",
		";text\n",
		"no header at all\n",
		"6,1,2;missing flags\n",
		"6,1;short\n",
		"6;short\n",
		"6,1,2,-\n",              /* no ';' */
		"6,1,2,-text\n",          /* no ';' */
		"6,1,2,-\n;text on the next line\n",
		"x,1,2,-;bad prio\n",
		"6,x,2,-;bad seq\n",
		"6,1,x,-;bad usec\n",
		"-6,1,2,-;negative\n",
		"6,-1,2,-;negative\n",
		"+6,1,2,-;plus\n",
		" 6,1,2,-;leading space\n",
		"6 ,1,2,-;space\n",
		"6,,2,-;empty seq\n",
		"6,1,,-;empty usec\n",
		",1,2,-;empty prio\n",
		"6,1,2x,-;junk after usec\n",
		"1024,1,2,-;prio too large\n",
		"6,18446744073709551616,2,-;seq overflows\n",
		"6,1,99999999999999999999,-;usec overflows\n",
		" SUBSYSTEM=pci\n",
	};
	struct ii_kmsg m;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = parse(bad[i], &m);

		if (ret != -EINVAL)
			t_fail(__FILE__, __LINE__, "accepted \"%s\" (%d)", bad[i], ret);
		/* nothing to free on failure */
		CHECK(m.text == NULL && m.subsystem == NULL && m.device == NULL);
		ii_kmsg_free(&m);
	}
}

TEST(kmsg_length_is_respected)
{
	static const char buf[] = "6,1,2,-;abcdef\n SUBSYSTEM=pci\n";
	struct ii_kmsg m;

	/* a record cut short: the parser must not read past len */
	CHECK_INT(ii_parse_kmsg(buf, 10, &m), 0);
	CHECK_STR(m.text, "ab");
	ii_kmsg_free(&m);
	CHECK_INT(ii_parse_kmsg(buf, 7, &m), -EINVAL);
	ii_kmsg_free(&m);
	CHECK_INT(ii_parse_kmsg(buf, 0, &m), -EINVAL);
	ii_kmsg_free(&m);
	/* the dictionary line cut inside its key */
	CHECK_INT(ii_parse_kmsg(buf, 20, &m), 0);
	CHECK_STR(m.text, "abcdef");
	CHECK(m.subsystem == NULL);
	ii_kmsg_free(&m);
	/* cut after the key's first byte of value */
	CHECK_INT(ii_parse_kmsg(buf, 27, &m), 0);
	CHECK_STR(m.subsystem, "p");
	ii_kmsg_free(&m);
}

TEST(kmsg_record_len)
{
	static const char buf[] = "6,1,2,-;one\n"
				  "6,2,3,-;two\n"
				  " SUBSYSTEM=pci\n"
				  " DEVICE=+pci:0000:00:02.0\n"
				  "6,3,4,-;three\n"
				  "6,4,5,-;four, no newline";
	size_t len = sizeof(buf) - 1, off = 0, n;

	n = ii_kmsg_record_len(buf, len);
	CHECK_INT(n, 12);
	off += n;
	n = ii_kmsg_record_len(buf + off, len - off);
	CHECK_INT(n, 12 + 15 + 26);
	off += n;
	n = ii_kmsg_record_len(buf + off, len - off);
	CHECK_INT(n, 14);
	off += n;
	n = ii_kmsg_record_len(buf + off, len - off);
	CHECK_INT(n, strlen("6,4,5,-;four, no newline"));
	off += n;
	CHECK_INT(off, len);
	CHECK_INT(ii_kmsg_record_len(buf, 0), 0);
	/* a dictionary line at the very end, without its newline */
	CHECK_INT(ii_kmsg_record_len("6,1,2,-;x\n SUB", 15), 15);
	CHECK_INT(ii_kmsg_record_len("6,1,2,-;x\n", 10), 10);
	CHECK_INT(ii_kmsg_record_len("\n\n", 2), 1);
}

/* Walk a whole recorded dev/kmsg: every record parses and the sequence has no gaps. */
static void walk_fixture(const char *tree, size_t want_records, size_t want_dict,
			 size_t want_tabs, size_t want_backslashes)
{
	char rel[128], *buf;
	size_t len, off = 0, records = 0, dict = 0, tabs = 0, backslashes = 0;

	snprintf(rel, sizeof(rel), "%s/dev/kmsg", tree);
	buf = fx_read(rel, &len);
	if (!buf) {
		t_fail(__FILE__, __LINE__, "cannot read fixtures/%s", rel);
		return;
	}
	while (off < len) {
		size_t n = ii_kmsg_record_len(buf + off, len - off);
		struct ii_kmsg m;

		if (n == 0 || n > len - off) {
			t_fail(__FILE__, __LINE__, "%s: record length %zu at %zu", rel, n, off);
			break;
		}
		if (ii_parse_kmsg(buf + off, n, &m)) {
			t_fail(__FILE__, __LINE__, "%s: record at offset %zu rejected", rel, off);
		} else {
			if (m.seq != records)
				t_fail(__FILE__, __LINE__, "%s: seq %" PRIu64 " at record %zu", rel,
				       m.seq, records);
			if (m.subsystem && m.device)
				dict++;
			else if (m.subsystem || m.device)
				t_fail(__FILE__, __LINE__, "%s: seq %" PRIu64 ": half a dictionary",
				       rel, m.seq);
			if (strchr(m.text, '\t'))
				tabs++;
			if (strchr(m.text, '\\'))
				backslashes++;
			if (strstr(m.text, "\\x") || strchr(m.text, '\n'))
				t_fail(__FILE__, __LINE__, "%s: seq %" PRIu64 ": escape left", rel, m.seq);
		}
		ii_kmsg_free(&m);
		records++;
		off += n;
	}
	CHECK_INT(records, want_records);
	CHECK_INT(dict, want_dict);
	CHECK_INT(tabs, want_tabs);
	CHECK_INT(backslashes, want_backslashes);
	free(buf);
}

TEST(kmsg_fixture_streams)
{
	walk_fixture("intel-q35", 600, 211, 5, 4);
	walk_fixture("amd-q35", 594, 215, 5, 4);
	walk_fixture("intel-debugfs", 652, 213, 4, 5);
	walk_fixture("intel-faults", 630, 211, 5, 4);
	walk_fixture("no-iommu", 565, 190, 5, 4);
}

/*
 * The in-place parser, which the reader uses: the strings are decoded where
 * they are, end in NULs written over their newlines, and point into the
 * record; nothing after the record is touched, except rec[len] when the
 * record does not end in a newline.
 */
TEST(kmsg_inplace)
{
	static const struct {
		const char *rec, *text, *subsystem, *device;
		size_t text_len;
	} cases[] = {
		{ "3,603,9423946,-;DMAR: [DMA Read NO_PASID] Request device [00:05.0] x\n",
		  "DMAR: [DMA Read NO_PASID] Request device [00:05.0] x", NULL, NULL, 52 },
		{ "6,1,2,c,caller=T1;tab\\x09and\\x5cbackslash\n SUBSYSTEM=pci\n DEVICE=+pci:0000:00:02.0\n",
		  "tab\tand\\backslash", "pci", "+pci:0000:00:02.0", 17 },
		{ "3,2,3,-;Hang\\x0a  Tx Queue <0>\n", "Hang\n  Tx Queue <0>", NULL, NULL, 19 },
		{ "4,5,6,-;no newline at the end", "no newline at the end", NULL, NULL, 21 },
		{ "4,5,6,-;\n DEVICE=\\x41\n DEVICE=second\n SUBSYSTEM=\n", "", NULL, "A", 0 },
		{ "4,5,6,-;x\n SUBSYSTEM=pci", "x", "pci", NULL, 1 },
		{ "4,5,6,-;nul \\x00 inside\n", "nul ", NULL, NULL, 4 },
		{ "4,5,6,-;bad escape \\x4 and \\q\n", "bad escape \\x4 and \\q", NULL, NULL, 21 },
	};

	for (size_t i = 0; i < II_ARRAY_SIZE(cases); i++) {
		size_t len = strlen(cases[i].rec), line, n;
		char *buf = xmalloc(len + 8);
		bool nl_end = cases[i].rec[len - 1] == '\n';
		struct ii_kmsg m;

		memcpy(buf, cases[i].rec, len);
		memset(buf + len, '#', 8);
		n = ii_kmsg_record_span(buf, len, &line);
		CHECK_INT(n, len);
		CHECK_INT(line, strcspn(cases[i].rec, "\n"));
		CHECK_INT(ii_parse_kmsg_inplace(buf, len, line, &m), 0);
		CHECK_STR(m.text, cases[i].text);
		CHECK_INT(m.text_len, cases[i].text_len);
		CHECK(m.text > buf && m.text < buf + len);
		CHECK((m.subsystem == NULL) == (cases[i].subsystem == NULL));
		if (m.subsystem && cases[i].subsystem) {
			CHECK_STR(m.subsystem, cases[i].subsystem);
			CHECK(m.subsystem > buf && m.subsystem < buf + len);
		}
		CHECK((m.device == NULL) == (cases[i].device == NULL));
		if (m.device && cases[i].device)
			CHECK_STR(m.device, cases[i].device);
		/* the byte after the record: a NUL only when the record ends without a newline */
		CHECK_INT(buf[len], nl_end ? '#' : '\0');
		CHECK_INT(buf[len + 1], '#');
		free(buf);
	}
	{
		/* a line shorter than the record: the rest of the first line is not the text */
		char buf[] = "3,1,2,-;abcdef\n";
		struct ii_kmsg m;

		CHECK_INT(ii_parse_kmsg_inplace(buf, sizeof(buf) - 1, 11, &m), 0);
		CHECK_STR(m.text, "abc");
		/* the ';' must be on the first line */
		CHECK_INT(ii_parse_kmsg_inplace(buf, sizeof(buf) - 1, 6, &m), -EINVAL);
	}
}

/* ii_parse_kmsg_buf and ii_parse_kmsg leave the caller's record as it was. */
TEST(kmsg_buf_and_alloc_copy)
{
	static const char rec[] = "6,1,2,-;tab\\x09x\n SUBSYSTEM=pci\n";
	struct strbuf sb = { 0 };
	struct ii_kmsg a, b;

	CHECK_INT(ii_parse_kmsg(rec, sizeof(rec) - 1, &a), 0);
	CHECK_INT(ii_parse_kmsg_buf(rec, sizeof(rec) - 1, &b, &sb), 0);
	CHECK_STR(rec, "6,1,2,-;tab\\x09x\n SUBSYSTEM=pci\n");
	CHECK_STR(a.text, "tab\tx");
	CHECK_STR(b.text, "tab\tx");
	CHECK_STR(a.subsystem, "pci");
	CHECK_STR(b.subsystem, "pci");
	CHECK(a.text != b.text);
	ii_kmsg_free(&a);
	CHECK_INT(ii_parse_kmsg_buf("3,x,1,-;text\n", 13, &b, &sb), -EINVAL);
	CHECK_INT(ii_parse_kmsg_buf("no semicolon\n", 13, &b, &sb), -EINVAL);
	sb_free(&sb);
}
