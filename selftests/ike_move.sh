#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The peer's new address followed (RFC 7296 2.23): the NAT's public
# address changes under a running tunnel (a second, then a third public
# address, conntrack flushed). A: strongSwan behind the NAT, ikedaemon the
# responder: the first move is seen in strongSwan's ESP (the module's
# MAPPING event), the second in its next DPD request (an authenticated
# IKE message); each time the log names old and new address:port, the IKE
# SA (`ikectl status') and the CHILD SAs in the module (`ikectl sa show')
# point to the new address and traffic flows both ways. A forged IKE
# message (real SPIs, bad ICV), an IKE_SA_INIT and a forged ESP packet
# (real SPI, bad ICV) from a third address move nothing. B: ikedaemon
# behind the NAT, strongSwan the responder: our traffic continues from
# the new address and strongSwan follows it.
#
#   ns L (behind NAT)          ns N (NAT)                     ns R
#   inner 10.0.1.1/24                                         inner 10.0.2.1/24
#   veth_l 172.16.1.2/24 --- veth_nl 172.16.1.1/24
#                            veth_nr 192.0.2.1/24 --------- veth_r 192.0.2.2/24
#                              + 192.0.2.3, 192.0.2.4 (later public addresses),
#                                192.0.2.9 (the forger, not NATed)
#                            masquerade to 192.0.2.1:20000-20999, then
#                            snat to 192.0.2.3:30000-30999, 192.0.2.4:40000-40999
#   tunnel 10.0.1.0/24 <=> 10.0.2.0/24, AES-GCM-16-256 / X25519, FQDN ids
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
source "$(dirname "$0")/ike_nat_lib.sh"

require_root
require_ike
require_cmd ping nft socat python3
require_module
mark=move-$$
modprobe -q -a esp4 xfrm_user 2>/dev/null

# nat_move ADDR LO-HI: L's traffic leaves from ADDR (ports LO-HI for UDP),
# conntrack flushed: the NAT's public address changed.
nat_move() {
	ip -n "$N" addr add "$1/24" dev veth_nr 2>/dev/null
	nat_rules "oifname veth_nr ip saddr 172.16.1.0/24 meta l4proto udp snat to $1:$2 random" \
		"oifname veth_nr ip saddr 172.16.1.0/24 snat to $1"
}

# charon_remote DIR: ADDR[PORT] of charon's peer.
charon_remote() {
	swanctl_ "$1" --list-sas 2>/dev/null |
		sed -n 's/^ *remote .* @ \([^ ]*\).*/\1/p' | head -n 1
}

# at DIR NS ADDR LO HI: our IKE SA and outbound SA point to ADDR, at one
# port in LO-HI.
at() {
	local dst p peer
	read -r dst p < <(ours_out_sa "$2")
	peer=$(ours_peer "$1")
	echo "# IKE SA peer $peer (ikectl status), outbound SA to $dst port $p (ikectl sa show)"
	[ "$dst" = "$3" ] && port_in "$4" "$5" "$p" && [ "$peer" = "$3:$p" ]
}

# forge SPI_I SPI_R ESP_SPI: from 192.0.2.9:4500 to ikedaemon at
# 192.0.2.2:4500: INFORMATIONAL requests with the IKE SA's SPIs, message
# IDs 0-63 and an SK payload that cannot authenticate; IKE_SA_INIT
# requests with the IKE SA's SPIs; ESP in UDP for our inbound SA with a
# bad ICV.
forge() {
	ip netns exec "$N" python3 -S - "$@" <<-'PY'
	import os, socket, struct, sys
	spi_i, spi_r = (bytes.fromhex(x) for x in sys.argv[1:3])
	esp_spi = int(sys.argv[3], 16)
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.bind(("192.0.2.9", 4500))
	dst = ("192.0.2.2", 4500)
	sk = struct.pack("!BBH", 0, 0, 4 + 64) + os.urandom(64)
	for msgid in range(64):
	    m = struct.pack("!8s8sBBBBII", spi_i, spi_r, 46, 0x20, 37, 0x08,
	                    msgid, 28 + len(sk)) + sk
	    s.sendto(b"\0\0\0\0" + m, dst)
	for r in (spi_r, bytes(8)):
	    m = struct.pack("!8s8sBBBBII", spi_i, r, 0, 0x20, 34, 0x08, 0, 28)
	    s.sendto(b"\0\0\0\0" + m, dst)
	for seq in range(1000, 1004):
	    s.sendto(struct.pack("!II", esp_spi, seq) + os.urandom(80), dst)
	PY
}

# auth_fails SPI: the auth-fails counter of ikesec's inbound SA SPI in R.
auth_fails() { ikesec_sa_stat "$R" in "0x$1" auth_fails; }
auth_fails_ge() { [ "$(auth_fails "$1")" -ge "$2" ]; }

ktap_plan 15
nat_start "$mark"
ip -n "$N" addr add 192.0.2.9/24 dev veth_nr

# --- A: strongSwan behind the NAT, its public address changes ---
c="A: strongSwan behind NAT -> ikedaemon"; echo "# ${SECONDS}s: $c"
mkdir -p "$DIR/l1" "$DIR/r1"
conf_charon "$DIR/l1" 172.16.1.2 192.0.2.2 10.0.1.0/24 10.0.2.0/24 \
	sun.example moon.example
sed -i 's/^\(\s*\)proposals = .*/&\n\1dpd_delay = 2s/' \
	"$DIR/l1/swanctl/swanctl.conf"
conf_ours "$DIR/r1" none 192.0.2.2 %any 10.0.2.0/24 10.0.1.0/24 \
	moon.example sun.example
CHARON_EXTRA="keep_alive = ${KA}s" charon_start "$L" "$DIR/l1" &&
	charon_load "$DIR/l1" ||
	{ cat "$DIR/l1/charon.out"; skip "charon did not start"; }
ikedaemon_start "$R" "$DIR/r1"
swanctl_ "$DIR/l1" --initiate --child net --timeout 30 > "$DIR/l1/init.out" 2>&1
ktap_check "$c: IKE SA and CHILD SA established" \
	log_wait 30 "$DIR/r1/ikedaemon.log" "CHILD SA net established"
ktap_check "$c: we see the peer at the NAT's 192.0.2.1:20000-20999" \
	eval 'wait_for 10 ike_ping "$R" 10.0.2.1 10.0.1.1 &&
	      at "$DIR/r1" "$R" 192.0.2.1 20000 20999'

c="A: NAT address 192.0.2.1 -> 192.0.2.3, seen in ESP"; echo "# ${SECONDS}s: $c"
nat_move 192.0.2.3 30000-30999 || ktap_not_ok "$c: NAT moved"
# strongSwan's next ESP comes from the new address
ip netns exec "$L" ping -q -c 2 -i 0.2 -W 1 -I 10.0.1.1 10.0.2.1 \
	>/dev/null 2>&1
ktap_check "$c: ping both ways (counted by our ikesec)" \
	wait_for 20 eval 'ike_ping "$R" 10.0.2.1 10.0.1.1 && ping_tunnel'
re='NAT mapping of the peer changed \((ESP in UDP|IKE message)\): 192\.0\.2\.1:2[0-9]{4} -> 192\.0\.2\.3:3[0-9]{4}$'
ktap_check "$c: our log names old and new address:port" \
	log_has "$DIR/r1/ikedaemon.log" "$re"
grep 'NAT mapping of the peer changed' "$DIR/r1/ikedaemon.log" | sed 's/^/#   /'
ktap_check "$c: IKE SA and CHILD SAs point to 192.0.2.3:30000-30999" \
	at "$DIR/r1" "$R" 192.0.2.3 30000 30999

c="A: forged packets from 192.0.2.9"; echo "# ${SECONDS}s: $c"
before=$(ours_peer "$DIR/r1")
n0=$(grep -c 'NAT mapping of the peer changed' "$DIR/r1/ikedaemon.log")
read -r spi_i spi_r < <(ikedaemon_ike_spis "$DIR/r1")
read -r esp_in _ < <(ikedaemon_child_spis "$DIR/r1")
f0=$(auth_fails "$esp_in")
forge "$spi_i" "$spi_r" "$esp_in"
# they arrived (the IKE SA's ICV failure logged, the inbound SA's
# auth-fails counted) and were refused
ktap_check "$c: forged IKE and ESP reached us and failed authentication" \
	eval 'log_wait 10 "$DIR/r1/ikedaemon.log" "INFORMATIONAL message [0-9]+: ICV does not verify" &&
	      wait_for 10 auth_fails_ge "$esp_in" $((f0 + 4))'
log_show "$DIR/r1/ikedaemon.log" "ICV does not verify"
echo "# inbound SA $esp_in: auth-fails $f0 -> $(auth_fails "$esp_in")"
ip netns exec "$R" "$IKECTL" sa show | sed 's/^/# sa: /'
ip netns exec "$R" "$IKECTL" stats | sed 's/^/# stats: /' 
ktap_check "$c: IKE (bad ICV), IKE_SA_INIT and ESP (bad ICV) move nothing" \
	eval 'at "$DIR/r1" "$R" 192.0.2.3 30000 30999 &&
	      [ "$(ours_peer "$DIR/r1")" = "$before" ] &&
	      [ "$(grep -c "NAT mapping of the peer changed" "$DIR/r1/ikedaemon.log")" = "$n0" ]'
ktap_check "$c: traffic still flows" ike_ping "$R" 10.0.2.1 10.0.1.1

c="A: NAT address 192.0.2.3 -> 192.0.2.4, seen in DPD"; echo "# ${SECONDS}s: $c"
nat_move 192.0.2.4 40000-40999 || ktap_not_ok "$c: NAT moved"
# no traffic: strongSwan's next DPD request (every 2 s) moves us
re='NAT mapping of the peer changed \(IKE message\): 192\.0\.2\.3:3[0-9]{4} -> 192\.0\.2\.4:4[0-9]{4}$'
ktap_check "$c: our log names old and new address:port" \
	log_wait 20 "$DIR/r1/ikedaemon.log" "$re"
log_show "$DIR/r1/ikedaemon.log" "$re"
ktap_check "$c: IKE SA and CHILD SAs point to 192.0.2.4:40000-40999" \
	at "$DIR/r1" "$R" 192.0.2.4 40000 40999
ktap_check "$c: ping both ways (counted by our ikesec)" \
	wait_for 10 eval 'ike_ping "$R" 10.0.2.1 10.0.1.1 && ping_tunnel'
stop_all; nat_reset

# --- B: ikedaemon behind the NAT, its public address changes ---
c="B: ikedaemon behind NAT -> strongSwan, NAT address -> 192.0.2.3"; echo "# ${SECONDS}s: $c"
mkdir -p "$DIR/l2" "$DIR/r2"
conf_charon "$DIR/r2" 192.0.2.2 %any 10.0.2.0/24 10.0.1.0/24 \
	moon.example sun.example
conf_ours "$DIR/l2" start 172.16.1.2 192.0.2.2 10.0.1.0/24 10.0.2.0/24 \
	sun.example moon.example
charon_start "$R" "$DIR/r2" && charon_load "$DIR/r2" ||
	{ cat "$DIR/r2/charon.out"; skip "charon did not start"; }
ikedaemon_start "$L" "$DIR/l2"
ktap_check "$c: IKE SA and CHILD SA established" \
	eval 'log_wait 30 "$DIR/l2/ikedaemon.log" "CHILD SA net established" &&
	      wait_for 10 ike_ping "$L" 10.0.1.1 10.0.2.1'
echo "# strongSwan sees us at $(charon_remote "$DIR/r2")"
nat_move 192.0.2.3 30000-30999 || ktap_not_ok "$c: NAT moved"
ktap_check "$c: ping through ikesec recovers" \
	wait_for 20 ike_ping "$L" 10.0.1.1 10.0.2.1
r=$(charon_remote "$DIR/r2")
echo "# strongSwan now sees us at $r"
ktap_check "$c: strongSwan follows to 192.0.2.3:30000-30999" \
	eval '[ "${r%%[*}" = 192.0.2.3 ] && p=${r#*[} && port_in 30000 30999 "${p%]}"'

echo "# ${SECONDS}s: done"
nat_finish "$mark"
