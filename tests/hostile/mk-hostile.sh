#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile and broken recorded trees, made from a fixture for tests/hostile/t-hostile.sh
# (nothing binary is committed: every tree is made here, each time).
#
#   mk-hostile.sh CASE FIXTURE DEST [ARG]
#
# DEST is a fresh copy of FIXTURE (a directory with sys/, proc/, dev/), changed so:
#   links-out VICTIM  dev is a link to the absolute directory VICTIM (the tree holds a
#                     kmsg at that path inside it, so the link is followed), and
#                     sys/kernel/debug is a relative link that climbs out of the tree
#                     ("../../../victim2": DEST/../victim2 on the host, DEST/victim2
#                     inside the tree, which holds a debugfs file); the snapshot
#                     description at the top is a link to VICTIM/info
#   fifos             FIFOs in place of a group's type, dev/kmsg, proc/cmdline, proc/interrupts,
#                     proc/version and the DMAR table
#   devices           (root only) character devices: dev/kmsg (1,11) the host's kernel
#                     log, a PCI function's config (1,5) /dev/zero, a group's type
#                     (1,3) /dev/null
#   escapes           terminal escapes (ESC, BEL, OSC, CSI, a C1 control in UTF-8 and a
#                     lone 0x9b) in a driver link's name, a group's type and a network
#                     interface's name
#   nuls              NUL bytes inside a group's type, a reserved_regions and proc/cmdline
#   big-config        a PCI function's config is a sparse file of 200 MiB
set -eu
CASE=$1 FIXTURE=$2 DEST=$3 ARG=${4:-}

rm -rf "$DEST"
cp -a "$FIXTURE" "$DEST"
cd "$DEST"
GROUPS_DIR=sys/kernel/iommu_groups
# a PCI function with a driver, in every fixture made from a q35 machine
FN=$(cd sys/bus/pci/devices && for d in *; do [ -L "$d/driver" ] && [ -f "$d/config" ] && { echo "$d"; break; }; done)
FN_DIR=sys/bus/pci/devices/$FN

case $CASE in
links-out)
	[ -n "$ARG" ] || { echo "links-out needs VICTIM" >&2; exit 2; }
	# the kernel log where the link leads, inside the tree (unless that is below dev/ itself)
	case $ARG in
	/dev/*) rm -rf dev ;;
	*) mkdir -p ".$ARG"; mv dev/kmsg ".$ARG/kmsg"; rm -rf dev ;;
	esac
	ln -s "$ARG" dev
	rm -rf sys/kernel/debug
	ln -s ../../../victim2 sys/kernel/debug
	mkdir -p victim2/iommu/intel
	echo "in the tree" > victim2/iommu/intel/iommu_regset
	ln -s "$ARG/info" iommu-inspect-snapshot.txt
	;;
fifos)
	g=$(ls "$GROUPS_DIR" | sort -n | sed -n 2p)
	for f in "$GROUPS_DIR/$g/type" dev/kmsg proc/cmdline proc/interrupts proc/version \
		sys/firmware/acpi/tables/DMAR; do
		mkdir -p "$(dirname "$f")"
		rm -f "$f"
		mkfifo "$f"
	done
	;;
devices)
	g=$(ls "$GROUPS_DIR" | sort -n | sed -n 2p)
	rm -f dev/kmsg "$FN_DIR/config" "$GROUPS_DIR/$g/type"
	mknod dev/kmsg c 1 11
	mknod "$FN_DIR/config" c 1 5
	mknod "$GROUPS_DIR/$g/type" c 1 3
	;;
escapes)
	g=$(ls "$GROUPS_DIR" | sort -n | sed -n 2p)
	drv=$(readlink "$FN_DIR/driver")
	ln -sfn "${drv%/*}/"$'e1000e\e]0;PWNED\a' "$FN_DIR/driver"
	printf 'DMA\e[2J\xc2\x9b31m\x9b32m\r\n' > "$GROUPS_DIR/$g/type"
	net="$FN_DIR/net/"$'eth\e[31m0\a'
	mkdir -p "$net"
	ln -s ../../../../../../class/net "$net/subsystem"
	;;
nuls)
	g=$(ls "$GROUPS_DIR" | sort -n | sed -n 2p)
	h=$(ls "$GROUPS_DIR" | sort -n | sed -n 3p)
	printf 'DMA\0\0garbage\n' > "$GROUPS_DIR/$g/type"
	printf '0x00000000fee00000 0x00000000feefffff msi\n\0this is not a region\n' \
		> "$GROUPS_DIR/$h/reserved_regions"
	printf 'BOOT_IMAGE=/vmlinuz intel_iommu=on\0iommu=pt\n' > proc/cmdline
	;;
big-config)
	truncate -s 200M "$FN_DIR/config"
	;;
*)
	echo "mk-hostile.sh: unknown case $CASE" >&2
	exit 2
	;;
esac
