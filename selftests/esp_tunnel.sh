#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ESP between two namespaces, ikesec on both sides: every cipher, tunnel
# mode with every inner/outer family mix, transport mode, ESN across the
# 2^32 boundary, ESP in UDP (RFC 3948) in both modes and families. Ping
# and a 1 MiB TCP transfer go through; the SAs count the packets.
#
#   ns_a                                          ns_b
#   dummy inner 10.0.1.1/24 fd00:1::1/64          dummy inner 10.0.2.1/24
#   |                                                   fd00:2::1/64
#   veth_a 192.0.2.1/24 2001:db8::1/64 ---- veth_b 192.0.2.2/24 2001:db8::2/64
#
#   tunnel: 10.0.1.0/24 <-> 10.0.2.0/24 (and fd00:1::/64 <-> fd00:2::/64)
#   over 192.0.2.1 <-> 192.0.2.2 or 2001:db8::1 <-> 2001:db8::2.
#   transport: 192.0.2.1 <-> 192.0.2.2 (2001:db8::1 <-> 2001:db8::2).
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip socat ping python3 timeout
[ -x "$IKECTL" ] || skip "$IKECTL not built"
require_module

A=ikesec-et-a-$ns_suffix
B=ikesec-et-b-$ns_suffix
mark=et-$$

cleanup() {
	dp_bed_cleanup
}
trap cleanup EXIT

hexkey() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

ikectl() { local ns=$1; shift; ip netns exec "$ns" "$IKECTL" "$@"; }

flush() {
	local ns
	for ns in "$A" "$B"; do
		ikectl "$ns" policy flush && ikectl "$ns" sa flush || return 1
	done
}

# sas MODE OUTER(4|6) "ENC..." [extra sa args...]: one SA pair per side,
# A->B SPI 0x1001, B->A SPI 0x1002, random keys.
sas() {
	local mode=$1 outer=$2 enc=$3 ka kb; shift 3
	local a=192.0.2.1 b=192.0.2.2
	[ "$outer" = 6 ] && a=2001:db8::1 b=2001:db8::2
	ka=$(eval "echo $enc"); kb=$(eval "echo $enc")
	ikectl "$A" sa add dir out spi 0x1001 src $a dst $b mode "$mode" \
		$ka reqid 1 "$@" &&
	ikectl "$B" sa add dir in spi 0x1001 src $a dst $b mode "$mode" \
		$ka reqid 1 "$@" &&
	ikectl "$B" sa add dir out spi 0x1002 src $b dst $a mode "$mode" \
		$kb reqid 2 "$@" &&
	ikectl "$A" sa add dir in spi 0x1002 src $b dst $a mode "$mode" \
		$kb reqid 2 "$@"
}

# pols MODE OUTER INNER(4|6): protect policies for the inner prefixes.
pols() {
	local mode=$1 outer=$2 inner=$3 ns d
	local a=192.0.2.1 b=192.0.2.2 pa=10.0.1.0/24 pb=10.0.2.0/24 ta tb
	[ "$outer" = 6 ] && a=2001:db8::1 b=2001:db8::2
	[ "$inner" = 6 ] && pa=fd00:1::/64 pb=fd00:2::/64
	if [ "$mode" = transport ]; then
		pa=$a; pb=$b; ta=; tb=
		# Neighbour discovery between the hosts stays in the clear.
		[ "$outer" = 6 ] && for ns in "$A" "$B"; do
			for d in in out; do
				ikectl "$ns" policy add dir $d src ::/0 dst ::/0 \
					proto ipv6-icmp sport 133-137 \
					action bypass >/dev/null || return 1
			done
		done
	else
		ta="src $a dst $b"; tb="src $b dst $a"
	fi
	ikectl "$A" policy add dir out src $pa dst $pb action protect priority 10 \
		tmpl reqid 1 mode "$mode" $ta >/dev/null &&
	ikectl "$A" policy add dir in src $pb dst $pa action protect priority 10 \
		tmpl reqid 2 mode "$mode" $tb >/dev/null &&
	ikectl "$B" policy add dir out src $pb dst $pa action protect priority 10 \
		tmpl reqid 2 mode "$mode" $tb >/dev/null &&
	ikectl "$B" policy add dir in src $pa dst $pb action protect priority 10 \
		tmpl reqid 1 mode "$mode" $ta >/dev/null
}


do_ping() { # FROM_NS DST
	ip netns exec "$1" ping -q -c 2 -i 0.3 -W 2 "$2" >/dev/null 2>&1 ||
	ip netns exec "$1" ping -q -c 2 -i 0.3 -W 2 "$2" >/dev/null 2>&1
}

# tcp SERVER_ADDR: 1 MiB from A to B arrives whole.
tcp() {
	local addr=$1 port=$((5000 + RANDOM % 1000)) out got
	out=$(mktemp)
	ip netns exec "$B" timeout 30 socat -u \
		TCP6-LISTEN:$port,ipv6only=0,reuseaddr - >"$out" 2>/dev/null &
	local pid=$!
	wait_for 5 sh -c "ip netns exec $B ss -ltn | grep -q :$port" || return 1
	case $addr in *:*) addr="[$addr]" ;; esac
	head -c 1048576 /dev/urandom |
		ip netns exec "$A" timeout 30 socat -u - TCP:$addr:$port
	wait $pid
	got=$(stat -c %s "$out"); rm -f "$out"
	[ "$got" = 1048576 ] || { echo "# tcp: got $got bytes"; return 1; }
}

# run NAME MODE OUTER INNER "ENC" TCP(0|1) [sa args]
run() {
	local name=$1 mode=$2 outer=$3 inner=$4 enc=$5 dotcp=$6 ok=1 dst
	shift 6
	flush && sas "$mode" "$outer" "$enc" "$@" &&
		pols "$mode" "$outer" "$inner" || ok=0
	dst=10.0.2.1
	[ "$inner" = 6 ] && dst=fd00:2::1
	if [ "$mode" = transport ]; then
		dst=192.0.2.2; [ "$outer" = 6 ] && dst=2001:db8::2
	fi
	[ $ok = 1 ] && { do_ping "$A" "$dst" || { echo "# $name: ping failed"; ok=0; }; }
	[ $ok = 1 ] && [ "$dotcp" = 1 ] && { tcp "$dst" || ok=0; }
	if [ $ok = 1 ] && [ "$(ikesec_sa_stat "$B" in 0x1001 packets)" -lt 2 ]; then
		echo "# $name: inbound SA counted $(ikesec_sa_stat "$B" in 0x1001 packets) packets"
		ok=0
	fi
	if [ $ok = 0 ]; then
		ikectl "$A" stats | sed 's/^/# A: /'
		ikectl "$B" stats | sed 's/^/# B: /'
	fi
	ktap_check "$name" test $ok = 1
}

GCM128='enc aes-gcm 0x$(hexkey 20)'
GCM256='enc aes-gcm 0x$(hexkey 36)'
CHACHA='enc chacha20-poly1305 0x$(hexkey 36)'
CBC256='enc aes-cbc 0x$(hexkey 16) auth hmac-sha256 0x$(hexkey 32)'
CBC1='enc aes-cbc 0x$(hexkey 32) auth hmac-sha1 0x$(hexkey 20)'

dp_bed -6 "$A" "$B" || exit 1
dmesg_mark "$mark"
ktap_plan 17
run "tunnel v4/v4 aes-gcm-128 ping+tcp" tunnel 4 4 "$GCM128" 1
run "tunnel v4/v4 aes-gcm-256 ping+tcp" tunnel 4 4 "$GCM256" 1
run "tunnel v4/v4 chacha20-poly1305 ping+tcp" tunnel 4 4 "$CHACHA" 1
run "tunnel v4/v4 aes-cbc hmac-sha256 ping+tcp" tunnel 4 4 "$CBC256" 1
run "tunnel v4/v4 aes-cbc hmac-sha1 ping+tcp" tunnel 4 4 "$CBC1" 1
run "tunnel v6/v6 aes-gcm-128 ping+tcp" tunnel 6 6 "$GCM128" 1
run "tunnel v6-in-v4 chacha20-poly1305 ping" tunnel 4 6 "$CHACHA" 0
run "tunnel v4-in-v6 aes-cbc hmac-sha256 ping" tunnel 6 4 "$CBC256" 0
run "transport v4 aes-gcm-128 ping+tcp" transport 4 4 "$GCM128" 1
run "transport v6 chacha20-poly1305 ping+tcp" transport 6 6 "$CHACHA" 1
run "tunnel v4 aes-gcm esn across 2^32" tunnel 4 4 "$GCM128" 1 \
	esn replay-window 128 seq 0xfffffff0
run "tunnel v4 aes-cbc hmac-sha1 esn across 2^32" tunnel 4 4 "$CBC1" 0 \
	esn seq 0xfffffffe
run "tunnel v4 esp-in-udp aes-gcm ping+tcp" tunnel 4 4 "$GCM128" 1 \
	encap 4500 4500
run "tunnel v6 esp-in-udp chacha20-poly1305 ping" tunnel 6 6 "$CHACHA" 0 \
	encap 4500 4500
# RFC 6935/6936: the receiving UDP socket drops a zero IPv6 checksum.
run "transport v6 esp-in-udp aes-gcm ping+tcp" transport 6 6 "$GCM128" 1 \
	encap 4500 4500

# Cleartext where a protect policy applies is dropped and counted.
flush && pols tunnel 4 4
before=$(ikesec_stat "$B" in_policy_drops)
ip -n "$A" route replace 10.0.2.0/24 via 192.0.2.2 src 10.0.1.1
ip netns exec "$A" "$IKECTL" policy flush
ip netns exec "$A" ping -q -c 1 -W 1 10.0.2.1 >/dev/null 2>&1
after=$(ikesec_stat "$B" in_policy_drops)
ktap_check "cleartext under a protect policy dropped (IN_POLICY_DROPS)" \
	test "$after" -gt "$before"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
