#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t-top-tmux.sh BIN: the full-screen view on a real terminal. A tmux server of
# its own (a socket in a temporary directory, no configuration) runs a plain
# shell in a 100x30 window; the test types `iommu-inspect --root
# fixtures/intel-faults top` into it and reads the screen with capture-pane:
# start, sort, filter, pause, help, resize (to 60x15, to 15x2: "terminal too
# small", and back), quit; colours with --color auto, never and always, and NO_COLOR
# (capture-pane -e). After every way out (q, SIGINT from ^C, SIGTERM,
# SIGHUP, and a crash: SIGSEGV) the terminal must be as it was: the alternate
# screen left, the shell's prompt back, and `stty -g` what it was before.
# Every wait is bounded. Prints "PASS name", "FAIL name: why" or "SKIP name: why"
# lines and the plan (tests/lib.sh); exit status 0 when it ran to its end.

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail top-tmux-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
CHECKS="start sort sort-address filter filter-clear pause help resize-small resize-tiny resize-back quit-restores
	color-auto no-color color-never color-always-over-no-color
	sigint-restores sigterm-restores sighup-restores crash-restores"
if ! command -v tmux >/dev/null; then
	for c in $CHECKS; do skip "tmux-$c" "tmux is not installed (apt-get install tmux)"; done
	finish
fi
if ! infocmp screen >/dev/null 2>&1; then
	for c in $CHECKS; do skip "tmux-$c" "no terminfo entry for 'screen' (ncurses-base)"; done
	finish
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-top-tmux.XXXXXX") || exit 1
SOCK=$TMP/tmux.sock
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# A shell with a prompt of its own, nothing from the user's files, colours off.
cat >"$TMP/rc" <<'EOF'
PS1='PROMPT$ '
unset NO_COLOR PROMPT_COMMAND
EOF
if ! tm new-session -d -s t -x 100 -y 30 "env -i PATH=$PATH HOME=$TMP TERM=screen LC_ALL=C.UTF-8 \
	bash --noprofile --rcfile $TMP/rc -i" 2>"$TMP/tmux.err"; then
	for c in $CHECKS; do skip "tmux-$c" "tmux cannot start a session: $(head -c 200 "$TMP/tmux.err")"; done
	finish
fi
tm set-option -t t status off >/dev/null

screen() { tm capture-pane -p -t t; }
# wait_for TEXT [SECS]: until the screen shows TEXT (a fixed string); 1 after SECS (5).
wait_for() {
	local i n=$((${2:-5} * 20))
	for ((i = 0; i < n; i++)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
# wait_gone TEXT [SECS]: until the screen no longer shows TEXT.
wait_gone() {
	local i n=$((${2:-5} * 20))
	for ((i = 0; i < n; i++)); do
		screen | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	return 1
}
keys() { tm send-keys -t t "$@"; }
# The shell's prompt on an otherwise empty last line: the command has ended.
prompt_back() {
	local i
	for ((i = 0; i < 100; i++)); do
		[[ $(screen | sed '/^$/d' | tail -n 1) == 'PROMPT$ ' || $(screen | sed '/^$/d' | tail -n 1) == 'PROMPT$' ]] &&
			return 0
		sleep 0.05
	done
	return 1
}
alt_on() { tm display-message -p -t t '#{alternate_on}'; }

wait_for 'PROMPT$' || { for c in $CHECKS; do fail "tmux-$c" "the shell did not start"; done; finish; }
# the terminal's settings before the view, as stty -g prints them (a file, so the screen stays short)
keys "stty -g > $TMP/stty.before; clear" Enter
prompt_back
RUN="$BIN --root $TOP/fixtures/intel-faults --pci-ids $TOP/fixtures/pci.ids top -d 0.5"

# restored NAME: the alternate screen is left, the prompt is back, stty -g is what it was.
restored() {
	local why="" i
	prompt_back || why="no prompt after the view ended: $(screen | sed '/^$/d' | tail -n 3 | tr '\n' '|')"
	[[ $(alt_on) == 0 ]] || why+="${why:+; }the alternate screen is still on"
	keys "stty -g > $TMP/stty.after; clear" Enter
	prompt_back
	for ((i = 0; i < 40; i++)); do
		[[ -s $TMP/stty.after ]] && break
		sleep 0.05
	done
	cmp -s "$TMP/stty.before" "$TMP/stty.after" ||
		why+="${why:+; }stty -g differs: $(cat "$TMP/stty.before") / $(cat "$TMP/stty.after" 2>/dev/null)"
	rm -f "$TMP/stty.after"
	if [[ -z $why ]]; then pass "tmux-$1"; else fail "tmux-$1" "$why"; fi
}

# ----------------------------------------------------------------------- start

keys "clear; $RUN; echo rc=\$?" Enter
if wait_for 'FAULT LOG' && wait_for 'iommu-inspect top' && screen | grep -q 'DEVICE.*FAULTS/sv'; then
	if [[ $(alt_on) == 1 ]] && screen | grep -q '^0000:00:05.0 ' && screen | grep -q 'q quit'; then
		pass tmux-start
	else
		fail tmux-start "no alternate screen, or no busiest device first: $(screen | head -14 | tr '\n' '|')"
	fi
else
	fail tmux-start "the view did not come up: $(screen | head -5 | tr '\n' '|')"
fi

# ------------------------------------------------------------------------ sort
keys s
wait_for 'TOTALv' && pass tmux-sort || fail tmux-sort "no TOTALv after s: $(screen | grep DEVICE)"
keys '<' '<' '<' '<'
if wait_for 'DEVICE^' && screen | grep -A1 'DEVICE^' | grep -q '^0000:00:00.0' && keys r &&
	wait_for 'DEVICEv' && screen | grep -A1 'DEVICEv' | grep -q '^0000:07:00.1'; then
	pass tmux-sort-address
else
	fail tmux-sort-address "no DEVICE^ then DEVICEv: $(screen | grep -A1 DEVICE | tr '\n' '|')"
fi

# ---------------------------------------------------------------------- filter
keys /
wait_for 'filter (address, driver, group' || true
keys e1000e
if wait_for 'e1000e_' && wait_for '1 of 21'; then
	keys Enter
	if wait_for 'filter: e1000e' && [[ $(screen | grep -c '^0000:') == 1 ]] &&
		screen | grep -q '^0000:01:00.0 .*e1000e'; then
		pass tmux-filter
	else
		fail tmux-filter "after Enter: $(screen | grep -e '^0000' -e filter | tr '\n' '|')"
	fi
else
	fail tmux-filter "typing e1000e: $(screen | tail -n 2 | tr '\n' '|')"
fi
keys /
keys Escape
wait_gone 'filter: e1000e' && wait_for '21 devices' && pass tmux-filter-clear ||
	fail tmux-filter-clear "Esc did not clear the filter: $(screen | tail -1)"

# ----------------------------------------------------------------------- pause
keys p
if wait_for '[paused]'; then
	keys p
	wait_gone '[paused]' && pass tmux-pause || fail tmux-pause "still paused after a second p"
else
	fail tmux-pause "no [paused] in the title: $(screen | head -1)"
fi

# ------------------------------------------------------------------------ help
keys h
if wait_for 'Keys (q quits' && screen | grep -q 'pause and resume' &&
	screen | grep -q 'Sources that are not live'; then
	keys x
	wait_gone 'Keys (q quits' && pass tmux-help || fail tmux-help "a key did not close the help"
else
	fail tmux-help "no help box: $(screen | head -4 | tr '\n' '|')"
fi

# ---------------------------------------------------------------------- resize
tm resize-window -t t -x 60 -y 15
if wait_for 'FAULT LOG' && [[ $(screen | awk '{ if (length > m) m = length } END { print m }') -le 60 ]] &&
	screen | head -1 | grep -q 'iommu-inspect top'; then
	pass tmux-resize-small
else
	fail tmux-resize-small "at 60x15: $(screen | head -3 | tr '\n' '|')"
fi
tm resize-window -t t -x 15 -y 2
wait_for 'terminal too sm' && pass tmux-resize-tiny || fail tmux-resize-tiny "at 15x2: $(screen | tr '\n' '|')"
tm resize-window -t t -x 100 -y 30
wait_for 'LAST REASON' && wait_for 'q quit' && pass tmux-resize-back ||
	fail tmux-resize-back "back at 100x30: $(screen | head -3 | tr '\n' '|')"

# ------------------------------------------------------------------------ quit
keys q
if wait_for 'rc=0'; then restored quit-restores; else fail tmux-quit-restores "no rc=0: $(screen | tail -3 | tr '\n' '|')"; fi

# ---------------------------------------------------------------------- colours
# color NAME WANT ENV ARGS: the screen's escapes (capture-pane -e) have colours (WANT yes) or
# none but reverse video (WANT no).
color() {
	local name=$1 want=$2 esc has
	keys "clear; env $3 $RUN $4; echo rc=\$?" Enter
	if ! wait_for 'FAULT LOG'; then
		fail "tmux-$name" "the view did not start"
		return
	fi
	esc=$(tm capture-pane -e -p -t t)
	keys q
	wait_for 'rc=0' || true
	if printf '%s' "$esc" | grep -qE $'\e\\[([34][0-7])m'; then has=yes; else has=no; fi
	if [[ $has != "$want" ]]; then
		fail "tmux-$name" "colours: $has, not $want"
	elif [[ $want == no ]] && ! printf '%s' "$esc" | grep -qF $'\e[7m'; then
		fail "tmux-$name" "no reverse video for the bars without colours"
	else
		pass "tmux-$name"
	fi
}
color color-auto yes "" ""
color no-color no NO_COLOR=1 ""
color color-never no "" "--color never"
color color-always-over-no-color yes NO_COLOR=1 "--color always"

# ---------------------------------------------------- signals and a crash
# run_view: start the view with its pid in a file (sh execs it, so the pid is the view's).
run_view() {
	rm -f "$TMP/pid"
	keys "clear; sh -c 'echo \$\$ > $TMP/pid; exec $RUN'; echo rc=\$?" Enter
	wait_for 'FAULT LOG' && [[ -s $TMP/pid ]]
}

if run_view; then
	keys C-c
	if wait_for 'rc=0'; then restored sigint-restores; else fail tmux-sigint-restores "$(screen | tail -3 | tr '\n' '|')"; fi
else
	fail tmux-sigint-restores "the view did not start"
fi
for sig in TERM HUP; do
	name=$(echo "$sig" | tr 'A-Z' 'a-z')
	if run_view; then
		kill -"$sig" "$(cat "$TMP/pid")"
		if wait_for 'rc=0'; then restored "sig$name-restores"; else fail "tmux-sig$name-restores" "$(screen | tail -3 | tr '\n' '|')"; fi
	else
		fail "tmux-sig$name-restores" "the view did not start"
	fi
done
# a crash: the fatal-signal handler gives the terminal back, then the process dies of it
if run_view; then
	kill -SEGV "$(cat "$TMP/pid")"
	if wait_for 'rc=139'; then restored crash-restores; else fail tmux-crash-restores "$(screen | tail -3 | tr '\n' '|')"; fi
else
	fail tmux-crash-restores "the view did not start"
fi
finish
