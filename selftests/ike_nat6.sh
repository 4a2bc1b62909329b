#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NAT traversal over IPv6 (RFC 7296 2.23, RFC 3948) against strongSwan:
# the middle namespace masquerades IPv6 (nft ip6 nat, random source
# ports). 1: ikedaemon behind the NAT initiates to strongSwan; 2:
# strongSwan behind the NAT initiates to ikedaemon, then the NAT mapping
# changes and our SAs follow. Each time: NAT detected, IKE ends on port
# 4500, ping (inner IPv6) passes through the tunnel counted by ikesec,
# the ESP really travels in UDP (the NAT's counters), keepalives cross
# the NAT.
#
#   ns L (behind NAT)          ns N (NAT)                     ns R
#   inner fd01:1::1/64                                        inner fd01:2::1/64
#   veth_l fd00:1::2/64 ---- veth_nl fd00:1::1/64
#                            veth_nr 2001:db8:2::1/64 ----- veth_r 2001:db8:2::2/64
#                            ip6 masquerade to [2001:db8:2::1]:20000-20999
#                            (random), later :30000-30999
#   tunnel fd01:1::/64 <=> fd01:2::/64, AES-GCM-16-256 / X25519, FQDN ids
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
NAT_TABLE="ip6 natt"
source "$(dirname "$0")/ike_nat_lib.sh"

require_root
require_ike
require_cmd ping nft python3
require_module
mark=nat6-$$
modprobe -q -a esp6 xfrm_user 2>/dev/null

# IPv6 version of ike_nat_lib.sh's topology (no DAD: addresses usable at
# once); R and N have no route to L's private network: only the NAT and
# the tunnel connect them.
topology6() {
	local ns
	ip netns add "$L" && ip netns add "$N" && ip netns add "$R" || return 1
	ip link add veth_l netns "$L" type veth peer name veth_nl netns "$N"
	ip link add veth_r netns "$R" type veth peer name veth_nr netns "$N"
	for ns in "$L" "$N" "$R"; do
		ip -n "$ns" link set lo up
	done
	for ns in "$L" "$R"; do
		ip -n "$ns" link add inner type dummy 2>/dev/null ||
			ip -n "$ns" link add inner type veth peer name inner_p
		ip -n "$ns" link set inner up
	done
	ip -n "$L" addr add fd00:1::2/64 dev veth_l nodad
	ip -n "$L" addr add fd01:1::1/64 dev inner nodad
	ip -n "$N" addr add fd00:1::1/64 dev veth_nl nodad
	ip -n "$N" addr add 2001:db8:2::1/64 dev veth_nr nodad
	ip -n "$R" addr add 2001:db8:2::2/64 dev veth_r nodad
	ip -n "$R" addr add fd01:2::1/64 dev inner nodad
	ip -n "$L" link set veth_l up
	ip -n "$N" link set veth_nl up
	ip -n "$N" link set veth_nr up
	ip -n "$R" link set veth_r up
	ip -n "$L" -6 route add default via fd00:1::1
	ip -n "$L" -6 route add fd01:2::/64 via fd00:1::1 src fd01:1::1
	ip -n "$R" -6 route add fd01:1::/64 via 2001:db8:2::1 src fd01:2::1
	ip netns exec "$N" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip netns exec "$N" nft -f - <<-NFT
	table ip6 natt {
		counter c_esp { }
		counter c_esp_udp { }
		counter c_ka { }
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "veth_nr" meta l4proto udp masquerade to :20000-20999 random
			oifname "veth_nr" masquerade
		}
		chain forward_c {
			type filter hook forward priority filter;
			meta l4proto esp counter name c_esp
			udp dport 4500 udp length 9 @th,64,8 0xff counter name c_ka
			udp dport 4500 udp length > 12 @th,64,32 != 0 counter name c_esp_udp
		}
	}
	NFT
}

counters_reset() { ip netns exec "$N" nft reset counters table ip6 natt >/dev/null; }

ktap_plan 15
DIR=$(mktemp -d /tmp/ike_nat6.XXXXXX)
trap cleanup EXIT
dmesg_mark "$mark"
topology6 || exit 1
ip netns exec "$N" nft list table ip6 natt >/dev/null 2>&1 ||
	skip "no IPv6 NAT in nftables"

# --- 1: ikedaemon behind the NAT initiates to strongSwan ---
c="IPv6: ikedaemon behind NAT -> strongSwan"
mkdir -p "$DIR/l1" "$DIR/r1"
conf_charon "$DIR/r1" 2001:db8:2::2 %any fd01:2::/64 fd01:1::/64 \
	moon.example sun.example
conf_ours "$DIR/l1" start fd00:1::2 2001:db8:2::2 fd01:1::/64 fd01:2::/64 \
	sun.example moon.example
charon_start "$R" "$DIR/r1" && charon_load "$DIR/r1" ||
	{ cat "$DIR/r1/charon.out"; skip "charon did not start"; }
ikedaemon_start "$L" "$DIR/l1"
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/l1/ikedaemon.log" "CHILD SA net established"
ktap_check "$c: we detect that we are behind NAT" \
	log_has "$DIR/l1/ikedaemon.log" "NAT detected: local host is behind NAT"
log_show "$DIR/l1/ikedaemon.log" "switching to NAT-T"
ikectl_d "$DIR/l1" status | grep NAT-T | sed 's/^/# ikedaemon: /'
p=$(charon_remote_port "$DIR/r1")
echo "# strongSwan sees the peer at port $p"
ktap_check "$c: IKE on 4500 (ours) from a NAT port 20000-20999 (theirs)" \
	eval 'ours_on_4500 "$DIR/l1" && port_in 20000 20999 "$p"'
ktap_check "$c: ping fd01:1::1 -> fd01:2::1 through ikesec" \
	wait_for 10 ike_ping "$L" fd01:1::1 fd01:2::1
ktap_check "$c: ESP crossed the NAT in UDP only" esp_in_udp
ktap_check "$c: NAT keepalives every ${KA}s from us" keepalives_seen
stop_all
ct_flush
counters_reset

# --- 2: strongSwan behind the NAT initiates to ikedaemon ---
c="IPv6: strongSwan behind NAT -> ikedaemon"
mkdir -p "$DIR/l2" "$DIR/r2"
conf_charon "$DIR/l2" fd00:1::2 2001:db8:2::2 fd01:1::/64 fd01:2::/64 \
	sun.example moon.example
conf_ours "$DIR/r2" none 2001:db8:2::2 %any fd01:2::/64 fd01:1::/64 \
	moon.example sun.example
CHARON_EXTRA="keep_alive = ${KA}s" charon_start "$L" "$DIR/l2" &&
	charon_load "$DIR/l2" ||
	{ cat "$DIR/l2/charon.out"; skip "charon did not start"; }
ikedaemon_start "$R" "$DIR/r2"
swanctl_ "$DIR/l2" --initiate --child net --timeout 30 > "$DIR/l2/init.out" 2>&1
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/r2/ikedaemon.log" "CHILD SA net established"
ktap_check "$c: we detect the peer behind NAT and follow it to 4500" \
	eval 'log_has "$DIR/r2/ikedaemon.log" "NAT detected: remote host is behind NAT" &&
	      log_has "$DIR/r2/ikedaemon.log" "peer switched to NAT-T"'
log_show "$DIR/r2/ikedaemon.log" "peer switched to NAT-T"
ikectl_d "$DIR/r2" status | grep NAT-T | sed 's/^/# ikedaemon: /'
read -r dst p < <(ours_out_sa "$R")
echo "# our outbound SA: ESP in UDP to [$dst]:$p"
ktap_check "$c: our SAs send ESP in UDP to [2001:db8:2::1]:20000-20999" \
	eval '[ "$dst" = 2001:db8:2::1 ] && port_in 20000 20999 "$p"'
ktap_check "$c: ping fd01:2::1 -> fd01:1::1 through ikesec" \
	wait_for 10 ike_ping "$R" fd01:2::1 fd01:1::1
ktap_check "$c: ESP crossed the NAT in UDP only" esp_in_udp
ktap_check "$c: NAT keepalives every ${KA}s from strongSwan" keepalives_seen
if nat_remap 30000-30999; then
	# strongSwan's next ESP comes from the new mapping: the module's
	# MAPPING event moves our SAs
	ip netns exec "$L" ping -q -c 2 -i 0.2 -W 1 -I fd01:1::1 fd01:2::1 \
		>/dev/null 2>&1
	ktap_check "$c: after the NAT mapping change, ping recovers" \
		wait_for 20 ike_ping "$R" fd01:2::1 fd01:1::1
	log_show "$DIR/r2/ikedaemon.log" "NAT mapping of the peer changed"
	read -r dst p < <(ours_out_sa "$R")
	echo "# our outbound SA now: ESP in UDP to [$dst]:$p, IKE peer $(ours_peer "$DIR/r2")"
	ktap_check "$c: our SAs and IKE SA follow the new port 30000-30999" \
		eval 'port_in 30000 30999 "$p" &&
		      [ "$(ours_peer "$DIR/r2")" = "[2001:db8:2::1]:$p" ]'
else
	ktap_not_ok "$c: after the NAT mapping change, ping recovers (conntrack flush failed)"
	ktap_not_ok "$c: our SAs and IKE SA follow the new port 30000-30999"
fi

nat_finish "$mark"
