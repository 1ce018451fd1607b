#!/bin/sh
# SPDX-License-Identifier: MIT
# The live view's cost (run by `make bench`): CPU and memory of
# `top --batch -d 1` over 60 s on a large machine during a fault storm.
#
#   tests/bench/bench-top.sh BIN
#
# The machine: tests/gen-tree.py's big server, 4,096 PCI functions (cached next
# to BIN as bench-top-base/), with a recording added by
# tests/activity/mk-activity.py --tree (cached as bench-top-tree/): 61 readings a
# second apart, map/unmap at 20,000 a second, PMU counters on every unit, a
# storm of 5,000 faults a second from 48 devices for 56 s (what the ratelimit
# lets through in the log, 10 every 5 s, the rest suppressed; every one in
# the interrupt counts) and a driver rebind half-way.
#
# It replays that at the recorded pace (--speed 1, as a live run would go) with
# `top --batch -d 1 -n 61`: the first frame, then 60 intervals. Figures, from
# /proc/PID/stat and /proc/PID/status sampled every second and wait4 at the end:
#   - start-up: CPU seconds until the first frame (the model of 4,096 devices,
#     the kernel log read whole);
#   - the 60 s that follow: CPU seconds, and that as a share of one core
#     (target: below 1%), and per frame;
#   - RSS after the first frame and at the end, and the peak (VmHWM): memory
#     must stay flat over the run.
# CPU seconds, not wall time: the machine may be shared.
#
# Environment: BENCH_TOP_SECONDS (default 60), BENCH_TOP_DEVICES (default 4096),
# BENCH_STRICT=1 (exit 1 when a target is missed).
set -eu

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: $0 BIN (an executable iommu-inspect)" >&2
	exit 2
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
GEN=$HERE/../gen-tree.py
MK=$HERE/../activity/mk-activity.py
SECS=${BENCH_TOP_SECONDS:-60}
DEVICES=${BENCH_TOP_DEVICES:-4096}
BASE=$(dirname "$BIN")/bench-top-base
TREE=$(dirname "$BIN")/bench-top-tree
STAMP="devices=$DEVICES seconds=$SECS"
command -v python3 > /dev/null 2>&1 || { echo "$0: python3 is needed" >&2; exit 1; }

# the tree, generated again when a generator is newer or the parameters changed
if [ ! -f "$TREE/stamp" ] || [ "$(cat "$TREE/stamp")" != "$STAMP" ] ||
	[ -n "$(find "$GEN" "$MK" -newer "$TREE/stamp" 2> /dev/null)" ]; then
	echo "generating $TREE ($DEVICES PCI functions, a $SECS s recording) ..."
	rm -rf "$BASE" "$BASE.manifest.json" "$TREE"
	mkdir -p "$(dirname "$BASE")"
	python3 "$GEN" --out "$BASE" --devices "$DEVICES" --seed 1 > /dev/null
	python3 "$MK" --tree "$BASE" "$TREE" --seconds $((SECS + 1)) --storm 5000 \
		--storm-seconds $((SECS - 4)) --devices 48 --hotplug --kernel 6.12.48-amd64
	echo "$STAMP" > "$TREE/stamp"
fi

exec python3 - "$BIN" "$TREE" "$SECS" <<'EOF'
import os, subprocess, sys, time

BIN, T, SECS = sys.argv[1], sys.argv[2], int(sys.argv[3])
STRICT = os.environ.get("BENCH_STRICT") == "1"
TICK = os.sysconf("SC_CLK_TCK")
out = os.path.join(os.environ.get("TMPDIR", "/tmp"), "bench-top.%d.txt" % os.getpid())


def cpu(pid):
    """utime + stime of pid, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        w = f.read().rsplit(")", 1)[1].split()
    return (int(w[11]) + int(w[12])) / TICK


def running(pid):
    """Not yet exited (a zombie waits for wait4, which gives its resource use)."""
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def mem(pid):
    """(VmRSS, VmHWM) of pid, in KiB."""
    v = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, rest = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                v[k] = int(rest.split()[0])
    return v.get("VmRSS", 0), v.get("VmHWM", 0)


with open(out, "w") as o:
    t0 = time.monotonic()
    p = subprocess.Popen([BIN, "--root", T, "top", "--batch", "-d", "1", "-n", str(SECS + 1),
                          "--speed", "1"], stdout=o, stderr=subprocess.PIPE)
    # the first frame is out when the output has its empty line
    while running(p.pid) and b"\n\n" not in open(out, "rb").read(1 << 20):
        time.sleep(0.01)
    t_first = time.monotonic()
    c_first = cpu(p.pid)
    rss_first, _ = mem(p.pid)
    rss = [rss_first]
    c_last = c_first
    while running(p.pid):
        time.sleep(1)
        try:
            c_last = cpu(p.pid)
            r, hwm = mem(p.pid)
            if r:  # an exited process has none
                rss.append(r)
        except (OSError, IndexError):
            break
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    t_end = time.monotonic()
err = p.stderr.read().decode(errors="replace")
frames = open(out).read().count(" iommu-inspect top")
os.unlink(out)
total = ru.ru_utime + ru.ru_stime
run = total - c_first
wall = t_end - t_first
share = run / wall * 100 if wall > 0 else 0
ok_cpu = share < 1.0
rss_end = rss[-1]
flat = rss_end <= rss_first * 1.10 + 256
print()
print("top --batch -d 1 on %s: %d frames, exit %d%s" % (
    T, frames, os.waitstatus_to_exitcode(status), ", stderr: " + err.strip()[:200] if err else ""))
print()
print("| what | figure |")
print("|---|---:|")
print("| start-up to the first frame: CPU s | %.3f |" % c_first)
print("| the %.0f s after it: CPU s | %.3f |" % (wall, run))
print("| share of one core | %.2f%% |" % share)
print("| CPU per frame, ms | %.2f |" % (run / max(frames - 1, 1) * 1000))
print("| RSS after the first frame, MiB | %.1f |" % (rss_first / 1024))
print("| RSS at the end, MiB | %.1f |" % (rss_end / 1024))
print("| peak RSS (ru_maxrss), MiB | %.1f |" % (ru.ru_maxrss / 1024))
print()
print("target: below 1%% of one core: %s (%.2f%%); memory flat: %s (%.1f to %.1f MiB, samples %s)" % (
    "met" if ok_cpu else "MISSED", share, "yes" if flat else "NO", rss_first / 1024, rss_end / 1024,
    " ".join("%.1f" % (r / 1024) for r in rss[:: max(1, len(rss) // 8)])))
sys.exit(1 if STRICT and not (ok_cpu and flat) else 0)
EOF
