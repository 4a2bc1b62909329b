#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench / make bench-smoke: boot the test VM once, run bench/guest.sh in
# it (every system in the same boot), bring its files back through the VM's
# writable share, and write results.md, results.json, chart.png.
#
#   bench/run.sh            full run into bench/results/ (~15 min under TCG)
#   bench/run.sh --smoke    tiny durations, one repetition, into
#                           .build/bench-smoke/; fails unless every row has
#                           a number
#   bench/run.sh --here     run the measurements on this kernel (root, can
#                           load modules), results into bench/results/
#
# Knobs (environment): BENCH_TIME (s per iperf3 run, 5), BENCH_REPS (3),
# BENCH_PINGS (40), BENCH_SA (10000), BENCH_SCALE=full (adds 100000),
# BENCH_PERF=1 (perf profile of the GCM runs), BENCH_SYSTEMS, BENCH_SKIP,
# BENCH_RESULTS (output directory). See bench/README.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd -P)
mode=full here=0
for a in "$@"; do
	case $a in
	--smoke) mode=smoke ;;
	--here) here=1 ;;
	*) echo "usage: bench/run.sh [--smoke] [--here]" >&2; exit 2 ;;
	esac
done

if [ $mode = smoke ]; then
	results=$top/.build/bench-smoke
	export BENCH_SMOKE=1 BENCH_TIME=1 BENCH_OMIT=0 BENCH_REPS=1 BENCH_PINGS=5 BENCH_SA=100
	unset BENCH_SCALE BENCH_PERF
else
	results=${BENCH_RESULTS:-$top/bench/results}
fi
knobs=()
for v in BENCH_TIME BENCH_OMIT BENCH_REPS BENCH_PINGS BENCH_SA BENCH_SCALE \
	BENCH_PERF BENCH_PERF_SYSTEMS BENCH_SMOKE BENCH_SYSTEMS BENCH_SKIP BENCH_IKE_SAS BENCH_HS_SAS \
	BENCH_IKE_REPS BENCH_ONLY; do
	[ -n "${!v:-}" ] && knobs+=("$v=${!v}")
done

for f in kmod/ikesec.ko ikectl/ikectl ikedaemon/ikedaemon; do
	[ -e "$top/$f" ] || { echo "bench: $f not built (make bench-build)" >&2; exit 1; }
done
make -s -C "$top/bench" sa_flood
for c in iperf3 wg jq; do
	command -v $c >/dev/null || { echo "bench: $c missing: make deps" >&2; exit 1; }
done

# The revision measured, before the old results go (their removal would
# read as a dirty tree).
rev=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
mkdir -p "$results"
rm -f "$results"/raw.tsv "$results"/perf-*.txt "$results"/tcrypt.log
t0=$(date +%s)
# Other VMs on this host steal CPU from ours: say how busy the host was.
load0=$(cut -d' ' -f1 /proc/loadavg) vms0=$(pgrep -c qemu-system || true)
if [ $here = 1 ]; then
	env "${knobs[@]}" BENCH_REV="$rev" BENCH_OUT="$results" "$top/bench/guest.sh" | tee "$results/run.log"
else
	# Our own build dir: its `last` link is our run even while tests run.
	export IKESEC_BUILD=$top/.build/bench-vm
	# 100,000 SA and policy pairs on both sides hold about 0.9 GB of
	# kernel memory (bench/README.md): more than a 2G guest can spare.
	[ "${BENCH_SCALE:-}" = full ] && export IKESEC_VM_MEM=${IKESEC_VM_MEM:-4G}
	rc=0
	(cd "$top" && selftests/vm/run.sh --timeout 3600 -- \
		env "${knobs[@]}" BENCH_REV="$rev" BENCH_OUT=/run/vmout/bench \
			bench/guest.sh) |
		tee "$results/run.log" || rc=$?
	[ -d "$IKESEC_BUILD/last/bench" ] || { echo "bench: the guest left no results" >&2; exit 1; }
	cp "$IKESEC_BUILD/last/bench/"* "$results/"
	[ $rc = 0 ] || echo "bench: the guest exited with status $rc" >&2
fi
printf 'M\thost\t%s CPUs, load %s -> %s, other QEMU VMs at start: %s\n' \
	"$(nproc)" "$load0" "$(cut -d' ' -f1 /proc/loadavg)" "$vms0" >>"$results/raw.tsv"
echo "# bench: $mode run took $(($(date +%s) - t0)) s"
check=
[ $mode = smoke ] && check=--check
/usr/bin/python3 "$top/bench/report.py" "$results" $check || exit
# The smoke is make check's run of the datapath on 2 vCPUs (the selftest
# VMs have one): a kernel warning or bug there fails it.
if [ $mode = smoke ] && grep '^# dmesg: ' "$results/run.log" >&2; then
	echo "bench smoke: the guest kernel logged a warning or bug (above)" >&2
	exit 1
fi
