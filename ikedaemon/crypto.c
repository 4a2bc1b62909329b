// SPDX-License-Identifier: GPL-2.0
/*
 * OpenSSL EVP wrappers for the IKE SA: AES-GCM (RFC 5282), ChaCha20-Poly1305
 * (RFC 7634), AES-CBC with HMAC-SHA2 (RFC 4868), HMAC PRFs and prf+
 * (RFC 7296 2.13). Tables, not switch statements: adding a transform is a
 * line.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto.h"
#include "ikev2.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* key_len at most CRYPTO_MAX_ENCR_KEY (the SK_e buffers of an IKE SA) */
static const struct crypto_encr encr_tab[] = {
	{ IKEV2_ENCR_AES_GCM_16, 128, "AES-128-GCM", 20, 4, 8, 16, 1, true },
	{ IKEV2_ENCR_AES_GCM_16, 192, "AES-192-GCM", 28, 4, 8, 16, 1, true },
	{ IKEV2_ENCR_AES_GCM_16, 256, "AES-256-GCM", 36, 4, 8, 16, 1, true },
	{ IKEV2_ENCR_CHACHA20_POLY1305, 0, "ChaCha20-Poly1305", 36, 4, 8, 16,
	  1, true },
	{ IKEV2_ENCR_AES_CBC, 128, "AES-128-CBC", 16, 0, 16, 0, 16, false },
	{ IKEV2_ENCR_AES_CBC, 192, "AES-192-CBC", 24, 0, 16, 0, 16, false },
	{ IKEV2_ENCR_AES_CBC, 256, "AES-256-CBC", 32, 0, 16, 0, 16, false },
};

static const struct crypto_integ integ_tab[] = {
	{ IKEV2_INTEG_HMAC_SHA1_96, "SHA1", 20, 12 },
	{ IKEV2_INTEG_HMAC_SHA2_256_128, "SHA2-256", 32, 16 },
	{ IKEV2_INTEG_HMAC_SHA2_384_192, "SHA2-384", 48, 24 },
	{ IKEV2_INTEG_HMAC_SHA2_512_256, "SHA2-512", 64, 32 },
};

static const struct crypto_prf prf_tab[] = {
	{ IKEV2_PRF_HMAC_SHA1, "SHA1", 20, 20 },
	{ IKEV2_PRF_HMAC_SHA2_256, "SHA2-256", 32, 32 },
	{ IKEV2_PRF_HMAC_SHA2_384, "SHA2-384", 48, 48 },
	{ IKEV2_PRF_HMAC_SHA2_512, "SHA2-512", 64, 64 },
};

const struct crypto_encr *crypto_encr_find(uint16_t id, uint16_t keylen)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(encr_tab); i++)
		if (encr_tab[i].id == id && encr_tab[i].keylen == keylen)
			return &encr_tab[i];
	return NULL;
}

const struct crypto_integ *crypto_integ_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(integ_tab); i++)
		if (integ_tab[i].id == id)
			return &integ_tab[i];
	return NULL;
}

const struct crypto_prf *crypto_prf_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(prf_tab); i++)
		if (prf_tab[i].id == id)
			return &prf_tab[i];
	return NULL;
}

/*
 * An HMAC context with its digest set and no key, made once per digest and
 * kept: OpenSSL 3 looks the digest up by name in the provider store (locks,
 * name lookups) on every EVP_MAC_init() given OSSL_MAC_PARAM_DIGEST, which
 * was most of a short HMAC. Each operation runs on a duplicate, so no key
 * state stays behind (EVP_MAC_CTX_free() wipes it). A digest outside the
 * tables (a test) gets a template of its own, *owned set.
 */
static const char *const hmac_mds[] = { "SHA1", "SHA2-256", "SHA2-384",
					"SHA2-512" };

static EVP_MAC_CTX *hmac_template_new(const char *md)
{
	static EVP_MAC *mac;
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;

	if (!mac)
		mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return NULL;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_CTX_set_params(ctx, params)) {
		EVP_MAC_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static EVP_MAC_CTX *hmac_template(const char *md, bool *owned)
{
	static EVP_MAC_CTX *tmpl[ARRAY_SIZE(hmac_mds)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hmac_mds); i++) {
		if (strcmp(md, hmac_mds[i]))
			continue;
		if (!tmpl[i])
			tmpl[i] = hmac_template_new(md);
		*owned = false;
		return tmpl[i];
	}
	*owned = true;
	return hmac_template_new(md);
}

/* HMAC-<md>(key, v[0] | ... | v[n-1]); out receives the full digest. */
static int hmac_iov(const char *md, const uint8_t *key, size_t klen,
		    const struct crypto_iov *v, int n, uint8_t *out,
		    size_t outsize)
{
	EVP_MAC_CTX *tmpl, *ctx = NULL;
	size_t outl = 0;
	int i, ret = -1;
	bool owned;

	tmpl = hmac_template(md, &owned);
	if (!tmpl)
		return -1;
	ctx = EVP_MAC_CTX_dup(tmpl);
	if (!ctx)
		goto out;
	if (!EVP_MAC_init(ctx, key, klen, NULL))
		goto out;
	for (i = 0; i < n; i++)
		if (v[i].len && !EVP_MAC_update(ctx, v[i].p, v[i].len))
			goto out;
	if (!EVP_MAC_final(ctx, out, &outl, outsize))
		goto out;
	ret = 0;
out:
	EVP_MAC_CTX_free(ctx);
	if (owned)
		EVP_MAC_CTX_free(tmpl);
	return ret;
}

int crypto_prf_iov(const struct crypto_prf *prf, const uint8_t *key,
		   size_t klen, const struct crypto_iov *v, int n,
		   uint8_t *out)
{
	return hmac_iov(prf->md, key, klen, v, n, out, CRYPTO_MAX_PRF_OUT);
}

int crypto_prf(const struct crypto_prf *prf, const uint8_t *key,
	       size_t klen, const uint8_t *data, size_t dlen, uint8_t *out)
{
	struct crypto_iov v = { data, dlen };

	return crypto_prf_iov(prf, key, klen, &v, 1, out);
}

/* T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n) (RFC 7296 2.13). */
int crypto_prfplus(const struct crypto_prf *prf, const uint8_t *key,
		   size_t klen, const uint8_t *seed, size_t slen,
		   uint8_t *out, size_t outlen)
{
	uint8_t t[CRYPTO_MAX_PRF_OUT], ctr = 1;
	struct crypto_iov v[3];
	size_t done = 0, n;
	int ret = -1;

	if (outlen > 255 * prf->out_len)
		return -1;
	while (done < outlen) {
		v[0].p = t;
		v[0].len = ctr == 1 ? 0 : prf->out_len;
		v[1].p = seed;
		v[1].len = slen;
		v[2].p = &ctr;
		v[2].len = 1;
		if (crypto_prf_iov(prf, key, klen, v, 3, t))
			goto out;
		n = outlen - done < prf->out_len ? outlen - done : prf->out_len;
		memcpy(out + done, t, n);
		done += n;
		ctr++;
	}
	ret = 0;
out:
	OPENSSL_cleanse(t, sizeof(t));
	return ret;
}

int crypto_integ_mac(const struct crypto_integ *integ, const uint8_t *key,
		     const uint8_t *data, size_t len, uint8_t *out)
{
	uint8_t full[CRYPTO_MAX_PRF_OUT];
	struct crypto_iov v = { data, len };

	if (hmac_iov(integ->md, key, integ->key_len, &v, 1, full,
		     sizeof(full)))
		return -1;
	memcpy(out, full, integ->out_len);
	return 0;
}

/*
 * The EVP_CIPHER of a table entry, fetched once and kept (a fetch is a
 * lock and a lookup by name in the provider store, per message otherwise);
 * an entry from elsewhere (a test) is fetched each time and *owned set.
 */
static EVP_CIPHER *cipher_get(const struct crypto_encr *e, bool *owned)
{
	static EVP_CIPHER *fetched[ARRAY_SIZE(encr_tab)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(encr_tab); i++) {
		if (e != &encr_tab[i])
			continue;
		if (!fetched[i])
			fetched[i] = EVP_CIPHER_fetch(NULL, e->cipher, NULL);
		*owned = false;
		return fetched[i];
	}
	*owned = true;
	return EVP_CIPHER_fetch(NULL, e->cipher, NULL);
}

/* One cipher operation; enc = 1 encrypts, 0 decrypts and checks the tag. */
static int cipher(const struct crypto_encr *e, int enc, const uint8_t *key,
		  const uint8_t *iv, const uint8_t *aad, size_t aadlen,
		  const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
{
	uint8_t nonce[CRYPTO_MAX_IV];
	EVP_CIPHER *c = NULL;
	EVP_CIPHER_CTX *ctx = NULL;
	size_t klen = e->key_len - e->salt_len;
	int outl, ret = -1;
	bool owned;

	if (len > INT32_MAX || aadlen > INT32_MAX)
		return -1;
	c = cipher_get(e, &owned);
	ctx = EVP_CIPHER_CTX_new();
	if (!c || !ctx)
		goto out;
	if (e->aead) {
		memcpy(nonce, key + klen, e->salt_len);
		memcpy(nonce + e->salt_len, iv, e->iv_len);
	} else {
		memcpy(nonce, iv, e->iv_len);
	}
	if (!EVP_CipherInit_ex2(ctx, c, NULL, NULL, enc, NULL))
		goto out;
	if (e->aead && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN,
					    e->salt_len + e->iv_len, NULL))
		goto out;
	if (!EVP_CipherInit_ex2(ctx, NULL, key, nonce, enc, NULL))
		goto out;
	if (!e->aead)
		EVP_CIPHER_CTX_set_padding(ctx, 0);
	if (e->aead && !enc &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, e->icv_len,
				 tag))
		goto out;
	if (e->aead && aadlen &&
	    !EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aadlen))
		goto out;
	if (len && !EVP_CipherUpdate(ctx, out, &outl, in, (int)len))
		goto out;
	if (!EVP_CipherFinal_ex(ctx, out + (len ? outl : 0), &outl))
		goto out;
	if (e->aead && enc &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, e->icv_len, tag))
		goto out;
	ret = 0;
out:
	OPENSSL_cleanse(nonce, sizeof(nonce));
	EVP_CIPHER_CTX_free(ctx);
	if (owned)
		EVP_CIPHER_free(c);
	return ret;
}

int crypto_encrypt(const struct crypto_encr *e, const uint8_t *key,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen,
		   const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
{
	return cipher(e, 1, key, iv, aad, aadlen, in, len, out, tag);
}

int crypto_decrypt(const struct crypto_encr *e, const uint8_t *key,
		   const uint8_t *iv, const uint8_t *aad, size_t aadlen,
		   const uint8_t *in, size_t len, uint8_t *out,
		   const uint8_t *tag)
{
	return cipher(e, 0, key, iv, aad, aadlen, in, len, out,
		      (uint8_t *)tag);
}

/* SHA-1 (the NAT detection hashes, four per IKE_SA_INIT exchange) with
 * the digest fetched once: EVP_sha1() is looked up in the provider store
 * by name on every EVP_DigestInit_ex().
 */
int crypto_sha1(const struct crypto_iov *v, int n, uint8_t out[20])
{
	static EVP_MD *sha1;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int i, ret = -1;

	if (!sha1)
		sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	if (!ctx || !sha1 || !EVP_DigestInit_ex(ctx, sha1, NULL))
		goto out;
	for (i = 0; i < n; i++)
		if (!EVP_DigestUpdate(ctx, v[i].p, v[i].len))
			goto out;
	if (!EVP_DigestFinal_ex(ctx, out, NULL))
		goto out;
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

int crypto_random(void *p, size_t n)
{
	return RAND_bytes(p, (int)n) == 1 ? 0 : -1;
}

void crypto_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}

int crypto_memcmp(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n);
}
