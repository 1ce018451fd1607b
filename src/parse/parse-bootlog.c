// SPDX-License-Identifier: MIT
/*
 * Facts about the IOMMU state stated by kernel log lines (kernel-interfaces
 * §5.3, §5.4, §5.6, §9.2). Each fact keeps the line it came from, so the
 * status command can show its evidence. Later lines win, except where a fact
 * is printed once at boot (the first one is kept).
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static void keep(struct ii_logline *l, const struct ii_kmsg *m, bool first_only)
{
	if (l->text && first_only)
		return;
	free(l->text);
	l->text = xstrdup(m->text);
	l->seq = m->seq;
}

static void set_word(char **dst, const char *s)
{
	size_t n = strcspn(s, " \t(");

	free(*dst);
	*dst = xstrndup(s, n);
}

/* t is exactly s, give or take trailing white space. */
static bool line_is(const char *t, const char *s)
{
	size_t n = strlen(s);

	if (strncmp(t, s, n) != 0)
		return false;
	for (t += n; *t; t++)
		if (*t != ' ' && *t != '\t' && *t != '\n' && *t != '\r')
			return false;
	return true;
}

#define CMDLINE_SUFFIX "(set via kernel command line)"

void ii_logfacts_feed(struct ii_logfacts *f, const struct ii_kmsg *m)
{
	const char *t = m->text;

	f->records++;
	if (!f->have_first_seq || m->seq < f->first_seq) {
		f->first_seq = m->seq;
		f->have_first_seq = true;
	}
	if (!t || !*t)
		return;

	if (str_starts(t, "Linux version ")) {
		keep(&f->linux_version, m, true);
	} else if (str_starts(t, "Kernel command line: ")) {
		keep(&f->cmdline, m, true);
	} else if (str_starts(t, "iommu: Default domain type: ")) {
		keep(&f->default_domain, m, false);
		set_word(&f->default_domain_word, t + strlen("iommu: Default domain type: "));
		f->default_domain_cmdline = strstr(t, CMDLINE_SUFFIX) != NULL;
	} else if (str_starts(t, "iommu: DMA domain TLB invalidation policy: ")) {
		keep(&f->policy, m, false);
		set_word(&f->policy_word, t + strlen("iommu: DMA domain TLB invalidation policy: "));
		f->policy_cmdline = strstr(t, CMDLINE_SUFFIX) != NULL;
	} else if (str_starts(t, "DMAR: IOMMU batching disallowed due to virtualization") ||
		   str_starts(t, "AMD-Vi: Using strict mode due to virtualization")) {
		keep(&f->forced_strict, m, false);
	} else if (str_starts(t, "DMAR-IR: Enabled IRQ remapping in ")) {
		keep(&f->ir, m, false);
		set_word(&f->ir_mode, t + strlen("DMAR-IR: Enabled IRQ remapping in "));
	} else if (str_starts(t, "AMD-Vi: Interrupt remapping enabled")) {
		keep(&f->ir, m, false);
	} else if (str_starts(t, "DMAR: Intel(R) Virtualization Technology for Directed I/O")) {
		keep(&f->vtd_init, m, false);
	} else if (line_is(t, "DMAR: IOMMU enabled")) {
		keep(&f->dmar_enabled, m, false);
	} else if (line_is(t, "DMAR: IOMMU disabled")) {
		keep(&f->dmar_disabled, m, false);
	} else if (str_starts(t, "DMAR: Host address width ")) {
		keep(&f->dmar_haw, m, true);
	} else if (str_starts(t, "AMD-Vi: Extended features (")) {
		char *end;
		const char *q = t + strlen("AMD-Vi: Extended features (");

		if (f->amd_features.text)
			return; /* the first line is kept, and the values are its own */
		keep(&f->amd_features, m, true);
		f->amd_efr = strtoull(q, &end, 16);
		if (end != q && !strncmp(end, ", ", 2)) {
			q = end + 2;
			f->amd_efr2 = strtoull(q, &end, 16);
			f->amd_efr_valid = end != q && *end == ')';
		}
	} else if (strstr(t, "AMD-Vi: Found IOMMU")) {
		keep(&f->amd_init, m, true);
	} else if (strstr(t, "IOMMU DebugFS SUPPORT HAS BEEN ENABLED IN THIS KERNEL")) {
		keep(&f->debugfs_banner, m, true);
	} else if ((str_starts(t, "arm-smmu") && strstr(t, ": probing hardware configuration")) ||
		   (str_starts(t, "arm-smmu-v3") && strstr(t, " ias "))) {
		keep(&f->smmu, m, true);
	}
}

void ii_logfacts_free(struct ii_logfacts *f)
{
	struct ii_logline *lines[] = { &f->linux_version, &f->cmdline, &f->default_domain,
				       &f->policy, &f->forced_strict, &f->ir, &f->ir_disabled,
				       &f->vtd_init, &f->dmar_enabled, &f->dmar_disabled,
				       &f->dmar_haw, &f->amd_features, &f->amd_init, &f->smmu,
				       &f->debugfs_banner };

	for (size_t i = 0; i < II_ARRAY_SIZE(lines); i++)
		free(lines[i]->text);
	free(f->default_domain_word);
	free(f->policy_word);
	free(f->ir_mode);
	memset(f, 0, sizeof(*f));
}
