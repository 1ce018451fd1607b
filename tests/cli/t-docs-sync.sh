#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t-docs-sync.sh BIN
#
# Keeps the documentation and the shell completions in step with the tool
# (commands, options, classes and the columns of -o).
# The truth is `BIN __complete` (built from the command and option tables in
# src/cmd.c); every command, option and class it lists must appear in
#   - `BIN --help` (commands, global options) or `BIN CMD --help` (its options),
#   - man/iommu-inspect.8 (commands, global options) and man/iommu-inspect-CMD.8
#     (the command's options; the class names in the groups and devices pages),
#   - completions/iommu-inspect.bash and completions/_iommu-inspect (written by
#     hand), and the fish completion that completions/gen-fish.sh generates
#     from BIN itself (the Makefile does so at build time).
# Every JSON key the commands write on the recorded trees in fixtures/ must be
# described in the command's page. It also checks that every man page renders
# without warnings, that the pages' version is the tool's, that their cross
# references resolve, and that bash -n, zsh -n and fish -n accept the
# completions. Then it runs the completions: bash (without bash-completion, and
# with it when it is installed), zsh and fish (when installed) must complete
# command names, options, classes, files, and the group ids and PCI addresses of
# fixtures/intel-q35, which they ask of the tool.
#
# Output: one line per check, "PASS <name>", "FAIL <name>: <why>" or, for a check
# that cannot run here (zsh, fish or bash-completion not installed), "SKIP <name>: <why>",
# and the plan (tests/lib.sh). The exit status is 0 even when checks fail: the
# caller counts the lines.

set -u
export LC_ALL=C.UTF-8
. "$(dirname "$0")/../lib.sh" || exit 1

if [[ $# -ne 1 || ! -x $1 ]]; then
	echo "usage: $0 BIN (the iommu-inspect binary to check)" >&2
	fail docs-sync-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TOP=$(cd "$(dirname "$0")/../.." && pwd)
MANDIR=$TOP/man
BASHCOMP=$TOP/completions/iommu-inspect.bash
ZSHCOMP=$TOP/completions/_iommu-inspect
FISHGEN=$TOP/completions/gen-fish.sh
FIXTURE=fixtures/intel-q35 # relative to TOP, as a user would type it
cd "$TOP" || exit 1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-docs-sync.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
# The completions run `iommu-inspect` as typed: make that name BIN.
mkdir -p "$TMP/bin"
ln -s "$BIN" "$TMP/bin/iommu-inspect"

note() { echo "# $*" >&2; }

# ------------------------------------------------------------------ helpers

# Does the text on stdin contain WORD as a whole word (options and class names
# contain '-', so '-' counts as part of a word)?
has_word() {
	local re
	re=$(printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g')
	grep -qE -- "(^|[^[:alnum:]_-])$re([^[:alnum:]_-]|\$)"
}

# The words of list $2 (space-separated) missing from file $1; empty if none.
missing_in() {
	local file=$1 w out=""
	for w in $2; do
		has_word "$w" <"$file" || out+=" $w"
	done
	printf '%s' "${out# }"
}

# check NAME FILE WORDS WHERE: PASS if every word is in FILE.
check_words() {
	local miss
	miss=$(missing_in "$2" "$3")
	if [[ -z $miss ]]; then pass "$1"; else fail "$1" "missing from $4: $miss"; fi
}

# A man page's source as plain text: escapes for '-', quotes and fonts removed.
man_plain() {
	sed -e 's/\\-/-/g' -e 's/\\(aq/'"'"'/g' -e 's/\\(lq/"/g' -e 's/\\(rq/"/g' \
	    -e 's/\\f[BIRP]//g' -e 's/\\f(\(..\)//g' -e 's/\\&//g' -e 's/\\e/\\/g' "$1"
}

# One section (".SH NAME" up to the next .SH) of a man page, as plain text.
man_section() {
	man_plain "$1" | awk -v want="$2" '
		/^\.SH/ { s = $0; sub(/^\.SH[ \t]+/, "", s); gsub(/"/, "", s); on = (s == want); next }
		on { print }'
}

# The tags of a section's .TP paragraphs (the line after each .TP): where a
# command or option is documented, not merely mentioned.
man_tags() {
	man_section "$1" "$2" | awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }'
}

# Sorted, unique, one item per line: for comparing sets.
as_set() { tr ' ' '\n' | sed '/^$/d' | sort -u; }

# compare_sets NAME EXPECTED GOT WHAT: both newline- or space-separated.
# With SKIP_WHY set, the check is skipped for that reason instead.
SKIP_WHY=
compare_sets() {
	local want got extra lack
	if [[ -n $SKIP_WHY ]]; then
		skip "$1" "$SKIP_WHY"
		return
	fi
	want=$(printf '%s\n' "$2" | as_set)
	got=$(printf '%s\n' "$3" | as_set)
	if [[ $want == "$got" ]]; then
		pass "$1"
		return
	fi
	lack=$(comm -23 <(printf '%s\n' "$want") <(printf '%s\n' "$got") | tr '\n' ' ')
	extra=$(comm -13 <(printf '%s\n' "$want") <(printf '%s\n' "$got") | tr '\n' ' ')
	fail "$1" "$4: missing [${lack% }] unexpected [${extra% }]"
}

# ------------------------------------------------- the tool's own listing

if ! "$BIN" __complete >"$TMP/complete" 2>"$TMP/complete.err"; then
	fail complete-listing "'$BIN __complete' failed: $(head -c 200 "$TMP/complete.err")"
	finish
fi
field() { sed -n "s/^$1://p" "$TMP/complete" | head -n 1; }
COMMANDS=$(field commands)
GLOBAL=$(field global | sed 's/=\( \|$\)/\1/g')
CLASSES=$(field classes)
declare -A OPTS
bad=""
for c in $COMMANDS; do
	grep -q "^$c:" "$TMP/complete" || bad+=" $c"
	OPTS[$c]=$(field "$c" | sed 's/=\( \|$\)/\1/g')
done
if [[ -z $COMMANDS || -z $GLOBAL || -z $CLASSES ]]; then
	fail complete-listing "no commands:, global: or classes: line in '$BIN __complete'"
	finish
elif [[ -n $bad ]]; then
	fail complete-listing "no option line for:$bad"
else
	pass complete-listing
fi
ALLOPTS=$(for c in $COMMANDS; do printf '%s ' ${OPTS[$c]}; done | as_set | tr '\n' ' ')
# The column tables of the list commands (-o): "columns-CMD: NAME..."
declare -A COLS
for c in $COMMANDS; do
	COLS[$c]=$(field "columns-$c")
done
col_cmds() { for c in $COMMANDS; do [[ -n ${COLS[$c]} ]] && echo "$c"; done; }
ALLCOLS=$(for c in $COMMANDS; do printf '%s ' ${COLS[$c]}; done | as_set | tr '\n' ' ')
if [[ -z $(col_cmds) ]]; then
	fail complete-columns "no columns-CMD: line in '$BIN __complete'"
else
	pass complete-columns
fi
# Commands that take --class also list the classes in their help and man page.
class_cmds() { for c in $COMMANDS; do has_word --class <<<"${OPTS[$c]}" && echo "$c"; done; }

# ------------------------------------------------------------------- --help

if "$BIN" --help >"$TMP/help" 2>&1; then
	check_words help-main-commands "$TMP/help" "$COMMANDS" "'iommu-inspect --help'"
	check_words help-main-global-options "$TMP/help" "$GLOBAL" "'iommu-inspect --help'"
else
	fail help-main-commands "'$BIN --help' exited with $?"
	fail help-main-global-options "'$BIN --help' failed"
fi
for c in $COMMANDS; do
	if ! "$BIN" "$c" --help >"$TMP/help-$c" 2>&1; then
		fail "help-$c" "'iommu-inspect $c --help' exited with non-zero status"
		continue
	fi
	if ! grep -q "^Usage: iommu-inspect $c\b" "$TMP/help-$c"; then
		fail "help-$c" "'iommu-inspect $c --help' does not start with 'Usage: iommu-inspect $c'"
		continue
	fi
	check_words "help-$c" "$TMP/help-$c" "${OPTS[$c]}" "'iommu-inspect $c --help'"
done
for c in $(class_cmds); do
	check_words "help-$c-classes" "$TMP/help-$c" "$CLASSES" "'iommu-inspect $c --help'"
done
for c in $(col_cmds); do
	check_words "help-$c-columns" "$TMP/help-$c" "${COLS[$c]}" "'iommu-inspect $c --help'"
	"$BIN" "$c" --list-columns >"$TMP/list-columns-$c" 2>&1
	check_words "list-columns-$c" "$TMP/list-columns-$c" "${COLS[$c]}" "'iommu-inspect $c --list-columns'"
done

# ---------------------------------------------------------------- man pages

MAIN=$MANDIR/iommu-inspect.8
if [[ -f $MAIN ]]; then
	man_tags "$MAIN" COMMANDS >"$TMP/man-commands"
	man_tags "$MAIN" "GLOBAL OPTIONS" >"$TMP/man-global"
	check_words man-main-commands "$TMP/man-commands" "$COMMANDS" \
		"the entries of COMMANDS in man/iommu-inspect.8"
	check_words man-main-global-options "$TMP/man-global" "$GLOBAL" \
		"the entries of GLOBAL OPTIONS in man/iommu-inspect.8"
else
	fail man-main-commands "man/iommu-inspect.8 does not exist"
	fail man-main-global-options "man/iommu-inspect.8 does not exist"
fi

# Every command but `help` (described in iommu-inspect.8) has a page of its own
# that documents each of its options in an entry (.TP) of OPTIONS, shows its
# long options in SYNOPSIS, and points to iommu-inspect(8) for the global ones.
for c in $COMMANDS; do
	[[ $c == help ]] && continue
	page=$MANDIR/iommu-inspect-$c.8
	if [[ ! -f $page ]]; then
		fail "man-$c-page" "man/iommu-inspect-$c.8 does not exist"
		continue
	fi
	pass "man-$c-page"
	man_section "$page" OPTIONS >"$TMP/man-$c-options"
	man_tags "$page" OPTIONS >"$TMP/man-$c-option-tags"
	man_section "$page" SYNOPSIS >"$TMP/man-$c-synopsis"
	miss=$(missing_in "$TMP/man-$c-option-tags" "${OPTS[$c]}")
	if [[ -n $miss ]]; then
		fail "man-$c-options" "no entry in OPTIONS of man/iommu-inspect-$c.8 for: $miss"
	elif ! grep -q 'iommu-inspect (8)' "$TMP/man-$c-options"; then
		fail "man-$c-options" "OPTIONS in man/iommu-inspect-$c.8 does not point to iommu-inspect(8)"
	else
		pass "man-$c-options"
	fi
	check_words "man-$c-synopsis" "$TMP/man-$c-synopsis" \
		"$(printf '%s\n' ${OPTS[$c]} | grep -- '^--')" "SYNOPSIS in man/iommu-inspect-$c.8"
done
for c in $(class_cmds); do
	page=$MANDIR/iommu-inspect-$c.8
	[[ -f $page ]] || continue
	man_plain "$page" >"$TMP/man-$c-plain"
	check_words "man-$c-classes" "$TMP/man-$c-plain" "$CLASSES" "man/iommu-inspect-$c.8"
done
# Each column in the COLUMNS section of the command's page.
for c in $(col_cmds); do
	page=$MANDIR/iommu-inspect-$c.8
	[[ -f $page ]] || continue
	man_section "$page" COLUMNS >"$TMP/man-$c-columns"
	check_words "man-$c-columns" "$TMP/man-$c-columns" "${COLS[$c]}" "COLUMNS in man/iommu-inspect-$c.8"
done

# Every key of the JSON each command writes, on every recorded tree under
# fixtures/, is documented: in the JSON section of the command's page, in one
# of its tables (the register fields of iommus) or, for the keys every document
# has, in JSON OUTPUT of iommu-inspect.8.
json_keys() { grep -oE '[{,]"[A-Za-z_][A-Za-z0-9_]*":' | sed 's/^.//; s/"//g; s/:$//' | sort -u; }
man_tables() { man_plain "$1" | awk '/^\.TS/ { on = 1; next } /^\.TE/ { on = 0 } on'; }
[[ -f $MAIN ]] && man_section "$MAIN" "JSON OUTPUT" >"$TMP/man-json-common"
for c in $COMMANDS; do
	page=$MANDIR/iommu-inspect-$c.8
	# metrics writes the Prometheus text format, never JSON (-j is a usage error)
	[[ $c == help || $c == metrics || ! -f $page ]] && continue
	: >"$TMP/json-$c"
	for f in fixtures/*/; do
		[[ -d $f/sys || -d $f/proc || -d $f/dev ]] || continue
		args=()
		[[ $c == snapshot ]] && args=("$TMP/snapshot-$(basename "$f")")
		timeout 60 "$BIN" --root "$f" -j "$c" "${args[@]}" </dev/null >>"$TMP/json-$c" 2>/dev/null
	done
	keys=$(json_keys <"$TMP/json-$c")
	{ man_section "$page" JSON; man_tables "$page"; cat "$TMP/man-json-common" 2>/dev/null; } \
		>"$TMP/man-$c-json"
	if [[ -z $keys ]]; then
		fail "man-$c-json-keys" "'iommu-inspect -j $c' wrote no JSON on the fixtures"
	else
		check_words "man-$c-json-keys" "$TMP/man-$c-json" "$keys" \
			"JSON in man/iommu-inspect-$c.8 (keys written on fixtures/)"
	fi
done

# Every page renders without a warning (groff's man macros, tbl tables).
if command -v man >/dev/null; then
	render() { MANWIDTH=80 man --warnings -E UTF-8 -l "$1" 2>&1 >/dev/null; }
elif command -v groff >/dev/null; then
	note "man is not installed: rendering with groff directly"
	render() { groff -t -man -Tutf8 -ww -z "$1" 2>&1; }
else
	render() { echo "neither man nor groff is installed"; }
fi
for page in "$MANDIR"/*.8; do
	[[ -f $page ]] || continue
	name=$(basename "$page" .8)
	out=$(render "$page")
	if [[ -z $out ]]; then
		pass "man-render-$name"
	else
		fail "man-render-$name" "$(printf '%s' "$out" | head -n 3 | tr '\n' ' ')"
	fi
done

# The pages carry the tool's version: "iommu-inspect X.Y.Z" in .TH.
version=$("$BIN" --version | awk '{ print $1 " " $2; exit }')
bad=""
for page in "$MANDIR"/*.8; do
	[[ -f $page ]] || continue
	grep -q "^\.TH .*\"$(printf '%s' "$version" | sed 's/-/\\\\-/g')\"" "$page" ||
		bad+=" $(basename "$page")"
done
if [[ -z $bad ]]; then pass man-version; else fail man-version "not \"$version\" in .TH:$bad"; fi

# Cross references between our pages resolve.
bad=""
for ref in $(cat "$MANDIR"/*.8 | sed 's/\\-/-/g' |
	grep -oE 'iommu-inspect(-[a-z]+)?(\.service)? \(8\)' | sed 's/ (8)//' | sort -u); do
	[[ -f $MANDIR/$ref.8 ]] || bad+=" $ref(8)"
done
if [[ -z $bad ]]; then pass man-xrefs; else fail man-xrefs "pages referred to but missing:$bad"; fi

# ------------------------------------------------- completions: the text

# fish's is generated from BIN, as the Makefile does at build time.
FISHCOMP=$TMP/iommu-inspect.fish
if "$FISHGEN" "$BIN" >"$FISHCOMP" 2>"$TMP/fish-gen.err"; then
	pass fish-generate
else
	fail fish-generate "completions/gen-fish.sh failed: $(head -c 200 "$TMP/fish-gen.err")"
	rm -f "$FISHCOMP"
fi

for sh in bash zsh fish; do
	case $sh in
	bash) file=$BASHCOMP ;;
	zsh) file=$ZSHCOMP ;;
	fish) file=$FISHCOMP ;;
	esac
	rel=${file#"$TOP"/}
	if [[ $sh == fish && -f $file ]]; then
		# its options as typed: "-s j -l json" declares -j and --json
		sed -E 's/ -l ([[:alnum:]-]+)/ --\1/g; s/ -s ([[:alnum:]])/ -\1/g' "$file" >"$TMP/fish-words"
		file=$TMP/fish-words
		rel="the output of completions/gen-fish.sh"
	fi
	if [[ ! -f $file ]]; then
		for what in commands global-options options classes; do
			fail "$sh-static-$what" "$rel does not exist"
		done
		continue
	fi
	check_words "$sh-static-commands" "$file" "$COMMANDS" "$rel"
	check_words "$sh-static-global-options" "$file" "$GLOBAL" "$rel"
	check_words "$sh-static-options" "$file" "$ALLOPTS" "$rel"
	check_words "$sh-static-classes" "$file" "$CLASSES" "$rel"
	check_words "$sh-static-columns" "$file" "$ALLCOLS" "$rel"
done

if out=$(bash -n "$BASHCOMP" 2>&1); then
	pass bash-syntax
else
	fail bash-syntax "$(printf '%s' "$out" | head -n 2 | tr '\n' ' ')"
fi
if command -v zsh >/dev/null; then
	if out=$(zsh -n "$ZSHCOMP" 2>&1); then
		pass zsh-syntax
	else
		fail zsh-syntax "$(printf '%s' "$out" | head -n 2 | tr '\n' ' ')"
	fi
else
	skip zsh-syntax "zsh is not installed"
fi
if ! command -v fish >/dev/null; then
	skip fish-syntax "fish is not installed"
elif out=$(fish --no-config -n "$FISHCOMP" 2>&1); then
	pass fish-syntax
else
	fail fish-syntax "$(printf '%s' "$out" | head -n 2 | tr '\n' ' ')"
fi

# ----------------------------------------------- completions: running them

# What the completion should offer, from independent sources.
GROUP_IDS=$(seq 0 15)
BDFS=$(ls "$FIXTURE/sys/bus/pci/devices")
mkdir -p "$TMP/roots/adir"
: >"$TMP/roots/snap.tar.gz"
: >"$TMP/roots/notes.txt"

# bash_complete MODE LINE: the candidates bash offers for LINE (the cursor at
# its end), one per line. MODE "plain": a bash that has sourced only our
# script (its own fallbacks run); "bash-completion": with the library loaded.
BASH_COMPLETION_LIB=""
for f in /usr/share/bash-completion/bash_completion /etc/bash_completion; do
	[[ -f $f ]] && BASH_COMPLETION_LIB=$f && break
done
bash_complete() {
	[[ -n $SKIP_WHY ]] && return # the check is skipped: no need to ask
	PATH="$TMP/bin:$PATH" bash --norc --noprofile -c '
		mode=$1 line=$2 script=$3 lib=$4
		if [[ $mode == bash-completion ]]; then
			. "$lib" >/dev/null 2>&1
			declare -F _init_completion >/dev/null || { echo "NO-LIBRARY"; exit 0; }
		fi
		. "$script" || exit 0
		# Split the line as readline does for COMP_WORDS: at white space, with
		# ":" and "=" (in COMP_WORDBREAKS) as words of their own.
		COMP_WORDS=() w=""
		for ((i = 0; i < ${#line}; i++)); do
			ch=${line:i:1}
			case $ch in
			[[:space:]]) [[ -n $w ]] && COMP_WORDS+=("$w"); w="" ;;
			[:=]) [[ -n $w ]] && COMP_WORDS+=("$w"); w=""; COMP_WORDS+=("$ch") ;;
			*) w+=$ch ;;
			esac
		done
		if [[ $line == *[[:space:]] ]]; then COMP_WORDS+=(""); elif [[ -n $w ]]; then COMP_WORDS+=("$w"); fi
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line} COMP_TYPE=9 COMP_KEY=9
		_iommu_inspect iommu-inspect "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}"
	' _ "$1" "$2" "$BASHCOMP" "$BASH_COMPLETION_LIB" 2>/dev/null
}

for mode in plain bash-completion; do
	t=bash-$mode
	if [[ $mode == bash-completion && -z $BASH_COMPLETION_LIB ]]; then
		# each check of this mode is a SKIP (compare_sets)
		SKIP_WHY="bash-completion is not installed: bash completion runs only without it"
	elif [[ $mode == bash-completion && $(bash_complete "$mode" "iommu-inspect ") == NO-LIBRARY ]]; then
		fail "$t-library" "$BASH_COMPLETION_LIB does not define _init_completion"
		continue
	fi
	compare_sets "$t-command-prefix" groups "$(bash_complete "$mode" "iommu-inspect gr")" \
		"'iommu-inspect gr<TAB>'"
	compare_sets "$t-commands" "$COMMANDS" "$(bash_complete "$mode" "iommu-inspect ")" \
		"'iommu-inspect <TAB>'"
	compare_sets "$t-global-options" "$GLOBAL" "$(bash_complete "$mode" "iommu-inspect -")" \
		"'iommu-inspect -<TAB>'"
	for c in $COMMANDS; do
		compare_sets "$t-$c-options" "$GLOBAL ${OPTS[$c]}" \
			"$(bash_complete "$mode" "iommu-inspect $c -")" "'iommu-inspect $c -<TAB>'"
	done
	compare_sets "$t-help-commands" "$COMMANDS" "$(bash_complete "$mode" "iommu-inspect help ")" \
		"'iommu-inspect help <TAB>'"
	compare_sets "$t-classes" "$CLASSES" \
		"$(bash_complete "$mode" "iommu-inspect groups --class ")" \
		"'iommu-inspect groups --class <TAB>'"
	compare_sets "$t-columns" "${COLS[devices]}" "$(bash_complete "$mode" "iommu-inspect devices -o ")" \
		"'iommu-inspect devices -o <TAB>'"
	compare_sets "$t-column-list" "GROUP,DRIVER GROUP,DEVICE GROUP,DEVICE-ID GROUP,DEVICE-NAME GROUP,DEVICES" \
		"$(bash_complete "$mode" "iommu-inspect groups --output GROUP,d")" \
		"'iommu-inspect groups --output GROUP,d<TAB>'"
	compare_sets "$t-class-list" "net,serial-bus net,storage net,system" \
		"$(bash_complete "$mode" "iommu-inspect devices --class=net,s")" \
		"'iommu-inspect devices --class=net,s<TAB>'"
	compare_sets "$t-group-ids" "$GROUP_IDS" \
		"$(bash_complete "$mode" "iommu-inspect --root $FIXTURE groups ")" \
		"'iommu-inspect --root $FIXTURE groups <TAB>'"
	compare_sets "$t-group-ids-root-after" "1 10 11 12 13 14 15" \
		"$(bash_complete "$mode" "iommu-inspect groups --root=$FIXTURE 1")" \
		"'iommu-inspect groups --root=$FIXTURE 1<TAB>'"
	compare_sets "$t-bdfs" "$BDFS" \
		"$(bash_complete "$mode" "iommu-inspect --root $FIXTURE devices ")" \
		"'iommu-inspect --root $FIXTURE devices <TAB>'"
	# ':' breaks words in readline: only the text after the last ':' is replaced
	compare_sets "$t-device-option" "1f.0 1f.2 1f.3" \
		"$(bash_complete "$mode" "iommu-inspect --root $FIXTURE groups --device 0000:00:1f")" \
		"'... groups --device 0000:00:1f<TAB>'"
	compare_sets "$t-root-files" "$TMP/roots/adir $TMP/roots/snap.tar.gz" \
		"$(bash_complete "$mode" "iommu-inspect --root $TMP/roots/")" \
		"'iommu-inspect --root DIR/<TAB>' (directories and archives)"
	compare_sets "$t-snapshot-out" "$TMP/roots/adir $TMP/roots/notes.txt $TMP/roots/snap.tar.gz" \
		"$(bash_complete "$mode" "iommu-inspect snapshot --no-kmsg $TMP/roots/")" \
		"'iommu-inspect snapshot --no-kmsg DIR/<TAB>'"
done
SKIP_WHY=

# zsh: type each line and TAB into an interactive zsh on a pseudo-terminal;
# a wrapper around compadd writes the candidates that match to a file.
# The driver, run by zsh -f: COMPDIR OUTFILE LINE...
cat >"$TMP/zpty.zsh" <<'EOF_ZSH'
compdir=$1 out=$2
shift 2
zmodload zsh/zpty || exit 1
zpty z zsh -f -i || exit 1
# Read what the shell writes (it would block on a full terminal) until the
# line $1 is in the output file.
wait_for() {
	local chunk i
	for ((i = 0; i < 1200; i++)); do # up to 60 s: a loaded machine
		while zpty -rt z chunk 2>/dev/null; do :; done
		[[ -f $out ]] && grep -qxF -- "$1" $out && return 0
		sleep 0.05
	done
	return 1
}
zpty -w z "PS1='> '; unsetopt zle_bracketed_paste 2>/dev/null"
zpty -w z "fpath=(${(q)compdir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-prompt ''; LISTMAX=100000"
zpty -w z "compadd() { local -a __m; if (( ! \${argv[(I)-[OAD]*]} )); then builtin compadd -O __m \"\$@\"; (( \${#__m} )) && print -rl -- \${^__m} >>${(q)out}; fi; builtin compadd \"\$@\"; }"
zpty -w z "print -r -- '==== START' >>${(q)out}"
wait_for "==== START" || exit 1
for l in "$@"; do
	zpty -n -w z "$l"$'\t'
	zpty -n -w z $'\C-u'
	zpty -w z "print -r -- ${(qq):-==== $l} >>${(q)out}"
	wait_for "==== $l" || exit 1
done
zpty -d z
EOF_ZSH
zsh_complete_all() { # LINE...: the candidates of each line, then "==== LINE"
	rm -f "$TMP/zsh.out"
	PATH="$TMP/bin:$PATH" timeout 600 zsh -f "$TMP/zpty.zsh" "$(dirname "$ZSHCOMP")" \
		"$TMP/zsh.out" "$@" >/dev/null 2>&1
	cat "$TMP/zsh.out" 2>/dev/null
}
# The candidates for LINE: the lines written before its marker (each marker is
# printed after the completion of its line ran).
got_in() { # FILE LINE: the candidates of LINE in FILE
	awk -v want="==== $2" '/^==== / { if ($0 == want) { printf "%s", buf; exit } buf = ""; next }
		{ buf = buf $0 "\n" }' "$1"
}
zsh_got() { got_in "$TMP/zsh.all" "$1"; }
if ! command -v zsh >/dev/null; then
	SKIP_WHY="zsh is not installed"
elif ! zsh -f -c 'zmodload zsh/zpty' 2>/dev/null; then
	SKIP_WHY="zsh has no zpty module: the zsh completion runs skipped"
fi
lines=("iommu-inspect gr" "iommu-inspect " "iommu-inspect -" "iommu-inspect help "
	"iommu-inspect groups --class "
	"iommu-inspect --root $FIXTURE groups "
	"iommu-inspect groups --root=$FIXTURE 1"
	"iommu-inspect --root $FIXTURE devices "
	"iommu-inspect --root $FIXTURE groups --device 00:1f"
	"iommu-inspect devices -o ")
for c in $COMMANDS; do lines+=("iommu-inspect $c -"); done
if [[ -n $SKIP_WHY ]]; then
	: >"$TMP/zsh.all" # each check below is a SKIP (compare_sets)
else
	zsh_complete_all "${lines[@]}" >"$TMP/zsh.all"
fi
if [[ -z $SKIP_WHY ]] && ! grep -qxF -- "==== ${lines[${#lines[@]} - 1]}" "$TMP/zsh.all"; then
	fail zsh-complete "the interactive zsh (on a zpty) did not complete every line"
else
	compare_sets zsh-command-prefix groups "$(zsh_got "iommu-inspect gr")" \
		"'iommu-inspect gr<TAB>'"
	compare_sets zsh-commands "$COMMANDS" "$(zsh_got "iommu-inspect ")" \
		"'iommu-inspect <TAB>'"
	compare_sets zsh-global-options "$GLOBAL" "$(zsh_got "iommu-inspect -")" \
		"'iommu-inspect -<TAB>'"
	for c in $COMMANDS; do
		compare_sets "zsh-$c-options" "$GLOBAL ${OPTS[$c]}" \
			"$(zsh_got "iommu-inspect $c -")" "'iommu-inspect $c -<TAB>'"
	done
	compare_sets zsh-help-commands "$COMMANDS" "$(zsh_got "iommu-inspect help ")" \
		"'iommu-inspect help <TAB>'"
	compare_sets zsh-columns "${COLS[devices]}" "$(zsh_got "iommu-inspect devices -o ")" \
		"'iommu-inspect devices -o <TAB>'"
	compare_sets zsh-classes "$CLASSES" "$(zsh_got "iommu-inspect groups --class ")" \
		"'iommu-inspect groups --class <TAB>'"
	compare_sets zsh-group-ids "$GROUP_IDS" \
		"$(zsh_got "iommu-inspect --root $FIXTURE groups ")" \
		"'iommu-inspect --root $FIXTURE groups <TAB>'"
	compare_sets zsh-group-ids-root-after "1 10 11 12 13 14 15" \
		"$(zsh_got "iommu-inspect groups --root=$FIXTURE 1")" \
		"'iommu-inspect groups --root=$FIXTURE 1<TAB>'"
	compare_sets zsh-bdfs "$BDFS" "$(zsh_got "iommu-inspect --root $FIXTURE devices ")" \
		"'iommu-inspect --root $FIXTURE devices <TAB>'"
	compare_sets zsh-device-short "00:1f.0 00:1f.2 00:1f.3" \
		"$(zsh_got "iommu-inspect --root $FIXTURE groups --device 00:1f")" \
		"'... groups --device 00:1f<TAB>'"
fi
SKIP_WHY=

# fish: its own completion engine (`complete -C LINE`, as a TAB at the end of
# LINE would show) on the generated script, one fish for every line.
if ! command -v fish >/dev/null; then
	SKIP_WHY="fish is not installed"
elif [[ ! -s $FISHCOMP ]]; then
	SKIP_WHY="completions/gen-fish.sh wrote nothing (fish-generate failed)"
fi
lines=("iommu-inspect gr" "iommu-inspect " "iommu-inspect -" "iommu-inspect help "
	"iommu-inspect groups --class " "iommu-inspect devices --class=net,s"
	"iommu-inspect --root $FIXTURE groups "
	"iommu-inspect groups --root=$FIXTURE 1"
	"iommu-inspect --root $FIXTURE devices "
	"iommu-inspect --root $FIXTURE groups --device 0000:00:1f"
	"iommu-inspect --root $FIXTURE faults --device 00:1f"
	"iommu-inspect --root=$FIXTURE faults --group=1"
	"iommu-inspect acpi " "iommu-inspect acpi dmar "
	"iommu-inspect --root $TMP/roots/" "iommu-inspect snapshot --no-kmsg $TMP/roots/"
	"iommu-inspect snapshot $TMP/roots/notes.txt "
	"iommu-inspect devices -o " "iommu-inspect groups --output GROUP,D")
for c in $COMMANDS; do lines+=("iommu-inspect $c -"); done
: >"$TMP/fish.all"
if [[ -z $SKIP_WHY ]]; then
	PATH="$TMP/bin:$PATH" timeout 120 fish --no-config -c '
		source $argv[1]; or exit 1
		for l in $argv[2..-1]
			complete -C"$l" | string replace -r "\t.*" ""
			echo "==== $l"
		end' "$FISHCOMP" "${lines[@]}" >"$TMP/fish.all" 2>"$TMP/fish.err"
fi
fish_got() { got_in "$TMP/fish.all" "$1"; }
if [[ -z $SKIP_WHY ]] && ! grep -qxF -- "==== ${lines[${#lines[@]} - 1]}" "$TMP/fish.all"; then
	fail fish-complete "fish did not complete every line: $(head -c 200 "$TMP/fish.err")"
else
	compare_sets fish-command-prefix groups "$(fish_got "iommu-inspect gr")" \
		"'iommu-inspect gr<TAB>'"
	compare_sets fish-commands "$COMMANDS" "$(fish_got "iommu-inspect ")" \
		"'iommu-inspect <TAB>'"
	compare_sets fish-global-options "$GLOBAL" "$(fish_got "iommu-inspect -")" \
		"'iommu-inspect -<TAB>'"
	for c in $COMMANDS; do
		compare_sets "fish-$c-options" "$GLOBAL ${OPTS[$c]}" \
			"$(fish_got "iommu-inspect $c -")" "'iommu-inspect $c -<TAB>'"
	done
	compare_sets fish-help-commands "$COMMANDS" "$(fish_got "iommu-inspect help ")" \
		"'iommu-inspect help <TAB>'"
	compare_sets fish-columns "${COLS[devices]}" "$(fish_got "iommu-inspect devices -o ")" \
		"'iommu-inspect devices -o <TAB>'"
	compare_sets fish-column-list "GROUP,DRIVER GROUP,DEVICE GROUP,DEVICE-ID GROUP,DEVICE-NAME GROUP,DEVICES" \
		"$(fish_got "iommu-inspect groups --output GROUP,D")" \
		"'iommu-inspect groups --output GROUP,D<TAB>'"
	compare_sets fish-classes "$CLASSES" "$(fish_got "iommu-inspect groups --class ")" \
		"'iommu-inspect groups --class <TAB>'"
	compare_sets fish-class-list "--class=net,serial-bus --class=net,storage --class=net,system" \
		"$(fish_got "iommu-inspect devices --class=net,s")" \
		"'iommu-inspect devices --class=net,s<TAB>'"
	compare_sets fish-group-ids "$GROUP_IDS" \
		"$(fish_got "iommu-inspect --root $FIXTURE groups ")" \
		"'iommu-inspect --root $FIXTURE groups <TAB>'"
	compare_sets fish-group-ids-root-after "1 10 11 12 13 14 15" \
		"$(fish_got "iommu-inspect groups --root=$FIXTURE 1")" \
		"'iommu-inspect groups --root=$FIXTURE 1<TAB>'"
	compare_sets fish-group-option "--group=1 --group=10 --group=11 --group=12 --group=13 --group=14 --group=15" \
		"$(fish_got "iommu-inspect --root=$FIXTURE faults --group=1")" \
		"'iommu-inspect --root=$FIXTURE faults --group=1<TAB>'"
	compare_sets fish-bdfs "$BDFS" "$(fish_got "iommu-inspect --root $FIXTURE devices ")" \
		"'iommu-inspect --root $FIXTURE devices <TAB>'"
	compare_sets fish-device-option "0000:00:1f.0 0000:00:1f.2 0000:00:1f.3" \
		"$(fish_got "iommu-inspect --root $FIXTURE groups --device 0000:00:1f")" \
		"'... groups --device 0000:00:1f<TAB>'"
	compare_sets fish-device-short "00:1f.0 00:1f.2 00:1f.3" \
		"$(fish_got "iommu-inspect --root $FIXTURE faults --device 00:1f")" \
		"'... faults --device 00:1f<TAB>'"
	compare_sets fish-acpi-table "dmar ivrs iort viot" "$(fish_got "iommu-inspect acpi ")" \
		"'iommu-inspect acpi <TAB>'"
	compare_sets fish-acpi-one-table "" "$(fish_got "iommu-inspect acpi dmar ")" \
		"'iommu-inspect acpi dmar <TAB>' (one table at most)"
	compare_sets fish-root-files "$TMP/roots/adir/ $TMP/roots/snap.tar.gz" \
		"$(fish_got "iommu-inspect --root $TMP/roots/")" \
		"'iommu-inspect --root DIR/<TAB>' (directories and archives)"
	compare_sets fish-snapshot-out "$TMP/roots/adir/ $TMP/roots/notes.txt $TMP/roots/snap.tar.gz" \
		"$(fish_got "iommu-inspect snapshot --no-kmsg $TMP/roots/")" \
		"'iommu-inspect snapshot --no-kmsg DIR/<TAB>'"
	compare_sets fish-snapshot-one-out "" \
		"$(fish_got "iommu-inspect snapshot $TMP/roots/notes.txt ")" \
		"'iommu-inspect snapshot OUT <TAB>' (one argument)"
fi
SKIP_WHY=
finish
