#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The output layer's format strings are not checked by the compiler: each field
function passes one value of a known type to its text format. Check, in the files
given, that every literal format of out_str/out_bool/out_null (%s), out_int (%lld),
out_uint (%llu, %llx) and out_hex (%llx) has exactly one conversion of that type.
Prints what is wrong; exit status 1 if anything is."""
import re
import sys

WANT = {"out_str": r"s", "out_bool": r"s", "out_null": r"s", "out_int": r"lld|lli",
        "out_uint": r"ll[uxX]", "out_hex": r"ll[xX]"}
CALL = re.compile(r"\b(out_str|out_int|out_uint|out_hex|out_bool|out_null)\(\s*\w+\s*,\s*"
                  r"(?:\"(?:[^\"\\]|\\.)*\"|[\w>.-]+|NULL)\s*,\s*((?:\"(?:[^\"\\]|\\.)*\"\s*)+)", re.S)
CONV = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?(hh|h|ll|l|z|j|t)?([a-zA-Z%])")


def main(files):
    bad = 0
    for f in files:
        src = open(f).read()
        for m in CALL.finditer(src):
            fn, lit = m.group(1), "".join(re.findall(r"\"((?:[^\"\\]|\\.)*)\"", m.group(2)))
            convs = [(a or "") + b for a, b in CONV.findall(lit) if b != "%"]
            if len(convs) != 1 or not re.fullmatch(WANT[fn], convs[0]):
                line = src[:m.start()].count("\n") + 1
                print("%s:%d: %s with format \"%s\": conversions %s" % (f, line, fn, lit, convs))
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
