/* SPDX-License-Identifier: MIT */
/*
 * A minimal unit-test harness. Each TEST(name) { ... } registers itself; the
 * runner (tests/unit/main.c) prints "# unit: running N of M registered tests"
 * (an argument runs only the tests whose name contains it), runs them and prints
 * one line per test, "ok - name", "not ok - name" or "skip - name: why", the
 * failed checks, and at the end "# unit: N passed, N failed, N skipped".
 * tests/run.sh fails the run when that last line is missing or the counts
 * disagree: a test that crashes the binary is not lost.
 *
 * A test that cannot run here calls t_skip("why") and returns; it is reported
 * as skipped unless a check failed before.
 */
#ifndef II_TEST_H
#define II_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct t_case {
	const char *name;
	void (*fn)(void);
	struct t_case *next;
};
void t_register(struct t_case *c);
void t_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void t_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define TEST(fn)                                                          \
	static void fn(void);                                             \
	static struct t_case t_case_##fn = { #fn, fn, NULL };             \
	__attribute__((constructor)) static void t_reg_##fn(void)         \
	{                                                                 \
		t_register(&t_case_##fn);                                 \
	}                                                                 \
	static void fn(void)

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond))                                              \
			t_fail(__FILE__, __LINE__, "%s", #cond);          \
	} while (0)

#define CHECK_INT(a, b)                                                                   \
	do {                                                                              \
		long long t_a = (long long)(a), t_b = (long long)(b);                     \
		if (t_a != t_b)                                                           \
			t_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, t_a, t_b); \
	} while (0)

#define CHECK_U64(a, b)                                                                   \
	do {                                                                              \
		uint64_t t_a = (uint64_t)(a), t_b = (uint64_t)(b);                        \
		if (t_a != t_b)                                                           \
			t_fail(__FILE__, __LINE__, "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, \
			       #b, t_a, t_b);                                             \
	} while (0)

#define CHECK_STR(a, b)                                                                   \
	do {                                                                              \
		const char *t_a = (a), *t_b = (b);                                        \
		if (!t_a || !t_b || strcmp(t_a, t_b) != 0)                                \
			t_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b,   \
			       t_a ? t_a : "(null)", t_b ? t_b : "(null)");               \
	} while (0)

#endif
