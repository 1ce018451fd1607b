// SPDX-License-Identifier: MIT
/* check: the system's facts, each group with why, each device with its verdict. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render-check.h"
#include "paths.h"

static void finding(struct ii_out *o, const struct ii_chk_finding *f, const char *indent,
		    bool with_fix)
{
	const struct ii_chk_code_info *ci = ii_chk_code_info(f->code);

	out_open_obj(o, NULL);
	out_text(o, "%s", indent);
	out_str(o, "severity", "%-8s ", ii_sev_key(ci->sev));
	out_str(o, "code", "%s: ", ci->key);
	out_str(o, "summary", "%s\n", ci->summary);
	out_text(o, "%s         ", indent);
	out_str(o, "evidence", "%s\n", f->evidence);
	if (f->dev)
		out_str(o, "bdf", NULL, f->dev->name);
	else
		out_null(o, "bdf", NULL);
	if (ci->fix && with_fix)
		out_text(o, "%s         fix: ", indent);
	if (ci->fix)
		out_str(o, "fix", with_fix ? "%s\n" : NULL, ci->fix);
	else
		out_null(o, "fix", NULL);
	out_close_obj(o);
}

static void findings(struct ii_out *o, const struct ii_chk_findings *f, const char *indent)
{
	out_open_arr(o, "findings");
	for (size_t i = 0; i < f->n; i++) {
		bool again = false;

		/* a fix said once per list: several findings of a code share it */
		for (size_t k = 0; k < i; k++)
			again |= f->v[k].code == f->v[i].code;
		finding(o, &f->v[i], indent, !again);
	}
	out_close_arr(o);
}

static void node(struct ii_out *o, const char *key, const struct ii_system *s, const char *rel,
		 const struct ii_devnode *n)
{
	char mode[8];

	(void)s;
	out_open_obj(o, key);
	out_text(o, "/");
	out_str(o, "path", "%s ", rel);
	if (!n || n->err == -ENODATA) {
		out_null(o, "present", "not recorded");
	} else if (n->err == -ENOENT) {
		out_bool(o, "present", NULL, false);
		out_text(o, "absent");
	} else if (n->err) {
		out_null(o, "present", NULL);
		out_str(o, "error", "unknown (%s)", strerror(-n->err));
	} else {
		out_bool(o, "present", NULL, true);
		out_str(o, "type", "%s ", n->node.type == 'c' ? "char" : "block");
		out_uint(o, "major", "%llu:", n->node.major);
		out_uint(o, "minor", "%llu", n->node.minor);
		snprintf(mode, sizeof(mode), "%04o", n->node.mode);
		out_str(o, "mode", " mode %s", mode);
		out_uint(o, "uid", " owner %llu", n->node.uid);
		/* not whether it was seen or read from a snapshot's record: a replay says what live said */
		out_uint(o, "gid", ":%llu", n->node.gid);
	}
	out_close_obj(o);
}

static void tristate(struct ii_out *o, const char *key, const char *fmt, int v)
{
	if (v < 0)
		out_null(o, key, fmt);
	else
		out_bool(o, key, fmt, v > 0);
}

static void system_facts(struct ii_out *o, const struct ii_system *s, const struct ii_check *c)
{
	out_open_obj(o, "system");
	out_text(o, "%-12s", "Kernel");
	out_str(o, "kernel", "%s\n", s->kernel_release);
	out_text(o, "%-12s", "IOMMU");
	out_str(o, "active", "active %s", c->active);
	out_str(o, "default_domain", ", default domain %s", c->default_domain);
	if (c->default_from_cmdline < 0)
		out_null(o, "default_from_cmdline", NULL);
	else
		out_bool(o, "default_from_cmdline", c->default_from_cmdline ? " (command line)" : NULL,
			 c->default_from_cmdline);
	out_str(o, "interrupt_remapping", c->msi_isolation ? NULL : ", interrupt remapping %s",
		c->intremap);
	out_str(o, "msi_isolation", c->msi_isolation ? ", MSI isolation %s" : NULL,
		c->msi_isolation);
	out_text(o, "\n");
	out_text(o, "%-12s", "VFIO");
	tristate(o, "vfio_pci_loaded", NULL, c->vfio_pci);
	out_text(o, "vfio-pci %s", c->vfio_pci < 0 ? "unknown" : c->vfio_pci ? "loaded" : "not loaded");
	tristate(o, "allow_unsafe_interrupts", NULL, c->unsafe_intr);
	out_text(o, ", allow_unsafe_interrupts %s\n", c->unsafe_intr < 0 ? "unknown" :
		 c->unsafe_intr ? "Y" : "N");
	out_text(o, "%-12s", "");
	node(o, "vfio_container", s, II_PATH_VFIO_CONTAINER, c->container);
	out_text(o, "\n%-12s", "");
	node(o, "iommufd", s, II_PATH_IOMMUFD, c->iommufd);
	out_text(o, "\n");
	if (c->findings.n)
		out_text(o, "\n");
	findings(o, &c->findings, "");
	out_close_obj(o);
}

static void bdf_list(struct ii_out *o, const char *key, const struct ii_device *const *v, size_t n)
{
	out_open_arr(o, key);
	for (size_t i = 0; i < n; i++)
		out_str(o, NULL, " %s", v[i]->name);
	out_close_arr(o);
}

static void group(struct ii_out *o, const struct ii_system *s, const struct ii_chk_group *cg)
{
	const struct ii_group *g = cg->group;
	char *rel = xasprintf(II_PATH_VFIO_GROUP_FMT, g->id);

	out_open_obj(o, NULL);
	out_uint(o, "group", "IOMMU group %llu", g->id);
	out_str(o, "type", "  type %s  ", g->type);
	node(o, "vfio_node", s, rel, cg->node);
	out_text(o, "\n  %-12s", "members");
	bdf_list(o, "members", (const struct ii_device *const *)g->devs, g->ndevs);
	out_text(o, "\n  %-12s", "predicted");
	if (cg->predicted_known) {
		bdf_list(o, "predicted_members", cg->predicted, cg->npredicted);
		out_text(o, "  (from configuration space, by the kernel's rules)\n");
	} else {
		out_null(o, "predicted_members", " unknown\n");
	}
	out_bool(o, "host_critical", NULL, cg->host_critical);
	out_bool(o, "blocked", NULL, cg->blocked);
	out_open_arr(o, "why");
	for (size_t i = 0; i < cg->nwhy; i++) {
		const struct ii_chk_why *w = &cg->why[i];
		const struct ii_chk_code_info *ci = ii_chk_code_info(w->code);
		bool again = false;

		for (size_t k = 0; k < i; k++)
			again |= cg->why[k].code == w->code;
		out_open_obj(o, NULL);
		out_text(o, "  %-12s", i ? "" : "why");
		out_str(o, "bdf", NULL, w->dev->name);
		out_str(o, "code", "%s: ", ci->key);
		out_str(o, "evidence", "%s\n", w->evidence);
		if (w->via)
			out_str(o, "via", NULL, w->via->name);
		else
			out_null(o, "via", NULL);
		out_str(o, "acs", NULL, ii_acs_verdict_key(w->acs));
		out_strlist(o, "missing", NULL, NULL, &w->missing);
		out_str(o, "quirk", NULL, w->quirk);
		out_str(o, "summary", again ? NULL : "                %s\n", ci->summary);
		if (ci->fix && !again)
			out_text(o, "                what would change it: ");
		if (ci->fix)
			out_str(o, "fix", again ? NULL : "%s\n", ci->fix);
		else
			out_null(o, "fix", NULL);
		out_close_obj(o);
	}
	out_close_arr(o);
	if (cg->findings.n)
		out_text(o, "  findings\n");
	findings(o, &cg->findings, "    ");
	out_close_obj(o);
	free(rel);
}

static void reset(struct ii_out *o, const struct ii_chk_reset *r, bool bridge)
{
	out_open_obj(o, "reset");
	out_text(o, "    %-12s", "reset");
	if (!r->methods_known)
		out_null(o, "methods", "unknown");
	else if (!r->methods->n)
		out_strlist(o, "methods", NULL, NULL, r->methods);
	else
		out_strlist(o, "methods", "%s", " ", r->methods);
	if (r->methods_known && !r->methods->n)
		out_text(o, "none");
	tristate(o, "flr", "; FLR %s", r->flr);
	tristate(o, "af_flr", ", AF FLR %s", r->af_flr);
	tristate(o, "pm", ", PM %s", r->pm);
	out_str(o, "bus_reset", bridge ? NULL : "; bus reset: %s", ii_bus_reset_key(r->bus));
	out_open_arr(o, "siblings");
	for (size_t i = 0; i < r->nsiblings; i++)
		out_str(o, NULL, i ? ", %s" : " (with %s", r->siblings[i]->name);
	if (r->nsiblings)
		out_text(o, ")");
	out_close_arr(o);
	out_open_arr(o, "quirks");
	for (size_t i = 0; i < r->nquirks; i++)
		out_str(o, NULL, "; quirk %s", r->quirks[i]->function);
	out_close_arr(o);
	out_text(o, "\n");
	out_close_obj(o);
}

static void device(struct ii_out *o, const struct ii_chk_device *cd)
{
	const struct ii_device *d = cd->dev;

	out_open_obj(o, NULL);
	out_text(o, "\n  ");
	render_device_ident(o, d, 12, 1);
	out_text(o, "\n");
	if (d->group >= 0)
		out_int(o, "group", NULL, d->group);
	else
		out_null(o, "group", NULL);
	out_str(o, "driver_override", NULL, d->driver_override);
	out_text(o, "    %-12s", "verdict");
	out_str(o, "verdict", NULL, ii_verdict_key(cd->verdict));
	out_text(o, "%s", ii_verdict_text(cd->verdict));
	out_open_arr(o, "because");
	for (size_t i = 0; i < cd->nbecause; i++)
		out_str(o, NULL, i ? ", %s" : " (%s", ii_chk_code_info(cd->because[i])->key);
	if (cd->nbecause)
		out_text(o, ")");
	out_close_arr(o);
	out_text(o, "\n");
	out_open_arr(o, "companions");
	for (size_t i = 0; i < cd->ncomps; i++) {
		const struct ii_chk_companion *cp = &cd->comps[i];

		out_open_obj(o, NULL);
		out_text(o, "    %-12s", i ? "" : "companions");
		out_str(o, "bdf", "%s  ", cp->dev->name);
		out_str(o, "driver", "%s  ", cp->dev->driver);
		out_bool(o, "bridge", NULL, cp->dev->is_bridge);
		out_str(o, "action", "%s\n", ii_comp_action_key(cp->action));
		out_close_obj(o);
	}
	out_close_arr(o);
	out_open_arr(o, "steps");
	for (size_t i = 0; i < cd->nsteps; i++) {
		const struct ii_chk_step *st = &cd->steps[i];

		out_open_obj(o, NULL);
		out_text(o, "    %-12s", i ? "" : "steps");
		out_str(o, "action", NULL, ii_step_key(st->kind));
		if (st->dev)
			out_str(o, "bdf", NULL, st->dev->name);
		else
			out_null(o, "bdf", NULL);
		out_str(o, "command", "%s\n", st->command);
		out_close_obj(o);
	}
	out_close_arr(o);
	reset(o, &cd->reset, d->is_bridge);
	if (cd->findings.n)
		out_text(o, "    findings\n");
	findings(o, &cd->findings, "      ");
	out_close_obj(o);
}

void render_check(struct ii_out *o, const struct ii_system *s, const struct ii_check *c)
{
	system_facts(o, s, c);
	out_open_arr(o, "groups");
	for (size_t i = 0; i < c->ngroups; i++) {
		const struct ii_chk_group *cg = &c->groups[i];

		out_text(o, "\n");
		group(o, s, cg);
		/* text: the devices asked for under their group */
		if (!out_is_json(o))
			for (size_t k = 0; k < c->ndevs; k++)
				if (c->devs[k].group == cg)
					device(o, &c->devs[k]);
	}
	out_close_arr(o);
	out_open_arr(o, "devices");
	for (size_t k = 0; k < c->ndevs; k++) {
		if (!out_is_json(o) && c->devs[k].group)
			continue;
		if (!out_is_json(o))
			out_text(o, "\n%s", k ? "" : "");
		device(o, &c->devs[k]);
	}
	out_close_arr(o);
	out_open_obj(o, "summary");
	out_uint(o, "devices", "\n%llu device", c->ndevs);
	out_text(o, "%s: ", c->ndevs == 1 ? "" : "s");
	out_uint(o, "assignable_now", "%llu assignable now", c->count[II_VERDICT_NOW]);
	out_uint(o, "assignable_after_steps", ", %llu after steps", c->count[II_VERDICT_AFTER_STEPS]);
	out_uint(o, "not_assignable", ", %llu not assignable", c->count[II_VERDICT_NOT]);
	out_uint(o, "unknown", ", %llu unknown\n", c->count[II_VERDICT_UNKNOWN]);
	out_close_obj(o);
}
