// SPDX-License-Identifier: MIT
/*
 * Named fields of the IOMMU capability registers that sysfs exposes:
 * Intel CAP/ECAP (kernel-interfaces §2.8, as intel/iommu.h encodes them),
 * AMD EFR/EFR2 (§3) and the AMD IOMMU capability header dword (amd-iommu/cap).
 * One table per register drives both the text and the JSON output.
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"

#define F(n, l, h, d) { n, l, h, d }

static const struct ii_field intel_cap[] = {
	F("ND", 0, 2, "number of domain ids"),
	F("AFL", 3, 3, "advanced fault logging"),
	F("RWBF", 4, 4, "required write-buffer flushing"),
	F("PLMR", 5, 5, "protected low-memory region"),
	F("PHMR", 6, 6, "protected high-memory region"),
	F("CM", 7, 7, "caching mode: a virtual (emulated) IOMMU"),
	F("SAGAW", 8, 12, "supported adjusted guest address widths"),
	F("MGAW", 16, 21, "maximum guest address width"),
	F("ZLR", 22, 22, "zero-length reads"),
	F("ISOCH", 23, 23, "isochronous"),
	F("FRO", 24, 33, "fault-recording register offset"),
	F("SLLPS", 34, 37, "second-level large pages"),
	F("PSI", 39, 39, "page-selective invalidation"),
	F("NFR", 40, 47, "number of fault-recording registers"),
	F("MAMV", 48, 53, "maximum address mask value"),
	F("DWD", 54, 54, "write draining"),
	F("DRD", 55, 55, "read draining"),
	F("FL1GP", 56, 56, "first-level 1 GiB pages"),
	F("PI", 59, 59, "posted interrupts"),
	F("FL5LP", 60, 60, "first-level 5-level paging"),
	F("ESIRTPS", 62, 62, "enhanced set interrupt root table pointer"),
	F("ESRTPS", 63, 63, "enhanced set root table pointer"),
};

static const struct ii_field intel_ecap[] = {
	F("C", 0, 0, "page-walk coherency"),
	F("QI", 1, 1, "queued invalidation"),
	F("DT", 2, 2, "device TLB (ATS)"),
	F("IR", 3, 3, "interrupt remapping"),
	F("EIM", 4, 4, "extended interrupt mode (x2APIC)"),
	F("PT", 6, 6, "pass-through"),
	F("SC", 7, 7, "snoop control"),
	F("IRO", 8, 17, "IOTLB register offset"),
	F("MHMV", 20, 23, "maximum handle mask value"),
	F("MTS", 25, 25, "memory type support"),
	F("NEST", 26, 26, "nested translation"),
	F("DIS", 27, 27, "deferred invalidate"),
	F("PRS", 29, 29, "page requests (PRI)"),
	F("ERS", 30, 30, "execute requests"),
	F("SRS", 31, 31, "supervisor requests"),
	F("NWFS", 33, 33, "no write flag"),
	F("EAFS", 34, 34, "extended accessed flag"),
	F("PSS", 35, 39, "PASID size"),
	F("PASID", 40, 40, "process address space ids"),
	F("DIT", 41, 41, "device TLB invalidation throttling"),
	F("PDS", 42, 42, "page-request drain"),
	F("SMTS", 43, 43, "scalable-mode translation"),
	F("SLADS", 45, 45, "second-level accessed/dirty"),
	F("SLTS", 46, 46, "second-level translation"),
	F("FLTS", 47, 47, "first-level translation"),
	F("SMPWCS", 48, 48, "scalable-mode page-walk coherency"),
	F("RPS", 49, 49, "RID-PASID support"),
	F("PMS", 51, 51, "performance monitoring"),
};

static const struct ii_field amd_efr[] = {
	F("PreF", 0, 0, "prefetch"),
	F("PPR", 1, 1, "peripheral page requests"),
	F("X2APIC", 2, 2, "x2APIC"),
	F("NX", 3, 3, "no-execute"),
	F("GT", 4, 4, "guest translation"),
	F("IA", 6, 6, "invalidate all"),
	F("GA", 7, 7, "guest virtual APIC"),
	F("HE", 8, 8, "hardware error registers"),
	F("PC", 9, 9, "performance counters"),
	F("HATS", 10, 11, "host address translation size"),
	F("GATS", 12, 13, "guest address translation size"),
	F("GLX", 14, 15, "guest CR3 root table levels"),
	F("GAM_VAPIC", 21, 21, "guest virtual APIC mode"),
	F("PASMAX", 32, 36, "maximum PASID size"),
	F("GIOSup", 48, 48, "guest I/O protection"),
	F("HASup", 49, 49, "host access"),
	F("EPHSup", 50, 50, "enhanced PPR handling"),
	F("HDSup", 52, 52, "host dirty"),
	F("SNP", 63, 63, "SEV-SNP"),
};

static const struct ii_field amd_efr2[] = {
	F("SEVTIO", 1, 1, "SEV-TIO / SNP-IO"),
	F("GCR3TRPMode", 3, 3, "GCR3 table root pointer mode"),
	F("SNPAVICSup", 5, 7, "SNP AVIC support"),
	F("NumIntRemapSup", 8, 9, "number of interrupt remapping entries"),
	F("HTRangeIgnore", 11, 11, "HyperTransport range ignore"),
};

static const struct ii_field amd_caphdr[] = {
	F("CapID", 0, 7, "capability id (0x0f)"),
	F("CapPtr", 8, 15, "next capability"),
	F("CapType", 16, 18, "capability type (3)"),
	F("CapRev", 19, 23, "capability revision"),
	F("IotlbSup", 24, 24, "remote IOTLB (ATS)"),
	F("HtTunnel", 25, 25, "HyperTransport tunnel"),
	F("NpCache", 26, 26, "not-present entries cached: a virtual IOMMU"),
	F("EFRSup", 27, 27, "extended feature register"),
	F("CapExt", 28, 28, "capability extensions"),
};

#define REG(var, name, tbl) const struct ii_regdesc var = { name, tbl, II_ARRAY_SIZE(tbl) }
REG(ii_intel_cap, "cap", intel_cap);
REG(ii_intel_ecap, "ecap", intel_ecap);
REG(ii_amd_efr, "efr", amd_efr);
REG(ii_amd_efr2, "efr2", amd_efr2);
REG(ii_amd_caphdr, "amd_cap", amd_caphdr);

uint64_t ii_field_get(uint64_t reg, const struct ii_field *f)
{
	unsigned width = (unsigned)(f->hi - f->lo + 1);

	reg >>= f->lo;
	return width >= 64 ? reg : reg & ((UINT64_C(1) << width) - 1);
}

static bool is(const struct ii_regdesc *rd, const struct ii_regdesc *want, const struct ii_field *f,
	       const char *name)
{
	return rd == want && f->name[0] == name[0] && strcmp(f->name, name) == 0;
}

char *ii_field_explain(const struct ii_regdesc *rd, const struct ii_field *f, uint64_t v)
{
	if (is(rd, &ii_intel_cap, f, "ND"))
		return v <= 6 ? xasprintf("%llu domain ids", 1ULL << (4 + 2 * v)) : NULL;
	if (is(rd, &ii_intel_cap, f, "SAGAW")) {
		struct strbuf sb = { 0 };
		static const char *const w[] = { "30-bit/2-level", "39-bit/3-level", "48-bit/4-level",
						 "57-bit/5-level", "64-bit/6-level" };
		for (unsigned i = 0; i < 5; i++)
			if (v & (1u << i))
				sb_addf(&sb, "%s%s", sb.len ? ", " : "", w[i]);
		return sb.len ? sb_detach(&sb) : NULL;
	}
	if (is(rd, &ii_intel_cap, f, "MGAW"))
		return xasprintf("%llu-bit", (unsigned long long)v + 1);
	if (is(rd, &ii_intel_cap, f, "FRO"))
		return xasprintf("registers at 0x%llx", (unsigned long long)v * 16);
	if (is(rd, &ii_intel_cap, f, "NFR"))
		return xasprintf("%llu fault-recording register%s", (unsigned long long)v + 1, v ? "s" : "");
	if (is(rd, &ii_intel_cap, f, "SLLPS")) {
		if (!v)
			return xstrdup("4 KiB pages only");
		return xasprintf("%s%s%s", v & 1 ? "2 MiB" : "", (v & 3) == 3 ? ", " : "",
				 v & 2 ? "1 GiB" : "");
	}
	if (is(rd, &ii_intel_ecap, f, "IRO"))
		return xasprintf("registers at 0x%llx", (unsigned long long)v * 16);
	if (is(rd, &ii_intel_ecap, f, "PSS") && v)
		return xasprintf("%llu-bit PASIDs", (unsigned long long)v + 1);
	if (is(rd, &ii_amd_efr, f, "HATS"))
		return v < 3 ? xasprintf("%llu-level host page tables", (unsigned long long)v + 4) : NULL;
	if (is(rd, &ii_amd_efr, f, "PASMAX") && v)
		return xasprintf("%llu-bit PASIDs", (unsigned long long)v + 1);
	return NULL;
}
