// SPDX-License-Identifier: GPL-2.0
/*
 * The list of CHILD SA slots of an IKE SA (child_slot.h): allocation,
 * lookup, and freeing what no exchange needs any more. A slot's rekey
 * state costs more than the slot itself and is rarely needed, so it is
 * allocated by the rekey and freed once its SAs are gone.
 */
#include <stdlib.h>

#include "child_sa.h"
#include "child_slot.h"
#include "crypto.h"
#include "dh.h"
#include "ike_sa.h"

struct child_slot *child_slot_new(struct ike_sa *sa,
				  const struct cfg_child *cc,
				  enum child_state st)
{
	struct child_slot *sl = calloc(1, sizeof(*sl)), **pp;

	if (!sl)
		return NULL;
	sl->cl_sa = sa;
	sl->cl_cfg = cc;
	sl->cl_state = st;
	timer_set(&sl->cl_retry_timer, NULL, sl);
	for (pp = &sa->sa_slots; *pp; pp = &(*pp)->cl_next)
		;
	*pp = sl;
	return sl;
}

struct child_rekey *child_slot_rk(struct child_slot *sl)
{
	if (!sl->cl_rk) {
		sl->cl_rk = calloc(1, sizeof(*sl->cl_rk));
		if (sl->cl_rk)
			timer_set(&sl->cl_rk->rk_dying_timer, NULL, sl);
	}
	return sl->cl_rk;
}

static void rk_free(struct child_slot *sl)
{
	struct child_rekey *rk = sl->cl_rk;

	if (!rk)
		return;
	timer_del(&rk->rk_dying_timer);
	dh_free(rk->rk_dh);
	child_sa_out_drop(&rk->rk_new);
	child_sa_out_drop(&rk->rk_old);
	child_sa_out_drop(&rk->rk_peer);
	child_sa_out_drop(&rk->rk_dying);
	crypto_wipe(rk, sizeof(*rk));
	free(rk);
	sl->cl_rk = NULL;
}

static void slot_free(struct child_slot *sl)
{
	rk_free(sl);
	timer_del(&sl->cl_retry_timer);
	child_sa_out_drop(&sl->cl_cur);
	crypto_wipe(sl, sizeof(*sl));
	free(sl);
}

void child_slot_del(struct ike_sa *sa, struct child_slot *sl)
{
	struct child_slot **pp;

	for (pp = &sa->sa_slots; *pp; pp = &(*pp)->cl_next)
		if (*pp == sl) {
			*pp = sl->cl_next;
			slot_free(sl);
			return;
		}
}

static bool rk_idle(const struct child_slot *sl)
{
	const struct child_rekey *rk = sl->cl_rk;

	return !sl->cl_rekeying && !sl->cl_deleting_old &&
	       sl->cl_state != CHILD_CREATING && !rk->rk_old.cs_installed &&
	       !rk->rk_peer.cs_installed && !rk->rk_dying.cs_installed &&
	       !rk->rk_new.cs_out_pending;
}

void child_slot_gc(struct ike_sa *sa)
{
	struct child_slot **pp = &sa->sa_slots, *sl;

	while ((sl = *pp)) {
		if (sl->cl_rk && rk_idle(sl))
			rk_free(sl);
		if (sl->cl_state == CHILD_UP && !sl->cl_rk &&
		    !sl->cl_cur.cs_installed && !sl->cl_deleting) {
			*pp = sl->cl_next;
			slot_free(sl);
		} else {
			pp = &sl->cl_next;
		}
	}
}

void child_slot_free_all(struct ike_sa *sa)
{
	struct child_slot *sl;

	while ((sl = sa->sa_slots)) {
		sa->sa_slots = sl->cl_next;
		slot_free(sl);
	}
}

void child_slot_move_all(struct ike_sa *to, struct ike_sa *from)
{
	struct child_slot **pp, *sl;

	for (pp = &to->sa_slots; *pp; pp = &(*pp)->cl_next)
		;
	*pp = from->sa_slots;
	from->sa_slots = NULL;
	child_slot_for_each(sl, to)
		sl->cl_sa = to;
}

struct child_slot *child_slot_find_state(struct ike_sa *sa,
					 enum child_state st)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa)
		if (sl->cl_state == st)
			return sl;
	return NULL;
}

struct child_slot *child_slot_find_cfg(struct ike_sa *sa,
				       const struct cfg_child *cc)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa)
		if (sl->cl_cfg == cc && (sl->cl_cur.cs_installed ||
					 sl->cl_state != CHILD_UP))
			return sl;
	return NULL;
}

struct child_slot *child_slot_in_flight(struct ike_sa *sa)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa)
		if (sl->cl_rekeying || sl->cl_state == CHILD_CREATING)
			return sl;
	return NULL;
}

struct child_slot *child_slot_first_up(struct ike_sa *sa)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa)
		if (sl->cl_cur.cs_installed)
			return sl;
	return NULL;
}

int child_slot_count_up(const struct ike_sa *sa)
{
	const struct child_slot *sl;
	int n = 0;

	child_slot_for_each(sl, sa)
		n += sl->cl_cur.cs_installed;
	return n;
}
