# SPDX-License-Identifier: GPL-2.0
# Shared helpers for ikesec shell selftests (source, do not run).
# Conventions of tools/testing/selftests/net: exit 4 = skip, KTAP lines.

ksft_pass=0
ksft_skip=4
ksft_fail=1

IKESEC_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IKECTL=$IKESEC_TOP/ikectl/ikectl
IKESEC_KO=$IKESEC_TOP/kmod/ikesec.ko

# Unique per run so parallel runs and leftovers never collide.
ns_suffix=$$

ktap_n=0
ktap_failed=0
ktap_plan() { echo "TAP version 13"; echo "1..$1"; }
ktap_ok() { ktap_n=$((ktap_n + 1)); echo "ok $ktap_n $*"; }
ktap_not_ok() {
	ktap_n=$((ktap_n + 1)); ktap_failed=1; echo "not ok $ktap_n $*"
}
ktap_skip() { ktap_n=$((ktap_n + 1)); echo "ok $ktap_n $* # SKIP"; }
# ktap_check NAME CMD...: one result line from a command's status.
ktap_check() {
	local name=$1; shift
	if "$@"; then ktap_ok "$name"; else ktap_not_ok "$name"; fi
}
# The duration goes to the log for selftests/durations (run_check.sh splits
# the tests between its VMs by them).
ktap_exit() { echo "# $(basename "$0"): ${SECONDS} s"; exit $ktap_failed; }

skip() { echo "# SKIP: $*"; exit $ksft_skip; }

# ikesec_stat NS NAME: one of ikesec's namespace counters in NS (ikectl
# stats; NAME as in its JSON, in_replay), -1 if there is no such counter.
# awk on the text output, not jq or python3: each of those costs about a
# second to start in the TCG guest, and tests read counters often.
ikesec_stat() {
	ip netns exec "$1" "$IKECTL" stats |
		awk -v k="${2//_/-}" '$1 == k { v = $2 } END { print v == "" ? -1 : v }'
}
# ikesec_sa_stat NS DIR SPI NAME: one counter of ikesec's SA DIR SPI (0x..
# or decimal) in NS, 0 if the SA has no such counter, -1 if there is no
# such SA (the first SA that matches, as ikectl sa show lists them).
ikesec_sa_stat() {
	ip netns exec "$1" "$IKECTL" sa show 2>/dev/null |
		awk -v d="$2" -v spi="$(printf 0x%08x "$(($3))")" -v k="${4//_/-}" '
		$1 == "dir" { cur = !found && $2 == d && $4 == spi; found += cur }
		cur && $1 == "stats" {
			for (i = 2; i < NF; i += 2)
				if ($i == k) v = $(i + 1)
		}
		END { print !found ? -1 : v == "" ? 0 : v }'
}

# Tests run python3 -S, without the site module: site runs every .pth
# file in dist-packages at start-up, which costs seconds in the TCG guest.
# Debian's packages (python3-cryptography) are still found through
# PYTHONPATH.
export PYTHONPATH=/usr/lib/python3/dist-packages

require_root() { [ "$(id -u)" -eq 0 ] || skip "needs root"; }
require_cmd() {
	local c
	for c in "$@"; do command -v "$c" >/dev/null || skip "$c not installed"; done
}

ikesec_insmod() { "$IKESEC_TOP/selftests/insmod.sh" "$IKESEC_KO"; }

# Load ikesec unless loaded; skip when this kernel cannot load modules.
require_module() {
	[ -d /sys/module/ikesec ] && return 0
	[ -e /proc/modules ] || skip "kernel without module support (use make check: it runs a VM)"
	[ -f "$IKESEC_KO" ] || skip "$IKESEC_KO not built"
	ikesec_insmod || { echo "# loading $IKESEC_KO failed"; exit $ksft_fail; }
}

# Kernel log lines that mean a bug, since a marker written by dmesg_mark.
dmesg_mark() { echo "ikesec-selftest-mark $1" > /dev/kmsg; }
dmesg_bugs_since() {
	dmesg | sed -n "/ikesec-selftest-mark $1/,\$p" |
		grep -E 'WARNING|BUG|Oops|leak|refcount_t|general protection|UBSAN|KASAN|list_del corruption|unreferenced object' || true
}

# wait_for TIMEOUT_SECONDS CMD...: poll until CMD succeeds, up to T*10
# tries 0.1 s apart. The tries stretch on a slow guest (lenient), but never
# beyond 3*T seconds of real time: an expensive CMD that never succeeds
# must not hold a test for many minutes.
wait_for() {
	local t=$1 i end; shift
	end=$((SECONDS + 3 * t + 1))
	for ((i = 0; i < t * 10; i++)); do
		"$@" && return 0
		[ $SECONDS -lt $end ] || return 1
		sleep 0.1
	done
	return 1
}

# dp_bed [-6] [-m MTU] NS_A NS_B: the two-namespace bed of the datapath
# and IKE tests (ike_topology is this bed), routes to the peer's inner
# network through the veth; dp_bed_cleanup deletes the namespaces again.
#
#   NS_A                                     NS_B
#   inner 10.0.1.1/24 [fd00:1::1/64]         inner 10.0.2.1/24 [fd00:2::1/64]
#   veth_a 192.0.2.1/24 [2001:db8::1/64] --- veth_b 192.0.2.2/24 [2001:db8::2/64]
#
#   -6      the IPv6 addresses and routes in brackets too (no DAD)
#   -m MTU  the veth's MTU on both ends (default the kernel's, 1500)
dp_bed() {
	local v6=0 mtu=() a b ns opt OPTIND=1

	while getopts 6m: opt; do
		case $opt in
		6) v6=1 ;;
		m) mtu=(mtu "$OPTARG") ;;
		*) return 1 ;;
		esac
	done
	shift $((OPTIND - 1))
	a=$1 b=$2
	DP_BED_NS="$a $b"
	ip netns add "$a" && ip netns add "$b" &&
	ip link add veth_a netns "$a" "${mtu[@]}" type veth peer name veth_b \
		netns "$b" "${mtu[@]}" || return 1
	for ns in "$a" "$b"; do
		# no dummy driver (a container): a veth whose peer stays down
		ip -n "$ns" link set lo up &&
		{ ip -n "$ns" link add inner type dummy 2>/dev/null ||
		  ip -n "$ns" link add inner type veth peer name inner_p; } &&
		ip -n "$ns" link set inner up || return 1
	done
	ip -n "$a" addr add 192.0.2.1/24 dev veth_a &&
	ip -n "$b" addr add 192.0.2.2/24 dev veth_b &&
	ip -n "$a" addr add 10.0.1.1/24 dev inner &&
	ip -n "$b" addr add 10.0.2.1/24 dev inner &&
	ip -n "$a" link set veth_a up &&
	ip -n "$b" link set veth_b up &&
	ip -n "$a" route add 10.0.2.0/24 via 192.0.2.2 src 10.0.1.1 &&
	ip -n "$b" route add 10.0.1.0/24 via 192.0.2.1 src 10.0.2.1 || return 1
	[ $v6 = 1 ] || return 0
	ip -n "$a" addr add 2001:db8::1/64 dev veth_a nodad &&
	ip -n "$b" addr add 2001:db8::2/64 dev veth_b nodad &&
	ip -n "$a" addr add fd00:1::1/64 dev inner nodad &&
	ip -n "$b" addr add fd00:2::1/64 dev inner nodad &&
	ip -n "$a" route add fd00:2::/64 via 2001:db8::2 src fd00:1::1 &&
	ip -n "$b" route add fd00:1::/64 via 2001:db8::1 src fd00:2::1
}

dp_bed_cleanup() {
	local ns
	for ns in ${DP_BED_NS:-}; do ip netns del "$ns" 2>/dev/null; done
	DP_BED_NS=
}
