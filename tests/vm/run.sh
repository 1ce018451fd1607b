#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Integration tests on a real kernel: boot Debian's kernel in QEMU with an
# emulated IOMMU, run the live iommu-inspect inside the guest (no --root), and
# check its output against what the guest kernel itself reports and against a
# replay of the snapshot taken in the guest. See tests/vm/README.md.
#
#   tests/vm/run.sh --bin BIN [--work DIR] [SCENARIO...]
#   tests/vm/run.sh --probe
#
# Prints "PASS name" / "FAIL name: why" / "SKIP name: why" lines and, last,
# "N passed, N failed, N skipped"; exits 0 when nothing failed, 1 when something
# did, and 77 when this machine cannot run the tests (the reason is printed).
# check.py ends with a plan line "PLAN N" (N its PASS/FAIL/SKIP lines); a scenario
# whose check.py exits non-zero, has no plan or disagrees with it fails
# (vm/NAME/check.py), as in tests/run.sh.
# --probe only checks that (fetching the kernel into the cache) and exits 0 or 77.
#
# Environment: IOMMU_INSPECT_VM_CACHE (default ~/.cache/iommu-inspect-vm) holds
# the kernel; IOMMU_INSPECT_VM_ACCEL=auto|tcg|kvm (auto: KVM when a probe boot
# under KVM reaches /init, TCG otherwise); IOMMU_INSPECT_VM_TIMEOUT per boot (s);
# IOMMU_INSPECT_VM_KERNEL the package whose kernel the x86 guests boot (the one it
# depends on; default linux-image-amd64, e.g. linux-image-6.12-amd64).
# The arm64 scenarios (always TCG): IOMMU_INSPECT_VM_ARM64_TIMEOUT per boot (s, 600),
# IOMMU_INSPECT_VM_ARM64_FW the UEFI firmware (/usr/share/qemu-efi-aarch64/QEMU_EFI.fd).
set -u
cd "$(dirname "$0")/../.."
export LC_ALL=C PATH=$PATH:/usr/sbin:/sbin

BIN= WORK= PROBE=0 ONLY=()
while [ $# -gt 0 ]; do
	case $1 in
	--bin) BIN=$2; shift ;;
	--work) WORK=$2; shift ;;
	--probe) PROBE=1 ;;
	-*) echo "usage: $0 --bin BIN [--work DIR] [SCENARIO...] | --probe" >&2; exit 2 ;;
	*) ONLY+=("$1") ;;
	esac
	shift
done

CACHE=${IOMMU_INSPECT_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommu-inspect-vm}
ACCEL=${IOMMU_INSPECT_VM_ACCEL:-auto}
TIMEOUT=${IOMMU_INSPECT_VM_TIMEOUT:-300}
# the kernel modules the guest needs (their dependencies are added)
# (vfio_iommu_type1: what modprobe vfio brings by its softdep, for a real VFIO container)
MODULES="virtio_pci e1000e e1000 nvme virtio_net virtio_blk virtio-rng vfio-pci vfio_iommu_type1"
# and for the x86 guests, where the kernel has it (a NAME? is skipped where it has not): the
# virtio-iommu driver, a module in Debian's 6.12 kernel and absent from its 6.1 one
MODULES_X86="virtio_iommu?"

# Scenarios: name | IOMMU device | kernel parameters | DMA plan (guest-init.sh) | vfio-pci device
SCENARIOS=(
	"intel|-device intel-iommu,intremap=on,caching-mode=on|intel_iommu=on iommu.strict=1|faults|0000:07:00.1"
	"intel-pt|-device intel-iommu,intremap=on,caching-mode=on|intel_iommu=on iommu=pt|reads|0000:07:00.1"
	"amd|-device amd-iommu|iommu=pt|none|0000:07:00.1"
	"intel-lazy|-device intel-iommu,intremap=on|intel_iommu=on iommu.strict=0|few|-"
	# virtio-iommu (QEMU builds an ACPI VIOT table for it) under Debian 12's amd64 kernel,
	# which has no virtio-iommu driver (CONFIG_VIRTIO_IOMMU is not set; arm64 has it): the
	# firmware describes an IOMMU the kernel does not use, no group, and DMA is not
	# translated (QEMU lets endpoints no domain holds bypass: boot-bypass)
	"virtio-iommu|-device virtio-iommu-pci||reads|-"
)

cannot() {
	echo "cannot run the QEMU integration tests: $*"
	exit 77
}

# ------------------------------------------------------------ prerequisites
need_tools() {
	local t missing=
	for t in qemu-system-x86_64 busybox cpio gzip gcc python3 dpkg-deb depmod tar base64 timeout; do
		command -v "$t" > /dev/null 2>&1 || missing="$missing $t"
	done
	[ -z "$missing" ] || cannot "missing:$missing (make vm-deps installs them)"
	ldd "$(command -v busybox)" > /dev/null 2>&1 &&
		cannot "busybox is not static (make vm-deps installs busybox-static)"
	echo 'int main(void){return 0;}' > "$CACHE/static-test.c"
	gcc -static -o "$CACHE/static-test" "$CACHE/static-test.c" 2> /dev/null ||
		cannot "gcc cannot link statically (libc6-dev)"
	rm -f "$CACHE/static-test" "$CACHE/static-test.c"
}

# The series of a cached kernel: .../linux-image-6.1.0-57-amd64 -> 6.1
series() {
	local v=${1%/}
	v=${v##*/linux-image-}
	echo "$v" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/'
}

# Debian's current kernel (the package linux-image-amd64 depends on), its vmlinuz
# and the modules the guest needs, in $CACHE/<package>/. Sets KDIR.
# (fetch_kernel arm64: the same for linux-image-arm64, of the foreign architecture arm64)
fetch_kernel() {
	local pkg deb tmp kver old flav=${1:-amd64} arch= meta modules=$MODULES
	[ "$flav" = amd64 ] || arch=:$flav
	[ "$flav" = amd64 ] && modules="$MODULES $MODULES_X86"
	meta=linux-image-$flav
	# another series of Debian's kernels for the x86 guests (linux-image-6.12-amd64)
	[ "$flav" = amd64 ] && meta=${IOMMU_INSPECT_VM_KERNEL:-$meta}
	pkg=$(apt-cache depends $meta$arch 2> /dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*\)\(:[a-z0-9]*\)\{0,1\}$/\1/p' | head -1)
	if [ -z "$pkg" ]; then
		# no package lists: use what an earlier run fetched for this package
		KDIR=$(cat "$CACHE/$meta.kernel" 2> /dev/null)
		[ -n "$KDIR" ] || KDIR=$(ls -d "$CACHE"/linux-image-*-$flav/ 2> /dev/null | sort -V | tail -1)
		KDIR=${KDIR%/}
		[ -n "$KDIR" ] && [ -f "$KDIR/ready" ] && return 0
		cannot "apt-cache knows no $meta$arch (run apt-get update) and $CACHE has no kernel"
	fi
	KDIR=$CACHE/$pkg
	echo "$KDIR" > "$CACHE/$meta.kernel"
	# ready, and for the modules asked for now (a new one in MODULES fetches again)
	[ -f "$KDIR/ready" ] && [ "$(cat "$KDIR/modules.wanted" 2> /dev/null)" = "$modules" ] && return 0
	echo "# fetching $pkg into $CACHE"
	rm -rf "$KDIR" "$CACHE/$pkg".deb-tmp
	tmp=$CACHE/$pkg.deb-tmp
	mkdir -p "$tmp" "$KDIR/modules"
	(cd "$tmp" && apt-get download "$pkg$arch" > download.log 2>&1) ||
		cannot "apt-get download $pkg$arch failed: $(tail -1 "$tmp/download.log")"
	deb=$(ls "$tmp"/*.deb)
	dpkg-deb -x "$deb" "$tmp/x" || cannot "dpkg-deb -x $deb failed"
	kver=$(ls "$tmp/x/lib/modules")
	depmod -b "$tmp/x" "$kver" || cannot "depmod failed"
	cp "$tmp/x/boot/vmlinuz-$kver" "$KDIR/vmlinuz"
	# each module after its dependencies (modules.dep lists them nearest first)
	python3 - "$tmp/x/lib/modules/$kver" "$KDIR/modules" $modules << 'EOF' || cannot "module resolution failed"
import gzip, lzma, os, shutil, sys
moddir, out, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
def name(m):  # "kernel/.../e1000e.ko.xz" -> "e1000e" (6.12's modules are compressed)
    return os.path.basename(m).split(".ko")[0].replace("-", "_")
deps = {}
for line in open(os.path.join(moddir, "modules.dep")):
    mod, _, rest = line.partition(":")
    deps[mod] = rest.split()
byname = {name(m): m for m in deps}
order = []
def add(m):
    for d in reversed(deps[m]):
        add(d)
    if m not in order:
        order.append(m)
builtin = set()
if os.path.exists(os.path.join(moddir, "modules.builtin")):
    for line in open(os.path.join(moddir, "modules.builtin")):
        builtin.add(name(line.strip()))
for w in wanted:
    optional = w.endswith("?")
    w = w.rstrip("?").replace("-", "_")
    if w in byname:
        add(byname[w])
    elif w not in builtin and not optional:  # built in (6.12: virtio_pci): nothing to load
        sys.exit("no module %s in %s" % (w, moddir))
with open(os.path.join(out, "load.list"), "w") as f:
    for m in order:
        # busybox insmod takes the plain .ko: a compressed one is unpacked here
        ko = name(m) + ".ko" if m.endswith((".xz", ".gz")) else os.path.basename(m)
        opener = lzma.open if m.endswith(".xz") else gzip.open if m.endswith(".gz") else open
        with opener(os.path.join(moddir, m), "rb") as i, open(os.path.join(out, ko), "wb") as o:
            shutil.copyfileobj(i, o)
        f.write(ko + "\n")
EOF
	echo "$kver" > "$KDIR/kernel-release"
	echo "$modules" > "$KDIR/modules.wanted"
	rm -rf "$tmp"
	touch "$KDIR/ready"
	# an older kernel of the same series (6.1, 6.12) is not needed any more
	for old in "$CACHE"/linux-image-*-$flav/; do
		[ "${old%/}" = "$KDIR" ] || [ "$(series "$old")" != "$(series "$KDIR")" ] ||
			rm -rf "${old%/}"
	done
}

# KVM when it works: a probe boot must reach /init quickly (nested KVM may hang).
choose_accel() {
	local marker p
	case $ACCEL in
	tcg|kvm) ACCEL_WHY="IOMMU_INSPECT_VM_ACCEL"; return 0 ;;
	esac
	ACCEL=tcg ACCEL_WHY="no usable /dev/kvm"
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 0
	ACCEL_WHY="a KVM probe boot did not reach /init (cached in $CACHE)"
	marker=$CACHE/kvm-probe.qemu-$(qemu-system-x86_64 --version | awk 'NR == 1 { print $4 }').$(basename "$KDIR")
	if [ -f "$marker" ]; then
		ACCEL=$(cat "$marker")
		[ "$ACCEL" = kvm ] && ACCEL_WHY="a KVM probe boot worked"
		return 0
	fi
	p=$WORK/kvm-probe
	mkdir -p "$p/root/bin"
	cp "$(command -v busybox)" "$p/root/bin/busybox"
	printf '#!/bin/busybox sh\n/bin/busybox echo KVM-PROBE-OK\n/bin/busybox poweroff -f\n' > "$p/root/init"
	chmod +x "$p/root/init"
	(cd "$p/root" && find . | cpio -o -H newc 2> /dev/null | gzip -1) > "$p/initrd"
	(timeout -k 2 20 qemu-system-x86_64 -machine q35 -accel kvm -m 512 -cpu max -display none \
		-nodefaults -no-reboot -serial file:"$p/console" -kernel "$KDIR/vmlinuz" \
		-initrd "$p/initrd" -append "console=ttyS0 panic=-1" > "$p/qemu.log" 2>&1; exit 0) 2> /dev/null
	grep -q KVM-PROBE-OK "$p/console" 2> /dev/null && ACCEL=kvm ACCEL_WHY="a KVM probe boot worked"
	echo "$ACCEL" > "$marker"
}

# ------------------------------------------------------------------ initramfs
# busybox, iommu-inspect with its libraries, GNU tar and gzip (snapshot .tar.gz),
# vmhelper, the modules, pci.ids, and guest-init.sh as /init.
build_initrd() {
	local r=$WORK/initramfs f lib a
	rm -rf "$r"
	mkdir -p "$r"/{bin,sbin,usr/bin,lib/modules/vm,proc,sys,dev,tmp,etc}
	cp "$(command -v busybox)" "$r/bin/busybox"
	for a in $(busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
	done
	gcc -static -O2 -std=gnu11 -Wall -Wextra -o "$r/usr/bin/vmhelper" tests/vm/vmhelper.c ||
		{ echo "FAIL vm/build-vmhelper"; return 1; }
	cp "$BIN" "$r/usr/bin/iommu-inspect"
	cp "$(command -v tar)" "$r/usr/bin/tar"
	cp "$(command -v gzip)" "$r/usr/bin/gzip"
	for f in "$BIN" "$(command -v tar)" "$(command -v gzip)"; do
		for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
			mkdir -p "$r$(dirname "$lib")"
			cp -L "$lib" "$r$lib"
		done
	done
	cp "$KDIR"/modules/* "$r/lib/modules/vm/"
	cp fixtures/pci.ids "$r/pci.ids"
	cp tests/vm/guest-init.sh "$r/init"
	chmod 755 "$r/init"
	echo 'root:x:0:0:root:/:/bin/sh' > "$r/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/false' >> "$r/etc/passwd"
	(cd "$r" && find . | cpio -o -H newc 2> /dev/null | gzip -1) > "$WORK/initrd.gz"
}

# ------------------------------------------------------------------ a scenario
PASSED=0 FAILED=0 SKIPPED=0
count() {
	local line
	while IFS= read -r line; do
		case $line in
		"PASS "*) PASSED=$((PASSED + 1)) ;;
		"FAIL "*) FAILED=$((FAILED + 1)) ;;
		"SKIP "*) SKIPPED=$((SKIPPED + 1)) ;;
		esac
		echo "$line"
	done
}

# A checker's lines, named vm/NAME/..., and the plan rule: exit 0, one plan line,
# last, that agrees with the lines counted.   plan_rule NAME CHECKER LOG EXIT
plan_rule() {
	local name=$1 checker=$2 log=$3 rc=$4 n plans plan why=
	grep -v '^PLAN ' "$log" | sed -E "s#^(PASS|FAIL|SKIP) #&vm/$name/#"
	n=$(grep -cE '^(PASS|FAIL|SKIP) ' "$log")
	plans=$(grep -c '^PLAN ' "$log")
	plan=$(sed -n 's/^PLAN //p' "$log" | head -1)
	[ "$rc" = 0 ] || why="$why; exit $rc"
	if [ "$plans" = 0 ]; then
		why="$why; no plan line (PLAN N) after its $n PASS/FAIL/SKIP lines"
	elif [ "$plans" != 1 ]; then
		why="$why; $plans plan lines"
	elif [ "$plan" != "$n" ]; then
		why="$why; its plan says $plan PASS/FAIL/SKIP lines, $n counted"
	elif grep -A 100000 '^PLAN ' "$log" | grep -qE '^(PASS|FAIL|SKIP) '; then
		why="$why; checks after its plan"
	fi
	[ -z "$why" ] || echo "FAIL vm/$name/$checker: ${why#; } (see the lines above; $log)"
}

# Two boots of the same machine: the intel scenario's, then intel-pt's (check-boots.py
# says why). Only when both ran in this run and sent their results.
two_boots() {
	local run=$WORK/two-boots rc
	wanted intel && wanted intel-pt || return 0
	echo "# two boots: intel, then intel-pt, as a journal"
	if [ ! -f "$WORK/intel/out/facts/kmsg" ] || [ ! -f "$WORK/intel-pt/out/facts/kmsg" ]; then
		echo "SKIP vm/two-boots: a boot sent no results (see its FAIL above)"
		return
	fi
	rm -rf "$run"
	mkdir -p "$run"
	python3 tests/vm/check-boots.py --bin "$BIN" --first "$WORK/intel/out" \
		--second "$WORK/intel-pt/out" --work "$run" > "$run/check.log" 2>&1
	rc=$?
	plan_rule two-boots check-boots.py "$run/check.log" $rc
}

# guest_devices RUN: the PCI devices every scenario's machine has (x86 and arm64 alike),
# into GUEST_DEVICES, their disks' images in RUN
guest_devices() {
	local run=$1
	GUEST_DEVICES=(
		-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,addr=0x10.0,multifunction=on
		-device pcie-root-port,id=rp2,bus=pcie.0,chassis=2,addr=0x10.1
		-device pcie-root-port,id=rp3,bus=pcie.0,chassis=3,addr=0x10.2
		-device pcie-root-port,id=rp4,bus=pcie.0,chassis=4,addr=0x10.3
		-device pcie-root-port,id=rp5,bus=pcie.0,chassis=5,addr=0x11.0
		-device pcie-root-port,id=rp6,bus=pcie.0,chassis=6,addr=0x12.0
		-device e1000e,bus=rp1,mac=52:54:00:12:34:01
		-drive "file=$run/nvme.img,if=none,id=nv0,format=raw"
		-device nvme,drive=nv0,serial=iommu0001,bus=rp2
		-device virtio-net-pci,bus=rp3,mac=52:54:00:12:34:02,iommu_platform=on
		-drive "file=$run/vblk.img,if=none,id=vb0,format=raw"
		-device virtio-blk-pci,drive=vb0,bus=rp4,iommu_platform=on
		-device pcie-pci-bridge,id=br1,bus=rp5
		-device e1000,bus=br1,addr=1.0,mac=52:54:00:12:34:03
		-device virtio-rng-pci,bus=br1,addr=2.0
		-device edu,bus=pcie.0,addr=0x5
		-device edu,bus=rp6,addr=0.0,multifunction=on
		-device edu,bus=rp6,addr=0.1
	)
}

run_scenario() {
	local name=$1 iommu=$2 params=$3 dma=$4 vfio=$5 run=$WORK/$1 t0 t1 rc qpid
	rm -rf "$run"
	mkdir -p "$run"
	truncate -s 16M "$run/nvme.img" "$run/vblk.img"
	guest_devices "$run"
	local cmd=(qemu-system-x86_64 -machine q35,kernel-irqchip=split -accel "$ACCEL" -m 1024 -smp 2
		-cpu max -display none -vga std -no-reboot -nodefaults
		-chardev "file,id=con,path=$run/console.log" -serial chardev:con
		-chardev "file,id=data,path=$run/data.b64" -serial chardev:data
		$iommu
		-kernel "$KDIR/vmlinuz" -initrd "$WORK/initrd.gz"
		-append "console=ttyS0 loglevel=4 log_buf_len=4M panic=-1 $params vm_scenario=$name vm_dma=$dma vm_vfio=$vfio"
		"${GUEST_DEVICES[@]}")
	echo "${cmd[*]}" > "$run/qemu-cmdline"
	echo "# scenario $name: $params ($ACCEL)"
	t0=$(date +%s.%N)
	timeout -k 5 "$TIMEOUT" "${cmd[@]}" > "$run/qemu.log" 2>&1 &
	qpid=$!
	stop_after_results $qpid "$run/data.b64"
	wait $qpid
	rc=$?
	t1=$(date +%s.%N)
	rm -f "$run/nvme.img" "$run/vblk.img"
	finish_scenario "$name" "$dma" "$run" "$run/data.b64" "$rc" "$t0" "$t1" "$TIMEOUT" "$ACCEL"
}

# stop_after_results PID DATA: in the background, stop the guest (the timeout PID runs it)
# 20 s after its results are all out, should it not power off by then (Debian's 6.12 kernel
# with a virtio-iommu hangs powering off: RCU stalls)
stop_after_results() {
	local pid=$1 data=$2
	(
		while kill -0 "$pid" 2> /dev/null; do
			if grep -q '==VM-OUT-END==' "$data" 2> /dev/null; then
				sleep 20
				kill -0 "$pid" 2> /dev/null && echo "# the guest had not powered off 20 s after its results: stopped" &&
					kill "$pid" 2> /dev/null
				break
			fi
			sleep 1
		done
	) &
}

# finish_scenario NAME DMA RUN DATA QEMU-EXIT T0 T1 TIMEOUT ACCEL: unpack what the guest
# sent (the base64 between the markers in DATA) and run check.py on it
finish_scenario() {
	local name=$1 dma=$2 run=$3 data=$4 rc=$5 t0=$6 t1=$7 TIMEOUT=$8 ACCEL=$9
	sed -n '/==VM-OUT-BEGIN==/,/==VM-OUT-END==/p' "$data" | tr -d '\r' |
		grep -v '^==VM-OUT-' | base64 -d > "$run/out.tgz" 2> /dev/null
	if ! tar -xzf "$run/out.tgz" -C "$run" 2> /dev/null || [ ! -f "$run/out/facts/kmsg" ]; then
		echo "FAIL vm/$name/boot: no results from the guest (qemu exit $rc$([ $rc = 124 ] && echo ", timed out after ${TIMEOUT} s")); see $run/console.log"
		tail -n 15 "$run/console.log" "$run/qemu.log" 2> /dev/null | sed 's/^/    /'
		return
	fi
	echo "PASS vm/$name/boot"
	python3 tests/vm/check.py --bin "$BIN" --out "$run/out" --pci-ids fixtures/pci.ids \
		--scenario "$name" --dma "$dma" --work "$run" > "$run/check.log" 2>&1
	rc=$?
	plan_rule "$name" check.py "$run/check.log" $rc
	printf '# scenario %s: %s s wall (%s), /init at %s s, guest done at %s s uptime\n' "$name" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }')" "$ACCEL" \
		"$(cat "$run/out/facts/init-uptime")" "$(cat "$run/out/facts/done-uptime")"
}

# ------------------------------------------------------------------ arm64
# Arm servers: qemu-system-aarch64's virt machine with an SMMUv3 and a GICv3 ITS, under TCG,
# Debian's arm64 kernel, and iommu-inspect cross-built for arm64 (aarch64-linux-gnu-gcc and
# the :arm64 -dev packages, `make vm-deps-arm64`). When this machine cannot run them, each
# arm64 scenario is skipped with the reason; the amd64 ones do not depend on any of it.
# name | firmware (uefi: ACPI with an IORT; none: a device tree) | kernel parameters | DMA plan | vfio-pci device
ARM64_SCENARIOS=(
	"arm64-acpi|uefi|iommu.strict=1|faults|0000:07:00.1"
	"arm64-dt|none|iommu.strict=1|few|-"
)
# TCG on two shared cores: the UEFI firmware and the kernel reach /init in 5 to 12 s, a
# scenario takes about 2 minutes at load 7 (tests/vm/README.md): 600 s is five times that
ARM64_TIMEOUT=${IOMMU_INSPECT_VM_ARM64_TIMEOUT:-600}
ARM64_FW=${IOMMU_INSPECT_VM_ARM64_FW:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}
ARM64_TRIPLET=aarch64-linux-gnu
ARM64_PKGCONF="env PKG_CONFIG_LIBDIR=/usr/lib/$ARM64_TRIPLET/pkgconfig:/usr/share/pkgconfig pkg-config"
# the arm64 user space of the guest besides the tool: static busybox, and GNU tar and gzip
# (snapshot OUT.tar.gz) with the libraries of tar the host's arm64 libc does not bring
ARM64_DEBS="busybox-static tar gzip libacl1 libselinux1 libpcre2-8-0"

# arm64_prepare: the kernel, the user space and the cross-built tool, or ARM64_WHY says why not.
# Sets ARM64_KDIR, ARM64_BIN, ARM64_USR.
ARM64_WHY= ARM64_KDIR= ARM64_BIN= ARM64_USR=
arm64_prepare() {
	local t missing= out p debs= log
	for t in qemu-system-aarch64 $ARM64_TRIPLET-gcc readelf pkg-config apt-get dpkg-deb; do
		command -v "$t" > /dev/null 2>&1 || missing="$missing $t"
	done
	[ -z "$missing" ] || { ARM64_WHY="missing:$missing (make vm-deps-arm64 installs them)"; return 1; }
	# shellcheck disable=SC2086
	$ARM64_PKGCONF --exists libpci libudev json-c libsystemd ncursesw 2> /dev/null ||
		{ ARM64_WHY="the arm64 -dev packages are not all installed (libpci-dev:arm64 libudev-dev:arm64 libjson-c-dev:arm64 libsystemd-dev:arm64 libncurses-dev:arm64; make vm-deps-arm64)"; return 1; }
	# the kernel: fetch_kernel in a subshell, whose `cannot` must not end this run
	out=$(fetch_kernel arm64 > /dev/null; echo "KDIR=$KDIR")
	case $out in
	*KDIR=?*) ARM64_KDIR=${out##*KDIR=} ;;
	*) ARM64_WHY="the arm64 kernel: $(echo "$out" | sed -n 's/^cannot run the QEMU integration tests: //p')"; return 1 ;;
	esac
	ARM64_USR=$CACHE/arm64-userland
	if [ "$(cat "$ARM64_USR/ready" 2> /dev/null)" != "$ARM64_DEBS" ]; then
		rm -rf "$ARM64_USR"
		mkdir -p "$ARM64_USR/debs"
		for p in $ARM64_DEBS; do debs="$debs $p:arm64"; done
		# shellcheck disable=SC2086
		if ! log=$(cd "$ARM64_USR/debs" && apt-get download $debs 2>&1); then
			ARM64_WHY="apt-get download$debs failed: $(echo "$log" | grep -v '^W:' | tail -1)"
			return 1
		fi
		for p in "$ARM64_USR"/debs/*.deb; do
			dpkg-deb -x "$p" "$ARM64_USR/root" || { ARM64_WHY="dpkg-deb -x $p failed"; return 1; }
		done
		rm -rf "$ARM64_USR/debs"
		echo "$ARM64_DEBS" > "$ARM64_USR/ready"
	fi
	# the tool, cross-built from this tree (a failure here is the tree's, not the machine's)
	ARM64_BIN=$WORK/arm64-build/iommu-inspect
	if ! make -s -j2 CC=$ARM64_TRIPLET-gcc BUILD="$WORK/arm64-build" PKG_CONFIG="$ARM64_PKGCONF" \
		"$ARM64_BIN" > "$WORK/arm64-build.log" 2>&1; then
		echo "FAIL vm/arm64-build: the cross build failed; see $WORK/arm64-build.log"
		tail -n 15 "$WORK/arm64-build.log" | sed 's/^/    /'
		ARM64_WHY="the cross build of iommu-inspect failed"
		return 2
	fi
	arm64_initrd
}

# arm64_libs ELF...: the shared libraries the ELF files need, recursively, by their NEEDED
# entries (no ldd: the host cannot run them), from the downloaded packages, then the host's
# arm64 libraries; prints their paths.
arm64_libs() {
	local dirs="$ARM64_USR/root/lib/$ARM64_TRIPLET $ARM64_USR/root/usr/lib/$ARM64_TRIPLET /lib/$ARM64_TRIPLET /usr/lib/$ARM64_TRIPLET"
	local todo=("$@") seen=" " f n d
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for n in $(readelf -d "$f" 2> /dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			case $seen in *" $n "*) continue ;; esac
			seen="$seen$n "
			for d in $dirs; do
				if [ -e "$d/$n" ]; then
					echo "$d/$n"
					todo+=("$d/$n")
					continue 2
				fi
			done
			echo "missing $n" >&2
			return 1
		done
	done
}

# The arm64 initramfs: what build_initrd puts in the amd64 one, for arm64; busybox makes its
# applet links in the guest (/init runs `busybox --install` first).
arm64_initrd() {
	local r=$WORK/arm64-initramfs f lib libs
	rm -rf "$r"
	mkdir -p "$r"/{bin,sbin,usr/bin,lib/modules/vm,lib/$ARM64_TRIPLET,proc,sys,dev,tmp,etc}
	cp "$ARM64_USR/root/bin/busybox" "$r/bin/busybox"
	ln -s busybox "$r/bin/sh"
	if ! $ARM64_TRIPLET-gcc -static -O2 -std=gnu11 -Wall -Wextra -o "$r/usr/bin/vmhelper" tests/vm/vmhelper.c; then
		echo "FAIL vm/arm64-build-vmhelper"
		ARM64_WHY="vmhelper did not build for arm64"
		return 2
	fi
	cp "$ARM64_BIN" "$r/usr/bin/iommu-inspect"
	cp "$ARM64_USR/root/bin/tar" "$r/usr/bin/tar"
	cp "$ARM64_USR/root/bin/gzip" "$r/usr/bin/gzip"
	libs=$(arm64_libs "$ARM64_BIN" "$r/usr/bin/tar" "$r/usr/bin/gzip" 2> "$WORK/arm64-libs.err") ||
		{ ARM64_WHY="arm64 libraries not found: $(tr '\n' ' ' < "$WORK/arm64-libs.err")"; return 1; }
	for lib in $libs; do
		cp -L "$lib" "$r/lib/$ARM64_TRIPLET/"
	done
	cp -L /lib/ld-linux-aarch64.so.1 "$r/lib/ld-linux-aarch64.so.1" 2> /dev/null ||
		{ ARM64_WHY="no /lib/ld-linux-aarch64.so.1 (libc6:arm64)"; return 1; }
	cp "$ARM64_KDIR"/modules/* "$r/lib/modules/vm/"
	cp fixtures/pci.ids "$r/pci.ids"
	cp tests/vm/guest-init.sh "$r/init"
	chmod 755 "$r/init"
	echo 'root:x:0:0:root:/:/bin/sh' > "$r/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/false' >> "$r/etc/passwd"
	(cd "$r" && find . | cpio -o -H newc 2> /dev/null | gzip -1) > "$WORK/arm64-initrd.gz"
}

# run_scenario_arm64 NAME FIRMWARE PARAMS DMA VFIO: the amd64 machine's devices, in the same
# slots (the same bus numbers), on virt's PCIe host bridge, behind its SMMUv3. The results come
# back on the one serial port, the console (virt has no second one).
run_scenario_arm64() {
	local name=$1 fw=$2 params=$3 dma=$4 vfio=$5 run=$WORK/$1 t0 t1 rc bios=()
	if [ -n "$ARM64_WHY" ]; then
		echo "SKIP vm/$name: $ARM64_WHY"
		return
	fi
	if [ "$fw" = uefi ]; then
		[ -r "$ARM64_FW" ] || { echo "SKIP vm/$name: no UEFI firmware $ARM64_FW (qemu-efi-aarch64; make vm-deps-arm64)"; return; }
		bios=(-bios "$ARM64_FW")
	fi
	rm -rf "$run"
	mkdir -p "$run"
	truncate -s 16M "$run/nvme.img" "$run/vblk.img"
	guest_devices "$run"
	# -cpu max with the cheap pointer authentication: TCG boots it twice as fast
	local cmd=(qemu-system-aarch64 -machine virt,iommu=smmuv3,gic-version=3 -accel tcg
		-m 1024 -smp 2 -cpu max,pauth-impdef=on -display none -no-reboot -nodefaults
		"${bios[@]}"
		-chardev "file,id=con,path=$run/console.log" -serial chardev:con
		-kernel "$ARM64_KDIR/vmlinuz" -initrd "$WORK/arm64-initrd.gz"
		-append "console=ttyAMA0 loglevel=4 log_buf_len=4M panic=-1 $params vm_scenario=$name vm_dma=$dma vm_vfio=$vfio"
		"${GUEST_DEVICES[@]}")
	echo "${cmd[*]}" > "$run/qemu-cmdline"
	echo "# scenario $name: $fw firmware, $params (tcg)"
	t0=$(date +%s.%N)
	timeout -k 5 "$ARM64_TIMEOUT" "${cmd[@]}" > "$run/qemu.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	rm -f "$run/nvme.img" "$run/vblk.img"
	finish_scenario "$name" "$dma" "$run" "$run/console.log" "$rc" "$t0" "$t1" "$ARM64_TIMEOUT" tcg
}

# ------------------------------------------------------------------------ main
mkdir -p "$CACHE" || cannot "cannot create $CACHE"
need_tools
fetch_kernel
if [ $PROBE = 1 ]; then
	echo "QEMU integration tests can run: $(qemu-system-x86_64 --version | head -1), kernel $(cat "$KDIR/kernel-release")"
	exit 0
fi
[ -x "$BIN" ] || { echo "$0: no binary (--bin)" >&2; exit 2; }
for o in "${ONLY[@]}"; do
	printf '%s\n' "${SCENARIOS[@]}" "${ARM64_SCENARIOS[@]}" | cut -d'|' -f1 | grep -qx "$o" ||
		{ echo "$0: no scenario $o (there are: $(printf '%s\n' "${SCENARIOS[@]}" "${ARM64_SCENARIOS[@]}" | cut -d'|' -f1 | tr '\n' ' '))" >&2; exit 2; }
done
# is scenario $1 to run?
wanted() { [ ${#ONLY[@]} -eq 0 ] || printf '%s\n' "${ONLY[@]}" | grep -qx "$1"; }
BIN=$(realpath "$BIN")
WORK=${WORK:-$(dirname "$BIN")/vm}
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
choose_accel
AMD64_WANTED=0
for s in "${SCENARIOS[@]}"; do wanted "${s%%|*}" && AMD64_WANTED=1; done
if [ $AMD64_WANTED = 1 ]; then
	build_initrd || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
fi
echo "# kernel $(cat "$KDIR/kernel-release"), $(qemu-system-x86_64 --version | head -1), accel $ACCEL ($ACCEL_WHY); results in $WORK"

all_scenarios() {
	local s name iommu params dma vfio
	for s in "${SCENARIOS[@]}"; do
		IFS='|' read -r name iommu params dma vfio <<< "$s"
		wanted "$name" || continue
		run_scenario "$name" "$iommu" "$params" "$dma" "$vfio"
	done
	all_scenarios_arm64
	two_boots
}
all_scenarios_arm64() {
	local s name fw params dma vfio any=0
	for s in "${ARM64_SCENARIOS[@]}"; do wanted "${s%%|*}" && any=1; done
	[ $any = 1 ] || return 0
	arm64_prepare
	[ -z "$ARM64_KDIR" ] || echo "# arm64: kernel $(cat "$ARM64_KDIR/kernel-release"), $(qemu-system-aarch64 --version | head -1), tcg"
	for s in "${ARM64_SCENARIOS[@]}"; do
		IFS='|' read -r name fw params dma vfio <<< "$s"
		wanted "$name" || continue
		run_scenario_arm64 "$name" "$fw" "$params" "$dma" "$vfio"
	done
}
T0=$(date +%s)
count < <(all_scenarios 2>&1)
echo "# all scenarios: $(($(date +%s) - T0)) s"
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
