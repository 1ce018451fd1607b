// SPDX-License-Identifier: MIT
/* libFuzzer target: ir_translation_struct and IRTE decoding (ii_irt_line), one line at a time. */
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ii_irt p;
	char *buf = malloc(size ? size : 1);
	size_t off = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	ii_irt_init(&p);
	while (off < size) {
		const char *nl = memchr(buf + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (buf + off)) : size - off;
		enum ii_dl e = ii_irt_line(&p, buf + off, len);

		if (e == II_DL_BAD && !p.why)
			abort();
		if (e == II_DL_ROW) {
			struct ii_irte_info ii;

			ii_irte_decode(&p.row, &ii);
			if (!ii_irte_svt_name(ii.svt) || p.row.dev > 0x1f || p.row.fn > 7)
				abort();
		}
		off += len + 1;
	}
	free(buf);
	return 0;
}
