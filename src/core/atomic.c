// SPDX-License-Identifier: MIT
/*
 * Files replaced whole (include/core/atomic.h). The temporary file is in the
 * target's directory because rename() is atomic only within one file system;
 * its name starts with a dot and does not end in ".prom", so that the textfile
 * collector, which reads only *.prom, never reads it half-written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "util.h"

static void release(struct ii_atomic *a)
{
	free(a->path);
	free(a->tmp);
	a->path = a->tmp = NULL;
	a->f = NULL;
}

int ii_atomic_open(struct ii_atomic *a, const char *path, char **err)
{
	const char *slash = strrchr(path, '/');
	int fd;

	memset(a, 0, sizeof(*a));
	if (!*path || (slash && !slash[1])) {
		*err = xasprintf("%s: not a file name (give the file to write, e.g. "
				 "/var/lib/prometheus/node-exporter/iommu.prom)", path);
		return -1;
	}
	if (slash)
		a->tmp = xasprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		a->tmp = xasprintf(".%s.XXXXXX", path);
	fd = mkostemp(a->tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		*err = xasprintf("%s: cannot create a file in its directory: %s (the directory must "
				 "exist and be writable: the file is replaced by renaming a new one)",
				 path, strerror(e));
		release(a);
		return -1;
	}
	/* node_exporter reads it as another user; mkostemp made it 0600 */
	if (fchmod(fd, 0644) < 0 || !(a->f = fdopen(fd, "w"))) {
		*err = xasprintf("%s: %s", a->tmp, strerror(errno));
		close(fd);
		unlink(a->tmp);
		release(a);
		return -1;
	}
	a->path = xstrdup(path);
	return 0;
}

int ii_atomic_commit(struct ii_atomic *a, char **err)
{
	int e = 0;

	if (fflush(a->f) != 0 || ferror(a->f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(a->f)) < 0 && errno != EINVAL && errno != EROFS)
		e = errno;
	if (fclose(a->f) != 0 && !e)
		e = errno;
	a->f = NULL;
	if (!e && rename(a->tmp, a->path) < 0)
		e = errno;
	if (e) {
		*err = xasprintf("%s: cannot write it: %s (the previous file, if any, is kept)",
				 a->path, strerror(e));
		unlink(a->tmp);
		release(a);
		return -1;
	}
	release(a);
	return 0;
}

void ii_atomic_abort(struct ii_atomic *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	release(a);
}
