// SPDX-License-Identifier: MIT
/* Lookups in what the sources read: devices by name, groups by number. */
#include <stdio.h>
#include <stdlib.h>

#include "system.h"

/* PCI devices by address, then other devices by name. */
int ii_device_cmp(const void *a, const void *b)
{
	const struct ii_device *x = *(struct ii_device *const *)a, *y = *(struct ii_device *const *)b;

	if (x->is_pci != y->is_pci)
		return x->is_pci ? -1 : 1;
	if (x->is_pci)
		return ii_bdf_cmp(&x->bdf, &y->bdf);
	return natural_cmp(x->name, y->name);
}

long ii_device_index(const struct ii_system *s, const char *name)
{
	struct ii_device key = { 0 }, *kp = &key, **hit;

	if (!name || !s->ndevices)
		return -1;
	if (!ii_parse_bdf(name, &key.bdf))
		key.is_pci = true;
	else
		snprintf(key.name, sizeof(key.name), "%s", name);
	hit = bsearch(&kp, s->devices, s->ndevices, sizeof(*s->devices), ii_device_cmp);
	return hit ? (long)(hit - s->devices) : -1;
}

struct ii_device *ii_find_device(const struct ii_system *s, const char *name)
{
	long i = ii_device_index(s, name);

	return i >= 0 ? s->devices[i] : NULL;
}

struct ii_group *ii_find_group(const struct ii_system *s, unsigned id)
{
	size_t lo = 0, hi = s->ngroups;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->groups[mid].id == id)
			return &s->groups[mid];
		if (s->groups[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
