#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check `iommu-inspect acpi --file TABLE -j` against the table's bytes, read here.

  tests/acpi/raw-check.py BIN NAME TABLE

What the iasl of Debian 12 (20200925) cannot cross-check, this reads from the
bytes with its own few lines per structure: every DMAR structure (SATC and SIDP
too) with its type, length and device scopes (offset, type, flags, enumeration
id, start bus, path); every IVRS block's type and length, and every device entry
of every IVHD (types 0x11 and 0x40 too, with the ACPI HID entries' HID, CID and
UID), start-of-range entries joined with their end as we show them. IORT is left
to iasl. Prints one line: "PASS raw/NAME: ...", "SKIP raw/NAME: ..." or
"FAIL raw/NAME: why".
"""
import json
import struct
import subprocess
import sys


class Mismatch(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Mismatch(msg)


def dmar(d, doc):
    ours = {int(s["offset"], 16): s for s in doc["structures"]}
    hdr = {0: 16, 1: 24, 2: 8, 5: 8, 6: 8}      # the scopes' start, for types with scopes
    off, ns, nsc = 48, 0, 0
    while off + 4 <= len(d):
        t, ln = struct.unpack_from("<HH", d, off)
        need(ln >= 4, "structure at 0x%x: length %d" % (off, ln))
        s = ours.get(off)
        w = "structure at 0x%x" % off
        need(s is not None, w + ": not in our output")
        need(s["type_code"] == t and s["length"] == ln, w + ": type or length")
        if t in (5, 6):
            need(s["segment"] == struct.unpack_from("<H", d, off + 6)[0], w + ": segment")
        if t == 5:
            need(int(s["flags"], 16) == d[off + 4], w + ": SATC flags")
        if t in hdr:
            p, scopes = off + hdr[t], s.get("scopes", [])
            i = 0
            while p + 6 <= off + ln:
                st, sl, fl, eid, bus = d[p], d[p + 1], d[p + 2], d[p + 4], d[p + 5]
                path = ["%02x.%x" % (d[q], d[q + 1]) for q in range(p + 6, p + sl - 1, 2)]
                need(i < len(scopes), w + ": fewer scopes than the bytes hold")
                a = scopes[i]
                sw = "%s: scope at 0x%x" % (w, p)
                need(int(a["offset"], 16) == p, sw + ": offset %s" % a["offset"])
                need(a["type_code"] == st and a["length"] == sl, sw + ": type or length")
                need(int(a["flags"], 16) == fl, sw + ": flags %s, bytes 0x%02x" % (a["flags"], fl))
                need(a["enumeration_id"] == eid and a["start_bus"] == bus, sw + ": id or bus")
                need(a["path"] == path, sw + ": path %s, bytes %s" % (a["path"], path))
                i, p, nsc = i + 1, p + max(sl, 1), nsc + 1
            need(i == len(scopes), w + ": %d scopes, the bytes hold %d" % (len(scopes), i))
        ns += 1
        off += ln
    return "%d structures and %d scopes agree with the bytes" % (ns, nsc)


def bdf(v):
    return "0000:%02x:%02x.%x" % (v >> 8, v >> 3 & 31, v & 7)


def ivhd_entries(d, off, ln, hdr, seg):
    """(offset, code, first, last, extra) as we show them: a start joined with its end."""
    out, p, start = [], off + hdr, None
    while p < off + ln:
        c = d[p]
        dev = struct.unpack_from("<H", d, p + 1)[0]
        if c == 0xF0:
            ul = d[p + 21]
            out.append((p, c, dev, None, {"hid": d[p + 4:p + 12], "cid": d[p + 12:p + 20],
                                         "uf": d[p + 20], "uid": d[p + 22:p + 22 + ul]}))
            p += 22 + ul
            continue
        size = 4 if c < 0x40 else 8 if c < 0x80 else 16 if c < 0xC0 else 32
        if c == 0x04 and start is not None:
            start[3] = dev
            start = None
        elif c in (0x03, 0x43, 0x47):
            start = [p, c, dev, None, {}]
            out.append(start)
        else:
            out.append([p, c, dev, None, {}])
        p += size
    return out


def ivrs(d, doc):
    ours = {int(b["offset"], 16): b for b in doc["blocks"]}
    off, nb, ne = 48, 0, 0
    while off + 4 <= len(d):
        t, ln = d[off], struct.unpack_from("<H", d, off + 2)[0]
        need(ln >= 4, "block at 0x%x: length %d" % (off, ln))
        b = ours.get(off)
        w = "block at 0x%x" % off
        need(b is not None and int(b["type"], 16) == t and b["length"] == ln, w + ": type/length")
        if t in (0x10, 0x11, 0x40):
            seg = struct.unpack_from("<H", d, off + 16)[0]
            ents = {int(e["offset"], 16): e for e in b["device_entries"]}
            for p, c, first, last, x in ivhd_entries(d, off, ln, 24 if t == 0x10 else 40, seg):
                e = ents.get(p)
                ew = "%s: entry at 0x%x" % (w, p)
                need(e is not None and int(e["code"], 16) == c, ew + ": not in our output")
                if c == 0xF0:
                    need(e["hid"] == x["hid"].rstrip(b"\0 ").decode("latin1"), ew + ": HID")
                    cid = x["cid"].rstrip(b"\0 ").decode("latin1")
                    need((e["cid"] or "") == cid, ew + ": CID %s, bytes %r" % (e["cid"], cid))
                    need(e["uid_format"] == x["uf"], ew + ": UID format")
                    if x["uf"] == 2:
                        need(e["uid"] == x["uid"].rstrip(b"\0").decode("latin1"), ew + ": UID")
                    need(e["bdf"] == bdf(first).replace("0000:", "%04x:" % seg, 1), ew + ": bdf")
                elif c in (0x02, 0x03, 0x42, 0x43, 0x46, 0x47):
                    need(e["first"] == bdf(first).replace("0000:", "%04x:" % seg, 1),
                         ew + ": first %s" % e["first"])
                    if c in (0x03, 0x43, 0x47) and last is not None:
                        need(e["last"] == bdf(last).replace("0000:", "%04x:" % seg, 1),
                             ew + ": last %s" % e["last"])
                ne += 1
        nb += 1
        off += ln
    return "%d blocks and %d device entries agree with the bytes" % (nb, ne)


def main():
    if len(sys.argv) != 4:
        print("FAIL raw-check: usage: raw-check.py BIN NAME TABLE")
        return 0
    binary, name, table = sys.argv[1:]
    try:
        with open(table, "rb") as f:
            d = f.read()
        r = subprocess.run([binary, "--root", "fixtures/acpi/real/root", "acpi", "--file", table,
                            "-j"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        need(r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr.decode()[:200]))
        doc = json.loads(r.stdout)["tables"][0]
        if d[:4] == b"DMAR":
            what = dmar(d, doc)
        elif d[:4] == b"IVRS":
            what = ivrs(d, doc)
        else:
            print("SKIP raw/%s: %s is checked against iasl only" % (name, d[:4].decode("latin1")))
            return 0
        print("PASS raw/%s: %s" % (name, what))
    except (Mismatch, KeyError, ValueError, TypeError, IndexError, OSError, struct.error) as e:
        print("FAIL raw/%s: %s: %s" % (name, type(e).__name__, e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
