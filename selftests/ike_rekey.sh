#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rekeying under traffic against strongSwan's charon: a continuous ping
# (every 50 ms) runs through the tunnel across a CHILD rekey started by
# us (soft lifetime), one started by charon, an IKE rekey started by
# charon and one started by us; not one packet may be lost (make before
# break: the responder switches outbound only when the old SA is
# deleted, a deleted inbound SA stays a moment for packets in flight).
# Collisions: ike_rekey_collide.sh.
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

ike_bed rk

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16

count() { grep -Ec -- "$2" "$1"; }
# Wait for our CHILD SA; say so (with the log) when it does not come.
# charon's first CHILD SA can take long (XFRM modules load): try twice.
established() {
	log_wait 20 "$DIR/a/ikedaemon.log" "CHILD SA net established" && return
	ikectl_d "$DIR/a" up gw >/dev/null
	log_wait 40 "$DIR/a/ikedaemon.log" "CHILD SA net established" && return
	echo "# no CHILD SA:"
	grep -v '\[NET\]\|\[ENC\]' "$DIR/a/ikedaemon.log" | tail -n 15 |
		sed 's/^/#   /'
}

ktap_plan 6
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
ike_conf_charon "$DIR/b" responder "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }

# --- 1: ikedaemon rekeys its CHILD SA at the soft lifetime, twice ---
IKE_REKEY=6s ike_conf_ours "$DIR/a" start "$IKE" "$ESP" 10.0.1.0/24 \
	10.0.2.0/24
ikedaemon_start "$A" "$DIR/a"
established
ping_start 10.0.1.1 10.0.2.1
log_wait 30 "$DIR/a/ikedaemon.log" "CHILD SA net rekeyed(.|$)" &&
	wait_for 30 sh -c "[ \$(grep -c 'CHILD SA net rekeyed' '$DIR/a/ikedaemon.log') -ge 2 ]" &&
	sleep 2
ping_stop
n=$(count "$DIR/a/ikedaemon.log" "rekeying CHILD SA net")
echo "# $n CHILD rekeys started by ikedaemon"
zero_loss "CHILD rekey by ikedaemon (x$n)"
ikedaemon_stop "$DIR/a"
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1

# --- 2, 3: charon rekeys the CHILD SA, then the IKE SA ---
ike_conf_ours "$DIR/a" start "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
ikedaemon_start "$A" "$DIR/a"
established
ping_start 10.0.1.1 10.0.2.1
sleep 1
swanctl_ "$DIR/b" --rekey --child net >/dev/null 2>&1
log_wait 15 "$DIR/a/ikedaemon.log" "peer deleted CHILD SA" && sleep 2
log_show "$DIR/a/ikedaemon.log" "outbound stays"
log_show "$DIR/a/ikedaemon.log" "outbound now"
ping_stop
zero_loss "CHILD rekey by charon"
ping_start 10.0.1.1 10.0.2.1
sleep 1
swanctl_ "$DIR/b" --rekey --ike peer >/dev/null 2>&1
log_wait 15 "$DIR/a/ikedaemon.log" "replaced by its rekeyed successor" &&
	sleep 2
ping_stop
zero_loss "IKE rekey by charon"
ktap_check "after charon's rekeys: one CHILD SA pair in ikesec ($(module_sas) SAs) and at charon ($(charon_children))" \
	test "$(module_sas)" = 2 -a "$(charon_children)" = 1
ikedaemon_stop "$DIR/a"
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1

# --- 4: ikedaemon rekeys its IKE SA ---
IKE_IKE_REKEY=5s ike_conf_ours "$DIR/a" start "$IKE" "$ESP" 10.0.1.0/24 \
	10.0.2.0/24
ikedaemon_start "$A" "$DIR/a"
established
ping_start 10.0.1.1 10.0.2.1
log_wait 30 "$DIR/a/ikedaemon.log" "IKE SA rekeyed: now" && sleep 2
ping_stop
zero_loss "IKE rekey by ikedaemon"
ikedaemon_stop "$DIR/a"
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
