#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate IOMMU debugfs trees: page tables and their dumps in the kernel's layouts.

  mk-dumps.py fixture NAME --out DIR      one of the synthetic fixtures kept in fixtures/
  mk-dumps.py random --out DIR --layout L --seed N --rows N [--manifest FILE]
                                          a tree with random page tables, and what a
                                          correct reader must find in it (the manifest)
  mk-dumps.py big --out DIR --mib N       a tree whose page-table dump is about N MiB
                                          (for the benchmark), in the 6.1 layout

Every tree is a copy of a recorded one (--base, fixtures/intel-debugfs unless said) with
sys/kernel/debug/iommu replaced by generated files. The page tables are modelled (a
directory entry per table, leaves with rights, 2 MiB and 1 GiB superpages) and printed the
way the kernel prints them (kernel-interfaces section 2.4):

  5.10   one file, "Device <name> with pasid 0 @0x<pgd>", every row five columns
  6.1    one file, "Device <name> @0x<pgd>", a group's domain once per member
  6.8    <bdf>/domain_translation_struct and <bdf>/<pasid>/..., padded column header,
         rows that stop at their leaf, no blank line at the end

The manifest holds, per domain, the ranges a reader must coalesce the leaves into: runs
contiguous in IOVA with the same rights and page size, and whether the physical side is
contiguous too. The files are written as streams, so big trees take little memory.
"""
import argparse
import json
import os
import random
import shutil
import sys

K4, M2, G1 = 1 << 12, 1 << 21, 1 << 30
SHIFT = {1: 12, 2: 21, 3: 30, 4: 39, 5: 48}
LEVEL_OF = {K4: 1, M2: 2, G1: 3}
PS = 0x80
HEADER_OLD = "IOVA_PFN\t\tPML5E\t\t\tPML4E\t\t\tPDPE\t\t\tPDE\t\t\tPTE\n"
HEADER_NEW = "%-17s\t%-18s\t%-18s\t%-18s\t%-18s\t%-s\n" % ("IOVA_PFN", "PML5E", "PML4E", "PDPE",
                                                        "PDE", "PTE")
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))


class PageTable:
    """A domain's page table: leaves by IOVA, directory tables made up as needed."""

    def __init__(self, pgd, levels, first_level=False):
        self.pgd, self.levels, self.first_level = pgd, levels, first_level
        self.leaves = {}          # iova -> (size, phys, read, write, extra bits)
        self.tables = {}          # (level, iova >> shift) -> table address
        self.next_table = pgd + K4

    def map(self, iova, size, phys, read=True, write=True, extra=0):
        assert iova % size == 0 and phys % size == 0 and (read or write)
        self.leaves[iova] = (size, phys, read, write, extra)

    def table(self, level, iova):
        key = (level, iova >> SHIFT[level])
        if key not in self.tables:
            self.tables[key] = self.next_table
            self.next_table += K4
        return self.tables[key]

    def dir_entry(self, level, iova):
        # first-level directories: P, R/W, U/S, A; second-level: R, W
        return self.table(level, iova) | (0x27 if self.first_level else 0x3)

    def leaf_entry(self, size, phys, read, write, extra):
        if self.first_level:
            v = phys | 0x1 | (0x2 if write else 0) | 0x4 | 0x60
        else:
            v = phys | (0x1 if read else 0) | (0x2 if write else 0)
        return v | (PS if size > K4 else 0) | extra

    def rows(self):
        """(iova pfn, [PML5E, PML4E, PDPE, PDE, PTE]) in IOVA order, as the kernel walks."""
        for iova in sorted(self.leaves):
            size, phys, read, write, extra = self.leaves[iova]
            leaf = LEVEL_OF[size]
            path = {lvl: self.dir_entry(lvl, iova) for lvl in range(self.levels, leaf, -1)}
            path[leaf] = self.leaf_entry(size, phys, read, write, extra)
            yield iova >> 12, [path.get(lvl, 0) for lvl in (5, 4, 3, 2, 1)]

    def ranges(self):
        """What a reader must coalesce the leaves into."""
        out = []
        for iova in sorted(self.leaves):
            size, phys, read, write, _ = self.leaves[iova]
            read = read or self.first_level
            c = out[-1] if out else None
            if c and c["end"] + 1 == iova and c["read"] == read and c["write"] == write \
                    and c["page_size"] == size:
                c["end"] = iova + size - 1
                c["pages"] += 1
                if phys != c["_next"]:
                    c["phys_contiguous"] = False
                c["_next"] = phys + size
            else:
                out.append({"start": iova, "end": iova + size - 1, "page_size": size, "pages": 1,
                            "read": read, "write": write, "phys": phys, "phys_contiguous": True,
                            "_next": phys + size})
        return [{k: (hex(v) if k in ("start", "end", "phys") else v) for k, v in r.items()
                 if k != "_next"} for r in out]


def row_text(pfn, cols, layout):
    if layout == "6.8":
        n = 3 + (1 if cols[3] else 0) + (1 if cols[3] and cols[4] else 0)
        cols = cols[:n]
    return "0x%013x |\t%s\n" % (pfn, "\t".join("0x%016x" % c for c in cols))


def write_block(f, name, pt, layout, pasid=None, cut=None):
    """One device's block; cut: stop in the middle of the row with that index."""
    if layout == "5.10":
        f.write("Device %s with pasid %d @0x%x\n" % (name, pasid or 0, pt.pgd))
    elif layout == "6.8" and pasid is not None:
        f.write("Device %s with pasid %x @0x%x\n" % (name, pasid, pt.pgd))
    else:
        f.write("Device %s @0x%x\n" % (name, pt.pgd))
    f.write(HEADER_NEW if layout == "6.8" else HEADER_OLD)
    for i, (pfn, cols) in enumerate(pt.rows()):
        line = row_text(pfn, cols, layout)
        if cut is not None and i == cut:
            f.write(line[:len(line) // 2])
            return
        f.write(line)
    if layout != "6.8":
        f.write("\n")


# ------------------------------------------------------------------ trees

def copy_base(base, out):
    if os.path.lexists(out):
        shutil.rmtree(out)
    shutil.copytree(base, out, symlinks=True)
    shutil.rmtree(os.path.join(out, "sys/kernel/debug/iommu"), ignore_errors=True)
    os.makedirs(os.path.join(out, "sys/kernel/debug/iommu"), exist_ok=True)


def intel_dir(out):
    d = os.path.join(out, "sys/kernel/debug/iommu/intel")
    os.makedirs(d, exist_ok=True)
    return d


def base_file(base, name):
    with open(os.path.join(base, "sys/kernel/debug/iommu/intel", name)) as f:
        return f.read()


def bdf_parts(name):
    seg, bus, devfn = name.split(":")
    dev, fn = devfn.split(".")
    return int(seg, 16), int(bus, 16), int(dev, 16), int(fn, 16)


def ctx_legacy(name, did, pt, tt=0):
    """A legacy dmar_translation_struct row: context entry with DID, AW and the page table."""
    _, bus, dev, fn = bdf_parts(name)
    aw = {3: 1, 4: 2, 5: 3}[pt.levels] if pt else 1
    lo = (pt.pgd if pt else 0) | (tt << 2) | 1
    hi = (did << 8) | aw
    return "%02x:%02x.%x\t0x%016x:0x%016x\t0x%016x:0x%016x\t%-6d\t0x%016x:0x%016x:0x%016x\n" % (
        bus, dev, fn, 0, 0x1f70001 + bus * 0x4000, hi, lo, -1, 0, 0, 0)


def ctx_scalable(name, pasid, did, pt, pgtt):
    """A scalable-mode row: the low half of the context entry and the PASID entry."""
    _, bus, dev, fn = bdf_parts(name)
    aw = {3: 1, 4: 2, 5: 3}[pt.levels] if pt else 2
    val0 = 1 | (aw << 2) | (pgtt << 6)
    val2 = 0
    if pgtt in (2, 3):
        val0 |= pt.pgd
    elif pgtt == 1:
        val2 = pt.pgd | (1 if pt.levels == 5 else 0) << 2 | 1
    val1 = did
    ctx_lo = 0x3000000 + (bus << 12) | (3 << 9) | (1 << 3) | 1
    return "%02x:%02x.%x\t0x%016x:0x%016x\t0x%016x:0x%016x\t%-6d\t0x%016x:0x%016x:0x%016x\n" % (
        bus, dev, fn, 0, 0x2f00001 + bus * 0x1000, 0, ctx_lo, pasid, val2, val1, val0)


def write_readme(out, text):
    with open(os.path.join(out, "README"), "w") as f:
        f.write(text)


# The groups of fixtures/intel-debugfs (Linux 6.1 under QEMU): name -> group members.
GROUPS = {
    "0000:00:00.0": ["0000:00:00.0"], "0000:00:01.0": ["0000:00:01.0"],
    "0000:00:05.0": ["0000:00:05.0"], "0000:00:10.0": ["0000:00:10.0"],
    "0000:00:10.1": ["0000:00:10.1"], "0000:00:10.2": ["0000:00:10.2"],
    "0000:00:10.3": ["0000:00:10.3"], "0000:00:11.0": ["0000:00:11.0"],
    "0000:00:12.0": ["0000:00:12.0"],
    "0000:00:1f.0": ["0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3"],
    "0000:01:00.0": ["0000:01:00.0"], "0000:02:00.0": ["0000:02:00.0"],
    "0000:03:00.0": ["0000:03:00.0"], "0000:04:00.0": ["0000:04:00.0"],
    "0000:05:00.0": ["0000:05:00.0", "0000:06:01.0", "0000:06:02.0"],
    "0000:07:00.0": ["0000:07:00.0", "0000:07:00.1"],
}


def scenario_tables(levels):
    """The page tables of the fixtures: one case of each kind a reader must handle."""
    t = {}
    pgd = 0x10000000
    for i, first in enumerate(sorted(GROUPS)):
        t[first] = PageTable(pgd + i * 0x100000, levels)
    # group 9: 1 MiB identity-mapped low memory, then a run whose rights change mid-way
    pt = t["0000:00:1f.0"]
    for i in range(256):
        pt.map(i * K4, K4, i * K4)
    for i in range(16):
        pt.map(0xfff00000 + i * K4, K4, 0x2200000 + i * K4, write=i < 10)
    # e1000e: receive buffers, physically scattered in places
    pt = t["0000:01:00.0"]
    rnd = random.Random(6)
    for i in range(64):
        phys = 0x3000000 + i * K4 if i < 24 else 0x4000000 + rnd.randrange(4096) * K4
        pt.map(0xffe00000 + i * K4, K4, phys)
    pt.map(0xfffff000, K4, 0x2a23000, write=False)
    # nvme: 2 MiB superpages, a 1 GiB one, then 4 KiB pages right after a 2 MiB one
    pt = t["0000:02:00.0"]
    for i in range(4):
        pt.map(0x40000000 + i * M2, M2, 0x80000000 + i * M2)
    pt.map(0x80000000, G1, 0x100000000)
    pt.map(0xc0000000, M2, 0x7fe00000)
    for i in range(3):
        pt.map(0xc0200000 + i * K4, K4, 0x7fc00000 + i * K4)
    # virtio-net: a write-only page, and a gap
    pt = t["0000:03:00.0"]
    pt.map(0xfffe0000, K4, 0x5000000, read=False)
    pt.map(0xfffe1000, K4, 0x5001000)
    pt.map(0xfffe3000, K4, 0x5003000, extra=0x800)  # SNP set: not part of the address
    # group 14 (a PCIe-to-PCI bridge and two devices behind it)
    pt = t["0000:05:00.0"]
    for i in range(8):
        pt.map(0xfff80000 + i * K4, K4, 0x6000000 + i * K4)
    # the others map nothing (an empty domain)
    return t


def fixture_510(out, base):
    """5.10/5.15 layout: one file, "with pasid 0", rows of five columns; legacy mode."""
    copy_base(base, out)
    d = intel_dir(out)
    t = scenario_tables(3)
    t["0000:02:00.0"].levels = 4      # one 4-level table among 3-level ones
    did = {first: 2 + i for i, first in enumerate(sorted(GROUPS))}
    with open(os.path.join(d, "dmar_translation_struct"), "w") as f:
        f.write("IOMMU dmar0: Root Table Address: 0x1e21000\n")
        f.write("B.D.F\tRoot_entry\t\t\t\tContext_entry\t\t\t\tPASID\tPASID_table_entry\n")
        for first in sorted(GROUPS):
            members = GROUPS[first] + (["0000:06:00.0"] if first == "0000:05:00.0" else [])
            for m in sorted(members):
                f.write(ctx_legacy(m, did[first], t[first]))
        f.write("\n")
    with open(os.path.join(d, "domain_translation_struct"), "w") as f:
        names = sorted(n for first in GROUPS for n in GROUPS[first])
        first_of = {n: first for first in GROUPS for n in GROUPS[first]}
        for i in range(1, 5):
            t["0000:07:00.0"].map(i * K4, K4, 0x9000000 + i * K4)
        for n in names:
            # 5.10 walks every device and names it; group members share a page table.
            # The file was cut in the middle of 07:00.0's third row: 07:00.1 is lost.
            if n == "0000:07:00.1":
                break
            write_block(f, n, t[first_of[n]], "5.10", pasid=0,
                        cut=2 if n == "0000:07:00.0" else None)
    for name in ("iommu_regset", "invalidation_queue", "ir_translation_struct",
                 "dmar_perf_latency"):
        with open(os.path.join(d, name), "w") as f:
            f.write(base_file(base, name))
    write_readme(out, """SYNTHETIC fixture, made by tests/debugfs/mk-dumps.py fixture intel-debugfs-v5.10-synthetic.

Everything but sys/kernel/debug/iommu is a copy of fixtures/intel-debugfs (Linux 6.1 under
QEMU). The debugfs files are generated in the layout of Linux 5.10 and 5.15:

  domain_translation_struct   one file; "Device <name> with pasid 0 @0x<pgd>" for every
                              device (group members repeat their group's page table); rows
                              of five columns. Cases: 1 MiB of identity-mapped low memory,
                              rights that change in the middle of a run (00:1f.x), physically
                              scattered pages (01:00.0), 2 MiB and 1 GiB superpages and 4 KiB
                              pages after a superpage in a 4-level table (02:00.0), a
                              write-only page and a leaf with SNP (03:00.0), empty domains,
                              and a last block cut in the middle of its third row (07:00.0:
                              the file is truncated, 07:00.1's block is missing).
  dmar_translation_struct     legacy context entries whose page tables match the dumps.
  iommu_regset, invalidation_queue, ir_translation_struct, dmar_perf_latency: the real ones.
""")


def fixture_68(out, base):
    """6.7+ layout: a file per device and per PASID; scalable mode; rows stop at the leaf."""
    copy_base(base, out)
    d = intel_dir(out)
    t = scenario_tables(4)
    # a PASID of the nvme with a first-level table (SVA-like): read-only and writable pages
    sva = PageTable(0x20000000, 4, first_level=True)
    for i in range(6):
        sva.map(0x7f0000000000 + i * K4, K4, 0xa000000 + i * K4, write=i >= 2)
    did = {first: 2 + i for i, first in enumerate(sorted(GROUPS))}
    passthrough = "0000:04:00.0"
    with open(os.path.join(d, "dmar_translation_struct"), "w") as f:
        f.write("IOMMU dmar0: Root Table Address: 0x1e21000\n")
        f.write("B.D.F\tRoot_entry\t\t\t\tContext_entry\t\t\t\tPASID\tPASID_table_entry\n")
        for first in sorted(GROUPS):
            members = GROUPS[first] + (["0000:06:00.0"] if first == "0000:05:00.0" else [])
            for m in sorted(members):
                if first == passthrough:
                    f.write(ctx_scalable(m, 0, 1, None, 4))
                else:
                    f.write(ctx_scalable(m, 0, did[first], t[first], 2))
                if m == "0000:02:00.0":
                    f.write(ctx_scalable(m, 1, 40, sva, 1))
        f.write("\n")
    first_of = {n: first for first in GROUPS for n in GROUPS[first]}
    for n in sorted(first_of):
        dd = os.path.join(d, n)
        os.makedirs(dd, exist_ok=True)
        with open(os.path.join(dd, "domain_translation_struct"), "w") as f:
            if first_of[n] != passthrough:  # 6.7+ prints nothing for pass-through
                write_block(f, n, t[first_of[n]], "6.8", pasid=0)
        if n == "0000:02:00.0":
            os.makedirs(os.path.join(dd, "1"), exist_ok=True)
            with open(os.path.join(dd, "1", "domain_translation_struct"), "w") as f:
                write_block(f, n, sva, "6.8", pasid=1)
    # scalable mode: RTADDR.SMT, ECAP.SMTS (and PASID, PSS), 256-bit queue descriptors
    regset = base_file(base, "iommu_regset")
    regset = regset.replace("0x0000000001e21000", "0x0000000001e21400")
    regset = regset.replace("0x0000000000f00f4a", "0x00000989f0f00f4a")
    with open(os.path.join(d, "iommu_regset"), "w") as f:
        f.write(regset)
    with open(os.path.join(d, "invalidation_queue"), "w") as f:
        f.write("Invalidation queue on IOMMU: dmar0\n Base: 0x1252000\tHead: 119\tTail: 121\n")
        f.write("Index\t\tqw0\t\t\tqw1\t\t\tqw2\t\t\tqw3\t\t\tstatus\n")
        for i in range(256):
            kind = (0x0000000000002006, 0x00000000ffefb000) if i % 2 == 0 else \
                   (0x0000000200000025, 0x00000000011f9000 + 8 * i)
            status = 1 if i == 120 else 2 if i in (119, 121) else 0
            f.write("%5d\t%016x\t%016x\t%016x\t%016x\t%016x\n" % (i, kind[0], kind[1], 0, 0,
                                                                  status))
        f.write("\n")
    with open(os.path.join(d, "ir_translation_struct"), "w") as f:
        f.write(base_file(base, "ir_translation_struct"))
    with open(os.path.join(d, "dmar_perf_latency"), "w") as f:
        f.write("IOMMU: dmar0 Register Base Address: fed90000\n")
        f.write(base_file(base, "dmar_perf_latency").split("\n", 1)[1].split("\n")[0] + "\n")
    # the sysfs view agrees: ECAP with SMTS, and the pass-through device's group is identity
    with open(os.path.join(out, "sys/devices/virtual/iommu/dmar0/intel-iommu/ecap"), "w") as f:
        f.write("989f0f00f4a\n")
    with open(os.path.join(out, "sys/kernel/iommu_groups/13/type"), "w") as f:
        f.write("identity\n")
    write_readme(out, """SYNTHETIC fixture, made by tests/debugfs/mk-dumps.py fixture intel-debugfs-v6.8-synthetic.

Everything but sys/kernel/debug/iommu is a copy of fixtures/intel-debugfs (Linux 6.1 under
QEMU), except two sysfs files changed to agree with the generated debugfs: the unit's ecap
(scalable mode: SMTS, PASID) and group 13's type (identity). The debugfs files are generated
in the layout of Linux 6.7 and later, in scalable mode:

  <bdf>/domain_translation_struct          one per device, "with pasid 0", padded column
                                           header, rows that stop at their leaf, no blank
                                           line at the end. 4-level tables; the same cases
                                           as the 5.10 fixture (superpages, rights changing,
                                           scattered pages, empty domains); the pass-through
                                           device (04:00.0) has an empty file, as the kernel
                                           prints nothing for it; group members have a file
                                           each, with the same page table.
  0000:02:00.0/1/domain_translation_struct a PASID with a first-level table.
  dmar_translation_struct                  scalable-mode rows (PASID entries).
  iommu_regset                             the real one with RTADDR.SMT and ECAP.SMTS set.
  invalidation_queue                       256-bit descriptors, some in use.
  ir_translation_struct                    the real one; dmar_perf_latency: inv_iotlb only.
""")


def fixture_amd(out, base):
    """AMD-Vi debugfs of Linux 6.15 and later (here as 7.2 prints it)."""
    copy_base(base, out)
    d = os.path.join(out, "sys/kernel/debug/iommu/amd")
    os.makedirs(os.path.join(d, "iommu00"), exist_ok=True)
    with open(os.path.join(d, "devid"), "w") as f:
        f.write("0000:00:05.0\n")
    with open(os.path.join(d, "devtbl"), "w") as f:
        f.write("%-12s %16s %16s %16s %16s iommu\n" % ("DeviceId", "QWORD[3]", "QWORD[2]",
                                                      "QWORD[1]", "QWORD[0]"))
        q0 = 0x6000000123456000 | (3 << 9) | 0x3
        q1 = 0x0000000000000005
        q2 = 0x2000000137400000 | (0xb << 1) | 1
        f.write("0000:00:05.0 %016x %016x %016x %016x iommu0\n" % (0, q2, q1, q0))
    with open(os.path.join(d, "irqtbl"), "w") as f:
        f.write("DeviceId 0000:00:05.0\n")
        for i, vec in enumerate((0x21, 0x22, 0x23)):
            f.write("IRT[%04d] %016x %016x\n" % (i, 0x0100000000000000 | vec, 0x0000000000000101))
        f.write("\n")
    with open(os.path.join(d, "iommu00", "mmio"), "w") as f:
        f.write("Offset:0x18 Value:0x000c22000003f48d\n")
    with open(os.path.join(d, "iommu00", "capability"), "w") as f:
        f.write("Please provide capability register's offset in the range [0x00 - 0x14]\n")
    with open(os.path.join(d, "iommu00", "cmdbuf"), "w") as f:
        f.write("CMD Buffer Head Offset:339 Tail Offset:339\n")
        for i in range(512):
            if i % 2 == 0:
                words = (0x00835001, 0x10000001, 0x00003c00 + i // 2, 0)
            else:
                words = (0x00000000, 0x30000005, 0xfffff003, 0x7fffffff)
            f.write("%3d: %08x %08x %08x %08x\n" % (i, *words))
    write_readme(out, """SYNTHETIC fixture, made by tests/debugfs/mk-dumps.py fixture amd-debugfs-v7.2-synthetic.

Everything but sys/kernel/debug/iommu is a copy of fixtures/amd-q35 (Linux 6.1 under QEMU,
whose AMD debugfs has no files). The files are generated as Linux 6.15 and later print them:
amd/devid selects 0000:00:05.0 (vfio-pci), amd/devtbl shows its device table entry (a
3-level page table, domain 5, interrupt remapping with 2048 entries), amd/irqtbl three
128-bit entries; iommu00/mmio shows the register at 0x18, iommu00/capability that no offset
was selected, iommu00/cmdbuf 512 commands (completion waits and page invalidations).
""")


FIXTURES = {
    "intel-debugfs-v5.10-synthetic": (fixture_510, "fixtures/intel-debugfs"),
    "intel-debugfs-v6.8-synthetic": (fixture_68, "fixtures/intel-debugfs"),
    "amd-debugfs-v7.2-synthetic": (fixture_amd, "fixtures/amd-q35"),
}


# ------------------------------------------------------------ random trees

def random_tables(rnd, rows, levels, first_level_share=0.0):
    """Domains of random mappings: runs of pages, gaps, superpages, rights that change."""
    names = sorted(GROUPS)
    tables = {}
    per = max(1, rows // len(names))
    for i, first in enumerate(names):
        pt = PageTable(0x40000000 + i * 0x4000000, levels,
                       first_level=rnd.random() < first_level_share)
        iova = rnd.randrange(1 << 16) * M2
        phys = rnd.randrange(1 << 12) * M2
        left = per if i != 4 else 0         # one empty domain
        while left > 0:
            kind = rnd.random()
            if kind < 0.05 and iova % M2 == 0:
                size, n = M2, rnd.randint(1, 4)
            elif kind < 0.06 and iova % G1 == 0:
                size, n = G1, 1
            else:
                size, n = K4, rnd.randint(1, 300)
            write = rnd.random() > 0.1
            read = True if pt.first_level else (rnd.random() > 0.02 or not write)
            scattered = rnd.random() < 0.3
            for _ in range(min(n, left)):
                if phys % size:
                    phys += size - phys % size
                pt.map(iova, size, phys, read, write)
                iova += size
                phys = (phys + size) if not scattered else rnd.randrange(1 << 20) * size
                left -= 1
            if rnd.random() < 0.5:
                iova += rnd.randint(1, 64) * K4
            if iova % M2 and rnd.random() < 0.1:
                iova += M2 - iova % M2
        tables[first] = pt
    return tables


def write_tree(out, base, tables, layout, cut_last=False):
    """A tree whose debugfs holds the dumps of tables in layout; returns the manifest."""
    copy_base(base, out)
    d = intel_dir(out)
    first_of = {n: first for first in GROUPS for n in GROUPS[first]}
    manifest = {"layout": layout, "domains": []}
    for first in sorted(tables):
        manifest["domains"].append({"devices": GROUPS[first], "page_table": hex(tables[first].pgd),
                                    "ranges": tables[first].ranges()})
    if layout == "6.8":
        for n in sorted(first_of):
            os.makedirs(os.path.join(d, n), exist_ok=True)
            with open(os.path.join(d, n, "domain_translation_struct"), "w") as f:
                write_block(f, n, tables[first_of[n]], layout, pasid=0)
    else:
        with open(os.path.join(d, "domain_translation_struct"), "w") as f:
            for n in sorted(first_of):
                if layout == "6.1":
                    write_block(f, first_of[n], tables[first_of[n]], layout)
                else:
                    write_block(f, n, tables[first_of[n]], layout, pasid=0)
    # no dmar_translation_struct: the reader must join the dumps by name and group
    return manifest


def cmd_random(a):
    rnd = random.Random(a.seed)
    tables = random_tables(rnd, a.rows, a.levels, 0.3 if a.layout == "6.8" else 0.0)
    manifest = write_tree(a.out, a.base, tables, a.layout)
    if a.manifest:
        with open(a.manifest, "w") as f:
            json.dump(manifest, f, indent=1)


def cmd_big(a):
    """About a.mib MiB of 6.1 rows: a busy NIC and NVMe, many small runs, some superpages."""
    rnd = random.Random(a.seed)
    copy_base(a.base, a.out)
    d = intel_dir(a.out)
    target = a.mib << 20
    written = 0
    names = ["0000:01:00.0", "0000:02:00.0", "0000:03:00.0", "0000:04:00.0", "0000:00:1f.0"]
    with open(os.path.join(d, "domain_translation_struct"), "w", buffering=1 << 20) as f:
        for i, n in enumerate(names):
            share = target // len(names)
            f.write("Device %s @0x%x\n" % (n, 0x10000000 + i * 0x100000))
            f.write(HEADER_OLD)
            pdpe = 0x10000000 + i * 0x100000 + K4
            iova = 0x100000000 * (i + 1)
            phys = 0x40000000
            done = 0
            pde_tab = pdpe + K4
            buf = []
            while done < share:
                n_pages = rnd.randint(1, 256)
                rights = 3 if rnd.random() > 0.05 else 1
                scattered = rnd.random() < 0.5
                for _ in range(n_pages):
                    if iova % M2 == 0:
                        pde_tab += K4
                    cols = (0, 0x10000000 | 3, pdpe | 3, pde_tab | 3, phys | rights)
                    line = "0x%013x |\t0x%016x\t0x%016x\t0x%016x\t0x%016x\t0x%016x\n" % (
                        (iova >> 12,) + cols)
                    buf.append(line)
                    done += len(line)
                    iova += K4
                    phys = phys + K4 if not scattered else rnd.randrange(1 << 18) * K4
                iova += rnd.randint(0, 8) * K4
                if len(buf) > 4096:
                    f.write("".join(buf))
                    buf = []
            f.write("".join(buf))
            f.write("\n")
            written += done
    print("%s: %d MiB of page-table dump" % (os.path.join(d, "domain_translation_struct"),
                                            written >> 20))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fixture", help="one of the synthetic fixtures")
    f.add_argument("name", choices=sorted(FIXTURES))
    f.add_argument("--out", required=True)
    r = sub.add_parser("random", help="random page tables and their manifest")
    r.add_argument("--out", required=True)
    r.add_argument("--layout", choices=("5.10", "6.1", "6.8"), default="6.1")
    r.add_argument("--rows", type=int, default=20000)
    r.add_argument("--levels", type=int, choices=(3, 4, 5), default=4)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--manifest")
    r.add_argument("--base", default=os.path.join(TOP, "fixtures/intel-debugfs"))
    b = sub.add_parser("big", help="a big dump for the benchmark")
    b.add_argument("--out", required=True)
    b.add_argument("--mib", type=int, default=200)
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--base", default=os.path.join(TOP, "fixtures/intel-debugfs"))
    a = p.parse_args()
    if a.cmd == "fixture":
        fn, base = FIXTURES[a.name]
        fn(a.out, os.path.join(TOP, base))
    elif a.cmd == "random":
        cmd_random(a)
    else:
        cmd_big(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
