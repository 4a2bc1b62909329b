/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKESEC_NETLINK_H
#define _IKESEC_NETLINK_H

#include <net/netlink.h>

struct ikesec_sa;
struct ikesec_selector;
struct ikesec_template;

int ikesec_netlink_init(void);
void ikesec_netlink_uninit(void);

/* For events.c: a message of the family, its encoders, and multicast on
 * the events group of net. Any context.
 */
struct sk_buff *ikesec_nl_event_new(u8 cmd, void **hdr, gfp_t gfp);
void ikesec_nl_event_send(struct net *net, struct sk_buff *skb, void *hdr,
			  gfp_t gfp);
int ikesec_nl_put_sa(struct sk_buff *skb, struct ikesec_sa *sa);
int ikesec_nl_put_selector(struct sk_buff *skb, int type,
			   const struct ikesec_selector *sel);
int ikesec_nl_put_template(struct sk_buff *skb,
			   const struct ikesec_template *t);

#endif
