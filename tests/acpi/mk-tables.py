#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the hand-built ACPI tables the tests use.

  tests/acpi/mk-tables.py [--top DIR]

fixtures/acpi/good/   DMAR and IVRS tables that use every structure, scope,
                      block and device-entry type, with correct checksums;
fixtures/acpi/bad/    broken tables (truncations, zero and overlong lengths,
                      bad checksums, unknown types), one problem each, and
                      MANIFEST: for each file the exit status `iommu-inspect
                      acpi --file` must give and a text its warnings (or its
                      error, or for a slip the kernel works around, the
                      table's notes) must contain;
fixtures/intel-rmrr/  a copy of fixtures/intel-q35 whose DMAR has two RMRRs
                      added, with the reserved regions the kernel would then
                      show in the groups of the devices they name (see
                      fixtures/intel-rmrr/README; made when it is missing,
                      its DMAR and regions rewritten every time).

The output is deterministic; the files are committed, so the tests do not
need this script. Run it again after changing it and review the diff.
"""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile


def acpi(sig, body, rev=1, oem=b"IITEST", table=b"HANDMADE"):
    """A table: the 36-byte header in front of body, with the checksum set."""
    t = bytearray(struct.pack("<4sIBB6s8sI4sI", sig, 36 + len(body), rev, 0, oem, table, 1,
                              b"IIMK", 1))
    t += body
    t[9] = (-sum(t)) & 0xff
    return t


def fix_checksum(t):
    t = bytearray(t)
    t[9] = 0
    t[9] = (-sum(t)) & 0xff
    return t


# ------------------------------------------------------------------ DMAR

def scope(kind, bus, path, enum_id=0, flags=0):
    """A device scope: kind 1 endpoint, 2 bridge, 3 IOAPIC, 4 HPET, 5 ACPI."""
    b = struct.pack("<BBBBBB", kind, 6 + 2 * len(path), flags, 0, enum_id, bus)
    return b + b"".join(struct.pack("<BB", d, f) for d, f in path)


def drhd(flags, size, seg, base, scopes):
    return struct.pack("<HHBBHQ", 0, 16 + len(scopes), flags, size, seg, base) + scopes


def rmrr(seg, base, limit, scopes):
    return struct.pack("<HHHHQQ", 1, 24 + len(scopes), 0, seg, base, limit) + scopes


def atsr(flags, seg, scopes):
    return struct.pack("<HHBBH", 2, 8 + len(scopes), flags, 0, seg) + scopes


def rhsa(base, node):
    return struct.pack("<HHIQI", 3, 20, 0, base, node)


def andd(number, name):
    name = name.encode() + b"\0"
    return struct.pack("<HH3xB", 4, 8 + len(name), number) + name


def satc(flags, seg, scopes):
    return struct.pack("<HHBBH", 5, 8 + len(scopes), flags, 0, seg) + scopes


def sidp(seg, scopes):
    return struct.pack("<HHHH", 6, 8 + len(scopes), 0, seg) + scopes


def dmar(haw, flags, structs):
    return acpi(b"DMAR", struct.pack("<BB10x", haw - 1, flags) + b"".join(structs))


def dmar_all():
    """Every structure type, every scope type, every table flag."""
    return dmar(48, 0x07, [
        # the graphics unit: one endpoint, 8 KiB of registers
        drhd(0x00, 1, 0, 0xfed90000, scope(1, 0, [(0x02, 0)])),
        # the catch-all unit: IOAPIC, HPET and an ACPI namespace device
        drhd(0x01, 0, 0, 0xfed91000,
             scope(3, 0xf0, [(0x1f, 0)], enum_id=2) + scope(4, 0x00, [(0x1f, 7)]) +
             scope(5, 0x00, [(0x15, 0)], enum_id=1)),
        # segment 1: a root port and a device two levels below it
        drhd(0x00, 0, 1, 0xfed92000,
             scope(2, 0x80, [(0x01, 0)]) + scope(1, 0x80, [(0x01, 0), (0x00, 0)])),
        # RMRRs: a NIC behind a PCIe-to-PCI bridge (q35's 06:01.0), and a USB controller
        rmrr(0, 0x3e000000, 0x3e0fffff,
             scope(1, 0, [(0x11, 0), (0x00, 0), (0x01, 0)]) + scope(1, 0, [(0x1d, 0)])),
        rmrr(0, 0x7c000000, 0x7fffffff, scope(1, 0, [(0x02, 0)])),
        atsr(0x00, 0, scope(2, 0, [(0x10, 0)]) + scope(2, 0, [(0x11, 0)])),
        atsr(0x01, 1, b""),
        rhsa(0xfed90000, 0),
        rhsa(0xfed92000, 1),
        andd(1, "\\_SB.PCI0.SDMA"),
        satc(0x01, 0, scope(1, 0, [(0x02, 0)])),
        sidp(0, scope(1, 0, [(0x14, 0)], flags=0x01)),
        # a type this tool does not know: shown as raw bytes
        struct.pack("<HH8s", 9, 12, bytes(range(0xa0, 0xa8))),
    ])


def q35_dmar(top):
    with open(os.path.join(top, "fixtures/intel-q35/sys/firmware/acpi/tables/DMAR"), "rb") as f:
        return bytearray(f.read())


def dmar_rmrr(top):
    """fixtures/intel-q35's DMAR (QEMU's) followed by two RMRRs:
    - 0x3e000000-0x3e0fffff for the e1000 at 06:01.0, reached through the root
      port 00:11.0 and the PCIe-to-PCI bridge 05:00.0 (a three-element path);
    - 0x3f000000-0x3f7fffff for the VGA device 00:01.0 (relaxable)."""
    t = q35_dmar(top)
    body = bytes(t[36:])
    body += rmrr(0, 0x3e000000, 0x3e0fffff, scope(1, 0, [(0x11, 0), (0x00, 0), (0x01, 0)]))
    body += rmrr(0, 0x3f000000, 0x3f7fffff, scope(1, 0, [(0x01, 0)]))
    out = bytearray(t[:36]) + body
    struct.pack_into("<I", out, 4, len(out))
    return fix_checksum(out)


# ------------------------------------------------------------------ IVRS

def dev(code, devid, dte=0, extra=b""):
    return struct.pack("<BHB", code, devid, dte) + extra


def bdf(bus, d, f):
    return bus << 8 | d << 3 | f


def alias(code, devid, src, dte=0):
    return dev(code, devid, dte, struct.pack("<BHB", 0, src, 0))


def ext(code, devid, data, dte=0):
    return dev(code, devid, dte, struct.pack("<I", data))


def special(handle, src, variety, dte=0):
    return dev(0x48, 0, dte, struct.pack("<BHB", handle, src, variety))


def hid(devid, hid_bytes, cid_bytes, uid_format, uid, dte=0):
    return (struct.pack("<BHB8s8sBB", 0xf0, devid, dte, hid_bytes, cid_bytes, uid_format, len(uid))
            + uid)


def ivhd(kind, flags, devid, cap, base, seg, info, feature, entries, efr=0, efr2=0):
    if kind == 0x10:
        hdr = struct.pack("<BBHHHQHHI", kind, flags, 24 + len(entries), devid, cap, base, seg,
                          info, feature)
    else:
        hdr = struct.pack("<BBHHHQHHIQQ", kind, flags, 40 + len(entries), devid, cap, base, seg,
                          info, feature, efr, efr2)
    return hdr + entries


def ivmd(kind, flags, devid, aux, seg, start, size):
    return struct.pack("<BBHHHH6xQQ", kind, flags, 32, devid, aux, seg, start, size)


def ivrs(ivinfo, blocks, rev=2):
    return acpi(b"IVRS", struct.pack("<I8x", ivinfo) + b"".join(blocks), rev=rev)


def ivrs_all():
    """Every block type and every device-entry type."""
    ivinfo = 0x01 | 0x02 | (2 << 5) | (48 << 8) | (64 << 15)
    iommu = bdf(0, 0, 2)
    e10 = b"".join([
        dev(0x00, 0),                                   # pad4
        dev(0x02, bdf(0, 0, 0)),                        # select the host bridge
        dev(0x02, bdf(0, 1, 0), 0xf7),                  # every DTE setting bit
        dev(0x03, bdf(1, 0, 0)), dev(0x04, bdf(1, 31, 7)),
        alias(0x42, bdf(2, 0, 0), bdf(0, 0x14, 4)),
        ext(0x46, bdf(0, 0x14, 0), 0x80000000),         # ATS disabled
        ext(0x47, bdf(3, 0, 0), 0x00000000), dev(0x04, bdf(3, 31, 7)),
        alias(0x43, bdf(4, 0, 0), bdf(4, 0, 0)), dev(0x04, bdf(4, 31, 7)),
        alias(0x40, 0, 0),                              # pad8
        special(0x21, bdf(0, 0x14, 0), 1),              # IOAPIC
        special(0x00, bdf(0, 0x14, 0), 2),              # HPET
    ])
    e11 = dev(0x01, 0) + special(0x21, bdf(0, 0x14, 0), 1)
    e40 = b"".join([
        dev(0x02, bdf(0, 0, 0)),
        dev(0x03, bdf(0, 0x10, 0)), dev(0x04, bdf(0, 0x12, 7)),
        hid(bdf(0, 0x14, 5), b"AMDI0020", b"", 2, b"ID00"),
        hid(bdf(0, 0x14, 6), bytes([0x41, 0xd0, 0x0a, 0x08]) + bytes(4),
            bytes([0x41, 0xd0, 0x0c, 0x01]) + bytes(4), 1, bytes([5])),
        hid(bdf(0, 0x14, 7), b"AMDI0040", b"", 0, b""),
    ])
    return ivrs(ivinfo, [
        ivhd(0x10, 0xb0, iommu, 0x40, 0xfeb80000, 0, 0x1f00 | 0x04, 0x80048f6e, e10),
        ivhd(0x11, 0x30, iommu, 0x40, 0xfeb80000, 0, 0x0000, 0x00040000, e11,
             efr=0x58f77ef22294ade),
        ivhd(0x40, 0x30, iommu, 0x40, 0xfeb80000, 0, 0x0000, 0x00040000, e40,
             efr=0x58f77ef22294ade, efr2=0x1),
        ivmd(0x20, 0x07, 0, 0, 0, 0xa0000, 0x20000),
        ivmd(0x21, 0x08, bdf(0, 0x14, 0), 0, 0, 0xfd000000, 0x100000),
        ivmd(0x22, 0x07, bdf(1, 0, 0), bdf(1, 0, 7), 0, 0x3e000000, 0x1000),
    ])


def amd_q35_ivrs(top):
    with open(os.path.join(top, "fixtures/amd-q35/sys/firmware/acpi/tables/IVRS"), "rb") as f:
        return bytearray(f.read())


# ------------------------------------------------------------------ IORT

def idmap(inp, count, out, ref, flags=0):
    """An ID mapping: count is stored as the spec says (the number of IDs minus one)."""
    return struct.pack("<IIIII", inp, count, out, ref, flags)


def iort_node(kind, rev, ident, body, maps=b"", map_off=None):
    """A node: the 16-byte header, its body, its mappings (at map_off, default right after)."""
    nmaps = len(maps) // 20
    off = map_off if map_off is not None else 16 + len(body)
    data = body + bytes(max(0, off - 16 - len(body))) + maps if nmaps else body
    return struct.pack("<BHBIII", kind, 16 + len(data), rev, ident, nmaps,
                       off if nmaps else 0) + data


def iort(rev, nodes):
    """nodes: a list of callables taking the offsets of all nodes (to make references)."""
    offs, o = [], 48
    sizes = [len(n(None)) for n in nodes]
    for sz in sizes:
        offs.append(o)
        o += sz
    body = struct.pack("<III", len(nodes), 48, 0) + b"".join(n(offs) for n in nodes)
    return acpi(b"IORT", body, rev=rev)


def ref(offs, i):
    return offs[i] if offs else 0


# node indices in iort_all()
ITS, SMMU3, SMMU2, RC, NC, PMCG, RMR = range(7)


def mem_props(cca, hints, flags):
    return struct.pack("<IBHB", cca, hints, 0, flags)


def iort_all():
    """Every node type of issue E.d (revision 5), every kind of mapping."""
    def its(offs):
        return iort_node(0, 1, 0, struct.pack("<II", 2, 0) + struct.pack("<I", 1))

    def smmu3(offs):
        # MSI-signalled (no GSIV), so its device ID mapping index (1) is used
        body = struct.pack("<QIIQIIIIIII", 0x09050000, 0x09, 0, 0, 0, 0, 0, 0, 0, 1, 1)
        maps = idmap(0, 0x2ffff, 0, ref(offs, ITS)) + idmap(0, 0, 0x40000, ref(offs, ITS), 1)
        return iort_node(4, 4, 1, body, maps)

    def smmu2(offs):
        body = struct.pack("<QQIIIIIII", 0x2b400000, 0x10000, 3, 0x3, 60, 2, 76, 1, 92)
        body += struct.pack("<IIII", 0x20, 1, 0x21, 0)           # global
        body += struct.pack("<IIII", 0x40, 1, 0x41, 1)           # 2 context
        body += struct.pack("<II", 0x50, 0)                      # 1 PMU
        return iort_node(3, 3, 2, body)

    def rc(offs):
        body = mem_props(1, 0, 0x3) + struct.pack("<IIBHB", 0x7, 0, 48, 20, 0)
        maps = (idmap(0x0000, 0x00ff, 0x0000, ref(offs, SMMU3)) +
                idmap(0x0100, 0x00ff, 0x0100, ref(offs, ITS)))
        return iort_node(2, 4, 3, body, maps)

    def nc(offs):
        name = b"\\_SB.ETH0\0"
        body = struct.pack("<I", 1 | (16 << 1)) + mem_props(1, 0x0f, 0x1) + struct.pack("<B", 48)
        body += name + bytes((-len(body) - len(name) + len(name)) % 4)
        body += bytes((4 - (16 + len(body)) % 4) % 4)
        maps = idmap(0, 0, 0x20000, ref(offs, SMMU3), 1)
        return iort_node(1, 4, 4, body, maps)

    def pmcg(offs):
        body = struct.pack("<QIIQ", 0x09060000, 110, ref(offs, SMMU3), 0x09070000)
        return iort_node(5, 1, 5, body)

    def rmr(offs):
        # remap permitted, access normal write-back; one stream ID (0x0008) on the SMMUv3
        maps = idmap(0, 0, 0x0008, ref(offs, SMMU3))
        descs = struct.pack("<QQI", 0x3e000000, 0x100000, 0) + struct.pack("<QQI", 0x3f000000,
                                                                             0x10000, 0)
        body = struct.pack("<III", 0x1 | (5 << 2), 2, 28 + 20) + maps + descs
        return struct.pack("<BHBIII", 6, 16 + len(body), 1, 6, 1, 28) + body

    return iort(5, [its, smmu3, smmu2, rc, nc, pmcg, rmr])


def iort_v0():
    """Revision 0 (issues A to D): nodes of revision 0, no identifiers, no index."""
    def its(offs):
        return iort_node(0, 0, 0, struct.pack("<II", 1, 0))

    def smmu3(offs):
        body = struct.pack("<QIIQIIIII", 0x2b400000, 0, 0, 0, 0, 74, 75, 77, 76)
        return iort_node(4, 0, 0, body, idmap(0, 0xffff, 0, ref(offs, 0)))

    def rc(offs):
        body = mem_props(1, 0, 0) + struct.pack("<II", 0, 0)
        return iort_node(2, 0, 0, body, idmap(0, 0xffff, 0, ref(offs, 1)))

    return iort(0, [its, smmu3, rc])


def node_offsets(t):
    n, o = struct.unpack_from("<II", t, 36)
    offs = []
    for _ in range(n):
        offs.append(o)
        o += struct.unpack_from("<H", t, o + 1)[0]
    return offs


def map_offset(t, node, k=0):
    mo = struct.unpack_from("<I", t, node + 12)[0]
    return node + mo + 20 * k


# ------------------------------------------------------------------ VIOT

def viot(nodes):
    offs, o = [], 48
    for n in nodes:
        offs.append(o)
        o += len(n(None))
    body = struct.pack("<HH8x", len(nodes), 48) + b"".join(n(offs) for n in nodes)
    return acpi(b"VIOT", bytes(body) + b"", rev=0)


def viot_all():
    """Every node type: PCI range and MMIO endpoint, virtio-iommu on PCI and MMIO."""
    def pci_range(offs):
        return struct.pack("<BBHIHHHHH6x", 1, 0, 24, 8, 0, 0, 0x0008, 0x00ff, ref(offs, 2))

    def mmio(offs):
        return struct.pack("<BBHIQH6x", 2, 0, 24, 0x400, 0x0a000000, ref(offs, 3))

    def vpci(offs):
        return struct.pack("<BBHHH8x", 3, 0, 16, 0, 0x0018)

    def vmmio(offs):
        return struct.pack("<BBH4xQ", 4, 0, 16, 0x0a003000)

    return viot([pci_range, mmio, vpci, vmmio])


# ------------------------------------------------------------ the bad set

def truncated(t, n):
    """The first n bytes, the header (if there is one) unchanged: a short copy."""
    return bytes(t[:n])


def with_u16(t, off, v, checksum=True):
    t = bytearray(t)
    struct.pack_into("<H", t, off, v)
    return fix_checksum(t) if checksum else t


def with_u8(t, off, v):
    t = bytearray(t)
    t[off] = v
    return fix_checksum(t)


def with_length(t, n):
    t = bytearray(t)
    struct.pack_into("<I", t, 4, n)
    return fix_checksum(t)


def bad_set(top):
    """(name, bytes, exit status, text the warnings or error must contain, what it tests)"""
    q = q35_dmar(top)          # DRHD at 0x30 (length 0x78), scopes from 0x40, 8 bytes each
    a = dmar_all()
    offs = struct_offsets(a, 48, lambda t, o: struct.unpack_from("<H", t, o + 2)[0])
    v = amd_q35_ivrs(top)      # IVHD 0x10 at 0x30 (length 0x8c), entries from 0x48
    w = ivrs_all()
    voffs = struct_offsets(w, 48, lambda t, o: struct.unpack_from("<H", t, o + 2)[0])
    ivhd40 = voffs[2]
    out = [
        ("dmar-short-header.dat", truncated(q, 20), 1, "shorter than an ACPI table header",
         "20 bytes: not even the header"),
        ("dmar-trunc-body.dat", truncated(q, 40), 0, "truncated: the header says 168 bytes",
         "the table stops in the reserved bytes"),
        ("dmar-trunc-struct-header.dat", truncated(q, 50), 0, "too short for a structure header",
         "the table stops inside a structure header"),
        ("dmar-trunc-drhd.dat", truncated(q, 60), 0, "runs past the end of the table",
         "the table stops inside the DRHD's fixed fields"),
        ("dmar-trunc-scope.dat", truncated(q, 0x4b), 0, "runs past the end of its DRHD",
         "the table stops inside a device scope"),
        ("dmar-length-short.dat", with_length(q, 20), 0, "shorter than the header itself",
         "the header's length is 20"),
        ("dmar-length-long.dat", with_length(q, 4096), 0, "truncated: the header says 4096",
         "the header's length is more than there is"),
        ("dmar-bad-checksum.dat", bytes(q[:9]) + bytes([q[9] ^ 0x5a]) + bytes(q[10:]), 0,
         "checksum mismatch",
         "one byte of the checksum changed"),
        ("dmar-zero-length.dat", with_u16(a, offs[1] + 2, 0), 0, "of length 0",
         "the second structure's length is 0 (decoding stops, as the kernel's does)"),
        ("dmar-overlong.dat", with_u16(a, offs[-1] + 2, 0x400), 0,
         "runs past the end of the table", "the last structure claims 1 KiB"),
        ("dmar-short-drhd.dat", with_u16(a, offs[0] + 2, 8), 0, "shorter than its 16 fixed bytes",
         "a DRHD of length 8"),
        ("dmar-scope-zero.dat", with_u8(q, 0x49, 0), 0, "device scope of length 0",
         "a scope of length 0"),
        ("dmar-scope-overlong.dat", with_u8(q, 0x49, 0x70), 0, "runs past the end of its DRHD",
         "a scope longer than its DRHD"),
        ("dmar-scope-odd.dat", with_u8(q, 0x41, 9), 0, "half a path element",
         "a scope of odd length (the next scope is then misaligned)"),
        ("dmar-unknown-type.dat", with_u16(a, offs[3], 0x30), 0, "unknown structure type 48",
         "an RMRR retyped to 48"),
        ("dmar-unknown-scope.dat", with_u8(q, 0x48, 9), 0, "unknown device scope type 9",
         "a scope of type 9"),
        ("dmar-rmrr-reversed.dat", rmrr_reversed(a, offs[3]), 0, "ends (0x3dffffff) before",
         "an RMRR whose limit is below its base"),
        ("ivrs-short-header.dat", truncated(v, 30), 1, "shorter than an ACPI table header",
         "30 bytes: not even the header"),
        ("ivrs-trunc-ivinfo.dat", truncated(v, 38), 0, "the table ends before IVinfo",
         "the table stops inside IVinfo"),
        ("ivrs-trunc-ivhd.dat", truncated(v, 0x40), 0, "shorter than its 24-byte header",
         "the table stops inside the IVHD header"),
        ("ivrs-trunc-entry.dat", truncated(v, 0x92), 0, "runs past the end of its IVHD",
         "the table stops inside an 8-byte device entry"),
        ("ivrs-bad-checksum.dat", bytes(v[:9]) + bytes([v[9] ^ 1]) + bytes(v[10:]), 0,
         "checksum mismatch", "one bit of the checksum flipped"),
        ("ivrs-zero-length.dat", with_u16(w, voffs[1] + 2, 0), 0, "of length 0",
         "the second block's length is 0"),
        ("ivrs-overlong.dat", with_u16(w, voffs[-1] + 2, 0x200), 0,
         "runs past the end of the table", "the last block claims 512 bytes"),
        ("ivrs-unknown-block.dat", with_u8(w, voffs[3], 0x50), 0, "unknown block type 0x50",
         "an IVMD retyped to 0x50"),
        ("ivrs-short-ivmd.dat", with_u16(w, voffs[3] + 2, 16), 0, "shorter than its 32",
         "an IVMD of length 16 (the next block is then misaligned)"),
        ("ivrs-unknown-entry.dat", with_u8(v, 0x48, 0x85), 0, "of unknown length",
         "a device entry of type 0x85 (length unknown: the rest of the IVHD is lost)"),
        ("ivrs-unknown-entry-small.dat", with_u8(v, 0x48, 0x05), 0,
         "unknown device entry type 0x05", "a 4-byte device entry of type 0x05"),
        ("ivrs-range-open.dat", with_u8(v, 0x60, 0x00), 0, "has no end",
         "a range end turned into padding"),
        ("ivrs-range-end-alone.dat", with_u8(v, 0x5c, 0x00), 0, "range end without a start",
         "a range start turned into padding"),
        ("ivrs-range-reversed.dat", with_u16(v, 0x61, 0x00ff), 0, "is below its start",
         "a range that ends before it starts"),
        ("ivrs-hid-overlong.dat", with_u8(w, ivhd40 + 40 + 12 + 21, 0xc8), 0,
         "runs past the end of its IVHD", "an ACPI HID entry whose UID claims 200 bytes"),
        ("ivrs-hid-in-0x10.dat", hid_in_ivhd10(), 0, "ACPI HID entry in an IVHD of type 0x10",
         "an ACPI HID entry in an IVHD of type 0x10"),
    ]
    out += iort_bad() + viot_bad()
    return out


def with_u32(t, off, v):
    t = bytearray(t)
    struct.pack_into("<I", t, off, v)
    return fix_checksum(t)


def iort_bad():
    a = iort_all()
    n = node_offsets(a)
    rc_map0 = map_offset(a, n[RC])
    smmu_map0 = map_offset(a, n[SMMU3])
    rmr_desc0 = n[RMR] + 48
    return [
        ("iort-short-header.dat", truncated(a, 20), 1, "shorter than an ACPI table header",
         "20 bytes: not even the header"),
        ("iort-trunc-body.dat", truncated(a, 40), 0, "ends before the node count",
         "the table stops inside the node count"),
        ("iort-trunc-node.dat", truncated(a, n[SMMU3] + 30), 0, "runs past the end of the table",
         "the table stops inside the SMMUv3 node"),
        ("iort-trunc-header.dat", truncated(a, n[SMMU3] + 2), 0, "too short for a node header",
         "the table stops inside a node header"),
        ("iort-bad-checksum.dat", bytes(a[:9]) + bytes([a[9] ^ 0x11]) + bytes(a[10:]), 0,
         "checksum mismatch", "the checksum changed"),
        ("iort-ref-outside.dat", with_u32(a, rc_map0 + 12, 0x4000), 0, "outside the table",
         "a root complex mapping to offset 0x4000"),
        ("iort-ref-not-node.dat", with_u32(a, rc_map0 + 12, n[SMMU3] + 4), 0,
         "not the start of a node", "a mapping into the middle of the SMMUv3 node"),
        ("iort-ref-null.dat", with_u32(a, rc_map0 + 12, 0), 0, "no output reference",
         "a mapping with output reference 0"),
        ("iort-ref-self.dat", with_u32(a, smmu_map0 + 12, n[SMMU3]), 0, "leads to itself",
         "an SMMUv3 mapping to itself"),
        ("iort-loop.dat", with_u32(a, smmu_map0 + 12, n[RC]), 0, "(a loop)",
         "an SMMUv3 mapping back to the root complex that maps to it"),
        ("iort-ref-wrong-type.dat", with_u32(a, rc_map0 + 12, n[PMCG]), 0, "may not lead to",
         "a root complex mapping to a PMCG"),
        ("iort-zero-its.dat", with_u32(a, n[ITS] + 16, 0), 0, "ITS group with no ITS",
         "an ITS group of zero ITSs"),
        ("iort-its-overcount.dat", with_u32(a, n[ITS] + 16, 9), 0, "its node holds 2",
         "an ITS group claiming 9 identifiers"),
        ("iort-node-zero-length.dat", with_u16(a, n[SMMU2] + 1, 0), 0, "of length 0",
         "the SMMUv2 node's length is 0 (the nodes after it are lost)"),
        ("iort-map-outside-node.dat", with_u32(a, n[RC] + 12, 0x200), 0, "not inside the node",
         "the root complex's mappings at node offset 0x200"),
        ("iort-map-overcount.dat", with_u32(a, n[RC] + 8, 9), 0, "fit inside the node",
         "a root complex claiming 9 mappings"),
        ("iort-map-count-stored.dat", with_u32(a, rc_map0 + 4, 0x100), 0,
         "the number of IDs was stored", "a range that ends where the next one starts"),
        ("iort-node-count-high.dat", with_u32(a, 36, 12), 0, "the table says 12 nodes",
         "a node count beyond the nodes there are"),
        ("iort-node-offset-low.dat", with_u32(a, 40, 16), 0, "overlap the table's header",
         "the first node inside the header"),
        ("iort-unknown-node.dat", with_u8(a, n[PMCG], 9), 0, "unknown node type 9",
         "the PMCG retyped to 9"),
        ("iort-rmr-unaligned.dat", with_u32(a, rmr_desc0, 0x3e001000), 0, "not 64 KiB aligned",
         "an RMR range at 0x3e001000"),
        ("iort-rmr-zero.dat", bytes(fix_checksum(zero_rmr(a, rmr_desc0))), 0, "of length 0",
         "an RMR range of length 0"),
        ("iort-rmr-outside.dat", with_u32(a, n[RMR] + 24, 0x300), 0, "are not inside the node",
         "the RMR's ranges at node offset 0x300"),
        ("iort-idindex-overflow.dat", with_u32(a, n[SMMU3] + 64, 7), 0, "mapping index 7",
         "an SMMUv3 device ID mapping index past its mappings"),
        ("iort-smmu-irq-outside.dat", with_u32(a, n[SMMU2] + 48, 0x400), 0,
         "context interrupts", "SMMUv2 context interrupts at node offset 0x400"),
        ("iort-nc-no-nul.dat", nc_no_nul(a, n[NC]), 0, "not NUL-terminated",
         "a named component whose name runs into its mappings"),
    ]


def zero_rmr(t, off):
    t = bytearray(t)
    struct.pack_into("<Q", t, off + 8, 0)
    return t


def nc_no_nul(t, off):
    t = bytearray(t)
    mo = struct.unpack_from("<I", t, off + 12)[0]
    for i in range(off + 29, off + mo):
        t[i] = ord("A")
    return fix_checksum(t)


def viot_bad():
    v = viot_all()
    return [
        ("viot-short-header.dat", truncated(v, 30), 1, "shorter than an ACPI table header",
         "30 bytes: not even the header"),
        ("viot-trunc-body.dat", truncated(v, 38), 0, "ends before the node count",
         "the table stops inside the node count"),
        ("viot-trunc-node.dat", truncated(v, 60), 0, "runs past the end of the table",
         "the table stops inside the PCI range node"),
        ("viot-bad-output.dat", with_u16(v, 48 + 16, 0x34), 0, "not the start of a node",
         "a PCI range whose virtio-iommu is inside its own node"),
        ("viot-output-outside.dat", with_u16(v, 48 + 16, 0x400), 0, "outside the table",
         "a PCI range whose virtio-iommu is past the end"),
        ("viot-output-not-iommu.dat", with_u16(v, 48 + 16, 72), 0, "not a virtio-iommu",
         "a PCI range pointing to the MMIO endpoint node"),
        ("viot-short-node.dat", with_u16(v, 48 + 2, 12), 0, "shorter than its 24",
         "a PCI range node of 12 bytes (the next node is then misaligned)"),
        ("viot-zero-length.dat", with_u16(v, 48 + 2, 0), 0, "of length 0",
         "a node of length 0"),
        ("viot-unknown-node.dat", with_u8(v, 48 + 24 + 24, 9), 0, "unknown node type 9",
         "the virtio-iommu PCI node retyped to 9"),
        ("viot-range-reversed.dat", with_u16(v, 48 + 14, 0x0004), 0, "ends (0000:0004) before",
         "a PCI range ending before it starts"),
        ("viot-node-count-high.dat", with_u16(v, 36, 9), 0, "the table says 9 nodes",
         "a node count beyond the nodes there are"),
    ]


def hid_in_ivhd10():
    return ivrs(0x2800, [ivhd(0x10, 0x00, bdf(0, 0, 2), 0x40, 0xfeb80000, 0, 0, 0,
                              dev(0x02, 0) + hid(bdf(0, 0x14, 5), b"AMDI0020", b"", 0, b""))])


def struct_offsets(t, start, length_of):
    offs, o = [], start
    while o + 4 <= len(t):
        offs.append(o)
        n = length_of(t, o)
        if n < 4:
            break
        o += n
    return offs


def rmrr_reversed(t, off):
    t = bytearray(t)
    struct.pack_into("<Q", t, off + 16, 0x3dffffff)
    return fix_checksum(t)


RMRR_README = """fixtures/intel-rmrr: SYNTHETIC. Not a capture.

A copy of fixtures/intel-q35 (a real Linux 6.1 tree, QEMU q35 with intel-iommu)
made by tests/acpi/mk-tables.py, which then changed three files:

- sys/firmware/acpi/tables/DMAR: QEMU's table followed by two RMRRs
    0x3e000000-0x3e0fffff for 0000:06:01.0 (the e1000 behind the root port
      00:11.0 and the PCIe-to-PCI bridge 05:00.0: a three-element path,
      11.0/00.0/01.0 from bus 0), and
    0x3f000000-0x3f7fffff for 0000:00:01.0 (the VGA device: relaxable);
- sys/kernel/iommu_groups/14/reserved_regions: the "direct" region the kernel
  adds for the first RMRR (group 14 holds 06:01.0);
- sys/kernel/iommu_groups/1/reserved_regions: the "direct-relaxable" region
  for the second (graphics RMRRs are relaxable).

capture/DMAR.dsl is `iasl -d` of the new table when iasl was installed.
Nothing else was changed: the kernel log (dev/kmsg, capture/dmesg.txt) still
has no "DMAR: RMRR base" lines, and every other file is intel-q35's.
It exists so that the golden tests see an RMRR: the `rmrr` marks of `groups`
and `devices`, and the RMRR cross-reference and warning of `acpi`.
"""


def make_rmrr_fixture(top):
    src = os.path.join(top, "fixtures/intel-q35")
    dst = os.path.join(top, "fixtures/intel-rmrr")
    if not os.path.isdir(dst):
        shutil.copytree(src, dst, symlinks=True)
    write(os.path.join(dst, "sys/firmware/acpi/tables/DMAR"), dmar_rmrr(top))
    regions = {
        "14": "0x000000003e000000 0x000000003e0fffff direct\n",
        "1": "0x000000003f000000 0x000000003f7fffff direct-relaxable\n",
    }
    for g, line in regions.items():
        with open(os.path.join(src, "sys/kernel/iommu_groups", g, "reserved_regions")) as f:
            old = f.read()
        with open(os.path.join(dst, "sys/kernel/iommu_groups", g, "reserved_regions"), "w") as f:
            f.write(line + old)   # the kernel lists them by start address
    with open(os.path.join(dst, "README"), "w") as f:
        f.write(RMRR_README)
    with open(os.path.join(dst, "capture/notes"), "w") as f:
        f.write("synthetic: a copy of intel-q35 with RMRRs added; see ../README\n")
    dsl = os.path.join(dst, "capture/DMAR.dsl")
    if os.path.exists(dsl):
        os.remove(dsl)
    if shutil.which("iasl"):
        with tempfile.TemporaryDirectory() as tmp:
            dat = os.path.join(tmp, "DMAR.dat")
            write(dat, dmar_rmrr(top))
            subprocess.run(["iasl", "-d", dat], cwd=tmp, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            if os.path.exists(os.path.join(tmp, "DMAR.dsl")):
                with open(os.path.join(tmp, "DMAR.dsl")) as f:
                    text = f.read()
                # no date or temporary path: the output stays the same from run to run
                text = re.sub(r"Disassembly of .*", "Disassembly of DMAR.dat", text)
                with open(dsl, "w") as f:
                    f.write(text)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(bytes(data))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--top", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", ".."),
                    help="the repository's top directory")
    args = ap.parse_args()
    top = os.path.abspath(args.top)
    good = os.path.join(top, "fixtures/acpi/good")
    bad = os.path.join(top, "fixtures/acpi/bad")

    write(os.path.join(good, "dmar-all.dat"), dmar_all())
    write(os.path.join(good, "dmar-rmrr.dat"), dmar_rmrr(top))
    write(os.path.join(good, "ivrs-all.dat"), ivrs_all())
    write(os.path.join(good, "iort-all.dat"), iort_all())
    write(os.path.join(good, "iort-v0.dat"), iort_v0())
    write(os.path.join(good, "viot-all.dat"), viot_all())
    make_rmrr_fixture(top)

    manifest = ["# Written by tests/acpi/mk-tables.py. One line per file:",
                "# name | exit status of `iommu-inspect acpi --file NAME` | text its warnings "
                "or error contain | what is broken"]
    for name, data, rc, text, why in bad_set(top):
        write(os.path.join(bad, name), data)
        manifest.append("%s | %d | %s | %s" % (name, rc, text, why))
    with open(os.path.join(bad, "MANIFEST"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
