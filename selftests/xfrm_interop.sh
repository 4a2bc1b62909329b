#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Wire compatibility with the kernel's own ESP: one namespace runs ikesec,
# the other XFRM (ip xfrm) with the same keys, in the same kernel. Every
# cipher, ESN, IPv6 outer, transport mode and ESP in UDP (over IPv4 and
# IPv6); ping must pass both ways.
#
#   ns_i (ikesec)                               ns_x (XFRM, esp4/esp6)
#   dummy inner 10.0.1.1/24 fd00:1::1/64        dummy inner 10.0.2.1/24
#   |                                                 fd00:2::1/64
#   veth_a 192.0.2.1/24 2001:db8::1/64 ---- veth_b 192.0.2.2/24 2001:db8::2/64
#
#   SPI 0x2001: ikesec -> XFRM, SPI 0x2002: XFRM -> ikesec.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping timeout
[ -x "$IKECTL" ] || skip "$IKECTL not built"
ENCAP_SOCK=$(dirname "$0")/udp_encap_sock
[ -x "$ENCAP_SOCK" ] || skip "$ENCAP_SOCK not built"
modprobe -q esp4 && modprobe -q esp6 && modprobe -q xfrm_user ||
	skip "no esp4/esp6/xfrm_user modules"
require_module

I=ikesec-xi-i-$ns_suffix
X=ikesec-xi-x-$ns_suffix
mark=xi-$$
encap_pid=

cleanup() {
	[ -n "$encap_pid" ] && kill "$encap_pid" 2>/dev/null
	dp_bed_cleanup
}
trap cleanup EXIT

hexkey() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
ikectl() { ip netns exec "$I" "$IKECTL" "$@"; }
xfrm() { ip -n "$X" xfrm "$@"; }

# run NAME CIPHER MODE OUTER INNER [esn] [encap]
#   CIPHER: gcm128 gcm256 chacha cbc256 cbc1
run() {
	local name=$1 cipher=$2 mode=$3 outer=$4 inner=$5; shift 5
	local a=192.0.2.1 b=192.0.2.2 pa=10.0.1.0/24 pb=10.0.2.0/24
	local k1 k2 a1 a2 ik1 ik2 xk1 xk2 iopt='' xopt='' ta tb dst ok=1 opt
	[ "$outer" = 6 ] && a=2001:db8::1 b=2001:db8::2
	[ "$inner" = 6 ] && pa=fd00:1::/64 pb=fd00:2::/64
	[ "$mode" = transport ] && pa=$a pb=$b
	for opt in "$@"; do
		case $opt in
		esn) iopt="$iopt esn replay-window 64"
		     xopt="$xopt flag esn replay-window 64" ;;
		encap) local oa=0.0.0.0; [ "$outer" = 6 ] && oa=::
		       iopt="$iopt encap 4500 4500"
		       xopt="$xopt encap espinudp 4500 4500 $oa" ;;
		esac
	done
	case $cipher in
	gcm128|gcm256|chacha)
		local n=20 alg='rfc4106(gcm(aes))' ialg=aes-gcm
		[ $cipher = gcm256 ] && n=36
		[ $cipher = chacha ] && n=36 alg='rfc7539esp(chacha20,poly1305)' \
			ialg=chacha20-poly1305
		k1=$(hexkey $n); k2=$(hexkey $n)
		ik1="enc $ialg 0x$k1"; ik2="enc $ialg 0x$k2"
		xk1="aead $alg 0x$k1 128"; xk2="aead $alg 0x$k2 128" ;;
	cbc256|cbc1)
		local h=sha256 n=32 t=128
		[ $cipher = cbc1 ] && h=sha1 n=20 t=96
		k1=$(hexkey 16); k2=$(hexkey 16); a1=$(hexkey $n); a2=$(hexkey $n)
		ik1="enc aes-cbc 0x$k1 auth hmac-$h 0x$a1"
		ik2="enc aes-cbc 0x$k2 auth hmac-$h 0x$a2"
		xk1="enc cbc(aes) 0x$k1 auth-trunc hmac($h) 0x$a1 $t"
		xk2="enc cbc(aes) 0x$k2 auth-trunc hmac($h) 0x$a2 $t" ;;
	esac

	ikectl policy flush; ikectl sa flush
	xfrm state flush; xfrm policy flush
	[ -n "$encap_pid" ] && { kill "$encap_pid"; wait "$encap_pid"; } 2>/dev/null
	encap_pid=
	if [[ " $* " = *" encap "* ]]; then
		local v=; [ "$outer" = 6 ] && v=-6
		ip netns exec "$X" "$ENCAP_SOCK" $v 4500 &
		encap_pid=$!
		wait_for 5 sh -c "ip netns exec $X ss -uln | grep -q :4500" || ok=0
	fi

	ikectl sa add dir out spi 0x2001 src $a dst $b mode $mode $ik1 \
		reqid 1 $iopt &&
	ikectl sa add dir in spi 0x2002 src $b dst $a mode $mode $ik2 \
		reqid 2 $iopt || ok=0
	# shellcheck disable=SC2086
	# XFRM wants the inner family in the state's selector when it
	# differs from the outer one.
	local s1='' s2=''
	[ "$inner" != "$outer" ] && s1="sel src $pa dst $pb" s2="sel src $pb dst $pa"
	xfrm state add src $a dst $b proto esp spi 0x2001 reqid 1 mode $mode \
		$xk1 $xopt $s1 &&
	xfrm state add src $b dst $a proto esp spi 0x2002 reqid 2 mode $mode \
		$xk2 $xopt $s2 || ok=0

	ta=; tb=
	[ "$mode" = tunnel ] && ta="src $a dst $b" tb="src $b dst $a"
	ikectl policy add dir out src $pa dst $pb action protect priority 10 \
		tmpl reqid 1 mode $mode $ta >/dev/null &&
	ikectl policy add dir in src $pb dst $pa action protect priority 10 \
		tmpl reqid 2 mode $mode $tb >/dev/null || ok=0
	xfrm policy add src $pb dst $pa dir out tmpl $tb proto esp reqid 2 \
		mode $mode &&
	xfrm policy add src $pa dst $pb dir in tmpl $ta proto esp reqid 1 \
		mode $mode || ok=0
	if [ "$mode" = transport ] && [ "$outer" = 6 ]; then
		# neighbour discovery in the clear on both sides
		for d in in out; do
			ikectl policy add dir $d src ::/0 dst ::/0 proto ipv6-icmp \
				sport 133-137 action bypass >/dev/null
			xfrm policy add src ::/0 dst ::/0 proto ipv6-icmp type 135 \
				dir $d priority 1 2>/dev/null
			xfrm policy add src ::/0 dst ::/0 proto ipv6-icmp type 136 \
				dir $d priority 1 2>/dev/null
		done
	fi

	dst=10.0.2.1; [ "$inner" = 6 ] && dst=fd00:2::1
	[ "$mode" = transport ] && dst=$b
	local src=10.0.1.1; [ "$inner" = 6 ] && src=fd00:1::1
	[ "$mode" = transport ] && src=$a
	[ $ok = 1 ] && { ip netns exec "$I" ping -q -c 2 -i 0.3 -W 2 "$dst" \
		>/dev/null 2>&1 || { echo "# $name: ping ikesec->xfrm failed"; ok=0; }; }
	[ $ok = 1 ] && { ip netns exec "$X" ping -q -c 2 -i 0.3 -W 2 "$src" \
		>/dev/null 2>&1 || { echo "# $name: ping xfrm->ikesec failed"; ok=0; }; }
	# A ping of 1400 bytes exercises padding and multi-block payloads.
	[ $ok = 1 ] && { ip netns exec "$I" ping -q -c 1 -s 1300 -W 2 "$dst" \
		>/dev/null 2>&1 || { echo "# $name: big ping failed"; ok=0; }; }
	if [ $ok = 0 ]; then
		ikectl stats | grep -v ' 0$' | sed 's/^/# ikesec: /'
		xfrm state | grep -i -E "stat|err" | sed 's/^/# xfrm: /'
		ip netns exec "$X" cat /proc/net/xfrm_stat | grep -v '0$' |
			sed 's/^/# xfrm_stat: /'
	fi
	ktap_check "$name" test $ok = 1
}

dp_bed -6 "$I" "$X" || exit 1
dmesg_mark "$mark"
ktap_plan 14
run "aes-gcm-128 tunnel v4" gcm128 tunnel 4 4
run "aes-gcm-256 tunnel v4" gcm256 tunnel 4 4
run "chacha20-poly1305 tunnel v4" chacha tunnel 4 4
run "aes-cbc hmac-sha256 tunnel v4" cbc256 tunnel 4 4
run "aes-cbc hmac-sha1 tunnel v4" cbc1 tunnel 4 4
run "aes-gcm-128 esn tunnel v4" gcm128 tunnel 4 4 esn
run "aes-cbc hmac-sha256 esn tunnel v4" cbc256 tunnel 4 4 esn
run "chacha20-poly1305 tunnel v6 over v6" chacha tunnel 6 6
run "aes-gcm-256 tunnel v4 over v6" gcm256 tunnel 6 4
run "aes-gcm-128 transport v4" gcm128 transport 4 4
run "aes-cbc hmac-sha1 transport v6" cbc1 transport 6 6
run "aes-gcm-128 esp-in-udp tunnel v4" gcm128 tunnel 4 4 encap
# RFC 6935/6936: XFRM drops IPv6 UDP with a zero checksum.
run "aes-gcm-128 esp-in-udp tunnel v6" gcm128 tunnel 6 6 encap
bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning in dmesg" test -z "$bugs"
ktap_exit
