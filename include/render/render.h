/* SPDX-License-Identifier: MIT */
/*
 * Renderers: the model in text and JSON through the output layer, one
 * function per entity, each field written once. Renderers never read files.
 */
#ifndef II_RENDER_H
#define II_RENDER_H

#include "model.h"
#include "output.h"
#include "select.h"
#include "status.h"

void render_status(struct ii_out *o, const struct ii_system *s, const struct ii_status *st);
void render_groups(struct ii_out *o, const struct ii_system *s, struct ii_group *const *groups,
		   size_t n);
void render_devices(struct ii_out *o, const struct ii_system *s, struct ii_device *const *devs,
		    size_t n);
void render_iommus(struct ii_out *o, const struct ii_system *s, const struct ii_unit *units,
		   size_t n);

/* acpi: the decoded DMAR and IVRS tables (render-acpi.c, render-ivrs.c). */
void render_acpi(struct ii_out *o, const struct ii_system *s, const struct ii_acpi_table *const *t,
		 size_t n);

/* The identity of a device (address, ids, class, names, driver) as one line or JSON keys. */
/* bdf_width: the text column of the address (12, wider for a VMD domain). */
void render_device_ident(struct ii_out *o, const struct ii_device *d, int bdf_width,
			 int driver_width);
/*
 * A register's decoded fields: JSON "fields": {name: bool|int, ...}; text: set
 * flags by name, nonzero multi-bit fields as NAME=value with what explain says.
 */
typedef char *(*render_explain_fn)(const struct ii_regdesc *rd, const struct ii_field *f,
				   uint64_t value);
void render_reg_fields(struct ii_out *o, const struct ii_regdesc *rd, uint64_t v,
		       render_explain_fn explain);
/* Why a device is in no group (d->nogroup), for people, into buf; returns buf. */
const char *render_nogroup_reason(const struct ii_system *s, const struct ii_device *d, char *buf,
				  size_t size);
/* The text of a selection issue (new string), without the command's prefix. */
char *render_sel_issue(const struct ii_system *s, const struct ii_sel_issue *is);

#endif
