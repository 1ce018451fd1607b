/* SPDX-License-Identifier: MIT */
/*
 * Faults joined with the model (src/model/model-faults.c): attribution to
 * devices and groups, the summary, the user's filters. No I/O.
 */
#ifndef II_MODEL_FAULTS_H
#define II_MODEL_FAULTS_H

#include "fault.h"
#include "model.h"

/* ---------------------------------------------- attribution and summary */

/* Join a fault with the model: device, group, driver, unit. */
void ii_fault_attribute(const struct ii_system *s, struct ii_fault *f);
/* "0000:00:05.0", the client name, or NULL when the requester is unknown. */
const char *ii_fault_requester(const struct ii_fault *f, char buf[II_BDF_MAX]);
/* The names of an AMD fault's event flags ("PR", "RW", ...), added to out; none for others. */
void ii_fault_flag_list(const struct ii_fault *f, struct strlist *out);

/* One line of the summary: faults of one requester, vendor and reason. */
struct ii_fsum_row {
	char key[64];             /* the requester: BDF, client, "sid 0x..." or "" */
	char unit[48];
	uint64_t hash;
	enum ii_vendor vendor;
	enum ii_fault_kind kind;
	bool has_reason;
	unsigned reason_code;
	char reason[II_FAULT_REASON_MAX];
	const char *event;
	int group;
	const struct ii_device *dev;
	bool has_bdf, has_sid;
	struct ii_bdf bdf;
	uint32_t sid;             /* an Arm requester known only by its stream id */
	uint64_t count;
	bool has_time;
	uint64_t first_usec, last_usec;
	uint64_t suppressed, dropped; /* attributed to it */
	uint64_t reads, writes;
	/* set by ii_fsum_sort: the rate between its first and last fault, when it has two at
	   different times */
	bool has_rate;
	uint64_t per_hour;        /* rounded */
	double per_min;
};

struct ii_fsum {
	struct ii_fsum_row *rows;
	size_t nrows, cap;
	size_t *hash;             /* open addressing: row index + 1, 0 empty */
	size_t hcap;
	uint64_t faults, unparsed;
	bool has_time;
	uint64_t first_usec, last_usec;
	uint64_t suppressed, dropped, status_only, overflows, lost_records;
	uint64_t dropped_unattributed;
	/* drops waiting for the next fault of their vendor */
	uint64_t pend_suppressed[II_VENDOR_OTHER + 1], pend_dropped[II_VENDOR_OTHER + 1];
	/* the last row of each vendor, for drops with no fault after them */
	size_t last_row[II_VENDOR_OTHER + 1];
	uint64_t printed_by_vendor[II_VENDOR_OTHER + 1];
	size_t requesters;        /* set by ii_fsum_sort: the rows' distinct requesters */
};

/* selected: the fault passes the user's filters (only then it is counted). */
void ii_fsum_fault(struct ii_fsum *s, const struct ii_fault *f, bool selected);
void ii_fsum_drop(struct ii_fsum *s, const struct ii_fault_drop *d, bool selected);
/*
 * End of input: drops with no fault after them go to the last fault of their
 * vendor; with none, they are counted as unattributed if keep_unattributed
 * (no --device or --group filter), else left out.
 */
void ii_fsum_finish(struct ii_fsum *s, bool keep_unattributed);
/* Rows in order: by requester, vendor, reason; with their rates and the requesters counted. */
void ii_fsum_sort(struct ii_fsum *s);
void ii_fsum_free(struct ii_fsum *s);

/* ------------------------------------------------------------- filters */

struct ii_fault_filter {
	bool device;
	struct ii_bdf bdf;
	bool group;
	int group_id;
	enum ii_vendor vendor;    /* II_VENDOR_NONE: any */
	bool vendor_arm_any;      /* "arm-smmu": SMMUv2 and SMMUv3 */
	bool since_seq, since_usec;
	uint64_t since;
};
/* Parse --since: "12.5" or "12" (seconds since boot), "seq:N". 0 or -EINVAL. */
int ii_fault_since_parse(const char *s, struct ii_fault_filter *f);
/* Parse --vendor: intel, amd, arm-smmu, arm-smmu-v3. 0 or -EINVAL. */
int ii_fault_vendor_parse(const char *s, struct ii_fault_filter *f);
bool ii_fault_match(const struct ii_fault_filter *flt, const struct ii_fault *f);
bool ii_fault_pos_match(const struct ii_fault_filter *flt, const struct ii_logpos *pos);
bool ii_fault_drop_match(const struct ii_fault_filter *flt, const struct ii_fault_drop *d);
/* A line that looks like a fault of vendor v but does not parse: it cannot be told whose it
 * is, so a --device or --group filter leaves it out. */
bool ii_fault_unparsed_match(const struct ii_fault_filter *flt, const struct ii_logpos *pos,
			     enum ii_vendor v);
/* Any filter given. */
bool ii_fault_filter_active(const struct ii_fault_filter *flt);

#endif
