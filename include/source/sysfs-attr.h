/* SPDX-License-Identifier: MIT */
/*
 * Reading sysfs attributes, shared by the sysfs sources (src/source/source-sysfs.c,
 * source-pcidev.c): each warns, naming the file, unless the attribute is optional and
 * absent, and returns whether a value was read.
 */
#ifndef II_SYSFS_ATTR_H
#define II_SYSFS_ATTR_H

#include "system.h"

/* A hex attribute already read into buf (n: the read's result). */
bool ii_src_parse_hex(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional,
		      char *buf, ssize_t n, uint64_t *out);
bool ii_src_read_hex(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional,
		     uint64_t *out);
bool ii_src_read_int(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional,
		     long long *out);
/*
 * Open one of the top directories and list it. Returns 1 when listed, 0 when it does not
 * exist (an absent IOMMU, not an error), or -errno after a warning.
 */
int ii_src_list_top(struct ii_system *s, struct ii_dir *top, const char *rel, struct strlist *names,
		    const char *what);

#endif
