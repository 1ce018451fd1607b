/* SPDX-License-Identifier: MIT */
/*
 * What `check` reads to keep the host's own devices out of a virtual machine
 * (src/parse/parse-host.c): the root filesystem's mount, the default routes'
 * interfaces and whether an input device is a keyboard. Pure: text in,
 * structs out.
 */
#ifndef II_HOSTPARSE_H
#define II_HOSTPARSE_H

#include "parse.h"

/* The mount of "/" in proc/self/mountinfo (the last one: a later mount hides the ones below). */
struct ii_mount {
	unsigned major, minor;  /* st_dev of the filesystem; major 0: no block device (tmpfs, btrfs...) */
	char fstype[32];
	char source[256];       /* "/dev/nvme0n1p2", "rpool/ROOT", "none"; octal escapes decoded */
};
/* 0 and *out, -ENOENT when no line mounts "/", -EINVAL when a line that does is malformed. */
int ii_parse_mountinfo_root(const char *text, struct ii_mount *out);

/*
 * The interfaces of the default routes: proc/net/route (IPv4: destination and mask 0,
 * the route up) and proc/net/ipv6_route (::/0 up and not a reject route, not on lo),
 * added to *ifaces once each, in the order of their metric. Returns the number of lines
 * that were not understood (the header excepted).
 */
size_t ii_parse_route_defaults(const char *text, struct strlist *ifaces);
size_t ii_parse_route6_defaults(const char *text, struct strlist *ifaces);

/*
 * Whether an input device is a keyboard, from its capabilities/ev and capabilities/key
 * (hex words, the most significant first), by udev's rule (input_id): it reports keys
 * and has all of the first 31 key codes (Esc, the digits, the first letters).
 * 1, 0, or -EINVAL when a bitmap is malformed.
 */
int ii_parse_input_keyboard(const char *ev, const char *key);

#endif
