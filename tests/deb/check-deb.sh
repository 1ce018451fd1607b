#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# check-deb.sh BIN
#
# The Debian package, as `make check-deb` runs it (not part of `make check`:
# it builds everything again, about a minute; its name keeps it out of
# tests/run.sh's default tests/*/t-*.sh). On a copy of the source tree, without
# a chroot:
#   - `dpkg-buildpackage -us -uc -b` builds it (with the unit tests);
#   - its version is the program's (debian/changelog against BIN --version);
#   - it holds exactly the program, every page of man/, the bash, zsh and fish
#     completions, every unit of systemd/, README.md, copyright and changelog;
#   - lintian finds no error and no warning (`--fail-on error,warning`; the
#     tags it does print are shown on stderr);
#   - as root: `dpkg -i`, the installed iommu-inspect --version, `man -w
#     iommu-inspect`, every unit installed and none enabled, then `dpkg -r`
#     removes every file it installed (and --purge its last traces). Skipped
#     when not root, or when an iommu-inspect package is already installed
#     (this test does not replace a package it did not install).
# BIN is the program built by the Makefile, for its version. A check that
# cannot run here is a SKIP that says why.
#
# Output: "PASS name", "FAIL name: why", "SKIP name: why", then the plan
# (tests/lib.sh).

set -u
export LC_ALL=C.UTF-8
. "$(dirname "$0")/../lib.sh" || exit 1

if [[ $# -ne 1 || ! -x $1 ]]; then
	echo "usage: $0 BIN (the iommu-inspect binary the Makefile built)" >&2
	fail deb-usage "no executable BIN given"
	finish
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/check-deb.XXXXXX") || exit 1
INSTALLED_BY_US=0
cleanup() {
	# a package this test installed never stays, whatever happened
	[[ $INSTALLED_BY_US == 1 ]] && dpkg --purge iommu-inspect >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

missing=""
for tool in dpkg-buildpackage dh fakeroot gcc make; do
	command -v "$tool" >/dev/null || missing+=" $tool"
done
if [[ -n $missing ]]; then
	skip deb-build "not installed:$missing (make deb-deps installs them)"
	finish
fi

# --------------------------------------------------------------- the build

# A copy of the tree without git and build folders: dpkg-buildpackage writes
# into the tree (debian/.debhelper, debian/iommu-inspect/) and its parent.
SRC=$TMP/src/iommu-inspect
mkdir -p "$SRC"
tar -C "$TOP" --exclude=./.git --exclude='./build*' -cf - . | tar -C "$SRC" -xf -
if (cd "$SRC" && dpkg-buildpackage -us -uc -b) >"$TMP/build.log" 2>&1; then
	pass deb-build
else
	fail deb-build "dpkg-buildpackage -us -uc -b failed: $(tail -n 5 "$TMP/build.log" | tr '\n' ' ')"
	finish
fi
version=$(cd "$SRC" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
DEB=$TMP/src/iommu-inspect_${version}_$arch.deb
CHANGES=$TMP/src/iommu-inspect_${version}_$arch.changes

want=$("$BIN" --version | awk '{ print $2; exit }')
if [[ $version == "$want" ]]; then
	pass deb-version
else
	fail deb-version "debian/changelog says $version, iommu-inspect --version $want"
fi

# The files of the package: exactly these.
{
	echo lib/systemd/system/
	for u in systemd/*.in; do u=${u#systemd/}; echo "lib/systemd/system/${u%.in}"; done
	echo usr/bin/iommu-inspect
	for m in man/*.8; do echo "usr/share/man/man8/${m#man/}.gz"; done
	echo usr/share/bash-completion/completions/iommu-inspect
	echo usr/share/zsh/vendor-completions/_iommu-inspect
	echo usr/share/fish/vendor_completions.d/iommu-inspect.fish
	echo usr/share/doc/iommu-inspect/README.md.gz
	echo usr/share/doc/iommu-inspect/changelog.gz
	echo usr/share/doc/iommu-inspect/copyright
} | grep -v '/$' | sort >"$TMP/want-files"
if [[ -f $DEB ]]; then
	dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ { sub(/^\.\//, "", $6); print $6 }' | sort >"$TMP/got-files"
	if cmp -s "$TMP/want-files" "$TMP/got-files"; then
		pass deb-contents
	else
		fail deb-contents "$(diff "$TMP/want-files" "$TMP/got-files" | grep '^[<>]' |
			sed 's/^</missing/; s/^>/unexpected/' | head -n 6 | tr '\n' ';')"
	fi
else
	fail deb-contents "no $(basename "$DEB") after the build"
fi

# ------------------------------------------------------------------ lintian

if ! command -v lintian >/dev/null; then
	skip deb-lintian "lintian is not installed (make deb-deps installs it)"
else
	lintian --fail-on error,warning -I --pedantic "$CHANGES" >"$TMP/lintian.out" 2>"$TMP/lintian.err"
	rc=$?
	# what it said, for the reader of the log (info and pedantic tags do not fail)
	sed 's/^/# lintian: /' "$TMP/lintian.out" >&2
	if [[ $rc == 0 ]] && ! grep -q '^[EW]: ' "$TMP/lintian.out"; then
		pass deb-lintian
	else
		fail deb-lintian "status $rc: $(grep -E '^[EW]: ' "$TMP/lintian.out" | head -n 5 | tr '\n' ';')$(
			grep -v 'root privileges' "$TMP/lintian.err" | head -n 2 | tr '\n' ' ')"
	fi
fi

# ------------------------------------------------ install, run, remove

why=""
if [[ $(id -u) != 0 ]]; then
	why="not root: dpkg -i needs root"
elif dpkg-query -W -f='${Status}' iommu-inspect 2>/dev/null | grep -q ' installed'; then
	why="an iommu-inspect package is already installed here: not replacing it"
elif [[ ! -f $DEB ]]; then
	why="no package was built"
fi
checks=(deb-install deb-installed-version deb-man-w deb-unit-not-enabled deb-remove)
if [[ -n $why ]]; then
	for c in "${checks[@]}"; do skip "$c" "$why"; done
	finish
fi

INSTALLED_BY_US=1
if dpkg -i "$DEB" >"$TMP/dpkg-i.log" 2>&1; then
	pass deb-install
else
	fail deb-install "dpkg -i failed: $(tail -n 3 "$TMP/dpkg-i.log" | tr '\n' ' ')"
fi
dpkg -L iommu-inspect 2>/dev/null | while read -r f; do [[ ! -d $f && ( -f $f || -L $f ) ]] && echo "$f"; done \
	>"$TMP/package-files"

got=$(/usr/bin/iommu-inspect --version 2>&1)
if [[ $got == "$("$BIN" --version)" ]]; then
	pass deb-installed-version
else
	fail deb-installed-version "/usr/bin/iommu-inspect --version said '$got'"
fi

if ! command -v man >/dev/null; then
	skip deb-man-w "man (man-db) is not installed"
elif grep -rqs '^path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/; then
	skip deb-man-w "this system's dpkg leaves out /usr/share/man (path-exclude in /etc/dpkg)"
else
	got=$(man -w iommu-inspect 2>&1)
	if [[ $got == /usr/share/man/man8/iommu-inspect.8.gz ]]; then
		pass deb-man-w
	else
		fail deb-man-w "man -w iommu-inspect said '$got'"
	fi
fi

# dh_installsystemd --no-enable: every unit of systemd/ installed, none enabled.
why=""
for t in systemd/*.in; do
	u=${t#systemd/}
	u=${u%.in}
	if [[ ! -f /lib/systemd/system/$u ]]; then
		why+=" $u was not installed;"
	elif compgen -G "/etc/systemd/system/*.wants/$u" >/dev/null; then
		why+=" installing the package enabled $u;"
	fi
done
if [[ -z $why ]]; then
	pass deb-unit-not-enabled
else
	fail deb-unit-not-enabled "$why"
fi

if dpkg -r iommu-inspect >"$TMP/dpkg-r.log" 2>&1; then
	left=""
	while read -r f; do [[ -e $f || -L $f ]] && left+=" $f"; done <"$TMP/package-files"
	if [[ ! -s $TMP/package-files ]]; then
		fail deb-remove "dpkg -L listed no file of the installed package"
	elif [[ -n $left ]]; then
		fail deb-remove "files left after dpkg -r:$left"
	else
		pass deb-remove
	fi
else
	fail deb-remove "dpkg -r failed: $(tail -n 3 "$TMP/dpkg-r.log" | tr '\n' ' ')"
fi
dpkg --purge iommu-inspect >/dev/null 2>&1 && INSTALLED_BY_US=0

finish
