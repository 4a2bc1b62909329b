#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# start_action = trap: ikedaemon installs an outbound protect policy
# without an SA; the first packet makes ikesec send ACQUIRE, ikedaemon
# negotiates with strongSwan's charon and the traffic flows. After charon
# deletes the IKE SA the trap is still there and the next packet brings
# the tunnel back.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24 (dummy)                inner 10.0.2.1/24 (dummy)
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping
require_module

ike_bed it
LOG=$DIR/a/ikedaemon.log

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16

ping_once() {
	ip netns exec "$A" ping -q -c 1 -W 1 -I 10.0.1.1 10.0.2.1 \
		>/dev/null 2>&1
}

acquires() { grep -c "acquire for child net of gw: initiating" "$LOG"; }

reestablished() { wait_for 30 ping_once && [ "$(acquires)" -ge 2 ]; }

# The installed CHILD SA carries the reqid the trap policy asks for.
same_reqid() {
	local r
	r=$(sed -n 's/.*child net trapped (.*reqid \([0-9]*\)).*/\1/p' "$LOG")
	[ -n "$r" ] && ikectl_d "$DIR/a" status | grep -q "reqid $r,"
}

ktap_plan 5
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
ike_conf_charon "$DIR/b" x "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24
ike_conf_ours "$DIR/a" trap "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	skip "charon did not start"
ikedaemon_start "$A" "$DIR/a"

ktap_check "trap policy installed, no IKE SA yet" \
	sh -c "grep -q 'child net trapped' $LOG && ! grep -q 'initiating IKE SA' $LOG"
log_show "$LOG" "trapped"
ktap_check "first packet: ACQUIRE, IKE SA and CHILD SA, then ping passes" \
	wait_for 30 ping_once
log_show "$LOG" "acquire for child"
ktap_check "the CHILD SA took the trap's reqid" same_reqid
swanctl_ "$DIR/b" --terminate --ike peer >/dev/null 2>&1
ktap_check "charon deletes the IKE SA: ikedaemon follows" \
	log_wait 10 "$LOG" "peer deleted the IKE SA"
ktap_check "trap still in place: the next packet re-establishes the tunnel" \
	reestablished
ktap_exit
