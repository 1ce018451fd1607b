// SPDX-License-Identifier: MIT
/*
 * The debugfs model over the recorded trees: src/model/model-domains.c (the
 * domains and their devices, from the context entries and the dumps),
 * model-pgtable-walk.c (statistics, ranges, callbacks, truncated dumps),
 * model-iova.c (lookups, the index, the faults' notes) and model-mappings.c
 * (what mappings shows, and why not). fixtures/intel-debugfs is a real 6.1
 * capture; the -synthetic ones come from tests/debugfs/mk-dumps.py.
 */
#include <stdlib.h>
#include <string.h>

#include "domains.h"
#include "faults.h"
#include "fixture.h"
#include "test.h"

#define BASE (II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_LOG | II_LOAD_SYSINFO)

struct fx {
	struct ii_root *root;
	struct ii_system s;
};

/* Load a fixture; false (and a failed check) when it cannot be opened. */
static bool fx_load(struct fx *f, const char *name, unsigned what)
{
	char path[4096], *err = NULL;

	memset(f, 0, sizeof(*f));
	if (!fx_path(name, path, sizeof(path))) {
		CHECK(!"fixtures/ not found");
		return false;
	}
	f->root = ii_root_open(path, &err);
	if (!f->root) {
		t_fail(__FILE__, __LINE__, "%s: %s", path, err ? err : "?");
		free(err);
		return false;
	}
	ii_system_load(&f->s, f->root, BASE | what, NULL);
	return true;
}

static void fx_free(struct fx *f)
{
	ii_system_free(&f->s);
	ii_root_close(f->root);
}

static struct ii_dbg_domain *by_did(struct ii_dbg *d, long did)
{
	for (size_t i = 0; d && i < d->ndomains; i++)
		if (d->domains[i]->did == did)
			return d->domains[i];
	return NULL;
}

static bool has_warning(const struct ii_system *s, const char *part)
{
	for (size_t i = 0; i < s->diags.warnings.n; i++)
		if (strstr(s->diags.warnings.v[i], part))
			return true;
	return false;
}

/* ------------------------------------------------------------ domains */

TEST(dbg_domains_capture)
{
	struct fx f;
	struct ii_dbg *d;
	struct ii_dbg_domain *dom;

	if (!fx_load(&f, "intel-debugfs", II_LOAD_DBG_WALK))
		return;
	d = f.s.dbg;
	CHECK(d != NULL);
	if (!d)
		goto out;
	CHECK_INT(d->fs.state, II_DBG_OK);
	CHECK_INT(d->fs.vendor, II_VENDOR_INTEL);
	CHECK_INT(d->layout, II_DTS_GLOBAL);
	CHECK(d->ctx_read && d->have_dts && d->walked && !d->indexed);
	CHECK_INT(d->fs.unreadable, 0);
	CHECK_INT(f.s.diags.warnings.n, 0);
	/* domain ids 2 to 17 on dmar0, sorted */
	CHECK_INT(d->ndomains, 16);
	CHECK_INT(d->domains[0]->did, 2);
	CHECK_INT(d->domains[d->ndomains - 1]->did, 17);
	CHECK_STR(d->domains[0]->unit, "dmar0");

	/* the SATA/SMBus group's domain: three devices, 4234 pages in 7 ranges */
	dom = by_did(d, 11);
	CHECK(dom != NULL);
	if (dom) {
		CHECK_INT(dom->translation, II_TT_SECOND_LEVEL);
		CHECK_INT(dom->mode, II_DM_LEGACY);
		CHECK_INT(dom->aw_bits, 39);
		CHECK_INT(dom->levels, 3);
		CHECK(dom->has_pgd);
		CHECK_U64(dom->pgd, 0x1f65000);
		CHECK_INT(dom->ndevs, 3);
		CHECK_STR(dom->devs[0].name, "0000:00:1f.0");
		CHECK_STR(dom->devs[2].name, "0000:00:1f.3");
		CHECK(dom->devs[2].dev != NULL && dom->devs[2].group != NULL &&
		      dom->devs[2].group->id == 9);
		CHECK(dom->dumped && !dom->truncated);
		CHECK_U64(dom->pages_4k, 4234);
		CHECK_U64(dom->bytes, 4234ULL * 4096);
		CHECK_U64(dom->nranges, 7);
		CHECK_U64(dom->pages_2m + dom->pages_1g, 0);
		CHECK(dom->nkept == 0); /* statistics only: no ranges kept */
	}
	/* a bridge's group: the bridge's DMA alias 06:00.0 has no PCI device */
	dom = by_did(d, 16);
	CHECK(dom != NULL);
	if (dom) {
		CHECK_INT(dom->ndevs, 4);
		CHECK_STR(dom->devs[1].name, "0000:06:00.0");
		CHECK(dom->devs[1].dev == NULL);
		CHECK(dom->devs[1].from_ctx);
		CHECK_U64(dom->nranges, 77);
		CHECK_U64(dom->bytes, 348ULL * 4096);
	}
	dom = by_did(d, 17);
	CHECK(dom && dom->dumped && dom->leaves == 0 && dom->bytes == 0);
	/* lookups by device */
	CHECK(ii_dbg_domain_of(d, "0000:01:00.0") == by_did(d, 12));
	CHECK(ii_dbg_domain_of(d, "0000:06:02.0") == by_did(d, 16));
	CHECK(ii_dbg_domain_of(d, "0000:99:00.0") == NULL);
	CHECK(!ii_dbg_partly_read(&f.s));
out:
	fx_free(&f);
}

TEST(dbg_domains_per_device_layout)
{
	struct fx f;
	struct ii_dbg *d;
	struct ii_dbg_domain *dom;

	if (!fx_load(&f, "intel-debugfs-v6.8-synthetic", II_LOAD_DBG_WALK))
		return;
	d = f.s.dbg;
	CHECK_INT(d->fs.state, II_DBG_OK);
	CHECK_INT(d->layout, II_DTS_PER_DEVICE);
	CHECK(d->dts_files.n > 1);
	/* an identity domain: nothing to dump */
	dom = by_did(d, 1);
	CHECK(dom != NULL);
	if (dom) {
		CHECK_INT(dom->translation, II_TT_PASSTHROUGH);
		CHECK_STR(ii_dbg_tt_key(dom->translation), "pass-through");
		CHECK_INT(dom->mode, II_DM_SCALABLE);
		CHECK(!dom->has_pgd && !dom->dumped);
		CHECK_INT(dom->ndevs, 1);
		CHECK_STR(dom->devs[0].name, "0000:04:00.0");
	}
	/* superpages: 3 of 4 KiB, 5 of 2 MiB, 1 of 1 GiB in 4 ranges */
	dom = by_did(d, 13);
	CHECK(dom != NULL);
	if (dom) {
		CHECK_U64(dom->pages_4k, 3);
		CHECK_U64(dom->pages_2m, 5);
		CHECK_U64(dom->pages_1g, 1);
		CHECK_U64(dom->nranges, 4);
		CHECK_U64(dom->bytes, 3 * 4096ULL + 5 * (2ULL << 20) + (1ULL << 30));
		CHECK_INT(dom->levels, 4);
	}
	/* a PASID's first-level domain, from the 6.7+ per-PASID file */
	dom = by_did(d, 40);
	CHECK(dom != NULL);
	if (dom) {
		CHECK_INT(dom->translation, II_TT_FIRST_LEVEL);
		CHECK_INT(dom->ndevs, 1);
		CHECK_STR(dom->devs[0].name, "0000:02:00.0");
		CHECK_INT(dom->devs[0].pasid, 1);
		CHECK_U64(dom->pages_4k, 6);
		CHECK_U64(dom->nranges, 2);
	}
	/* requests without PASID go to domain 13, not to the PASID's 40 */
	CHECK(ii_dbg_domain_of(d, "0000:02:00.0") == by_did(d, 13));
	fx_free(&f);
}

TEST(dbg_domains_truncated_dump_warns)
{
	struct fx f;
	size_t truncated = 0;

	if (!fx_load(&f, "intel-debugfs-v5.10-synthetic", II_LOAD_DBG_WALK))
		return;
	CHECK(has_warning(&f.s, "ends in the middle of line 979"));
	for (size_t i = 0; i < f.s.dbg->ndomains; i++)
		truncated += f.s.dbg->domains[i]->truncated;
	CHECK(truncated >= 1);
	/* without the walk, the dump is not read: nothing to say about it */
	fx_free(&f);
	if (!fx_load(&f, "intel-debugfs-v5.10-synthetic", II_LOAD_DBG_DOMAINS))
		return;
	CHECK(!has_warning(&f.s, "ends in the middle"));
	CHECK(!f.s.dbg->walked);
	for (size_t i = 0; i < f.s.dbg->ndomains; i++)
		CHECK(!f.s.dbg->domains[i]->dumped);
	fx_free(&f);
}

TEST(dbg_domains_amd_device_table_entry)
{
	struct fx f;
	struct ii_dbg_domain *dom;

	if (!fx_load(&f, "amd-debugfs-v7.2-synthetic", II_LOAD_DBG_WALK))
		return;
	CHECK_INT(f.s.dbg->fs.vendor, II_VENDOR_AMD);
	CHECK_INT(f.s.dbg->ndomains, 1);
	dom = f.s.dbg->ndomains ? f.s.dbg->domains[0] : NULL;
	if (dom) {
		CHECK_STR(dom->unit, "ivhd0");
		CHECK_INT(dom->did, 5);
		CHECK_INT(dom->translation, II_TT_HOST);
		CHECK_INT(dom->mode, II_DM_UNKNOWN);
		CHECK_INT(dom->levels, 3);
		CHECK_INT(dom->aw_bits, 39);
		CHECK_U64(dom->pgd, 0x123456000);
		CHECK_STR(dom->devs[0].name, "0000:00:05.0");
		CHECK(!dom->dumped);
	}
	CHECK_INT(ii_mappings_unavailable(&f.s), II_WHY_AMD_NO_TABLES);
	fx_free(&f);
}

TEST(dbg_domains_without_debugfs)
{
	struct fx f;

	if (!fx_load(&f, "intel-q35", II_LOAD_DBG_WALK))
		return;
	CHECK(f.s.dbg->fs.state != II_DBG_OK);
	CHECK_INT(f.s.dbg->ndomains, 0);
	CHECK(f.s.dbg->fs.why && strstr(f.s.dbg->fs.why, "CONFIG_IOMMU_DEBUGFS"));
	/* why debugfs is missing is the command's to say, not a warning */
	CHECK_INT(f.s.diags.warnings.n, 0);
	CHECK_INT(ii_mappings_unavailable(&f.s), II_WHY_DEBUGFS);
	CHECK(ii_dbg_why_text(f.s.dbg, II_WHY_DEBUGFS) == f.s.dbg->fs.why);
	CHECK_STR(ii_dbg_why_text(NULL, II_WHY_NO_DEVICE), "no such PCI device");
	CHECK(ii_dbg_why_text(NULL, II_WHY_NONE) == NULL);
	fx_free(&f);
}

/* --------------------------------------------------------------- walk */

struct counts {
	size_t wanted, leaves, ranges, done;
	uint64_t pgd;
};

static bool want_one(void *ctx, struct ii_dbg_domain *dom)
{
	struct counts *c = ctx;

	if (dom->pgd != c->pgd)
		return false;
	c->wanted++;
	return true;
}

static void count_leaf(void *ctx, struct ii_dbg_domain *dom, const struct ii_pte *p)
{
	struct counts *c = ctx;

	(void)dom;
	(void)p;
	c->leaves++;
}

static void count_range(void *ctx, struct ii_dbg_domain *dom, const struct ii_range *r)
{
	struct counts *c = ctx;

	(void)dom;
	(void)r;
	c->ranges++;
}

static void count_done(void *ctx, struct ii_dbg_domain *dom)
{
	struct counts *c = ctx;

	(void)dom;
	c->done++;
}

TEST(dbg_walk_callbacks_and_kept_ranges)
{
	struct fx f;
	struct ii_dbg *d;
	struct ii_dbg_domain *dom;
	struct counts c = { .pgd = 0x1f65000 };
	struct ii_dbg_walk w = { .want = want_one, .leaf = count_leaf, .range = count_range,
				 .done = count_done, .ctx = &c, .keep_ranges = true };

	if (!fx_load(&f, "intel-debugfs", II_LOAD_DBG_DOMAINS))
		return;
	d = f.s.dbg;
	CHECK_INT(ii_dbg_walk(&f.s, d, &w), 0);
	/* the group's domain is dumped once per member (6.1): read the first time only */
	CHECK_INT(c.wanted, 1);
	CHECK_INT(c.done, 1);
	CHECK_INT(c.leaves, 4234);
	CHECK_INT(c.ranges, 7);
	dom = by_did(d, 11);
	CHECK(dom && dom->dumped && dom->nkept == 7);
	if (dom && dom->nkept == 7) {
		CHECK_U64(dom->ranges[0].start, 0);
		CHECK_U64(dom->ranges[0].end, 0xffffff);
		CHECK(dom->ranges[0].phys_contig);
		CHECK_U64(dom->ranges[6].start, 0xfffe0000);
		CHECK(!dom->ranges[6].phys_contig);
	}
	/* blocks nobody wants are skipped: not dumped, nothing kept */
	dom = by_did(d, 12);
	CHECK(dom && !dom->dumped && dom->nkept == 0);
	/* the index keeps every domain's ranges */
	CHECK_INT(ii_dbg_index(&f.s, d), 0);
	CHECK(d->indexed);
	dom = by_did(d, 12);
	CHECK(dom && dom->nkept == 2);
	if (dom && dom->nkept == 2) {
		CHECK_U64(dom->ranges[1].start, 0xfffff000);
		CHECK_U64(dom->ranges[1].phys, 0x2a23000);
		CHECK(dom->ranges[1].read && dom->ranges[1].write);
	}
	fx_free(&f);
}

/* ------------------------------------------------------------- lookups */

TEST(dbg_lookup_many_one_pass)
{
	struct fx f;
	struct ii_iova_query q[] = {
		{ "0000:01:00.0", 0xfff00123 }, /* mapped */
		{ "0000:00:1f.2", 0xfff00123 }, /* its domain maps no such address */
		{ "0000:99:00.0", 0x1000 },     /* no such device */
		{ "03:00.0", 0xfff00123 },      /* a short address */
		{ "0000:00:1f.3", 0xfee00010 }, /* the MSI window */
	};
	struct ii_iova_info in[II_ARRAY_SIZE(q)];

	if (!fx_load(&f, "intel-debugfs", II_LOAD_DBG_DOMAINS))
		return;
	ii_dbg_lookup_many(&f.s, f.s.dbg, q, II_ARRAY_SIZE(q), in);
	CHECK_INT(in[0].state, II_IOVA_MAPPED);
	CHECK(in[0].phys_known);
	CHECK_U64(in[0].phys, 0x2bd5123);
	CHECK_U64(in[0].page_size, 4096);
	CHECK(in[0].read && in[0].write);
	CHECK_U64(in[0].range.start, 0xffefd000);
	CHECK_U64(in[0].range.end, 0xffffdfff);
	CHECK(in[0].domain && in[0].domain->did == 12);
	CHECK(in[0].dev && !strcmp(in[0].dev->name, "0000:01:00.0"));
	CHECK_INT(in[1].state, II_IOVA_UNMAPPED);
	CHECK(in[1].domain && in[1].domain->did == 11);
	CHECK_INT(in[2].state, II_IOVA_UNKNOWN);
	CHECK_INT(in[2].reason, II_WHY_NO_DEVICE);
	CHECK_STR(in[2].why, "no such PCI device");
	CHECK_INT(in[3].state, II_IOVA_MAPPED);
	CHECK_U64(in[3].phys, 0x2ac4123);
	CHECK_INT(in[4].state, II_IOVA_UNMAPPED);
	CHECK(in[4].resv && !in[4].rmrr);
	if (in[4].resv) {
		CHECK_U64(in[4].resv->start, 0xfee00000);
		CHECK_STR(in[4].resv->type, "msi");
	}
	CHECK_STR(ii_iova_state_key(in[4].state), "unmapped");
	fx_free(&f);
}

TEST(dbg_lookup_passthrough_and_no_debugfs)
{
	struct fx f;
	struct ii_iova_info in;
	uint64_t iova = 0x80123456;

	if (!fx_load(&f, "intel-debugfs-v6.8-synthetic", II_LOAD_DBG_DOMAINS))
		return;
	ii_dbg_lookup(&f.s, f.s.dbg, "0000:04:00.0", &iova, 1, &in);
	CHECK_INT(in.state, II_IOVA_PASSTHROUGH);
	CHECK(in.phys_known && in.phys == iova);
	/* a 1 GiB page of 02:00.0 */
	ii_dbg_lookup(&f.s, f.s.dbg, "0000:02:00.0", &iova, 1, &in);
	CHECK_INT(in.state, II_IOVA_MAPPED);
	CHECK_U64(in.page_size, 1ULL << 30);
	CHECK_U64(in.phys, 0x100123456);
	CHECK_U64(in.range.start, 0x80000000);
	CHECK_U64(in.range.end, 0xbfffffff);
	fx_free(&f);

	/* no debugfs at all: the reserved regions still answer, the rest is unknown */
	if (!fx_load(&f, "intel-q35", II_LOAD_DBG_DOMAINS))
		return;
	iova = 0xfee00010;
	ii_dbg_lookup(&f.s, f.s.dbg, "0000:00:05.0", &iova, 1, &in);
	CHECK_INT(in.state, II_IOVA_UNKNOWN);
	CHECK_INT(in.reason, II_WHY_DEBUGFS);
	CHECK(in.why == f.s.dbg->fs.why);
	CHECK(in.resv != NULL);
	ii_dbg_lookup(&f.s, NULL, "0000:00:05.0", &iova, 1, &in);
	CHECK_INT(in.reason, II_WHY_NOT_READ);
	fx_free(&f);
}

TEST(dbg_lookup_indexed_and_fault_notes)
{
	struct fx f;
	struct ii_iova_info in;
	struct ii_fault flt;

	if (!fx_load(&f, "intel-debugfs", II_LOAD_DBG_RANGES))
		return;
	CHECK(f.s.dbg->indexed && f.s.dbg->walked);
	/* inside a scattered range: mapped, but the physical address is not kept */
	ii_dbg_lookup_indexed(&f.s, f.s.dbg, "0000:01:00.0", 0xfff00123, &in);
	CHECK_INT(in.state, II_IOVA_MAPPED);
	CHECK(!in.phys_known);
	CHECK_U64(in.range.start, 0xffefd000);
	/* inside a contiguous one: known */
	ii_dbg_lookup_indexed(&f.s, f.s.dbg, "0000:01:00.0", 0xfffff010, &in);
	CHECK_INT(in.state, II_IOVA_MAPPED);
	CHECK(in.phys_known);
	CHECK_U64(in.phys, 0x2a23010);
	/* between two ranges */
	ii_dbg_lookup_indexed(&f.s, f.s.dbg, "0000:01:00.0", 0xffffe000, &in);
	CHECK_INT(in.state, II_IOVA_UNMAPPED);

	/* the faults' notes use the loaded index */
	memset(&flt, 0, sizeof(flt));
	flt.kind = II_FK_DMA;
	flt.has_bdf = flt.has_addr = true;
	ii_parse_bdf("0000:00:1f.2", &flt.bdf);
	flt.addr = 0xfff00000;
	flt.access = II_ACC_WRITE;
	ii_fault_note(&f.s, &flt);
	CHECK_STR(flt.annotation, "unmapped");
	memset(flt.annotation, 0, sizeof(flt.annotation));
	ii_parse_bdf("0000:01:00.0", &flt.bdf);
	flt.addr = 0xfff00000;
	ii_fault_note(&f.s, &flt);
	CHECK_STR(flt.annotation, "mapped read/write");
	/* a fault with a PASID is not about these tables */
	memset(flt.annotation, 0, sizeof(flt.annotation));
	flt.has_pasid = true;
	flt.pasid = 3;
	ii_fault_note(&f.s, &flt);
	CHECK_STR(flt.annotation, "");
	fx_free(&f);
}

/* ------------------------------------------------------------ mappings */

struct seen {
	size_t begun, ranges, ended, none;
	const char *first_bdf;
	char first[16];
	size_t others;
	enum ii_dbg_why why;
	uint64_t bytes;
};

static void v_begin(void *ctx, const struct ii_mapping *m)
{
	struct seen *x = ctx;

	if (!x->begun++) {
		snprintf(x->first, sizeof(x->first), "%s", m->bdf);
		x->others = m->others.n;
	}
}

static void v_range(void *ctx, const struct ii_mapping *m, const struct ii_range *r)
{
	struct seen *x = ctx;

	(void)m;
	x->ranges++;
	x->bytes += r->end - r->start + 1;
}

static void v_end(void *ctx, const struct ii_mapping *m)
{
	struct seen *x = ctx;

	(void)m;
	x->ended++;
}

static void v_none(void *ctx, const struct ii_mapping *m)
{
	struct seen *x = ctx;

	x->none++;
	x->why = m->why;
}

static void visit(struct ii_system *s, const struct ii_map_sel *sel, struct seen *x,
		  struct ii_map_result *res)
{
	struct ii_map_visit v = { .begin = v_begin, .range = v_range, .end = v_end, .none = v_none,
				  .ctx = x };

	memset(x, 0, sizeof(*x));
	ii_mappings_visit(s, sel, false, &v, res);
}

TEST(dbg_mappings_selection)
{
	struct fx f;
	struct seen x;
	struct ii_map_result res;
	const char bdfs[][II_BDF_MAX] = { "0000:01:00.0", "0000:99:00.0" };
	struct ii_map_sel sel = { .bdfs = bdfs, .nbdfs = 2 };
	struct ii_map_lookups l;

	if (!fx_load(&f, "intel-debugfs", II_LOAD_DBG_DOMAINS))
		return;
	CHECK_INT(ii_mappings_unavailable(&f.s), II_WHY_NONE);
	/* a device with ranges, and one that does not exist */
	visit(&f.s, &sel, &x, &res);
	CHECK_INT(res.shown, 1);
	CHECK_INT(res.errors, 1);
	CHECK_INT(res.empty, II_WHY_NONE);
	CHECK_INT(x.begun, 1);
	CHECK_INT(x.ranges, 2);
	CHECK_U64(x.bytes, 258ULL * 4096);
	CHECK_INT(x.none, 1);
	CHECK_INT(x.why, II_WHY_NO_DEVICE);
	/* --domain 16: under the device its dump names, with the three others it serves */
	sel = (struct ii_map_sel){ .by_domain = true, .did = 16 };
	visit(&f.s, &sel, &x, &res);
	CHECK_INT(res.shown, 1);
	CHECK_INT(x.ranges, 77);
	CHECK_STR(x.first, "0000:05:00.0");
	CHECK_INT(x.others, 3);
	/* --domain dmar1:16: no such unit */
	snprintf(sel.unit, sizeof(sel.unit), "dmar1");
	visit(&f.s, &sel, &x, &res);
	CHECK_INT(res.shown, 0);
	CHECK_INT(res.empty, II_WHY_NO_SUCH_DOMAIN);
	/* every domain: 16 of them, each as its dump streams by */
	sel = (struct ii_map_sel){ 0 };
	visit(&f.s, &sel, &x, &res);
	CHECK_INT(x.begun, 16);
	CHECK_INT(x.ended, 16);
	/* --at over every domain with a page table: one lookup each */
	ii_mappings_lookup(&f.s, &sel, 0x1000, &l);
	CHECK_INT(l.n, 16);
	CHECK_INT(l.errors, 0);
	CHECK_INT(l.empty, II_WHY_NONE);
	CHECK_STR(l.q[0].bdf, "0000:00:00.0");
	CHECK_INT(l.info[0].state, II_IOVA_UNMAPPED);
	ii_map_lookups_free(&l);
	fx_free(&f);
}

TEST(dbg_mappings_passthrough_device)
{
	struct fx f;
	struct seen x;
	struct ii_map_result res;
	const char bdfs[][II_BDF_MAX] = { "0000:04:00.0" };
	struct ii_map_sel sel = { .bdfs = bdfs, .nbdfs = 1 };

	if (!fx_load(&f, "intel-debugfs-v6.8-synthetic", II_LOAD_DBG_DOMAINS))
		return;
	visit(&f.s, &sel, &x, &res);
	CHECK_INT(res.shown, 1);
	CHECK_INT(res.errors, 0);
	CHECK_INT(x.none, 1);
	CHECK_INT(x.why, II_WHY_PASSTHROUGH);
	CHECK_INT(x.begun, 0);
	fx_free(&f);
}
