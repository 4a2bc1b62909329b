// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of several CHILD SAs per IKE SA: the responder's choice of a
 * child by traffic selectors (RFC 7296 2.9, 1.3.1) with narrowing and
 * refusal, and the slot list (child_slot.c): order, garbage collection,
 * the move to a rekeyed IKE SA (1.3.2).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "../child_slot.h"
#include "../config.h"
#include "../ike_sa.h"
#include "../ikev2.h"
#include "../ikev2_child.h"

static const char conf[] =
	"connections {\n"
	" gw {\n"
	"  remote_addrs = 192.0.2.2\n"
	"  local { auth = psk\n id = sun.example }\n"
	"  remote { auth = psk\n id = moon.example }\n"
	"  children {\n"
	"   net { local_ts = 10.0.1.0/24\n remote_ts = 10.0.2.0/24 }\n"
	"   net2 { local_ts = 10.0.11.0/24\n remote_ts = 10.0.12.0/24 }\n"
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

TEST_HARNESS_MAIN
