#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed IKEv2 messages against a running ikedaemon (RFC 7296 2.1, 2.3,
# 2.5, 2.21): crafted IKE_SA_INIT variants from an attacker's UDP socket
# (ike_craft.py init), then replays and bit flips of charon's captured
# IKE_AUTH request against the established IKE SA (ike_craft.py replay).
# For each: the answer (or silence) RFC 7296 prescribes, the log line that
# names it, the daemon alive; at the end the tunnel still carries traffic
# on the same SPIs and a CHILD rekey through the same IKE SA still works.
#
#   ns_a: ikedaemon + ikesec (responder)     ns_b: charon + XFRM (initiator)
#   inner 10.0.1.1/24 (dummy)                inner 10.0.2.1/24 (dummy)
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#                                            ike_craft.py (ephemeral port;
#                                            captures on veth_b)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping python3
require_module

CRAFT=$(dirname "$0")/ike_craft.py

ike_bed_extra() {
	[ -f "$DIR/cap.pid" ] && kill "$(cat "$DIR/cap.pid")" 2>/dev/null
}
ike_bed mf
LOG=$DIR/a/ikedaemon.log

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16

# The daemon process lives (`ikectl status' answering is checked at the
# end: every call is slow under TCG).
alive() { kill -0 "$(cat "$DIR/a/ikedaemon.pid")" 2>/dev/null; }

answering() { alive && ikectl_d "$DIR/a" status >/dev/null 2>&1; }

ping_tunnel() { ike_ping "$A" 10.0.1.1 10.0.2.1; }

charon_installed() {
	swanctl_ "$DIR/b" --list-sas 2>/dev/null | grep -q INSTALLED
}

# Both ends' SAs and counters, as KTAP comments, when a ping fails.
diag_tunnel() {
	{
		ip netns exec "$A" "$IKECTL" sa show
		ip netns exec "$A" "$IKECTL" stats
		ip netns exec "$A" "$IKECTL" policy show
		swanctl_ "$DIR/b" --list-sas
		ip -n "$B" -s xfrm state
		ip -n "$B" xfrm policy
	} 2>&1 | sed 's/^/# diag: /'
}

# A ping through the tunnel, a second try after 2 s (a slow VM), and the
# state of both ends if it still fails.
ping_retry() {
	ping_tunnel && return 0
	sleep 2
	ping_tunnel && return 0
	diag_tunnel
	return 1
}

# The newest log line matching ERE, as a KTAP comment.
log_last() { grep -E -- "$1" "$LOG" | tail -n 1 | sed 's/^/#   /'; }

# Count of log lines matching ERE.
log_count() { grep -Ec -- "$1" "$LOG"; }

# "SPIi SPIr" of the established IKE SA (crafted half-open ones aside).
est_spis() {
	ikectl_d "$DIR/a" status 2>/dev/null |
		awk '/ESTABLISHED/ { e = 1; next } e && /SPIs:/ { print $3, $4; exit }' |
		sed 's/_i\**//; s/_r\**//'
}

# Still one IKE SA established, on the same IKE and ESP SPIs.
not_reprocessed() {
	[ "$(log_count "IKE SA established")" = "$est" ] &&
		[ "$(est_spis)" = "$ike_spis" ] &&
		[ "$(ikedaemon_child_spis "$DIR/a")" = "$esp_spis" ]
}

# The IKE_SA_INIT variants: CASE|ANSWER_ERE|LOG_ERE, one crafter run for
# all (python is slow to start in the VM). Each log ERE matches one case.
R="response exch=34 ver=0x20 flags=0x20 msgid=0 .*"
FROM="from 192.0.2.2:[0-9]+"
INIT_CASES="\
ok|$R pl=SA,KE,NONCE|IKE_SA_INIT $FROM, selected
trunc-hdr|silence|datagram too short for IKE \(20 < 28\)
len-long|silence|header length 160, datagram 144
len-short|silence|header length 136, datagram 144
pld-past-end|silence|No payload length 76 invalid \(4\.\.36\)
crit-unknown|$R pl=N\(1\) data=fa|critical payload 250 not supported: answering UNSUPPORTED_CRITICAL_PAYLOAD
noncrit-unknown|$R pl=SA,KE,NONCE|skipping unknown payload 250
dup-sa|silence|duplicate SA payload
dup-ke|silence|duplicate KE payload
dup-nonce|silence|duplicate No payload
no-ke|silence|IKE_SA_INIT $FROM lacks KE, dropped
ke-short|silence|peer's KE payload \(group 31, 31 bytes\) rejected
major-3|$R pl=N\(5\) data=-|major version 3, we speak 2: answering INVALID_MAJOR_VERSION
spir-nonzero|silence|IKE_SA_INIT request $FROM with flags 0x08, responder SPI [0-9a-f]*[1-9a-f][0-9a-f]*, message ID 0 .*dropped
msgid-nonzero|silence|IKE_SA_INIT request $FROM with flags 0x08, responder SPI 0{16}, message ID 1 .*dropped
init-as-response|silence|IKE_SA_INIT 0 $FROM for unknown IKE SA, dropped
auth-unknown-spi|silence|IKE_AUTH 1 $FROM for unknown IKE SA, dropped
auth-window|silence|IKE_AUTH request 7 outside the window \(expected 1\), dropped
auth-badicv|silence|IKE_AUTH message 1: ICV does not verify"

# init_cases: run them all, then one KTAP line per case: the answer, a new
# matching log line, the daemon alive.
init_cases() {
	local c want logre got n=0 before=()
	while IFS='|' read -r c want logre; do
		before[n++]=$(log_count "$logre")
	done <<< "$INIT_CASES"
	ip netns exec "$B" python3 -S "$CRAFT" init 192.0.2.1 \
		$(echo "$INIT_CASES" | cut -d'|' -f1) > "$DIR/init.out"
	sleep 1	# the last lines to reach the log
	n=0
	while IFS='|' read -r c want logre; do
		got=$(sed -n "s/^$c: //p" "$DIR/init.out")
		echo "# $c: $got"
		if ! echo "$got" | grep -Eq -- "^($want)"; then
			ktap_not_ok "$c: answer is /$want/"
		elif [ "$(log_count "$logre")" -le "${before[n]}" ]; then
			echo "# no new log line /$logre/"
			ktap_not_ok "$c: answer ok, but no log line"
		else
			log_last "$logre"
			ktap_check "$c: ${got:0:40}..., logged, daemon alive" alive
		fi
		n=$((n + 1))
	done <<< "$INIT_CASES"
}

# replay_case NAME ANSWER_ERE LOG_ERE [replay options]
replay_case() {
	local name=$1 want=$2 logre=$3 got before; shift 3
	before=$(log_count "$logre")
	got=$(ip netns exec "$B" python3 -S "$CRAFT" replay veth_b "$DIR/cap" 35 "$@")
	echo "# $name: $got"
	if ! echo "$got" | grep -Eq -- "^($want)$"; then
		ktap_not_ok "$name: answer is /$want/"
		return
	fi
	if ! wait_for 3 sh -c "[ \$(grep -Ec -- '$logre' '$LOG') -gt $before ]"; then
		echo "# no new log line /$logre/"
		ktap_not_ok "$name: answer ok, but no log line"
		return
	fi
	log_last "$logre"
	ktap_check "$name: $got, logged, daemon alive" alive
}

ktap_plan 33
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1

# --- an IKE SA with charon, its IKE_AUTH request captured ---
ike_conf_charon "$DIR/b" initiator "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24
ike_conf_ours "$DIR/a" none "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }
ikedaemon_start "$A" "$DIR/a"
ip netns exec "$B" python3 -S "$CRAFT" capture veth_b "$DIR/cap" &
echo $! > "$DIR/cap.pid"
wait_for 10 test -e "$DIR/cap"	# created once it listens
swanctl_ "$DIR/b" --initiate --child net --timeout 20 > "$DIR/b/init.out" 2>&1
ktap_check "IKE SA with charon established (ikedaemon responder)" \
	log_wait 10 "$LOG" "\[CHD\] .*CHILD SA net established"
kill "$(cat "$DIR/cap.pid")" 2>/dev/null
rm -f "$DIR/cap.pid"
echo "# captured $(wc -l < "$DIR/cap") IKE datagrams"
ike_spis=$(est_spis)
esp_spis=$(ikedaemon_child_spis "$DIR/a")
echo "# IKE SPIs [$ike_spis], ESP SPIs [$esp_spis]"
wait_for 10 charon_installed || echo "# charon has no INSTALLED CHILD SA"
ktap_check "ping through the tunnel before the attack" ping_retry

# --- unauthenticated IKE_SA_INIT variants ---
init_cases

# --- the established IKE SA: replays and forgeries of charon's IKE_AUTH ---
est=$(log_count "IKE SA established")
replay_case "IKE_AUTH replayed (same message ID)" \
	"response exch=35 msgid=1 len=[0-9]+" \
	"retransmitted IKE_AUTH request 1, resending our response"
ktap_check "replayed IKE_AUTH not re-processed (no new SA, same SPIs)" \
	not_reprocessed
replay_case "IKE_AUTH with the next message ID and a flipped ICV bit" \
	silence "IKE_AUTH message 2: ICV does not verify" --msgid 2 --flip
replay_case "IKE_AUTH with a message ID far ahead" silence \
	"IKE_AUTH request 1000 outside the window \(expected 2\), dropped" \
	--msgid 1000

# the window did not move: charon's next request (message ID 2) works

swanctl_ "$DIR/b" --rekey --child net >/dev/null 2>&1
ktap_check "after the forgeries charon rekeys the CHILD SA (message ID 2)" \
	log_wait 10 "$LOG" "\[CHD\] .*CHILD SA net rekeyed"
replay_case "IKE_AUTH replayed after a newer exchange (old message ID)" \
	silence "IKE_AUTH request 1 outside the window \(expected [3-9]\), dropped"

ktap_check "IKE SA kept: same IKE SPIs after the attack" \
	test "$(est_spis)" = "$ike_spis"
ktap_check "IKE SA still established at charon" \
	sh -c "swanctl --list-sas --uri unix://$DIR/b/charon.vici 2>/dev/null | grep -q ESTABLISHED"
ktap_check "ping through the tunnel after the attack" ping_retry
ktap_check "the daemon answers ikectl status" answering
ktap_check "a well-formed IKE_SA_INIT is still answered" sh -c \
	"ip netns exec $B python3 -S $CRAFT init 192.0.2.1 ok | grep -q 'pl=SA,KE,NONCE'"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
