// SPDX-License-Identifier: GPL-2.0
/* ESP in UDP (RFC 3948): the sockets that receive it. A UDP port of one
 * family is served either by a socket of the module's own or by a socket
 * an IKE daemon attached (IKESEC_CMD_ENCAP_ATTACH), typically its port
 * 4500. Either way the same encap_rcv hook runs, as on XFRM's
 * UDP_ENCAP_ESPINUDP sockets: ESP is taken off the socket path, NAT
 * keepalives (RFC 3948 2.3) are dropped, IKE (non-ESP marker, RFC 3948
 * 2.2) stays on the socket path for the daemon to read, anything else is
 * counted in IN_NATT_DROPS.
 *
 * Own sockets: the first inbound SA with UDP encapsulation on a port with
 * no socket makes one (wildcard address); it stays until the netns goes.
 *
 * Attached sockets stay the daemon's. The module holds a reference on the
 * struct sock (not on the file), so closing the last fd destroys the
 * socket as usual; the encap_destroy hook then forgets it and drops that
 * reference, and the port is free for an own socket or a new attach. At
 * module unload (a user socket pins its netns, so that is the only way
 * the netns state goes with one still attached) the hooks are taken off
 * under the socket lock, which leaves a plain UDP socket; a socket that
 * is being closed at that moment is waited for, as its encap_destroy is
 * module code. Locking: in->lock, then the socket lock.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <linux/wait.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "compat.h"
#include "input.h"
#include "natt.h"

struct natt_sock {
	struct list_head list;		/* ikesec_net.natt_socks, under lock */
	struct socket *sock;		/* our own socket, or NULL */
	struct sock *sk;		/* attached: the daemon's, referenced */
	u16 port;
	u8 family;
	bool dual;			/* AF_INET6 socket taking IPv4 too */
};

static const char *family_name(u8 family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

/* Socket receive path, BH context. skb->data is at the UDP header. An
 * IPv6 socket without IPV6_V6ONLY also gets IPv4: the packet decides.
 */
static int natt_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct ikesec_net *in = rcu_dereference_sk_user_data(sk);
	u8 family = ip_hdr(skb)->version == 4 ? AF_INET : AF_INET6;
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

static void natt_destroy(struct sock *sk);

static void hook(struct sock *sk, struct ikesec_net *in, bool attached)
{
	rcu_assign_sk_user_data(sk, in);
	if (attached)
		WRITE_ONCE(udp_sk(sk)->encap_destroy, natt_destroy);
	WRITE_ONCE(udp_sk(sk)->encap_type, UDP_ENCAP_ESPINUDP);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, natt_rcv);
	udp_tunnel_encap_enable(sk);
}

/* A plain UDP socket again. The static key udp_tunnel_encap_enable() took
 * stays with the socket: udp_destroy_sock() drops it.
 */
static void unhook(struct sock *sk)
{
	WRITE_ONCE(udp_sk(sk)->encap_rcv, NULL);
	WRITE_ONCE(udp_sk(sk)->encap_destroy, NULL);
	WRITE_ONCE(udp_sk(sk)->encap_type, 0);
	rcu_assign_sk_user_data(sk, NULL);
}

/* encap_destroy of an attached socket: its last fd was closed. Process
 * context, from udp_destroy_sock(), socket lock not held. The socket's
 * netns is alive (the socket pins it) and so is our state in it: module
 * unload waits for this (ikesec_natt_uninit()).
 */
static void natt_destroy(struct sock *sk)
{
	struct ikesec_net *in = ikesec_net(sock_net(sk));
	struct natt_sock *ns, *found = NULL;

	mutex_lock(&in->lock);
	list_for_each_entry(ns, &in->natt_socks, list) {
		if (ns->sk == sk) {
			found = ns;
			list_del(&ns->list);
			break;
		}
	}
	unhook(sk);
	mutex_unlock(&in->lock);
	if (found) {
		pr_debug("detached the closed %s socket of UDP port %u\n",
			 family_name(found->family), found->port);
		kfree(found);
		sock_put(sk);		/* the caller still holds one */
	}
	wake_up(&in->natt_wq);
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
	hook(sk, in, false);
	return sock;
}

static bool serves(const struct natt_sock *ns, u16 port, u8 family)
{
	return ns->port == port &&
	       (ns->family == family || (ns->dual && family == AF_INET));
}

static struct natt_sock *natt_find(struct ikesec_net *in, u16 port,
				   u8 family)
{
	struct natt_sock *ns;

	list_for_each_entry(ns, &in->natt_socks, list)
		if (serves(ns, port, family))
			return ns;
	return NULL;
}

/* Under in->lock. True when the hooks are off the attached socket; false
 * when it is being closed: its encap_destroy will (or did) run, and needs
 * our state until it returns.
 */
static bool detach_live(struct sock *sk)
{
	bool done = true;

	lock_sock(sk);
	if (sock_flag(sk, SOCK_DEAD) && READ_ONCE(udp_sk(sk)->encap_type) &&
	    READ_ONCE(udp_sk(sk)->encap_destroy) == natt_destroy)
		done = false;
	else
		unhook(sk);
	release_sock(sk);
	return done;
}

/* Under in->lock: forget attached sockets whose owner switched the
 * encapsulation off (setsockopt UDP_ENCAP 0); their close would not tell
 * us, and our reference would pin the socket and its netns.
 */
static void prune(struct ikesec_net *in)
{
	struct natt_sock *ns, *tmp;

	list_for_each_entry_safe(ns, tmp, &in->natt_socks, list) {
		if (ns->sock || READ_ONCE(udp_sk(ns->sk)->encap_type) ||
		    !detach_live(ns->sk))
			continue;
		pr_debug("forgot the %s socket of UDP port %u: UDP_ENCAP was reset\n",
			 family_name(ns->family), ns->port);
		list_del(&ns->list);
		sock_put(ns->sk);	/* RCU-freed: natt_rcv() may still run */
		kfree(ns);
	}
}

void ikesec_natt_init(struct ikesec_net *in)
{
	INIT_LIST_HEAD(&in->natt_socks);
	init_waitqueue_head(&in->natt_wq);
}

int ikesec_natt_listen(struct ikesec_net *in, u16 port, u8 family,
		       struct netlink_ext_ack *extack)
{
	struct natt_sock *ns;
	struct socket *sock;

	lockdep_assert_held(&in->lock);
	prune(in);
	if (natt_find(in, port, family))
		return 0;

	ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	if (!ns)
		return -ENOMEM;
	sock = natt_open(in, port, family);
	if (IS_ERR(sock)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"cannot bind %s UDP port %u for ESP in UDP (error %ld); a daemon holding it can hand it over with ENCAP_ATTACH",
			family_name(family), port, PTR_ERR(sock));
		kfree(ns);
		return PTR_ERR(sock);
	}
	ns->sock = sock;
	ns->port = port;
	ns->family = family;
	list_add(&ns->list, &in->natt_socks);
	return 0;
}

/* Checks that need no lock: what the fd is. */
static int attach_check(struct ikesec_net *in, int fd, struct sock *sk,
			struct netlink_ext_ack *extack)
{
	if ((sk->sk_family != AF_INET && sk->sk_family != AF_INET6) ||
	    sk->sk_type != SOCK_DGRAM || sk->sk_protocol != IPPROTO_UDP) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"ENCAP_FD %d is not a UDP socket over IPv4 or IPv6 (family %u, type %u, protocol %u)",
			fd, sk->sk_family, sk->sk_type, sk->sk_protocol);
		return -EPROTONOSUPPORT;
	}
	if (!net_eq(sock_net(sk), in->net)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"ENCAP_FD %d belongs to another network namespace than the request",
			fd);
		return -EXDEV;
	}
	if (!inet_sk(sk)->inet_num) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"ENCAP_FD %d is not bound to a UDP port", fd);
		return -EINVAL;
	}
	return 0;
}

int ikesec_natt_attach(struct ikesec_net *in, int fd,
		       struct netlink_ext_ack *extack)
{
	struct natt_sock *ns, *other;
	struct socket *sock;
	struct sock *sk;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"ENCAP_FD %d is not an open socket of the caller", fd);
		return err;
	}
	sk = sock->sk;
	err = attach_check(in, fd, sk, extack);
	if (err)
		goto put;
	err = -ENOMEM;
	ns = kzalloc(sizeof(*ns), GFP_KERNEL);
	if (!ns)
		goto put;
	ns->sk = sk;
	ns->port = inet_sk(sk)->inet_num;
	ns->family = sk->sk_family;
	ns->dual = sk->sk_family == AF_INET6 && !ipv6_only_sock(sk);

	mutex_lock(&in->lock);
	prune(in);
	other = natt_find(in, ns->port, ns->family);
	if (!other && ns->dual)
		other = natt_find(in, ns->port, AF_INET);
	if (other) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"%s UDP port %u is already served by %s",
			family_name(other->family), ns->port,
			other->sock ? "a socket of the module (an encapsulated SA uses it)" :
			other->sk == sk ? "this very socket (attached before)" :
			"another attached socket");
		err = -EADDRINUSE;
		goto unlock;
	}
	lock_sock(sk);
	if (READ_ONCE(udp_sk(sk)->encap_type) || sk->sk_user_data) {
		release_sock(sk);
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"ENCAP_FD %d already has UDP encapsulation (UDP_ENCAP %u) or another owner",
			fd, READ_ONCE(udp_sk(sk)->encap_type));
		err = -EBUSY;
		goto unlock;
	}
	sock_hold(sk);
	hook(sk, in, true);
	release_sock(sk);
	list_add(&ns->list, &in->natt_socks);
	ns = NULL;
	err = 0;
unlock:
	mutex_unlock(&in->lock);
	kfree(ns);
put:
	sockfd_put(sock);
	return err;
}

void ikesec_natt_uninit(struct ikesec_net *in)
{
	struct natt_sock *ns, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&in->lock);
	list_for_each_entry_safe(ns, tmp, &in->natt_socks, list) {
		if (ns->sock) {
			rcu_assign_sk_user_data(ns->sock->sk, NULL);
			list_move(&ns->list, &gone);
		} else if (detach_live(ns->sk)) {
			list_move(&ns->list, &gone);
		}
	}
	mutex_unlock(&in->lock);
	/* What is left is being closed right now. */
	wait_event(in->natt_wq, list_empty(&in->natt_socks));
	synchronize_rcu();		/* natt_rcv() is done with them */

	list_for_each_entry_safe(ns, tmp, &gone, list) {
		if (ns->sock) {
			kernel_sock_shutdown(ns->sock, SHUT_RDWR);
			sock_release(ns->sock);
		} else {
			sock_put(ns->sk);
		}
		list_del(&ns->list);
		kfree(ns);
	}
}
