// SPDX-License-Identifier: MIT
/*
 * perf counters through the raw perf_event_open system call (no libperf):
 * counting mode only (no sample_period, no ring buffer), pid -1 and one CPU
 * per fd, read with PERF_FORMAT_TOTAL_TIME_ENABLED|_RUNNING so that a
 * multiplexed counter is scaled the way perf stat does (kernel-interfaces
 * §7, §12.2, §12.3). Nothing is written anywhere: a counter lives as long
 * as its fd. The exclude_* bits stay 0: the IOMMU PMUs refuse them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "actsrc.h"

static int sys_open(uint32_t type, const uint64_t config[3], int cpu, void *ctx)
{
	struct perf_event_attr attr;
	long fd;

	(void)ctx;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config = config[0];
	attr.config1 = config[1];
	attr.config2 = config[2];
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	fd = syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : (int)fd;
}

static ssize_t sys_read(int fd, uint64_t v[3], void *ctx)
{
	ssize_t n;

	(void)ctx;
	do
		n = read(fd, v, 3 * sizeof(uint64_t));
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

static int sys_filter(int fd, const char *filter, void *ctx)
{
	(void)ctx;
	return ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) < 0 ? -errno : 0;
}

static void sys_close(int fd, void *ctx)
{
	(void)ctx;
	close(fd);
}

const struct ii_perf_ops ii_perf_sys = { sys_open, sys_read, sys_filter, sys_close, NULL };

int ii_perf_ctr_open(struct ii_perf_ctr *c, const struct ii_perf_ops *ops, uint32_t type,
		     const uint64_t config[3], const int *cpus, size_t ncpus)
{
	memset(c, 0, sizeof(*c));
	c->ops = ops;
	if (!ncpus)
		return -ENODEV;
	c->fds = xcalloc(ncpus, sizeof(*c->fds));
	for (size_t i = 0; i < ncpus; i++) {
		int fd = ops->open_ev(type, config, cpus[i], ops->ctx);

		if (fd < 0) {
			ii_perf_ctr_close(c);
			c->ops = ops;
			return fd;
		}
		c->fds[c->nfds++] = fd;
	}
	return 0;
}

int ii_perf_ctr_filter(struct ii_perf_ctr *c, const char *filter)
{
	for (size_t i = 0; i < c->nfds; i++) {
		int rc = c->ops->filter_ev(c->fds[i], filter, c->ops->ctx);

		if (rc < 0)
			return rc;
	}
	return 0;
}

uint64_t ii_perf_scale(uint64_t value, uint64_t enabled, uint64_t running)
{
	if (running == 0)
		return 0;
	if (running >= enabled)
		return value;
#ifdef __SIZEOF_INT128__
	{
		unsigned __int128 v = (unsigned __int128)value * enabled / running;

		return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
	}
#else
	{
		long double v = (long double)value * (long double)enabled / (long double)running;

		return v >= 18446744073709551615.0L ? UINT64_MAX : (uint64_t)v;
	}
#endif
}

int ii_perf_ctr_read(struct ii_perf_ctr *c, uint64_t *value, uint64_t *enabled,
		     uint64_t *running)
{
	uint64_t sum = 0, en = 0, run = 0;
	bool counted = false;

	for (size_t i = 0; i < c->nfds; i++) {
		uint64_t v[3] = { 0, 0, 0 };
		ssize_t n = c->ops->read_ev(c->fds[i], v, c->ops->ctx);

		if (n < 0)
			return (int)n;
		if (n != (ssize_t)sizeof(v))
			return -EIO; /* not the read_format asked for */
		if (v[2])
			counted = true;
		sum += ii_perf_scale(v[0], v[1], v[2]);
		en += v[1];
		run += v[2];
	}
	if (!counted && en)
		return -EAGAIN; /* enabled, never scheduled in: multiplexed out so far */
	*value = sum;
	*enabled = en;
	*running = run;
	return 0;
}

void ii_perf_ctr_close(struct ii_perf_ctr *c)
{
	for (size_t i = 0; i < c->nfds; i++)
		c->ops->close_ev(c->fds[i], c->ops->ctx);
	free(c->fds);
	memset(c, 0, sizeof(*c));
}
