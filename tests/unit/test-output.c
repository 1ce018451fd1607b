// SPDX-License-Identifier: MIT
/* src/output.c: one API for text and JSON. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "output.h"
#include "test.h"

/* An output writing to memory. */
struct mem {
	FILE *f;
	char *buf;
	size_t len;
	struct ii_out *o;
};

static void mem_open(struct mem *m, enum ii_format fmt, bool pretty)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	m->o = out_new(m->f, fmt, pretty);
}

/* Everything written so far (after a flush). */
static const char *mem_peek(struct mem *m)
{
	fflush(m->f);
	return m->buf ? m->buf : "";
}

/* Free the output and return what it wrote (owned). */
static char *mem_close(struct mem *m)
{
	CHECK_INT(out_free(m->o), 0);
	fclose(m->f);
	return m->buf;
}

#define CHECK_DOC(m, want)                       \
	do {                                     \
		char *t_doc = mem_close(m);      \
		CHECK_STR(t_doc, want);          \
		free(t_doc);                     \
	} while (0)

TEST(output_json_empty_document)
{
	struct mem m;

	mem_open(&m, II_FMT_JSON, false);
	CHECK(out_is_json(m.o));
	out_begin(m.o);
	out_end(m.o, NULL);
	CHECK_DOC(&m, "{\"schema_version\":1,\"warnings\":[]}\n");

	mem_open(&m, II_FMT_JSON, true);
	out_begin(m.o);
	out_end(m.o, NULL);
	CHECK_DOC(&m, "{\n  \"schema_version\": 1,\n  \"warnings\": []\n}\n");
}

TEST(output_json_scalars)
{
	struct mem m;

	mem_open(&m, II_FMT_JSON, false);
	out_begin(m.o);
	out_str(m.o, "s", "%s", "text");
	out_str(m.o, "sn", "%s", NULL);
	out_int(m.o, "i", "%lld", -5);
	out_int(m.o, "imin", NULL, INT64_MIN);
	out_uint(m.o, "u", "%llu", 18446744073709551615ULL);
	out_hex(m.o, "h", "%llx", 0xfed90000, 16);
	out_hex(m.o, "h0", NULL, 0x1f, 0);
	out_hex(m.o, "h4", NULL, 0x1b36, 4);
	out_hex(m.o, "h2", NULL, 0x12345, 2);
	out_bool(m.o, "t", "%s", true);
	out_bool(m.o, "f", "%s", false);
	out_null(m.o, "n", "%s");
	out_text(m.o, "not in JSON %d\n", 1);
	out_end(m.o, NULL);
	CHECK_DOC(&m, "{\"schema_version\":1,\"s\":\"text\",\"sn\":null,\"i\":-5,"
		      "\"imin\":-9223372036854775808,\"u\":18446744073709551615,"
		      "\"h\":\"0x00000000fed90000\",\"h0\":\"0x1f\",\"h4\":\"0x1b36\","
		      "\"h2\":\"0x12345\",\"t\":true,\"f\":false,\"n\":null,\"warnings\":[]}\n");
}

/* One document with everything the renderers use; compact and pretty below. */
static void nested_doc(struct ii_out *o)
{
	struct strlist sl = { 0 };
	struct ii_diags d = { 0 };

	sl_add(&sl, "a");
	sl_add(&sl, "b");
	ii_warn(&d, "cannot read %s", "x");
	out_begin(o);
	out_open_obj(o, "system");
	out_str(o, "vendor", NULL, "intel");
	out_open_obj(o, "log");
	out_uint(o, "seq", NULL, 7);
	out_close_obj(o);
	out_strlist(o, "params", NULL, " ", &sl);
	out_close_obj(o);
	out_open_arr(o, "groups");
	out_open_obj(o, NULL);
	out_uint(o, "id", NULL, 0);
	out_open_arr(o, "devices");
	out_str(o, NULL, NULL, "0000:00:02.0");
	out_close_arr(o);
	out_close_obj(o);
	out_open_obj(o, NULL);
	out_uint(o, "id", NULL, 1);
	out_null(o, "type", NULL);
	out_close_obj(o);
	out_close_arr(o);
	out_end(o, &d);
	sl_free(&sl);
	sl_free(&d.warnings);
}

TEST(output_json_nested_compact)
{
	struct mem m;

	mem_open(&m, II_FMT_JSON, false);
	nested_doc(m.o);
	CHECK_DOC(&m, "{\"schema_version\":1,"
		      "\"system\":{\"vendor\":\"intel\",\"log\":{\"seq\":7},\"params\":[\"a\",\"b\"]},"
		      "\"groups\":[{\"id\":0,\"devices\":[\"0000:00:02.0\"]},{\"id\":1,\"type\":null}],"
		      "\"warnings\":[\"cannot read x\"]}\n");
}

TEST(output_json_nested_pretty)
{
	struct mem m;

	mem_open(&m, II_FMT_JSON, true);
	nested_doc(m.o);
	CHECK_DOC(&m, "{\n"
		      "  \"schema_version\": 1,\n"
		      "  \"system\": {\n"
		      "    \"vendor\": \"intel\",\n"
		      "    \"log\": {\n"
		      "      \"seq\": 7\n"
		      "    },\n"
		      "    \"params\": [\n"
		      "      \"a\",\n"
		      "      \"b\"\n"
		      "    ]\n"
		      "  },\n"
		      "  \"groups\": [\n"
		      "    {\n"
		      "      \"id\": 0,\n"
		      "      \"devices\": [\n"
		      "        \"0000:00:02.0\"\n"
		      "      ]\n"
		      "    },\n"
		      "    {\n"
		      "      \"id\": 1,\n"
		      "      \"type\": null\n"
		      "    }\n"
		      "  ],\n"
		      "  \"warnings\": [\n"
		      "    \"cannot read x\"\n"
		      "  ]\n"
		      "}\n");
}

TEST(output_json_top_level_arrays_stream)
{
	struct mem m;

	mem_open(&m, II_FMT_JSON, false);
	out_begin(m.o);
	out_open_arr(m.o, "devices");
	CHECK_STR(mem_peek(&m), "{\"schema_version\":1,\"devices\":[");
	out_open_obj(m.o, NULL);
	out_str(m.o, "name", NULL, "0000:00:00.0");
	/* an open element is not written yet */
	CHECK_STR(mem_peek(&m), "{\"schema_version\":1,\"devices\":[");
	out_close_obj(m.o);
	/* a closed one is, before the document ends */
	CHECK_STR(mem_peek(&m), "{\"schema_version\":1,\"devices\":[{\"name\":\"0000:00:00.0\"}");
	out_open_obj(m.o, NULL);
	out_str(m.o, "name", NULL, "0000:00:01.0");
	out_close_obj(m.o);
	CHECK_STR(mem_peek(&m), "{\"schema_version\":1,\"devices\":[{\"name\":\"0000:00:00.0\"},"
				"{\"name\":\"0000:00:01.0\"}");
	out_close_arr(m.o);
	/* two top-level arrays, one empty */
	out_open_arr(m.o, "groups");
	out_close_arr(m.o);
	out_end(m.o, NULL);
	CHECK_DOC(&m, "{\"schema_version\":1,\"devices\":[{\"name\":\"0000:00:00.0\"},"
		      "{\"name\":\"0000:00:01.0\"}],\"groups\":[],\"warnings\":[]}\n");
}

TEST(output_json_streamed_pretty)
{
	struct mem m;

	mem_open(&m, II_FMT_JSON, true);
	out_begin(m.o);
	out_open_arr(m.o, "ids");
	out_uint(m.o, NULL, NULL, 1);
	out_uint(m.o, NULL, NULL, 2);
	out_close_arr(m.o);
	out_open_arr(m.o, "none");
	out_close_arr(m.o);
	out_end(m.o, NULL);
	CHECK_DOC(&m, "{\n  \"schema_version\": 1,\n  \"ids\": [\n    1,\n    2\n  ],\n"
		      "  \"none\": [],\n  \"warnings\": []\n}\n");
}

TEST(output_json_end_closes_and_error)
{
	struct mem m;
	struct ii_diags d = { 0 };

	mem_open(&m, II_FMT_JSON, false);
	out_begin(m.o);
	out_open_arr(m.o, "units");
	out_open_obj(m.o, NULL);
	out_open_obj(m.o, "regs");
	out_hex(m.o, "cap", NULL, 0xd2008c22260286, 0);
	/* left open: out_end closes what is open, then adds the error and the warnings */
	out_error(m.o, "no IOMMU groups under %s", "/sys/kernel/iommu_groups");
	ii_warn(&d, "w1");
	ii_warn(&d, "w2");
	out_end(m.o, &d);
	CHECK_DOC(&m, "{\"schema_version\":1,\"units\":[{\"regs\":{\"cap\":\"0xd2008c22260286\"}}],"
		      "\"error\":\"no IOMMU groups under /sys/kernel/iommu_groups\","
		      "\"warnings\":[\"w1\",\"w2\"]}\n");
	sl_free(&d.warnings);
}

TEST(output_json_escaping)
{
	struct mem m;

	mem_open(&m, II_FMT_JSON, false);
	out_begin(m.o);
	out_str(m.o, "quote", NULL, "say \"hi\"");
	out_str(m.o, "backslash", NULL, "\\_SB_.GSIE");
	out_str(m.o, "ctl", NULL, "a\nb\tc\rd\x01\x1f\x7f");
	out_str(m.o, "slash", NULL, "/sys/kernel");
	/* valid UTF-8 is kept as it is */
	out_str(m.o, "utf8", NULL, "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80");
	out_str(m.o, "key \"q\"\n", NULL, "v");
	out_open_arr(m.o, "arr");
	out_str(m.o, NULL, NULL, "\"\\\x02");
	out_close_arr(m.o);
	out_open_obj(m.o, "obj");
	out_str(m.o, "k\"", NULL, "\"\\\x02");
	out_close_obj(m.o);
	out_end(m.o, NULL);
	CHECK_DOC(&m, "{\"schema_version\":1,\"quote\":\"say \\\"hi\\\"\","
		      "\"backslash\":\"\\\\_SB_.GSIE\",\"ctl\":\"a\\nb\\tc\\rd\\u0001\\u001f\x7f\","
		      "\"slash\":\"/sys/kernel\","
		      "\"utf8\":\"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\","
		      "\"key \\\"q\\\"\\n\":\"v\",\"arr\":[\"\\\"\\\\\\u0002\"],"
		      "\"obj\":{\"k\\\"\":\"\\\"\\\\\\u0002\"},\"warnings\":[]}\n");
}

TEST(output_json_invalid_utf8_replaced)
{
	struct mem m;
	struct strlist sl = { 0 };
	struct ii_diags d = { 0 };

	/* bytes that are not UTF-8 (a kernel log line decoded from \xff, a truncated sequence) must not
	 * make the document invalid: each becomes U+FFFD */
	sl_add(&sl, "ok");
	sl_add(&sl, "bad\xff");
	ii_warn(&d, "x\xc3");
	mem_open(&m, II_FMT_JSON, false);
	out_begin(m.o);
	out_str(m.o, "a", NULL, "\xff\xfe");
	out_str(m.o, "b", NULL, "caf\xc3");
	out_str(m.o, "c", NULL, "\xc0\xaf");             /* overlong '/' */
	out_str(m.o, "d", NULL, "\xed\xa0\x80");         /* a surrogate */
	out_str(m.o, "e", NULL, "\xe6\x97 \xc3\xa9");    /* cut short, then valid */
	out_strlist(m.o, "l", NULL, " ", &sl);
	out_end(m.o, &d);
	CHECK_DOC(&m, "{\"schema_version\":1,\"a\":\"\xef\xbf\xbd\xef\xbf\xbd\","
		      "\"b\":\"caf\xef\xbf\xbd\",\"c\":\"\xef\xbf\xbd\xef\xbf\xbd\","
		      "\"d\":\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\","
		      "\"e\":\"\xef\xbf\xbd\xef\xbf\xbd \xc3\xa9\","
		      "\"l\":[\"ok\",\"bad\xef\xbf\xbd\"],\"warnings\":[\"x\xef\xbf\xbd\"]}\n");
	sl_free(&sl);
	sl_free(&d.warnings);
}

TEST(output_text_mode)
{
	struct mem m;
	struct strlist sl = { 0 }, empty = { 0 };
	struct ii_diags d = { 0 };

	sl_add(&sl, "flr");
	sl_add(&sl, "bus");
	ii_warn(&d, "not printed by out_end");
	mem_open(&m, II_FMT_TEXT, false);
	CHECK(!out_is_json(m.o));
	out_begin(m.o);
	out_open_obj(m.o, "system");
	out_str(m.o, "vendor", "vendor: %s\n", "Intel VT-d");
	out_str(m.o, "name", "name: %s\n", NULL);
	out_str(m.o, "json_only", NULL, "hidden");
	out_int(m.o, "i", "i=%lld ", -3);
	out_uint(m.o, "u", "u=%llu ", 42);
	out_hex(m.o, "h", "h=%#llx ", 0xfed90000, 16);
	out_hex(m.o, "h2", "h2=%08llx\n", 0x1f, 0);
	out_bool(m.o, "b1", "[%s]", true);
	out_bool(m.o, "b0", "[%s]\n", false);
	out_null(m.o, "n", "null=%s\n");
	out_null(m.o, "n2", NULL);
	out_open_arr(m.o, "list");
	out_strlist(m.o, "reset", "reset: %s\n", ", ", &sl);
	out_strlist(m.o, "none", "none: %s\n", ", ", &empty);
	out_strlist(m.o, "quiet", NULL, ", ", &sl);
	out_close_arr(m.o);
	out_close_obj(m.o);
	out_text(m.o, "%d%% done\n", 100);
	out_end(m.o, &d);
	CHECK_DOC(&m, "vendor: Intel VT-d\n"
		      "name: -\n"
		      "i=-3 u=42 h=0xfed90000 h2=0000001f\n"
		      "[yes][no]\n"
		      "null=-\n"
		      "reset: flr, bus\n"
		      "none: -\n"
		      "100% done\n");
	sl_free(&sl);
	sl_free(&d.warnings);
}

TEST(output_records_ndjson)
{
	struct mem m;

	/* each record one compact line, with nested objects, an error, and no document around */
	mem_open(&m, II_FMT_JSON, true);
	out_record_begin(m.o);
	out_str(m.o, "type", "%s", "fault");
	out_hex(m.o, "address", NULL, 0x1000, 0);
	out_open_obj(m.o, "device");
	out_int(m.o, "group", NULL, 2);
	out_close_obj(m.o);
	out_open_arr(m.o, "names");
	out_str(m.o, NULL, NULL, "eth0");
	out_close_arr(m.o);
	CHECK_INT(out_record_end(m.o), 0);
	CHECK_STR(mem_peek(&m), "{\"type\":\"fault\",\"address\":\"0x1000\",\"device\":{\"group\":2},"
				"\"names\":[\"eth0\"]}\n");
	out_record_begin(m.o);
	out_str(m.o, "type", NULL, "error");
	out_error(m.o, "cannot read %s", "/dev/kmsg");
	CHECK_INT(out_record_end(m.o), 0);
	out_record_begin(m.o);
	out_open_obj(m.o, "left_open");
	CHECK_INT(out_record_end(m.o), 0);
	CHECK_DOC(&m, "{\"type\":\"fault\",\"address\":\"0x1000\",\"device\":{\"group\":2},"
		      "\"names\":[\"eth0\"]}\n"
		      "{\"type\":\"error\",\"error\":\"cannot read /dev/kmsg\"}\n"
		      "{\"left_open\":{}}\n");

	/* text: what is written between is flushed at the end */
	mem_open(&m, II_FMT_TEXT, false);
	out_record_begin(m.o);
	out_str(m.o, "type", NULL, "fault");
	out_text(m.o, "line %d\n", 1);
	CHECK_INT(out_record_end(m.o), 0);
	CHECK_STR(mem_peek(&m), "line 1\n");
	CHECK_DOC(&m, "line 1\n");
}

TEST(output_records_write_error)
{
	FILE *f = fopen("/dev/full", "w");
	struct ii_out *o;

	if (!f) {
		t_skip("no /dev/full");
		return;
	}
	o = out_new(f, II_FMT_JSON, false);
	out_record_begin(o);
	out_str(o, "type", NULL, "fault");
	CHECK_INT(out_record_end(o), -ENOSPC);
	out_free(o);
	fclose(f);
}

/* A record is written as it is made, at every depth, and reads as json-c would write it. */
TEST(output_records_nested_direct)
{
	struct mem m;

	mem_open(&m, II_FMT_JSON, true);
	out_record_begin(m.o);
	out_int(m.o, "schema_version", NULL, 1);
	out_open_arr(m.o, "devices");
	for (int i = 0; i < 3; i++) {
		out_open_obj(m.o, NULL);
		out_int(m.o, "group", NULL, i);
		out_open_obj(m.o, "last");
		out_null(m.o, "time", NULL);
		out_double(m.o, "per_s", NULL, i / 3.0, 3);
		out_close_obj(m.o);
		out_open_arr(m.o, "names");
		out_close_arr(m.o);
		out_close_obj(m.o);
	}
	out_close_arr(m.o);
	out_open_obj(m.o, "empty");
	out_close_obj(m.o);
	out_error(m.o, "late");
	CHECK_INT(out_record_end(m.o), 0);
	/* a record left open is ended by the next one: each stays a line */
	out_record_begin(m.o);
	out_open_arr(m.o, "a");
	out_record_begin(m.o);
	CHECK_INT(out_record_end(m.o), 0);
	CHECK_DOC(&m, "{\"schema_version\":1,\"devices\":[{\"group\":0,\"last\":{\"time\":null,"
		      "\"per_s\":0.0},\"names\":[]},{\"group\":1,\"last\":{\"time\":null,\"per_s\":0.333},"
		      "\"names\":[]},{\"group\":2,\"last\":{\"time\":null,\"per_s\":0.667},\"names\":[]}],"
		      "\"empty\":{},\"error\":\"late\"}\n"
		      "{\"a\":[]}\n"
		      "{}\n");
}

/* A precision bounds a string that has no NUL: nothing past it is read (ASan would see it),
 * and control bytes inside it are escaped whole, not cut by the precision. */
TEST(output_text_precision_bounds_unterminated_strings)
{
	struct mem m;
	char *raw = malloc(6);

	memcpy(raw, "ab\x1b" "cdX", 6); /* no NUL; the X is past the precision */
	mem_open(&m, II_FMT_TEXT, false);
	out_text(m.o, "[%.*s]", 5, raw);
	out_text(m.o, "[%.2s]", raw);
	out_text(m.o, "[%.*s]", 2, "abc");
	CHECK_DOC(&m, "[ab\\x1bcd][ab][ab]");
	free(raw);
}
