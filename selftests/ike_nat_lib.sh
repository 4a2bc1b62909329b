# SPDX-License-Identifier: GPL-2.0
# Helpers for the NAT traversal tests (ike_nat.sh, ike_nat_pair.sh; source
# after lib.sh and ike_lib.sh): three namespaces, a NAT in the middle that
# masquerades and changes source ports, counters on what crosses it.
#
#   ns L (behind NAT)          ns N (NAT)                     ns R
#   inner 10.0.1.1/24                                         inner 10.0.2.1/24
#   veth_l 172.16.1.2/24 --- veth_nl 172.16.1.1/24
#                            veth_nr 192.0.2.1/24 --------- veth_r 192.0.2.2/24
#                            masquerade to 192.0.2.1:20000-20999 (random),
#                            nat_remap: another range, conntrack flushed
#
# NAT_NONE=1: N only routes (no masquerade), the counters stay.
# ENCAP=yes: conf_charon and conf_ours write `encap = yes'.

L=ikesec-natl-$ns_suffix
N=ikesec-natn-$ns_suffix
R=ikesec-natr-$ns_suffix
IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16
KA=2				# keep_alive, seconds, both implementations
NAT_TABLE=${NAT_TABLE:-ip natt}	# the NAT's nft table ("ip6 natt": ike_nat6.sh)

stop_all() {
	local d
	for d in "$DIR"/*/; do
		ikedaemon_stop "$d"
		charon_stop "$d"
	done
}

cleanup() {
	local f
	stop_all
	[ -f "$DIR/socat.pid" ] && kill "$(cat "$DIR/socat.pid")" 2>/dev/null
	if [ "$ktap_failed" = 1 ]; then
		for f in "$DIR"/*/ikedaemon.log "$DIR"/*/charon.log; do
			[ -f "$f" ] && tail -n 40 "$f" | sed "s|^|# ${f#$DIR/}: |"
		done
		ip netns exec "$N" nft list ruleset 2>/dev/null | sed 's/^/# nat: /'
	fi
	ip netns del "$L" 2>/dev/null
	ip netns del "$N" 2>/dev/null
	ip netns del "$R" 2>/dev/null
	rm -rf "$DIR"
}

topology() {
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
	ip -n "$L" addr add 172.16.1.2/24 dev veth_l
	ip -n "$L" addr add 10.0.1.1/24 dev inner
	ip -n "$N" addr add 172.16.1.1/24 dev veth_nl
	ip -n "$N" addr add 192.0.2.1/24 dev veth_nr
	ip -n "$R" addr add 192.0.2.2/24 dev veth_r
	ip -n "$R" addr add 10.0.2.1/24 dev inner
	ip -n "$L" link set veth_l up
	ip -n "$N" link set veth_nl up
	ip -n "$N" link set veth_nr up
	ip -n "$R" link set veth_r up
	# R has no route to 172.16.1.0/24 and N none to the inner networks:
	# only the NAT and the tunnel connect them
	ip -n "$L" route add default via 172.16.1.1
	ip -n "$L" route add 10.0.2.0/24 via 172.16.1.1 src 10.0.1.1
	ip -n "$R" route add 10.0.1.0/24 via 192.0.2.1 src 10.0.2.1
	ip netns exec "$N" sysctl -qw net.ipv4.ip_forward=1
	if [ -n "${NAT_NONE:-}" ]; then
		# a plain router: R reaches L's outer address directly
		ip -n "$R" route add 172.16.1.0/24 via 192.0.2.1
		nat_rules=""
	else
		nat_rules='chain post {
			type nat hook postrouting priority srcnat;
			oifname "veth_nr" ip protocol udp masquerade to :20000-20999 random
			oifname "veth_nr" masquerade
		}'
	fi
	ip netns exec "$N" nft -f - <<-NFT
	table ip natt {
		counter c_esp { }
		counter c_esp_udp { }
		counter c_ka { }
		$nat_rules
		chain forward_c {
			type filter hook forward priority filter;
			ip protocol esp counter name c_esp
			udp dport 4500 udp length 9 @th,64,8 0xff counter name c_ka
			udp dport 4500 udp length > 12 @th,64,32 != 0 counter name c_esp_udp
		}
	}
	NFT
}

# nat_remap LO-HI: masquerade to another port range, conntrack flushed,
# so the next packet from L gets a new mapping.
nat_remap() {
	nat_rules "oifname veth_nr meta l4proto udp masquerade to :$1 random" \
		"oifname veth_nr masquerade"
}

# nat_rules RULE...: the NAT's postrouting chain replaced by RULEs in one
# transaction, then conntrack flushed. One transaction: a packet that
# found the chain empty (flush and adds as separate commands) got a
# conntrack entry without NAT and left with its private source, ever
# after (seen ~1 in 4 runs).
nat_rules() {
	local r
	{
		echo "flush chain $NAT_TABLE post"
		for r in "$@"; do
			echo "add rule $NAT_TABLE post $r"
		done
	} | ip netns exec "$N" nft -f - && ct_flush
}

# ct_flush: N forgets every connection of its NAT's family (ctnetlink
# IPCTNL_MSG_CT_DELETE without attributes).
ct_flush() {
	ip netns exec "$N" python3 -S -c '
import socket, struct, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)  # NETFILTER
fam = socket.AF_INET6 if sys.argv[1] == "ip6" else socket.AF_INET
nfgen = struct.pack("=BBH", fam, 0, 0)
# (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE, REQUEST | ACK
s.send(struct.pack("=IHHII", 16 + len(nfgen), 0x102, 5, 1, 0) + nfgen)
err = struct.unpack("=i", s.recv(4096)[16:20])[0]
sys.exit(err != 0)' "${NAT_TABLE%% *}"
}

# counter NAME: packets of the NAT's counter NAME.
counter() {
	ip netns exec "$N" nft list counter $NAT_TABLE "c_$1" |
		sed -n 's/.*packets \([0-9]*\).*/\1/p'
}
counter_above() { [ "$(counter "$1")" -gt "$2" ]; }

ping_tunnel() {
	ip netns exec "$L" ping -q -c 3 -i 0.2 -W 2 -I 10.0.1.1 10.0.2.1 \
		>/dev/null 2>&1
}

tcp_start() {
	ip netns exec "$R" socat TCP-LISTEN:5001,bind=10.0.2.1,reuseaddr,fork \
		SYSTEM:'echo nat-tcp-ok' >/dev/null 2>&1 &
	echo $! > "$DIR/socat.pid"
}

tcp_tunnel() {
	[ "$(ip netns exec "$L" timeout 10 socat -T 5 - \
		TCP:10.0.2.1:5001,bind=10.0.1.1 </dev/null 2>/dev/null)" = \
		nat-tcp-ok ]
}

# port_in LO HI PORT
port_in() { [ -n "$3" ] && [ "$3" -ge "$1" ] && [ "$3" -le "$2" ]; }

# ESP crossed the NAT only in UDP: plain ESP counter stays 0.
esp_in_udp() {
	local u p
	u=$(counter esp_udp)
	p=$(counter esp)
	echo "# NAT forwarded: $u ESP-in-UDP packets, $p plain ESP packets"
	[ "$u" -gt 0 ] && [ "$p" = 0 ]
}

# keepalives_seen: the ka counter moves while the tunnel is idle.
keepalives_seen() {
	local k
	k=$(counter ka)
	wait_for $((4 * KA + 5)) counter_above ka "$k"
	echo "# keepalives across the NAT: $(counter ka)"
	counter_above ka "$k"
}

# ka_idle_only CASE DIR: while L pings continuously its ESP keeps the NAT
# mapping alive and no keepalive crosses the NAT (RFC 3948 4: only when
# idle); idle again, they come every KA seconds (within two intervals).
# DIR: L's ikedaemon, whose logged keepalives are shown.
ka_idle_only() {
	local k0 k1 k2 pid busy=$((4 * KA + 1)) idle=$((5 * KA)) l0 l1
	local log=$2/ikedaemon.log
	ip netns exec "$L" ping -q -i 0.2 -w $((busy + KA + 1)) -I 10.0.1.1 \
		10.0.2.1 >/dev/null 2>&1 &
	pid=$!
	sleep $((KA + 1))	# the interval running when the ping started
	k0=$(counter ka)
	wait "$pid"
	k1=$(counter ka)
	echo "# keepalives across the NAT during ${busy}s of ping: $((k1 - k0))"
	ktap_check "$1: no NAT keepalives while ESP flows (RFC 3948 4)" \
		test $((k1 - k0)) -le 1
	l0=$(grep -c 'NAT keepalive to' "$log")
	sleep "$idle"
	k2=$(counter ka)
	l1=$(grep -c 'NAT keepalive to' "$log")
	echo "# keepalives across the NAT in ${idle}s idle: $((k2 - k1)) (ikedaemon logged $((l1 - l0)))"
	ktap_check "$1: idle again, NAT keepalives resume" \
		test $((k2 - k1)) -ge 2
}

# charon_remote_port DIR: the port charon talks IKE to (its remote end).
charon_remote_port() {
	swanctl_ "$1" --list-sas 2>/dev/null |
			sed -n 's/^ *remote .* @ [^[]*\[\([0-9]*\)\].*/\1/p' |
		head -n 1
}

# ours_peer_port DIR: the peer port in ikedaemon's status.
ours_peer_port() {
	ikectl_d "$1" status 2>/dev/null |
		sed -n 's/.*\.\.\.[0-9.]*:\([0-9]*\)\[.*/\1/p' | head -n 1
}

# ours_peer DIR: the IKE SA's peer address:port in ikedaemon's status
# (IPv6 as [addr]:port).
ours_peer() {
	ikectl_d "$1" status 2>/dev/null |
		sed -n 's/^[^ ].*\.\.\.\(.*\)\[[^]]*\]$/\1/p' | head -n 1
}

# ours_out_sa NS: "DST DPORT" of the first outbound SA in ikesec (its
# outer destination and ESP-in-UDP port).
ours_out_sa() {
	ip netns exec "$1" "$IKECTL" sa show 2>/dev/null | awk '
		$1 == "dir" { if (got) exit; cur = $2 == "out"; if (cur) { got = 1; dst = $8 } }
		cur && $1 == "encap" { port = $6 }
		END { if (got) print dst, port + 0 }'
}

# ours_out_dport NS: ESP-in-UDP destination port of the outbound SA.
ours_out_dport() {
	ip netns exec "$1" "$IKECTL" sa show 2>/dev/null |
		awk '/^dir out/ { o = 1 } /^dir in/ { o = 0 }
		     o && /encap udp/ { print $NF; exit }'
}

# ours_on_4500 DIR: ikedaemon's IKE SA floated to 4500 with ESP in UDP.
ours_on_4500() {
	ikectl_d "$1" status 2>/dev/null |
		grep -q 'IKE port 4500 -> 4500, ESP in UDP'
}

# follows LO HI PORT DIR: PORT (our outbound SA's) in range and the IKE
# SA's peer port the same.
follows() {
	port_in "$1" "$2" "$3" && [ "$(ours_peer_port "$4")" = "$3" ]
}

# conf_charon DIR LOCAL_ADDR REMOTE_ADDR LOCAL_TS REMOTE_TS LID RID
# (LID "": no id, charon uses its IP address)
conf_charon() {
	mkdir -p "$1/swanctl"
	cat > "$1/swanctl/swanctl.conf" <<-CONF
	connections {
		nat {
			local_addrs = $2
			remote_addrs = $3
			proposals = $IKE
			encap = ${ENCAP:-no}
			local {
				auth = psk
				${6:+id = $6}
			}
			remote {
				auth = psk
				id = $7
			}
			children {
				net {
					local_ts = $4
					remote_ts = $5
					esp_proposals = $ESP
					start_action = none
				}
			}
		}
	}
	secrets {
		ike-nat {
			${6:+id-1 = $6}
			id-2 = $7
			secret = "$IKE_PSK"
		}
	}
	CONF
}

# conf_ours DIR START LOCAL_ADDR REMOTE_ADDR LOCAL_TS REMOTE_TS LID RID
conf_ours() {
	mkdir -p "$1"
	cat > "$1/ikedaemon.conf" <<-CONF
	connections {
		nat {
			local_addrs = $3
			remote_addrs = $4
			proposals = $IKE
			encap = ${ENCAP:-no}
			keep_alive = ${KA}s
			local {
				auth = psk
				id = $7
			}
			remote {
				auth = psk
				id = $8
			}
			children {
				net {
					local_ts = $5
					remote_ts = $6
					esp_proposals = $ESP
					start_action = $2
				}
			}
		}
	}
	secrets {
		ike-nat {
			id-1 = $7
			id-2 = $8
			secret = "$IKE_PSK"
		}
	}
	CONF
}

# traffic CASE: ping, TCP, ESP in UDP, keepalives.
traffic() {
	ktap_check "$1: ping 10.0.1.1 -> 10.0.2.1 through the tunnel" \
		wait_for 10 ping_tunnel
	ktap_check "$1: TCP through the tunnel" wait_for 15 tcp_tunnel
	ktap_check "$1: ESP crossed the NAT in UDP only" esp_in_udp
	ktap_check "$1: NAT keepalives every ${KA}s from the side behind NAT" \
		keepalives_seen
}

# remap CASE: new NAT mapping; traffic recovers.
remap() {
	if ! nat_remap 30000-30999; then
		ktap_not_ok "$1: NAT mapping changed (conntrack flush failed)"
		return
	fi
	ktap_check "$1: after the NAT mapping change, ping recovers" \
		wait_for 30 ping_tunnel
	ktap_check "$1: after the NAT mapping change, TCP passes" \
		wait_for 15 tcp_tunnel
}

nat_reset() { nat_remap 20000-20999 >/dev/null 2>&1; }

# nat_start MARK: namespaces, NAT, TCP listener; cleanup on exit.
nat_start() {
	DIR=$(mktemp -d /tmp/ike_nat.XXXXXX)
	trap cleanup EXIT
	dmesg_mark "$1"
	topology || exit 1
	tcp_start
}

# nat_finish MARK: stop the daemons; no kernel warnings since MARK.
nat_finish() {
	local bugs
	stop_all
	bugs=$(dmesg_bugs_since "$1")
	[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
	ktap_check "no kernel warnings" test -z "$bugs"
	ktap_exit
}
