# SPDX-License-Identifier: GPL-2.0
# Helpers for tests against Libreswan's pluto (source after lib.sh and
# ike_lib.sh). Debian's libreswan conflicts with strongSwan's charon, so
# selftests/deps.sh unpacks it (dpkg -x) into $LIBRESWAN_ROOT; pluto runs
# from there in a namespace with everything private under one directory,
# passed on its command line since the binary's built-in paths
# (/run/pluto, /etc/ipsec.d, /var/lib/ipsec/nss) are not ours, except
# /usr/libexec/ipsec, bind-mounted in pluto's own mount namespace:
#
#   DIR/ipsec.conf     config setup + conns, read by pluto and addconn
#   DIR/ipsec.secrets  PSKs (--secretsfile)
#   DIR/nss/           its NSS database (certutil -N, --nssdir)
#   DIR/ipsec.d/       --ipsecdir (policies, unused)
#   DIR/run/           --rundir: pluto.ctl (whack's socket), pluto.pid
#   DIR/pluto.log      --logfile
#
# pluto keys its ESP SAs into the kernel's XFRM of its own namespace.

LIBRESWAN_ROOT=${LIBRESWAN_ROOT:-/opt/ikesec-peers/libreswan}
LSW_EXEC=$LIBRESWAN_ROOT/usr/libexec/ipsec
PLUTO=$LSW_EXEC/pluto
WHACK=$LSW_EXEC/whack
ADDCONN=$LSW_EXEC/addconn

require_lswan() {
	require_cmd ip certutil
	[ -x "$PLUTO" ] ||
		skip "Libreswan not unpacked at $LIBRESWAN_ROOT (make deps)"
	"$PLUTO" --version >/dev/null 2>&1 ||
		skip "$PLUTO does not run (missing libraries? make deps)"
	[ -x "$IKEDAEMON" ] || skip "$IKEDAEMON not built"
	[ -x "$IKECTL" ] || skip "$IKECTL not built"
	# pluto asks the kernel for XFRM over netlink; the guest has modules
	modprobe -q xfrm_user 2>/dev/null
	modprobe -q esp4 2>/dev/null
	return 0
}

# wait_s SECONDS CMD...: poll CMD until it succeeds, for SECONDS of wall
# time (lib.sh's wait_for counts 0.1 s naps, which stretch many times
# over on a loaded TCG guest).
wait_s() {
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}

# lwait SECONDS FILE ERE: the file gets a matching line.
lwait() { wait_s "$1" grep -Eq -- "$3" "$2"; }

# lswan_nss_init DIR: an empty NSS database without a password.
lswan_nss_init() {
	mkdir -p "$1/nss"
	[ -f "$1/nss/cert9.db" ] ||
		certutil -N -d "sql:$1/nss" --empty-password >/dev/null
}

# pluto_start NS DIR: pluto in NS with DIR/ipsec.conf (config setup only
# is read at start); returns once whack gets an answer on its socket.
pluto_start() {
	local ns=$1 dir=$2
	mkdir -p "$dir/run" "$dir/ipsec.d"
	[ -f "$dir/ipsec.secrets" ] || : > "$dir/ipsec.secrets"
	lswan_nss_init "$dir"
	: > "$dir/pluto.log"
	# pluto forks its addconn helper from the built-in
	# /usr/libexec/ipsec: bind the unpacked one there, in a mount
	# namespace of its own (a tmpfs on /usr/libexec if there is no
	# ipsec directory to mount on).
	ip netns exec "$ns" unshare -m --propagation private sh -c '
		d=/usr/libexec/ipsec
		if [ ! -d $d ]; then
			mount -t tmpfs none /usr/libexec && mkdir $d || exit 1
		fi
		mount --bind "$1" $d || exit 1
		shift
		exec "$@"' sh "$LSW_EXEC" "$PLUTO" --config "$dir/ipsec.conf" \
		--nofork --rundir "$dir/run" --nssdir "$dir/nss" \
		--ipsecdir "$dir/ipsec.d" --secretsfile "$dir/ipsec.secrets" \
		--logfile "$dir/pluto.log" --no-dnssec \
		> "$dir/pluto.out" 2>&1 &
	echo $! > "$dir/pluto.pid"
	wait_s 30 whack_ "$dir" --status >/dev/null 2>&1
}

pluto_stop() {
	local pid
	[ -f "$1/pluto.pid" ] || return 0
	pid=$(cat "$1/pluto.pid")
	kill "$pid" 2>/dev/null
	wait_s 5 sh -c "! kill -0 $pid 2>/dev/null"
	rm -f "$1/pluto.pid"
}

# whack_ DIR ARGS...: whack talking to that pluto.
whack_() {
	local dir=$1; shift
	"$WHACK" --ctlsocket "$dir/run/pluto.ctl" "$@"
}

# pluto_load DIR CONN: (re)read secrets and add CONN from DIR/ipsec.conf.
pluto_load() {
	local dir=$1 conn=$2
	whack_ "$dir" --delete --name "$conn" >/dev/null 2>&1
	"$ADDCONN" --config "$dir/ipsec.conf" --ctlsocket "$dir/run/pluto.ctl" \
		"$conn" > "$dir/addconn.out" 2>&1 ||
		{ sed 's/^/# addconn: /' "$dir/addconn.out"; return 1; }
	whack_ "$dir" --rereadsecrets >/dev/null 2>&1
}

# pluto_initiate DIR CONN [SECONDS]: whack --initiate, waiting for the
# outcome (whack exits with it).
pluto_initiate() {
	timeout "${3:-20}" "$WHACK" --ctlsocket "$1/run/pluto.ctl" \
		--initiate --name "$2" > "$1/initiate.out" 2>&1
}

# lswan_conf DIR ROLE(initiator|responder) IKE ESP LOCAL_SUBNET
#   REMOTE_SUBNET [PSK] [LOCAL_ID] [REMOTE_ID]: DIR/ipsec.conf with one
#   conn "peer" (pluto at 192.0.2.2, us at 192.0.2.1) and its secret.
#   IKE and ESP use Libreswan's syntax (ike=aes_gcm256-sha2_256-dh31).
#   LSW_AUTH=rsasig|ecdsa switches to certificates (LSW_CERT nickname).
#   pfs=no unless LSW_PFS=yes: our ESP proposals here carry no DH group,
#   and pluto's CREATE_CHILD_SA rekey would add the IKE SA's.
lswan_conf() {
	local dir=$1 role=$2 ike=$3 esp=$4 lsub=$5 rsub=$6
	local psk=${7:-$IKE_PSK} lid=${8:-moon.example} rid=${9:-sun.example}
	local auth
	mkdir -p "$dir"
	# ipsec.conf wants the keys of a section indented: spaces below, as
	# <<- strips the tabs
	case "${LSW_AUTH:-secret}" in
	secret)	auth="authby=secret" ;;
	*)	auth="authby=${LSW_AUTH}
    leftcert=${LSW_CERT}
    leftsendcert=always" ;;
	esac
	cat > "$dir/ipsec.conf" <<-CONF
	config setup
	    plutodebug=${LSW_DEBUG:-none}
	    dumpdir=$dir/run
	    uniqueids=no

	conn peer
	    keyexchange=ike
	    ikev2=insist
	    left=192.0.2.2
	    leftid=${LSW_LID_PREFIX-@}$lid
	    leftsubnet=$lsub
	    right=192.0.2.1
	    rightid=${LSW_RID_PREFIX-@}$rid
	    rightsubnet=$rsub
	    $auth
	    ike=$ike
	    esp=$esp
	    pfs=${LSW_PFS:-no}
	    leftupdown=/bin/true
	    retransmit-timeout=10s
	    retransmit-interval=500
	    keyingtries=1
	    ikelifetime=${LSW_IKELIFETIME:-1h}
	    salifetime=${LSW_SALIFETIME:-1h}
	    auto=add
	CONF
	# role only documents which side the caller will make initiate
	: "$role"
	printf '@%s @%s : PSK "%s"\n' "$lid" "$rid" "$psk" \
		> "$dir/ipsec.secrets"
	chmod 600 "$dir/ipsec.secrets"
}

# pluto_child_spis DIR: "IN OUT" ESP SPIs (hex, no 0x) of pluto's newest
# CHILD SA (highest state number), from whack --status lines such as
#   #2: "peer" esp.c4e6c3fd@192.0.2.1 esp.8e0a13c2@192.0.2.2 tun.0@... Traffic:
pluto_child_spis() {
	whack_ "$1" --status 2>/dev/null | status_spis
}

# status_spis: the SPIs of the newest CHILD SA in whack --status lines.
status_spis() {
	awk '
		/ esp\.[0-9a-f]+@/ {
			n = 0; i_ = ""; o_ = ""
			for (f = 1; f <= NF; f++) {
				if ($f ~ /^#[0-9]+:$/) n = substr($f, 2) + 0
				if ($f ~ /^esp\.[0-9a-f]+@192\.0\.2\.1$/) o_ = $f
				if ($f ~ /^esp\.[0-9a-f]+@192\.0\.2\.2$/) i_ = $f
			}
			if (o_ != "" && i_ != "" && n >= best) {
				best = n; o = o_; i = i_
			}
		}
		END {
			sub(/^esp\./, "", o); sub(/@.*/, "", o)
			sub(/^esp\./, "", i); sub(/@.*/, "", i)
			# pluto drops leading zeros; ikectl prints 8 digits
			while (o != "" && length(o) < 8) o = "0" o
			while (i != "" && length(i) < 8) i = "0" i
			if (o != "" && i != "") print i, o
		}'
}

# pluto_established DIR: pluto has an IKE SA and a CHILD SA up.
pluto_established() {
	local s
	s=$(whack_ "$1" --status 2>/dev/null)
	echo "$s" | grep -q 'ESTABLISHED_IKE_SA' &&
		echo "$s" | grep -q 'ESTABLISHED_CHILD_SA'
}

# pluto_no_sa DIR: pluto holds no IKE SA any more.
pluto_no_sa() {
	! whack_ "$1" --status 2>/dev/null | grep -q 'ESTABLISHED_IKE_SA'
}

# lswan_pki DIR KEYTYPE(rsa|ec): a CA ("CN=ikesec lswan KEYTYPE CA") and
# moon/sun certificates under DIR (ca.pem, NAME.pem, NAME.key), subject
# "O=ikesec test KEYTYPE, CN=NAME.example" (NSS keeps one nickname per
# subject) and subjectAltName DNS:NAME.example,
# all of KEYTYPE (RSA-2048, P-256).
lswan_pki() {
	local d=$1 t=$2 n
	mkdir -p "$d"
	lswan_key "$d/ca.key" "$t" &&
	openssl req -x509 -new -key "$d/ca.key" -days 30 \
		-subj "/O=ikesec test $t/CN=ikesec lswan $t CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-out "$d/ca.pem" 2>/dev/null || return 1
	for n in moon sun; do
		lswan_key "$d/$n.key" "$t" &&
		openssl req -new -key "$d/$n.key" \
			-subj "/O=ikesec test $t/CN=$n.example" \
			-out "$d/$n.csr" 2>/dev/null &&
		openssl x509 -req -in "$d/$n.csr" -CA "$d/ca.pem" \
			-CAkey "$d/ca.key" -CAcreateserial -days 30 \
			-extfile <(printf '%s\n' "basicConstraints=CA:FALSE" \
				"keyUsage=digitalSignature" \
				"subjectAltName=DNS:$n.example") \
			-out "$d/$n.pem" 2>/dev/null || return 1
	done
}

lswan_key() {
	case $2 in
	rsa)	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
			-out "$1" 2>/dev/null ;;
	ec)	openssl genpkey -algorithm EC \
			-pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null ;;
	esac
}

# lswan_nss_import DIR PKI NAME NICK: PKI's CA (trusted for peers, as
# NICK-ca) and NAME's certificate with its key (PKCS#12, nickname NICK)
# into pluto's NSS database; several PKIs can sit side by side.
lswan_nss_import() {
	local dir=$1 pki=$2 name=$3 nick=$4
	lswan_nss_init "$dir"
	openssl pkcs12 -export -in "$pki/$name.pem" -inkey "$pki/$name.key" \
		-name "$nick" -passout pass: -out "$pki/$name.p12" &&
	pk12util -i "$pki/$name.p12" -d "sql:$dir/nss" -W "" >/dev/null &&
	certutil -A -d "sql:$dir/nss" -n "$nick-ca" -t "CT,," \
		-i "$pki/ca.pem" >/dev/null
}

# ike_conf_ours_cert DIR START IKE ESP PKI: ikedaemon.conf like
# ike_conf_ours, authenticating with sun's certificate, trusting PKI's CA.
ike_conf_ours_cert() {
	local dir=$1 start=$2 ike=$3 esp=$4 pki=$5
	cat > "$dir/ikedaemon.conf" <<-CONF
	connections {
		gw {
			local_addrs = 192.0.2.1
			remote_addrs = 192.0.2.2
			proposals = $ike
			local {
				auth = pubkey
				certs = $pki/sun.pem
				id = sun.example
			}
			remote {
				auth = pubkey
				cacerts = $pki/ca.pem
				id = moon.example
			}
			children {
				net {
					local_ts = 10.0.1.0/24
					remote_ts = 10.0.2.0/24
					esp_proposals = $esp
					start_action = $start
				}
			}
		}
	}
	secrets {
		private-sun {
			file = $pki/sun.key
		}
	}
	CONF
}

# lswan_conf_child DIR NAME LOCAL_SUBNET REMOTE_SUBNET: a second conn NAME
# in DIR/ipsec.conf, conn peer's copy with other subnets: the same
# endpoints and IDs, so pluto keys it as a further CHILD SA of the same
# IKE SA (CREATE_CHILD_SA).
lswan_conf_child() {
	local dir=$1 name=$2 lsub=$3 rsub=$4
	awk -v n="$name" -v l="$lsub" -v r="$rsub" '
		/^conn / { c = ($2 == "peer") }
		c && /^conn / { print "conn " n; next }
		c && /leftsubnet=/ { print "    leftsubnet=" l; next }
		c && /rightsubnet=/ { print "    rightsubnet=" r; next }
		c { print }' "$dir/ipsec.conf" > "$dir/child.conf"
	cat "$dir/child.conf" >> "$dir/ipsec.conf"
}

# pluto_conn_spis DIR CONN: "IN OUT" ESP SPIs of pluto's newest CHILD SA
# of that conn, as pluto_child_spis.
pluto_conn_spis() {
	whack_ "$1" --status 2>/dev/null | grep -F "\"$2\"" | status_spis
}

# pluto_ike_sas DIR: the number of IKE SAs pluto has established.
pluto_ike_sas() {
	whack_ "$1" --status 2>/dev/null | awk '
		/ESTABLISHED_IKE_SA/ {
			for (f = 1; f <= NF; f++)
				if ($f ~ /^#[0-9]+:$/) { print $f; break }
		}' | sort -u | wc -l
}
