// SPDX-License-Identifier: MIT
/* The common ACPI table header (kernel-interfaces §8), and the decoders' warnings. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "acpi.h"

#define MAX_WARNINGS 50

void ii_acpi_warn(struct strlist *w, const char *fmt, ...)
{
	va_list ap;

	if (w->n > MAX_WARNINGS)
		return;
	if (w->n == MAX_WARNINGS) {
		sl_add(w, "more problems follow at later offsets; only the first 50 are listed");
		return;
	}
	va_start(ap, fmt);
	sl_add_owned(w, xvasprintf(fmt, ap));
	va_end(ap);
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
	out->length = ii_le32(buf + 4);
	out->revision = buf[8];
	out->checksum = buf[9];
	idcpy(out->oem_id, buf + 10, 6);
	idcpy(out->oem_table_id, buf + 16, 8);
	out->oem_revision = ii_le32(buf + 24);
	idcpy(out->creator_id, buf + 28, 4);
	out->creator_revision = ii_le32(buf + 32);
	n = out->length < len ? out->length : len;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + buf[i]);
	out->checksum_ok = sum == 0 && out->length <= len;
	return 0;
}

size_t ii_acpi_table_end(const struct ii_acpi_header *h, size_t len, struct strlist *w)
{
	if (h->length < 36) {
		ii_acpi_warn(w, "offset 0x4: table length %u is shorter than the header itself; "
				     "decoding the %zu bytes present", h->length, len);
		return len;
	}
	if (h->length > len) {
		ii_acpi_warn(w, "offset 0x%zx: truncated: the header says %u bytes, the table ends here; "
			     "decoding the bytes present", len, h->length);
		return len;
	}
	if (h->length < len)
		ii_acpi_warn(w, "offset 0x%x: %zu bytes after the table's end (its length) are ignored",
			     h->length, len - h->length);
	return h->length;
}

int ii_acpi_table_begin(const uint8_t *buf, size_t len, const char *sig,
			struct ii_acpi_header *h, struct strlist *w, size_t *end)
{
	if (ii_parse_acpi_header(buf, len, h))
		return -EINVAL;
	if (strcmp(h->signature, sig) != 0)
		ii_acpi_warn(w, "offset 0x0: signature \"%s\", not %s; decoded as %s", h->signature,
			     sig, sig);
	*end = ii_acpi_table_end(h, len, w);
	if (!h->checksum_ok && h->length == *end) {
		uint8_t sum = 0;

		for (size_t i = 0; i < *end; i++)
			sum = (uint8_t)(sum + buf[i]);
		ii_acpi_warn(w, "offset 0x9: checksum mismatch: the bytes sum to 0x%02x, not 0 (a "
			     "firmware bug or a corrupted copy); decoded anyway", sum);
	}
	return 0;
}

bool ii_acpi_entry_at(const uint8_t *buf, size_t end, size_t off, const struct ii_acpi_list *l,
		      struct strlist *w, struct ii_acpi_entry *e)
{
	char label[32];

	if (end - off < 4) {
		ii_acpi_warn(w, "offset 0x%zx: %zu byte%s left, too short for a %s header; ignored",
			     off, end - off, end - off == 1 ? "" : "s", l->noun);
		return false;
	}
	e->offset = (uint32_t)off;
	e->type = buf[off];
	e->length = ii_le16(buf + off + l->length_at);
	snprintf(label, sizeof(label), l->hex_type ? "%s type 0x%02x" : "%s type %u", l->noun,
		 e->type);
	if (e->length < l->min_length) {
		ii_acpi_warn(w, "offset 0x%zx: %s of length %u: the %ss after it cannot be found; "
			     "decoding stops here", off, label, e->length, l->noun);
		return false;
	}
	e->avail = (uint32_t)(end - off < e->length ? end - off : e->length);
	if (e->avail < e->length)
		ii_acpi_warn(w, "offset 0x%zx: %s of length %u runs past the end of the table (0x%zx "
			     "bytes left); decoded as far as it goes", off, label, e->length, end - off);
	return true;
}
