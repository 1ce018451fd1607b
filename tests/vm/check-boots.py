#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Earlier boots from a journal, on two real boots of the QEMU machine
(tests/vm/run.sh, after the scenarios).

The `intel` scenario's machine is booted twice: first with faults
(`intel_iommu=on iommu.strict=1`, scenario `intel`), then with the IOMMU in
passthrough (`iommu=pt`, scenario `intel-pt`), as someone does who reboots to
get rid of the faults and then asks what the previous boot logged. The guest
has no journald, so the journal is written here as journald would have: each
boot's /dev/kmsg records (facts/kmsg), with its boot id (facts/boot_id) and its
wall-clock start (facts/btime), go through tests/faults/mk-journal.py --boot
into systemd's export format and through systemd-journal-remote into a journal
file. journalctl reading that file is the reference; the tool reads it with
`faults --journal-file`, alone and with either boot's own snapshot as --root.

Checks:
  - `--list-boots` gives the two boots, ids and order as journalctl --list-boots;
  - `--boot=-1` (and `--boot=1`, and the boot by id) gives exactly the faults
    the guest's own `faults --json` read from its live /dev/kmsg in the first
    boot (device, address, access, reason, time since boot), as many as
    journalctl -k -b -1 holds DMAR fault lines, and the journal's wall-clock
    time of each within a second of the live one;
  - with the second boot's snapshot as --root, `--boot=-1` is another boot than
    the tree's: "other-boot", no group or driver, and the text's note says so;
    `--boot=0` is the tree's own boot, with no faults (passthrough);
  - with the first boot's snapshot as --root, the default boot is that tree's
    own: "current-boot", and each fault has the group and driver the guest saw.

Prints PASS/FAIL/SKIP lines and, last, "PLAN N", as check.py does."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime

ap = argparse.ArgumentParser()
ap.add_argument("--bin", required=True)
ap.add_argument("--first", required=True, help="the first boot's results (the guest's out/)")
ap.add_argument("--second", required=True, help="the second boot's results")
ap.add_argument("--work", required=True, help="a directory for the journal")
A = ap.parse_args()
HERE = os.path.dirname(os.path.abspath(__file__))
COUNTED = 0


def report(kind, name, why=""):
    global COUNTED
    COUNTED += 1
    print(f"{kind} {name}" + (f": {' '.join(str(why).split())[:600]}" if why else ""))


def check(name, cond, why=""):
    report("PASS" if cond else "FAIL", name, "" if cond else why)
    return cond


def finish():
    print(f"PLAN {COUNTED}")
    sys.exit(0)


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return None


def tool(*args):
    p = subprocess.run([A.bin, "--pci-ids", os.path.join(HERE, "../../fixtures/pci.ids"), *args],
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def tool_json(name, *args):
    rc, out, err = tool(*args, "--json")
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    check(name, rc == 0 and doc is not None and not err.strip(),
          f"exit {rc}, stderr {err.strip()!r}, stdout {out[:200]!r}")
    return doc or {}


def key(f):
    return (f.get("bdf"), f.get("address"), f.get("access"), f.get("reason_code"), f.get("timestamp_us"))


# ------------------------------------------------------------- the two boots
boots = []
for name, out in (("first", A.first), ("second", A.second)):
    facts = os.path.join(out, "facts")
    bid, btime = read(os.path.join(facts, "boot_id")), read(os.path.join(facts, "btime"))
    if not bid or not btime or not os.path.exists(os.path.join(facts, "kmsg")):
        report("FAIL", "facts", f"the {name} boot's guest recorded no kmsg, boot_id or btime in {facts}")
        finish()
    boots.append({"out": out, "id": bid.replace("-", "").lower(), "btime": int(btime),
                  "kmsg": os.path.join(facts, "kmsg")})
check("distinct", boots[0]["id"] != boots[1]["id"], f"both boots have the id {boots[0]['id']}")

remote = shutil.which("systemd-journal-remote") or "/lib/systemd/systemd-journal-remote"
if not os.access(remote, os.X_OK) or not shutil.which("journalctl"):
    report("SKIP", "journal", "no systemd-journal-remote or journalctl (make test-deps installs them)")
    finish()
os.makedirs(A.work, exist_ok=True)
export = os.path.join(A.work, "two-boots.export")
journal = os.path.join(A.work, "two-boots.journal")
for p in (export, journal):
    if os.path.exists(p):
        os.unlink(p)
mk = subprocess.run([sys.executable, os.path.join(HERE, "../faults/mk-journal.py"), "--out", export] +
                    [a for b in boots for a in ("--boot", f"{b['kmsg']},{b['id']},{b['btime']}")],
                    capture_output=True, text=True)
jr = subprocess.run([remote, "-o", journal, export], capture_output=True, text=True)
if not check("journal-written", mk.returncode == 0 and jr.returncode == 0 and os.path.exists(journal),
             f"mk-journal: {mk.stderr.strip()[-300:]}; journal-remote: {jr.stderr.strip()[-300:]}"):
    finish()


# ------------------------------------------------------------- the reference
def journalctl(*args):
    return subprocess.run(["journalctl", "--file", journal, "--no-pager", *args],
                          capture_output=True, text=True).stdout


ref_boots = re.findall(r"^\s*(-?\d+)\s+([0-9a-f]{32})\s", journalctl("--list-boots"), re.M)
check("reference-list", [b for _, b in ref_boots] == [b["id"] for b in boots],
      f"journalctl --list-boots: {ref_boots}")
ref_faults = len(re.findall(r"DMAR: \[DMA (Read|Write)", journalctl("-k", "-b", "-1", "-o", "cat")))

live = None
for d in ("live2", "live"):
    try:
        with open(os.path.join(boots[0]["out"], d, "faults.json")) as f:
            live = json.load(f)
        break
    except (OSError, ValueError):
        pass
if live is None:
    report("FAIL", "live-faults", "the first boot's guest has no faults.json")
    finish()
check("live-has-faults", len(live["faults"]) > 0 and len(live["faults"]) == ref_faults,
      f"the guest's faults --json has {len(live['faults'])} faults, journalctl -k -b -1 {ref_faults} fault lines")

# ------------------------------------------------------------- the tool alone
lb = tool_json("list-boots-json", "faults", "--journal-file", journal, "--list-boots")
ids = [b.get("id") for b in lb.get("boots", [])]
check("list-boots", ids == [b["id"] for b in boots], f"tool {ids}, journalctl {[b for _, b in ref_boots]}")
rc, text, err = tool("faults", "--journal-file", journal, "--list-boots")
check("list-boots-text", rc == 0 and all(b["id"] in text for b in boots), f"exit {rc}: {text[:300]}")

prev = tool_json("previous-json", "faults", "--journal-file", journal, "--boot=-1")
got = sorted(map(key, prev.get("faults", [])))
want = sorted(map(key, live["faults"]))
check("previous-faults", got == want and len(got) == ref_faults,
      f"tool {len(got)} faults, guest {len(want)}, journalctl {ref_faults}; first differing: "
      f"{next((a, b) for a, b in zip(got + [None] * 9, want + [None] * 9) if a != b) if got != want else ''}")
check("previous-boot", prev.get("journal", {}).get("boot", {}).get("id") == boots[0]["id"],
      f"boot {prev.get('journal', {}).get('boot')}")
# the journal's wall-clock time of each fault against the time the live tool gave it
lt = {key(f): f.get("time") for f in live["faults"]}
off = []
for f in prev.get("faults", []):
    a, b = f.get("time"), lt.get(key(f))
    if not a or not b:
        off.append((key(f), a, b))
        continue
    d = abs((datetime.fromisoformat(a) - datetime.fromisoformat(b)).total_seconds())
    if d > 1.0:
        off.append((key(f), a, b))
check("previous-times", not off, f"times more than 1 s apart (journal, live): {off[:3]}")
for how, sel in (("number", "--boot=1"), ("id", "--boot=" + boots[0]["id"])):
    d = tool_json(f"same-boot-by-{how}-json", "faults", "--journal-file", journal, sel)
    check(f"same-boot-by-{how}", sorted(map(key, d.get("faults", []))) == got,
          f"{sel} gives {len(d.get('faults', []))} faults, --boot=-1 {len(got)}")

# ------------------------------------------------- with the second boot's tree
snap2 = os.path.join(boots[1]["out"], "snapshot.tar.gz")
snap1 = os.path.join(boots[0]["out"], "snapshot.tar.gz")
d = tool_json("second-tree-previous-json", "--root", snap2, "faults", "--journal-file", journal, "--boot=-1")
j = d.get("journal", {})
check("second-tree-previous-other", j.get("attribution") == "other-boot" and
      not j.get("boot", {}).get("current") and
      all(f.get("group") is None and f.get("driver") is None for f in d.get("faults", [])) and
      sorted(map(key, d.get("faults", []))) == got,
      f"attribution {j.get('attribution')}, boot {j.get('boot')}")
rc, text, err = tool("--root", snap2, "faults", "--journal-file", journal, "--boot=-1")
check("second-tree-previous-note", rc == 0 and "Note: not the boot the devices are read from" in text,
      f"exit {rc}: {text[:300]}")
d = tool_json("second-tree-own-json", "--root", snap2, "faults", "--journal-file", journal, "--boot=0")
j = d.get("journal", {})
check("second-tree-own", j.get("attribution") == "current-boot" and
      j.get("boot", {}).get("id") == boots[1]["id"] and not d.get("faults"),
      f"attribution {j.get('attribution')}, boot {j.get('boot')}, {len(d.get('faults', []))} faults")

# -------------------------------------------------- with the first boot's tree
d = tool_json("first-tree-own-json", "--root", snap1, "faults", "--journal-file", journal)
j = d.get("journal", {})
lg = {key(f): (f.get("group"), f.get("driver")) for f in live["faults"]}
wrong = [(key(f), f.get("group"), f.get("driver"), lg.get(key(f))) for f in d.get("faults", [])
         if (f.get("group"), f.get("driver")) != lg.get(key(f))]
check("first-tree-own", j.get("attribution") == "current-boot" and
      j.get("boot", {}).get("id") == boots[0]["id"] and
      sorted(map(key, d.get("faults", []))) == got and not wrong,
      f"attribution {j.get('attribution')}, boot {j.get('boot', {}).get('id')}, "
      f"{len(d.get('faults', []))} faults; group/driver unlike the guest's: {wrong[:3]}")
check("first-tree-own-grouped", all(f.get("group") is not None for f in d.get("faults", [])),
      "a fault without its group although the tree is of that boot")
finish()
