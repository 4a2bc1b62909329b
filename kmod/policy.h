/* SPDX-License-Identifier: GPL-2.0 */
/* The SPD (RFC 4301 4.4.1): selectors -> protect / bypass / discard. */
#ifndef _IKESEC_POLICY_H
#define _IKESEC_POLICY_H

#include <linux/rhashtable-types.h>

#include "sa.h"

/* The selector fields of one packet, as the SPD matches them. */
struct ikesec_flow {
	union ikesec_addr src, dst;
	u8 family;
	u8 proto;
	__be16 sport, dport;	/* ICMP: type and code in sport */
};

struct ikesec_template {
	u32 reqid;
	u8 mode;
	u8 family;		/* of the tunnel endpoints, 0 if none */
	union ikesec_addr local, peer;
	u16 enc_alg;		/* 0: any */
};

struct ikesec_policy {
	struct list_head list;		/* ikesec_net policy list, under lock */
	struct rcu_head rcu;
	u32 id;
	u8 dir;
	u8 action;
	u32 priority;
	struct ikesec_selector sel;
	struct ikesec_template tmpl;
	unsigned long acquire_sent;	/* jiffies of the last ACQUIRE */
	u64 __percpu *hits;
};

/* Packet path, under rcu_read_lock(): the best (lowest priority value)
 * policy of direction dir matching fl, or NULL.
 */
struct ikesec_policy *ikesec_spd_lookup(struct ikesec_net *in, u8 dir,
					const struct ikesec_flow *fl);

bool ikesec_selector_match(const struct ikesec_selector *sel,
			   const struct ikesec_flow *fl);

#endif
