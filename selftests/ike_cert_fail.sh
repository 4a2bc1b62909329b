#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Certificates ikedaemon must refuse, presented by strongSwan's charon as
# initiator: one from an untrusted CA, an expired one, and identities that
# are not in the certificate (an FQDN, a KEY_ID of another key). Each gets our documented log line
# ("AUTHENTICATION_FAILED: certificate problem: ...", swanctl.conf(5)) and
# AUTHENTICATION_FAILED at charon. Test bed in ike_cert_lib.sh.
#
#   ns_a: ikedaemon + ikesec (sun)  192.0.2.1 --- 192.0.2.2  ns_b: charon (moon)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"
CERT_TAG=cf
source "$(dirname "$0")/ike_cert_lib.sh"

require_root
require_ike
require_cmd openssl
require_module

ktap_plan 9
cert_setup
bad_case "untrusted CA" "certificate problem: .*unable to get local issuer certificate" \
	moon-rogue moon.example
bad_case "expired certificate" "certificate problem: .*certificate has expired" \
	moon-expired moon.example
bad_case "identity not in the certificate" \
	"certificate problem: peer identity does not match its certificate" \
	moon-ec moon-other.example
bad_case "KEY_ID of another key" \
	"certificate problem: peer identity does not match its certificate: identity .*5a5a \(ID_KEY_ID\) is not in the certificate: .*key ids: SHA-1 of its SubjectPublicKeyInfo $(keyid moon-ec)" \
	moon-ec "@#$(printf '5a%.0s' $(seq 20))"

bugs=$(dmesg_bugs_since "$mark")
[ -z "$bugs" ] || echo "$bugs" | sed 's/^/# dmesg: /'
ktap_check "no warning, bug or leak report in dmesg" test -z "$bugs"
ktap_exit
