// SPDX-License-Identifier: MIT
/*
 * iommus --regs: a unit's registers and tables from debugfs, inside its
 * object under "debugfs". Intel: iommu_regset decoded, the invalidation
 * queue, the interrupt remapping table, the invalidation latencies. AMD
 * (6.15+): the selected MMIO and capability registers, the command buffer,
 * and the device table entry and interrupt table of the selected device.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render-dbg.h"

/* The registers whose fields are decoded, in this order. */
static const char *const decoded[] = { "GSTS", "GCMD", "FSTS", "FECTL", "RTADDR",
				       "IQA",  "IRTA", "PMEN", "PRS",   "PECTL", "ICS" };

static void flag(struct ii_out *o, const char *key, const char *fmt, bool known, bool v)
{
	if (known)
		out_bool(o, key, fmt, v);
	else
		out_null(o, key, fmt);
}

static void intel_registers(struct ii_out *o, const struct ii_dbg_unit *u)
{
	if (u->have_regset)
		out_hex(o, "register_base", "  debugfs: registers at 0x%llx\n", u->base, 0);
	else
		out_null(o, "register_base", "  debugfs: no registers in iommu_regset%.0s\n");
	out_text(o, "    state:");
	flag(o, "translation_enabled", " translation: %s,", u->have_gsts, u->translation_enabled);
	flag(o, "queued_invalidation_enabled", " queued invalidation: %s,", u->have_gsts, u->qi_enabled);
	flag(o, "interrupt_remapping_enabled", " interrupt remapping: %s,", u->have_gsts, u->ir_enabled);
	flag(o, "fault_pending", " fault pending: %s,", u->have_fsts, u->fault_pending);
	flag(o, "fault_overflow", " fault overflow: %s", u->have_fsts, u->fault_overflow);
	if (u->have_rtaddr) {
		out_hex(o, "root_table", "\n    root table at 0x%llx", u->root_table, 0);
		out_bool(o, "scalable_mode", NULL, u->root_mode == II_DM_SCALABLE);
		out_text(o, " (%s mode)", ii_dbg_mode_key(u->root_mode));
	} else {
		out_null(o, "root_table", NULL);
		out_null(o, "scalable_mode", NULL);
	}
	out_text(o, "\n");
	out_open_arr(o, "registers");
	for (size_t i = 0; i < u->nregs; i++) {
		out_open_obj(o, NULL);
		out_str(o, "name", NULL, u->regs[i].name);
		out_hex(o, "offset", NULL, u->regs[i].offset, 0);
		out_hex(o, "value", NULL, u->regs[i].value, 16);
		out_close_obj(o);
	}
	out_close_arr(o);
	out_open_obj(o, "decoded");
	for (size_t i = 0; i < II_ARRAY_SIZE(decoded); i++) {
		const struct ii_regset_row *r = ii_dbg_unit_reg(u, decoded[i]);
		const struct ii_regdesc *rd = ii_intel_dbg_regdesc(decoded[i]);

		if (!r || !rd)
			continue;
		out_open_obj(o, decoded[i]);
		out_text(o, "    %-7s", decoded[i]);
		out_hex(o, "value", " 0x%016llx", r->value, 16);
		render_reg_fields(o, rd, r->value, ii_intel_dbg_explain);
		if (!strcmp(decoded[i], "GCMD") && !r->value)
			out_text(o, " (write-only: it reads as 0; GSTS has the state)");
		out_text(o, "\n");
		out_close_obj(o);
	}
	out_close_obj(o);
	if (u->nregs)
		out_text(o, "    (all %zu registers of iommu_regset are in the JSON output)\n", u->nregs);
}

static void queue(struct ii_out *o, const struct ii_dbg_unit *u)
{
	unsigned sep = 0;

	if (!u->have_iq) {
		out_null(o, "invalidation_queue", NULL);
		return;
	}
	out_open_obj(o, "invalidation_queue");
	out_hex(o, "base", "  invalidation queue at 0x%llx:", u->iq_base, 0);
	out_uint(o, "slots", " %llu descriptors", u->niq);
	out_uint(o, "descriptor_bits", " of %llu bits", u->iq_bits);
	out_int(o, "head", ", head %lld", u->iq_head);
	out_int(o, "tail", ", tail %lld", u->iq_tail);
	out_int(o, "pending", " (%lld pending)\n", u->iq_pending);
	out_text(o, "    by type:");
	out_open_obj(o, "types");
	for (unsigned t = 1; t < 16; t++) {
		const char *name = ii_iq_type_name(t);

		if (!u->iq_types[t] || !name)
			continue;
		out_text(o, "%s", sep++ ? ", " : " ");
		out_uint(o, name, "%llu", u->iq_types[t]);
		out_text(o, " %s", name);
	}
	if (u->iq_types[0])
		out_text(o, "%s", sep++ ? ", " : " ");
	out_uint(o, "empty", u->iq_types[0] ? "%llu empty" : NULL, u->iq_types[0]);
	if (u->iq_other)
		out_text(o, "%s", sep++ ? ", " : " ");
	out_uint(o, "other", u->iq_other ? "%llu of other types" : NULL, u->iq_other);
	out_close_obj(o);
	out_text(o, "\n    by status:");
	out_open_obj(o, "statuses");
	sep = 0;
	for (unsigned k = 0; k < II_IQS_N; k++) {
		if (u->iq_status[k])
			out_text(o, "%s", sep++ ? ", " : " ");
		out_uint(o, ii_iq_status_key(k), u->iq_status[k] ? "%llu" : NULL, u->iq_status[k]);
		if (u->iq_status[k])
			out_text(o, " %s", ii_iq_status_key(k));
	}
	out_close_obj(o);
	out_text(o, "\n    the last %d before the head:\n", II_RECENT);
	out_open_arr(o, "recent");
	for (size_t k = 0; k < u->niq_recent; k++) {
		const struct ii_iq_row *r = u->iq_recent[k];
		const char *tn = ii_iq_type_name(r->qw[0]);

		out_open_obj(o, NULL);
		out_uint(o, "index", "    %5llu", r->index);
		out_str(o, "type", " %-13s", tn ? tn : "unknown");
		out_open_arr(o, "qw");
		for (unsigned q = 0; q < r->nqw; q++)
			out_hex(o, NULL, " %016llx", r->qw[q], 16);
		out_close_arr(o);
		out_str(o, "status", " %s\n", ii_iq_status_name(r->status) ? ii_iq_status_name(r->status)
									 : "unknown");
		out_close_obj(o);
	}
	out_close_arr(o);
	out_close_obj(o);
}

static void irtes(struct ii_out *o, const struct ii_dbg_unit *u)
{
	if (!u->have_irt) {
		out_null(o, "interrupt_remapping_table", NULL);
		return;
	}
	out_open_obj(o, "interrupt_remapping_table");
	out_bool(o, "enabled", NULL, u->irt_enabled);
	if (!u->irt_enabled) {
		out_null(o, "address", "  interrupt remapping table: %s (interrupt remapping is not enabled)\n");
	} else {
		out_hex(o, "address", "  interrupt remapping table at 0x%llx", u->irt_table, 0);
		out_text(o, " (%s): %zu entries, %zu posted\n", u->irt_x2apic ? "x2APIC" : "xAPIC",
			 u->nirtes, u->irt_posted);
	}
	out_open_arr(o, "entries");
	if (u->nirtes)
		out_text(o, "    entry  source   vector  destination        delivery        trigger  "
			    "source check\n");
	for (size_t i = 0; i < u->nirtes; i++) {
		const struct ii_dbg_irte *e = &u->irtes[i];
		const struct ii_irte_row *r = &e->row;
		char sid[16];

		snprintf(sid, sizeof(sid), "%02x:%02x.%x", r->bus, r->dev, r->fn);
		out_open_obj(o, NULL);
		out_uint(o, "index", "    %-5llu", r->index);
		out_str(o, "source_id", "  %s", sid);
		out_uint(o, "vector", "  0x%02llx    ", r->vector);
		out_bool(o, "posted", NULL, r->posted);
		if (r->posted) {
			out_null(o, "destination", NULL);
			out_null(o, "destination_mode", NULL);
			out_hex(o, "posted_descriptor", "posted to 0x%-8llx  ", e->posted_desc, 0);
		} else {
			out_uint(o, "destination", u->irt_x2apic ? "0x%08llx" : "0x%02llx      ", e->dest);
			out_str(o, "destination_mode", " %-9s", e->info.logical ? "logical" : "physical");
			out_null(o, "posted_descriptor", NULL);
		}
		out_str(o, "delivery_mode", "  %-14s", ii_irte_delivery_name(e->info.delivery_mode));
		out_str(o, "trigger", "  %-7s", e->info.level_trigger ? "level" : "edge");
		out_str(o, "sid_check", "  %s", ii_irte_svt_name(e->info.svt));
		out_uint(o, "sid_qualifier", NULL, e->info.sq);
		out_hex(o, "high", NULL, r->hi, 16);
		out_hex(o, "low", NULL, r->lo, 16);
		out_text(o, "\n");
		out_close_obj(o);
	}
	out_close_arr(o);
	out_close_obj(o);
}

static void latency(struct ii_out *o, const struct ii_dbg_unit *u)
{
	if (!u->have_lat) {
		out_null(o, "latency", NULL);
		return;
	}
	out_open_arr(o, "latency");
	if (!u->nlat)
		out_text(o, "  invalidation latency: not being measured (write 1, 2 or 3 to "
			    "dmar_perf_latency to start)\n");
	else {
		out_text(o, "  invalidation latency (dmar_perf_latency):\n    %-12s", "type");
		for (unsigned k = 0; k < II_LAT_COLS; k++)
			out_text(o, " %11s", ii_lat_labels[k]);
		out_text(o, "\n");
	}
	for (size_t i = 0; i < u->nlat; i++) {
		const struct ii_lat_row *r = &u->lat[i];

		out_open_obj(o, NULL);
		out_str(o, "type", "    %-12s", r->type);
		out_open_arr(o, "counts");
		for (unsigned k = 0; k < 7; k++)
			out_int(o, NULL, " %11lld", r->v[k]);
		out_close_arr(o);
		out_int(o, "min_us", " %11lld", r->v[7]);
		out_int(o, "max_us", " %11lld", r->v[8]);
		out_int(o, "average_us", " %11lld\n", r->v[9]);
		out_close_obj(o);
	}
	out_close_arr(o);
}

/* ------------------------------------------------------------------- AMD */

static void offset_value(struct ii_out *o, const char *key, const char *what, bool have,
			 uint32_t off, uint64_t val)
{
	if (!have) {
		out_null(o, key, NULL);
		out_text(o, "    %s: none selected (iommu-inspect never writes the offset file)\n", what);
		return;
	}
	out_open_obj(o, key);
	out_text(o, "    %s at offset", what);
	out_hex(o, "offset", " 0x%llx", off, 0);
	out_hex(o, "value", ": 0x%016llx\n", val, 16);
	out_close_obj(o);
}

static void amd_cmdbuf(struct ii_out *o, const struct ii_dbg_unit *u)
{
	unsigned sep = 0;

	if (!u->have_cmdbuf) {
		out_null(o, "command_buffer", NULL);
		return;
	}
	out_open_obj(o, "command_buffer");
	out_int(o, "head", "    command buffer: head %lld", u->cmd_head);
	out_int(o, "tail", ", tail %lld", u->cmd_tail);
	out_uint(o, "slots", ", %llu entries\n      by type:", u->ncmds);
	out_open_obj(o, "types");
	for (unsigned t = 0; t < 16; t++) {
		const char *name = ii_amd_cmd_type_name(t);

		if (name && u->cmd_types[t]) {
			out_text(o, "%s", sep++ ? ", " : " ");
			out_uint(o, name, "%llu", u->cmd_types[t]);
			out_text(o, " %s", name);
		}
	}
	out_close_obj(o);
	out_text(o, "\n      the last %d before the head:\n", II_RECENT);
	out_open_arr(o, "recent");
	for (size_t k = 0; k < u->ncmd_recent; k++) {
		const struct ii_amd_cmd_row *r = u->cmd_recent[k];
		const char *name = ii_amd_cmd_name(r);

		out_open_obj(o, NULL);
		out_uint(o, "index", "        %3llu", r->index);
		out_str(o, "type", " %-26s", name ? name : "unknown");
		out_open_arr(o, "words");
		for (unsigned w = 0; w < 4; w++)
			out_hex(o, NULL, " %08llx", r->d[w], 8);
		out_close_arr(o);
		out_text(o, "\n");
		out_close_obj(o);
	}
	out_close_arr(o);
	out_close_obj(o);
}

static void amd_device(struct ii_out *o, const struct ii_dbg_unit *u)
{
	const struct ii_amd_dte_info *di = &u->dte_info;
	char bdf[II_BDF_MAX];

	if (!u->have_dte) {
		out_null(o, "selected_device", NULL);
		return;
	}
	ii_format_bdf(&u->dte.bdf, bdf);
	out_open_obj(o, "selected_device");
	out_str(o, "bdf", "    device table entry of %s (selected in amd/devid):", bdf);
	out_open_arr(o, "dte");
	for (int q = 3; q >= 0; q--)
		out_hex(o, NULL, " %016llx", u->dte.q[q], 16);
	out_close_arr(o);
	out_bool(o, "valid", "\n      valid %s", di->valid);
	out_bool(o, "translation_valid", ", translation valid %s", di->tv);
	out_uint(o, "mode", ", %llu-level page table", di->mode);
	out_hex(o, "page_table", " at 0x%llx", di->pgd, 0);
	out_uint(o, "domain_id", ", domain %llu", di->did);
	out_bool(o, "read", ", read %s", di->ir);
	out_bool(o, "write", ", write %s", di->iw);
	out_bool(o, "interrupt_remapping", ", interrupt remapping %s", di->iv);
	out_hex(o, "interrupt_table", " (table at 0x%llx", di->irt, 0);
	out_uint(o, "interrupt_table_size", ", %llu entries)\n", di->int_tab_entries);
	out_open_arr(o, "interrupts");
	if (u->airt_msg[0])
		out_text(o, "      interrupt table: %s\n", u->airt_msg);
	for (size_t i = 0; i < u->nairtes; i++) {
		const struct ii_amd_irte_row *r = &u->airtes[i];

		out_open_obj(o, NULL);
		out_uint(o, "index", "      IRT[%04llu]", r->index);
		out_str(o, "format", " %s", r->ga ? "128-bit" : "32-bit");
		out_uint(o, "vector", " vector 0x%02llx", r->vector);
		out_hex(o, "high", r->ga ? " %016llx" : NULL, r->hi, 16);
		out_hex(o, "low", r->ga ? " %016llx\n" : " %08llx\n", r->lo, r->ga ? 16 : 8);
		out_close_obj(o);
	}
	out_close_arr(o);
	out_close_obj(o);
}

void render_unit_regs(struct ii_out *o, const struct ii_system *s, const struct ii_unit *su)
{
	const struct ii_dbg_regs *r = s->dbg_regs;
	const struct ii_dbg_unit *u = r && r->fs.state == II_DBG_OK ? ii_dbg_regs_unit(r, su->name) : NULL;

	if (!u) {
		out_null(o, "debugfs", r && r->fs.state == II_DBG_OK ? "  debugfs: nothing about this "
									"unit%.0s\n" : NULL);
		return;
	}
	out_open_obj(o, "debugfs");
	if (r->fs.vendor == II_VENDOR_AMD) {
		out_text(o, "  debugfs (%s):\n", u->name);
		offset_value(o, "mmio", "MMIO register", u->have_mmio, u->mmio_off, u->mmio_val);
		offset_value(o, "capability", "capability register", u->have_cap, u->cap_off, u->cap_val);
		amd_cmdbuf(o, u);
		amd_device(o, u);
	} else {
		intel_registers(o, u);
		queue(o, u);
		irtes(o, u);
		latency(o, u);
	}
	out_close_obj(o);
}
