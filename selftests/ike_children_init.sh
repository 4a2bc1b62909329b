#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two CHILD SAs on one IKE SA against strongSwan's charon (RFC 7296
# 1.3.1), ikedaemon initiating: the first child in IKE_AUTH, the second
# by CREATE_CHILD_SA, without and with PFS; a trapped second child
# created on the existing IKE SA by the acquire; `ikectl down CHILD'
# deletes one CHILD SA alone, `ikectl up CONN' recreates it; our IKE SA
# rekey moves both children (1.3.2); a second child in transport mode
# beside a tunnel-mode first. Charon initiating, rekeys and deletes:
# ike_children.sh.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24, 10.0.11.1/24          inner 10.0.2.1/24, 10.0.12.1/24
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   child net  10.0.1.0/24  <=> 10.0.2.0/24
#   child net2 10.0.11.0/24 <=> 10.0.12.0/24
#     (transport: 192.0.2.1[icmp] <=> 192.0.2.2[icmp])
#   (charon's child stray 10.0.22.0/24 <=> 10.0.21.0/24: not ours)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
source "$(dirname "$0")/ike_children_lib.sh"

require_root
require_ike
require_cmd ping python3
require_module

ike_bed ci

ktap_plan 36
children_topology

# --- ikedaemon initiates both children, without and with PFS ---
ESP=aes256gcm16
conf_charon
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }
for ESP in aes256gcm16 aes256gcm16-x25519; do
	pfs=$([ "$ESP" = aes256gcm16 ] && echo "no PFS" || echo "PFS")
	swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
	conf_charon
	charon_load "$DIR/b"
	conf_ours start
	: > "$DIR/a/ikedaemon.log"
	ikedaemon_start "$A" "$DIR/a"
	check_up_both "initiator, $pfs"
	if [ "$pfs" = PFS ]; then
		ktap_check "initiator, PFS: CREATE_CHILD_SA for net2 with a KE payload" \
			log_has "$DIR/a/ikedaemon.log" "creating CHILD SA net2 .*PFS with DH group 31"
		# both children move to the new IKE SA (1.3.2)
		old=$(ikedaemon_ike_spis "$DIR/a")
		ikectl_d "$DIR/a" rekey --ike gw | sed 's/^/# /'
		check_ike_rekey "IKE SA rekeyed by ikedaemon" "$old"
	else
		ktap_check "initiator, no PFS: CREATE_CHILD_SA for net2 without KE" \
			log_has "$DIR/a/ikedaemon.log" "creating CHILD SA net2 \([0-9a-f]*_i\)$"
	fi
	ikedaemon_stop "$DIR/a"
done

# --- net2 trapped: its first packet creates it on gw's IKE SA; then
# ikectl down net2 deletes it alone, ikectl up gw brings it back ---
ESP=aes256gcm16
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
conf_charon
charon_load "$DIR/b"
conf_ours start trap
: > "$DIR/a/ikedaemon.log"
ikedaemon_start "$A" "$DIR/a"
log_wait 40 "$DIR/a/ikedaemon.log" "CHILD SA net established"
ip netns exec "$A" ping -q -c 5 -i 0.5 -W 1 -I 10.0.11.1 10.0.12.1 \
	>/dev/null 2>&1
ktap_check "trap: an acquire for net2 creates it on the IKE SA of gw" \
	log_wait 30 "$DIR/a/ikedaemon.log" "acquire for child net2 of gw: CREATE_CHILD_SA on gw\[1\]"
ktap_check "trap: net2 established, one IKE SA, two CHILD SAs at both ends" \
	eval 'wait_for 20 both_up && json_children'
ktap_check "trap: ping through net2, its SA pair counts it" \
	ping_child net2 10.0.11.1 10.0.12.1
ikectl_d "$DIR/a" down net2 | sed 's/^/# /'
ktap_check "ikectl down net2: charon and ikedaemon keep only net" \
	wait_for 10 sh -c "[ \$(swanctl --list-sas --uri unix://$DIR/b/charon.vici 2>/dev/null | grep -c INSTALLED) = 1 ] &&
		[ \$('$IKECTL' -s '$DIR/a/ctl.sock' status | grep -c ': INSTALLED') = 1 ]"
ktap_check "ikectl down net2: net still carries traffic" \
	ping_child net 10.0.1.1 10.0.2.1
ikectl_d "$DIR/a" up gw | sed 's/^/# /'
ktap_check "ikectl up gw on the established IKE SA: net2 created again" \
	eval 'wait_for 20 both_up && json_children'
ikedaemon_stop "$DIR/a"

# --- net2 in transport mode (ICMP between the outer addresses) beside
# net in tunnel mode ---
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
NET2_TRANSPORT=1 conf_charon
charon_load "$DIR/b"
NET2_TRANSPORT=1 conf_ours start
: > "$DIR/a/ikedaemon.log"
ikedaemon_start "$A" "$DIR/a"
ktap_check "transport: net2 established in transport mode, net in tunnel mode" \
	eval 'log_wait 40 "$DIR/a/ikedaemon.log" "CHILD SA net2 established, transport mode" &&
	      log_has "$DIR/a/ikedaemon.log" "CHILD SA net established, tunnel mode"'
log_show "$DIR/a/ikedaemon.log" "CHILD SA net2 established"
ktap_check "transport: both CHILD SAs at both ends, SPIs agree" \
	eval 'wait_for 20 both_up && agree net && agree net2'
ktap_check "transport: charon has net2 in transport mode" \
	sh -c "swanctl --list-sas --uri unix://$DIR/b/charon.vici 2>/dev/null | grep -q 'net2:.*TRANSPORT'"
ktap_check "transport: ping between the outer addresses through net2's SA pair" \
	ping_child net2 192.0.2.1 192.0.2.2
ktap_check "transport: ping through net, its SA pair counts it" \
	ping_child net 10.0.1.1 10.0.2.1
ikedaemon_stop "$DIR/a"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
