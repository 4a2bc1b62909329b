/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKESEC_NETNS_H
#define _IKESEC_NETNS_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
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
