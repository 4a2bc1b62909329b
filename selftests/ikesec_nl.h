/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal libnl-genl client for the C selftests: open, one request, the
 * kernel's error and extack message back.
 */
#ifndef IKESEC_SELFTEST_NL_H
#define IKESEC_SELFTEST_NL_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/ikesec.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

struct ik_nl {
	struct nl_sock *sk;
	int family;
	int err;		/* last kernel errno, 0 on success */
	int done;		/* the ack, error or end of dump came */
	char extack[256];	/* last extack message */
	uint32_t sa_count;	/* from GET_INFO or an SA dump */
	uint32_t version;
	uint32_t pol_count;	/* from GET_INFO or a policy dump */
	uint32_t pol_id;	/* ID of the last policy reply */
	uint64_t pol_hits;	/* its HITS */
	uint32_t spi;		/* SPI of the last SA reply (SPI_ALLOC) */
	uint64_t stats[IKESEC_STAT_MAX + 1];	/* from GET_INFO */
	uint8_t sa[2048];	/* the last IKESEC_A_SA nest received */
	int sa_len;
};

static int ik_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct ik_nl *nl = arg;
	struct nlattr *a;
	int off, rem;

	(void)nla;
	nl->err = -e->error;
	nl->done = 1;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	a = (struct nlattr *)((char *)e + off);
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - off;
	for (; nla_ok(a, rem); a = nla_next(a, &rem))
		if (nla_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(nl->extack, sizeof(nl->extack), "%s",
				 (char *)nla_data(a));
	return NL_STOP;
}

static int ik_ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct ik_nl *)arg)->err = 0;
	((struct ik_nl *)arg)->done = 1;
	return NL_STOP;
}

static int ik_finish_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct ik_nl *)arg)->done = 1;
	return NL_STOP;
}

static int ik_valid_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[IKESEC_A_MAX + 1];
	struct ik_nl *nl = arg;

	if (nla_parse(tb, IKESEC_A_MAX, genlmsg_attrdata(gh, 0),
		      genlmsg_attrlen(gh, 0), NULL))
		return NL_SKIP;
	if (tb[IKESEC_A_VERSION])
		nl->version = nla_get_u32(tb[IKESEC_A_VERSION]);
	if (tb[IKESEC_A_SA_COUNT])
		nl->sa_count = nla_get_u32(tb[IKESEC_A_SA_COUNT]);
	if (gh->cmd == IKESEC_CMD_SA_GET && tb[IKESEC_A_SA])
		nl->sa_count++;
	if (tb[IKESEC_A_STATS]) {
		struct nlattr *st[IKESEC_STAT_MAX + 1];
		int i;

		if (!nla_parse_nested(st, IKESEC_STAT_MAX, tb[IKESEC_A_STATS],
				      NULL))
			for (i = 1; i <= IKESEC_STAT_MAX; i++)
				nl->stats[i] = st[i] ? nla_get_u64(st[i]) : 0;
	}
	if (tb[IKESEC_A_POLICY_COUNT])
		nl->pol_count = nla_get_u32(tb[IKESEC_A_POLICY_COUNT]);
	if (tb[IKESEC_A_POLICY]) {
		struct nlattr *p[IKESEC_POL_A_MAX + 1];

		if (gh->cmd == IKESEC_CMD_POLICY_GET)
			nl->pol_count++;
		if (!nla_parse_nested(p, IKESEC_POL_A_MAX, tb[IKESEC_A_POLICY],
				      NULL) && p[IKESEC_POL_A_ID]) {
			nl->pol_id = nla_get_u32(p[IKESEC_POL_A_ID]);
			if (p[IKESEC_POL_A_HITS])
				nl->pol_hits = nla_get_u64(p[IKESEC_POL_A_HITS]);
		}
	}
	if (tb[IKESEC_A_SA] &&
	    nla_len(tb[IKESEC_A_SA]) <= (int)sizeof(nl->sa)) {
		struct nlattr *a[IKESEC_SA_A_MAX + 1];

		nl->sa_len = nla_len(tb[IKESEC_A_SA]);
		memcpy(nl->sa, nla_data(tb[IKESEC_A_SA]), nl->sa_len);
		if (!nla_parse_nested(a, IKESEC_SA_A_MAX, tb[IKESEC_A_SA],
				      NULL) && a[IKESEC_SA_A_SPI])
			nl->spi = nla_get_u32(a[IKESEC_SA_A_SPI]);
	}
	return NL_OK;
}

/* Returns 0, or -errno from the kernel (-ENOENT: family not found). */
static inline int ik_open(struct ik_nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk || genl_connect(nl->sk))
		return -ENOMEM;
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, IKESEC_GENL_NAME);
	if (nl->family < 0)
		return -ENOENT;
	nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, ik_err_cb, nl);
	nl_socket_modify_cb(nl->sk, NL_CB_ACK, NL_CB_CUSTOM, ik_ack_cb, nl);
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, ik_valid_cb, nl);
	nl_socket_modify_cb(nl->sk, NL_CB_FINISH, NL_CB_CUSTOM, ik_finish_cb,
			    nl);
	return 0;
}

static inline void ik_close(struct ik_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

static inline struct nl_msg *ik_msg(struct ik_nl *nl, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg)
		genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			    flags, cmd, IKESEC_GENL_VERSION);
	return msg;
}

/* Sends msg (and frees it); returns 0 or -errno from the kernel. */
static inline int ik_send(struct ik_nl *nl, struct nl_msg *msg)
{
	int ret;

	nl->err = 0;
	nl->done = 0;
	nl->extack[0] = '\0';
	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return -EIO;
	/* A doit's reply and its ack are two reads: read up to the ack, so
	 * the next request does not find this one's.
	 */
	while (!nl->done)
		if (nl_recvmsgs_default(nl->sk) < 0 && !nl->done)
			return -EIO;
	return -nl->err;
}

static inline int ik_get_info(struct ik_nl *nl)
{
	nl->sa_count = 0;
	return ik_send(nl, ik_msg(nl, IKESEC_CMD_GET_INFO, NLM_F_ACK));
}

static inline int ik_count_policies(struct ik_nl *nl)
{
	nl->pol_count = 0;
	return ik_send(nl, ik_msg(nl, IKESEC_CMD_POLICY_GET, NLM_F_DUMP));
}

/* The attributes of the last SA nest received; 0 or -EINVAL. */
static inline int ik_sa_attrs(struct ik_nl *nl, struct nlattr **tb)
{
	return nla_parse(tb, IKESEC_SA_A_MAX, (struct nlattr *)nl->sa,
			 nl->sa_len, NULL) ? -EINVAL : 0;
}

static inline int ik_count_sas(struct ik_nl *nl)
{
	nl->sa_count = 0;
	return ik_send(nl, ik_msg(nl, IKESEC_CMD_SA_GET, NLM_F_DUMP));
}

/* An inbound AES-GCM tunnel SA 192.0.2.2 -> 192.0.2.1, keylen bytes of key
 * (20 is AES-128 with its salt).
 */
static inline struct nl_msg *ik_sa_msg(struct ik_nl *nl, int cmd, uint32_t spi,
				       int keylen)
{
	static const uint8_t key[64] = { 1, 2, 3 };
	struct nl_msg *msg = ik_msg(nl, cmd, NLM_F_ACK);
	struct nlattr *sa = nla_nest_start(msg, IKESEC_A_SA);

	nla_put_u8(msg, IKESEC_SA_A_DIR, IKESEC_DIR_IN);
	nla_put_u32(msg, IKESEC_SA_A_SPI, spi);
	nla_put_u8(msg, IKESEC_SA_A_MODE, IKESEC_MODE_TUNNEL);
	nla_put(msg, IKESEC_SA_A_LOCAL_IPV4, 4, "\xc0\x00\x02\x01");
	nla_put(msg, IKESEC_SA_A_PEER_IPV4, 4, "\xc0\x00\x02\x02");
	nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_GCM_16);
	nla_put(msg, IKESEC_SA_A_ENC_KEY, keylen, key);
	nla_nest_end(msg, sa);
	return msg;
}

static inline int ik_sa_add(struct ik_nl *nl, uint32_t spi)
{
	return ik_send(nl, ik_sa_msg(nl, IKESEC_CMD_SA_NEW, spi, 20));
}

#endif
