#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NAT traversal (RFC 7296 2.23, RFC 3948) with ikedaemon on both sides of
# a masquerading NAT that also changes source ports (against strongSwan:
# ike_nat.sh): NAT detected on both sides, IKE ends on port 4500, ping
# and TCP pass through the tunnel, the ESP really travels in UDP (the
# NAT's counters), keepalives cross the NAT when idle and none while a
# ping keeps ESP flowing (RFC 3948 4); then the NAT mapping changes
# (new port range, conntrack flushed) and traffic recovers with the
# responder's SAs and IKE SA following the peer's new port.
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

ktap_plan 13
nat_start "$mark"

c="ikedaemon behind NAT -> ikedaemon"
mkdir -p "$DIR/l3" "$DIR/r3"
conf_ours "$DIR/l3" start 172.16.1.2 192.0.2.2 10.0.1.0/24 10.0.2.0/24 \
	sun.example moon.example
conf_ours "$DIR/r3" none 192.0.2.2 %any 10.0.2.0/24 10.0.1.0/24 \
	moon.example sun.example
ikedaemon_start "$R" "$DIR/r3"
ikedaemon_start "$L" "$DIR/l3"
ktap_check "$c: IKE SA and CHILD SA established on both sides" \
	eval 'log_wait 30 "$DIR/l3/ikedaemon.log" "CHILD SA net established" &&
	      log_wait 10 "$DIR/r3/ikedaemon.log" "CHILD SA net established"'
ktap_check "$c: NAT detected on both sides" \
	eval 'log_has "$DIR/l3/ikedaemon.log" "local host is behind NAT" &&
	      log_has "$DIR/r3/ikedaemon.log" "remote host is behind NAT"'
p=$(ours_out_dport "$R")
echo "# responder's outbound SA: ESP in UDP to port $p"
ktap_check "$c: IKE and ESP on 4500 -> NAT port 20000-20999" \
	eval 'ours_on_4500 "$DIR/l3" && port_in 20000 20999 "$p"'
traffic "$c"
ka_idle_only "$c" "$DIR/l3"
remap "$c"
log_show "$DIR/r3/ikedaemon.log" "NAT mapping of the peer changed"
p=$(ours_out_dport "$R")
echo "# responder's outbound SA now: ESP in UDP to port $p"
ktap_check "$c: the responder follows the new port 30000-30999" \
	follows 30000 30999 "$p" "$DIR/r3"
nat_finish "$mark"
