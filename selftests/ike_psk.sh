#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IKEv2 with a pre-shared key against strongSwan's charon, ikedaemon as
# initiator and then as responder: IKE_SA_INIT + IKE_AUTH, the CHILD SA
# installed into ikesec, both ends agreeing on IKE and ESP SPIs, traffic
# through the tunnel, and deletion seen by the peer.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24 (dummy)                inner 10.0.2.1/24 (dummy)
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   tunnel 10.0.1.0/24 <=> 10.0.2.0/24, AES-GCM-16-256 / X25519
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping
require_module

ike_bed ip

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16

# spis_agree ROUND: ESP and IKE SPIs as both ends report them.
spis_agree() {
	local ours theirs oi ti
	ours=$(ikedaemon_child_spis "$DIR/a")
	theirs=$(charon_child_spis "$DIR/b")
	oi=$(ikedaemon_ike_spis "$DIR/a")
	ti=$(charon_ike_spis "$DIR/b")
	echo "# $1: ikedaemon ESP in/out [$ours] IKE [$oi]; charon ESP in/out [$theirs] IKE [$ti]"
	set -- $ours $theirs
	[ $# = 4 ] && [ "$1" = "$4" ] && [ "$2" = "$3" ] && [ -n "$oi" ] &&
		{ [ "$oi" = "$ti" ] || charon_knows_ike "$DIR/b" "$oi"; }
}

# spis_new OLD: the SPIs agree and are not OLD any more.
spis_new() {
	spis_agree rekeyed >/dev/null &&
		[ "$(ikedaemon_child_spis "$DIR/a")" != "$1" ]
}

ike_deleted() {
	log_wait 10 "$DIR/a/ikedaemon.log" "peer deleted the IKE SA" &&
		! ip netns exec "$A" "$IKECTL" sa show | grep -q spi
}

# Both SPIs of our CHILD SA are in the module's SAD.
module_has_spis() {
	local spis out s
	spis=$(ikedaemon_child_spis "$DIR/a")
	out=$(ip netns exec "$A" "$IKECTL" sa show)
	[ -n "$spis" ] || return 1
	for s in $spis; do
		echo "$out" | grep -q "spi 0x$s" || return 1
	done
}

# The namespaces also route in clear: a ping only counts when ikesec
# encrypted the requests and decrypted the replies.
ping_tunnel() { ike_ping "$A" 10.0.1.1 10.0.2.1; }

ktap_plan 27
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1

# --- ikedaemon initiates, charon responds ---
ike_conf_charon "$DIR/b" responder "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24
ike_conf_ours "$DIR/a" start "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }
ikedaemon_start "$A" "$DIR/a"

ktap_check "initiator: IKE SA established with charon" \
	log_wait 20 "$DIR/a/ikedaemon.log" "\[IKE\] gw\[1\]: IKE SA established"
log_show "$DIR/a/ikedaemon.log" "IKE SA established"
ktap_check "initiator: CHILD SA installed into ikesec" \
	log_wait 5 "$DIR/a/ikedaemon.log" "\[CHD\] .*CHILD SA net established"
log_show "$DIR/a/ikedaemon.log" "CHILD SA net established"
ktap_check "initiator: charon reports the CHILD SA installed" \
	wait_for 5 sh -c "swanctl --list-sas --uri unix://$DIR/b/charon.vici 2>/dev/null | grep -q INSTALLED"
ktap_check "initiator: both ends agree on IKE and ESP SPIs" spis_agree initiator
ktap_check "initiator: ikesec holds the SA pair (ikectl sa show)" \
	module_has_spis
ktap_check "initiator: ping 10.0.1.1 -> 10.0.2.1 through the tunnel" ping_tunnel
ikectl_d "$DIR/a" down gw >/dev/null
ktap_check "initiator: ikectl down deletes the IKE SA at charon" \
	wait_for 10 sh -c "! swanctl --list-sas --uri unix://$DIR/b/charon.vici 2>/dev/null | grep -q ESTABLISHED"
ikedaemon_stop "$DIR/a"

# --- charon initiates, ikedaemon responds ---
ike_conf_ours "$DIR/a" none "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
ikedaemon_start "$A" "$DIR/a"
swanctl_ "$DIR/b" --initiate --child net --timeout 20 > "$DIR/b/init.out" 2>&1
ktap_check "responder: IKE SA established with charon" \
	log_wait 10 "$DIR/a/ikedaemon.log" "\[IKE\] gw\[[0-9]+\]: IKE SA established"
ktap_check "responder: CHILD SA installed into ikesec" \
	log_wait 5 "$DIR/a/ikedaemon.log" "\[CHD\] .*CHILD SA net established"
log_show "$DIR/a/ikedaemon.log" "CHILD SA net established"
ktap_check "responder: both ends agree on IKE and ESP SPIs" spis_agree responder
ktap_check "responder: ping 10.0.1.1 -> 10.0.2.1 through the tunnel" ping_tunnel

# --- charon rekeys the CHILD SA, then deletes it, then the IKE SA ---
old=$(ikedaemon_child_spis "$DIR/a")
swanctl_ "$DIR/b" --rekey --child net >/dev/null 2>&1
ktap_check "CHILD SA rekeyed by charon (CREATE_CHILD_SA, REKEY_SA)" \
	log_wait 10 "$DIR/a/ikedaemon.log" "\[CHD\] .*CHILD SA net rekeyed"
log_show "$DIR/a/ikedaemon.log" "CHILD SA net rekeyed"
ktap_check "old CHILD SA deleted by charon after the rekey" \
	log_wait 10 "$DIR/a/ikedaemon.log" "peer deleted CHILD SA ${old#* }_o"
ktap_check "after the rekey: both ends agree on the new ESP SPIs" \
	wait_for 5 spis_new "$old"
spis_agree rekeyed >/dev/null || spis_agree rekeyed
ktap_check "after the rekey: ping through the tunnel" ping_tunnel
swanctl_ "$DIR/b" --rekey --ike peer >/dev/null 2>&1
ktap_check "IKE SA rekeyed by charon, old one deleted" \
	log_wait 10 "$DIR/a/ikedaemon.log" "replaced by its rekeyed successor"
log_show "$DIR/a/ikedaemon.log" "IKE SA rekeyed by the peer"
ktap_check "after the IKE rekey: IKE and ESP SPIs agree, CHILD SA kept" \
	wait_for 5 spis_agree ike-rekeyed
ktap_check "after the IKE rekey: ping through the tunnel" ping_tunnel
swanctl_ "$DIR/b" --terminate --ike peer >/dev/null 2>&1
ktap_check "IKE SA deleted by charon: ikedaemon and ikesec follow" \
	ike_deleted
log_show "$DIR/a/ikedaemon.log" "peer deleted the IKE SA"

# --- ikedaemon rekeys its CHILD SA at the soft lifetime (rekey_time) ---
ikedaemon_stop "$DIR/a"
IKE_REKEY=5s ike_conf_ours "$DIR/a" start "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
ikedaemon_start "$A" "$DIR/a"
if log_wait 20 "$DIR/a/ikedaemon.log" "CHILD SA net established"; then
	ktap_check "own rekey: CREATE_CHILD_SA sent on the soft expiry" \
		log_wait 15 "$DIR/a/ikedaemon.log" "rekeying CHILD SA net"
	log_show "$DIR/a/ikedaemon.log" "expiry of CHILD SA"
	ktap_check "own rekey: new CHILD SA installed, old one deleted" \
		log_wait 10 "$DIR/a/ikedaemon.log" "CHILD SA net removed"
	log_show "$DIR/a/ikedaemon.log" "CHILD SA net rekeyed"
	ktap_check "own rekey: both ends agree on the ESP SPIs" \
		wait_for 15 spis_agree own-rekey
	ktap_check "own rekey: ping through the tunnel" ping_tunnel
else
	for t in "CREATE_CHILD_SA sent" "new CHILD SA installed" "SPIs" "ping"; do
		ktap_not_ok "own rekey: $t (no CHILD SA to rekey)"
	done
fi

# --- ikedaemon rekeys its IKE SA at the connection's rekey_time ---
ikedaemon_stop "$DIR/a"
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
IKE_IKE_REKEY=4s ike_conf_ours "$DIR/a" start "$IKE" "$ESP" 10.0.1.0/24 \
	10.0.2.0/24
ikedaemon_start "$A" "$DIR/a"
# twice: the second rekey runs on the first one's keys
ktap_check "own IKE rekey: CREATE_CHILD_SA, old IKE SA deleted, twice" \
	log_wait 25 "$DIR/a/ikedaemon.log" "gw\[2\]: IKE SA rekeyed: now gw\[3\]"
log_show "$DIR/a/ikedaemon.log" "IKE SA rekeyed: now"
ktap_check "own IKE rekey: IKE and ESP SPIs agree, CHILD SA kept" \
	wait_for 15 spis_agree own-ike-rekey
ktap_check "own IKE rekey: ping through the tunnel" ping_tunnel

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
