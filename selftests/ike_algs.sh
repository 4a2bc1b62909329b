#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IKEv2 with strongSwan's charon across algorithms: every IKE encryption,
# PRF and DH family ikedaemon implements, every ESP transform the module
# carries (AES-GCM, ChaCha20-Poly1305, AES-CBC with HMAC-SHA2/SHA1, ESN),
# an INVALID_KE_PAYLOAD round trip, and IPv6 inside and outside.
# ikedaemon initiates, then charon initiates for the three usual suites
# (ikedaemon as responder); each case checks the CHILD SA, the SPIs on
# both ends and a ping through it.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24 fd00:1::1/64 (dummy)   inner 10.0.2.1/24 fd00:2::1/64
#   veth_a 192.0.2.1/24 2001:db8::1/64 ---- veth_b 192.0.2.2/24 2001:db8::2/64
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping
require_module

ike_bed ia

# name | our IKE proposals | charon's IKE | our ESP | charon's ESP |
#   6 (IPv6) | r (charon initiates, we respond) | a (the IKE addresses as
#   identities: ID_IPV4_ADDR, ID_IPV6_ADDR)
CASES=(
	"AES_GCM_16_128/ECP_256, ESP AES_GCM_16_128|aes128gcm16-prfsha256-ecp256|aes128gcm16-prfsha256-ecp256|aes128gcm16|aes128gcm16"
	"CHACHA20_POLY1305/X25519, ESP CHACHA20_POLY1305|chacha20poly1305-prfsha256-x25519|chacha20poly1305-prfsha256-x25519|chacha20poly1305|chacha20poly1305"
	"AES_CBC_128/HMAC_SHA2_256/MODP_2048, ESP AES_CBC_128/HMAC_SHA2_256|aes128-sha256-modp2048|aes128-sha256-modp2048|aes128-sha256|aes128-sha256"
	"AES_CBC_256/HMAC_SHA2_384/ECP_384, ESP AES_CBC_256/HMAC_SHA1_96|aes256-sha384-ecp384|aes256-sha384-ecp384|aes256-sha1|aes256-sha1"
	"AES_GCM_16_256/PRF_SHA2_512/MODP_3072, ESP AES_GCM_16_256 with ESN|aes256gcm16-prfsha512-modp3072|aes256gcm16-prfsha512-modp3072|aes256gcm16-esn|aes256gcm16-esn"
	"INVALID_KE_PAYLOAD: X25519 offered first, charon wants ECP_256|aes256gcm16-prfsha256-x25519-ecp256|aes256gcm16-prfsha256-ecp256|aes256gcm16|aes256gcm16"
	"IPv6 outer and inner, AES_GCM_16_256/X25519|aes256gcm16-prfsha256-x25519|aes256gcm16-prfsha256-x25519|aes256gcm16|aes256gcm16|6"
	"AES_GCM_16_256/PRF_SHA2_384/MODP_4096 (DH 16), ESP AES_GCM_16_128|aes256gcm16-prfsha384-modp4096|aes256gcm16-prfsha384-modp4096|aes128gcm16|aes128gcm16"
	"responder: AES_GCM_16_256/X25519, ESP AES_GCM_16_256|aes256gcm16-prfsha256-x25519|aes256gcm16-prfsha256-x25519|aes256gcm16|aes256gcm16||r"
	"responder: CHACHA20_POLY1305/ECP_256, ESP CHACHA20_POLY1305|chacha20poly1305-prfsha256-ecp256|chacha20poly1305-prfsha256-ecp256|chacha20poly1305|chacha20poly1305||r"
	"responder: AES_CBC_128/HMAC_SHA2_256/MODP_2048, ESP AES_CBC_128/HMAC_SHA2_256|aes128-sha256-modp2048|aes128-sha256-modp2048|aes128-sha256|aes128-sha256||r"
	"responder, IPv6, IPv6 address identities (ID_IPV6_ADDR)|aes256gcm16-prfsha256-x25519|aes256gcm16-prfsha256-x25519|aes256gcm16|aes256gcm16|6|r|a"
)

# to_v6 FILE: the same configuration over IPv6.
to_v6() {
	sed -i 's/192\.0\.2\.\([12]\)/2001:db8::\1/g; s|10\.0\.\([12]\)\.0/24|fd00:\1::/64|g' "$1"
}

spis_agree() {
	local ours theirs
	ours=$(ikedaemon_child_spis "$DIR/a")
	theirs=$(charon_child_spis "$DIR/b")
	set -- $ours $theirs
	[ $# = 4 ] && [ "$1" = "$4" ] && [ "$2" = "$3" ]
}

# charon's IKE SA is the one it initiated (swanctl marks our side's SPI
# with `*': SPIi here).
charon_initiated() {
	swanctl_ "$DIR/b" --list-sas 2>/dev/null | grep -q 'IKEv2, [0-9a-f]*_i\*'
}

ping_tunnel() {
	if [ "$fam" = 6 ]; then
		ike_ping "$A" fd00:1::1 fd00:2::1 2
	else
		ike_ping "$A" 10.0.1.1 10.0.2.1 2
	fi
}

ktap_plan ${#CASES[@]}
mkdir -p "$DIR/a" "$DIR/b"
ike_topology -6 "$A" "$B" || exit 1
ike_conf_charon "$DIR/b" x aes256gcm16-prfsha256-x25519 aes256gcm16 \
	10.0.2.0/24 10.0.1.0/24
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	skip "charon did not start"

for c in "${CASES[@]}"; do
	IFS='|' read -r name ours_ike theirs_ike ours_esp theirs_esp fam role \
		ids <<< "$c"
	start=start
	[ "$role" = r ] && start=none
	theirs_ids=() ours_ids=()
	if [ "$ids" = a ]; then	# to_v6 turns them into IPv6 addresses
		theirs_ids=("$IKE_PSK" 192.0.2.2 192.0.2.1)
		ours_ids=("$IKE_PSK" 192.0.2.1 192.0.2.2)
	fi
	ikedaemon_stop "$DIR/a"
	swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
	ike_conf_charon "$DIR/b" x "$theirs_ike" "$theirs_esp" 10.0.2.0/24 \
		10.0.1.0/24 "${theirs_ids[@]}"
	ike_conf_ours "$DIR/a" "$start" "$ours_ike" "$ours_esp" 10.0.1.0/24 \
		10.0.2.0/24 "${ours_ids[@]}"
	if [ "$fam" = 6 ]; then
		to_v6 "$DIR/b/swanctl/swanctl.conf"
		to_v6 "$DIR/a/ikedaemon.conf"
	fi
	charon_load "$DIR/b"
	ikedaemon_start "$A" "$DIR/a"
	[ "$role" = r ] && swanctl_ "$DIR/b" --initiate --child net \
		--timeout 20 > "$DIR/b/init.out" 2>&1
	why=
	log_wait 20 "$DIR/a/ikedaemon.log" "CHILD SA net established" ||
		why="no CHILD SA"
	[ -z "$why" ] && { wait_for 5 spis_agree || why="SPIs differ"; }
	[ -z "$why" ] && { ping_tunnel || why="no ping through the tunnel"; }
	if [[ "$name" == INVALID_KE* ]] && [ -z "$why" ]; then
		log_has "$DIR/a/ikedaemon.log" \
			"peer wants DH group 19 instead of 31, retrying" ||
			why="no INVALID_KE_PAYLOAD retry logged"
	fi
	if [ "$role" = r ] && [ -z "$why" ]; then
		charon_initiated || why="charon was not the initiator"
	fi
	if [ "$ids" = a ] && [ -z "$why" ]; then
		# our log shows identities in brackets after the addresses
		log_has "$DIR/a/ikedaemon.log" \
			'IKE SA established between .*\[2001:db8::1\]\.\.\..*\[2001:db8::2\], SPIs' ||
			why="IKE SA not between the IPv6 address identities"
		log_show "$DIR/a/ikedaemon.log" "IKE SA established"
	fi
	if [ -z "$why" ]; then
		ktap_ok "$name"
		log_show "$DIR/a/ikedaemon.log" "CHILD SA net established"
	else
		ktap_not_ok "$name ($why)"
		grep -v '\[NET\]\|\[DMN\]' "$DIR/a/ikedaemon.log" | tail -n 6 |
			sed 's/^/#   ours: /'
	fi
done
ktap_exit
