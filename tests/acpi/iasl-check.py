#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check `iommu-inspect acpi --file TABLE -j` against ACPICA's disassembly of TABLE.

  tests/acpi/iasl-check.py BIN NAME TABLE DSL

DSL is the output of `iasl -d TABLE`. For every structure (DMAR) or block (IVRS)
that iasl decodes, the same offset must be in our output with the same type and
the same fields: DMAR register bases, RMRR base and limit, segments, proximity
domains, ANDD names, and every device scope's type, start bus and path; IVRS
IVHD flags, IOMMU device id, capability offset, base address and segment, the
device ranges that its entries cover (starts and ends joined as we do),
aliases, extended data and special devices; IVMD flags, device ids, start and
length. Structures iasl does not know (it stops or skips them) are not checked.
Prints one line: "PASS iasl/NAME: ..." or "FAIL iasl/NAME: why".
"""
import json
import re
import subprocess
import sys

LINE = re.compile(r"^\[([0-9A-Fa-f]+)h [0-9]+ +[0-9]+\] +(.*?) : (.*)$")


class Mismatch(Exception):
    pass


def fields(dsl):
    """(offset, name, value) for every field line of the disassembly."""
    out = []
    for line in dsl.splitlines():
        if line.startswith("**** Unknown"):
            out.append((None, "UNKNOWN", line))
            continue
        m = LINE.match(line.strip())
        if m:
            out.append((int(m.group(1), 16), m.group(2).strip(), m.group(3).strip()))
    return out


def num(v):
    return int(v.split()[0], 16)


def bdf(s):
    """'0000:06:1f.3' -> device id 0x06fb."""
    bus, df = s.split(":")[1:]
    d, f = df.split(".")
    return int(bus, 16) << 8 | int(d, 16) << 3 | int(f, 16)


def need(cond, msg):
    if not cond:
        raise Mismatch(msg)


# ------------------------------------------------------------------ DMAR

def dmar_subtables(fl):
    subs, cur, scope = [], None, None
    for off, name, val in fl:
        if name == "UNKNOWN":
            if cur is not None:
                cur["unknown"] = True
            continue
        if name == "Subtable Type":
            cur = {"offset": off, "type": num(val), "fields": {}, "scopes": []}
            subs.append(cur)
            scope = None
        elif cur is None:
            continue
        elif name == "Device Scope Type":
            scope = {"offset": off, "type": num(val), "path": []}
            cur["scopes"].append(scope)
        elif scope is not None and name in ("Entry Length", "Enumeration ID", "PCI Bus Number"):
            scope[name] = num(val)
        elif scope is not None and name == "PCI Path":
            d, f = val.split(",")
            scope["path"].append("%02x.%x" % (int(d, 16), int(f, 16)))
        else:
            cur["fields"][name] = val
    return [s for s in subs if not s.get("unknown")]


def check_dmar(doc, dsl):
    ours = {int(s["offset"], 16): s for s in doc["structures"]}
    subs = dmar_subtables(fields(dsl))
    nscopes = 0
    need(subs, "iasl decoded no structure")
    for t in subs:
        o = ours.get(t["offset"])
        w = "structure at 0x%x" % t["offset"]
        need(o is not None, w + ": not in our output")
        need(o["type_code"] == t["type"], "%s: type %s, iasl %d" % (w, o["type_code"], t["type"]))
        f = t["fields"]
        if "Register Base Address" in f:
            need(int(o["register_base"], 16) == num(f["Register Base Address"]),
                 "%s: register base %s, iasl %s" % (w, o["register_base"],
                                                    f["Register Base Address"]))
        if "Base Address" in f:
            key = "register_base" if t["type"] == 3 else "base"   # RHSA: the unit's registers
            need(int(o[key], 16) == num(f["Base Address"]), w + ": " + key)
        if "End Address (limit)" in f:
            need(int(o["limit"], 16) == num(f["End Address (limit)"]), w + ": RMRR limit")
        if "PCI Segment Number" in f:
            need(o["segment"] == num(f["PCI Segment Number"]), w + ": segment")
        if "Proximity Domain" in f:
            need(o["proximity_domain"] == num(f["Proximity Domain"]), w + ": proximity domain")
        if "Device Name" in f:
            need(o["object_name"] == f["Device Name"].strip('"'), w + ": ANDD name")
        if "Device Number" in f:
            need(o["acpi_device_number"] == num(f["Device Number"]), w + ": ANDD number")
        scopes = o.get("scopes", [])
        need(len(scopes) == len(t["scopes"]),
             "%s: %d scopes, iasl %d" % (w, len(scopes), len(t["scopes"])))
        for a, b in zip(scopes, t["scopes"]):
            sw = "%s: scope at 0x%x" % (w, b["offset"])
            need(int(a["offset"], 16) == b["offset"], sw + ": offset %s" % a["offset"])
            need(a["type_code"] == b["type"], sw + ": type")
            need(a["start_bus"] == b.get("PCI Bus Number"), sw + ": start bus")
            need(a["enumeration_id"] == b.get("Enumeration ID"), sw + ": enumeration id")
            need(a["path"] == b["path"], sw + ": path %s, iasl %s" % (a["path"], b["path"]))
            nscopes += 1
    return "%d structures and %d scopes agree" % (len(subs), nscopes)


# ------------------------------------------------------------------ IVRS

def ivrs_blocks(fl):
    blocks, cur, ent = [], None, None
    for off, name, val in fl:
        if name == "UNKNOWN":
            if cur is not None:
                cur["unknown"] = True
            cur = ent = None
            continue
        if name == "Subtable Type":
            cur = {"offset": off, "type": num(val), "fields": {}, "entries": []}
            blocks.append(cur)
            ent = None
        elif cur is None:
            continue
        elif name == "Entry Type":
            ent = {"offset": off, "code": num(val), "fields": {}}
            cur["entries"].append(ent)
        elif ent is not None:
            ent["fields"][name] = val
        else:
            cur["fields"][name] = val
    return [b for b in blocks if not b.get("unknown")]


def joined(entries):
    """iasl's raw entries as we show them: (offset, code, first, last, extra)."""
    out, start = [], None
    for e in entries:
        c, f = e["code"], e["fields"]
        dev = num(f.get("Device ID", "0"))
        if c in (0x03, 0x43, 0x47):
            start = [e["offset"], c, dev, None, f]
            out.append(start)
        elif c == 0x04 and start is not None:
            start[3] = dev
            start = None
        elif c == 0x04:
            out.append([e["offset"], c, dev, dev, f])
        else:
            out.append([e["offset"], c, dev, dev, f])
    return out


def check_ivhd(o, t, w):
    f = t["fields"]
    need(int(o["flags"], 16) == num(f["Flags"]), w + ": flags")
    need(bdf(o["iommu_bdf"]) == num(f["DeviceId"]), w + ": IOMMU device id")
    need(int(o["capability_offset"], 16) == num(f["Capability Offset"]), w + ": capability")
    need(int(o["base_address"], 16) == num(f["Base Address"]), w + ": base address")
    need(o["segment"] == num(f["PCI Segment Group"]), w + ": segment")
    need(int(o["iommu_info"], 16) == num(f["Virtualization Info"]), w + ": IOMMU info")
    if "EFR Image" in f:
        need(int(o["efr"], 16) == num(f["EFR Image"]), w + ": EFR image")
    ours = {int(e["offset"], 16): e for e in o["device_entries"]}
    n = 0
    for off, code, first, last, ef in joined(t["entries"]):
        e = ours.get(off)
        ew = "%s: entry at 0x%x" % (w, off)
        need(e is not None, ew + ": not in our output")
        need(int(e["code"], 16) == code, ew + ": type %s, iasl 0x%02x" % (e["code"], code))
        if code in (0x00, 0x40, 0x01):
            continue
        if code == 0x48:
            need(e["handle"] == num(ef["Handle"]), ew + ": handle")
            need(e["variety_code"] == num(ef["Variety"]), ew + ": variety")
            need(bdf(e["source"]) == num(ef["Source Used Device ID"]), ew + ": source id")
            n += 1
            continue
        need(bdf(e["first"]) == first, ew + ": first %s, iasl 0x%04x" % (e["first"], first))
        if last is None:
            need(e["last"] is None, ew + ": an end iasl does not have")
        else:
            need(e["last"] is not None and bdf(e["last"]) == last,
                 ew + ": last %s, iasl 0x%04x" % (e["last"], last))
        if code in (0x42, 0x43):
            need(bdf(e["alias"]) == num(ef["Source Used Device ID"]), ew + ": alias")
        if code in (0x46, 0x47):
            need(int(e["ext"], 16) == num(ef["Extended Data"]), ew + ": extended data")
        if "Data Setting" in ef:
            need(int(e["dte"], 16) == num(ef["Data Setting"]), ew + ": DTE setting")
        n += 1
    return n


def check_ivmd(o, t, w):
    f = t["fields"]
    need(int(o["flags"], 16) == num(f["Flags"]), w + ": flags")
    need(int(o["start"], 16) == num(f["Start Address"]), w + ": start")
    need(int(o["size"], 16) == num(f["Memory Length"]), w + ": length")
    if t["type"] != 0x20:
        need(bdf(o["first"]) == num(f["DeviceId"]), w + ": device id")
    if t["type"] == 0x22:
        need(bdf(o["last"]) == num(f["Auxiliary Data"]), w + ": last device id")


def check_ivrs(doc, dsl):
    ours = {int(b["offset"], 16): b for b in doc["blocks"]}
    blocks = ivrs_blocks(fields(dsl))
    nent = 0
    need(blocks, "iasl decoded no block")
    for t in blocks:
        o = ours.get(t["offset"])
        w = "block at 0x%x" % t["offset"]
        need(o is not None, w + ": not in our output")
        need(int(o["type"], 16) == t["type"], w + ": type")
        if o["kind"] == "IVHD":
            nent += check_ivhd(o, t, w)
        elif o["kind"] == "IVMD":
            check_ivmd(o, t, w)
    return "%d blocks and %d device entries agree" % (len(blocks), nent)


# ------------------------------------------------------------------ IORT

IORT_NODE_FIELDS = {
    "Mapping Count": ("mapping_count", num),
    "Mapping Offset": ("mapping_offset", lambda v: num(v)),
}


def iort_nodes(fl):
    """iasl's nodes: offset, fields in order; a node iasl does not know ends the list."""
    nodes, cur = [], None
    for off, name, val in fl:
        if name == "UNKNOWN":
            if cur is not None:
                cur["unknown"] = True
            break
        if off is None or off < 0x30:
            continue
        if name == "Type":
            cur = {"offset": off, "type": num(val), "fields": []}
            nodes.append(cur)
        elif cur is not None:
            cur["fields"].append((off, name, val))
    return [n for n in nodes if not n.get("unknown")]


def hexeq(ours, v):
    return int(ours, 16) if isinstance(ours, str) else ours


def check_iort_node(o, t, w):
    f = {}
    maps = []
    fl = t["fields"]
    for i, (off, name, val) in enumerate(fl):
        if name == "Input base":
            m = {k: num(v) for _, k, v in fl[i:i + 5]}
            m["offset"] = off
            maps.append(m)
        elif name not in f:
            f[name] = val
    need(o["type_code"] == t["type"], w + ": type %s, iasl %d" % (o["type_code"], t["type"]))
    need(o["length"] == num(f["Length"]), w + ": length")
    need(o["revision"] == num(f["Revision"]), w + ": revision")
    ident = f.get("Identifier", f.get("Reserved"))
    need(o["identifier"] == num(ident), w + ": identifier %s, iasl %s" % (o["identifier"], ident))
    need(o["mapping_count"] == num(f["Mapping Count"]), w + ": mapping count")
    need(int(o["mapping_offset"], 16) == num(f["Mapping Offset"]), w + ": mapping offset")
    ty = t["type"]
    checks = []
    if ty == 0:
        need(o["its_count"] == num(f["ItsCount"]), w + ": ITS count")
        ids = [num(v) for _, n, v in fl if n == "Identifiers"]
        need(o["its_ids"] == ids, w + ": ITS ids %s, iasl %s" % (o["its_ids"], ids))
    elif ty == 1:
        checks = [("node_flags", "Node Flags"), ("memory_address_limit", "Memory Size Limit")]
        need(o["device_name"] == f["Device Name"].strip('"'), w + ": device name")
    elif ty == 2:
        checks = [("ats_attribute", "ATS Attribute"), ("segment", "PCI Segment Number")]
        if "Memory Size Limit" in f and o["memory_address_limit"] is not None:
            checks.append(("memory_address_limit", "Memory Size Limit"))
    elif ty == 3:
        checks = [("base", "Base Address"), ("span", "Span"), ("model", "Model"),
                  ("flags", "Flags (decoded below)")]
        need(o["nsg_irpt"]["gsiv"] == num(f["NSgIrpt"]), w + ": NSgIrpt")
        need(o["nsg_cfg_irpt"]["gsiv"] == num(f["NSgCfgIrpt"]), w + ": NSgCfgIrpt")
        ctx = [num(v) for _, n, v in fl if n == "Context Interrupt"]
        pmu = [num(v) for _, n, v in fl if n == "PMU Interrupt"]
        need([i["gsiv"] | int(i["flags"], 16) << 32 for i in o["context_interrupts"]] == ctx,
             w + ": context interrupts")
        need([i["gsiv"] | int(i["flags"], 16) << 32 for i in o["pmu_interrupts"]] == pmu,
             w + ": PMU interrupts")
    elif ty == 4:
        checks = [("base", "Base Address"), ("flags", "Flags (decoded below)"),
                  ("vatos", "VATOS Address"), ("model", "Model"), ("event_gsiv", "Event GSIV"),
                  ("pri_gsiv", "PRI GSIV"), ("gerr_gsiv", "GERR GSIV"),
                  ("sync_gsiv", "Sync GSIV"), ("id_mapping_index", "Device ID Mapping Index")]
        if o["proximity_domain"] is not None:
            checks.append(("proximity_domain", "Proximity Domain"))
    elif ty == 5:
        checks = [("base", "Page 0 Base Address"), ("overflow_gsiv", "Overflow Interrupt GSIV"),
                  ("node_reference", "Node Reference")]
        if "Page 1 Base Address" in f:
            checks.append(("page1_base", "Page 1 Base Address"))
    for key, name in checks:
        # a field of a later revision that we do not read in an older node (iasl reads a fixed
        # layout, even over the mappings that follow an older node's fields)
        if name not in f or o.get(key, 0) is None:
            continue
        need(hexeq(o[key], f[name]) == num(f[name]),
             "%s: %s %s, iasl %s" % (w, key, o[key], f[name]))
    ours = o["mappings"]
    need(len(ours) == len(maps), "%s: %d mappings, iasl %d" % (w, len(ours), len(maps)))
    for a, b in zip(ours, maps):
        mw = "%s: mapping at 0x%x" % (w, b["offset"])
        need(int(a["offset"], 16) == b["offset"], mw + ": offset")
        need(a["input_base"] == b["Input base"], mw + ": input base")
        need(a["id_count"] == b["ID Count"], mw + ": id count")
        need(a["output_base"] == b["Output Base"], mw + ": output base")
        need(int(a["output_reference"], 16) == b["Output Reference"], mw + ": output reference")
        need(a["single"] == bool(b["Flags (decoded below)"] & 1), mw + ": single")
    return len(maps)


def check_iort(doc, dsl):
    ours = {int(n["offset"], 16): n for n in doc["nodes"]}
    fl = fields(dsl)
    hdr = {name: val for off, name, val in fl if off is not None and 0x24 <= off < 0x30}
    need(doc["node_count"] == num(hdr["Node Count"]), "node count")
    need(int(doc["node_offset"], 16) == num(hdr["Node Offset"]), "node offset")
    nodes = iort_nodes(fl)
    need(nodes, "iasl decoded no node")
    nmaps = 0
    for t in nodes:
        o = ours.get(t["offset"])
        w = "node at 0x%x" % t["offset"]
        need(o is not None, w + ": not in our output")
        nmaps += check_iort_node(o, t, w)
    skipped = len(ours) - len(nodes)
    return "%d nodes and %d ID mappings agree%s" % (
        len(nodes), nmaps, "; %d node%s iasl does not decode not checked" % (
            skipped, "" if skipped == 1 else "s") if skipped else "")


def check_header(doc, dsl):
    f = {name: val for off, name, val in fields(dsl) if off is not None and off < 0x24}
    need(doc["length"] == num(f["Table Length"]), "table length")
    need(doc["revision"] == num(f["Revision"]), "revision")
    need(int(doc["checksum"], 16) == num(f["Checksum"]), "checksum")
    need(doc["oem_id"] == f["Oem ID"].strip('"').rstrip(), "OEM id")


def main():
    if len(sys.argv) != 5:
        print("FAIL iasl-check: usage: iasl-check.py BIN NAME TABLE DSL")
        return 0
    binary, name, table, dsl_path = sys.argv[1:]
    try:
        with open(dsl_path, errors="replace") as f:
            dsl = f.read()
        r = subprocess.run([binary, "--root", "fixtures/intel-q35", "acpi", "--file", table, "-j"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        need(r.returncode == 0, "exit %d: %s" % (r.returncode, r.stderr.decode()[:200]))
        doc = json.loads(r.stdout)["tables"][0]
        if "**** Unknown ACPI table signature" in dsl:
            check_header(doc, dsl)
            ver = re.search(r"version (\d+)", dsl)
            print("SKIP iasl/%s: the header agrees; this iasl (%s) does not decode %s" % (
                name, ver.group(1) if ver else "?", doc["signature"]))
            return 0
        check_header(doc, dsl)
        if doc["signature"] == "DMAR":
            what = check_dmar(doc, dsl)
        elif doc["signature"] == "IORT":
            what = check_iort(doc, dsl)
        else:
            what = check_ivrs(doc, dsl)
        print("PASS iasl/%s: %s" % (name, what))
    except (Mismatch, KeyError, ValueError, TypeError, IndexError, OSError) as e:
        print("FAIL iasl/%s: %s: %s" % (name, type(e).__name__, e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
