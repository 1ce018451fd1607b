// SPDX-License-Identifier: MIT
/* Runs every registered unit test; see test.h. */
#include <stdarg.h>
#include <stdlib.h>

#include "test.h"

static struct t_case *head, **tail = &head;
static int failures_in_case;

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

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	for (struct t_case *c = head; c; c = c->next) {
		if (argc > 1 && !strstr(c->name, argv[1]))
			continue;
		failures_in_case = 0;
		c->fn();
		printf("%s - %s\n", failures_in_case ? "not ok" : "ok", c->name);
		if (failures_in_case)
			failed++;
		else
			passed++;
	}
	printf("# unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
