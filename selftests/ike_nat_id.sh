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
#
#   ns L (behind NAT)          ns N (NAT)                     ns R
#   inner 10.0.1.1/24                                         inner 10.0.2.1/24
#   veth_l 172.16.1.2/24 --- veth_nl 172.16.1.1/24
#                            veth_nr 192.0.2.1/24 --------- veth_r 192.0.2.2/24
#   charon, initiator        masquerade to 192.0.2.1:20000-20999
#                                                             ikedaemon, responder
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

ktap_plan 8
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
nat_finish "$mark"
