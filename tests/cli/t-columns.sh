#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t-columns.sh BIN
#
# groups -o / devices -o with --raw (src/render/render-columns.c), on every
# fixture, with every column of the command's table (from `BIN __complete`):
#   - raw: every line has as many fields for awk as the header has columns,
#     and the table has one line per device (devices) or per member, and one
#     per group without members (groups), as the JSON says;
#   - aligned: every line starts each column at the header's column;
#   - JSON: the objects have exactly the columns' keys (--list-columns -j);
#   - a space or backslash read from the tree is \x20 / \x5c in a raw cell,
#     and a control byte \xNN.
# Output: PASS/FAIL/SKIP lines and the plan (tests/lib.sh).

set -u
export LC_ALL=C.UTF-8
. "$(dirname "$0")/../lib.sh" || exit 1

if [[ $# -ne 1 || ! -x $1 ]]; then
	echo "usage: $0 BIN" >&2
	fail columns-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-columns.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

"$BIN" __complete >"$TMP/complete"
for c in groups devices; do
	cols=$(sed -n "s/^columns-$c: //p" "$TMP/complete" | tr ' ' ',')
	if [[ -z $cols ]]; then
		fail "columns-$c" "no columns-$c: line in __complete"
		continue
	fi
	bad=""
	for f in fixtures/*/; do
		[[ -d $f/sys ]] || continue
		f=${f%/}
		"$BIN" --root "$f" --pci-ids fixtures/pci.ids $c -o "$cols" --raw >"$TMP/raw" 2>/dev/null
		"$BIN" --root "$f" --pci-ids fixtures/pci.ids $c -o "$cols" >"$TMP/aligned" 2>/dev/null
		"$BIN" --root "$f" --pci-ids fixtures/pci.ids $c -o "$cols" -j >"$TMP/json" 2>/dev/null
		"$BIN" $c --list-columns -j >"$TMP/list"
		python3 - "$TMP/raw" "$TMP/aligned" "$TMP/json" "$TMP/list" "$c" <<'PY' || bad+=" ${f#fixtures/}"
import json, sys
raw, aligned, doc, lst, cmd = sys.argv[1:]
cols = [c["name"] for c in json.load(open(lst))["columns"]]
keys = [c["key"] for c in json.load(open(lst))["columns"]]
lines = open(raw).read().splitlines()
assert lines and lines[0].split(" ") == cols, "raw header"
for l in lines[1:]:
    assert len(l.split()) == len(cols), "raw fields: " + l
d = json.load(open(doc))
rows = d["devices" if cmd == "devices" else "rows"]
assert len(rows) == len(lines) - 1, "rows"
for r in rows:
    assert list(r.keys()) == keys, "keys"
al = open(aligned).read().splitlines()
assert len(al) == len(lines)
starts = []
pos = 0
for name in cols:
    i = al[0].index(name, pos)
    starts.append(i)
    pos = i + len(name)
for l in al[1:]:
    for i in starts[1:]:
        assert l[i - 2:i] == "  " and l[i] != " ", "aligned: " + l
PY
	done
	if [[ -z $bad ]]; then pass "columns-$c-every-fixture"; else fail "columns-$c-every-fixture" "on:$bad"; fi
done

# What a tree holds, in a raw cell: one field whatever it is.
mkdir -p "$TMP/tree"
cp -a fixtures/intel-q35/. "$TMP/tree/"
printf 'D M\\A\033\n' >"$TMP/tree/sys/kernel/iommu_groups/14/type"
"$BIN" --root "$TMP/tree" groups 14 -o GROUP,TYPE,BDF --raw >"$TMP/h" 2>/dev/null
if [[ $(sed -n 2p "$TMP/h") == '14 D\x20M\x5cA\x1b 0000:05:00.0' ]]; then
	pass columns-raw-escapes
else
	fail columns-raw-escapes "$(sed -n 2p "$TMP/h" | cat -v)"
fi
finish
