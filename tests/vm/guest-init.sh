#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the QEMU guest of the integration tests (tests/vm/run.sh puts it in the
# initramfs). It runs busybox only, plus iommu-inspect, GNU tar and the static
# helper vmhelper (tests/vm/vmhelper.c).
#
# Kernel parameters that steer it (set by run.sh for each scenario):
#   vm_scenario=NAME   only for the log
#   vm_dma=faults      provoke DMA remapping faults with the edu devices; the
#                      last batch while `top --json` and `snapshot --activity 3`
#                      run
#   vm_dma=few         the same, one batch of three
#   vm_dma=reads       DMA reads from low addresses (pass-through: must not fault)
#   vm_dma=none
#   vm_vfio=BDF|-      bind this device to vfio-pci
#
# Everything it learns goes to /tmp/out: the kernel's own facts (facts/), the
# live outputs of every command the binary offers (live/, and live2/ for a
# second pass after the snapshot), the same as an unprivileged user (user/),
# the `faults --follow --json` stream, the snapshot, and the live view
# (top/: `top --json` while the guest does DMA, with the faults and interrupts
# of the same interval, and, intel, the `snapshot --activity 3` taken then). /tmp/out then leaves
# as a base64 tar.gz on the second serial port, and the guest powers off.
export PATH=/usr/bin:/bin:/sbin
# arm64: the initramfs has busybox alone, which makes its applet links here
[ -e /bin/mount ] || /bin/busybox --install -s /bin
export TMPDIR=/tmp
umask 022

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
# tracefs, read-only, where the tool looks for the ids of the iommu:map/unmap
# tracepoints: mounting it is the harness's doing (a distribution mounts it at
# boot); the tool itself never mounts or writes anything
mkdir -p /sys/kernel/tracing
mount -t tracefs -o ro tracefs /sys/kernel/tracing 2> /dev/null

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
# arm64: the kernel hands a device to its SMMU when a driver binds (ACPI IORT and device
# tree alike), and the SMMU silently aborts the DMA of a stream it was not given: an edu
# device in no group gets vfio-pci, which does nothing with it, so that its DMA is translated
# and faults (on x86 every device has its group from boot, and nothing happens here)
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor):$(cat $d/device)" = 0x1234:0x11e8 ] || continue
	[ -e $d/iommu_group ] || [ -e $d/driver ] && continue
	echo vfio-pci > $d/driver_override
	echo ${d##*/} > /sys/bus/pci/drivers_probe
	echo "${d##*/}: in no group, bound to vfio-pci" >> $F/edu-bind
done
# let the drivers finish probing (links coming up, disks appearing)
log "modules loaded; quiet after $(vmhelper quiet 2 30) s"

# arm64: a NIC in no group (the e1000 behind the PCIe-to-PCI bridge, whose alias stream ID
# the virtio-rng beside it holds: "stream N already in tree") sends with that alias into the
# other's domain, and faults: up for 3 s, so that the log has such faults, then down, so
# that the log is quiet again (its driver would report a transmit hang every 2 s)
for n in /sys/class/net/*; do
	[ -e $n/device ] && [ ! -e $n/device/iommu_group ] || continue
	ip link set dev ${n##*/} up 2> /dev/null
	sleep 3
	ip link set dev ${n##*/} down 2> /dev/null
	echo "${n##*/}: in no group, up for 3 s" >> $F/nogroup-nic
	log "${n##*/} (in no group) was up for 3 s; quiet after $(vmhelper quiet 2 30) s"
done

II="iommu-inspect --pci-ids /pci.ids"
$II __complete > $O/complete 2>&1
# every command that reads the system once; top, which goes on sampling, has a block of its own
CMDS=$(sed -n 's/^commands: //p' $O/complete | tr ' ' '\n' | grep -v -x -e snapshot -e help -e top | tr '\n' ' ')
HAS_TOP=$(sed -n 's/^commands: //p' $O/complete | tr ' ' '\n' | grep -c -x top)
has_cmd() { case " $CMDS " in *" $1 "*) return 0 ;; esac; return 1; }
has_opt() { grep -q "^$1:.* $2\( \|=\|\$\)" $O/complete; }
echo "$CMDS" > $O/commands

# ------------------------------------------------------------------ DMA
dma() { vmhelper edu "$@" >> $F/dma 2>&1 || echo "vmhelper edu $* failed" >> $F/dma; sleep 0.2; }
# (Intel: one record a fault; SMMUv3: an "event 0xNN received:" record, then its four
# words; virtio-iommu: "... fault from EP N ...")
nfaults() { vmhelper kmsg "$1" | grep -c -e 'DMAR: \[DMA' -e ': event 0x[0-9a-f]* received:$' \
	-e ' fault from EP '; }

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
		# (all of the log's: the follower shows those from before it started too)
		nk=$(nfaults 0)
		nf=0
		[ -n "$FPID" ] && nf=$(grep -c '"address"' $O/follow.ndjson)
		[ -z "$FPID" ] || [ "$nf" -ge "$nk" ] || [ $t -ge 100 ] && break
		sleep 0.1
		t=$((t + 1))
	done
	echo "batch $1 kernel $nk follow $nf waited_ds $t" >> $F/follow-progress
}

# ------------------------------------------------------- the live view
# DMA that maps and unmaps: disks read with O_DIRECT (virtio-blk and nvme
# are behind the IOMMU), and the NICs brought up (their receive rings are
# mapped; no network backend, nothing leaves the guest). Until $1 exists.
traffic() {
	# (not a NIC in no group: see the arm64 block above)
	for n in /sys/class/net/*; do
		[ ! -e $n/device ] || [ -e $n/device/iommu_group ] || continue
		ip link set dev "${n##*/}" up 2> /dev/null
	done
	while [ ! -e "$1" ]; do
		for b in vda nvme0n1; do
			[ -b /dev/$b ] && dd if=/dev/$b of=/dev/null bs=64k count=32 iflag=direct 2> /dev/null
		done
		sleep 0.2
	done
}
T=$O/top
mkdir -p $T
# top_start N DELAY: `top --json -n N -d DELAY` in the background, with the fault
# interrupts before and after and the last log record when it ended; traffic meanwhile.
TOP_PID= TRAFFIC_PID=
top_start() {
	[ "$HAS_TOP" = 1 ] || return 0
	echo "$1 $2" > $T/args
	(
		cat /proc/interrupts > $T/irq-before
		$II top --json -n "$1" -d "$2" > $T/top.ndjson 2> $T/top.err
		echo $? > $T/top.rc
		cat /proc/interrupts > $T/irq-after
		vmhelper lastseq > $T/end-seq
	) &
	TOP_PID=$!
	rm -f $T/stop-traffic
	traffic $T/stop-traffic &
	TRAFFIC_PID=$!
}
top_wait() {
	[ -n "$TOP_PID" ] || return 0
	wait $TOP_PID
	touch $T/stop-traffic
	wait $TRAFFIC_PID
	# what `faults` finds, for the same interval (check.py keeps the faults up to end-seq)
	$II faults --json > $T/faults.json 2> $T/faults.err
	# as an unprivileged user: interrupts, and what root would add
	timeout 60 vmhelper asuser 65534 65534 $II top --batch -n 2 -d 0.5 > $T/user.txt 2> $T/user.err
	echo $? > $T/user.rc
	TOP_PID=
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
	if [ $vm_dma = few ]; then
		top_start 3 1
		top_wait
	fi
	if [ $vm_dma = faults ]; then
		sleep 5.5
		log "DMA faults: batch 2"
		dma 0000:07:00.0 read 0x3000 16
		dma 0000:07:00.0 write 0x5000 16
		dma 0000:07:00.0 read 0xffff000 8
		dma 0000:07:00.0 write 0x10000 8
		dma 0000:07:00.0 write 0x20000 8
		caught_up 2
		# the live view and a recording of activity, while the disks and NICs do
		# DMA; the last batch once the ratelimit's 5 s have passed and the
		# recording has begun (the snapshot holds perf counters open then): the
		# snapshot starts 4 s after batch 2, so that its 3 s of recording hold
		# the batch with 1.5 s to spare on either side (started 2.5 s after, its
		# recording could end before the batch's fault was logged)
		B2=$(cut -d' ' -f1 /proc/uptime)
		log "top"
		top_start 5 2
		sleep 4
		SNAP_PID=
		if has_opt snapshot --activity; then
			log "snapshot --activity 3"
			$II snapshot --activity 3 $O/activity.tar.gz > $O/activity.out 2> $O/activity.err &
			SNAP_PID=$!
		fi
		t=0
		while [ $t -lt 150 ]; do
			ready=1
			# recording: the snapshot holds its perf counters open
			[ -n "$SNAP_PID" ] && ! ls -l /proc/$SNAP_PID/fd/ 2> /dev/null | grep -q perf_event &&
				kill -0 $SNAP_PID 2> /dev/null && ready=0
			awk -v a="$B2" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { exit !(b - a >= 5.5) }' || ready=0
			[ $ready = 1 ] && break
			sleep 0.1
			t=$((t + 1))
		done
		echo "batch 3 after $t tenths of waiting" >> $F/dma
		log "DMA faults: batch 3"
		dma 0000:00:05.0 write 0x7654321 4
		caught_up 3
		if [ -n "$SNAP_PID" ]; then
			wait $SNAP_PID
			echo $? > $O/activity.rc
		fi
		top_wait
	fi
	;;
reads)
	log "DMA reads"
	top_start 5 0.5
	dma 0000:00:05.0 read 0x1000 8
	dma 0000:00:05.0 read 0x2345000 64
	dma 0000:07:00.0 read 0x3000 16
	caught_up 1
	top_wait
	;;
none)
	top_start 5 0.5
	top_wait
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
	# the virtio devices (virtio-iommu is device 23) and their drivers: a virtio-iommu
	# without one registers no unit
	for v in /sys/bus/virtio/devices/*; do
		[ -e "$v" ] || continue
		echo "${v##*/} device=$(cat $v/device) driver=$(lnk $v/driver) parent=$(basename "$(readlink -f $v/..)")"
	done > $F/virtio
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
		# metrics: Prometheus text only (no --json), without the scrape's own duration, which
		# no two runs share
		args=$c
		[ $c = metrics ] && args="metrics --no-timing"
		timeout 60 $II $args > $dir/$c.txt 2> $dir/$c.err
		echo $? > $dir/$c.rc
		[ $c = metrics ] && continue
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
# what a journal of this boot would hold besides the records (tests/vm/check-boots.py):
# the boot id, and the boot's wall-clock start (realtime = btime + a record's time)
cat /proc/sys/kernel/random/boot_id > $F/boot_id
sed -n 's/^btime //p' /proc/stat > $F/btime

# ------------------------------------------------- check against a real VFIO open
# Last, since it rebinds drivers: the group behind the PCIe-to-PCI bridge (an
# e1000 and a virtio-rng). `check` on the e1000, and what a VMM does with the
# group's node (vmhelper vfio), before any step, after the e1000 alone is bound
# to vfio-pci, and after its companion is too: the two must agree each time.
if has_cmd check; then
	mkdir -p $O/vfio
	find_dev() { for d in /sys/bus/pci/devices/*; do [ "$(cat $d/device)" = "$1" ] && echo ${d##*/}; done | head -1; }
	NIC=$(find_dev 0x100e) RNG=$(find_dev 0x1005)
	to_vfio() {
		echo vfio-pci > /sys/bus/pci/devices/$1/driver_override
		[ -e /sys/bus/pci/devices/$1/driver ] && echo $1 > /sys/bus/pci/devices/$1/driver/unbind
		echo $1 > /sys/bus/pci/drivers/vfio-pci/bind
	}
	vfio_step() {
		timeout 60 $II check $NIC --json > $O/vfio/$1.json 2> $O/vfio/$1.err
		echo $? > $O/vfio/$1.rc
		g=$(basename "$(readlink /sys/bus/pci/devices/$NIC/iommu_group)")
		vmhelper vfio /dev/vfio/$g > $O/vfio/$1.open 2>&1
		echo $? > $O/vfio/$1.open.rc
	}
	if [ -n "$NIC" ] && [ -n "$RNG" ]; then
		echo "$NIC $RNG" > $O/vfio/devices
		vfio_step 0-before
		to_vfio $NIC 2>> $O/vfio/bind.err
		vfio_step 1-device
		to_vfio $RNG 2>> $O/vfio/bind.err
		vfio_step 2-companion
		log "check and VFIO: $(cat $O/vfio/*.open | tr '\n' ';')"
	fi
fi
cut -d' ' -f1 /proc/uptime > $F/done-uptime
log "done; sending the results"

# ------------------------------------------------------------------ results
cd /tmp && tar -czf /tmp/out.tgz out
# the second serial port; arm64's virt machine has one, the console, on which the kernel
# then prints nothing more
OUT_TTY=/dev/ttyS1
case " $(cat /proc/cmdline) " in
*" console=ttyAMA0 "*) OUT_TTY=/dev/ttyAMA0; dmesg -n 1 ;;
esac
stty -F $OUT_TTY raw -echo 2> /dev/null
{
	echo "==VM-OUT-BEGIN=="
	base64 /tmp/out.tgz
	echo "==VM-OUT-END=="
} > $OUT_TTY
sync
log "sent $(wc -c < /tmp/out.tgz) bytes; powering off"
poweroff -f
