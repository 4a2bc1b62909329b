// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the responder's COOKIEs (RFC 7296 2.6): a cookie binds
 * Ni, the initiator's address and SPIi, survives one secret change and
 * not two, and the gate asks for one and then lets the request through;
 * of the rekey collision rule (2.8.1): the exchange with the lowest
 * nonce loses; and of an authenticated request carrying an unknown
 * critical payload: answered UNSUPPORTED_CRITICAL_PAYLOAD (2.5).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"

#include "../child_sa.h"
#include "../crypto.h"
#include "../ike_sa.h"
#include "../ikev2.h"
#include "../ikev2_child.h"
#include "../ikev2_cookie.h"
#include "../ikev2_msg.h"
#include "../ikev2_pld.h"

static void addr4(struct sockaddr_storage *ss, const char *a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(500);
	inet_pton(AF_INET, a, &sin->sin_addr);
}

TEST(cookie_binds_ni_ip_spi)
{
	uint8_t ni[32] = { 1, 2, 3 }, spi[8] = { 9, 8, 7 }, c[COOKIE_LEN];
	uint8_t other[8] = { 9, 8, 6 };
	struct sockaddr_storage peer, p2;

	addr4(&peer, "192.0.2.2");
	addr4(&p2, "192.0.2.3");
	ikev2_cookie_rotate();
	/* the version byte selects the secret: find the current one */
	ASSERT_EQ(0, ikev2_cookie_make(0, ni, 32, &peer, spi, c) &&
		  ikev2_cookie_make(1, ni, 32, &peer, spi, c) ? -1 : 0);
	EXPECT_TRUE(ikev2_cookie_valid(c, COOKIE_LEN, ni, 32, &peer, spi));
	EXPECT_FALSE(ikev2_cookie_valid(c, COOKIE_LEN, ni, 32, &p2, spi));
	EXPECT_FALSE(ikev2_cookie_valid(c, COOKIE_LEN, ni, 32, &peer, other));
	EXPECT_FALSE(ikev2_cookie_valid(c, COOKIE_LEN, ni, 31, &peer, spi));
	EXPECT_FALSE(ikev2_cookie_valid(c, COOKIE_LEN - 1, ni, 32, &peer,
					spi));
	c[5] ^= 1;
	EXPECT_FALSE(ikev2_cookie_valid(c, COOKIE_LEN, ni, 32, &peer, spi));
}

TEST(cookie_survives_one_rotation)
{
	uint8_t ni[32] = { 4 }, spi[8] = { 5 }, c[COOKIE_LEN];
	struct sockaddr_storage peer;
	int v;

	addr4(&peer, "192.0.2.2");
	ikev2_cookie_rotate();
	for (v = 0; v < 256; v++)
		if (!ikev2_cookie_make((uint8_t)v, ni, 32, &peer, spi, c))
			break;
	ASSERT_LT(v, 256);
	ikev2_cookie_rotate();
	EXPECT_TRUE(ikev2_cookie_valid(c, COOKIE_LEN, ni, 32, &peer, spi));
	ikev2_cookie_rotate();
	EXPECT_FALSE(ikev2_cookie_valid(c, COOKIE_LEN, ni, 32, &peer, spi));
}

/* An IKE_SA_INIT request as received, with an optional COOKIE first. */
static void init_request(struct ikev2_msg *msg, struct buf *raw,
			 const uint8_t *cookie, size_t clen)
{
	struct prop p = { .num = 1, .proto = IKEV2_PROTO_IKE };
	struct ikev2_hdr h = { .spi_i = 0x1122334455667788ull,
			       .exchange = IKEV2_EXCH_IKE_SA_INIT,
			       .flags = IKEV2_FLAG_INITIATOR };
	uint8_t nonce[32] = { 7 }, ke[32] = { 8 };
	struct pld_builder pb;
	struct buf plds;

	buf_init(&plds);
	buf_init(raw);
	pld_builder_init(&pb, &plds);
	if (cookie)
		pld_add_notify(&pb, 0, NULL, 0, IKEV2_N_COOKIE, cookie, clen);
	p.xf[p.n_xf++] = (struct cfg_xform){ IKEV2_XF_ENCR,
					     IKEV2_ENCR_AES_GCM_16, 256 };
	pld_add_sa(&pb, &p, 1);
	pld_add_ke(&pb, IKEV2_DH_CURVE25519, ke, sizeof(ke));
	pld_add_nonce(&pb, nonce, sizeof(nonce));
	ikev2_msg_encode(&h, NULL, true, &plds, pb.first, raw);
	buf_free(&plds);
	memset(msg, 0, sizeof(*msg));
	buf_init(&msg->plain);
	addr4(&msg->peer, "192.0.2.2");
	addr4(&msg->local, "192.0.2.1");
}

TEST(cookie_gate)
{
	struct ikev2_msg msg;
	uint8_t c[COOKIE_LEN];
	struct buf raw;
	int v;

	ikev2_cookie_set_threshold(0);		/* always */
	init_request(&msg, &raw, NULL, 0);
	ASSERT_EQ(0, ikev2_msg_parse(&msg, raw.data, raw.len));
	EXPECT_TRUE(ikev2_cookie_gate(&msg));	/* answered: no state */
	for (v = 0; v < 256; v++)
		if (!ikev2_cookie_make((uint8_t)v, msg.pl.nonce.p,
				       msg.pl.nonce.len, &msg.peer,
				       (const uint8_t *)&msg.hdr.spi_i, c))
			break;
	ASSERT_LT(v, 256);
	ikev2_msg_free(&msg);
	buf_free(&raw);

	init_request(&msg, &raw, c, sizeof(c));
	ASSERT_EQ(0, ikev2_msg_parse(&msg, raw.data, raw.len));
	EXPECT_FALSE(ikev2_cookie_gate(&msg));	/* valid: go on */
	ikev2_msg_free(&msg);
	buf_free(&raw);

	c[1] ^= 0x80;
	init_request(&msg, &raw, c, sizeof(c));
	ASSERT_EQ(0, ikev2_msg_parse(&msg, raw.data, raw.len));
	EXPECT_TRUE(ikev2_cookie_gate(&msg));	/* forged: asked again */
	ikev2_msg_free(&msg);
	buf_free(&raw);

	ikev2_cookie_set_threshold(COOKIE_THRESHOLD_DEFAULT);
	init_request(&msg, &raw, NULL, 0);
	ASSERT_EQ(0, ikev2_msg_parse(&msg, raw.data, raw.len));
	EXPECT_FALSE(ikev2_cookie_gate(&msg));	/* no load: no cookie */
	ikev2_msg_free(&msg);
	buf_free(&raw);
}

/* 2.8.1: nonces compare as byte strings; a prefix is the lower one. */
TEST(rekey_collision_nonce_order)
{
	uint8_t a[32] = { 0x10 }, b[32] = { 0x10, 0x01 };

	EXPECT_LT(ikev2_child_nonce_cmp(a, 32, b, 32), 0);
	EXPECT_GT(ikev2_child_nonce_cmp(b, 32, a, 32), 0);
	EXPECT_EQ(0, ikev2_child_nonce_cmp(a, 32, a, 32));
	EXPECT_LT(ikev2_child_nonce_cmp(a, 16, a, 32), 0);
	EXPECT_GT(ikev2_child_nonce_cmp(b, 32, b, 16), 0);
	b[0] = 0x0f;
	EXPECT_LT(ikev2_child_nonce_cmp(b, 32, a, 16), 0);
}

/*
 * An INFORMATIONAL request on an established IKE SA, authenticated, with
 * a critical payload of unknown type 250 after a notify: the responder
 * answers with UNSUPPORTED_CRITICAL_PAYLOAD naming 250, uses up the
 * message ID, and processes nothing else of the request.
 */
TEST(critical_payload_in_sk)
{
	struct ikev2_hdr h = { .exchange = IKEV2_EXCH_INFORMATIONAL,
			       .flags = IKEV2_FLAG_INITIATOR, .msgid = 0 };
	struct sockaddr_storage local, peer;
	struct ikev2_msg resp = { 0 };
	struct pld_builder pb;
	struct buf plds, out;
	struct notify n;
	struct ike_sa *sa;
	size_t off;

	addr4(&local, "192.0.2.1");
	addr4(&peer, "192.0.2.2");
	sa = ike_sa_new(false, NULL);
	ASSERT_NE(NULL, sa);
	sa->sa_state = IKE_S_ESTABLISHED;
	sa->sa_local = local;
	sa->sa_peer = peer;
	crypto_random(sa->sa_spi_i, 8);
	sa->sa_k.encr = crypto_encr_find(IKEV2_ENCR_AES_GCM_16, 256);
	sa->sa_k.prf = crypto_prf_find(IKEV2_PRF_HMAC_SHA2_256);
	ASSERT_NE(NULL, sa->sa_k.encr);
	crypto_random(sa->sa_k.sk_ei, sizeof(sa->sa_k.sk_ei));
	crypto_random(sa->sa_k.sk_er, sizeof(sa->sa_k.sk_er));
	sa->sa_keyed = true;
	memcpy(&h.spi_i, sa->sa_spi_i, 8);
	memcpy(&h.spi_r, sa->sa_spi_r, 8);

	buf_init(&plds);
	buf_init(&out);
	pld_builder_init(&pb, &plds);
	pld_add_notify(&pb, 0, NULL, 0, 16384 + 99, NULL, 0);
	off = pld_begin(&pb, 250);
	plds.data[off + 1] = 0x80;		/* critical */
	buf_put(&plds, (const uint8_t *)"\0\0\0\0", 4);
	pld_end(&pb, off);
	ASSERT_EQ(0, ikev2_msg_encode(&h, &sa->sa_k, true, &plds, pb.first,
				      &out));
	ikev2_msg_recv(out.data, out.len, &local, &peer, false);

	EXPECT_EQ(1, sa->sa_rx_msgid);
	ASSERT_TRUE(sa->sa_resp_valid);
	buf_init(&resp.plain);
	ASSERT_EQ(0, ikev2_msg_parse(&resp, sa->sa_resp.data,
				     sa->sa_resp.len));
	EXPECT_TRUE(resp.hdr.flags & IKEV2_FLAG_RESPONSE);
	ASSERT_EQ(0, ikev2_msg_decrypt(&resp, &sa->sa_k, false));
	ASSERT_NE(NULL, pld_find_notify(&resp.pl,
					IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
					&n));
	ASSERT_EQ(1, n.len);
	EXPECT_EQ(250, n.data[0]);
	ikev2_msg_free(&resp);
	buf_free(&plds);
	buf_free(&out);
	ike_sa_destroy(sa, "test");
}

TEST_HARNESS_MAIN
