#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t-iasl.sh BIN
#
# Our decoding against ACPICA's: every good table of fixtures/acpi/good, every
# firmware table of real machines in fixtures/acpi/real (fixtures/acpi/real/SOURCES)
# and every real DMAR and IVRS of the recorded trees is disassembled with `iasl -d`
# (Debian package acpica-tools) and tests/acpi/iasl-check.py compares its
# register bases, RMRR ranges, scope paths, IVHD device ranges and IVMD ranges
# with `BIN acpi --file TABLE -j`. Without iasl, the real tables are checked
# against the disassembly recorded with them (fixtures/*/capture/*.dsl) and the
# hand-built ones and those of fixtures/acpi/real are skipped (a SKIP line
# each, no FAIL). With or without iasl, tests/acpi/raw-check.py reads every real
# DMAR and IVRS of fixtures/acpi/real from its bytes, for what the iasl of Debian
# 12 does not decode (SATC, SIDP, IVHD types 0x11 and 0x40, ACPI HID entries).
# Output: "PASS name" / "FAIL name: why" / "SKIP name: why" lines and the plan
# (tests/lib.sh); exit 0 when it ran to its end.
set -u
export LC_ALL=C.UTF-8
. "$(dirname "$0")/../lib.sh" || exit 1

if [[ $# -ne 1 || ! -x $1 ]]; then
	fail iasl-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 1
if ! command -v python3 >/dev/null; then
	skip iasl "python3 is not installed: the iasl cross-check is skipped"
	finish
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-iasl.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

# check NAME TABLE DSL: tests/acpi/iasl-check.py's PASS or FAIL line for it, or a
# FAIL when it ends without one (it always exits 0 after its line)
check() {
	local rc
	python3 tests/acpi/iasl-check.py "$BIN" "$1" "$2" "$3" > "$TMP/check.out" 2>&1
	rc=$?
	relay < "$TMP/check.out"
	[[ $rc == 0 ]] || fail "iasl/$1" "iasl-check.py exited with status $rc"
}

# The real tables, once per content: fixture/TABLE and its recorded disassembly.
declare -A seen
real=()
for t in fixtures/*/sys/firmware/acpi/tables/{DMAR,IVRS,IORT,VIOT}; do
	[[ -f $t ]] || continue
	sum=$(cksum <"$t")
	[[ -n ${seen[$sum]:-} ]] && continue
	seen[$sum]=1
	real+=("$t")
done

for t in fixtures/acpi/real/dmar-*.dat fixtures/acpi/real/ivrs-*.dat; do
	python3 tests/acpi/raw-check.py "$BIN" "real-$(basename "$t" .dat)" "$t" > "$TMP/raw.out" 2>&1
	relay < "$TMP/raw.out"
	grep -q '^[A-Z]* raw/' "$TMP/raw.out" || fail "raw/real-$(basename "$t" .dat)" "raw-check.py printed no result"
done

if command -v iasl >/dev/null; then
	for t in fixtures/acpi/good/*.dat fixtures/acpi/real/*.dat "${real[@]}"; do
		f=${t#fixtures/}
		name=${f%%/*}-$(basename "$t" .dat)
		[[ $t == fixtures/acpi/good/* ]] && name=$(basename "$t" .dat)
		[[ $t == fixtures/acpi/real/* ]] && name=real-$(basename "$t" .dat)
		mkdir -p "$TMP/$name"
		cp "$t" "$TMP/$name/table.dat"
		if ! (cd "$TMP/$name" && iasl -d table.dat >iasl.log 2>&1) || [[ ! -s $TMP/$name/table.dsl ]]; then
			fail "iasl/$name" "iasl -d failed: $(tail -2 "$TMP/$name/iasl.log" | tr '\n' ' ')"
			continue
		fi
		check "$name" "$t" "$TMP/$name/table.dsl"
	done
else
	for t in fixtures/acpi/good/*.dat; do
		skip "iasl/$(basename "$t" .dat)" "iasl is not installed (Debian: acpica-tools): the hand-built tables are not cross-checked, the real ones are checked against their recorded disassembly"
	done
	for t in fixtures/acpi/real/*.dat; do
		skip "iasl/real-$(basename "$t" .dat)" "iasl is not installed (Debian: acpica-tools): the tables of fixtures/acpi/real are not cross-checked"
	done
	declare -A done nodsl
	for t in fixtures/*/sys/firmware/acpi/tables/{DMAR,IVRS,IORT,VIOT}; do
		d=${t%/sys/firmware/*}
		dsl=$d/capture/$(basename "$t").dsl
		[[ -f $t ]] || continue
		sum=$(cksum <"$t")
		if [[ ! -f $dsl ]]; then
			[[ -n ${nodsl[$sum]:-} ]] || nodsl[$sum]=$(basename "$d")-$(basename "$t")-recorded
			continue
		fi
		[[ -n ${done[$sum]:-} ]] && continue
		done[$sum]=1
		check "$(basename "$d")-$(basename "$t")-recorded" "$t" "$dsl"
	done
	# a real table with no recorded disassembly (and no copy of it with one)
	for sum in "${!nodsl[@]}"; do
		[[ -n ${done[$sum]:-} ]] || echo "${nodsl[$sum]}"
	done | sort > "$TMP/nodsl"
	while read -r name; do
		skip "iasl/$name" "iasl is not installed and the table has no recorded disassembly (capture/*.dsl)"
	done < "$TMP/nodsl"
fi
finish
