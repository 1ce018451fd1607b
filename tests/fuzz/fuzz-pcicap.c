// SPDX-License-Identifier: MIT
/* libFuzzer target: PCI configuration space and its capability lists (ii_parse_pcicaps). */
#include <stdlib.h>
#include <string.h>

#include "pcicap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ii_pcicaps c;

	ii_parse_pcicaps(data, size, &c);
	for (size_t i = 0; i < c.ncaps; i++)
		(void)ii_pcicap_find(&c, c.caps[i].id, c.caps[i].ext);
	(void)ii_pcie_type_key(c.pcie_type);
	ii_pcicaps_free(&c);
	return 0;
}
