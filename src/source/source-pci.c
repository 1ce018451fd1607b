// SPDX-License-Identifier: MIT
/*
 * Vendor, device and class names from the PCI ID database: the names libpci
 * gives. The database (libpci's own file, or the one --pci-ids pins, which also
 * turns off udev's hwdb so that tests see the same names everywhere) is read
 * once for just the ids the devices have (src/parse/parse-pciids.c): libpci
 * would load all of it into a table first, which costs more than the rest of
 * `groups` on a large machine. What the file lacks is asked of libpci without
 * its file, that is of udev's hwdb, as libpci does. A file the one-pass reader
 * does not take (compressed, unordered, malformed) is left to libpci whole,
 * which reports what is wrong. libpci is pointed at the same root (sysfs.path =
 * <root>/sys/bus/pci) so that anything it reads comes from the inspected tree.
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

/* libpci's names: all of them, or (hwdb_only) those still missing, from udev's hwdb. */
static void names_from_libpci(struct ii_system *s, const char *ids_file, bool hwdb_only)
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
	} else if (hwdb_only) {
		/* a file that cannot be opened is no error to libpci: it goes on to the hwdb */
		pci_set_name_list_path(a, (char *)"", 0);
	}
	pci_init(a);
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];

		if (!d->is_pci)
			continue;
		if ((d->valid & II_DV_IDS) && !d->vendor_name)
			d->vendor_name = dup_or_null(pci_lookup_name(a, buf, sizeof(buf),
					flags | PCI_LOOKUP_VENDOR, d->vendor_id));
		if ((d->valid & II_DV_IDS) && !d->device_name)
			d->device_name = dup_or_null(pci_lookup_name(a, buf, sizeof(buf),
					flags | PCI_LOOKUP_DEVICE, d->vendor_id, d->device_id));
		if ((d->valid & II_DV_CLASS) && !d->class_name)
			d->class_name = dup_or_null(pci_lookup_name(a, buf, sizeof(buf),
					flags | PCI_LOOKUP_CLASS, (int)(d->class_code >> 8)));
	}
	pci_cleanup(a);
	free(sysfs);
	cur = NULL;
}

static int cmp_want(const void *a, const void *b)
{
	uint32_t x = ((const struct ii_pciids_want *)a)->key, y = ((const struct ii_pciids_want *)b)->key;
	return x < y ? -1 : x > y;
}

/* Sort and drop repeated keys; returns the new count. */
static size_t uniq(struct ii_pciids_want *w, size_t n)
{
	size_t k = 0;

	if (n > 1)
		qsort(w, n, sizeof(*w), cmp_want);
	for (size_t i = 0; i < n; i++)
		if (!k || w[k - 1].key != w[i].key)
			w[k++] = w[i];
	return k;
}

static const struct ii_pciids_want *want_of(const struct ii_pciids_want *w, size_t n, uint32_t key)
{
	struct ii_pciids_want k = { .key = key };

	return bsearch(&k, w, n, sizeof(*w), cmp_want);
}

/* A name as libpci hands it over in a 256-byte buffer: cut to 255 bytes ending in "...". */
static char *libpci_name(const char *name, unsigned class_code, bool with_code)
{
	char buf[256];
	int n;

	if (!with_code && strlen(name) < sizeof(buf))
		return xstrdup(name);
	n = with_code ? snprintf(buf, sizeof(buf), "%s [%04x]", name, class_code)
		      : snprintf(buf, sizeof(buf), "%s", name);

	if (n >= (int)sizeof(buf))
		buf[sizeof(buf) - 2] = buf[sizeof(buf) - 3] = buf[sizeof(buf) - 4] = '.';
	return xstrdup(buf);
}

/*
 * The names from the database file in one pass: 0 (*missing: some name was not in it), or
 * -1 when the file is left to libpci.
 */
static int names_from_file(struct ii_system *s, const char *ids_file, bool *missing)
{
	struct ii_pciids_want *v, *dv, *c;
	size_t nv = 0, nd = 0, nc = 0, len;
	char *path, *text;
	int ret;

	if (ids_file) {
		path = xstrdup(ids_file);
	} else {
		struct pci_access *a = pci_alloc(); /* for its default file, nothing else */
		path = a->id_file_name ? xstrdup(a->id_file_name) : NULL;
		pci_cleanup(a);
	}
	ret = path ? ii_host_read_file(path, &text, &len, 32 << 20) : -ENOENT;
	if (ret == -ENOENT && path && strlen(path) > 3 && !strcmp(path + strlen(path) - 3, ".gz")) {
		/* libpci built for pci.ids.gz falls back to the plain file, as here */
		path[strlen(path) - 3] = '\0';
		ret = ii_host_read_file(path, &text, &len, 32 << 20);
	}
	free(path);
	if (ret < 0)
		return -1;
	if (len >= 2 && (uint8_t)text[0] == 0x1f && (uint8_t)text[1] == 0x8b) {
		free(text); /* gzip: libpci reads it */
		return -1;
	}
	v = xcalloc(s->ndevices + 1, sizeof(*v));
	dv = xcalloc(s->ndevices + 1, sizeof(*dv));
	c = xcalloc(s->ndevices + 1, sizeof(*c));
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct ii_device *d = s->devices[i];

		if (d->is_pci && (d->valid & II_DV_IDS)) {
			v[nv++].key = d->vendor_id;
			dv[nd++].key = (uint32_t)d->vendor_id << 16 | d->device_id;
		}
		if (d->is_pci && (d->valid & II_DV_CLASS))
			c[nc++].key = d->class_code >> 8;
	}
	nv = uniq(v, nv);
	nd = uniq(dv, nd);
	nc = uniq(c, nc);
	ret = ii_pciids_lookup(text, len, v, nv, dv, nd, c, nc);
	*missing = false;
	for (size_t i = 0; !ret && i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];
		const struct ii_pciids_want *w;

		if (!d->is_pci)
			continue;
		if (d->valid & II_DV_IDS) {
			w = want_of(v, nv, d->vendor_id);
			d->vendor_name = w->name ? libpci_name(w->name, 0, false) : NULL;
			w = want_of(dv, nd, (uint32_t)d->vendor_id << 16 | d->device_id);
			d->device_name = w->name ? libpci_name(w->name, 0, false) : NULL;
			*missing |= !d->vendor_name || !d->device_name;
		}
		if (d->valid & II_DV_CLASS) {
			unsigned code = d->class_code >> 8;
			/* a subclass the file lacks: its base class and the number, as libpci */
			w = want_of(c, nc, code);
			d->class_name = w->name ? libpci_name(w->name, code, false) :
					w->base_name ? libpci_name(w->base_name, code, true) : NULL;
			*missing |= !d->class_name;
		}
	}
	free(v);
	free(dv);
	free(c);
	free(text);
	return ret ? -1 : 0;
}

void ii_src_pci_ids(struct ii_system *s, const char *ids_file)
{
	bool missing;

	if (names_from_file(s, ids_file, &missing) == 0) {
		/* libpci asks udev's hwdb for what its file lacks, unless --pci-ids pins the file */
		if (missing && !ids_file)
			names_from_libpci(s, NULL, true);
		return;
	}
	names_from_libpci(s, ids_file, false);
}
