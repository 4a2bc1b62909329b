#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Path MTU through a tunnel (RFC 4301 8.2, RFC 1191, RFC 8201): a packet
# that fits the link but not the link less ESP is dropped, counted in
# out-mtu-drops, and its sender is told the MTU left for it: ICMP
# fragmentation needed for IPv4, packet too big for IPv6. For AES-GCM
# (8-byte ESP header, 8-byte IV, 4-byte alignment, 16-byte ICV) over an
# MTU of 1400 that is 1400 - 20 - 32 = 1348, less the 2 trailer bytes:
# 1346 inside IPv4, and 1400 - 40 - 32 - 2 = 1326 inside IPv6. A payload
# of exactly that size passes; TCP finds the path MTU by itself.
#
#   ns_a                                          ns_b
#   dummy inner 10.0.1.1/24 fd00:1::1/64          dummy inner 10.0.2.1/24
#   |                                                   fd00:2::1/64
#   veth_a 192.0.2.1/24 2001:db8::1/64 ---- veth_b 192.0.2.2/24 2001:db8::2/64
#          (MTU 1400 on both ends)
#
#   tunnel 10.0.1.0/24 <-> 10.0.2.0/24 over 192.0.2.1 <-> 192.0.2.2,
#   fd00:1::/64 <-> fd00:2::/64 over 2001:db8::1 <-> 2001:db8::2.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping socat python3 timeout ss
[ -x "$IKECTL" ] || skip "$IKECTL not built"
require_module

A=ikesec-mtu-a-$ns_suffix
B=ikesec-mtu-b-$ns_suffix
mark=mtu-$$
MTU4=1346
MTU6=1326

cleanup() {
	dp_bed_cleanup
}
trap cleanup EXIT

ikectl() { local ns=$1; shift; ip netns exec "$ns" "$IKECTL" "$@"; }
hexkey() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# tunnel OUT_A OUT_B IN_A IN_B REQID_BASE SPI_BASE: both directions.
tunnel() {
	local a=$1 b=$2 pa=$3 pb=$4 r=$5 spi=$6 k1 k2
	k1=0x$(hexkey 20); k2=0x$(hexkey 20)
	ikectl "$A" sa add dir out spi $spi src $a dst $b enc aes-gcm $k1 \
		reqid $r &&
	ikectl "$B" sa add dir in spi $spi src $a dst $b enc aes-gcm $k1 \
		reqid $r &&
	ikectl "$B" sa add dir out spi $((spi + 1)) src $b dst $a \
		enc aes-gcm $k2 reqid $((r + 1)) &&
	ikectl "$A" sa add dir in spi $((spi + 1)) src $b dst $a \
		enc aes-gcm $k2 reqid $((r + 1)) &&
	ikectl "$A" policy add dir out src $pa dst $pb action protect \
		tmpl reqid $r mode tunnel src $a dst $b >/dev/null &&
	ikectl "$B" policy add dir in src $pa dst $pb action protect \
		tmpl reqid $r mode tunnel src $a dst $b >/dev/null &&
	ikectl "$B" policy add dir out src $pb dst $pa action protect \
		tmpl reqid $((r + 1)) mode tunnel src $b dst $a >/dev/null &&
	ikectl "$A" policy add dir in src $pb dst $pa action protect \
		tmpl reqid $((r + 1)) mode tunnel src $b dst $a >/dev/null
}


# too_big FAMILY DST SIZE MTU: a DF ping of SIZE bytes is refused with
# MTU, by ICMP first and by the learnt route after; out-mtu-drops moves.
too_big() {
	local fam=$1 dst=$2 size=$3 mtu=$4 d0 out
	d0=$(ikesec_stat "$A" out_mtu_drops)
	out=$(ip netns exec "$A" ping -$fam -M do -s "$size" -c 3 -i 0.3 -W 1 \
		"$dst" 2>&1)
	echo "$out" | grep -iE 'mtu|too' | sort -u | sed 's/^/# ping: /'
	echo "$out" | grep -qE "mtu ?= ?$mtu([^0-9]|$)" ||
		{ echo "# no MTU $mtu reported"; return 1; }
	[ "$(ikesec_stat "$A" out_mtu_drops)" -gt "$d0" ] ||
		{ echo "# out-mtu-drops did not move"; return 1; }
	ip -n "$A" -$fam route get "$dst" | grep -q "mtu $mtu" ||
		{ ip -n "$A" -$fam route get "$dst" | sed 's/^/# route: /'; return 1; }
}

fits() { # FAMILY DST SIZE
	ip netns exec "$A" ping -$1 -M do -s "$3" -c 2 -i 0.3 -W 2 "$2" \
		>/dev/null 2>&1
}

# tcp DST: 1 MiB A -> B arrives whole, the path MTU found on the way.
tcp() {
	local addr=$1 port=$((5000 + RANDOM % 1000)) out got pid
	out=$(mktemp)
	ip netns exec "$B" timeout 60 socat -u \
		TCP6-LISTEN:$port,ipv6only=0,reuseaddr - >"$out" 2>/dev/null &
	pid=$!
	wait_for 5 sh -c "ip netns exec $B ss -ltn | grep -q :$port" || return 1
	case $addr in *:*) addr="[$addr]" ;; esac
	head -c 1048576 /dev/urandom |
		ip netns exec "$A" timeout 60 socat -u - TCP:$addr:$port
	wait $pid
	got=$(stat -c %s "$out"); rm -f "$out"
	[ "$got" = 1048576 ] || { echo "# tcp: got $got bytes"; return 1; }
}

dp_bed -6 -m 1400 "$A" "$B" || exit 1
tunnel 192.0.2.1 192.0.2.2 10.0.1.0/24 10.0.2.0/24 1 0x5001 &&
tunnel 2001:db8::1 2001:db8::2 fd00:1::/64 fd00:2::/64 3 0x6001 ||
	{ echo "# tunnel setup failed"; exit 1; }
dmesg_mark "$mark"
ktap_plan 8

ktap_check "IPv4: tunnel works below the MTU" fits 4 10.0.2.1 56
# 1372 + 8 + 20 = 1400: fits the link, not the link less ESP.
ktap_check "IPv4: DF 1372-byte ping: frag needed, mtu $MTU4 (out-mtu-drops)" \
	too_big 4 10.0.2.1 1372 $MTU4
ktap_check "IPv4: DF ping of exactly $MTU4 bytes passes" \
	fits 4 10.0.2.1 $((MTU4 - 28))
# 1352 + 8 + 40 = 1400.
ktap_check "IPv6: 1352-byte ping: packet too big, mtu $MTU6 (out-mtu-drops)" \
	too_big 6 fd00:2::1 1352 $MTU6
ktap_check "IPv6: ping of exactly $MTU6 bytes passes" \
	fits 6 fd00:2::1 $((MTU6 - 48))

# Forget what ping taught the routes: TCP must learn it itself.
ip -n "$A" route flush cache
ip -n "$A" -6 route flush cache
d0=$(ikesec_stat "$A" out_mtu_drops)
ktap_check "IPv4: 1 MiB over TCP (path MTU learned)" tcp 10.0.2.1
ktap_check "IPv6: 1 MiB over TCP (path MTU learned)" tcp fd00:2::1
[ "$(ikesec_stat "$A" out_mtu_drops)" -gt "$d0" ] ||
	echo "# note: TCP never hit the MTU (out-mtu-drops $d0)"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
