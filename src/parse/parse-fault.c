// SPDX-License-Identifier: MIT
/*
 * One line of kernel log text -> what it says about IOMMU faults
 * (kernel-interfaces §5.2-§5.5). Every format since 2.6 is accepted:
 *
 *   Intel   2.6-3.x, two lines:
 *             DMAR:[DMA Read] Request device [00:02.0] fault addr 7fe00000
 *             DMAR:[fault reason 06] PTE Read access is not set
 *           4.x:
 *             DMAR: [DMA Read] Request device [00:02.0] fault addr 7fe00000 [fault reason 06] ...
 *           5.4, 5.10:
 *             ... [DMA Read] Request device [03:00.0] PASID ffffffff fault addr ffa3f000 ...
 *           5.15-6.12, and 7.x with the segment ([0000:00:05.0]):
 *             ... [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000
 *                 [fault reason 0x06] ...
 *             ... [INTR-REMAP] Request device [f0:1f.0] fault index 0x8 [fault reason 0x22] ...
 *   AMD     see src/parse-fault-amd.c
 *   SMMUv3  event 0x10 received: + four "\t0x%016llx" lines; 7.x decoded lines
 *   SMMUv2  Unhandled context fault: fsr=0x402, iova=0x..., fsynr=0x11, cbfrsynra=0x..., cb=3
 *   virtio-iommu (4.20 on; the device reports it on its event queue):
 *             virtio_iommu virtio0: page fault from EP 40 at 0x1000 [R]
 *             virtio_iommu virtio0: domain fault from EP 1792
 *             virtio_iommu virtio0: page fault from EP 8 at 0 [W]   (address 0: "%#llx")
 *
 * The parser is stateless; src/parse-fault-asm.c joins lines that belong together.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <string.h>

#include "bytescan.h"
#include "fault.h"

struct cur {
	const char *p, *end;
};

/* Inlined, so that strlen() of a literal is a constant. */
#define ii_inline static inline __attribute__((always_inline))

/*
 * Whether the n bytes at p are those of the literal s (n its length, a
 * constant once inlined): compared 8, 4, 2 or 1 bytes at a time, the last
 * load overlapping the one before. Loads of these sizes are single
 * instructions, and the literal's side is a constant; the compiler would
 * otherwise choose, function by function, whether memcmp() is a call.
 */
ii_inline bool same(const char *p, const char *s, size_t n)
{
	uint64_t a8, b8;
	uint32_t a4, b4;
	uint16_t a2, b2;

	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&a8, p + i, 8);
			memcpy(&b8, s + i, 8);
			if (a8 != b8)
				return false;
		}
		memcpy(&a8, p + n - 8, 8);
		memcpy(&b8, s + n - 8, 8);
		return a8 == b8;
	}
	if (n >= 4) {
		memcpy(&a4, p, 4);
		memcpy(&b4, s, 4);
		if (a4 != b4)
			return false;
		memcpy(&a4, p + n - 4, 4);
		memcpy(&b4, s + n - 4, 4);
		return a4 == b4;
	}
	if (n >= 2) {
		memcpy(&a2, p, 2);
		memcpy(&b2, s, 2);
		if (a2 != b2)
			return false;
		memcpy(&a2, p + n - 2, 2);
		memcpy(&b2, s + n - 2, 2);
		return a2 == b2;
	}
	return n == 0 || *p == *s;
}

ii_inline bool starts(const struct cur *c, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(c->end - c->p) >= n && same(c->p, s, n);
}

/* starts(), and the cursor moves past s */
ii_inline bool lit(struct cur *c, const char *s)
{
	if (!starts(c, s))
		return false;
	c->p += strlen(s);
	return true;
}

/* ' ' or '\t': one compare rules out most bytes, which are above ' ' */
ii_inline bool is_sp(char ch)
{
	return (unsigned char)ch <= ' ' && (ch == ' ' || ch == '\t');
}

ii_inline void skip_sp(struct cur *c)
{
	while (c->p < c->end && is_sp(*c->p))
		c->p++;
}

/*
 * Whether ch is an upper-case letter or '_': the first byte of every form
 * parse_amd() and parse_intel() take but "dmar: ".
 */
ii_inline bool upper_or_us(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || ch == '_';
}

/* The value of a hexadecimal digit + 1; 0 for any other byte. */
static const unsigned char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* The value of a hexadecimal digit, or -1. */
ii_inline int hexdig(char ch)
{
	return hexval[(unsigned char)ch] - 1;
}

/* Hexadecimal, with or without 0x; at most 16 digits. */
ii_inline bool hexnum(struct cur *c, uint64_t *v)
{
	const char *p = c->p, *end = c->end;
	uint64_t x = 0;
	int d;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hexdig(p[2]) >= 0)
		p += 2;
	c->p = p;
	if (end - p > 16)
		end = p + 17; /* a 17th digit is an error */
	/* the value + 1 added, and the 1 taken away from the sum: one instruction (LEA) */
	while (p < end && (d = hexval[(unsigned char)*p]) != 0) {
		x = (x << 4) + (uint64_t)d - 1;
		p++;
	}
	if (p - c->p > 16) {
		c->p += 16; /* where the 17th digit is */
		return false;
	}
	*v = x;
	d = p != c->p;
	c->p = p;
	return d;
}

ii_inline bool decnum(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	int n = 0;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (++n > 19)
			return false;
		x = x * 10 + (uint64_t)(*c->p++ - '0');
	}
	*v = x;
	return n > 0;
}

/*
 * The bytes of w equal to ch, as the high bit of their byte: exact for the
 * lowest such byte, while a byte above it may be marked too (the borrow of
 * the subtraction), so only the lowest may be used.
 */
ii_inline uint64_t bytes_eq(uint64_t w, unsigned char ch)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t x = w ^ (ones * ch);

	return (x - ones) & ~x & (ones * 0x80);
}

/*
 * The first byte of [p, end) that is a, b or c, or end: 8 bytes at a time
 * while 8 remain, then one at a time; never a byte past end. The words and
 * device names of a log line are a few to a dozen bytes long.
 */
ii_inline const char *find3(const char *p, const char *end, char a, char b, char c)
{
	for (; end - p >= 8; p += 8) {
		uint64_t w = ii_load_le64(p);
		uint64_t m = bytes_eq(w, (unsigned char)a) | bytes_eq(w, (unsigned char)b) |
			     bytes_eq(w, (unsigned char)c);

		if (m)
			return p + __builtin_ctzll(m) / 8;
	}
	while (p < end && *p != a && *p != b && *p != c)
		p++;
	return p;
}

/* Find s at or after the cursor; the cursor moves past it. */
static bool find(struct cur *c, const char *s)
{
	const char *hit = memmem(c->p, (size_t)(c->end - c->p), s, strlen(s));

	if (!hit)
		return false;
	c->p = hit + strlen(s);
	return true;
}

/* Exactly n hexadecimal digits at p, or -1. */
ii_inline long hexfixed(const char *p, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		int d = hexdig(p[i]);

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/*
 * One hexadecimal field of a requester, with or without "0x", of 1 to max
 * digits: "02", "0x02", "2". Returns the value or -1; *pp moves past it.
 */
static long hexfield(const char **pp, const char *end, int max)
{
	const char *p = *pp;
	long v = 0;
	int n = 0, d;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	while (p < end && (d = hexdig(*p)) >= 0) {
		if (++n > max)
			return -1;
		v = v << 4 | d;
		p++;
	}
	if (!n)
		return -1;
	*pp = p;
	return v;
}

/*
 * The requester as some kernels print it: "0x00:0x02.0" (a "%#04x"-style
 * backport), "0:2.0", "0x0000:0x00:0x02.0". Two fields before the dot are
 * bus and device, three are segment, bus and device.
 */
static bool bdf_loose(const char *p, size_t n, struct ii_bdf *b, bool *seg)
{
	const char *end = p + n;
	long f[3], fn;
	int k = 0;

	for (;;) {
		if (k == 3 || (f[k] = hexfield(&p, end, k ? 4 : 8)) < 0)
			return false;
		k++;
		if (p < end && *p == ':') {
			p++;
			continue;
		}
		break;
	}
	if (k < 2 || p >= end || *p++ != '.' || (fn = hexfield(&p, end, 1)) < 0 || fn > 7 ||
	    p != end)
		return false;
	if (f[k - 2] > 0xff || f[k - 1] > 0x1f || (k == 3 && f[0] > 0xffffffffL))
		return false;
	*b = (struct ii_bdf){ (uint32_t)(k == 3 ? f[0] : 0), (uint8_t)f[k - 2], (uint8_t)f[k - 1],
			      (uint8_t)fn };
	*seg = k == 3;
	return true;
}

/*
 * "00:02.0", "0000:00:02.0", "10000:01:00.0" (n bytes, not NUL-terminated); seg tells
 * whether a domain was given. What ii_parse_bdf() accepts, read in place, then the
 * looser forms above.
 */
static bool bdf_field(const char *p, size_t n, struct ii_bdf *b, bool *seg)
{
	const char *q = p;
	long dom = 0, bus, dev, fn;

	if (n >= 12 && n <= 16) {
		/* a 32-bit domain in 4 to 8 digits: 8 hex digits of a long never overflow it */
		dom = hexfixed(q, (int)(n - 8));
		if (dom < 0 || q[n - 8] != ':')
			return bdf_loose(p, n, b, seg);
		q += n - 7;
	} else if (n != 7) {
		return n > 4 && n < 24 && bdf_loose(p, n, b, seg);
	}
	bus = hexfixed(q, 2);
	dev = hexfixed(q + 3, 2);
	fn = hexfixed(q + 6, 1);
	if (bus < 0 || q[2] != ':' || dev < 0 || dev > 0x1f || q[5] != '.' || fn < 0 || fn > 7)
		return bdf_loose(p, n, b, seg);
	*b = (struct ii_bdf){ (uint32_t)dom, (uint8_t)bus, (uint8_t)dev, (uint8_t)fn };
	*seg = n != 7;
	return true;
}

/*
 * Clear what a line gives: done only for the lines that give something. The
 * message is left empty: the assembler copies the text when it needs it.
 */
void ii_fault_clear_rest(struct ii_fault *f)
{
	f->msg[0] = '\0';
	f->group = -1;
	f->dev = NULL;
	f->via = NULL; /* the scratch line is reused: a bridge alias of the last fault is not this one's */
	f->annotation[0] = '\0';
}

static void reset(struct ii_fline *out, enum ii_fline_kind kind, enum ii_vendor v)
{
	struct ii_fault *f = &out->f;

	/*
	 * Zeros stored (gcc inlines this memset() as 11 vector stores, or it is
	 * glibc's; see STRINGOP in the Makefile): fewer instructions than the
	 * copy of a blank fault, which loaded each vector first.
	 */
	memset(f, 0, offsetof(struct ii_fault, unit));
	f->unit[0] = f->client[0] = f->reason[0] = '\0';
	ii_fault_clear_rest(f);
	out->kind = kind;
	f->vendor = v;
	f->priv = -1;
}

static void start_fault(struct ii_fline *out, enum ii_fline_kind kind, enum ii_vendor v)
{
	reset(out, kind, v);
	out->f.kind = II_FK_DMA;
	out->f.complete = true;
}

/* ------------------------------------------------------------------ Intel */

static void intel_reason(struct ii_fault *f, uint64_t code, const char *text, size_t n)
{
	const char *known = ii_intel_reason((unsigned)code);

	f->has_reason = true;
	f->reason_code = (unsigned)code;
	if (known) {
		/* the kernel's own string: the text of the line is not needed */
		str_copy(f->reason, sizeof(f->reason), known, strlen(known));
		return;
	}
	n = strnlen(text, n); /* a NUL (a damaged paste) ends the text, not the reason */
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\r'))
		n--;
	if (n)
		str_copy(f->reason, sizeof(f->reason), text, n);
	else
		str_copy(f->reason, sizeof(f->reason), "Unknown", 7);
}

/* "[fault reason 0x06] PTE Read access is not set": hex with 0x, else decimal (before 5.15). */
ii_inline bool intel_reason_field(struct cur *c, struct ii_fault *f)
{
	uint64_t code;
	bool ok;

	if (!lit(c, "[fault reason "))
		return false;
	if (starts(c, "0x") || starts(c, "0X"))
		ok = hexnum(c, &code);
	else
		ok = decnum(c, &code);
	if (!ok || code > 0xff || !lit(c, "]"))
		return false;
	skip_sp(c);
	intel_reason(f, code, c->p, (size_t)(c->end - c->p));
	return true;
}

/*
 * After "DMAR:" (or "INTR-REMAP:"): the fault in any of its forms. intr is
 * set when the line began with "INTR-REMAP:" (2.6-3.x).
 */
static void intel_body(struct cur *c, struct ii_fline *out, bool intr)
{
	struct ii_fault *f = &out->f;
	bool modern = false; /* 5.4 and later: never split over two lines */
	const char *b;
	uint64_t v;

	start_fault(out, II_FL_UNPARSED, II_VENDOR_INTEL);
	if (intr) {
		f->kind = II_FK_INTR;
		f->access = II_ACC_INTR;
		if (!lit(c, "Request device ["))
			return;
	} else if (lit(c, "[DMA Read NO_PASID] Request device [")) {
		/* 5.15 on, the form of nearly every line: the steps below in one compare */
		f->access = II_ACC_READ;
		modern = true;
	} else if (lit(c, "[DMA Write NO_PASID] Request device [")) {
		f->access = II_ACC_WRITE;
		modern = true;
	} else if (c->p + 1 < c->end && c->p[1] == 'I' && lit(c, "[INTR-REMAP]")) {
		f->kind = II_FK_INTR;
		f->access = II_ACC_INTR;
		skip_sp(c);
		if (!lit(c, "Request device ["))
			return;
	} else if (lit(c, "[DMA ")) {
		if (lit(c, "Read"))
			f->access = II_ACC_READ;
		else if (lit(c, "Write"))
			f->access = II_ACC_WRITE;
		else
			return;
		if (c->p + 1 >= c->end || c->p[1] == ']') {
			/* before 5.4: "[DMA Read]" */
		} else if (lit(c, " NO_PASID")) {
			/* 5.15 and later: no PASID */
			modern = true;
		} else if (lit(c, " PASID ")) {
			if (!hexnum(c, &v) || v > UINT32_MAX)
				return;
			f->has_pasid = true;
			f->pasid = (uint32_t)v;
			modern = true;
		}
		if (!lit(c, "]"))
			return;
		skip_sp(c);
		if (!lit(c, "Request device ["))
			return;
	} else {
		return;
	}
	lit(c, "["); /* "[[" in 2.6-3.x interrupt-remapping lines */
	b = c->p;
	if (!(c->p = ii_find_byte(b, c->end, ']')))
		c->p = c->end;
	if (!bdf_field(b, (size_t)(c->p - b), &f->bdf, &f->seg_known) || !lit(c, "]"))
		return;
	f->has_bdf = true;
	skip_sp(c);
	if (c->p < c->end && *c->p == 'P' && lit(c, "PASID ")) {
		/* 5.4 and 5.10: "PASID %x", ffffffff when there is none */
		modern = true;
		if (!hexnum(c, &v) || v > UINT32_MAX)
			return;
		if (v != UINT32_MAX) {
			f->has_pasid = true;
			f->pasid = (uint32_t)v;
		}
		skip_sp(c);
	}
	if (f->kind == II_FK_INTR) {
		if (!lit(c, "fault index ") || !hexnum(c, &f->index))
			return;
		f->has_index = true;
	} else {
		if (!lit(c, "fault addr ") || !hexnum(c, &f->addr))
			return;
		f->has_addr = true;
	}
	skip_sp(c);
	if (c->p == c->end && !modern && !f->seg_known) {
		/* 2.6-3.x: the reason is on the next line */
		out->kind = II_FL_INTEL_HALF;
		f->complete = false;
		return;
	}
	if (intel_reason_field(c, f))
		out->kind = II_FL_FAULT;
}

/* The cursor by value, in registers: a copy from memory of what the caller just stored is slow. */
static bool parse_intel(struct cur c, struct ii_fline *out)
{
	struct cur s = c;
	bool intr = false, body;
	uint64_t v;

	/* "dmar: " (3.x module prefix), then "DMAR:" (2.6-3.x without a space) or "DMAR: " */
	if (lit(&s, "dmar: "))
		skip_sp(&s);
	if (lit(&s, "DMAR:")) {
		skip_sp(&s);
	} else if (lit(&s, "INTR-REMAP:")) {
		skip_sp(&s);
		intr = true;
	} else if (s.p == c.p && !starts(&s, "DRHD: handling fault status reg ")) {
		return false;
	}
	/* the forms, told apart by their first byte */
	if (s.p < s.end && *s.p == 'D' && lit(&s, "DRHD: handling fault status reg ")) {
		if (hexnum(&s, &v) && v <= UINT32_MAX) {
			reset(out, II_FL_STATUS, II_VENDOR_INTEL);
			out->value = v;
		}
		return true;
	}
	if (!intr && s.p < s.end && *s.p == 'I' && lit(&s, "INTR-REMAP:")) {
		/* "dmar: INTR-REMAP: Request device [[..." (3.x) */
		skip_sp(&s);
		intr = true;
	}
	if (s.p < s.end && *s.p == '[') {
		if (starts(&s, "[fault reason ")) {
			start_fault(out, II_FL_UNPARSED, II_VENDOR_INTEL);
			if (intel_reason_field(&s, &out->f))
				out->kind = II_FL_INTEL_REASON;
			return true;
		}
		body = starts(&s, "[DMA ") || starts(&s, "[INTR-REMAP]");
	} else {
		body = intr && starts(&s, "Request device [");
	}
	if (body) {
		/* one call, inlined: the cursor stays in registers */
		intel_body(&s, out, intr);
		return true;
	}
	/* another DMAR line that mentions a request: a format we do not know */
	if (memmem(s.p, (size_t)(s.end - s.p), "Request device [", 16))
		start_fault(out, II_FL_UNPARSED, II_VENDOR_INTEL);
	return true;
}

/* ------------------------------------------------------------ Arm SMMUv3 */

/* "\t0x0000010000000010": one dword of an event record. */
static bool smmu_dword(struct cur *c, uint64_t *v)
{
	struct cur s = *c;

	skip_sp(&s);
	if (!lit(&s, "0x") || s.end - s.p != 16 || !hexnum(&s, v))
		return false;
	return s.p == s.end;
}

/* "<name>: 0x1f" and the like: "key: value" pairs of the 7.x decoded line. */
static bool key_hex(struct cur *c, const char *key, uint64_t *v)
{
	skip_sp(c);
	return lit(c, key) && hexnum(c, v);
}

/* 7.x: event: F_TRANSLATION client: 0000:01:00.0 sid: 0x100 ssid: 0x0 iova: 0x... ipa: 0x... */
static void smmu_decoded(struct cur *c, struct ii_fline *out)
{
	struct ii_fault *f = &out->f;
	const char *name = c->p, *client;
	uint64_t v;
	int id;

	start_fault(out, II_FL_UNPARSED, II_VENDOR_ARM_SMMU_V3);
	while (c->p < c->end && *c->p != ' ')
		c->p++;
	id = ii_smmu_event_id(name, (size_t)(c->p - name));
	if (!lit(c, " client: "))
		return;
	client = c->p;
	if (!find(c, " sid: "))
		return;
	str_copy(f->client, sizeof(f->client), client, (size_t)(c->p - 6 - client));
	if (bdf_field(f->client, strlen(f->client), &f->bdf, &f->seg_known)) {
		f->has_bdf = true;
		f->client[0] = '\0';
	} else if (f->client[0] == '(') {
		f->client[0] = '\0'; /* "(unassigned sid)" */
	}
	if (!hexnum(c, &v) || v > UINT32_MAX)
		return;
	f->has_sid = true;
	f->sid = (uint32_t)v;
	if (!key_hex(c, "ssid: ", &v) || v > UINT32_MAX)
		return;
	/* the decoded line prints the SSID whether it is valid or not: 0 is taken as none */
	f->has_ssid = f->has_pasid = v != 0;
	f->ssid = f->pasid = (uint32_t)v;
	if (key_hex(c, "iova: ", &f->addr)) {
		f->has_addr = true;
		key_hex(c, "ipa: ", &v);
	} else if (key_hex(c, "fetch_addr: ", &f->addr)) {
		f->has_addr = true;
	}
	if (id >= 0) {
		f->has_reason = true;
		f->reason_code = (unsigned)id;
		f->event = ii_smmu_event_name((unsigned)id);
		f->kind = (id >= 0x10 && id <= 0x13) ? II_FK_DMA : II_FK_EVENT;
	} else {
		f->kind = II_FK_EVENT;
	}
	out->kind = II_FL_SMMU_DECODED;
}

/* 7.x: unpriv data write s1 "Input address caused fault" stag: 0x0 */
static void smmu_access(struct cur *c, struct ii_fline *out)
{
	struct ii_fault *f = &out->f;

	start_fault(out, II_FL_NONE, II_VENDOR_ARM_SMMU_V3);
	if (lit(c, "priv "))
		f->priv = 1;
	else if (lit(c, "unpriv "))
		f->priv = 0;
	else
		return;
	if (lit(c, "inst "))
		f->access = II_ACC_EXEC;
	else if (!lit(c, "data "))
		return;
	/* an instruction fetch is an exec access; a data access is a read or a write */
	if (lit(c, "read ")) {
		if (!f->access)
			f->access = II_ACC_READ;
	} else if (lit(c, "write ")) {
		if (!f->access)
			f->access = II_ACC_WRITE;
	} else {
		return;
	}
	if (!(lit(c, "s1 ") || lit(c, "s2 ")) || !lit(c, "\"") || !find(c, "\"") ||
	    !find(c, "stag: "))
		return;
	out->kind = II_FL_SMMU_ACCESS;
}

static bool key_is(const char *key, size_t n, const char *want)
{
	return strlen(want) == n && !memcmp(key, want, n);
}

/* The keys of an SMMUv2 context fault that the parser reads; cb= is not. */
enum smmu2_key { SK_NONE, SK_FSR, SK_IOVA, SK_FSYNR, SK_CBFRSYNRA };

/*
 * "key=value" pairs separated by ", " (SMMUv2 context faults): *k says which
 * key, the value is hexadecimal with "0x", else decimal.
 */
ii_inline bool next_pair(struct cur *c, enum smmu2_key *k, uint64_t *v)
{
	const char *key;
	size_t klen;

	while (c->p < c->end && (*c->p == ' ' || *c->p == ','))
		c->p++;
	/* the keys the kernel prints by their first byte, as in amd_event() */
	*k = SK_NONE;
	key = c->p;
	if (c->p < c->end) {
		if (*c->p == 'f') {
			if (lit(c, "fsr="))
				*k = SK_FSR;
			else if (lit(c, "fsynr="))
				*k = SK_FSYNR;
		} else if (*c->p == 'i') {
			if (lit(c, "iova="))
				*k = SK_IOVA;
		} else if (*c->p == 'c') {
			if (lit(c, "cbfrsynra="))
				*k = SK_CBFRSYNRA;
		}
	}
	if (c->p == key) {
		while (c->p < c->end && *c->p != '=' && *c->p != ' ' && *c->p != ',')
			c->p++;
		klen = (size_t)(c->p - key);
		if (!klen || !lit(c, "="))
			return false;
		/* a key read above would have been taken there: this one is not read */
	}
	if (starts(c, "0x") || starts(c, "0X"))
		return hexnum(c, v);
	return decnum(c, v);
}

/* SMMUv2: "Unhandled context fault: fsr=0x402, iova=0x12345000, fsynr=0x11, cbfrsynra=0x2000,
 * cb=3"; older kernels print no cbfrsynra. */
static void smmu2_fault(struct cur cv, struct ii_fline *out)
{
	/* the cursor a copy: its address not taken, it stays in registers */
	struct cur *c = &cv;
	struct ii_fault *f = &out->f;
	bool has_fsr = false, has_fsynr = false;
	enum smmu2_key k;
	uint64_t v;

	start_fault(out, II_FL_UNPARSED, II_VENDOR_ARM_SMMU);
	while (c->p < c->end) {
		if (!next_pair(c, &k, &v))
			return;
		if (k == SK_FSR && v <= UINT32_MAX) {
			has_fsr = true;
			f->reason_code = (unsigned)v;
		} else if (k == SK_IOVA) {
			f->has_addr = true;
			f->addr = v;
		} else if (k == SK_FSYNR && v <= UINT32_MAX) {
			has_fsynr = true;
			f->has_flags = true;
			f->flags = (uint32_t)v;
		} else if (k == SK_CBFRSYNRA && v <= UINT32_MAX) {
			f->has_sid = true;
			f->sid = (uint32_t)v & 0xffff;
		}
		while (c->p < c->end && *c->p == ' ')
			c->p++;
	}
	if (!f->has_addr)
		return;
	if (has_fsr) {
		f->has_reason = true;
		ii_smmu2_fsr_explain(f->reason_code, f->reason, sizeof(f->reason));
	}
	if (has_fsynr) {
		/* FSYNR0: WNR bit 4, PNU bit 5, IND bit 6 */
		f->access = (f->flags & (1u << 6)) ? II_ACC_EXEC :
			    (f->flags & (1u << 4)) ? II_ACC_WRITE : II_ACC_READ;
		f->priv = (f->flags >> 5) & 1;
	}
	out->kind = II_FL_FAULT;
}

static bool parse_smmu(struct cur *c, struct ii_fline *out, const char *drv, size_t drvlen)
{
	bool smmu = false;
	uint64_t v;

	if (lit(c, "Unhandled context fault:")) {
		smmu2_fault(*c, out);
		return true;
	}
	/* the rest only from a driver whose name says it: "arm-smmu-v3", "arm_smmu_v3" */
	for (size_t i = 0; i + 4 <= drvlen && !smmu; i++)
		smmu = drv[i] == 's' && !memcmp(drv + i, "smmu", 4);
	if (!smmu)
		return false;
	if (lit(c, "event 0x")) {
		c->p -= 2;
		start_fault(out, II_FL_UNPARSED, II_VENDOR_ARM_SMMU_V3);
		if (hexnum(c, &v) && v <= 0xff && lit(c, " received:")) {
			out->kind = II_FL_SMMU_HEAD;
			out->value = v;
		}
		return true;
	}
	if (smmu_dword(c, &v)) {
		out->kind = II_FL_SMMU_DWORD;
		out->value = v;
		return true;
	}
	if (lit(c, "event: ")) {
		smmu_decoded(c, out);
		return true;
	}
	if (starts(c, "priv ") || starts(c, "unpriv ")) {
		smmu_access(c, out);
		return true;
	}
	if (starts(c, "EVTQ overflow detected")) {
		reset(out, II_FL_OVERFLOW, II_VENDOR_ARM_SMMU_V3);
		return true;
	}
	return false;
}

/* ----------------------------------------------------------- virtio-iommu */

/*
 * "<reason> fault from EP <endpoint>[ at <address> [<R><W><X>]]", reason
 * "domain", "page" or "unknown" (VIRTIO_IOMMU_FAULT_R_DOMAIN 1, _MAPPING 2,
 * _UNKNOWN 0). The endpoint is the endpoint ID (for PCI, through the VIOT's
 * PCI range: the requester ID); the address is the IOVA as the device sent it,
 * not rounded to a page. Lines whose start matches and whose rest does not are
 * unparsed.
 */
static bool parse_virtio(struct cur cv, struct ii_fline *out)
{
	/* the cursor a copy: its address not taken, it stays in registers */
	struct cur *c = &cv;
	static const struct {
		const char *reason;
		unsigned code;
	} reasons[] = {
		{ "no mapping for the address, or the access is not allowed", 2 }, /* "page" */
		{ "the endpoint is attached to no domain", 1 },                   /* "domain" */
		{ "unknown", 0 },                                                  /* "unknown" */
	};
	struct ii_fault *f = &out->f;
	size_t r;
	uint64_t ep, addr;

	/*
	 * Most lines that come here are no fault at all: the words as literals,
	 * whose compares the compiler inlines (a loop over the table called
	 * strlen() and memcmp() three times a line)
	 */
	if (lit(c, "page"))
		r = 0;
	else if (lit(c, "domain"))
		r = 1;
	else if (lit(c, "unknown"))
		r = 2;
	else
		return false;
	if (!lit(c, " fault from EP "))
		return false;
	start_fault(out, II_FL_UNPARSED, II_VENDOR_VIRTIO);
	if (!decnum(c, &ep) || ep > UINT32_MAX)
		return true;
	f->has_sid = true;
	f->sid = (uint32_t)ep;
	f->has_reason = true;
	f->reason_code = reasons[r].code;
	str_copy(f->reason, sizeof(f->reason), reasons[r].reason, strlen(reasons[r].reason));
	if (c->p == c->end) {
		out->kind = II_FL_FAULT;
		return true;
	}
	/* a PASID only in the out-of-tree vSVA form ("... EP 8 PASID 1 at ...") */
	if (lit(c, " PASID ")) {
		uint64_t pasid;

		if (!decnum(c, &pasid) || pasid > UINT32_MAX)
			return true;
		f->has_pasid = true;
		f->pasid = (uint32_t)pasid;
	}
	/* "%#llx": "0x1000", but "0" for address 0 */
	if (!lit(c, " at ") || (!starts(c, "0x") && !(starts(c, "0 ["))) || !hexnum(c, &addr) ||
	    !lit(c, " ["))
		return true;
	f->has_addr = true;
	f->addr = addr;
	f->access = 0;
	if (lit(c, "R"))
		f->access |= II_ACC_READ;
	if (lit(c, "W"))
		f->access |= II_ACC_WRITE;
	if (lit(c, "X"))
		f->access |= II_ACC_EXEC;
	if (!lit(c, "]") || c->p != c->end)
		return true;
	out->kind = II_FL_FAULT;
	return true;
}

/* ------------------------------------------------------------ suppressed */

/* "dmar_fault: 8 callbacks suppressed": the function names the driver. */
static bool parse_suppressed(struct cur cv, struct ii_fline *out)
{
	/* the cursor a copy: its address not taken, it stays in registers */
	struct cur *c = &cv;
	const char *fn = c->p;
	enum ii_vendor v;
	size_t n;
	uint64_t count;

	/*
	 * Only the functions of these drivers count, and their names are words
	 * that start so: most lines stop here, before any scan.
	 */
	if (starts(c, "dmar") || starts(c, "intel_"))
		v = II_VENDOR_INTEL;
	else if (starts(c, "amd_") || starts(c, "iommu_print_event"))
		v = II_VENDOR_AMD;
	else if (starts(c, "arm_smmu_evtq_"))
		v = II_VENDOR_ARM_SMMU_V3;
	else if (starts(c, "arm_smmu"))
		v = II_VENDOR_ARM_SMMU;
	else if (starts(c, "viommu_"))
		v = II_VENDOR_VIRTIO;
	else
		return false;
	while (c->p < c->end && (*c->p == '_' || (*c->p >= 'a' && *c->p <= 'z') ||
				 (*c->p >= 'A' && *c->p <= 'Z') || (*c->p >= '0' && *c->p <= '9')))
		c->p++;
	n = (size_t)(c->p - fn);
	if (!lit(c, ": ") || !decnum(c, &count) || !lit(c, " callbacks suppressed"))
		return false;
	reset(out, II_FL_SUPPRESSED, v);
	out->value = count;
	str_copy(out->function, sizeof(out->function), fn, n);
	return true;
}

/* ----------------------------------------------------------------- lines */

/*
 * A dev_printk prefix, "<driver> <device>: ": two words without spaces, the
 * first without ':' either. Returns the start of the rest, or NULL.
 */
static const char *dev_prefix(const char *p, const char *end, const char **drv, size_t *drvlen,
			      const char **dev, size_t *devlen)
{
	const char *s = find3(p, end, ' ', ':', '\t');

	if (s == p || s >= end || *s != ' ')
		return NULL;
	*drv = p;
	*drvlen = (size_t)(s - p);
	p = s + 1;
	s = find3(p, end, ' ', '\t', ' ');
	if (s - p < 2 || s >= end || s[-1] != ':')
		return NULL;
	*dev = p;
	*devlen = (size_t)(s - p - 1);
	return s + 1;
}

/* -------------------------------------------------------------------- AMD */

/* The keys of an AMD event that the parser reads; tag, vmg_tag, flags_rmp are not. */
enum amd_key {
	AK_NONE,
	AK_DEVICE,
	AK_DOMAIN,
	AK_ADDR, /* address=, gpa=, spa= */
	AK_FLAGS,
	AK_PASID,
	AK_EVENT0, AK_EVENT1, AK_EVENT2, AK_EVENT3, /* event[0]= to event[3]= of UNKNOWN */
};

/* A key amd_event() did not take by its first byte (device, domain, address and flags it does). */
static enum amd_key amd_key(const char *key, size_t klen)
{
	if (klen == 8 && !memcmp(key, "event[", 6) && key[6] >= '0' && key[6] <= '3' && key[7] == ']')
		return (enum amd_key)(AK_EVENT0 + (key[6] - '0'));
	if (key_is(key, klen, "gpa") || key_is(key, klen, "spa"))
		return AK_ADDR;
	if (key_is(key, klen, "pasid"))
		return AK_PASID;
	return AK_NONE;
}

/*
 * The text after "Event logged [" (kernel-interfaces §5.4), from 2.6 to 7.x:
 *   IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x000000fdf8000000 flags=0x0010]
 *   IO_PAGE_FAULT domain=0x0027 address=0xff7f0000 flags=0x0020]        (device in the prefix)
 *   RMP_PAGE_FAULT device=0000:41:00.0, vmg_tag=0x0000, gpa=0x..., flags_rmp=0x0000, flags=0x0000]
 *   UNKNOWN event[0]=0x... event[1]=0x... event[2]=0x... event[3]=0x...   (no bracket)
 * and the device line after "Device not attached to domain properly":
 *   device=0000:03:00.0 domain=0x0000
 */
static int amd_event(const char *p, const char *end, struct ii_fault *f)
{
	struct cur c = { p, end };
	const char *name = c.p, *key, *val;
	uint64_t ev[4] = { 0 }, v, flags = 0;
	unsigned have_ev = 0;
	bool has_device = false, has_flags = false, has_pasid = false, unknown = false;
	size_t nlen, klen;
	int type = -1;

	if (starts(&c, "IO_PAGE_FAULT ")) {
		/* the event of nearly every line of a storm: neither scanned nor looked up */
		nlen = 13;
		c.p += nlen;
		type = 0x2;
	} else {
		while (c.p < end && upper_or_us(*c.p))
			c.p++;
		nlen = (size_t)(c.p - name);
	}
	if (nlen && type < 0) {
		type = ii_amd_event_type(name, nlen);
		unknown = nlen == 7 && !memcmp(name, "UNKNOWN", 7);
		if (type < 0 && !unknown)
			return -1;
	}
	for (;;) {
		enum amd_key k = AK_NONE;

		while (c.p < end && (*c.p == ' ' || *c.p == ','))
			c.p++;
		if (c.p >= end || *c.p == ']')
			break;
		/*
		 * The keys the kernel prints, told by their first byte: a key
		 * with its '=' is the word the scan below would give. Any other
		 * word is scanned.
		 */
		key = c.p;
		switch (*c.p) {
		case 'd':
			if (lit(&c, "domain="))
				k = AK_DOMAIN;
			else if (lit(&c, "device="))
				k = AK_DEVICE;
			break;
		case 'a':
			if (lit(&c, "address="))
				k = AK_ADDR;
			break;
		case 'f':
			if (lit(&c, "flags="))
				k = AK_FLAGS;
			break;
		}
		if (k == AK_NONE) {
			while (c.p < end && *c.p != '=' && *c.p != ' ')
				c.p++;
			klen = (size_t)(c.p - key);
			if (!klen || !lit(&c, "="))
				return -1;
			k = amd_key(key, klen);
		}
		if (k == AK_DEVICE) {
			val = c.p;
			while (c.p < end && *c.p != ' ' && *c.p != ',' && *c.p != ']')
				c.p++;
			if (!bdf_field(val, (size_t)(c.p - val), &f->bdf, &f->seg_known))
				return -1;
			has_device = f->has_bdf = true;
			continue;
		}
		if (!hexnum(&c, &v))
			return -1;
		switch (k) {
		case AK_EVENT0:
		case AK_EVENT1:
		case AK_EVENT2:
		case AK_EVENT3:
			ev[k - AK_EVENT0] = v;
			have_ev |= 1u << (k - AK_EVENT0);
			break;
		case AK_DOMAIN:
			f->has_domain = true;
			f->domain = (uint32_t)v;
			break;
		case AK_ADDR:
			f->has_addr = true;
			f->addr = v;
			break;
		case AK_FLAGS:
			has_flags = true;
			flags = v;
			break;
		case AK_PASID:
			has_pasid = true;
			f->pasid = (uint32_t)v;
			break;
		case AK_NONE:
		case AK_DEVICE:
			break;
		}
		/* tag, vmg_tag, flags_rmp: kept in the message only */
	}
	if (c.p < end)
		c.p++; /* ']' */
	skip_sp(&c);
	if (c.p != end)
		return -1;
	if (!nlen)
		return has_device && f->has_domain ? 0 : -1;
	if (unknown && have_ev == 0xf) {
		/* decode the raw event: type, device id, PASID or domain, flags, address */
		type = (int)(ev[1] >> 28 & 0xf);
		f->bdf = (struct ii_bdf){ 0, (uint8_t)(ev[0] >> 8 & 0xff), (uint8_t)(ev[0] >> 3 & 0x1f),
					  (uint8_t)(ev[0] & 7) };
		f->has_bdf = true;
		f->seg_known = false;
		f->has_domain = true;
		f->domain = (uint32_t)((ev[0] >> 16 & 0xf) << 16 | (ev[1] & 0xffff));
		has_flags = true;
		flags = ev[1] >> 16 & 0xfff;
		f->has_addr = true;
		f->addr = ev[3] << 32 | (ev[2] & 0xffffffff);
	} else if (unknown) {
		return -1;
	}
	if (type < 0)
		return -1;
	f->vendor = II_VENDOR_AMD;
	f->event = ii_amd_event_name((unsigned)type);
	f->has_reason = true;
	f->reason_code = (unsigned)type;
	f->has_flags = has_flags;
	f->flags = (uint32_t)(flags & 0xfff);
	f->kind = (type == 0x2 || type == 0xd || type == 0x8) ? II_FK_DMA : II_FK_EVENT;
	if (has_flags && (type == 0x2 || type == 0xd)) {
		if (flags & 0x008) {
			f->access = II_ACC_INTR;
			f->kind = II_FK_INTR;
		} else if (flags & 0x002) {
			f->access = II_ACC_EXEC;
		} else {
			f->access = (flags & 0x020) ? II_ACC_WRITE : II_ACC_READ;
		}
		if (flags & 0x001) {
			/* GN: the request had a PASID, which the domain field holds */
			f->priv = (flags & 0x004) ? 0 : 1;
			if (!has_pasid && f->has_domain) {
				has_pasid = true;
				f->pasid = f->domain;
				f->has_domain = false;
			}
		} else {
			has_pasid = false;
		}
	} else if (has_flags && (type == 0x1 || type == 0x3 || type == 0x4)) {
		/*
		 * ILLEGAL_DEV_TABLE_ENTRY and the device and page table hardware
		 * errors carry I (bit 3), RW (bit 5) and TR (bit 8) at the same
		 * places; RW means something for a memory request that is not a
		 * translation request (AMD IOMMU specification, event formats).
		 * INVALID_DEVICE_REQUEST has no RW bit: its access stays unknown.
		 */
		if (flags & 0x008)
			f->access = II_ACC_INTR;
		else if (!(flags & 0x100))
			f->access = (flags & 0x020) ? II_ACC_WRITE : II_ACC_READ;
		if (type != 0x3 && !(flags & 0x001))
			has_pasid = false;
	}
	/* the kernel prints pasid= whether or not the request had one (GN) */
	f->has_pasid = has_pasid && (!has_flags || (flags & 0x001));
	ii_amd_explain((unsigned)type, has_flags, f->flags, f->reason, sizeof(f->reason));
	return 0;
}

static bool parse_amd(struct cur c, struct ii_fline *out)
{
	struct cur s = c;
	int t;

	if (lit(&s, "AMD-Vi:") || lit(&s, "AMD IOMMU:")) {
		skip_sp(&s);
		if (lit(&s, "device=")) {
			/* "AMD-Vi:   device=0000:03:00.0 domain=0x0000" */
			s.p -= 7;
			start_fault(out, II_FL_UNPARSED, II_VENDOR_AMD);
			if (amd_event(s.p, s.end, &out->f) == 0)
				out->kind = II_FL_AMD_DEVLINE;
			return true;
		}
	}
	if (!lit(&s, "Event logged [")) {
		/* the second record of a 4.x split event: "IO_PAGE_FAULT device=..." */
		const char *w = s.p;

		while (s.p < s.end && upper_or_us(*s.p))
			s.p++;
		/* the names are 12 to 23 letters long: most lines stop here */
		if (s.p - w < 12 || s.p >= s.end || *s.p != ' ')
			return false;
		t = ii_amd_event_type(w, (size_t)(s.p - w));
		if (t < 0)
			return false;
		s.p = w;
	}
	start_fault(out, II_FL_UNPARSED, II_VENDOR_AMD);
	skip_sp(&s);
	if (s.p == s.end) {
		out->kind = II_FL_AMD_OPEN;
		out->f.complete = false;
		return true;
	}
	if (lit(&s, "Device not attached to domain properly]")) {
		out->kind = II_FL_AMD_NOTATTACHED;
		out->f.complete = false;
		out->f.has_reason = true;
		out->f.reason_code = 0x2;
		out->f.event = ii_amd_event_name(0x2);
		str_copy(out->f.reason, sizeof(out->f.reason),
			 "IO_PAGE_FAULT: the device is not attached to a domain", 53);
		return true;
	}
	if (amd_event(s.p, s.end, &out->f) == 0)
		out->kind = II_FL_FAULT;
	return true;
}

/*
 * The device of a dev_printk prefix: the requester of an AMD fault printed on
 * the faulting device ("nvme 0000:03:00.0: AMD-Vi: ..."), otherwise the IOMMU
 * unit that printed it ("iommu ivhd0: ", "arm-smmu-v3 arm-smmu-v3.0.auto: ").
 */
static void apply_prefix(struct ii_fline *out)
{
	struct ii_fault *f = &out->f;
	struct ii_bdf b;
	bool seg;

	/* an SMMUv3 dword gives no fault: its f is not set, and may never have been */
	if (out->kind == II_FL_NONE || out->kind == II_FL_SUPPRESSED ||
	    out->kind == II_FL_SMMU_DWORD || !out->prefix_dev[0])
		return;
	if (f->vendor == II_VENDOR_AMD && !f->has_bdf &&
	    bdf_field(out->prefix_dev, strlen(out->prefix_dev), &b, &seg)) {
		f->bdf = b;
		f->seg_known = seg;
		f->has_bdf = true;
		return;
	}
	str_copy(f->unit, sizeof(f->unit), out->prefix_dev, strlen(out->prefix_dev));
}

/*
 * Whether parse_amd() may take what starts at p: "AMD-Vi:", "AMD IOMMU:",
 * "Event logged [", or an event name (12 or more of A-Z and '_').
 */
ii_inline bool may_be_amd(const char *p, const char *end)
{
	return end - p >= 2 && upper_or_us(p[0]) && (upper_or_us(p[1]) || p[0] == 'E');
}

/* Whether parse_virtio() may take what starts with ch: "page", "domain", "unknown". */
ii_inline bool may_be_virtio(char ch)
{
	return ch == 'p' || ch == 'd' || ch == 'u';
}

/*
 * One line from its first byte: the known forms, prefixes included. The
 * tests before each parser's call are what the parser would test first:
 * a line of another driver costs a few compares and no calls.
 */
static void parse_at(const char *text, size_t len, struct ii_fline *out)
{
	const char *end = text + len, *rest, *drv = NULL, *dev = NULL;
	size_t drvlen = 0, devlen = 0;
	struct cur c;

	/* out->f is cleared only for the lines that give something (reset()) */
	out->kind = II_FL_NONE;
	out->prefix_dev[0] = '\0';
	out->value = 0;
	if (!text || !len)
		return;

	/*
	 * The forms a line can start with, tried in this order: Intel, AMD,
	 * a ratelimit, SMMUv2 without its prefix, virtio-iommu. The first byte
	 * rules most of them out, so that a line of another driver costs a few
	 * compares before its dev_printk prefix is looked at.
	 */
	c = (struct cur){ text, end };
	if (upper_or_us(text[0])) {
		/* "DMAR:", "DRHD: ", "INTR-REMAP:"; "AMD-Vi:", "Event logged [", an event name */
		if ((text[0] == 'D' || text[0] == 'I') && parse_intel(c, out))
			return;
		if (may_be_amd(text, end) && parse_amd(c, out))
			return;
		if (lit(&c, "Unhandled context fault:")) {
			/* an SMMUv2 fault whose device prefix a paste left out */
			smmu2_fault(c, out);
			return;
		}
	} else {
		/* "dmar: "; "dmar_fault: 3 callbacks suppressed"; "page fault from EP" */
		if (text[0] == 'd' && parse_intel(c, out))
			return;
		if (parse_suppressed(c, out))
			return;
		c = (struct cur){ text, end };
		if (may_be_virtio(text[0]) && parse_virtio(c, out))
			return;
	}
	rest = dev_prefix(text, end, &drv, &drvlen, &dev, &devlen);
	if (rest) {
		str_copy(out->prefix_dev, sizeof(out->prefix_dev), dev, devlen);
		c = (struct cur){ rest, end };
		/* the same first-byte tests as above, after the prefix */
		if ((may_be_amd(rest, end) && parse_amd(c, out)) || parse_smmu(&c, out, drv, drvlen) ||
		    (rest < end && (*rest == 'd' || *rest == 'D' || *rest == 'I') && parse_intel(c, out)))
			apply_prefix(out);
		else if (c = (struct cur){ rest, end },
			 rest < end && may_be_virtio(*rest) && parse_virtio(c, out))
			apply_prefix(out);
	}
}

/* Whether s occurs in [text, end) with its byte off at p. */
ii_inline bool occurs_at(const char *text, const char *end, const char *p, size_t off,
			 const char *s)
{
	size_t n = strlen(s);

	return (size_t)(p - text) >= off && (size_t)(end - p) + off >= n &&
	       !memcmp(p - off, s, n);
}

/*
 * Whether the line holds a signature of a fault message; its vendor, or NONE.
 * Every signature holds a '[' or "fault": the line is searched for those, and
 * the signatures are compared around each (which lines of other drivers have
 * few of, where spaces, say, are many).
 */
static enum ii_vendor signature(const char *text, size_t len)
{
	const char *end = text + len, *p;
	bool amd = false, status = false, virtio = false;

	for (p = text; (p = memchr(p, '[', (size_t)(end - p))) != NULL; p++) {
		if (occurs_at(text, end, p, 15, "Request device [") ||
		    occurs_at(text, end, p, 0, "[fault reason "))
			return II_VENDOR_INTEL;
		amd = amd || occurs_at(text, end, p, 13, "Event logged [");
	}
	if (amd)
		return II_VENDOR_AMD;
	for (p = text; (p = memchr(p, 'f', (size_t)(end - p))) != NULL; p++) {
		if (!occurs_at(text, end, p, 0, "fault"))
			continue;
		if (occurs_at(text, end, p, 18, "Unhandled context fault"))
			return II_VENDOR_ARM_SMMU;
		status = status || occurs_at(text, end, p, 9, "handling fault status reg");
		virtio = virtio || occurs_at(text, end, p, 1, " fault from EP ");
	}
	if (status)
		return II_VENDOR_INTEL;
	return virtio ? II_VENDOR_VIRTIO : II_VENDOR_NONE;
}

/*
 * A line no form starts: a fault's signature behind something we do not know
 * ("000: DMAR: ...", a quote, a log viewer's columns) is parsed again from each
 * word. A line none of whose words starts a known form is shown as unparsed.
 * Rare, and apart from ii_fault_parse_line(), which stays a short function.
 */
static void __attribute__((noinline)) parse_behind(const char *text, size_t len,
						    struct ii_fline *out)
{
	const char *end = text + len, *p;
	enum ii_vendor v;

	v = signature(text, len);
	if (v == II_VENDOR_NONE)
		return;
	for (p = text; (p = memchr(p, ' ', (size_t)(end - p))) != NULL;) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		parse_at(p, (size_t)(end - p), out);
		if (out->kind != II_FL_NONE && out->kind != II_FL_UNPARSED)
			return;
	}
	start_fault(out, II_FL_UNPARSED, v);
}

void ii_fault_parse_line(const char *text, size_t len, struct ii_fline *out)
{
	parse_at(text, len, out);
	if (out->kind == II_FL_NONE && text && len)
		parse_behind(text, len, out);
}
