/* SPDX-License-Identifier: MIT */
/*
 * Renderers of what debugfs shows: domains, mappings, IOVA lookups, and the
 * registers and tables of iommus --regs (src/render-domains.c,
 * src/render-mappings.c, src/render-regs.c).
 */
#ifndef II_RENDER_DBG_H
#define II_RENDER_DBG_H

#include "dbgregs.h"
#include "domains.h"
#include "output.h"

/* "16.3 MiB", "4 KiB", "512 B", into buf. */
const char *render_size(uint64_t bytes, char *buf, size_t size);

/* The "debugfs" object every domains and mappings document has: state, path, layout, message. */
void render_dbg_state(struct ii_out *o, const struct ii_system *s, const struct ii_dbg *d);

void render_domains(struct ii_out *o, const struct ii_system *s, const struct ii_dbg *d);

/* mappings: one element per device (or domain), its ranges streamed in between. */
void render_mapping_begin(struct ii_out *o, const struct ii_system *s, const struct ii_dbg_domain *dom,
			  const char *bdf, bool first);
void render_mapping_range(struct ii_out *o, const struct ii_range *r);
void render_mapping_end(struct ii_out *o, const struct ii_dbg_domain *dom);
/* An element for a device with nothing to list (pass-through): why, and "ranges": null. */
void render_mapping_none(struct ii_out *o, const struct ii_system *s, const struct ii_dbg_domain *dom,
			 const char *bdf, const char *why, bool first);
/* mappings --raw: one page-table entry of the domain bdf's dump is named after. */
void render_pte(struct ii_out *o, const struct ii_dbg_domain *dom, const char *bdf,
		const struct ii_pte *p);
/* mappings --at */
void render_lookup(struct ii_out *o, const struct ii_system *s, const char *bdf,
		   const struct ii_iova_info *info);

/* iommus --regs: the unit's registers and tables (in the unit's object, key "debugfs"). */
void render_unit_regs(struct ii_out *o, const struct ii_system *s, const struct ii_unit *u);

#endif
