#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t-color.sh BIN
#
# --color=auto|always|never and NO_COLOR (src/core/output.c: roles mapped to
# SGR sequences in one table; the option parsed once in src/cmd/cmd-table.c):
#   - auto: no colour into a pipe; colour on a terminal (script(1) gives one),
#     none there with NO_COLOR set or TERM=dumb;
#   - always: colour into a pipe, over NO_COLOR; never: none on a terminal;
#   - JSON never has a colour, whatever the option;
#   - the colours sit on the verdicts (status), the fault reasons and the
#     --check verdict, and the text is the same without them;
#   - every ESC written is one of the table's sequences: a tree whose group
#     type holds a terminal escape still shows it as \x1b, inside the colour;
#   - a bad WHEN is a usage error (status 2), for top as for the others.
# Output: PASS/FAIL/SKIP lines and the plan (tests/lib.sh).

set -u
export LC_ALL=C.UTF-8
. "$(dirname "$0")/../lib.sh" || exit 1

if [[ $# -ne 1 || ! -x $1 ]]; then
	echo "usage: $0 BIN" >&2
	fail color-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-color.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
F=fixtures/intel-faults
ESC=$'\033'
unset NO_COLOR
export TERM=xterm

has_esc() { grep -q "$ESC" "$1"; }
# Only the output layer's sequences: ESC [ (0|32|33|1;31|35|2|1) m
only_table_sgr() { ! grep -o "$ESC.\{0,6\}" "$1" | grep -qvE "^$ESC\[(0|32|33|1;31|35|2|1)m"; }
strip_sgr() { sed "s/$ESC\[[0-9;]*m//g" "$1"; }

# auto into a pipe: none
"$BIN" --root $F status >"$TMP/auto.txt" 2>/dev/null
"$BIN" --root $F faults >>"$TMP/auto.txt" 2>/dev/null
if has_esc "$TMP/auto.txt"; then fail color-auto-pipe "colour written into a pipe"; else pass color-auto-pipe; fi

# always into a pipe: the verdicts, the reasons, the check verdict; the same text without them
"$BIN" --color=always --root $F status >"$TMP/always-status.txt" 2>/dev/null
"$BIN" --color always --root $F faults >"$TMP/always-faults.txt" 2>/dev/null
"$BIN" --root $F faults --check --color=always >"$TMP/always-check.txt" 2>/dev/null
if ! grep -q "IOMMU hardware      ${ESC}\[32mpresent${ESC}\[0m" "$TMP/always-status.txt"; then
	fail color-always-status "no green 'present' in: $(head -c 300 "$TMP/always-status.txt" | cat -v)"
elif ! grep -q "${ESC}\[35mPTE Read access is not set${ESC}\[0m" "$TMP/always-faults.txt"; then
	fail color-always-status "no magenta reason in faults: $(head -c 300 "$TMP/always-faults.txt" | cat -v)"
elif ! grep -q "^${ESC}\[1;31mFAULTS${ESC}\[0m: " "$TMP/always-check.txt"; then
	fail color-always-status "no red FAULTS in faults --check: $(cat -v "$TMP/always-check.txt")"
else
	pass color-always-status
fi
"$BIN" --root $F status >"$TMP/plain-status.txt" 2>/dev/null
"$BIN" --root $F faults >"$TMP/plain-faults.txt" 2>/dev/null
if cmp -s <(strip_sgr "$TMP/always-status.txt"; strip_sgr "$TMP/always-faults.txt") \
	<(cat "$TMP/plain-status.txt" "$TMP/plain-faults.txt"); then
	pass color-same-text
else
	fail color-same-text "the text differs once the colours are taken out"
fi
if NO_COLOR=1 "$BIN" --color=always --root $F status 2>/dev/null | grep -q "$ESC"; then
	pass color-always-over-no-color
else
	fail color-always-over-no-color "--color=always wrote no colour with NO_COLOR=1"
fi

# JSON: never
"$BIN" --color=always --root $F status -j >"$TMP/j1" 2>/dev/null
"$BIN" --color=always --root $F faults --pretty >>"$TMP/j1" 2>/dev/null
if has_esc "$TMP/j1"; then fail color-never-in-json "an ESC in JSON"; else pass color-never-in-json; fi

# On a terminal: script(1) runs the command on a pseudo-terminal.
on_tty() { # OUT ENV... -- ARGS...
	local out=$1 envs=() cmd
	shift
	while [[ $1 != -- ]]; do envs+=("$1"); shift; done
	shift
	cmd=$(printf '%q ' env "${envs[@]}" "$BIN" "$@")
	timeout 30 script -q -e -c "$cmd" /dev/null </dev/null >"$out" 2>&1
}
if ! command -v script >/dev/null; then
	for t in color-auto-tty color-auto-tty-no-color color-auto-tty-dumb color-never-tty; do
		skip $t "script (util-linux) is not installed: no pseudo-terminal"
	done
elif ! on_tty "$TMP/probe" -- --version || ! grep -q iommu-inspect "$TMP/probe"; then
	for t in color-auto-tty color-auto-tty-no-color color-auto-tty-dumb color-never-tty; do
		skip $t "script(1) cannot run a command on a pseudo-terminal here"
	done
else
	on_tty "$TMP/tty1" TERM=xterm -- --root $F status
	if has_esc "$TMP/tty1"; then pass color-auto-tty; else fail color-auto-tty "no colour on a terminal"; fi
	on_tty "$TMP/tty2" TERM=xterm NO_COLOR=1 -- --root $F status
	if has_esc "$TMP/tty2"; then fail color-auto-tty-no-color "colour with NO_COLOR=1"; else pass color-auto-tty-no-color; fi
	on_tty "$TMP/tty3" TERM=dumb -- --root $F status
	if has_esc "$TMP/tty3"; then fail color-auto-tty-dumb "colour with TERM=dumb"; else pass color-auto-tty-dumb; fi
	on_tty "$TMP/tty4" TERM=xterm -- --root $F --color=never faults
	if has_esc "$TMP/tty4"; then fail color-never-tty "colour with --color=never"; else pass color-never-tty; fi
fi

# A hostile value inside a colour: still escaped, and only the table's sequences.
mkdir -p "$TMP/tree"
cp -a $F/. "$TMP/tree/"
for g in "$TMP"/tree/sys/kernel/iommu_groups/*/; do printf 'DMA\033]0;owned\007\033[2J\n' >"$g/type"; done
bad=""
for c in status groups devices faults iommus "faults --check"; do
	# shellcheck disable=SC2086
	"$BIN" --color=always --root "$TMP/tree" $c >"$TMP/h.out" 2>"$TMP/h.err"
	only_table_sgr "$TMP/h.out" && only_table_sgr "$TMP/h.err" || bad+=" $c"
done
"$BIN" --color=always --root "$TMP/tree" status >"$TMP/h.out" 2>&1
if [[ -n $bad ]]; then
	fail color-hostile-escaped "an ESC that is not the table's in:$bad"
elif ! grep -qF 'DMA\x1b]0;owned\x07\x1b[2J' "$TMP/h.out"; then
	fail color-hostile-escaped "the escape in the group type is not shown as \\x1b: $(grep -m2 -i dma "$TMP/h.out" | cat -v)"
else
	pass color-hostile-escaped
fi

# A bad WHEN: usage error, one message for every command (top's included).
for c in status top; do
	"$BIN" --root $F $c --color=pink >"$TMP/bad.out" 2>"$TMP/bad.err"
	rc=$?
	if [[ $rc == 2 ]] && grep -qF -- "--color 'pink' is not one of auto, always, never" "$TMP/bad.err"; then
		pass "color-bad-when-$c"
	else
		fail "color-bad-when-$c" "status $rc: $(head -c 200 "$TMP/bad.err")"
	fi
done
finish
