/* SPDX-License-Identifier: MIT */
/* Common definitions shared by every module of iommu-inspect. */
#ifndef II_H
#define II_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef II_VERSION
#define II_VERSION "0.1.0"
#endif

/* Version of the JSON output contract; bump on any breaking change. */
#define II_SCHEMA_VERSION 1

#define ii_printf_like(fmt, args) __attribute__((format(printf, fmt, args)))
#define ii_noreturn __attribute__((noreturn))
#define ii_unused __attribute__((unused))
#define II_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes, documented in iommu-inspect(8). */
enum {
	II_EXIT_OK = 0,
	II_EXIT_ERROR = 1,
	II_EXIT_USAGE = 2,
};

#endif
