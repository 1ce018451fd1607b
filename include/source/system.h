/* SPDX-License-Identifier: MIT */
/*
 * What the sources read of a system: its IOMMU units, groups and devices, the
 * ACPI tables, the kernel's version, command line and interrupts. Each struct
 * says which of its fields were actually read (valid bits): an attribute that
 * could not be read is unknown, never zero. The sources (src/source/) fill
 * these; the model (src/model/, include/model/model.h) links them and derives
 * what they mean.
 */
#ifndef II_SYSTEM_H
#define II_SYSTEM_H

#include "acpi.h"
#include "iort.h"
#include "hostparse.h"
#include "ii.h"
#include "output.h"
#include "parse.h"
#include "root.h"

/* ii_device.valid bits */
enum {
	II_DV_IDS = 1 << 0,      /* vendor_id, device_id */
	II_DV_CLASS = 1 << 1,
	II_DV_REVISION = 1 << 2,
	II_DV_SUBSYS = 1 << 3,
	II_DV_CONFIG = 1 << 4,   /* header_type (and is_bridge from it) */
	II_DV_DRIVER = 1 << 5,   /* driver (NULL = none bound) */
	II_DV_NUMA = 1 << 6,
	II_DV_RESET = 1 << 7,    /* reset_methods (empty = file absent: no method) */
	II_DV_NAMES = 1 << 8,
	II_DV_BUSES = 1 << 9,    /* secondary_bus, subordinate_bus (a PCI-to-PCI bridge) */
	II_DV_RMRR = 1 << 10,    /* rmrr (the DMAR was decoded, or there is none) */
	II_DV_BOOT_VGA = 1 << 11, /* boot_vga (II_LOAD_HOST; absent file: false) */
	II_DV_OVERRIDE = 1 << 12, /* driver_override (II_LOAD_HOST; NULL: none set) */
};

/*
 * Why a device is in no IOMMU group, decided by the model (src/model/model-system.c);
 * the text for each is in one table (src/render/render-devices.c).
 */
enum ii_nogroup {
	II_NOGROUP_NONE = 0,          /* it is in a group */
	II_NOGROUP_NO_GROUPS,         /* no IOMMU group exists: the IOMMU is off or absent */
	/* from here to the unknown ones: groups exist, and the kernel gave this device none
	   (model-grouping.c keeps these devices out of the predicted groups by that range) */
	II_NOGROUP_IOMMU_FUNCTION,    /* an IOMMU's own PCI function, which it does not translate */
	II_NOGROUP_NOT_TRANSLATED,    /* no IOMMU translates it (no DMAR/IVRS scope, or excluded) */
	/* Arm: the firmware maps it to a registered SMMU, but the kernel has not given it one */
	II_NOGROUP_ARM_NO_DRIVER,     /* no driver bound: the SMMU takes a device at driver probe */
	II_NOGROUP_ARM_ALIAS_TAKEN,   /* a device beside it behind a PCIe-to-PCI bridge holds the
				       * bridge's alias stream ID, which it needs too */
	/* ACPI VIOT: the firmware maps it to a registered virtio-iommu, but the kernel has not
	 * given it one */
	II_NOGROUP_VIOT_NO_DRIVER,    /* no driver bound: the kernel adds it at driver probe */
	II_NOGROUP_VIOT_ALIAS,        /* bound, behind a PCIe-to-PCI bridge (its DMA carries the
				       * bridge's alias), and not added */
	II_NOGROUP_VIOT_NOT_ADDED,    /* bound, and not added: the virtio-iommu refused it */
	/* unknown, not none: what would tell could not be read (nogroup_err says why) */
	II_NOGROUP_GROUPS_UNREADABLE, /* sys/kernel/iommu_groups */
	II_NOGROUP_GROUP_UNREADABLE,  /* a group directory or its devices/, and its iommu_group link */
	II_NOGROUP_DEVICE_UNREADABLE, /* the device's own directory */
};

struct ii_unit;
struct ii_dbg;
struct ii_dbg_regs;
struct ii_fault_notes;
struct ii_dt;

struct ii_device {
	char name[64];         /* the sysfs name: "0000:00:02.0", or a non-PCI name */
	bool is_pci;           /* name is a PCI address */
	struct ii_bdf bdf;
	bool present;          /* found under sys/bus/pci/devices (false: only a group lists it) */
	unsigned valid;
	uint16_t vendor_id, device_id, subvendor_id, subdevice_id;
	uint32_t class_code;   /* base class, subclass, prog-if */
	uint8_t revision, header_type;
	bool is_bridge;
	char *driver;
	int group;             /* -1: in no group */
	struct ii_unit *unit;
	int numa_node;
	struct strlist reset_methods;
	struct strlist names;  /* network interfaces, block devices, ... */
	char *physfn;          /* a VF's PF */
	char *vendor_name, *device_name, *class_name; /* from the PCI ID database, or NULL */
	uint8_t secondary_bus, subordinate_bus; /* from config space (II_DV_BUSES) */
	bool rmrr;             /* a DMAR RMRR names it, or a bridge above it (II_DV_RMRR) */
	int err;               /* 0, or -errno: its directory could not be read (only the name known) */
	enum ii_nogroup nogroup; /* why it is in no group (the model's) */
	int nogroup_err;       /* -errno behind an unknown membership (II_NOGROUP_*_UNREADABLE) */
	bool boot_vga;         /* the firmware's boot display (II_DV_BOOT_VGA) */
	char *driver_override; /* II_DV_OVERRIDE */
};

struct ii_group {
	unsigned id;
	char *type;            /* as sysfs says, e.g. "DMA-FQ"; NULL if unreadable */
	enum ii_domtype domtype;
	struct ii_resv *resv;
	size_t nresv;
	char *name;            /* the optional name attribute */
	struct strlist members; /* devices/ entries as sysfs lists them */
	struct ii_device **devs; /* the same, linked to the model's devices */
	size_t ndevs;
	int err;               /* 0, or -errno: its directory could not be read (type, members unknown) */
	int members_err;       /* 0, or -errno: devices/ could not be listed (members unknown) */
};

/* ii_unit.valid bits */
enum {
	II_UV_VERSION = 1 << 0,
	II_UV_ADDRESS = 1 << 1,
	II_UV_CAP = 1 << 2,
	II_UV_ECAP = 1 << 3,
	II_UV_DOMAINS = 1 << 4,
	II_UV_AMD_CAP = 1 << 5,
	II_UV_FEATURES = 1 << 6,
};

struct ii_unit {
	char *name;            /* dmar0, ivhd0, smmu3.0x..., ... */
	enum ii_vendor vendor;
	unsigned valid;
	char *version;         /* Intel "1:0" */
	uint64_t address, cap, ecap;
	long long domains_supported, domains_used;
	uint64_t amd_cap;
	struct ii_amd_features features;
	char *pci_function;    /* AMD: the IOMMU's own PCI function */
	char *parent;          /* Arm, virtio: the device its "device" link names
				  ("arm-smmu-v3.0.auto", "virtio0"), or NULL */
	struct strlist devices; /* names of the devices it translates */
};

/* A device an RMRR pins, with what decides whether its group can be assigned (src/model/model-acpi.c). */
struct ii_acpi_pin {
	const struct ii_device *dev;
	const struct ii_group *group; /* NULL: in no group */
	bool relaxable;          /* USB or graphics: the kernel relaxes the RMRR */
	bool bridge;             /* a bridge (class 0x06) */
	const char *region;      /* the type of the group's reserved region equal to the RMRR
				    ("direct", "direct-relaxable"), or NULL: the kernel did not apply it */
	bool ineligible;         /* the kernel refuses to attach it to a VFIO (unmanaged) domain */
};

/* What a DMAR structure or IVRS block covers in the tree (src/model/model-acpi.c). */
struct ii_acpi_cover {
	struct ii_device **devs; /* DRHD, IVHD, IVMD: the devices it covers; RMRR: pins */
	size_t ndevs;
	struct ii_unit *unit;    /* DRHD, RHSA, IVHD: the registered unit it describes */
	const struct ii_device **scope_devs; /* DMAR: per scope, the tree's device its address names */
	struct ii_acpi_pin *pins; /* RMRR: one per device of devs, in the same order */
};

struct ii_acpi_table {
	const char *signature; /* "DMAR", "IVRS", "IORT", "VIOT" */
	bool present;
	int err;               /* 0, or -errno when present but unreadable */
	size_t size;           /* bytes read */
	bool hdr_valid;
	struct ii_acpi_header hdr;
	const char *file;      /* --file: the table was read from this file, not the root */
	struct ii_dmar *dmar;  /* decoded (signature DMAR), or NULL */
	struct ii_ivrs *ivrs;  /* decoded (signature IVRS), or NULL */
	struct ii_iort *iort;  /* decoded (signature IORT), or NULL */
	struct ii_viot *viot;  /* decoded (signature VIOT), or NULL */
	struct ii_acpi_cover *cover; /* per structure or block: see src/model-acpi.c */
};

/* Where the IDs of the Arm and virtio-iommu mappings come from. */
enum ii_idmap_src {
	II_IDMAP_NONE = 0,
	II_IDMAP_IORT,           /* the ACPI IORT */
	II_IDMAP_VIOT,           /* the ACPI VIOT */
	II_IDMAP_DT,             /* the device tree's iommu-map, iommus and msi-map properties */
};

/*
 * A device's IDs on its way to the IOMMU and the interrupt controller: the
 * requester ID, the SMMU stream ID (or virtio-iommu endpoint ID) and the GIC
 * ITS device ID, resolved by the model (src/model/model-iort.c, model-dt.c)
 * from the firmware's mappings. Faults, `iommus`, `status` and `acpi` use it.
 */
struct ii_idmap_entry {
	const struct ii_device *dev; /* the tree's device, or NULL (a platform device not in it) */
	char *fw_name;           /* its firmware node: the ACPI path or device-tree node, or NULL */
	bool is_pci;
	struct ii_bdf bdf;       /* a PCI device */
	uint32_t rid;            /* its requester ID as it enters the mappings (bus << 8 | devfn) */
	bool has_sid;
	uint32_t sid;            /* the stream ID (virtio-iommu: endpoint ID) */
	long iommu_node;         /* the SMMU or virtio-iommu node (IORT/VIOT index), -1 */
	bool has_iommu_base;
	uint64_t iommu_base;     /* its register base, from the firmware */
	char *iommu_fw;          /* device tree: the IOMMU's node path; NULL otherwise */
	const struct ii_unit *unit; /* the registered unit with that base, or NULL */
	bool has_devid;
	uint32_t devid;          /* the ITS device ID of its MSIs */
	long its_node;           /* the ITS group node, -1 */
	long rc_node;            /* the root complex (or named component) it starts from, -1 */
	enum ii_iort_end end;    /* where its IORT walk ended */
	bool workaround;         /* the kernel's off-by-one workaround decided a range */
	bool rmr;                /* an RMR's stream IDs include it */
};

struct ii_idmap {
	enum ii_idmap_src src;
	struct ii_idmap_entry *e;
	size_t n;
};

/* What is known of an Arm SMMU or virtio-iommu unit beyond sysfs (src/model/model-iort.c). */
struct ii_arm_unit {
	bool has_base;
	uint64_t base;           /* SMMU: from its name */
	const struct ii_unit_boot *boot; /* its probe lines in the kernel log, or NULL */
	struct strlist features; /* SMMUv3: the features word decoded ("2-level stream table", ...) */
	long fw_node;            /* its IORT or VIOT node, or device-tree node index; -1 */
	const char *fw_table;    /* "IORT" or "VIOT" when fw_node is a node of that table, or NULL */
	uint32_t fw_offset;      /* that node's offset in its table */
	const char *fw_path;     /* device tree: its node's path */
	uint64_t min_page;       /* virtio-iommu: the smallest page size of its page mask; 0 */
	uint32_t *pmcgs;         /* IORT: offsets of the PMCG nodes that count for it */
	size_t npmcgs;
	const struct ii_idmap_entry **ids; /* the devices whose stream IDs reach it */
	size_t nids;
};

/* A device node of /dev as check sees it (ii_root_node() in include/core/root.h). */
struct ii_devnode {
	int err;               /* 0: there; -ENOENT: absent; -ENODATA: not recorded; other -errno */
	struct ii_node node;
};

/* What the host cannot give away: a PCI device it needs (II_LOAD_HOST). */
enum ii_crit_kind {
	II_CRIT_ROOT_DISK,     /* holds the root filesystem */
	II_CRIT_ROUTE_NIC,     /* carries a default route */
	II_CRIT_KEYBOARD,      /* a keyboard is attached to it (a USB controller) */
};
struct ii_crit {
	enum ii_crit_kind kind;
	char *what;            /* "nvme0n1p2", "enp1s0", "input3 (AT Translated Set 2 keyboard)" */
	char bdf[II_BDF_MAX];  /* the PCI device it hangs off */
};

/* check's facts beyond the model (src/source/source-host.c), II_LOAD_HOST. */
struct ii_host {
	struct ii_devnode container; /* dev/vfio/vfio */
	struct ii_devnode iommufd;   /* dev/iommu */
	struct ii_devnode *group_nodes; /* dev/vfio/N, one per s->groups[] */
	int vfio_pci_err;            /* sys/bus/pci/drivers/vfio-pci: 0 there, -ENOENT absent, -errno */
	int unsafe_intr;             /* vfio_iommu_type1 allow_unsafe_interrupts: 1, 0, -1 unknown */
	int unsafe_intr_err;         /* why unknown: -ENOENT (module not loaded), -errno */
	int no_denylist;             /* vfio_pci disable_denylist: 1, 0, -1 unknown */
	int no_denylist_err;
	struct ii_crit *crit;
	size_t ncrit;
	/* per kind: 0 read (crit holds what was found), else -errno: not known */
	int root_err;                /* proc/self/mountinfo and the block devices below "/" */
	struct ii_mount *root_mount; /* the mount of "/", when read */
	int route_err;               /* proc/net/route and ipv6_route */
	struct strlist route_ifaces; /* the default routes' interfaces */
	int input_err;               /* sys/class/input */
};

/* What to load. */
enum {
	II_LOAD_UNITS = 1 << 0,
	II_LOAD_GROUPS = 1 << 1,
	II_LOAD_DEVICES = 1 << 2,   /* ids, class, driver, header */
	II_LOAD_DETAILS = 1 << 3,   /* numa, reset methods, physfn */
	II_LOAD_NAMES = 1 << 4,     /* interface and block device names */
	II_LOAD_PCI_IDS = 1 << 5,   /* vendor/device/class names from pci.ids */
	II_LOAD_LOG = 1 << 6,       /* kernel log facts */
	II_LOAD_SYSINFO = 1 << 7,   /* kernel version, command line, interrupts */
	II_LOAD_ACPI = 1 << 8,      /* DMAR/IVRS/IORT/VIOT tables (and the device tree's IOMMU
				       properties) */
	II_LOAD_ALL = (1 << 9) - 1,
	/* not a source: with II_LOAD_ACPI, warn when an unreadable DMAR leaves rmrr unknown */
	II_LOAD_RMRR_WARN = 1 << 9,
	/*
	 * debugfs, as root (include/model/domains.h, dbgregs.h), into s->dbg and
	 * s->dbg_regs; what is wrong with a file is a warning, why debugfs cannot be
	 * read at all is s->dbg->fs.why. Each of WALK and RANGES includes the ones above it.
	 */
	II_LOAD_DBG_DOMAINS = 1 << 10, /* domains: context entries (AMD: devtbl), dumps' names */
	II_LOAD_DBG_WALK = 1 << 11,    /* and every page-table dump read once: the statistics */
	II_LOAD_DBG_RANGES = 1 << 12,  /* and every domain's ranges kept, for lookups */
	II_LOAD_DBG_REGS = 1 << 13,    /* the units' registers and tables (iommus --regs) */
	/* not a source: with II_LOAD_DBG_REGS, warn ("--regs: ...") when debugfs cannot be read */
	II_LOAD_DBG_WARN = 1 << 14,
	/* check: /dev/vfio and /dev/iommu, vfio's driver and parameter, each device's boot_vga
	 * and driver_override, and the devices the host needs (s->host) */
	II_LOAD_HOST = 1 << 15,
};

struct ii_load_opts {
	const char *pci_ids;   /* --pci-ids FILE, or NULL for libpci's default */
	bool names_from_sysfs; /* walk sysfs for names even on the live system */
};

struct ii_system {
	struct ii_root *root;
	struct ii_diags diags;
	unsigned loaded;

	bool groups_dir;       /* sys/kernel/iommu_groups exists */
	int groups_err;        /* 0, or -errno when it could not be read */
	bool units_dir;        /* sys/class/iommu exists */
	int units_err;         /* 0, or -errno when it could not be listed */
	size_t units_unread;   /* units left out because their directory could not be read */
	int units_unread_err;  /* the -errno of the first of them */
	bool pci_dir;          /* sys/bus/pci/devices exists */
	int pci_err;           /* 0, or -errno when it could not be listed */
	struct ii_unit *units;
	size_t nunits;
	struct ii_group *groups;
	size_t ngroups;
	struct ii_device **devices; /* sorted: PCI by address, then others by name */
	struct strlist vanished; /* listed under sys/bus/pci/devices, gone when read */
	size_t ndevices;

	char *kernel_release;  /* "6.1.0-56-amd64" */
	char *kernel_version;  /* the whole proc/version line */
	unsigned kver;         /* major*1000+minor */
	char *cmdline;
	bool cmdline_from_log;
	bool irq_read;         /* proc/interrupts was read */
	bool has_btime;        /* proc/stat gave the boot time */
	long long btime;       /* seconds since the epoch at boot (proc/stat btime) */
	struct ii_irq_counts irq;
	struct ii_logfacts log;
	int log_err;           /* 0, or -errno reading the kernel log */
	struct ii_acpi_table dmar, ivrs;
	struct ii_acpi_table iort, viot; /* Arm (IORT) and virtio-iommu (VIOT) tables */
	struct ii_idmap idmap;  /* the Arm and virtio-iommu ID chains (the model's) */
	struct ii_arm_unit *arm_units; /* per unit (as s->units), or NULL: none is Arm or virtio */
	struct ii_dt *dt;       /* the device tree's IOMMU properties, or NULL (include/parse/dt.h) */
	struct ii_dbg *dbg;    /* II_LOAD_DBG_DOMAINS, _WALK, _RANGES: debugfs domains, or NULL */
	struct ii_dbg_regs *dbg_regs; /* II_LOAD_DBG_REGS: debugfs registers and tables, or NULL */
	struct ii_fault_notes *fault_notes; /* what debugfs says of fault addresses (ii_fault_note) */
	struct ii_host *host;  /* II_LOAD_HOST, or NULL */
};

/* Lookups (src/source/source-system.c): a device by its sysfs name or PCI address, a group by
 * number; NULL when there is none. s->devices and s->groups must be sorted. */
struct ii_device *ii_find_device(const struct ii_system *s, const char *name);
/* Its index in s->devices, or -1. */
long ii_device_index(const struct ii_system *s, const char *name);
struct ii_group *ii_find_group(const struct ii_system *s, unsigned id);
/* The order of s->devices: PCI devices by address, then others by name (qsort of pointers). */
int ii_device_cmp(const void *a, const void *b);

#endif
