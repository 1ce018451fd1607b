// SPDX-License-Identifier: MIT
/* src/parse-pci.c: PCI addresses. */
#include <errno.h>

#include "parse.h"
#include "test.h"

static int bdf(const char *s, unsigned dom, unsigned bus, unsigned dev, unsigned fn)
{
	struct ii_bdf b = { 0xeeee, 0xee, 0xee, 0xe };
	int ret = ii_parse_bdf(s, &b);

	if (ret)
		return ret;
	return b.domain == dom && b.bus == bus && b.dev == dev && b.fn == fn ? 0 : 1;
}

TEST(pci_parse_long_form)
{
	CHECK_INT(bdf("0000:00:02.0", 0, 0, 2, 0), 0);
	CHECK_INT(bdf("0000:06:01.0", 0, 6, 1, 0), 0);
	CHECK_INT(bdf("0001:ff:1f.7", 1, 0xff, 0x1f, 7), 0);
	CHECK_INT(bdf("ffff:a0:10.3", 0xffff, 0xa0, 0x10, 3), 0);
	/* upper-case hex is hex too */
	CHECK_INT(bdf("ABCD:EF:1F.7", 0xabcd, 0xef, 0x1f, 7), 0);
}

/* Intel VMD numbers its domains from 0x10000: the kernel prints them with 5 digits */
TEST(pci_parse_wide_domain)
{
	CHECK_INT(bdf("10000:01:00.0", 0x10000, 1, 0, 0), 0);
	CHECK_INT(bdf("10001:e1:1f.7", 0x10001, 0xe1, 0x1f, 7), 0);
	CHECK_INT(bdf("ffffffff:ff:1f.7", 0xffffffffu, 0xff, 0x1f, 7), 0);
	/* more digits than the kernel writes still name the same domain */
	CHECK_INT(bdf("00000:00:02.0", 0, 0, 2, 0), 0);
	CHECK_INT(bdf("0000abcd:00:02.0", 0xabcd, 0, 2, 0), 0);
}

TEST(pci_parse_short_form)
{
	CHECK_INT(bdf("00:02.0", 0, 0, 2, 0), 0);
	CHECK_INT(bdf("05:00.0", 0, 5, 0, 0), 0);
	CHECK_INT(bdf("ff:1f.7", 0, 0xff, 0x1f, 7), 0);
}

TEST(pci_parse_rejects_bad_lengths)
{
	struct ii_bdf b;

	CHECK_INT(ii_parse_bdf("", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf(NULL, &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("000:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("000000000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("100000000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.00", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:0:002.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:2.0", &b), -EINVAL);
}

TEST(pci_parse_rejects_dev_fn_out_of_range)
{
	struct ii_bdf b;

	CHECK_INT(ii_parse_bdf("0000:00:20.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:20.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:ff.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:1f.8", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:00.f", &b), -EINVAL);
	/* the boundaries themselves are accepted */
	CHECK_INT(ii_parse_bdf("0000:00:1f.7", &b), 0);
}

TEST(pci_parse_rejects_non_hex_and_separators)
{
	struct ii_bdf b;

	CHECK_INT(ii_parse_bdf("000g:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:0x:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:0z.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.x", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02:0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000.00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00.02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf(" 000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("-000:00:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("+0:02.0", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:02 0", &b), -EINVAL);
}

TEST(pci_parse_rejects_trailing_junk)
{
	struct ii_bdf b;

	CHECK_INT(ii_parse_bdf("0000:00:02.0\n", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.0 ", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.0x", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:02.0x", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("00:02.01", &b), -EINVAL);
	CHECK_INT(ii_parse_bdf("0000:00:02.0/", &b), -EINVAL);
}

TEST(pci_format)
{
	struct ii_bdf b = { 0, 0, 2, 0 };
	char out[II_BDF_MAX];

	ii_format_bdf(&b, out);
	CHECK_STR(out, "0000:00:02.0");
	b = (struct ii_bdf){ 0xabcd, 0xef, 0x1f, 7 };
	ii_format_bdf(&b, out);
	CHECK_STR(out, "abcd:ef:1f.7");
	CHECK_INT(strlen(out), 12);

	/* round trip through the short form */
	CHECK_INT(ii_parse_bdf("0a:1c.3", &b), 0);
	ii_format_bdf(&b, out);
	CHECK_STR(out, "0000:0a:1c.3");

	/* the widest address fills the buffer exactly */
	b = (struct ii_bdf){ 0xffffffffu, 0xff, 0x1f, 7 };
	ii_format_bdf(&b, out);
	CHECK_STR(out, "ffffffff:ff:1f.7");
	CHECK_INT(strlen(out), II_BDF_MAX - 1);
	b = (struct ii_bdf){ 0x10000, 1, 0, 0 };
	ii_format_bdf(&b, out);
	CHECK_STR(out, "10000:01:00.0");
}

/* what sysfs directories are named: exactly as ii_format_bdf() writes */
TEST(pci_canonical)
{
	struct ii_bdf b;

	CHECK(ii_bdf_is_canonical("0000:00:02.0", &b));
	CHECK(ii_bdf_is_canonical("10000:01:00.0", &b));
	CHECK_INT(b.domain, 0x10000);
	CHECK(ii_bdf_is_canonical("ffffffff:ff:1f.7", &b));
	CHECK(!ii_bdf_is_canonical("00:02.0", &b));
	CHECK(!ii_bdf_is_canonical("00000:00:02.0", &b));
	CHECK(!ii_bdf_is_canonical("0000:00:0A.0", &b));
	CHECK(!ii_bdf_is_canonical("0000:00:02.0 ", &b));
	CHECK(!ii_bdf_is_canonical("virtio0", &b));
}

TEST(pci_ordering)
{
	static const char *const sorted[] = {
		"0000:00:00.0", "0000:00:00.1", "0000:00:00.7", "0000:00:01.0", "0000:00:1f.7",
		"0000:01:00.0", "0000:0a:00.0", "0000:ff:1f.7", "0001:00:00.0", "ffff:00:00.0",
		"ffff:ff:1f.7", "10000:00:00.0", "10000:01:00.0", "10001:00:00.0", "ffffffff:ff:1f.7",
	};
	struct ii_bdf a, b;

	for (size_t i = 0; i < sizeof(sorted) / sizeof(sorted[0]); i++) {
		CHECK_INT(ii_parse_bdf(sorted[i], &a), 0);
		CHECK_INT(ii_bdf_cmp(&a, &a), 0);
		for (size_t j = i + 1; j < sizeof(sorted) / sizeof(sorted[0]); j++) {
			CHECK_INT(ii_parse_bdf(sorted[j], &b), 0);
			CHECK_INT(ii_bdf_cmp(&a, &b), -1);
			CHECK_INT(ii_bdf_cmp(&b, &a), 1);
		}
	}
	/* the short form is domain 0 */
	CHECK_INT(ii_parse_bdf("00:02.0", &a), 0);
	CHECK_INT(ii_parse_bdf("0000:00:02.0", &b), 0);
	CHECK_INT(ii_bdf_cmp(&a, &b), 0);
}
