/* SPDX-License-Identifier: GPL-2.0 */
/* Inbound ESP (RFC 4303 3.4) and the inbound SPD check (RFC 4301 5.2). */
#ifndef _IKESEC_INPUT_H
#define _IKESEC_INPUT_H

#include <linux/skbuff.h>

#include "netns.h"

/* LOCAL_IN hook: ESP for one of our SAs is stolen and decrypted, anything
 * else goes through ikesec_input_policy(). Returns a netfilter verdict.
 */
unsigned int ikesec_input_hook(struct ikesec_net *in, struct sk_buff *skb,
			       u8 family, u8 dir);

/* Cleartext covered by a protect or discard policy of direction dir (in,
 * fwd) is dropped, unless it is a packet we just decrypted.
 */
unsigned int ikesec_input_policy(struct ikesec_net *in, struct sk_buff *skb,
				 u8 family, u8 dir);

/* From the NAT-T socket (natt.c): an ESP packet whose UDP header has been
 * removed (the IP header moved up to it, as esp4's UDP decapsulation does),
 * the outer source port given. Consumes skb.
 */
void ikesec_input_esp(struct ikesec_net *in, struct sk_buff *skb, u8 family,
		      __be16 encap_sport);

#endif
