#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One ikedaemon responder, three strongSwan initiators, each with its own
# PSK, connection and traffic selectors. p1 and p2 sit behind one NAT and
# reach us from the same address: only their identities tell their
# connections and secrets apart (RFC 7296 2.15; strongSwan picks by
# identity before address, so must we). All three up at once, traffic
# through each; then p2 comes back with a wrong PSK: refused with the
# PSK-mismatch diagnostic (and `ikectl last-error p2'), p1 and p3 stay up.
#
#   ns P1 (charon p1.example)
#   inner 10.0.11.1/24
#   veth_p 172.16.1.2/24 --- veth_n1 172.16.1.1/24    ns N (router, NAT)
#   ns P2 (charon p2.example)                         masquerades 172.16/16
#   inner 10.0.12.1/24                                to 192.0.2.254
#   veth_p 172.16.2.2/24 --- veth_n2 172.16.2.1/24
#   ns P3 (charon p3.example)                         veth_na 192.0.2.254/24
#   inner 10.0.13.1/24                                        |
#   veth_p 198.51.100.2/24 - veth_n3 198.51.100.1/24   veth_a 192.0.2.1/24
#                                                     ns A: ikedaemon
#                                                     (sun.example), ikesec
#                                                     inner 10.0.1.1/24
#   tunnels 10.0.1.0/24 <=> 10.0.1N.0/24 (child netN of connection pN)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping nft
require_module

A=ikesec-pa-$ns_suffix
N=ikesec-pn-$ns_suffix
DIR=$(mktemp -d /tmp/ike_peers.XXXXXX)
mark=peers-$$
IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16
OURS=$DIR/a/ikedaemon.log

# P NUM: peer NUM's namespace
P() { echo "ikesec-p$1-$ns_suffix"; }
psk() { echo "psk-of-peer-$1-$ns_suffix"; }
# peer_addr NUM: its own address (p1, p2 leave the NAT as 192.0.2.254)
peer_addr() { [ "$1" = 3 ] && echo 198.51.100.2 || echo "172.16.$1.2"; }

cleanup() {
	local i f
	ikedaemon_stop "$DIR/a"
	for i in 1 2 3; do
		charon_stop "$DIR/p$i"
		ip netns del "$(P "$i")" 2>/dev/null
	done
	if [ "$ktap_failed" = 1 ]; then
		for f in "$DIR"/*/ikedaemon.log "$DIR"/*/charon.log; do
			[ -f "$f" ] && tail -n 30 "$f" | sed "s|^|# ${f#$DIR/}: |"
		done
	fi
	ip netns del "$A" 2>/dev/null
	ip netns del "$N" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

topology() {
	local i p a n l
	ip netns add "$A" && ip netns add "$N" || return 1
	ip link add veth_a netns "$A" type veth peer name veth_na netns "$N"
	ip -n "$A" link add inner type dummy 2>/dev/null ||
		ip -n "$A" link add inner type veth peer name inner_p
	ip -n "$A" addr add 192.0.2.1/24 dev veth_a
	ip -n "$A" addr add 10.0.1.1/24 dev inner
	ip -n "$N" addr add 192.0.2.254/24 dev veth_na
	for l in lo veth_a inner; do ip -n "$A" link set "$l" up; done
	for l in lo veth_na; do ip -n "$N" link set "$l" up; done
	# the peers' inner networks, 10.0.11-13.0/24, and p3's address
	ip -n "$A" route add 10.0.8.0/21 via 192.0.2.254 src 10.0.1.1
	ip -n "$A" route add 198.51.100.0/24 via 192.0.2.254
	for i in 1 2 3; do
		p=$(P "$i")
		a=$(peer_addr "$i")
		n=${a%.2}.1
		ip netns add "$p" || return 1
		ip link add veth_p netns "$p" type veth peer name "veth_n$i" \
			netns "$N"
		ip -n "$p" link add inner type dummy 2>/dev/null ||
			ip -n "$p" link add inner type veth peer name inner_p
		ip -n "$p" addr add "$a/24" dev veth_p
		ip -n "$p" addr add "10.0.1$i.1/24" dev inner
		ip -n "$N" addr add "$n/24" dev "veth_n$i"
		for l in lo veth_p inner; do ip -n "$p" link set "$l" up; done
		ip -n "$N" link set "veth_n$i" up
		ip -n "$p" route add default via "$n"
		ip -n "$p" route add 10.0.1.0/24 via "$n" src "10.0.1$i.1"
	done
	ip netns exec "$N" sysctl -qw net.ipv4.ip_forward=1
	# N knows no inner network: only the tunnels connect them
	ip netns exec "$N" nft -f - <<-NFT
	table ip peers {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "veth_na" ip saddr 172.16.0.0/16 masquerade
		}
	}
	NFT
}

# conf_charon NUM [PSK]: peer NUM's connection `peer', child net.
conf_charon() {
	local i=$1 d=$DIR/p$1
	mkdir -p "$d/swanctl"
	cat > "$d/swanctl/swanctl.conf" <<-CONF
	connections {
		peer {
			local_addrs = $(peer_addr "$i")
			remote_addrs = 192.0.2.1
			proposals = $IKE
			local {
				auth = psk
				id = p$i.example
			}
			remote {
				auth = psk
				id = sun.example
			}
			children {
				net {
					local_ts = 10.0.1$i.0/24
					remote_ts = 10.0.1.0/24
					esp_proposals = $ESP
					start_action = none
				}
			}
		}
	}
	secrets {
		ike-peer {
			id-1 = p$i.example
			id-2 = sun.example
			secret = "${2:-$(psk "$i")}"
		}
	}
	CONF
}

# Ours: connections p1 and p2 for the same address (the NAT), told apart
# by identity; p3 for its own address. A secret per peer.
conf_ours() {
	local i addr
	{
		echo "connections {"
		for i in 1 2 3; do
			addr=192.0.2.254
			[ "$i" = 3 ] && addr=198.51.100.2
			cat <<-CONF
			p$i {
				local_addrs = 192.0.2.1
				remote_addrs = $addr
				proposals = $IKE
				local {
					auth = psk
					id = sun.example
				}
				remote {
					auth = psk
					id = p$i.example
				}
				children {
					net$i {
						local_ts = 10.0.1.0/24
						remote_ts = 10.0.1$i.0/24
						esp_proposals = $ESP
						start_action = none
					}
				}
			}
			CONF
		done
		echo "}"
		echo "secrets {"
		for i in 1 2 3; do
			cat <<-CONF
			ike-p$i {
				id-1 = sun.example
				id-2 = p$i.example
				secret = "$(psk "$i")"
			}
			CONF
		done
		echo "}"
	} > "$DIR/a/ikedaemon.conf"
}

initiate() {
	swanctl_ "$DIR/p$1" --initiate --child net --timeout 30 \
		> "$DIR/p$1/init.out" 2>&1
}

# our_spis NUM: "IN OUT" ESP SPIs of our child netNUM.
our_spis() {
	ikectl_d "$DIR/a" status 2>/dev/null | sed -n \
		"s/^  net$1: INSTALLED.*ESP SPIs: \([0-9a-f]*\)_i \([0-9a-f]*\)_o.*/\1 \2/p" |
		head -n 1
}

# agree NUM: peer NUM's charon and we report the same SA pair.
agree() {
	local ours theirs
	ours=$(our_spis "$1")
	theirs=$(charon_child_spis "$DIR/p$1")
	echo "# p$1: ikedaemon in/out [$ours], charon in/out [$theirs]"
	set -- $ours $theirs
	[ $# = 4 ] && [ "$1" = "$4" ] && [ "$2" = "$3" ]
}

ping_peer() { ike_ping "$A" 10.0.1.1 "10.0.1$1.1"; }

# established NUM ADDR: our log has p NUM's IKE SA from ADDR as pNUM.example
established() {
	log_has "$OURS" "\[IKE\] p$1\[[0-9]+\]: IKE SA established between 192\.0\.2\.1:[0-9]+\[sun\.example\]\.\.\.$2\[p$1\.example\]"
}

ktap_plan 17
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/p1" "$DIR/p2" "$DIR/p3"
topology || exit 1
modprobe -q -a esp4 xfrm_user 2>/dev/null
# the three charons start at once (each takes seconds on a busy guest)
pids=()
for i in 1 2 3; do
	conf_charon "$i"
	charon_start "$(P "$i")" "$DIR/p$i" &
	pids+=($!)
done
for i in 1 2 3; do
	wait "${pids[i - 1]}" && charon_load "$DIR/p$i" ||
		{ cat "$DIR/p$i/charon.out"; skip "charon p$i did not start"; }
done
conf_ours
ikedaemon_start "$A" "$DIR/a" || { cat "$OURS"; exit 1; }
echo "# $SECONDS s: three charons and ikedaemon started"

# --- all three at once ---
pids=()
for i in 1 2 3; do
	initiate "$i" &
	pids+=($!)
done
wait "${pids[@]}"	# not charon's
echo "# $SECONDS s: the three initiations returned"
for i in 1 2 3; do
	ktap_check "p$i: CHILD SA net$i established (connection p$i)" \
		log_wait 20 "$OURS" "\[CHD\] p$i\[[0-9]+\]: CHILD SA net$i established"
done
ktap_check "p1 and p2 both from the NAT's 192.0.2.254, each on its own connection" \
	eval 'established 1 "192\.0\.2\.254:[0-9]+" && established 2 "192\.0\.2\.254:[0-9]+"'
log_show "$OURS" "p1\[[0-9]+\]: IKE SA established"
log_show "$OURS" "p2\[[0-9]+\]: IKE SA established"
ktap_check "p3 from 198.51.100.2 on connection p3" \
	established 3 "198\.51\.100\.2:[0-9]+"
for i in 1 2 3; do
	ktap_check "p$i: both ends agree on the ESP SPIs" wait_for 5 agree "$i"
	ktap_check "p$i: ping 10.0.1.1 -> 10.0.1$i.1 through its tunnel" \
		ping_peer "$i"
done
s1=$(our_spis 1)
s3=$(our_spis 3)

# --- p2 again, with a wrong PSK ---
echo "# $SECONDS s: p2 with a wrong PSK"
swanctl_ "$DIR/p2" --terminate --ike peer --timeout 10 >/dev/null 2>&1
log_wait 10 "$OURS" "p2\[[0-9]+\]: peer deleted the IKE SA"
conf_charon 2 "not-the-psk-of-p2"
charon_load "$DIR/p2"
: > "$DIR/p2/charon.log"
initiate 2
ktap_check "p2 with a wrong PSK: refused, PSK mismatch named with its connection and secret" \
	log_wait 20 "$OURS" "\[IKE\] p2\[[0-9]+\]: AUTHENTICATION_FAILED: AUTH payload of p2\.example did not verify with secret ike-p2 \(connection p2\): PSK mismatch likely"
log_show "$OURS" "AUTHENTICATION_FAILED"
ktap_check "p2 with a wrong PSK: charon received AUTHENTICATION_FAILED" \
	wait_for 10 log_has "$DIR/p2/charon.log" "received AUTHENTICATION_FAILED"
ktap_check "ikectl last-error p2 repeats the diagnostic" \
	sh -c "'$IKECTL' -s '$DIR/a/ctl.sock' last-error p2 | grep -q 'PSK mismatch likely'"
"$IKECTL" -s "$DIR/a/ctl.sock" last-error p2 | sed 's/^/#   /'
ktap_check "p1 and p3 stay up: same SPIs, ping through both" \
	eval '[ "$(our_spis 1)" = "$s1" ] && [ "$(our_spis 3)" = "$s3" ] &&
		ping_peer 1 && ping_peer 3 && [ -z "$(our_spis 2)" ]'

# --- p2 with its own PSK again ---
echo "# $SECONDS s: p2 with its PSK again"
conf_charon 2
charon_load "$DIR/p2"
initiate 2
ktap_check "p2 back with its PSK: CHILD SA up, SPIs agree, ping" \
	eval 'wait_for 10 agree 2 && ping_peer 2'

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
