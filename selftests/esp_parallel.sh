#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ESP crypto on all CPUs (kmod/parallel.c, module parameter
# parallel_crypto): with every packet sent through the queue (2, which
# works on one CPU too), a 4 MiB TCP transfer arrives byte for byte, the
# ESP sequence numbers on the wire only go up and the receiver drops
# nothing as replayed (the queue keeps each SA's order), pings (small
# packets) pass, and both sides count the queued packets. 0 sends nothing
# through it; 1 (the default) only packets of 256 bytes and more, and only
# with several CPUs online. A value out of range is refused. Deleting the
# namespaces mid-transfer, with packets in the queue, leaves no warning.
#
#   ns_a                                   ns_b
#   dummy inner 10.0.1.1/24                dummy inner 10.0.2.1/24
#   veth_a 192.0.2.1/24 ------------------ veth_b 192.0.2.2/24
#
#   tunnel 10.0.1.0/24 <-> 10.0.2.0/24, AES-GCM-128 or ChaCha20-Poly1305.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip socat ping timeout tcpdump sha256sum
[ -x "$IKECTL" ] || skip "$IKECTL not built"
require_module

A=ikesec-par-a-$ns_suffix
B=ikesec-par-b-$ns_suffix
mark=par-$$
param=/sys/module/ikesec/parameters/parallel_crypto
cap=$(mktemp) data=$(mktemp) got=$(mktemp)
[ -w "$param" ] || skip "$param missing: module without parallel crypto"
saved=$(cat "$param")

cleanup() {
	echo "$saved" >"$param" 2>/dev/null
	dp_bed_cleanup
	rm -f "$cap" "$data" "$got"
}
trap cleanup EXIT

ikectl() { local ns=$1; shift; ip netns exec "$ns" "$IKECTL" "$@"; }

# tunnel_on ENC KEYBYTES: SAs and protect policies both ways.
tunnel_on() {
	local enc=$1 n=$2 ka kb ns
	ka="enc $enc 0x$(od -An -tx1 -N"$n" /dev/urandom | tr -d ' \n')"
	kb="enc $enc 0x$(od -An -tx1 -N"$n" /dev/urandom | tr -d ' \n')"
	for ns in "$A" "$B"; do
		ikectl "$ns" policy flush && ikectl "$ns" sa flush || return 1
	done
	ikectl "$A" sa add dir out spi 0x1001 src 192.0.2.1 dst 192.0.2.2 \
		$ka reqid 1 mode tunnel &&
	ikectl "$B" sa add dir in spi 0x1001 src 192.0.2.1 dst 192.0.2.2 \
		$ka reqid 1 mode tunnel &&
	ikectl "$B" sa add dir out spi 0x1002 src 192.0.2.2 dst 192.0.2.1 \
		$kb reqid 2 mode tunnel &&
	ikectl "$A" sa add dir in spi 0x1002 src 192.0.2.2 dst 192.0.2.1 \
		$kb reqid 2 mode tunnel &&
	ikectl "$A" policy add dir out src 10.0.1.0/24 dst 10.0.2.0/24 \
		action protect tmpl reqid 1 mode tunnel src 192.0.2.1 dst 192.0.2.2 >/dev/null &&
	ikectl "$A" policy add dir in src 10.0.2.0/24 dst 10.0.1.0/24 \
		action protect tmpl reqid 2 mode tunnel src 192.0.2.2 dst 192.0.2.1 >/dev/null &&
	ikectl "$B" policy add dir out src 10.0.2.0/24 dst 10.0.1.0/24 \
		action protect tmpl reqid 2 mode tunnel src 192.0.2.2 dst 192.0.2.1 >/dev/null &&
	ikectl "$B" policy add dir in src 10.0.1.0/24 dst 10.0.2.0/24 \
		action protect tmpl reqid 1 mode tunnel src 192.0.2.1 dst 192.0.2.2 >/dev/null
}

# transfer: $data from A to B over TCP through the tunnel into $got, while
# $cap records the ESP packets B receives.
transfer() {
	local port=$((5000 + RANDOM % 1000)) pid tpid
	: >"$got"
	ip netns exec "$B" timeout 60 socat -u TCP-LISTEN:$port,reuseaddr - \
		>"$got" 2>/dev/null &
	pid=$!
	wait_for 5 sh -c "ip netns exec $B ss -ltn | grep -q :$port" || return 1
	ip netns exec "$B" timeout 60 tcpdump -i veth_b -nn -l \
		"esp and src 192.0.2.1" >"$cap" 2>/dev/null &
	tpid=$!
	sleep 1
	ip netns exec "$A" timeout 60 socat -u - TCP:10.0.2.1:$port <"$data"
	wait $pid
	sleep 0.5
	kill "$tpid" 2>/dev/null; wait "$tpid" 2>/dev/null
	return 0
}

same_bytes() {
	[ "$(sha256sum <"$got" | cut -d' ' -f1)" = \
	  "$(sha256sum <"$data" | cut -d' ' -f1)" ]
}

# seq_rising: the captured ESP sequence numbers only go up (tcpdump may
# miss some; a gap is no reordering). Needs a few hundred of them.
seq_rising() {
	local h v last=-1 n=0 bad=0
	while read -r h; do
		v=$((h)) n=$((n + 1))
		[ "$v" -gt "$last" ] || bad=$((bad + 1))
		last=$v
	done < <(grep -o 'seq=0x[0-9a-f]*' "$cap" | cut -d= -f2)
	echo "# $n ESP sequence numbers captured, $bad out of order"
	[ $n -ge 200 ] && [ $bad = 0 ]
}

# snap: the counters the checks compare, as "name=value" words.
snap() {
	echo "a_out=$(ikesec_stat "$A" out_parallel)" \
	     "a_in=$(ikesec_stat "$A" in_parallel)" \
	     "b_in=$(ikesec_stat "$B" in_parallel)" \
	     "b_replay=$(ikesec_stat "$B" in_replay)"
}

# measured ENC KEYBYTES MODE: tunnel, parallel_crypto MODE, one transfer;
# sets d_a_out, d_a_in, d_b_in, d_b_replay to what it added.
measured() {
	local w
	echo "$3" >"$param"
	tunnel_on "$1" "$2" || echo "# $1: tunnel setup failed"
	for w in $(snap); do eval "s_$w"; done
	transfer
	for w in $(snap); do eval "e_$w"; done
	d_a_out=$((e_a_out - s_a_out)) d_a_in=$((e_a_in - s_a_in))
	d_b_in=$((e_b_in - s_b_in)) d_b_replay=$((e_b_replay - s_b_replay))
	echo "# $1, parallel_crypto $3 on $cpus CPU(s): A out-parallel +$d_a_out, B in-parallel +$d_b_in, A in-parallel (ACKs) +$d_a_in, B in-replay +$d_b_replay; received $(stat -c %s "$got") bytes"
}

dp_bed "$A" "$B" || exit 1
dmesg_mark "$mark"
ktap_plan 14
head -c 4194304 /dev/urandom >"$data"
cpus=$(nproc)

ktap_check "parallel_crypto defaults to 1" test "$saved" = 1
ok=1
echo 3 >"$param" 2>/dev/null && ok=0
[ "$(cat "$param")" = "$saved" ] || ok=0
ktap_check "parallel_crypto 3 is refused and changes nothing" test $ok = 1

# 4 MiB is at least 2,900 ESP packets of 1,448 bytes; a replay drop would
# mean the queue reordered.
for enc in "aes-gcm 20" "chacha20-poly1305 36"; do
	measured $enc 2
	name=${enc% *}
	ktap_check "$name, every packet queued: 4 MiB TCP arrives byte for byte" \
		same_bytes
	ktap_check "$name, every packet queued: ESP sequence numbers on the wire only go up" \
		seq_rising
	ktap_check "$name, every packet queued: both sides count them, no replay drop" \
		test $d_a_out -ge 2900 -a $d_b_in -ge 2900 -a $d_b_replay = 0
done

# Small packets go through the queue too with 2: the pings' replies are
# decrypted through A's queue.
before=$(ikesec_stat "$A" in_parallel)
ip netns exec "$A" ping -q -c 3 -i 0.2 -W 2 10.0.2.1 >/dev/null
rc=$?
after=$(ikesec_stat "$A" in_parallel)
echo "# pings with 2: A in-parallel $before -> $after"
ktap_check "parallel_crypto 2: pings pass through the queue" \
	test $rc = 0 -a "$after" -ge $((before + 3))

measured aes-gcm 20 0
ok=0
same_bytes && [ $d_a_out = 0 ] && [ $d_b_in = 0 ] && ok=1
ktap_check "parallel_crypto 0: the transfer arrives, nothing is queued" \
	test $ok = 1

measured aes-gcm 20 1
ok=0
if [ "$cpus" -gt 1 ]; then
	same_bytes && [ $d_a_out -ge 2900 ] && [ $d_b_in -ge 2900 ] &&
		[ $d_a_in = 0 ] && ok=1
	ktap_check "parallel_crypto 1, $cpus CPUs: full-size packets are queued, ACKs are not" \
		test $ok = 1
else
	same_bytes && [ $d_a_out = 0 ] && [ $d_b_in = 0 ] && ok=1
	ktap_check "parallel_crypto 1, one CPU: nothing is queued" test $ok = 1
fi

# Namespaces deleted while the queue holds their packets: the namespace
# waits for them (ikesec_esp_wait), nothing is left behind or warned.
echo 2 >"$param"
tunnel_on aes-gcm 20
port=$((6000 + RANDOM % 1000))
ip netns exec "$B" timeout 30 socat -u TCP-LISTEN:$port,reuseaddr - \
	>/dev/null 2>&1 &
pid=$!
wait_for 5 sh -c "ip netns exec $B ss -ltn | grep -q :$port"
start=$(ikesec_stat "$B" in_parallel)
head -c 67108864 /dev/zero |
	ip netns exec "$A" timeout 30 socat -u - TCP:10.0.2.1:$port 2>/dev/null &
spid=$!
busy() { [ $(($(ikesec_stat "$B" in_parallel) - start)) -gt 500 ]; }
wait_for 10 busy
n=$(($(ikesec_stat "$B" in_parallel) - start))
dp_bed_cleanup
wait $spid $pid 2>/dev/null
echo "# namespaces deleted after $n packets decrypted through the queue"
ktap_check "namespaces deleted mid-transfer with packets queued" \
	test "$n" -gt 500 -a ! -e "/run/netns/$A" -a ! -e "/run/netns/$B"
ktap_check "module still answers after that" eval "\"\$IKECTL\" stats >/dev/null"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
