// SPDX-License-Identifier: GPL-2.0
/* Netfilter hooks, registered in every namespace (XFRM owns the global
 * IPPROTO_ESP handler, which we must not take: esp4/esp6 stay usable in
 * other namespaces of the same kernel).
 *
 * LOCAL_IN, last: ESP addressed to this host, reassembled by
 *   ip_local_deliver() already, after the filter table (so iptables can
 *   drop ESP, as it can for XFRM) and after conntrack has confirmed it.
 *   Other packets get the inbound SPD check there.
 * FORWARD, last: the SPD check of forwarded cleartext (direction fwd).
 * POST_ROUTING, last: outbound SPD lookup and encryption, for local and
 *   forwarded traffic alike, after SNAT and after conntrack confirmed the
 *   cleartext flow (XFRM too encrypts after the hook chain).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "hooks.h"
#include "input.h"
#include "output.h"

bool ikesec_flow_parse(struct sk_buff *skb, u8 family, struct ikesec_flow *fl)
{
	unsigned int off = skb_network_offset(skb);
	__be16 ports[2], *pp;
	bool first = true;
	u8 icmp[2], *ip;

	memset(fl, 0, sizeof(*fl));
	fl->family = family;
	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		fl->src.ip4 = iph->saddr;
		fl->dst.ip4 = iph->daddr;
		fl->proto = iph->protocol;
		first = !(iph->frag_off & htons(IP_OFFSET));
		off += iph->ihl * 4;
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);
		__be16 frag_off = 0;
		u8 nh = ip6h->nexthdr;
		int o;

		fl->src.ip6 = ip6h->saddr;
		fl->dst.ip6 = ip6h->daddr;
		o = ipv6_skip_exthdr(skb, off + sizeof(*ip6h), &nh, &frag_off);
		if (o < 0)
			return false;
		fl->proto = nh;
		first = !(frag_off & htons(IP6_OFFSET));
		off = o;
	}
	if (!first)
		return true;

	switch (fl->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		pp = skb_header_pointer(skb, off, sizeof(ports), ports);
		if (!pp)
			return false;
		fl->sport = pp[0];
		fl->dport = pp[1];
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		ip = skb_header_pointer(skb, off, sizeof(icmp), icmp);
		if (!ip)
			return false;
		fl->sport = htons(ip[0]);
		fl->dport = htons(ip[1]);
		break;
	}
	return true;
}

static unsigned int hook_in(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct ikesec_net *in = priv;

	return ikesec_input_hook(in, skb, state->pf == NFPROTO_IPV4 ?
				 AF_INET : AF_INET6, IKESEC_DIR_IN);
}

static unsigned int hook_fwd(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct ikesec_net *in = priv;

	return ikesec_input_policy(in, skb, state->pf == NFPROTO_IPV4 ?
				   AF_INET : AF_INET6, IKESEC_DIR_FWD);
}

static unsigned int hook_out(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	struct ikesec_net *in = priv;

	return ikesec_output_hook(in, skb, state->pf == NFPROTO_IPV4 ?
				  AF_INET : AF_INET6);
}

static const struct nf_hook_ops hook_ops[] = {
	{ .hook = hook_in, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_IN,
	  .priority = NF_IP_PRI_LAST },
	{ .hook = hook_fwd, .pf = NFPROTO_IPV4, .hooknum = NF_INET_FORWARD,
	  .priority = NF_IP_PRI_LAST },
	{ .hook = hook_out, .pf = NFPROTO_IPV4, .hooknum = NF_INET_POST_ROUTING,
	  .priority = NF_IP_PRI_LAST },
	{ .hook = hook_in, .pf = NFPROTO_IPV6, .hooknum = NF_INET_LOCAL_IN,
	  .priority = NF_IP6_PRI_LAST },
	{ .hook = hook_fwd, .pf = NFPROTO_IPV6, .hooknum = NF_INET_FORWARD,
	  .priority = NF_IP6_PRI_LAST },
	{ .hook = hook_out, .pf = NFPROTO_IPV6, .hooknum = NF_INET_POST_ROUTING,
	  .priority = NF_IP6_PRI_LAST },
};

/* IPv6 reassembles only after LOCAL_IN (in the fragment protocol
 * handler), so fragmented ESP would never reach us whole: nf_defrag_ipv6
 * reassembles in PRE_ROUTING. Taken by name at module load, before the
 * pernet registration (its own init takes pernet_ops_rwsem, which a
 * request from a netns init would deadlock on), so that insmod of ikesec
 * needs no dependency; without it fragmented ESP over IPv6 is lost.
 */
static int (*defrag6_enable)(struct net *net);
static void (*defrag6_disable)(struct net *net);

void ikesec_hooks_module_init(void)
{
	defrag6_enable = symbol_request(nf_defrag_ipv6_enable);
	defrag6_disable = symbol_get(nf_defrag_ipv6_disable);
	if (defrag6_enable && defrag6_disable)
		return;
	pr_warn("nf_defrag_ipv6 unavailable: fragmented ESP over IPv6 will be dropped\n");
	ikesec_hooks_module_uninit();
}

void ikesec_hooks_module_uninit(void)
{
	if (defrag6_enable)
		symbol_put(nf_defrag_ipv6_enable);
	if (defrag6_disable)
		symbol_put(nf_defrag_ipv6_disable);
	defrag6_enable = NULL;
	defrag6_disable = NULL;
}

static void defrag6_on(struct ikesec_net *in)
{
	in->defrag6 = defrag6_enable && !defrag6_enable(in->net);
}

static void defrag6_off(struct ikesec_net *in)
{
	if (in->defrag6)
		defrag6_disable(in->net);
	in->defrag6 = false;
}

/* Process context; called from the netns init. */
int ikesec_hooks_init(struct ikesec_net *in)
{
	struct nf_hook_ops *ops;
	unsigned int i;
	int err;

	ops = kmemdup(hook_ops, sizeof(hook_ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(hook_ops); i++)
		ops[i].priv = in;
	err = nf_register_net_hooks(in->net, ops, ARRAY_SIZE(hook_ops));
	if (err) {
		kfree(ops);
		return err;
	}
	in->hook_ops = ops;
	defrag6_on(in);
	return 0;
}

void ikesec_hooks_uninit(struct ikesec_net *in)
{
	if (!in->hook_ops)
		return;
	defrag6_off(in);
	/* Waits for packets inside the hooks (synchronize_net()). */
	nf_unregister_net_hooks(in->net, in->hook_ops, ARRAY_SIZE(hook_ops));
	kfree(in->hook_ops);
	in->hook_ops = NULL;
}
