#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Decrypted packets go through GRO when the device they came in on has it
# on: a 4 MiB TCP transfer through the tunnel arrives whole, and the
# receiving side sees inner TCP packets larger than the link MTU (merged
# segments) on its veth. With GRO on, cleartext under the protect policy
# is still dropped and counted (GRO must not make it pass as decrypted),
# in tunnel and transport mode. With GRO off (veth's default) nothing is
# merged and the transfer still arrives.
#
#   ns_a                                   ns_b
#   dummy inner 10.0.1.1/24                dummy inner 10.0.2.1/24
#   veth_a 192.0.2.1/24 ------------------ veth_b 192.0.2.2/24 (GRO on)
#
#   tunnel 10.0.1.0/24 <-> 10.0.2.0/24 over 192.0.2.1 <-> 192.0.2.2, or
#   transport 192.0.2.1 <-> 192.0.2.2; AES-GCM-128.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip socat ping python3 timeout tcpdump ethtool
[ -x "$IKECTL" ] || skip "$IKECTL not built"
require_module

A=ikesec-gro-a-$ns_suffix
B=ikesec-gro-b-$ns_suffix
mark=gro-$$
cap=$(mktemp)

cleanup() {
	dp_bed_cleanup
	rm -f "$cap"
}
trap cleanup EXIT

hexkey() { od -An -tx1 -N20 /dev/urandom | tr -d ' \n'; }
ikectl() { local ns=$1; shift; ip netns exec "$ns" "$IKECTL" "$@"; }

# tunnel_on MODE: SAs and protect policies both ways.
tunnel_on() {
	local mode=$1 ka kb pa=10.0.1.0/24 pb=10.0.2.0/24 ta tb ns
	ka="enc aes-gcm 0x$(hexkey)" kb="enc aes-gcm 0x$(hexkey)"
	ta="src 192.0.2.1 dst 192.0.2.2" tb="src 192.0.2.2 dst 192.0.2.1"
	if [ "$mode" = transport ]; then
		pa=192.0.2.1/32 pb=192.0.2.2/32 ta='' tb=''
	fi
	for ns in "$A" "$B"; do
		ikectl "$ns" policy flush && ikectl "$ns" sa flush || return 1
	done
	ikectl "$A" sa add dir out spi 0x1001 src 192.0.2.1 dst 192.0.2.2 \
		mode "$mode" $ka reqid 1 &&
	ikectl "$B" sa add dir in spi 0x1001 src 192.0.2.1 dst 192.0.2.2 \
		mode "$mode" $ka reqid 1 &&
	ikectl "$B" sa add dir out spi 0x1002 src 192.0.2.2 dst 192.0.2.1 \
		mode "$mode" $kb reqid 2 &&
	ikectl "$A" sa add dir in spi 0x1002 src 192.0.2.2 dst 192.0.2.1 \
		mode "$mode" $kb reqid 2 &&
	ikectl "$A" policy add dir out src $pa dst $pb proto tcp action protect \
		tmpl reqid 1 mode "$mode" $ta >/dev/null &&
	ikectl "$A" policy add dir in src $pb dst $pa proto tcp action protect \
		tmpl reqid 2 mode "$mode" $tb >/dev/null &&
	ikectl "$B" policy add dir out src $pb dst $pa proto tcp action protect \
		tmpl reqid 2 mode "$mode" $tb >/dev/null &&
	ikectl "$B" policy add dir in src $pa dst $pb proto tcp action protect \
		tmpl reqid 1 mode "$mode" $ta >/dev/null
}

# transfer DST: 4 MiB of TCP from A to B while B captures the inner TCP
# packets on veth_b; prints "<bytes received> <largest inner IP length>".
transfer() {
	local dst=$1 port=$((5000 + RANDOM % 1000)) out got big tpid
	out=$(mktemp)
	ip netns exec "$B" timeout 60 socat -u TCP-LISTEN:$port,reuseaddr - \
		>"$out" 2>/dev/null &
	local pid=$!
	wait_for 5 sh -c "ip netns exec $B ss -ltn | grep -q :$port" || return 1
	ip netns exec "$B" timeout 60 tcpdump -i veth_b -nn -c 300 -v \
		"tcp and dst port $port" >"$cap" 2>/dev/null &
	tpid=$!
	sleep 1
	head -c 4194304 /dev/urandom |
		ip netns exec "$A" timeout 60 socat -u - TCP:$dst:$port
	wait $pid
	kill "$tpid" 2>/dev/null; wait "$tpid" 2>/dev/null
	got=$(stat -c %s "$out"); rm -f "$out"
	big=$(grep -o 'length [0-9]*)' "$cap" | tr -dc '0-9\n' | sort -n | tail -1)
	echo "$got ${big:-0}"
}

in_policy_drops() { ikesec_stat "$1" in_policy_drops; }

# cleartext_dropped MODE: TCP SYNs from A to B without the tunnel (A's
# policies gone) are dropped by B's protect policy while GRO is on.
cleartext_dropped() {
	local dst=10.0.2.1 before after
	[ "$1" = transport ] && dst=192.0.2.2
	before=$(in_policy_drops "$B")
	ikectl "$A" policy flush
	ip netns exec "$A" timeout 3 socat -u - TCP:$dst:7,connect-timeout=2 \
		</dev/null 2>/dev/null
	after=$(in_policy_drops "$B")
	echo "# $1: in_policy_drops $before -> $after"
	[ "$after" -gt "$before" ]
}

dp_bed "$A" "$B" || exit 1
dmesg_mark "$mark"
ktap_plan 8
mtu=$(ip -n "$B" -o link show veth_b | sed -n 's/.* mtu \([0-9]*\).*/\1/p')

ip netns exec "$B" ethtool -K veth_b gro on >/dev/null 2>&1 ||
	skip "cannot turn GRO on for veth"
for mode in tunnel transport; do
	dst=10.0.2.1
	[ $mode = transport ] && dst=192.0.2.2
	ok=1
	tunnel_on $mode || ok=0
	res=$( [ $ok = 1 ] && transfer $dst)
	set -- $res
	echo "# $mode, GRO on: received ${1:-0} bytes, largest inner packet ${2:-0} (MTU $mtu)"
	ktap_check "$mode GRO on: 4 MiB TCP arrives whole" test "${1:-0}" = 4194304
	ktap_check "$mode GRO on: inner packets merged beyond the MTU" \
		test "${2:-0}" -gt "$mtu"
	ktap_check "$mode GRO on: cleartext under protect still dropped" \
		cleartext_dropped $mode
done

ip netns exec "$B" ethtool -K veth_b gro off >/dev/null 2>&1
ok=1
tunnel_on tunnel || ok=0
res=$( [ $ok = 1 ] && transfer 10.0.2.1)
set -- $res
echo "# tunnel, GRO off: received ${1:-0} bytes, largest inner packet ${2:-0}"
ktap_check "tunnel GRO off: 4 MiB arrives, nothing merged" \
	test "${1:-0}" = 4194304 -a "${2:-0}" -le "$mtu"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
