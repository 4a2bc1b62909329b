/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stateless COOKIEs of a responder under half-open load (RFC 7296 2.6):
 * above a threshold of half-open IKE SAs an IKE_SA_INIT request gets only
 * a COOKIE notify back, and state is created only for requests that
 * return a valid one.
 */
#ifndef IKEDAEMON_IKEV2_COOKIE_H
#define IKEDAEMON_IKEV2_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct ikev2_msg;

#define COOKIE_THRESHOLD_DEFAULT 30	/* half-open IKE SAs */
#define COOKIE_SECRET_LIFE	60000	/* ms a secret makes new cookies */
#define COOKIE_LEN		33	/* secret version | HMAC-SHA-256 */

/* Half-open IKE SAs from which on cookies are required; 0: always. */
void ikev2_cookie_set_threshold(unsigned int n);
/*
 * The responder's gate for an IKE_SA_INIT request: true when it was
 * answered with a COOKIE (no state may be created), false to go on.
 */
bool ikev2_cookie_gate(const struct ikev2_msg *msg);

/* Cookie = version | HMAC-SHA-256(secret, Ni | IPi | SPIi); for tests. */
int ikev2_cookie_make(uint8_t version, const uint8_t *ni, size_t ni_len,
		      const struct sockaddr_storage *peer,
		      const uint8_t *spi_i, uint8_t out[COOKIE_LEN]);
/* Valid for the current or the previous secret. */
bool ikev2_cookie_valid(const uint8_t *cookie, size_t len,
			const uint8_t *ni, size_t ni_len,
			const struct sockaddr_storage *peer,
			const uint8_t *spi_i);
/* Retire the current secret now (normally every COOKIE_SECRET_LIFE). */
void ikev2_cookie_rotate(void);

#endif
