// SPDX-License-Identifier: MIT
/* ACPI tables that describe IOMMUs: sys/firmware/acpi/tables/{DMAR,IVRS}. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

#define ACPI_TABLE_MAX (1 << 20)

static void read_table(struct ii_system *s, struct ii_acpi_table *t, const char *sig)
{
	char *rel = xasprintf("sys/firmware/acpi/tables/%s", sig);
	struct stat st;
	char *buf;
	size_t len;
	int err;

	memset(t, 0, sizeof(*t));
	t->signature = sig;
	err = ii_root_stat(s->root, rel, &st);
	if (err == -ENOENT || err == -ENOTDIR) {
		free(rel);
		return;
	}
	t->present = true;
	err = ii_root_read_file(s->root, rel, &buf, &len, ACPI_TABLE_MAX);
	if (err < 0) {
		t->err = err;
		free(rel);
		return;
	}
	t->size = len;
	t->hdr_valid = ii_parse_acpi_header((const uint8_t *)buf, len, &t->hdr) == 0;
	if (!t->hdr_valid || t->hdr.length != len || !t->hdr.checksum_ok) {
		char *path = ii_root_display(s->root, rel);
		if (!t->hdr_valid)
			ii_warn(&s->diags, "%s: %zu bytes, shorter than an ACPI table header", path, len);
		else if (t->hdr.length != len)
			ii_warn(&s->diags, "%s: header says %u bytes but %zu were read (truncated copy?)",
				path, t->hdr.length, len);
		else
			ii_warn(&s->diags, "%s: checksum mismatch (firmware bug or corrupted copy)", path);
		free(path);
	}
	free(buf);
	free(rel);
}

void ii_src_acpi(struct ii_system *s)
{
	read_table(s, &s->dmar, "DMAR");
	read_table(s, &s->ivrs, "IVRS");
}
