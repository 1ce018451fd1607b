#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t-harness.sh BIN: tests/run.sh itself. It runs the runner (--only-subsuites,
# with --suites pointing at sub-suites written here, and --unit at stand-ins for
# the unit-test binary) on one good sub-suite, one that skips, one whose check
# fails, and sub-suites broken one way each: dead under `set -u` half-way, exit 3
# after its PASS lines, a wrong plan, killed by a signal, no plan, a check counted
# in a subshell, a check after the plan, not executable; and unit binaries that
# crash, stop early or miss their last line. Each run must end with the exact
# summary line and exit status, and its FAIL lines must name exactly the broken
# sub-suites (or unit/harness) with the reason; a targeted run (--only,
# ONLY_SUITES) must run only what it names.
# Prints PASS/FAIL lines and the plan (tests/lib.sh); exit 0 when it ran to its end.
set -u
. "$(dirname "$0")/../lib.sh" || exit 1

if [[ $# -ne 1 || ! -x $1 ]]; then
	fail harness-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-harness.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

# suite NAME [mode]: the sub-suite $TMP/suites/NAME/t-NAME.sh, its body on stdin
# after a line that sources tests/lib.sh; executable unless mode is "noexec"
suite() {
	local f=$TMP/suites/$1/t-$1.sh
	mkdir -p "$(dirname "$f")"
	{ printf '#!/usr/bin/env bash\n. %q || exit 1\n' "$TOP/tests/lib.sh"; cat; } > "$f"
	[[ ${2:-} == noexec ]] || chmod +x "$f"
}

suite good <<'EOF'
pass one
pass two
finish
EOF
suite skips <<'EOF'
pass one
skip two "no frobnicator here"
skip three "not running as root"
finish
EOF
suite failing <<'EOF'
pass one
fail two "the output differs"
finish
EOF
suite unset <<'EOF'
set -u
pass before
echo "$T_HARNESS_NOT_SET"
pass after
finish
EOF
suite exit3 <<'EOF'
pass one
pass two
exit 3
EOF
suite wrongplan <<'EOF'
echo "PASS one"
echo "PASS two"
echo "PLAN 3"
EOF
suite killed <<'EOF'
pass one
kill -KILL $$
pass two
finish
EOF
suite noplan <<'EOF'
pass one
pass two
EOF
suite subshell <<'EOF'
pass one
( pass two )
finish
EOF
suite late <<'EOF'
echo "PASS one"
echo "PLAN 1"
echo "PASS two"
EOF
suite noexec noexec <<'EOF'
pass one
finish
EOF

# unit NAME: a stand-in for the unit-test binary, $TMP/unit-NAME, its body on stdin
unit() {
	{ echo '#!/bin/sh'; cat; } > "$TMP/unit-$1"
	chmod +x "$TMP/unit-$1"
}
unit good <<'EOF'
echo "# unit: running 2 of 3 registered tests"
echo "ok - alpha"
echo "skip - beta: no /dev/full"
echo "# unit: 1 passed, 0 failed, 1 skipped"
EOF
unit failing <<'EOF'
echo "# unit: running 2 of 2 registered tests"
echo "ok - alpha"
echo "#   test-x.c:12: a == b: 1 != 2"
echo "not ok - beta"
echo "# unit: 1 passed, 1 failed, 0 skipped"
exit 1
EOF
unit crash <<'EOF'
echo "# unit: running 3 of 3 registered tests"
echo "ok - alpha"
kill -SEGV $$
EOF
unit short <<'EOF'
echo "# unit: running 3 of 3 registered tests"
echo "ok - alpha"
echo "ok - beta"
echo "# unit: 2 passed, 0 failed, 0 skipped"
EOF
unit nosummary <<'EOF'
echo "# unit: running 2 of 2 registered tests"
echo "ok - alpha"
echo "ok - beta"
EOF

# runner NAME ARGS...: tests/run.sh --bin BIN --only-subsuites ARGS... (no
# ONLY_SUITES or SUITES_GLOB from outside); its output in $TMP/NAME.out, status in RC
runner() {
	local name=$1
	shift
	env -u ONLY_SUITES -u SUITES_GLOB tests/run.sh --bin "$BIN" --only-subsuites "$@" \
		> "$TMP/$name.out" 2>&1 < /dev/null
	RC=$?
}

# expect NAME RC SUMMARY FAILS [TEXT...]: the run NAME exited with RC, its last line
# is SUMMARY, its FAIL lines name exactly FAILS (space-separated), every TEXT is in
# its output and no !TEXT is
expect() {
	local name=$1 rc=$2 summary=$3 fails=$4 got want t why=()
	shift 4
	[[ $RC == "$rc" ]] || why+=("exit status $RC, not $rc")
	got=$(tail -n 1 "$TMP/$name.out")
	[[ $got == "$summary" ]] || why+=("last line \"$got\", not \"$summary\"")
	got=$(sed -n 's/^FAIL \([^:]*\).*/\1/p' "$TMP/$name.out" | sort | tr '\n' ' ')
	want=$(for t in $fails; do echo "$t"; done | sort | tr '\n' ' ')
	[[ $got == "$want" ]] || why+=("FAIL lines for [${got% }], not [${want% }]")
	for t; do
		if [[ $t == '!'* ]]; then
			! grep -qF -- "${t#!}" "$TMP/$name.out" || why+=("\"${t#!}\" in its output")
		else
			grep -qF -- "$t" "$TMP/$name.out" || why+=("no \"$t\" in its output")
		fi
	done
	if [[ ${#why[@]} == 0 ]]; then
		pass "$name"
	else
		t=$(printf '%s; ' "${why[@]}")
		fail "$name" "${t%; }"
		tail -n 12 "$TMP/$name.out" | sed 's/^/    | /'
	fi
}

S=$TMP/suites

# ------------------------------------------------------------ one at a time
runner good --suites "$S/good/t-*.sh"
expect good 0 "2 passed, 0 failed, 0 skipped" "" "PASS good/one" "PASS good/two"

runner skips --suites "$S/skips/t-*.sh"
expect skips 0 "1 passed, 0 failed, 2 skipped" "" "PASS skips/one" \
	"SKIP skips/two: no frobnicator here" "SKIP skips/three: not running as root"

runner failing --suites "$S/failing/t-*.sh"
expect failing 1 "1 passed, 1 failed, 0 skipped" "failing/two" "FAIL failing/two: the output differs"

runner dies-on-set-u --suites "$S/unset/t-*.sh"
expect dies-on-set-u 1 "1 passed, 1 failed, 0 skipped" "unset/t-unset.sh" \
	"PASS unset/before" "!unset/after" "FAIL unset/t-unset.sh: exit status 1; no plan line" \
	"T_HARNESS_NOT_SET: unbound variable"

runner exit-3 --suites "$S/exit3/t-*.sh"
expect exit-3 1 "2 passed, 1 failed, 0 skipped" "exit3/t-exit3.sh" \
	"FAIL exit3/t-exit3.sh: exit status 3; no plan line (PLAN N) after its 2 PASS/FAIL/SKIP lines"

runner wrong-plan --suites "$S/wrongplan/t-*.sh"
expect wrong-plan 1 "2 passed, 1 failed, 0 skipped" "wrongplan/t-wrongplan.sh" \
	"FAIL wrongplan/t-wrongplan.sh: its plan says 3 PASS/FAIL/SKIP lines, 2 counted"

runner killed --suites "$S/killed/t-*.sh"
expect killed 1 "1 passed, 1 failed, 0 skipped" "killed/t-killed.sh" "PASS killed/one" \
	"!killed/two" "FAIL killed/t-killed.sh: exit status 137 (killed by SIGKILL); no plan line"

runner no-plan --suites "$S/noplan/t-*.sh"
expect no-plan 1 "2 passed, 1 failed, 0 skipped" "noplan/t-noplan.sh" \
	"FAIL noplan/t-noplan.sh: no plan line (PLAN N) after its 2 PASS/FAIL/SKIP lines"

runner counted-in-subshell --suites "$S/subshell/t-*.sh"
expect counted-in-subshell 1 "2 passed, 1 failed, 0 skipped" "subshell/t-subshell.sh" \
	"FAIL subshell/t-subshell.sh: its plan says 1 PASS/FAIL/SKIP lines, 2 counted"

runner check-after-plan --suites "$S/late/t-*.sh"
expect check-after-plan 1 "2 passed, 1 failed, 0 skipped" "late/t-late.sh" \
	"FAIL late/t-late.sh: its plan says 1 PASS/FAIL/SKIP lines, 2 counted; 1 PASS/FAIL/SKIP lines after its plan"

runner not-executable --suites "$S/noexec/t-*.sh"
expect not-executable 1 "0 passed, 1 failed, 0 skipped" "noexec/t-noexec.sh" \
	"FAIL noexec/t-noexec.sh: not executable"

runner no-suites --suites "$TMP/nowhere/t-*.sh"
expect no-suites 1 "0 passed, 1 failed, 0 skipped" "subsuites" \
	"FAIL subsuites: no sub-suite matches $TMP/nowhere/t-*.sh"

# ------------------------------------------ all at once, and targeted runs
runner all --suites "$S/*/t-*.sh"
expect all 1 "16 passed, 9 failed, 2 skipped" "exit3/t-exit3.sh failing/two killed/t-killed.sh
	late/t-late.sh noexec/t-noexec.sh noplan/t-noplan.sh subshell/t-subshell.sh unset/t-unset.sh
	wrongplan/t-wrongplan.sh" "SKIP skips/two: no frobnicator here"

runner only-regex --suites "$S/*/t-*.sh" --only 'good|t-skips'
expect only-regex 0 "3 passed, 0 failed, 2 skipped" "" "PASS good/two" "PASS skips/one" "!exit3/"

ONLY_SUITES="failing killed" env -u SUITES_GLOB tests/run.sh --bin "$BIN" --only-subsuites \
	--suites "$S/*/t-*.sh" > "$TMP/only-suites.out" 2>&1 < /dev/null
RC=$?
expect only-suites 1 "2 passed, 2 failed, 0 skipped" "failing/two killed/t-killed.sh" "!good/"

# ------------------------------------------------------------ the unit binary
runner unit-good --unit "$TMP/unit-good" --suites "$S/good/t-*.sh"
expect unit-good 0 "3 passed, 0 failed, 1 skipped" "" "PASS unit/alpha" \
	"SKIP unit/beta: no /dev/full" "PASS good/one"

runner unit-failing --unit "$TMP/unit-failing" --suites "$S/good/t-*.sh"
expect unit-failing 1 "3 passed, 1 failed, 0 skipped" "unit/beta" "#   test-x.c:12: a == b: 1 != 2"

runner unit-crash --unit "$TMP/unit-crash" --suites "$S/good/t-*.sh"
expect unit-crash 1 "3 passed, 1 failed, 0 skipped" "unit/harness" "PASS unit/alpha" \
	"FAIL unit/harness: 1 of the 3 tests it was to run (of 3 registered) reported" \
	"exit status 139 (killed by SIGSEGV)"

runner unit-short --unit "$TMP/unit-short" --suites "$S/good/t-*.sh"
expect unit-short 1 "4 passed, 1 failed, 0 skipped" "unit/harness" \
	"FAIL unit/harness: 2 of the 3 tests it was to run (of 3 registered) reported"

runner unit-no-summary --unit "$TMP/unit-nosummary" --suites "$S/good/t-*.sh"
expect unit-no-summary 1 "4 passed, 1 failed, 0 skipped" "unit/harness" \
	"FAIL unit/harness: no last line \"# unit: N passed, N failed, N skipped\""

finish
