#!/bin/bash
# SPDX-License-Identifier: MIT
# The synthetic Arm fixtures and what `snapshot` records of an Arm machine.
#
#   tests/arm/t-arm.sh BIN
#
# - tests/arm/mk-arm-tree.py regenerates fixtures/arm-*-synthetic byte for byte
#   (the committed fixtures are its output, not hand edits);
# - `snapshot` of each Arm fixture records the IORT (ACPI) or the device-tree
#   properties (iommu-map, msi-map, #iommu-cells, msi-controller, phandle, reg)
#   the commands read, and status, acpi, iommus and faults replayed from the
#   snapshot say what they say on the fixture.
# One line per check (tests/lib.sh), then the plan.
set -u
HERE=$(cd "$(dirname "$0")" && pwd) || exit 1
. "$HERE/../lib.sh" || exit 1

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	fail arm-setup "usage: $0 BIN (an executable iommu-inspect)"
	finish
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TOP=$(cd "$HERE/../.." && pwd) || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-arm.XXXXXX") || {
	fail arm-setup "cannot create a temporary directory"
	finish
}
trap 'rm -rf "$TMP"' EXIT
FIXTURES="arm-smmuv3-synthetic arm-v2m-rmr-synthetic arm-dt-synthetic arm-virtio-iommu-synthetic"

if ! command -v python3 >/dev/null 2>&1; then
	skip arm-generator "python3 is needed"
elif ! python3 "$HERE/mk-arm-tree.py" --top "$TMP/gen" 2>"$TMP/gen.err"; then
	fail arm-generator "mk-arm-tree.py failed: $(head -c 300 "$TMP/gen.err")"
else
	for f in $FIXTURES; do
		if diff -r --no-dereference -x capture "$TOP/fixtures/$f" "$TMP/gen/fixtures/$f" >"$TMP/diff" 2>&1
		then
			pass "arm-generator/$f"
		else
			fail "arm-generator/$f" "the fixture is not what mk-arm-tree.py writes: $(head -c 300 "$TMP/diff")"
		fi
	done
fi

for f in $FIXTURES; do
	snap=$TMP/snap-$f
	if ! "$BIN" --root "$TOP/fixtures/$f" snapshot "$snap" >/dev/null 2>"$TMP/snap.err"; then
		fail "arm-snapshot/$f" "snapshot failed: $(head -c 300 "$TMP/snap.err")"
		continue
	fi
	case $f in
	arm-dt-*)
		missing=
		for p in pcie@10000000/iommu-map pcie@10000000/msi-map smmuv3@9050000/#iommu-cells \
			 smmuv3@9050000/phandle smmuv3@9050000/reg intc@8000000/its@8080000/msi-controller; do
			[ -e "$snap/sys/firmware/devicetree/base/$p" ] || missing="$missing $p"
		done ;;
	*)
		missing=
		for t in IORT VIOT; do
			[ -f "$TOP/fixtures/$f/sys/firmware/acpi/tables/$t" ] || continue
			cmp -s "$snap/sys/firmware/acpi/tables/$t" "$TOP/fixtures/$f/sys/firmware/acpi/tables/$t" ||
				missing="$missing sys/firmware/acpi/tables/$t"
		done ;;
	esac
	if [ -z "$missing" ]; then
		pass "arm-snapshot/$f/records"
	else
		fail "arm-snapshot/$f/records" "not recorded:$missing"
	fi
	for c in status acpi iommus faults; do
		"$BIN" --root "$TOP/fixtures/$f" --pci-ids "$TOP/fixtures/pci.ids" "$c" -j 2>&1 |
			sed "s#$TOP/fixtures/$f#ROOT#g" >"$TMP/a"
		"$BIN" --root "$snap" --pci-ids "$TOP/fixtures/pci.ids" "$c" -j 2>&1 |
			sed "s#$snap#ROOT#g" >"$TMP/b"
		if diff "$TMP/a" "$TMP/b" >"$TMP/diff"; then
			pass "arm-snapshot/$f/$c"
		else
			fail "arm-snapshot/$f/$c" "the replay differs: $(head -c 300 "$TMP/diff")"
		fi
	done
done
finish
