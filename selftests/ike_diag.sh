#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Diagnostics: each usual misconfiguration provoked against strongSwan's
# charon, and the one log line ikedaemon writes for it, naming the cause
# and both sides' values; charon's own log/notify confirms the failure.
# Proposal mismatches name the transform type without a common value
# (ENCR, INTEG, PRF, DH, ESN); a refused CHILD rekey names our proposal.
#
#   ns_a: ikedaemon                          ns_b: charon
#   veth_a 192.0.2.1/24 ------------------- veth_b 192.0.2.2/24
#   ids sun.example (us), moon.example (charon); tunnel 10.0.1.0/24 <=>
#   10.0.2.0/24 unless a case changes it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ike_lib.sh"

require_root
require_ike

ike_bed id

IKE=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16
OURS=$DIR/a/ikedaemon.log
THEIRS=$DIR/b/charon.log

# fresh START CHARON-ARGS... -- OUR-ARGS...: reconfigure both ends, empty
# both logs.
fresh() {
	local start=$1; shift
	local c=() o=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do c+=("$1"); shift; done
	shift
	o=("$@")
	ikedaemon_stop "$DIR/a"
	ike_conf_charon "$DIR/b" x "${c[@]}"
	ike_conf_ours "$DIR/a" "$start" "${o[@]}"
	charon_load "$DIR/b" || return 1
	swanctl_ "$DIR/b" --terminate --ike peer --force >/dev/null 2>&1
	: > "$THEIRS"
	ikedaemon_start "$A" "$DIR/a"
}

charon_initiate() {
	swanctl_ "$DIR/b" --initiate --child net --timeout 10 \
		> "$DIR/b/init.out" 2>&1
}

# expect NAME SECONDS OUR-ERE THEIR-ERE: our diagnostic, then theirs.
expect() {
	local name=$1 t=$2 ours=$3 theirs=$4
	if log_wait "$t" "$OURS" "$ours" && log_wait 5 "$THEIRS" "$theirs"
	then
		ktap_ok "$name"
		log_show "$OURS" "$ours"
		log_show "$THEIRS" "$theirs"
	else
		ktap_not_ok "$name"
		echo "# wanted ours: $ours"
		echo "# wanted charon: $theirs"
		sed 's/^/#   ours: /' "$OURS" | grep -v '\[NET\]\|\[DMN\]' | tail -n 8
		grep -v '^$' "$THEIRS" | sed 's/^/#   charon: /' | tail -n 8
	fi
}

ktap_plan 18
mkdir -p "$DIR/a" "$DIR/b"
ike_topology "$A" "$B" || exit 1
ike_conf_charon "$DIR/b" x "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24
charon_start "$B" "$DIR/b" && charon_load "$DIR/b" ||
	skip "charon did not start"

# 1. IKE proposals differ in the encryption algorithm; charon initiates.
fresh none aes128-sha256-modp2048 "$ESP" 10.0.2.0/24 10.0.1.0/24 -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_initiate
expect "NO_PROPOSAL_CHOSEN (IKE, we respond): ENCR named with both values" 10 \
	'\[IKE\] gw: NO_PROPOSAL_CHOSEN for IKE SA from 192\.0\.2\.2:500: received AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048; configured AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519; no match for ENCR \(received AES_CBC_128, configured AES_GCM_16_256\)' \
	'received NO_PROPOSAL_CHOSEN notify error'

# 2. Same, we initiate: charon's refusal, our offer in the log.
fresh start aes128-sha256-modp2048 "$ESP" 10.0.2.0/24 10.0.1.0/24 -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
expect "NO_PROPOSAL_CHOSEN (IKE, we initiate): our proposals in the log" 10 \
	'\[IKE\] gw\[[0-9]+\]: peer answered NO_PROPOSAL_CHOSEN to our IKE proposals: AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519' \
	'received proposals unacceptable|no acceptable proposal found'

# 3. Only the DH group differs.
fresh none aes256gcm16-prfsha256-ecp384 "$ESP" 10.0.2.0/24 10.0.1.0/24 -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_initiate
expect "NO_PROPOSAL_CHOSEN (IKE): DH group named" 10 \
	'no match for DH \(received ECP_384, configured CURVE_25519\)' \
	'received NO_PROPOSAL_CHOSEN notify error'

# 4. ESP proposals differ: the IKE SA comes up, the CHILD SA does not.
fresh none "$IKE" aes128-sha256 10.0.2.0/24 10.0.1.0/24 -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_initiate
expect "NO_PROPOSAL_CHOSEN (ESP): CHILD SA refused, ENCR named" 10 \
	'\[CHD\] gw\[[0-9]+\]: NO_PROPOSAL_CHOSEN for CHILD SA net: received AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ; configured AES_GCM_16_256/NO_EXT_SEQ; no match for ENCR \(received AES_CBC_128, configured AES_GCM_16_256\)' \
	'received NO_PROPOSAL_CHOSEN notify'

# 4a. ESP: AES-CBC on both ends, the HMACs differ: INTEG named.
fresh none "$IKE" aes128-sha256 10.0.2.0/24 10.0.1.0/24 -- \
	"$IKE" aes128-sha1 10.0.1.0/24 10.0.2.0/24
charon_initiate
expect "NO_PROPOSAL_CHOSEN (ESP): integrity named (HMAC-SHA2-256 vs HMAC-SHA1)" 10 \
	'\[CHD\] gw\[[0-9]+\]: NO_PROPOSAL_CHOSEN for CHILD SA net: received AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ; configured AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ; no match for INTEG \(received HMAC_SHA2_256_128, configured HMAC_SHA1_96\)$' \
	'received NO_PROPOSAL_CHOSEN notify'

# 4b. IKE: only the PRF differs.
fresh none aes256gcm16-prfsha384-x25519 "$ESP" 10.0.2.0/24 10.0.1.0/24 -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_initiate
expect "NO_PROPOSAL_CHOSEN (IKE): PRF named" 10 \
	'\[IKE\] gw: NO_PROPOSAL_CHOSEN for IKE SA from 192\.0\.2\.2:500: .*; no match for PRF \(received PRF_HMAC_SHA2_384, configured PRF_HMAC_SHA2_256\)$' \
	'received NO_PROPOSAL_CHOSEN notify error'

# 4c. ESP: charon insists on extended sequence numbers, we have none.
fresh none "$IKE" aes256gcm16-esn 10.0.2.0/24 10.0.1.0/24 -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_initiate
expect "NO_PROPOSAL_CHOSEN (ESP): ESN named" 10 \
	'\[CHD\] gw\[[0-9]+\]: NO_PROPOSAL_CHOSEN for CHILD SA net: received AES_GCM_16_256/ESN; configured AES_GCM_16_256/NO_EXT_SEQ; no match for ESN \(received ESN, configured NO_EXT_SEQ\)$' \
	'received NO_PROPOSAL_CHOSEN notify'

# 4d. Rekey failed: charon wants PFS (a DH group in its ESP proposals),
# which IKE_AUTH's CHILD SA cannot show (RFC 7296 1.2); our rekey at
# rekey_time offers none and is refused.
IKE_REKEY=3s fresh start "$IKE" aes256gcm16-x25519 10.0.2.0/24 \
	10.0.1.0/24 -- "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
expect "rekey failed: the peer's NO_PROPOSAL_CHOSEN to our CHILD rekey, our proposal named" 25 \
	'\[CHD\] gw\[[0-9]+\]: rekey of CHILD SA net failed: peer answered NO_PROPOSAL_CHOSEN \(14\); we proposed aes256gcm16 \(no PFS, no DH group\)' \
	'no acceptable proposal found'
ktap_check "ikectl last-error shows the failed rekey" \
	sh -c "'$IKECTL' -s '$DIR/a/ctl.sock' last-error gw | grep -q 'rekey of CHILD SA net failed'"
"$IKECTL" -s "$DIR/a/ctl.sock" last-error gw | sed 's/^/#   /'

# 5. charon calls itself mars.example: no connection of ours accepts it.
fresh none "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24 "$IKE_PSK" mars.example -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_initiate
expect "AUTHENTICATION_FAILED: no connection for the peer's identity, candidates listed" 10 \
	'\[CFG\] gw\[[0-9]+\]: AUTHENTICATION_FAILED: no connection matches peer identity mars\.example \(from 192\.0\.2\.2:[0-9]+, asking for us as sun\.example\); candidates: .*gw.*moon\.example.*mars\.example' \
	'received AUTHENTICATION_FAILED notify error'
ktap_check "no 'identity behind NAT' hint without a NAT and for an FQDN" \
	eval '! log_has "$OURS" "behind a NAT|is not its address"'

# 6. Same identities, different PSKs: we respond.
fresh none "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24 "another-psk" -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_initiate
expect "AUTHENTICATION_FAILED: AUTH did not verify, PSK mismatch likely (we respond)" 10 \
	'\[IKE\] gw\[[0-9]+\]: AUTHENTICATION_FAILED: AUTH payload of moon\.example did not verify with secret ike-gw \(connection gw\): PSK mismatch likely' \
	'received AUTHENTICATION_FAILED notify error'

ktap_check "ikectl last-error repeats the diagnostic" \
	sh -c "'$IKECTL' -s '$DIR/a/ctl.sock' last-error gw | grep -q 'PSK mismatch likely'"
"$IKECTL" -s "$DIR/a/ctl.sock" last-error gw | sed 's/^/#   /'

# 7. Different PSKs, we initiate: charon says MAC mismatched, we say why
# the peer refused.
fresh start "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24 "another-psk" -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
expect "AUTHENTICATION_FAILED: peer refused us (we initiate)" 10 \
	'\[IKE\] gw\[[0-9]+\]: peer answered AUTHENTICATION_FAILED to us as sun\.example: it has no connection for this identity, or our PSKs differ' \
	'MAC mismatched'

# 8. charon wants 10.0.9.0/24 behind itself: not what we allow.
fresh none "$IKE" "$ESP" 10.0.9.0/24 10.0.1.0/24 -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
charon_initiate
expect "TS_UNACCEPTABLE: proposed and configured selectors named" 10 \
	'\[CHD\] gw\[[0-9]+\]: TS_UNACCEPTABLE: peer proposed TSi 10\.0\.9\.0/24 TSr 10\.0\.1\.0/24; child net allows remote 10\.0\.2\.0/24 local 10\.0\.1\.0/24' \
	'received TS_UNACCEPTABLE notify'

# 9. Nobody answers: retransmits, then the peer is declared unreachable.
fresh none "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24 -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
ip -n "$B" link set veth_b down
ikectl_d "$DIR/a" up gw >/dev/null
if log_wait 25 "$OURS" '\[NET\] gw\[[0-9]+\]: peer 192\.0\.2\.2:500 unreachable: no response to IKE_SA_INIT request 0 after 4 retransmits' &&
   log_has "$OURS" 'retransmit 4 of IKE_SA_INIT request 0'; then
	ktap_ok "peer unreachable after retransmits"
	log_show "$OURS" unreachable
else
	ktap_not_ok "peer unreachable after retransmits"
	tail -n 5 "$OURS" | sed 's/^/#   ours: /'
fi

# 10. Established, then the peer vanishes: DPD notices.
ip -n "$B" link set veth_b up
IKE_DPD=2s fresh start "$IKE" "$ESP" 10.0.2.0/24 10.0.1.0/24 -- \
	"$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
if log_wait 15 "$OURS" 'IKE SA established'; then
	ip -n "$B" link set veth_b down
	if log_wait 30 "$OURS" '\[NET\] gw\[[0-9]+\]: peer 192\.0\.2\.2:[0-9]+ unreachable: no response to INFORMATIONAL request [0-9]+ after 4 retransmits \([0-9.]+ s\): DPD declares the peer dead'; then
		ktap_ok "dead peer detected by DPD (dpd_delay 2s)"
		log_show "$OURS" unreachable
	else
		ktap_not_ok "dead peer detected by DPD (dpd_delay 2s)"
		tail -n 5 "$OURS" | sed 's/^/#   ours: /'
	fi
else
	ktap_not_ok "dead peer detected by DPD (no IKE SA to watch)"
fi

# 11. Retransmission settings (-t/-b/-r, strongSwan's retransmit_timeout/
# base/tries): 0.2 s, x1.5, 2 retransmits give up after 0.95 s, not the
# default 15.5 s. veth_b is still down.
ikedaemon_stop "$DIR/a"
ike_conf_ours "$DIR/a" none "$IKE" "$ESP" 10.0.1.0/24 10.0.2.0/24
ikedaemon_start "$A" "$DIR/a" -t 0.2 -b 1.5 -r 2
t0=$(date +%s)
ikectl_d "$DIR/a" up gw >/dev/null
if log_wait 15 "$OURS" '\[NET\] gw\[[0-9]+\]: peer 192\.0\.2\.2:500 unreachable: no response to IKE_SA_INIT request 0 after 2 retransmits \((0\.9|1\.0) s\)' &&
   log_has "$OURS" 'retransmit 2 of IKE_SA_INIT' &&
   ! log_has "$OURS" 'retransmit 3 of' && [ $(($(date +%s) - t0)) -lt 12 ]; then
	ktap_ok "ikedaemon -t 0.2 -b 1.5 -r 2: unreachable after 2 retransmits, 0.95 s"
	log_show "$OURS" unreachable
else
	ktap_not_ok "ikedaemon -t 0.2 -b 1.5 -r 2: unreachable after 2 retransmits, 0.95 s"
	grep 'retransmit\|unreachable' "$OURS" | sed 's/^/#   ours: /'
fi
echo "# $(($(date +%s) - t0)) s from ikectl up to the diagnostic (default: 15.5 s)"
ktap_exit
