// SPDX-License-Identifier: MIT
/*
 * acpi [dmar|ivrs|iort|viot] [--file PATH]: the decoded DMAR, IVRS, IORT and VIOT,
 * cross-referenced with the tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd-common.h"
#include "dt.h"
#include "paths.h"

/* Print the warnings added since the model was loaded (ii_cmd_load printed the others). */
static void print_warnings_from(const struct ii_system *s, size_t from)
{
	ii_warn_print(&s->diags, from);
}

/* Can table t be shown? Otherwise say why (an error: the command then exits 1). */
static bool usable(struct ii_ctx *ctx, const struct ii_acpi_table *t)
{
	char *rel, *path;

	if (t->dmar || t->ivrs || t->iort || t->viot)
		return true;
	rel = xasprintf(II_PATH_ACPI_TABLES "/%s", t->signature);
	path = t->file ? xstrdup(t->file) : ii_root_display(ctx->root, rel);
	if (t->err)
		out_error(ctx->out, "cannot read %s: %s%s", path, strerror(-t->err),
			  t->err == -EACCES || t->err == -EPERM ? "; the ACPI tables are readable "
			  "by root only: run as root" : "");
	else
		out_error(ctx->out, "%s: %zu bytes, shorter than an ACPI table header: nothing to "
			  "decode", path, t->size);
	free(path);
	free(rel);
	return false;
}

static void no_table(struct ii_ctx *ctx, const struct ii_system *s, const char *want)
{
	char *dir = ii_root_display(ctx->root, II_PATH_ACPI_TABLES);

	if (!want && s->dt && s->dt->present && s->idmap.src == II_IDMAP_DT && s->idmap.n)
		out_error(ctx->out, "no DMAR, IVRS, IORT or VIOT table under %s: this machine "
			  "describes its IOMMUs in its device tree (iommu-map and iommus "
			  "properties): see `iommu-inspect iommus`", dir);
	else if (!want)
		out_error(ctx->out, "no DMAR, IVRS, IORT or VIOT table under %s: the firmware "
			  "describes no IOMMU (enable VT-d or AMD-Vi, often called \"IOMMU\", in the "
			  "firmware setup; an Arm server lists its SMMUs in the IORT; a virtual "
			  "machine's virtio-iommu is in the VIOT)", dir);
	else if (!strcmp(want, "DMAR") && s->ivrs.present)
		out_error(ctx->out, "no DMAR table under %s; the firmware describes an AMD IOMMU: "
			  "see `iommu-inspect acpi ivrs`", dir);
	else if (!strcmp(want, "IVRS") && s->dmar.present)
		out_error(ctx->out, "no IVRS table under %s; the firmware describes an Intel IOMMU: "
			  "see `iommu-inspect acpi dmar`", dir);
	else
		out_error(ctx->out, "no %s table under %s", want, dir);
	free(dir);
}

static const struct ii_acpi_table *table_of(const struct ii_system *s, const char *sig)
{
	return !strcmp(sig, "DMAR") ? &s->dmar : !strcmp(sig, "IVRS") ? &s->ivrs :
	       !strcmp(sig, "IORT") ? &s->iort : &s->viot;
}

int cmd_acpi(struct ii_ctx *ctx)
{
	const char *want = NULL, *file = ctx->opt[OPT_FILE];
	const struct ii_acpi_table *tables[4];
	struct ii_system s;
	size_t n = 0, nwarn;
	char *err = NULL;
	int rc = II_EXIT_OK;

	if (ctx->argc) {
		if (!strcasecmp(ctx->argv[0], "dmar")) {
			want = "DMAR";
		} else if (!strcasecmp(ctx->argv[0], "ivrs")) {
			want = "IVRS";
		} else if (!strcasecmp(ctx->argv[0], "iort")) {
			want = "IORT";
		} else if (!strcasecmp(ctx->argv[0], "viot")) {
			want = "VIOT";
		} else {
			fprintf(stderr, "iommu-inspect: acpi: unknown table '%s'; use dmar, ivrs, iort "
				"or viot\n", ctx->argv[0]);
			return II_EXIT_USAGE;
		}
	}
	if (file && !*file) {
		fprintf(stderr, "iommu-inspect: acpi: --file needs a file name\n");
		return II_EXIT_USAGE;
	}

	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES |
				     (file ? 0 : II_LOAD_ACPI));
	nwarn = s.diags.warnings.n;
	if (file)
		ii_acpi_load_file(&s, file, &err);
	print_warnings_from(&s, nwarn);
	out_begin(ctx->out);
	if (err) {
		out_error(ctx->out, "%s", err);
		rc = II_EXIT_ERROR;
	} else if (file && want && !table_of(&s, want)->present) {
		out_error(ctx->out, "%s holds %s table, not %s", file,
			  s.dmar.present ? "a DMAR" : s.ivrs.present ? "an IVRS" :
			  s.iort.present ? "an IORT" : "a VIOT", want);
		rc = II_EXIT_ERROR;
	} else {
		const struct ii_acpi_table *all[] = { &s.dmar, &s.ivrs, &s.iort, &s.viot };

		for (size_t i = 0; i < II_ARRAY_SIZE(all); i++) {
			if (!all[i]->present || (want && strcmp(all[i]->signature, want)))
				continue;
			if (usable(ctx, all[i]))
				tables[n++] = all[i];
			else
				rc = II_EXIT_ERROR;
		}
		if (!n && rc == II_EXIT_OK) {
			no_table(ctx, &s, want);
			rc = II_EXIT_ERROR;
		}
	}
	render_acpi(ctx->out, &s, tables, n);
	rc = ii_cmd_finish(ctx, &s, rc);
	free(err);
	ii_system_free(&s);
	return rc;
}
