// SPDX-License-Identifier: MIT
/*
 * src/model/model-metrics.c and src/render/render-metrics.c: the families of
 * a recorded tree with faults, the cardinality cap (the largest series kept,
 * the rest summed into one "other" series that keeps the total), and the
 * escaping of label values and help text.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "metrics.h"
#include "render-metrics.h"
#include "test.h"

static const struct ii_metric_family *find(const struct ii_metrics *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->f[i].name, name))
			return &m->f[i];
	return NULL;
}

static bool collect(const char *fixture, size_t max, struct ii_root **root, struct ii_system *s,
		    struct ii_metrics *m)
{
	struct ii_metrics_opts o = { .max_series = max };
	char path[4096], *err = NULL;

	if (!fx_path(fixture, path, sizeof(path))) {
		t_fail(__FILE__, __LINE__, "no fixtures/ directory found");
		return false;
	}
	*root = ii_root_open(path, &err);
	if (!*root) {
		t_fail(__FILE__, __LINE__, "%s: %s", path, err ? err : "?");
		free(err);
		return false;
	}
	ii_system_load(s, *root, II_METRICS_LOAD, NULL);
	ii_metrics_collect(s, &o, m);
	return true;
}

TEST(metrics_faults_and_cap)
{
	struct ii_root *root;
	struct ii_system s;
	struct ii_metrics m;
	const struct ii_metric_family *f;
	uint64_t total = 0;

	if (!collect("intel-faults", 3, &root, &s, &m))
		return;
	CHECK(find(&m, "iommu_inspect_scrape_duration_seconds") == NULL); /* start_ns 0 */
	f = find(&m, "iommu_faults_total");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(f->type, II_METRIC_COUNTER);
		CHECK_INT(f->nlabels, 5);
		CHECK_INT(f->n, 3);
		CHECK_INT(f->folded, 4); /* 6 series: 2 kept, 4 summed */
		for (size_t i = 0; i < f->n; i++)
			total += f->v[i].u;
		CHECK_U64(total, 13); /* the cap keeps the total */
		/* the largest first, and equal ones in their order */
		CHECK_U64(f->v[0].u, 3);
		CHECK_STR(f->v[0].label[0], "0000:00:05.0");
		for (size_t i = 0; i < f->nlabels; i++)
			CHECK_STR(f->v[2].label[i], "other");
	}
	f = find(&m, "iommu_inspect_series_folded");
	CHECK(f != NULL && f->n >= 1);
	f = find(&m, "iommu_present");
	CHECK(f != NULL && f->n == 1 && f->v[0].u == 1);
	f = find(&m, "iommu_faults_suppressed_total");
	CHECK(f != NULL && f->n == 3 && f->v[0].u == 8);
	CHECK_U64(m.errors, 0);
	ii_metrics_free(&m);
	ii_system_free(&s);
	ii_root_close(root);
}

TEST(metrics_render_escapes)
{
	struct ii_metric_sample v = { .label = { (char *)"a\"b\\c\nd" }, .u = 7 };
	struct ii_metric_family fam = { .name = "x_total", .help = "back\\slash\nnew line",
					.type = II_METRIC_COUNTER, .label = { "l" }, .nlabels = 1,
					.v = &v, .n = 1 };
	struct ii_metrics m = { .f = &fam, .n = 1 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK_INT(render_metrics(f, &m), 0);
	fclose(f);
	CHECK_STR(buf, "# HELP x_total back\\\\slash\\nnew line\n"
		       "# TYPE x_total counter\n"
		       "x_total{l=\"a\\\"b\\\\c\\nd\"} 7\n");
	free(buf);
}
