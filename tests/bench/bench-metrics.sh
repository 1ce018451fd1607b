#!/bin/sh
# SPDX-License-Identifier: MIT
# `metrics` on a big server (run by `make bench`).
#
#   tests/bench/bench-metrics.sh BIN
#
# The 4,096-function tree of bench.sh (build/bench-tree, generated as it does
# when missing) with the 1,000,000-line fault storm of bench-faults.sh
# (build/bench-faults.kmsg, generated when missing) as its dev/kmsg: a copy of
# the tree made of hard links (build/bench-metrics-tree), so that neither
# original changes. Measures `BIN --root T metrics` (median wall and CPU time of
# BENCH_REPS warm runs, default 7, and the largest peak RSS, from wait4) against
# the targets: under 1 s and 32 MiB. BENCH_STRICT=1: exit 1 when one is missed.
set -eu

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: $0 BIN (an executable iommu-inspect)" >&2
	exit 2
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(dirname "$BIN")
TREE=$DIR/bench-tree
KMSG=$DIR/bench-faults.kmsg
T=$DIR/bench-metrics-tree

# the tree and the log, as the other benchmarks make them (they cache both)
if [ ! -d "$TREE/sys" ] || [ ! -f "$TREE.manifest.json" ]; then
	echo "generating $TREE (4096 PCI functions) ..."
	rm -rf "$TREE" "$TREE.manifest.json" "$TREE.new" "$TREE.new.manifest.json"
	python3 "$HERE/../gen-tree.py" --out "$TREE.new" --devices 4096 --seed 1
	mv "$TREE.new" "$TREE"
	mv "$TREE.new.manifest.json" "$TREE.manifest.json"
fi
if [ ! -f "$KMSG" ]; then
	python3 "$HERE/../faults/mk-corpus.py" --bench "$KMSG.new" --lines 1000000
	mv "$KMSG.new" "$KMSG"
fi
if [ ! -f "$T/dev/kmsg" ] || [ "$TREE" -nt "$T" ] || [ "$KMSG" -nt "$T/dev/kmsg" ]; then
	rm -rf "$T"
	cp -al "$TREE" "$T"
	mkdir -p "$T/dev"
	rm -f "$T/dev/kmsg"
	ln "$KMSG" "$T/dev/kmsg" 2>/dev/null || cp "$KMSG" "$T/dev/kmsg"
fi

exec python3 - "$BIN" "$T" <<'PY'
import os, statistics, subprocess, sys, time

BIN, T = sys.argv[1:3]
REPS = int(os.environ.get("BENCH_REPS", "7"))
STRICT = os.environ.get("BENCH_STRICT") == "1"


def run():
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        p = subprocess.Popen([BIN, "--root", T, "metrics", "--no-timing"], stdout=null,
                             stderr=null)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("metrics failed: %s" % status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


run()  # warm the page cache
runs = [run() for _ in range(REPS)]
out = subprocess.run([BIN, "--root", T, "metrics"], capture_output=True, text=True).stdout
series = sum(1 for l in out.splitlines() if l and not l.startswith("#"))
faults = sum(int(l.rsplit(" ", 1)[1]) for l in out.splitlines()
             if l.startswith("iommu_faults_total{"))
lines = sum(1 for _ in open(os.path.join(T, "dev", "kmsg"), "rb"))
wall = statistics.median(r[0] for r in runs)
cpu = statistics.median(r[1] for r in runs)
rss = max(r[2] for r in runs)
print("\nmetrics on %s: %d kernel log lines, %d faults counted, %d series "
      "(median of %d warm runs)\n" % (T, lines, faults, series, REPS))
print("| command | wall s | CPU s | peak RSS MiB |")
print("|---|---:|---:|---:|")
print("| `iommu-inspect --root T metrics` | %.3f | %.3f | %.1f |" % (wall, cpu, rss))
missed = []
if wall >= 1.0:
    missed.append("wall %.3f s (target under 1 s)" % wall)
if rss >= 32:
    missed.append("peak RSS %.1f MiB (target under 32 MiB)" % rss)
print("\ntargets (under 1 s, under 32 MiB): %s" % ("; ".join(missed) or "met"))
sys.exit(1 if STRICT and missed else 0)
PY
