#!/bin/bash
# make check: the selftests — directly when this kernel can load modules,
# otherwise in QEMU guests booting Debian's kernel (selftests/vm) — with the
# userspace unit tests and fuzzing on this host meanwhile. Ends with "N passed, N failed[, N skipped]".
#   T="sub1 sub2"  run only the selftests whose names contain one of them
#   IKESEC_VM=1  use the VM even where modules could be loaded here
#   IKESEC_VM_SHARDS=N  split the selftests between N VMs run at once
#                (default 2; 1 = one VM; T= always uses one)
#   IKESEC_VM_SMP=N  vCPUs of each selftest VM (default 1; the bench
#                smoke keeps the bench's 2 unless this is set)
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

# Userspace unit tests and a brief libFuzzer run of each parser (so the
# targets cannot rot; longer: make -C ikedaemon fuzz-ikev2 FUZZ_TIME=600, or
# fuzz for the config). They run on this host while the selftest VMs run.
host_tests() {
	for d in ikectl ikedaemon; do
		[ -d "$d/test" ] || continue
		make -s -C "$d" test KSFT_DIR="$KSFT_DIR" >>"$out/unit.ktap" 2>&1
		[ $? -eq 0 ] || grep -q '^not ok' "$out/unit.ktap" ||
			echo "not ok - $d unit tests did not build or run" >>"$out/unit.ktap"
	done
	for target in fuzz-ikev2 fuzz; do
		if make -s -C ikedaemon "$target" FUZZ_TIME="$fuzz_time" \
			>"$out/$target.log" 2>&1; then
			echo "ok - $target: ${fuzz_time} s without a crash"
		else
			tail -n 20 "$out/$target.log" | sed 's/^/# /'
			echo "not ok - $target: see $out/$target.log"
		fi
	done >>"$out/unit.ktap"
}
fuzz_time=${FUZZ_TIME:-15}

# The test programs split into N lines of names, longest first onto the
# line with the least time so far (selftests/durations). When the bench
# smoke runs (it boots when the first VM is done), the first line starts
# with its time (bench_smoke in selftests/durations, not a test): that VM
# gets less, so it and the smoke after it end with the others.
split_tests() {
	local smoke=0
	want_bench && smoke=1
	make -s -C selftests list-tests KSFT_DIR="$KSFT_DIR" | tr ' ' '\n' |
		sed 's|.*/||' | awk -v n="$1" -v smoke=$smoke '
		FNR == NR { if ($1 !~ /^#/ && NF == 2) d[$1] = $2; next }
		NF { t[++m] = $1; w[m] = ($1 in d) ? d[$1] : 60 }
		END {
			if (smoke)
				load[1] = d["bench_smoke"]
			for (k = 1; k <= m; k++) {
				b = 0
				for (i = 1; i <= m; i++)
					if (!(i in on) && (!b || w[i] > w[b]))
						b = i
				s = 1
				for (j = 2; j <= n; j++)
					if (load[j] < load[s])
						s = j
				load[s] += w[b]
				on[b] = s
			}
			for (j = 1; j <= n; j++) {
				line = ""
				for (i = 1; i <= m; i++)
					if (on[i] == j)
						line = line " " t[i]
				print substr(line, 2)
			}
		}' selftests/durations -
}

# The benchmark with tiny durations, so it cannot rot (its own VM boot,
# about 2 minutes; numbers are not checked, only that every row got one).
bench_smoke() {
	echo "== bench smoke (make bench for real numbers)"
	if bench/run.sh --smoke >"$out/bench-smoke.log" 2>&1; then
		echo "ok - bench smoke: every row got a number"
	else
		tail -n 20 "$out/bench-smoke.log" | sed 's/^/# /'
		echo "not ok - bench smoke: see $out/bench-smoke.log"
	fi
}
want_bench() { [ -z "$T" ] && [ -z "${IKESEC_NO_BENCH:-}" ]; }

# The selftests in N VMs at once: the guests spend most of their time
# waiting on timers, peers and retransmits, so two share the 2 CPUs well.
# The bench smoke boots when the first of them is done, in its place
# (split_tests gave that VM less to do). Each VM's output is printed whole
# when all are done.
run_shards() {
	local n=$1 i rc=0 lists pids=() bench=

	mapfile -t lists < <(split_tests "$n")
	for i in "${!lists[@]}"; do
		[ -n "${lists[i]}" ] || continue
		echo "# VM $((i + 1)) of $n: ${lists[i]}"
		test_vm -- selftests/run_guest.sh "${lists[i]}" \
			>"$out/selftests-$((i + 1)).ktap" 2>&1 &
		pids[i]=$!
		sleep 10	# the first builds the initramfs; boots apart
	done
	if want_bench; then
		wait -n "${pids[@]}"
		bench_smoke >"$out/bench.ktap" &
		bench=$!
	fi
	for i in "${!pids[@]}"; do
		wait "${pids[i]}" || rc=$?
		cat "$out/selftests-$((i + 1)).ktap"
	done
	[ -z "$bench" ] || { wait "$bench"; cat "$out/bench.ktap"; }
	return $rc
}

# One vCPU per selftest VM. Under TCG a second vCPU costs host CPU without
# giving time back: the shards already fill the host's cores, and a guest
# whose other vCPU the host has descheduled spins and waits on it (IPIs,
# RCU, TLB shootdowns). In two whole make checks on a quiet host, the same
# 15 tests took 737 s with one vCPU and 1317 s with two. The kernel's
# cross-CPU paths still run in the bench smoke (2 vCPUs, 4 TCP streams),
# which fails on a kernel warning.
test_vm() { IKESEC_VM_SMP=${IKESEC_VM_SMP:-1} selftests/vm/run.sh "$@"; }

can_load_modules() {
	[ -e /proc/modules ] && [ "$(id -u)" -eq 0 ] &&
		[ "$(uname -r)" = "${KVER:-$(uname -r)}" ] && [ -z "${IKESEC_VM:-}" ]
}

echo "== selftests"
make -s -C selftests all KSFT_DIR="$KSFT_DIR" T="$T" || errors=$((errors + 1))

# The host's own tests need no VM: they run beside the selftests.
host_tests >"$out/host.log" 2>&1 &
host=$!

if [ $errors -eq 0 ]; then
	if can_load_modules; then
		selftests/run_guest.sh "$T" 2>&1 | tee "$out/selftests.ktap"
		rc=${PIPESTATUS[0]}
	elif [ -n "$T" ] || [ "${IKESEC_VM_SHARDS:-2}" -le 1 ]; then
		test_vm -- selftests/run_guest.sh "$T" 2>&1 |
			tee "$out/selftests.ktap"
		rc=${PIPESTATUS[0]}
	else
		run_shards "${IKESEC_VM_SHARDS:-2}"
		rc=$?
	fi
	if [ "$rc" -ne 0 ]; then
		echo "not ok - selftest run failed (exit $rc)" | tee -a "$out/selftests.ktap"
	fi
fi
[ -e "$out/bench.ktap" ] || ! want_bench || bench_smoke | tee "$out/bench.ktap"

wait "$host"
echo "== unit tests, then fuzzing ${fuzz_time} s per parser (on this host, beside the selftests)"
cat "$out/unit.ktap"
[ ! -s "$out/host.log" ] || sed 's/^/# /' "$out/host.log"

read -r passed failed skipped < <(cat "$out"/*.ktap 2>/dev/null |
				   awk -f selftests/ktap_count.awk)
failed=$((failed + errors))
[ $((passed + failed)) -gt 0 ] || failed=1
line="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
