// SPDX-License-Identifier: GPL-2.0
/* ACQUIRE, EXPIRE and MAPPING: what the kernel tells the IKE daemon
 * unasked. The attribute encoders live in netlink.c; this file decides
 * when a message is due and sends it in the object's netns.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>

#include "events.h"
#include "netlink.h"

/* Lock-free rate limit: true if *stamp may be claimed now. 0 = never. */
static bool claim(unsigned long *stamp, unsigned long interval)
{
	unsigned long last = READ_ONCE(*stamp), now = jiffies ?: 1;

	if (last && time_before(now, last + interval))
		return false;
	return cmpxchg(stamp, last, now) == last;
}

static int put_flow(struct sk_buff *skb, const struct ikesec_flow *fl)
{
	struct ikesec_selector sel = {
		.src = fl->src,
		.dst = fl->dst,
		.family = fl->family,
		.src_plen = fl->family == AF_INET ? 32 : 128,
		.dst_plen = fl->family == AF_INET ? 32 : 128,
		.proto = fl->proto,
		.sport_min = ntohs(fl->sport),
		.sport_max = ntohs(fl->sport),
		.dport_min = ntohs(fl->dport),
		.dport_max = ntohs(fl->dport),
	};

	return ikesec_nl_put_selector(skb, IKESEC_A_SELECTOR, &sel);
}

void ikesec_event_acquire(struct ikesec_net *in, struct ikesec_policy *pol,
			  const struct ikesec_flow *fl)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	if (!claim(&pol->acquire_sent, IKESEC_ACQUIRE_RETRY_SECONDS * HZ))
		return;
	skb = ikesec_nl_event_new(IKESEC_CMD_ACQUIRE, &hdr, GFP_ATOMIC);
	if (!skb)
		return;
	nest = nla_nest_start(skb, IKESEC_A_POLICY);
	if (!nest ||
	    nla_put_u32(skb, IKESEC_POL_A_ID, pol->id) ||
	    nla_put_u8(skb, IKESEC_POL_A_DIR, pol->dir) ||
	    ikesec_nl_put_template(skb, &pol->tmpl))
		goto free;
	nla_nest_end(skb, nest);
	if (put_flow(skb, fl))
		goto free;
	ikesec_net_stat_add(in, IKESEC_STAT_ACQUIRES, 1);
	ikesec_nl_event_send(in->net, skb, hdr, GFP_ATOMIC);
	return;

free:
	nlmsg_free(skb);
}

void ikesec_event_expire(struct ikesec_sa *sa, bool hard)
{
	struct sk_buff *skb;
	void *hdr;

	skb = ikesec_nl_event_new(IKESEC_CMD_EXPIRE, &hdr, GFP_ATOMIC);
	if (!skb)
		return;
	if (ikesec_nl_put_sa(skb, sa) ||
	    (hard && nla_put_flag(skb, IKESEC_A_EXPIRE_HARD))) {
		nlmsg_free(skb);
		return;
	}
	ikesec_nl_event_send(sa->in->net, skb, hdr, GFP_ATOMIC);
}

void ikesec_event_mapping(struct ikesec_sa *sa, const union ikesec_addr *addr,
			  __be16 port)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;
	int err;

	if (!claim(&sa->mapping_sent, HZ))
		return;
	skb = ikesec_nl_event_new(IKESEC_CMD_MAPPING, &hdr, GFP_ATOMIC);
	if (!skb)
		return;
	nest = nla_nest_start(skb, IKESEC_A_SA);
	if (!nest)
		goto free;
	if (sa->family == AF_INET)
		err = nla_put_in_addr(skb, IKESEC_SA_A_PEER_IPV4, addr->ip4);
	else
		err = nla_put_in6_addr(skb, IKESEC_SA_A_PEER_IPV6, &addr->ip6);
	if (err ||
	    nla_put_u8(skb, IKESEC_SA_A_DIR, sa->key.dir) ||
	    nla_put_u32(skb, IKESEC_SA_A_SPI, be32_to_cpu(sa->key.spi)) ||
	    nla_put_u16(skb, IKESEC_SA_A_ENCAP_DPORT, ntohs(port)))
		goto free;
	nla_nest_end(skb, nest);
	ikesec_nl_event_send(sa->in->net, skb, hdr, GFP_ATOMIC);
	return;

free:
	nlmsg_free(skb);
}
