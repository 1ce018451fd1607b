// SPDX-License-Identifier: MIT
/*
 * src/model/model-dbgregs.c over the recorded trees: each unit's registers
 * and what they say, the invalidation queue's statistics, the interrupt
 * remapping table decoded, AMD's command buffer and selected device table
 * entry; and the load flags' warnings.
 */
#include <stdlib.h>
#include <string.h>

#include "dbgregs.h"
#include "fixture.h"
#include "test.h"

#define BASE (II_LOAD_UNITS | II_LOAD_LOG | II_LOAD_SYSINFO)

static struct ii_root *load(struct ii_system *s, const char *name, unsigned what)
{
	char path[4096], *err = NULL;
	struct ii_root *r;

	memset(s, 0, sizeof(*s));
	if (!fx_path(name, path, sizeof(path))) {
		CHECK(!"fixtures/ not found");
		return NULL;
	}
	r = ii_root_open(path, &err);
	if (!r) {
		t_fail(__FILE__, __LINE__, "%s: %s", path, err ? err : "?");
		free(err);
		return NULL;
	}
	ii_system_load(s, r, BASE | what, NULL);
	return r;
}

TEST(dbgregs_intel_capture)
{
	struct ii_system s;
	struct ii_root *r = load(&s, "intel-debugfs", II_LOAD_DBG_REGS | II_LOAD_DBG_WARN);
	const struct ii_dbg_unit *u;

	if (!r)
		return;
	CHECK(s.dbg_regs != NULL && s.dbg == NULL);
	CHECK_INT(s.diags.warnings.n, 0);
	CHECK_INT(s.dbg_regs->nunits, 1);
	u = ii_dbg_regs_unit(s.dbg_regs, "dmar0");
	CHECK(u != NULL);
	if (!u)
		goto out;
	CHECK(u->have_regset);
	CHECK_U64(u->base, 0xfed90000);
	CHECK_INT(u->nregs, 67);
	CHECK(ii_dbg_unit_reg(u, "GSTS") && ii_dbg_unit_reg(u, "GSTS")->value == 0xc7000000);
	CHECK(ii_dbg_unit_reg(u, "NOSUCH") == NULL);
	/* GSTS 0xc7000000: TES, QIES, IRES; FSTS 0 */
	CHECK(u->have_gsts && u->translation_enabled && u->qi_enabled && u->ir_enabled);
	CHECK(u->have_fsts && !u->fault_pending && !u->fault_overflow);
	CHECK(u->have_rtaddr);
	CHECK_U64(u->root_table, 0x1e21000);
	CHECK_INT(u->root_mode, II_DM_LEGACY);
	CHECK(!u->irt_x2apic);
	/* the queue: 256 slots of 128 bits, head = tail = 238, half iotlb_inv, half inv_wait */
	CHECK(u->have_iq);
	CHECK_U64(u->iq_base, 0x1252000);
	CHECK_INT(u->niq, 256);
	CHECK_INT(u->iq_bits, 128);
	CHECK_INT(u->iq_head, 238);
	CHECK_INT(u->iq_pending, 0);
	CHECK_INT(u->iq_types[2], 128);
	CHECK_INT(u->iq_types[5], 128);
	CHECK_INT(u->iq_types[0], 0);
	CHECK_INT(u->iq_other, 0);
	CHECK_INT(u->iq_status[II_IQS_FREE], 256);
	CHECK_INT(u->iq_status[II_IQS_DONE], 0);
	CHECK_INT(u->niq_recent, II_RECENT);
	CHECK(u->niq_recent && u->iq_recent[0]->index == 230 && u->iq_recent[7]->index == 237);
	CHECK_STR(ii_iq_status_key(II_IQS_IN_USE), "in_use");
	/* the interrupt remapping table: 27 xAPIC entries, logical destinations */
	CHECK(u->have_irt && u->irt_enabled);
	CHECK_U64(u->irt_table, 0x1300000);
	CHECK_INT(u->nirtes, 27);
	CHECK_INT(u->irt_posted, 0);
	if (u->nirtes) {
		CHECK_INT(u->irtes[0].row.index, 0);
		CHECK_INT(u->irtes[0].row.vector, 0x2a);
		CHECK_INT(u->irtes[0].dest, 1);
		CHECK(u->irtes[0].info.logical);
		CHECK_INT(u->irtes[0].info.delivery_mode, 0);
		CHECK_STR(ii_irte_delivery_name(u->irtes[0].info.delivery_mode), "fixed");
		CHECK_STR(ii_irte_svt_name(u->irtes[0].info.svt), "requester-id");
	}
	CHECK(u->have_lat);
out:
	ii_system_free(&s);
	CHECK(s.dbg_regs == NULL);
	ii_root_close(r);
}

TEST(dbgregs_amd_synthetic)
{
	struct ii_system s;
	struct ii_root *r = load(&s, "amd-debugfs-v7.2-synthetic", II_LOAD_DBG_REGS);
	const struct ii_dbg_unit *u;

	if (!r)
		return;
	CHECK_INT(s.dbg_regs->fs.vendor, II_VENDOR_AMD);
	/* ivhd0 in sysfs is iommu00 in debugfs */
	u = ii_dbg_regs_unit(s.dbg_regs, "ivhd0");
	CHECK(u != NULL);
	if (!u)
		goto out;
	CHECK_STR(u->name, "iommu00");
	CHECK(u->have_mmio && !u->have_cap);
	CHECK_INT(u->mmio_off, 0x18);
	CHECK_U64(u->mmio_val, 0x000c22000003f48dULL);
	CHECK(u->have_cmdbuf);
	CHECK_INT(u->cmd_head, 339);
	CHECK_INT(u->ncmds, 512);
	CHECK_INT(u->cmd_types[1], 256);
	CHECK_INT(u->cmd_types[3], 256);
	CHECK_STR(ii_amd_cmd_type_name(3), "INVALIDATE_IOMMU_PAGES");
	CHECK_INT(u->ncmd_recent, II_RECENT);
	CHECK(u->ncmd_recent && u->cmd_recent[0]->index == 331);
	/* the selected device: 00:05.0, a 3-level host page table, 2048 interrupts */
	CHECK(u->have_dte);
	CHECK_INT(u->dte.bdf.dev, 5);
	CHECK(u->dte_info.valid && u->dte_info.tv);
	CHECK_INT(u->dte_info.did, 5);
	CHECK_INT(u->dte_info.translation, II_TT_HOST);
	CHECK_INT(u->dte_info.levels, 3);
	CHECK_U64(u->dte_info.pgd, 0x123456000);
	CHECK_U64(u->dte_info.int_tab_entries, 2048);
	CHECK(u->have_airt && u->nairtes >= 3);
	if (u->nairtes >= 3) {
		CHECK(u->airtes[0].ga);
		CHECK_INT(u->airtes[0].vector, 0x21);
		CHECK_INT(u->airtes[2].vector, 0x23);
	}
out:
	ii_system_free(&s);
	ii_root_close(r);
}

TEST(dbgregs_warn_flag)
{
	struct ii_system s;
	struct ii_root *r = load(&s, "intel-q35", II_LOAD_DBG_REGS);

	if (!r)
		return;
	/* debugfs is not there: a fact, no warning unless asked for */
	CHECK(s.dbg_regs->fs.state != II_DBG_OK);
	CHECK_INT(s.diags.warnings.n, 0);
	CHECK(ii_dbg_regs_unit(s.dbg_regs, "dmar0") == NULL);
	CHECK_INT(s.dbg_regs->fs.lockdown, II_LOCKDOWN_UNKNOWN); /* not recorded */
	CHECK_STR(ii_lockdown_key(II_LOCKDOWN_INTEGRITY), "integrity");
	CHECK(ii_lockdown_key(II_LOCKDOWN_UNKNOWN) == NULL);
	ii_system_free(&s);
	ii_root_close(r);
	r = load(&s, "intel-q35", II_LOAD_DBG_REGS | II_LOAD_DBG_WARN);
	if (!r)
		return;
	CHECK_INT(s.diags.warnings.n, 1);
	CHECK(s.diags.warnings.n && !strncmp(s.diags.warnings.v[0], "--regs: ", 8));
	ii_system_free(&s);
	ii_root_close(r);
}
