// SPDX-License-Identifier: MIT
/* proc/version, proc/interrupts and the boot time in proc/stat. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

char *ii_parse_linux_version(const char *line)
{
	const char *p;
	size_t n;

	if (!line || !str_starts(line, "Linux version "))
		return NULL;
	p = line + strlen("Linux version ");
	n = strcspn(p, " \t\n");
	return n ? xstrndup(p, n) : NULL;
}

/* The last word of the line is the handler's name: "AMD-Vi" on "PCI-MSI 32768-edge AMD-Vi". */
static bool name_starts(const char *line, const char *eol, const char *prefix)
{
	const char *end = eol ? eol : line + strlen(line), *w;

	while (end > line && isspace((unsigned char)end[-1]))
		end--;
	for (w = end; w > line && !isspace((unsigned char)w[-1]); w--)
		;
	return (size_t)(end - w) >= strlen(prefix) && !strncmp(w, prefix, strlen(prefix));
}

/*
 * A numbered line reads "  24:   0   0  DMAR-MSI   0-edge   dmar0": the IRQ, one
 * count per CPU, then the chip name and the rest. Lines such as "NMI:" are skipped.
 */
void ii_parse_interrupts(const char *text, struct ii_irq_counts *out)
{
	const char *line = text;

	memset(out, 0, sizeof(*out));
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		const char *p = line;
		unsigned long long sum = 0;
		char chip[64];

		while (*p == ' ')
			p++;
		if (isdigit((unsigned char)*p)) {
			while (isdigit((unsigned char)*p))
				p++;
			if (*p == ':') {
				p++;
				for (;;) {
					char *end;
					while (*p == ' ' || *p == '\t')
						p++;
					if (!isdigit((unsigned char)*p))
						break;
					sum += strtoull(p, &end, 10);
					p = end;
				}
				str_copy(chip, sizeof(chip), p, strcspn(p, " \t\n"));
				out->lines++;
				if (str_starts(chip, "IR-"))
					out->remapped++;
				if (!strcmp(chip, "DMAR-MSI") || str_starts(chip, "AMD-Vi") ||
				    name_starts(line, eol, "AMD-Vi")) {
					out->iommu_lines++;
					out->iommu_irqs += sum;
				}
			}
		}
		line = eol ? eol + 1 : NULL;
	}
}

bool ii_parse_btime(const char *stat, long long *out)
{
	for (const char *p = stat; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char *end;
		long long v;

		if (strncmp(p, "btime ", 6) != 0)
			continue;
		v = strtoll(p + 6, &end, 10);
		if (end == p + 6 || (*end && *end != '\n') || v <= 0)
			return false;
		*out = v;
		return true;
	}
	return false;
}
