// SPDX-License-Identifier: MIT
/*
 * Faults in text and JSON: one line (or object) per fault, what was not
 * printed, unparsed lines, what was read, the summary and the --check
 * verdict. Each field is written once, with its JSON key and text format.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render-faults.h"

static unsigned long long secs(uint64_t usec)
{
	return (unsigned long long)(usec / 1000000);
}

static unsigned long long frac(uint64_t usec)
{
	return (unsigned long long)(usec % 1000000);
}

/* Where it was logged: "[    9.423946] " like dmesg, the date a text log gave, or its line. */
static void position(struct ii_out *o, const struct ii_logpos *pos)
{
	if (pos->has_seq)
		out_uint(o, "seq", NULL, pos->seq);
	else
		out_null(o, "seq", NULL);
	if (pos->has_usec) {
		out_uint(o, "timestamp_us", NULL, pos->usec);
		out_text(o, "[%5llu.%06llu] ", secs(pos->usec), frac(pos->usec));
	} else {
		out_null(o, "timestamp_us", NULL);
		if (pos->wall[0])
			out_text(o, "[%s] ", pos->wall);
		else if (pos->lineno)
			out_text(o, "[line %llu] ", (unsigned long long)pos->lineno);
		else
			out_text(o, "[-] ");
	}
	out_str(o, "time", NULL, pos->wall[0] ? pos->wall : NULL);
	if (pos->lineno)
		out_uint(o, "line", NULL, pos->lineno);
	else
		out_null(o, "line", NULL);
}

/* "Vendor 1234 Device 11e8", as the PCI ID database names it. */
static void device_name(const struct ii_device *d, char *buf, size_t size)
{
	char v[16], dv[16];

	snprintf(v, sizeof(v), "Vendor %04x", d->vendor_id);
	snprintf(dv, sizeof(dv), "Device %04x", d->device_id);
	snprintf(buf, size, "%s %s", d->vendor_name ? d->vendor_name : v,
		 d->device_name ? d->device_name : dv);
}

static void attribution(struct ii_out *o, const struct ii_fault_view *v, const struct ii_fault *f)
{
	const struct ii_device *d = f->dev;
	char name[160];

	if (!d && f->via) {
		/* a bridge's DMA alias: the group of the devices behind it, not one device */
		out_text(o, " (DMA alias of the devices behind %s,", f->via->name);
		if (f->group >= 0)
			out_int(o, "group", " group %lld)", f->group);
		else
			out_null(o, "group", " in no group)");
		out_null(o, "driver", NULL);
		out_null(o, "names", NULL);
		out_null(o, "device_name", NULL);
		return;
	}
	if (!d) {
		out_null(o, "group", NULL);
		out_null(o, "driver", NULL);
		out_null(o, "names", NULL);
		out_null(o, "device_name", NULL);
		if (v->attributed && (f->has_bdf || f->client[0]))
			out_text(o, " (no such device on this machine)");
		return;
	}
	if (d->group >= 0)
		out_int(o, "group", " (group %lld", d->group);
	else
		out_null(o, "group", " (group %s");
	out_str(o, "driver", d->driver ? ", driver %s" : ", no driver", d->driver);
	out_strlist(o, "names", d->names.n ? ", %s" : NULL, " ", &d->names);
	out_text(o, ")");
	if (d->valid & II_DV_IDS) {
		device_name(d, name, sizeof(name));
		out_str(o, "device_name", NULL, name);
	} else {
		out_null(o, "device_name", NULL);
	}
}

void render_fault(struct ii_out *o, const struct ii_fault_view *v, const struct ii_fault *f)
{
	char buf[II_BDF_MAX];
	const char *req = ii_fault_requester(f, buf);
	const char *acc = ii_access_key(f->access);

	if (v->ndjson)
		out_str(o, "type", NULL, "fault");
	position(o, &f->pos);
	out_str(o, "vendor", "%s ", ii_vendor_key(f->vendor));
	out_str(o, "unit", "%s ", f->unit[0] ? f->unit : NULL);
	if (f->has_bdf) {
		out_str(o, "bdf", "%s ", req);
		out_null(o, "client", NULL);
	} else {
		out_null(o, "bdf", NULL);
		out_str(o, "client", "%s ", req);
	}
	if (f->priv >= 0) {
		out_bool(o, "privileged", NULL, f->priv == 1);
		out_text(o, f->priv ? "priv " : "unpriv ");
	} else {
		out_null(o, "privileged", NULL);
	}
	out_str(o, "access", "%s", acc);
	if (f->has_pasid)
		out_uint(o, "pasid", " pasid 0x%llx", f->pasid);
	else
		out_null(o, "pasid", NULL);
	if (f->has_addr)
		out_hex(o, "address", " addr 0x%llx", f->addr, 0);
	else
		out_null(o, "address", NULL);
	if (f->has_index)
		out_uint(o, "index", " index 0x%llx", f->index);
	else
		out_null(o, "index", NULL);
	if (f->has_domain)
		out_uint(o, "domain", " domain 0x%04llx", f->domain);
	else
		out_null(o, "domain", NULL);
	if (f->has_sid)
		/* a virtio-iommu endpoint ID: decimal, as its driver prints it ("EP 40") */
		out_uint(o, "sid", f->vendor == II_VENDOR_VIRTIO ? " EP %llu" : " sid 0x%llx",
			 f->sid);
	else
		out_null(o, "sid", NULL);
	if (f->has_ssid)
		out_uint(o, "ssid", f->has_pasid ? NULL : " ssid 0x%llx", f->ssid);
	else
		out_null(o, "ssid", NULL);
	out_text(o, ": ");
	if (f->has_reason) {
		const char *fmt = f->vendor == II_VENDOR_INTEL ? "0x%02llx " :
				  f->vendor == II_VENDOR_ARM_SMMU ? "fsr 0x%llx: " : NULL;
		out_uint(o, "reason_code", fmt, f->reason_code);
		out_str_role(o, "reason", "%s", f->reason, II_ROLE_FAULT);
	} else {
		out_null(o, "reason_code", NULL);
		out_null(o, "reason", "reason unknown");
	}
	out_str(o, "event", NULL, f->event);
	out_str(o, "kind", NULL, ii_fault_kind_key(f->kind));
	if (f->has_flags) {
		out_hex(o, "flags", NULL, f->flags, 4);
		if (f->vendor == II_VENDOR_AMD) {
			struct strlist l = { 0 };

			ii_fault_flag_list(f, &l);
			out_strlist(o, "flag_names", " [flags %s]", " ", &l);
			sl_free(&l);
		} else {
			out_text(o, " [fsynr 0x%x]", f->flags);
			out_null(o, "flag_names", NULL);
		}
	} else {
		out_null(o, "flags", NULL);
		out_null(o, "flag_names", NULL);
	}
	out_bool(o, "complete", NULL, f->complete);
	if (!f->complete)
		out_text(o, " [incomplete]");
	out_uint(o, "suppressed_before", NULL, f->suppressed_before);
	attribution(o, v, f);
	if (f->annotation[0])
		out_str(o, "annotation", " [%s]", f->annotation);
	out_str(o, "message", NULL, f->msg);
	out_text(o, "\n");
}

void render_fault_drop(struct ii_out *o, const struct ii_fault_view *v,
		       const struct ii_fault_drop *d)
{
	if (v->ndjson)
		out_str(o, "type", NULL, "dropped");
	position(o, &d->pos);
	out_str(o, "kind", NULL, ii_drop_kind_key(d->kind));
	if (d->kind == II_DROP_LOST)
		out_null(o, "vendor", "kernel log: ");
	else
		out_str(o, "vendor", "%s: ", ii_vendor_key(d->vendor));
	out_str(o, "function", NULL, d->function[0] ? d->function : NULL);
	out_uint(o, "count", NULL, d->count);
	out_uint(o, "estimate", NULL, d->estimate);
	switch (d->kind) {
	case II_DROP_SUPPRESSED:
		out_text(o, "%s: %llu callbacks suppressed by the ratelimit: about %llu fault%s not "
			 "printed\n", d->function, (unsigned long long)d->count,
			 (unsigned long long)d->estimate, d->estimate == 1 ? "" : "s");
		break;
	case II_DROP_STATUS:
		out_text(o, "a fault status line without its fault line: 1 fault not printed "
			 "(ratelimited)\n");
		break;
	case II_DROP_OVERFLOW:
		out_text(o, "the IOMMU's fault log overflowed: faults were lost\n");
		break;
	case II_DROP_LOST:
		out_text(o, "%llu record%s lost (overwritten before they were read)\n",
			 (unsigned long long)d->count, d->count == 1 ? "" : "s");
		break;
	}
	out_str(o, "message", NULL, d->msg[0] ? d->msg : NULL);
}

void render_fault_unparsed(struct ii_out *o, const struct ii_fault_view *v,
			   const struct ii_logpos *pos, const char *line)
{
	if (v->ndjson)
		out_str(o, "type", NULL, "unparsed");
	position(o, pos);
	out_str(o, "message", "unparsed: %s\n", line);
}

/* --------------------------------------------------------------- the list */

void render_flist_begin(struct ii_flist *l, struct ii_out *doc, FILE *f,
			const struct ii_fault_view *v, enum ii_flist_mode mode, struct ii_frun *run)
{
	memset(l, 0, sizeof(*l));
	l->doc = l->o = doc;
	l->f = f;
	l->v = v;
	l->mode = mode;
	l->run = run;
	if (mode == II_FLIST_JSON) {
		out_open_arr(doc, "faults");
	} else if (mode == II_FLIST_TEXT_AUTO) {
		/* into memory, until there are too many to list */
		l->mem = open_memstream(&l->membuf, &l->memlen);
		if (l->mem) {
			l->o = out_new(l->mem, II_FMT_TEXT, false);
			out_set_color(l->o, out_color(doc));
		} else {
			l->mode = II_FLIST_TEXT;
		}
	}
}

/* A write failed (the reader went away, most often): reading on would show nothing. */
static void written(struct ii_flist *l)
{
	if (ferror(l->f))
		ii_frun_stop(l->run);
}

/* --follow: one record, written and flushed now. */
static void stream_begin(struct ii_flist *l)
{
	out_record_begin(l->o);
}

static void stream_end(struct ii_flist *l)
{
	int err = out_record_end(l->o);

	if (err < 0 && !l->werr) {
		l->werr = err;
		ii_frun_stop(l->run);
	}
}

/* II_FLIST_TEXT_AUTO: one more fault or line, if it is still to be listed. */
static bool room(struct ii_flist *l)
{
	if (l->too_long)
		return false;
	if (++l->items > II_FLIST_AUTO_MAX) {
		l->too_long = true;
		return false;
	}
	return true;
}

void render_flist_fault(void *ctx, const struct ii_fault *f)
{
	struct ii_flist *l = ctx;

	switch (l->mode) {
	case II_FLIST_NONE:
		return;
	case II_FLIST_STREAM:
		stream_begin(l);
		render_fault(l->o, l->v, f);
		stream_end(l);
		return;
	case II_FLIST_JSON:
		out_open_obj(l->o, NULL);
		render_fault(l->o, l->v, f);
		out_close_obj(l->o);
		written(l);
		return;
	case II_FLIST_TEXT:
		l->items++;
		render_fault(l->o, l->v, f);
		written(l);
		return;
	case II_FLIST_TEXT_AUTO:
		if (room(l))
			render_fault(l->o, l->v, f);
		return;
	}
}

void render_flist_drop(void *ctx, const struct ii_fault_drop *d)
{
	struct ii_flist *l = ctx;

	switch (l->mode) {
	case II_FLIST_NONE:
	case II_FLIST_JSON: /* after the faults: render_fault_kept */
		return;
	case II_FLIST_STREAM:
		stream_begin(l);
		render_fault_drop(l->o, l->v, d);
		stream_end(l);
		return;
	case II_FLIST_TEXT:
		render_fault_drop(l->o, l->v, d);
		written(l);
		return;
	case II_FLIST_TEXT_AUTO:
		if (!l->too_long)
			render_fault_drop(l->o, l->v, d);
		return;
	}
}

void render_flist_unparsed(void *ctx, const struct ii_logpos *pos, const char *line)
{
	struct ii_flist *l = ctx;

	switch (l->mode) {
	case II_FLIST_NONE:
	case II_FLIST_JSON: /* after the faults: render_fault_kept */
		return;
	case II_FLIST_STREAM:
		stream_begin(l);
		render_fault_unparsed(l->o, l->v, pos, line);
		stream_end(l);
		return;
	case II_FLIST_TEXT:
		l->items++;
		render_fault_unparsed(l->o, l->v, pos, line);
		written(l);
		return;
	case II_FLIST_TEXT_AUTO:
		if (room(l))
			render_fault_unparsed(l->o, l->v, pos, line);
		return;
	}
}

void render_flist_warning(struct ii_flist *l, const char *msg)
{
	if (l->mode != II_FLIST_STREAM || !out_is_json(l->o))
		return;
	stream_begin(l);
	out_str(l->o, "type", NULL, "warning");
	out_str(l->o, "message", NULL, msg);
	stream_end(l);
}

void render_flist_error(struct ii_flist *l, const char *msg)
{
	if (l->mode != II_FLIST_STREAM || !out_is_json(l->o)) {
		out_error(l->doc, "%s", msg);
		return;
	}
	stream_begin(l);
	out_str(l->o, "type", NULL, "error");
	out_error(l->o, "%s", msg);
	stream_end(l);
}

void render_flist_end(struct ii_flist *l)
{
	if (l->mem) {
		out_free(l->o);
		fclose(l->mem);
		l->mem = NULL;
		l->o = l->doc;
		if (!l->too_long && l->membuf)
			out_text_rendered(l->o, l->membuf);
		if (!l->too_long && l->memlen)
			out_text(l->o, "\n");
		free(l->membuf);
		l->membuf = NULL;
	} else if (l->mode == II_FLIST_TEXT && l->items) {
		out_text(l->o, "\n");
	}
	if (l->mode == II_FLIST_JSON)
		out_close_arr(l->doc);
}

void render_flist_footer(struct ii_flist *l)
{
	if (l->too_long)
		out_text(l->doc, "(too many to list: --list shows each one)\n");
}

void render_fault_kept(struct ii_out *o, const struct ii_fault_view *v, const struct ii_frun *r)
{
	out_open_arr(o, "unparsed");
	for (size_t i = 0; i < r->nunparsed; i++) {
		out_open_obj(o, NULL);
		render_fault_unparsed(o, v, &r->unparsed[i].pos, r->unparsed[i].line);
		out_close_obj(o);
	}
	out_close_arr(o);
	out_open_arr(o, "dropped");
	for (size_t i = 0; i < r->ndrops; i++) {
		out_open_obj(o, NULL);
		render_fault_drop(o, v, &r->drops[i]);
		out_close_obj(o);
	}
	out_close_arr(o);
}

void render_fault_log(struct ii_out *o, const struct ii_fault_log *l)
{
	out_open_obj(o, "log");
	out_str(o, "path", NULL, l->path);
	out_str(o, "format", NULL, ii_log_format_key(l->format));
	out_uint(o, "records", NULL, l->records);
	if (l->has_first_seq)
		out_uint(o, "first_seq", NULL, l->first_seq);
	else
		out_null(o, "first_seq", NULL);
	out_uint(o, "bad_lines", NULL, l->bad);
	out_uint(o, "overlong_lines", NULL, l->overlong);
	out_uint(o, "overruns", NULL, l->overruns);
	out_close_obj(o);
}

/* ---------------------------------------------------------------- summary */

static void time_cell(struct ii_out *o, const char *key, bool has, uint64_t usec)
{
	if (has)
		out_uint(o, key, NULL, usec);
	else
		out_null(o, key, NULL);
	if (has)
		out_text(o, "  %6llu.%06llu", secs(usec), frac(usec));
	else
		out_text(o, "  %13s", "-");
}

static void summary_row(struct ii_out *o, const struct ii_fault_view *v,
			const struct ii_fsum_row *r, int drv_width)
{
	char code[24] = "", dfmt[16];

	out_open_obj(o, NULL);
	if (r->has_bdf) {
		out_str(o, "bdf", "%-12s", r->key);
		out_null(o, "client", NULL);
	} else {
		out_null(o, "bdf", NULL);
		out_str(o, "client", r->has_sid ? NULL : "%-12s", r->key[0] ? r->key : NULL);
	}
	if (r->has_sid) {
		out_uint(o, "sid", NULL, r->sid);
		out_text(o, "%-12s", r->key);
	} else {
		out_null(o, "sid", NULL);
	}
	if (r->dev && r->dev->group >= 0)
		out_int(o, "group", "  %5lld", r->dev->group);
	else if (!r->dev && r->group >= 0) /* a bridge's DMA alias */
		out_int(o, "group", "  %5lld", r->group);
	else
		out_null(o, "group", "  %5s");
	snprintf(dfmt, sizeof(dfmt), "  %%-%ds", drv_width);
	if (v->attributed && r->dev)
		out_str(o, "driver", dfmt, r->dev->driver);
	else
		out_null(o, "driver", dfmt);
	out_str(o, "vendor", "  %-11s", ii_vendor_key(r->vendor));
	out_uint(o, "count", "  %7llu", r->count);
	out_uint(o, "reads", NULL, r->reads);
	out_uint(o, "writes", NULL, r->writes);
	time_cell(o, "first_timestamp_us", r->has_time, r->first_usec);
	time_cell(o, "last_timestamp_us", r->has_time, r->last_usec);
	if (r->has_rate) {
		out_uint(o, "per_hour", NULL, r->per_hour);
		out_text(o, "  %9.1f", r->per_min);
	} else {
		out_null(o, "per_hour", "  %9s");
	}
	out_uint(o, "suppressed_callbacks", NULL, r->suppressed);
	out_uint(o, "dropped_estimate", "  %7llu", r->dropped);
	if (r->has_reason) {
		if (r->vendor == II_VENDOR_INTEL)
			snprintf(code, sizeof(code), "0x%02x ", r->reason_code);
		else if (r->vendor == II_VENDOR_ARM_SMMU)
			snprintf(code, sizeof(code), "fsr 0x%x: ", r->reason_code);
		out_uint(o, "reason_code", NULL, r->reason_code);
		out_text(o, "  %s", code);
		out_str_role(o, "reason", "%s", r->reason, II_ROLE_FAULT);
	} else {
		out_null(o, "reason_code", NULL);
		out_null(o, "reason", "  reason unknown");
	}
	out_str(o, "event", NULL, r->event);
	out_str(o, "kind", NULL, ii_fault_kind_key(r->kind));
	out_text(o, "\n");
	out_close_obj(o);
}

void render_fault_summary(struct ii_out *o, const struct ii_fault_view *v, const struct ii_fsum *s,
			  const struct ii_fault_irqs *irq, const struct ii_fault_log *l)
{
	size_t ndev = s->requesters;
	int drv_width = 6;

	out_open_obj(o, "summary");
	out_uint(o, "faults", NULL, s->faults);
	out_uint(o, "unparsed", NULL, s->unparsed);
	out_uint(o, "devices", NULL, ndev);
	if (s->has_time) {
		out_uint(o, "first_timestamp_us", NULL, s->first_usec);
		out_uint(o, "last_timestamp_us", NULL, s->last_usec);
	} else {
		out_null(o, "first_timestamp_us", NULL);
		out_null(o, "last_timestamp_us", NULL);
	}
	if (!s->faults) {
		out_text(o, "No IOMMU faults%s in the kernel log (%llu %s from %s).\n",
			 v->filtered ? " that match" : "", (unsigned long long)l->records,
			 l->format == II_LOG_KMSG ? "records" : "lines", l->path);
	} else {
		out_text(o, "%llu IOMMU fault%s from %zu device%s", (unsigned long long)s->faults,
			 s->faults == 1 ? "" : "s", ndev, ndev == 1 ? "" : "s");
		if (s->has_time)
			out_text(o, ", %llu.%06llu to %llu.%06llu s after boot", secs(s->first_usec),
				 frac(s->first_usec), secs(s->last_usec), frac(s->last_usec));
		out_text(o, ":\n");
	}
	for (size_t i = 0; i < s->nrows; i++) {
		const struct ii_device *d = s->rows[i].dev;
		if (v->attributed && d && d->driver && (int)strlen(d->driver) > drv_width)
			drv_width = (int)strlen(d->driver);
	}
	if (s->nrows)
		out_text(o, "%-12s  %5s  %-*s  %-11s  %7s  %13s  %13s  %9s  %7s  %s\n", "DEVICE", "GROUP",
			 drv_width, "DRIVER", "VENDOR", "COUNT", "FIRST", "LAST", "RATE/MIN",
			 "DROPPED", "REASON");
	out_open_arr(o, "by_device");
	for (size_t i = 0; i < s->nrows; i++)
		summary_row(o, v, &s->rows[i], drv_width);
	out_close_arr(o);

	out_uint(o, "suppressed_callbacks", NULL, s->suppressed);
	out_uint(o, "dropped_estimate", NULL, s->dropped);
	out_uint(o, "dropped_unattributed", NULL, s->dropped_unattributed);
	out_uint(o, "status_only", NULL, s->status_only);
	out_uint(o, "overflows", NULL, s->overflows);
	out_uint(o, "lost_records", NULL, s->lost_records);
	if (s->dropped || s->suppressed || s->overflows) {
		out_text(o, "Not printed: about %llu fault%s", (unsigned long long)s->dropped,
			 s->dropped == 1 ? "" : "s");
		if (s->suppressed)
			out_text(o, "; %llu ratelimit callback%s suppressed",
				 (unsigned long long)s->suppressed, s->suppressed == 1 ? "" : "s");
		if (s->status_only)
			out_text(o, "; %llu fault status line%s without the fault",
				 (unsigned long long)s->status_only, s->status_only == 1 ? "" : "s");
		if (s->overflows)
			out_text(o, "; the IOMMU's fault log overflowed %llu time%s",
				 (unsigned long long)s->overflows, s->overflows == 1 ? "" : "s");
		out_text(o, ".\n");
	}
	if (s->unparsed)
		out_text(o, "%llu line%s look%s like IOMMU faults but could not be decoded.\n",
			 (unsigned long long)s->unparsed, s->unparsed == 1 ? "" : "s",
			 s->unparsed == 1 ? "s" : "");
	if (s->lost_records)
		out_text(o, "The kernel log lost %llu record%s while it was read: faults among them "
			 "are missing.\n", (unsigned long long)s->lost_records,
			 s->lost_records == 1 ? "" : "s");
	if (l->has_first_seq && l->first_seq > 0)
		out_text(o, "The kernel log starts at record %llu: the %llu before it were "
			 "overwritten (a larger log_buf_len keeps them).\n",
			 (unsigned long long)l->first_seq, (unsigned long long)l->first_seq);

	if (irq->known) {
		out_open_obj(o, "interrupts");
		out_uint(o, "count", NULL, irq->count);
		out_uint(o, "faults_printed", NULL, irq->printed);
		out_bool(o, "log_complete", NULL, irq->log_complete);
		if (irq->has_estimate)
			out_uint(o, "not_printed_estimate", NULL, irq->not_printed);
		else
			out_null(o, "not_printed_estimate", NULL);
		out_close_obj(o);
	}
	if (irq->known && (irq->count || s->faults)) {
		out_text(o, "Interrupts: %llu on the IOMMU fault interrupts in proc/interrupts, %llu "
			 "fault%s of all devices printed", irq->count, (unsigned long long)irq->printed,
			 irq->printed == 1 ? "" : "s");
		if (!irq->log_complete)
			out_text(o, " (but the log lost its first records)");
		else if (irq->not_printed)
			out_text(o, ": at least %llu not printed", (unsigned long long)irq->not_printed);
		out_text(o, ".\n");
	} else if (!irq->known) {
		out_null(o, "interrupts", NULL);
	}
	out_close_obj(o);
}

/* ------------------------------------------------------------------ check */

void render_fault_check(struct ii_out *o, const struct ii_fault_check *c)
{
	const struct ii_fault *last = c->last;
	uint64_t n = c->faults;
	size_t ndev = c->devices;
	char buf[II_BDF_MAX];

	out_open_obj(o, "check");
	out_bool(o, "ok", NULL, c->ok);
	out_uint(o, "faults", NULL, n);
	out_uint(o, "max", NULL, c->max);
	out_close_obj(o);
	out_text_role(o, c->ok ? II_ROLE_GOOD : II_ROLE_BAD, "%s", c->ok ? "OK" : "FAULTS");
	if (c->ok && !n) {
		out_text(o, ": no IOMMU faults in the kernel log\n");
		return;
	}
	out_text(o, ": %llu IOMMU fault%s from %zu device%s (%s %llu allowed)",
		 (unsigned long long)n, n == 1 ? "" : "s", ndev, ndev == 1 ? "" : "s",
		 c->ok ? "at most" : "more than", (unsigned long long)c->max);
	if (last) {
		const char *req = ii_fault_requester(last, buf);

		out_text(o, "; last: %s %s", req ? req : "-",
			 last->has_reason ? last->reason : "reason unknown");
		if (last->pos.has_usec)
			out_text(o, " at %llu.%06llu s", secs(last->pos.usec), frac(last->pos.usec));
	}
	if (c->not_printed)
		out_text(o, "; about %llu more not printed", (unsigned long long)c->not_printed);
	out_text(o, "\n");
}
