// SPDX-License-Identifier: GPL-2.0
/* SA control beyond add/delete: SPI_ALLOC (random, unique, reserved, range
 * exhaustion), SA_SET (lifetimes, encapsulation ports, peer), selectors on
 * SA_NEW, and time lifetimes producing soft then hard EXPIRE events on the
 * "events" multicast group, after which the SA is gone.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ikesec_nl.h"

FIXTURE(sa) {
	struct ik_nl nl;
};

FIXTURE_SETUP(sa)
{
	int err;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	err = ik_open(&self->nl);
	if (err == -ENOENT)
		SKIP(return, "ikesec module not loaded");
	ASSERT_EQ(0, err);
}

FIXTURE_TEARDOWN(sa)
{
	ik_close(&self->nl);
}

static int spi_alloc(struct ik_nl *nl, uint32_t min, uint32_t max)
{
	struct nl_msg *msg = ik_msg(nl, IKESEC_CMD_SPI_ALLOC, NLM_F_ACK);

	nla_put_u32(msg, IKESEC_A_SPI_MIN, min);
	nla_put_u32(msg, IKESEC_A_SPI_MAX, max);
	nl->spi = 0;
	return ik_send(nl, msg);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

TEST_F(sa, spi_alloc_unique_until_range_exhausted)
{
	static uint32_t spis[1000];
	int i;

	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, spi_alloc(&self->nl, 0x10000, 0x10000 + 999));
		spis[i] = self->nl.spi;
		ASSERT_GE(spis[i], 0x10000U);
		ASSERT_LE(spis[i], 0x10000U + 999);
	}
	qsort(spis, 1000, sizeof(spis[0]), cmp_u32);
	for (i = 1; i < 1000; i++)
		ASSERT_NE(spis[i - 1], spis[i]);
	EXPECT_EQ(-ENOSPC, spi_alloc(&self->nl, 0x10000, 0x10000 + 999));
	TH_LOG("extack: %s", self->nl.extack);
	EXPECT_NE(NULL, strstr(self->nl.extack, "no free inbound SPI"));
}

TEST_F(sa, spi_alloc_skips_sas_and_sa_new_consumes)
{
	ASSERT_EQ(0, ik_sa_add(&self->nl, 0x2000));
	ASSERT_EQ(0, spi_alloc(&self->nl, 0x2000, 0x2001));
	EXPECT_EQ(0x2001U, self->nl.spi);
	/* The reservation is consumed by the SA, which then holds it. */
	ASSERT_EQ(0, ik_sa_add(&self->nl, 0x2001));
	EXPECT_EQ(-ENOSPC, spi_alloc(&self->nl, 0x2000, 0x2001));
	ASSERT_EQ(0, ik_count_sas(&self->nl));
	EXPECT_EQ(2U, self->nl.sa_count);
}

TEST_F(sa, spi_alloc_bad_range_refused)
{
	EXPECT_EQ(-EINVAL, spi_alloc(&self->nl, 0x3001, 0x3000));
	EXPECT_NE(NULL, strstr(self->nl.extack, "SPI_MIN 0x00003001 above"));
	EXPECT_EQ(-ERANGE, spi_alloc(&self->nl, 255, 0x3000));
	EXPECT_NE('\0', self->nl.extack[0]);
}

TEST_F(sa, spi_alloc_default_range)
{
	ASSERT_EQ(0, ik_send(&self->nl, ik_msg(&self->nl, IKESEC_CMD_SPI_ALLOC,
					       NLM_F_ACK)));
	EXPECT_GE(self->nl.spi, 256U);
}

/* An SA_SET (or SA_GET) message for inbound SA spi, left open. */
static struct nl_msg *sa_begin(struct ik_nl *nl, int cmd, uint32_t spi,
			       struct nlattr **nest)
{
	struct nl_msg *msg = ik_msg(nl, cmd, NLM_F_ACK);

	*nest = nla_nest_start(msg, IKESEC_A_SA);
	nla_put_u8(msg, IKESEC_SA_A_DIR, IKESEC_DIR_IN);
	nla_put_u32(msg, IKESEC_SA_A_SPI, spi);
	return msg;
}

static int sa_end(struct ik_nl *nl, struct nl_msg *msg, struct nlattr *nest)
{
	nla_nest_end(msg, nest);
	return ik_send(nl, msg);
}

static void put_lifetime(struct nl_msg *msg, int type, uint64_t bytes,
			 uint64_t packets, uint64_t seconds)
{
	struct nlattr *lt = nla_nest_start(msg, type);

	nla_put_u64(msg, IKESEC_LT_A_BYTES, bytes);
	nla_put_u64(msg, IKESEC_LT_A_PACKETS, packets);
	nla_put_u64(msg, IKESEC_LT_A_SECONDS, seconds);
	nla_nest_end(msg, lt);
}

static uint64_t lt_get(struct nlattr *nest, int type)
{
	struct nlattr *tb[IKESEC_LT_A_MAX + 1];

	if (!nest || nla_parse_nested(tb, IKESEC_LT_A_MAX, nest, NULL) ||
	    !tb[type])
		return ~0ULL;
	return nla_get_u64(tb[type]);
}

TEST_F(sa, sa_set_lifetimes_and_encap)
{
	struct nlattr *tb[IKESEC_SA_A_MAX + 1], *nest;
	struct nl_msg *msg;

	ASSERT_EQ(0, ik_sa_add(&self->nl, 0x4000));
	msg = sa_begin(&self->nl, IKESEC_CMD_SA_SET, 0x4000, &nest);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_SOFT, 1000, 10, 3000);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_HARD, 2000, 20, 3600);
	nla_put_u16(msg, IKESEC_SA_A_ENCAP_SPORT, 4500);
	nla_put_u16(msg, IKESEC_SA_A_ENCAP_DPORT, 4501);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));

	msg = sa_begin(&self->nl, IKESEC_CMD_SA_GET, 0x4000, &nest);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	ASSERT_EQ(0, ik_sa_attrs(&self->nl, tb));
	EXPECT_EQ(1000U, lt_get(tb[IKESEC_SA_A_LIFETIME_SOFT],
				IKESEC_LT_A_BYTES));
	EXPECT_EQ(3600U, lt_get(tb[IKESEC_SA_A_LIFETIME_HARD],
				IKESEC_LT_A_SECONDS));
	EXPECT_EQ(0U, lt_get(tb[IKESEC_SA_A_CURLIFE], IKESEC_LT_A_PACKETS));
	ASSERT_NE(NULL, tb[IKESEC_SA_A_ENCAP_DPORT]);
	EXPECT_EQ(4501, nla_get_u16(tb[IKESEC_SA_A_ENCAP_DPORT]));

	/* Only the destination port moves (a NAT rebinding). */
	msg = sa_begin(&self->nl, IKESEC_CMD_SA_SET, 0x4000, &nest);
	nla_put_u16(msg, IKESEC_SA_A_ENCAP_DPORT, 4999);
	nla_put(msg, IKESEC_SA_A_NEW_PEER_IPV4, 4, "\xc6\x33\x64\x07");
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	msg = sa_begin(&self->nl, IKESEC_CMD_SA_GET, 0x4000, &nest);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	ASSERT_EQ(0, ik_sa_attrs(&self->nl, tb));
	EXPECT_EQ(4999, nla_get_u16(tb[IKESEC_SA_A_ENCAP_DPORT]));
	EXPECT_EQ(4500, nla_get_u16(tb[IKESEC_SA_A_ENCAP_SPORT]));
	ASSERT_NE(NULL, tb[IKESEC_SA_A_PEER_IPV4]);
	EXPECT_EQ(0, memcmp(nla_data(tb[IKESEC_SA_A_PEER_IPV4]),
			    "\xc6\x33\x64\x07", 4));
}

/* Keys are write-only, but their size is reported (salt excluded). */
TEST_F(sa, key_size_reported_never_the_key)
{
	struct nlattr *tb[IKESEC_SA_A_MAX + 1], *nest;
	struct nl_msg *msg;

	ASSERT_EQ(0, ik_send(&self->nl, ik_sa_msg(&self->nl, IKESEC_CMD_SA_NEW,
						  0x4100, 36)));
	msg = sa_begin(&self->nl, IKESEC_CMD_SA_GET, 0x4100, &nest);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	ASSERT_EQ(0, ik_sa_attrs(&self->nl, tb));
	ASSERT_NE(NULL, tb[IKESEC_SA_A_ENC_KEY_BITS]);
	EXPECT_EQ(256, nla_get_u16(tb[IKESEC_SA_A_ENC_KEY_BITS]));
	EXPECT_EQ(0, nla_get_u16(tb[IKESEC_SA_A_AUTH_KEY_BITS]));
	EXPECT_EQ(NULL, tb[IKESEC_SA_A_ENC_KEY]);
	EXPECT_EQ(NULL, tb[IKESEC_SA_A_AUTH_KEY]);
}

/* authenc() takes one key blob: the sizes must still be the user's. */
TEST_F(sa, cbc_key_sizes_reported)
{
	static const uint8_t key[32], akey[32];
	struct nlattr *tb[IKESEC_SA_A_MAX + 1], *nest;
	struct nl_msg *msg;

	msg = sa_begin(&self->nl, IKESEC_CMD_SA_NEW, 0x4200, &nest);
	nla_put_u8(msg, IKESEC_SA_A_MODE, IKESEC_MODE_TUNNEL);
	nla_put(msg, IKESEC_SA_A_LOCAL_IPV4, 4, "\xc0\x00\x02\x01");
	nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, "\xc0\x00\x02\x02");
	nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_CBC);
	nla_put(msg, IKESEC_SA_A_ENC_KEY, 16, key);
	nla_put_u16(msg, IKESEC_SA_A_AUTH_ALG, IKESEC_AUTH_HMAC_SHA256_128);
	nla_put(msg, IKESEC_SA_A_AUTH_KEY, 32, akey);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	msg = sa_begin(&self->nl, IKESEC_CMD_SA_GET, 0x4200, &nest);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	ASSERT_EQ(0, ik_sa_attrs(&self->nl, tb));
	EXPECT_EQ(128, nla_get_u16(tb[IKESEC_SA_A_ENC_KEY_BITS]));
	EXPECT_EQ(256, nla_get_u16(tb[IKESEC_SA_A_AUTH_KEY_BITS]));
}

TEST_F(sa, sa_set_refusals)
{
	struct nlattr *tb[IKESEC_SA_A_MAX + 1], *nest;
	struct nl_msg *msg;

	ASSERT_EQ(0, ik_sa_add(&self->nl, 0x5000));

	msg = sa_begin(&self->nl, IKESEC_CMD_SA_SET, 0x5000, &nest);
	nla_put(msg, IKESEC_SA_A_ENC_KEY, 20, "01234567890123456789");
	EXPECT_EQ(-EINVAL, sa_end(&self->nl, msg, nest));
	EXPECT_NE(NULL, strstr(self->nl.extack, "ENC_KEY cannot change"));

	msg = sa_begin(&self->nl, IKESEC_CMD_SA_SET, 0x5001, &nest);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_HARD, 1, 1, 1);
	EXPECT_EQ(-ENOENT, sa_end(&self->nl, msg, nest));
	EXPECT_NE(NULL, strstr(self->nl.extack, "no inbound SA"));

	msg = sa_begin(&self->nl, IKESEC_CMD_SA_SET, 0x5000, &nest);
	nla_put(msg, IKESEC_SA_A_NEW_PEER_IPV6, 16, "0123456789abcdef");
	EXPECT_EQ(-EINVAL, sa_end(&self->nl, msg, nest));
	EXPECT_NE(NULL, strstr(self->nl.extack, "differs in family"));

	msg = sa_begin(&self->nl, IKESEC_CMD_SA_SET, 0x5000, &nest);
	nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, "\xc6\x33\x64\x07");
	EXPECT_EQ(-EINVAL, sa_end(&self->nl, msg, nest));
	EXPECT_NE(NULL, strstr(self->nl.extack, "NEW_PEER"));

	/* The SA had no encapsulation: one port alone is not enough. */
	msg = sa_begin(&self->nl, IKESEC_CMD_SA_SET, 0x5000, &nest);
	nla_put_u16(msg, IKESEC_SA_A_ENCAP_DPORT, 4500);
	EXPECT_EQ(-EINVAL, sa_end(&self->nl, msg, nest));
	EXPECT_NE(NULL, strstr(self->nl.extack, "go together"));

	/* Nothing changed. */
	msg = sa_begin(&self->nl, IKESEC_CMD_SA_GET, 0x5000, &nest);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	ASSERT_EQ(0, ik_sa_attrs(&self->nl, tb));
	EXPECT_EQ(NULL, tb[IKESEC_SA_A_ENCAP_DPORT]);
	EXPECT_EQ(0, memcmp(nla_data(tb[IKESEC_SA_A_PEER_IPV4]),
			    "\xc0\x00\x02\x02", 4));
}

/* ik_sa_msg() plus attributes, for SA_NEW. */
static struct nl_msg *sa_new_begin(struct ik_nl *nl, uint32_t spi,
				   struct nlattr **nest)
{
	static const uint8_t key[20] = { 1, 2, 3 };
	struct nl_msg *msg = sa_begin(nl, IKESEC_CMD_SA_NEW, spi, nest);

	nla_put_u8(msg, IKESEC_SA_A_MODE, IKESEC_MODE_TUNNEL);
	nla_put(msg, IKESEC_SA_A_LOCAL_IPV4, 4, "\xc0\x00\x02\x01");
	nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, "\xc0\x00\x02\x02");
	nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_GCM_16);
	nla_put(msg, IKESEC_SA_A_ENC_KEY, sizeof(key), key);
	return msg;
}

TEST_F(sa, sa_new_selector_parsed_and_checked)
{
	struct nlattr *tb[IKESEC_SA_A_MAX + 1], *st[IKESEC_SEL_A_MAX + 1];
	struct nlattr *nest, *sel;
	struct nl_msg *msg;

	msg = sa_new_begin(&self->nl, 0x6000, &nest);
	sel = nla_nest_start(msg, IKESEC_SA_A_SELECTOR);
	nla_put(msg, IKESEC_SEL_A_SRC_IPV4, 4, "\x0a\x01\x02\x03");
	nla_put_u8(msg, IKESEC_SEL_A_SRC_PREFIXLEN, 8);
	nla_put_u8(msg, IKESEC_SEL_A_PROTO, 6);
	nla_put_u16(msg, IKESEC_SEL_A_DPORT_MIN, 443);
	nla_nest_end(msg, sel);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));

	msg = sa_begin(&self->nl, IKESEC_CMD_SA_GET, 0x6000, &nest);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	ASSERT_EQ(0, ik_sa_attrs(&self->nl, tb));
	ASSERT_NE(NULL, tb[IKESEC_SA_A_SELECTOR]);
	ASSERT_EQ(0, nla_parse_nested(st, IKESEC_SEL_A_MAX,
				      tb[IKESEC_SA_A_SELECTOR], NULL));
	ASSERT_NE(NULL, st[IKESEC_SEL_A_SRC_IPV4]);
	/* Host bits beyond the prefix are cleared. */
	EXPECT_EQ(0, memcmp(nla_data(st[IKESEC_SEL_A_SRC_IPV4]),
			    "\x0a\x00\x00\x00", 4));
	EXPECT_EQ(8, nla_get_u8(st[IKESEC_SEL_A_SRC_PREFIXLEN]));
	EXPECT_EQ(443, nla_get_u16(st[IKESEC_SEL_A_DPORT_MIN]));
	EXPECT_EQ(443, nla_get_u16(st[IKESEC_SEL_A_DPORT_MAX]));
	EXPECT_EQ(0, nla_get_u16(st[IKESEC_SEL_A_SPORT_MIN]));
	EXPECT_EQ(65535, nla_get_u16(st[IKESEC_SEL_A_SPORT_MAX]));

	msg = sa_new_begin(&self->nl, 0x6001, &nest);
	sel = nla_nest_start(msg, IKESEC_SA_A_SELECTOR);
	nla_put(msg, IKESEC_SEL_A_DST_IPV4, 4, "\x0a\x01\x02\x03");
	nla_put_u8(msg, IKESEC_SEL_A_DST_PREFIXLEN, 40);
	nla_nest_end(msg, sel);
	EXPECT_EQ(-EINVAL, sa_end(&self->nl, msg, nest));
	EXPECT_NE(NULL, strstr(self->nl.extack, "DST_PREFIXLEN 40 exceeds 32"));
	ASSERT_EQ(0, ik_count_sas(&self->nl));
	EXPECT_EQ(1U, self->nl.sa_count);
}

/* Events: a second socket in the same netns on the "events" group. */
struct ev {
	int n;
	int cmd[8];
	int hard[8];
	uint32_t spi[8];
};

static int ev_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[IKESEC_A_MAX + 1], *sa[IKESEC_SA_A_MAX + 1];
	struct ev *ev = arg;

	if (ev->n >= 8 || nla_parse(tb, IKESEC_A_MAX, genlmsg_attrdata(gh, 0),
				     genlmsg_attrlen(gh, 0), NULL))
		return NL_SKIP;
	ev->cmd[ev->n] = gh->cmd;
	ev->hard[ev->n] = !!tb[IKESEC_A_EXPIRE_HARD];
	if (tb[IKESEC_A_SA] &&
	    !nla_parse_nested(sa, IKESEC_SA_A_MAX, tb[IKESEC_A_SA], NULL) &&
	    sa[IKESEC_SA_A_SPI])
		ev->spi[ev->n] = nla_get_u32(sa[IKESEC_SA_A_SPI]);
	ev->n++;
	return NL_OK;
}

static struct nl_sock *ev_open(struct ev *ev)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp;

	if (!sk || genl_connect(sk))
		return NULL;
	grp = genl_ctrl_resolve_grp(sk, IKESEC_GENL_NAME, IKESEC_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(sk, grp))
		return NULL;
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, ev_cb, ev);
	return sk;
}

/* Receives until want events arrived or ms passed. */
static void ev_wait(struct nl_sock *sk, struct ev *ev, int want, int ms)
{
	struct pollfd p = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ev->n < want) {
		int left;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - (int)((t.tv_sec - t0.tv_sec) * 1000 +
				  (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return;
		nl_recvmsgs_default(sk);
	}
}

TEST_F(sa, time_lifetime_soft_then_hard_expire)
{
	struct nlattr *nest;
	struct nl_sock *sk;
	struct nl_msg *msg;
	struct ev ev = {};

	sk = ev_open(&ev);
	ASSERT_NE(NULL, sk);
	msg = sa_new_begin(&self->nl, 0x7000, &nest);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_SOFT, 0, 0, 1);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_HARD, 0, 0, 2);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	/* A second SA without lifetimes must not expire. */
	ASSERT_EQ(0, ik_sa_add(&self->nl, 0x7001));

	ev_wait(sk, &ev, 2, 5000);
	ASSERT_EQ(2, ev.n);
	EXPECT_EQ(IKESEC_CMD_EXPIRE, ev.cmd[0]);
	EXPECT_EQ(0, ev.hard[0]);
	EXPECT_EQ(0x7000U, ev.spi[0]);
	EXPECT_EQ(IKESEC_CMD_EXPIRE, ev.cmd[1]);
	EXPECT_EQ(1, ev.hard[1]);
	EXPECT_EQ(0x7000U, ev.spi[1]);

	/* Removal runs from a work item: wait for it. */
	for (int i = 0; i < 50; i++) {
		ASSERT_EQ(0, ik_count_sas(&self->nl));
		if (self->nl.sa_count == 1)
			break;
		usleep(20000);
	}
	EXPECT_EQ(1U, self->nl.sa_count);
	/* No more events: soft is reported once, the other SA stays. */
	ev_wait(sk, &ev, 3, 1500);
	EXPECT_EQ(2, ev.n);
	nl_socket_free(sk);
}

TEST_F(sa, sa_set_shorter_lifetime_expires_at_once)
{
	struct nlattr *nest;
	struct nl_sock *sk;
	struct nl_msg *msg;
	struct ev ev = {};

	sk = ev_open(&ev);
	ASSERT_NE(NULL, sk);
	ASSERT_EQ(0, ik_sa_add(&self->nl, 0x8000));
	usleep(1100000);
	msg = sa_begin(&self->nl, IKESEC_CMD_SA_SET, 0x8000, &nest);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_HARD, 0, 0, 1);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	ev_wait(sk, &ev, 1, 3000);
	ASSERT_EQ(1, ev.n);
	EXPECT_EQ(1, ev.hard[0]);
	nl_socket_free(sk);
}

/* Loopback up in our netns: packets to 127.0.0.2 pass POST_ROUTING. */
static int lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	ret = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	ret = ret ?: ioctl(fd, SIOCSIFFLAGS, &ifr);
	close(fd);
	return ret;
}

static void send_udp(int n)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr.s_addr = htonl(0x7f000002),
	};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i;

	for (i = 0; i < n; i++)
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
	close(fd);
}

/* out: UDP to 127.0.0.2 is protected by a transport SA of reqid 42. */
static int protect_policy(struct ik_nl *nl)
{
	struct nl_msg *msg = ik_msg(nl, IKESEC_CMD_POLICY_NEW, NLM_F_ACK);
	struct nlattr *pol, *sel, *tmpl;

	pol = nla_nest_start(msg, IKESEC_A_POLICY);
	nla_put_u8(msg, IKESEC_POL_A_DIR, IKESEC_DIR_OUT);
	nla_put_u8(msg, IKESEC_POL_A_ACTION, IKESEC_ACTION_PROTECT);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	nla_put(msg, IKESEC_SEL_A_DST_IPV4, 4, "\x7f\x00\x00\x02");
	nla_put_u8(msg, IKESEC_SEL_A_PROTO, IPPROTO_UDP);
	nla_nest_end(msg, sel);
	tmpl = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
	nla_put_u32(msg, IKESEC_TMPL_A_REQID, 42);
	nla_put_u8(msg, IKESEC_TMPL_A_MODE, IKESEC_MODE_TRANSPORT);
	nla_nest_end(msg, tmpl);
	nla_nest_end(msg, pol);
	return ik_send(nl, msg);
}

TEST_F(sa, acquire_once_per_policy_not_per_packet)
{
	struct nl_sock *sk;
	struct ev ev = {};

	ASSERT_EQ(0, lo_up());
	sk = ev_open(&ev);
	ASSERT_NE(NULL, sk);
	ASSERT_EQ(0, protect_policy(&self->nl));
	send_udp(20);
	ev_wait(sk, &ev, 2, 1500);
	ASSERT_EQ(1, ev.n);
	EXPECT_EQ(IKESEC_CMD_ACQUIRE, ev.cmd[0]);
	ASSERT_EQ(0, ik_get_info(&self->nl));
	EXPECT_EQ(20U, self->nl.stats[IKESEC_STAT_OUT_NO_SA]);
	EXPECT_EQ(1U, self->nl.stats[IKESEC_STAT_ACQUIRES]);
	nl_socket_free(sk);
}

TEST_F(sa, packet_lifetime_soft_then_hard_expire)
{
	static const uint8_t key[20] = { 1, 2, 3 };
	struct nlattr *nest;
	struct nl_sock *sk;
	struct nl_msg *msg;
	struct ev ev = {};

	ASSERT_EQ(0, lo_up());
	sk = ev_open(&ev);
	ASSERT_NE(NULL, sk);
	ASSERT_EQ(0, protect_policy(&self->nl));
	msg = ik_msg(&self->nl, IKESEC_CMD_SA_NEW, NLM_F_ACK);
	nest = nla_nest_start(msg, IKESEC_A_SA);
	nla_put_u8(msg, IKESEC_SA_A_DIR, IKESEC_DIR_OUT);
	nla_put_u32(msg, IKESEC_SA_A_SPI, 0x9000);
	nla_put_u8(msg, IKESEC_SA_A_MODE, IKESEC_MODE_TRANSPORT);
	nla_put(msg, IKESEC_SA_A_LOCAL_IPV4, 4, "\x7f\x00\x00\x01");
	nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, "\x7f\x00\x00\x02");
	nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_GCM_16);
	nla_put(msg, IKESEC_SA_A_ENC_KEY, sizeof(key), key);
	nla_put_u32(msg, IKESEC_SA_A_REQID, 42);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_SOFT, 0, 5, 0);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_HARD, 0, 10, 0);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));

	send_udp(12);
	ev_wait(sk, &ev, 3, 2000);
	ASSERT_GE(ev.n, 2);
	EXPECT_EQ(IKESEC_CMD_EXPIRE, ev.cmd[0]);
	EXPECT_EQ(0, ev.hard[0]);
	EXPECT_EQ(IKESEC_CMD_EXPIRE, ev.cmd[1]);
	EXPECT_EQ(1, ev.hard[1]);
	for (int i = 0; i < 50; i++) {
		ASSERT_EQ(0, ik_count_sas(&self->nl));
		if (self->nl.sa_count == 0)
			break;
		usleep(20000);
	}
	EXPECT_EQ(0U, self->nl.sa_count);
	/* The SA is gone: the policy asks for a new one, once. */
	EXPECT_EQ(3, ev.n);
	EXPECT_EQ(IKESEC_CMD_ACQUIRE, ev.cmd[2]);
	nl_socket_free(sk);
}

/* Bytes count the inner packet: 29 for each 1-byte UDP datagram (IPv4
 * 20 + UDP 8 + 1). Soft at 100 bytes is the 4th packet, hard at 200 the
 * 7th; once hard, the SA carries nothing more, the rest find no SA.
 */
TEST_F(sa, byte_lifetime_soft_then_hard_expire)
{
	static const uint8_t key[20] = { 1, 2, 3 };
	struct nlattr *nest;
	struct nl_sock *sk;
	struct nl_msg *msg;
	struct ev ev = {};

	ASSERT_EQ(0, lo_up());
	sk = ev_open(&ev);
	ASSERT_NE(NULL, sk);
	ASSERT_EQ(0, protect_policy(&self->nl));
	msg = ik_msg(&self->nl, IKESEC_CMD_SA_NEW, NLM_F_ACK);
	nest = nla_nest_start(msg, IKESEC_A_SA);
	nla_put_u8(msg, IKESEC_SA_A_DIR, IKESEC_DIR_OUT);
	nla_put_u32(msg, IKESEC_SA_A_SPI, 0x9100);
	nla_put_u8(msg, IKESEC_SA_A_MODE, IKESEC_MODE_TRANSPORT);
	nla_put(msg, IKESEC_SA_A_LOCAL_IPV4, 4, "\x7f\x00\x00\x01");
	nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, "\x7f\x00\x00\x02");
	nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_GCM_16);
	nla_put(msg, IKESEC_SA_A_ENC_KEY, sizeof(key), key);
	nla_put_u32(msg, IKESEC_SA_A_REQID, 42);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_SOFT, 100, 0, 0);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_HARD, 200, 0, 0);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));

	send_udp(10);
	ev_wait(sk, &ev, 3, 2000);
	ASSERT_GE(ev.n, 2);
	EXPECT_EQ(IKESEC_CMD_EXPIRE, ev.cmd[0]);
	EXPECT_EQ(0, ev.hard[0]);
	EXPECT_EQ(0x9100U, ev.spi[0]);
	EXPECT_EQ(IKESEC_CMD_EXPIRE, ev.cmd[1]);
	EXPECT_EQ(1, ev.hard[1]);
	EXPECT_EQ(0x9100U, ev.spi[1]);
	for (int i = 0; i < 50; i++) {
		ASSERT_EQ(0, ik_count_sas(&self->nl));
		if (self->nl.sa_count == 0)
			break;
		usleep(20000);
	}
	EXPECT_EQ(0U, self->nl.sa_count);
	/* Past the hard limit the SA protected nothing more. */
	ASSERT_EQ(0, ik_get_info(&self->nl));
	EXPECT_EQ(7U, self->nl.stats[IKESEC_STAT_OUT_PACKETS]);
	EXPECT_EQ(3U, self->nl.stats[IKESEC_STAT_OUT_NO_SA]);
	nl_socket_free(sk);
}

/* A bypass or discard policy out to dst/plen for UDP, at prio. */
static uint32_t udp_policy(struct ik_nl *nl, const char *dst, int plen,
			   int action, uint32_t prio)
{
	struct nl_msg *msg = ik_msg(nl, IKESEC_CMD_POLICY_NEW, NLM_F_ACK);
	struct nlattr *pol, *sel;
	struct in_addr a;

	inet_pton(AF_INET, dst, &a);
	pol = nla_nest_start(msg, IKESEC_A_POLICY);
	nla_put_u8(msg, IKESEC_POL_A_DIR, IKESEC_DIR_OUT);
	nla_put_u8(msg, IKESEC_POL_A_ACTION, action);
	nla_put_u32(msg, IKESEC_POL_A_PRIORITY, prio);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	nla_put(msg, IKESEC_SEL_A_DST_IPV4, 4, &a);
	nla_put_u8(msg, IKESEC_SEL_A_DST_PREFIXLEN, plen);
	nla_put_u8(msg, IKESEC_SEL_A_PROTO, IPPROTO_UDP);
	nla_nest_end(msg, sel);
	nla_nest_end(msg, pol);
	nl->pol_id = 0;
	if (ik_send(nl, msg))
		return 0;
	return nl->pol_id;
}

static uint64_t hits(struct ik_nl *nl, uint32_t id)
{
	struct nl_msg *msg = ik_msg(nl, IKESEC_CMD_POLICY_GET, NLM_F_ACK);
	struct nlattr *nest = nla_nest_start(msg, IKESEC_A_POLICY);

	nla_put_u32(msg, IKESEC_POL_A_ID, id);
	nla_nest_end(msg, nest);
	nl->pol_hits = ~0ULL;
	ik_send(nl, msg);
	return nl->pol_hits;
}

static void send_udp_to(const char *dst)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
	};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, dst, &to.sin_addr);
	sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
	close(fd);
}

/* Lowest priority wins; on a tie the longer prefix; then the older. */
TEST_F(sa, spd_lookup_order)
{
	uint32_t wide10, host20, host5, wide5, old7, new7;

	ASSERT_EQ(0, lo_up());
	wide10 = udp_policy(&self->nl, "127.0.0.0", 8,
			    IKESEC_ACTION_BYPASS, 10);
	host20 = udp_policy(&self->nl, "127.0.0.2", 32,
			    IKESEC_ACTION_DISCARD, 20);
	wide5 = udp_policy(&self->nl, "127.0.0.0", 24,
			   IKESEC_ACTION_BYPASS, 5);
	host5 = udp_policy(&self->nl, "127.0.0.3", 32,
			   IKESEC_ACTION_BYPASS, 5);
	old7 = udp_policy(&self->nl, "127.0.1.4", 32,
			  IKESEC_ACTION_BYPASS, 7);
	new7 = udp_policy(&self->nl, "127.0.1.4", 32,
			  IKESEC_ACTION_DISCARD, 7);
	ASSERT_NE(0U, new7);

	send_udp_to("127.0.0.2");	/* wide5 (prio 5 < 10 < 20) */
	send_udp_to("127.0.0.3");	/* host5: /32 beats /24 */
	send_udp_to("127.0.1.4");	/* old7 */
	send_udp_to("127.0.1.5");	/* wide10 */
	EXPECT_EQ(1U, hits(&self->nl, wide5));
	EXPECT_EQ(1U, hits(&self->nl, host5));
	EXPECT_EQ(1U, hits(&self->nl, old7));
	EXPECT_EQ(0U, hits(&self->nl, new7));
	EXPECT_EQ(0U, hits(&self->nl, host20));
	EXPECT_EQ(1U, hits(&self->nl, wide10));
}

/* 10,000 host policies share one tuple: each packet still finds its own. */
TEST_F(sa, spd_lookup_among_ten_thousand_hosts)
{
	uint32_t first = 0, id = 0, last = 0;
	char dst[32];
	int i;

	ASSERT_EQ(0, lo_up());
	for (i = 0; i < 10000; i++) {
		snprintf(dst, sizeof(dst), "127.1.%d.%d", i / 256, i % 256);
		id = udp_policy(&self->nl, dst, 32, IKESEC_ACTION_BYPASS, 1);
		ASSERT_NE(0U, id);
		if (i == 0)
			first = id;
		if (i == 5000)
			last = id;
	}
	send_udp_to("127.1.0.0");
	send_udp_to("127.1.19.136");	/* i = 5000 */
	send_udp_to("127.1.19.136");
	EXPECT_EQ(1U, hits(&self->nl, first));
	EXPECT_EQ(2U, hits(&self->nl, last));
	EXPECT_EQ(0U, hits(&self->nl, id));
}

/* A listener in another netns: must hear nothing of ours. */
static int listen_elsewhere(int ready_fd)
{
	struct nl_sock *sk;
	struct ev ev = {};

	if (unshare(CLONE_NEWNET))
		return 100;
	sk = ev_open(&ev);
	if (!sk)
		return 101;
	if (write(ready_fd, "r", 1) != 1)
		return 102;
	ev_wait(sk, &ev, 1, 3000);
	return ev.n;
}

TEST_F(sa, events_stay_in_their_netns)
{
	struct nlattr *nest;
	struct nl_sock *sk;
	struct nl_msg *msg;
	struct ev ev = {};
	int p[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	if (pid == 0)
		_exit(listen_elsewhere(p[1]));
	ASSERT_EQ(1, read(p[0], &c, 1));
	sk = ev_open(&ev);
	ASSERT_NE(NULL, sk);
	msg = sa_new_begin(&self->nl, 0xa000, &nest);
	put_lifetime(msg, IKESEC_SA_A_LIFETIME_HARD, 0, 0, 1);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));
	ev_wait(sk, &ev, 1, 3000);
	EXPECT_EQ(1, ev.n);
	waitpid(pid, &status, 0);
	EXPECT_EQ(0, WEXITSTATUS(status));
	nl_socket_free(sk);
}

static int out_sa(struct ik_nl *nl, int cmd, uint32_t spi)
{
	static const uint8_t key[20] = { 1, 2, 3 };
	struct nl_msg *msg = ik_msg(nl, cmd, NLM_F_ACK);
	struct nlattr *nest = nla_nest_start(msg, IKESEC_A_SA);

	nla_put_u8(msg, IKESEC_SA_A_DIR, IKESEC_DIR_OUT);
	nla_put_u32(msg, IKESEC_SA_A_SPI, spi);
	nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, "\x7f\x00\x00\x02");
	if (cmd == IKESEC_CMD_SA_NEW) {
		nla_put_u8(msg, IKESEC_SA_A_MODE, IKESEC_MODE_TRANSPORT);
		nla_put(msg, IKESEC_SA_A_LOCAL_IPV4, 4, "\x7f\x00\x00\x01");
		nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_GCM_16);
		nla_put(msg, IKESEC_SA_A_ENC_KEY, sizeof(key), key);
		nla_put_u32(msg, IKESEC_SA_A_REQID, 42);
	}
	nla_nest_end(msg, nest);
	return ik_send(nl, msg);
}

/* Rate limit: again after IKESEC_ACQUIRE_RETRY_SECONDS, or at once when
 * an SA for the template came and went.
 */
TEST_F(sa, acquire_again_after_retry_or_sa)
{
	struct nl_sock *sk;
	struct ev ev = {};

	ASSERT_EQ(0, lo_up());
	sk = ev_open(&ev);
	ASSERT_NE(NULL, sk);
	ASSERT_EQ(0, protect_policy(&self->nl));
	send_udp(3);
	ev_wait(sk, &ev, 2, 500);
	ASSERT_EQ(1, ev.n);

	ASSERT_EQ(0, out_sa(&self->nl, IKESEC_CMD_SA_NEW, 0xb000));
	ASSERT_EQ(0, out_sa(&self->nl, IKESEC_CMD_SA_DEL, 0xb000));
	send_udp(3);
	ev_wait(sk, &ev, 3, 500);
	ASSERT_EQ(2, ev.n);
	EXPECT_EQ(IKESEC_CMD_ACQUIRE, ev.cmd[1]);

	usleep(IKESEC_ACQUIRE_RETRY_SECONDS * 1000000 + 300000);
	send_udp(3);
	ev_wait(sk, &ev, 4, 1000);
	ASSERT_EQ(3, ev.n);
	EXPECT_EQ(IKESEC_CMD_ACQUIRE, ev.cmd[2]);
	nl_socket_free(sk);
}

/* ESP in UDP over a veth from our netns (a, 192.0.2.1) to a child's (b,
 * 192.0.2.2). b's inbound SA expects the peer's port 4501; the packets
 * come from 4500, so b must report one MAPPING with the new port.
 */
static int mapping_peer(int to_parent, int from_parent)
{
	static const uint8_t key[20] = { 1, 2, 3 };
	struct nlattr *nest;
	struct nl_msg *msg;
	struct nl_sock *sk;
	struct ev ev = {};
	struct ik_nl nl;
	char c;

	if (unshare(CLONE_NEWNET) || write(to_parent, "1", 1) != 1 ||
	    read(from_parent, &c, 1) != 1)
		return 100;
	if (system("ip link set lo up && ip link set veth_b up && "
		   "ip addr add 192.0.2.2/24 dev veth_b"))
		return 101;
	if (ik_open(&nl) || !(sk = ev_open(&ev)))
		return 102;
	msg = sa_begin(&nl, IKESEC_CMD_SA_NEW, 0xc000, &nest);
	nla_put_u8(msg, IKESEC_SA_A_MODE, IKESEC_MODE_TRANSPORT);
	nla_put(msg, IKESEC_SA_A_LOCAL_IPV4, 4, "\xc0\x00\x02\x02");
	nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, "\xc0\x00\x02\x01");
	nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_GCM_16);
	nla_put(msg, IKESEC_SA_A_ENC_KEY, sizeof(key), key);
	nla_put_u16(msg, IKESEC_SA_A_ENCAP_SPORT, 4500);
	nla_put_u16(msg, IKESEC_SA_A_ENCAP_DPORT, 4501);
	if (sa_end(&nl, msg, nest)) {
		fprintf(stderr, "# inbound SA: %s\n", nl.extack);
		return 103;
	}
	if (write(to_parent, "2", 1) != 1)
		return 104;
	ev_wait(sk, &ev, 2, 3000);
	if (ev.n != 1 || ev.cmd[0] != IKESEC_CMD_MAPPING ||
	    ev.spi[0] != 0xc000) {
		fprintf(stderr, "# %d events, first %d\n", ev.n, ev.cmd[0]);
		return 1;
	}
	return 0;
}

TEST_F(sa, natt_new_source_port_reported_once)
{
	static const uint8_t key[20] = { 1, 2, 3 };
	int to_child[2], to_parent[2], status;
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(9),
		.sin_addr.s_addr = htonl(0xc0000202),
	};
	struct nlattr *nest, *pol, *sel, *tmpl;
	struct nl_msg *msg;
	char cmd[160], c;
	pid_t pid;
	int fd, i;

	if (system("ip -V >/dev/null 2>&1"))
		SKIP(return, "ip (iproute2) not installed");
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, pipe(to_parent));
	pid = fork();
	if (pid == 0)
		_exit(mapping_peer(to_parent[1], to_child[0]));
	ASSERT_EQ(1, read(to_parent[0], &c, 1));
	snprintf(cmd, sizeof(cmd),
		 "ip link add veth_a type veth peer name veth_b netns %d && "
		 "ip link set lo up && ip link set veth_a up && "
		 "ip addr add 192.0.2.1/24 dev veth_a", pid);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(1, write(to_child[1], "g", 1));
	ASSERT_EQ(1, read(to_parent[0], &c, 1));

	msg = ik_msg(&self->nl, IKESEC_CMD_SA_NEW, NLM_F_ACK);
	nest = nla_nest_start(msg, IKESEC_A_SA);
	nla_put_u8(msg, IKESEC_SA_A_DIR, IKESEC_DIR_OUT);
	nla_put_u32(msg, IKESEC_SA_A_SPI, 0xc000);
	nla_put_u8(msg, IKESEC_SA_A_MODE, IKESEC_MODE_TRANSPORT);
	nla_put(msg, IKESEC_SA_A_LOCAL_IPV4, 4, "\xc0\x00\x02\x01");
	nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, "\xc0\x00\x02\x02");
	nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_GCM_16);
	nla_put(msg, IKESEC_SA_A_ENC_KEY, sizeof(key), key);
	nla_put_u32(msg, IKESEC_SA_A_REQID, 5);
	nla_put_u16(msg, IKESEC_SA_A_ENCAP_SPORT, 4500);
	nla_put_u16(msg, IKESEC_SA_A_ENCAP_DPORT, 4500);
	ASSERT_EQ(0, sa_end(&self->nl, msg, nest));

	msg = ik_msg(&self->nl, IKESEC_CMD_POLICY_NEW, NLM_F_ACK);
	pol = nla_nest_start(msg, IKESEC_A_POLICY);
	nla_put_u8(msg, IKESEC_POL_A_DIR, IKESEC_DIR_OUT);
	nla_put_u8(msg, IKESEC_POL_A_ACTION, IKESEC_ACTION_PROTECT);
	sel = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);
	nla_put(msg, IKESEC_SEL_A_DST_IPV4, 4, "\xc0\x00\x02\x02");
	nla_put_u8(msg, IKESEC_SEL_A_PROTO, IPPROTO_UDP);
	nla_put_u16(msg, IKESEC_SEL_A_DPORT_MIN, 9);
	nla_nest_end(msg, sel);
	tmpl = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
	nla_put_u32(msg, IKESEC_TMPL_A_REQID, 5);
	nla_put_u8(msg, IKESEC_TMPL_A_MODE, IKESEC_MODE_TRANSPORT);
	nla_nest_end(msg, tmpl);
	nla_nest_end(msg, pol);
	ASSERT_EQ(0, ik_send(&self->nl, msg));

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	for (i = 0; i < 5; i++) {
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
		usleep(100000);
	}
	close(fd);
	waitpid(pid, &status, 0);
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
