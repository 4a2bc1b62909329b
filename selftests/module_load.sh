#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module loads, registers its genl family, and unloads cleanly — also
# with live SAs in several namespaces, and when a namespace holding SAs is
# deleted. No kernel warning may appear in dmesg.
#
# SAs and policies live in their own slab caches, ikesec_sa and
# ikesec_policy: /proc/slabinfo counts them (back to 0 after a flush), and
# unloading with objects left would make the kernel warn when it destroys
# a cache. So 1,000 SAs and 1,000 policies spread over four namespaces are
# flushed; then the caches must be empty and rmmod must destroy them.
#
#   [ns_a: SA 0x1000]   [ns_b: SA 0x1000]   (no links; state only)
#   [ns_1 .. ns_4: 250 SAs, 250 policies each]
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip genl
require_module

NS_A=ikesec-ml-a-$ns_suffix
NS_B=ikesec-ml-b-$ns_suffix
KEY=0x$(printf '11%.0s' $(seq 20))
mark=ml-$$

NS_N="ikesec-ml-1-$ns_suffix ikesec-ml-2-$ns_suffix ikesec-ml-3-$ns_suffix ikesec-ml-4-$ns_suffix"

cleanup() {
	local ns
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	for ns in $NS_N; do ip netns del "$ns" 2>/dev/null; done
	[ -d /sys/module/ikesec ] || ikesec_insmod 2>/dev/null
}
trap cleanup EXIT

add_sa() { # NS SPI
	ip netns exec "$1" "$IKECTL" sa add dir in spi "$2" \
		src 192.0.2.2 dst 192.0.2.1 mode tunnel enc aes-gcm "$KEY"
}
sa_count() { # NS
	ip netns exec "$1" "$IKECTL" sa show | grep -c '^dir ' || true
}

# many: 250 inbound SAs and 250 bypass policies in each of NS_N, each
# namespace's in one `ikectl -b' batch.
many() {
	local ns i
	for ns in $NS_N; do
		for ((i = 0; i < 250; i++)); do
			echo "sa add dir in spi $((0x10000 + i)) src 192.0.2.2" \
				"dst 192.0.2.1 enc aes-gcm $KEY"
			echo "policy add dir out src 10.1.0.0/24 dst 10.2.0.$i" \
				"action bypass"
		done | ip netns exec "$ns" "$IKECTL" -b - >/dev/null || return 1
	done
}

# slab NAME: active objects of our cache, after it gave back what the
# per-CPU slabs hold (SLUB counts those as active).
slab() {
	echo 1 >"/sys/kernel/slab/$1/shrink" 2>/dev/null
	awk -v c="$1" '$1 == c { print $2; f = 1 } END { if (!f) print -1 }' \
		/proc/slabinfo
}

flush_all() {
	local ns
	for ns in $NS_N; do
		ip netns exec "$ns" "$IKECTL" sa flush &&
		ip netns exec "$ns" "$IKECTL" policy flush || return 1
	done
}

slabs_empty() {
	local sa pol
	sa=$(slab ikesec_sa) pol=$(slab ikesec_policy)
	[ "$sa$pol" = 00 ] && return 0
	echo "# slabinfo: ikesec_sa $sa, ikesec_policy $pol active"
	return 1
}

ktap_plan 12
dmesg_mark "$mark"

ktap_check "genl family ikesec registered" \
	sh -c 'genl ctrl get name ikesec >/dev/null 2>&1'

ip netns add "$NS_A"
ip netns add "$NS_B"
ktap_check "SA added in two namespaces" \
	sh -c "$(declare -f add_sa); NS_A=$NS_A NS_B=$NS_B KEY=$KEY IKECTL=$IKECTL; add_sa $NS_A 0x1000 && add_sa $NS_B 0x1000"

ktap_check "rmmod with live SAs" rmmod ikesec
ktap_check "module gone after rmmod" test ! -d /sys/module/ikesec

ktap_check "insmod again" ikesec_insmod
ktap_check "state did not survive the reload" \
	test "$(sa_count "$NS_A")$(sa_count "$NS_B")" = 00

add_sa "$NS_A" 0x2000
ip netns del "$NS_A"
ok=1
for i in 1 2 3; do
	rmmod ikesec && ikesec_insmod || ok=0
done
ktap_check "namespace deleted with live SA, then 3 reload cycles" test $ok = 1

for ns in $NS_N; do ip netns add "$ns"; done
ktap_check "1,000 SAs and 1,000 policies in four namespaces" many
sa_n=$(slab ikesec_sa) pol_n=$(slab ikesec_policy)
echo "# slabinfo: ikesec_sa $sa_n, ikesec_policy $pol_n active"
ktap_check "their own slabs count them (ikesec_sa, ikesec_policy)" \
	test "$sa_n" -ge 1000 -a "$pol_n" -ge 1000
flush_all
ktap_check "ikesec_sa and ikesec_policy back to 0 after flush" \
	wait_for 30 slabs_empty
rmmod ikesec
ktap_check "rmmod destroyed both caches (no objects left in them)" \
	sh -c '! grep -qE "^ikesec_(sa|policy) " /proc/slabinfo'
ikesec_insmod

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
