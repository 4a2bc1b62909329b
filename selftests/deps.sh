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
	# interop peers (Libreswan is unpacked privately, below: its package
	# conflicts with strongSwan's charon)
	strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
	libcharon-extra-plugins libcharon-extauth-plugins wireguard-tools
	# what the unpacked Libreswan's pluto, whack and addconn link against
	# (ldd), certutil/pk12util for its NSS database, openssl for test PKIs
	openssl libnss3 libnss3-tools libnspr4 libunbound8 libldns3 libevent-core-2.1-7
	libevent-pthreads-2.1-7 libcap-ng0 libcurl3-nss libaudit1
	libldap-2.5-0 libpam0g libselinux1 libsystemd0 libcrypt1
	# JSON of ikectl and iperf3 (selftests, make bench), the chart, perf
	# inside the VM; ethtool turns GRO on for esp_gro
	jq python3-matplotlib linux-perf ethtool
)

# Libreswan's pluto for the interop tests, unpacked (dpkg -x) outside the
# work tree so that it survives `make clean` and serves every clone; the
# tests find it through LIBRESWAN_ROOT (selftests/lswan_lib.sh).
LIBRESWAN_ROOT=${LIBRESWAN_ROOT:-/opt/ikesec-peers/libreswan}
stamp=$LIBRESWAN_ROOT/.deb-version

need_root() {
	[ "$(id -u)" -eq 0 ] && return
	echo "deps: need root to $1; run: sudo $0" >&2
	exit 1
}

# Unpack Debian's libreswan unless the same version already is; the
# candidate version is only looked up when the package lists changed
# since the last unpack, so that a run with nothing to do stays quick.
libreswan_unpack() {
	local ver tmp
	if [ -f "$stamp" ] && [ -x "$LIBRESWAN_ROOT/usr/libexec/ipsec/pluto" ] &&
	   [ "$stamp" -nt /var/lib/apt/lists ]; then
		return 0
	fi
	ver=$(apt-cache policy libreswan 2>/dev/null |
		awk '$1 == "Candidate:" { print $2 }')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		need_root "refresh the package lists"
		apt-get update -q >/dev/null
		ver=$(apt-cache policy libreswan |
			awk '$1 == "Candidate:" { print $2 }')
	fi
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		{ echo "deps: no libreswan package in the archive" >&2; exit 1; }
	if [ "$(cat "$stamp" 2>/dev/null)" = "$ver" ] &&
	   [ -x "$LIBRESWAN_ROOT/usr/libexec/ipsec/pluto" ]; then
		touch "$stamp"
		return 0
	fi
	need_root "unpack libreswan into $LIBRESWAN_ROOT"
	echo "deps: unpacking libreswan $ver into $LIBRESWAN_ROOT"
	tmp=$(mktemp -d)
	chmod 755 "$tmp"	# apt's _apt user downloads into it
	(cd "$tmp" && apt-get download -q "libreswan=$ver" >/dev/null 2>&1) ||
		{ rm -rf "$tmp"; echo "deps: apt-get download libreswan=$ver failed" >&2; exit 1; }
	rm -rf "$LIBRESWAN_ROOT.new"
	mkdir -p "$LIBRESWAN_ROOT.new"
	dpkg -x "$tmp"/libreswan_*.deb "$LIBRESWAN_ROOT.new"
	echo "$ver" > "$LIBRESWAN_ROOT.new/.deb-version"
	rm -rf "$tmp" "$LIBRESWAN_ROOT"
	mv "$LIBRESWAN_ROOT.new" "$LIBRESWAN_ROOT"
}

# one dpkg-query for all: packages it never heard of are simply not listed
installed=" $(dpkg-query -W -f='${db:Status-Status} ${Package}\n' \
	"${pkgs[@]}" 2>/dev/null | awk '$1 == "installed" { printf "%s ", $2 }')"
missing=()
for p in "${pkgs[@]}"; do
	case "$installed" in *" $p "*) ;; *) missing+=("$p") ;; esac
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	need_root "install packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
	echo "deps: done"
fi
libreswan_unpack
