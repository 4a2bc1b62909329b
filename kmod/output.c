// SPDX-License-Identifier: GPL-2.0
/* Outbound ESP: SPD lookup, SA by the template's reqid, path MTU, then
 * in-place encryption (possibly asynchronous) and ip_local_out() of the
 * result.
 *
 * Our own ESP packets pass POST_ROUTING again inside ip_local_out(); a
 * per-CPU nesting counter, raised around the call with bottom halves off
 * (also in the asynchronous completion), lets them through untouched.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/random.h>
#include <linux/udp.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "compat.h"
#include "esp.h"
#include "events.h"
#include "hooks.h"
#include "output.h"
#include "timers.h"

static DEFINE_PER_CPU(unsigned int, tx_nest);

struct output_cb {
	struct ikesec_esp_req *er;
	unsigned int inner_len;		/* bytes counted against the SA */
	unsigned int hdrlen;		/* transport: IP header kept in front */
	unsigned int payload_off;	/* out of place: ESP payload's offset */
	unsigned int payload_len;	/* and its length with the ICV */
	u8 family;			/* of the outer header */
	u8 dsfield;			/* inner DSCP/ECN, copied outward */
	bool df;			/* outer IPv4 DF */
};

#define OUTPUT_CB(skb) ((struct output_cb *)(skb)->cb)

static void count(struct ikesec_net *in, struct ikesec_sa *sa,
		  enum ikesec_stat ns)
{
	ikesec_net_stat_add(in, ns, 1);
	if (sa)
		ikesec_sa_stat_add(sa, IKESEC_SA_STAT_ERRORS, 1);
}

/* RFC 6935, 6936: over IPv6 a zero UDP checksum is refused unless both
 * ends opted in, so ESP in UDP gets a real one (RFC 3948 2.1 allows zero
 * for IPv4 only). The transport header is the UDP header; the packet is
 * complete.
 */
static void udp6_checksum(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct udphdr *uh = udp_hdr(skb);
	int off = skb_transport_offset(skb), len = skb->len - off;

	uh->check = 0;
	uh->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
				    IPPROTO_UDP, skb_checksum(skb, off, len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}

/* Clears the skb's control block (IPCB, IP6CB) for the output path. */
static void push_outer(struct ikesec_sa *sa, struct sk_buff *skb,
		       const struct output_cb *cb)
{
	struct net *net = sa->in->net;
	struct dst_entry *dst = skb_dst(skb);
	u8 proto = IPPROTO_ESP;

	if (sa->encap_dport) {
		struct udphdr *uh = skb_push(skb, sizeof(*uh));

		uh->source = sa->encap_sport;
		uh->dest = sa->encap_dport;
		uh->len = htons(skb->len);
		uh->check = 0;	/* RFC 3948 2.1 for IPv4; IPv6 below */
		skb_reset_transport_header(skb);
		proto = IPPROTO_UDP;
	}
	if (cb->family == AF_INET) {
		struct iphdr *iph = skb_push(skb, sizeof(*iph));

		skb_reset_network_header(skb);
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = cb->dsfield;
		iph->tot_len = htons(skb->len);
		iph->frag_off = cb->df ? htons(IP_DF) : 0;
		iph->ttl = ip4_dst_hoplimit(dst);
		iph->protocol = proto;
		iph->saddr = sa->local.ip4;
		iph->daddr = sa->peer.ip4;
		ip_select_ident(net, skb, NULL);
		skb->protocol = htons(ETH_P_IP);
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	} else {
		struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));

		skb_reset_network_header(skb);
		ip6_flow_hdr(ip6h, cb->dsfield, 0);
		ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
		ip6h->nexthdr = proto;
		ip6h->hop_limit = ip6_dst_hoplimit(dst);
		ip6h->saddr = sa->local.ip6;
		ip6h->daddr = sa->peer.ip6;
		skb->protocol = htons(ETH_P_IPV6);
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		if (proto == IPPROTO_UDP)
			udp6_checksum(skb);
	}
}

static void fix_transport(struct ikesec_sa *sa, struct sk_buff *skb,
			  const struct output_cb *cb)
{
	u8 proto = IPPROTO_ESP;

	if (sa->encap_dport) {
		struct udphdr *uh = udp_hdr(skb);

		uh->source = sa->encap_sport;
		uh->dest = sa->encap_dport;
		uh->len = htons(skb->len - cb->hdrlen);
		uh->check = 0;
		proto = IPPROTO_UDP;
	}
	if (cb->family == AF_INET) {
		ip_hdr(skb)->protocol = proto;
	} else {
		ipv6_hdr(skb)->nexthdr = proto;
		if (proto == IPPROTO_UDP)
			udp6_checksum(skb);
	}
}

/* Out of place: the ESP payload (from off to the end) becomes the one
 * page fragment the AEAD wrote; the old fragments, which may be shared
 * with the socket's retransmit queue, are only released. truesize stays
 * as the socket charged it.
 */
static void swap_payload(struct sk_buff *skb, void *frag, unsigned int off,
			 unsigned int len)
{
	struct page *page = virt_to_head_page(frag);
	int i;

	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++)
		skb_frag_unref(skb, i);
	skb_shinfo(skb)->nr_frags = 0;
	skb_shinfo(skb)->flags &= ~SKBFL_SHARED_FRAG;
	skb->data_len = 0;
	skb->len = off;
	skb_set_tail_pointer(skb, off);
	skb_fill_page_desc(skb, 0, page, frag - page_address(page), len);
	skb->len += len;
	skb->data_len = len;
}

static void output_finish(struct sk_buff *skb, int err)
{
	struct output_cb *cb = OUTPUT_CB(skb);
	struct ikesec_esp_req *er = cb->er;
	struct ikesec_sa *sa = er->sa;
	struct ikesec_net *in = sa->in;
	unsigned int inner_len = cb->inner_len;
	u8 family = cb->family;	/* push_outer() clears the cb */
	bool df = cb->df;

	if (!err && er->frag) {
		swap_payload(skb, er->frag, cb->payload_off, cb->payload_len);
		er->frag = NULL;
	}
	ikesec_esp_req_free(er);
	if (err) {
		count(in, sa, IKESEC_STAT_OUT_ERRORS);
		kfree_skb(skb);
		goto out;
	}
	if (sa->mode == IKESEC_MODE_TUNNEL)
		push_outer(sa, skb, cb);
	else
		fix_transport(sa, skb, cb);

	ikesec_sa_stat_add(sa, IKESEC_SA_STAT_PACKETS, 1);
	ikesec_sa_stat_add(sa, IKESEC_SA_STAT_BYTES, inner_len);
	ikesec_net_stat_add(in, IKESEC_STAT_OUT_PACKETS, 1);
	ikesec_net_stat_add(in, IKESEC_STAT_OUT_BYTES, skb->len);
	ikesec_sa_charge(sa, inner_len);

	skb->ignore_df = !df;
	local_bh_disable();
	__this_cpu_inc(tx_nest);
	if (family == AF_INET)
		ip_local_out(in->net, skb->sk, skb);
	else
		ip6_local_out(in->net, skb->sk, skb);
	__this_cpu_dec(tx_nest);
	local_bh_enable();
out:
	ikesec_sa_put(sa);
	ikesec_crypto_done(in);
}

IKESEC_ASYNC_DONE(output_done, output_finish);

/* Tunnel mode: the outer route, which replaces the inner one on skb. */
static struct dst_entry *outer_route(struct ikesec_sa *sa,
				     struct sk_buff *skb)
{
	struct net *net = sa->in->net;
	u8 proto = sa->encap_dport ? IPPROTO_UDP : IPPROTO_ESP;

	if (sa->family == AF_INET) {
		struct flowi4 fl4 = {
			.daddr = sa->peer.ip4,
			.saddr = sa->local.ip4,
			.flowi4_proto = proto,
			.flowi4_mark = skb->mark,
		};
		struct rtable *rt = ip_route_output_key(net, &fl4);

		return IS_ERR(rt) ? NULL : &rt->dst;
	}

	struct flowi6 fl6 = {
		.daddr = sa->peer.ip6,
		.saddr = sa->local.ip6,
		.flowi6_proto = proto,
		.flowi6_mark = skb->mark,
	};
	struct dst_entry *dst = ip6_route_output(net, NULL, &fl6);

	if (dst->error) {
		dst_release(dst);
		return NULL;
	}
	return dst;
}

/* RFC 4301 8.2: too big for the path and not to be fragmented: tell the
 * sender the MTU left for it. Consumes nothing.
 */
static void too_big(struct sk_buff *skb, u8 family, unsigned int mtu)
{
	skb_dst_update_pmtu_no_confirm(skb, mtu);
	if (family == AF_INET)
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
	else
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0,
			    max_t(unsigned int, mtu, IPV6_MIN_MTU));
}

/* RFC 4303 2.4: the largest inner packet that still fits in mtu with
 * overhead (outer headers, ESP header, IV, ICV) around it: the payload and
 * its 2 trailer bytes are padded to the cipher's block size.
 */
static unsigned int payload_room(unsigned int mtu, unsigned int overhead,
				 unsigned int blocksize)
{
	unsigned int room;

	if (mtu <= overhead)
		return 0;
	room = rounddown(mtu - overhead, blocksize);
	return room > 2 ? room - 2 : 0;
}

#define OOP_DST_SG	2	/* out of place: AAD, then the new fragment */

/* Encrypt into a new page fragment instead of copying the payload into a
 * private linear buffer first (skb_cow_data()) whenever that would copy:
 * for a paged skb (a GSO segment, whose pages the socket still holds for
 * retransmission) or one without tailroom for the trailer, the AEAD reads
 * the payload where it is and writes the ciphertext to memory of ours. The
 * head must be private already (skb_cow_head()); a frag list takes the
 * copying path, and so does a linear skb with room (in place, no copy).
 */
static bool out_of_place(const struct sk_buff *skb, unsigned int tailen,
			 unsigned int len)
{
	return (skb_shinfo(skb)->nr_frags || skb_tailroom(skb) < tailen) &&
	       !skb_has_frag_list(skb) && !skb_cloned(skb) && len <= PAGE_SIZE;
}

/* One packet (no GSO) to encrypt with sa. Consumes skb and the caller's
 * reference on sa. In tunnel mode odst, when given, is the outer route
 * already looked up for the burst skb belongs to (the caller's reference).
 */
static void output_one(struct ikesec_sa *sa, struct sk_buff *skb, u8 family,
		       struct dst_entry *odst)
{
	const struct ikesec_crypto *c = &sa->crypto;
	bool esn = sa->flags & IKESEC_SA_F_ESN;
	bool tunnel = sa->mode == IKESEC_MODE_TUNNEL;
	unsigned int hlen = IKESEC_ESP_HLEN + c->ivlen;
	unsigned int udplen = sa->encap_dport ? sizeof(struct udphdr) : 0;
	struct output_cb *cb = OUTPUT_CB(skb);
	struct ikesec_net *in = sa->in;
	unsigned int plen, clen, tailen, outer, mtu, hdrlen, off, i;
	struct dst_entry *dst = skb_dst(skb);
	struct ikesec_esp_req *er;
	struct ip_esp_hdr *esph;
	struct aead_request *req;
	struct sk_buff *trailer;
	struct scatterlist *sg, *dsg;
	u8 nexthdr, dsfield, iv[IKESEC_ESP_IV_MAX], *tail;
	u8 ofamily;
	bool df, oop;
	int nfrags, err;
	u64 seq;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto nomem;
	if (family == AF_INET) {
		df = ip_hdr(skb)->frag_off & htons(IP_DF);
		dsfield = ipv4_get_dsfield(ip_hdr(skb));
		hdrlen = ip_hdrlen(skb);
		nexthdr = tunnel ? IPPROTO_IPIP : ip_hdr(skb)->protocol;
	} else {
		df = true;
		dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
		hdrlen = sizeof(struct ipv6hdr);
		nexthdr = tunnel ? IPPROTO_IPV6 : ipv6_hdr(skb)->nexthdr;
	}
	if (tunnel) {
		hdrlen = 0;
		outer = (sa->family == AF_INET ? sizeof(struct iphdr) :
			 sizeof(struct ipv6hdr)) + udplen;
		ofamily = sa->family;
	} else {
		outer = hdrlen + udplen;
		ofamily = family;
	}
	plen = skb->len - hdrlen;
	clen = ALIGN(plen + 2, c->blocksize);
	tailen = clen - plen + c->icvlen;

	if (tunnel) {
		dst = odst ? dst_clone(odst) : outer_route(sa, skb);
		if (!dst) {
			count(in, sa, IKESEC_STAT_OUT_ERRORS);
			goto drop;
		}
	}
	/* Transport mode shares the route with the cleartext: lowering its
	 * PMTU would shrink the limit it is measured against. Such packets
	 * are fragmented after ESP instead (ignore_df below). The ICMP error
	 * needs the IP control block, so skb->cb is ours only after this.
	 */
	mtu = dst_mtu(dst);
	if (tunnel && df && outer + hlen + clen + c->icvlen > mtu) {
		too_big(skb, family, payload_room(mtu, outer + hlen +
						  c->icvlen, c->blocksize));
		dst_release(dst);
		count(in, sa, IKESEC_STAT_OUT_MTU_DROPS);
		goto drop;
	}
	cb->hdrlen = hdrlen;
	cb->family = ofamily;
	cb->inner_len = skb->len;
	if (tunnel) {
		skb_dst_drop(skb);
		skb_dst_set(skb, dst);
		/* The outer IPv4 header keeps DF off unless the inner had it;
		 * IPv6 outer packets may be fragmented at the source then.
		 */
		cb->df = df && cb->family == AF_INET;
		cb->dsfield = INET_ECN_encapsulate(dsfield, dsfield);
	} else {
		cb->df = false;
	}

	if (!ikesec_sa_next_seq(sa, esn, &seq)) {
		count(in, sa, IKESEC_STAT_OUT_SEQ_OVERFLOW);
		net_dbg_ratelimited("SPI 0x%08x: sequence numbers exhausted\n",
				    ntohl(sa->key.spi));
		goto drop;
	}
	if (test_bit(IKESEC_SA_LT_HARD, &sa->lt_flags)) {
		count(in, sa, IKESEC_STAT_OUT_ERRORS);
		goto drop;
	}

	if (skb_cow_head(skb, LL_RESERVED_SPACE(skb_dst(skb)->dev) + outer +
			 hlen))
		goto nomem;
	oop = out_of_place(skb, tailen, clen + c->icvlen);
	if (oop) {
		/* ESP payload from the skb, trailer from er->tail */
		nfrags = 1 + skb_shinfo(skb)->nr_frags + 1 + OOP_DST_SG;
	} else {
		if (skb_has_shared_frag(skb) && __skb_linearize(skb))
			goto nomem;
		nfrags = skb_cow_data(skb, tailen, &trailer);
		if (nfrags < 0)
			goto nomem;
	}

	/* Room for the ESP header, in transport mode also for the UDP header
	 * behind the kept IP header (tunnel mode: push_outer() adds it).
	 */
	if (tunnel)
		udplen = 0;
	off = cb->hdrlen + udplen + hlen;

	er = ikesec_esp_req_alloc(sa, nfrags, &req, &sg);
	if (!er)
		goto nomem;
	if (oop) {
		er->frag = netdev_alloc_frag(clen + c->icvlen);
		if (!er->frag) {
			ikesec_esp_req_free(er);
			goto nomem;
		}
		tail = er->tail;
	} else {
		tail = pskb_put(skb, trailer, tailen);
	}
	for (i = 0; i < clen - plen - 2; i++)
		tail[i] = i + 1;		/* RFC 4303 2.4 */
	tail[i] = clen - plen - 2;
	tail[i + 1] = nexthdr;

	skb_push(skb, hlen + udplen);
	memmove(skb->data, skb->data + hlen + udplen, cb->hdrlen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, cb->hdrlen);
	esph = (struct ip_esp_hdr *)(skb->data + cb->hdrlen + udplen);
	esph->spi = sa->key.spi;
	esph->seq_no = htonl(lower_32_bits(seq));
	if (c->combined) {
		/* RFC 4106 3.1, RFC 7634 2: unique per packet is enough. */
		__be64 s = cpu_to_be64(seq);

		memcpy(iv, &s, sizeof(s));
	} else {
		get_random_bytes(iv, c->ivlen);
	}
	memcpy(esph + 1, iv, c->ivlen);

	er->seq = seq;
	ikesec_esp_build_aad(er, sa->key.spi, esn, iv, c->ivlen);
	if (oop) {
		cb->payload_off = off;
		cb->payload_len = clen + c->icvlen;
		dsg = sg + nfrags + 1 - OOP_DST_SG;
		sg_init_table(sg, nfrags + 1 - OOP_DST_SG);
		sg_init_table(dsg, OOP_DST_SG);
		sg_set_buf(dsg, er->aad, er->aadlen);
		sg_set_buf(dsg + 1, er->frag, clen + c->icvlen);
	}
	sg_set_buf(sg, er->aad, er->aadlen);
	err = skb_to_sgvec(skb, sg + 1, off, oop ? plen : clen + c->icvlen);
	if (unlikely(err < 0)) {
		ikesec_esp_req_free(er);
		goto nomem;
	}
	if (oop) {
		sg_unmark_end(sg + err);
		sg_set_buf(sg + err + 1, er->tail, clen - plen);
		sg_mark_end(sg + err + 1);
	} else {
		dsg = sg;
	}
	cb->er = er;
	aead_request_set_callback(req, 0, output_done, skb);
	aead_request_set_crypt(req, sg, dsg, clen, er->iv);
	aead_request_set_ad(req, er->aadlen);
	atomic_inc(&in->crypto_pending);
	if (ikesec_par_submit(&er->par, sa, req, true, skb->len, skb,
			      output_finish))
		return;
	/* Bottom halves off: a receive softirq run on this CPU inside our
	 * FPU section could not use the SIMD cipher and would be deferred
	 * to cryptd, completing later, behind packets with higher sequence
	 * numbers: TCP saw the reordering and the replay window the drops.
	 */
	local_bh_disable();
	err = crypto_aead_encrypt(req);
	local_bh_enable();
	if (err == -EINPROGRESS)
		return;
	output_finish(skb, err);
	return;

nomem:
	count(in, sa, IKESEC_STAT_OUT_ERRORS);
drop:
	kfree_skb(skb);
	ikesec_sa_put(sa);
}

unsigned int ikesec_output_hook(struct ikesec_net *in, struct sk_buff *skb,
				u8 family)
{
	struct dst_entry *odst = NULL;
	struct ikesec_policy *pol;
	struct sk_buff *segs, *next;
	struct ikesec_flow fl;
	struct ikesec_sa *sa;
	bool tunnel;

	if (this_cpu_read(tx_nest) || !READ_ONCE(in->pol_count))
		return NF_ACCEPT;
	if (!ikesec_flow_parse(skb, family, &fl) || ikesec_flow_is_ike(&fl))
		return NF_ACCEPT;
	pol = ikesec_spd_lookup(in, IKESEC_DIR_OUT, &fl);
	if (!pol || pol->action == IKESEC_ACTION_BYPASS)
		return NF_ACCEPT;
	if (pol->action != IKESEC_ACTION_PROTECT) {
		ikesec_net_stat_add(in, IKESEC_STAT_OUT_POLICY_DROPS, 1);
		return NF_DROP;
	}

	tunnel = pol->tmpl.mode == IKESEC_MODE_TUNNEL;
	sa = ikesec_sa_lookup_reqid_rcu(in, pol->tmpl.reqid,
					tunnel ? pol->tmpl.family : family,
					tunnel ? &pol->tmpl.peer : &fl.dst);
	if (!sa || !refcount_inc_not_zero(&sa->refcnt)) {
		ikesec_net_stat_add(in, IKESEC_STAT_OUT_NO_SA, 1);
		ikesec_event_acquire(in, pol, &fl);
		return NF_DROP;
	}

	if (!skb_is_gso(skb)) {
		output_one(sa, skb, family, NULL);
		return NF_STOLEN;
	}
	/* Every segment takes the same outer route: look it up once. */
	if (tunnel) {
		odst = outer_route(sa, skb);
		if (!odst) {
			count(in, sa, IKESEC_STAT_OUT_ERRORS);
			ikesec_sa_put(sa);
			return NF_DROP;
		}
	}
	/* Scatter-gather: the segments point into the socket's pages instead
	 * of copies, output_one() encrypts them out of place.
	 */
	segs = skb_gso_segment(skb, NETIF_F_SG);
	if (IS_ERR_OR_NULL(segs)) {
		count(in, sa, IKESEC_STAT_OUT_ERRORS);
		dst_release(odst);
		ikesec_sa_put(sa);
		return NF_DROP;
	}
	consume_skb(skb);
	/* One burst, as a device's own GSO sends it: with bottom halves off
	 * across the segments, the receive softirq a local peer (veth) raises
	 * runs once for the burst instead of once per segment.
	 */
	local_bh_disable();
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		refcount_inc(&sa->refcnt);
		output_one(sa, skb, family, odst);
	}
	local_bh_enable();
	dst_release(odst);
	ikesec_sa_put(sa);
	return NF_STOLEN;
}
