#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A second CHILD SA refused or renegotiated for its PFS against
# strongSwan's charon (RFC 7296 1.3.1): charon's KE payload for another
# DH group gets INVALID_KE_PAYLOAD with ours and charon's retry comes up;
# a KE payload for a child without PFS and none for a child with PFS get
# NO_PROPOSAL_CHOSEN. Each refusal names the cause and both values in our
# log and in `ikectl last-error', charon logs the notify, and the first
# CHILD SA keeps its SAs and its traffic. Then ikedaemon initiating: our
# KE payload for a group charon does not want, its INVALID_KE_PAYLOAD,
# our retry with its group.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24, 10.0.11.1/24          inner 10.0.2.1/24, 10.0.12.1/24
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   child net  10.0.1.0/24  <=> 10.0.2.0/24   (no PFS)
#   child net2 10.0.11.0/24 <=> 10.0.12.0/24  (PFS as each case says)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
source "$(dirname "$0")/ike_children_lib.sh"

require_root
require_ike
require_cmd ping python3
require_module

ike_bed cr

ktap_plan 21
children_topology

LOG=$DIR/a/ikedaemon.log
CLOG=$DIR/b/charon.log
ESP=aes256gcm16

# start_net OURS_ESP2: a fresh ikedaemon whose net2 has OURS_ESP2, and
# net up by charon (IKE_AUTH).
start_net() {
	ikedaemon_stop "$DIR/a"
	swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
	OURS_ESP2=$1 conf_ours none
	: > "$LOG"
	ikedaemon_start "$A" "$DIR/a"
	swanctl_ "$DIR/b" --initiate --child net --timeout 40 >/dev/null 2>&1
	log_wait 40 "$LOG" "CHILD SA net established"
}

# refused TAG CHARON_ESP2 OURS_LINE: charon (with CHARON_ESP2 for net2)
# asks for net2 and is refused; our log line, charon's notify, last-error,
# net untouched.
refused() {
	local tag=$1 m cm net
	CHARON_ESP2=$2 conf_charon
	charon_load "$DIR/b"
	net=$(our_spis net)
	m=$(log_mark "$LOG"); cm=$(log_mark "$CLOG")
	swanctl_ "$DIR/b" --initiate --child net2 --timeout 20 >/dev/null 2>&1
	ktap_check "$tag: ikedaemon refuses net2 naming both sides" \
		wait_for 10 log_after "$m" "$LOG" "$3"
	log_after_show "$m" "$LOG" "NO_PROPOSAL_CHOSEN"
	ktap_check "$tag: charon gets NO_PROPOSAL_CHOSEN" \
		wait_for 10 log_after "$cm" "$CLOG" "NO_PROPOSAL_CHOSEN"
	log_after_show "$cm" "$CLOG" "NO_PROPOSAL_CHOSEN"
	ktap_check "$tag: ikectl last-error gw repeats it" \
		sh -c "'$IKECTL' -s '$DIR/a/ctl.sock' last-error gw | grep -Eq -- '$3'"
	ktap_check "$tag: net2 installed nowhere, net kept its SAs [$net]" \
		eval '[ "$(ours_installed)" = 1 ] && [ "$(charon_installed)" = 1 ] &&
		      [ "$(our_spis net)" = "$net" ] && agree net &&
		      [ "$(module_sas)" = 2 ]'
	ktap_check "$tag: net still carries traffic" \
		ping_child net 10.0.1.1 10.0.2.1
}

conf_charon
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }

# --- (a) charon's KE for ECP-256, net2 wants X25519: INVALID_KE_PAYLOAD,
# charon retries with X25519 ---
start_net aes256gcm16-x25519
CHARON_ESP2=aes256gcm16-ecp256-x25519 conf_charon
charon_load "$DIR/b"
cm=$(log_mark "$CLOG")
swanctl_ "$DIR/b" --initiate --child net2 --timeout 40 >/dev/null 2>&1
ktap_check "other group: ikedaemon asks for X25519 (INVALID_KE_PAYLOAD), naming both groups" \
	log_wait 10 "$LOG" "CHILD SA net2 with PFS: KE payload for DH group 19, selected group 31: INVALID_KE_PAYLOAD"
log_show "$LOG" "INVALID_KE_PAYLOAD"
ktap_check "other group: charon gets INVALID_KE_PAYLOAD and retries with CURVE_25519" \
	log_after "$cm" "$CLOG" "(INVALID_KE_PAYLOAD|requested CURVE_25519)"
log_after_show "$cm" "$CLOG" "INVALID_KE_PAYLOAD|requested CURVE_25519"
ktap_check "other group: net2 established with X25519 PFS" \
	log_wait 20 "$LOG" "CHILD SA net2 established.*CURVE_25519"
ktap_check "other group: both CHILD SAs at both ends, SPIs agree" \
	eval 'wait_for 10 both_up && agree net && agree net2'
ktap_check "other group: ping through net2, its SA pair counts it" \
	ping_child net2 10.0.11.1 10.0.12.1
swanctl_ "$DIR/b" --terminate --child net2 --timeout 20 >/dev/null 2>&1
wait_for 10 sh -c "[ \$('$IKECTL' -s '$DIR/a/ctl.sock' status | grep -c ': INSTALLED') = 1 ]"

# --- (c) net2 wants PFS, charon offers none ---
refused "no KE" aes256gcm16 \
	"NO_PROPOSAL_CHOSEN for new CHILD SA net2: no KE payload, child net2 wants PFS with DH group 31"

# --- (b) charon sends a KE, net2 has no PFS ---
start_net aes256gcm16
refused "unwanted KE" aes256gcm16-x25519 \
	"NO_PROPOSAL_CHOSEN for new CHILD SA net2: peer sent a KE payload \(DH group 31\), child net2 has no PFS"

# --- ikedaemon initiates net2 with ECP-256, charon wants X25519 ---
ikedaemon_stop "$DIR/a"
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
CHARON_ESP2=aes256gcm16-x25519 conf_charon
charon_load "$DIR/b"
OURS_ESP2=aes256gcm16-ecp256-x25519 conf_ours start
: > "$LOG"
cm=$(log_mark "$CLOG")
ikedaemon_start "$A" "$DIR/a"
ktap_check "initiator: charon answers our ECP-256 KE with INVALID_KE_PAYLOAD for X25519" \
	log_wait 40 "$LOG" "peer wants DH group 31 for CHILD SA net2 \(INVALID_KE_PAYLOAD\), retrying"
log_show "$LOG" "creating CHILD SA net2"
ktap_check "initiator: net2 created again with DH group 31" \
	log_wait 20 "$LOG" "creating CHILD SA net2 .*PFS with DH group 31"
ktap_check "initiator: net2 established with X25519 PFS" \
	log_wait 20 "$LOG" "CHILD SA net2 established.*CURVE_25519"
ktap_check "initiator: both CHILD SAs at both ends, SPIs agree" \
	eval 'wait_for 10 both_up && agree net && agree net2'
ktap_check "initiator: ping through net2, its SA pair counts it" \
	ping_child net2 10.0.11.1 10.0.12.1
ikedaemon_stop "$DIR/a"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
