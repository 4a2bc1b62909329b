#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Anti-replay (RFC 4303 3.4.3, RFC 4304): ESP packets captured while the
# receiver had no SA are replayed in a chosen order once it has one: new
# and out-of-order packets inside the window pass, duplicates and packets
# older than the window are dropped and counted (SA replay-drops, netns
# in-replay), also across the 2^32 boundary with ESN. A sender without ESN
# stops at 2^32 - 1 (out-seq-overflow). A window of 0 turns anti-replay
# off (duplicates pass); the largest window, 4096, keeps a packet 4000
# behind the top and drops one 4100 behind. With the debug build loaded,
# the in-module window self-test has run at load.
#
#   ns_a: dummy 10.0.1.1/24, SA out 0x3001 --- ns_b: dummy 10.0.2.1/24
#   veth_a 192.0.2.1/24 ---------------------- veth_b 192.0.2.2/24
#                                              tcpdump -w, then the
#                                              frames resent from ns_a
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping tcpdump python3 timeout
[ -x "$IKECTL" ] || skip "$IKECTL not built"
python3 -S -c 'import socket; socket.AF_PACKET' 2>/dev/null || skip "python3 without AF_PACKET"
require_module

A=ikesec-rp-a-$ns_suffix
B=ikesec-rp-b-$ns_suffix
PKT=$(dirname "$0")/esp_pkt.py
pcap=$(mktemp --suffix=.pcap)
mark=rp-$$
KEY=0x$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')

cleanup() {
	dp_bed_cleanup
	rm -f "$pcap"
}
trap cleanup EXIT

ikectl() { local ns=$1; shift; ip netns exec "$ns" "$IKECTL" "$@"; }

# sender SEQ [esn]: A's SA and policy, B's policy; no SA on B yet.
sender() {
	ikectl "$A" policy flush; ikectl "$A" sa flush
	ikectl "$B" policy flush; ikectl "$B" sa flush
	ikectl "$A" sa add dir out spi 0x3001 src 192.0.2.1 dst 192.0.2.2 \
		enc aes-gcm $KEY reqid 1 seq "$1" $2 &&
	ikectl "$A" policy add dir out src 10.0.1.0/24 dst 10.0.2.0/24 \
		action protect tmpl reqid 1 mode tunnel \
		src 192.0.2.1 dst 192.0.2.2 >/dev/null
}

window=32
receiver() { # SEQ [esn]; replay window $window
	ikectl "$B" sa add dir in spi 0x3001 src 192.0.2.1 dst 192.0.2.2 \
		enc aes-gcm $KEY reqid 1 replay-window $window seq "$1" $2 &&
	ikectl "$B" policy add dir in src 10.0.1.0/24 dst 10.0.2.0/24 \
		action protect tmpl reqid 1 mode tunnel \
		src 192.0.2.1 dst 192.0.2.2 >/dev/null
}

nframes() {
	python3 -S -c 'import sys; sys.path.insert(0, sys.argv[1]); import esp_pkt
print(sum(1 for f in esp_pkt.frames(sys.argv[2]) if esp_pkt.esp_offset(f)))' \
		"$(dirname "$PKT")" "$pcap" 2>/dev/null || echo 0
}

# capture N: N pings from A, caught on B's veth while B has no SA.
capture() {
	local n=$1 pid
	rm -f "$pcap"	# so that waiting for a non-empty file means capturing
	ip netns exec "$B" tcpdump -U -n -i veth_b -w "$pcap" esp 2>/dev/null &
	pid=$!
	wait_for 5 test -s "$pcap"
	ip netns exec "$A" ping -q -c "$n" -i 0.02 -w 5 10.0.2.1 >/dev/null 2>&1
	wait_for 5 test "$(nframes)" -ge "$n"
	kill $pid; wait $pid 2>/dev/null
	test "$(nframes)" -ge "$n"
}

# capture_from BASE...: two pings from each sequence number BASE on (A's
# SA re-added each time), into one capture: BASE + 1, BASE + 2, ...
capture_from() {
	local base pid n=0
	rm -f "$pcap"
	ip netns exec "$B" tcpdump -U -n -i veth_b -w "$pcap" esp 2>/dev/null &
	pid=$!
	wait_for 5 test -s "$pcap"
	for base in "$@"; do
		sender "$base" || break
		ip netns exec "$A" ping -q -c 2 -i 0.02 -w 5 10.0.2.1 \
			>/dev/null 2>&1
		n=$((n + 2))
	done
	wait_for 5 test "$(nframes)" -ge "$n"
	kill $pid; wait $pid 2>/dev/null
	test "$(nframes)" -ge $(($# * 2))
}

# inject SEQ EXPECT(pass|drop): resend one frame, check B's counters.
inject() {
	local p0 r0 n0 p1 r1 n1
	p0=$(ikesec_sa_stat "$B" in 0x3001 packets)
	r0=$(ikesec_sa_stat "$B" in 0x3001 replay_drops)
	n0=$(ikesec_stat "$B" in_replay)
	if [ "$2" = auth ]; then
		r0=$(ikesec_sa_stat "$B" in 0x3001 auth_fails)
		ip netns exec "$A" python3 -S "$PKT" send veth_a "$pcap" "$1"
		wait_for 2 test "$(ikesec_sa_stat "$B" in 0x3001 auth_fails)" -gt "$r0" ||
			{ echo "# seq $1 did not fail the ICV"; return 1; }
		test "$(ikesec_sa_stat "$B" in 0x3001 packets)" = "$p0"
		return
	fi
	ip netns exec "$A" python3 -S "$PKT" send veth_a "$pcap" "$1"
	if [ "$2" = pass ]; then
		wait_for 2 test "$(ikesec_sa_stat "$B" in 0x3001 packets)" -gt "$p0" ||
			{ echo "# seq $1 was not accepted"; return 1; }
	else
		wait_for 2 test "$(ikesec_sa_stat "$B" in 0x3001 replay_drops)" -gt "$r0" ||
			{ echo "# seq $1 was not counted as replay"; return 1; }
		n1=$(ikesec_stat "$B" in_replay)
		[ "$n1" -gt "$n0" ] || { echo "# in_replay did not move"; return 1; }
	fi
	p1=$(ikesec_sa_stat "$B" in 0x3001 packets)
	r1=$(ikesec_sa_stat "$B" in 0x3001 replay_drops)
	[ "$2" = pass ] && [ "$r1" != "$r0" ] && return 1
	[ "$2" = drop ] && [ "$p1" != "$p0" ] && return 1
	return 0
}

dp_bed "$A" "$B" || exit 1
# B only receives here: it never had a route back to A's inner net.
ip -n "$B" route del 10.0.1.0/24
dmesg_mark "$mark"
ktap_plan 24

sender 0
ktap_check "captured 40 packets without receiver SA" capture 40
receiver 0
ktap_check "seq 40 accepted" inject 40 pass
ktap_check "seq 40 again: replay dropped" inject 40 drop
ktap_check "seq 5: older than the window (32) dropped" inject 5 drop
ktap_check "seq 10: out of order inside the window accepted" inject 10 pass
ktap_check "seq 9: window edge (top - 31) accepted" inject 9 pass
ktap_check "seq 8: just outside (top - 32) dropped" inject 8 drop
ktap_check "seq 10 again dropped" inject 10 drop

sender 0xfffffff0 esn
ktap_check "ESN: captured 40 packets across 2^32" capture 40
receiver 0xfffffff0 esn
ktap_check "ESN: 2^32 + 24 accepted" inject 0x18 pass
ktap_check "ESN: 2^32 - 6 (inside, previous subspace) accepted" \
	inject 0xfffffffa pass
# RFC 4303 A2.1: below the window it is taken for 2^33 - 11; the ICV,
# computed over the true high half, then fails.
ktap_check "ESN: 2^32 - 11 (below the window) dropped by the ICV" \
	inject 0xfffffff5 auth
ktap_check "ESN: 2^32 + 24 again dropped" inject 0x18 drop
ktap_check "ESN: 2^32 (low half 0) accepted" inject 0 pass

window=0
ktap_check "window 0: captured 2 packets" capture_from 0
receiver 0
ktap_check "window 0: seq 2 accepted" inject 2 pass
ktap_check "window 0 (anti-replay off): seq 2 replayed accepted" inject 2 pass
ktap_check "window 0: seq 1 after 2 accepted" inject 1 pass

window=4096
ktap_check "window 4096: captured seqs 1-2, 101-102, 4101-4102" \
	capture_from 0 100 4100
receiver 0
ktap_check "window 4096: seq 4102 accepted" inject 4102 pass
ktap_check "window 4096: seq 102 (4000 behind the top) accepted" \
	inject 102 pass
ktap_check "window 4096: seq 2 (4100 behind the top) dropped" inject 2 drop
window=32

sender 0xfffffffe
ip netns exec "$A" ping -q -c 3 -i 0.1 -w 2 10.0.2.1 >/dev/null 2>&1
ktap_check "no ESN: sender stops at 2^32 - 1 (out-seq-overflow)" \
	test "$(ikesec_stat "$A" out_seq_overflow)" -ge 2

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
