// SPDX-License-Identifier: MIT
/* libFuzzer target: one line of iommu_groups/N/reserved_regions (ii_parse_resv_line). */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct ii_resv r;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (ii_parse_resv_line(line, &r) == 0) {
		size_t n;

		/* an accepted line has an ordered range and a short, printable type */
		if (r.end < r.start || !memchr(r.type, '\0', sizeof(r.type)))
			abort();
		n = strlen(r.type);
		if (n == 0)
			abort();
		for (size_t i = 0; i < n; i++)
			if (r.type[i] <= ' ' || r.type[i] >= 0x7f)
				abort();
	}
	free(line);
	return 0;
}
