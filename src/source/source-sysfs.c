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

static int cmp_group(const void *a, const void *b)
{
	const struct ii_group *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void read_resv(struct ii_system *s, const struct ii_dir *gd, struct ii_group *g)
{
	char *text, *line, *save = NULL;
	size_t len, cap = 0;
	int err = ii_dir_read_file(gd, "reserved_regions", &text, &len, 1 << 20);
	unsigned lineno = 0;

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
	free(text);
}

void ii_src_groups(struct ii_system *s)
{
	struct ii_dir top;
	struct strlist names = { 0 };
	size_t cap = 0;
	int err = list_top(s, &top, II_PATH_IOMMU_GROUPS, &names, NULL);

	if (err <= 0) {
		s->groups_err = err;
		ii_dir_close(&top);
		return;
	}
	s->groups_dir = true;
	for (size_t i = 0; i < names.n; i++) {
		struct ii_group g = { 0 };
		struct ii_dir gd;
		long long id;
		char buf[64];
		ssize_t n;

		if (ii_parse_int(names.v[i], &id) || id < 0 || id > UINT32_MAX) {
			char *path = ii_dir_display(&top, names.v[i]);
			ii_warn(&s->diags, "%s: not a group number; skipped", path);
			free(path);
			continue;
		}
		g.id = (unsigned)id;
		err = ii_dir_open_at(&top, &gd, names.v[i]);
		if (err < 0) {
			ii_src_warn_errno(s, &gd, NULL, err, "group skipped");
			ii_dir_close(&gd);
			continue;
		}
		n = ii_dir_read(&gd, "type", buf, sizeof(buf));
		if (n >= 0) {
			g.type = xstrdup(rtrim(buf));
			g.domtype = ii_parse_domtype(g.type);
			if (g.domtype == II_DOM_UNKNOWN && strcmp(g.type, "unknown") != 0) {
				char *path = ii_dir_display(&gd, "type");
				ii_warn(&s->diags, "%s: unexpected type \"%.20s\"; shown as found",
					path, g.type);
				free(path);
			}
		} else if (n != -ENOENT) {
			/* kernels before 5.4 have no type attribute: unknown, not an error */
			ii_src_warn_errno(s, &gd, "type", (int)n, "type unknown");
		}
		read_resv(s, &gd, &g);
		g.name = read_line(s, &gd, "name", true);
		err = ii_dir_list(&gd, "devices", &g.members);
		if (err < 0)
			ii_src_warn_errno(s, &gd, "devices", err, "members unknown");
		xgrow((void **)&s->groups, &cap, s->ngroups + 1, sizeof(*s->groups));
		s->groups[s->ngroups++] = g;
		ii_dir_close(&gd);
	}
	if (s->ngroups > 1)
		qsort(s->groups, s->ngroups, sizeof(*s->groups), cmp_group);
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

/* First bytes of config space: the header type says whether it is a bridge. */
#define PCI_HEADER_TYPE 0x0e
/* A PCI-to-PCI bridge's bus numbers (for the DMAR scope path walk). */
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBORDINATE_BUS 0x1a

static bool read_device(struct ii_system *s, const struct ii_dir *dd, struct ii_device *d,
			bool details)
{
	uint64_t v;
	uint8_t cfg[64];
	char buf[256];
	ssize_t n;

	/* The device may vanish while we read it: ENOENT on the first attribute. */
	n = ii_dir_read(dd, "vendor", buf, sizeof(buf));
	if (n == -ENOENT || n == -ENODEV)
		return false;
	if (parse_hex(s, dd, "vendor", false, buf, n, &v)) {
		uint64_t dv;
		d->vendor_id = (uint16_t)v;
		if (read_hex(s, dd, "device", false, &dv)) {
			d->device_id = (uint16_t)dv;
			d->valid |= II_DV_IDS;
		}
	}
	if (read_hex(s, dd, "class", false, &v)) {
		d->class_code = (uint32_t)v & 0xffffff;
		d->valid |= II_DV_CLASS;
	}
	n = ii_dir_readlink_base(dd, "driver", buf, sizeof(buf));
	if (n == 0) {
		d->driver = xstrdup(buf);
		d->valid |= II_DV_DRIVER;
	} else if (n == -ENOENT) {
		d->valid |= II_DV_DRIVER;
	} else {
		ii_src_warn_errno(s, dd, "driver", (int)n, "driver unknown");
	}
	n = ii_dir_read_bin(dd, "config", cfg, sizeof(cfg));
	if (n > PCI_HEADER_TYPE) {
		d->header_type = cfg[PCI_HEADER_TYPE] & 0x7f;
		d->is_bridge = d->header_type == 1 || d->header_type == 2;
		d->valid |= II_DV_CONFIG;
		if (d->header_type == 1 && n > PCI_SUBORDINATE_BUS) {
			d->secondary_bus = cfg[PCI_SECONDARY_BUS];
			d->subordinate_bus = cfg[PCI_SUBORDINATE_BUS];
			d->valid |= II_DV_BUSES;
		}
	} else if (d->valid & II_DV_CLASS) {
		/* no config space (a partial snapshot): PCI-to-PCI and CardBus bridge classes */
		uint32_t cls = d->class_code >> 8;
		d->is_bridge = cls == 0x0604 || cls == 0x0609 || cls == 0x0607;
	}
	if (!details)
		return true;
	if (read_hex(s, dd, "revision", true, &v)) {
		d->revision = (uint8_t)v;
		d->valid |= II_DV_REVISION;
	}
	{
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
	if (ii_dir_readlink_base(dd, "physfn", buf, sizeof(buf)) == 0)
		d->physfn = xstrdup(buf);
	return true;
}

void ii_src_devices(struct ii_system *s, bool details)
{
	struct ii_dir top;
	struct strlist names = { 0 };
	int err = list_top(s, &top, II_PATH_PCI_DEVICES, &names, "no PCI devices can be listed");

	if (err <= 0) {
		ii_dir_close(&top);
		return;
	}
	s->pci_dir = true;
	s->devices = xcalloc(names.n ? names.n : 1, sizeof(*s->devices));
	for (size_t i = 0; i < names.n; i++) {
		struct ii_device *d = xcalloc(1, sizeof(*d));
		struct ii_dir dd;

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
		if (err < 0 || !read_device(s, &dd, d, details)) {
			char *path = ii_dir_display(&top, names.v[i]);
			ii_warn(&s->diags, "%s: %s while it was being read (hot-unplugged?); left out",
				path, err == -ENOENT || err == 0 ? "disappeared" : strerror(-err));
			sl_add(&s->vanished, names.v[i]);
			free(path);
			ii_dir_close(&dd);
			free(d);
			continue;
		}
		ii_dir_close(&dd);
		s->devices[s->ndevices++] = d;
	}
	sl_free(&names);
	ii_dir_close(&top);
}
