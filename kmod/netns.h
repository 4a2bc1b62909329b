/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKESEC_NETNS_H
#define _IKESEC_NETNS_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <linux/llist.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <uapi/linux/ikesec.h>

struct ikesec_net_stats {
	u64 ctr[__IKESEC_STAT_MAX];
	struct u64_stats_sync syncp;
};

/* Everything ikesec keeps for one network namespace. */
struct ikesec_net {
	struct net *net;
	/* Serialises configuration changes (netlink); never taken on the
	 * packet path, which uses RCU.
	 */
	struct mutex lock;
	struct rhashtable sa_table;	/* struct ikesec_sa, by identity */
	struct list_head sa_list;	/* all SAs, for dumps and flush */
	u32 sa_count;
	u32 sa_gen;			/* bumped on every SAD change */
	struct ikesec_net_stats __percpu *stats;
	/* Outbound SAs by reqid (sa.c), RCU on the packet path: a table
	 * that grows with them, so 10,000 tunnels do not share 64 chains.
	 */
	struct rhltable sa_reqid;
	u64 sa_order;			/* outbound SAs added so far */
	struct nf_hook_ops *hook_ops;	/* hooks.c, priv = this */
	bool defrag6;			/* hooks.c: nf_defrag_ipv6 enabled */
	atomic_t crypto_pending;	/* input.c, output.c: async requests */
	struct list_head natt_socks;	/* natt.c, under lock */
	wait_queue_head_t natt_wq;	/* natt.c: attached sockets closing */

	/* SPD (policy.c), changed under lock, read under RCU. */
	struct xarray pol_ids;		/* id -> struct ikesec_policy */
	struct rhashtable pol_table;	/* struct spd_bucket */
	struct list_head pol_tuples[3];	/* struct spd_tuple, per dir - 1 */
	u32 pol_count;
	u32 pol_gen;			/* bumped on every SPD change */
	u32 pol_next_id;		/* cursor for cyclic id allocation */
	u64 pol_order;			/* insertion order, for ties */

	/* SPI_ALLOC reservations (netlink.c): SPI -> expiry jiffies. */
	struct xarray spi_resv;

	/* Hard expiries found in atomic context, removed by a work item
	 * (timers.c) since removal takes the mutex.
	 */
	struct llist_head expire_list;
	struct work_struct expire_work;
};

struct ikesec_net *ikesec_net(const struct net *net);
int ikesec_netns_init(void);
void ikesec_netns_uninit(void);

/* Packet path: any context. */
static inline void ikesec_net_stat_add(struct ikesec_net *in,
				       enum ikesec_stat s, u64 n)
{
	struct ikesec_net_stats *st = get_cpu_ptr(in->stats);

	u64_stats_update_begin(&st->syncp);
	st->ctr[s] += n;
	u64_stats_update_end(&st->syncp);
	put_cpu_ptr(in->stats);
}

void ikesec_net_stats_read(struct ikesec_net *in, u64 out[__IKESEC_STAT_MAX]);

#endif
