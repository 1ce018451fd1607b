// SPDX-License-Identifier: MIT
/*
 * dmar_perf_latency (kernel-interfaces §2.7): per unit, a header of bucket
 * labels and one row per enabled latency type; no blank line between units.
 *
 *   IOMMU: dmar0 Register Base Address: fed90000
 *                     <0.1us   0.1us-1us ... average(us)
 *      inv_iotlb           0           0        1147 ...
 */
#include <string.h>

#include "debugfs.h"

const char *const ii_lat_labels[II_LAT_COLS] = {
	"<0.1us", "0.1us-1us", "1us-10us", "10us-100us", "100us-1ms",
	"1ms-10ms", ">=10ms", "min(us)", "max(us)", "average(us)",
};

void ii_lat_init(struct ii_lat *p)
{
	memset(p, 0, sizeof(*p));
}

enum ii_dl ii_lat_line(struct ii_lat *p, const char *line, size_t len)
{
	struct ii_cur c = { line, len, 0 };
	struct ii_lat_row *r = &p->row;

	if (ii_cur_end(&c))
		return II_DL_NONE;
	if (ii_cur_lit(&c, "IOMMU: ")) {
		p->have_unit = ii_cur_unit_base(&c, p->unit, sizeof(p->unit), &p->base);
		if (!p->have_unit) {
			p->why = II_UNIT_BASE_WHY;
			return II_DL_BAD;
		}
		return II_DL_UNIT;
	}
	ii_cur_ws(&c);
	if (ii_cur_lit(&c, ii_lat_labels[0]))
		return II_DL_NONE;
	if (ii_cur_lit(&c, "Failed to get latency snapshot")) {
		str_copy(p->msg, sizeof(p->msg), line, len);
		return II_DL_MSG;
	}
	if (!ii_cur_word(&c, r->type, sizeof(r->type))) {
		p->why = "not a line of dmar_perf_latency";
		return II_DL_BAD;
	}
	for (unsigned k = 0; k < II_LAT_COLS; k++) {
		ii_cur_ws(&c);
		if (!ii_cur_dec(&c, &r->v[k])) {
			p->why = "a latency row that is not a type and ten numbers (a line cut short?)";
			return II_DL_BAD;
		}
	}
	if (!ii_cur_end(&c)) {
		p->why = "a latency row with more than ten numbers";
		return II_DL_BAD;
	}
	if (!p->have_unit) {
		p->why = "a latency row before any IOMMU line";
		return II_DL_BAD;
	}
	return II_DL_ROW;
}
