// SPDX-License-Identifier: MIT
/* libFuzzer target: iommu_regset (ii_regset_line), one line at a time. */
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ii_regset p;
	char *buf = malloc(size ? size : 1);
	size_t off = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	ii_regset_init(&p);
	while (off < size) {
		const char *nl = memchr(buf + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (buf + off)) : size - off;
		enum ii_dl e = ii_regset_line(&p, buf + off, len);

		if (e == II_DL_BAD && !p.why)
			abort();
		if (e == II_DL_ROW && (!memchr(p.row.name, 0, sizeof(p.row.name)) || !p.row.name[0]))
			abort();
		off += len + 1;
	}
	free(buf);
	return 0;
}
