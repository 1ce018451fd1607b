#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The test driver behind `make check`. Every check prints one line, "PASS name"
# or "FAIL name: why"; the last line is "N passed, N failed" and the exit status
# is 1 when anything failed.
#
#   tests/run.sh --bin B --unit U [--asan-bin B --asan-unit U] [--regen] [--fuzz] [--only REGEX]
#
# --only REGEX limits the golden and case checks (and --regen) to names matching
# REGEX, e.g. --only 'golden/.*/acpi|case/acpi-'; ONLY_SUITES="bad snapshot" limits
# the sub-suites to those directories.
#
# Suites: unit tests; golden outputs (text, JSON, stderr and exit status) of
# every command on every fixture; extra cases (filters, errors, usage);
# JSON contract checks; bad input; the architecture rules (tests/rules/);
# docs and completions in sync; the synthetic large
# tree; short fuzzing runs. The golden, case and bad-input suites run again
# with the sanitizer build when one is given.
set -u
cd "$(dirname "$0")/.."

BIN= UNIT= ASAN_BIN= ASAN_UNIT= REGEN=0 ONLY= ONLY_SUITES=${ONLY_SUITES:-} FUZZ_SECONDS=${FUZZ_SECONDS:-3}
while [ $# -gt 0 ]; do
	case $1 in
	--bin) BIN=$2; shift ;;
	--unit) UNIT=$2; shift ;;
	--asan-bin) ASAN_BIN=$2; shift ;;
	--asan-unit) ASAN_UNIT=$2; shift ;;
	--regen) REGEN=1 ;;
	--fuzz) FUZZ_SECONDS=${FUZZ_SECONDS_LONG:-30} ;;
	--only) ONLY=$2; shift ;;
	*) echo "usage: $0 --bin B [--unit U] [--asan-bin B --asan-unit U] [--regen] [--fuzz]" >&2; exit 2 ;;
	esac
	shift
done
[ -x "$BIN" ] || { echo "$0: no binary (--bin)" >&2; exit 2; }

PASSED=0 FAILED=0
# temporary trees are many small files: tmpfs makes them much quicker where it exists
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-tests.XXXXXX")
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
export LC_ALL=C.UTF-8
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1${2:+: $2}"; }

# Count the PASS/FAIL lines of a sub-suite (its other lines are shown as they are).
absorb() {
	local prefix=$1 line
	while IFS= read -r line; do
		case $line in
		"PASS "*) pass "$prefix${line#PASS }" ;;
		"FAIL "*) rest=${line#FAIL }; fail "$prefix${rest%%: *}" "${rest#*: }" ;;
		*) echo "$line" ;;
		esac
	done
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

suite_unit() {
	local unit=$1 label=$2
	[ -x "$unit" ] || return 0
	"$unit" > "$TMP/unit.log" 2>&1
	local rc=$?
	while IFS= read -r line; do
		case $line in
		"ok - "*) pass "$label${line#ok - }" ;;
		"not ok - "*) fail "$label${line#not ok - }" ;;
		"#   "*) echo "$line" ;;
		esac
	done < "$TMP/unit.log"
	if ! sanitizer_clean "$TMP/unit.log" || { [ $rc -ne 0 ] && ! grep -q '^not ok' "$TMP/unit.log"; }; then
		fail "${label}harness" "exit $rc"
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
	absorb "json/" < <(python3 tests/check-json.py tests/expected)
}

suite_sub() {
	local script=$1 prefix=$2
	shift 2
	if [ -x "$script" ]; then
		absorb "$prefix" < <("$script" "$@" 2>&1)
	fi
}

echo "# unit tests"
suite_unit "$UNIT" "unit/"
echo "# golden outputs"
suite_golden "$BIN" ""
echo "# cases"
suite_cases "$BIN" ""
[ $REGEN = 1 ] && { echo "expected files rewritten; review with git diff"; exit 0; }
echo "# JSON contract"
suite_json
# Sub-suites: every tests/<dir>/t-*.sh takes the binary and prints PASS/FAIL lines.
# Those with a line "# asan: yes" run again with the sanitizer build.
SUBSUITES=$(ls tests/*/t-*.sh 2>/dev/null | grep -v '^tests/vm/')
for t in $SUBSUITES; do
	d=${t#tests/}; d=${d%%/*}
	case " $ONLY_SUITES " in "  ") ;; *" $d "*) ;; *) continue ;; esac
	echo "# $t"
	suite_sub "$t" "$d/" "$BIN"
done
if [ -n "$ASAN_BIN" ]; then
	echo "# under ASan+UBSan"
	suite_unit "$ASAN_UNIT" "asan/unit/"
	suite_golden "$ASAN_BIN" "asan/"
	suite_cases "$ASAN_BIN" "asan/"
	for t in $SUBSUITES; do
		d=${t#tests/}; d=${d%%/*}
		case " $ONLY_SUITES " in "  ") ;; *" $d "*) ;; *) continue ;; esac
		grep -q '^# asan: yes' "$t" && suite_sub "$t" "asan/$d/" "$ASAN_BIN"
	done
fi
if [ -x tests/fuzz/run-fuzz.sh ] && command -v clang >/dev/null 2>&1; then
	echo "# fuzzing (${FUZZ_SECONDS}s per target)"
	if make --no-print-directory -s fuzz BUILD="${BUILD:-build}" > "$TMP/fuzz-build.log" 2>&1; then
		suite_sub tests/fuzz/run-fuzz.sh "" "${BUILD:-build}" "$FUZZ_SECONDS"
	else
		fail "fuzz/build" "$(tail -3 "$TMP/fuzz-build.log" | tr '\n' ' ')"
	fi
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
