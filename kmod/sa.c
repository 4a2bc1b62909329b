// SPDX-License-Identifier: GPL-2.0
/* The SAD: an rhashtable per netns for RCU lookups on the packet path, and a
 * list under ikesec_net.lock for dumps and flush.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "natt.h"
#include "sa.h"
#include "timers.h"

static struct kmem_cache *sa_cache;

/* Module load, before any namespace: every SA comes from "ikesec_sa". */
int ikesec_sa_cache_init(void)
{
	sa_cache = IKESEC_KMEM_CACHE("ikesec_sa", ikesec_sa, key);
	return sa_cache ? 0 : -ENOMEM;
}

/* Module unload, after the last namespace and an rcu_barrier(). */
void ikesec_sa_cache_uninit(void)
{
	kmem_cache_destroy(sa_cache);
}

static const struct rhashtable_params sa_params = {
	.key_len = sizeof(struct ikesec_sa_key),
	.key_offset = offsetof(struct ikesec_sa, key),
	.head_offset = offsetof(struct ikesec_sa, node),
	.automatic_shrinking = true,
};

/* Outbound SAs by reqid; SAs of one reqid (a rekey's old and new) share
 * a list there.
 */
static const struct rhashtable_params reqid_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct ikesec_sa, reqid),
	.head_offset = offsetof(struct ikesec_sa, reqid_node),
	.automatic_shrinking = true,
};

int ikesec_sad_init(struct ikesec_net *in)
{
	int err;

	INIT_LIST_HEAD(&in->sa_list);
	in->sa_gen = 1;		/* never 0: dumps compare it */
	err = rhashtable_init(&in->sa_table, &sa_params);
	if (err)
		return err;
	err = rhltable_init(&in->sa_reqid, &reqid_params);
	if (err)
		rhashtable_destroy(&in->sa_table);
	return err;
}

void ikesec_sad_uninit(struct ikesec_net *in)
{
	ikesec_sa_flush(in);
	rhltable_destroy(&in->sa_reqid);
	rhashtable_destroy(&in->sa_table);
}

static void sa_free_rcu(struct rcu_head *head)
{
	struct ikesec_sa *sa = container_of(head, struct ikesec_sa, rcu);

	ikesec_crypto_uninit(&sa->crypto);
	ikesec_replay_uninit(&sa->replay);
	free_percpu(sa->stats);
	kmem_cache_free(sa_cache, sa);
}

void ikesec_sa_put(struct ikesec_sa *sa)
{
	if (refcount_dec_and_test(&sa->refcnt))
		call_rcu(&sa->rcu, sa_free_rcu);
}

/* Caller holds in->lock. */
int ikesec_sa_add(struct ikesec_net *in, const struct ikesec_sa_cfg *cfg,
		  struct netlink_ext_ack *extack)
{
	struct ikesec_sa *sa;
	int cpu, err;

	lockdep_assert_held(&in->lock);

	if (ikesec_sa_find(in, &cfg->key)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"an %s SA with SPI 0x%08x already exists",
			cfg->key.dir == IKESEC_DIR_IN ? "inbound" : "outbound",
			be32_to_cpu(cfg->key.spi));
		return -EEXIST;
	}

	sa = kmem_cache_zalloc(sa_cache, GFP_KERNEL);
	if (!sa)
		return -ENOMEM;
	sa->stats = alloc_percpu(struct ikesec_sa_stats);
	if (!sa->stats) {
		err = -ENOMEM;
		goto free_sa;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(sa->stats, cpu)->syncp);

	err = ikesec_crypto_init(&sa->crypto, cfg->enc_alg, cfg->enc_key,
				 cfg->enc_keylen, cfg->auth_alg, cfg->auth_key,
				 cfg->auth_keylen, cfg->flags & IKESEC_SA_F_ESN,
				 extack);
	if (err)
		goto free_stats;
	err = ikesec_replay_init(&sa->replay,
				 cfg->key.dir == IKESEC_DIR_IN ?
				 cfg->replay_window : 0,
				 cfg->flags & IKESEC_SA_F_ESN, cfg->seq,
				 GFP_KERNEL);
	if (err)
		goto uninit_crypto;
	if (cfg->encap_sport && cfg->key.dir == IKESEC_DIR_IN) {
		err = ikesec_natt_listen(in, cfg->encap_sport, cfg->family,
					 extack);
		if (err)
			goto uninit_replay;
	}

	refcount_set(&sa->refcnt, 1);
	sa->in = in;
	sa->key = cfg->key;
	sa->local = cfg->local;
	sa->peer = cfg->peer;
	sa->family = cfg->family;
	sa->mode = cfg->mode;
	sa->flags = cfg->flags;
	sa->reqid = cfg->reqid;
	sa->replay_window = cfg->replay_window;
	sa->encap_sport = htons(cfg->encap_sport);
	sa->encap_dport = htons(cfg->encap_dport);
	sa->soft = cfg->soft;
	sa->hard = cfg->hard;
	sa->sel = cfg->sel;
	sa->seq = cfg->seq;
	sa->add_time = ktime_get_real_seconds();

	ikesec_sa_timers_init(sa);
	err = rhashtable_insert_fast(&in->sa_table, &sa->node, sa_params);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "SAD insert failed");
		goto uninit_replay;
	}
	if (sa->key.dir == IKESEC_DIR_OUT) {
		sa->order = ++in->sa_order;
		err = rhltable_insert(&in->sa_reqid, &sa->reqid_node,
				      reqid_params);
		if (err) {
			/* A packet may hold it already: the table's
			 * reference goes as in ikesec_sa_unlink().
			 */
			NL_SET_ERR_MSG_MOD(extack, "SAD insert by reqid failed");
			WRITE_ONCE(sa->dead, true);
			rhashtable_remove_fast(&in->sa_table, &sa->node,
					       sa_params);
			ikesec_sa_put(sa);
			return err;
		}
	}
	list_add_tail(&sa->list, &in->sa_list);
	in->sa_count++;
	in->sa_gen++;
	ikesec_sa_timers_start(sa);
	return 0;

uninit_replay:
	ikesec_replay_uninit(&sa->replay);
uninit_crypto:
	ikesec_crypto_uninit(&sa->crypto);
free_stats:
	free_percpu(sa->stats);
free_sa:
	kmem_cache_free(sa_cache, sa);
	return err;
}

/* Caller holds in->lock. */
struct ikesec_sa *ikesec_sa_find(struct ikesec_net *in,
				 const struct ikesec_sa_key *key)
{
	lockdep_assert_held(&in->lock);
	return rhashtable_lookup_fast(&in->sa_table, key, sa_params);
}

/* Packet path; caller in an RCU read-side section. No reference taken. */
struct ikesec_sa *ikesec_sa_lookup_rcu(struct ikesec_net *in,
				       const struct ikesec_sa_key *key)
{
	struct ikesec_sa *sa = rhashtable_lookup(&in->sa_table, key, sa_params);

	return sa && !READ_ONCE(sa->dead) ? sa : NULL;
}

/* Caller holds in->lock. Drops the table's reference. */
void ikesec_sa_unlink(struct ikesec_sa *sa)
{
	struct ikesec_net *in = sa->in;

	lockdep_assert_held(&in->lock);
	WRITE_ONCE(sa->dead, true);
	rhashtable_remove_fast(&in->sa_table, &sa->node, sa_params);
	list_del(&sa->list);
	if (sa->key.dir == IKESEC_DIR_OUT)
		rhltable_remove(&in->sa_reqid, &sa->reqid_node, reqid_params);
	in->sa_count--;
	in->sa_gen++;
	ikesec_sa_timers_stop(sa);
	ikesec_sa_put(sa);
}

/* Caller holds in->lock. Moves sa to a new identity (SA_SET moved an
 * outbound SA's peer); lookups miss it while it is unhashed.
 */
int ikesec_sa_rekey(struct ikesec_sa *sa, const struct ikesec_sa_key *key)
{
	struct ikesec_net *in = sa->in;
	struct ikesec_sa_key old = sa->key;
	int err;

	lockdep_assert_held(&in->lock);
	rhashtable_remove_fast(&in->sa_table, &sa->node, sa_params);
	sa->key = *key;
	err = rhashtable_insert_fast(&in->sa_table, &sa->node, sa_params);
	if (err) {
		sa->key = old;
		WARN_ON_ONCE(rhashtable_insert_fast(&in->sa_table, &sa->node,
						    sa_params));
	}
	return err;
}

void ikesec_sa_flush(struct ikesec_net *in)
{
	struct ikesec_sa *sa, *tmp;

	mutex_lock(&in->lock);
	list_for_each_entry_safe(sa, tmp, &in->sa_list, list)
		ikesec_sa_unlink(sa);
	mutex_unlock(&in->lock);
}

struct ikesec_sa *ikesec_sa_lookup_reqid_rcu(struct ikesec_net *in, u32 reqid,
					     u8 family,
					     const union ikesec_addr *peer)
{
	struct ikesec_sa *sa, *best = NULL;
	struct rhlist_head *list, *pos;

	list = rhltable_lookup(&in->sa_reqid, &reqid, reqid_params);
	rhl_for_each_entry_rcu(sa, pos, list, reqid_node) {
		if (READ_ONCE(sa->dead))
			continue;
		if (peer && (sa->family != family ||
			     memcmp(&sa->peer, peer, family == AF_INET ?
				    sizeof(peer->ip4) : sizeof(peer->ip6))))
			continue;
		if (!best || sa->order > best->order)
			best = sa;
	}
	return best;
}

void ikesec_sa_stats_read(struct ikesec_sa *sa, u64 out[__IKESEC_SA_STAT_MAX])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * __IKESEC_SA_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct ikesec_sa_stats *st = per_cpu_ptr(sa->stats, cpu);
		u64 v[__IKESEC_SA_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			memcpy(v, st->ctr, sizeof(v));
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < __IKESEC_SA_STAT_MAX; i++)
			out[i] += v[i];
	}
}
