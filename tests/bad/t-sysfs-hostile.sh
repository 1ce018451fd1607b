#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile sysfs trees: each case copies fixtures/intel-q35 (or builds on it), reshapes
# it the way a real but unusual machine or a broken tree would, and checks what the
# sysfs sources, the model and the commands make of it: Intel VMD domains wider than
# four digits, directories that cannot be read (as an unprivileged user), group
# directories with non-canonical names, a PCI ID database that libpci cannot read.
# Usage: t-sysfs-hostile.sh BIN. Prints PASS/FAIL lines (see tests/run.sh).
# asan: yes
set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-hostile.XXXXXX")
chmod 755 "$TMP"
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT


# fresh NAME [FIXTURE]: a writable copy of a fixture (symlinks kept) in $T
fresh() {
	T=$TMP/$1
	rm -rf "$T"
	cp -a "fixtures/${2:-intel-q35}" "$T"
	chmod -R u+w "$T"
}

# inspect ARGS...: run against $T (as $AS, when set); sets RC, stdout in out, stderr in err
AS=()
inspect() {
	"${AS[@]}" "$BIN" --root "$T" --pci-ids fixtures/pci.ids "$@" > "$TMP/out" 2> "$TMP/err"
	RC=$?
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
		fail "$name" "exit $RC; stdout: $(head -c 300 "$TMP/out" | tr '\n' ' '); stderr: $(head -c 400 "$TMP/err" | tr '\n' ' ')"
	fi
}

has() { grep -q -F -- "$1" "$TMP/$2"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$TMP/out" 2> /dev/null; }

DEV=sys/devices/pci0000:00

# --- Intel VMD: a PCI domain of five hex digits ------------------------------------
# VMD puts the NVMe drives behind it in domains numbered from 0x10000, under a root
# bus of its own: .../0000:00:0e.0/pci10000:00/10000:01:00.0. Here the virtio RNG of
# group 14 (0000:06:02.0) becomes 10000:01:00.0, with every link that names it.
fresh vmd
OLD=$DEV/0000:00:11.0/0000:05:00.0
mkdir -p "$T/$OLD/pci10000:00"
mv "$T/$OLD/0000:06:02.0" "$T/$OLD/pci10000:00/10000:01:00.0"
rm "$T/sys/bus/pci/devices/0000:06:02.0" "$T/sys/kernel/iommu_groups/14/devices/0000:06:02.0" \
	"$T/sys/devices/virtual/iommu/dmar0/devices/0000:06:02.0"
NEW=pci0000:00/0000:00:11.0/0000:05:00.0/pci10000:00/10000:01:00.0
ln -s "../../../devices/$NEW" "$T/sys/bus/pci/devices/10000:01:00.0"
ln -s "../../../../devices/$NEW" "$T/sys/kernel/iommu_groups/14/devices/10000:01:00.0"
ln -s "../../../../$NEW" "$T/sys/devices/virtual/iommu/dmar0/devices/10000:01:00.0"
inspect devices 10000:01:00.0 -j
check vmd/devices-argument '[ $RC = 0 ] && [ ! -s "$TMP/err" ] && json "d[\"devices\"][0][\"bdf\"] == \"10000:01:00.0\" and d[\"devices\"][0][\"group\"] == 14 and d[\"devices\"][0][\"iommu\"] == \"dmar0\" and d[\"devices\"][0][\"vendor_id\"] == \"1af4\""'
inspect devices
check vmd/devices-listed-last '[ $RC = 0 ] && [ "$(tail -n 1 "$TMP/out" | cut -c1-13)" = "10000:01:00.0" ] && ! has "not a PCI address" err && has "BDF            GROUP" out'
inspect groups 14
check vmd/group-member '[ $RC = 0 ] && has "  10000:01:00.0  1af4:1005" out && has "  0000:06:01.0   8086:100e" out'
inspect groups --device 10000:01:00.0 -j
check vmd/groups-device-filter '[ $RC = 0 ] && json "[g[\"id\"] for g in d[\"groups\"]] == [14]"'
inspect devices 0010000:01:00.0 -j
check vmd/long-form-argument '[ $RC = 0 ] && json "d[\"devices\"][0][\"bdf\"] == \"10000:01:00.0\""'
inspect devices 100000000:01:00.0
check vmd/too-wide-is-usage-error '[ $RC = 2 ] && has "is not a PCI address" err'
# a name sysfs would never write (leading zeros beyond four digits) is not an address
mv "$T/sys/bus/pci/devices/10000:01:00.0" "$T/sys/bus/pci/devices/010000:01:00.0"
inspect devices
check vmd/non-canonical-name '[ $RC = 0 ] && has "010000:01:00.0: not a PCI address; skipped" err'

# --- a PCI ID database libpci cannot read --------------------------------------------
# libpci reports a bad database through an error callback that must not return; its
# state was abandoned (160 bytes leaked, which LSan reports under `make asan`) and its
# message, which ends in a newline, split the warning in two.
fresh pci-ids
for ids in /dev/zero "$TMP/bad.ids"; do
	printf '8086  Intel Corporation\n\tthis line has no id\n' > "$TMP/bad.ids"
	"$BIN" --root "$T" --pci-ids "$ids" groups 14 > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check "pci-ids/unreadable-database-${ids##*/}" '[ $RC = 0 ] && [ "$(grep -c . "$TMP/err")" = 1 ] && grep -q "^iommu-inspect: warning: libpci: .* at $ids, line [0-9]*; device names unknown\$" "$TMP/err" && has "8086:100e  [0200]  e1000       Class 0200: Vendor 8086 Device 100e" out'
done
"$BIN" --root "$T" --pci-ids "$TMP" -j groups 14 > "$TMP/out" 2> "$TMP/err"
RC=$?
check pci-ids/directory '[ $RC = 2 ] && has "--pci-ids $TMP: Is a directory; give the pci.ids file" err'
# the database is read in one pass only when it is in order; libpci reads any other,
# with the same names (here the 8086 block comes first)
{ sed -n '/^8086/,/^C 00/p' fixtures/pci.ids | sed '$d'; sed '/^8086/,/^C 00/{/^C 00/!d}' fixtures/pci.ids; } > "$TMP/unordered.ids"
"$BIN" --root "$T" --pci-ids "$TMP/unordered.ids" groups 14 > "$TMP/out" 2> "$TMP/err"
RC=$?
check pci-ids/unordered-database '[ $RC = 0 ] && [ ! -s "$TMP/err" ] && head -n 1 "$TMP/unordered.ids" | grep -q "^8086" && has "8086:100e  [0200]  e1000       Ethernet controller: Intel Corporation 82540EM Gigabit Ethernet Controller" out && has "Unclassified device [00ff]: Red Hat, Inc. Virtio RNG" out'

# --- group directories the kernel would not name so ---------------------------------
# "00", "05", " 6", "6 ", "8\n" all read as numbers real groups have: each is warned about
# and skipped, and no group number appears twice.
fresh group-names
G=$T/sys/kernel/iommu_groups
for n in 00 05 " 6" "6 " $'8\n' +1 0x5 4294967296; do cp -a "$G/5" "$G/$n"; done
inspect groups -j
check group-names/non-canonical-skipped '[ $RC = 0 ] && json "[g[\"id\"] for g in d[\"groups\"]] == list(range(16))" && [ "$(grep -c "is not an IOMMU group" "$TMP/err")" = 8 ] && has "\"8\\n\" is not an IOMMU group" err && has "\" 6\" is not an IOMMU group" err && [ "$(grep -c . "$TMP/err")" = 8 ]'
inspect devices -j
check group-names/members-once '[ $RC = 0 ] && json "[x[\"group\"] for x in d[\"devices\"] if x[\"bdf\"] == \"0000:00:10.2\"] == [5]" && ! has "is listed in IOMMU groups" err'

# --- unreadable is not absent (as an unprivileged user) ------------------------------
# Each directory below is made mode 000 in turn; root reads it anyway, so these run as
# nobody. What cannot be read is reported with its error, and nothing is concluded from
# it: not "no unit", not "the directory is absent", not "in no group".
if [ "$(id -u)" != 0 ]; then
	skip unreadable "needs root to run the tool as nobody on mode-000 directories"
elif command -v setpriv > /dev/null; then
	AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
elif command -v runuser > /dev/null; then
	AS=(runuser -u nobody --)
else
	skip unreadable "needs setpriv or runuser to run as nobody"
fi
if [ ${#AS[@]} -gt 0 ]; then
	fresh unreadable
	chmod -R a+rX "$T"
	# locked NAME PATH... / unlocked: mode 000 on PATHs (relative to $T) for the checks after
	locked() { LOCKED=("${@/#/$T/}"); chmod 000 "${LOCKED[@]}"; }
	unlocked() { chmod 755 "${LOCKED[@]}"; }

	locked sys/class/iommu
	inspect iommus
	check unreadable/units-dir-iommus '[ $RC = 1 ] && has "error: cannot read $T/sys/class/iommu: Permission denied; run as root; whether an IOMMU driver registered a unit is unknown" err && ! has "no IOMMU driver registered" err'
	inspect status -j
	check unreadable/units-dir-status '[ $RC = 0 ] && json "d[\"counts\"][\"units\"] is None and d[\"hardware\"][\"value\"] is True and \"intel\" == d[\"vendor\"][\"value\"] and any(\"sys/class/iommu cannot be read (Permission denied)\" in e for e in d[\"hardware\"][\"evidence\"]) and not any(\"absent\" in e or \"no unit\" in e for e in d[\"hardware\"][\"evidence\"] + d[\"vendor\"][\"evidence\"])"'
	unlocked
	locked sys/devices/virtual/iommu/dmar0
	inspect iommus
	check unreadable/unit-dir '[ $RC = 1 ] && has "cannot read the units under $T/sys/class/iommu: Permission denied" err && ! has "no IOMMU driver registered" err'
	unlocked

	locked sys/kernel/iommu_groups
	inspect status -j
	check unreadable/groups-dir-status '[ $RC = 0 ] && json "d[\"active\"][\"value\"] is None and d[\"default_domain\"][\"value\"] is None and d[\"invalidation\"][\"value\"] is None and d[\"counts\"][\"groups\"] is None and d[\"counts\"][\"devices_group_unknown\"] == 21 and d[\"counts\"][\"devices_without_group\"] == 0 and not any(\"absent\" in e for e in d[\"active\"][\"evidence\"]) and any(\"iommu_groups cannot be read (Permission denied)\" in a for a in d[\"advice\"]) and not any(\"in no IOMMU group\" in a or \"no IOMMU was found\" in a for a in d[\"advice\"])"'
	inspect devices
	check unreadable/groups-dir-devices '[ $RC = 0 ] && has "The IOMMU group of every device is unknown: the IOMMU groups cannot be read ($T/sys/kernel/iommu_groups: Permission denied)." out && ! has "in no IOMMU group" out && grep -q "^0000:06:01.0  ?  " "$TMP/out"'
	inspect groups
	check unreadable/groups-dir-groups '[ $RC = 1 ] && has "error: cannot read $T/sys/kernel/iommu_groups: Permission denied; run as root" err'
	unlocked

	# one group unreadable: its devices are found by their iommu_group links; a device
	# whose own directory cannot be read either is unknown, not "in no group"
	locked sys/kernel/iommu_groups/14 $DEV/0000:00:11.0/0000:05:00.0/0000:06:02.0
	inspect groups 14 -j
	check unreadable/group-dir-groups '[ $RC = 0 ] && json "d[\"groups\"][0][\"read_error\"] == \"Permission denied\" and d[\"groups\"][0][\"type\"] is None and [x[\"bdf\"] for x in d[\"groups\"][0][\"devices\"]] == [\"0000:05:00.0\", \"0000:06:01.0\"]" && has "iommu_groups/14: Permission denied: its type and members are unknown; run as root" err'
	inspect devices -j
	check unreadable/group-dir-devices '[ $RC = 0 ] && json "{x[\"bdf\"]: (x[\"group\"], x.get(\"group_error\")) for x in d[\"devices\"]}[\"0000:06:01.0\"] == (14, None) and {x[\"bdf\"]: (x[\"group\"], x.get(\"group_error\"), x[\"no_group_reason\"]) for x in d[\"devices\"]}[\"0000:06:02.0\"] == (None, \"Permission denied\", \"unknown: its directory cannot be read (Permission denied)\")"'
	inspect devices
	check unreadable/group-dir-devices-text '[ $RC = 0 ] && has "1 device whose IOMMU group is unknown:" out && has "  0000:06:02.0: unknown: its directory cannot be read (Permission denied)" out && ! has "in no IOMMU group" out && has "(its directory cannot be read: Permission denied)" out'
	inspect status -j
	check unreadable/group-dir-status '[ $RC = 0 ] && json "d[\"counts\"][\"devices_group_unknown\"] == 1 and d[\"counts\"][\"devices_without_group\"] == 0 and not any(\"in no IOMMU group\" in a for a in d[\"advice\"])"'
	inspect groups --device 06:02.0
	check unreadable/groups-device-unknown '[ $RC = 1 ] && has "error: --device 0000:06:02.0 is in no IOMMU group: unknown: its directory cannot be read (Permission denied)" err'
	unlocked
	locked sys/kernel/iommu_groups/14/devices
	inspect groups 14
	check unreadable/group-devices-dir '[ $RC = 0 ] && has "IOMMU group 14  type DMA  3 devices (found by their iommu_group links; its devices/ cannot be read: Permission denied)" out && has "0000:06:02.0" out'
	unlocked

	locked sys/bus/pci/devices
	inspect devices
	check unreadable/pci-dir '[ $RC = 1 ] && has "error: cannot read $T/sys/bus/pci/devices: Permission denied; run as root" err && ! has "no such directory" err'
	inspect status -j
	check unreadable/pci-dir-status '[ $RC = 0 ] && json "d[\"counts\"][\"devices\"] is None"'
	unlocked
	AS=()
fi

# --- SR-IOV VFs: their ids are their PF's, their class VF 0's -----------------------
# A VF's config reads 0xffff as its ids; the kernel gives it its PF's vendor and the
# PF's sriov_vf_device, and VF 0's class, revision and subsystem ids (iov.c,
# pci_read_vf_config_common). The generated tree has both, as a kernel writes them.
T=$TMP/sriov
python3 tests/gen-tree.py --out "$T" --devices 60 --seed 3 > /dev/null 2>&1
# every VF against the generator's manifest: "bdf vendor device class" lines
expect_vfs() {
	python3 - "$T.manifest.json" "$TMP/out" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
got = {d["bdf"]: d for d in json.load(open(sys.argv[2]))["devices"]}
bad = [v for v in m["vfs"] if (got[v]["vendor_id"], got[v]["device_id"], got[v]["class"]) !=
       (m["devices"][v]["vendor_id"], m["devices"][v]["device_id"], m["devices"][v]["class"])]
if bad:
    print("VFs whose ids or class differ from the manifest:", " ".join(bad[:5]))
sys.exit(1 if bad or not m["vfs"] else 0)
PY
}
read -r VF0 VF1 PF <<< "$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); v=sorted(m["vfs"]); print(v[0], v[1], m["devices"][v[0]]["physfn"])' "$T.manifest.json")"
[ "$(od -An -tx1 -j0 -N2 "$T/sys/bus/pci/devices/$VF1/config" | tr -d ' ')" = ffff ] || fail sriov/tree "$VF1's config does not read 0xffff as its vendor"
inspect devices -j
check sriov/ids-from-pf '[ $RC = 0 ] && expect_vfs'
# a VF other than VF 0 whose own header says otherwise: the kernel shows VF 0's class
printf '\x00\x00\x0d' | dd of="$T/sys/bus/pci/devices/$VF1/config" bs=1 seek=9 conv=notrunc status=none
inspect devices $VF1 -j
check sriov/class-of-vf0 '[ $RC = 0 ] && json "d[\"devices\"][0][\"class\"] == \"020000\""'
# the PF does not say its VFs' device id: each VF's uevent does
rm "$T/sys/bus/pci/devices/$PF/sriov_vf_device"
inspect devices -j
check sriov/ids-from-uevent '[ $RC = 0 ] && expect_vfs && [ ! -s "$TMP/err" ]'
# nor uevent: the vendor and device attributes
rm "$T/sys/bus/pci/devices/$VF0/uevent"
inspect devices -j
check sriov/ids-from-attributes '[ $RC = 0 ] && expect_vfs'
# VF 0's header cannot be read: each VF its own (VF 1's made consistent again first)
printf '\x00\x00\x02' | dd of="$T/sys/bus/pci/devices/$VF1/config" bs=1 seek=9 conv=notrunc status=none
rm "$T/sys/bus/pci/devices/$VF0/config"
inspect groups --device $VF0 -j
check sriov/no-vf0-header '[ $RC = 0 ] && json "[x[\"class\"] for g in d[\"groups\"] for x in g[\"devices\"] if x[\"bdf\"] == \"$VF0\"] == [\"020000\"]"'
inspect devices -j
check sriov/no-vf0-header-all '[ $RC = 0 ] && expect_vfs'
rm -rf "$T" "$T.manifest.json"
finish
