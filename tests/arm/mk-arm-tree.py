#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the synthetic Arm fixtures: recorded trees of an arm64 machine with an SMMUv3.

  tests/arm/mk-arm-tree.py [--top DIR]

fixtures/arm-smmuv3-synthetic/  shaped like a QEMU `-machine virt,iommu=smmuv3`
    guest booted with UEFI (ACPI) on Debian's 6.1 arm64 kernel: a GICv3 with
    one ITS, one SMMUv3 at 0x09050000, the IORT QEMU builds (an ITS group, the
    SMMUv3 mapping its stream IDs to the ITS, the PCI root complex mapping
    requester IDs 1:1 to stream IDs), virtio-net, a root port with an edu
    device bound to vfio-pci behind it, an NVMe drive.
fixtures/arm-v2m-rmr-synthetic/ the same machine with a GICv2m instead of an
    ITS (MSIs not isolated), an IORT RMR node that pins a range for the NVMe
    drive's stream ID, and arm-smmu-v3.disable_bypass=0 iommu.passthrough=1 on
    the command line.
fixtures/arm-dt-synthetic/      the first machine booted without UEFI: no ACPI
    tables, the device tree QEMU builds instead (the PCIe host bridge's
    iommu-map and msi-map, the SMMUv3 node with #iommu-cells, the ITS node
    with msi-controller) under sys/firmware/devicetree/base; the SMMU's
    platform device is then "9050000.smmuv3".
fixtures/arm-virtio-iommu-synthetic/ a QEMU virt guest (UEFI) with
    `-device virtio-iommu-pci` and no SMMU: an IORT whose root complex maps
    requester IDs straight to the ITS, a VIOT whose PCI range sends every
    device to the virtio-iommu at 0000:00:01.0 (unit virtio0, not translated
    itself, so in no group).

The sysfs layout follows the real 6.1 captures in fixtures/ and the kernel's
arm-smmu-v3 driver (unit "smmu3.<base>" whose device is the platform device
"arm-smmu-v3.0.auto" the IORT code creates; MSI_IOVA_BASE 0x8000000 as each
group's software MSI region). The kernel log lines are the ones the drivers
print. Deterministic; the fixtures are committed and this script regenerates
them (review the diff).
"""
import argparse
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "acpi"))
import importlib  # noqa: E402

mk = importlib.import_module("mk-tables")

SMMU_BASE = 0x09050000
SMMU_UNIT = "smmu3.0x%016x" % SMMU_BASE
SMMU_DEV = "arm-smmu-v3.0.auto"
SMMU_DT_DEV = "9050000.smmuv3"
PH_ITS, PH_SMMU = 0x8006, 0x8005
KVER = ("Linux version 6.1.0-18-arm64 (debian-kernel@lists.debian.org) (gcc-12 (Debian "
        "12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP Debian 6.1.76-1 "
        "(2024-02-01)")

# bdf, vendor, device, class, driver, group, is_bridge
VIRTIO_DEVICES = [
    ("0000:00:00.0", 0x1b36, 0x0008, 0x060000, None, 0, False),
    ("0000:00:01.0", 0x1af4, 0x1057, 0xff0000, "virtio-pci", None, False),
    ("0000:00:02.0", 0x1af4, 0x1041, 0x020000, "virtio-pci", 1, False),
    ("0000:00:03.0", 0x1b36, 0x0010, 0x010802, "nvme", 2, False),
    ("0000:00:04.0", 0x1b36, 0x000c, 0x060400, "pcieport", 3, True),
    ("0000:01:00.0", 0x1234, 0x11e8, 0x00ff00, "vfio-pci", 4, False),
]
DEVICES = [
    ("0000:00:00.0", 0x1b36, 0x0008, 0x060000, None, 0, False),
    ("0000:00:01.0", 0x1af4, 0x1041, 0x020000, "virtio-pci", 1, False),
    ("0000:00:02.0", 0x1b36, 0x000c, 0x060400, "pcieport", 2, True),
    ("0000:00:03.0", 0x1b36, 0x0010, 0x010802, "nvme", 3, False),
    ("0000:01:00.0", 0x1234, 0x11e8, 0x00ff00, "vfio-pci", 4, False),
]


def rid(bdf):
    bus, df = bdf.split(":")[1:]
    dev, fn = df.split(".")
    return (int(bus, 16) << 8) | (int(dev, 16) << 3) | int(fn)


def write(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def link(path, target):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)


# QEMU's pcie-root-port (1b36:000c) as a real guest's kernel read it (fixtures/intel-q35, Linux
# 6.1): its PCIe capability and its ACS extended capability, which the kernel's grouping
# (pci_device_group) looks for above a device; arm64 virt uses the same device model.
ROOT_PORT_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures",
                                "intel-q35", "sys", "bus", "pci", "devices", "0000:00:10.0",
                                "config")


def config(ven, dev, cls, bridge, sec=0):
    if bridge:
        with open(ROOT_PORT_CONFIG, "rb") as f:
            c = bytearray(f.read())
        assert struct.unpack_from("<HHI", c, 0)[:2] == (ven, dev), "not QEMU's root port"
        c[0x0e] = 1  # a type 1 header, one function (the q35 one has four)
        c[0x18], c[0x19], c[0x1a] = 0, sec, sec
        return bytes(c)
    c = bytearray(256)
    struct.pack_into("<HHHHI", c, 0, ven, dev, 0x0106, 0x0010, (cls << 8) | 0x01)
    return bytes(c)


def devices(variant):
    return VIRTIO_DEVICES if variant == "virtio" else DEVICES


def dev_path(bdf, devs):
    """sys/devices/... of a device (the edu device sits behind the root port)."""
    if bdf.startswith("0000:01:"):
        port = [d[0] for d in devs if d[6]][0]
        return "devices/pci0000:00/%s/%s" % (port, bdf)
    return "devices/pci0000:00/" + bdf


def viot_table():
    """QEMU's VIOT for virtio-iommu-pci: one PCI range (every BDF of segment 0) to it."""
    def pci_range(offs):
        return struct.pack("<BBHIHHHHH6x", 1, 0, 24, 0, 0, 0, 0x0000, 0xffff, mk.ref(offs, 1))

    def vpci(offs):
        return struct.pack("<BBHHH8x", 3, 0, 16, 0, rid("0000:00:01.0"))

    return mk.viot([pci_range, vpci])


def iort_table(variant):
    """The IORT: QEMU's layout (revision 3); the rmr variant has no ITS but an RMR."""
    its_i, smmu_i, rc_i = 0, 1, 2

    def its(offs):
        return mk.iort_node(0, 1, 0, struct.pack("<II", 1, 0))

    def smmu3(offs, to_its):
        # COHACC override; wired event, PRI, GERR and sync interrupts (SPI 74 to 77)
        body = struct.pack("<QIIQIIIIIII", SMMU_BASE, 0x1, 0, 0, 0, 106, 107, 108, 109, 0, 0)
        maps = mk.idmap(0, 0xffff, 0, mk.ref(offs, its_i)) if to_its else b""
        return mk.iort_node(4, 4, 1, body, maps)

    def rc(offs, smmu):
        body = mk.mem_props(1, 0, 0x3) + struct.pack("<IIB", 0, 0, 64) + bytes(3)
        return mk.iort_node(2, 3, 2, body, mk.idmap(0, 0xffff, 0, mk.ref(offs, smmu)))

    if variant == "its":
        return mk.iort(3, [its, lambda o: smmu3(o, True), lambda o: rc(o, smmu_i)])
    if variant == "virtio":
        return mk.iort(3, [its, lambda o: rc(o, its_i)])

    def rmr(offs):
        # remap not permitted, Device-nGnRnE memory; the NVMe drive's stream ID
        nvme = rid("0000:00:03.0")
        maps = mk.idmap(0, 0, nvme, mk.ref(offs, 0))
        descs = struct.pack("<QQI", 0xbfe00000, 0x200000, 0)
        body = struct.pack("<III", 0x0, 1, 28 + 20) + maps + descs
        return struct.pack("<BHBIII", 6, 16 + len(body), 1, 3, 1, 28) + body

    return mk.iort(5, [lambda o: smmu3(o, False), lambda o: rc(o, 0), rmr])


def kmsg_lines(variant, cmdline):
    smmu_dev = SMMU_DT_DEV if variant == "dt" else SMMU_DEV
    lines = [KVER, "Booting Linux on physical CPU 0x0000000000 [0x000f0510]"]
    if variant == "dt":
        lines += ["Machine model: linux,dummy-virt"]
    else:
        lines += ["efi: EFI v2.7 by EDK II",
                  "ACPI: IORT 0x000000013C3E0000 0000%X (v%02d BOCHS  BXPC     00000001 BXPC "
                  "00000001)" % (216 if variant == "its" else 240, 3 if variant == "its" else 5)]
        if variant == "virtio":
            lines[-1] = ("ACPI: IORT 0x000000013C3E0000 000080 (v03 BOCHS  BXPC     00000001 BXPC "
                         "00000001)")
            lines += ["ACPI: VIOT 0x000000013C3D0000 000058 (v00 BOCHS  BXPC     00000001 BXPC "
                      "00000001)"]
    lines += ["Kernel command line: " + cmdline]
    if variant in ("its", "dt", "virtio"):
        lines += ["GICv3: 256 SPIs implemented",
                  "GICv3: GICv3 features: 16 PPIs",
                  "GICv3: CPU0: found redistributor 0 region 0:0x00000000080a0000",
                  "ITS [mem 0x08080000-0x0809ffff]",
                  "ITS@0x0000000008080000: allocated 8192 Devices @100d10000 (indirect, esz 8, "
                  "psz 64K, shr 1)"]
    else:
        lines += ["GICv2m: range[mem 0x08020000-0x08020fff], SPI[80:143]"]
    lines += ["iommu: Default domain type: " +
              ("Passthrough (set via kernel command line)" if variant == "rmr" else "Translated"),
              "iommu: DMA domain TLB invalidation policy: lazy mode"]
    if variant in ("its", "dt", "virtio"):
        lines += ["PCI/MSI: ITS@0x8080000 domain created",
                  "Platform MSI: ITS@0x8080000 domain created"]
    lines += ["ACPI: PCI Root Bridge [PCI0] (domain 0000 [bus 00-ff])" if variant != "dt" else
              "pci-host-generic 4010000000.pcie: host bridge /pcie@10000000 ranges:"]
    if variant == "virtio":
        lines += ["virtio_iommu virtio0: input address: 64 bits",
                  "virtio_iommu virtio0: page mask: 0xfffffffffffff000"]
    else:
        lines += ["arm-smmu-v3 %s: option mask 0x0" % smmu_dev,
              "arm-smmu-v3 %s: ias 44-bit, oas 44-bit (features 0x00008305)" % smmu_dev,
              "arm-smmu-v3 %s: allocated 65536 entries for cmdq" % smmu_dev,
              "arm-smmu-v3 %s: allocated 32768 entries for evtq" % smmu_dev]
    if variant == "rmr":
        lines += ["arm-smmu-v3 %s: msi_domain absent - falling back to wired irqs" % smmu_dev]
    for bdf, _, _, _, _, grp, _ in devices(variant):
        if grp is not None:
            lines.append("pci %s: Adding to iommu group %d" % (bdf, grp))
    if variant in ("its", "dt"):
        # a translation fault (F_TRANSLATION) of the edu device's stream 0x100, as 6.1 prints it
        lines += ["arm-smmu-v3 %s: event 0x10 received:" % smmu_dev]
        lines += ["arm-smmu-v3 %s: \\x090x%016x" % (smmu_dev, w)
                  for w in (0x0000010000000010, 0x0000010800000000, 0x00000000fffff000, 0)]
    return lines


def cells(*v):
    return struct.pack(">%dI" % len(v), *v)


def devicetree(base):
    """The properties QEMU's virt machine puts in its device tree that the tool reads."""
    def prop(node, name, data):
        write(os.path.join(base, node, name), data, "wb")

    prop("", "#address-cells", cells(2))
    prop("", "#size-cells", cells(2))
    prop("", "compatible", b"linux,dummy-virt\0")
    prop("intc@8000000", "compatible", b"arm,gic-v3\0")
    prop("intc@8000000", "#address-cells", cells(2))
    prop("intc@8000000", "reg", cells(0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000))
    prop("intc@8000000/its@8080000", "compatible", b"arm,gic-v3-its\0")
    prop("intc@8000000/its@8080000", "msi-controller", b"")
    prop("intc@8000000/its@8080000", "#msi-cells", cells(1))
    prop("intc@8000000/its@8080000", "phandle", cells(PH_ITS))
    prop("intc@8000000/its@8080000", "reg", cells(0, 0x08080000, 0, 0x20000))
    prop("smmuv3@9050000", "compatible", b"arm,smmu-v3\0")
    prop("smmuv3@9050000", "reg", cells(0, 0x09050000, 0, 0x20000))
    prop("smmuv3@9050000", "#iommu-cells", cells(1))
    prop("smmuv3@9050000", "phandle", cells(PH_SMMU))
    prop("pcie@10000000", "compatible", b"pci-host-ecam-generic\0")
    prop("pcie@10000000", "device_type", b"pci\0")
    prop("pcie@10000000", "linux,pci-domain", cells(0))
    prop("pcie@10000000", "iommu-map", cells(0, PH_SMMU, 0, 0x10000))
    prop("pcie@10000000", "msi-map", cells(0, PH_ITS, 0, 0x10000))
    prop("pcie@10000000", "reg", cells(0x40, 0x10000000, 0, 0x10000000))


def make(top, name, variant):
    root = os.path.join(top, "fixtures", name)
    # capture/ holds iasl's disassembly of the IORT (tests/acpi/t-iasl.sh without iasl): kept
    for entry in (os.listdir(root) if os.path.isdir(root) else []):
        if entry != "capture":
            path = os.path.join(root, entry)
            shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
    sysd = os.path.join(root, "sys")
    cmdline = "BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-arm64 root=/dev/vda2 ro console=ttyAMA0"
    if variant == "rmr":
        cmdline += " arm-smmu-v3.disable_bypass=0 iommu.passthrough=1"
    write(os.path.join(root, "README"),
          "SYNTHETIC fixture, made by tests/arm/mk-arm-tree.py (see its description).\n")
    write(os.path.join(root, "proc/cmdline"), cmdline + "\n")
    write(os.path.join(root, "proc/version"), KVER + "\n")
    kmsg = "".join("6,%d,%d,-;%s\n" % (i, i * 1000, t)
                   for i, t in enumerate(kmsg_lines(variant, cmdline)))
    write(os.path.join(root, "dev/kmsg"), kmsg)
    if variant == "dt":
        devicetree(os.path.join(sysd, "firmware/devicetree/base"))
    else:
        write(os.path.join(sysd, "firmware/acpi/tables/IORT"), bytes(iort_table(variant)), "wb")
    if variant == "virtio":
        write(os.path.join(sysd, "firmware/acpi/tables/VIOT"), bytes(viot_table()), "wb")
    smmu_dev = SMMU_DT_DEV if variant == "dt" else SMMU_DEV
    devs = devices(variant)

    if variant == "virtio":
        # the virtio device of the virtio-iommu PCI function, and its unit
        vdev = dev_path("0000:00:01.0", devs) + "/virtio0"
        unit = vdev + "/iommu/virtio0"
        write(os.path.join(sysd, vdev, "uevent"), "DRIVER=virtio_iommu\nMODALIAS=virtio:d00000017v00001AF4\n")
        link(os.path.join(sysd, unit, "device"), "../../../virtio0")
        write(os.path.join(sysd, unit, "uevent"), "")
        link(os.path.join(sysd, "class/iommu", "virtio0"), "../../" + unit)
    else:
        # the SMMU's platform device and its unit
        plat = "devices/platform/" + smmu_dev
        unit = plat + "/iommu/" + SMMU_UNIT
        write(os.path.join(sysd, plat, "uevent"),
              "DRIVER=arm-smmu-v3\nMODALIAS=platform:arm-smmu-v3\n")
        link(os.path.join(sysd, plat, "driver"), "../../../bus/platform/drivers/arm-smmu-v3")
        link(os.path.join(sysd, unit, "device"), "../../../" + smmu_dev)
        write(os.path.join(sysd, unit, "uevent"), "")
        link(os.path.join(sysd, "class/iommu", SMMU_UNIT), "../../" + unit)
    gtype = "identity" if variant == "rmr" else "DMA-FQ"
    for bdf, ven, dev, cls, drv, grp, bridge in devs:
        d = dev_path(bdf, devs)
        dd = os.path.join(sysd, d)
        up = "../" * (d.count("/") + 1)
        write(os.path.join(dd, "config"), config(ven, dev, cls, bridge, 1), "wb")
        for attr, val in (("vendor", "0x%04x" % ven), ("device", "0x%04x" % dev),
                          ("class", "0x%06x" % cls), ("revision", "0x01"),
                          ("subsystem_vendor", "0x1af4"), ("subsystem_device", "0x1100"),
                          ("numa_node", "-1")):
            write(os.path.join(dd, attr), val + "\n")
        write(os.path.join(dd, "uevent"),
              ("DRIVER=%s\n" % drv if drv else "") +
              "PCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=1AF4:1100\nPCI_SLOT_NAME=%s\n"
              % (cls, ven, dev, bdf))
        if drv:
            link(os.path.join(dd, "driver"), up + "bus/pci/drivers/" + drv)
        link(os.path.join(dd, "subsystem"), up + "bus/pci")
        link(os.path.join(sysd, "bus/pci/devices", bdf), "../../../" + d)
        if grp is None:
            continue
        link(os.path.join(dd, "iommu_group"), up + "kernel/iommu_groups/%d" % grp)
        link(os.path.join(dd, "iommu"), up + unit)
        link(os.path.join(sysd, unit, "devices", bdf), "../" * (unit.count("/") + 2) + d)
        g = os.path.join(sysd, "kernel/iommu_groups/%d" % grp)
        link(os.path.join(g, "devices", bdf), "../../../../" + d)
        regions = "0x0000000008000000 0x00000000080fffff msi\n"
        if variant == "rmr" and bdf == "0000:00:03.0":
            regions = ("0x0000000008000000 0x00000000080fffff msi\n"
                       "0x00000000bfe00000 0x00000000bfffffff direct\n")
        write(os.path.join(g, "reserved_regions"), regions)
        write(os.path.join(g, "type"), gtype + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", ".."))
    a = ap.parse_args()
    make(a.top, "arm-smmuv3-synthetic", "its")
    make(a.top, "arm-v2m-rmr-synthetic", "rmr")
    make(a.top, "arm-dt-synthetic", "dt")
    make(a.top, "arm-virtio-iommu-synthetic", "virtio")


if __name__ == "__main__":
    main()
