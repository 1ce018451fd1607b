// SPDX-License-Identifier: MIT
/* libFuzzer target: the common ACPI table header (ii_parse_acpi_header). */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ii_acpi_header h;

	if (ii_parse_acpi_header(data, size, &h) != 0) {
		if (size >= 36)
			abort();
		return 0;
	}
	/* the ids are NUL-terminated within their fields */
	if (!memchr(h.signature, '\0', sizeof(h.signature)) ||
	    !memchr(h.oem_id, '\0', sizeof(h.oem_id)) ||
	    !memchr(h.oem_table_id, '\0', sizeof(h.oem_table_id)) ||
	    !memchr(h.creator_id, '\0', sizeof(h.creator_id)))
		abort();
	/* a table longer than what was read cannot be verified */
	if (h.checksum_ok && h.length > size)
		abort();
	return 0;
}
