/* SPDX-License-Identifier: GPL-2.0 */
/* Re-injection of decrypted packets through GRO, under the per-CPU mark
 * the inbound SPD check reads.
 */
#ifndef _IKESEC_DELIVER_H
#define _IKESEC_DELIVER_H

#include <linux/skbuff.h>

#include "netns.h"

/* Module load and unload: one NAPI instance per CPU. */
int ikesec_deliver_init(void);
void ikesec_deliver_uninit(void);

/* Hands a decrypted packet (network header at skb->data, skb->dev the
 * device the ESP packet came in on) to this CPU's NAPI instance, which
 * delivers it with the mark of reqid set. Takes over skb, one reference
 * on skb->dev and one count in in->crypto_pending, all released once the
 * packet has been delivered (or dropped).
 */
void ikesec_deliver(struct ikesec_net *in, struct sk_buff *skb, u32 reqid);

/* True inside the delivery of a packet we decrypted, with its reqid. */
bool ikesec_deliver_marked(u32 *reqid);

#endif
