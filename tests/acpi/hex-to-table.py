#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Rebuild a binary ACPI table from a hex dump of it.

  tests/acpi/hex-to-table.py SIG DUMP OUT [INDEX]

DUMP is text holding the table's bytes as hex lines "OFFSET: XX XX ... [// ascii]",
in either of the two forms public bug reports and hardware databases carry:

  - `acpidump` output: a line "SIG @ 0xADDRESS" and the table's lines after it;
  - `iasl -d` output: the table's fields, then "Raw Table Data: Length N (0xN)"
    and the lines after it (also the `acpixtract -a`/hw-probe form, where a
    line with just "SIG" and a line of dashes open each table's decoding).

The INDEX-th table (0 first) whose first four bytes are SIG is written to OUT.
The bytes are checked before anything is written: the header's length must be
the number of bytes in the dump (iasl's "Length N" too, where given), the lines'
offsets must follow each other, and the bytes must sum to 0 mod 256 (the ACPI
checksum). Exit status 0 when written, 1 with a message on stderr otherwise.
"""
import re
import sys

HEX = re.compile(r"^\s*([0-9A-Fa-f]{4,8}):((?:\s[0-9A-Fa-f]{2}){1,16})(?:\s|$)")
ACPIDUMP = re.compile(r"^\s*([A-Z0-9_!]{4}) @ 0x[0-9A-Fa-f]+\s*$")
RAW = re.compile(r"Raw Table Data: Length (\d+)")


def tables(text):
    """(announced length or None, bytes) of every hex run in the dump."""
    out, cur, want, expect = [], None, None, 0
    for line in text.splitlines():
        m = HEX.match(line)
        if m:
            off = int(m.group(1), 16)
            data = bytes(int(b, 16) for b in m.group(2).split())
            if cur is None or off == 0:
                if off != 0:
                    continue        # hex lines that are not a table's start
                cur = bytearray()
                out.append([want, cur])
                want = None
            elif off != len(cur):
                raise ValueError("offset %04x after %d bytes" % (off, len(cur)))
            cur += data
            continue
        cur = None
        r = RAW.search(line)
        if r:
            want, cur = int(r.group(1)), None
        elif ACPIDUMP.match(line):
            want, cur = None, None
    return [(w, bytes(b)) for w, b in out]


def main():
    if len(sys.argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 1
    sig, dump, dest = sys.argv[1:4]
    index = int(sys.argv[4]) if len(sys.argv) == 5 else 0
    with open(dump, errors="replace") as f:
        found = [t for t in tables(f.read()) if t[1][:4] == sig.encode()]
    if index >= len(found):
        sys.stderr.write("%s: %d %s table(s), no index %d\n" % (dump, len(found), sig, index))
        return 1
    want, data = found[index]
    if len(data) < 36:
        sys.stderr.write("%s: %s: %d bytes, less than a header\n" % (dump, sig, len(data)))
        return 1
    length = int.from_bytes(data[4:8], "little")
    if length != len(data) or (want is not None and want != len(data)):
        sys.stderr.write("%s: %s: header length %d, %d bytes in the dump%s\n" % (
            dump, sig, length, len(data), "" if want is None else ", iasl says %d" % want))
        return 1
    if sum(data) % 256:
        sys.stderr.write("%s: %s: checksum wrong (sum 0x%02x)\n" % (dump, sig, sum(data) % 256))
        return 1
    with open(dest, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
