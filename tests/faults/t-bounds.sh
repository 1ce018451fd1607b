#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-bounds.sh BIN: what `faults` holds and how long it reads, whatever the log.
#   - a 64 MiB log without a newline, as /dev/kmsg records (--kmsg-file) and as
#     text (--dmesg-file), from a file, from standard input redirected from it
#     and through a pipe: peak memory stays flat (under 24 MiB, against the
#     64 MiB the file would take whole), and one warning names the file, the
#     count and the byte where the first record or line was cut;
#   - the reader of the output goes away (`faults --list | head -1`): it stops
#     at the first failed write and exits with 0, even though its log (a FIFO
#     whose writer stays) has not ended.
# Generated inputs only. Every run is bounded by timeout(1).
# PASS/FAIL lines and the plan (tests/lib.sh).

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	echo "t-bounds.sh: no executable BIN given" >&2
	exit 2
fi
export LC_ALL=C.UTF-8
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-bounds.XXXXXX") || exit 1
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT


# Sanitizers keep shadow memory and quarantine: the memory bound means nothing there.
asan=0
if nm -an "$BIN" 2>/dev/null | grep -q __asan_init || ldd "$BIN" 2>/dev/null | grep -q libasan; then
	asan=1
fi

# rss NAME MODE ARGS...: run BIN ARGS (MODE: file, stdin redirected from $BIG, pipe from cat);
# prints "KiB exit" of the run, stderr in $TMP/NAME.err.
rss() {
	local name=$1 mode=$2
	shift 2
	python3 - "$mode" "$BIG" "$TMP/$name.err" "$BIN" "$@" <<'PY'
import os, subprocess, sys
mode, big, err = sys.argv[1:4]
cmd = ["timeout", "120"] + sys.argv[4:]
with open(err, "wb") as e, open(os.devnull, "wb") as out:
    if mode == "stdin":
        stdin = open(big, "rb")
    elif mode == "pipe":
        cat = subprocess.Popen(["cat", big], stdout=subprocess.PIPE)
        stdin = cat.stdout
    else:
        stdin = subprocess.DEVNULL
    p = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=e)
    if mode == "pipe":
        cat.stdout.close()
    _, status, ru = os.wait4(p.pid, 0)
    if mode == "pipe":
        cat.wait()
# timeout(1) waits for the tool: the largest of the two is the tool's
print(ru.ru_maxrss, os.waitstatus_to_exitcode(status))
PY
}

BIG=$TMP/big
for fmt in kmsg text; do
	if [[ $fmt == kmsg ]]; then
		{ printf '3,0,1000,-;'; head -c $((64 << 20)) /dev/zero | tr '\0' 'A'; } > "$BIG"
		opt=--kmsg-file what=record
	else
		{ printf '[    1.000000] '; head -c $((64 << 20)) /dev/zero | tr '\0' 'A'; } > "$BIG"
		opt=--dmesg-file what=line
	fi
	for mode in file stdin pipe; do
		name=$fmt-$mode
		if [[ $mode == file ]]; then src=$BIG; else src=-; fi
		read -r kib rc < <(rss "$name" "$mode" faults "$opt" "$src" --summary)
		shown=$BIG
		[[ $mode != file ]] && shown="standard input"
		want="$shown: 1 $what longer than 1048576 bytes was cut to that length, the first at"
		if [[ $rc != 0 ]]; then
			fail "newline-less-$name" "exit $rc: $(head -c 300 "$TMP/$name.err")"
		elif [[ $(grep -c 'longer than' "$TMP/$name.err") != 1 ]] || ! grep -qF "$want" "$TMP/$name.err"; then
			fail "newline-less-$name" "want one warning '$want...': $(head -c 300 "$TMP/$name.err")"
		elif [[ $asan == 0 && $kib -gt $((24 * 1024)) ]]; then
			fail "newline-less-$name" "peak RSS $((kib / 1024)) MiB for a 64 MiB log (at most 24)"
		else
			pass "newline-less-$name"
		fi
	done
done
rm -f "$BIG"

# ------------------------------------------------- the output's reader goes away

# 2000 faults into a FIFO whose writer then stays: only a stop at the failed write ends the run
python3 - > "$TMP/faults.kmsg" <<'EOF2'
for i in range(2000):
    print("3,%d,%d,-;DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x%x "
          "[fault reason 0x06] PTE Read access is not set" % (i, 1000000 + i, 0x1000 * (i + 1)))
EOF2
for mode in list json; do
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	# the writer: the faults, then the FIFO held open for 60 s
	( cat "$TMP/faults.kmsg"; sleep 60 ) > "$TMP/fifo" &
	WPID=$!
	PIDS+=("$WPID")
	if [[ $mode == list ]]; then args=(--list); else args=(--json); fi
	start=$SECONDS
	( timeout -k 3 30 "$BIN" faults --kmsg-file "$TMP/fifo" "${args[@]}"; echo "rc=$?" > "$TMP/rc" ) | head -c 100 > "$TMP/head.out"
	took=$((SECONDS - start))
	kill "$WPID" 2>/dev/null
	wait "$WPID" 2>/dev/null
	if [[ $(cat "$TMP/rc" 2>/dev/null) == rc=0 && $took -lt 20 && -s $TMP/head.out ]]; then
		pass "reader-gone-stops-$mode"
	else
		fail "reader-gone-stops-$mode" "$(cat "$TMP/rc" 2>/dev/null) after $took s"
	fi
done
finish
