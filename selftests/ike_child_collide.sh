#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Deletes crossing on the wire with strongSwan's charon (RFC 7296 1.4.1,
# 2.25.1), on the second of two CHILD SAs: both ends delete it at once;
# we rekey it while charon deletes it; charon rekeys it while we delete
# it. With 2 s of delay each way (netem, only meanwhile), `ikectl' and
# `swanctl' started together send their requests before either arrives. Each time the CHILD SA is
# gone at both ends, nothing of it is left in ikesec, `ikectl status' and
# charon agree, and the first CHILD SA carries traffic; `ikectl up gw'
# then brings the second back. Last, a CHILD SA never rekeyed reaches its
# hard lifetime: we send charon a Delete for it (1.4.1).
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24, 10.0.11.1/24          inner 10.0.2.1/24, 10.0.12.1/24
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   child net  10.0.1.0/24  <=> 10.0.2.0/24
#   child net2 10.0.11.0/24 <=> 10.0.12.0/24
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
source "$(dirname "$0")/ike_children_lib.sh"

require_root
require_ike
require_cmd ping python3 tc
require_module

ike_bed cc

ktap_plan 19
children_topology

LOG=$DIR/a/ikedaemon.log
ESP=aes256gcm16
conf_charon
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }
conf_ours start
ikedaemon_start "$A" "$DIR/a"
ktap_check "both CHILD SAs up at both ends" \
	eval 'log_wait 40 "$LOG" "CHILD SA net2 established" &&
	      wait_for 20 both_up && agree net && agree net2'
# netem_on, netem_off: 2 s of delay each way, only while requests cross
netem_on() {
	tc -n "$A" qdisc add dev veth_a root netem delay 2s &&
		tc -n "$B" qdisc add dev veth_b root netem delay 2s ||
		echo "# no netem: the requests may not cross"
}
netem_off() {
	tc -n "$A" qdisc del dev veth_a root 2>/dev/null
	tc -n "$B" qdisc del dev veth_b root 2>/dev/null
}

# only net left: one CHILD SA at each end, its pair alone in ikesec
# (the grace of net2's inbound SA over), the SPIs agree
net_only() {
	[ "$(ours_installed)" = 1 ] && [ "$(charon_installed)" = 1 ] &&
		[ "$(module_sas)" = 2 ] && agree net >/dev/null &&
		[ -z "$(our_spis net2)" ]
}

# cross TAG ERE CMD1 CMD2: run both commands at once, up to 3 times until
# our log shows ERE (they crossed); then net2 must be gone everywhere.
cross() {
	local tag=$1 ere=$2 m p1 p2 crossed=0 attempt
	for attempt in 1 2 3; do
		m=$(log_mark "$LOG")
		netem_on
		eval "$3" > "$DIR/cmd1.out" 2>&1 &
		p1=$!
		eval "$4" > "$DIR/cmd2.out" 2>&1 &
		p2=$!
		wait $p1 $p2
		if wait_for 20 log_after "$m" "$LOG" "$ere"; then
			crossed=1
			break
		fi
		echo "# $tag, attempt $attempt: did not cross"
		sed 's/^/#   /' "$DIR/cmd1.out"
		wait_for 30 net_only
		netem_off
		ikectl_d "$DIR/a" up gw >/dev/null
		wait_for 40 both_up
	done
	log_after_show "$m" "$LOG" "$ere"
	ktap_check "$tag: the requests crossed" test "$crossed" = 1
	ktap_check "$tag: net2 gone at both ends and from ikesec, net agrees" \
		wait_for 30 net_only
	netem_off
	echo "# ikedaemon $(ours_installed) CHILD SA(s), charon $(charon_installed), ikesec $(module_sas) SAs"
	ktap_check "$tag: net still carries traffic" \
		ping_child net 10.0.1.1 10.0.2.1
	ikectl_d "$DIR/a" up gw | sed 's/^/# /'
	ktap_check "$tag: ikectl up gw brings net2 back, SPIs agree" \
		eval 'wait_for 40 both_up && wait_for 10 agree net2 >/dev/null &&
		      ping_child net2 10.0.11.1 10.0.12.1'
}

# both ends delete net2 (1.4.1): no Delete in either answer
cross "delete x delete" "peer deletes CHILD SA net2 [0-9a-f]*_o as we do" \
	'ikectl_d "$DIR/a" down net2' \
	'swanctl_ "$DIR/b" --terminate --child net2 --timeout 30'
grep -E "CHILD_SA.*(closed|delet)" "$DIR/b/charon.log" | tail -n 2 |
	sed 's/^/#   charon: /'

# we rekey net2, charon deletes it (2.25.1): the delete is answered as
# usual, our rekey refused or its new pair deleted
cross "rekey x delete" "rekey of CHILD SA net2 [0-9a-f]*_i it deleted meanwhile|rekey of CHILD SA net2 crossed the peer's delete" \
	'ikectl_d "$DIR/a" rekey net2' \
	'swanctl_ "$DIR/b" --terminate --child net2 --timeout 30'

# charon rekeys net2, we delete it: its rekey gets TEMPORARY_FAILURE
cross "delete x rekey" "rekey of CHILD SA [0-9a-f]* while we delete it: TEMPORARY_FAILURE" \
	'ikectl_d "$DIR/a" down net2' \
	'swanctl_ "$DIR/b" --rekey --child net2'

ktap_check "no CHILD SA diagnostic in ikectl last-error" \
	sh -c "! '$IKECTL' -s '$DIR/a/ctl.sock' last-error gw | grep -q CHD"
ktap_check "ikesec refused no SA add or delete (nothing half-installed or deleted twice)" \
	sh -c "! grep -E '\[KNL\].*(No such|File exists|not installed)' '$LOG'"
grep -E '\[KNL\].*(No such|File exists|not installed)' "$LOG" | head -n 3 |
	sed 's/^/#   /'

# net2 never rekeyed reaches its hard lifetime: we tell charon (1.4.1)
ikedaemon_stop "$DIR/a"
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
OURS_LIFE2=12s conf_ours start
cm=$(log_mark "$DIR/b/charon.log")
ikedaemon_start "$A" "$DIR/a"
wait_for 40 both_up
ktap_check "hard expiry: net2's 12 s run out, ikedaemon sends a Delete" \
	log_wait 40 "$LOG" "CHILD SA net2 [0-9a-f]*_i expired: Delete sent to the peer"
log_show "$LOG" "expired: Delete sent"
ktap_check "hard expiry: charon deletes its net2" \
	wait_for 10 log_after "$cm" "$DIR/b/charon.log" "received DELETE for ESP CHILD_SA"
log_after_show "$cm" "$DIR/b/charon.log" "received DELETE for ESP CHILD_SA"
grep -E '\[KNL\].*No such' "$LOG" | sed 's/^/#   /'
ktap_check "hard expiry: net2 gone at both ends and from ikesec, net agrees" \
	wait_for 20 net_only

ikedaemon_stop "$DIR/a"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
