#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
check-real.py BIN [DIR]: `faults --dmesg-file` on every excerpt of real logs
in DIR (fixtures/logs/real/), against what a careful reader found in it (the
sidecar NNN-kind.src next to each NNN-kind.txt, written by reading the lines):

    expect: N                  faults in the excerpt
    unparsed: N                lines that look like faults and cannot be decoded (default 0)
    fault: key=value ... [xN]  one fault in log order (xN: N alike), keys among
                               vendor bdf addr reason access event flags sid pasid

Prints "PASS real/NNN-kind" or "FAIL real/NNN-kind: why" per excerpt, then a
line "real-logs: F of E faults found in X excerpts (per kind: ...)" on
standard error for the report. Exit status 0.
"""
import collections
import glob
import json
import os
import subprocess
import sys

KEYS = ("vendor", "bdf", "addr", "reason", "access", "event", "flags", "sid", "pasid")


def parse_src(path):
    want = {"expect": None, "unparsed": 0, "faults": [], "kind": ""}
    for line in open(path, encoding="utf-8"):
        key, _, rest = line.partition(":")
        rest = rest.strip()
        if key == "expect":
            want["expect"] = int(rest)
        elif key == "unparsed":
            want["unparsed"] = int(rest)
        elif key == "kind":
            want["kind"] = rest.split(";")[0].strip()
        elif key == "fault":
            n, fields = 1, {}
            for word in rest.split():
                if word[0] == "x" and word[1:].isdigit():
                    n = int(word[1:])
                    continue
                k, _, v = word.partition("=")
                if k not in KEYS:
                    raise ValueError("%s: unknown key %r" % (path, k))
                fields[k] = v
            want["faults"].extend([fields] * n)
    return want


def got_value(f, key):
    v = {"addr": f.get("address"), "reason": f.get("reason_code")}.get(key, f.get(key))
    return v


def same(key, want, got):
    if got is None:
        return False
    if key in ("addr", "sid", "pasid", "reason"):
        g = int(got, 16) if isinstance(got, str) else int(got)
        return int(want, 0) == g
    if key == "flags":
        return int(want, 16) == int(got, 16)
    return str(want) == str(got)


def check(binary, txt):
    name = os.path.basename(txt)[:-4]
    want = parse_src(txt[:-4] + ".src")
    out = subprocess.run([binary, "faults", "--dmesg-file", txt, "--list", "--json"],
                         capture_output=True, text=True, timeout=60)
    try:
        doc = json.loads(out.stdout)
    except ValueError:
        return name, want, 0, "no JSON (exit %d): %s" % (out.returncode, out.stderr[:200])
    faults = doc.get("faults", [])
    why = []
    if want["expect"] is None or want["expect"] != len(want["faults"]):
        why.append("sidecar: expect %s but %d fault lines" % (want["expect"], len(want["faults"])))
    found = 0
    for i, w in enumerate(want["faults"]):
        if i >= len(faults):
            why.append("fault %d missing" % (i + 1))
            continue
        bad = [k for k in w if not same(k, w[k], got_value(faults[i], k))]
        if bad:
            why.append("fault %d: %s" % (i + 1, ", ".join(
                "%s=%s, want %s" % (k, got_value(faults[i], k), w[k]) for k in bad)))
        else:
            found += 1
    if len(faults) > len(want["faults"]):
        why.append("%d faults, want %d (invented: %s)" % (
            len(faults), len(want["faults"]), faults[len(want["faults"])].get("message", "")[:80]))
    unparsed = doc.get("summary", {}).get("unparsed", len(doc.get("unparsed", [])))
    if unparsed != want["unparsed"]:
        lines = [u.get("message", "")[:80] for u in doc.get("unparsed", [])[:2]]
        why.append("%d unparsed lines, want %d %s" % (unparsed, want["unparsed"], lines))
    return name, want, found, "; ".join(why)


def main():
    binary = sys.argv[1]
    d = sys.argv[2] if len(sys.argv) > 2 else "fixtures/logs/real"
    per_kind = collections.OrderedDict()
    total_found = total_want = n = 0
    for txt in sorted(glob.glob(os.path.join(d, "*.txt"))):
        name, want, found, why = check(binary, txt)
        n += 1
        k = per_kind.setdefault(want["kind"] or "?", [0, 0])
        k[0] += found
        k[1] += len(want["faults"])
        total_found += found
        total_want += len(want["faults"])
        if why:
            print("FAIL real/%s: %s" % (name, why[:600]))
        else:
            print("PASS real/%s" % name)
    print("real-logs: %d of %d faults found in %d excerpts; per kind: %s" % (
        total_found, total_want, n,
        ", ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in per_kind.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
