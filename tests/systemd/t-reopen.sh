#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-reopen.sh BIN: `faults --follow` opens its log again on SIGHUP (the
# ExecReload= of iommu-inspect-faults.service) and reads on after the last
# record it took, so that nothing is emitted twice and nothing is lost:
#   - /dev/kmsg records in a file (--kmsg-file), and the dev/kmsg of a --root
#     tree as the service reads it: SIGHUPs between bursts, two at once, and a
#     rotation (the file renamed, a new one holding the old records and new
#     ones): every fault once, in order, by sequence number;
#   - log text (--dmesg-file): the same file read on from its last line; a
#     rotated one (a new inode) read whole;
#   - a log that cannot be opened again: a warning record, and the open one
#     followed on;
#   - a FIFO is not reopened (nothing lost), and SIGHUP while waiting for its
#     writer neither stops nor fails the run;
#   - SIGTERM then ends each run with status 0.
# Every run is bounded by a 60 s watchdog. Prints PASS/FAIL/SKIP lines and the plan
# (tests/lib.sh).

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail reopen-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C.UTF-8
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-reopen.XXXXXX") || exit 1
PID=
cleanup() {
	[[ -n $PID ]] && kill -KILL "$PID" 2>/dev/null
	[[ -n $WD ]] && kill "$WD" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# gen FIRST COUNT [SEQBASE] [text]: COUNT Intel faults numbered from FIRST, each
# with its status line and a noise record; fault i is at 0x1000 * (i + 1) and
# has sequence numbers SEQBASE + 3i .. 3i + 2.
gen() {
	python3 - "$@" <<'PY'
import sys
first, count = int(sys.argv[1]), int(sys.argv[2])
base = int(sys.argv[3]) if len(sys.argv) > 3 else 0
text = len(sys.argv) > 4
for i in range(first, first + count):
    us = 1000000 + i * 1000
    fault = ("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x%x "
             "[fault reason 0x06] PTE Read access is not set" % (0x1000 * (i + 1)))
    if text:
        print("[%5d.%06d] DMAR: DRHD: handling fault status reg 2" % (us // 10**6, us % 10**6))
        print("[%5d.%06d] %s" % (us // 10**6, us % 10**6 + 1, fault))
        print("[%5d.%06d] e1000e 0000:01:00.0 eth0: noise %d" % (us // 10**6, us % 10**6 + 2, i))
    else:
        s = base + 3 * i
        print("3,%d,%d,-;DMAR: DRHD: handling fault status reg 2" % (s, us))
        print("3,%d,%d,-;%s" % (s + 1, us + 1, fault))
        print("6,%d,%d,-;e1000e 0000:01:00.0 eth0: noise %d" % (s + 2, us + 2, i))
PY
}

# faults_in FILE: how many fault records FILE holds so far
faults_in() { grep -c '"type":"fault"' "$1" 2>/dev/null || true; }
# wait_faults FILE N: until FILE holds N faults (10 s at most)
wait_faults() {
	for _ in $(seq 100); do
		[[ $(faults_in "$1") -ge $2 ]] && return 0
		sleep 0.1
	done
	return 1
}

# check NAME FILE COUNT: exactly faults 0..COUNT-1, once each, in order, each line JSON.
check() {
	python3 - "$2" "$3" <<'PY'
import json, sys
path, want = sys.argv[1], int(sys.argv[2])
addrs = []
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    o = json.loads(line)
    if o["type"] == "fault":
        addrs.append(int(o["address"], 16))
exp = [0x1000 * (i + 1) for i in range(want)]
if addrs != exp:
    print("%d faults, want %d; twice: %d; lost: %s" % (len(addrs), want,
          len(addrs) - len(set(addrs)), sorted((set(exp) - set(addrs)))[:5]))
PY
}

# start OUT ARGS...: the follower in the background (PID), and a watchdog that
# kills it after 60 s. Not timeout(1): PID must be the program's own, as
# timeout passes on only the first SIGHUP it gets and ignores the others.
WD=
start() {
	local out=$1
	shift
	"$BIN" faults --follow --json "$@" </dev/null >"$out" 2>"$out.err" &
	PID=$!
	(sleep 60; kill -KILL "$PID" 2>/dev/null) </dev/null >/dev/null 2>&1 &
	WD=$!
	sleep 0.5
}
unwatch() {
	kill "$WD" 2>/dev/null
	wait "$WD" 2>/dev/null
	WD=
}
# stop: SIGTERM; its exit status in RC
RC=
stop() {
	kill -TERM "$PID" 2>/dev/null
	wait "$PID"
	RC=$?
	PID=
	unwatch
}
hup() {
	kill -HUP "$PID" 2>/dev/null
	sleep 0.3
}
alive() { kill -0 "$PID" 2>/dev/null; }

# verdict NAME OUT WANT RC: the run's result
verdict() {
	local why
	why=$(check "$1" "$2" "$3" 2>&1)
	if [[ $4 != 0 ]]; then
		fail "$1" "status $4 after SIGTERM: $(head -c 200 "$2.err")"
	elif [[ -n $why ]]; then
		fail "$1" "$why"
	else
		pass "$1"
	fi
}

# --- /dev/kmsg records in a file: bursts, SIGHUPs, a rotation
F=$TMP/kmsg
gen 0 10 >"$F"
start "$TMP/k.out" --kmsg-file "$F"
wait_faults "$TMP/k.out" 10
hup
gen 10 10 >>"$F"
wait_faults "$TMP/k.out" 20
kill -HUP "$PID"; kill -HUP "$PID"
sleep 0.3
gen 20 10 >>"$F"
wait_faults "$TMP/k.out" 30
ok=1
alive || ok=0
# rotation: the old file aside, a new one holding every record since boot and new ones
mv "$F" "$F.1"
gen 0 40 >"$F"
hup
wait_faults "$TMP/k.out" 40
alive || ok=0
stop
if [[ $ok == 0 ]]; then
	fail reopen-kmsg-file "it did not keep running after SIGHUP: $(head -c 200 "$TMP/k.out.err")"
else
	verdict reopen-kmsg-file "$TMP/k.out" 40 "$RC"
fi

# --- the dev/kmsg of a --root tree, as the service reads the live one
mkdir -p "$TMP/tree"
cp -a fixtures/intel-faults/. "$TMP/tree/"
gen 0 5 100000 >"$TMP/tree/dev/kmsg"
start "$TMP/r.out" --root "$TMP/tree"
wait_faults "$TMP/r.out" 5
hup
gen 5 5 100000 >>"$TMP/tree/dev/kmsg"
wait_faults "$TMP/r.out" 10
hup
hup
alive && ok=1 || ok=0
stop
if [[ $ok == 0 ]]; then
	fail reopen-root-kmsg "it did not keep running after SIGHUP"
else
	verdict reopen-root-kmsg "$TMP/r.out" 10 "$RC"
fi

# --- log text: the same file read on; a rotated one read whole
T=$TMP/dmesg
gen 0 10 0 text >"$T"
start "$TMP/t.out" --dmesg-file "$T"
wait_faults "$TMP/t.out" 10
hup
gen 10 10 0 text >>"$T"
wait_faults "$TMP/t.out" 20
mv "$T" "$T.1"
gen 20 5 0 text >"$T"
hup
wait_faults "$TMP/t.out" 25
alive && ok=1 || ok=0
stop
if [[ $ok == 0 ]]; then
	fail reopen-text "it did not keep running after SIGHUP"
else
	verdict reopen-text "$TMP/t.out" 25 "$RC"
fi

# --- a log that cannot be opened again: a warning, and the open one followed on
G=$TMP/gone
gen 0 5 >"$G"
exec 7>>"$G"
start "$TMP/g.out" --kmsg-file "$G"
wait_faults "$TMP/g.out" 5
rm -f "$G"
hup
gen 5 5 >&7
exec 7>&-
wait_faults "$TMP/g.out" 10
alive && ok=1 || ok=0
stop
if [[ $ok == 0 ]]; then
	fail reopen-cannot "it stopped when the log could not be opened again"
elif ! grep -q '"type":"warning".*cannot open it again' "$TMP/g.out"; then
	fail reopen-cannot "no warning record: $(grep -v '"fault"' "$TMP/g.out" | head -c 300)"
else
	verdict reopen-cannot "$TMP/g.out" 10 "$RC"
fi

# --- a FIFO: SIGHUP while it waits for its writer, and while it reads
P=$TMP/fifo
mkfifo "$P"
start "$TMP/p.out" --kmsg-file "$P"
hup
alive && ok=1 || ok=0
exec 8>"$P"
gen 0 5 >&8
wait_faults "$TMP/p.out" 5
hup
gen 5 5 >&8
wait_faults "$TMP/p.out" 10
alive || ok=0
exec 8>&-
wait "$PID"
RC=$?
PID=
unwatch
if [[ $ok == 0 ]]; then
	fail reopen-fifo "SIGHUP stopped the run on a FIFO"
else
	verdict reopen-fifo "$TMP/p.out" 10 "$RC"
fi
finish
