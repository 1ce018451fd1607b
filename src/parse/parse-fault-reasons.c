// SPDX-License-Identifier: MIT
/*
 * What fault codes mean: the Intel fault-reason strings (the same in every
 * kernel from 5.4 to 7.2, kernel-interfaces §5.2), AMD event types and flags
 * (§5.4), SMMUv3 event ids and SMMUv2 fault status bits (§5.5).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"

/* ------------------------------------------------------------------ Intel */

static const char *const intel_legacy[] = {
	[0x00] = "Software",
	[0x01] = "Present bit in root entry is clear",
	[0x02] = "Present bit in context entry is clear",
	[0x03] = "Invalid context entry",
	[0x04] = "Access beyond MGAW",
	[0x05] = "PTE Write access is not set",
	[0x06] = "PTE Read access is not set",
	[0x07] = "Next page table ptr is invalid",
	[0x08] = "Root table address invalid",
	[0x09] = "Context table ptr is invalid",
	[0x0a] = "non-zero reserved fields in RTP",
	[0x0b] = "non-zero reserved fields in CTP",
	[0x0c] = "non-zero reserved fields in PTE",
	[0x0d] = "PCE for translation request specifies blocking",
};

static const char *const intel_irq[] = {
	[0x00] = "Detected reserved fields in the decoded interrupt-remapped request",
	[0x01] = "Interrupt index exceeded the interrupt-remapping table size",
	[0x02] = "Present field in the IRTE entry is clear",
	[0x03] = "Error accessing interrupt-remapping table pointed by IRTA_REG",
	[0x04] = "Detected reserved fields in the IRTE entry",
	[0x05] = "Blocked a compatibility format interrupt request",
	[0x06] = "Blocked an interrupt request due to source-id verification failure",
};

/* Scalable mode, from 0x30; NULL entries print as "Unknown". */
static const char *const intel_sm[] = {
	[0x30 - 0x30] = "SM: Invalid Root Table Address",
	[0x31 - 0x30] = "SM: TTM 0 for request with PASID",
	[0x32 - 0x30] = "SM: TTM 0 for page group request",
	[0x38 - 0x30] = "SM: Error attempting to access Root Entry",
	[0x39 - 0x30] = "SM: Present bit in Root Entry is clear",
	[0x3a - 0x30] = "SM: Non-zero reserved field set in Root Entry",
	[0x40 - 0x30] = "SM: Error attempting to access Context Entry",
	[0x41 - 0x30] = "SM: Present bit in Context Entry is clear",
	[0x42 - 0x30] = "SM: Non-zero reserved field set in the Context Entry",
	[0x43 - 0x30] = "SM: Invalid Context Entry",
	[0x44 - 0x30] = "SM: DTE field in Context Entry is clear",
	[0x45 - 0x30] = "SM: PASID Enable field in Context Entry is clear",
	[0x46 - 0x30] = "SM: PASID is larger than the max in Context Entry",
	[0x47 - 0x30] = "SM: PRE field in Context-Entry is clear",
	[0x48 - 0x30] = "SM: RID_PASID field error in Context-Entry",
	[0x50 - 0x30] = "SM: Error attempting to access the PASID Directory Entry",
	[0x51 - 0x30] = "SM: Present bit in Directory Entry is clear",
	[0x52 - 0x30] = "SM: Non-zero reserved field set in PASID Directory Entry",
	[0x58 - 0x30] = "SM: Error attempting to access PASID Table Entry",
	[0x59 - 0x30] = "SM: Present bit in PASID Table Entry is clear",
	[0x5a - 0x30] = "SM: Non-zero reserved field set in PASID Table Entry",
	[0x5b - 0x30] = "SM: Invalid Scalable-Mode PASID Table Entry",
	[0x5c - 0x30] = "SM: ERE field is clear in PASID Table Entry",
	[0x5d - 0x30] = "SM: SRE field is clear in PASID Table Entry",
	[0x70 - 0x30] = "SM: Error attempting to access first-level paging entry",
	[0x71 - 0x30] = "SM: Present bit in first-level paging entry is clear",
	[0x72 - 0x30] = "SM: Non-zero reserved field set in first-level paging entry",
	[0x73 - 0x30] = "SM: Error attempting to access FL-PML4 entry",
	[0x74 - 0x30] = "SM: First-level entry address beyond MGAW in Nested translation",
	[0x75 - 0x30] = "SM: Read permission error in FL-PML4 entry in Nested translation",
	[0x76 - 0x30] = "SM: Read permission error in first-level paging entry in Nested translation",
	[0x77 - 0x30] = "SM: Write permission error in first-level paging entry in Nested translation",
	[0x78 - 0x30] = "SM: Error attempting to access second-level paging entry",
	[0x79 - 0x30] = "SM: Read/Write permission error in second-level paging entry",
	[0x7a - 0x30] = "SM: Non-zero reserved field set in second-level paging entry",
	[0x7b - 0x30] = "SM: Invalid second-level page table pointer",
	[0x7c - 0x30] = "SM: A/D bit update needed in second-level entry when set up in no snoop",
	[0x80 - 0x30] = "SM: Address in first-level translation is not canonical",
	[0x81 - 0x30] = "SM: U/S set 0 for first-level translation with user privilege",
	[0x82 - 0x30] = "SM: No execute permission for request with PASID and ER=1",
	[0x83 - 0x30] = "SM: Address beyond the DMA hardware max",
	[0x84 - 0x30] = "SM: Second-level entry address beyond the max",
	[0x85 - 0x30] = "SM: No write permission for Write/AtomicOp request",
	[0x86 - 0x30] = "SM: No read permission for Read/AtomicOp request",
	[0x87 - 0x30] = "SM: Invalid address-interrupt address",
	[0x90 - 0x30] = "SM: A/D bit update needed in first-level entry when set up in no snoop",
};

/* Append to a NUL-terminated buffer, truncating. */
static void ii_printf_like(3, 4) appendf(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strnlen(buf, size);
	va_list ap;

	if (n + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

/* Append s (m bytes) at buf[*n] (the end of what it holds), truncating; *n moves. */
static void put(char *buf, size_t size, size_t *n, const char *s, size_t m)
{
	if (*n + 1 >= size)
		return;
	if (m > size - *n - 1)
		m = size - *n - 1;
	memcpy(buf + *n, s, m);
	*n += m;
	buf[*n] = '\0';
}

const char *ii_intel_reason(unsigned code)
{
	if (code >= 0x20 && code < 0x20 + II_ARRAY_SIZE(intel_irq))
		return intel_irq[code - 0x20];
	if (code >= 0x30 && code < 0x30 + II_ARRAY_SIZE(intel_sm))
		return intel_sm[code - 0x30];
	if (code < II_ARRAY_SIZE(intel_legacy))
		return intel_legacy[code];
	return NULL;
}

/* -------------------------------------------------------------------- AMD */

/*
 * A string and its length: the AMD names and descriptions are looked up and
 * copied once per event, and a storm has many.
 */
struct sized {
	const char *s;
	unsigned char len;
};
#define SIZED(lit) { lit, sizeof(lit) - 1 }

static const struct sized amd_events[] = {
	[0x1] = SIZED("ILLEGAL_DEV_TABLE_ENTRY"),
	[0x2] = SIZED("IO_PAGE_FAULT"),
	[0x3] = SIZED("DEV_TAB_HARDWARE_ERROR"),
	[0x4] = SIZED("PAGE_TAB_HARDWARE_ERROR"),
	[0x5] = SIZED("ILLEGAL_COMMAND_ERROR"),
	[0x6] = SIZED("COMMAND_HARDWARE_ERROR"),
	[0x7] = SIZED("IOTLB_INV_TIMEOUT"),
	[0x8] = SIZED("INVALID_DEVICE_REQUEST"),
	[0x9] = SIZED("INVALID_PPR_REQUEST"),
	[0xd] = SIZED("RMP_PAGE_FAULT"),
	[0xe] = SIZED("RMP_HW_ERROR"),
};

static const struct sized amd_event_desc[] = {
	[0x1] = SIZED("the device table entry is invalid or has reserved bits set"),
	[0x2] = SIZED("DMA to an address the I/O page tables do not allow"),
	[0x3] = SIZED("hardware error reading the device table"),
	[0x4] = SIZED("hardware error reading the I/O page tables"),
	[0x5] = SIZED("the IOMMU was given an invalid command"),
	[0x6] = SIZED("hardware error reading the command buffer"),
	[0x7] = SIZED("a device did not answer an IOTLB invalidation in time"),
	[0x8] = SIZED("the device made a request it is not allowed to make"),
	[0x9] = SIZED("invalid page request (PPR)"),
	[0xd] = SIZED("SNP: the reverse map table refused the access"),
	[0xe] = SIZED("SNP: hardware error reading the reverse map table"),
};

const char *ii_amd_event_name(unsigned type)
{
	return type < II_ARRAY_SIZE(amd_events) ? amd_events[type].s : NULL;
}

static bool name_is(const char *want, const char *name, size_t len)
{
	return want && strlen(want) == len && !memcmp(want, name, len);
}

int ii_amd_event_type(const char *name, size_t len)
{
	/* the lengths first: most names differ in length from the one looked for */
	for (unsigned i = 0; i < II_ARRAY_SIZE(amd_events); i++)
		if (amd_events[i].s && amd_events[i].len == len && !memcmp(amd_events[i].s, name, len))
			return (int)i;
	return -1;
}

/* The IO_PAGE_FAULT flags (AMD IOMMU specification, event log). */
static const char *const amd_flags[] = { "GN", "NX", "US", "I", "PR", "RW", "PE", "RZ", "TR" };

void ii_amd_flag_names(uint32_t flags, const char *sep, char *buf, size_t size)
{
	if (!size)
		return;
	buf[0] = '\0';
	for (unsigned i = 0; i < II_ARRAY_SIZE(amd_flags); i++)
		if (flags & (1u << i))
			appendf(buf, size, "%s%s", buf[0] ? sep : "", amd_flags[i]);
	if ((flags >> 9) & 7)
		appendf(buf, size, "%sTYPE=%u", buf[0] ? sep : "", (unsigned)((flags >> 9) & 7));
}

void ii_amd_explain(unsigned type, bool has_flags, uint32_t flags, char *buf, size_t size)
{
	static const struct sized unknown = SIZED("UNKNOWN"),
		intr = SIZED("interrupt request blocked"),
		rsvd = SIZED("reserved bit or bad level in an I/O page table entry"),
		perm = SIZED("the page table entry does not allow this access"),
		notp = SIZED("no translation: the page is not mapped"),
		pres = SIZED("fault on a present page"),
		undecoded = SIZED("an event type the kernel does not decode");
	const struct sized *name = &unknown, *what;
	size_t n = 0;

	if (type < II_ARRAY_SIZE(amd_events) && amd_events[type].s)
		name = &amd_events[type];
	if (type == 0x2 && has_flags) {
		if (flags & 0x008)
			what = &intr;
		else if (flags & 0x080)
			what = &rsvd;
		else if (flags & 0x040)
			what = &perm;
		else if (!(flags & 0x010))
			what = &notp;
		else
			what = &pres;
	} else if (type < II_ARRAY_SIZE(amd_event_desc) && amd_event_desc[type].s) {
		what = &amd_event_desc[type];
	} else {
		what = &undecoded;
	}
	/* per fault, and a storm has many: no printf, no strlen, and the end kept, not searched */
	buf[0] = '\0';
	put(buf, size, &n, name->s, name->len);
	put(buf, size, &n, ": ", 2);
	put(buf, size, &n, what->s, what->len);
}

/* ------------------------------------------------------------ Arm SMMUv3 */

struct smmu_event {
	unsigned id;
	const char *name;
	const char *desc;
};

static const struct smmu_event smmu_events[] = {
	{ 0x01, "F_UUT", "unsupported upstream transaction" },
	{ 0x02, "C_BAD_STREAMID", "the stream id is out of range" },
	{ 0x03, "F_STE_FETCH", "error fetching the stream table entry" },
	{ 0x04, "C_BAD_STE", "the stream table entry is invalid" },
	{ 0x05, "F_BAD_ATS_TREQ", "ATS translation request refused" },
	{ 0x06, "F_STREAM_DISABLED", "the stream is disabled" },
	{ 0x07, "F_TRANSL_FORBIDDEN", "ATS-translated request forbidden" },
	{ 0x08, "C_BAD_SUBSTREAMID", "the substream id is invalid" },
	{ 0x09, "F_CD_FETCH", "error fetching the context descriptor" },
	{ 0x0a, "C_BAD_CD", "the context descriptor is invalid" },
	{ 0x0b, "F_WALK_EABT", "external abort during a table walk" },
	{ 0x10, "F_TRANSLATION", "no translation for the address" },
	{ 0x11, "F_ADDR_SIZE", "the address is out of range" },
	{ 0x12, "F_ACCESS", "access flag fault" },
	{ 0x13, "F_PERMISSION", "the page table entry does not allow this access" },
	{ 0x20, "F_TLB_CONFLICT", "TLB conflict" },
	{ 0x21, "F_CFG_CONFLICT", "configuration cache conflict" },
	{ 0x24, "E_PAGE_REQUEST", "page request" },
	{ 0x25, "F_VMS_FETCH", "error fetching the VMS" },
};

static const struct smmu_event *smmu_event(unsigned id)
{
	for (size_t i = 0; i < II_ARRAY_SIZE(smmu_events); i++)
		if (smmu_events[i].id == id)
			return &smmu_events[i];
	return NULL;
}

const char *ii_smmu_event_name(unsigned id)
{
	const struct smmu_event *e = smmu_event(id);

	return e ? e->name : NULL;
}

int ii_smmu_event_id(const char *name, size_t len)
{
	for (size_t i = 0; i < II_ARRAY_SIZE(smmu_events); i++)
		if (name_is(smmu_events[i].name, name, len))
			return (int)smmu_events[i].id;
	return -1;
}

const char *ii_smmu_event_desc(unsigned id)
{
	const struct smmu_event *e = smmu_event(id);

	return e ? e->desc : "an event id the kernel does not name";
}

/* ------------------------------------------------------------ Arm SMMUv2 */

static const struct {
	uint32_t bit;
	struct sized desc;
} smmu2_fsr[] = {
	{ 1u << 1, SIZED("translation fault") },
	{ 1u << 2, SIZED("access flag fault") },
	{ 1u << 3, SIZED("permission fault") },
	{ 1u << 4, SIZED("external fault") },
	{ 1u << 5, SIZED("TLB match conflict") },
	{ 1u << 6, SIZED("TLB lock fault") },
	{ 1u << 7, SIZED("address size fault") },
	{ 1u << 8, SIZED("unsupported upstream transaction") },
	{ 1u << 30, SIZED("stalled") },
	{ 1u << 31, SIZED("multiple faults") },
};

void ii_smmu2_fsr_explain(uint32_t fsr, char *buf, size_t size)
{
	size_t n = 0;

	if (!size)
		return;
	/* per fault, like ii_amd_explain(): the end kept, not searched */
	buf[0] = '\0';
	for (size_t i = 0; i < II_ARRAY_SIZE(smmu2_fsr); i++) {
		if (fsr & smmu2_fsr[i].bit) {
			if (n)
				put(buf, size, &n, ", ", 2);
			put(buf, size, &n, smmu2_fsr[i].desc.s, smmu2_fsr[i].desc.len);
		}
	}
	if (!n)
		put(buf, size, &n, "no fault bit set", 16);
}

/* ---------------------------------------------------------------- keys */

const char *ii_fault_kind_key(enum ii_fault_kind k)
{
	switch (k) {
	case II_FK_DMA:
		return "dma";
	case II_FK_INTR:
		return "interrupt";
	case II_FK_EVENT:
		return "event";
	}
	return "event";
}

const char *ii_access_key(unsigned access)
{
	if (access & II_ACC_INTR)
		return "interrupt";
	if (access & II_ACC_EXEC)
		return "exec";
	if (access & II_ACC_WRITE)
		return "write";
	if (access & II_ACC_READ)
		return "read";
	return NULL;
}

const char *ii_drop_kind_key(enum ii_drop_kind k)
{
	switch (k) {
	case II_DROP_SUPPRESSED:
		return "suppressed";
	case II_DROP_STATUS:
		return "status-only";
	case II_DROP_OVERFLOW:
		return "overflow";
	case II_DROP_LOST:
		return "lost-records";
	}
	return "lost-records";
}
