/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHILD SA rekeying beyond the plain exchange (ikev2_child.c): make
 * before break, collisions (RFC 7296 2.8.1), deletes crossing rekeys and
 * each other (1.4.1, 2.25), and the grace time of a deleted SA.
 */
#ifndef IKEDAEMON_IKEV2_CHILD_H
#define IKEDAEMON_IKEV2_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cfg_child;
struct child_rekey;
struct child_sa;
struct child_slot;
struct ike_sa;
struct ikev2_msg;
struct pld_builder;
struct prop;
struct ts;

#define CHILD_GRACE_MS		1000	/* ms an old inbound SA outlives
					 * its delete (packets in flight)
					 */
#define CHILD_RETRY_MS		2000	/* ms (plus up to as much again)
					 * before a refused rekey is retried
					 */

/*
 * The peer deletes the CHILD SA whose outbound SPI is spi_out. 0: answer
 * with the Delete of *spi_in; 1: handled, no Delete in the answer (both
 * ends deleting it at once, 1.4.1); -1: not one of the rekey's SAs
 * (child_sa_delete() then).
 */
int ikev2_child_peer_delete(struct ike_sa *sa, uint32_t spi_out,
			    uint32_t *spi_in);
/* The IKE SA goes: the rekey's extra SAs and timers with it. */
void ikev2_child_drop_all(struct ike_sa *sa);
/* <0, 0, >0 as nonce a is lower, equal, higher than b (2.8.1). */
int ikev2_child_nonce_cmp(const uint8_t *a, size_t alen, const uint8_t *b,
			  size_t blen);

/* Rekey one CHILD SA (ikev2_child_rekey_start() takes the first). */
int ikev2_child_rekey_slot(struct ike_sa *sa, struct child_slot *sl);
/* A CHILD SA rekey or creation is in flight. */
bool ikev2_child_busy(struct ike_sa *sa);
/* Ask the peer to delete the SA pair with our inbound SPI spi_in. */
int ikev2_child_send_delete(struct ike_sa *sa, uint32_t spi_in);

/* Shared with ikev2_child_new.c. */
void ikev2_child_esp_props(const struct cfg_child *cc, uint32_t spi,
			   bool pfs, struct prop *props, int *n);
uint16_t ikev2_child_pfs_group(const struct cfg_child *cc);
void ikev2_child_add_request(struct pld_builder *pb, const struct child_sa *cs,
			     const struct prop *props, int n,
			     const struct child_rekey *rk);
void ikev2_child_answer(struct ike_sa *sa, struct ikev2_msg *msg,
			uint16_t type, const uint8_t *data, size_t len);
/* PFS: g^ir into shared, our public value into pub; answers the request
 * itself (INVALID_KE_PAYLOAD, NO_PROPOSAL_CHOSEN) when it fails.
 */
int ikev2_child_dh(struct ike_sa *sa, struct ikev2_msg *msg,
		   const struct cfg_child *cc, uint16_t want,
		   uint8_t *shared, size_t *slen, uint8_t *pub);
/* The peer's answer for cs to our CREATE_CHILD_SA (rk: our nonce and PFS
 * key) or IKE_AUTH (rk NULL): SA, Nr, proposal and KE checked, logged as
 * "WHAT: cause"; 0 with cs's selection and outbound SPI, g^ir in shared.
 */
int ikev2_child_check_answer(struct ike_sa *sa, struct ikev2_msg *msg,
			     struct child_sa *cs,
			     const struct child_rekey *rk, const char *what,
			     uint8_t *shared, size_t *slen);
/* ... and its selectors (2.9) and transport mode: 0 with them in cs. */
int ikev2_child_check_ts(struct ike_sa *sa, struct ikev2_msg *msg,
			 struct child_sa *cs, const char *what);
/* Responder: the child whose selectors fit (narrowed into cs), or NULL
 * and a TS_UNACCEPTABLE diagnostic (more: for a further CHILD SA).
 */
const struct cfg_child *ikev2_child_pick(struct ike_sa *sa,
					 const struct ts *tsi, int n_tsi,
					 const struct ts *tsr, int n_tsr,
					 struct child_sa *cs, bool more);

/*
 * Further CHILD SAs on an IKE SA (1.3.1, ikev2_child_new.c): queued, then
 * created one CREATE_CHILD_SA at a time once the IKE SA is established.
 */
/* Queue child cc on sa unless it has it already; 1 if queued. */
int ikev2_child_queue(struct ike_sa *sa, const struct cfg_child *cc);
/* Queue every child of sa's connection it does not have yet, those with
 * start_action = start only if start_only. Returns how many.
 */
int ikev2_child_queue_conn(struct ike_sa *sa, bool start_only);
/* Create the next queued child as soon as the IKE SA is free. */
void ikev2_child_kick(struct ike_sa *sa);
void ikev2_child_new_request(struct ike_sa *sa, struct ikev2_msg *msg,
			     struct prop *props, int np);
void ikev2_child_new_response(struct ike_sa *sa, struct child_slot *sl,
			      struct ikev2_msg *msg);
/* Delete one CHILD SA ourselves (INFORMATIONAL, 1.4.1). */
int ikev2_child_delete(struct ike_sa *sa, struct child_slot *sl);

#endif
