#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the synthetic kernel-log corpora of fixtures/kmsg/ for `faults`.

    tests/faults/mk-corpus.py [--out fixtures/kmsg]          the committed corpora
    tests/faults/mk-corpus.py --bench FILE [--lines N]       a large /dev/kmsg file

The templates are those of kernel-interfaces.md §5.2-§5.5 (and the 2.6/3.x and 4.x
forms that came before), written from the reference, not from kernel sources:

  intel.kmsg    every Intel DMAR line format and every reason code, status lines,
                ratelimit suppression, PTE dumps and boot lines around them
  amd.kmsg      every AMD-Vi event, old and new device fields, the three printing
                paths, 4.x split records, "not attached" pairs, UNKNOWN events
  smmu.kmsg     SMMUv3 raw dumps (5.x-6.12), 7.x raw + decoded, decoded alone,
                SMMUv2 context faults, event queue overflow, virtio-iommu faults
  garbage.kmsg  malformed, truncated and overlong fault lines, records that are not
                records, user-space records, escapes, orphaned halves
  mixed.kmsg    a bit of everything, also written as log text in every layout
                users paste: dmesg (plain, -T, -t, -r, -x, -d, iso, reltime),
                journalctl -k (short, short-precise, short-iso, short-full,
                short-monotonic), rsyslog kern.log, and a 2.6-era dmesg

The output is deterministic. Boot time of the text forms: BOOT below (UTC).
"""
import argparse
import datetime
import os
import random
import sys

BOOT = datetime.datetime(2026, 11, 22, 4, 40, 0, tzinfo=datetime.timezone.utc)
HOST = "testhost"

# ------------------------------------------------------------------ reasons

INTEL_LEGACY = [
    "Software", "Present bit in root entry is clear", "Present bit in context entry is clear",
    "Invalid context entry", "Access beyond MGAW", "PTE Write access is not set",
    "PTE Read access is not set", "Next page table ptr is invalid", "Root table address invalid",
    "Context table ptr is invalid", "non-zero reserved fields in RTP",
    "non-zero reserved fields in CTP", "non-zero reserved fields in PTE",
    "PCE for translation request specifies blocking",
]
INTEL_IRQ = [
    "Detected reserved fields in the decoded interrupt-remapped request",
    "Interrupt index exceeded the interrupt-remapping table size",
    "Present field in the IRTE entry is clear",
    "Error accessing interrupt-remapping table pointed by IRTA_REG",
    "Detected reserved fields in the IRTE entry",
    "Blocked a compatibility format interrupt request",
    "Blocked an interrupt request due to source-id verification failure",
]
INTEL_SM = {
    0x30: "SM: Invalid Root Table Address", 0x31: "SM: TTM 0 for request with PASID",
    0x32: "SM: TTM 0 for page group request", 0x38: "SM: Error attempting to access Root Entry",
    0x39: "SM: Present bit in Root Entry is clear",
    0x3a: "SM: Non-zero reserved field set in Root Entry",
    0x40: "SM: Error attempting to access Context Entry",
    0x41: "SM: Present bit in Context Entry is clear",
    0x42: "SM: Non-zero reserved field set in the Context Entry", 0x43: "SM: Invalid Context Entry",
    0x44: "SM: DTE field in Context Entry is clear",
    0x45: "SM: PASID Enable field in Context Entry is clear",
    0x46: "SM: PASID is larger than the max in Context Entry",
    0x47: "SM: PRE field in Context-Entry is clear", 0x48: "SM: RID_PASID field error in Context-Entry",
    0x50: "SM: Error attempting to access the PASID Directory Entry",
    0x51: "SM: Present bit in Directory Entry is clear",
    0x52: "SM: Non-zero reserved field set in PASID Directory Entry",
    0x58: "SM: Error attempting to access PASID Table Entry",
    0x59: "SM: Present bit in PASID Table Entry is clear",
    0x5a: "SM: Non-zero reserved field set in PASID Table Entry",
    0x5b: "SM: Invalid Scalable-Mode PASID Table Entry",
    0x5c: "SM: ERE field is clear in PASID Table Entry",
    0x5d: "SM: SRE field is clear in PASID Table Entry",
    0x70: "SM: Error attempting to access first-level paging entry",
    0x71: "SM: Present bit in first-level paging entry is clear",
    0x72: "SM: Non-zero reserved field set in first-level paging entry",
    0x73: "SM: Error attempting to access FL-PML4 entry",
    0x74: "SM: First-level entry address beyond MGAW in Nested translation",
    0x75: "SM: Read permission error in FL-PML4 entry in Nested translation",
    0x76: "SM: Read permission error in first-level paging entry in Nested translation",
    0x77: "SM: Write permission error in first-level paging entry in Nested translation",
    0x78: "SM: Error attempting to access second-level paging entry",
    0x79: "SM: Read/Write permission error in second-level paging entry",
    0x7a: "SM: Non-zero reserved field set in second-level paging entry",
    0x7b: "SM: Invalid second-level page table pointer",
    0x7c: "SM: A/D bit update needed in second-level entry when set up in no snoop",
    0x80: "SM: Address in first-level translation is not canonical",
    0x81: "SM: U/S set 0 for first-level translation with user privilege",
    0x82: "SM: No execute permission for request with PASID and ER=1",
    0x83: "SM: Address beyond the DMA hardware max", 0x84: "SM: Second-level entry address beyond the max",
    0x85: "SM: No write permission for Write/AtomicOp request",
    0x86: "SM: No read permission for Read/AtomicOp request",
    0x87: "SM: Invalid address-interrupt address",
    0x90: "SM: A/D bit update needed in first-level entry when set up in no snoop",
}


def intel_reason(code):
    """The kernel's lookup order: interrupt remapping, scalable mode, legacy, Unknown."""
    if 0x20 <= code <= 0x26:
        return INTEL_IRQ[code - 0x20]
    if 0x30 <= code <= 0x90:
        return INTEL_SM.get(code, "Unknown")
    if code <= 0x0d:
        return INTEL_LEGACY[code]
    return "Unknown"


# A few codes the kernel prints as "Unknown": gaps of each table and beyond them.
INTEL_UNKNOWN = [0x0e, 0x1f, 0x27, 0x2f, 0x33, 0x49, 0x91, 0xff]
INTEL_CODES = list(range(0x00, 0x0e)) + list(range(0x20, 0x27)) + sorted(INTEL_SM) + INTEL_UNKNOWN


# ------------------------------------------------------------------ a log

class Log:
    """Records as the kernel keeps them: time, level, text (newlines kept), dictionary."""

    def __init__(self, start_seq=0, start_us=0):
        self.recs = []
        self.seq = start_seq
        self.us = start_us

    def add(self, text, prio=3, dt=1000, dict_=None, facility=0, cont=False, seq_gap=0):
        self.us += dt
        self.seq += seq_gap
        self.recs.append((self.seq, self.us, (facility << 3) | prio, text, dict_ or [], cont))
        self.seq += 1

    def dev(self, text, drv, name, prio=3, dt=1000, subsystem=None):
        """A dev_printk message: prefix and dictionary."""
        sub = subsystem or ("pci" if name.count(":") == 2 else "platform")
        self.add("%s %s: %s" % (drv, name, text), prio, dt,
                 ["SUBSYSTEM=%s" % sub, "DEVICE=+%s:%s" % (sub, name)])


def kmsg_escape(s):
    out = []
    for ch in s.encode("utf-8", "surrogateescape"):
        if ch < 0x20 or ch >= 0x7f or ch == 0x5c:
            out.append("\\x%02x" % ch)
        else:
            out.append(chr(ch))
    return "".join(out)


def write_kmsg(log, path):
    with open(path, "w", newline="\n") as f:
        for seq, us, prio, text, dict_, cont in log.recs:
            f.write("%d,%d,%d,%s;%s\n" % (prio, seq, us, "c" if cont else "-", kmsg_escape(text)))
            for kv in dict_:
                f.write(" %s\n" % kmsg_escape(kv))


# ------------------------------------------------------------------ text layouts

def wall(us):
    return BOOT + datetime.timedelta(microseconds=us)


def stamp(us):
    return "[%5d.%06d]" % (us // 1000000, us % 1000000)


LEVELS = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]


def layout(name, us, prio):
    """The prefix of a line in each layout, and the indent of its continuation lines."""
    w = wall(us)
    if name == "dmesg":
        return stamp(us) + " "
    if name == "dmesg-T":
        return "[%s] " % w.strftime("%a %b %e %H:%M:%S %Y")
    if name == "dmesg-t":
        return ""
    if name == "dmesg-r":
        return "<%d>%s " % (prio, stamp(us))
    if name == "dmesg-x":
        return "kern  :%-6s: %s " % (LEVELS[prio & 7], stamp(us))
    if name == "dmesg-d":
        return "[%5d.%06d <%12.6f>] " % (us // 1000000, us % 1000000, 0.001)
    if name == "dmesg-iso":
        return w.strftime("%Y-%m-%dT%H:%M:%S,") + "%06d+00:00 " % w.microsecond
    if name == "journal":
        return w.strftime("%b %d %H:%M:%S ") + HOST + " kernel: "
    if name == "journal-precise":
        return w.strftime("%b %d %H:%M:%S.") + "%06d %s kernel: " % (w.microsecond, HOST)
    if name == "journal-iso":
        return w.strftime("%Y-%m-%dT%H:%M:%S+0000 ") + HOST + " kernel: "
    if name == "journal-full":
        return w.strftime("%a %Y-%m-%d %H:%M:%S UTC ") + HOST + " kernel: "
    if name == "journal-monotonic":
        return stamp(us) + " " + HOST + " kernel: "
    if name == "syslog":
        return w.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d+00:00 %s kernel: %s " % (
            w.microsecond, HOST, stamp(us))
    raise ValueError(name)


TEXT_LAYOUTS = ["dmesg", "dmesg-T", "dmesg-t", "dmesg-r", "dmesg-x", "dmesg-d", "dmesg-iso",
                "journal", "journal-precise", "journal-iso", "journal-full",
                "journal-monotonic", "syslog"]


def write_text(log, path, name):
    """Every record, its continuation lines indented as dmesg and journalctl do; rsyslog
    writes a record's newlines as #012; the journal starts with a header line."""
    with open(path, "w", newline="\n") as f:
        if name.startswith("journal"):
            f.write("-- Logs begin at %s, end at %s. --\n" % (
                wall(0).strftime("%a %Y-%m-%d %H:%M:%S UTC"),
                wall(log.us).strftime("%a %Y-%m-%d %H:%M:%S UTC")))
        for seq, us, prio, text, dict_, cont in log.recs:
            if prio >> 3:
                continue  # dmesg shows user-space records too, but not in these samples
            pre = layout(name, us, prio)
            lines = text.split("\n")
            if name == "syslog":
                f.write(pre + "#012".join(lines) + "\n")
                continue
            f.write(pre + lines[0] + "\n")
            for more in lines[1:]:
                f.write(" " * len(pre) + more + "\n")
        if name == "journal":
            f.write("-- Boot 0f3c5d2a9e8b4c7d8e9f0a1b2c3d4e5f --\n")
            f.write(layout(name, log.us + 5000000, 3) + "DMAR: [DMA Write NO_PASID] Request "
                    "device [00:05.0] fault addr 0x9000 [fault reason 0x05] PTE Write access "
                    "is not set\n")


def write_old_dmesg(path):
    """A 2.6-era dmesg: each line of a multi-line printk has its own timestamp."""
    t = 123456789
    rows = [
        "DRHD: handling fault status reg 2",
        "DMAR:[DMA Read] Request device [00:1a.0] fault addr 7f7c6000 ",
        "DMAR:[fault reason 06] PTE Read access is not set",
        "dmar: DRHD: handling fault status reg 3",
        "dmar: DMAR:[DMA Write] Request device [00:1f.2] fault addr 3fae7000 ",
        "DMAR:[fault reason 05] PTE Write access is not set",
        "INTR-REMAP: Request device [[f0:1f.0] fault index 0",
        "INTR-REMAP:[fault reason 34] Present field in the IRTE entry is clear",
        "AMD-Vi: Event logged [IO_PAGE_FAULT device=00:14.0 domain=0x0000 "
        "address=0x000000fdf8000000 flags=0x0010]",
        "AMD-Vi: Event logged [",
        "IO_PAGE_FAULT device=00:12.0 domain=0x0000 address=0x000000fdf9103300 flags=0x0030]",
        "DMAR:[DMA Read] Request device [00:02.0] fault addr 7fe00000 ",
        "usb 1-1: new high-speed USB device number 2 using ehci_hcd",
    ]
    with open(path, "w", newline="\n") as f:
        for i, r in enumerate(rows):
            f.write("[%5d.%06d] %s\n" % (t // 1000000, t % 1000000, r))
            t += 37 if i % 3 else 1500


# ------------------------------------------------------------------ Intel

def intel_log():
    log = Log(start_seq=1000, start_us=5000000)
    log.add("Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)", prio=5, dt=0)
    log.add("DMAR: Host address width 39", prio=6)
    log.add("DMAR: DRHD base: 0x000000fed90000 flags: 0x0", prio=6)
    log.add("DMAR: [Firmware Bug]: No firmware reserved region can cover this RMRR "
            "[0x000000007c000000-0x000000007e7fffff], contact BIOS vendor for fixes", prio=3)
    # 2.6-3.x: two lines; in /dev/kmsg one record with an embedded newline (3.5 and later) ...
    log.add("DRHD: handling fault status reg 2")
    log.add("DMAR:[DMA Read] Request device [00:02.0] fault addr 7fe00000 \n"
            "DMAR:[fault reason 06] PTE Read access is not set")
    # ... or two records, with the 3.x "dmar: " module prefix
    log.add("dmar: DRHD: handling fault status reg 2")
    log.add("dmar: DMAR:[DMA Write] Request device [00:1f.2] fault addr 3fae7000 ")
    log.add("DMAR:[fault reason 05] PTE Write access is not set", dt=20)
    log.add("dmar: INTR-REMAP: Request device [[f0:1f.0] fault index 0\n"
            "INTR-REMAP:[fault reason 34] Present field in the IRTE entry is clear")
    # a first half whose second never came
    log.add("DMAR:[DMA Read] Request device [00:03.0] fault addr 12345000 ")
    log.add("e1000e 0000:01:00.0 eth0: NIC Link is Up 1000 Mbps Full Duplex", prio=6)
    # 4.x
    log.add("DMAR: DRHD: handling fault status reg 2")
    log.add("DMAR: [DMA Read] Request device [00:02.0] fault addr 7fe00000 [fault reason 06] "
            "PTE Read access is not set")
    log.add("DMAR: [INTR-REMAP] Request device [f0:1f.0] fault index 18 [fault reason 38] "
            "Blocked an interrupt request due to source-id verification failure")
    # 5.4, 5.10: PASID in hex (ffffffff: none), reason in decimal, no 0x
    log.add("DMAR: [DMA Read] Request device [03:00.0] PASID ffffffff fault addr ffa3f000 "
            "[fault reason 06] PTE Read access is not set")
    log.add("DMAR: [DMA Write] Request device [03:00.0] PASID 2 fault addr ffa40000 "
            "[fault reason 133] SM: No write permission for Write/AtomicOp request")
    log.add("DMAR: [INTR-REMAP] Request device [00:1f.0] fault index 8 [fault reason 34] "
            "Present field in the IRTE entry is clear")
    # 5.15-6.12
    log.add("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 "
            "[fault reason 0x06] PTE Read access is not set")
    log.add("DMAR: [DMA Read PASID 0x2] Request device [00:02.0] fault addr 0x1000 "
            "[fault reason 0x71] SM: Present bit in first-level paging entry is clear")
    log.add("DMAR: [INTR-REMAP] Request device [f0:1f.0] fault index 0x8 [fault reason 0x22] "
            "Present field in the IRTE entry is clear")
    # 6.1 with CONFIG_DMAR_DEBUG: the PTE dump after a fault (not faults themselves)
    log.add("DMAR: [DMA Write NO_PASID] Request device [00:14.0] fault addr 0xdeadb000 "
            "[fault reason 0x05] PTE Write access is not set")
    for line in ["DMAR: Dump dmar0 table entries for IOVA 0xdeadb000",
                 "DMAR: root entry: 0x000000010a4c9001",
                 "DMAR: context entry: hi 0x0000000000000102, low 0x0000000105e6e001",
                 "DMAR: pte level: 3, pte value: 0x000000010b0d4003",
                 "DMAR: page table not present at level 2"]:
        log.add(line, prio=6, dt=5)
    log.add("DMAR: VT-d detected Invalidation Time-out Error: SID 0", prio=3)
    log.add("DMAR: QI HEAD: IOTLB Invalidation qw0 = 0x200f2, qw1 = 0x0", prio=3)
    # 7.x: the segment
    log.add("DMAR: [DMA Read NO_PASID] Request device [0000:00:05.0] fault addr 0x2000 "
            "[fault reason 0x06] PTE Read access is not set")
    log.add("DMAR: [DMA Write PASID 0x5] Request device [0001:3a:00.0] fault addr 0x7000 "
            "[fault reason 0x86] SM: No read permission for Read/AtomicOp request")
    log.add("DMAR: [INTR-REMAP] Request device [0000:f0:1f.0] fault index 0x1 [fault reason "
            "0x25] Blocked a compatibility format interrupt request")
    # every reason code, 6.1 form; interrupt-remapping codes with the INTR-REMAP template
    addr = 0x100000
    for i, code in enumerate(INTEL_CODES):
        if 0x20 <= code <= 0x26:
            log.add("DMAR: [INTR-REMAP] Request device [00:1f.0] fault index 0x%x "
                    "[fault reason 0x%02x] %s" % (i, code, intel_reason(code)), dt=100)
        else:
            write = code in (0x05, 0x77, 0x85) or (code not in (0x06, 0x75, 0x76, 0x86) and i % 2)
            log.add("DMAR: [DMA %s NO_PASID] Request device [00:05.0] fault addr 0x%x "
                    "[fault reason 0x%02x] %s" % ("Write" if write else "Read", addr + i * 0x1000,
                                                  code, intel_reason(code)), dt=100)
    # ratelimiting: three complete faults, a status line alone, silence, suppression
    for i in range(3):
        log.add("DMAR: DRHD: handling fault status reg 2", dt=100000)
        log.add("DMAR: [DMA Write NO_PASID] Request device [07:00.1] fault addr 0x%x "
                "[fault reason 0x05] PTE Write access is not set" % (0x10000 * (i + 1)), dt=300)
    log.add("DMAR: DRHD: handling fault status reg 2", dt=100000)
    log.add("dmar_fault: 8 callbacks suppressed", prio=4, dt=6000000)
    log.add("DMAR: DRHD: handling fault status reg 2", dt=250)
    log.add("DMAR: [DMA Read NO_PASID] Request device [07:00.1] fault addr 0x70000 "
            "[fault reason 0x06] PTE Read access is not set", dt=266)
    # the hardware's own overflow (PFO) with pending faults
    log.add("DMAR: DRHD: handling fault status reg 3", dt=1000)
    log.add("DMAR: [DMA Read NO_PASID] Request device [07:00.0] fault addr 0x80000 "
            "[fault reason 0x06] PTE Read access is not set", dt=200)
    # an invalidation error: a status line without PPF is no lost fault
    log.add("DMAR: DRHD: handling fault status reg 10", dt=1000)
    log.add("DMAR: VT-d detected Invalidation Queue Error: Reason f", dt=100)
    # a status line at the very end, its fault ratelimited away
    log.add("DMAR: DRHD: handling fault status reg 2", dt=5000)
    return log


# ------------------------------------------------------------------ AMD

def amd_log():
    log = Log(start_seq=2000, start_us=7000000)
    log.add("AMD-Vi: Extended features (0x29d3, 0x0): PreF PPR GT IA GA HE", prio=6, dt=0)
    log.dev("AMD-Vi: Found IOMMU cap 0x40", "pci", "0000:00:00.2", prio=6)
    # path 1: on the faulting device, no device= field (6.x, 5.x)
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x000c address=0xfffd0000 flags=0x0000]",
            "nvme", "0000:02:00.0")
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0027 address=0xff7f0000 flags=0x0020]",
            "vfio-pci", "0000:01:00.0")
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0027 address=0xff7f1000 flags=0x0070]",
            "vfio-pci", "0000:01:00.0")
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0027 address=0xff7f2000 flags=0x0050]",
            "vfio-pci", "0000:01:00.0")
    # interrupt request, PASID (GN) with user/exec bits, reserved-bit fault, ATS request
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0003 address=0xfee00000 flags=0x0028]",
            "e1000e", "0000:03:00.0")
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0005 address=0x7f0000001000 "
            "flags=0x0007]", "amdgpu", "0000:04:00.0")
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0005 address=0x2000 flags=0x0090]",
            "amdgpu", "0000:04:00.0")
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0005 address=0x3000 flags=0x0100]",
            "amdgpu", "0000:04:00.0")
    # path 2: an unknown device, pr_err with device= (6.1 segment, 5.x without)
    log.add("AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:05:00.0 domain=0x0000 "
            "address=0x1000 flags=0x0000]")
    log.add("AMD-Vi: Event logged [IO_PAGE_FAULT device=05:00.1 domain=0x0000 address=0x2000 "
            "flags=0x0020]")
    # 6.1 and later: not attached to a domain, two lines
    log.add("AMD-Vi: Event logged [Device not attached to domain properly]")
    log.add("AMD-Vi:   device=0000:06:00.0 domain=0x0000", dt=10)
    # path 3: on the IOMMU's class device, every other event
    ivhd = ("iommu", "ivhd0")
    for text in [
        "AMD-Vi: Event logged [ILLEGAL_DEV_TABLE_ENTRY device=0000:05:00.0 pasid=0x00000 "
        "address=0xfffffff0 flags=0x0a00]",
        "AMD-Vi: Event logged [DEV_TAB_HARDWARE_ERROR device=0000:05:00.0 address=0x1000 "
        "flags=0x0200]",
        "AMD-Vi: Event logged [PAGE_TAB_HARDWARE_ERROR device=0000:05:00.0 pasid=0x0001 "
        "address=0x2000 flags=0x0400]",
        "AMD-Vi: Event logged [ILLEGAL_COMMAND_ERROR address=0x3000]",
        "AMD-Vi: Event logged [COMMAND_HARDWARE_ERROR address=0x4000 flags=0x0000]",
        "AMD-Vi: Event logged [IOTLB_INV_TIMEOUT device=0000:02:00.0 address=0x5000]",
        "AMD-Vi: Event logged [INVALID_DEVICE_REQUEST device=0000:02:00.0 pasid=0x00000 "
        "address=0x6000 flags=0x0020]",
        "AMD-Vi: Event logged [INVALID_PPR_REQUEST device=0000:02:00.0 pasid=0x00003 "
        "address=0x7000 flags=0x0001 tag=0x1ff]",
        "AMD-Vi: Event logged [UNKNOWN event[0]=0x00020300 event[1]=0xa0250001 "
        "event[2]=0x00008000 event[3]=0x00000000",
    ]:
        log.dev(text, *ivhd, subsystem="iommu")
    log.add("AMD-Vi: Control Reg : 0x3c1200efd", dt=5)
    log.add("AMD-Vi: DTE[0]: 0000000000000003", dt=5)
    # RMP events (5.10 and later): commas
    log.dev("AMD-Vi: Event logged [RMP_PAGE_FAULT vmg_tag=0x0001, gpa=0x12345000, "
            "flags_rmp=0x0001, flags=0x0020]", "ccp", "0000:02:00.0")
    log.add("AMD-Vi: Event logged [RMP_PAGE_FAULT device=0000:05:00.0, vmg_tag=0x0002, "
            "gpa=0x23456000, flags_rmp=0x0000, flags=0x0000]")
    log.add("AMD-Vi: Event logged [RMP_HW_ERROR device=0000:05:00.0, vmg_tag=0x0003, "
            "spa=0x34567000, flags=0x0000]")
    # 5.x: the IOMMU's own PCI function as prefix, device without segment
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT device=02:00.0 domain=0x0002 "
            "address=0xabc000 flags=0x0010]", "pci", "0000:00:00.2")
    # 4.x: "Event logged [" ends its record, the event comes in the next
    log.add("AMD-Vi: Event logged [")
    log.add("IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x000000fdf9103300 flags=0x0030]",
            dt=3)
    # 2.6-3.x: one line, 16-digit address
    log.add("AMD-Vi: Event logged [IO_PAGE_FAULT device=00:14.0 domain=0x0000 "
            "address=0x000000fdf8000000 flags=0x0010]")
    # ratelimits: per device, and of the pr_err path
    log.add("amd_iommu_report_page_fault: 12 callbacks suppressed", prio=4)
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0027 address=0xff800000 flags=0x0020]",
            "vfio-pci", "0000:01:00.0")
    log.add("net_ratelimit: 5 callbacks suppressed", prio=4)
    log.add("AMD-Vi: IOMMU Event log restarting", prio=6)
    log.add("AMD-Vi: AMD IOMMUv2 functionality not available on this system - This is not a bug.",
            prio=6)
    return log


# ------------------------------------------------------------------ SMMU

def smmu_raw(log, dev, ev_id, sid, ssid, flags1, addr, dw3=0, prio=6, ssv=False):
    dw0 = (sid << 32) | (ssid << 12) | (0x800 if ssv else 0) | ev_id
    log.dev("event 0x%02x received:" % ev_id, "arm-smmu-v3", dev, prio=prio)
    for dw in (dw0, flags1, addr, dw3):
        log.dev("\t0x%016x" % dw, "arm-smmu-v3", dev, prio=prio, dt=2)


def smmu_log():
    log = Log(start_seq=3000, start_us=9000000)
    dev = "arm-smmu-v3.0.auto"
    log.dev("ias 48-bit, oas 48-bit (features 0x00001fef)", "arm-smmu-v3", dev, prio=6, dt=0)
    # 5.4-6.12: raw dumps at info level. RnW bit 35, InD 34, PnU 33, S2 39, CLASS 41:40
    smmu_raw(log, dev, 0x10, 0x100, 0, (1 << 35) | (1 << 40), 0xfffff000)          # read
    smmu_raw(log, dev, 0x10, 0x100, 0, (1 << 33) | (1 << 40), 0xffffe000)          # priv write
    smmu_raw(log, dev, 0x13, 0x200, 5, (1 << 35) | (1 << 34), 0x400000, ssv=True)  # exec, SSID
    smmu_raw(log, dev, 0x11, 0x200, 0, 0, 0x1000000000000)
    smmu_raw(log, dev, 0x12, 0x200, 0, 1 << 35, 0x5000)
    smmu_raw(log, dev, 0x03, 0x300, 0, 0, 0, dw3=0x80001000)                      # STE fetch
    smmu_raw(log, dev, 0x04, 0x300, 0, 0, 0)                                      # bad STE
    smmu_raw(log, dev, 0x02, 0x9999, 0, 0, 0)
    smmu_raw(log, dev, 0x06, 0x300, 0, 0, 0)
    smmu_raw(log, dev, 0x0a, 0x300, 1, 0, 0, ssv=True)
    smmu_raw(log, dev, 0x24, 0x300, 0, 0, 0)                                      # no kernel name
    smmu_raw(log, dev, 0x3f, 0x300, 0, 0, 0)                                      # unknown id
    # an event whose dwords were cut short by another message
    log.dev("event 0x10 received:", "arm-smmu-v3", dev, prio=6)
    log.dev("\t0x0000010000000010", "arm-smmu-v3", dev, prio=6)
    log.add("nvme nvme0: I/O 12 QID 3 timeout, aborting", prio=4)
    # 7.x: error level, raw then decoded
    smmu_raw(log, dev, 0x10, 0x100, 0, (1 << 40), 0xfffff000, prio=3)
    log.dev("event: F_TRANSLATION client: 0000:01:00.0 sid: 0x100 ssid: 0x0 iova: 0xfffff000 "
            "ipa: 0x0", "arm-smmu-v3", dev, prio=3)
    log.dev('unpriv data write s1 "Input address caused fault" stag: 0x0', "arm-smmu-v3", dev,
            prio=3)
    smmu_raw(log, dev, 0x13, 0x101, 0, (1 << 35) | (1 << 34) | (1 << 33) | (1 << 31), 0x7000,
             prio=3)
    log.dev("event: F_PERMISSION client: 0000:01:00.1 sid: 0x101 ssid: 0x0 iova: 0x7000 "
            "ipa: 0x0", "arm-smmu-v3", dev, prio=3)
    log.dev('priv inst read s2 "Input address caused fault" stall stag: 0x0', "arm-smmu-v3", dev,
            prio=3)
    smmu_raw(log, dev, 0x09, 0x102, 0, 0, 0, dw3=0x90002000, prio=3)
    log.dev("event: F_CD_FETCH client: 0000:01:00.2 sid: 0x102 ssid: 0x0 fetch_addr: 0x90002000",
            "arm-smmu-v3", dev, prio=3)
    smmu_raw(log, dev, 0x02, 0x4444, 0, 0, 0, prio=3)
    log.dev("event: C_BAD_STREAMID client: (unassigned sid) sid: 0x4444 ssid: 0x0",
            "arm-smmu-v3", dev, prio=3)
    # decoded lines whose raw dump was ratelimited or filtered
    log.dev("event: F_ACCESS client: 0000:01:00.0 sid: 0x100 ssid: 0x0 iova: 0x9000 ipa: 0x0",
            "arm-smmu-v3", dev, prio=3)
    log.dev('unpriv data read s1 "Input address caused fault" stag: 0x0', "arm-smmu-v3", dev,
            prio=3)
    log.add("arm_smmu_evtq_thread: 17 callbacks suppressed", prio=4)
    smmu_raw(log, dev, 0x10, 0x100, 0, (1 << 35), 0xa000)
    log.dev("EVTQ overflow detected -- events lost", "arm-smmu-v3", dev)
    # a DT system's SMMUv3
    smmu_raw(log, "9050000.smmuv3", 0x10, 0x8, 0, 1 << 35, 0xb000)
    # SMMUv2 context faults, with and without CBFRSYNRA (older kernels)
    log.dev("Unhandled context fault: fsr=0x402, iova=0x12345000, fsynr=0x11, cbfrsynra=0x2000, "
            "cb=3", "arm-smmu", "2b400000.smmu")
    log.dev("Unhandled context fault: fsr=0x80000008, iova=0x00042000, fsynr=0x0, cbfrsynra=0x21, "
            "cb=1", "arm-smmu", "2b400000.smmu")
    log.dev("Unhandled context fault: fsr=0x402, iova=0x5a000000, fsynr=0x71, cb=0", "arm-smmu",
            "d0000000.iommu")
    log.add("arm_smmu_context_fault: 4 callbacks suppressed", prio=4)
    log.dev("FSR    = 00000402 [Format=2 TF], SID=0x2000", "arm-smmu", "2b400000.smmu")
    log.dev("Unhandled context fault: fsr=0x40000002, iova=0x12346000, fsynr=0x20, "
            "cbfrsynra=0x2000, cb=3", "arm-smmu", "2b400000.smmu")
    # virtio-iommu: what the guest driver prints of the device's fault events (the
    # endpoint ID, the IOVA as the device sent it), with and without an address
    log.dev("input address: 64 bits", "virtio_iommu", "virtio0", prio=6, subsystem="virtio")
    log.dev("page fault from EP 40 at 0x2345678 [R]", "virtio_iommu", "virtio0", subsystem="virtio")
    log.dev("page fault from EP 1792 at 0x100000 [W]", "virtio_iommu", "virtio0", subsystem="virtio")
    log.add("viommu_fault_handler: 3 callbacks suppressed", prio=4)
    log.dev("domain fault from EP 16", "virtio_iommu", "virtio0", subsystem="virtio")
    return log


# ------------------------------------------------------------------ garbage

def garbage_kmsg(path):
    """Records that must be reported (unparsed, bad lines) or ignored, never crash."""
    recs = []
    seq = [4000]
    us = [11000000]

    def rec(text, prio=3, flags="-", dict_=()):
        us[0] += 1000
        recs.append("%d,%d,%d,%s;%s\n" % (prio, seq[0], us[0], flags, text) +
                    "".join(" %s\n" % kv for kv in dict_))
        seq[0] += 1

    rec("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 [fault reason 0x06] "
        "PTE Read access is not set")
    # truncated and malformed fault lines: unparsed
    rec("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 [fault reas")
    rec("DMAR: [DMA Read NO_PASID] Request device [zz:05.0] fault addr 0x1000 [fault reason 0x06] x")
    rec("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 [fault reason 0x100] x")
    rec("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x11112222333344445 "
        "[fault reason 0x06] x")
    rec("DMAR: [DMA Sideways NO_PASID] Request device [00:05.0] fault addr 0x1000 "
        "[fault reason 0x06] x")
    rec("DMAR: [DMA Read NO_PASID] Request device [00:05.0]")
    rec("DMAR: something new: Request device [00:05.0] did a thing")
    rec("AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:00:02.0 domain=0x0000 address=0xzz "
        "flags=0x0000]")
    rec("AMD-Vi: Event logged [BOGUS_EVENT x=1]")
    rec("AMD-Vi: Event logged [IO_PAGE_FAULT device=99:99.9 domain=0x0000 address=0x0 flags=0x0]")
    rec("AMD-Vi: Event logged [")
    rec("random unrelated line between the halves", prio=6)
    rec("arm-smmu-v3 arm-smmu-v3.0.auto: event 0xzz received:")
    rec("arm-smmu 2b400000.smmu: Unhandled context fault: fsr=garbage")
    rec("weird prefix: Event logged [IO_PAGE_FAULT something]")
    # orphans: a second half without its first, dwords without a header
    rec("DMAR:[fault reason 06] PTE Read access is not set")
    rec("arm-smmu-v3 arm-smmu-v3.0.auto: \\x090x0000010000000010", prio=6)
    # user space writing look-alikes to /dev/kmsg (facility 1): not the kernel's
    rec("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x6666000 "
        "[fault reason 0x06] PTE Read access is not set", prio=11)
    # escapes: a tab, a backslash, bytes that are not UTF-8, a NUL
    rec("DMAR: [DMA Write NO_PASID] Request device [00:05.0] fault addr 0x2000 "
        "[fault reason 0x05] PTE Write access is not set\\x09\\x5c\\xff\\xfe")
    rec("DMAR:\\x00 [DMA Write NO_PASID] Request device [00:05.0] fault addr 0x3000 "
        "[fault reason 0x05] x")
    rec("kernel line with \\xe2\\x82\\xac and \\xff in it", prio=6)
    # a continuation record (flag c) and a dictionary
    rec("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x4000 ", flags="c")
    rec("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0001 address=0x8000 flags=0x0000]",
        dict_=("SUBSYSTEM=pci", "DEVICE=+pci:0000:02:00.0"))
    # an overlong record: a fault line with 6000 bytes of tail
    rec("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x5000 "
        "[fault reason 0x06] " + "A" * 6000)
    rec("X" * 5000, prio=6)
    # future header fields, caller id
    rec("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x9000 "
        "[fault reason 0x06] PTE Read access is not set", flags="-,caller=T123,future=1")
    # a virtio-iommu fault line whose rest is not the kernel's form: unparsed
    rec("virtio_iommu virtio0: page fault from EP 40 at 0x1000 [read]",
        dict_=("SUBSYSTEM=virtio", "DEVICE=+virtio:virtio0"))
    with open(path, "w", newline="\n") as f:
        for i, r in enumerate(recs):
            f.write(r)
            if i == 3:
                f.write("not a record\n")
                f.write("\n")
                f.write(";;;\n")
            if i == 10:
                f.write("99999999999999999999999,1,2,-;overflowing priority\n")
                f.write("3,notanumber,5,-;bad sequence\n")


# ------------------------------------------------------------------ mixed

def mixed_log():
    log = Log(start_seq=0, start_us=0)
    log.add("Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)", prio=5, dt=0)
    log.add("Command line: intel_iommu=on iommu.strict=1", prio=6, dt=0)
    log.add("[drm] Initialized bochs-drm 1.0.0 20130925 for 0000:00:01.0 on minor 0", prio=6,
            dt=900000)
    log.add("DMAR: DRHD: handling fault status reg 2", dt=8000000)
    log.add("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x1000 "
            "[fault reason 0x06] PTE Read access is not set", dt=900)
    log.add("DMAR:[DMA Write] Request device [07:00.0] fault addr 5000 \n"
            "DMAR:[fault reason 05] PTE Write access is not set", dt=120000)
    log.add("DMAR: [INTR-REMAP] Request device [00:1f.0] fault index 0x8 [fault reason 0x22] "
            "Present field in the IRTE entry is clear", dt=50000)
    log.dev("AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0027 address=0xff7f0000 flags=0x0020]",
            "vfio-pci", "0000:07:00.1", dt=100000)
    log.dev("event 0x10 received:", "arm-smmu-v3", "arm-smmu-v3.0.auto", prio=6, dt=30000)
    for dw in (0x0000010000000010, 0x0000000800000000, 0xfffff000, 0):
        log.dev("\t0x%016x" % dw, "arm-smmu-v3", "arm-smmu-v3.0.auto", prio=6, dt=3)
    log.dev("Unhandled context fault: fsr=0x402, iova=0x12345000, fsynr=0x11, cbfrsynra=0x2000, "
            "cb=3", "arm-smmu", "2b400000.smmu", dt=40000)
    log.add("dmar_fault: 3 callbacks suppressed", prio=4, dt=6000000)
    log.add("DMAR: DRHD: handling fault status reg 2", dt=200)
    log.add("DMAR: [DMA Write NO_PASID] Request device [00:05.0] fault addr 0x7654000 "
            "[fault reason 0x05] PTE Write access is not set", dt=300)
    log.add("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x8000 [fault reas",
            dt=1000)
    log.add("    cap_scenario=intel-faults", prio=7, dt=1000)
    return log


# ------------------------------------------------------------------ bench

def bench(path, lines):
    """A fault storm in /dev/kmsg format: Intel faults with their status lines, AMD and
    SMMU events, suppressions, and boot noise; about lines records."""
    rnd = random.Random(1)
    # a storm comes from a few devices: 24 Intel, 8 AMD and 16 Arm requesters
    intel = [(rnd.randint(0, 8), rnd.randint(0, 31), rnd.randint(0, 7)) for _ in range(24)]
    amd = [rnd.randint(1, 0x40) for _ in range(8)]
    arm = [rnd.randint(0, 0xffff) for _ in range(16)]
    noise = [
        "pci 0000:00:02.0: Adding to iommu group 1",
        "e1000e 0000:01:00.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
        "nvme nvme0: 2/0/0 default/read/poll queues",
        "EXT4-fs (nvme0n1p2): mounted filesystem with ordered data mode. Quota mode: none.",
        "audit: type=1400 audit(1700000000.000:2): apparmor=\"STATUS\" operation=\"profile_load\"",
    ]
    with open(path, "w", newline="\n") as f:
        us = 1000000
        seq = 0
        n = [0]

        def w(s):
            n[0] += s.count("\n")
            f.write(s)
        while n[0] < lines:
            us += rnd.randint(10, 2000)
            r = rnd.random()
            if r < 0.40:
                w("3,%d,%d,-;DMAR: DRHD: handling fault status reg 2\n" % (seq, us))
                seq += 1
                us += 200
                w("3,%d,%d,-;DMAR: [DMA %s NO_PASID] Request device [%02x:%02x.%d] fault addr "
                  "0x%x [fault reason 0x%02x] %s\n" % ((
                      seq, us, "Read" if r < 0.2 else "Write") + rnd.choice(intel) + (
                      rnd.randint(1, 1 << 20) << 12, 6 if r < 0.2 else 5,
                      intel_reason(6 if r < 0.2 else 5))))
            elif r < 0.55:
                bus = rnd.choice(amd)
                w("3,%d,%d,-;vfio-pci 0000:%02x:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT "
                  "domain=0x%04x address=0x%x flags=0x%04x]\n SUBSYSTEM=pci\n "
                  "DEVICE=+pci:0000:%02x:00.0\n" % (
                      seq, us, bus, bus + 3, rnd.randint(1, 1 << 30) << 12,
                      rnd.choice([0, 0x20, 0x50, 0x70]), bus))
            elif r < 0.60:
                w("3,%d,%d,-;arm-smmu 2b400000.smmu: Unhandled context fault: fsr=0x402, "
                  "iova=0x%08x, fsynr=0x11, cbfrsynra=0x%x, cb=3\n" % (
                      seq, us, rnd.randint(1, 1 << 20) << 12, rnd.choice(arm)))
            elif r < 0.61:
                w("4,%d,%d,-;dmar_fault: %d callbacks suppressed\n" % (seq, us, rnd.randint(1, 99)))
            else:
                w("6,%d,%d,-;%s\n" % (seq, us, rnd.choice(noise)))
            seq += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                  "fixtures", "kmsg"))
    ap.add_argument("--bench", metavar="FILE")
    ap.add_argument("--lines", type=int, default=1000000)
    a = ap.parse_args()
    if a.bench:
        bench(a.bench, a.lines)
        return 0
    os.makedirs(a.out, exist_ok=True)
    write_kmsg(intel_log(), os.path.join(a.out, "intel.kmsg"))
    write_kmsg(amd_log(), os.path.join(a.out, "amd.kmsg"))
    write_kmsg(smmu_log(), os.path.join(a.out, "smmu.kmsg"))
    garbage_kmsg(os.path.join(a.out, "garbage.kmsg"))
    mixed = mixed_log()
    write_kmsg(mixed, os.path.join(a.out, "mixed.kmsg"))
    for name in TEXT_LAYOUTS:
        write_text(mixed, os.path.join(a.out, "mixed-%s.txt" % name), name)
    write_old_dmesg(os.path.join(a.out, "old-2.6-dmesg.txt"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
