// SPDX-License-Identifier: GPL-2.0
/* The "ikesec" generic netlink family: strict policies, an extack message on
 * every rejection, CAP_NET_ADMIN in the caller's user namespace. This file
 * turns attributes into configs and objects into attributes, nothing more.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <linux/inetdevice.h>
#include <net/sock.h>

#include "compat.h"
#include "natt.h"
#include "netlink.h"
#include "netns.h"
#include "policy.h"
#include "sa.h"
#include "timers.h"

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
	[IKESEC_SA_A_NEW_PEER_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[IKESEC_SA_A_NEW_PEER_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[IKESEC_SA_A_ENC_KEY_BITS] = { .type = NLA_REJECT },
	[IKESEC_SA_A_AUTH_KEY_BITS] = { .type = NLA_REJECT },
};

static const struct nla_policy tmpl_policy[IKESEC_TMPL_A_MAX + 1] = {
	[IKESEC_TMPL_A_REQID] = { .type = NLA_U32 },
	[IKESEC_TMPL_A_MODE] = NLA_POLICY_RANGE(NLA_U8, IKESEC_MODE_TRANSPORT,
						IKESEC_MODE_TUNNEL),
	[IKESEC_TMPL_A_LOCAL_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[IKESEC_TMPL_A_LOCAL_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[IKESEC_TMPL_A_PEER_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[IKESEC_TMPL_A_PEER_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[IKESEC_TMPL_A_ENC_ALG] = NLA_POLICY_MAX(NLA_U16, IKESEC_ENC_AES_CBC),
};

static const struct nla_policy pol_policy[IKESEC_POL_A_MAX + 1] = {
	[IKESEC_POL_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[IKESEC_POL_A_DIR] = NLA_POLICY_RANGE(NLA_U8, IKESEC_DIR_IN,
					      IKESEC_DIR_FWD),
	[IKESEC_POL_A_ACTION] = NLA_POLICY_RANGE(NLA_U8, IKESEC_ACTION_PROTECT,
						 IKESEC_ACTION_DISCARD),
	[IKESEC_POL_A_PRIORITY] = { .type = NLA_U32 },
	[IKESEC_POL_A_SELECTOR] = NLA_POLICY_NESTED(sel_policy),
	[IKESEC_POL_A_TEMPLATE] = NLA_POLICY_NESTED(tmpl_policy),
	[IKESEC_POL_A_HITS] = { .type = NLA_REJECT },
};

static const struct nla_policy ikesec_policy[IKESEC_A_MAX + 1] = {
	[IKESEC_A_VERSION] = { .type = NLA_REJECT },
	[IKESEC_A_SA] = NLA_POLICY_NESTED(sa_policy),
	[IKESEC_A_STATS] = { .type = NLA_REJECT },
	[IKESEC_A_SA_COUNT] = { .type = NLA_REJECT },
	[IKESEC_A_POLICY_COUNT] = { .type = NLA_REJECT },
	[IKESEC_A_SPI_MIN] = NLA_POLICY_MIN(NLA_U32, 256),
	[IKESEC_A_SPI_MAX] = NLA_POLICY_MIN(NLA_U32, 256),
	[IKESEC_A_POLICY] = NLA_POLICY_NESTED(pol_policy),
	[IKESEC_A_SELECTOR] = { .type = NLA_REJECT },
	[IKESEC_A_EXPIRE_HARD] = { .type = NLA_REJECT },
	[IKESEC_A_ENCAP_FD] = { .type = NLA_U32 },
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

/* Any traffic: what an SA or policy without a selector carries. */
static void sel_any(struct ikesec_selector *sel)
{
	memset(sel, 0, sizeof(*sel));
	sel->sport_max = U16_MAX;
	sel->dport_max = U16_MAX;
}

/* One end of a selector: address and prefix length. */
static int parse_sel_end(struct nlattr **tb, int a4, int a6, int aplen,
			 const char *end, union ikesec_addr *addr, u8 *plen,
			 u8 *family, struct netlink_ext_ack *extack)
{
	u8 fam, max;

	if (tb[a4] && tb[a6]) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"selector: give %s_IPV4 or %s_IPV6, not both",
			end, end);
		NL_SET_BAD_ATTR(extack, tb[a6]);
		return -EINVAL;
	}
	if (!tb[a4] && !tb[a6]) {
		if (tb[aplen]) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
				"selector: %s_PREFIXLEN without %s_IPV4 or %s_IPV6",
				end, end, end);
			NL_SET_BAD_ATTR(extack, tb[aplen]);
			return -EINVAL;
		}
		return 0;
	}
	fam = tb[a4] ? AF_INET : AF_INET6;
	if (*family && *family != fam) {
		NL_SET_ERR_MSG_ATTR(extack, tb[a4] ? tb[a4] : tb[a6],
			"selector: source and destination differ in family");
		return -EINVAL;
	}
	*family = fam;
	max = fam == AF_INET ? 32 : 128;
	*plen = max;
	if (tb[aplen])
		*plen = nla_get_u8(tb[aplen]);
	if (*plen > max) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"selector: %s_PREFIXLEN %u exceeds %u for IPv%c",
			end, *plen, max, fam == AF_INET ? '4' : '6');
		NL_SET_BAD_ATTR(extack, tb[aplen]);
		return -EINVAL;
	}
	if (fam == AF_INET) {
		addr->ip4 = nla_get_in_addr(tb[a4]);
		addr->ip4 &= *plen ? inet_make_mask(*plen) : 0;
	} else {
		struct in6_addr a = nla_get_in6_addr(tb[a6]);

		ipv6_addr_prefix(&addr->ip6, &a, *plen);
	}
	return 0;
}

/* A port range; ICMP type and code ranges stop at 255. */
static int parse_sel_ports(struct nlattr **tb, int amin, int amax,
			   const char *name, bool icmp, u16 *min, u16 *max,
			   struct netlink_ext_ack *extack)
{
	*min = 0;
	*max = U16_MAX;
	if (tb[amin])
		*max = *min = nla_get_u16(tb[amin]);
	if (tb[amax])
		*max = nla_get_u16(tb[amax]);
	if (*min > *max) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"selector: %s_MIN %u above %s_MAX %u", name, *min,
			name, *max);
		NL_SET_BAD_ATTR(extack, tb[amax]);
		return -EINVAL;
	}
	if (icmp && (tb[amin] || tb[amax]) && *max > 255) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"selector: %s range holds the ICMP %s, <= 255", name,
			amin == IKESEC_SEL_A_SPORT_MIN ? "type" : "code");
		NL_SET_BAD_ATTR(extack, tb[amax] ? tb[amax] : tb[amin]);
		return -EINVAL;
	}
	return 0;
}

static int parse_selector(struct nlattr *nest, struct ikesec_selector *sel,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IKESEC_SEL_A_MAX + 1];
	bool icmp;
	int err;

	sel_any(sel);
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, IKESEC_SEL_A_MAX, nest, sel_policy, extack);
	if (err)
		return err;
	err = parse_sel_end(tb, IKESEC_SEL_A_SRC_IPV4, IKESEC_SEL_A_SRC_IPV6,
			    IKESEC_SEL_A_SRC_PREFIXLEN, "SRC", &sel->src,
			    &sel->src_plen, &sel->family, extack);
	if (err)
		return err;
	err = parse_sel_end(tb, IKESEC_SEL_A_DST_IPV4, IKESEC_SEL_A_DST_IPV6,
			    IKESEC_SEL_A_DST_PREFIXLEN, "DST", &sel->dst,
			    &sel->dst_plen, &sel->family, extack);
	if (err)
		return err;
	if (tb[IKESEC_SEL_A_PROTO])
		sel->proto = nla_get_u8(tb[IKESEC_SEL_A_PROTO]);
	if (!sel->proto && (tb[IKESEC_SEL_A_SPORT_MIN] ||
			    tb[IKESEC_SEL_A_SPORT_MAX] ||
			    tb[IKESEC_SEL_A_DPORT_MIN] ||
			    tb[IKESEC_SEL_A_DPORT_MAX])) {
		NL_SET_ERR_MSG_MOD(extack,
				   "selector: port ranges need PROTO");
		return -EINVAL;
	}
	icmp = sel->proto == IPPROTO_ICMP || sel->proto == IPPROTO_ICMPV6;
	err = parse_sel_ports(tb, IKESEC_SEL_A_SPORT_MIN,
			      IKESEC_SEL_A_SPORT_MAX, "SPORT", icmp,
			      &sel->sport_min, &sel->sport_max, extack);
	if (err)
		return err;
	return parse_sel_ports(tb, IKESEC_SEL_A_DPORT_MIN,
			       IKESEC_SEL_A_DPORT_MAX, "DPORT", icmp,
			       &sel->dport_min, &sel->dport_max, extack);
}

/* What a protect policy asks of its SA. */
static int parse_template(struct nlattr *nest, struct ikesec_template *t,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IKESEC_TMPL_A_MAX + 1];
	bool addrs;
	int err;

	memset(t, 0, sizeof(*t));
	err = nla_parse_nested(tb, IKESEC_TMPL_A_MAX, nest, tmpl_policy,
			       extack);
	if (err)
		return err;
	if (!tb[IKESEC_TMPL_A_MODE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "missing TEMPLATE attribute MODE");
		return -EINVAL;
	}
	t->mode = nla_get_u8(tb[IKESEC_TMPL_A_MODE]);
	if (tb[IKESEC_TMPL_A_REQID])
		t->reqid = nla_get_u32(tb[IKESEC_TMPL_A_REQID]);
	if (tb[IKESEC_TMPL_A_ENC_ALG])
		t->enc_alg = nla_get_u16(tb[IKESEC_TMPL_A_ENC_ALG]);
	addrs = tb[IKESEC_TMPL_A_LOCAL_IPV4] || tb[IKESEC_TMPL_A_LOCAL_IPV6] ||
		tb[IKESEC_TMPL_A_PEER_IPV4] || tb[IKESEC_TMPL_A_PEER_IPV6];
	if (t->mode == IKESEC_MODE_TRANSPORT) {
		if (addrs) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IKESEC_TMPL_A_MODE],
				"TEMPLATE: tunnel endpoints given for MODE transport");
			return -EINVAL;
		}
		return 0;
	}
	if (!addrs) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IKESEC_TMPL_A_MODE],
			"TEMPLATE: MODE tunnel needs LOCAL_IPV4/6 and PEER_IPV4/6");
		return -EINVAL;
	}
	err = parse_addrs(tb, IKESEC_TMPL_A_LOCAL_IPV4,
			  IKESEC_TMPL_A_LOCAL_IPV6, IKESEC_TMPL_A_PEER_IPV4,
			  IKESEC_TMPL_A_PEER_IPV6, &t->local, &t->peer,
			  &t->family, true, extack);
	return err;
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
	if (tb[IKESEC_SA_A_NEW_PEER_IPV4] || tb[IKESEC_SA_A_NEW_PEER_IPV6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IKESEC_SA_A_NEW_PEER_IPV4] ?:
				    tb[IKESEC_SA_A_NEW_PEER_IPV6],
				    "NEW_PEER_IPV4/6 belong to SA_SET");
		return -EINVAL;
	}
	parse_lifetime(tb[IKESEC_SA_A_LIFETIME_SOFT], &cfg->soft);
	parse_lifetime(tb[IKESEC_SA_A_LIFETIME_HARD], &cfg->hard);
	return parse_selector(tb[IKESEC_SA_A_SELECTOR], &cfg->sel, extack);
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

int ikesec_nl_put_selector(struct sk_buff *skb, int type,
			   const struct ikesec_selector *sel)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (sel->family &&
	    (put_addr(skb, IKESEC_SEL_A_SRC_IPV4, IKESEC_SEL_A_SRC_IPV6,
		      sel->family, &sel->src) ||
	     nla_put_u8(skb, IKESEC_SEL_A_SRC_PREFIXLEN, sel->src_plen) ||
	     put_addr(skb, IKESEC_SEL_A_DST_IPV4, IKESEC_SEL_A_DST_IPV6,
		      sel->family, &sel->dst) ||
	     nla_put_u8(skb, IKESEC_SEL_A_DST_PREFIXLEN, sel->dst_plen)))
		goto cancel;
	if (nla_put_u8(skb, IKESEC_SEL_A_PROTO, sel->proto))
		goto cancel;
	if (sel->proto &&
	    (nla_put_u16(skb, IKESEC_SEL_A_SPORT_MIN, sel->sport_min) ||
	     nla_put_u16(skb, IKESEC_SEL_A_SPORT_MAX, sel->sport_max) ||
	     nla_put_u16(skb, IKESEC_SEL_A_DPORT_MIN, sel->dport_min) ||
	     nla_put_u16(skb, IKESEC_SEL_A_DPORT_MAX, sel->dport_max)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int ikesec_nl_put_template(struct sk_buff *skb,
			   const struct ikesec_template *t)
{
	struct nlattr *nest = nla_nest_start(skb, IKESEC_POL_A_TEMPLATE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, IKESEC_TMPL_A_REQID, t->reqid) ||
	    nla_put_u8(skb, IKESEC_TMPL_A_MODE, t->mode) ||
	    nla_put_u16(skb, IKESEC_TMPL_A_ENC_ALG, t->enc_alg))
		goto cancel;
	if (t->family &&
	    (put_addr(skb, IKESEC_TMPL_A_LOCAL_IPV4, IKESEC_TMPL_A_LOCAL_IPV6,
		      t->family, &t->local) ||
	     put_addr(skb, IKESEC_TMPL_A_PEER_IPV4, IKESEC_TMPL_A_PEER_IPV6,
		      t->family, &t->peer)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int put_policy(struct sk_buff *skb, const struct ikesec_policy *pol)
{
	struct nlattr *nest = nla_nest_start(skb, IKESEC_A_POLICY);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, IKESEC_POL_A_ID, pol->id) ||
	    nla_put_u8(skb, IKESEC_POL_A_DIR, pol->dir) ||
	    nla_put_u8(skb, IKESEC_POL_A_ACTION, pol->action) ||
	    nla_put_u32(skb, IKESEC_POL_A_PRIORITY, pol->priority) ||
	    ikesec_nl_put_selector(skb, IKESEC_POL_A_SELECTOR, &pol->sel) ||
	    (pol->action == IKESEC_ACTION_PROTECT &&
	     ikesec_nl_put_template(skb, &pol->tmpl)) ||
	    nla_put_u64_64bit(skb, IKESEC_POL_A_HITS, ikesec_policy_hits(pol),
			      IKESEC_POL_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Never puts key material. Any context. */
int ikesec_nl_put_sa(struct sk_buff *skb, struct ikesec_sa *sa)
{
	struct ikesec_lifetime cur;
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
	    nla_put_u16(skb, IKESEC_SA_A_ENC_KEY_BITS, sa->crypto.enc_key_bits) ||
	    nla_put_u16(skb, IKESEC_SA_A_AUTH_KEY_BITS,
			sa->crypto.auth_key_bits) ||
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
	cur.bytes = atomic64_read(&sa->curlife_bytes);
	cur.packets = atomic64_read(&sa->curlife_packets);
	cur.seconds = (jiffies - sa->lt_start) / HZ;
	if (put_lifetime(skb, IKESEC_SA_A_LIFETIME_SOFT, &sa->soft) ||
	    put_lifetime(skb, IKESEC_SA_A_LIFETIME_HARD, &sa->hard) ||
	    put_lifetime(skb, IKESEC_SA_A_CURLIFE, &cur) ||
	    ikesec_nl_put_selector(skb, IKESEC_SA_A_SELECTOR, &sa->sel))
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
	if (!err) {
		if (cfg.key.dir == IKESEC_DIR_IN)
			xa_erase(&in->spi_resv, be32_to_cpu(cfg.key.spi));
		ikesec_spd_sa_added(in, cfg.reqid);
	}
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

/* The reply of a GET doit: fill() finds the one object the request names
 * and writes it into msg, under in->lock.
 */
static int reply_one(struct genl_info *info, u8 cmd,
		     int (*fill)(struct sk_buff *msg, struct ikesec_net *in,
				 struct genl_info *info))
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ikesec_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&in->lock);
	err = fill(msg, in, info);
	mutex_unlock(&in->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int fill_sa(struct sk_buff *msg, struct ikesec_net *in,
		   struct genl_info *info)
{
	struct ikesec_sa *sa;
	int err = find_sa(in, info, &sa);

	if (err)
		return err;
	return ikesec_nl_put_sa(msg, sa) ? -EMSGSIZE : 0;
}

static int cmd_sa_get(struct sk_buff *skb, struct genl_info *info)
{
	return reply_one(info, IKESEC_CMD_SA_GET, fill_sa);
}

/* cb->args[0]: how many SAs earlier rounds sent; sa_gen (never 0) flags a
 * dump that spans a change.
 */
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
		if (ikesec_nl_put_sa(skb, sa)) {
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

/* What SA_SET must refuse: the cryptographic identity never changes. */
static const struct {
	int type;
	const char *name;
} sa_fixed[] = {
	{ IKESEC_SA_A_MODE, "MODE" },
	{ IKESEC_SA_A_LOCAL_IPV4, "LOCAL_IPV4" },
	{ IKESEC_SA_A_LOCAL_IPV6, "LOCAL_IPV6" },
	{ IKESEC_SA_A_ENC_ALG, "ENC_ALG" },
	{ IKESEC_SA_A_ENC_KEY, "ENC_KEY" },
	{ IKESEC_SA_A_AUTH_ALG, "AUTH_ALG" },
	{ IKESEC_SA_A_AUTH_KEY, "AUTH_KEY" },
	{ IKESEC_SA_A_FLAGS, "FLAGS" },
	{ IKESEC_SA_A_REPLAY_WINDOW, "REPLAY_WINDOW" },
	{ IKESEC_SA_A_SEQ, "SEQ" },
	{ IKESEC_SA_A_REQID, "REQID" },
	{ IKESEC_SA_A_SELECTOR, "SELECTOR" },
};

static void set_lifetime(struct ikesec_lifetime *dst, struct nlattr *nest)
{
	struct ikesec_lifetime lt;

	parse_lifetime(nest, &lt);
	WRITE_ONCE(dst->bytes, lt.bytes);
	WRITE_ONCE(dst->packets, lt.packets);
	WRITE_ONCE(dst->seconds, lt.seconds);
}

/* Validates everything first; the only step that can fail after that,
 * rehashing an outbound SA under its new peer, comes before any change.
 */
static int cmd_sa_set(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));
	struct nlattr *tb[IKESEC_SA_A_MAX + 1], *np;
	struct netlink_ext_ack *extack = info->extack;
	union ikesec_addr new_peer = {};
	struct ikesec_sa_key key;
	struct ikesec_sa *sa;
	u8 new_family = 0;
	int i, err;

	err = parse_sa_nest(info, tb);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(sa_fixed); i++) {
		if (!tb[sa_fixed[i].type])
			continue;
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"%s cannot change on a live SA: add a new SA",
			sa_fixed[i].name);
		NL_SET_BAD_ATTR(extack, tb[sa_fixed[i].type]);
		return -EINVAL;
	}
	if (tb[IKESEC_SA_A_DIR] &&
	    nla_get_u8(tb[IKESEC_SA_A_DIR]) == IKESEC_DIR_IN &&
	    (tb[IKESEC_SA_A_PEER_IPV4] || tb[IKESEC_SA_A_PEER_IPV6])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IKESEC_SA_A_PEER_IPV4] ?:
				    tb[IKESEC_SA_A_PEER_IPV6],
			"PEER_IPV4/6 on an inbound SA_SET: use NEW_PEER_IPV4/6");
		return -EINVAL;
	}
	if (tb[IKESEC_SA_A_NEW_PEER_IPV4] && tb[IKESEC_SA_A_NEW_PEER_IPV6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IKESEC_SA_A_NEW_PEER_IPV6],
			"give NEW_PEER_IPV4 or NEW_PEER_IPV6, not both");
		return -EINVAL;
	}
	np = tb[IKESEC_SA_A_NEW_PEER_IPV4] ?: tb[IKESEC_SA_A_NEW_PEER_IPV6];
	if (tb[IKESEC_SA_A_NEW_PEER_IPV4]) {
		new_family = AF_INET;
		new_peer.ip4 = nla_get_in_addr(np);
	} else if (np) {
		new_family = AF_INET6;
		new_peer.ip6 = nla_get_in6_addr(np);
	}

	mutex_lock(&in->lock);
	err = find_sa(in, info, &sa);
	if (err)
		goto unlock;
	err = -ENOENT;
	if (test_bit(IKESEC_SA_LT_HARD, &sa->lt_flags)) {
		NL_SET_ERR_MSG_MOD(extack, "the SA is past its hard lifetime");
		goto unlock;
	}
	err = -EINVAL;
	if (np && new_family != sa->family) {
		NL_SET_ERR_MSG_ATTR(extack, np,
			"NEW_PEER differs in family from the SA's addresses");
		goto unlock;
	}
	if (!sa->encap_dport &&
	    !!tb[IKESEC_SA_A_ENCAP_SPORT] != !!tb[IKESEC_SA_A_ENCAP_DPORT]) {
		NL_SET_ERR_MSG_MOD(extack,
			"SA without UDP encapsulation: ENCAP_SPORT and ENCAP_DPORT go together");
		goto unlock;
	}
	/* An inbound SA receives on its local port: listen there first (the
	 * socket stays with the netns, nothing to undo on a later error).
	 */
	if (sa->key.dir == IKESEC_DIR_IN && tb[IKESEC_SA_A_ENCAP_SPORT]) {
		err = ikesec_natt_listen(in,
				nla_get_u16(tb[IKESEC_SA_A_ENCAP_SPORT]),
				sa->family, extack);
		if (err)
			goto unlock;
	}
	if (np && sa->key.dir == IKESEC_DIR_OUT) {
		key = sa->key;
		key.peer = new_peer;
		if (memcmp(&key, &sa->key, sizeof(key)) &&
		    ikesec_sa_find(in, &key)) {
			NL_SET_ERR_MSG_ATTR(extack, np,
				"an outbound SA with this SPI and NEW_PEER already exists");
			err = -EEXIST;
			goto unlock;
		}
		err = ikesec_sa_rekey(sa, &key);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "SAD rehash failed");
			goto unlock;
		}
	}

	/* Packets in flight may read a half-written IPv6 peer once. */
	if (new_family == AF_INET)
		WRITE_ONCE(sa->peer.ip4, new_peer.ip4);
	else if (new_family)
		sa->peer.ip6 = new_peer.ip6;
	if (tb[IKESEC_SA_A_ENCAP_SPORT])
		WRITE_ONCE(sa->encap_sport,
			   htons(nla_get_u16(tb[IKESEC_SA_A_ENCAP_SPORT])));
	if (tb[IKESEC_SA_A_ENCAP_DPORT])
		WRITE_ONCE(sa->encap_dport,
			   htons(nla_get_u16(tb[IKESEC_SA_A_ENCAP_DPORT])));
	if (tb[IKESEC_SA_A_LIFETIME_SOFT])
		set_lifetime(&sa->soft, tb[IKESEC_SA_A_LIFETIME_SOFT]);
	if (tb[IKESEC_SA_A_LIFETIME_HARD])
		set_lifetime(&sa->hard, tb[IKESEC_SA_A_LIFETIME_HARD]);
	if (tb[IKESEC_SA_A_LIFETIME_SOFT] || tb[IKESEC_SA_A_LIFETIME_HARD])
		ikesec_sa_timers_update(sa, tb[IKESEC_SA_A_LIFETIME_SOFT]);
	in->sa_gen++;
	err = 0;
unlock:
	mutex_unlock(&in->lock);
	return err;
}

/* A reservation lasts IKESEC_SPI_RESERVE_SECONDS (boottime seconds). */
static bool spi_taken(struct ikesec_net *in, u32 spi, u64 now)
{
	struct ikesec_sa_key key = {
		.dir = IKESEC_DIR_IN,
		.spi = cpu_to_be32(spi),
	};
	void *e = xa_load(&in->spi_resv, spi);

	if (e && xa_to_value(e) > now)
		return true;
	return ikesec_sa_find(in, &key);
}

#define SPI_RANDOM_TRIES	16
#define SPI_SCAN_MAX		(1U << 16)

/* Random probes find a free SPI at once unless the range is nearly full;
 * then a bounded scan from a random point decides.
 */
static int spi_pick(struct ikesec_net *in, u32 min, u32 max, u32 *spi)
{
	u64 now = ktime_get_boottime_seconds(), n = (u64)max - min + 1;
	u64 off, i;
	unsigned long idx;
	void *e;

	xa_for_each(&in->spi_resv, idx, e)
		if (xa_to_value(e) <= now)
			xa_erase(&in->spi_resv, idx);

	for (i = 0; i < SPI_RANDOM_TRIES; i++) {
		*spi = get_random_u32_inclusive(min, max);
		if (!spi_taken(in, *spi, now))
			goto found;
	}
	off = *spi - min;
	for (i = 1; i < n && i <= SPI_SCAN_MAX; i++) {
		off = off + 1 == n ? 0 : off + 1;
		*spi = min + off;
		if (!spi_taken(in, *spi, now))
			goto found;
	}
	return -ENOSPC;

found:
	return xa_err(xa_store(&in->spi_resv, *spi,
			       xa_mk_value(now + IKESEC_SPI_RESERVE_SECONDS),
			       GFP_KERNEL));
}

static int cmd_spi_alloc(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));
	struct nlattr **attrs = info->attrs;
	u32 min = 256, max = U32_MAX, spi;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int err;

	if (attrs[IKESEC_A_SPI_MIN])
		min = nla_get_u32(attrs[IKESEC_A_SPI_MIN]);
	if (attrs[IKESEC_A_SPI_MAX])
		max = nla_get_u32(attrs[IKESEC_A_SPI_MAX]);
	if (min > max) {
		NL_SET_ERR_MSG_FMT_MOD(info->extack,
			"SPI_MIN 0x%08x above SPI_MAX 0x%08x", min, max);
		NL_SET_BAD_ATTR(info->extack, attrs[IKESEC_A_SPI_MAX] ?:
				attrs[IKESEC_A_SPI_MIN]);
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ikesec_family, 0,
				IKESEC_CMD_SPI_ALLOC);
	nest = hdr ? nla_nest_start(msg, IKESEC_A_SA) : NULL;
	if (!nest) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}

	mutex_lock(&in->lock);
	err = spi_pick(in, min, max, &spi);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_FMT_MOD(info->extack,
			"no free inbound SPI in [0x%08x, 0x%08x]", min, max);
	if (!err &&
	    (nla_put_u8(msg, IKESEC_SA_A_DIR, IKESEC_DIR_IN) ||
	     nla_put_u32(msg, IKESEC_SA_A_SPI, spi))) {
		xa_erase(&in->spi_resv, spi);
		err = -EMSGSIZE;
	}
	mutex_unlock(&in->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int parse_pol_nest(struct genl_info *info, struct nlattr **tb)
{
	if (!info->attrs[IKESEC_A_POLICY]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing attribute IKESEC_A_POLICY");
		return -EINVAL;
	}
	return nla_parse_nested(tb, IKESEC_POL_A_MAX,
				info->attrs[IKESEC_A_POLICY], pol_policy,
				info->extack);
}

static int parse_policy(struct nlattr **tb, struct ikesec_policy *pol,
			struct netlink_ext_ack *extack)
{
	int err;

	if (tb[IKESEC_POL_A_ID]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IKESEC_POL_A_ID],
				    "POLICY ID is assigned by the kernel");
		return -EINVAL;
	}
	if (!tb[IKESEC_POL_A_DIR]) {
		NL_SET_ERR_MSG_MOD(extack, "missing POLICY attribute DIR");
		return -EINVAL;
	}
	if (!tb[IKESEC_POL_A_ACTION]) {
		NL_SET_ERR_MSG_MOD(extack, "missing POLICY attribute ACTION");
		return -EINVAL;
	}
	pol->dir = nla_get_u8(tb[IKESEC_POL_A_DIR]);
	pol->action = nla_get_u8(tb[IKESEC_POL_A_ACTION]);
	if (tb[IKESEC_POL_A_PRIORITY])
		pol->priority = nla_get_u32(tb[IKESEC_POL_A_PRIORITY]);
	if (pol->action == IKESEC_ACTION_PROTECT &&
	    !tb[IKESEC_POL_A_TEMPLATE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IKESEC_POL_A_ACTION],
			"ACTION protect needs POLICY attribute TEMPLATE");
		return -EINVAL;
	}
	if (pol->action != IKESEC_ACTION_PROTECT &&
	    tb[IKESEC_POL_A_TEMPLATE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IKESEC_POL_A_TEMPLATE],
			"TEMPLATE given for ACTION bypass or discard");
		return -EINVAL;
	}
	err = parse_selector(tb[IKESEC_POL_A_SELECTOR], &pol->sel, extack);
	if (err || pol->action != IKESEC_ACTION_PROTECT)
		return err;
	return parse_template(tb[IKESEC_POL_A_TEMPLATE], &pol->tmpl, extack);
}

static int cmd_policy_new(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));
	struct nlattr *tb[IKESEC_POL_A_MAX + 1];
	struct ikesec_policy *pol;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = parse_pol_nest(info, tb);
	if (err)
		return err;
	pol = ikesec_policy_alloc();
	if (!pol)
		return -ENOMEM;
	err = parse_policy(tb, pol, info->extack);
	if (err)
		goto free_pol;
	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto free_pol;
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &ikesec_family, 0,
				IKESEC_CMD_POLICY_NEW);
	if (!hdr)
		goto free_msg;

	mutex_lock(&in->lock);
	err = ikesec_policy_insert(in, pol, info->extack);
	if (err) {
		mutex_unlock(&in->lock);
		goto free_msg;
	}
	/* Cannot fail: one policy fits NLMSG_GOODSIZE. */
	WARN_ON_ONCE(put_policy(msg, pol));
	mutex_unlock(&in->lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

free_msg:
	nlmsg_free(msg);
free_pol:
	ikesec_policy_free(pol);
	return err;
}

/* Caller holds in->lock. */
static int find_policy(struct ikesec_net *in, struct genl_info *info,
		       struct ikesec_policy **polp)
{
	struct nlattr *tb[IKESEC_POL_A_MAX + 1];
	u32 id;
	int err;

	err = parse_pol_nest(info, tb);
	if (err)
		return err;
	if (!tb[IKESEC_POL_A_ID]) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing POLICY attribute ID");
		return -EINVAL;
	}
	id = nla_get_u32(tb[IKESEC_POL_A_ID]);
	*polp = ikesec_policy_find(in, id);
	if (!*polp) {
		NL_SET_ERR_MSG_FMT_MOD(info->extack, "no policy with ID %u",
				       id);
		NL_SET_BAD_ATTR(info->extack, tb[IKESEC_POL_A_ID]);
		return -ENOENT;
	}
	return 0;
}

static int cmd_policy_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));
	struct ikesec_policy *pol;
	int err;

	mutex_lock(&in->lock);
	err = find_policy(in, info, &pol);
	if (!err)
		ikesec_policy_unlink(in, pol);
	mutex_unlock(&in->lock);
	return err;
}

static int fill_policy(struct sk_buff *msg, struct ikesec_net *in,
		       struct genl_info *info)
{
	struct ikesec_policy *pol;
	int err = find_policy(in, info, &pol);

	if (err)
		return err;
	return put_policy(msg, pol) ? -EMSGSIZE : 0;
}

static int cmd_policy_get(struct sk_buff *skb, struct genl_info *info)
{
	return reply_one(info, IKESEC_CMD_POLICY_GET, fill_policy);
}

/* cb->args[0]: the next policy ID to send; pol_gen flags a dump that spans
 * a change.
 */
static int dump_policy(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ikesec_net *in = ikesec_net(sock_net(skb->sk));
	struct ikesec_policy *pol;
	unsigned long id;
	void *hdr;

	mutex_lock(&in->lock);
	cb->seq = in->pol_gen;
	xa_for_each_start(&in->pol_ids, id, pol, cb->args[0]) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ikesec_family,
				  NLM_F_MULTI, IKESEC_CMD_POLICY_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (put_policy(skb, pol)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = id + 1;
	}
	mutex_unlock(&in->lock);
	return skb->len;
}

static int cmd_policy_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));

	mutex_lock(&in->lock);
	ikesec_spd_flush(in);
	mutex_unlock(&in->lock);
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
	for (i = 1; i <= IKESEC_STAT_MAX; i++)
		if (i != IKESEC_STAT_PAD &&
		    nla_put_u64_64bit(skb, i, ctr[i], IKESEC_STAT_PAD))
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
	    nla_put_u32(msg, IKESEC_A_POLICY_COUNT, in->pol_count) ||
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

static int cmd_encap_attach(struct sk_buff *skb, struct genl_info *info)
{
	struct ikesec_net *in = ikesec_net(genl_info_net(info));

	if (GENL_REQ_ATTR_CHECK(info, IKESEC_A_ENCAP_FD)) {
		NL_SET_ERR_MSG_MOD(info->extack, "ENCAP_FD is required");
		return -EINVAL;
	}
	return ikesec_natt_attach(in,
				  (int)nla_get_u32(info->attrs[IKESEC_A_ENCAP_FD]),
				  info->extack);
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
	{
		.cmd = IKESEC_CMD_SA_SET,
		.doit = cmd_sa_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_SPI_ALLOC,
		.doit = cmd_spi_alloc,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_POLICY_NEW,
		.doit = cmd_policy_new,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_POLICY_DEL,
		.doit = cmd_policy_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_POLICY_GET,
		.doit = cmd_policy_get,
		.dumpit = dump_policy,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_POLICY_FLUSH,
		.doit = cmd_policy_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IKESEC_CMD_ENCAP_ATTACH,
		.doit = cmd_encap_attach,
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
	/* Every handler takes its namespace's in->lock: genl_mutex would
	 * serialize all namespaces, one busy IKE daemon blocking the rest.
	 */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = ikesec_ops,
	.n_ops = ARRAY_SIZE(ikesec_ops),
	.mcgrps = ikesec_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ikesec_mcgrps),
};

static bool registered;

/* Any context. NULL when out of memory or the family is gone. */
struct sk_buff *ikesec_nl_event_new(u8 cmd, void **hdr, gfp_t gfp)
{
	struct sk_buff *skb;

	if (!READ_ONCE(registered))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &ikesec_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/* Any context. Consumes skb; no listener is not an error. */
void ikesec_nl_event_send(struct net *net, struct sk_buff *skb, void *hdr,
			  gfp_t gfp)
{
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&ikesec_family, net, skb, 0, 0, gfp);
}

int ikesec_netlink_init(void)
{
	int err = genl_register_family(&ikesec_family);

	WRITE_ONCE(registered, !err);
	return err;
}

/* Events come from timers and the packet path: stop them first. */
void ikesec_netlink_uninit(void)
{
	WRITE_ONCE(registered, false);
	synchronize_rcu();
	genl_unregister_family(&ikesec_family);
}
