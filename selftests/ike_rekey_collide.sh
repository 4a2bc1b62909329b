#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A CHILD SA rekey collision with strongSwan's charon (RFC 7296 2.8.1):
# both ends rekey the same CHILD SA at the same moment (charon initiates
# and installs the CHILD SA 1 s after us, behind 1 s of netem delay, with
# a rekey_time 1 s shorter than ours and no jitter, so the two
# CREATE_CHILD_SA requests cross). Both exchanges complete, the one with
# the lowest nonce loses and its initiator deletes what it made: each end
# is left with exactly one CHILD SA pair, the SPIs agree, traffic flows.
# Retried up to 3 times when the requests do not cross.
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

ktap_plan 4
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
ike_conf_charon "$DIR/b" responder "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }

# 1 s of delay from us to charon: charon (initiator) installs the CHILD
# SA 1 s after us, so with a rekey_time 1 s shorter and no jitter it
# rekeys when we do, and the two CREATE_CHILD_SA requests cross
sed -i 's/start_action = none/start_action = none\n\t\t\t\trekey_time = 11s\n\t\t\t\trand_time = 0s/' \
	"$DIR/b/swanctl/swanctl.conf"
charon_load "$DIR/b"
tc -n "$A" qdisc add dev veth_a root netem delay 1s ||
	echo "# no netem: the rekeys may not cross"
collided=0
for try in 1 2 3; do
	IKE_REKEY=12s ike_conf_ours "$DIR/a" none "$IKE" "$ESP" 10.0.1.0/24 \
		10.0.2.0/24
	ikedaemon_start "$A" "$DIR/a"
	swanctl_ "$DIR/b" --initiate --child net --timeout 20 >/dev/null 2>&1
	if log_wait 40 "$DIR/a/ikedaemon.log" "rekey collision: (ours|the peer's)"; then
		collided=1
		break
	fi
	echo "# try $try: the rekeys did not cross"
	ikedaemon_stop "$DIR/a"
	swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
done
grep -E "rekey collision|redundant|winning" "$DIR/a/ikedaemon.log" |
	sed 's/^/#   /'
grep -E "collision|CHILD_REKEY.*(lost|won)|redundant" "$DIR/b/charon.log" |
	head -n 4 | sed 's/^/#   charon: /'
ktap_check "collision: both ends rekeyed the CHILD SA at once (try $try)" \
	test "$collided" = 1
# settled: the loser deleted its pair, the winner the old one, grace over
settled() {
	[ "$(module_sas)" = 2 ] && [ "$(charon_children)" = 1 ] &&
		spis_match
}
spis_match() {
	local ours theirs
	ours=$(ikedaemon_child_spis "$DIR/a")
	theirs=$(charon_child_spis "$DIR/b")
	set -- $ours $theirs
	[ $# = 4 ] && [ "$1" = "$4" ] && [ "$2" = "$3" ]
}
ktap_check "collision: one CHILD SA pair left at each end, SPIs agree" \
	wait_for 8 settled
echo "# ikesec: $(module_sas) SAs, ikedaemon [$(ikedaemon_child_spis "$DIR/a")], charon [$(charon_child_spis "$DIR/b")] ($(charon_children) installed)"
ktap_check "collision: ping through the tunnel afterwards" \
	sh -c "ip netns exec $A ping -q -c 3 -i 0.3 -W 3 -I 10.0.1.1 10.0.2.1 >/dev/null"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
