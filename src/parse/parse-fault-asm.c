// SPDX-License-Identifier: MIT
/*
 * Faults from a sequence of log lines (kernel-interfaces §5.1-§5.5). The line
 * parser (src/parse-fault.c) sees one line at a time; this joins what the
 * kernel prints in pieces:
 *
 *  - Intel 2.6-3.x: the request line, then "DMAR:[fault reason NN] ...";
 *  - AMD 4.x: "AMD-Vi: Event logged [" and the event in the next record;
 *    6.x "Device not attached to domain properly" and its device line;
 *  - SMMUv3: "event 0x10 received:", four raw dwords, and from 7.x the
 *    decoded lines;
 *
 * and keeps count of what was not printed: ratelimit suppressions (given to
 * the vendor's next fault), Intel fault-status lines whose fault line never
 * came, hardware overflows, and gaps in /dev/kmsg sequence numbers. A piece
 * whose other half never comes is emitted as it is (complete = false) when
 * an unrelated line arrives or the log ends. Pure: no I/O.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "fault.h"

void ii_fasm_init(struct ii_fasm *a, const struct ii_fault_sink *sink)
{
	memset(a, 0, sizeof(*a));
	a->sink = *sink;
}

/* The next line of a record split over lines. */
static void append_msg(const struct ii_fasm *a, struct ii_fault *f, const char *text, size_t len)
{
	size_t n = strlen(f->msg);

	if (a->sink.no_msg || n + 2 >= sizeof(f->msg))
		return;
	f->msg[n++] = '\n';
	str_copy(f->msg + n, sizeof(f->msg) - n, text, len);
}

/* s (or "" when NULL) into dst, cut to fit: snprintf's "%s" without its cost. */
static void copy_str(char *dst, size_t size, const char *s)
{
	if (!s)
		s = "";
	str_copy(dst, size, s, strnlen(s, size - 1));
}

static void emit_fault(struct ii_fasm *a, struct ii_fault *f)
{
	if ((unsigned)f->vendor <= II_VENDOR_OTHER) {
		f->suppressed_before = a->suppressed[f->vendor];
		a->suppressed[f->vendor] = 0;
	}
	if (f->vendor == II_VENDOR_INTEL)
		a->status_pending = false;
	if (a->sink.fault)
		a->sink.fault(a->sink.ctx, f);
}

static void emit_drop(struct ii_fasm *a, enum ii_drop_kind kind, enum ii_vendor v,
		      const struct ii_logpos *pos, const char *fn, uint64_t count, uint64_t estimate,
		      const char *msg)
{
	struct ii_fault_drop d = { .pos = *pos, .kind = kind, .vendor = v, .count = count,
				   .estimate = estimate };

	copy_str(d.function, sizeof(d.function), fn);
	copy_str(d.msg, sizeof(d.msg), msg);
	if (a->sink.drop)
		a->sink.drop(a->sink.ctx, &d);
}

static void emit_unparsed(struct ii_fasm *a, const struct ii_logpos *pos, enum ii_vendor v,
			  const char *text, size_t len)
{
	if (a->sink.unparsed)
		a->sink.unparsed(a->sink.ctx, pos, v, text, len);
}

/* An Intel status line whose fault line never came: the fault was ratelimited away. */
static void status_lone(struct ii_fasm *a)
{
	if (!a->status_pending)
		return;
	a->status_pending = false;
	a->lone_status++;
	emit_drop(a, II_DROP_STATUS, II_VENDOR_INTEL, &a->status_pos, "dmar_fault", 1, 1,
		  a->status_msg);
}

/* The fields of a raw SMMUv3 event record (kernel-interfaces §5.5). */
static void smmu_decode_raw(struct ii_fault *f, const uint64_t raw[4])
{
	unsigned id = (unsigned)(raw[0] & 0xff);

	f->has_sid = true;
	f->sid = (uint32_t)(raw[0] >> 32);
	f->has_ssid = (raw[0] >> 11) & 1;
	f->ssid = (uint32_t)(raw[0] >> 12 & 0xfffff);
	f->has_pasid = f->has_ssid;
	f->pasid = f->ssid;
	if ((id >= 0x10 && id <= 0x13) || id == 0x01 || id == 0x05 || id == 0x07 || id == 0x0b) {
		f->has_addr = true;
		f->addr = raw[2];
	} else if (id == 0x03 || id == 0x09 || id == 0x25) {
		f->has_addr = true;
		f->addr = raw[3] & 0x000ffffffffffff8ull; /* the fetch address, bits 51:3 */
	}
	if ((id >= 0x10 && id <= 0x13) || id == 0x01) {
		f->access = (raw[1] >> 34 & 1) ? II_ACC_EXEC :
			    (raw[1] >> 35 & 1) ? II_ACC_READ : II_ACC_WRITE;
		f->priv = (int)(raw[1] >> 33 & 1);
	}
}

static void smmu_reason(struct ii_fault *f)
{
	const char *name = ii_smmu_event_name(f->reason_code);

	f->has_reason = true;
	f->event = name;
	f->kind = (f->reason_code >= 0x10 && f->reason_code <= 0x13) || f->reason_code == 0x01 ?
		  II_FK_DMA : II_FK_EVENT;
	if (name)
		snprintf(f->reason, sizeof(f->reason), "%s: %s", name,
			 ii_smmu_event_desc(f->reason_code));
	else
		snprintf(f->reason, sizeof(f->reason), "event 0x%02x: %s", f->reason_code,
			 ii_smmu_event_desc(f->reason_code));
}

/* Emit what waits for a next line that did not come. */
static void flush_pending(struct ii_fasm *a)
{
	enum ii_fasm_wait w = a->wait;

	a->wait = II_WAIT_NONE;
	switch (w) {
	case II_WAIT_NONE:
		return;
	case II_WAIT_AMD_BODY:
		/* "Event logged [" and nothing after it */
		emit_unparsed(a, &a->pend.pos, II_VENDOR_AMD, a->pend.msg, strlen(a->pend.msg));
		return;
	case II_WAIT_SMMU:
		a->pend.complete = a->dwords == 4 || a->decoded;
		emit_fault(a, &a->pend);
		return;
	case II_WAIT_INTEL_REASON:
	case II_WAIT_AMD_DEVLINE:
		a->pend.complete = false;
		emit_fault(a, &a->pend);
		return;
	}
}

/* The record's DEVICE= ("+pci:0000:03:00.0", "+iommu:ivhd0") for a fault whose line lacks it. */
static void apply_dict(struct ii_fault *f, const char *dict)
{
	const char *colon;
	struct ii_bdf b;

	if (!dict || dict[0] != '+' || !(colon = strchr(dict, ':')))
		return;
	if (!strncmp(dict, "+pci:", 5) && ii_parse_bdf(colon + 1, &b) == 0) {
		if (!f->has_bdf && f->vendor == II_VENDOR_AMD) {
			f->bdf = b;
			f->has_bdf = f->seg_known = true;
		}
		return;
	}
	if (!f->unit[0])
		copy_str(f->unit, sizeof(f->unit), colon + 1);
}

static bool same_unit(const struct ii_fasm *a, const struct ii_fline *fl)
{
	return !strcmp(a->pend.unit, fl->f.unit);
}

/* A line that may continue what waits; true when it did. */
static bool continue_pending(struct ii_fasm *a, const struct ii_fline *fl, const char *text,
			     size_t len)
{
	struct ii_fault *p = &a->pend;

	switch (a->wait) {
	case II_WAIT_NONE:
		return false;
	case II_WAIT_INTEL_REASON:
		if (fl->kind != II_FL_INTEL_REASON)
			return false;
		p->has_reason = true;
		p->reason_code = fl->f.reason_code;
		memcpy(p->reason, fl->f.reason, sizeof(p->reason));
		p->complete = true;
		append_msg(a, p, text, len);
		a->wait = II_WAIT_NONE;
		emit_fault(a, p);
		return true;
	case II_WAIT_AMD_BODY:
		if (fl->kind != II_FL_FAULT || fl->f.vendor != II_VENDOR_AMD)
			return false;
		{
			struct ii_logpos pos = p->pos;
			char first[II_FAULT_MSG_MAX];

			memcpy(first, p->msg, sizeof(first));
			*p = fl->f;
			p->pos = pos;
			memcpy(p->msg, first, sizeof(p->msg));
			append_msg(a, p, text, len);
		}
		a->wait = II_WAIT_NONE;
		emit_fault(a, p);
		return true;
	case II_WAIT_AMD_DEVLINE:
		if (fl->kind != II_FL_AMD_DEVLINE)
			return false;
		p->bdf = fl->f.bdf;
		p->has_bdf = fl->f.has_bdf;
		p->seg_known = fl->f.seg_known;
		p->has_domain = fl->f.has_domain;
		p->domain = fl->f.domain;
		p->complete = true;
		append_msg(a, p, text, len);
		a->wait = II_WAIT_NONE;
		emit_fault(a, p);
		return true;
	case II_WAIT_SMMU:
		if (fl->kind == II_FL_SMMU_DWORD && !strcmp(p->unit, fl->prefix_dev) &&
		    a->dwords < 4 && !a->decoded) {
			a->raw[a->dwords++] = fl->value;
			append_msg(a, p, text, len);
			if (a->dwords == 4)
				smmu_decode_raw(p, a->raw);
			return true;
		}
		if (fl->kind == II_FL_SMMU_DECODED && same_unit(a, fl) && !a->decoded &&
		    (a->dwords == 4 || a->dwords == 0) &&
		    (!p->has_sid || !fl->f.has_sid || p->sid == fl->f.sid)) {
			/* 7.x: the decoded line names the client */
			if (fl->f.has_bdf) {
				p->bdf = fl->f.bdf;
				p->has_bdf = true;
				p->seg_known = fl->f.seg_known;
			}
			memcpy(p->client, fl->f.client, sizeof(p->client));
			if (!p->has_addr && fl->f.has_addr) {
				p->has_addr = true;
				p->addr = fl->f.addr;
			}
			a->decoded = true;
			append_msg(a, p, text, len);
			return true;
		}
		if (fl->kind == II_FL_SMMU_ACCESS && same_unit(a, fl) && a->decoded) {
			p->priv = fl->f.priv;
			p->access = fl->f.access;
			p->complete = true;
			append_msg(a, p, text, len);
			a->wait = II_WAIT_NONE;
			emit_fault(a, p);
			return true;
		}
		return false;
	}
	return false;
}

static void start_pending(struct ii_fasm *a, const struct ii_fline *fl,
			  const struct ii_logpos *pos, enum ii_fasm_wait w)
{
	a->pend = fl->f;
	a->pend.pos = *pos;
	a->wait = w;
	a->dwords = 0;
	a->decoded = false;
}

/* A line that a->fl holds parsed. */
static void parsed(struct ii_fasm *a, const struct ii_logpos *pos, const char *text, size_t len,
		   const char *dict)
{
	struct ii_fline *fl = &a->fl;
	uint64_t est;

	a->lines++;
	if (fl->kind != II_FL_NONE) {
		apply_dict(&fl->f, dict);
		/* an AMD first half alone is kept as an unparsed line: its text is needed */
		if (!a->sink.no_msg || fl->kind == II_FL_AMD_OPEN)
			str_copy(fl->f.msg, sizeof(fl->f.msg), text, len);
	}
	if (a->wait != II_WAIT_NONE) {
		/* the pieces of a record come one after the other; any other line ends it */
		if (continue_pending(a, fl, text, len))
			return;
		flush_pending(a);
	}
	if (fl->kind == II_FL_NONE)
		return;
	switch (fl->kind) {
	case II_FL_NONE:
	case II_FL_SMMU_DWORD:
	case II_FL_SMMU_ACCESS:
		return; /* without the lines they belong to, they say nothing */
	case II_FL_FAULT:
		fl->f.pos = *pos;
		emit_fault(a, &fl->f);
		return;
	case II_FL_UNPARSED:
	case II_FL_INTEL_REASON:
		if (fl->f.vendor == II_VENDOR_INTEL)
			a->status_pending = false;
		emit_unparsed(a, pos, fl->f.vendor, text, len);
		return;
	case II_FL_INTEL_HALF:
		a->status_pending = false;
		start_pending(a, fl, pos, II_WAIT_INTEL_REASON);
		return;
	case II_FL_AMD_OPEN:
		start_pending(a, fl, pos, II_WAIT_AMD_BODY);
		return;
	case II_FL_AMD_NOTATTACHED:
		start_pending(a, fl, pos, II_WAIT_AMD_DEVLINE);
		return;
	case II_FL_AMD_DEVLINE:
		/* its first line was lost: the device line says enough */
		fl->f.pos = *pos;
		fl->f.has_reason = true;
		fl->f.reason_code = 0x2;
		fl->f.event = ii_amd_event_name(0x2);
		fl->f.complete = false;
		snprintf(fl->f.reason, sizeof(fl->f.reason),
			 "IO_PAGE_FAULT: the device is not attached to a domain");
		emit_fault(a, &fl->f);
		return;
	case II_FL_SMMU_HEAD:
		start_pending(a, fl, pos, II_WAIT_SMMU);
		a->pend.reason_code = (unsigned)fl->value;
		smmu_reason(&a->pend);
		a->pend.complete = false;
		return;
	case II_FL_SMMU_DECODED:
		start_pending(a, fl, pos, II_WAIT_SMMU);
		a->dwords = 4;
		a->decoded = true;
		if (a->pend.has_reason)
			smmu_reason(&a->pend);
		else
			snprintf(a->pend.reason, sizeof(a->pend.reason), "UNKNOWN event");
		return;
	case II_FL_SUPPRESSED:
		if (fl->f.vendor == II_VENDOR_INTEL) {
			/*
			 * dmar_fault takes three ratelimit tokens per single-record
			 * interrupt (status line, record, empty pass); a status line
			 * printed without its fault already stands for one fault
			 * and two of the refused calls.
			 */
			uint64_t calls = fl->value;

			status_lone(a);
			calls = calls > 2ull * a->lone_status ? calls - 2ull * a->lone_status : 0;
			est = (calls + 2) / 3;
			a->lone_status = 0;
		} else {
			est = fl->value;
		}
		if ((unsigned)fl->f.vendor <= II_VENDOR_OTHER)
			a->suppressed[fl->f.vendor] += fl->value;
		emit_drop(a, II_DROP_SUPPRESSED, fl->f.vendor, pos, fl->function, fl->value, est,
			  fl->f.msg[0] ? fl->f.msg : NULL);
		return;
	case II_FL_STATUS:
		status_lone(a);
		if (fl->value & 0x1)
			emit_drop(a, II_DROP_OVERFLOW, II_VENDOR_INTEL, pos, NULL, 1, 1, fl->f.msg);
		if (fl->value & 0x2) {
			a->status_pending = true;
			a->status_pos = *pos;
			if (fl->f.msg[0])
				copy_str(a->status_msg, sizeof(a->status_msg), fl->f.msg);
			else
				a->status_msg[0] = '\0'; /* no text was copied (sink.no_msg) */
		}
		return;
	case II_FL_OVERFLOW:
		emit_drop(a, II_DROP_OVERFLOW, fl->f.vendor, pos, NULL, 1, 1, fl->f.msg);
		return;
	}
}

static void line(struct ii_fasm *a, const struct ii_logpos *pos, const char *text, size_t len,
		 const char *dict)
{
	ii_fault_parse_line(text, len, &a->fl);
	parsed(a, pos, text, len, dict);
}

void ii_fasm_seen(struct ii_fasm *a, const struct ii_logpos *pos)
{
	if (pos->has_seq) {
		if (!a->have_seq) {
			a->first_seq = pos->seq;
		} else if (pos->seq > a->last_seq + 1) {
			uint64_t lost = pos->seq - a->last_seq - 1;
			char msg[96];

			a->lost += lost;
			snprintf(msg, sizeof(msg), "kernel log records %llu to %llu were lost",
				 (unsigned long long)a->last_seq + 1,
				 (unsigned long long)pos->seq - 1);
			emit_drop(a, II_DROP_LOST, II_VENDOR_NONE, pos, NULL, lost, 0, msg);
		}
		a->have_seq = true;
		a->last_seq = pos->seq;
	}
}

void ii_fasm_record(struct ii_fasm *a, const struct ii_logpos *pos, const char *text, size_t len,
		    const char *dict_device)
{
	const char *end = text + len;

	a->records++;
	ii_fasm_seen(a, pos);
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t n = nl ? (size_t)(nl - text) : (size_t)(end - text);

		line(a, pos, text, n, dict_device);
		text += n + (nl ? 1 : 0);
	}
}

void ii_fasm_line(struct ii_fasm *a, const struct ii_logpos *pos, const char *text, size_t len,
		  const char *dict_device)
{
	a->records++;
	ii_fasm_seen(a, pos);
	if (len) /* as ii_fasm_record: an empty record has no line */
		line(a, pos, text, len, dict_device);
}

void ii_fasm_line_pre(struct ii_fasm *a, const struct ii_logpos *pos, const char *text,
		      size_t len, const char *dict_device, const unsigned char *pre)
{
	a->records++;
	ii_fasm_seen(a, pos);
	if (len) {
		ii_fline_unpack(pre, &a->fl);
		parsed(a, pos, text, len, dict_device);
	}
}

void ii_fasm_flush(struct ii_fasm *a)
{
	flush_pending(a);
	status_lone(a);
}

void ii_fasm_idle(struct ii_fasm *a)
{
	flush_pending(a);
}
