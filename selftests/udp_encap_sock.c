// SPDX-License-Identifier: GPL-2.0
/* Hold a UDP socket with UDP_ENCAP_ESPINUDP on a port so that the kernel's
 * XFRM receives ESP in UDP there (RFC 3948) — what an IKE daemon does for
 * XFRM. Usage: udp_encap_sock [-6] PORT; runs until killed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif
#ifndef UDP_ENCAP_ESPINUDP
#define UDP_ENCAP_ESPINUDP 2
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

int main(int argc, char **argv)
{
	int v6 = argc > 2 && !strcmp(argv[1], "-6");
	int type = UDP_ENCAP_ESPINUDP, one = 1, fd;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	const char *port = argv[argc - 1];

	if (argc < 2) {
		fprintf(stderr, "usage: %s [-6] PORT\n", argv[0]);
		return 2;
	}
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (v6) {
		a6.sin6_port = htons(atoi(port));
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	} else {
		a4.sin_port = htons(atoi(port));
	}
	if (bind(fd, v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4,
		 v6 ? sizeof(a6) : sizeof(a4)) < 0) {
		perror("bind");
		return 1;
	}
	if (setsockopt(fd, SOL_UDP, UDP_ENCAP, &type, sizeof(type)) < 0) {
		perror("setsockopt UDP_ENCAP");
		return 1;
	}
	for (;;)
		pause();
}
