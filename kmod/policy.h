/* SPDX-License-Identifier: GPL-2.0 */
/* The SPD (RFC 4301 4.4.1): selectors -> protect / bypass / discard. */
#ifndef _IKESEC_POLICY_H
#define _IKESEC_POLICY_H

#include <linux/rhashtable-types.h>

#include "sa.h"

struct spd_tuple;
struct spd_bucket;

/* The selector fields of one packet, as the SPD matches them. As XFRM
 * does, ICMP and ICMPv6 carry the type in sport and the code in dport
 * (each in the low byte, network order); protocols without ports leave
 * both 0.
 */
struct ikesec_flow {
	union ikesec_addr src, dst;
	u8 family;
	u8 proto;
	__be16 sport, dport;
};

struct ikesec_template {
	u32 reqid;
	u8 mode;
	u8 family;		/* of the tunnel endpoints, 0 if none */
	union ikesec_addr local, peer;
	u16 enc_alg;		/* 0: any */
};

struct ikesec_policy {
	struct hlist_node node;		/* spd_bucket.pols, RCU, sorted */
	struct rcu_head rcu;
	struct spd_tuple *tuple;	/* under ikesec_net.lock */
	struct spd_bucket *bucket;	/* under ikesec_net.lock */
	struct hlist_node reqid_node;	/* protect: its reqid bucket, lock */
	struct spd_bucket *reqid_bucket;	/* protect only, under lock */
	u32 id;
	u8 dir;
	u8 action;
	u32 priority;
	u32 specificity;		/* tie-break: higher wins */
	u64 order;			/* tie-break: lower (older) wins */
	struct ikesec_selector sel;
	struct ikesec_template tmpl;
	unsigned long acquire_sent;	/* jiffies of the last ACQUIRE, 0 */
	u64 __percpu *hits;
};

/* Packet path, under rcu_read_lock(): the best (lowest priority value)
 * policy of direction dir matching fl, or NULL. Counts a hit on it.
 */
struct ikesec_policy *ikesec_spd_lookup(struct ikesec_net *in, u8 dir,
					const struct ikesec_flow *fl);

bool ikesec_selector_match(const struct ikesec_selector *sel,
			   const struct ikesec_flow *fl);

int ikesec_policy_cache_init(void);
void ikesec_policy_cache_uninit(void);

/* Control side (netlink.c), under ikesec_net.lock unless noted. */
int ikesec_spd_init(struct ikesec_net *in);
void ikesec_spd_uninit(struct ikesec_net *in);
struct ikesec_policy *ikesec_policy_alloc(void);
void ikesec_policy_free(struct ikesec_policy *pol);
int ikesec_policy_insert(struct ikesec_net *in, struct ikesec_policy *pol,
			 struct netlink_ext_ack *extack);
struct ikesec_policy *ikesec_policy_find(struct ikesec_net *in, u32 id);
void ikesec_policy_unlink(struct ikesec_net *in, struct ikesec_policy *pol);
void ikesec_spd_flush(struct ikesec_net *in);
u64 ikesec_policy_hits(const struct ikesec_policy *pol);
void ikesec_spd_sa_added(struct ikesec_net *in, u32 reqid);

#endif
