# shellcheck shell=bash
# Helpers shared by the selftests/vm scripts. Sourced, never executed.

# The modules the initramfs needs, in load order (each depends on the ones
# before it), to mount the host's root over virtio-9p and overlay it.
# shellcheck disable=SC2034 # used by the scripts that source this file
VM_INITRAMFS_MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay"

# Kernel command line key naming the stage-2 script. Deliberately NOT
# "ikesec.<x>=": kmod's modprobe turns "<module>.<param>=" words in
# /proc/cmdline into module parameters, so "ikesec.stage2=" would make
# `modprobe ikesec` fail with "unknown parameter stage2".
# shellcheck disable=SC2034 # used by the scripts that source this file
VM_STAGE2_KEY="ikesec_vm.stage2"

vm_die() {
    echo "vm: error: $*" >&2
    exit 1
}

# Print the kernel version to boot: $KVER if set, else the newest
# /boot/vmlinuz-<ver> that has a /lib/modules/<ver>/kernel tree (a kernel
# without its modules could not mount the host root).
vm_find_kver() {
    local f v
    if [ -n "${KVER:-}" ]; then
        [ -r "/boot/vmlinuz-$KVER" ] || vm_die "KVER=$KVER: /boot/vmlinuz-$KVER not found or unreadable"
        [ -d "/lib/modules/$KVER/kernel" ] || vm_die "KVER=$KVER: /lib/modules/$KVER/kernel not found"
        echo "$KVER"
        return 0
    fi
    v=$(for f in /boot/vmlinuz-*; do
            [ -e "$f" ] || continue
            f=${f#/boot/vmlinuz-}
            [ -d "/lib/modules/$f/kernel" ] && echo "$f"
        done | sort -V | tail -n 1)
    [ -n "$v" ] || vm_die "no /boot/vmlinuz-<ver> with a matching /lib/modules/<ver>/kernel (apt-get install linux-image-amd64)"
    echo "$v"
}
