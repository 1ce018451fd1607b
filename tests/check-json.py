#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the JSON contract on every expected JSON output (tests/expected/**.json and
the JSON lines of the case outputs): the document shape, key types, address and id
formats, and that no number is a float. Prints PASS/FAIL lines."""
import json
import os
import re
import sys

HEX = re.compile(r"^0x[0-9a-f]+$")
BDF = re.compile(r"^[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$")
ID4 = re.compile(r"^[0-9a-f]{4}$")
CLASS = re.compile(r"^[0-9a-f]{6}$")


class Bad(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Bad(msg)


def typ(v, types, where):
    need(isinstance(v, types) and not (isinstance(v, bool) and bool not in
                                        (types if isinstance(types, tuple) else (types,))),
         f"{where}: {v!r} is not {types}")


def opt(v, pattern, where):
    need(v is None or (isinstance(v, str) and pattern.match(v)), f"{where}: bad value {v!r}")


def no_floats(v, where="$"):
    if isinstance(v, float):
        raise Bad(f"{where}: float {v}")
    if isinstance(v, dict):
        for k, x in v.items():
            no_floats(x, f"{where}.{k}")
    if isinstance(v, list):
        for i, x in enumerate(v):
            no_floats(x, f"{where}[{i}]")


def check_ident(d, where):
    opt(d["bdf"], BDF, where + ".bdf")
    opt(d["vendor_id"], ID4, where + ".vendor_id")
    opt(d["device_id"], ID4, where + ".device_id")
    opt(d["class"], CLASS, where + ".class")
    for k in ("vendor", "device", "driver", "class_name", "category"):
        typ(d[k], (str, type(None)), f"{where}.{k}")
    typ(d["bridge"], bool, where + ".bridge")
    typ(d["present"], bool, where + ".present")


def check_groups(doc):
    typ(doc["groups"], list, "groups")
    for g in doc["groups"]:
        w = f"groups[id={g.get('id')}]"
        typ(g["id"], int, w + ".id")
        typ(g["type"], (str, type(None)), w + ".type")
        for r in g["reserved_regions"]:
            need(HEX.match(r["start"]) and HEX.match(r["end"]), f"{w}: region {r}")
            need(int(r["start"], 16) <= int(r["end"], 16), f"{w}: region {r} ends before it starts")
            typ(r["type"], str, w + ".reserved_regions.type")
        for d in g["devices"]:
            check_ident(d, f"{w}.devices[{d.get('bdf')}]")


def check_devices(doc):
    for d in doc["devices"]:
        w = f"devices[{d.get('bdf')}]"
        check_ident(d, w)
        typ(d["group"], (int, type(None)), w + ".group")
        typ(d["iommu"], (str, type(None)), w + ".iommu")
        typ(d["numa_node"], (int, type(None)), w + ".numa_node")
        typ(d["reset_methods"], (list, type(None)), w + ".reset_methods")
        typ(d["names"], list, w + ".names")
        need((d["group"] is None) == (d["no_group_reason"] is not None), f"{w}: no_group_reason")


def check_status(doc):
    for k in ("hardware", "active"):
        typ(doc[k]["value"], bool, k)
    for k in ("hardware", "active", "vendor", "default_domain", "invalidation",
              "interrupt_remapping", "kernel_log"):
        need(all(isinstance(e, str) for e in doc[k]["evidence"]), f"{k}.evidence")
    for k, v in doc["counts"].items():
        typ(v, int, "counts." + k)
    c = doc["counts"]
    need(c["devices"] == c["devices_in_groups"] + c["devices_without_group"], "counts add up")
    typ(doc["kernel_parameters"], list, "kernel_parameters")


def check_iommus(doc):
    for u in doc["iommus"]:
        w = f"iommus[{u.get('name')}]"
        typ(u["name"], str, w)
        for b in u["devices"]:
            need(isinstance(b, str), f"{w}.devices")
        for name, reg in u.get("registers", {}).items():
            need(HEX.match(reg["value"]), f"{w}.registers.{name}.value")
            for f, v in reg["fields"].items():
                need(isinstance(v, (bool, int)), f"{w}.registers.{name}.fields.{f}")


CHECKS = {"groups": check_groups, "devices": check_devices, "status": check_status,
          "iommus": check_iommus}


def check_doc(doc, cmd):
    keys = list(doc)
    need(keys[0] == "schema_version" and doc["schema_version"] == 1, "schema_version first, = 1")
    need(keys[-1] == "warnings" and isinstance(doc["warnings"], list), "warnings last")
    if "error" in doc:
        typ(doc["error"], str, "error")
    no_floats(doc)
    if cmd in CHECKS and cmd in doc or (cmd == "status" and "hardware" in doc):
        CHECKS[cmd](doc)


def main(top):
    for dirpath, _, files in sorted(os.walk(top)):
        for fn in sorted(files):
            path = os.path.join(dirpath, fn)
            name = os.path.relpath(path, top)
            try:
                if fn.endswith(".json"):
                    check_doc(json.load(open(path)), fn[:-5])
                elif dirpath.endswith("cases") and ("-json" in fn or "json" in open(path).read(40)):
                    text = open(path).read()
                    body = text.split("\nstderr: ")[0].split("\nexit: ")[0]
                    if not body.lstrip().startswith("{"):
                        continue
                    cmd = next((c for c in CHECKS if c in fn), None)
                    check_doc(json.loads(body), cmd)
                else:
                    continue
                print(f"PASS {name}")
            except (Bad, KeyError, ValueError, TypeError) as e:
                print(f"FAIL {name}: {type(e).__name__}: {e}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/expected")
