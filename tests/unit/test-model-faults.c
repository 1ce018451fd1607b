// SPDX-License-Identifier: MIT
/* src/model-faults.c: attribution, summary, filters and times of faults. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "faults.h"
#include "test.h"

static struct ii_device dev_a, dev_b, dev_c;
static struct ii_unit unit_a = { .name = "dmar0" };

/* A model with three devices: 0000:00:05.0, 0001:07:00.0 and a platform device. */
static void model(struct ii_system *s)
{
	static struct ii_device *devs[3];

	memset(s, 0, sizeof(*s));
	dev_a = (struct ii_device){ .name = "0000:00:05.0", .is_pci = true, .present = true,
				    .bdf = { 0, 0, 5, 0 }, .group = 2, .unit = &unit_a };
	dev_b = (struct ii_device){ .name = "0001:07:00.0", .is_pci = true, .present = true,
				    .bdf = { 1, 7, 0, 0 }, .group = 15, .driver = "vfio-pci" };
	dev_c = (struct ii_device){ .name = "fe000000.gpu", .present = true, .group = 3 };
	devs[0] = &dev_a;
	devs[1] = &dev_b;
	devs[2] = &dev_c;
	s->devices = devs;
	s->ndevices = 3;
}

static struct ii_fault fault(const char *bdf, bool seg, enum ii_vendor v, unsigned code,
			     uint64_t usec)
{
	struct ii_fault f = { .vendor = v, .priv = -1, .group = -1, .complete = true,
			      .has_reason = true, .reason_code = code, .access = II_ACC_READ };

	if (bdf && ii_parse_bdf(bdf, &f.bdf) == 0)
		f.has_bdf = true;
	f.seg_known = seg;
	f.pos.has_usec = true;
	f.pos.usec = usec;
	return f;
}

TEST(faults_attribute)
{
	struct ii_system s;
	struct ii_fault f;
	char buf[II_BDF_MAX];

	model(&s);
	f = fault("00:05.0", false, II_VENDOR_INTEL, 6, 1);
	ii_fault_attribute(&s, &f);
	CHECK(f.dev == &dev_a);
	CHECK_INT(f.group, 2);
	CHECK_STR(f.unit, "dmar0");
	/* the kernel did not print the segment: the one 07:00.0 there is, in segment 1 */
	f = fault("07:00.0", false, II_VENDOR_INTEL, 6, 1);
	ii_fault_attribute(&s, &f);
	CHECK(f.dev == &dev_b);
	CHECK_STR(ii_fault_requester(&f, buf), "0001:07:00.0");
	/* it did print it: segment 0 has no such device */
	f = fault("0000:07:00.0", true, II_VENDOR_INTEL, 6, 1);
	ii_fault_attribute(&s, &f);
	CHECK(f.dev == NULL);
	CHECK_INT(f.group, -1);
	/* a client named by its device name */
	f = fault(NULL, false, II_VENDOR_ARM_SMMU_V3, 0x10, 1);
	snprintf(f.client, sizeof(f.client), "fe000000.gpu");
	ii_fault_attribute(&s, &f);
	CHECK(f.dev == &dev_c);
	CHECK_STR(ii_fault_requester(&f, buf), "fe000000.gpu");
	f = fault(NULL, false, II_VENDOR_ARM_SMMU_V3, 0x10, 1);
	CHECK(ii_fault_requester(&f, buf) == NULL);
	ii_fault_attribute(NULL, &f);
}

TEST(faults_summary_attribution)
{
	struct ii_fsum s = { 0 };
	struct ii_fault f;
	struct ii_fault_drop sup = { .kind = II_DROP_SUPPRESSED, .vendor = II_VENDOR_INTEL,
				     .count = 8, .estimate = 2 };
	struct ii_fault_drop lone = { .kind = II_DROP_STATUS, .vendor = II_VENDOR_INTEL,
				      .count = 1, .estimate = 1 };
	struct ii_fault_drop lost = { .kind = II_DROP_LOST, .count = 5 };
	struct ii_fault_drop amd = { .kind = II_DROP_SUPPRESSED, .vendor = II_VENDOR_AMD,
				     .count = 3, .estimate = 3 };

	f = fault("00:05.0", false, II_VENDOR_INTEL, 6, 1000000);
	ii_fsum_fault(&s, &f, true);
	f.pos.usec = 61000000;
	f.access = II_ACC_WRITE;
	ii_fsum_fault(&s, &f, true);
	ii_fsum_drop(&s, &lone, true);
	ii_fsum_drop(&s, &sup, true);
	ii_fsum_drop(&s, &lost, true);
	ii_fsum_drop(&s, &amd, true);
	/* an Intel fault of another device: what was not printed before it is its */
	f = fault("07:00.1", false, II_VENDOR_INTEL, 5, 62000000);
	ii_fsum_fault(&s, &f, true);
	/* an AMD fault not selected: the AMD drops go with it */
	f = fault("02:00.0", false, II_VENDOR_AMD, 2, 63000000);
	ii_fsum_fault(&s, &f, false);
	/* a status line at the end: the last Intel fault takes it */
	ii_fsum_drop(&s, &lone, true);
	ii_fsum_finish(&s, true);
	ii_fsum_sort(&s);

	CHECK_INT(s.nrows, 2);
	CHECK_U64(s.faults, 3);
	CHECK_STR(s.rows[0].key, "0000:00:05.0");
	CHECK_U64(s.rows[0].count, 2);
	CHECK_U64(s.rows[0].reads, 1);
	CHECK_U64(s.rows[0].writes, 1);
	CHECK_U64(s.rows[0].first_usec, 1000000);
	CHECK_U64(s.rows[0].last_usec, 61000000);
	CHECK_U64(s.rows[0].dropped, 0);
	CHECK_STR(s.rows[1].key, "0000:07:00.1");
	CHECK_U64(s.rows[1].suppressed, 8);
	CHECK_U64(s.rows[1].dropped, 4);
	CHECK_U64(s.dropped, 4);
	CHECK_U64(s.suppressed, 8);
	CHECK_U64(s.status_only, 2);
	CHECK_U64(s.lost_records, 5);
	CHECK_U64(s.dropped_unattributed, 0);
	CHECK_U64(s.printed_by_vendor[II_VENDOR_INTEL], 3);
	CHECK_U64(s.printed_by_vendor[II_VENDOR_AMD], 1);
	/* rates and requesters, which the summary's JSON shows, are the model's */
	CHECK_U64(s.requesters, 2);
	CHECK(s.rows[0].has_rate);
	CHECK_U64(s.rows[0].per_hour, 60); /* one more fault 60 s later */
	CHECK(s.rows[0].per_min > 0.999 && s.rows[0].per_min < 1.001);
	CHECK(!s.rows[1].has_rate);
	ii_fsum_free(&s);

	/* drops with no fault of their vendor at all */
	ii_fsum_drop(&s, &sup, true);
	ii_fsum_finish(&s, true);
	CHECK_U64(s.dropped_unattributed, 2);
	CHECK_U64(s.suppressed, 8);
	ii_fsum_free(&s);
	ii_fsum_drop(&s, &sup, true);
	ii_fsum_finish(&s, false);
	CHECK_U64(s.dropped, 0);
	ii_fsum_free(&s);
}

TEST(faults_summary_many_rows)
{
	struct ii_fsum s = { 0 };

	/* enough rows to grow the hash table a few times; every row found again */
	for (int round = 0; round < 2; round++)
		for (unsigned i = 0; i < 300; i++) {
			char bdf[16];
			struct ii_fault f;

			snprintf(bdf, sizeof(bdf), "%02x:%02x.%u", i / 32, i % 32, i % 8);
			f = fault(bdf, false, II_VENDOR_AMD, 2, i);
			ii_fsum_fault(&s, &f, true);
		}
	CHECK_INT(s.nrows, 300);
	ii_fsum_sort(&s);
	for (size_t i = 0; i < s.nrows; i++)
		if (s.rows[i].count != 2)
			t_fail(__FILE__, __LINE__, "row %zu count %llu", i,
			       (unsigned long long)s.rows[i].count);
	for (size_t i = 1; i < s.nrows; i++)
		if (ii_bdf_cmp(&s.rows[i - 1].bdf, &s.rows[i].bdf) >= 0)
			t_fail(__FILE__, __LINE__, "rows %zu and %zu out of order", i - 1, i);
	ii_fsum_free(&s);
}

TEST(faults_filters)
{
	struct ii_fault_filter flt = { 0 };
	struct ii_fault f = fault("0000:07:00.1", true, II_VENDOR_INTEL, 6, 22300000);
	struct ii_fault_drop d = { .kind = II_DROP_LOST, .pos = { .has_usec = true, .usec = 1 } };

	CHECK_INT(ii_fault_since_parse("22.3", &flt), 0);
	CHECK(flt.since_usec && !flt.since_seq);
	CHECK_U64(flt.since, 22300000);
	CHECK(ii_fault_match(&flt, &f));
	f.pos.usec--;
	CHECK(!ii_fault_match(&flt, &f));
	CHECK(!ii_fault_drop_match(&flt, &d));
	CHECK_INT(ii_fault_since_parse("35s", &flt), 0);
	CHECK_U64(flt.since, 35000000);
	CHECK_INT(ii_fault_since_parse("0.0000015", &flt), 0);
	CHECK_U64(flt.since, 1);
	CHECK_INT(ii_fault_since_parse("seq:620", &flt), 0);
	CHECK(flt.since_seq && !flt.since_usec);
	CHECK(!ii_fault_match(&flt, &f)); /* no sequence number: not since anything */
	f.pos.has_seq = true;
	f.pos.seq = 620;
	CHECK(ii_fault_match(&flt, &f));
	f.pos.seq = 619;
	CHECK(!ii_fault_match(&flt, &f));
	CHECK_INT(ii_fault_since_parse("", &flt), -EINVAL);
	CHECK_INT(ii_fault_since_parse("-1", &flt), -EINVAL);
	CHECK_INT(ii_fault_since_parse("1.", &flt), -EINVAL);
	CHECK_INT(ii_fault_since_parse("1.5x", &flt), -EINVAL);
	CHECK_INT(ii_fault_since_parse("seq:", &flt), -EINVAL);
	CHECK_INT(ii_fault_since_parse("seq:99999999999999999999999", &flt), -EINVAL);
	CHECK_INT(ii_fault_since_parse("9999999999999", &flt), -EINVAL);

	flt = (struct ii_fault_filter){ 0 };
	CHECK_INT(ii_fault_vendor_parse("amd", &flt), 0);
	CHECK(!ii_fault_match(&flt, &f));
	CHECK_INT(ii_fault_vendor_parse("arm-smmu", &flt), 0);
	f.vendor = II_VENDOR_ARM_SMMU_V3;
	CHECK(ii_fault_match(&flt, &f));
	f.vendor = II_VENDOR_ARM_SMMU;
	CHECK(ii_fault_match(&flt, &f));
	CHECK_INT(ii_fault_vendor_parse("arm-smmu-v3", &flt), 0);
	CHECK(!ii_fault_match(&flt, &f));
	CHECK(ii_fault_drop_match(&flt, &d)); /* lost records belong to every vendor */
	CHECK_INT(ii_fault_vendor_parse("via", &flt), -EINVAL);

	flt = (struct ii_fault_filter){ .device = true };
	ii_parse_bdf("07:00.1", &flt.bdf);
	f.vendor = II_VENDOR_INTEL;
	CHECK(ii_fault_match(&flt, &f));
	flt.bdf.fn = 0;
	CHECK(!ii_fault_match(&flt, &f));
	flt = (struct ii_fault_filter){ .group = true, .group_id = 15 };
	CHECK(!ii_fault_match(&flt, &f));
	f.group = 15;
	CHECK(ii_fault_match(&flt, &f));
}

TEST(faults_times)
{
	struct ii_walltime w = { .valid = true, .year = 2026, .mon = 11, .mday = 22, .hour = 4,
				 .min = 41, .sec = 9, .usec = -1 };
	struct ii_logpos pos = { 0 };
	const int64_t boot = 1795322400LL * 1000000; /* 2026-11-22T04:40:00Z */
	char *tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	ii_logpos_times(&pos, &w, true, boot);
	CHECK_STR(pos.wall, "2026-11-22T04:41:09");
	CHECK(pos.has_usec);
	CHECK_U64(pos.usec, 69000000);
	/* without the boot time only the text */
	pos = (struct ii_logpos){ 0 };
	ii_logpos_times(&pos, &w, false, 0);
	CHECK(!pos.has_usec);
	/* a syslog date has no year: no time since boot */
	w.year = 0;
	pos = (struct ii_logpos){ 0 };
	ii_logpos_times(&pos, &w, true, boot);
	CHECK(!pos.has_usec);
	CHECK_STR(pos.wall, "Nov 22 04:41:09");
	/* before boot: no time since boot */
	w.year = 2025;
	pos = (struct ii_logpos){ 0 };
	ii_logpos_times(&pos, &w, true, boot);
	CHECK(!pos.has_usec);
	/* a record's time since boot becomes a date */
	pos = (struct ii_logpos){ .has_usec = true, .usec = 9423946 };
	ii_logpos_times(&pos, NULL, true, boot);
	CHECK_STR(pos.wall, "2026-11-22T04:40:09.423946+00:00");
	setenv("TZ", "UTC-1", 1);
	tzset();
	pos = (struct ii_logpos){ .has_usec = true, .usec = 9423946 };
	ii_logpos_times(&pos, NULL, true, boot);
	CHECK_STR(pos.wall, "2026-11-22T05:40:09.423946+01:00");
	if (tz) {
		setenv("TZ", tz, 1);
		free(tz);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

/* Rates: rounded per hour, exact per minute; none without two faults at different times. */
TEST(faults_summary_rates)
{
	struct ii_fsum s = { 0 };
	struct ii_fault f = fault("00:05.0", true, II_VENDOR_INTEL, 6, 5000000);

	for (int i = 0; i < 3; i++) {
		f.pos.usec = 5000000 + (uint64_t)i * 700000; /* 3 faults in 1.4 s */
		ii_fsum_fault(&s, &f, true);
	}
	f = fault("00:05.0", true, II_VENDOR_INTEL, 5, 9000000);
	ii_fsum_fault(&s, &f, true);
	ii_fsum_fault(&s, &f, true); /* twice at the same time */
	f = fault(NULL, false, II_VENDOR_ARM_SMMU_V3, 0x10, 9000000);
	f.has_sid = true;
	f.sid = 0x20;
	ii_fsum_fault(&s, &f, true);
	f.pos.has_usec = false;
	f.sid = 0x21;
	ii_fsum_fault(&s, &f, true);
	ii_fsum_fault(&s, &f, true); /* two, but no times */
	ii_fsum_sort(&s);
	CHECK_INT(s.nrows, 4);
	CHECK_U64(s.requesters, 3); /* 0000:00:05.0, sid 0x20, sid 0x21 */
	CHECK_U64(s.rows[0].reason_code, 5);
	CHECK(!s.rows[0].has_rate);
	CHECK(s.rows[1].has_rate);
	CHECK_U64(s.rows[1].per_hour, 5143); /* 2 in 1.4 s: 5142.86 an hour */
	CHECK(s.rows[1].per_min > 85.71 && s.rows[1].per_min < 85.72);
	CHECK_STR(s.rows[2].key, "sid 0x20");
	CHECK(!s.rows[2].has_rate);
	CHECK_STR(s.rows[3].key, "sid 0x21");
	CHECK(!s.rows[3].has_rate);
	ii_fsum_free(&s);
}

TEST(faults_unparsed_filter)
{
	struct ii_fault_filter flt = { 0 };
	struct ii_logpos pos = { .has_seq = true, .seq = 10, .has_usec = true, .usec = 5000000 };

	CHECK(!ii_fault_filter_active(&flt));
	CHECK(ii_fault_unparsed_match(&flt, &pos, II_VENDOR_AMD));
	CHECK_INT(ii_fault_vendor_parse("arm-smmu", &flt), 0);
	CHECK(ii_fault_filter_active(&flt));
	CHECK(ii_fault_unparsed_match(&flt, &pos, II_VENDOR_ARM_SMMU));
	CHECK(ii_fault_unparsed_match(&flt, &pos, II_VENDOR_ARM_SMMU_V3));
	CHECK(!ii_fault_unparsed_match(&flt, &pos, II_VENDOR_INTEL));
	CHECK_INT(ii_fault_vendor_parse("intel", &flt), 0);
	CHECK(ii_fault_unparsed_match(&flt, &pos, II_VENDOR_INTEL));
	CHECK(!ii_fault_unparsed_match(&flt, &pos, II_VENDOR_ARM_SMMU_V3));
	CHECK_INT(ii_fault_since_parse("seq:11", &flt), 0);
	CHECK(!ii_fault_unparsed_match(&flt, &pos, II_VENDOR_INTEL));
	/* whose it is cannot be told: a device or group filter leaves it out */
	flt = (struct ii_fault_filter){ .group = true, .group_id = 2 };
	CHECK(ii_fault_filter_active(&flt));
	CHECK(!ii_fault_unparsed_match(&flt, &pos, II_VENDOR_INTEL));
	flt = (struct ii_fault_filter){ .device = true };
	CHECK(!ii_fault_unparsed_match(&flt, &pos, II_VENDOR_INTEL));
}

TEST(faults_flag_list)
{
	struct ii_fault f = fault("02:00.0", true, II_VENDOR_AMD, 2, 1);
	struct strlist l = { 0 };

	ii_fault_flag_list(&f, &l); /* no flags */
	CHECK_INT(l.n, 0);
	f.has_flags = true;
	f.flags = 0x0020 | 0x0010; /* RW and PR in the kernel's names */
	ii_fault_flag_list(&f, &l);
	CHECK_INT(l.n, 2);
	sl_free(&l);
	f.vendor = II_VENDOR_ARM_SMMU; /* FSYNR0, not named */
	ii_fault_flag_list(&f, &l);
	CHECK_INT(l.n, 0);
}

/* Without a segment, an address two segments have is nobody's; one a gone device has is the
 * present one's (the segments are looked up by bisection of the sorted devices). */
TEST(faults_attribute_segments)
{
	struct ii_device a = { .name = "0000:00:05.0", .is_pci = true, .present = true,
			       .bdf = { 0, 0, 5, 0 } };
	struct ii_device b = { .name = "0001:07:00.0", .is_pci = true, .present = true,
			       .bdf = { 1, 7, 0, 0 } };
	struct ii_device c = { .name = "0001:08:00.0", .is_pci = true, .present = false,
			       .bdf = { 1, 8, 0, 0 } };
	struct ii_device d = { .name = "0002:07:00.0", .is_pci = true, .present = true,
			       .bdf = { 2, 7, 0, 0 } };
	struct ii_device e = { .name = "0003:08:00.0", .is_pci = true, .present = true,
			       .bdf = { 3, 8, 0, 0 } };
	struct ii_device *devs[] = { &a, &b, &c, &d, &e };
	struct ii_system s = { .devices = devs, .ndevices = 5 };
	struct ii_fault f;

	f = fault("07:00.0", false, II_VENDOR_INTEL, 6, 1);
	ii_fault_attribute(&s, &f);
	CHECK(f.dev == NULL);
	f = fault("08:00.0", false, II_VENDOR_INTEL, 6, 1);
	ii_fault_attribute(&s, &f);
	CHECK(f.dev == &e);
	f = fault("00:05.0", false, II_VENDOR_INTEL, 6, 1);
	ii_fault_attribute(&s, &f);
	CHECK(f.dev == &a);
	f = fault("09:00.0", false, II_VENDOR_INTEL, 6, 1);
	ii_fault_attribute(&s, &f);
	CHECK(f.dev == NULL);
}
