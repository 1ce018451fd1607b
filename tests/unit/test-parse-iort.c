// SPDX-License-Identifier: MIT
/* src/parse/parse-iort.c, parse-viot.c, parse-dt.c: the Arm and virtio-iommu tables (§8.3-8.5). */
#include <errno.h>
#include <stdlib.h>

#include "acpi-fixture.h"
#include "dt.h"
#include "iort.h"

#define IORT_ALL "acpi/good/iort-all.dat"
#define IORT_V0 "acpi/good/iort-v0.dat"
#define VIOT_ALL "acpi/good/viot-all.dat"

TEST(iort_good_all)
{
	static const uint8_t types[] = { 0, 4, 3, 2, 1, 5, 6 };
	struct ii_iort t;
	struct ii_iort_path p;
	size_t len;
	uint8_t *buf = acpi_table(IORT_ALL, &len);
	const struct ii_iort_node *n;

	if (!buf)
		return;
	CHECK_INT(ii_parse_iort(buf, len, &t), 0);
	CHECK_INT(t.warnings.n, 0);
	CHECK_INT(t.n, 7);
	for (size_t i = 0; i < t.n && i < 7; i++)
		CHECK_INT(t.nodes[i].type, types[i]);
	/* ITS group: two ITSs */
	CHECK_INT(t.nodes[0].nits, 2);
	CHECK_INT(t.nodes[0].its_ids[1], 1);
	/* SMMUv3: MSI-signalled, so its device ID mapping index is used and its mapping special */
	n = &t.nodes[1];
	CHECK_U64(n->base, 0x09050000);
	CHECK(n->cohacc_override && n->pxm_valid && (n->have & II_IN_PXM));
	CHECK_INT(n->pxm, 1);
	CHECK(n->id_index_used);
	CHECK(!n->maps[0].special && n->maps[1].special && n->maps[1].single);
	CHECK_U64(n->maps[0].ids, 0x30000);
	/* SMMUv2: global, context and PMU interrupts */
	n = &t.nodes[2];
	CHECK(n->have_global && n->nsg_irpt.edge && !n->nsg_cfg_irpt.edge);
	CHECK_INT(n->nctx, 2);
	CHECK_INT(n->npmu, 1);
	CHECK_INT(n->ctx_irqs[1].gsiv, 0x41);
	CHECK(n->dvm && n->coherent_walk);
	CHECK_STR(ii_iort_smmu_model(n->type, n->model), "Arm CoreLink MMU-500");
	/* root complex: ATS, PRI, PASID forwarding, 20-bit PASID, 48-bit limit */
	n = &t.nodes[3];
	CHECK(n->ats && n->pri && n->pasid_fwd && (n->have & II_IN_PASID));
	CHECK_INT(n->pasid_max_width, 20);
	CHECK_INT(n->mem_addr_limit, 48);
	CHECK(n->coherent && n->mf_cpm && n->mf_dacs);
	/* named component */
	n = &t.nodes[4];
	CHECK_STR(n->device_name, "\\_SB.ETH0");
	CHECK(n->stall_supported);
	CHECK_INT(n->nc_pasid_bits, 16);
	/* PMCG: counts for the SMMUv3 */
	CHECK_INT(t.nodes[5].ref_node, 1);
	CHECK_U64(t.nodes[5].page1, 0x09070000);
	/* RMR: two ranges, remapping permitted, normal write-back */
	n = &t.nodes[6];
	CHECK_INT(n->nrmr, 2);
	CHECK(n->remap_permitted && !n->access_privileged);
	CHECK_STR(ii_iort_rmr_attr(n->access_attr), "normal-wb");
	CHECK_U64(n->rmrs[0].end, 0x3e0fffff);
	/* walks: RID 0x28 -> SID 0x28 -> ITS device 0x28; RID 0x100 straight to the ITS */
	ii_iort_walk(&t, 3, 0x28, 0, &p);
	CHECK_INT(p.end, II_IE_ITS);
	CHECK_INT(p.nhops, 3);
	CHECK_INT(p.hop[1].node, 1);
	CHECK_INT(p.hop[1].id, 0x28);
	CHECK_INT(p.hop[2].id, 0x28);
	ii_iort_walk(&t, 3, 0x100, 0, &p);
	CHECK_INT(p.nhops, 2);
	CHECK_INT(p.hop[1].id, 0x100);
	ii_iort_walk(&t, 3, 0x200, 0, &p);
	CHECK_INT(p.end, II_IE_NO_MAPPING);
	/* the named component's single mapping takes any ID */
	ii_iort_walk(&t, 4, 0x1234, 1u << II_IORT_SMMU_V3, &p);
	CHECK_INT(p.end, II_IE_STOP);
	CHECK_INT(p.hop[1].id, 0x20000);
	ii_iort_free(&t);
	free(buf);
}

TEST(iort_revision_0)
{
	struct ii_iort t;
	size_t len;
	uint8_t *buf = acpi_table(IORT_V0, &len);

	if (!buf)
		return;
	CHECK_INT(ii_parse_iort(buf, len, &t), 0);
	CHECK_INT(t.warnings.n, 0);
	CHECK_INT(t.n, 3);
	/* a revision 0 SMMUv3 has no proximity domain nor index; a revision 0 RC no limit */
	CHECK(!(t.nodes[1].have & II_IN_IDINDEX) && !t.nodes[1].id_index_used);
	CHECK(!(t.nodes[2].have & II_IN_MEMLIMIT));
	ii_iort_free(&t);
	free(buf);
}

/* The off-by-one of firmware that stores the count: the kernel gives the ID to the next range. */
TEST(iort_count_stored)
{
	struct ii_iort t;
	struct ii_iort_path p;
	size_t len;
	uint8_t *buf = acpi_table("acpi/bad/iort-map-count-stored.dat", &len);

	if (!buf)
		return;
	CHECK_INT(ii_parse_iort(buf, len, &t), 0);
	/* a note for `acpi`, not a warning every command would print */
	CHECK_INT(t.notes.n, 1);
	CHECK(t.notes.n && strstr(t.notes.v[0], "the number of IDs was stored"));
	for (size_t i = 0; i < t.warnings.n; i++)
		CHECK(!strstr(t.warnings.v[i], "the number of IDs was stored"));
	ii_iort_walk(&t, 3, 0x100, 0, &p);
	CHECK(p.workaround);
	CHECK_INT(p.nhops, 2); /* to the ITS by the second range, not the SMMU by the first */
	ii_iort_walk(&t, 3, 0xff, 0, &p);
	CHECK(!p.workaround);
	CHECK_INT(p.nhops, 3);
	ii_iort_free(&t);
	free(buf);
}

TEST(iort_loop_ends)
{
	struct ii_iort t;
	struct ii_iort_path p;
	size_t len;
	uint8_t *buf = acpi_table("acpi/bad/iort-loop.dat", &len);

	if (!buf)
		return;
	CHECK_INT(ii_parse_iort(buf, len, &t), 0);
	ii_iort_walk(&t, 3, 0x10, 0, &p);
	CHECK_INT(p.end, II_IE_LOOP);
	ii_iort_free(&t);
	free(buf);
}

#define TFAIL(...)                                            \
	do {                                                  \
		t_fail(__FILE__, __LINE__, __VA_ARGS__);      \
		bad++;                                        \
	} while (0)

/* A table cut at every byte: decoded without reading past the cut, and never silently. */
static void iort_every_truncation(const char *rel)
{
	size_t len;
	uint8_t *full = acpi_table(rel, &len);

	if (!full)
		return;
	for (size_t n = 0, bad = 0; n <= len && bad < 3; n++) {
		uint8_t *buf = malloc(n ? n : 1); /* exactly n bytes: ASan sees any overread */
		struct ii_iort t;
		int rc;

		memcpy(buf, full, n);
		rc = ii_parse_iort(buf, n, &t);
		if (n < 36) {
			if (rc != -EINVAL)
				TFAIL("%s cut at %zu: %d, not -EINVAL", rel, n, rc);
		} else if (rc != 0) {
			TFAIL("%s cut at %zu: %d", rel, n, rc);
		} else if (n < len && !has_warning(&t.warnings, "truncated")) {
			TFAIL("%s cut at %zu: no 'truncated' warning", rel, n);
		} else if (n == len && t.warnings.n) {
			TFAIL("%s whole: warning %s", rel, t.warnings.v[0]);
		}
		for (size_t i = 0; i < t.n; i++) {
			struct ii_iort_path p;

			if (t.nodes[i].offset + t.nodes[i].avail > n)
				TFAIL("%s cut at %zu: node %zu past the cut", rel, n, i);
			for (size_t k = 0; k < t.nodes[i].nmaps; k++)
				if (t.nodes[i].maps[k].offset + 20 > n)
					TFAIL("%s cut at %zu: mapping past the cut", rel, n);
			ii_iort_walk(&t, i, 0x8, 0, &p);
		}
		ii_iort_free(&t);
		free(buf);
	}
	free(full);
}

static void viot_every_truncation(const char *rel)
{
	size_t len;
	uint8_t *full = acpi_table(rel, &len);

	if (!full)
		return;
	for (size_t n = 0, bad = 0; n <= len && bad < 3; n++) {
		uint8_t *buf = malloc(n ? n : 1);
		struct ii_viot v;
		int rc;

		memcpy(buf, full, n);
		rc = ii_parse_viot(buf, n, &v);
		if (n < 36) {
			if (rc != -EINVAL)
				TFAIL("%s cut at %zu: %d, not -EINVAL", rel, n, rc);
		} else if (rc != 0) {
			TFAIL("%s cut at %zu: %d", rel, n, rc);
		} else if (n < len && !has_warning(&v.warnings, "truncated")) {
			TFAIL("%s cut at %zu: no 'truncated' warning", rel, n);
		} else if (n == len && v.warnings.n) {
			TFAIL("%s whole: warning %s", rel, v.warnings.v[0]);
		}
		for (size_t i = 0; i < v.n; i++)
			if (v.nodes[i].offset + v.nodes[i].avail > n)
				TFAIL("%s cut at %zu: node %zu past the cut", rel, n, i);
		ii_viot_free(&v);
		free(buf);
	}
	free(full);
}

TEST(iort_viot_every_truncation)
{
	iort_every_truncation(IORT_ALL);
	iort_every_truncation(IORT_V0);
	viot_every_truncation(VIOT_ALL);
}

static void bad_set(const char *prefix, bool iort)
{
	struct bad_case c[64];
	size_t n = bad_cases(prefix, c, 64);

	CHECK(n >= 10);
	for (size_t i = 0; i < n; i++) {
		struct strlist *w;
		struct ii_iort t;
		struct ii_viot v;
		char rel[96];
		size_t len;
		uint8_t *buf;
		int rc;

		snprintf(rel, sizeof(rel), "acpi/bad/%.63s", c[i].name);
		buf = acpi_table(rel, &len);
		if (!buf)
			continue;
		rc = iort ? ii_parse_iort(buf, len, &t) : ii_parse_viot(buf, len, &v);
		w = iort ? &t.warnings : &v.warnings;
		if (c[i].rc ? rc != -EINVAL : rc != 0)
			t_fail(__FILE__, __LINE__, "%s: returned %d", c[i].name, rc);
		else if (!c[i].rc && !has_warning(w, c[i].text) &&
			 !(iort && has_warning(&t.notes, c[i].text)))
			t_fail(__FILE__, __LINE__, "%s: no warning with \"%s\" (%zu warnings%s%s)",
			       c[i].name, c[i].text, w->n, w->n ? ", first: " : "",
			       w->n ? w->v[0] : "");
		if (iort)
			ii_iort_free(&t);
		else
			ii_viot_free(&v);
		free(buf);
	}
}

TEST(iort_bad_set)
{
	bad_set("iort-", true);
}

TEST(viot_bad_set)
{
	bad_set("viot-", false);
}

TEST(viot_good_all)
{
	struct ii_viot v;
	size_t len;
	uint8_t *buf = acpi_table(VIOT_ALL, &len);
	uint32_t ep;

	if (!buf)
		return;
	CHECK_INT(ii_parse_viot(buf, len, &v), 0);
	CHECK_INT(v.warnings.n, 0);
	CHECK_INT(v.n, 4);
	CHECK_INT(v.nodes[0].target, 2);
	CHECK_INT(v.nodes[1].target, 3);
	CHECK_INT(v.nodes[2].iommu_bdf.dev, 3);
	CHECK(ii_viot_endpoint(&v.nodes[0], 0, 0x0028, &ep));
	CHECK_INT(ep, 0x28);
	CHECK(!ii_viot_endpoint(&v.nodes[0], 0, 0x0100, &ep));
	CHECK(!ii_viot_endpoint(&v.nodes[0], 1, 0x0028, &ep));
	ii_viot_free(&v);
	free(buf);
}

TEST(dt_cells)
{
	/* iommu-map = <0x0 &smmu 0x0 0x10000>, plus two stray bytes */
	static const uint8_t map[] = { 0, 0, 0, 0, 0, 0, 0, 0x8, 0, 0, 0, 0, 0, 1, 0, 0, 0xaa, 0xbb };
	static const uint8_t reg2[] = { 0, 0, 0, 0, 0x09, 0x05, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0 };
	struct ii_dt_map *m;
	struct ii_dt_ref *r;
	const char *why;
	uint32_t ph = 0, out = 0; /* a CHECK that fails goes on: read either way */
	uint64_t base;

	CHECK_INT(ii_dt_parse_map(map, sizeof(map), &m, &why), 1);
	CHECK(why != NULL);
	CHECK(ii_dt_map_id(m, 1, 0xffffffff, 0x28, &ph, &out));
	CHECK_INT(ph, 8);
	CHECK_INT(out, 0x28);
	CHECK(!ii_dt_map_id(m, 1, 0xffffffff, 0x10000, &ph, &out));
	/* a mask: the domain bits cleared first */
	CHECK(ii_dt_map_id(m, 1, 0xffff, 0x10028, &ph, &out));
	free(m);
	CHECK_INT(ii_dt_parse_iommus(map, 16, 1, &r, &why), 2);
	CHECK(why == NULL);
	CHECK_INT(r[1].phandle, 0);
	CHECK_INT(r[0].arg, 8);
	free(r);
	CHECK(ii_dt_parse_reg(reg2, sizeof(reg2), 2, &base));
	CHECK_U64(base, 0x09050000);
	CHECK(!ii_dt_parse_reg(reg2, 4, 2, &base));
}
