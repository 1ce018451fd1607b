// SPDX-License-Identifier: MIT
/* Device class categories, for --class and for the category shown per device. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct category {
	const char *name;
	uint32_t value, mask; /* over the 24-bit class code */
};

/* Most specific first: the first match is a device's category. */
static const struct category categories[] = {
	{ "usb", 0x0c0300, 0xffff00 },
	{ "audio", 0x040100, 0xffff00 },
	{ "audio", 0x040300, 0xffff00 },
	{ "iommu", 0x080600, 0xffff00 },
	{ "storage", 0x010000, 0xff0000 },
	{ "net", 0x020000, 0xff0000 },
	{ "gpu", 0x030000, 0xff0000 },
	{ "display", 0x030000, 0xff0000 }, /* an alias of gpu */
	{ "multimedia", 0x040000, 0xff0000 },
	{ "bridge", 0x060000, 0xff0000 },
	{ "system", 0x080000, 0xff0000 },
	{ "serial-bus", 0x0c0000, 0xff0000 },
	{ "crypto", 0x100000, 0xff0000 },
	{ "accelerator", 0x120000, 0xff0000 },
	{ "unclassified", 0x000000, 0xff0000 },
	{ "unclassified", 0xff0000, 0xff0000 },
};

const char *const ii_class_names[] = {
	"accelerator", "audio", "bridge", "crypto", "display", "gpu", "iommu", "multimedia", "net",
	"serial-bus", "storage", "system", "unclassified", "usb", NULL,
};

const char *ii_device_category(const struct ii_device *d)
{
	if (!(d->valid & II_DV_CLASS))
		return NULL;
	for (size_t i = 0; i < II_ARRAY_SIZE(categories); i++)
		if ((d->class_code & categories[i].mask) == categories[i].value)
			return categories[i].name;
	return "other";
}

static void add(struct ii_class_filter **out, size_t *n, uint32_t value, uint32_t mask)
{
	*out = xrealloc(*out, (*n + 1) * sizeof(**out));
	(*out)[(*n)++] = (struct ii_class_filter){ value, mask };
}

/* "0x02" (base class), "0x0c03" (base and subclass) or "0x0c0330" (with prog-if). */
static bool parse_code(const char *t, size_t len, struct ii_class_filter **out, size_t *n)
{
	uint32_t v = 0;

	if (len > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		t += 2;
		len -= 2;
	}
	if (len != 2 && len != 4 && len != 6)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)t[i]))
			return false;
		v = v * 16 + (uint32_t)(isdigit((unsigned char)t[i]) ? t[i] - '0'
							  : tolower((unsigned char)t[i]) - 'a' + 10);
	}
	if (len == 2)
		add(out, n, v << 16, 0xff0000);
	else if (len == 4)
		add(out, n, v << 8, 0xffff00);
	else
		add(out, n, v, 0xffffff);
	return true;
}

int ii_class_filter_parse(const char *arg, struct ii_class_filter **out, size_t *n, char **bad)
{
	const char *p = arg;

	*bad = NULL;
	while (*p) {
		size_t len = strcspn(p, ",");
		bool found = false;

		for (size_t i = 0; i < II_ARRAY_SIZE(categories); i++) {
			if (strlen(categories[i].name) == len && !strncmp(p, categories[i].name, len)) {
				add(out, n, categories[i].value, categories[i].mask);
				found = true;
			}
		}
		if (!found && !parse_code(p, len, out, n)) {
			*bad = xstrndup(p, len);
			return -EINVAL;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

bool ii_class_match(const struct ii_device *d, const struct ii_class_filter *f, size_t n)
{
	if (!(d->valid & II_DV_CLASS))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((d->class_code & f[i].mask) == f[i].value)
			return true;
	return false;
}
