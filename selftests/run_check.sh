#!/bin/bash
# make check: userspace unit tests on this host, then the selftests — directly
# when this kernel can load modules, otherwise in a QEMU guest booting
# Debian's kernel (selftests/vm). Ends with "N passed, N failed[, N skipped]".
#   T="sub1 sub2"  run only the selftests whose names contain one of them
#   IKESEC_VM=1  use the VM even where modules could be loaded here
#   IKESEC_NO_BENCH=1  skip the benchmark smoke run (skipped with T= too)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${BUILD:-$top/.build}/check
rm -rf "$out" && mkdir -p "$out"
KSFT_DIR=$(selftests/ksft.sh) || exit 1
export KSFT_DIR
T=${T:-}
errors=0

echo "== unit tests"
for d in ikectl ikedaemon; do
	[ -d "$d/test" ] || continue
	make -s -C "$d" test KSFT_DIR="$KSFT_DIR" 2>&1 | tee -a "$out/unit.ktap"
	[ "${PIPESTATUS[0]}" -eq 0 ] || grep -q '^not ok' "$out/unit.ktap" ||
		{ echo "not ok - $d unit tests did not build or run" | tee -a "$out/unit.ktap"; }
done

# A brief libFuzzer run of each parser, so the targets cannot rot; longer:
# make -C ikedaemon fuzz-ikev2 FUZZ_TIME=600 (or fuzz, for the config).
fuzz_time=${FUZZ_TIME:-15}
echo "== fuzz (${fuzz_time} s each)"
for target in fuzz-ikev2 fuzz; do
	if make -s -C ikedaemon "$target" FUZZ_TIME="$fuzz_time" \
		>"$out/$target.log" 2>&1; then
		echo "ok - $target: ${fuzz_time} s without a crash"
	else
		tail -n 20 "$out/$target.log" | sed 's/^/# /'
		echo "not ok - $target: see $out/$target.log"
	fi
done | tee -a "$out/unit.ktap"

echo "== selftests"
make -s -C selftests all KSFT_DIR="$KSFT_DIR" T="$T" || errors=$((errors + 1))

can_load_modules() {
	[ -e /proc/modules ] && [ "$(id -u)" -eq 0 ] &&
		[ "$(uname -r)" = "${KVER:-$(uname -r)}" ] && [ -z "${IKESEC_VM:-}" ]
}
if [ $errors -eq 0 ]; then
	if can_load_modules; then
		selftests/run_guest.sh "$T" 2>&1 | tee "$out/selftests.ktap"
		rc=${PIPESTATUS[0]}
	else
		selftests/vm/run.sh -- selftests/run_guest.sh "$T" 2>&1 |
			tee "$out/selftests.ktap"
		rc=${PIPESTATUS[0]}
	fi
	if [ "$rc" -ne 0 ]; then
		echo "not ok - selftest run failed (exit $rc)" | tee -a "$out/selftests.ktap"
	fi
fi

# The benchmark with tiny durations, so it cannot rot (its own VM boot,
# about 2 minutes; numbers are not checked, only that every row got one).
if [ -z "$T" ] && [ -z "${IKESEC_NO_BENCH:-}" ]; then
	echo "== bench smoke (make bench for real numbers)"
	if bench/run.sh --smoke >"$out/bench-smoke.log" 2>&1; then
		echo "ok - bench smoke: every row got a number"
	else
		tail -n 20 "$out/bench-smoke.log" | sed 's/^/# /'
		echo "not ok - bench smoke: see $out/bench-smoke.log"
	fi | tee "$out/bench.ktap"
fi

read -r passed failed skipped < <(cat "$out"/*.ktap 2>/dev/null |
				   awk -f selftests/ktap_count.awk)
failed=$((failed + errors))
[ $((passed + failed)) -gt 0 ] || failed=1
line="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
