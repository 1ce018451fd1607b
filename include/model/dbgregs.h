/* SPDX-License-Identifier: MIT */
/*
 * The registers and tables of each IOMMU unit that debugfs shows
 * (iommus --regs): Intel iommu_regset, invalidation_queue,
 * ir_translation_struct and dmar_perf_latency; AMD (6.15+) mmio,
 * capability and cmdbuf per unit, and the device table entry and interrupt
 * table of the device selected in amd/devid. Built by src/model-dbgregs.c.
 */
#ifndef II_DBGREGS_H
#define II_DBGREGS_H

#include "debugfs.h"
#include "domains.h"

#define II_RECENT 8 /* queue entries shown before the head */

/* Descriptors of a queue by status: free, in use, done, abort, any other value. */
enum ii_iq_status { II_IQS_FREE, II_IQS_IN_USE, II_IQS_DONE, II_IQS_ABORT, II_IQS_OTHER, II_IQS_N };
/* "free", "in_use", "done", "abort", "other" (JSON keys). */
const char *ii_iq_status_key(enum ii_iq_status st);

/* An interrupt remapping table entry, decoded. */
struct ii_dbg_irte {
	struct ii_irte_row row;
	struct ii_irte_info info;
	uint32_t dest;           /* remapped: the destination APIC id (xAPIC: 8 bits); posted: 0 */
	uint64_t posted_desc;    /* posted: the posted-interrupt descriptor's address */
};

struct ii_dbg_unit {
	char name[32];           /* as debugfs names it: dmar0, iommu00 */
	/* Intel iommu_regset */
	bool have_regset;
	uint64_t base;
	struct ii_regset_row *regs;
	size_t nregs, capregs;
	/* what its registers say (each group valid when its register was there) */
	bool have_gsts, have_fsts, have_rtaddr;
	bool translation_enabled, qi_enabled, ir_enabled; /* GSTS TES, QIES, IRES */
	bool fault_pending, fault_overflow;             /* FSTS PPF, PFO */
	uint64_t root_table;                            /* RTADDR */
	enum ii_dbg_mode root_mode;                     /* RTADDR TTM: legacy or scalable */
	bool irt_x2apic;                                /* IRTA EIME */
	/* Intel invalidation_queue */
	bool have_iq;
	uint64_t iq_base;
	long long iq_head, iq_tail;
	unsigned iq_qw;          /* 2 or 4 qwords per descriptor */
	struct ii_iq_row *iq;    /* every slot, in index order */
	size_t niq, capiq;
	unsigned iq_bits;        /* bits per descriptor: 128 or 256 */
	long long iq_pending;    /* descriptors from head to tail */
	size_t iq_types[16];     /* descriptors by type (qw0 bits 3:0); [0]: empty */
	size_t iq_other;         /* of a type with no name */
	size_t iq_status[II_IQS_N];
	const struct ii_iq_row *iq_recent[II_RECENT]; /* the last before the head, oldest first */
	size_t niq_recent;
	/* Intel ir_translation_struct */
	bool have_irt, irt_enabled;
	uint64_t irt_table;
	struct ii_dbg_irte *irtes;
	size_t nirtes, capirtes, irt_posted;
	/* Intel dmar_perf_latency */
	bool have_lat;
	struct ii_lat_row *lat;
	size_t nlat, caplat;
	/* AMD per unit */
	bool have_mmio, have_cap, have_cmdbuf;
	uint32_t mmio_off, cap_off;
	uint64_t mmio_val, cap_val;
	long long cmd_head, cmd_tail;
	struct ii_amd_cmd_row *cmds;
	size_t ncmds, capcmds;
	size_t cmd_types[16];    /* commands by opcode */
	const struct ii_amd_cmd_row *cmd_recent[II_RECENT]; /* the last before the head */
	size_t ncmd_recent;
	/* AMD: the selected device, when it is behind this unit */
	bool have_dte;
	struct ii_amd_dte dte;
	struct ii_amd_dte_info dte_info;
	struct ii_amd_irte_row *airtes;
	size_t nairtes, capairtes;
	bool have_airt;
	char airt_msg[96];
};

struct ii_dbg_regs {
	struct ii_dbgfs fs;
	struct ii_dbg_unit *units;
	size_t nunits, cap;
	const char *dte_msg;     /* AMD: why devtbl shows no entry */
};

/* Probe debugfs and read every unit's files (ii_system_load with II_LOAD_DBG_REGS). */
void ii_dbg_regs_load(struct ii_system *s, struct ii_dbg_regs *r);
void ii_dbg_regs_free(struct ii_dbg_regs *r);
/* The debugfs unit of a sysfs unit (dmar0 -> dmar0; AMD ivhd3 -> iommu03), or NULL. */
const struct ii_dbg_unit *ii_dbg_regs_unit(const struct ii_dbg_regs *r, const char *sysfs_name);
/* A register of the unit's iommu_regset by name, or NULL. */
const struct ii_regset_row *ii_dbg_unit_reg(const struct ii_dbg_unit *u, const char *name);

#endif
