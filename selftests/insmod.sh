#!/bin/bash
# Load kmod/ikesec.ko from this tree: insmod does not resolve dependencies,
# so load the ones modinfo lists (udp_tunnel, ...) with modprobe first.
set -eu
ko=${1:-$(cd "$(dirname "$0")/.." && pwd)/kmod/ikesec.ko}
deps=$(modinfo -F depends "$ko" | tr ',' ' ')
[ -z "$deps" ] || modprobe -a $deps
insmod "$ko"
