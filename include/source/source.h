/* SPDX-License-Identifier: MIT */
/*
 * Sources: read the inspected system's files (through the root layer only)
 * and fill the model. They never print; problems become warnings in
 * s->diags that name the file and what to do.
 */
#ifndef II_SOURCE_H
#define II_SOURCE_H

#include "system.h"

/* sys/class/iommu */
void ii_src_units(struct ii_system *s);
/* sys/kernel/iommu_groups */
void ii_src_groups(struct ii_system *s);
/* sys/bus/pci/devices; details adds numa node, reset methods and physfn */
void ii_src_devices(struct ii_system *s, bool details);
/* The group a device's iommu_group link names: 0 and *id, or -errno (-ENOENT: none). For the
 * devices the group directories could not place, when some of them could not be read. */
int ii_src_device_group(struct ii_system *s, const struct ii_device *d, unsigned *id);
/* Names users know devices by: libudev on the live system, sysfs children otherwise. */
void ii_src_names(struct ii_system *s, bool from_sysfs);
/* Vendor, device and class names from libpci's ID database. */
void ii_src_pci_ids(struct ii_system *s, const char *ids_file);
/* proc/version, proc/cmdline, proc/interrupts */
void ii_src_sysinfo(struct ii_system *s);
/* The IOMMU rows of proc/interrupts, each with its unit when known (s->units): the number of
 * rows (*rows allocated, owned by the caller); 0 when it cannot be read. */
struct ii_irq_row;
size_t ii_src_irq_rows(struct ii_system *s, struct ii_irq_row **rows);
/* sys/firmware/acpi/tables/{DMAR,IVRS} */
void ii_src_acpi(struct ii_system *s);
/* A DMAR or IVRS table from a file outside the root (acpi --file), in place of the root's
 * table of that signature: 0, or -1 with *err set (unreadable, short, another table). */
int ii_src_acpi_file(struct ii_system *s, const char *file, char **err);
/* Free a table's decoded structures (the model's links to them must be gone). */
void ii_src_acpi_free(struct ii_acpi_table *t);
/* The device tree's IOMMU properties into s->dt (src/source/source-dt.c); none: s->dt NULL. */
void ii_src_dt(struct ii_system *s);
void ii_src_dt_free(struct ii_system *s);

/*
 * The configuration space of PCI device d: up to max bytes (4096 for a PCI Express
 * function read as root, 256 for a conventional one, 64 for other readers). The
 * byte count, or -errno.
 */
ssize_t ii_src_pci_config(struct ii_system *s, const struct ii_device *d, uint8_t *buf, size_t max);

/* check's facts (II_LOAD_HOST): s->host (src/source/source-host.c). */
void ii_src_host(struct ii_system *s);
void ii_host_free(struct ii_host *h);

/* A root-layer error in words (-EBADMSG: a NUL byte; -ENXIO: not a regular file). */
const char *ii_src_strerror(int err);
/* Shared by the sources: a warning for a failed read of d/name (name may be NULL). */
void ii_src_warn_errno(struct ii_system *s, const struct ii_dir *d, const char *name, int err,
		       const char *what);

#endif
