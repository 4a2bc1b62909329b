/* SPDX-License-Identifier: GPL-2.0 */
/* Multicast events on the "events" group, in the object's netns. All may
 * be called from atomic context (GFP_ATOMIC); a message that cannot be
 * allocated is lost, as XFRM's km events are.
 */
#ifndef _IKESEC_EVENTS_H
#define _IKESEC_EVENTS_H

#include "policy.h"

/* Outbound packet fl hit protect policy pol and no SA carries it. Sends at
 * most one ACQUIRE per policy per IKESEC_ACQUIRE_RETRY_SECONDS (sooner
 * once an SA with the template's reqid has been added); counts
 * IKESEC_STAT_ACQUIRES for each one sent. Caller in an RCU read section.
 */
void ikesec_event_acquire(struct ikesec_net *in, struct ikesec_policy *pol,
			  const struct ikesec_flow *fl);

/* A lifetime ran out: soft (SA stays) or hard (SA being removed). */
void ikesec_event_expire(struct ikesec_sa *sa, bool hard);

/* An inbound NAT-T SA authenticated a packet from a new outer source
 * address or port (RFC 3948 3.5). At most one event per SA per second.
 */
void ikesec_event_mapping(struct ikesec_sa *sa, const union ikesec_addr *addr,
			  __be16 port);

#endif
