#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two CHILD SAs on one IKE SA against strongSwan's charon (RFC 7296
# 1.3.1), charon initiating, ikedaemon responding: the first in IKE_AUTH,
# the second by CREATE_CHILD_SA, without and with PFS. Each pair carries
# its own traffic (ikesec's per-SA counters move), is rekeyed under
# traffic without loss and deleted on its own; a CREATE_CHILD_SA for
# selectors no child covers gets TS_UNACCEPTABLE; charon's IKE SA rekey
# moves both children (1.3.2). ikedaemon initiating:
# ike_children_init.sh.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24, 10.0.11.1/24          inner 10.0.2.1/24, 10.0.12.1/24
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   child net  10.0.1.0/24  <=> 10.0.2.0/24
#   child net2 10.0.11.0/24 <=> 10.0.12.0/24
#   (charon's child stray 10.0.22.0/24 <=> 10.0.21.0/24: not ours)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
source "$(dirname "$0")/ike_children_lib.sh"

require_root
require_ike
require_cmd ping python3
require_module

ike_bed ch

ktap_plan 34
children_topology

# --- charon initiates both children, ikedaemon responds ---
ESP=aes256gcm16
conf_charon
conf_ours none
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }
ikedaemon_start "$A" "$DIR/a"
swanctl_ "$DIR/b" --initiate --child net --timeout 40 > "$DIR/b/init.out" 2>&1
swanctl_ "$DIR/b" --initiate --child net2 --timeout 40 >> "$DIR/b/init.out" 2>&1
check_up_both "responder"

# charon rekeys the IKE SA: both children move to the new one (1.3.2)
old=$(ikedaemon_ike_spis "$DIR/a")
swanctl_ "$DIR/b" --rekey --ike peer >/dev/null 2>&1
check_ike_rekey "IKE SA rekeyed by charon" "$old"

# charon rekeys net2 under traffic on net2
old=$(our_spis net2)
ping_start 10.0.11.1 10.0.12.1
sleep 1
swanctl_ "$DIR/b" --rekey --child net2 >/dev/null 2>&1
log_wait 20 "$DIR/a/ikedaemon.log" "peer deleted CHILD SA" && sleep 2
ping_stop
zero_loss "net2 rekeyed by charon"
ktap_check "net2 rekeyed by charon: new SPIs agree, net untouched" \
	eval 'agree net2 && [ "$(our_spis net2)" != "$old" ] && agree net'

# ikedaemon rekeys net2 under traffic (ikectl rekey CHILD)
old=$(our_spis net2)
ping_start 10.0.11.1 10.0.12.1
sleep 1
ikectl_d "$DIR/a" rekey net2 | sed 's/^/# /'
log_wait 20 "$DIR/a/ikedaemon.log" "CHILD SA net2 rekeyed" && sleep 2
ping_stop
zero_loss "net2 rekeyed by ikectl rekey net2"
ktap_check "ikectl rekey net2: new SPIs agree, net untouched" \
	eval 'wait_for 10 agree net2 >/dev/null &&
	      [ "$(our_spis net2)" != "$old" ] && agree net'

# charon deletes net: net2 stays and carries traffic
swanctl_ "$DIR/b" --terminate --child net --timeout 20 >/dev/null 2>&1
ktap_check "charon deletes CHILD SA net: ikedaemon removes it" \
	wait_for 10 sh -c "[ -z \"\$('$IKECTL' -s '$DIR/a/ctl.sock' status | grep '^  net: ')\" ]"
ktap_check "after the delete: one pair left in ikesec ($(ip netns exec "$A" "$IKECTL" sa show | grep -c 'spi 0x') SAs)" \
	wait_for 5 sh -c "[ \$(ip netns exec '$A' '$IKECTL' sa show | grep -c 'spi 0x') = 2 ]"
ktap_check "after the delete: net2 still carries traffic" \
	ping_child net2 10.0.11.1 10.0.12.1

# a CHILD SA no child of ours covers
swanctl_ "$DIR/b" --initiate --child stray --timeout 20 >/dev/null 2>&1
ktap_check "selectors no child covers: ikedaemon says TS_UNACCEPTABLE" \
	log_wait 10 "$DIR/a/ikedaemon.log" "TS_UNACCEPTABLE for a new CHILD SA"
log_show "$DIR/a/ikedaemon.log" "TS_UNACCEPTABLE for a new CHILD SA"
ktap_check "selectors no child covers: charon gets TS_UNACCEPTABLE" \
	log_wait 10 "$DIR/b/charon.log" "TS_UNACCEPTABLE"
ktap_check "after the refusal: net2 still carries traffic" \
	ping_child net2 10.0.11.1 10.0.12.1
ikectl_d "$DIR/a" last-error gw | sed 's/^/# last-error: /'
ikedaemon_stop "$DIR/a"
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1

# --- charon initiates both children with PFS ---
ESP=aes256gcm16-x25519
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
conf_charon
charon_load "$DIR/b"
conf_ours none
: > "$DIR/a/ikedaemon.log"
ikedaemon_start "$A" "$DIR/a"
swanctl_ "$DIR/b" --initiate --child net --timeout 40 > "$DIR/b/init.out" 2>&1
swanctl_ "$DIR/b" --initiate --child net2 --timeout 40 >> "$DIR/b/init.out" 2>&1
check_up_both "responder, PFS"
ktap_check "responder, PFS: net2 keyed with a fresh X25519 exchange" \
	log_has "$DIR/a/ikedaemon.log" "CHILD SA net2 established.*CURVE_25519"
ikedaemon_stop "$DIR/a"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
