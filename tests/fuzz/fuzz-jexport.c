// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the journal export format (src/parse/parse-journal-export.c),
 * every entry of the input, and each entry written out again and read back the
 * same (ii_jexport_put, ii_jexport_next).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jexport.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct ii_jentry e;
	size_t off = 0, last = 0;
	int r;

	while ((r = ii_jexport_next(buf, size, &off, &e)) > 0) {
		struct strbuf sb = { 0 };
		struct ii_jentry back;
		size_t o = 0;

		if (off <= last || off > size)
			abort(); /* an entry is read whole, and moves on */
		last = off;
		if (e.msg && (e.msg < buf || e.msg + e.msg_len > buf + size))
			abort();
		if (e.device && (e.device < buf || e.device + e.device_len > buf + size))
			abort();
		if (e.has_boot && strlen(e.boot) != II_BOOT_ID_LEN)
			abort();
		if (e.prio < -1 || e.prio > 7)
			abort();
		if (e.msg)
			ii_jexport_put(&sb, "MESSAGE", e.msg, e.msg_len);
		if (e.has_boot)
			ii_jexport_put(&sb, "_BOOT_ID", e.boot, II_BOOT_ID_LEN);
		if (e.has_realtime)
			ii_jexport_put_u64(&sb, "__REALTIME_TIMESTAMP", e.realtime);
		ii_jexport_end(&sb);
		if (sb.len > 1) {
			if (ii_jexport_next(sb.buf, sb.len, &o, &back) != 1 || o != sb.len ||
			    (e.msg && (back.msg_len != e.msg_len || memcmp(back.msg, e.msg, e.msg_len))) ||
			    back.has_boot != e.has_boot || back.realtime != e.realtime)
				abort();
		}
		sb_free(&sb);
	}
	if (r < 0 && (r != -EBADMSG || off > size))
		abort();
	return 0;
}
