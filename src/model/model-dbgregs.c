// SPDX-License-Identifier: MIT
/*
 * The registers and tables of each unit from debugfs (iommus --regs); see
 * include/dbgregs.h. The files are small (a 65536-entry interrupt table at
 * most), read line by line all the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbgregs.h"

#define MAX_BAD_WARNINGS 3

static struct ii_dbg_unit *unit(struct ii_dbg_regs *r, const char *name)
{
	struct ii_dbg_unit *u;

	for (size_t i = 0; i < r->nunits; i++)
		if (!strcmp(r->units[i].name, name))
			return &r->units[i];
	xgrow((void **)&r->units, &r->cap, r->nunits + 1, sizeof(*r->units));
	u = &r->units[r->nunits++];
	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", name);
	return u;
}

#define PUSH(arr, n, cap, v)                                              \
	do {                                                              \
		xgrow((void **)&(arr), &(cap), (n) + 1, sizeof(*(arr)));   \
		(arr)[(n)++] = (v);                                       \
	} while (0)

/* What every file's line callback shares. */
struct file {
	struct ii_system *s;
	struct ii_dbg_regs *r;
	const char *rel;
	size_t lineno, bad;
	struct ii_dbg_unit *u;
	union {
		struct ii_regset regset;
		struct ii_iq iq;
		struct ii_irt irt;
		struct ii_lat lat;
		struct ii_amd_cmdbuf cmd;
		struct ii_amd_irqtbl airq;
	} p;
};

static void bad(struct file *f, const char *why)
{
	if (f->bad++ < MAX_BAD_WARNINGS)
		ii_dbg_warn(f->s, f->rel, "line %zu: %s; line ignored", f->lineno, why);
}

static void regset_line(void *arg, const char *line, size_t len)
{
	struct file *f = arg;

	f->lineno++;
	switch (ii_regset_line(&f->p.regset, line, len)) {
	case II_DL_UNIT:
		f->u = unit(f->r, f->p.regset.unit);
		f->u->have_regset = true;
		f->u->base = f->p.regset.base;
		break;
	case II_DL_ROW:
		PUSH(f->u->regs, f->u->nregs, f->u->capregs, f->p.regset.row);
		break;
	case II_DL_MSG:
		ii_dbg_warn(f->s, f->rel, "%s", f->p.regset.msg);
		break;
	case II_DL_BAD:
		bad(f, f->p.regset.why);
		break;
	default:
		break;
	}
}

static void iq_line(void *arg, const char *line, size_t len)
{
	struct file *f = arg;

	f->lineno++;
	switch (ii_iq_line(&f->p.iq, line, len)) {
	case II_DL_UNIT:
		f->u = unit(f->r, f->p.iq.unit);
		f->u->have_iq = true;
		break;
	case II_DL_ROW:
		f->u->iq_base = f->p.iq.base;
		f->u->iq_head = f->p.iq.head;
		f->u->iq_tail = f->p.iq.tail;
		f->u->iq_qw = f->p.iq.row.nqw;
		PUSH(f->u->iq, f->u->niq, f->u->capiq, f->p.iq.row);
		break;
	case II_DL_BAD:
		bad(f, f->p.iq.why);
		break;
	default:
		if (f->u && f->p.iq.have_base) {
			f->u->iq_base = f->p.iq.base;
			f->u->iq_head = f->p.iq.head;
			f->u->iq_tail = f->p.iq.tail;
			f->u->iq_qw = f->p.iq.nqw;
		}
		break;
	}
}

static void irt_line(void *arg, const char *line, size_t len)
{
	struct file *f = arg;

	f->lineno++;
	switch (ii_irt_line(&f->p.irt, line, len)) {
	case II_DL_UNIT:
		f->u = unit(f->r, f->p.irt.unit);
		f->u->have_irt = true;
		break;
	case II_DL_ROW:
		PUSH(f->u->irtes, f->u->nirtes, f->u->capirtes,
		     ((struct ii_dbg_irte){ .row = f->p.irt.row }));
		break;
	case II_DL_MSG:
		/* "Interrupt Remapping is not enabled": the table is not dumped */
		break;
	case II_DL_BAD:
		bad(f, f->p.irt.why);
		break;
	default:
		if (f->u && f->p.irt.have_table) {
			f->u->irt_table = f->p.irt.table;
			f->u->irt_enabled = true;
		}
		break;
	}
}

static void lat_line(void *arg, const char *line, size_t len)
{
	struct file *f = arg;

	f->lineno++;
	switch (ii_lat_line(&f->p.lat, line, len)) {
	case II_DL_UNIT:
		f->u = unit(f->r, f->p.lat.unit);
		f->u->have_lat = true;
		break;
	case II_DL_ROW:
		PUSH(f->u->lat, f->u->nlat, f->u->caplat, f->p.lat.row);
		break;
	case II_DL_MSG:
		ii_dbg_warn(f->s, f->rel, "%s", f->p.lat.msg);
		break;
	case II_DL_BAD:
		bad(f, f->p.lat.why);
		break;
	default:
		break;
	}
}

static void cmd_line(void *arg, const char *line, size_t len)
{
	struct file *f = arg;

	f->lineno++;
	switch (ii_amd_cmdbuf_line(&f->p.cmd, line, len)) {
	case II_DL_UNIT:
		f->u->have_cmdbuf = true;
		f->u->cmd_head = f->p.cmd.head;
		f->u->cmd_tail = f->p.cmd.tail;
		break;
	case II_DL_ROW:
		PUSH(f->u->cmds, f->u->ncmds, f->u->capcmds, f->p.cmd.row);
		break;
	case II_DL_BAD:
		bad(f, f->p.cmd.why);
		break;
	default:
		break;
	}
}

static void airq_line(void *arg, const char *line, size_t len)
{
	struct file *f = arg;

	f->lineno++;
	switch (ii_amd_irqtbl_line(&f->p.airq, line, len)) {
	case II_DL_ROW:
		PUSH(f->u->airtes, f->u->nairtes, f->u->capairtes, f->p.airq.row);
		break;
	case II_DL_UNIT:
		f->u->have_airt = true;
		break;
	case II_DL_MSG:
		snprintf(f->u->airt_msg, sizeof(f->u->airt_msg), "%s", f->p.airq.msg);
		break;
	case II_DL_BAD:
		bad(f, f->p.airq.why);
		break;
	default:
		break;
	}
}

static void read_lines(struct ii_system *s, struct ii_dbg_regs *r, const char *name,
		       ii_dbg_line_fn fn, struct ii_dbg_unit *u)
{
	char *rel = ii_src_debugfs_path(&r->fs, name);
	struct file f = { .s = s, .r = r, .rel = rel, .u = u };

	memset(&f.p, 0, sizeof(f.p));
	ii_src_debugfs_lines(s, &r->fs, rel, fn, &f);
	if (f.bad > MAX_BAD_WARNINGS)
		ii_dbg_warn(s, rel, "%zu lines not understood in all", f.bad);
	free(rel);
}

/* "Offset:0x18 Value:0x..." of iommuXX/mmio or capability; false when none was selected. */
static bool offset_value(struct ii_system *s, struct ii_dbg_regs *r, const char *name,
			 uint32_t *off, uint64_t *val)
{
	char *rel = ii_src_debugfs_path(&r->fs, name), *buf;
	size_t len;
	int rc = ii_src_debugfs_small(s, &r->fs, rel, &buf, &len, 4096);

	if (rc == 0) {
		rc = ii_amd_offset_value_parse(buf, len, off, val);
		if (rc == -EINVAL)
			ii_dbg_warn(s, rel, "not \"Offset:0x<offset> Value:0x<value>\"; ignored");
		free(buf);
	}
	free(rel);
	return rc == 0;
}

static void load_amd(struct ii_system *s, struct ii_dbg_regs *r)
{
	struct strlist dirs = { 0 };
	struct ii_amd_dte dte;
	char *buf, *rel;
	size_t len;

	ii_src_debugfs_amd_units(s, &r->fs, &dirs);
	for (size_t i = 0; i < dirs.n; i++) {
		struct ii_dbg_unit *u;
		char *name;

		u = unit(r, dirs.v[i]);
		name = xasprintf("%s/mmio", dirs.v[i]);
		u->have_mmio = offset_value(s, r, name, &u->mmio_off, &u->mmio_val);
		free(name);
		name = xasprintf("%s/capability", dirs.v[i]);
		u->have_cap = offset_value(s, r, name, &u->cap_off, &u->cap_val);
		free(name);
		name = xasprintf("%s/cmdbuf", dirs.v[i]);
		read_lines(s, r, name, cmd_line, u);
		free(name);
	}
	sl_free(&dirs);
	rel = ii_src_debugfs_path(&r->fs, "devtbl");
	if (ii_src_debugfs_small(s, &r->fs, rel, &buf, &len, 65536) == 0) {
		int rc = ii_amd_devtbl_parse(buf, len, &dte, &r->dte_msg);

		free(buf);
		if (rc == 0 && dte.unit >= 0) {
			char name[32];
			struct ii_dbg_unit *u;

			snprintf(name, sizeof(name), "iommu%02d", dte.unit);
			u = unit(r, name);
			u->have_dte = true;
			u->dte = dte;
			read_lines(s, r, "irqtbl", airq_line, u);
		} else if (rc == -EINVAL) {
			ii_dbg_warn(s, rel, "not a device table entry; ignored");
		}
	}
	free(rel);
}

/* ------------------------------------------------------- what they say */

const char *ii_iq_status_key(enum ii_iq_status st)
{
	static const char *const keys[] = { "free", "in_use", "done", "abort", "other" };

	return (size_t)st < II_ARRAY_SIZE(keys) ? keys[st] : "other";
}

/* The slots of a ring of n that the last II_RECENT entries before the head hold, oldest first. */
static size_t recent_slots(long long head, size_t n, unsigned out[II_RECENT])
{
	size_t m = 0;

	for (size_t k = n < II_RECENT ? n : II_RECENT; k > 0; k--)
		out[m++] = (unsigned)(((head - (long long)k) % (long long)n + (long long)n) %
				      (long long)n);
	return m;
}

static bool bit(const struct ii_regset_row *r, unsigned b)
{
	return (r->value >> b) & 1;
}

static void derive_intel(struct ii_dbg_unit *u)
{
	const struct ii_regset_row *r;
	size_t slots = u->niq;
	unsigned idx[II_RECENT];

	if ((r = ii_dbg_unit_reg(u, "GSTS"))) {
		u->have_gsts = true;
		u->translation_enabled = bit(r, 31);
		u->qi_enabled = bit(r, 26);
		u->ir_enabled = bit(r, 25);
	}
	if ((r = ii_dbg_unit_reg(u, "FSTS"))) {
		u->have_fsts = true;
		u->fault_pending = bit(r, 1);
		u->fault_overflow = bit(r, 0);
	}
	if ((r = ii_dbg_unit_reg(u, "RTADDR"))) {
		u->have_rtaddr = true;
		u->root_table = r->value & ~0xfffULL;
		u->root_mode = ((r->value >> 10) & 3) == 1 ? II_DM_SCALABLE : II_DM_LEGACY;
	}
	if ((r = ii_dbg_unit_reg(u, "IRTA")))
		u->irt_x2apic = bit(r, 11);

	/* the invalidation queue: a ring from head (next to be done) to tail (next free) */
	u->iq_bits = u->iq_qw == 4 ? 256 : 128;
	for (size_t i = 0; i < u->niq; i++) {
		u->iq_types[u->iq[i].qw[0] & 0xf]++;
		u->iq_status[u->iq[i].status < II_IQS_OTHER ? u->iq[i].status : II_IQS_OTHER]++;
	}
	for (unsigned t = 1; t < 16; t++)
		if (!ii_iq_type_name(t))
			u->iq_other += u->iq_types[t];
	u->iq_pending = slots ? ((u->iq_tail - u->iq_head) % (long long)slots + (long long)slots) %
					(long long)slots : 0;
	for (size_t k = 0, m = recent_slots(u->iq_head, slots, idx); k < m; k++) {
		const struct ii_iq_row *hit = NULL;

		for (size_t i = 0; i < u->niq; i++)
			if (u->iq[i].index == idx[k])
				hit = &u->iq[i];
		if (hit)
			u->iq_recent[u->niq_recent++] = hit;
	}

	/* the interrupt remapping table: xAPIC ids are bits 15:8 of the destination field */
	for (size_t i = 0; i < u->nirtes; i++) {
		struct ii_dbg_irte *e = &u->irtes[i];

		ii_irte_decode(&e->row, &e->info);
		if (e->row.posted) {
			u->irt_posted++;
			e->dest = 0;
			e->posted_desc = (uint64_t)e->row.pda_hi << 32 | e->row.pda_lo;
		} else {
			e->dest = u->irt_x2apic ? e->row.dest : (e->row.dest >> 8) & 0xff;
		}
	}
}

static void derive_amd(struct ii_dbg_unit *u)
{
	unsigned idx[II_RECENT];

	for (size_t i = 0; i < u->ncmds; i++)
		u->cmd_types[u->cmds[i].d[1] >> 28]++;
	for (size_t k = 0, m = recent_slots(u->cmd_head, u->ncmds, idx); k < m; k++) {
		const struct ii_amd_cmd_row *hit = NULL;

		for (size_t i = 0; i < u->ncmds; i++)
			if (u->cmds[i].index == idx[k])
				hit = &u->cmds[i];
		if (hit)
			u->cmd_recent[u->ncmd_recent++] = hit;
	}
	if (u->have_dte)
		ii_amd_dte_decode(&u->dte, &u->dte_info);
}

void ii_dbg_regs_load(struct ii_system *s, struct ii_dbg_regs *r)
{
	memset(r, 0, sizeof(*r));
	ii_src_debugfs_probe(s, ii_system_vendor(s), &r->fs);
	if (r->fs.state != II_DBG_OK)
		return;
	if (r->fs.vendor == II_VENDOR_AMD) {
		load_amd(s, r);
	} else {
		read_lines(s, r, "iommu_regset", regset_line, NULL);
		read_lines(s, r, "invalidation_queue", iq_line, NULL);
		read_lines(s, r, "ir_translation_struct", irt_line, NULL);
		read_lines(s, r, "dmar_perf_latency", lat_line, NULL);
	}
	for (size_t i = 0; i < r->nunits; i++) {
		if (r->fs.vendor == II_VENDOR_AMD)
			derive_amd(&r->units[i]);
		else
			derive_intel(&r->units[i]);
	}
}

void ii_dbg_regs_free(struct ii_dbg_regs *r)
{
	for (size_t i = 0; i < r->nunits; i++) {
		struct ii_dbg_unit *u = &r->units[i];
		free(u->regs);
		free(u->iq);
		free(u->irtes);
		free(u->lat);
		free(u->cmds);
		free(u->airtes);
	}
	free(r->units);
	ii_dbgfs_free(&r->fs);
	memset(r, 0, sizeof(*r));
}

const struct ii_dbg_unit *ii_dbg_regs_unit(const struct ii_dbg_regs *r, const char *sysfs_name)
{
	char name[32];

	if (!r)
		return NULL;
	snprintf(name, sizeof(name), "%s", sysfs_name);
	if (!strncmp(sysfs_name, "ivhd", 4))
		snprintf(name, sizeof(name), "iommu%02ld", strtol(sysfs_name + 4, NULL, 10));
	for (size_t i = 0; i < r->nunits; i++)
		if (!strcmp(r->units[i].name, name))
			return &r->units[i];
	return NULL;
}

const struct ii_regset_row *ii_dbg_unit_reg(const struct ii_dbg_unit *u, const char *name)
{
	for (size_t i = 0; i < u->nregs; i++)
		if (!strcmp(u->regs[i].name, name))
			return &u->regs[i];
	return NULL;
}
