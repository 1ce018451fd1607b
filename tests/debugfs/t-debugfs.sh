#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Page tables from debugfs (domains, mappings, iommus --regs) beyond the golden files:
#   - random page tables in every layout, generated with a manifest of what a correct
#     reader finds (tests/debugfs/mk-dumps.py), against what mappings and domains say;
#   - memory stays flat when a dump grows ten times;
#   - why debugfs is missing, in each case the tool can tell apart;
#   - cut, unreadable, empty and absurd dump files;
#   - a snapshot of a tree with debugfs replays the same;
#   - the renderers' format strings match the values given to them.
# Usage: t-debugfs.sh BIN (PASS/FAIL/SKIP lines and the plan, tests/lib.sh).
# asan: yes
set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.." || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-dbg.XXXXXX") || exit 1
chmod 755 "$TMP"
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
GEN="python3 tests/debugfs/mk-dumps.py"
BASE=fixtures/intel-debugfs
has() { grep -q -F -- "$1" "$2"; }
# run NAME ARGS...: out, err and rc of BIN
run() {
	"$BIN" "$@" > "$TMP/out" 2> "$TMP/err"
	RC=$?
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$TMP/err"; then
		fail "sanitizer" "$(grep -m1 -e ERROR -e 'runtime error' "$TMP/err")"
	fi
}
check() { # NAME CONDITION (evaluated)
	if eval "$2"; then pass "$1"; else fail "$1" "rc=$RC out: $(head -c 300 "$TMP/out") err: $(head -c 300 "$TMP/err")"; fi
}

# ---------------------------------------------- generated page tables vs manifest
compare() { # TREE MANIFEST -> prints mismatches
	python3 - "$BIN" "$1" "$2" <<'PY'
import json, subprocess, sys
BIN, tree, manifest = sys.argv[1:]
m = json.load(open(manifest))
bad = []
dom = json.loads(subprocess.run([BIN, "--root", tree, "domains", "-j"], capture_output=True,
                                text=True).stdout)
by_pgd = {d["page_table"]: d for d in dom["domains"]}
for want in m["domains"]:
    dev = want["devices"][0]
    got = json.loads(subprocess.run([BIN, "--root", tree, "mappings", "-j", dev],
                                    capture_output=True, text=True).stdout)
    ranges = got["mappings"][0]["ranges"] if got.get("mappings") else None
    keys = ("start", "end", "page_size", "pages", "read", "write", "phys", "phys_contiguous")
    exp = [{k: r[k] for k in keys} for r in want["ranges"]]
    act = [{k: r[k] for k in keys} for r in ranges or []]
    if exp != act:
        first = next((i for i, (a, b) in enumerate(zip(exp, act)) if a != b), min(len(exp), len(act)))
        bad.append("%s: %d ranges expected, %d read; first difference at %d: %s vs %s" % (
            dev, len(exp), len(act), first, exp[first:first + 1], act[first:first + 1]))
    d = by_pgd.get(want["page_table"])
    if not d:
        bad.append("%s: domains does not list page table %s" % (dev, want["page_table"]))
        continue
    size = sum(int(r["end"], 16) - int(r["start"], 16) + 1 for r in want["ranges"])
    if d["mapped_bytes"] != size or d["range_count"] != len(want["ranges"]):
        bad.append("%s: domains says %s bytes in %s ranges, expected %d in %d" % (
            dev, d["mapped_bytes"], d["range_count"], size, len(want["ranges"])))
    members = sorted(x["bdf"] for x in d["devices"])
    if members != sorted(want["devices"]):
        bad.append("%s: devices %s, expected %s" % (dev, members, want["devices"]))
print("\n".join(bad))
PY
}

for layout in 5.10 6.1 6.8; do
	for seed in 1 2; do
		name=generated/$layout-seed$seed
		tree=$TMP/gen-$layout-$seed
		if ! $GEN random --out "$tree" --layout $layout --seed $seed --rows 6000 \
			--manifest "$tree.json" > "$TMP/gen.log" 2>&1; then
			fail "$name" "generator failed: $(tail -1 "$TMP/gen.log")"
			continue
		fi
		diffs=$(compare "$tree" "$tree.json")
		[ -z "$diffs" ] && pass "$name" || fail "$name" "$(echo "$diffs" | head -3 | tr '\n' ' ')"
	done
done
# the check above must be able to fail: a manifest with one range changed
tree=$TMP/gen-6.1-1
python3 -c '
import json,sys; m=json.load(open(sys.argv[1]))
d=[d for d in m["domains"] if d["ranges"]][0]; d["ranges"][0]["write"]=not d["ranges"][0]["write"]
json.dump(m,open(sys.argv[2],"w"))' "$tree.json" "$TMP/wrong.json"
[ -n "$(compare "$tree" "$TMP/wrong.json")" ] && pass generated/detects-a-difference ||
	fail generated/detects-a-difference "a changed manifest went unnoticed"

# ------------------------------------------------------------- memory is flat
rss() { # TREE -> peak RSS in KiB of domains (GNU time: a child of Python would carry Python's)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M "$BIN" --root "$1" domains 2>&1 > /dev/null | tail -1
	else
		python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$BIN" --root "$1" domains
	fi
}
if $GEN big --out "$TMP/small" --mib 4 > /dev/null && $GEN big --out "$TMP/large" --mib 40 > /dev/null; then
	small=$(rss "$TMP/small") large=$(rss "$TMP/large")
	# ten times the dump, at most 2 MiB more memory (ASan's shadow counts too)
	[ "$large" -lt $((small + 2048)) ] && pass "memory/flat ($small KiB for 4 MiB, $large KiB for 40 MiB)" ||
		fail memory/flat "$small KiB for a 4 MiB dump, $large KiB for 40 MiB"
	run --root "$TMP/large" mappings -j 0000:01:00.0
	check memory/large-dump-read '[ $RC = 0 ] && has "\"ranges\"" "$TMP/out"'
	rm -rf "$TMP/small" "$TMP/large"
else
	fail memory/flat "the generator failed"
fi

# --------------------------------------------------- why debugfs is missing
tree() { # NAME: a fresh copy of the capture
	T=$TMP/t-$1
	rm -rf "$T"
	cp -a "$BASE" "$T"
}
tree not-recorded
rm -rf "$T/sys/kernel/debug"
run --root "$T" domains
check why/not-recorded '[ $RC = 1 ] && has "has no sys/kernel/debug: it was recorded without debugfs" "$TMP/err"'
run --root "$T" domains -j
check why/not-recorded-json '[ $RC = 1 ] && has "\"state\":\"not-recorded\"" "$TMP/out" && has "\"error\":" "$TMP/out"'
printf 'iommu-inspect snapshot\nuid: 1000\ndebugfs: absent (not mounted, or the kernel lacks CONFIG_IOMMU_DEBUGFS)\n' \
	> "$T/iommu-inspect-snapshot.txt"
run --root "$T" domains
check why/snapshot-says '[ $RC = 1 ] && has "taken by uid 1000 (not root)" "$TMP/err"'
run --root "$T" iommus --regs
check why/regs-is-a-warning '[ $RC = 0 ] && has "warning: --regs: the recorded tree" "$TMP/err" && has "dmar0: Intel VT-d" "$TMP/out"'
run --root "$T" groups
check why/other-commands-work '[ $RC = 0 ] && [ ! -s "$TMP/err" ]'

tree no-intel
rm -rf "$T/sys/kernel/debug/iommu/intel"
run --root "$T" domains -j
check why/no-vendor-dir '[ $RC = 1 ] && has "\"state\":\"no-vendor-debugfs\"" "$TMP/out" && has "CONFIG_INTEL_IOMMU_DEBUGFS=y" "$TMP/out"'

tree no-iommu-dir
rm -rf "$T/sys/kernel/debug/iommu"
mkdir -p "$T/sys/kernel/debug/tracing"
run --root "$T" domains
check why/left-out-though-built-in '[ $RC = 1 ] && has "although CONFIG_IOMMU_DEBUGFS is built in" "$TMP/err"'
mkdir -p "$T/boot"
printf '# CONFIG_IOMMU_DEBUGFS is not set\n' > "$T/boot/config-6.1.192-iommudbg"
run --root "$T" domains
check why/boot-config '[ $RC = 1 ] && has "built without CONFIG_IOMMU_DEBUGFS" "$TMP/err" && has "boot/config-6.1.192-iommudbg says # CONFIG_IOMMU_DEBUGFS is not set" "$TMP/err"'
# a snapshot of that tree keeps the evidence: the replay says the same
rm -rf "$TMP/snap-no-iommu-dir"
"$BIN" --root "$T" snapshot "$TMP/snap-no-iommu-dir" > /dev/null 2>&1
cp "$TMP/err" "$TMP/err.live"
run --root "$TMP/snap-no-iommu-dir" domains
check why/replays-the-same '[ $RC = 1 ] && [ "$(sed "s#$T#R#g" "$TMP/err.live")" = "$(sed "s#$TMP/snap-no-iommu-dir#R#g" "$TMP/err")" ]'

run --root fixtures/intel-q35 mappings
check why/no-banner-in-boot-log '[ $RC = 1 ] && has "built without CONFIG_IOMMU_DEBUGFS (the kernel log, complete from boot, lacks the banner" "$TMP/err"'

tree no-dumps
rm -f "$T/sys/kernel/debug/iommu/intel/domain_translation_struct"
run --root "$T" domains
check no-dumps/domains-from-context '[ $RC = 0 ] && has "no domain_translation_struct" "$TMP/err" && has "domain 16" "$TMP/out"'
run --root "$T" mappings
check no-dumps/mappings '[ $RC = 1 ] && has "no domain_translation_struct file" "$TMP/err"'

if command -v setpriv > /dev/null && [ "$(id -u)" = 0 ]; then
	AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	tree denied
	chmod -R a+rX "$T"
	chmod 700 "$T/sys/kernel/debug/iommu"
	"${AS_NOBODY[@]}" "$BIN" --root "$T" domains > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check why/permission-denied '[ $RC = 1 ] && has "iommu/intel: Permission denied" "$TMP/err"'
	"${AS_NOBODY[@]}" "$BIN" --root "$T" iommus --regs > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check why/permission-denied-regs '[ $RC = 0 ] && has "Permission denied" "$TMP/err" && has "dmar0: Intel VT-d" "$TMP/out"'
	chmod 755 "$T/sys/kernel/debug/iommu"
	chmod 000 "$T/sys/kernel/debug/iommu/intel/dmar_perf_latency" "$T/sys/kernel/debug/iommu/intel/invalidation_queue"
	"${AS_NOBODY[@]}" "$BIN" --root "$T" iommus --regs -j > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check unreadable/one-file '[ $RC = 0 ] && has "dmar_perf_latency: Permission denied; run as root" "$TMP/err" && has "\"latency\":null" "$TMP/out" && has "\"interrupt_remapping_table\":{" "$TMP/out"'
	# a snapshot taken then says debugfs was only partly readable, and why in a warning
	mkdir -m 777 "$TMP/w"
	"${AS_NOBODY[@]}" "$BIN" --root "$T" snapshot "$TMP/w/snap" > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check unreadable/snapshot-partly '[ $RC = 0 ] && grep -q "^debugfs: partly readable" "$TMP/w/snap/iommu-inspect-snapshot.txt" && has "dmar_perf_latency: Permission denied" "$TMP/err" && [ -f "$TMP/w/snap/sys/kernel/debug/iommu/intel/iommu_regset" ]'
	chmod 000 "$T/sys/kernel/debug/iommu/intel/domain_translation_struct"
	"${AS_NOBODY[@]}" "$BIN" --root "$T" domains > "$TMP/out" 2> "$TMP/err"
	RC=$?
	check unreadable/dump '[ $RC = 0 ] && has "domain_translation_struct: Permission denied" "$TMP/err" && has "no page-table dump of this domain" "$TMP/out"'
else
	why="not running as root: these cases make files unreadable as root and read them as nobody (setpriv)"
	[ "$(id -u)" = 0 ] && why="setpriv (util-linux) is not installed: these cases read the tree as nobody with it"
	for name in why/permission-denied why/permission-denied-regs unreadable/one-file unreadable/dump; do
		skip "$name" "$why"
	done
fi

# ------------------------------------------------------------- broken dumps
tree cut
F=$T/sys/kernel/debug/iommu/intel/domain_translation_struct
# in the middle of a row of 01:00.0's block (line 12800), which is read
head -c $(( $(head -n 12799 "$BASE/sys/kernel/debug/iommu/intel/domain_translation_struct" | wc -c) + 50 )) \
	"$BASE/sys/kernel/debug/iommu/intel/domain_translation_struct" > "$F"
run --root "$T" domains -j
check cut/warns '[ $RC = 0 ] && has "ends in the middle of line 12800" "$TMP/out" && has "\"truncated\":true" "$TMP/out"'
run --root "$T" mappings 01:00.0
check cut/mappings '[ $RC = 0 ] && has "the dump was cut short: there may be more" "$TMP/out"'
# in the middle of a block that repeats one already read: still said
head -c 800000 "$BASE/sys/kernel/debug/iommu/intel/domain_translation_struct" > "$F"
run --root "$T" domains
check cut/in-a-repeated-block '[ $RC = 0 ] && has "ends in the middle of line 7105" "$TMP/err"'
: > "$F"
run --root "$T" domains
check cut/empty-file '[ $RC = 0 ] && has "no page-table dump of this domain" "$TMP/out"'
head -c 3000000 /dev/zero | tr '\0' 'x' > "$F"
run --root "$T" domains
check cut/one-huge-line '[ $RC = 0 ] && has "not a line of domain_translation_struct" "$TMP/err"'
{ echo "Device 0000:01:00.0 @0x1f6f000"; head -c 2000 /dev/urandom | tr -d '\n\0'; echo; } > "$F"
run --root "$T" mappings 01:00.0 -j
check cut/garbage-rows '[ $RC = 0 ] && has "line ignored" "$TMP/out"'

# ------------------------------------------------------------ snapshot replay
if "$BIN" --root "$BASE" snapshot "$TMP/snap" > /dev/null 2>&1; then
	ok=1
	for c in domains "mappings 01:00.0 --raw" "iommus --regs" "mappings --at 0xfff00000"; do
		# shellcheck disable=SC2086
		a=$("$BIN" --root "$BASE" $c -j 2>&1 | sed "s|$BASE/*||g")
		# shellcheck disable=SC2086
		b=$("$BIN" --root "$TMP/snap" $c -j 2>&1 | sed "s|$TMP/snap/*||g")
		[ "$a" = "$b" ] || { ok=0; fail "snapshot/$c" "the replay differs"; }
	done
	[ $ok = 1 ] && pass snapshot/replays-the-same
else
	fail snapshot/replays-the-same "snapshot failed"
fi
# every debugfs fixture: the snapshot records, through the commands' own loads, exactly the
# debugfs files they read (all of them but AMD's amd/devid, which nothing reads), and replays
for fx in intel-debugfs-v5.10-synthetic intel-debugfs-v6.8-synthetic amd-debugfs-v7.2-synthetic; do
	snap=$TMP/snap-$fx
	if ! "$BIN" --root "fixtures/$fx" snapshot "$snap" > /dev/null 2>&1; then
		fail "snapshot/$fx" "snapshot failed"
		continue
	fi
	want=$(cd "fixtures/$fx" && find sys/kernel/debug -type f ! -path '*/amd/devid' | sort)
	got=$(cd "$snap" && find sys/kernel/debug -type f | sort)
	[ "$want" = "$got" ] && pass "snapshot/$fx/files" ||
		fail "snapshot/$fx/files" "$(diff <(echo "$want") <(echo "$got") | head -3 | tr '\n' ' ')"
	ok=1
	for c in domains mappings "mappings --at 0x1000" "iommus --regs"; do
		# shellcheck disable=SC2086
		a=$("$BIN" --root "fixtures/$fx" $c -j 2>&1 | sed "s|fixtures/$fx/*||g")
		# shellcheck disable=SC2086
		b=$("$BIN" --root "$snap" $c -j 2>&1 | sed "s|$snap/*||g")
		[ "$a" = "$b" ] || { ok=0; fail "snapshot/$fx/$c" "the replay differs"; }
	done
	[ $ok = 1 ] && pass "snapshot/$fx/replays-the-same"
done
# nothing of a debugfs dump is held as stream bytes: --no-kmsg keeps it
rm -rf "$TMP/snap-nokmsg"
"$BIN" --root "$BASE" snapshot --no-kmsg "$TMP/snap-nokmsg" > /dev/null 2>&1
cmp -s "$TMP/snap-nokmsg/sys/kernel/debug/iommu/intel/domain_translation_struct" \
	"$BASE/sys/kernel/debug/iommu/intel/domain_translation_struct" && pass snapshot/no-kmsg-keeps-debugfs ||
	fail snapshot/no-kmsg-keeps-debugfs "the dump is missing or differs"

# -------------------------------------------------- renderer format strings
if out=$(python3 tests/debugfs/check-formats.py src/render/render-domains.c src/render/render-mappings.c \
	src/render/render-regs.c 2>&1); then
	pass render/format-strings
else
	fail render/format-strings "$out"
fi
finish
