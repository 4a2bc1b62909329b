// SPDX-License-Identifier: GPL-2.0
/* The SPD over netlink: policies added, dumped (also across many dump
 * rounds), fetched, deleted and flushed; every malformed POLICY_NEW refused
 * with an extack naming the problem and nothing added; state per netns.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ikesec_nl.h"

FIXTURE(pol) {
	struct ik_nl nl;
};

FIXTURE_SETUP(pol)
{
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	err = ik_open(&self->nl);
	if (err == -ENOENT)
		SKIP(return, "ikesec module not loaded");
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(pol)
{
	ik_close(&self->nl);
}

static void put_ip4(struct nl_msg *msg, int type, const char *a)
{
	struct in_addr in;

	inet_pton(AF_INET, a, &in);
	nla_put(msg, type, 4, &in);
}

static void put_ip6(struct nl_msg *msg, int type, const char *a)
{
	struct in6_addr in;

	inet_pton(AF_INET6, a, &in);
	nla_put(msg, type, 16, &in);
}

/* A POLICY_NEW message left open inside IKESEC_A_POLICY: the caller adds
 * attributes, then ik_pol_send() closes and sends it.
 */
static struct nl_msg *pol_begin(struct ik_nl *nl, struct nlattr **nest)
{
	struct nl_msg *msg = ik_msg(nl, IKESEC_CMD_POLICY_NEW, NLM_F_ACK);

	*nest = nla_nest_start(msg, IKESEC_A_POLICY);
	return msg;
}

static int pol_send(struct ik_nl *nl, struct nl_msg *msg, struct nlattr *nest)
{
	nla_nest_end(msg, nest);
	return ik_send(nl, msg);
}

/* A valid protect policy for dst/plen (IPv4), tunnel template. */
static int pol_add_protect(struct ik_nl *nl, const char *dst, int plen,
			   uint32_t prio)
{
	struct nlattr *nest, *sel, *tmpl;
	struct nl_msg *msg = pol_begin(nl, &nest);

	nla_put_u8(msg, IKESEC_POL_A_DIR, IKESEC_DIR_OUT);
	nla_put_u8(msg, IKESEC_POL_A_ACTION, IKESEC_ACTION_PROTECT);
	nla_put_u32(msg, IKESEC_POL_A_PRIORITY, prio);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	put_ip4(msg, IKESEC_SEL_A_SRC_IPV4, "10.0.1.0");
	nla_put_u8(msg, IKESEC_SEL_A_SRC_PREFIXLEN, 24);
	put_ip4(msg, IKESEC_SEL_A_DST_IPV4, dst);
	nla_put_u8(msg, IKESEC_SEL_A_DST_PREFIXLEN, plen);
	nla_nest_end(msg, sel);
	tmpl = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
	nla_put_u32(msg, IKESEC_TMPL_A_REQID, 7);
	nla_put_u8(msg, IKESEC_TMPL_A_MODE, IKESEC_MODE_TUNNEL);
	put_ip4(msg, IKESEC_TMPL_A_LOCAL_IPV4, "192.0.2.1");
	put_ip4(msg, IKESEC_TMPL_A_PEER_IPV4, "192.0.2.2");
	nla_nest_end(msg, tmpl);
	return pol_send(nl, msg, nest);
}

static int pol_add_simple(struct ik_nl *nl, int dir, int action)
{
	struct nlattr *nest, *sel;
	struct nl_msg *msg = pol_begin(nl, &nest);

	nla_put_u8(msg, IKESEC_POL_A_DIR, dir);
	nla_put_u8(msg, IKESEC_POL_A_ACTION, action);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	put_ip6(msg, IKESEC_SEL_A_DST_IPV6, "2001:db8::1");
	nla_put_u8(msg, IKESEC_SEL_A_PROTO, IPPROTO_UDP);
	nla_put_u16(msg, IKESEC_SEL_A_DPORT_MIN, 500);
	nla_nest_end(msg, sel);
	return pol_send(nl, msg, nest);
}

static int pol_by_id(struct ik_nl *nl, int cmd, uint32_t id)
{
	struct nl_msg *msg = ik_msg(nl, cmd, NLM_F_ACK);
	struct nlattr *nest = nla_nest_start(msg, IKESEC_A_POLICY);

	nla_put_u32(msg, IKESEC_POL_A_ID, id);
	nla_nest_end(msg, nest);
	return ik_send(nl, msg);
}

TEST_F(pol, add_get_dump_delete_flush)
{
	uint32_t a, b, c;

	ASSERT_EQ(0, pol_add_protect(&self->nl, "10.0.2.0", 24, 100));
	a = self->nl.pol_id;
	ASSERT_EQ(0, pol_add_simple(&self->nl, IKESEC_DIR_IN,
				    IKESEC_ACTION_BYPASS));
	b = self->nl.pol_id;
	ASSERT_EQ(0, pol_add_simple(&self->nl, IKESEC_DIR_FWD,
				    IKESEC_ACTION_DISCARD));
	c = self->nl.pol_id;
	EXPECT_NE(0U, a);
	EXPECT_NE(a, b);
	EXPECT_NE(b, c);

	ASSERT_EQ(0, ik_count_policies(&self->nl));
	EXPECT_EQ(3U, self->nl.pol_count);
	ASSERT_EQ(0, ik_get_info(&self->nl));
	EXPECT_EQ(3U, self->nl.pol_count);

	self->nl.pol_id = 0;
	ASSERT_EQ(0, pol_by_id(&self->nl, IKESEC_CMD_POLICY_GET, b));
	EXPECT_EQ(b, self->nl.pol_id);

	ASSERT_EQ(0, pol_by_id(&self->nl, IKESEC_CMD_POLICY_DEL, b));
	EXPECT_EQ(-ENOENT, pol_by_id(&self->nl, IKESEC_CMD_POLICY_DEL, b));
	EXPECT_NE(NULL, strstr(self->nl.extack, "no policy with ID"));
	EXPECT_EQ(-ENOENT, pol_by_id(&self->nl, IKESEC_CMD_POLICY_GET, b));
	ASSERT_EQ(0, ik_count_policies(&self->nl));
	EXPECT_EQ(2U, self->nl.pol_count);

	ASSERT_EQ(0, ik_send(&self->nl, ik_msg(&self->nl,
					       IKESEC_CMD_POLICY_FLUSH,
					       NLM_F_ACK)));
	ASSERT_EQ(0, ik_count_policies(&self->nl));
	EXPECT_EQ(0U, self->nl.pol_count);
	ASSERT_EQ(0, ik_get_info(&self->nl));
	EXPECT_EQ(0U, self->nl.pol_count);
}

/* 10,000 host policies: ids unique, a dump needs many rounds and returns
 * each exactly once.
 */
TEST_F(pol, ten_thousand_host_policies_dump)
{
	char dst[32];
	int i;

	for (i = 0; i < 10000; i++) {
		snprintf(dst, sizeof(dst), "10.%d.%d.%d", 100 + i / 65536,
			 (i / 256) % 256, i % 256);
		ASSERT_EQ(0, pol_add_protect(&self->nl, dst, 32, 1000));
	}
	ASSERT_EQ(0, ik_count_policies(&self->nl));
	EXPECT_EQ(10000U, self->nl.pol_count);
	ASSERT_EQ(0, ik_get_info(&self->nl));
	EXPECT_EQ(10000U, self->nl.pol_count);
}

/* One malformed POLICY_NEW each: the error, a word the extack must hold,
 * and what to put inside IKESEC_A_POLICY.
 */
FIXTURE_VARIANT(bad) {
	int err;
	const char *extack;
	void (*build)(struct nl_msg *msg);
};

FIXTURE(bad) {
	struct ik_nl nl;
};

FIXTURE_SETUP(bad)
{
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	err = ik_open(&self->nl);
	if (err == -ENOENT)
		SKIP(return, "ikesec module not loaded");
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(bad)
{
	ik_close(&self->nl);
}

static void out_bypass(struct nl_msg *msg)
{
	nla_put_u8(msg, IKESEC_POL_A_DIR, IKESEC_DIR_OUT);
	nla_put_u8(msg, IKESEC_POL_A_ACTION, IKESEC_ACTION_BYPASS);
}

static void out_protect(struct nl_msg *msg)
{
	nla_put_u8(msg, IKESEC_POL_A_DIR, IKESEC_DIR_OUT);
	nla_put_u8(msg, IKESEC_POL_A_ACTION, IKESEC_ACTION_PROTECT);
}

static void b_no_dir(struct nl_msg *msg)
{
	nla_put_u8(msg, IKESEC_POL_A_ACTION, IKESEC_ACTION_BYPASS);
}

static void b_no_action(struct nl_msg *msg)
{
	nla_put_u8(msg, IKESEC_POL_A_DIR, IKESEC_DIR_OUT);
}

static void b_bad_dir(struct nl_msg *msg)
{
	nla_put_u8(msg, IKESEC_POL_A_DIR, 4);
	nla_put_u8(msg, IKESEC_POL_A_ACTION, IKESEC_ACTION_BYPASS);
}

static void b_id_given(struct nl_msg *msg)
{
	out_bypass(msg);
	nla_put_u32(msg, IKESEC_POL_A_ID, 5);
}

static void b_both_families(struct nl_msg *msg)
{
	struct nlattr *sel;

	out_bypass(msg);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	put_ip4(msg, IKESEC_SEL_A_SRC_IPV4, "10.0.0.1");
	put_ip6(msg, IKESEC_SEL_A_SRC_IPV6, "2001:db8::1");
	nla_nest_end(msg, sel);
}

static void b_mixed_families(struct nl_msg *msg)
{
	struct nlattr *sel;

	out_bypass(msg);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	put_ip4(msg, IKESEC_SEL_A_SRC_IPV4, "10.0.0.1");
	put_ip6(msg, IKESEC_SEL_A_DST_IPV6, "2001:db8::1");
	nla_nest_end(msg, sel);
}

static void b_plen_33(struct nl_msg *msg)
{
	struct nlattr *sel;

	out_bypass(msg);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	put_ip4(msg, IKESEC_SEL_A_DST_IPV4, "10.0.0.0");
	nla_put_u8(msg, IKESEC_SEL_A_DST_PREFIXLEN, 33);
	nla_nest_end(msg, sel);
}

static void b_plen_no_addr(struct nl_msg *msg)
{
	struct nlattr *sel;

	out_bypass(msg);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	nla_put_u8(msg, IKESEC_SEL_A_SRC_PREFIXLEN, 8);
	nla_nest_end(msg, sel);
}

static void b_sport_inverted(struct nl_msg *msg)
{
	struct nlattr *sel;

	out_bypass(msg);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	nla_put_u8(msg, IKESEC_SEL_A_PROTO, IPPROTO_TCP);
	nla_put_u16(msg, IKESEC_SEL_A_SPORT_MIN, 2000);
	nla_put_u16(msg, IKESEC_SEL_A_SPORT_MAX, 1000);
	nla_nest_end(msg, sel);
}

static void b_ports_no_proto(struct nl_msg *msg)
{
	struct nlattr *sel;

	out_bypass(msg);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	nla_put_u16(msg, IKESEC_SEL_A_DPORT_MIN, 80);
	nla_nest_end(msg, sel);
}

static void b_icmp_type_300(struct nl_msg *msg)
{
	struct nlattr *sel;

	out_bypass(msg);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	nla_put_u8(msg, IKESEC_SEL_A_PROTO, IPPROTO_ICMP);
	nla_put_u16(msg, IKESEC_SEL_A_SPORT_MIN, 300);
	nla_nest_end(msg, sel);
}

static void b_protect_no_tmpl(struct nl_msg *msg)
{
	out_protect(msg);
}

static void b_tmpl_on_bypass(struct nl_msg *msg)
{
	struct nlattr *t;

	out_bypass(msg);
	t = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
	nla_put_u8(msg, IKESEC_TMPL_A_MODE, IKESEC_MODE_TRANSPORT);
	nla_nest_end(msg, t);
}

static void b_tmpl_no_mode(struct nl_msg *msg)
{
	struct nlattr *t;

	out_protect(msg);
	t = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
	nla_put_u32(msg, IKESEC_TMPL_A_REQID, 1);
	nla_nest_end(msg, t);
}

static void b_tunnel_no_endpoints(struct nl_msg *msg)
{
	struct nlattr *t;

	out_protect(msg);
	t = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
	nla_put_u8(msg, IKESEC_TMPL_A_MODE, IKESEC_MODE_TUNNEL);
	nla_nest_end(msg, t);
}

static void b_tunnel_no_peer(struct nl_msg *msg)
{
	struct nlattr *t;

	out_protect(msg);
	t = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
	nla_put_u8(msg, IKESEC_TMPL_A_MODE, IKESEC_MODE_TUNNEL);
	put_ip4(msg, IKESEC_TMPL_A_LOCAL_IPV4, "192.0.2.1");
	nla_nest_end(msg, t);
}

static void b_transport_endpoints(struct nl_msg *msg)
{
	struct nlattr *t;

	out_protect(msg);
	t = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
	nla_put_u8(msg, IKESEC_TMPL_A_MODE, IKESEC_MODE_TRANSPORT);
	put_ip4(msg, IKESEC_TMPL_A_PEER_IPV4, "192.0.2.2");
	nla_nest_end(msg, t);
}

static void b_hits_given(struct nl_msg *msg)
{
	out_bypass(msg);
	nla_put_u64(msg, IKESEC_POL_A_HITS, 1);
}

#define BAD(name, e, text)					\
	FIXTURE_VARIANT_ADD(bad, name) {			\
		.err = e, .extack = text, .build = b_##name,	\
	}

BAD(no_dir, EINVAL, "missing POLICY attribute DIR");
BAD(no_action, EINVAL, "missing POLICY attribute ACTION");
BAD(bad_dir, ERANGE, "integer out of range");
BAD(id_given, EINVAL, "assigned by the kernel");
BAD(both_families, EINVAL, "SRC_IPV4 or SRC_IPV6, not both");
BAD(mixed_families, EINVAL, "differ in family");
BAD(plen_33, EINVAL, "DST_PREFIXLEN 33 exceeds 32");
BAD(plen_no_addr, EINVAL, "SRC_PREFIXLEN without");
BAD(sport_inverted, EINVAL, "SPORT_MIN 2000 above SPORT_MAX 1000");
BAD(ports_no_proto, EINVAL, "need PROTO");
BAD(icmp_type_300, EINVAL, "ICMP type");
BAD(protect_no_tmpl, EINVAL, "needs POLICY attribute TEMPLATE");
BAD(tmpl_on_bypass, EINVAL, "TEMPLATE given for ACTION bypass");
BAD(tmpl_no_mode, EINVAL, "missing TEMPLATE attribute MODE");
BAD(tunnel_no_endpoints, EINVAL, "MODE tunnel needs");
BAD(tunnel_no_peer, EINVAL, "PEER_IPV4");
BAD(transport_endpoints, EINVAL, "for MODE transport");
BAD(hits_given, EINVAL, "policy validation");

TEST_F(bad, refused_and_nothing_added)
{
	struct nlattr *nest;
	struct nl_msg *msg = pol_begin(&self->nl, &nest);

	variant->build(msg);
	EXPECT_EQ(-variant->err, pol_send(&self->nl, msg, nest));
	TH_LOG("extack: %s", self->nl.extack);
	EXPECT_NE(NULL, strstr(self->nl.extack, variant->extack));
	EXPECT_NE('\0', self->nl.extack[0]);
	ASSERT_EQ(0, ik_count_policies(&self->nl));
	EXPECT_EQ(0U, self->nl.pol_count);
}

TEST_F(pol, missing_nest_and_id_refused)
{
	EXPECT_EQ(-EINVAL, ik_send(&self->nl, ik_msg(&self->nl,
				   IKESEC_CMD_POLICY_NEW, NLM_F_ACK)));
	EXPECT_NE(NULL, strstr(self->nl.extack, "IKESEC_A_POLICY"));
	EXPECT_EQ(-ENOENT, pol_by_id(&self->nl, IKESEC_CMD_POLICY_DEL, 12345));
	EXPECT_NE(NULL, strstr(self->nl.extack, "no policy with ID 12345"));
}

static int count_in_new_netns(void)
{
	struct ik_nl nl;

	if (unshare(CLONE_NEWNET) || ik_open(&nl))
		return 100;
	if (ik_count_policies(&nl) || nl.pol_count != 0)
		return 1;
	if (pol_add_protect(&nl, "10.0.2.0", 24, 1))
		return 2;
	if (ik_count_policies(&nl) || nl.pol_count != 1)
		return 3;
	return 0;
}

TEST_F(pol, policies_are_per_network_namespace)
{
	int status;
	pid_t pid;

	ASSERT_EQ(0, pol_add_protect(&self->nl, "10.0.2.0", 24, 1));
	ASSERT_EQ(0, pol_add_protect(&self->nl, "10.0.3.0", 24, 1));
	pid = fork();
	if (pid == 0)
		_exit(count_in_new_netns());
	waitpid(pid, &status, 0);
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, ik_count_policies(&self->nl));
	EXPECT_EQ(2U, self->nl.pol_count);
}

TEST_HARNESS_MAIN
