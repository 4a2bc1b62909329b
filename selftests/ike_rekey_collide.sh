#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A CHILD SA rekey collision with strongSwan's charon (RFC 7296 2.8.1):
# both ends rekey the same CHILD SA at the same moment. With 1 s of
# delay each way on the link, `ikectl rekey' and `swanctl --rekey' are
# started together, so each CREATE_CHILD_SA request leaves before the
# other arrives and the two cross on the wire. Both exchanges complete,
# the one with the lowest nonce loses and its initiator deletes what it
# made: each end is left with exactly one CHILD SA pair, the SPIs agree,
# traffic flows. Three rounds, so that both ends are likely to win once.
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

A=ikesec-rc-a-$ns_suffix
B=ikesec-rc-b-$ns_suffix
DIR=$(mktemp -d /tmp/ike_rekey_collide.XXXXXX)
mark=rc-$$

cleanup() {
	ikedaemon_stop "$DIR/a"
	charon_stop "$DIR/b"
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	if [ "$ktap_failed" = 1 ]; then
		for f in "$DIR"/a/ikedaemon.log "$DIR"/b/charon.log; do
			[ -f "$f" ] && grep -v '\[NET\]\|\[ENC\]\|\[CFG\]' "$f" |
				tail -n 40 | sed "s|^|# $(basename "$f"): |"
		done
	fi
	rm -rf "$DIR"
}
trap cleanup EXIT

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16

# ikesec SAs (in and out) in ns_a; charon's installed CHILD SAs.
module_sas() { ip netns exec "$A" "$IKECTL" sa show | grep -c 'spi 0x'; }
charon_children() {
	swanctl_ "$DIR/b" --list-sas 2>/dev/null | grep -c 'INSTALLED'
}

ktap_plan 10
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
# each request needs 1 s to reach the other end: both are on the wire
# before either arrives
tc -n "$A" qdisc add dev veth_a root netem delay 1s &&
	tc -n "$B" qdisc add dev veth_b root netem delay 1s ||
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

# Three rounds: which end wins depends on the nonces, so both outcomes
# are likely to be exercised.
for round in 1 2 3; do
	old=$(ikedaemon_child_spis "$DIR/a")
	seen=$(grep -Ec "rekey collision: (ours|the peer's)" "$DIR/a/ikedaemon.log")
	ikectl_d "$DIR/a" rekey gw > "$DIR/rekey.out" 2>&1 &
	p1=$!
	swanctl_ "$DIR/b" --rekey --child net >/dev/null 2>&1 &
	p2=$!
	wait $p1 $p2
	sed 's/^/# ikectl: /' "$DIR/rekey.out"
	collided() {
		[ "$(grep -Ec "rekey collision: (ours|the peer's)" \
			"$DIR/a/ikedaemon.log")" -gt "$seen" ]
	}
	wait_for 20 collided
	grep -E "rekey collision: (ours|the peer's)" "$DIR/a/ikedaemon.log" |
		tail -n 1 | sed 's/^/#   /'
	ktap_check "round $round: both ends rekeyed the CHILD SA at once" \
		collided
	ktap_check "round $round: one new CHILD SA pair left at each end, SPIs agree" \
		wait_for 30 settled
	echo "# ikesec: $(module_sas) SAs, ikedaemon [$old] -> [$(ikedaemon_child_spis "$DIR/a")], charon [$(charon_child_spis "$DIR/b")] ($(charon_children) installed)"
	ktap_check "round $round: ping through the tunnel afterwards" \
		sh -c "ip netns exec $A ping -q -c 3 -i 0.3 -W 3 -I 10.0.1.1 10.0.2.1 >/dev/null"
done
grep -E "collision|CHILD_REKEY.*(lost|won)|redundant" "$DIR/b/charon.log" |
	head -n 6 | sed 's/^/#   charon: /'

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
