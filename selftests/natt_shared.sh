#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ESP in UDP on the IKE daemon's own UDP 4500 socket (RFC 3948,
# IKESEC_CMD_ENCAP_ATTACH): encap_attach plays the daemon. It binds 4500,
# hands the socket to ikesec and prints what still reaches userspace. The
# peer is the kernel's XFRM with `encap espinudp 4500 4500'.
#
#   ns_i (ikesec, encap_attach on 4500)         ns_x (XFRM, esp4/esp6)
#   dummy inner 10.0.1.1/24 fd00:1::1/64        dummy inner 10.0.2.1/24
#   |                                                 fd00:2::1/64
#   veth_a 192.0.2.1/24 2001:db8::1/64 ---- veth_b 192.0.2.2/24 2001:db8::2/64
#
# SPI 0x2001: ikesec -> XFRM, 0x2002: XFRM -> ikesec (IPv4 outer);
# 0x6001/0x6002 the same over IPv6.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping socat ss python3 timeout
[ -x "$IKECTL" ] || skip "$IKECTL not built"
HERE=$(cd "$(dirname "$0")" && pwd)
ATTACH=$HERE/encap_attach
EVENTS=$HERE/ikesec_events
ENCAP_SOCK=$HERE/udp_encap_sock
for f in "$ATTACH" "$EVENTS" "$ENCAP_SOCK"; do
	[ -x "$f" ] || skip "$f not built"
done
modprobe -q esp4 && modprobe -q esp6 && modprobe -q xfrm_user ||
	skip "no esp4/esp6/xfrm_user modules"
require_module

I=ikesec-ns-i-$ns_suffix
X=ikesec-ns-x-$ns_suffix
mark=ns-$$
tmp=$(mktemp -d)
pids=
declare -A pid key

cleanup() {
	local p
	for p in $pids; do kill "$p" 2>/dev/null; done
	dp_bed_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT

hexkey() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
ikectl() { ip netns exec "$I" "$IKECTL" "$@"; }
xfrm() { ip -n "$X" xfrm "$@"; }
sa_packets() { ikesec_sa_stat "$I" "$1" "$2" packets; } # DIR SPI

# daemon NS NAME ARGS...: encap_attach -s in the background, its output
# in $tmp/NAME; waits for the attach.
daemon() {
	local ns=$1 name=$2; shift 2
	ip netns exec "$ns" "$ATTACH" -s "$@" >"$tmp/$name" 2>&1 &
	pids="$pids $!"
	pid[$name]=$!
	wait_for 5 grep -q -E '^(attached|refused|bind)' "$tmp/$name"
	grep -q '^attached' "$tmp/$name"
}

# udp_send NS SRC DST PRINTF-FORMAT: one datagram to port 4500.
udp_send() {
	local src=$2 dst=$3
	case $dst in *:*) src="[$src]" dst="[$dst]" ;; esac
	# shellcheck disable=SC2059
	printf "$4" | ip netns exec "$1" socat -u - UDP-SENDTO:$dst:4500,bind=$src
}

setup() {
	dp_bed -6 "$I" "$X" || exit 1
	# XFRM's side of ESP in UDP needs a UDP_ENCAP socket on 4500, too.
	ip netns exec "$X" "$ENCAP_SOCK" 4500 & pids="$pids $!"
	ip netns exec "$X" "$ENCAP_SOCK" -6 4500 & pids="$pids $!"
}

# tunnel 4|6: an AES-GCM tunnel in ESP in UDP 4500 <-> 4500, inner traffic
# of the same family.
tunnel() {
	local v=$1 a=192.0.2.1 b=192.0.2.2 pa=10.0.1.0/24 pb=10.0.2.0/24
	local oa=0.0.0.0 so=0x2001 si=0x2002 k1 k2
	[ "$v" = 6 ] && a=2001:db8::1 b=2001:db8::2 pa=fd00:1::/64 \
		pb=fd00:2::/64 oa=:: so=0x6001 si=0x6002
	k1=$(hexkey 20); k2=$(hexkey 20)
	key[in$v]=$k2
	ikectl sa add dir out spi $so src $a dst $b enc aes-gcm 0x$k1 \
		reqid ${v}1 encap 4500 4500 &&
	ikectl sa add dir in spi $si src $b dst $a enc aes-gcm 0x$k2 \
		reqid ${v}2 encap 4500 4500 &&
	ikectl policy add dir out src $pa dst $pb action protect priority 10 \
		tmpl reqid ${v}1 mode tunnel src $a dst $b >/dev/null &&
	ikectl policy add dir in src $pb dst $pa action protect priority 10 \
		tmpl reqid ${v}2 mode tunnel src $b dst $a >/dev/null &&
	xfrm state add src $a dst $b proto esp spi $so reqid ${v}1 mode tunnel \
		aead 'rfc4106(gcm(aes))' 0x$k1 128 encap espinudp 4500 4500 $oa &&
	xfrm state add src $b dst $a proto esp spi $si reqid ${v}2 mode tunnel \
		aead 'rfc4106(gcm(aes))' 0x$k2 128 encap espinudp 4500 4500 $oa &&
	xfrm policy add src $pb dst $pa dir out tmpl src $b dst $a proto esp \
		reqid ${v}2 mode tunnel &&
	xfrm policy add src $pa dst $pb dir in tmpl src $a dst $b proto esp \
		reqid ${v}1 mode tunnel
}

do_ping() { # FROM_NS DST
	ip netns exec "$1" ping -q -c 2 -i 0.3 -W 2 "$2" >/dev/null 2>&1 ||
	ip netns exec "$1" ping -q -c 2 -i 0.3 -W 2 "$2" >/dev/null 2>&1
}

# tcp FROM_NS TO_NS SERVER_ADDR: 256 KiB arrive whole (TCG is slow).
tcp() {
	local from=$1 to=$2 addr=$3 port=$((5000 + RANDOM % 1000)) out got
	out=$tmp/tcp.out
	ip netns exec "$to" timeout 60 socat -u \
		TCP6-LISTEN:$port,ipv6only=0,reuseaddr - >"$out" 2>/dev/null &
	local spid=$!
	wait_for 5 sh -c "ip netns exec $to ss -ltn | grep -q :$port" || return 1
	case $addr in *:*) addr="[$addr]" ;; esac
	head -c 262144 /dev/urandom |
		ip netns exec "$from" timeout 60 socat -u - TCP:$addr:$port
	wait $spid
	got=$(stat -c %s "$out")
	[ "$got" = 262144 ] || { echo "# tcp $from -> $to: got $got bytes"; return 1; }
}

# datapath 4|6: ping and TCP both ways, the SAs count.
datapath() {
	local v=$1 l=10.0.1.1 r=10.0.2.1 so=0x2001 si=0x2002 ok=1
	[ "$v" = 6 ] && l=fd00:1::1 r=fd00:2::1 so=0x6001 si=0x6002
	do_ping "$I" $r && do_ping "$X" $l
	ktap_check "IPv$v: ping both ways through the attached socket" test $? = 0
	tcp "$I" "$X" $r && tcp "$X" "$I" $l
	ktap_check "IPv$v: 256 KiB TCP both ways" test $? = 0
	[ "$(sa_packets out $so)" -gt 20 ] || ok=0
	[ "$(sa_packets in $si)" -gt 20 ] || ok=0
	[ $ok = 1 ] || echo "# SA packets: out $(sa_packets out $so), in $(sa_packets in $si)"
	ktap_check "IPv$v: the SAs count the packets" test $ok = 1
}

setup
dmesg_mark "$mark"
ktap_plan 17

daemon "$I" d4 4500
ktap_check "attach the daemon's IPv4 UDP 4500 socket" test $? = 0
daemon "$I" d6 -6 4500
ktap_check "attach the daemon's IPv6 UDP 4500 socket" test $? = 0
tunnel 4 && tunnel 6
ktap_check "SAs and policies with ESP in UDP 4500 <-> 4500" test $? = 0
n=$(ip netns exec "$I" ss -uanH 'sport = :4500' | wc -l)
ktap_check "the module opened no socket of its own on 4500 ($n sockets)" \
	test "$n" = 2
datapath 4
datapath 6

udp_send "$X" 192.0.2.2 192.0.2.1 '\0\0\0\0hello-ike-v4'
wait_for 3 grep -q '^ike 12 hello-ike-v4$' "$tmp/d4"
ktap_check "IPv4 IKE datagram (non-ESP marker) read intact by the daemon" \
	test $? = 0
udp_send "$X" 2001:db8::2 2001:db8::1 '\0\0\0\0hello-ike-v6'
wait_for 3 grep -q '^ike 12 hello-ike-v6$' "$tmp/d6"
ktap_check "IPv6 IKE datagram (non-ESP marker) read intact by the daemon" \
	test $? = 0

drops=$(ikesec_stat "$I" in_natt_drops)
udp_send "$X" 192.0.2.2 192.0.2.1 '\377'
udp_send "$X" 2001:db8::2 2001:db8::1 '\377'
# An IKE datagram after the keepalives: once it is read, they were handled.
udp_send "$X" 192.0.2.2 192.0.2.1 '\0\0\0\0after-keepalive'
udp_send "$X" 2001:db8::2 2001:db8::1 '\0\0\0\0after-keepalive'
wait_for 3 grep -q 'after-keepalive' "$tmp/d4" &&
	wait_for 3 grep -q 'after-keepalive' "$tmp/d6"
ok=$?
grep -q '^other' "$tmp/d4" "$tmp/d6" && ok=1
[ "$(ikesec_stat "$I" in_natt_drops)" = "$drops" ] || ok=1
ktap_check "NAT keepalives neither delivered nor counted as garbage" test $ok = 0

udp_send "$X" 192.0.2.2 192.0.2.1 '\1\2\3'
udp_send "$X" 2001:db8::2 2001:db8::1 '\1\2\3\4\5'
wait_for 3 test "$(ikesec_stat "$I" in_natt_drops)" = $((drops + 2))
ok=$?
grep -q '^other' "$tmp/d4" "$tmp/d6" && ok=1
ktap_check "garbage counted in in-natt-drops ($drops -> $(ikesec_stat "$I" in_natt_drops)), not delivered" \
	test $ok = 0

# A MAPPING event when XFRM's packets come from another port.
ip netns exec "$I" "$EVENTS" 10 >"$tmp/events" & pids="$pids $!"
wait_for 5 grep -q listening "$tmp/events"
xfrm state update src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x2002 reqid 42 \
	mode tunnel aead 'rfc4106(gcm(aes))' 0x${key[in4]} 128 \
	encap espinudp 4501 4500 0.0.0.0
do_ping "$X" 10.0.1.1
wait_for 5 grep -q 'mapping spi 0x00002002 port 4501' "$tmp/events"
ktap_check "MAPPING event for a new peer port on the attached socket" test $? = 0

# Closing detaches: the port is free for the module's own socket.
kill "${pid[d4]}"; wait "${pid[d4]}" 2>/dev/null
wait_for 5 sh -c "! ip netns exec $I ss -uanH 'sport = :4500' | grep -q 0.0.0.0"
ikectl sa add dir in spi 0x2004 src 192.0.2.2 dst 192.0.2.1 \
	enc aes-gcm "0x$(hexkey 20)" encap 4500 4500 &&
	do_ping "$X" 10.0.1.1
ktap_check "after close, an SA on 4500 gets the module's own socket; ping passes" \
	test $? = 0

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
