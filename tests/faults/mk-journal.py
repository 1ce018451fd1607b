#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
mk-journal.py: journal export format for the journal tests and benchmark,
which systemd-journal-remote turns into real journal files.

    tests/faults/mk-journal.py --out FILE.export
        two boots of fixtures/intel-faults' machine (its boot id last): kernel
        records with faults of its devices 0000:07:00.0 and 0000:07:00.1, an AMD
        fault with its _KERNEL_DEVICE, a multi-line message, ratelimit and
        noise, and other programs' entries that mention DMAR (not the kernel's);
        a manifest FILE.json of the faults each boot has
    tests/faults/mk-journal.py --from-kmsg FILE.kmsg --out FILE.export
        every /dev/kmsg record of FILE as a kernel entry of one boot (the
        benchmark: tests/faults/mk-corpus.py --bench makes FILE)
    tests/faults/mk-journal.py --boot KMSG,BOOT_ID,BTIME [--boot ...] --out FILE.export
        real boots, oldest first: every record of each /dev/kmsg dump KMSG as
        a kernel entry of the boot BOOT_ID that started at BTIME (seconds since
        the epoch, /proc/stat's btime), as journald would store them: the
        record's \\xNN escapes undone, its SUBSYSTEM= and DEVICE= lines as
        _KERNEL_SUBSYSTEM and _KERNEL_DEVICE (tests/vm/check-boots.py)

Entries are written in time order, each with __REALTIME_TIMESTAMP,
__MONOTONIC_TIMESTAMP, _BOOT_ID, _TRANSPORT, PRIORITY,
_SOURCE_MONOTONIC_TIMESTAMP and MESSAGE (in the binary form when it holds a
newline), as `journalctl -o export` writes them.
"""
import argparse
import json
import re
import struct
import sys

BOOT_OLD = "0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5f"
BOOT_NEW = "5a0d6b1e2c3f4a5b6c7d8e9f00112233"
MACHINE = "3c1219c7c4c5404aaa1f6d2a48adfd00"
T0 = 1795322400000000  # 2026-11-22T04:40:00Z, in us


def field(name, value):
    if isinstance(value, str):
        value = value.encode()
    if b"\n" in value:
        return name.encode() + b"\n" + struct.pack("<Q", len(value)) + value + b"\n"
    return name.encode() + b"=" + value + b"\n"


def entry(boot, rt, mono, msg, prio=3, transport="kernel", device=None, ident="kernel"):
    out = [field("__REALTIME_TIMESTAMP", str(rt)), field("__MONOTONIC_TIMESTAMP", str(mono)),
           field("_BOOT_ID", boot), field("_MACHINE_ID", MACHINE), field("_HOSTNAME", "testhost"),
           field("_TRANSPORT", transport), field("PRIORITY", str(prio)),
           field("SYSLOG_IDENTIFIER", ident)]
    if transport == "kernel":
        out.append(field("SYSLOG_FACILITY", "0"))
        out.append(field("_SOURCE_MONOTONIC_TIMESTAMP", str(mono - 7)))
    if device:
        out.append(field("_KERNEL_DEVICE", device))
        out.append(field("_KERNEL_SUBSYSTEM", device.split(":")[0].lstrip("+")))
    out.append(field("MESSAGE", msg))
    return b"".join(out) + b"\n"


def intel(dev, addr, write=False, code=6):
    reason = {5: "PTE Write access is not set", 6: "PTE Read access is not set"}[code]
    return ("DMAR: [DMA %s NO_PASID] Request device [%s] fault addr 0x%x [fault reason 0x%02x] %s"
            % ("Write" if write else "Read", dev, addr, code, reason))


def boot_records(boot, base_rt, n, seed):
    """(entries, faults): the kernel records and other programs' entries of one boot."""
    recs, faults = [], []
    mono = 1000000

    def k(msg, **kw):
        nonlocal mono
        mono += 1000
        recs.append(entry(boot, base_rt + mono, mono, msg, **kw))

    k("Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org)", prio=5)
    k("DMAR: IOMMU enabled", prio=6)
    for i in range(n):
        addr = 0x100000 * seed + 0x1000 * (i + 1)
        dev = "07:00.%d" % (i % 2)
        k("DMAR: DRHD: handling fault status reg 2")
        k(intel(dev, addr, write=bool(i % 2), code=5 if i % 2 else 6))
        faults.append({"vendor": "intel", "bdf": "0000:" + dev, "address": hex(addr),
                       "usec": mono - 7})
        k("e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex", prio=6)
        # another program's entry that quotes a fault line: not the kernel's
        recs.append(entry(boot, base_rt + mono + 1, mono + 1, "logger: " + intel("07:00.0", 0xdead000),
                          prio=5, transport="syslog", ident="logger"))
    # an AMD fault printed on the faulting device, with its device in the record
    addr = 0xfee00000 + seed
    k("nvme 0000:07:00.1: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x000c address=0x%x "
      "flags=0x0020]" % addr, device="+pci:0000:07:00.1")
    faults.append({"vendor": "amd", "bdf": "0000:07:00.1", "address": hex(addr), "usec": mono - 7})
    # a 2.6-3.x fault in two lines of one record (a message with a newline)
    addr = 0x7000 + seed
    k("DMAR:[DMA Read] Request device [07:00.0] fault addr %x\nDMAR:[fault reason 06] PTE Read "
      "access is not set" % addr)
    faults.append({"vendor": "intel", "bdf": "0000:07:00.0", "address": hex(addr), "usec": mono - 7})
    k("dmar_fault: 3 callbacks suppressed", prio=4)
    return recs, faults


def two_boots(out):
    old, f_old = boot_records(BOOT_OLD, T0, 4, 1)
    new, f_new = boot_records(BOOT_NEW, T0 + 3600 * 1000000, 3, 2)
    with open(out, "wb") as f:
        f.write(b"".join(old + new))
    with open(out.rsplit(".", 1)[0] + ".json", "w") as f:
        json.dump({"machine_id": MACHINE, "boots": [{"id": BOOT_OLD, "faults": f_old},
                                                     {"id": BOOT_NEW, "faults": f_new}]},
                  f, indent=1)


def from_kmsg(kmsg, out):
    """Every record of a /dev/kmsg file as a kernel entry of one boot."""
    n = 0
    with open(kmsg, "rb") as f, open(out, "wb") as o:
        for line in f:
            if line.startswith(b" "):
                continue  # a dictionary line
            head, _, text = line.rstrip(b"\n").partition(b";")
            parts = head.split(b",")
            if len(parts) < 3:
                continue
            us = int(parts[2])
            msg = text.decode("utf-8", "replace").encode()
            o.write(entry(BOOT_NEW, T0 + us, us + 7, msg.replace(b"\\x0a", b"\n"),
                          prio=int(parts[0]) & 7))
            n += 1
    return n


def unescape(b):
    """/dev/kmsg's \\xNN escapes (non-printable bytes, backslash) undone."""
    return re.sub(rb"\\x([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), b)


def real_boots(boots, out):
    """Records of real /dev/kmsg dumps, one boot each; entries and faults per boot."""
    n = []
    with open(out, "wb") as o:
        for spec in boots:
            kmsg, boot, btime = spec.split(",")
            boot = boot.replace("-", "").strip().lower()
            base = int(btime) * 1000000
            recs = []
            with open(kmsg, "rb") as f:
                for line in f:
                    line = line.rstrip(b"\n")
                    if line.startswith(b" "):
                        if recs:
                            recs[-1][3].append(line[1:])
                        continue
                    head, sep, text = line.partition(b";")
                    parts = head.split(b",")
                    if not sep or len(parts) < 3:
                        continue
                    recs.append((int(parts[0]) & 7, int(parts[2]), unescape(text), []))
            for prio, us, text, extra in recs:
                kv = dict(e.split(b"=", 1) for e in extra if b"=" in e)
                dev = kv.get(b"DEVICE", b"").decode() or None
                e = entry(boot, base + us, us + 7, text, prio=prio, device=dev)
                sub = kv.get(b"SUBSYSTEM")
                if sub and not dev:
                    e = e[:-1] + field("_KERNEL_SUBSYSTEM", sub) + b"\n"
                o.write(e)
            n.append(len(recs))
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--out", required=True)
    ap.add_argument("--from-kmsg")
    ap.add_argument("--boot", action="append", default=[], metavar="KMSG,BOOT_ID,BTIME")
    a = ap.parse_args()
    if a.boot:
        print("entries per boot: " + " ".join(map(str, real_boots(a.boot, a.out))))
    elif a.from_kmsg:
        print("%d entries" % from_kmsg(a.from_kmsg, a.out))
    else:
        two_boots(a.out)


if __name__ == "__main__":
    sys.exit(main())
