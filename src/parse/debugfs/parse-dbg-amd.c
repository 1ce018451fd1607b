// SPDX-License-Identifier: MIT
/*
 * The AMD-Vi debugfs files of Linux 6.15 and later (kernel-interfaces §3),
 * all read-only here: the kernel shows the device table entry and interrupt
 * table of the one device written to amd/devid, and the MMIO and capability
 * register at the offset written to mmio and capability. iommu-inspect never
 * writes, so it reports what was selected last, or that nothing was.
 *
 *   amd/devtbl   DeviceId QWORD[3] QWORD[2] QWORD[1] QWORD[0] iommu
 *                0000:03:00.0 0000000000000000 ... 6000000103ed6603 iommu0
 *   amd/irqtbl   DeviceId 0000:03:00.0 / IRT[0000] <hi> <lo> / IRT[0001] <32 bits>
 *   iommuXX/mmio, capability   Offset:0x18 Value:0x000c22000003f48d
 *   iommuXX/cmdbuf   CMD Buffer Head Offset:339 Tail Offset:339 /   0: 00835001 10000001 ...
 */
#include <errno.h>
#include <string.h>

#include "debugfs.h"

/* Messages the files print instead of data. */
static const char *const messages[] = {
	"Enter a valid device ID",
	"Please provide",
	"No or Invalid input provided",
	"Device table not found",
	"Not able to read",
	"Interrupt remapping is disabled",
	"IRQ lookup table not set",
	"The device's DTE contains an invalid IRT length value",
};

static const char *message(struct ii_cur *c)
{
	for (size_t i = 0; i < II_ARRAY_SIZE(messages); i++) {
		struct ii_cur t = *c;
		ii_cur_ws(&t);
		if (ii_cur_lit(&t, messages[i]))
			return messages[i];
	}
	return NULL;
}

/* The next line of text[*pos...]. */
static bool next_line(const char *text, size_t len, size_t *pos, struct ii_cur *c)
{
	const char *nl;

	if (*pos >= len)
		return false;
	nl = memchr(text + *pos, '\n', len - *pos);
	c->s = text + *pos;
	c->len = nl ? (size_t)(nl - c->s) : len - *pos;
	c->i = 0;
	*pos += c->len + (nl ? 1 : 0);
	return true;
}

int ii_amd_devtbl_parse(const char *text, size_t len, struct ii_amd_dte *out, const char **msg)
{
	struct ii_cur c;
	size_t pos = 0;

	*msg = NULL;
	memset(out, 0, sizeof(*out));
	out->unit = -1;
	while (next_line(text, len, &pos, &c)) {
		const char *m = message(&c);
		long long unit;

		if (m) {
			*msg = m;
			return -ENOENT;
		}
		ii_cur_ws(&c);
		if (ii_cur_end(&c) || ii_cur_lit(&c, "DeviceId"))
			continue;
		if (!ii_cur_bdf(&c, &out->bdf, true))
			return -EINVAL;
		for (int q = 3; q >= 0; q--) {
			ii_cur_ws(&c);
			if (!ii_cur_hex(&c, -1, &out->q[q], NULL))
				return -EINVAL;
		}
		ii_cur_ws(&c);
		if (ii_cur_lit(&c, "iommu") && ii_cur_dec(&c, &unit) && unit >= 0 && unit < 0x10000)
			out->unit = (int)unit;
		return ii_cur_end(&c) ? 0 : -EINVAL;
	}
	return -EINVAL;
}

void ii_amd_dte_decode(const struct ii_amd_dte *d, struct ii_amd_dte_info *out)
{
	out->valid = d->q[0] & 1;
	out->tv = (d->q[0] >> 1) & 1;
	out->mode = (unsigned)(d->q[0] >> 9) & 7;
	out->pgd = d->q[0] & 0x000ffffffffff000ULL;
	out->gv = (d->q[0] >> 55) & 1;
	out->ir = (d->q[0] >> 61) & 1;
	out->iw = (d->q[0] >> 62) & 1;
	out->did = (uint16_t)(d->q[1] & 0xffff);
	out->iv = d->q[2] & 1;
	out->int_tab_len = (unsigned)(d->q[2] >> 1) & 0xf;
	out->irt = d->q[2] & (((1ULL << 45) - 1) << 6);
	out->int_tab_entries = out->int_tab_len < 12 ? 1ULL << out->int_tab_len : 0;
	if (!out->valid || !out->tv || out->mode == 0)
		out->translation = II_TT_PASSTHROUGH;
	else
		out->translation = out->gv ? II_TT_GUEST : II_TT_HOST;
	out->levels = out->mode < 7 ? (int)out->mode : 0;
}

int ii_amd_offset_value_parse(const char *text, size_t len, uint32_t *off, uint64_t *val)
{
	struct ii_cur c;
	size_t pos = 0;
	uint64_t o;

	while (next_line(text, len, &pos, &c)) {
		if (message(&c))
			return -ENOENT;
		ii_cur_ws(&c);
		if (ii_cur_end(&c))
			continue;
		if (!ii_cur_lit(&c, "Offset:") || !ii_cur_hex(&c, 0, &o, NULL) || o > 0xffffffffULL ||
		    (ii_cur_ws(&c), !ii_cur_lit(&c, "Value:")) || !ii_cur_hex(&c, 0, val, NULL) ||
		    !ii_cur_end(&c))
			return -EINVAL;
		*off = (uint32_t)o;
		return 0;
	}
	return -EINVAL;
}

void ii_amd_cmdbuf_init(struct ii_amd_cmdbuf *p)
{
	memset(p, 0, sizeof(*p));
}

enum ii_dl ii_amd_cmdbuf_line(struct ii_amd_cmdbuf *p, const char *line, size_t len)
{
	struct ii_cur c = { line, len, 0 };
	struct ii_amd_cmd_row *r = &p->row;
	long long idx;

	if (ii_cur_end(&c))
		return II_DL_NONE;
	if (ii_cur_lit(&c, "CMD Buffer Head Offset:")) {
		if (!ii_cur_dec(&c, &p->head) || (ii_cur_ws(&c), !ii_cur_lit(&c, "Tail Offset:")) ||
		    !ii_cur_dec(&c, &p->tail) || !ii_cur_end(&c)) {
			p->why = "a head line that is not \"CMD Buffer Head Offset:<n> Tail Offset:<n>\"";
			return II_DL_BAD;
		}
		p->have_head = true;
		return II_DL_UNIT;
	}
	ii_cur_ws(&c);
	if (!ii_cur_dec(&c, &idx) || idx < 0 || idx > 0xffff || !ii_cur_lit(&c, ":")) {
		p->why = "not a line of cmdbuf";
		return II_DL_BAD;
	}
	for (int k = 0; k < 4; k++) {
		uint64_t v;
		ii_cur_ws(&c);
		if (!ii_cur_hex(&c, -1, &v, NULL) || v > 0xffffffffULL) {
			p->why = "a command that is not four 32-bit hex words (a line cut short?)";
			return II_DL_BAD;
		}
		r->d[k] = (uint32_t)v;
	}
	if (!ii_cur_end(&c)) {
		p->why = "a command with more than four words";
		return II_DL_BAD;
	}
	r->index = (unsigned)idx;
	return II_DL_ROW;
}

const char *ii_amd_cmd_name(const struct ii_amd_cmd_row *r)
{
	return ii_amd_cmd_type_name(r->d[1] >> 28);
}

const char *ii_amd_cmd_type_name(unsigned op)
{
	static const char *const names[] = {
		[1] = "COMPLETION_WAIT",        [2] = "INVALIDATE_DEVTAB_ENTRY",
		[3] = "INVALIDATE_IOMMU_PAGES", [4] = "INVALIDATE_IOTLB_PAGES",
		[5] = "INVALIDATE_INTERRUPT_TABLE", [6] = "PREFETCH_IOMMU_PAGES",
		[7] = "COMPLETE_PPR_REQUEST",   [8] = "INVALIDATE_IOMMU_ALL",
	};
	return op < II_ARRAY_SIZE(names) ? names[op] : NULL;
}

void ii_amd_irqtbl_init(struct ii_amd_irqtbl *p)
{
	memset(p, 0, sizeof(*p));
}

enum ii_dl ii_amd_irqtbl_line(struct ii_amd_irqtbl *p, const char *line, size_t len)
{
	struct ii_cur c = { line, len, 0 };
	struct ii_amd_irte_row *r = &p->row;
	long long idx;
	uint64_t a, b;

	if (ii_cur_end(&c))
		return II_DL_NONE;
	if (message(&c)) {
		str_copy(p->msg, sizeof(p->msg), line, len);
		return II_DL_MSG;
	}
	if (ii_cur_lit(&c, "DeviceId")) {
		ii_cur_ws(&c);
		if (!ii_cur_bdf(&c, &p->dev, true) || !ii_cur_end(&c)) {
			p->why = "a DeviceId line without a PCI address";
			return II_DL_BAD;
		}
		p->have_dev = true;
		return II_DL_UNIT;
	}
	if (!ii_cur_lit(&c, "IRT[") || !ii_cur_dec(&c, &idx) || idx < 0 || idx > 0xffff ||
	    !ii_cur_lit(&c, "]") || (ii_cur_ws(&c), !ii_cur_hex(&c, -1, &a, NULL))) {
		p->why = "not a line of irqtbl";
		return II_DL_BAD;
	}
	ii_cur_ws(&c);
	r->index = (unsigned)idx;
	if (ii_cur_end(&c)) {
		if (a > 0xffffffffULL) {
			p->why = "a 32-bit entry wider than 32 bits";
			return II_DL_BAD;
		}
		r->ga = false;
		r->hi = 0;
		r->lo = a;
		r->vector = (uint8_t)(a >> 16); /* remapped format: bits 23:16 */
	} else {
		if (!ii_cur_hex(&c, -1, &b, NULL) || !ii_cur_end(&c)) {
			p->why = "an entry that is not one 32-bit or two 64-bit hex numbers";
			return II_DL_BAD;
		}
		r->ga = true;
		r->hi = a;
		r->lo = b;
		r->vector = (uint8_t)a; /* 128-bit format: the upper quadword's bits 7:0 */
	}
	if (!p->have_dev) {
		p->why = "an entry before the DeviceId line";
		return II_DL_BAD;
	}
	return II_DL_ROW;
}
