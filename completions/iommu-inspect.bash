# SPDX-License-Identifier: MIT
# bash completion for iommu-inspect                      -*- shell-script -*-
#
# Commands, options and classes are listed here literally, so that
# tests/cli/t-docs-sync.sh can compare them with `iommu-inspect __complete`.
# Group ids and PCI addresses are asked of the tool itself (its JSON output),
# honouring a --root given earlier on the line.
#
# Works with bash-completion (_init_completion, _filedir) and, in a plain
# bash that has only sourced this file, with small fallbacks of its own.

_iommu_inspect_commands='status groups devices iommus acpi faults check top domains mappings metrics snapshot help'
_iommu_inspect_global_opts='--json -j --pretty -p --root --pci-ids --color --help -h --version -V'
# The columns of groups -o and devices -o.
_iommu_inspect_columns_groups='GROUP TYPE NAME DEVICES RESV BDF VENDOR-ID DEVICE-ID CLASS CATEGORY DRIVER IOMMU BRIDGE RMRR VENDOR-NAME DEVICE-NAME DEVICE'
_iommu_inspect_columns_devices='BDF GROUP GROUP-TYPE IOMMU DRIVER NUMA RESET NAMES VENDOR-ID DEVICE-ID SUBSYS-VENDOR-ID SUBSYS-DEVICE-ID REVISION CLASS CATEGORY BRIDGE RMRR PHYSFN PRESENT CLASS-NAME VENDOR-NAME DEVICE-NAME DEVICE REASON'
_iommu_inspect_classes='accelerator audio bridge crypto display gpu iommu multimedia net serial-bus storage system unclassified usb'

# The options of each command (the global options are valid everywhere too).
_iommu_inspect_cmd_opts()
{
    case $1 in
        status) ;;
        groups) printf '%s\n' --class --device --output -o --raw -r --list-columns ;;
        devices) printf '%s\n' --class --output -o --raw -r --list-columns ;;
        iommus) printf '%s\n' --regs ;;
        domains) ;;
        mappings) printf '%s\n' --domain --raw --at ;;
        acpi) printf '%s\n' --file ;;
        faults) printf '%s\n' --kmsg-file --dmesg-file --follow -w --summary -s --list -l \
            --check --max --device --group --vendor --since --boot --list-boots --journal-dir \
            --journal-file ;;
        check) ;;
        top) printf '%s\n' --delay -d --iterations -n --batch -b --speed ;;
        metrics) printf '%s\n' --output -o --max-series --no-timing --no-debugfs ;;
        snapshot) printf '%s\n' --no-kmsg --no-debugfs --force -f --activity --journal-boots ;;
        help) ;;
    esac
}

# Options that take a value in the next word (or after '=').
_iommu_inspect_opt_takes_arg()
{
    case $1 in
        --root | --pci-ids | --class | --device | --file | --output | -o) return 0 ;;
        --kmsg-file | --dmesg-file | --max | --group | --vendor | --since) return 0 ;;
        --domain | --at | --activity | --max-series) return 0 ;;
        --journal-dir | --journal-file | --journal-boots) return 0 ;;
        --delay | -d | --iterations | -n | --color | --speed) return 0 ;;
    esac
    return 1
}

# Run the tool as typed on the line, with the --root given there, if any.
# $1: the command (groups, devices); output: its JSON, one document.
_iommu_inspect_json()
{
    local prog=${words[0]} root="" i w
    [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --root) root=${words[i + 1]} ;;
            --root=*) root=${w#--root=} ;;
        esac
    done
    [[ $root == "~/"* ]] && root=$HOME/${root#"~/"}
    if [[ -n $root ]]; then
        "$prog" --root "$root" -j "$1" 2>/dev/null
    else
        "$prog" -j "$1" 2>/dev/null
    fi
}

_iommu_inspect_group_ids()
{
    _iommu_inspect_json groups | grep -o '"id":[0-9][0-9]*' | sed 's/^"id"://'
}

# PCI addresses; the short form (00:02.0) when the word being completed uses it.
_iommu_inspect_bdfs()
{
    local list
    list=$(_iommu_inspect_json devices | grep -o '"bdf":"[^"]*"' |
        sed 's/^"bdf":"//; s/"$//')
    if [[ $cur == [0-9a-fA-F][0-9a-fA-F]:* ]]; then
        printf '%s\n' "$list" | sed -n 's/^0000://p'
    else
        printf '%s\n' "$list"
    fi
}

# --class takes a comma-separated list: complete its last item.
_iommu_inspect_class_list()
{
    local prefix="" item c
    if [[ $cur == *,* ]]; then
        prefix=${cur%,*},
        item=${cur##*,}
    else
        item=$cur
    fi
    COMPREPLY=()
    for c in $_iommu_inspect_classes; do
        [[ ,$prefix == *",$c,"* ]] && continue
        [[ $c == "$item"* ]] && COMPREPLY+=("$prefix$c")
    done
}

# -o takes a comma-separated list of columns (any case; "+LIST" adds to the
# defaults): complete its last item. $1: the command.
_iommu_inspect_column_list()
{
    local prefix="" item c list
    case $1 in
        groups) list=$_iommu_inspect_columns_groups ;;
        devices) list=$_iommu_inspect_columns_devices ;;
    esac
    if [[ $cur == *,* ]]; then
        prefix=${cur%,*},
        item=${cur##*,}
    elif [[ $cur == +* ]]; then
        prefix=+
        item=${cur#+}
    else
        item=$cur
    fi
    COMPREPLY=()
    for c in $list; do
        [[ ,${prefix#+} == *",$c,"* ]] && continue
        [[ $c == "${item^^}"* ]] && COMPREPLY+=("$prefix$c")
    done
}

# File names; $1, if given, is an extglob of the suffixes wanted (directories
# are always offered, to descend into).
_iommu_inspect_files()
{
    if declare -F _filedir >/dev/null; then
        _filedir "$@"
        return
    fi
    local IFS=$'\n' ext=$(shopt -p extglob)
    shopt -s extglob
    compopt -o filenames 2>/dev/null
    if [[ -n ${1-} ]]; then
        COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X "!*.$1" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
    eval "$ext"
}

# What readline replaces is the text after the last ':' of the word, since ':'
# breaks words; drop that prefix from candidates that contain it.
_iommu_inspect_ltrim_colon()
{
    if declare -F __ltrim_colon_completions >/dev/null; then
        __ltrim_colon_completions "$cur"
    elif [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
        local colon_word=${cur%"${cur##*:}"} i
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${COMPREPLY[i]#"$colon_word"}
        done
    fi
}

# Without bash-completion: the words of the line up to the cursor, split at
# white space only (so that --root=DIR and 0000:00:02.0 stay whole).
_iommu_inspect_init_fallback()
{
    local line=${COMP_LINE:0:COMP_POINT}
    read -ra words <<<"$line"
    [[ $line == *[[:space:]] || ${#words[@]} -eq 0 ]] && words+=("")
    cword=$((${#words[@]} - 1))
    cur=${words[cword]}
    prev=${words[cword - 1]}
    split=false
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
        split=true
    fi
    COMPREPLY=()
}

_iommu_inspect()
{
    local cur prev words cword split
    if declare -F _init_completion >/dev/null; then
        _init_completion -s -n : || return
    else
        _iommu_inspect_init_fallback
    fi

    # The command: the first word that is neither an option nor an option's value.
    local cmd="" i w
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --*=*) ;;
            -*) _iommu_inspect_opt_takes_arg "$w" && ((i++)) ;;
            *) cmd=$w && break ;;
        esac
    done

    # The value of an option.
    case $prev in
        --root)
            # a recorded tree: a directory, or an archive made by snapshot
            _iommu_inspect_files '@(tar|tar.gz|tgz|tar.xz|txz)'
            return
            ;;
        --pci-ids | --file)
            _iommu_inspect_files
            return
            ;;
        --class)
            _iommu_inspect_class_list
            return
            ;;
        --output | -o)
            # metrics: a file; groups, devices: columns
            if [[ $cmd == metrics ]]; then
                _iommu_inspect_files
            else
                _iommu_inspect_column_list "$cmd"
            fi
            return
            ;;
        --device)
            COMPREPLY=($(compgen -W "$(_iommu_inspect_bdfs)" -- "$cur"))
            _iommu_inspect_ltrim_colon
            return
            ;;
        --kmsg-file | --dmesg-file | --journal-file)
            _iommu_inspect_files
            return
            ;;
        --journal-dir)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur"))
            return
            ;;
        --journal-boots)
            return
            ;;
        --vendor)
            COMPREPLY=($(compgen -W "intel amd arm-smmu arm-smmu-v3 virtio-iommu" -- "$cur"))
            return
            ;;
        --group)
            COMPREPLY=($(compgen -W "$(_iommu_inspect_group_ids)" -- "$cur"))
            return
            ;;
        --max | --since)
            return
            ;;
        --domain)
            COMPREPLY=($(compgen -W "$(_iommu_inspect_json domains | grep -o '"domain_id":[0-9][0-9]*' |
                sed 's/^"domain_id"://' | sort -un)" -- "$cur"))
            return
            ;;
        --at)
            return
            ;;
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
            return
            ;;
        --delay | -d | --iterations | -n | --speed | --max-series)
            return
            ;;
    esac
    [[ $split == true ]] && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$_iommu_inspect_global_opts $(_iommu_inspect_cmd_opts "$cmd")" -- "$cur"))
        return
    fi

    case $cmd in
        "")
            COMPREPLY=($(compgen -W "$_iommu_inspect_commands" -- "$cur"))
            ;;
        groups)
            COMPREPLY=($(compgen -W "$(_iommu_inspect_group_ids)" -- "$cur"))
            ;;
        check)
            # PCI addresses and group numbers
            COMPREPLY=($(compgen -W "$(_iommu_inspect_bdfs) $(_iommu_inspect_group_ids)" -- "$cur"))
            _iommu_inspect_ltrim_colon
            ;;
        devices | mappings)
            COMPREPLY=($(compgen -W "$(_iommu_inspect_bdfs)" -- "$cur"))
            _iommu_inspect_ltrim_colon
            ;;
        acpi)
            # one optional argument: which table
            local n=0
            for ((i = i + 1; i < cword; i++)); do
                case ${words[i]} in
                    --*=*) ;;
                    -*) _iommu_inspect_opt_takes_arg "${words[i]}" && ((i++)) ;;
                    *) ((n++)) ;;
                esac
            done
            ((n == 0)) && COMPREPLY=($(compgen -W "dmar ivrs iort viot" -- "$cur"))
            ;;
        snapshot)
            # one argument, OUT: a new directory or archive name
            local n=0
            for ((i = i + 1; i < cword; i++)); do
                case ${words[i]} in
                    --*=*) ;;
                    -*) _iommu_inspect_opt_takes_arg "${words[i]}" && ((i++)) ;;
                    *) ((n++)) ;;
                esac
            done
            ((n == 0)) && _iommu_inspect_files
            ;;
        help)
            [[ $prev == help ]] &&
                COMPREPLY=($(compgen -W "$_iommu_inspect_commands" -- "$cur"))
            ;;
    esac
} &&
    complete -F _iommu_inspect iommu-inspect

# ex: filetype=sh
