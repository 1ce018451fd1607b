// SPDX-License-Identifier: MIT
/* src/model/model-journal.c: which boot --boot names, and whether it is the root's. */
#include <errno.h>

#include "jrun.h"
#include "test.h"

static const char *ids[] = { "00000000000000000000000000000001", "00000000000000000000000000000002",
			     "00000000000000000000000000000003" };

static void rows(struct ii_jrun *jr, struct ii_boot_row *r, int current)
{
	memset(jr, 0, sizeof(*jr));
	for (int i = 0; i < 3; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		strcpy(r[i].b.id, ids[i]);
		r[i].index = i - 2;
		r[i].number = i + 1;
		r[i].current = i == current;
	}
	jr->rows = r;
	jr->nrows = 3;
	jr->has_root_boot = current >= 0;
}

TEST(journal_boot_choice)
{
	struct ii_boot_row r[3];
	struct ii_boot_sel sel;
	struct ii_jrun jr;

	rows(&jr, r, 2);
	CHECK_INT(ii_boot_sel_parse("", &sel), 0);
	CHECK_INT(ii_jrun_choose(&jr, &sel), 0);
	CHECK_STR(jr.chosen->b.id, ids[2]);
	CHECK_INT(jr.attr, II_BOOT_ATTR_CURRENT);
	CHECK_INT(ii_boot_sel_parse("-1", &sel), 0);
	CHECK_INT(ii_jrun_choose(&jr, &sel), 0);
	CHECK_STR(jr.chosen->b.id, ids[1]);
	CHECK_INT(jr.attr, II_BOOT_ATTR_OTHER);
	CHECK_INT(ii_boot_sel_parse("1", &sel), 0);
	CHECK_INT(ii_jrun_choose(&jr, &sel), 0);
	CHECK_STR(jr.chosen->b.id, ids[0]);
	CHECK_INT(ii_boot_sel_parse("-3", &sel), 0);
	CHECK_INT(ii_jrun_choose(&jr, &sel), -ENOENT);
	CHECK_INT(ii_boot_sel_parse("4", &sel), 0);
	CHECK_INT(ii_jrun_choose(&jr, &sel), -ENOENT);
	CHECK_INT(ii_boot_sel_parse("00000000-0000-0000-0000-000000000002", &sel), 0);
	CHECK(sel.by_id);
	CHECK_INT(ii_jrun_choose(&jr, &sel), 0);
	CHECK_STR(jr.chosen->b.id, ids[1]);
	CHECK_INT(ii_boot_sel_parse("abc", &sel), -EINVAL);
	CHECK_INT(ii_boot_sel_parse("-1x", &sel), -EINVAL);
	/* the root's boot in the middle: 0 is it, -1 the one before it */
	rows(&jr, r, 1);
	ii_boot_sel_parse("0", &sel);
	CHECK_INT(ii_jrun_choose(&jr, &sel), 0);
	CHECK_STR(jr.chosen->b.id, ids[1]);
	ii_boot_sel_parse("-1", &sel);
	ii_jrun_choose(&jr, &sel);
	CHECK_STR(jr.chosen->b.id, ids[0]);
	/* no root boot: 0 is the last, and its faults are not joined with devices */
	rows(&jr, r, -1);
	ii_boot_sel_parse("", &sel);
	CHECK_INT(ii_jrun_choose(&jr, &sel), 0);
	CHECK_STR(jr.chosen->b.id, ids[2]);
	CHECK_INT(jr.attr, II_BOOT_ATTR_UNKNOWN);
	CHECK_STR(ii_boot_attr_key(II_BOOT_ATTR_OTHER), "other-boot");
}
