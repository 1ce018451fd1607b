// SPDX-License-Identifier: MIT
/* IOMMU groups: type, reserved regions, members. */
#include <string.h>

#include "render.h"

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
