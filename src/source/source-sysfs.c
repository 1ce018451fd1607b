// SPDX-License-Identifier: MIT
/*
 * sysfs: IOMMU groups, IOMMU units and PCI devices (kernel-interfaces §1).
 * Mandatory attributes that are missing are warnings; optional ones that are
 * absent (ENOENT) are simply unknown.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "paths.h"


void ii_src_warn_errno(struct ii_system *s, const struct ii_dir *d, const char *name, int err,
		       const char *what)
{
	char *path = ii_dir_display(d, name);
	const char *hint = err == -EACCES || err == -EPERM ? "; run as root" : "";

	ii_warn(&s->diags, "%s: %s%s%s%s", path, strerror(-err), what ? ": " : "", what ? what : "",
		hint);
	free(path);
}

/* Parse a hex attribute read into buf (n: the read's result); warns unless absent and optional. */
static bool parse_hex(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional,
		      char *buf, ssize_t n, uint64_t *out)
{
	if (n < 0) {
		if (!(optional && n == -ENOENT))
			ii_src_warn_errno(s, d, name, (int)n, "value unknown");
		return false;
	}
	if (ii_parse_hex(buf, out)) {
		char *path = ii_dir_display(d, name);
		ii_warn(&s->diags, "%s: unexpected content \"%.20s\": expected a hex number; "
			"value ignored", path, rtrim(buf));
		free(path);
		return false;
	}
	return true;
}

static bool read_hex(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional,
		     uint64_t *out)
{
	char buf[64];

	return parse_hex(s, d, name, optional, buf, ii_dir_read(d, name, buf, sizeof(buf)), out);
}

static bool read_int(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional,
		     long long *out)
{
	char buf[64];
	ssize_t n = ii_dir_read(d, name, buf, sizeof(buf));

	if (n < 0) {
		if (!(optional && n == -ENOENT))
			ii_src_warn_errno(s, d, name, (int)n, NULL);
		return false;
	}
	if (ii_parse_int(buf, out)) {
		char *path = ii_dir_display(d, name);
		ii_warn(&s->diags, "%s: unexpected content \"%.20s\": expected a decimal number; "
			"value ignored", path, rtrim(buf));
		free(path);
		return false;
	}
	return true;
}

/* Read a one-line text attribute; NULL when absent (quietly if optional). */
static char *read_line(struct ii_system *s, const struct ii_dir *d, const char *name, bool optional)
{
	char buf[256];
	ssize_t n = ii_dir_read(d, name, buf, sizeof(buf));

	if (n < 0) {
		if (!(optional && n == -ENOENT))
			ii_src_warn_errno(s, d, name, (int)n, NULL);
		return NULL;
	}
	return xstrdup(rtrim(buf));
}

/*
 * Open one of the top directories and list it. Returns 1 when listed, 0 when
 * it does not exist (an absent IOMMU, not an error), or -errno after a warning.
 */
static int list_top(struct ii_system *s, struct ii_dir *top, const char *rel, struct strlist *names,
		    const char *what)
{
	int err = ii_dir_open(s->root, top, "%s", rel);

	if (err == -ENOENT)
		return 0;
	if (err == 0)
		err = ii_dir_list(top, NULL, names);
	if (err < 0) {
		ii_src_warn_errno(s, top, NULL, err, what);
		return err;
	}
	return 1;
}

/* ------------------------------------------------------------------ groups */

/* A name for a message: control characters as \n or \xHH, cut to fit. */
static const char *quote(const char *name, char *buf, size_t size)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p && n + 5 < size; p++) {
		if (*p == '\n')
			n += (size_t)snprintf(buf + n, size - n, "\\n");
		else if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", *p);
		else
			buf[n++] = (char)*p;
	}
	buf[n] = '\0';
	return buf;
}

static int cmp_group(const void *a, const void *b)
{
	const struct ii_group *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void group_free(struct ii_group *g)
{
	free(g->type);
	free(g->resv);
	free(g->name);
	sl_free(&g->members);
}

static void read_resv(struct ii_system *s, const struct ii_dir *gd, struct ii_group *g)
{
	/* a sysfs attribute is at most a page: one read() of a page and one more byte takes it */
	char small[4097], *text = small, *line, *save = NULL;
	size_t len, cap = 0;
	ssize_t n = ii_dir_read(gd, "reserved_regions", small, sizeof(small));
	int err = n < 0 ? (int)n : 0;
	unsigned lineno = 0;

	if (err == -EFBIG) /* a recorded tree's file can be larger */
		err = ii_dir_read_file(gd, "reserved_regions", &text, &len, 1 << 20);
	if (err < 0) {
		if (err != -ENOENT)
			ii_src_warn_errno(s, gd, "reserved_regions", err, NULL);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct ii_resv r;

		lineno++;
		if (ii_parse_resv_line(line, &r)) {
			char *path = ii_dir_display(gd, "reserved_regions");
			ii_warn(&s->diags, "%s line %u: unexpected \"%.40s\": expected "
				"\"0x<start> 0x<end> <type>\"; line ignored", path, lineno, line);
			free(path);
			continue;
		}
		xgrow((void **)&g->resv, &cap, g->nresv + 1, sizeof(*g->resv));
		g->resv[g->nresv++] = r;
	}
	if (text != small)
		free(text);
}

/* A group directory that cannot be read is kept: its number is known, its type and members
 * are not. */
static void read_group(struct ii_system *s, const struct ii_dir *top, const char *name,
		       struct ii_group *g)
{
	struct ii_dir gd;
	char buf[64];
	ssize_t n;
	int err = ii_dir_open_at(top, &gd, name);

	if (err < 0) {
		g->err = err;
		ii_src_warn_errno(s, &gd, NULL, err, "its type and members are unknown");
		ii_dir_close(&gd);
		return;
	}
	n = ii_dir_read(&gd, "type", buf, sizeof(buf));
	if (n >= 0) {
		g->type = xstrdup(rtrim(buf));
		g->domtype = ii_parse_domtype(g->type);
		if (g->domtype == II_DOM_UNKNOWN && strcmp(g->type, "unknown") != 0) {
			char *path = ii_dir_display(&gd, "type");
			ii_warn(&s->diags, "%s: unexpected type \"%.20s\"; shown as found", path, g->type);
			free(path);
		}
	} else if (n != -ENOENT) {
		/* kernels before 5.4 have no type attribute: unknown, not an error */
		ii_src_warn_errno(s, &gd, "type", (int)n, "type unknown");
	}
	read_resv(s, &gd, g);
	g->name = read_line(s, &gd, "name", true);
	err = ii_dir_list(&gd, "devices", &g->members);
	if (err < 0) {
		g->members_err = err;
		ii_src_warn_errno(s, &gd, "devices", err, "members unknown");
	}
	ii_dir_close(&gd);
}

void ii_src_groups(struct ii_system *s)
{
	struct ii_dir top;
	struct strlist names = { 0 };
	size_t cap = 0, kept = 0;
	int err = list_top(s, &top, II_PATH_IOMMU_GROUPS, &names, NULL);

	if (err <= 0) {
		s->groups_err = err;
		ii_dir_close(&top);
		return;
	}
	s->groups_dir = true;
	for (size_t i = 0; i < names.n; i++) {
		struct ii_group g = { 0 };

		/*
		 * The kernel names a group "%d". Any other spelling ("05", " 6", "8\n") would
		 * read as a number a real group may have: not ours to guess which.
		 */
		if (ii_parse_group_name(names.v[i], &g.id)) {
			char *path = ii_dir_display(&top, NULL), quoted[64];
			ii_warn(&s->diags, "%s: \"%s\" is not an IOMMU group (the kernel names them by a "
				"decimal number without sign, space or leading zero); skipped", path,
				quote(names.v[i], quoted, sizeof(quoted)));
			free(path);
			continue;
		}
		read_group(s, &top, names.v[i], &g);
		xgrow((void **)&s->groups, &cap, s->ngroups + 1, sizeof(*s->groups));
		s->groups[s->ngroups++] = g;
	}
	if (s->ngroups > 1)
		qsort(s->groups, s->ngroups, sizeof(*s->groups), cmp_group);
	/* one directory cannot hold two canonical names of one number; a broken copy might */
	for (size_t i = 0; i < s->ngroups; i++) {
		if (kept && s->groups[kept - 1].id == s->groups[i].id) {
			char *path = ii_dir_display(&top, NULL);
			ii_warn(&s->diags, "%s: IOMMU group %u is listed twice; the second is ignored",
				path, s->groups[i].id);
			free(path);
			group_free(&s->groups[i]);
			continue;
		}
		s->groups[kept++] = s->groups[i];
	}
	s->ngroups = kept;
	sl_free(&names);
	ii_dir_close(&top);
}

/* ------------------------------------------------------------------- units */

static enum ii_vendor unit_vendor(const struct ii_dir *ud, const char *name)
{
	struct stat st;
	struct ii_bdf b;

	if (ii_dir_lstat(ud, "intel-iommu", &st) == 0)
		return II_VENDOR_INTEL;
	if (ii_dir_lstat(ud, "amd-iommu", &st) == 0)
		return II_VENDOR_AMD;
	if (str_starts(name, "dmar"))
		return II_VENDOR_INTEL;
	if (str_starts(name, "ivhd"))
		return II_VENDOR_AMD;
	if (str_starts(name, "smmu3."))
		return II_VENDOR_ARM_SMMU_V3;
	if (str_starts(name, "smmu."))
		return II_VENDOR_ARM_SMMU;
	if (!ii_parse_bdf(name, &b) || !strcmp(name, "virtio"))
		return II_VENDOR_VIRTIO;
	return II_VENDOR_OTHER;
}

static void read_intel_unit(struct ii_system *s, const struct ii_dir *ud, struct ii_unit *u)
{
	struct ii_dir d;
	long long v;

	int err = ii_dir_open_at(ud, &d, "intel-iommu");

	if (err < 0) {
		ii_src_warn_errno(s, &d, NULL, err, "Intel unit attributes unknown");
		ii_dir_close(&d);
		return;
	}
	if ((u->version = read_line(s, &d, "version", false)))
		u->valid |= II_UV_VERSION;
	if (read_hex(s, &d, "address", false, &u->address))
		u->valid |= II_UV_ADDRESS;
	if (read_hex(s, &d, "cap", false, &u->cap))
		u->valid |= II_UV_CAP;
	if (read_hex(s, &d, "ecap", false, &u->ecap))
		u->valid |= II_UV_ECAP;
	if (read_int(s, &d, "domains_supported", true, &v)) {
		u->domains_supported = v;
		u->valid |= II_UV_DOMAINS;
		if (read_int(s, &d, "domains_used", true, &v))
			u->domains_used = v;
		else
			u->domains_used = -1;
	}
	ii_dir_close(&d);
}

static void read_amd_unit(struct ii_system *s, const struct ii_dir *ud, struct ii_unit *u)
{
	struct ii_dir d;
	char buf[128], fn[64];

	ssize_t n;
	int err = ii_dir_open_at(ud, &d, "amd-iommu");

	if (err < 0) {
		ii_src_warn_errno(s, &d, NULL, err, "AMD unit attributes unknown");
		ii_dir_close(&d);
		return;
	}
	if (read_hex(s, &d, "cap", false, &u->amd_cap))
		u->valid |= II_UV_AMD_CAP;
	n = ii_dir_read(&d, "features", buf, sizeof(buf));
	if (n >= 0) {
		if (ii_parse_amd_features(rtrim(buf), s->kver, &u->features) == 0) {
			u->valid |= II_UV_FEATURES;
			/* the boot log states EFR and EFR2 unambiguously: trust it over a guess */
			if (s->log.amd_efr_valid && u->features.has_efr2 &&
			    u->features.efr != s->log.amd_efr && u->features.efr2 == s->log.amd_efr &&
			    u->features.efr == s->log.amd_efr2) {
				uint64_t t = u->features.efr;
				u->features.efr = u->features.efr2;
				u->features.efr2 = t;
				u->features.layout = strcmp(u->features.layout, "EFR2:EFR") ? "EFR2:EFR"
											      : "EFR:EFR2";
				u->features.basis = "boot-log";
				u->features.order = "fields ordered as the boot log's Extended features line";
			}
		} else {
			char *path = ii_dir_display(&d, "features");
			ii_warn(&s->diags, "%s: unexpected content \"%.40s\": expected EFR or two hex "
				"numbers joined by ':'; features unknown", path, buf);
			free(path);
		}
	} else {
		ii_src_warn_errno(s, &d, "features", (int)n, "features unknown");
	}
	if (ii_dir_readlink_base(ud, "device", fn, sizeof(fn)) == 0)
		u->pci_function = xstrdup(fn);
	ii_dir_close(&d);
}

void ii_src_units(struct ii_system *s)
{
	struct ii_dir top;
	struct strlist names = { 0 };
	int err = list_top(s, &top, II_PATH_IOMMU_UNITS, &names, NULL);

	if (err <= 0) {
		s->units_err = err;
		ii_dir_close(&top);
		return;
	}
	s->units_dir = true;
	s->units = xcalloc(names.n, sizeof(*s->units));
	for (size_t i = 0; i < names.n; i++) {
		struct ii_unit *u = &s->units[s->nunits];
		struct ii_dir ud;

		memset(u, 0, sizeof(*u));
		err = ii_dir_open_at(&top, &ud, names.v[i]);
		if (err < 0) {
			/* counted, so that no one concludes from the others that there is no unit */
			if (!s->units_unread++)
				s->units_unread_err = err;
			ii_src_warn_errno(s, &ud, NULL, err, "unit skipped");
			ii_dir_close(&ud);
			continue;
		}
		u->name = xstrdup(names.v[i]);
		u->vendor = unit_vendor(&ud, u->name);
		if (u->vendor == II_VENDOR_INTEL)
			read_intel_unit(s, &ud, u);
		else if (u->vendor == II_VENDOR_AMD)
			read_amd_unit(s, &ud, u);
		err = ii_dir_list(&ud, "devices", &u->devices);
		if (err < 0 && err != -ENOENT)
			ii_src_warn_errno(s, &ud, "devices", err, "unit's devices unknown");
		s->nunits++;
		ii_dir_close(&ud);
	}
	sl_free(&names);
	ii_dir_close(&top);
}

/* ----------------------------------------------------------------- devices */

/*
 * A device's identity is read once, from the cheapest place that has it:
 *  1. the first 64 bytes of config (what any user may read): ids, class, revision, header
 *     type, a bridge's bus numbers, an endpoint's subsystem ids;
 *  2. an SR-IOV VF's ids read 0xffff there: the kernel gives it its PF's vendor and the
 *     PF's VF device id (sriov_vf_device), so its physfn link names where they are, and
 *     each PF is read once for all its VFs;
 *  3. uevent, when config leaves something else out (a bridge keeps its subsystem ids in a
 *     capability past the header) or cannot be read: ids, class, subsystem ids and the
 *     driver in one file;
 *  4. the single attributes (vendor, device, class, ...), for what is still unknown, as in
 *     a partial tree.
 * So a device costs its directory, config and the driver link (6 system calls), a VF one
 * more for its physfn link.
 */
enum { NEED_IDS = 1, NEED_CLASS = 2, NEED_SUBSYS = 4 };

static unsigned still_needed(const struct ii_device *d, bool details)
{
	return (d->valid & II_DV_IDS ? 0 : NEED_IDS) | (d->valid & II_DV_CLASS ? 0 : NEED_CLASS) |
	       (details && !(d->valid & II_DV_SUBSYS) ? NEED_SUBSYS : 0);
}

static void take_header(struct ii_device *d, const struct ii_pci_header *h)
{
	if (h->has_ids) {
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

/* Returns whether config was read; *gone when it has vanished (or was never recorded). */
static bool read_config(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			bool *gone)
{
	uint8_t cfg[II_PCI_HEADER_LEN];
	struct ii_pci_header h;
	ssize_t n = ii_dir_read_bin(dd, "config", cfg, sizeof(cfg));

	*gone = n == -ENOENT || n == -ENODEV;
	if (n >= 0 && ii_parse_pci_header(cfg, (size_t)n, &h) == 0) {
		take_header(d, &h);
		return true;
	}
	if (n >= 0) {
		char *path = ii_dir_display(dd, "config");
		ii_warn(&s->diags, "%s: %zd bytes, less than the %d of a PCI header; identity read "
			"from the other attributes", path, n, II_PCI_HEADER_LEN);
		free(path);
	} else if (!*gone) {
		ii_src_warn_errno(s, dd, "config", (int)n, "identity read from the other attributes");
	}
	return false;
}

/* uevent for what config left out; returns whether it told the driver (when want_driver). */
static bool read_uevent(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			unsigned need, bool want_driver, bool *gone)
{
	char buf[1024];
	struct ii_pci_uevent u;
	ssize_t n = ii_dir_read(dd, "uevent", buf, sizeof(buf));

	if (n < 0) {
		/* the attributes that follow say what is wrong, if they cannot be read either */
		*gone = *gone && (n == -ENOENT || n == -ENODEV);
		return false;
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
	if (!want_driver)
		return false;
	/* the kernel writes DRIVER= exactly when a driver is bound */
	d->driver = u.valid & II_UE_DRIVER ? xstrdup(u.driver) : NULL;
	d->valid |= II_DV_DRIVER;
	return true;
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
	if (parse_hex(s, dd, "vendor", false, buf, n, &v) && read_hex(s, dd, "device", false, &dv)) {
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

static void read_details(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d)
{
	uint64_t v;
	char buf[256];
	ssize_t n;

	if (!(d->valid & II_DV_REVISION) && read_hex(s, dd, "revision", true, &v)) {
		d->revision = (uint8_t)v;
		d->valid |= II_DV_REVISION;
	}
	if (!(d->valid & II_DV_SUBSYS)) {
		uint64_t sv, sd;
		if (read_hex(s, dd, "subsystem_vendor", true, &sv) &&
		    read_hex(s, dd, "subsystem_device", true, &sd)) {
			d->subvendor_id = (uint16_t)sv;
			d->subdevice_id = (uint16_t)sd;
			d->valid |= II_DV_SUBSYS;
		}
	}
	{
		long long node;
		if (read_int(s, dd, "numa_node", true, &node)) {
			d->numa_node = (int)node;
			d->valid |= II_DV_NUMA;
		}
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
 * *vf when its ids are its PF's, to be taken once every device is read (vf_ids()).
 */
static bool read_device(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			bool details, bool *vf)
{
	bool gone, cfg = read_config(s, dd, d, &gone), driver_known = false;
	unsigned need;
	uint64_t v;
	char pf[64];

	*vf = cfg && !(d->valid & II_DV_IDS) && ii_dir_readlink_base(dd, "physfn", pf, sizeof(pf)) == 0;
	if (*vf)
		d->physfn = xstrdup(pf);
	need = still_needed(d, details) & ~(*vf ? NEED_IDS : 0);
	if (need)
		driver_known = read_uevent(s, dd, d, need, true, &gone);
	need = still_needed(d, details) & ~NEED_SUBSYS & ~(*vf ? NEED_IDS : 0);
	if ((need & NEED_IDS) && !read_id_attrs(s, dd, d, gone))
		return false;
	if ((need & NEED_CLASS) && read_hex(s, dd, "class", false, &v)) {
		d->class_code = (uint32_t)v & 0xffffff;
		d->valid |= II_DV_CLASS;
	}
	if (!cfg && (d->valid & II_DV_CLASS)) {
		/* no header type: PCI-to-PCI and CardBus bridge classes */
		uint32_t cls = d->class_code >> 8;
		d->is_bridge = cls == 0x0604 || cls == 0x0609 || cls == 0x0607;
	}
	if (!driver_known)
		read_driver(s, dd, d);
	if (details)
		read_details(s, dd, d);
	return true;
}

/* A PF's VF device id (sriov_vf_device, "%x\n"): 0x10000 | id, or 0 when it cannot be read. */
static uint32_t read_vf_device(struct ii_system *s, const struct ii_device *pf)
{
	struct ii_dir dd;
	uint64_t v = 0;
	bool ok = ii_dir_open(s->root, &dd, II_PATH_PCI_DEVICES "/%s", pf->name) == 0 &&
		  read_hex(s, &dd, "sriov_vf_device", true, &v) && v <= 0xffff;

	ii_dir_close(&dd);
	return ok ? 0x10000 | (uint32_t)v : 0;
}

/* A VF whose PF did not tell: its own uevent, else its vendor and device attributes. */
static void vf_ids_own(struct ii_system *s, struct ii_device *d)
{
	struct ii_dir dd;
	bool gone = false;

	if (ii_dir_open(s->root, &dd, II_PATH_PCI_DEVICES "/%s", d->name) == 0) {
		read_uevent(s, &dd, d, NEED_IDS, false, &gone);
		if (!(d->valid & II_DV_IDS))
			read_id_attrs(s, &dd, d, false);
	}
	ii_dir_close(&dd);
}

/* The ids of the VFs: the PF's vendor and VF device id, each PF read once. */
static void vf_ids(struct ii_system *s, struct ii_device **vfs, size_t n)
{
	uint32_t *vfdev = n ? xcalloc(s->ndevices, sizeof(*vfdev)) : NULL; /* by PF index */
	bool *tried = n ? xcalloc(s->ndevices, sizeof(*tried)) : NULL;

	for (size_t i = 0; i < n; i++) {
		struct ii_device *d = vfs[i];
		long k = ii_device_index(s, d->physfn);
		const struct ii_device *pf = k >= 0 ? s->devices[k] : NULL;

		if (pf && (pf->valid & II_DV_IDS) && !tried[k]) {
			tried[k] = true;
			vfdev[k] = read_vf_device(s, pf);
		}
		if (pf && (pf->valid & II_DV_IDS) && vfdev[k]) {
			d->vendor_id = pf->vendor_id;
			d->device_id = (uint16_t)vfdev[k];
			d->valid |= II_DV_IDS;
		} else {
			vf_ids_own(s, d);
		}
	}
	free(vfdev);
	free(tried);
}

void ii_src_devices(struct ii_system *s, bool details)
{
	struct ii_dir top;
	struct strlist names = { 0 };
	struct ii_device **vfs = NULL;
	size_t nvfs = 0;
	int err = list_top(s, &top, II_PATH_PCI_DEVICES, &names, "no PCI devices can be listed");

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
		} else if (err < 0 || !read_device(s, &dd, d, details, &vf)) {
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
		if (vf) {
			if (!nvfs)
				vfs = xcalloc(names.n, sizeof(*vfs));
			vfs[nvfs++] = d;
		}
		s->devices[s->ndevices++] = d;
	}
	sl_free(&names);
	ii_dir_close(&top);
	/* in address order, so that a VF finds its PF */
	if (s->ndevices > 1)
		qsort(s->devices, s->ndevices, sizeof(*s->devices), ii_device_cmp);
	vf_ids(s, vfs, nvfs);
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
