// SPDX-License-Identifier: GPL-2.0
/*
 * Further CHILD SAs on an established IKE SA: CREATE_CHILD_SA without
 * REKEY_SA (RFC 7296 1.3.1), both ways. Our side queues the children to
 * create (the rest of a connection's start_action = start children after
 * IKE_AUTH, `ikectl up', an acquire for a trapped child) and sends them
 * one exchange at a time (window 1, 2.3). The responder picks the child
 * by traffic selectors as IKE_AUTH does (2.9), with PFS when the child's
 * ESP proposals carry a DH group (1.3.1: KE payload, INVALID_KE_PAYLOAD
 * when the group differs). Refusals name the cause and both sides'
 * values, as in IKE_AUTH.
 */
#include <stdio.h>
#include <string.h>

#include "child_sa.h"
#include "child_slot.h"
#include "crypto.h"
#include "dh.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_child.h"
#include "ikev2_exch.h"
#include "ikev2_msg.h"
#include "kernel.h"
#include "log.h"

#define CHILD_KICK_MS	200	/* ms between tries while the IKE SA is busy */

static void put_spi(uint8_t *p, uint32_t spi)
{
	p[0] = spi >> 24;
	p[1] = (spi >> 16) & 0xff;
	p[2] = (spi >> 8) & 0xff;
	p[3] = spi & 0xff;
}

int ikev2_child_queue(struct ike_sa *sa, const struct cfg_child *cc)
{
	if (!cc || child_slot_find_cfg(sa, cc) ||
	    (sa->sa_state < IKE_S_ESTABLISHED && sa->sa_initiator &&
	     sa->sa_child_cfg == cc))
		return 0;
	if (!child_slot_new(sa, cc, CHILD_QUEUED))
		return 0;
	log_info(LOG_CHD, "%s: CHILD SA %s queued for CREATE_CHILD_SA",
		 ike_sa_name(sa), cc->name);
	ikev2_child_kick(sa);
	return 1;
}

int ikev2_child_queue_conn(struct ike_sa *sa, bool start_only)
{
	const struct cfg_conn *c = sa->sa_conn;
	int i, n = 0;

	for (i = 0; c && i < c->n_children; i++)
		if (!start_only ||
		    c->children[i].start_action == CFG_START_START)
			n += ikev2_child_queue(sa, &c->children[i]);
	return n;
}

/* Our CREATE_CHILD_SA for sl (1.3.1): SA, Ni, [KEi], TSi, TSr. */
static int create_send(struct ike_sa *sa, struct child_slot *sl)
{
	const struct cfg_child *cc = sl->cl_cfg;
	struct child_sa *cs = &sl->cl_cur;
	struct prop props[CFG_MAX_PROPOSALS];
	struct child_rekey *rk = child_slot_rk(sl);
	struct pld_builder pb;
	struct buf plds;
	uint16_t group;
	int n, ret = -1;

	if (!rk)
		return -1;
	memset(cs, 0, sizeof(*cs));
	cs->cs_cfg = cc;
	cs->cs_transport = cc->mode == CFG_MODE_TRANSPORT;
	if (kernel_spi_alloc(&cs->cs_spi_in)) {
		log_warnx(LOG_KNL, "%s: no inbound SPI from ikesec for CHILD "
			  "SA %s", ike_sa_name(sa), cc->name);
		return -1;
	}
	group = sl->cl_group ? sl->cl_group : ikev2_child_pfs_group(cc);
	dh_free(rk->rk_dh);
	rk->rk_dh = group ? dh_new(group) : NULL;
	if (group && !rk->rk_dh)
		return -1;
	crypto_random(rk->rk_ni, sizeof(rk->rk_ni));
	ikev2_child_esp_props(cc, cs->cs_spi_in, true, props, &n);
	cs->cs_n_ts_l = ts_from_cfg(cc->local_ts, cc->n_local_ts,
				    &sa->sa_local, cs->cs_ts_l, TS_MAX);
	cs->cs_n_ts_r = ts_from_cfg(cc->remote_ts, cc->n_remote_ts,
				    &sa->sa_peer, cs->cs_ts_r, TS_MAX);
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	ikev2_child_add_request(&pb, cs, props, n, rk);
	if (!plds.err && !ikev2_msg_request(sa, IKEV2_EXCH_CREATE_CHILD_SA,
					    &plds, pb.first)) {
		sl->cl_state = CHILD_CREATING;
		if (group)
			log_info(LOG_CHD, "%s: creating CHILD SA %s (%08x_i), "
				 "PFS with DH group %u", ike_sa_name(sa),
				 cc->name, cs->cs_spi_in, group);
		else
			log_info(LOG_CHD, "%s: creating CHILD SA %s (%08x_i)",
				 ike_sa_name(sa), cc->name, cs->cs_spi_in);
		ret = 0;
	}
	buf_free(&plds);
	return ret;
}

/* sa's next queued child, once nothing else is in flight. */
static void create_next(void *arg)
{
	struct ike_sa *sa = arg;
	struct child_slot *sl, *next;

	if (sa->sa_state != IKE_S_ESTABLISHED || sa->sa_rekeyed)
		return;		/* kicked again once established */
	for (sl = sa->sa_slots; sl; sl = next) {
		next = sl->cl_next;
		if (sl->cl_state != CHILD_QUEUED)
			continue;
		sl->cl_state = CHILD_UP;	/* not found by itself */
		if (child_slot_find_cfg(sa, sl->cl_cfg)) {
			log_info(LOG_CHD, "%s: CHILD SA %s is up already",
				 ike_sa_name(sa), sl->cl_cfg->name);
			child_slot_del(sa, sl);
		} else {
			sl->cl_state = CHILD_QUEUED;
		}
	}
	sl = child_slot_find_state(sa, CHILD_QUEUED);
	if (!sl)
		return;
	if (sa->sa_req_pending || sa->sa_ike_rekeying ||
	    child_slot_in_flight(sa)) {
		timer_add(&sa->sa_child_timer, CHILD_KICK_MS);
		return;
	}
	if (create_send(sa, sl)) {
		ike_diag(sa, NULL, LOG_CHD, "%s: CHILD SA %s: CREATE_CHILD_SA "
			 "could not be sent", ike_sa_name(sa),
			 sl->cl_cfg->name);
		child_slot_del(sa, sl);
		ikev2_child_kick(sa);
	}
}

void ikev2_child_kick(struct ike_sa *sa)
{
	if (!child_slot_find_state(sa, CHILD_QUEUED))
		return;
	timer_del(&sa->sa_child_timer);	/* may be armed (busy retry) */
	timer_set(&sa->sa_child_timer, create_next, sa);
	timer_add(&sa->sa_child_timer, 0);
}

/* PFS as configured or not at all (1.3.1, 3.4): a KE payload for a child
 * without PFS, or none for one with it (want: our group, 0 for none), is
 * NO_PROPOSAL_CHOSEN. 0, or answered.
 */
static int check_pfs(struct ike_sa *sa, struct ikev2_msg *msg,
		     const struct cfg_child *cc, uint16_t want)
{
	uint16_t group = 0;
	const uint8_t *ke;
	size_t len;

	if (msg->pl.ke.p)
		pld_ke(&msg->pl.ke, &group, &ke, &len);
	if (!want && msg->pl.ke.p) {
		ike_diag(sa, NULL, LOG_CHD, "%s: NO_PROPOSAL_CHOSEN for new "
			 "CHILD SA %s: peer sent a KE payload (DH group %u), "
			 "child %s has no PFS (esp_proposals %s)",
			 ike_sa_name(sa), cc->name, group,
			 cc->name, cc->esp_proposals[0].text);
		ikev2_child_answer(sa, msg, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL,
				   0);
		return -1;
	}
	if (want && !msg->pl.ke.p) {
		ike_diag(sa, NULL, LOG_CHD, "%s: NO_PROPOSAL_CHOSEN for new "
			 "CHILD SA %s: no KE payload, child %s wants PFS with "
			 "DH group %u", ike_sa_name(sa), cc->name, cc->name,
			 want);
		ikev2_child_answer(sa, msg, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL,
				   0);
		return -1;
	}
	return 0;	/* another group: INVALID_KE_PAYLOAD, by ikev2_child_dh() */
}

void ikev2_child_new_request(struct ike_sa *sa, struct ikev2_msg *msg,
			     struct prop *props, int np)
{
	uint8_t nr[IKEV2_NONCE_LEN], shared[DH_MAX_SECRET], pub[DH_MAX_PUB];
	struct ts tsi[TS_MAX], tsr[TS_MAX];
	const struct cfg_child *cc;
	struct child_slot *sl;
	struct pld_builder pb;
	struct child_keys ck;
	struct child_sa *cs;
	struct prop resp;
	struct notify n;
	struct buf plds;
	char why[1024];
	size_t slen = 0;
	int ni, nt, bad;

	if (!msg->pl.sa.p || !msg->pl.nonce.p || !msg->pl.tsi.p ||
	    !msg->pl.tsr.p) {
		log_warnx(LOG_CHD, "%s: CREATE_CHILD_SA request lacks %s",
			  ike_sa_name(sa), !msg->pl.sa.p ? "SA" :
			  !msg->pl.nonce.p ? "Ni" : "TSi/TSr");
		ikev2_child_answer(sa, msg, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	if (sa->sa_ike_rekeying || sa->sa_rekeyed) {
		log_info(LOG_CHD, "%s: new CHILD SA while the IKE SA is "
			 "rekeyed: TEMPORARY_FAILURE", ike_sa_name(sa));
		ikev2_child_answer(sa, msg, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	sl = child_slot_new(sa, NULL, CHILD_UP);
	if (!sl) {
		ikev2_child_answer(sa, msg, IKEV2_N_NO_ADDITIONAL_SAS, NULL, 0);
		return;
	}
	cs = &sl->cl_cur;
	pld_ts(&msg->pl.tsi, tsi, TS_MAX, &ni);
	pld_ts(&msg->pl.tsr, tsr, TS_MAX, &nt);
	cc = ikev2_child_pick(sa, tsi, ni, tsr, nt, cs, true);
	if (!cc) {
		ikev2_child_answer(sa, msg, IKEV2_N_TS_UNACCEPTABLE, NULL, 0);
		goto fail;
	}
	sl->cl_cfg = cc;
	cs->cs_cfg = cc;
	bad = proposal_select(props, np, cc->esp_proposals,
			      cc->n_esp_proposals, IKEV2_PROTO_ESP, false,
			      &cs->cs_sel, why, sizeof(why));
	if (bad || cs->cs_sel.spi_size != 4) {
		/* only PFS differs: say that rather than list transforms */
		if (bad && !proposal_select(props, np, cc->esp_proposals,
					    cc->n_esp_proposals,
					    IKEV2_PROTO_ESP, true,
					    &cs->cs_sel, NULL, 0) &&
		    check_pfs(sa, msg, cc, ikev2_child_pfs_group(cc)))
			goto fail;
		ike_diag(sa, NULL, LOG_CHD, "%s: NO_PROPOSAL_CHOSEN for new "
			 "CHILD SA %s: %s", ike_sa_name(sa), cc->name,
			 bad ? why : "ESP SPI size not 4");
		ikev2_child_answer(sa, msg, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL,
				   0);
		goto fail;
	}
	if (check_pfs(sa, msg, cc, cs->cs_sel.has_dh ? cs->cs_sel.dh : 0))
		goto fail;
	cs->cs_spi_out = get32(cs->cs_sel.spi);
	cs->cs_transport = cc->mode == CFG_MODE_TRANSPORT &&
		pld_find_notify(&msg->pl, IKEV2_N_USE_TRANSPORT_MODE, &n);
	crypto_random(nr, sizeof(nr));
	if (cs->cs_sel.has_dh && cs->cs_sel.dh &&
	    ikev2_child_dh(sa, msg, cc, cs->cs_sel.dh, shared, &slen, pub))
		goto fail;
	ck = (struct child_keys){ msg->pl.nonce.p, nr, shared,
				  msg->pl.nonce.len, sizeof(nr), slen, false };
	if (kernel_spi_alloc(&cs->cs_spi_in) ||
	    child_sa_install(sa, cs, &ck, false)) {
		log_warnx(LOG_KNL, "%s: CHILD SA %s not installed, refusing it",
			  ike_sa_name(sa), cc->name);
		ikev2_child_answer(sa, msg, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL,
				   0);
		goto fail;
	}
	put_spi(cs->cs_sel.spi, cs->cs_spi_in);
	proposal_from_sel(&cs->cs_sel, &resp);
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	if (cs->cs_transport)
		pld_add_notify(&pb, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE,
			       NULL, 0);
	pld_add_sa(&pb, &resp, 1);
	pld_add_nonce(&pb, nr, sizeof(nr));
	if (slen)
		pld_add_ke(&pb, cs->cs_sel.dh, pub,
			   dh_pub_len(cs->cs_sel.dh));
	pld_add_ts(&pb, IKEV2_PLD_TSI, cs->cs_ts_r, cs->cs_n_ts_r);
	pld_add_ts(&pb, IKEV2_PLD_TSR, cs->cs_ts_l, cs->cs_n_ts_l);
	ikev2_msg_respond(sa, msg, &plds, pb.first);
	buf_free(&plds);
	goto out;
fail:
	child_slot_del(sa, sl);
out:
	crypto_wipe(shared, sizeof(shared));
	crypto_wipe(nr, sizeof(nr));
}

/* The peer refused our new CHILD SA; INVALID_KE_PAYLOAD is retried once
 * with the group it asks for if we offer it (1.3.1 / 1.2).
 */
static void create_refused(struct ike_sa *sa, struct child_slot *sl,
			   const struct notify *n)
{
	const struct cfg_child *cc = sl->cl_cfg;
	struct child_sa *cs = &sl->cl_cur;
	char a[256], b[256];
	uint16_t g;

	switch (n->type) {
	case IKEV2_N_INVALID_KE_PAYLOAD:
		g = n->len == 2 ? (uint16_t)(n->data[0] << 8 | n->data[1]) : 0;
		if (g && sl->cl_invalid_ke < IKE_MAX_INVALID_KE &&
		    proposal_has_dh(cc->esp_proposals, cc->n_esp_proposals,
				    g)) {
			log_info(LOG_CHD, "%s: peer wants DH group %u for "
				 "CHILD SA %s (INVALID_KE_PAYLOAD), retrying",
				 ike_sa_name(sa), g, cc->name);
			sl->cl_invalid_ke++;
			sl->cl_group = g;
			sl->cl_state = CHILD_QUEUED;
			return;
		}
		ike_diag(sa, NULL, LOG_CHD, "%s: peer refused CHILD SA %s: "
			 "INVALID_KE_PAYLOAD, it wants DH group %u; we "
			 "propose %s", ike_sa_name(sa), cc->name,
			 g, cc->esp_proposals[0].text);
		return;
	case IKEV2_N_TS_UNACCEPTABLE:
		ts_format_list(cs->cs_ts_l, cs->cs_n_ts_l, a, sizeof(a));
		ts_format_list(cs->cs_ts_r, cs->cs_n_ts_r, b, sizeof(b));
		ike_diag(sa, NULL, LOG_CHD, "%s: peer refused CHILD SA %s: "
			 "TS_UNACCEPTABLE; we proposed TSi %s TSr %s",
			 ike_sa_name(sa), cc->name, a, b);
		return;
	case IKEV2_N_NO_PROPOSAL_CHOSEN:
		ike_diag(sa, NULL, LOG_CHD, "%s: peer refused CHILD SA %s: "
			 "NO_PROPOSAL_CHOSEN; we proposed %s",
			 ike_sa_name(sa), cc->name,
			 cc->esp_proposals[0].text);
		return;
	}
	ike_diag(sa, NULL, LOG_CHD, "%s: peer refused CHILD SA %s: %s (%u)",
		 ike_sa_name(sa), cc->name, ikev2_notify_name(n->type),
		 n->type);
}

void ikev2_child_new_response(struct ike_sa *sa, struct child_slot *sl,
			      struct ikev2_msg *msg)
{
	const struct cfg_child *cc = sl->cl_cfg;
	struct child_sa *cs = &sl->cl_cur;
	uint8_t shared[DH_MAX_SECRET];
	char what[128];
	struct notify n;
	size_t slen = 0;

	sl->cl_state = CHILD_UP;
	if (pld_find_error(&msg->pl, &n)) {
		create_refused(sa, sl, &n);
		return;
	}
	snprintf(what, sizeof(what), "CHILD SA %s", cc->name);
	if (ikev2_child_check_answer(sa, msg, cs, sl->cl_rk, what, shared,
				     &slen) ||
	    ikev2_child_check_ts(sa, msg, cs, what))
		goto out;
	child_sa_install(sa, cs, &(struct child_keys){ sl->cl_rk->rk_ni,
			 msg->pl.nonce.p, shared, sizeof(sl->cl_rk->rk_ni),
			 msg->pl.nonce.len, slen, true }, false);
out:
	crypto_wipe(shared, sizeof(shared));
}

int ikev2_child_delete(struct ike_sa *sa, struct child_slot *sl)
{
	if (!sl->cl_cur.cs_installed || sl->cl_deleting)
		return -1;
	if (sa->sa_state != IKE_S_ESTABLISHED || sa->sa_req_pending ||
	    sl->cl_rekeying || sl->cl_deleting_old ||
	    (sl->cl_rk && (sl->cl_rk->rk_old.cs_installed ||
			   sl->cl_rk->rk_peer.cs_installed)))
		return -1;
	if (ikev2_child_send_delete(sa, sl->cl_cur.cs_spi_in))
		return -1;
	sl->cl_deleting = true;
	log_info(LOG_CHD, "%s: deleting CHILD SA %s (%08x_i %08x_o)",
		 ike_sa_name(sa), sl->cl_cfg ? sl->cl_cfg->name : "?",
		 sl->cl_cur.cs_spi_in, sl->cl_cur.cs_spi_out);
	return 0;
}
