// SPDX-License-Identifier: GPL-2.0
/*
 * The ikesec generic netlink family over libnl-3; see kernel.h. Requests
 * ask for extended acks so a rejection is logged with the module's own
 * words. Key buffers in requests are wiped before the message is freed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <openssl/crypto.h>

#include <linux/ikesec.h>

#include "ikev2.h"
#include "kernel.h"
#include "log.h"
#include "net.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/*
 * Receive buffer of the request socket, bytes. Every answer to our
 * requests (an ACK, capped, with the module's extack text; an SA or SPI)
 * is far smaller, so each is read with one recvmsg(): libnl otherwise
 * peeks at every message first to size its buffer, a second system call
 * per answer (five answers per CHILD SA).
 */
#define KERNEL_RECV_BUF	(32 << 10)

static struct nl_sock *req_sk, *ev_sk;
static int family;

struct reply {
	int err;
	char extack[256];
	uint32_t spi;
	uint32_t pol_id;
	bool got;
	uint64_t packets;		/* SA_GET: IKESEC_SA_STAT_PACKETS */
};

static int on_event(struct nl_msg *msg, void *arg);

int kernel_init(void)
{
	int one = 1, grp;

	req_sk = nl_socket_alloc();
	if (!req_sk || genl_connect(req_sk)) {
		log_warnx(LOG_KNL, "cannot open a generic netlink socket");
		goto fail;
	}
	family = genl_ctrl_resolve(req_sk, IKESEC_GENL_NAME);
	if (family < 0) {
		log_warnx(LOG_KNL, "genl family %s not found: is the ikesec "
			  "module loaded?", IKESEC_GENL_NAME);
		goto fail;
	}
	setsockopt(nl_socket_get_fd(req_sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(req_sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_disable_msg_peek(req_sk);
	nl_socket_set_msg_buf_size(req_sk, KERNEL_RECV_BUF);
	ev_sk = nl_socket_alloc();
	if (!ev_sk || genl_connect(ev_sk))
		goto fail;
	/* multicast events carry no sequence numbers */
	nl_socket_disable_seq_check(ev_sk);
	nl_socket_modify_cb(ev_sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, NULL);
	nl_socket_set_nonblocking(ev_sk);
	grp = genl_ctrl_resolve_grp(req_sk, IKESEC_GENL_NAME,
				    IKESEC_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(ev_sk, grp)) {
		log_warnx(LOG_KNL, "cannot join the %s event group; SA "
			  "expiry and acquires will go unnoticed",
			  IKESEC_MCGRP_EVENTS);
		nl_socket_free(ev_sk);
		ev_sk = NULL;
	}
	return 0;
fail:
	kernel_close();
	return -1;
}

void kernel_close(void)
{
	if (req_sk)
		nl_socket_free(req_sk);
	if (ev_sk)
		nl_socket_free(ev_sk);
	req_sk = ev_sk = NULL;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	struct reply *r = arg;
	size_t hlen = sizeof(*nlh) + sizeof(*e);
	int alen;

	(void)who;
	r->err = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	alen = (int)nlh->nlmsg_len - (int)hlen;
	if (alen > 0 &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX,
		       (struct nlattr *)((uint8_t *)nlh + hlen), alen, NULL) &&
	    tb[NLMSGERR_ATTR_MSG])
		snprintf(r->extack, sizeof(r->extack), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct reply *)arg)->err = 0;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[IKESEC_A_MAX + 1], *nest[IKESEC_SA_A_MAX + 1];
	struct nlattr *pol[IKESEC_POL_A_MAX + 1];
	struct nlattr *st[IKESEC_SA_STAT_MAX + 1];
	struct reply *r = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, IKESEC_A_MAX, NULL))
		return NL_SKIP;
	if (tb[IKESEC_A_SA] &&
	    !nla_parse_nested(nest, IKESEC_SA_A_MAX, tb[IKESEC_A_SA], NULL) &&
	    nest[IKESEC_SA_A_SPI]) {
		r->spi = nla_get_u32(nest[IKESEC_SA_A_SPI]);
		r->got = true;
		if (nest[IKESEC_SA_A_STATS] &&
		    !nla_parse_nested(st, IKESEC_SA_STAT_MAX,
				      nest[IKESEC_SA_A_STATS], NULL) &&
		    st[IKESEC_SA_STAT_PACKETS])
			r->packets = nla_get_u64(st[IKESEC_SA_STAT_PACKETS]);
	}
	if (tb[IKESEC_A_POLICY] &&
	    !nla_parse_nested(pol, IKESEC_POL_A_MAX, tb[IKESEC_A_POLICY],
			      NULL) &&
	    pol[IKESEC_POL_A_ID]) {
		r->pol_id = nla_get_u32(pol[IKESEC_POL_A_ID]);
		r->got = true;
	}
	return NL_OK;
}

/* Send msg, wait for the ack (and a reply); msg is wiped and freed. */
static int transact(struct nl_msg *msg, const char *what, struct reply *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	memset(r, 0, sizeof(*r));
	r->err = 1;
	if (!req_sk) {
		ret = -ENODEV;
		snprintf(r->extack, sizeof(r->extack), "ikesec module not "
			 "available");
		goto out;
	}
	if (!cb) {
		ret = -ENOMEM;
		goto out;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, r);
	ret = nl_send_auto(req_sk, msg);
	if (ret < 0) {
		ret = -EIO;
		goto out;
	}
	while (r->err > 0) {
		ret = nl_recvmsgs(req_sk, cb);
		if (ret < 0 && r->err > 0) {
			r->err = -EIO;
			break;
		}
	}
	ret = r->err;
out:
	if (ret)
		log_warnx(LOG_KNL, "%s: %s%s%s", what, strerror(-ret),
			  r->extack[0] ? ": " : "", r->extack);
	OPENSSL_cleanse(nlmsg_data(nlmsg_hdr(msg)),
			nlmsg_datalen(nlmsg_hdr(msg)));
	nlmsg_free(msg);
	nl_cb_put(cb);
	return ret;
}

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				NLM_F_ACK, cmd, IKESEC_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int kernel_spi_alloc(uint32_t *spi)
{
	struct nl_msg *msg = new_msg(IKESEC_CMD_SPI_ALLOC);
	struct reply r;
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = transact(msg, "SPI allocation", &r);
	if (!ret && !r.got) {
		log_warnx(LOG_KNL, "SPI allocation: no SPI in the reply");
		ret = -EIO;
	}
	if (!ret)
		*spi = r.spi;
	return ret;
}

static int put_addr(struct nl_msg *msg, int a4, int a6,
		    const struct sockaddr_storage *ss)
{
	const uint8_t *p;
	size_t len = net_addr_raw(ss, &p);

	if (!len)
		return -1;
	return nla_put(msg, len == 4 ? a4 : a6, (int)len, p);
}

static int put_sel(struct nl_msg *msg, int type, const struct ts *src,
		   const struct ts *dst)
{
	struct nlattr *n = nla_nest_start(msg, type);
	int v4 = src->type == IKEV2_TS_IPV4_ADDR_RANGE;
	int alen = v4 ? 4 : 16, sp = ts_prefixlen(src), dp = ts_prefixlen(dst);
	uint8_t proto = src->proto ? src->proto : dst->proto;

	if (!n || sp < 0 || dp < 0 || src->type != dst->type)
		return -1;
	if (nla_put(msg, v4 ? IKESEC_SEL_A_SRC_IPV4 : IKESEC_SEL_A_SRC_IPV6,
		    alen, src->start) ||
	    nla_put_u8(msg, IKESEC_SEL_A_SRC_PREFIXLEN, (uint8_t)sp) ||
	    nla_put(msg, v4 ? IKESEC_SEL_A_DST_IPV4 : IKESEC_SEL_A_DST_IPV6,
		    alen, dst->start) ||
	    nla_put_u8(msg, IKESEC_SEL_A_DST_PREFIXLEN, (uint8_t)dp))
		return -1;
	if (proto && nla_put_u8(msg, IKESEC_SEL_A_PROTO, proto))
		return -1;
	if (proto && (src->sport || src->eport != 65535) &&
	    (nla_put_u16(msg, IKESEC_SEL_A_SPORT_MIN, src->sport) ||
	     nla_put_u16(msg, IKESEC_SEL_A_SPORT_MAX, src->eport)))
		return -1;
	if (proto && (dst->sport || dst->eport != 65535) &&
	    (nla_put_u16(msg, IKESEC_SEL_A_DPORT_MIN, dst->sport) ||
	     nla_put_u16(msg, IKESEC_SEL_A_DPORT_MAX, dst->eport)))
		return -1;
	nla_nest_end(msg, n);
	return 0;
}

static int put_lifetime(struct nl_msg *msg, int type, uint64_t secs)
{
	struct nlattr *n;

	if (!secs)
		return 0;
	n = nla_nest_start(msg, type);
	if (!n || nla_put_u64(msg, IKESEC_LT_A_SECONDS, secs))
		return -1;
	nla_nest_end(msg, n);
	return 0;
}

int kernel_sa_add(const struct kernel_sa *sa)
{
	struct nl_msg *msg = new_msg(IKESEC_CMD_SA_NEW);
	struct nlattr *n;
	struct reply r;
	char what[64];

	snprintf(what, sizeof(what), "adding %s SA 0x%08x",
		 sa->dir == IKESEC_DIR_IN ? "inbound" : "outbound", sa->spi);
	if (!msg)
		return -ENOMEM;
	n = nla_nest_start(msg, IKESEC_A_SA);
	if (!n || nla_put_u8(msg, IKESEC_SA_A_DIR, sa->dir) ||
	    nla_put_u32(msg, IKESEC_SA_A_SPI, sa->spi) ||
	    nla_put_u8(msg, IKESEC_SA_A_MODE, sa->mode) ||
	    put_addr(msg, IKESEC_SA_A_LOCAL_IPV4, IKESEC_SA_A_LOCAL_IPV6,
		     &sa->local) ||
	    put_addr(msg, IKESEC_SA_A_PEER_IPV4, IKESEC_SA_A_PEER_IPV6,
		     &sa->peer) ||
	    nla_put_u16(msg, IKESEC_SA_A_ENC_ALG, sa->enc_alg) ||
	    nla_put(msg, IKESEC_SA_A_ENC_KEY, (int)sa->enc_key_len,
		    sa->enc_key) ||
	    (sa->auth_alg &&
	     (nla_put_u16(msg, IKESEC_SA_A_AUTH_ALG, sa->auth_alg) ||
	      nla_put(msg, IKESEC_SA_A_AUTH_KEY, (int)sa->auth_key_len,
		      sa->auth_key))) ||
	    (sa->esn && nla_put_u32(msg, IKESEC_SA_A_FLAGS, IKESEC_SA_F_ESN)) ||
	    nla_put_u32(msg, IKESEC_SA_A_REPLAY_WINDOW, sa->replay_window) ||
	    (sa->reqid && nla_put_u32(msg, IKESEC_SA_A_REQID, sa->reqid)) ||
	    (sa->encap_dport &&
	     (nla_put_u16(msg, IKESEC_SA_A_ENCAP_SPORT, sa->encap_sport) ||
	      nla_put_u16(msg, IKESEC_SA_A_ENCAP_DPORT, sa->encap_dport))) ||
	    (sa->sel_src && put_sel(msg, IKESEC_SA_A_SELECTOR, sa->sel_src,
				    sa->sel_dst)) ||
	    put_lifetime(msg, IKESEC_SA_A_LIFETIME_SOFT, sa->soft_secs) ||
	    put_lifetime(msg, IKESEC_SA_A_LIFETIME_HARD, sa->hard_secs)) {
		log_warnx(LOG_KNL, "%s: message too large", what);
		OPENSSL_cleanse(nlmsg_data(nlmsg_hdr(msg)),
				nlmsg_datalen(nlmsg_hdr(msg)));
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, n);
	return transact(msg, what, &r);
}

/* A request of cmd naming one SA: its direction, SPI and, outbound, the
 * peer. NULL without memory.
 */
static struct nl_msg *sa_id_msg(uint8_t cmd, uint8_t dir, uint32_t spi,
				const struct sockaddr_storage *peer)
{
	struct nl_msg *msg = new_msg(cmd);
	struct nlattr *n;

	if (!msg)
		return NULL;
	n = nla_nest_start(msg, IKESEC_A_SA);
	if (!n || nla_put_u8(msg, IKESEC_SA_A_DIR, dir) ||
	    nla_put_u32(msg, IKESEC_SA_A_SPI, spi) ||
	    (dir == IKESEC_DIR_OUT &&
	     put_addr(msg, IKESEC_SA_A_PEER_IPV4, IKESEC_SA_A_PEER_IPV6,
		      peer))) {
		nlmsg_free(msg);
		return NULL;
	}
	nla_nest_end(msg, n);
	return msg;
}

int kernel_sa_del(uint8_t dir, uint32_t spi,
		  const struct sockaddr_storage *peer)
{
	struct nl_msg *msg = sa_id_msg(IKESEC_CMD_SA_DEL, dir, spi, peer);
	struct reply r;
	char what[64];

	if (!msg)
		return -ENOMEM;
	snprintf(what, sizeof(what), "deleting %s SA 0x%08x",
		 dir == IKESEC_DIR_IN ? "inbound" : "outbound", spi);
	return transact(msg, what, &r);
}

int kernel_sa_packets(uint8_t dir, uint32_t spi,
		      const struct sockaddr_storage *peer, uint64_t *packets)
{
	struct nl_msg *msg = sa_id_msg(IKESEC_CMD_SA_GET, dir, spi, peer);
	struct reply r;
	char what[64];
	int ret;

	if (!msg)
		return -ENOMEM;
	snprintf(what, sizeof(what), "reading %s SA 0x%08x",
		 dir == IKESEC_DIR_IN ? "inbound" : "outbound", spi);
	ret = transact(msg, what, &r);
	if (!ret && !r.got)
		ret = -EIO;
	if (!ret)
		*packets = r.packets;
	return ret;
}

int kernel_sa_set_peer(uint8_t dir, uint32_t spi,
		       const struct sockaddr_storage *old_peer,
		       const struct sockaddr_storage *new_peer)
{
	struct nl_msg *msg = new_msg(IKESEC_CMD_SA_SET);
	struct nlattr *n;
	struct reply r;
	char what[64];

	snprintf(what, sizeof(what), "moving %s SA 0x%08x",
		 dir == IKESEC_DIR_IN ? "inbound" : "outbound", spi);
	if (!msg)
		return -ENOMEM;
	n = nla_nest_start(msg, IKESEC_A_SA);
	if (!n || nla_put_u8(msg, IKESEC_SA_A_DIR, dir) ||
	    nla_put_u32(msg, IKESEC_SA_A_SPI, spi) ||
	    (dir == IKESEC_DIR_OUT &&
	     put_addr(msg, IKESEC_SA_A_PEER_IPV4, IKESEC_SA_A_PEER_IPV6,
		      old_peer)) ||
	    (!net_addr_eq(old_peer, new_peer) &&
	     put_addr(msg, IKESEC_SA_A_NEW_PEER_IPV4,
		      IKESEC_SA_A_NEW_PEER_IPV6, new_peer)) ||
	    nla_put_u16(msg, IKESEC_SA_A_ENCAP_DPORT, net_port(new_peer))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, n);
	return transact(msg, what, &r);
}

int kernel_encap_attach(int fd)
{
	struct nl_msg *msg;
	struct reply r;

	if (!req_sk)
		return -ENODEV;
	msg = new_msg(IKESEC_CMD_ENCAP_ATTACH);
	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, IKESEC_A_ENCAP_FD, (uint32_t)fd)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return transact(msg, "attaching the NAT-T socket", &r);
}

int kernel_policy_add(const struct kernel_policy *pol, uint32_t *id)
{
	struct nl_msg *msg = new_msg(IKESEC_CMD_POLICY_NEW);
	struct nlattr *n, *t;
	struct reply r;
	char what[64];
	int ret;

	snprintf(what, sizeof(what), "adding %s policy",
		 pol->dir == IKESEC_DIR_IN ? "inbound" :
		 pol->dir == IKESEC_DIR_OUT ? "outbound" : "forward");
	if (!msg)
		return -ENOMEM;
	n = nla_nest_start(msg, IKESEC_A_POLICY);
	if (!n || nla_put_u8(msg, IKESEC_POL_A_DIR, pol->dir) ||
	    nla_put_u8(msg, IKESEC_POL_A_ACTION, pol->action) ||
	    nla_put_u32(msg, IKESEC_POL_A_PRIORITY, pol->priority) ||
	    put_sel(msg, IKESEC_POL_A_SELECTOR, pol->src, pol->dst))
		goto too_big;
	if (pol->action == IKESEC_ACTION_PROTECT) {
		t = nla_nest_start(msg, IKESEC_POL_A_TEMPLATE);
		if (!t || nla_put_u32(msg, IKESEC_TMPL_A_REQID, pol->reqid) ||
		    nla_put_u8(msg, IKESEC_TMPL_A_MODE, pol->mode))
			goto too_big;
		if (pol->mode == IKESEC_MODE_TUNNEL &&
		    (put_addr(msg, IKESEC_TMPL_A_LOCAL_IPV4,
			      IKESEC_TMPL_A_LOCAL_IPV6, &pol->local) ||
		     put_addr(msg, IKESEC_TMPL_A_PEER_IPV4,
			      IKESEC_TMPL_A_PEER_IPV6, &pol->peer)))
			goto too_big;
		nla_nest_end(msg, t);
	}
	nla_nest_end(msg, n);
	ret = transact(msg, what, &r);
	if (!ret)
		*id = r.pol_id;
	return ret;
too_big:
	log_warnx(LOG_KNL, "%s: cannot build the request (selector not a "
		  "prefix?)", what);
	nlmsg_free(msg);
	return -EINVAL;
}

int kernel_policy_del(uint32_t id)
{
	struct nl_msg *msg = new_msg(IKESEC_CMD_POLICY_DEL);
	struct nlattr *n;
	struct reply r;

	if (!msg)
		return -ENOMEM;
	n = nla_nest_start(msg, IKESEC_A_POLICY);
	if (!n || nla_put_u32(msg, IKESEC_POL_A_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, n);
	return transact(msg, "deleting policy", &r);
}

int kernel_event_fd(void)
{
	return ev_sk ? nl_socket_get_fd(ev_sk) : -1;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[IKESEC_A_MAX + 1], *sa[IKESEC_SA_A_MAX + 1];
	struct nlattr *pol[IKESEC_POL_A_MAX + 1];
	struct sockaddr_storage peer = { 0 };

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, IKESEC_A_MAX, NULL))
		return NL_SKIP;
	log_debug(LOG_KNL, "event %u from ikesec", gh->cmd);
	switch (gh->cmd) {
	case IKESEC_CMD_EXPIRE:
		if (!tb[IKESEC_A_SA] ||
		    nla_parse_nested(sa, IKESEC_SA_A_MAX, tb[IKESEC_A_SA],
				     NULL) ||
		    !sa[IKESEC_SA_A_SPI] || !sa[IKESEC_SA_A_DIR])
			break;
		child_sa_expired(nla_get_u8(sa[IKESEC_SA_A_DIR]),
			      nla_get_u32(sa[IKESEC_SA_A_SPI]),
			      tb[IKESEC_A_EXPIRE_HARD] != NULL);
		break;
	case IKESEC_CMD_ACQUIRE:
		if (!tb[IKESEC_A_POLICY] ||
		    nla_parse_nested(pol, IKESEC_POL_A_MAX,
				     tb[IKESEC_A_POLICY], NULL) ||
		    !pol[IKESEC_POL_A_ID])
			break;
		child_sa_acquire(nla_get_u32(pol[IKESEC_POL_A_ID]));
		break;
	case IKESEC_CMD_MAPPING:
		if (!tb[IKESEC_A_SA] ||
		    nla_parse_nested(sa, IKESEC_SA_A_MAX, tb[IKESEC_A_SA],
				     NULL) ||
		    !sa[IKESEC_SA_A_SPI] || !sa[IKESEC_SA_A_DIR] ||
		    !sa[IKESEC_SA_A_ENCAP_DPORT])
			break;
		if (sa[IKESEC_SA_A_PEER_IPV4] &&
		    nla_len(sa[IKESEC_SA_A_PEER_IPV4]) == 4) {
			struct sockaddr_in *sin = (void *)&peer;

			sin->sin_family = AF_INET;
			memcpy(&sin->sin_addr,
			       nla_data(sa[IKESEC_SA_A_PEER_IPV4]), 4);
		} else if (sa[IKESEC_SA_A_PEER_IPV6] &&
			   nla_len(sa[IKESEC_SA_A_PEER_IPV6]) == 16) {
			struct sockaddr_in6 *sin6 = (void *)&peer;

			sin6->sin6_family = AF_INET6;
			memcpy(&sin6->sin6_addr,
			       nla_data(sa[IKESEC_SA_A_PEER_IPV6]), 16);
		} else {
			break;
		}
		net_set_port(&peer, nla_get_u16(sa[IKESEC_SA_A_ENCAP_DPORT]));
		child_sa_mapping(nla_get_u8(sa[IKESEC_SA_A_DIR]),
				 nla_get_u32(sa[IKESEC_SA_A_SPI]), &peer);
		break;
	default:
		log_debug(LOG_KNL, "event %u ignored", gh->cmd);
	}
	return NL_OK;
}

void kernel_event_dispatch(void)
{
	nl_recvmsgs_default(ev_sk);
}
