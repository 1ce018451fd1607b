#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# snapshot round trips: a snapshot of a tree, replayed with --root, gives the same
# output as the tree itself, for every command, as a directory and as an archive;
# and the options do what they say. Usage: t-snapshot.sh BIN (PASS/FAIL/SKIP lines and
# the plan, tests/lib.sh).
# asan: yes
set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.." || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-snap.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

# same NAME ROOT_A ROOT_B: every command's JSON agrees once the root paths are taken out
same() {
	local name=$1 a=$2 b=$3 c diffs=""
	for c in status groups devices iommus; do
		"$BIN" --root "$a" --pci-ids fixtures/pci.ids "$c" -j 2>&1 | sed "s|$a:*/*||g" > "$TMP/a.json"
		"$BIN" --root "$b" --pci-ids fixtures/pci.ids "$c" -j 2>&1 | sed "s|$b:*/*||g" > "$TMP/b.json"
		cmp -s "$TMP/a.json" "$TMP/b.json" || diffs="$diffs $c"
	done
	[ -z "$diffs" ] && pass "$name" || fail "$name" "differs in:$diffs"
}

for f in fixtures/*/; do
	f=${f%/}; f=${f#fixtures/}
	[ -d "fixtures/$f/sys" ] || continue
	"$BIN" --root "fixtures/$f" snapshot "$TMP/$f" > /dev/null 2> "$TMP/err" ||
		fail "dir/$f" "snapshot failed: $(head -c 300 "$TMP/err")"
	same "dir/$f" "fixtures/$f" "$TMP/$f"
	"$BIN" --root "fixtures/$f" snapshot "$TMP/$f.tar.gz" > /dev/null 2> "$TMP/err" ||
		fail "archive/$f" "snapshot failed: $(head -c 300 "$TMP/err")"
	same "archive/$f" "fixtures/$f" "$TMP/$f.tar.gz"
done

# the shared captures store links as files: the snapshot turns them into real links
if [ -d ../shared/captures/intel-q35 ]; then
	"$BIN" --root ../shared/captures/intel-q35 snapshot "$TMP/from-capture" > /dev/null 2>&1
	[ -L "$TMP/from-capture/sys/bus/pci/devices/0000:00:05.0" ] &&
		pass "links-as-files/become-links" || fail "links-as-files/become-links" "no symlink written"
	same "links-as-files/same" fixtures/intel-q35 "$TMP/from-capture"
else
	for name in become-links same; do
		skip "links-as-files/$name" "no ../shared/captures/intel-q35 (the shared capture store) next to the repository"
	done
fi

# only what is read: no file the commands never open (uevent is read, for a bridge's
# subsystem ids; vendor, device and class are in config)
n=$(find "$TMP/intel-q35" -type f \( -name resource -o -name modalias -o -name vendor -o -name class \) | wc -l)
[ "$n" -eq 0 ] && pass "only-what-is-read" || fail "only-what-is-read" "$n unread files copied"
[ -f "$TMP/intel-q35/sys/firmware/acpi/tables/DMAR" ] && cmp -s "$TMP/intel-q35/sys/firmware/acpi/tables/DMAR" fixtures/intel-q35/sys/firmware/acpi/tables/DMAR &&
	pass "acpi-table-copied" || fail "acpi-table-copied" "DMAR missing or different"
cmp -s "$TMP/intel-q35/dev/kmsg" fixtures/intel-q35/dev/kmsg && pass "kmsg-copied-whole" ||
	fail "kmsg-copied-whole" "dev/kmsg differs from the source"
[ "$(stat -c %s "$TMP/intel-q35/sys/devices/pci0000:00/0000:00:10.0/config")" = 4096 ] &&
	pass "config-copied-whole" || fail "config-copied-whole" "config space truncated"
cmp -s "$TMP/intel-debugfs/sys/kernel/debug/iommu/intel/domain_translation_struct" \
	fixtures/intel-debugfs/sys/kernel/debug/iommu/intel/domain_translation_struct &&
	pass "debugfs-copied" || fail "debugfs-copied" "debugfs file missing or different"
grep -q '^debugfs: included' "$TMP/intel-debugfs/iommu-inspect-snapshot.txt" &&
	pass "info-file" || fail "info-file" "$(head -c 300 "$TMP/intel-debugfs/iommu-inspect-snapshot.txt")"

# options
"$BIN" --root fixtures/intel-debugfs snapshot --no-kmsg --no-debugfs "$TMP/lean" > /dev/null 2>&1
[ ! -e "$TMP/lean/dev/kmsg" ] && [ ! -e "$TMP/lean/sys/kernel/debug" ] && pass "no-kmsg-no-debugfs" ||
	fail "no-kmsg-no-debugfs" "kernel log or debugfs copied anyway"
"$BIN" --root fixtures/amd-q35 snapshot "$TMP/lean" > /dev/null 2> "$TMP/err"
rc=$?
[ $rc = 1 ] && grep -q 'add --force' "$TMP/err" && pass "refuses-non-empty" || fail "refuses-non-empty" "exit $rc"
"$BIN" --root fixtures/amd-q35 snapshot --force "$TMP/lean" > /dev/null 2>&1 &&
	[ -e "$TMP/lean/sys/class/iommu/ivhd0" ] && pass "force" || fail "force" "no AMD unit after --force"
"$BIN" --root fixtures/amd-q35 snapshot "$TMP/j.tgz" -j > "$TMP/out" 2>&1
python3 - "$TMP/out" <<'PY' && pass "json" || fail "json" "$(head -c 300 "$TMP/out")"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["snapshot"]
assert d["schema_version"] == 1 and s["files"] > 50 and s["links"] > 20 and s["kernel_log"] is True
assert s["unreadable"] == [] and d["warnings"] == []
PY

# the live system (whatever this machine has): a snapshot replays like the live run
"$BIN" snapshot "$TMP/live" > /dev/null 2>&1 && pass "live/snapshot" || fail "live/snapshot" "failed"
for c in groups devices iommus; do
	"$BIN" --pci-ids fixtures/pci.ids "$c" -j 2>/dev/null | sed 's|"/|"|g; s| /| |g' > "$TMP/live.json"
	"$BIN" --root "$TMP/live" --pci-ids fixtures/pci.ids "$c" -j 2>/dev/null | sed "s|$TMP/live/||g" > "$TMP/replay.json"
	cmp -s "$TMP/live.json" "$TMP/replay.json" && pass "live/replay-$c" ||
		fail "live/replay-$c" "$(diff "$TMP/live.json" "$TMP/replay.json" | head -c 300)"
done

# archives go through a private temporary directory, which must be gone afterwards
mkdir -p "$TMP/tmpdir"
TMPDIR="$TMP/tmpdir" "$BIN" --root fixtures/intel-q35 snapshot "$TMP/t.tar.xz" > /dev/null 2>&1
TMPDIR="$TMP/tmpdir" "$BIN" --root "$TMP/t.tar.xz" groups > /dev/null 2>&1
left=$(ls -A "$TMP/tmpdir")
[ -s "$TMP/t.tar.xz" ] && [ -z "$left" ] && pass "archive/temporary-directories-removed" ||
	fail "archive/temporary-directories-removed" "left: $left"

# ... even when the replay is killed (SIGINT, or SIGKILL that no handler sees)
rm -rf "$TMP/tmpdir"/*
for sig in INT KILL; do
	TMPDIR="$TMP/tmpdir" "$BIN" --root "$TMP/t.tar.xz" devices > /dev/null 2>&1 &
	pid=$!
	sleep 0.05
	kill -s $sig $pid 2>/dev/null
	wait $pid 2>/dev/null
	# the cleanup process notices its parent gone within a poll; allow a loaded machine 10 s
	for _ in $(seq 100); do [ -z "$(ls -A "$TMP/tmpdir")" ] && break; sleep 0.1; done
	left=$(ls -A "$TMP/tmpdir")
	[ -z "$left" ] && pass "archive/removed-after-SIG$sig" || fail "archive/removed-after-SIG$sig" "left: $left"
done
# a reader that stops early (| head) is not kept waiting by the cleanup process
out=$(TMPDIR="$TMP/tmpdir" timeout 10 sh -c "'$BIN' --root '$TMP/t.tar.xz' groups | head -1")
[ -n "$out" ] && pass "archive/pipe-closes" || fail "archive/pipe-closes" "no output or hang"

# a directory written with nothing in it keeps a marker file (git drops empty directories),
# and no listing shows the marker: here an IOMMU group with no devices
src=$TMP/keep-src
cp -R fixtures/intel-q35 "$src"
mkdir -p "$src/sys/kernel/iommu_groups/99/devices"
echo DMA > "$src/sys/kernel/iommu_groups/99/type"
"$BIN" --root "$src" snapshot "$TMP/keep" > /dev/null 2>&1
[ -f "$TMP/keep/sys/kernel/iommu_groups/99/devices/.iommu-inspect-keep" ] &&
	pass "keep/marker-written" || fail "keep/marker-written" "no marker in the empty group's devices/"
n=$(find "$TMP/keep" -type d -empty | wc -l)
[ "$n" -eq 0 ] && pass "keep/no-empty-directory" || fail "keep/no-empty-directory" "$n empty"
# what a clone of a commit of it gives: the same, and never the marker as a name
git init -q "$TMP/keep-git" && cp -R "$TMP/keep/." "$TMP/keep-git/" &&
	git -C "$TMP/keep-git" add -A && git -C "$TMP/keep-git" -c user.name=t -c user.email=t@t \
	commit -qm t && git clone -q "$TMP/keep-git" "$TMP/keep-clone"
same "keep/after-git" "$src" "$TMP/keep-clone"
if "$BIN" --root "$TMP/keep-clone" groups 99 -j 2>&1 | grep -q iommu-inspect-keep; then
	fail "keep/not-listed" "the marker is shown as a device"
else
	pass "keep/not-listed"
fi
# a snapshot of the snapshot keeps its markers, and writes no second one
"$BIN" --root "$TMP/keep-clone" snapshot "$TMP/keep2" > /dev/null 2> "$TMP/err" &&
	[ -f "$TMP/keep2/sys/kernel/iommu_groups/99/devices/.iommu-inspect-keep" ] &&
	pass "keep/resnapshot" || fail "keep/resnapshot" "$(head -c 300 "$TMP/err")"
finish
