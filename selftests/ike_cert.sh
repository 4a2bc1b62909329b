#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IKEv2 with certificates against strongSwan's charon: RSA and ECDSA
# (P-256) RFC 7427 signatures, ikedaemon as initiator and as responder,
# identities as DN, FQDN and RFC822 (subjectAltName) and KEY_ID (SHA-1 of
# the certificate's public key, `id = @#...'), traffic through the CHILD
# SA. Test bed (topology, certificates) in ike_cert_lib.sh.
#
#   ns_a: ikedaemon + ikesec (sun)  192.0.2.1 --- 192.0.2.2  ns_b: charon (moon)
#   tunnel 10.0.1.0/24 <=> 10.0.2.0/24
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
CERT_TAG=ca
source "$(dirname "$0")/ike_cert_lib.sh"

require_root
require_ike
require_cmd ping openssl
require_module

ktap_plan 19
cert_setup
ok_case "initiator, RSA, DN" initiator sun-rsa moon-rsa "$(dn sun)" "$(dn moon)"
ok_case "initiator, ECDSA, FQDN" initiator sun-ec moon-ec sun.example moon.example
ok_case "responder, RSA, RFC822" responder sun-rsa moon-rsa sun@example moon@example
ok_case "responder, ECDSA, DN" responder sun-ec moon-ec "$(dn sun)" "$(dn moon)"
ok_case "initiator, ECDSA, KEY_ID" initiator sun-ec moon-ec \
	"@#$(keyid sun-ec)" "@#$(keyid moon-ec)"
ok_case "responder, RSA, KEY_ID" responder sun-rsa moon-rsa \
	"@#$(keyid sun-rsa)" "@#$(keyid moon-rsa)"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
