// SPDX-License-Identifier: GPL-2.0
/* Inbound ESP: find the SA by SPI, cheap replay pre-check, decrypt in
 * place (possibly asynchronously), then replay window update, trailer,
 * decapsulation, selector check and re-injection through deliver.c, which
 * also says how the inbound SPD check knows a packet we decrypted.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "compat.h"
#include "deliver.h"
#include "esp.h"
#include "events.h"
#include "hooks.h"
#include "input.h"
#include "timers.h"

struct input_cb {
	struct ikesec_esp_req *er;
	unsigned int espoff;		/* ESP header, from the network header */
	unsigned int nhoff;		/* the next header byte naming ESP */
	u8 family;
	__be16 encap_sport;		/* 0: not UDP-encapsulated */
	union ikesec_addr src;		/* outer source, for NAT-T mappings */
};

#define INPUT_CB(skb) ((struct input_cb *)(skb)->cb)

static void count(struct ikesec_net *in, struct ikesec_sa *sa,
		  enum ikesec_stat ns, enum ikesec_sa_stat ss)
{
	ikesec_net_stat_add(in, ns, 1);
	if (sa && ss)
		ikesec_sa_stat_add(sa, ss, 1);
}

/* Where the ESP header starts, or false if this is not (whole) ESP. */
static bool find_esp(struct sk_buff *skb, u8 family, unsigned int *espoff,
		     unsigned int *nhoff)
{
	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_ESP || ip_is_fragment(iph))
			return false;
		*espoff = iph->ihl * 4;
		*nhoff = offsetof(struct iphdr, protocol);
		return true;
	}

	*nhoff = offsetof(struct ipv6hdr, nexthdr);
	*espoff = sizeof(struct ipv6hdr);
	for (;;) {
		u8 buf[2], *hp, nh = skb_network_header(skb)[*nhoff];

		if (nh == IPPROTO_ESP)
			return true;
		if (nh != NEXTHDR_HOP && nh != NEXTHDR_ROUTING &&
		    nh != NEXTHDR_DEST)
			return false;
		hp = skb_header_pointer(skb, skb_network_offset(skb) + *espoff,
					sizeof(buf), buf);
		if (!hp)
			return false;
		*nhoff = *espoff;
		*espoff += ipv6_optlen((struct ipv6_opt_hdr *)hp);
		if (!pskb_may_pull(skb, skb_network_offset(skb) + *espoff))
			return false;
	}
}

/* The decrypted packet looks as if it had come in on skb->dev: the outer
 * link-layer header moves in front of it (as XFRM does), so GRO, which
 * compares link-layer headers, can merge its flows. The AEAD has just
 * verified every byte as what the authenticated peer sent (corruption on
 * the way fails the ICV), so inner checksums are not verified again, as
 * WireGuard decides; in NAT-T transport mode they are wrong anyway (RFC
 * 3948 3.1.2 allows ignoring them, esp4 does). Only damage before the
 * peer encrypted goes unseen here; a forwarded packet keeps its checksum
 * for the final host to check.
 * Moves in->crypto_pending and the device reference of the request to
 * deliver.c, which delivers the packet under the mark.
 */
static void deliver(struct ikesec_net *in, struct sk_buff *skb, u32 reqid)
{
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = SKB_MAX_CSUM_LEVEL;
	if (skb->dev->type == ARPHRD_ETHER && skb->mac_len == ETH_HLEN &&
	    skb_mac_header_was_set(skb)) {
		skb_mac_header_rebuild(skb);
		eth_hdr(skb)->h_proto = skb->protocol;
	} else {
		skb_reset_mac_header(skb);
	}
	memset(skb->cb, 0, sizeof(skb->cb));
	ikesec_deliver(in, skb, reqid);
}

/* RFC 4303 2.4: pad length, next header, and the default padding 1, 2, 3,
 * ... which the receiver should inspect. Trims them and the ICV.
 */
static int strip_trailer(struct ikesec_sa *sa, struct sk_buff *skb,
			 unsigned int payoff, u8 *nexthdr)
{
	unsigned int end = skb->len - sa->crypto.icvlen;
	u8 tail[2], pad[255];
	int i;

	if (skb_copy_bits(skb, end - 2, tail, sizeof(tail)))
		return -EINVAL;
	if (payoff + tail[0] + 2 > end)
		return -EINVAL;
	if (tail[0] && skb_copy_bits(skb, end - 2 - tail[0], pad, tail[0]))
		return -EINVAL;
	for (i = 0; i < tail[0]; i++)
		if (pad[i] != i + 1)
			return -EINVAL;
	*nexthdr = tail[1];
	return pskb_trim(skb, end - 2 - tail[0]);
}

/* Tunnel mode: the payload is an IP packet; checks its header. */
static int decap_tunnel(struct sk_buff *skb, unsigned int payoff, u8 nexthdr,
			u8 *family)
{
	unsigned int len;

	__skb_pull(skb, payoff);
	skb_reset_network_header(skb);
	if (nexthdr == IPPROTO_IPIP) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return -EINVAL;
		iph = ip_hdr(skb);
		len = ntohs(iph->tot_len);
		if (iph->version != 4 || iph->ihl < 5 || len > skb->len ||
		    len < iph->ihl * 4 || !pskb_may_pull(skb, iph->ihl * 4))
			return -EINVAL;
		skb->protocol = htons(ETH_P_IP);
		*family = AF_INET;
	} else if (nexthdr == IPPROTO_IPV6) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return -EINVAL;
		len = sizeof(struct ipv6hdr) +
		      ntohs(ipv6_hdr(skb)->payload_len);
		if (ipv6_hdr(skb)->version != 6 || len > skb->len)
			return -EINVAL;
		skb->protocol = htons(ETH_P_IPV6);
		*family = AF_INET6;
	} else {
		return -EPROTO;
	}
	return pskb_trim(skb, len) ? -ENOMEM : 0;
}

/* Transport mode: close the gap the ESP header and IV leave. */
static void decap_transport(struct sk_buff *skb, const struct input_cb *cb,
			    unsigned int hlen, u8 nexthdr)
{
	u8 *nh = skb_network_header(skb);

	nh[cb->nhoff] = nexthdr;
	memmove(nh + hlen, nh, cb->espoff);
	__skb_pull(skb, hlen);
	skb_reset_network_header(skb);
	if (cb->family == AF_INET) {
		ip_hdr(skb)->tot_len = htons(skb->len);
		ip_send_check(ip_hdr(skb));
	} else {
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
}

static void input_finish(struct sk_buff *skb, int err)
{
	struct input_cb *cb = INPUT_CB(skb);
	struct ikesec_esp_req *er = cb->er;
	struct ikesec_sa *sa = er->sa;
	struct ikesec_net *in = sa->in;
	unsigned int hlen = IKESEC_ESP_HLEN + sa->crypto.ivlen;
	struct net_device *dev = skb->dev;
	struct ikesec_flow fl;
	u64 seq = er->seq;
	u8 nexthdr, family;
	u32 reqid;

	ikesec_esp_req_free(er);
	if (err == -EBADMSG) {
		count(in, sa, IKESEC_STAT_IN_AUTH_FAILS,
		      IKESEC_SA_STAT_AUTH_FAILS);
		if (cb->family == AF_INET)
			net_dbg_ratelimited("SPI 0x%08x: ICV mismatch, seq %llu, from %pI4\n",
					    ntohl(sa->key.spi), seq,
					    &cb->src.ip4);
		else
			net_dbg_ratelimited("SPI 0x%08x: ICV mismatch, seq %llu, from %pI6c\n",
					    ntohl(sa->key.spi), seq,
					    &cb->src.ip6);
		goto drop;
	}
	if (err) {
		count(in, sa, IKESEC_STAT_IN_ERRORS, IKESEC_SA_STAT_ERRORS);
		goto drop;
	}
	/* Only now that it is authentic may it move the window. */
	if (!ikesec_replay_advance(&sa->replay, seq)) {
		count(in, sa, IKESEC_STAT_IN_REPLAY,
		      IKESEC_SA_STAT_REPLAY_DROPS);
		goto drop;
	}
	if (seq > READ_ONCE(sa->seq))
		WRITE_ONCE(sa->seq, seq);
	if (cb->encap_sport &&
	    (cb->encap_sport != sa->encap_dport ||
	     memcmp(&cb->src, &sa->peer, sizeof(cb->src))))
		ikesec_event_mapping(sa, &cb->src, cb->encap_sport);

	if (strip_trailer(sa, skb, cb->espoff + hlen, &nexthdr)) {
		count(in, sa, IKESEC_STAT_IN_PAD_ERRORS,
		      IKESEC_SA_STAT_PAD_ERRORS);
		goto drop;
	}
	if (nexthdr == NEXTHDR_NONE)	/* RFC 4303 2.6: dummy packet */
		goto drop;
	if (sa->mode == IKESEC_MODE_TUNNEL) {
		err = decap_tunnel(skb, cb->espoff + hlen, nexthdr, &family);
		if (err) {
			if (err == -EPROTO)
				count(in, sa, IKESEC_STAT_IN_PAD_ERRORS,
				      IKESEC_SA_STAT_PAD_ERRORS);
			else
				count(in, sa, IKESEC_STAT_IN_HDR_ERRORS,
				      IKESEC_SA_STAT_ERRORS);
			goto drop;
		}
	} else {
		family = cb->family;
		decap_transport(skb, cb, hlen, nexthdr);
	}

	if (sa->sel.family &&
	    (!ikesec_flow_parse(skb, family, &fl) ||
	     !ikesec_selector_match(&sa->sel, &fl))) {
		count(in, sa, IKESEC_STAT_IN_SELECTOR_DROPS,
		      IKESEC_SA_STAT_SELECTOR_DROPS);
		goto drop;
	}

	ikesec_sa_stat_add(sa, IKESEC_SA_STAT_PACKETS, 1);
	ikesec_sa_stat_add(sa, IKESEC_SA_STAT_BYTES, skb->len);
	ikesec_net_stat_add(in, IKESEC_STAT_IN_PACKETS, 1);
	ikesec_net_stat_add(in, IKESEC_STAT_IN_BYTES, skb->len);
	ikesec_sa_charge(sa, skb->len);
	reqid = sa->reqid;
	ikesec_sa_put(sa);
	deliver(in, skb, reqid);
	return;

drop:
	kfree_skb(skb);
	dev_put(dev);
	ikesec_sa_put(sa);
	ikesec_crypto_done(in);
}

IKESEC_ASYNC_DONE(input_done, input_finish);

static bool hard_expired(struct ikesec_sa *sa)
{
	return test_bit(IKESEC_SA_LT_HARD, &sa->lt_flags) ||
	       lt_reached(READ_ONCE(sa->hard.bytes),
			  atomic64_read(&sa->curlife_bytes)) ||
	       lt_reached(READ_ONCE(sa->hard.packets),
			  atomic64_read(&sa->curlife_packets));
}

/* The number of scatterlist entries the skb needs once it may be
 * decrypted in place. An skb of its own (not cloned, no fragment list,
 * no page shared with a file or user memory, e.g. a veth peer's ESP
 * packet) is used as it is, page fragments included, as esp4 does:
 * skb_cow_data() would copy all of them into a new linear buffer.
 */
static int writable_frags(struct sk_buff *skb)
{
	struct sk_buff *trailer;

	if (!skb_cloned(skb) && !skb_has_frag_list(skb) &&
	    !skb_has_shared_frag(skb))
		return skb_shinfo(skb)->nr_frags + 1;
	return skb_cow_data(skb, 0, &trailer);
}

/* Takes over skb and the caller's reference on sa. cb->espoff, nhoff,
 * family and the encapsulation fields are set.
 */
static void input_decrypt(struct ikesec_sa *sa, struct sk_buff *skb)
{
	struct input_cb *cb = INPUT_CB(skb);
	const struct ikesec_crypto *c = &sa->crypto;
	unsigned int hlen = IKESEC_ESP_HLEN + c->ivlen;
	struct ikesec_net *in = sa->in;
	struct ikesec_esp_req *er;
	struct ip_esp_hdr *esph;
	struct aead_request *req;
	struct scatterlist *sg;
	int elen, nfrags, err;
	u64 seq;

	if (skb_network_offset(skb) ||
	    !pskb_may_pull(skb, cb->espoff + hlen)) {
		count(in, sa, IKESEC_STAT_IN_HDR_ERRORS, IKESEC_SA_STAT_ERRORS);
		goto drop;
	}
	elen = skb->len - cb->espoff - hlen - c->icvlen;
	if (elen < 2 || elen % c->blocksize) {
		count(in, sa, IKESEC_STAT_IN_HDR_ERRORS, IKESEC_SA_STAT_ERRORS);
		goto drop;
	}
	esph = (struct ip_esp_hdr *)(skb->data + cb->espoff);
	if (!ikesec_replay_check(&sa->replay, ntohl(esph->seq_no), &seq)) {
		count(in, sa, IKESEC_STAT_IN_REPLAY,
		      IKESEC_SA_STAT_REPLAY_DROPS);
		goto drop;
	}
	if (hard_expired(sa)) {
		count(in, sa, IKESEC_STAT_IN_EXPIRED, IKESEC_SA_STAT_ERRORS);
		goto drop;
	}

	nfrags = writable_frags(skb);
	if (nfrags < 0)
		goto nomem;
	er = ikesec_esp_req_alloc(sa, nfrags, &req, &sg);
	if (!er)
		goto nomem;
	esph = (struct ip_esp_hdr *)(skb->data + cb->espoff);
	er->seq = seq;
	ikesec_esp_build_aad(er, esph->spi, sa->flags & IKESEC_SA_F_ESN,
			     (u8 *)(esph + 1), c->ivlen);
	sg_set_buf(sg, er->aad, er->aadlen);
	err = skb_to_sgvec(skb, sg + 1, cb->espoff + hlen, elen + c->icvlen);
	if (unlikely(err < 0)) {
		ikesec_esp_req_free(er);
		goto nomem;
	}
	cb->er = er;
	dev_hold(skb->dev);
	aead_request_set_callback(req, 0, input_done, skb);
	aead_request_set_crypt(req, sg, sg, elen + c->icvlen, er->iv);
	aead_request_set_ad(req, er->aadlen);
	atomic_inc(&in->crypto_pending);
	if (ikesec_par_submit(&er->par, sa, req, false, skb->len, skb,
			      input_finish))
		return;
	err = crypto_aead_decrypt(req);
	if (err == -EINPROGRESS)
		return;
	input_finish(skb, err);
	return;

nomem:
	count(in, sa, IKESEC_STAT_IN_ERRORS, IKESEC_SA_STAT_ERRORS);
drop:
	kfree_skb(skb);
	ikesec_sa_put(sa);
}

/* Called under rcu_read_lock(). Consumes skb in every case but one: when
 * the SPI is unknown and the namespace has no SA at all (return false),
 * the packet is none of our business.
 */
static bool input_steal(struct ikesec_net *in, struct sk_buff *skb,
			u8 family, unsigned int espoff, unsigned int nhoff,
			__be16 encap_sport)
{
	struct ikesec_sa_key key = { .dir = IKESEC_DIR_IN };
	struct input_cb *cb = INPUT_CB(skb);
	struct ikesec_sa *sa;
	__be32 *spi, buf;

	spi = skb_header_pointer(skb, skb_network_offset(skb) + espoff,
				 sizeof(buf), &buf);
	if (spi) {
		key.spi = *spi;
		sa = ikesec_sa_lookup_rcu(in, &key);
		if (sa && refcount_inc_not_zero(&sa->refcnt))
			goto found;
	}
	if (!READ_ONCE(in->sa_count))
		return false;
	if (spi) {
		ikesec_net_stat_add(in, IKESEC_STAT_IN_NO_SA, 1);
		net_dbg_ratelimited("no inbound SA for SPI 0x%08x\n",
				    ntohl(key.spi));
	} else {
		ikesec_net_stat_add(in, IKESEC_STAT_IN_HDR_ERRORS, 1);
	}
	kfree_skb(skb);
	return true;

found:
	cb->espoff = espoff;
	cb->nhoff = nhoff;
	cb->family = family;
	cb->encap_sport = encap_sport;
	memset(&cb->src, 0, sizeof(cb->src));
	if (family == AF_INET)
		cb->src.ip4 = ip_hdr(skb)->saddr;
	else
		cb->src.ip6 = ipv6_hdr(skb)->saddr;
	input_decrypt(sa, skb);
	return true;
}

unsigned int ikesec_input_hook(struct ikesec_net *in, struct sk_buff *skb,
			       u8 family, u8 dir)
{
	unsigned int espoff, nhoff;

	if (!find_esp(skb, family, &espoff, &nhoff))
		return ikesec_input_policy(in, skb, family, dir);
	return input_steal(in, skb, family, espoff, nhoff, 0) ?
	       NF_STOLEN : NF_ACCEPT;
}

void ikesec_input_esp(struct ikesec_net *in, struct sk_buff *skb, u8 family,
		      __be16 encap_sport)
{
	unsigned int espoff, nhoff;
	bool done = false;

	rcu_read_lock();
	if (find_esp(skb, family, &espoff, &nhoff))
		done = input_steal(in, skb, family, espoff, nhoff,
				   encap_sport);
	rcu_read_unlock();
	if (!done) {
		ikesec_net_stat_add(in, IKESEC_STAT_IN_NATT_DROPS, 1);
		kfree_skb(skb);
	}
}

unsigned int ikesec_input_policy(struct ikesec_net *in, struct sk_buff *skb,
				 u8 family, u8 dir)
{
	struct ikesec_policy *pol;
	struct ikesec_flow fl;
	u32 reqid;

	if (!READ_ONCE(in->pol_count))
		return NF_ACCEPT;
	if (!ikesec_flow_parse(skb, family, &fl) || ikesec_flow_is_ike(&fl))
		return NF_ACCEPT;
	pol = ikesec_spd_lookup(in, dir, &fl);
	if (!pol || pol->action == IKESEC_ACTION_BYPASS)
		return NF_ACCEPT;
	if (pol->action == IKESEC_ACTION_PROTECT &&
	    ikesec_deliver_marked(&reqid) &&
	    (!pol->tmpl.reqid || pol->tmpl.reqid == reqid))
		return NF_ACCEPT;
	ikesec_net_stat_add(in, IKESEC_STAT_IN_POLICY_DROPS, 1);
	return NF_DROP;
}
