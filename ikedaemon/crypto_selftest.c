// SPDX-License-Identifier: GPL-2.0
/*
 * Crypto self-test at startup: every transform ikedaemon can negotiate is
 * run once before the first peer is answered. HMAC against RFC 2202 and
 * RFC 4231 (test case 2), each cipher encrypts and decrypts (and refuses a
 * flipped tag), each elliptic-curve group agrees with itself both ways. A
 * broken or misconfigured libcrypto (provider missing, algorithm disabled)
 * shows at start with the transform named, not at the first handshake; and
 * libcrypto's lazy set-up (provider tables, code pages) happens here, not
 * in the first peer's handshake.
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "crypto_selftest.h"
#include "dh.h"
#include "ikev2.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* HMAC test case 2: key "Jefe", "what do ya want for nothing?" */
static const struct {
	uint16_t prf;
	const char *name;
	const char *hex;
} hmac_kat[] = {
	{ IKEV2_PRF_HMAC_SHA1, "HMAC-SHA1",
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ IKEV2_PRF_HMAC_SHA2_256, "HMAC-SHA2-256",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ IKEV2_PRF_HMAC_SHA2_384, "HMAC-SHA2-384",
	  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	  "8e2240ca5e69e2c78b3239ecfab21649" },
	{ IKEV2_PRF_HMAC_SHA2_512, "HMAC-SHA2-512",
	  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
};

static const struct {
	uint16_t id, keylen;
	const char *name;
} encrs[] = {
	{ IKEV2_ENCR_AES_GCM_16, 128, "AES_GCM_16_128" },
	{ IKEV2_ENCR_AES_GCM_16, 192, "AES_GCM_16_192" },
	{ IKEV2_ENCR_AES_GCM_16, 256, "AES_GCM_16_256" },
	{ IKEV2_ENCR_CHACHA20_POLY1305, 0, "CHACHA20_POLY1305" },
	{ IKEV2_ENCR_AES_CBC, 128, "AES_CBC_128" },
	{ IKEV2_ENCR_AES_CBC, 192, "AES_CBC_192" },
	{ IKEV2_ENCR_AES_CBC, 256, "AES_CBC_256" },
};

/* The MODP groups are left out: a key pair costs tens of milliseconds. */
static const struct {
	uint16_t id;
	const char *name;
} groups[] = {
	{ IKEV2_DH_CURVE25519, "CURVE_25519" },
	{ IKEV2_DH_ECP_256, "ECP_256" },
	{ IKEV2_DH_ECP_384, "ECP_384" },
};

static int hex_eq(const uint8_t *p, size_t len, const char *hex)
{
	char h[2 * CRYPTO_MAX_PRF_OUT + 1];
	size_t i;

	if (2 * len != strlen(hex) || len > CRYPTO_MAX_PRF_OUT)
		return 0;
	for (i = 0; i < len; i++)
		snprintf(h + 2 * i, 3, "%02x", p[i]);
	return !strcmp(h, hex);
}

static const char *test_hmac(void)
{
	static const char data[] = "what do ya want for nothing?";
	uint8_t out[CRYPTO_MAX_PRF_OUT];
	const struct crypto_prf *prf;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hmac_kat); i++) {
		prf = crypto_prf_find(hmac_kat[i].prf);
		if (!prf || crypto_prf(prf, (const uint8_t *)"Jefe", 4,
				       (const uint8_t *)data,
				       sizeof(data) - 1, out) ||
		    !hex_eq(out, prf->out_len, hmac_kat[i].hex))
			return hmac_kat[i].name;
	}
	return NULL;
}

static const char *test_encr(void)
{
	uint8_t key[CRYPTO_MAX_ENCR_KEY], iv[CRYPTO_MAX_IV], aad[8];
	uint8_t pt[64], ct[64], back[64], tag[CRYPTO_MAX_ICV];
	const struct crypto_encr *e;
	size_t i;

	memset(key, 0x2b, sizeof(key));
	memset(iv, 0x5c, sizeof(iv));
	memset(aad, 0xa1, sizeof(aad));
	for (i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)i;
	for (i = 0; i < ARRAY_SIZE(encrs); i++) {
		e = crypto_encr_find(encrs[i].id, encrs[i].keylen);
		if (!e ||
		    crypto_encrypt(e, key, iv, aad, sizeof(aad), pt,
				   sizeof(pt), ct, tag) ||
		    !memcmp(ct, pt, sizeof(pt)) ||
		    crypto_decrypt(e, key, iv, aad, sizeof(aad), ct,
				   sizeof(ct), back, tag) ||
		    memcmp(back, pt, sizeof(pt)))
			return encrs[i].name;
		if (!e->aead)
			continue;
		tag[0] ^= 1;	/* a forged tag must not verify */
		if (!crypto_decrypt(e, key, iv, aad, sizeof(aad), ct,
				    sizeof(ct), back, tag))
			return encrs[i].name;
	}
	return NULL;
}

static const char *test_dh(void)
{
	uint8_t pa[DH_MAX_PUB], pb[DH_MAX_PUB];
	uint8_t sa[DH_MAX_SECRET], sb[DH_MAX_SECRET];
	size_t i, len, la, lb;
	const char *why, *bad = NULL;
	struct dh *a, *b;

	for (i = 0; i < ARRAY_SIZE(groups) && !bad; i++) {
		len = dh_pub_len(groups[i].id);
		a = dh_new(groups[i].id);
		b = dh_new(groups[i].id);
		if (!a || !b || dh_public(a, pa, len) || dh_public(b, pb, len) ||
		    dh_derive(a, pb, len, sa, &la, &why) ||
		    dh_derive(b, pa, len, sb, &lb, &why) || la != lb ||
		    crypto_memcmp(sa, sb, la))
			bad = groups[i].name;
		crypto_wipe(sa, sizeof(sa));
		crypto_wipe(sb, sizeof(sb));
		dh_free(a);
		dh_free(b);
	}
	return bad;
}

const char *crypto_selftest(void)
{
	const char *bad = test_hmac();

	if (!bad)
		bad = test_encr();
	if (!bad)
		bad = test_dh();
	return bad;
}
