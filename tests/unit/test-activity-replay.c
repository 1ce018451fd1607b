// SPDX-License-Identifier: MIT
/*
 * The activity source's replay (src/source/source-activity-replay.c) of good
 * and damaged recordings and of the synthetic ones of fixtures/activity/, a
 * recorded tree without a recording, and the recorder's round trip through
 * the snapshot writer (src/source/source-activity-record.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act-tree.h"
#include "actsrc.h"
#include "fixture.h"
#include "model.h"
#include "paths.h"
#include "test.h"

/* ---------------------------------------------------------------- replay */

#define HDR "{\"type\":\"header\",\"schema_version\":1,\"version\":\"0.1.0\",\"kernel\":\"6.8.0\"," \
	    "\"live\":true,\"interval_ms\":1000,\"families\":{\"pmu\":{\"why\":\"live\"}," \
	    "\"tracepoints\":{\"why\":\"paranoid\",\"err\":-13,\"detail\":\"3\"}}," \
	    "\"units\":[{\"unit\":\"dmar0\",\"pmu\":\"dmar0\",\"why\":\"live\"}]}\n"
#define KMSG(seq) "{\"type\":\"kmsg\",\"seq\":" #seq ",\"usec\":5,\"prio\":3,\"text\":\"DMAR: x\"}\n"
#define READING(seq, t, v)                                                                    \
	"{\"type\":\"reading\",\"seq\":" #seq ",\"t_ns\":" #t ",\"wall_ns\":0,\"counters\":"   \
	"[{\"kind\":\"iotlb_lookup\",\"unit\":\"dmar0\",\"event\":\"dmar0/iotlb_lookup/\","     \
	"\"ok\":true,\"value\":" #v ",\"enabled_ns\":1,\"running_ns\":1}],\"irqs\":[],"          \
	"\"hotplug\":[],\"latency\":null,\"kmsg_lost\":0}\n"

/* Replay text as a recording: the readings' values, -1 after the last; *nkmsg per reading. */
static size_t replay(const char *text, struct ii_system *s, struct ii_root **r, char **dir,
		     int64_t *values, size_t *nkmsg, size_t max, struct ii_activity *a)
{
	struct ii_act_reading rd;
	size_t n = 0;
	int rc;

	*dir = mk_tree();
	if (!*dir)
		return 0;
	put(*dir, II_PATH_ACTIVITY, text);
	put_dir(*dir, "proc");
	if (!load(*dir, r, s))
		return 0;
	ii_act_open(a, s);
	while ((rc = ii_act_read(a, &rd)) == 1) {
		if (n < max) {
			values[n] = rd.nctrs ? (int64_t)rd.ctrs[0].value : -2;
			nkmsg[n] = rd.nkmsg;
		}
		n++;
		ii_act_reading_free(&rd);
	}
	CHECK_INT(rc, 0);
	return n;
}

static void replay_done(struct ii_activity *a, struct ii_root *r, struct ii_system *s, char *dir)
{
	ii_act_close(a);
	unload(r, s);
	rm_tree(dir);
}

TEST(act_replay_good)
{
	struct ii_activity a;
	struct ii_system s;
	struct ii_root *r;
	int64_t v[8];
	size_t k[8], n;
	char *dir;

	n = replay(HDR KMSG(10) READING(1, 1000, 5) KMSG(11) KMSG(12) "\n" READING(2, 2000, 9),
		   &s, &r, &dir, v, k, 8, &a);
	CHECK_INT(n, 2);
	CHECK(a.replay && a.recorded);
	CHECK_INT(a.family[II_ACT_TRACEPOINTS].why, II_WHY_PARANOID);
	CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_LIVE);
	/* not in the header: not recorded */
	CHECK_INT(a.family[II_ACT_HOTPLUG].why, II_WHY_NOT_RECORDED);
	CHECK(a.nunits == 1 && !strcmp(a.units[0].pmu, "dmar0"));
	CHECK(v[0] == 5 && v[1] == 9 && k[0] == 1 && k[1] == 2);
	CHECK_INT(s.diags.warnings.n, 0);
	replay_done(&a, r, &s, dir);
}

TEST(act_replay_damaged)
{
	struct ii_activity a;
	struct ii_system s;
	struct ii_root *r;
	int64_t v[8];
	size_t k[8], n;
	char *dir;

	/* cut short in its last line */
	n = replay(HDR READING(1, 1000, 5) KMSG(11) "{\"type\":\"reading\",\"seq\":2,\"t_ns\":20",
		   &s, &r, &dir, v, k, 8, &a);
	CHECK_INT(n, 1);
	CHECK(warned(&s, "iommu-inspect-activity.ndjson:4: the last line is cut short", NULL));
	CHECK(warned(&s, "1 kernel log record after the last reading", NULL));
	replay_done(&a, r, &s, dir);

	/* garbage in the middle; a counter that goes backwards; time that goes back */
	n = replay(HDR READING(1, 1000, 50) "\x01\x02garbage\xff\n" READING(2, 2000, 7)
		       READING(3, 1500, 8) READING(4, 3000, 9),
		   &s, &r, &dir, v, k, 8, &a);
	CHECK_INT(n, 3);
	CHECK(v[0] == 50 && v[1] == 7 && v[2] == 9);
	CHECK(warned(&s, "ndjson:3: not a JSON object", "skipped"));
	CHECK(warned(&s, "ndjson:4: counter dmar0/iotlb_lookup/", "went backwards, from 50 to 7"));
	CHECK(warned(&s, "ndjson:5: a reading earlier than the one before it", NULL));
	replay_done(&a, r, &s, dir);

	/* no header: the readings still replay, the states are unknown */
	n = replay(READING(1, 1000, 5) READING(2, 2000, 6), &s, &r, &dir, v, k, 8, &a);
	CHECK_INT(n, 2);
	CHECK(warned(&s, "ndjson:1: not a recording's header", NULL));
	CHECK_INT(a.family[II_ACT_PMU].why, II_WHY_NOT_RECORDED);
	replay_done(&a, r, &s, dir);

	/* empty; a second header; many bad lines are capped */
	n = replay("", &s, &r, &dir, v, k, 8, &a);
	CHECK_INT(n, 0);
	CHECK(warned(&s, "ndjson:1: an empty recording", NULL));
	replay_done(&a, r, &s, dir);
	{
		struct strbuf sb = { 0 };

		sb_adds(&sb, HDR HDR READING(1, 1000, 5));
		for (int i = 0; i < 40; i++)
			sb_adds(&sb, "nope\n");
		n = replay(sb.buf, &s, &r, &dir, v, k, 8, &a);
		CHECK_INT(n, 1);
		CHECK(warned(&s, "ndjson:2: a second header", NULL));
		/* 41 warnings: 20 said, then how many more */
		CHECK(warned(&s, "21 more warnings like those", NULL));
		CHECK_INT(s.diags.warnings.n, 21);
		replay_done(&a, r, &s, dir);
		sb_free(&sb);
	}
}

TEST(act_tree_without_recording)
{
	char path[4096];
	struct ii_act_reading rd;
	struct ii_activity a;
	struct ii_system s;
	struct ii_root *r;

	if (!fx_path("intel-faults", path, sizeof(path))) {
		t_skip("no fixtures/ directory");
		return;
	}
	if (!load(path, &r, &s))
		return;
	ii_act_open(&a, &s);
	CHECK(a.replay && !a.recorded);
	for (int f = 0; f < II_ACT_FAMILIES; f++)
		CHECK_INT(a.family[f].why, II_WHY_NOT_RECORDED);
	CHECK(strstr(a.family[II_ACT_PMU].detail, "snapshot --activity") != NULL);
	CHECK_INT(ii_act_fd(&a), -1);
	CHECK_INT(ii_act_read(&a, &rd), 1);
	CHECK(rd.nirqs == 1 && rd.irqs[0].count == 16 && !strcmp(rd.irqs[0].unit, "dmar0"));
	CHECK_INT(rd.nctrs, 0);
	ii_act_reading_free(&rd);
	CHECK_INT(ii_act_read(&a, &rd), 0);
	ii_act_close(&a);
	unload(r, &s);
}

/* ------------------------------------------------------------- recording */

TEST(act_record_round_trip)
{
	char path[4096], *dir = mk_tree(), *out = NULL, *err = NULL;
	struct ii_act_rec_stats st;
	struct ii_snapshot_stats ss;
	struct ii_act_reading rd;
	struct ii_activity a;
	struct ii_snapshot *sn;
	struct ii_system s;
	struct ii_root *r;
	static const char log1[] = "6,1,0,-;Linux version 6.1.0\n"
				   "3,2,100,-;DMAR: [DMA Read NO_PASID] Request device [00:05.0] "
				   "fault addr 0x1000 [fault reason 0x06] PTE Read access is not set\n";
	static const char log2[] = "3,3,200,-;DMAR: [DMA Write NO_PASID] Request device [00:05.0] "
				   "fault addr 0x2000 [fault reason 0x05] PTE Write access is not set\n"
				   "4,4,300,c;odd \\x01 bytes\n SUBSYSTEM=pci\n DEVICE=+pci:0000:00:05.0\n";

	if (!dir)
		return;
	if (!fx_path("intel-faults", path, sizeof(path))) {
		t_skip("no fixtures/ directory");
		rm_tree(dir);
		return;
	}
	/* a tree of our own: the fixture's units and interrupts, a log that grows */
	put(dir, "proc/version", "Linux version 6.1.0-56-amd64 (x@y)\n");
	put(dir, "proc/interrupts", " 24:   16   0  DMAR-MSI   0-edge      dmar0\n");
	put(dir, "sys/class/iommu/dmar0/intel-iommu/cap", "d2008c22260286\n");
	put(dir, "dev/kmsg", log1);
	if (!load(dir, &r, &s)) {
		rm_tree(dir);
		return;
	}
	sn = ii_snapshot_new(r);
	ii_snapshot_record(sn, true);
	ii_system_free(&s);
	ii_system_load(&s, r, II_LOAD_UNITS | II_LOAD_SYSINFO | II_LOAD_LOG, NULL);
	ii_snapshot_record(sn, false);
	/* records logged after the snapshot read the log go into the recording, the others not */
	put_mode(dir, "dev/kmsg", log2, true);
	CHECK_INT(ii_act_record(&s, sn, 2, true, NULL, &st), 0);
	CHECK_INT(st.readings, 1);
	CHECK_INT(st.kmsg, 2);
	out = xasprintf("%s.out", dir); /* not inside the tree read: snapshot refuses that */
	CHECK_INT(ii_snapshot_set_out(sn, out, false, &err), 0);
	free(err);
	err = NULL;
	CHECK_INT(ii_snapshot_write(sn, &ss, &s.diags, &err), 0);
	free(err);
	err = NULL;
	CHECK_INT(ii_snapshot_finish(sn, "test\n", &err), 0);
	free(err);
	sl_free(&ss.unreadable);
	ii_snapshot_free(sn);
	unload(r, &s);

	if (load(out, &r, &s)) {
		ii_act_open(&a, &s);
		CHECK(a.replay && a.recorded);
		CHECK_INT(a.family[II_ACT_INTERRUPTS].why, II_WHY_NOT_RECORDED);
		CHECK_INT(ii_act_read(&a, &rd), 1);
		CHECK(rd.nirqs == 1 && rd.irqs[0].count == 16);
		CHECK_INT(rd.nkmsg, 2);
		if (rd.nkmsg == 2) {
			CHECK_U64(rd.kmsg[0].seq, 3);
			CHECK(strstr(rd.kmsg[0].text, "fault addr 0x2000") != NULL);
			CHECK_U64(rd.kmsg[1].seq, 4);
			CHECK(rd.kmsg[1].cont);
			CHECK_STR(rd.kmsg[1].text, "odd \x01 bytes");
			CHECK_STR(rd.kmsg[1].device, "+pci:0000:00:05.0");
		}
		ii_act_reading_free(&rd);
		CHECK_INT(ii_act_read(&a, &rd), 0);
		/* (the made-up tree lacks unit attributes: only the recording's warnings count) */
		CHECK(!warned(&s, "ndjson", NULL));
		ii_act_close(&a);
		unload(r, &s);
	}
	rm_tree(out);
	rm_tree(dir);
}

/* The synthetic recordings of fixtures/activity/ (tests/activity/mk-activity.py) replay whole. */
TEST(act_replay_fixtures)
{
	static const struct { const char *name; size_t units, kmsg; bool pmu; } set[] = {
		{ "intel-pmu", 2, 0, true }, { "amd-pmu", 1, 0, true }, { "arm-pmcg", 1, 0, true },
		{ "intel-storm", 1, 41, false }, { "nonroot", 1, 0, false },
	};

	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		char rel[128], *text, *dir;
		struct ii_act_reading rd, prev;
		struct ii_activity a;
		struct ii_system s;
		struct ii_root *r;
		size_t n = 0, kmsg = 0;

		snprintf(rel, sizeof(rel), "activity/%s.ndjson", set[i].name);
		text = fx_read(rel, NULL);
		if (!text) {
			t_skip("no fixtures/%s", rel);
			return;
		}
		dir = mk_tree();
		if (!dir) {
			free(text);
			return;
		}
		put(dir, II_PATH_ACTIVITY, text);
		put_dir(dir, "proc");
		free(text);
		if (!load(dir, &r, &s)) {
			rm_tree(dir);
			return;
		}
		ii_act_open(&a, &s);
		CHECK(a.recorded && a.nunits == set[i].units);
		CHECK_INT(a.family[II_ACT_PMU].why == II_WHY_LIVE, set[i].pmu);
		memset(&prev, 0, sizeof(prev));
		while (ii_act_read(&a, &rd) == 1) {
			n++;
			kmsg += rd.nkmsg;
			/* cumulative: every counter grows, in the same order each time */
			for (size_t k = 0; k < rd.nctrs && k < prev.nctrs; k++)
				CHECK(rd.ctrs[k].kind == prev.ctrs[k].kind && rd.ctrs[k].value >= prev.ctrs[k].value);
			CHECK(n == 1 || rd.t_ns > prev.t_ns);
			ii_act_reading_free(&prev);
			prev = rd;
		}
		ii_act_reading_free(&prev);
		if (n != 11 || kmsg != set[i].kmsg)
			t_fail(__FILE__, __LINE__, "%s: %zu readings, %zu records", set[i].name, n, kmsg);
		CHECK(!warned(&s, "ndjson", NULL));
		ii_act_close(&a);
		unload(r, &s);
		rm_tree(dir);
	}
}
