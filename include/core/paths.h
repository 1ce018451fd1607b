/* SPDX-License-Identifier: MIT */
/*
 * Every file and directory of the inspected system that iommu-inspect reads,
 * named once, relative to the root (include/core/root.h): "sys/...", never
 * "/sys/...". No other file spells a root-relative path; tests/rules/t-rules.sh
 * fails on any such literal outside this header.
 */
#ifndef II_PATHS_H
#define II_PATHS_H

/* sysfs (kernel-interfaces §1) */
#define II_PATH_IOMMU_GROUPS   "sys/kernel/iommu_groups"
#define II_PATH_IOMMU_UNITS    "sys/class/iommu"
#define II_PATH_PCI_DEVICES    "sys/bus/pci/devices"
#define II_PATH_ACPI_TABLES    "sys/firmware/acpi/tables"
#define II_PATH_DEVICETREE     "sys/firmware/devicetree/base"
#define II_PATH_LOCKDOWN       "sys/kernel/security/lockdown"

/* debugfs (§2, §3) */
#define II_PATH_DEBUGFS        "sys/kernel/debug"
#define II_PATH_DEBUGFS_IOMMU  "sys/kernel/debug/iommu"

/* the kernel log and /proc (§5, §9) */
#define II_PATH_KMSG           "dev/kmsg"
#define II_PATH_CMDLINE        "proc/cmdline"
#define II_PATH_INTERRUPTS     "proc/interrupts"
#define II_PATH_STAT           "proc/stat"
#define II_PATH_VERSION        "proc/version"

/* the systemd journal (include/source/journal.h): the system journal's files, persistent and
 * volatile, in a directory named by the machine id; the running boot's id */
#define II_PATH_JOURNAL_PERSISTENT "var/log/journal"
#define II_PATH_JOURNAL_VOLATILE   "run/log/journal"
#define II_PATH_MACHINE_ID         "etc/machine-id"
#define II_PATH_BOOT_ID            "proc/sys/kernel/random/boot_id"
/* the kernel's journal entries `snapshot --journal-boots` exported (journal export format);
 * not a system file: it exists only in snapshots */
#define II_PATH_JOURNAL_EXPORT     "iommu-inspect-journal.export"

/* the kernel's build configuration, "boot/config-<release>" */
#define II_PATH_BOOT_CONFIG_FMT "boot/config-%s"

/* activity recorded by `snapshot --activity` for `top --root` to replay (include/source/activity.h);
 * not a system file: it exists only in snapshots */
#define II_PATH_ACTIVITY       "iommu-inspect-activity.ndjson"

/* live activity (§6, §7, §12): tracepoint ids, perf PMUs, the perf permission sysctl */
#define II_PATH_TRACEFS        "sys/kernel/tracing"
#define II_PATH_TRACEFS_OLD    "sys/kernel/debug/tracing"
#define II_PATH_PMUS           "sys/bus/event_source/devices"
#define II_PATH_PERF_PARANOID  "proc/sys/kernel/perf_event_paranoid"
#define II_PATH_CPUS_ONLINE    "sys/devices/system/cpu/online"

/* check (§1, §9): what VFIO and iommufd offer, and what the host cannot lose */
#define II_PATH_PCI_DRIVERS    "sys/bus/pci/drivers"
#define II_PATH_VFIO_PCI_DRIVER "sys/bus/pci/drivers/vfio-pci"
#define II_PATH_VFIO_UNSAFE_INTR "sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"
#define II_PATH_VFIO_PCI_NO_DENYLIST "sys/module/vfio_pci/parameters/disable_denylist"
#define II_PATH_VFIO_CONTAINER "dev/vfio/vfio"
#define II_PATH_VFIO_GROUP_FMT "dev/vfio/%u"
#define II_PATH_IOMMUFD        "dev/iommu"
#define II_PATH_MOUNTINFO      "proc/self/mountinfo"
#define II_PATH_NET_ROUTE      "proc/net/route"
#define II_PATH_NET_ROUTE6     "proc/net/ipv6_route"
#define II_PATH_DEV_BLOCK      "sys/dev/block"
#define II_PATH_CLASS_BLOCK    "sys/class/block"
#define II_PATH_CLASS_NET      "sys/class/net"
#define II_PATH_CLASS_INPUT    "sys/class/input"

/* The top directories a recorded tree has (at least one of them). */
#define II_TOP_SYS             "sys"
#define II_TOP_PROC            "proc"
#define II_TOP_DEV             "dev"

#endif
