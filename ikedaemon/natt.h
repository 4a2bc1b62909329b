/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT traversal state of an IKE SA (RFC 7296 2.23, RFC 3948): what NAT
 * detection found, the float to port 4500, UDP encapsulation of the
 * CHILD SAs, NAT keepalives from the side behind the NAT, and following
 * the peer when its NAT mapping changes. The detection hashes themselves
 * are in ikev2_sa_init.c.
 */
#ifndef IKEDAEMON_NATT_H
#define IKEDAEMON_NATT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct ike_sa;

/* NAT detection done (IKE_SA_INIT): log it; start keepalives if we are
 * behind a NAT.
 */
void natt_detected(struct ike_sa *sa);
/* An IKE message went to the peer: no keepalive is due for an interval
 * (RFC 3948 4).
 */
void natt_sent(struct ike_sa *sa);
/* Initiator after IKE_SA_INIT: a NAT in the path (or encap = yes) moves
 * IKE to port 4500 (2.23). true if it switched.
 */
bool natt_float(struct ike_sa *sa);
/* A NAT on the path (either side) or encap = yes. */
bool natt_encap_wanted(const struct ike_sa *sa);
/* ... and IKE is on port 4500: the CHILD SAs get ESP in UDP. */
bool natt_encap(const struct ike_sa *sa);
/* The peer was seen authenticated at peer (address and port), by what:
 * the IKE SA and its CHILD SAs follow; old and new are logged.
 */
void natt_peer_moved(struct ike_sa *sa, const struct sockaddr_storage *peer,
		     const char *by);
/* The peer's identity got is not want (a connection's remote id): when
 * the peer is behind a NAT (2.23), or got is an IP address other than
 * the one the peer's packets come from, a hint naming both identities,
 * the address seen and the fix, into buf; else "" (and false).
 */
struct cfg_id;
bool natt_id_hint(const struct ike_sa *sa, const struct cfg_id *want,
		  const struct cfg_id *got, char *buf, size_t size);
/* Initiator: the peer answered IKE_AUTH with AUTHENTICATION_FAILED after
 * we sent want (an IP address) as IDr while the peer is behind a NAT
 * (2.23) or want is not the address its packets come from: a hint that
 * the peer likely identifies as its address on the other side of the
 * NAT, with the fix, into buf; else "" (and false).
 */
bool natt_idr_hint(const struct ike_sa *sa, const struct cfg_id *want,
		   char *buf, size_t size);
/* One line for `ikectl status': "NAT-T: ..." or "" when not relevant. */
void natt_status(const struct ike_sa *sa, char *buf, size_t size);

#endif
