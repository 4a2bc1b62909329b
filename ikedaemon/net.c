// SPDX-License-Identifier: GPL-2.0
/* UDP transport for IKE; see net.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "ikev2.h"
#include "ikev2_msg.h"
#include "kernel.h"
#include "log.h"
#include "net.h"

struct net_sock {
	int fd;
	int family;
	bool natt;
	uint16_t port;		/* bound to, host order */
};

static struct net_sock socks[NET_MAX_FDS];
static int n_socks;

/*
 * Receive buffer of an IKE socket, bytes (the kernel doubles it for its
 * bookkeeping). The default (rmem_default, 208 kB) holds about a hundred
 * IKE_SA_INIT requests: a burst of peers (a gateway restarting, a
 * reconnecting fleet) overflowed it while we computed DH values, and each
 * dropped request cost its peer a retransmit timeout. Only a queue that
 * forms uses the memory.
 */
#define NET_RCVBUF	(4 << 20)

/* SO_RCVBUFFORCE (CAP_NET_ADMIN) passes net.core.rmem_max; else the
 * capped SO_RCVBUF. A failure is no reason not to run.
 */
static void set_rcvbuf(int fd)
{
	int size = NET_RCVBUF;

	if (!setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		log_warn(LOG_NET, "SO_RCVBUF %d", size);
	else
		log_debug(LOG_NET, "receive buffer capped by "
			  "net.core.rmem_max (asked for %d bytes)", size);
}

static int open_sock(int family, uint16_t port, bool natt)
{
	struct sockaddr_storage ss = { 0 };
	int fd, one = 1;
	socklen_t len;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn(LOG_NET, "socket(%s)", family == AF_INET ? "IPv4" :
			 "IPv6");
		return -1;
	}
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	} else {
		struct sockaddr_in6 *sin6 = (void *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			   sizeof(one));
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	set_rcvbuf(fd);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		log_warn(LOG_NET, "bind UDP port %u (%s)", port,
			 family == AF_INET ? "IPv4" : "IPv6");
		close(fd);
		return -1;
	}
	socks[n_socks].fd = fd;
	socks[n_socks].family = family;
	socks[n_socks].natt = natt;
	socks[n_socks].port = port;
	n_socks++;
	log_debug(LOG_NET, "listening on UDP port %u (%s)", port,
		  family == AF_INET ? "IPv4" : "IPv6");
	return 0;
}

/* Hand the socket just opened on the NAT-T port to the module: ESP in
 * UDP arriving on it is the module's, IKE stays ours (RFC 3948 2.2).
 */
static void attach(uint16_t port)
{
	struct net_sock *s = &socks[n_socks - 1];
	int err = kernel_encap_attach(s->fd);

	if (err)
		log_warnx(LOG_NET, "UDP port %u (%s): not attached to the "
			  "ikesec module (%s): UDP-encapsulated ESP (NAT-T) "
			  "will not reach it", port,
			  s->family == AF_INET ? "IPv4" : "IPv6",
			  strerror(-err));
	else
		log_debug(LOG_NET, "UDP port %u (%s) attached to the ikesec "
			  "module for ESP in UDP", port,
			  s->family == AF_INET ? "IPv4" : "IPv6");
}

int net_init(uint16_t port, uint16_t natt_port)
{
	int ok = 0;

	if (port) {
		ok += !open_sock(AF_INET, port, false);
		open_sock(AF_INET6, port, false);	/* IPv6 may be off */
	}
	if (natt_port) {
		if (!open_sock(AF_INET, natt_port, true))
			attach(natt_port);
		if (!open_sock(AF_INET6, natt_port, true))
			attach(natt_port);
	}
	if (port && !ok) {
		log_warnx(LOG_NET, "no IKE socket on port %u", port);
		return -1;
	}
	return 0;
}

void net_close(void)
{
	while (n_socks)
		close(socks[--n_socks].fd);
}

int net_pollfds(struct pollfd *pfd, int max)
{
	int i;

	for (i = 0; i < n_socks && i < max; i++) {
		pfd[i].fd = socks[i].fd;
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	return i;
}

static struct net_sock *find_sock(int fd)
{
	int i;

	for (i = 0; i < n_socks; i++)
		if (socks[i].fd == fd)
			return &socks[i];
	return NULL;
}

/* One datagram from s to ikev2_msg_recv(); 0, or -1 when none is queued. */
static int recv_one(const struct net_sock *s)
{
	uint8_t data[IKEV2_MSG_MAX + IKEV2_NON_ESP_MARKER_LEN];
	char cbuf[256];
	struct sockaddr_storage peer = { 0 }, local = { 0 };
	struct iovec iov = { data, sizeof(data) };
	struct msghdr mh = {
		.msg_name = &peer, .msg_namelen = sizeof(peer),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	const uint8_t *p = data;
	ssize_t n;

	n = recvmsg(s->fd, &mh, 0);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn(LOG_NET, "recvmsg");
		return -1;
	}
	local.ss_family = s->family;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			struct sockaddr_in *sin = (void *)&local;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			sin->sin_addr = pi.ipi_addr;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
			   cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			struct sockaddr_in6 *sin6 = (void *)&local;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			sin6->sin6_addr = pi.ipi6_addr;
		}
	}
	/* the port we bound: no getsockname() per datagram */
	net_set_port(&local, s->port);
	if (s->natt) {
		/* RFC 3948 2.2: IKE after a zero marker; else ESP or a
		 * keepalive, which are not ours to handle here
		 */
		if (n < IKEV2_NON_ESP_MARKER_LEN || get32(p))
			return 0;
		p += IKEV2_NON_ESP_MARKER_LEN;
		n -= IKEV2_NON_ESP_MARKER_LEN;
	}
	ikev2_msg_recv(p, (size_t)n, &local, &peer, s->natt);
	return 0;
}

/*
 * Up to NET_BATCH datagrams per wake-up: under a burst of peers the queue
 * is rarely empty, and a poll() (and a log write) per datagram cost more
 * than the handshake's own work around it. The bound keeps the other
 * sockets, the module's events and timers served in between. after() runs
 * between datagrams (the engine frees the IKE SAs that died).
 */
void net_dispatch(int fd, void (*after)(void))
{
	struct net_sock *s = find_sock(fd);
	int i;

	if (!s)
		return;
	for (i = 0; i < NET_BATCH; i++) {
		if (recv_one(s))
			break;
		if (after)
			after();
	}
}

static int send_dgram(const struct sockaddr_storage *local,
		      const struct sockaddr_storage *peer, bool natt,
		      bool marker_on, const uint8_t *data, size_t len)
{
	static const uint8_t marker[IKEV2_NON_ESP_MARKER_LEN];
	struct iovec iov[2];
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	char a[INET6_ADDRSTRLEN + 8];
	int i, fd = -1;

	for (i = 0; i < n_socks; i++)
		if (socks[i].family == peer->ss_family &&
		    socks[i].natt == natt)
			fd = socks[i].fd;
	if (fd < 0) {
		net_addr_str(peer, a, sizeof(a));
		log_warnx(LOG_NET, "no %s socket to send to %s",
			  natt ? "NAT-T" : "IKE", a);
		return -1;
	}
	i = 0;
	if (marker_on) {
		iov[i].iov_base = (void *)marker;
		iov[i++].iov_len = sizeof(marker);
	}
	iov[i].iov_base = (void *)data;
	iov[i++].iov_len = len;
	mh.msg_name = (void *)peer;
	mh.msg_namelen = peer->ss_family == AF_INET ?
			 sizeof(struct sockaddr_in) :
			 sizeof(struct sockaddr_in6);
	mh.msg_iov = iov;
	mh.msg_iovlen = i;
	if (local && local->ss_family == peer->ss_family) {
		mh.msg_control = cbuf;
		cm = (struct cmsghdr *)cbuf;
		if (peer->ss_family == AF_INET) {
			struct in_pktinfo pi = { 0 };

			pi.ipi_spec_dst =
				((const struct sockaddr_in *)local)->sin_addr;
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		} else {
			struct in6_pktinfo pi = { 0 };

			pi.ipi6_addr =
				((const struct sockaddr_in6 *)local)->sin6_addr;
			cm->cmsg_level = IPPROTO_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
			mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		}
	}
	if (sendmsg(fd, &mh, 0) < 0) {
		net_addr_str(peer, a, sizeof(a));
		log_warn(LOG_NET, "sendmsg to %s", a);
		return -1;
	}
	return 0;
}

int net_send(const struct sockaddr_storage *local,
	     const struct sockaddr_storage *peer, bool natt,
	     const uint8_t *data, size_t len)
{
	return send_dgram(local, peer, natt, natt, data, len);
}

int net_send_keepalive(const struct sockaddr_storage *local,
		       const struct sockaddr_storage *peer)
{
	static const uint8_t ka = 0xff;	/* RFC 3948 2.3 */

	return send_dgram(local, peer, true, false, &ka, 1);
}

int net_route_src(const struct sockaddr_storage *peer,
		  struct sockaddr_storage *local)
{
	socklen_t len = sizeof(*local);
	int fd, ret = -1;

	fd = socket(peer->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (!connect(fd, (const struct sockaddr *)peer,
		     peer->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
						  sizeof(struct sockaddr_in6)) &&
	    !getsockname(fd, (struct sockaddr *)local, &len))
		ret = 0;
	close(fd);
	return ret;
}

void net_addr_str(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN] = "?";
	const uint8_t *p;

	if (net_addr_raw(ss, &p))
		inet_ntop(ss->ss_family, p, a, sizeof(a));
	if (ss->ss_family == AF_INET6)
		snprintf(buf, size, "[%s]:%u", a, net_port(ss));
	else
		snprintf(buf, size, "%s:%u", a, net_port(ss));
}

size_t net_addr_raw(const struct sockaddr_storage *ss, const uint8_t **p)
{
	if (ss->ss_family == AF_INET) {
		*p = (const uint8_t *)&((const struct sockaddr_in *)ss)->sin_addr;
		return 4;
	}
	if (ss->ss_family == AF_INET6) {
		*p = (const uint8_t *)
			&((const struct sockaddr_in6 *)ss)->sin6_addr;
		return 16;
	}
	*p = NULL;
	return 0;
}

bool net_addr_eq(const struct sockaddr_storage *a,
		 const struct sockaddr_storage *b)
{
	const uint8_t *pa, *pb;
	size_t la = net_addr_raw(a, &pa), lb = net_addr_raw(b, &pb);

	return la && la == lb && a->ss_family == b->ss_family &&
	       !memcmp(pa, pb, la);
}

uint16_t net_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

void net_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}
