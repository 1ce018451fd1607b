// SPDX-License-Identifier: MIT
/* src/model-class.c: --class parsing, matching and device categories. */
#include <errno.h>
#include <stdlib.h>

#include "model.h"
#include "test.h"

static struct ii_device dev(uint32_t class_code)
{
	struct ii_device d;

	memset(&d, 0, sizeof(d));
	d.valid = II_DV_CLASS;
	d.class_code = class_code;
	return d;
}

/* Parse arg; returns the filters joined as "value/mask,..." (owned), or "ERR:<bad>". */
static char *parse(const char *arg)
{
	struct ii_class_filter *f = NULL;
	struct strbuf sb = { 0 };
	size_t n = 0;
	char *bad = (char *)"sentinel";
	int ret = ii_class_filter_parse(arg, &f, &n, &bad);

	if (ret) {
		sb_addf(&sb, "ERR%d:%s", ret == -EINVAL ? 0 : ret, bad ? bad : "(null)");
		free(bad);
	} else {
		if (bad)
			sb_adds(&sb, "bad not cleared");
		for (size_t i = 0; i < n; i++)
			sb_addf(&sb, "%s%06x/%06x", i ? "," : "", f[i].value, f[i].mask);
	}
	free(f);
	return sb_detach(&sb);
}

#define CHECK_PARSE(arg, want)                 \
	do {                                   \
		char *t_s = parse(arg);        \
		CHECK_STR(t_s, want);          \
		free(t_s);                     \
	} while (0)

TEST(class_parse_names)
{
	CHECK_PARSE("gpu", "030000/ff0000");
	CHECK_PARSE("display", "030000/ff0000");
	CHECK_PARSE("net", "020000/ff0000");
	CHECK_PARSE("storage", "010000/ff0000");
	CHECK_PARSE("usb", "0c0300/ffff00");
	CHECK_PARSE("iommu", "080600/ffff00");
	CHECK_PARSE("audio", "040100/ffff00,040300/ffff00");
	CHECK_PARSE("multimedia", "040000/ff0000");
	CHECK_PARSE("bridge", "060000/ff0000");
	CHECK_PARSE("system", "080000/ff0000");
	CHECK_PARSE("serial-bus", "0c0000/ff0000");
	CHECK_PARSE("crypto", "100000/ff0000");
	CHECK_PARSE("accelerator", "120000/ff0000");
	CHECK_PARSE("unclassified", "000000/ff0000,ff0000/ff0000");
	/* lists, and a trailing comma */
	CHECK_PARSE("gpu,net", "030000/ff0000,020000/ff0000");
	CHECK_PARSE("usb,0x02,", "0c0300/ffff00,020000/ff0000");
	CHECK_PARSE("", "");
}

TEST(class_parse_every_listed_name)
{
	size_t count = 0;

	/* what --help and the completions offer must be accepted */
	for (const char *const *c = ii_class_names; *c; c++) {
		char *s = parse(*c);

		if (!strncmp(s, "ERR", 3) || !*s)
			t_fail(__FILE__, __LINE__, "listed class %s does not parse: %s", *c, s);
		free(s);
		count++;
	}
	CHECK(count >= 14);
}

TEST(class_parse_hex_codes)
{
	CHECK_PARSE("0x02", "020000/ff0000");
	CHECK_PARSE("0x0c03", "0c0300/ffff00");
	CHECK_PARSE("0x0c0330", "0c0330/ffffff");
	CHECK_PARSE("0X0C03", "0c0300/ffff00");
	CHECK_PARSE("0xff", "ff0000/ff0000");
	/* without 0x */
	CHECK_PARSE("02", "020000/ff0000");
	CHECK_PARSE("0c0330", "0c0330/ffffff");
	CHECK_PARSE("0x03,0x0c03,gpu", "030000/ff0000,0c0300/ffff00,030000/ff0000");
}

TEST(class_parse_bad_input)
{
	CHECK_PARSE("foo", "ERR0:foo");
	CHECK_PARSE("gpu,foo,net", "ERR0:foo");
	CHECK_PARSE("GPU", "ERR0:GPU");
	CHECK_PARSE("gp", "ERR0:gp");
	CHECK_PARSE("gpus", "ERR0:gpus");
	CHECK_PARSE("0x", "ERR0:0x");
	CHECK_PARSE("0x2", "ERR0:0x2");
	CHECK_PARSE("0x023", "ERR0:0x023");
	CHECK_PARSE("0x0c033", "ERR0:0x0c033");
	CHECK_PARSE("0x0c03300", "ERR0:0x0c03300");
	CHECK_PARSE("0x0g", "ERR0:0x0g");
	CHECK_PARSE("0x 2", "ERR0:0x 2");
	CHECK_PARSE("0x0x02", "ERR0:0x0x02");
	CHECK_PARSE("-2", "ERR0:-2");
	CHECK_PARSE("gpu,,net", "ERR0:");
	CHECK_PARSE(",gpu", "ERR0:");
	CHECK_PARSE("gpu net", "ERR0:gpu net");
}

TEST(class_match)
{
	struct ii_class_filter *f = NULL;
	struct ii_device xhci = dev(0x0c0330), ehci = dev(0x0c0320), nic = dev(0x020000);
	struct ii_device vga = dev(0x030000), hda = dev(0x040300), none = dev(0x0c0330);
	size_t n = 0;
	char *bad;

	none.valid = 0;
	CHECK_INT(ii_class_filter_parse("usb", &f, &n, &bad), 0);
	CHECK(ii_class_match(&xhci, f, n));
	CHECK(ii_class_match(&ehci, f, n));
	CHECK(!ii_class_match(&nic, f, n));
	/* a device whose class was not read never matches */
	CHECK(!ii_class_match(&none, f, n));
	free(f);
	f = NULL;
	n = 0;

	CHECK_INT(ii_class_filter_parse("0x0c0330,net", &f, &n, &bad), 0);
	CHECK(ii_class_match(&xhci, f, n));
	CHECK(!ii_class_match(&ehci, f, n));
	CHECK(ii_class_match(&nic, f, n));
	CHECK(!ii_class_match(&vga, f, n));
	free(f);
	f = NULL;
	n = 0;

	CHECK_INT(ii_class_filter_parse("0x03,audio", &f, &n, &bad), 0);
	CHECK(ii_class_match(&vga, f, n));
	CHECK(ii_class_match(&hda, f, n));
	CHECK(!ii_class_match(&xhci, f, n));
	free(f);
	f = NULL;
	n = 0;

	/* no filters: nothing matches */
	CHECK(!ii_class_match(&xhci, NULL, 0));
}

TEST(class_device_category)
{
	struct ii_device d = dev(0);

	static const struct {
		uint32_t code;
		const char *cat;
	} cases[] = {
		{ 0x0c0330, "usb" },     { 0x0c0500, "serial-bus" }, { 0x040300, "audio" },
		{ 0x040100, "audio" },   { 0x040000, "multimedia" }, { 0x080600, "iommu" },
		{ 0x088000, "system" },  { 0x010802, "storage" },    { 0x020000, "net" },
		{ 0x030000, "gpu" },     { 0x030200, "gpu" },        { 0x060400, "bridge" },
		{ 0x100000, "crypto" },  { 0x120000, "accelerator" }, { 0x000000, "unclassified" },
		{ 0xff0000, "unclassified" }, { 0x050000, "other" }, { 0x0d1100, "other" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d.class_code = cases[i].code;
		CHECK_STR(ii_device_category(&d), cases[i].cat);
	}
	d.valid = 0;
	CHECK(ii_device_category(&d) == NULL);
}
