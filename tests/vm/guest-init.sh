#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the QEMU guest of the integration tests (tests/vm/run.sh puts it in the
# initramfs). It runs busybox only, plus iommu-inspect, GNU tar and the static
# helper vmhelper (tests/vm/vmhelper.c).
#
# Kernel parameters that steer it (set by run.sh for each scenario):
#   vm_scenario=NAME   only for the log
#   vm_dma=faults      provoke DMA remapping faults with the edu devices
#   vm_dma=few         the same, one batch of three
#   vm_dma=reads       DMA reads from low addresses (pass-through: must not fault)
#   vm_dma=none
#   vm_vfio=BDF|-      bind this device to vfio-pci
#
# Everything it learns goes to /tmp/out: the kernel's own facts (facts/), the
# live outputs of every command the binary offers (live/, and live2/ for a
# second pass after the snapshot), the same as an unprivileged user (user/),
# the `faults --follow --json` stream, and the snapshot. /tmp/out then leaves
# as a base64 tar.gz on the second serial port, and the guest powers off.
export PATH=/usr/bin:/bin:/sbin
export TMPDIR=/tmp
umask 022

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp

vm_scenario=? vm_dma=none vm_vfio=-
for w in $(cat /proc/cmdline); do
	case $w in
	vm_scenario=*) vm_scenario=${w#*=} ;;
	vm_dma=*) vm_dma=${w#*=} ;;
	vm_vfio=*) vm_vfio=${w#*=} ;;
	esac
done

log() { echo "vm: $(cut -d' ' -f1 /proc/uptime) $*"; }
log "init started, scenario $vm_scenario"

O=/tmp/out F=/tmp/out/facts
mkdir -p $F $O/live $O/live2 $O/user
cut -d' ' -f1 /proc/uptime > $F/init-uptime

# Drivers: the modules run.sh picked, in dependency order.
while read -r m; do
	insmod /lib/modules/vm/$m 2>> $F/insmod.err || echo "insmod $m failed" >> $F/insmod.err
done < /lib/modules/vm/load.list
if [ "$vm_vfio" != - ] && [ -d /sys/bus/pci/devices/$vm_vfio ]; then
	echo vfio-pci > /sys/bus/pci/devices/$vm_vfio/driver_override
	echo $vm_vfio > /sys/bus/pci/drivers_probe
fi
# let the drivers finish probing (links coming up, disks appearing)
log "modules loaded; quiet after $(vmhelper quiet 2 30) s"

II="iommu-inspect --pci-ids /pci.ids"
$II __complete > $O/complete 2>&1
CMDS=$(sed -n 's/^commands: //p' $O/complete | tr ' ' '\n' | grep -v -x -e snapshot -e help | tr '\n' ' ')
has_cmd() { case " $CMDS " in *" $1 "*) return 0 ;; esac; return 1; }
has_opt() { grep -q "^$1:.* $2\( \|=\|\$\)" $O/complete; }
echo "$CMDS" > $O/commands

# ------------------------------------------------------------------ DMA
dma() { vmhelper edu "$@" >> $F/dma 2>&1 || echo "vmhelper edu $* failed" >> $F/dma; sleep 0.2; }
nfaults() { vmhelper kmsg "$1" | grep -c 'DMAR: \[DMA'; }

FPID=
START=$(vmhelper lastseq)
echo "$START" > $F/dma-start-seq
if [ "$vm_dma" != none ] && has_cmd faults && has_opt faults --follow; then
	$II faults --follow --json > $O/follow.ndjson 2> $O/follow.err &
	FPID=$!
	sleep 2
fi

# After a batch: wait (at most 10 s) until the follower has printed as many
# faults as the kernel logged since the start, and say how long that took.
caught_up() {
	local t=0 nk nf
	sleep 0.5
	while :; do
		nk=$(nfaults $((START + 1)))
		nf=0
		[ -n "$FPID" ] && nf=$(grep -c '"address"' $O/follow.ndjson)
		[ -z "$FPID" ] || [ "$nf" -ge "$nk" ] || [ $t -ge 100 ] && break
		sleep 0.1
		t=$((t + 1))
	done
	echo "batch $1 kernel $nk follow $nf waited_ds $t" >> $F/follow-progress
}

case $vm_dma in
faults|few)
	# The kernel prints about 3 faults per 5 s (one ratelimit for all units):
	# three batches, the second too large so that faults are suppressed.
	log "DMA faults: batch 1"
	dma 0000:00:05.0 read 0x1000 8
	dma 0000:00:05.0 read 0x2345000 64
	dma 0000:00:05.0 write 0x100000 8
	caught_up 1
	if [ $vm_dma = faults ]; then
		sleep 5.5
		log "DMA faults: batch 2"
		dma 0000:07:00.0 read 0x3000 16
		dma 0000:07:00.0 write 0x5000 16
		dma 0000:07:00.0 read 0xffff000 8
		dma 0000:07:00.0 write 0x10000 8
		dma 0000:07:00.0 write 0x20000 8
		caught_up 2
		sleep 5.5
		log "DMA faults: batch 3"
		dma 0000:00:05.0 write 0x7654321 4
		caught_up 3
	fi
	;;
reads)
	log "DMA reads"
	dma 0000:00:05.0 read 0x1000 8
	dma 0000:00:05.0 read 0x2345000 64
	dma 0000:07:00.0 read 0x3000 16
	caught_up 1
	;;
esac
if [ -n "$FPID" ]; then
	kill -TERM $FPID
	t=0
	while kill -0 $FPID 2> /dev/null && [ $t -lt 50 ]; do sleep 0.1; t=$((t + 1)); done
	if kill -0 $FPID 2> /dev/null; then
		kill -KILL $FPID
		echo "still running 5 s after SIGTERM" >> $O/follow.err
	fi
	wait $FPID
	echo $? > $O/follow.rc
fi
log "kernel log quiet after $(vmhelper quiet 2 20) s"

# --------------------------------------------------------- the kernel's facts
lnk() { if [ -L "$1" ]; then basename "$(readlink "$1")"; else echo -; fi; }
{
	cat /proc/cmdline > $F/cmdline
	uname -r > $F/uname
	cat /proc/interrupts > $F/interrupts
	cat /proc/iomem > $F/iomem
	cat /proc/sys/kernel/dmesg_restrict > $F/dmesg_restrict
	ls -l /dev/vfio > $F/vfio 2>&1
	ls -l /sys/firmware/acpi/tables > $F/acpi-tables 2>&1
	ls /sys/kernel/debug > $F/debugfs-ls 2>&1
	if [ -d /sys/kernel/debug/iommu ]; then echo present; else echo absent; fi > $F/debugfs-iommu
	for g in /sys/kernel/iommu_groups/*; do
		[ -d "$g" ] || continue
		id=${g##*/}
		echo "group $id type $(cat $g/type) devices $(ls $g/devices | tr '\n' ' ')"
		sed "s/^/resv $id /" $g/reserved_regions
	done > $F/groups
	for d in /sys/bus/pci/devices/*; do
		echo "${d##*/} vendor=$(cat $d/vendor) device=$(cat $d/device) class=$(cat $d/class)" \
			"driver=$(lnk $d/driver) group=$(lnk $d/iommu_group) iommu=$(lnk $d/iommu)"
	done > $F/devices
	for u in /sys/class/iommu/*; do
		[ -e "$u" ] || continue
		n=${u##*/}
		echo "$n devices $(ls $u/devices | tr '\n' ' ')"
		for a in $u/intel-iommu/* $u/amd-iommu/*; do
			[ -f "$a" ] && echo "$n ${a##*/} $(cat $a)"
		done
	done > $F/iommus
	# the names users know devices by, with the sysfs path of each
	for n in /sys/class/net/* /sys/class/block/* /sys/class/nvme/*; do
		[ -e "$n" ] || continue
		[ -e "$n/partition" ] && continue
		echo "${n##*/} $(readlink -f $n)"
	done > $F/names
} 2> $F/facts.err

# ------------------------------------------------------------ live commands
# (a command that hangs is stopped after 60 s, and its exit status shows it)
run_pass() {
	local dir=$1 c
	for c in $CMDS; do
		timeout 60 $II $c > $dir/$c.txt 2> $dir/$c.err
		echo $? > $dir/$c.rc
		timeout 60 $II $c --json > $dir/$c.json 2> $dir/$c.json.err
		echo $? > $dir/$c.json.rc
	done
}
log "live commands: $CMDS"
run_pass $O/live
timeout 120 $II snapshot $O/snapshot.tar.gz > $O/snapshot.out 2> $O/snapshot.err
echo $? > $O/snapshot.rc
log "snapshot written"
run_pass $O/live2
if has_cmd faults && has_opt faults --check; then
	timeout 60 $II faults --check > $O/live/faults-check.txt 2> $O/live/faults-check.err
	echo $? > $O/live/faults-check.rc
fi
# the same as an unprivileged user: no kernel log (dmesg_restrict), no ACPI tables
for c in status groups; do
	timeout 60 vmhelper asuser 65534 65534 $II $c --json > $O/user/$c.json 2> $O/user/$c.json.err
	echo $? > $O/user/$c.json.rc
done
vmhelper kmsg > $F/kmsg
cut -d' ' -f1 /proc/uptime > $F/done-uptime
log "done; sending the results"

# ------------------------------------------------------------------ results
cd /tmp && tar -czf /tmp/out.tgz out
stty -F /dev/ttyS1 raw -echo 2> /dev/null
{
	echo "==VM-OUT-BEGIN=="
	base64 /tmp/out.tgz
	echo "==VM-OUT-END=="
} > /dev/ttyS1
sync
log "sent $(wc -c < /tmp/out.tgz) bytes; powering off"
poweroff -f
