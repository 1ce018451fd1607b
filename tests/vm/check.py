#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Assertions of the QEMU integration tests (tests/vm/run.sh), run on the host
on what one guest sent back (tests/vm/guest-init.sh writes it):

  facts/      what the guest kernel itself reports: the raw /dev/kmsg records,
              sysfs groups, devices and units as busybox read them, /proc files
  live/       every command's live output in the guest (text and --json,
              stderr, exit status); live2/ the same after the snapshot
  user/       status and groups --json as an unprivileged user
  follow.*    `faults --follow --json` while the faults were provoked
  snapshot.tar.gz
  top/        `top --json -n N` while the guest did DMA (and, intel, the last
              batch of faults), /proc/interrupts before and after it, the last
              log record when it ended, `faults --json` then, and
              `top --batch -n 2` as an unprivileged user
  activity.tar.gz  intel: `snapshot --activity 3` taken during that DMA

Three kinds of checks: the live run works (exit 0, no warnings as root, the
JSON contract); a replay of the snapshot with --root, here outside the guest,
gives the same output as the live run (only the root path differs); and the
tool's JSON agrees with the kernel's own facts. Checks of commands the binary
does not have yet (acpi, faults) are reported as SKIP.

Prints PASS/FAIL/SKIP lines and, last, the plan line "PLAN N" (N the PASS, FAIL
and SKIP lines): a run that stops on an error has none, and run.sh fails it."""
import argparse
import difflib
import json
import os
import re
import shutil
import subprocess

ap = argparse.ArgumentParser()
ap.add_argument("--bin", required=True)
ap.add_argument("--out", required=True, help="the guest's results directory")
ap.add_argument("--pci-ids", required=True)
ap.add_argument("--scenario", required=True)
ap.add_argument("--dma", default="none", help="faults, reads or none (guest-init.sh)")
ap.add_argument("--work", default=None, help="a directory for replay outputs")
A = ap.parse_args()
O = A.out
F = os.path.join(O, "facts")
WORK = A.work or O


# ------------------------------------------------------------------ reporting
COUNTED = 0  # PASS, FAIL and SKIP lines printed, for the plan


def ok(name):
    global COUNTED
    COUNTED += 1
    print(f"PASS {name}")


def bad(name, why, detail=None):
    global COUNTED
    COUNTED += 1
    why = " ".join(str(why).split())
    print(f"FAIL {name}: {why[:600]}")
    if detail:
        for line in detail.splitlines()[:30]:
            print(f"    {line}")


def skip(name, why):
    global COUNTED
    COUNTED += 1
    print(f"SKIP {name}: {why}")


def check(name, cond, why="", detail=None):
    if cond:
        ok(name)
    else:
        bad(name, why, detail)
    return cond


def same(name, got, want, what=""):
    """PASS when got == want, else FAIL showing both."""
    return check(name, got == want, f"{what + ': ' if what else ''}tool says {got!r}, kernel says {want!r}")


def read(path, default=None):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return default


def fact(name, default=""):
    return read(os.path.join(F, name), default)


def hexint(s):
    if s is None:
        return None
    if isinstance(s, int):
        return s
    try:
        return int(str(s), 16)
    except ValueError:
        return None


# ------------------------------------------------------------- kernel facts
def parse_kmsg(text):
    """Records of /dev/kmsg: prio,seq,usec,flags;text, continuation lines with a space."""
    recs = []
    for line in text.split("\n"):
        if line.startswith(" ") and recs:
            recs[-1]["dict"].append(line[1:])
            continue
        head, sep, msg = line.partition(";")
        if not sep:
            continue
        f = head.split(",")
        try:
            prio, seq, usec = int(f[0]), int(f[1]), int(f[2])
        except (ValueError, IndexError):
            continue
        msg = re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), msg)
        recs.append({"prio": prio, "seq": seq, "usec": usec, "text": msg, "dict": []})
    return recs


KMSG = parse_kmsg(fact("kmsg"))
LOG = [r["text"] for r in KMSG]


def log_find(pattern):
    """The first match of pattern in the kernel log, or None."""
    rx = re.compile(pattern)
    for t in LOG:
        m = rx.search(t)
        if m:
            return m
    return None


def log_findall(pattern):
    rx = re.compile(pattern)
    return [m for m in (rx.search(t) for t in LOG) if m]


# Intel DMA remapping fault lines of 5.15-6.12 (kernel-interfaces.md §5.2)
FAULT_RX = re.compile(r"^DMAR: \[(DMA Read|DMA Write) (NO_PASID|PASID 0x([0-9a-f]+))\] Request device "
                      r"\[([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])\] fault addr 0x([0-9a-f]+) "
                      r"\[fault reason 0x([0-9a-f]{2})\] (.*)$")


# Arm SMMUv3 events of 4.x-6.x (arm_smmu_evtq_thread): "<driver> <device>: event 0xNN
# received:" and then one record for each of the event's four 64-bit words
SMMU_EVT_RX = re.compile(r"^arm-smmu-v3 (\S+): event 0x([0-9a-f]{2}) received:$")
SMMU_WORD_RX = re.compile(r"^arm-smmu-v3 (\S+): \s*0x([0-9a-f]{16})$")


def sid_to_bdf(sid):
    """QEMU's virt maps a requester ID to the same stream ID (IORT ID mapping and the
    device tree's iommu-map both 0 -> 0, 0x10000 of them); PCI segment 0."""
    return f"0000:{sid >> 8:02x}:{(sid >> 3) & 0x1f:02x}.{sid & 7}"


def smmu_faults():
    """The SMMUv3 events of the log, decoded here from their four words (Linux's
    EVTQ_* fields): the stream ID, SSID, read or write, the input address."""
    out = []
    for i, r in enumerate(KMSG):
        m = SMMU_EVT_RX.match(r["text"])
        if not m:
            continue
        words = []
        for x in KMSG[i + 1:i + 5]:
            w = SMMU_WORD_RX.match(x["text"])
            if not w or w.group(1) != m.group(1):
                break
            words.append(int(w.group(2), 16))
        if len(words) != 4:
            out.append({"seq": r["seq"], "usec": r["usec"], "incomplete": True})
            continue
        e0, e1, e2 = words[0], words[1], words[2]
        sid = e0 >> 32
        out.append({"seq": r["seq"], "usec": r["usec"], "smmu": m.group(1),
                    "reason_code": int(m.group(2), 16), "sid": sid, "bdf": sid_to_bdf(sid),
                    "ssid": (e0 >> 12) & 0xfffff if e0 & (1 << 11) else None,
                    "access": "read" if e1 & (1 << 35) else "write", "address": e2, "pasid": None})
    return out


def kernel_faults():
    if SMMU:
        return smmu_faults()
    if VIRTIO_UNITS:
        return virtio_faults()
    out = []
    for r in KMSG:
        m = FAULT_RX.match(r["text"])
        if m:
            out.append({"seq": r["seq"], "usec": r["usec"],
                        "access": "read" if m.group(1) == "DMA Read" else "write",
                        "pasid": int(m.group(3), 16) if m.group(3) else None,
                        "bdf": f"0000:{m.group(4)}:{m.group(5)}.{m.group(6)}",
                        "address": int(m.group(7), 16), "reason_code": int(m.group(8), 16),
                        "reason": m.group(9)})
    return out


# the virtio-iommu driver's page faults (viommu_fault_handler): the endpoint ID, the address
# ("%#llx": 0 is "0") and the flags it has (QEMU 7.2 sets none: "[]")
VIRTIO_FAULT_RX = re.compile(r"^virtio_iommu (\S+): page fault from EP (\d+) at (0x[0-9a-f]+|0) \[(R?)(W?)(X?)\]$")


def virtio_faults():
    """The virtio-iommu's page faults of the log, with the device whose requester ID is the
    endpoint ID (QEMU's VIOT maps requester IDs 0-0x7ff to the same endpoint IDs)."""
    by_rid = {int(b[5:7], 16) << 8 | int(b[8:10], 16) << 3 | int(b[11]): b for b in DEVICES}
    out = []
    for r in KMSG:
        m = VIRTIO_FAULT_RX.match(r["text"])
        if m:
            out.append({"seq": r["seq"], "usec": r["usec"], "unit": m.group(1), "sid": int(m.group(2)),
                        "bdf": by_rid.get(int(m.group(2))), "address": int(m.group(3), 16),
                        "access": "read" if m.group(4) and not m.group(5) else
                        "write" if m.group(5) and not m.group(4) else None})
    return out


# the ratelimit's count of the fault reports it dropped (Intel's dmar_fault, SMMUv3's event thread)
SUPPRESSED_RX = r"^(dmar_fault|arm_smmu_evtq_thread): (\d+) callbacks suppressed$"

GROUPS = {}
for line in fact("groups").splitlines():
    w = line.split()
    if w[:1] == ["group"]:
        GROUPS[int(w[1])] = {"type": w[3], "devices": sorted(w[5:]), "resv": []}
    elif w[:1] == ["resv"]:
        GROUPS[int(w[1])]["resv"].append((int(w[2], 16), int(w[3], 16), w[4]))

DEVICES = {}
for line in fact("devices").splitlines():
    w = line.split()
    d = dict(kv.split("=", 1) for kv in w[1:])
    d = {k: (None if v == "-" else v) for k, v in d.items()}
    DEVICES[w[0]] = d

UNITS = {}
for line in fact("iommus").splitlines():
    w = line.split(" ", 2)
    u = UNITS.setdefault(w[0], {})
    if w[1] == "devices":
        u["devices"] = sorted(w[2].split()) if len(w) > 2 else []
    else:
        u[w[1]] = w[2] if len(w) > 2 else ""

# The virtio devices (virtio-iommu is device 0x0017) and the ACPI tables the guest has.
VIRTIO = {}
for line in fact("virtio").splitlines():
    w = line.split()
    VIRTIO[w[0]] = {k: (None if v == "-" else v) for k, v in (kv.split("=", 1) for kv in w[1:])}
VIOMMU = [v for v in VIRTIO.values() if v.get("device") == "0x0017"]
ACPI_TABLES = {line.split()[-1] for line in fact("acpi-tables").splitlines() if line.startswith("-")}
# A virtio-iommu that no driver took (Debian 12's amd64 kernel is built without
# CONFIG_VIRTIO_IOMMU): the firmware describes an IOMMU, the kernel has no unit and no group.
NO_DRIVER = bool(VIOMMU) and not any(v.get("driver") for v in VIOMMU) and not UNITS
# the units of a virtio-iommu driver: sysfs class/iommu names one after its PCI function
# (Linux 6.12), or its virtio device
VIRTIO_UNITS = {u for u in UNITS if u.startswith("virtio") or
                u in {v.get("parent") for v in VIOMMU} or u in VIRTIO}
# an Arm guest: its unit is an SMMUv3 (sysfs class/iommu names it smmu3.0x<register base>)
SMMU = any(u.startswith("smmu3.") for u in UNITS)

# the requester IDs bridges send with for the devices behind them (PCIe-to-PCI: secondary
# bus, devfn 0), when no device has that ID: "pci 0000:05:00.0: PCI bridge to [bus 06]"
ALIASES = {}
for _m in log_findall(r"^pci ([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]): PCI bridge to \[bus ([0-9a-f]{2})"):
    _a = f"{_m.group(1)[:4]}:{_m.group(2)}:00.0"
    if _a not in DEVICES and DEVICES.get(_m.group(1), {}).get("vendor") == "0x1b36" and \
            DEVICES[_m.group(1)].get("device") == "0x000e":
        ALIASES[_a] = _m.group(1)  # QEMU's pcie-pci-bridge

BDF_RX = re.compile(r"^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$")
NAMES = {}
for line in fact("names").splitlines():
    name, _, path = line.partition(" ")
    pci = [c for c in path.split("/") if BDF_RX.match(c)]
    if pci:
        NAMES.setdefault(pci[-1], []).append(name)

CMDLINE = fact("cmdline").split()


def irq_sum(names):
    total, lines = 0, 0
    for line in fact("interrupts").splitlines():
        w = line.split()
        if not w or not w[0].rstrip(":").isdigit():
            continue
        if any(n in w for n in names) or any(x.startswith("AMD-Vi") for x in w[-1:]):
            counts = [int(x) for x in w[1:] if x.isdigit()]
            total += sum(counts)
            lines += 1
    return total, lines


IOMEM = []
for line in fact("iomem").splitlines():
    m = re.match(r"^\s*([0-9a-f]+)-([0-9a-f]+) : (.*)$", line)
    if m:
        IOMEM.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))

COMPLETE = {}
for line in (read(os.path.join(O, "complete")) or "").splitlines():
    k, _, v = line.partition(":")
    COMPLETE[k] = v.split()
COMMANDS = (read(os.path.join(O, "commands")) or "").split()


def has(cmd, opt=None):
    if cmd not in COMMANDS:
        return False
    return opt is None or any(o == opt or o.startswith(opt + "=") for o in COMPLETE.get(cmd, []))


def live(cmd, kind="txt", d="live"):
    """(stdout, stderr, exit status) of a live command in the guest."""
    base = os.path.join(O, d, cmd)
    if kind == "json":
        return read(base + ".json"), read(base + ".json.err"), (read(base + ".json.rc") or "").strip()
    return read(base + ".txt"), read(base + ".err"), (read(base + ".rc") or "").strip()


def live_json(cmd, d="live"):
    out, _, _ = live(cmd, "json", d)
    try:
        return json.loads(out)
    except (TypeError, ValueError):
        return None


# QEMU's virt before 8.0 writes the IORT's root complex ID mappings with the number of IDs
# where the number minus one belongs (0x0 +0x800 -> SMMU, then 0x800 +0xf7ff -> ITS). It is
# the firmware's, and the kernel's workaround gives 0x800 to the second: `acpi` notes it in
# the table (its "notes"), and no command warns of it. A warning of it is still forgiven below
# where the table has it (an older build).
SLIP_RX = re.compile(r"offset (0x[0-9a-f]+): ID mapping ends \((0x[0-9a-f]+)\) where the one at "
                     r"(0x[0-9a-f]+) starts: the number of IDs was stored")


def table_slips():
    """{(mapping offset, end, next offset)} of the guest's IORT as acpi --json decodes it."""
    doc = live_json("acpi") or {}
    out = set()
    for t in doc.get("tables", []):
        for n in t.get("nodes", []) if t.get("signature") == "IORT" else []:
            maps = [m for m in n.get("mappings", []) if not m.get("single")]
            for a in maps:
                for b in maps:
                    if a is not b and a["id_count"] and a["input_base"] + a["id_count"] == b["input_base"]:
                        out.add((hexint(a["offset"]), a["input_base"] + a["id_count"], hexint(b["offset"])))
    return out


def firmware_warning(line):
    m = SLIP_RX.search(line)
    return bool(m) and (hexint(m.group(1)), hexint(m.group(2)), hexint(m.group(3))) in table_slips()


def without_fw(err):
    """stderr without the warnings that are the firmware's, true of its table."""
    return "".join(l for l in (err or "").splitlines(True) if not firmware_warning(l))


# ------------------------------------------------------------ guest sanity
def check_guest():
    ins = fact("insmod.err").strip()
    check("guest/modules-loaded", not ins, ins)
    check("guest/kernel-log-read", len(KMSG) > 100 and KMSG[0]["seq"] == 0,
          f"{len(KMSG)} records, first seq {KMSG[0]['seq'] if KMSG else None}")
    if NO_DRIVER:
        check("guest/virtio-iommu-without-driver", not GROUPS and "VIOT" in ACPI_TABLES,
              f"{len(GROUPS)} groups, ACPI tables {sorted(ACPI_TABLES)}")
    else:
        check("guest/iommu-groups", len(GROUPS) > 0, "the guest kernel made no IOMMU group")
    check("guest/commands", {"status", "groups", "devices", "iommus"} <= set(COMMANDS),
          f"__complete lists {COMMANDS}")
    dma = fact("dma")
    if A.dma in ("faults", "few"):
        n = len(kernel_faults())
        check("guest/faults-provoked", n >= 3 and "done=no" not in dma and "failed" not in dma,
              f"{n} DMAR fault lines in the kernel log; helper said: {dma.strip()[-300:]}")
        if SMMU:
            # what the guest did (vmhelper's lines: "BDF: DMA read|write iova=0x... count=N"):
            # each event the SMMU logged is one of those transfers, from that device, to that
            # address (its stream ID read as the requester ID)
            # (QEMU translates a transfer in pieces: one event for each piece that faults)
            prog = [(m.group(1), m.group(2), int(m.group(3), 16), int(m.group(4)))
                    for m in re.finditer(r"^(\S+): DMA (read|write) iova=0x([0-9a-f]+) count=(\d+) ", dma, re.M)]
            evts = kernel_faults()
            odd = [f for f in evts if f.get("incomplete") or (
                not any(f["bdf"] == b and f["access"] == a and i <= f["address"] < i + n for b, a, i, n in prog)
                and f["bdf"] not in ALIASES)]
            check("guest/smmu-events-are-the-programmed-transfers",
                  any(f["bdf"] in DEVICES for f in evts) and not odd,
                  f"{len(evts)} events; not a programmed transfer nor a bridge's alias: {odd[:3]}; "
                  f"programmed: {prog[:8]}")
    elif A.dma == "reads" and VIRTIO_UNITS:
        # a virtio-iommu translates: the reads of a device in a group whose domain maps
        # nothing fault, and only those of the devices the guest programmed
        prog = set(re.findall(r"([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]): DMA read", dma))
        flt = kernel_faults()
        odd = [f for f in flt if f["bdf"] not in prog]
        check("guest/virtio-iommu-faults-from-programmed-devices", flt and not odd,
              f"{len(flt)} fault lines; not from a device the guest programmed: {odd[:3]}")
    elif A.dma == "reads":
        n = len(kernel_faults())
        msi, _ = irq_sum(["DMAR-MSI"])
        check("guest/pass-through-dma-does-not-fault",
              n == 0 and msi == 0 and dma.count("done=yes") == 3,
              f"{n} fault lines, {msi} DMAR-MSI interrupts; helper said: {dma.strip()[-300:]}")


# ------------------------------------------------- live run, and its replay
DEBUGFS_IOMMU = fact("debugfs-iommu").strip()


def expected_failure(msg):
    """Why exit 1 is the right answer here, or None: a command that reads the IOMMU's
    debugfs, on a kernel that has none, must say so."""
    if DEBUGFS_IOMMU == "absent" and "CONFIG_IOMMU_DEBUGFS" in (msg or ""):
        return "this kernel has no IOMMU debugfs, and the error says so"
    # no unit and no group, and the error says so (of groups: and names the virtio-iommu
    # driver the kernel lacks)
    if NO_DRIVER and msg and ("no IOMMU unit" in msg or ("no IOMMU groups" in msg and "virtio_iommu" in msg)):
        return "this kernel has no virtio-iommu driver, and the error says what is missing"
    if VIRTIO_UNITS and "virtio-iommu driver has no debugfs files" in (msg or ""):
        return "the virtio-iommu driver has no debugfs, and the error says so"
    if SMMU and "SMMUv3 driver has no debugfs files" in (msg or ""):
        return "the SMMUv3 driver has no debugfs, and the error says so"
    if SMMU and "describes its IOMMUs in its device tree" in (msg or "") and \
            not fact("acpi-tables").strip().startswith("total"):
        return "a device-tree guest has no ACPI tables, and the error says so"
    return None


# Commands whose exit status 1 is a verdict, not a failure, and comes without an "error" key:
# check (not every device can be given to a VM now), as faults --check is for faults.
VERDICT = {"check"}
# commands whose only output is text (no --json), and the options every run of them gets
# (guest-init.sh's run_pass)
TEXT_ONLY = {"metrics"}
ARGS = {"metrics": ["--no-timing"]}


def kinds(c):
    return ("txt",) if c in TEXT_ONLY else ("txt", "json")


def json_contract(name, text, rc, verdict=False):
    try:
        doc = json.loads(text, object_pairs_hook=lambda kv: kv)
    except (TypeError, ValueError) as e:
        bad(name, f"not JSON: {e}", (text or "")[:300])
        return None
    keys = [k for k, _ in doc]
    check(name, keys[:1] == ["schema_version"] and dict(doc)["schema_version"] == 1
          and keys[-1:] == ["warnings"]
          and (("error" in keys) == (rc == "1") or (verdict and rc == "1" and "error" not in keys)),
          f"keys {keys}, exit {rc}")
    return json.loads(text)


def check_metrics_promtool():
    """The guest's live metrics, as Prometheus itself reads them (promtool on the host)."""
    if "metrics" not in COMMANDS:
        return
    if not shutil.which("promtool"):
        skip("live/metrics/promtool", "promtool is not installed (make test-deps installs it)")
        return
    out, _, rc = live("metrics")
    p = subprocess.run(["promtool", "check", "metrics"], input=out or "", capture_output=True,
                       text=True)
    check("live/metrics/promtool", rc == "0" and p.returncode == 0 and out,
          f"exit {rc}; promtool: {(p.stdout + p.stderr)[:300]}")


def check_live():
    for c in COMMANDS:
        for kind in kinds(c):
            out, err, rc = live(c, kind)
            label = "text" if kind == "txt" else "json"
            doc = json_contract(f"live/{c}/json/contract", out, rc, c in VERDICT) if kind == "json" else None
            msg = (doc or {}).get("error") if kind == "json" else without_fw(err)
            why = expected_failure(msg) if rc == "1" else None
            if c in VERDICT and rc == "1" and not msg and not without_fw(err):
                why = f"{c}'s verdict, not a failure"
            check(f"live/{c}/{label}/exit", rc == "0" or why, f"exit {rc}; stderr {err!r}; error {msg!r}")
            warnings = [l for l in (err or "").splitlines() if l.startswith("iommu-inspect: warning:")]
            warnings += (doc or {}).get("warnings", [])
            warnings = [w for w in warnings if not firmware_warning(w)]
            check(f"live/{c}/{label}/no-warnings-as-root", not warnings, "; ".join(warnings))
        out2 = live(c, "txt", "live2")
        if out2 != live(c, "txt"):
            # not a failure: the replay is compared with both passes
            print(f"# note: {c} changed between the live pass before the snapshot and the one after")


def replay(args):
    snap = os.path.join(O, "snapshot.tar.gz")
    p = subprocess.run([A.bin, "--root", snap, "--pci-ids", A.pci_ids] + args,
                       capture_output=True, text=True, errors="replace")
    norm = lambda s: s.replace(snap + ":", "")
    return norm(p.stdout), norm(p.stderr), str(p.returncode)


def check_replay():
    rc = (read(os.path.join(O, "snapshot.rc")) or "").strip()
    err = read(os.path.join(O, "snapshot.err")) or ""
    if not check("snapshot/live", rc == "0" and os.path.exists(os.path.join(O, "snapshot.tar.gz")),
                 f"exit {rc}: {err[:300]}"):
        return
    check("snapshot/no-warnings-as-root", without_fw(err) == "", err)
    os.makedirs(os.path.join(WORK, "replay"), exist_ok=True)
    for c in COMMANDS:
        for kind, extra in (("txt", []), ("json", ["--json"])):
            if kind not in kinds(c):
                continue
            got = replay([c] + ARGS.get(c, []) + extra)
            with open(os.path.join(WORK, "replay", f"{c}.{kind}"), "w") as f:
                f.write(got[0])
            want1, want2 = live(c, kind, "live"), live(c, kind, "live2")
            name = f"replay/{c}/{'text' if kind == 'txt' else 'json'}"
            if got in (want1, want2):
                ok(name)
                continue
            what = [w for w, i in (("stdout", 0), ("stderr", 1), ("exit status", 2)) if got[i] != want1[i]]
            diff = "".join(difflib.unified_diff(
                (want1[0] + want1[1] + f"exit {want1[2]}\n").splitlines(True),
                (got[0] + got[1] + f"exit {got[2]}\n").splitlines(True), "live", "replay", n=1))
            if kind == "json" and got[0] != want1[0]:
                try:  # one key a line shows where they differ
                    a, b = (json.dumps(json.loads(x[0]), indent=1).splitlines(True) for x in (want1, got))
                    diff = "".join(difflib.unified_diff(a, b, "live", "replay", n=1))
                except ValueError:
                    pass
            bad(name, f"the replay of the guest's snapshot differs from the live run in {', '.join(what)}", diff)


# ------------------------------------------------------- tool vs the kernel
def check_status():
    st = live_json("status")
    if st is None:
        bad("facts/status", "no status JSON")
        return
    vendor = "intel" if any(u.startswith("dmar") for u in UNITS) else "arm-smmu-v3" if SMMU else \
        "virtio-iommu" if VIRTIO_UNITS else "amd" if UNITS else \
        "virtio-iommu" if "VIOT" in ACPI_TABLES else None
    same("facts/status/vendor", st["vendor"]["value"], vendor, "vendor (sysfs class/iommu, or the VIOT table)")
    same("facts/status/active", st["active"]["value"], bool(GROUPS), "active (groups exist)")
    # hardware: a unit, or (no driver for it) the firmware's VIOT table
    same("facts/status/hardware", st["hardware"]["value"], bool(UNITS) or NO_DRIVER, "hardware")
    c = st["counts"]
    same("facts/status/counts", (c["units"], c["groups"], c["devices"], c["devices_in_groups"]),
         (len(UNITS), len(GROUPS), len(DEVICES), sum(1 for d in DEVICES.values() if d["group"])),
         "units, groups, PCI devices, devices in groups")
    types = {g["type"] for g in GROUPS.values()}
    want = types.pop() if len(types) == 1 else None if GROUPS else "none"
    same("facts/status/default-domain", st["default_domain"]["value"], want, "group type")
    # The type comes from the command line when the kernel says so of its "Default domain
    # type" line, or, for a translated type, of its invalidation policy line (iommu.strict
    # makes DMA or DMA-FQ), unless strict mode was forced for virtualization.
    m = log_find(r"^iommu: Default domain type: (\w+).*?( \(set via kernel command line\))?$")
    pol = log_find(r"^iommu: DMA domain TLB invalidation policy: \w+ mode( \(set via kernel command line\))?$")
    forced = log_find(r"IOMMU batching disallowed due to virtualization|[Ss]trict mode.*virtualization")
    by_policy = bool(pol and pol.group(1)) and (want == "DMA-FQ" or (want == "DMA" and not forced))
    same("facts/status/default-domain-from-cmdline", st["default_domain"]["from_cmdline"],
         (bool(m and m.group(2)) or by_policy) if GROUPS else None,
         "the kernel's 'Default domain type' and 'invalidation policy' lines")
    inval = {"DMA": "strict", "DMA-FQ": "lazy", "identity": "none", "none": "none"}.get(want)
    same("facts/status/invalidation", st["invalidation"]["value"], inval, f"groups of type {want}")
    ir = log_find(r"^DMAR-IR: Enabled IRQ remapping in (x2apic|xapic) mode$")
    amd_ir = log_find(r"^AMD-Vi: Interrupt remapping enabled$")
    if SMMU:
        # Arm: no interrupt remapping; the GIC ITS isolates MSIs when the devices' MSIs go
        # through it (ITS-MSI rows in /proc/interrupts)
        same("facts/status/interrupt-remapping", st["interrupt_remapping"]["value"], "not-applicable")
        its = irq_sum(["ITS-MSI"])[1] > 0
        same("facts/status/msi-isolation", (st.get("msi_isolation") or {}).get("value"),
             "its" if its else "none", "MSI isolation (ITS-MSI rows in /proc/interrupts)")
    else:
        same("facts/status/interrupt-remapping",
             (st["interrupt_remapping"]["value"], st["interrupt_remapping"].get("mode")),
             ("enabled", ir.group(1)) if ir else ("enabled", None) if amd_ir else ("disabled", None),
             "value and mode")
    iommu_params = [p for p in CMDLINE if re.match(r"^(intel_iommu|amd_iommu|iommu)[=.]", p)]
    params = st.get("kernel_parameters") or []
    check("facts/status/kernel-parameters",
          set(iommu_params) <= set(params) and set(params) <= set(CMDLINE),
          f"tool lists {params}; /proc/cmdline has {iommu_params}")
    same("facts/status/kernel-log", st["kernel_log"]["value"],
         "complete" if KMSG and KMSG[0]["seq"] == 0 else "partial", "/dev/kmsg from seq 0")


def check_groups():
    doc = live_json("groups")
    if doc is None:
        bad("facts/groups", "no groups JSON")
        return
    tool = {g["id"]: g for g in doc["groups"]}
    same("facts/groups/ids", sorted(tool), sorted(GROUPS), "group ids (/sys/kernel/iommu_groups)")
    bad_type, bad_members, bad_resv, bad_driver = [], [], [], []
    for gid, g in GROUPS.items():
        t = tool.get(gid)
        if not t:
            continue
        if t["type"] != g["type"]:
            bad_type.append(f"{gid}: {t['type']} != {g['type']}")
        members = sorted(d["bdf"] for d in t["devices"])
        if members != g["devices"]:
            bad_members.append(f"{gid}: {members} != {g['devices']}")
        resv = sorted((hexint(r["start"]), hexint(r["end"]), r["type"]) for r in t["reserved_regions"])
        if resv != sorted(g["resv"]):
            bad_resv.append(f"{gid}: {resv} != {g['resv']}")
        for d in t["devices"]:
            want = DEVICES.get(d["bdf"], {}).get("driver")
            if d["driver"] != want:
                bad_driver.append(f"{d['bdf']}: {d['driver']} != {want}")
    check("facts/groups/types", not bad_type, "; ".join(bad_type))
    check("facts/groups/members", not bad_members, "; ".join(bad_members))
    check("facts/groups/reserved-regions", not bad_resv, "; ".join(bad_resv))
    check("facts/groups/drivers", not bad_driver, "; ".join(bad_driver))
    shared = [g for g in GROUPS.values() if len(g["devices"]) > 1]
    if GROUPS or not NO_DRIVER:
        check("facts/groups/has-shared-group", shared, "no group with more than one device in the guest")


def check_devices():
    doc = live_json("devices")
    if doc is None:
        bad("facts/devices", "no devices JSON")
        return
    tool = {d["bdf"]: d for d in doc["devices"]}
    same("facts/devices/list", sorted(tool), sorted(DEVICES), "PCI devices (/sys/bus/pci/devices)")
    fields = {"group": [], "group_type": [], "iommu": [], "driver": [], "ids": [], "names": []}
    for bdf, f in DEVICES.items():
        t = tool.get(bdf)
        if not t:
            continue
        g = int(f["group"]) if f["group"] else None
        if t["group"] != g:
            fields["group"].append(f"{bdf}: {t['group']} != {g}")
        gt = GROUPS[g]["type"] if g is not None else None
        if t["group_type"] != gt:
            fields["group_type"].append(f"{bdf}: {t['group_type']} != {gt}")
        if t["iommu"] != f["iommu"]:
            fields["iommu"].append(f"{bdf}: {t['iommu']} != {f['iommu']}")
        if t["driver"] != f["driver"]:
            fields["driver"].append(f"{bdf}: {t['driver']} != {f['driver']}")
        ids = (t["vendor_id"], t["device_id"], t["class"])
        want = (f["vendor"][2:], f["device"][2:], f["class"][2:])
        if ids != want:
            fields["ids"].append(f"{bdf}: {ids} != {want}")
        if sorted(t["names"]) != sorted(NAMES.get(bdf, [])):
            fields["names"].append(f"{bdf}: {t['names']} != {sorted(NAMES.get(bdf, []))}")
    for k, v in fields.items():
        check(f"facts/devices/{k}", not v, "; ".join(v))
    check("facts/devices/names-found", any(NAMES.values()), "the guest has no network interface or disk")


def check_iommus():
    doc = live_json("iommus")
    if doc is None:
        bad("facts/iommus", "no iommus JSON")
        return
    tool = {u["name"]: u for u in doc["iommus"]}
    same("facts/iommus/units", sorted(tool), sorted(UNITS), "units (/sys/class/iommu)")
    for name, u in UNITS.items():
        t = tool.get(name)
        if not t:
            continue
        same(f"facts/iommus/{name}/devices", sorted(t["devices"]), u.get("devices", []))
        if "cap" in u and "ecap" in u:  # Intel
            regs = t["registers"]
            same(f"facts/iommus/{name}/cap-ecap",
                 (hexint(regs["cap"]["value"]), hexint(regs["ecap"]["value"])),
                 (hexint(u["cap"]), hexint(u["ecap"])), "sysfs intel-iommu/cap, ecap")
            m = log_find(rf"^DMAR: {name}: reg_base_addr ([0-9a-f]+) ver (\S+) cap ([0-9a-f]+) ecap ([0-9a-f]+)$")
            if m:
                same(f"facts/iommus/{name}/kernel-log-line",
                     (hexint(t["address"]), t["version"], hexint(regs["cap"]["value"]),
                      hexint(regs["ecap"]["value"])),
                     (hexint(m.group(1)), m.group(2), hexint(m.group(3)), hexint(m.group(4))),
                     "the kernel's reg_base_addr line")
            same(f"facts/iommus/{name}/sysfs-attributes",
                 (hexint(t["address"]), t["version"], t["domains_supported"], t["domains_used"]),
                 (hexint(u["address"]), u["version"], int(u["domains_supported"]), int(u["domains_used"])),
                 "address, version, domains")
        if "features" in u:  # AMD
            regs = t["registers"]
            same(f"facts/iommus/{name}/amd-cap", hexint(regs["amd_cap"]["value"]), hexint(u["cap"]))
            m = log_find(r"^AMD-Vi: Extended features \((0x[0-9a-f]+|0), (0x[0-9a-f]+|0)\)")
            if m:
                same(f"facts/iommus/{name}/efr-kernel-log-line",
                     (hexint(regs["efr"]["value"]), hexint(regs["efr2"]["value"])),
                     (int(m.group(1), 0), int(m.group(2), 0)), "the kernel's 'Extended features' line")
            else:
                bad(f"facts/iommus/{name}/efr-kernel-log-line", "no 'AMD-Vi: Extended features' line")
            m = log_find(r"^pci ([0-9a-f:.]+): AMD-Vi: Found IOMMU cap (0x[0-9a-f]+)")
            if m:
                same(f"facts/iommus/{name}/pci-function", t["pci_function"], m.group(1),
                     "the kernel's 'Found IOMMU' line")


# ---------------------------------------------------------------- acpi
def walk(v):
    """Every dict inside a JSON value."""
    if isinstance(v, dict):
        yield v
        for x in v.values():
            yield from walk(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk(x)


def check_acpi():
    if not has("acpi"):
        skip("facts/acpi", "the binary has no acpi command yet")
        return
    doc = live_json("acpi")
    if doc is None:
        bad("facts/acpi", "no acpi JSON")
        return
    tables = {t.get("signature"): t for t in doc.get("tables", []) if isinstance(t, dict)}
    if SMMU and not fact("acpi-tables").strip().startswith("total"):
        # a device-tree guest: no ACPI tables, and acpi must say so
        check("facts/acpi/none-on-device-tree", not tables, f"tables {sorted(tables)} on a guest without ACPI")
        return
    sig = "DMAR" if any(u.startswith("dmar") for u in UNITS) else "IORT" if SMMU else \
        "VIOT" if "VIOT" in ACPI_TABLES and "IVRS" not in ACPI_TABLES else "IVRS"
    t = tables.get(sig)
    if not check(f"facts/acpi/{sig}/present", t is not None, f"tables {sorted(tables)}"):
        return
    # "ACPI: DMAR 0x000000003FFE32E4 0000A8 (v01 BOCHS  BXPC     00000001 BXPC 00000001)"
    m = log_find(rf"^ACPI: {sig} 0x[0-9A-F]+ ([0-9A-F]+) \(v(\d+) (.{{6}}) (.{{8}})")
    if m:
        want = {"length": int(m.group(1), 16), "revision": int(m.group(2)),
                "oem_id": m.group(3).strip(), "oem_table_id": m.group(4).strip()}
        for k, v in want.items():
            same(f"facts/acpi/{sig}/{k}", t.get(k), v, f"the kernel's 'ACPI: {sig}' line")
    bad_sum = log_find(rf"Incorrect checksum in table \[{sig}\]")
    same(f"facts/acpi/{sig}/checksum-ok", t.get("checksum_ok"), not bad_sum,
         "the kernel's ACPI checksum warning (absent means valid)")
    if sig == "VIOT":
        check_viot(t)
    if sig == "IORT":
        check_iort(t)
    elif sig == "DMAR":
        structs = t.get("structures", [])
        drhd = [s for s in structs if s.get("type") == "DRHD"]
        lines = log_findall(r"^DMAR: DRHD base: (0x[0-9a-f]+) flags: (0x[0-9a-f]+)$")
        same("facts/acpi/DMAR/drhd-register-base-and-flags",
             sorted((hexint(s.get("register_base")), hexint(s.get("flags"))) for s in drhd),
             sorted((int(m.group(1), 16), int(m.group(2), 16)) for m in lines),
             "the kernel's 'DMAR: DRHD base: ... flags: ...' lines")
        m = log_find(r"^DMAR: Host address width (\d+)$")
        if m:
            same("facts/acpi/DMAR/host-address-width", t.get("host_address_width"), int(m.group(1)),
                 "the kernel's 'Host address width' line")
        # "DMAR: dmar0: reg_base_addr fed90000 ...": the unit of each DRHD, and what it covers
        for m in log_findall(r"^DMAR: (dmar\d+): reg_base_addr ([0-9a-f]+) "):
            unit, base = m.group(1), int(m.group(2), 16)
            d = [s for s in drhd if hexint(s.get("register_base")) == base]
            if not check(f"facts/acpi/DMAR/{unit}/drhd", len(d) == 1, f"{len(d)} DRHDs at {base:#x}"):
                continue
            same(f"facts/acpi/DMAR/{unit}/drhd-unit", d[0].get("unit"), unit, "the kernel's reg_base_addr line")
            missing = sorted(set(UNITS.get(unit, {}).get("devices", [])) - set(d[0].get("covers") or []))
            check(f"facts/acpi/DMAR/{unit}/drhd-covers-unit-devices", not missing,
                  f"the kernel put {missing} under {unit}; the DRHD at {base:#x} does not cover them")
        # "DMAR-IR: IOAPIC id 0 under DRHD base  0xfed90000 IOMMU 0": an IOAPIC scope in that DRHD
        for m in log_findall(r"^DMAR-IR: IOAPIC id (\d+) under DRHD base\s+(0x[0-9a-f]+)"):
            d = [s for s in drhd if hexint(s.get("register_base")) == int(m.group(2), 16)]
            scopes = [sc for s in d for sc in s.get("scopes", [])]
            ids = [sc.get("enumeration_id") for sc in scopes if str(sc.get("type", "")).upper() == "IOAPIC"]
            check(f"facts/acpi/DMAR/ioapic-scope-{m.group(1)}", int(m.group(1)) in ids,
                  f"no IOAPIC scope with enumeration_id {m.group(1)} in the DRHD at {m.group(2)}: {scopes}")
    elif sig == "IVRS":
        blocks = [b for b in t.get("blocks", []) if b.get("kind") == "IVHD"]
        used = [b for b in blocks if b.get("kernel_uses")]
        if not check("facts/acpi/IVRS/ivhd-the-kernel-uses", len(used) == len(UNITS),
                     f"{len(used)} IVHD blocks marked kernel_uses, the kernel has {len(UNITS)} units"):
            return
        m = log_find(r"^pci ([0-9a-f:.]+): AMD-Vi: Found IOMMU cap (0x[0-9a-f]+)")
        mmio = sorted(s for s, e, n in IOMEM if n.strip() == "amd_iommu")
        if m:
            same("facts/acpi/IVRS/iommu-bdf", [b.get("iommu_bdf") for b in used], [m.group(1)],
                 "the kernel's 'Found IOMMU' line")
            same("facts/acpi/IVRS/capability-offset", [hexint(b.get("capability_offset")) for b in used],
                 [int(m.group(2), 16)], "the kernel's 'Found IOMMU cap' line")
        same("facts/acpi/IVRS/base-address", sorted(hexint(b.get("base_address")) for b in used), mmio,
             "amd_iommu in /proc/iomem")
        for b in used:
            unit = b.get("unit")
            if not check("facts/acpi/IVRS/ivhd-unit", unit in UNITS, f"unit {unit!r}, the kernel has {sorted(UNITS)}"):
                continue
            missing = sorted(set(UNITS[unit].get("devices", [])) - set(b.get("covers") or []))
            check(f"facts/acpi/IVRS/{unit}/ivhd-covers-unit-devices", not missing,
                  f"the kernel put {missing} under {unit}; its IVHD does not cover them")


def check_viot(t):
    """The VIOT QEMU built, against the PCI devices the guest has and what its kernel did:
    the virtio-iommu PCI node names the virtio-iommu function, the PCI range maps each
    requester ID to an endpoint ID, and no endpoint is said to be attached to a unit the
    kernel does not have."""
    nodes = t.get("nodes", [])
    vpci = [n for n in nodes if n.get("type") == "virtio_iommu_pci"]
    fn = sorted(b for b, d in DEVICES.items() if d["vendor"] == "0x1af4" and d["device"] == "0x1057")
    same("facts/acpi/VIOT/virtio-iommu-pci-function", sorted(n.get("bdf") for n in vpci), fn,
         "the PCI function of id 1af4:1057 (virtio-iommu)")
    same("facts/acpi/VIOT/virtio-iommu-virtio-device", sorted(v.get("parent") for v in VIOMMU), fn,
         "the parent of the virtio device 0x0017 in /sys/bus/virtio")
    units = {u: v.get("devices", []) for u, v in UNITS.items() if u in VIRTIO_UNITS}
    same("facts/acpi/VIOT/virtio-iommu-unit", sorted(n.get("unit") or "-" for n in vpci),
         sorted(units) if units else ["-"] * len(vpci), "the virtio units in /sys/class/iommu")
    # endpoint ID = endpoint_start + (requester ID - bdf_start), for each PCI device in a
    # range but the virtio-iommu itself
    want = {}
    for n in nodes:
        if n.get("type") != "pci_range":
            continue
        lo, hi = hexint(n["bdf_start"]), hexint(n["bdf_end"])
        for b in DEVICES:
            seg, bus, df = int(b[:4], 16), int(b[5:7], 16), b[8:]
            rid = bus << 8 | int(df[:2], 16) << 3 | int(df[3])
            if n["segment_start"] <= seg <= n["segment_end"] and lo <= rid <= hi and b not in fn:
                want[b] = n["endpoint_start"] + rid - lo
    got = {e["bdf"]: e["endpoint"] for e in t.get("endpoints", [])}
    same("facts/acpi/VIOT/endpoint-ids", got, want, "requester IDs through the PCI range nodes")
    # the unit an endpoint reaches (the firmware's view): the registered virtio-iommu, for
    # every endpoint; and every device the kernel put under a unit is one of its endpoints
    attached = {d: u for u, devs in units.items() for d in devs}
    said = {e["bdf"]: e["unit"] for e in t.get("endpoints", []) if e.get("unit")}
    want = {b: sorted(units)[0] for b in got} if len(units) == 1 else {}
    same("facts/acpi/VIOT/endpoints-reach-unit", said, want,
         "the endpoints reach the one virtio-iommu unit the kernel has (none without one)")
    stray = {d: u for d, u in attached.items() if said.get(d) != u}
    check("facts/acpi/VIOT/attached-are-endpoints", not stray,
          f"devices the kernel put under a unit that no endpoint of it names: {stray}")


def irq_hwirq(action):
    """The hardware interrupt number of the /proc/interrupts row of this action (for the
    GIC: the GSIV), or None."""
    for line in fact("interrupts").splitlines():
        w = line.split()
        if w and w[-1] == action:
            nums = [x for x in w[1:-1] if x.isdigit()]
            # CPU counts, then the chip's hwirq: "GICv3 138 Edge"
            chip = [i for i, x in enumerate(w) if x.startswith("GIC")]
            if chip and chip[0] + 1 < len(w) and w[chip[0] + 1].isdigit():
                return int(w[chip[0] + 1])
            return int(nums[-1]) if nums else None
    return None


def check_iort(t):
    """The IORT QEMU built, against what the kernel made of it: an SMMUv3 node for each
    SMMUv3 unit (the kernel names the unit after its register base), that covers the
    devices the kernel put under it, with the event interrupt of its evtq row; the ITS
    group when MSIs go through the ITS; each PCI device's stream ID, mapped to its unit."""
    nodes = t.get("nodes") or []
    smmus = [n for n in nodes if n.get("type") == "smmu_v3"]
    units = sorted(u for u in UNITS if u.startswith("smmu3."))
    same("facts/acpi/IORT/smmuv3-units", sorted(str(n.get("unit")) for n in smmus), units,
         "the unit of each SMMUv3 node (sysfs class/iommu)")
    for n in smmus:
        unit = n.get("unit")
        if unit not in UNITS:
            continue
        same(f"facts/acpi/IORT/{unit}/base", hexint(n.get("base")), int(unit.split(".", 1)[1], 16),
             "the unit's register base (the kernel's name for it)")
        missing = sorted(set(UNITS[unit].get("devices", [])) - set(n.get("covers") or []))
        check(f"facts/acpi/IORT/{unit}/covers-unit-devices", not missing,
              f"the kernel put {missing} under {unit}; its SMMUv3 node does not cover them")
        evtq = irq_hwirq("arm-smmu-v3-evtq")
        if evtq is not None:
            same(f"facts/acpi/IORT/{unit}/event-gsiv", n.get("event_gsiv"), evtq,
                 "the GIC interrupt of the arm-smmu-v3-evtq row of /proc/interrupts")
    noted = {(hexint(m.group(1)), hexint(m.group(2)), hexint(m.group(3)))
             for t in (live_json("acpi") or {}).get("tables", []) if t.get("signature") == "IORT"
             for n in t.get("notes") or [] for m in SLIP_RX.finditer(n)}
    same("facts/acpi/IORT/count-slips-noted", sorted(noted), sorted(table_slips()),
         "mappings that end where another starts (QEMU before 8.0 writes them)")
    _, err, _ = live("status")
    check("facts/acpi/IORT/count-slips-not-warned", not SLIP_RX.search(err or ""),
          f"status warns of a slip the kernel works around: {(err or '')[:300]!r}")
    its = irq_sum(["ITS-MSI"])[1] > 0
    same("facts/acpi/IORT/its-group", any(n.get("type") == "its_group" for n in nodes), its,
         "an ITS group (ITS-MSI rows in /proc/interrupts)")
    devs = {d.get("bdf"): d for n in nodes if n.get("type") == "root_complex" for d in n.get("devices") or []}
    wrong = []
    for bdf, f in DEVICES.items():
        if not f.get("iommu"):
            continue
        d = devs.get(bdf)
        if d is None or d.get("unit") != f["iommu"] or hexint(d.get("sid")) != hexint(d.get("rid")):
            wrong.append(f"{bdf}: {d} (kernel: {f['iommu']})")
    check("facts/acpi/IORT/root-complex-devices", not wrong,
          "each PCI device behind a unit: its stream ID (QEMU maps RID to SID 1:1) and unit: " + "; ".join(wrong[:4]))


# ---------------------------------------------------------------- faults
def fault_objects(doc):
    if isinstance(doc, dict) and isinstance(doc.get("faults"), list):
        return [f for f in doc["faults"] if isinstance(f, dict)]
    return [d for d in walk(doc) if "bdf" in d and "address" in d]


def compare_faults(name, got, want):
    """got: the tool's fault objects; want: kernel_faults() records."""
    if not check(f"{name}/count", len(got) == len(want),
                 f"tool reports {len(got)} faults, the kernel logged {len(want)}",
                 "\n".join(json.dumps(g) for g in got[:10])):
        return
    problems = []
    for g, w in zip(got, want):
        grp = int(DEVICES[w["bdf"]]["group"]) if DEVICES.get(w["bdf"], {}).get("group") else None
        if SMMU and w.get("bdf") in ALIASES:
            # a bridge's alias (secondary bus, devfn 0): the group of the bridge, whose
            # devices send with that ID
            b = DEVICES.get(ALIASES[w["bdf"]], {})
            grp = int(b["group"]) if b.get("group") else None
        if VIRTIO_UNITS:
            exp = {"seq": w["seq"], "timestamp_us": w["usec"], "vendor": "virtio-iommu",
                   "unit": w["unit"], "sid": w["sid"], "bdf": w["bdf"], "access": w["access"],
                   "address": w["address"], "group": grp,
                   "driver": DEVICES.get(w["bdf"], {}).get("driver")}
        elif SMMU:
            exp = {"seq": w["seq"], "timestamp_us": w["usec"], "vendor": "arm-smmu-v3",
                   "unit": w.get("smmu"), "sid": w.get("sid"), "ssid": w.get("ssid"), "bdf": w.get("bdf"),
                   "access": w.get("access"), "address": w.get("address"),
                   "reason_code": w.get("reason_code"), "group": grp,
                   "driver": DEVICES.get(w.get("bdf"), {}).get("driver")}
        else:
            exp = {"seq": w["seq"], "timestamp_us": w["usec"], "vendor": "intel", "bdf": w["bdf"],
                   "access": w["access"], "address": w["address"], "reason_code": w["reason_code"],
                   "reason": w["reason"], "pasid": w["pasid"], "group": grp,
                   "driver": DEVICES.get(w["bdf"], {}).get("driver")}
        for k, v in exp.items():
            if k not in g:
                problems.append(f"seq {w['seq']}: no key {k}")
                continue
            gv = hexint(g[k]) if k == "address" else g[k]
            if gv != v:
                problems.append(f"seq {w['seq']}: {k} {g[k]!r}, kernel {v!r}")
    check(f"{name}/fields", not problems, "; ".join(problems[:8]))


def check_faults():
    if not has("faults"):
        skip("facts/faults", "the binary has no faults command yet")
        if A.dma in ("faults", "few", "reads"):
            skip("facts/faults-follow", "the binary has no faults command yet")
        return
    want = kernel_faults()
    doc = live_json("faults")
    if doc is None:
        bad("facts/faults", "no faults JSON")
    else:
        compare_faults("facts/faults", fault_objects(doc), want)
        supp = sum(int(m.group(2)) for m in log_findall(SUPPRESSED_RX))
        keys = [(k, v) for d in walk(doc) for k, v in d.items() if "suppressed" in k and isinstance(v, int)
                and not isinstance(v, bool)]
        if keys and supp:
            check("facts/faults/suppressed", any(v == supp for _, v in keys),
                  f"kernel: {supp} callbacks suppressed; tool: {keys}")
        elif supp:
            skip("facts/faults/suppressed", f"the kernel suppressed {supp} callbacks; no 'suppressed' count in the JSON")
    if has("faults", "--check"):
        out, err, rc = (read(os.path.join(O, "live", "faults-check" + x)) for x in (".txt", ".err", ".rc"))
        same("facts/faults/check-exit", (rc or "").strip(), "1" if want else "0", "faults --check exit status")
    if A.dma not in ("faults", "few", "reads"):
        return
    if not has("faults", "--follow"):
        skip("facts/faults-follow", "the binary has no faults --follow yet")
        return
    objs = []
    bad_lines = 0
    for line in (read(os.path.join(O, "follow.ndjson")) or "").splitlines():
        try:
            objs.append(json.loads(line))
        except ValueError:
            bad_lines += 1
    check("facts/faults-follow/ndjson", bad_lines == 0, f"{bad_lines} lines are not JSON objects")
    # (it shows the log's faults first, as `dmesg -w` does: the arm64 guests have some from
    # before it started)
    compare_faults("facts/faults-follow", fault_objects(objs), want)
    progress = fact("follow-progress").splitlines()
    late = [p for p in progress if p.split()[3] != p.split()[5]]
    check("facts/faults-follow/live", progress and not late,
          "after a batch of faults the follower had not printed them all within 10 s: " + "; ".join(late))
    rc = (read(os.path.join(O, "follow.rc")) or "").strip()
    err = read(os.path.join(O, "follow.err")) or ""
    check("facts/faults-follow/sigterm", rc == "0" and not without_fw(err), f"exit {rc} on SIGTERM; stderr {err!r}")


# -------------------------------------------------------- unprivileged user
def check_user():
    out = read(os.path.join(O, "user", "status.json"))
    err = read(os.path.join(O, "user", "status.json.err")) or ""
    rc = (read(os.path.join(O, "user", "status.json.rc")) or "").strip()
    check("user/status/exit-0", rc == "0", f"exit {rc}: {err[:300]}")
    try:
        st = json.loads(out)
    except (TypeError, ValueError):
        bad("user/status/json", "not JSON", out)
        return
    root = live_json("status")
    same("user/status/same-verdict", (st["vendor"]["value"], st["active"]["value"], st["default_domain"]["value"]),
         (root["vendor"]["value"], root["active"]["value"], root["default_domain"]["value"]),
         "vendor, active and default domain as nobody (tool as root says")
    if fact("dmesg_restrict").strip() == "1":
        check("user/status/says-why-no-kernel-log",
              "/dev/kmsg" in err and "dmesg_restrict" in err and any("/dev/kmsg" in w for w in st["warnings"]),
              f"kernel.dmesg_restrict=1 but the warning does not say so: {err!r}")
    # groups as nobody: what it knows is what root knows; what it cannot know (null) it says why
    g_user, g_err = json.loads(read(os.path.join(O, "user", "groups.json"))), \
        read(os.path.join(O, "user", "groups.json.err")) or ""
    g_root = live_json("groups")
    differ, unknown = [], []

    def cmp(a, b, where):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                if k != "warnings":
                    cmp(a.get(k, "<absent>"), b.get(k, "<absent>"), f"{where}.{k}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                cmp(x, y, f"{where}[{i}]")
        elif a is None and b is not None:
            unknown.append(where)
        elif a != b:
            differ.append(f"{where}: {a!r} (root: {b!r})")

    cmp(g_user, g_root, "$")
    check("user/groups/known-values-as-root", not differ, "; ".join(differ[:6]))
    if unknown:
        keys = sorted({re.sub(r"\[\d+\]", "[]", u) for u in unknown})
        check("user/groups/unknowns-explained", g_user["warnings"] and g_err,
              f"as nobody {len(unknown)} values are null that root knows ({', '.join(keys)}), "
              f"and no warning says why")


# ------------------------------------------------------------------ the live view
def irq_rows(name):
    """{unit: count} of the IOMMU fault interrupt rows of a /proc/interrupts copy."""
    rows = {}
    for line in fact("../top/" + name).splitlines():
        w = line.split()
        if not w or not w[0].rstrip(":").isdigit():
            continue
        counts = [int(x) for x in w[1:] if x.isdigit()]
        if "DMAR-MSI" in w and w[-1].startswith("dmar"):
            rows[w[-1]] = rows.get(w[-1], 0) + sum(counts)
        elif w[-1].startswith("AMD-Vi"):
            rows["AMD-Vi"] = rows.get("AMD-Vi", 0) + sum(counts)
        elif w[-1] in ("arm-smmu-v3-evtq", "arm-smmu-v3-gerror"):
            # the CPUs' columns only: "12:  8  0  GICv3 106 Edge  arm-smmu-v3-evtq"
            chip = next(i for i, x in enumerate(w) if not x.isdigit() and i > 0)
            rows["arm-smmu-v3"] = rows.get("arm-smmu-v3", 0) + sum(int(x) for x in w[1:chip])
    return rows


def translated():
    """Do the disks sit in translated (DMA or DMA-FQ) domains?"""
    types = [GROUPS[int(d["group"])]["type"] for d in DEVICES.values()
             if d.get("driver") in ("nvme", "virtio-pci") and d.get("group")]
    return bool(types) and all(t in ("DMA", "DMA-FQ") for t in types)


def counts(recs, path):
    """The interval counts of one rate over records 2.. (None where it had none)."""
    out = []
    for r in recs[1:]:
        v = r
        for k in path:
            v = v.get(k) if isinstance(v, dict) else None
        out.append(v.get("count") if isinstance(v, dict) else None)
    return out


def check_top():
    if "top" not in COMPLETE.get("commands", []):
        skip("top", "the binary has no top command")
        return
    T = os.path.join(O, "top")
    args = (read(os.path.join(T, "args")) or "").split()
    if not check("top/ran", len(args) == 2, "the guest did not run top (no top/args)"):
        return
    n = int(args[0])
    rc = (read(os.path.join(T, "top.rc")) or "").strip()
    err = read(os.path.join(T, "top.err")) or ""
    check("top/exit-0-no-warnings", rc == "0" and not without_fw(err), f"exit {rc}; stderr {err[:300]!r}")
    recs, bad_lines = [], 0
    for line in (read(os.path.join(T, "top.ndjson")) or "").splitlines():
        try:
            recs.append(json.loads(line))
        except ValueError:
            bad_lines += 1
    # one document a line, each with schema_version first and warnings last (dicts keep the order)
    check("top/ndjson-contract", not bad_lines and len(recs) == n and all(
        list(r)[:1] == ["schema_version"] and list(r)[-1:] == ["warnings"] for r in recs),
        f"{len(recs)} records of {n}, {bad_lines} lines not JSON")
    if len(recs) < 2:
        bad("top/records", f"{len(recs)} records: no interval to check")
        return
    last = recs[-1]
    same("top/units", sorted(u["name"] for u in last["units"]), sorted(UNITS), "units (sysfs class/iommu)")
    src = last["sources"]
    check("top/sources-live-as-root", src["interrupts"]["live"] and src["kmsg"]["live"],
          f"interrupts {src['interrupts']}, kmsg {src['kmsg']}")
    tp = src["tracepoints"]
    maps, unmaps = counts(recs, ["system", "maps"]), counts(recs, ["system", "unmaps"])
    if not UNITS:
        check("top/map-unmap-no-iommu", tp["reason"] == "no-iommu" and all(not c for c in maps + unmaps),
              f"no unit: tracepoints {tp}, maps per interval {maps}, unmaps {unmaps}")
    elif translated():
        check("top/map-unmap-live", tp["live"], f"tracepoints not live in translated domains: {tp}")
        check("top/map-unmap-nonzero", all(c is not None for c in maps + unmaps) and sum(maps) > 0
              and sum(unmaps) > 0, f"maps per interval {maps}, unmaps {unmaps} while the disks were read")
    else:
        check("top/map-unmap-identity", tp["reason"] == "identity" and all(not c for c in maps + unmaps),
              f"under iommu=pt: tracepoints {tp}, maps per interval {maps}, unmaps {unmaps}")
    # the faults: top's counts against `faults` run right after it, up to the last log record
    # top could have read (end-seq: when it ended)
    end = int((read(os.path.join(T, "end-seq")) or "-1").strip() or -1)
    try:
        fdoc = json.loads(read(os.path.join(T, "faults.json")) or "")
    except ValueError:
        bad("top/faults-json", "no `faults --json` output")
        return
    flt = [f for f in fdoc["faults"] if f["seq"] is not None and f["seq"] <= end]
    by_dev = {}
    for f in flt:
        by_dev[f["bdf"]] = by_dev.get(f["bdf"], 0) + 1
    got = {d["bdf"]: d["faults_total"] for d in last["devices"] if d["faults_total"]}
    same("top/faults-total-per-device", got, by_dev, "faults_total per device (faults --json up to that seq")
    same("top/faults-total", last["system"]["fault_records"]["total"], len(flt), "faults in the log")
    listed = [f["seq"] for r in recs for f in r["faults"]]
    same("top/fault-log-seqs", listed, [f["seq"] for f in flt], "the faults listed, record by record")
    per_iv = counts(recs, ["system", "fault_records"])
    same("top/fault-records-per-interval", sum(c or 0 for c in per_iv),
         last["system"]["fault_records"]["total"] - recs[0]["system"]["fault_records"]["total"],
         "the intervals' counts add up to what came while top ran")
    supp = sum(int(m.group(2)) for r in KMSG if r["seq"] <= end
               for m in [re.match(SUPPRESSED_RX, r["text"])] if m)
    same("top/suppressed", last["system"]["suppressed"], supp, "callbacks suppressed in the log")
    # the fault interrupts: each unit's counts over the intervals are what /proc/interrupts
    # gained between just before top started and just after it ended
    before, after = irq_rows("irq-before"), irq_rows("irq-after")
    for u in last["units"]:
        row = u["name"] if u["name"] in after else "AMD-Vi" if "AMD-Vi" in after else \
            "arm-smmu-v3" if "arm-smmu-v3" in after else None
        c = []
        for r in recs[1:]:
            x = next((y for y in r["units"] if y["name"] == u["name"]), None)
            c.append(x["fault_interrupts"]["count"] if x and x["fault_interrupts"] else None)
        if row is None and u["name"] in VIRTIO_UNITS:
            # its events come on a virtqueue, whose interrupt is the whole device's
            check(f"top/{u['name']}/fault-interrupts", u["fault_interrupts"] is None,
                  f"a virtio-iommu has no fault interrupt of its own: {u['fault_interrupts']}")
            continue
        if row is None:
            bad(f"top/{u['name']}/fault-interrupts", "no fault interrupt row in /proc/interrupts")
            continue
        want = after[row] - before.get(row, 0)
        check(f"top/{u['name']}/fault-interrupts", all(x is not None for x in c) and sum(c) == want,
              f"per interval {c}; /proc/interrupts {row} went from {before.get(row)} to {after[row]}")
    if A.dma == "faults":
        check("top/faults-in-the-interval", sum(c or 0 for c in per_iv) > 0 and
              sum(after.values()) > sum(before.values()),
              f"no fault came while top ran (records per interval {per_iv}, interrupts "
              f"{before} to {after}): the test did not test")
    # as an unprivileged user: the interrupts, and what root would add
    urc = (read(os.path.join(T, "user.rc")) or "").strip()
    utxt = read(os.path.join(T, "user.txt")) or ""
    uerr = read(os.path.join(T, "user.err")) or ""
    check("top/user/exit-0", urc == "0" and utxt.count(" iommu-inspect top") == 2,
          f"exit {urc}; stderr {uerr[:300]!r}")
    live_line = next((l for l in utxt.splitlines() if l.startswith("live:")), "")
    check("top/user/interrupts-live", "interrupts" in live_line, f"as nobody: {live_line!r}")
    # the first frame's sources that are not live, one a line (wrapped lines indented further)
    first = utxt.split("\n\n")[0].splitlines()
    offs = {l.split()[0]: l for l in first if l.startswith("  ") and not l.startswith("   ")}
    # (without a unit there is nothing to count, for root either)
    missing = [k for k in ("log", "map/unmap") if "run as root" not in offs.get(k, "")
               and (UNITS or k == "log")]
    check("top/user/says-what-root-adds", not missing,
          f"as nobody the source lines of {missing} do not say root would have them: {list(offs.values())}")
    if UNITS:
        check("top/user/interrupt-counts",
              re.search(r"^dmar0 |^ivhd0 |^smmu3\.|^(%s) " % "|".join(map(re.escape, VIRTIO_UNITS or ["-"])),
                        utxt, re.M) is not None,
              "no unit row as nobody")


def check_activity():
    if A.dma != "faults" or not has_snapshot_activity():
        return
    rc = (read(os.path.join(O, "activity.rc")) or "").strip()
    err = read(os.path.join(O, "activity.err")) or ""
    snap = os.path.join(O, "activity.tar.gz")
    if not check("activity/snapshot", rc == "0" and os.path.exists(snap) and not without_fw(err),
                 f"exit {rc}: {err[:300]}"):
        return
    import tarfile
    with tarfile.open(snap) as tf:
        m = [x for x in tf.getmembers() if x.name.endswith("iommu-inspect-activity.ndjson")]
        rec = [json.loads(l) for l in tf.extractfile(m[0]).read().decode().splitlines()] if m else []
    readings = [r for r in rec if r.get("type") == "reading"]
    kmsg = [r for r in rec if r.get("type") == "kmsg"]
    check("activity/readings", len(readings) == 4 and rec[0]["type"] == "header" and rec[0]["live"],
          f"{len(readings)} readings")
    maps = [c["value"] for r in readings for c in r["counters"] if c["kind"] == "map" and c["ok"]]
    check("activity/maps-counted", len(maps) == 4 and maps[-1] > maps[0], f"iommu:map values {maps}")
    check("activity/fault-recorded", any("DMAR: [DMA" in r["text"] or SMMU_EVT_RX.match(r["text"]) for r in kmsg),
          f"no fault among the {len(kmsg)} log records of the recording")
    # its replay: every reading a sample, the faults of the recording decoded
    p = subprocess.run([A.bin, "--root", snap, "--pci-ids", A.pci_ids, "top", "--json"],
                       capture_output=True, text=True)
    try:
        out = [json.loads(l) for l in p.stdout.splitlines()]
    except ValueError:
        out = []
    check("activity/replay", p.returncode == 0 and len(out) == 4 and not without_fw(p.stderr),
          f"exit {p.returncode}, {len(out)} records: {p.stderr[:300]}")
    if out:
        f = subprocess.run([A.bin, "--root", snap, "--pci-ids", A.pci_ids, "faults", "--json"],
                           capture_output=True, text=True)
        n = len(json.loads(f.stdout)["faults"]) if f.returncode == 0 else None
        same("activity/replay-faults", out[-1]["system"]["fault_records"]["total"],
             n + sum(1 for r in kmsg if FAULT_RX.match(r["text"]) or SMMU_EVT_RX.match(r["text"]))
             if n is not None else None,
             "faults of the snapshot's log and of its recording")


def has_snapshot_activity():
    return any(o.startswith("--activity") for o in COMPLETE.get("snapshot", []))


def check_vfio():
    """check's verdict on the e1000 behind the PCIe-to-PCI bridge agrees with a real
    VFIO open of its group, before the steps, with the device alone on vfio-pci, and with
    its companion too; the verdict flips when the open does."""
    if not has("check"):
        skip("vfio/check", "no check command")
        return
    d = os.path.join(O, "vfio")
    if not os.path.exists(os.path.join(d, "devices")):
        bad("vfio/devices", "the guest found no e1000 and virtio-rng behind the PCIe-to-PCI bridge")
        return
    nic, rng = read(os.path.join(d, "devices")).split()
    nic_group = DEVICES.get(nic, {}).get("group")
    verdicts = []
    for step in ("0-before", "1-device", "2-companion"):
        rc = (read(os.path.join(d, step + ".rc")) or "").strip()
        opened = (read(os.path.join(d, step + ".open.rc")) or "").strip() == "0"
        how = (read(os.path.join(d, step + ".open")) or "").strip()
        try:
            doc = json.loads(read(os.path.join(d, step + ".json")) or "")
            dev = [x for x in doc["devices"] if x["bdf"] == nic][0]
        except (ValueError, IndexError, KeyError):
            bad(f"vfio/{step}/json", "check --json wrote no verdict for " + nic)
            verdicts.append(None)
            continue
        now = dev["verdict"] == "assignable-now"
        verdicts.append(now)
        check(f"vfio/{step}/agrees", now == opened and (rc == "0") == now,
              f"check: {dev['verdict']} ({', '.join(dev['because'])}), exit {rc}; VFIO: {how}")
        if step == "1-device" and not GROUPS:
            check("vfio/1-device/no-group", "no-iommu" in dev["because"] and not dev["companions"],
                  f"no IOMMU group in the guest; check says: companions {dev['companions']}, "
                  f"because {dev['because']}")
        elif step == "1-device" and nic_group is None:
            skip("vfio/1-device/companion-named", f"{nic} is in no group (the kernel's own view)")
        elif step == "1-device":
            comp = {c["bdf"]: c["action"] for c in dev["companions"]}
            check("vfio/1-device/companion-named", comp.get(rng) == "bind-vfio-pci"
                  and "companion-bound" in dev["because"], f"companions {comp}; because {dev['because']}")
    intremap = ((live_json("status") or {}).get("interrupt_remapping") or {}).get("value")
    msi = ((live_json("status") or {}).get("msi_isolation") or {}).get("value")
    if nic_group is None:
        same("vfio/verdict-never", verdicts, [False, False, False],
             f"{nic} in no group: assignable now at no step")
    elif intremap == "enabled" or (SMMU and msi == "its"):
        same("vfio/verdict-flips", verdicts, [False, False, True], "assignable now at each step")
    else:
        skip("vfio/verdict-flips", f"interrupt remapping {intremap}: vfio_iommu_type1 refuses every group")


def main():
    if not KMSG:
        bad("guest/kernel-log-read", "no kernel log records from the guest")
        return
    for section in (check_guest, check_live, check_metrics_promtool, check_replay, check_status,
                    check_groups, check_devices, check_iommus, check_acpi, check_faults,
                    check_user, check_top, check_activity, check_vfio):
        try:
            section()
        except (KeyError, TypeError, IndexError, AttributeError, ValueError) as e:
            # a key the checks expect is missing or of another type: the rest of the section is lost
            bad(f"{section.__name__.replace('check_', '')}/json-shape",
                f"{type(e).__name__}: {e} (the output lacks what the checks expect)")


main()
print(f"PLAN {COUNTED}")
