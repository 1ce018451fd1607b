#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# t-install.sh BIN
#
# `make install` into a DESTDIR, checked file by file, and `make uninstall`,
# which must leave the tree exactly as it found it. BIN is the program the
# Makefile built (BUILD is its folder); make is told not to rebuild it.
#   - the exact list of files, with their modes, and of the directories made
#     (0755): the program, every page in man/, the bash, zsh and fish
#     completions, every unit of systemd/, README.md; nothing else;
#   - each file is its source (the fish completion is completions/gen-fish.sh's
#     output for BIN; a unit is its template with BINDIR written in);
#   - the installed program runs (--version), `man -w` finds every installed
#     page through MANPATH;
#   - PREFIX, BINDIR, MANDIR, the completion folders, SYSTEMDUNITDIR and
#     DOCDIR are honoured (a second install with each one moved);
#   - uninstall removes every file install put and every folder it made,
#     leaves the folders that were there before and a file of another program
#     in them, and can run again.
#
# Output: "PASS name", "FAIL name: why", "SKIP name: why", then the plan
# (tests/lib.sh).

set -u
export LC_ALL=C.UTF-8
. "$(dirname "$0")/../lib.sh" || exit 1

if [[ $# -ne 1 || ! -x $1 ]]; then
	echo "usage: $0 BIN (the iommu-inspect binary the Makefile built)" >&2
	fail install-usage "no executable BIN given"
	finish
fi
BUILD=$(cd "$(dirname "$1")" && pwd)
BIN=$BUILD/$(basename "$1")
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-install.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

if [[ $(basename "$BIN") != iommu-inspect ]]; then
	skip install "$BIN is not a Makefile build (BUILD/iommu-inspect)"
	finish
fi
if ! command -v make >/dev/null; then
	skip install "make is not installed"
	finish
fi

# make in the repository with BUILD set to BIN's folder, never rebuilding BIN
# (-o: consider it up to date); its own installed-dirs note kept in TMP so that
# a developer's own installs are left alone.
run_make() { # LOG TARGET VAR=VALUE...
	local log=$1
	shift
	make -C "$TOP" --no-print-directory -o "$BIN" BUILD="$BUILD" BIN="$BIN" \
		INSTALL_DIRS_LOG="$TMP/installed-dirs" "$@" >"$log" 2>&1
}

# Every entry of a tree: "TYPE MODE PATH", sorted (the root itself left out).
tree() { (cd "$1" && find . -mindepth 1 -printf '%y %m %P\n' | sort); }

# compare NAME WANT GOT WHAT: two lists of lines.
compare() {
	if [[ $2 == "$3" ]]; then
		pass "$1"
	else
		fail "$1" "$4: $(diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") |
			grep '^[<>]' | head -n 8 | sed 's/^</missing/; s/^>/unexpected/' | tr '\n' ';')"
	fi
}

# The files install must put, for PREFIX $1 and the other folders as they
# default from it: "MODE PATH" (relative to DESTDIR, no leading /).
want_files() {
	local p=${1#/} m u
	echo "755 $p/bin/iommu-inspect"
	for m in man/*.8; do echo "644 $p/share/man/man8/${m#man/}"; done
	echo "644 $p/share/bash-completion/completions/iommu-inspect"
	echo "644 $p/share/zsh/site-functions/_iommu-inspect"
	echo "644 $p/share/fish/vendor_completions.d/iommu-inspect.fish"
	for u in systemd/*.in; do
		u=${u#systemd/}
		echo "644 $p/lib/systemd/system/${u%.in}"
	done
	echo "644 $p/share/doc/iommu-inspect/README.md"
}

# ------------------------------------------------------------------ install

D=$TMP/dest
# A system where /usr/local/bin and its man folder exist, with another
# program's files in them: those must survive uninstall.
mkdir -p "$D/usr/local/bin" "$D/usr/local/share/man/man8"
echo other >"$D/usr/local/bin/other-tool"
echo other >"$D/usr/local/share/man/man8/other-tool.8"
chmod 0755 "$D" "$D/usr" "$D/usr/local" "$D/usr/local/bin" "$D/usr/local/share" \
	"$D/usr/local/share/man" "$D/usr/local/share/man/man8"
tree "$D" >"$TMP/before"

if run_make "$TMP/install.log" install DESTDIR="$D"; then
	pass install-runs
else
	fail install-runs "make install DESTDIR=... failed: $(tail -n 3 "$TMP/install.log" | tr '\n' ' ')"
fi

# The files, their modes, the folders it made (every one 0755).
tree "$D" >"$TMP/after"
got_files=$(comm -13 "$TMP/before" "$TMP/after" | awk '$1 == "f" { print $2, $3 }' | sort -k2)
compare install-files "$(want_files /usr/local | sort -k2)" "$got_files" \
	"the files under DESTDIR/usr/local"
bad=$(comm -13 "$TMP/before" "$TMP/after" | awk '$1 != "f" && !($1 == "d" && $2 == "755")')
if [[ -z $bad ]]; then
	pass install-dirs
else
	fail install-dirs "not a 0755 folder or a file: $(printf '%s' "$bad" | head -n 3 | tr '\n' ';')"
fi

# Each file is its source.
L=$D/usr/local
same() { # NAME SOURCE INSTALLED
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "${3#"$D"} differs from ${2#"$TOP"/}"; fi
}
same install-binary "$BIN" "$L/bin/iommu-inspect"
bad=""
for m in man/*.8; do
	cmp -s "$m" "$L/share/man/man8/${m#man/}" || bad+=" ${m#man/}"
done
if [[ -z $bad ]]; then pass install-man-pages; else fail install-man-pages "differ:$bad"; fi
same install-bash-completion completions/iommu-inspect.bash \
	"$L/share/bash-completion/completions/iommu-inspect"
same install-zsh-completion completions/_iommu-inspect "$L/share/zsh/site-functions/_iommu-inspect"
if completions/gen-fish.sh "$BIN" >"$TMP/fish" 2>/dev/null; then
	same install-fish-completion "$TMP/fish" "$L/share/fish/vendor_completions.d/iommu-inspect.fish"
else
	fail install-fish-completion "completions/gen-fish.sh $BIN failed"
fi
bad=""
for u in systemd/*.in; do
	u=${u#systemd/}
	sed 's|@BINDIR@|/usr/local/bin|g' "systemd/$u" >"$TMP/unit"
	cmp -s "$TMP/unit" "$L/lib/systemd/system/${u%.in}" || bad+=" ${u%.in}"
	grep -q '@[A-Z]*@' "$L/lib/systemd/system/${u%.in}" 2>/dev/null && bad+=" ${u%.in}(@VAR@ left)"
done
if [[ -z $bad ]]; then pass install-units; else fail install-units "not the template with BINDIR:$bad"; fi
same install-readme README.md "$L/share/doc/iommu-inspect/README.md"

# The installed program runs, and man finds the installed pages.
want=$("$BIN" --version 2>&1)
got=$("$L/bin/iommu-inspect" --version 2>&1)
if [[ -n $want && $got == "$want" ]]; then
	pass install-version
else
	fail install-version "installed --version said '$got', want '$want'"
fi
if ! command -v man >/dev/null; then
	skip install-man-w "man (man-db) is not installed"
else
	bad=""
	for m in man/*.8; do
		page=${m#man/}
		page=${page%.8}
		out=$(MANPATH=$L/share/man man -w "$page" 2>&1)
		[[ $out == "$L/share/man/man8/$page.8" ]] || bad+=" $page($out)"
	done
	if [[ -z $bad ]]; then
		pass install-man-w
	else
		fail install-man-w "MANPATH=DESTDIR/usr/local/share/man man -w did not find:$bad"
	fi
fi

# ---------------------------------------------------------------- uninstall

if run_make "$TMP/uninstall.log" uninstall DESTDIR="$D"; then
	pass uninstall-runs
else
	fail uninstall-runs "make uninstall DESTDIR=... failed: $(tail -n 3 "$TMP/uninstall.log" | tr '\n' ' ')"
fi
compare uninstall-leaves-tree "$(cat "$TMP/before")" "$(tree "$D")" \
	"the tree after uninstall, against the tree before install"
if run_make "$TMP/uninstall2.log" uninstall DESTDIR="$D" && [[ $(tree "$D") == "$(cat "$TMP/before")" ]]; then
	pass uninstall-again
else
	fail uninstall-again "a second make uninstall failed or changed the tree"
fi

# ------------------------------------------------ every folder moved

D2=$TMP/dest2
mkdir -p "$D2"
vars=(PREFIX=/opt/ii BINDIR=/opt/ii/sbin MANDIR=/m BASHCOMPDIR=/c/bash ZSHCOMPDIR=/c/zsh
	FISHCOMPDIR=/c/fish SYSTEMDUNITDIR=/units DOCDIR=/doc)
if run_make "$TMP/install3.log" install DESTDIR="$D2" "${vars[@]}"; then
	want=$(want_files /opt/ii | sed -E 's|opt/ii/bin/|opt/ii/sbin/|; s|opt/ii/share/man/|m/|;
		s|opt/ii/share/bash-completion/completions/|c/bash/|; s|opt/ii/share/zsh/site-functions/|c/zsh/|;
		s|opt/ii/share/fish/vendor_completions.d/|c/fish/|; s|opt/ii/lib/systemd/system/|units/|;
		s|opt/ii/share/doc/iommu-inspect/|doc/|' | sort -k2)
	compare install-vars "$want" "$(tree "$D2" | awk '$1 == "f" { print $2, $3 }' | sort -k2)" \
		"the files with PREFIX, BINDIR, MANDIR, *COMPDIR, SYSTEMDUNITDIR and DOCDIR set"
	bad=""
	for u in "$D2"/units/*; do
		[[ -f $u ]] || continue
		[[ $u == *.timer ]] && continue # a timer starts its service: no ExecStart=
		grep -q '^ExecStart=/opt/ii/sbin/iommu-inspect ' "$u" || bad+=" ${u##*/}"
	done
	if [[ -z $bad ]]; then
		pass install-vars-unit-bindir
	else
		fail install-vars-unit-bindir "ExecStart= is not BINDIR/iommu-inspect in:$bad"
	fi
	run_make "$TMP/uninstall3.log" uninstall DESTDIR="$D2" "${vars[@]}"
	compare uninstall-vars "" "$(tree "$D2")" "left after uninstall with the same variables"
else
	fail install-vars "make install with every folder set failed: $(tail -n 3 "$TMP/install3.log" | tr '\n' ' ')"
fi

finish
