// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the IKE codec and crypto: payload building and parsing
 * (and rejection of malformed input), the SK payload for each transform,
 * DH for each group, proposal selection and its diagnostics, traffic
 * selector narrowing, and Wycheproof vectors for AEAD, X25519 and ECDH
 * (skipped when ../shared/vectors is absent).
 */
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"

#include "../crypto.h"
#include "../crypto_selftest.h"
#include "../dh.h"
#include "../ike_sa.h"
#include "../ikev2.h"
#include "../ikev2_exch.h"
#include "../ikev2_msg.h"
#include "../ikev2_pld.h"
#include "../log.h"
#include "../proposal.h"
#include "../ts.h"
#include "wycheproof.h"

/* A message of every payload the codec writes, parsed back. */
TEST(payload_roundtrip)
{
	struct prop p = { .num = 1, .proto = IKEV2_PROTO_IKE }, got[4];
	struct ts ts = { .type = IKEV2_TS_IPV4_ADDR_RANGE, .eport = 65535,
			 .start = { 10, 1, 0, 0 }, .end = { 10, 1, 0, 255 } };
	struct cfg_id id = { .type = IKEV2_ID_FQDN, .data = "moon", .len = 4 };
	struct ikev2_payloads pl = { 0 };
	uint8_t nonce[32] = { 1 }, ke[32] = { 2 };
	struct pld_builder pb;
	struct cfg_id id2;
	struct ts ts2[4];
	struct notify n;
	struct buf b;
	uint16_t group;
	const uint8_t *d;
	size_t len;
	int np;

	p.xf[p.n_xf++] = (struct cfg_xform){ IKEV2_XF_ENCR,
					     IKEV2_ENCR_AES_GCM_16, 256 };
	p.xf[p.n_xf++] = (struct cfg_xform){ IKEV2_XF_PRF,
					     IKEV2_PRF_HMAC_SHA2_256, 0 };
	p.xf[p.n_xf++] = (struct cfg_xform){ IKEV2_XF_DH,
					     IKEV2_DH_CURVE25519, 0 };
	buf_init(&b);
	pld_builder_init(&pb, &b);
	pld_add_sa(&pb, &p, 1);
	pld_add_ke(&pb, IKEV2_DH_CURVE25519, ke, sizeof(ke));
	pld_add_nonce(&pb, nonce, sizeof(nonce));
	pld_add_id(&pb, IKEV2_PLD_IDI, &id);
	pld_add_ts(&pb, IKEV2_PLD_TSI, &ts, 1);
	pld_add_notify(&pb, 0, NULL, 0, IKEV2_N_INITIAL_CONTACT, NULL, 0);
	ASSERT_EQ(0, b.err);
	ASSERT_EQ(IKEV2_PLD_SA, pb.first);
	ASSERT_EQ(0, ikev2_pld_parse(b.data, b.data, b.len, pb.first, &pl));
	ASSERT_EQ(0, pld_sa(&pl.sa, got, 4, &np));
	ASSERT_EQ(1, np);
	ASSERT_EQ(3, got[0].n_xf);
	EXPECT_EQ(256, got[0].xf[0].keylen);
	EXPECT_EQ(IKEV2_DH_CURVE25519, got[0].xf[2].id);
	pld_ke(&pl.ke, &group, &d, &len);
	EXPECT_EQ(IKEV2_DH_CURVE25519, group);
	EXPECT_EQ(32, len);
	EXPECT_EQ(32, pl.nonce.len);
	pld_id(&pl.idi, &id2);
	EXPECT_EQ(IKEV2_ID_FQDN, id2.type);
	EXPECT_EQ(0, memcmp(id2.data, "moon", 4));
	pld_ts(&pl.tsi, ts2, 4, &np);
	ASSERT_EQ(1, np);
	EXPECT_TRUE(ts_equal(&ts, &ts2[0]));
	EXPECT_EQ(24, ts_prefixlen(&ts2[0]));
	EXPECT_NE(NULL, pld_find_notify(&pl, IKEV2_N_INITIAL_CONTACT, &n));
	EXPECT_EQ(NULL, pld_find_error(&pl, &n));
	buf_free(&b);
}

/* Every way a length can lie is refused, never read past. */
TEST(payload_malformed)
{
	struct ikev2_payloads pl;
	uint8_t nonce[4] = { 0 };
	struct pld_builder pb;
	struct buf b;
	size_t cut;

	buf_init(&b);
	pld_builder_init(&pb, &b);
	pld_add_nonce(&pb, nonce, sizeof(nonce));	/* too short */
	memset(&pl, 0, sizeof(pl));
	EXPECT_EQ(-1, ikev2_pld_parse(b.data, b.data, b.len, pb.first, &pl));

	buf_reset(&b);
	pld_builder_init(&pb, &b);
	pld_add_notify(&pb, 0, NULL, 0, IKEV2_N_COOKIE, nonce, 4);
	for (cut = 0; cut < b.len; cut++) {
		memset(&pl, 0, sizeof(pl));
		EXPECT_EQ(-1, ikev2_pld_parse(b.data, b.data, cut, pb.first,
					      &pl));
	}
	b.data[1] = 0xff;	/* notify SPI size beyond the payload */
	memset(&pl, 0, sizeof(pl));
	b.data[4 + 1] = 200;
	EXPECT_EQ(-1, ikev2_pld_parse(b.data, b.data, b.len, pb.first, &pl));

	/* an unknown critical payload */
	buf_reset(&b);
	buf_put8(&b, 0);
	buf_put8(&b, IKEV2_CRITICAL);
	buf_put16(&b, 4);
	memset(&pl, 0, sizeof(pl));
	EXPECT_EQ(-1, ikev2_pld_parse(b.data, b.data, b.len, 200, &pl));
	EXPECT_EQ(200, pl.unsupported_critical);
	buf_free(&b);
}

/* SK payload: encrypt, decrypt, and refuse a flipped bit. */
static void sk_roundtrip(struct __test_metadata *_metadata, uint16_t encr,
			 uint16_t keylen, uint16_t integ)
{
	struct ike_keys k = { 0 };
	struct ikev2_hdr h = { .exchange = IKEV2_EXCH_IKE_AUTH,
			       .flags = IKEV2_FLAG_INITIATOR, .msgid = 1 };
	struct cfg_id id = { .type = IKEV2_ID_FQDN, .data = "sun", .len = 3 };
	struct ikev2_msg msg = { 0 };
	struct pld_builder pb;
	struct buf plds, out;
	struct cfg_id got;

	k.encr = crypto_encr_find(encr, keylen);
	k.integ = integ ? crypto_integ_find(integ) : NULL;
	k.prf = crypto_prf_find(IKEV2_PRF_HMAC_SHA2_256);
	ASSERT_NE(NULL, k.encr);
	crypto_random(k.sk_ei, sizeof(k.sk_ei));
	crypto_random(k.sk_ai, sizeof(k.sk_ai));
	buf_init(&plds);
	buf_init(&out);
	buf_init(&msg.plain);
	pld_builder_init(&pb, &plds);
	pld_add_id(&pb, IKEV2_PLD_IDI, &id);
	ASSERT_EQ(0, ikev2_msg_encode(&h, &k, true, &plds, pb.first, &out));
	ASSERT_EQ(0, ikev2_msg_parse(&msg, out.data, out.len));
	ASSERT_NE(NULL, msg.pl.sk.p);
	ASSERT_EQ(0, ikev2_msg_decrypt(&msg, &k, true));
	ASSERT_NE(NULL, msg.pl.idi.p);
	pld_id(&msg.pl.idi, &got);
	EXPECT_EQ(0, memcmp(got.data, "sun", 3));
	/* the responder's keys do not open it */
	memset(&msg.pl, 0, sizeof(msg.pl));
	ASSERT_EQ(0, ikev2_msg_parse(&msg, out.data, out.len));
	EXPECT_EQ(-1, ikev2_msg_decrypt(&msg, &k, false));
	/* neither does a flipped header bit (AAD / integrity) */
	out.data[20] ^= 0x80;
	memset(&msg.pl, 0, sizeof(msg.pl));
	ASSERT_EQ(0, ikev2_msg_parse(&msg, out.data, out.len));
	EXPECT_EQ(-1, ikev2_msg_decrypt(&msg, &k, true));
	ikev2_msg_free(&msg);
	buf_free(&plds);
	buf_free(&out);
}

TEST(sk_aes_gcm_256)
{
	sk_roundtrip(_metadata, IKEV2_ENCR_AES_GCM_16, 256, 0);
}

TEST(sk_chacha20_poly1305)
{
	sk_roundtrip(_metadata, IKEV2_ENCR_CHACHA20_POLY1305, 0, 0);
}

TEST(sk_aes_cbc_128_sha256)
{
	sk_roundtrip(_metadata, IKEV2_ENCR_AES_CBC, 128,
		     IKEV2_INTEG_HMAC_SHA2_256_128);
}

TEST(sk_aes_cbc_256_sha1)
{
	sk_roundtrip(_metadata, IKEV2_ENCR_AES_CBC, 256,
		     IKEV2_INTEG_HMAC_SHA1_96);
}

/* Both ends of every group agree; a wrong-length value is refused. */
TEST(dh_groups_agree)
{
	static const uint16_t groups[] = {
		IKEV2_DH_CURVE25519, IKEV2_DH_ECP_256, IKEV2_DH_ECP_384,
		IKEV2_DH_MODP_2048, IKEV2_DH_MODP_3072, IKEV2_DH_MODP_4096,
	};
	uint8_t pa[DH_MAX_PUB], pb[DH_MAX_PUB];
	uint8_t sa[DH_MAX_SECRET], sb[DH_MAX_SECRET];
	size_t i, la, lb, len;
	const char *why;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		struct dh *a = dh_new(groups[i]), *b = dh_new(groups[i]);

		ASSERT_NE(NULL, a);
		ASSERT_NE(NULL, b);
		len = dh_pub_len(groups[i]);
		ASSERT_EQ(0, dh_public(a, pa, len));
		ASSERT_EQ(0, dh_public(b, pb, len));
		ASSERT_EQ(0, dh_derive(a, pb, len, sa, &la, &why));
		ASSERT_EQ(0, dh_derive(b, pa, len, sb, &lb, &why));
		EXPECT_EQ(la, lb);
		EXPECT_EQ(0, memcmp(sa, sb, la));
		EXPECT_EQ(-1, dh_derive(a, pb, len - 1, sa, &la, &why));
		if (groups[i] >= IKEV2_DH_MODP_2048 &&
		    groups[i] <= IKEV2_DH_MODP_4096) {
			/* y = 1 and y = p - 1 are refused (RFC 6989 2.1) */
			memset(pb, 0, len);
			pb[len - 1] = 1;
			EXPECT_EQ(-1, dh_derive(a, pb, len, sa, &la, &why));
		}
		if (groups[i] == IKEV2_DH_ECP_256) {
			memset(pb, 0x42, len);	/* not on the curve */
			EXPECT_EQ(-1, dh_derive(a, pb, len, sa, &la, &why));
		}
		dh_free(a);
		dh_free(b);
	}
	EXPECT_EQ(NULL, dh_new(IKEV2_DH_MODP_1024));
}

/* Wycheproof X25519 (RFC 7748), with RFC 8031's all-zero refusal. */
TEST(wycheproof_x25519)
{
	uint8_t priv[64], pub[64], shared[64], out[DH_MAX_SECRET];
	char result[32];
	int n_ok = 0, lp, lq, ls;
	const char *why;
	struct wp w;
	size_t len;

	if (wp_open(&w, "x25519_test.json"))
		SKIP(return, "Wycheproof vectors not found");
	while (wp_next(&w)) {
		struct dh *dh;
		int ret;

		lp = wp_hex(&w, "private", priv, sizeof(priv));
		lq = wp_hex(&w, "public", pub, sizeof(pub));
		ls = wp_hex(&w, "shared", shared, sizeof(shared));
		wp_str(&w, "result", result, sizeof(result));
		if (lp != 32 || lq != 32 || ls != 32)
			continue;
		dh = dh_new_private(IKEV2_DH_CURVE25519, priv, 32);
		ASSERT_NE(NULL, dh);
		ret = dh_derive(dh, pub, 32, out, &len, &why);
		dh_free(dh);
		if (!strcmp(result, "invalid")) {
			EXPECT_EQ(-1, ret) TH_LOG("tcId %d accepted", w.tcid);
		} else if (ret == 0) {
			EXPECT_EQ(0, memcmp(out, shared, 32))
				TH_LOG("tcId %d: wrong secret", w.tcid);
		} else {
			/* only the all-zero secret may be refused */
			static const uint8_t zero[32];

			EXPECT_EQ(0, memcmp(shared, zero, 32))
				TH_LOG("tcId %d refused: %s", w.tcid, why);
		}
		n_ok++;
	}
	wp_close(&w);
	EXPECT_GT(n_ok, 400);
}

/* Wycheproof ECDH with encoded points: IKE carries x | y only, so other
 * encodings cannot arrive; invalid points must be refused.
 */
static void wycheproof_ecdh(struct __test_metadata *_metadata,
			    const char *file, uint16_t group, int flen)
{
	uint8_t priv[80], pub[200], shared[80], out[DH_MAX_SECRET];
	char result[32];
	int n = 0, lp, lq, ls;
	const char *why;
	struct wp w;
	size_t len;

	if (wp_open(&w, file))
		SKIP(return, "Wycheproof vectors not found");
	while (wp_next(&w)) {
		struct dh *dh;
		int ret;

		lp = wp_hex(&w, "private", priv, sizeof(priv));
		lq = wp_hex(&w, "public", pub, sizeof(pub));
		ls = wp_hex(&w, "shared", shared, sizeof(shared));
		wp_str(&w, "result", result, sizeof(result));
		if (lp <= 0 || lq != 2 * flen + 1 || pub[0] != 4)
			continue;	/* not expressible in a KE payload */
		dh = dh_new_private(group, priv, (size_t)lp);
		if (!dh)
			continue;	/* private scalar out of range */
		ret = dh_derive(dh, pub + 1, 2 * flen, out, &len, &why);
		dh_free(dh);
		if (!strcmp(result, "invalid")) {
			EXPECT_EQ(-1, ret) TH_LOG("tcId %d accepted", w.tcid);
		} else if (!strcmp(result, "valid")) {
			ASSERT_EQ(0, ret) TH_LOG("tcId %d: %s", w.tcid, why);
			EXPECT_EQ((size_t)ls, len);
			EXPECT_EQ(0, memcmp(out, shared, len))
				TH_LOG("tcId %d: wrong secret", w.tcid);
		}
		n++;
	}
	wp_close(&w);
	EXPECT_GT(n, 100);
}

TEST(wycheproof_ecdh_p256)
{
	wycheproof_ecdh(_metadata, "ecdh_secp256r1_ecpoint_test.json",
			IKEV2_DH_ECP_256, 32);
}

TEST(wycheproof_ecdh_p384)
{
	wycheproof_ecdh(_metadata, "ecdh_secp384r1_ecpoint_test.json",
			IKEV2_DH_ECP_384, 48);
}

/* Wycheproof AEAD with IKE's nonce split: salt (4) | IV (8). */
static void wycheproof_aead(struct __test_metadata *_metadata,
			    const char *file, uint16_t id)
{
	uint8_t key[64], iv[32], aad[256], msg[1024], ct[1024], tag[32];
	uint8_t out[1024], t[16];
	int lk, li, la, lm, lc, lt, n = 0;
	const struct crypto_encr *e;
	char result[32];
	struct wp w;

	if (wp_open(&w, file))
		SKIP(return, "Wycheproof vectors not found");
	while (wp_next(&w)) {
		lk = wp_hex(&w, "key", key, 32);
		li = wp_hex(&w, "iv", iv, sizeof(iv));
		la = wp_hex(&w, "aad", aad, sizeof(aad));
		lm = wp_hex(&w, "msg", msg, sizeof(msg));
		lc = wp_hex(&w, "ct", ct, sizeof(ct));
		lt = wp_hex(&w, "tag", tag, sizeof(tag));
		wp_str(&w, "result", result, sizeof(result));
		if (lk <= 0 || li != 12 || lt != 16 || la < 0 || lm < 0 ||
		    lc != lm)
			continue;
		e = crypto_encr_find(id, id == IKEV2_ENCR_AES_GCM_16 ?
				     (uint16_t)(lk * 8) : 0);
		if (!e || (size_t)lk + 4 != e->key_len)
			continue;
		memcpy(key + lk, iv, 4);	/* salt */
		if (!strcmp(result, "valid")) {
			ASSERT_EQ(0, crypto_encrypt(e, key, iv + 4, aad,
						    (size_t)la, msg,
						    (size_t)lm, out, t));
			EXPECT_EQ(0, memcmp(out, ct, (size_t)lm))
				TH_LOG("tcId %d", w.tcid);
			EXPECT_EQ(0, memcmp(t, tag, 16)) TH_LOG("tcId %d",
								w.tcid);
		}
		EXPECT_EQ(strcmp(result, "invalid") ? 0 : -1,
			  crypto_decrypt(e, key, iv + 4, aad, (size_t)la, ct,
					 (size_t)lc, out, tag))
			TH_LOG("tcId %d", w.tcid);
		n++;
	}
	wp_close(&w);
	EXPECT_GT(n, 50);
}

TEST(wycheproof_aes_gcm)
{
	wycheproof_aead(_metadata, "aes_gcm_test.json", IKEV2_ENCR_AES_GCM_16);
}

TEST(wycheproof_chacha20_poly1305)
{
	wycheproof_aead(_metadata, "chacha20_poly1305_test.json",
			IKEV2_ENCR_CHACHA20_POLY1305);
}

static void cfg_prop(struct cfg_proposal *c, const struct cfg_xform *xf,
		     int n)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->xf, xf, sizeof(*xf) * n);
	c->n_xf = n;
}

/* Selection follows our order; a miss names the type that differs. */
TEST(proposal_select_and_diagnose)
{
	const struct cfg_xform ours[] = {
		{ IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 256 },
		{ IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_256, 0 },
		{ IKEV2_XF_DH, IKEV2_DH_CURVE25519, 0 },
		{ IKEV2_XF_DH, IKEV2_DH_ECP_256, 0 },
	};
	const struct cfg_xform theirs[] = {
		{ IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC, 128 },
		{ IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_256, 0 },
		{ IKEV2_XF_DH, IKEV2_DH_ECP_256, 0 },
	};
	struct cfg_proposal cfg, other;
	struct prop_sel sel;
	struct prop p;
	char why[1024];

	cfg_prop(&cfg, ours, 4);
	proposal_from_cfg(&cfg, IKEV2_PROTO_IKE, 1, NULL, 0, &p);
	ASSERT_EQ(0, proposal_select(&p, 1, &cfg, 1, IKEV2_PROTO_IKE, false,
				     &sel, why, sizeof(why)));
	EXPECT_EQ(IKEV2_DH_CURVE25519, sel.dh);
	EXPECT_EQ(256, sel.encr_keylen);

	cfg_prop(&other, theirs, 4);
	proposal_from_cfg(&other, IKEV2_PROTO_IKE, 1, NULL, 0, &p);
	ASSERT_EQ(-1, proposal_select(&p, 1, &cfg, 1, IKEV2_PROTO_IKE, false,
				      &sel, why, sizeof(why)));
	TH_LOG("%s", why);
	EXPECT_NE(NULL, strstr(why, "no match for ENCR (received "
			       "AES_CBC_128, configured AES_GCM_16_256)"));
	EXPECT_EQ(NULL, strstr(why, "no match for DH"));
	EXPECT_EQ(NULL, strstr(why, "no match for PRF"));
}

/* ESP: an ESN mismatch is named; no ESN transform at all means "no". */
TEST(proposal_diagnose_esn)
{
	const struct cfg_xform ours[] = {
		{ IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 256 },
		{ IKEV2_XF_ESN, IKEV2_ESN_NO, 0 },
	};
	const struct cfg_xform theirs[] = {
		{ IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 256 },
		{ IKEV2_XF_ESN, IKEV2_ESN_YES, 0 },
	};
	struct cfg_proposal cfg, other;
	struct prop_sel sel;
	struct prop p;
	char why[1024];

	cfg_prop(&cfg, ours, 2);
	cfg_prop(&other, theirs, 2);
	proposal_from_cfg(&other, IKEV2_PROTO_ESP, 1, NULL, 0, &p);
	ASSERT_EQ(-1, proposal_select(&p, 1, &cfg, 1, IKEV2_PROTO_ESP, false,
				      &sel, why, sizeof(why)));
	TH_LOG("%s", why);
	EXPECT_NE(NULL, strstr(why, "no match for ESN (received ESN, "
			       "configured NO_EXT_SEQ)"));
	EXPECT_EQ(NULL, strstr(why, "no match for ENCR"));
	EXPECT_EQ(NULL, strstr(why, "no single proposal"));

	/* theirs without an ESN transform: "no ESN", which we take */
	cfg_prop(&other, theirs, 1);
	p.n_xf = 1;
	EXPECT_EQ(0, proposal_select(&p, 1, &cfg, 1, IKEV2_PROTO_ESP, false,
				     &sel, why, sizeof(why)));
}

TEST(ts_narrowing)
{
	struct ts prop = { .type = IKEV2_TS_IPV4_ADDR_RANGE, .eport = 65535,
			   .start = { 0, 0, 0, 0 },
			   .end = { 255, 255, 255, 255 } };
	struct ts cfg = { .type = IKEV2_TS_IPV4_ADDR_RANGE, .proto = 6,
			  .sport = 80, .eport = 80, .start = { 10, 0, 2, 0 },
			  .end = { 10, 0, 2, 255 } };
	struct ts far = { .type = IKEV2_TS_IPV4_ADDR_RANGE, .eport = 65535,
			  .start = { 10, 9, 0, 0 }, .end = { 10, 9, 0, 255 } };
	struct ts out[4];
	char s[TS_TEXT_MAX];

	ASSERT_EQ(1, ts_narrow(&prop, 1, &cfg, 1, out, 4));
	ts_format(&out[0], s, sizeof(s));
	EXPECT_STREQ("10.0.2.0/24[6/80]", s);
	EXPECT_EQ(0, ts_narrow(&far, 1, &cfg, 1, out, 4));
	far.end[3] = 9;
	ts_format(&far, s, sizeof(s));
	EXPECT_STREQ("10.9.0.0..10.9.0.9", s);
	EXPECT_EQ(-1, ts_prefixlen(&far));
}

/* prf+ spans blocks as T1 | T2 with Tn = prf(K, Tn-1 | S | n). */
TEST(prfplus_blocks)
{
	const struct crypto_prf *prf = crypto_prf_find(IKEV2_PRF_HMAC_SHA2_256);
	uint8_t key[32] = { 7 }, seed[5] = "seed", out[80], t[32], in[64];

	ASSERT_EQ(0, crypto_prfplus(prf, key, 32, seed, 4, out, 80));
	memcpy(in, seed, 4);
	in[4] = 1;
	ASSERT_EQ(0, crypto_prf(prf, key, 32, in, 5, t));
	EXPECT_EQ(0, memcmp(out, t, 32));
	memcpy(in, t, 32);
	memcpy(in + 32, seed, 4);
	in[36] = 2;
	ASSERT_EQ(0, crypto_prf(prf, key, 32, in, 37, t));
	EXPECT_EQ(0, memcmp(out + 32, t, 32));
	EXPECT_EQ(-1, crypto_prfplus(prf, key, 32, seed, 4, out,
				     256 * 32));
}

/* The startup self-test passes on a working libcrypto (its HMAC answers
 * are RFC 2202 / RFC 4231's).
 */
TEST(startup_selftest)
{
	const char *bad = crypto_selftest();

	EXPECT_TRUE(bad == NULL)
		TH_LOG("self-test failed: %s", bad);
}

TEST_HARNESS_MAIN
