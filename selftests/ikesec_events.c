// SPDX-License-Identifier: GPL-2.0
/* Listen on the ikesec "events" multicast group of the current network
 * namespace and print one line per event, for shell selftests:
 *
 *   listening
 *   acquire policy 3 reqid 7
 *   expire spi 0x00001001 soft
 *   expire spi 0x00001001 hard
 *   mapping spi 0x00001001 port 4501
 *
 * "listening" comes once the membership is in place, so a test can wait
 * for it before it makes traffic. Runs until killed or, with an argument,
 * for that many seconds.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/ikesec.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

static uint32_t tmpl_reqid(struct nlattr *nest)
{
	struct nlattr *tb[IKESEC_TMPL_A_MAX + 1];

	if (!nest || nla_parse_nested(tb, IKESEC_TMPL_A_MAX, nest, NULL) ||
	    !tb[IKESEC_TMPL_A_REQID])
		return 0;
	return nla_get_u32(tb[IKESEC_TMPL_A_REQID]);
}

static int print_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[IKESEC_A_MAX + 1], *sa[IKESEC_SA_A_MAX + 1];
	struct nlattr *pol[IKESEC_POL_A_MAX + 1];

	(void)arg;
	if (nla_parse(tb, IKESEC_A_MAX, genlmsg_attrdata(gh, 0),
		      genlmsg_attrlen(gh, 0), NULL))
		return NL_SKIP;
	switch (gh->cmd) {
	case IKESEC_CMD_ACQUIRE:
		if (!tb[IKESEC_A_POLICY] ||
		    nla_parse_nested(pol, IKESEC_POL_A_MAX, tb[IKESEC_A_POLICY],
				     NULL))
			return NL_SKIP;
		printf("acquire policy %u reqid %u\n",
		       pol[IKESEC_POL_A_ID] ?
		       nla_get_u32(pol[IKESEC_POL_A_ID]) : 0,
		       tmpl_reqid(pol[IKESEC_POL_A_TEMPLATE]));
		break;
	case IKESEC_CMD_EXPIRE:
	case IKESEC_CMD_MAPPING:
		if (!tb[IKESEC_A_SA] ||
		    nla_parse_nested(sa, IKESEC_SA_A_MAX, tb[IKESEC_A_SA], NULL))
			return NL_SKIP;
		printf("%s spi 0x%08x",
		       gh->cmd == IKESEC_CMD_EXPIRE ? "expire" : "mapping",
		       sa[IKESEC_SA_A_SPI] ?
		       nla_get_u32(sa[IKESEC_SA_A_SPI]) : 0);
		if (gh->cmd == IKESEC_CMD_EXPIRE)
			printf(" %s\n", tb[IKESEC_A_EXPIRE_HARD] ?
			       "hard" : "soft");
		else
			printf(" port %u\n", sa[IKESEC_SA_A_ENCAP_DPORT] ?
			       nla_get_u16(sa[IKESEC_SA_A_ENCAP_DPORT]) : 0);
		break;
	default:
		printf("unknown command %u\n", gh->cmd);
	}
	return NL_OK;
}

int main(int argc, char **argv)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp, seconds = argc > 1 ? atoi(argv[1]) : 0;
	time_t end = time(NULL) + seconds;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "ikesec_events: cannot open generic netlink\n");
		return 1;
	}
	grp = genl_ctrl_resolve_grp(sk, IKESEC_GENL_NAME, IKESEC_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(sk, grp)) {
		fprintf(stderr, "ikesec_events: no group %s/%s: %s\n",
			IKESEC_GENL_NAME, IKESEC_MCGRP_EVENTS, nl_geterror(grp));
		return 1;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, print_event, NULL);
	printf("listening\n");
	for (;;) {
		struct pollfd p = { .fd = nl_socket_get_fd(sk),
				    .events = POLLIN };
		int left = seconds ? (int)(end - time(NULL)) * 1000 : -1;

		if (seconds && left <= 0)
			break;
		if (poll(&p, 1, left) > 0)
			nl_recvmsgs_default(sk);
	}
	nl_socket_free(sk);
	return 0;
}
