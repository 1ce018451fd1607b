#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-metrics.sh BIN: `iommu-inspect metrics` (the golden outputs are cases in
# tests/cases.list; this checks what a comparison cannot):
#   - promtool check metrics (Debian package prometheus) accepts the output of
#     every recorded tree under fixtures/, with its scrape duration, and with a
#     cap that folds series into "other";
#   - label values with a double quote, a backslash are escaped (a tree whose
#     group type holds them), and the output is still valid;
#   - --output replaces the file atomically: while `metrics -o FILE` runs again
#     and again, a reader reading FILE in a loop only ever sees it whole (its
#     first family and its last line), and no temporary file is left behind;
#   - --output whose rename fails: status 1, what was there kept, nothing left;
#   - a kernel log that cannot be read: a warning, status 0, the error counted.
# A check that cannot run here (no promtool) is a SKIP that says why.
# Prints PASS/FAIL/SKIP lines and the plan (tests/lib.sh).

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail metrics-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C.UTF-8
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-metrics.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

TREES=$(for d in fixtures/*/; do d=${d%/}; [[ -d $d/sys ]] && echo "$d"; done)

# --- promtool on every tree
if ! command -v promtool >/dev/null; then
	skip metrics-promtool "promtool is not installed (apt-get install prometheus)"
	skip metrics-promtool-capped "promtool is not installed (apt-get install prometheus)"
	skip metrics-promtool-escaped "promtool is not installed (apt-get install prometheus)"
else
	why=""
	for t in $TREES; do
		if ! "$BIN" --root "$t" metrics >"$TMP/out" 2>"$TMP/err"; then
			why+=" $t: status $? ($(head -c 200 "$TMP/err"));"
		elif ! grep -q '^iommu_inspect_scrape_duration_seconds [0-9.]*$' "$TMP/out"; then
			why+=" $t: no scrape duration;"
		elif ! promtool check metrics <"$TMP/out" >"$TMP/lint" 2>&1; then
			why+=" $t: $(head -c 300 "$TMP/lint");"
		fi
	done
	[[ -z $why ]] && pass metrics-promtool || fail metrics-promtool "$why"
	"$BIN" --root fixtures/intel-debugfs metrics --max-series 2 >"$TMP/capped" 2>/dev/null
	if ! grep -q '^iommu_domain_mapped_bytes{unit="other",domain="other"} ' "$TMP/capped"; then
		fail metrics-promtool-capped "no \"other\" series with --max-series 2"
	elif ! promtool check metrics <"$TMP/capped" >"$TMP/lint" 2>&1; then
		fail metrics-promtool-capped "$(head -c 300 "$TMP/lint")"
	else
		pass metrics-promtool-capped
	fi
	mkdir "$TMP/esc"
	cp -a fixtures/intel-q35/. "$TMP/esc/"
	printf 'DMA"x\\y\n' >"$TMP/esc/sys/kernel/iommu_groups/0/type"
	"$BIN" --root "$TMP/esc" metrics >"$TMP/esc.out" 2>/dev/null
	if ! grep -qF 'iommu_group_devices{group="0",type="DMA\"x\\y"} 1' "$TMP/esc.out"; then
		fail metrics-promtool-escaped "the label value is not escaped: $(grep 'group="0"' "$TMP/esc.out")"
	elif ! promtool check metrics <"$TMP/esc.out" >"$TMP/lint" 2>&1; then
		fail metrics-promtool-escaped "$(head -c 300 "$TMP/lint")"
	else
		pass metrics-promtool-escaped
	fi
fi

# --- atomic replacement while a reader reads in a loop
D=$TMP/textfile
mkdir "$D"
F=$D/iommu.prom
"$BIN" --root fixtures/intel-debugfs metrics -o "$F" 2>/dev/null
python3 - "$F" "$TMP/stop" >"$TMP/reader" <<'PY' &
import os, sys
path, stop = sys.argv[1], sys.argv[2]
reads = bad = 0
while not os.path.exists(stop):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    reads += 1
    if not (text.startswith("# HELP iommu_present ") and
            text.endswith("\n") and
            text.rstrip("\n").rsplit("\n", 1)[-1].startswith("iommu_inspect_scrape_duration_seconds ")):
        bad += 1
print(reads, bad)
PY
READER=$!
writes=0
for _ in $(seq 40); do
	"$BIN" --root fixtures/intel-debugfs metrics -o "$F" 2>/dev/null && writes=$((writes + 1))
done
touch "$TMP/stop"
wait "$READER"
read -r reads bad <"$TMP/reader"
left=$(find "$D" -name '.iommu.prom.*' | wc -l)
if [[ $writes != 40 ]]; then
	fail metrics-atomic "$writes of 40 writes succeeded"
elif [[ -z ${reads-} || $reads -lt 1 ]]; then
	fail metrics-atomic "the reader read nothing"
elif [[ $bad != 0 ]]; then
	fail metrics-atomic "$bad of $reads reads saw a partial file"
elif [[ $left != 0 ]]; then
	fail metrics-atomic "$left temporary files left in $D"
elif [[ $(stat -c %a "$F") != 644 ]]; then
	fail metrics-atomic "mode $(stat -c %a "$F"), want 644 (the collector reads it as another user)"
else
	pass metrics-atomic
fi

# --- a rename that fails (the name is a directory's): status 1, the directory as it was,
# no temporary file left
mkdir "$D/taken"
touch "$D/taken/keep"
"$BIN" --root fixtures/intel-q35 metrics -o "$D/taken" >/dev/null 2>"$TMP/err"
rc=$?
left=$(find "$D" -name '.taken.*' | wc -l)
if [[ $rc != 1 ]]; then
	fail metrics-output-kept "status $rc, want 1"
elif [[ ! -f $D/taken/keep ]]; then
	fail metrics-output-kept "the directory was changed"
elif [[ $left != 0 ]]; then
	fail metrics-output-kept "$left temporary files left behind"
elif ! grep -q "$D/taken: cannot write it" "$TMP/err"; then
	fail metrics-output-kept "the message does not name the file: $(head -c 200 "$TMP/err")"
else
	pass metrics-output-kept
fi
# --- a kernel log that cannot be read: a warning naming it, status 0, the error counted, no
# fault sample (rather than a wrong 0)
mkdir "$TMP/nolog"
cp -a fixtures/intel-faults/. "$TMP/nolog/"
rm -f "$TMP/nolog/dev/kmsg"
mkdir "$TMP/nolog/dev/kmsg"
"$BIN" --root "$TMP/nolog" metrics >"$TMP/nolog.out" 2>"$TMP/nolog.err"
rc=$?
if [[ $rc != 0 ]]; then
	fail metrics-log-unreadable "status $rc, want 0"
elif ! grep -q "warning: .*$TMP/nolog/dev/kmsg.*no fault counts" "$TMP/nolog.err"; then
	fail metrics-log-unreadable "no warning naming the log: $(head -c 200 "$TMP/nolog.err")"
elif ! grep -q '^iommu_inspect_scrape_errors 1$' "$TMP/nolog.out"; then
	fail metrics-log-unreadable "$(grep '^iommu_inspect_scrape_errors' "$TMP/nolog.out"), want 1"
elif grep -q '^iommu_faults_total' "$TMP/nolog.out"; then
	fail metrics-log-unreadable "fault samples from a log that was not read"
else
	pass metrics-log-unreadable
fi
finish
