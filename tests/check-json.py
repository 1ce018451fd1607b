#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check the JSON contract on every expected JSON output (tests/expected/**.json, the
JSON lines of the case outputs, and the expected files of the sub-suites,
tests/*/expected/): the document shape, key types, address and id formats, and that
no number is a float. Prints PASS/FAIL lines and, last, the plan line "PLAN N" (N the
PASS and FAIL lines; see tests/run.sh).

NDJSON streams (top's --json, one document a line: every top.json and every
*.ndjson file) are checked line by line, each line a document of its own. They may
hold numbers with fractions only under the keys their man page documents as such
(FLOAT_KEYS); every other command and key keeps the rule: integers only."""
import json
import os
import re
import sys

HEX = re.compile(r"^0x[0-9a-f]+$")
BDF = re.compile(r"^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$")
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


# The keys whose values may be numbers with fractions, per command (man/iommu-inspect-top.8,
# JSON: "Numbers with fractions"). Anywhere else a float breaks the contract.
FLOAT_KEYS = {"top": {"per_s", "interval_s", "iotlb_hit_ratio", "context_hit_ratio",
                      "faults_per_s"}}


def no_floats(v, where="$", allowed=frozenset(), key=None):
    if isinstance(v, float) and key not in allowed:
        raise Bad(f"{where}: float {v}")
    if isinstance(v, dict):
        for k, x in v.items():
            no_floats(x, f"{where}.{k}", allowed, k)
    if isinstance(v, list):
        for i, x in enumerate(v):
            no_floats(x, f"{where}[{i}]", allowed, None)


def check_ident(d, where):
    opt(d["bdf"], BDF, where + ".bdf")
    opt(d["vendor_id"], ID4, where + ".vendor_id")
    opt(d["device_id"], ID4, where + ".device_id")
    opt(d["class"], CLASS, where + ".class")
    for k in ("vendor", "device", "driver", "class_name", "category"):
        typ(d[k], (str, type(None)), f"{where}.{k}")
    typ(d["bridge"], bool, where + ".bridge")
    typ(d["rmrr"], (bool, type(None)), where + ".rmrr")
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


PATH_ELEM = re.compile(r"^[0-9a-f]{2}\.[0-7]$")
DMAR_TYPES = {"DRHD", "RMRR", "ATSR", "RHSA", "ANDD", "SATC", "SIDP", "unknown"}
SCOPE_TYPES = {"endpoint", "bridge", "ioapic", "hpet", "acpi", None}
ENTRY_TYPES = {"pad", "all", "select", "range", "alias_select", "alias_range", "ext_select",
               "ext_range", "special", "acpi_hid", "range_end", "unknown"}


def check_bdf_list(v, where):
    typ(v, list, where)
    for b in v:
        need(isinstance(b, str) and BDF.match(b), f"{where}: {b!r}")


def check_dmar(t, w):
    opt(t["flags"], HEX, w + ".flags")
    typ(t["host_address_width"], (int, type(None)), w + ".host_address_width")
    for k in ("intr_remap", "x2apic_opt_out", "dma_ctrl_platform_opt_in"):
        typ(t[k], (bool, type(None)), f"{w}.{k}")
    for s in t["structures"]:
        sw = f"{w}.structures[{s.get('offset')}]"
        need(HEX.match(s["offset"]) and s["type"] in DMAR_TYPES, sw + ": offset or type")
        typ(s["truncated"], bool, sw + ".truncated")
        for k in ("register_base", "register_size", "base", "limit", "flags"):
            if k in s:
                opt(s[k], HEX, f"{sw}.{k}")
        for sc in s.get("scopes", []):
            scw = f"{sw}.scopes[{sc.get('offset')}]"
            need(sc["type"] in SCOPE_TYPES, scw + ".type")
            opt(sc["bdf"], BDF, scw + ".bdf")
            need(sc["bdf_basis"] in ("walked", "naive", None), scw + ".bdf_basis")
            need((sc["bdf"] is None) == (sc["bdf_basis"] is None), scw + ": bdf and its basis")
            need(all(isinstance(e, str) and PATH_ELEM.match(e) for e in sc["path"]),
                 scw + ".path")
            typ(sc["in_tree"], bool, scw + ".in_tree")
        if "covers" in s:
            check_bdf_list(s["covers"], sw + ".covers")
        for p in s.get("pins", []):
            need(BDF.match(p["bdf"]), sw + ".pins.bdf")
            typ(p["group"], (int, type(None)), sw + ".pins.group")
            typ(p["relaxable"], bool, sw + ".pins.relaxable")
            typ(p["warning"], (str, type(None)), sw + ".pins.warning")
            need(not (p["relaxable"] and p["warning"]), sw + ": a warning on a relaxable RMRR")


def check_ivrs(t, w):
    opt(t["ivinfo"], HEX, w + ".ivinfo")
    opt(t["kernel_ivhd_type"], HEX, w + ".kernel_ivhd_type")
    for b in t["blocks"]:
        bw = f"{w}.blocks[{b.get('offset')}]"
        need(b["kind"] in ("IVHD", "IVMD", "unknown"), bw + ".kind")
        need(HEX.match(b["offset"]) and HEX.match(b["type"]), bw + ": offset or type")
        opt(b["flags"], HEX, bw + ".flags")
        if b["kind"] == "IVHD":
            opt(b["iommu_bdf"], BDF, bw + ".iommu_bdf")
            opt(b["base_address"], HEX, bw + ".base_address")
            typ(b["kernel_uses"], bool, bw + ".kernel_uses")
            need(b["kernel_uses"] == (b["type"] == t["kernel_ivhd_type"]), bw + ".kernel_uses")
            for e in b["device_entries"]:
                ew = f"{bw}.device_entries[{e.get('offset')}]"
                need(e["type"] in ENTRY_TYPES and HEX.match(e["code"]), ew + ": type or code")
                for k in ("first", "last", "alias", "source", "bdf"):
                    if k in e:
                        opt(e[k], BDF, f"{ew}.{k}")
                if e.get("first") and e.get("last"):
                    need(e["first"] <= e["last"] or e["type"].endswith("range"),
                         ew + ": last before first")
            check_bdf_list(b["covers"], bw + ".covers")
        elif b["kind"] == "IVMD":
            need(b["applies_to"] in ("all", "device", "range"), bw + ".applies_to")
            for k in ("start", "size", "end"):
                opt(b[k], HEX, f"{bw}.{k}")
            check_bdf_list(b["covers"], bw + ".covers")


IORT_TYPES = {"its_group", "named_component", "root_complex", "smmu", "smmu_v3", "pmcg", "rmr"}
VIOT_TYPES = {"pci_range", "mmio", "virtio_iommu_pci", "virtio_iommu_mmio"}


def check_iort_viot(t, w):
    """IORT and VIOT (the contract of issue 15): typed nodes, offsets and bases as "0x..."
    strings, the IORT's mappings with their five fields."""
    typ(t["node_count"], int, w + ".node_count")
    need(HEX.match(t["node_offset"]), w + ".node_offset")
    types = IORT_TYPES if t["signature"] == "IORT" else VIOT_TYPES
    for i, n in enumerate(t["nodes"]):
        nw = f"{w}.nodes[{i}]"
        need(n["type"] in types or n["type"] == "unknown", nw + ".type")
        need(HEX.match(n["offset"]), nw + ".offset")
        typ(n["length"], int, nw + ".length")
        typ(n["truncated"], bool, nw + ".truncated")
        if n["type"] in ("smmu", "smmu_v3", "pmcg", "mmio", "virtio_iommu_mmio"):
            need(HEX.match(n["base"]), nw + ".base")
        for k, m in enumerate(n.get("mappings", [])):
            mw = f"{nw}.mappings[{k}]"
            for f in ("input_base", "id_count", "output_base"):
                typ(m[f], int, f"{mw}.{f}")
            need(HEX.match(m["output_reference"]), mw + ".output_reference")
            typ(m["single"], bool, mw + ".single")
        for k in ("covers", "devices"):
            if isinstance(n.get(k), list) and all(isinstance(x, str) for x in n[k]):
                check_bdf_list(n[k], f"{nw}.{k}")


def check_acpi(doc):
    typ(doc["tables"], list, "tables")
    for t in doc["tables"]:
        w = f"tables[{t.get('signature')}]"
        need(t["signature"] in ("DMAR", "IVRS", "IORT", "VIOT"), w + ".signature")
        need(HEX.match(t["checksum"]), w + ".checksum")
        typ(t["checksum_ok"], (bool, type(None)), w + ".checksum_ok")
        for k in ("length", "bytes_read", "revision", "oem_revision", "creator_revision"):
            typ(t[k], int, f"{w}.{k}")
        if t["signature"] in ("IORT", "VIOT"):
            check_iort_viot(t, w)
        else:
            (check_dmar if t["signature"] == "DMAR" else check_ivrs)(t, w)


FAULT_VENDORS = {"intel", "amd", "arm-smmu", "arm-smmu-v3", "virtio-iommu"}
OPT_INT = (int, type(None))
OPT_STR = (str, type(None))


def check_position(x, w):
    for k in ("seq", "timestamp_us", "line"):
        typ(x[k], OPT_INT, f"{w}.{k}")
    typ(x["time"], OPT_STR, w + ".time")
    typ(x["message"], str, w + ".message")


def check_fault(f, w):
    check_position(f, w)
    need(f["vendor"] in FAULT_VENDORS, f"{w}.vendor {f['vendor']!r}")
    for k in ("unit", "client", "reason", "event", "driver", "device_name"):
        typ(f[k], OPT_STR, f"{w}.{k}")
    opt(f["bdf"], BDF, w + ".bdf")
    opt(f["address"], HEX, w + ".address")
    opt(f["flags"], HEX, w + ".flags")
    for k in ("pasid", "index", "domain", "sid", "ssid", "reason_code", "group"):
        typ(f[k], OPT_INT, f"{w}.{k}")
    typ(f["privileged"], (bool, type(None)), w + ".privileged")
    need(f["access"] in ("read", "write", "exec", "interrupt", None), f"{w}.access")
    need(f["kind"] in ("dma", "interrupt", "event"), f"{w}.kind")
    need((f["reason_code"] is None) == (f["reason"] is None), f"{w}: reason_code and reason")
    need(f["kind"] != "interrupt" or f["address"] is None or f["vendor"] == "amd",
         f"{w}: an Intel interrupt fault has an index, not an address")
    typ(f["complete"], bool, w + ".complete")
    typ(f["suppressed_before"], int, w + ".suppressed_before")
    for k in ("flag_names", "names"):
        need(f[k] is None or all(isinstance(x, str) for x in f[k]), f"{w}.{k}")
    if "annotation" in f:
        typ(f["annotation"], str, w + ".annotation")


def check_faults(doc):
    for i, f in enumerate(doc.get("faults", [])):
        check_fault(f, f"faults[{i}]")
    for i, u in enumerate(doc.get("unparsed", [])):
        check_position(u, f"unparsed[{i}]")
    for i, d in enumerate(doc.get("dropped", [])):
        w = f"dropped[{i}]"
        check_position(d, w)
        need(d["kind"] in ("suppressed", "status-only", "overflow", "lost-records"), w + ".kind")
        need(d["vendor"] in FAULT_VENDORS or (d["vendor"] is None and d["kind"] == "lost-records"),
             w + ".vendor")
        typ(d["function"], OPT_STR, w + ".function")
        typ(d["count"], int, w + ".count")
        typ(d["estimate"], int, w + ".estimate")
    if "log" in doc:
        lg = doc["log"]
        typ(lg["path"], str, "log.path")
        need(lg["format"] in ("kmsg", "text"), "log.format")
        for k in ("records", "bad_lines", "overlong_lines", "overruns"):
            typ(lg[k], int, "log." + k)
        typ(lg["first_seq"], OPT_INT, "log.first_seq")
    if "summary" in doc:
        s = doc["summary"]
        for k in ("faults", "unparsed", "devices", "suppressed_callbacks", "dropped_estimate",
                  "dropped_unattributed", "status_only", "overflows", "lost_records"):
            typ(s[k], int, "summary." + k)
        need(sum(r["count"] for r in s["by_device"]) == s["faults"], "summary: counts add up")
        need(sum(r["dropped_estimate"] for r in s["by_device"]) + s["dropped_unattributed"] ==
             s["dropped_estimate"], "summary: dropped estimates add up")
        if "faults" in doc:
            need(len(doc["faults"]) == s["faults"], "summary.faults is the length of faults")
        for i, r in enumerate(s["by_device"]):
            w = f"summary.by_device[{i}]"
            opt(r["bdf"], BDF, w + ".bdf")
            need(r["vendor"] in FAULT_VENDORS, w + ".vendor")
            for k in ("count", "reads", "writes", "suppressed_callbacks", "dropped_estimate"):
                typ(r[k], int, f"{w}.{k}")
            for k in ("group", "sid", "reason_code", "per_hour", "first_timestamp_us",
                      "last_timestamp_us"):
                typ(r[k], OPT_INT, f"{w}.{k}")
            need(r["reads"] + r["writes"] <= r["count"], w + ": reads and writes")
        irq = s["interrupts"]
        if irq is not None:
            typ(irq["count"], int, "summary.interrupts.count")
            typ(irq["faults_printed"], int, "summary.interrupts.faults_printed")
            typ(irq["log_complete"], bool, "summary.interrupts.log_complete")
            typ(irq["not_printed_estimate"], OPT_INT, "summary.interrupts.not_printed_estimate")
    if "check" in doc:
        c = doc["check"]
        typ(c["ok"], bool, "check.ok")
        need(c["ok"] == (c["faults"] <= c["max"]), "check.ok is faults <= max")


DBG_STATES = {"ok", "not-mounted", "permission-denied", "lockdown", "no-iommu-debugfs",
              "no-vendor-debugfs", "not-recorded", "no-files", "no-iommu"}
PAGE_SIZES = {4096, 2 << 20, 1 << 30}


def check_debugfs(doc):
    d = doc["debugfs"]
    need(d["state"] in DBG_STATES, f"debugfs.state {d['state']!r}")
    typ(d["path"], (str, type(None)), "debugfs.path")
    need(d["layout"] in ("global", "per-device", None), "debugfs.layout")
    need((d["message"] is None) == (d["state"] == "ok"), "debugfs.message only when not ok")
    need(d["state"] == "ok" or "error" in doc, "an error when debugfs is not readable")


def check_domain_keys(x, w):
    typ(x["unit"], (str, type(None)), w + ".unit")
    typ(x["domain_id"], (int, type(None)), w + ".domain_id")
    typ(x["translation"], (str, type(None)), w + ".translation")
    opt(x["page_table"], HEX, w + ".page_table")


def check_domains(doc):
    check_debugfs(doc)
    for x in doc["domains"]:
        w = f"domains[{x.get('unit')}:{x.get('domain_id')}]"
        check_domain_keys(x, w)
        need(x["mode"] in ("legacy", "scalable", None), w + ".mode")
        for k in ("address_width", "levels"):
            typ(x[k], (int, type(None)), f"{w}.{k}")
        for dv in x["devices"]:
            need(BDF.match(dv["bdf"]), w + ".devices.bdf")
            typ(dv["pasid"], (int, type(None)), w + ".devices.pasid")
            typ(dv["group"], (int, type(None)), w + ".devices.group")
            typ(dv["alias"], bool, w + ".devices.alias")
            need(not dv["alias"] or dv["group"] is None, w + ": an alias in a group")
            need(dv["seen_in"] and set(dv["seen_in"]) <= {"context", "dump", "group"},
                 w + ".devices.seen_in")
        typ(x["dumped"], bool, w + ".dumped")
        for k in ("mapped_bytes", "range_count", "pages_4k", "pages_2m", "pages_1g"):
            typ(x[k], int if x["dumped"] else type(None), f"{w}.{k}")
        if x["dumped"]:
            need(x["mapped_bytes"] == 4096 * x["pages_4k"] + (2 << 20) * x["pages_2m"] +
                 (1 << 30) * x["pages_1g"], w + ": mapped_bytes is the pages' sum")
            need(x["range_count"] <= x["pages_4k"] + x["pages_2m"] + x["pages_1g"],
                 w + ": more ranges than pages")


def check_mappings(doc):
    check_debugfs(doc)
    for m in doc.get("mappings", []):
        w = f"mappings[{m.get('bdf')}]"
        need(BDF.match(m["bdf"]), w + ".bdf")
        typ(m["pasid"], (int, type(None)), w + ".pasid")
        check_domain_keys(m, w)
        check_bdf_list(m["devices"], w + ".devices")
        typ(m["truncated"], bool, w + ".truncated")
        if m["ranges"] is None:
            need(m["translation"] in ("pass-through", None), w + ": ranges null when translated")
            continue
        last = -1
        for r in m["ranges"]:
            start, end = int(r["start"], 16), int(r["end"], 16)
            need(HEX.match(r["start"]) and HEX.match(r["end"]) and HEX.match(r["phys"]),
                 w + ": addresses")
            need(last < start <= end, w + f": range {r['start']} out of order")
            last = end
            need(r["size"] == end - start + 1, w + ": size")
            need(r["page_size"] in PAGE_SIZES and r["pages"] * r["page_size"] == r["size"],
                 w + ": page_size, pages")
            need(start % r["page_size"] == 0, w + ": alignment")
            for k in ("read", "write", "phys_contiguous"):
                typ(r[k], bool, f"{w}.{k}")
            need(r["read"] or r["write"], w + ": a range with no right")
    for x in doc.get("lookups", []):
        w = f"lookups[{x.get('bdf')}]"
        need(BDF.match(x["bdf"]) and HEX.match(x["iova"]), w + ": bdf, iova")
        need(x["state"] in ("mapped", "unmapped", "pass-through", "unknown"), w + ".state")
        mapped = x["state"] == "mapped"
        need((x["phys"] is not None) == (mapped or x["state"] == "pass-through"), w + ".phys")
        for k in ("read", "write"):
            typ(x[k], bool if mapped else type(None), f"{w}.{k}")
        need(x["page_size"] in PAGE_SIZES if mapped else x["page_size"] is None, w + ".page_size")
        if mapped:
            need(int(x["range"]["start"], 16) <= int(x["iova"], 16) <= int(x["range"]["end"], 16),
                 w + ": the range holds the IOVA")
        typ(x["rmrr"], bool, w + ".rmrr")
        need(not x["rmrr"] or x["reserved_region"], w + ": rmrr without a region")
        need((x["why"] is not None) == (x["state"] == "unknown"), w + ".why")
    for x in doc.get("ptes", []):
        w = f"ptes[{x.get('iova')}]"
        need(HEX.match(x["iova"]) and HEX.match(x["phys"]), w + ": addresses")
        need(x["level"] in (1, 2, 3) and
             x["page_size"] == {1: 4096, 2: 2 << 20, 3: 1 << 30}[x["level"]], w + ": level, size")
        need(3 <= len(x["entries"]) <= 5 and all(HEX.match(e) for e in x["entries"]),
             w + ".entries")


def check_unit_debugfs(doc):
    for u in doc["iommus"]:
        if u.get("debugfs") is None:
            continue
        d, w = u["debugfs"], f"iommus[{u.get('name')}].debugfs"
        for r in d.get("registers", []):
            need(HEX.match(r["offset"]) and HEX.match(r["value"]) and r["name"], w + ".registers")
        for name, reg in d.get("decoded", {}).items():
            need(HEX.match(reg["value"]), f"{w}.decoded.{name}")
        q = d.get("invalidation_queue")
        if q:
            need(q["descriptor_bits"] in (128, 256) and 0 <= q["pending"] < max(q["slots"], 1),
                 w + ".invalidation_queue")
            need(sum(q["statuses"].values()) == q["slots"], w + ": statuses add up")
        t = d.get("interrupt_remapping_table")
        if t:
            for e in t["entries"]:
                need(0 <= e["vector"] <= 255 and HEX.match(e["high"]) and HEX.match(e["low"]),
                     w + ".interrupt_remapping_table")
        for lat in d.get("latency") or []:
            need(len(lat["counts"]) == 7, w + ".latency.counts")


# groups -o / devices -o: rows with only the keys of the columns asked for, each of the
# type it has in the default document.
ROW_KEYS = {"bdf": BDF, "vendor_id": ID4, "device_id": ID4, "subsystem_vendor_id": ID4,
            "subsystem_device_id": ID4, "class": CLASS}
ROW_TYPES = {"group": (int, type(None)), "group_devices": (int, type(None)),
             "numa_node": (int, type(None)), "reset_methods": (list, type(None)),
             "names": list, "bridge": bool, "rmrr": (bool, type(None)), "present": bool}


def check_rows(doc):
    for arr in ("devices", "rows"):
        for i, r in enumerate(doc.get(arr, [])):
            w = f"{arr}[{i}]"
            for k, v in r.items():
                if k in ROW_KEYS:
                    opt(v, ROW_KEYS[k], f"{w}.{k}")
                elif k in ROW_TYPES:
                    typ(v, ROW_TYPES[k], f"{w}.{k}")
                else:
                    typ(v, (str, type(None)), f"{w}.{k}")


TOP_FAMILIES = {"interrupts", "kmsg", "tracepoints", "pmu", "latency", "hotplug"}
TOP_WHY = {"not-root", "paranoid", "kernel-too-old", "no-pmu-hardware", "not-built",
           "not-enabled", "no-tracefs", "not-recorded", "no-iommu", "identity", "error"}
NUM = (int, float)


def check_top_state(x, w):
    typ(x["live"], bool, w + ".live")
    need((x["reason"] is None) == x["live"], w + ": reason exactly when not live")
    need(x["reason"] is None or x["reason"] in TOP_WHY, f"{w}.reason {x['reason']!r}")
    typ(x["detail"], OPT_STR, w + ".detail")
    need((x["message"] is None) == x["live"], w + ": message exactly when not live")


def check_top_rate(r, w, iv):
    if r is None:
        return
    need(list(r) == ["per_s", "count", "interval_s", "total", "gone"], f"{w}: keys {list(r)}")
    typ(r["total"], int, w + ".total")
    typ(r["gone"], bool, w + ".gone")
    if r["per_s"] is None:
        need(r["count"] is None and r["interval_s"] is None, w + ": null per_s with a count")
        return
    typ(r["per_s"], NUM, w + ".per_s")
    typ(r["count"], int, w + ".count")
    need(r["interval_s"] == iv, f"{w}.interval_s {r['interval_s']} is not the record's {iv}")
    need(abs(r["per_s"] - r["count"] / iv) <= 1e-3 * max(1, r["per_s"]) + 1e-3,
         f"{w}: per_s {r['per_s']} is not count / interval_s")


def check_top(doc):
    typ(doc["seq"], int, "seq")
    typ(doc["time"], OPT_STR, "time")
    iv = doc["interval_s"]
    need(iv is None or (isinstance(iv, NUM) and iv > 0), f"interval_s {iv!r}")
    typ(doc["replay"], bool, "replay")
    need(set(doc["sources"]) == TOP_FAMILIES, f"sources {sorted(doc['sources'])}")
    for k, x in doc["sources"].items():
        check_top_state(x, "sources." + k)
    for u in doc["units"]:
        w = f"units[{u.get('name')}]"
        typ(u["name"], str, w + ".name")
        typ(u["gone"], bool, w + ".gone")
        for k in ("iotlb_lookups", "iotlb_hits", "iotlb_misses", "context_lookups",
                  "context_hits", "invalidations", "fault_interrupts", "fault_records"):
            check_top_rate(u[k], f"{w}.{k}", iv)
        for k in ("iotlb_hit_ratio", "context_hit_ratio"):
            need(u[k] is None or (isinstance(u[k], NUM) and 0 <= u[k] <= 1), f"{w}.{k} {u[k]!r}")
        typ(u["suppressed"], OPT_INT, w + ".suppressed")
        check_top_state(u["pmu"], w + ".pmu")
    sy = doc["system"]
    for k in ("maps", "unmaps", "invalidations", "fault_interrupts", "fault_records"):
        check_top_rate(sy[k], "system." + k, iv)
    for k in ("suppressed", "lost_records"):
        typ(sy[k], OPT_INT, "system." + k)
        need((sy[k] is None) == (sy["fault_records"] is None), f"system.{k}: null with the log")
    typ(sy["counter_resets"], int, "system.counter_resets")
    for d in doc["devices"]:
        w = f"devices[{d.get('bdf') or d.get('client')}]"
        need((d["bdf"] is None) != (d["client"] is None), w + ": bdf or client")
        opt(d["bdf"], BDF, w + ".bdf")
        typ(d["group"], OPT_INT, w + ".group")
        for k in ("gone", "added"):
            typ(d[k], bool, f"{w}.{k}")
        typ(d["faults_total"], OPT_INT, w + ".faults_total")
        typ(d["faults"], OPT_INT, w + ".faults")
        need(d["faults_per_s"] is None or isinstance(d["faults_per_s"], NUM), w + ".faults_per_s")
        lf = d["last_fault"]
        if lf is not None:
            typ(lf["timestamp_us"], OPT_INT, w + ".last_fault.timestamp_us")
            opt(lf["address"], HEX, w + ".last_fault.address")
    for i, f in enumerate(doc["faults"]):
        check_fault(f, f"faults[{i}]")
    typ(doc["faults_not_listed"], int, "faults_not_listed")
    if doc["latency"] is not None:
        for x in doc["latency"]:
            need(len(x["buckets"]) == 7, "latency.buckets")


CHECKS = {"groups": check_groups, "devices": check_devices, "status": check_status,
          "iommus": check_iommus, "acpi": check_acpi, "faults": check_faults,
          "domains": check_domains, "mappings": check_mappings, "top": check_top}


def check_doc(doc, cmd):
    keys = list(doc)
    need(keys[0] == "schema_version" and doc["schema_version"] == 1, "schema_version first, = 1")
    need(keys[-1] == "warnings" and isinstance(doc["warnings"], list), "warnings last")
    if "error" in doc:
        typ(doc["error"], str, "error")
    no_floats(doc, allowed=FLOAT_KEYS.get(cmd, frozenset()))
    if cmd in CHECKS and cmd in doc or (cmd == "status" and "hardware" in doc) or \
            (cmd == "top" and "sources" in doc) or \
            (cmd == "faults" and "summary" in doc) or \
            (cmd == "acpi" and "tables" in doc) or \
            (cmd == "mappings" and ("lookups" in doc or "ptes" in doc)):
        CHECKS[cmd](doc)
    if cmd == "iommus" and "iommus" in doc:
        check_unit_debugfs(doc)


# The commands whose JSON is a stream of documents, one a line.
NDJSON_COMMANDS = {"top"}


def command_of(fn):
    """The command an expected file holds the output of: top.json -> top,
    intel-faults-json.ndjson -> top (the one command that writes NDJSON)."""
    if fn.endswith(".ndjson"):
        return next(iter(NDJSON_COMMANDS)) if len(NDJSON_COMMANDS) == 1 else None
    return fn[:-5]


def check_ndjson(text, cmd):
    """Each line a document; lines that are not JSON objects (a golden's "exit: 0",
    stderr lines) after the stream end it."""
    lines = text.split("\n")
    need(lines and lines[-1] == "", "no newline at the end")
    docs = 0
    for i, line in enumerate(lines[:-1]):
        if not line.startswith("{"):
            need(docs > 0 and all(not x.startswith("{") for x in lines[i:]),
                 f"line {i + 1}: not a JSON object: {line[:60]!r}")
            break
        try:
            check_doc(json.loads(line), cmd)
        except Bad as e:
            raise Bad(f"line {i + 1}: {e}")
        docs += 1
    need(docs > 0, "no record")


def main(top):
    n = 0
    dirs = [top]
    # with the goldens of every command, the sub-suites' own (tests/top/expected, ...)
    if os.path.basename(os.path.normpath(top)) == "expected":
        tests = os.path.dirname(os.path.normpath(top))
        dirs += sorted(os.path.join(tests, d, "expected") for d in os.listdir(tests)
                       if os.path.isdir(os.path.join(tests, d, "expected")))
    for base in dirs:
        n += check_tree(base, top)
    # the plan (tests/run.sh): a run that stops on an error has none
    print(f"PLAN {n}")


def check_tree(base, top):
    n = 0
    for dirpath, _, files in sorted(os.walk(base)):
        for fn in sorted(files):
            path = os.path.join(dirpath, fn)
            name = os.path.relpath(path, top) if base == top else os.path.relpath(path, ".")
            try:
                cmd = command_of(fn) if fn.endswith((".json", ".ndjson")) else None
                if cmd in NDJSON_COMMANDS:
                    check_ndjson(open(path).read(), cmd)
                elif fn.endswith(".json"):
                    check_doc(json.load(open(path)), cmd)
                elif dirpath.endswith("cases") and ("-json" in fn or "json" in open(path).read(40)):
                    text = open(path).read()
                    body = text.split("\nstderr: ")[0].split("\nexit: ")[0]
                    if not body.lstrip().startswith("{"):
                        continue
                    cmd = next((c for c in CHECKS if c in fn), None)
                    if "-columns" in fn:
                        check_doc(json.loads(body), None)
                        check_rows(json.loads(body))
                    else:
                        check_doc(json.loads(body), cmd)
                else:
                    continue
                print(f"PASS {name}")
            except (Bad, KeyError, ValueError, TypeError) as e:
                print(f"FAIL {name}: {type(e).__name__}: {e}")
            n += 1
    return n


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/expected")
