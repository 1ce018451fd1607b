// SPDX-License-Identifier: MIT
/* libFuzzer target: dmar_perf_latency (ii_lat_line), one line at a time. */
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ii_lat p;
	char *buf = malloc(size ? size : 1);
	size_t off = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	ii_lat_init(&p);
	while (off < size) {
		const char *nl = memchr(buf + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (buf + off)) : size - off;
		enum ii_dl e = ii_lat_line(&p, buf + off, len);

		if (e == II_DL_BAD && !p.why)
			abort();
		if (e == II_DL_ROW && !memchr(p.row.type, 0, sizeof(p.row.type)))
			abort();
		off += len + 1;
	}
	free(buf);
	return 0;
}
