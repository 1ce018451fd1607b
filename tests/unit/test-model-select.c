// SPDX-License-Identifier: MIT
/*
 * src/model/model-select.c: which groups and devices the arguments of `groups`
 * and `devices` name, in the order given, each once, and the typed issue for
 * each that cannot be shown; and the text of every issue (render-select.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "fixture.h"
#include "render.h"
#include "select.h"
#include "test.h"

struct fx {
	struct ii_root *root;
	struct ii_system s;
};

static bool load(struct fx *f, const char *name)
{
	char path[4096], *err = NULL;

	memset(f, 0, sizeof(*f));
	if (!fx_path(name, path, sizeof(path))) {
		t_fail(__FILE__, __LINE__, "no fixtures/ directory found");
		return false;
	}
	f->root = ii_root_open(path, &err);
	if (!f->root) {
		t_fail(__FILE__, __LINE__, "%s: %s", path, err ? err : "?");
		free(err);
		return false;
	}
	ii_system_load(&f->s, f->root, II_LOAD_GROUPS | II_LOAD_DEVICES, NULL);
	return true;
}

static void unload(struct fx *f)
{
	ii_system_free(&f->s);
	ii_root_close(f->root);
}

/* The selected group numbers as "14 9", or the first issue as "why:arg". */
static char *groups(const struct ii_system *s, const char *const *ids, size_t n, const char *dev,
		    const char *classes)
{
	struct ii_class_filter *cf = NULL;
	struct ii_group_sel sel;
	struct ii_sel_issue bad;
	struct strbuf sb = { 0 };
	size_t ncf = 0;
	char *badc = NULL;

	if (classes && ii_class_filter_parse(classes, &cf, &ncf, &badc)) {
		free(badc);
		return xstrdup("bad class");
	}
	if (ii_group_sel_init(&sel, ids, n, dev, cf, ncf, &bad)) {
		sb_addf(&sb, "usage %d:%s%s%s", bad.why, bad.option ? bad.option : "",
			bad.option ? " " : "", bad.arg);
	} else {
		ii_select_groups(s, &sel);
		for (size_t i = 0; i < sel.ngroups; i++)
			sb_addf(&sb, "%s%u", i ? " " : "", sel.groups[i]->id);
		for (size_t i = 0; i < sel.nissues; i++)
			sb_addf(&sb, " !%d:%u:%s", sel.issues[i].why, sel.issues[i].group,
				sel.issues[i].bdf);
		if (sel.no_class_match)
			sb_adds(&sb, " (no class match)");
	}
	ii_group_sel_free(&sel);
	free(cf);
	return sb_detach(&sb);
}

static char *devices(const struct ii_system *s, const char *const *bdfs, size_t n,
		     const char *classes)
{
	struct ii_class_filter *cf = NULL;
	struct ii_device_sel sel;
	struct ii_sel_issue bad;
	struct strbuf sb = { 0 };
	size_t ncf = 0;
	char *badc = NULL;

	if (classes && ii_class_filter_parse(classes, &cf, &ncf, &badc)) {
		free(badc);
		return xstrdup("bad class");
	}
	if (ii_device_sel_init(&sel, bdfs, n, cf, ncf, &bad)) {
		sb_addf(&sb, "usage %d:%s", bad.why, bad.arg);
	} else {
		ii_select_devices(s, &sel);
		for (size_t i = 0; i < sel.ndevices; i++)
			sb_addf(&sb, "%s%s", i ? " " : "", sel.devices[i]->name);
		for (size_t i = 0; i < sel.nissues; i++)
			sb_addf(&sb, " !%d:%s", sel.issues[i].why, sel.issues[i].bdf);
	}
	ii_device_sel_free(&sel);
	free(cf);
	return sb_detach(&sb);
}

#define CHECK_SEL(expr, want)              \
	do {                               \
		char *t_s = (expr);        \
		CHECK_STR(t_s, want);      \
		free(t_s);                 \
	} while (0)

#define ARGS(...) ((const char *const[]){ __VA_ARGS__ }), \
	(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

TEST(select_groups_usage)
{
	struct ii_system s = { 0 };
	char want[64];

	snprintf(want, sizeof(want), "usage %d:x", II_SEL_NOT_GROUP_NUMBER);
	CHECK_SEL(groups(&s, ARGS("3", "x"), NULL, NULL), want);
	snprintf(want, sizeof(want), "usage %d:-1", II_SEL_NOT_GROUP_NUMBER);
	CHECK_SEL(groups(&s, ARGS("-1"), NULL, NULL), want);
	snprintf(want, sizeof(want), "usage %d:4294967296", II_SEL_NOT_GROUP_NUMBER);
	CHECK_SEL(groups(&s, ARGS("4294967296"), NULL, NULL), want);
	snprintf(want, sizeof(want), "usage %d:--device 1:2:3", II_SEL_NOT_BDF);
	CHECK_SEL(groups(&s, NULL, 0, "1:2:3", NULL), want);
	snprintf(want, sizeof(want), "usage %d:zz", II_SEL_NOT_BDF);
	CHECK_SEL(devices(&s, ARGS("00:02.0", "zz"), NULL), want);
}

TEST(select_groups_order_and_duplicates)
{
	struct fx f;
	char want[64];

	if (!load(&f, "intel-q35"))
		return;
	CHECK_SEL(groups(&f.s, ARGS("14", "9", "14", "9", "14"), NULL, NULL), "14 9");
	CHECK_SEL(groups(&f.s, NULL, 0, NULL, NULL), "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15");
	snprintf(want, sizeof(want), "3 !%d:99: !%d:100:", II_SEL_NO_SUCH_GROUP,
		 II_SEL_NO_SUCH_GROUP);
	CHECK_SEL(groups(&f.s, ARGS("99", "3", "100", "3"), NULL, NULL), want);
	/* the class filter: groups with a network controller */
	CHECK_SEL(groups(&f.s, NULL, 0, NULL, "net"), "10 12 14");
	CHECK_SEL(groups(&f.s, ARGS("3", "14"), NULL, "net"), "14");
	CHECK_SEL(groups(&f.s, NULL, 0, NULL, "usb"), " (no class match)");
	unload(&f);
}

TEST(select_groups_device)
{
	struct fx f;
	char want[64];

	if (!load(&f, "intel-q35"))
		return;
	CHECK_SEL(groups(&f.s, NULL, 0, "06:02.0", NULL), "14");
	CHECK_SEL(groups(&f.s, ARGS("3", "14"), "0000:06:02.0", NULL), "14");
	snprintf(want, sizeof(want), " !%d:14:0000:06:02.0", II_SEL_DEVICE_ELSEWHERE);
	CHECK_SEL(groups(&f.s, ARGS("3"), "06:02.0", NULL), want);
	snprintf(want, sizeof(want), " !%d:0:0000:99:00.0", II_SEL_NO_SUCH_DEVICE);
	CHECK_SEL(groups(&f.s, NULL, 0, "99:00.0", NULL), want);
	/* its group left out by the class filter alone is no error */
	CHECK_SEL(groups(&f.s, NULL, 0, "06:02.0", "usb"), " (no class match)");
	CHECK_SEL(groups(&f.s, NULL, 0, "06:02.0", "storage"), " (no class match)");
	/* a device only a group once named, and in none now, is no device */
	{
		struct ii_device *d = ii_find_device(&f.s, "06:02.0");
		int group = d->group;

		d->present = false;
		d->group = -1;
		snprintf(want, sizeof(want), " !%d:0:0000:06:02.0", II_SEL_NO_SUCH_DEVICE);
		CHECK_SEL(groups(&f.s, NULL, 0, "06:02.0", NULL), want);
		d->present = true;
		d->group = group;
	}
	/* an earlier error stops the --device check */
	snprintf(want, sizeof(want), " !%d:77:", II_SEL_NO_SUCH_GROUP);
	CHECK_SEL(groups(&f.s, ARGS("77"), "99:00.0", NULL), want);
	unload(&f);
	if (!load(&f, "amd-q35"))
		return;
	snprintf(want, sizeof(want), " !%d:0:0000:00:02.0", II_SEL_DEVICE_NO_GROUP);
	CHECK_SEL(groups(&f.s, NULL, 0, "00:02.0", NULL), want);
	CHECK_INT(ii_find_device(&f.s, "00:02.0")->nogroup, II_NOGROUP_IOMMU_FUNCTION);
	unload(&f);
}

TEST(select_groups_none)
{
	struct fx f;
	char want[64];

	if (!load(&f, "no-iommu"))
		return;
	snprintf(want, sizeof(want), " !%d:0:", II_SEL_NO_GROUPS);
	CHECK_SEL(groups(&f.s, ARGS("1"), "00:02.0", NULL), want);
	CHECK_INT(ii_find_device(&f.s, "00:01.0")->nogroup, II_NOGROUP_NO_GROUPS);
	unload(&f);
}

TEST(select_devices)
{
	struct fx f;
	char want[96];

	if (!load(&f, "intel-q35"))
		return;
	CHECK_SEL(devices(&f.s, ARGS("06:01.0", "00:05.0", "0000:06:01.0", "00:05.0"), NULL),
		  "0000:06:01.0 0000:00:05.0");
	snprintf(want, sizeof(want), "0000:00:05.0 !%d:0000:99:00.0", II_SEL_NO_SUCH_DEVICE);
	CHECK_SEL(devices(&f.s, ARGS("99:00.0", "00:05.0"), NULL), want);
	CHECK_SEL(devices(&f.s, ARGS("06:01.0", "00:10.0"), "bridge"), "0000:00:10.0");
	{
		char *all = devices(&f.s, NULL, 0, NULL);
		CHECK(!strncmp(all, "0000:00:00.0 0000:00:01.0 ", 26));
		CHECK(strstr(all, " 0000:07:00.1") && !strchr(all, '!'));
		free(all);
	}
	f.s.pci_dir = false;
	snprintf(want, sizeof(want), " !%d:", II_SEL_NO_PCI_DIR);
	CHECK_SEL(devices(&f.s, ARGS("00:05.0"), NULL), want);
	f.s.pci_dir = true;
	unload(&f);
}

/* Many arguments, most of them repeated: each once, in the order first given. */
TEST(select_many_arguments)
{
	struct ii_system s = { 0 };
	enum { NG = 5000, NA = 40000 };
	const char **args = xcalloc(NA, sizeof(*args));
	char (*txt)[16] = xcalloc(NA, sizeof(*txt));
	struct ii_group_sel sel;
	struct ii_sel_issue bad;
	bool ok = true;

	s.ngroups = NG;
	s.groups = xcalloc(NG, sizeof(*s.groups));
	for (unsigned i = 0; i < NG; i++)
		s.groups[i].id = 2 * i; /* only even numbers exist */
	for (unsigned i = 0; i < NA; i++) {
		snprintf(txt[i], sizeof(txt[i]), "%u", (i * 7919u) % (2 * NG));
		args[i] = txt[i];
	}
	CHECK_INT(ii_group_sel_init(&sel, args, NA, NULL, NULL, 0, &bad), 0);
	ii_select_groups(&s, &sel);
	CHECK_INT(sel.ngroups, NG);
	CHECK_INT(sel.nissues, NA / 2);
	for (size_t i = 0; i + 1 < sel.ngroups; i++)
		ok &= sel.groups[i] != sel.groups[i + 1];
	CHECK(ok);
	CHECK_INT(sel.groups[0]->id, 0);
	CHECK_INT(sel.groups[1]->id, (2 * 7919u) % (2 * NG));
	ii_group_sel_free(&sel);
	free(s.groups);
	free(args);
	free(txt);
}

/* Every issue has its text; the usage ones read as before the model had them. */
TEST(select_issue_texts)
{
	struct fx f;
	struct ii_sel_issue is = { 0 };
	char *t;

	if (!load(&f, "amd-q35"))
		return;
	for (int w = II_SEL_NOT_GROUP_NUMBER; w <= II_SEL_DEVICE_ELSEWHERE; w++) {
		is = (struct ii_sel_issue){ .why = (enum ii_sel_why)w, .arg = "x", .option = "--device",
					    .group = 3, .dev = ii_find_device(&f.s, "00:02.0") };
		snprintf(is.bdf, sizeof(is.bdf), "0000:00:02.0");
		t = render_sel_issue(&f.s, &is);
		CHECK(t && *t && !strstr(t, "selection issue"));
		free(t);
	}
	is = (struct ii_sel_issue){ .why = II_SEL_NOT_BDF, .arg = "zz" };
	t = render_sel_issue(NULL, &is);
	CHECK_STR(t, "'zz' is not a PCI address; write it as 0000:00:02.0 or 00:02.0");
	free(t);
	is = (struct ii_sel_issue){ .why = II_SEL_NO_SUCH_GROUP, .group = 99 };
	t = render_sel_issue(&f.s, &is);
	CHECK_STR(t, "no IOMMU group 99 (there are 16, numbered 0 to 15)");
	free(t);
	is = (struct ii_sel_issue){ .why = II_SEL_DEVICE_NO_GROUP, .option = "--device",
				    .dev = ii_find_device(&f.s, "00:02.0") };
	snprintf(is.bdf, sizeof(is.bdf), "0000:00:02.0");
	t = render_sel_issue(&f.s, &is);
	CHECK_STR(t, "--device 0000:00:02.0 is in no IOMMU group: it is an IOMMU's own PCI function, "
		     "which the IOMMU does not translate");
	free(t);
	f.s.groups_err = -EACCES;
	is = (struct ii_sel_issue){ .why = II_SEL_NO_GROUPS };
	t = render_sel_issue(&f.s, &is);
	CHECK(strstr(t, "cannot read ") && strstr(t, "iommu_groups: Permission denied; run as root"));
	free(t);
	unload(&f);
}
