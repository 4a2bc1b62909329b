/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What IKE_AUTH needs from IKE_SA_INIT (RFC 7427 4, RFC 7296 3.7): the
 * SIGNATURE_HASH_ALGORITHMS notify both ways and, from a responder whose
 * connection authenticates the peer by certificate, a CERTREQ.
 */
#ifndef IKEDAEMON_IKEV2_AUTH_H
#define IKEDAEMON_IKEV2_AUTH_H

struct ike_sa;
struct ikev2_msg;
struct pld_builder;

/* Record the peer's hash list from msg (if not NULL); add our payloads to
 * pb (if not NULL).
 */
void ikev2_auth_sa_init(struct ike_sa *sa, const struct ikev2_msg *msg,
			struct pld_builder *pb);

#endif
