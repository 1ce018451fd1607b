// SPDX-License-Identifier: MIT
/*
 * Faults joined with the model (device, group, driver, unit), the user's
 * filters, the summary (faults grouped by requester, vendor and reason, with
 * what was not printed attributed to them) and log times. No I/O.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "faults.h"
#include "arm.h"

/* ------------------------------------------------------------ attribution */

/* The first index from lo on whose device sorts after key: not PCI, or a later address. */
static size_t after(const struct ii_system *s, size_t lo, const struct ii_bdf *key)
{
	size_t hi = s->ndevices;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ii_device *d = s->devices[mid];

		if (d->is_pci && ii_bdf_cmp(&d->bdf, key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The kernel did not print the segment: the one device with that bus, device
 * and function. s->devices is sorted by address, so each segment is looked up
 * by bisection (a fault storm asks this for every fault: a scan of every
 * device each time took seconds on a 4,096-function machine).
 */
static struct ii_device *other_segment(const struct ii_system *s, const struct ii_bdf *b)
{
	struct ii_device *hit = NULL;
	size_t i = 0;

	while (i < s->ndevices && s->devices[i]->is_pci) {
		struct ii_bdf key = *b, last;
		size_t j;

		key.domain = s->devices[i]->bdf.domain;
		/* the entries with that address in this segment end just before j */
		for (j = after(s, i, &key); j > i && !ii_bdf_cmp(&s->devices[j - 1]->bdf, &key); j--) {
			if (!s->devices[j - 1]->present)
				continue;
			if (hit)
				return NULL;
			hit = s->devices[j - 1];
		}
		last = (struct ii_bdf){ .domain = key.domain, .bus = 0xff, .dev = 0xff, .fn = 0xff };
		i = after(s, i, &last);
	}
	return hit;
}

/*
 * An Arm SMMU names no requester, only a stream ID, and a virtio-iommu only an
 * endpoint ID: the firmware's mappings (IORT, VIOT, device tree; s->idmap) turn
 * it back into the device, on the unit whose device the log line names (any
 * unit when it names none that is registered).
 */
static struct ii_device *by_stream_id(const struct ii_system *s, struct ii_fault *f)
{
	const struct ii_unit *u = f->unit[0] ? ii_unit_by_parent(s, f->unit) : NULL;
	const struct ii_idmap_entry *e;

	if (!f->has_sid || !s->idmap.n || (f->vendor != II_VENDOR_ARM_SMMU_V3 &&
					    f->vendor != II_VENDOR_ARM_SMMU && f->vendor != II_VENDOR_VIRTIO))
		return NULL;
	e = ii_idmap_by_sid(s, u, f->sid);
	if (!e) {
		/* a bridge's DMA alias: its requester ID, and the group the kernel gave the
		 * bridge and the devices behind it (the device that sent it is not known) */
		struct ii_bdf alias;
		const struct ii_device *b = ii_idmap_alias_by_sid(s, u, f->sid, &alias);

		if (b) {
			f->has_bdf = true;
			f->seg_known = true;
			f->bdf = alias;
			f->group = b->group;
			f->via = b;
		}
		return NULL;
	}
	if (e->is_pci) {
		f->has_bdf = true;
		f->seg_known = true;
		f->bdf = e->bdf;
	} else if (!f->client[0]) {
		snprintf(f->client, sizeof(f->client), "%s",
			 e->dev ? e->dev->name : e->fw_name ? e->fw_name : "");
	}
	return (struct ii_device *)e->dev;
}

void ii_fault_attribute(const struct ii_system *s, struct ii_fault *f)
{
	struct ii_device *d = NULL;
	char name[II_BDF_MAX];

	if (!s)
		return;
	if (!f->has_bdf && !f->client[0] && f->has_sid) {
		d = by_stream_id(s, f);
		if (d) {
			f->dev = d;
			f->group = d->group;
			return;
		}
	}
	if (f->has_bdf) {
		ii_format_bdf(&f->bdf, name);
		d = ii_find_device(s, name);
		if (!f->seg_known && (!d || !d->present)) {
			struct ii_device *o = other_segment(s, &f->bdf);

			if (o) {
				d = o;
				f->bdf = o->bdf;
			}
		}
	} else if (f->client[0]) {
		d = ii_find_device(s, f->client);
	}
	if (!d)
		return;
	f->dev = d;
	f->group = d->group;
	if (!f->unit[0] && d->unit)
		snprintf(f->unit, sizeof(f->unit), "%s", d->unit->name);
}

const char *ii_fault_requester(const struct ii_fault *f, char buf[II_BDF_MAX])
{
	if (f->has_bdf) {
		ii_format_bdf(&f->bdf, buf);
		return buf;
	}
	return f->client[0] ? f->client : NULL;
}

void ii_fault_flag_list(const struct ii_fault *f, struct strlist *out)
{
	char names[96], *tok, *save = NULL;

	if (!f->has_flags || f->vendor != II_VENDOR_AMD)
		return;
	ii_amd_flag_names(f->flags, " ", names, sizeof(names));
	for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		sl_add(out, tok);
}

/* ---------------------------------------------------------------- summary */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* A cheap signature of a string: its length and its first and last 8 bytes. */
static uint64_t str_sig(const char *s)
{
	size_t n = s[0] ? strlen(s) : 0; /* units and clients are most often "" */
	uint64_t a = 0, b = 0;

	memcpy(&a, s, n < 8 ? n : 8);
	if (n > 8)
		memcpy(&b, s + n - 8, 8);
	return mix(mix(n, a), b);
}

static bool by_sid(const struct ii_fault *f)
{
	return !f->has_bdf && !f->client[0] && f->has_sid;
}

/*
 * A row is one requester (PCI address, client name, or stream id of a unit),
 * vendor and reason; the reason's text too, since AMD's flags and SMMUv2's
 * status make reasons of one code differ.
 */
static uint64_t fault_hash(const struct ii_fault *f)
{
	uint64_t h = mix(f->vendor, f->has_bdf ? ((uint64_t)f->bdf.domain << 16 | f->bdf.bus << 8 |
						  f->bdf.dev << 3 | f->bdf.fn) + 1 : 0);

	h = mix(h, by_sid(f) ? f->sid + (1ull << 32) : 0);
	h = mix(h, f->has_reason ? f->reason_code + 1ull : 0);
	if (f->has_reason && f->vendor != II_VENDOR_INTEL)
		h = mix(h, str_sig(f->reason));
	if (f->client[0])
		h = mix(h, str_sig(f->client));
	return mix(h, str_sig(f->unit));
}

static bool row_is(const struct ii_fsum_row *r, const struct ii_fault *f)
{
	return r->vendor == f->vendor && r->has_bdf == f->has_bdf &&
	       (!f->has_bdf || !ii_bdf_cmp(&r->bdf, &f->bdf)) && r->has_sid == by_sid(f) &&
	       (!r->has_sid || r->sid == f->sid) && r->has_reason == f->has_reason &&
	       (!f->has_reason || (r->reason_code == f->reason_code && !strcmp(r->reason, f->reason))) &&
	       /* units are most often "": no call then */
	       r->unit[0] == f->unit[0] && (!f->unit[0] || !strcmp(r->unit, f->unit)) &&
	       (f->has_bdf || by_sid(f) || !strcmp(r->key, f->client));
}

static void rehash(struct ii_fsum *s)
{
	size_t cap = s->hcap ? s->hcap * 2 : 64;

	free(s->hash);
	s->hash = xcalloc(cap, sizeof(*s->hash));
	s->hcap = cap;
	for (size_t i = 0; i < s->nrows; i++) {
		size_t h = s->rows[i].hash & (cap - 1);

		while (s->hash[h])
			h = (h + 1) & (cap - 1);
		s->hash[h] = i + 1;
	}
}

static struct ii_fsum_row *row_for(struct ii_fsum *s, const struct ii_fault *f, size_t *idx)
{
	uint64_t hash = fault_hash(f);
	struct ii_fsum_row *r;
	size_t h;

	if ((s->nrows + 1) * 2 > s->hcap)
		rehash(s);
	h = hash & (s->hcap - 1);
	while (s->hash[h]) {
		r = &s->rows[s->hash[h] - 1];
		if (r->hash == hash && row_is(r, f)) {
			*idx = s->hash[h] - 1;
			return r;
		}
		h = (h + 1) & (s->hcap - 1);
	}
	xgrow((void **)&s->rows, &s->cap, s->nrows + 1, sizeof(*s->rows));
	r = &s->rows[s->nrows];
	memset(r, 0, sizeof(*r));
	r->hash = hash;
	if (f->has_bdf)
		ii_format_bdf(&f->bdf, r->key);
	else if (f->client[0])
		snprintf(r->key, sizeof(r->key), "%s", f->client);
	else if (f->has_sid)
		snprintf(r->key, sizeof(r->key), f->vendor == II_VENDOR_VIRTIO ? "EP %u" :
			 "sid 0x%x", f->sid);
	memcpy(r->unit, f->unit, sizeof(r->unit));
	r->vendor = f->vendor;
	r->kind = f->kind;
	r->has_reason = f->has_reason;
	r->reason_code = f->reason_code;
	if (f->has_reason)
		memcpy(r->reason, f->reason, sizeof(r->reason));
	r->event = f->event;
	r->group = f->group;
	r->dev = f->dev;
	r->has_bdf = f->has_bdf;
	r->bdf = f->bdf;
	r->has_sid = by_sid(f);
	r->sid = f->sid;
	s->hash[h] = ++s->nrows;
	*idx = s->nrows - 1;
	return r;
}

static unsigned vidx(enum ii_vendor v)
{
	return (unsigned)v <= II_VENDOR_OTHER ? (unsigned)v : II_VENDOR_OTHER;
}

static void give(struct ii_fsum *s, struct ii_fsum_row *r, unsigned v)
{
	r->suppressed += s->pend_suppressed[v];
	r->dropped += s->pend_dropped[v];
	s->suppressed += s->pend_suppressed[v];
	s->dropped += s->pend_dropped[v];
	s->pend_suppressed[v] = s->pend_dropped[v] = 0;
}

void ii_fsum_fault(struct ii_fsum *s, const struct ii_fault *f, bool selected)
{
	unsigned v = vidx(f->vendor);
	struct ii_fsum_row *r;
	size_t idx;

	s->printed_by_vendor[v]++;
	if (!selected) {
		/* what was not printed before it belongs to it, and it is not shown */
		s->pend_suppressed[v] = s->pend_dropped[v] = 0;
		return;
	}
	r = row_for(s, f, &idx);
	r->count++;
	if (f->access & II_ACC_WRITE)
		r->writes++;
	else if (f->access & II_ACC_READ)
		r->reads++;
	if (f->pos.has_usec) {
		if (!r->has_time || f->pos.usec < r->first_usec)
			r->first_usec = f->pos.usec;
		if (!r->has_time || f->pos.usec > r->last_usec)
			r->last_usec = f->pos.usec;
		r->has_time = true;
		if (!s->has_time || f->pos.usec < s->first_usec)
			s->first_usec = f->pos.usec;
		if (!s->has_time || f->pos.usec > s->last_usec)
			s->last_usec = f->pos.usec;
		s->has_time = true;
	}
	give(s, r, v);
	s->last_row[v] = idx + 1;
	s->faults++;
}

void ii_fsum_drop(struct ii_fsum *s, const struct ii_fault_drop *d, bool selected)
{
	unsigned v = vidx(d->vendor);

	if (!selected)
		return;
	switch (d->kind) {
	case II_DROP_LOST:
		s->lost_records += d->count;
		return;
	case II_DROP_OVERFLOW:
		s->overflows++;
		break;
	case II_DROP_STATUS:
		s->status_only++;
		break;
	case II_DROP_SUPPRESSED:
		s->pend_suppressed[v] += d->count;
		break;
	}
	s->pend_dropped[v] += d->estimate;
}

void ii_fsum_finish(struct ii_fsum *s, bool keep_unattributed)
{
	for (unsigned v = 0; v <= II_VENDOR_OTHER; v++) {
		if (!s->pend_suppressed[v] && !s->pend_dropped[v])
			continue;
		if (s->last_row[v]) {
			give(s, &s->rows[s->last_row[v] - 1], v);
		} else if (keep_unattributed) {
			s->suppressed += s->pend_suppressed[v];
			s->dropped += s->pend_dropped[v];
			s->dropped_unattributed += s->pend_dropped[v];
		}
		s->pend_suppressed[v] = s->pend_dropped[v] = 0;
	}
}

static int cmp_row(const void *a, const void *b)
{
	const struct ii_fsum_row *x = a, *y = b;
	int c;

	if (x->has_bdf != y->has_bdf)
		return x->has_bdf ? -1 : 1;
	if (x->has_bdf && (c = ii_bdf_cmp(&x->bdf, &y->bdf)))
		return c;
	if ((c = natural_cmp(x->key, y->key)) || (c = strcmp(x->unit, y->unit)))
		return c;
	if (x->vendor != y->vendor)
		return x->vendor < y->vendor ? -1 : 1;
	if (x->has_reason != y->has_reason)
		return x->has_reason ? -1 : 1;
	if (x->reason_code != y->reason_code)
		return x->reason_code < y->reason_code ? -1 : 1;
	return strcmp(x->reason, y->reason);
}

/* Faults per hour and per minute between the first and the last of a row. */
static void row_rate(struct ii_fsum_row *r)
{
	uint64_t span = r->last_usec - r->first_usec;

	r->has_rate = r->has_time && r->count > 1 && span > 0;
	if (!r->has_rate)
		return;
	r->per_hour = (uint64_t)((double)(r->count - 1) * 3600e6 / (double)span + 0.5);
	r->per_min = (double)(r->count - 1) * 60e6 / (double)span;
}

void ii_fsum_sort(struct ii_fsum *s)
{
	if (s->nrows > 1)
		qsort(s->rows, s->nrows, sizeof(*s->rows), cmp_row);
	s->requesters = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		row_rate(&s->rows[i]);
		if (s->rows[i].key[0] && (i == 0 || strcmp(s->rows[i].key, s->rows[i - 1].key)))
			s->requesters++;
	}
	free(s->hash);
	s->hash = NULL;
	s->hcap = 0;
	memset(s->last_row, 0, sizeof(s->last_row));
}

void ii_fsum_free(struct ii_fsum *s)
{
	free(s->rows);
	free(s->hash);
	memset(s, 0, sizeof(*s));
}

/* ---------------------------------------------------------------- filters */

int ii_fault_since_parse(const char *s, struct ii_fault_filter *f)
{
	uint64_t secs = 0, us = 0;
	const char *p = s;
	int n = 0;

	if (!strncmp(s, "seq:", 4)) {
		char *end;

		p = s + 4;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		f->since = strtoull(p, &end, 10);
		if (errno || *end)
			return -EINVAL;
		f->since_seq = true;
		f->since_usec = false;
		return 0;
	}
	if (*p < '0' || *p > '9')
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		if (++n > 12)
			return -EINVAL;
		secs = secs * 10 + (uint64_t)(*p++ - '0');
	}
	if (*p == '.') {
		uint64_t scale = 100000;

		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		while (*p >= '0' && *p <= '9') {
			us += (uint64_t)(*p++ - '0') * scale;
			scale /= 10;
		}
	}
	if (*p == 's')
		p++;
	if (*p)
		return -EINVAL;
	f->since = secs * 1000000 + us;
	f->since_usec = true;
	f->since_seq = false;
	return 0;
}

int ii_fault_vendor_parse(const char *s, struct ii_fault_filter *f)
{
	f->vendor_arm_any = false;
	if (!strcmp(s, "intel"))
		f->vendor = II_VENDOR_INTEL;
	else if (!strcmp(s, "amd"))
		f->vendor = II_VENDOR_AMD;
	else if (!strcmp(s, "arm-smmu-v3"))
		f->vendor = II_VENDOR_ARM_SMMU_V3;
	else if (!strcmp(s, "virtio-iommu"))
		f->vendor = II_VENDOR_VIRTIO;
	else if (!strcmp(s, "arm-smmu")) {
		f->vendor = II_VENDOR_ARM_SMMU;
		f->vendor_arm_any = true;
	} else {
		return -EINVAL;
	}
	return 0;
}

static bool vendor_match(const struct ii_fault_filter *flt, enum ii_vendor v)
{
	if (flt->vendor == II_VENDOR_NONE)
		return true;
	if (flt->vendor_arm_any)
		return v == II_VENDOR_ARM_SMMU || v == II_VENDOR_ARM_SMMU_V3;
	return v == flt->vendor;
}

bool ii_fault_pos_match(const struct ii_fault_filter *flt, const struct ii_logpos *pos)
{
	if (flt->since_seq)
		return pos->has_seq && pos->seq >= flt->since;
	if (flt->since_usec)
		return pos->has_usec && pos->usec >= flt->since;
	return true;
}

bool ii_fault_match(const struct ii_fault_filter *flt, const struct ii_fault *f)
{
	if (!vendor_match(flt, f->vendor) || !ii_fault_pos_match(flt, &f->pos))
		return false;
	if (flt->device && (!f->has_bdf || ii_bdf_cmp(&f->bdf, &flt->bdf) != 0))
		return false;
	if (flt->group && f->group != flt->group_id)
		return false;
	return true;
}

bool ii_fault_drop_match(const struct ii_fault_filter *flt, const struct ii_fault_drop *d)
{
	if (d->kind != II_DROP_LOST && !vendor_match(flt, d->vendor))
		return false;
	return ii_fault_pos_match(flt, &d->pos);
}

bool ii_fault_unparsed_match(const struct ii_fault_filter *flt, const struct ii_logpos *pos,
			     enum ii_vendor v)
{
	return !flt->device && !flt->group && ii_fault_pos_match(flt, pos) &&
	       (flt->vendor == II_VENDOR_NONE || v == flt->vendor ||
		(flt->vendor_arm_any && v == II_VENDOR_ARM_SMMU_V3));
}

bool ii_fault_filter_active(const struct ii_fault_filter *flt)
{
	return flt->device || flt->group || flt->vendor != II_VENDOR_NONE || flt->since_seq ||
	       flt->since_usec;
}

/* ------------------------------------------------------------------ times */

void ii_logpos_times(struct ii_logpos *pos, const struct ii_walltime *w, bool has_boot,
		     int64_t boot_usec)
{
	if (w && w->valid) {
		ii_walltime_format(w, pos->wall, sizeof(pos->wall));
		if (!pos->has_usec && has_boot && w->year) {
			struct tm tm = { .tm_year = w->year - 1900, .tm_mon = w->mon - 1,
					 .tm_mday = w->mday, .tm_hour = w->hour, .tm_min = w->min,
					 .tm_sec = w->sec, .tm_isdst = -1 };
			time_t t = w->has_tz ? timegm(&tm) - (time_t)w->tz_min * 60 : mktime(&tm);
			int64_t us = (int64_t)t * 1000000 + (w->usec > 0 ? w->usec : 0) - boot_usec;

			if (t != (time_t)-1 && us >= 0) {
				pos->has_usec = true;
				pos->usec = (uint64_t)us;
			}
		}
		return;
	}
	if (pos->has_usec && has_boot) {
		int64_t us = boot_usec + (int64_t)pos->usec;
		time_t t = (time_t)(us / 1000000);
		struct tm tm;
		char zone[8];
		size_t n;

		if (!localtime_r(&t, &tm))
			return;
		n = strftime(pos->wall, sizeof(pos->wall), "%Y-%m-%dT%H:%M:%S", &tm);
		if (!n || !strftime(zone, sizeof(zone), "%z", &tm) || strlen(zone) != 5)
			return;
		snprintf(pos->wall + n, sizeof(pos->wall) - n, ".%06lld%.3s:%s",
			 (long long)(us % 1000000), zone, zone + 3);
	}
}
