/* SPDX-License-Identifier: GPL-2.0 */
/* SA lifetimes (RFC 4301 4.4.2.1): soft -> one EXPIRE event, hard ->
 * EXPIRE(hard) and the SA removed.
 */
#ifndef _IKESEC_TIMERS_H
#define _IKESEC_TIMERS_H

#include "sa.h"

enum {
	IKESEC_SA_LT_SOFT,	/* soft expiry reported */
	IKESEC_SA_LT_HARD,	/* hard expiry reported, removal queued */
};

void ikesec_expire_init(struct ikesec_net *in);
void ikesec_expire_uninit(struct ikesec_net *in);

/* sa.c: before the SA is hashed, after it is hashed, when unhashed
 * (process context, may sleep).
 */
void ikesec_sa_timers_init(struct ikesec_sa *sa);
void ikesec_sa_timers_start(struct ikesec_sa *sa);
void ikesec_sa_timers_stop(struct ikesec_sa *sa);
/* After SA_SET changed the limits; caller holds ikesec_net.lock. */
void ikesec_sa_timers_update(struct ikesec_sa *sa, bool soft_changed);

void ikesec_sa_lifetime_expired(struct ikesec_sa *sa);

static inline bool lt_reached(u64 limit, u64 cur)
{
	return limit && cur >= limit;
}

/* Packet path, any context: after counting a packet on sa, report a soft
 * or hard byte/packet limit just reached.
 */
static inline void ikesec_sa_lifetime_check(struct ikesec_sa *sa)
{
	u64 bytes = atomic64_read(&sa->curlife_bytes);
	u64 packets = atomic64_read(&sa->curlife_packets);

	if (unlikely(lt_reached(READ_ONCE(sa->hard.bytes), bytes) ||
		     lt_reached(READ_ONCE(sa->hard.packets), packets) ||
		     ((lt_reached(READ_ONCE(sa->soft.bytes), bytes) ||
		       lt_reached(READ_ONCE(sa->soft.packets), packets)) &&
		      !test_bit(IKESEC_SA_LT_SOFT, &sa->lt_flags))))
		ikesec_sa_lifetime_expired(sa);
}

/* Packet path, any context: count one packet of len inner bytes against
 * the SA's lifetime, then check it.
 */
static inline void ikesec_sa_charge(struct ikesec_sa *sa, unsigned int len)
{
	atomic64_add(len, &sa->curlife_bytes);
	atomic64_inc(&sa->curlife_packets);
	ikesec_sa_lifetime_check(sa);
}

#endif
