// SPDX-License-Identifier: MIT
/* libFuzzer target: the IORT table (ii_parse_iort) and the walk of IDs through its mappings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iort.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: ASan catches a read past the end */
	uint8_t *buf = malloc(size ? size : 1);
	struct ii_iort t;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = ii_parse_iort(buf, size, &t);
	if ((rc == -EINVAL) != (size < 36) || (rc && rc != -EINVAL))
		abort();
	if (t.size > size || t.warnings.n > 51)
		abort();
	for (size_t i = 0; i < t.n; i++) {
		const struct ii_iort_node *nd = &t.nodes[i];
		struct ii_iort_path p;

		if (nd->offset < 48 || nd->offset + nd->avail > t.size || nd->avail > nd->length ||
		    nd->length < 16 || nd->nraw > nd->avail || nd->nmaps > nd->mapping_count)
			abort();
		if (nd->device_name && strlen(nd->device_name) > nd->avail)
			abort();
		for (size_t k = 0; k < nd->nmaps; k++) {
			const struct ii_iort_map *m = &nd->maps[k];

			if (m->offset < nd->offset + 16 || m->offset + 20 > nd->offset + nd->avail)
				abort();
			if (m->target >= (long)t.n)
				abort();
		}
		for (size_t k = 0; k < nd->nrmr; k++)
			if (nd->rmrs[k].offset + 20 > nd->offset + nd->avail)
				abort();
		/* every walk ends, within its hop limit, at a node of the table */
		ii_iort_walk(&t, i, nd->nmaps ? nd->maps[0].input_base : 0, 1u << II_IORT_SMMU_V3, &p);
		if (!p.nhops || p.nhops > II_IORT_MAX_HOPS)
			abort();
		for (size_t h = 0; h < p.nhops; h++)
			if (p.hop[h].node >= t.n)
				abort();
	}
	ii_iort_free(&t);
	free(buf);
	return 0;
}
