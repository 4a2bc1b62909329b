#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ikedaemon as initiator against a busy charon that wants COOKIEs (RFC 7296
# 2.6): charon asks for a cookie from the first request (cookie_threshold 1,
# one half-open IKE SA made by ike_flood.py) and answers IKE_SA_INIT 1 s
# late (send_delay, in the thread that sends its COOKIEs too), while
# ikedaemon retransmits every 0.3 s and more. Each request is answered, so
# COOKIEs for the earlier ones come in after ikedaemon returned the first;
# charon's cookies change every second. ikedaemon must drop those, keep its
# request with the first cookie, and get its IKE and CHILD SA.
#
#   ns_a: ikedaemon + ikesec + flood         ns_b: charon (busy) + XFRM
#   inner 10.0.1.1/24 (dummy)                inner 10.0.2.1/24 (dummy)
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping python3
require_module

FLOOD=$(dirname "$0")/ike_flood.py

ike_bed cki

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16

child_up() {
	log_wait 5 "$DIR/a/ikedaemon.log" "CHILD SA net established" &&
		ike_ping "$A" 10.0.1.1 10.0.2.1
}

ktap_plan 7
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
ike_conf_charon "$DIR/b" responder "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24
ike_conf_ours "$DIR/a" start "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
# block_threshold: the flood's half-open SA and ours share an address
IKE_CHARON_CONF="cookie_threshold = 1
		block_threshold = 100
		send_delay = 1000
		send_delay_type = 34
		send_delay_request = no
		send_delay_response = yes"
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }
IKE_CHARON_CONF=
charon_cookie_settle "$DIR/b"

out=$(ip netns exec "$A" python3 -S "$FLOOD" 192.0.2.2 1)
echo "# one half-open IKE SA at charon: $out"
ikedaemon_start "$A" "$DIR/a" -t 0.3 -b 1.5 -r 6 || skip "ikedaemon did not start"

ktap_check "ikedaemon: IKE SA established with charon through its COOKIEs" \
	log_wait 40 "$DIR/a/ikedaemon.log" "\[IKE\] gw\[1\]: IKE SA established"
ktap_check "ikedaemon logs that charon asked for a COOKIE" \
	log_has "$DIR/a/ikedaemon.log" "gw\[1\]: peer asked for a COOKIE"
log_show "$DIR/a/ikedaemon.log" "asked for a COOKIE"
n=$(grep -c 'a COOKIE answering an earlier IKE_SA_INIT request, dropped' \
	"$DIR/a/ikedaemon.log")
ktap_check "ikedaemon dropped $n COOKIEs answering its earlier requests" \
	test "$n" -ge 1
ktap_check "ikedaemon resent IKE_SA_INIT for the first COOKIE only" \
	sh -c "! grep -Eq 'refused the COOKIE|giving up' '$DIR/a/ikedaemon.log'"
ktap_check "charon accepted ikedaemon's AUTH (RealMessage1 the one it took)" \
	sh -c "! grep -q 'AUTHENTICATION_FAILED' '$DIR/a/ikedaemon.log' &&
		! grep -q 'MAC mismatched' '$DIR/b/charon.log'"
ktap_check "CHILD SA installed, ping 10.0.1.1 -> 10.0.2.1 through the tunnel" \
	child_up

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
