// SPDX-License-Identifier: MIT
/* libFuzzer target: proc/interrupts (ii_parse_interrupts) and proc/version (ii_parse_linux_version). */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *v;
	struct ii_irq_counts c;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ii_parse_interrupts(s, &c);
	if (c.remapped > c.lines || c.iommu_lines > c.lines)
		abort();
	v = ii_parse_linux_version(s);
	if (v && (!*v || strchr(v, ' ') || strchr(v, '\n')))
		abort();
	free(v);
	free(s);
	return 0;
}
