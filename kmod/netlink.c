// SPDX-License-Identifier: GPL-2.0
/* The "ikesec" generic netlink family: strict policies, an extack message on
 * every rejection, CAP_NET_ADMIN in the caller's user namespace. This file
 * turns attributes into configs and objects into attributes, nothing more.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink.h"
#include "netns.h"
#include "sa.h"

#ifdef IKESEC_NEED_EXTACK_BUF
char ikesec_extack_buf[160];
#endif

static const struct nla_policy lifetime_policy[IKESEC_LT_A_MAX + 1] = {
	[IKESEC_LT_A_BYTES] = { .type = NLA_U64 },
	[IKESEC_LT_A_PACKETS] = { .type = NLA_U64 },
	[IKESEC_LT_A_SECONDS] = { .type = NLA_U64 },
};

static const struct nla_policy sel_policy[IKESEC_SEL_A_MAX + 1] = {
	[IKESEC_SEL_A_SRC_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[IKESEC_SEL_A_SRC_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[IKESEC_SEL_A_SRC_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[IKESEC_SEL_A_DST_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[IKESEC_SEL_A_DST_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[IKESEC_SEL_A_DST_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[IKESEC_SEL_A_PROTO] = { .type = NLA_U8 },
	[IKESEC_SEL_A_SPORT_MIN] = { .type = NLA_U16 },
	[IKESEC_SEL_A_SPORT_MAX] = { .type = NLA_U16 },
	[IKESEC_SEL_A_DPORT_MIN] = { .type = NLA_U16 },
	[IKESEC_SEL_A_DPORT_MAX] = { .type = NLA_U16 },
};

static const struct nla_policy sa_policy[IKESEC_SA_A_MAX + 1] = {
	[IKESEC_SA_A_DIR] = NLA_POLICY_RANGE(NLA_U8, IKESEC_DIR_IN,
					     IKESEC_DIR_OUT),
	[IKESEC_SA_A_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[IKESEC_SA_A_MODE] = NLA_POLICY_RANGE(NLA_U8, IKESEC_MODE_TRANSPORT,
					      IKESEC_MODE_TUNNEL),
	[IKESEC_SA_A_LOCAL_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[IKESEC_SA_A_LOCAL_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[IKESEC_SA_A_PEER_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[IKESEC_SA_A_PEER_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[IKESEC_SA_A_ENC_ALG] = NLA_POLICY_RANGE(NLA_U16,
						 IKESEC_ENC_AES_GCM_16,
						 IKESEC_ENC_AES_CBC),
	[IKESEC_SA_A_ENC_KEY] = NLA_POLICY_RANGE(NLA_BINARY, 16, 36),
	[IKESEC_SA_A_AUTH_ALG] = NLA_POLICY_MAX(NLA_U16,
						IKESEC_AUTH_HMAC_SHA1_96),
	[IKESEC_SA_A_AUTH_KEY] = NLA_POLICY_RANGE(NLA_BINARY, 20, 64),
	[IKESEC_SA_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, __IKESEC_SA_F_ALL),
	[IKESEC_SA_A_REPLAY_WINDOW] = NLA_POLICY_MAX(NLA_U32,
						     IKESEC_REPLAY_WINDOW_MAX),
	[IKESEC_SA_A_SEQ] = { .type = NLA_U64 },
	[IKESEC_SA_A_REQID] = { .type = NLA_U32 },
	[IKESEC_SA_A_ENCAP_SPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[IKESEC_SA_A_ENCAP_DPORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[IKESEC_SA_A_LIFETIME_SOFT] = NLA_POLICY_NESTED(lifetime_policy),
	[IKESEC_SA_A_LIFETIME_HARD] = NLA_POLICY_NESTED(lifetime_policy),
	[IKESEC_SA_A_CURLIFE] = { .type = NLA_REJECT },
	[IKESEC_SA_A_SELECTOR] = NLA_POLICY_NESTED(sel_policy),
	[IKESEC_SA_A_STATS] = { .type = NLA_REJECT },
};

static const struct nla_policy ikesec_policy[IKESEC_A_MAX + 1] = {
	[IKESEC_A_VERSION] = { .type = NLA_REJECT },
	[IKESEC_A_SA] = NLA_POLICY_NESTED(sa_policy),
	[IKESEC_A_STATS] = { .type = NLA_REJECT },
	[IKESEC_A_SA_COUNT] = { .type = NLA_REJECT },
	[IKESEC_A_POLICY_COUNT] = { .type = NLA_REJECT },
	[IKESEC_A_SPI_MIN] = NLA_POLICY_MIN(NLA_U32, 256),
	[IKESEC_A_SPI_MAX] = NLA_POLICY_MIN(NLA_U32, 256),
};

static struct genl_family ikesec_family;

/* Two addresses of one family: local and peer. Sets *family. */
static int parse_addrs(struct nlattr **tb, int l4, int l6, int p4, int p6,
		       union ikesec_addr *local, union ikesec_addr *peer,
		       u8 *family, bool need_local, struct netlink_ext_ack *extack)
{
	if (tb[p4] && tb[p6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[p6],
				    "give PEER_IPV4 or PEER_IPV6, not both");
		return -EINVAL;
	}
	if (tb[l4] && tb[l6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[l6],
				    "give LOCAL_IPV4 or LOCAL_IPV6, not both");
		return -EINVAL;
	}
	if (!tb[p4] && !tb[p6]) {
		NL_SET_ERR_MSG_MOD(extack, "missing PEER_IPV4 or PEER_IPV6");
		return -EINVAL;
	}
	*family = tb[p4] ? AF_INET : AF_INET6;
	if (tb[p4])
		peer->ip4 = nla_get_in_addr(tb[p4]);
	else
		peer->ip6 = nla_get_in6_addr(tb[p6]);

	if (!tb[l4] && !tb[l6]) {
		if (!need_local)
			return 0;
		NL_SET_ERR_MSG_MOD(extack, "missing LOCAL_IPV4 or LOCAL_IPV6");
		return -EINVAL;
	}
	if ((*family == AF_INET) != !!tb[l4]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[l4] ? tb[l4] : tb[l6],
				    "local and peer addresses differ in family");
		return -EINVAL;
	}
	if (tb[l4])
		local->ip4 = nla_get_in_addr(tb[l4]);
	else
		local->ip6 = nla_get_in6_addr(tb[l6]);
	return 0;
}

/* The identity part of an SA: DIR, SPI and (outbound) the peer. */
static int parse_sa_key(struct nlattr **tb, struct ikesec_sa_key *key,
			union ikesec_addr *local, union ikesec_addr *peer,
			u8 *family, bool need_addrs,
			struct netlink_ext_ack *extack)
{
	int err;

	memset(key, 0, sizeof(*key));
	if (!tb[IKESEC_SA_A_DIR]) {
		NL_SET_ERR_MSG_MOD(extack, "missing SA attribute DIR");
		return -EINVAL;
	}
	if (!tb[IKESEC_SA_A_SPI]) {
		NL_SET_ERR_MSG_MOD(extack, "missing SA attribute SPI");
		return -EINVAL;
	}
	key->dir = nla_get_u8(tb[IKESEC_SA_A_DIR]);
	key->spi = cpu_to_be32(nla_get_u32(tb[IKESEC_SA_A_SPI]));

	if (!need_addrs && key->dir == IKESEC_DIR_IN)
		return 0;
	err = parse_addrs(tb, IKESEC_SA_A_LOCAL_IPV4, IKESEC_SA_A_LOCAL_IPV6,
			  IKESEC_SA_A_PEER_IPV4, IKESEC_SA_A_PEER_IPV6, local,
			  peer, family, need_addrs, extack);
	if (err)
		return err;
	/* Inbound SPIs are ours and unique: the peer is not part of the key. */
	if (key->dir == IKESEC_DIR_OUT) {
		key->peer = *peer;
		key->family = *family;
	}
	return 0;
}

static void parse_lifetime(struct nlattr *nest, struct ikesec_lifetime *lt)
{
	struct nlattr *tb[IKESEC_LT_A_MAX + 1];

	memset(lt, 0, sizeof(*lt));
	if (!nest)
		return;
	/* Already validated by the nested policy. */
	nla_parse_nested(tb, IKESEC_LT_A_MAX, nest, lifetime_policy, NULL);
	if (tb[IKESEC_LT_A_BYTES])
		lt->bytes = nla_get_u64(tb[IKESEC_LT_A_BYTES]);
	if (tb[IKESEC_LT_A_PACKETS])
		lt->packets = nla_get_u64(tb[IKESEC_LT_A_PACKETS]);
	if (tb[IKESEC_LT_A_SECONDS])
		lt->seconds = nla_get_u64(tb[IKESEC_LT_A_SECONDS]);
}

static int parse_sa_cfg(struct nlattr **tb, struct ikesec_sa_cfg *cfg,
			struct netlink_ext_ack *extack)
{
	int err;

	memset(cfg, 0, sizeof(*cfg));
	err = parse_sa_key(tb, &cfg->key, &cfg->local, &cfg->peer,
			   &cfg->family, true, extack);
	if (err)
		return err;
	if (!tb[IKESEC_SA_A_MODE]) {
		NL_SET_ERR_MSG_MOD(extack, "missing SA attribute MODE");
		return -EINVAL;
	}
	if (!tb[IKESEC_SA_A_ENC_ALG] || !tb[IKESEC_SA_A_ENC_KEY]) {
		NL_SET_ERR_MSG_MOD(extack,
				   "missing SA attribute ENC_ALG or ENC_KEY");
		return -EINVAL;
	}
	cfg->mode = nla_get_u8(tb[IKESEC_SA_A_MODE]);
	cfg->enc_alg = nla_get_u16(tb[IKESEC_SA_A_ENC_ALG]);
	cfg->enc_key = nla_data(tb[IKESEC_SA_A_ENC_KEY]);
	cfg->enc_keylen = nla_len(tb[IKESEC_SA_A_ENC_KEY]);
	if (tb[IKESEC_SA_A_AUTH_ALG])
		cfg->auth_alg = nla_get_u16(tb[IKESEC_SA_A_AUTH_ALG]);
	if (tb[IKESEC_SA_A_AUTH_KEY]) {
		cfg->auth_key = nla_data(tb[IKESEC_SA_A_AUTH_KEY]);
		cfg->auth_keylen = nla_len(tb[IKESEC_SA_A_AUTH_KEY]);
	}
	if (tb[IKESEC_SA_A_FLAGS])
		cfg->flags = nla_get_u32(tb[IKESEC_SA_A_FLAGS]);
	cfg->replay_window = 32;
	if (tb[IKESEC_SA_A_REPLAY_WINDOW])
		cfg->replay_window = nla_get_u32(tb[IKESEC_SA_A_REPLAY_WINDOW]);
	if (tb[IKESEC_SA_A_SEQ])
		cfg->seq = nla_get_u64(tb[IKESEC_SA_A_SEQ]);
	if (cfg->seq > U32_MAX && !(cfg->flags & IKESEC_SA_F_ESN)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IKESEC_SA_A_SEQ],
				    "SEQ above 2^32-1 needs the ESN flag");
		return -EINVAL;
	}
	if (tb[IKESEC_SA_A_REQID])
		cfg->reqid = nla_get_u32(tb[IKESEC_SA_A_REQID]);
	if (!!tb[IKESEC_SA_A_ENCAP_SPORT] != !!tb[IKESEC_SA_A_ENCAP_DPORT]) {
		NL_SET_ERR_MSG_MOD(extack,
			"ENCAP_SPORT and ENCAP_DPORT go together (UDP encapsulation)");
		return -EINVAL;
	}
	if (tb[IKESEC_SA_A_ENCAP_SPORT]) {
		cfg->encap_sport = nla_get_u16(tb[IKESEC_SA_A_ENCAP_SPORT]);
		cfg->encap_dport = nla_get_u16(tb[IKESEC_SA_A_ENCAP_DPORT]);
	}
	parse_lifetime(tb[IKESEC_SA_A_LIFETIME_SOFT], &cfg->soft);
	parse_lifetime(tb[IKESEC_SA_A_LIFETIME_HARD], &cfg->hard);
	return 0;
}

static int put_addr(struct sk_buff *skb, int a4, int a6, u8 family,
		    const union ikesec_addr *a)
{
	if (family == AF_INET)
		return nla_put_in_addr(skb, a4, a->ip4);
	return nla_put_in6_addr(skb, a6, &a->ip6);
}

static int put_lifetime(struct sk_buff *skb, int type,
			const struct ikesec_lifetime *lt)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u64_64bit(skb, IKESEC_LT_A_BYTES, lt->bytes,
			      IKESEC_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, IKESEC_LT_A_PACKETS, lt->packets,
			      IKESEC_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, IKESEC_LT_A_SECONDS, lt->seconds,
			      IKESEC_LT_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Never puts key material. */
static int put_sa(struct sk_buff *skb, struct ikesec_sa *sa)
{
	u64 ctr[__IKESEC_SA_STAT_MAX];
	struct nlattr *nest, *st;
	int i;

	nest = nla_nest_start(skb, IKESEC_A_SA);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, IKESEC_SA_A_DIR, sa->key.dir) ||
	    nla_put_u32(skb, IKESEC_SA_A_SPI, be32_to_cpu(sa->key.spi)) ||
	    nla_put_u8(skb, IKESEC_SA_A_MODE, sa->mode) ||
	    put_addr(skb, IKESEC_SA_A_LOCAL_IPV4, IKESEC_SA_A_LOCAL_IPV6,
		     sa->family, &sa->local) ||
	    put_addr(skb, IKESEC_SA_A_PEER_IPV4, IKESEC_SA_A_PEER_IPV6,
		     sa->family, &sa->peer) ||
	    nla_put_u16(skb, IKESEC_SA_A_ENC_ALG, sa->crypto.enc_alg) ||
	    nla_put_u16(skb, IKESEC_SA_A_AUTH_ALG, sa->crypto.auth_alg) ||
	    nla_put_u32(skb, IKESEC_SA_A_FLAGS, sa->flags) ||
	    nla_put_u32(skb, IKESEC_SA_A_REPLAY_WINDOW, sa->replay_window) ||
	    nla_put_u64_64bit(skb, IKESEC_SA_A_SEQ, READ_ONCE(sa->seq),
			      IKESEC_SA_A_PAD) ||
	    nla_put_u32(skb, IKESEC_SA_A_REQID, sa->reqid))
		goto cancel;
	if (sa->encap_dport &&
	    (nla_put_u16(skb, IKESEC_SA_A_ENCAP_SPORT, ntohs(sa->encap_sport)) ||
	     nla_put_u16(skb, IKESEC_SA_A_ENCAP_DPORT, ntohs(sa->encap_dport))))
		goto cancel;
	if (put_lifetime(skb, IKESEC_SA_A_LIFETIME_SOFT, &sa->soft) ||
	    put_lifetime(skb, IKESEC_SA_A_LIFETIME_HARD, &sa->hard))
		goto cancel;

	ikesec_sa_stats_read(sa, ctr);
	st = nla_nest_start(skb, IKESEC_SA_A_STATS);
	if (!st)
		goto cancel;
	for (i = 1; i < IKESEC_SA_STAT_PAD; i++)
		if (nla_put_u64_64bit(skb, i, ctr[i], IKESEC_SA_STAT_PAD))
			goto cancel;
	nla_nest_end(skb, st);
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int parse_sa_nest(struct genl_info *info, struct nlattr **tb)
{
	if (!info->attrs[IKESEC_A_SA]) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing attribute IKESEC_A_SA");
		return -EINVAL;
	}
	return nla_parse_nested(tb, IKESEC_SA_A_MAX, info->attrs[IKESEC_A_SA],
				sa_policy, info->extack);
}

static int cmd_sa_new(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));
	struct nlattr *tb[IKESEC_SA_A_MAX + 1];
	struct ikesec_sa_cfg cfg;
	int err;

	err = parse_sa_nest(info, tb);
	if (err)
		return err;
	err = parse_sa_cfg(tb, &cfg, info->extack);
	if (err)
		return err;
	mutex_lock(&in->lock);
	err = ikesec_sa_add(in, &cfg, info->extack);
	mutex_unlock(&in->lock);
	return err;
}

static int find_sa(struct ikesec_net *in, struct genl_info *info,
		   struct ikesec_sa **sap)
{
	struct nlattr *tb[IKESEC_SA_A_MAX + 1];
	union ikesec_addr local, peer;
	struct ikesec_sa_key key;
	u8 family;
	int err;

	err = parse_sa_nest(info, tb);
	if (err)
		return err;
	err = parse_sa_key(tb, &key, &local, &peer, &family, false,
			   info->extack);
	if (err)
		return err;
	*sap = ikesec_sa_find(in, &key);
	if (!*sap) {
		NL_SET_ERR_MSG_FMT_MOD(info->extack,
			"no %s SA with SPI 0x%08x",
			key.dir == IKESEC_DIR_IN ? "inbound" : "outbound",
			be32_to_cpu(key.spi));
		return -ENOENT;
	}
	return 0;
}

static int cmd_sa_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));
	struct ikesec_sa *sa;
	int err;

	mutex_lock(&in->lock);
	err = find_sa(in, info, &sa);
	if (!err)
		ikesec_sa_unlink(sa);
	mutex_unlock(&in->lock);
	return err;
}

static int cmd_sa_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));
	struct sk_buff *msg;
	struct ikesec_sa *sa;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&in->lock);
	err = find_sa(in, info, &sa);
	if (err)
		goto unlock;
	hdr = genlmsg_put_reply(msg, info, &ikesec_family, 0,
				IKESEC_CMD_SA_GET);
	err = -EMSGSIZE;
	if (!hdr || put_sa(msg, sa))
		goto unlock;
	mutex_unlock(&in->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

unlock:
	mutex_unlock(&in->lock);
	nlmsg_free(msg);
	return err;
}

/* cb->args[0]: how many SAs earlier rounds sent. */
static int dump_sa(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ikesec_net *in = ikesec_net(sock_net(skb->sk));
	long skip = cb->args[0], n = 0;
	struct ikesec_sa *sa;
	void *hdr;

	mutex_lock(&in->lock);
	cb->seq = in->sa_gen;
	list_for_each_entry(sa, &in->sa_list, list) {
		if (n++ < skip)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ikesec_family,
				  NLM_F_MULTI, IKESEC_CMD_SA_GET);
		if (!hdr)
			goto full;
		genl_dump_check_consistent(cb, hdr);
		if (put_sa(skb, sa)) {
			genlmsg_cancel(skb, hdr);
			goto full;
		}
		genlmsg_end(skb, hdr);
	}
	n++;
full:
	cb->args[0] = n - 1;
	mutex_unlock(&in->lock);
	return skb->len;
}

static int cmd_sa_flush(struct sk_buff *skb, struct genl_info *info)
{
	ikesec_sa_flush(ikesec_net(genl_info_net(info)));
	return 0;
}

static int put_net_stats(struct sk_buff *skb, struct ikesec_net *in)
{
	u64 ctr[__IKESEC_STAT_MAX];
	struct nlattr *nest;
	int i;

	ikesec_net_stats_read(in, ctr);
	nest = nla_nest_start(skb, IKESEC_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i < IKESEC_STAT_PAD; i++)
		if (nla_put_u64_64bit(skb, i, ctr[i], IKESEC_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int cmd_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ikesec_family, 0,
				IKESEC_CMD_GET_INFO);
	if (!hdr)
		goto free;
	mutex_lock(&in->lock);
	if (nla_put_u32(msg, IKESEC_A_VERSION, IKESEC_GENL_VERSION) ||
	    nla_put_u32(msg, IKESEC_A_SA_COUNT, in->sa_count) ||
	    nla_put_u32(msg, IKESEC_A_POLICY_COUNT, 0) ||
	    put_net_stats(msg, in)) {
		mutex_unlock(&in->lock);
		goto free;
	}
	mutex_unlock(&in->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

free:
	nlmsg_free(msg);
	return err;
}

static const struct genl_ops ikesec_ops[] = {
	{
		.cmd = IKESEC_CMD_GET_INFO,
		.doit = cmd_get_info,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_SA_NEW,
		.doit = cmd_sa_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_SA_DEL,
		.doit = cmd_sa_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_SA_GET,
		.doit = cmd_sa_get,
		.dumpit = dump_sa,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_SA_FLUSH,
		.doit = cmd_sa_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group ikesec_mcgrps[] = {
	{ .name = IKESEC_MCGRP_EVENTS },
};

static struct genl_family ikesec_family __ro_after_init = {
	.name = IKESEC_GENL_NAME,
	.version = IKESEC_GENL_VERSION,
	.maxattr = IKESEC_A_MAX,
	.policy = ikesec_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = ikesec_ops,
	.n_ops = ARRAY_SIZE(ikesec_ops),
	.resv_start_op = IKESEC_CMD_MAX + 1,
	.mcgrps = ikesec_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ikesec_mcgrps),
};

int ikesec_netlink_init(void)
{
	return genl_register_family(&ikesec_family);
}

void ikesec_netlink_uninit(void)
{
	genl_unregister_family(&ikesec_family);
}
