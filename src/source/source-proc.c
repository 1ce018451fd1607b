// SPDX-License-Identifier: MIT
/* proc/version, proc/cmdline, proc/interrupts and proc/stat (boot time). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "actdata.h"
#include "source.h"
#include "paths.h"

static char *read_proc(struct ii_system *s, const char *rel, bool warn)
{
	char *buf;
	size_t len;
	int err = ii_root_read_text(s->root, rel, &buf, &len, 4 << 20);

	if (err < 0) {
		if (warn && err != -ENOENT) {
			char *path = ii_root_display(s->root, rel);
			ii_warn(&s->diags, "%s: %s", path, ii_src_strerror(err));
			free(path);
		}
		return NULL;
	}
	return buf;
}

void ii_src_sysinfo(struct ii_system *s)
{
	char *v = read_proc(s, II_PATH_VERSION, true);
	char *c = read_proc(s, II_PATH_CMDLINE, true);
	char *irq = read_proc(s, II_PATH_INTERRUPTS, true);
	char *stat = read_proc(s, II_PATH_STAT, false);

	if (v) {
		s->kernel_version = xstrdup(rtrim(v));
		s->kernel_release = ii_parse_linux_version(v);
		free(v);
	}
	if (c) {
		s->cmdline = xstrdup(rtrim(c));
		free(c);
	}
	if (irq) {
		ii_parse_interrupts(irq, &s->irq);
		s->irq_read = true;
		free(irq);
	}
	if (stat) {
		s->has_btime = ii_parse_btime(stat, &s->btime);
		free(stat);
	}
	if (s->kernel_release)
		s->kver = ii_parse_kver(s->kernel_release);
}

size_t ii_src_irq_rows(struct ii_system *s, struct ii_irq_row **rows)
{
	char *irq = read_proc(s, II_PATH_INTERRUPTS, false);
	struct ii_irq_unit *u = xcalloc(s->nunits + 1, sizeof(*u));
	size_t n = 0;

	*rows = NULL;
	for (size_t i = 0; i < s->nunits; i++)
		u[i] = (struct ii_irq_unit){ .name = s->units[i].name, .vendor = s->units[i].vendor,
					     .pci_function = s->units[i].pci_function,
					     .parent = s->units[i].parent };
	if (irq) {
		n = ii_parse_irq_rows(irq, u, s->nunits, rows);
		free(irq);
	}
	free(u);
	return n;
}
