// SPDX-License-Identifier: MIT
/* Tar archives and temporary directories (see include/archive.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive.h"
#include "util.h"

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
 * A temporary directory (or file) must not outlive us even when we are
 * interrupted or killed. Rather than cleaning up in signal handlers (which may
 * not call nftw, and which `faults --follow` needs for itself), a small child
 * process waits until our end of a pipe closes, as it does however we exit,
 * and then removes the path (if it is still there: an archive renamed into
 * place is not). It ignores the terminal's signals so that Ctrl-C, which
 * reaches the whole process group, does not stop it first.
 */
static void watch_path(const char *path)
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
		/*
		 * A tar we started may still be writing into it for a moment (it is
		 * killed when we die, see run_tar, but not at once): remove until it
		 * is gone, for at most 10 s.
		 */
		for (int i = 0; i < 100; i++) {
			struct stat st;

			ii_tree_remove(path);
			if (lstat(path, &st) < 0)
				break;
			usleep(100 * 1000);
		}
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
	watch_path(dir);
	return dir;
}

/* Run tar with argv (its standard output on out_fd when >= 0); 0 when it exits with 0. */
static int run_tar(char *const argv[], int out_fd, const char *what, char **err)
{
	pid_t parent = getpid(), pid;
	int status, rc, p[2];

	/*
	 * fork and exec rather than posix_spawn, for one call between them: tar
	 * is killed when we are (PR_SET_PDEATHSIG), so that it does not go on
	 * writing into a temporary directory that watch_path is removing. A pipe
	 * says whether the exec worked (it closes on exec, or carries errno).
	 */
	if (pipe2(p, O_CLOEXEC) < 0) {
		*err = xasprintf("%s: cannot run tar: %s", what, strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		int e;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127); /* we died before the line above */
		if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
			_exit(127);
		execvp("tar", argv);
		e = errno;
		if (write(p[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(p[1]);
	rc = pid < 0 ? errno : 0;
	if (pid > 0 && read(p[0], &rc, sizeof(rc)) != sizeof(rc))
		rc = 0;
	close(p[0]);
	if (rc) {
		if (pid > 0)
			waitpid(pid, &status, 0);
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

	return run_tar(argv, -1, archive, err);
}

/* tar's compression option for the archive's name (NULL: none). */
static char *compression(const char *archive)
{
	size_t n = strlen(archive);

	if ((n > 3 && !strcmp(archive + n - 3, ".gz")) || (n > 4 && !strcmp(archive + n - 4, ".tgz")))
		return "-z";
	if ((n > 3 && !strcmp(archive + n - 3, ".xz")) || (n > 4 && !strcmp(archive + n - 4, ".txz")))
		return "-J";
	return NULL;
}

/* Move tmp to archive: over what is there only when replace, and never through a link. */
static int put_in_place(const char *tmp, const char *archive, bool replace)
{
	if (replace)
		return rename(tmp, archive);
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, archive, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a file system without RENAME_NOREPLACE: link() does not replace either */
	if (link(tmp, archive) < 0)
		return -1;
	unlink(tmp);
	return 0;
}

/*
 * The archive is written to a new temporary file beside it (O_EXCL, so never
 * through a link someone put there) by tar on its standard output, and takes
 * its name only when tar has finished: an interrupted or failed pack leaves
 * no archive that looks complete, and the temporary file is removed however
 * we end.
 */
int ii_archive_pack(const char *dir, const char *archive, bool replace, char **err)
{
	const char *slash = strrchr(archive, '/');
	char *tmp = slash ? xasprintf("%.*s/.%s.XXXXXX", (int)(slash - archive), archive, slash + 1)
			  : xasprintf(".%s.XXXXXX", archive);
	char *z = compression(archive);
	/* fixed owner and order keep archives of the same tree identical */
	char *argv[] = { "tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "-c",
			 "-f", "-", "-C", (char *)dir, ".", z, NULL };
	mode_t mask = umask(0);
	int fd, ret = -1;

	umask(mask);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		*err = xasprintf("%s: cannot create a file beside it: %s", archive, strerror(errno));
		free(tmp);
		return -1;
	}
	watch_path(tmp);
	fchmod(fd, 0666 & ~mask); /* as a file tar made itself */
	if (run_tar(argv, fd, archive, err) == 0) {
		if (fsync(fd) < 0 || close(fd) < 0)
			*err = xasprintf("%s: %s", archive, strerror(errno));
		else if (put_in_place(tmp, archive, replace) < 0)
			*err = xasprintf("%s: %s%s", archive, strerror(errno),
					 errno == EEXIST ? " (it appeared meanwhile; add --force)" : "");
		else
			ret = 0;
		fd = -1;
	}
	if (fd >= 0)
		close(fd);
	if (ret < 0)
		unlink(tmp);
	free(tmp);
	return ret;
}
