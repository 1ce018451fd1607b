// SPDX-License-Identifier: MIT
/* groups [ID...] [--class LIST] [--device BDF] */
#include <stdlib.h>
#include <string.h>

#include "cmd-common.h"

static bool group_has_class(const struct ii_group *g, const struct ii_class_filter *f, size_t n)
{
	for (size_t i = 0; i < g->ndevs; i++)
		if (ii_class_match(g->devs[i], f, n))
			return true;
	return false;
}

int cmd_groups(struct ii_ctx *ctx)
{
	struct ii_class_filter *cf;
	struct ii_system s;
	struct ii_group **sel;
	unsigned *ids = NULL;
	size_t ncf, nsel = 0;
	struct ii_bdf b;
	char want[II_BDF_MAX] = "";
	int rc = II_EXIT_OK;

	if ((rc = ii_arg_class(ctx, &cf, &ncf)))
		return rc;
	if (ctx->opt[OPT_DEVICE] && (rc = ii_arg_bdf(ctx->opt[OPT_DEVICE], "--device", &b, want))) {
		free(cf);
		return rc;
	}
	ids = xcalloc((size_t)ctx->argc + 1, sizeof(*ids));
	for (int i = 0; i < ctx->argc; i++) {
		long long v;
		if (ii_parse_int(ctx->argv[i], &v) || v < 0 || v > UINT32_MAX) {
			fprintf(stderr, "iommu-inspect: groups: '%s' is not a group number\n", ctx->argv[i]);
			free(ids);
			free(cf);
			return II_EXIT_USAGE;
		}
		ids[i] = (unsigned)v;
	}

	ii_cmd_load(ctx, &s, II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_PCI_IDS | II_LOAD_ACPI |
				     II_LOAD_RMRR_WARN);
	out_begin(ctx->out);
	sel = xcalloc(s.ngroups + 1, sizeof(*sel));
	if (!s.ngroups) {
		ii_err_no_groups(ctx, &s);
		rc = II_EXIT_ERROR;
	} else if (ctx->argc) {
		for (int i = 0; i < ctx->argc; i++) {
			struct ii_group *g = ii_find_group(&s, ids[i]);
			if (!g) {
				out_error(ctx->out, "no IOMMU group %u (there are %zu, numbered %u to %u)",
					  ids[i], s.ngroups, s.groups[0].id, s.groups[s.ngroups - 1].id);
				rc = II_EXIT_ERROR;
			} else if ((!ncf || group_has_class(g, cf, ncf)) && nsel < s.ngroups) {
				bool dup = false;
				for (size_t k = 0; k < nsel; k++)
					dup |= sel[k] == g;
				if (!dup)
					sel[nsel++] = g;
			}
		}
	} else {
		for (size_t i = 0; i < s.ngroups; i++)
			if (!ncf || group_has_class(&s.groups[i], cf, ncf))
				sel[nsel++] = &s.groups[i];
	}
	if (rc == II_EXIT_OK && want[0]) {
		struct ii_device *d = ii_find_device(&s, want);
		size_t keep = 0;

		if (!d || (!d->present && d->group < 0)) {
			out_error(ctx->out, "--device %s: no such PCI device", want);
			rc = II_EXIT_ERROR;
		} else if (d->group < 0) {
			out_error(ctx->out, "--device %s is in no IOMMU group: %s", want,
				  render_no_group_reason(&s, d));
			rc = II_EXIT_ERROR;
		}
		for (size_t i = 0; i < nsel; i++)
			if (d && (int)sel[i]->id == d->group)
				sel[keep++] = sel[i];
		if (rc == II_EXIT_OK && !keep && nsel && ctx->argc) {
			out_error(ctx->out, "--device %s is in IOMMU group %d, which is not among the "
				  "groups asked for", want, d->group);
			rc = II_EXIT_ERROR;
		}
		nsel = keep;
	}
	render_groups(ctx->out, &s, sel, nsel);
	if (rc == II_EXIT_OK && !nsel && ncf)
		out_text(ctx->out, "No IOMMU group has a device of class %s.\n", ctx->opt[OPT_CLASS]);
	rc = ii_cmd_finish(ctx, &s, rc);
	free(sel);
	free(ids);
	free(cf);
	ii_system_free(&s);
	return rc;
}
