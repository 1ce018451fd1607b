/* SPDX-License-Identifier: MIT */
/*
 * IOMMU faults in the kernel log (kernel-interfaces §5.2-§5.5).
 *
 *  - the line parser (src/parse-fault.c): one line of
 *    log text in, what it says about faults out; pure and stateless;
 *  - the assembler (src/parse-fault-asm.c): joins the lines of faults that the
 *    kernel prints over several lines or records (Intel 2.6/3.x, AMD 4.x split
 *    records, SMMUv3 event dumps), counts ratelimit suppressions and status
 *    lines without their fault, and notices lost records; pure, stateful;
 *  - the reason tables (src/parse/parse-fault-reasons.c).
 * Attribution, the summary and the filters are the model's
 * (include/model/faults.h).
 */
#ifndef II_FAULT_H
#define II_FAULT_H

#include "logtext.h"
#include "parse.h"

struct ii_device;

enum ii_fault_kind {
	II_FK_DMA,   /* a memory request was blocked */
	II_FK_INTR,  /* an interrupt request was blocked (Intel interrupt remapping) */
	II_FK_EVENT, /* another event of the IOMMU (AMD event log, SMMU configuration errors) */
};
const char *ii_fault_kind_key(enum ii_fault_kind k); /* "dma", "interrupt", "event" */

/* ii_fault.access bits; 0 is unknown */
enum {
	II_ACC_READ = 1 << 0,
	II_ACC_WRITE = 1 << 1,
	II_ACC_EXEC = 1 << 2,
	II_ACC_INTR = 1 << 3,
};
/* "read", "write", "exec", "interrupt", or NULL when unknown */
const char *ii_access_key(unsigned access);

/* Where a line was logged. */
struct ii_logpos {
	bool has_seq, has_usec;
	uint64_t seq;       /* /dev/kmsg sequence number */
	uint64_t usec;      /* time since boot */
	uint64_t lineno;    /* line of a text log (1-based), 0 for records */
	char wall[40];      /* wall-clock time as a text log gave it, "" if none */
};

#define II_FAULT_MSG_MAX 400
#define II_FAULT_REASON_MAX 112

struct ii_fault {
	struct ii_logpos pos;
	enum ii_vendor vendor;
	enum ii_fault_kind kind;
	bool has_bdf, seg_known;  /* seg_known: the kernel printed the PCI segment */
	struct ii_bdf bdf;        /* the requester */
	unsigned access;          /* II_ACC_*; 0 unknown */
	int priv;                 /* 1 privileged, 0 unprivileged, -1 unknown */
	bool has_pasid, has_addr, has_index, has_reason, has_flags, has_domain, has_sid, has_ssid;
	uint32_t pasid;
	uint64_t addr;            /* the faulting (page) address */
	uint64_t index;           /* Intel interrupt remapping: the interrupt index */
	unsigned reason_code;     /* Intel fault reason, AMD event type, SMMUv3 event id, SMMUv2 FSR */
	const char *event;        /* the AMD or SMMU event name, or NULL */
	uint32_t flags;           /* AMD event flags, SMMUv2 FSYNR0 */
	uint32_t domain;          /* AMD domain id */
	uint32_t sid, ssid;       /* Arm stream and substream ids */
	bool complete;            /* false: a record split over lines lost its second part */
	uint64_t suppressed_before; /* ratelimit callbacks suppressed just before it (same vendor) */
	/* the text fields last: the line parser clears the fields before them, and their first bytes */
	char unit[48];            /* the IOMMU unit the line names (ivhd0, arm-smmu-v3.0.auto), or "" */
	char client[64];          /* a requester named other than by PCI address, or "" */
	char reason[II_FAULT_REASON_MAX];
	char msg[II_FAULT_MSG_MAX]; /* the log text, lines joined by '\n', truncated (by the assembler) */

	/* Filled by ii_fault_attribute(); unknown when there is no model. */
	int group;                /* -1: unknown */
	const struct ii_device *dev;
	/* no dev: the bridge whose DMA alias the requester ID is (group: the bridge's) */
	const struct ii_device *via;
	/*
	 * What the IOMMU's page tables say about the address (unmapped, read-only,
	 * in a reserved region, in an RMRR), to be filled from debugfs by a later
	 * check; "" when nothing is known. Renderers show it only when set.
	 */
	char annotation[96];
};

/* What the log says about faults that were not printed. */
enum ii_drop_kind {
	II_DROP_SUPPRESSED, /* "<function>: N callbacks suppressed" of an IOMMU driver's ratelimit */
	II_DROP_STATUS,     /* Intel "DRHD: handling fault status reg" whose fault line never came */
	II_DROP_OVERFLOW,   /* the hardware fault log overflowed (Intel PFO, SMMUv3 EVTQ overflow) */
	II_DROP_LOST,       /* kernel log records were lost (a gap in sequence numbers) */
};
const char *ii_drop_kind_key(enum ii_drop_kind k); /* "suppressed", "status-only", ... */

struct ii_fault_drop {
	struct ii_logpos pos;
	enum ii_drop_kind kind;
	enum ii_vendor vendor;    /* II_VENDOR_NONE for II_DROP_LOST */
	char function[48];        /* the ratelimited function */
	uint64_t count;           /* callbacks suppressed, or records lost */
	uint64_t estimate;        /* faults that were not printed, at least */
	char msg[160];
};

/* ------------------------------------------------------------- reasons */

/* The kernel's string for an Intel fault reason, or NULL when the kernel prints "Unknown". */
const char *ii_intel_reason(unsigned code);
/* The highest code of the kernel's tables, for generators and tests. */
#define II_INTEL_REASON_MAX 0x90
/* AMD event types: "IO_PAGE_FAULT" for 2; NULL when unnamed. */
const char *ii_amd_event_name(unsigned type);
int ii_amd_event_type(const char *name, size_t len); /* -1 when unknown */
/* What an AMD event means, from its type and flags, for people. */
void ii_amd_explain(unsigned type, bool has_flags, uint32_t flags, char *buf, size_t size);
/* The names of the AMD event flags set in flags, joined by sep. */
void ii_amd_flag_names(uint32_t flags, const char *sep, char *buf, size_t size);
/* SMMUv3 event ids: "F_TRANSLATION" for 0x10; NULL when unknown. */
const char *ii_smmu_event_name(unsigned id);
int ii_smmu_event_id(const char *name, size_t len); /* -1 when unknown */
const char *ii_smmu_event_desc(unsigned id);         /* for people; never NULL */
/* SMMUv2 FSR: the names of the fault bits, for people. */
void ii_smmu2_fsr_explain(uint32_t fsr, char *buf, size_t size);

/* --------------------------------------------------------- line parser */

enum ii_fline_kind {
	II_FL_NONE,            /* nothing about IOMMU faults */
	II_FL_FAULT,           /* a whole fault */
	II_FL_UNPARSED,        /* looks like a fault line but does not parse */
	II_FL_INTEL_HALF,      /* 2.6-3.x: the first line, without the fault reason */
	II_FL_INTEL_REASON,    /* 2.6-3.x: the second line, "[fault reason NN] text" */
	II_FL_AMD_OPEN,        /* 4.x: "Event logged [" ending a record; the event follows */
	II_FL_AMD_NOTATTACHED, /* "Event logged [Device not attached to domain properly]" */
	II_FL_AMD_DEVLINE,     /* "  device=... domain=..." after II_FL_AMD_NOTATTACHED */
	II_FL_SMMU_HEAD,       /* SMMUv3 "event 0x10 received:" */
	II_FL_SMMU_DWORD,      /* SMMUv3 "\t0x0000010000000010" */
	II_FL_SMMU_DECODED,    /* SMMUv3 (7.x) "event: F_TRANSLATION client: ..." */
	II_FL_SMMU_ACCESS,     /* SMMUv3 (7.x) "unpriv data write s1 \"...\" stag: 0x0" */
	II_FL_SUPPRESSED,      /* "<function>: N callbacks suppressed" of an IOMMU driver */
	II_FL_STATUS,          /* Intel "DRHD: handling fault status reg N" */
	II_FL_OVERFLOW,        /* SMMUv3 "EVTQ overflow detected -- events lost" */
};

struct ii_fline {
	enum ii_fline_kind kind;
	struct ii_fault f;     /* what the line gave (all kinds but NONE and SMMU_DWORD) */
	char prefix_dev[64];   /* the device of a dev_printk prefix ("0000:03:00.0", "ivhd0"), or "" */
	uint64_t value;        /* SUPPRESSED: count; STATUS: register; SMMU_HEAD: id; SMMU_DWORD: dword */
	char function[48];     /* SUPPRESSED */
};

/*
 * Parse one line of kernel log text (the message only: no timestamp, no
 * newline; len bytes, which need not be NUL-terminated). Any input is safe.
 * out->f.msg is left empty: the assembler copies the text when it is wanted.
 */
void ii_fault_parse_line(const char *text, size_t len, struct ii_fline *out);
/*
 * The fields after the parser's (message, attribution, annotation) as the
 * parser leaves them for each line: empty, group -1, no dev, no via. Shared
 * by the parser and the unpacking of a line parsed ahead.
 */
void ii_fault_clear_rest(struct ii_fault *f);

/*
 * What ii_fault_parse_line() gave, packed (src/parse/parse-fault-pack.c): the
 * bulk reader of a log file parses lines ahead on its thread, and the
 * assembler takes them on the other (ii_fasm_line_pre). ii_fline_pack()
 * writes at most II_FLINE_PACK_MAX bytes and returns how many; unpacked, an
 * ii_fline holds what the parser would have stored. ii_fault_preparse():
 * parse and pack in one; pure, safe on any thread.
 */
#define II_FLINE_PACK_MAX 512
size_t ii_fline_pack(const struct ii_fline *fl, unsigned char *buf);
void ii_fline_unpack(const unsigned char *buf, struct ii_fline *fl);
size_t ii_fault_preparse(const char *text, size_t len, unsigned char *out);

/* ------------------------------------------------------------ assembler */

struct ii_fault_sink {
	void (*fault)(void *ctx, struct ii_fault *f);
	void (*drop)(void *ctx, const struct ii_fault_drop *d);
	void (*unparsed)(void *ctx, const struct ii_logpos *pos, enum ii_vendor v, const char *line,
			 size_t len);
	void *ctx;
	bool no_msg; /* the sink reads no msg of faults and drops: the text is not copied */
};

enum ii_fasm_wait {
	II_WAIT_NONE,
	II_WAIT_INTEL_REASON, /* an Intel first half waits for its reason line */
	II_WAIT_AMD_BODY,     /* "Event logged [" waits for the event */
	II_WAIT_AMD_DEVLINE,  /* "Device not attached" waits for its device line */
	II_WAIT_SMMU,         /* an SMMUv3 event waits for dwords or decoded lines */
};

struct ii_fasm {
	struct ii_fault_sink sink;
	enum ii_fasm_wait wait;
	struct ii_fault pend;
	int dwords;               /* SMMU: raw dwords seen */
	uint64_t raw[4];
	bool decoded;             /* SMMU: the 7.x decoded line was merged */
	uint64_t suppressed[II_VENDOR_OTHER + 1]; /* callbacks waiting for the vendor's next fault */
	bool status_pending;      /* an Intel status line with a pending fault, no fault line yet */
	struct ii_logpos status_pos;
	char status_msg[96];
	unsigned lone_status;     /* status lines whose fault never came, since the last suppression */
	bool have_seq;
	uint64_t last_seq, first_seq;
	uint64_t records, lines, lost;
	struct ii_fline fl;       /* scratch */
};

void ii_fasm_init(struct ii_fasm *a, const struct ii_fault_sink *sink);
/*
 * One log record: text (len bytes) may hold several lines separated by '\n'
 * (a /dev/kmsg record with embedded newlines). dict_device is the record's
 * DEVICE= ("+pci:0000:03:00.0"), or NULL. A gap in sequence numbers is
 * reported as II_DROP_LOST.
 */
void ii_fasm_record(struct ii_fasm *a, const struct ii_logpos *pos, const char *text, size_t len,
		    const char *dict_device);
/*
 * The same for a record its reader knows to be one line (text holds no
 * '\n'): a line of log text. Its bytes are not searched for line ends.
 */
void ii_fasm_line(struct ii_fasm *a, const struct ii_logpos *pos, const char *text, size_t len,
		  const char *dict_device);
/*
 * ii_fasm_line() for a line whose parse was done already: pre is what
 * ii_fault_preparse() gave for these text and len.
 */
void ii_fasm_line_pre(struct ii_fasm *a, const struct ii_logpos *pos, const char *text,
		      size_t len, const char *dict_device, const unsigned char *pre);
/* A record that is not the kernel's (written by a program): only its sequence number counts. */
void ii_fasm_seen(struct ii_fasm *a, const struct ii_logpos *pos);
/* The end of input: emit what waits. */
void ii_fasm_flush(struct ii_fasm *a);
/*
 * Nothing more for now (the writer of a followed log is quiet): emit a fault
 * that waits for its next line as it is. A status line that waits for its
 * fault line is kept: a drop is not worth a guess, and the next line or the
 * end will tell.
 */
void ii_fasm_idle(struct ii_fasm *a);

/* ------------------------------------------------------------------ times */

/*
 * Complete a log position's times: from a text line's wall-clock time w
 * (formatted into pos->wall; the time since boot too when boot_usec, the
 * wall-clock time of boot in microseconds since 1970, is known), or, with
 * no wall-clock time, pos->wall from the time since boot.
 */
void ii_logpos_times(struct ii_logpos *pos, const struct ii_walltime *w, bool has_boot,
		     int64_t boot_usec);

#endif
