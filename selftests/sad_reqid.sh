#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Which outbound SA a protect policy's reqid picks (RFC 4301 5.1.1: the
# SAD entry for the policy's template), among 2,000 SAs of other reqids:
# the newest live SA of the reqid carries the traffic (after a rekey, the
# new CHILD SA), the older one again once the newest is deleted, none at
# all once both are gone (dropped, counted in out_no_sa). SAs of the
# other reqids go in both before and after, so the lookup table grows
# under them.
#
#   ns_a: 2,000 SAs reqid 1000.., SAs 0x5001 then 0x5002 reqid 7, policy
#   10.0.1.0/24 -> 10.0.2.0/24 protect reqid 7 --- ns_b: both inbound
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping timeout
[ -x "$IKECTL" ] || skip "$IKECTL not built"
require_module

A=ikesec-rq-a-$ns_suffix
B=ikesec-rq-b-$ns_suffix
mark=rq-$$
K1=0x$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
K2=0x$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
batch=$(mktemp)

cleanup() {
	dp_bed_cleanup
	rm -f "$batch"
}
trap cleanup EXIT

ikectl() { local ns=$1; shift; ip netns exec "$ns" "$IKECTL" "$@"; }

# others FIRST N: N outbound SAs of reqids 1000+FIRST.. to other peers.
others() {
	local i
	for ((i = $1; i < $1 + $2; i++)); do
		echo "sa add dir out spi $((0x100000 + i)) src 192.0.2.1" \
			"dst 198.51.$((i / 250)).$((i % 250 + 1)) enc aes-gcm $K1" \
			"reqid $((1000 + i))"
	done >"$batch"
	ikectl "$A" -b "$batch"
}

# carries SPI: a ping gets through, and on SA SPI only.
carries() {
	local spi=$1 p0 p1 o0 o1 other
	other=$((spi == 0x5001 ? 0x5002 : 0x5001))
	p0=$(ikesec_sa_stat "$A" out "$spi" packets)
	o0=$(ikesec_sa_stat "$A" out "$other" packets)
	ip netns exec "$A" ping -c 2 -i 0.3 -W 2 10.0.2.1 >/dev/null ||
		{ echo "# ping failed"; return 1; }
	p1=$(ikesec_sa_stat "$A" out "$spi" packets)
	o1=$(ikesec_sa_stat "$A" out "$other" packets)
	echo "# SA $(printf 0x%x "$spi") packets $p0 -> $p1, SA $(printf 0x%x "$other") $o0 -> $o1"
	[ "$p1" -ge $((p0 + 2)) ] && [ "$o1" = "$o0" ]
}

no_sa() {
	local n0 n1
	n0=$(ikesec_stat "$A" out_no_sa)
	! ip netns exec "$A" ping -c 1 -W 1 10.0.2.1 >/dev/null 2>&1 ||
		{ echo "# ping passed without an SA"; return 1; }
	n1=$(ikesec_stat "$A" out_no_sa)
	echo "# out_no_sa $n0 -> $n1"
	[ "$n1" -gt "$n0" ]
}

dp_bed "$A" "$B" || exit 1
dmesg_mark "$mark"
ktap_plan 6

ktap_check "1,000 outbound SAs of other reqids added" others 0 1000
ikectl "$A" sa add dir out spi 0x5001 src 192.0.2.1 dst 192.0.2.2 \
	enc aes-gcm $K1 reqid 7 &&
ikectl "$A" policy add dir out src 10.0.1.0/24 dst 10.0.2.0/24 \
	action protect tmpl reqid 7 mode tunnel src 192.0.2.1 dst 192.0.2.2 \
	>/dev/null &&
ikectl "$B" sa add dir in spi 0x5001 src 192.0.2.1 dst 192.0.2.2 \
	enc aes-gcm $K1 reqid 7 &&
ikectl "$B" sa add dir in spi 0x5002 src 192.0.2.1 dst 192.0.2.2 \
	enc aes-gcm $K2 reqid 7 &&
ikectl "$B" policy add dir in src 10.0.1.0/24 dst 10.0.2.0/24 \
	action protect tmpl reqid 7 mode tunnel src 192.0.2.1 dst 192.0.2.2 \
	>/dev/null || { echo "# setup failed"; exit 1; }
others 1000 1000 || echo "# the second 1,000 failed"
ktap_check "the only SA of the reqid carries the traffic" carries 0x5001
ikectl "$A" sa add dir out spi 0x5002 src 192.0.2.1 dst 192.0.2.2 \
	enc aes-gcm $K2 reqid 7
ktap_check "a newer SA of the reqid takes over (rekey)" carries 0x5002
ikectl "$A" sa del dir out spi 0x5002 dst 192.0.2.2
ktap_check "newest deleted: the older SA carries again" carries 0x5001
ikectl "$A" sa del dir out spi 0x5001 dst 192.0.2.2
ktap_check "none left: dropped and counted in out_no_sa" no_sa

ikectl "$A" sa flush
bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
