#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# asan: yes
#
# t-check.sh BIN: `check` against trees whose answer is known.
#
#  1. On every recorded tree (fixtures/*, the shared captures when they are
#     there: $II_CAPTURES, default ../shared/captures next to the checkout, and
#     the synthetic servers of tests/gen-tree.py) the members predicted from
#     configuration space equal the kernel's, group for group, every group.
#     gen-tree.py groups by the kernel's rule without its device ACS quirks, so
#     there a group may differ only where an acs-quirk finding splits every member.
#  2. tests/check/mk-check-trees.py writes trees with one cause each (a root port
#     without ACS, ACS present but off, the host's root disk and default route;
#     functions without ACS, a PCIe-to-PCI bridge and devices without a reset are
#     in the base tree) and bad configuration spaces (64 and 200 bytes, a looping
#     capability list, an extended list past the bytes, no reset_method): golden
#     text and JSON (tests/check/expected/), and the facts each must show.
#  3. Exit status: 0 when every device asked for is assignable now, 1 when not,
#     2 for an argument that is neither an address nor a group number.
#
# T_CHECK_REGEN=1 rewrites the goldens. One line per check and the plan (tests/lib.sh).
set -u
HERE=$(cd "$(dirname "$0")" && pwd) || exit 1
. "$HERE/../lib.sh" || exit 1
TOP=$(cd "$HERE/../.." && pwd)

BIN=${1:-}
if [[ -z $BIN || ! -x $BIN ]]; then
	fail check-setup "usage: $0 BIN (an executable iommu-inspect)"
	finish
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if ! command -v python3 >/dev/null 2>&1; then
	fail check-setup "python3 is needed"
	finish
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-check.XXXXXX") || {
	fail check-setup "cannot create a temporary directory"
	finish
}
trap 'rm -rf "$TMP"' EXIT
EXP=$HERE/expected

# ------------------------------------------------ 1. predicted == kernel's

# same_groups NAME JSONFILE [quirks]: PASS when every group's predicted members are its
# members; with "quirks", a group may differ when each of its members is split off by an
# ACS quirk of the kernel (an acs-quirk finding): tests/gen-tree.py groups without them
same_groups() {
	local why
	if why=$(python3 - "$2" "${3-}" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
bad, n, quirked = [], 0, 0
for g in doc.get("groups", []):
    n += 1
    if g["predicted_members"] is None:
        bad.append("group %d: not predicted" % g["group"])
    elif sorted(g["predicted_members"]) != sorted(g["members"]):
        q = {f["bdf"] for f in g["findings"] if f["code"] == "acs-quirk"}
        if sys.argv[2] == "quirks" and set(g["members"]) <= q:
            quirked += 1
            continue
        bad.append("group %d: kernel %s, predicted %s" % (g["group"], g["members"], g["predicted_members"]))
codes = [f["code"] for g in doc.get("groups", []) for f in g["findings"]]
if codes.count("prediction-differs") > quirked and not bad:
    bad.append("a prediction-differs finding where the members agree")
print("; ".join(bad) if bad else "%d groups%s" % (n, ", %d split by ACS quirks" % quirked if quirked else ""))
sys.exit(1 if bad else 0)
EOF
	); then
		pass "$1 ($why)"
	else
		fail "$1" "$why"
	fi
}

trees=()
for t in "$TOP"/fixtures/*/; do
	[[ -d $t/sys/kernel/iommu_groups ]] && trees+=("${t%/}")
done
CAPS=${II_CAPTURES:-$TOP/../shared/captures}
if [[ -d $CAPS ]]; then
	for t in "$CAPS"/*/; do
		[[ -d $t/sys/kernel/iommu_groups ]] && trees+=("${t%/}")
	done
else
	skip "predicted/captures" "no shared captures at $CAPS (set II_CAPTURES)"
fi
if python3 "$TOP/tests/gen-tree.py" --out "$TMP/gen-intel" --devices 300 --seed 7 >/dev/null 2>&1 &&
	python3 "$TOP/tests/gen-tree.py" --out "$TMP/gen-amd" --devices 200 --seed 3 --vendor amd >/dev/null 2>&1; then
	trees+=("$TMP/gen-intel" "$TMP/gen-amd")
else
	fail "predicted/gen-tree" "tests/gen-tree.py failed"
fi
for t in "${trees[@]}"; do
	name=${t#"$TOP"/}
	name=${name#"$TMP"/}
	[[ $t == "$CAPS"/* ]] && name=captures/${t#"$CAPS"/}
	# every group, endpoints or not
	ids=$("$BIN" --root "$t" -j groups 2>/dev/null | python3 -c \
		'import json, sys; print(" ".join(str(g["id"]) for g in json.load(sys.stdin)["groups"]))')
	if [[ -z $ids ]]; then
		skip "predicted/$name" "no IOMMU groups"
		continue
	fi
	# shellcheck disable=SC2086 # the ids are words
	"$BIN" --root "$t" -j check $ids >"$TMP/p.json" 2>"$TMP/p.err"
	rc=$?
	if ((rc > 1)); then
		fail "predicted/$name" "exit status $rc: $(head -c 300 "$TMP/p.err")"
		continue
	fi
	case $t in "$TMP"/gen-*) same_groups "predicted/$name" "$TMP/p.json" quirks ;;
	*) same_groups "predicted/$name" "$TMP/p.json" ;; esac
done

# ------------------------------------------------ 2. one tree per cause

if ! python3 "$HERE/mk-check-trees.py" "$TOP/fixtures/intel-q35" "$TMP/trees" >"$TMP/mk.err" 2>&1; then
	fail check-trees "mk-check-trees.py failed: $(head -c 300 "$TMP/mk.err")"
	finish
fi

# golden NAME FILE: compare with tests/check/expected/NAME (T_CHECK_REGEN=1 writes it)
golden() {
	if [[ ${T_CHECK_REGEN:-0} == 1 ]]; then
		cp "$2" "$EXP/$1" && pass "golden/$1 (rewritten)"
	elif [[ ! -f $EXP/$1 ]]; then
		fail "golden/$1" "no tests/check/expected/$1 (T_CHECK_REGEN=1 $0 BIN)"
	elif cmp -s "$2" "$EXP/$1"; then
		pass "golden/$1"
	else
		fail "golden/$1" "differs: $(diff "$EXP/$1" "$2" | head -20 | tr '\n' '|')"
	fi
}

# run TREE ARGS...: text and JSON of `check` on TREE (relative paths: stable output)
run() {
	local tree=$1
	shift
	(cd "$TMP/trees" && "$BIN" --root "$tree" check "$@" >"$TMP/$tree.txt" 2>"$TMP/$tree.err"
	 echo "exit: $?" >>"$TMP/$tree.err"
	 "$BIN" --root "$tree" -p check "$@" >"$TMP/$tree.json" 2>/dev/null)
	{ cat "$TMP/$tree.txt"; sed 's/^/stderr: /' "$TMP/$tree.err"; } >"$TMP/$tree.all"
}

for tree in causes intremap-off bad-config sriov sriov-vf; do
	run "$tree"
	golden "$tree.txt" "$TMP/$tree.all"
	golden "$tree.json" "$TMP/$tree.json"
	if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/$tree.json" 2>/dev/null; then
		pass "$tree/json-valid"
	else
		fail "$tree/json-valid" "check -p wrote no valid JSON"
	fi
	if grep -q '^stderr: exit: [01]$' "$TMP/$tree.all"; then
		pass "$tree/exit-status"
	else
		fail "$tree/exit-status" "$(tail -1 "$TMP/$tree.all")"
	fi
done
same_groups "predicted/causes" "$TMP/causes.json"

# expect NAME TREE PYTHON-EXPR: the expression holds on the JSON (d: device by bdf, g: group by number)
expect() {
	if python3 - "$TMP/$2.json" "$3" <<'EOF'; then
import json, sys
doc = json.load(open(sys.argv[1]))
d = {x["bdf"]: x for x in doc["devices"]}
g = {x["group"]: x for x in doc["groups"]}
def codes(o):
    return [f["code"] for f in o["findings"]]
def why(n, bdf):
    return [w for w in g[n]["why"] if w["bdf"] == bdf]
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
		pass "$1"
	else
		fail "$1" "does not hold: $3"
	fi
}

expect cause/port-without-acs causes \
	'[w["code"] for w in why(3, "0000:01:00.0")] == ["port-without-acs"] and why(3, "0000:01:00.0")[0]["via"] == "0000:00:10.0" and why(3, "0000:01:00.0")[0]["acs"] == "no-acs"'
expect cause/port-acs-disabled causes \
	'why(8, "0000:07:00.0")[0]["code"] == "port-acs-disabled" and why(8, "0000:07:00.0")[0]["via"] == "0000:00:12.0" and "Source Validation" in why(8, "0000:07:00.0")[0]["missing"] and "P2P Request Redirect" in why(8, "0000:07:00.0")[0]["missing"]'
expect cause/functions-without-acs causes \
	'why(9, "0000:00:1f.2")[0]["code"] == "functions-without-acs" and why(9, "0000:00:1f.2")[0]["via"] == "0000:00:1f.0"'
expect cause/pcie-to-pci-bridge causes \
	'why(14, "0000:06:01.0")[0]["code"] == "behind-pci-bridge" and why(14, "0000:06:01.0")[0]["via"] == "0000:05:00.0"'
expect cause/dma-alias-ghost causes \
	'any(f["code"] == "dma-alias-ghost" and f["bdf"] == "0000:02:00.0" and "quirk_dma_func1_alias" in f["evidence"] for f in g[11]["findings"])'
expect cause/bridge-companion-excepted causes \
	'{c["bdf"]: c["action"] for c in d["0000:01:00.0"]["companions"]} == {"0000:00:10.0": "bridge-excepted"}'
expect cause/companion-bound causes \
	'"companion-bound" in d["0000:06:01.0"]["because"] and any(s["bdf"] == "0000:06:02.0" and s["action"] == "driver-override" for s in d["0000:06:01.0"]["steps"])'
expect cause/host-root-disk causes \
	'd["0000:04:00.0"]["verdict"] == "not-assignable" and "host-root-disk" in d["0000:04:00.0"]["because"] and not d["0000:04:00.0"]["steps"] and g[13]["host_critical"]'
expect cause/host-default-route causes \
	'd["0000:03:00.0"]["verdict"] == "not-assignable" and "host-default-route" in codes(g[12]) and not d["0000:03:00.0"]["steps"]'
expect cause/no-reset causes \
	'"no-reset" in codes(d["0000:00:1f.2"]) and d["0000:00:1f.2"]["reset"]["methods"] == []'
expect cause/bus-reset-siblings causes \
	'd["0000:06:01.0"]["reset"]["bus_reset"] == "with-siblings" and d["0000:06:01.0"]["reset"]["siblings"] == ["0000:06:02.0"]'
expect cause/assignable-now causes \
	'd["0000:00:05.0"]["verdict"] == "assignable-now" and g[2]["vfio_node"]["present"] is True and g[2]["vfio_node"]["mode"] == "0600"'
expect cause/node-absent causes 'g[3]["vfio_node"]["present"] is False'

# infrastructure: a host bridge, an ISA/LPC bridge and a root port are never assignable
# (their own verdict), while the group facts that name them and their companions' verdicts stay
(cd "$TMP/trees" && "$BIN" --root causes -p check 00:00.0 00:1f.0 00:1f.2 00:10.0 01:00.0 \
	>"$TMP/infra.json" 2>/dev/null)
expect infra/host-bridge infra \
	'd["0000:00:00.0"]["verdict"] == "not-assignable" and d["0000:00:00.0"]["because"] == ["host-bridge"] and not d["0000:00:00.0"]["steps"] and "host-bridge" in codes(d["0000:00:00.0"]) and "bind-vfio-pci" not in codes(d["0000:00:00.0"])'
expect infra/isa-bridge infra \
	'd["0000:00:1f.0"]["verdict"] == "not-assignable" and d["0000:00:1f.0"]["because"] == ["isa-bridge"] and not d["0000:00:1f.0"]["steps"]'
expect infra/root-port infra \
	'd["0000:00:10.0"]["verdict"] == "not-assignable" and d["0000:00:10.0"]["because"] == ["bridge"] and not d["0000:00:10.0"]["steps"]'
expect infra/group-still-names-port infra \
	'why(3, "0000:01:00.0")[0]["code"] == "port-without-acs" and why(3, "0000:01:00.0")[0]["via"] == "0000:00:10.0" and d["0000:01:00.0"]["verdict"] == "assignable-after-steps"'
expect infra/companion-of-isa-bridge infra \
	'd["0000:00:1f.2"]["verdict"] == "assignable-after-steps" and {c["bdf"]: c["action"] for c in d["0000:00:1f.2"]["companions"]} == {"0000:00:1f.0": "none", "0000:00:1f.3": "none"}'

# SR-IOV: a companion PF has its VFs disabled before it is bound; a VF in its PF's group
# cannot be assigned; a host's LPC bridge companion is unbound, not bound to vfio-pci
expect sriov/companion-pf-vfs-first sriov \
	'[(s["action"], s["bdf"]) for s in d["0000:07:00.1"]["steps"]][:2] == [("disable-vfs", "0000:07:00.0"), ("driver-override", "0000:07:00.0")] and d["0000:07:00.1"]["verdict"] == "assignable-after-steps" and "sr-iov-vfs-enabled" in d["0000:07:00.1"]["because"]'
expect sriov/lpc-companion-unbound sriov \
	'{c["bdf"]: c["action"] for c in d["0000:00:1f.3"]["companions"]}["0000:00:1f.0"] == "unbind" and not any(s["bdf"] == "0000:00:1f.0" and s["action"] != "unbind" for s in d["0000:00:1f.3"]["steps"])'
expect sriov/vf-with-pf-not-assignable sriov-vf \
	'd["0000:07:00.1"]["verdict"] == "not-assignable" and d["0000:07:00.1"]["because"] == ["vf-pf-in-group"] and not d["0000:07:00.1"]["steps"] and "bind-vfio-pci" not in codes(d["0000:07:00.1"])'
expect sriov/pf-vf-companion-no-step sriov-vf \
	'[s["action"] for s in d["0000:07:00.0"]["steps"]] == ["disable-vfs", "driver-override", "unbind", "bind"]'
expect cause/not-assignable-no-bind causes \
	'all("bind-vfio-pci" not in codes(x) for x in doc["devices"] if x["verdict"] != "assignable-after-steps")'

expect intremap/off intremap-off \
	'"interrupt-remapping-off" in codes(doc["system"]) and doc["system"]["interrupt_remapping"] == "disabled"'
expect intremap/step intremap-off \
	'd["0000:00:05.0"]["verdict"] == "assignable-after-steps" and [s["action"] for s in d["0000:00:05.0"]["steps"]] == ["allow-unsafe-interrupts"] and "interrupt-remapping-off" in d["0000:00:05.0"]["because"]'

expect bad/config-64-bytes bad-config \
	'"config-short" in codes(d["0000:01:00.0"]) and d["0000:01:00.0"]["reset"]["flr"] is None'
expect bad/config-200-bytes bad-config '"config-short" in codes(d["0000:03:00.0"])'
expect bad/capability-loop bad-config \
	'"config-capabilities-broken" in codes(d["0000:02:00.0"]) and "config-short" not in codes(d["0000:02:00.0"])'
expect bad/ext-list-past-end bad-config \
	'g[15]["predicted_members"] is None and "prediction-unknown" in codes(g[15]) and why(15, "0000:07:00.0")[0]["via"] == "0000:00:12.0"'
expect bad/config-unreadable bad-config \
	'"config-unreadable" in codes(d["0000:06:02.0"]) and d["0000:06:02.0"]["reset"]["flr"] is None'
expect bad/no-reset-method bad-config \
	'd["0000:04:00.0"]["reset"]["methods"] is None and "reset-unknown" in codes(d["0000:04:00.0"]) and "no-reset" not in codes(d["0000:04:00.0"])'

# ------------------------------------------------ snapshots keep what check reads

# same_check NAME ROOT_A ROOT_B (ROOT "/": the machine itself): check's JSON agrees
same_check() {
	local a=(--root "$2") b=(--root "$3") sa="s|$2/*||g" sb="s|$3/*||g"
	# the machine's own paths are absolute: /sys/... where a tree says TREE/sys/...
	[[ $2 == / ]] && a=() sa='s#(^|[" (])/(sys|proc|dev)/#\1\2/#g'
	[[ $3 == / ]] && b=() sb='s#(^|[" (])/(sys|proc|dev)/#\1\2/#g'
	"$BIN" "${a[@]}" -p check 2>/dev/null | sed -E "$sa" >"$TMP/sa.json"
	"$BIN" "${b[@]}" -p check 2>/dev/null | sed -E "$sb" >"$TMP/sb.json"
	if cmp -s "$TMP/sa.json" "$TMP/sb.json"; then
		pass "$1"
	else
		fail "$1" "$(diff "$TMP/sa.json" "$TMP/sb.json" | head -10 | tr '\n' '|')"
	fi
}
if "$BIN" --root "$TMP/trees/causes" snapshot "$TMP/snap-causes" >/dev/null 2>"$TMP/snap.err"; then
	same_check snapshot/causes "$TMP/trees/causes" "$TMP/snap-causes"
else
	fail snapshot/causes "snapshot failed: $(head -c 300 "$TMP/snap.err")"
fi
# the machine the tests run on: its device nodes are recorded, present or absent
if "$BIN" snapshot "$TMP/snap-live" >/dev/null 2>"$TMP/snap.err"; then
	same_check snapshot/live / "$TMP/snap-live"
	if [[ -f $TMP/snap-live/dev/vfio/vfio && -f $TMP/snap-live/dev/iommu ]]; then
		pass snapshot/live-nodes-recorded
	else
		fail snapshot/live-nodes-recorded "no record of dev/vfio/vfio or dev/iommu in the snapshot"
	fi
else
	fail snapshot/live "snapshot failed: $(head -c 300 "$TMP/snap.err")"
fi

# ------------------------------------------------ 3. exit status

# status NAME WANT ARGS...
status() {
	local name=$1 want=$2 rc
	shift 2
	"$BIN" "$@" >/dev/null 2>&1
	rc=$?
	if ((rc == want)); then pass "exit/$name"; else fail "exit/$name" "exit status $rc, want $want"; fi
}
status assignable-now 0 --root "$TOP/fixtures/intel-q35" check 00:05.0
status group-assignable-now 0 --root "$TOP/fixtures/intel-q35" check 2
status after-steps 1 --root "$TOP/fixtures/intel-q35" check 01:00.0
status one-of-two 1 --root "$TOP/fixtures/intel-q35" check 00:05.0 01:00.0
status host-bridge 1 --root "$TOP/fixtures/intel-q35" check 00:00.0
status isa-bridge 1 --root "$TOP/fixtures/intel-q35" check 00:1f.0
status root-port 1 --root "$TOP/fixtures/intel-q35" check 00:10.0
status host-critical 1 --root "$TMP/trees/causes" check 04:00.0
status no-iommu 1 --root "$TOP/fixtures/no-iommu" check
status no-such-device 1 --root "$TOP/fixtures/intel-q35" check 0000:99:00.0
status no-such-group 1 --root "$TOP/fixtures/intel-q35" check 99
status bad-argument 2 --root "$TOP/fixtures/intel-q35" check zz
status bad-bdf 2 --root "$TOP/fixtures/intel-q35" check 1:2:3:4

finish
