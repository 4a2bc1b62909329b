#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module loads, registers its genl family, and unloads cleanly — also
# with live SAs in several namespaces, and when a namespace holding SAs is
# deleted. No kernel warning may appear in dmesg.
#
#   [ns_a: SA 0x1000]   [ns_b: SA 0x1000]   (no links; state only)
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip genl
require_module

NS_A=ikesec-ml-a-$ns_suffix
NS_B=ikesec-ml-b-$ns_suffix
KEY=0x$(printf '11%.0s' $(seq 20))
mark=ml-$$

cleanup() {
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	[ -d /sys/module/ikesec ] || ikesec_insmod 2>/dev/null
}
trap cleanup EXIT

add_sa() { # NS SPI
	ip netns exec "$1" "$IKECTL" sa add dir in spi "$2" \
		src 192.0.2.2 dst 192.0.2.1 mode tunnel enc aes-gcm "$KEY"
}
sa_count() { # NS
	ip netns exec "$1" "$IKECTL" sa show | grep -c '^sa ' || true
}

ktap_plan 8
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

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
