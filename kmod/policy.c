// SPDX-License-Identifier: GPL-2.0
/* The SPD (RFC 4301 4.4.1) as a tuple-space search.
 *
 * Policies are grouped by "tuple": (direction, family, source prefix
 * length, destination prefix length). Each tuple present in a netns is on
 * a short per-direction list. One rhashtable per netns holds buckets keyed
 * by the tuple plus both addresses masked to its prefix lengths; a bucket
 * lists its policies (the protocol and port variants of one address pair)
 * best first. A lookup masks the packet's addresses once per tuple, probes
 * the table once, and walks the bucket until the first match, so 10,000
 * host (/32 -> /32) policies cost one probe, not 10,000 comparisons. A
 * tuple whose best priority cannot beat the match found so far is skipped.
 *
 * Ordering: lower priority value wins; on equal priority the more
 * specific selector (longer prefixes, then a protocol, then narrowed
 * ports), then the older policy.
 *
 * Protect policies are also indexed by their template's reqid, in the
 * same table under keys of direction 0 (no packet lookup ever uses it):
 * a bucket per reqid lists its policies, so adding an SA ends the ACQUIRE
 * rate limit of the policies waiting for it in O(1) whatever the SPD's
 * size (ikesec_spd_sa_added()).
 *
 * Writers hold ikesec_net.lock; the packet path reads under RCU. Ids come
 * from an xarray (cyclic, never 0), which also orders dumps.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <linux/inetdevice.h>

#include "compat.h"
#include "policy.h"

struct spd_key {
	union ikesec_addr src, dst;
	u8 dir;
	u8 family;
	u8 src_plen, dst_plen;
};

struct spd_tuple {
	struct list_head list;		/* ikesec_net.pol_tuples[dir - 1] */
	struct rcu_head rcu;
	u8 family, src_plen, dst_plen;
	u32 npol;			/* under lock */
	u32 min_prio;			/* lower bound of its priorities */
};

struct spd_bucket {
	struct rhash_head node;		/* ikesec_net.pol_table */
	struct spd_key key;
	struct hlist_head pols;		/* struct ikesec_policy, best first;
					 * reqid buckets: by reqid_node, under
					 * ikesec_net.lock only
					 */
	struct rcu_head rcu;
};

#define SPD_DIR_REQID	0		/* spd_key.dir of a reqid bucket */

static const struct rhashtable_params spd_params = {
	.key_len = sizeof(struct spd_key),
	.key_offset = offsetof(struct spd_bucket, key),
	.head_offset = offsetof(struct spd_bucket, node),
	.automatic_shrinking = true,
};

static void mask_addr(u8 family, union ikesec_addr *out,
		      const union ikesec_addr *a, u8 plen)
{
	if (family == AF_INET)
		out->ip4 = plen ? a->ip4 & inet_make_mask(plen) : 0;
	else if (family == AF_INET6)
		ipv6_addr_prefix(&out->ip6, &a->ip6, plen);
}

static bool prefix_match(u8 family, const union ikesec_addr *a,
			 const union ikesec_addr *p, u8 plen)
{
	if (!plen)
		return true;
	if (family == AF_INET)
		return !((a->ip4 ^ p->ip4) & inet_make_mask(plen));
	return ipv6_prefix_equal(&a->ip6, &p->ip6, plen);
}

/* Any context. */
bool ikesec_selector_match(const struct ikesec_selector *sel,
			   const struct ikesec_flow *fl)
{
	u16 sport = ntohs(fl->sport), dport = ntohs(fl->dport);

	if (sel->family &&
	    (sel->family != fl->family ||
	     !prefix_match(sel->family, &fl->src, &sel->src, sel->src_plen) ||
	     !prefix_match(sel->family, &fl->dst, &sel->dst, sel->dst_plen)))
		return false;
	if (sel->proto && sel->proto != fl->proto)
		return false;
	return sport >= sel->sport_min && sport <= sel->sport_max &&
	       dport >= sel->dport_min && dport <= sel->dport_max;
}

/* Is a strictly better than b? */
static bool better(const struct ikesec_policy *a,
		   const struct ikesec_policy *b)
{
	if (a->priority != b->priority)
		return a->priority < b->priority;
	if (a->specificity != b->specificity)
		return a->specificity > b->specificity;
	return a->order < b->order;
}

static void tuple_key(struct spd_key *key, u8 dir, u8 family, u8 src_plen,
		      u8 dst_plen, const union ikesec_addr *src,
		      const union ikesec_addr *dst)
{
	memset(key, 0, sizeof(*key));
	key->dir = dir;
	key->family = family;
	key->src_plen = src_plen;
	key->dst_plen = dst_plen;
	mask_addr(family, &key->src, src, src_plen);
	mask_addr(family, &key->dst, dst, dst_plen);
}

/* Packet path, under rcu_read_lock(). One hash probe per tuple. */
struct ikesec_policy *ikesec_spd_lookup(struct ikesec_net *in, u8 dir,
					const struct ikesec_flow *fl)
{
	struct ikesec_policy *best = NULL, *pol;
	struct spd_bucket *b;
	struct spd_tuple *t;
	struct spd_key key;

	if (dir < IKESEC_DIR_IN || dir > IKESEC_DIR_FWD)
		return NULL;
	list_for_each_entry_rcu(t, &in->pol_tuples[dir - 1], list) {
		if ((t->family && t->family != fl->family) ||
		    (best && READ_ONCE(t->min_prio) > best->priority))
			continue;
		tuple_key(&key, dir, t->family, t->src_plen, t->dst_plen,
			  &fl->src, &fl->dst);
		b = rhashtable_lookup(&in->pol_table, &key, spd_params);
		if (!b)
			continue;
		hlist_for_each_entry_rcu(pol, &b->pols, node) {
			if (best && !better(pol, best))
				break;	/* the rest of the bucket is worse */
			if (ikesec_selector_match(&pol->sel, fl)) {
				best = pol;
				break;
			}
		}
	}
	if (best)
		this_cpu_inc(*best->hits);
	return best;
}

int ikesec_spd_init(struct ikesec_net *in)
{
	int i;

	xa_init_flags(&in->pol_ids, XA_FLAGS_ALLOC1);
	for (i = 0; i < ARRAY_SIZE(in->pol_tuples); i++)
		INIT_LIST_HEAD(&in->pol_tuples[i]);
	in->pol_gen = 1;
	return rhashtable_init(&in->pol_table, &spd_params);
}

/* Process context; frees everything after the caller's rcu_barrier(). */
void ikesec_spd_uninit(struct ikesec_net *in)
{
	mutex_lock(&in->lock);
	ikesec_spd_flush(in);
	mutex_unlock(&in->lock);
	rhashtable_destroy(&in->pol_table);
	xa_destroy(&in->pol_ids);
}

static struct kmem_cache *policy_cache;

/* Module load, before any namespace: every policy comes from
 * "ikesec_policy".
 */
int ikesec_policy_cache_init(void)
{
	policy_cache = IKESEC_KMEM_CACHE("ikesec_policy", ikesec_policy, sel);
	return policy_cache ? 0 : -ENOMEM;
}

/* Module unload, after the last namespace and an rcu_barrier(). */
void ikesec_policy_cache_uninit(void)
{
	kmem_cache_destroy(policy_cache);
}

struct ikesec_policy *ikesec_policy_alloc(void)
{
	struct ikesec_policy *pol = kmem_cache_zalloc(policy_cache,
						      GFP_KERNEL);

	if (!pol)
		return NULL;
	pol->hits = alloc_percpu(u64);
	if (!pol->hits) {
		kmem_cache_free(policy_cache, pol);
		return NULL;
	}
	return pol;
}

/* For a policy never inserted, or after a grace period. */
void ikesec_policy_free(struct ikesec_policy *pol)
{
	free_percpu(pol->hits);
	kmem_cache_free(policy_cache, pol);
}

static void policy_free_rcu(struct rcu_head *head)
{
	ikesec_policy_free(container_of(head, struct ikesec_policy, rcu));
}

static u32 specificity(const struct ikesec_selector *sel)
{
	bool ports = sel->sport_min || sel->sport_max != U16_MAX ||
		     sel->dport_min || sel->dport_max != U16_MAX;

	return (sel->src_plen + sel->dst_plen) * 4 + !!sel->proto * 2 + ports;
}

static void reqid_key(struct spd_key *key, u32 reqid)
{
	memset(key, 0, sizeof(*key));
	key->dir = SPD_DIR_REQID;
	memcpy(&key->src, &reqid, sizeof(reqid));
}

/* Caller holds in->lock. The bucket of key, inserted if new (*created). */
static struct spd_bucket *bucket_get(struct ikesec_net *in,
				     const struct spd_key *key, bool *created,
				     struct netlink_ext_ack *extack)
{
	struct spd_bucket *b;
	int err;

	*created = false;
	b = rhashtable_lookup_fast(&in->pol_table, key, spd_params);
	if (b)
		return b;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ERR_PTR(-ENOMEM);
	b->key = *key;
	INIT_HLIST_HEAD(&b->pols);
	err = rhashtable_insert_fast(&in->pol_table, &b->node, spd_params);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "SPD insert failed");
		kfree(b);
		return ERR_PTR(err);
	}
	*created = true;
	return b;
}

/* Caller holds in->lock. Readers may still walk past b's node. */
static void bucket_put(struct ikesec_net *in, struct spd_bucket *b)
{
	rhashtable_remove_fast(&in->pol_table, &b->node, spd_params);
	kfree_rcu(b, rcu);
}

static struct spd_tuple *tuple_find(struct ikesec_net *in, u8 dir,
				    const struct ikesec_selector *sel)
{
	struct spd_tuple *t;

	list_for_each_entry(t, &in->pol_tuples[dir - 1], list)
		if (t->family == sel->family && t->src_plen == sel->src_plen &&
		    t->dst_plen == sel->dst_plen)
			return t;
	return NULL;
}

/* Caller holds in->lock. Takes ownership of pol on success; on error the
 * SPD is unchanged and the caller frees pol.
 */
int ikesec_policy_insert(struct ikesec_net *in, struct ikesec_policy *pol,
			 struct netlink_ext_ack *extack)
{
	const struct ikesec_selector *sel = &pol->sel;
	struct spd_tuple *t, *new_t = NULL;
	struct ikesec_policy *e, *last = NULL;
	struct spd_bucket *b, *rb;
	bool new_b, new_rb;
	struct spd_key key;
	int err;

	lockdep_assert_held(&in->lock);

	err = xa_alloc_cyclic(&in->pol_ids, &pol->id, pol, xa_limit_32b,
			      &in->pol_next_id, GFP_KERNEL);
	if (err < 0) {
		NL_SET_ERR_MSG_MOD(extack, "no free policy id");
		return err;
	}

	t = tuple_find(in, pol->dir, sel);
	if (!t) {
		new_t = kzalloc(sizeof(*new_t), GFP_KERNEL);
		if (!new_t) {
			err = -ENOMEM;
			goto free;
		}
		new_t->family = sel->family;
		new_t->src_plen = sel->src_plen;
		new_t->dst_plen = sel->dst_plen;
		new_t->min_prio = pol->priority;
		t = new_t;
	}

	tuple_key(&key, pol->dir, sel->family, sel->src_plen, sel->dst_plen,
		  &sel->src, &sel->dst);
	b = bucket_get(in, &key, &new_b, extack);
	if (IS_ERR(b)) {
		err = PTR_ERR(b);
		goto free;
	}
	if (pol->action == IKESEC_ACTION_PROTECT) {
		reqid_key(&key, pol->tmpl.reqid);
		rb = bucket_get(in, &key, &new_rb, extack);
		if (IS_ERR(rb)) {
			err = PTR_ERR(rb);
			goto put;
		}
		hlist_add_head(&pol->reqid_node, &rb->pols);
		pol->reqid_bucket = rb;
	}

	pol->specificity = specificity(sel);
	pol->order = in->pol_order++;
	pol->tuple = t;
	pol->bucket = b;
	hlist_for_each_entry(e, &b->pols, node) {
		if (better(pol, e)) {
			hlist_add_before_rcu(&pol->node, &e->node);
			goto added;
		}
		last = e;
	}
	if (last)
		hlist_add_behind_rcu(&pol->node, &last->node);
	else
		hlist_add_head_rcu(&pol->node, &b->pols);
added:
	if (new_t)
		list_add_tail_rcu(&new_t->list, &in->pol_tuples[pol->dir - 1]);
	/* Only lowered: a stale bound costs a probe, never a match. */
	if (pol->priority < t->min_prio)
		WRITE_ONCE(t->min_prio, pol->priority);
	t->npol++;
	in->pol_count++;
	in->pol_gen++;
	return 0;

put:
	if (new_b)
		bucket_put(in, b);
free:
	kfree(new_t);
	xa_erase(&in->pol_ids, pol->id);
	return err;
}

/* Caller holds in->lock. */
struct ikesec_policy *ikesec_policy_find(struct ikesec_net *in, u32 id)
{
	lockdep_assert_held(&in->lock);
	return xa_load(&in->pol_ids, id);
}

/* Caller holds in->lock. Frees pol after a grace period. */
void ikesec_policy_unlink(struct ikesec_net *in, struct ikesec_policy *pol)
{
	struct spd_bucket *b = pol->bucket;
	struct spd_tuple *t = pol->tuple;

	lockdep_assert_held(&in->lock);
	hlist_del_rcu(&pol->node);
	if (hlist_empty(&b->pols))
		bucket_put(in, b);
	if (pol->reqid_bucket) {
		hlist_del(&pol->reqid_node);
		if (hlist_empty(&pol->reqid_bucket->pols))
			bucket_put(in, pol->reqid_bucket);
		pol->reqid_bucket = NULL;
	}
	if (!--t->npol) {
		list_del_rcu(&t->list);
		kfree_rcu(t, rcu);
	}
	xa_erase(&in->pol_ids, pol->id);
	in->pol_count--;
	in->pol_gen++;
	call_rcu(&pol->rcu, policy_free_rcu);
}

/* Caller holds in->lock. */
void ikesec_spd_flush(struct ikesec_net *in)
{
	struct ikesec_policy *pol;
	unsigned long id;

	lockdep_assert_held(&in->lock);
	xa_for_each(&in->pol_ids, id, pol)
		ikesec_policy_unlink(in, pol);
}

u64 ikesec_policy_hits(const struct ikesec_policy *pol)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(pol->hits, cpu));
	return sum;
}

/* Caller holds in->lock. An SA for reqid now exists: ACQUIRE's rate limit
 * ends for the protect policies that waited for it, so they may ask again
 * as soon as it is gone. One probe of the reqid index, not an SPD walk.
 */
void ikesec_spd_sa_added(struct ikesec_net *in, u32 reqid)
{
	struct ikesec_policy *pol;
	struct spd_bucket *rb;
	struct spd_key key;

	lockdep_assert_held(&in->lock);
	reqid_key(&key, reqid);
	rb = rhashtable_lookup_fast(&in->pol_table, &key, spd_params);
	if (!rb)
		return;
	hlist_for_each_entry(pol, &rb->pols, reqid_node)
		WRITE_ONCE(pol->acquire_sent, 0);
}
