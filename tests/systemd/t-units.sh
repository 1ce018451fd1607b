#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t-units.sh BIN
#
# The systemd units of systemd/ (templates: make install writes BINDIR for
# @BINDIR@), with BIN's folder as BINDIR:
#   - `systemd-analyze verify` accepts each (the pages its Documentation= names
#     are found in man/);
#   - `systemd-analyze security --offline` rates each service's exposure no
#     higher than the figure its man page states;
#   - iommu-inspect-faults.service: its ExecStart, run on the recorded log of
#     fixtures/intel-faults, writes one JSON object with a "type" per line,
#     keeps running after SIGHUP (its ExecReload=: the log is opened again;
#     tests/systemd/t-reopen.sh checks what is read) and ends with status 0 on
#     SIGTERM; Restart=always brings it back after any end;
#   - iommu-inspect-metrics.service: its ExecStart, on fixtures/intel-faults with
#     the output in a folder of the test's, writes the .prom file and nothing on
#     standard output; its output folder is its ConditionPathIsDirectory= and
#     ReadWritePaths=; the timer repeats it and is wanted by timers.target;
#   - as root, with setpriv: the same command as an unprivileged user holding
#     only the unit's capabilities (CapabilityBoundingSet=, AmbientCapabilities=)
#     reads this machine's /dev/kmsg, and without them it is refused when
#     kernel.dmesg_restrict is 1: the capability is what it needs.
# A check that cannot run here (no systemd-analyze, one that cannot work in
# this container, not root, no setpriv) is a SKIP that says why.
#
# Output: "PASS name", "FAIL name: why", "SKIP name: why", then the plan
# (tests/lib.sh).

set -u
export LC_ALL=C.UTF-8
. "$(dirname "$0")/../lib.sh" || exit 1

if [[ $# -ne 1 || ! -x $1 ]]; then
	echo "usage: $0 BIN (the iommu-inspect binary to check)" >&2
	fail units-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-units.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

# The units as make install writes them, with BINDIR the folder of a program
# named iommu-inspect (BIN, through a link when BIN has another name).
mkdir -p "$TMP/bin" "$TMP/units" "$TMP/man/man8"
ln -s "$BIN" "$TMP/bin/iommu-inspect"
UNITS=()
for t in systemd/*.in; do
	[[ -f $t ]] || continue
	u=${t#systemd/}
	u=${u%.in}
	sed "s|@BINDIR@|$TMP/bin|g" "$t" >"$TMP/units/$u"
	UNITS+=("$u")
done
if [[ ${#UNITS[@]} -eq 0 ]]; then
	fail units "no unit template in systemd/"
	finish
fi
for m in man/*.8; do ln -s "$TOP/$m" "$TMP/man/man8/"; done
export MANPATH=$TMP/man

bad=""
for u in "${UNITS[@]}"; do
	grep -q '@[A-Z]*@' "$TMP/units/$u" && bad+=" $u"
done
if [[ -z $bad ]]; then pass units-template; else fail units-template "@VAR@ left after install's sed:$bad"; fi

# ------------------------------------------------------- systemd-analyze

# Can systemd-analyze check units here? A unit that must pass tells.
why=""
if ! command -v systemd-analyze >/dev/null; then
	why="systemd-analyze is not installed (package systemd)"
else
	cat >"$TMP/probe.service" <<EOF
[Unit]
Description=probe
[Service]
ExecStart=$(command -v true)
EOF
	if ! out=$(systemd-analyze verify "$TMP/probe.service" 2>&1); then
		why="systemd-analyze verify fails on a trivial unit here: $(printf '%s' "$out" | head -n 2 | tr '\n' ' ')"
	fi
fi
for u in "${UNITS[@]}"; do
	if [[ -n $why ]]; then
		skip "verify-$u" "$why"
	elif out=$(systemd-analyze verify "$TMP/units/$u" 2>&1); then
		pass "verify-$u"
	else
		fail "verify-$u" "$(printf '%s' "$out" | head -n 4 | tr '\n' ' ')"
	fi
done

# The exposure the man page states ("rates the unit's exposure" then the figure).
stated_exposure() { # UNIT
	sed -n '/rates the unit.*exposure/,/^\.B [0-9]/ s/^\.B \([0-9][0-9.]*\)$/\1/p' "man/$1.8" 2>/dev/null |
		head -n 1
}
for u in "${UNITS[@]}"; do
	[[ $u == *.service ]] || continue
	if [[ -n $why ]]; then
		skip "security-$u" "$why"
		continue
	fi
	out=$(systemd-analyze security --offline=yes "$TMP/units/$u" 2>&1)
	got=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
	want=$(stated_exposure "$u")
	if [[ -z $got ]]; then
		if printf '%s' "$out" | grep -qi 'offline'; then
			skip "security-$u" "this systemd-analyze has no --offline: $(printf '%s' "$out" | head -n 1)"
		else
			fail "security-$u" "no exposure level in: $(printf '%s' "$out" | tail -n 2 | tr '\n' ' ')"
		fi
	elif [[ -z $want ]]; then
		fail "security-$u" "man/$u.8 states no exposure figure (systemd-analyze says $got)"
	elif awk -v g="$got" -v w="$want" 'BEGIN { exit !(g + 0 <= w + 0) }'; then
		pass "security-$u"
	else
		fail "security-$u" "exposure $got, above the $want that man/$u.8 states"
	fi
done

# ------------------------------------------- the faults service's command

U=$TMP/units/iommu-inspect-faults.service
if [[ ! -f $U ]]; then
	fail faults-service "systemd/iommu-inspect-faults.service.in does not exist"
	finish
fi
unit_value() { sed -n "s/^$1=//p" "$U" | tr '\n' ' ' | sed 's/ *$//'; }
read -ra CMD <<<"$(unit_value ExecStart)"
if [[ ${CMD[0]-} != "$TMP/bin/iommu-inspect" || ${CMD[1]-} != faults ]]; then
	fail faults-service-command "ExecStart= is not BINDIR/iommu-inspect faults ...: ${CMD[*]}"
	finish
fi

# run_follow OUT ERR [PREFIX...]: the unit's command (after PREFIX, e.g. setpriv
# and its options), with ROOT_ARGS after the program; SIGHUP after 1.5 s, SIGTERM
# 0.5 s later; prints its exit status (99: SIGHUP ended it), or the one it
# ended with by itself before the SIGHUP.
ROOT_ARGS=()
run_follow() {
	local out=$1 err=$2 pid
	shift 2
	"$@" "${CMD[0]}" "${ROOT_ARGS[@]}" "${CMD[@]:1}" </dev/null >"$out" 2>"$err" &
	pid=$!
	sleep 1.5
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" # it ended by itself (refused)
		echo $?
		return
	fi
	kill -HUP "$pid" 2>/dev/null
	sleep 0.5
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		echo 99
		return
	fi
	kill -TERM "$pid" 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	echo $?
}
# Every line an object with a "type" (the tool's NDJSON); none an error.
ndjson_ok() { # FILE
	[[ -s $1 ]] || return 1
	python3 - "$1" <<'EOF' 2>/dev/null || awk '!/^\{"type":"[a-z]+",/ { bad = 1 } END { exit bad }' "$1"
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert isinstance(o, dict) and isinstance(o.get("type"), str)
EOF
}

ROOT_ARGS=(--root fixtures/intel-faults)
rc=$(run_follow "$TMP/follow.out" "$TMP/follow.err")
if [[ $rc != 0 ]]; then
	fail faults-service-sighup "status $rc after SIGHUP then SIGTERM (want 0; 99: SIGHUP ended it): $(head -c 200 "$TMP/follow.err")"
elif ! ndjson_ok "$TMP/follow.out"; then
	fail faults-service-sighup "not one JSON object with a type per line: $(head -c 200 "$TMP/follow.out")"
elif ! grep -q '"type":"fault"' "$TMP/follow.out"; then
	fail faults-service-sighup "no fault written for fixtures/intel-faults"
else
	pass faults-service-sighup
fi
# SIGTERM or the journal going away ends it with status 0: Restart=always brings it back.
if [[ $(unit_value Restart) == always ]]; then
	pass faults-service-restart
else
	fail faults-service-restart "Restart=$(unit_value Restart): an end with status 0 would stop the service for good"
fi

# As a user with only the unit's capabilities, on this machine's /dev/kmsg.
ROOT_ARGS=()
caps=$(unit_value AmbientCapabilities | tr ' ' '\n' | sed -n 's/^CAP_\(.*\)/+\L\1/p' | paste -sd, -)
bset=$(unit_value CapabilityBoundingSet | tr ' ' '\n' | sed -n 's/^CAP_\(.*\)/+\L\1/p' | paste -sd, -)
why=""
if [[ $(id -u) != 0 ]]; then
	why="not root: cannot change to another user"
elif ! command -v setpriv >/dev/null; then
	why="setpriv (util-linux) is not installed"
elif [[ -z $caps ]]; then
	why="the unit gives no ambient capability"
elif ! exec 3</dev/kmsg 2>/dev/null; then
	why="/dev/kmsg cannot be read here, even as root"
fi
exec 3<&- 2>/dev/null
PRIV=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if [[ -n $why ]]; then
	skip faults-service-caps "$why"
	skip faults-service-needs-caps "$why"
else
	rc=$(run_follow "$TMP/caps.out" "$TMP/caps.err" "${PRIV[@]}" --inh-caps="-all,$caps" \
		--ambient-caps="$caps" --bounding-set="-all,${bset:-$caps}")
	if [[ $rc == 0 ]] && ! grep -q '"type":"error"' "$TMP/caps.out"; then
		pass faults-service-caps
	else
		fail faults-service-caps "as uid 65534 with $caps: status $rc, $(head -c 200 "$TMP/caps.out")$(head -c 200 "$TMP/caps.err")"
	fi
	if [[ $(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null) != 1 ]]; then
		skip faults-service-needs-caps "kernel.dmesg_restrict is not 1: anyone may read /dev/kmsg here"
	else
		rc=$(run_follow "$TMP/nocaps.out" "$TMP/nocaps.err" "${PRIV[@]}" --inh-caps=-all \
			--bounding-set=-all)
		if [[ $rc == 1 ]] && grep -q '"type":"error"' "$TMP/nocaps.out"; then
			pass faults-service-needs-caps
		else
			fail faults-service-needs-caps "without capabilities it was not refused: status $rc"
		fi
	fi
fi

# ------------------------------------------- the metrics service's command

M=$TMP/units/iommu-inspect-metrics.service
if [[ ! -f $M ]]; then
	fail metrics-service "systemd/iommu-inspect-metrics.service.in does not exist"
	finish
fi
read -ra MCMD <<<"$(sed -n 's/^ExecStart=//p' "$M")"
mdir=$(sed -n 's/^ConditionPathIsDirectory=//p' "$M")
mrw=$(sed -n 's/^ReadWritePaths=-\{0,1\}//p' "$M")
mout=""
for ((i = 0; i < ${#MCMD[@]}; i++)); do
	[[ ${MCMD[i]} == --output ]] && mout=${MCMD[i + 1]-}
done
if [[ ${MCMD[0]-} != "$TMP/bin/iommu-inspect" || ${MCMD[1]-} != metrics || -z $mout ]]; then
	fail metrics-service-command "ExecStart= is not BINDIR/iommu-inspect metrics --output FILE: ${MCMD[*]}"
elif [[ $(dirname "$mout") != "$mdir" || $mdir != "$mrw" ]]; then
	fail metrics-service-command "the output's folder, ConditionPathIsDirectory= and ReadWritePaths= differ: $mout, $mdir, $mrw"
else
	# its command on a recorded tree, writing into a folder of ours in place of the collector's
	mkdir -p "$TMP/textfile"
	args=("${MCMD[@]:1}")
	for ((i = 0; i < ${#args[@]}; i++)); do
		[[ ${args[i]} == --output ]] && args[i + 1]=$TMP/textfile/$(basename "$mout")
	done
	"${MCMD[0]}" --root fixtures/intel-faults "${args[@]}" >"$TMP/m.out" 2>"$TMP/m.err"
	rc=$?
	f=$TMP/textfile/$(basename "$mout")
	if [[ $rc != 0 ]]; then
		fail metrics-service-command "status $rc: $(head -c 200 "$TMP/m.err")"
	elif [[ -s $TMP/m.out ]]; then
		fail metrics-service-command "it wrote on standard output: $(head -c 100 "$TMP/m.out")"
	elif ! grep -q '^iommu_faults_total{' "$f" 2>/dev/null; then
		fail metrics-service-command "no fault counters in $f"
	elif [[ $f != *.prom ]]; then
		fail metrics-service-command "$mout does not end in .prom: the collector would not read it"
	else
		pass metrics-service-command
	fi
fi
T=$TMP/units/iommu-inspect-metrics.timer
if [[ ! -f $T ]]; then
	fail metrics-timer "systemd/iommu-inspect-metrics.timer.in does not exist"
elif ! grep -q '^OnUnitActiveSec=' "$T" || ! grep -q '^WantedBy=timers.target' "$T"; then
	fail metrics-timer "no OnUnitActiveSec= or no WantedBy=timers.target"
else
	pass metrics-timer
fi

finish
