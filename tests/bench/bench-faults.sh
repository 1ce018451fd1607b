#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmarks of `faults` (run by `make bench`).
#
#   tests/bench/bench-faults.sh BIN
#
# 1. Parse throughput: a generated /dev/kmsg file of 1,000,000 lines (a fault
#    storm: Intel faults with their status lines, AMD and SMMUv2 faults from a
#    few dozen devices, ratelimit suppressions, boot noise; tests/faults/mk-corpus.py
#    --bench, cached next to BIN as bench-faults.kmsg and made again when the
#    generator is newer) read by
#      a) grep -c DMAR FILE                      (the baseline; output to a file:
#                                                 GNU grep stops at the first match
#                                                 when its output is /dev/null)
#      b) BIN faults --kmsg-file FILE --summary  (every line parsed, every fault counted)
#      c) BIN faults --kmsg-file FILE --json     (and every fault written as JSON)
#    Median wall time and CPU time (user + system) of BENCH_REPS runs, and the
#    throughput of b) as a fraction of grep's (target: at least 0.5).
# 2. A burst in follow mode: `BIN faults --kmsg-file F --follow --json` runs on an
#    empty file (and on a FIFO); 100,000 fault records (300,000 lines with their
#    status lines and noise) are appended as fast as the writer can; the time until
#    the last fault is out, and whether every fault came out once, in order.
#
# Environment: BENCH_REPS (default 7), BENCH_LINES (default 1000000),
# BENCH_BURST (default 100000), BENCH_STRICT=1 (exit 1 when a target is missed).
set -eu

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: $0 BIN (an executable iommu-inspect)" >&2
	exit 2
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
GEN=$HERE/../faults/mk-corpus.py
LINES=${BENCH_LINES:-1000000}
FILE=$(dirname "$BIN")/bench-faults.kmsg
command -v python3 > /dev/null 2>&1 || { echo "$0: python3 is needed" >&2; exit 1; }

if [ ! -f "$FILE" ] || [ "$GEN" -nt "$FILE" ] ||
	[ "$(wc -l < "$FILE" | tr -d ' ')" != "$LINES" ]; then
	echo "generating $FILE ($LINES lines) ..."
	python3 "$GEN" --bench "$FILE.new" --lines "$LINES"
	mv "$FILE.new" "$FILE"
fi

exec python3 - "$BIN" "$FILE" "$GEN" <<'EOF'
import json, os, signal, statistics, subprocess, sys, tempfile, time

BIN, FILE, GEN = sys.argv[1:4]
env = os.environ
REPS = int(env.get("BENCH_REPS", "7"))
BURST = int(env.get("BENCH_BURST", "100000"))
STRICT = env.get("BENCH_STRICT") == "1"
missed = []
tmp = tempfile.mkdtemp(prefix="bench-faults.")


def timed(cmd, out):
    """Wall and CPU seconds (user + system, from wait4) of one run."""
    with open(out, "wb") as o:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=o, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit("%s failed: %s" % (cmd, status))
    return wall, ru.ru_utime + ru.ru_stime


def measure(name, cmd, out):
    timed(cmd, out)  # warm the page cache
    runs = [timed(cmd, out) for _ in range(REPS)]
    return name, statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


size = os.path.getsize(FILE)
lines = sum(1 for _ in open(FILE, "rb"))
faults = json.loads(subprocess.run([BIN, "-j", "faults", "--kmsg-file", FILE, "--summary"],
                                   capture_output=True).stdout)["summary"]["faults"]
rows = [
    measure("grep -c DMAR FILE", ["grep", "-c", "DMAR", FILE], tmp + "/grep.out"),
    measure("iommu-inspect faults --kmsg-file FILE --summary",
            [BIN, "faults", "--kmsg-file", FILE, "--summary"], tmp + "/summary.out"),
    measure("iommu-inspect faults --kmsg-file FILE --json",
            [BIN, "faults", "--kmsg-file", FILE, "--json"], tmp + "/json.out"),
]
print("\nparse throughput: %d lines, %.1f MB, %d faults (median of %d warm runs)\n" % (
    lines, size / 1e6, faults, REPS))
print("| command | wall s | CPU s | Mlines/s (wall) | MB/s (wall) |")
print("|---|---:|---:|---:|---:|")
for name, wall, cpu in rows:
    print("| `%s` | %.3f | %.3f | %.2f | %.0f |" % (name, wall, cpu, lines / wall / 1e6, size / wall / 1e6))
ratio_wall = rows[0][1] / rows[1][1]
ratio_cpu = rows[0][2] / rows[1][2]
print("\n`faults --summary` has %.2f of grep's throughput in wall time, %.2f in CPU time "
      "(target: at least 0.5)" % (ratio_wall, ratio_cpu))
if ratio_wall < 0.5:
    missed.append("parse throughput %.2f of grep's" % ratio_wall)


# ------------------------------------------------------------- follow burst

sys.path.insert(0, os.path.dirname(GEN))


def burst_records(n):
    out = []
    for i in range(n):
        us = 1000000 + i * 1000
        out.append("3,%d,%d,-;DMAR: DRHD: handling fault status reg 2\n" % (3 * i, us))
        out.append("3,%d,%d,-;DMAR: [DMA Write NO_PASID] Request device [00:05.0] fault addr "
                   "0x%x [fault reason 0x05] PTE Write access is not set\n" % (
                       3 * i + 1, us + 1, 0x1000 * (i + 1)))
        out.append("6,%d,%d,-;e1000e 0000:01:00.0 eth0: noise %d\n" % (3 * i + 2, us + 2, i))
    return "".join(out).encode()


def burst(kind):
    data = burst_records(BURST)
    path = os.path.join(tmp, "burst-" + kind)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        open(path, "wb").close()
    out = os.path.join(tmp, "burst-%s.out" % kind)
    o = open(out, "wb")
    p = subprocess.Popen(["timeout", "300", BIN, "faults", "--kmsg-file", path, "--follow",
                          "--json"], stdout=o, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    t0 = time.perf_counter()
    with open(path, "ab" if kind == "file" else "wb", buffering=0) as w:
        for i in range(0, len(data), 65536):
            w.write(data[i:i + 65536])
    t_written = time.perf_counter() - t0
    seen, deadline = 0, time.time() + 240
    while time.time() < deadline:
        with open(out, "rb") as f:
            seen = f.read().count(b'"type":"fault"')
        if seen >= BURST or (kind == "fifo" and p.poll() is not None):
            break
        time.sleep(0.02)
    t_done = time.perf_counter() - t0
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    rc = p.wait()
    o.close()
    addrs = []
    for line in open(out, encoding="utf-8"):
        d = json.loads(line)
        if d["type"] == "fault":
            addrs.append(int(d["address"], 16))
    ok = addrs == [0x1000 * (i + 1) for i in range(BURST)]
    return t_written, t_done, len(addrs), ok, rc


print("\nfollow burst: %d fault records (%d lines) appended as fast as possible\n" % (
    BURST, 3 * BURST))
print("| into | written in s | last fault out after s | faults out | once, in order | exit |")
print("|---|---:|---:|---:|---|---:|")
for kind in ("file", "fifo"):
    tw, td, n, ok, rc = burst(kind)
    print("| %s | %.2f | %.2f | %d | %s | %d |" % ("a regular file" if kind == "file" else "a FIFO",
                                                 tw, td, n, "yes" if ok else "NO", rc))
    if not ok or rc != 0:
        missed.append("follow burst into a %s: %d of %d, in order %s, exit %d" % (kind, n, BURST, ok, rc))

subprocess.run(["rm", "-rf", tmp])
if missed:
    print("\ntargets missed: " + "; ".join(missed))
    sys.exit(1 if STRICT else 0)
print("\nall targets met")
EOF
