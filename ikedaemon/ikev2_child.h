/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHILD SA rekeying beyond the plain exchange (ikev2_child.c): make
 * before break, collisions (RFC 7296 2.8.1), deletes crossing rekeys and
 * each other (1.4.1, 2.25), and the grace time of a deleted SA.
 */
#ifndef IKEDAEMON_IKEV2_CHILD_H
#define IKEDAEMON_IKEV2_CHILD_H

#include <stddef.h>
#include <stdint.h>

struct ike_sa;

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

#endif
