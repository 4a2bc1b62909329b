# SPDX-License-Identifier: GPL-2.0
# Helpers for the IKE selftests (source after lib.sh): two namespaces over
# a veth, strongSwan's charon in one (its own /run, vici socket, log and
# swanctl.conf under $IKE_DIR), ikedaemon in the other.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   inner 10.0.1.1/24 (dummy)                inner 10.0.2.1/24 (dummy)
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24

IKEDAEMON=$IKESEC_TOP/ikedaemon/ikedaemon
CHARON=${CHARON:-/usr/lib/ipsec/charon}
IKE_PSK=${IKE_PSK:-"s3cr3t-psk-for-tests"}

require_ike() {
	require_cmd ip swanctl
	[ -x "$CHARON" ] || skip "strongSwan's charon not installed ($CHARON)"
	[ -x "$IKEDAEMON" ] || skip "$IKEDAEMON not built"
	[ -x "$IKECTL" ] || skip "$IKECTL not built"
	# charon's first CHILD SA would otherwise wait for XFRM and the AEAD
	# drivers to load and self-test (up to a minute on a busy TCG guest),
	# longer than ikedaemon's IKE_AUTH retransmits last.
	modprobe -qa esp4 esp6 xfrm_user gcm aesni_intel seqiv 2>/dev/null
	xfrm_crypto_warmup
	return 0
}

# xfrm_crypto_warmup: have XFRM instantiate every ESP cipher the IKE tests
# use once, in a throwaway namespace; later instances are then quick.
xfrm_crypto_warmup() {
	local ns=ikewarm$$ k36 k32 k
	k36=0x$(printf '%072d' 0) k32=0x$(printf '%064d' 0)
	ip netns add "$ns" 2>/dev/null || return 0
	for k in "aead rfc4106(gcm(aes)) $k36 128" \
		 "aead rfc7539esp(chacha20,poly1305) $k36 128" \
		 "enc cbc(aes) $k32 auth-trunc hmac(sha256) $k32 128" \
		 "enc cbc(aes) $k32 auth-trunc hmac(sha1) 0x$(printf '%040d' 0) 96"; do
		# shellcheck disable=SC2086 # word splitting wanted
		ip -n "$ns" xfrm state add src 192.0.2.250 dst 192.0.2.251 \
			proto esp spi 0x100 mode tunnel $k 2>/dev/null
		ip -n "$ns" xfrm state flush
	done
	ip netns del "$ns"
}

# ike_topology [-6] A B: the datapath bed (lib.sh's dp_bed), under the
# name the IKE tests know.
ike_topology() { dp_bed "$@"; }

# ike_bed TAG: the bed of a test of ikedaemon (netns A, files in DIR/a)
# against charon (netns B, DIR/b): A and B are ikesec-TAG-{a,b}-PID, DIR a
# fresh directory, mark the dmesg mark; ike_bed_cleanup on exit. A test
# with more to stop defines ike_bed_extra (run first); IKE_BED_LOGS are
# the logs shown when a check failed.
ike_bed() {
	A=ikesec-$1-a-$ns_suffix
	B=ikesec-$1-b-$ns_suffix
	DIR=$(mktemp -d "/tmp/$(basename "$0" .sh).XXXXXX")
	mark=$1-$$
	IKE_BED_LOGS="$DIR/a/ikedaemon.log $DIR/b/charon.log"
	trap ike_bed_cleanup EXIT
}

ike_bed_cleanup() {
	local f

	! declare -F ike_bed_extra >/dev/null || ike_bed_extra
	ping_stop 2>/dev/null
	ikedaemon_stop "$DIR/a"
	charon_stop "$DIR/b"
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	if [ "$ktap_failed" = 1 ]; then
		for f in $IKE_BED_LOGS; do
			[ -f "$f" ] && grep -v '\[NET\]\|\[ENC\]' "$f" |
				tail -n 50 | sed "s|^|# $(basename "$f"): |"
		done
	fi
	rm -rf "$DIR"
}

# ping_start SRC DST: a ping every 50 ms from SRC to DST in A until
# ping_stop.
ping_start() {
	ip netns exec "$A" ping -i 0.05 -W 2 -I "$1" "$2" \
		> "$DIR/ping.out" 2>&1 &
	echo $! > "$DIR/ping.pid"
	wait_for 5 grep -q icmp_seq "$DIR/ping.out"
}

# Stop it; LOST is the echo requests without reply among those before
# the last reply (the one in flight when ping stops is not lost), SENT
# how many went out.
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

# zero_loss WHAT: the KTAP line for the ping that just stopped.
zero_loss() {
	ktap_check "$1: $SENT pings sent, $REPLIES answered, $LOST lost" \
		test "${LOST:-1}" -eq 0 -a "${REPLIES:-0}" -gt 20
}

# IKE_LOG_QUIET=1: charon_start and ikedaemon_start run the daemons at
# their default log levels, as a benchmark should; tests want the debug
# lines (charon ike/cfg 2, flushed at once; ikedaemon -v).
ike_log_quiet() { [ "${IKE_LOG_QUIET:-0}" = 1 ]; }

# charon_start NS DIR: charon in NS with DIR/strongswan.conf (written here)
# and DIR/charon.log; returns once its vici socket answers.
charon_start() {
	local ns=$1 dir=$2 levels='ike = 2
				cfg = 2
				flush_line = yes'
	ike_log_quiet && levels=
	mkdir -p "$dir/swanctl"
	cat > "$dir/strongswan.conf" <<-CONF
	charon {
		load_modular = yes
		install_routes = no
		retransmit_timeout = 1
		retransmit_base = 1.4
		retransmit_tries = 3
		${IKE_CHARON_CONF:-}
		${CHARON_EXTRA:-}
		plugins {
			include /etc/strongswan.d/charon/*.conf
			vici {
				socket = unix://$dir/charon.vici
			}
		}
		filelog {
			charon {
				path = $dir/charon.log
				time_format = %T
				default = 1
				$levels
			}
		}
		syslog {
			daemon {
				default = -1
			}
		}
	}
	CONF
	ip netns exec "$ns" unshare -m sh -c "
		mount -t tmpfs none /run &&
		mount --bind '$dir/swanctl' /etc/swanctl &&
		STRONGSWAN_CONF='$dir/strongswan.conf' exec '$CHARON'" \
		> "$dir/charon.out" 2>&1 &
	echo $! > "$dir/charon.pid"
	echo "$SECONDS" > "$dir/charon.started"
	wait_for 20 swanctl_ "$dir" --stats >/dev/null 2>&1
}

# charon_cookie_settle DIR: before DIR's charon is asked for COOKIEs, let
# it run 12 s. Its check of a returned COOKIE (receiver.c, "t < now -
# secret_offset - COOKIE_LIFETIME" in unsigned seconds of uptime) wraps
# around while now - secret_offset < 10, and secret_offset is random below
# the uptime at its start: in a guest booted a minute ago, about one charon
# in six refuses every COOKIE it hands out for its first seconds.
charon_cookie_settle() {
	local t0 w
	t0=$(cat "$1/charon.started" 2>/dev/null) || return 0
	w=$((t0 + 12 - SECONDS))
	[ "$w" -le 0 ] || sleep "$w"
}

# swanctl_ DIR COMMAND [ARGS]: swanctl talking to that charon.
swanctl_() {
	local dir=$1 cmd=$2; shift 2
	swanctl "$cmd" --uri "unix://$dir/charon.vici" "$@" 2> "$dir/swanctl.err"
}

# charon_load DIR: load DIR/swanctl/swanctl.conf (conns and secrets).
charon_load() {
	swanctl_ "$1" --load-all --noprompt \
		--file "$1/swanctl/swanctl.conf" >"$1/load.out" ||
		{ sed 's/^/# swanctl: /' "$1/load.out"; return 1; }
}

charon_stop() {
	[ -f "$1/charon.pid" ] || return 0
	kill "$(cat "$1/charon.pid")" 2>/dev/null
	rm -f "$1/charon.pid"
}

# ikedaemon_start NS DIR [OPTION...]: ikedaemon with DIR/ikedaemon.conf and
# the options (-c, -t/-b/-r), logging (debug unless IKE_LOG_QUIET=1) to
# DIR/ikedaemon.log, control
# socket DIR/ctl.sock.
ikedaemon_start() {
	local ns=$1 dir=$2 v=-v
	shift 2
	ike_log_quiet && v=
	ip netns exec "$ns" "$IKEDAEMON" -d $v "$@" -f "$dir/ikedaemon.conf" \
		-s "$dir/ctl.sock" > "$dir/ikedaemon.log" 2>&1 &
	echo $! > "$dir/ikedaemon.pid"
	wait_for 10 test -S "$dir/ctl.sock"
}

ikedaemon_stop() {
	local pid
	[ -f "$1/ikedaemon.pid" ] || return 0
	pid=$(cat "$1/ikedaemon.pid")
	kill "$pid" 2>/dev/null
	wait_for 5 sh -c "! kill -0 $pid 2>/dev/null"
	rm -f "$1/ikedaemon.pid"
}

ikectl_d() {
	local dir=$1; shift
	"$IKECTL" -s "$dir/ctl.sock" "$@"
}

# log_has FILE ERE: the log has a matching line.
log_has() { grep -Eq -- "$2" "$1"; }
# log_wait SECONDS FILE ERE
log_wait() { wait_for "$1" log_has "$2" "$3"; }
# log_show FILE ERE: the first matching line, as a KTAP comment.
log_show() { grep -E -m1 -- "$2" "$1" | sed 's/^/#   /'; }

# ikesec_packets NS: "OUT IN", the packets ikesec in NS encrypted and
# decrypted (namespace counters).
ikesec_packets() {
	ip netns exec "$1" "$IKECTL" stats | awk '
		$1 == "out-packets" { o = $2 } $1 == "in-packets" { i = $2 }
		END { print o + 0, i + 0 }'
}

# ike_ping NS SRC DST [COUNT]: COUNT (3) pings from SRC to DST in NS that
# ikesec in NS encrypted and decrypted: a ping that bypassed the tunnel
# (no SA, no policy) does not count.
ike_ping() {
	local ns=$1 src=$2 dst=$3 n=${4:-3} six= o0 i0 o1 i1
	case $dst in *:*) six=-6 ;; esac
	read -r o0 i0 < <(ikesec_packets "$ns")
	ip netns exec "$ns" ping $six -q -c "$n" -i 0.2 -W 2 -I "$src" \
		"$dst" >/dev/null 2>&1 || return 1
	read -r o1 i1 < <(ikesec_packets "$ns")
	[ $((o1 - o0)) -ge "$n" ] && [ $((i1 - i0)) -ge "$n" ]
}

# module_sas: the ikesec SAs (in and out) in ns_a; charon_children:
# charon's installed CHILD SAs.
module_sas() { ip netns exec "$A" "$IKECTL" sa show | grep -c 'spi 0x'; }
charon_children() {
	swanctl_ "$DIR/b" --list-sas 2>/dev/null | grep -c 'INSTALLED'
}

# Print "IN OUT" ESP SPIs of charon's first installed CHILD SA (a rekeyed
# one may still be listed).
charon_child_spis() {
	swanctl_ "$1" --list-sas 2>/dev/null | awk '
		/reqid/ { inst = /INSTALLED/ }
		inst && $1 == "in" && !i { i = $2; sub(",", "", i) }
		inst && $1 == "out" && !o { o = $2; sub(",", "", o) }
		END { print i, o }'
}

# Print "IN OUT" ESP SPIs of ikedaemon's first CHILD SA.
ikedaemon_child_spis() {
	ikectl_d "$1" status 2>/dev/null |
		sed -n 's/.*ESP SPIs: \([0-9a-f]*\)_i \([0-9a-f]*\)_o.*/\1 \2/p' |
		head -n 1
}

# Print "SPIi SPIr" of the first ESTABLISHED IKE SA on each side (one
# rekeyed and still being deleted is skipped).
charon_ike_spis() {
	swanctl_ "$1" --list-sas 2>/dev/null |
		sed -n 's/.*ESTABLISHED, IKEv2, \([0-9a-f]*\)_i\*\{0,1\} \([0-9a-f]*\)_r.*/\1 \2/p' |
		head -n 1
}

# charon_knows_ike DIR "SPIi SPIr": charon has that IKE SA, in any state
# (while IKE SAs rekey every few seconds, the two ends' first ESTABLISHED
# SA can differ for a moment; the one we hold must still be known there).
charon_knows_ike() {
	[ -n "$2" ] && swanctl_ "$1" --list-sas 2>/dev/null |
		sed -n 's/.*IKEv2, \([0-9a-f]*\)_i\*\{0,1\} \([0-9a-f]*\)_r.*/\1 \2/p' |
		grep -qxF "$2"
}

ikedaemon_ike_spis() {
	ikectl_d "$1" status 2>/dev/null |
		awk '/^[^ ].*: / { up = $2 == "ESTABLISHED," }
		     up && /SPIs: [0-9a-f]+_i/ { print }' |
		sed -n 's/.*SPIs: \([0-9a-f]*\)_i\*\{0,1\} \([0-9a-f]*\)_r.*/\1 \2/p' |
		head -n 1
}

# swanctl.conf for charon and ikedaemon.conf for us, from one description:
# ike_conf_charon DIR ROLE(initiator|responder) IKE_PROP ESP_PROP LOCAL_TS
#   REMOTE_TS [PSK] [LOCAL_ID] [REMOTE_ID]
ike_conf_charon() {
	local dir=$1 role=$2 ike=$3 esp=$4 lts=$5 rts=$6
	local psk=${7:-$IKE_PSK} lid=${8:-moon.example} rid=${9:-sun.example}
	mkdir -p "$dir/swanctl"
	cat > "$dir/swanctl/swanctl.conf" <<-CONF
	connections {
		peer {
			local_addrs = 192.0.2.2
			remote_addrs = 192.0.2.1
			proposals = $ike
			local {
				auth = psk
				id = $lid
			}
			remote {
				auth = psk
				id = $rid
			}
			children {
				net {
					local_ts = $lts
					remote_ts = $rts
					esp_proposals = $esp
					start_action = none
				}
			}
		}
	}
	secrets {
		ike-peer {
			id-1 = $lid
			id-2 = $rid
			secret = "$psk"
		}
	}
	CONF
}

# ike_conf_ours DIR START(start|none) IKE_PROP ESP_PROP LOCAL_TS REMOTE_TS
#   [PSK] [LOCAL_ID] [REMOTE_ID]; IKE_DPD=2s in the environment adds
#   dpd_delay, IKE_REKEY=5s the child's rekey_time, IKE_IKE_REKEY=5s the
#   IKE SA's.
ike_conf_ours() {
	local dir=$1 start=$2 ike=$3 esp=$4 lts=$5 rts=$6
	local psk=${7:-$IKE_PSK} lid=${8:-sun.example} rid=${9:-moon.example}
	cat > "$dir/ikedaemon.conf" <<-CONF
	connections {
		gw {
			local_addrs = 192.0.2.1
			remote_addrs = 192.0.2.2
			proposals = $ike
			$([ -n "$IKE_DPD" ] && echo "dpd_delay = $IKE_DPD")
			$([ -n "$IKE_IKE_REKEY" ] && echo "rekey_time = $IKE_IKE_REKEY")
			local {
				auth = psk
				id = $lid
			}
			remote {
				auth = psk
				id = $rid
			}
			children {
				net {
					local_ts = $lts
					remote_ts = $rts
					esp_proposals = $esp
					start_action = $start
					$([ -n "$IKE_REKEY" ] && echo "rekey_time = $IKE_REKEY")
					$([ -n "$IKE_REKEY" ] && echo "life_time = 120s")
				}
			}
		}
	}
	secrets {
		ike-gw {
			id-1 = $lid
			id-2 = $rid
			secret = "$psk"
		}
	}
	CONF
}
