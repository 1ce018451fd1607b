#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-journal.sh BIN: `faults --boot`, `--list-boots`, `--journal-dir`,
# `--journal-file` and `snapshot --journal-boots` on real journal files, which
# systemd's own systemd-journal-remote writes from the journal export format
# that tests/faults/mk-journal.py makes (two boots of fixtures/intel-faults'
# machine, kernel entries and other programs'); journalctl reading the same
# files is the reference:
#   - the boots listed are journalctl --list-boots' (ids, order);
#   - each boot's faults are those of `journalctl -k -b N -o short-monotonic`
#     piped into `faults --dmesg-file -`, and the manifest's;
#   - --boot by number, by id, counted from the first; missing boots;
#   - attribution: a tree of the machine whose boot id is the last boot joins
#     its faults with devices and groups, an earlier boot does not (and says so);
#   - a snapshot with --journal-boots replays the same, and its export goes
#     back into a journal that journalctl reads;
#   - two real boots of the QEMU machine (fixtures/journal-qemu): the previous
#     boot's faults are journalctl's, every one decoded;
#   - bad input: a truncated journal file, a file that is not a journal, a
#     damaged one, a directory without a journal, a journal rotated while it is
#     read, and (as root) a journal the user may not read: a message naming the
#     fix, what could be read, never a crash.
# Prints "PASS name", "FAIL name: why" or "SKIP name: why" lines and the plan
# (tests/lib.sh); exit status 0 when it ran to its end.

set -u
. "$(dirname "$0")/../lib.sh" || exit 1
BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail journal-usage "no executable BIN given"
	finish
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
cd "$(dirname "$0")/../.." || exit 1
export LC_ALL=C.UTF-8 TZ=UTC
unset IOMMU_INSPECT_TEST_BOOTTIME
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-journal.XXXXXX") || exit 1
trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
run() { timeout 120 "$BIN" --pci-ids fixtures/pci.ids "$@"; }

REMOTE=
for r in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
	[[ -x $r ]] && REMOTE=$r && break
done
if [[ -z $REMOTE ]] || ! command -v journalctl > /dev/null; then
	skip journal "systemd-journal-remote or journalctl is not installed (apt install systemd-journal-remote)"
	finish
fi

# py NAME SCRIPT ARGS...: the script prints nothing when all is well, else why.
py() {
	local name=$1 why
	shift
	why=$(python3 -c "$@" 2>&1)
	if [[ -z $why ]]; then pass "$name"; else fail "$name" "$(printf '%s' "$why" | head -c 400)"; fi
}

# ------------------------------------------------------------- the journal

python3 tests/faults/mk-journal.py --out "$TMP/two.export"
MAN=$TMP/two.json
J=$TMP/j
mkdir -p "$J"
if ! "$REMOTE" -o "$J/system.journal" "$TMP/two.export" > "$TMP/remote.log" 2>&1; then
	fail journal-remote "systemd-journal-remote failed: $(tail -c 300 "$TMP/remote.log")"
	finish
fi
OLD=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["boots"][0]["id"])' "$MAN")
NEW=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["boots"][1]["id"])' "$MAN")
MID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["machine_id"])' "$MAN")

# ------------------------------------------------------------ list of boots

journalctl --file "$J/system.journal" --list-boots --no-pager 2> /dev/null |
	awk 'NR > 1 { print $1, $2 }' > "$TMP/ref-boots"
run faults --journal-file "$J/system.journal" --list-boots -j > "$TMP/boots.json" 2> "$TMP/boots.err"
py list-boots-as-journalctl '
import json, sys
got = ["%d %s" % (b["index"], b["id"]) for b in json.load(open(sys.argv[1]))["boots"]]
want = open(sys.argv[2]).read().split("\n")[:-1]
if got != want or len(got) != 2:
    print(got, want)
' "$TMP/boots.json" "$TMP/ref-boots"
run faults --journal-dir "$J" --list-boots > "$TMP/boots.txt" 2>&1
if grep -q "^ *-1 $OLD " "$TMP/boots.txt" && grep -q "^ *0 $NEW " "$TMP/boots.txt"; then
	pass list-boots-text
else
	fail list-boots-text "$(head -c 300 "$TMP/boots.txt")"
fi

# --------------------------------------- each boot's faults: the references

key='[(f["vendor"], f["bdf"], f["address"], f["timestamp_us"]) for f in d["faults"]]'
for n in -1 0; do
	journalctl --file "$J/system.journal" -k -b "$n" -o short-monotonic --no-pager 2> /dev/null |
		run faults --dmesg-file - --list -j > "$TMP/ref$n.json" 2> /dev/null
	run faults --journal-file "$J/system.journal" --boot="$n" --list -j > "$TMP/got$n.json" \
		2> "$TMP/got$n.err"
	py "boot$n-same-as-journalctl" "
import json, sys
d = json.load(open(sys.argv[1])); want = $key
d = json.load(open(sys.argv[2])); got = $key
if got != want or not got:
    print('%d faults, want %d: %s' % (len(got), len(want), [g for g in got if g not in want][:2]))
" "$TMP/ref$n.json" "$TMP/got$n.json"
	i=$((n + 1))
	py "boot$n-manifest" "
import json, sys
m = json.load(open(sys.argv[1]))['boots'][$i]
d = json.load(open(sys.argv[2]))
want = [(f['vendor'], f['bdf'], f['address'], f['usec']) for f in m['faults']]
got = [(f['vendor'], f['bdf'], f['address'], f['timestamp_us']) for f in d['faults']]
if got != want:
    print(got, want)
if d['journal']['boot']['id'] != m['id'] or d['log']['format'] != 'journal':
    print(d['journal'], d['log'])
if d['summary']['unparsed'] or d['unparsed']:
    print('unparsed', d['unparsed'])
if any(f['time'] is None for f in d['faults']):
    print('a fault without a date')
" "$MAN" "$TMP/got$n.json"
done
if [[ -s $TMP/got0.err ]]; then fail boot-no-warning "$(head -c 300 "$TMP/got0.err")"; else pass boot-no-warning; fi

# ------------------------------------------ real boots (fixtures/journal-qemu)
# Two boots of the QEMU machine: faults in the first, none in the second (its
# README). The previous boot's faults are those journalctl holds, all decoded.
Q=fixtures/journal-qemu
mkdir -p "$TMP/q"
if python3 tests/faults/mk-journal.py --out "$TMP/q.export" \
	--boot "$Q/boot1.kmsg,$(cat $Q/boot1.boot_id),$(cat $Q/boot1.btime)" \
	--boot "$Q/boot2.kmsg,$(cat $Q/boot2.boot_id),$(cat $Q/boot2.btime)" > /dev/null &&
	"$REMOTE" -o "$TMP/q/system.journal" "$TMP/q.export" > "$TMP/q.log" 2>&1; then
	pass real-boots-journal
	QJ=$TMP/q/system.journal
	run faults --journal-file "$QJ" --list-boots -j > "$TMP/q-boots.json" 2> /dev/null
	journalctl --file "$QJ" -k -b -1 -o short-monotonic --no-pager 2> /dev/null > "$TMP/q-ref.txt"
	run faults --dmesg-file "$TMP/q-ref.txt" --list -j > "$TMP/q-ref.json" 2> /dev/null
	run faults --journal-file "$QJ" --boot=-1 --list -j > "$TMP/q-prev.json" 2> "$TMP/q-prev.err"
	run faults --journal-file "$QJ" --boot=0 --list -j > "$TMP/q-cur.json" 2> /dev/null
	py real-boots "
import json, sys
ids = [open('$Q/boot%d.boot_id' % n).read().strip().replace('-', '') for n in (1, 2)]
got = [b['id'] for b in json.load(open(sys.argv[1]))['boots']]
if got != ids:
    print('boots', got, ids)
key = lambda d: [(f['bdf'], f['address'], f['access'], f['reason_code'], f['timestamp_us']) for f in d['faults']]
ref, prev, cur = (json.load(open(p)) for p in sys.argv[2:5])
lines = sum('DMAR: [DMA ' in l for l in open(sys.argv[5]))
if key(prev) != key(ref) or len(key(prev)) != 7 or lines != 7:
    print('previous boot: %d faults, journalctl text %d, %d fault lines' % (len(key(prev)), len(key(ref)), lines))
if prev['unparsed'] or prev['summary']['unparsed'] or cur['faults']:
    print('unparsed', prev['unparsed'], 'second boot', len(cur['faults']))
if prev['journal']['boot']['id'] != ids[0] or any(not f['time'] for f in prev['faults']):
    print(prev['journal'])
" "$TMP/q-boots.json" "$TMP/q-ref.json" "$TMP/q-prev.json" "$TMP/q-cur.json" "$TMP/q-ref.txt"
	if [[ -s $TMP/q-prev.err ]]; then fail real-boots-no-warning "$(head -c 300 "$TMP/q-prev.err")"; else pass real-boots-no-warning; fi
else
	fail real-boots-journal "mk-journal or systemd-journal-remote failed: $(tail -c 300 "$TMP/q.log")"
fi

# other ways of naming a boot
run faults --journal-file "$J/system.journal" --boot "$OLD" -j > "$TMP/byid.json" 2> /dev/null
run faults --journal-file "$J/system.journal" --boot 1 -j > "$TMP/first.json" 2> /dev/null
run faults --journal-file "$J/system.journal" --boot -1 -j > "$TMP/minus.json" 2> /dev/null
py boot-by-id-number-and-offset '
import json, sys
ids = [json.load(open(p))["journal"]["boot"]["id"] for p in sys.argv[1:4]]
if len(set(ids)) != 1 or ids[0] != sys.argv[4]:
    print(ids)
' "$TMP/byid.json" "$TMP/first.json" "$TMP/minus.json" "$OLD"
run faults --journal-file "$J/system.journal" --boot=-2 > "$TMP/missing.out" 2>&1
rc=$?
if [[ $rc = 1 ]] && grep -q "has no boot -2" "$TMP/missing.out"; then pass boot-missing; else fail boot-missing "exit $rc: $(head -c 200 "$TMP/missing.out")"; fi
run faults --boot=xyz > "$TMP/usage.out" 2>&1
rc=$?
if [[ $rc = 2 ]] && grep -q "boot number" "$TMP/usage.out"; then pass boot-usage; else fail boot-usage "exit $rc"; fi
run faults --boot --follow > /dev/null 2>&1
[[ $? = 2 ]] && pass boot-follow-usage || fail boot-follow-usage "not a usage error"
run faults --boot --dmesg-file /dev/null > /dev/null 2>&1
[[ $? = 2 ]] && pass boot-file-usage || fail boot-file-usage "not a usage error"

# ---------------------------------------------- a tree of the machine: attribution

R=$TMP/root
cp -a fixtures/intel-faults "$R"
mkdir -p "$R/etc" "$R/proc/sys/kernel/random" "$R/var/log/journal/$MID"
echo "$MID" > "$R/etc/machine-id"
python3 -c 'import sys; i = sys.argv[1]; print("%s-%s-%s-%s-%s" % (i[:8], i[8:12], i[12:16], i[16:20], i[20:]))' \
	"$NEW" > "$R/proc/sys/kernel/random/boot_id"
cp "$J/system.journal" "$R/var/log/journal/$MID/system.journal"
run --root "$R" faults --boot -j > "$TMP/cur.json" 2> "$TMP/cur.err"
run --root "$R" faults --boot=-1 -j > "$TMP/prev.json" 2> /dev/null
run --root "$R" faults --boot=-1 > "$TMP/prev.txt" 2> /dev/null
py attribution-current-boot-only '
import json, sys
cur, prev = (json.load(open(p)) for p in sys.argv[1:3])
if cur["journal"]["attribution"] != "current-boot" or not cur["journal"]["boot"]["current"]:
    print("current:", cur["journal"])
if not all(f["group"] == 15 for f in cur["faults"]):
    print("groups:", [f["group"] for f in cur["faults"]])
if prev["journal"]["attribution"] != "other-boot" or prev["journal"]["boot"]["current"]:
    print("previous:", prev["journal"])
if any(f["group"] is not None or f["driver"] is not None for f in prev["faults"]) or not prev["faults"]:
    print("previous boot attributed")
' "$TMP/cur.json" "$TMP/prev.json"
if grep -q "^Note: not the boot the devices are read from" "$TMP/prev.txt"; then pass attribution-note; else fail attribution-note "$(head -3 "$TMP/prev.txt")"; fi
run --root "$R" faults --boot=-1 --group 15 > "$TMP/grp.out" 2>&1
rc=$?
if [[ $rc = 1 ]] && grep -q "group needs the devices" "$TMP/grp.out"; then pass group-other-boot; else fail group-other-boot "exit $rc"; fi
run --root "$R" faults --list-boots > "$TMP/rb.txt" 2>&1
grep -q "$NEW.*(this boot)" "$TMP/rb.txt" && pass list-boots-this-boot || fail list-boots-this-boot "$(cat "$TMP/rb.txt")"

# ------------------------------------------------- snapshot --journal-boots

S=$TMP/snap
run --root "$R" snapshot --journal-boots 2 "$S" -j > "$TMP/snap.json" 2> "$TMP/snap.err"
py snapshot-journal-recorded '
import json, os, sys
d = json.load(open(sys.argv[1]))["snapshot"]
if d.get("journal") != {"boots": 2, "entries": 31}:
    print(d.get("journal"))
for f in ("iommu-inspect-journal.export", "proc/sys/kernel/random/boot_id"):
    if not os.path.exists(os.path.join(sys.argv[2], f)):
        print("no", f)
if os.path.exists(os.path.join(sys.argv[2], "var/log/journal")):
    print("the journal files were copied")
' "$TMP/snap.json" "$S"
for n in 0 -1; do
	run --root "$S" faults --boot="$n" -j > "$TMP/snap$n.json" 2> /dev/null
	run --root "$R" faults --boot="$n" -j > "$TMP/tree$n.json" 2> /dev/null
	py "snapshot-replays-boot$n" '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ka = [(f["bdf"], f["address"], f["timestamp_us"], f["group"], f["time"]) for f in a["faults"]]
kb = [(f["bdf"], f["address"], f["timestamp_us"], f["group"], f["time"]) for f in b["faults"]]
if ka != kb or a["journal"]["attribution"] != b["journal"]["attribution"]:
    print(ka[:2], kb[:2], a["journal"]["attribution"], b["journal"]["attribution"])
' "$TMP/snap$n.json" "$TMP/tree$n.json"
done
"$REMOTE" -o "$TMP/back.journal" "$S/iommu-inspect-journal.export" > /dev/null 2>&1
journalctl --file "$TMP/back.journal" -k -b -1 -o short-monotonic --no-pager 2> /dev/null |
	run faults --dmesg-file - -j > "$TMP/back.json" 2> /dev/null
py snapshot-export-back-to-journal '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ka = [(f["bdf"], f["address"], f["timestamp_us"]) for f in a["faults"]]
kb = [(f["bdf"], f["address"], f["timestamp_us"]) for f in b["faults"]]
if ka != kb or not ka:
    print(len(ka), len(kb))
' "$TMP/back.json" "$TMP/got-1.json"

# -------------------------------------------------------------- bad input

# a journal file cut short, among good ones: left out, named, the rest read
B=$TMP/bad
mkdir -p "$B/m"
cp "$J/system.journal" "$B/m/system.journal"
head -c 3000 "$J/system.journal" > "$B/m/system@cut.journal"
printf 'not a journal\n' > "$B/m/user-1000.journal"
run faults --journal-dir "$B" --boot=-1 -j > "$TMP/bad.json" 2> "$TMP/bad.err"
rc=$?
py bad-files-left-out '
import json, sys
d = json.load(open(sys.argv[1]))
err = open(sys.argv[2]).read()
if len(d["faults"]) != 6:
    print(len(d["faults"]), "faults")
if "system@cut.journal" not in err or "--verify" not in err or "user-1000.journal: not a journal" not in err:
    print(err[:300])
if len(d["warnings"]) != 2:
    print(d["warnings"])
' "$TMP/bad.json" "$TMP/bad.err"
[[ $rc = 0 ]] && pass bad-files-exit-0 || fail bad-files-exit-0 "exit $rc"
# only a file that is cut: an error naming it, no crash
run faults --journal-file "$B/m/system@cut.journal" --boot > "$TMP/cut.out" 2>&1
rc=$?
if [[ $rc = 1 ]] && grep -q "system@cut.journal" "$TMP/cut.out" &&
	grep -q "^iommu-inspect: error: nothing could be read in .*cut short" "$TMP/cut.out"; then pass truncated-file; else fail truncated-file "exit $rc: $(head -c 200 "$TMP/cut.out")"; fi
# every length of the file: never a crash
crash=
for n in 0 1 7 8 100 240 4096 20000 60000 200000; do
	head -c $n "$J/system.journal" > "$TMP/cutn.journal"
	run faults --journal-file "$TMP/cutn.journal" --boot > /dev/null 2>&1
	rc=$?
	[[ $rc -gt 2 ]] && crash+=" $n:exit$rc"
done
[[ -z $crash ]] && pass truncated-every-length || fail truncated-every-length "$crash"
# damaged inside (bytes flipped after the header): what can be read, a warning, no crash
python3 - "$J/system.journal" "$TMP/flip.journal" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(4096, len(d), 509):
    d[i] ^= 0x5a
open(sys.argv[2], "wb").write(d)
PY
run faults --journal-file "$TMP/flip.journal" --boot=-1 > "$TMP/flip.out" 2>&1
rc=$?
[[ $rc -le 1 ]] && pass damaged-no-crash || fail damaged-no-crash "exit $rc: $(tail -c 300 "$TMP/flip.out")"
# an export cut in the middle of an entry: the entries before it, and a warning
head -c 9000 "$TMP/two.export" > "$TMP/cut.export"
run faults --journal-file "$TMP/cut.export" --boot=-1 -j > "$TMP/cutx.json" 2> "$TMP/cutx.err"
py export-cut '
import json, sys
d = json.load(open(sys.argv[1]))
if not d["faults"] or not any("export format" in w for w in d["warnings"]):
    print(len(d["faults"]), d["warnings"])
' "$TMP/cutx.json"
# no journal at all
mkdir -p "$TMP/empty"
run faults --journal-dir "$TMP/empty" > "$TMP/empty.out" 2>&1
rc=$?
if [[ $rc = 1 ]] && grep -q "no journal in .*holds no journal files" "$TMP/empty.out"; then
	pass no-journal
else
	fail no-journal "exit $rc: $(head -c 200 "$TMP/empty.out")"
fi
run --root fixtures/intel-q35 faults --boot > "$TMP/nosnap.out" 2>&1
rc=$?
[[ $rc = 1 ]] && grep -q "snapshot --journal-boots" "$TMP/nosnap.out" && pass no-journal-in-tree ||
	fail no-journal-in-tree "exit $rc: $(head -c 200 "$TMP/nosnap.out")"

# rotated while read: the files are renamed and replaced while the tool reads
# them; whatever it saw, it ends cleanly (descriptors keep what was opened)
Rot=$TMP/rot
mkdir -p "$Rot"
for k in 1 2 3 4 5 6; do cp "$J/system.journal" "$Rot/system@$k.journal"; done
cp "$J/system.journal" "$Rot/system.journal"
(
	for k in 1 2 3 4 5 6 7 8; do
		mv "$Rot/system.journal" "$Rot/system@r$k.journal" 2> /dev/null
		cp "$J/system.journal" "$Rot/system.journal.tmp" && mv "$Rot/system.journal.tmp" "$Rot/system.journal"
		rm -f "$Rot/system@$k.journal"
	done
) &
rotator=$!
bad=
for k in 1 2 3 4 5; do
	run faults --journal-dir "$Rot" --boot=-1 -j > "$TMP/rot.json" 2> "$TMP/rot.err"
	rc=$?
	if [[ $rc -gt 1 ]] || ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/rot.json" 2> /dev/null; then
		bad+=" run$k:exit$rc"
	fi
done
wait "$rotator"
[[ -z $bad ]] && pass rotated-while-reading || fail rotated-while-reading "$bad $(head -c 200 "$TMP/rot.err")"

# permission: a user outside systemd-journal and adm (as root: nobody)
if [[ $(id -u) != 0 ]] || ! command -v setpriv > /dev/null; then
	skip journal-permission "needs root and setpriv to run as another user"
else
	P=$TMP/perm
	mkdir -p "$P/m"
	cp "$J/system.journal" "$P/m/system.journal"
	chmod 755 "$TMP" "$P" "$P/m"
	chmod 600 "$P/m/system.journal"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" faults --journal-dir "$P" --boot \
		> "$TMP/perm.out" 2>&1
	rc=$?
	if [[ $rc = 1 ]] && grep -q "Permission denied" "$TMP/perm.out" && grep -q "systemd-journal group" "$TMP/perm.out"; then
		pass journal-permission
	else
		fail journal-permission "exit $rc: $(head -c 300 "$TMP/perm.out")"
	fi
	# one file readable, one not: the readable one, and a warning with the fix
	cp "$J/system.journal" "$P/m/system@open.journal"
	chmod 644 "$P/m/system@open.journal"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" faults --journal-dir "$P" --boot=-1 \
		> "$TMP/perm2.out" 2> "$TMP/perm2.err"
	rc=$?
	if [[ $rc = 0 ]] && grep -q "could not be read (Permission denied)" "$TMP/perm2.err" &&
		grep -q "0000:07:00.0" "$TMP/perm2.out"; then
		pass journal-permission-partial
	else
		fail journal-permission-partial "exit $rc: $(head -c 300 "$TMP/perm2.err")"
	fi
fi
finish
