// SPDX-License-Identifier: MIT
/* src/parse/parse-journal-export.c: journal entries and the journal export format. */
#include <errno.h>
#include <stdlib.h>

#include "jexport.h"
#include "test.h"
#include "util.h"

static const char two[] =
	"__REALTIME_TIMESTAMP=1795322401001000\n"
	"__MONOTONIC_TIMESTAMP=1001000\n"
	"_BOOT_ID=0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5f\n"
	"_TRANSPORT=kernel\n"
	"PRIORITY=3\n"
	"_SOURCE_MONOTONIC_TIMESTAMP=1000993\n"
	"_KERNEL_DEVICE=+pci:0000:07:00.1\n"
	"MESSAGE=DMAR: x\n"
	"\n"
	"__MONOTONIC_TIMESTAMP=5\n"
	"_TRANSPORT=syslog\n"
	"MESSAGE\n"
	"\x05\0\0\0\0\0\0\0a\nb\nc\n"
	"\n";

TEST(jexport_entries)
{
	struct ii_jentry e;
	size_t off = 0;

	CHECK_INT(ii_jexport_next(two, sizeof(two) - 1, &off, &e), 1);
	CHECK(e.kernel && e.has_boot && e.has_realtime && e.has_mono && e.mono_source);
	CHECK_STR(e.boot, "0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5f");
	CHECK_U64(e.realtime, 1795322401001000ull);
	CHECK_U64(e.mono, 1000993);
	CHECK_INT(e.prio, 3);
	CHECK_INT((int)e.msg_len, 7);
	CHECK(!memcmp(e.msg, "DMAR: x", 7));
	CHECK_INT((int)e.device_len, 17);
	CHECK_INT(ii_jexport_next(two, sizeof(two) - 1, &off, &e), 1);
	CHECK(!e.kernel && !e.has_boot && !e.mono_source);
	CHECK_U64(e.mono, 5);
	CHECK_INT((int)e.msg_len, 5);
	CHECK(!memcmp(e.msg, "a\nb\nc", 5));
	CHECK_INT(e.prio, -1);
	CHECK_INT(ii_jexport_next(two, sizeof(two) - 1, &off, &e), 0);
	CHECK_INT((int)off, (int)sizeof(two) - 1);
}

TEST(jexport_every_cut)
{
	/* the entries before the cut are whole; the one cut is -EBADMSG, never more */
	for (size_t n = 0; n < sizeof(two) - 1; n++) {
		char *copy = malloc(n ? n : 1);
		struct ii_jentry e;
		size_t off = 0;
		int r, good = 0;

		memcpy(copy, two, n);
		while ((r = ii_jexport_next(copy, n, &off, &e)) > 0)
			good++;
		if (off > n || good > 2 || (r < 0 && r != -EBADMSG))
			t_fail(__FILE__, __LINE__, "cut at %zu: %d entries, %d, offset %zu", n, good, r, off);
		free(copy);
	}
}

TEST(jexport_bad)
{
	const char *bad[] = { "lowercase=x\n\n", "=x\n\n", "MESSAGE\n\x09\0\0\0\0\0\0\0ab\n\n",
			      "MESSAGE\n\xff\xff\xff\xff\xff\xff\xff\xff\n\n", "MESSAGE x\n\n" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ii_jentry e;
		size_t off = 0, n = strlen(bad[i]);

		if (i >= 2 && i <= 3)
			n = i == 2 ? 22 : 19;
		if (ii_jexport_next(bad[i], n, &off, &e) != -EBADMSG)
			t_fail(__FILE__, __LINE__, "not refused: %zu", i);
	}
}

TEST(jexport_round_trip)
{
	struct strbuf sb = { 0 };
	struct ii_jentry e;
	size_t off = 0;

	ii_jexport_put_u64(&sb, "__REALTIME_TIMESTAMP", 42);
	ii_jexport_put(&sb, "_BOOT_ID", "5a0d6b1e2c3f4a5b6c7d8e9f00112233", 32);
	ii_jexport_put(&sb, "_TRANSPORT", "kernel", 6);
	ii_jexport_put(&sb, "MESSAGE", "one\ntwo", 7);
	ii_jexport_end(&sb);
	CHECK_INT(ii_jexport_next(sb.buf, sb.len, &off, &e), 1);
	CHECK(e.kernel && e.has_realtime && e.has_boot);
	CHECK_INT((int)e.msg_len, 7);
	CHECK(!memcmp(e.msg, "one\ntwo", 7));
	CHECK_INT((int)off, (int)sb.len);
	sb_free(&sb);
}

TEST(jexport_boot_ids)
{
	char id[II_BOOT_ID_LEN + 1];

	CHECK(ii_boot_id_parse("0F3C5D2A-9E8B-4C7D-8E9F-0A1B2C3D4E5F", 36, id));
	CHECK_STR(id, "0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5f");
	CHECK(!ii_boot_id_parse("0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5", 31, id));
	CHECK(!ii_boot_id_parse("0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5fa", 33, id));
	CHECK(!ii_boot_id_parse("0f3c5d2a-9e8b4c7d8e9f0a1b2c3d4e5f", 33, id));
	CHECK(!ii_boot_id_parse("zf3c5d2a9e8b4c7d8e9f0a1b2c3d4e5f", 32, id));
}
