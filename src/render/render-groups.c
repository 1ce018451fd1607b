// SPDX-License-Identifier: MIT
/* IOMMU groups: type, reserved regions, members. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render-columns.h"

static void group(struct ii_out *o, const struct ii_group *g, int bdf_width, int driver_width)
{
	out_open_obj(o, NULL);
	out_uint(o, "id", "IOMMU group %llu", g->id);
	out_str(o, "type", "  type %s", g->type);
	out_str(o, "name", g->name ? "  name %s" : NULL, g->name);
	if (g->err || g->members_err) {
		/* unknown, not empty: present only then */
		int err = g->err ? g->err : g->members_err;
		out_str(o, "read_error", NULL, strerror(-err));
		if (g->ndevs)
			out_text(o, "  %zu device%s (found by their iommu_group links; %s cannot be read: "
				 "%s)\n", g->ndevs, g->ndevs == 1 ? "" : "s",
				 g->err ? "the group" : "its devices/", strerror(-err));
		else
			out_text(o, "  devices unknown (%s cannot be read: %s)\n",
				 g->err ? "the group" : "its devices/", strerror(-err));
	} else {
		out_text(o, "  %zu device%s\n", g->ndevs, g->ndevs == 1 ? "" : "s");
	}
	out_open_arr(o, "reserved_regions");
	for (size_t i = 0; i < g->nresv; i++) {
		const struct ii_resv *r = &g->resv[i];
		out_open_obj(o, NULL);
		out_hex(o, "start", "  reserved 0x%016llx", r->start, 0);
		out_hex(o, "end", "-0x%016llx", r->end, 0);
		out_str(o, "type", " %s\n", r->type);
		out_close_obj(o);
	}
	out_close_arr(o);
	out_open_arr(o, "devices");
	for (size_t i = 0; i < g->ndevs; i++) {
		out_open_obj(o, NULL);
		out_text(o, "  ");
		render_device_ident(o, g->devs[i], bdf_width, driver_width);
		out_text(o, "\n");
		out_close_obj(o);
	}
	out_close_arr(o);
	out_close_obj(o);
}

void render_groups(struct ii_out *o, const struct ii_system *s, struct ii_group *const *groups,
		   size_t n)
{
	int width = 1, bdf_width = 12;

	(void)s;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < groups[i]->ndevs; j++) {
			const struct ii_device *d = groups[i]->devs[j];
			if (d->driver && (int)strlen(d->driver) > width)
				width = (int)strlen(d->driver);
			if (d->is_pci && (int)strlen(d->name) > bdf_width)
				bdf_width = (int)strlen(d->name);
		}
	out_open_arr(o, "groups");
	for (size_t i = 0; i < n; i++) {
		if (i)
			out_text(o, "\n");
		group(o, groups[i], bdf_width, width);
	}
	out_close_arr(o);
}

/* ------------------------------------------------- the column table (-o) */

static void cell_group(const struct ii_row *r, struct ii_cell *c)
{
	c->kind = II_CELL_INT;
	c->i = r->g->id;
}

static void cell_type(const struct ii_row *r, struct ii_cell *c)
{
	if (r->g->type) {
		c->kind = II_CELL_STR;
		c->s = r->g->type;
	}
}

static void cell_name(const struct ii_row *r, struct ii_cell *c)
{
	if (r->g->name) {
		c->kind = II_CELL_STR;
		c->s = r->g->name;
	}
}

/* Unknown, not 0, when the group's members could not be read and no link named one. */
static void cell_ndevs(const struct ii_row *r, struct ii_cell *c)
{
	if ((r->g->err || r->g->members_err) && !r->g->ndevs)
		return;
	c->kind = II_CELL_INT;
	c->i = (long long)r->g->ndevs;
}

/* "0x00000000fee00000-0x00000000feefffff:msi", comma-separated */
static void cell_resv(const struct ii_row *r, struct ii_cell *c)
{
	size_t len = 0;

	c->kind = II_CELL_STR;
	c->s = c->buf;
	c->text = r->g->nresv ? NULL : "-";
	for (size_t i = 0; i < r->g->nresv && len < sizeof(c->buf); i++) {
		const struct ii_resv *v = &r->g->resv[i];
		int k = snprintf(c->buf + len, sizeof(c->buf) - len, "%s0x%016llx-0x%016llx:%s",
				 i ? "," : "", (unsigned long long)v->start,
				 (unsigned long long)v->end, v->type);

		len += k > 0 ? (size_t)k : 0;
	}
}

/* A row per member, with the group's columns on each: what `awk` wants. */
static const struct ii_column group_cols[] = {
	{ "GROUP", "group", "IOMMU group number", cell_group },
	{ "TYPE", "group_type", "the group's domain type: DMA, DMA-FQ, identity, ...", cell_type },
	{ "NAME", "group_name", "the group's optional name", cell_name },
	{ "DEVICES", "group_devices", "how many devices the group has", cell_ndevs },
	{ "RESV", "reserved_regions", "the group's reserved regions: START-END:TYPE, comma-separated",
	  cell_resv },
	{ "BDF", "bdf", "the member's PCI address (- for a group without members)", render_cell_bdf },
	{ "VENDOR-ID", "vendor_id", "PCI vendor id", render_cell_vendor_id },
	{ "DEVICE-ID", "device_id", "PCI device id", render_cell_device_id },
	{ "CLASS", "class", "class code: base class, subclass, programming interface", render_cell_class },
	{ "CATEGORY", "category", "the class as --class names it: net, storage, gpu, ...",
	  render_cell_category },
	{ "DRIVER", "driver", "the bound driver", render_cell_driver },
	{ "IOMMU", "iommu", "the IOMMU unit that translates the member's DMA", render_cell_iommu },
	{ "BRIDGE", "bridge", "a PCI bridge: yes or no", render_cell_bridge },
	{ "RMRR", "rmrr", "a firmware RMRR pins it: yes or no", render_cell_rmrr },
	{ "VENDOR-NAME", "vendor", "the vendor's name", render_cell_vendor },
	{ "DEVICE-NAME", "device", "the device's name", render_cell_device },
	{ "DEVICE", "description", "class, vendor and device names, as the text shows them",
	  render_cell_description },
};

const struct ii_columns render_group_columns = {
	"groups", group_cols, sizeof(group_cols) / sizeof(group_cols[0]),
	"GROUP,TYPE,BDF,VENDOR-ID,DEVICE-ID,CLASS,DRIVER,DEVICE", "rows",
};

void render_groups_table(struct ii_out *o, const struct ii_system *s,
			 struct ii_group *const *groups, size_t n, const struct ii_colsel *sel)
{
	struct ii_row *rows = NULL;
	size_t nrows = 0, cap = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ii_group *g = groups[i];

		for (size_t j = 0; j < (g->ndevs ? g->ndevs : 1); j++) {
			xgrow((void **)&rows, &cap, nrows + 1, sizeof(*rows));
			rows[nrows++] = (struct ii_row){ s, g, g->ndevs ? g->devs[j] : NULL };
		}
	}
	render_table(o, sel, rows, nrows);
	free(rows);
}
