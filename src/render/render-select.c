// SPDX-License-Identifier: MIT
/* The text of a selection issue (include/model/select.h): one table, one function. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "paths.h"

/* "; run as root" after a permission error */
static const char *root_hint(int err)
{
	return err == -EACCES || err == -EPERM ? "; run as root" : "";
}

char *render_sel_issue(const struct ii_system *s, const struct ii_sel_issue *is)
{
	char reason[256];
	char *path, *msg;
	const struct ii_fwdrv_info *fw;

	switch (is->why) {
	case II_SEL_NOT_GROUP_NUMBER:
		return xasprintf("'%s' is not a group number", is->arg);
	case II_SEL_NOT_BDF:
		return xasprintf("'%s' is not a PCI address; write it as 0000:00:02.0 or 00:02.0",
				 is->arg);
	case II_SEL_NO_GROUPS:
		path = ii_root_display(s->root, II_PATH_IOMMU_GROUPS);
		if (s->groups_err)
			msg = xasprintf("cannot read %s: %s%s", path, strerror(-s->groups_err),
					root_hint(s->groups_err));
		else if ((fw = ii_fwdrv_info(ii_fw_iommu_without_driver(s))))
			msg = xasprintf("no IOMMU groups under %s: the firmware describes %s (%s) but "
					"no driver registered it; the kernel needs %s (module %s) "
					"(`iommu-inspect status` shows the evidence)%s", path, fw->what,
					fw->table, fw->option, fw->module,
					s->groups_dir ? "" : "; the directory does not even exist");
		else
			msg = xasprintf("no IOMMU groups under %s: the IOMMU is disabled or absent; on "
					"Intel boot with intel_iommu=on, on AMD make sure amd_iommu=off "
					"is not set, and enable VT-d/AMD-Vi in the firmware setup "
					"(`iommu-inspect status` shows the evidence)%s", path,
					s->groups_dir ? "" : "; the directory does not even exist");
		free(path);
		return msg;
	case II_SEL_NO_PCI_DIR:
		path = ii_root_display(s->root, II_PATH_PCI_DEVICES);
		if (s->pci_err)
			msg = xasprintf("cannot read %s: %s%s", path, strerror(-s->pci_err),
					root_hint(s->pci_err));
		else
			msg = xasprintf("%s: no such directory: sysfs is not mounted or the machine has "
					"no PCI bus", path);
		free(path);
		return msg;
	case II_SEL_NO_SUCH_GROUP:
		return xasprintf("no IOMMU group %u (there are %zu, numbered %u to %u)", is->group,
				 s->ngroups, s->groups[0].id, s->groups[s->ngroups - 1].id);
	case II_SEL_NO_SUCH_DEVICE:
		if (is->option)
			return xasprintf("%s %s: no such PCI device", is->option, is->bdf);
		return xasprintf("no PCI device %s", is->bdf);
	case II_SEL_DEVICE_NO_GROUP:
		render_nogroup_reason(s, is->dev, reason, sizeof(reason));
		return xasprintf("%s %s is in no IOMMU group: %s", is->option, is->bdf, reason);
	case II_SEL_DEVICE_ELSEWHERE:
		return xasprintf("%s %s is in IOMMU group %u, which is not among the groups asked for",
				 is->option, is->bdf, is->group);
	}
	return xasprintf("selection issue %d", (int)is->why);
}
