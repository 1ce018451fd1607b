#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Activity recordings (snapshot --activity, src/source/source-activity*.c):
#  - the synthetic recordings of fixtures/activity/ are what mk-activity.py writes,
#    and they follow the documented format (iommu-inspect-snapshot(8), FILES);
#  - snapshot --activity on a recorded tree (fixtures/intel-faults), as a directory
#    and an archive: one reading of the tree, every source "not-recorded", and the
#    snapshot still replays as the tree;
#  - the replay reader round trip through the binary: a snapshot --activity of a
#    snapshot with a recording (and of a generated tree with PMU counters and a
#    fault storm) records the same readings and log records again;
#  - the storm's log records are faults that `faults` decodes;
#  - a damaged recording gives warnings naming the file and line, never a failure;
#  - the live system: a recording with a state for every source, whatever it has;
#  - usage errors.
# Usage: t-activity.sh BIN (PASS/FAIL/SKIP lines and the plan, tests/lib.sh).
# asan: yes
set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.." || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-act.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
REC=iommu-inspect-activity.ndjson

if ! command -v python3 > /dev/null; then
	skip activity "python3 is not installed (apt-get install python3)"
	finish
fi

# check NAME CMD...: PASS when the command succeeds, else FAIL with its output
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(printf '%s' "$out" | head -c 400)"; fi
}

# The documented format, checked line by line; extra checks as Python on `recs`.
FORMAT='
import json, sys
WHY = {"live", "not-root", "paranoid", "kernel-too-old", "no-pmu-hardware", "not-built",
       "not-enabled", "no-tracefs", "not-recorded", "no-iommu", "identity", "error"}
FAMILIES = {"interrupts", "kmsg", "tracepoints", "pmu", "latency", "hotplug"}
KINDS = {"map", "unmap", "qi_submit", "iotlb_lookup", "iotlb_hit", "iotlb_miss", "ctx_lookup",
         "ctx_hit", "invalidations"}
def state(s):
    assert s["why"] in WHY, s
    assert isinstance(s.get("err", 0), int) and s.get("err", 0) <= 0
    assert isinstance(s.get("detail", ""), str)
    if s["why"] != "live":
        assert s.get("detail"), s
recs = [json.loads(l) for l in open(sys.argv[1], encoding="ascii")]
h = recs[0]
assert h["type"] == "header" and h["schema_version"] == 1 and isinstance(h["live"], bool)
assert set(h["families"]) == FAMILIES, h["families"].keys()
for s in h["families"].values():
    state(s)
for u in h["units"]:
    assert isinstance(u["unit"], str) and isinstance(u["pmu"], str)
    state(u)
seq = 0
for r in recs[1:]:
    assert r["type"] in ("reading", "kmsg"), r
    if r["type"] == "kmsg":
        assert r["seq"] >= 0 and r["usec"] >= 0 and isinstance(r["text"], str)
        continue
    seq += 1
    assert r["seq"] == seq and isinstance(r["t_ns"], int) and r["kmsg_lost"] >= 0
    for c in r["counters"]:
        assert c["kind"] in KINDS and isinstance(c["ok"], bool) and isinstance(c["event"], str)
        if c["ok"]:
            assert c["value"] >= 0 and c["running_ns"] >= 0 and c["enabled_ns"] >= 0
        else:
            state(c)
    for q in r["irqs"]:
        assert q["count"] >= 0 and isinstance(q["fault"], bool) and q["name"]
    for e in r["hotplug"]:
        assert e["kind"] in ("add", "remove", "bind", "unbind")
    assert r["latency"] is None or isinstance(r["latency"], str)
readings = [r for r in recs if r["type"] == "reading"]
kmsg = [r for r in recs if r["type"] == "kmsg"]
'
format_ok() { # FILE [PYTHON]
	python3 -c "$FORMAT
${2:-}" "$1"
}

# ------------------------------------------------------------- the fixtures

tests/activity/mk-activity.py --set "$TMP/set"
if diff -r fixtures/activity "$TMP/set" > "$TMP/diff" 2>&1; then
	pass "fixtures/regenerated-equal"
else
	fail "fixtures/regenerated-equal" "fixtures/activity differs from mk-activity.py --set: $(head -c 300 "$TMP/diff")"
fi
for f in fixtures/activity/*.ndjson; do
	check "fixtures/format/$(basename "$f" .ndjson)" format_ok "$f"
done

# -------------------------------------------------- a recorded tree, no activity

"$BIN" --root fixtures/intel-faults snapshot --activity 2 "$TMP/tree" -j > "$TMP/out.json" 2> "$TMP/err"
rc=$?
[ $rc = 0 ] && [ -f "$TMP/tree/$REC" ] && pass "tree/exit-0" || fail "tree/exit-0" "exit $rc: $(head -c 300 "$TMP/err")"
check "tree/format" format_ok "$TMP/tree/$REC" '
assert len(readings) == 1 and not kmsg, (len(readings), len(kmsg))
assert h["live"] is False
assert all(s["why"] == "not-recorded" for s in h["families"].values()), h["families"]
assert [u["unit"] for u in h["units"]] == ["dmar0"]
assert readings[0]["irqs"] == [{"name": "dmar0", "unit": "dmar0", "irq": 24, "fault": True, "count": 16}]
assert readings[0]["counters"] == []
'
check "tree/json" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["snapshot"]["activity"]
assert a == {"readings": 1, "seconds": 0, "kmsg_records": 0}, a
' "$TMP/out.json"
grep -q "^activity: 1 readings" "$TMP/tree/iommu-inspect-snapshot.txt" && pass "tree/info-file" ||
	fail "tree/info-file" "no activity line in iommu-inspect-snapshot.txt"
for c in status groups; do
	"$BIN" --root fixtures/intel-faults --pci-ids fixtures/pci.ids $c -j 2>&1 | sed "s|fixtures/intel-faults/*||g" > "$TMP/a"
	"$BIN" --root "$TMP/tree" --pci-ids fixtures/pci.ids $c -j 2>&1 | sed "s|$TMP/tree/*||g" > "$TMP/b"
	cmp -s "$TMP/a" "$TMP/b" && pass "tree/replays-as-the-tree/$c" || fail "tree/replays-as-the-tree/$c" "differs"
done
"$BIN" --root fixtures/intel-faults snapshot --activity 1 "$TMP/tree.tar.gz" > /dev/null 2> "$TMP/err"
mkdir "$TMP/x" && tar -xzf "$TMP/tree.tar.gz" -C "$TMP/x" 2> /dev/null
f=$(find "$TMP/x" -name "$REC" | head -1)
[ -n "$f" ] && cmp -s "$f" "$TMP/tree/$REC" && pass "tree/archive" ||
	fail "tree/archive" "the archive's recording is missing or differs: $(head -c 200 "$TMP/err")"

# ------------------------------------------------ round trips through the reader

# A snapshot of the snapshot gives its recording again: the reader's readings, written out.
"$BIN" --root "$TMP/tree" snapshot --activity 5 "$TMP/again" > /dev/null 2> "$TMP/err"
if cmp -s <(tail -n +2 "$TMP/tree/$REC") <(tail -n +2 "$TMP/again/$REC"); then
	pass "round-trip/tree-recording"
else
	fail "round-trip/tree-recording" "readings differ: $(diff <(cat "$TMP/tree/$REC") <(cat "$TMP/again/$REC") | head -c 300)"
fi

# A generated tree with PMU counters, map/unmap and a fault storm: every reading and record
# comes out of the reader and the writer as it went in.
same_recording() { # NAME A B: the same readings and records, as JSON values
	check "$1" python3 -c '
import json, sys
def load(p):
    return [json.loads(l) for l in open(p)][1:]
a, b = load(sys.argv[1]), load(sys.argv[2])
assert len(a) == len(b), (len(a), len(b))
for x, y in zip(a, b):
    assert x == y, (x, y)
' "$2" "$3"
}
for v in intel-pmu amd-pmu arm-pmcg; do
	mkdir -p "$TMP/gen-$v/proc"
	cp "fixtures/activity/$v.ndjson" "$TMP/gen-$v/$REC"
	"$BIN" --root "$TMP/gen-$v" snapshot --activity 60 "$TMP/re-$v" > /dev/null 2> "$TMP/err"
	same_recording "round-trip/$v" "$TMP/gen-$v/$REC" "$TMP/re-$v/$REC"
done
tests/activity/mk-activity.py --tree fixtures/intel-faults "$TMP/storm" --storm 3000 --no-pmu \
	--hotplug --seconds 12 --kernel 6.1.0-56-amd64
"$BIN" --root "$TMP/storm" snapshot --activity 60 "$TMP/re-storm" > /dev/null 2> "$TMP/err"
same_recording "round-trip/storm-tree" "$TMP/storm/$REC" "$TMP/re-storm/$REC"
[ ! -s "$TMP/err" ] && pass "round-trip/no-warnings" || fail "round-trip/no-warnings" "$(head -c 300 "$TMP/err")"
# only SECS seconds of a longer recording
"$BIN" --root "$TMP/storm" snapshot --activity 3 "$TMP/cut" > /dev/null 2>&1
check "round-trip/secs-limit" format_ok "$TMP/cut/$REC" 'assert len(readings) == 4, len(readings)'

# The storm's records are faults the fault decoder knows: the ratelimit's 10, then the count
# it suppressed.
python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["type"] == "kmsg":
        print("%d,%d,%d,-;%s" % (r["prio"], r["seq"], r["usec"], r["text"]))
' "$TMP/storm/$REC" > "$TMP/storm.kmsg"
"$BIN" --root "$TMP/storm" faults -j --summary --kmsg-file "$TMP/storm.kmsg" > "$TMP/faults.json" 2>&1
check "storm/faults-decoded" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
assert s["faults"] == 20 and s["unparsed"] == 0, (s["faults"], s["unparsed"])
assert s["by_device"] and all(d["bdf"] for d in s["by_device"])
assert sum(d["suppressed_callbacks"] for d in s["by_device"]) == 3000 * 5 - 10, s["by_device"]
' "$TMP/faults.json"

# --------------------------------------------------------------- damage

mkdir -p "$TMP/bad/proc"
{ head -4 fixtures/activity/intel-pmu.ndjson; echo 'garbage {'; sed -n 5p fixtures/activity/intel-pmu.ndjson | head -c 200; } > "$TMP/bad/$REC"
"$BIN" --root "$TMP/bad" snapshot --activity 60 "$TMP/re-bad" > /dev/null 2> "$TMP/err"
rc=$?
[ $rc = 0 ] && pass "damaged/exit-0" || fail "damaged/exit-0" "exit $rc"
grep -q "$REC:5: not a JSON object" "$TMP/err" && grep -q "$REC:6: the last line is cut short" "$TMP/err" &&
	pass "damaged/warnings-name-file-and-line" || fail "damaged/warnings-name-file-and-line" "$(head -c 400 "$TMP/err")"
check "damaged/readings-before-kept" format_ok "$TMP/re-bad/$REC" 'assert len(readings) == 3, len(readings)'

# --------------------------------------------------------------- live

"$BIN" snapshot --activity 1 --no-debugfs "$TMP/live" > /dev/null 2> "$TMP/err"
rc=$?
if [ $rc = 0 ]; then
	check "live/format" format_ok "$TMP/live/$REC" '
assert h["live"] is True and len(readings) == 2
assert 0.5e9 < readings[1]["t_ns"] - readings[0]["t_ns"] < 3e9
'
else
	fail "live/format" "exit $rc: $(head -c 300 "$TMP/err")"
fi
"$BIN" snapshot --activity 1 --no-kmsg --no-debugfs "$TMP/live-nokmsg" > /dev/null 2>&1
check "live/no-kmsg" format_ok "$TMP/live-nokmsg/$REC" '
assert h["families"]["kmsg"]["why"] == "not-recorded" and "--no-kmsg" in h["families"]["kmsg"]["detail"]
assert not kmsg
'

# --------------------------------------------------------------- usage

for bad in 0 -1 abc 86401 1.5; do
	"$BIN" --root fixtures/intel-faults snapshot --activity "$bad" "$TMP/u" > /dev/null 2> "$TMP/err"
	rc=$?
	[ $rc = 2 ] && grep -q -- "--activity '$bad' is not a number of seconds" "$TMP/err" && [ ! -e "$TMP/u" ] &&
		pass "usage/activity-$bad" || fail "usage/activity-$bad" "exit $rc: $(head -c 200 "$TMP/err")"
done
finish
