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
static void device_keys(struct ii_out *o, const char *bdf, const struct ii_device *dev)
{
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

static void mapping_begin(void *ctx, const struct ii_mapping *m)
{
	struct render_map *rm = ctx;
	struct ii_out *o = rm->o;

	out_open_obj(o, NULL);
	if (rm->shown++)
		out_text(o, "\n");
	device_keys(o, m->bdf, m->dev);
	if (m->pasid >= 0)
		out_uint(o, "pasid", "  pasid %#llx", (unsigned long long)m->pasid);
	else
		out_null(o, "pasid", NULL);
	domain_keys(o, m->dom);
	out_text(o, "\n");
	out_open_arr(o, "devices");
	for (size_t i = 0; i < m->devices.n; i++)
		out_str(o, NULL, NULL, m->devices.v[i]);
	out_close_arr(o);
	if (m->others.n) {
		char *all = sl_join(&m->others, " ");
		out_text(o, "  the same domain serves: %s\n", all);
		free(all);
	}
	out_open_arr(o, "ranges");
	out_text(o, "  %-18s  %-18s  %-10s  %-6s  %-4s  %s\n", "start", "end", "size", "rights", "page",
		 "physical");
}

static void mapping_range(void *ctx, const struct ii_mapping *m, const struct ii_range *r)
{
	struct ii_out *o = ((struct render_map *)ctx)->o;
	char rw[3], sz[32];

	(void)m;
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

static void mapping_end(void *ctx, const struct ii_mapping *m)
{
	struct ii_out *o = ((struct render_map *)ctx)->o;
	const struct ii_dbg_domain *dom = m->dom;
	char sz[32];

	out_close_arr(o);
	out_bool(o, "truncated", NULL, dom->truncated);
	out_text(o, "  %llu range%s, %s mapped%s\n", (unsigned long long)dom->nranges,
		 dom->nranges == 1 ? "" : "s", render_size(dom->bytes, sz, sizeof(sz)),
		 dom->truncated ? " (the dump was cut short: there may be more)" : "");
	out_close_obj(o);
}

/* A device with nothing to list: pass-through ("ranges": null), or an error. */
static void mapping_none(void *ctx, const struct ii_mapping *m)
{
	struct render_map *rm = ctx;
	struct ii_out *o = rm->o;
	const struct ii_dbg_domain *dom = m->dom;

	if (m->why != II_WHY_PASSTHROUGH) {
		out_error(o, "%s: %s", m->bdf, ii_dbg_why_text(rm->dbg, m->why));
		return;
	}
	out_open_obj(o, NULL);
	if (rm->shown++)
		out_text(o, "\n");
	device_keys(o, m->bdf, m->dev);
	out_null(o, "pasid", NULL);
	domain_keys(o, dom);
	if (!dom || dom->translation == II_TT_UNKNOWN)
		out_text(o, "  pass-through");
	out_text(o, "\n  %s\n", ii_dbg_why_text(rm->dbg, m->why));
	out_open_arr(o, "devices");
	for (size_t i = 0; dom && i < dom->ndevs; i++)
		if (dom->devs[i].pasid < 0)
			out_str(o, NULL, NULL, dom->devs[i].name);
	out_close_arr(o);
	out_null(o, "ranges", NULL);
	out_bool(o, "truncated", NULL, false);
	out_close_obj(o);
}

/* --raw: a line that names the domain, then its entries. */
static void pte_begin(void *ctx, const struct ii_mapping *m)
{
	struct render_map *rm = ctx;

	out_text(rm->o, "%s%s  %s domain %ld, page table at 0x%llx\n", rm->shown++ ? "\n" : "",
		 m->bdf, m->dom->unit, m->dom->did, (unsigned long long)m->dom->pgd);
}

static void pte(void *ctx, const struct ii_mapping *m, const struct ii_pte *p)
{
	struct ii_out *o = ((struct render_map *)ctx)->o;
	const struct ii_dbg_domain *dom = m->dom;
	const char *bdf = m->bdf;
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

static void lookup(struct ii_out *o, const char *bdf, const struct ii_iova_info *in)
{
	char rw[3], note[160], sz[32];
	const char *n = ii_iova_note(in, 0, note, sizeof(note));

	out_open_obj(o, NULL);
	device_keys(o, bdf, in->dev);
	out_hex(o, "iova", "  0x%llx: ", in->iova, 0);
	out_str(o, "state", NULL, ii_iova_state_key(in->state));
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

void render_lookups(struct ii_out *o, const struct ii_map_lookups *l)
{
	out_open_arr(o, "lookups");
	for (size_t i = 0; i < l->n; i++) {
		const struct ii_iova_info *in = &l->info[i];

		if (in->state == II_IOVA_UNKNOWN && in->reason == II_WHY_NO_DEVICE)
			out_error(o, "%s: %s", l->q[i].bdf, in->why);
		else
			lookup(o, l->q[i].bdf, in);
	}
	out_close_arr(o);
}

void render_mappings_begin(struct render_map *rm, struct ii_out *o, const struct ii_system *s,
			   bool raw)
{
	memset(rm, 0, sizeof(*rm));
	rm->o = o;
	rm->dbg = s->dbg;
	rm->visit.ctx = rm;
	if (raw) {
		rm->visit.begin = pte_begin;
		rm->visit.pte = pte;
	} else {
		rm->visit.begin = mapping_begin;
		rm->visit.range = mapping_range;
		rm->visit.end = mapping_end;
		rm->visit.none = mapping_none;
	}
	out_open_arr(o, raw ? "ptes" : "mappings");
}

void render_mappings_end(struct render_map *rm)
{
	out_close_arr(rm->o);
}

void render_mappings_unavailable(struct ii_out *o, const struct ii_system *s, const char *key,
				 enum ii_dbg_why why)
{
	out_open_arr(o, key);
	out_close_arr(o);
	out_error(o, "%s", ii_dbg_why_text(s->dbg, why));
}

void render_mappings_empty(struct ii_out *o, enum ii_dbg_why why, const char *domain_arg)
{
	if (why == II_WHY_NO_SUCH_DOMAIN)
		out_error(o, "--domain %s: %s", domain_arg, ii_dbg_why_text(NULL, why));
	else if (why == II_WHY_NOTHING_DUMPED)
		out_text(o, "No page-table dump in debugfs maps anything.\n");
}
