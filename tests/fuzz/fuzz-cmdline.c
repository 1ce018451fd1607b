// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the kernel command line (ii_cmdline_relevant, ii_cmdline_get).
 * The keys looked up are fixed ones and the input's own first key.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "iommu", "intel_iommu", "amd_iommu", "iommu.strict",
					    "iommu.passthrough", "intremap", "" };
	struct strlist sl = { 0 };
	char *s = malloc(size + 1), *key;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ii_cmdline_relevant(s, &sl);
	for (size_t i = 0; i < sl.n; i++)
		if (!sl.v[i] || !*sl.v[i])
			abort();
	sl_free(&sl);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		free(ii_cmdline_get(s, keys[i]));
	key = xstrndup(s, strcspn(s, "= \t\n"));
	free(ii_cmdline_get(s, key));
	free(key);
	free(s);
	return 0;
}
