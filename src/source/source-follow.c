// SPDX-License-Identifier: MIT
/*
 * Following the kernel log as it grows (include/logsrc.h): the live
 * /dev/kmsg and FIFOs are waited for with poll(); a regular file is looked at
 * again a few times a second, as `tail -f` does without inotify, and read
 * again from its start when it was truncated or rewritten. A FIFO ends when
 * its last writer closes it. Signals end a wait early (the caller's handlers
 * only set a flag), and no wait is longer than half a second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logsrc.h"

#define FILE_POLL_MS 50
#define MAX_WAIT_MS 500

int ii_logsrc_wait(struct ii_logsrc *ls, int idle_ms, int watch_fd)
{
	struct pollfd pfd[2] = { { .fd = watch_fd, .events = 0 }, { .fd = ls->st.fd, .events = POLLIN } };
	bool data = ls->device || ls->fifo;
	int64_t left = ls->idle_done ? MAX_WAIT_MS : idle_ms - ii_logsrc_quiet_ms(ls);
	int ms = left < 1 ? 1 : left > MAX_WAIT_MS ? MAX_WAIT_MS : (int)left;

	if (!data && ms > FILE_POLL_MS)
		ms = FILE_POLL_MS; /* a regular file is always "readable": only looked at again */
	if (poll(pfd, data ? 2 : 1, ms) > 0 && (pfd[0].revents & (POLLERR | POLLHUP)))
		return -EPIPE;
	return 0;
}

/* Read the file again from its start. */
static int restart(struct ii_logsrc *ls)
{
	ls->in.len = ls->done = 0;
	ls->offset = 0;
	ls->skip = false;
	ls->eof = false;
	ls->tail_len = 0;
	ls->truncations++;
	return ii_stream_rewind(&ls->st);
}

/*
 * A file that shrank was truncated; one that grew but no longer holds, just
 * before where reading stopped, the bytes read there was truncated and
 * written again between two looks (`tail -F` misses that one and reads the
 * new content from the old offset). The bytes are read back with pread() on
 * the descriptor the root layer opened: not recorded, as nothing is learned
 * from them. A rewrite that puts the same bytes at that place is not seen,
 * and then reading on where it stopped gives the same records anyway.
 */
int ii_logsrc_rewound(struct ii_logsrc *ls)
{
	unsigned char now[sizeof(ls->tail)];
	struct stat st;
	int kind = 0, err;

	if (!ls->regular || ls->st.fd < 0 || ii_stream_stat(&ls->st, &st) < 0)
		return 0;
	if ((uint64_t)st.st_size < ls->offset)
		kind = II_REWOUND_SHRANK;
	else if ((uint64_t)st.st_size > ls->offset && ls->tail_len &&
		 (pread(ls->st.fd, now, ls->tail_len, (off_t)(ls->offset - ls->tail_len)) !=
			  (ssize_t)ls->tail_len ||
		  memcmp(now, ls->tail, ls->tail_len) != 0))
		kind = II_REWOUND_REWRITTEN;
	if (!kind)
		return 0;
	err = restart(ls);
	return err < 0 ? err : kind;
}
