#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-top-batch.sh BIN: `top` without a terminal, on the recorded trees of fixtures/.
#   - --batch frames and --json records on intel-faults, with the boot time, the
#     time zone and the width pinned, against tests/top/expected/;
#   - `top --json -n 3`: valid NDJSON, one document per line with the keys the
#     issue asks for (units by their sys/class/iommu names; devices with bdf,
#     group, faults_total from the start of the log, faults_per_s; sources with
#     live and why not), rates with the interval they cover, fault totals that
#     agree with `faults`; the same on every fixture;
#   - a replay without -n ends with its recording; --speed paces it; -n counts;
#   - bad input: COLUMNS of 0, garbage or too narrow, malformed options, --speed
#     without --root, --batch with --json, standard input that is no terminal:
#     a clear message and the documented exit status, never a crash.
# Every run is bounded by timeout(1). Prints "PASS name", "FAIL name: why" or
# "SKIP name: why" lines and the plan (tests/lib.sh); exit status 0 when it ran
# to its end. TOP_REGEN=1 rewrites the expected files.

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail top-batch-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C.UTF-8 TZ=UTC
unset IOMMU_INSPECT_TEST_BOOTTIME NO_COLOR
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-top-batch.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
EXP=tests/top/expected
F=fixtures/intel-faults

# top ARGS...: the tool bounded in time, with stdin not a terminal, PCI names pinned.
top() { timeout 30 "$BIN" --pci-ids fixtures/pci.ids "$@" </dev/null; }

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

# ok NAME CMD...: PASS when CMD succeeds, else FAIL with its output.
ok() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(printf '%s' "$out" | head -c 400)"; fi
}

# --------------------------------------------------------- frames and records

{ IOMMU_INSPECT_TEST_BOOTTIME=1700000000 COLUMNS=100 top --root $F top --batch -n 2 --speed 50 \
	>"$TMP/batch.txt" 2>"$TMP/batch.err"; echo "exit: $?"; } >>"$TMP/batch.err"
cat "$TMP/batch.err" >>"$TMP/batch.txt"
golden intel-faults-batch.txt "$TMP/batch.txt"

{ IOMMU_INSPECT_TEST_BOOTTIME=1700000000 top --root $F top --json -n 2 --speed 50 \
	>"$TMP/json.ndjson" 2>"$TMP/json.err"; echo "exit: $?"; } >>"$TMP/json.err"
cat "$TMP/json.err" >>"$TMP/json.ndjson"
golden intel-faults-json.ndjson "$TMP/json.ndjson"

# the same frames every time (nothing taken from the clock of the machine running the test)
IOMMU_INSPECT_TEST_BOOTTIME=1700000000 COLUMNS=100 top --root $F top -b -n 2 --speed 50 \
	>"$TMP/batch2.txt" 2>/dev/null
if head -n "$(($(wc -l <"$TMP/batch2.txt")))" "$TMP/batch.txt" | cmp -s - "$TMP/batch2.txt"; then
	pass batch-deterministic
else
	fail batch-deterministic "two runs differ"
fi

# ------------------------------------------------------------ NDJSON contract

# check_ndjson NAME FILE N FIXTURE: N records, each a document with the keys asked for.
check_ndjson() {
	local why
	why=$(python3 - "$2" "$3" "$4" <<'EOF' 2>&1
import json, os, re, sys
path, n, fixture = sys.argv[1], int(sys.argv[2]), sys.argv[3]
BDF = re.compile(r"^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$")
lines = open(path).read().split("\n")
assert lines[-1] == "", "no newline at the end"
lines = lines[:-1]
assert len(lines) == n, "%d records, not %d" % (len(lines), n)
# (.iommu-inspect-keep: the file snapshot leaves in a directory it wrote empty)
units = sorted(u for u in os.listdir(os.path.join(fixture, "sys/class/iommu"))
               if u != ".iommu-inspect-keep") \
    if os.path.isdir(os.path.join(fixture, "sys/class/iommu")) else []
RATE = {"per_s", "count", "interval_s", "total", "gone"}
def rate(r, where, iv):
    if r is None:
        return
    assert set(r) == RATE, "%s: keys %s" % (where, sorted(r))
    assert isinstance(r["total"], int) and isinstance(r["gone"], bool), where
    if r["per_s"] is None:
        assert r["count"] is None and r["interval_s"] is None, where
    else:
        assert isinstance(r["count"], int) and r["interval_s"] == iv, "%s: interval" % where
        assert abs(r["per_s"] - r["count"] / iv) < 1e-3 * max(1, r["per_s"]), "%s: rate" % where
for i, line in enumerate(lines):
    d = json.loads(line)
    w = "record %d" % (i + 1)
    keys = list(d)
    assert keys[0] == "schema_version" and d["schema_version"] == 1, w + ": schema_version"
    assert keys[-1] == "warnings" and isinstance(d["warnings"], list), w + ": warnings last"
    assert d["seq"] == i + 1, w + ": seq"
    iv = d["interval_s"]
    assert (iv is None) == (i == 0), w + ": interval_s"
    assert set(d["sources"]) == {"interrupts", "kmsg", "tracepoints", "pmu", "latency", "hotplug"}, w
    for k, s in d["sources"].items():
        assert isinstance(s["live"], bool), w + ": sources." + k
        assert (s["reason"] is None) == s["live"], w + ": sources.%s.reason" % k
        assert (s["message"] is None) == s["live"], w + ": sources.%s.message" % k
    assert sorted(u["name"] for u in d["units"]) == units, w + ": units %s, not %s" % (
        [u["name"] for u in d["units"]], units)
    for u in d["units"]:
        for k in ("iotlb_lookups", "iotlb_hits", "iotlb_misses", "context_lookups", "context_hits",
                  "invalidations", "fault_interrupts", "fault_records"):
            rate(u[k], "%s: units[%s].%s" % (w, u["name"], k), iv)
        assert isinstance(u["pmu"]["live"], bool), w + ": pmu"
    for k in ("maps", "unmaps", "invalidations", "fault_interrupts", "fault_records"):
        rate(d["system"][k], "%s: system.%s" % (w, k), iv)
    for x in d["devices"]:
        assert (x["bdf"] is None) != (x["client"] is None), w + ": bdf or client"
        assert x["bdf"] is None or BDF.match(x["bdf"]), w + ": bdf " + str(x["bdf"])
        assert x["group"] is None or isinstance(x["group"], int), w + ": group"
        assert isinstance(x["faults_total"], int), w + ": faults_total"
        assert (x["faults_per_s"] is None) == (i == 0), w + ": faults_per_s"
        assert (x["last_fault"] is None) == (x["faults_total"] == 0), w + ": last_fault"
    total = d["system"]["fault_records"]["total"] if d["system"]["fault_records"] else 0
    assert sum(x["faults_total"] for x in d["devices"]) <= total, w + ": device totals"
    assert len(d["faults"]) + d["faults_not_listed"] == (total if i == 0 else 0), w + ": faults"
EOF
)
	if [[ -z $why ]]; then pass "$1"; else fail "$1" "$(printf '%s' "$why" | tail -3 | tr '\n' ' ')"; fi
}

top --root $F top --json -n 3 -d 0.5 --speed 20 >"$TMP/n3.ndjson" 2>"$TMP/n3.err"
rc=$?
[[ $rc == 0 ]] && pass json-n3-exit || fail json-n3-exit "exit status $rc: $(head -c 300 "$TMP/n3.err")"
check_ndjson json-n3-intel-faults "$TMP/n3.ndjson" 3 $F

# the fault counts agree with `faults` on the same log
python3 - "$TMP/n3.ndjson" <(top --root $F -j faults --summary 2>/dev/null) >"$TMP/agree" 2>&1 <<'EOF'
import json, sys
rec = json.loads(open(sys.argv[1]).readline())
summ = json.load(open(sys.argv[2]))["summary"]
want = {}
for r in summ["by_device"]:
    want[r["bdf"]] = want.get(r["bdf"], 0) + r["count"]
got = {d["bdf"]: d["faults_total"] for d in rec["devices"] if d["faults_total"]}
if got != want:
    print("top %s, faults %s" % (got, want))
if rec["system"]["fault_records"]["total"] != summ["faults"]:
    print("total %s, faults %s" % (rec["system"]["fault_records"]["total"], summ["faults"]))
if rec["system"]["suppressed"] != summ["suppressed_callbacks"]:
    print("suppressed %s, faults %s" % (rec["system"]["suppressed"], summ["suppressed_callbacks"]))
EOF
[[ ! -s $TMP/agree ]] && pass json-faults-agree-with-faults || fail json-faults-agree-with-faults "$(cat "$TMP/agree")"

for f in fixtures/*/; do
	f=${f%/}
	[[ -d $f/sys ]] || continue
	top --root "$f" top -j -n 2 -d 1 --speed 100 >"$TMP/fx.ndjson" 2>/dev/null
	check_ndjson "json-n2-$(basename "$f")" "$TMP/fx.ndjson" 2 "$f"
done

# -------------------------------------------------------------- pace and end

# without -n, a replay ends with its recording: here there is none, so one frame
n=$(top --root $F top -j | wc -l)
[[ $n == 1 ]] && pass replay-ends || fail replay-ends "$n records"
n=$(top --root $F top -b | grep -c '^ iommu-inspect top')
[[ $n == 1 ]] && pass batch-replay-ends || fail batch-replay-ends "$n frames"
# --speed: five samples 1 s apart of recorded time, at 10 times the pace: about 0.4 s
start=$(date +%s%N)
top --root $F top -j -n 5 --speed 10 >/dev/null 2>&1
ms=$((($(date +%s%N) - start) / 1000000))
if ((ms >= 350 && ms < 3000)); then pass speed-paces; else fail speed-paces "$ms ms for 4 s at x10"; fi
# the reader goes away: exit 0, quietly
top --root $F top -b -n 100000 -d 0.1 --speed 100000 2>"$TMP/pipe.err" | head -n 1 >/dev/null
rc=${PIPESTATUS[0]}
[[ $rc == 0 && ! -s $TMP/pipe.err ]] && pass reader-goes-away ||
	fail reader-goes-away "exit $rc: $(head -c 200 "$TMP/pipe.err")"

# --------------------------------------------------------------------- bad input

# bad NAME WANT_RC WANT_MSG ARGS...: exit status and a message on stderr.
bad() {
	local name=$1 want=$2 msg=$3 rc
	shift 3
	"$@" >"$TMP/bad.out" 2>"$TMP/bad.err"
	rc=$?
	if [[ $rc != "$want" ]]; then
		fail "$name" "exit status $rc, not $want: $(head -c 200 "$TMP/bad.err")"
	elif ! grep -qF -- "$msg" "$TMP/bad.err"; then
		fail "$name" "no '$msg' in: $(head -c 300 "$TMP/bad.err")"
	else
		pass "$name"
	fi
}
bad bad-columns-zero 0 "COLUMNS='0' is not a number of columns; frames are 80 wide" \
	env COLUMNS=0 timeout 30 "$BIN" --root $F top -b -n 1
[[ $(awk 'length > 80' "$TMP/bad.out" | wc -l) == 0 && -s $TMP/bad.out ]] &&
	pass columns-zero-frames-80 || fail columns-zero-frames-80 "lines wider than 80, or none"
bad bad-columns-garbage 0 "COLUMNS='wide' is not a number" env COLUMNS=wide timeout 30 "$BIN" --root $F top -b -n 1
bad bad-columns-narrow 0 "COLUMNS=7 is narrower than the 20 columns" env COLUMNS=7 timeout 30 "$BIN" --root $F top -b -n 1
[[ $(awk 'length > 20' "$TMP/bad.out" | wc -l) == 0 ]] && pass narrow-frames-20 ||
	fail narrow-frames-20 "$(awk 'length > 20' "$TMP/bad.out" | head -2)"
bad bad-delay 2 "-d 'soon' is not a number of seconds" top --root $F top -b -d soon
bad bad-delay-zero 2 "-d '0' is not a number of seconds from 0.1 to 3600" top --root $F top -b -d 0
bad bad-iterations 2 "-n '0' is not a number of samples" top --root $F top -b -n 0
bad bad-color 2 "--color 'pink' is not one of auto, always, never" top --root $F top --color pink
bad bad-speed 2 "--speed '-1' is not a pace" top --root $F top -b --speed -1
bad speed-needs-root 2 "--speed sets the pace of a replay" top top -b --speed 2
bad batch-and-json 2 "--batch and --json exclude each other" top --root $F top -b -j
bad bad-argument 2 "top takes no arguments" top --root $F top extra
if command -v script >/dev/null; then
	# stdout a terminal, stdin not: no keys can be read
	script -qec "timeout 10 $BIN --root $F top </dev/null" /dev/null >"$TMP/script.out" 2>&1
	grep -q "standard input is not a terminal" "$TMP/script.out" && pass stdin-not-a-terminal ||
		fail stdin-not-a-terminal "$(head -c 300 "$TMP/script.out")"
	# no TERM: a message, not a crash, the terminal untouched
	script -qec "env -u TERM timeout 10 $BIN --root $F top" /dev/null >"$TMP/script.out" 2>&1 </dev/null
	grep -q "TERM is not set" "$TMP/script.out" && pass no-term ||
		fail no-term "$(head -c 300 "$TMP/script.out")"
	script -qec "env TERM=no-such-terminal timeout 10 $BIN --root $F top" /dev/null \
		>"$TMP/script.out" 2>&1 </dev/null
	grep -q "cannot use the terminal type 'no-such-terminal'" "$TMP/script.out" && pass unknown-term ||
		fail unknown-term "$(head -c 300 "$TMP/script.out")"
else
	skip stdin-not-a-terminal "script(1) (util-linux) is not installed"
	skip no-term "script(1) (util-linux) is not installed"
	skip unknown-term "script(1) (util-linux) is not installed"
fi
# counters that go backwards or wrap, a PMU that disappears, an overrun, a cut recording:
# tests/top/t-top-replay.sh
finish
