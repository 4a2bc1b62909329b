/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CHILD SAs of one IKE SA (RFC 7296 1.3.1): one slot per negotiated
 * child, each with its current SA pair and, only while a rekey or its
 * aftermath runs, the rekey's extra pairs (child_rekey). Slots live in a
 * list on the IKE SA, in the order they were negotiated, and move with it
 * to a rekeyed IKE SA (1.3.2).
 */
#ifndef IKEDAEMON_CHILD_SLOT_H
#define IKEDAEMON_CHILD_SLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "proposal.h"
#include "timer.h"
#include "ts.h"

struct dh;
struct ike_sa;

struct child_sa {
	bool cs_installed;
	const struct cfg_child *cs_cfg;
	uint32_t cs_spi_in, cs_spi_out;		/* host order */
	struct prop_sel cs_sel;
	struct ts cs_ts_l[TS_MAX], cs_ts_r[TS_MAX];
	int cs_n_ts_l, cs_n_ts_r;
	uint32_t cs_reqid;
	uint32_t cs_pol[2 * TS_MAX];
	int cs_n_pol;
	bool cs_transport;
	/* responder of a rekey: add the outbound SA only when the old one
	 * is deleted (make before break); child_sa_install() keeps it here
	 */
	bool cs_out_deferred;
	void *cs_out_pending;
};

enum child_state {
	CHILD_QUEUED,		/* to be created by CREATE_CHILD_SA */
	CHILD_AUTH,		/* rides in our IKE_AUTH request */
	CHILD_CREATING,		/* our CREATE_CHILD_SA for it is out */
	CHILD_UP,		/* negotiated (cl_cur may be gone since) */
};

/* What a rekey needs, allocated while one runs (or its SAs linger). */
struct child_rekey {
	struct child_sa rk_new;		/* our rekey in flight */
	struct child_sa rk_old;		/* rekeyed, until deleted */
	/* rekey collisions (2.8.1): the peer's new SA pair while our
	 * rekey of the same CHILD SA is in flight, and the lowest nonce of
	 * the peer's exchange
	 */
	struct child_sa rk_peer;
	uint8_t rk_peer_nmin[256];
	size_t rk_peer_nmin_len;
	struct child_sa rk_dying;	/* deleted, inbound kept a while */
	struct timer rk_dying_timer;
	uint8_t rk_ni[32];		/* our nonce (rekey or creation) */
	struct dh *rk_dh;		/* ... and PFS */
};

struct child_slot {
	struct child_slot *cl_next;
	struct ike_sa *cl_sa;		/* owner, for timers */
	const struct cfg_child *cl_cfg;
	enum child_state cl_state;
	bool cl_rekeying;		/* rk_new is pending */
	bool cl_deleting_old;		/* our delete of rk_old is out */
	bool cl_deleting;		/* our delete of cl_cur is out */
	int cl_invalid_ke;		/* INVALID_KE_PAYLOAD retries */
	uint16_t cl_group;		/* creation: DH group to offer */
	struct child_sa cl_cur;
	struct child_rekey *cl_rk;	/* NULL unless needed */
	struct timer cl_retry_timer;	/* retry of our rekey */
	uint32_t cl_retry_spi;		/* ... of the SA with this SPI_i */
};

#define child_slot_for_each(sl, sa) \
	for ((sl) = (sa)->sa_slots; (sl); (sl) = (sl)->cl_next)

/* A new slot at the end of sa's list; NULL without memory. */
struct child_slot *child_slot_new(struct ike_sa *sa,
				  const struct cfg_child *cc,
				  enum child_state st);
/* sl's rekey state, allocated on first use; NULL without memory. */
struct child_rekey *child_slot_rk(struct child_slot *sl);
/* Unlink and free sl now (nobody else may hold it). */
void child_slot_del(struct ike_sa *sa, struct child_slot *sl);
/* Free rekey states nothing uses any more and slots whose SAs are all
 * gone. Only at the end of an event: no caller may hold a slot.
 */
void child_slot_gc(struct ike_sa *sa);
void child_slot_free_all(struct ike_sa *sa);
/* A rekeyed IKE SA takes over every CHILD SA (1.3.2). */
void child_slot_move_all(struct ike_sa *to, struct ike_sa *from);
struct child_slot *child_slot_find_state(struct ike_sa *sa,
					 enum child_state st);
/* A slot of child cc with an SA installed, being created or queued. */
struct child_slot *child_slot_find_cfg(struct ike_sa *sa,
				       const struct cfg_child *cc);
/* A slot whose rekey or creation is in flight. */
struct child_slot *child_slot_in_flight(struct ike_sa *sa);
/* Its first slot with an installed SA pair. */
struct child_slot *child_slot_first_up(struct ike_sa *sa);
/* Number of slots with an installed SA pair. */
int child_slot_count_up(const struct ike_sa *sa);

#endif
