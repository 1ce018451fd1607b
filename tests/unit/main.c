// SPDX-License-Identifier: MIT
/* Runs every registered unit test; see test.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

static struct t_case *head, **tail = &head;
static int failures_in_case, skipped_case;
static char skip_why[256];

void t_register(struct t_case *c)
{
	*tail = c;
	tail = &c->next;
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	failures_in_case++;
	printf("#   %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void t_skip(const char *fmt, ...)
{
	va_list ap;

	skipped_case = 1;
	va_start(ap, fmt);
	vsnprintf(skip_why, sizeof(skip_why), fmt, ap);
	va_end(ap);
}

static int selected(const struct t_case *c, int argc, char **argv)
{
	return argc < 2 || strstr(c->name, argv[1]);
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0, runs = 0, total = 0;

	/* every line out as soon as it is written: a crash keeps the lines before it */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (struct t_case *c = head; c; c = c->next) {
		total++;
		runs += selected(c, argc, argv) ? 1 : 0;
	}
	printf("# unit: running %d of %d registered tests\n", runs, total);
	for (struct t_case *c = head; c; c = c->next) {
		if (!selected(c, argc, argv))
			continue;
		failures_in_case = 0;
		skipped_case = 0;
		c->fn();
		if (failures_in_case) {
			printf("not ok - %s\n", c->name);
			failed++;
		} else if (skipped_case) {
			printf("skip - %s: %s\n", c->name, skip_why);
			skipped++;
		} else {
			printf("ok - %s\n", c->name);
			passed++;
		}
	}
	printf("# unit: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
