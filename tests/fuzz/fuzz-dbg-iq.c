// SPDX-License-Identifier: MIT
/* libFuzzer target: invalidation_queue (ii_iq_line), one line at a time. */
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ii_iq p;
	char *buf = malloc(size ? size : 1);
	size_t off = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	ii_iq_init(&p);
	while (off < size) {
		const char *nl = memchr(buf + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (buf + off)) : size - off;
		enum ii_dl e = ii_iq_line(&p, buf + off, len);

		if (e == II_DL_BAD && !p.why)
			abort();
		if (e == II_DL_ROW && p.row.nqw != 2 && p.row.nqw != 4)
			abort();
		if (e == II_DL_ROW)
			(void)ii_iq_type_name(p.row.qw[0]), (void)ii_iq_status_name(p.row.status);
		off += len + 1;
	}
	free(buf);
	return 0;
}
