#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-follow.sh BIN: `faults --follow` while a writer appends to the log.
#
# A writer appends /dev/kmsg records (or log text) to a regular file or a FIFO,
# in bursts, with records split across writes and pauses longer than the
# follower's idle time; `faults --follow --json` must print every fault once, in
# order, none lost, each line one JSON object, within a bounded wait. It must
# exit with status 0 on SIGTERM and SIGINT, when a FIFO's writer closes it, and
# when the reader of its output goes away; report a gap in sequence numbers as
# lost records; read a truncated file again from its start, and one truncated
# and written again between two looks; report no drop for a record that comes
# in two writes half a second apart. Every run of the
# tool is bounded by timeout(1), so the test ends on its own even if it hangs.
# The test never sleeps for a fixed time to let the tool get somewhere: it waits
# for what it needs (the tool has the log open, catches the signal, sleeps with
# nothing left to read, has printed N faults), looking every 50 ms for up to
# 20 s, so a loaded machine only makes it slower and a quiet one does not wait.
# The writers' own pauses (between bursts, inside a record) are the scenario.
# Prints "PASS name", "FAIL name: why" or "SKIP name: why" lines and the plan
# (tests/lib.sh); exit status 0 when it ran to its end.

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail follow-usage "no executable BIN given"
	finish
fi
BIN_REAL=$(readlink -f "$BIN")
WAIT=20 # seconds: the most any wait for the tool takes
export LC_ALL=C.UTF-8
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-follow.XXXXXX") || exit 1
PIDS=()
cleanup() {
	# TERM to each timeout(1), which passes it on (and kills 3 s later)
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# gen FIRST COUNT [text]: COUNT Intel faults numbered from FIRST, each with its
# status line and a noise record; the address of fault i is 0x1000 * (i + 1).
gen() {
	python3 - "$@" <<'EOF'
import sys
first, count = int(sys.argv[1]), int(sys.argv[2])
text = len(sys.argv) > 3
for i in range(first, first + count):
    us = 1000000 + i * 1000
    fault = ("DMAR: [DMA Read NO_PASID] Request device [00:05.0] fault addr 0x%x "
             "[fault reason 0x06] PTE Read access is not set" % (0x1000 * (i + 1)))
    if text:
        print("[%5d.%06d] DMAR: DRHD: handling fault status reg 2" % (us // 10**6, us % 10**6))
        print("[%5d.%06d] %s" % (us // 10**6, us % 10**6 + 1, fault))
        print("[%5d.%06d] e1000e 0000:01:00.0 eth0: noise %d" % (us // 10**6, us % 10**6 + 2, i))
    else:
        print("3,%d,%d,-;DMAR: DRHD: handling fault status reg 2" % (3 * i, us))
        print("3,%d,%d,-;%s" % (3 * i + 1, us + 1, fault))
        print("6,%d,%d,-;e1000e 0000:01:00.0 eth0: noise %d\n SUBSYSTEM=net\n DEVICE=n2" % (
            3 * i + 2, us + 2, i))
EOF
}

# check_out NAME FILE COUNT: FILE holds exactly COUNT fault objects, addresses in order.
check_out() {
	local why
	why=$(python3 - "$2" "$3" <<'EOF'
import json, sys
path, want = sys.argv[1], int(sys.argv[2])
addrs = []
for n, line in enumerate(open(path, encoding="utf-8"), 1):
    try:
        o = json.loads(line)
    except ValueError as e:
        print("line %d is not JSON: %s" % (n, e)); sys.exit()
    if not isinstance(o, dict) or "type" not in o:
        print("line %d has no type" % n); sys.exit()
    if o["type"] == "fault":
        addrs.append(int(o["address"], 16))
exp = [0x1000 * (i + 1) for i in range(want)]
if addrs != exp:
    lost = sorted(set(exp) - set(addrs))
    dup = len(addrs) - len(set(addrs))
    print("%d faults, want %d; missing %d (first %s), %d duplicates, in order: %s" % (
        len(addrs), want, len(lost), [hex(a) for a in lost[:3]], dup, addrs == sorted(addrs)))
EOF
)
	if [[ -z $why ]]; then pass "$1"; else fail "$1" "$why"; fi
}

# await SECONDS CMD...: until CMD succeeds (0) or SECONDS are over (1), looking every 50 ms.
await() {
	local end=$((SECONDS + $1 + 1))
	shift
	until "$@"; do
		((SECONDS < end)) || return 1
		sleep 0.05
	done
}

# has_faults FILE COUNT: FILE has COUNT fault lines (or more).
has_faults() {
	local n
	n=$(grep -c '"type":"fault"' "$1" 2>/dev/null)
	((${n:-0} >= $2))
}

# wait_faults FILE COUNT SECONDS: until FILE has COUNT fault lines (0) or time is up (1).
wait_faults() {
	await "$3" has_faults "$1" "$2"
}

# The tool runs under timeout(1) (below), whose pid the tests hold. is_tool sets
# TOOL to the tool's own pid once timeout has forked and exec'd it (before the
# exec the child is timeout, with timeout's signal handlers).
# is_tool TPID: the child of timeout TPID is the tool (0); TOOL is its pid.
is_tool() {
	local c='' f line ppid
	if [[ -r /proc/$1/task/$1/children ]]; then
		read -r c _ < "/proc/$1/task/$1/children"
	else
		for f in /proc/[0-9]*/stat; do
			read -r line < "$f" 2>/dev/null || continue
			read -r _ ppid _ <<< "${line##*) }"
			[[ $ppid == "$1" ]] && { c=${f//[!0-9]/}; break; }
		done
	fi
	[[ -n $c && $(readlink "/proc/$c/exe" 2>/dev/null) == "$BIN_REAL" ]] || return 1
	TOOL=$c
}

# has_open TPID FILE: the tool has FILE open (it is reading or following it).
has_open() {
	local fd want
	is_tool "$1" || return 1
	want=$(readlink -f "$2")
	for fd in /proc/"$TOOL"/fd/*; do
		[[ $(readlink "$fd" 2>/dev/null) == "$want" ]] && return 0
	done
	return 1
}

# catches TPID SIGNUM: the tool has a handler for the signal (SigCgt).
catches() {
	local key mask
	is_tool "$1" || return 1
	while read -r key mask; do
		[[ $key == SigCgt: ]] && (((16#$mask >> ($2 - 1)) & 1)) && return 0
	done < "/proc/$TOOL/status"
	return 1
}

# idle TPID: every thread of the tool sleeps (in a poll, a read, a FIFO's open):
# it has done all it can with what it was given.
idle() {
	local t line state
	is_tool "$1" || return 1
	for t in /proc/"$TOOL"/task/*/stat; do
		read -r line < "$t" 2>/dev/null || return 1
		read -r state _ <<< "${line##*) }"
		[[ $state == S ]] || return 1
	done
}

# following TPID FILE: the tool has FILE open, catches SIGTERM and SIGINT, and sleeps.
following() {
	has_open "$1" "$2" && catches "$1" 15 && catches "$1" 2 && idle "$1"
}

# ready NAME TPID FILE: wait until the tool follows FILE; a FAIL line if it does not.
ready() {
	await "$WAIT" following "$2" "$3" && return 0
	fail "$1" "the tool did not start following $3 within $WAIT s"
	return 1
}

# The tool runs under `timeout -k 3 N`, whose pid the tests hold: a signal sent
# to it is passed on to the tool, and SIGKILL follows 3 s later if the tool is
# still there (killing timeout itself would leave the tool running).
# gone PID SECONDS: wait until PID has exited (0) or SECONDS are over (1).
exited() { ! kill -0 "$1" 2>/dev/null; }
gone() {
	await "$2" exited "$1"
}
# end PID: make sure it is gone (TERM, then timeout's KILL 3 s later).
end() {
	kill -TERM "$1" 2>/dev/null
	gone "$1" "$WAIT" && wait "$1" 2>/dev/null
}

# stop PID SIG NAME: send SIG, wait at most WAIT s; "PASS NAME" if it exited with 0.
stop() {
	local pid=$1 sig=$2 name=$3 rc
	kill "-$sig" "$pid" 2>/dev/null
	if ! gone "$pid" "$WAIT"; then
		end "$pid"
		fail "$name" "still running $WAIT s after SIG$sig"
		return
	fi
	wait "$pid"
	rc=$?
	if [[ $rc -eq 0 ]]; then pass "$name"; else fail "$name" "exit status $rc after SIG$sig"; fi
}

# ------------------------------------------------------------ a regular file

F=$TMP/kmsg
gen 0 600 > "$TMP/all.kmsg"
head -c 0 "$TMP/all.kmsg" > "$F"
# a third of the log is there before the follower starts
lines=$(wc -l < "$TMP/all.kmsg")
head -n $((lines / 3)) "$TMP/all.kmsg" > "$F"
tail -n +$((lines / 3 + 1)) "$TMP/all.kmsg" > "$TMP/rest.kmsg"
timeout -k 3 60 "$BIN" faults --kmsg-file "$F" --follow --json > "$TMP/out1" 2> "$TMP/err1" &
PID=$!
PIDS+=("$PID")
python3 - "$TMP/rest.kmsg" "$F" <<'EOF'
import sys, time
data = open(sys.argv[1], "rb").read()
out = open(sys.argv[2], "ab", buffering=0)
# bursts of odd sizes, so records are split across writes; pauses longer than the idle time
pos, n, step = 0, 0, 997
while pos < len(data):
    out.write(data[pos:pos + step])
    pos += step
    n += 1
    time.sleep(0.35 if n % 40 == 0 else 0.002)
EOF
if wait_faults "$TMP/out1" 600 "$WAIT"; then
	pass follow-file-all-arrive
else
	fail follow-file-all-arrive "$(grep -c '"type":"fault"' "$TMP/out1") of 600 faults after $WAIT s"
fi
stop "$PID" TERM follow-file-sigterm-exit-0
check_out follow-file-once-in-order "$TMP/out1" 600
if [[ -s $TMP/err1 ]]; then fail follow-file-stderr "$(head -c 300 "$TMP/err1")"; else pass follow-file-stderr; fi

# SIGINT, in text mode: one line per fault
: > "$F"
timeout -k 3 60 "$BIN" faults --kmsg-file "$F" --follow > "$TMP/out2" 2>&1 &
PID=$!
PIDS+=("$PID")
ready follow-text-ready "$PID" "$F"
gen 0 5 >> "$F"
text_faults() { (($(grep -c 'PTE Read' "$TMP/out2") >= 5)); }
await "$WAIT" text_faults
stop "$PID" INT follow-text-sigint-exit-0
if [[ $(grep -c '^\[ *[0-9.]*\] intel - 0000:00:05.0 read addr 0x[0-9a-f]*: 0x06 PTE Read access is not set$' "$TMP/out2") == 5 &&
      $(wc -l < "$TMP/out2") == 5 ]]; then
	pass follow-text-one-line-per-fault
else
	fail follow-text-one-line-per-fault "$(head -3 "$TMP/out2")"
fi

# a file that shrinks is read again from its start; a gap in sequence numbers is lost records
gen 0 3 > "$F"
timeout -k 3 60 "$BIN" faults --kmsg-file "$F" --follow --json > "$TMP/out3" 2> "$TMP/err3" &
PID=$!
PIDS+=("$PID")
wait_faults "$TMP/out3" 3 "$WAIT"
gen 0 2 > "$F"
printf '3,500,9000000,-;DMAR: [DMA Write NO_PASID] Request device [00:05.0] fault addr 0x55000 [fault reason 0x05] PTE Write access is not set\n' >> "$F"
wait_faults "$TMP/out3" 6 "$WAIT"
stop "$PID" TERM follow-truncate-sigterm
if [[ $(grep -c '"type":"fault"' "$TMP/out3") == 6 ]] && grep -q 'shrank (truncated' "$TMP/err3"; then
	pass follow-truncated-file-read-again
else
	fail follow-truncated-file-read-again "$(grep -c '"type":"fault"' "$TMP/out3") faults; $(head -c 200 "$TMP/err3")"
fi
if grep -q '"type":"dropped".*"kind":"lost-records".*"count":494' "$TMP/out3"; then
	pass follow-lost-records-counted
else
	fail follow-lost-records-counted "$(grep lost "$TMP/out3" | head -2)"
fi

# a record in two writes half a second apart (a status line and half the fault
# record, then the rest): no drop, as a read of the same bytes at once reports none
: > "$F"
timeout -k 3 60 "$BIN" faults --kmsg-file "$F" --follow --json > "$TMP/out3b" 2> "$TMP/err3b" &
PID=$!
PIDS+=("$PID")
ready follow-split-record-ready "$PID" "$F"
gen 0 1 > "$TMP/one.kmsg"
python3 - "$TMP/one.kmsg" "$F" <<'EOF'
import sys, time
data = open(sys.argv[1], "rb").read()
cut = data.index(b"Request")
with open(sys.argv[2], "ab", buffering=0) as out:
    out.write(data[:cut])
    time.sleep(0.5)
    out.write(data[cut:])
EOF
# the fault, then the tool asleep again: whatever it makes of the two writes is out
wait_faults "$TMP/out3b" 1 "$WAIT" && await "$WAIT" idle "$PID"
stop "$PID" TERM follow-split-record-sigterm
"$BIN" faults --kmsg-file "$F" --list > "$TMP/once3b" 2>&1
if [[ $(grep -c '"type":"fault"' "$TMP/out3b") == 1 && $(grep -c '"type":"dropped"' "$TMP/out3b") == 0 ]] &&
	! grep -q 'not printed' "$TMP/once3b"; then
	pass follow-record-in-two-writes-no-drop
else
	fail follow-record-in-two-writes-no-drop "$(grep -o '"type":"[a-z]*"' "$TMP/out3b" | tr '\n' ' ')"
fi

# truncated and written again between two looks: 20 faults, truncated, 40 others
# at once (more bytes than were read): read again from the start, none lost
gen 0 20 > "$F"
timeout -k 3 60 "$BIN" faults --kmsg-file "$F" --follow --json > "$TMP/out3c" 2> "$TMP/err3c" &
PID=$!
PIDS+=("$PID")
wait_faults "$TMP/out3c" 20 "$WAIT"
gen 20 40 > "$TMP/refill.kmsg"
# truncate(2), then the 40 in one write, with no look of the follower in between:
# it is stopped (SIGSTOP) while it sleeps, and continued after
TOOL=
await "$WAIT" idle "$PID" && kill -STOP "$TOOL"
python3 - "$F" "$TMP/refill.kmsg" <<'EOF'
import sys
data = open(sys.argv[2], "rb").read()
with open(sys.argv[1], "r+b", buffering=0) as f:
    f.truncate(0)
    f.write(data)
EOF
[[ -n $TOOL ]] && kill -CONT "$TOOL"
wait_faults "$TMP/out3c" 60 "$WAIT"
stop "$PID" TERM follow-refilled-sigterm
check_out follow-truncated-and-refilled-none-lost "$TMP/out3c" 60
if grep -q 'truncated and written again: read again from its start' "$TMP/err3c" &&
	grep -q '"type":"warning".*truncated and written again' "$TMP/out3c"; then
	pass follow-truncated-and-refilled-warning
else
	fail follow-truncated-and-refilled-warning "$(head -c 300 "$TMP/err3c")"
fi

# ---------------------------------------------------------------------- FIFOs

mkfifo "$TMP/fifo"
timeout -k 3 60 "$BIN" faults --kmsg-file "$TMP/fifo" --follow --json > "$TMP/out4" 2> "$TMP/err4" &
PID=$!
PIDS+=("$PID")
python3 - "$TMP/all.kmsg" "$TMP/fifo" <<'EOF'
import sys, time
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb", buffering=0) as out:
    for i in range(0, len(data), 1500):
        out.write(data[i:i + 1500])
        if i % 60000 == 0:
            time.sleep(0.3)
EOF
# the writer closed the FIFO: the follower ends on its own
if ! gone "$PID" "$WAIT"; then
	end "$PID"
	fail follow-fifo-ends-with-writer "still running $WAIT s after the writer closed the FIFO"
else
	wait "$PID"
	rc=$?
	if [[ $rc -eq 0 ]]; then pass follow-fifo-ends-with-writer; else fail follow-fifo-ends-with-writer "exit $rc: $(head -c 200 "$TMP/err4")"; fi
fi
check_out follow-fifo-once-in-order "$TMP/out4" 600

# a signal while it waits for a FIFO's first writer
rm -f "$TMP/fifo"
mkfifo "$TMP/fifo"
timeout -k 3 60 "$BIN" faults --kmsg-file "$TMP/fifo" --follow --json > "$TMP/out4b" 2>&1 &
PID=$!
PIDS+=("$PID")
# it catches SIGTERM and sleeps: in the FIFO's open, waiting for a writer
in_open() { catches "$1" 15 && idle "$1"; }
await "$WAIT" in_open "$PID"
stop "$PID" TERM follow-fifo-no-writer-sigterm-exit-0

# log text through a FIFO, with lines split across writes
gen 0 200 text > "$TMP/all.txt"
timeout -k 3 60 "$BIN" faults --dmesg-file "$TMP/fifo" --follow --json > "$TMP/out5" 2> "$TMP/err5" &
PID=$!
PIDS+=("$PID")
python3 - "$TMP/all.txt" "$TMP/fifo" <<'EOF'
import sys, time
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb", buffering=0) as out:
    for i in range(0, len(data), 333):
        out.write(data[i:i + 333])
        time.sleep(0.001)
EOF
wait "$PID"
rc=$?
if [[ $rc -eq 0 ]]; then pass follow-text-fifo-exit-0; else fail follow-text-fifo-exit-0 "exit $rc"; fi
check_out follow-text-fifo-once-in-order "$TMP/out5" 200

# ------------------------------------------------------ the reader goes away

gen 0 50 > "$F"
( timeout -k 3 20 "$BIN" faults --kmsg-file "$F" --follow --json; echo "rc=$?" > "$TMP/rc6" ) | head -n 1 > "$TMP/out6"
if [[ $(cat "$TMP/rc6" 2>/dev/null) == rc=0 && $(grep -c fault "$TMP/out6") == 1 ]]; then
	pass follow-reader-gone-with-output-exit-0
else
	fail follow-reader-gone-with-output-exit-0 "$(cat "$TMP/rc6" 2>/dev/null): $(head -c 100 "$TMP/out6")"
fi
# the reader goes away while nothing is being written: noticed without a write
: > "$F"
mkfifo "$TMP/outfifo"
timeout -k 3 20 "$BIN" faults --kmsg-file "$F" --follow --json > "$TMP/outfifo" &
PID=$!
PIDS+=("$PID")
exec 5< "$TMP/outfifo"
ready follow-reader-gone-ready "$PID" "$F"
exec 5<&-
if ! gone "$PID" "$WAIT"; then
	end "$PID"
	fail follow-reader-gone-while-idle "still running $WAIT s after its reader closed the pipe"
else
	wait "$PID"
	rc=$?
	if [[ $rc -eq 0 ]]; then pass follow-reader-gone-while-idle; else fail follow-reader-gone-while-idle "exit $rc"; fi
fi

# ------------------------------------------------------------ a fast writer

gen 0 20000 > "$TMP/burst.kmsg"
: > "$F"
timeout -k 3 120 "$BIN" faults --kmsg-file "$F" --follow --json > "$TMP/out7" 2> "$TMP/err7" &
PID=$!
PIDS+=("$PID")
ready follow-burst-ready "$PID" "$F"
cat "$TMP/burst.kmsg" >> "$F"
if wait_faults "$TMP/out7" 20000 60; then pass follow-burst-all-arrive; else fail follow-burst-all-arrive "$(grep -c '"type":"fault"' "$TMP/out7") of 20000"; fi
stop "$PID" TERM follow-burst-sigterm
check_out follow-burst-once-in-order "$TMP/out7" 20000

# ------------------------------------------------ the live /dev/kmsg, if any

if [[ -r /dev/kmsg ]] && timeout 5 dd if=/dev/kmsg of=/dev/null bs=8192 count=1 iflag=nonblock 2>/dev/null; then
	timeout -k 3 30 "$BIN" faults --follow --json > "$TMP/out8" 2> "$TMP/err8" &
	PID=$!
	PIDS+=("$PID")
	# through what the log holds, then waiting for more
	ready follow-live-kmsg-ready "$PID" /dev/kmsg
	stop "$PID" TERM follow-live-kmsg-sigterm
	if python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/out8" 2>/dev/null; then
		pass follow-live-kmsg-ndjson
	else
		fail follow-live-kmsg-ndjson "$(head -c 200 "$TMP/out8")"
	fi
else
	skip follow-live-kmsg-sigterm "/dev/kmsg is not readable here"
	skip follow-live-kmsg-ndjson "/dev/kmsg is not readable here"
fi

# --------------------------------------------------------------- usage

timeout 10 "$BIN" faults --follow --summary > /dev/null 2>&1
rc=$?
if [[ $rc -eq 2 ]]; then pass follow-usage-with-summary; else fail follow-usage-with-summary "exit $rc"; fi
timeout 10 "$BIN" faults --kmsg-file "$TMP/does-not-exist" --follow --json > "$TMP/out9" 2>&1
rc=$?
if [[ $rc -eq 1 ]] && grep -q '"type":"error"' "$TMP/out9"; then
	pass follow-missing-file-error
else
	fail follow-missing-file-error "exit $rc: $(head -c 200 "$TMP/out9")"
fi
finish
