// SPDX-License-Identifier: MIT
/* libFuzzer target: the VIOT table (ii_parse_viot) and its endpoint IDs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iort.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: ASan catches a read past the end */
	uint8_t *buf = malloc(size ? size : 1);
	struct ii_viot v;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = ii_parse_viot(buf, size, &v);
	if ((rc == -EINVAL) != (size < 36) || (rc && rc != -EINVAL))
		abort();
	if (v.size > size || v.warnings.n > 51)
		abort();
	for (size_t i = 0; i < v.n; i++) {
		const struct ii_viot_node *nd = &v.nodes[i];
		uint32_t ep;

		if (nd->offset < 48 || nd->offset + nd->avail > v.size || nd->avail > nd->length ||
		    nd->length < 4 || nd->nraw > nd->avail || nd->target >= (long)v.n)
			abort();
		if (ii_viot_endpoint(nd, nd->segment_start, nd->bdf_start, &ep) &&
		    ep != nd->endpoint_start)
			abort();
	}
	ii_viot_free(&v);
	free(buf);
	return 0;
}
