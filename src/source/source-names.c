// SPDX-License-Identifier: MIT
/*
 * The names users know a PCI device by: its network interfaces, disks, NVMe
 * controllers, DRM cards and InfiniBand ports. On the live system libudev
 * enumerates them; under --root the same rule is applied to the recorded
 * sysfs tree, so a snapshot replays with the same names:
 *
 *   a class device of subsystem net, block (whole disks), nvme, drm (cardN)
 *   or infiniband belongs to its nearest PCI ancestor, unless a USB device
 *   lies between them (a USB stick is not its host controller's name).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libudev.h>

#include "source.h"
#include "paths.h"

#define MAX_DEPTH 6

static const char *const name_subsystems[] = { "net", "block", "nvme", "drm", "infiniband" };

static bool wanted_subsystem(const char *subsys)
{
	for (size_t i = 0; i < II_ARRAY_SIZE(name_subsystems); i++)
		if (!strcmp(subsys, name_subsystems[i]))
			return true;
	return false;
}

/* DRM connectors (card0-HDMI-A-1) and render nodes are not what users call the card. */
static bool wanted_name(const char *subsys, const char *name, bool partition)
{
	if (!strcmp(subsys, "block"))
		return !partition;
	if (!strcmp(subsys, "drm")) {
		if (strncmp(name, "card", 4) != 0 || !name[4])
			return false;
		for (const char *p = name + 4; *p; p++)
			if (!isdigit((unsigned char)*p))
				return false;
	}
	return true;
}

/* ----------------------------------------------------------- sysfs walk */

static bool skip_dir(const char *name)
{
	static const char *const skip[] = { "power", "msi_irqs", "pci_bus", "iommu", "queues",
					     "statistics", "holders", "slaves", "mq", "queue",
					     "trace", "integrity", "wakeup" };
	struct ii_bdf b;

	for (size_t i = 0; i < II_ARRAY_SIZE(skip); i++)
		if (!strcmp(name, skip[i]))
			return true;
	/* child PCI functions are devices of their own; USB buses have their own world */
	if (!ii_parse_bdf(name, &b))
		return true;
	if (!strncmp(name, "usb", 3) && isdigit((unsigned char)name[3]))
		return true;
	return false;
}

static void walk(struct ii_system *s, const struct ii_dir *d, struct strlist *names, int depth)
{
	struct strlist subs = { 0 };

	if (depth > MAX_DEPTH || ii_dir_list_dirs(d, &subs) < 0)
		return;
	for (size_t i = 0; i < subs.n; i++) {
		struct ii_dir c;
		char subsys[64];
		bool descend = true;

		if (skip_dir(subs.v[i]))
			continue;
		if (ii_dir_open_at(d, &c, subs.v[i]) < 0) {
			ii_dir_close(&c);
			continue;
		}
		if (ii_dir_readlink_base(&c, "subsystem", subsys, sizeof(subsys)) == 0 &&
		    wanted_subsystem(subsys)) {
			struct stat st;
			bool partition = ii_dir_lstat(&c, "partition", &st) == 0;

			if (wanted_name(subsys, subs.v[i], partition) && !sl_contains(names, subs.v[i]))
				sl_add(names, subs.v[i]);
			/* nothing of interest below interfaces and disks */
			descend = strcmp(subsys, "net") != 0 && strcmp(subsys, "block") != 0;
		}
		if (descend)
			walk(s, &c, names, depth + 1);
		ii_dir_close(&c);
	}
	sl_free(&subs);
}

static void names_from_sysfs(struct ii_system *s)
{
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];
		struct ii_dir dd;
		int err;

		if (!d->is_pci || !d->present)
			continue;
		err = ii_dir_open(s->root, &dd, II_PATH_PCI_DEVICES "/%s", d->name);
		if (err == 0) {
			walk(s, &dd, &d->names, 1);
			sl_sort(&d->names);
			d->valid |= II_DV_NAMES;
		} else {
			ii_src_warn_errno(s, &dd, NULL, err, "its interface and disk names are unknown");
		}
		ii_dir_close(&dd);
	}
}

/* ----------------------------------------------------------------- udev */

static int names_from_udev(struct ii_system *s)
{
	struct udev *u = udev_new();
	struct udev_enumerate *e;
	struct udev_list_entry *ent;

	if (!u)
		return -ENOMEM;
	e = udev_enumerate_new(u);
	if (!e) {
		udev_unref(u);
		return -ENOMEM;
	}
	for (size_t i = 0; i < II_ARRAY_SIZE(name_subsystems); i++)
		udev_enumerate_add_match_subsystem(e, name_subsystems[i]);
	if (udev_enumerate_scan_devices(e) < 0) {
		udev_enumerate_unref(e);
		udev_unref(u);
		return -EIO;
	}
	udev_list_entry_foreach(ent, udev_enumerate_get_list_entry(e)) {
		struct udev_device *dev = udev_device_new_from_syspath(u, udev_list_entry_get_name(ent));
		struct udev_device *p;
		const char *subsys, *devtype, *sysname;
		struct ii_device *pci = NULL;

		if (!dev)
			continue;
		subsys = udev_device_get_subsystem(dev);
		devtype = udev_device_get_devtype(dev);
		sysname = udev_device_get_sysname(dev);
		if (subsys && sysname &&
		    wanted_name(subsys, sysname, devtype && !strcmp(devtype, "partition"))) {
			for (p = udev_device_get_parent(dev); p; p = udev_device_get_parent(p)) {
				const char *ps = udev_device_get_subsystem(p);
				if (ps && !strcmp(ps, "usb"))
					break;
				if (ps && !strcmp(ps, "pci")) {
					pci = ii_find_device(s, udev_device_get_sysname(p));
					break;
				}
			}
		}
		if (pci && !sl_contains(&pci->names, sysname))
			sl_add(&pci->names, sysname);
		udev_device_unref(dev);
	}
	udev_enumerate_unref(e);
	udev_unref(u);
	for (size_t i = 0; i < s->ndevices; i++) {
		sl_sort(&s->devices[i]->names);
		if (s->devices[i]->present)
			s->devices[i]->valid |= II_DV_NAMES;
	}
	return 0;
}

void ii_src_names(struct ii_system *s, bool from_sysfs)
{
	if (!from_sysfs && ii_root_is_live(s->root)) {
		int err = names_from_udev(s);
		if (err == 0)
			return;
		ii_warn(&s->diags, "libudev: %s: reading interface and disk names from sysfs instead",
			strerror(-err));
	}
	names_from_sysfs(s);
}
