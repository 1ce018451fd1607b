/* SPDX-License-Identifier: MIT */
/*
 * The model: what iommu-inspect knows about a system, built from the sources
 * (include/source/system.h holds what they read) and read by the renderers:
 * loading, links between units, groups and devices, lookups and the class
 * filter.
 */
#ifndef II_MODEL_H
#define II_MODEL_H

#include "system.h"

int ii_system_load(struct ii_system *s, struct ii_root *r, unsigned what,
		   const struct ii_load_opts *opts);
void ii_system_free(struct ii_system *s);

/* Cross-reference the decoded ACPI tables with the devices and units (src/model-acpi.c). */
void ii_acpi_link(struct ii_system *s);
/* Warn when the DMAR exists but could not be read, so no device can be marked rmrr. */
void ii_acpi_warn_rmrr_unknown(struct ii_system *s);
void ii_acpi_table_free(struct ii_acpi_table *t);
/* acpi --file: a DMAR or IVRS table from a file outside the root in place of the root's table
 * of that signature, linked with the devices: 0, or -1 with *err set. */
int ii_acpi_load_file(struct ii_system *s, const char *file, char **err);
/* The kernel relaxes RMRRs of USB and graphics devices: they can still be assigned. */
bool ii_rmrr_relaxable(const struct ii_device *d);

enum ii_vendor ii_system_vendor(const struct ii_system *s);

/* Device class categories for --class: "gpu", "net", ... or a hex class code. */
struct ii_class_filter {
	uint32_t value, mask;  /* class_code & mask == value */
};
/* Parse a comma-separated list; on error returns -1 and points *bad at the bad item. */
int ii_class_filter_parse(const char *arg, struct ii_class_filter **out, size_t *n, char **bad);
bool ii_class_match(const struct ii_device *d, const struct ii_class_filter *f, size_t n);
/* The category names, for --help, the man page and completions. */
extern const char *const ii_class_names[];
/* The category of a device ("net", ...) or NULL. */
const char *ii_device_category(const struct ii_device *d);

#endif
