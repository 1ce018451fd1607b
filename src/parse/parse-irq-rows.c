// SPDX-License-Identifier: MIT
/*
 * The IOMMU rows of proc/interrupts (kernel-interfaces §12.4), per unit:
 *
 *            CPU0       CPU1
 *   24:        16          0  DMAR-MSI   0-edge      dmar0
 *   25:         0          0  DMAR-MSI   1-edge      dmar0-prq
 *   24:         0          0   PCI-MSI 32768-edge      AMD-Vi
 *   26:         3          0  PCI-MSI-0000:00:00.2 0-edge AMD-Vi
 *   27:         0          0  AMD-Vi   0-edge      AMD-Vi0-Evt
 *   52:        11          0  ITS-MSI 16384-edge   arm-smmu-v3-evtq
 *   30:         2          0  PCI-MSIX-0000:00:02.0 2-edge  virtio0-event
 *
 * The last column is the handler's name, which says whose interrupt it is;
 * the counts between the number and the chip are one per CPU.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actdata.h"

/* The unit named name, or NULL. */
static const struct ii_irq_unit *by_name(const struct ii_irq_unit *u, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (u[i].name && !strcmp(u[i].name, name))
			return &u[i];
	return NULL;
}

/* The only unit of vendor v, or NULL when there are none or several. */
static const struct ii_irq_unit *only(const struct ii_irq_unit *u, size_t n, enum ii_vendor v)
{
	const struct ii_irq_unit *found = NULL;

	for (size_t i = 0; i < n; i++) {
		if (u[i].vendor != v)
			continue;
		if (found)
			return NULL;
		found = &u[i];
	}
	return found;
}

/*
 * A virtio-iommu's own vectors, "<its virtio device>-request" and "-event"
 * (one MSI-X vector per queue; the event queue carries its faults). A shared
 * vector ("virtio0-virtqueues", or the INTx line named "virtio0") mixes the
 * requests' completions with the events: no count of faults, not taken.
 */
static const struct ii_irq_unit *virtio_unit(const struct ii_irq_unit *u, size_t n,
					     const char *name, bool *fault)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = u[i].parent ? strlen(u[i].parent) : 0;

		if (u[i].vendor != II_VENDOR_VIRTIO || !len || strncmp(name, u[i].parent, len) ||
		    name[len] != '-')
			continue;
		if (!strcmp(name + len + 1, "event") || !strcmp(name + len + 1, "request")) {
			*fault = !strcmp(name + len + 1, "event");
			return &u[i];
		}
	}
	return NULL;
}

/* The AMD unit of index idx: "ivhd<idx>", else the idx-th AMD unit. */
static const struct ii_irq_unit *amd_index(const struct ii_irq_unit *u, size_t n, unsigned idx)
{
	char name[32];
	size_t k = 0;

	snprintf(name, sizeof(name), "ivhd%u", idx);
	if (by_name(u, n, name))
		return by_name(u, n, name);
	for (size_t i = 0; i < n; i++)
		if (u[i].vendor == II_VENDOR_AMD && k++ == idx)
			return &u[i];
	return NULL;
}

/* "dmar12" or "dmar12-prq": the number's end, or NULL. */
static const char *dmar_number(const char *name)
{
	const char *p = name + 4;

	if (strncmp(name, "dmar", 4) != 0 || !isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/*
 * Classify a handler name; chip is the word after the counts (for AMD's
 * "PCI-MSI-<function>"). false: not an IOMMU's interrupt.
 */
static bool classify(struct ii_irq_row *r, const char *chip, const struct ii_irq_unit *u, size_t n)
{
	const struct ii_irq_unit *unit = NULL;
	const char *name = r->name, *end;
	unsigned idx;
	int len = 0;

	if ((end = dmar_number(name))) {
		char base[32];

		if (*end && *end != '-')
			return false;
		/* "dmarN" is the unit's own name (its fault interrupt); "dmarN-prq", "dmarN-perf" */
		str_copy(base, sizeof(base), name, (size_t)(end - name));
		str_copy(r->unit, sizeof(r->unit), base, strlen(base));
		r->fault = *end == '\0';
		return true;
	} else if (!strcmp(name, "AMD-Vi")) {
		r->fault = true;
		if (str_starts(chip, "PCI-MSI-")) {
			const char *fn = chip + strlen("PCI-MSI-");

			for (size_t i = 0; i < n && !unit; i++)
				if (u[i].pci_function && !strcmp(u[i].pci_function, fn))
					unit = &u[i];
		}
		if (!unit)
			unit = only(u, n, II_VENDOR_AMD);
	} else if (sscanf(name, "AMD-Vi%u-%n", &idx, &len) == 1 && len > 0) {
		const char *what = name + len;

		if (strcmp(what, "Evt") && strcmp(what, "PPR") && strcmp(what, "GA"))
			return false;
		r->fault = !strcmp(what, "Evt");
		unit = amd_index(u, n, idx);
	} else if (str_starts(name, "arm-smmu-v3-")) {
		const char *what = name + strlen("arm-smmu-v3-");

		if (strcmp(what, "evtq") && strcmp(what, "gerror") && strcmp(what, "priq") &&
		    strcmp(what, "combined-irq"))
			return false;
		r->fault = strcmp(what, "priq") != 0;
		unit = only(u, n, II_VENDOR_ARM_SMMU_V3);
	} else if (!strcmp(name, "arm-smmu-context-fault")) {
		r->fault = true;
		unit = only(u, n, II_VENDOR_ARM_SMMU);
	} else if (str_starts(name, "virtio") && (unit = virtio_unit(u, n, name, &r->fault))) {
		/* unit set */
	} else {
		return false;
	}
	if (unit)
		str_copy(r->unit, sizeof(r->unit), unit->name, strlen(unit->name));
	return true;
}

size_t ii_parse_irq_rows(const char *text, const struct ii_irq_unit *units, size_t nunits,
			 struct ii_irq_row **rows)
{
	const char *line = text;
	size_t n = 0, cap = 0;

	*rows = NULL;
	while (line && *line) {
		const char *eol = strchr(line, '\n'), *p = line, *end, *w;
		struct ii_irq_row r;
		char chip[64];
		unsigned long long irq = 0;

		end = eol ? eol : line + strlen(line);
		memset(&r, 0, sizeof(r));
		while (p < end && *p == ' ')
			p++;
		if (p < end && isdigit((unsigned char)*p)) {
			while (p < end && isdigit((unsigned char)*p)) {
				if (irq < 100000000)
					irq = irq * 10 + (unsigned)(*p - '0');
				p++;
			}
			if (p < end && *p == ':') {
				p++;
				for (;;) {
					uint64_t v = 0;

					while (p < end && (*p == ' ' || *p == '\t'))
						p++;
					if (p >= end || !isdigit((unsigned char)*p))
						break;
					while (p < end && isdigit((unsigned char)*p)) {
						v = v * 10 + (unsigned)(*p - '0');
						p++;
					}
					if (p < end && *p != ' ' && *p != '\t')
						break; /* "0-edge": not a count */
					r.count += v;
				}
				str_copy(chip, sizeof(chip), p, strcspn(p, " \t\n"));
				/* the last word: the handler's name */
				while (end > p && isspace((unsigned char)end[-1]))
					end--;
				for (w = end; w > p && !isspace((unsigned char)w[-1]); w--)
					;
				str_copy(r.name, sizeof(r.name), w, (size_t)(end - w));
				r.irq = (unsigned)irq;
				if (w > p && classify(&r, chip, units, nunits)) {
					xgrow((void **)rows, &cap, n + 1, sizeof(**rows));
					(*rows)[n++] = r;
				}
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return n;
}
