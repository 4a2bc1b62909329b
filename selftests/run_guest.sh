#!/bin/bash
# Run the selftests where modules can be loaded: inside the test VM, or on
# a real host as root. Loads kmod/ikesec.ko if it is not loaded yet.
#   selftests/run_guest.sh ["T1 T2"]  run only tests whose name contains one of them
set -u
top=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -d /sys/module/ikesec ]; then
	"$top/selftests/insmod.sh" || exit 1
fi
exec make -s -C "$top/selftests" run_tests T="${1:-}" \
	KSFT_DIR="${KSFT_DIR:-$("$top/selftests/ksft.sh")}"
