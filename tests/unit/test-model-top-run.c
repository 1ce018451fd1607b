// SPDX-License-Identifier: MIT
/*
 * The live view's run (src/model/model-top-run.c) on the real recording of
 * the QEMU guest (fixtures/intel-activity): how many samples a replay makes,
 * when the next one is due, and what pausing does to the clock.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "test.h"
#include "top-run.h"

/* The recording's readings: the lines that say "type":"reading". */
static size_t readings(const char *rel)
{
	char *text = fx_read(rel, NULL), *p;
	size_t n = 0;

	for (p = text; p && (p = strstr(p, "\"type\":\"reading\"")); p++)
		n++;
	free(text);
	return n;
}

static bool open_run(struct ii_top_run *run, struct ii_root **root, double speed, bool unpaced)
{
	static const struct ii_load_opts load;
	char path[4096], *err = NULL;

	if (!fx_path("intel-activity", path, sizeof(path))) {
		t_skip("no fixtures/ directory");
		return false;
	}
	*root = ii_root_open(path, &err);
	if (!*root) {
		t_fail(__FILE__, __LINE__, "%s: %s", path, err ? err : "?");
		free(err);
		return false;
	}
	ii_trun_open(run, *root, &load, 1.0, speed, unpaced);
	return true;
}

/* Unpaced (a replay to a pipe): every sample is due at once, one per recorded reading. */
TEST(top_run_replay_unpaced_one_sample_per_reading)
{
	size_t want = readings("intel-activity/iommu-inspect-activity.ndjson");
	struct ii_top_run run;
	struct ii_root *root;

	if (!open_run(&run, &root, 1, true))
		return;
	CHECK(want > 1);
	CHECK(run.act.replay && run.act.recorded);
	CHECK(run.smp == NULL && !run.replay_ended);
	while (!run.replay_ended && run.samples < 1000) {
		CHECK(ii_trun_due(&run));
		CHECK(ii_trun_wait_ns(&run) == 0);
		ii_trun_sample(&run);
		CHECK(run.smp != NULL);
	}
	CHECK_INT(run.samples, (long)want);
	CHECK_INT(run.warnings.n, 0);
	ii_trun_close(&run);
	ii_root_close(root);
}

/* At the recorded pace: the first sample at once, the next an interval later; paused, never. */
TEST(top_run_replay_paced_and_paused)
{
	struct ii_top_run run;
	struct ii_root *root;
	int64_t left;

	if (!open_run(&run, &root, 1, false))
		return;
	CHECK(ii_trun_due(&run));
	ii_trun_sample(&run);
	CHECK_INT(run.samples, 1);
	CHECK(!ii_trun_due(&run));
	left = ii_trun_wait_ns(&run);
	CHECK(left > 0 && left <= 1000000000LL);
	ii_trun_timing(&run, true, 1.0);
	CHECK(!ii_trun_due(&run));
	CHECK(ii_trun_wait_ns(&run) == -1);
	ii_trun_timing(&run, false, 1.0);
	left = ii_trun_wait_ns(&run);
	CHECK(left >= 0 && left <= 1000000000LL);
	ii_trun_close(&run);
	ii_root_close(root);
}
