/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKESEC_SA_H
#define _IKESEC_SA_H

#include <linux/in6.h>
#include <linux/rhashtable-types.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>

#include "crypto.h"
#include "netns.h"
#include "replay.h"

union ikesec_addr {
	__be32 ip4;
	struct in6_addr ip6;
};

/* Hash key: inbound SAs are found by SPI alone (peer zeroed), outbound by
 * SPI and peer.
 */
struct ikesec_sa_key {
	union ikesec_addr peer;
	__be32 spi;
	u8 dir;
	u8 family;
	u16 pad;
};

struct ikesec_lifetime {
	u64 bytes;
	u64 packets;
	u64 seconds;
};

struct ikesec_selector {
	union ikesec_addr src, dst;
	u8 family;		/* 0: any */
	u8 src_plen, dst_plen;
	u8 proto;		/* 0: any */
	u16 sport_min, sport_max, dport_min, dport_max;
};

struct ikesec_sa_stats {
	u64 ctr[__IKESEC_SA_STAT_MAX];
	struct u64_stats_sync syncp;
};

/* What netlink parsed; everything validated except the crypto. */
struct ikesec_sa_cfg {
	struct ikesec_sa_key key;
	union ikesec_addr local, peer;	/* outer addresses */
	u8 family;
	u8 mode;
	u16 enc_alg, auth_alg;
	const u8 *enc_key, *auth_key;
	unsigned int enc_keylen, auth_keylen;
	u32 flags;
	u32 replay_window;
	u64 seq;
	u32 reqid;
	u16 encap_sport, encap_dport;
	struct ikesec_lifetime soft, hard;
	struct ikesec_selector sel;
};

struct ikesec_sa {
	struct rhash_head node;		/* ikesec_net.sa_table */
	struct list_head list;		/* ikesec_net.sa_list, under lock */
	struct rcu_head rcu;
	refcount_t refcnt;
	struct ikesec_net *in;

	struct ikesec_sa_key key;
	union ikesec_addr local, peer;	/* outer addresses */
	u8 family;
	u8 mode;
	u32 flags;
	u32 reqid;
	u32 replay_window;
	__be16 encap_sport, encap_dport;
	struct ikesec_lifetime soft, hard;
	struct ikesec_selector sel;
	u64 add_time;			/* ktime_get_real_seconds() */
	u64 seq;			/* see IKESEC_SA_A_SEQ */
	bool dead;			/* unhashed; no new packets */

	struct ikesec_crypto crypto;
	struct ikesec_sa_stats __percpu *stats;

	/* Lifetimes (timers.c): usage charged by the packet path through
	 * ikesec_sa_charge(), time limits by lt_timer (jiffies since
	 * lt_start), IKESEC_SA_LT_* bits once an expiry has been reported.
	 */
	atomic64_t curlife_bytes;
	atomic64_t curlife_packets;
	unsigned long lt_start;
	unsigned long lt_flags;
	struct timer_list lt_timer;
	struct llist_node expire_node;	/* ikesec_net.expire_list */
	unsigned long mapping_sent;	/* jiffies of the last MAPPING */

	/* Datapath (input.c, output.c): the inbound anti-replay window; the
	 * outbound sequence number is seq, advanced by ikesec_sa_next_seq().
	 */
	struct ikesec_replay replay;
	atomic_t par_inflight;		/* parallel.c: packets in its queue */
	int par_cpu;			/* ... and the CPU that completes them */
	struct rhlist_head reqid_node;	/* ikesec_net.sa_reqid, outbound */
	u64 order;			/* ikesec_net.sa_order when added */
};

int ikesec_sa_cache_init(void);
void ikesec_sa_cache_uninit(void);
int ikesec_sad_init(struct ikesec_net *in);
void ikesec_sad_uninit(struct ikesec_net *in);

int ikesec_sa_add(struct ikesec_net *in, const struct ikesec_sa_cfg *cfg,
		  struct netlink_ext_ack *extack);
struct ikesec_sa *ikesec_sa_find(struct ikesec_net *in,
				 const struct ikesec_sa_key *key);
void ikesec_sa_unlink(struct ikesec_sa *sa);
void ikesec_sa_flush(struct ikesec_net *in);
struct ikesec_sa *ikesec_sa_lookup_rcu(struct ikesec_net *in,
				       const struct ikesec_sa_key *key);
void ikesec_sa_put(struct ikesec_sa *sa);
int ikesec_sa_rekey(struct ikesec_sa *sa, const struct ikesec_sa_key *key);
void ikesec_sa_stats_read(struct ikesec_sa *sa, u64 out[__IKESEC_SA_STAT_MAX]);

/* Packet path, under rcu_read_lock(): the newest live outbound SA with this
 * reqid (and, if peer is given, this peer of that family). No reference.
 */
struct ikesec_sa *ikesec_sa_lookup_reqid_rcu(struct ikesec_net *in, u32 reqid,
					     u8 family,
					     const union ikesec_addr *peer);

/* Packet path, any context. */
static inline void ikesec_sa_stat_add(struct ikesec_sa *sa,
				      enum ikesec_sa_stat s, u64 n)
{
	struct ikesec_sa_stats *st = get_cpu_ptr(sa->stats);

	u64_stats_update_begin(&st->syncp);
	st->ctr[s] += n;
	u64_stats_update_end(&st->syncp);
	put_cpu_ptr(sa->stats);
}

/* Packet path: the next outbound sequence number, false once the space is
 * exhausted (RFC 4303 3.3.3: never wrap, the SA must be replaced).
 */
static inline bool ikesec_sa_next_seq(struct ikesec_sa *sa, bool esn,
				      u64 *seq)
{
	u64 old = READ_ONCE(sa->seq);

	do {
		if (old == (esn ? U64_MAX : U32_MAX))
			return false;
	} while (!try_cmpxchg64(&sa->seq, &old, old + 1));
	*seq = old + 1;
	return true;
}

#endif
