// SPDX-License-Identifier: GPL-2.0
/*
 * Diffie-Hellman groups over OpenSSL 3 EVP_PKEY; see dh.h. Peer values go
 * through EVP_PKEY_public_check(): on the curve and not the point at
 * infinity for ECP (RFC 6989 2.3), 1 < y < p-1 for MODP (RFC 6989 2.1);
 * X25519's all-zero shared secret is refused (RFC 8031 2).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "dh.h"
#include "ikev2.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum dh_kind { DH_ECX, DH_ECP, DH_MODP };

struct dh_group {
	uint16_t id;
	enum dh_kind kind;
	const char *name;	/* OpenSSL group / algorithm name */
	size_t len;		/* public value length on the wire */
};

static const struct dh_group groups[] = {
	{ IKEV2_DH_CURVE25519, DH_ECX, "X25519", 32 },
	{ IKEV2_DH_ECP_256, DH_ECP, "P-256", 64 },
	{ IKEV2_DH_ECP_384, DH_ECP, "P-384", 96 },
	{ IKEV2_DH_MODP_2048, DH_MODP, "modp_2048", 256 },
	{ IKEV2_DH_MODP_3072, DH_MODP, "modp_3072", 384 },
	{ IKEV2_DH_MODP_4096, DH_MODP, "modp_4096", 512 },
};

struct dh {
	const struct dh_group *grp;
	EVP_PKEY *key;
};

static const struct dh_group *find(uint16_t group)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(groups); i++)
		if (groups[i].id == group)
			return &groups[i];
	return NULL;
}

int dh_supported(uint16_t group)
{
	return find(group) != NULL;
}

size_t dh_pub_len(uint16_t group)
{
	const struct dh_group *g = find(group);

	return g ? g->len : 0;
}

uint16_t dh_group(const struct dh *dh)
{
	return dh->grp->id;
}

/*
 * A key generation context per group, set up once (the algorithm fetched,
 * the group set) and kept: OpenSSL 3 otherwise fetches the key manager by
 * name and parses the group for every key. It holds no key material.
 */
static EVP_PKEY_CTX *keygen_ctx_new(const struct dh_group *g)
{
	static const char *const alg[] = {
		[DH_ECX] = "X25519", [DH_ECP] = "EC", [DH_MODP] = "DH",
	};
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg[g->kind],
							NULL);
	OSSL_PARAM params[2];

	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0)
		goto fail;
	if (g->kind != DH_ECX) {
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_PKEY_PARAM_GROUP_NAME, (char *)g->name, 0);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(ctx, params) <= 0)
			goto fail;
	}
	return ctx;
fail:
	EVP_PKEY_CTX_free(ctx);
	return NULL;
}

static EVP_PKEY *keygen(const struct dh_group *g)
{
	static EVP_PKEY_CTX *ctx[ARRAY_SIZE(groups)];
	size_t i = (size_t)(g - groups);
	EVP_PKEY *key = NULL;

	if (!ctx[i])
		ctx[i] = keygen_ctx_new(g);
	if (!ctx[i] || EVP_PKEY_generate(ctx[i], &key) <= 0)
		return NULL;
	return key;
}

struct dh *dh_new(uint16_t group)
{
	const struct dh_group *g = find(group);
	struct dh *dh;

	if (!g)
		return NULL;
	dh = calloc(1, sizeof(*dh));
	if (!dh)
		return NULL;
	dh->grp = g;
	dh->key = keygen(g);
	if (!dh->key) {
		free(dh);
		return NULL;
	}
	return dh;
}

/* Build a key from parameters (group name plus pub and/or priv). */
static EVP_PKEY *fromdata(const char *alg, int selection,
			  const OSSL_PARAM *params)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
	EVP_PKEY *key = NULL;

	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, selection, (OSSL_PARAM *)params) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

struct dh *dh_new_private(uint16_t group, const uint8_t *priv, size_t len)
{
	const struct dh_group *g = find(group);
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *bn = NULL;
	struct dh *dh;

	if (!g || g->kind == DH_MODP)
		return NULL;
	dh = calloc(1, sizeof(*dh));
	if (!dh)
		return NULL;
	dh->grp = g;
	if (g->kind == DH_ECX) {
		dh->key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL,
						       priv, len);
		goto out;
	}
	bn = BN_bin2bn(priv, (int)len, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (!bn || !bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     g->name, 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (params)
		dh->key = fromdata("EC", EVP_PKEY_KEYPAIR, params);
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(bn);
	if (!dh->key) {
		free(dh);
		return NULL;
	}
	return dh;
}

int dh_public(const struct dh *dh, uint8_t *out, size_t outlen)
{
	uint8_t pt[1 + 2 * 66];
	BIGNUM *bn = NULL;
	size_t len = outlen;
	int ret = -1;

	if (outlen != dh->grp->len)
		return -1;
	switch (dh->grp->kind) {
	case DH_ECX:
		if (EVP_PKEY_get_raw_public_key(dh->key, out, &len) == 1 &&
		    len == outlen)
			ret = 0;
		break;
	case DH_ECP:
		/* uncompressed point 0x04 | x | y; IKE drops the 0x04 */
		if (EVP_PKEY_get_octet_string_param(dh->key,
				OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt,
				sizeof(pt), &len) == 1 &&
		    len == outlen + 1 && pt[0] == 4) {
			memcpy(out, pt + 1, outlen);
			ret = 0;
		}
		break;
	case DH_MODP:
		if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY,
					  &bn) == 1 &&
		    BN_bn2binpad(bn, out, (int)outlen) == (int)outlen)
			ret = 0;
		BN_free(bn);
		break;
	}
	return ret;
}

/* A peer's X25519 value as a key, through an import context set up once
 * (as keygen()'s: no fetch by name per key).
 */
static EVP_PKEY *x25519_import(const uint8_t *peer, size_t plen)
{
	static EVP_PKEY_CTX *ctx;
	OSSL_PARAM params[2];
	EVP_PKEY *key = NULL;

	if (!ctx) {
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
		if (ctx && EVP_PKEY_fromdata_init(ctx) <= 0) {
			EVP_PKEY_CTX_free(ctx);
			ctx = NULL;
		}
		if (!ctx)
			return NULL;
	}
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      (void *)peer, plen);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		return NULL;
	return key;
}

/* The peer's public value as an EVP_PKEY, or NULL with *why set. */
static EVP_PKEY *peer_key(const struct dh_group *g, const uint8_t *peer,
			  size_t plen, const char **why)
{
	uint8_t pt[1 + 2 * 66];
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *bn = NULL;

	if (plen != g->len) {
		*why = "public value has the wrong length";
		return NULL;
	}
	if (g->kind == DH_ECX) {
		key = x25519_import(peer, plen);
		if (!key)
			*why = "cannot import X25519 public value";
		return key;
	}
	bld = OSSL_PARAM_BLD_new();
	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     g->name, 0))
		goto fail;
	if (g->kind == DH_ECP) {
		pt[0] = 4;
		memcpy(pt + 1, peer, plen);
		if (!OSSL_PARAM_BLD_push_octet_string(bld,
				OSSL_PKEY_PARAM_PUB_KEY, pt, plen + 1))
			goto fail;
	} else {
		bn = BN_bin2bn(peer, (int)plen, NULL);
		if (!bn || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY,
						   bn))
			goto fail;
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params)
		goto fail;
	key = fromdata(g->kind == DH_ECP ? "EC" : "DH", EVP_PKEY_PUBLIC_KEY,
		       params);
	if (!key) {
		*why = g->kind == DH_ECP ? "point not on the curve" :
					   "cannot import public value";
		goto out;
	}
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (!ctx || EVP_PKEY_public_check(ctx) != 1) {
		*why = g->kind == DH_ECP ? "point not on the curve" :
					   "public value out of range";
		EVP_PKEY_free(key);
		key = NULL;
	}
	goto out;
fail:
	*why = "out of memory";
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	return key;
}

int dh_derive(const struct dh *dh, const uint8_t *peer, size_t plen,
	      uint8_t *secret, size_t *slen, const char **why)
{
	static const uint8_t zero[32];
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk;
	size_t len = DH_MAX_SECRET;
	int ret = -1;

	*why = "internal error";
	pk = peer_key(dh->grp, peer, plen, why);
	if (!pk)
		return -1;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	if (dh->grp->kind == DH_MODP && EVP_PKEY_CTX_set_dh_pad(ctx, 1) <= 0)
		goto out;
	if (EVP_PKEY_derive_set_peer_ex(ctx, pk, 0) <= 0) {
		*why = "peer public value rejected";
		goto out;
	}
	if (EVP_PKEY_derive(ctx, secret, &len) <= 0) {
		*why = dh->grp->kind == DH_ECX ?
			"low-order point (all-zero shared secret)" :
			"derivation failed";
		goto out;
	}
	if (dh->grp->kind == DH_ECX &&
	    (len != 32 || CRYPTO_memcmp(secret, zero, 32) == 0)) {
		OPENSSL_cleanse(secret, len);
		*why = "low-order point (all-zero shared secret)";
		goto out;
	}
	*slen = len;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ret;
}

void dh_free(struct dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}
