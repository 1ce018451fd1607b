// SPDX-License-Identifier: MIT
/*
 * The words of check (include/model/check.h): every code, verdict, action and
 * step key, and each code's severity, summary and fix, in one table. Nothing
 * else in the tool words these conclusions; renderers print them.
 */
#include "check.h"

#define ACS_OVERRIDE_RISK \
	"The out-of-tree ACS override patch (pcie_acs_override=) would split the group " \
	"without isolating anything: the devices could still reach each other by " \
	"peer-to-peer DMA that the IOMMU never sees, so a guest could read or corrupt " \
	"the other devices' memory; do not use it where the guest is not trusted."

static const struct ii_chk_code_info info[II_CHK_NCODES] = {
	[II_CHK_NO_IOMMU] = { "no-iommu", II_SEV_ERROR,
		"There is no IOMMU group: the IOMMU is off or absent, so no device can be given "
		"to a VM through VFIO.",
		"Enable VT-d (Intel) or AMD-Vi/IOMMU in the firmware setup, and boot with "
		"intel_iommu=on on Intel kernels that do not turn it on by default." },
	[II_CHK_GROUPS_UNREADABLE] = { "groups-unreadable", II_SEV_ERROR,
		"The IOMMU groups cannot be read, so nothing can be decided.",
		"Run as a user who can read /sys/kernel/iommu_groups." },
	[II_CHK_PASSTHROUGH] = { "passthrough", II_SEV_INFO,
		"The host's default domain is identity (iommu=pt): the host's own devices are not "
		"translated; VFIO still gives each group it takes a domain of its own.",
		NULL },
	[II_CHK_INTREMAP_OFF] = { "interrupt-remapping-off", II_SEV_ERROR,
		"Interrupt remapping is off: vfio_iommu_type1 refuses the group (\"No interrupt "
		"remapping support\") unless allow_unsafe_interrupts is set.",
		"Enable interrupt remapping (x2APIC/interrupt remapping in the firmware; do not "
		"boot with intremap=off or intremap=nosid). Setting allow_unsafe_interrupts=1 lets "
		"a guest forge MSI writes to any interrupt of the host." },
	[II_CHK_UNSAFE_INTERRUPTS] = { "unsafe-interrupts-allowed", II_SEV_WARNING,
		"vfio_iommu_type1's allow_unsafe_interrupts is on: without interrupt remapping a "
		"guest can forge MSI writes to any interrupt of the host.",
		"Enable interrupt remapping and set allow_unsafe_interrupts back to N." },
	[II_CHK_INTREMAP_UNKNOWN] = { "interrupt-remapping-unknown", II_SEV_WARNING,
		"Whether interrupts are remapped is not known; vfio_iommu_type1 refuses a group "
		"when they are not.",
		"Run `iommu-inspect status` as root (it reads the kernel log)." },
	[II_CHK_MSI_NOT_ISOLATED] = { "msi-not-isolated", II_SEV_ERROR,
		"MSIs are not isolated (no GIC ITS; a GICv2m cannot tell devices apart): "
		"vfio_iommu_type1 refuses the group (\"No interrupt remapping support\") unless "
		"allow_unsafe_interrupts is set.",
		"Use a machine or firmware whose MSIs go through a GIC ITS. Setting "
		"allow_unsafe_interrupts=1 lets a guest forge MSI writes to any interrupt of the "
		"host." },
	[II_CHK_VFIO_PCI_MISSING] = { "vfio-pci-not-loaded", II_SEV_INFO,
		"The vfio-pci driver is not loaded.", "modprobe vfio-pci" },
	[II_CHK_VFIO_UNKNOWN] = { "vfio-unknown", II_SEV_INFO,
		"The tree does not record /dev/vfio (a snapshot from before `check`): which of its "
		"nodes exist is unknown, and whether vfio-pci is loaded when no device is "
		"bound to it.",
		"Take a new snapshot with this version." },
	[II_CHK_IOMMUFD] = { "iommufd", II_SEV_INFO,
		"The iommufd node /dev/iommu is there: VMMs can use iommufd (kernel 6.2 and later) instead of the "
		"VFIO container.", NULL },
	[II_CHK_NO_GROUP] = { "no-group", II_SEV_ERROR,
		"The device is in no IOMMU group: no IOMMU translates its DMA, so VFIO cannot "
		"take it.", NULL },
	[II_CHK_IS_BRIDGE] = { "bridge", II_SEV_ERROR,
		"A bridge: vfio-pci binds endpoints only (header type 0); give the devices below "
		"it instead.", NULL },
	[II_CHK_HOST_BRIDGE] = { "host-bridge", II_SEV_ERROR,
		"A host bridge (class 0600): the host's root complex, not a device for a guest. "
		"vfio-pci would bind it (header type 0), but its registers set up the host's memory "
		"and PCI (on Intel the DRAM controller and the PCI Express configuration window), "
		"and a guest gets a host bridge of its own from its VMM.", NULL },
	[II_CHK_ISA_BRIDGE] = { "isa-bridge", II_SEV_ERROR,
		"An ISA/LPC bridge (class 0601): the chipset's bridge to the host's legacy devices "
		"(keyboard controller, serial ports, RTC, TPM). vfio-pci would bind it (header type "
		"0), but those devices stay the host's, and a guest gets an ISA bridge of its own "
		"from its VMM.", NULL },
	[II_CHK_VFIO_DENYLIST] = { "vfio-denylist", II_SEV_ERROR,
		"vfio-pci refuses it: the function is in vfio-pci's device denylist, for errata a "
		"guest could exploit to upset the host (\"exists in vfio-pci device denylist, "
		"driver probing disallowed\").",
		"Only for a trusted guest: load vfio-pci with disable_denylist=1 (\"options "
		"vfio-pci disable_denylist=1\" in modprobe.d), which lets it bind the function at "
		"the risk of those errata." },
	[II_CHK_DENYLIST_OFF] = { "vfio-denylist-off", II_SEV_WARNING,
		"The function is in vfio-pci's device denylist, which vfio-pci's disable_denylist "
		"turns off: it binds the function, and a guest could use its errata against the host.",
		"Load vfio-pci without disable_denylist unless the guest is trusted." },
	[II_CHK_PF_VFS] = { "sr-iov-vfs-enabled", II_SEV_WARNING,
		"An SR-IOV physical function whose virtual functions are enabled: vfio-pci refuses "
		"to bind it (\"Cannot bind to PF with SR-IOV enabled\", -EBUSY) until they are "
		"disabled, and disabling them removes the VFs from the host and from any guest "
		"that has one.",
		"Give the guest a VF instead, or disable the VFs first (the steps do)." },
	[II_CHK_VF_PF_IN_GROUP] = { "vf-pf-in-group", II_SEV_ERROR,
		"A virtual function in the IOMMU group of its physical function, which a driver "
		"of the host holds: VFIO takes a group whole, vfio-pci refuses the PF while its "
		"VFs are enabled, and disabling them removes this VF.",
		"Give the guest the PF instead, or put the VFs in groups of their own (a PF and "
		"a port above it with ACS, or the kernel's ACS quirk for the device)." },
	[II_CHK_BIND_VFIO] = { "bind-vfio-pci", II_SEV_INFO,
		"It is not bound to vfio-pci; the steps bind it.", NULL },
	[II_CHK_BOUND_VFIO] = { "bound-vfio-pci", II_SEV_INFO,
		"It is bound to a VFIO driver.", NULL },
	[II_CHK_OVERRIDE_OTHER] = { "driver-override-other", II_SEV_WARNING,
		"driver_override names another driver: only that driver will bind it.",
		"Write vfio-pci to its driver_override (the steps do)." },
	[II_CHK_DRIVER_UNKNOWN] = { "driver-unknown", II_SEV_WARNING,
		"Its driver link could not be read: whether it is bound is unknown.",
		"Run as root, or record the tree again." },
	[II_CHK_CONFIG_SHORT] = { "config-short", II_SEV_WARNING,
		"Only the first bytes of its configuration space could be read (64 for a user who "
		"is not root): its capabilities (ACS, FLR, power management) are unknown, not "
		"absent.",
		"Run as root to read all of it." },
	[II_CHK_CONFIG_UNREADABLE] = { "config-unreadable", II_SEV_WARNING,
		"Its configuration space could not be read: its capabilities are unknown.",
		"Run as root; check that the device still answers (lspci -vv)." },
	[II_CHK_CONFIG_BROKEN] = { "config-capabilities-broken", II_SEV_WARNING,
		"Its capability lists loop or point outside the configuration space; the walk "
		"stopped there and what lies beyond is unknown.",
		"A device or firmware defect, or a damaged recording: the kernel stops its own walk "
		"the same way." },
	[II_CHK_COMPANION_BOUND] = { "companion-bound", II_SEV_WARNING,
		"Another device of its group is bound to a driver of the host: VFIO cannot take "
		"the group while it is (the kernel's DMA ownership of a group is all or nothing).",
		"Bind it to vfio-pci too, or unbind it (the steps say which, when there are "
		"steps); it then goes to the same VM or to none." },
	[II_CHK_COMPANION_UNKNOWN] = { "companion-unknown", II_SEV_WARNING,
		"The driver of another device of its group could not be read.", NULL },
	[II_CHK_MEMBERS_UNKNOWN] = { "members-unknown", II_SEV_WARNING,
		"The group's devices could not be listed: its other devices are unknown.",
		"Run as root." },
	[II_CHK_NODE_ABSENT] = { "vfio-node-absent", II_SEV_INFO,
		"The group's node /dev/vfio/N is not there: the kernel creates it when a device of the group is "
		"bound to vfio-pci.", NULL },
	[II_CHK_NODE_ROOT_ONLY] = { "vfio-node-owner-only", II_SEV_INFO,
		"Only its owner can open /dev/vfio/N: a VMM running as another user cannot.",
		"Run the VMM as that user, or give the node to it (chown, or a udev rule; libvirt "
		"does this itself)." },
	[II_CHK_NODE_UNKNOWN] = { "vfio-node-unknown", II_SEV_INFO,
		"The tree does not record /dev/vfio/N.", NULL },
	[II_CHK_PREDICTION_DIFFERS] = { "prediction-differs", II_SEV_WARNING,
		"The kernel's grouping rules applied to the recorded configuration space give "
		"other members than the kernel's group: something the tool does not model "
		"(a quirk newer than its tables, an ACS override patch, hot-plugged devices) is "
		"at work.",
		"Report it with `iommu-inspect snapshot`." },
	[II_CHK_PREDICTION_UNKNOWN] = { "prediction-unknown", II_SEV_INFO,
		"The members cannot be predicted: configuration space needed for it could not be "
		"read.", "Run as root." },
	[II_CHK_WHY_OWN] = { "own-group", II_SEV_INFO,
		"Nothing ties it to another device: every bridge above it isolates (ACS), it has "
		"no DMA alias, and it is the only non-isolated function of its slot.", NULL },
	[II_CHK_WHY_PORT_NO_ACS] = { "port-without-acs", II_SEV_INFO,
		"A port above it has no ACS capability: devices below it can reach each other "
		"without the IOMMU, so the kernel groups them with that port.",
		"Another slot, whose root port (or switch port) has ACS; a kernel with an ACS "
		"quirk for this port, if its vendor vouches for its isolation. "
		ACS_OVERRIDE_RISK },
	[II_CHK_WHY_PORT_ACS_OFF] = { "port-acs-disabled", II_SEV_INFO,
		"A port above it has ACS, but flags the kernel requires (Source Validation, P2P "
		"Request Redirect, P2P Completion Redirect, Upstream Forwarding) are off.",
		"Enable ACS in the firmware setup (often \"ACS\", \"PCIe ACS control\" or part of "
		"\"VT-d\"/\"IOMMU\"), and do not boot with disable_acs_redir= or config_acs= "
		"turning them off. " ACS_OVERRIDE_RISK },
	[II_CHK_WHY_QUIRK_DENIES] = { "port-quirk-denies", II_SEV_INFO,
		"A kernel quirk for a port above it says the port does not isolate.",
		"Another slot. " ACS_OVERRIDE_RISK },
	[II_CHK_WHY_PATH_UNKNOWN] = { "path-unknown", II_SEV_INFO,
		"A bridge above it could not be read far enough to tell whether it isolates.",
		"Run as root." },
	[II_CHK_WHY_FUNCTIONS] = { "functions-without-acs", II_SEV_INFO,
		"Functions of one multifunction device without ACS: the kernel cannot tell that "
		"they do not talk to each other, so they share a group.",
		"Give them to the same VM together; a kernel with an ACS quirk for the device, if "
		"its vendor vouches that its functions are isolated. " ACS_OVERRIDE_RISK },
	[II_CHK_WHY_BRIDGE_ALIAS] = { "behind-pci-bridge", II_SEV_INFO,
		"Behind a PCIe-to-PCI (or conventional PCI) bridge: conventional PCI requests "
		"carry the bridge's requester ID, so the IOMMU cannot tell the devices behind it "
		"apart.",
		"Nothing in software separates them: use a PCI Express device or a slot that is "
		"not behind the bridge." },
	[II_CHK_WHY_DMA_ALIAS] = { "dma-alias", II_SEV_INFO,
		"A DMA alias quirk: the device issues DMA with another function's requester ID, so "
		"the two cannot be told apart.",
		"Nothing separates them: give them to the same VM." },
	[II_CHK_ACS_QUIRK] = { "acs-quirk", II_SEV_INFO,
		"A kernel quirk counts this device as isolating although its ACS capability alone "
		"would not (the vendor vouches for it).",
		"Kernels without the quirk (it is in the 6.1 tables; an older kernel may lack it) "
		"group it with its neighbours." },
	[II_CHK_ALIAS_GHOST] = { "dma-alias-ghost", II_SEV_INFO,
		"A DMA alias quirk names a function that is not present (a \"ghost\" requester): "
		"the IOMMU maps it too; it changes no group.", NULL },
	[II_CHK_ALIAS_UNKNOWN] = { "dma-alias-unknown", II_SEV_WARNING,
		"A DMA alias quirk reads its aliases from the device's registers, which the tool "
		"does not read: the predicted group may miss devices.", NULL },
	[II_CHK_ALIAS_STREAM_SHARED] = { "alias-stream-shared", II_SEV_WARNING,
		"A device behind the same PCIe-to-PCI bridge is in no group: the kernel gave it no "
		"SMMU because a device of this group already held the bridge's alias stream ID, "
		"which it sends with too. Its DMA lands in this group's domain, a VM's once the "
		"group is assigned.",
		"Keep that device idle (unbind its driver) while the group is assigned, or move one "
		"of them to a slot that is not behind the bridge." },
	[II_CHK_RMRR_LOCKED] = { "rmrr", II_SEV_ERROR,
		"A device of the group is in an RMRR scope (firmware DMA the OS must keep mapped): "
		"since 3.17 Intel VT-d refuses to attach it to a VFIO domain (\"Device is ineligible "
		"for IOMMU domain attach due to platform RMRR requirement\"), and since 5.3 a device "
		"below a bridge the RMRR names as well.",
		"A firmware setting that drops the RMRR (on HPE servers, \"HPE Shared Memory "
		"features\" off for the slot), or another slot; ask the platform vendor." },
	[II_CHK_RMRR_RELAXABLE] = { "rmrr-relaxable", II_SEV_INFO,
		"A USB controller or graphics device in an RMRR scope: the kernel relaxes its RMRR "
		"(direct-relaxable) and lets VFIO take it; the firmware's use of the region must "
		"have ended (legacy USB emulation, a boot framebuffer).", NULL },
	[II_CHK_DIRECT_REGION] = { "direct-region", II_SEV_WARNING,
		"The group has a direct (identity-mapped) reserved region that the firmware asks "
		"to keep: a VM's memory must not use those addresses.", NULL },
	[II_CHK_RMRR_UNKNOWN] = { "rmrr-unknown", II_SEV_WARNING,
		"Whether an RMRR pins a device of the group is unknown: the DMAR table could not "
		"be read and the group's reserved regions do not tell.", "Run as root." },
	[II_CHK_RESET_NONE] = { "no-reset", II_SEV_WARNING,
		"The kernel knows no way to reset it (no reset_method): vfio-pci cannot reset it "
		"between users, so state can leak from one VM to the next, and some devices do "
		"not work again after a VM used them.", NULL },
	[II_CHK_RESET_BUS_ONLY] = { "reset-bus-shared", II_SEV_WARNING,
		"Its only reset is a secondary bus reset, and other devices share its bus: they "
		"are reset with it, so vfio-pci can reset it only when all of them belong to the "
		"same user (VFIO_DEVICE_PCI_HOT_RESET).", "Give its bus neighbours to the same VM." },
	[II_CHK_RESET_QUIRK] = { "reset-quirk", II_SEV_WARNING,
		"A kernel quirk says one of its resets does not work; the kernel leaves it out.",
		NULL },
	[II_CHK_RESET_UNKNOWN] = { "reset-unknown", II_SEV_INFO,
		"Its reset methods are unknown (reset_method cannot be read, or the kernel is "
		"older than 5.15).", NULL },
	[II_CHK_HOST_ROOT_DISK] = { "host-root-disk", II_SEV_CRITICAL,
		"THE GROUP HOLDS THE DISK OF THE HOST'S ROOT FILESYSTEM. Giving it to a VM takes "
		"the host's disk away: do not.", NULL },
	[II_CHK_HOST_ROUTE_NIC] = { "host-default-route", II_SEV_CRITICAL,
		"THE GROUP HOLDS THE INTERFACE OF THE HOST'S DEFAULT ROUTE. Giving it to a VM cuts "
		"the host off the network (and a remote session with it): do not.", NULL },
	[II_CHK_HOST_BOOT_VGA] = { "host-boot-display", II_SEV_CRITICAL,
		"THE GROUP HOLDS THE HOST'S BOOT DISPLAY (boot_vga). Giving it to a VM takes the "
		"host's console away: do not.", NULL },
	[II_CHK_HOST_KEYBOARD] = { "host-keyboard", II_SEV_CRITICAL,
		"THE GROUP HOLDS THE CONTROLLER OF A KEYBOARD OF THE HOST. Giving it to a VM takes "
		"the host's keyboard away: do not.", NULL },
	[II_CHK_HOST_UNKNOWN] = { "host-critical-unknown", II_SEV_WARNING,
		"Not everything the host needs could be found (its root disk, default route or "
		"keyboards): a group not named here may still hold one.", NULL },
};

const struct ii_chk_code_info *ii_chk_code_info(enum ii_chk_code c)
{
	static const struct ii_chk_code_info none = { "unknown", II_SEV_INFO, "", NULL };

	return (size_t)c < II_CHK_NCODES && info[c].key ? &info[c] : &none;
}

const char *ii_verdict_key(enum ii_assign_verdict v)
{
	static const char *const keys[] = {
		[II_VERDICT_NOW] = "assignable-now", [II_VERDICT_AFTER_STEPS] = "assignable-after-steps",
		[II_VERDICT_NOT] = "not-assignable", [II_VERDICT_UNKNOWN] = "unknown",
	};
	return (size_t)v < II_ARRAY_SIZE(keys) ? keys[v] : "unknown";
}

const char *ii_verdict_text(enum ii_assign_verdict v)
{
	static const char *const text[] = {
		[II_VERDICT_NOW] = "assignable now", [II_VERDICT_AFTER_STEPS] = "assignable after the steps below",
		[II_VERDICT_NOT] = "NOT assignable", [II_VERDICT_UNKNOWN] = "unknown (not everything that decides it could be read)",
	};
	return (size_t)v < II_ARRAY_SIZE(text) ? text[v] : "unknown";
}

const char *ii_sev_key(enum ii_sev s)
{
	static const char *const keys[] = {
		[II_SEV_INFO] = "info", [II_SEV_WARNING] = "warning", [II_SEV_ERROR] = "error",
		[II_SEV_CRITICAL] = "critical",
	};
	return (size_t)s < II_ARRAY_SIZE(keys) ? keys[s] : "info";
}

const char *ii_comp_action_key(enum ii_comp_action a)
{
	static const char *const keys[] = {
		[II_COMP_FREE] = "none", [II_COMP_VFIO] = "vfio", [II_COMP_STUB] = "pci-stub",
		[II_COMP_BRIDGE] = "bridge-excepted", [II_COMP_BIND_VFIO] = "bind-vfio-pci",
		[II_COMP_UNBIND] = "unbind", [II_COMP_UNKNOWN] = "unknown",
	};
	return (size_t)a < II_ARRAY_SIZE(keys) ? keys[a] : "unknown";
}

const char *ii_step_key(enum ii_step_kind k)
{
	static const char *const keys[] = {
		[II_STEP_MODPROBE] = "modprobe", [II_STEP_OVERRIDE] = "driver-override",
		[II_STEP_UNBIND] = "unbind", [II_STEP_BIND] = "bind",
		[II_STEP_ALLOW_UNSAFE] = "allow-unsafe-interrupts", [II_STEP_DISABLE_VFS] = "disable-vfs",
	};
	return (size_t)k < II_ARRAY_SIZE(keys) ? keys[k] : "unknown";
}

const char *ii_bus_reset_key(enum ii_bus_reset b)
{
	static const char *const keys[] = {
		[II_BUS_RESET_ALONE] = "alone", [II_BUS_RESET_SIBLINGS] = "with-siblings",
		[II_BUS_RESET_ROOT_BUS] = "root-bus", [II_BUS_RESET_QUIRK] = "quirk",
		[II_BUS_RESET_BRIDGE] = "bridge", [II_BUS_RESET_UNKNOWN] = "unknown",
	};
	return (size_t)b < II_ARRAY_SIZE(keys) ? keys[b] : "unknown";
}
