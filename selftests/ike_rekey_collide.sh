#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A CHILD SA rekey collision with strongSwan's charon (RFC 7296 2.8.1):
# both ends rekey the same CHILD SA at the same moment. With 2 s of
# delay each way on the link, `ikectl rekey' and `swanctl --rekey' are
# started together, so each CREATE_CHILD_SA request leaves before the
# other arrives and the two cross on the wire. Both exchanges complete,
# the one with the lowest nonce loses and its initiator deletes what it
# made: each end is left with exactly one CHILD SA pair, the SPIs agree,
# traffic flows. Two rounds; then the same for the IKE SA.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24 (dummy)                inner 10.0.2.1/24 (dummy)
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   tunnel 10.0.1.0/24 <=> 10.0.2.0/24, AES-GCM-16-256 / X25519
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping tc
require_module

ike_bed rc

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16

ktap_plan 11
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
ike_conf_charon "$DIR/b" responder "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }

ike_conf_ours "$DIR/a" none "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
ikedaemon_start "$A" "$DIR/a"
swanctl_ "$DIR/b" --initiate --child net --timeout 30 >/dev/null 2>&1
log_wait 40 "$DIR/a/ikedaemon.log" "CHILD SA net established" ||
	echo "# no CHILD SA: $(grep -v '\[NET\]\|\[ENC\]' "$DIR/a/ikedaemon.log" | tail -n 5)"
# each request needs 2 s to reach the other end: both are on the wire
# before either arrives
tc -n "$A" qdisc add dev veth_a root netem delay 2s &&
	tc -n "$B" qdisc add dev veth_b root netem delay 2s ||
	echo "# no netem: the rekeys may not cross"

spis_match() {
	local ours theirs
	ours=$(ikedaemon_child_spis "$DIR/a")
	theirs=$(charon_child_spis "$DIR/b")
	set -- $ours $theirs
	[ $# = 4 ] && [ "$1" = "$4" ] && [ "$2" = "$3" ]
}
# settled: the loser deleted its pair, the winner the old one, grace over
settled() {
	[ "$(module_sas)" = 2 ] && [ "$(charon_children)" = 1 ] &&
		spis_match && [ "$(ikedaemon_child_spis "$DIR/a")" != "$old" ]
}

n_collisions() {
	grep -Ec "rekey collision: (ours|the peer's)" "$DIR/a/ikedaemon.log"
}
# cross_child_rekeys: start both rekeys together; 0 if they crossed. On a
# busy host one end may start late enough to see the other's request
# first (no collision): the caller tries again.
cross_child_rekeys() {
	local p1 p2
	old=$(ikedaemon_child_spis "$DIR/a")
	seen=$(n_collisions)
	ikectl_d "$DIR/a" rekey gw > "$DIR/rekey.out" 2>&1 &
	p1=$!
	swanctl_ "$DIR/b" --rekey --child net >/dev/null 2>&1 &
	p2=$!
	wait $p1 $p2
	sed 's/^/# ikectl: /' "$DIR/rekey.out"
	wait_for 20 new_collision
}
new_collision() { [ "$(n_collisions)" -gt "$seen" ]; }

# Two rounds: which end wins depends on the nonces, so both outcomes are
# likely to be exercised over the runs.
for round in 1 2; do
	crossed=0
	for attempt in 1 2 3; do
		if cross_child_rekeys; then
			crossed=1
			break
		fi
		echo "# round $round, attempt $attempt: the rekeys did not cross"
		wait_for 30 settled
	done
	grep -E "rekey collision: (ours|the peer's)" "$DIR/a/ikedaemon.log" |
		tail -n 1 | sed 's/^/#   /'
	ktap_check "round $round: both ends rekeyed the CHILD SA at once" \
		test "$crossed" = 1
	ktap_check "round $round: one new CHILD SA pair left at each end, SPIs agree" \
		wait_for 30 settled
	echo "# ikesec: $(module_sas) SAs, ikedaemon [$old] -> [$(ikedaemon_child_spis "$DIR/a")], charon [$(charon_child_spis "$DIR/b")] ($(charon_children) installed)"
	ktap_check "round $round: ping through the tunnel afterwards" \
		sh -c "ip netns exec $A ping -q -c 3 -i 0.3 -W 5 -I 10.0.1.1 10.0.2.1 >/dev/null"
done
grep -E "collision|CHILD_REKEY.*(lost|won)|redundant" "$DIR/b/charon.log" |
	head -n 6 | sed 's/^/#   charon: /'

# IKE SA rekeys crossing (2.8.2, 2.25.2): each end answers the other's
# request as usual, so two new IKE SAs exist for a moment; the one made
# with the lowest of the four nonces is deleted by its initiator, the
# CHILD SA moves to the other, and the old IKE SA goes. The end state:
# one new IKE SA at each end, the same SPIs, the CHILD SA on it.
ike_established() {
	[ "$(ikectl_d "$DIR/a" status 2>/dev/null | grep -c ESTABLISHED)" = 1 ] &&
		[ "$(swanctl_ "$DIR/b" --list-sas 2>/dev/null | grep -c ESTABLISHED)" = 1 ]
}
ike_settled() {
	local ours theirs
	ours=$(ikedaemon_ike_spis "$DIR/a")
	theirs=$(charon_ike_spis "$DIR/b")
	ike_established && [ -n "$ours" ] && [ "$ours" = "$theirs" ] &&
		[ "$ours" != "$old_ike" ] && [ "$(module_sas)" = 2 ] &&
		spis_match
}
# the verdicts of our side: one per crossing
ike_verdicts() {
	grep -Ec "IKE SA rekey collision: (ours \(.*\) has the lowest nonce|the peer's new IKE SA .* has the lowest nonce)" \
		"$DIR/a/ikedaemon.log"
}
crossed=0
for attempt in 1 2 3; do
	old_ike=$(ikedaemon_ike_spis "$DIR/a")
	seen=$(ike_verdicts)
	ikectl_d "$DIR/a" rekey --ike gw > "$DIR/rekey.out" 2>&1 &
	p1=$!
	swanctl_ "$DIR/b" --rekey --ike peer >/dev/null 2>&1 &
	p2=$!
	wait $p1 $p2
	sed 's/^/# ikectl: /' "$DIR/rekey.out"
	wait_for 40 ike_settled
	[ "$(ike_verdicts)" -gt "$seen" ] && { crossed=1; break; }
	echo "# IKE attempt $attempt: the rekeys did not cross"
done
ktap_check "IKE: both ends rekeyed the IKE SA at once, both answered, the nonces decided" \
	test "$crossed" = 1
ktap_check "IKE: one new IKE SA at each end, IKE and ESP SPIs agree" \
	ike_settled
echo "# IKE SPIs: ours [$old_ike] -> [$(ikedaemon_ike_spis "$DIR/a")], charon [$(charon_ike_spis "$DIR/b")]"
# the survivor is the one the verdict named: if ours was redundant, the
# peer's SA (we are its responder) must be the one left, and vice versa
verdict_kept() {
	local v
	v=$(grep -E "IKE SA rekey collision: " "$DIR/a/ikedaemon.log" | tail -n 1)
	case "$v" in
	*"ours ("*"lowest nonce"*) ikectl_d "$DIR/a" status | grep -A1 ESTABLISHED | grep -q 'responder SPIs' ;;
	*"the peer's new IKE SA"*) ikectl_d "$DIR/a" status | grep -A1 ESTABLISHED | grep -q 'initiator SPIs' ;;
	*) false ;;
	esac
}
ktap_check "IKE: the IKE SA left is the one the nonce comparison kept" verdict_kept
ktap_check "IKE: ping through the tunnel afterwards" \
	sh -c "ip netns exec $A ping -q -c 3 -i 0.3 -W 5 -I 10.0.1.1 10.0.2.1 >/dev/null"
grep -E "IKE SA rekey collision|IKE SA rekeyed|IKE SA deleted" \
	"$DIR/a/ikedaemon.log" | tail -n 8 | sed 's/^/#   /'
grep -E "IKE_REKEY|collision|redundant" "$DIR/b/charon.log" | grep -v CHILD |
	tail -n 6 | sed 's/^/#   charon: /'

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
