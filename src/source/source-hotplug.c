// SPDX-License-Identifier: MIT
/*
 * PCI devices coming and going while the live view runs: a libudev monitor
 * of the "pci" subsystem (add, remove, bind, unbind; change and move are of
 * no interest). The events udevd sends once its rules ran are preferred;
 * where no udevd runs (containers, initramfs-less VMs) the kernel's own
 * uevents are read instead, which carry the same action, name and driver.
 * Its fd is non-blocking: a poll() loop waits on it between readings.
 */
#include <errno.h>
#include <libudev.h>
#include <stdlib.h>
#include <string.h>

#include "actsrc.h"

struct ii_hotplug_mon {
	struct udev *udev;
	struct udev_monitor *mon;
};

static bool udevd_running(struct udev *udev)
{
	struct udev_queue *q = udev_queue_new(udev);
	bool yes = q && udev_queue_get_udev_is_active(q) > 0;

	udev_queue_unref(q);
	return yes;
}

int ii_hotplug_open(struct ii_hotplug_mon **out)
{
	struct ii_hotplug_mon *m = xcalloc(1, sizeof(*m));
	int rc = 0;

	*out = NULL;
	m->udev = udev_new();
	if (!m->udev) {
		rc = errno ? -errno : -ENOMEM;
		goto fail;
	}
	m->mon = udev_monitor_new_from_netlink(m->udev, udevd_running(m->udev) ? "udev" : "kernel");
	if (!m->mon) {
		rc = errno ? -errno : -EPROTONOSUPPORT;
		goto fail;
	}
	if ((rc = udev_monitor_filter_add_match_subsystem_devtype(m->mon, "pci", NULL)) < 0 ||
	    (rc = udev_monitor_enable_receiving(m->mon)) < 0)
		goto fail;
	*out = m;
	return 0;
fail:
	ii_hotplug_close(m);
	return rc < 0 ? rc : -EIO;
}

int ii_hotplug_fd(const struct ii_hotplug_mon *m)
{
	return m ? udev_monitor_get_fd(m->mon) : -1;
}

static bool kind_of(const char *action, enum ii_hotplug_kind *k)
{
	static const struct { const char *action; enum ii_hotplug_kind kind; } map[] = {
		{ "add", II_HP_ADD }, { "remove", II_HP_REMOVE },
		{ "bind", II_HP_BIND }, { "unbind", II_HP_UNBIND },
	};

	for (size_t i = 0; action && i < II_ARRAY_SIZE(map); i++)
		if (!strcmp(action, map[i].action)) {
			*k = map[i].kind;
			return true;
		}
	return false;
}

void ii_hotplug_drain(struct ii_hotplug_mon *m, struct ii_hotplug **v, size_t *n, size_t *cap)
{
	struct udev_device *d;

	if (!m)
		return;
	/* the socket is non-blocking: NULL when nothing more has arrived */
	while ((d = udev_monitor_receive_device(m->mon))) {
		struct ii_hotplug h;
		const char *name = udev_device_get_sysname(d), *drv;

		memset(&h, 0, sizeof(h));
		if (name && kind_of(udev_device_get_action(d), &h.kind)) {
			str_copy(h.device, sizeof(h.device), name, strlen(name));
			drv = h.kind == II_HP_BIND ? udev_device_get_driver(d) : NULL;
			if (!drv && h.kind == II_HP_BIND)
				drv = udev_device_get_property_value(d, "DRIVER");
			if (drv)
				str_copy(h.driver, sizeof(h.driver), drv, strlen(drv));
			xgrow((void **)v, cap, *n + 1, sizeof(**v));
			(*v)[(*n)++] = h;
		}
		udev_device_unref(d);
	}
}

void ii_hotplug_close(struct ii_hotplug_mon *m)
{
	if (!m)
		return;
	udev_monitor_unref(m->mon);
	udev_unref(m->udev);
	free(m);
}
