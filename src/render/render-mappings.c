// SPDX-License-Identifier: MIT
/* mappings: a device's IOVA ranges, its raw page-table entries, or what one IOVA maps to. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render-dbg.h"

static void rights(char buf[3], bool r, bool w)
{
	buf[0] = r ? 'r' : '-';
	buf[1] = w ? 'w' : '-';
	buf[2] = '\0';
}

static const char *page_name(uint64_t size)
{
	return size == 1ULL << 12 ? "4K" : size == 1ULL << 21 ? "2M" : size == 1ULL << 30 ? "1G" : "?";
}

/* unit, domain_id, translation, page_table: who a mapping belongs to. */
static void domain_keys(struct ii_out *o, const struct ii_dbg_domain *dom)
{
	if (dom && dom->unit[0])
		out_str(o, "unit", "  %s", dom->unit);
	else
		out_null(o, "unit", NULL);
	if (dom && dom->did >= 0)
		out_int(o, "domain_id", " domain %lld", dom->did);
	else
		out_null(o, "domain_id", dom ? " domain %s" : NULL);
	if (dom && dom->translation != II_TT_UNKNOWN)
		out_str(o, "translation", ", %s", ii_dbg_tt_key(dom->translation));
	else
		out_null(o, "translation", NULL);
	if (dom && dom->has_pgd)
		out_hex(o, "page_table", ", page table at 0x%llx", dom->pgd, 0);
	else
		out_null(o, "page_table", NULL);
}

/* bdf, group, driver: the device asked about. */
static void device_keys(struct ii_out *o, const struct ii_system *s, const char *bdf)
{
	const struct ii_device *dev = ii_find_device(s, bdf);

	out_str(o, "bdf", "%s", bdf);
	if (dev && dev->group >= 0)
		out_int(o, "group", "  group %lld", dev->group);
	else
		out_null(o, "group", NULL);
	if (dev && (dev->valid & II_DV_DRIVER))
		out_str(o, "driver", "  %s", dev->driver ? dev->driver : "(no driver)");
	else
		out_null(o, "driver", NULL);
}

void render_mapping_begin(struct ii_out *o, const struct ii_system *s, const struct ii_dbg_domain *dom,
			  const char *bdf, bool first)
{
	struct strlist others = { 0 };

	long pasid = -1;

	for (size_t i = 0; dom && i < dom->ndevs; i++)
		if (!strcmp(dom->devs[i].name, bdf)) {
			pasid = dom->devs[i].pasid;
			if (pasid < 0)
				break;
		}
	out_open_obj(o, NULL);
	if (!first)
		out_text(o, "\n");
	device_keys(o, s, bdf);
	if (pasid >= 0)
		out_uint(o, "pasid", "  pasid %#llx", (unsigned long long)pasid);
	else
		out_null(o, "pasid", NULL);
	domain_keys(o, dom);
	out_text(o, "\n");
	out_open_arr(o, "devices");
	for (size_t i = 0; dom && i < dom->ndevs; i++) {
		if (dom->devs[i].pasid >= 0 || sl_contains(&others, dom->devs[i].name))
			continue;
		out_str(o, NULL, NULL, dom->devs[i].name);
		if (strcmp(dom->devs[i].name, bdf))
			sl_add(&others, dom->devs[i].name);
	}
	out_close_arr(o);
	if (others.n) {
		char *all = sl_join(&others, " ");
		out_text(o, "  the same domain serves: %s\n", all);
		free(all);
	}
	sl_free(&others);
	out_open_arr(o, "ranges");
	out_text(o, "  %-18s  %-18s  %-10s  %-6s  %-4s  %s\n", "start", "end", "size", "rights", "page",
		 "physical");
}

void render_mapping_range(struct ii_out *o, const struct ii_range *r)
{
	char rw[3], sz[32];

	rights(rw, r->read, r->write);
	out_open_obj(o, NULL);
	out_hex(o, "start", "  0x%016llx", r->start, 0);
	out_hex(o, "end", "  0x%016llx", r->end, 0);
	out_uint(o, "size", NULL, r->end - r->start + 1);
	out_text(o, "  %-10s", render_size(r->end - r->start + 1, sz, sizeof(sz)));
	out_bool(o, "read", NULL, r->read);
	out_bool(o, "write", NULL, r->write);
	out_text(o, "  %-6s", rw);
	out_uint(o, "page_size", NULL, r->page_size);
	out_text(o, "  %-4s", page_name(r->page_size));
	out_uint(o, "pages", NULL, r->pages);
	out_hex(o, "phys", "  0x%llx", r->phys, 0);
	out_bool(o, "phys_contiguous", NULL, r->phys_contig);
	out_text(o, "%s\n", r->phys_contig ? "" : " (scattered)");
	out_close_obj(o);
}

void render_mapping_end(struct ii_out *o, const struct ii_dbg_domain *dom)
{
	char sz[32];

	out_close_arr(o);
	out_bool(o, "truncated", NULL, dom->truncated);
	out_text(o, "  %llu range%s, %s mapped%s\n", (unsigned long long)dom->nranges,
		 dom->nranges == 1 ? "" : "s", render_size(dom->bytes, sz, sizeof(sz)),
		 dom->truncated ? " (the dump was cut short: there may be more)" : "");
	out_close_obj(o);
}

void render_mapping_none(struct ii_out *o, const struct ii_system *s, const struct ii_dbg_domain *dom,
			 const char *bdf, const char *why, bool first)
{
	out_open_obj(o, NULL);
	if (!first)
		out_text(o, "\n");
	device_keys(o, s, bdf);
	out_null(o, "pasid", NULL);
	domain_keys(o, dom);
	if (!dom || dom->translation == II_TT_UNKNOWN)
		out_text(o, "  pass-through");
	out_text(o, "\n  %s\n", why);
	out_open_arr(o, "devices");
	for (size_t i = 0; dom && i < dom->ndevs; i++)
		if (dom->devs[i].pasid < 0)
			out_str(o, NULL, NULL, dom->devs[i].name);
	out_close_arr(o);
	out_null(o, "ranges", NULL);
	out_bool(o, "truncated", NULL, false);
	out_close_obj(o);
}

void render_pte(struct ii_out *o, const struct ii_dbg_domain *dom, const char *bdf,
		const struct ii_pte *p)
{
	char rw[3];

	rights(rw, p->read, p->write);
	out_open_obj(o, NULL);
	out_str(o, "bdf", NULL, bdf);
	out_str(o, "unit", NULL, dom->unit[0] ? dom->unit : NULL);
	if (dom->did >= 0)
		out_int(o, "domain_id", NULL, dom->did);
	else
		out_null(o, "domain_id", NULL);
	out_hex(o, "iova", "  0x%016llx", p->iova, 0);
	out_uint(o, "level", "  L%llu", p->level);
	out_uint(o, "page_size", NULL, p->size);
	out_text(o, " %s", page_name(p->size));
	out_hex(o, "phys", "  0x%-12llx", p->phys, 0);
	out_bool(o, "read", NULL, p->read);
	out_bool(o, "write", NULL, p->write);
	out_text(o, "  %s  |", rw);
	out_open_arr(o, "entries");
	for (unsigned k = 0; k < p->ncols; k++)
		out_hex(o, NULL, " %016llx", p->path[k], 16);
	out_close_arr(o);
	out_text(o, "\n");
	out_close_obj(o);
}

static const char *const state_keys[] = {
	[II_IOVA_UNKNOWN] = "unknown",
	[II_IOVA_UNMAPPED] = "unmapped",
	[II_IOVA_MAPPED] = "mapped",
	[II_IOVA_PASSTHROUGH] = "pass-through",
};

void render_lookup(struct ii_out *o, const struct ii_system *s, const char *bdf,
		   const struct ii_iova_info *in)
{
	char rw[3], note[160], sz[32];
	const char *n = ii_iova_note(in, 0, note, sizeof(note));

	out_open_obj(o, NULL);
	device_keys(o, s, bdf);
	out_hex(o, "iova", "  0x%llx: ", in->iova, 0);
	out_str(o, "state", NULL, state_keys[in->state]);
	switch (in->state) {
	case II_IOVA_MAPPED:
		rights(rw, in->read, in->write);
		out_text(o, "mapped %s to ", rw);
		break;
	case II_IOVA_UNMAPPED:
		out_text(o, "not mapped");
		break;
	case II_IOVA_PASSTHROUGH:
		out_text(o, "not translated: it reaches physical ");
		break;
	default:
		out_text(o, "unknown (%s)", in->why);
		break;
	}
	if ((in->state == II_IOVA_MAPPED || in->state == II_IOVA_PASSTHROUGH) && in->phys_known)
		out_hex(o, "phys", "0x%llx", in->phys, 0);
	else
		out_null(o, "phys", NULL);
	if (in->state == II_IOVA_MAPPED) {
		out_bool(o, "read", NULL, in->read);
		out_bool(o, "write", NULL, in->write);
		out_uint(o, "page_size", NULL, in->page_size);
		out_text(o, " (%s page", render_size(in->page_size, sz, sizeof(sz)));
		out_open_obj(o, "range");
		out_hex(o, "start", "; in the range 0x%llx", in->range.start, 0);
		out_hex(o, "end", "-0x%llx)", in->range.end, 0);
		out_close_obj(o);
	} else {
		out_null(o, "read", NULL);
		out_null(o, "write", NULL);
		out_null(o, "page_size", NULL);
		out_null(o, "range", NULL);
	}
	out_text(o, "\n");
	domain_keys(o, in->domain);
	if (in->resv) {
		out_open_obj(o, "reserved_region");
		out_hex(o, "start", NULL, in->resv->start, 0);
		out_hex(o, "end", NULL, in->resv->end, 0);
		out_str(o, "type", NULL, in->resv->type);
		out_close_obj(o);
	} else {
		out_null(o, "reserved_region", NULL);
	}
	out_bool(o, "rmrr", NULL, in->rmrr);
	out_str(o, "note", in->resv ? "\n  %s" : NULL, n);
	out_str(o, "why", NULL, in->state == II_IOVA_UNKNOWN ? in->why : NULL);
	out_text(o, "\n");
	out_close_obj(o);
}
