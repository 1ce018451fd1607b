// SPDX-License-Identifier: MIT
/*
 * src/parse/parse-fault-pack.c: a line parsed, packed and unpacked is what
 * the parser stored, for the lines of the fault fixtures and every prefix of
 * them (which reaches most of the parser's ways out); and the assembler given
 * lines parsed ahead (ii_fasm_line_pre) emits what it emits parsing them
 * itself (ii_fasm_line), whichever lines came parsed.
 */
#include <stddef.h>
#include <stdlib.h>

#include "fault.h"
#include "fixture.h"
#include "test.h"

static const char *const kmsg_files[] = {
	"kmsg/intel.kmsg", "kmsg/amd.kmsg", "kmsg/smmu.kmsg", "kmsg/mixed.kmsg", "kmsg/garbage.kmsg",
};

static const char *const extra[] = {
	"dmar_fault: 8 callbacks suppressed",
	"amd_iommu_report_page_fault: 3 callbacks suppressed",
	"arm_smmu_evtq_thread: 12 callbacks suppressed",
	"virtio_iommu virtio0: page fault from EP 40 at 0x1000 [R]",
	"virtio_iommu virtio0: domain fault from EP 1792",
	"arm-smmu-v3 arm-smmu-v3.0.auto: EVTQ overflow detected -- events lost",
	"arm-smmu 2b400000.smmu: Unhandled context fault: fsr=0x402, iova=0x758ed000, fsynr=0x11, "
	"cbfrsynra=0x89de, cb=3",
	"DMAR: [INTR-REMAP] Request device [f0:1f.0] fault index 0x8 [fault reason 0x22] "
	"Present field in the IRTE entry is clear",
	"DMAR: [DMA Read NO_PASID] Request device [0000:00:05.0] fault addr 0x1000 "
	"[fault reason 0x77] a reason the kernel does not name, long enough to be cut at the end of "
	"the reason field of the fault, which holds a hundred and twelve bytes",
	"000: DMAR: [DMA Write] Request device [00:02.0] fault addr 7fe00000 [fault reason 05] x",
	"AMD-Vi: Event logged [Device not attached to domain properly]",
	"  device=0000:03:00.0 domain=0x0001",
	"arm-smmu-v3 arm-smmu-v3.0.auto: event: F_TRANSLATION client: 0000:01:00.0 sid: 0x100 "
	"ssid: 0x0 iova: 0x1000 ipa: 0x0",
	"arm-smmu-v3 arm-smmu-v3.0.auto: unpriv data write s1 \"Input address caused fault\" stag: 0x0",
	"a line about nothing",
};

struct lines {
	char **v;
	size_t n, cap;
};

static void add(struct lines *l, const char *s, size_t n)
{
	char *c = malloc(n + 1);

	memcpy(c, s, n);
	c[n] = '\0';
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = c;
}

/* The texts of the fixtures' records, then the extra lines. */
static void load(struct lines *l)
{
	for (size_t i = 0; i < II_ARRAY_SIZE(kmsg_files); i++) {
		size_t len;
		char *buf = fx_read(kmsg_files[i], &len), *p, *nl;

		if (!buf)
			continue;
		for (p = buf; *p; p = nl ? nl + 1 : p + strlen(p)) {
			char *semi;

			nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			semi = *p != ' ' ? strchr(p, ';') : NULL;
			if (semi)
				add(l, semi + 1, strlen(semi + 1));
		}
		free(buf);
	}
	for (size_t i = 0; i < II_ARRAY_SIZE(extra); i++)
		add(l, extra[i], strlen(extra[i]));
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static bool same_fline(const struct ii_fline *a, const struct ii_fline *b)
{
	if (a->kind != b->kind || a->value != b->value)
		return false;
	if (a->kind == II_FL_NONE)
		return true;
	if (a->kind == II_FL_SMMU_DWORD) /* the parser sets no fault for it: the rest is not read */
		return !strcmp(a->prefix_dev, b->prefix_dev);
	return !memcmp(&a->f, &b->f, offsetof(struct ii_fault, unit)) &&
	       !strcmp(a->f.unit, b->f.unit) && !strcmp(a->f.client, b->f.client) &&
	       !strcmp(a->f.reason, b->f.reason) && !strcmp(a->prefix_dev, b->prefix_dev) &&
	       (a->kind != II_FL_SUPPRESSED || !strcmp(a->function, b->function)) &&
	       !strcmp(a->f.msg, b->f.msg) && !strcmp(a->f.annotation, b->f.annotation) &&
	       a->f.group == b->f.group && a->f.dev == b->f.dev && a->f.via == b->f.via;
}

TEST(fault_pack_same_as_parsed)
{
	static struct ii_fline parsed, unpacked;
	static unsigned char buf[II_FLINE_PACK_MAX];
	struct lines l = { 0 };
	size_t tried = 0, faults = 0, bad = 0;

	load(&l);
	if (l.n < 100) {
		t_skip("the fault fixtures were not found");
		lines_free(&l);
		return;
	}
	memset(&unpacked, 0xa5, sizeof(unpacked)); /* not what a parse left */
	for (size_t i = 0; i < l.n; i++) {
		size_t full = strlen(l.v[i]);

		/* the line, then every prefix of it */
		for (size_t n = full + 1; n-- > 0;) {
			size_t len;

			ii_fault_parse_line(l.v[i], n, &parsed);
			len = ii_fault_preparse(l.v[i], n, buf);
			CHECK(len >= 1 && len <= II_FLINE_PACK_MAX);
			ii_fline_unpack(buf, &unpacked);
			tried++;
			faults += parsed.kind != II_FL_NONE;
			if (!same_fline(&parsed, &unpacked) && bad++ < 5)
				t_fail(__FILE__, __LINE__, "line \"%.*s\" (kind %d) unpacks otherwise",
				       (int)n, l.v[i], parsed.kind);
		}
	}
	CHECK(faults > 1000);
	CHECK(tried > faults);
	lines_free(&l);
}

/* ---------------------------------------------------------- the assembler */

struct emitted {
	struct strbuf s;
};

static void em_fault(void *ctx, struct ii_fault *f)
{
	struct emitted *e = ctx;

	sb_addf(&e->s, "F %d %d %d %u.%u %u %d %d %llx %llx %u %s %x %x %x %x %d %llu |%s|%s|%s|%s|"
		"%llu\n", f->vendor, f->kind, f->has_bdf, f->bdf.domain, f->bdf.bus, f->access,
		f->priv, f->has_addr, (unsigned long long)f->addr, (unsigned long long)f->index,
		f->reason_code, f->event ? f->event : "-", f->flags, f->domain, f->sid, f->ssid,
		f->complete, (unsigned long long)f->suppressed_before, f->unit, f->client,
		f->reason, f->msg, (unsigned long long)f->pos.lineno);
}

static void em_drop(void *ctx, const struct ii_fault_drop *d)
{
	struct emitted *e = ctx;

	sb_addf(&e->s, "D %d %d %llu %llu %s|%s|%llu\n", d->kind, d->vendor,
		(unsigned long long)d->count, (unsigned long long)d->estimate, d->function, d->msg,
		(unsigned long long)d->pos.lineno);
}

static void em_unparsed(void *ctx, const struct ii_logpos *pos, enum ii_vendor v,
			const char *line, size_t len)
{
	struct emitted *e = ctx;

	sb_addf(&e->s, "U %d %llu %.*s\n", v, (unsigned long long)pos->lineno, (int)len, line);
}

/* The lines through the assembler; every `every`-th parsed ahead (0: none). */
static void run(const struct lines *l, size_t every, bool no_msg, struct emitted *e)
{
	static struct ii_fasm a;
	static unsigned char buf[II_FLINE_PACK_MAX];
	struct ii_fault_sink sink = { em_fault, em_drop, em_unparsed, e, no_msg };

	ii_fasm_init(&a, &sink);
	for (size_t i = 0; i < l->n; i++) {
		struct ii_logpos pos = { .has_usec = true, .usec = i, .lineno = i + 1 };
		size_t n = strcspn(l->v[i], "\n");

		if (every && i % every == 0) {
			ii_fault_preparse(l->v[i], n, buf);
			ii_fasm_line_pre(&a, &pos, l->v[i], n, NULL, buf);
		} else {
			ii_fasm_line(&a, &pos, l->v[i], n, NULL);
		}
	}
	ii_fasm_flush(&a);
	sb_addf(&e->s, "records %llu lines %llu\n", (unsigned long long)a.records,
		(unsigned long long)a.lines);
}

TEST(fasm_line_pre_same_as_line)
{
	static const size_t every[] = { 1, 2, 3, 7 };
	struct lines l = { 0 };

	load(&l);
	if (l.n < 100) {
		t_skip("the fault fixtures were not found");
		lines_free(&l);
		return;
	}
	for (int no_msg = 0; no_msg < 2; no_msg++) {
		struct emitted want = { 0 };

		run(&l, 0, no_msg, &want);
		CHECK(want.s.len > 10000);
		for (size_t k = 0; k < II_ARRAY_SIZE(every); k++) {
			struct emitted got = { 0 };

			run(&l, every[k], no_msg, &got);
			CHECK_U64(got.s.len, want.s.len);
			CHECK(got.s.len == want.s.len && !memcmp(got.s.buf, want.s.buf, got.s.len));
			sb_free(&got.s);
		}
		sb_free(&want.s);
	}
	lines_free(&l);
}

/* An SMMUv3 dword sets no fault: neither does its unpacking (the parser leaves it as it was). */
TEST(fault_pack_smmu_dword)
{
	static const char line[] = "arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000010000000010";
	static struct ii_fline parsed, unpacked;
	static unsigned char buf[II_FLINE_PACK_MAX];

	memset(&unpacked, 0xa5, sizeof(unpacked));
	ii_fault_parse_line(line, strlen(line), &parsed);
	CHECK_INT(parsed.kind, II_FL_SMMU_DWORD);
	CHECK_INT(ii_fault_preparse(line, strlen(line), buf), 1 + 8 + 1 + strlen("arm-smmu-v3.0.auto"));
	ii_fline_unpack(buf, &unpacked);
	CHECK_INT(unpacked.kind, II_FL_SMMU_DWORD);
	CHECK_U64(unpacked.value, 0x0000010000000010ull);
	CHECK_STR(unpacked.prefix_dev, "arm-smmu-v3.0.auto");
	CHECK_INT(((unsigned char *)&unpacked.f)[0], 0xa5);
	CHECK_INT(unpacked.f.reason[0], (char)0xa5);
}
