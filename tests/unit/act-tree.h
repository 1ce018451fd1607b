/* SPDX-License-Identifier: MIT */
/*
 * Made-up trees for the activity source's unit tests (test-activity*.c):
 * files written below a temporary directory, loaded as a root, and looked
 * at. Static inline so that each test file takes what it uses.
 */
#ifndef II_TEST_ACT_TREE_H
#define II_TEST_ACT_TREE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actsrc.h"
#include "model.h"
#include "test.h"

/* ------------------------------------------------------------ tree helpers */

static inline char *mk_tree(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/ii-unit-act.XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (!mkdtemp(dir)) {
		t_fail(__FILE__, __LINE__, "mkdtemp: %s", strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

/* Write dir/rel (its directories made), or append. */
static inline void put_mode(const char *dir, const char *rel, const char *content, bool append)
{
	char *path = xasprintf("%s/%s", dir, rel);
	int fd;

	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content))
		t_fail(__FILE__, __LINE__, "write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
}

static inline void put(const char *dir, const char *rel, const char *content)
{
	put_mode(dir, rel, content, false);
}

static inline void put_dir(const char *dir, const char *rel)
{
	char *keep = xasprintf("%s/.keep", rel), *path;

	put(dir, keep, "");
	path = xasprintf("%s/%s", dir, keep);
	unlink(path);
	free(path);
	free(keep);
}

static inline int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

static inline void rm_tree(char *dir)
{
	if (dir)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* Load the tree as the source needs it. */
static inline bool load(const char *dir, struct ii_root **r, struct ii_system *s)
{
	char *err = NULL;

	*r = ii_root_open(dir, &err);
	if (!*r) {
		t_fail(__FILE__, __LINE__, "root %s: %s", dir, err);
		free(err);
		return false;
	}
	ii_system_load(s, *r, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_SYSINFO, NULL);
	return true;
}

static inline void unload(struct ii_root *r, struct ii_system *s)
{
	ii_system_free(s);
	ii_root_close(r);
}

static inline bool warned(const struct ii_system *s, const char *a, const char *b)
{
	for (size_t i = 0; i < s->diags.warnings.n; i++)
		if (strstr(s->diags.warnings.v[i], a) && (!b || strstr(s->diags.warnings.v[i], b)))
			return true;
	return false;
}

static inline const struct ii_ctr_value *ctr(const struct ii_act_reading *r, enum ii_ctr_kind k,
				      const char *unit)
{
	for (size_t i = 0; i < r->nctrs; i++)
		if (r->ctrs[i].kind == k && !strcmp(r->ctrs[i].unit, unit))
			return &r->ctrs[i];
	return NULL;
}

#endif
