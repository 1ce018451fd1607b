#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-real-logs.sh BIN: `faults --dmesg-file` on the corpus of real log excerpts
# (fixtures/logs/real/NNN-kind.txt, each with its source and the faults a
# careful reader finds in it in NNN-kind.src):
#   - the count and key fields of every fault against the sidecar, and no
#     invented fault, no unparsed line (tests/faults/check-real.py);
#   - golden outputs per excerpt, text and JSON (tests/expected/real/; rewrite
#     them with REGEN=1 tests/faults/t-real-logs.sh BIN and review the diff);
#   - every sidecar names its source and the kind, and every excerpt has one.
# Prints "PASS name" or "FAIL name: why" lines and the plan (tests/lib.sh); exit
# status 0 when it ran to its end.

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail real-usage "no executable BIN given"
	finish
fi
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C.UTF-8
unset IOMMU_INSPECT_TEST_BOOTTIME
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-real.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
R=fixtures/logs/real
E=tests/expected/real
run() { timeout 60 "$BIN" --pci-ids fixtures/pci.ids "$@"; }

# ------------------------------------------------------ sidecars and sources

bad=
for t in "$R"/*.txt; do
	s=${t%.txt}.src
	if [[ ! -f $s ]]; then
		bad+=" $(basename "$t"): no sidecar;"
	elif ! grep -q '^source: http' "$s" || ! grep -q '^kind: ' "$s" || ! grep -q '^expect: ' "$s"; then
		bad+=" $(basename "$s"): no source, kind or expect line;"
	fi
done
for s in "$R"/*.src; do
	[[ -f ${s%.src}.txt ]] || bad+=" $(basename "$s"): no excerpt;"
done
if [[ -z $bad ]]; then pass real-sidecars; else fail real-sidecars "$bad"; fi

# ------------------------------------------------ what a careful reader found

relay < <(python3 tests/faults/check-real.py "$BIN" "$R" 2> "$TMP/summary")
echo "# $(cat "$TMP/summary")"

# ------------------------------------------------------------ golden outputs

mkdir -p "$E"
for t in "$R"/*.txt; do
	n=$(basename "$t" .txt)
	run faults --dmesg-file "$t" --list > "$TMP/$n.txt" 2>&1
	run faults --dmesg-file "$t" --list --json > "$TMP/$n.json" 2>&1
	for ext in txt json; do
		if [[ ${REGEN:-0} = 1 ]]; then
			cp "$TMP/$n.$ext" "$E/$n.$ext"
			pass "real-golden/$n.$ext"
		elif [[ ! -f $E/$n.$ext ]]; then
			fail "real-golden/$n.$ext" "no expected file (REGEN=1 $0 BIN)"
		elif diff -u "$E/$n.$ext" "$TMP/$n.$ext" > "$TMP/diff" 2>&1; then
			pass "real-golden/$n.$ext"
		else
			fail "real-golden/$n.$ext" "$(head -c 600 "$TMP/diff")"
		fi
	done
done
finish
