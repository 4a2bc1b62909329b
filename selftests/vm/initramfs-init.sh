#!/bin/sh
# Stage 1: /init inside the initramfs built by mkinitramfs.sh (busybox sh).
# Mounts the host's / (virtio-9p, read-only) under a tmpfs overlay, then
# switch_roots into it and execs stage 2 (guest-init.sh), whose absolute
# path comes from the kernel command line (ikesec_vm.stage2=PATH).
# Not `set -e`: as PID 1 we must never exit (that panics the kernel); every
# failure goes through fatal(), which powers the VM off instead.
PATH=/bin
export PATH

cmdline=

halt_vm() {
    # -f: reboot(2) directly, there is no init system to ask.
    poweroff -f
    echo o >/proc/sysrq-trigger
    while :; do sleep 60; done
}

fatal() {
    echo "ikesec-vm initramfs: FATAL: $*" >&2
    # A rescue shell only on request: in batch mode nobody would type into it.
    case " $cmdline " in
    *" ikesec_vm.rdshell "*) setsid cttyhack sh ;;
    esac
    halt_vm
}

mount -t proc proc /proc || fatal "mount /proc"
mount -t sysfs sysfs /sys || fatal "mount /sys"
mount -t devtmpfs devtmpfs /dev || fatal "mount /dev"
read -r cmdline </proc/cmdline

stage2=
for w in $cmdline; do
    case $w in
    ikesec_vm.stage2=*) stage2=${w#*=} ;;
    esac
done
[ -n "$stage2" ] || fatal "no ikesec_vm.stage2=PATH on the kernel command line"

# Order matters: insmod does no dependency resolution.
while read -r m; do
    insmod "/modules/$m.ko" || fatal "insmod $m"
done </etc/modules.order

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose \
    hostroot /mnt/lower || fatal "mount 9p hostroot (is QEMU exporting mount_tag=hostroot?)"
# Writes go to RAM and vanish at power-off; the host tree stays untouched.
mount -t tmpfs -o mode=0755 rwlayer /mnt/rw || fatal "mount tmpfs /mnt/rw"
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay -o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work \
    overlay /newroot || fatal "mount overlay"

[ -f "/newroot$stage2" ] || fatal "stage 2 '$stage2' not found in the host root"

# Stage 2 mounts its own proc/sys/dev; drop ours so nothing is left hidden
# under the old (deleted) rootfs.
umount /dev /sys /proc

# Run it through bash if the file lost its exec bit (e.g. odd checkouts).
if [ -x "/newroot$stage2" ]; then
    exec switch_root /newroot "$stage2"
fi
exec switch_root /newroot /bin/bash "$stage2"
