#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The architecture rules, checked on the sources (no binary needed):
#  - every source file lives in a layer folder, src/<layer>/, and every header in include/<layer>/;
#  - a file includes only headers of its own layer or of layers below it
#    (core < parse < source < model < render < cmd, as the Makefile's LAYERS);
#  - header names are unique across the layers (they are included by name);
#  - absolute system paths ("/sys", "/proc", "/dev/") appear only in src/core/root.c;
#  - root-relative paths ("sys/...", "proc/...", "dev/...", "boot/...") appear only in
#    include/core/paths.h, where each is named once;
#  - only the core layer opens, lists or stats files (the snapshot command and the
#    --pci-ids check are the two named exceptions);
#  - parsers, sources and the model never print.
# Usage: t-rules.sh [BINARY]   (the binary is not used; RULES_ROOT=DIR checks another tree,
# as the self-test below does with deliberately broken copies)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh" || exit 1
ROOT=${RULES_ROOT:-$(cd "$HERE/../.." && pwd)}
cd "$ROOT" || exit 1

LAYERS="core parse source model render cmd"
rank() {
	local i=0 l
	for l in $LAYERS; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo -1
}

# Code lines only: comments removed (block comments on one line, // comments, and lines
# inside multi-line comments that start with " *").
code() {
	sed -e 's@/\*.*\*/@@g' -e 's@//.*$@@' -e '/^[[:space:]]*\*/d' -e '/^[[:space:]]*\/\*/d' "$1"
}

FILES=$(find src include -name '*.[ch]' | sort)

# 1. Everything in a layer folder.
bad=""
for f in $FILES; do
	top=${f#*/}; top=${top%%/*}
	case $f in */*/*) ;; *) bad="$bad $f"; continue ;; esac
	[ "$(rank "$top")" -ge 0 ] || bad="$bad $f"
done
[ -z "$bad" ] && pass "files-in-layer-folders" || fail "files-in-layer-folders" "not in src/<layer>/ or include/<layer>/:$bad"

# 2. Unique header names, and a map from name to layer.
declare -A HLAYER
dups=""
for h in $(find include -name '*.h' | sort); do
	n=${h##*/} l=${h#include/}; l=${l%%/*}
	[ -n "${HLAYER[$n]:-}" ] && dups="$dups $n"
	HLAYER[$n]=$l
done
[ -z "$dups" ] && pass "header-names-unique" || fail "header-names-unique" "$dups"

# 3. Includes point down.
bad=""
for f in $FILES; do
	l=${f#*/}; l=${l%%/*}
	r=$(rank "$l")
	[ "$r" -ge 0 ] || continue
	while IFS= read -r inc; do
		hl=${HLAYER[$inc]:-}
		if [ -z "$hl" ]; then
			bad="$bad $f:\"$inc\"(no-such-header)"
		elif [ "$(rank "$hl")" -gt "$r" ]; then
			bad="$bad $f($l)->$inc($hl)"
		fi
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done
[ -z "$bad" ] && pass "includes-point-down-the-layers" ||
	fail "includes-point-down-the-layers" "$bad"

# 4. Absolute system paths only in the root layer.
hits=""
for f in $FILES; do
	[ "$f" = src/core/root.c ] && continue
	code "$f" | grep -q -e '"/sys' -e '"/proc' -e '"/dev/' && hits="$hits $f"
done
[ -z "$hits" ] && pass "system-paths-only-in-root.c" || fail "system-paths-only-in-root.c" "$hits"

# 5. Root-relative paths named once, in paths.h.
hits=""
for f in $FILES; do
	[ "$f" = include/core/paths.h ] && continue
	# a bare "boot" is a word (the faults option, a JSON key), not the boot/ directory
	m=$(code "$f" | grep -n -o -E '"(sys|proc|dev)(/[^"]*)?"|"boot/[^"]*"' | head -3 | tr '\n' ' ')
	[ -n "$m" ] && hits="$hits $f: $m;"
done
[ -z "$hits" ] && pass "root-relative-paths-only-in-paths.h" ||
	fail "root-relative-paths-only-in-paths.h" "$hits"

# 6. File access only in the core layer.
hits=""
for f in $(find src -name '*.c' | sort); do
	case $f in src/core/*|src/cmd/cmd-snapshot.c|src/cmd/cmd-table.c) continue ;; esac
	code "$f" | grep -q -E '\b(open|fopen|opendir|openat|openat2|stat|lstat|fstatat|readlink|access|mkdir|unlink|rename)\(' &&
		hits="$hits $f"
done
[ -z "$hits" ] && pass "file-access-only-in-core" || fail "file-access-only-in-core" "$hits"

# 7. Parsers, sources and the model never print.
hits=""
for f in $(find src/parse src/source src/model -name '*.c' | sort); do
	code "$f" | grep -q -E '\b(printf|fprintf|puts|fputs|putchar|fputc|perror|fwrite)\(' && hits="$hits $f"
done
[ -z "$hits" ] && pass "parsers-sources-model-never-print" ||
	fail "parsers-sources-model-never-print" "$hits"

# The rules can fail: a copy of the tree with one breach of each, checked by this script
# (RULES_ROOT, RULES_NO_SELFTEST), must give a FAIL line for each rule.
if [ -z "${RULES_NO_SELFTEST:-}" ]; then
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-rules.XXXXXX") || exit 1
	trap 'rm -rf "$TMP"' EXIT
	cp -R src include "$TMP"/
	echo '#include "cmd.h"' >> "$TMP/src/parse/parse-pci.c"           # a parser includes a command header
	cp "$TMP/include/core/util.h" "$TMP/include/model/util.h"           # a header name twice
	echo 'int x;' > "$TMP/src/stray.c"                                   # a file outside the layers
	echo 'static const char *p = "/sys/kernel";' >> "$TMP/src/model/model-acpi.c"
	echo 'static const char *q = "sys/class/iommu";' >> "$TMP/src/render/render-groups.c"
	echo 'static void f(void) { open("x", 0); }' >> "$TMP/src/model/model-status.c"
	echo 'static void g(void) { printf("x"); }' >> "$TMP/src/source/source-proc.c"
	out=$(RULES_ROOT=$TMP RULES_NO_SELFTEST=1 "$HERE/t-rules.sh" 2>&1)
	for rule in files-in-layer-folders header-names-unique includes-point-down-the-layers \
		system-paths-only-in-root.c root-relative-paths-only-in-paths.h file-access-only-in-core \
		parsers-sources-model-never-print; do
		if printf '%s\n' "$out" | grep -q "^FAIL $rule:"; then
			pass "selftest/$rule-catches-a-breach"
		else
			fail "selftest/$rule-catches-a-breach" "no FAIL on a tree that breaks it"
		fi
	done
	printf '%s\n' "$out" | grep -q 'parse-pci.c(parse)->cmd.h(cmd)' &&
		pass "selftest/names-the-file-and-layers" ||
		fail "selftest/names-the-file-and-layers" "$(printf '%s\n' "$out" | grep includes-point)"
fi
finish
