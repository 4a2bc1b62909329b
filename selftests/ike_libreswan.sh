#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IKEv2 with a pre-shared key against Libreswan's pluto (unpacked by
# deps.sh, see lswan_lib.sh), for AES-GCM and for AES-CBC/HMAC-SHA-256:
# ikedaemon as initiator and as responder, both ends agreeing on the ESP
# SPIs, ping and TCP through the tunnel with both datapaths counting the
# packets (ikesec here, XFRM at pluto), deletion seen by pluto; pluto
# rekeying the CHILD SA; two CHILD SAs on one IKE SA (the second by
# CREATE_CHILD_SA) both ways; a PSK mismatch both ways, with our diagnostic and pluto's own log line; RSA and ECDSA
# certificates (a test PKI made here, pluto's in its NSS database).
#
#   ns_a: ikedaemon + ikesec                 ns_b: pluto + XFRM
#   inner 10.0.1.1/24 (dummy)                inner 10.0.2.1/24 (dummy)
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   ids sun.example (us), moon.example (pluto);
#   tunnel 10.0.1.0/24 <=> 10.0.2.0/24
#   (two children: net2 10.0.11.0/24 <=> 10.0.12.0/24, pluto's conn peer2)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
source "$(dirname "$0")/lswan_lib.sh"
source "$(dirname "$0")/ike_children_lib.sh"

require_root
require_lswan
require_cmd ping socat
require_module

A=ikesec-lw-a-$ns_suffix
B=ikesec-lw-b-$ns_suffix
DIR=$(mktemp -d /tmp/ike_libreswan.XXXXXX)
OURS=$DIR/a/ikedaemon.log
THEIRS=$DIR/b/pluto.log
mark=lw-$$

cleanup() {
	ikedaemon_stop "$DIR/a"
	pluto_stop "$DIR/b"
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

# check NAME CMD...: ktap_check, and on failure both logs' last lines.
check() {
	local name=$1; shift
	if "$@"; then
		ktap_ok "$name"
		return
	fi
	ktap_not_ok "$name"
	grep -v '\[NET\]' "$OURS" | tail -n 8 | sed 's/^/#   ours: /'
	grep -v '^[^|]*: | ' "$THEIRS" | tail -n 8 | cut -c 1-240 |
		sed 's/^/#   pluto: /'
}

# spis_agree WHAT: our CHILD SA's ESP SPIs are pluto's, mirrored.
spis_agree() {
	local ours theirs
	ours=$(ikedaemon_child_spis "$DIR/a")
	theirs=$(pluto_child_spis "$DIR/b")
	echo "# $1: ikedaemon ESP in/out [$ours]; pluto ESP in/out [$theirs]"
	set -- $ours $theirs
	[ $# = 4 ] && [ "$1" = "$4" ] && [ "$2" = "$3" ]
}

# spis_new OLD: the SPIs agree and are not OLD any more.
spis_new() {
	spis_agree rekeyed >/dev/null &&
		[ "$(ikedaemon_child_spis "$DIR/a")" != "$1" ]
}

# xfrm_packets SRC DST SPI: packets counted by pluto's SA in the kernel
# (the line after "lifetime current:", "84(bytes), 1(packets)").
xfrm_packets() {
	ip -n "$B" -s xfrm state get src "$1" dst "$2" proto esp \
		spi "0x$3" 2>/dev/null | awk '
		cur { sub(/\(packets\).*/, ""); sub(/.* /, ""); print; exit }
		/lifetime current:/ { cur = 1 }'
}

# tcp_through: 64 KiB from 10.0.1.1 to 10.0.2.1 arrive whole.
tcp_through() {
	local port=$((5000 + RANDOM % 1000)) out got pid
	out=$DIR/tcp.out
	ip netns exec "$B" timeout 30 socat -u \
		TCP-LISTEN:$port,bind=10.0.2.1,reuseaddr - > "$out" 2>/dev/null &
	pid=$!
	wait_s 5 sh -c "ip netns exec $B ss -ltn | grep -q :$port" ||
		return 1
	head -c 65536 /dev/urandom |
		ip netns exec "$A" timeout 30 socat -u - \
			TCP:10.0.2.1:$port,bind=10.0.1.1
	wait $pid
	got=$(stat -c %s "$out")
	[ "$got" = 65536 ] || { echo "# tcp: got $got of 65536 bytes"; return 1; }
}

# traffic WHAT: ping and TCP through the tunnel; every SA of the pair,
# ours in ikesec and pluto's in XFRM, counted the packets.
traffic() {
	local spis in out before after p ok=1
	spis=$(ikedaemon_child_spis "$DIR/a")
	set -- $spis
	in=$1 out=$2
	[ -n "$out" ] || { echo "# $WHAT: no CHILD SA"; return 1; }
	before=$(sa_packets in "$in")
	ip netns exec "$A" ping -q -c 3 -i 0.2 -W 2 -I 10.0.1.1 10.0.2.1 \
		>/dev/null 2>&1 || { echo "# ping failed"; ok=0; }
	tcp_through || ok=0
	after=$(sa_packets in "$in")
	[ "$after" -ge $((before + 3)) ] 2>/dev/null ||
		{ echo "# ikesec inbound SA $in counted $before -> $after packets"; ok=0; }
	p=$(sa_packets out "$out")
	[ "$p" -ge 3 ] 2>/dev/null ||
		{ echo "# ikesec outbound SA $out counted $p packets"; ok=0; }
	p=$(xfrm_packets 192.0.2.1 192.0.2.2 "$out")
	[ "${p:-0}" -ge 3 ] ||
		{ echo "# pluto's inbound SA $out (XFRM) counted ${p:-no} packets"; ok=0; }
	p=$(xfrm_packets 192.0.2.2 192.0.2.1 "$in")
	[ "${p:-0}" -ge 3 ] ||
		{ echo "# pluto's outbound SA $in (XFRM) counted ${p:-no} packets"; ok=0; }
	[ $ok = 1 ]
}

# ours_fresh START IKE ESP [PSK]: restart ikedaemon with a new config.
ours_fresh() {
	ikedaemon_stop "$DIR/a"
	: > "$OURS"
	ike_conf_ours "$DIR/a" "$1" "$2" "$3" 10.0.1.0/24 10.0.2.0/24 "${4:-}"
	ikedaemon_start "$A" "$DIR/a"
}

# theirs_fresh IKE ESP [PSK]: pluto forgets all SAs, loads a new conn.
theirs_fresh() {
	lswan_conf "$DIR/b" x "$1" "$2" 10.0.2.0/24 10.0.1.0/24 "${3:-}"
	pluto_load "$DIR/b" peer || return 1
	: > "$THEIRS"
}

# run_psk NAME PLUTO_IKE PLUTO_ESP OUR_IKE OUR_ESP
run_psk() {
	local n=$1

	# ikedaemon initiates, pluto responds
	theirs_fresh "$2" "$3"
	ours_fresh start "$4" "$5"
	check "$n initiator: IKE SA established with pluto" \
		lwait 60 "$OURS" "\[IKE\] gw\[[0-9]+\]: IKE SA established"
	log_show "$OURS" "IKE SA established"
	check "$n initiator: CHILD SA installed into ikesec" \
		lwait 30 "$OURS" "\[CHD\] .*CHILD SA net established"
	check "$n initiator: pluto reports the IKE and CHILD SA up" \
		wait_s 10 pluto_established "$DIR/b"
	log_show "$THEIRS" "responder established Child SA"
	check "$n initiator: both ends agree on the ESP SPIs" \
		spis_agree "$n initiator"
	WHAT="$n initiator"
	check "$n initiator: ping and TCP through the tunnel, SAs count them" \
		traffic
	ikectl_d "$DIR/a" down gw >/dev/null
	check "$n initiator: ikectl down deletes the IKE SA at pluto" \
		wait_s 10 pluto_no_sa "$DIR/b"

	# pluto initiates, ikedaemon responds
	ours_fresh none "$4" "$5"
	theirs_fresh "$2" "$3"
	pluto_initiate "$DIR/b" peer 30
	check "$n responder: IKE SA and CHILD SA established" \
		lwait 30 "$OURS" "\[CHD\] .*CHILD SA net established"
	log_show "$OURS" "IKE SA established"
	check "$n responder: pluto reports the IKE and CHILD SA up" \
		wait_s 10 pluto_established "$DIR/b"
	sed -n 's/^[0-9]* /#   whack: /p' "$DIR/b/initiate.out" | tail -n 1
	check "$n responder: both ends agree on the ESP SPIs" \
		spis_agree "$n responder"
	WHAT="$n responder"
	check "$n responder: ping and TCP through the tunnel, SAs count them" \
		traffic
}

GCM_THEIRS="aes_gcm256-sha2_256-dh31 aes_gcm256"
GCM_OURS="aes256gcm16-prfsha256-x25519 aes256gcm16"
CBC_THEIRS="aes256-sha2_256-dh14 aes256-sha2_256"
CBC_OURS="aes256-sha256-modp2048 aes256-sha256"

ktap_plan 43
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
xfrm_crypto_warmup
lswan_conf "$DIR/b" x $GCM_THEIRS 10.0.2.0/24 10.0.1.0/24
for t in rsa ec; do
	lswan_pki "$DIR/pki-$t" "$t" &&
		lswan_nss_import "$DIR/b" "$DIR/pki-$t" moon "moon-$t" ||
		echo "# making the $t test PKI failed"
done
pluto_start "$B" "$DIR/b" ||
	{ sed 's/^/# /' "$DIR/b/pluto.out"; tail -n 5 "$THEIRS";
	  skip "pluto did not start"; }
grep -m1 'Starting Pluto' "$THEIRS" | sed 's/^/# /'

run_psk "aes-gcm-256/x25519" $GCM_THEIRS $GCM_OURS
run_psk "aes-cbc-256/sha-256/modp2048" $CBC_THEIRS $CBC_OURS

# --- pluto rekeys the CHILD SA (CREATE_CHILD_SA, REKEY_SA) ---
old=$(ikedaemon_child_spis "$DIR/a")
: > "$THEIRS"
timeout 30 "$WHACK" --ctlsocket "$DIR/b/run/pluto.ctl" --rekey-ipsec \
	--name peer > "$DIR/b/rekey.out" 2>&1
check "CHILD SA rekeyed by pluto (CREATE_CHILD_SA, REKEY_SA)" \
	lwait 15 "$OURS" "\[CHD\] .*CHILD SA net rekeyed"
log_show "$OURS" "CHILD SA net rekeyed"
check "old CHILD SA deleted by pluto after its rekey" \
	lwait 15 "$OURS" "peer deleted CHILD SA ${old#* }_o"
check "after pluto's rekey: both ends agree on the new ESP SPIs" \
	wait_s 10 spis_new "$old"
spis_agree "pluto rekey" || true
WHAT="pluto rekey"
check "after pluto's rekey: traffic through the new SAs" traffic

# --- two CHILD SAs on one IKE SA: pluto's conns peer and peer2 (same
# ends and IDs), our children net and net2; the second by
# CREATE_CHILD_SA, we initiating, then pluto ---
# pluto_children: both of pluto's conns have their CHILD SA on one IKE SA
pluto_children() {
	[ "$(pluto_ike_sas "$DIR/b")" = 1 ] &&
		[ -n "$(pluto_conn_spis "$DIR/b" peer)" ] &&
		[ -n "$(pluto_conn_spis "$DIR/b" peer2)" ]
}
# lw_agree CHILD CONN: our SPIs of CHILD are pluto's of CONN, mirrored.
lw_agree() {
	local ours theirs
	ours=$(our_spis "$1")
	theirs=$(pluto_conn_spis "$DIR/b" "$2")
	echo "# $1: ikedaemon in/out [$ours], pluto $2 in/out [$theirs]"
	set -- $ours $theirs
	[ $# = 4 ] && [ "$1" = "$4" ] && [ "$2" = "$3" ]
}
# two_children ROLE: one IKE SA at each end with both CHILD SAs, the
# SPIs agree, a ping through each counted by its SA pair.
two_children() {
	check "$1: CHILD SA net2 established by CREATE_CHILD_SA" \
		lwait 30 "$OURS" "CHILD SA net2 established"
	log_show "$OURS" "CHILD SA net2 established"
	check "$1: one IKE SA with both CHILD SAs at both ends" \
		eval 'wait_s 15 pluto_children &&
		      [ "$(ours_installed)" = 2 ] && json_children'
	echo "# pluto: $(pluto_ike_sas "$DIR/b") IKE SA(s), ikedaemon: $(ours_installed) CHILD SAs"
	check "$1: SPIs of net and net2 agree with pluto's peer and peer2" \
		eval 'lw_agree net peer && lw_agree net2 peer2'
	check "$1: ping through net and net2, their SA pairs count it" \
		eval 'ping_child net 10.0.1.1 10.0.2.1 &&
		      ping_child net2 10.0.11.1 10.0.12.1'
}
topology_net2
IKE=${GCM_OURS% *} ESP=${GCM_OURS#* }
lswan_conf "$DIR/b" x $GCM_THEIRS 10.0.2.0/24 10.0.1.0/24
lswan_conf_child "$DIR/b" peer2 10.0.12.0/24 10.0.11.0/24
pluto_load "$DIR/b" peer && pluto_load "$DIR/b" peer2
ikedaemon_stop "$DIR/a"
conf_ours start
: > "$OURS"; : > "$THEIRS"
ikedaemon_start "$A" "$DIR/a"
two_children "two children, we initiate"
ikectl_d "$DIR/a" down gw >/dev/null
wait_s 10 pluto_no_sa "$DIR/b"
ikedaemon_stop "$DIR/a"
conf_ours none
: > "$OURS"
ikedaemon_start "$A" "$DIR/a"
pluto_initiate "$DIR/b" peer 30
pluto_initiate "$DIR/b" peer2 30
two_children "two children, pluto initiates"
grep -E 'peer2.*(established Child SA|initiating Child SA)' "$THEIRS" |
	tail -n 1 | cut -c 1-200 | sed 's/^/#   pluto: /'

# --- PSK mismatch: pluto initiates with another key ---
BAD_PSK="another-psk-that-is-long-enough"
ours_fresh none $GCM_OURS
theirs_fresh $GCM_THEIRS "$BAD_PSK"
pluto_initiate "$DIR/b" peer 20
if lwait 10 "$OURS" '\[IKE\] gw\[[0-9]+\]: AUTHENTICATION_FAILED: AUTH payload of moon\.example did not verify with secret ike-gw \(connection gw\): PSK mismatch likely' &&
   lwait 5 "$THEIRS" 'IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED'; then
	ktap_ok "PSK mismatch (we respond): our diagnostic, pluto's rejection"
else
	ktap_not_ok "PSK mismatch (we respond): our diagnostic, pluto's rejection"
fi
log_show "$OURS" "PSK mismatch likely"
log_show "$THEIRS" "rejected by peer: AUTHENTICATION_FAILED"

# --- PSK mismatch: we initiate, pluto refuses our AUTH ---
theirs_fresh $GCM_THEIRS "$BAD_PSK"
ours_fresh start $GCM_OURS
if lwait 15 "$OURS" '\[IKE\] gw\[[0-9]+\]: peer answered AUTHENTICATION_FAILED to us as sun\.example' &&
   lwait 5 "$THEIRS" 'authentication failed: computed hash does not match hash received from peer'; then
	ktap_ok "PSK mismatch (we initiate): pluto's refusal in both logs"
else
	ktap_not_ok "PSK mismatch (we initiate): pluto's refusal in both logs"
fi
log_show "$OURS" "peer answered AUTHENTICATION_FAILED"
log_show "$THEIRS" "computed hash does not match"

# --- certificates: RSA and ECDSA (RFC 7427 digital signatures) ---
# ours_cert START T: ikedaemon with sun's certificate of PKI T (rsa|ec).
ours_cert() {
	ikedaemon_stop "$DIR/a"
	ike_conf_ours_cert "$DIR/a" "$1" $GCM_OURS "$DIR/pki-$2"
	ikedaemon_start "$A" "$DIR/a"
}

# run_cert T AUTHBY: ikedaemon initiates, then pluto does.
run_cert() {
	local t=$1 n="$1 certificate"
	LSW_AUTH=$2 LSW_CERT=moon-$t theirs_fresh $GCM_THEIRS
	ours_cert start "$t"
	check "$n initiator: IKE SA up, pluto's certificate verified" \
		lwait 60 "$OURS" "\[IKE\] gw\[[0-9]+\]: authentication of moon\.example with certificate \"O=ikesec test $t, CN=moon\.example\""
	log_show "$OURS" "authentication of moon.example with certificate"
	check "$n initiator: pluto verified ours, CHILD SA up" \
		lwait 10 "$THEIRS" "authenticated peer .* using peer certificate '@sun\.example' issued by CA 'O=ikesec test $t, CN=ikesec lswan $t CA'"
	log_show "$THEIRS" "authenticated peer"
	lwait 10 "$OURS" "\[CHD\] .*CHILD SA net established"
	WHAT="$n initiator"
	check "$n initiator: ping and TCP through the tunnel, SAs count them" \
		traffic

	ours_cert none "$t"
	LSW_AUTH=$2 LSW_CERT=moon-$t theirs_fresh $GCM_THEIRS
	pluto_initiate "$DIR/b" peer 30
	if lwait 30 "$OURS" "\[CHD\] .*CHILD SA net established" &&
	   wait_s 10 pluto_established "$DIR/b"; then
		ktap_ok "$n responder: IKE and CHILD SA up with pluto initiating"
	else
		ktap_not_ok "$n responder: IKE and CHILD SA up with pluto initiating"
	fi
	log_show "$OURS" "authentication of moon.example with certificate"
}

run_cert rsa rsasig
run_cert ec ecdsa

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
