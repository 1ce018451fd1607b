// SPDX-License-Identifier: MIT
/* PCI devices: the identity line shared with `groups`, and the `devices` table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render-columns.h"
#include "paths.h"

static void hex_id(struct ii_out *o, const char *key, const char *fmt, unsigned v, int digits,
		   bool valid)
{
	char buf[16];

	if (!valid) {
		/* text keeps the column width: "----" */
		char dashes[16];
		memset(dashes, '-', (size_t)digits);
		dashes[digits] = '\0';
		out_null(o, key, NULL);
		if (fmt && !out_is_json(o))
			out_str(o, NULL, fmt, dashes);
		return;
	}
	/* "%0*x" by hand: three of these per device were a tenth of `groups --json` in user time */
	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		buf[i] = "0123456789abcdef"[v & 0xf];
	buf[digits] = '\0';
	out_str(o, key, fmt, buf);
}

/* "Ethernet controller: Intel Corporation 82540EM Gigabit Ethernet Controller" */
const char *render_device_description(const struct ii_device *d, char *buf, size_t size)
{
	struct strbuf sb = { 0 };

	if (d->class_name)
		sb_addf(&sb, "%s: ", d->class_name);
	else if (d->valid & II_DV_CLASS)
		sb_addf(&sb, "Class %04x: ", d->class_code >> 8);
	if (d->vendor_name)
		sb_addf(&sb, "%s ", d->vendor_name);
	else if (d->valid & II_DV_IDS)
		sb_addf(&sb, "Vendor %04x ", d->vendor_id);
	if (d->device_name)
		sb_addf(&sb, "%s", d->device_name);
	else if (d->valid & II_DV_IDS)
		sb_addf(&sb, "Device %04x", d->device_id);
	if (d->err)
		sb_addf(&sb, "(its directory cannot be read: %s)", strerror(-d->err));
	else if (!d->present)
		sb_addf(&sb, "(not under /sys/bus/pci/devices: removed?)");
	else if (!d->is_pci)
		sb_addf(&sb, "(not a PCI device)");
	snprintf(buf, size, "%s", sb.buf ? sb.buf : "");
	sb_free(&sb);
	return buf;
}

static void description(struct ii_out *o, const struct ii_device *d)
{
	char buf[512];

	out_str(o, "class_name", NULL, d->class_name);
	out_str(o, "vendor", NULL, d->vendor_name);
	out_str(o, "device", NULL, d->device_name);
	out_text(o, "%s", render_device_description(d, buf, sizeof(buf)));
}

/* JSON "rmrr": a DMAR RMRR pins the device (null: the DMAR could not be read); text "[rmrr]". */
static void rmrr_mark(struct ii_out *o, const struct ii_device *d)
{
	if (d->valid & II_DV_RMRR)
		out_bool(o, "rmrr", NULL, d->rmrr);
	else
		out_null(o, "rmrr", NULL);
	if (d->rmrr)
		out_text(o, "  [rmrr]");
}

/* The address column: "bdf", or "name" for a device that is not a PCI function. */
static void name_cell(struct ii_out *o, const struct ii_device *d, int width)
{
	char fmt[32];

	snprintf(fmt, sizeof(fmt), "%%-%ds  ", width);
	if (d->is_pci) {
		out_str(o, "bdf", fmt, d->name);
	} else {
		out_null(o, "bdf", NULL);
		out_str(o, "name", fmt, d->name);
	}
}

void render_device_ident(struct ii_out *o, const struct ii_device *d, int bdf_width,
			 int driver_width)
{
	char fmt[32];

	name_cell(o, d, bdf_width);
	hex_id(o, "vendor_id", "%s:", d->vendor_id, 4, d->valid & II_DV_IDS);
	hex_id(o, "device_id", "%s  ", d->device_id, 4, d->valid & II_DV_IDS);
	hex_id(o, "class", NULL, d->class_code, 6, d->valid & II_DV_CLASS);
	if (d->valid & II_DV_CLASS)
		out_text(o, "[%04x]  ", d->class_code >> 8);
	else
		out_text(o, "[----]  ");
	out_str(o, "category", NULL, ii_device_category(d));
	snprintf(fmt, sizeof(fmt), "%%-%ds  ", driver_width);
	out_str(o, "driver", fmt, d->driver);
	description(o, d);
	out_bool(o, "bridge", NULL, d->is_bridge);
	if (d->is_bridge)
		out_text(o, "  [bridge]");
	rmrr_mark(o, d);
	out_bool(o, "present", NULL, d->present);
}

/* The text of each II_NOGROUP_* (the unknown ones take the error). */
static const char *const nogroup_text[] = {
	[II_NOGROUP_NONE] = "",
	[II_NOGROUP_NO_GROUPS] = "no IOMMU groups exist (the IOMMU is off or absent)",
	[II_NOGROUP_IOMMU_FUNCTION] = "it is an IOMMU's own PCI function, which the IOMMU does not "
				      "translate",
	[II_NOGROUP_NOT_TRANSLATED] = "no IOMMU translates its DMA: no DMAR/IVRS scope covers it, or "
				      "it is excluded (e.g. by intel_iommu=igfx_off)",
	[II_NOGROUP_ARM_NO_DRIVER] = "no driver is bound: the firmware maps it to an SMMU, which the "
				     "kernel gives a device when a driver binds",
	[II_NOGROUP_ARM_ALIAS_TAKEN] = "the kernel gave it no SMMU: the bridge's DMA alias, a stream "
				       "ID it needs too, is another device's behind the same bridge "
				       "(\"stream N already in tree\"); its DMA goes into that "
				       "device's domain",
	[II_NOGROUP_VIOT_NO_DRIVER] = "no driver is bound: the ACPI VIOT maps it to a virtio-iommu, "
				      "which the kernel gives a device when a driver binds",
	[II_NOGROUP_VIOT_ALIAS] = "the kernel gave it no virtio-iommu although a driver is bound and "
				  "the ACPI VIOT maps it: behind a PCIe-to-PCI bridge its DMA carries "
				  "the bridge's alias requester ID, and the virtio-iommu accepted none "
				  "of its endpoint IDs (as QEMU's does not)",
	[II_NOGROUP_VIOT_NOT_ADDED] = "the kernel gave it no virtio-iommu although a driver is bound "
				      "and the ACPI VIOT maps it: the virtio-iommu did not accept its "
				      "endpoint ID, or the driver bound before the virtio-iommu came",
	[II_NOGROUP_GROUPS_UNREADABLE] = "unknown: the IOMMU groups cannot be read",
	[II_NOGROUP_GROUP_UNREADABLE] = "unknown: the members of an IOMMU group cannot be read, nor "
					"its iommu_group link",
	[II_NOGROUP_DEVICE_UNREADABLE] = "unknown: its directory cannot be read",
};

/* Membership unknown, not none: what would tell could not be read. */
static bool group_unknown(const struct ii_device *d)
{
	return d->group < 0 && d->nogroup >= II_NOGROUP_GROUPS_UNREADABLE;
}

const char *render_nogroup_reason(const struct ii_system *s, const struct ii_device *d, char *buf,
				  size_t size)
{
	char *path = NULL;

	if (!group_unknown(d)) {
		snprintf(buf, size, "%s", nogroup_text[d->nogroup]);
		return buf;
	}
	/* what could not be read, and why: "(/sys/kernel/iommu_groups: Permission denied)" */
	if (d->nogroup == II_NOGROUP_GROUPS_UNREADABLE)
		path = ii_root_display(s->root, II_PATH_IOMMU_GROUPS);
	snprintf(buf, size, "%s (%s%s%s)", nogroup_text[d->nogroup], path ? path : "",
		 path ? ": " : "", strerror(-d->nogroup_err));
	free(path);
	return buf;
}

/* Column widths for the text table. */
struct widths {
	int bdf, group, unit, driver, numa, reset, names;
};

static int maxi(int a, int b)
{
	return a > b ? a : b;
}

static int list_width(const struct strlist *l)
{
	int w = 0;

	for (size_t i = 0; i < l->n; i++)
		w += (int)strlen(l->v[i]) + (i ? 1 : 0);
	return w ? w : 1;
}

static void measure(struct widths *w, struct ii_device *const *devs, size_t n)
{
	*w = (struct widths){ 12, 5, 5, 6, 4, 5, 5 };
	for (size_t i = 0; i < n; i++) {
		const struct ii_device *d = devs[i];
		char buf[16];

		if (d->is_pci)
			w->bdf = maxi(w->bdf, (int)strlen(d->name));
		w->group = maxi(w->group, snprintf(buf, sizeof(buf), "%d", d->group));
		if (d->unit)
			w->unit = maxi(w->unit, (int)strlen(d->unit->name));
		if (d->driver)
			w->driver = maxi(w->driver, (int)strlen(d->driver));
		w->reset = maxi(w->reset, list_width(&d->reset_methods));
		w->names = maxi(w->names, list_width(&d->names));
	}
}

static void device_row(struct ii_out *o, const struct ii_system *s, const struct ii_device *d,
		       const struct widths *w)
{
	const struct ii_group *g = d->group >= 0 ? ii_find_group(s, (unsigned)d->group) : NULL;
	char fmt[32], reason[256];

	out_open_obj(o, NULL);
	name_cell(o, d, w->bdf);
	snprintf(fmt, sizeof(fmt), "%%-%dlld  ", w->group);
	if (d->group >= 0)
		out_int(o, "group", fmt, d->group);
	else {
		out_null(o, "group", NULL);
		out_text(o, "%-*s  ", w->group, group_unknown(d) ? "?" : "none");
	}
	out_str(o, "group_type", NULL, g ? g->type : NULL);
	snprintf(fmt, sizeof(fmt), "%%-%ds  ", w->unit);
	out_str(o, "iommu", fmt, d->unit ? d->unit->name : NULL);
	snprintf(fmt, sizeof(fmt), "%%-%ds  ", w->driver);
	out_str(o, "driver", fmt, d->driver);
	snprintf(fmt, sizeof(fmt), "%%-%dlld  ", w->numa);
	if ((d->valid & II_DV_NUMA) && d->numa_node >= 0)
		out_int(o, "numa_node", fmt, d->numa_node);
	else {
		snprintf(fmt, sizeof(fmt), "%%-%ds  ", w->numa);
		out_null(o, "numa_node", fmt);
	}
	snprintf(fmt, sizeof(fmt), "%%-%ds  ", w->reset);
	if (d->valid & II_DV_RESET)
		out_strlist(o, "reset_methods", fmt, ",", &d->reset_methods);
	else
		out_null(o, "reset_methods", fmt);
	snprintf(fmt, sizeof(fmt), "%%-%ds  ", w->names);
	out_strlist(o, "names", fmt, ",", &d->names);

	/* the identity, JSON keys only: the text shows it in the last column */
	if (out_is_json(o)) {
		hex_id(o, "vendor_id", NULL, d->vendor_id, 4, d->valid & II_DV_IDS);
		hex_id(o, "device_id", NULL, d->device_id, 4, d->valid & II_DV_IDS);
		hex_id(o, "subsystem_vendor_id", NULL, d->subvendor_id, 4, d->valid & II_DV_SUBSYS);
		hex_id(o, "subsystem_device_id", NULL, d->subdevice_id, 4, d->valid & II_DV_SUBSYS);
		hex_id(o, "revision", NULL, d->revision, 2, d->valid & II_DV_REVISION);
		hex_id(o, "class", NULL, d->class_code, 6, d->valid & II_DV_CLASS);
		out_str(o, "category", NULL, ii_device_category(d));
		out_bool(o, "bridge", NULL, d->is_bridge);
		if (d->valid & II_DV_RMRR)
			out_bool(o, "rmrr", NULL, d->rmrr);
		else
			out_null(o, "rmrr", NULL);
		out_str(o, "physfn", NULL, d->physfn);
		out_bool(o, "present", NULL, d->present);
	}
	description(o, d);
	if (d->is_bridge)
		out_text(o, "  [bridge]");
	if (d->physfn)
		out_text(o, "  [VF of %s]", d->physfn);
	if (d->rmrr)
		out_text(o, "  [rmrr]");
	out_str(o, "no_group_reason", NULL,
		d->group < 0 ? render_nogroup_reason(s, d, reason, sizeof(reason)) : NULL);
	/* only when it cannot be known: "group": null alone would say "in none" */
	if (group_unknown(d) && out_is_json(o))
		out_str(o, "group_error", NULL, strerror(-d->nogroup_err));
	out_text(o, "\n");
	out_close_obj(o);
}

void render_devices(struct ii_out *o, const struct ii_system *s, struct ii_device *const *devs,
		    size_t n)
{
	struct widths w;
	size_t nogroup = 0, unknown = 0;
	char reason[256];

	measure(&w, devs, n);
	if (n)
		out_text(o, "%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n", w.bdf, "BDF", w.group, "GROUP",
		 w.unit, "IOMMU", w.driver, "DRIVER", w.numa, "NUMA", w.reset, "RESET", w.names,
		 "NAMES", "DEVICE");
	out_open_arr(o, "devices");
	for (size_t i = 0; i < n; i++) {
		device_row(o, s, devs[i], &w);
		unknown += group_unknown(devs[i]);
		nogroup += devs[i]->group < 0 && !group_unknown(devs[i]);
	}
	out_close_arr(o);
	if (out_is_json(o))
		return;
	if (nogroup && !s->ngroups) {
		out_text(o, "\nNo device is in an IOMMU group: %s.\n",
			 render_nogroup_reason(s, devs[0], reason, sizeof(reason)));
	} else if (nogroup) {
		out_text(o, "\n%zu device%s in no IOMMU group:\n", nogroup, nogroup == 1 ? "" : "s");
		for (size_t i = 0; i < n; i++)
			if (devs[i]->group < 0 && !group_unknown(devs[i]))
				out_text(o, "  %s: %s\n", devs[i]->name,
					 render_nogroup_reason(s, devs[i], reason, sizeof(reason)));
	}
	if (!unknown)
		return;
	if (s->groups_err) {
		/* one cause for all: said once */
		out_text(o, "\nThe IOMMU group of every device is %s.\n",
			 render_nogroup_reason(s, devs[0], reason, sizeof(reason)));
		return;
	}
	out_text(o, "\n%zu device%s whose IOMMU group is unknown:\n", unknown,
		 unknown == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		if (group_unknown(devs[i]))
			out_text(o, "  %s: %s\n", devs[i]->name,
				 render_nogroup_reason(s, devs[i], reason, sizeof(reason)));
}

/* ------------------------------------------------- the column table (-o) */

/* A hex id of digits digits, or null. */
static void cell_hex(struct ii_cell *c, unsigned v, int digits, bool valid)
{
	if (!valid)
		return;
	snprintf(c->buf, sizeof(c->buf), "%0*x", digits, v);
	c->kind = II_CELL_STR;
	c->s = c->buf;
}

static void cell_str(struct ii_cell *c, const char *s)
{
	if (s) {
		c->kind = II_CELL_STR;
		c->s = s;
	}
}

void render_cell_bdf(const struct ii_row *r, struct ii_cell *c)
{
	if (!r->d)
		return;
	if (r->d->is_pci)
		cell_str(c, r->d->name);
	else
		c->text = r->d->name; /* not a PCI function: JSON null, its name in text */
}

static void cell_group(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d->group >= 0) {
		c->kind = II_CELL_INT;
		c->i = r->d->group;
	} else {
		c->text = group_unknown(r->d) ? "?" : "none";
	}
}

static void cell_group_type(const struct ii_row *r, struct ii_cell *c)
{
	const struct ii_group *g = r->d->group >= 0 ? ii_find_group(r->s, (unsigned)r->d->group) : NULL;

	cell_str(c, g ? g->type : NULL);
}

void render_cell_iommu(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d && r->d->unit)
		cell_str(c, r->d->unit->name);
}

void render_cell_driver(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d)
		cell_str(c, r->d->driver);
}

static void cell_numa(const struct ii_row *r, struct ii_cell *c)
{
	if ((r->d->valid & II_DV_NUMA) && r->d->numa_node >= 0) {
		c->kind = II_CELL_INT;
		c->i = r->d->numa_node;
	}
}

static void cell_reset(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d->valid & II_DV_RESET) {
		c->kind = II_CELL_LIST;
		c->l = &r->d->reset_methods;
	}
}

static void cell_names(const struct ii_row *r, struct ii_cell *c)
{
	c->kind = II_CELL_LIST;
	c->l = &r->d->names;
}

void render_cell_vendor_id(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d)
		cell_hex(c, r->d->vendor_id, 4, r->d->valid & II_DV_IDS);
}

void render_cell_device_id(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d)
		cell_hex(c, r->d->device_id, 4, r->d->valid & II_DV_IDS);
}

static void cell_subvendor(const struct ii_row *r, struct ii_cell *c)
{
	cell_hex(c, r->d->subvendor_id, 4, r->d->valid & II_DV_SUBSYS);
}

static void cell_subdevice(const struct ii_row *r, struct ii_cell *c)
{
	cell_hex(c, r->d->subdevice_id, 4, r->d->valid & II_DV_SUBSYS);
}

static void cell_revision(const struct ii_row *r, struct ii_cell *c)
{
	cell_hex(c, r->d->revision, 2, r->d->valid & II_DV_REVISION);
}

void render_cell_class(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d)
		cell_hex(c, r->d->class_code, 6, r->d->valid & II_DV_CLASS);
}

void render_cell_category(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d)
		cell_str(c, ii_device_category(r->d));
}

static void cell_class_name(const struct ii_row *r, struct ii_cell *c)
{
	cell_str(c, r->d->class_name);
}

void render_cell_vendor(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d)
		cell_str(c, r->d->vendor_name);
}

void render_cell_device(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d)
		cell_str(c, r->d->device_name);
}

void render_cell_description(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d)
		cell_str(c, render_device_description(r->d, c->buf, sizeof(c->buf)));
}

void render_cell_bridge(const struct ii_row *r, struct ii_cell *c)
{
	if (!r->d)
		return;
	c->kind = II_CELL_BOOL;
	c->b = r->d->is_bridge;
}

void render_cell_rmrr(const struct ii_row *r, struct ii_cell *c)
{
	if (!r->d || !(r->d->valid & II_DV_RMRR))
		return;
	c->kind = II_CELL_BOOL;
	c->b = r->d->rmrr;
}

static void cell_physfn(const struct ii_row *r, struct ii_cell *c)
{
	cell_str(c, r->d->physfn);
}

static void cell_present(const struct ii_row *r, struct ii_cell *c)
{
	c->kind = II_CELL_BOOL;
	c->b = r->d->present;
}

static void cell_reason(const struct ii_row *r, struct ii_cell *c)
{
	if (r->d->group < 0)
		cell_str(c, render_nogroup_reason(r->s, r->d, c->buf, sizeof(c->buf)));
}

/* In the order of the keys of the default JSON; the defaults are the text table's columns. */
static const struct ii_column device_cols[] = {
	{ "BDF", "bdf", "PCI address (domain:bus:device.function)", render_cell_bdf },
	{ "GROUP", "group", "IOMMU group number (none: in no group, ?: unknown)", cell_group },
	{ "GROUP-TYPE", "group_type", "the group's domain type: DMA, DMA-FQ, identity, ...", cell_group_type },
	{ "IOMMU", "iommu", "the IOMMU unit that translates its DMA", render_cell_iommu },
	{ "DRIVER", "driver", "the bound driver", render_cell_driver },
	{ "NUMA", "numa_node", "NUMA node", cell_numa },
	{ "RESET", "reset_methods", "reset methods, comma-separated", cell_reset },
	{ "NAMES", "names", "network interfaces, disks, ... it provides, comma-separated", cell_names },
	{ "VENDOR-ID", "vendor_id", "PCI vendor id", render_cell_vendor_id },
	{ "DEVICE-ID", "device_id", "PCI device id", render_cell_device_id },
	{ "SUBSYS-VENDOR-ID", "subsystem_vendor_id", "subsystem vendor id", cell_subvendor },
	{ "SUBSYS-DEVICE-ID", "subsystem_device_id", "subsystem device id", cell_subdevice },
	{ "REVISION", "revision", "revision", cell_revision },
	{ "CLASS", "class", "class code: base class, subclass, programming interface", render_cell_class },
	{ "CATEGORY", "category", "the class as --class names it: net, storage, gpu, ...", render_cell_category },
	{ "BRIDGE", "bridge", "a PCI bridge: yes or no", render_cell_bridge },
	{ "RMRR", "rmrr", "a firmware RMRR pins it: yes or no", render_cell_rmrr },
	{ "PHYSFN", "physfn", "an SR-IOV virtual function's physical function", cell_physfn },
	{ "PRESENT", "present", "under /sys/bus/pci/devices (no: only a group lists it)", cell_present },
	{ "CLASS-NAME", "class_name", "the class's name in the PCI ID database", cell_class_name },
	{ "VENDOR-NAME", "vendor", "the vendor's name", render_cell_vendor },
	{ "DEVICE-NAME", "device", "the device's name", render_cell_device },
	{ "DEVICE", "description", "class, vendor and device names, as the text shows them",
	  render_cell_description },
	{ "REASON", "no_group_reason", "why it is in no IOMMU group", cell_reason },
};

const struct ii_columns render_device_columns = {
	"devices", device_cols, sizeof(device_cols) / sizeof(device_cols[0]),
	"BDF,GROUP,IOMMU,DRIVER,NUMA,RESET,NAMES,DEVICE", "devices",
};

void render_devices_table(struct ii_out *o, const struct ii_system *s,
			  struct ii_device *const *devs, size_t n, const struct ii_colsel *sel)
{
	struct ii_row *rows = xcalloc(n ? n : 1, sizeof(*rows));

	for (size_t i = 0; i < n; i++)
		rows[i] = (struct ii_row){ s, NULL, devs[i] };
	render_table(o, sel, rows, n);
	free(rows);
}
