// SPDX-License-Identifier: MIT
/* The effective state with its evidence. */
#include <string.h>

#include "render.h"

/* The colour of a conclusion: the model's verdict. */
static enum ii_role role_of(const struct ii_fact *f)
{
	static const enum ii_role roles[] = {
		[II_VERDICT_NONE] = II_ROLE_NONE,
		[II_VERDICT_GOOD] = II_ROLE_GOOD,
		[II_VERDICT_NOTICE] = II_ROLE_NOTICE,
		[II_VERDICT_BAD] = II_ROLE_BAD,
	};

	return (unsigned)f->verdict < II_ARRAY_SIZE(roles) ? roles[f->verdict] : II_ROLE_NONE;
}

/* truth: for yes/no facts, the value that JSON writes as true ("present", "yes") */
static void fact(struct ii_out *o, const char *key, const char *label, const struct ii_fact *f,
		 void (*extra)(struct ii_out *, const struct ii_status *), const struct ii_status *st,
		 const char *truth)
{
	out_open_obj(o, key);
	out_text(o, "%-20s", label);
	if (!f->value) {
		out_null(o, "value", NULL);
		out_text_role(o, II_ROLE_UNKNOWN, "unknown");
	} else if (truth) {
		out_bool(o, "value", NULL, !strcmp(f->value, truth));
		out_text_role(o, role_of(f), "%s", f->value);
	} else {
		out_str_role(o, "value", "%s", f->value, role_of(f));
	}
	if (extra)
		extra(o, st);
	out_text(o, "\n");
	out_open_arr(o, "evidence");
	for (size_t i = 0; i < f->evidence.n; i++)
		out_str(o, NULL, "    - %s\n", f->evidence.v[i]);
	out_close_arr(o);
	out_close_obj(o);
}

static void dd_extra(struct ii_out *o, const struct ii_status *st)
{
	if (st->default_from_cmdline < 0 || !strcmp(st->default_domain.value ? st->default_domain.value : "", "none"))
		out_null(o, "from_cmdline", NULL);
	else
		out_bool(o, "from_cmdline", st->default_from_cmdline ? " (set on the kernel command line)"
								     : " (the kernel's built-in default)",
			 st->default_from_cmdline);
}

/* "3 units"; "? units" and null when its directory could not be read */
static void count(struct ii_out *o, const char *key, bool unknown, size_t n, const char *what)
{
	if (unknown) {
		out_null(o, key, NULL);
		out_text(o, "? %ss", what);
		return;
	}
	out_uint(o, key, NULL, n);
	out_text(o, "%zu %s%s", n, what, n == 1 ? "" : "s");
}

static void ir_extra(struct ii_out *o, const struct ii_status *st)
{
	out_str(o, "mode", st->intremap_mode ? " (%s mode)" : NULL, st->intremap_mode);
}

void render_status(struct ii_out *o, const struct ii_system *s, const struct ii_status *st)
{
	out_open_obj(o, "kernel");
	out_text(o, "%-20s", "Kernel");
	out_str(o, "release", "%s\n", s->kernel_release);
	out_str(o, "version", NULL, s->kernel_version);
	out_close_obj(o);
	fact(o, "hardware", "IOMMU hardware", &st->hardware, NULL, st, "present");
	fact(o, "active", "Active", &st->active, NULL, st, "yes");
	fact(o, "vendor", "Vendor", &st->vendor, NULL, st, NULL);

	out_open_obj(o, "counts");
	out_text(o, "%-20s", "Counts");
	count(o, "units", st->units_unknown, st->units, "unit");
	out_text(o, ", ");
	count(o, "groups", st->groups_unknown, st->groups, "group");
	out_text(o, ", ");
	count(o, "devices", st->devices_unknown, st->devices, "PCI device");
	out_uint(o, "devices_in_groups", " (%llu in groups, ", st->devices_in_groups);
	out_uint(o, "devices_without_group", "%llu in none", st->devices_without_group);
	/* only when some membership could not be read: the two above do not add up then */
	if (st->devices_group_unknown)
		out_uint(o, "devices_group_unknown", ", %llu unknown", st->devices_group_unknown);
	out_text(o, ")\n");
	out_close_obj(o);

	fact(o, "default_domain", "Default domain", &st->default_domain, dd_extra, st, NULL);
	fact(o, "invalidation", "Invalidation", &st->invalidation, NULL, st, NULL);
	if (st->arm) {
		/* Arm: the ITS isolates MSIs; interrupt_remapping stays in JSON, not applicable */
		out_open_obj(o, "interrupt_remapping");
		out_str(o, "value", NULL, st->intremap.value);
		out_strlist(o, "evidence", NULL, NULL, &st->intremap.evidence);
		out_close_obj(o);
		fact(o, "msi_isolation", "MSI isolation", &st->msi_isolation, NULL, st, NULL);
		/* a virtio-iommu guest without an SMMU: no line, and null in JSON */
		if (st->smmu_bypass.value || st->smmu_bypass.evidence.n) {
			fact(o, "smmu_bypass", "SMMU bypass", &st->smmu_bypass, NULL, st, NULL);
		} else {
			out_open_obj(o, "smmu_bypass");
			out_null(o, "value", NULL);
			out_strlist(o, "evidence", NULL, NULL, &st->smmu_bypass.evidence);
			out_close_obj(o);
		}
	} else {
		fact(o, "interrupt_remapping", "Interrupt remapping", &st->intremap, ir_extra, st,
		     NULL);
	}
	fact(o, "kernel_log", "Kernel log", &st->kernel_log, NULL, st, NULL);

	out_text(o, "%-20s", "Kernel parameters");
	out_strlist(o, "kernel_parameters", "%s", " ", &st->params);
	out_str(o, "kernel_parameters_source", st->params_source ? " (from %s)\n" : "\n",
		st->params_source);

	if (st->advice.n) {
		out_text(o, "\n");
		out_text_role(o, II_ROLE_HEADING, "Advice:");
		out_text(o, "\n");
	}
	out_strlist(o, "advice", NULL, NULL, &st->advice);
	for (size_t i = 0; i < st->advice.n; i++)
		out_text(o, "  - %s\n", st->advice.v[i]);
}
