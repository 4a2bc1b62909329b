#!/bin/bash
# Install, from Debian's packages, what building, testing and the demo need.
# Idempotent and quick when nothing is missing: only absent packages are
# installed, and the package lists are refreshed only then.
set -eu

pkgs=(
	# build
	build-essential pkg-config kmod cpio xz-utils clang
	linux-headers-amd64 libnl-3-dev libnl-genl-3-dev libssl-dev
	# test bed: Debian's kernel booted under QEMU, busybox for the initramfs,
	# linux-source for kselftest_harness.h and the kselftest runner
	linux-image-amd64 qemu-system-x86 busybox-static linux-source-6.1
	perl rsync python3 python3-cryptography
	# network tools used by tests and the demo
	iproute2 nftables iputils-ping tcpdump iperf3 socat procps
	# interop peers (Libreswan is unpacked privately by the tests that
	# need it: its package conflicts with strongSwan's charon)
	strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
	libcharon-extra-plugins libcharon-extauth-plugins wireguard-tools
	# make bench: JSON of iperf3, the chart, perf inside the VM
	jq python3-matplotlib linux-perf
)

missing=()
for p in "${pkgs[@]}"; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install packages; run: sudo $0" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
