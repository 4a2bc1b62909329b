#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IKESEC_CMD_ENCAP_ATTACH without traffic: what it refuses (each with its
# errno and an extack message), that closing the socket detaches it, and
# that the module unloads cleanly while processes still hold attached
# sockets, which are then plain UDP sockets again. natt_shared.sh has the
# datapath.
#
#   ns_a   attached sockets, refusals, an SA with its own socket on 4800
#   ns_k   an attached socket held across rmmod
#   ns_d   another one, whose netns is deleted (the socket keeps it) first
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip socat ss timeout
[ -x "$IKECTL" ] || skip "$IKECTL not built"
ATTACH=$(cd "$(dirname "$0")" && pwd)/encap_attach
[ -x "$ATTACH" ] || skip "$ATTACH not built"
require_module

A=ikesec-na-a-$ns_suffix
K=ikesec-na-k-$ns_suffix
D=ikesec-na-d-$ns_suffix
mark=na-$$
tmp=$(mktemp -d)
pids=
declare -A pid

cleanup() {
	local p ns
	for p in $pids; do kill "$p" 2>/dev/null; done
	for ns in "$A" "$K" "$D"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$tmp"
	[ -d /sys/module/ikesec ] || ikesec_insmod 2>/dev/null
}
trap cleanup EXIT

hexkey() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
ikectl() { ip netns exec "$A" "$IKECTL" "$@"; }

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

# refused NAME ERRNO ARGS...: encap_attach ARGS is refused with ERRNO and
# an extack message.
refused() {
	local name=$1 errno=$2 out; shift 2
	out=$(ip netns exec "$A" "$ATTACH" "$@" 2>&1)
	if echo "$out" | grep -q -E "^refused $errno: ikesec: .+"; then
		ktap_ok "refused: $name"
	else
		echo "# encap_attach $*: $out"
		ktap_not_ok "refused: $name"
	fi
}

# own4 PORT: the socket on 0.0.0.0:PORT is held by no process (ours).
own4() {
	local l
	l=$(ip netns exec "$A" ss -uanpH "sport = :$1")
	echo "$l" | grep -q "0\.0\.0\.0:$1 " && ! echo "$l" | grep -q users:
}

# udp_send NS SRC DST PRINTF-FORMAT: one datagram to port 4500.
udp_send() {
	# shellcheck disable=SC2059
	printf "$4" | ip netns exec "$1" socat -u - UDP-SENDTO:$3:4500,bind=$2
}

for ns in "$A" "$K" "$D"; do
	ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1
done
dmesg_mark "$mark"
ktap_plan 18

refused "fd not open (EBADF)" EBADF -k badfd 4600
refused "not a socket (ENOTSOCK)" ENOTSOCK -k file 4600
refused "TCP socket (EPROTONOSUPPORT)" EPROTONOSUPPORT -k tcp 4600
refused "unbound UDP socket (EINVAL)" EINVAL -n 4600
refused "socket with XFRM's UDP_ENCAP (EBUSY)" EBUSY -E 4600
out=$(ip netns exec "$A" "$ATTACH" -2 4600 2>&1)
echo "$out" | grep -q -E '^refused EADDRINUSE: ikesec: .+'
ktap_check "refused: the same socket twice (EADDRINUSE)" test $? = 0
daemon "$A" r1 -R 4700
refused "another socket on an attached port (EADDRINUSE)" EADDRINUSE -R 4700
# The module's own socket holds 4800: the kernel refuses the bind already.
ikectl sa add dir in spi 0x2003 src 192.0.2.2 dst 192.0.2.1 \
	enc aes-gcm "0x$(hexkey 20)" encap 4800 4800 && own4 4800 ||
	echo "# no socket of the module's own on 4800"
out=$(ip netns exec "$A" "$ATTACH" 4800 2>&1)
echo "$out" | grep -q -E '^(bind|refused) EADDRINUSE'
ktap_check "refused: a port the module's own socket serves (EADDRINUSE)" \
	test $? = 0

# Closing detaches: the port is free again.
kill "${pid[r1]}"; wait "${pid[r1]}" 2>/dev/null
daemon "$A" r2 4700
ktap_check "after close, the port can be attached again" test $? = 0
daemon "$A" c 4500
kill "${pid[c]}"; wait "${pid[c]}" 2>/dev/null
ikectl sa add dir in spi 0x2004 src 192.0.2.2 dst 192.0.2.1 \
	enc aes-gcm "0x$(hexkey 20)" encap 4500 4500 && own4 4500
ktap_check "after close, an SA on that port gets the module's own socket" \
	test $? = 0

# An IPv6 socket without IPV6_V6ONLY takes IPv4 too: it serves IPv4 SAs.
daemon "$A" dual -D 5000
ikectl sa add dir in spi 0x2006 src 192.0.2.2 dst 192.0.2.1 \
	enc aes-gcm "0x$(hexkey 20)" encap 5000 5000 &&
	test "$(ip netns exec "$A" ss -uanH 'sport = :5000' | wc -l)" = 1
ktap_check "a dual-stack IPv6 socket serves IPv4 SAs (no socket of our own)" \
	test $? = 0

# A daemon that resets UDP_ENCAP takes its socket back; once it is closed
# the port must not count as served (no close hook runs for it).
daemon "$A" z -Z 4900
kill "${pid[z]}"; wait "${pid[z]}" 2>/dev/null
ikectl sa add dir in spi 0x2005 src 192.0.2.2 dst 192.0.2.1 \
	enc aes-gcm "0x$(hexkey 20)" encap 4900 4900 && own4 4900
ktap_check "UDP_ENCAP reset, then closed: an SA on that port gets the module's own socket" \
	test $? = 0

# rmmod with attached sockets still open: in ns_a (4700, 5000), in ns_k,
# and in ns_d, whose name is gone (the socket keeps the netns).
daemon "$K" k 4500 && daemon "$D" d 4500
ktap_check "attach in two more namespaces" test $? = 0
ip netns del "$D"
rmmod ikesec
ktap_check "rmmod with attached sockets open" test ! -d /sys/module/ikesec
alive=1
for p in ${pid[r2]} ${pid[dual]} ${pid[k]} ${pid[d]}; do kill -0 "$p" || alive=0; done
udp_send "$K" 127.0.0.1 127.0.0.1 '\1\2\3\4\5\6\7\10\11\12'
wait_for 3 grep -q '^other 10 0102030405060708090a$' "$tmp/k"
ktap_check "after rmmod the sockets are plain UDP sockets of their processes" \
	test $? = 0 -a $alive = 1
left=$(grep -c '^ikesec' /proc/slabinfo)
ktap_check "slab caches destroyed ($left left)" test "$left" = 0
for p in $pids; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
pids=
declare -A pid
ikesec_insmod
ktap_check "the module loads again" test -d /sys/module/ikesec

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
