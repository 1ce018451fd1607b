// SPDX-License-Identifier: MIT
/* libFuzzer target: the IVRS table (ii_parse_ivrs). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct ii_ivrs v;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = ii_parse_ivrs(buf, size, &v);
	if ((rc == -EINVAL) != (size < 36) || (rc && rc != -EINVAL))
		abort();
	if (v.size > size || v.warnings.n > 51)
		abort();
	if (v.kernel_type && !ii_ivhd_header_size(v.kernel_type))
		abort();
	for (size_t i = 0; i < v.n; i++) {
		const struct ii_ivrs_block *b = &v.b[i];

		if (b->offset < 48 || b->offset + b->avail > v.size || b->avail > b->length ||
		    b->length < 4 || b->nraw > b->avail)
			abort();
		if (b->kernel_uses && (b->kind != II_IVRS_IVHD || b->type != v.kernel_type))
			abort();
		for (size_t k = 0; k < b->nentries; k++) {
			const struct ii_ivhd_entry *e = &b->entries[k];

			if (e->offset < b->offset + ii_ivhd_header_size(b->type) ||
			    e->offset >= b->offset + b->avail || e->nraw > 32)
				abort();
			if (e->end_offset && (e->end_offset <= e->offset ||
					      e->end_offset >= b->offset + b->avail))
				abort();
			if (!memchr(e->hid, '\0', sizeof(e->hid)) || !memchr(e->cid, '\0', sizeof(e->cid)))
				abort();
			if (e->uid && strlen(e->uid) > 255)
				abort();
			if (ii_ive_covers(e) && e->kind != II_IVE_ALL && e->kind != II_IVE_SELECT &&
			    e->kind != II_IVE_ALIAS_SELECT && e->kind != II_IVE_EXT_SELECT &&
			    e->end_offset == 0)
				abort();
		}
	}
	ii_ivrs_free(&v);
	free(buf);
	return 0;
}
