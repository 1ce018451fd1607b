// SPDX-License-Identifier: MIT
/* Helpers of the commands that read debugfs. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd-dbg.h"
#include "faults.h"

void ii_cmd_warnings_since(struct ii_system *s, size_t from)
{
	fflush(stdout);
	for (size_t i = from; i < s->diags.warnings.n; i++)
		fprintf(stderr, "iommu-inspect: warning: %s\n", s->diags.warnings.v[i]);
}

void ii_cmd_load_regs(struct ii_ctx *ctx, struct ii_system *s, struct ii_dbg_regs *r)
{
	size_t from = s->diags.warnings.n;

	(void)ctx;
	ii_dbg_regs_load(s, r);
	if (r->fs.state != II_DBG_OK && s->nunits)
		ii_warn(&s->diags, "--regs: %s", r->fs.why);
	s->dbg_regs = r;
	ii_cmd_warnings_since(s, from);
}

struct ii_fault_notes {
	struct ii_dbg dbg;
	bool ok;
};

void ii_cmd_fault_note(struct ii_system *s, struct ii_fault_notes **notes, struct ii_fault *f)
{
	struct ii_fault_notes *n = *notes;
	struct ii_iova_info info;
	char name[16], buf[128];
	const char *note;

	/* a DMA fault with its requester and address, on requests without PASID */
	if (f->kind != II_FK_DMA || !f->has_bdf || !f->has_addr || (f->has_pasid && f->pasid))
		return;
	if (!n) {
		size_t from = s->diags.warnings.n;

		n = *notes = xcalloc(1, sizeof(*n));
		ii_dbg_load(s, &n->dbg);
		n->ok = n->dbg.fs.state == II_DBG_OK && n->dbg.fs.vendor == II_VENDOR_INTEL &&
			ii_dbg_index(s, &n->dbg) == 0;
		/* debugfs is a bonus here: what is wrong with it is for domains and mappings to say */
		while (s->diags.warnings.n > from)
			free(s->diags.warnings.v[--s->diags.warnings.n]);
	}
	if (!n->ok)
		return;
	ii_format_bdf(&f->bdf, name);
	ii_dbg_lookup_indexed(s, &n->dbg, name, f->addr, &info);
	note = ii_iova_note(&info, f->access & II_ACC_WRITE ? 'w' : f->access & II_ACC_READ ? 'r' : 0,
			    buf, sizeof(buf));
	if (note)
		snprintf(f->annotation, sizeof(f->annotation), "%s", note);
}

void ii_cmd_fault_notes_free(struct ii_fault_notes *notes)
{
	if (!notes)
		return;
	ii_dbg_free(&notes->dbg);
	free(notes);
}
