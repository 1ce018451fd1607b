#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmarks on a generated large tree (run by `make bench`).
#
#   tests/bench/bench.sh BIN
#
# Generates a big-server tree with tests/gen-tree.py (4096 PCI functions, most of
# them SR-IOV VFs, hundreds of IOMMU groups) and caches it next to BIN (BIN's
# directory/bench-tree, that is build/bench-tree for the default build); it is
# regenerated when gen-tree.py is newer. Then it measures, with several
# repetitions run in turn, the median and the fastest wall time and the peak RSS
# (ru_maxrss from wait4, children included) of:
#   a) BIN --root T groups, and BIN --root T groups --json
#   b) the usual shell loop:
#        for d in T/sys/kernel/iommu_groups/*/devices/*; do
#          n=${d##*/}; lspci -O sysfs.path=T/sys/bus/pci -nns "$n"; done
#      timed over a random sample of devices and scaled linearly (said so in the
#      output; BENCH_FULL_LOOP=1 runs the whole loop)
#   c) one lspci -nn and one lspci -v, both -A linux-sysfs -O sysfs.path=T/sys/bus/pci
# and prints a table with the ratios of `groups --json` to b) and c) against the
# targets: 100x faster than the loop, at most 0.5 of lspci -nn's time and 0.2 of
# lspci -v's, peak RSS under 16 MiB. With strace installed it also counts the
# system calls per PCI function of groups --json and of lspci -nn (strace -c -f),
# and of BENCH_BASE_BIN's groups --json when that names an older build to compare.
#
# Environment: BENCH_TREE (tree directory), BENCH_DEVICES (default 4096),
# BENCH_REPS (default 11), BENCH_SAMPLE (default 200), BENCH_FULL_LOOP=1,
# BENCH_BASE_BIN (an older iommu-inspect), BENCH_STRICT=1 (exit 1 when a target
# is missed).
set -eu

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "usage: $0 BIN (an executable iommu-inspect)" >&2
	exit 2
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
GEN=$HERE/../gen-tree.py
TREE=${BENCH_TREE:-$(dirname "$BIN")/bench-tree}
DEVICES=${BENCH_DEVICES:-4096}
command -v python3 > /dev/null 2>&1 || { echo "$0: python3 is needed" >&2; exit 1; }

if [ ! -d "$TREE/sys" ] || [ ! -f "$TREE.manifest.json" ] ||
	[ -n "$(find "$GEN" -newer "$TREE.manifest.json" 2> /dev/null)" ] ||
	[ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["generator"]["devices_requested"])' \
		"$TREE.manifest.json" 2>/dev/null)" != "$DEVICES" ]; then
	echo "generating $TREE ($DEVICES PCI functions) ..."
	rm -rf "$TREE" "$TREE.manifest.json" "$TREE.new" "$TREE.new.manifest.json"
	mkdir -p "$(dirname "$TREE")"
	python3 "$GEN" --out "$TREE.new" --devices "$DEVICES" --seed 1
	mv "$TREE.new" "$TREE"
	mv "$TREE.new.manifest.json" "$TREE.manifest.json"
fi

if ! command -v lspci > /dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then
		echo "lspci is missing: installing pciutils ..."
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q pciutils > /dev/null 2>&1 ||
			{ apt-get update -q > /dev/null 2>&1 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -q pciutils > /dev/null 2>&1; } || true
	fi
	command -v lspci > /dev/null 2>&1 ||
		echo "lspci is missing (install pciutils): only iommu-inspect is measured"
fi

exec python3 - "$BIN" "$TREE" <<'EOF'
import glob, json, os, random, shlex, shutil, statistics, subprocess, sys, time

BIN, T = sys.argv[1], sys.argv[2]
env = os.environ
REPS = int(env.get("BENCH_REPS", "11"))
SAMPLE = int(env.get("BENCH_SAMPLE", "200"))
FULL = env.get("BENCH_FULL_LOOP") == "1"
STRICT = env.get("BENCH_STRICT") == "1"
m = json.load(open(T + ".manifest.json"))
lspci = shutil.which("lspci")
SYSFS = "%s/sys/bus/pci" % T


# Peak RSS is ru_maxrss from wait4, which covers the child and its reaped descendants. A
# child forked from this Python process would carry Python's own high-water mark into it
# (the kernel folds the pre-exec image into ru_maxrss at exec, vfork included), so the
# commands are started through GNU time, a small C program, which reports the wait4 figure
# of its own child (%M). Without GNU time the figure is Python's wait4 one, and the floor
# it cannot go below (the RSS of `true` started the same way) is printed with it.
GNU_TIME = None
for cand in ("/usr/bin/time", shutil.which("time") or ""):
    if cand and os.access(cand, os.X_OK):
        r = subprocess.run([cand, "-f", "%M", "true"], capture_output=True, text=True)
        if r.returncode == 0 and r.stderr.strip().isdigit():
            GNU_TIME = cand
            break
RSS_FILE = os.path.join(os.environ.get("TMPDIR", "/tmp"), "iommu-inspect-bench.%d" % os.getpid())


def run_once(argv, label):
    if GNU_TIME:
        argv = [GNU_TIME, "-f", "%M", "-o", RSS_FILE, "--"] + argv
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    dt = time.perf_counter() - t0
    p.stderr.close()
    if p.returncode != 0:
        sys.exit("bench: %s failed (exit status %d): %s" %
                 (label, p.returncode, err.decode(errors="replace").strip()[-300:]))
    if GNU_TIME:
        with open(RSS_FILE) as f:
            rss = int(f.read().split()[-1])
        os.unlink(RSS_FILE)
    else:
        rss = ru.ru_maxrss
    # CPU time (user and system, the command's and its children's): what a busy machine
    # changes least, where the wall time is also the time spent waiting for a CPU
    return dt, rss, ru.ru_utime + ru.ru_stime


def measure(argv, reps, label):
    """Median wall time (s) and peak RSS (KiB, the child and its descendants) over reps runs."""
    times, rss = [], 0
    for i in range(reps + 1):                  # the first run only warms the page cache
        dt, r, _ = run_once(argv, label)
        if i:
            times.append(dt)
        rss = max(rss, r)
    return statistics.median(times), rss


def measure_turns(cmds, reps):
    """The same, for several commands run in turn, so that a change in the machine's load
    falls on all of them alike: {label: (median s, fastest s, peak RSS KiB, median CPU s)}."""
    times = {label: [] for label, _ in cmds}
    cpu = {label: [] for label, _ in cmds}
    rss = {label: 0 for label, _ in cmds}
    for i in range(reps + 1):
        for label, argv in cmds:
            dt, r, c = run_once(argv, label)
            if i:
                times[label].append(dt)
                cpu[label].append(c)
            rss[label] = max(rss[label], r)
    return {label: (statistics.median(times[label]), min(times[label]), rss[label],
                    statistics.median(cpu[label])) for label, _ in cmds}


def syscalls(argv):
    """System calls of one run (strace -c -f), or None without strace."""
    if not shutil.which("strace"):
        return None
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), "iommu-inspect-strace.%d" % os.getpid())
    r = subprocess.run(["strace", "-c", "-f", "-o", out] + argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    try:
        total = [ln for ln in open(out) if ln.rstrip().endswith(" total")]
        os.unlink(out)
    except OSError:
        return None
    if r.returncode != 0 or not total:
        return None
    return int(total[0].split()[3])  # "% time, seconds, usecs/call, calls, [errors,] total"


rows = []
if GNU_TIME:
    print("peak RSS from %s (%%M: wait4 of the command, descendants included)" % GNU_TIME)
else:
    print("peak RSS from wait4 in Python (no GNU time): figures include a floor of %.1f MiB, the "
          "RSS of `true` started the same way" % (run_once(["true"], "true")[1] / 1024.0))
print("tree %s: %d PCI devices (%d VFs), %d IOMMU groups, %d IOMMU units" %
      (T, m["counts"]["devices"], m["counts"]["vfs"], m["counts"]["groups"], m["counts"]["units"]))

LSPCI_NN = [lspci, "-A", "linux-sysfs", "-O", "sysfs.path=" + SYSFS, "-nn"] if lspci else None
LSPCI_V = [lspci, "-A", "linux-sysfs", "-O", "sysfs.path=" + SYSFS, "-v"] if lspci else None
turns = [("groups", [BIN, "--root", T, "groups"]),
         ("groups --json", [BIN, "--root", T, "groups", "--json"])]
if lspci:
    turns += [("lspci -nn", LSPCI_NN), ("lspci -v", LSPCI_V)]
res = measure_turns(turns, REPS)
g_t, g_min, g_rss, g_cpu = res["groups"]
j_t, j_min, j_rss, j_cpu = res["groups --json"]
rows.append(("iommu-inspect groups", g_t, g_rss, "fastest %.3f s, CPU %.3f s" % (g_min, g_cpu)))
rows.append(("iommu-inspect groups --json", j_t, j_rss, "fastest %.3f s, CPU %.3f s" % (j_min, j_cpu)))

loop_t = lv_t = nn_t = None
if lspci:
    # lspci really reads the synthetic tree: every device, and a VF with its IDs
    out = subprocess.run([lspci, "-O", "sysfs.path=" + SYSFS, "-n"], capture_output=True,
                         text=True).stdout
    vf = sorted(m["vfs"])[len(m["vfs"]) // 2]
    d = m["devices"][vf]
    one = subprocess.run([lspci, "-O", "sysfs.path=" + SYSFS, "-nns", vf], capture_output=True,
                         text=True).stdout.strip()
    n = len(out.splitlines())
    if n != m["counts"]["devices"] or "[%s:%s]" % (d["vendor_id"], d["device_id"]) not in one:
        sys.exit("bench: lspci does not read the synthetic tree: it lists %d devices (expected %d)"
                 " and prints %r for %s" % (n, m["counts"]["devices"], one, vf))
    print("lspci reads the tree: %d devices listed, e.g. %s" % (n, one))

    members = sorted(glob.glob("%s/sys/kernel/iommu_groups/*/devices/*" % T))
    body = 'n=${d##*/}; lspci -O sysfs.path=%s -nns "$n"' % shlex.quote(SYSFS)
    if FULL or SAMPLE >= len(members):
        script = 'for d in %s/sys/kernel/iommu_groups/*/devices/*; do %s; done' % (
            shlex.quote(T), body)
        loop_t, loop_rss = measure(["sh", "-c", script], 1, "the lspci loop")
        note = "all %d devices" % len(members)
    else:
        pick = sorted(random.Random(1).sample(members, SAMPLE))
        script = "for d in %s; do %s; done" % (" ".join(shlex.quote(p) for p in pick), body)
        s_t, loop_rss = measure(["sh", "-c", script], 3, "the lspci loop")
        # the glob over all group members, which the sample leaves out, timed on its own
        glob_t, _ = measure(["sh", "-c", 'for d in %s/sys/kernel/iommu_groups/*/devices/*; do '
                             'n=${d##*/}; done' % shlex.quote(T)], 3, "the glob")
        loop_t = s_t * len(members) / SAMPLE + glob_t
        note = "%d of %d devices sampled, %.2f s, scaled x%.1f" % (
            SAMPLE, len(members), s_t, len(members) / SAMPLE)
    rows.append(("lspci -nns loop over group members", loop_t, loop_rss, note))
    nn_t, nn_min, nn_rss, nn_cpu = res["lspci -nn"]
    rows.append(("lspci -nn", nn_t, nn_rss, "fastest %.3f s, CPU %.3f s" % (nn_min, nn_cpu)))
    lv_t, lv_min, lv_rss, lv_cpu = res["lspci -v"]
    rows.append(("lspci -v", lv_t, lv_rss, "fastest %.3f s, CPU %.3f s" % (lv_min, lv_cpu)))

print()
print("%-38s %10s %14s  %s" % ("command", "median s", "peak RSS MiB", "note"))
for name, t, rss, note in rows:
    print("%-38s %10.3f %14.1f  %s" % (name, t, rss / 1024.0, note))
print()

ndev = m["counts"]["devices"]
counted = [("iommu-inspect groups --json", [BIN, "--root", T, "groups", "--json"])]
BASE = env.get("BENCH_BASE_BIN")
if BASE:
    counted.append(("%s groups --json" % BASE, [BASE, "--root", T, "groups", "--json"]))
if lspci:
    counted.append(("lspci -nn", LSPCI_NN))
for name, argv in counted:
    n = syscalls(argv)
    if n is None:
        print("system calls: strace is missing or failed; not counted")
        break
    print("system calls of %-40s %7d, %5.1f per PCI function" % (name, n, n / ndev))
print()

missed = []


def target(what, ok, text):
    print("%-8s %s" % ("met" if ok else "MISSED", text))
    if not ok:
        missed.append(what)


peak = max(g_rss, j_rss) / 1024.0
if loop_t is not None:
    target("loop", loop_t / g_t >= 100, "groups is %.0fx faster than the lspci loop "
           "(target 100x; groups --json %.0fx)" % (loop_t / g_t, loop_t / j_t))
    target("lspci-nn", j_t / nn_t <= 0.5, "groups --json takes %.2f of lspci -nn's time "
           "(target at most 0.5; fastest runs %.2f, CPU time %.2f)" %
           (j_t / nn_t, j_min / nn_min, j_cpu / nn_cpu))
    target("lspci-v", j_t / lv_t <= 0.2, "groups --json takes %.2f of lspci -v's time "
           "(target at most 0.2; fastest runs %.2f, CPU time %.2f)" %
           (j_t / lv_t, j_min / lv_min, j_cpu / lv_cpu))
target("rss", peak < 16, "peak RSS of groups %.1f MiB (target under 16 MiB)" % peak)
sys.exit(1 if missed and STRICT else 0)
EOF
