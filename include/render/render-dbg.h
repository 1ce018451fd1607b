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
void render_dbg_state(struct ii_out *o, const struct ii_system *s);

void render_domains(struct ii_out *o, const struct ii_system *s);

/*
 * mappings: the elements as ii_mappings_visit() hands them over, in the array
 * "mappings" (or "ptes" with raw) that begin opens and end closes.
 */
struct render_map {
	struct ii_out *o;
	const struct ii_dbg *dbg;
	size_t shown;
	struct ii_map_visit visit; /* for ii_mappings_visit() */
};
void render_mappings_begin(struct render_map *rm, struct ii_out *o, const struct ii_system *s,
			   bool raw);
void render_mappings_end(struct render_map *rm);
/* mappings --at: the array "lookups"; a device that does not exist is an error. */
void render_lookups(struct ii_out *o, const struct ii_map_lookups *l);
/* Nothing can be shown: the (empty) array key and the error. */
void render_mappings_unavailable(struct ii_out *o, const struct ii_system *s, const char *key,
				 enum ii_dbg_why why);
/* Nothing was shown (ii_map_result.empty): an error for --domain, else a line of text. */
void render_mappings_empty(struct ii_out *o, enum ii_dbg_why why, const char *domain_arg);

/* iommus --regs: the unit's registers and tables (in the unit's object, key "debugfs"). */
void render_unit_regs(struct ii_out *o, const struct ii_system *s, const struct ii_unit *u);

#endif
