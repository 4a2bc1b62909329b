/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diffie-Hellman for IKE (RFC 7296 2.14) over OpenSSL EVP_PKEY: groups 31
 * (X25519, RFC 8031), 19/20 (ECP, RFC 5903), 14/15/16 (MODP, RFC 3526).
 * Public values are in IKE's wire format: X25519 32 bytes, ECP x | y,
 * MODP zero-padded to the prime length. A peer's value is validated
 * before use (RFC 6989): on-curve, range, not all-zero.
 */
#ifndef IKEDAEMON_DH_H
#define IKEDAEMON_DH_H

#include <stddef.h>
#include <stdint.h>

#define DH_MAX_PUB	512	/* MODP_4096 */
#define DH_MAX_SECRET	512

struct dh;

int dh_supported(uint16_t group);
size_t dh_pub_len(uint16_t group);	/* 0 if unsupported */
/* A fresh key pair; NULL on error (unsupported group). */
struct dh *dh_new(uint16_t group);
/* Test hook: a key from a raw private value (X25519: 32 bytes; ECP: the
 * big-endian scalar, leading zero bytes allowed).
 */
struct dh *dh_new_private(uint16_t group, const uint8_t *priv, size_t len);
uint16_t dh_group(const struct dh *dh);
/* Our public value, dh_pub_len() bytes. */
int dh_public(const struct dh *dh, uint8_t *out, size_t outlen);
/* g^ir from the peer's public value. Returns 0 and the secret length in
 * *slen, or -1 with a reason in *why (for the log line).
 */
int dh_derive(const struct dh *dh, const uint8_t *peer, size_t plen,
	      uint8_t *secret, size_t *slen, const char **why);
void dh_free(struct dh *dh);

#endif
