// SPDX-License-Identifier: MIT
/*
 * sysfs: the PCI devices under sys/bus/pci/devices (kernel-interfaces §1).
 *
 * A device's identity is read once, from the cheapest place that has it:
 *  1. the first 64 bytes of config (what any user may read): ids, class, revision, header
 *     type, a bridge's bus numbers, an endpoint's subsystem ids;
 *  2. uevent, when config leaves something out (a bridge keeps its subsystem ids in a
 *     capability past the header) or cannot be read: ids, class and subsystem ids in one
 *     file (its DRIVER line is not used: the driver link is what every command reads, so
 *     that a snapshot, which reads what `devices` reads, replays every command the same);
 *  3. the single attributes (vendor, device, class, ...), for what is still unknown, as in
 *     a partial tree.
 * An SR-IOV VF is its PF's: its ids read 0xffff in config, and the kernel gives it the
 * PF's vendor and VF device id (sriov_vf_device); its class, revision and subsystem ids
 * the kernel reads once, from the PF's first VF, for all of them (drivers/pci/iov.c,
 * pci_read_vf_config_common, since 4.18). So the VFs of a PF cost one PF attribute and
 * one config, and each its physfn link; the physfn link is asked first while VFs follow
 * each other in the listing, so that most VFs read no config at all.
 * A device costs its directory, config and its driver link (6 system calls), a VF its
 * directory and two links (4).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "sysfs-attr.h"
#include "paths.h"

enum { NEED_IDS = 1, NEED_CLASS = 2, NEED_SUBSYS = 4 };

static unsigned still_needed(const struct ii_device *d, bool details)
{
	return (d->valid & II_DV_IDS ? 0 : NEED_IDS) | (d->valid & II_DV_CLASS ? 0 : NEED_CLASS) |
	       (details && !(d->valid & II_DV_SUBSYS) ? NEED_SUBSYS : 0);
}

/* The header's identity, except the ids when ids is false (a VF's are its PF's). */
static void take_header(struct ii_device *d, const struct ii_pci_header *h, bool ids)
{
	if (ids && h->has_ids) {
		d->vendor_id = h->vendor_id;
		d->device_id = h->device_id;
		d->valid |= II_DV_IDS;
	}
	d->class_code = h->class_code;
	d->revision = h->revision;
	d->header_type = h->header_type;
	d->is_bridge = h->header_type == 1 || h->header_type == 2;
	d->valid |= II_DV_CLASS | II_DV_REVISION | II_DV_CONFIG;
	if (h->has_subsys) {
		d->subvendor_id = h->subvendor_id;
		d->subdevice_id = h->subdevice_id;
		d->valid |= II_DV_SUBSYS;
	}
	if (h->has_buses) {
		d->secondary_bus = h->secondary_bus;
		d->subordinate_bus = h->subordinate_bus;
		d->valid |= II_DV_BUSES;
	}
}

/* The 64-byte header: 0, or -errno (-EINVAL: too short, after a warning). */
static int read_header(struct ii_system *s, const struct ii_dir *dd, struct ii_pci_header *h)
{
	uint8_t cfg[II_PCI_HEADER_LEN];
	ssize_t n = ii_dir_read_bin(dd, "config", cfg, sizeof(cfg));

	if (n < 0)
		return (int)n;
	if (ii_parse_pci_header(cfg, (size_t)n, h) == 0)
		return 0;
	{
		char *path = ii_dir_display(dd, "config");
		ii_warn(&s->diags, "%s: %zd bytes, less than the %d of a PCI header; identity read "
			"from the other attributes", path, n, II_PCI_HEADER_LEN);
		free(path);
	}
	return -EINVAL;
}

/* Returns whether config was read; *gone when it has vanished (or was never recorded). */
static bool read_config(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			bool *gone)
{
	struct ii_pci_header h;
	int err = read_header(s, dd, &h);

	*gone = err == -ENOENT || err == -ENODEV;
	if (err == 0) {
		take_header(d, &h, true);
		return true;
	}
	if (err != -EINVAL && !*gone)
		ii_src_warn_errno(s, dd, "config", err, "identity read from the other attributes");
	return false;
}

/* uevent for what config left out. */
static void read_uevent(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			unsigned need, bool *gone)
{
	char buf[1024];
	struct ii_pci_uevent u;
	ssize_t n = ii_dir_read(dd, "uevent", buf, sizeof(buf));

	if (n < 0) {
		/* the attributes that follow say what is wrong, if they cannot be read either */
		*gone = *gone && (n == -ENOENT || n == -ENODEV);
		return;
	}
	*gone = false;
	if (ii_parse_pci_uevent(buf, &u) < 0) {
		char *path = ii_dir_display(dd, "uevent");
		ii_warn(&s->diags, "%s: a DRIVER, PCI_ID, PCI_CLASS or PCI_SUBSYS_ID line is malformed; "
			"it is ignored", path);
		free(path);
	}
	if ((need & NEED_IDS) && (u.valid & II_UE_IDS)) {
		d->vendor_id = u.vendor_id;
		d->device_id = u.device_id;
		d->valid |= II_DV_IDS;
	}
	if ((need & NEED_CLASS) && (u.valid & II_UE_CLASS)) {
		d->class_code = u.class_code & 0xffffff;
		d->valid |= II_DV_CLASS;
	}
	if ((need & NEED_SUBSYS) && (u.valid & II_UE_SUBSYS)) {
		d->subvendor_id = u.subvendor_id;
		d->subdevice_id = u.subdevice_id;
		d->valid |= II_DV_SUBSYS;
	}
}

/* The vendor and device attributes; false when both are gone and gone_already. */
static bool read_id_attrs(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			  bool gone_already)
{
	char buf[64];
	uint64_t v, dv;
	ssize_t n = ii_dir_read(dd, "vendor", buf, sizeof(buf));

	/* config, uevent and vendor all missing: it was unplugged while we read it */
	if (gone_already && (n == -ENOENT || n == -ENODEV))
		return false;
	if (ii_src_parse_hex(s, dd, "vendor", false, buf, n, &v) &&
	    ii_src_read_hex(s, dd, "device", false, &dv)) {
		d->vendor_id = (uint16_t)v;
		d->device_id = (uint16_t)dv;
		d->valid |= II_DV_IDS;
	}
	return true;
}

static void read_driver(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d)
{
	char buf[256];
	int n = ii_dir_readlink_base(dd, "driver", buf, sizeof(buf));

	if (n == 0) {
		d->driver = xstrdup(buf);
		d->valid |= II_DV_DRIVER;
	} else if (n == -ENOENT) {
		d->valid |= II_DV_DRIVER;
	} else {
		ii_src_warn_errno(s, dd, "driver", n, "driver unknown");
	}
}

/*
 * What config, uevent and the attributes tell of ids, class (and subsystem ids, with
 * details). Returns false when the device has gone; *vf when config reads as a VF's and
 * its physfn link names a PF, whose ids are its (unless own_ids: a VF its PF could not
 * speak for).
 */
static bool read_identity(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			  bool details, bool own_ids, bool *vf)
{
	bool gone, cfg = read_config(s, dd, d, &gone);
	unsigned need;
	uint64_t v;
	char pf[64];

	/* ids of 0xffff, or no config: a VF? (then VF 0 must be known as one, for the others) */
	if (!own_ids && !(d->valid & II_DV_IDS) && !d->physfn &&
	    ii_dir_readlink_base(dd, "physfn", pf, sizeof(pf)) == 0)
		d->physfn = xstrdup(pf);
	*vf = !own_ids && !(d->valid & II_DV_IDS) && d->physfn;
	need = still_needed(d, details) & ~(*vf ? NEED_IDS : 0);
	if (need)
		read_uevent(s, dd, d, need, &gone);
	need = still_needed(d, details) & ~NEED_SUBSYS & ~(*vf ? NEED_IDS : 0);
	if ((need & NEED_IDS) && !read_id_attrs(s, dd, d, gone))
		return false;
	if ((need & NEED_CLASS) && ii_src_read_hex(s, dd, "class", false, &v)) {
		d->class_code = (uint32_t)v & 0xffffff;
		d->valid |= II_DV_CLASS;
	}
	if (!cfg && (d->valid & II_DV_CLASS)) {
		/* no header type: PCI-to-PCI and CardBus bridge classes */
		uint32_t cls = d->class_code >> 8;
		d->is_bridge = cls == 0x0604 || cls == 0x0609 || cls == 0x0607;
	}
	return true;
}

/* NUMA node, reset methods, physfn; revision and subsystem ids when config lacked them. */
static void read_details(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			 bool identity)
{
	uint64_t v;
	char buf[256];
	long long node;
	ssize_t n;

	if (identity && !(d->valid & II_DV_REVISION) && ii_src_read_hex(s, dd, "revision", true, &v)) {
		d->revision = (uint8_t)v;
		d->valid |= II_DV_REVISION;
	}
	if (identity && !(d->valid & II_DV_SUBSYS)) {
		uint64_t sv, sd;
		if (ii_src_read_hex(s, dd, "subsystem_vendor", true, &sv) &&
		    ii_src_read_hex(s, dd, "subsystem_device", true, &sd)) {
			d->subvendor_id = (uint16_t)sv;
			d->subdevice_id = (uint16_t)sd;
			d->valid |= II_DV_SUBSYS;
		}
	}
	if (ii_src_read_int(s, dd, "numa_node", true, &node)) {
		d->numa_node = (int)node;
		d->valid |= II_DV_NUMA;
	}
	n = ii_dir_read(dd, "reset_method", buf, sizeof(buf));
	if (n >= 0) {
		char *save = NULL;
		for (char *t = strtok_r(buf, " \n", &save); t; t = strtok_r(NULL, " \n", &save))
			sl_add(&d->reset_methods, t);
		d->valid |= II_DV_RESET;
	} else if (n == -ENOENT) {
		/* 5.15 and later hide it when the device has no reset method; older kernels lack it */
		if (s->kver >= 5015)
			d->valid |= II_DV_RESET;
	} else {
		ii_src_warn_errno(s, dd, "reset_method", (int)n, NULL);
	}
	if (!d->physfn && ii_dir_readlink_base(dd, "physfn", buf, sizeof(buf)) == 0)
		d->physfn = xstrdup(buf);
}

/*
 * Returns false when the device has gone (every source of its identity is missing);
 * *vf when its identity is its PF's, to be taken once every device is read (vf_identity).
 * vf_likely: the device before it was a VF, so its physfn link is asked first.
 */
static bool read_device(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			bool details, bool vf_likely, bool *vf)
{
	char pf[64];

	if (vf_likely && ii_dir_readlink_base(dd, "physfn", pf, sizeof(pf)) == 0) {
		d->physfn = xstrdup(pf);
		*vf = true;
	} else if (!read_identity(s, dd, d, details, false, vf)) {
		return false;
	}
	read_driver(s, dd, d);
	if (details)
		read_details(s, dd, d, !*vf);
	return true;
}

/* --------------------------------------------------------------- the VFs */

/* A PF's VF device id (sriov_vf_device, "%x\n"): 0x10000 | id, or 0 when it cannot be read. */
static uint32_t read_vf_device(struct ii_system *s, const struct ii_device *pf)
{
	struct ii_dir dd;
	uint64_t v = 0;
	bool ok = ii_dir_open(s->root, &dd, II_PATH_PCI_DEVICES "/%s", pf->name) == 0 &&
		  ii_src_read_hex(s, &dd, "sriov_vf_device", true, &v) && v <= 0xffff;

	ii_dir_close(&dd);
	return ok ? 0x10000 | (uint32_t)v : 0;
}

/* A PF's first VF's header, which the kernel gives all its VFs: 1 when read, else -1. */
static int read_vf0_header(struct ii_system *s, const struct ii_device *vf0,
			   struct ii_pci_header *h)
{
	struct ii_dir dd;
	int err;

	if (vf0->valid & II_DV_CONFIG) {
		/* read already: its own config (the first VF of a run is) */
		*h = (struct ii_pci_header){ .revision = vf0->revision, .class_code = vf0->class_code,
					     .header_type = vf0->header_type,
					     .has_subsys = vf0->valid & II_DV_SUBSYS,
					     .subvendor_id = vf0->subvendor_id,
					     .subdevice_id = vf0->subdevice_id };
		return 1;
	}
	err = ii_dir_open(s->root, &dd, II_PATH_PCI_DEVICES "/%s", vf0->name);
	if (err == 0)
		err = read_header(s, &dd, h);
	ii_dir_close(&dd);
	return err == 0 && h->header_type == 0 ? 1 : -1;
}

/*
 * A VF its PF could not speak for: its ids from its uevent or attributes; and when VF 0's
 * header could not be read either, its own header too.
 */
static void vf_identity_own(struct ii_system *s, struct ii_device *d, bool details)
{
	struct ii_dir dd;
	bool vf, gone = false;

	if (ii_dir_open(s->root, &dd, II_PATH_PCI_DEVICES "/%s", d->name) == 0) {
		/* VF 0's header, if read, is the kernel's */
		if (!(d->valid & II_DV_CLASS)) {
			read_identity(s, &dd, d, details, true, &vf);
		} else {
			read_uevent(s, &dd, d, NEED_IDS, &gone);
			if (!(d->valid & II_DV_IDS))
				read_id_attrs(s, &dd, d, false);
		}
		if (details) {
			uint64_t v;
			if (!(d->valid & II_DV_REVISION) && ii_src_read_hex(s, &dd, "revision", true, &v)) {
				d->revision = (uint8_t)v;
				d->valid |= II_DV_REVISION;
			}
		}
	}
	ii_dir_close(&dd);
}

/* Per PF (by its index in s->devices): what it tells its VFs. */
struct pf_info {
	bool tried_device, tried_header;
	uint32_t vf_device;          /* 0x10000 | id, or 0 */
	int header;                  /* 1: hdr read, -1: could not be */
	struct ii_pci_header hdr;
};

/* The VFs' ids, class, revision and subsystem ids, from their PFs; vfs in address order. */
static void vf_identity(struct ii_system *s, struct ii_device **vfs, size_t n, bool details)
{
	struct pf_info *pfs = n ? xcalloc(s->ndevices, sizeof(*pfs)) : NULL;

	for (size_t i = 0; i < n; i++) {
		struct ii_device *d = vfs[i];
		long k = ii_device_index(s, d->physfn);
		const struct ii_device *pf = k >= 0 ? s->devices[k] : NULL;
		struct pf_info *p = k >= 0 ? &pfs[k] : NULL;

		if (pf && (pf->valid & II_DV_IDS) && !p->tried_device) {
			p->tried_device = true;
			p->vf_device = read_vf_device(s, pf);
		}
		if (pf && (pf->valid & II_DV_IDS) && p->vf_device) {
			d->vendor_id = pf->vendor_id;
			d->device_id = (uint16_t)p->vf_device;
			d->valid |= II_DV_IDS;
		}
		/* in address order, the first VF of a PF is its VF 0 */
		if (p && !p->tried_header) {
			p->tried_header = true;
			p->header = read_vf0_header(s, d, &p->hdr);
		}
		if (p && p->header > 0)
			take_header(d, &p->hdr, false);
		if (still_needed(d, details) & (NEED_IDS | NEED_CLASS))
			vf_identity_own(s, d, details);
	}
	free(pfs);
}

/* ----------------------------------------------------------------- devices */

void ii_src_devices(struct ii_system *s, bool details)
{
	struct ii_dir top;
	struct strlist names = { 0 };
	struct ii_device **vfs = NULL;
	size_t nvfs = 0;
	bool vf_likely = false;
	int err = ii_src_list_top(s, &top, II_PATH_PCI_DEVICES, &names,
				  "no PCI devices can be listed");

	if (err <= 0) {
		s->pci_err = err;
		ii_dir_close(&top);
		return;
	}
	s->pci_dir = true;
	s->devices = xcalloc(names.n ? names.n : 1, sizeof(*s->devices));
	for (size_t i = 0; i < names.n; i++) {
		struct ii_device *d = xcalloc(1, sizeof(*d));
		struct ii_dir dd;
		bool vf = false;

		d->group = -1;
		d->numa_node = -1;
		if (!ii_bdf_is_canonical(names.v[i], &d->bdf)) {
			char *path = ii_dir_display(&top, names.v[i]);
			ii_warn(&s->diags, "%s: not a PCI address; skipped", path);
			free(path);
			free(d);
			continue;
		}
		snprintf(d->name, sizeof(d->name), "%s", names.v[i]);
		d->is_pci = true;
		d->present = true;
		err = ii_dir_open_at(&top, &dd, names.v[i]);
		if (err < 0 && err != -ENOENT && err != -ENODEV) {
			/* listed but unreadable: it exists, and nothing else about it is known */
			d->err = err;
			ii_src_warn_errno(s, &dd, NULL, err, "only its address is known");
		} else if (err < 0 || !read_device(s, &dd, d, details, vf_likely, &vf)) {
			char *path = ii_dir_display(&top, names.v[i]);
			ii_warn(&s->diags, "%s: disappeared while it was being read (hot-unplugged?); "
				"left out", path);
			sl_add(&s->vanished, names.v[i]);
			free(path);
			ii_dir_close(&dd);
			free(d);
			continue;
		}
		ii_dir_close(&dd);
		vf_likely = vf;
		if (vf) {
			if (!nvfs)
				vfs = xcalloc(names.n, sizeof(*vfs));
			vfs[nvfs++] = d;
		}
		s->devices[s->ndevices++] = d;
	}
	sl_free(&names);
	ii_dir_close(&top);
	/* in address order, so that a VF finds its PF, and a PF's VFs come VF 0 first */
	if (s->ndevices > 1)
		qsort(s->devices, s->ndevices, sizeof(*s->devices), ii_device_cmp);
	if (nvfs > 1)
		qsort(vfs, nvfs, sizeof(*vfs), ii_device_cmp);
	vf_identity(s, vfs, nvfs, details);
	free(vfs);
}

int ii_src_device_group(struct ii_system *s, const struct ii_device *d, unsigned *id)
{
	struct ii_dir dd;
	char buf[32];
	int err = ii_dir_open(s->root, &dd, II_PATH_PCI_DEVICES "/%s", d->name);

	if (err == 0)
		err = ii_dir_readlink_base(&dd, "iommu_group", buf, sizeof(buf));
	if (err == 0 && ii_parse_group_name(buf, id))
		err = -EINVAL;
	ii_dir_close(&dd);
	return err;
}
