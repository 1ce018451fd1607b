// SPDX-License-Identifier: MIT
/*
 * Selection: the groups or devices a command's arguments name, with a typed
 * issue for each that cannot be shown. Each argument is looked up by binary
 * search and de-duplicated with a mark per group or device, so a selection
 * costs O(n log n) however many arguments repeat.
 */
#include <stdlib.h>
#include <string.h>

#include "select.h"

static void add_issue(struct ii_sel_issue **v, size_t *n, const struct ii_sel_issue *is)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = *is;
}

static bool bdf_arg(const char *arg, const char *option, char out[II_BDF_MAX],
		    struct ii_sel_issue *bad)
{
	struct ii_bdf b;

	if (ii_parse_bdf(arg, &b) == 0) {
		ii_format_bdf(&b, out);
		return true;
	}
	*bad = (struct ii_sel_issue){ .why = II_SEL_NOT_BDF, .arg = arg, .option = option };
	return false;
}

int ii_group_sel_init(struct ii_group_sel *sel, const char *const *ids, size_t nids,
		      const char *device, const struct ii_class_filter *cf, size_t ncf,
		      struct ii_sel_issue *bad)
{
	memset(sel, 0, sizeof(*sel));
	sel->cf = cf;
	sel->ncf = ncf;
	sel->ids = xcalloc(nids + 1, sizeof(*sel->ids));
	for (size_t i = 0; i < nids; i++) {
		long long v;

		if (ii_parse_int(ids[i], &v) || v < 0 || v > UINT32_MAX) {
			*bad = (struct ii_sel_issue){ .why = II_SEL_NOT_GROUP_NUMBER, .arg = ids[i] };
			return -1;
		}
		sel->ids[sel->nids++] = (unsigned)v;
	}
	if (device && !bdf_arg(device, "--device", sel->device_bdf, bad))
		return -1;
	sel->device = device;
	return 0;
}

int ii_device_sel_init(struct ii_device_sel *sel, const char *const *bdfs, size_t nbdfs,
		       const struct ii_class_filter *cf, size_t ncf, struct ii_sel_issue *bad)
{
	memset(sel, 0, sizeof(*sel));
	sel->cf = cf;
	sel->ncf = ncf;
	sel->args = bdfs;
	sel->bdfs = xcalloc(nbdfs + 1, sizeof(*sel->bdfs));
	for (size_t i = 0; i < nbdfs; i++) {
		if (!bdf_arg(bdfs[i], NULL, sel->bdfs[i], bad))
			return -1;
		sel->nbdfs++;
	}
	return 0;
}

static bool group_has_class(const struct ii_group *g, const struct ii_class_filter *f, size_t n)
{
	if (!n)
		return true;
	for (size_t i = 0; i < g->ndevs; i++)
		if (ii_class_match(g->devs[i], f, n))
			return true;
	return false;
}

/* --device: keep only its group, or say why there is none to keep. */
static void select_device_group(const struct ii_system *s, struct ii_group_sel *sel)
{
	const struct ii_device *d = ii_find_device(s, sel->device_bdf);
	struct ii_sel_issue is = { .arg = sel->device, .option = "--device", .dev = d };
	size_t keep = 0;

	memcpy(is.bdf, sel->device_bdf, sizeof(is.bdf));
	if (!d || (!d->present && d->group < 0)) {
		is.why = II_SEL_NO_SUCH_DEVICE;
		add_issue(&sel->issues, &sel->nissues, &is);
	} else if (d->group < 0) {
		is.why = II_SEL_DEVICE_NO_GROUP;
		add_issue(&sel->issues, &sel->nissues, &is);
	}
	for (size_t i = 0; i < sel->ngroups; i++)
		if (d && (int)sel->groups[i]->id == d->group)
			sel->groups[keep++] = sel->groups[i];
	if (!sel->nissues && !keep && sel->ngroups && sel->nids) {
		is.why = II_SEL_DEVICE_ELSEWHERE;
		is.group = (unsigned)d->group;
		add_issue(&sel->issues, &sel->nissues, &is);
	}
	sel->ngroups = keep;
}

void ii_select_groups(const struct ii_system *s, struct ii_group_sel *sel)
{
	bool *seen;

	sel->groups = xcalloc(s->ngroups + 1, sizeof(*sel->groups));
	if (!s->ngroups) {
		add_issue(&sel->issues, &sel->nissues,
			  &(struct ii_sel_issue){ .why = II_SEL_NO_GROUPS });
		return;
	}
	seen = xcalloc(s->ngroups, sizeof(*seen));
	for (size_t i = 0; i < sel->nids; i++) {
		struct ii_group *g = ii_find_group(s, sel->ids[i]);
		size_t k = g ? (size_t)(g - s->groups) : 0;

		if (!g) {
			add_issue(&sel->issues, &sel->nissues, &(struct ii_sel_issue){
					  .why = II_SEL_NO_SUCH_GROUP, .group = sel->ids[i] });
		} else if (!seen[k] && group_has_class(g, sel->cf, sel->ncf)) {
			seen[k] = true;
			sel->groups[sel->ngroups++] = g;
		}
	}
	if (!sel->nids)
		for (size_t i = 0; i < s->ngroups; i++)
			if (group_has_class(&s->groups[i], sel->cf, sel->ncf))
				sel->groups[sel->ngroups++] = &s->groups[i];
	free(seen);
	/* as before the lookup: --device narrows a selection without other errors */
	if (!sel->nissues && sel->device)
		select_device_group(s, sel);
	sel->no_class_match = !sel->nissues && !sel->ngroups && sel->ncf;
}

void ii_select_devices(const struct ii_system *s, struct ii_device_sel *sel)
{
	bool *seen;

	sel->devices = xcalloc(s->ndevices + 1, sizeof(*sel->devices));
	if (!s->pci_dir) {
		add_issue(&sel->issues, &sel->nissues,
			  &(struct ii_sel_issue){ .why = II_SEL_NO_PCI_DIR });
		return;
	}
	if (!sel->nbdfs) {
		for (size_t i = 0; i < s->ndevices; i++)
			if (s->devices[i]->is_pci && (!sel->ncf || ii_class_match(s->devices[i], sel->cf,
										      sel->ncf)))
				sel->devices[sel->ndevices++] = s->devices[i];
		return;
	}
	seen = xcalloc(s->ndevices + 1, sizeof(*seen));
	for (size_t i = 0; i < sel->nbdfs; i++) {
		long k = ii_device_index(s, sel->bdfs[i]);
		struct ii_device *d = k >= 0 ? s->devices[k] : NULL;

		if (!d) {
			struct ii_sel_issue is = { .why = II_SEL_NO_SUCH_DEVICE, .arg = sel->args[i] };
			memcpy(is.bdf, sel->bdfs[i], sizeof(is.bdf));
			add_issue(&sel->issues, &sel->nissues, &is);
		} else if (!seen[k] && (!sel->ncf || ii_class_match(d, sel->cf, sel->ncf))) {
			seen[k] = true;
			sel->devices[sel->ndevices++] = d;
		}
	}
	free(seen);
}

void ii_group_sel_free(struct ii_group_sel *sel)
{
	free(sel->ids);
	free(sel->groups);
	free(sel->issues);
	memset(sel, 0, sizeof(*sel));
}

void ii_device_sel_free(struct ii_device_sel *sel)
{
	free(sel->bdfs);
	free(sel->devices);
	free(sel->issues);
	memset(sel, 0, sizeof(*sel));
}
