// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: a /dev/kmsg buffer split into records (ii_kmsg_record_len),
 * each parsed (ii_parse_kmsg) and fed to the boot-log facts (ii_logfacts_feed).
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ii_logfacts f = { 0 };
	const char *buf = (const char *)data;
	size_t off = 0;

	while (off < size) {
		size_t n = ii_kmsg_record_len(buf + off, size - off);
		struct ii_kmsg m;

		/* a record is never empty and never runs past the buffer */
		if (n == 0 || n > size - off)
			abort();
		if (ii_parse_kmsg(buf + off, n, &m) == 0) {
			if (!m.text || m.prio < 0 || m.prio > 1023)
				abort();
			ii_logfacts_feed(&f, &m);
		} else if (m.text || m.subsystem || m.device) {
			abort(); /* nothing is left allocated on failure */
		}
		ii_kmsg_free(&m);
		off += n;
	}
	if (f.amd_efr_valid && !f.amd_features.text)
		abort();
	ii_logfacts_free(&f);
	return 0;
}
