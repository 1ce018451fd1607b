// SPDX-License-Identifier: MIT
/*
 * The PCI ID database (pci.ids): names for the ids a command shows, looked up
 * while the text is read once. Its grammar, one entry a line:
 *
 *   vvvv  Vendor name                 a vendor (4 hex digits, blanks, the name)
 *   <TAB>dddd  Device name            a device of the vendor above
 *   <TAB><TAB>ssss ssss  Name         a subsystem of the device above
 *   C cc  Class name                  a base class
 *   <TAB>ss  Subclass name            ... its subclasses
 *   <TAB><TAB>pp  Prog-if name        ... and their programming interfaces
 *   S vvvv / X ...                    generic subsystems of a vendor / blocks for later use
 *   # comment, blank lines
 *
 * A line longer than libpci's buffer, a malformed line, an entry that does not follow the
 * one before it in ascending order: -EINVAL, and libpci reads the file instead (it takes
 * entries in any order, and reports the errors). One trailing blank is not part of a name.
 */
#include <errno.h>
#include <string.h>

#include "parse.h"

#define MAX_LINE 1022 /* what libpci's 1024-byte line buffer holds with its newline and NUL */

enum block { B_NONE, B_VENDOR, B_CLASS, B_GENERIC, B_UNKNOWN };

/* n hex digits at p, then a blank (or the end of the line, when end_ok): the value, or -1 */
static long hexfield(const char *p, int n, bool end_ok)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		int d = ii_hexval(p[i]);
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	if (p[n] == ' ' || p[n] == '\t' || (end_ok && !p[n]))
		return v;
	return -1;
}

/* The name after an id of n characters: blanks skipped, not empty; NULL if malformed. */
static char *name_after(char *p, int n)
{
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p ? p : NULL;
}

static struct ii_pciids_want *find(struct ii_pciids_want *w, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w[mid].key == key)
			return &w[mid];
		if (w[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The first of w whose key is at least key. */
static size_t lower(const struct ii_pciids_want *w, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int ii_pciids_lookup(char *text, size_t len, struct ii_pciids_want *vendors, size_t nv,
		     struct ii_pciids_want *devices, size_t nd, struct ii_pciids_want *classes,
		     size_t nc)
{
	static const long none = -1;
	uint8_t seen[65536 / 8] = { 0 }; /* the vendors so far, for the generic subsystem blocks */
	enum block blk = B_NONE;
	long last_vendor = none, last_class = none, last_generic = none, last1 = none, last2 = none;
	long vendor = 0, cls = 0, dev_lo = 0;
	bool vendor_devices = false; /* some wanted device has this vendor */
	int level = 0;               /* the nesting of the entry before: 1 or 2 below a block */
	char *p = text, *end = text + len;
	int ret = 0;

	for (size_t i = 0; i < nv; i++)
		vendors[i].name = NULL;
	for (size_t i = 0; i < nd; i++)
		devices[i].name = NULL;
	for (size_t i = 0; i < nc; i++)
		classes[i].name = classes[i].base_name = NULL;
	while (p < end && !ret) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *line = p, *q, *name;
		size_t n = (size_t)((nl ? nl : end) - p);
		int nest = 0;
		long id, id2;

		p = nl ? nl + 1 : end;
		if (n > MAX_LINE || memchr(line, '\r', n) || memchr(line, '\0', n)) {
			ret = -EINVAL;
			break;
		}
		line[n] = '\0'; /* the newline, or text[len] */
		if (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		for (q = line; *q == ' ' || *q == '\t'; q++)
			;
		if (!*q || *q == '#')
			continue;
		for (q = line; *q == '\t'; q++)
			nest++;
		if (nest == 0) {
			last1 = last2 = none;
			level = 0;
			if (q[0] == 'C' && q[1] == ' ') {
				if ((id = hexfield(q + 2, 2, false)) < 0 || id <= last_class ||
				    !(name = name_after(q, 4))) {
					ret = -EINVAL;
					break;
				}
				blk = B_CLASS;
				last_class = cls = id;
				for (size_t i = lower(classes, nc, (uint32_t)id << 8);
				     i < nc && classes[i].key >> 8 == (uint32_t)id; i++)
					classes[i].base_name = name;
			} else if (q[0] == 'S' && q[1] == ' ') {
				if ((id = hexfield(q + 2, 4, true)) < 0 || q[6] || id <= last_generic ||
				    !(seen[id >> 3] & (1 << (id & 7)))) {
					ret = -EINVAL;
					break;
				}
				blk = B_GENERIC;
				last_generic = id;
			} else if (q[0] >= 'A' && q[0] <= 'Z' && q[1] == ' ') {
				blk = B_UNKNOWN;
			} else {
				struct ii_pciids_want *w;

				if ((id = hexfield(q, 4, false)) < 0 || id <= last_vendor ||
				    !(name = name_after(q, 4))) {
					ret = -EINVAL;
					break;
				}
				blk = B_VENDOR;
				last_vendor = vendor = id;
				seen[id >> 3] |= (uint8_t)(1 << (id & 7));
				if ((w = find(vendors, nv, (uint32_t)id)))
					w->name = name;
				dev_lo = (long)lower(devices, nd, (uint32_t)id << 16);
				vendor_devices = (size_t)dev_lo < nd &&
						 devices[dev_lo].key >> 16 == (uint32_t)id;
			}
			continue;
		}
		if (blk == B_UNKNOWN)
			continue; /* what such a block holds is not ours to read */
		if (nest == 1 && (blk == B_VENDOR || blk == B_GENERIC)) {
			if ((id = hexfield(q, 4, false)) < 0 || id <= last1 || !(name = name_after(q, 4))) {
				ret = -EINVAL;
				break;
			}
			last1 = id;
			last2 = none;
			level = 1;
			if (blk == B_VENDOR && vendor_devices) {
				struct ii_pciids_want *w = find(devices + dev_lo, nd - (size_t)dev_lo,
								 (uint32_t)(vendor << 16 | id));
				if (w)
					w->name = name;
			}
		} else if (nest == 1 && blk == B_CLASS) {
			struct ii_pciids_want *w;

			if ((id = hexfield(q, 2, false)) < 0 || id <= last1 || !(name = name_after(q, 2))) {
				ret = -EINVAL;
				break;
			}
			last1 = id;
			last2 = none;
			level = 1;
			if ((w = find(classes, nc, (uint32_t)(cls << 8 | id))))
				w->name = name;
		} else if (nest == 2 && level >= 1 && blk == B_VENDOR) {
			/* a subsystem: "ssss dddd  Name" */
			if ((id = hexfield(q, 4, false)) < 0 || (id2 = hexfield(q + 5, 4, false)) < 0 ||
			    (id << 16 | id2) <= last2 || !name_after(q, 9)) {
				ret = -EINVAL;
				break;
			}
			last2 = id << 16 | id2;
			level = 2;
		} else if (nest == 2 && level >= 1 && blk == B_CLASS) {
			if ((id = hexfield(q, 2, false)) < 0 || id <= last2 || !name_after(q, 2)) {
				ret = -EINVAL;
				break;
			}
			last2 = id;
			level = 2;
		} else {
			ret = -EINVAL; /* deeper, or below nothing it can belong to */
		}
	}
	if (ret) {
		for (size_t i = 0; i < nv; i++)
			vendors[i].name = NULL;
		for (size_t i = 0; i < nd; i++)
			devices[i].name = NULL;
		for (size_t i = 0; i < nc; i++)
			classes[i].name = classes[i].base_name = NULL;
	}
	return ret;
}
