#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-acpi.sh BIN
#
# `acpi --file` on the hand-built tables of fixtures/acpi (tests/acpi/mk-tables.py):
#   - every bad table (fixtures/acpi/bad/MANIFEST): the exit status the manifest
#     gives, a warning (or the error) with the manifest's text, every warning of
#     the decoder naming a byte offset, valid JSON with the same warnings, and no
#     sanitizer report (this suite runs again under ASan+UBSan);
#   - every good table, and every firmware table of a real machine in
#     fixtures/acpi/real: exit 0, valid JSON, no warning but those about types
#     the tool does not know;
#   - tests/acpi/hex-to-table.py gives back a real table from its acpidump and
#     iasl hex text, and refuses the text with one byte changed;
#   - the table from a file wins over the root's, and `acpi dmar|ivrs` with a file
#     of the other kind is an error.
# Output: "PASS name" or "FAIL name: why" lines and the plan (tests/lib.sh); the
# exit status is 0 when it ran to its end.
set -u
export LC_ALL=C.UTF-8
. "$(dirname "$0")/../lib.sh" || exit 1

if [[ $# -ne 1 || ! -x $1 ]]; then
	fail acpi-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-acpi.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
ROOT=fixtures/intel-q35

# run NAME ARGS...: stdout in $TMP/NAME.out, stderr in .err, status in $RC
run() {
	local name=$1
	shift
	"$BIN" --root "$ROOT" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	RC=$?
}

sanitizer_clean() {
	! grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$@"
}

# The JSON document on stdin is valid; print its warnings (and error) and the tables'
# notes (firmware slips the kernel works around), one per line.
json_messages() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert list(d)[0] == "schema_version" and list(d)[-1] == "warnings"
for w in d["warnings"]:
    print(w)
for t in d.get("tables", []):
    for n in t.get("notes", []):
        print(n)
if "error" in d:
    print(d["error"])
'
}

MANIFEST=fixtures/acpi/bad/MANIFEST
if [[ ! -f $MANIFEST ]]; then
	fail acpi-bad-manifest "$MANIFEST is missing (run tests/acpi/mk-tables.py)"
	finish
fi
n=0
while IFS='|' read -r name rc text why; do
	name=$(echo $name) rc=$(echo $rc)
	text=${text# } text=${text% }
	[[ -z $name || $name == '#'* ]] && continue
	n=$((n + 1))
	f=fixtures/acpi/bad/$name
	t=bad/${name%.dat}
	run text acpi --file "$f"
	if [[ $RC != "$rc" ]]; then
		fail "$t" "exit status $RC, not $rc ($why); stderr: $(head -c 300 "$TMP/text.err")"
		continue
	fi
	# a warning on stderr, or a note (a slip the kernel works around) in the table's text
	if ! grep -qF -- "$text" "$TMP/text.err" && ! grep -F -- "$text" "$TMP/text.out" | grep -q "^  note: "; then
		fail "$t" "no message with \"$text\" on stderr nor among the notes: $(head -c 300 "$TMP/text.err")"
		continue
	fi
	# the decoder's warnings name the byte offset they are about
	bad=$(grep "^iommu-inspect: warning: $f: " "$TMP/text.err" | grep -v -e ': offset 0x[0-9a-f]*: ' \
		-e 'only the first 50 are listed')
	if [[ -n $bad ]]; then
		fail "$t" "a warning without an offset: $bad"
		continue
	fi
	if ! sanitizer_clean "$TMP/text.err"; then
		fail "$t" "sanitizer: $(grep -m1 -e ERROR -e 'runtime error' "$TMP/text.err")"
		continue
	fi
	run json acpi --file "$f" --json
	if [[ $RC != "$rc" ]] || ! json_messages <"$TMP/json.out" >"$TMP/json.msgs" 2>"$TMP/json.pyerr"; then
		fail "$t" "JSON: exit $RC, $(head -c 200 "$TMP/json.pyerr")"
		continue
	fi
	if ! grep -qF -- "$text" "$TMP/json.msgs"; then
		fail "$t" "no \"$text\" among the JSON warnings and error"
		continue
	fi
	if ! sanitizer_clean "$TMP/json.err"; then
		fail "$t" "sanitizer (JSON): $(grep -m1 -e ERROR -e 'runtime error' "$TMP/json.err")"
		continue
	fi
	pass "$t"
done <"$MANIFEST"
[[ $n -ge 30 ]] && pass bad-manifest-size || fail bad-manifest-size "only $n cases in $MANIFEST"

for f in fixtures/acpi/good/*.dat fixtures/acpi/real/*.dat; do
	t=${f#fixtures/acpi/} t=${t%.dat}
	run text acpi --file "$f"
	run json acpi --file "$f" --pretty
	jrc=$RC
	if [[ $RC != 0 ]]; then
		fail "$t" "exit $RC: $(head -c 300 "$TMP/json.err")"
	elif ! json_messages <"$TMP/json.out" >"$TMP/json.msgs"; then
		fail "$t" "invalid JSON"
	elif grep -v -e 'unknown structure type' -e 'unknown block type' "$TMP/json.msgs" | grep -q .; then
		fail "$t" "warnings: $(head -c 300 "$TMP/json.msgs")"
	elif ! sanitizer_clean "$TMP/text.err" "$TMP/json.err"; then
		fail "$t" "sanitizer report"
	else
		pass "$t"
	fi
	: "$jrc"
done

# tests/acpi/hex-to-table.py rebuilds a real table from its acpidump text and from
# iasl's "Raw Table Data" lines, and refuses a dump with a byte changed
src=fixtures/acpi/real/ivrs-lenovo-thinkpad-t14-gen3.dat
python3 - "$src" "$TMP/dump.txt" "$TMP/iasl.txt" "$TMP/bad.txt" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
def lines(d, form):
    out = []
    for i in range(0, len(d), 16):
        row = " ".join("%02X" % b for b in d[i:i + 16])
        out.append(form % (i, row))
    return "\n".join(out) + "\n"
open(sys.argv[2], "w").write("FACP @ 0x0000000000000000\n    0000: 46 41 43 50\n\n" +
                             "IVRS @ 0x000000007a2f0000\n" + lines(data, "    %04X: %-47s  ....") + "\n")
open(sys.argv[3], "w").write("[000h 0000 004h]   Signature : \"IVRS\"\n\nRaw Table Data: Length %d (0x%X)\n\n"
                             % (len(data), len(data)) + lines(data, "    %04X: %s  // ...."))
bad = bytearray(data)
bad[0x40] ^= 1
open(sys.argv[4], "w").write("IVRS @ 0x0\n" + lines(bytes(bad), "    %04X: %-47s  ...."))
PY
if tests/acpi/hex-to-table.py IVRS "$TMP/dump.txt" "$TMP/a.dat" && cmp -s "$src" "$TMP/a.dat" &&
	tests/acpi/hex-to-table.py IVRS "$TMP/iasl.txt" "$TMP/b.dat" && cmp -s "$src" "$TMP/b.dat"; then
	pass hex-to-table
else
	fail hex-to-table "the table rebuilt from its acpidump or iasl text differs from $src"
fi
if ! tests/acpi/hex-to-table.py IVRS "$TMP/bad.txt" "$TMP/c.dat" 2>"$TMP/h.err" &&
	grep -q 'checksum wrong' "$TMP/h.err" && [[ ! -e $TMP/c.dat ]]; then
	pass hex-to-table-checksum
else
	fail hex-to-table-checksum "a dump with a changed byte: $(head -c 200 "$TMP/h.err")"
fi

# --file takes the place of the root's table of the same kind
run file acpi --file fixtures/acpi/good/dmar-rmrr.dat -j
if [[ $RC == 0 ]] && grep -q '"source":"fixtures/acpi/good/dmar-rmrr.dat"' "$TMP/file.out" &&
	! grep -q 'tables/DMAR' "$TMP/file.out" && grep -q '"type":"RMRR"' "$TMP/file.out"; then
	pass file-replaces-root-table
else
	fail file-replaces-root-table "exit $RC: $(head -c 300 "$TMP/file.out")"
fi
run kind acpi ivrs --file fixtures/acpi/good/dmar-all.dat
if [[ $RC == 1 ]] && grep -q 'holds a DMAR table, not IVRS' "$TMP/kind.err"; then
	pass file-of-the-other-kind
else
	fail file-of-the-other-kind "exit $RC: $(head -c 300 "$TMP/kind.err")"
fi
run missing acpi --file "$TMP/no-such-table"
if [[ $RC == 1 ]] && grep -q 'no-such-table: No such file or directory' "$TMP/missing.err"; then
	pass file-missing
else
	fail file-missing "exit $RC: $(head -c 300 "$TMP/missing.err")"
fi
run notacpi acpi --file README.md
if [[ $RC == 1 ]] && grep -q 'not DMAR, IVRS, IORT or VIOT' "$TMP/notacpi.err"; then
	pass file-not-a-table
else
	fail file-not-a-table "exit $RC: $(head -c 300 "$TMP/notacpi.err")"
fi
finish
