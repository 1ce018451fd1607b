#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write synthetic activity recordings (iommu-inspect-activity.ndjson), as
`snapshot --activity` records them, for the live view's tests and `make bench`.

    tests/activity/mk-activity.py --set DIR
        the committed set (fixtures/activity/): intel-pmu, amd-pmu, arm-pmcg,
        intel-storm and nonroot, each NAME.ndjson
    tests/activity/mk-activity.py --vendor intel|amd|arm [options] -o FILE
        one recording
    tests/activity/mk-activity.py --tree SRC DEST [options]
        copy the recorded tree SRC to DEST and add a recording made for it: its
        units (sys/class/iommu), a storm from its first PCI devices, the kernel
        log records numbered on from the tree's dev/kmsg

Options: --seconds N (readings N + 1, a second apart), --storm RATE (faults a
second, from the 3rd second for --storm-seconds), --no-pmu (the units have
none; the reason follows the vendor and kernel), --kernel RELEASE, --seed S,
--units N (for --vendor).

Damage, for the replay's bad-input tests (each names the reading it starts at,
1 for the first):
  --backwards N   the first unit's PMU is reset at reading N: its counters go
                  back to small values and count on from there
  --wrap N        the last PMU counter of the first unit is a 48-bit counter
                  that wraps at reading N (from near 2^48 to a small value)
  --pmu-gone N    the first unit's PMU counters are no longer in the readings
                  from reading N on (a PMU that went away)
  --overrun N:K   the recorder lost K log records to an overrun before reading
                  N: a gap of K sequence numbers, and kmsg_lost 1 from then on
  --cut           the file ends half-way through its last line

Counters are cumulative and grow at steady rates with some noise; the PMUs
are as the kernel names them (dmarN, amd_iommu_N, smmuv3_pmcg_<base >> 12>),
their events summed as the source sums them (see include/parse/actdata.h).
A storm raises the unit's fault interrupt count by RATE a second and logs
what the kernel's ratelimit lets through (10 records every 5 s, then "N
callbacks suppressed"). The format is documented in iommu-inspect-snapshot(8),
FILES. The output is deterministic for given options.
"""
import argparse
import json
import os
import random
import re
import shutil
import sys

NSEC = 1000000000
T0 = 120 * NSEC                 # CLOCK_MONOTONIC of the first reading: 2 minutes after boot
WALL0 = 1795000000 * NSEC       # its wall-clock time (November 2026)
RATELIMIT_BURST, RATELIMIT_SECS = 10, 5


def state(why, detail="", err=0):
    s = {"why": why}
    if err:
        s["err"] = err
    if detail:
        s["detail"] = detail
    return s


def line(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=True) + "\n"


def kmsg_escape(text):
    out = []
    for ch in text.encode():
        if ch < 0x20 or ch >= 0x7f or ch == 0x5c:
            out.append("\\x%02x" % ch)
        else:
            out.append(chr(ch))
    return "".join(out)


class Unit:
    def __init__(self, name, vendor, pmu, pmu_state, irq):
        self.name, self.vendor, self.pmu, self.pmu_state, self.irq = name, vendor, pmu, pmu_state, irq


def make_units(vendor, n, pmu, kernel):
    units = []
    for i in range(n):
        if vendor == "intel":
            name, pmu_name = "dmar%d" % i, "dmar%d" % i
            why = state("kernel-too-old", "the VT-d PMU (/sys/bus/event_source/devices/%s) came "
                        "in Linux 6.3; this kernel is %s" % (name, kernel)) \
                if kernel.startswith(("5.", "6.0", "6.1.", "6.2.")) else \
                state("no-pmu-hardware", "%s has no performance monitoring (ECAP.PMS, bit 51, is 0)"
                      % name)
        elif vendor == "amd":
            name, pmu_name = "ivhd%d" % i, "amd_iommu_%d" % i
            why = state("no-pmu-hardware", "%s has no performance counters (EFR.PC, bit 9, is 0)"
                        % name)
        else:
            base = 0x09050000 + i * 0x100000
            name, pmu_name = "smmu3.0x%016x" % base, "smmuv3_pmcg_%x" % ((base + 0x20000) >> 12)
            why = state("no-pmu-hardware", "no /sys/bus/event_source/devices/smmuv3_pmcg_* near %s"
                        % name)
        units.append(Unit(name, vendor, pmu_name if pmu else "", state("live") if pmu else why,
                          24 + i))
    return units


# The events of each PMU as the source names and sums them: (kind, event string, share of
# the unit's translation rate).
def pmu_counters(u):
    p = u.pmu
    if u.vendor == "intel":
        return [("iotlb_lookup", "%s/iotlb_lookup/" % p, 1.0),
                ("iotlb_hit", "%s/iotlb_hit/" % p, 0.93),
                ("ctx_lookup", "%s/ctxt_cache_lookup/+%s/pasid_cache_lookup/" % (p, p), 0.05),
                ("ctx_hit", "%s/ctxt_cache_hit/+%s/pasid_cache_hit/" % (p, p), 0.049)]
    if u.vendor == "amd":
        return [("iotlb_hit", "%s/mem_iommu_tlb_pte_hit/+%s/mem_iommu_tlb_pde_hit/" % (p, p), 0.9),
                ("iotlb_miss", "%s/mem_iommu_tlb_pte_mis/+%s/mem_iommu_tlb_pde_mis/" % (p, p), 0.1),
                ("ctx_lookup", "%s/mem_dte_hit/+%s/mem_dte_mis/" % (p, p), 0.04),
                ("ctx_hit", "%s/mem_dte_hit/" % p, 0.039),
                ("invalidations", "%s/tlb_inv/" % p, 0.002)]
    return [("iotlb_lookup", "%s/transaction/" % p, 1.0),
            ("iotlb_miss", "%s/tlb_miss/" % p, 0.08)]


def fault_record(vendor, unit, bdf, seq, usec, rng):
    """The kernel log records of one printed fault (text, subsystem, device)."""
    addr = rng.randrange(0x1000, 0x100000000, 0x1000)
    short = bdf[5:]
    if vendor == "intel":
        write = rng.random() < 0.5
        return [("DMAR: DRHD: handling fault status reg 2", None, None),
                ("DMAR: [DMA %s NO_PASID] Request device [%s] fault addr 0x%x [fault reason 0x%02x] "
                 "PTE %s access is not set" % ("Write" if write else "Read", short, addr,
                                               5 if write else 6, "Write" if write else "Read"),
                 None, None)]
    if vendor == "amd":
        return [("vfio-pci %s: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0027 address=0x%x "
                 "flags=0x0020]" % (bdf, addr), "pci", "+pci:" + bdf)]
    sid = int(short[0:2], 16) << 8 | int(short[3:5], 16) << 3 | int(short[6], 16)
    dev = "+platform:arm-smmu-v3.0.auto"
    head = "arm-smmu-v3 arm-smmu-v3.0.auto: "
    return [(head + "event 0x10 received:", "platform", dev),
            (head + "\t0x%08x00000010" % sid, "platform", dev),
            (head + "\t0x0000020800000000", "platform", dev),
            (head + "\t0x%016x" % addr, "platform", dev),
            (head + "\t0x0000000000000000", "platform", dev)]


SUPPRESSED_FN = {"intel": "dmar_fault", "amd": "iommu_print_event", "arm": "arm_smmu_evtq_thread"}


def recording(args, units, kernel, devices, seq0, families):
    rng = random.Random(args.seed)
    out = [line({"type": "header", "schema_version": 1, "version": "0.1.0", "kernel": kernel,
                 "live": True, "interval_ms": 1000, "families": families,
                 "units": [dict({"unit": u.name, "pmu": u.pmu}, **u.pmu_state) for u in units]})]
    vendor = units[0].vendor if units else "intel"
    tracepoints = families["tracepoints"]["why"] in ("live", "identity")
    totals = {}
    irq_totals = {u.name: rng.randrange(0, 50) for u in units}
    seq = seq0
    suppressed = 0
    window_printed = 0
    storm_from, storm_to = 2, 2 + args.storm_seconds
    map_rate = args.map_rate
    for i in range(args.seconds + 1):
        t = T0 + i * NSEC + rng.randrange(0, 300000)
        counters = []

        def add(kind, unit, event, rate, running=1.0):
            key = (kind, unit)
            if i:
                totals[key] = totals.get(key, 0) + int(rate * (0.9 + 0.2 * rng.random()))
            else:
                totals.setdefault(key, rng.randrange(1000, 100000))
            enabled = i * NSEC + 1000
            counters.append({"kind": kind, "unit": unit, "event": event, "ok": True,
                             "value": totals[key], "enabled_ns": enabled,
                             "running_ns": int(enabled * running)})

        if tracepoints:
            add("map", "", "iommu:map", map_rate)
            add("unmap", "", "iommu:unmap", map_rate * 0.99)
            # per unit when there are a few (a filter each), else one for the system
            if vendor == "intel" and units and len(units) <= 4:
                for u in units:
                    add("qi_submit", u.name, "intel_iommu:qi_submit", map_rate * 0.3 / len(units))
            elif vendor == "intel" and units:
                add("qi_submit", "", "intel_iommu:qi_submit", map_rate * 0.3)
        for n, u in enumerate(units):
            if not u.pmu or u.pmu_state["why"] != "live":
                continue
            rate = args.iotlb_rate * (1.0 + n * 0.25)
            # the second unit's PMU shares its counters with another user: half the time
            running = 0.5 if n == 1 else 1.0
            for kind, event, share in pmu_counters(u):
                add(kind, u.name, event, rate * share, running)

        # the storm: interrupts at full rate; the log as the ratelimit lets it through
        kmsg = []
        storming = args.storm and storm_from <= i < storm_to and devices and units
        if storming:
            u = units[0]
            irq_totals[u.name] += args.storm
            if (i - storm_from) % RATELIMIT_SECS == 0:
                usec = (t - NSEC // 2) // 1000
                if suppressed:
                    kmsg.append(("%s: %d callbacks suppressed" % (SUPPRESSED_FN[vendor], suppressed),
                                 4, None, None, usec))
                    suppressed = 0
                window_printed = 0
            printed = min(args.storm, RATELIMIT_BURST - window_printed)
            for k in range(printed):
                usec = (t - NSEC // 2) // 1000 + k * 37
                for text, sub, dev in fault_record(vendor, u, devices[k % len(devices)], seq, usec, rng):
                    kmsg.append((text, 3 if vendor != "arm" else 6, sub, dev, usec))
            window_printed += printed
            suppressed += args.storm - printed
        for text, prio, sub, dev, usec in kmsg:
            rec = {"type": "kmsg", "seq": seq, "usec": usec, "prio": prio, "text": kmsg_escape(text)}
            if sub:
                rec["subsystem"] = sub
            if dev:
                rec["device"] = dev
            out.append(line(rec))
            seq += 1

        irqs = [{"name": (u.name if vendor == "intel" else
                          "AMD-Vi%d-Evt" % n if vendor == "amd" else "arm-smmu-v3-evtq"),
                 "unit": u.name, "irq": u.irq, "fault": True, "count": irq_totals[u.name]}
                for n, u in enumerate(units)]
        hotplug = []
        if args.hotplug and devices and i == args.seconds // 2:
            hotplug = [{"kind": "unbind", "device": devices[0], "driver": ""},
                       {"kind": "bind", "device": devices[0], "driver": "vfio-pci"}]
        out.append(line({"type": "reading", "seq": i + 1, "t_ns": t, "wall_ns": WALL0 + t - T0,
                         "counters": counters, "irqs": irqs, "hotplug": hotplug, "latency": None,
                         "kmsg_lost": 0}))
    return "".join(out)


PMU_KINDS = {"iotlb_lookup", "iotlb_hit", "iotlb_miss", "ctx_lookup", "ctx_hit", "invalidations"}
WRAP = 1 << 48


def damage(text, args, units):
    """The recording with the damage the options ask for."""
    recs = [json.loads(x) for x in text.splitlines()]
    first = units[0].name if units else None
    readings = [r for r in recs if r["type"] == "reading"]
    if args.backwards:
        n = args.backwards
        base = {}
        for r in readings:
            for c in r["counters"]:
                key = (c["kind"], c["unit"])
                if c["unit"] != first or c["kind"] not in PMU_KINDS:
                    continue
                if r["seq"] == n:
                    base[key] = c["value"] - 1000
                if r["seq"] >= n and key in base:
                    c["value"] -= base[key]
    if args.wrap:
        n = args.wrap
        pmu = [c for c in readings[0]["counters"] if c["unit"] == first and c["kind"] in PMU_KINDS]
        if pmu:
            kind = pmu[-1]["kind"]
            before = [c["value"] for r in readings if r["seq"] == n - 1 for c in r["counters"]
                      if c["unit"] == first and c["kind"] == kind]
            if before:
                # reading N - 1 just below the wrap: the ones before too, those after past it
                off = WRAP - before[0] - 500
                for r in readings:
                    for c in r["counters"]:
                        if c["unit"] == first and c["kind"] == kind:
                            c["value"] = (c["value"] + off) % WRAP
    if args.pmu_gone:
        for r in readings:
            if r["seq"] >= args.pmu_gone:
                r["counters"] = [c for c in r["counters"]
                                 if not (c["unit"] == first and c["kind"] in PMU_KINDS)]
    if args.overrun:
        n, k = (int(x) for x in args.overrun.split(":"))
        seen = 0
        for r in recs:
            if r["type"] == "reading":
                seen = r["seq"]
                if seen >= n:
                    r["kmsg_lost"] = 1
            elif r["type"] == "kmsg" and seen >= n - 1:
                r["seq"] += k
    out = "".join(line(r) for r in recs)
    if args.cut:
        last = out.rstrip("\n").rfind("\n") + 1
        out = out[:last + (len(out) - last) // 2]
    return out


def families_for(args, units, kernel):
    live = state("live")
    fam = {"interrupts": live, "kmsg": live, "tracepoints": live, "latency": state(
        "not-built", "the kernel was built without CONFIG_IOMMU_DEBUGFS"), "hotplug": live}
    if args.nonroot:
        paranoid = state("paranoid", "/proc/sys/kernel/perf_event_paranoid is 2: CPU-wide perf "
                         "events need root, CAP_PERFMON, or the sysctl at 0 or below; run as root, "
                         "grant CAP_PERFMON, or lower kernel.perf_event_paranoid", -13)
        fam["tracepoints"] = state("no-tracefs", "/sys/kernel/tracing/events/iommu/map/id: "
                                   "Permission denied: tracefs is readable by root only (mode "
                                   "0700); run as root", -13)
        fam["pmu"] = paranoid
        fam["kmsg"] = state("not-root", "/dev/kmsg: Operation not permitted: kernel.dmesg_restrict "
                            "keeps the log from users; run as root or grant CAP_SYSLOG", -1)
        fam["latency"] = state("not-root", "debugfs is readable by root only; run as root")
        for u in units:
            if u.pmu:
                u.pmu_state = paranoid
    live_units = [u for u in units if u.pmu_state["why"] == "live"]
    fam["pmu"] = fam.get("pmu") or (live if live_units else
                                    units[0].pmu_state if units else state("no-iommu"))
    return fam


def tree_units(src, kernel, pmu):
    # (not the .iommu-inspect-keep of a snapshot's empty directory)
    names = sorted(n for n in os.listdir(os.path.join(src, "sys/class/iommu")) if not n.startswith("."))
    vendor = ("amd" if names and names[0].startswith("ivhd") else
              "arm" if names and names[0].startswith("smmu3.") else "intel")
    units = make_units(vendor, len(names), pmu, kernel)
    for u, name in zip(units, names):
        u.name = name
        if vendor == "intel" and u.pmu:
            u.pmu = name
    return units


def tree_kernel(src):
    try:
        with open(os.path.join(src, "proc/version")) as f:
            m = re.match(r"Linux version (\S+)", f.read())
            return m.group(1) if m else "6.8.0"
    except OSError:
        return "6.8.0"


def tree_last_seq(src):
    last = 0
    try:
        with open(os.path.join(src, "dev/kmsg"), "rb") as f:
            for raw in f:
                m = re.match(rb"(\d+),(\d+),", raw)
                if m:
                    last = int(m.group(2))
    except OSError:
        pass
    return last


def write(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def one(args, vendor, nunits, kernel, devices, seq0):
    units = make_units(vendor, nunits, not args.no_pmu, kernel)
    return damage(recording(args, units, kernel, devices, seq0, families_for(args, units, kernel)),
                  args, units)


SET = [
    # name, vendor, units, kernel, extra options
    ("intel-pmu", "intel", 2, "6.12.48-amd64", []),
    ("amd-pmu", "amd", 1, "6.12.48-amd64", []),
    ("arm-pmcg", "arm", 1, "6.12.48-arm64", []),
    ("intel-storm", "intel", 1, "6.1.0-56-amd64", ["--no-pmu", "--storm", "2000", "--hotplug"]),
    ("nonroot", "intel", 1, "6.12.48-amd64", ["--nonroot"]),
]
STORM_DEVICES = ["0000:00:05.0", "0000:00:03.0"]


def parser():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--set", metavar="DIR")
    p.add_argument("--tree", nargs=2, metavar=("SRC", "DEST"))
    p.add_argument("--vendor", choices=["intel", "amd", "arm"])
    p.add_argument("-o", "--out")
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--units", type=int, default=1)
    p.add_argument("--storm", type=int, default=0)
    p.add_argument("--storm-seconds", type=int, default=6)
    p.add_argument("--map-rate", type=int, default=20000)
    p.add_argument("--iotlb-rate", type=int, default=2000000)
    p.add_argument("--no-pmu", action="store_true")
    p.add_argument("--nonroot", action="store_true")
    p.add_argument("--hotplug", action="store_true")
    p.add_argument("--kernel", default="6.12.48-amd64")
    p.add_argument("--devices", type=int, default=2, help="--tree: how many devices fault")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--backwards", type=int, metavar="N")
    p.add_argument("--wrap", type=int, metavar="N")
    p.add_argument("--pmu-gone", type=int, metavar="N")
    p.add_argument("--overrun", metavar="N:K")
    p.add_argument("--cut", action="store_true")
    return p


def main():
    p = parser()
    args = p.parse_args()
    if args.set:
        for name, vendor, n, kernel, extra in SET:
            a = p.parse_args(["--vendor", vendor] + extra)
            devices = STORM_DEVICES if vendor != "amd" else ["0000:01:00.0"]
            write(os.path.join(args.set, name + ".ndjson"), one(a, vendor, n, kernel, devices, 2000))
    elif args.tree:
        src, dest = args.tree
        if os.path.exists(dest):
            sys.exit("%s exists; give a new directory" % dest)
        shutil.copytree(src, dest, symlinks=True)
        kernel = tree_kernel(src)
        units = tree_units(src, kernel, not args.no_pmu)
        pci = os.path.join(src, "sys/bus/pci/devices")
        devices = sorted(n for n in os.listdir(pci) if not n.startswith("."))[:max(1, args.devices)] \
            if os.path.isdir(pci) else []
        text = damage(recording(args, units, kernel, devices, tree_last_seq(src) + 1,
                                families_for(args, units, kernel)), args, units)
        write(os.path.join(dest, "iommu-inspect-activity.ndjson"), text)
    elif args.vendor and args.out:
        write(args.out, one(args, args.vendor, args.units, args.kernel,
                            STORM_DEVICES if args.vendor != "amd" else ["0000:01:00.0"], 2000))
    else:
        p.error("give --set DIR, --tree SRC DEST, or --vendor V -o FILE")


if __name__ == "__main__":
    main()
