#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The measurements of `make bench`, run as root where modules load (inside
# the test VM, started by bench/run.sh). Every system is measured in the same
# boot, one after the other, on the same topology:
#
#   ns bl (sender, iperf3 -c)                ns br (receiver, iperf3 -s)
#   dummy inner 10.1.0.1/24                  dummy inner 10.2.0.1/24
#   veth0 192.0.2.1/24 ---------------------- veth0 192.0.2.2/24
#   one tunnel 10.1.0.0/24 <-> 10.2.0.0/24: none, ikesec, XFRM or WireGuard
#
# Output: $BENCH_OUT/raw.tsv, one line per sample:
#   R <system> <measure> <value>      (units in bench/README.md)
#   M <key> <value>                   (what ran: kernel, drivers, knobs)
# plus logs (tcrypt.log, perf-*.txt). See bench/README.md for the knobs.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:?}
T=${BENCH_TIME:-5}
REPS=${BENCH_REPS:-3}
PINGS=${BENCH_PINGS:-40}
NSA=${BENCH_SA:-10000}
SMOKE=${BENCH_SMOKE:-0}
# BENCH_SYSTEMS: which tunnels to measure; BENCH_SKIP: any of tcrypt, scale,
# ike (parts left out, e.g. for a quick profile with BENCH_PERF=1).
SYSTEMS=${BENCH_SYSTEMS:-plain ikesec-gcm ikesec-gcm-serial xfrm-gcm ikesec-chacha xfrm-chacha wireguard}
SKIP=" ${BENCH_SKIP:-} "
# BENCH_ONLY=control: only the control plane (handshakes, ike_rss), no
# tunnel, tcrypt or scale run: one boot in a few minutes.
if [ "${BENCH_ONLY:-}" = control ]; then
	SYSTEMS='' SKIP=" tcrypt scale "
fi
IKECTL=$top/ikectl/ikectl
FLOOD=$top/bench/sa_flood
OMIT=${BENCH_OMIT:-1}	# seconds of slow start left out of each iperf3 run
L=bench-bl R=bench-br
mkdir -p "$OUT"
raw=$OUT/raw.tsv
: >"$raw"

rec() { printf 'R\t%s\t%s\t%s\n' "$1" "$2" "$3" >>"$raw"; echo "# $1 $2 $3"; }
meta() { printf 'M\t%s\t%s\n' "$1" "$2" >>"$raw"; echo "# meta $1: $2"; }
note() { echo "# [${SECONDS}s] $*"; }

wait_for() { # SECONDS CMD...
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		"${@:2}" && return 0
		sleep 0.1
	done
	return 1
}

# --- crypto drivers first, for every system alike (NOTES.md, Measuring) ---
for m in aesni_intel chacha20poly1305 chacha_x86_64 poly1305_x86_64 \
	esp4 esp4_offload xfrm_user wireguard; do
	modprobe -q "$m" || note "modprobe $m failed"
done
lsmod | awk '{print $1}' | grep -qx ikesec || "$top/selftests/insmod.sh" ||
	{ echo "bench: cannot load ikesec" >&2; exit 1; }
meta kernel "$(uname -r)"
meta cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
meta knobs "BENCH_TIME=$T BENCH_OMIT=$OMIT BENCH_REPS=$REPS BENCH_PINGS=$PINGS BENCH_SA=$NSA BENCH_SMOKE=$SMOKE"
meta ikesec "${BENCH_REV:-$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)}"

# --- raw AEAD ceiling: tcrypt prints to dmesg and fails the load on purpose --
# It runs alone, before the network runs, in smoke mode too: its speed test
# holds a CPU without a break for seconds. Beside a tunnel that starved the
# kworker that completes, in order, the packets of an SA whose crypto is
# spread over the CPUs (parallel_crypto): one stream moved nothing (0
# Mbit/s) while tcrypt ran; beside the control plane the generator did not
# start within 10 s.
tcrypt() {
	local mode
	for mode in 211 213; do
		dmesg -C
		modprobe tcrypt mode=$mode sec=1 2>/dev/null
		dmesg -t >>"$OUT/tcrypt.log"
	done
}
tcrypt_parse() {
	# "testing speed of rfc4106(gcm(aes)) (driver) encryption" then
	# "test 5 (160 bit key, 1420 byte blocks): N operations in 1 seconds (B bytes)"
	# The result is a continuation of the test's line: another kernel
	# message (a veth coming up: the smoke runs tcrypt beside the network
	# runs) can come in between and put it on a line of its own.
	awk -v want="$1" '
		/testing speed of/ { cur = ($4 == want && $NF == "encryption"); drv = $5; wait = 0; next }
		cur && /^test [0-9]+ / { wait = /1420 byte blocks/ }
		wait && match($0, /operations in [0-9]+ seconds \([0-9]+ bytes\)/) {
			split(substr($0, RSTART, RLENGTH), w, /[ (]+/)
			printf "%s %.1f\n", drv, w[5] * 8 / w[3] / 1e6; exit
		}' "$OUT/tcrypt.log"
}
: >"$OUT/tcrypt.log"
if [[ $SKIP != *" tcrypt "* ]]; then
	note "tcrypt (about 80 s)"
	tcrypt
fi

# --- topology ---
hexkey() { od -An -tx1 -N36 /dev/urandom | tr -d ' \n'; }
K1=$(hexkey) K2=$(hexkey)
GCM_X='rfc4106(gcm(aes))' CHA_X='rfc7539esp(chacha20,poly1305)'

ns_up() {
	local ns
	ns_down
	ip netns add $L && ip netns add $R || return 1
	ip link add veth0 netns $L type veth peer name veth0 netns $R
	for ns in $L $R; do
		ip -n $ns link set lo up
		ip -n $ns link add inner type dummy
		ip -n $ns link set inner up
		ip -n $ns link set veth0 up
	done
	ip -n $L addr add 192.0.2.1/24 dev veth0
	ip -n $R addr add 192.0.2.2/24 dev veth0
	ip -n $L addr add 10.1.0.1/24 dev inner
	ip -n $R addr add 10.2.0.1/24 dev inner
}
ns_down() {
	ip netns pids $R 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del $L 2>/dev/null
	ip netns del $R 2>/dev/null
	true
}
routes_via() {
	ip -n $L route add 10.2.0.0/24 via 192.0.2.2 src 10.1.0.1 &&
	ip -n $R route add 10.1.0.0/24 via 192.0.2.1 src 10.2.0.1
}

setup_plain() { ns_up && routes_via; }

# The same anti-replay window for ikesec and XFRM: 32 packets, the default
# of ikesec, strongSwan and the kernel's non-ESN states (ip xfrm alone
# would leave it off, and then reordered packets are never dropped).
REPLAY=32

# setup_ikesec aes-gcm|chacha20-poly1305: SPIs 0x1001 (bl->br), 0x1002 back.
setup_ikesec() {
	ns_up && routes_via || return 1
	ikesec_side $L 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 0x1001 $K1 0x1002 $K2 "$1" &&
	ikesec_side $R 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 0x1002 $K2 0x1001 $K1 "$1"
}
ikesec_side() { # NS LOCAL PEER LNET RNET SPI_OUT KEY_OUT SPI_IN KEY_IN ALG
	local c="ip netns exec $1 $IKECTL"
	$c sa add dir out spi "$6" src "$2" dst "$3" enc "${10}" "0x$7" reqid 1 \
		replay-window $REPLAY &&
	$c sa add dir in spi "$8" src "$3" dst "$2" enc "${10}" "0x$9" reqid 1 \
		replay-window $REPLAY &&
	$c policy add dir out src "$4" dst "$5" action protect \
		tmpl reqid 1 mode tunnel src "$2" dst "$3" >/dev/null &&
	$c policy add dir in src "$5" dst "$4" action protect \
		tmpl reqid 1 mode tunnel src "$3" dst "$2" >/dev/null
}

# setup_xfrm ALGNAME: the same SPIs and keys with ip xfrm.
setup_xfrm() {
	ns_up && routes_via || return 1
	xfrm_side $L 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 0x1001 $K1 0x1002 $K2 "$1" &&
	xfrm_side $R 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 0x1002 $K2 0x1001 $K1 "$1"
}
xfrm_side() { # NS LOCAL PEER LNET RNET SPI_OUT KEY_OUT SPI_IN KEY_IN ALG
	local x="ip -n $1 xfrm"
	$x state add src "$2" dst "$3" proto esp spi "$6" reqid 1 mode tunnel \
		replay-window $REPLAY aead "${10}" "0x$7" 128 &&
	$x state add src "$3" dst "$2" proto esp spi "$8" reqid 1 mode tunnel \
		replay-window $REPLAY aead "${10}" "0x$9" 128 &&
	$x policy add src "$4" dst "$5" dir out \
		tmpl src "$2" dst "$3" proto esp reqid 1 mode tunnel &&
	$x policy add src "$5" dst "$4" dir in \
		tmpl src "$3" dst "$2" proto esp reqid 1 mode tunnel
}

setup_wg() {
	ns_up || return 1
	local kl kr
	kl=$(wg genkey) kr=$(wg genkey)
	wg_side $L "$kl" "$(echo "$kr" | wg pubkey)" 192.0.2.2 10.2.0.0/24 10.1.0.1 &&
	wg_side $R "$kr" "$(echo "$kl" | wg pubkey)" 192.0.2.1 10.1.0.0/24 10.2.0.1
}
wg_side() { # NS PRIV PEERPUB PEERADDR RNET SRC
	ip -n "$1" link add wg0 type wireguard &&
	ip netns exec "$1" wg set wg0 private-key <(echo "$2") listen-port 51820 \
		peer "$3" allowed-ips "$5" endpoint "$4:51820" &&
	ip -n "$1" link set wg0 up &&
	ip -n "$1" route add "$5" dev wg0 src "$6"
}

# --- measures ---
iperf_server() {
	ip netns exec $R iperf3 -s -B 10.2.0.1 -D >/dev/null 2>&1
	wait_for 5 sh -c "ip netns exec $R ss -tln | grep -q ':5201 '"
}
# iperf SYS MEASURE ARGS...: one run, the receiver's rate.
iperf() {
	local sys=$1 m=$2 j v try; shift 2
	# The receiver's side: UDP packets that arrived (kpps), TCP Mbit/s.
	# A run can fail when the server has not finished the previous one
	# ("server is busy"): try again, up to three times.
	for try in 1 2 3; do
		v=$(ip netns exec $L timeout $((T + 20)) iperf3 -c 10.2.0.1 \
			-B 10.1.0.1 -t "$T" -O "$OMIT" -J "$@" 2>/dev/null |
			jq -r --arg m "$m" '
			.end.sum_received | if $m | startswith("udp64")
			then .bytes / 64 / .seconds / 1e3 * 100 | round / 100
			else .bits_per_second / 1e6 * 10 | round / 10 end' \
			2>/dev/null)
		[ "$v" = null ] && v=
		[ -n "$v" ] && break
		note "$sys $m: iperf3 failed (try $try)"
		sleep 1
	done
	if [ -n "$v" ]; then rec "$sys" "$m" "$v"; else note "$sys $m: iperf3 failed"; fi
}
# RTT median of one ping series, in microseconds.
rtt() {
	local v
	v=$(ip netns exec $L ping -c "$PINGS" -i 0.05 -W 2 -I 10.1.0.1 10.2.0.1 |
		sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n |
		awk '{ a[NR] = $1 } END { if (NR) printf "%.0f\n", a[int((NR + 1) / 2)] * 1000 }')
	if [ -n "$v" ]; then rec "$1" rtt "$v"; else note "$1 rtt: ping failed"; fi
}
# perf_start NAME / perf_stop NAME: `perf record -a -g` around whatever runs
# in between (cpu-clock: TCG has no PMU), reports into $OUT/perf-NAME.txt.
# perf starts disabled and is enabled through its control FIFO once ready:
# under TCG it needs seconds to read the system before it samples.
perf_start() {
	local d=/tmp/bench-perf-$1
	command -v perf >/dev/null || { note "perf missing"; return 1; }
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	echo 0 >/proc/sys/kernel/kptr_restrict
	rm -f "$d.ctl" "$d.ack"
	mkfifo "$d.ctl" "$d.ack"
	perf record -e cpu-clock -a -g -o "$d.data" -D -1 \
		--control "fifo:$d.ctl,$d.ack" -- sleep 3600 >"$d.log" 2>&1 &
	PERF_PID=$!
	# Read-write opens: a FIFO opened so never blocks, even if perf died.
	exec 7<>"$d.ctl" 8<>"$d.ack"
	echo enable >&7
	read -r -t 120 _ <&8 || note "perf did not acknowledge enable"
}
# perf_report DATA TITLE OUT: a perf.data file as text into OUT: the hottest
# symbols (with their object: kernel, module, library), the objects, then
# the callers of the hottest symbols (head: a call graph runs long).
perf_report() {
	{
		echo "### perf report --no-children --sort dso,sym ($2)"
		perf report -i "$1" --stdio --no-children --sort dso,sym \
			--percent-limit 0.5 -g none 2>/dev/null | grep -v '^$'
		echo "### perf report --no-children --sort dso ($2)"
		perf report -i "$1" --stdio --no-children --sort dso \
			--percent-limit 1 -g none 2>/dev/null | grep -v '^#' | grep -v '^$'
		echo "### inclusive (--children), by symbol ($2)"
		perf report -i "$1" --stdio --children --sort sym \
			--percent-limit 2 -g none 2>/dev/null | grep -v '^#' | grep -v '^$'
		echo "### callers of the top entries ($2)"
		perf report -i "$1" --stdio --no-children --sort sym \
			--percent-limit 1.5 -g caller,0.5,callee,function,percent \
			2>/dev/null | grep -v "^ *|* *$" | head -900
	} >"$3"
}
perf_stop() {
	local d=/tmp/bench-perf-$1
	echo disable >&7
	read -r -t 60 _ <&8
	exec 7>&- 8<&-
	kill -INT "$PERF_PID" 2>/dev/null
	wait "$PERF_PID"
	perf_report "$d.data" "$1" "$OUT/perf-$1.txt"
	rm -f "$d.data" "$d.ctl" "$d.ack" "$d.log"
}
# perf_profile SYS: one more TCP run, profiled.
perf_profile() {
	perf_start "$1" || return
	iperf "$1" tcp1-perf
	perf_stop "$1"
}

# reorder_note SYS: after the single-stream runs, the sender's TCP
# retransmissions and the ESP packets the receiver dropped as replayed or
# too old (both count from the namespaces' creation), for run.log.
reorder_note() {
	local re rx=-
	re=$(ip netns exec $L nstat -az TcpRetransSegs 2>/dev/null |
		awk '$1 == "TcpRetransSegs" { print $2 }')
	case $1 in
	ikesec-*) rx=$(ip netns exec $R "$IKECTL" -j stats | jq -r '.in_replay // 0') ;;
	# the stats line "replay-window N replay N failed N": too old for the
	# window, then replayed (ikesec's in_replay counts both)
	xfrm-*) rx=$(ip -n $R -s xfrm state | awk '
		/replay-window [0-9]+ replay [0-9]+/ {
			for (i = 1; i < NF; i++)
				if ($i == "replay" || $i == "replay-window")
					n += $(i + 1)
		} END { print n + 0 }') ;;
	esac
	note "$1: tcp1 x$REPS: ${re:-?} TCP retransmissions, $rx ESP replay drops"
}

# measure SYS: every measure, REPS times each, on the tunnel set up now.
measure() {
	local sys=$1 i
	if ! wait_for 10 ip netns exec $L ping -c 1 -W 1 -I 10.1.0.1 10.2.0.1 >/dev/null; then
		note "$sys: no connectivity through the tunnel; skipped"
		return 1
	fi
	iperf_server || { note "$sys: iperf3 server did not start"; return 1; }
	for ((i = 0; i < REPS; i++)); do iperf "$sys" tcp1; done
	reorder_note "$sys"
	for ((i = 0; i < REPS; i++)); do iperf "$sys" tcp4 -P 4; done
	for ((i = 0; i < REPS; i++)); do iperf "$sys" udp64 -u -l 64 -b 0; done
	for ((i = 0; i < REPS; i++)); do rtt "$sys"; done
	if [ "${BENCH_PERF:-0}" = 1 ] &&
		[[ " ${BENCH_PERF_SYSTEMS:-ikesec-gcm xfrm-gcm} " = *" $sys "* ]]; then
		perf_profile "$sys"
	fi
}

run_system() { # SYS SETUP...
	local sys=$1; shift
	[[ " $SYSTEMS " = *" $sys "* ]] || return 0
	note "== $sys"
	if "$@"; then measure "$sys"; else note "$sys: setup failed"; fi
	ns_down
}

# ikesec-gcm-serial: the same tunnel with parallel_crypto=0, each
# packet's crypto on the CPU that sends or receives it, as XFRM does it.
par=/sys/module/ikesec/parameters/parallel_crypto
par_default=$(cat $par 2>/dev/null)
meta parallel_crypto "${par_default:-none}"
setup_ikesec_serial() { echo 0 >$par && setup_ikesec "$@"; }

run_system plain setup_plain
run_system ikesec-gcm setup_ikesec aes-gcm
run_system ikesec-gcm-serial setup_ikesec_serial aes-gcm
[ -z "$par_default" ] || echo "$par_default" >$par
run_system xfrm-gcm setup_xfrm "$GCM_X"
run_system ikesec-chacha setup_ikesec chacha20-poly1305
run_system xfrm-chacha setup_xfrm "$CHA_X"
run_system wireguard setup_wg

# Which driver served each AEAD (filled once the transforms were used).
meta drivers "$(awk '/^name/ { n = $3 } /^driver/ { d = $3 } /^priority/ {
	if (n ~ /^(rfc4106\(gcm\(aes\)\)|rfc7539esp|gcm\(aes\)|chacha20|poly1305)/)
		printf "%s=%s(%s) ", n, d, $3 }' /proc/crypto)"

# --- scale: N SA pairs + N policy pairs on each side ---
# SUnreclaim, not Slab: SAs are unreclaimable, and the reclaimable part
# (dentries, inodes) moves by itself, more than 10,000 SAs would.
slab_kb() { awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo; }
free_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
xfrm_batch() { # KIND N LOCAL PEER FIRST: sa_flood's objects, for ip -batch
	awk -v kind="$1" -v n="$2" -v l="$3" -v p="$4" -v first="$5" -v key="0x$K1" 'BEGIN {
		for (i = first; i < first + n; i++) {
			a = sprintf("10.%d.%d.%d", 128 + int(i / 65536), int(i / 256) % 256, i % 256)
			b = sprintf("10.%d.%d.%d", 192 + int(i / 65536), int(i / 256) % 256, i % 256)
			r = 1000 + i
			if (kind == "sa") {
				printf "xfrm state add src %s dst %s proto esp spi 0x%x reqid %d mode tunnel aead rfc4106(gcm(aes)) %s 128\n", l, p, 2097152 + i, r, key
				printf "xfrm state add src %s dst %s proto esp spi 0x%x reqid %d mode tunnel aead rfc4106(gcm(aes)) %s 128\n", p, l, 1048576 + i, r, key
			} else {
				printf "xfrm policy add src %s/32 dst %s/32 dir out tmpl src %s dst %s proto esp reqid %d mode tunnel\n", a, b, l, p, r
				printf "xfrm policy add src %s/32 dst %s/32 dir in tmpl src %s dst %s proto esp reqid %d mode tunnel\n", b, a, p, l, r
			}
		}
	}'
}
# add_objs SYS KIND N NS LOCAL PEER [FIRST]: prints "<seconds>", or nothing
# on failure.
add_objs() {
	local sys=$1 kind=$2 n=$3 ns=$4 first=${7:-0} f t0 t1
	if [[ $sys = ikesec* ]]; then
		ip netns exec "$ns" "$FLOOD" "$kind" "$n" "$5" "$6" "$first" | awk '{ print $2 }'
	else
		f=/tmp/bench-batch-$kind-$ns
		xfrm_batch "$kind" "$n" "$5" "$6" "$first" >"$f"
		t0=$(date +%s.%N)
		ip -n "$ns" -batch "$f" >/dev/null || { rm -f "$f"; return 1; }
		t1=$(date +%s.%N)
		rm -f "$f"
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
	fi
}
slab_cache() { # NAME: bytes held by that slab cache (active objects x size)
	awk -v c="$1" '$1 == c { print $2 * $4 }' /proc/slabinfo
}
# scale SYS SETUP ALG N: N SA pairs (time, memory), then N policy pairs,
# then 1000 more SA pairs with those policies installed; the receiver gets
# the same tables, then traffic runs through the tunnel beside them.
scale() {
	local sys=$1 setup=$2 alg=$3 n=$4 s0 s1 s2 f0 f1 c0 c1 t cache sfx
	sfx=$([ "$n" = "$NSA" ] && echo "" || echo "-$n")
	note "== $sys: $n SA pairs and $n policy pairs"
	$setup "$alg" || { note "$sys scale: setup failed"; ns_down; return; }
	cache=xfrm_state
	[[ $sys = ikesec* ]] && cache=ikesec_sa
	# Profiled (BENCH_PERF=1): perf's buffers exist before the first reading.
	local prof=0
	[ "${BENCH_PERF:-0}" = 1 ] && [ "$n" = "$NSA" ] && perf_start "$sys-sa_add" && prof=1
	sync; echo 3 >/proc/sys/vm/drop_caches
	s0=$(slab_kb) f0=$(free_kb) c0=$(slab_cache $cache)
	t=$(add_objs "$sys" sa "$n" $L 192.0.2.1 192.0.2.2)
	[ -n "$t" ] || { note "$sys: adding SAs failed"; ns_down; return; }
	s1=$(slab_kb) f1=$(free_kb) c1=$(slab_cache $cache)
	[ "$prof" = 1 ] && perf_stop "$sys-sa_add"
	rec "$sys" "sa_add$sfx" "$(awk -v n="$n" -v t="$t" 'BEGIN { printf "%.0f", 2 * n / t }')"
	rec "$sys" "sa_slab$sfx" $(((s1 - s0) * 1024 / (2 * n)))
	rec "$sys" "sa_mem$sfx" $(((f0 - f1) * 1024 / (2 * n)))
	[ -n "$c0$c1" ] && rec "$sys" "sa_cache$sfx" $(((${c1:-0} - ${c0:-0}) / (2 * n)))
	t=$(add_objs "$sys" policy "$n" $L 192.0.2.1 192.0.2.2)
	[ -n "$t" ] || { note "$sys: adding policies failed"; ns_down; return; }
	s2=$(slab_kb)
	rec "$sys" "pol_add$sfx" "$(awk -v n="$n" -v t="$t" 'BEGIN { printf "%.0f", 2 * n / t }')"
	rec "$sys" "pol_slab$sfx" $(((s2 - s1) * 1024 / (2 * n)))
	# Adding an SA once the SPD is full: what a daemon pays per rekey.
	local m=$((n < 1000 ? n : 1000))
	t=$(add_objs "$sys" sa "$m" $L 192.0.2.1 192.0.2.2 "$n")
	[ -n "$t" ] && rec "$sys" "sa_add_full$sfx" "$(awk -v n="$m" -v t="$t" 'BEGIN { printf "%.0f", 2 * n / t }')"
	# The receiver holds as many, for its inbound policy check.
	add_objs "$sys" sa "$n" $R 192.0.2.2 192.0.2.1 >/dev/null &&
	add_objs "$sys" policy "$n" $R 192.0.2.2 192.0.2.1 >/dev/null ||
		note "$sys: receiver flood failed"
	if [ "$n" = "$NSA" ] && wait_for 10 ip netns exec $L ping -c 1 -W 1 -I 10.1.0.1 10.2.0.1 >/dev/null &&
		iperf_server; then
		local i
		for ((i = 0; i < REPS; i++)); do iperf "$sys" tcp1-10kpol; done
		for ((i = 0; i < REPS; i++)); do iperf "$sys" udp64-10kpol -u -l 64 -b 0; done
	fi
	ns_down
}
if [[ $SKIP != *" scale "* ]]; then
scale ikesec-gcm setup_ikesec aes-gcm "$NSA"
scale xfrm-gcm setup_xfrm "$GCM_X" "$NSA"
fi
if [ "${BENCH_SCALE:-}" = full ]; then
	scale ikesec-gcm setup_ikesec aes-gcm 100000
	scale xfrm-gcm setup_xfrm "$GCM_X" 100000
fi

# --- control plane: handshakes per second, as responder -------------------
# A load generator of ours, ikedaemon in ns b with HSN connections (distinct
# identities lgI.bench, each its own inner /32 pair, start_action = start),
# brings up HSN IKE SAs (IKE_SA_INIT + IKE_AUTH with PSK, one CHILD SA
# each) at once against a fresh responder: ikedaemon, then charon with the
# same file. handshakes = HSN / the time from the generator's start until
# it counts them all established. The same generator for both responders.
gen_conf() { # FILE N IKE ESP: the generator's ikedaemon.conf
	local i
	{
		echo "connections {"
		for ((i = 1; i <= $2; i++)); do
			cat <<-EOF
			lg$i {
				local_addrs = 192.0.2.2
				remote_addrs = 192.0.2.1
				proposals = $3
				local {
					auth = psk
					id = lg$i.bench
				}
				remote {
					auth = psk
					id = moon.example
				}
				children {
					net {
						local_ts = 10.100.$((i / 250)).$((i % 250 + 1))/32
						remote_ts = 10.200.$((i / 250)).$((i % 250 + 1))/32
						esp_proposals = $4
						start_action = start
					}
				}
			}
			EOF
		done
		echo "}"
		echo "secrets {"
		echo "	ike-lg {"
		echo "		secret = \"$IKE_PSK\""
		echo "	}"
		echo "}"
	} > "$1"
}
resp_conf() { # FILE IKE ESP: the responder's, any lgI.bench identity
	cat > "$1" <<-EOF
	connections {
		gw {
			local_addrs = 192.0.2.1
			remote_addrs = 192.0.2.2
			proposals = $2
			local {
				auth = psk
				id = moon.example
			}
			remote {
				auth = psk
				id = %any
			}
			children {
				net {
					local_ts = 10.200.0.0/16
					remote_ts = 10.100.0.0/16
					esp_proposals = $3
				}
			}
		}
	}
	secrets {
		ike-any {
			secret = "$IKE_PSK"
		}
	}
	EOF
}
gen_count() {
	ikectl_d "$CD/g" status 2>/dev/null | grep -c ': ESTABLISHED'
}
# gen_wait SECONDS: until the generator's log has HSN "IKE SA established"
# lines (one per IKE SA, written as it comes up), or SECONDS pass. The log
# is followed as it grows (tail -F: inotify), so the last one is seen at
# once; polling `ikectl status` every 0.2 s cost the generator a listing of
# every IKE SA and the guest a few processes per poll, and up to 0.2 s of
# the measured time, alike for both responders. tail ends with the
# generator (HS_GEN_PID); grep's output goes to a file (to /dev/null, GNU
# grep stops at the first match).
gen_wait() {
	timeout "$1" grep -m "$HSN" -c ': IKE SA established' \
		< <(tail -n +1 -s 0.05 --pid="$HS_GEN_PID" \
			-F "$CD/g/ikedaemon.log" 2>/dev/null) \
		>"$CD/g/established"
}
# gen_ready SECONDS: until the generator's control socket is there, which
# it opens right before it initiates its connections (main.c): a busy
# stat loop (no process per try), so the moment is seen within microseconds
gen_ready() {
	local end=$((SECONDS + $1))
	while [ ! -S "$CD/g/ctl.sock" ]; do
		[ $SECONDS -lt $end ] || return 1
	done
}
# The rate counts from the generator's socket, not its exec: its start
# (libcrypto, 100 connections parsed, the crypto self-test) is no
# handshake, and the same fixed time for both responders pulled their
# ratio toward 1. The rate from its exec stays in run.log.
handshakes() { # SYS: one sample against the responder running now
	local t0 tr t1 n
	t0=$EPOCHREALTIME
	# patient retransmits (2 s, x1.5, 6 times: 41 s): a responder busy with
	# the burst answers late, and a handshake given up is never retried
	# profiled: under perf, which ends it when stopped (ikedaemon_stop)
	ip netns exec $R ${HS_PERF:+perf record -e cpu-clock -g -o "$HS_PERF" --} \
		"$IKEDAEMON" -d -t 2 -b 1.5 -r 6 -f "$CD/g/ikedaemon.conf" \
		-s "$CD/g/ctl.sock" > "$CD/g/ikedaemon.log" 2>&1 &
	echo $! > "$CD/g/ikedaemon.pid"
	HS_GEN_PID=$!
	# perf itself takes a while to start under TCG
	gen_ready $((${HS_PERF:+50} + 10)) ||
		{ note "$1: generator did not start"; ikedaemon_stop "$CD/g"; return; }
	tr=$EPOCHREALTIME
	gen_wait 240	# 4 minutes at most
	t1=$EPOCHREALTIME
	n=$(gen_count)
	ikedaemon_stop "$CD/g"
	note "$1 handshakes: UDP receive buffer drops responder $(udp_drops $L), generator $(udp_drops $R)"
	if [ "$n" -lt "$HSN" ]; then
		note "$1 handshakes: $n of $HSN IKE SAs up after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
		# the generator's reasons, counted over its IKE SAs (names out)
		grep -E 'refused|failed|COOKIE|unreachable|deleted' "$CD/g/ikedaemon.log" |
			sed -E 's/lg[0-9]+\[[0-9]+\]/lgN/g' | sort | uniq -c |
			sort -rn | head -n 5 | sed 's/^/# generator: /'
		# and the responder's (times, threads and SA numbers out)
		resp_log "$1" | grep -Ei 'error|fail|cookie|unable|drop|block|retransmit' |
			sed -E 's/^[0-9:.]+ +[0-9]+\[/[/; s/<[^>]*\|[0-9]+>/<SA>/; s/\[[0-9]+\]/[N]/g' |
			sort | uniq -c | sort -rn | head -n 5 | sed "s/^/# $1 responder: /"
		return
	fi
	note "$1 handshakes: generator ready after $(awk -v a="$t0" -v b="$tr" 'BEGIN { printf "%.2f", b - a }') s; from its exec $(awk -v a="$t0" -v b="$t1" -v n="$HSN" 'BEGIN { printf "%.1f", n / (b - a) }')/s"
	t0=$(awk -v a="$tr" -v b="$t1" -v n="$HSN" 'BEGIN { printf "%.1f", n / (b - a) }')
	# a profiled sample is slower: a note, not a sample
	if [ -n "${HS_PERF:-}" ]; then note "$1 handshakes $t0 (profiled)"; else rec "$1" handshakes "$t0"; fi
}
# resp_log SYS: the log of the responder now running
resp_log() {
	case $1 in
	ikedaemon) cat "$CD/h/ikedaemon.log" ;;
	strongswan) cat "$CD/k/charon.log" "$CD/k/charon.out" ;;
	esac 2>/dev/null
}
# udp_drops NS: the namespace's UDP RcvbufErrors (/proc/net/snmp) so far
udp_drops() {
	ip netns exec "$1" awk '/^Udp:/ { if (h) { print $6; exit } h = 1 }' /proc/net/snmp
}
# BENCH_PERF=1: one more handshakes sample per responder, profiled (not
# counted): `perf record -g -p` on the responder, and the generator started
# under `perf record -g` (its start, all the IKE_SA_INITs, is the busiest
# part); perf-hs-SYS-responder.txt and perf-hs-SYS-generator.txt. Per
# process, not -a: under TCG, perf -a needs minutes to read the system.
hs_profile() { # SYS
	local d=/tmp/bench-perf-hs-$1 rp
	[ "${BENCH_PERF:-0}" = 1 ] && command -v perf >/dev/null || return 0
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	echo 0 >/proc/sys/kernel/kptr_restrict
	perf record -e cpu-clock -g -p "$HS_RESP_PID" -o "$d-resp.data" \
		>"$d-resp.log" 2>&1 &
	rp=$!
	sleep 3
	HS_PERF=$d-gen.data
	handshakes "$1"
	HS_PERF=
	wait_for 60 sh -c "! kill -0 $HS_GEN_PID 2>/dev/null"	# perf writes
	kill -INT "$rp" 2>/dev/null
	wait "$rp"
	perf_report "$d-resp.data" "responder $1" "$OUT/perf-hs-$1-responder.txt"
	perf_report "$d-gen.data" "generator, against $1" \
		"$OUT/perf-hs-$1-generator.txt"
	rm -f "$d-resp.data" "$d-gen.data" "$d-resp.log"
}
handshake_rates() {
	local ike=aes256gcm16-prfsha256-x25519 esp=aes256gcm16 rep
	mkdir -p "$CD/g" "$CD/h" "$CD/k/swanctl"
	gen_conf "$CD/g/ikedaemon.conf" "$HSN" $ike $esp
	resp_conf "$CD/h/ikedaemon.conf" $ike $esp
	cp "$CD/h/ikedaemon.conf" "$CD/k/swanctl/swanctl.conf"
	for ((rep = 0; rep < REPS; rep++)); do
		if ikedaemon_start $L "$CD/h"; then
			HS_RESP_PID=$(cat "$CD/h/ikedaemon.pid")
			handshakes ikedaemon
			if [ $rep = 0 ] && [ "${BENCH_PERF:-0}" = 1 ]; then
				ikedaemon_stop "$CD/h"
				ikedaemon_start $L "$CD/h" &&
					HS_RESP_PID=$(cat "$CD/h/ikedaemon.pid") && hs_profile ikedaemon
			fi
		else
			note "handshakes: ikedaemon responder did not start"
		fi
		ikedaemon_stop "$CD/h"
		# charon drops IKE_SA_INIT from an address with more than
		# block_threshold (5) half-open SAs: one generator address has
		# all of them. Both responders keep COOKIEs from 30 half-open.
		IKE_CHARON_CONF="block_threshold = 100000"
		: >"$CD/k/charon.log"	# filelog appends: this sample's only
		if charon_start $L "$CD/k" && charon_load "$CD/k"; then
			IKE_CHARON_CONF=
			HS_RESP_PID=$(cat "$CD/k/charon.pid")
			charon_cookie_settle "$CD/k"
			handshakes strongswan
			if [ $rep = 0 ] && [ "${BENCH_PERF:-0}" = 1 ]; then
				charon_stop "$CD/k"
				IKE_CHARON_CONF="block_threshold = 100000"
				charon_start $L "$CD/k" && charon_load "$CD/k" &&
					HS_RESP_PID=$(cat "$CD/k/charon.pid") &&
					charon_cookie_settle "$CD/k" && hs_profile strongswan
			fi
		else
			IKE_CHARON_CONF=
			note "handshakes: charon responder did not start"
		fi
		charon_stop "$CD/k"
		sleep 1
	done
}
# ike_rss SYS PIDFILE: on a responder fresh from start (after handshakes,
# its allocator keeps the freed memory and later SAs reuse it unseen: charon
# then showed no growth at all), NIKE IKE SAs (each with its CHILD SA) brought
# up and kept against the responder whose pid is in PIDFILE; records its
# VmRSS growth per IKE SA established (ike_rss, from the start: includes
# what the first handshake touches once, libcrypto's code pages above all),
# then takes them all down. After the first NIKE / 10, the rest come up in
# three equal steps, each a sample of what one more IKE SA costs: VmRSS
# growth (ike_rss_warm) and the responder's CPU time (ike_cpu: user +
# system, all threads; less noisy than handshakes/s, which mostly times
# the initiator). The initiator has reuse_ikesa = no, so every --initiate
# is a new IKE SA.
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null; }
ike_count() {
	swanctl_ "$CD/b" --list-sas 2>/dev/null | grep -c ESTABLISHED
}
ike_rss() {
	local pid r0 r n c i k=0 hz nw=$((NIKE / 10 > 0 ? NIKE / 10 : 1))
	local -a at rs ns cs
	pid=$(cat "$2" 2>/dev/null)
	r0=$(rss_kb "$pid")
	[ -n "$r0" ] || { note "$1 ike_rss: no process $pid"; return; }
	# checkpoints: nw, then three steps to NIKE
	at=("$nw" $((nw + (NIKE - nw) / 3)) $((nw + 2 * (NIKE - nw) / 3)) "$NIKE")
	for ((i = 0; i < NIKE; i++)); do
		swanctl_ "$CD/b" --initiate --child net --timeout 20 >/dev/null 2>&1 ||
			note "$1: IKE SA $i failed"
		[ $((i + 1)) = "${at[k]:-}" ] || continue
		sleep 1
		n=$(ike_count) r=$(rss_kb "$pid") c=$(cpu_ticks "$pid")
		while [ $((i + 1)) = "${at[k]:-}" ]; do	# small N: repeats
			ns[k]=$n rs[k]=$r cs[k]=$c
			k=$((k + 1))
		done
	done
	n=${ns[3]:-0} r=${rs[3]:-}
	note "$1: IKE SAs up ${ns[*]}, VmRSS $r0 -> ${rs[*]} kB, CPU ${cs[*]} ticks"
	if [ "$n" -gt 0 ] && [ -n "$r" ]; then
		rec "$1" ike_rss $(((r - r0) * 1024 / n))
		hz=$(getconf CLK_TCK)
		for k in 1 2 3; do
			c=$((ns[k] - ns[k - 1]))
			[ "$c" -gt 0 ] || continue
			rec "$1" ike_rss_warm $(((rs[k] - rs[k - 1]) * 1024 / c))
			rec "$1" ike_cpu "$(awk -v t=$((cs[k] - cs[k - 1])) -v hz="$hz" \
				-v n="$c" 'BEGIN { printf "%.2f", t * 1000 / hz / n }')"
		done
	fi
	for ((i = 0; i < 10 && $(ike_count) > 0; i++)); do
		swanctl_ "$CD/b" --terminate --ike peer --timeout 30 >/dev/null 2>&1
	done
}
control_plane() {
	# ike_lib.sh's optional knobs, unset here (this script runs with -u).
	IKE_DPD= IKE_IKE_REKEY= IKE_REKEY= IKE_CHARON_CONF=
	# Both responders at their default log levels (charon 1, ikedaemon
	# info): debug lines cost charon about 7 % of its CPU, us about 3 %.
	IKE_LOG_QUIET=1
	# shellcheck source=../selftests/lib.sh
	. "$top/selftests/lib.sh"
	# shellcheck source=../selftests/ike_lib.sh
	. "$top/selftests/ike_lib.sh"
	[ -x "$CHARON" ] && [ -x "$IKEDAEMON" ] && command -v swanctl >/dev/null ||
		{ note "control plane: charon or ikedaemon missing"; return; }
	CD=$(mktemp -d /tmp/bench-ike.XXXXXX)
	mkdir -p "$CD/a" "$CD/b" "$CD/c"
	ns_down
	ike_topology $L $R || return
	local ike=aes256gcm16-prfsha256-x25519 esp=aes256gcm16
	ike_conf_charon "$CD/b" initiator $ike $esp 10.0.2.0/24 10.0.1.0/24
	ike_conf_ours "$CD/a" none $ike $esp 10.0.1.0/24 10.0.2.0/24
	# The responder charon reads ikedaemon's file: same syntax, same peer.
	mkdir -p "$CD/c/swanctl"
	cp "$CD/a/ikedaemon.conf" "$CD/c/swanctl/swanctl.conf"
	IKE_CHARON_CONF="reuse_ikesa = no"
	if charon_start $R "$CD/b" && charon_load "$CD/b"; then
		IKE_CHARON_CONF=
		# IKE_REPS fresh responders each: ike_rss needs a fresh start.
		for ((rep = 0; rep < IKE_REPS; rep++)); do
			if ikedaemon_start $L "$CD/a"; then
				ike_rss ikedaemon "$CD/a/ikedaemon.pid"
				ikedaemon_stop "$CD/a"
				sleep 1
			else
				note "ikedaemon did not start"
			fi
			if charon_start $L "$CD/c" && charon_load "$CD/c"; then
				ike_rss strongswan "$CD/c/charon.pid"
			else
				note "responder charon did not start"
			fi
			charon_stop "$CD/c"
			sleep 1
		done
	else
		note "initiator charon did not start"
	fi
	charon_stop "$CD/b"
	sleep 1
	handshake_rates
	tail -n 5 "$CD/a/ikedaemon.log" 2>/dev/null | sed 's/^/# ikedaemon.log: /'
	ns_down
	rm -rf "$CD"
}
HSN=${BENCH_HS_SAS:-100}
NIKE=${BENCH_IKE_SAS:-200}
IKE_REPS=${BENCH_IKE_REPS:-1}
[ "$SMOKE" = 1 ] && HSN=3 NIKE=3 IKE_REPS=1
if [[ $SKIP != *" ike "* ]]; then
	note "== control plane: $NIKE IKE SAs, then $HSN at once $REPS times, per responder"
	control_plane
fi

read -r d v <<<"$(tcrypt_parse 'rfc4106(gcm(aes))')"
[ -n "${v:-}" ] && { rec aead-gcm aead "$v"; meta aead-gcm-driver "$d"; }
read -r d v <<<"$(tcrypt_parse 'rfc7539esp(chacha20,poly1305)')"
[ -n "${v:-}" ] && { rec aead-chacha aead "$v"; meta aead-chacha-driver "$d"; }
dmesg | grep -E 'WARNING|BUG|Oops' | sed 's/^/# dmesg: /'
note "guest done"
