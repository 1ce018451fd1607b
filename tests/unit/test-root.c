// SPDX-License-Identifier: MIT
/*
 * src/root.c: the root-prefixed file layer, on temporary trees. Every check
 * that resolves paths runs twice: on the fast path (openat2 RESOLVE_IN_ROOT)
 * and with a recorder attached, which walks one component at a time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "root.h"
#include "test.h"

/* ------------------------------------------------------------ tree helpers */

struct tree {
	char top[256];  /* the temporary directory */
	char root[300]; /* top/root: the tree handed to ii_root_open */
};

static void put_file(const char *dir, const char *rel, const char *content)
{
	char path[1024];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		t_fail(__FILE__, __LINE__, "create %s: %s", path, strerror(errno));
		return;
	}
	if (write(fd, content, strlen(content)) != (ssize_t)strlen(content))
		t_fail(__FILE__, __LINE__, "write %s", path);
	close(fd);
}

static void put_dir(const char *dir, const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		t_fail(__FILE__, __LINE__, "mkdir %s: %s", path, strerror(errno));
}

static void put_link(const char *dir, const char *rel, const char *target)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (symlink(target, path) < 0)
		t_fail(__FILE__, __LINE__, "symlink %s: %s", path, strerror(errno));
}

/*
 * top/outside/secret            what must never be reached
 * top/root/etc/hostname         "in-root\n"
 * top/root/sys/...              files, links, links kept as files
 * top/root/dev/kmsg             a recorded stream
 */
static bool make_tree(struct tree *t)
{
	const char *tmp = getenv("TMPDIR");
	char *r = t->root;

	snprintf(t->top, sizeof(t->top), "%s/ii-unit-root.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t->top)) {
		t_fail(__FILE__, __LINE__, "mkdtemp: %s", strerror(errno));
		return false;
	}
	snprintf(t->root, sizeof(t->root), "%s/root", t->top);
	put_dir(t->top, "root");
	put_dir(t->top, "outside");
	put_file(t->top, "outside/secret", "SECRET\n");
	put_dir(t->top, "outside/dir");
	put_file(t->top, "outside/dir/secret", "SECRET\n");

	put_dir(r, "etc");
	put_file(r, "etc/hostname", "in-root\n");
	put_dir(r, "dev");
	put_file(r, "dev/kmsg", "6,1,2,-;hello\n");
	put_dir(r, "sys");
	put_file(r, "sys/hello", "hello\n");
	put_file(r, "sys/empty", "");
	put_file(r, "sys/big", "0123456789abcdef0123456789abcdef\n");
	put_dir(r, "sys/kernel");
	put_dir(r, "sys/kernel/iommu_groups");
	static const char *const groups[] = { "10", "2", "0", "1", "9" };
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%s", groups[i]);
		put_dir(r, rel);
		snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%s/type", groups[i]);
		put_file(r, rel, "DMA\n");
	}
	put_file(r, "sys/kernel/iommu_groups/README", "x\n");

	/* real symbolic links */
	put_dir(r, "sys/devices");
	put_dir(r, "sys/devices/pci0000:00");
	put_dir(r, "sys/devices/pci0000:00/0000:00:02.0");
	put_file(r, "sys/devices/pci0000:00/0000:00:02.0/vendor", "0x8086\n");
	put_link(r, "sys/devices/pci0000:00/0000:00:02.0/driver", "../../../bus/pci/drivers/i915");
	put_link(r, "sys/devices/pci0000:00/0000:00:02.0/iommu_group",
		 "../../../kernel/iommu_groups/2");
	put_link(r, "sys/devices/pci0000:00/0000:00:02.0/slash", "../../../bus/pci/drivers/x/");
	put_dir(r, "sys/bus");
	put_dir(r, "sys/bus/pci");
	put_dir(r, "sys/bus/pci/devices");
	put_link(r, "sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
	put_link(r, "sys/abs-etc", "/etc");
	put_link(r, "sys/dotdot", "../../../..");
	put_link(r, "sys/escape", "../../outside");
	put_link(r, "sys/escape-file", "../../outside/secret");
	put_link(r, "sys/dangling", "../nothing/here");
	put_link(r, "sys/loop", "loop");
	{
		char abs[300];

		snprintf(abs, sizeof(abs), "%s/outside", t->top);
		put_link(r, "sys/abs-outside", abs);
	}

	/* links kept as small files holding the target (no newline) */
	put_dir(r, "sys/copied");
	put_dir(r, "sys/copied/devices");
	put_file(r, "sys/copied/devices/0000:00:02.0", "../../devices/pci0000:00/0000:00:02.0");
	put_file(r, "sys/copied/driver", "../../bus/pci/drivers/vfio-pci");
	put_file(r, "sys/copied/escape", "../../../../outside");
	put_file(r, "sys/copied/dangling", "../nothing");
	/* an attribute that happens to start with "../" ends with a newline: not a link */
	put_file(r, "sys/copied/attr", "../not-a-link\n");
	return true;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void remove_tree(struct tree *t)
{
	nftw(t->top, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------- recorder */

static void recorder(void *ctx, enum ii_rec_kind kind, const char *path, const char *data, size_t len)
{
	struct strlist *events = ctx;

	switch (kind) {
	case II_REC_FILE:
		sl_add_owned(events, xasprintf("FILE %s", path));
		break;
	case II_REC_DIR:
		sl_add_owned(events, xasprintf("DIR %s", path));
		break;
	case II_REC_LINK:
		sl_add_owned(events, xasprintf("LINK %s -> %.*s", path, (int)len, data));
		break;
	case II_REC_STREAM:
		sl_add_owned(events, xasprintf("STREAM %s %.*s", path, (int)len, data));
		break;
	case II_REC_NODE:
		sl_add_owned(events, xasprintf("NODE %s %.*s", path, (int)len, data));
		break;
	}
}

/* Open the tree; with rec, attach the recorder (which forces the walk). */
static struct ii_root *open_tree(const struct tree *t, struct strlist *rec)
{
	char *err = NULL;
	struct ii_root *r = ii_root_open(t->root, &err);

	if (!r) {
		t_fail(__FILE__, __LINE__, "ii_root_open: %s", err ? err : "?");
		free(err);
		return NULL;
	}
	CHECK(err == NULL);
	if (rec)
		ii_root_set_recorder(r, recorder, rec);
	return r;
}

/* A whole file read through the root: its content, or "ERR <errno name>". */
static char *slurp(struct ii_root *r, const char *rel)
{
	char *buf;
	size_t len;
	int err = ii_root_read_file(r, rel, &buf, &len, 4096);

	if (err < 0)
		return xasprintf("ERR %d", -err);
	if (strlen(buf) != len)
		t_fail(__FILE__, __LINE__, "%s: length %zu", rel, len);
	return buf;
}

#define CHECK_SLURP(r, rel, want)                        \
	do {                                             \
		char *t_s = slurp(r, rel);               \
		CHECK_STR(t_s, want);                    \
		free(t_s);                               \
	} while (0)

#define ENOENT_S "ERR 2"
#define ENOTDIR_S "ERR 20"

/* ------------------------------------------------------------------ tests */

TEST(root_read_files_through_dirs)
{
	struct tree t;

	if (!make_tree(&t))
		return;
	for (int pass = 0; pass < 2; pass++) {
		struct strlist events = { 0 };
		struct ii_root *r = open_tree(&t, pass ? &events : NULL);
		struct ii_dir d, g;
		char buf[64], *file;
		size_t len;
		struct stat st;

		if (!r)
			break;
		CHECK(!ii_root_is_live(r));
		CHECK_STR(ii_root_dir(r), t.root);
		CHECK_INT(ii_dir_open(r, &d, "%s", "sys"), 0);
		CHECK_INT(ii_dir_read(&d, "hello", buf, sizeof(buf)), 6);
		CHECK_STR(buf, "hello\n");
		CHECK_INT(ii_dir_read(&d, "empty", buf, sizeof(buf)), 0);
		CHECK_STR(buf, "");
		/* too big for the buffer: -EFBIG, and still NUL-terminated */
		CHECK_INT(ii_dir_read(&d, "big", buf, 8), -EFBIG);
		CHECK_INT(strlen(buf), 7);
		CHECK_INT(ii_dir_read(&d, "hello", buf, 1), -EINVAL);
		CHECK_INT(ii_dir_read(&d, "missing", buf, sizeof(buf)), -ENOENT);
		/* binary reads are not terminated and may be partial */
		memset(buf, 'x', sizeof(buf));
		CHECK_INT(ii_dir_read_bin(&d, "big", buf, 4), 4);
		CHECK(!memcmp(buf, "0123x", 5));
		CHECK_INT(ii_dir_read_file(&d, "big", &file, &len, 1024), 0);
		CHECK_INT(len, 33);
		CHECK_STR(file, "0123456789abcdef0123456789abcdef\n");
		free(file);
		CHECK_INT(ii_dir_read_file(&d, "big", &file, &len, 10), -EFBIG);
		CHECK(file == NULL);
		CHECK_INT(len, 0);
		/* a path below the directory */
		CHECK_INT(ii_dir_read(&d, "kernel/iommu_groups/10/type", buf, sizeof(buf)), 4);
		CHECK_STR(buf, "DMA\n");
		/* ii_dir_open_at keeps the spelling asked for in messages */
		CHECK_INT(ii_dir_open_at(&d, &g, "kernel/iommu_groups/2"), 0);
		CHECK_STR(g.path, "sys/kernel/iommu_groups/2");
		CHECK_INT(ii_dir_read(&g, "type", buf, sizeof(buf)), 4);
		{
			char *disp = ii_dir_display(&g, "type"), *want;

			want = xasprintf("%s/sys/kernel/iommu_groups/2/type", t.root);
			CHECK_STR(disp, want);
			free(disp);
			free(want);
		}
		CHECK_INT(ii_dir_lstat(&g, "type", &st), 0);
		CHECK(S_ISREG(st.st_mode));
		CHECK_INT(st.st_size, 4);
		ii_dir_close(&g);
		CHECK_INT(g.fd, -1);
		CHECK(g.path == NULL);
		CHECK_INT(ii_dir_lstat(&d, "abs-etc", &st), 0);
		CHECK(S_ISLNK(st.st_mode));
		CHECK_INT(ii_dir_lstat(&d, "missing", &st), -ENOENT);
		ii_dir_close(&d);

		CHECK_SLURP(r, "sys/hello", "hello\n");
		CHECK_SLURP(r, "/sys/hello", "hello\n");
		CHECK_SLURP(r, "sys//kernel/./iommu_groups/0/type", "DMA\n");
		CHECK_SLURP(r, "sys/missing", ENOENT_S);
		CHECK_SLURP(r, "sys/hello/x", ENOTDIR_S);
		CHECK_INT(ii_root_read_file(r, "sys/big", &file, &len, 32), -EFBIG);
		CHECK_INT(ii_root_stat(r, "sys/big", &st), 0);
		CHECK_INT(st.st_size, 33);
		CHECK_INT(ii_root_stat(r, "sys/none", &st), -ENOENT);
		CHECK_INT(ii_dir_open(r, &d, "sys/%s", "hello"), -ENOTDIR);
		ii_dir_close(&d);
		CHECK_INT(ii_dir_open(r, &d, "sys/%s", "missing"), -ENOENT);
		ii_dir_close(&d);
		ii_root_close(r);
		sl_free(&events);
	}
	remove_tree(&t);
}

TEST(root_display_names)
{
	struct tree t;
	struct ii_root *r;
	char *s, *want, *err = NULL, *slashes;

	if (!make_tree(&t))
		return;
	r = open_tree(&t, NULL);
	if (r) {
		s = ii_root_display(r, "/sys/kernel");
		want = xasprintf("%s/sys/kernel", t.root);
		CHECK_STR(s, want);
		free(s);
		free(want);
		ii_root_close(r);
	}
	/* trailing slashes of --root are dropped */
	slashes = xasprintf("%s//", t.root);
	r = ii_root_open(slashes, &err);
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(ii_root_dir(r), t.root);
		ii_root_close(r);
	}
	free(slashes);
	free(err);
	/* the live system */
	r = ii_root_open(NULL, &err);
	CHECK(r != NULL);
	if (r) {
		CHECK(ii_root_is_live(r));
		CHECK_STR(ii_root_dir(r), "/");
		s = ii_root_display(r, "sys/kernel/iommu_groups");
		CHECK_STR(s, "/sys/kernel/iommu_groups");
		free(s);
		ii_root_close(r);
	}
	remove_tree(&t);
}

TEST(root_links_cannot_escape)
{
	struct tree t;

	if (!make_tree(&t))
		return;
	for (int pass = 0; pass < 2; pass++) {
		struct strlist events = { 0 };
		struct ii_root *r = open_tree(&t, pass ? &events : NULL);
		struct ii_dir d;
		struct strlist names = { 0 };
		char buf[64];

		if (!r)
			break;
		/* "/etc" is the root's etc/ */
		CHECK_SLURP(r, "sys/abs-etc/hostname", "in-root\n");
		/* "../../../.." stops at the root */
		CHECK_SLURP(r, "sys/dotdot/etc/hostname", "in-root\n");
		CHECK_SLURP(r, "sys/dotdot/sys/hello", "hello\n");
		CHECK_SLURP(r, "sys/dotdot/outside/secret", ENOENT_S);
		CHECK_SLURP(r, "sys/dotdot/root/etc/hostname", ENOENT_S);
		/* links to the directory next to the root resolve inside it: nothing there */
		CHECK_SLURP(r, "sys/escape/secret", ENOENT_S);
		CHECK_SLURP(r, "sys/escape-file", ENOENT_S);
		CHECK_SLURP(r, "sys/abs-outside/secret", ENOENT_S);
		CHECK_SLURP(r, "sys/copied/escape/secret", ENOENT_S);
		/* and so do ".." in the path asked for */
		CHECK_SLURP(r, "../outside/secret", ENOENT_S);
		CHECK_SLURP(r, "../../../../etc/hostname", "in-root\n");
		CHECK_SLURP(r, "sys/../../root/etc/hostname", ENOENT_S);
		CHECK_INT(ii_dir_open(r, &d, "sys/escape"), -ENOENT);
		ii_dir_close(&d);
		CHECK_INT(ii_dir_open(r, &d, "sys/abs-outside/dir"), -ENOENT);
		ii_dir_close(&d);
		/* through a directory: a name with '/', or a final link */
		CHECK_INT(ii_dir_open(r, &d, "sys"), 0);
		CHECK_INT(ii_dir_read(&d, "escape/secret", buf, sizeof(buf)), -ENOENT);
		CHECK_INT(ii_dir_read(&d, "escape-file", buf, sizeof(buf)), -ENOENT);
		CHECK_INT(ii_dir_read(&d, "../../outside/secret", buf, sizeof(buf)), -ENOENT);
		CHECK_INT(ii_dir_read(&d, "dotdot/etc/hostname", buf, sizeof(buf)), 8);
		CHECK_STR(buf, "in-root\n");
		CHECK_INT(ii_dir_list(&d, "escape", &names), -ENOENT);
		CHECK_INT(ii_dir_list(&d, "abs-outside", &names), -ENOENT);
		CHECK_INT(names.n, 0);
		ii_dir_close(&d);
		/* links are loops at most */
		CHECK_SLURP(r, "sys/loop", "ERR 40");
		CHECK_SLURP(r, "sys/loop/x", "ERR 40");
		ii_root_close(r);
		sl_free(&events);
	}
	remove_tree(&t);
}

TEST(root_dotdot_entry_stays_inside)
{
	struct tree t;

	if (!make_tree(&t))
		return;
	for (int pass = 0; pass < 2; pass++) {
		struct strlist events = { 0 };
		struct ii_root *r = open_tree(&t, pass ? &events : NULL);
		struct strlist top = { 0 }, up = { 0 };
		struct ii_dir d;

		if (!r)
			break;
		/* ".." of the root's top directory is the top directory itself */
		CHECK_INT(ii_dir_open(r, &d, "%s", ""), 0);
		CHECK_INT(ii_dir_list(&d, NULL, &top), 0);
		CHECK_INT(ii_dir_list(&d, "..", &up), 0);
		CHECK(!sl_contains(&up, "outside"));
		CHECK(!sl_contains(&up, "root"));
		CHECK_INT(up.n, top.n);
		for (size_t i = 0; i < up.n && i < top.n; i++)
			CHECK_STR(up.v[i], top.v[i]);
		ii_dir_close(&d);
		sl_free(&top);
		sl_free(&up);
		ii_root_close(r);
		sl_free(&events);
	}
	remove_tree(&t);
}

TEST(root_links_kept_as_files)
{
	struct tree t;

	if (!make_tree(&t))
		return;
	for (int pass = 0; pass < 2; pass++) {
		struct strlist events = { 0 };
		struct ii_root *r = open_tree(&t, pass ? &events : NULL);
		struct ii_dir d, c;
		char buf[64];

		if (!r)
			break;
		/* crossed on the way */
		CHECK_SLURP(r, "sys/copied/devices/0000:00:02.0/vendor", "0x8086\n");
		CHECK_INT(ii_dir_open(r, &d, "sys/copied/devices/0000:00:02.0"), 0);
		CHECK_INT(ii_dir_read(&d, "vendor", buf, sizeof(buf)), 7);
		CHECK_STR(buf, "0x8086\n");
		ii_dir_close(&d);
		CHECK_INT(ii_dir_open(r, &d, "sys/copied"), 0);
		CHECK_INT(ii_dir_open_at(&d, &c, "devices/0000:00:02.0"), 0);
		CHECK_INT(ii_dir_read(&c, "vendor", buf, sizeof(buf)), 7);
		ii_dir_close(&c);
		/* the base name of the target, as for a real link */
		CHECK_INT(ii_dir_readlink_base(&d, "driver", buf, sizeof(buf)), 0);
		CHECK_STR(buf, "vfio-pci");
		/* a dangling one */
		CHECK_INT(ii_dir_open_at(&d, &c, "dangling"), -ENOENT);
		ii_dir_close(&c);
		/* a file with a newline is an attribute, not a link */
		CHECK_INT(ii_dir_readlink_base(&d, "attr", buf, sizeof(buf)), -EINVAL);
		CHECK_INT(ii_dir_read(&d, "attr", buf, sizeof(buf)), 14);
		CHECK_STR(buf, "../not-a-link\n");
		CHECK_SLURP(r, "sys/copied/attr/x", ENOTDIR_S);
		ii_dir_close(&d);
		ii_root_close(r);
		sl_free(&events);
	}
	remove_tree(&t);
}

TEST(root_dangling_links)
{
	struct tree t;

	if (!make_tree(&t))
		return;
	for (int pass = 0; pass < 2; pass++) {
		struct strlist events = { 0 }, names = { 0 };
		struct ii_root *r = open_tree(&t, pass ? &events : NULL);
		struct ii_dir d;
		char buf[64], *file;
		size_t len;
		struct stat st;

		if (!r)
			break;
		CHECK_SLURP(r, "sys/dangling", ENOENT_S);
		CHECK_SLURP(r, "sys/dangling/x", ENOENT_S);
		CHECK_INT(ii_root_stat(r, "sys/dangling", &st), -ENOENT);
		CHECK_INT(ii_dir_open(r, &d, "sys/dangling"), -ENOENT);
		ii_dir_close(&d);
		CHECK_INT(ii_dir_open(r, &d, "sys"), 0);
		CHECK_INT(ii_dir_read(&d, "dangling", buf, sizeof(buf)), -ENOENT);
		CHECK_INT(ii_dir_read_file(&d, "dangling", &file, &len, 100), -ENOENT);
		CHECK_INT(ii_dir_list(&d, "dangling", &names), -ENOENT);
		/* the link itself is there, and can be read */
		CHECK_INT(ii_dir_lstat(&d, "dangling", &st), 0);
		CHECK_INT(ii_dir_readlink_base(&d, "dangling", buf, sizeof(buf)), 0);
		CHECK_STR(buf, "here");
		ii_dir_close(&d);
		ii_root_close(r);
		sl_free(&events);
	}
	remove_tree(&t);
}

TEST(root_readlink_base)
{
	struct tree t;
	struct ii_root *r;
	struct ii_dir d;
	char buf[64];

	if (!make_tree(&t))
		return;
	r = open_tree(&t, NULL);
	if (!r) {
		remove_tree(&t);
		return;
	}
	CHECK_INT(ii_dir_open(r, &d, "sys/bus/pci/devices/0000:00:02.0"), 0);
	CHECK_INT(ii_dir_readlink_base(&d, "driver", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "i915");
	CHECK_INT(ii_dir_readlink_base(&d, "iommu_group", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "2");
	/* a trailing slash in the target */
	CHECK_INT(ii_dir_readlink_base(&d, "slash", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "x");
	/* the buffer must hold the name and its NUL */
	CHECK_INT(ii_dir_readlink_base(&d, "driver", buf, 4), -ENAMETOOLONG);
	CHECK_INT(ii_dir_readlink_base(&d, "driver", buf, 5), 0);
	CHECK_STR(buf, "i915");
	/* not a link, missing, or not a plain name */
	CHECK_INT(ii_dir_readlink_base(&d, "vendor", buf, sizeof(buf)), -EINVAL);
	CHECK_INT(ii_dir_readlink_base(&d, "missing", buf, sizeof(buf)), -ENOENT);
	CHECK_INT(ii_dir_readlink_base(&d, "../0000:00:02.0/driver", buf, sizeof(buf)), -EINVAL);
	ii_dir_close(&d);
	/* a link whose target is absolute */
	CHECK_INT(ii_dir_open(r, &d, "sys"), 0);
	CHECK_INT(ii_dir_readlink_base(&d, "abs-etc", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "etc");
	ii_dir_close(&d);
	/* a closed directory */
	CHECK_INT(ii_dir_readlink_base(&d, "abs-etc", buf, sizeof(buf)), -EBADF);
	ii_root_close(r);
	remove_tree(&t);
}

TEST(root_list_sorting)
{
	struct tree t;

	if (!make_tree(&t))
		return;
	for (int pass = 0; pass < 2; pass++) {
		struct strlist events = { 0 }, names = { 0 };
		struct ii_root *r = open_tree(&t, pass ? &events : NULL);
		struct ii_dir d;
		char *joined;

		if (!r)
			break;
		CHECK_INT(ii_dir_open(r, &d, "sys/kernel/iommu_groups"), 0);
		/* natural order: numbers by value, no "." or ".." */
		CHECK_INT(ii_dir_list(&d, NULL, &names), 0);
		joined = sl_join(&names, " ");
		CHECK_STR(joined, "0 1 2 9 10 README");
		free(joined);
		sl_free(&names);
		CHECK_INT(ii_dir_list_dirs(&d, &names), 0);
		joined = sl_join(&names, " ");
		CHECK_STR(joined, "0 1 2 9 10");
		free(joined);
		sl_free(&names);
		CHECK_INT(ii_dir_list(&d, "2", &names), 0);
		joined = sl_join(&names, " ");
		CHECK_STR(joined, "type");
		free(joined);
		sl_free(&names);
		CHECK_INT(ii_dir_list(&d, "README", &names), -ENOTDIR);
		CHECK_INT(ii_dir_list(&d, "nope", &names), -ENOENT);
		ii_dir_close(&d);
		/* listing through a link, and a subdirectory given as a path */
		CHECK_INT(ii_dir_open(r, &d, "sys"), 0);
		CHECK_INT(ii_dir_list(&d, "bus/pci/devices/0000:00:02.0", &names), 0);
		joined = sl_join(&names, " ");
		CHECK_STR(joined, "driver iommu_group slash vendor");
		free(joined);
		sl_free(&names);
		/* list_dirs leaves out links and files */
		CHECK_INT(ii_dir_list_dirs(&d, &names), 0);
		joined = sl_join(&names, " ");
		CHECK_STR(joined, "bus copied devices kernel");
		free(joined);
		sl_free(&names);
		ii_dir_close(&d);
		ii_root_close(r);
		sl_free(&events);
	}
	remove_tree(&t);
}

TEST(root_recorder_events)
{
	struct tree t;
	struct strlist ev = { 0 };
	struct strlist names = { 0 };
	struct ii_root *r;
	struct ii_dir d;
	struct ii_stream s;
	char buf[64], *joined;

	if (!make_tree(&t))
		return;
	r = open_tree(&t, &ev);
	if (!r) {
		remove_tree(&t);
		return;
	}
	/* a link crossed on the way, then the file at its resolved path */
	CHECK_SLURP(r, "sys/abs-etc/hostname", "in-root\n");
	/* a directory opened through a link: the events name the real paths */
	CHECK_INT(ii_dir_open(r, &d, "sys/bus/pci/devices/0000:00:02.0"), 0);
	CHECK_STR(d.real, "sys/devices/pci0000:00/0000:00:02.0");
	CHECK_INT(ii_dir_read(&d, "vendor", buf, sizeof(buf)), 7);
	CHECK_INT(ii_dir_readlink_base(&d, "driver", buf, sizeof(buf)), 0);
	joined = sl_join(&ev, "\n");
	CHECK_STR(joined, "LINK sys/abs-etc -> /etc\n"
			  "FILE etc/hostname\n"
			  "LINK sys/bus/pci/devices/0000:00:02.0 -> ../../../devices/pci0000:00/0000:00:02.0\n"
			  "FILE sys/devices/pci0000:00/0000:00:02.0/vendor\n"
			  "LINK sys/devices/pci0000:00/0000:00:02.0/driver -> ../../../bus/pci/drivers/i915");
	free(joined);
	sl_free(&ev);
	/* a listing: the directory, and the links listed in it (in directory order) */
	CHECK_INT(ii_dir_list(&d, NULL, &names), 0);
	sl_free(&names);
	CHECK(ev.n >= 1);
	if (ev.n >= 1)
		CHECK_STR(ev.v[ev.n - 1], "DIR sys/devices/pci0000:00/0000:00:02.0");
	for (size_t i = 0; i + 1 < ev.n; i++)
		CHECK(str_starts(ev.v[i], "LINK sys/devices/pci0000:00/0000:00:02.0/"));
	CHECK_INT(ev.n, 4);
	if (ev.n == 4) {
		CHECK(sl_contains(&ev, "LINK sys/devices/pci0000:00/0000:00:02.0/driver -> "
				       "../../../bus/pci/drivers/i915"));
		CHECK(sl_contains(&ev, "LINK sys/devices/pci0000:00/0000:00:02.0/iommu_group -> "
				       "../../../kernel/iommu_groups/2"));
		CHECK(sl_contains(&ev, "LINK sys/devices/pci0000:00/0000:00:02.0/slash -> "
				       "../../../bus/pci/drivers/x/"));
	}
	sl_free(&ev);
	ii_dir_close(&d);
	/* a link kept as a file */
	CHECK_SLURP(r, "sys/copied/devices/0000:00:02.0/vendor", "0x8086\n");
	/* a failed read records the link it crossed, and no file */
	CHECK_SLURP(r, "sys/dangling", ENOENT_S);
	/* a stream */
	CHECK_INT(ii_stream_open(r, &s, "dev/kmsg", true), 0);
	CHECK(!s.chardev);
	CHECK_INT(ii_stream_read(&s, buf, sizeof(buf)), 14);
	CHECK_INT(ii_stream_read(&s, buf, sizeof(buf)), 0);
	ii_stream_close(&s);
	CHECK_INT(s.fd, -1);

	joined = sl_join(&ev, "\n");
	CHECK_STR(joined, "LINK sys/copied/devices/0000:00:02.0 -> ../../devices/pci0000:00/0000:00:02.0\n"
			  "FILE sys/devices/pci0000:00/0000:00:02.0/vendor\n"
			  "LINK sys/dangling -> ../nothing/here\n"
			  "STREAM dev/kmsg 6,1,2,-;hello\n");
	free(joined);
	sl_free(&ev);
	ii_root_close(r);
	remove_tree(&t);
}

TEST(root_unreadable_file_gives_eacces_skipped_when_running_as_root)
{
	struct tree t;
	struct ii_root *r;
	struct ii_dir d;
	char buf[16], path[512];

	if (geteuid() == 0) {
		t_skip("running as root, who can read a mode-000 file");
		return;
	}
	if (!make_tree(&t))
		return;
	snprintf(path, sizeof(path), "%s/sys/hello", t.root);
	CHECK_INT(chmod(path, 0), 0);
	r = open_tree(&t, NULL);
	if (r) {
		CHECK_INT(ii_dir_open(r, &d, "sys"), 0);
		CHECK_INT(ii_dir_read(&d, "hello", buf, sizeof(buf)), -EACCES);
		ii_dir_close(&d);
		CHECK_SLURP(r, "sys/hello", "ERR 13");
		ii_root_close(r);
	}
	remove_tree(&t);
}

TEST(root_open_errors)
{
	struct tree t;
	struct ii_root *r;
	char *err = NULL, *dir;

	if (!make_tree(&t))
		return;
	/* a directory that does not exist */
	dir = xasprintf("%s/missing", t.top);
	r = ii_root_open(dir, &err);
	CHECK(r == NULL);
	CHECK(err && strstr(err, dir) && strstr(err, strerror(ENOENT)));
	free(err);
	free(dir);
	/* a directory that is not a recorded tree */
	dir = xasprintf("%s/outside", t.top);
	err = NULL;
	r = ii_root_open(dir, &err);
	CHECK(r == NULL);
	CHECK(err && strstr(err, dir) && strstr(err, "not a recorded tree"));
	free(err);
	free(dir);
	/* a file that is not an archive */
	dir = xasprintf("%s/outside/secret", t.top);
	err = NULL;
	r = ii_root_open(dir, &err);
	CHECK(r == NULL);
	CHECK(err && strstr(err, dir) && strstr(err, "not a directory"));
	free(err);
	free(dir);
	/* any one of sys/, proc/ or dev/ makes a tree */
	dir = xasprintf("%s/outside/dir", t.top);
	put_dir(dir, "proc");
	err = NULL;
	r = ii_root_open(dir, &err);
	CHECK(r != NULL);
	CHECK(err == NULL);
	ii_root_close(r);
	free(dir);
	remove_tree(&t);
}

/*
 * A FIFO named on the command line waits for its first writer, unless a stop
 * signal came first: a stop flag already set when the wait starts (the signal
 * arrived after its handler was installed, before the wait) ends it at once,
 * where a blocking open() used to wait for a writer that might never come.
 * With a writer, the stream reads blocking.
 */
TEST(root_fifo_wait_sees_an_earlier_stop)
{
	char dir[] = "/tmp/ii-fifo.XXXXXX", path[64];
	volatile sig_atomic_t stop = 1;
	struct ii_stream s;
	char buf[8];
	int w;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	CHECK_INT(mkfifo(path, 0600), 0);
	CHECK_INT(ii_stream_open_path(&s, path, &stop), -EINTR);
	CHECK_INT(s.fd, -1);
	ii_stream_close(&s);

	/* a writer that opened and wrote: the wait returns, the read blocks no more than it must */
	stop = 0;
	w = open(path, O_RDWR | O_NONBLOCK); /* a writer without a reader to wait for */
	CHECK(w >= 0 && write(w, "abc", 3) == 3);
	CHECK_INT(ii_stream_open_path(&s, path, &stop), 0);
	CHECK((fcntl(s.fd, F_GETFL) & O_NONBLOCK) == 0);
	CHECK(ii_stream_read(&s, buf, sizeof(buf)) == 3);
	ii_stream_close(&s);
	if (w >= 0)
		close(w);
	unlink(path);
	rmdir(dir);
}
