#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NAT traversal (RFC 7296 2.23, RFC 3948) against strongSwan through a
# masquerading NAT that also changes source ports: ikedaemon behind the
# NAT initiating to strongSwan, then strongSwan behind the NAT initiating
# to ikedaemon (ikedaemon on both sides: ike_nat_pair.sh). Each time:
# NAT detected, IKE ends on port 4500, ping and TCP pass through the
# tunnel, the ESP really travels in UDP (the NAT's counters), keepalives
# cross the NAT; then the NAT mapping changes (new port range, conntrack
# flushed) and traffic recovers with the responder's SAs following the
# peer's new port.
#
#   ns L (behind NAT)          ns N (NAT)                     ns R
#   inner 10.0.1.1/24                                         inner 10.0.2.1/24
#   veth_l 172.16.1.2/24 --- veth_nl 172.16.1.1/24
#                            veth_nr 192.0.2.1/24 --------- veth_r 192.0.2.2/24
#                            masquerade to 192.0.2.1:20000-20999 (random),
#                            later :30000-30999
#   tunnel 10.0.1.0/24 <=> 10.0.2.0/24, AES-GCM-16-256 / X25519, FQDN ids
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
source "$(dirname "$0")/ike_nat_lib.sh"

require_root
require_ike
require_cmd ping nft socat python3
require_module
mark=nat-$$
# XFRM for charon, loaded now rather than on charon's first SA (slow
# under a loaded VM: charon then misses our IKE_AUTH retransmits)
modprobe -q -a esp4 xfrm_user 2>/dev/null

ktap_plan 21
nat_start "$mark"

# --- 1: ikedaemon behind the NAT initiates to strongSwan ---
c="ikedaemon behind NAT -> strongSwan"
mkdir -p "$DIR/l1" "$DIR/r1"
conf_charon "$DIR/r1" 192.0.2.2 %any 10.0.2.0/24 10.0.1.0/24 \
	moon.example sun.example
conf_ours "$DIR/l1" start 172.16.1.2 192.0.2.2 10.0.1.0/24 10.0.2.0/24 \
	sun.example moon.example
charon_start "$R" "$DIR/r1" && charon_load "$DIR/r1" ||
	{ cat "$DIR/r1/charon.out"; skip "charon did not start"; }
ikedaemon_start "$L" "$DIR/l1"
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/l1/ikedaemon.log" "CHILD SA net established"
ktap_check "$c: we detect that we are behind NAT" \
	log_has "$DIR/l1/ikedaemon.log" "NAT detected: local host is behind NAT"
log_show "$DIR/l1/ikedaemon.log" "NAT detected"
ikectl_d "$DIR/l1" status | grep NAT-T | sed 's/^/# ikedaemon: /'
p=$(charon_remote_port "$DIR/r1")
echo "# strongSwan sees the peer at port $p"
ktap_check "$c: IKE on 4500 (ours) from a NAT port 20000-20999 (theirs)" \
	eval 'ours_on_4500 "$DIR/l1" && port_in 20000 20999 "$p"'
traffic "$c"
remap "$c"
p=$(charon_remote_port "$DIR/r1")
echo "# strongSwan now sees the peer at port $p"
ktap_check "$c: strongSwan follows the new port 30000-30999" \
	port_in 30000 30999 "$p"
stop_all; nat_reset

# --- 2: strongSwan behind the NAT initiates to ikedaemon ---
c="strongSwan behind NAT -> ikedaemon"
mkdir -p "$DIR/l2" "$DIR/r2"
conf_charon "$DIR/l2" 172.16.1.2 192.0.2.2 10.0.1.0/24 10.0.2.0/24 \
	sun.example moon.example
conf_ours "$DIR/r2" none 192.0.2.2 %any 10.0.2.0/24 10.0.1.0/24 \
	moon.example sun.example
CHARON_EXTRA="keep_alive = ${KA}s" charon_start "$L" "$DIR/l2" &&
	charon_load "$DIR/l2" ||
	{ cat "$DIR/l2/charon.out"; skip "charon did not start"; }
ikedaemon_start "$R" "$DIR/r2"
swanctl_ "$DIR/l2" --initiate --child net --timeout 30 > "$DIR/l2/init.out" 2>&1
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/r2/ikedaemon.log" "CHILD SA net established"
ktap_check "$c: we detect the peer behind NAT and follow it to 4500" \
	eval 'log_has "$DIR/r2/ikedaemon.log" "NAT detected: remote host is behind NAT" &&
	      log_has "$DIR/r2/ikedaemon.log" "peer switched to NAT-T"'
log_show "$DIR/r2/ikedaemon.log" "peer switched to NAT-T"
ikectl_d "$DIR/r2" status | grep NAT-T | sed 's/^/# ikedaemon: /'
p=$(ours_out_dport "$R")
echo "# our outbound SA: ESP in UDP to port $p"
ktap_check "$c: our SAs send ESP in UDP to the NAT's port 20000-20999" \
	port_in 20000 20999 "$p"
traffic "$c"
remap "$c"
log_show "$DIR/r2/ikedaemon.log" "NAT mapping of the peer changed"
p=$(ours_out_dport "$R")
echo "# our outbound SA now: ESP in UDP to port $p, IKE peer port $(ours_peer_port "$DIR/r2")"
ktap_check "$c: our SAs and IKE SA follow the new port 30000-30999" \
	follows 30000 30999 "$p" "$DIR/r2"

nat_finish "$mark"
