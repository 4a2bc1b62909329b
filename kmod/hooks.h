/* SPDX-License-Identifier: GPL-2.0 */
/* Per-netns netfilter hooks: where packets enter the ESP datapath. */
#ifndef _IKESEC_HOOKS_H
#define _IKESEC_HOOKS_H

#include <linux/skbuff.h>

#include "policy.h"

/* Module load and unload, around the pernet registration. */
void ikesec_hooks_module_init(void);
void ikesec_hooks_module_uninit(void);

int ikesec_hooks_init(struct ikesec_net *in);
void ikesec_hooks_uninit(struct ikesec_net *in);

/* The SPD selector fields of the IP packet at skb's network header; false
 * if the headers are truncated. For a non-first fragment ports stay 0.
 */
bool ikesec_flow_parse(struct sk_buff *skb, u8 family, struct ikesec_flow *fl);

/* IKE (UDP 500) and NAT-T (UDP 4500) always bypass the SPD (RFC 4301 5.1:
 * the key exchange must reach the peer without an SA).
 */
static inline bool ikesec_flow_is_ike(const struct ikesec_flow *fl)
{
	return fl->proto == IPPROTO_UDP &&
	       (fl->sport == htons(500) || fl->dport == htons(500) ||
		fl->sport == htons(4500) || fl->dport == htons(4500));
}

#endif
