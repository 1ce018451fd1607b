// SPDX-License-Identifier: MIT
/* domains: each translation domain, its devices (with their groups) and what it maps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render-dbg.h"

const char *render_size(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;
	double v = (double)bytes;

	while (v >= 1024 && u + 1 < II_ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	if (u == 0 || v == (double)(uint64_t)v)
		snprintf(buf, size, "%llu %s", (unsigned long long)v, units[u]);
	else
		snprintf(buf, size, "%.1f %s", v, units[u]);
	return buf;
}

static const char *layout_words(const struct ii_dbg *d)
{
	if (!d->have_dts)
		return NULL;
	return d->layout == II_DTS_GLOBAL ? "one domain_translation_struct file (Linux 5.10 to 6.6)"
					   : "a domain_translation_struct file per device and PASID "
					     "(Linux 6.7 and later)";
}

void render_dbg_state(struct ii_out *o, const struct ii_system *s)
{
	const struct ii_dbg *d = s->dbg;

	char *path = d->fs.dir ? ii_root_display(s->root, d->fs.dir) : NULL;

	out_open_obj(o, "debugfs");
	out_str(o, "state", NULL, ii_dbg_state_key(d->fs.state));
	out_str(o, "path", NULL, path);
	if (d->fs.state == II_DBG_OK && d->fs.vendor == II_VENDOR_INTEL && d->have_dts)
		out_str(o, "layout", NULL, d->layout == II_DTS_GLOBAL ? "global" : "per-device");
	else
		out_null(o, "layout", NULL);
	out_str(o, "message", NULL, d->fs.why);
	out_close_obj(o);
	if (d->fs.state == II_DBG_OK && path) {
		const char *words = layout_words(d);
		out_text(o, "debugfs %s%s%s\n", path, words ? ": " : "", words ? words : "");
	}
	free(path);
}

static void device(struct ii_out *o, const struct ii_dbg_dev *dv)
{
	const struct ii_device *dev = dv->dev;
	const struct ii_group *g = dv->group;

	out_open_obj(o, NULL);
	out_str(o, "bdf", "    %s", dv->name);
	if (dv->pasid >= 0)
		out_uint(o, "pasid", "  pasid %#llx", (unsigned long long)dv->pasid);
	else
		out_null(o, "pasid", NULL);
	if (g) {
		out_int(o, "group", "  group %-3lld", (long long)g->id);
		out_str(o, "group_type", " %-9s", g->type);
	} else {
		out_null(o, "group", NULL);
		out_null(o, "group_type", NULL);
	}
	if (dev && (dev->valid & II_DV_DRIVER))
		out_str(o, "driver", " %s", dev->driver);
	else
		out_null(o, "driver", dev ? " %s" : NULL);
	out_bool(o, "alias", NULL, !dev);
	if (!dev)
		out_text(o, "  requester id with no PCI device (a bridge's DMA alias)");
	else if (dev->is_bridge)
		out_text(o, "  [bridge]");
	out_open_arr(o, "seen_in");
	if (dv->from_ctx)
		out_str(o, NULL, NULL, "context");
	if (dv->from_dump)
		out_str(o, NULL, NULL, "dump");
	if (dv->from_group)
		out_str(o, NULL, NULL, "group");
	out_close_arr(o);
	out_text(o, "\n");
	out_close_obj(o);
}

static void stats(struct ii_out *o, const struct ii_dbg_domain *dom)
{
	char b1[32];

	out_bool(o, "dumped", NULL, dom->dumped);
	if (!dom->dumped) {
		out_bool(o, "truncated", NULL, false);
		out_null(o, "mapped_bytes", NULL);
		out_null(o, "range_count", NULL);
		out_null(o, "pages_4k", NULL);
		out_null(o, "pages_2m", NULL);
		out_null(o, "pages_1g", NULL);
		if (dom->translation == II_TT_PASSTHROUGH)
			out_text(o, "  not translated: the device's DMA addresses are physical addresses\n");
		else
			out_text(o, "  no page-table dump of this domain in debugfs\n");
		return;
	}
	out_bool(o, "truncated", NULL, dom->truncated);
	out_uint(o, "mapped_bytes", NULL, dom->bytes);
	out_uint(o, "range_count", NULL, dom->nranges);
	out_uint(o, "pages_4k", NULL, dom->pages_4k);
	out_uint(o, "pages_2m", NULL, dom->pages_2m);
	out_uint(o, "pages_1g", NULL, dom->pages_1g);
	if (!dom->leaves) {
		out_text(o, "  nothing mapped\n");
	} else {
		out_text(o, "  mapped %s in %llu range%s:", render_size(dom->bytes, b1, sizeof(b1)),
			 (unsigned long long)dom->nranges, dom->nranges == 1 ? "" : "s");
		if (dom->pages_4k)
			out_text(o, " %llu page%s of 4 KiB", (unsigned long long)dom->pages_4k,
				 dom->pages_4k == 1 ? "" : "s");
		if (dom->pages_2m)
			out_text(o, "%s %llu of 2 MiB", dom->pages_4k ? "," : "",
				 (unsigned long long)dom->pages_2m);
		if (dom->pages_1g)
			out_text(o, "%s %llu of 1 GiB", dom->pages_4k || dom->pages_2m ? "," : "",
				 (unsigned long long)dom->pages_1g);
		out_text(o, "\n");
	}
	if (dom->truncated)
		out_text(o, "  (its dump was cut short: these figures are a lower bound)\n");
}

void render_domains(struct ii_out *o, const struct ii_system *s)
{
	const struct ii_dbg *d = s->dbg;

	out_open_arr(o, "domains");
	for (size_t i = 0; i < d->ndomains; i++) {
		const struct ii_dbg_domain *dom = d->domains[i];

		out_open_obj(o, NULL);
		out_text(o, "\n");
		if (dom->unit[0])
			out_str(o, "unit", "%s ", dom->unit);
		else
			out_null(o, "unit", NULL);
		if (dom->did >= 0)
			out_int(o, "domain_id", "domain %lld", dom->did);
		else
			out_null(o, "domain_id", "domain %s (id unknown)");
		if (dom->translation != II_TT_UNKNOWN)
			out_str(o, "translation", "  %s", ii_dbg_tt_key(dom->translation));
		else
			out_str(o, "translation", "  %s", "translation unknown");
		if (dom->mode != II_DM_UNKNOWN)
			out_str(o, "mode", " (%s mode)", ii_dbg_mode_key(dom->mode));
		else
			out_null(o, "mode", NULL);
		if (dom->levels) {
			out_int(o, "address_width", ", %lld-bit", dom->aw_bits);
			out_int(o, "levels", " %lld-level", dom->levels);
		} else {
			out_null(o, "address_width", NULL);
			out_null(o, "levels", NULL);
		}
		if (dom->has_pgd)
			out_hex(o, "page_table", ", page table at 0x%llx", dom->pgd, 0);
		else
			out_null(o, "page_table", NULL);
		out_text(o, "\n");
		out_open_arr(o, "devices");
		for (size_t j = 0; j < dom->ndevs; j++)
			device(o, &dom->devs[j]);
		out_close_arr(o);
		stats(o, dom);
		out_close_obj(o);
	}
	out_close_arr(o);
}
