#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the recorded trees tests/check/t-check.sh runs `check` on.

Each is fixtures/intel-q35 (a QEMU q35 guest on Linux 6.1) changed the way a
real machine would differ, with the kernel's groups rewritten as the kernel
would have made them (drivers/iommu/iommu.c, pci_device_group):

  causes      root port 00:10.0 without an ACS capability (01:00.0 joins its
              group; the port's sibling functions keep theirs, so the slot
              stays apart), root port 00:12.0 with ACS but its control
              register off (07:00.0 and 07:00.1 join its group); the root
              filesystem on 04:00.0 (vda2)
              and the default route on 03:00.0 (enp3s0); /dev/vfio recorded;
              02:00.0 made a Marvell 88SE9230 (1b4b:9230), whose DMA comes
              from function 1 (quirk_dma_func1_alias), which is not there;
              as before: a PCIe-to-PCI bridge (group 14), functions without
              ACS (group 9), devices without a reset.
  intremap-off  interrupt remapping off (intremap=off: no "Enabled IRQ
              remapping" in the log, no IR- chip in /proc/interrupts) with
              vfio_iommu_type1's allow_unsafe_interrupts N.
  bad-config  configuration spaces a reader gets wrong: 64 bytes (not root)
              for 01:00.0, 200 bytes for 03:00.0, a capability list that loops
              for 02:00.0, an extended list that points past the bytes for
              root port 00:12.0, no reset_method for 04:00.0, no config
              at all for 06:02.0.

  sriov       SR-IOV and host drivers in groups: 07:00.0 an ice PF with one
              VF enabled (01:00.0, elsewhere), in one group with 07:00.1;
              the LPC bridge 00:1f.0 bound to lpc_ich and the SMBus 00:1f.3
              to i801_smbus (group 9).
  sriov-vf    07:00.0 an ice PF whose VF 07:00.1 is in its group.

Usage: mk-check-trees.py SRC OUT   (SRC: fixtures/intel-q35; OUT/NAME is made)
Standard library only; the output depends only on SRC.
"""
import os
import shutil
import struct
import sys

PCI = "sys/devices/pci0000:00"
DEVDIR = {
    "0000:00:10.0": PCI + "/0000:00:10.0",
    "0000:00:10.1": PCI + "/0000:00:10.1",
    "0000:00:12.0": PCI + "/0000:00:12.0",
    "0000:01:00.0": PCI + "/0000:00:10.0/0000:01:00.0",
    "0000:02:00.0": PCI + "/0000:00:10.1/0000:02:00.0",
    "0000:03:00.0": PCI + "/0000:00:10.2/0000:03:00.0",
    "0000:04:00.0": PCI + "/0000:00:10.3/0000:04:00.0",
    "0000:06:02.0": PCI + "/0000:00:11.0/0000:05:00.0/0000:06:02.0",
    "0000:07:00.0": PCI + "/0000:00:12.0/0000:07:00.0",
    "0000:07:00.1": PCI + "/0000:00:12.0/0000:07:00.1",
}
NODE = "iommu-inspect device node: "


def ext_caps(cfg):
    """(offset, id) of each extended capability."""
    out, pos, seen = [], 0x100, set()
    while pos and pos + 4 <= len(cfg) and pos not in seen:
        seen.add(pos)
        hdr = struct.unpack_from("<I", cfg, pos)[0]
        if hdr == 0:
            break
        out.append((pos, hdr & 0xffff))
        pos = hdr >> 20
    return out


def config(tree, bdf):
    return os.path.join(tree, DEVDIR[bdf], "config")


def edit_config(tree, bdf, fn):
    p = config(tree, bdf)
    with open(p, "rb") as f:
        cfg = bytearray(f.read())
    cfg = fn(cfg)
    with open(p, "wb") as f:
        f.write(bytes(cfg))


def acs_of(cfg):
    for pos, cid in ext_caps(cfg):
        if cid == 0x000d:
            return pos
    raise SystemExit("no ACS capability where one was expected")


def drop_acs(cfg):
    # id 0 keeps the chain and matches no capability (pci_find_next_ext_capability)
    pos = acs_of(cfg)
    struct.pack_into("<H", cfg, pos, 0)
    return cfg


def acs_off(cfg):
    struct.pack_into("<H", cfg, acs_of(cfg) + 6, 0)
    return cfg


def move_to_group(tree, bdf, old, new):
    """The kernel put bdf into group new, not old (which it then never made)."""
    groups = os.path.join(tree, "sys/kernel/iommu_groups")
    if os.path.isdir(os.path.join(groups, str(old))):
        shutil.rmtree(os.path.join(groups, str(old)))
    os.symlink("../../../../devices/" + DEVDIR[bdf][len("sys/devices/"):],
               os.path.join(groups, str(new), "devices", bdf))
    link = os.path.join(tree, DEVDIR[bdf], "iommu_group")
    os.unlink(link)
    depth = DEVDIR[bdf].count("/") + 1
    os.symlink("../" * (depth - 1) + "kernel/iommu_groups/%d" % new, link)


def set_ids(tree, bdf, vendor, device):
    """Another device in the same place: its ids in sysfs and in config space."""
    d = os.path.join(tree, DEVDIR[bdf])
    with open(os.path.join(d, "vendor"), "w") as f:
        f.write("0x%04x\n" % vendor)
    with open(os.path.join(d, "device"), "w") as f:
        f.write("0x%04x\n" % device)

    def ids(c):
        struct.pack_into("<HH", c, 0, vendor, device)
        return c
    edit_config(tree, bdf, ids)
    p = os.path.join(d, "uevent")
    with open(p) as f:
        text = "".join("PCI_ID=%04X:%04X\n" % (vendor, device) if l.startswith("PCI_ID=") else l
                       for l in f.readlines())
    with open(p, "w") as f:
        f.write(text)


def write(tree, rel, text):
    p = os.path.join(tree, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)


def mkdir(tree, rel):
    os.makedirs(os.path.join(tree, rel), exist_ok=True)


def link(tree, rel, target):
    p = os.path.join(tree, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    os.symlink(target, p)


def causes(src, out):
    t = os.path.join(out, "causes")
    shutil.copytree(src, t, symlinks=True)
    edit_config(t, "0000:00:10.0", drop_acs)
    edit_config(t, "0000:00:12.0", acs_off)
    move_to_group(t, "0000:01:00.0", 10, 3)
    move_to_group(t, "0000:07:00.0", 15, 8)
    move_to_group(t, "0000:07:00.1", 15, 8)
    set_ids(t, "0000:02:00.0", 0x1b4b, 0x9230)

    # the root filesystem: ext4 on vda2, a partition of the virtio disk at 04:00.0
    write(t, "proc/self/mountinfo",
          "22 1 254:2 / / rw,relatime shared:1 - ext4 /dev/vda2 rw,errors=remount-ro\n"
          "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n")
    vda = DEVDIR["0000:04:00.0"] + "/virtio1/block/vda"
    mkdir(t, vda + "/vda2")
    write(t, vda + "/vda2/partition", "2\n")
    write(t, vda + "/vda2/dev", "254:2\n")
    write(t, DEVDIR["0000:04:00.0"] + "/virtio1/uevent", "DRIVER=virtio_blk\n")
    link(t, DEVDIR["0000:04:00.0"] + "/virtio1/subsystem", "../../../../../bus/virtio")
    link(t, "sys/dev/block/254:2", "../../devices/pci0000:00/0000:00:10.3/0000:04:00.0/virtio1/block/vda/vda2")
    link(t, "sys/class/block/vda2", "../../devices/pci0000:00/0000:00:10.3/0000:04:00.0/virtio1/block/vda/vda2")

    # the default route: enp3s0, the virtio NIC at 03:00.0
    write(t, "proc/net/route",
          "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
          "enp3s0\t00000000\t0202000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
          "enp3s0\t0002000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n")
    net = DEVDIR["0000:03:00.0"] + "/virtio0/net/enp3s0"
    mkdir(t, net)
    link(t, net + "/device", "../../../virtio0")
    write(t, DEVDIR["0000:03:00.0"] + "/virtio0/uevent", "DRIVER=virtio_net\n")
    link(t, DEVDIR["0000:03:00.0"] + "/virtio0/subsystem", "../../../../../bus/virtio")
    link(t, "sys/class/net/enp3s0", "../../devices/pci0000:00/0000:00:10.2/0000:03:00.0/virtio0/net/enp3s0")
    mkdir(t, "sys/class/input")  # no keyboard: a serial console

    # /dev as a snapshot records it: vfio-pci holds 00:05.0 (group 2)
    write(t, "dev/vfio/vfio", NODE + "c 10:196 mode 0666 uid 0 gid 0\n")
    write(t, "dev/vfio/2", NODE + "c 244:0 mode 0600 uid 0 gid 0\n")
    write(t, "dev/iommu", NODE + "absent\n")
    # (not the .iommu-inspect-keep of a snapshot's empty directory)
    for g in sorted((g for g in os.listdir(os.path.join(t, "sys/kernel/iommu_groups"))
                     if not g.startswith(".")), key=int):
        if g != "2":
            write(t, "dev/vfio/" + g, NODE + "absent\n")


def bad_config(src, out):
    t = os.path.join(out, "bad-config")
    shutil.copytree(src, t, symlinks=True)
    edit_config(t, "0000:01:00.0", lambda c: c[:64])
    edit_config(t, "0000:03:00.0", lambda c: c[:200])

    def loop(c):
        # the last standard capability points back at the first
        first = c[0x34]
        pos, seen = first, set()
        while c[pos + 1] and c[pos + 1] not in seen:
            seen.add(pos)
            pos = c[pos + 1]
        c[pos + 1] = first
        return c
    edit_config(t, "0000:02:00.0", loop)

    def past_end(c):
        # the extended list names 0x148, the bytes stop at 0x140
        return c[:0x140]
    edit_config(t, "0000:00:12.0", past_end)
    os.unlink(os.path.join(t, DEVDIR["0000:04:00.0"], "reset_method"))
    os.unlink(config(t, "0000:06:02.0"))


def intremap_off(src, out):
    t = os.path.join(out, "intremap-off")
    shutil.copytree(src, t, symlinks=True)
    p = os.path.join(t, "dev/kmsg")
    with open(p, "rb") as f:
        lines = f.read().split(b"\n")
    lines = [l.split(b";", 1)[0] + b";DMAR-IR: intremap=off: interrupt remapping not enabled"
             if b"Enabled IRQ remapping" in l else l for l in lines]
    with open(p, "wb") as f:
        f.write(b"\n".join(lines))
    p = os.path.join(t, "proc/interrupts")
    with open(p) as f:
        text = f.read().replace("IR-", "")
    with open(p, "w") as f:
        f.write(text)
    p = os.path.join(t, "proc/cmdline")
    with open(p) as f:
        text = f.read().rstrip("\n") + " intremap=off\n"
    with open(p, "w") as f:
        f.write(text)


def bind(tree, bdf, driver):
    """bdf bound to driver: the link, as deep as the device's directory."""
    rel = DEVDIR.get(bdf, PCI + "/" + bdf)
    up = "../" * rel.count("/")
    mkdir(tree, "sys/bus/pci/drivers/" + driver)
    p = os.path.join(tree, rel, "driver")
    if os.path.lexists(p):
        os.unlink(p)
    os.symlink(up + "bus/pci/drivers/" + driver, p)


def make_vf(tree, pf, vfs):
    """vfs enabled on pf: its sriov files and virtfnN links, each VF's physfn link."""
    write(tree, DEVDIR[pf] + "/sriov_totalvfs", "8\n")
    write(tree, DEVDIR[pf] + "/sriov_numvfs", "%d\n" % len(vfs))
    for i, vf in enumerate(vfs):
        link(tree, DEVDIR[pf] + "/virtfn%d" % i, os.path.relpath(DEVDIR[vf], DEVDIR[pf]))
        link(tree, DEVDIR[vf] + "/physfn", os.path.relpath(DEVDIR[pf], DEVDIR[vf]))


def sriov(src, out):
    t = os.path.join(out, "sriov")
    shutil.copytree(src, t, symlinks=True)
    bind(t, "0000:07:00.0", "ice")
    make_vf(t, "0000:07:00.0", ["0000:01:00.0"])
    bind(t, "0000:00:1f.0", "lpc_ich")
    bind(t, "0000:00:1f.3", "i801_smbus")


def sriov_vf(src, out):
    t = os.path.join(out, "sriov-vf")
    shutil.copytree(src, t, symlinks=True)
    bind(t, "0000:07:00.0", "ice")
    make_vf(t, "0000:07:00.0", ["0000:07:00.1"])


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    causes(src, out)
    intremap_off(src, out)
    bad_config(src, out)
    sriov(src, out)
    sriov_vf(src, out)


if __name__ == "__main__":
    main()
