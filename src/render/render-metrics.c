// SPDX-License-Identifier: MIT
/*
 * The Prometheus text exposition format, version 0.0.4, as node_exporter's
 * textfile collector reads it: "# HELP" (backslash and newline escaped),
 * "# TYPE", then one line per sample, label values escaped (backslash, double
 * quote, newline). A family without samples keeps its HELP and TYPE lines, so
 * that the set of families does not depend on the machine.
 */
#include <inttypes.h>

#include "render-metrics.h"

static void put_escaped(FILE *f, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (quote && *s == '"')
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

static void put_sample(FILE *f, const struct ii_metric_family *fam, const struct ii_metric_sample *v)
{
	fputs(fam->name, f);
	if (fam->nlabels) {
		fputc('{', f);
		for (size_t i = 0; i < fam->nlabels; i++) {
			fprintf(f, "%s%s=\"", i ? "," : "", fam->label[i]);
			put_escaped(f, v->label[i], true);
			fputc('"', f);
		}
		fputc('}', f);
	}
	if (v->is_float)
		fprintf(f, " %.6f\n", v->d);
	else
		fprintf(f, " %" PRIu64 "\n", v->u);
}

int render_metrics(FILE *f, const struct ii_metrics *m)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct ii_metric_family *fam = &m->f[i];

		fprintf(f, "# HELP %s ", fam->name);
		put_escaped(f, fam->help, false);
		fprintf(f, "\n# TYPE %s %s\n", fam->name, ii_metric_type_key(fam->type));
		for (size_t j = 0; j < fam->n; j++)
			put_sample(f, fam, &fam->v[j]);
	}
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
