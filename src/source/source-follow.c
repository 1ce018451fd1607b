// SPDX-License-Identifier: MIT
/*
 * Following the kernel log as it grows (include/logsrc.h): the live
 * /dev/kmsg and FIFOs are waited for with poll(); a regular file is looked at
 * again a few times a second, as `tail -f` does without inotify, and read
 * again from its start when it was truncated. A FIFO ends when
 * its last writer closes it. Signals end a wait early (the caller's handlers
 * only set a flag), and no wait is longer than half a second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sys/stat.h>

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
	ls->truncations++;
	return ii_stream_rewind(&ls->st);
}

/* A followed regular file that is now shorter than what was read was truncated or replaced. */
int ii_logsrc_rewound(struct ii_logsrc *ls)
{
	struct stat st;
	int err;

	if (!ls->regular || ls->st.fd < 0 || ii_stream_stat(&ls->st, &st) < 0)
		return 0;
	if ((uint64_t)st.st_size >= ls->offset)
		return 0;
	err = restart(ls);
	return err < 0 ? err : II_REWOUND_SHRANK;
}
