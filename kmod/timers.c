// SPDX-License-Identifier: GPL-2.0
/* SA lifetimes. Byte and packet limits are checked where the packet path
 * counts (ikesec_sa_charge()). Time limits use one timer_list per SA, armed
 * for the nearest pending deadline (soft, else hard): the kernel's timer
 * wheel is the time-ordered structure, so nothing scans the SAD, and a
 * second's slack from the wheel's granularity is harmless at this scale.
 *
 * Expiry is found in atomic context (softirq timer or packet path); the
 * hard case marks the SA dead at once so no packet uses it, sends
 * EXPIRE(hard), and hands the SA to a per-netns work item, because
 * unhashing it takes ikesec_net.lock.
 */
#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "events.h"
#include "timers.h"

static void expire_work_fn(struct work_struct *work)
{
	struct ikesec_net *in = container_of(work, struct ikesec_net,
					     expire_work);
	struct llist_node *list = llist_del_all(&in->expire_list);
	struct ikesec_sa *sa, *tmp;

	llist_for_each_entry_safe(sa, tmp, list, expire_node) {
		mutex_lock(&in->lock);
		/* Unless SA_DEL or a flush got there first. */
		if (ikesec_sa_find(in, &sa->key) == sa)
			ikesec_sa_unlink(sa);
		mutex_unlock(&in->lock);
		ikesec_sa_put(sa);
	}
}

void ikesec_expire_init(struct ikesec_net *in)
{
	init_llist_head(&in->expire_list);
	INIT_WORK(&in->expire_work, expire_work_fn);
}

/* After the SAD is flushed: no timer can queue any more. */
void ikesec_expire_uninit(struct ikesec_net *in)
{
	flush_work(&in->expire_work);
}

/* Any context. */
static void hard_expire(struct ikesec_sa *sa)
{
	struct ikesec_net *in = sa->in;

	if (test_and_set_bit(IKESEC_SA_LT_HARD, &sa->lt_flags))
		return;
	WRITE_ONCE(sa->dead, true);
	ikesec_event_expire(sa, true);
	if (!refcount_inc_not_zero(&sa->refcnt))
		return;
	llist_add(&sa->expire_node, &in->expire_list);
	queue_work(system_wq, &in->expire_work);
}

/* Any context: a byte or packet limit was reached. */
void ikesec_sa_lifetime_expired(struct ikesec_sa *sa)
{
	u64 bytes = atomic64_read(&sa->curlife_bytes);
	u64 packets = atomic64_read(&sa->curlife_packets);

	if (READ_ONCE(sa->dead))
		return;
	if (lt_reached(READ_ONCE(sa->hard.bytes), bytes) ||
	    lt_reached(READ_ONCE(sa->hard.packets), packets)) {
		hard_expire(sa);
		return;
	}
	if ((lt_reached(READ_ONCE(sa->soft.bytes), bytes) ||
	     lt_reached(READ_ONCE(sa->soft.packets), packets)) &&
	    !test_and_set_bit(IKESEC_SA_LT_SOFT, &sa->lt_flags))
		ikesec_event_expire(sa, false);
}

/* Seconds to a jiffies deadline; false for "never" or beyond the wheel. */
static bool deadline(const struct ikesec_sa *sa, u64 seconds,
		     unsigned long *when)
{
	if (!seconds || seconds > MAX_JIFFY_OFFSET / HZ / 2)
		return false;
	*when = sa->lt_start + seconds * HZ;
	return true;
}

/* Arms lt_timer for the nearest pending time limit, if any. */
static void arm(struct ikesec_sa *sa)
{
	unsigned long next = 0, when;
	bool any = false;

	if (!test_bit(IKESEC_SA_LT_SOFT, &sa->lt_flags) &&
	    deadline(sa, READ_ONCE(sa->soft.seconds), &when)) {
		next = when;
		any = true;
	}
	if (deadline(sa, READ_ONCE(sa->hard.seconds), &when) &&
	    (!any || time_before(when, next))) {
		next = when;
		any = true;
	}
	if (any)
		mod_timer(&sa->lt_timer, next);
}

static void lt_timer_fn(struct timer_list *t)
{
	struct ikesec_sa *sa = from_timer(sa, t, lt_timer);
	unsigned long when;

	if (READ_ONCE(sa->dead))
		return;
	if (deadline(sa, READ_ONCE(sa->hard.seconds), &when) &&
	    time_after_eq(jiffies, when)) {
		hard_expire(sa);
		return;
	}
	if (deadline(sa, READ_ONCE(sa->soft.seconds), &when) &&
	    time_after_eq(jiffies, when) &&
	    !test_and_set_bit(IKESEC_SA_LT_SOFT, &sa->lt_flags))
		ikesec_event_expire(sa, false);
	arm(sa);
}

void ikesec_sa_timers_init(struct ikesec_sa *sa)
{
	sa->lt_start = jiffies;
	timer_setup(&sa->lt_timer, lt_timer_fn, 0);
}

/* Caller holds ikesec_net.lock; sa is hashed. */
void ikesec_sa_timers_start(struct ikesec_sa *sa)
{
	arm(sa);
}

/* Process context; sa is unhashed and marked dead. */
void ikesec_sa_timers_stop(struct ikesec_sa *sa)
{
	timer_shutdown_sync(&sa->lt_timer);
}

/* Caller holds ikesec_net.lock. New limits apply to the usage so far; a
 * new soft limit may be reported again.
 */
void ikesec_sa_timers_update(struct ikesec_sa *sa, bool soft_changed)
{
	if (soft_changed)
		clear_bit(IKESEC_SA_LT_SOFT, &sa->lt_flags);
	del_timer_sync(&sa->lt_timer);
	arm(sa);
	ikesec_sa_lifetime_check(sa);
}
