# SPDX-License-Identifier: GPL-2.0
# Helpers of ike_children*.sh (source after lib.sh and ike_lib.sh, with
# A, B and DIR set): charon's and our configurations with two children,
# the second pair of inner networks, per-child SPIs and counters.
#
#   child net  10.0.1.0/24  <=> 10.0.2.0/24
#   child net2 10.0.11.0/24 <=> 10.0.12.0/24
#   (charon's child stray 10.0.22.0/24 <=> 10.0.21.0/24: not ours)

IKE=aes256gcm16-prfsha256-x25519

# conf_charon: charon's connection with children net, net2, stray, ESP
# proposals $ESP (net2: $CHARON_ESP2 if set).
conf_charon() {
	local c
	mkdir -p "$DIR/b/swanctl"
	{
		cat <<-CONF
		connections {
			peer {
				local_addrs = 192.0.2.2
				remote_addrs = 192.0.2.1
				proposals = $IKE
				local {
					auth = psk
					id = moon.example
				}
				remote {
					auth = psk
					id = sun.example
				}
				children {
		CONF
		for c in "net 10.0.2.0/24 10.0.1.0/24" \
			 "net2 $(net2_ts 10.0.12.0/24 10.0.11.0/24 2 1)" \
			 "stray 10.0.22.0/24 10.0.21.0/24"; do
			set -- $c
			cat <<-CONF
					$1 {
						local_ts = $2
						remote_ts = $3
						esp_proposals = $(esp_of "$1" "$CHARON_ESP2")
						$(mode_of "$1")
						start_action = none
					}
			CONF
		done
		cat <<-CONF
				}
			}
		}
		secrets {
			ike-peer {
				id-1 = moon.example
				id-2 = sun.example
				secret = "$IKE_PSK"
			}
		}
		CONF
	} > "$DIR/b/swanctl/swanctl.conf"
}

# net2_ts LOCAL REMOTE L R: net2's selectors, or with NET2_TRANSPORT set
# ICMP between the outer addresses 192.0.2.L and 192.0.2.R (transport).
net2_ts() {
	if [ -n "$NET2_TRANSPORT" ]; then
		echo "192.0.2.$3/32[icmp] 192.0.2.$4/32[icmp]"
	else
		echo "$1 $2"
	fi
}
mode_of() {
	[ "$1" = net2 ] && [ -n "$NET2_TRANSPORT" ] && echo "mode = transport"
}

# life_of CHILD: with OURS_LIFE2 set, net2 is never rekeyed and lives
# that long (its hard expiry).
life_of() {
	[ "$1" = net2 ] && [ -n "$OURS_LIFE2" ] &&
		printf 'rekey_time = 0s\n\t\t\t\tlife_time = %s\n' "$OURS_LIFE2"
}

# esp_of CHILD ESP2: the ESP proposals of that child, $ESP or for net2
# ESP2 if not empty.
esp_of() {
	if [ "$1" = net2 ] && [ -n "$2" ]; then echo "$2"; else echo "$ESP"; fi
}

# conf_ours START [START2]: our connection gw with children net and net2
# (start_action START, net2's START2 if given), ESP proposals $ESP (net2:
# $OURS_ESP2 if set; NET2_TRANSPORT, OURS_LIFE2 as above).
conf_ours() {
	local start=$1 start2=${2:-$1} c
	{
		cat <<-CONF
		connections {
			gw {
				local_addrs = 192.0.2.1
				remote_addrs = 192.0.2.2
				proposals = $IKE
				local {
					auth = psk
					id = sun.example
				}
				remote {
					auth = psk
					id = moon.example
				}
				children {
		CONF
		for c in "net 10.0.1.0/24 10.0.2.0/24 $start" \
			 "net2 $(net2_ts 10.0.11.0/24 10.0.12.0/24 1 2) $start2"; do
			set -- $c
			cat <<-CONF
					$1 {
						local_ts = $2
						remote_ts = $3
						esp_proposals = $(esp_of "$1" "$OURS_ESP2")
						$(mode_of "$1")
						$(life_of "$1")
						start_action = $4
					}
			CONF
		done
		cat <<-CONF
				}
			}
		}
		secrets {
			ike-gw {
				id-1 = sun.example
				id-2 = moon.example
				secret = "$IKE_PSK"
			}
		}
		CONF
	} > "$DIR/a/ikedaemon.conf"
}

# The second pair of inner networks.
topology_net2() {
	ip -n "$A" addr add 10.0.11.1/24 dev inner
	ip -n "$B" addr add 10.0.12.1/24 dev inner
	ip -n "$A" route add 10.0.12.0/24 via 192.0.2.2 src 10.0.11.1
	ip -n "$B" route add 10.0.11.0/24 via 192.0.2.1 src 10.0.12.1
}

# our_spis CHILD: "IN OUT" ESP SPIs of that child in `ikectl status'.
our_spis() {
	ikectl_d "$DIR/a" status 2>/dev/null | sed -n \
		"s/^  $1: INSTALLED.*ESP SPIs: \([0-9a-f]*\)_i \([0-9a-f]*\)_o.*/\1 \2/p" |
		head -n 1
}

# their_spis CHILD: "IN OUT" of charon's installed CHILD SA of that name.
their_spis() {
	swanctl_ "$DIR/b" --list-sas 2>/dev/null | awk -v c="$1" '
		/reqid/ { inst = /INSTALLED/ && $1 == c ":" }
		inst && $1 == "in" && !i { i = $2; sub(",", "", i) }
		inst && $1 == "out" && !o { o = $2; sub(",", "", o) }
		END { if (i) print i, o }'
}

# agree CHILD: both ends report the same SA pair for it.
agree() {
	local ours theirs
	ours=$(our_spis "$1")
	theirs=$(their_spis "$1")
	echo "# $1: ikedaemon in/out [$ours], charon in/out [$theirs]"
	set -- $ours $theirs
	[ $# = 4 ] && [ "$1" = "$4" ] && [ "$2" = "$3" ]
}

# sa_packets DIR SPI: packets counted on that ikesec SA.
sa_packets() { ikesec_sa_stat "$A" "$1" "0x$2" packets; }

# ping_child CHILD SRC DST: 3 pings from SRC to DST; both SAs of CHILD
# count them (ikesec encrypted the requests, decrypted the replies).
# PING_W: seconds to wait for each reply (2; more over a delayed link).
ping_child() {
	local spis i0 o0 i1 o1
	spis=$(our_spis "$1")
	set -- "$1" "$2" "$3" $spis
	[ $# = 5 ] || return 1
	i0=$(sa_packets in "$4"); o0=$(sa_packets out "$5")
	ip netns exec "$A" ping -q -c 3 -i 0.2 -W "${PING_W:-2}" -I "$2" "$3" \
		>/dev/null 2>&1 || return 1
	i1=$(sa_packets in "$4"); o1=$(sa_packets out "$5")
	echo "# $1: SA $4 (in) $i0 -> $i1 packets, SA $5 (out) $o0 -> $o1"
	[ "$i0" -ge 0 ] && [ "$o0" -ge 0 ] && [ $((i1 - i0)) -ge 3 ] &&
		[ $((o1 - o0)) -ge 3 ]
}

charon_installed() {
	swanctl_ "$DIR/b" --list-sas 2>/dev/null | grep -c 'INSTALLED'
}
ours_installed() {
	ikectl_d "$DIR/a" status 2>/dev/null | grep -c ': INSTALLED'
}
both_up() {
	[ "$(ours_installed)" = 2 ] && [ "$(charon_installed)" = 2 ]
}

# `ikectl -j status': one IKE SA with children net and net2.
json_children() {
	ikectl_d "$DIR/a" -j status | python3 -S -c '
import json, sys
sas = [s for s in json.load(sys.stdin)["ike_sas"] if s["children"]]
names = sorted(c["name"] for c in sas[0]["children"]) if sas else []
print("# -j status:", len(sas), "IKE SA(s) with children", names)
sys.exit(len(sas) != 1 or names != ["net", "net2"])'
}

# check_up_both ROLE: both children up on both ends, traffic through each.
check_up_both() {
	ktap_check "$1: CHILD SA net established" \
		log_wait 40 "$DIR/a/ikedaemon.log" "CHILD SA net established"
	ktap_check "$1: CHILD SA net2 established by CREATE_CHILD_SA" \
		log_wait 40 "$DIR/a/ikedaemon.log" "CHILD SA net2 established"
	log_show "$DIR/a/ikedaemon.log" "CHILD SA net2 established"
	ktap_check "$1: two CHILD SAs installed at both ends (ikedaemon $(ours_installed), charon $(charon_installed))" \
		wait_for 10 both_up
	ktap_check "$1: ikectl -j status lists net and net2 on one IKE SA" \
		json_children
	ktap_check "$1: one IKE SA at charon" test \
		"$(swanctl_ "$DIR/b" --list-sas 2>/dev/null | grep -c ESTABLISHED)" = 1
	ktap_check "$1: SPIs of net agree" agree net
	ktap_check "$1: SPIs of net2 agree" agree net2
	ktap_check "$1: ping through net, its SA pair counts it" \
		ping_child net 10.0.1.1 10.0.2.1
	ktap_check "$1: ping through net2, its SA pair counts it" \
		ping_child net2 10.0.11.1 10.0.12.1
}

# children_topology: after ktap_plan, both namespaces with both inner nets.
children_topology() {
	dmesg_mark "$mark"
	mkdir -p "$DIR/a" "$DIR/b"
	ike_topology "$A" "$B" || exit 1
	topology_net2
}

# log_mark FILE: its line count now, for log_after.
log_mark() { wc -l < "$1" 2>/dev/null || echo 0; }
# log_after MARK FILE ERE: a line past MARK matches.
log_after() { tail -n +"$(($1 + 1))" "$2" | grep -Eq -- "$3"; }
# log_after_show MARK FILE ERE: the first such line, as a KTAP comment.
log_after_show() {
	tail -n +"$(($1 + 1))" "$2" | grep -E -m1 -- "$3" | sed 's/^/#   /'
}

# check_ike_rekey ROLE OLD: the IKE SA was rekeyed (its SPIs are no longer
# OLD), one IKE SA at each end with the same SPIs, and both CHILD SAs
# moved to it: installed at both ends, SPIs agree, traffic through each.
ike_rekeyed() {
	local ours theirs
	ours=$(ikedaemon_ike_spis "$DIR/a")
	theirs=$(charon_ike_spis "$DIR/b")
	[ -n "$ours" ] && [ "$ours" = "$theirs" ] && [ "$ours" != "$1" ] &&
		[ "$(swanctl_ "$DIR/b" --list-sas 2>/dev/null | grep -c ESTABLISHED)" = 1 ] &&
		[ "$(ikectl_d "$DIR/a" status 2>/dev/null | grep -c ESTABLISHED)" = 1 ]
}
check_ike_rekey() {
	ktap_check "$1: one new IKE SA at each end, IKE SPIs agree" \
		wait_for 30 ike_rekeyed "$2"
	echo "# IKE SPIs [$2] -> ikedaemon [$(ikedaemon_ike_spis "$DIR/a")], charon [$(charon_ike_spis "$DIR/b")]"
	ktap_check "$1: both CHILD SAs on the new IKE SA at both ends (ikedaemon $(ours_installed), charon $(charon_installed))" \
		eval 'wait_for 10 both_up && json_children'
	ktap_check "$1: SPIs of net and net2 agree" eval 'agree net && agree net2'
	ktap_check "$1: ping through net and net2, their SA pairs count it" \
		eval 'ping_child net 10.0.1.1 10.0.2.1 &&
		      ping_child net2 10.0.11.1 10.0.12.1'
}
