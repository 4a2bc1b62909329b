// SPDX-License-Identifier: GPL-2.0
/* NAT traversal; see natt.h. */
#include <stdio.h>
#include <string.h>

#include <linux/ikesec.h>

#include "child_sa.h"
#include "child_slot.h"
#include "config.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "kernel.h"
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

/* Did our outbound ESP to the peer move since the last look? The sum of
 * the module's counters of every CHILD SA's outbound SA, read once per
 * interval.
 */
static bool esp_sent(struct ike_sa *sa)
{
	struct child_slot *sl;
	uint64_t n, sum = 0;

	if (!natt_encap(sa))
		return false;
	child_slot_for_each(sl, sa) {
		const struct child_sa *cs = &sl->cl_cur;

		if (cs->cs_installed &&
		    !kernel_sa_packets(IKESEC_DIR_OUT, cs->cs_spi_out,
				       &sa->sa_peer, &n))
			sum += n;
	}
	if (sum == sa->sa_ka_esp_out)
		return false;
	sa->sa_ka_esp_out = sum;
	return true;
}

/* Every tick: a keepalive from each IKE SA behind a NAT whose interval
 * has passed (RFC 3948 2.3; only the side behind the NAT sends them),
 * unless ESP or IKE went to the peer during it (RFC 3948 4: sent only
 * when idle). ESP is looked at when the interval ends, so after traffic
 * stops the next keepalive comes within two intervals.
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
		if (esp_sent(sa)) {
			log_debug(LOG_NET, "%s: ESP sent to the peer in the "
				  "last %us: no NAT keepalive", ike_sa_name(sa),
				  sa->sa_conn->keep_alive);
			continue;
		}
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

void natt_sent(struct ike_sa *sa)
{
	sa->sa_ka_last = timer_now();
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

/*
 * RFC 7296 2.23: a host not behind a NAT follows the address and port of
 * the latest authenticated packet; a host behind a NAT SHOULD NOT (one
 * packet would let an attacker break the connection). A responder behind
 * a NAT is reachable, so its NAT is static (port forwarding): it still
 * follows an initiator behind another NAT, as strongSwan does. Callers
 * only pass authenticated, new packets (a decrypted IKE message that is
 * not a retransmission, an ESP packet that passed ICV and replay checks).
 */
void natt_peer_moved(struct ike_sa *sa, const struct sockaddr_storage *peer,
		     const char *by)
{
	struct sockaddr_storage old = sa->sa_peer;
	char a[64], b[64];

	if (net_addr_eq(&old, peer) && net_port(&old) == net_port(peer))
		return;
	net_addr_str(&old, a, sizeof(a));
	net_addr_str(peer, b, sizeof(b));
	if (sa->sa_nat_local && sa->sa_initiator) {
		/* ESP: the module repeats it at most once a second */
		if (strcmp(by, "IKE message"))
			log_debug(LOG_NET, "%s: peer seen at %s (%s), staying "
				  "at %s: we are behind a NAT (RFC 7296 2.23)",
				  ike_sa_name(sa), b, by, a);
		else
			log_info(LOG_NET, "%s: peer seen at %s (%s), staying "
				 "at %s: we are behind a NAT (RFC 7296 2.23)",
				 ike_sa_name(sa), b, by, a);
		return;
	}
	log_info(LOG_NET, "%s: NAT mapping of the peer changed (%s): %s -> %s",
		 ike_sa_name(sa), by, a, b);
	sa->sa_peer = *peer;
	if (natt_encap(sa))
		child_sa_move_all(sa, &old);
}

static const char *id_kind(const struct cfg_id *id)
{
	switch (id->type) {
	case IKEV2_ID_IPV4_ADDR:
	case IKEV2_ID_IPV6_ADDR:
		return "an IP address";
	case IKEV2_ID_FQDN:
		return "an FQDN";
	case IKEV2_ID_RFC822_ADDR:
		return "an email address";
	case IKEV2_ID_DER_ASN1_DN:
		return "a DN";
	default:
		return "a key id";
	}
}

/* An IP identity that is not the address the peer's packets come from. */
static bool id_not_source(const struct ike_sa *sa, const struct cfg_id *id)
{
	const uint8_t *a;
	size_t n;

	if (id->type != IKEV2_ID_IPV4_ADDR && id->type != IKEV2_ID_IPV6_ADDR)
		return false;
	n = net_addr_raw(&sa->sa_peer, &a);
	return n != id->len || memcmp(a, id->data, n);
}

/*
 * "Identity behind NAT": a peer behind a NAT that uses its private
 * address as its identity (strongSwan's default without an id) while we
 * configured its public one, or the reverse. The identity mismatch is
 * logged by its caller; this adds why it likely happened and the fix.
 */
bool natt_id_hint(const struct ike_sa *sa, const struct cfg_id *want,
		  const struct cfg_id *got, char *buf, size_t size)
{
	char g[300], w[300], from[64];

	*buf = 0;
	if (!want || !want->type || !got ||
	    config_id_match(want, got) != CFG_ID_MATCH_NONE ||
	    (!sa->sa_nat_remote && !id_not_source(sa, got)))
		return false;
	ike_id_str(got, g, sizeof(g));
	ike_id_str(want, w, sizeof(w));
	net_addr_str(&sa->sa_peer, from, sizeof(from));
	snprintf(buf, size, "peer identity %s (%s) is not the configured "
		 "remote id %s; %s (its packets come from %s): configure "
		 "remote id = %s or set an explicit id on the peer", g,
		 id_kind(got), w, sa->sa_nat_remote ?
		 "the peer is behind a NAT" :
		 "the peer's identity is not its address", from, g);
	return true;
}

/*
 * The same mistake seen from the initiator: the IDr we send is the
 * identity the peer must have (3.5), so a peer with another identity
 * (its private address behind a NAT, or its public one) refuses us with
 * AUTHENTICATION_FAILED and never tells which identity it has.
 */
bool natt_idr_hint(const struct ike_sa *sa, const struct cfg_id *want,
		   char *buf, size_t size)
{
	char w[300], from[64];

	*buf = 0;
	if (!want || (want->type != IKEV2_ID_IPV4_ADDR &&
		      want->type != IKEV2_ID_IPV6_ADDR) ||
	    (!sa->sa_nat_remote && !id_not_source(sa, want)))
		return false;
	ike_id_str(want, w, sizeof(w));
	net_addr_str(&sa->sa_peer, from, sizeof(from));
	snprintf(buf, size, "we asked for the peer as remote id %s (IDr, "
		 "%s); %s (its packets come from %s), it likely identifies "
		 "as its address on the other side: configure remote id = "
		 "the identity the peer's log names, or set id = %s on the "
		 "peer", w, id_kind(want), sa->sa_nat_remote ?
		 "the peer is behind a NAT" :
		 "that is not the peer's address", from, w);
	return true;
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
