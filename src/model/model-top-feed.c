// SPDX-License-Identifier: MIT
/*
 * top's faults from the kernel log (include/model/top-feed.h): a stopgap
 * until the fault run can be asked for what is new. Everything it does is in
 * ii_top_faults(); the helpers below are the assembler's callbacks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "logsrc.h"
#include "top-feed.h"

struct ii_top_faults {
	struct ii_logsrc ls;
	int err;                  /* opening the log failed: -errno */
	struct ii_fasm fasm;
	const struct ii_system *s;
	struct ii_sampler *sp;
	bool has_boot;
	int64_t boot_usec;
};

static void on_fault(void *ctx, struct ii_fault *f)
{
	struct ii_top_faults *t = ctx;

	ii_fault_attribute(t->s, f);
	if (!f->pos.wall[0] && f->pos.has_usec && t->has_boot)
		ii_logpos_times(&f->pos, NULL, true, t->boot_usec);
	ii_sampler_fault(t->sp, f);
}

static void on_drop(void *ctx, const struct ii_fault_drop *d)
{
	struct ii_top_faults *t = ctx;

	ii_sampler_drop(t->sp, d);
}

static void on_unparsed(void *ctx, const struct ii_logpos *pos, enum ii_vendor v, const char *line,
			size_t len)
{
	(void)ctx, (void)pos, (void)v, (void)line, (void)len;
}

static int on_record(void *ctx, const struct ii_logrec *rec)
{
	struct ii_top_faults *t = ctx;
	struct ii_logpos pos = { .has_seq = rec->has_seq, .seq = rec->seq,
				 .has_usec = rec->has_usec, .usec = rec->usec };

	if (!rec->kernel)
		ii_fasm_seen(&t->fasm, &pos);
	else
		ii_fasm_record(&t->fasm, &pos, rec->text, rec->len,
			       rec->kmsg ? rec->kmsg->device : NULL);
	return 0;
}

void ii_top_faults(struct ii_top_faults **tf, const struct ii_system *s, struct ii_sampler *sp)
{
	struct ii_top_faults *t = *tf;
	struct ii_act_state st = { .why = II_WHY_LIVE };
	int rc;

	if (!sp) {
		if (t)
			ii_logsrc_close(&t->ls);
		free(t);
		*tf = NULL;
		return;
	}
	if (!t) {
		t = *tf = xcalloc(1, sizeof(*t));
		t->err = ii_logsrc_open_root(&t->ls, s->root);
		if (!t->err)
			t->has_boot = ii_log_boottime(&t->ls, s, &t->boot_usec);
		ii_fasm_init(&t->fasm, &(struct ii_fault_sink){ on_fault, on_drop, on_unparsed, t,
								.no_msg = false });
	}
	t->s = s;
	t->sp = sp;
	rc = t->err ? t->err : ii_logsrc_read(&t->ls, on_record, t, !t->ls.device);
	ii_fasm_flush(&t->fasm);
	if (rc == -EPERM || rc == -EACCES) {
		st = (struct ii_act_state){ .why = II_WHY_NOT_ROOT, .err = rc };
		snprintf(st.detail, sizeof(st.detail), "%s", t->ls.display ? t->ls.display : "");
	} else if (rc == -ENOENT && !ii_root_is_live(s->root)) {
		st = (struct ii_act_state){ .why = II_WHY_NOT_RECORDED, .err = rc };
	} else if (rc < 0) {
		st = (struct ii_act_state){ .why = II_WHY_ERROR, .err = rc };
		snprintf(st.detail, sizeof(st.detail), "%s", t->ls.display ? t->ls.display : "");
	}
	ii_sampler_source(sp, II_ACT_KMSG, &st);
}
