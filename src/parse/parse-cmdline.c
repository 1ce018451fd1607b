// SPDX-License-Identifier: MIT
/* The kernel command line: which parameters bear on the IOMMU (kernel-interfaces §9.1). */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* A parameter is relevant when its key is one of these, or starts with one ending in '.' or '_'. */
static const char *const relevant_keys[] = {
	"intel_iommu", "amd_iommu", "amd_iommu_intr", "amd_iommu_dump", "iommu", "iommu.",
	"intremap", "nointremap", "ivrs_ioapic", "ivrs_hpet", "ivrs_acpihid", "pcie_acs_override",
	"vfio.", "vfio-pci.", "vfio_pci.", "vfio_iommu_type1.", "iommufd.", "arm-smmu.",
	"arm-smmu-v3.", "swiotlb", "sme", "mem_encrypt", "iommu_v2.",
};

static bool key_relevant(const char *tok, size_t keylen)
{
	for (size_t i = 0; i < II_ARRAY_SIZE(relevant_keys); i++) {
		const char *k = relevant_keys[i];
		size_t n = strlen(k);

		if (k[n - 1] == '.') {
			if (keylen > n && !strncmp(tok, k, n))
				return true;
		} else if (keylen == n && !strncmp(tok, k, n)) {
			return true;
		} else if (n < keylen && !strncmp(tok, k, n) && tok[n] == '[') {
			return true; /* ivrs_ioapic[32]=... */
		}
	}
	return false;
}

/* Iterate over space-separated tokens; quoted values keep their spaces. */
static const char *next_token(const char *s, size_t *len)
{
	const char *start;
	bool quoted = false;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s)
		return NULL;
	start = s;
	while (*s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n'))) {
		if (*s == '"')
			quoted = !quoted;
		s++;
	}
	*len = (size_t)(s - start);
	return start;
}

void ii_cmdline_relevant(const char *cmdline, struct strlist *out)
{
	const char *t = cmdline;
	size_t n;

	while (t && (t = next_token(t, &n))) {
		const char *eq = memchr(t, '=', n);
		size_t keylen = eq ? (size_t)(eq - t) : n;

		if (!strncmp(t, "--", n) && n == 2)
			break; /* the rest goes to init */
		if (key_relevant(t, keylen))
			sl_add_owned(out, xstrndup(t, n));
		t += n;
	}
}

char *ii_cmdline_get(const char *cmdline, const char *key)
{
	const char *t = cmdline;
	size_t n, kl = strlen(key);
	char *val = NULL;

	while (t && (t = next_token(t, &n))) {
		if (n == 2 && !strncmp(t, "--", 2))
			break;
		if (n > kl && !strncmp(t, key, kl) && t[kl] == '=') {
			const char *v = t + kl + 1;
			size_t vl = n - kl - 1;

			/* the kernel drops the quotes around a value: key="a b" */
			if (vl && *v == '"') {
				v++;
				vl--;
				if (vl && v[vl - 1] == '"')
					vl--;
			}
			free(val);
			val = xstrndup(v, vl);
		} else if (n == kl && !strncmp(t, key, kl)) {
			free(val);
			val = xstrdup("");
		}
		t += n;
	}
	return val;
}
