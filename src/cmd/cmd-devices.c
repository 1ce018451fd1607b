// SPDX-License-Identifier: MIT
/* devices [BDF...] [--class LIST] */
#include <stdlib.h>

#include "cmd-common.h"
#include "paths.h"

int cmd_devices(struct ii_ctx *ctx)
{
	struct ii_class_filter *cf;
	struct ii_system s;
	struct ii_device **sel;
	char (*want)[II_BDF_MAX] = NULL;
	size_t ncf, nsel = 0;
	int rc;

	if ((rc = ii_arg_class(ctx, &cf, &ncf)))
		return rc;
	want = xcalloc((size_t)ctx->argc + 1, sizeof(*want));
	for (int i = 0; i < ctx->argc; i++) {
		struct ii_bdf b;
		if ((rc = ii_arg_bdf(ctx->argv[i], "devices", &b, want[i]))) {
			free(want);
			free(cf);
			return rc;
		}
	}

	ii_cmd_load(ctx, &s, II_LOAD_UNITS | II_LOAD_GROUPS | II_LOAD_DEVICES | II_LOAD_DETAILS |
				     II_LOAD_NAMES | II_LOAD_PCI_IDS | II_LOAD_SYSINFO | II_LOAD_ACPI |
				     II_LOAD_RMRR_WARN);
	out_begin(ctx->out);
	sel = xcalloc(s.ndevices + 1, sizeof(*sel));
	if (!s.pci_dir) {
		char *path = ii_root_display(ctx->root, II_PATH_PCI_DEVICES);
		out_error(ctx->out, "%s: no such directory: sysfs is not mounted or the machine has no "
			  "PCI bus", path);
		free(path);
		rc = II_EXIT_ERROR;
	} else if (ctx->argc) {
		for (int i = 0; i < ctx->argc; i++) {
			struct ii_device *d = ii_find_device(&s, want[i]);
			if (!d) {
				out_error(ctx->out, "no PCI device %s", want[i]);
				rc = II_EXIT_ERROR;
				continue;
			}
			if (ncf && !ii_class_match(d, cf, ncf))
				continue;
			bool dup = false;
			for (size_t k = 0; k < nsel; k++)
				dup |= sel[k] == d;
			if (!dup)
				sel[nsel++] = d;
		}
	} else {
		for (size_t i = 0; i < s.ndevices; i++)
			if (s.devices[i]->is_pci && (!ncf || ii_class_match(s.devices[i], cf, ncf)))
				sel[nsel++] = s.devices[i];
	}
	render_devices(ctx->out, &s, sel, nsel);
	rc = ii_cmd_finish(ctx, &s, rc);
	free(sel);
	free(want);
	free(cf);
	ii_system_free(&s);
	return rc;
}
