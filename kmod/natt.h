/* SPDX-License-Identifier: GPL-2.0 */
/* ESP in UDP (RFC 3948): the receiving sockets. */
#ifndef _IKESEC_NATT_H
#define _IKESEC_NATT_H

#include "netns.h"

struct netlink_ext_ack;

void ikesec_natt_init(struct ikesec_net *in);
void ikesec_natt_uninit(struct ikesec_net *in);

/* Process context, under in->lock: make sure UDP port (host order) of this
 * family receives ESP in UDP in this namespace, on an attached socket if
 * one serves it, else on one of our own, which stays until the namespace
 * goes.
 */
int ikesec_natt_listen(struct ikesec_net *in, u16 port, u8 family,
		       struct netlink_ext_ack *extack);

/* Process context of the fd's owner (a genl doit), takes in->lock: put
 * the receive hooks on the caller's bound UDP socket fd, which then serves
 * its port and family until it is closed. -EADDRINUSE when that port is
 * served already; see IKESEC_CMD_ENCAP_ATTACH for the other errors.
 */
int ikesec_natt_attach(struct ikesec_net *in, int fd,
		       struct netlink_ext_ack *extack);

#endif
