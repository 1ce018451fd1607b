#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad input: each case copies a real fixture, breaks it one way, and checks that
# iommu-inspect names the file in a warning or error, still prints what it
# could read, exits with the documented status, and never crashes.
# Usage: t-bad-input.sh BIN. Prints PASS/FAIL/SKIP lines and the plan (see tests/run.sh).
# asan: yes
set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.." || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-bad.XXXXXX") || exit 1
chmod 755 "$TMP"
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

# fresh NAME [FIXTURE]: a writable copy of a fixture (symlinks kept) in $T
fresh() {
	T=$TMP/$1
	rm -rf "$T"
	cp -a "fixtures/${2:-intel-q35}" "$T"
	chmod -R u+w "$T"
}

# inspect ARGS...: run against $T; sets OUT, ERR, RC
inspect() {
	"$BIN" --root "$T" --pci-ids fixtures/pci.ids "$@" > "$TMP/out" 2> "$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# check NAME COND...: COND is evaluated; crashes and sanitizer reports always fail
check() {
	local name=$1
	shift
	if [ "$RC" -ge 128 ] || [ "$RC" -eq 99 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$TMP/err"; then
		fail "$name" "crashed or sanitizer report (exit $RC): $(head -c 300 "$TMP/err")"
	elif eval "$@"; then
		pass "$name"
	else
		fail "$name" "exit $RC; stdout: $(head -c 200 "$TMP/out" | tr '\n' ' '); stderr: $(head -c 400 "$TMP/err" | tr '\n' ' ')"
	fi
}

has() { grep -q -F -- "$1" "$TMP/$2"; }

DEV=sys/devices/pci0000:00

# --- missing files ---------------------------------------------------------
fresh missing-resv
rm "$T/sys/kernel/iommu_groups/3/reserved_regions"
inspect groups 3 -j
check missing/reserved_regions '[ $RC = 0 ] && has "\"reserved_regions\":[]" out && has "0000:00:10.0" out'

fresh missing-type
rm "$T/sys/kernel/iommu_groups/4/type"
inspect groups 4 5
check missing/type '[ $RC = 0 ] && has "IOMMU group 4  type -" out && has "IOMMU group 5  type DMA" out'

fresh missing-groups-dir
rm -rf "$T/sys/kernel/iommu_groups"
inspect groups
check missing/iommu_groups '[ $RC = 1 ] && has "no IOMMU groups under $T/sys/kernel/iommu_groups" err && has "intel_iommu=on" err'
inspect status
check missing/iommu_groups-status '[ $RC = 0 ] && has "Active              no" out'

fresh missing-pci
rm -rf "$T/sys/bus/pci"
inspect devices
check missing/pci-devices '[ $RC = 1 ] && has "$T/sys/bus/pci/devices: no such directory" err'
inspect groups 14
check missing/pci-devices-groups '[ $RC = 0 ] && has "0000:06:01.0" out'

fresh missing-kmsg
rm "$T/dev/kmsg"
inspect status -j
check missing/kmsg '[ $RC = 0 ] && has "\"kernel_log\":{\"value\":\"unavailable\"" out'

fresh missing-proc
rm -rf "$T/proc"
inspect status
check missing/proc '[ $RC = 0 ] && has "Kernel              6.1.0-56-amd64" out'

fresh missing-vendor
# config, then uevent, then vendor tell who it is: all three gone means the device has gone
rm "$T/$DEV/0000:00:10.1/0000:02:00.0/"{config,uevent,vendor}
inspect devices
check missing/vendor-means-gone '[ $RC = 0 ] && has "0000:02:00.0: disappeared while it was being read" err && has "0000:03:00.0" out'

# --- unreadable files (permissions only bind a non-root user) --------------
if command -v setpriv > /dev/null && [ "$(id -u)" = 0 ]; then
	fresh unreadable
	chmod -R a+rX "$T"
	chmod 000 "$T/sys/kernel/iommu_groups/5/type" "$T/sys/firmware/acpi/tables/DMAR"
	chmod 000 "$T/sys/devices/virtual/iommu/dmar0/intel-iommu/cap"
	AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	"${AS_NOBODY[@]}" "$BIN" --root "$T" --pci-ids fixtures/pci.ids groups 5 6 > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check unreadable/type '[ $RC = 0 ] && has "iommu_groups/5/type: Permission denied" err && has "run as root" err && has "IOMMU group 6  type DMA" out'
	"${AS_NOBODY[@]}" "$BIN" --root "$T" --pci-ids fixtures/pci.ids groups -j 6 > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check unreadable/dmar-rmrr-unknown '[ $RC = 0 ] && has "\"rmrr\":null" out && has "tables/DMAR: Permission denied: which devices an RMRR pins is unknown" err && has "which devices an RMRR pins is unknown" out && has "readable by root only" err'
	"${AS_NOBODY[@]}" "$BIN" --root "$T" --pci-ids fixtures/pci.ids devices -j > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check unreadable/dmar-rmrr-unknown-devices '[ $RC = 0 ] && has "\"rmrr\":null" out && has "which devices an RMRR pins is unknown" out'
	"${AS_NOBODY[@]}" "$BIN" --root "$T" status > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check unreadable/acpi-table '[ $RC = 0 ] && has "exists but cannot be read (Permission denied)" out'
	"${AS_NOBODY[@]}" "$BIN" --root "$T" iommus -j > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check unreadable/cap '[ $RC = 0 ] && has "intel-iommu/cap: Permission denied" err && has "\"ecap\":{" out && has "\"cap\":null" out'
	chmod 000 "$T/sys/kernel/iommu_groups"
	"${AS_NOBODY[@]}" "$BIN" --root "$T" groups > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check unreadable/groups-dir '[ $RC = 1 ] && has "cannot read $T/sys/kernel/iommu_groups: Permission denied; run as root" err'
else
	why="not running as root: these cases make files unreadable as root and read them as nobody (setpriv)"
	[ "$(id -u)" = 0 ] && why="setpriv (util-linux) is not installed: these cases read the tree as nobody with it"
	for name in type dmar-rmrr-unknown dmar-rmrr-unknown-devices acpi-table cap groups-dir; do
		skip "unreadable/$name" "$why"
	done
fi

# --- links that dangle, devices that vanish ---------------------------------
fresh dangling
rm -rf "$T/$DEV/0000:00:11.0/0000:05:00.0/0000:06:02.0"
inspect groups 14 -j
check dangling/group-member '[ $RC = 0 ] && has "0000:06:02.0: disappeared while it was being read" err && has "\"bdf\":\"0000:06:02.0\"" out && has "\"present\":false" out && has "0000:06:01.0" out'

fresh dangling-group-only
rm "$T/sys/bus/pci/devices/0000:07:00.1"
rm -rf "$T/$DEV/0000:00:12.0/0000:07:00.0/../0000:07:00.1"
inspect groups 15
check dangling/listed-only-by-group '[ $RC = 0 ] && has "IOMMU group 15 lists 0000:07:00.1, but sys/bus/pci/devices does not" err && has "removed?" out'

fresh vanished
ln -sfn ../../../devices/pci0000:00/0000:00:10.0/0000:01:00.9 "$T/sys/bus/pci/devices/0000:01:00.0"
inspect devices -j
check vanished/listed-then-gone '[ $RC = 0 ] && has "0000:01:00.0: disappeared while it was being read (hot-unplugged?); left out" err && has "0000:02:00.0" out'

# --- garbage in attribute files ---------------------------------------------
fresh garbage
D=$T/$DEV/0000:00:10.1/0000:02:00.0
# a short config and a uevent without ids: the attributes are read, and are garbage
printf '\x36\x1b' > "$D/config"
printf 'PCI_ID=zzzz\n' > "$D/uevent"
printf 'zzz\n' > "$D/vendor"
printf '\x00\xff\x01garbage' > "$D/class"
printf 'abc\n' > "$D/numa_node"
printf 'bogus\n' > "$T/sys/kernel/iommu_groups/11/type"
printf '0x00000000fee00000 0x00000000feefffff msi\nthis is not a region\n0x10 0x5 direct\n' > "$T/sys/kernel/iommu_groups/11/reserved_regions"
printf 'not-hex\n' > "$T/sys/devices/virtual/iommu/dmar0/intel-iommu/ecap"
inspect groups 11 -j
check garbage/vendor '[ $RC = 0 ] && has "0000:02:00.0/vendor: unexpected content \"zzz\": expected a hex number" err && has "\"vendor_id\":null" out && has "0000:02:00.0/config: 2 bytes, less than the 64 of a PCI header" err && has "0000:02:00.0/uevent: a DRIVER, PCI_ID, PCI_CLASS or PCI_SUBSYS_ID line is malformed" err'
check garbage/type 'has "iommu_groups/11/type: unexpected type \"bogus\"" err && has "\"type\":\"bogus\"" out'
check garbage/reserved-line 'has "reserved_regions line 2: unexpected \"this is not a region\"" err && has "reserved_regions line 3" err && has "\"start\":\"0xfee00000\"" out'
inspect devices 02:00.0
check garbage/class-and-numa '[ $RC = 0 ] && has "0000:02:00.0/class: unexpected content" err && has "numa_node: unexpected content \"abc\"" err'
inspect iommus -j
check garbage/ecap '[ $RC = 0 ] && has "intel-iommu/ecap: unexpected content \"not-hex\"" err && has "\"cap\":{\"value\":\"0x00d2008c22260286\"" out'

fresh garbage-amd amd-q35
printf 'garbage\n' > "$T/sys/devices/pci0000:00/0000:00:02.0/iommu/ivhd0/amd-iommu/features"
inspect iommus
check garbage/amd-features '[ $RC = 0 ] && has "amd-iommu/features: unexpected content \"garbage\"" err && has "amd_cap 0x1f03000f" out'

fresh empty-files
: > "$T/sys/kernel/iommu_groups/2/type"
: > "$T/$DEV/0000:00:05.0/config"
: > "$T/$DEV/0000:00:05.0/uevent"
: > "$T/$DEV/0000:00:05.0/device"
inspect groups 2 -j
check garbage/empty-files '[ $RC = 0 ] && has "iommu_groups/2/type: unexpected type \"\"" err && has "0000:00:05.0/device: unexpected content" err'

fresh huge-attr
head -c 100000 /dev/zero | tr '\0' 'x' > "$T/sys/kernel/iommu_groups/6/type"
inspect groups 6
check garbage/huge-attribute '[ $RC = 0 ] && has "iommu_groups/6/type: File too large" err'

fresh kmsg-garbage
{ printf 'not a record\n'; printf '\x01\x02\xff;;;\n'; printf '9999999999999999999999,1,2,-;overflow\n'; head -c 3000 /dev/urandom | tr -d '\n' ; printf '\n'; } >> "$T/dev/kmsg"
inspect status
check garbage/kmsg-lines '[ $RC = 0 ] && has "dev/kmsg: 4 lines are not in /dev/kmsg record format; ignored" err && has "Kernel log          complete" out'

# --- links that try to leave the root ----------------------------------------
fresh escape
ln -sfn /etc "$T/sys/class/iommu/dmar0"
inspect iommus
check escape/absolute-link '[ $RC = 1 ] && has "dmar0: No such file or directory" err && ! grep -q passwd "$TMP/out"'
fresh escape-dotdot
ln -sfn ../../../../../../../../../../etc "$T/sys/bus/pci/devices/0000:00:00.0"
inspect devices
check escape/dotdot-link '[ $RC = 0 ] && has "0000:00:00.0: disappeared" err && has "0000:00:01.0" out'
fresh absolute-inside
ln -sfn /sys/devices/virtual/iommu/dmar0 "$T/sys/class/iommu/dmar0"
inspect iommus
check escape/absolute-link-resolves-in-root '[ $RC = 0 ] && has "dmar0: Intel VT-d" out && has "0000:07:00.1" out'
fresh loop
ln -sfn loop-b "$T/sys/class/iommu/loop-a"
ln -sfn loop-a "$T/sys/class/iommu/loop-b"
inspect iommus
check escape/link-loop '[ $RC = 0 ] && has "loop-a: Too many levels of symbolic links" err && has "dmar0: Intel VT-d" out'

# --- devices vanishing while being read (a real race) -------------------------
fresh race
MOVER_DIR=$T/$DEV/0000:00:10.2
( end=$((SECONDS + 3)); while [ $SECONDS -lt $end ]; do
	mv "$MOVER_DIR/0000:03:00.0" "$MOVER_DIR/gone" 2>/dev/null
	mv "$MOVER_DIR/gone" "$MOVER_DIR/0000:03:00.0" 2>/dev/null
done ) &
MOVER=$!
worst=0
for i in $(seq 1 40); do
	"$BIN" --root "$T" --pci-ids fixtures/pci.ids devices -j > "$TMP/out" 2> "$TMP/err"
	RC=$?
	[ $RC -ne 0 ] && worst=$RC && break
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out" || { worst=98; break; }
done
wait $MOVER
RC=$worst
check race/device-vanishing '[ $RC = 0 ]'

# --- the root itself ----------------------------------------------------------
fresh links-as-files
# as the shared captures store them: each link a file holding its target
find "$T" -type l | while read -r l; do t=$(readlink "$l"); rm "$l"; printf '%s' "$t" > "$l"; done
inspect groups 14 -j
check root/links-stored-as-files '[ $RC = 0 ] && has "0000:06:02.0" out && has "\"driver\":\"e1000\"" out'
printf 'this is not a tar archive\n' > "$TMP/bad.tar.gz"
"$BIN" --root "$TMP/bad.tar.gz" status > "$TMP/out" 2> "$TMP/err"
RC=$?
check root/not-an-archive '[ $RC = 1 ] && has "bad.tar.gz: tar failed" err && [ -z "$(ls "$TMP" | grep iommu-inspect-root)" ]'
finish
