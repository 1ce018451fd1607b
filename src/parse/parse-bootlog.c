// SPDX-License-Identifier: MIT
/*
 * Facts about the IOMMU state stated by kernel log lines (kernel-interfaces
 * §5.3, §5.4, §5.6, §9.2). Each fact keeps the line it came from, so the
 * status command can show its evidence. Later lines win, except where a fact
 * is printed once at boot (the first one is kept).
 */
#include <stdio.h>
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

/* The unit a driver line names: "arm-smmu-v3 arm-smmu-v3.0.auto: ..." -> its entry. */
static struct ii_unit_boot *unit_boot(struct ii_logfacts *f, const char *dev, size_t n,
				      enum ii_ub_kind kind)
{
	for (size_t i = 0; i < f->nubs; i++)
		if (strlen(f->ubs[i].dev) == n && !strncmp(f->ubs[i].dev, dev, n))
			return &f->ubs[i];
	if (f->nubs >= 64)
		return NULL; /* a log of many units: the first 64 are enough */
	f->ubs = xrealloc(f->ubs, (f->nubs + 1) * sizeof(*f->ubs));
	memset(&f->ubs[f->nubs], 0, sizeof(*f->ubs));
	f->ubs[f->nubs].dev = xstrndup(dev, n);
	f->ubs[f->nubs].kind = kind;
	return &f->ubs[f->nubs++];
}

/*
 * Lines of the Arm SMMU drivers' and virtio-iommu's probes: "DRIVER DEVICE: text".
 * Returns true when the line was one of them.
 */
static bool unit_line(struct ii_logfacts *f, const struct ii_kmsg *m)
{
	static const struct { const char *drv; enum ii_ub_kind kind; } drivers[] = {
		{ "arm-smmu-v3 ", II_UB_SMMU_V3 },
		{ "arm-smmu ", II_UB_SMMU },
		{ "virtio_iommu ", II_UB_VIRTIO },
	};
	const char *t = m->text, *dev, *colon, *msg;
	struct ii_unit_boot *u = NULL;
	size_t i;

	for (i = 0; i < II_ARRAY_SIZE(drivers); i++)
		if (str_starts(t, drivers[i].drv))
			break;
	if (i == II_ARRAY_SIZE(drivers))
		return false;
	dev = t + strlen(drivers[i].drv);
	colon = strstr(dev, ": ");
	if (!colon || colon == dev || memchr(dev, ' ', (size_t)(colon - dev)))
		return false;
	msg = colon + 2;
	if (drivers[i].kind == II_UB_SMMU_V3 && str_starts(msg, "ias ")) {
		unsigned ias, oas, feat;

		u = unit_boot(f, dev, (size_t)(colon - dev), drivers[i].kind);
		if (!u)
			return true;
		keep(&u->probe, m, true);
		if (sscanf(msg, "ias %u-bit, oas %u-bit (features 0x%x)", &ias, &oas, &feat) == 3) {
			u->ias = ias;
			u->oas = oas;
			u->features = feat;
			u->has_features = true;
		}
		return true;
	}
	if (drivers[i].kind == II_UB_SMMU_V3 && str_starts(msg, "allocated ")) {
		unsigned n;
		char q[8];

		u = unit_boot(f, dev, (size_t)(colon - dev), drivers[i].kind);
		if (u && sscanf(msg, "allocated %u entries for %7s", &n, q) == 2) {
			if (!strcmp(q, "cmdq"))
				u->cmdq = n;
			else if (!strcmp(q, "evtq"))
				u->evtq = n;
			else if (!strcmp(q, "priq"))
				u->priq = n;
		}
		return true;
	}
	if (drivers[i].kind == II_UB_SMMU) {
		static const char *const notes[] = {
			"SMMUv1 with:", "SMMUv2 with:", "\tstage 1", "\tstage 2", "\tstream matching",
			"\tstream indexing", "\t", "Supported page sizes", "Stage-1:", "Stage-2:",
		};
		bool probe = str_starts(msg, "probing hardware configuration");

		for (size_t k = 0; !probe && k < II_ARRAY_SIZE(notes); k++)
			probe = str_starts(msg, notes[k]);
		if (!probe)
			return false;
		u = unit_boot(f, dev, (size_t)(colon - dev), drivers[i].kind);
		if (!u)
			return true;
		if (str_starts(msg, "probing hardware configuration"))
			keep(&u->probe, m, true);
		else if (u->notes.n < 32)
			sl_add(&u->notes, msg);
		if (str_starts(msg, "Stage-1: ")) {
			unsigned va, ipa;

			if (sscanf(msg, "Stage-1: %u-bit VA -> %u-bit IPA", &va, &ipa) == 2) {
				u->ias = va;
				u->oas = ipa;
			}
		}
		return true;
	}
	if (drivers[i].kind == II_UB_VIRTIO && str_starts(msg, "input address: ")) {
		u = unit_boot(f, dev, (size_t)(colon - dev), drivers[i].kind);
		if (u) {
			keep(&u->probe, m, true);
			u->input_bits = (unsigned)strtoul(msg + strlen("input address: "), NULL, 10);
		}
		return true;
	}
	if (drivers[i].kind == II_UB_VIRTIO && str_starts(msg, "page mask: ")) {
		u = unit_boot(f, dev, (size_t)(colon - dev), drivers[i].kind);
		if (u) {
			u->pgmask = strtoull(msg + strlen("page mask: "), NULL, 16);
			u->has_pgmask = true;
		}
		return true;
	}
	return false;
}

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
		unit_line(f, m);
	} else if (str_starts(t, "ITS [mem ") || (str_starts(t, "GICv3: ITS") && strstr(t, "[mem "))) {
		keep(&f->its, m, true);
	} else if (str_starts(t, "PCI/MSI: ITS@") || str_starts(t, "PCI/MSI: ITS ")) {
		keep(&f->its_pci, m, true);
	} else if (str_starts(t, "GICv2m: range[")) {
		keep(&f->gicv2m, m, true);
	} else if (strstr(t, ": deferred probe pending")) {
		keep(&f->deferred, m, true);
		f->ndeferred++;
	} else {
		unit_line(f, m);
	}
}

void ii_logfacts_free(struct ii_logfacts *f)
{
	struct ii_logline *lines[] = { &f->linux_version, &f->cmdline, &f->default_domain,
				       &f->policy, &f->forced_strict, &f->ir, &f->ir_disabled,
				       &f->vtd_init, &f->dmar_enabled, &f->dmar_disabled,
				       &f->dmar_haw, &f->amd_features, &f->amd_init, &f->smmu,
				       &f->debugfs_banner, &f->its, &f->its_pci, &f->gicv2m,
				       &f->deferred };

	for (size_t i = 0; i < II_ARRAY_SIZE(lines); i++)
		free(lines[i]->text);
	for (size_t i = 0; i < f->nubs; i++) {
		free(f->ubs[i].dev);
		free(f->ubs[i].probe.text);
		sl_free(&f->ubs[i].notes);
	}
	free(f->ubs);
	free(f->default_domain_word);
	free(f->policy_word);
	free(f->ir_mode);
	memset(f, 0, sizeof(*f));
}

void ii_smmu_feature_names(uint32_t features, struct strlist *out)
{
	/*
	 * The bits of the driver's smmu->features (ARM_SMMU_FEAT_*). Bits 0 to 15 have
	 * kept their meaning since the driver's first releases; the bits above were
	 * renumbered between kernel versions (BTM, E2H, SVA, nesting moved), so they
	 * are given by number, not guessed.
	 */
	static const char *const names[] = {
		"2-level stream table", "2-level CD table", "little-endian walks", "big-endian walks",
		"PRI", "ATS", "SEV", "MSI", "coherent walks", "stage 1", "stage 2", "stalls", "HYP",
		"stalls forced", "VAX (52-bit VA)", "range invalidation",
	};

	for (unsigned i = 0; i < 32; i++) {
		if (!((features >> i) & 1))
			continue;
		if (i < II_ARRAY_SIZE(names))
			sl_add(out, names[i]);
		else
			sl_add_owned(out, xasprintf("bit %u", i));
	}
}
