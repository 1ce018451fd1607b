// SPDX-License-Identifier: MIT
/*
 * Activity data (include/parse/actdata.h): the key tables, and the lines of
 * a recording, read and written with json-c. One object per line:
 *
 *   {"type":"header","schema_version":1,"version":"0.1.0","kernel":"6.8.0",
 *    "live":true,"interval_ms":1000,"families":{"pmu":{"why":"paranoid",
 *    "err":-13,"detail":"..."},...},"units":[{"unit":"dmar0","pmu":"dmar0",
 *    "why":"live"}]}
 *   {"type":"kmsg","seq":603,"usec":9423946,"prio":3,"text":"DMAR: ..."}
 *   {"type":"reading","seq":1,"t_ns":..,"wall_ns":..,"counters":[{"kind":
 *    "iotlb_lookup","unit":"dmar0","event":"dmar0/iotlb_lookup/","ok":true,
 *    "value":12,"enabled_ns":..,"running_ns":..}],"irqs":[{"name":"dmar0",
 *    "unit":"dmar0","irq":24,"fault":true,"count":16}],"hotplug":[],
 *    "latency":null,"kmsg_lost":0}
 *
 * Kernel log text is stored escaped as /dev/kmsg escapes it (\xHH for
 * control bytes, bytes from 0x7f and the backslash), so that every line is
 * ASCII whatever the log held. Unknown keys are ignored (newer recordings);
 * a counter of an unknown kind is left out; a wrong type is a bad line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "actdata.h"

static const char *const family_keys[II_ACT_FAMILIES] = {
	[II_ACT_INTERRUPTS] = "interrupts",
	[II_ACT_KMSG] = "kmsg",
	[II_ACT_TRACEPOINTS] = "tracepoints",
	[II_ACT_PMU] = "pmu",
	[II_ACT_LATENCY] = "latency",
	[II_ACT_HOTPLUG] = "hotplug",
};

static const char *const why_keys[II_WHY_COUNT] = {
	[II_WHY_LIVE] = "live",
	[II_WHY_NOT_ROOT] = "not-root",
	[II_WHY_PARANOID] = "paranoid",
	[II_WHY_KERNEL_TOO_OLD] = "kernel-too-old",
	[II_WHY_NO_PMU_HW] = "no-pmu-hardware",
	[II_WHY_NOT_BUILT] = "not-built",
	[II_WHY_NOT_ENABLED] = "not-enabled",
	[II_WHY_NO_TRACEFS] = "no-tracefs",
	[II_WHY_NOT_RECORDED] = "not-recorded",
	[II_WHY_NO_IOMMU] = "no-iommu",
	[II_WHY_IDENTITY] = "identity",
	[II_WHY_ERROR] = "error",
};

static const char *const kind_keys[II_CTR_KINDS] = {
	[II_CTR_MAP] = "map",
	[II_CTR_UNMAP] = "unmap",
	[II_CTR_QI_SUBMIT] = "qi_submit",
	[II_CTR_IOTLB_LOOKUP] = "iotlb_lookup",
	[II_CTR_IOTLB_HIT] = "iotlb_hit",
	[II_CTR_IOTLB_MISS] = "iotlb_miss",
	[II_CTR_CTX_LOOKUP] = "ctx_lookup",
	[II_CTR_CTX_HIT] = "ctx_hit",
	[II_CTR_INVALIDATIONS] = "invalidations",
};

static const char *const hp_keys[II_HP_KINDS] = {
	[II_HP_ADD] = "add",
	[II_HP_REMOVE] = "remove",
	[II_HP_BIND] = "bind",
	[II_HP_UNBIND] = "unbind",
};

const char *ii_act_family_key(enum ii_act_family f)
{
	return (size_t)f < II_ACT_FAMILIES ? family_keys[f] : "unknown";
}

const char *ii_act_why_key(enum ii_act_why w)
{
	return (size_t)w < II_WHY_COUNT ? why_keys[w] : "unknown";
}

const char *ii_ctr_kind_key(enum ii_ctr_kind k)
{
	return (size_t)k < II_CTR_KINDS ? kind_keys[k] : "unknown";
}

const char *ii_hotplug_kind_key(enum ii_hotplug_kind k)
{
	return (size_t)k < II_HP_KINDS ? hp_keys[k] : "unknown";
}

static int key_index(const char *const *keys, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i] && !strcmp(keys[i], key))
			return (int)i;
	return -1;
}

bool ii_act_why_parse(const char *key, enum ii_act_why *out)
{
	int i = key_index(why_keys, II_WHY_COUNT, key);

	if (i < 0)
		return false;
	*out = (enum ii_act_why)i;
	return true;
}

bool ii_ctr_kind_parse(const char *key, enum ii_ctr_kind *out)
{
	int i = key_index(kind_keys, II_CTR_KINDS, key);

	if (i < 0)
		return false;
	*out = (enum ii_ctr_kind)i;
	return true;
}

void ii_act_reading_free(struct ii_act_reading *r)
{
	if (!r)
		return;
	free(r->ctrs);
	free(r->irqs);
	free(r->hotplug);
	free(r->latency_text);
	for (size_t i = 0; i < r->nkmsg; i++)
		ii_kmsg_free(&r->kmsg[i]);
	free(r->kmsg);
	memset(r, 0, sizeof(*r));
}

void ii_actl_free(struct ii_actl *l)
{
	free(l->hdr.units);
	ii_act_reading_free(&l->rd);
	ii_kmsg_free(&l->kmsg);
	memset(l, 0, sizeof(*l));
}

/* ------------------------------------------------------------ kmsg escapes */

static void escape_kmsg(struct strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < ' ' || c >= 0x7f || c == '\\') {
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			sb_add(sb, e, 4);
		} else {
			sb_add(sb, (const char *)&s[i], 1);
		}
	}
}

/* Decode \xHH; anything else is kept as it is. */
static char *unescape_kmsg(const char *s, size_t len, size_t *outlen)
{
	char *o = xmalloc(len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' && ii_hexval(s[i + 2]) >= 0 &&
		    ii_hexval(s[i + 3]) >= 0) {
			o[n++] = (char)(ii_hexval(s[i + 2]) * 16 + ii_hexval(s[i + 3]));
			i += 3;
		} else {
			o[n++] = s[i];
		}
	}
	o[n] = '\0';
	*outlen = n;
	return o;
}

/* ---------------------------------------------------------------- writing */

static void add_str(json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, json_object_new_string(s));
}

static void add_state(json_object *o, const struct ii_act_state *st)
{
	add_str(o, "why", ii_act_why_key(st->why));
	if (st->err)
		json_object_object_add(o, "err", json_object_new_int(st->err));
	if (st->detail[0])
		add_str(o, "detail", st->detail);
}

static void emit(struct strbuf *out, json_object *o)
{
	size_t len;
	const char *s = json_object_to_json_string_length(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

	sb_add(out, s, len);
	sb_add(out, "\n", 1);
	json_object_put(o);
}

void ii_act_format_header(struct strbuf *out, const struct ii_act_header *h)
{
	json_object *o = json_object_new_object(), *fam = json_object_new_object();
	json_object *units = json_object_new_array();

	add_str(o, "type", "header");
	json_object_object_add(o, "schema_version", json_object_new_int((int)h->schema_version));
	add_str(o, "version", h->version);
	add_str(o, "kernel", h->kernel);
	json_object_object_add(o, "live", json_object_new_boolean(h->live));
	json_object_object_add(o, "interval_ms", json_object_new_int((int)h->interval_ms));
	for (size_t f = 0; f < II_ACT_FAMILIES; f++) {
		json_object *st;

		if (!h->has_family[f])
			continue;
		st = json_object_new_object();
		add_state(st, &h->family[f]);
		json_object_object_add(fam, family_keys[f], st);
	}
	json_object_object_add(o, "families", fam);
	for (size_t i = 0; i < h->nunits; i++) {
		json_object *u = json_object_new_object();

		add_str(u, "unit", h->units[i].unit);
		add_str(u, "pmu", h->units[i].pmu);
		add_state(u, &h->units[i].state);
		json_object_array_add(units, u);
	}
	json_object_object_add(o, "units", units);
	emit(out, o);
}

void ii_act_format_reading(struct strbuf *out, const struct ii_act_reading *r)
{
	json_object *o = json_object_new_object(), *a;

	add_str(o, "type", "reading");
	json_object_object_add(o, "seq", json_object_new_uint64(r->seq));
	json_object_object_add(o, "t_ns", json_object_new_int64(r->t_ns));
	json_object_object_add(o, "wall_ns", json_object_new_int64(r->wall_ns));
	a = json_object_new_array();
	for (size_t i = 0; i < r->nctrs; i++) {
		const struct ii_ctr_value *c = &r->ctrs[i];
		json_object *v = json_object_new_object();

		add_str(v, "kind", ii_ctr_kind_key(c->kind));
		add_str(v, "unit", c->unit);
		add_str(v, "event", c->event);
		json_object_object_add(v, "ok", json_object_new_boolean(c->ok));
		if (c->ok) {
			json_object_object_add(v, "value", json_object_new_uint64(c->value));
			json_object_object_add(v, "enabled_ns", json_object_new_uint64(c->enabled_ns));
			json_object_object_add(v, "running_ns", json_object_new_uint64(c->running_ns));
		}
		if (!c->ok || c->state.why != II_WHY_LIVE)
			add_state(v, &c->state);
		json_object_array_add(a, v);
	}
	json_object_object_add(o, "counters", a);
	a = json_object_new_array();
	for (size_t i = 0; i < r->nirqs; i++) {
		const struct ii_irq_row *q = &r->irqs[i];
		json_object *v = json_object_new_object();

		add_str(v, "name", q->name);
		add_str(v, "unit", q->unit);
		json_object_object_add(v, "irq", json_object_new_int64(q->irq));
		json_object_object_add(v, "fault", json_object_new_boolean(q->fault));
		json_object_object_add(v, "count", json_object_new_uint64(q->count));
		json_object_array_add(a, v);
	}
	json_object_object_add(o, "irqs", a);
	a = json_object_new_array();
	for (size_t i = 0; i < r->nhotplug; i++) {
		json_object *v = json_object_new_object();

		add_str(v, "kind", ii_hotplug_kind_key(r->hotplug[i].kind));
		add_str(v, "device", r->hotplug[i].device);
		add_str(v, "driver", r->hotplug[i].driver);
		json_object_array_add(a, v);
	}
	json_object_object_add(o, "hotplug", a);
	json_object_object_add(o, "latency",
			       r->latency_text ? json_object_new_string(r->latency_text) : NULL);
	json_object_object_add(o, "kmsg_lost", json_object_new_uint64(r->kmsg_lost));
	emit(out, o);
}

void ii_act_format_kmsg(struct strbuf *out, const struct ii_kmsg *m)
{
	json_object *o = json_object_new_object();
	struct strbuf t = { 0 };

	add_str(o, "type", "kmsg");
	json_object_object_add(o, "seq", json_object_new_uint64(m->seq));
	json_object_object_add(o, "usec", json_object_new_uint64(m->usec));
	json_object_object_add(o, "prio", json_object_new_int(m->prio));
	if (m->cont)
		json_object_object_add(o, "cont", json_object_new_boolean(true));
	escape_kmsg(&t, m->text ? m->text : "", m->text ? m->text_len : 0);
	add_str(o, "text", t.buf ? t.buf : "");
	if (m->subsystem) {
		sb_reset(&t);
		escape_kmsg(&t, m->subsystem, strlen(m->subsystem));
		add_str(o, "subsystem", t.buf ? t.buf : "");
	}
	if (m->device) {
		sb_reset(&t);
		escape_kmsg(&t, m->device, strlen(m->device));
		add_str(o, "device", t.buf ? t.buf : "");
	}
	sb_free(&t);
	emit(out, o);
}

/* ---------------------------------------------------------------- reading */

/* Typed getters: false when the key is there with the wrong type (absent: *out untouched). */
static bool get_str(json_object *o, const char *key, char *buf, size_t size)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return true;
	if (!json_object_is_type(v, json_type_string))
		return false;
	str_copy(buf, size, json_object_get_string(v), (size_t)json_object_get_string_len(v));
	return true;
}

static bool get_u64(json_object *o, const char *key, uint64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return true;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		return false;
	*out = json_object_get_uint64(v);
	return true;
}

static bool get_i64(json_object *o, const char *key, int64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return true;
	if (!json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

static bool get_bool(json_object *o, const char *key, bool *out)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return true;
	if (!json_object_is_type(v, json_type_boolean))
		return false;
	*out = json_object_get_boolean(v);
	return true;
}

/* An array under key; NULL (and *ok untouched) when absent or null. */
static json_object *get_arr(json_object *o, const char *key, bool *ok)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	if (!json_object_is_type(v, json_type_array)) {
		*ok = false;
		return NULL;
	}
	return v;
}

static bool get_state(json_object *o, struct ii_act_state *st)
{
	char why[32] = "";
	int64_t err = 0;

	memset(st, 0, sizeof(*st));
	if (!json_object_is_type(o, json_type_object) || !get_str(o, "why", why, sizeof(why)) ||
	    !get_i64(o, "err", &err) || !get_str(o, "detail", st->detail, sizeof(st->detail)))
		return false;
	if (err < -4095 || err > 0)
		return false;
	st->err = (int)err;
	if (!*why)
		return true; /* no why: live */
	if (!ii_act_why_parse(why, &st->why)) {
		/* a reason this version does not know: an error, with its key kept */
		st->why = II_WHY_ERROR;
		if (!st->detail[0])
			str_copy(st->detail, sizeof(st->detail), why, strlen(why));
	}
	return true;
}

static const char *parse_header(json_object *o, struct ii_act_header *h)
{
	json_object *fam, *units;
	uint64_t sv = 0, iv = 0;
	bool ok = true;

	if (!get_u64(o, "schema_version", &sv) || sv == 0 || sv > 1000)
		return "a header without a schema_version";
	h->schema_version = (unsigned)sv;
	if (!get_str(o, "version", h->version, sizeof(h->version)) ||
	    !get_str(o, "kernel", h->kernel, sizeof(h->kernel)) || !get_bool(o, "live", &h->live) ||
	    !get_u64(o, "interval_ms", &iv) || iv > 86400000)
		return "a header with a field of the wrong type";
	h->interval_ms = (unsigned)iv;
	if (json_object_object_get_ex(o, "families", &fam) && fam) {
		if (!json_object_is_type(fam, json_type_object))
			return "a header whose families is not an object";
		for (size_t f = 0; f < II_ACT_FAMILIES; f++) {
			json_object *st;

			if (!json_object_object_get_ex(fam, family_keys[f], &st) || !st)
				continue;
			if (!get_state(st, &h->family[f]))
				return "a header with a family state that is not {\"why\": ...}";
			h->has_family[f] = true;
		}
	}
	units = get_arr(o, "units", &ok);
	if (!ok)
		return "a header whose units is not an array";
	for (size_t i = 0; units && i < json_object_array_length(units); i++) {
		json_object *u = json_object_array_get_idx(units, i);
		struct ii_act_unit au;

		memset(&au, 0, sizeof(au));
		if (!u || !json_object_is_type(u, json_type_object) ||
		    !get_str(u, "unit", au.unit, sizeof(au.unit)) ||
		    !get_str(u, "pmu", au.pmu, sizeof(au.pmu)) || !get_state(u, &au.state))
			return "a header with a unit that is not {\"unit\", \"pmu\", \"why\"}";
		h->units = xrealloc(h->units, (h->nunits + 1) * sizeof(*h->units));
		h->units[h->nunits++] = au;
	}
	return NULL;
}

static const char *parse_counter(json_object *v, struct ii_act_reading *r)
{
	struct ii_ctr_value c;
	char kind[32] = "";

	memset(&c, 0, sizeof(c));
	if (!v || !json_object_is_type(v, json_type_object) || !get_str(v, "kind", kind, sizeof(kind)) ||
	    !get_str(v, "unit", c.unit, sizeof(c.unit)) ||
	    !get_str(v, "event", c.event, sizeof(c.event)) || !get_bool(v, "ok", &c.ok) ||
	    !get_u64(v, "value", &c.value) || !get_u64(v, "enabled_ns", &c.enabled_ns) ||
	    !get_u64(v, "running_ns", &c.running_ns) || !get_state(v, &c.state))
		return "a counter with a field of the wrong type";
	if (!*kind)
		return "a counter without a kind";
	if (c.ok && !json_object_object_get_ex(v, "value", NULL))
		return "a counter that is ok without a value";
	if (!c.ok) {
		/* not read: no value to keep, and a reason even when none was given */
		c.value = c.enabled_ns = c.running_ns = 0;
		if (c.state.why == II_WHY_LIVE)
			c.state.why = II_WHY_ERROR;
	}
	if (!ii_ctr_kind_parse(kind, &c.kind))
		return NULL; /* a kind of a newer version: left out */
	r->ctrs = xrealloc(r->ctrs, (r->nctrs + 1) * sizeof(*r->ctrs));
	r->ctrs[r->nctrs++] = c;
	return NULL;
}

static const char *parse_reading(json_object *o, struct ii_act_reading *r)
{
	json_object *a, *lat;
	bool ok = true;
	const char *why;

	if (!get_u64(o, "seq", &r->seq) || !get_i64(o, "t_ns", &r->t_ns) ||
	    !get_i64(o, "wall_ns", &r->wall_ns) || !get_u64(o, "kmsg_lost", &r->kmsg_lost))
		return "a reading with a field of the wrong type";
	if (!json_object_object_get_ex(o, "t_ns", NULL))
		return "a reading without its time (t_ns)";
	a = get_arr(o, "counters", &ok);
	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		if ((why = parse_counter(json_object_array_get_idx(a, i), r)))
			return why;
	a = get_arr(o, "irqs", &ok);
	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		struct ii_irq_row q;
		uint64_t irq = 0;

		memset(&q, 0, sizeof(q));
		if (!v || !json_object_is_type(v, json_type_object) ||
		    !get_str(v, "name", q.name, sizeof(q.name)) ||
		    !get_str(v, "unit", q.unit, sizeof(q.unit)) || !get_u64(v, "irq", &irq) ||
		    irq > UINT32_MAX || !get_bool(v, "fault", &q.fault) ||
		    !get_u64(v, "count", &q.count) || !json_object_object_get_ex(v, "count", NULL))
			return "an interrupt row that is not {\"name\", \"unit\", \"irq\", \"count\"}";
		q.irq = (unsigned)irq;
		r->irqs = xrealloc(r->irqs, (r->nirqs + 1) * sizeof(*r->irqs));
		r->irqs[r->nirqs++] = q;
	}
	a = get_arr(o, "hotplug", &ok);
	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		struct ii_hotplug h;
		char kind[16] = "";
		int k;

		memset(&h, 0, sizeof(h));
		if (!v || !json_object_is_type(v, json_type_object) ||
		    !get_str(v, "kind", kind, sizeof(kind)) ||
		    !get_str(v, "device", h.device, sizeof(h.device)) ||
		    !get_str(v, "driver", h.driver, sizeof(h.driver)))
			return "a hotplug event that is not {\"kind\", \"device\", \"driver\"}";
		k = key_index(hp_keys, II_HP_KINDS, kind);
		if (k < 0)
			continue; /* an event of a newer version */
		h.kind = (enum ii_hotplug_kind)k;
		r->hotplug = xrealloc(r->hotplug, (r->nhotplug + 1) * sizeof(*r->hotplug));
		r->hotplug[r->nhotplug++] = h;
	}
	if (!ok)
		return "a reading whose counters, irqs or hotplug is not an array";
	if (json_object_object_get_ex(o, "latency", &lat) && lat) {
		if (!json_object_is_type(lat, json_type_string))
			return "a reading whose latency is not a string";
		r->latency_text = xstrndup(json_object_get_string(lat),
					   (size_t)json_object_get_string_len(lat));
	}
	return NULL;
}

static const char *parse_kmsg(json_object *o, struct ii_kmsg *m)
{
	char *text = NULL;
	json_object *v;
	int64_t prio = 6;
	size_t n;

	if (!get_u64(o, "seq", &m->seq) || !get_u64(o, "usec", &m->usec) ||
	    !get_i64(o, "prio", &prio) || prio < 0 || prio > 0x7fffffff || !get_bool(o, "cont", &m->cont))
		return "a kernel log record with a field of the wrong type";
	if (!json_object_object_get_ex(o, "seq", NULL))
		return "a kernel log record without its seq";
	m->prio = (int)prio;
	if (!json_object_object_get_ex(o, "text", &v) || !v || !json_object_is_type(v, json_type_string))
		return "a kernel log record without its text";
	text = unescape_kmsg(json_object_get_string(v), (size_t)json_object_get_string_len(v), &n);
	m->text = text;
	m->text_len = n;
	if (json_object_object_get_ex(o, "subsystem", &v) && v) {
		if (!json_object_is_type(v, json_type_string))
			return "a kernel log record whose subsystem is not a string";
		m->subsystem = unescape_kmsg(json_object_get_string(v),
					     (size_t)json_object_get_string_len(v), &n);
	}
	if (json_object_object_get_ex(o, "device", &v) && v) {
		if (!json_object_is_type(v, json_type_string))
			return "a kernel log record whose device is not a string";
		m->device = unescape_kmsg(json_object_get_string(v),
					  (size_t)json_object_get_string_len(v), &n);
	}
	return NULL;
}

enum ii_actl_kind ii_act_parse_line(const char *line, size_t len, struct ii_actl *out)
{
	json_tokener *tok;
	json_object *o;
	char type[16] = "";
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	if (i == len)
		return out->kind = II_ACTL_BLANK;
	if (len > INT32_MAX) {
		out->why = "a line too long to be a recording's";
		return out->kind = II_ACTL_BAD;
	}
	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) < len) {
		/* trailing blanks after the object are fine */
		size_t end = o ? json_tokener_get_parse_end(tok) : 0;

		while (o && end < len && (line[end] == ' ' || line[end] == '\t' || line[end] == '\r'))
			end++;
		if (!o || end < len) {
			json_tokener_free(tok);
			json_object_put(o);
			out->why = o ? "text after the JSON object" : "not a JSON object (cut short, or garbage)";
			return out->kind = II_ACTL_BAD;
		}
	}
	json_tokener_free(tok);
	if (!json_object_is_type(o, json_type_object) || !get_str(o, "type", type, sizeof(type))) {
		out->why = "not a JSON object with a \"type\"";
		out->kind = II_ACTL_BAD;
	} else if (!strcmp(type, "header")) {
		out->why = parse_header(o, &out->hdr);
		out->kind = out->why ? II_ACTL_BAD : II_ACTL_HEADER;
	} else if (!strcmp(type, "reading")) {
		out->why = parse_reading(o, &out->rd);
		out->kind = out->why ? II_ACTL_BAD : II_ACTL_READING;
	} else if (!strcmp(type, "kmsg")) {
		out->why = parse_kmsg(o, &out->kmsg);
		out->kind = out->why ? II_ACTL_BAD : II_ACTL_KMSG;
	} else {
		out->why = "a line of an unknown type";
		out->kind = II_ACTL_BAD;
	}
	json_object_put(o);
	if (out->kind == II_ACTL_BAD) {
		/* keep nothing of a bad line */
		const char *why = out->why;

		ii_actl_free(out);
		out->why = why;
		out->kind = II_ACTL_BAD;
	}
	return out->kind;
}
