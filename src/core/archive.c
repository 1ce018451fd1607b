// SPDX-License-Identifier: MIT
/* Tar archives and temporary directories (see include/archive.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive.h"
#include "util.h"

extern char **environ;

bool ii_archive_is_name(const char *path)
{
	static const char *const sfx[] = { ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz" };
	size_t n = strlen(path);

	for (size_t i = 0; i < II_ARRAY_SIZE(sfx); i++) {
		size_t m = strlen(sfx[i]);
		if (n > m && !strcmp(path + n - m, sfx[i]))
			return true;
	}
	return false;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

void ii_tree_remove(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * A temporary directory must not outlive us even when we are interrupted or
 * killed. Rather than cleaning up in signal handlers (which may not call
 * nftw, and which `faults --follow` needs for itself), a small child process
 * waits until our end of a pipe closes, as it does however we exit, and then
 * removes the directory. It ignores the terminal's signals so that Ctrl-C,
 * which reaches the whole process group, does not stop it first.
 */
static void watch_tmpdir(const char *dir)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		char c;

		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		/* hold nothing of ours open, or a reader of our stdout would wait for us */
		for (int fd = 0; fd < 1024; fd++)
			if (fd != p[0])
				close(fd);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		ii_tree_remove(dir);
		_exit(0);
	}
	close(p[0]);
	if (pid < 0)
		close(p[1]);
	/* p[1] stays open (close-on-exec) until this process ends */
}

char *ii_tmpdir_new(const char *what, char **err)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/iommu-inspect-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", what);

	if (!mkdtemp(dir)) {
		*err = xasprintf("%s: cannot create a temporary directory: %s (set TMPDIR to a "
				 "writable directory)", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	watch_tmpdir(dir);
	return dir;
}

/* Run tar with argv; 0 when it exits with 0. */
static int run_tar(char *const argv[], const char *what, char **err)
{
	pid_t pid;
	int status, rc = posix_spawnp(&pid, "tar", NULL, NULL, argv, environ);

	if (rc) {
		*err = xasprintf("%s: cannot run tar: %s (install tar)", what, strerror(rc));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			*err = xasprintf("%s: waiting for tar: %s", what, strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		*err = xasprintf("%s: tar failed (see its message above)", what);
		return -1;
	}
	return 0;
}

int ii_archive_extract(const char *archive, const char *dir, char **err)
{
	char *argv[] = { "tar", "--no-same-owner", "--no-same-permissions", "-x", "-f",
			 (char *)archive, "-C", (char *)dir, NULL };

	return run_tar(argv, archive, err);
}

int ii_archive_pack(const char *dir, const char *archive, char **err)
{
	/* fixed owner and order keep archives of the same tree identical */
	char *argv[] = { "tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "-c",
			 "-a", "-f", (char *)archive, "-C", (char *)dir, ".", NULL };

	return run_tar(argv, archive, err);
}
