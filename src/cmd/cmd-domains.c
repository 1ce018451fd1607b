// SPDX-License-Identifier: MIT
/* domains: the translation domains debugfs reveals, with their devices and what they map. */
#include "cmd-dbg.h"
#include "paths.h"

int cmd_domains(struct ii_ctx *ctx)
{
	struct ii_system s;
	struct ii_dbg d;
	size_t from;
	int rc = II_EXIT_OK;

	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_LOG |
				     II_LOAD_SYSINFO);
	from = s.diags.warnings.n;
	ii_dbg_load(&s, &d);
	if (d.fs.state == II_DBG_OK && d.fs.vendor == II_VENDOR_INTEL) {
		struct ii_dbg_walk w = { 0 };

		if (!d.have_dts)
			ii_dbg_warn(&s, d.fs.dir, "no domain_translation_struct: the page tables cannot be "
				    "read, only the domains the context entries name");
		ii_dbg_walk(&s, &d, &w);
	}
	if (d.fs.state == II_DBG_OK && d.fs.vendor == II_VENDOR_AMD && d.amd_msg)
		ii_dbg_warn(&s, II_PATH_DEBUGFS_IOMMU "/amd/devtbl", "\"%s\": AMD's debugfs shows the "
			    "device table entry of the one device whose address was written to amd/devid "
			    "(as root; iommu-inspect never writes), and no page tables", d.amd_msg);
	ii_dbg_sort(&d);
	ii_cmd_warnings_since(&s, from);
	out_begin(ctx->out);
	render_dbg_state(ctx->out, &s, &d);
	render_domains(ctx->out, &s, &d);
	if (d.fs.state != II_DBG_OK) {
		out_error(ctx->out, "%s", d.fs.why);
		rc = II_EXIT_ERROR;
	} else if (!d.ndomains) {
		out_text(ctx->out, "No translation domain in debugfs.\n");
	}
	rc = ii_cmd_finish(ctx, &s, rc);
	ii_dbg_free(&d);
	ii_system_free(&s);
	return rc;
}
