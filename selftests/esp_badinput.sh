#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed and hostile ESP at an ikesec receiver: truncated, wrong ICV,
# unknown SPI, bad padding, impossible next header (forged with the right
# key, so they pass the ICV), random junk, garbage and keepalives on the
# NAT-T port. Each is dropped and counted in its own counter; no kernel
# warning; the module unloads afterwards.
#
#   ns_a: dummy 10.0.1.1/24, SA out 0x3101 --- ns_b: dummy 10.0.2.1/24,
#   veth_a 192.0.2.1/24 ---------------------- veth_b 192.0.2.2/24
#   (frames forged or replayed from ns_a)      SA in 0x3101, 0x3102 (UDP 4500)
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping tcpdump python3 timeout
[ -x "$IKECTL" ] || skip "$IKECTL not built"
python3 -S -c 'import cryptography' 2>/dev/null || skip "python3-cryptography missing"
require_module

A=ikesec-bi-a-$ns_suffix
B=ikesec-bi-b-$ns_suffix
PKT=$(dirname "$0")/esp_pkt.py
pcap=$(mktemp --suffix=.pcap)
mark=bi-$$
KEY=0x$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')

cleanup() {
	dp_bed_cleanup
	rm -f "$pcap"
	[ -d /sys/module/ikesec ] || ikesec_insmod 2>/dev/null
}
trap cleanup EXIT

ikectl() { local ns=$1; shift; ip netns exec "$ns" "$IKECTL" "$@"; }

setup() {
	dp_bed "$A" "$B" || exit 1
	# B only receives here: it never had a route back to A's inner net.
	ip -n "$B" route del 10.0.1.0/24
	ikectl "$A" sa add dir out spi 0x3101 src 192.0.2.1 dst 192.0.2.2 \
		enc aes-gcm $KEY reqid 1 &&
	ikectl "$A" policy add dir out src 10.0.1.0/24 dst 10.0.2.0/24 \
		action protect tmpl reqid 1 mode tunnel \
		src 192.0.2.1 dst 192.0.2.2 >/dev/null &&
	ikectl "$B" sa add dir in spi 0x3101 src 192.0.2.1 dst 192.0.2.2 \
		enc aes-gcm $KEY reqid 1 replay-window 64 &&
	ikectl "$B" sa add dir in spi 0x3102 src 192.0.2.1 dst 192.0.2.2 \
		enc aes-gcm $KEY reqid 1 encap 4500 4500 || exit 1
}

# counted NAME COUNTER CMD...: CMD makes B's COUNTER move.
counted() {
	local name=$1 key=$2 before; shift 2
	before=$(ikesec_stat "$B" "$key")
	"$@"
	if wait_for 2 test "$(ikesec_stat "$B" "$key")" -gt "$before"; then
		ktap_ok "$name"
	else
		echo "# $key stayed at $before"
		ktap_not_ok "$name"
	fi
}

send() { ip netns exec "$A" python3 -S "$PKT" send veth_a "$pcap" "$@"; }
forge() { # SEQ [how]
	ip netns exec "$A" python3 -S "$PKT" forge veth_a "$mac" 192.0.2.1 \
		192.0.2.2 0x3101 "$1" "$KEY" $2
}
udp() { # PAYLOAD-AS-PYTHON-BYTES
	ip netns exec "$A" python3 -S -c "import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('192.0.2.1', 4500)); s.sendto($1, ('192.0.2.2', 4500))"
}
junk() { # N random packets on SPI 0x3101
	ip netns exec "$A" python3 -S -c "import os, socket, struct, sys
sys.path.insert(0, '$(dirname "$PKT")'); import esp_pkt
mac = bytes.fromhex('$mac'.replace(':', ''))
for i in range($1):
    body = struct.pack('!II', 0x3101, 1000 + i) + os.urandom(i % 97)
    esp_pkt.send('veth_a', mac + b'\x02\0\0\0\0\1\x08\0' +
                 esp_pkt.ipv4('192.0.2.1', '192.0.2.2', 50, body))"
}

setup
mac=$(ip netns exec "$B" cat /sys/class/net/veth_b/address)
dmesg_mark "$mark"
ktap_plan 13

ip netns exec "$B" tcpdump -U -n -i veth_b -w "$pcap" esp 2>/dev/null &
pid=$!
wait_for 5 test -s "$pcap"
ip netns exec "$A" ping -q -c 3 -i 0.1 -w 3 10.0.2.1 >/dev/null 2>&1
sleep 0.5
kill $pid; wait $pid 2>/dev/null

counted "truncated ESP: in-hdr-errors" in_hdr_errors send 1:trunc
counted "wrong ICV (fresh sequence number): in-auth-fails" in_auth_fails \
	forge 99 badicv
counted "captured packet resent with a flipped ICV: in-replay first" \
	in_replay send 2:icv
counted "unknown SPI: in-no-sa" in_no_sa send 3:spi=0xdead
counted "bad padding (valid ICV): in-pad-errors" in_pad_errors forge 100 badpad
counted "next header 17 in tunnel mode: in-pad-errors" in_pad_errors \
	forge 101 badnh
counted "forged valid packet accepted: in-packets" in_packets forge 102
counted "500 junk packets: in-auth-fails or in-hdr-errors" in_auth_fails \
	junk 500
counted "garbage on UDP 4500: in-natt-drops" in_natt_drops udp "b'abc'"
before=$(ikesec_stat "$B" in_natt_drops)
udp "b'\\xff'"
udp "b'\\0\\0\\0\\0ike'"
sleep 0.3
ktap_check "keepalive and IKE on UDP 4500 not counted as garbage" \
	test "$(ikesec_stat "$B" in_natt_drops)" = "$before"
counted "ESP in UDP with unknown SPI: in-no-sa" in_no_sa \
	udp "b'\\0\\0\\xde\\xad' + bytes(40)"

ip netns del "$A"; ip netns del "$B"
ktap_check "module unloads" rmmod ikesec
bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
