// SPDX-License-Identifier: MIT
/*
 * vmhelper: the small static program the QEMU integration tests (tests/vm/)
 * run inside the guest, where only busybox is available. Built at test time
 * with `gcc -static`; never installed.
 *
 *   vmhelper edu BDF read|write IOVA COUNT
 *       enable memory decoding and bus mastering of QEMU's edu device at BDF
 *       (no driver bound) and have its DMA engine read COUNT bytes from IOVA
 *       into its buffer, or write COUNT bytes of its buffer to IOVA. BAR0:
 *       0x80 source, 0x88 destination, 0x90 count, 0x98 command (bit 0 run,
 *       bit 1 direction: 1 = to RAM); the buffer is at device address
 *       0x40000 and 4 KiB long (QEMU stops dead on a transfer beyond it).
 *   vmhelper kmsg [FROM_SEQ]
 *       print the kernel log records of /dev/kmsg as they are (the
 *       /dev/kmsg record format, continuation lines included), those with a
 *       sequence number >= FROM_SEQ; stops at the end of the log.
 *   vmhelper lastseq
 *       print the sequence number of the newest kernel log record.
 *   vmhelper quiet SECONDS TIMEOUT
 *       wait until the kernel log has had no new record for SECONDS, or
 *       TIMEOUT seconds have passed; prints how long it waited.
 *   vmhelper asuser UID GID PROGRAM [ARGS...]
 *       run PROGRAM with no supplementary groups as UID:GID.
 *   vmhelper vfio /dev/vfio/N
 *       what a VMM does first with a group: open it, ask whether it is viable
 *       (VFIO_GROUP_GET_STATUS), put it in a container (VFIO_GROUP_SET_CONTAINER)
 *       and give the container the type 1 IOMMU (VFIO_SET_IOMMU). Prints one
 *       line, "open=ok viable=1 container=ok iommu=ok" or where it failed and
 *       why; exit 0 when all of it worked, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#define EDU_ID 0x00
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_CNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_CMD_RUN 0x1
#define EDU_CMD_TO_RAM 0x2
#define EDU_BUF 0x40000
#define EDU_BUF_SIZE 4096
#define EDU_BAR_SIZE (1 << 20)
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define RECORD_MAX 16384

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmhelper: ");
	fprintf(stderr, fmt, arg, strerror(errno));
	fputc('\n', stderr);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int enable_device(const char *bdf)
{
	char path[256];
	uint16_t cmd, newcmd;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDWR);
	if (fd < 0)
		die("%s: %s", path);
	if (pread(fd, &cmd, 2, PCI_COMMAND) != 2)
		die("%s: reading COMMAND: %s", path);
	newcmd = cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (newcmd != cmd && pwrite(fd, &newcmd, 2, PCI_COMMAND) != 2)
		die("%s: writing COMMAND: %s", path);
	close(fd);
	return 0;
}

static int cmd_edu(int argc, char **argv)
{
	const char *bdf;
	bool to_ram;
	uint64_t iova, count;
	volatile uint8_t *bar;
	char path[256];
	double t0;
	int fd;

	if (argc != 5 || (strcmp(argv[2], "read") && strcmp(argv[2], "write"))) {
		fprintf(stderr, "usage: vmhelper edu BDF read|write IOVA COUNT\n");
		return 2;
	}
	bdf = argv[1];
	to_ram = !strcmp(argv[2], "write");
	iova = strtoull(argv[3], NULL, 0);
	count = strtoull(argv[4], NULL, 0);
	if (count == 0 || count > EDU_BUF_SIZE) {
		fprintf(stderr, "vmhelper: COUNT must be 1..%d (the edu buffer)\n", EDU_BUF_SIZE);
		return 2;
	}
	enable_device(bdf);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", bdf);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		die("%s: %s", path);
	bar = mmap(NULL, EDU_BAR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (bar == MAP_FAILED)
		die("%s: mmap: %s", path);
	close(fd);
	if ((*(volatile uint32_t *)(bar + EDU_ID) & 0xff) != 0xed) {
		fprintf(stderr, "vmhelper: %s: not an edu device (id 0x%08x)\n", bdf,
			*(volatile uint32_t *)(bar + EDU_ID));
		return 1;
	}
	*(volatile uint64_t *)(bar + EDU_DMA_SRC) = to_ram ? EDU_BUF : iova;
	*(volatile uint64_t *)(bar + EDU_DMA_DST) = to_ram ? iova : EDU_BUF;
	*(volatile uint64_t *)(bar + EDU_DMA_CNT) = count;
	*(volatile uint64_t *)(bar + EDU_DMA_CMD) = EDU_CMD_RUN | (to_ram ? EDU_CMD_TO_RAM : 0);
	t0 = now();
	while (*(volatile uint64_t *)(bar + EDU_DMA_CMD) & EDU_CMD_RUN) {
		if (now() - t0 > 10) {
			printf("%s: DMA %s iova=0x%" PRIx64 " count=%" PRIu64 " done=no\n", bdf,
			       argv[2], iova, count);
			return 1;
		}
		usleep(10000);
	}
	printf("%s: DMA %s iova=0x%" PRIx64 " count=%" PRIu64 " done=yes\n", bdf, argv[2], iova,
	       count);
	munmap((void *)bar, EDU_BAR_SIZE);
	return 0;
}

static int open_kmsg(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		die("%s: %s", "/dev/kmsg");
	return fd;
}

/* Read one record; 0 at the end of the log. Overwritten records (EPIPE) are skipped. */
static ssize_t read_record(int fd, char *buf)
{
	for (;;) {
		ssize_t n = read(fd, buf, RECORD_MAX - 1);

		if (n >= 0)
			return n;
		if (errno == EPIPE || errno == EINTR)
			continue;
		if (errno == EAGAIN)
			return 0;
		die("%s: %s", "/dev/kmsg");
	}
}

static int cmd_kmsg(int argc, char **argv)
{
	unsigned long long from = argc > 1 ? strtoull(argv[1], NULL, 10) : 0;
	char *buf = malloc(RECORD_MAX);
	int fd = open_kmsg();
	ssize_t n;

	while ((n = read_record(fd, buf)) > 0) {
		char *comma = memchr(buf, ',', (size_t)n);

		if (comma && strtoull(comma + 1, NULL, 10) >= from)
			fwrite(buf, 1, (size_t)n, stdout);
	}
	free(buf);
	return 0;
}

static int cmd_lastseq(void)
{
	char *buf = malloc(RECORD_MAX);
	unsigned long long last = 0;
	int fd = open_kmsg();
	ssize_t n;

	while ((n = read_record(fd, buf)) > 0) {
		char *comma = memchr(buf, ',', (size_t)n);
		if (comma)
			last = strtoull(comma + 1, NULL, 10);
	}
	printf("%llu\n", last);
	free(buf);
	return 0;
}

static int cmd_quiet(int argc, char **argv)
{
	double quiet = argc > 1 ? atof(argv[1]) : 2, limit = argc > 2 ? atof(argv[2]) : 30;
	double t0 = now(), last;
	char *buf = malloc(RECORD_MAX);
	int fd = open_kmsg();

	lseek(fd, 0, SEEK_END);
	last = now();
	while (now() - last < quiet && now() - t0 < limit) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int wait_ms = (int)((quiet - (now() - last)) * 1000) + 1;

		if (poll(&p, 1, wait_ms) > 0) {
			while (read_record(fd, buf) > 0)
				;
			last = now();
		}
	}
	printf("%.1f\n", now() - t0);
	free(buf);
	return 0;
}

static int cmd_asuser(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc < 4) {
		fprintf(stderr, "usage: vmhelper asuser UID GID PROGRAM [ARGS...]\n");
		return 2;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 10);
	gid = (gid_t)strtoul(argv[2], NULL, 10);
	if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0)
		die("%s: %s", "setuid");
	execvp(argv[3], argv + 3);
	die("%s: %s", argv[3]);
	return 1;
}

static int cmd_vfio(int argc, char **argv)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	int group, container;

	if (argc != 2) {
		fprintf(stderr, "usage: vmhelper vfio /dev/vfio/N\n");
		return 2;
	}
	group = open(argv[1], O_RDWR | O_CLOEXEC);
	if (group < 0) {
		printf("open=%s\n", strerror(errno));
		return 1;
	}
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &st) < 0) {
		printf("open=ok status=%s\n", strerror(errno));
		return 1;
	}
	printf("open=ok viable=%d", !!(st.flags & VFIO_GROUP_FLAGS_VIABLE));
	container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (container < 0) {
		printf(" container=%s\n", strerror(errno));
		return 1;
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0) {
		printf(" container=%s\n", strerror(errno));
		return 1;
	}
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0) {
		printf(" container=ok iommu=%s\n", strerror(errno));
		return 1;
	}
	printf(" container=ok iommu=ok\n");
	return (st.flags & VFIO_GROUP_FLAGS_VIABLE) ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "edu"))
		return cmd_edu(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "kmsg"))
		return cmd_kmsg(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "lastseq"))
		return cmd_lastseq();
	if (argc >= 2 && !strcmp(argv[1], "quiet"))
		return cmd_quiet(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "asuser"))
		return cmd_asuser(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "vfio"))
		return cmd_vfio(argc - 1, argv + 1);
	fprintf(stderr, "usage: vmhelper edu|kmsg|lastseq|quiet|asuser|vfio ...\n");
	return 2;
}
