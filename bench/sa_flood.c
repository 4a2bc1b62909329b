// SPDX-License-Identifier: GPL-2.0
/*
 * sa_flood: add N ikesec SA pairs, or N policy pairs, as fast as one netlink
 * socket allows, and print how long it took. The scale half of bench/: what
 * `ip -batch` is to XFRM, this is to ikesec (ikectl adds one object per run).
 *
 *   sa_flood sa N [LOCAL PEER [FIRST]]      N outbound + N inbound AES-GCM-256 SAs
 *   sa_flood policy N [LOCAL PEER [FIRST]]  N out + N in tunnel policies
 *
 * Object i (FIRST <= i < FIRST + N, FIRST defaults to 0) uses SPIs 0x200000+i (out) and 0x100000+i (in),
 * reqid 1000+i and the host selectors 10.(128+i/65536).x.y <->
 * 10.(192+i/65536).x.y, exactly as bench/guest.sh gives `ip -batch` for XFRM,
 * so that both systems hold the same tables. LOCAL and PEER default to
 * 192.0.2.1 and 192.0.2.2. Requests are sent one at a time and each
 * acknowledgement is waited for, as `ip -batch` does.
 *
 * Output, one line on stdout: "<objects> <seconds> <objects/s>".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/ikesec.h>

#define SPI_OUT_BASE	0x200000u
#define SPI_IN_BASE	0x100000u
#define REQID_BASE	1000u
#define KEY_LEN		36	/* AES-256 key + 4-byte salt (RFC 4106 4) */

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

struct flood {
	struct nl_sock *sk;
	int family;
	int err;		/* the kernel's -errno of the last request */
	int done;		/* its ACK arrived */
	char msg[256];		/* and its extack text, if any */
	struct in_addr local, peer;
	uint8_t key[KEY_LEN];
};

static void sel_addrs(unsigned int i, struct in_addr *a, struct in_addr *b)
{
	a->s_addr = htonl(10u << 24 | (128u + (i >> 16)) << 16 | (i & 0xffff));
	b->s_addr = htonl(10u << 24 | (192u + (i >> 16)) << 16 | (i & 0xffff));
}

/* Keep the errno and the extack message (NLMSGERR_ATTR_MSG) of a NACK. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *h = (struct nlmsghdr *)e - 1;
	struct flood *f = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);

	(void)nla;
	f->err = e->error;
	f->msg[0] = 0;
	/* NETLINK_CAP_ACK is not set: the request follows the header. */
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    h->nlmsg_len > NLMSG_HDRLEN + off &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX,
		       (struct nlattr *)((char *)e + NLMSG_ALIGN(off)),
		       h->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(off), NULL) &&
	    tb[NLMSGERR_ATTR_MSG])
		snprintf(f->msg, sizeof(f->msg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct flood *f = arg;

	(void)msg;
	f->done = 1;
	return NL_STOP;
}

/*
 * One request, waited for. Returns 0, or -1 with f->err and f->msg set.
 * POLICY_NEW answers with a message (the ID) before its ACK: read until
 * the ACK itself, or the ACKs pile up in the socket until it is full.
 */
static int send_wait(struct flood *f, struct nl_msg *msg)
{
	int err = nl_send_auto(f->sk, msg);

	nlmsg_free(msg);
	f->err = 0;
	f->done = 0;
	f->msg[0] = 0;
	if (err < 0) {
		snprintf(f->msg, sizeof(f->msg), "send: %s", nl_geterror(err));
		return -1;
	}
	while (!f->done && !f->err) {
		err = nl_recvmsgs_default(f->sk);
		if (err < 0 && !f->err) {
			snprintf(f->msg, sizeof(f->msg), "%s", nl_geterror(err));
			return -1;
		}
	}
	return f->err ? -1 : 0;
}

static struct nl_msg *new_msg(struct flood *f, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, f->family, 0,
				NLM_F_ACK, cmd, IKESEC_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int add_sa(struct flood *f, uint8_t dir, uint32_t spi, uint32_t reqid)
{
	struct nl_msg *msg = new_msg(f, IKESEC_CMD_SA_NEW);
	struct nlattr *nest;

	if (!msg)
		return -NLE_NOMEM;
	/* LOCAL is our end in both directions (the uapi header). */
	nest = nla_nest_start(msg, IKESEC_A_SA);
	if (!nest ||
	    nla_put_u8(msg, IKESEC_SA_A_DIR, dir) ||
	    nla_put_u32(msg, IKESEC_SA_A_SPI, spi) ||
	    nla_put_u8(msg, IKESEC_SA_A_MODE, IKESEC_MODE_TUNNEL) ||
	    nla_put(msg, IKESEC_SA_A_LOCAL_IPV4, 4, &f->local) ||
	    nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, &f->peer) ||
	    nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_GCM_16) ||
	    nla_put(msg, IKESEC_SA_A_ENC_KEY, KEY_LEN, f->key) ||
	    nla_put_u32(msg, IKESEC_SA_A_REQID, reqid)) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	nla_nest_end(msg, nest);
	return send_wait(f, msg);
}

static int put_sel(struct nl_msg *msg, struct in_addr src, struct in_addr dst)
{
	struct nlattr *nest = nla_nest_start(msg, IKESEC_POL_A_SELECTOR);

	if (!nest ||
	    nla_put(msg, IKESEC_SEL_A_SRC_IPV4, 4, &src) ||
	    nla_put_u8(msg, IKESEC_SEL_A_SRC_PREFIXLEN, 32) ||
	    nla_put(msg, IKESEC_SEL_A_DST_IPV4, 4, &dst) ||
	    nla_put_u8(msg, IKESEC_SEL_A_DST_PREFIXLEN, 32))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static int add_policy(struct flood *f, uint8_t dir, unsigned int i)
{
	struct nl_msg *msg = new_msg(f, IKESEC_CMD_POLICY_NEW);
	struct in_addr a, b;
	struct nlattr *pol, *tmpl;

	if (!msg)
		return -NLE_NOMEM;
	sel_addrs(i, &a, &b);
	if (dir == IKESEC_DIR_IN) {
		struct in_addr t = a;

		a = b;
		b = t;
	}
	/* Template LOCAL is our end in both directions, as for SAs. */
	pol = nla_nest_start(msg, IKESEC_A_POLICY);
	if (!pol ||
	    nla_put_u8(msg, IKESEC_POL_A_DIR, dir) ||
	    nla_put_u8(msg, IKESEC_POL_A_ACTION, IKESEC_ACTION_PROTECT) ||
	    put_sel(msg, a, b))
		goto nomem;
	tmpl = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
	if (!tmpl ||
	    nla_put_u32(msg, IKESEC_TMPL_A_REQID, REQID_BASE + i) ||
	    nla_put_u8(msg, IKESEC_TMPL_A_MODE, IKESEC_MODE_TUNNEL) ||
	    nla_put(msg, IKESEC_TMPL_A_LOCAL_IPV4, 4, &f->local) ||
	    nla_put(msg, IKESEC_TMPL_A_PEER_IPV4, 4, &f->peer))
		goto nomem;
	nla_nest_end(msg, tmpl);
	nla_nest_end(msg, pol);
	return send_wait(f, msg);
nomem:
	nlmsg_free(msg);
	return -NLE_NOMEM;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: sa_flood sa|policy N [LOCAL PEER [FIRST]]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct flood f = { 0 };
	unsigned int i, n, first = 0;
	int policies, err = 0, ret = 1;
	double t0, t;
	char *end;

	if (argc != 3 && argc != 5 && argc != 6)
		return usage();
	if (!strcmp(argv[1], "sa"))
		policies = 0;
	else if (!strcmp(argv[1], "policy"))
		policies = 1;
	else
		return usage();
	n = strtoul(argv[2], &end, 0);
	if (*end || !n || n > 0x100000) {
		fprintf(stderr, "sa_flood: invalid count `%s'\n", argv[2]);
		return 2;
	}
	if (argc == 6) {
		first = strtoul(argv[5], &end, 0);
		if (*end || first > 0x100000) {
			fprintf(stderr, "sa_flood: invalid first index `%s'\n",
				argv[5]);
			return 2;
		}
	}
	if (inet_pton(AF_INET, argc >= 5 ? argv[3] : "192.0.2.1", &f.local) != 1 ||
	    inet_pton(AF_INET, argc >= 5 ? argv[4] : "192.0.2.2", &f.peer) != 1) {
		fprintf(stderr, "sa_flood: invalid IPv4 address\n");
		return 2;
	}
	for (i = 0; i < KEY_LEN; i++)
		f.key[i] = (uint8_t)(i * 37 + 11);

	f.sk = nl_socket_alloc();
	if (!f.sk || genl_connect(f.sk)) {
		fprintf(stderr, "sa_flood: cannot open a netlink socket\n");
		goto out;
	}
	/* Errors arrive with the kernel's own words (extack). */
	setsockopt(nl_socket_get_fd(f.sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &(int){ 1 }, sizeof(int));
	nl_cb_err(nl_socket_get_cb(f.sk), NL_CB_CUSTOM, on_error, &f);
	nl_socket_modify_cb(f.sk, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &f);
	f.family = genl_ctrl_resolve(f.sk, IKESEC_GENL_NAME);
	if (f.family < 0) {
		fprintf(stderr, "sa_flood: no `%s' family: module not loaded?\n",
			IKESEC_GENL_NAME);
		goto out;
	}

	t0 = now();
	for (i = first; i < first + n && !err; i++) {
		if (policies) {
			err = add_policy(&f, IKESEC_DIR_OUT, i);
			if (!err)
				err = add_policy(&f, IKESEC_DIR_IN, i);
		} else {
			err = add_sa(&f, IKESEC_DIR_OUT, SPI_OUT_BASE + i,
				     REQID_BASE + i);
			if (!err)
				err = add_sa(&f, IKESEC_DIR_IN, SPI_IN_BASE + i,
					     REQID_BASE + i);
		}
	}
	t = now() - t0;
	if (err) {
		fprintf(stderr, "sa_flood: %s pair %u of %u: %s%s%s\n",
			argv[1], i - 1 - first, n, f.err ? strerror(-f.err) : "",
			f.err && f.msg[0] ? ": " : "", f.msg);
		goto out;
	}
	printf("%u %.3f %.0f\n", 2 * n, t, 2 * n / t);
	ret = 0;
out:
	nl_socket_free(f.sk);
	return ret;
}
