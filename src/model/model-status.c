// SPDX-License-Identifier: MIT
/*
 * Derive the effective state and its evidence (kernel-interfaces §9.2). The
 * sources, in decreasing reliability: group types, the units in sysfs, the
 * kernel log lines, the capability registers, the command line.
 */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "arm.h"
#include "dt.h"
#include "paths.h"

static void ev(struct ii_fact *f, const char *fmt, ...) ii_printf_like(2, 3);
static void ev(struct ii_fact *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sl_add_owned(&f->evidence, xvasprintf(fmt, ap));
	va_end(ap);
}

static void ii_fact_reset(struct ii_fact *f)
{
	free(f->value);
	f->value = NULL;
	sl_free(&f->evidence);
}

static void set(struct ii_fact *f, const char *v)
{
	free(f->value);
	f->value = v ? xstrdup(v) : NULL;
}

/* Quote a log line as evidence: kernel log #seq: "text" */
static void ev_log(struct ii_fact *f, const struct ii_logline *l)
{
	if (l->text)
		ev(f, "kernel log #%llu: \"%s\"", (unsigned long long)l->seq, l->text);
}

static char *disp(const struct ii_system *s, const char *rel)
{
	return ii_root_display(s->root, rel);
}

/* Evidence for a directory that could not be read: it says nothing about what it holds. */
static void ev_unreadable(struct ii_fact *f, const char *path, int err)
{
	ev(f, "%s cannot be read (%s): nothing is concluded from it%s", path, strerror(-err),
	   err == -EACCES || err == -EPERM ? "; run as root" : "");
}

static void acpi_evidence(const struct ii_system *s, struct ii_fact *f, const struct ii_acpi_table *t)
{
	char *rel = xasprintf(II_PATH_ACPI_TABLES "/%s", t->signature);
	char *path = disp(s, rel);

	if (t->err)
		ev(f, "ACPI %s table %s exists but cannot be read (%s)", t->signature, path,
		   strerror(-t->err));
	else if (t->hdr_valid)
		ev(f, "ACPI %s table %s: %zu bytes, revision %u, OEM \"%s\"", t->signature, path,
		   t->size, t->hdr.revision, t->hdr.oem_id);
	else
		ev(f, "ACPI %s table %s: %zu bytes (too short for a table)", t->signature, path, t->size);
	free(path);
	free(rel);
}

/* What the decoded tables describe, in one line each. */
static void acpi_summary(struct ii_fact *f, const struct ii_system *s)
{
	const struct ii_dmar *dm = s->dmar.dmar;
	const struct ii_ivrs *iv = s->ivrs.ivrs;

	if (dm && dm->have_body) {
		size_t drhd = 0, rmrr = 0;
		for (size_t i = 0; i < dm->n; i++) {
			drhd += dm->s[i].type == II_DMAR_DRHD;
			rmrr += dm->s[i].type == II_DMAR_RMRR;
		}
		ev(f, "ACPI DMAR describes %zu remapping unit%s (DRHD) and %zu reserved memory "
		      "region%s (RMRR); DMA_CTRL_PLATFORM_OPT_IN is %s", drhd, drhd == 1 ? "" : "s",
		   rmrr, rmrr == 1 ? "" : "s", dm->flags & II_DMAR_PLATFORM_OPT_IN ? "set" : "clear");
	}
	if (iv && iv->kernel_type) {
		size_t ivhd = 0, ivmd = 0;
		for (size_t i = 0; i < iv->n; i++) {
			ivhd += iv->b[i].kernel_uses;
			ivmd += iv->b[i].kind == II_IVRS_IVMD;
		}
		ev(f, "ACPI IVRS describes %zu IOMMU%s (IVHD type 0x%02x, the kernel's choice) and %zu "
		      "memory definition%s (IVMD)", ivhd, ivhd == 1 ? "" : "s", iv->kernel_type, ivmd,
		   ivmd == 1 ? "" : "s");
	}
}

/* IOMMU nodes of the device tree (with #iommu-cells). */
static size_t dt_iommus(const struct ii_system *s)
{
	size_t n = 0;

	for (size_t i = 0; s->dt && i < s->dt->n; i++)
		n += s->dt->nodes[i].has_iommu_cells;
	return n;
}

/* The first of them (dt_iommus() > 0). */
static const struct ii_dt_node *first_dt_iommu(const struct ii_system *s)
{
	for (size_t i = 0; i < s->dt->n; i++)
		if (s->dt->nodes[i].has_iommu_cells)
			return &s->dt->nodes[i];
	return NULL;
}

/*
 * The kind of an IOMMU node of the device tree by its first compatible
 * string (the drivers' match tables, 6.1: arm-smmu-v3.c "arm,smmu-v3";
 * arm-smmu.c "arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400", "arm,mmu-401",
 * "arm,mmu-500" and vendors' "<soc>-smmu-500" listed before them; the
 * virtio-iommu binding's "virtio,pci-iommu" and a virtio,mmio node), or
 * II_FWDRV_NONE for another IOMMU (its driver is not guessed).
 */
static enum ii_fwdrv dt_kind(const char *c)
{
	static const char *const v2[] = { "smmu-v1", "smmu-v2", "mmu-400", "mmu-401", "mmu-500" };

	if (!c)
		return II_FWDRV_NONE;
	if (strstr(c, "smmu-v3"))
		return II_FWDRV_DT_SMMU_V3;
	for (size_t i = 0; i < II_ARRAY_SIZE(v2); i++)
		if (strstr(c, v2[i]))
			return II_FWDRV_DT_SMMU;
	if (!strcmp(c, "virtio,pci-iommu") || !strcmp(c, "virtio,mmio") ||
	    !strncmp(c, "pci1af4,1057", 12))
		return II_FWDRV_DT_VIRTIO;
	return II_FWDRV_NONE;
}

enum ii_fwdrv ii_fw_iommu_without_driver(const struct ii_system *s)
{
	bool v3 = false, v2 = false;
	enum ii_fwdrv dt = II_FWDRV_NONE;

	if (s->nunits || s->units_err || s->units_unread)
		return II_FWDRV_NONE;
	if (s->viot.present)
		return II_FWDRV_VIRTIO;
	for (size_t i = 0; s->iort.iort && i < s->iort.iort->n; i++) {
		v3 |= s->iort.iort->nodes[i].type == II_IORT_SMMU_V3;
		v2 |= s->iort.iort->nodes[i].type == II_IORT_SMMU;
	}
	if (v3 || v2)
		return v3 ? II_FWDRV_SMMU_V3 : II_FWDRV_SMMU;
	/* the device tree's IOMMU nodes, the first one of a known kind */
	for (size_t i = 0; s->dt && i < s->dt->n && dt == II_FWDRV_NONE; i++)
		if (s->dt->nodes[i].has_iommu_cells)
			dt = dt_kind(s->dt->nodes[i].compatible);
	return dt;
}

const struct ii_fwdrv_info *ii_fwdrv_info(enum ii_fwdrv k)
{
	/* the drivers' Kconfig options and module names (drivers/iommu/, 6.1) */
	static const struct ii_fwdrv_info info[] = {
		[II_FWDRV_VIRTIO] = { "a virtio-iommu", "ACPI VIOT", "CONFIG_VIRTIO_IOMMU",
				      "virtio_iommu" },
		[II_FWDRV_SMMU_V3] = { "an SMMUv3", "ACPI IORT", "CONFIG_ARM_SMMU_V3", "arm_smmu_v3" },
		[II_FWDRV_SMMU] = { "an SMMUv1/v2", "ACPI IORT", "CONFIG_ARM_SMMU", "arm_smmu" },
		[II_FWDRV_DT_VIRTIO] = { "a virtio-iommu", "device tree", "CONFIG_VIRTIO_IOMMU",
					 "virtio_iommu" },
		[II_FWDRV_DT_SMMU_V3] = { "an SMMUv3", "device tree", "CONFIG_ARM_SMMU_V3",
					  "arm_smmu_v3" },
		[II_FWDRV_DT_SMMU] = { "an SMMUv1/v2", "device tree", "CONFIG_ARM_SMMU", "arm_smmu" },
	};

	return k > II_FWDRV_NONE && (size_t)k < II_ARRAY_SIZE(info) ? &info[k] : NULL;
}

/* What the IORT, VIOT or device tree describe, in one line each. */
static void arm_summary(struct ii_fact *f, const struct ii_system *s)
{
	const struct ii_iort *io = s->iort.iort;
	const struct ii_viot *vi = s->viot.viot;

	if (io) {
		size_t n[II_IORT_TYPE_MAX + 1] = { 0 };

		for (size_t i = 0; i < io->n; i++)
			if (io->nodes[i].type <= II_IORT_TYPE_MAX)
				n[io->nodes[i].type]++;
		ev(f, "ACPI IORT (revision %u) describes %zu SMMUv3, %zu SMMUv1/v2, %zu ITS group%s, "
		      "%zu root complex%s, %zu named component%s, %zu PMCG%s and %zu RMR%s",
		   io->hdr.revision, n[II_IORT_SMMU_V3], n[II_IORT_SMMU], n[II_IORT_ITS_GROUP],
		   n[II_IORT_ITS_GROUP] == 1 ? "" : "s", n[II_IORT_ROOT_COMPLEX],
		   n[II_IORT_ROOT_COMPLEX] == 1 ? "" : "es", n[II_IORT_NAMED_COMPONENT],
		   n[II_IORT_NAMED_COMPONENT] == 1 ? "" : "s", n[II_IORT_PMCG],
		   n[II_IORT_PMCG] == 1 ? "" : "s", n[II_IORT_RMR], n[II_IORT_RMR] == 1 ? "" : "s");
	}
	if (vi) {
		size_t iommus = 0, ranges = 0;

		for (size_t i = 0; i < vi->n; i++) {
			iommus += vi->nodes[i].type == II_VIOT_VIRTIO_PCI ||
				  vi->nodes[i].type == II_VIOT_VIRTIO_MMIO;
			ranges += vi->nodes[i].type == II_VIOT_PCI_RANGE ||
				  vi->nodes[i].type == II_VIOT_MMIO;
		}
		ev(f, "ACPI VIOT describes %zu virtio-iommu%s and %zu endpoint range%s", iommus,
		   iommus == 1 ? "" : "s", ranges, ranges == 1 ? "" : "s");
	}
	if (s->idmap.src == II_IDMAP_DT) {
		char *dt = disp(s, II_PATH_DEVICETREE);

		for (size_t i = 0; i < s->dt->n; i++)
			if (s->dt->nodes[i].has_iommu_cells)
				ev(f, "device tree %s%s: an IOMMU (%s)", dt, s->dt->nodes[i].path,
				   s->dt->nodes[i].compatible ? s->dt->nodes[i].compatible : "?");
		free(dt);
	}
}

static void derive_hardware(const struct ii_system *s, struct ii_status *st)
{
	struct ii_fact *f = &st->hardware;
	char *units = disp(s, II_PATH_IOMMU_UNITS);

	if (s->dmar.present)
		acpi_evidence(s, f, &s->dmar);
	if (s->ivrs.present)
		acpi_evidence(s, f, &s->ivrs);
	if (s->iort.present)
		acpi_evidence(s, f, &s->iort);
	if (s->viot.present)
		acpi_evidence(s, f, &s->viot);
	acpi_summary(f, s);
	arm_summary(f, s);
	if (!s->dmar.present && !s->ivrs.present && !s->iort.present && !s->viot.present) {
		char *tables = disp(s, II_PATH_ACPI_TABLES);
		if (s->idmap.src == II_IDMAP_DT)
			ev(f, "no DMAR, IVRS, IORT or VIOT table under %s: the device tree describes "
			      "the IOMMUs", tables);
		else
			ev(f, "no DMAR or IVRS table under %s", tables);
		free(tables);
	}
	if (s->units_err) {
		ev_unreadable(f, units, s->units_err);
	} else if (s->nunits) {
		struct strbuf sb = { 0 };
		for (size_t i = 0; i < s->nunits; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", s->units[i].name);
		ev(f, "%zu unit%s under %s: %s", s->nunits, s->nunits == 1 ? "" : "s", units, sb.buf);
		sb_free(&sb);
	} else if (!s->units_unread) {
		ev(f, "no units under %s%s", units, s->units_dir ? "" : " (the directory is absent)");
	}
	if (s->units_unread)
		ev(f, "%zu unit%s under %s cannot be read (%s)", s->units_unread,
		   s->units_unread == 1 ? "" : "s", units, strerror(-s->units_unread_err));
	if (s->dmar.present || s->ivrs.present || s->iort.present || s->viot.present || s->nunits ||
	    s->units_unread || (s->idmap.src == II_IDMAP_DT && dt_iommus(s)))
		set(f, "present");
	else if (!s->units_err && !s->dmar.err && !s->ivrs.err)
		set(f, "absent");
	/* else unknown: the places that would tell could not be read */
	free(units);
}

static void derive_active(const struct ii_system *s, struct ii_status *st)
{
	struct ii_fact *f = &st->active;
	char *groups = disp(s, II_PATH_IOMMU_GROUPS);

	size_t unread = 0;
	int err = 0;

	for (size_t i = 0; i < s->ngroups; i++)
		if (s->groups[i].err && !unread++)
			err = s->groups[i].err;
	if (s->groups_err)
		ev_unreadable(f, groups, s->groups_err);
	else if (s->ngroups)
		ev(f, "%zu group%s under %s", s->ngroups, s->ngroups == 1 ? "" : "s", groups);
	else
		ev(f, "no groups under %s%s", groups, s->groups_dir ? "" : " (the directory is absent)");
	if (unread)
		ev(f, "%zu of them cannot be read (%s)", unread, strerror(-err));
	ev_log(f, &s->log.vtd_init);
	ev_log(f, &s->log.amd_init);
	ev_log(f, &s->log.smmu);
	if (s->ngroups)
		set(f, "yes");
	else if (!s->groups_err)
		set(f, "no");
	free(groups);
}

static void derive_vendor(const struct ii_system *s, struct ii_status *st)
{
	struct ii_fact *f = &st->vendor;
	enum ii_vendor v = ii_system_vendor(s);
	const char *why = s->units_err || s->units_unread ? "the units cannot be read"
							  : "no unit registered";

	if (v != II_VENDOR_NONE) {
		for (size_t i = 0; i < s->nunits; i++)
			ev(f, "unit %s is %s", s->units[i].name, ii_vendor_name(s->units[i].vendor));
	} else if (s->dmar.present) {
		v = II_VENDOR_INTEL;
		ev(f, "ACPI DMAR table (%s)", why);
	} else if (s->ivrs.present) {
		v = II_VENDOR_AMD;
		ev(f, "ACPI IVRS table (%s)", why);
	} else if (s->iort.iort) {
		bool v3 = false;

		for (size_t i = 0; i < s->iort.iort->n; i++)
			v3 |= s->iort.iort->nodes[i].type == II_IORT_SMMU_V3;
		v = v3 ? II_VENDOR_ARM_SMMU_V3 : II_VENDOR_ARM_SMMU;
		ev(f, "ACPI IORT table (%s)", why);
	} else if (s->viot.present) {
		v = II_VENDOR_VIRTIO;
		ev(f, "ACPI VIOT table (%s)", why);
	}
	if (v == II_VENDOR_NONE && (s->units_err || s->units_unread)) {
		ev(f, "no DMAR or IVRS table, and the units cannot be read");
		set(f, NULL);
		return;
	}
	if (v == II_VENDOR_NONE)
		ev(f, "no IOMMU unit and no DMAR or IVRS table");
	set(f, ii_vendor_key(v));
}

static void derive_counts(const struct ii_system *s, struct ii_status *st)
{
	st->units = s->nunits + s->units_unread;
	st->units_unknown = s->units_err != 0;
	st->groups = s->ngroups;
	st->groups_unknown = s->groups_err != 0;
	st->devices_unknown = s->pci_err != 0;
	for (size_t i = 0; i < s->ndevices; i++) {
		const struct ii_device *d = s->devices[i];
		if (!d->is_pci || !d->present)
			continue;
		st->devices++;
		if (d->group >= 0)
			st->devices_in_groups++;
		else if (d->nogroup >= II_NOGROUP_GROUPS_UNREADABLE)
			st->devices_group_unknown++;
		else
			st->devices_without_group++;
	}
}

static bool param_set(const struct ii_system *s, const char *key, const char *val)
{
	char *v = s->cmdline ? ii_cmdline_get(s->cmdline, key) : NULL;
	bool hit = false;

	if (v && val) {
		/* comma lists: iommu=pt,... and intel_iommu=on,sm_on */
		size_t n = strlen(val);
		for (const char *p = v; *p;) {
			size_t len = strcspn(p, ",");
			if (len == n && !strncmp(p, val, n))
				hit = true;
			p += len;
			if (*p)
				p++;
		}
	} else {
		hit = v != NULL;
	}
	free(v);
	return hit;
}

static void derive_default_domain(const struct ii_system *s, struct ii_status *st)
{
	struct ii_fact *f = &st->default_domain;
	size_t counts[II_DOM_UNMANAGED + 1] = { 0 }, typed = 0, kinds = 0;
	enum ii_domtype only = II_DOM_UNKNOWN;
	char *path = disp(s, II_PATH_IOMMU_GROUPS "/*/type");

	for (size_t i = 0; i < s->ngroups; i++) {
		if (!s->groups[i].type)
			continue;
		typed++;
		if (counts[s->groups[i].domtype]++ == 0) {
			kinds++;
			only = s->groups[i].domtype;
		}
	}
	if (kinds == 1) {
		set(f, ii_domtype_name(only));
		ev(f, "%zu of %zu group%s %s type %s (%s)", counts[only], s->ngroups,
		   s->ngroups == 1 ? "" : "s", s->ngroups == 1 ? "has" : "have", ii_domtype_name(only), path);
	} else if (kinds > 1) {
		struct strbuf sb = { 0 };
		for (int t = 0; t <= II_DOM_UNMANAGED; t++)
			if (counts[t])
				sb_addf(&sb, "%s%zu %s", sb.len ? ", " : "", counts[t],
					ii_domtype_name((enum ii_domtype)t));
		set(f, "mixed");
		ev(f, "group types differ: %s (%s); a group's type can be changed at run time", sb.buf, path);
		sb_free(&sb);
	} else if (s->ngroups) {
		set(f, NULL);
		ev(f, "no group type could be read (%s): kernels before 5.4 have none", path);
	} else if (s->groups_err) {
		char *groups = disp(s, II_PATH_IOMMU_GROUPS);
		set(f, NULL);
		ev_unreadable(f, groups, s->groups_err);
		free(groups);
	} else {
		set(f, "none");
		ev(f, "no IOMMU group, so no default domain (the log line below is the kernel's policy, "
		      "printed even without an IOMMU)");
	}
	ev_log(f, &s->log.default_domain);

	st->default_from_cmdline = -1;
	if (s->log.default_domain.text)
		st->default_from_cmdline = s->log.default_domain_cmdline;
	if (param_set(s, "iommu", "pt") || param_set(s, "iommu", "nopt") ||
	    param_set(s, "iommu.passthrough", NULL)) {
		st->default_from_cmdline = 1;
		char *pt = s->cmdline ? ii_cmdline_get(s->cmdline, "iommu.passthrough") : NULL;

		ev(f, "the command line sets it: %s%s", pt ? "iommu.passthrough=" :
		   param_set(s, "iommu", "pt") ? "iommu=pt" : "iommu=nopt", pt ? pt : "");
		free(pt);
	} else if (s->log.policy_cmdline && f->value &&
		   (!strcmp(f->value, "DMA-FQ") ||
		    (!strcmp(f->value, "DMA") && !s->log.forced_strict.text))) {
		/* translated by default, but lazy or strict (the -FQ) as the command line says */
		st->default_from_cmdline = 1;
		ev(f, "the command line sets the invalidation policy (iommu.strict), which makes a "
		      "translated domain %s", f->value);
	}
	free(path);
}

static void derive_invalidation(const struct ii_system *s, struct ii_status *st)
{
	struct ii_fact *f = &st->invalidation;
	size_t dma = 0, fq = 0;
	bool old = s->kver && s->kver < 5015; /* DMA-FQ appeared in 5.15 */

	for (size_t i = 0; i < s->ngroups; i++) {
		dma += s->groups[i].domtype == II_DOM_DMA;
		fq += s->groups[i].domtype == II_DOM_DMA_FQ;
	}
	if (!s->ngroups && s->groups_err) {
		ev(f, "the IOMMU groups cannot be read, so their types are unknown");
	} else if (!s->ngroups) {
		set(f, "none");
		ev(f, "no IOMMU group, so nothing to invalidate");
	} else if (st->default_domain.value && !strcmp(st->default_domain.value, "identity")) {
		set(f, "none");
		ev(f, "pass-through (identity) domains do not translate, so no IOTLB invalidation "
		      "policy applies");
		return;
	} else if (fq && !dma) {
		set(f, "lazy");
		ev(f, "%zu group%s of type DMA-FQ (flush queue: lazy invalidation)", fq, fq == 1 ? "" : "s");
	} else if (dma && !fq && !old) {
		set(f, "strict");
		ev(f, "%zu group%s of type DMA (strict invalidation; lazy would show DMA-FQ)", dma,
		   dma == 1 ? "" : "s");
	} else if (dma && fq) {
		set(f, "mixed");
		ev(f, "%zu group%s of type DMA (strict) and %zu of type DMA-FQ (lazy)", dma,
		   dma == 1 ? "" : "s", fq);
	} else if (s->log.policy_word) {
		set(f, s->log.policy_word);
		if (old && dma)
			ev(f, "before 5.15 the group type DMA covers both policies; the log tells");
	}
	ev_log(f, &s->log.policy);
	if (s->log.forced_strict.text) {
		ev_log(f, &s->log.forced_strict);
		if (s->log.policy_word && !strcmp(s->log.policy_word, "lazy"))
			ev(f, "the driver found a virtual IOMMU and forced strict mode after the policy "
			      "line was printed");
	}
	if (param_set(s, "iommu.strict", NULL))
		ev(f, "the command line sets iommu.strict");
}

static void derive_intremap(const struct ii_system *s, struct ii_status *st)
{
	struct ii_fact *f = &st->intremap;
	char *irq = disp(s, II_PATH_INTERRUPTS);

	if (s->log.ir.text) {
		set(f, "enabled");
		ev_log(f, &s->log.ir);
		if (s->log.ir_mode)
			st->intremap_mode = xstrdup(s->log.ir_mode);
	}
	if (s->irq_read && s->irq.lines) {
		ev(f, "%u of %u interrupts in %s go through a remapping (IR-) chip", s->irq.remapped,
		   s->irq.lines, irq);
		if (!f->value)
			set(f, s->irq.remapped ? "enabled" : "disabled");
	}
	if (param_set(s, "intremap", "off") || param_set(s, "nointremap", NULL))
		ev(f, "the command line turns it off (intremap=off or nointremap)");
	if (s->dmar.dmar && s->dmar.dmar->have_body) {
		uint8_t fl = s->dmar.dmar->flags;
		ev(f, "ACPI DMAR flags 0x%02x: INTR_REMAP %s (the firmware %s interrupt remapping)%s",
		   fl, fl & II_DMAR_INTR_REMAP ? "set" : "clear",
		   fl & II_DMAR_INTR_REMAP ? "supports" : "does not support",
		   fl & II_DMAR_X2APIC_OPT_OUT ? "; X2APIC_OPT_OUT set (the firmware asks for xAPIC "
						 "mode)" : "");
	}
	free(irq);
}

/* An Arm system: an SMMU unit, an IORT, or a device tree that maps IDs to an IOMMU. */
static bool is_arm(const struct ii_system *s)
{
	for (size_t i = 0; i < s->nunits; i++)
		if (s->units[i].vendor == II_VENDOR_ARM_SMMU_V3 || s->units[i].vendor == II_VENDOR_ARM_SMMU)
			return true;
	return s->iort.present || (s->idmap.src == II_IDMAP_DT && dt_iommus(s));
}

/* MSI isolation on Arm: the GIC ITS tags each MSI with its device ID; GICv2m does not. */
static void derive_msi(const struct ii_system *s, struct ii_status *st)
{
	struct ii_fact *f = &st->msi_isolation;
	size_t its = 0, with_devid = 0, pci = 0;

	set(&st->intremap, "not-applicable");
	ev(&st->intremap, "Arm has no interrupt remapping: the GIC ITS isolates MSIs (see MSI "
			  "isolation)");
	if (s->iort.iort) {
		for (size_t i = 0; i < s->iort.iort->n; i++) {
			const struct ii_iort_node *nd = &s->iort.iort->nodes[i];

			if (nd->type != II_IORT_ITS_GROUP)
				continue;
			its += nd->nits;
			ev(f, "ACPI IORT ITS group at 0x%x: %zu ITS%s", nd->offset, nd->nits,
			   nd->nits == 1 ? "" : "s");
		}
	}
	for (size_t i = 0; s->dt && i < s->dt->n; i++) {
		const struct ii_dt_node *nd = &s->dt->nodes[i];

		if (nd->msi_controller && nd->compatible && strstr(nd->compatible, "its")) {
			char *dt = disp(s, II_PATH_DEVICETREE);

			its++;
			ev(f, "device tree %s%s: an MSI controller (%s)", dt, nd->path, nd->compatible);
			free(dt);
		}
	}
	for (size_t j = 0; j < s->idmap.n; j++) {
		pci += s->idmap.e[j].is_pci;
		with_devid += s->idmap.e[j].is_pci && s->idmap.e[j].has_devid;
	}
	if (pci)
		ev(f, "%zu of %zu PCI devices have an ITS device ID (%s mappings)", with_devid, pci,
		   s->idmap.src == II_IDMAP_DT ? "device tree msi-map" : "IORT");
	ev_log(f, &s->log.its);
	ev_log(f, &s->log.its_pci);
	ev_log(f, &s->log.gicv2m);
	if (its || s->log.its.text)
		set(f, "its");
	else if (s->log.gicv2m.text || (s->iort.iort && !its))
		set(f, "none");
	if (f->value && !strcmp(f->value, "none"))
		ev(f, "without an ITS, MSIs are not isolated: VFIO refuses to assign devices unless "
		      "vfio_iommu_type1.allow_unsafe_interrupts=1");
}

/* An Arm SMMU: a unit, an IORT SMMU node, or a device-tree SMMU (not a virtio-iommu alone). */
static bool has_smmu(const struct ii_system *s)
{
	for (size_t i = 0; i < s->nunits; i++)
		if (s->units[i].vendor == II_VENDOR_ARM_SMMU_V3 || s->units[i].vendor == II_VENDOR_ARM_SMMU)
			return true;
	for (size_t i = 0; s->iort.iort && i < s->iort.iort->n; i++)
		if (s->iort.iort->nodes[i].type == II_IORT_SMMU_V3 ||
		    s->iort.iort->nodes[i].type == II_IORT_SMMU)
			return true;
	for (size_t i = 0; s->dt && i < s->dt->n; i++)
		if (s->dt->nodes[i].has_iommu_cells && s->dt->nodes[i].compatible &&
		    strstr(s->dt->nodes[i].compatible, "smmu"))
			return true;
	return false;
}

/* The SMMU's handling of streams with no domain, and pass-through by default. */
static void derive_bypass(const struct ii_system *s, struct ii_status *st)
{
	struct ii_fact *f = &st->smmu_bypass;
	char *v = s->cmdline ? ii_cmdline_get(s->cmdline, "arm-smmu-v3.disable_bypass") : NULL;
	char *v2 = s->cmdline ? ii_cmdline_get(s->cmdline, "arm-smmu.disable_bypass") : NULL;
	const char *val = v ? v : v2;

	if (val && (!strcmp(val, "0") || !strcmp(val, "n") || !strcmp(val, "N"))) {
		set(f, "bypass");
		ev(f, "the command line sets %s=%s: DMA of a stream with no domain passes the SMMU "
		      "untranslated", v ? "arm-smmu-v3.disable_bypass" : "arm-smmu.disable_bypass", val);
	} else if (val) {
		set(f, "abort");
		ev(f, "the command line sets %s=%s: DMA of a stream with no domain is aborted",
		   v ? "arm-smmu-v3.disable_bypass" : "arm-smmu.disable_bypass", val);
	} else if (s->cmdline) {
		set(f, "abort");
		ev(f, "no disable_bypass on the command line: the drivers' default (1) aborts DMA of a "
		      "stream with no domain");
	}
	if (param_set(s, "iommu.passthrough", "1") || param_set(s, "iommu.passthrough", "y") ||
	    param_set(s, "iommu", "pt"))
		ev(f, "the command line asks for pass-through default domains (iommu.passthrough=1 or "
		      "iommu=pt): attached devices are not translated either");
	else if (st->default_domain.value && !strcmp(st->default_domain.value, "identity"))
		ev(f, "the groups have identity domains: their devices are not translated");
	free(v);
	free(v2);
}

static void derive_log(const struct ii_system *s, struct ii_status *st)
{
	struct ii_fact *f = &st->kernel_log;
	char *path = disp(s, II_PATH_KMSG);

	if (s->log_err) {
		set(f, "unavailable");
		ev(f, "%s: %s", path, s->log_err == -ENODATA ? "empty" : strerror(-s->log_err));
	} else if (!s->log.linux_version.text) {
		set(f, "partial");
		ev(f, "%zu records from %s, oldest #%llu: the boot messages were overwritten, so facts "
		      "only they state are unknown (journalctl -k -b may still have them)",
		   s->log.records, path, (unsigned long long)s->log.first_seq);
	} else {
		set(f, "complete");
		ev(f, "%zu records from %s, from boot on", s->log.records, path);
	}
	free(path);
}

static void advise(const struct ii_system *s, struct ii_status *st)
{
	bool intel_on = param_set(s, "intel_iommu", "on");
	bool intel_off = param_set(s, "intel_iommu", "off");
	bool amd_off = param_set(s, "amd_iommu", "off");
	const struct ii_fwdrv_info *fw = ii_fwdrv_info(ii_fw_iommu_without_driver(s));
	size_t ndt = dt_iommus(s);
	const struct ii_dt_node *dt0 = ndt ? first_dt_iommu(s) : NULL; /* the first of them */

	if (s->groups_err || s->units_err || s->pci_err) {
		char *g = disp(s, s->groups_err ? II_PATH_IOMMU_GROUPS : s->units_err ? II_PATH_IOMMU_UNITS
										 : II_PATH_PCI_DEVICES);
		int err = s->groups_err ? s->groups_err : s->units_err ? s->units_err : s->pci_err;
		sl_add_owned(&st->advice, xasprintf("%s cannot be read (%s): what it holds is "
						    "unknown, not absent%s", g, strerror(-err),
						    err == -EACCES || err == -EPERM ?
						    "; run iommu-inspect as root" : ""));
		free(g);
	}
	if (!st->groups && !s->groups_err) {
		if (s->dmar.present && intel_off)
			sl_add(&st->advice, "the firmware describes VT-d but intel_iommu=off disables it: "
					    "remove intel_iommu=off from the kernel command line");
		else if (s->dmar.present)
			sl_add(&st->advice, "the firmware describes VT-d but no IOMMU group exists: boot "
					    "with intel_iommu=on (the kernel's default may be off)");
		else if (s->ivrs.present && amd_off)
			sl_add(&st->advice, "the firmware describes AMD-Vi but amd_iommu=off disables it: "
					    "remove it from the kernel command line");
		else if (s->ivrs.present)
			sl_add(&st->advice, "the firmware describes AMD-Vi but no IOMMU group exists: "
					    "check the kernel log for AMD-Vi errors");
		else if (fw && s->log.ndeferred)
			/*
			 * a kernel with the driver as a module that was not loaded (Debian's
			 * 6.12 and virtio_iommu): every device the table maps waits for it,
			 * "deferred probe pending", and no driver binds them (no disk, no
			 * network)
			 */
			sl_add_owned(&st->advice,
				     xasprintf("the firmware describes %s (%s) but no driver registered "
					       "it, and the kernel holds back the drivers of %zu device%s "
					       "until one does (kernel log #%llu: \"%s\"): load the %s "
					       "module (modprobe %s; udev does it at boot), or build the "
					       "kernel with %s", fw->what, fw->table, s->log.ndeferred,
					       s->log.ndeferred == 1 ? "" : "s",
					       (unsigned long long)s->log.deferred.seq, s->log.deferred.text,
					       fw->module, fw->module, fw->option));
		else if (fw)
			/* a guest whose kernel has no virtio-iommu driver: Debian 12's amd64 one is
			   built without CONFIG_VIRTIO_IOMMU (its arm64 one has it); an Arm kernel
			   without its SMMU driver */
			sl_add_owned(&st->advice,
				     xasprintf("the firmware describes %s (%s) but no driver registered "
					       "it: the kernel needs %s (the %s module, loaded before the "
					       "devices' drivers), which some distribution kernels lack",
					       fw->what, fw->table, fw->option, fw->module));
		else if (intel_on || s->log.dmar_enabled.text)
			sl_add(&st->advice, "intel_iommu=on is set (the log's \"DMAR: IOMMU enabled\" only "
					    "echoes it) but the firmware has no DMAR table: enable VT-d "
					    "(or \"IOMMU\") in the firmware setup");
		else if (dt0 && !s->nunits && !s->units_err && !s->units_unread)
			/* an IOMMU of the device tree whose driver is not known here (Apple DART,
			   Rockchip, MediaTek...): not VT-d */
			sl_add_owned(&st->advice,
				     xasprintf("the device tree describes %zu IOMMU node%s (#iommu-cells; "
					       "the first: %s, compatible \"%s\") but no driver registered "
					       "%s: the kernel needs the driver for that compatible",
					       ndt, ndt == 1 ? "" : "s", dt0->path,
					       dt0->compatible ? dt0->compatible : "none",
					       ndt == 1 ? "it" : "them"));
		else if (!s->nunits && !s->units_err && !s->units_unread)
			sl_add(&st->advice, "no IOMMU was found: enable VT-d / AMD-Vi (\"IOMMU\") in the "
					    "firmware setup and boot with intel_iommu=on on Intel");
	}
	if (st->devices_without_group && st->groups) {
		size_t iommu_fns = 0;
		for (size_t i = 0; i < s->ndevices; i++) {
			const struct ii_device *d = s->devices[i];
			if (d->is_pci && d->present && d->nogroup == II_NOGROUP_IOMMU_FUNCTION)
				iommu_fns++;
		}
		/* the counts line says "N in none" with them: the advice says why its N is less */
		if (st->devices_without_group > iommu_fns)
			sl_add_owned(&st->advice,
				     xasprintf("%zu PCI device%s in no IOMMU group%s: see `iommu-inspect "
					       "devices`", st->devices_without_group - iommu_fns,
					       st->devices_without_group - iommu_fns == 1 ? " is" : "s are",
					       iommu_fns == 0 ? "" : iommu_fns == 1 ?
					       ", besides the IOMMU's own function" :
					       ", besides the IOMMUs' own functions"));
	}
	for (size_t i = 0; s->iort.iort && s->iort.cover && i < s->iort.iort->n; i++) {
		const struct ii_acpi_cover *c = &s->iort.cover[i];

		for (size_t k = 0; s->iort.iort->nodes[i].type == II_IORT_RMR && k < c->ndevs; k++)
			sl_add_owned(&st->advice,
				     xasprintf("%s (IOMMU group %d) is covered by a firmware RMR (IORT "
					       "node at 0x%x)%s (`iommu-inspect acpi iort` shows it)",
					       c->pins[k].dev->name, c->pins[k].dev->group,
					       s->iort.iort->nodes[i].offset, c->pins[k].ineligible ?
					       ": it must keep its identity mapping, so VFIO cannot "
					       "assign it" : c->pins[k].relaxable ? ": remapping is "
					       "permitted, so it can still be assigned" : ": the kernel "
					       "keeps its range mapped in every domain"));
	}
	for (size_t i = 0; i < s->ndevices && !s->iort.iort; i++) {
		const struct ii_device *d = s->devices[i];
		if (d->rmrr && d->group >= 0 && !ii_rmrr_relaxable(d) &&
		    !((d->valid & II_DV_CLASS) && (d->class_code >> 16) == 0x06))
			sl_add_owned(&st->advice,
				     xasprintf("%s (IOMMU group %d) is pinned by a firmware RMRR: VFIO "
					       "cannot assign it or its group (`iommu-inspect acpi dmar` "
					       "shows the RMRR)", d->name, d->group));
	}
	if (param_set(s, "pcie_acs_override", NULL))
		sl_add(&st->advice, "pcie_acs_override is set: groups are split by a kernel patch, not "
				    "by hardware isolation; devices in different groups may still reach "
				    "each other");
}

/* The verdict of each value a fact can take (the values are the JSON's documented keys). */
static const struct {
	size_t fact;      /* offsetof the fact in struct ii_status */
	const char *value;
	enum ii_verdict verdict;
} verdicts[] = {
	{ offsetof(struct ii_status, hardware), "present", II_VERDICT_GOOD },
	{ offsetof(struct ii_status, hardware), "absent", II_VERDICT_BAD },
	{ offsetof(struct ii_status, active), "yes", II_VERDICT_GOOD },
	{ offsetof(struct ii_status, active), "no", II_VERDICT_BAD },
	{ offsetof(struct ii_status, default_domain), "DMA", II_VERDICT_GOOD },
	{ offsetof(struct ii_status, default_domain), "DMA-FQ", II_VERDICT_GOOD },
	{ offsetof(struct ii_status, default_domain), "identity", II_VERDICT_NOTICE },
	{ offsetof(struct ii_status, default_domain), "mixed", II_VERDICT_NOTICE },
	{ offsetof(struct ii_status, invalidation), "strict", II_VERDICT_GOOD },
	{ offsetof(struct ii_status, invalidation), "lazy", II_VERDICT_NOTICE },
	{ offsetof(struct ii_status, invalidation), "mixed", II_VERDICT_NOTICE },
	{ offsetof(struct ii_status, intremap), "enabled", II_VERDICT_GOOD },
	{ offsetof(struct ii_status, intremap), "disabled", II_VERDICT_BAD },
	{ offsetof(struct ii_status, kernel_log), "complete", II_VERDICT_GOOD },
	{ offsetof(struct ii_status, kernel_log), "partial", II_VERDICT_NOTICE },
	{ offsetof(struct ii_status, kernel_log), "unavailable", II_VERDICT_BAD },
};

static void judge(struct ii_status *st)
{
	for (size_t i = 0; i < II_ARRAY_SIZE(verdicts); i++) {
		struct ii_fact *f = (struct ii_fact *)((char *)st + verdicts[i].fact);

		if (f->value && !strcmp(f->value, verdicts[i].value))
			f->verdict = verdicts[i].verdict;
	}
}

void ii_status_derive(const struct ii_system *s, struct ii_status *st)
{
	memset(st, 0, sizeof(*st));
	derive_counts(s, st);
	derive_hardware(s, st);
	derive_active(s, st);
	derive_vendor(s, st);
	derive_default_domain(s, st);
	derive_invalidation(s, st);
	derive_intremap(s, st);
	st->arm = is_arm(s);
	if (st->arm) {
		ii_fact_reset(&st->intremap);
		free(st->intremap_mode);
		st->intremap_mode = NULL;
		derive_msi(s, st);
		if (has_smmu(s))
			derive_bypass(s, st);
	}
	derive_log(s, st);
	if (s->cmdline) {
		ii_cmdline_relevant(s->cmdline, &st->params);
		st->params_source = s->cmdline_from_log ? "kernel log" : II_PATH_CMDLINE;
	}
	advise(s, st);
	judge(st);
}

void ii_status_free(struct ii_status *st)
{
	struct ii_fact *facts[] = { &st->hardware, &st->active, &st->vendor, &st->default_domain,
				    &st->invalidation, &st->intremap, &st->kernel_log,
				    &st->msi_isolation, &st->smmu_bypass };

	for (size_t i = 0; i < II_ARRAY_SIZE(facts); i++) {
		free(facts[i]->value);
		sl_free(&facts[i]->evidence);
	}
	free(st->intremap_mode);
	sl_free(&st->params);
	sl_free(&st->advice);
	memset(st, 0, sizeof(*st));
}
