#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# COOKIEs of the responder under half-open load (RFC 7296 2.6): a flood
# of IKE_SA_INIT requests that never continue (random SPIs and source
# ports, ike_flood.py) from the peer's address makes ikedaemon (run with
# -c 5) answer with a COOKIE once 5 IKE SAs are half-open; the flood
# creates no further state (ikectl status, daemon RSS); a forged cookie
# is refused; strongSwan's charon, which handles COOKIE, still gets its
# IKE and CHILD SA and traffic flows.
#
#   ns_a: ikedaemon -c 5 + ikesec            ns_b: charon + flood
#   inner 10.0.1.1/24 (dummy)                inner 10.0.2.1/24 (dummy)
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping python3
require_module

FLOOD=$(dirname "$0")/ike_flood.py
THRESHOLD=5

ike_bed ck

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$(cat "$DIR/a/ikedaemon.pid")/status"; }
# IKE SAs ikedaemon holds (any state).
ike_sas() { ikectl_d "$DIR/a" status 2>/dev/null | grep -c 'SPIs: .*_r'; }
# flood_field OUT NAME: one counter of ike_flood.py's line.
flood_field() { echo "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }

ktap_plan 9
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
ike_conf_charon "$DIR/b" initiator "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24
# stay on port 500: NAT-T is not what this test is about
sed -i 's/^\(\s*\)proposals = \(.*\)/&\n\1mobike = no/' "$DIR/b/swanctl/swanctl.conf"
ike_conf_ours "$DIR/a" none "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }
ikedaemon_start "$A" "$DIR/a" -c "$THRESHOLD" || skip "ikedaemon did not start"

out=$(ip netns exec "$B" python3 -S "$FLOOD" 192.0.2.1 200)
echo "# flood of 200 half-open IKE_SA_INIT: $out"
sa=$(flood_field "$out" sa)
ck=$(flood_field "$out" cookie)
ktap_check "flood: the first $THRESHOLD requests get an IKE SA ($sa did)" \
	test "${sa:-0}" -eq "$THRESHOLD"
ktap_check "flood: the other requests get only a COOKIE ($ck of $((200 - THRESHOLD)))" \
	test "${ck:-0}" -eq $((200 - THRESHOLD))
ktap_check "ikedaemon logs that COOKIEs are on" \
	log_has "$DIR/a/ikedaemon.log" "COOKIEs on: $THRESHOLD half-open IKE SAs, threshold $THRESHOLD"
log_show "$DIR/a/ikedaemon.log" "COOKIEs on"
n=$(ike_sas)
ktap_check "flood: ikedaemon holds $n IKE SAs (<= $THRESHOLD)" \
	test "$n" -le "$THRESHOLD"

# half-open SAs time out after 30 s: top the load up before each step
refill() { ip netns exec "$B" python3 -S "$FLOOD" 192.0.2.1 "$THRESHOLD" >/dev/null; }
refill
rss0=$(rss_kb)
out=$(ip netns exec "$B" python3 -S "$FLOOD" 192.0.2.1 300 --echo)
echo "# flood of 300 returning a forged cookie: $out"
ck=$(flood_field "$out" cookie)
ktap_check "forged cookies: asked again, no IKE SA ($ck of 300 got a COOKIE)" \
	test "${ck:-0}" -eq 300 -a "$(ike_sas)" -le "$THRESHOLD"
rss1=$(rss_kb)
echo "# ikedaemon RSS ${rss0} kB before, ${rss1} kB after 300 more requests"
ktap_check "flood: ikedaemon RSS grew by $((rss1 - rss0)) kB (< 512)" \
	test $((rss1 - rss0)) -lt 512

# charon returns the cookie and gets through while cookies are on
refill
swanctl_ "$DIR/b" --initiate --child net --timeout 20 > "$DIR/b/init.out" 2>&1
ktap_check "charon: COOKIE returned, IKE SA established with ikedaemon" \
	log_wait 10 "$DIR/a/ikedaemon.log" "\[IKE\] gw\[[0-9]+\]: IKE SA established"
grep -E -m1 -i "cookie" "$DIR/b/charon.log" | sed 's/^/#   charon: /'
ktap_check "charon: CHILD SA installed, ping through the tunnel" \
	sh -c "grep -q 'CHILD SA net established' '$DIR/a/ikedaemon.log' &&
		ip netns exec $A ping -q -c 3 -i 0.2 -W 2 -I 10.0.1.1 10.0.2.1 >/dev/null"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
