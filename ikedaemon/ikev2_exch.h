/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exchange handlers, one file each: ikev2_sa_init.c, ikev2_auth.c,
 * ikev2_child.c, ikev2_info.c. ikev2_msg.c calls them once a message
 * passed the header, message ID and integrity checks.
 */
#ifndef IKEDAEMON_IKEV2_EXCH_H
#define IKEDAEMON_IKEV2_EXCH_H

#include "child_sa.h"
#include "ike_sa.h"
#include "ikev2_msg.h"

/* IKE_SA_INIT (RFC 7296 1.2) */
int ikev2_sa_init_start(struct ike_sa *sa);
void ikev2_sa_init_recv_request(struct ikev2_msg *msg);
void ikev2_sa_init_recv_response(struct ike_sa *sa, struct ikev2_msg *msg);
bool ikev2_sa_init_stale(struct ike_sa *sa, const struct ikev2_msg *msg);
/* The selected transforms -> crypto descriptors; -1 if unusable. */
int ikev2_sa_init_algs(struct ike_sa *sa);
/* {SK_d | SK_ai | ... | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) */
int ikev2_sa_init_keys(struct ike_keys *k, const uint8_t *skeyseed,
		       const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		       size_t nr_len, const uint8_t *spi_i,
		       const uint8_t *spi_r);

/* IKE SA rekey (1.3.2, 2.18, collisions 2.8.2), in ikev2_ike_rekey.c.
 * Rekey the IKE SA ourselves after the connection's rekey_time.
 */
void ikev2_sa_init_rekey_arm(struct ike_sa *sa);
int ikev2_sa_init_rekey_start(struct ike_sa *sa);
/* The CREATE_CHILD_SA response to our IKE SA rekey. */
void ikev2_sa_init_rekey_recv(struct ike_sa *sa, struct ikev2_msg *msg);
/* The peer deletes sa, or sa goes: a rekey of it in flight is dropped. */
void ikev2_sa_init_rekey_peer_deleted(struct ike_sa *sa);
void ikev2_sa_init_rekey_abort(struct ike_sa *sa);
/* CREATE_CHILD_SA rekeying this IKE SA (1.3.2), props already decoded. */
void ikev2_sa_init_rekey(struct ike_sa *sa, struct ikev2_msg *msg,
			 const struct prop *props, int np);
/* SKEYSEED and SK_* from g^ir (2.14); exported for the known-answer test. */
int ikev2_sa_init_derive(struct ike_keys *k, const uint8_t *shared,
			 size_t slen, const uint8_t *ni, size_t ni_len,
			 const uint8_t *nr, size_t nr_len,
			 const uint8_t *spi_i, const uint8_t *spi_r);

/* IKE_AUTH (1.2, 2.15) */
int ikev2_auth_start(struct ike_sa *sa);
void ikev2_auth_recv_request(struct ike_sa *sa, struct ikev2_msg *msg);
void ikev2_auth_recv_response(struct ike_sa *sa, struct ikev2_msg *msg);
/* The PSK AUTH value (2.15), exported for tests. */
int ikev2_auth_psk(const struct crypto_prf *prf, const uint8_t *psk,
		   size_t psk_len, const struct buf *real_msg,
		   const uint8_t *nonce, size_t nonce_len,
		   const uint8_t *sk_p, const struct cfg_id *id,
		   uint8_t *out);

/* CHILD SAs: negotiated inside IKE_AUTH (1.2) and CREATE_CHILD_SA (1.3) */
int ikev2_child_request(struct ike_sa *sa, struct pld_builder *pb);
/* Responder: the CHILD SA part of the IKE_AUTH response. */
void ikev2_child_respond(struct ike_sa *sa, struct ikev2_msg *msg,
			 struct pld_builder *pb);
void ikev2_child_recv_auth(struct ike_sa *sa, struct ikev2_msg *msg);
void ikev2_child_recv_request(struct ike_sa *sa, struct ikev2_msg *msg);
void ikev2_child_recv_response(struct ike_sa *sa, struct ikev2_msg *msg);
/* Rekey the CHILD SA ourselves (on its soft expiry). */
int ikev2_child_rekey_start(struct ike_sa *sa);
/* The peer answered our delete of the rekeyed CHILD SA. */
void ikev2_child_delete_done(struct ike_sa *sa);

/* INFORMATIONAL (1.4) */
void ikev2_info_recv_request(struct ike_sa *sa, struct ikev2_msg *msg);
void ikev2_info_recv_response(struct ike_sa *sa, struct ikev2_msg *msg);
int ikev2_info_delete(struct ike_sa *sa);
int ikev2_info_dpd(struct ike_sa *sa);
/* Arm the periodic liveness check of an established SA (dpd_delay). */
void ikev2_info_dpd_start(struct ike_sa *sa);

#endif
