// SPDX-License-Identifier: MIT
/* The device tree's IOMMU properties: big-endian cells to entries (include/parse/dt.h). */
#include <stdlib.h>
#include <string.h>

#include "dt.h"

size_t ii_dt_parse_map(const uint8_t *v, size_t n, struct ii_dt_map **out, const char **why)
{
	size_t cnt = n / 16;

	*why = NULL;
	*out = xcalloc(cnt + 1, sizeof(**out));
	if (n % 16)
		*why = "not a whole number of 16-byte entries (rid-base, phandle, base, length); "
		       "the bytes after the last whole entry are ignored";
	for (size_t i = 0; i < cnt; i++) {
		(*out)[i].rid_base = ii_be32(v + 16 * i);
		(*out)[i].phandle = ii_be32(v + 16 * i + 4);
		(*out)[i].out_base = ii_be32(v + 16 * i + 8);
		(*out)[i].length = ii_be32(v + 16 * i + 12);
	}
	return cnt;
}

size_t ii_dt_parse_iommus(const uint8_t *v, size_t n, unsigned cells, struct ii_dt_ref **out,
			  const char **why)
{
	size_t size = 4 * ((size_t)cells + 1), cnt = n / size;

	*why = NULL;
	*out = xcalloc(cnt + 1, sizeof(**out));
	if (n % size)
		*why = "not a whole number of IOMMU specifiers; the bytes after the last whole one "
		       "are ignored";
	for (size_t i = 0; i < cnt; i++) {
		(*out)[i].phandle = ii_be32(v + size * i);
		(*out)[i].has_arg = cells > 0;
		if (cells)
			(*out)[i].arg = ii_be32(v + size * i + 4);
	}
	return cnt;
}

bool ii_dt_parse_reg(const uint8_t *v, size_t n, unsigned cells, uint64_t *out)
{
	if (cells == 1 && n >= 4) {
		*out = ii_be32(v);
		return true;
	}
	if (cells == 2 && n >= 8) {
		*out = (uint64_t)ii_be32(v) << 32 | ii_be32(v + 4);
		return true;
	}
	return false;
}

bool ii_dt_map_id(const struct ii_dt_map *m, size_t n, uint32_t mask, uint32_t id,
		  uint32_t *phandle, uint32_t *out)
{
	uint32_t masked = id & mask;

	for (size_t i = 0; i < n; i++) {
		if (masked < m[i].rid_base || (uint64_t)masked >= (uint64_t)m[i].rid_base + m[i].length)
			continue;
		*phandle = m[i].phandle;
		*out = masked - m[i].rid_base + m[i].out_base;
		return true;
	}
	return false;
}

void ii_dt_free(struct ii_dt *dt)
{
	for (size_t i = 0; i < dt->n; i++) {
		struct ii_dt_node *nd = &dt->nodes[i];

		free(nd->path);
		free(nd->name);
		free(nd->compatible);
		free(nd->iommu_map);
		free(nd->msi_map);
		free(nd->iommus);
	}
	free(dt->nodes);
	memset(dt, 0, sizeof(*dt));
}
