/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKE's UDP sockets: port 500 and 4500 (RFC 3948: IKE there is preceded
 * by the 4-byte non-ESP marker), IPv4 and IPv6. The local address of each
 * datagram is learnt with IP(V6)_PKTINFO and used as the source of the
 * reply. The NAT-T sockets are handed to the ikesec module
 * (kernel_encap_attach()) so ESP in UDP on them goes to the kernel.
 */
#ifndef IKEDAEMON_NET_H
#define IKEDAEMON_NET_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define NET_MAX_FDS	4
#define NET_BATCH	32	/* datagrams read per wake-up of a socket */

/* Bind the sockets; port 0 leaves one out. Returns 0 or -1 (logged). */
int net_init(uint16_t port, uint16_t natt_port);
void net_close(void);
int net_pollfds(struct pollfd *pfd, int max);
/* Hand the datagrams queued on a ready fd (NET_BATCH at most) to
 * ikev2_msg_recv(), calling after() (if not NULL) after each.
 */
void net_dispatch(int fd, void (*after)(void));
int net_send(const struct sockaddr_storage *local,
	     const struct sockaddr_storage *peer, bool natt,
	     const uint8_t *data, size_t len);
/* A NAT keepalive (RFC 3948 2.3: one 0xff byte) from the NAT-T socket. */
int net_send_keepalive(const struct sockaddr_storage *local,
		       const struct sockaddr_storage *peer);
/* The source address the kernel would use towards peer. */
int net_route_src(const struct sockaddr_storage *peer,
		  struct sockaddr_storage *local);

/* Address helpers (family, address and port). */
void net_addr_str(const struct sockaddr_storage *ss, char *buf, size_t size);
bool net_addr_eq(const struct sockaddr_storage *a,
		 const struct sockaddr_storage *b);	/* address only */
uint16_t net_port(const struct sockaddr_storage *ss);
void net_set_port(struct sockaddr_storage *ss, uint16_t port);
size_t net_addr_raw(const struct sockaddr_storage *ss, const uint8_t **p);

#endif
