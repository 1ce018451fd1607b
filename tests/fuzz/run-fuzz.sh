#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run every libFuzzer target built by `make fuzz` for a while on its seed corpus.
#
#   tests/fuzz/run-fuzz.sh [--runs N] BUILD_DIR SECONDS
#
# With --runs N (make fuzz-long), each target runs N executions instead of SECONDS
# (give 0), and the line gives the executions per second too.
#
# Each target BUILD_DIR/fuzz/fuzz-NAME runs for SECONDS on a temporary copy of
# tests/fuzz/corpus/NAME/ (so the repository is not modified) and prints one line:
#   PASS fuzz-NAME: N runs
#   FAIL fuzz-NAME: <crash summary> (input kept in BUILD_DIR/fuzz/artifacts/...)
# and, last, the plan (tests/lib.sh). FUZZ_TARGETS="fault kmsg" (names without fuzz-) limits
# the run to those targets, for a long run split over several sittings. The exit status is 0 when it ran to its end,
# whatever the targets found; tests/run.sh counts the lines.
set -u
. "$(dirname "$0")/../lib.sh" || exit 1

RUNS=
if [ "${1:-}" = --runs ]; then
	RUNS=$2
	shift 2
fi
if [ $# -ne 2 ]; then
	echo "usage: $0 BUILD_DIR SECONDS" >&2
	exit 2
fi
# BUILD_DIR as given from the caller's directory; the corpora are found from here.
BUILD=$(cd "$1" 2>/dev/null && pwd) || BUILD=$1
SECONDS_PER_TARGET=$2
cd "$(dirname "$0")/../.." || exit 1

# UBSan reports are crashes, not warnings; leaks count too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

shopt -s nullglob
targets=("$BUILD"/fuzz/fuzz-*)
if [ ${#targets[@]} -eq 0 ]; then
	fail fuzz "no targets in $BUILD/fuzz (build them with make fuzz BUILD=$BUILD)"
	finish
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-fuzz.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
ARTIFACTS=$BUILD/fuzz/artifacts
mkdir -p "$ARTIFACTS"

for bin in "${targets[@]}"; do
	if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
		continue
	fi
	name=${bin##*/}
	if [ -n "${FUZZ_TARGETS:-}" ] && ! [[ " $FUZZ_TARGETS " == *" ${name#fuzz-} "* ]]; then
		continue
	fi
	seeds=tests/fuzz/corpus/${name#fuzz-}
	corpus=$TMP/$name
	mkdir -p "$corpus"
	[ -d "$seeds" ] && cp -R "$seeds"/. "$corpus"/
	log=$TMP/$name.log

	if [ -n "$RUNS" ]; then
		limit=(-runs="$RUNS")
	else
		limit=(-max_total_time="$SECONDS_PER_TARGET")
	fi
	start=$(date +%s)
	"$bin" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
		-max_len=8192 -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$name-" \
		"$corpus" > "$log" 2>&1
	rc=$?

	runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -1)
	[ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
	if [ $rc -eq 0 ] && [ -n "$runs" ]; then
		secs=$(( $(date +%s) - start ))
		pass "$name: $runs runs${RUNS:+ in ${secs}s}"
		continue
	fi
	# The first line that says what went wrong, then where the input was kept.
	why=$(grep -m1 -e 'runtime error:' "$log")
	[ -n "$why" ] || why=$(grep -m1 -e '^SUMMARY: ' "$log")
	[ -n "$why" ] || why=$(grep -m1 -e '==ERROR' -e 'ERROR: libFuzzer' -e 'deadly signal' "$log")
	[ -n "$why" ] || why="exit status $rc: $(tail -1 "$log")"
	input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	fail "$name" "$why${input:+ (input kept in $input)}"
	grep -m4 -E '^ *#[0-9]+ 0x' "$log" | sed -e 's/ (BuildId: [0-9a-f]*)//' -e 's/^ */    /'
done
finish
