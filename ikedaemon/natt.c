// SPDX-License-Identifier: GPL-2.0
/* NAT traversal; see natt.h. */
#include <stdio.h>
#include <string.h>

#include "child_sa.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "log.h"
#include "natt.h"
#include "net.h"
#include "timer.h"

#define NATT_KA_TICK	1000	/* ms between keepalive scans */

static struct timer ka_timer;

static bool behind_nat(const struct ike_sa *sa)
{
	return sa->sa_nat_local || sa->sa_nat_fake;
}

/* Every tick: a keepalive from each IKE SA behind a NAT whose interval
 * has passed (RFC 3948 2.3; only the side behind the NAT sends them).
 */
static void ka_tick(void *arg)
{
	uint64_t now = timer_now();
	struct ike_sa *sa;
	bool any = false;
	char a[64];

	(void)arg;
	for (sa = ike_sa_first(); sa; sa = sa->sa_next) {
		if (sa->sa_state == IKE_S_DEAD || !behind_nat(sa) ||
		    !sa->sa_conn || !sa->sa_conn->keep_alive)
			continue;
		any = true;
		if (!sa->sa_natt || sa->sa_state < IKE_S_ESTABLISHED ||
		    now - sa->sa_ka_last <
		    (uint64_t)sa->sa_conn->keep_alive * 1000)
			continue;
		sa->sa_ka_last = now;
		if (!net_send_keepalive(&sa->sa_local, &sa->sa_peer)) {
			net_addr_str(&sa->sa_peer, a, sizeof(a));
			log_debug(LOG_NET, "%s: NAT keepalive to %s",
				  ike_sa_name(sa), a);
		}
	}
	if (any)
		timer_add(&ka_timer, NATT_KA_TICK);
}

static void ka_arm(void)
{
	if (ka_timer.tmr_armed)
		return;
	timer_set(&ka_timer, ka_tick, NULL);
	timer_add(&ka_timer, NATT_KA_TICK);
}

void natt_detected(struct ike_sa *sa)
{
	if (!sa->sa_nat_local && !sa->sa_nat_remote && !sa->sa_nat_fake)
		return;
	log_info(LOG_IKE, "%s: NAT detected: %s%s%s", ike_sa_name(sa),
		 sa->sa_nat_local ? "local host is behind NAT" : "",
		 sa->sa_nat_local && sa->sa_nat_remote ? ", " : "",
		 sa->sa_nat_remote ? "remote host is behind NAT" :
		 !sa->sa_nat_local ? "faking it (encap = yes)" : "");
	sa->sa_ka_last = timer_now();
	if (behind_nat(sa))
		ka_arm();
}

bool natt_float(struct ike_sa *sa)
{
	char a[64], b[64];

	if (sa->sa_natt || !natt_encap_wanted(sa))
		return false;
	sa->sa_natt = true;
	net_set_port(&sa->sa_local, IKEV2_NATT_PORT);
	/* a non-default remote_port is kept (strongSwan does the same) */
	if (net_port(&sa->sa_peer) == IKEV2_PORT)
		net_set_port(&sa->sa_peer, IKEV2_NATT_PORT);
	net_addr_str(&sa->sa_local, a, sizeof(a));
	net_addr_str(&sa->sa_peer, b, sizeof(b));
	log_info(LOG_NET, "%s: switching to NAT-T: %s -> %s", ike_sa_name(sa),
		 a, b);
	return true;
}

bool natt_encap_wanted(const struct ike_sa *sa)
{
	return sa->sa_nat_local || sa->sa_nat_remote || sa->sa_nat_fake;
}

bool natt_encap(const struct ike_sa *sa)
{
	return sa->sa_natt && natt_encap_wanted(sa);
}

void natt_peer_moved(struct ike_sa *sa, const struct sockaddr_storage *peer,
		     const char *by)
{
	struct sockaddr_storage old = sa->sa_peer;
	char a[64], b[64];

	if (net_addr_eq(&old, peer) && net_port(&old) == net_port(peer))
		return;
	net_addr_str(&old, a, sizeof(a));
	net_addr_str(peer, b, sizeof(b));
	log_info(LOG_NET, "%s: NAT mapping of the peer changed (%s): %s -> %s",
		 ike_sa_name(sa), by, a, b);
	sa->sa_peer = *peer;
	if (natt_encap(sa))
		child_sa_move_all(sa, &old);
}

void natt_status(const struct ike_sa *sa, char *buf, size_t size)
{
	char ka[32] = "";

	*buf = 0;
	if (!sa->sa_natt && !natt_encap_wanted(sa))
		return;
	if (natt_encap(sa) && behind_nat(sa) && sa->sa_conn &&
	    sa->sa_conn->keep_alive)
		snprintf(ka, sizeof(ka), ", keepalive %us",
			 sa->sa_conn->keep_alive);
	snprintf(buf, size, "NAT-T: local %s, remote %s, IKE port %u -> %u%s%s",
		 sa->sa_nat_local ? "behind NAT" :
		 sa->sa_nat_fake ? "NAT faked (encap)" : "not behind NAT",
		 sa->sa_nat_remote ? "behind NAT" : "not behind NAT",
		 net_port(&sa->sa_local), net_port(&sa->sa_peer),
		 natt_encap(sa) ? ", ESP in UDP" : "", ka);
}
