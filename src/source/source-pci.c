// SPDX-License-Identifier: MIT
/*
 * libpci: vendor, device and class names from the PCI ID database. libpci is
 * pointed at the same root (sysfs.path = <root>/sys/bus/pci) so that anything
 * it reads comes from the inspected tree, and --pci-ids pins the database
 * (and turns off udev's hwdb) so that tests see the same names everywhere.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pci/pci.h>

#include "source.h"

static struct ii_system *cur; /* libpci's callbacks carry no context */

/* libpci ends some messages with a newline ("... at FILE, line N\n"): a warning is one line. */
static char *one_line(char *msg)
{
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return rtrim(msg);
}

static ii_printf_like(1, 2) void pci_warning(char *msg, ...)
{
	va_list ap;
	char *s;

	va_start(ap, msg);
	s = xvasprintf(msg, ap);
	va_end(ap);
	if (cur)
		ii_warn(&cur->diags, "libpci: %s", one_line(s));
	free(s);
}

/* libpci's error callback must not return: jump back and turn it into a warning. */
static jmp_buf pci_failed;
static char pci_failure[256];

static ii_printf_like(1, 2) ii_noreturn void pci_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_failure, sizeof(pci_failure), msg, ap);
	va_end(ap);
	longjmp(pci_failed, 1);
}

static char *dup_or_null(const char *r)
{
	return r ? xstrdup(r) : NULL;
}

void ii_src_pci_ids(struct ii_system *s, const char *ids_file)
{
	struct pci_access *a = pci_alloc();
	char *sysfs = xasprintf("%s%ssys/bus/pci", ii_root_dir(s->root),
				ii_root_is_live(s->root) ? "" : "/");
	int flags = PCI_LOOKUP_NO_NUMBERS;
	char buf[256];

	cur = s;
	if (setjmp(pci_failed)) {
		ii_warn(&s->diags, "libpci: %s; device names unknown", one_line(pci_failure));
		/*
		 * libpci cannot be used after an error, but it can be freed: its errors come
		 * after it closed what it opened (the ID file), and pci_cleanup() frees the
		 * name list, the parameters and the access struct whatever state they are in.
		 */
		pci_cleanup(a);
		free(sysfs);
		cur = NULL;
		return;
	}
	a->warning = pci_warning;
	a->error = pci_error;
	a->method = PCI_ACCESS_SYS_BUS_PCI;
	pci_set_param(a, "sysfs.path", sysfs);
	if (ids_file) {
		pci_set_name_list_path(a, (char *)ids_file, 0);
		flags |= PCI_LOOKUP_NO_HWDB;
	}
	pci_init(a);
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];

		if (!d->is_pci)
			continue;
		if (d->valid & II_DV_IDS) {
			d->vendor_name = dup_or_null(pci_lookup_name(a, buf, sizeof(buf),
					flags | PCI_LOOKUP_VENDOR, d->vendor_id));
			d->device_name = dup_or_null(pci_lookup_name(a, buf, sizeof(buf),
					flags | PCI_LOOKUP_DEVICE, d->vendor_id, d->device_id));
		}
		if (d->valid & II_DV_CLASS)
			d->class_name = dup_or_null(pci_lookup_name(a, buf, sizeof(buf),
					flags | PCI_LOOKUP_CLASS, (int)(d->class_code >> 8)));
	}
	pci_cleanup(a);
	free(sysfs);
	cur = NULL;
}
