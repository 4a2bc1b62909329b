/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKE SA cryptography over OpenSSL EVP: the encryption, integrity and PRF
 * transforms we negotiate, prf+ (RFC 7296 2.13) and the helpers the SK
 * payload needs. Every key buffer handed out is the caller's to wipe.
 */
#ifndef IKEDAEMON_CRYPTO_H
#define IKEDAEMON_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_MAX_KEY		64	/* longest key of any transform */
#define CRYPTO_MAX_ENCR_KEY	36	/* AES-256-GCM, ChaCha20-Poly1305: key | salt */
#define CRYPTO_MAX_PRF_OUT	64	/* SHA-512 */
#define CRYPTO_MAX_IV		16
#define CRYPTO_MAX_ICV		32

struct crypto_encr {
	uint16_t id;		/* IKEV2_ENCR_* */
	uint16_t keylen;	/* bits, as negotiated (0: fixed) */
	const char *cipher;	/* OpenSSL name */
	size_t key_len;		/* bytes, salt included (RFC 5282 7.1) */
	size_t salt_len;
	size_t iv_len;		/* explicit IV carried in the SK payload */
	size_t icv_len;		/* AEAD tag; 0 for CBC (integ supplies it) */
	size_t block;		/* padding unit */
	bool aead;
};

struct crypto_integ {
	uint16_t id;		/* IKEV2_INTEG_* */
	const char *md;
	size_t key_len;
	size_t out_len;		/* truncated ICV */
};

struct crypto_prf {
	uint16_t id;		/* IKEV2_PRF_* */
	const char *md;
	size_t key_len;		/* preferred key size */
	size_t out_len;
};

struct crypto_iov {
	const void *p;
	size_t len;
};

const struct crypto_encr *crypto_encr_find(uint16_t id, uint16_t keylen);
const struct crypto_integ *crypto_integ_find(uint16_t id);
const struct crypto_prf *crypto_prf_find(uint16_t id);

/* prf(K, S) with S the concatenation of v[0..n-1]; out gets out_len. */
int crypto_prf_iov(const struct crypto_prf *prf, const uint8_t *key,
		   size_t klen, const struct crypto_iov *v, int n,
		   uint8_t *out);
int crypto_prf(const struct crypto_prf *prf, const uint8_t *key,
	       size_t klen, const uint8_t *data, size_t dlen, uint8_t *out);
/* prf+(K, S) = T1 | T2 | ..., at most 255 blocks (RFC 7296 2.13). */
int crypto_prfplus(const struct crypto_prf *prf, const uint8_t *key,
		   size_t klen, const uint8_t *seed, size_t slen,
		   uint8_t *out, size_t outlen);
/* Truncated HMAC over data, out_len bytes. */
int crypto_integ_mac(const struct crypto_integ *integ, const uint8_t *key,
		     const uint8_t *data, size_t len, uint8_t *out);

/* Encrypt/decrypt in place-capable (out may equal in). AEAD: key is
 * key_len bytes (cipher key then salt), the nonce is salt | iv, tag is
 * icv_len bytes. CBC: aad and tag are ignored, len a multiple of block.
 * crypto_decrypt() returns -1 when the tag does not verify.
 */
int crypto_encrypt(const struct crypto_encr *e, const uint8_t *key,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen,
		   const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag);
int crypto_decrypt(const struct crypto_encr *e, const uint8_t *key,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen,
		   const uint8_t *in, size_t len, uint8_t *out,
		   const uint8_t *tag);

int crypto_sha1(const struct crypto_iov *v, int n, uint8_t out[20]);
int crypto_random(void *p, size_t n);
void crypto_wipe(void *p, size_t n);
/* Constant-time comparison, 0 if equal. */
int crypto_memcmp(const void *a, const void *b, size_t n);

#endif
