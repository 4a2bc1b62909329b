#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two CHILD SAs on one IKE SA against strongSwan's charon (RFC 7296
# 1.3.1): the first in IKE_AUTH, the second by CREATE_CHILD_SA, charon
# initiating and then ikedaemon initiating without and with PFS. Each
# pair carries its own traffic (ikesec's per-SA counters move), is
# rekeyed under traffic without loss and deleted on its own; a
# CREATE_CHILD_SA for selectors no child covers gets TS_UNACCEPTABLE.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24, 10.0.11.1/24          inner 10.0.2.1/24, 10.0.12.1/24
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   child net  10.0.1.0/24  <=> 10.0.2.0/24
#   child net2 10.0.11.0/24 <=> 10.0.12.0/24
#   (charon's child stray 10.0.22.0/24 <=> 10.0.21.0/24: not ours)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping python3
require_module

A=ikesec-ch-a-$ns_suffix
B=ikesec-ch-b-$ns_suffix
DIR=$(mktemp -d /tmp/ike_children.XXXXXX)
mark=ch-$$

cleanup() {
	ping_stop 2>/dev/null
	ikedaemon_stop "$DIR/a"
	charon_stop "$DIR/b"
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	if [ "$ktap_failed" = 1 ]; then
		for f in "$DIR"/a/ikedaemon.log "$DIR"/b/charon.log; do
			[ -f "$f" ] && grep -v '\[NET\]\|\[ENC\]' "$f" |
				tail -n 50 | sed "s|^|# $(basename "$f"): |"
		done
	fi
	rm -rf "$DIR"
}
trap cleanup EXIT

IKE=aes256gcm16-prfsha256-x25519

# conf_charon ESP: charon's connection with children net, net2, stray.
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
			 "net2 10.0.12.0/24 10.0.11.0/24" \
			 "stray 10.0.22.0/24 10.0.21.0/24"; do
			set -- $c
			cat <<-CONF
					$1 {
						local_ts = $2
						remote_ts = $3
						esp_proposals = $ESP
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

# conf_ours START [START2]: our connection gw with children net and net2
# (start_action START, net2's START2 if given), ESP proposals $ESP.
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
			 "net2 10.0.11.0/24 10.0.12.0/24 $start2"; do
			set -- $c
			cat <<-CONF
					$1 {
						local_ts = $2
						remote_ts = $3
						esp_proposals = $ESP
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
sa_packets() {
	ip netns exec "$A" "$IKECTL" -j sa show 2>/dev/null | python3 -c '
import json, sys
d, spi = sys.argv[1], int(sys.argv[2], 16)
for sa in json.load(sys.stdin):
    if sa.get("dir") == d and int(str(sa.get("spi")), 0) == spi:
        print(sa.get("stats", {}).get("packets", 0)); break
else:
    print(-1)' "$1" "$2"
}

# ping_child CHILD SRC DST: 3 pings from SRC to DST; both SAs of CHILD
# count them (ikesec encrypted the requests, decrypted the replies).
ping_child() {
	local spis i0 o0 i1 o1
	spis=$(our_spis "$1")
	set -- "$1" "$2" "$3" $spis
	[ $# = 5 ] || return 1
	i0=$(sa_packets in "$4"); o0=$(sa_packets out "$5")
	ip netns exec "$A" ping -q -c 3 -i 0.2 -W 2 -I "$2" "$3" \
		>/dev/null 2>&1 || return 1
	i1=$(sa_packets in "$4"); o1=$(sa_packets out "$5")
	echo "# $1: SA $4 (in) $i0 -> $i1 packets, SA $5 (out) $o0 -> $o1"
	[ "$i0" -ge 0 ] && [ "$o0" -ge 0 ] && [ $((i1 - i0)) -ge 3 ] &&
		[ $((o1 - o0)) -ge 3 ]
}

# A ping every 50 ms from 10.0.11.1 to 10.0.12.1 (child net2) until
# ping_stop; LOST as in ike_rekey.sh.
ping_start() {
	ip netns exec "$A" ping -i 0.05 -W 2 -I 10.0.11.1 10.0.12.1 \
		> "$DIR/ping.out" 2>&1 &
	echo $! > "$DIR/ping.pid"
	wait_for 5 grep -q icmp_seq "$DIR/ping.out"
}

ping_stop() {
	[ -f "$DIR/ping.pid" ] || return 0
	kill -INT "$(cat "$DIR/ping.pid")"
	wait_for 5 grep -q "packets transmitted" "$DIR/ping.out"
	rm -f "$DIR/ping.pid"
	SENT=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$DIR/ping.out")
	read -r REPLIES LOST < <(sed -n 's/.*icmp_seq=\([0-9]*\) .*time=.*/\1/p' \
		"$DIR/ping.out" | sort -n | awk '
		{ n++; if ($1 > max) max = $1 }
		END { print n + 0, (n ? max - n : 0) }')
}

zero_loss() {
	ktap_check "$1: $SENT pings sent, $REPLIES answered, $LOST lost" \
		test "${LOST:-1}" -eq 0 -a "${REPLIES:-0}" -gt 20
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
	ikectl_d "$DIR/a" -j status | python3 -c '
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

ktap_plan 56
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
topology_net2

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

# charon rekeys net2 under traffic on net2
old=$(our_spis net2)
ping_start
sleep 1
swanctl_ "$DIR/b" --rekey --child net2 >/dev/null 2>&1
log_wait 20 "$DIR/a/ikedaemon.log" "peer deleted CHILD SA" && sleep 2
ping_stop
zero_loss "net2 rekeyed by charon"
ktap_check "net2 rekeyed by charon: new SPIs agree, net untouched" \
	eval 'agree net2 && [ "$(our_spis net2)" != "$old" ] && agree net'

# ikedaemon rekeys net2 under traffic (ikectl rekey CHILD)
old=$(our_spis net2)
ping_start
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

# --- ikedaemon initiates both children, without and with PFS ---
for ESP in aes256gcm16 aes256gcm16-x25519; do
	pfs=$([ "$ESP" = aes256gcm16 ] && echo "no PFS" || echo "PFS")
	swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
	conf_charon
	charon_load "$DIR/b"
	conf_ours start
	: > "$DIR/a/ikedaemon.log"
	ikedaemon_start "$A" "$DIR/a"
	check_up_both "initiator, $pfs"
	if [ "$pfs" = PFS ]; then
		ktap_check "initiator, PFS: CREATE_CHILD_SA for net2 with a KE payload" \
			log_has "$DIR/a/ikedaemon.log" "creating CHILD SA net2 .*PFS with DH group 31"
	else
		ktap_check "initiator, no PFS: CREATE_CHILD_SA for net2 without KE" \
			log_has "$DIR/a/ikedaemon.log" "creating CHILD SA net2 \([0-9a-f]*_i\)$"
	fi
	ikedaemon_stop "$DIR/a"
done

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

# --- net2 trapped: its first packet creates it on gw's IKE SA; then
# ikectl down net2 deletes it alone, ikectl up gw brings it back ---
ESP=aes256gcm16
swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
conf_charon
charon_load "$DIR/b"
conf_ours start trap
: > "$DIR/a/ikedaemon.log"
ikedaemon_start "$A" "$DIR/a"
log_wait 40 "$DIR/a/ikedaemon.log" "CHILD SA net established"
ip netns exec "$A" ping -q -c 5 -i 0.5 -W 1 -I 10.0.11.1 10.0.12.1 \
	>/dev/null 2>&1
ktap_check "trap: an acquire for net2 creates it on the IKE SA of gw" \
	log_wait 30 "$DIR/a/ikedaemon.log" "acquire for child net2 of gw: CREATE_CHILD_SA on gw\[1\]"
ktap_check "trap: net2 established, one IKE SA, two CHILD SAs at both ends" \
	eval 'wait_for 20 both_up && json_children'
ktap_check "trap: ping through net2, its SA pair counts it" \
	ping_child net2 10.0.11.1 10.0.12.1
ikectl_d "$DIR/a" down net2 | sed 's/^/# /'
ktap_check "ikectl down net2: charon and ikedaemon keep only net" \
	wait_for 10 sh -c "[ \$(swanctl --list-sas --uri unix://$DIR/b/charon.vici 2>/dev/null | grep -c INSTALLED) = 1 ] &&
		[ \$('$IKECTL' -s '$DIR/a/ctl.sock' status | grep -c ': INSTALLED') = 1 ]"
ktap_check "ikectl down net2: net still carries traffic" \
	ping_child net 10.0.1.1 10.0.2.1
ikectl_d "$DIR/a" up gw | sed 's/^/# /'
ktap_check "ikectl up gw on the established IKE SA: net2 created again" \
	eval 'wait_for 20 both_up && json_children'
ikedaemon_stop "$DIR/a"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
