/* SPDX-License-Identifier: MIT */
/*
 * The `acpi` renderers: src/render-acpi.c (the table header, DMAR, and the
 * helpers below), src/render-ivrs.c (IVRS) and src/render-iort.c (IORT, VIOT).
 */
#ifndef II_RENDER_ACPI_H
#define II_RENDER_ACPI_H

#include "render.h"

/* The IVRS part of one table object (after the common header keys). */
void render_ivrs_body(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t);

/* The IORT and VIOT parts of one table object (src/render/render-iort.c). */
void render_iort_body(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t);
void render_viot_body(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *t);

/* "0000:00:02.0" */
void ra_bdf(const struct ii_bdf *b, char out[II_BDF_MAX]);
/* A hex JSON key with its text, or null (text "-") when !have. */
void ra_hex(struct ii_out *o, const char *key, const char *fmt, uint64_t v, int digits, bool have);
/* An unsigned JSON key with its text, or null when !have. */
void ra_uint(struct ii_out *o, const char *key, const char *fmt, unsigned long long v, bool have);
/* "4 KiB", "1 MiB", or "N bytes" for a size that is not a whole number of KiB. */
void ra_size(uint64_t bytes, char *out, size_t size);
/* The "covers" array: the tree's devices a structure covers, six per text line; why is
 * added to the text ("" or NULL for nothing). */
void ra_covers(struct ii_out *o, const struct ii_acpi_cover *c, const char *why);
/* Raw bytes: JSON "raw" as one hex string; text in rows of 16. */
void ra_raw(struct ii_out *o, const uint8_t *p, size_t n);
/* The registered unit a structure describes: JSON "unit" (name or null), text "  unit dmar0". */
void ra_unit(struct ii_out *o, const struct ii_acpi_cover *c);

#endif
