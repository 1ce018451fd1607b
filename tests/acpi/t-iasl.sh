#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t-iasl.sh BIN
#
# Our decoding against ACPICA's: every good table of fixtures/acpi/good and
# every real DMAR and IVRS of the recorded trees is disassembled with `iasl -d`
# (Debian package acpica-tools) and tests/acpi/iasl-check.py compares its
# register bases, RMRR ranges, scope paths, IVHD device ranges and IVMD ranges
# with `BIN acpi --file TABLE -j`. Without iasl, the real tables are checked
# against the disassembly recorded with them (fixtures/*/capture/*.dsl) and the
# hand-built ones are skipped, with a note (no FAIL).
# Output: "PASS name" / "FAIL name: why" lines and "# note" lines; exit 0.
set -u
export LC_ALL=C.UTF-8

if [[ $# -ne 1 || ! -x $1 ]]; then
	echo "FAIL iasl-usage: no executable BIN given"
	exit 0
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 0
if ! command -v python3 >/dev/null; then
	echo "# python3 is not installed: the iasl cross-check is skipped"
	exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-iasl.XXXXXX") || exit 0
trap 'rm -rf "$TMP"' EXIT

# The real tables, once per content: fixture/TABLE and its recorded disassembly.
declare -A seen
real=()
for t in fixtures/*/sys/firmware/acpi/tables/DMAR fixtures/*/sys/firmware/acpi/tables/IVRS; do
	[[ -f $t ]] || continue
	sum=$(cksum <"$t")
	[[ -n ${seen[$sum]:-} ]] && continue
	seen[$sum]=1
	real+=("$t")
done

if command -v iasl >/dev/null; then
	for t in fixtures/acpi/good/*.dat "${real[@]}"; do
		f=${t#fixtures/}
		name=${f%%/*}-$(basename "$t" .dat)
		[[ $t == fixtures/acpi/* ]] && name=$(basename "$t" .dat)
		mkdir -p "$TMP/$name"
		cp "$t" "$TMP/$name/table.dat"
		if ! (cd "$TMP/$name" && iasl -d table.dat >iasl.log 2>&1) || [[ ! -s $TMP/$name/table.dsl ]]; then
			echo "FAIL iasl/$name: iasl -d failed: $(tail -2 "$TMP/$name/iasl.log" | tr '\n' ' ')"
			continue
		fi
		python3 tests/acpi/iasl-check.py "$BIN" "$name" "$t" "$TMP/$name/table.dsl"
	done
else
	echo "# iasl is not installed (Debian: acpica-tools): the hand-built tables are not cross-checked;" \
		"the real tables are checked against their recorded disassembly"
	declare -A done
	for t in fixtures/*/sys/firmware/acpi/tables/DMAR fixtures/*/sys/firmware/acpi/tables/IVRS; do
		d=${t%/sys/firmware/*}
		dsl=$d/capture/$(basename "$t").dsl
		[[ -f $t && -f $dsl ]] || continue
		sum=$(cksum <"$t")
		[[ -n ${done[$sum]:-} ]] && continue
		done[$sum]=1
		python3 tests/acpi/iasl-check.py "$BIN" "$(basename "$d")-$(basename "$t")-recorded" "$t" "$dsl"
	done
fi
exit 0
