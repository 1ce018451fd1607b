#!/bin/sh
# SPDX-License-Identifier: MIT
# iommu-inspect against generated trees with a known ground truth.
#
#   tests/synthetic/t-synthetic.sh BIN
#
# tests/gen-tree.py writes a synthetic big-server tree (Intel, ~400 PCI functions,
# and a smaller AMD one) plus DIR.manifest.json; this script runs BIN on the tree
# and compares its JSON with the manifest: every group's members, type and
# reserved regions, every device's group, unit, driver, names and physfn, the
# units, the status counts, `groups --device <VF>`, `groups --class net`, and
# that nothing crashes (also under valgrind, and under the ASan build when one
# is found next to BIN or named by $ASAN_BIN).
#
# One line per check: "PASS <name>", "FAIL <name>: <why>" or "SKIP <name>: <why>"
# (valgrind or the ASan build not there), and the plan (tests/lib.sh). The exit
# status is 0 when it ran to its end; the caller counts the lines.
#
# T_SYNTHETIC_CORRUPT=1 corrupts the manifest before comparing (a self-test:
# then every comparison must FAIL).
set -u
HERE=$(cd "$(dirname "$0")" && pwd) || exit 1
. "$HERE/../lib.sh" || exit 1

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	fail synthetic-setup "usage: $0 BIN (an executable iommu-inspect)"
	finish
fi
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
GEN=$HERE/../gen-tree.py
if ! command -v python3 >/dev/null 2>&1; then
	fail synthetic-setup "python3 is needed"
	finish
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/t-synthetic.XXXXXX") || {
	fail synthetic-setup "cannot create a temporary directory"
	finish
}
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT PIPE TERM
export LC_ALL=C

ASAN=${ASAN_BIN:-$(dirname "$BIN")/asan/iommu-inspect}
[ -x "$ASAN" ] || ASAN=
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}"
# the project's suppressions: leaks inside system libraries (libudev via libpci)
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$HERE/../lsan.supp:print_suppressions=0}"

# run NAME ARGS...: BIN's stdout, stderr and exit status into $OUT/NAME.{out,err,rc}
run() {
	name=$1
	shift
	"$BIN" --root "$T" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"
	echo $? > "$OUT/$name.rc"
}

one_tree() {
	tag=$1 vendor=$2 ndev=$3 seed=$4
	T=$TMP/$tag
	OUT=$TMP/$tag.out
	mkdir -p "$OUT"
	if ! python3 "$GEN" --out "$T" --devices "$ndev" --seed "$seed" --vendor "$vendor" \
		2> "$OUT/gen.err"; then
		fail "$tag/generate" "$(tail -1 "$OUT/gen.err")"
		return
	fi
	pass "$tag/generate"
	run groups groups --json
	run groups_text groups
	run devices devices --json
	run devices_text devices
	run iommus iommus --json
	run status status --json
	run status_text status
	run class_net groups --class net --json
	# the VFs to look up: one in a group of its own, one in a shared group (if any)
	python3 - "$T.manifest.json" > "$OUT/vfs" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
size = {g: len(v["devices"]) for g, v in m["groups"].items()}
alone = [vf for vf in sorted(m["vfs"]) if size[str(m["devices"][vf]["group"])] == 1]
shared = [vf for vf in sorted(m["vfs"]) if size[str(m["devices"][vf]["group"])] > 1]
print(" ".join(x[len(x) // 2] for x in (alone, shared) if x))
EOF
	k=0
	for vf in $(cat "$OUT/vfs"); do
		run "vf$k" groups --device "$vf" --json
		echo "$vf" > "$OUT/vf$k.bdf"
		k=$((k + 1))
	done

	# the checker prints PASS/FAIL lines (relayed, to be counted); when it crashes, its
	# excepthook prints FAIL $tag/checker, and any other end without one is a FAIL too
	python3 - "$T.manifest.json" "$OUT" "$tag" > "$OUT/checker.log" 2>&1 <<'EOF'
import json, os, sys

manifest_path, out, tag = sys.argv[1:4]
m = json.load(open(manifest_path))

if os.environ.get("T_SYNTHETIC_CORRUPT"):
    # self-test: damage every fact a check relies on, so that every comparison fails
    gs = m["groups"]
    ids = sorted(gs, key=int)
    multi = [g for g in ids if len(gs[g]["devices"]) > 1]
    a, b = multi[0], ids[0]
    gs[a]["devices"], gs[b]["devices"] = gs[b]["devices"], gs[a]["devices"]
    gs[ids[1]]["type"] = "blocked"
    gs[ids[2]]["reserved_regions"] = []
    devs = m["devices"]
    some = sorted(devs)
    devs[some[3]]["group"] = 99999
    devs[some[4]]["unit"] = "dmar99"
    devs[some[5]]["driver"] = "bogus"
    named = sorted(m["names"])
    devs[named[0]]["names"] = ["eth999"]
    vfs = sorted(m["vfs"])
    devs[vfs[0]]["physfn"] = "0000:ff:1f.7"
    devs[vfs[1]]["group"] = 99998
    if m["devices_without_group"]:
        m["devices_without_group"] = []
    else:
        m["devices_without_group"] = [some[0]]
    m["units"][sorted(m["units"])[0]] += 1
    m["units"]["bogus0"] = 1
    for k in m["counts"]:
        m["counts"][k] += 1
    devs["0000:fe:00.0"] = dict(devs[some[0]])
    # a device of another class in a NIC group, a NIC in a non-NIC group
    nic = next(d for d in some if devs[d]["class"].startswith("02"))
    devs[nic]["class"] = "010802"
    other = next(d for d in some if not devs[d]["class"].startswith("02") and
                 devs[d]["group"] is not None)
    devs[other]["class"] = "020000"
    m["generator"]["vendor"] = "arm"
    devs[some[6]]["numa_node"] = 7
    devs[some[7]]["reset_methods"] = ["cxl_bus"]
    gs["424242"] = {"type": "DMA", "devices": [], "reserved_regions": []}
    k = 0
    while os.path.exists(os.path.join(out, "vf%d.bdf" % k)):
        devs[open(os.path.join(out, "vf%d.bdf" % k)).read().strip()]["group"] = 424242
        k += 1

results = []


def check(name, ok, why=""):
    results.append((name, ok, why))


def report():
    for name, ok, why in results:
        print("PASS %s/%s" % (tag, name) if ok else "FAIL %s/%s: %s" % (tag, name, why or "?"))


def crashed(kind, value, tb):
    report()
    import traceback
    where = traceback.extract_tb(tb)[-1]
    print("FAIL %s/checker: %s: %s (line %d)" % (tag, kind.__name__, value, where.lineno))


sys.excepthook = crashed


def load(name):
    """The JSON a command printed, its exit status and stderr; None when not JSON."""
    rc = int(open(os.path.join(out, name + ".rc")).read())
    err = open(os.path.join(out, name + ".err"), errors="replace").read()
    try:
        doc = json.load(open(os.path.join(out, name + ".out")))
    except ValueError as e:
        doc = None
        err += " (not JSON: %s)" % e
    return doc, rc, err


def brief(items, n=3):
    items = list(items)
    s = "; ".join(str(x) for x in items[:n])
    return s + ("; ... (%d in all)" % len(items) if len(items) > n else "")


def bdf_key(b):
    d, bus, df = b.split(":")
    dev, fn = df.split(".")
    return (int(d, 16), int(bus, 16), int(dev, 16), int(fn))


docs = {}
for name in ("groups", "devices", "iommus", "status", "class_net"):
    doc, rc, err = load(name)
    docs[name] = doc
    check("%s-runs" % name, rc == 0 and doc is not None,
          "exit status %d, stderr %r" % (rc, err.strip()[:200]))
    if doc is not None:
        warnings = doc.get("warnings", [])
        check("%s-no-warnings" % name, not warnings, brief(warnings, 2))

# ---------------------------------------------------------------- groups
G = docs["groups"]
if G is not None:
    got = {str(g["id"]): g for g in G["groups"]}
    want = m["groups"]
    check("groups-count", len(got) == len(want), "%d groups, expected %d" % (len(got), len(want)))
    missing = sorted(set(want) - set(got), key=int)
    extra = sorted(set(got) - set(want), key=int)
    check("groups-ids", not missing and not extra,
          "missing %s, unexpected %s" % (brief(missing), brief(extra)))
    bad = []
    for gid in sorted(set(want) & set(got), key=int):
        members = sorted(d["bdf"] for d in got[gid]["devices"])
        if members != want[gid]["devices"]:
            bad.append("group %s has %s, expected %s" % (gid, brief(members, 4),
                                                         brief(want[gid]["devices"], 4)))
    check("groups-members", not bad, brief(bad, 2))
    bad = ["group %s: %s, expected %s" % (gid, got[gid]["type"], want[gid]["type"])
           for gid in sorted(set(want) & set(got), key=int)
           if got[gid]["type"] != want[gid]["type"]]
    check("groups-type", not bad, brief(bad))

    def regions(lst):
        return [(int(r["start"], 16), int(r["end"], 16), r["type"]) for r in lst]
    bad = ["group %s: %s, expected %s" % (gid, regions(got[gid]["reserved_regions"]),
                                          regions(want[gid]["reserved_regions"]))
           for gid in sorted(set(want) & set(got), key=int)
           if regions(got[gid]["reserved_regions"]) != regions(want[gid]["reserved_regions"])]
    check("groups-reserved-regions", not bad, brief(bad, 2))
    ids = [g["id"] for g in G["groups"]]
    order = [gid for gid in ids]
    bad = [("group %s" % g["id"]) for g in G["groups"]
           if [d["bdf"] for d in g["devices"]] != sorted((d["bdf"] for d in g["devices"]),
                                                         key=bdf_key)]
    check("groups-order", ids == sorted(ids) and not bad,
          "groups not in numerical order" if ids != sorted(ids) else
          "members not in address order in %s" % brief(bad))

# text output: one "IOMMU group N" header per group
rc = int(open(os.path.join(out, "groups_text.rc")).read())
text = open(os.path.join(out, "groups_text.out"), errors="replace").read()
heads = sum(1 for line in text.splitlines() if line.startswith("IOMMU group "))
check("groups-text", rc == 0 and heads == len(m["groups"]),
      "exit status %d, %d group headers, expected %d" % (rc, heads, len(m["groups"])))

# ---------------------------------------------------------------- devices
D = docs["devices"]
if D is not None:
    got = {d["bdf"]: d for d in D["devices"]}
    want = m["devices"]
    missing = sorted(set(want) - set(got), key=bdf_key)
    extra = sorted(set(got) - set(want), key=bdf_key)
    check("devices-set", not missing and not extra,
          "missing %s, unexpected %s" % (brief(missing), brief(extra)))
    both = sorted(set(want) & set(got), key=bdf_key)

    def compare(field, wfield=None, norm=lambda x: x):
        wfield = wfield or field
        bad = ["%s: %r, expected %r" % (b, got[b].get(field), want[b][wfield]) for b in both
               if norm(got[b].get(field)) != norm(want[b][wfield])]
        check("devices-" + field.replace("_", "-"), not bad, brief(bad))
    compare("group")
    compare("iommu", "unit")
    compare("driver")
    compare("names", norm=lambda x: sorted(x) if x is not None else x)
    compare("physfn")
    compare("class")
    compare("numa_node")
    compare("reset_methods", norm=lambda x: x or [])
    def want_type(b):
        g = m["groups"].get(str(want[b]["group"]))
        return g["type"] if g else None
    bad = ["%s: %r, expected %r" % (b, got[b].get("group_type"), want_type(b)) for b in both
           if got[b].get("group_type") != want_type(b)]
    check("devices-group-type", not bad, brief(bad))
    nogroup = sorted((b for b in got if got[b]["group"] is None), key=bdf_key)
    reasons = [b for b in nogroup if not got[b].get("no_group_reason")]
    check("devices-without-group", nogroup == m["devices_without_group"] and not reasons,
          "%s, expected %s%s" % (brief(nogroup), brief(m["devices_without_group"]),
                                 "; no reason given for %s" % brief(reasons) if reasons else ""))
    order = [d["bdf"] for d in D["devices"]]
    check("devices-order", order == sorted(order, key=bdf_key), "not in address order")

# ---------------------------------------------------------------- units
U = docs["iommus"]
if U is not None:
    got = {u["name"]: u for u in U["iommus"]}
    want = m["units"]
    check("iommus-units", sorted(got) == sorted(want),
          "%s, expected %s" % (sorted(got), sorted(want)))
    bad = ["%s: %d devices, expected %d" % (n, len(got[n].get("devices") or []), want[n])
           for n in sorted(set(got) & set(want)) if len(got[n].get("devices") or []) != want[n]]
    check("iommus-device-count", not bad, brief(bad))
    by_unit = {}
    for b, d in m["devices"].items():
        if d["unit"]:
            by_unit.setdefault(d["unit"], set()).add(b)
    bad = []
    for n in sorted(set(got) & set(want)):
        s = set(got[n].get("devices") or [])
        w = by_unit.get(n, set())
        if s != w:
            bad.append("%s: missing %s, unexpected %s" % (n, brief(sorted(w - s)),
                                                          brief(sorted(s - w))))
    check("iommus-devices", not bad, brief(bad, 2))
    bad = [n for n in sorted(got) if (got[n].get("devices") or []) !=
           sorted(got[n].get("devices") or [], key=bdf_key)]
    check("iommus-devices-order", not bad, "not in address order in %s" % brief(bad))
    vendor = {"intel": "intel", "amd": "amd"}.get(m["generator"]["vendor"], "?")
    bad = ["%s is %s" % (n, u.get("vendor")) for n, u in got.items() if u.get("vendor") != vendor]
    check("iommus-vendor", not bad, brief(bad))

# ---------------------------------------------------------------- status
S = docs["status"]
if S is not None:
    c = S.get("counts", {})
    want = m["counts"]
    bad = ["%s %s, expected %s" % (k, c.get(k), want[k]) for k in
           ("units", "groups", "devices", "devices_in_groups", "devices_without_group")
           if c.get(k) != want[k]]
    check("status-counts", not bad, brief(bad, 5))
    check("status-vendor", S["vendor"]["value"] == m["generator"]["vendor"],
          "%s, expected %s" % (S["vendor"]["value"], m["generator"]["vendor"]))
    check("status-active", S["hardware"]["value"] is True and S["active"]["value"] is True,
          "hardware %r, active %r" % (S["hardware"]["value"], S["active"]["value"]))
    check("status-interrupt-remapping", S["interrupt_remapping"]["value"] == "enabled",
          "%r" % S["interrupt_remapping"]["value"])
rc = int(open(os.path.join(out, "status_text.rc")).read())
check("status-text", rc == 0, "exit status %d" % rc)

# ---------------------------------------------------------------- --device and --class
k = 0
while os.path.exists(os.path.join(out, "vf%d.rc" % k)):
    vf = open(os.path.join(out, "vf%d.bdf" % k)).read().strip()
    doc, rc, err = load("vf%d" % k)
    want_g = m["devices"][vf]["group"]
    want_members = m["groups"].get(str(want_g), {}).get("devices", [])
    kind = "alone" if len(want_members) <= 1 else "shared"
    if doc is None or rc != 0:
        check("device-vf-%s" % kind, False, "%s: exit status %d, %s" % (vf, rc, err.strip()[:200]))
    else:
        ids = [g["id"] for g in doc["groups"]]
        members = [d["bdf"] for g in doc["groups"] for d in g["devices"]]
        check("device-vf-%s" % kind, ids == [want_g] and vf in members and
              sorted(members) == want_members,
              "--device %s gave groups %s, expected [%s]" % (vf, ids, want_g))
    k += 1
check("device-vf-tested", k >= 1, "the manifest has no VF")

C = docs["class_net"]
if C is not None:
    got = sorted(g["id"] for g in C["groups"])
    want = sorted(int(gid) for gid, g in m["groups"].items()
                  if any(m["devices"][b]["class"].startswith("02") for b in g["devices"]))
    no_nic = [g["id"] for g in C["groups"]
              if not any((d.get("class") or "").startswith("02") for d in g["devices"])]
    check("class-net", got == want and not no_nic,
          "%d groups, expected %d; missing %s; unexpected %s; without a NIC %s" %
          (len(got), len(want), brief(sorted(set(want) - set(got))),
           brief(sorted(set(got) - set(want))), brief(no_nic)))

report()
EOF
	rc=$?
	relay < "$OUT/checker.log"
	if [ $rc -ne 0 ] && ! grep -q "^FAIL $tag/checker: " "$OUT/checker.log"; then
		fail "$tag/checker" "exit status $rc: $(tail -1 "$OUT/checker.log")"
	fi

	# memory safety: every command above ran; now under valgrind and ASan if available
	for f in "$OUT"/*.rc; do
		n=$(basename "$f" .rc)
		rc=$(cat "$f")
		if [ "$rc" -ge 128 ] || grep -q -e 'AddressSanitizer' -e 'runtime error' "$OUT/$n.err"; then
			fail "$tag/memsafe-$n" "exit status $rc, $(head -c 200 "$OUT/$n.err" | tr '\n' ' ')"
			bad=1
		fi
	done
	[ -n "${bad:-}" ] || pass "$tag/memsafe-no-crash"
	bad=
	# valgrind on the Intel tree only
	if [ "$tag" = intel ] && ! command -v valgrind >/dev/null 2>&1; then
		for c in groups devices status; do
			skip "$tag/valgrind-$c" "valgrind is not installed"
		done
	elif [ "$tag" = intel ]; then
		for c in groups devices status; do
			valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite \
				"$BIN" --root "$T" $c --json > /dev/null 2> "$OUT/vg-$c.err"
			rc=$?
			if [ $rc -eq 97 ] || [ $rc -ge 128 ]; then
				fail "$tag/valgrind-$c" "$(grep -m3 '==' "$OUT/vg-$c.err" | tr '\n' ' ')"
			else
				pass "$tag/valgrind-$c"
			fi
		done
	fi
	if [ -n "$ASAN" ]; then
		for c in groups devices iommus status; do
			"$ASAN" --root "$T" $c --json > /dev/null 2> "$OUT/asan-$c.err"
			rc=$?
			if [ $rc -eq 99 ] || [ $rc -ge 128 ]; then
				fail "$tag/asan-$c" "$(grep -m2 -e ERROR -e 'runtime error' "$OUT/asan-$c.err" | tr '\n' ' ')"
			else
				pass "$tag/asan-$c"
			fi
		done
	else
		for c in groups devices iommus status; do
			skip "$tag/asan-$c" "no ASan build: neither \$ASAN_BIN nor $(dirname "$BIN")/asan/iommu-inspect (make asan)"
		done
	fi
}

one_tree intel intel 400 7
one_tree amd amd 250 11
finish
