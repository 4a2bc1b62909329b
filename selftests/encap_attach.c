// SPDX-License-Identifier: GPL-2.0
/* Hand a UDP socket to ikesec with IKESEC_CMD_ENCAP_ATTACH, as an IKE
 * daemon does with its port 4500, then (with -s) read it and print one line
 * per datagram that reaches userspace:
 *
 *   attached udp4 port 4500
 *   ike 11 hello-world       (non-ESP marker, then the payload as text)
 *   other 1 ff               (anything else, in hex)
 *
 * Without -s it exits after the attach. A refused attach prints
 *   refused EADDRINUSE: <the kernel's extack message>
 * and exits 1. Usage:
 *   encap_attach [-4|-6|-D] [-R] [-E] [-n] [-k udp|tcp|file|badfd] [-2] [-Z]
 *                [-s] PORT
 * -6 IPv6 only, -D IPv6 taking IPv4 too, -R SO_REUSEADDR, -E set XFRM's
 * UDP_ENCAP first, -n leave it unbound, -k what to hand over instead of a
 * UDP socket, -2 attach the same socket a second time (must be refused),
 * -Z set UDP_ENCAP to 0 after the attach (a daemon taking it back).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ikesec_nl.h"

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif

static int make_fd(const char *kind, int family, int v6only, int reuse,
		   int xfrm, int bind_it, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int one = 1, type = UDP_ENCAP_ESPINUDP, fd;

	if (!strcmp(kind, "file"))
		return open("/dev/null", O_RDONLY);
	if (!strcmp(kind, "badfd"))
		return 1000;
	fd = socket(family, strcmp(kind, "tcp") ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	if (family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)))
		perror("IPV6_V6ONLY");
	if (reuse &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		perror("SO_REUSEADDR");
	if (bind_it &&
	    bind(fd, family == AF_INET6 ? (struct sockaddr *)&a6 :
					  (struct sockaddr *)&a4,
		 family == AF_INET6 ? sizeof(a6) : sizeof(a4))) {
		printf("bind %s\n", strerrorname_np(errno));
		exit(1);
	}
	if (xfrm && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type))) {
		perror("UDP_ENCAP");
		exit(1);
	}
	return fd;
}

static int attach(struct ik_nl *nl, int fd)
{
	struct nl_msg *msg = ik_msg(nl, IKESEC_CMD_ENCAP_ATTACH, NLM_F_ACK);
	int err;

	nla_put_u32(msg, IKESEC_A_ENCAP_FD, fd);
	err = ik_send(nl, msg);
	if (err)
		printf("refused %s: %s\n", strerrorname_np(-err), nl->extack);
	return err;
}

static void serve(int fd)
{
	unsigned char buf[65536];
	ssize_t n, i;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			perror("recv");
			exit(1);
		}
		if (n >= 4 && !buf[0] && !buf[1] && !buf[2] && !buf[3]) {
			printf("ike %zd %.*s\n", n - 4, (int)(n - 4), buf + 4);
			continue;
		}
		printf("other %zd ", n);
		for (i = 0; i < n && i < 32; i++)
			printf("%02x", buf[i]);
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	int family = AF_INET, v6only = 0, reuse = 0, xfrm = 0, bind_it = 1;
	int twice = 0, run = 0, zero = 0, opt, fd, port;
	const char *kind = "udp";
	struct ik_nl nl;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "46DREnk:2Zs")) != -1) {
		switch (opt) {
		case '4': family = AF_INET; break;
		case '6': family = AF_INET6; v6only = 1; break;
		case 'D': family = AF_INET6; v6only = 0; break;
		case 'R': reuse = 1; break;
		case 'E': xfrm = 1; break;
		case 'n': bind_it = 0; break;
		case 'k': kind = optarg; break;
		case '2': twice = 1; break;
		case 'Z': zero = 1; break;
		case 's': run = 1; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	port = atoi(argv[optind]);
	if (ik_open(&nl)) {
		fprintf(stderr, "encap_attach: no ikesec genl family\n");
		return 4;
	}
	fd = make_fd(kind, family, v6only, reuse, xfrm, bind_it, port);
	if (attach(&nl, fd))
		return 1;
	printf("attached %s%s port %d\n", strcmp(kind, "tcp") ? "udp" : "tcp",
	       family == AF_INET ? "4" : v6only ? "6" : "46", port);
	if (twice && !attach(&nl, fd)) {
		printf("second attach of the same socket accepted\n");
		return 1;
	}
	if (zero && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &(int){ 0 },
			       sizeof(int))) {
		perror("UDP_ENCAP 0");
		return 1;
	}
	nl_socket_free(nl.sk);
	if (run)
		serve(fd);
	return 0;

usage:
	fprintf(stderr,
		"usage: %s [-4|-6|-D] [-R] [-E] [-n] [-k udp|tcp|file|badfd] [-2] [-Z] [-s] PORT\n",
		argv[0]);
	return 2;
}
