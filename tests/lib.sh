# SPDX-License-Identifier: MIT
# Sourced by every sub-suite (tests/<dir>/t-*.sh, bash or POSIX sh) for the
# protocol tests/run.sh holds it to:
#
#   pass NAME        prints "PASS NAME"
#   fail NAME WHY    prints "FAIL NAME: WHY"
#   skip NAME WHY    prints "SKIP NAME: WHY": a check that cannot run here, and why
#   relay            copies its standard input to the output, counting the PASS,
#                    FAIL and SKIP lines in it: a helper program's results, as
#                    `relay < FILE` or `relay < <(CMD)` (not `CMD | relay`, whose
#                    counts would stay in the pipeline's subshell)
#   finish           prints the plan line "PLAN N", N the PASS, FAIL and SKIP lines
#                    counted, and exits 0: the suite ran to its end
#
# A suite that stops before finish (an error under `set -u`, an exit, a signal)
# has no plan, and the runner fails the run. The counts live in the suite's own
# shell: a check printed from a subshell, $(...) or a pipeline is not counted, the
# plan then disagrees with the lines the runner sees, and that fails the run too.
T_PASSED=0
T_FAILED=0
T_SKIPPED=0

pass() {
	T_PASSED=$((T_PASSED + 1))
	printf 'PASS %s\n' "$1"
}

fail() {
	T_FAILED=$((T_FAILED + 1))
	printf 'FAIL %s: %s\n' "$1" "${2-}"
}

skip() {
	T_SKIPPED=$((T_SKIPPED + 1))
	printf 'SKIP %s: %s\n' "$1" "${2-}"
}

relay() {
	while IFS= read -r t_line || [ -n "$t_line" ]; do
		case $t_line in
		"PASS "*) T_PASSED=$((T_PASSED + 1)) ;;
		"FAIL "*) T_FAILED=$((T_FAILED + 1)) ;;
		"SKIP "*) T_SKIPPED=$((T_SKIPPED + 1)) ;;
		esac
		printf '%s\n' "$t_line"
	done
	t_line=
}

finish() {
	printf 'PLAN %d\n' $((T_PASSED + T_FAILED + T_SKIPPED))
	exit 0
}
