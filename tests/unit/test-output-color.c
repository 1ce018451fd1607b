// SPDX-License-Identifier: MIT
/* src/core/output.c: colour roles around escaped text, never in JSON. */
#define _GNU_SOURCE
#include <stdlib.h>

#include "output.h"
#include "test.h"

struct mem {
	FILE *f;
	char *buf;
	size_t len;
	struct ii_out *o;
};

static void mem_open(struct mem *m, enum ii_format fmt, bool color)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	m->o = out_new(m->f, fmt, false);
	out_set_color(m->o, color);
}

static char *mem_close(struct mem *m)
{
	CHECK_INT(out_free(m->o), 0);
	fclose(m->f);
	return m->buf;
}

TEST(output_color_roles_wrap_the_value)
{
	struct mem m;
	char *t;

	mem_open(&m, II_FMT_TEXT, true);
	CHECK(out_color(m.o));
	out_str_role(m.o, "k", "type %-6s|", "DMA", II_ROLE_GOOD);
	out_text_role(m.o, II_ROLE_BAD, "%s", "FAULTS");
	out_str_role(m.o, "k", "100%% %s\n", NULL, II_ROLE_UNKNOWN);
	out_str_role(m.o, "k", "plain %s\n", "x", II_ROLE_NONE);
	t = mem_close(&m);
	CHECK_STR(t, "type \033[32mDMA   \033[0m|\033[1;31mFAULTS\033[0m100% \033[2m-\033[0m\nplain x\n");
	free(t);
}

TEST(output_color_off_is_plain)
{
	struct mem m;
	char *t;

	mem_open(&m, II_FMT_TEXT, false);
	out_str_role(m.o, "k", "type %s\n", "DMA", II_ROLE_GOOD);
	out_text_role(m.o, II_ROLE_BAD, "%s!", "FAULTS");
	t = mem_close(&m);
	CHECK_STR(t, "type DMA\nFAULTS!");
	free(t);
}

/* What was read is escaped inside the colour: an ESC in a value cannot end or start a sequence. */
TEST(output_color_keeps_the_escaping)
{
	struct mem m;
	char *t;

	mem_open(&m, II_FMT_TEXT, true);
	out_str_role(m.o, "k", "%s\n", "a\033[0mb\nc", II_ROLE_FAULT);
	out_text_role(m.o, II_ROLE_NOTICE, "<%s>", "\033]0;title\007");
	t = mem_close(&m);
	CHECK_STR(t, "\033[35ma\\x1b[0mb\\x0ac\033[0m\n\033[33m<\\x1b]0;title\\x07>\033[0m");
	free(t);
}

TEST(output_color_never_in_json)
{
	struct mem m;
	char *t;

	mem_open(&m, II_FMT_JSON, true);
	CHECK(!out_color(m.o));
	out_begin(m.o);
	out_str_role(m.o, "reason", "%s", "PTE Read access is not set", II_ROLE_FAULT);
	out_text_role(m.o, II_ROLE_BAD, "%s", "FAULTS");
	out_end(m.o, NULL);
	t = mem_close(&m);
	CHECK_STR(t, "{\"schema_version\":1,\"reason\":\"PTE Read access is not set\",\"warnings\":[]}\n");
	free(t);
}

TEST(output_color_when)
{
	enum ii_color_when w = II_COLOR_AUTO;

	CHECK_INT(ii_color_parse("always", &w), 0);
	CHECK_INT(w, II_COLOR_ALWAYS);
	CHECK_INT(ii_color_parse("never", &w), 0);
	CHECK_INT(w, II_COLOR_NEVER);
	CHECK_INT(ii_color_parse("auto", &w), 0);
	CHECK_INT(w, II_COLOR_AUTO);
	CHECK(ii_color_parse("yes", &w) < 0);
	setenv("NO_COLOR", "1", 1);
	CHECK(ii_color_wanted(II_COLOR_ALWAYS, -1)); /* the option wins over NO_COLOR */
	CHECK(!ii_color_wanted(II_COLOR_AUTO, -1));
	unsetenv("NO_COLOR");
	CHECK(!ii_color_wanted(II_COLOR_AUTO, -1)); /* not a terminal */
	CHECK(!ii_color_wanted(II_COLOR_NEVER, -1));
}
