#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `ikectl reload' against strongSwan with two connections, one and two,
# both started by ikedaemon: a reload keeps the SAs of an unchanged
# connection (same IKE and ESP SPIs, a ping running across the reload
# loses nothing), replaces a changed one (DELETE to charon, new SAs with
# the new proposal), deletes a removed one at charon, refuses a broken
# file with FILE:LINE and keeps running the old configuration, and starts
# an added one.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24, 10.0.3.1/24           inner 10.0.2.1/24, 10.0.4.1/24
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   one: 10.0.1.0/24 <=> 10.0.2.0/24  (sun1.example <-> moon1.example)
#   two: 10.0.3.0/24 <=> 10.0.4.0/24  (sun2.example <-> moon2.example)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike
require_cmd ping
require_module

ike_bed rl
LOG=$DIR/a/ikedaemon.log

IKE=aes256gcm16-prfsha256-x25519

secrets_conf() {
	cat <<-CONF
		secrets {
			ike-all {
				secret = "$IKE_PSK"
			}
		}
	CONF
}

# charon accepts both ESP proposals ikedaemon will use.
conf_charon() {
	local n
	mkdir -p "$DIR/b/swanctl"
	{
		echo "connections {"
		for n in 1 2; do cat <<-CONF
			c$n {
				local_addrs = 192.0.2.2
				remote_addrs = 192.0.2.1
				proposals = $IKE
				local {
					auth = psk
					id = moon$n.example
				}
				remote {
					auth = psk
					id = sun$n.example
				}
				children {
					net$n {
						local_ts = 10.0.$((2 * n)).0/24
						remote_ts = 10.0.$((2 * n - 1)).0/24
						esp_proposals = aes256gcm16,aes128gcm16
					}
				}
			}
		CONF
		done
		echo "}"
		secrets_conf
	} > "$DIR/b/swanctl/swanctl.conf"
}

# conn_ours NAME N ESP: one connection of ikedaemon.conf.
conn_ours() {
	cat <<-CONF
		$1 {
			local_addrs = 192.0.2.1
			remote_addrs = 192.0.2.2
			proposals = $IKE
			local {
				auth = psk
				id = sun$2.example
			}
			remote {
				auth = psk
				id = moon$2.example
			}
			children {
				net$2 {
					local_ts = 10.0.$((2 * $2 - 1)).0/24
					remote_ts = 10.0.$((2 * $2)).0/24
					esp_proposals = $3
					start_action = start
				}
			}
		}
	CONF
}

# conf_ours [ESP_OF_TWO|-]: connection one, and two unless `-'.
conf_ours() {
	{
		echo "connections {"
		conn_ours one 1 aes256gcm16
		[ "${1:-x}" = - ] || conn_ours two 2 "${1:-aes256gcm16}"
		echo "}"
		secrets_conf
	} > "$DIR/a/ikedaemon.conf"
}

# status_of CONN: the ESTABLISHED IKE SA of CONN in ikectl status, as
# "SPIi SPIr ESPin ESPout" (empty if none).
status_of() {
	ikectl_d "$DIR/a" status "$1" 2>/dev/null | awk '
		/ESTABLISHED/ { e = 1; next }
		/CONNECTING|DELETING/ { e = 0 }
		e && /SPIs:/ && !ike { ike = $3 " " $4 }
		e && /ESP SPIs:/ && !esp { esp = $(NF - 1) " " $NF }
		END { if (ike && esp) print ike, esp }' | sed 's/_[io]//g; s/_r//; s/\*//g'
}

established() { [ -n "$(status_of "$1")" ]; }

ping_net() {
	ip netns exec "$A" ping -q -c 3 -i 0.2 -W 2 -I "10.0.$1.1" \
		"10.0.$(($1 + 1)).1" >/dev/null 2>&1
}

charon_has() {
	swanctl_ "$DIR/b" --list-sas --ike "$1" 2>/dev/null | grep -q ESTABLISHED
}

# The reply of `ikectl reload' and its exit status, into $DIR/reload.out.
reload() {
	ikectl_d "$DIR/a" reload > "$DIR/reload.out" 2>&1
	local rc=$?
	sed 's/^/# reload: /' "$DIR/reload.out"
	return $rc
}

reply_has() { grep -Eq -- "$1" "$DIR/reload.out"; }

both_up() { established one && established two; }
ping_both() { ping_net 1 && ping_net 3; }
one_same() { [ "$(status_of one)" = "$one" ]; }
two_new() { established two && [ "$(status_of two)" != "$two" ]; }
two_proposal() {
	ikectl_d "$DIR/a" status two | grep -A1 INSTALLED |
		grep -q AES_GCM_16_128
}
charon_gone() { ! charon_has c2; }
refused_kept() { ikectl_d "$DIR/a" show conns | grep -q one && one_same; }
two_added() { reload && reply_has "^two: added"; }
end_ok() { ping_both && one_same; }

ktap_plan 21
dmesg_mark "$mark"
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
ip -n "$A" addr add 10.0.3.1/24 dev inner
ip -n "$B" addr add 10.0.4.1/24 dev inner
ip -n "$A" route add 10.0.4.0/24 via 192.0.2.2 src 10.0.3.1
ip -n "$B" route add 10.0.3.0/24 via 192.0.2.1 src 10.0.4.1

conf_charon
conf_ours
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	{ cat "$DIR/b/charon.out"; skip "charon did not start"; }
ikedaemon_start "$A" "$DIR/a"
ktap_check "one and two established with charon" wait_for 30 both_up
one=$(status_of one)
two=$(status_of two)
echo "# one: [$one] two: [$two]"
ktap_check "ping through one and two" ping_both

# --- reload 1: one unchanged, two's ESP proposal changed ---
conf_ours aes128gcm16
ip netns exec "$A" ping -c 15 -i 0.2 -W 1 -I 10.0.1.1 10.0.2.1 \
	> "$DIR/ping.out" 2>&1 &
ping_pid=$!
sleep 0.5
ktap_check "reload with two changed succeeds" reload
ktap_check "reply: one unchanged, its IKE SA kept" \
	reply_has "^one: unchanged, 1 IKE SA kept"
ktap_check "reply: two changed, its IKE SA deleted and replaced" \
	reply_has "^two: changed, 1 IKE SA deleted, replaced"
wait $ping_pid
grep -E "packets transmitted" "$DIR/ping.out" | sed 's/^/# ping across the reload: /'
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$DIR/ping.out")
ktap_check "one: a ping running across the reload lost at most 1 of 15" \
	test "${got:-0}" -ge 14
ktap_check "one: same IKE and ESP SPIs after the reload" one_same
ktap_check "two: charon got a DELETE for the old IKE SA" \
	log_wait 10 "$DIR/b/charon.log" "received DELETE for IKE_SA c2\["
ktap_check "two: re-established with new SPIs" wait_for 20 two_new
ktap_check "two: the new CHILD SA uses the new proposal (AES_GCM_16_128)" \
	two_proposal
ikectl_d "$DIR/a" status two | sed 's/^/# /'
ktap_check "ping through one and two after the reload" ping_both

# --- reload 2: two removed ---
one=$(status_of one)
conf_ours -
ktap_check "reload with two removed succeeds" reload
ktap_check "reply: two removed, its IKE SA deleted" \
	reply_has "^two: removed, 1 IKE SA deleted"
ktap_check "two: gone at charon too" wait_for 10 charon_gone
ktap_check "one: untouched by the removal (same SPIs)" one_same

# --- reload 3: a broken file is refused, the running config stays ---
conf_ours -
sed -i 's/esp_proposals = aes256gcm16/esp_proposals = aes257gcm16/' \
	"$DIR/a/ikedaemon.conf"
line=$(grep -n aes257 "$DIR/a/ikedaemon.conf" | cut -d: -f1)
if reload; then
	ktap_not_ok "broken file refused (ikectl reload succeeded)"
else
	ktap_check "broken file refused with ikedaemon.conf:$line" \
		reply_has "ikedaemon.conf:$line: .*aes257gcm16"
fi
ktap_check "refused: running configuration in force, one still up, same SPIs" \
	refused_kept

# --- reload 4: two added back ---
conf_ours
ktap_check "reload with two added succeeds, reply: two added" two_added
ktap_check "two: established again after being added" \
	wait_for 20 established two
ktap_check "ping through one and two at the end; one kept its SPIs" end_ok

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
