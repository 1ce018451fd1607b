#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-faults.sh BIN: `faults` on the corpora of fixtures/kmsg/ (made by
# tests/faults/mk-corpus.py), beyond the golden outputs of tests/cases.list:
#   - every Intel reason code of the reference is decoded to the kernel's string;
#   - every text layout (dmesg, journalctl, syslog) gives the faults that the
#     /dev/kmsg form of the same log gives;
#   - times: dates from dmesg -T with a pinned boot time and time zone
#     (IOMMU_INSPECT_TEST_BOOTTIME, TZ), and dates of records;
#   - standard input, a line longer than the line limit, --check exit statuses,
#     JSON on every corpus, attribution only with --root;
#   - the corpora are what the generator makes (they are committed).
# Prints "PASS name" or "FAIL name: why" lines and the plan (tests/lib.sh); exit
# status 0 when it ran to its end.

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail faults-usage "no executable BIN given"
	finish
fi
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C.UTF-8
unset IOMMU_INSPECT_TEST_BOOTTIME
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-faults.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
K=fixtures/kmsg
# the PCI ID database pinned, as in the golden tests (libudev's hwdb leaks under LeakSanitizer)
run() { timeout 60 "$BIN" --pci-ids fixtures/pci.ids "$@"; }

# py NAME SCRIPT ARGS...: the script prints nothing when all is well, else why.
py() {
	local name=$1 why
	shift
	why=$(python3 -c "$@" 2>&1)
	if [[ -z $why ]]; then pass "$name"; else fail "$name" "$(printf '%s' "$why" | head -c 400)"; fi
}

# ------------------------------------------------------------ the corpora

python3 tests/faults/mk-corpus.py --out "$TMP/corpus" > /dev/null 2>&1
if diff -r -q "$K" "$TMP/corpus" > "$TMP/diff" 2>&1; then
	pass corpora-are-generated
else
	fail corpora-are-generated "$(head -3 "$TMP/diff") (run tests/faults/mk-corpus.py)"
fi

# ---------------------------------------------------- every reason code

run faults --kmsg-file "$K/intel.kmsg" -j > "$TMP/intel.json" 2> /dev/null
py intel-every-reason-code '
import importlib.machinery, json, sys
gen = importlib.machinery.SourceFileLoader("gen", "tests/faults/mk-corpus.py").load_module()
doc = json.load(open(sys.argv[1]))
got = {}
for f in doc["faults"]:
    if f["reason_code"] is not None:
        got.setdefault(f["reason_code"], set()).add(f["reason"])
for code in gen.INTEL_CODES:
    want = gen.intel_reason(code)
    if code not in got:
        print("code 0x%02x: no fault" % code)
    elif want not in got[code]:
        print("code 0x%02x: %s, want %r" % (code, got[code], want))
    kinds = {f["kind"] for f in doc["faults"] if f["reason_code"] == code and "PASID" not in f["message"]}
    if 0x20 <= code <= 0x26 and kinds != {"interrupt"}:
        print("code 0x%02x: kinds %s" % (code, kinds))
' "$TMP/intel.json"

# ------------------------------------------- text layouts agree with kmsg

key='[(f["vendor"], f["bdf"], f["address"], f["index"], f["reason_code"], f["access"]) for f in json.load(open(p))["faults"]]'
run faults --kmsg-file "$K/mixed.kmsg" -j > "$TMP/mixed.json" 2> /dev/null
for t in "$K"/mixed-*.txt; do
	name=$(basename "$t" .txt)
	run faults --dmesg-file "$t" -j > "$TMP/$name.json" 2> "$TMP/$name.err"
	py "layout-$name-same-faults" "
import json, sys
p = sys.argv[1]; want = $key
p = sys.argv[2]; got = $key
if '$name' == 'mixed-journal':
    got = got[:-1]  # a fault of the next boot, after '-- Boot'
if got != want:
    i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    print('%d faults, want %d; the first difference, at %d: %s, want %s' % (
        len(got), len(want), i, got[i:i + 1], want[i:i + 1]))
" "$TMP/mixed.json" "$TMP/$name.json"
	if [[ -s $TMP/$name.err ]]; then fail "layout-$name-no-warning" "$(head -c 200 "$TMP/$name.err")"; else pass "layout-$name-no-warning"; fi
done
py layout-dmesg-times-match '
import json, sys
a = [f["timestamp_us"] for f in json.load(open(sys.argv[1]))["faults"]]
b = [f["timestamp_us"] for f in json.load(open(sys.argv[2]))["faults"]]
if a != b or None in a:
    print(a, b)
' "$TMP/mixed.json" "$TMP/mixed-dmesg.json"

# ------------------------------------------------------------------ times

# dmesg -T gives dates: with the boot time (2026-11-22T04:40:00Z) and the time zone
# pinned, they become times since boot (whole seconds)
TZ=UTC IOMMU_INSPECT_TEST_BOOTTIME=1795322400 run faults --dmesg-file "$K/mixed-dmesg-T.txt" -j \
	> "$TMP/T.json" 2> /dev/null
py times-dmesg-T-to-boot-relative '
import json, sys
f = json.load(open(sys.argv[1]))["faults"]
got = [(x["timestamp_us"], x["time"]) for x in f[:2]]
want = [(8000000, "2026-11-22T04:40:08"), (9000000, "2026-11-22T04:40:09")]
if got != want:
    print(got)
' "$TMP/T.json"
run faults --dmesg-file "$K/mixed-dmesg-T.txt" -j > "$TMP/T0.json" 2> /dev/null
py times-dmesg-T-without-boot-time '
import json, sys
f = json.load(open(sys.argv[1]))["faults"][0]
if f["timestamp_us"] is not None or f["time"] != "2026-11-22T04:40:08":
    print(f["timestamp_us"], f["time"])
' "$TMP/T0.json"
TZ=UTC-2 IOMMU_INSPECT_TEST_BOOTTIME=1795322400.5 run faults --kmsg-file "$K/mixed.kmsg" -j \
	> "$TMP/K.json" 2> /dev/null
py times-records-dated '
import json, sys
f = json.load(open(sys.argv[1]))["faults"][0]
if f["time"] != "2026-11-22T06:40:09.400900+02:00" or f["timestamp_us"] != 8900900:
    print(f["time"], f["timestamp_us"])
' "$TMP/K.json"
run faults --kmsg-file "$K/mixed.kmsg" -j > "$TMP/K0.json" 2> /dev/null
py times-records-undated-without-boot-time '
import json, sys
if json.load(open(sys.argv[1]))["faults"][0]["time"] is not None:
    print("a date without a boot time")
' "$TMP/K0.json"

# ------------------------------------------------------------ inputs

run faults --kmsg-file - -j < "$K/mixed.kmsg" > "$TMP/stdin.json" 2> /dev/null
py stdin-same-as-file '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
if a["faults"] != b["faults"] or b["log"]["path"] != "standard input":
    print(len(a["faults"]), len(b["faults"]), b["log"]["path"])
' "$TMP/mixed.json" "$TMP/stdin.json"

# A regular file is read by a second thread (src/source-log-bulk.c), a pipe in
# one: both give the same on a log of many read chunks, whose records straddle
# the chunks' ends, with an overlong record, escapes and dictionaries among them,
# in both formats; and --check stops both alike.
python3 tests/faults/mk-corpus.py --bench "$TMP/bulk.kmsg" --lines 40000 > /dev/null
python3 - "$TMP/bulk.kmsg" "$TMP/bulk.txt" << 'EOF2'
import sys
src, txt = sys.argv[1:3]
recs = open(src, encoding="utf-8", errors="surrogateescape").read().splitlines(True)
mid = len(recs) // 2
while recs[mid].startswith(" "):
    mid += 1
seq = 10**9
recs[mid:mid] = ["4,%d,5,-;%s\n" % (seq, "y" * 1100000),
                 "3,%d,6,-;DMAR: [DMA Write NO_PASID] Request device [00:1f.\\x37] fault addr 0x2000 [fault reason 0x05] PTE Write access is not set\n" % (seq + 1),
                 "3,%d,7,-;DMAR: [DMA Read NO_PASID] Request device [00:1f.6] fault addr 0x3000 [fault reason 0x06] PTE Read access is not set\n SUBSYSTEM=pci\n DEVICE=+pci:0000:00:1f.6\n" % (seq + 2)]
open(src, "w", encoding="utf-8", errors="surrogateescape").writelines(recs)
with open(txt, "w", encoding="utf-8", errors="surrogateescape") as out:
    for r in recs:
        if r.startswith(" "):
            continue
        head, _, text = r.partition(";")
        us = int(head.split(",")[2])
        out.write("[%5d.%06d] %s" % (us // 1000000, us % 1000000, text.replace("\\x37", "7")))
EOF2
for fmt in kmsg:--kmsg-file txt:--dmesg-file; do
	ext=${fmt%%:*} opt=${fmt#*:}
	run faults "$opt" "$TMP/bulk.$ext" -j > "$TMP/bulk-file.json" 2> "$TMP/bulk-file.err"
	a=$?
	cat "$TMP/bulk.$ext" | run faults "$opt" - -j > "$TMP/bulk-pipe.json" 2> "$TMP/bulk-pipe.err"
	b=$?
	py "bulk-reader-same-as-pipe-$ext" '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ea, eb = (open(p).read().replace(sys.argv[3], "standard input") for p in sys.argv[4:6])
a["log"].pop("path"); b["log"].pop("path")
a["warnings"] = [w.replace(sys.argv[3], "standard input") for w in a["warnings"]]
if sys.argv[6] != sys.argv[7] or ea != eb:
    print("exit", sys.argv[6], sys.argv[7], "stderr", ea[:200], "|", eb[:200])
elif a != b:
    keys = [k for k in a if a[k] != b.get(k)]
    print("differ in", keys, len(a.get("faults", [])), len(b.get("faults", [])))
elif len(a["faults"]) < 10000 or a["log"].get("overlong_lines") != 1:
    print("too few faults or no overlong line:", len(a["faults"]), a["log"])
elif not any(f["address"] == "0x2000" and f["bdf"] == "0000:00:1f.7" for f in a["faults"]):
    print("the escaped record is missing")
' "$TMP/bulk-file.json" "$TMP/bulk-pipe.json" "$TMP/bulk.$ext" "$TMP/bulk-file.err" "$TMP/bulk-pipe.err" "$a" "$b"
	run faults "$opt" "$TMP/bulk.$ext" --check > "$TMP/bulk-file.chk" 2>&1
	a=$?
	cat "$TMP/bulk.$ext" | run faults "$opt" - --check > "$TMP/bulk-pipe.chk" 2>&1
	b=$?
	if [[ $a -eq 1 && $b -eq 1 ]] &&
		cmp -s <(sed "s|$TMP/bulk.$ext|standard input|" "$TMP/bulk-file.chk") "$TMP/bulk-pipe.chk"; then
		pass "bulk-reader-check-$ext"
	else
		fail "bulk-reader-check-$ext" "exit $a/$b: $(head -c 200 "$TMP/bulk-file.chk") | $(head -c 200 "$TMP/bulk-pipe.chk")"
	fi
done

{
	printf '[    1.000000] '
	head -c 1200000 /dev/zero | tr '\0' 'x'
	printf '\n[    2.000000] DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 [fault reason 0x06] PTE Read access is not set\n'
} > "$TMP/long.txt"
run faults --dmesg-file "$TMP/long.txt" > "$TMP/long.out" 2> "$TMP/long.err"
rc=$?
if [[ $rc -eq 0 ]] && grep -q 'longer than 1048576 bytes' "$TMP/long.err" &&
	grep -q '^\[    2.000000\] intel - 0000:00:05.0 read addr 0x1000' "$TMP/long.out"; then
	pass overlong-line-cut-and-reported
else
	fail overlong-line-cut-and-reported "exit $rc: $(head -c 200 "$TMP/long.err")"
fi

run faults --kmsg-file "$K/mixed-dmesg.txt" > /dev/null 2> "$TMP/wrong.err"
if grep -q 'use --dmesg-file' "$TMP/wrong.err"; then pass text-as-kmsg-hint; else fail text-as-kmsg-hint "$(head -c 200 "$TMP/wrong.err")"; fi

# ----------------------------------------------------------------- --check

check() { # NAME WANT_RC ARGS...
	local name=$1 want=$2 rc
	shift 2
	run "$@" > "$TMP/check.out" 2>&1
	rc=$?
	# one line, except for usage errors, which say how to get help
	if [[ $rc -eq $want && ($want -eq 2 || $(wc -l < "$TMP/check.out") -eq 1) ]]; then
		pass "$name"
	else
		fail "$name" "exit $rc (want $want): $(head -c 200 "$TMP/check.out")"
	fi
}
check check-faults-exit-1 1 --root fixtures/intel-faults faults --check
check check-none-exit-0 0 --root fixtures/intel-q35 faults --check
check check-max-exit-0 0 --root fixtures/intel-faults faults --check --max 13
check check-max-exit-1 1 --root fixtures/intel-faults faults --max 12
check check-filter-exit-0 0 --root fixtures/intel-faults faults --check --vendor amd
check check-unparsed-count 1 faults --dmesg-file "$K/mixed-dmesg.txt" --check --max 7
check check-bad-max 2 faults --check --max -1
check check-unreadable-exit-1 1 faults --kmsg-file "$TMP/nope" --check

# ---------------------------------------------------- JSON and attribution

for f in "$K"/*.kmsg; do
	run faults --kmsg-file "$f" --json > "$TMP/j.json" 2> /dev/null
	run faults --kmsg-file "$f" --json --summary > "$TMP/js.json" 2> /dev/null
	py "json-$(basename "$f")" '
import json, sys
for p in sys.argv[1:]:
    d = json.load(open(p))
    k = list(d)
    if k[0] != "schema_version" or k[-1] != "warnings" or "summary" not in d:
        print(p, k)
' "$TMP/j.json" "$TMP/js.json"
done

run faults --kmsg-file fixtures/intel-faults/dev/kmsg -j > "$TMP/na.json" 2> /dev/null
run --root fixtures/intel-faults faults --kmsg-file fixtures/intel-faults/dev/kmsg -j > "$TMP/a.json" 2> /dev/null
py attribution-only-with-root '
import json, sys
na, a = (json.load(open(p)) for p in sys.argv[1:3])
if any(f["group"] is not None or f["unit"] is not None for f in na["faults"]):
    print("attributed without --root")
if [f["group"] for f in a["faults"]][:1] != [2] or a["faults"][0]["unit"] != "dmar0":
    print("not attributed with --root")
if a["summary"]["interrupts"] is not None:
    print("interrupts compared for a log that is not the root one")
' "$TMP/na.json" "$TMP/a.json"
run faults --kmsg-file "$K/intel.kmsg" --group 2 > /dev/null 2>&1
rc=$?
if [[ $rc -eq 2 ]]; then pass group-needs-root; else fail group-needs-root "exit $rc"; fi
finish
