#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of the page-table dump reader (run by `make bench`).
#
#   tests/bench/bench-debugfs.sh BIN
#
# Generates a tree whose domain_translation_struct is about 200 MiB (6.1 layout: five
# devices, runs of 4 KiB pages, half of them physically scattered; tests/debugfs/mk-dumps.py
# big), cached next to BIN (BIN's directory/bench-debugfs) and regenerated when the
# generator is newer. Then, with the file in the page cache, it measures in one run the
# median wall time and peak RSS (GNU time %M) of:
#   wc -l FILE                                  the reference: reading and counting lines
#   BIN --root T domains                        parses every row (statistics only)
#   BIN --root T domains --json
#   BIN --root T mappings 0000:01:00.0           keeps one domain's ranges
#   BIN --root T mappings --json                every range of every domain, streamed
# and prints each one's throughput and its share of wc's. Targets: domains at least half
# of wc's throughput, peak RSS that does not grow with the dump (under 16 MiB).
#
# Environment: BENCH_DEBUGFS_TREE (tree), BENCH_DEBUGFS_MIB (default 200), BENCH_REPS
# (default 9), BENCH_STRICT=1 (exit 1 when a target is missed).
set -eu

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: $0 BIN (an executable iommu-inspect)" >&2
	exit 2
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
GEN=$HERE/../debugfs/mk-dumps.py
TREE=${BENCH_DEBUGFS_TREE:-$(dirname "$BIN")/bench-debugfs}
MIB=${BENCH_DEBUGFS_MIB:-200}
FILE=$TREE/sys/kernel/debug/iommu/intel/domain_translation_struct
command -v python3 > /dev/null 2>&1 || { echo "$0: python3 is needed" >&2; exit 1; }

if [ ! -f "$FILE" ] || [ ! -f "$TREE.mib" ] || [ "$(cat "$TREE.mib")" != "$MIB" ] ||
	[ -n "$(find "$GEN" -newer "$TREE.mib" 2> /dev/null)" ]; then
	echo "generating $TREE ($MIB MiB page-table dump) ..."
	rm -rf "$TREE" "$TREE.mib"
	mkdir -p "$(dirname "$TREE")"
	python3 "$GEN" big --out "$TREE" --mib "$MIB" --seed 1
	echo "$MIB" > "$TREE.mib"
fi

exec python3 - "$BIN" "$TREE" "$FILE" <<'EOF'
import os, shutil, statistics, subprocess, sys, time

BIN, T, FILE = sys.argv[1:]
REPS = int(os.environ.get("BENCH_REPS", "9"))
STRICT = os.environ.get("BENCH_STRICT") == "1"
size = os.path.getsize(FILE)
GNU_TIME = None
for cand in ("/usr/bin/time", shutil.which("time") or ""):
    if cand and os.access(cand, os.X_OK):
        r = subprocess.run([cand, "-f", "%M", "true"], capture_output=True, text=True)
        if r.returncode == 0 and r.stderr.strip().isdigit():
            GNU_TIME = cand
            break
RSS_FILE = os.path.join(os.environ.get("TMPDIR", "/tmp"), "iommu-inspect-bench.%d" % os.getpid())


def run_once(argv):
    if GNU_TIME:
        argv = [GNU_TIME, "-f", "%M", "-o", RSS_FILE, "--"] + argv
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench: %s failed: %s" % (argv, err.decode(errors="replace")[-300:]))
    rss = ru.ru_maxrss
    if GNU_TIME:
        with open(RSS_FILE) as f:
            rss = int(f.read().split()[-1])
        os.unlink(RSS_FILE)
    return dt, rss


def measure(argv):
    times, rss = [], 0
    for i in range(REPS + 1):      # the first run only warms the page cache
        dt, r = run_once(argv)
        if i:
            times.append(dt)
        rss = max(rss, r)
    return statistics.median(times), min(times), rss


print("dump %s: %.0f MiB, %d lines" % (FILE, size / 2**20, sum(1 for _ in open(FILE, "rb"))))
print("peak RSS from %s" % (GNU_TIME or "wait4 in Python (includes Python's own)"))
cmds = [
    ("wc -l FILE", ["wc", "-l", FILE]),
    ("iommu-inspect domains", [BIN, "--root", T, "domains"]),
    ("iommu-inspect domains --json", [BIN, "--root", T, "domains", "--json"]),
    ("iommu-inspect mappings 0000:01:00.0", [BIN, "--root", T, "mappings", "0000:01:00.0"]),
    ("iommu-inspect mappings --json", [BIN, "--root", T, "mappings", "--json"]),
]
res = {}
print()
print("%-38s %9s %9s %9s %8s %9s" % ("command", "median s", "best s", "MiB/s", "of wc", "RSS MiB"))
for name, argv in cmds:
    med, best, rss = measure(argv)
    res[name] = (med, rss)
    wc = res["wc -l FILE"][0]
    print("%-38s %9.3f %9.3f %9.0f %7.0f%% %9.1f" % (name, med, best, size / 2**20 / med,
                                                     100 * wc / med, rss / 1024))
print()
missed = []


def target(what, ok, text):
    print("%-8s %s" % ("met" if ok else "MISSED", text))
    if not ok:
        missed.append(what)


share = res["wc -l FILE"][0] / res["iommu-inspect domains"][0]
target("throughput", share >= 0.5, "domains reads the dump at %.0f%% of wc -l's throughput "
       "(target at least 50%%)" % (100 * share))
peak = max(r for n, (t, r) in res.items() if n.startswith("iommu")) / 1024
target("rss", peak < 16, "peak RSS %.1f MiB for a %.0f MiB dump (target under 16 MiB)" %
       (peak, size / 2**20))
sys.exit(1 if missed and STRICT else 0)
EOF
