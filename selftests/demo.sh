#!/bin/bash
# make demo: a manual-keyed ESP tunnel between two namespaces, run where
# modules can be loaded (here, or in the test VM).
#
#   ns left  10.1.0.1/24 (inner)          ns right 10.2.0.1/24 (inner)
#        veth 192.0.2.1 ------------------- veth 192.0.2.2
#             ESP tunnel, AES-GCM-256, SPIs 0x1001 (->) and 0x1002 (<-)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" != --here ]; then
	if [ -e /proc/modules ] && [ "$(id -u)" -eq 0 ] && [ -z "${IKESEC_VM:-}" ]; then
		exec "$0" --here
	fi
	exec "$top/selftests/vm/run.sh" -- "$0" --here
fi

set -e
ikectl=$top/ikectl/ikectl
[ -d /sys/module/ikesec ] || "$top/selftests/insmod.sh"
L=ikesec-demo-left R=ikesec-demo-right
cleanup() { ip netns del $L 2>/dev/null || true; ip netns del $R 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $L
ip netns add $R
ip link add veth0 netns $L type veth peer name veth0 netns $R
ip -n $L addr add 192.0.2.1/24 dev veth0
ip -n $R addr add 192.0.2.2/24 dev veth0
ip -n $L link set veth0 up
ip -n $R link set veth0 up
ip -n $L link set lo up
ip -n $R link set lo up
ip -n $L addr add 10.1.0.1/24 dev lo
ip -n $R addr add 10.2.0.1/24 dev lo
ip -n $L route add 10.2.0.0/24 via 192.0.2.2
ip -n $R route add 10.1.0.0/24 via 192.0.2.1

# Throwaway keys: 32-byte AES key + 4-byte salt, one per direction.
k1=0x$(head -c 36 /dev/urandom | od -An -tx1 | tr -d ' \n')
k2=0x$(head -c 36 /dev/urandom | od -An -tx1 | tr -d ' \n')

side() { # NS LOCAL PEER LNET RNET SPI_OUT KEY_OUT SPI_IN KEY_IN
	ip netns exec "$1" "$ikectl" sa add dir out spi "$6" src "$2" dst "$3" \
		enc aes-gcm "$7" reqid 1
	ip netns exec "$1" "$ikectl" sa add dir in spi "$8" src "$3" dst "$2" \
		enc aes-gcm "$9" reqid 1
	ip netns exec "$1" "$ikectl" policy add dir out src "$4" dst "$5" \
		action protect tmpl reqid 1 mode tunnel src "$2" dst "$3"
	ip netns exec "$1" "$ikectl" policy add dir in src "$5" dst "$4" \
		action protect tmpl reqid 1 mode tunnel src "$3" dst "$2"
}
echo "== programming SAs and policies with ikectl"
side $L 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 0x1001 "$k1" 0x1002 "$k2"
side $R 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 0x1002 "$k2" 0x1001 "$k1"

echo "== ping 10.2.0.1 from 10.1.0.1 through the tunnel"
ip netns exec $L ping -c 3 -i 0.2 -I 10.1.0.1 10.2.0.1
echo "== ikectl sa show (left)"
ip netns exec $L "$ikectl" sa show
echo "== ikectl policy show (left)"
ip netns exec $L "$ikectl" policy show
