#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate a synthetic recorded tree that iommu-inspect replays with --root.

The tree is shaped like a big Intel (or AMD) server running Linux 6.1: several
PCI segments and host bridges, root ports, PCIe switches, SR-IOV NICs with many
virtual functions, NVMe drives, GPUs with an HD-audio function, USB and SATA
controllers, multifunction devices without ACS, a PCIe-to-PCI bridge with
conventional devices behind it, drivers (some vfio-pci, some none), hundreds of
IOMMU groups and one IOMMU unit per host bridge. The layout follows the real
6.1 captures in fixtures/ (relative symbolic links, attribute formats, config
space headers) and kernel-interfaces.md section 1.

The IOMMU groups are computed with the kernel's rule (drivers/iommu/iommu.c,
pci_device_group): a device joins the group of the first upstream bridge whose
path to the root lacks ACS, a device behind a PCIe-to-PCI bridge joins the
bridge's group, functions of a multifunction device without ACS share a group,
everything else gets a group of its own. Group ids are allocated in the order
the kernel probes: boot devices by bus, then the SR-IOV virtual functions.

The ground truth goes to DIR.manifest.json, next to the tree.

Usage: gen-tree.py --out DIR [--devices N] [--seed S] [--vendor intel|amd]
Standard library only; the output depends only on the options.
"""
import argparse
import json
import os
import random
import struct
import sys

KERNEL_RELEASE = "6.1.0-18-amd64"
KERNEL_VERSION = ("Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) "
                  "(gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) "
                  "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)")
NCPUS = 16

MSI_REGION = (0xfee00000, 0xfeefffff, "msi")
HT_REGION = (0xfd00000000, 0xffffffffff, "reserved")
FLOPPY_REGION = (0x0, 0xffffff, "direct-relaxable")

# PCIe port types (PCIe capability register, bits 7:4)
PT_EP, PT_LEGACY_EP, PT_RP, PT_US, PT_DS, PT_PCIE_PCI, PT_RCIEP = 0, 1, 4, 5, 6, 7, 9

# driver name -> module name (None: built in, no module link)
DRIVER_MODULES = {
    "pcieport": None, "skx_uncore": None, "i40e": "i40e", "ice": "ice", "iavf": "iavf",
    "mlx5_core": "mlx5_core", "igb": "igb", "nvme": "nvme", "vfio-pci": "vfio_pci",
    "xhci_hcd": "xhci_pci", "ahci": "ahci", "i801_smbus": "i2c_i801", "mei_me": "mei_me",
    "ast": "ast", "nvidia": "nvidia", "snd_hda_intel": "snd_hda_intel",
    "parport_serial": "parport_serial", "piix4_smbus": "i2c_piix4", "ccp": "ccp",
    "ptdma": "ptdma", "lpc_ich": "lpc_ich", "k10temp": "k10temp", "igbvf": "igbvf",
}

# resource flags as the kernel prints them in <dev>/resource
RF_MEM32 = 0x40200
RF_MEM64 = 0x140204
RF_MEM64_PREF = 0x14220c
RF_IO = 0x40101
RF_WIN_IO = 0x101
RF_WIN_MEM = 0x200
RF_WIN_PREF = 0x102201


# --------------------------------------------------------------------------- helpers

def relpath(target, start):
    """Relative path from directory start to target; both relative to the tree root.

    As sysfs writes it (kernfs_get_target_path): up to the deepest common ancestor of
    start and the target's parent, then down, so the last component is always the
    target's own name (ivhd0/device -> ../../../0000:00:00.2, not ../..).
    """
    t = target.split("/")
    s = start.split("/")
    i = 0
    n = min(len(t) - 1, len(s))
    while i < n and t[i] == s[i]:
        i += 1
    return "/".join([".."] * (len(s) - i) + t[i:])


class Writer:
    """Writes files, directories and relative links under the output directory."""

    def __init__(self, root):
        self.root = root
        self.dirs = set()
        self.nfiles = 0
        self.nlinks = 0

    def mkdir(self, rel):
        if rel in self.dirs:
            return
        os.makedirs(os.path.join(self.root, rel), exist_ok=True)
        # remember the parents too
        while rel and rel not in self.dirs:
            self.dirs.add(rel)
            rel = rel.rpartition("/")[0]

    def file(self, rel, data):
        d = rel.rpartition("/")[0]
        if d not in self.dirs:
            self.mkdir(d)
        if isinstance(data, str):
            data = data.encode()
        with open(os.path.join(self.root, rel), "wb") as f:
            f.write(data)
        self.nfiles += 1

    def link(self, rel, target_rel):
        """A symbolic link at rel pointing to target_rel (tree-relative), written relative."""
        d = rel.rpartition("/")[0]
        if d not in self.dirs:
            self.mkdir(d)
        os.symlink(relpath(target_rel, d), os.path.join(self.root, rel))
        self.nlinks += 1


# --------------------------------------------------------------------------- model

class HostBridge:
    def __init__(self, index, seg, root_bus, bus_limit, numa):
        self.index = index
        self.seg = seg
        self.root_bus = root_bus
        self.bus_limit = bus_limit
        self.next_bus = root_bus + 1
        self.numa = numa
        self.unit = None          # IOMMU unit name
        self.unit_addr = 0
        self.used = set()         # (bus, devfn) in use
        self.root_devnums = set()
        self.iommu_fn = None      # AMD: the IOMMU's own PCI function
        self.devices = []

    @property
    def name(self):
        return "pci%04x:%02x" % (self.seg, self.root_bus)

    def buses_left(self):
        return self.bus_limit - self.next_bus + 1

    def alloc_bus(self):
        if self.next_bus > self.bus_limit:
            raise RuntimeError("out of bus numbers")
        b = self.next_bus
        self.next_bus += 1
        return b


class Dev:
    def __init__(self, hb, bus, devno, fn, parent, vid, did, cls, ptype, **kw):
        self.hb = hb
        self.seg = hb.seg
        self.bus = bus
        self.devfn = (devno << 3) | fn
        self.parent = parent
        self.vid, self.did, self.cls = vid, did, cls
        self.ptype = ptype                     # PCIe port type, or None for conventional PCI
        self.rev = kw.get("rev", 0x01)
        self.svid = kw.get("svid", vid)
        self.ssid = kw.get("ssid", 0x0000)
        self.driver = kw.get("driver")
        self.acs = kw.get("acs", False)       # ACS capability present and enabled
        self.reset = kw.get("reset")           # list of reset methods, or None (file absent)
        self.multifunction = False
        self.is_vf = False
        self.pf = None
        self.vfs = []
        self.sriov = None                      # dict for PFs
        self.secondary = self.subordinate = None
        self.speed, self.width = kw.get("link", (None, None))
        self.children = []
        self.names = []                        # the names iommu-inspect should report
        self.extra = []                        # child class devices: (kind, args)
        self.group = None
        self.unit = None
        self.no_iommu = kw.get("no_iommu", False)
        self.bars = kw.get("bars", [])         # [(index, size, flags)]
        self.msix = kw.get("msix", 0)
        self.irqs = []                         # (irq, hwirq, name) for proc/interrupts
        self.irq = 0
        if (bus, self.devfn) in hb.used:
            raise RuntimeError("duplicate %s" % self.bdf)
        hb.used.add((bus, self.devfn))
        if parent is None:
            hb.root_devnums.add(devno)
        else:
            parent.children.append(self)
        hb.devices.append(self)

    @property
    def devno(self):
        return self.devfn >> 3

    @property
    def fn(self):
        return self.devfn & 7

    @property
    def bdf(self):
        return "%04x:%02x:%02x.%d" % (self.seg, self.bus, self.devno, self.fn)

    @property
    def key(self):
        return (self.seg, self.bus, self.devfn)

    @property
    def is_bridge(self):
        return self.ptype in (PT_RP, PT_US, PT_DS, PT_PCIE_PCI)

    @property
    def pcie(self):
        return self.ptype is not None

    def sysfs(self):
        """Path of the device directory, relative to the tree root."""
        parts = []
        d = self
        while d is not None:
            parts.append(d.bdf)
            d = d.parent if not d.is_vf else d.pf.parent
        return "sys/devices/%s/%s" % (self.hb.name, "/".join(reversed(parts)))


# --------------------------------------------------------------------------- the generator

class Gen:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.vendor = args.vendor
        self.hbs = []
        self.nvme_index = 0
        self.sd_index = 0
        self.card_index = 0
        self.sound_index = 0
        self.mlx_index = 0
        self.ifindex = 2
        self.irq_next = 40
        self.slot_no = 1
        self.kinds_made = {}
        self.vfio_count = 0

    # ----------------------------------------------------------------- sizes and layout

    def count(self):
        return sum(len(h.devices) for h in self.hbs)

    def plan_host_bridges(self):
        n = self.args.devices
        nhb = max(3, min(32, (n + 599) // 600))
        per_seg = 4
        # at least one host bridge on segment 0001
        nseg0 = min(per_seg, nhb - 1)
        layout = []
        for i in range(nseg0):
            layout.append((0, i))
        rest = nhb - nseg0
        seg = 1
        while rest > 0:
            k = min(per_seg, rest)
            for i in range(k):
                layout.append((seg, i))
            rest -= k
            seg += 1
        for idx, (seg, pos) in enumerate(layout):
            root = pos * 0x40
            hb = HostBridge(idx, seg, root, root + 0x3f, numa=(pos // 2) % 2)
            self.hbs.append(hb)

    def new_irq(self):
        self.irq_next += 1
        return self.irq_next

    # ----------------------------------------------------------------- building blocks

    def dev(self, hb, bus, devno, fn, parent, vid, did, cls, ptype, **kw):
        return Dev(hb, bus, devno, fn, parent, vid, did, cls, ptype, **kw)

    def port(self, hb, bus, devno, fn, parent, vid, did, ptype, acs=True, link=(3, 16)):
        d = self.dev(hb, bus, devno, fn, parent, vid, did, 0x060400, ptype, driver="pcieport",
                     acs=acs, link=link, rev=0x04)
        d.secondary = hb.alloc_bus()
        d.irqs.append((self.new_irq(), self.hwirq(d, 0), "PCIe PME, aerdrv"))
        return d

    def close(self, bridge):
        bridge.subordinate = bridge.hb.next_bus - 1

    def hwirq(self, d, idx):
        rid = (d.bus << 8) | d.devfn
        return idx | (rid << 11) | ((d.seg & 0xffffffff) << 27)

    def ifname(self, d, vf=None):
        dom = "P%d" % d.seg if d.seg else ""
        if vf is not None:
            pf = d.pf
            base = "%senp%ds%df%d" % (dom, pf.bus, pf.devno, pf.fn)
            return "%sv%d" % (base, vf)
        return "%senp%ds%df%d" % (dom, d.bus, d.devno, d.fn)

    def add_net(self, d, name):
        d.names.append(name)
        self.ifindex += 1
        d.extra.append(("net", name, self.ifindex))
        nq = 2 if d.is_vf else 4
        for q in range(nq):
            d.irqs.append((self.new_irq(), self.hwirq(d, q), "%s-TxRx-%d" % (name, q)))

    def add_nvme_names(self, d):
        k = self.nvme_index
        self.nvme_index += 1
        ctrl, ns = "nvme%d" % k, "nvme%dn1" % k
        d.names += [ctrl, ns]
        d.extra.append(("nvme", k))
        for q in range(3):
            d.irqs.append((self.new_irq(), self.hwirq(d, q), "%sq%d" % (ctrl, q)))

    def add_card(self, d, connectors=(), render=True):
        k = self.card_index
        self.card_index += 1
        d.names.append("card%d" % k)
        d.extra.append(("drm", k, tuple(connectors), render))

    # ----------------------------------------------------------------- slot kinds
    # Each builder takes the host bridge and a free device number on its root bus,
    # creates a root port there and the hierarchy below it, and returns nothing.

    def rp_ids(self):
        if self.vendor == "intel":
            return 0x8086, self.rng.choice([0x2030, 0x2031, 0x2032, 0x2033])
        return 0x1022, 0x1483

    def root_port(self, hb, devno, acs=True, link=(4, 16)):
        vid, did = self.rp_ids()
        return self.port(hb, hb.root_bus, devno, self._port_fn, None, vid, did, PT_RP, acs=acs,
                         link=link)

    def slot_nvme(self, hb, devno):
        rp = self.root_port(hb, devno, link=(4, 4))
        self.nvme(hb, rp.secondary, rp)
        self.close(rp)

    def nvme(self, hb, bus, parent):
        r = self.rng.random()
        vid, did = (0x144d, 0xa80a) if r < 0.5 else (0x8086, 0x0b60) if r < 0.8 else (0x144d, 0xa824)
        drv = "vfio-pci" if self.rng.random() < 0.12 else "nvme"
        d = self.dev(hb, bus, 0, 0, parent, vid, did, 0x010802, PT_EP, driver=drv,
                     reset=["flr", "bus"], link=(4, 4), bars=[(0, 0x4000, RF_MEM64)], msix=64)
        if drv == "nvme":
            self.add_nvme_names(d)
        return d

    def sriov_pf(self, d, total, num, vf_did, vf_driver_pick, offset, stride=1):
        d.sriov = {"total": total, "num": num, "offset": offset, "stride": stride,
                   "vf_device": vf_did}
        hb = d.hb
        for k in range(num):
            devfn = d.devfn + offset + k * stride
            if devfn > 0xff:
                raise RuntimeError("VF devfn overflow")
            vf = Dev(hb, d.bus, devfn >> 3, devfn & 7, d.parent, d.vid, vf_did, d.cls, PT_EP,
                     driver=None, reset=["flr"], link=(d.speed, d.width),
                     bars=[(0, 0x10000, RF_MEM64_PREF), (3, 0x4000, RF_MEM64_PREF)], msix=8,
                     rev=d.rev, svid=d.svid, ssid=d.ssid)
            vf.is_vf = True
            vf.pf = d
            vf.vf_index = k
            d.vfs.append(vf)
            drv = vf_driver_pick(k)
            vf.driver = drv
        return d.vfs

    def vf_driver_picker(self, net_driver):
        mode = self.rng.random()

        def pick(k):
            r = self.rng.random()
            if mode < 0.4:           # all handed to guests
                return "vfio-pci" if r < 0.9 else None
            if mode < 0.8:           # mixed
                return net_driver if r < 0.5 else "vfio-pci" if r < 0.85 else None
            return net_driver if r < 0.9 else None
        return pick

    def name_vfs(self, pf):
        for vf in pf.vfs:
            if vf.driver in ("iavf", "mlx5_core", "igbvf"):
                self.add_net(vf, self.ifname(vf, vf.vf_index))

    def slot_x710(self, hb, devno):
        """Intel X710, 2 ports with ACS: every PF and VF has a group of its own."""
        rp = self.root_port(hb, devno, link=(3, 8))
        bus = rp.secondary
        for fn in range(2):
            pf = self.dev(hb, bus, 0, fn, rp, 0x8086, 0x1572, 0x020000, PT_EP, driver="i40e",
                          acs=True, reset=["flr", "bus"], link=(3, 8), rev=0x02,
                          svid=0x8086, ssid=0x0007, bars=[(0, 0x1000000, RF_MEM64_PREF),
                                                          (3, 0x8000, RF_MEM64_PREF)], msix=129)
            pf.multifunction = True
            self.add_net(pf, self.ifname(pf))
            num = self.rng.choice([0, 4, 8, 8, 16])
            self.sriov_pf(pf, 64, num, 0x154c, self.vf_driver_picker("iavf"),
                          offset=0x10 + fn * 63 - fn)
            self.name_vfs(pf)
        self.close(rp)

    def slot_e810_switch(self, hb, devno, budget):
        """E810 NICs behind a PCIe switch whose downstream ports lack ACS: each downstream
        port, its NIC's physical functions and all their VFs form one big group."""
        rp = self.root_port(hb, devno, link=(4, 16))
        us = self.port(hb, rp.secondary, 0, 0, rp, 0x1000, 0xc010, PT_US, link=(4, 16))
        ndp = 2
        per_pf = max(4, min(64, (budget - 4 - 2 * ndp) // (2 * ndp)))
        for i in range(ndp):
            ds = self.port(hb, us.secondary, i, 0, us, 0x1000, 0xc010, PT_DS, acs=False,
                           link=(4, 16))
            for fn in range(2):
                pf = self.dev(hb, ds.secondary, 0, fn, ds, 0x8086, 0x1593, 0x020000, PT_EP,
                              driver="ice", acs=False, reset=["flr", "bus"], link=(4, 16),
                              svid=0x8086, ssid=0x0002, rev=0x02,
                              bars=[(0, 0x2000000, RF_MEM64_PREF), (3, 0x10000, RF_MEM64_PREF)],
                              msix=1024)
                pf.multifunction = True
                self.add_net(pf, self.ifname(pf))
                num = max(0, per_pf - self.rng.randrange(0, 4))
                self.sriov_pf(pf, 128 if fn == 0 else 64, num, 0x1889,
                              self.vf_driver_picker("iavf"), offset=8 + fn * 64 - fn)
                self.name_vfs(pf)
            self.close(ds)
        self.close(us)
        self.close(rp)

    def slot_cx6(self, hb, devno):
        """ConnectX-6, 2 ports without ACS: the PFs share a group, each VF has its own."""
        rp = self.root_port(hb, devno, link=(4, 16))
        for fn in range(2):
            pf = self.dev(hb, rp.secondary, 0, fn, rp, 0x15b3, 0x101b, 0x020000, PT_EP, driver="mlx5_core", acs=False, reset=["flr", "bus"],
                          link=(4, 16), svid=0x15b3, ssid=0x0007,
                          bars=[(0, 0x2000000, RF_MEM64_PREF)], msix=64)
            pf.multifunction = True
            self.add_net(pf, self.ifname(pf))
            pf.names.append("mlx5_%d" % self.mlx_index)
            pf.extra.append(("infiniband", "mlx5_%d" % self.mlx_index))
            self.mlx_index += 1
            num = self.rng.choice([0, 2, 4, 8])
            self.sriov_pf(pf, 8, num, 0x101c, self.vf_driver_picker("mlx5_core"),
                          offset=2 + fn * 8 - fn)
            self.name_vfs(pf)
        self.close(rp)

    def gpu(self, hb, bus, parent):
        vid = 0x10de
        did, audio = self.rng.choice([(0x2230, 0x1aef), (0x2235, 0x1aef), (0x2684, 0x22ba)])
        passthrough = self.rng.random() < 0.4
        g = self.dev(hb, bus, 0, 0, parent, vid, did, 0x030000, PT_LEGACY_EP,
                     driver="vfio-pci" if passthrough else "nvidia", reset=["bus"],
                     link=(4, 16), rev=0xa1, svid=0x10de, ssid=0x1459,
                     bars=[(0, 0x1000000, RF_MEM32), (1, 0x800000000, RF_MEM64_PREF),
                           (3, 0x2000000, RF_MEM64_PREF)])
        a = self.dev(hb, bus, 0, 1, parent, vid, audio, 0x040300, PT_EP,
                     driver="vfio-pci" if passthrough else "snd_hda_intel", reset=["bus"],
                     link=(4, 16), rev=0xa1, svid=0x10de, ssid=0x1459,
                     bars=[(0, 0x4000, RF_MEM32)])
        g.multifunction = a.multifunction = True
        if not passthrough:
            self.add_card(g, connectors=("DP-1", "DP-2"), render=True)
            a.extra.append(("sound", self.sound_index))
            self.sound_index += 1
        return g

    def slot_gpu_switch(self, hb, devno):
        """Four GPUs (each with its HD-audio function) behind a switch; the downstream ports
        have ACS on some machines and not on others."""
        rp = self.root_port(hb, devno, link=(4, 16))
        us = self.port(hb, rp.secondary, 0, 0, rp, 0x10b5, 0x8747, PT_US, link=(3, 16))
        acs = self.rng.random() < 0.5
        for i in range(4):
            ds = self.port(hb, us.secondary, 8 + i * 2 if i else 8, 0, us, 0x10b5, 0x8747, PT_DS,
                           acs=acs, link=(3, 16))
            self.gpu(hb, ds.secondary, ds)
            self.close(ds)
        self.close(us)
        self.close(rp)

    def slot_nvme_jbof(self, hb, devno):
        """Eight NVMe drives behind a switch with ACS: a group per port and per drive."""
        rp = self.root_port(hb, devno, link=(4, 16))
        us = self.port(hb, rp.secondary, 0, 0, rp, 0x1000, 0xc010, PT_US, link=(4, 16))
        for i in range(8):
            ds = self.port(hb, us.secondary, i, 0, us, 0x1000, 0xc010, PT_DS, acs=True,
                           link=(4, 4))
            self.nvme(hb, ds.secondary, ds)
            self.close(ds)
        self.close(us)
        self.close(rp)

    def slot_i350(self, hb, devno):
        """Intel I350 quad-port: four functions without ACS share a group."""
        rp = self.root_port(hb, devno, link=(2, 4))
        bound = self.rng.random() < 0.85
        for fn in range(4):
            d = self.dev(hb, rp.secondary, 0, fn, rp, 0x8086, 0x1521, 0x020000, PT_EP,
                         driver="igb" if bound else None, acs=False, reset=["flr", "bus"],
                         link=(2, 4), svid=0x8086, ssid=0x0001,
                         bars=[(0, 0x100000, RF_MEM32), (3, 0x4000, RF_MEM32)], msix=10)
            d.multifunction = True
            if bound:
                self.add_net(d, self.ifname(d))
            d.sriov = {"total": 7, "num": 0, "offset": 0x80 + fn * 4, "stride": 4,
                       "vf_device": 0x1520}
        self.close(rp)

    def slot_legacy(self, hb, devno):
        """A PCIe-to-PCI bridge with two conventional PCI devices behind it: one group."""
        rp = self.root_port(hb, devno, link=(1, 1))
        br = self.dev(hb, rp.secondary, 0, 0, rp, 0x104c, 0x8240, 0x060400, PT_PCIE_PCI,
                      link=(1, 1), rev=0x02)
        br.secondary = hb.alloc_bus()
        self.dev(hb, br.secondary, 1, 0, br, 0x9710, 0x9865, 0x070002, None,
                 driver="parport_serial", bars=[(0, 0x8, RF_IO)], reset=["bus"])
        self.dev(hb, br.secondary, 2, 0, br, 0x1415, 0xc158, 0x070006, None, driver=None,
                 bars=[(0, 0x1000, RF_MEM32)])
        self.close(br)
        self.close(rp)

    def slot_bmc(self, hb, devno):
        """The BMC's VGA behind its own PCIe-to-PCI bridge (ASPEED AST2500)."""
        rp = self.root_port(hb, devno, link=(1, 1))
        br = self.dev(hb, rp.secondary, 0, 0, rp, 0x1a03, 0x1150, 0x060400, PT_PCIE_PCI,
                      link=(1, 1), rev=0x04)
        br.secondary = hb.alloc_bus()
        v = self.dev(hb, br.secondary, 0, 0, br, 0x1a03, 0x2000, 0x030000, None, driver="ast",
                     rev=0x41, bars=[(0, 0x1000000, RF_MEM32), (1, 0x20000, RF_MEM32),
                                     (2, 0x80, RF_IO)])
        v.boot_vga = True
        self.add_card(v, connectors=("VGA-1",), render=False)
        self.close(br)
        self.close(rp)

    # ----------------------------------------------------------------- platform devices

    def platform_intel(self, hb):
        R = hb.root_bus
        if hb.index == 0:
            self.dev(hb, R, 0, 0, None, 0x8086, 0x2020, 0x060000, PT_RCIEP, rev=0x04)
            # integrated graphics, excluded from the IOMMU by intel_iommu=igfx_off
            self.dev(hb, R, 2, 0, None, 0x8086, 0x3e96, 0x030000, PT_RCIEP, driver=None,
                     no_iommu=True, bars=[(0, 0x1000000, RF_MEM64), (2, 0x10000000,
                                                                     RF_MEM64_PREF)])
        # VT-d, RAS and IOxAPIC functions of the stack
        for fn, did, cls in ((0, 0x2024, 0x088000), (2, 0x2025, 0x088000), (4, 0x2026, 0x080020)):
            d = self.dev(hb, R, 5, fn, None, 0x8086, did, cls, PT_RCIEP, rev=0x04)
            d.multifunction = True
        if hb.index == 0:
            # PCH: xHCI + thermal (one group, with the USB RMRR), MEI, SATA, LPC/SMBus/SPI
            x = self.dev(hb, R, 0x14, 0, None, 0x8086, 0xa1af, 0x0c0330, PT_RCIEP,
                         driver="xhci_hcd", reset=["pm"], rev=0x09,
                         bars=[(0, 0x10000, RF_MEM64)], msix=8)
            x.multifunction = True
            x.extra.append(("usb",))
            x.irqs.append((self.new_irq(), self.hwirq(x, 0), "xhci_hcd"))
            t = self.dev(hb, R, 0x14, 2, None, 0x8086, 0xa1b1, 0x118000, PT_RCIEP, rev=0x09)
            t.multifunction = True
            for fn, did, cls, drv in ((0, 0xa1ba, 0x078000, "mei_me"), (1, 0xa1bb, 0x078000, None),
                                      (4, 0xa1be, 0x078000, None)):
                m = self.dev(hb, R, 0x16, fn, None, 0x8086, did, cls, PT_RCIEP, driver=drv,
                             rev=0x09)
                m.multifunction = True
            s = self.dev(hb, R, 0x17, 0, None, 0x8086, 0xa182, 0x010601, PT_RCIEP, driver="ahci",
                         rev=0x09, bars=[(5, 0x800, RF_MEM32)])
            s.extra.append(("ata", 1))
            s.irqs.append((self.new_irq(), self.hwirq(s, 0), "ahci[%s]" % s.bdf))
            for fn, did, cls, drv in ((0, 0xa1c1, 0x060100, None), (2, 0xa1a1, 0x058000, None),
                                      (4, 0xa1a3, 0x0c0500, "i801_smbus"),
                                      (5, 0xa1a4, 0x0c8000, None)):
                d = self.dev(hb, R, 0x1f, fn, None, 0x8086, did, cls, PT_RCIEP, driver=drv,
                             rev=0x09)
                d.multifunction = True
                if fn == 0:
                    d.lpc = True

    def platform_amd(self, hb):
        R = hb.root_bus
        self.dev(hb, R, 0, 0, None, 0x1022, 0x1480, 0x060000, PT_RCIEP)
        io = self.dev(hb, R, 0, 2, None, 0x1022, 0x1481, 0x080600, PT_RCIEP, no_iommu=True)
        hb.iommu_fn = io
        hb.root_devnums.add(0)
        # internal GPP bridge with PTDMA, PSP/CCP and (on the first one) USB behind it
        d = self.dev(hb, R, 7, 0, None, 0x1022, 0x1482, 0x060000, PT_RCIEP)
        br = self.port(hb, R, 7, 1, None, 0x1022, 0x1484, PT_RP, acs=True, link=(4, 16))
        d.multifunction = br.multifunction = True
        f0 = self.dev(hb, br.secondary, 0, 0, br, 0x1022, 0x148a, 0x130000, PT_EP)
        f2 = self.dev(hb, br.secondary, 0, 2, br, 0x1022, 0x1498, 0x108000, PT_EP, driver="ptdma",
                      bars=[(2, 0x100000, RF_MEM32)])
        fns = [f0, f2]
        if hb.index == 0:
            f1 = self.dev(hb, br.secondary, 0, 1, br, 0x1022, 0x1486, 0x108000, PT_EP,
                          driver="ccp", bars=[(2, 0x100000, RF_MEM32)])
            u = self.dev(hb, br.secondary, 0, 3, br, 0x1022, 0x148c, 0x0c0330, PT_EP,
                         driver="xhci_hcd", reset=["pm"], bars=[(0, 0x100000, RF_MEM64)])
            u.extra.append(("usb",))
            u.irqs.append((self.new_irq(), self.hwirq(u, 0), "xhci_hcd"))
            fns += [f1, u]
        for f in fns:
            f.multifunction = True
        self.close(br)
        if hb.index == 0:
            # FCH: SMBus + LPC (one group, with the ISA range), SATA
            for fn, did, cls, drv in ((0, 0x790b, 0x0c0500, "piix4_smbus"),
                                      (3, 0x790e, 0x060100, None)):
                d = self.dev(hb, R, 0x14, fn, None, 0x1022, did, cls, PT_RCIEP, driver=drv,
                             rev=0x61)
                d.multifunction = True
                if fn == 3:
                    d.lpc = True
            s = self.dev(hb, R, 0x11, 0, None, 0x1022, 0x7901, 0x010601, PT_RCIEP, driver="ahci",
                         rev=0x51, bars=[(5, 0x800, RF_MEM32)])
            s.extra.append(("ata", 1))
            # the data fabric functions: eight in one group
            for fn in range(8):
                d = self.dev(hb, R, 0x18, fn, None, 0x1022, 0x1490 + fn, 0x060000, PT_RCIEP,
                             driver="k10temp" if fn == 3 else None)
                d.multifunction = True

    # ----------------------------------------------------------------- topology

    def build(self):
        self.plan_host_bridges()
        n = self.args.devices
        weights = {"x710": 3, "e810": 3, "cx6": 2, "gpu": 1, "jbof": 1, "i350": 1, "nvme": 3}
        for hb in self.hbs:
            if self.vendor == "intel":
                self.platform_intel(hb)
            else:
                self.platform_amd(hb)
        hb0 = self.hbs[0]
        reserved = {0, 2, 5, 0x14, 0x16, 0x17, 0x1f} if self.vendor == "intel" else \
            {0, 7, 0x11, 0x14, 0x18}
        for hb in self.hbs:
            hb.avoid = reserved if hb is hb0 else ({5} if self.vendor == "intel" else {0, 7})
        # the first host bridge gets the BMC, the conventional bridge and one of each kind,
        # so that even a small tree has every feature
        share = n // len(self.hbs)
        for k in ("bmc", "legacy", "x710", "cx6", "gpu", "jbof", "i350", "nvme", "e810"):
            self.add_slot(hb0, k, max(60, share - len(hb0.devices)))
        # then fill the host bridges in turn up to their share of the total
        for i, hb in enumerate(self.hbs):
            target = n if i == len(self.hbs) - 1 else (n * (i + 1)) // len(self.hbs)
            while self.count() < target:
                left = target - self.count()
                k = "nvme" if left < 8 else self.pick_kind(weights, left)
                if not self.add_slot(hb, k, left) and not self.add_slot(hb, "nvme", left):
                    break   # this host bridge is out of bus or device numbers
        # functions of one device number are a multifunction device
        for hb in self.hbs:
            slots = {}
            for d in hb.devices:
                if not d.is_vf:
                    slots.setdefault((d.bus, d.devno), []).append(d)
            for fns in slots.values():
                if len(fns) > 1:
                    for d in fns:
                        d.multifunction = True

    def pick_kind(self, weights, left):
        ks = [k for k in weights if not (k == "e810" and left < 60)]
        tot = sum(weights[k] for k in ks)
        r = self.rng.random() * tot
        for k in ks:
            r -= weights[k]
            if r <= 0:
                return k
        return ks[-1]

    BUSES = {"x710": 1, "e810": 4, "cx6": 1, "gpu": 6, "jbof": 10, "i350": 1, "nvme": 1,
             "legacy": 2, "bmc": 2}

    def add_slot(self, hb, kind, budget):
        if hb.buses_left() < self.BUSES[kind]:
            return False
        # root ports are functions 0-3 of device numbers 1.. (bifurcated stacks)
        devno, fn = self.free_port_slot(hb)
        if devno is None:
            return False
        self.kinds_made[kind] = self.kinds_made.get(kind, 0) + 1
        f = {"x710": self.slot_x710, "cx6": self.slot_cx6, "gpu": self.slot_gpu_switch,
             "jbof": self.slot_nvme_jbof, "i350": self.slot_i350, "nvme": self.slot_nvme,
             "legacy": self.slot_legacy, "bmc": self.slot_bmc}.get(kind)
        self._port_fn = fn
        if kind == "e810":
            self.slot_e810_switch(hb, devno, min(budget, 270))
        else:
            f(hb, devno)
        return True

    def free_port_slot(self, hb):
        for devno in range(1, 32):
            if devno in hb.avoid:
                continue
            for fn in range(4):
                if (hb.root_bus, (devno << 3) | fn) not in hb.used:
                    if fn and (hb.root_bus, devno << 3) not in hb.used:
                        continue
                    if fn == 0 and devno in hb.root_devnums:
                        continue
                    return devno, fn
        return None, None

    # ----------------------------------------------------------------- post-processing

    def all_devices(self):
        out = []
        for hb in self.hbs:
            out += hb.devices
        return out

    def assign_units(self):
        for i, hb in enumerate(self.hbs):
            if self.vendor == "intel":
                hb.unit_addr = 0xc5ffc000 if i == 0 else 0x9d7fc000 + i * 0x6000000
            else:
                hb.unit_addr = 0xf3700000 + i * 0x100000 if i < 4 else 0xb3700000 + i * 0x100000
        # Intel: DMAR table order is the stacks of each segment with the INCLUDE_PCI_ALL unit
        # (host bridge 0 of the segment) last, and the ignored graphics unit before it.
        # The kernel names the units dmar<seq> in table order; the graphics one is not
        # registered (igfx_off), so its number is missing from sys/class/iommu.
        self.drhd_order = []
        if self.vendor == "intel":
            segs = sorted(set(h.seg for h in self.hbs))
            seq = 0
            for seg in segs:
                hbs = [h for h in self.hbs if h.seg == seg]
                for h in hbs[1:]:
                    self.drhd_order.append(("hb", h))
                if seg == 0:
                    self.drhd_order.append(("gfx", None))
                self.drhd_order.append(("hb", hbs[0]))
            for kind, h in self.drhd_order:
                if h is not None:
                    h.unit = "dmar%d" % seq
                else:
                    self.gfx_unit = "dmar%d" % seq
                seq += 1
        else:
            for i, h in enumerate(self.hbs):
                h.unit = "ivhd%d" % i
        for d in self.all_devices():
            if not d.no_iommu:
                d.unit = d.hb.unit

    # ----------------------------------------------------------------- groups (kernel rule)

    def acs_ok(self, d):
        """pci_acs_enabled(d, REQ_ACS_FLAGS) for the topology modelled here."""
        if d.ptype is None or d.ptype == PT_PCIE_PCI:
            return False
        if d.ptype in (PT_RP, PT_DS):
            return d.acs
        if d.multifunction and not d.is_vf:
            return d.acs
        return True

    def acs_path(self, d):
        while d is not None:
            if not self.acs_ok(d):
                return False
            d = d.parent
        return True

    def upstream(self, d):
        return d.pf.parent if d.is_vf else d.parent

    def compute_groups(self):
        devs = [d for d in self.all_devices() if not d.is_vf]
        devs.sort(key=lambda d: d.key)
        vfs = []
        for pf in devs:
            vfs += pf.vfs
        self.groups = []          # index = id: list of devices
        slots = {}
        for d in devs + vfs:
            if d.unit is None:
                continue
            g = self.group_of(d, slots)
            if g is None:
                g = len(self.groups)
                self.groups.append([])
            d.group = g
            self.groups[g].append(d)
            if not d.is_vf:
                slots.setdefault((d.seg, d.bus, d.devno), []).append(d)

    def group_of(self, d, slots):
        # DMA alias: a device on a conventional bus behind a PCIe-to-PCI bridge
        b = self.upstream(d)
        top = None
        while b is not None:
            if b.ptype == PT_PCIE_PCI:
                top = b
            b = b.parent
        if top is not None and top.group is not None:
            return top.group
        p = d
        b = self.upstream(d)
        while b is not None:
            if self.acs_path(b):
                break
            p = b
            if b.group is not None:
                return b.group
            b = b.parent
        if p.multifunction and not p.is_vf and not self.acs_ok(p):
            for q in slots.get((p.seg, p.bus, p.devno), []):
                if q is not p and not self.acs_ok(q) and q.group is not None:
                    return q.group
        return None

    def group_types(self):
        self.gtype = []
        for _ in self.groups:
            r = self.rng.random()
            self.gtype.append("DMA-FQ" if r < 0.85 else "identity" if r < 0.95 else "DMA")
        # a few NIC groups carry an RMRR (the HPE "ineligible for IOMMU domain" case)
        nic_groups = sorted(set(d.group for d in self.all_devices() if d.cls == 0x020000 and
                                not d.is_vf and d.group is not None))
        self.direct_groups = set(self.rng.sample(nic_groups, min(2, len(nic_groups))))

    def group_regions(self, g):
        regs = [MSI_REGION]
        for d in self.groups[g]:
            if getattr(d, "lpc", False):
                if self.vendor == "intel":
                    regs.append(FLOPPY_REGION)
            if d.cls == 0x0c0330:
                regs.append((0x6f3c6000, 0x6f3e5fff,
                             "direct-relaxable" if self.vendor == "intel" else "direct"))
            if d.vid == 0x1a03 and d.did == 0x2000:
                regs.append((0x6f800000, 0x6fbfffff, "direct-relaxable"))
        if self.vendor == "amd":
            regs.append(HT_REGION)
        if g in self.direct_groups:
            regs.append((0xbddf8000, 0xbddf8fff, "direct"))
        return sorted(set(regs))

    # ----------------------------------------------------------------- config space

    def config(self, d):
        size = 4096 if d.pcie else 256
        c = bytearray(size)
        hdr_type = 1 if d.is_bridge else 0
        has_io = d.is_bridge or any(fl == RF_IO for _, _, fl in d.bars)
        # a VF's Vendor and Device ID registers read 0xffff (SR-IOV 1.1, 3.4.1.1-2); the
        # kernel takes them from the PF, and only sysfs (vendor, device, uevent) tells them
        vid, did = (0xffff, 0xffff) if d.is_vf else (d.vid, d.did)
        struct.pack_into("<HHHH", c, 0, vid, did, 0x0407 if has_io else 0x0406, 0x0010)
        c[8] = d.rev
        c[9] = d.cls & 0xff
        c[10] = (d.cls >> 8) & 0xff
        c[11] = (d.cls >> 16) & 0xff
        c[0x0c] = 0x10 if not d.is_vf else 0
        c[0x0e] = hdr_type | (0x80 if d.multifunction else 0)
        if hdr_type == 0:
            for idx, size_, flags in d.bars:
                if idx > 5:
                    continue
                addr = self.bar_addr(d, idx)
                low = (addr & 0xfffffff0) | (flags & 0xf)
                struct.pack_into("<I", c, 0x10 + 4 * idx, low & 0xffffffff)
                if flags & 0x4 and idx < 5:
                    struct.pack_into("<I", c, 0x14 + 4 * idx, addr >> 32)
            struct.pack_into("<HH", c, 0x2c, d.svid, d.ssid)
        else:
            c[0x18] = d.bus
            c[0x19] = d.secondary
            c[0x1a] = d.subordinate
            c[0x1c], c[0x1d] = 0xf0, 0x00          # I/O window disabled
            base, limit = self.window(d)
            struct.pack_into("<HH", c, 0x20, (base >> 16) & 0xfff0, (limit >> 16) & 0xfff0)
            struct.pack_into("<HH", c, 0x24, 0xfff1, 0x0001)  # prefetchable window disabled
            struct.pack_into("<H", c, 0x3e, 0x0010 if d.ptype == PT_PCIE_PCI else 0x0000)
        c[0x3c] = d.irq & 0xff
        c[0x3d] = 0 if d.is_vf else 1
        # capabilities: PM at 0x40, MSI-X or MSI at 0x50, PCIe at 0x70
        c[0x34] = 0x40 if not d.is_vf else 0x50
        nxt = 0x50 if d.pcie else 0
        c[0x40:0x48] = bytes([0x01, nxt]) + struct.pack("<HHH", 0x0003, 0x0008, 0)
        if d.pcie:
            if d.msix:
                c[0x50:0x5c] = bytes([0x11, 0x70]) + struct.pack("<HII", 0x8000 | (d.msix - 1),
                                                                 0x2000, 0x3000)
            else:
                c[0x50:0x5a] = bytes([0x05, 0x70]) + struct.pack("<HII", 0x0081, 0, 0)
            self.pcie_cap(d, c, 0x70)
            self.ext_caps(d, c)
        return bytes(c)

    def pcie_cap(self, d, c, off):
        slot = d.ptype in (PT_RP, PT_DS)
        flags = 0x2 | (d.ptype << 4) | (0x100 if slot else 0)
        flr = d.reset is not None and "flr" in d.reset
        devcap = 0x8001 | (0x10000000 if flr else 0)
        c[off] = 0x10
        c[off + 1] = 0
        struct.pack_into("<HIHH", c, off + 2, flags, devcap, 0x2930, 0x0000)
        if d.ptype != PT_RCIEP:
            speed = d.speed or 3
            width = d.width or 1
            linkcap = speed | (width << 4) | ((d.devno & 0xff) << 24)
            struct.pack_into("<IHH", c, off + 0x0c, linkcap, 0x0040, speed | (width << 4))
            if slot:
                struct.pack_into("<I", c, off + 0x14, (self.slot_no & 0x1fff) << 19 | 0x60)
                self.slot_no += 1
            struct.pack_into("<I", c, off + 0x2c, ((1 << speed) - 1) << 1)
        struct.pack_into("<I", c, off + 0x24, 0x0070093f)

    def ext_caps(self, d, c):
        caps = [(0x0001, 2, 0x48, None)]                      # AER
        if d.acs and d.ptype in (PT_RP, PT_DS, PT_EP, PT_LEGACY_EP) and not d.is_vf:
            caps.append((0x000d, 1, 8, "acs"))
        if d.ptype == PT_EP and (d.multifunction or d.sriov or d.is_vf):
            caps.append((0x000e, 1, 8, "ari"))
        if d.sriov:
            caps.append((0x0010, 1, 0x40, "sriov"))
        if d.ptype in (PT_EP, PT_LEGACY_EP) and not d.is_vf:
            caps.append((0x0003, 1, 12, "dsn"))
        if d.is_vf:
            caps = [c_ for c_ in caps if c_[3] == "ari"]
        off = 0x100
        offs = []
        for cap in caps:
            offs.append(off)
            off += (cap[2] + 7) & ~7
        for i, (cid, ver, ln, what) in enumerate(caps):
            o = offs[i]
            nxt = offs[i + 1] if i + 1 < len(caps) else 0
            struct.pack_into("<I", c, o, cid | (ver << 16) | (nxt << 20))
            if what == "acs":
                struct.pack_into("<HH", c, o + 4, 0x005f, 0x001d)
            elif what == "ari":
                struct.pack_into("<HH", c, o + 4, 0, 0)
            elif what == "dsn":
                struct.pack_into("<Q", c, o + 4, 0x0002c9ffff000000 | (d.bus << 8) | d.devfn)
            elif what == "sriov":
                s = d.sriov
                struct.pack_into("<IHHHHHHHHHHII", c, o + 4, 0x2, 0x19 if s["num"] else 0x10, 0,
                                 s["total"], s["total"], s["num"], d.fn, s["offset"], s["stride"],
                                 0, s["vf_device"], 0x553, 0x1)

    # ----------------------------------------------------------------- resources

    def bar_addr(self, d, idx):
        key = (d.key, idx)
        if key not in self.addr:
            size = 0
            flags = 0
            for i, sz, fl in d.bars:
                if i == idx:
                    size, flags = sz, fl
            if flags == RF_IO:
                a = self.io_next
                self.io_next += max(size, 0x20)
            elif flags & 0x4:
                a = (self.mem64_next + size - 1) & ~(size - 1)
                self.mem64_next = a + size
            else:
                a = (self.mem32_next + size - 1) & ~(size - 1)
                self.mem32_next = a + size
            self.addr[key] = a
        return self.addr[key]

    def window(self, d):
        return (0x90000000 + d.secondary * 0x100000, 0x90000000 + d.subordinate * 0x100000 +
                0xfffff)

    def resource(self, d):
        lines = []
        bars = {i: (sz, fl) for i, sz, fl in d.bars}
        nlines = 17 if d.is_bridge else 13
        for i in range(nlines):
            if i < 6 and i in bars and not d.is_bridge:
                sz, fl = bars[i]
                a = self.bar_addr(d, i)
                lines.append((a, a + sz - 1, fl))
            elif 7 <= i <= 12 and d.sriov and d.sriov["num"] and i in (7, 10):
                sz = 0x10000 * d.sriov["total"] if i == 7 else 0x4000 * d.sriov["total"]
                a = (self.mem64_next + sz - 1) & ~(sz - 1)
                self.mem64_next = a + sz
                lines.append((a, a + sz - 1, RF_MEM64_PREF))
            elif d.is_bridge and i == 14:
                b, lim = self.window(d)
                lines.append((b, lim, RF_WIN_MEM))
            else:
                lines.append((0, 0, 0))
        return "".join("0x%016x 0x%016x 0x%016x\n" % t for t in lines)

    # ----------------------------------------------------------------- writing the tree

    def write(self, out):
        w = self.w = Writer(out)
        self.addr = {}
        self.io_next = 0x2000
        self.mem32_next = 0xa0000000
        self.mem64_next = 0x38000000000
        devs = sorted(self.all_devices(), key=lambda d: d.key)
        for d in devs:
            if not d.irq:
                d.irq = 0 if d.is_vf else 16 + (d.devfn + d.bus) % 16

        drivers = {}
        for d in devs:
            self.write_device(d)
            if d.driver:
                drivers.setdefault(d.driver, []).append(d)
        # host bridge directories
        for hb in self.hbs:
            w.file("sys/devices/%s/uevent" % hb.name, "")
            w.mkdir("sys/devices/%s/power" % hb.name)
            w.mkdir("sys/devices/%s/pci_bus/%04x:%02x" % (hb.name, hb.seg, hb.root_bus))
            w.link("sys/class/pci_bus/%04x:%02x" % (hb.seg, hb.root_bus),
                   "sys/devices/%s/pci_bus/%04x:%02x" % (hb.name, hb.seg, hb.root_bus))
        # drivers
        for drv in sorted(drivers):
            base = "sys/bus/pci/drivers/%s" % drv
            w.mkdir(base)
            for f in ("bind", "unbind", "new_id", "remove_id"):
                w.file("%s/%s" % (base, f), "")
            w.file("%s/uevent" % base, "")
            mod = DRIVER_MODULES.get(drv)
            if mod:
                w.link("%s/module" % base, "sys/module/%s" % mod)
                w.file("sys/module/%s/refcnt" % mod, "%d\n" % len(drivers[drv]))
            for d in drivers[drv]:
                w.link("%s/%s" % (base, d.bdf), d.sysfs())
        if "vfio-pci" in drivers:
            p = "sys/module/vfio_iommu_type1/parameters"
            w.file(p + "/allow_unsafe_interrupts", "N\n")
            w.file(p + "/disable_hugepages", "N\n")
            w.file(p + "/dma_entry_limit", "65535\n")
        w.file("sys/bus/pci/drivers_autoprobe", "1\n")
        for bus in ("scsi", "usb"):
            w.file("sys/bus/%s/drivers_autoprobe" % bus, "1\n")
        w.file("sys/bus/pci/rescan", "")
        self.write_groups()
        self.write_units()
        table = self.dmar_table() if self.vendor == "intel" else self.ivrs_table()
        self.table_len = len(table)
        w.file("sys/firmware/acpi/tables/%s" % table[:4].decode(), table)
        self.write_proc(devs)
        self.write_kmsg(devs)

    def write_device(self, d):
        w = self.w
        p = d.sysfs()
        w.mkdir(p)
        f = {}
        f["vendor"] = "0x%04x\n" % d.vid
        f["device"] = "0x%04x\n" % d.did
        f["subsystem_vendor"] = "0x%04x\n" % d.svid
        f["subsystem_device"] = "0x%04x\n" % d.ssid
        f["class"] = "0x%06x\n" % d.cls
        f["revision"] = "0x%02x\n" % d.rev
        f["numa_node"] = "%d\n" % d.hb.numa
        f["local_cpulist"] = "0-7,16-23\n" if d.hb.numa == 0 else "8-15,24-31\n"
        f["local_cpus"] = "00ff00ff\n" if d.hb.numa == 0 else "ff00ff00\n"
        f["irq"] = "%d\n" % d.irq
        f["enable"] = "1\n" if d.driver else "0\n"
        f["msi_bus"] = "1\n"
        f["broken_parity_status"] = "0\n"
        f["d3cold_allowed"] = "1\n"
        f["ari_enabled"] = "1\n" if (d.sriov or d.is_vf or
                                     (d.is_bridge and d.ptype in (PT_RP, PT_DS))) else "0\n"
        f["consistent_dma_mask_bits"] = "64\n"
        f["dma_mask_bits"] = "64\n"
        f["driver_override"] = "(null)\n"
        f["power_state"] = "D0\n"
        modalias = "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X" % (
            d.vid, d.did, d.svid, d.ssid, d.cls >> 16, (d.cls >> 8) & 0xff, d.cls & 0xff)
        f["modalias"] = modalias + "\n"
        ue = []
        if d.driver:
            ue.append("DRIVER=%s" % d.driver)
        ue += ["PCI_CLASS=%X" % d.cls, "PCI_ID=%04X:%04X" % (d.vid, d.did),
               "PCI_SUBSYS_ID=%04X:%04X" % (d.svid, d.ssid), "PCI_SLOT_NAME=%s" % d.bdf,
               "MODALIAS=%s" % modalias]
        f["uevent"] = "\n".join(ue) + "\n"
        f["resource"] = self.resource(d)
        if d.reset:
            f["reset_method"] = " ".join(d.reset) + "\n"
        if d.pcie and d.ptype != PT_RCIEP:
            names = {1: "2.5 GT/s PCIe", 2: "5.0 GT/s PCIe", 3: "8.0 GT/s PCIe",
                     4: "16.0 GT/s PCIe"}
            f["current_link_speed"] = names[d.speed or 3] + "\n"
            f["max_link_speed"] = names[d.speed or 3] + "\n"
            f["current_link_width"] = "%d\n" % (d.width or 1)
            f["max_link_width"] = "%d\n" % (d.width or 1)
        if getattr(d, "boot_vga", False):
            f["boot_vga"] = "1\n"
        if d.is_bridge:
            f["secondary_bus_number"] = "%d\n" % d.secondary
            f["subordinate_bus_number"] = "%d\n" % d.subordinate
        if d.sriov:
            s = d.sriov
            f["sriov_totalvfs"] = "%d\n" % s["total"]
            f["sriov_numvfs"] = "%d\n" % s["num"]
            f["sriov_offset"] = "%d\n" % s["offset"]
            f["sriov_stride"] = "%d\n" % s["stride"]
            f["sriov_vf_device"] = "%x\n" % s["vf_device"]
            f["sriov_drivers_autoprobe"] = "1\n"
        for name, data in f.items():
            w.file("%s/%s" % (p, name), data)
        w.file("%s/config" % p, self.config(d))
        w.mkdir("%s/power" % p)
        w.link("%s/subsystem" % p, "sys/bus/pci")
        w.link("sys/bus/pci/devices/%s" % d.bdf, p)
        if d.driver:
            w.link("%s/driver" % p, "sys/bus/pci/drivers/%s" % d.driver)
        if d.group is not None:
            w.link("%s/iommu_group" % p, "sys/kernel/iommu_groups/%d" % d.group)
            w.link("%s/iommu" % p, self.unit_path(d.hb))
        if d.is_bridge:
            bp = "%s/pci_bus/%04x:%02x" % (p, d.seg, d.secondary)
            w.file(bp + "/cpuaffinity", f["local_cpus"])
            w.file(bp + "/cpulistaffinity", f["local_cpulist"])
            w.link("sys/class/pci_bus/%04x:%02x" % (d.seg, d.secondary), bp)
        if d.is_vf:
            w.link("%s/physfn" % p, d.pf.sysfs())
        for k, vf in enumerate(d.vfs):
            w.link("%s/virtfn%d" % (p, k), vf.sysfs())
        if d.driver == "vfio-pci":
            k = self.vfio_count
            self.vfio_count += 1
            w.file("%s/vfio-dev/vfio%d/uevent" % (p, k), "MAJOR=511\nMINOR=%d\nDEVNAME=vfio/devices/"
                   "vfio%d\n" % (k, k))
        for e in d.extra:
            self.write_extra(d, p, e)

    def class_dev(self, path, cls, uevent, link_name=None, device_target=None):
        """A class device directory with its subsystem link, uevent and /sys/class link."""
        w = self.w
        w.file(path + "/uevent", uevent)
        w.link(path + "/subsystem", "sys/class/%s" % cls)
        if device_target:
            w.link(path + "/device", device_target)
        w.mkdir(path + "/power")
        name = link_name or path.rpartition("/")[2]
        w.link("sys/class/%s/%s" % (cls, name), path)

    def write_extra(self, d, p, e):
        w = self.w
        kind = e[0]
        if kind == "net":
            name, ifindex = e[1], e[2]
            n = "%s/net/%s" % (p, name)
            self.class_dev(n, "net", "INTERFACE=%s\nIFINDEX=%d\n" % (name, ifindex),
                           device_target=p)
            w.file(n + "/ifindex", "%d\n" % ifindex)
            w.file(n + "/address", "3c:fd:fe:%02x:%02x:%02x\n" % (d.bus, d.devfn, ifindex & 0xff))
            w.file(n + "/mtu", "1500\n")
            w.file(n + "/operstate", "up\n" if not d.is_vf else "down\n")
            for q in range(2):
                w.mkdir(n + "/queues/rx-%d" % q)
                w.mkdir(n + "/queues/tx-%d" % q)
            w.mkdir(n + "/statistics")
        elif kind == "nvme":
            k = e[1]
            c = "%s/nvme/nvme%d" % (p, k)
            self.class_dev(c, "nvme", "MAJOR=240\nMINOR=%d\nDEVNAME=nvme%d\n" % (k, k),
                           device_target=p)
            w.file(c + "/model", "SAMSUNG MZQL23T8HCLS-00A07                \n")
            w.file(c + "/serial", "S64HNE0T%06d      \n" % k)
            w.file(c + "/state", "live\n")
            ns = c + "/nvme%dn1" % k
            self.class_dev(ns, "block", "MAJOR=259\nMINOR=%d\nDEVNAME=nvme%dn1\nDEVTYPE=disk\n"
                           % (2 * k, k))
            w.link("sys/block/nvme%dn1" % k, ns)
            w.file(ns + "/size", "7501476528\n")
            w.mkdir(ns + "/queue")
            w.mkdir(ns + "/mq/0")
            w.mkdir(ns + "/holders")
            part = ns + "/nvme%dn1p1" % k
            self.class_dev(part, "block", "MAJOR=259\nMINOR=%d\nDEVNAME=nvme%dn1p1\n"
                           "DEVTYPE=partition\nPARTN=1\n" % (2 * k + 1, k))
            w.file(part + "/partition", "1\n")
            w.mkdir(c + "/hwmon1")
        elif kind == "drm":
            k, connectors, render = e[1], e[2], e[3]
            base = "%s/drm" % p
            self.class_dev(base + "/card%d" % k, "drm",
                           "MAJOR=226\nMINOR=%d\nDEVNAME=dri/card%d\nDEVTYPE=drm_minor\n" % (k, k),
                           device_target=p)
            for con in connectors:
                cn = base + "/card%d/card%d-%s" % (k, k, con)
                self.class_dev(cn, "drm", "DEVTYPE=drm_connector\n")
            if render:
                self.class_dev(base + "/renderD%d" % (128 + k), "drm",
                               "MAJOR=226\nMINOR=%d\nDEVNAME=dri/renderD%d\nDEVTYPE=drm_minor\n"
                               % (128 + k, 128 + k), device_target=p)
        elif kind == "infiniband":
            name = e[1]
            self.class_dev("%s/infiniband/%s" % (p, name), "infiniband", "NAME=%s\n" % name,
                           device_target=p)
        elif kind == "sound":
            k = e[1]
            c = "%s/sound/card%d" % (p, k)
            self.class_dev(c, "sound", "SOUND_INITIALIZED=1\n", device_target=p)
            self.class_dev(c + "/controlC%d" % k, "sound",
                           "MAJOR=116\nMINOR=%d\nDEVNAME=snd/controlC%d\n" % (k * 32, k))
        elif kind == "ata":
            k = self.sd_index
            self.sd_index += 1
            sd = "sd" + chr(ord("a") + k)
            host = "%s/ata%d/host%d" % (p, e[1], k)
            w.file("%s/ata%d/uevent" % (p, e[1]), "DEVTYPE=ata_port\n")
            w.file(host + "/uevent", "DEVTYPE=scsi_host\n")
            w.link(host + "/subsystem", "sys/bus/scsi")
            self.class_dev(host + "/scsi_host/host%d" % k, "scsi_host", "")
            tgt = host + "/target%d:0:0" % k
            w.file(tgt + "/uevent", "DEVTYPE=scsi_target\n")
            w.link(tgt + "/subsystem", "sys/bus/scsi")
            lun = tgt + "/%d:0:0:0" % k
            w.file(lun + "/uevent", "DEVTYPE=scsi_device\nDRIVER=sd\n")
            w.link(lun + "/subsystem", "sys/bus/scsi")
            w.file(lun + "/model", "Micron_5300_MTFD\n")
            blk = lun + "/block/" + sd
            self.class_dev(blk, "block", "MAJOR=8\nMINOR=%d\nDEVNAME=%s\nDEVTYPE=disk\n"
                           % (16 * k, sd))
            w.link("sys/block/" + sd, blk)
            self.class_dev(blk + "/%s1" % sd, "block", "MAJOR=8\nMINOR=%d\nDEVNAME=%s1\n"
                           "DEVTYPE=partition\nPARTN=1\n" % (16 * k + 1, sd))
            w.file(blk + "/%s1/partition" % sd, "1\n")
            self.class_dev(lun + "/scsi_disk/%d:0:0:0" % k, "scsi_disk", "")
            self.class_dev(lun + "/scsi_generic/sg%d" % k, "scsi_generic",
                           "MAJOR=21\nMINOR=%d\nDEVNAME=sg%d\n" % (k, k))
            d.names.append(sd)
        elif kind == "usb":
            # a USB stick below the controller: its disk is not the controller's name
            k = self.sd_index
            self.sd_index += 1
            sd = "sd" + chr(ord("a") + k)
            u = "%s/usb1" % p
            w.file(u + "/uevent", "DEVTYPE=usb_device\nDRIVER=usb\n")
            w.link(u + "/subsystem", "sys/bus/usb")
            lun = u + "/1-4/1-4:1.0/host%d/target%d:0:0/%d:0:0:0" % (k, k, k)
            w.link(lun + "/subsystem", "sys/bus/scsi")
            blk = lun + "/block/" + sd
            self.class_dev(blk, "block", "MAJOR=8\nMINOR=%d\nDEVNAME=%s\nDEVTYPE=disk\n"
                           % (16 * k, sd))
            w.link("sys/block/" + sd, blk)
            u2 = "%s/usb2" % p
            w.file(u2 + "/uevent", "DEVTYPE=usb_device\nDRIVER=usb\n")
            w.link(u2 + "/subsystem", "sys/bus/usb")

    def unit_path(self, hb):
        if self.vendor == "intel":
            return "sys/devices/virtual/iommu/%s" % hb.unit
        return "%s/iommu/%s" % (hb.iommu_fn.sysfs(), hb.unit)

    def write_groups(self):
        w = self.w
        for g, members in enumerate(self.groups):
            base = "sys/kernel/iommu_groups/%d" % g
            w.file(base + "/type", self.gtype[g] + "\n")
            w.file(base + "/reserved_regions", "".join(
                "0x%016x 0x%016x %s\n" % r for r in self.group_regions(g)))
            w.mkdir(base + "/devices")
            for d in members:
                w.link("%s/devices/%s" % (base, d.bdf), d.sysfs())
        w.mkdir("sys/kernel/iommu_groups")

    def write_units(self):
        w = self.w
        w.mkdir("sys/class/iommu")
        for hb in self.hbs:
            up = self.unit_path(hb)
            members = [d for d in hb.devices if d.unit == hb.unit]
            members.sort(key=lambda d: d.key)
            w.file(up + "/uevent", "")
            w.link(up + "/subsystem", "sys/class/iommu")
            w.mkdir(up + "/power")
            w.link("sys/class/iommu/%s" % hb.unit, up)
            w.mkdir(up + "/devices")
            for d in members:
                w.link("%s/devices/%s" % (up, d.bdf), d.sysfs())
            if self.vendor == "intel":
                ndom = 2 + sum(1 for g in set(d.group for d in members)
                               if self.gtype[g] != "identity")
                w.file(up + "/intel-iommu/version", "1:0\n")
                w.file(up + "/intel-iommu/address", "%x\n" % hb.unit_addr)
                w.file(up + "/intel-iommu/cap", "8d2078c106f0466\n")
                w.file(up + "/intel-iommu/ecap", "f020df\n")
                w.file(up + "/intel-iommu/domains_supported", "65536\n")
                w.file(up + "/intel-iommu/domains_used", "%d\n" % ndom)
            else:
                w.file(up + "/amd-iommu/cap", "190b640f\n")
                w.file(up + "/amd-iommu/features", "0:58f77ef22294ade\n")
                w.link(up + "/device", hb.iommu_fn.sysfs())

    # ----------------------------------------------------------------- ACPI tables

    @staticmethod
    def acpi(sig, body, rev):
        length = 36 + len(body)
        intel = sig == b"DMAR"
        hdr = bytearray(struct.pack("<4sIBB6s8sI4sI", sig, length, rev, 0,
                                    b"INTEL " if intel else b"AMD   ",
                                    b"SKX-SP  " if intel else b"EPYC    ", 1,
                                    b"INTL", 0x20200925))
        t = hdr + body
        t[9] = (-sum(t)) & 0xff
        assert sum(t) & 0xff == 0
        return bytes(t)

    def dmar_table(self):
        body = bytearray(struct.pack("<BB10x", 45, 0x01))   # HAW 46 bits, INTR_REMAP
        ioapic = 8
        for kind, hb in self.drhd_order:
            scopes = b""
            if kind == "gfx":
                seg, flags, base = 0, 0, 0xfed90000
                scopes += struct.pack("<BBBBBBBB", 1, 8, 0, 0, 0, 0, 2, 0)
            else:
                seg, base = hb.seg, hb.unit_addr
                flags = 1 if hb.root_bus == 0 else 0
                if not flags:
                    for d in sorted(hb.devices, key=lambda x: x.key):
                        if d.parent is None and not d.is_vf and d.bus == hb.root_bus:
                            t = 2 if d.is_bridge else 1
                            scopes += struct.pack("<BBBBBBBB", t, 8, 0, 0, 0, d.bus, d.devno,
                                                  d.fn)
                scopes += struct.pack("<BBBBBBBB", 3, 8, 0, 0, ioapic, hb.root_bus, 5, 4)
                ioapic += 1
                if hb.index == 0:
                    scopes += struct.pack("<BBBBBBBB", 4, 8, 0, 0, 0, 0, 0x1f, 0)
            body += struct.pack("<HHBBHQ", 0, 16 + len(scopes), flags, 0, seg, base) + scopes
        # RMRRs: the USB controller and the BMC's VGA
        for d in self.all_devices():
            if (d.cls == 0x0c0330 or (d.vid == 0x1a03 and d.did == 0x2000)) and d.group is not None:
                lo, hi = (0x6f3c6000, 0x6f3e5fff) if d.cls == 0x0c0330 else (0x6f800000, 0x6fbfffff)
                path = []
                x = d
                while x is not None:
                    path.append((x.devno, x.fn))
                    x = x.parent
                path.reverse()
                sc = struct.pack("<BBBBBB", 1, 6 + 2 * len(path), 0, 0, 0, d.hb.root_bus)
                sc += b"".join(struct.pack("<BB", *p) for p in path)
                body += struct.pack("<HHHHQQ", 1, 24 + len(sc), 0, d.seg, lo, hi) + sc
        for seg in sorted(set(h.seg for h in self.hbs)):
            body += struct.pack("<HHBBH", 2, 8, 1, 0, seg)            # ATSR, ALL_PORTS
        for hb in self.hbs:
            body += struct.pack("<HHIQI", 3, 20, 0, hb.unit_addr, hb.numa)   # RHSA
        return self.acpi(b"DMAR", bytes(body), 1)

    def ivrs_table(self):
        ivinfo = (0x40 << 15) | (0x30 << 8) | (2 << 5) | 1
        body = bytearray(struct.pack("<I8x", ivinfo))
        for hb in self.hbs:
            fn = hb.iommu_fn
            ent = struct.pack("<BHB", 0x03, (hb.root_bus << 8), 0)
            ent += struct.pack("<BHB", 0x04, (hb.bus_limit << 8) | 0xff, 0)
            if hb.index == 0:
                ent += struct.pack("<BHBBHB", 0x48, 0, 0xd7, 0x21, 0x00a0, 1)   # IOAPIC
            dev_id = (fn.bus << 8) | fn.devfn
            hdr = struct.pack("<BBHHHQHHIQQ", 0x40, 0xb0, 40 + len(ent), dev_id, 0x40,
                              hb.unit_addr, hb.seg, 0, 0x00040000, 0x58f77ef22294ade, 0)
            body += hdr + ent
        return self.acpi(b"IVRS", bytes(body), 2)

    # ----------------------------------------------------------------- proc and kmsg

    def cmdline(self):
        opts = "intel_iommu=on,igfx_off" if self.vendor == "intel" else "amd_iommu_intr=vapic"
        return ("BOOT_IMAGE=/boot/vmlinuz-%s root=UUID=6c3f2b7e-3c1d-4a8e-9d3f-1b2c3d4e5f60 ro "
                "%s quiet" % (KERNEL_RELEASE, opts))

    def write_proc(self, devs):
        w = self.w
        w.file("proc/version", KERNEL_VERSION + "\n")
        w.file("proc/cmdline", self.cmdline() + "\n")
        rng = random.Random(self.args.seed + 2)
        lines = ["     " + "".join("  CPU%-7d" % i for i in range(NCPUS)).rstrip()]

        def row(irq, chip, hw, name):
            counts = "".join(" %10d" % (rng.randrange(0, 5000) if rng.random() < 0.3 else 0)
                             for _ in range(NCPUS))
            return "%4s:%s  %-10s %s  %s" % (irq, counts, chip, hw, name)
        lines.append(row(0, "IR-IO-APIC", "   2-edge     ", "timer"))
        lines.append(row(8, "IR-IO-APIC", "   8-edge     ", "rtc0"))
        lines.append(row(9, "IR-IO-APIC", "   9-fasteoi  ", "acpi"))
        irq = 24
        if self.vendor == "intel":
            for kind, hb in self.drhd_order:
                if hb is not None:
                    lines.append(row(irq, "DMAR-MSI", "%4d-edge     " % int(hb.unit[4:]),
                                     hb.unit))
                    irq += 1
        else:
            for hb in self.hbs:
                lines.append(row(irq, "PCI-MSI", "%d-edge" % self.hwirq(hb.iommu_fn, 0),
                                 "AMD-Vi"))
                irq += 1
        for d in devs:
            for _, hw, name in d.irqs:
                if irq > 2000:
                    break
                lines.append(row(irq, "IR-PCI-MSI", "%d-edge" % hw, name))
                irq += 1
        for tag, text in (("NMI", "Non-maskable interrupts"), ("LOC", "Local timer interrupts"),
                          ("SPU", "Spurious interrupts"), ("RES", "Rescheduling interrupts"),
                          ("CAL", "Function call interrupts"), ("TLB", "TLB shootdowns")):
            lines.append("%4s:%s   %s" % (tag, "".join(" %10d" % rng.randrange(0, 99999)
                                                       for _ in range(NCPUS)), text))
        lines.append("ERR:          0")
        lines.append("MIS:          0")
        w.file("proc/interrupts", "\n".join(lines) + "\n")

    def write_kmsg(self, devs):
        recs = []
        t = [0]

        def rec(prio, text, dev=None, dt=97):
            t[0] += dt
            r = "%d,%d,%d,-;%s\n" % (prio, len(recs), t[0] if recs else 0, text)
            if dev is not None:
                r += " SUBSYSTEM=pci\n DEVICE=+pci:%s\n" % dev
            recs.append(r)

        cmd = self.cmdline()
        rec(5, KERNEL_VERSION)
        rec(6, "Command line: " + cmd)
        rec(6, "BIOS-provided physical RAM map:")
        if self.vendor == "intel":
            rec(6, "ACPI: DMAR 0x000000006F6B2000 %06X (v01 INTEL  SKX-SP   00000001 INTL "
                "20200925)" % self.table_len)
        else:
            rec(6, "ACPI: IVRS 0x00000000AB6B2000 %06X (v02 AMD    EPYC     00000001 INTL "
                "20200925)" % self.table_len)
        rec(5, "Kernel command line: " + cmd)
        if self.vendor == "intel":
            rec(6, "DMAR: IOMMU enabled")
            rec(6, "DMAR: Disable GFX device mapping")
            rec(6, "DMAR: Host address width 46")
            for kind, hb in self.drhd_order:
                if hb is None:
                    rec(6, "DMAR: DRHD base: 0x000000fed90000 flags: 0x0")
                    rec(6, "DMAR: %s: reg_base_addr fed90000 ver 1:0 cap 1c0000c40660462 "
                        "ecap 19e2ff0505e" % self.gfx_unit)
                else:
                    rec(6, "DMAR: DRHD base: 0x%014x flags: 0x%x" % (hb.unit_addr,
                                                                       1 if hb.root_bus == 0 else 0))
                    rec(6, "DMAR: %s: reg_base_addr %x ver 1:0 cap 8d2078c106f0466 ecap f020df"
                        % (hb.unit, hb.unit_addr))
            rec(6, "DMAR: RMRR base: 0x0000006f3c6000 end: 0x0000006f3e5fff")
            rec(6, "DMAR: ATSR flags: 0x1")
            for i, hb in enumerate(self.hbs):
                rec(6, "DMAR-IR: IOAPIC id %d under DRHD base  0x%x IOMMU %s" %
                    (8 + i, hb.unit_addr, hb.unit[4:]))
            rec(6, "DMAR-IR: HPET id 0 under DRHD base 0x%x" % self.hbs[0].unit_addr)
            rec(6, "DMAR-IR: Queued invalidation will be enabled to support x2apic and "
                "Intr-remapping.")
            rec(6, "DMAR-IR: Enabled IRQ remapping in x2apic mode")
        for hb in self.hbs:
            rec(6, "ACPI: PCI Root Bridge [PC%02d] (domain %04x [bus %02x-%02x])" %
                (hb.index, hb.seg, hb.root_bus, hb.bus_limit))
            rec(6, "PCI host bridge to bus %04x:%02x" % (hb.seg, hb.root_bus))
        for d in devs:
            if d.is_vf:
                continue
            rec(6, "pci %s: [%04x:%04x] type %02x class 0x%06x" %
                (d.bdf, d.vid, d.did, 1 if d.is_bridge else 0, d.cls), d.bdf)
        rec(6, "iommu: Default domain type: Translated ")
        rec(6, "iommu: DMA domain TLB invalidation policy: lazy mode ")
        if self.vendor == "intel":
            rec(6, "DMAR: No SATC found")
            for kind, hb in self.drhd_order:
                if hb is not None:
                    rec(6, "DMAR: %s: Using Queued invalidation" % hb.unit)
        else:
            rec(6, "AMD-Vi: Using global IVHD EFR:0x58f77ef22294ade, EFR2:0x0")
        vf_recs = []
        members = [d for g in self.groups for d in g]
        boot = [d for d in members if not d.is_vf]
        boot.sort(key=lambda d: d.group)
        for d in boot:
            rec(6, "pci %s: Adding to iommu group %d" % (d.bdf, d.group), d.bdf)
        if self.vendor == "intel":
            rec(6, "DMAR: Intel(R) Virtualization Technology for Directed I/O")
        else:
            for hb in self.hbs:
                rec(6, "pci %s: AMD-Vi: Found IOMMU cap 0x40" % hb.iommu_fn.bdf, hb.iommu_fn.bdf)
            rec(6, "AMD-Vi: Extended features (0x58f77ef22294ade, 0x0): PPR X2APIC NX GT IA GA "
                "PC GA_vAPIC")
            rec(6, "AMD-Vi: Interrupt remapping enabled")
            rec(6, "AMD-Vi: X2APIC enabled")
            rec(6, "AMD-Vi: Virtual APIC enabled")
            for i, hb in enumerate(self.hbs):
                rec(6, "perf/amd_iommu: Detected AMD IOMMU #%d (2 banks, 4 counters/bank)." % i)
        eth = 0
        for d in devs:
            if d.driver == "nvme":
                rec(6, "nvme %s: 63/0/0 default/read/poll queues" % d.bdf, d.bdf, dt=5000)
            if d.driver in ("i40e", "ice", "mlx5_core", "igb") and not d.is_vf:
                rec(6, "%s %s %s: renamed from eth%d" % (d.driver, d.bdf, d.names[0], eth),
                    d.bdf, dt=3000)
                eth += 1
        for d in sorted((d for d in members if d.is_vf), key=lambda d: d.group):
            rec(6, "pci %s: [%04x:%04x] type 00 class 0x%06x" % (d.bdf, d.vid, d.did, d.cls),
                d.bdf, dt=40)
            rec(6, "pci %s: Adding to iommu group %d" % (d.bdf, d.group), d.bdf, dt=40)
        self.w.file("dev/kmsg", "".join(recs))

    # ----------------------------------------------------------------- the manifest

    def manifest(self):
        devs = sorted(self.all_devices(), key=lambda d: d.key)
        m = {
            "generator": {"seed": self.args.seed, "vendor": self.vendor,
                          "devices_requested": self.args.devices,
                          "kinds": dict(sorted(self.kinds_made.items()))},
            "counts": {
                "devices": len(devs),
                "groups": len(self.groups),
                "units": len(self.hbs),
                "devices_in_groups": sum(1 for d in devs if d.group is not None),
                "devices_without_group": sum(1 for d in devs if d.group is None),
                "vfs": sum(1 for d in devs if d.is_vf),
            },
            "groups": {},
            "units": {},
            "devices": {},
            "devices_without_group": sorted(d.bdf for d in devs if d.group is None),
            "names": {},
            "vfs": {},
            "segments": sorted(set("%04x" % h.seg for h in self.hbs)),
            "host_bridges": [h.name for h in self.hbs],
        }
        for g, members in enumerate(self.groups):
            m["groups"][str(g)] = {
                "type": self.gtype[g],
                "devices": sorted(d.bdf for d in members),
                "reserved_regions": [{"start": "0x%x" % a, "end": "0x%x" % b, "type": t}
                                     for a, b, t in self.group_regions(g)],
            }
        for hb in self.hbs:
            m["units"][hb.unit] = sum(1 for d in hb.devices if d.unit == hb.unit)
        for d in devs:
            m["devices"][d.bdf] = {
                "group": d.group,
                "unit": d.unit,
                "driver": d.driver,
                "names": sorted(d.names),
                "physfn": d.pf.bdf if d.is_vf else None,
                "class": "%06x" % d.cls,
                "vendor_id": "%04x" % d.vid,
                "device_id": "%04x" % d.did,
                "numa_node": d.hb.numa,
                "reset_methods": d.reset or [],
                "bridge": d.is_bridge,
            }
            if d.names:
                m["names"][d.bdf] = sorted(d.names)
            if d.is_vf:
                m["vfs"][d.bdf] = d.pf.bdf
        return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory (must not exist or be empty)")
    ap.add_argument("--devices", type=int, default=4000,
                    help="approximate number of PCI functions (default 4000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--vendor", choices=("intel", "amd"), default="intel")
    args = ap.parse_args()
    if args.devices < 50:
        ap.error("--devices must be at least 50")
    out = args.out.rstrip("/") or "/"
    if os.path.exists(out):
        if not os.path.isdir(out) or os.listdir(out):
            ap.error("%s exists and is not an empty directory" % out)
    else:
        os.makedirs(out)
    g = Gen(args)
    g.build()
    g.assign_units()
    g.compute_groups()
    g.group_types()
    g.write(out)
    m = g.manifest()
    with open(out + ".manifest.json", "w") as f:
        json.dump(m, f, indent=1, sort_keys=True)
        f.write("\n")
    c = m["counts"]
    print("%s: %d devices (%d VFs), %d groups, %d units, %d files, %d links; manifest %s" %
          (out, c["devices"], c["vfs"], c["groups"], c["units"], g.w.nfiles, g.w.nlinks,
           out + ".manifest.json"), file=sys.stderr)


if __name__ == "__main__":
    main()
