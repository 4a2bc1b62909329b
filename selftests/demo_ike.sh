#!/bin/bash
# make demo: an IKEv2 tunnel between two namespaces, ikedaemon on both sides
# (PSK, AES-GCM-256, X25519), traffic through it, then `ikectl status`. Runs
# where modules can be loaded: here, or in the test VM.
#
#   ns left: ikedaemon + ikesec              ns right: ikedaemon + ikesec
#   inner 10.1.0.1/24 (lo)                   inner 10.2.0.1/24 (lo)
#   veth0 192.0.2.1/24 ------------------- veth0 192.0.2.2/24
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
ikedaemon=$top/ikedaemon/ikedaemon
[ -d /sys/module/ikesec ] || "$top/selftests/insmod.sh"
L=ikesec-demo-left R=ikesec-demo-right
dir=$(mktemp -d /tmp/ikesec-demo.XXXXXX)
cleanup() {
	local p
	for p in "$dir"/*.pid; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
	done
	ip netns del $L 2>/dev/null || true
	ip netns del $R 2>/dev/null || true
}
trap 'cleanup; rm -rf "$dir"' EXIT
cleanup
ip netns add $L
ip netns add $R
ip link add veth0 netns $L type veth peer name veth0 netns $R
ip -n $L addr add 192.0.2.1/24 dev veth0
ip -n $R addr add 192.0.2.2/24 dev veth0
for ns in $L $R; do
	ip -n $ns link set veth0 up
	ip -n $ns link set lo up
done
ip -n $L addr add 10.1.0.1/24 dev lo
ip -n $R addr add 10.2.0.1/24 dev lo
ip -n $L route add 10.2.0.0/24 via 192.0.2.2 src 10.1.0.1
ip -n $R route add 10.1.0.0/24 via 192.0.2.1 src 10.2.0.1

psk=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
conf() { # NAME LOCAL REMOTE LNET RNET START
	cat > "$dir/$1.conf" <<-CONF
	connections {
		site {
			local_addrs = $2
			remote_addrs = $3
			proposals = aes256gcm16-prfsha256-x25519
			local {
				auth = psk
				id = $1.example
			}
			remote {
				auth = psk
			}
			children {
				net {
					local_ts = $4
					remote_ts = $5
					esp_proposals = aes256gcm16
					start_action = $6
				}
			}
		}
	}
	secrets {
		ike-site {
			secret = 0x$psk
		}
	}
	CONF
}
conf left 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 none
conf right 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 none

start() { # NS NAME
	ip netns exec "$1" "$ikedaemon" -d -f "$dir/$2.conf" \
		-s "$dir/$2.sock" > "$dir/$2.log" 2>&1 &
	echo $! > "$dir/$2.pid"
	for _ in $(seq 50); do [ -S "$dir/$2.sock" ] && return 0; sleep 0.1; done
	echo "ikedaemon ($2) did not start:"; cat "$dir/$2.log"; return 1
}
echo "== starting ikedaemon in both namespaces"
start $L left
start $R right

echo "== ikectl up site (left initiates)"
if ! ip netns exec $L "$ikectl" -s "$dir/left.sock" up site; then
	echo "== left log"; cat "$dir/left.log"
	echo "== right log"; cat "$dir/right.log"
	exit 1
fi
# Established means the CHILD SA is in the module on this side.
for _ in $(seq 100); do
	grep -q 'CHILD SA net established' "$dir/left.log" && break
	sleep 0.2
done
if ! grep -q 'CHILD SA net established' "$dir/left.log"; then
	echo "tunnel did not come up; logs:"
	echo "== left"; cat "$dir/left.log"
	echo "== right"; cat "$dir/right.log"
	exit 1
fi
echo "== ikedaemon logs"
sed 's/^/left:  /' "$dir/left.log"
sed 's/^/right: /' "$dir/right.log"
echo "== ping 10.2.0.1 from 10.1.0.1 through the tunnel"
ip netns exec $L ping -c 3 -i 0.2 -W 2 -I 10.1.0.1 10.2.0.1
echo "== ikectl status (left)"
ip netns exec $L "$ikectl" -s "$dir/left.sock" status
echo "== ikectl sa show (left): the module's view"
ip netns exec $L "$ikectl" sa show
# The pings above went through ESP, not around it.
ip netns exec $L "$ikectl" -j sa show | grep -q '"packets": *[1-9]' ||
	{ echo "no packets counted on the SAs: traffic bypassed the tunnel"; exit 1; }
