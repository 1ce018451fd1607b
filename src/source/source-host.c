// SPDX-License-Identifier: MIT
/*
 * What `check` reads beyond the groups and devices (II_LOAD_HOST, struct
 * ii_host in include/source/system.h): the VFIO and iommufd device nodes, the
 * vfio-pci driver and vfio_iommu_type1's allow_unsafe_interrupts, each PCI
 * device's boot_vga and driver_override, and the PCI devices the host itself
 * needs: the one under the root filesystem (through device mapper and md
 * slaves), the one under each default route's interface (through bridges,
 * bonds and VLANs: their lower_* links) and the one each keyboard hangs off.
 * A class device is placed by climbing its own sysfs directory ("..") until a
 * directory whose subsystem is pci, whose uevent names the address: the same
 * walk on the live system and in a snapshot, which records what the walk reads.
 * Decides nothing: the model (src/model/model-check.c) says what it means.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "source.h"

#define CLIMB_MAX 16
#define STACK_MAX 4  /* dm on md on a partition; a VLAN on a bond on a bridge */

/* --------------------------------------------------------------- placing */

/* The PCI device above the sysfs directory rel: 0 and bdf, -ENOENT when none is. */
static int pci_above(struct ii_system *s, const char *rel, char bdf[II_BDF_MAX])
{
	struct strbuf p = { 0 };
	int ret = -ENOENT;

	sb_adds(&p, rel);
	for (int k = 0; k < CLIMB_MAX && ret == -ENOENT; k++, sb_adds(&p, "/..")) {
		struct ii_dir d;
		char sub[64], ue[1024];

		if (ii_dir_open(s->root, &d, "%s", p.buf) < 0) {
			ii_dir_close(&d);
			break;
		}
		if (ii_dir_readlink_base(&d, "subsystem", sub, sizeof(sub)) == 0 && !strcmp(sub, "pci") &&
		    ii_dir_read(&d, "uevent", ue, sizeof(ue)) >= 0) {
			const char *slot = strstr(ue, "PCI_SLOT_NAME=");
			struct ii_bdf b;
			char name[32];

			if (slot) {
				slot += strlen("PCI_SLOT_NAME=");
				str_copy(name, sizeof(name), slot, strcspn(slot, "\n"));
				if (ii_parse_bdf(name, &b) == 0) {
					ii_format_bdf(&b, bdf);
					ret = 0;
				}
			}
			if (ret)
				ret = -EINVAL; /* a PCI directory that does not say which: stop */
		}
		ii_dir_close(&d);
	}
	sb_free(&p);
	return ret == -EINVAL ? -ENOENT : ret;
}

static void add_crit(struct ii_host *h, enum ii_crit_kind kind, const char *what, const char *bdf)
{
	size_t cap = h->ncrit;

	for (size_t i = 0; i < h->ncrit; i++)
		if (h->crit[i].kind == kind && !strcmp(h->crit[i].bdf, bdf) &&
		    !strcmp(h->crit[i].what, what))
			return;
	xgrow((void **)&h->crit, &cap, h->ncrit + 1, sizeof(*h->crit));
	h->crit[h->ncrit].kind = kind;
	h->crit[h->ncrit].what = xstrdup(what);
	snprintf(h->crit[h->ncrit].bdf, II_BDF_MAX, "%s", bdf);
	h->ncrit++;
}

/* ------------------------------------------------------------ root disk */

/* A block device (rel: its sysfs directory, name: its name): its slaves, or its PCI device. */
static void block_dev(struct ii_system *s, const char *rel, const char *name, int depth)
{
	struct ii_dir d;
	struct strlist slaves = { 0 };
	char bdf[II_BDF_MAX];

	if (ii_dir_open(s->root, &d, "%s", rel) == 0 && ii_dir_list(&d, "slaves", &slaves) == 0 &&
	    slaves.n && depth < STACK_MAX) {
		for (size_t i = 0; i < slaves.n; i++) {
			char *sub = xasprintf(II_PATH_CLASS_BLOCK "/%s", slaves.v[i]);
			block_dev(s, sub, slaves.v[i], depth + 1);
			free(sub);
		}
	} else if (pci_above(s, rel, bdf) == 0) {
		add_crit(s->host, II_CRIT_ROOT_DISK, name, bdf);
	}
	sl_free(&slaves);
	ii_dir_close(&d);
}

/* The dm device whose dm/name is name (a mount source in the mapper directory), into out: 0 or -ENOENT. */
static int dm_by_name(struct ii_system *s, const char *name, char *out, size_t size)
{
	struct ii_dir top;
	struct strlist l = { 0 };
	int ret = -ENOENT;

	if (ii_dir_open(s->root, &top, II_PATH_CLASS_BLOCK) == 0 && ii_dir_list(&top, NULL, &l) == 0)
		for (size_t i = 0; i < l.n && ret; i++) {
			struct ii_dir dm;
			char buf[256];

			if (!str_starts(l.v[i], "dm-"))
				continue;
			if (ii_dir_open(s->root, &dm, II_PATH_CLASS_BLOCK "/%s/dm", l.v[i]) == 0 &&
			    ii_dir_read(&dm, "name", buf, sizeof(buf)) > 0 && !strcmp(rtrim(buf), name)) {
				snprintf(out, size, "%s", l.v[i]);
				ret = 0;
			}
			ii_dir_close(&dm);
		}
	sl_free(&l);
	ii_dir_close(&top);
	return ret;
}

static void root_disk(struct ii_system *s)
{
	struct ii_host *h = s->host;
	struct ii_mount *m = xcalloc(1, sizeof(*m));
	char *text = NULL;
	size_t len;
	int err = ii_root_read_text(s->root, II_PATH_MOUNTINFO, &text, &len, 4 << 20);

	if (!err)
		err = ii_parse_mountinfo_root(text, m);
	free(text);
	if (err) {
		h->root_err = err;
		free(m);
		return;
	}
	h->root_mount = m;
	if (m->major) {
		char *rel = xasprintf(II_PATH_DEV_BLOCK "/%u:%u", m->major, m->minor);
		char name[64];
		struct ii_dir top;

		if (ii_dir_open(s->root, &top, II_PATH_DEV_BLOCK) < 0 ||
		    ii_dir_readlink_base(&top, strrchr(rel, '/') + 1, name, sizeof(name)) < 0)
			h->root_err = -ENODEV; /* its block device is not in sysfs */
		else
			block_dev(s, rel, name, 0);
		ii_dir_close(&top);
		free(rel);
	} else if (m->source[0] == '/' && str_starts(m->source + 1, II_TOP_DEV "/")) {
		/* btrfs and others: no device number of a block device; the source names one */
		const char *name = strrchr(m->source, '/') + 1;
		char dm[64], *rel;

		if (str_starts(m->source + 1, II_TOP_DEV "/mapper/") &&
		    dm_by_name(s, name, dm, sizeof(dm)) == 0)
			name = dm;
		rel = xasprintf(II_PATH_CLASS_BLOCK "/%s", name);
		if (ii_root_stat(s->root, rel, &(struct stat){ 0 }) < 0)
			h->root_err = -ENODEV;
		else
			block_dev(s, rel, name, 0);
		free(rel);
	}
	/* else: tmpfs, overlay, nfs, zfs...: on no block device the model can name (root_mount says) */
}

/* ------------------------------------------------------- default routes */

static void net_dev(struct ii_system *s, const char *iface, const char *shown, int depth)
{
	struct ii_dir d;
	struct strlist l = { 0 };
	struct stat st;
	char bdf[II_BDF_MAX];

	if (ii_dir_open(s->root, &d, II_PATH_CLASS_NET "/%s", iface) < 0) {
		ii_dir_close(&d);
		return;
	}
	if (ii_dir_lstat(&d, "device", &st) == 0) {
		char *rel = xasprintf(II_PATH_CLASS_NET "/%s/device", iface);
		if (pci_above(s, rel, bdf) == 0)
			add_crit(s->host, II_CRIT_ROUTE_NIC, shown, bdf);
		free(rel);
	} else if (depth < STACK_MAX && ii_dir_list(&d, NULL, &l) == 0) {
		/* a bridge, bond or VLAN: the interfaces below it */
		for (size_t i = 0; i < l.n; i++) {
			if (!str_starts(l.v[i], "lower_") || !l.v[i][6])
				continue;
			char *via = xasprintf("%s via %s", shown, l.v[i] + 6);
			net_dev(s, l.v[i] + 6, via, depth + 1);
			free(via);
		}
	}
	sl_free(&l);
	ii_dir_close(&d);
}

static void routes(struct ii_system *s)
{
	struct ii_host *h = s->host;
	char *text = NULL;
	size_t len;
	int e4 = ii_root_read_text(s->root, II_PATH_NET_ROUTE, &text, &len, 4 << 20);

	if (!e4)
		ii_parse_route_defaults(text, &h->route_ifaces);
	free(text);
	text = NULL;
	int e6 = ii_root_read_text(s->root, II_PATH_NET_ROUTE6, &text, &len, 4 << 20);
	if (!e6)
		ii_parse_route6_defaults(text, &h->route_ifaces);
	free(text);
	/* IPv6 may be off (no ipv6_route): IPv4's table alone is enough */
	h->route_err = e4 && e6 ? e4 : e4 && e4 != -ENOENT ? e4 : 0;
	for (size_t i = 0; i < h->route_ifaces.n; i++)
		net_dev(s, h->route_ifaces.v[i], h->route_ifaces.v[i], 0);
}

/* -------------------------------------------------------------- keyboards */

static void keyboards(struct ii_system *s)
{
	struct ii_host *h = s->host;
	struct ii_dir top;
	struct strlist l = { 0 };

	h->input_err = ii_dir_open(s->root, &top, II_PATH_CLASS_INPUT);
	if (!h->input_err)
		h->input_err = ii_dir_list(&top, NULL, &l);
	for (size_t i = 0; i < l.n; i++) {
		char ev[64], key[1024], name[128], bdf[II_BDF_MAX];
		struct ii_dir d;

		if (!str_starts(l.v[i], "input"))
			continue;
		if (ii_dir_open_at(&top, &d, l.v[i]) == 0 &&
		    ii_dir_read(&d, "capabilities/ev", ev, sizeof(ev)) > 0 &&
		    ii_dir_read(&d, "capabilities/key", key, sizeof(key)) > 0 &&
		    ii_parse_input_keyboard(ev, key) == 1) {
			char *rel = xasprintf(II_PATH_CLASS_INPUT "/%s", l.v[i]);

			if (pci_above(s, rel, bdf) == 0) {
				char *what;

				if (ii_dir_read(&d, "name", name, sizeof(name)) > 0 && *rtrim(name))
					what = xasprintf("%s (%s)", l.v[i], name);
				else
					what = xstrdup(l.v[i]);
				add_crit(h, II_CRIT_KEYBOARD, what, bdf);
				free(what);
			}
			free(rel);
		}
		ii_dir_close(&d);
	}
	sl_free(&l);
	ii_dir_close(&top);
}

/* A module's boolean parameter ("Y"/"N", or "1"/"0"): 1, 0, or -1 with *err (-ENOENT: the
 * module is not loaded). */
static int bool_param(struct ii_root *r, const char *rel, int *err)
{
	char *text = NULL, buf[16];
	size_t len;
	int v = -1;

	*err = ii_root_read_text(r, rel, &text, &len, 64);
	if (!*err) {
		snprintf(buf, sizeof(buf), "%s", text);
		rtrim(buf);
		if (!strcmp(buf, "Y") || !strcmp(buf, "1"))
			v = 1;
		else if (!strcmp(buf, "N") || !strcmp(buf, "0"))
			v = 0;
		else
			*err = -EINVAL;
	}
	free(text);
	return v;
}

/* ------------------------------------------------------------ VFIO itself */

static void device_attrs(struct ii_system *s)
{
	for (size_t i = 0; i < s->ndevices; i++) {
		struct ii_device *d = s->devices[i];
		struct ii_dir dd;
		char buf[256];
		ssize_t n;

		if (!d->is_pci || !d->present || d->err)
			continue;
		if (ii_dir_open(s->root, &dd, II_PATH_PCI_DEVICES "/%s", d->name) == 0) {
			n = ii_dir_read(&dd, "boot_vga", buf, sizeof(buf));
			if (n >= 0 || n == -ENOENT) {
				d->boot_vga = n > 0 && buf[0] == '1';
				d->valid |= II_DV_BOOT_VGA;
			}
			n = ii_dir_read(&dd, "driver_override", buf, sizeof(buf));
			if (n >= 0) {
				rtrim(buf);
				if (*buf && strcmp(buf, "(null)") != 0)
					d->driver_override = xstrdup(buf);
				d->valid |= II_DV_OVERRIDE;
			} else if (n == -ENOENT) {
				d->valid |= II_DV_OVERRIDE; /* before 3.16 there was none to set */
			}
		}
		ii_dir_close(&dd);
	}
}

static void vfio(struct ii_system *s)
{
	struct ii_host *h = s->host;
	struct ii_dir drv;
	struct strlist l = { 0 };

	h->container.err = ii_root_node(s->root, II_PATH_VFIO_CONTAINER, &h->container.node);
	h->iommufd.err = ii_root_node(s->root, II_PATH_IOMMUFD, &h->iommufd.node);
	h->group_nodes = xcalloc(s->ngroups + 1, sizeof(*h->group_nodes));
	for (size_t i = 0; i < s->ngroups; i++) {
		char *rel = xasprintf(II_PATH_VFIO_GROUP_FMT, s->groups[i].id);
		h->group_nodes[i].err = ii_root_node(s->root, rel, &h->group_nodes[i].node);
		free(rel);
	}
	/* listed, not looked at: a listing is what a snapshot records */
	h->vfio_pci_err = ii_dir_open(s->root, &drv, II_PATH_PCI_DRIVERS);
	if (!h->vfio_pci_err)
		h->vfio_pci_err = ii_dir_list(&drv, NULL, &l);
	if (!h->vfio_pci_err && !sl_contains(&l, "vfio-pci"))
		h->vfio_pci_err = -ENOENT;
	sl_free(&l);
	ii_dir_close(&drv);
	h->unsafe_intr = bool_param(s->root, II_PATH_VFIO_UNSAFE_INTR, &h->unsafe_intr_err);
	h->no_denylist = bool_param(s->root, II_PATH_VFIO_PCI_NO_DENYLIST, &h->no_denylist_err);
}

void ii_src_host(struct ii_system *s)
{
	s->host = xcalloc(1, sizeof(*s->host));
	device_attrs(s);
	vfio(s);
	root_disk(s);
	routes(s);
	keyboards(s);
}

void ii_host_free(struct ii_host *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->ncrit; i++)
		free(h->crit[i].what);
	free(h->crit);
	free(h->group_nodes);
	free(h->root_mount);
	sl_free(&h->route_ifaces);
	free(h);
}
