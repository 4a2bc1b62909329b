/* SPDX-License-Identifier: GPL-2.0 */
/* Outbound: SPD lookup and ESP encapsulation (RFC 4303 3.3). */
#ifndef _IKESEC_OUTPUT_H
#define _IKESEC_OUTPUT_H

#include <linux/skbuff.h>

#include "netns.h"

/* POST_ROUTING hook: returns a netfilter verdict. */
unsigned int ikesec_output_hook(struct ikesec_net *in, struct sk_buff *skb,
				u8 family);

#endif
