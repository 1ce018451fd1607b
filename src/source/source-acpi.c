// SPDX-License-Identifier: MIT
/*
 * ACPI tables that describe IOMMUs: sys/firmware/acpi/tables/{DMAR,IVRS,IORT,VIOT}, or a
 * table file the user names (`acpi --file`). Each is read whole and decoded;
 * what the decoder finds wrong becomes a warning naming the file and offset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "paths.h"

#define ACPI_TABLE_MAX (1 << 20)

/* Decode len bytes into t (whose signature is set); warnings name the file as display. */
static void decode(struct ii_system *s, struct ii_acpi_table *t, const uint8_t *buf, size_t len,
		   const char *display)
{
	const struct strlist *w = NULL;

	t->size = len;
	t->hdr_valid = ii_parse_acpi_header(buf, len, &t->hdr) == 0;
	if (!t->hdr_valid) {
		ii_warn(&s->diags, "%s: %zu bytes, shorter than an ACPI table header", display, len);
		return;
	}
	if (!strcmp(t->signature, "DMAR")) {
		t->dmar = xcalloc(1, sizeof(*t->dmar));
		ii_parse_dmar(buf, len, t->dmar);
		w = &t->dmar->warnings;
	} else if (!strcmp(t->signature, "IVRS")) {
		t->ivrs = xcalloc(1, sizeof(*t->ivrs));
		ii_parse_ivrs(buf, len, t->ivrs);
		w = &t->ivrs->warnings;
	} else if (!strcmp(t->signature, "IORT")) {
		t->iort = xcalloc(1, sizeof(*t->iort));
		ii_parse_iort(buf, len, t->iort);
		w = &t->iort->warnings;
	} else if (!strcmp(t->signature, "VIOT")) {
		t->viot = xcalloc(1, sizeof(*t->viot));
		ii_parse_viot(buf, len, t->viot);
		w = &t->viot->warnings;
	}
	for (size_t i = 0; w && i < w->n; i++)
		ii_warn(&s->diags, "%s: %s", display, w->v[i]);
}

static void read_table(struct ii_system *s, struct ii_acpi_table *t, const char *sig)
{
	char *rel = xasprintf(II_PATH_ACPI_TABLES "/%s", sig);
	struct stat st;
	char *buf, *path;
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
	path = ii_root_display(s->root, rel);
	decode(s, t, (const uint8_t *)buf, len, path);
	free(path);
	free(buf);
	free(rel);
}

void ii_src_acpi(struct ii_system *s)
{
	read_table(s, &s->dmar, "DMAR");
	read_table(s, &s->ivrs, "IVRS");
	read_table(s, &s->iort, "IORT");
	read_table(s, &s->viot, "VIOT");
}

int ii_src_acpi_file(struct ii_system *s, const char *file, char **err)
{
	struct ii_acpi_header h;
	struct ii_acpi_table *t;
	char *buf;
	size_t len;
	int e = ii_host_read_file(file, &buf, &len, ACPI_TABLE_MAX);

	*err = NULL;
	if (e < 0) {
		*err = xasprintf("--file %s: %s%s", file, strerror(-e),
				 e == -EFBIG ? " (an ACPI table is smaller than 1 MiB)" : "");
		return -1;
	}
	if (ii_parse_acpi_header((const uint8_t *)buf, len, &h)) {
		*err = xasprintf("%s: %zu bytes, shorter than an ACPI table header (36 bytes): not a "
				 "raw table as acpidump -b, acpixtract or sysfs write it", file, len);
		free(buf);
		return -1;
	}
	if (!strcmp(h.signature, "DMAR")) {
		t = &s->dmar;
	} else if (!strcmp(h.signature, "IVRS")) {
		t = &s->ivrs;
	} else if (!strcmp(h.signature, "IORT")) {
		t = &s->iort;
	} else if (!strcmp(h.signature, "VIOT")) {
		t = &s->viot;
	} else {
		*err = xasprintf("%s: the table's signature is \"%s\", not DMAR, IVRS, IORT or VIOT",
				 file, h.signature);
		free(buf);
		return -1;
	}
	ii_src_acpi_free(t);
	memset(t, 0, sizeof(*t));
	t->signature = t == &s->dmar ? "DMAR" : t == &s->ivrs ? "IVRS" : t == &s->iort ? "IORT" :
		       "VIOT";
	t->present = true;
	t->file = file;
	decode(s, t, (const uint8_t *)buf, len, file);
	free(buf);
	return 0;
}

void ii_src_acpi_free(struct ii_acpi_table *t)
{
	if (t->dmar)
		ii_dmar_free(t->dmar);
	if (t->ivrs)
		ii_ivrs_free(t->ivrs);
	if (t->iort)
		ii_iort_free(t->iort);
	if (t->viot)
		ii_viot_free(t->viot);
	free(t->dmar);
	free(t->ivrs);
	free(t->iort);
	free(t->viot);
	t->dmar = NULL;
	t->ivrs = NULL;
	t->iort = NULL;
	t->viot = NULL;
}
