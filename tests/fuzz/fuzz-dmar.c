// SPDX-License-Identifier: MIT
/* libFuzzer target: the DMAR table (ii_parse_dmar) and the scope path walk. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A made-up topology with bridges on every other device, some of them looping back. */
static int topo(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint8_t *sec)
{
	unsigned h = (unsigned)seg * 31u + bus * 7u + dev * 3u + fn;

	(void)ctx;
	switch (h % 5) {
	case 0:
		return -ENOENT;
	case 1:
		return -ENODATA;
	case 2:
		return 0;
	default:
		*sec = (uint8_t)(h * 13u);
		return 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: ASan catches a read past the end */
	uint8_t *buf = malloc(size ? size : 1);
	struct ii_dmar d;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = ii_parse_dmar(buf, size, &d);
	if ((rc == -EINVAL) != (size < 36) || (rc && rc != -EINVAL))
		abort();
	if (d.size > size || d.warnings.n > 51)
		abort();
	for (size_t i = 0; i < d.n; i++) {
		struct ii_dmar_struct *st = &d.s[i];

		if (st->offset < 48 || st->offset + st->avail > d.size || st->avail > st->length ||
		    st->length < 4 || st->nraw > st->avail)
			abort();
		if (st->object_name && strlen(st->object_name) > st->avail)
			abort();
		for (size_t k = 0; k < st->nscopes; k++) {
			struct ii_dmar_scope *sc = &st->scopes[k];

			if (sc->offset < st->offset + 8 || sc->offset + sc->length > st->offset + st->avail ||
			    sc->length < 6 || sc->npath != (size_t)(sc->length - 6) / 2)
				abort();
			ii_dmar_scope_resolve(st->segment, sc, topo, NULL);
			if (!memchr(sc->note, '\0', sizeof(sc->note)))
				abort();
			if ((sc->walk == II_WALK_EXACT || sc->walk == II_WALK_NAIVE) &&
			    (sc->bdf.dev > 31 || sc->bdf.fn > 7 || !sc->npath))
				abort();
			if (sc->walk == II_WALK_NONE)
				abort();
		}
	}
	ii_dmar_free(&d);
	free(buf);
	return 0;
}
