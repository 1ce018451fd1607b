// SPDX-License-Identifier: MIT
/*
 * src/parse-dbg-pgtable.c and src/parse-dbg-ranges.c: domain_translation_struct
 * lines in every layout (kernel-interfaces §2.4) and coalescing leaves into ranges.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "debugfs.h"
#include "fixture.h"
#include "test.h"

static enum ii_dl line(struct ii_dts *p, const char *s)
{
	return ii_dts_line(p, s, strlen(s));
}

/* A 5.10-6.6 row: "0x%013lx |" and five "\t0x%016llx". */
static char *row5(char *buf, size_t size, uint64_t pfn, const uint64_t c[5])
{
	snprintf(buf, size, "0x%013llx |\t0x%016llx\t0x%016llx\t0x%016llx\t0x%016llx\t0x%016llx",
		 (unsigned long long)pfn, (unsigned long long)c[0], (unsigned long long)c[1],
		 (unsigned long long)c[2], (unsigned long long)c[3], (unsigned long long)c[4]);
	return buf;
}

static struct ii_dts open_block(enum ii_dts_layout layout)
{
	struct ii_dts p;

	ii_dts_init(&p, layout);
	CHECK_INT(line(&p, "Device 0000:00:1f.0 @0x1f65000"), II_DL_BLOCK);
	return p;
}

TEST(dts_device_lines)
{
	struct ii_dts p;

	ii_dts_init(&p, II_DTS_GLOBAL);
	/* 6.1 */
	CHECK_INT(line(&p, "Device 0000:00:1f.0 @0x1f65000"), II_DL_BLOCK);
	CHECK_STR(p.dev, "0000:00:1f.0");
	CHECK_U64(p.pgd, 0x1f65000);
	CHECK_INT(p.pasid, -1);
	CHECK(p.in_block);
	/* 5.10, 5.15: the pasid in decimal */
	CHECK_INT(line(&p, "Device 0000:00:02.0 with pasid 10 @0x10b0d2000"), II_DL_BLOCK);
	CHECK_INT(p.pasid, 10);
	CHECK_U64(p.pgd, 0x10b0d2000);
	/* 6.7+: in hex */
	ii_dts_init(&p, II_DTS_PER_DEVICE);
	CHECK_INT(line(&p, "Device 0000:00:02.0 with pasid 10 @0x10b0d2000"), II_DL_BLOCK);
	CHECK_INT(p.pasid, 16);
	CHECK_INT(line(&p, "Device 0000:00:02.0 with pasid 1a @0x10b0d2000"), II_DL_BLOCK);
	CHECK_INT(p.pasid, 26);
	/* malformed */
	CHECK_INT(line(&p, "Device 0000:00:02.0"), II_DL_BAD);
	CHECK_INT(line(&p, "Device  @0x1000"), II_DL_BAD);
	CHECK_INT(line(&p, "Device 0000:00:02.0 @0x"), II_DL_BAD);
	CHECK_INT(line(&p, "Device 0000:00:02.0 @0x1000 trailing"), II_DL_BAD);
	CHECK_INT(line(&p, "Device 0000:00:02.0 with pasid @0x1000"), II_DL_BAD);
	CHECK_INT(line(&p, "Device 0000:00:02.0 with pasid zz @0x1000"), II_DL_BAD);
	CHECK_INT(line(&p, "Device 0000:00:02.0 with pasid 123456789 @0x1000"), II_DL_BAD);
	ii_dts_init(&p, II_DTS_GLOBAL);
	CHECK_INT(line(&p, "Device 0000:00:02.0 with pasid 1a @0x10"), II_DL_BAD);
}

TEST(dts_headers_blank_lines_messages)
{
	struct ii_dts p;

	ii_dts_init(&p, II_DTS_GLOBAL);
	CHECK_INT(line(&p, ""), II_DL_NONE);
	CHECK_INT(line(&p, "IOVA_PFN\t\tPML5E\t\t\tPML4E\t\t\tPDPE\t\t\tPDE\t\t\tPTE"), II_DL_BAD);
	CHECK_INT(line(&p, "DMA Remapping is not enabled on dmar0"), II_DL_MSG);
	CHECK_STR(p.msg, "DMA Remapping is not enabled on dmar0");
	p = open_block(II_DTS_GLOBAL);
	CHECK_INT(line(&p, "IOVA_PFN\t\tPML5E\t\t\tPML4E\t\t\tPDPE\t\t\tPDE\t\t\tPTE"), II_DL_NONE);
	CHECK(!p.padded_header);
	CHECK_INT(line(&p, "IOVA_PFN         \tPML5E             \tPML4E             \tPDPE"
			   "              \tPDE               \tPTE"), II_DL_NONE);
	CHECK(p.padded_header);
	CHECK_INT(line(&p, ""), II_DL_END);
	CHECK(!p.in_block);
	CHECK_INT(ii_dts_finish(&p), II_DL_NONE);
	p = open_block(II_DTS_PER_DEVICE);
	CHECK_INT(ii_dts_finish(&p), II_DL_END); /* 6.7+ files end without a blank line */
	CHECK_INT(line(&p, "garbage"), II_DL_BAD);
	CHECK(p.why != NULL);
	/* a row outside a block */
	ii_dts_init(&p, II_DTS_GLOBAL);
	CHECK_INT(line(&p, "0x00000000fffff |\t0x0000000000000000\t0x0000000000000000\t0x00000000028c3003"
			   "\t0x00000000028c4003\t0x00000000028c2003"), II_DL_BAD);
}

TEST(dts_row_4k_from_capture)
{
	struct ii_dts p = open_block(II_DTS_GLOBAL);

	CHECK_INT(line(&p, "0x00000000ffefd |\t0x0000000000000000\t0x0000000000000000\t0x00000000029c7003"
			   "\t0x0000000002a42003\t0x0000000002bd7003"), II_DL_ROW);
	CHECK_U64(p.row.iova, 0xffefd000);
	CHECK_U64(p.row.size, 4096);
	CHECK_U64(p.row.phys, 0x2bd7000);
	CHECK_U64(p.row.entry, 0x2bd7003);
	CHECK_INT(p.row.level, 1);
	CHECK_INT(p.row.ncols, 5);
	CHECK(p.row.read && p.row.write);
	CHECK_U64(p.row.path[2], 0x29c7003);
	/* the same row again takes the memoized path: same result */
	CHECK_INT(line(&p, "0x00000000ffefe |\t0x0000000000000000\t0x0000000000000000\t0x00000000029c7003"
			   "\t0x0000000002a42003\t0x0000000002bd6001"), II_DL_ROW);
	CHECK_U64(p.row.iova, 0xffefe000);
	CHECK_U64(p.row.phys, 0x2bd6000);
	CHECK(p.row.read && !p.row.write);
	CHECK_U64(p.row.path[3], 0x2a42003);
	CHECK_U64(p.row.path[4], 0x2bd6001);
	/* an upper entry read-only: the whole path's rights count */
	CHECK_INT(line(&p, "0x00000000ffeff |\t0x0000000000000000\t0x0000000000000000\t0x00000000029c7001"
			   "\t0x0000000002a42003\t0x0000000002bd6003"), II_DL_ROW);
	CHECK(p.row.read && !p.row.write);
	CHECK_INT(line(&p, "0x00000000fff00 |\t0x0000000000000000\t0x0000000000000000\t0x00000000029c7001"
			   "\t0x0000000002a42003\t0x0000000002bd6002"), II_DL_ROW);
	CHECK(!p.row.read && !p.row.write);
}

TEST(dts_superpages_both_layouts)
{
	struct ii_dts p = open_block(II_DTS_GLOBAL);

	/* 5.10-6.6: five columns, zeros below the leaf */
	CHECK_INT(line(&p, "0x0000000040000 |\t0x0000000000000000\t0x000000010b0d3003\t0x000000010b0d4003"
			   "\t0x00000001fe000083\t0x0000000000000000"), II_DL_ROW);
	CHECK_U64(p.row.iova, 0x40000000);
	CHECK_U64(p.row.size, 2u << 20);
	CHECK_U64(p.row.phys, 0x1fe000000);
	CHECK_INT(p.row.level, 2);
	CHECK_INT(line(&p, "0x0000000080000 |\t0x0000000000000000\t0x000000010b0d3003\t0x0000000140000083"
			   "\t0x0000000000000000\t0x0000000000000000"), II_DL_ROW);
	CHECK_U64(p.row.size, 1u << 30);
	CHECK_U64(p.row.phys, 0x140000000);
	CHECK_INT(p.row.level, 3);
	/* 6.7+: the row stops at the leaf */
	p = open_block(II_DTS_PER_DEVICE);
	CHECK_INT(line(&p, "0x0000000040000 |\t0x0000000000000000\t0x000000010b0d3003\t0x000000010b0d4003"
			   "\t0x00000001fe000083"), II_DL_ROW);
	CHECK_U64(p.row.size, 2u << 20);
	CHECK_INT(p.row.ncols, 4);
	CHECK_INT(line(&p, "0x0000000080000 |\t0x0000000000000000\t0x000000010b0d3003\t0x0000000140000083"),
		  II_DL_ROW);
	CHECK_U64(p.row.size, 1u << 30);
	CHECK_INT(p.row.ncols, 3);
	/* address bits below a superpage's size, and flags above bit 51, are not the address */
	CHECK_INT(line(&p, "0x0000000080000 |\t0x0000000000000000\t0x000000010b0d3003\t0xc000000140001883"),
		  II_DL_ROW);
	CHECK_U64(p.row.phys, 0x140000000);
}

TEST(dts_bad_rows)
{
	struct ii_dts p = open_block(II_DTS_GLOBAL);

	/* a directory without PS as the last entry: a row cut after its PDE */
	CHECK_INT(line(&p, "0x00000000ffefd |\t0x0000000000000000\t0x0000000000000000\t0x00000000029c7003"
			   "\t0x0000000002a42003"), II_DL_BAD);
	/* cut in the middle of an entry */
	CHECK_INT(line(&p, "0x00000000ffefd |\t0x0000000000000000\t0x0000000000000000\t0x00000000029c7003"
			   "\t0x0000000002a42003\t0x00000000"), II_DL_BAD);
	/* all zero */
	CHECK_INT(line(&p, "0x00000000ffefd |\t0x0000000000000000\t0x0000000000000000\t0x0000000000000000"
			   "\t0x0000000000000000\t0x0000000000000000"), II_DL_BAD);
	/* a gap in the path */
	CHECK_INT(line(&p, "0x00000000ffefd |\t0x0000000000000000\t0x0000000000000003\t0x0000000000000000"
			   "\t0x0000000002a42003\t0x0000000002bd7003"), II_DL_BAD);
	/* an entry that is neither readable nor writable */
	CHECK_INT(line(&p, "0x00000000ffefd |\t0x0000000000000000\t0x0000000000000000\t0x00000000029c7000"
			   "\t0x0000000002a42003\t0x0000000002bd7003"), II_DL_BAD);
	/* a misaligned superpage */
	CHECK_INT(line(&p, "0x0000000040001 |\t0x0000000000000000\t0x000000010b0d3003\t0x000000010b0d4003"
			   "\t0x00000001fe000083\t0x0000000000000000"), II_DL_BAD);
	/* a leaf above the PDPE */
	CHECK_INT(line(&p, "0x0000000000000 |\t0x0000000000000000\t0x0000000100000083\t0x0000000000000000"
			   "\t0x0000000000000000\t0x0000000000000000"), II_DL_BAD);
	/* six entries, two, none */
	CHECK_INT(line(&p, "0x0000000000001 |\t0x0\t0x0000000000000000\t0x0000000000000000\t0x0000000000000000"
			   "\t0x0000000000000000\t0x0000000000000000\t0x0000000000001003"), II_DL_BAD);
	CHECK_INT(line(&p, "0x0000000000001 |\t0x0000000000000003\t0x0000000000001003"), II_DL_BAD);
	CHECK_INT(line(&p, "0x0000000000001 |"), II_DL_BAD);
	CHECK_INT(line(&p, "0x0000000000001"), II_DL_BAD);
	CHECK_INT(line(&p, "0xg |\t0x0000000000000003"), II_DL_BAD);
	/* an IOVA_PFN beyond 64-bit addresses */
	CHECK_INT(line(&p, "0x10000000000000 |\t0x0000000000000000\t0x0000000000000000\t0x0000000000000003"
			   "\t0x0000000000000003\t0x0000000000001003"), II_DL_BAD);
	CHECK(p.why != NULL);
	/* still in the block: a good row after bad ones */
	CHECK_INT(line(&p, "0x0000000000001 |\t0x0000000000000000\t0x0000000000000000\t0x0000000000000003"
			   "\t0x0000000000000003\t0x0000000000001003"), II_DL_ROW);
}

TEST(dts_general_path_agrees_with_fast_path)
{
	/* random rows, once as the kernel prints them, once with other spacing and upper case */
	struct ii_dts a = open_block(II_DTS_GLOBAL), b = open_block(II_DTS_GLOBAL);
	unsigned seed = 12345, mismatches = 0, rows = 0;

	for (int i = 0; i < 20000; i++) {
		uint64_t c[5] = { 0 }, pfn;
		char s1[256], s2[256];
		enum ii_dl e1, e2;
		unsigned top, leaf;

		seed = seed * 1103515245 + 12345;
		top = 3 + (seed >> 16) % 3;    /* 3, 4 or 5 levels */
		leaf = (seed >> 20) % 8 < 6 ? 1 : 2 + (seed >> 20) % 3; /* level 4: invalid */
		pfn = ((uint64_t)seed << 7 ^ (uint64_t)i << 3) & 0xfffffffff;
		for (unsigned lvl = top; lvl >= leaf && lvl >= 1; lvl--) {
			seed = seed * 1103515245 + 12345;
			c[5 - lvl] = ((uint64_t)(seed & 0xfffff) << 12) | (1 + (seed >> 28) % 3) |
				     (lvl == leaf && leaf > 1 && (seed & 0x100) ? 0x80 : 0);
			if (lvl == 1)
				break;
		}
		if ((i / 8) % 2) /* upper levels repeat in real dumps: runs of rows under one PDE */
			memcpy(c, (uint64_t[5]){ 0, 0, 0x29c7003, 0x2a42003, c[4] | 1 }, sizeof(c));
		row5(s1, sizeof(s1), pfn, c);
		snprintf(s2, sizeof(s2), "0X%llX  |  0x%016llX 0x%016llX\t\t0x%016llX 0x%016llX 0x%016llX",
			 (unsigned long long)pfn, (unsigned long long)c[0], (unsigned long long)c[1],
			 (unsigned long long)c[2], (unsigned long long)c[3], (unsigned long long)c[4]);
		e1 = line(&a, s1);
		e2 = line(&b, s2);
		rows += e1 == II_DL_ROW;
		if (e1 != e2 || (e1 == II_DL_ROW &&
				 (a.row.iova != b.row.iova || a.row.size != b.row.size ||
				  a.row.phys != b.row.phys || a.row.read != b.row.read ||
				  a.row.write != b.row.write || a.row.level != b.row.level ||
				  memcmp(a.row.path, b.row.path, sizeof(a.row.path)))))
			mismatches++;
	}
	CHECK_INT(mismatches, 0);
	CHECK(rows > 5000);
}

TEST(dts_next_over_a_buffer)
{
	const char *text = "Device 0000:00:1f.0 @0x1f65000\n"
			   "IOVA_PFN\t\tPML5E\t\t\tPML4E\t\t\tPDPE\t\t\tPDE\t\t\tPTE\n"
			   "0x0000000000000 |\t0x0000000000000000\t0x0000000000000000\t0x0000000001f66003"
			   "\t0x0000000001f67003\t0x0000000000000003\n"
			   "0x0000000000001 |\t0x0000000000000000\t0x0000000000000000\t0x0000000001f66003"
			   "\t0x0000000001f67003\t0x0000000000001003\n"
			   "\n"
			   "Device 0000:01:00.0 @0x1f6f000\n"
			   "0x0000000000002 |\t0x0000000000000000\t0x00000";
	enum ii_dl want[] = { II_DL_BLOCK, II_DL_NONE, II_DL_ROW, II_DL_ROW, II_DL_END, II_DL_BLOCK };
	struct ii_dts p;
	size_t off = 0, len = strlen(text), used, n = 0;
	enum ii_dl e;

	ii_dts_init(&p, II_DTS_GLOBAL);
	while ((e = ii_dts_next(&p, text + off, len - off, false, &used)), used) {
		CHECK(n < II_ARRAY_SIZE(want) && e == want[n]);
		n++;
		off += used;
	}
	CHECK_INT(n, 6);
	CHECK(!p.partial);
	/* at the end of the input the cut line is taken, and said to be cut */
	e = ii_dts_next(&p, text + off, len - off, true, &used);
	CHECK_INT(e, II_DL_BAD);
	CHECK_INT(used, len - off);
	CHECK(p.partial);
	CHECK_INT(ii_dts_next(&p, "", 0, true, &used), II_DL_NONE);
	CHECK_INT(used, 0);
}

TEST(dts_whole_capture)
{
	size_t len, off = 0, used, rows = 0, blocks = 0, bad = 0;
	char *text = fx_read("intel-debugfs/sys/kernel/debug/iommu/intel/domain_translation_struct", &len);
	struct ii_dts p;

	CHECK(text != NULL);
	if (!text)
		return;
	ii_dts_init(&p, II_DTS_GLOBAL);
	while (off < len) {
		enum ii_dl e = ii_dts_next(&p, text + off, len - off, true, &used);

		rows += e == II_DL_ROW;
		blocks += e == II_DL_BLOCK;
		bad += e == II_DL_BAD;
		off += used;
	}
	CHECK_INT(rows, 14371);
	CHECK_INT(blocks, 21);
	CHECK_INT(bad, 0);
	CHECK(!p.partial);
	free(text);
}

/* ---------------------------------------------------------------- ranges */

static struct ii_pte pte(uint64_t iova, uint64_t size, uint64_t phys, bool r, bool w)
{
	return (struct ii_pte){ .iova = iova, .size = size, .phys = phys, .read = r, .write = w };
}

TEST(coalesce_runs)
{
	struct ii_coalesce c;
	struct ii_range r;
	struct ii_pte p;

	ii_coalesce_init(&c);
	CHECK(!ii_coalesce_end(&c, &r));
	/* three contiguous pages, the third physically elsewhere: one range, scattered */
	p = pte(0x1000, 4096, 0xa000, true, true);
	CHECK(!ii_coalesce_add(&c, &p, &r));
	p = pte(0x2000, 4096, 0xb000, true, true);
	CHECK(!ii_coalesce_add(&c, &p, &r));
	p = pte(0x3000, 4096, 0x5000, true, true);
	CHECK(!ii_coalesce_add(&c, &p, &r));
	/* the rights change: a new range */
	p = pte(0x4000, 4096, 0x6000, true, false);
	CHECK(ii_coalesce_add(&c, &p, &r));
	CHECK_U64(r.start, 0x1000);
	CHECK_U64(r.end, 0x3fff);
	CHECK_U64(r.phys, 0xa000);
	CHECK_U64(r.pages, 3);
	CHECK(!r.phys_contig);
	CHECK(r.read && r.write);
	/* the page size changes: a new range */
	p = pte(0x200000, 2 << 20, 0x400000, true, false);
	CHECK(ii_coalesce_add(&c, &p, &r));
	CHECK_U64(r.start, 0x4000);
	CHECK_U64(r.end, 0x4fff);
	CHECK(r.phys_contig);
	CHECK(!r.write);
	p = pte(0x400000, 2 << 20, 0x600000, true, false);
	CHECK(!ii_coalesce_add(&c, &p, &r));
	/* a gap: a new range */
	p = pte(0x800000, 2 << 20, 0x800000, true, false);
	CHECK(ii_coalesce_add(&c, &p, &r));
	CHECK_U64(r.start, 0x200000);
	CHECK_U64(r.end, 0x5fffff);
	CHECK_U64(r.page_size, 2 << 20);
	CHECK(r.phys_contig);
	CHECK(ii_coalesce_end(&c, &r));
	CHECK_U64(r.start, 0x800000);
	CHECK(!ii_coalesce_end(&c, &r));
	CHECK_U64(c.ranges, 4);
	CHECK_U64(c.leaves, 7);
	CHECK_U64(c.pages_4k, 4);
	CHECK_U64(c.pages_2m, 3);
	CHECK_U64(c.pages_1g, 0);
	CHECK_U64(c.bytes, 4 * 4096 + 3 * (2 << 20));
	CHECK_U64(c.disorder, 0);
}

TEST(coalesce_disorder_and_top_of_address_space)
{
	struct ii_coalesce c;
	struct ii_range r;
	struct ii_pte p;

	ii_coalesce_init(&c);
	p = pte(0x5000, 4096, 0x5000, true, true);
	ii_coalesce_add(&c, &p, &r);
	p = pte(0x5000, 4096, 0x5000, true, true); /* again: out of order */
	CHECK(ii_coalesce_add(&c, &p, &r));
	CHECK_U64(c.disorder, 1);
	p = pte(UINT64_MAX - 0xfff, 4096, 0x1000, true, true);
	CHECK(ii_coalesce_add(&c, &p, &r));
	p = pte(0, 4096, 0x2000, true, true); /* after the very last page: never contiguous */
	CHECK(ii_coalesce_add(&c, &p, &r));
	CHECK_U64(r.end, UINT64_MAX);
	CHECK_U64(c.ranges, 4);
}
