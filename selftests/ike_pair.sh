#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's main job (`make demo`) as a test, so it cannot rot: ikedaemon
# on both sides, PSK, AES-GCM-256, X25519; the tunnel comes up on `ikectl
# up`, pings pass and the module's SAs count them. Topology in demo_ike.sh.
source "$(dirname "$0")/lib.sh"

require_root
require_cmd ip ping
require_module
[ -x "$IKESEC_TOP/ikedaemon/ikedaemon" ] || skip "ikedaemon not built"

ktap_plan 1
out=$("$IKESEC_TOP/selftests/demo_ike.sh" --here 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
ktap_check "ikedaemon <-> ikedaemon: tunnel up, ping through ESP, SAs count it" \
	test $rc = 0
ktap_exit
