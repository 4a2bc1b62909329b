#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "Identity behind NAT": strongSwan behind a masquerading NAT initiates
# to ikedaemon with an identity that is not the configured remote id
# because of the NAT. 1: charon sets no id, so it uses its private
# address 172.16.1.2, while we configured the NAT's public 192.0.2.1.
# 2: the reverse. Each time our log line names both identities, the NAT
# and the address the packets come from, and the fix; charon gets
# AUTHENTICATION_FAILED; `ikectl last-error' repeats the line. 3: with
# the fix the log suggested (remote id = 172.16.1.2) the tunnel comes up.
# 4, 5: the same mistakes with us initiating to strongSwan behind the NAT
# (port forwarding to it): strongSwan refuses the IDr we send with
# AUTHENTICATION_FAILED; our line names the IDr, the NAT and the fix, and
# `ikectl last-error' repeats it. 6: with the right remote id it comes up.
# Every wait is bounded (log_wait, swanctl --timeout, ikectl's own).
#
#   ns L (behind NAT)          ns N (NAT)                     ns R
#   inner 10.0.1.1/24                                         inner 10.0.2.1/24
#   veth_l 172.16.1.2/24 --- veth_nl 172.16.1.1/24
#                            veth_nr 192.0.2.1/24 --------- veth_r 192.0.2.2/24
#   charon, initiator (1-3)  masquerade to 192.0.2.1:20000-20999
#   charon, responder (4-6)  4-6: UDP 500, 4500 to 192.0.2.1 forwarded to L
#                                                             ikedaemon
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
source "$(dirname "$0")/ike_nat_lib.sh"

require_root
require_ike
require_cmd nft socat python3
require_module
mark=natid-$$
modprobe -q -a esp4 xfrm_user 2>/dev/null

# attempt CASE N CHARON_ID OUR_REMOTE_ID: charon (id CHARON_ID, "" for
# its address) initiates to us (remote id OUR_REMOTE_ID), fresh logs.
attempt() {
	local l=$DIR/l$2 r=$DIR/r$2
	mkdir -p "$l" "$r"
	conf_charon "$l" 172.16.1.2 192.0.2.2 10.0.1.0/24 10.0.2.0/24 \
		"$3" moon.example
	conf_ours "$r" none 192.0.2.2 %any 10.0.2.0/24 10.0.1.0/24 \
		moon.example "$4"
	charon_start "$L" "$l" && charon_load "$l" ||
		{ cat "$l/charon.out"; skip "charon did not start"; }
	ikedaemon_start "$R" "$r"
	swanctl_ "$l" --initiate --child net --timeout 20 > "$l/init.out" 2>&1
}

# refused CASE N GOT WANT: our line, charon's AUTHENTICATION_FAILED,
# ikectl last-error.
refused() {
	local c=$1 l=$DIR/l$2 r=$DIR/r$2 got=${3//./\\.} want=${4//./\\.} re
	re="AUTHENTICATION_FAILED: no connection matches peer identity $got \\(from 192\\.0\\.2\\.1:2[0-9]{4}.*\\): peer identity $got \\(an IP address\\) is not the configured remote id $want; the peer is behind a NAT \\(its packets come from 192\\.0\\.2\\.1:2[0-9]{4}\\): configure remote id = $got or set an explicit id on the peer"
	ktap_check "$c: our log names both ids, the NAT and the fix" \
		log_wait 20 "$r/ikedaemon.log" "$re"
	log_show "$r/ikedaemon.log" "AUTHENTICATION_FAILED"
	ktap_check "$c: strongSwan gets AUTHENTICATION_FAILED" \
		log_wait 10 "$l/charon.log" "received AUTHENTICATION_FAILED notify error"
	ktap_check "$c: ikectl last-error nat prints it" \
		eval 'ikectl_d "$r" last-error nat | grep -Eq "$re"'
	ikectl_d "$r" last-error nat | sed 's/^/#   last-error: /'
}

# attempt_i N CHARON_ID OUR_REMOTE_ID: we initiate to strongSwan behind
# the NAT (at the NAT's 192.0.2.1, forwarded to it), fresh logs.
attempt_i() {
	local l=$DIR/l$1 r=$DIR/r$1
	mkdir -p "$l" "$r"
	conf_charon "$l" 172.16.1.2 %any 10.0.1.0/24 10.0.2.0/24 \
		"$2" moon.example
	conf_ours "$r" start 192.0.2.2 192.0.2.1 10.0.2.0/24 10.0.1.0/24 \
		moon.example "$3"
	charon_start "$L" "$l" && charon_load "$l" ||
		{ cat "$l/charon.out"; skip "charon did not start"; }
	ikedaemon_start "$R" "$r"
}

# refused_i CASE N WANT: strongSwan has another identity than the IDr we
# send (WANT) and refuses us: our line names WANT, the NAT and the fix;
# ikectl last-error repeats it.
refused_i() {
	local c=$1 r=$DIR/r$2 want=${3//./\\.} re
	re="peer answered AUTHENTICATION_FAILED to us as moon\\.example: .*; we asked for the peer as remote id $want \\(IDr, an IP address\\); the peer is behind a NAT \\(its packets come from 192\\.0\\.2\\.1:4500\\), it likely identifies as its address on the other side: configure remote id = the identity the peer's log names, or set id = $want on the peer"
	ktap_check "$c: our log names the IDr we sent, the NAT and the fix" \
		log_wait 20 "$r/ikedaemon.log" "$re"
	log_show "$r/ikedaemon.log" "AUTHENTICATION_FAILED"
	ktap_check "$c: ikectl last-error nat prints it" \
		eval 'ikectl_d "$r" last-error nat | grep -Eq "$re"'
	ikectl_d "$r" last-error nat | sed 's/^/#   last-error: /'
}

# port_forward: IKE to the NAT's 192.0.2.1 (ports 500, 4500) goes to L.
port_forward() {
	ip netns exec "$N" nft -f - <<-NFT
	table ip natfwd {
		chain pre {
			type nat hook prerouting priority dstnat;
			iifname "veth_nr" udp dport { 500, 4500 } dnat to 172.16.1.2
		}
	}
	NFT
}

ktap_plan 13
nat_start "$mark"

c="strongSwan without id (its private address), we want its public one"
attempt "$c" 1 "" 192.0.2.1
refused "$c" 1 172.16.1.2 192.0.2.1
stop_all

c="strongSwan with id = its public address, we want its private one"
attempt "$c" 2 192.0.2.1 172.16.1.2
refused "$c" 2 192.0.2.1 172.16.1.2
stop_all

c="the suggested fix: we want its private address"
attempt "$c" 3 "" 172.16.1.2
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/r3/ikedaemon.log" "CHILD SA net established"
stop_all

# --- we initiate to strongSwan behind the NAT (port forwarding) ---
port_forward || exit 1
# (strongSwan without an id takes the IDr we send as its identity: no
# failure to explain)
c="we initiate; strongSwan with id = its private address, we want its public one"
attempt_i 4 172.16.1.2 192.0.2.1
refused_i "$c" 4 192.0.2.1
stop_all

c="we initiate; strongSwan with id = its public address, we want its private one"
attempt_i 5 192.0.2.1 172.16.1.2
refused_i "$c" 5 172.16.1.2
stop_all

c="we initiate; strongSwan without id, we want its private address"
attempt_i 6 "" 172.16.1.2
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/r6/ikedaemon.log" "CHILD SA net established"
ikectl_d "$DIR/r6" status | grep NAT-T | sed 's/^/# ikedaemon: /'
nat_finish "$mark"
