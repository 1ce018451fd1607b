#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmarks of `faults` on pasted text and on the systemd journal (run by `make bench`).
#
#   tests/bench/bench-journal.sh BIN
#
# The corpus is bench-faults.sh's: 1,000,000 /dev/kmsg records of a fault storm
# (tests/faults/mk-corpus.py --bench, cached next to BIN as bench-faults.kmsg).
# From it, cached next to BIN and made again when the corpus is newer:
#   - bench-faults.dmesg: the same records as `dmesg` prints them ("[  12.345678] text");
#   - bench-faults-journal/: real journal files, the records as kernel entries of one
#     boot, written by systemd-journal-remote from tests/faults/mk-journal.py --from-kmsg
#     (it rotates its output at about 48 MB: several files, as in /var/log/journal).
# Timed (median wall and CPU time of BENCH_REPS warm runs, output to a file):
#   a) grep -c DMAR DMESG                                   (the baseline for text)
#   b) BIN faults --dmesg-file DMESG --summary
#   b') BIN faults --kmsg-file KMSG --summary                (the same records, as bench-faults.sh
#                                                            times them, under the same load)
#   c) journalctl -D J -k -b ID -o cat | grep -c DMAR   (the baseline for the journal)
#   d) BIN faults --journal-dir J --boot --summary
#   e) journalctl -D J -k -b ID | BIN faults --dmesg-file - --summary
# and the number of faults b), d) and e) count (they must agree).
#
# Environment: BENCH_REPS (default 7), BENCH_LINES (default 1000000).
set -eu

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: $0 BIN (an executable iommu-inspect)" >&2
	exit 2
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
GEN=$HERE/../faults/mk-corpus.py
MKJ=$HERE/../faults/mk-journal.py
LINES=${BENCH_LINES:-1000000}
DIR=$(dirname "$BIN")
KMSG=$DIR/bench-faults.kmsg
DMESG=$DIR/bench-faults.dmesg
JOURNAL=$DIR/bench-faults-journal
command -v python3 > /dev/null 2>&1 || { echo "$0: python3 is needed" >&2; exit 1; }

REMOTE=
for r in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
	[ -x "$r" ] && REMOTE=$r && break
done
if [ -z "$REMOTE" ] || ! command -v journalctl > /dev/null 2>&1; then
	echo "bench-journal: skipped: systemd-journal-remote or journalctl is not installed" \
		"(apt install systemd-journal-remote)"
	exit 0
fi

if [ ! -f "$KMSG" ] || [ "$GEN" -nt "$KMSG" ] ||
	[ "$(wc -l < "$KMSG" | tr -d ' ')" != "$LINES" ]; then
	echo "generating $KMSG ($LINES lines) ..."
	python3 "$GEN" --bench "$KMSG.new" --lines "$LINES"
	mv "$KMSG.new" "$KMSG"
fi
if [ ! -f "$DMESG" ] || [ "$KMSG" -nt "$DMESG" ]; then
	echo "writing $DMESG ..."
	# dmesg's form of each record; a record's further lines are indented, as dmesg does
	python3 - "$KMSG" "$DMESG.new" <<'EOF'
import sys
with open(sys.argv[1], "rb") as f, open(sys.argv[2], "wb") as o:
    for rec in f:
        if rec.startswith(b" "):
            continue  # a record's dictionary (SUBSYSTEM=, DEVICE=): dmesg does not show it
        head, _, text = rec.rstrip(b"\n").partition(b";")
        us = int(head.split(b",")[2])
        stamp = b"[%5d.%06d] " % (us // 1000000, us % 1000000)
        o.write(stamp + text.replace(b"\\x0a", b"\n" + b" " * len(stamp)) + b"\n")
EOF
	mv "$DMESG.new" "$DMESG"
fi
if [ ! -f "$JOURNAL/done" ] || [ "$KMSG" -nt "$JOURNAL/done" ] || [ "$MKJ" -nt "$JOURNAL/done" ]; then
	echo "writing $JOURNAL/ (systemd-journal-remote) ..."
	rm -rf "$JOURNAL" "$JOURNAL.export"
	mkdir -p "$JOURNAL"
	python3 "$MKJ" --from-kmsg "$KMSG" --out "$JOURNAL.export" > /dev/null
	"$REMOTE" -o "$JOURNAL/remote.journal" "$JOURNAL.export" > /dev/null 2>&1
	rm -f "$JOURNAL.export"
	touch "$JOURNAL/done"
fi

exec python3 - "$BIN" "$DMESG" "$JOURNAL" "$KMSG" <<'EOF'
import json, os, statistics, subprocess, sys, tempfile, time

BIN, DMESG, JOURNAL, KMSG = sys.argv[1:5]
REPS = int(os.environ.get("BENCH_REPS", "7"))
BOOT = "5a0d6b1e2c3f4a5b6c7d8e9f00112233"  # tests/faults/mk-journal.py's BOOT_NEW
tmp = tempfile.mkdtemp(prefix="bench-journal.")


def timed(cmd, out):
    """Wall and CPU seconds (user + system of every process, from wait4) of one run."""
    with open(out, "wb") as o:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=o, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit("%s failed: %s" % (cmd, status))
    return wall, ru.ru_utime + ru.ru_stime


def measure(name, cmd):
    out = os.path.join(tmp, "out")
    timed(cmd, out)  # warm the page cache
    runs = [timed(cmd, out) for _ in range(REPS)]
    return name, statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def count(cmd, shell=False):
    r = subprocess.run(cmd, capture_output=True, shell=shell)
    return json.loads(r.stdout)["summary"]["faults"]


sh = ["sh", "-c"]
jctl = "journalctl -D '%s' -k -b %s --no-pager" % (JOURNAL, BOOT)
lines = sum(1 for _ in open(DMESG, "rb"))
entries = int(subprocess.run(sh + [jctl + " -o cat | wc -l"], capture_output=True).stdout)
faults = {
    "dmesg": count([BIN, "-j", "faults", "--dmesg-file", DMESG, "--summary"]),
    "journal": count([BIN, "-j", "faults", "--journal-dir", JOURNAL, "--boot", "--summary"]),
    "pipe": count(jctl + " | '%s' -j faults --dmesg-file - --summary" % BIN, shell=True),
}
rows = [
    measure("grep -c DMAR DMESG", ["grep", "-c", "DMAR", DMESG]),
    measure("iommu-inspect faults --dmesg-file DMESG --summary",
            [BIN, "faults", "--dmesg-file", DMESG, "--summary"]),
    measure("iommu-inspect faults --kmsg-file KMSG --summary",
            [BIN, "faults", "--kmsg-file", KMSG, "--summary"]),
    measure("journalctl -D J -k -b ID -o cat | grep -c DMAR",
            sh + [jctl + " -o cat | grep -c DMAR"]),
    measure("iommu-inspect faults --journal-dir J --boot --summary",
            [BIN, "faults", "--journal-dir", JOURNAL, "--boot", "--summary"]),
    measure("journalctl -D J -k -b ID | iommu-inspect faults --dmesg-file - --summary",
            sh + [jctl + " | '%s' faults --dmesg-file - --summary" % BIN]),
]
print("\ntext and journal: %d dmesg lines (%.1f MB), a journal of %d kernel entries "
      "in %d files (%.1f MB); median of %d warm runs\n" % (lines, os.path.getsize(DMESG) / 1e6, entries,
      len([f for f in os.listdir(JOURNAL) if f.endswith(".journal")]),
      sum(os.path.getsize(os.path.join(JOURNAL, f)) for f in os.listdir(JOURNAL)) / 1e6, REPS))
print("| command | wall s | CPU s | M lines or entries/s (wall) |")
print("|---|---:|---:|---:|")
for i, (name, wall, cpu) in enumerate(rows):
    n = lines if i < 3 else entries
    print("| `%s` | %.3f | %.3f | %.2f |" % (name, wall, cpu, n / wall / 1e6))
print("\n`faults --dmesg-file` has %.2f of grep's throughput in wall time, %.2f in CPU time;"
      % (rows[0][1] / rows[1][1], rows[0][2] / rows[1][2]))
print("`faults --kmsg-file` (the same records) has %.2f of grep's throughput in CPU time;"
      % (rows[0][2] / rows[2][2]))
print("`faults --journal-dir` takes %.2f of the time of journalctl -o cat | grep (wall), "
      "%.2f (CPU)" % (rows[4][1] / rows[3][1], rows[4][2] / rows[3][2]))
print("faults counted: --dmesg-file %d, --journal-dir %d, journalctl | --dmesg-file - %d%s" % (
    faults["dmesg"], faults["journal"], faults["pipe"],
    "" if len(set(faults.values())) == 1 else "  (THEY DIFFER)"))
subprocess.run(["rm", "-rf", tmp])
sys.exit(0 if len(set(faults.values())) == 1 else 1)
EOF
