#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile and broken trees: a recorded tree may come from anyone, so whatever it holds,
# snapshot writes nothing outside OUT, no command hangs, reads the host's own files or
# devices, or sends the tree's control bytes to the terminal, and a snapshot that was
# not finished never passes for a complete one. Every check is built from the reproducer
# of a reported defect; the trees are made by mk-hostile.sh. Checks that need root
# (device nodes, a small tmpfs) print "SKIP name: why" otherwise.
# Usage: t-hostile.sh BIN (PASS/FAIL/SKIP lines and the plan, tests/lib.sh).
# asan: yes
set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
REPO=$PWD
MK=$REPO/tests/hostile/mk-hostile.sh
F=$REPO/fixtures/intel-q35
IDS=$REPO/fixtures/pci.ids
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iommu-inspect-hostile.XXXXXX")
# the victims of links out of a tree: outside TMP's tree copies, and not below /dev
# (a tree whose dev/ is a link cannot also hold the path it leads to under dev/)
VTOP=$(mktemp -d /tmp/iommu-inspect-victims.XXXXXX)
cleanup() {
	mountpoint -q "$TMP/small" 2>/dev/null && umount "$TMP/small"
	rm -rf "$TMP" "$VTOP"
}
trap cleanup EXIT
ROOT_USER=0
[ "$(id -u)" = 0 ] && ROOT_USER=1
T=60 # seconds: any command that takes longer is hung (generous: the machine may be busy)

# run NAME ARGS...: the binary, with a time limit; stdout in $L/NAME.out, stderr in
# $L/NAME.err, exit status in RC (124: it hung)
L=$TMP/log
run() {
	local name=$1
	shift
	mkdir -p "$(dirname "$L/$name")"
	timeout -k 5 $T "$BIN" "$@" > "$L/$name.out" 2> "$L/$name.err"
	RC=$?
}
# empty DIR: DIR holds nothing (it exists)
empty() { [ -d "$1" ] && [ -z "$(ls -A "$1")" ]; }
# strip_root ROOT FILE: the output without the root's name, to compare two roots
strip_root() { sed -e "s|$1:*/*||g" "$2"; }
# same_json NAME ROOT_A ROOT_B CMD...: the JSON of a command agrees on both roots
same_json() {
	local name=$1 a=$2 b=$3
	shift 3
	"$BIN" --root "$a" --pci-ids "$IDS" "$@" -j 2>/dev/null > "$TMP/a.json"
	"$BIN" --root "$b" --pci-ids "$IDS" "$@" -j 2>/dev/null > "$TMP/b.json"
	if cmp -s <(strip_root "$a" "$TMP/a.json") <(strip_root "$b" "$TMP/b.json"); then
		pass "$name"
	else
		fail "$name" "$(diff <(strip_root "$a" "$TMP/a.json") <(strip_root "$b" "$TMP/b.json") | head -c 300)"
	fi
}

# --- 1. snapshot writes outside OUT ----------------------------------------------------
# dev -> VICTIM (absolute), sys/kernel/debug -> ../../../victim2 (climbs out): the links
# were recreated in OUT and then written through.
V=$VTOP/victim
mkdir -p "$V" "$VTOP/victim2"
"$MK" links-out "$F" "$VTOP/t" "$V"
run links/dir --root "$VTOP/t" snapshot "$TMP/out"
if [ $RC = 0 ] && empty "$V" && empty "$VTOP/victim2"; then
	pass links/dir/nothing-written-outside
else
	fail links/dir/nothing-written-outside "exit $RC; outside: $(ls -A "$V" "$VTOP/victim2" | tr '\n' ' ')"
fi
[ -L "$TMP/out/dev" ] && [ "$(readlink "$TMP/out/dev")" = "$V" ] &&
	pass links/dir/link-kept-as-link || fail links/dir/link-kept-as-link "OUT/dev is not the link"
[ -f "$TMP/out/iommu-inspect-snapshot.txt" ] && [ ! -L "$TMP/out/iommu-inspect-snapshot.txt" ] &&
	[ ! -e "$V/info" ] && pass links/dir/info-not-through-link ||
	fail links/dir/info-not-through-link "description missing, a link, or written to $V/info"
same_json links/dir/replays-the-same "$VTOP/t" "$TMP/out" status
[ -f "$TMP/out/victim2/iommu/intel/iommu_regset" ] && pass links/dir/debugfs-where-the-replay-finds-it ||
	fail links/dir/debugfs-where-the-replay-finds-it "$(cd "$TMP/out" && find . -name iommu_regset)"

run links/archive --root "$VTOP/t" snapshot "$TMP/out.tar.gz"
[ $RC = 0 ] && empty "$V" && empty "$VTOP/victim2" && pass links/archive/nothing-written-outside ||
	fail links/archive/nothing-written-outside "exit $RC; outside: $(ls -A "$V" "$VTOP/victim2" | tr '\n' ' ')"
# through an archive root into an archive OUT, with a private TMPDIR to see what is left
mkdir -p "$TMP/tmpdir"
TMPDIR=$TMP/tmpdir run links/archive-to-archive --root "$TMP/out.tar.gz" snapshot "$TMP/out2.tar.xz"
[ $RC = 0 ] && empty "$V" && empty "$VTOP/victim2" && [ ! -e "$TMP/victim2" ] &&
	pass links/archive-to-archive/nothing-written-outside ||
	fail links/archive-to-archive/nothing-written-outside "exit $RC; $(head -c 300 "$L/links/archive-to-archive.err" 2>/dev/null)"
same_json links/archive-to-archive/replays-the-same "$VTOP/t" "$TMP/out2.tar.xz" status

# OUT itself holds a link (someone put it there): --force writes around it, not through it
mkdir -p "$TMP/planted"
ln -s "$V" "$TMP/planted/sys"
run links/planted --root "$F" snapshot --force "$TMP/planted"
empty "$V" && grep -q 'never writes through a link' "$L/links/planted.err" &&
	pass links/planted-link-in-out || fail links/planted-link-in-out "exit $RC; victim: $(ls -A "$V")"

# --- 2. device nodes (root only) ---------------------------------------------------------
if [ $ROOT_USER = 1 ]; then
	"$MK" devices "$F" "$TMP/dev-tree"
	tar -C "$TMP/dev-tree" -cf "$TMP/dev.tar" .
	# the kernel log as (1,11): what status says must be what it says with no log at all
	"$MK" devices "$F" "$TMP/no-log"
	rm -f "$TMP/no-log/dev/kmsg"
	run dev/status --root "$TMP/dev.tar" status
	grep -q 'dev/kmsg' "$L/dev/status.err" && [ $RC != 124 ] && pass devices/kmsg-named-in-a-warning ||
		fail devices/kmsg-named-in-a-warning "exit $RC; $(head -c 300 "$L/dev/status.err")"
	# (the evidence says why the log is unknown: not read, or not there)
	for r in dev.tar no-log; do
		"$BIN" --root "$TMP/$r" --pci-ids "$IDS" status -j 2>/dev/null |
			python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("warnings"); print(json.dumps(d,sort_keys=True))' |
			sed -e "s|$TMP/$r:*/*||g" -e 's/No such device or address/ERR/; s/No such file or directory/ERR/'
	done > "$TMP/ab.json"
	sed -n 1p "$TMP/ab.json" > "$TMP/a.json"
	sed -n 2p "$TMP/ab.json" > "$TMP/b.json"
	cmp -s "$TMP/a.json" "$TMP/b.json" && pass devices/host-kernel-log-not-read ||
		fail devices/host-kernel-log-not-read "$(diff "$TMP/a.json" "$TMP/b.json" | head -c 400)"
	# a config as (1,5): snapshot must end, small, naming the file
	run dev/snapshot --root "$TMP/dev.tar" snapshot "$TMP/dev-out.tar"
	size=$(stat -c %s "$TMP/dev-out.tar" 2>/dev/null || echo 0)
	[ $RC = 0 ] && [ "$size" -lt 5000000 ] && grep -q '/config: not a regular file' "$L/dev/snapshot.err" &&
		grep -q '/type: not a regular file' "$L/dev/snapshot.err" && pass devices/snapshot-skips-them ||
		fail devices/snapshot-skips-them "exit $RC, $size bytes; $(head -c 300 "$L/dev/snapshot.err")"
	# the same as a directory tree
	run dev/groups --root "$TMP/dev-tree" groups
	[ $RC = 0 ] && grep -q 'type: not a regular file' "$L/dev/groups.err" && pass devices/directory-tree ||
		fail devices/directory-tree "exit $RC; $(head -c 300 "$L/dev/groups.err")"
else
	skip devices "not root: device nodes need mknod as root"
fi
# the live system's dev/kmsg is the one character device that is read
if [ -c /dev/kmsg ] && [ -r /dev/kmsg ]; then
	run live/status status
	! grep -q 'dev/kmsg' "$L/live/status.err" && pass live/kmsg-read ||
		fail live/kmsg-read "$(grep 'dev/kmsg' "$L/live/status.err" | head -c 300)"
else
	skip live/kmsg-read "/dev/kmsg is not readable here"
fi

# --- 3. FIFOs in place of files: nothing hangs, each is named --------------------------
"$MK" fifos "$F" "$TMP/fifo-tree"
tar -C "$TMP/fifo-tree" -cf "$TMP/fifo.tar" .
for root in fifo-tree fifo.tar; do
	for c in groups status devices iommus faults acpi; do
		run "fifo/$root-$c" --root "$TMP/$root" "$c"
		[ $RC != 124 ] && pass "fifo/$root/$c-does-not-hang" || fail "fifo/$root/$c-does-not-hang" "killed after ${T}s"
	done
	grep -q 'iommu_groups/1/type: not a regular file' "$L/fifo/$root-groups.err" &&
		pass "fifo/$root/type-named" || fail "fifo/$root/type-named" "$(head -c 300 "$L/fifo/$root-groups.err")"
	grep -q 'proc/cmdline' "$L/fifo/$root-status.err" && grep -q 'proc/version' "$L/fifo/$root-status.err" &&
		pass "fifo/$root/proc-named" || fail "fifo/$root/proc-named" "$(head -c 300 "$L/fifo/$root-status.err")"
	grep -q 'dev/kmsg' "$L/fifo/$root-faults.err" && pass "fifo/$root/kmsg-named" ||
		fail "fifo/$root/kmsg-named" "$(head -c 300 "$L/fifo/$root-faults.err")"
	grep -q 'DMAR' "$L/fifo/$root-acpi.err" "$L/fifo/$root-acpi.out" && pass "fifo/$root/dmar-named" ||
		fail "fifo/$root/dmar-named" "$(head -c 300 "$L/fifo/$root-acpi.err")"
	rm -rf "$TMP/fifo-out"
	run "fifo/$root-snapshot" --root "$TMP/$root" snapshot "$TMP/fifo-out"
	[ $RC = 0 ] && [ ! -p "$TMP/fifo-out/proc/cmdline" ] && pass "fifo/$root/snapshot" ||
		fail "fifo/$root/snapshot" "exit $RC; $(head -c 300 "$L/fifo/$root-snapshot.err")"
done

# --- 6. a dangling symbolic link as OUT is not followed --------------------------------
mkdir -p "$TMP/elsewhere"
ln -s "$TMP/elsewhere/x.tar.gz" "$TMP/dangling.tar.gz"
ln -s "$TMP/elsewhere/newdir" "$TMP/dangling-dir"
for force in "" --force; do
	run out-link --root "$F" snapshot $force "$TMP/dangling.tar.gz"
	[ $RC = 1 ] && [ ! -e "$TMP/elsewhere/x.tar.gz" ] && grep -q 'symbolic link' "$L/out-link.err" &&
		pass "out-link/archive${force:+-force}" || fail "out-link/archive${force:+-force}" "exit $RC; $(ls -A "$TMP/elsewhere")"
	run out-link --root "$F" snapshot $force "$TMP/dangling-dir"
	[ $RC = 1 ] && [ ! -e "$TMP/elsewhere/newdir" ] && grep -q 'symbolic link' "$L/out-link.err" &&
		pass "out-link/directory${force:+-force}" || fail "out-link/directory${force:+-force}" "exit $RC; $(ls -A "$TMP/elsewhere")"
done
[ -z "$(ls -A "$TMP/elsewhere")" ] && [ -z "$(ls -A "$TMP" | grep '^\.dangling')" ] &&
	pass out-link/no-temporary-file-left || fail out-link/no-temporary-file-left "$(ls -A "$TMP" | grep '^\.')"

# --- 7. partial snapshots are never left as if complete ---------------------------------
# wait_gone GLOB...: the cleanup process removes what an interrupted run left, at once
wait_gone() {
	for _ in $(seq 50); do
		compgen -G "$1" > /dev/null || return 0
		sleep 0.1
	done
	return 1
}
mkdir -p "$TMP/partial" "$TMP/ptmp"
# a file size limit under the archive (each file fits, the archive does not)
(ulimit -f 100; TMPDIR=$TMP/ptmp exec timeout $T "$BIN" --root "$F" snapshot "$TMP/partial/p.tar") \
	> /dev/null 2> "$L/partial.err"
RC=$?
[ $RC = 1 ] && [ ! -e "$TMP/partial/p.tar" ] && wait_gone "$TMP/partial/.p.tar.*" && wait_gone "$TMP/ptmp/*" &&
	pass partial/archive-over-a-size-limit || fail partial/archive-over-a-size-limit \
	"exit $RC; left: $(ls -A "$TMP/partial" "$TMP/ptmp" | tr '\n' ' '); $(head -c 200 "$L/partial.err")"
run partial/rerun --root "$F" snapshot "$TMP/partial/p.tar"
[ $RC = 0 ] && pass partial/archive-rerun || fail partial/archive-rerun "exit $RC; $(head -c 300 "$L/partial/rerun.err")"
# ... under a directory OUT that the snapshot makes: removed
(ulimit -f 16; exec timeout $T "$BIN" --root "$F" snapshot "$TMP/partial/d") > /dev/null 2> "$L/partial.err"
RC=$?
[ $RC = 1 ] && [ ! -e "$TMP/partial/d" ] && pass partial/new-directory-removed ||
	fail partial/new-directory-removed "exit $RC; $(ls -A "$TMP/partial/d" 2>&1 | head -5 | tr '\n' ' ')"
# ... under an empty directory OUT that was there: marked, and the replay says so
mkdir "$TMP/partial/e"
(ulimit -f 16; exec timeout $T "$BIN" --root "$F" snapshot "$TMP/partial/e") > /dev/null 2> "$L/partial.err"
RC=$?
run partial/replay --root "$TMP/partial/e" groups -j
[ -e "$TMP/partial/e/iommu-inspect-snapshot.unfinished" ] && grep -q 'not finished' "$L/partial/replay.err" &&
	grep -q 'not finished' "$L/partial/replay.out" && pass partial/unfinished-directory-reported ||
	fail partial/unfinished-directory-reported "exit $RC; $(head -c 300 "$L/partial/replay.err")"
run partial/force --root "$F" snapshot --force "$TMP/partial/e"
[ $RC = 0 ] && [ ! -e "$TMP/partial/e/iommu-inspect-snapshot.unfinished" ] && pass partial/finished-unmarked ||
	fail partial/finished-unmarked "exit $RC"
# SIGINT while tar packs (a tar that waits first stands for a slow one)
mkdir -p "$TMP/fakebin" "$TMP/itmp"
cat > "$TMP/fakebin/tar" <<EOF
#!/bin/sh
case " \$* " in *" -c "*) touch "$TMP/tar-started"; sleep 30 ;; esac
exec $(command -v tar) "\$@"
EOF
chmod +x "$TMP/fakebin/tar"
# the command and its tar in a process group of their own, as at a terminal, with SIGINT as
# it is there (a shell that started this script in the background made it ignored)
set -m
PATH=$TMP/fakebin:$PATH TMPDIR=$TMP/itmp python3 -c '
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$BIN" --root "$F" snapshot "$TMP/partial/i.tar.gz" > /dev/null 2>&1 &
pid=$!
set +m
for _ in $(seq 100); do [ -e "$TMP/tar-started" ] && break; sleep 0.1; done
kill -INT -- -$pid 2>/dev/null
wait $pid 2>/dev/null
if [ -e "$TMP/tar-started" ] && [ ! -e "$TMP/partial/i.tar.gz" ] && wait_gone "$TMP/partial/.i.tar.gz.*" &&
	wait_gone "$TMP/itmp/*"; then
	pass partial/sigint-while-packing
else
	fail partial/sigint-while-packing "left: $(ls -A "$TMP/partial" "$TMP/itmp" | tr '\n' ' ')"
fi
# a file system that fills up (a small tmpfs, when this user may mount one)
mkdir -p "$TMP/small"
if [ $ROOT_USER = 1 ] && mount -t tmpfs -o size=96k tmpfs "$TMP/small" 2>/dev/null; then
	run partial/full --root "$F" snapshot "$TMP/small/out"
	[ $RC = 1 ] && [ ! -e "$TMP/small/out" ] && grep -q 'No space left' "$L/partial/full.err" &&
		pass partial/disk-full-directory || fail partial/disk-full-directory "exit $RC; $(ls -A "$TMP/small")"
	run partial/full-archive --root "$F" snapshot "$TMP/small/out.tar"
	[ $RC = 1 ] && [ -z "$(ls -A "$TMP/small")" ] && pass partial/disk-full-archive ||
		fail partial/disk-full-archive "exit $RC; $(ls -A "$TMP/small")"
	umount "$TMP/small"
else
	skip partial/disk-full "cannot mount a small tmpfs here (not root, or no CAP_SYS_ADMIN)"
fi

# --- 8. terminal escapes: shown as \xNN, in text and in warnings -------------------------
"$MK" escapes "$F" "$TMP/esc"
raw=""
for c in groups devices status iommus; do
	run "esc-$c" --root "$TMP/esc" --pci-ids "$IDS" "$c"
	LC_ALL=C grep -q -P '[\x00-\x08\x0b-\x1f\x7f\x9b]|\xc2[\x80-\x9f]' "$L/esc-$c.out" "$L/esc-$c.err" &&
		raw="$raw $c"
done
[ -z "$raw" ] && pass escapes/no-control-bytes || fail escapes/no-control-bytes "raw in:$raw"
grep -q -F 'e1000e\x1b]0;PWNED\x07' "$L/esc-devices.out" && grep -q -F 'eth\x1b[31m0\x07' "$L/esc-devices.out" &&
	pass escapes/driver-and-interface-shown-escaped ||
	fail escapes/driver-and-interface-shown-escaped "$(head -c 400 "$L/esc-devices.out")"
grep -q -F 'DMA\x1b[2J\xc2\x9b31m\x9b32m' "$L/esc-groups.out" && grep -q -F '\x1b[2J' "$L/esc-groups.err" &&
	pass escapes/type-shown-escaped || fail escapes/type-shown-escaped "$(grep -a type "$L/esc-groups.err" | head -c 300)"
"$BIN" --root "$TMP/esc" devices -j 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert any(x["driver"] == "e1000e\x1b]0;PWNED\x07" for x in d["devices"]), "driver"' &&
	pass escapes/json-keeps-the-bytes || fail escapes/json-keeps-the-bytes "driver name changed in JSON"

# --- 12. NUL bytes inside attributes are reported --------------------------------------
"$MK" nuls "$F" "$TMP/nul"
run nul --root "$TMP/nul" groups -j
grep -q 'iommu_groups/1/type: unexpected content: a NUL byte' "$L/nul.err" &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["groups"][1]["type"] is None' "$L/nul.out" &&
	pass nul/type || fail nul/type "$(head -c 300 "$L/nul.err")"
grep -q 'iommu_groups/2/reserved_regions: unexpected content: a NUL byte' "$L/nul.err" && pass nul/reserved-regions ||
	fail nul/reserved-regions "$(head -c 300 "$L/nul.err")"
# a NUL in proc/cmdline must not cut the command line short (iommu=pt would be lost unsaid):
# it is unreadable, said, and the parameters come from the kernel log instead
run nul-cmdline --root "$TMP/nul" status -j
grep -q 'proc/cmdline: unexpected content: a NUL byte' "$L/nul-cmdline.err" &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["kernel_parameters_source"] == "kernel log"' "$L/nul-cmdline.out" &&
	pass nul/cmdline || fail nul/cmdline "$(head -c 300 "$L/nul-cmdline.err")"

# --- also: snapshot into the tree being read; one size cap for every copied file ---------
cp -a "$F" "$TMP/self"
run inside --root "$TMP/self" snapshot "$TMP/self/snap"
run inside-archive --root "$TMP/self" snapshot "$TMP/self/sys/snap.tar.gz"
[ $RC = 1 ] && grep -q 'inside the tree' "$L/inside.err" && grep -q 'inside the tree' "$L/inside-archive.err" &&
	[ ! -e "$TMP/self/snap" ] && [ ! -e "$TMP/self/sys/snap.tar.gz" ] && pass inside-the-tree-refused ||
	fail inside-the-tree-refused "$(head -c 300 "$L/inside.err")"
"$MK" big-config "$F" "$TMP/big"
run big --root "$TMP/big" snapshot "$TMP/big-out"
cfg=$(find "$TMP/big-out" -name config -size +1M)
[ $RC = 0 ] && [ -n "$cfg" ] && [ "$(stat -c %s "$cfg")" = $((64 << 20)) ] &&
	grep -q '/config: larger than 64 MiB' "$L/big.err" && pass size-cap/config ||
	fail size-cap/config "exit $RC; $cfg; $(head -c 300 "$L/big.err")"
rm -rf "$TMP/big" "$TMP/big-out"

# --- every read stays inside the tree (strace) -------------------------------------------
if command -v strace > /dev/null 2>&1; then
	outside=""
	for c in groups devices iommus status faults acpi domains mappings; do
		strace -f -qq -s 4096 -e trace=%file,openat2 -o "$TMP/strace" \
			"$BIN" --root "$VTOP/t" --pci-ids "$IDS" "$c" > /dev/null 2>&1
		# every path: relative (below the tree's descriptor) or in the tree, but what any
		# program opens to start (itself, the loader, libraries), the --pci-ids file and
		# what libpci opens beside it (the cache of names in the user's home, found through
		# the password database), the time zone, and the sanitizer runtime's /proc/self
		home=$(getent passwd "$(id -u)" | cut -d: -f6)
		bad=$(grep -o '"[^"]*"' "$TMP/strace" | tr -d '"' | grep '^/' |
			grep -v -x -e "$VTOP/t" -e "$VTOP/t/.*" -e "$BIN" -e '/etc/ld\.so\..*' -e '/lib/.*' \
				-e '/usr/lib/.*' -e "$IDS" -e "${home:-/nonexistent}/\.pciids-cache" -e / \
				-e '/etc/nsswitch\.conf' -e '/etc/passwd' -e '/etc/localtime' \
				-e '/usr/share/zoneinfo/.*' -e '/proc/self/.*' |
			sort -u | head -3 | tr '\n' ' ')
		[ -n "$bad" ] && outside="$outside $c: $bad;"
	done
	[ -z "$outside" ] && pass reads-stay-inside-the-tree || fail reads-stay-inside-the-tree "$outside"
else
	skip reads-stay-inside-the-tree "strace is not installed"
fi

# --- no sanitizer report in any run (when BIN is the sanitizer build) ---------------------
reports=$(grep -l -a -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' \
	-r "$L" 2>/dev/null | head -3 | tr '\n' ' ')
[ -z "$reports" ] && pass sanitizer-clean || fail sanitizer-clean "$reports"
finish
