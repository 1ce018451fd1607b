// SPDX-License-Identifier: MIT
/*
 * --follow: the kernel log as it grows. The live /dev/kmsg and FIFOs are
 * waited for with poll(); a regular file is checked a few times a second,
 * as `tail -f` does without inotify, and read again from its start when it
 * shrinks (rotated or truncated). A FIFO ends when its last writer closes
 * it. Signal handlers only set *stop; poll and sleeps wake up on them, and
 * never wait longer than half a second between looks at the flag.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>

#include "logsrc.h"

#define FILE_POLL_MS 50
#define MAX_WAIT_MS 500

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait up to ms for the stream to have something (a regular file is only
 * looked at again); a signal ends the wait early. Returns false when the
 * watched output's reader went away.
 */
static bool wait_for_data(struct ii_logsrc *ls, int ms, int watch_fd)
{
	struct pollfd pfd[2] = { { .fd = watch_fd, .events = 0 }, { .fd = ls->st.fd, .events = POLLIN } };
	bool data = ls->device || ls->fifo;

	if (!data && ms > FILE_POLL_MS)
		ms = FILE_POLL_MS;
	if (poll(pfd, data ? 2 : 1, ms) > 0 && (pfd[0].revents & (POLLERR | POLLHUP)))
		return false;
	return true;
}

/* A followed regular file that is now shorter than what was read was truncated or replaced. */
static int check_truncated(struct ii_logsrc *ls)
{
	struct stat st;

	if (!ls->regular || ii_stream_stat(&ls->st, &st) < 0)
		return 0;
	if ((uint64_t)st.st_size < ls->offset)
		return ii_logsrc_restart(ls);
	return 0;
}

int ii_logsrc_follow(struct ii_logsrc *ls, ii_logrec_fn fn, void *ctx, const struct ii_follow *f)
{
	int64_t last_data = now_ms();
	uint64_t seen = ls->records, seen_bytes = ls->offset;
	bool idle_done = false;
	int rc;

	if (ls->fifo)
		ii_stream_set_nonblock(&ls->st, true);
	for (;;) {
		rc = ii_logsrc_read(ls, fn, ctx, false);
		if (rc)
			return rc == -EINTR ? 0 : rc;
		if (ls->records != seen || ls->offset != seen_bytes) {
			seen = ls->records;
			seen_bytes = ls->offset;
			last_data = now_ms();
			idle_done = false;
		}
		if (*f->stop)
			break;
		if (ls->fifo && ls->eof)
			break; /* the writer closed it */
		if (!idle_done && now_ms() - last_data >= f->idle_ms) {
			rc = ii_logsrc_take_quiet(ls, fn, ctx, false);
			if (!rc && f->idle)
				rc = f->idle(ctx);
			if (rc)
				return rc;
			idle_done = true;
		}
		{
			int64_t left = idle_done ? MAX_WAIT_MS : f->idle_ms - (now_ms() - last_data);

			if (!wait_for_data(ls, (int)(left < 1 ? 1 : left > MAX_WAIT_MS ? MAX_WAIT_MS : left),
					   f->watch_fd))
				break;
		}
		if ((rc = check_truncated(ls)) < 0)
			return rc;
	}
	rc = ii_logsrc_take_quiet(ls, fn, ctx, true);
	if (!rc && f->idle)
		rc = f->idle(ctx);
	return rc;
}
