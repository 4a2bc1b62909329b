#!/bin/bash
# Build the QEMU test initramfs: busybox-static + the virtio/9p/overlay
# modules of the host's Debian kernel + initramfs-init.sh as /init.
#
# usage: mkinitramfs.sh OUTFILE      (gzip'd newc cpio)
# env:   KVER=<ver> to pick the kernel, IKESEC_VM_BUSYBOX=<static busybox>
#
# Rebuilds only when an input changed (kernel version, busybox, the module
# files, this script or /init); the stamp lives next to OUTFILE.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 OUTFILE" >&2; exit 2; }
out=$1
kver=$(vm_find_kver)
moddir=/lib/modules/$kver
busybox=${IKESEC_VM_BUSYBOX:-/usr/bin/busybox}
init_src=$here/initramfs-init.sh

[ -x "$busybox" ] || vm_die "$busybox missing (apt-get install busybox-static)"
# A dynamically linked busybox would die in the initramfs with a cryptic
# "not found"; catch it here instead.
if command -v readelf >/dev/null && readelf -l "$busybox" 2>/dev/null | grep -q 'interpreter'; then
    vm_die "$busybox is dynamically linked; install busybox-static"
fi

# Resolve each module file with one walk of the tree; modules built into this
# kernel need no file and are skipped.
allko=$(find "$moddir/kernel" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
modfiles=()
modnames=()
for m in $VM_INITRAMFS_MODULES; do
    f=$(printf '%s\n' "$allko" | grep -E "/${m}\.ko(\.(xz|zst|gz))?\$" | head -n 1 || true)
    if [ -z "$f" ]; then
        if grep -qE "/${m}\.ko\$" "$moddir/modules.builtin" 2>/dev/null; then
            continue
        fi
        vm_die "module $m not found under $moddir/kernel and not built in"
    fi
    modfiles+=("$f")
    modnames+=("$m")
done

stamp=$(printf 'kver %s\n' "$kver"
        stat -L -c '%n %s %Y' "$busybox" "$init_src" "$0" "$here/lib.sh" "${modfiles[@]}")
if [ -s "$out" ] && [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ]; then
    exit 0
fi

mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

mkdir -p "$root"/{bin,dev,proc,sys,run,tmp,etc,modules,newroot,mnt/lower,mnt/rw}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$init_src" "$root/init"

: >"$root/etc/modules.order"
for i in "${!modfiles[@]}"; do
    f=${modfiles[$i]}
    dst=$root/modules/${modnames[$i]}.ko
    # busybox insmod cannot read compressed modules: unpack them here.
    case $f in
    *.xz) xz -dc "$f" >"$dst" ;;
    *.zst) zstd -qdc "$f" >"$dst" ;;
    *.gz) gzip -dc "$f" >"$dst" ;;
    *) cp "$f" "$dst" ;;
    esac
    echo "${modnames[$i]}" >>"$root/etc/modules.order"
done

# newc entry for a character device, written by hand so that no mknod (and
# no privilege) is needed. The kernel needs /dev/console in the initramfs to
# give /init a stdin/stdout at all.
newc_entry() { # NAME MODE RDEV_MAJOR RDEV_MINOR (no file data)
    local namesize=$((${#1} + 1))
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        0 "$2" 0 0 1 0 0 0 0 "$3" "$4" "$namesize" 0
    printf '%s\0' "$1"
    # the 110-byte header plus the name is padded to a multiple of 4
    head -c $(((4 - (110 + namesize) % 4) % 4)) /dev/zero
}

# The kernel accepts concatenated cpio archives; ours goes after cpio's so
# the dev/ directory already exists when the node is created.
{
    (cd "$root" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
        cpio -o -H newc -R 0:0 --reproducible --quiet)
    newc_entry dev/console $((0020600)) 5 1 # S_IFCHR | 0600
    newc_entry 'TRAILER!!!' 0 0 0
} | gzip -1 -n >"$tmp/initramfs.gz"

mv -f "$tmp/initramfs.gz" "$out"
printf '%s\n' "$stamp" >"$out.stamp"
