// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the sysfs attribute parsers on one NUL-terminated value:
 * ii_parse_hex, ii_parse_int, ii_parse_bdf, ii_parse_domtype, ii_parse_kver and
 * ii_parse_amd_features (for each way of ordering its two fields).
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned kvers[] = { 0, 5004, 6001, 6006, 6007, 6008, 7002 };
	char *s = malloc(size + 1);
	struct ii_amd_features af;
	struct ii_bdf b, b2;
	enum ii_domtype t;
	long long ll;
	uint64_t u;
	unsigned kv;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	(void)ii_parse_hex(s, &u);
	(void)ii_parse_int(s, &ll);
	if (ii_parse_bdf(s, &b) == 0) {
		char out[II_BDF_MAX];

		/* an accepted address formats to the long form and parses back the same */
		if (b.dev > 0x1f || b.fn > 7)
			abort();
		ii_format_bdf(&b, out);
		if (strlen(out) < 12 || strlen(out) > 16 || ii_parse_bdf(out, &b2) || ii_bdf_cmp(&b, &b2))
			abort();
		/* canonical exactly when it is what the kernel (and ii_format_bdf) writes */
		if (ii_bdf_is_canonical(s, &b2) != !strcmp(out, s))
			abort();
	}
	t = ii_parse_domtype(s);
	if (t != II_DOM_UNKNOWN && ii_parse_domtype(ii_domtype_name(t)) != t)
		abort();
	kv = ii_parse_kver(s);
	if (kv > 99999)
		abort();
	for (size_t i = 0; i < sizeof(kvers) / sizeof(kvers[0]); i++)
		if (ii_parse_amd_features(s, kvers[i], &af) == 0 &&
		    (!af.order || !af.layout || !af.basis))
			abort();
	(void)ii_parse_amd_features(s, kv, &af);
	free(s);
	return 0;
}
