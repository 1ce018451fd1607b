// SPDX-License-Identifier: MIT
/* Build the model from the sources, link groups, units and devices, look things up. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domains.h"
#include "fault-run.h"
#include "model.h"
#include "arm.h"
#include "source.h"

/* A device that a group or unit names but that sys/bus/pci/devices does not list. */
static struct ii_device *add_stub(struct ii_system *s, const char *name, size_t *cap)
{
	struct ii_device *d = xcalloc(1, sizeof(*d));

	snprintf(d->name, sizeof(d->name), "%s", name);
	d->is_pci = ii_bdf_is_canonical(name, &d->bdf);
	d->present = !d->is_pci; /* a non-PCI member is only known by name */
	d->group = -1;
	d->numa_node = -1;
	xgrow((void **)&s->devices, cap, s->ndevices + 1, sizeof(*s->devices));
	s->devices[s->ndevices++] = d;
	return d;
}

static void link_groups(struct ii_system *s)
{
	struct strlist missing = { 0 };
	size_t cap = s->ndevices;

	/* devices only a group knows of: non-PCI members, or PCI devices gone from the bus */
	for (size_t i = 0; i < s->ngroups; i++) {
		struct ii_group *g = &s->groups[i];
		for (size_t j = 0; j < g->members.n; j++) {
			const char *m = g->members.v[j];
			struct ii_bdf b;

			if (ii_find_device(s, m) || sl_contains(&missing, m))
				continue;
			sl_add(&missing, m);
			if (!ii_parse_bdf(m, &b) && (s->loaded & II_LOAD_DEVICES) && s->pci_dir &&
			    !sl_contains(&s->vanished, m))
				ii_warn(&s->diags, "IOMMU group %u lists %s, but sys/bus/pci/devices does "
					"not: its link dangles (the device was removed while being read?)",
					g->id, m);
		}
	}
	for (size_t i = 0; i < missing.n; i++)
		add_stub(s, missing.v[i], &cap);
	if (missing.n)
		qsort(s->devices, s->ndevices, sizeof(*s->devices), ii_device_cmp);
	sl_free(&missing);

	/* link both ways */
	for (size_t i = 0; i < s->ngroups; i++) {
		struct ii_group *g = &s->groups[i];
		g->devs = xcalloc(g->members.n ? g->members.n : 1, sizeof(*g->devs));
		for (size_t j = 0; j < g->members.n; j++) {
			struct ii_device *d = ii_find_device(s, g->members.v[j]);
			if (!d)
				continue;
			if (d->group >= 0 && (unsigned)d->group != g->id)
				ii_warn(&s->diags, "%s is listed in IOMMU groups %d and %u; shown in the "
					"first", d->name, d->group, g->id);
			else
				d->group = (int)g->id;
			g->devs[g->ndevs++] = d;
		}
		if (g->ndevs > 1)
			qsort(g->devs, g->ndevs, sizeof(*g->devs), ii_device_cmp);
	}
}

/*
 * When some group directory (or its devices/) could not be read, a device the others do
 * not list may be in it: its own iommu_group link tells, when that can be read. Only then:
 * the group directories are what is read otherwise, once.
 */
static void place_by_links(struct ii_system *s)
{
	bool incomplete = false;

	for (size_t i = 0; i < s->ngroups; i++)
		incomplete |= s->groups[i].err || s->groups[i].members_err;
	if (!incomplete)
		return;
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];
		struct ii_group *g;
		unsigned id;
		int err;

		if (d->group >= 0 || !d->is_pci || !d->present || d->err)
			continue;
		err = ii_src_device_group(s, d, &id);
		if (err == -ENOENT)
			continue; /* in no group: the reasons below apply */
		g = err ? NULL : ii_find_group(s, id);
		if (!g || !(g->err || g->members_err)) {
			/* unreadable link, or a group that does not list it: unknown */
			d->nogroup = II_NOGROUP_GROUP_UNREADABLE;
			d->nogroup_err = err ? err : -EIO;
			continue;
		}
		d->group = (int)g->id;
		g->devs = xrealloc(g->devs, (g->ndevs + 1) * sizeof(*g->devs));
		g->devs[g->ndevs++] = d;
		if (g->ndevs > 1)
			qsort(g->devs, g->ndevs, sizeof(*g->devs), ii_device_cmp);
	}
}

/* Why each device is in no group (II_NOGROUP_*): the model's, printed from one table. */
static void decide_nogroup(struct ii_system *s)
{
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];

		if (d->group >= 0) {
			d->nogroup = II_NOGROUP_NONE;
		} else if (d->err) {
			d->nogroup = II_NOGROUP_DEVICE_UNREADABLE;
			d->nogroup_err = d->err;
		} else if (s->groups_err) {
			d->nogroup = II_NOGROUP_GROUPS_UNREADABLE;
			d->nogroup_err = s->groups_err;
		} else if (d->nogroup == II_NOGROUP_GROUP_UNREADABLE) {
			/* place_by_links() could not tell */
		} else if (!s->ngroups) {
			d->nogroup = II_NOGROUP_NO_GROUPS;
		} else if (((d->valid & II_DV_CLASS) && (d->class_code >> 8) == 0x0806) ||
			   /* a virtio-iommu (modern virtio PCI id 0x1040 + 23), not translated by itself */
			   ((d->valid & II_DV_IDS) && d->vendor_id == 0x1af4 && d->device_id == 0x1057)) {
			d->nogroup = II_NOGROUP_IOMMU_FUNCTION;
		} else {
			d->nogroup = II_NOGROUP_NOT_TRANSLATED;
		}
	}
}

/* Device names in address order (sysfs lists "0000:00:1f.0" before "0000:00:05.0"). */
static int ii_device_cmpname(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	struct ii_bdf bx, by;
	bool px = ii_parse_bdf(x, &bx) == 0, py = ii_parse_bdf(y, &by) == 0;

	if (px && py)
		return ii_bdf_cmp(&bx, &by);
	if (px != py)
		return px ? -1 : 1;
	return natural_cmp(x, y);
}

static void link_units(struct ii_system *s)
{
	for (size_t i = 0; i < s->nunits; i++) {
		struct ii_unit *u = &s->units[i];

		if (u->devices.n > 1)
			qsort(u->devices.v, u->devices.n, sizeof(*u->devices.v), ii_device_cmpname);
		for (size_t j = 0; j < u->devices.n; j++) {
			struct ii_device *d = ii_find_device(s, u->devices.v[j]);
			if (d && !d->unit)
				d->unit = u;
		}
	}
}

int ii_system_load(struct ii_system *s, struct ii_root *r, unsigned what,
		   const struct ii_load_opts *opts)
{
	memset(s, 0, sizeof(*s));
	s->root = r;
	s->loaded = what;
	if (what & (II_LOAD_SYSINFO | II_LOAD_UNITS | II_LOAD_DETAILS))
		ii_src_sysinfo(s);
	if (what & II_LOAD_LOG) {
		ii_frun_load_facts(s);
		if (!s->kernel_release && s->log.linux_version.text) {
			s->kernel_release = ii_parse_linux_version(s->log.linux_version.text);
			s->kernel_version = xstrdup(s->log.linux_version.text);
			s->kver = ii_parse_kver(s->kernel_release);
		}
		if (!s->cmdline && s->log.cmdline.text) {
			s->cmdline = xstrdup(s->log.cmdline.text + strlen("Kernel command line: "));
			rtrim(s->cmdline);
			s->cmdline_from_log = true;
		}
	}
	if (what & II_LOAD_ACPI) {
		ii_src_acpi(s);
		ii_src_dt(s);
	}
	if (what & II_LOAD_UNITS)
		ii_src_units(s);
	if (what & II_LOAD_GROUPS)
		ii_src_groups(s);
	/* sorted by the source (ii_device_cmp) */
	if (what & (II_LOAD_DEVICES | II_LOAD_DETAILS | II_LOAD_NAMES | II_LOAD_PCI_IDS))
		ii_src_devices(s, what & II_LOAD_DETAILS);
	link_groups(s);
	if (what & II_LOAD_GROUPS) {
		place_by_links(s);
		decide_nogroup(s);
	}
	link_units(s);
	if (what & II_LOAD_ACPI)
		ii_acpi_link(s);
	if ((what & II_LOAD_ACPI) && (what & II_LOAD_RMRR_WARN))
		ii_acpi_warn_rmrr_unknown(s);
	if (what & II_LOAD_NAMES)
		ii_src_names(s, opts && opts->names_from_sysfs);
	if (what & II_LOAD_PCI_IDS)
		ii_src_pci_ids(s, opts ? opts->pci_ids : NULL);
	if (what & (II_LOAD_DBG_DOMAINS | II_LOAD_DBG_WALK | II_LOAD_DBG_RANGES | II_LOAD_DBG_REGS))
		ii_dbg_system_load(s, what);
	if (what & II_LOAD_HOST)
		ii_src_host(s);
	return 0;
}

void ii_system_free(struct ii_system *s)
{
	ii_dbg_system_free(s); /* s->dbg, s->dbg_regs, s->fault_notes */
	ii_host_free(s->host);
	for (size_t i = 0; i < s->nunits; i++) {
		struct ii_unit *u = &s->units[i];
		free(u->name);
		free(u->version);
		free(u->pci_function);
		free(u->parent);
		sl_free(&u->devices);
	}
	free(s->units);
	for (size_t i = 0; i < s->ngroups; i++) {
		struct ii_group *g = &s->groups[i];

		free(g->type);
		free(g->resv);
		free(g->name);
		sl_free(&g->members);
		free(g->devs);
	}
	free(s->groups);
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];
		free(d->driver);
		free(d->physfn);
		free(d->vendor_name);
		free(d->device_name);
		free(d->class_name);
		sl_free(&d->reset_methods);
		sl_free(&d->names);
		free(d->driver_override);
		free(d);
	}
	free(s->devices);
	free(s->kernel_release);
	free(s->kernel_version);
	free(s->cmdline);
	ii_logfacts_free(&s->log);
	ii_acpi_table_free(&s->dmar);
	ii_acpi_table_free(&s->ivrs);
	ii_acpi_table_free(&s->iort);
	ii_acpi_table_free(&s->viot);
	ii_arm_free(s);
	ii_src_dt_free(s);
	sl_free(&s->vanished);
	sl_free(&s->diags.warnings);
	memset(s, 0, sizeof(*s));
}

enum ii_vendor ii_system_vendor(const struct ii_system *s)
{
	enum ii_vendor v = II_VENDOR_NONE;

	for (size_t i = 0; i < s->nunits; i++) {
		if (v == II_VENDOR_NONE)
			v = s->units[i].vendor;
		else if (v != s->units[i].vendor)
			return II_VENDOR_OTHER;
	}
	return v;
}
