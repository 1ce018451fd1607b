// SPDX-License-Identifier: MIT
/* The common ACPI table header (kernel-interfaces §8). */
#include <errno.h>
#include <string.h>

#include "parse.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Copy n bytes of an ACPI id field, stopping at NUL and keeping printable ASCII only. */
static void idcpy(char *dst, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	while (i && dst[i - 1] == ' ')
		i--;
	dst[i] = '\0';
}

int ii_parse_acpi_header(const uint8_t *buf, size_t len, struct ii_acpi_header *out)
{
	uint8_t sum = 0;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (len < 36)
		return -EINVAL;
	idcpy(out->signature, buf, 4);
	out->length = le32(buf + 4);
	out->revision = buf[8];
	out->checksum = buf[9];
	idcpy(out->oem_id, buf + 10, 6);
	idcpy(out->oem_table_id, buf + 16, 8);
	out->oem_revision = le32(buf + 24);
	idcpy(out->creator_id, buf + 28, 4);
	out->creator_revision = le32(buf + 32);
	n = out->length < len ? out->length : len;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + buf[i]);
	out->checksum_ok = sum == 0 && out->length <= len;
	return 0;
}
