/* SPDX-License-Identifier: MIT */
/*
 * Journal entries (src/parse/parse-journal-export.c): the fields of a systemd
 * journal entry that carry a kernel message, from libsystemd's sd-journal or
 * from the journal export format ("journalctl -o export", what
 * systemd-journal-remote reads, what `snapshot --journal-boots` writes):
 *
 *   __REALTIME_TIMESTAMP=1795322400999995      field "NAME=value"
 *   MESSAGE                                    or "NAME", a 64-bit little-endian
 *   <le64 length><bytes with newlines>         length and the bytes, when the
 *                                              value holds a newline
 *   (an empty line ends the entry)
 *
 * Pure: bytes in, fields and entries out; the writer appends to a buffer.
 */
#ifndef II_JEXPORT_H
#define II_JEXPORT_H

#include "ii.h"
#include "util.h"

/* A boot id as the journal prints it: 32 lowercase hexadecimal digits. */
#define II_BOOT_ID_LEN 32

/* What iommu-inspect reads of an entry. Pointers point into the caller's bytes. */
struct ii_jentry {
	bool kernel;                       /* _TRANSPORT=kernel */
	bool has_boot;
	char boot[II_BOOT_ID_LEN + 1];     /* _BOOT_ID */
	int prio;                          /* PRIORITY (0-7), -1 when absent */
	bool has_mono, mono_source;        /* mono_source: the kernel's own time */
	uint64_t mono;                     /* _SOURCE_MONOTONIC_TIMESTAMP, else __MONOTONIC_TIMESTAMP (us) */
	bool has_realtime;
	uint64_t realtime;                 /* __REALTIME_TIMESTAMP: us since 1970 */
	const char *msg;                   /* MESSAGE, not NUL-terminated; NULL when absent */
	size_t msg_len;
	const char *device;                /* _KERNEL_DEVICE ("+pci:0000:03:00.0"), or NULL */
	size_t device_len;
};

void ii_jentry_init(struct ii_jentry *e);
/* Take one field "NAME" = value (len bytes) into e; other fields are passed over. */
void ii_jentry_field(struct ii_jentry *e, const char *name, size_t name_len, const char *val,
		     size_t len);
/* "0f3c5d2a-9e8b-4c7d-8e9f-0a1b2c3d4e5f" or 32 hex digits -> 32 lowercase digits; false if not one. */
bool ii_boot_id_parse(const char *s, size_t len, char out[II_BOOT_ID_LEN + 1]);

/*
 * The next entry of export-format bytes buf[*off..len): each field goes to
 * e (ii_jentry_field). Returns 1 with *off past the entry, 0 at the end, or
 * -EBADMSG when the bytes are not export format (*off is then where they
 * stop making sense: the entries before were whole). An entry cut by the
 * end of buf is -EBADMSG too.
 */
int ii_jexport_next(const char *buf, size_t len, size_t *off, struct ii_jentry *e);

/* Append a field, in the binary form when the value holds a newline; then end the entry. */
void ii_jexport_put(struct strbuf *sb, const char *name, const char *val, size_t len);
void ii_jexport_put_u64(struct strbuf *sb, const char *name, uint64_t v);
void ii_jexport_end(struct strbuf *sb);

#endif
