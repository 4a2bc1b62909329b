// SPDX-License-Identifier: GPL-2.0
/* ESP in UDP (RFC 3948). The first inbound SA with UDP encapsulation on a
 * port makes a kernel UDP socket on it (IPv4 or IPv6 only, wildcard
 * address) with an encap_rcv hook, as XFRM's UDP_ENCAP_ESPINUDP sockets
 * have: ESP is taken off the socket path, keepalives (RFC 3948 2.3) are
 * dropped, IKE (non-ESP marker, RFC 3948 2.2) stays on the socket path
 * for a daemon, anything else is counted in IN_NATT_DROPS.
 *
 * A daemon that wants the IKE packets itself must own the socket: the
 * plan is a command that hands its fd to the module, which then installs
 * the same encap_rcv on it instead of making its own. Until then a port
 * already bound by userspace makes SA_NEW fail with -EADDRINUSE.
 */
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/udp.h>
#include <net/ipv6.h>
#include <net/udp_tunnel.h>

#include "input.h"
#include "natt.h"

struct natt_sock {
	struct list_head list;		/* ikesec_net.natt_socks, under lock */
	struct socket *sock;
	u16 port;
	u8 family;
};

/* Socket receive path, BH context. skb->data is at the UDP header. */
static int natt_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct ikesec_net *in = rcu_dereference_sk_user_data(sk);
	u8 family = sk->sk_family == AF_INET ? AF_INET : AF_INET6;
	unsigned int len = skb->len - sizeof(struct udphdr);
	unsigned int iphlen = skb_network_header_len(skb);
	__be16 sport = udp_hdr(skb)->source;
	u8 buf[4], *p;

	if (!in)
		return 1;
	p = skb_header_pointer(skb, sizeof(struct udphdr), min(len, 4U), buf);
	if (!p)
		goto garbage;
	if (len == 1 && p[0] == 0xff) {		/* NAT keepalive */
		consume_skb(skb);
		return 0;
	}
	if (len >= 4 && !p[0] && !p[1] && !p[2] && !p[3])
		return 1;			/* IKE: the socket's business */
	if (len <= 8)
		goto garbage;

	/* Make it plain ESP: the IP header moves up over the UDP header. */
	if (family == AF_INET6 && iphlen != sizeof(struct ipv6hdr))
		goto garbage;
	__skb_push(skb, iphlen);
	if (skb_ensure_writable(skb, iphlen + sizeof(struct udphdr)))
		goto garbage;
	memmove(skb->data + sizeof(struct udphdr), skb->data, iphlen);
	__skb_pull(skb, sizeof(struct udphdr));
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, iphlen);
	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->protocol = IPPROTO_ESP;
		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		ipv6_hdr(skb)->nexthdr = IPPROTO_ESP;
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
	ikesec_input_esp(in, skb, family, sport);
	return 0;

garbage:
	ikesec_net_stat_add(in, IKESEC_STAT_IN_NATT_DROPS, 1);
	kfree_skb(skb);
	return 0;
}

/* By hand rather than udp_sock_create()/setup_udp_tunnel_sock(): those
 * live in the udp_tunnel modules, which insmod would not pull in.
 */
static struct socket *natt_open(struct ikesec_net *in, u16 port, u8 family)
{
	struct sockaddr_in6 a6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
	};
	struct sockaddr_in a4 = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
	};
	struct socket *sock;
	struct sock *sk;
	int err;

	err = sock_create_kern(in->net, family, SOCK_DGRAM, IPPROTO_UDP,
			       &sock);
	if (err)
		return ERR_PTR(err);
	sk = sock->sk;
	if (family == AF_INET6) {
		ip6_sock_set_v6only(sk);
		err = kernel_bind(sock, (struct sockaddr *)&a6, sizeof(a6));
	} else {
		err = kernel_bind(sock, (struct sockaddr *)&a4, sizeof(a4));
	}
	if (err) {
		sock_release(sock);
		return ERR_PTR(err);
	}
	rcu_assign_sk_user_data(sk, in);
	WRITE_ONCE(udp_sk(sk)->encap_type, UDP_ENCAP_ESPINUDP);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, natt_rcv);
	udp_tunnel_encap_enable(sk);
	return sock;
}

static void natt_close(struct socket *sock)
{
	rcu_assign_sk_user_data(sock->sk, NULL);
	synchronize_rcu();
	kernel_sock_shutdown(sock, SHUT_RDWR);
	sock_release(sock);
}

void ikesec_natt_init(struct ikesec_net *in)
{
	INIT_LIST_HEAD(&in->natt_socks);
}

int ikesec_natt_listen(struct ikesec_net *in, u16 port, u8 family,
		       struct netlink_ext_ack *extack)
{
	struct natt_sock *ns;
	struct socket *sock;

	lockdep_assert_held(&in->lock);
	list_for_each_entry(ns, &in->natt_socks, list)
		if (ns->port == port && ns->family == family)
			return 0;

	ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	sock = natt_open(in, port, family);
	if (IS_ERR(sock)) {
		NL_SET_ERR_MSG_MOD(extack,
			"cannot bind the UDP encapsulation port (in use?)");
		kfree(ns);
		return PTR_ERR(sock);
	}
	ns->sock = sock;
	ns->port = port;
	ns->family = family;
	list_add(&ns->list, &in->natt_socks);
	return 0;
}

void ikesec_natt_uninit(struct ikesec_net *in)
{
	struct natt_sock *ns, *tmp;

	list_for_each_entry_safe(ns, tmp, &in->natt_socks, list) {
		natt_close(ns->sock);
		list_del(&ns->list);
		kfree(ns);
	}
}
