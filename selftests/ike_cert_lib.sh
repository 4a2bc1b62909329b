# SPDX-License-Identifier: GPL-2.0
# Test bed for ike_cert.sh and ike_cert_fail.sh (source after lib.sh and
# ike_lib.sh, with CERT_TAG set): sun (ikedaemon, ns_a) and moon (charon,
# ns_b) with certificates from ike_certs.sh, in the swanctl layout (x509/,
# x509ca/, private/) on both sides.
#
#   ns_a: ikedaemon + ikesec                 ns_b: charon + XFRM
#   sun.example (certs in a/x509)            moon.example
#   inner 10.0.1.1/24 (dummy)                inner 10.0.2.1/24 (dummy)
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   tunnel 10.0.1.0/24 <=> 10.0.2.0/24, AES-GCM-16-256 / X25519

ike_bed "$CERT_TAG"

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16
O="C=CH, O=ikesec test"

# dn NAME: the subject DN ike_certs.sh gives NAME.example
dn() { echo "$O, CN=$1.example"; }

# keyid CERT: the KEY_ID strongSwan gives CERT's key, SHA-1 of its
# SubjectPublicKeyInfo (hex), for `id = @#...'.
keyid() {
	openssl x509 -in "$DIR/pki/$1.pem" -noout -pubkey |
		openssl pkey -pubin -outform DER | openssl dgst -sha1 -r |
		cut -c1-40
}

# conf_charon CERT LOCAL_ID REMOTE_ID: moon's end (certs in swanctl/x509).
conf_charon() {
	cat > "$DIR/b/swanctl/swanctl.conf" <<-CONF
	connections {
		peer {
			local_addrs = 192.0.2.2
			remote_addrs = 192.0.2.1
			proposals = $IKE
			local {
				auth = pubkey
				certs = $1.pem
				id = "$2"
			}
			remote {
				auth = pubkey
				id = "$3"
			}
			children {
				net {
					local_ts = 10.0.2.0/24
					remote_ts = 10.0.1.0/24
					esp_proposals = $ESP
					start_action = none
				}
			}
		}
	}
	CONF
	SWANCTL_DIR=$DIR/b/swanctl charon_load "$DIR/b"
}

# conf_ours START CERT LOCAL_ID REMOTE_ID: sun's end, with the swanctl
# layout (x509/, x509ca/, private/ next to the configuration).
conf_ours() {
	cat > "$DIR/a/ikedaemon.conf" <<-CONF
	connections {
		gw {
			local_addrs = 192.0.2.1
			remote_addrs = 192.0.2.2
			proposals = $IKE
			local {
				auth = pubkey
				certs = $2.pem
				id = "$3"
			}
			remote {
				auth = pubkey
				cacerts = ca.pem
				id = "$4"
			}
			children {
				net {
					local_ts = 10.0.1.0/24
					remote_ts = 10.0.2.0/24
					esp_proposals = $ESP
					start_action = $1
				}
			}
		}
	}
	secrets {
		private-sun {
			file = $2.key
		}
	}
	CONF
}

ping_tunnel() { ike_ping "$A" 10.0.1.1 10.0.2.1; }

charon_log_mark() { echo "=== $1" >> "$DIR/b/charon.log"; }
# charon_said ERE: in charon's log since the last mark.
charon_said() {
	awk '/^=== /{ buf = "" } { buf = buf "\n" $0 } END { print buf }' \
		"$DIR/b/charon.log" | grep -Eq -- "$1"
}

# up NAME ROLE(initiator|responder) OURCERT THEIRCERT OURID THEIRID
up() {
	local name=$1 role=$2 start=none
	echo "# --- $name"
	ikedaemon_stop "$DIR/a"
	swanctl_ "$DIR/b" --terminate --ike peer --timeout 5 >/dev/null 2>&1
	conf_charon "$4" "$6" "$5" || return 1
	[ "$role" = initiator ] && start=start
	conf_ours "$start" "$3" "$5" "$6"
	charon_log_mark "$name"
	ikedaemon_start "$A" "$DIR/a"
	[ "$role" = responder ] &&
		swanctl_ "$DIR/b" --initiate --child net --timeout 20 \
			> "$DIR/b/init.out" 2>&1
	return 0
}

# ok_case NAME ROLE OURCERT THEIRCERT OURID THEIRID
ok_case() {
	local name=$1
	up "$@"
	ktap_check "$name: IKE SA established, peer authenticated by certificate" \
		log_wait 20 "$DIR/a/ikedaemon.log" \
		"authentication of .* with certificate .* successful"
	log_show "$DIR/a/ikedaemon.log" "with certificate"
	ktap_check "$name: CHILD SA installed on both ends" \
		wait_for 10 sh -c "grep -q 'CHILD SA net established' \
			'$DIR/a/ikedaemon.log' && swanctl --list-sas \
			--uri unix://$DIR/b/charon.vici 2>/dev/null |
			grep -q INSTALLED"
	ktap_check "$name: ping through the tunnel" ping_tunnel
}

# bad_case NAME OURLOG CHARONCERT CHARONID: charon initiates, we refuse.
bad_case() {
	local name=$1 ours=$2
	up "$name" responder sun-ec "$3" "$(dn sun)" "$4"
	ktap_check "$name: refused, our log says why" \
		log_wait 20 "$DIR/a/ikedaemon.log" "AUTHENTICATION_FAILED: $ours"
	log_show "$DIR/a/ikedaemon.log" "AUTHENTICATION_FAILED: $ours"
	ktap_check "$name: charon received AUTHENTICATION_FAILED" \
		wait_for 10 charon_said "received AUTHENTICATION_FAILED"
}

# cert_setup: certificates, namespaces, charon.
cert_setup() {
	dmesg_mark "$mark"
	mkdir -p "$DIR/a/x509" "$DIR/a/x509ca" "$DIR/a/private" "$DIR/pki" \
		"$DIR/b/swanctl/x509" "$DIR/b/swanctl/x509ca" "$DIR/b/swanctl/private"
	# Made by `make -C selftests' on the host, else here (slow under TCG).
	if [ -f "$(dirname "$0")/ike_cert_pki/moon-expired.pem" ]; then
		cp "$(dirname "$0")"/ike_cert_pki/* "$DIR/pki/"
	else
		echo "# making a CA, RSA and ECDSA certificates (ike_certs.sh)"
		"$IKESEC_TOP/selftests/ike_certs.sh" "$DIR/pki" ||
			skip "cannot make certificates with openssl"
	fi
	cp "$DIR"/pki/sun-*.pem "$DIR/a/x509/"
	cp "$DIR"/pki/sun-*.key "$DIR/a/private/"
	cp "$DIR/pki/ca.pem" "$DIR/a/x509ca/"
	cp "$DIR"/pki/moon-*.pem "$DIR/b/swanctl/x509/"
	cp "$DIR"/pki/moon-*.key "$DIR/b/swanctl/private/"
	cp "$DIR/pki/ca.pem" "$DIR/pki/rogueca.pem" "$DIR/b/swanctl/x509ca/"
	ike_topology "$A" "$B" || exit 1
	# charon's first SA would wait for these (over 9p, under TCG) longer than
	# our retransmissions last.
	modprobe -qa esp4 xfrm_user gcm aesni_intel seqiv 2>/dev/null
	echo "# starting charon"
	charon_start "$B" "$DIR/b" ||
		{ cat "$DIR/b/charon.out"; skip "charon did not start"; }
}
