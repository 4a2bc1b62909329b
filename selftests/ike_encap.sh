#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# encap = yes (strongSwan semantics): UDP encapsulation of ESP forced
# without a NAT in the path. The side with encap = yes sends a
# NAT_DETECTION_SOURCE_IP that cannot match, so both ends believe it is
# behind a NAT (RFC 7296 2.23): IKE moves to port 4500, ESP goes in UDP
# (RFC 3948). Four cases: ikedaemon with encap = yes initiating to
# strongSwan, strongSwan with encap = yes initiating to ikedaemon,
# strongSwan initiating to ikedaemon with encap = yes, ikedaemon with
# encap = yes initiating to ikedaemon. Each time: CHILD SA
# up, IKE on 4500, ping passes, the router between them forwards ESP in
# UDP and no plain ESP (nft counters), the module's SAs carry the UDP
# encapsulation.
#
#   ns L                       ns N (router, no NAT)          ns R
#   inner 10.0.1.1/24                                         inner 10.0.2.1/24
#   veth_l 172.16.1.2/24 --- veth_nl 172.16.1.1/24
#                            veth_nr 192.0.2.1/24 --------- veth_r 192.0.2.2/24
#   tunnel 10.0.1.0/24 <=> 10.0.2.0/24, AES-GCM-16-256 / X25519, FQDN ids
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
NAT_NONE=1
source "$(dirname "$0")/ike_nat_lib.sh"

require_root
require_ike
require_cmd ping nft socat python3
require_module
mark=encap-$$
modprobe -q -a esp4 xfrm_user 2>/dev/null

# sa_encap NS: the module holds an inbound and an outbound SA with UDP
# encapsulation, and none without.
sa_encap() {
	ip netns exec "$1" "$IKECTL" sa show 2>/dev/null | awk '
		/^dir / { if (d != "") n[d e]++; d = $2; e = "" }
		/encap udp/ { e = "+udp" }
		END { if (d != "") n[d e]++
		      printf "# %s SAs: in+udp %d, out+udp %d, plain %d\n",
			ns, n["in+udp"], n["out+udp"], n["in"] + n["out"]
		      exit !(n["in+udp"] && n["out+udp"] && !n["in"] && !n["out"]) }
		' ns="$1"
}

counters_reset() { ip netns exec "$N" nft reset counters table ip natt >/dev/null; }

# charon_in_udp DIR: charon installed its CHILD SA with UDP encapsulation.
charon_in_udp() {
	swanctl_ "$1" --list-sas 2>/dev/null | grep -q 'INSTALLED, TUNNEL-in-UDP'
}

# wire CASE NS...: ping, only ESP in UDP on the wire, module SAs in NS.
wire() {
	local c=$1 ns; shift
	counters_reset
	ktap_check "$c: ping 10.0.1.1 -> 10.0.2.1 through the tunnel" \
		wait_for 10 ping_tunnel
	ktap_check "$c: ESP crossed the router in UDP only" esp_in_udp
	for ns in "$@"; do
		ktap_check "$c: module SAs in $ns use UDP encapsulation" \
			sa_encap "$ns"
	done
}

ktap_plan 26
nat_start "$mark"

# --- 1: ikedaemon with encap = yes initiates to strongSwan ---
c="ikedaemon encap=yes -> strongSwan"
mkdir -p "$DIR/l1" "$DIR/r1"
conf_charon "$DIR/r1" 192.0.2.2 %any 10.0.2.0/24 10.0.1.0/24 \
	moon.example sun.example
ENCAP=yes conf_ours "$DIR/l1" start 172.16.1.2 192.0.2.2 10.0.1.0/24 \
	10.0.2.0/24 sun.example moon.example
charon_start "$R" "$DIR/r1" && charon_load "$DIR/r1" ||
	{ cat "$DIR/r1/charon.out"; skip "charon did not start"; }
ikedaemon_start "$L" "$DIR/l1"
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/l1/ikedaemon.log" "CHILD SA net established"
ktap_check "$c: we fake a NAT, no real one is seen" \
	eval 'log_has "$DIR/l1/ikedaemon.log" "NAT detected: faking it \(encap = yes\)"'
log_show "$DIR/l1/ikedaemon.log" "NAT detected"
ikectl_d "$DIR/l1" status | grep NAT-T | sed 's/^/# ikedaemon: /'
ktap_check "$c: IKE on 4500 (ours), strongSwan's SA is TUNNEL-in-UDP" \
	eval 'ours_on_4500 "$DIR/l1" && charon_in_udp "$DIR/r1"'
wire "$c" "$L"
stop_all

# --- 2: strongSwan with encap = yes initiates to ikedaemon ---
c="strongSwan encap=yes -> ikedaemon"
mkdir -p "$DIR/l2" "$DIR/r2"
ENCAP=yes conf_charon "$DIR/l2" 172.16.1.2 192.0.2.2 10.0.1.0/24 \
	10.0.2.0/24 sun.example moon.example
conf_ours "$DIR/r2" none 192.0.2.2 %any 10.0.2.0/24 10.0.1.0/24 \
	moon.example sun.example
charon_start "$L" "$DIR/l2" && charon_load "$DIR/l2" ||
	{ cat "$DIR/l2/charon.out"; skip "charon did not start"; }
ikedaemon_start "$R" "$DIR/r2"
swanctl_ "$DIR/l2" --initiate --child net --timeout 30 > "$DIR/l2/init.out" 2>&1
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/r2/ikedaemon.log" "CHILD SA net established"
ktap_check "$c: we see the peer 'behind NAT' and follow it to 4500" \
	eval 'log_has "$DIR/r2/ikedaemon.log" "NAT detected: remote host is behind NAT" &&
	      log_has "$DIR/r2/ikedaemon.log" "peer switched to NAT-T"'
ikectl_d "$DIR/r2" status | grep NAT-T | sed 's/^/# ikedaemon: /'
ktap_check "$c: IKE on 4500 with ESP in UDP (ours and strongSwan's)" \
	eval 'ours_on_4500 "$DIR/r2" && charon_in_udp "$DIR/l2"'
wire "$c" "$R"
stop_all

# --- 3: strongSwan initiates to ikedaemon with encap = yes ---
c="strongSwan -> ikedaemon encap=yes"
mkdir -p "$DIR/l4" "$DIR/r4"
conf_charon "$DIR/l4" 172.16.1.2 192.0.2.2 10.0.1.0/24 10.0.2.0/24 \
	sun.example moon.example
ENCAP=yes conf_ours "$DIR/r4" none 192.0.2.2 %any 10.0.2.0/24 \
	10.0.1.0/24 moon.example sun.example
charon_start "$L" "$DIR/l4" && charon_load "$DIR/l4" ||
	{ cat "$DIR/l4/charon.out"; skip "charon did not start"; }
ikedaemon_start "$R" "$DIR/r4"
swanctl_ "$DIR/l4" --initiate --child net --timeout 30 > "$DIR/l4/init.out" 2>&1
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/r4/ikedaemon.log" "CHILD SA net established"
ktap_check "$c: we fake a NAT, strongSwan follows it to 4500" \
	eval 'log_has "$DIR/r4/ikedaemon.log" "NAT detected: faking it \(encap = yes\)" &&
	      log_has "$DIR/r4/ikedaemon.log" "peer switched to NAT-T"'
ikectl_d "$DIR/r4" status | grep NAT-T | sed 's/^/# ikedaemon: /'
ktap_check "$c: IKE on 4500 with ESP in UDP (ours and strongSwan's)" \
	eval 'ours_on_4500 "$DIR/r4" && charon_in_udp "$DIR/l4"'
wire "$c" "$R"
stop_all

# --- 4: ikedaemon with encap = yes initiates to ikedaemon ---
c="ikedaemon encap=yes -> ikedaemon"
mkdir -p "$DIR/l3" "$DIR/r3"
ENCAP=yes conf_ours "$DIR/l3" start 172.16.1.2 192.0.2.2 10.0.1.0/24 \
	10.0.2.0/24 sun.example moon.example
conf_ours "$DIR/r3" none 192.0.2.2 %any 10.0.2.0/24 10.0.1.0/24 \
	moon.example sun.example
ikedaemon_start "$R" "$DIR/r3"
ikedaemon_start "$L" "$DIR/l3"
ktap_check "$c: IKE SA and CHILD SA established on both sides" \
	eval 'log_wait 30 "$DIR/l3/ikedaemon.log" "CHILD SA net established" &&
	      log_wait 10 "$DIR/r3/ikedaemon.log" "CHILD SA net established"'
ktap_check "$c: NAT faked by the initiator, seen by the responder" \
	eval 'log_has "$DIR/l3/ikedaemon.log" "faking it \(encap = yes\)" &&
	      log_has "$DIR/r3/ikedaemon.log" "remote host is behind NAT"'
ktap_check "$c: IKE on 4500 with ESP in UDP on both sides" \
	eval 'ours_on_4500 "$DIR/l3" && ours_on_4500 "$DIR/r3"'
wire "$c" "$L" "$R"
nat_finish "$mark"
