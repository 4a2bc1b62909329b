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
# stats), -1 if there is no such counter. jq, not python3: a python start
# costs about a second in the TCG guest.
ikesec_stat() {
	ip netns exec "$1" "$IKECTL" -j stats | jq -r --arg k "$2" '.[$k] // -1'
}
# ikesec_sa_stat NS DIR SPI NAME: one counter of ikesec's SA DIR SPI (0x..
# or decimal) in NS, -1 if there is no such SA.
ikesec_sa_stat() {
	ip netns exec "$1" "$IKECTL" -j sa show 2>/dev/null |
		jq -r --arg d "$2" --argjson spi "$(($3))" --arg k "$4" \
			'first(.[] | select(.dir == $d and .spi == $spi) |
			       .stats[$k] // 0) // -1'
}

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
