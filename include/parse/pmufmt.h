/* SPDX-License-Identifier: MIT */
/*
 * perf PMU descriptions in sysfs (kernel-interfaces §7): the format fields
 * (format/<field>: "config:0-27", "config1:16-31", "config:0-7,32-35") and
 * the named events (events/<name>: "event_group=0x3,event=0x001") placed
 * through them into perf_event_attr's config, config1 and config2; and CPU
 * lists ("0-3,8"). Pure: strings in, numbers out.
 */
#ifndef II_PMUFMT_H
#define II_PMUFMT_H

#include "parse.h"

#define II_PMU_FIELD_RANGES 4

/* One format field: which config word and which bits, low bits of the value first. */
struct ii_pmu_field {
	char name[32];
	unsigned word;            /* 0 config, 1 config1, 2 config2 */
	unsigned nranges;
	struct { uint8_t lo, hi; } range[II_PMU_FIELD_RANGES];
};
/*
 * Parse format/<name>'s content. Returns 0, or -EINVAL with *why set (a
 * constant message) for text that is not "configN:LO[-HI][,LO[-HI]...]".
 */
int ii_parse_pmu_format(const char *name, const char *text, struct ii_pmu_field *out,
			const char **why);
/* Bits the field holds (the sum of its ranges). */
unsigned ii_pmu_field_width(const struct ii_pmu_field *f);

/*
 * Place an event's terms ("event_group=0x3,event=0x001", "csource=0x06",
 * "event=0x0002", "config=0x1234", a term without value meaning 1) through
 * the fields into config[0..2]. Returns 0, or -EINVAL with *why set (an
 * unknown field, a value too wide for its field, a malformed term).
 */
int ii_pmu_place(const struct ii_pmu_field *fields, size_t nfields, const char *event,
		 uint64_t config[3], const char **why);

/* "0-3,8,10-11\n" -> the CPUs in ascending order (allocated). -EINVAL when malformed. */
int ii_parse_cpulist(const char *text, int **cpus, size_t *n);

#endif
