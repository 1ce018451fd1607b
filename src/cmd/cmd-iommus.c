// SPDX-License-Identifier: MIT
/* iommus [--regs]: the units under /sys/class/iommu with decoded capabilities (and debugfs). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-common.h"
#include "paths.h"

int cmd_iommus(struct ii_ctx *ctx)
{
	struct ii_system s;
	int rc = II_EXIT_OK;

	/* the ACPI tables (or device tree) and devices: an Arm unit's firmware node and stream IDs */
	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_LOG | II_LOAD_SYSINFO | II_LOAD_ACPI |
			     II_LOAD_DEVICES |
				     (ctx->opt[OPT_REGS] ? II_LOAD_DBG_REGS | II_LOAD_DBG_WARN : 0));
	out_begin(ctx->out);
	render_iommus(ctx->out, &s, s.units, s.nunits);
	if (!s.nunits) {
		char *path = ii_root_display(ctx->root, II_PATH_IOMMU_UNITS);
		/* unreadable is not absent: say so, and conclude nothing */
		int err = s.units_err ? s.units_err : s.units_unread ? s.units_unread_err : 0;

		if (err)
			out_error(ctx->out, "cannot read %s%s: %s%s; whether an IOMMU driver registered "
				  "a unit is unknown", s.units_err ? "" : "the units under ", path,
				  strerror(-err), err == -EACCES || err == -EPERM ? "; run as root" : "");
		else
			out_error(ctx->out, "no IOMMU units under %s: no IOMMU driver registered one (the "
				  "IOMMU is disabled or absent; `iommu-inspect status` shows the "
				  "evidence)", path);
		free(path);
		rc = II_EXIT_ERROR;
	}
	rc = ii_cmd_finish(ctx, &s, rc);
	ii_system_free(&s);
	return rc;
}
