#!/bin/sh
# SPDX-License-Identifier: MIT
#
# gen-fish.sh BIN >iommu-inspect.fish
#
# Writes the fish completion of iommu-inspect from the tool's own tables, so
# that it cannot drift from them: the Makefile runs it on the program it built
# (build/completions/iommu-inspect.fish) and installs that.
#   `BIN __complete`  the commands, each command's options (a trailing '=' marks
#                     an option that takes a value; a short form follows its long
#                     one) and the device classes;
#   `BIN --help`      the global options' descriptions and value names;
#   `BIN CMD --help`  the command's summary, its arguments (the usage line) and
#                     its options' descriptions and value names.
# A command or option added to the table in src/cmd/cmd-table.c is completed
# without an edit here. What this script decides, once, is what a kind of value
# is completed with (value_kind, arg_kind below): the PCI addresses and group
# ids the tool itself lists with --json (as the bash and zsh completions do),
# files, the device classes; a value of a kind not named there is left to the
# user (no files offered). tests/cli/t-docs-sync.sh runs the result in fish.
set -eu

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 BIN (the iommu-inspect binary to read the tables of)" >&2
	exit 2
fi
BIN=$1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gen-fish.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C

"$BIN" __complete >"$TMP/complete"
"$BIN" --help >"$TMP/help"
version=$("$BIN" --version | awk '{ print $2; exit }')
field() { sed -n "s/^$1://p" "$TMP/complete" | head -n 1; }
COMMANDS=$(field commands)
CLASSES=$(field classes)
[ -n "$COMMANDS" ] && [ -n "$CLASSES" ] && [ -n "$(field global)" ] || {
	echo "$0: no commands:, global: or classes: line in '$BIN __complete'" >&2
	exit 1
}
for c in $COMMANDS; do
	"$BIN" "$c" --help >"$TMP/help-$c"
done

# A fish single-quoted string.
q() { printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")"; }

# The completion flags of an option's value: option LONG, value name VALUE.
value_kind() {
	case $1 in
	root) echo "-x -a '(__iommu_inspect_trees)'" ;;
	class) echo "-x -a '(__iommu_inspect_classes)'" ;;
	group) echo "-x -a '(__iommu_inspect_group_ids)'" ;;
	domain) echo "-x -a '(__iommu_inspect_domain_ids)'" ;;
	vendor) echo "-x -a 'intel amd arm-smmu arm-smmu-v3 virtio-iommu'" ;;
	color) echo "-x -a 'auto always never'" ;;
	*)
		case $2 in
		BDF) echo "-x -a '(__iommu_inspect_bdfs)'" ;;
		COLUMNS) echo "-x -a '(__iommu_inspect_columns)'" ;;
		FILE | PATH) echo "-r -F" ;;
		DIR) echo "-x -a '(__fish_complete_directories)'" ;;
		*) echo "-x" ;;
		esac
		;;
	esac
}

# The completion flags of argument WORD of command CMD (WORD as in the usage
# line, without its brackets and "...").
arg_kind() {
	case $1:$2 in
	groups:ID) echo "-a '(__iommu_inspect_group_ids)'" ;;
	*:BDF) echo "-a '(__iommu_inspect_bdfs)'" ;;
	*:COMMAND) echo "-a '(__iommu_inspect_commands)'" ;;
	*:OUT | *:FILE | *:PATH) echo "-F" ;;
	*:DIR) echo "-a '(__fish_complete_directories)'" ;;
	*:*"|"*) echo "-a $(q "$(printf '%s' "$2" | tr '|' ' ')")" ;;
	*) ;;
	esac
}

# The value name and the description of option --LONG in help text FILE:
# "VALUE<TAB>DESCRIPTION" (VALUE empty for a flag).
opt_help() { # FILE LONG TAKES_VALUE
	awk -v name="--$2" -v arg="$3" '
		{
			line = $0
			sub(/^ +/, "", line)
			if (line ~ /^-[^-], /)
				line = substr(line, 5)
			if (substr(line, 1, length(name) + 1) == name "[") {
				# an optional value, "--boot[=N]"
				rest = substr(line, length(name) + 1)
				mv = rest
				sub(/ .*/, "", mv)
				rest = substr(rest, length(mv) + 1)
				sub(/^ +/, "", rest)
				print mv "\t" rest
				exit
			}
			if (substr(line, 1, length(name) + 1) != name " ")
				next
			rest = substr(line, length(name) + 2)
			mv = ""
			if (arg) {
				mv = rest
				sub(/ .*/, "", mv)
				rest = substr(rest, length(mv) + 1)
			}
			sub(/^ +/, "", rest)
			print mv "\t" rest
			exit
		}' "$1"
}

# complete lines for the options listed after "NAME:" in __complete, described
# from FILE, under fish condition COND (none for the global options).
options() { # NAME FILE COND
	set -- "$1" "$2" "$3" $(field "$1")
	name=$1 file=$2 cond=$3
	shift 3
	while [ $# -gt 0 ]; do
		long=${1#--} takes=
		shift
		case $long in *=) long=${long%=} takes=1 ;; esac
		short=
		case ${1-} in -[!-]) short=${1#-} && shift ;; esac
		h=$(opt_help "$file" "$long" "$takes")
		mv=${h%%"	"*} desc=${h#*"	"}
		printf 'complete -c iommu-inspect'
		[ -n "$cond" ] && printf ' -n %s' "$(q "$cond")"
		[ -n "$short" ] && printf ' -s %s' "$short"
		printf ' -l %s' "$long"
		# an optional value ("[=N]"): the next word may be another option, so no -r/-x
		case $mv in "["*) printf ' -f' ;; *) [ -n "$takes" ] && printf ' %s' "$(value_kind "$long" "$mv")" ;; esac
		[ -n "$desc" ] && printf ' -d %s' "$(q "$desc")"
		printf '\n'
	done
}

# Every option that takes a value, long and short: a word after one of them
# is its value, not the command or an argument.
valued=$(for c in global $COMMANDS; do field "$c"; done | tr ' ' '\n' | awk '
	/^--.*=$/ { sub(/=$/, ""); print; want = 1; next }
	/^-[^-]$/ && want { print }
	{ want = 0 }' | sort -u | tr '\n' ' ')

cat <<EOF
# SPDX-License-Identifier: MIT
# fish completion for iommu-inspect $version.
# Generated by completions/gen-fish.sh from the tool's command table
# ('iommu-inspect __complete' and its --help): do not edit; rebuild.
# Group ids and PCI addresses are asked of the tool itself (its JSON output),
# honouring a --root given on the line.

# Does option \$argv[1] take a value in the next word?
function __iommu_inspect_takes_value
    switch \$argv[1]
        case ${valued% }
            return 0
    end
    return 1
end

EOF
cat <<'EOF'
# The words before the cursor that are neither options nor their values: the
# command, then its arguments.
function __iommu_inspect_words
    set -l toks (commandline -opc)
    set -e toks[1]
    set -l value 0
    for t in $toks
        if test $value = 1
            set value 0
            continue
        end
        switch $t
            case '--*=*'
            case '-*'
                __iommu_inspect_takes_value $t; and set value 1
            case '*'
                printf '%s\n' $t
        end
    end
end

function __iommu_inspect_needs_command
    set -l w (__iommu_inspect_words)
    not set -q w[1]
end

# Is the command $argv[1]?
function __iommu_inspect_using
    set -l w (__iommu_inspect_words)
    test "$w[1]" = "$argv[1]"
end

# Is the word being completed argument $argv[2] (0 the first; N+ for N or
# later) of command $argv[1]?
function __iommu_inspect_arg
    set -l w (__iommu_inspect_words)
    test "$w[1]" = "$argv[1]"; or return 1
    set -l n (math (count $w) - 1)
    set -l want (string replace + '' -- $argv[2])
    if string match -q -- '*+' $argv[2]
        test $n -ge $want
    else
        test $n -eq $want
    end
end

# The word being completed, without a leading --option=.
function __iommu_inspect_current
    commandline -ct | string replace -r -- '^--[^=]*=' ''
end

# The tool's JSON for a command ($argv), run as typed on the line, with the
# line's --root.
function __iommu_inspect_json
    set -l toks (commandline -opc)
    set -l prog (string replace -r -- '^~/' "$HOME/" "$toks[1]")
    set -l root ''
    set -l i 2
    while test $i -le (count $toks)
        switch $toks[$i]
            case --root
                set i (math $i + 1)
                set root "$toks[$i]"
            case '--root=*'
                set root (string replace -- --root= '' "$toks[$i]")
        end
        set i (math $i + 1)
    end
    set root (string replace -r -- '^~/' "$HOME/" "$root")
    if test -n "$root"
        $prog --root $root -j $argv 2>/dev/null
    else
        $prog -j $argv 2>/dev/null
    end
end

function __iommu_inspect_group_ids
    __iommu_inspect_json groups | string match -ar '"id":[0-9]+' |
        string replace '"id":' '' | string replace -r '$' '\tIOMMU group'
end

# PCI addresses; the short form (00:02.0) when the word typed so far uses it.
function __iommu_inspect_bdfs
    set -l bdfs (__iommu_inspect_json devices | string match -ar '"bdf":"[^"]*"' |
        string replace -r '^"bdf":"(.*)"$' '$1')
    set -q bdfs[1]; or return
    if string match -qr -- '^[[:xdigit:]]{2}:' (__iommu_inspect_current)
        set bdfs (string replace -f -r -- '^0000:' '' $bdfs)
    end
    for b in $bdfs
        printf '%s\tPCI device\n' $b
    end
end

# Domain ids from the page tables in debugfs (domains needs root on a live system).
function __iommu_inspect_domain_ids
    __iommu_inspect_json domains | string match -ar '"domain_id":[0-9]+' |
        string replace '"domain_id":' '' | sort -un | string replace -r '$' '\tdomain'
end

# A recorded tree: a directory, or an archive made by `iommu-inspect snapshot`.
function __iommu_inspect_trees
    set -l cur (__iommu_inspect_current)
    complete -C "__iommu_inspect_no_such_command "(string escape -- "$cur") |
        string match -r -- '^.*(/|\.tar|\.tar\.gz|\.tgz|\.tar\.xz|\.txz)$'
end

EOF

printf '# --class takes a comma-separated list of these (or hex class codes).\n'
printf 'function __iommu_inspect_classes\n'
printf '    set -l cur (__iommu_inspect_current)\n'
printf "    set -l prefix (string match -r -- '^.*,' \"\$cur\")\n"
printf '    set -l have (string split , -- "$prefix")\n'
printf '    for c in %s\n' "$CLASSES"
printf "        contains -- \$c \$have; or printf '%%s%%s\\\\tdevice class\\\\n' \"\$prefix\" \$c\n"
printf '    end\n'
printf 'end\n\n'

printf '# -o takes a comma-separated list of the command'"'"'s columns ("+LIST": added to the defaults).\n'
printf 'function __iommu_inspect_columns\n'
printf '    set -l w (__iommu_inspect_words)\n'
printf '    set -l cols\n'
printf '    switch "$w[1]"\n'
for c in $COMMANDS; do
	cols=$(field "columns-$c")
	[ -n "$cols" ] || continue
	printf '        case %s\n' "$c"
	printf '            set cols%s\n' "$cols"
done
printf '    end\n'
printf '    set -l cur (__iommu_inspect_current)\n'
printf "    set -l prefix (string match -r -- '^\\\\+?(?:.*,)?' \"\$cur\")\n"
printf '    set -l have (string split , -- (string trim -l -c + -- "$prefix"))\n'
printf '    for c in $cols\n'
printf "        contains -- \$c \$have; or printf '%%s%%s\\\\tcolumn\\\\n' \"\$prefix\" \$c\n"
printf '    end\n'
printf 'end\n\n'

printf '# The commands, with their summaries.\n'
printf 'function __iommu_inspect_commands\n'
for c in $COMMANDS; do
	summary=$(awk 'NR > 1 && NF { sub(/\.$/, ""); print; exit }' "$TMP/help-$c")
	printf "    printf '%%s\\\\t%%s\\\\n' %s %s\n" "$c" "$(q "$summary")"
done
printf 'end\n\n'

printf '# No file names unless a command or an option takes one.\n'
printf 'complete -c iommu-inspect -f\n'
printf "complete -c iommu-inspect -n __iommu_inspect_needs_command -a '(__iommu_inspect_commands)'\n"
printf '\n# Global options: before the command and after it.\n'
options global "$TMP/help" ""

# A command's options, then its arguments (from the usage line: "Usage:
# iommu-inspect CMD [OPTIONS] ARGS").
command_lines() { # CMD
	options "$1" "$TMP/help-$1" "__iommu_inspect_using $1"
	pos=0
	for w in $(sed -n "1s/^Usage: iommu-inspect $1 \[OPTIONS\]//p" "$TMP/help-$1"); do
		word=$(printf '%s' "$w" | tr -d '[]')
		at=$pos
		case $word in *...) word=${word%...} at=$pos+ ;; esac
		flags=$(arg_kind "$1" "$word")
		[ -z "$flags" ] ||
			printf "complete -c iommu-inspect -n '__iommu_inspect_arg %s %s' %s\n" "$1" "$at" "$flags"
		pos=$((pos + 1))
	done
}
for c in $COMMANDS; do
	lines=$(command_lines "$c")
	[ -z "$lines" ] || printf '\n# %s\n%s\n' "$c" "$lines"
done
