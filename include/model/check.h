/* SPDX-License-Identifier: MIT */
/*
 * check: can a device be given to a virtual machine through VFIO, what must
 * go with it, what to do, and why its IOMMU group is what it is
 * (src/model/model-check.c). Every conclusion is a typed code with a
 * severity; the text of each code (summary and fix) is in one table
 * (ii_chk_code_info(), src/model/model-check-text.c), the evidence of each
 * finding the facts it rests on. The renderer prints these fields.
 *
 * The rules are the kernel's (6.1 unless said): a group can be handed to
 * VFIO when none of its devices has a driver that uses the kernel's DMA API
 * (iommu_group_claim_dma_owner; vfio-pci, pci-stub and pcieport do not);
 * vfio-pci binds endpoints only; vfio_iommu_type1 refuses a group without
 * interrupt remapping unless allow_unsafe_interrupts; Intel VT-d refuses to
 * attach a device with a non-relaxable RMRR to a VFIO domain
 * (intel_iommu_attach_device, device_is_rmrr_locked; a device below a bridge
 * an RMRR names too since 5.3).
 *
 * vfio-pci binds endpoints only: vfio_pci_core_register_device (6.1;
 * vfio_pci_probe in kernels before vfio-pci-core) refuses every header type
 * but 0, so PCI-to-PCI bridges, root and switch ports and CardBus bridges are
 * never assignable. A host bridge (class 0600) and an ISA/LPC bridge (class
 * 0601) have header type 0 and vfio-pci would bind them, but they are the
 * host's own: the kernel keeps a host bridge's decoding always on
 * (quirk_mmio_always_on) and never moves its resources, and vfio-pci's IGD
 * support gives a guest read-only copies of the host bridge's and the LPC
 * bridge's configuration (vfio_pci_igd_cfg_init), since a guest gets both
 * from its VMM. Such a function is not assignable; its group's rules (who
 * must go with whom) stay the kernel's.
 */
#ifndef II_CHECK_H
#define II_CHECK_H

#include "grouping.h"
#include "pciquirks.h"
#include "status.h"

enum ii_assign_verdict {
	II_VERDICT_NOW,         /* assignable now: bound to vfio-pci, its group viable */
	II_VERDICT_AFTER_STEPS, /* assignable after the steps printed */
	II_VERDICT_NOT,         /* not assignable (or not to be: it holds what the host needs) */
	II_VERDICT_UNKNOWN,     /* what decides it could not be read */
};
const char *ii_verdict_key(enum ii_assign_verdict v);
/* For people: "assignable now". */
const char *ii_verdict_text(enum ii_assign_verdict v);

enum ii_sev { II_SEV_INFO, II_SEV_WARNING, II_SEV_ERROR, II_SEV_CRITICAL };
const char *ii_sev_key(enum ii_sev s);

enum ii_chk_code {
	/* the IOMMU and VFIO */
	II_CHK_NO_IOMMU,           /* no IOMMU group: the IOMMU is off or absent */
	II_CHK_GROUPS_UNREADABLE,  /* sys/kernel/iommu_groups cannot be read */
	II_CHK_PASSTHROUGH,        /* the host's default domain is identity (iommu=pt) */
	II_CHK_INTREMAP_OFF,       /* interrupt remapping off: vfio_iommu_type1 refuses */
	II_CHK_UNSAFE_INTERRUPTS,  /* allow_unsafe_interrupts is on: a guest can forge MSIs */
	II_CHK_INTREMAP_UNKNOWN,   /* whether interrupts are remapped is unknown */
	II_CHK_MSI_NOT_ISOLATED,   /* Arm: no MSI isolation (no GIC ITS): vfio_iommu_type1 refuses */
	II_CHK_VFIO_PCI_MISSING,   /* the vfio-pci driver is not loaded */
	II_CHK_VFIO_UNKNOWN,       /* the tree does not record /dev/vfio or the drivers */
	II_CHK_IOMMUFD,            /* /dev/iommu: iommufd is there */
	/* the device */
	II_CHK_NO_GROUP,           /* the device is in no IOMMU group */
	II_CHK_IS_BRIDGE,          /* a bridge: vfio-pci binds endpoints only */
	II_CHK_HOST_BRIDGE,        /* a host bridge (class 0600): the host's root complex */
	II_CHK_ISA_BRIDGE,         /* an ISA/LPC bridge (class 0601): the host's legacy devices */
	II_CHK_VFIO_DENYLIST,      /* in vfio-pci's denylist: its probe refuses the function */
	II_CHK_DENYLIST_OFF,       /* ... and disable_denylist is set: bound despite its errata */
	II_CHK_PF_VFS,             /* an SR-IOV PF with VFs: vfio-pci refuses it until they go */
	II_CHK_VF_PF_IN_GROUP,     /* a VF in its PF's group, the PF held by the host: no way */
	II_CHK_BIND_VFIO,          /* it must be bound to vfio-pci (steps) */
	II_CHK_BOUND_VFIO,         /* it is bound to vfio-pci */
	II_CHK_OVERRIDE_OTHER,     /* driver_override names another driver */
	II_CHK_DRIVER_UNKNOWN,     /* its driver could not be read */
	II_CHK_CONFIG_SHORT,       /* config space read short (not root): capabilities unknown */
	II_CHK_CONFIG_UNREADABLE,  /* config space could not be read */
	II_CHK_CONFIG_BROKEN,      /* the capability lists loop or point outside */
	/* its group */
	II_CHK_COMPANION_BOUND,    /* another device of the group has a host driver */
	II_CHK_COMPANION_UNKNOWN,  /* another device's driver could not be read */
	II_CHK_MEMBERS_UNKNOWN,    /* the group's members could not be read */
	II_CHK_NODE_ABSENT,        /* /dev/vfio/N is not there (yet) */
	II_CHK_NODE_ROOT_ONLY,     /* /dev/vfio/N: only its owner can open it */
	II_CHK_NODE_UNKNOWN,       /* the tree does not record /dev/vfio/N */
	II_CHK_PREDICTION_DIFFERS, /* config space predicts other members than the kernel's */
	II_CHK_PREDICTION_UNKNOWN, /* config space could not tell the members */
	/* why the group is what it is */
	II_CHK_WHY_OWN,            /* a group of its own */
	II_CHK_WHY_PORT_NO_ACS,    /* a port above it has no ACS capability */
	II_CHK_WHY_PORT_ACS_OFF,   /* a port above it has ACS with required flags off */
	II_CHK_WHY_QUIRK_DENIES,   /* a kernel quirk says a port above it does not isolate */
	II_CHK_WHY_PATH_UNKNOWN,   /* a port above it could not be read far enough */
	II_CHK_WHY_FUNCTIONS,      /* functions of one slot without ACS */
	II_CHK_WHY_BRIDGE_ALIAS,   /* behind a PCIe-to-PCI or PCI bridge */
	II_CHK_WHY_DMA_ALIAS,      /* a DMA alias quirk */
	II_CHK_ACS_QUIRK,          /* a kernel quirk counts a device as isolating */
	II_CHK_ALIAS_GHOST,        /* a DMA alias names a function that is not there */
	II_CHK_ALIAS_UNKNOWN,      /* a DMA alias quirk whose aliases are in registers */
	II_CHK_ALIAS_STREAM_SHARED, /* Arm: a device in no group sends with the group's alias stream ID */
	/* RMRR */
	II_CHK_RMRR_LOCKED,        /* a non-relaxable RMRR: the kernel refuses the attach */
	II_CHK_RMRR_RELAXABLE,     /* a relaxable RMRR (USB, graphics) */
	II_CHK_DIRECT_REGION,      /* a direct reserved region (AMD IVMD, ...) */
	II_CHK_RMRR_UNKNOWN,       /* the DMAR could not be read and no region tells */
	/* reset */
	II_CHK_RESET_NONE,         /* no reset method */
	II_CHK_RESET_BUS_ONLY,     /* only a bus reset, which resets other devices too */
	II_CHK_RESET_QUIRK,        /* a kernel quirk: a reset of it does not work */
	II_CHK_RESET_UNKNOWN,      /* its reset methods could not be read */
	/* the host's own */
	II_CHK_HOST_ROOT_DISK,     /* the group holds the root filesystem's disk */
	II_CHK_HOST_ROUTE_NIC,     /* the group holds the default route's interface */
	II_CHK_HOST_BOOT_VGA,      /* the group holds the boot display */
	II_CHK_HOST_KEYBOARD,      /* the group holds a keyboard's controller */
	II_CHK_HOST_UNKNOWN,       /* what the host needs could not all be found */
	II_CHK_NCODES
};

struct ii_chk_code_info {
	const char *key;           /* "companion-bound" */
	enum ii_sev sev;
	const char *summary;       /* one sentence */
	const char *fix;           /* what changes it, or NULL */
};
const struct ii_chk_code_info *ii_chk_code_info(enum ii_chk_code c);

struct ii_chk_finding {
	enum ii_chk_code code;
	char *evidence;            /* the facts it rests on */
	const struct ii_device *dev; /* the device it is about, or NULL */
};
struct ii_chk_findings {
	struct ii_chk_finding *v;
	size_t n, cap;
};

/* What a companion (another device of the group) needs. */
enum ii_comp_action {
	II_COMP_FREE,              /* no driver */
	II_COMP_VFIO,              /* bound to a VFIO driver */
	II_COMP_STUB,              /* bound to pci-stub */
	II_COMP_BRIDGE,            /* a bridge the kernel excepts (no driver or pcieport) */
	II_COMP_BIND_VFIO,         /* bound to a host driver: bind it to vfio-pci */
	II_COMP_UNBIND,            /* a bridge (PCI, host, ISA) with a host driver: unbind it */
	II_COMP_UNKNOWN,           /* its driver could not be read */
};
const char *ii_comp_action_key(enum ii_comp_action a);
struct ii_chk_companion {
	const struct ii_device *dev;
	enum ii_comp_action action;
	bool vfs_off;              /* an SR-IOV PF: the steps disable its VFs before binding it */
};

/* The steps, printed, never run. */
enum ii_step_kind {
	II_STEP_MODPROBE,          /* modprobe vfio-pci */
	II_STEP_OVERRIDE,          /* driver_override */
	II_STEP_UNBIND,
	II_STEP_BIND,
	II_STEP_ALLOW_UNSAFE,      /* allow_unsafe_interrupts (its risk is a finding) */
	II_STEP_DISABLE_VFS,       /* sriov_numvfs 0: vfio-pci refuses a PF with VFs */
};
const char *ii_step_key(enum ii_step_kind k);
struct ii_chk_step {
	enum ii_step_kind kind;
	const struct ii_device *dev; /* NULL for the module steps */
	char *command;             /* a shell command as root */
};

/* Whether a secondary bus reset can reset the device alone (pci_parent_bus_reset). */
enum ii_bus_reset {
	II_BUS_RESET_ALONE,        /* alone below its bridge: a bus reset resets it only */
	II_BUS_RESET_SIBLINGS,     /* other devices share its bus: they are reset too */
	II_BUS_RESET_ROOT_BUS,     /* on a root bus: there is no bridge to reset it */
	II_BUS_RESET_QUIRK,        /* it or its bridge does not survive one (quirk_no_bus_reset) */
	II_BUS_RESET_BRIDGE,       /* a bridge: its own bus reset is not its reset */
	II_BUS_RESET_UNKNOWN,      /* its place was not read: a device the kernel gave no group,
				      whose grouping is not predicted */
};
const char *ii_bus_reset_key(enum ii_bus_reset b);

struct ii_chk_reset {
	bool methods_known;        /* reset_method read (absent on 5.15+: none) */
	const struct strlist *methods;
	int flr, af_flr, pm;       /* from config space: 1, 0, -1 unknown */
	enum ii_bus_reset bus;
	const struct ii_device **siblings; /* II_BUS_RESET_SIBLINGS: the others on its bus */
	size_t nsiblings;
	const struct ii_reset_quirk *quirks[4]; /* its own, then its bridge's no-bus-reset */
	size_t nquirks;
};

/* Why a device is in its group, from the grouping model. */
struct ii_chk_why {
	const struct ii_device *dev;
	enum ii_chk_code code;     /* II_CHK_WHY_* */
	const struct ii_device *via; /* the bridge, sibling or alias behind it, or NULL */
	enum ii_acs_verdict acs;   /* of the device behind it (or its own, for functions) */
	struct strlist missing;    /* the required ACS flags that are off, by name */
	const char *quirk;         /* a quirk function, or NULL */
	char *evidence;            /* the facts, in one line */
};

struct ii_chk_group {
	const struct ii_group *group;
	const struct ii_devnode *node; /* dev/vfio/N, or NULL (not loaded) */
	bool predicted_known;
	const struct ii_device **predicted; /* the members the grouping model predicts */
	size_t npredicted;
	struct ii_chk_why *why;
	size_t nwhy;
	struct ii_chk_findings findings;
	bool blocked;              /* a finding keeps every device of it from a VM */
	bool host_critical;
};

struct ii_chk_device {
	const struct ii_device *dev;
	struct ii_chk_group *group; /* NULL: in no group */
	enum ii_assign_verdict verdict;
	enum ii_chk_code *because; /* the codes that decide the verdict (any level) */
	size_t nbecause;
	struct ii_chk_companion *comps;
	size_t ncomps;
	struct ii_chk_step *steps;
	size_t nsteps;
	struct ii_chk_reset reset;
	struct ii_chk_findings findings;
};

struct ii_check {
	struct ii_status status;
	struct ii_grouping grouping;
	unsigned kver;
	/* the facts that decide every device */
	const char *active;        /* status: "yes", "no", NULL */
	const char *default_domain;
	int default_from_cmdline;
	const char *intremap;      /* "enabled", "disabled", "not-applicable" (Arm), NULL */
	const char *msi_isolation; /* Arm: "its", "none", NULL (not Arm, or unknown) */
	int unsafe_intr;           /* 1, 0, -1 unknown */
	int no_denylist;           /* vfio_pci disable_denylist: 1, 0, -1 unknown */
	int vfio_pci;              /* 1 loaded, 0 not, -1 unknown */
	const struct ii_devnode *container, *iommufd;
	struct ii_chk_findings findings; /* about the system */
	struct ii_chk_group *groups;
	size_t ngroups;
	struct ii_chk_device *devs;
	size_t ndevs;
	size_t count[4];           /* devices per verdict */
};

/*
 * Decide for the devices asked for (devs, in that order), and for every endpoint of the
 * groups asked for; with neither, every endpoint of every group that has one (a device
 * in no group is decided when it is asked for by its address). s must be loaded with II_LOAD_GROUPS, _DEVICES, _DETAILS,
 * _SYSINFO, _ACPI, _HOST (and _LOG for status's facts).
 */
void ii_check_derive(struct ii_system *s, struct ii_group *const *groups, size_t ngroups,
		     struct ii_device *const *devs, size_t ndevs, struct ii_check *c);
void ii_check_free(struct ii_check *c);

/*
 * Why d is not a function to give a guest whatever its group: II_CHK_IS_BRIDGE
 * (vfio-pci refuses it), II_CHK_HOST_BRIDGE or II_CHK_ISA_BRIDGE (vfio-pci
 * would bind it, but it is the host's infrastructure); II_CHK_NCODES when it is
 * none of these (or its class is not known).
 */
enum ii_chk_code ii_check_infrastructure(const struct ii_device *d);

#endif
