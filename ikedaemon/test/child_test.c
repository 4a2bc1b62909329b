// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of several CHILD SAs per IKE SA: the responder's choice of a
 * child by traffic selectors (RFC 7296 2.9, 1.3.1) with narrowing and
 * refusal, and the slot list (child_slot.c): order, garbage collection,
 * the move to a rekeyed IKE SA (1.3.2); the checks of the peer's answer
 * to our CREATE_CHILD_SA or IKE_AUTH (proposal, PFS, selectors).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "../child_slot.h"
#include "../config.h"
#include "../dh.h"
#include "../ike_sa.h"
#include "../ikev2.h"
#include "../ikev2_child.h"
#include "../ikev2_msg.h"

static const char conf[] =
	"connections {\n"
	" gw {\n"
	"  remote_addrs = 192.0.2.2\n"
	"  local { auth = psk\n id = sun.example }\n"
	"  remote { auth = psk\n id = moon.example }\n"
	"  children {\n"
	"   net { local_ts = 10.0.1.0/24\n remote_ts = 10.0.2.0/24\n"
	"         esp_proposals = aes256gcm16 }\n"
	"   net2 { local_ts = 10.0.11.0/24\n remote_ts = 10.0.12.0/24\n"
	"          esp_proposals = aes256gcm16-x25519 }\n"
	"  }\n"
	" }\n"
	"}\n"
	"secrets { ike-gw { id-1 = sun.example\n secret = x } }\n";

static void addr4(struct sockaddr_storage *ss, const char *a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(500);
	inet_pton(AF_INET, a, &sin->sin_addr);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* a.b.c.d/len as a selector, any protocol and port */
static struct ts ts4(const char *a, int len)
{
	struct ts t = { .type = IKEV2_TS_IPV4_ADDR_RANGE, .eport = 0xffff };
	uint32_t n, mask = len ? ~0u << (32 - len) : 0;

	inet_pton(AF_INET, a, &n);
	n = ntohl(n);
	put32(t.start, n & mask);
	put32(t.end, n | ~mask);
	return t;
}

static struct ike_sa *fake_sa(const struct config *cfg)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	sa->sa_conn = &cfg->conns[0];
	addr4(&sa->sa_local, "192.0.2.1");
	addr4(&sa->sa_peer, "192.0.2.2");
	return sa;
}

FIXTURE(pick)
{
	struct config cfg;
	struct ike_sa *sa;
};

FIXTURE_SETUP(pick)
{
	char err[256];

	memset(&self->cfg, 0, sizeof(self->cfg));
	ASSERT_EQ(0, config_load_buf("child_test.conf", conf,
				     sizeof(conf) - 1, &self->cfg, err,
				     sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(2, self->cfg.conns[0].n_children);
	self->sa = fake_sa(&self->cfg);
}

FIXTURE_TEARDOWN(pick)
{
	free(self->sa);
	config_free(&self->cfg);
}

/* The peer's TSi is our remote side, its TSr our local side. */
TEST_F(pick, second_child_by_selectors)
{
	struct ts tsi = ts4("10.0.12.0", 24), tsr = ts4("10.0.11.0", 24);
	const struct cfg_child *cc;
	struct child_sa cs = { 0 };

	cc = ikev2_child_pick(self->sa, &tsi, 1, &tsr, 1, &cs, true);
	ASSERT_NE(NULL, cc);
	EXPECT_STREQ("net2", cc->name);
	EXPECT_EQ(1, cs.cs_n_ts_l);
	EXPECT_EQ(1, cs.cs_n_ts_r);
	EXPECT_FALSE(self->sa->sa_diag);
}

TEST_F(pick, first_child_by_selectors)
{
	struct ts tsi = ts4("10.0.2.0", 24), tsr = ts4("10.0.1.0", 24);
	struct child_sa cs = { 0 };
	const struct cfg_child *cc;

	cc = ikev2_child_pick(self->sa, &tsi, 1, &tsr, 1, &cs, true);
	ASSERT_NE(NULL, cc);
	EXPECT_STREQ("net", cc->name);
}

/* A wider proposal is narrowed to the child it meets (2.9). */
TEST_F(pick, narrowed_to_the_child)
{
	struct ts tsi = ts4("10.0.0.0", 16), tsr = ts4("10.0.11.0", 24);
	struct ts want = ts4("10.0.12.0", 24);
	struct child_sa cs = { 0 };
	const struct cfg_child *cc;

	cc = ikev2_child_pick(self->sa, &tsi, 1, &tsr, 1, &cs, true);
	ASSERT_NE(NULL, cc);
	EXPECT_STREQ("net2", cc->name);
	ASSERT_EQ(1, cs.cs_n_ts_r);
	EXPECT_TRUE(ts_equal(&want, &cs.cs_ts_r[0]));
}

/* Selectors no child covers: refused, and recorded as a diagnostic. */
TEST_F(pick, no_child_covers)
{
	struct ts tsi = ts4("10.0.22.0", 24), tsr = ts4("10.0.21.0", 24);
	struct child_sa cs = { 0 };

	EXPECT_EQ(NULL, ikev2_child_pick(self->sa, &tsi, 1, &tsr, 1, &cs,
					 true));
	EXPECT_TRUE(self->sa->sa_diag);
}

/* One side of one child, the other side of the other: no child. */
TEST_F(pick, halves_of_two_children)
{
	struct ts tsi = ts4("10.0.2.0", 24), tsr = ts4("10.0.11.0", 24);
	struct child_sa cs = { 0 };

	EXPECT_EQ(NULL, ikev2_child_pick(self->sa, &tsi, 1, &tsr, 1, &cs,
					 true));
}

TEST_F(pick, slots_gc_and_move)
{
	struct ike_sa *nsa = fake_sa(&self->cfg);
	const struct cfg_child *c = self->cfg.conns[0].children;
	struct child_slot *a, *b, *q;

	a = child_slot_new(self->sa, &c[0], CHILD_UP);
	b = child_slot_new(self->sa, &c[1], CHILD_UP);
	q = child_slot_new(self->sa, &c[1], CHILD_QUEUED);
	ASSERT_TRUE(a && b && q);
	EXPECT_EQ(a, self->sa->sa_slots);	/* negotiation order */
	EXPECT_EQ(b, a->cl_next);
	a->cl_cur.cs_installed = true;
	EXPECT_EQ(a, child_slot_first_up(self->sa));
	EXPECT_EQ(1, child_slot_count_up(self->sa));
	/* b has no SA: it goes; the queued one stays */
	EXPECT_EQ(q, child_slot_find_cfg(self->sa, &c[1]));
	ASSERT_NE(NULL, child_slot_rk(a));
	child_slot_gc(self->sa);
	EXPECT_EQ(NULL, a->cl_rk);		/* idle rekey state freed */
	EXPECT_EQ(a, self->sa->sa_slots);
	EXPECT_EQ(q, a->cl_next);
	EXPECT_EQ(NULL, q->cl_next);
	child_slot_move_all(nsa, self->sa);
	EXPECT_EQ(NULL, self->sa->sa_slots);
	EXPECT_EQ(a, nsa->sa_slots);
	EXPECT_EQ(nsa, a->cl_sa);
	EXPECT_EQ(nsa, q->cl_sa);
	a->cl_cur.cs_installed = false;
	child_slot_free_all(nsa);
	EXPECT_EQ(NULL, nsa->sa_slots);
	free(nsa);
}

/*
 * The peer's answer for child c: our proposals with ESP SPI 0xc0ffee01,
 * only the first unless all, DH transforms kept (as charon picks them),
 * our nonce, a KE payload for ke_group unless 0 (from peer), our TS.
 */
struct answer {
	struct buf b;
	struct ikev2_msg msg;
	struct child_sa cs;
	struct child_rekey rk;
	uint8_t shared[DH_MAX_SECRET];
	size_t slen;
};

static int answer_build(struct answer *a, const struct cfg_child *c,
			uint16_t ke_group, struct dh *peer, int encr)
{
	struct prop props[CFG_MAX_PROPOSALS];
	uint8_t nonce[32] = { 1 }, pub[DH_MAX_PUB];
	struct pld_builder pb;
	int n;

	memset(a, 0, sizeof(*a));
	a->cs.cs_cfg = c;
	ikev2_child_esp_props(c, 0xc0ffee01, true, props, &n);
	if (encr)
		props[0].xf[0].id = encr;
	buf_init(&a->b);
	pld_builder_init(&pb, &a->b);
	pld_add_sa(&pb, props, 1);
	pld_add_nonce(&pb, nonce, sizeof(nonce));
	if (ke_group && peer) {
		dh_public(peer, pub, dh_pub_len(ke_group));
		pld_add_ke(&pb, ke_group, pub, dh_pub_len(ke_group));
	}
	return ikev2_pld_parse(a->b.data, a->b.data, a->b.len, pb.first,
			       &a->msg.pl);
}

static int answer_check(struct ike_sa *sa, struct answer *a, bool auth)
{
	return ikev2_child_check_answer(sa, &a->msg, &a->cs,
					auth ? NULL : &a->rk, "test",
					a->shared, &a->slen);
}

TEST_F(pick, answer_without_pfs)
{
	struct answer a;

	ASSERT_EQ(0, answer_build(&a, &self->cfg.conns[0].children[0], 0,
				  NULL, 0));
	EXPECT_EQ(0, answer_check(self->sa, &a, false));
	EXPECT_EQ(0xc0ffee01, a.cs.cs_spi_out);
	EXPECT_EQ(0, a.slen);
	EXPECT_FALSE(self->sa->sa_diag);
	buf_free(&a.b);
}

TEST_F(pick, answer_not_offered)
{
	struct answer a;

	ASSERT_EQ(0, answer_build(&a, &self->cfg.conns[0].children[0], 0,
				  NULL, IKEV2_ENCR_CHACHA20_POLY1305));
	EXPECT_EQ(-1, answer_check(self->sa, &a, false));
	EXPECT_TRUE(self->sa->sa_diag);
	buf_free(&a.b);
}

/* PFS (1.3.1): the KE payload must be for the group we sent */
TEST_F(pick, answer_with_pfs)
{
	const struct cfg_child *c = &self->cfg.conns[0].children[1];
	struct dh *peer = dh_new(IKEV2_DH_CURVE25519);
	struct answer a;

	ASSERT_NE(NULL, peer);
	ASSERT_EQ(0, answer_build(&a, c, IKEV2_DH_CURVE25519, peer, 0));
	a.rk.rk_dh = dh_new(IKEV2_DH_CURVE25519);
	ASSERT_NE(NULL, a.rk.rk_dh);
	EXPECT_EQ(0, answer_check(self->sa, &a, false));
	EXPECT_EQ(32, a.slen);
	EXPECT_FALSE(self->sa->sa_diag);
	dh_free(a.rk.rk_dh);
	buf_free(&a.b);
	/* no KE payload */
	ASSERT_EQ(0, answer_build(&a, c, 0, NULL, 0));
	a.rk.rk_dh = dh_new(IKEV2_DH_CURVE25519);
	EXPECT_EQ(-1, answer_check(self->sa, &a, false));
	EXPECT_TRUE(self->sa->sa_diag);
	dh_free(a.rk.rk_dh);
	buf_free(&a.b);
	/* we sent a KE payload for another group */
	self->sa->sa_diag = false;
	ASSERT_EQ(0, answer_build(&a, c, IKEV2_DH_CURVE25519, peer, 0));
	a.rk.rk_dh = dh_new(IKEV2_DH_ECP_256);
	EXPECT_EQ(-1, answer_check(self->sa, &a, false));
	EXPECT_TRUE(self->sa->sa_diag);
	dh_free(a.rk.rk_dh);
	buf_free(&a.b);
	dh_free(peer);
}

/* IKE_AUTH (1.2): no PFS even for a child that has it for rekeys */
TEST_F(pick, answer_in_ike_auth)
{
	struct answer a;

	ASSERT_EQ(0, answer_build(&a, &self->cfg.conns[0].children[1], 0,
				  NULL, 0));
	EXPECT_EQ(0, answer_check(self->sa, &a, true));
	EXPECT_EQ(0xc0ffee01, a.cs.cs_spi_out);
	EXPECT_EQ(0, a.slen);
	buf_free(&a.b);
}

TEST_HARNESS_MAIN
