#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-top-replay.sh BIN: `top` on replays of damaged recordings, and on the real one.
#   - recordings that tests/activity/mk-activity.py writes into a copy of
#     fixtures/intel-faults (PMU counters, map/unmap, a fault storm) with one
#     defect each: PMU counters that go backwards (a reset), a 48-bit counter
#     that wraps, a PMU that disappears half-way, a /dev/kmsg overrun (records
#     lost: a gap in the sequence numbers), a file cut in the middle of its last
#     line. Each replays to its end with exit status 0, says what happened (the
#     frame: "counter resets", "gone", "lost"; stderr and JSON: a warning that
#     names the file and line), and its --batch frames are golden
#     (tests/top/expected/replay-NAME.txt: stdout, stderr, exit status);
#   - fixtures/intel-activity, the `snapshot --activity 3` of the QEMU intel
#     guest (tests/vm/): --batch and --json goldens with the pace and the
#     width given, and its recorded faults counted as `faults` finds them.
# TZ=UTC pins the times, the tree's path is replaced by TREE. Prints "PASS name",
# "FAIL name: why" or "SKIP name: why" lines and the plan (tests/lib.sh).
# TOP_REGEN=1 rewrites the expected files.

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail top-replay-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C.UTF-8 TZ=UTC
unset IOMMU_INSPECT_TEST_BOOTTIME NO_COLOR COLUMNS LINES
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-top-replay.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
EXP=tests/top/expected

if ! command -v python3 >/dev/null; then
	skip top-replay "python3 is not installed (apt-get install python3)"
	finish
fi

# golden NAME FILE: compare FILE with $EXP/NAME (or rewrite it with TOP_REGEN=1).
golden() {
	if [[ -n ${TOP_REGEN:-} ]]; then
		cp "$2" "$EXP/$1"
		pass "golden-$1"
	elif diff -u "$EXP/$1" "$2" >"$TMP/diff" 2>&1; then
		pass "golden-$1"
	else
		fail "golden-$1" "differs from $EXP/$1: $(head -12 "$TMP/diff" | cut -c1-160 | tr '\n' '|')"
	fi
}

# run TREE OUT ARGS...: top on TREE, stdout then its stderr (the tree's path as TREE) and exit
# status in OUT; stdout alone in OUT.out.
run() {
	local tree=$1 out=$2 rc
	shift 2
	timeout 60 "$BIN" --root "$tree" --pci-ids fixtures/pci.ids top "$@" >"$out.out" 2>"$out.err" </dev/null
	rc=$?
	{ cat "$out.out"; sed "s|$tree|TREE|g; s/^/stderr: /" "$out.err"; echo "exit: $rc"; } >"$out"
	return $rc
}

# never a crash: exit 0 and no sanitizer report
clean() { # NAME OUT RC
	if [[ $3 == 0 ]] && ! grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'LeakSanitizer' "$2.err"; then
		pass "$1"
	else
		fail "$1" "exit $3: $(head -c 300 "$2.err")"
	fi
}

# py NAME FILE CODE: PASS when the Python CODE, with the JSON records of FILE as recs,
# finds nothing wrong.
py() {
	local why
	why=$(python3 - "$2" 2>&1 <<EOF
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
def unit(r, name="dmar0"):
    return next(u for u in r["units"] if u["name"] == name)
$3
EOF
)
	if [[ -z $why ]]; then pass "$1"; else fail "$1" "$(printf '%s' "$why" | tail -3 | tr '\n' ' ')"; fi
}

# ---------------------------------------------------------------- damaged recordings

COMMON=(--kernel 6.12.48-amd64 --seconds 8 --map-rate 3000 --iotlb-rate 50000)
declare -A DAMAGE=(
	[backwards]="--backwards 4"
	[wrap]="--wrap 4"
	[pmu-gone]="--pmu-gone 5"
	[overrun]="--storm 40 --storm-seconds 6 --overrun 5:25"
	[cut]="--cut"
)
for name in backwards wrap pmu-gone overrun cut; do
	tree=$TMP/$name
	# shellcheck disable=SC2086
	if ! tests/activity/mk-activity.py --tree fixtures/intel-faults "$tree" "${COMMON[@]}" \
		${DAMAGE[$name]} >"$TMP/mk.err" 2>&1; then
		fail "replay-$name/recording" "mk-activity.py: $(head -c 300 "$TMP/mk.err")"
		continue
	fi
	run "$tree" "$TMP/$name.txt" --batch
	clean "replay-$name/batch-exit-0" "$TMP/$name.txt" $?
	golden "replay-$name.txt" "$TMP/$name.txt"
	run "$tree" "$TMP/$name.json" --json
	clean "replay-$name/json-exit-0" "$TMP/$name.json" $?
done

# a reset: that interval has no rate for the unit's PMU counters, the frame counts the
# resets, the record of that reading warns (file and line), and the rates come back after
py replay-counters-backwards "$TMP/backwards.json.out" '
r = recs[3]
assert r["system"]["counter_resets"] == 4, r["system"]["counter_resets"]
assert unit(r)["iotlb_lookups"]["per_s"] is None and unit(r)["iotlb_lookups"]["total"] > 0
assert all(not x["warnings"] for i, x in enumerate(recs) if i != 3), "warnings elsewhere"
assert len(r["warnings"]) == 4 and all("iommu-inspect-activity.ndjson:" in w and
    "went backwards" in w for w in r["warnings"]), r["warnings"]
assert all(unit(x)["iotlb_lookups"]["per_s"] > 0 for x in recs[4:])
assert all(x["system"]["maps"]["per_s"] > 0 for x in recs[1:]), "map/unmap lost with the PMU"
'
grep -q "counter resets 4" "$TMP/backwards.txt" && pass replay-counters-backwards/frame-says ||
	fail replay-counters-backwards/frame-says "no 'counter resets 4' in the frames"

# a wrap of a narrow counter: one reset, the counter named
py replay-counter-wrap "$TMP/wrap.json.out" '
r = recs[3]
assert r["system"]["counter_resets"] == 1, r["system"]["counter_resets"]
assert unit(r)["context_hits"]["per_s"] is None and unit(r)["context_hit_ratio"] is None
assert unit(r)["iotlb_lookups"]["per_s"] > 0, "the other counters keep their rates"
assert any("ctx_hit of dmar0" in w and "went backwards" in w for w in r["warnings"]), r["warnings"]
assert unit(recs[4])["context_hits"]["per_s"] is not None
'

# a PMU that goes away: gone, its total kept, the rest counted on
py replay-pmu-gone "$TMP/pmu-gone.json.out" '
before = unit(recs[3])["iotlb_lookups"]
for r in recs[4:]:
    u = unit(r)["iotlb_lookups"]
    assert u["gone"] and u["per_s"] is None and u["total"] == before["total"], u
    assert unit(r)["iotlb_hit_ratio"] is None
    assert r["system"]["maps"]["per_s"] > 0 and unit(r)["fault_interrupts"] is not None
assert not unit(recs[3])["iotlb_lookups"]["gone"]
'
grep -q "^dmar0 *gone *gone *gone" "$TMP/pmu-gone.txt" && pass replay-pmu-gone/frame-says ||
	fail replay-pmu-gone/frame-says "no 'gone' in the unit row"

# an overrun: lost at least 1 from the reading that met it, the gap (25) once a record shows it
py replay-kmsg-overrun "$TMP/overrun.json.out" '
lost = [r["system"]["lost_records"] for r in recs]
assert lost == [0, 0, 0, 0, 1, 1, 1, 25, 25], lost
assert recs[-1]["system"]["fault_records"]["total"] == 13 + 20, recs[-1]["system"]["fault_records"]
'
grep -q "lost 25" "$TMP/overrun.txt" && pass replay-kmsg-overrun/frame-says ||
	fail replay-kmsg-overrun/frame-says "no 'lost 25' in the frames"

# cut mid-record: the readings before it, and a warning that says where and what
py replay-cut-mid-record "$TMP/cut.json.out" '
assert len(recs) == 8, len(recs)
w = [x for r in recs for x in r["warnings"]]
assert len(w) == 1 and "iommu-inspect-activity.ndjson:10: the last line is cut short" in w[0] and \
    "ends with the reading before it" in w[0], w
'
grep -q "^stderr: iommu-inspect: warning: TREE/iommu-inspect-activity.ndjson:10: the last line is cut short" \
	"$TMP/cut.txt" && pass replay-cut-mid-record/stderr || fail replay-cut-mid-record/stderr \
	"$(grep stderr "$TMP/cut.txt" | head -3)"

# ---------------------------------------------------------------- the QEMU recording

F=fixtures/intel-activity
if [[ -f $F/iommu-inspect-activity.ndjson ]]; then
	{ COLUMNS=100 timeout 60 "$BIN" --root $F --pci-ids fixtures/pci.ids top --batch --speed 50 \
		</dev/null 2>&1; echo "exit: $?"; } >"$TMP/qemu.txt"
	golden intel-activity-batch.txt "$TMP/qemu.txt"
	{ timeout 60 "$BIN" --root $F --pci-ids fixtures/pci.ids top --json --speed 50 </dev/null 2>&1
		echo "exit: $?"; } >"$TMP/qemu.ndjson"
	golden intel-activity-json.ndjson "$TMP/qemu.ndjson"
	timeout 60 "$BIN" --root $F top --json >"$TMP/qemu.json" 2>/dev/null
	"$BIN" --root $F -j faults >"$TMP/qemu-faults.json" 2>/dev/null
	# the faults of the tree's log and of the recording: as many as `faults` finds in the log
	# and the recording's fault records add; map/unmap counted in every interval
	py intel-activity/faults-and-maps "$TMP/qemu.json" '
import re
faults = json.load(open("'"$TMP/qemu-faults.json"'"))["faults"]
rec = [json.loads(l) for l in open("'"$F/iommu-inspect-activity.ndjson"'")]
more = sum(1 for r in rec if r["type"] == "kmsg" and re.match(r"DMAR: \[DMA (Read|Write)", r["text"]))
assert len(recs) == 4 and more >= 1, (len(recs), more)
assert recs[-1]["system"]["fault_records"]["total"] == len(faults) + more
assert sum(r["system"]["fault_records"]["count"] for r in recs[1:]) == more
assert all(r["system"]["maps"]["count"] > 0 and r["system"]["unmaps"]["count"] > 0 for r in recs[1:])
assert all(r["sources"]["tracepoints"]["live"] for r in recs)
'
else
	skip intel-activity "fixtures/intel-activity is not there"
fi
finish
