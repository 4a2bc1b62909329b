#!/bin/bash
# Print the directory holding the kernel's kselftest framework (lib.mk,
# kselftest_harness.h, kselftest/runner.sh), extracting it from Debian's
# linux-source tarball into $BUILD/kselftest on first use.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BUILD:-$top/.build}/kselftest
if [ ! -e "$out/.done" ]; then
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$tarball" ]; then
		echo "ksft: no /usr/src/linux-source-*.tar.xz; run 'make deps'" >&2
		exit 1
	fi
	rm -rf "$out" && mkdir -p "$out"
	base=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$out" --strip-components=4 \
		--wildcards "$base/tools/testing/selftests/kselftest*" \
		"$base/tools/testing/selftests/lib.mk"
	touch "$out/.done"
fi
echo "$out"
