#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The test driver behind `make check`. Every check prints one line: "PASS name",
# "FAIL name: why", or "SKIP name: why" for a check that cannot run here (a tool
# that is not installed, not running as root); the last line is
# "N passed, N failed, N skipped" and the exit status is 1 when anything failed.
#
#   tests/run.sh --bin B [--unit U] [--asan-bin B --asan-unit U] [--regen] [--fuzz]
#                [--only REGEX] [--suites GLOB] [--only-subsuites]
#
# --only REGEX limits the golden and case checks (and --regen) to names matching
# REGEX, e.g. --only 'golden/.*/acpi|case/acpi-', and the sub-suites (fuzzing
# included) to those whose DIR/SCRIPT matches it (--only faults runs
# faults/t-faults.sh and faults/t-follow.sh, --only t-follow only the second);
# ONLY_SUITES="bad snapshot" limits the sub-suites to those directories.
# --suites GLOB (or SUITES_GLOB) picks the sub-suites (default tests/*/t-*.sh);
# --only-subsuites runs only them and the unit tests when --unit is given: no
# golden, case, JSON contract or fuzzing runs (tests/harness/ uses both).
#
# The plan rule. A sub-suite (every tests/DIR/t-*.sh, given the binary) prints
# PASS/FAIL/SKIP lines and, last, the plan line "PLAN N", N the number of PASS,
# FAIL and SKIP lines it printed; it exits 0 when it ran to its end, whatever its
# checks found. tests/lib.sh gives it pass, fail, skip, relay and finish, which
# prints the plan. The runner counts the lines and fails the run, with a FAIL line
# named after the script (DIR/t-NAME.sh: its exit status, the plan, what it
# counted, and its last lines), when a sub-suite exits non-zero (an error under
# `set -u`, an exit, a signal), prints no plan, prints more than one or prints
# checks after it, or its plan disagrees with the lines counted: checks that
# vanish fail the run instead of making a shorter list. tests/check-json.py and
# tests/fuzz/run-fuzz.sh keep the same rule. The unit-test binary says first how
# many tests it will run and last how many passed, failed and were skipped; it
# fails the run (unit/harness) when it stops before its last line or the counts
# disagree.
#
# Suites: unit tests; golden outputs (text, JSON, stderr and exit status) of
# every command on every fixture; extra cases (filters, errors, usage);
# JSON contract checks; bad input; the architecture rules (tests/rules/);
# docs and completions in sync; the synthetic large
# tree; the harness itself; short fuzzing runs. The golden, case and sub-suites
# with a line "# asan: yes" run again with the sanitizer build when one is given.
set -u
cd "$(dirname "$0")/.."

BIN= UNIT= ASAN_BIN= ASAN_UNIT= REGEN=0 ONLY= ONLY_SUITES=${ONLY_SUITES:-} FUZZ_SECONDS=${FUZZ_SECONDS:-3}
SUITES_GLOB=${SUITES_GLOB:-tests/*/t-*.sh} ONLY_SUBSUITES=0
while [ $# -gt 0 ]; do
	case $1 in
	--bin) BIN=$2; shift ;;
	--unit) UNIT=$2; shift ;;
	--asan-bin) ASAN_BIN=$2; shift ;;
	--asan-unit) ASAN_UNIT=$2; shift ;;
	--regen) REGEN=1 ;;
	--fuzz) FUZZ_SECONDS=${FUZZ_SECONDS_LONG:-30} ;;
	--only) ONLY=$2; shift ;;
	--suites) SUITES_GLOB=$2; shift ;;
	--only-subsuites) ONLY_SUBSUITES=1 ;;
	*) echo "usage: $0 --bin B [--unit U] [--asan-bin B --asan-unit U] [--regen] [--fuzz]" \
		"[--only REGEX] [--suites GLOB] [--only-subsuites]" >&2; exit 2 ;;
	esac
	shift
done
[ -x "$BIN" ] || { echo "$0: no binary (--bin)" >&2; exit 2; }

PASSED=0 FAILED=0 SKIPPED=0
# temporary trees are many small files: tmpfs makes them much quicker where it exists
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-tests.XXXXXX")
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
export LC_ALL=C.UTF-8
# what a terminal or a zone would change is pinned: top's frames are $COLUMNS wide when it is
# set, and dates (a recording's times) are in the local zone
export TZ=UTC
unset COLUMNS LINES
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1${2:+: $2}"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "SKIP $1${2:+: $2}"; }

# "exit status N", and the signal when N says the process was killed by one.
status_text() {
	local rc=$1
	if [[ $rc =~ ^[0-9]+$ ]] && [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ]; then
		echo "exit status $rc (killed by SIG$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128))))"
	else
		echo "exit status $rc"
	fi
}

# suite_sub NAME PREFIX CMD...: run a sub-suite, pass its PASS/FAIL/SKIP lines on
# with PREFIX before each name (other lines as they are), and hold it to the plan
# rule (see the top); a breach is "FAIL NAME: why" followed by its last lines.
suite_sub() {
	local name=$1 prefix=$2 line rest rc n=0 plans=0 plan= after=0 why=() last=()
	shift 2
	rm -f "$TMP/sub.rc"
	while IFS= read -r line || [ -n "$line" ]; do
		last+=("$line")
		[ ${#last[@]} -gt 12 ] && last=("${last[@]:1}")
		case $line in
		"PASS "* | "FAIL "* | "SKIP "*)
			n=$((n + 1))
			[ $plans -gt 0 ] && after=$((after + 1))
			rest=${line#* }
			case $rest in *": "*) ;; *) rest="$rest: " ;; esac
			case $line in
			"PASS "*) pass "$prefix${line#PASS }" ;;
			"FAIL "*) fail "$prefix${rest%%: *}" "${rest#*: }" ;;
			"SKIP "*) skip "$prefix${rest%%: *}" "${rest#*: }" ;;
			esac
			;;
		"PLAN "*) plans=$((plans + 1)) plan=${line#PLAN } ;;
		*) echo "$line" ;;
		esac
	done < <("$@" 2>&1; echo $? > "$TMP/sub.rc")
	rc=$(cat "$TMP/sub.rc" 2>/dev/null || echo unknown)
	[ "$rc" = 0 ] || why+=("$(status_text "$rc")")
	if [ $plans = 0 ]; then
		why+=("no plan line (PLAN N) after its $n PASS/FAIL/SKIP lines")
	elif [ $plans -gt 1 ]; then
		why+=("$plans plan lines")
	elif ! [[ $plan =~ ^[0-9]+$ ]]; then
		why+=("a plan line that is not PLAN N: PLAN $plan")
	elif [ "$plan" != $n ]; then
		why+=("its plan says $plan PASS/FAIL/SKIP lines, $n counted")
	fi
	[ $after = 0 ] || why+=("$after PASS/FAIL/SKIP lines after its plan")
	[ ${#why[@]} = 0 ] && return
	fail "$name" "$(IFS=';'; echo "${why[*]}" | sed 's/;/; /g')"
	echo "    its last lines:"
	printf '    | %s\n' "${last[@]}"
}

FIXTURES=$(for d in fixtures/*/; do d=${d%/}; [ -d "$d/sys" ] && echo "${d#fixtures/}"; done)
# every command that reads the system, from the binary's own table
COMMANDS=$("$BIN" __complete | sed -n 's/^commands: //p' | tr ' ' '\n' | grep -v -x -e snapshot -e help | tr '\n' ' ')
PCI_IDS="--pci-ids fixtures/pci.ids"

# run TAG BIN ARGS...: stdout in $TMP/TAG.out, stderr+exit in $TMP/TAG.meta
run() {
	local tag=$1 bin=$2
	shift 2
	"$bin" "$@" > "$TMP/$tag.out" 2> "$TMP/$tag.err"
	local rc=$?
	{ sed 's/^/stderr: /' "$TMP/$tag.err"; echo "exit: $rc"; } > "$TMP/$tag.meta"
	return 0
}

# golden NAME ACTUAL EXPECTED: compare or (with --regen) rewrite
golden() {
	local name=$1 actual=$2 expected=$3
	if [ -n "$ONLY" ] && ! [[ $name =~ $ONLY ]]; then
		return
	fi
	if [ $REGEN = 1 ]; then
		mkdir -p "$(dirname "$expected")"
		cp "$actual" "$expected"
		return
	fi
	if [ ! -f "$expected" ]; then
		fail "$name" "no expected file $expected (run make regen-expected)"
	elif diff -u "$expected" "$actual" > "$TMP/diff"; then
		pass "$name"
	else
		fail "$name" "output differs from $expected"
		head -40 "$TMP/diff" | sed 's/^/    /'
	fi
}

# A sanitizer report shows up as exit 99 or text on stderr.
sanitizer_clean() {
	! grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' "$1"
}

# The unit-test binary: "# unit: running N of M registered tests" first, then one
# line per test ("ok - name", "not ok - name", "skip - name: why") and, last,
# "# unit: P passed, F failed, S skipped"; exit status 1 when a test failed.
# A crash, a missing last line or counts that disagree fail unit/harness.
suite_unit() {
	local unit=$1 label=$2 line rc runs= total= summary= n=0 p=0 f=0 s=0 why=()
	if [ ! -x "$unit" ]; then
		fail "${label}harness" "no executable unit-test binary $unit"
		return
	fi
	rm -f "$TMP/unit.rc"
	: > "$TMP/unit.log"
	while IFS= read -r line || [ -n "$line" ]; do
		echo "$line" >> "$TMP/unit.log"
		case $line in
		"ok - "*) n=$((n + 1)) p=$((p + 1)); pass "$label${line#ok - }" ;;
		"not ok - "*) n=$((n + 1)) f=$((f + 1)); fail "$label${line#not ok - }" ;;
		"skip - "*)
			n=$((n + 1)) s=$((s + 1)) line=${line#skip - }
			case $line in *": "*) ;; *) line="$line: " ;; esac
			skip "$label${line%%: *}" "${line#*: }"
			;;
		"# unit: running "*) [[ $line =~ ^"# unit: running "([0-9]+)" of "([0-9]+)" registered tests"$ ]] &&
			runs=${BASH_REMATCH[1]} total=${BASH_REMATCH[2]} ;;
		"# unit: "*" passed, "*) summary=${line#\# unit: } ;;
		"#   "*) echo "$line" ;;
		esac
	done < <("$unit" 2>&1; echo $? > "$TMP/unit.rc")
	rc=$(cat "$TMP/unit.rc" 2>/dev/null || echo unknown)
	if [ -z "$runs" ]; then
		why+=("no line \"# unit: running N of M registered tests\"")
	elif [ "$n" != "$runs" ]; then
		why+=("$n of the $runs tests it was to run (of $total registered) reported")
	fi
	if [ -z "$summary" ]; then
		why+=("no last line \"# unit: N passed, N failed, N skipped\"")
	elif [ "$summary" != "$p passed, $f failed, $s skipped" ]; then
		why+=("it says \"$summary\", $p passed, $f failed, $s skipped counted")
	fi
	if [ "$rc" != $((f > 0)) ]; then
		why+=("$(status_text "$rc")")
	fi
	sanitizer_clean "$TMP/unit.log" || why+=("sanitizer report")
	if [ ${#why[@]} -gt 0 ]; then
		fail "${label}harness" "$(IFS=';'; echo "${why[*]}" | sed 's/;/; /g')"
		tail -30 "$TMP/unit.log" | sed 's/^/    /'
	fi
}

# Every command on every fixture, text and JSON, with stderr and exit status.
suite_golden() {
	local bin=$1 label=$2 f c
	for f in $FIXTURES; do
		for c in $COMMANDS; do
			run "$f-$c" "$bin" --root "fixtures/$f" $PCI_IDS "$c"
			golden "${label}golden/$f/$c.txt" "$TMP/$f-$c.out" "tests/expected/$f/$c.txt"
			golden "${label}golden/$f/$c.err" "$TMP/$f-$c.meta" "tests/expected/$f/$c.err"
			run "$f-$c-json" "$bin" --root "fixtures/$f" $PCI_IDS "$c" --pretty
			golden "${label}golden/$f/$c.json" "$TMP/$f-$c-json.out" "tests/expected/$f/$c.json"
			sanitizer_clean "$TMP/$f-$c.err" && sanitizer_clean "$TMP/$f-$c-json.err" ||
				fail "${label}sanitizer/$f/$c" "$(grep -m1 -e ERROR -e 'runtime error' "$TMP/$f-$c.err" "$TMP/$f-$c-json.err")"
		done
	done
}

# Extra invocations listed in tests/cases.list: "name | fixture | args".
suite_cases() {
	local bin=$1 label=$2 name fixture args
	while IFS='|' read -r name fixture args; do
		name=$(echo $name) fixture=$(echo $fixture)
		case $name in ''|'#'*) continue ;; esac
		local root=()
		[ "$fixture" != - ] && root=(--root "fixtures/$fixture")
		# shellcheck disable=SC2086
		eval "set -- $args"
		run "case-$name" "$bin" "${root[@]}" $PCI_IDS "$@"
		cat "$TMP/case-$name.out" "$TMP/case-$name.meta" > "$TMP/case-$name.all"
		golden "${label}case/$name" "$TMP/case-$name.all" "tests/expected/cases/$name.out"
		sanitizer_clean "$TMP/case-$name.err" || fail "${label}sanitizer/case/$name"
	done < tests/cases.list
}

suite_json() {
	suite_sub json/check-json.py "json/" python3 tests/check-json.py tests/expected
}

# selected DIR SCRIPT: does --only and ONLY_SUITES let this sub-suite run?
selected() {
	case " $ONLY_SUITES " in "  ") ;; *" $1 "*) ;; *) return 1 ;; esac
	[ -z "$ONLY" ] || [[ $1/$2 =~ $ONLY ]]
}

# run_subsuites PREFIX BIN [asan]: every selected sub-suite (with "asan": those
# marked "# asan: yes") with BIN, its checks named PREFIX DIR/NAME.
run_subsuites() {
	local prefix=$1 bin=$2 asan=${3:-} t d
	for t in "${SUBSUITES[@]}"; do
		d=$(basename "$(dirname "$t")")
		selected "$d" "$(basename "$t")" || continue
		[ -z "$asan" ] || grep -q '^# asan: yes' "$t" || continue
		echo "# $t${asan:+ (ASan)}"
		if [ -x "$t" ]; then
			suite_sub "$prefix$d/$(basename "$t")" "$prefix$d/" "$t" "$bin"
		else
			fail "$prefix$d/$(basename "$t")" "not executable"
		fi
	done
}

# Sub-suites: every tests/<dir>/t-*.sh (or --suites GLOB) takes the binary and keeps the plan rule.
mapfile -t SUBSUITES < <(compgen -G "$SUITES_GLOB" | grep -v '^tests/vm/' | sort)
if [ $ONLY_SUBSUITES = 0 ]; then
	echo "# unit tests"
	if [ -n "$UNIT" ]; then
		suite_unit "$UNIT" "unit/"
	else
		skip unit "no unit-test binary given (--unit)"
	fi
	echo "# golden outputs"
	suite_golden "$BIN" ""
	echo "# cases"
	suite_cases "$BIN" ""
	[ $REGEN = 1 ] && { echo "expected files rewritten; review with git diff"; exit 0; }
	echo "# JSON contract"
	suite_json
elif [ -n "$UNIT" ]; then
	echo "# unit tests"
	suite_unit "$UNIT" "unit/"
fi
[ ${#SUBSUITES[@]} -gt 0 ] || fail subsuites "no sub-suite matches $SUITES_GLOB"
run_subsuites "" "$BIN"
if [ -n "$ASAN_BIN" ]; then
	echo "# under ASan+UBSan"
	if [ -n "$ASAN_UNIT" ]; then
		suite_unit "$ASAN_UNIT" "asan/unit/"
	elif [ $ONLY_SUBSUITES = 0 ]; then
		skip asan/unit "no sanitizer unit-test binary given (--asan-unit)"
	fi
	if [ $ONLY_SUBSUITES = 0 ]; then
		suite_golden "$ASAN_BIN" "asan/"
		suite_cases "$ASAN_BIN" "asan/"
	fi
	run_subsuites "asan/" "$ASAN_BIN" asan
fi
if [ $ONLY_SUBSUITES = 0 ] && selected fuzz run-fuzz.sh; then
	if ! command -v clang >/dev/null 2>&1; then
		skip fuzz "clang is not installed (make test-deps): the libFuzzer targets are not run"
	else
		echo "# fuzzing (${FUZZ_SECONDS}s per target)"
		if make --no-print-directory -s fuzz BUILD="${BUILD:-build}" > "$TMP/fuzz-build.log" 2>&1; then
			suite_sub fuzz/run-fuzz.sh "" tests/fuzz/run-fuzz.sh "${BUILD:-build}" "$FUZZ_SECONDS"
		else
			fail "fuzz/build" "$(tail -3 "$TMP/fuzz-build.log" | tr '\n' ' ')"
		fi
	fi
fi

echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
