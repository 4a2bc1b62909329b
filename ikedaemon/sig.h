/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signatures for the AUTH payload: Digital Signature (RFC 7427, method
 * 14) with RSA PKCS#1 v1.5 or ECDSA over SHA-256/384/512, and the older
 * RSA (method 1, SHA-1) and ECDSA (RFC 4754, methods 9/10/11) forms we
 * accept from peers and fall back to when a peer sent no
 * SIGNATURE_HASH_ALGORITHMS. Only OpenSSL EVP calls.
 */
#ifndef IKEDAEMON_SIG_H
#define IKEDAEMON_SIG_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "buf.h"

/* RFC 7427 4: hash algorithm identifiers (IANA). */
#define SIG_HASH_SHA1		1
#define SIG_HASH_SHA256		2
#define SIG_HASH_SHA384		3
#define SIG_HASH_SHA512		4
/* A mask of (1 << SIG_HASH_*). */
#define SIG_HASHES_OURS	((1u << SIG_HASH_SHA256) | \
			 (1u << SIG_HASH_SHA384) | \
			 (1u << SIG_HASH_SHA512))

/* Our SIGNATURE_HASH_ALGORITHMS notify data (2 bytes per hash). */
size_t sig_hashes_encode(uint8_t *out, size_t size);
/* The peer's list as a mask of (1 << id); unknown ids are ignored. */
unsigned int sig_hashes_decode(const uint8_t *p, size_t len);

/*
 * Sign octets with key. peer_hashes is the peer's mask (0 = it sent no
 * SIGNATURE_HASH_ALGORITHMS: RSA then signs as method 1, ECDSA as 9/10/11).
 * Appends the AUTH data to out, sets *method and writes the scheme's name
 * ("ecdsa-with-SHA256 (RFC 7427)") to scheme. -1 with a reason in err.
 */
int sig_sign(EVP_PKEY *key, unsigned int peer_hashes, const struct buf *octets,
	     uint8_t *method, struct buf *out, char *scheme, size_t slen,
	     char *err, size_t elen);

/*
 * Verify AUTH data of method with key over octets. 0 if it verifies; -1
 * with err naming the scheme and why (wrong key type, unknown algorithm,
 * bad signature). scheme gets the scheme's name either way.
 */
int sig_verify(EVP_PKEY *key, uint8_t method, const uint8_t *data,
	       size_t len, const struct buf *octets, char *scheme,
	       size_t slen, char *err, size_t elen);

/* "RSA-2048", "ECDSA P-256": for log lines. */
void sig_key_desc(EVP_PKEY *key, char *buf, size_t size);

#endif
