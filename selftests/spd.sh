#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The SPD (RFC 4301 4.4.1, 5.1, 5.2) with packets: discard, bypass and
# protect out, in and fwd; ACQUIRE once per missing SA however many
# packets wait for it; the decrypted packet checked against the selector
# of the SA that carried it (RFC 4301 5.2 step 4).
#
#   ns_a                    ns_r (router)                     ns_b
#   veth_a 10.1.0.1/24 ---- veth_ra 10.1.0.254/24
#                           veth_rb 10.2.0.254/24 ---- veth_b 10.2.0.1/24
#
#   A and B route each other's /24 through R. Tunnels A <-> B have the
#   hosts' own addresses outside and inside; the gateway case tunnels
#   A <-> R and R forwards the cleartext to B.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping python3 timeout
[ -x "$IKECTL" ] || skip "$IKECTL not built"
EVENTS=$(dirname "$0")/ikesec_events
[ -x "$EVENTS" ] || skip "$EVENTS not built"
require_module

A=ikesec-spd-a-$ns_suffix
R=ikesec-spd-r-$ns_suffix
B=ikesec-spd-b-$ns_suffix
mark=spd-$$
evlog=$(mktemp)
evpid=

cleanup() {
	[ -n "$evpid" ] && kill "$evpid" 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$R" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -f "$evlog"
}
trap cleanup EXIT

ikectl() { local ns=$1; shift; ip netns exec "$ns" "$IKECTL" "$@"; }
hexkey() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

setup() {
	local ns
	ip netns add "$A" && ip netns add "$R" && ip netns add "$B" || exit 1
	ip link add veth_a netns "$A" type veth peer name veth_ra netns "$R"
	ip link add veth_b netns "$B" type veth peer name veth_rb netns "$R"
	for ns in "$A" "$R" "$B"; do ip -n "$ns" link set lo up; done
	ip -n "$A" addr add 10.1.0.1/24 dev veth_a
	ip -n "$R" addr add 10.1.0.254/24 dev veth_ra
	ip -n "$R" addr add 10.2.0.254/24 dev veth_rb
	ip -n "$B" addr add 10.2.0.1/24 dev veth_b
	ip -n "$A" link set veth_a up
	ip -n "$B" link set veth_b up
	ip -n "$R" link set veth_ra up
	ip -n "$R" link set veth_rb up
	ip -n "$A" route add 10.2.0.0/24 via 10.1.0.254
	ip -n "$B" route add 10.1.0.0/24 via 10.2.0.254
	ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
}

flush() {
	local ns
	for ns in "$A" "$R" "$B"; do
		ikectl "$ns" policy flush && ikectl "$ns" sa flush || return 1
	done
}

# hits NS ID: the policy's hit counter, -1 if there is no such policy.
hits() {
	ikectl "$1" policy show |
		awk -v id="$2" '
		$1 == "id" && $2 == id {
			for (i = 3; i < NF; i++)
				if ($i == "hits") h = $(i + 1)
		}
		END { print h == "" ? -1 : h }'
}

# pol NS ARGS...: add a policy, print its id.
pol() {
	local ns=$1; shift
	ikectl "$ns" policy add "$@" |
		awk '$1 == "id" { print $2; ok = 1 } END { exit !ok }'
}

ping_ok() { # FROM DST
	ip netns exec "$1" ping -q -c 2 -i 0.3 -W 2 "$2" >/dev/null 2>&1
}
ping_fails() { # FROM DST
	! ip netns exec "$1" ping -q -c 2 -i 0.2 -W 1 "$2" >/dev/null 2>&1
}

# sa_pair OUT_NS IN_NS SPI SRC DST REQID [sa args]: one direction.
sa_pair() {
	local o=$1 i=$2 spi=$3 src=$4 dst=$5 reqid=$6 key; shift 6
	key=0x$(hexkey 20)
	ikectl "$o" sa add dir out spi "$spi" src "$src" dst "$dst" \
		enc aes-gcm "$key" reqid "$reqid" &&
	ikectl "$i" sa add dir in spi "$spi" src "$src" dst "$dst" \
		enc aes-gcm "$key" reqid "$reqid" "$@"
}

# protect NS DIR SRC DST REQID TSRC TDST [prio]: a tunnel protect policy.
protect() {
	ikectl "$1" policy add dir "$2" src "$3" dst "$4" action protect \
		priority "${8:-10}" tmpl reqid "$5" mode tunnel \
		src "$6" dst "$7" >/dev/null
}

t_out_discard() {
	local id d0 ok=0
	flush || return 1
	id=$(pol "$A" dir out src 10.1.0.1 dst 10.2.0.1 proto icmp \
		action discard) || return 1
	d0=$(ikesec_stat "$A" out_policy_drops)
	ping_fails "$A" 10.2.0.1 || { echo "# ping went through"; ok=1; }
	[ "$(ikesec_stat "$A" out_policy_drops)" -ge $((d0 + 2)) ] ||
		{ echo "# out-policy-drops $d0 -> $(ikesec_stat "$A" out_policy_drops)"; ok=1; }
	[ "$(hits "$A" "$id")" -ge 2 ] ||
		{ echo "# policy hits $(hits "$A" "$id")"; ok=1; }
	return $ok
}

t_bypass_in_protect() {
	local n0
	flush || return 1
	protect "$A" out 10.1.0.0/24 10.2.0.0/24 1 10.1.0.1 10.2.0.1 &&
	protect "$A" in 10.2.0.0/24 10.1.0.0/24 2 10.2.0.1 10.1.0.1 &&
	protect "$B" out 10.2.0.0/24 10.1.0.0/24 2 10.2.0.1 10.1.0.1 &&
	protect "$B" in 10.1.0.0/24 10.2.0.0/24 1 10.1.0.1 10.2.0.1 || return 1
	# Without the bypass, no SA: nothing passes.
	ping_fails "$A" 10.2.0.1 || { echo "# ping passed without bypass"; return 1; }
	local ns d s t
	for ns in "$A" "$B"; do
		for d in in out; do
			s=10.1.0.1 t=10.2.0.1
			[ "$ns/$d" = "$A/in" ] || [ "$ns/$d" = "$B/out" ] &&
				s=10.2.0.1 t=10.1.0.1
			ikectl "$ns" policy add dir $d src $s dst $t proto icmp \
				action bypass priority 5 >/dev/null || return 1
		done
	done
	n0=$(ikesec_stat "$A" out_no_sa)
	ping_ok "$A" 10.2.0.1 || { echo "# A -> B blocked"; return 1; }
	ping_ok "$B" 10.1.0.1 || { echo "# B -> A blocked"; return 1; }
	[ "$(ikesec_stat "$A" out_no_sa)" = "$n0" ]
}

t_in_cleartext_dropped() {
	local d0
	flush || return 1
	protect "$B" in 10.1.0.0/24 10.2.0.0/24 1 10.1.0.1 10.2.0.1 || return 1
	d0=$(ikesec_stat "$B" in_policy_drops)
	ping_fails "$A" 10.2.0.1 || { echo "# cleartext accepted"; return 1; }
	[ "$(ikesec_stat "$B" in_policy_drops)" -ge $((d0 + 2)) ]
}

t_in_discard() {
	local id d0
	flush || return 1
	id=$(pol "$B" dir in src 10.1.0.1 dst 10.2.0.1 action discard) ||
		return 1
	d0=$(ikesec_stat "$B" in_policy_drops)
	ping_fails "$A" 10.2.0.1 || { echo "# ping went through"; return 1; }
	[ "$(ikesec_stat "$B" in_policy_drops)" -ge $((d0 + 2)) ] &&
		[ "$(hits "$B" "$id")" -ge 2 ]
}

t_fwd_discard() {
	local id d0
	flush || return 1
	ping_ok "$A" 10.2.0.1 || { echo "# no path through R"; return 1; }
	id=$(pol "$R" dir fwd src 10.1.0.0/24 dst 10.2.0.0/24 \
		action discard) || return 1
	d0=$(ikesec_stat "$R" in_policy_drops)
	ping_fails "$A" 10.2.0.1 || { echo "# R forwarded"; return 1; }
	[ "$(ikesec_stat "$R" in_policy_drops)" -ge $((d0 + 2)) ] &&
		[ "$(hits "$R" "$id")" -ge 2 ]
}

# R is A's security gateway for 10.2.0.0/24: A -> R tunnelled, R -> B
# cleartext. R's fwd policy admits only what came out of the tunnel.
t_fwd_protect() {
	local d0 p0
	flush || return 1
	sa_pair "$A" "$R" 0x2001 10.1.0.1 10.1.0.254 1 &&
	sa_pair "$R" "$A" 0x2002 10.1.0.254 10.1.0.1 2 &&
	protect "$A" out 10.1.0.1 10.2.0.0/24 1 10.1.0.1 10.1.0.254 &&
	protect "$A" in 10.2.0.0/24 10.1.0.1 2 10.1.0.254 10.1.0.1 &&
	protect "$R" fwd 10.1.0.1 10.2.0.0/24 1 10.1.0.1 10.1.0.254 &&
	protect "$R" out 10.2.0.0/24 10.1.0.1 2 10.1.0.254 10.1.0.1 ||
		return 1
	ping_ok "$A" 10.2.0.1 || { echo "# tunnel through R failed"; return 1; }
	p0=$(ikesec_sa_stat "$R" in 0x2001 packets)
	[ "$p0" -ge 2 ] || { echo "# R's inbound SA saw $p0"; return 1; }
	# The same traffic in the clear is not forwarded.
	ikectl "$A" policy flush || return 1
	d0=$(ikesec_stat "$R" in_policy_drops)
	ping_fails "$A" 10.2.0.1 || { echo "# R forwarded cleartext"; return 1; }
	[ "$(ikesec_stat "$R" in_policy_drops)" -ge $((d0 + 2)) ]
}

events_start() {
	: >"$evlog"
	ip netns exec "$1" "$EVENTS" >"$evlog" 2>&1 &
	evpid=$!
	wait_for 5 grep -q '^listening' "$evlog"
}
events_stop() { kill "$evpid" 2>/dev/null; wait "$evpid" 2>/dev/null; evpid=; }
nacquire() { grep -c '^acquire' "$evlog"; }

t_acquire_once() {
	local ok=0 n0 a0
	flush || return 1
	protect "$A" out 10.1.0.1 10.2.0.1 7 10.1.0.1 10.2.0.1 &&
	protect "$A" in 10.2.0.1 10.1.0.1 8 10.2.0.1 10.1.0.1 &&
	protect "$B" out 10.2.0.1 10.1.0.1 8 10.2.0.1 10.1.0.1 &&
	protect "$B" in 10.1.0.1 10.2.0.1 7 10.1.0.1 10.2.0.1 || return 1
	n0=$(ikesec_stat "$A" out_no_sa)
	a0=$(ikesec_stat "$A" acquires)
	events_start "$A" || { echo "# listener did not start"; return 1; }
	ip netns exec "$A" ping -q -c 20 -i 0.02 -W 1 10.2.0.1 >/dev/null 2>&1
	wait_for 5 test "$(nacquire)" -ge 1
	events_stop
	sed 's/^/# event: /' "$evlog"
	[ "$(nacquire)" = 1 ] || ok=1
	grep -q '^acquire .* reqid 7$' "$evlog" || ok=1
	[ "$(ikesec_stat "$A" out_no_sa)" = $((n0 + 20)) ] ||
		{ echo "# out-no-sa $n0 -> $(ikesec_stat "$A" out_no_sa), not +20"; ok=1; }
	[ "$(ikesec_stat "$A" acquires)" = $((a0 + 1)) ] || ok=1
	# What the daemon would do now: the SAs; then traffic flows.
	sa_pair "$A" "$B" 0x3001 10.1.0.1 10.2.0.1 7 &&
	sa_pair "$B" "$A" 0x3002 10.2.0.1 10.1.0.1 8 || return 1
	ping_ok "$A" 10.2.0.1 || { echo "# no traffic after SA_NEW"; ok=1; }
	return $ok
}

# B's inbound SA admits only ICMP 10.1.0.1 -> 10.2.0.1; A's policy sends
# all of 10.1.0.0/24 -> 10.2.0.0/24 into it, so A's UDP arrives
# authentic but outside the SA's selector.
t_selector() {
	local s0 n0 p0
	flush || return 1
	protect "$A" out 10.1.0.0/24 10.2.0.0/24 1 10.1.0.1 10.2.0.1 &&
	protect "$A" in 10.2.0.1 10.1.0.1 2 10.2.0.1 10.1.0.1 &&
	protect "$B" out 10.2.0.1 10.1.0.1 2 10.2.0.1 10.1.0.1 &&
	protect "$B" in 10.1.0.1 10.2.0.1 1 10.1.0.1 10.2.0.1 &&
	sa_pair "$A" "$B" 0x4001 10.1.0.1 10.2.0.1 1 \
		sel 10.1.0.1 10.2.0.1 proto icmp &&
	sa_pair "$B" "$A" 0x4002 10.2.0.1 10.1.0.1 2 || return 1
	ping_ok "$A" 10.2.0.1 || { echo "# ICMP inside the selector lost"; return 1; }
	s0=$(ikesec_sa_stat "$B" in 0x4001 selector_drops)
	n0=$(ikesec_stat "$B" in_selector_drops)
	p0=$(ikesec_sa_stat "$B" in 0x4001 packets)
	ip netns exec "$A" python3 -S -c '
import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3): s.sendto(b"x", ("10.2.0.1", 9))'
	wait_for 5 test "$(ikesec_sa_stat "$B" in 0x4001 selector_drops)" -ge $((s0 + 3)) ||
		{ echo "# selector-drops $s0 -> $(ikesec_sa_stat "$B" in 0x4001 selector_drops)"; return 1; }
	[ "$(ikesec_stat "$B" in_selector_drops)" -ge $((n0 + 3)) ] &&
		[ "$(ikesec_sa_stat "$B" in 0x4001 packets)" = "$p0" ]
}

setup
dmesg_mark "$mark"
ktap_plan 9
ktap_check "out discard drops pings (out-policy-drops, hits)" t_out_discard
ktap_check "bypass (better priority) inside a protect range, both ways" \
	t_bypass_in_protect
ktap_check "in: cleartext under a protect policy dropped (in-policy-drops)" \
	t_in_cleartext_dropped
ktap_check "in discard drops (in-policy-drops, hits)" t_in_discard
ktap_check "fwd discard on a router drops forwarded traffic" t_fwd_discard
ktap_check "fwd protect on a gateway: tunnelled forwarded, cleartext dropped" \
	t_fwd_protect
ktap_check "ACQUIRE once for 20 pings, traffic after SA_NEW" t_acquire_once
ktap_check "decrypted packet outside its SA's selector dropped (selector-drops)" \
	t_selector

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
