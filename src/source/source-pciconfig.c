// SPDX-License-Identifier: MIT
/* The configuration space of a PCI device, as sysfs gives it to this reader. */
#include <errno.h>

#include "paths.h"
#include "source.h"

ssize_t ii_src_pci_config(struct ii_system *s, const struct ii_device *d, uint8_t *buf, size_t max)
{
	struct ii_dir dd;
	ssize_t n;
	int rc;

	if (!d->is_pci)
		return -EINVAL;
	rc = ii_dir_open(s->root, &dd, II_PATH_PCI_DEVICES "/%s", d->name);
	if (rc < 0)
		return rc;
	n = ii_dir_read_bin(&dd, "config", buf, max);
	ii_dir_close(&dd);
	return n;
}
