// SPDX-License-Identifier: MIT
/*
 * metrics: the model's metrics (include/model/metrics.h) in the Prometheus
 * text format, on standard output or, with --output, into a file replaced
 * atomically (node_exporter's textfile collector reads whatever is there).
 * Problems met while reading are warnings on stderr and the
 * iommu_inspect_scrape_errors gauge, not a failed exit: a timer that fails
 * would leave the previous file in place with nothing to say why.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "cmd-common.h"
#include "render-metrics.h"

static int usage_err(const char *fmt, ...) ii_printf_like(1, 2);
static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("iommu-inspect: metrics: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nRun 'iommu-inspect metrics --help' for usage.\n", stderr);
	return II_EXIT_USAGE;
}

int cmd_metrics(struct ii_ctx *ctx)
{
	struct ii_metrics_opts mo = { .start_ns = ii_metrics_now_ns() };
	const char *file = ctx->opt[OPT_METRICS_FILE];
	struct ii_atomic a = { 0 };
	struct ii_metrics m;
	struct ii_system s;
	char *err = NULL;
	int rc = II_EXIT_OK;
	size_t from;

	if (out_is_json(ctx->out))
		return usage_err("--json does not apply: the output is the Prometheus text format");
	if (ctx->opt[OPT_MAX_SERIES]) {
		long long n;

		if (ii_parse_int(ctx->opt[OPT_MAX_SERIES], &n) || n < 2 || n > 1000000)
			return usage_err("--max-series '%s' is not a number of series (2 to 1000000)",
					 ctx->opt[OPT_MAX_SERIES]);
		mo.max_series = (size_t)n;
	}
	if (ctx->opt[OPT_NO_TIMING])
		mo.start_ns = 0;
	/* the file is created first: a directory that cannot take it is known before any work */
	if (file && ii_atomic_open(&a, file, &err) < 0) {
		fprintf(stderr, "iommu-inspect: error: %s\n", err);
		free(err);
		return II_EXIT_ERROR;
	}
	/* a big machine's page-table dumps are read whole: --no-debugfs spares that */
	ii_cmd_load(ctx, &s, ctx->opt[OPT_METRICS_NO_DEBUGFS] ? II_METRICS_LOAD & ~II_LOAD_DBG_WALK
							      : II_METRICS_LOAD);
	from = s.diags.warnings.n;
	ii_metrics_collect(&s, &mo, &m);
	ii_cmd_warnings_since(&s, from); /* the kernel log's, found after the load */
	if (render_metrics(file ? a.f : stdout, &m) < 0) {
		fprintf(stderr, "iommu-inspect: error: writing the metrics: %s\n", strerror(errno));
		rc = II_EXIT_ERROR;
		if (file)
			ii_atomic_abort(&a);
	} else if (file && ii_atomic_commit(&a, &err) < 0) {
		fprintf(stderr, "iommu-inspect: error: %s\n", err);
		free(err);
		rc = II_EXIT_ERROR;
	}
	rc = ii_cmd_finish(ctx, &s, rc);
	ii_metrics_free(&m);
	ii_system_free(&s);
	return rc;
}
