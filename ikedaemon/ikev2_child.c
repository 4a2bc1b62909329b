// SPDX-License-Identifier: GPL-2.0
/*
 * CHILD SA exchanges: the ESP SA pair negotiated inside IKE_AUTH (RFC 7296
 * 1.2) and rekeyed with CREATE_CHILD_SA (1.3.3) either way, traffic
 * selector narrowing (2.9). Refusals name the cause and both sides'
 * values: proposals for NO_PROPOSAL_CHOSEN, selectors for TS_UNACCEPTABLE.
 * Installation into the module is child_sa.c's.
 *
 * A rekey is make before break: the responder installs the new inbound
 * SA before answering and its outbound one only when the initiator
 * deletes the old pair (the initiator has the new inbound SA by then);
 * the initiator switches outbound on the answer. A deleted SA's inbound
 * half stays CHILD_GRACE_MS for packets in flight. Both ends rekeying
 * the same CHILD SA at once (2.8.1): the exchange with the lowest nonce
 * loses and its initiator deletes what it made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ikesec.h>

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
#include "net.h"

static void recv_auth(struct ike_sa *sa, struct child_sa *cs,
		      struct ikev2_msg *msg);

void ikev2_child_esp_props(const struct cfg_child *cc, uint32_t spi,
			   bool pfs, struct prop *props, int *n)
{
	uint8_t s[4] = { spi >> 24, (spi >> 16) & 0xff, (spi >> 8) & 0xff,
			 spi & 0xff };
	int i, j, k;

	for (i = 0; i < cc->n_esp_proposals; i++) {
		proposal_from_cfg(&cc->esp_proposals[i], IKEV2_PROTO_ESP,
				  (uint8_t)(i + 1), s, 4, &props[i]);
		/* no DH in IKE_AUTH: PFS applies to rekeys only (1.2) */
		for (j = k = 0; j < props[i].n_xf; j++)
			if (pfs || props[i].xf[j].type != IKEV2_XF_DH)
				props[i].xf[k++] = props[i].xf[j];
		props[i].n_xf = k;
	}
	*n = cc->n_esp_proposals;
}

int ikev2_child_request(struct ike_sa *sa, struct pld_builder *pb)
{
	const struct cfg_child *cc = sa->sa_child_cfg;
	struct child_slot *sl = child_slot_find_state(sa, CHILD_AUTH);
	struct prop props[CFG_MAX_PROPOSALS];
	struct child_sa *cs;
	int n;

	if (!sl)
		sl = child_slot_new(sa, cc, CHILD_AUTH);
	if (!sl)
		return -1;
	cs = &sl->cl_cur;
	memset(cs, 0, sizeof(*cs));
	cs->cs_cfg = cc;
	cs->cs_transport = cc->mode == CFG_MODE_TRANSPORT;
	if (kernel_spi_alloc(&cs->cs_spi_in)) {
		/* negotiate anyway: the log says why nothing is installed */
		do {
			crypto_random(&cs->cs_spi_in, sizeof(cs->cs_spi_in));
		} while (cs->cs_spi_in < 256);
		log_warnx(LOG_KNL, "%s: no inbound SPI from ikesec for CHILD "
			  "SA %s, using %08x (it cannot be installed)",
			  ike_sa_name(sa), cc->name, cs->cs_spi_in);
	}
	ikev2_child_esp_props(cc, cs->cs_spi_in, false, props, &n);
	cs->cs_n_ts_l = ts_from_cfg(cc->local_ts, cc->n_local_ts,
				    &sa->sa_local, cs->cs_ts_l, TS_MAX);
	cs->cs_n_ts_r = ts_from_cfg(cc->remote_ts, cc->n_remote_ts,
				    &sa->sa_peer, cs->cs_ts_r, TS_MAX);
	if (cs->cs_transport)
		pld_add_notify(pb, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE,
			       NULL, 0);
	pld_add_sa(pb, props, n);
	pld_add_ts(pb, IKEV2_PLD_TSI, cs->cs_ts_l, cs->cs_n_ts_l);
	pld_add_ts(pb, IKEV2_PLD_TSR, cs->cs_ts_r, cs->cs_n_ts_r);
	return 0;
}

/* Responder: which child, by traffic selectors (first that fits). The
 * refusal names the first child's selectors (IKE_AUTH) or, for a further
 * CHILD SA, every child's.
 */
const struct cfg_child *ikev2_child_pick(struct ike_sa *sa,
					 const struct ts *tsi, int n_tsi,
					 const struct ts *tsr, int n_tsr,
					 struct child_sa *cs, bool more)
{
	const struct cfg_conn *c = sa->sa_conn;
	struct ts cl[TS_MAX], cr[TS_MAX];
	char pi[256], pr[256], l[256], r[256], all[768];
	size_t off;
	int i, nl, nr;

	for (i = 0; i < c->n_children; i++) {
		const struct cfg_child *cc = &c->children[i];

		nl = ts_from_cfg(cc->local_ts, cc->n_local_ts, &sa->sa_local,
				 cl, TS_MAX);
		nr = ts_from_cfg(cc->remote_ts, cc->n_remote_ts, &sa->sa_peer,
				 cr, TS_MAX);
		cs->cs_n_ts_r = ts_narrow(tsi, n_tsi, cr, nr, cs->cs_ts_r,
					  TS_MAX);
		cs->cs_n_ts_l = ts_narrow(tsr, n_tsr, cl, nl, cs->cs_ts_l,
					  TS_MAX);
		if (cs->cs_n_ts_l && cs->cs_n_ts_r)
			return cc;
	}
	ts_format_list(tsi, n_tsi, pi, sizeof(pi));
	ts_format_list(tsr, n_tsr, pr, sizeof(pr));
	for (i = off = 0; i < c->n_children && (more || i < 1); i++) {
		const struct cfg_child *cc = &c->children[i];

		nl = ts_from_cfg(cc->local_ts, cc->n_local_ts, &sa->sa_local,
				 cl, TS_MAX);
		nr = ts_from_cfg(cc->remote_ts, cc->n_remote_ts, &sa->sa_peer,
				 cr, TS_MAX);
		ts_format_list(cl, nl, l, sizeof(l));
		ts_format_list(cr, nr, r, sizeof(r));
		if (off < sizeof(all))
			off += snprintf(all + off, sizeof(all) - off,
					"%schild %s allows remote %s local %s",
					i ? "; " : "", cc->name, r, l);
	}
	if (c->n_children)
		ike_diag(sa, NULL, LOG_CHD, "%s: TS_UNACCEPTABLE%s: peer "
			 "proposed TSi %s TSr %s; %s", ike_sa_name(sa), more ?
			 " for a new CHILD SA" : "", pi, pr, all);
	if (!c->n_children)
		ike_diag(sa, NULL, LOG_CHD, "%s: TS_UNACCEPTABLE: peer proposed TSi %s "
			  "TSr %s; connection %s has no children",
			  ike_sa_name(sa), pi, pr, c->name);
	return NULL;
}

static void put_spi_be(uint8_t *p, uint32_t spi)
{
	p[0] = spi >> 24;
	p[1] = (spi >> 16) & 0xff;
	p[2] = (spi >> 8) & 0xff;
	p[3] = spi & 0xff;
}

static void refuse(struct pld_builder *pb, uint16_t type)
{
	pld_add_notify(pb, 0, NULL, 0, type, NULL, 0);
}

void ikev2_child_respond(struct ike_sa *sa, struct ikev2_msg *msg,
			 struct pld_builder *pb)
{
	struct prop props[PROP_MAX], resp;
	struct ts tsi[TS_MAX], tsr[TS_MAX];
	const struct cfg_child *cc;
	struct child_slot *sl;
	struct child_keys ck;
	struct child_sa *cs;
	char why[1024];
	struct notify n;
	int np, ni, nr;

	if (!msg->pl.sa.p || !msg->pl.tsi.p || !msg->pl.tsr.p) {
		log_info(LOG_CHD, "%s: no CHILD SA requested",
			 ike_sa_name(sa));
		return;
	}
	sl = child_slot_new(sa, NULL, CHILD_UP);
	if (!sl) {
		refuse(pb, IKEV2_N_NO_ADDITIONAL_SAS);
		return;
	}
	cs = &sl->cl_cur;
	pld_sa(&msg->pl.sa, props, PROP_MAX, &np);
	pld_ts(&msg->pl.tsi, tsi, TS_MAX, &ni);
	pld_ts(&msg->pl.tsr, tsr, TS_MAX, &nr);
	cc = ikev2_child_pick(sa, tsi, ni, tsr, nr, cs, false);
	if (!cc) {
		refuse(pb, IKEV2_N_TS_UNACCEPTABLE);
		goto fail;
	}
	sl->cl_cfg = cc;
	cs->cs_cfg = cc;
	if (proposal_select(props, np, cc->esp_proposals, cc->n_esp_proposals,
			    IKEV2_PROTO_ESP, true, &cs->cs_sel, why,
			    sizeof(why))) {
		ike_diag(sa, NULL, LOG_CHD, "%s: NO_PROPOSAL_CHOSEN for CHILD SA %s: %s",
			  ike_sa_name(sa), cc->name, why);
		refuse(pb, IKEV2_N_NO_PROPOSAL_CHOSEN);
		goto fail;
	}
	if (cs->cs_sel.spi_size != 4) {
		log_warnx(LOG_ENC, "%s: ESP proposal with SPI size %u",
			  ike_sa_name(sa), cs->cs_sel.spi_size);
		refuse(pb, IKEV2_N_NO_PROPOSAL_CHOSEN);
		goto fail;
	}
	cs->cs_spi_out = get32(cs->cs_sel.spi);
	cs->cs_transport = cc->mode == CFG_MODE_TRANSPORT &&
		pld_find_notify(&msg->pl, IKEV2_N_USE_TRANSPORT_MODE, &n);
	ck = (struct child_keys){ sa->sa_ni, sa->sa_nr, NULL, sa->sa_ni_len,
				  sa->sa_nr_len, 0, false };
	if (kernel_spi_alloc(&cs->cs_spi_in) || child_sa_install(sa, cs, &ck,
							      false)) {
		log_warnx(LOG_KNL, "%s: CHILD SA %s not installed, refusing it",
			  ike_sa_name(sa), cc->name);
		refuse(pb, IKEV2_N_NO_PROPOSAL_CHOSEN);
		goto fail;
	}
	cs->cs_sel.spi[0] = cs->cs_spi_in >> 24;
	cs->cs_sel.spi[1] = (cs->cs_spi_in >> 16) & 0xff;
	cs->cs_sel.spi[2] = (cs->cs_spi_in >> 8) & 0xff;
	cs->cs_sel.spi[3] = cs->cs_spi_in & 0xff;
	proposal_from_sel(&cs->cs_sel, &resp);
	if (cs->cs_transport)
		pld_add_notify(pb, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE,
			       NULL, 0);
	pld_add_sa(pb, &resp, 1);
	pld_add_ts(pb, IKEV2_PLD_TSI, cs->cs_ts_r, cs->cs_n_ts_r);
	pld_add_ts(pb, IKEV2_PLD_TSR, cs->cs_ts_l, cs->cs_n_ts_l);
	return;
fail:
	child_slot_del(sa, sl);
}

void ikev2_child_recv_auth(struct ike_sa *sa, struct ikev2_msg *msg)
{
	struct child_slot *sl = child_slot_find_state(sa, CHILD_AUTH);

	if (!sl)
		return;
	sl->cl_state = CHILD_UP;
	if (sl->cl_cur.cs_cfg)
		recv_auth(sa, &sl->cl_cur, msg);
	child_slot_gc(sa);
	ikev2_child_kick(sa);
}

static void recv_auth(struct ike_sa *sa, struct child_sa *cs,
		      struct ikev2_msg *msg)
{
	const struct cfg_child *cc = cs->cs_cfg;
	char what[128], a[256], b[256];
	struct notify n;
	size_t slen;

	if (pld_find_error(&msg->pl, &n)) {
		ts_format_list(cs->cs_ts_l, cs->cs_n_ts_l, a, sizeof(a));
		ts_format_list(cs->cs_ts_r, cs->cs_n_ts_r, b, sizeof(b));
		if (n.type == IKEV2_N_TS_UNACCEPTABLE)
			ike_diag(sa, NULL, LOG_CHD, "%s: peer refused CHILD SA %s: "
				  "TS_UNACCEPTABLE; we proposed TSi %s TSr %s",
				  ike_sa_name(sa), cc->name, a, b);
		else if (n.type == IKEV2_N_NO_PROPOSAL_CHOSEN)
			ike_diag(sa, NULL, LOG_CHD, "%s: peer refused CHILD SA %s: "
				  "NO_PROPOSAL_CHOSEN; we proposed %s",
				  ike_sa_name(sa), cc->name,
				  cc->n_esp_proposals ?
				  cc->esp_proposals[0].text : "nothing");
		else
			ike_diag(sa, NULL, LOG_CHD, "%s: peer refused CHILD SA %s: %s "
				  "(%u)", ike_sa_name(sa), cc->name,
				  ikev2_notify_name(n.type), n.type);
		return;
	}
	if (!msg->pl.sa.p || !msg->pl.tsi.p || !msg->pl.tsr.p) {
		ike_diag(sa, NULL, LOG_CHD, "%s: IKE_AUTH response without CHILD SA",
			  ike_sa_name(sa));
		return;
	}
	snprintf(what, sizeof(what), "CHILD SA %s", cc->name);
	if (ikev2_child_check_answer(sa, msg, cs, NULL, what, NULL, &slen) ||
	    ikev2_child_check_ts(sa, msg, cs, what))
		return;
	child_sa_install(sa, cs, &(struct child_keys){ sa->sa_ni, sa->sa_nr,
		      NULL, sa->sa_ni_len, sa->sa_nr_len, 0, true }, false);
}

void ikev2_child_answer(struct ike_sa *sa, struct ikev2_msg *msg,
			uint16_t type, const uint8_t *data, size_t len)
{
	struct pld_builder pb;
	struct buf plds;

	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	pld_add_notify(&pb, 0, NULL, 0, type, data, len);
	ikev2_msg_respond(sa, msg, &plds, pb.first);
	buf_free(&plds);
}

/* PFS of a rekey or a new CHILD SA (1.3.1): g^ir into shared, our public
 * value into pub. A KE payload for another group than the one selected
 * gets INVALID_KE_PAYLOAD naming ours (1.3.1: the peer retries with it);
 * answers the request itself when it fails.
 */
int ikev2_child_dh(struct ike_sa *sa, struct ikev2_msg *msg,
		   const struct cfg_child *cc, uint16_t want,
		   uint8_t *shared, size_t *slen, uint8_t *pub)
{
	uint8_t grp[2] = { want >> 8, want & 0xff };
	const uint8_t *ke;
	const char *why;
	struct dh *dh;
	uint16_t group = 0;
	size_t len;
	int ret = -1;

	if (!msg->pl.ke.p || (pld_ke(&msg->pl.ke, &group, &ke, &len),
			      group != want)) {
		log_info(LOG_CHD, "%s: CHILD SA %s with PFS: KE payload for DH "
			 "group %u, selected group %u: INVALID_KE_PAYLOAD",
			 ike_sa_name(sa), cc->name, group, want);
		ikev2_child_answer(sa, msg, IKEV2_N_INVALID_KE_PAYLOAD, grp, 2);
		return -1;
	}
	dh = dh_new(want);
	if (!dh)
		return -1;
	if (dh_derive(dh, ke, len, shared, slen, &why)) {
		log_warnx(LOG_ENC, "%s: CHILD SA %s: KE payload for DH group "
			  "%u rejected: %s", ike_sa_name(sa), cc->name, want,
			  why);
	} else if (!dh_public(dh, pub, dh_pub_len(want))) {
		ret = 0;
	}
	dh_free(dh);
	if (ret)
		ikev2_child_answer(sa, msg, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	return ret;
}


/* Is a rekey of this CHILD SA, or its aftermath, under way? */
static bool slot_busy(const struct child_slot *sl)
{
	const struct child_rekey *rk = sl->cl_rk;

	return sl->cl_rekeying || sl->cl_state == CHILD_CREATING ||
	       sl->cl_cur.cs_out_pending ||
	       (rk && (rk->rk_old.cs_installed || rk->rk_peer.cs_installed));
}

/* Is a CHILD SA rekey of sa, or its aftermath, under way? */
static bool children_busy(struct ike_sa *sa)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa)
		if (slot_busy(sl))
			return true;
	return false;
}

bool ikev2_child_busy(struct ike_sa *sa)
{
	return child_slot_in_flight(sa) != NULL;
}

int ikev2_child_nonce_cmp(const uint8_t *a, size_t alen, const uint8_t *b,
			  size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* The lower of an exchange's two nonces. */
static void nonce_min(const uint8_t *a, size_t alen, const uint8_t *b,
		      size_t blen, const uint8_t **m, size_t *mlen)
{
	bool first = ikev2_child_nonce_cmp(a, alen, b, blen) <= 0;

	*m = first ? a : b;
	*mlen = first ? alen : blen;
}

/* Packets the peer sent before it saw the delete may still come: the
 * inbound SA of a deleted pair stays CHILD_GRACE_MS, the outbound goes.
 */
static void dying_drop(struct child_slot *sl)
{
	struct ike_sa *sa = sl->cl_sa;
	struct child_sa *cs;

	if (!sl->cl_rk || !sl->cl_rk->rk_dying.cs_installed)
		return;
	cs = &sl->cl_rk->rk_dying;
	kernel_sa_del(IKESEC_DIR_IN, cs->cs_spi_in, &sa->sa_peer);
	log_info(LOG_CHD, "%s: CHILD SA %s removed (SPIs %08x_i %08x_o)",
		 ike_sa_name(sa), cs->cs_cfg ? cs->cs_cfg->name : "?",
		 cs->cs_spi_in, cs->cs_spi_out);
	memset(cs, 0, sizeof(*cs));
}

static void dying_expired(void *arg)
{
	struct child_slot *sl = arg;
	struct ike_sa *sa = sl->cl_sa;

	dying_drop(sl);
	child_slot_gc(sa);
}

/* Retire cs, one of sl's pairs; with its rekey state at hand (rk). */
static void retire(struct child_slot *sl, struct child_sa *cs)
{
	struct ike_sa *sa = sl->cl_sa;
	struct child_rekey *rk;

	if (!cs->cs_installed)
		return;
	rk = child_slot_rk(sl);
	if (cs->cs_n_pol || !rk) {	/* still routed: no grace */
		child_sa_uninstall(sa, cs);
		return;
	}
	timer_del(&rk->rk_dying_timer);
	dying_drop(sl);
	if (!child_sa_out_drop(cs))
		kernel_sa_del(IKESEC_DIR_OUT, cs->cs_spi_out, &sa->sa_peer);
	rk->rk_dying = *cs;
	memset(cs, 0, sizeof(*cs));
	timer_set(&rk->rk_dying_timer, dying_expired, sl);
	timer_add(&rk->rk_dying_timer, CHILD_GRACE_MS);
	log_debug(LOG_CHD, "%s: CHILD SA %08x_i kept %d ms for packets in "
		  "flight", ike_sa_name(sa), rk->rk_dying.cs_spi_in,
		  CHILD_GRACE_MS);
}

void ikev2_child_drop_all(struct ike_sa *sa)
{
	struct child_slot *sl;

	timer_del(&sa->sa_child_timer);
	child_slot_for_each(sl, sa) {
		timer_del(&sl->cl_retry_timer);
		if (!sl->cl_rk)
			continue;
		timer_del(&sl->cl_rk->rk_dying_timer);
		dying_drop(sl);
		child_sa_uninstall(sa, &sl->cl_rk->rk_peer);
		child_sa_out_drop(&sl->cl_rk->rk_peer);
		child_sa_out_drop(&sl->cl_rk->rk_new);
	}
}

/* The policies lead to the SAs of their reqid: they move with it. */
static void move_policies(struct child_sa *to, struct child_sa *from)
{
	memcpy(to->cs_pol, from->cs_pol, sizeof(to->cs_pol));
	to->cs_n_pol = from->cs_n_pol;
	from->cs_n_pol = 0;
}

/* Switch outbound to cs's SA if it waits for it; logged. */
static void switch_out(struct ike_sa *sa, struct child_sa *cs)
{
	if (!cs->cs_out_pending)
		return;
	if (!child_sa_install_out(sa, cs))
		log_info(LOG_CHD, "%s: CHILD SA %s: outbound now %08x_o",
			 ike_sa_name(sa), cs->cs_cfg ? cs->cs_cfg->name : "?",
			 cs->cs_spi_out);
}

static int peer_delete(struct child_slot *sl, uint32_t spi_out,
		       uint32_t *spi_in)
{
	struct ike_sa *sa = sl->cl_sa;
	struct child_sa *cur = &sl->cl_cur, *old, *peer;

	if (sl->cl_deleting && cur->cs_installed &&
	    cur->cs_spi_out == spi_out) {
		/* our deletes cross (1.4.1): it goes now, and the answer
		 * MUST NOT carry a Delete for it
		 */
		log_info(LOG_CHD, "%s: peer deletes CHILD SA %s %08x_o as we "
			 "do (1.4.1): removed, no Delete in the answer",
			 ike_sa_name(sa), cur->cs_cfg ? cur->cs_cfg->name :
			 "?", spi_out);
		child_sa_uninstall(sa, cur);
		return 1;
	}
	if (!sl->cl_rk)
		return -1;
	old = &sl->cl_rk->rk_old;
	peer = &sl->cl_rk->rk_peer;
	if (peer->cs_installed && peer->cs_spi_out == spi_out) {
		/* the peer lost the collision and deletes its SA pair */
		log_info(LOG_CHD, "%s: peer deleted its redundant CHILD SA "
			 "%08x_o of the rekey collision", ike_sa_name(sa),
			 spi_out);
		*spi_in = peer->cs_spi_in;
		retire(sl, peer);
		return 0;
	}
	if (old->cs_installed && old->cs_spi_out == spi_out) {
		/* the rekey's initiator deletes the old pair: our turn to
		 * send on the new one (make before break)
		 */
		switch_out(sa, cur);
		if (sl->cl_deleting_old) {
			log_info(LOG_CHD, "%s: peer deletes CHILD SA %08x_o "
				 "as we do (1.4.1): no Delete in the answer",
				 ike_sa_name(sa), spi_out);
			return 1;
		}
		log_info(LOG_CHD, "%s: peer deleted CHILD SA %08x_o",
			 ike_sa_name(sa), spi_out);
		*spi_in = old->cs_spi_in;
		retire(sl, old);
		return 0;
	}
	if (cur->cs_installed && cur->cs_spi_out == spi_out &&
	    peer->cs_installed) {
		/* the peer won the collision and deletes the old pair */
		switch_out(sa, peer);
		move_policies(peer, cur);
		log_info(LOG_CHD, "%s: peer deleted CHILD SA %08x_o after "
			 "winning the rekey collision; now %08x_i %08x_o",
			 ike_sa_name(sa), spi_out, peer->cs_spi_in,
			 peer->cs_spi_out);
		*spi_in = cur->cs_spi_in;
		retire(sl, cur);
		*cur = *peer;
		memset(peer, 0, sizeof(*peer));
		return 0;
	}
	return -1;
}

int ikev2_child_peer_delete(struct ike_sa *sa, uint32_t spi_out,
			    uint32_t *spi_in)
{
	struct child_slot *sl;
	int r;

	child_slot_for_each(sl, sa) {
		r = peer_delete(sl, spi_out, spi_in);
		if (r >= 0)
			return r;
	}
	return -1;
}

static uint32_t retry_ms(void)
{
	uint32_t r;

	crypto_random(&r, sizeof(r));
	return CHILD_RETRY_MS + r % CHILD_RETRY_MS;
}

static void rekey_retry(void *arg)
{
	struct child_slot *sl = arg;

	/* rekeyed meanwhile (by the peer): nothing left to do */
	if (sl->cl_cur.cs_installed &&
	    sl->cl_cur.cs_spi_in == sl->cl_retry_spi)
		ikev2_child_rekey_slot(sl->cl_sa, sl);
}

static void arm_retry(struct child_slot *sl, uint32_t ms)
{
	sl->cl_retry_spi = sl->cl_cur.cs_spi_in;
	timer_del(&sl->cl_retry_timer);	/* timer_set() on an armed one
					 * would corrupt the timer list */
	timer_set(&sl->cl_retry_timer, rekey_retry, sl);
	timer_add(&sl->cl_retry_timer, ms);
}

/* The slot with the SA pair whose outbound SPI (ours, in REKEY_SA) is spi;
 * *old: it is the slot's rekeyed pair.
 */
static struct child_slot *slot_by_spi_out(struct ike_sa *sa, uint32_t spi,
					  bool *old)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa) {
		*old = false;
		if (sl->cl_cur.cs_installed && sl->cl_cur.cs_spi_out == spi)
			return sl;
		*old = true;
		if (sl->cl_rk && sl->cl_rk->rk_old.cs_installed &&
		    sl->cl_rk->rk_old.cs_spi_out == spi)
			return sl;
	}
	return NULL;
}

/* CREATE_CHILD_SA rekeying one of our CHILD SAs (1.3.3). */
static void rekey_request(struct ike_sa *sa, struct ikev2_msg *msg,
			  const struct notify *n, struct prop *props, int np)
{
	struct child_sa cs = { 0 }, *old, *nw;
	uint8_t nr[IKEV2_NONCE_LEN], shared[DH_MAX_SECRET], pub[DH_MAX_PUB];
	struct ts tsi[TS_MAX], tsr[TS_MAX], cl[TS_MAX], cr[TS_MAX];
	const struct cfg_child *cc;
	struct child_slot *sl;
	struct child_rekey *rk;
	struct prop resp;
	const uint8_t *m;
	struct pld_builder pb;
	struct child_keys ck;
	char why[1024];
	struct buf plds;
	size_t slen = 0, mlen;
	uint32_t spi;
	bool collide, is_old = false;
	int ni, nt, nl, nrr;

	spi = n->spi_size == 4 ? get32(n->spi) : 0;
	sl = n->proto == IKEV2_PROTO_ESP && n->spi_size == 4 ?
	     slot_by_spi_out(sa, spi, &is_old) : NULL;
	/* one we are deleting: TEMPORARY_FAILURE too (2.25.1) */
	if (sl && (is_old || sa->sa_ike_rekeying || sl->cl_deleting ||
		   (sl->cl_rk && (sl->cl_rk->rk_old.cs_installed ||
				  sl->cl_rk->rk_peer.cs_installed)) ||
		   sl->cl_cur.cs_out_pending)) {
		log_info(LOG_CHD, "%s: rekey of CHILD SA %08x while %s: "
			 "TEMPORARY_FAILURE", ike_sa_name(sa), spi,
			 sa->sa_ike_rekeying ? "the IKE SA is rekeyed" :
			 sl->cl_deleting ? "we delete it" :
			 "a rekey is completing");
		ikev2_child_answer(sa, msg, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (!sl) {
		sl = child_slot_first_up(sa);
		ike_diag(sa, NULL, LOG_CHD, "%s: rekey of unknown CHILD SA %08x "
			  "(ours: %08x_o)", ike_sa_name(sa), spi,
			  sl ? sl->cl_cur.cs_spi_out : 0);
		ikev2_child_answer(sa, msg, IKEV2_N_CHILD_SA_NOT_FOUND, NULL,
				   0);
		return;
	}
	old = &sl->cl_cur;
	cc = old->cs_cfg;
	collide = sl->cl_rekeying;
	if (!msg->pl.sa.p || !msg->pl.nonce.p || !msg->pl.tsi.p ||
	    !msg->pl.tsr.p) {
		ikev2_child_answer(sa, msg, IKEV2_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	rk = child_slot_rk(sl);
	if (!rk) {
		ikev2_child_answer(sa, msg, IKEV2_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (proposal_select(props, np, cc->esp_proposals, cc->n_esp_proposals,
			    IKEV2_PROTO_ESP, false, &cs.cs_sel, why,
			    sizeof(why)) || cs.cs_sel.spi_size != 4) {
		ike_diag(sa, NULL, LOG_CHD, "%s: NO_PROPOSAL_CHOSEN for the rekey of "
			  "CHILD SA %s: %s", ike_sa_name(sa), cc->name, why);
		ikev2_child_answer(sa, msg, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL,
				   0);
		return;
	}
	pld_ts(&msg->pl.tsi, tsi, TS_MAX, &ni);
	pld_ts(&msg->pl.tsr, tsr, TS_MAX, &nt);
	nl = ts_from_cfg(cc->local_ts, cc->n_local_ts, &sa->sa_local, cl,
			 TS_MAX);
	nrr = ts_from_cfg(cc->remote_ts, cc->n_remote_ts, &sa->sa_peer, cr,
			  TS_MAX);
	cs.cs_n_ts_r = ts_narrow(tsi, ni, cr, nrr, cs.cs_ts_r, TS_MAX);
	cs.cs_n_ts_l = ts_narrow(tsr, nt, cl, nl, cs.cs_ts_l, TS_MAX);
	if (!cs.cs_n_ts_l || !cs.cs_n_ts_r) {
		ike_diag(sa, NULL, LOG_CHD, "%s: TS_UNACCEPTABLE in the rekey of %s",
			  ike_sa_name(sa), cc->name);
		ikev2_child_answer(sa, msg, IKEV2_N_TS_UNACCEPTABLE, NULL, 0);
		return;
	}
	cs.cs_cfg = cc;
	cs.cs_transport = old->cs_transport;
	cs.cs_reqid = old->cs_reqid;
	cs.cs_spi_out = get32(cs.cs_sel.spi);
	cs.cs_out_deferred = true;	/* until the peer deletes the old */
	crypto_random(nr, sizeof(nr));
	if (cs.cs_sel.has_dh && cs.cs_sel.dh &&
	    ikev2_child_dh(sa, msg, cc, cs.cs_sel.dh, shared, &slen, pub))
		goto out;
	ck = (struct child_keys){ msg->pl.nonce.p, nr, shared,
				  msg->pl.nonce.len, sizeof(nr), slen, false };
	if (kernel_spi_alloc(&cs.cs_spi_in) ||
	    child_sa_install(sa, &cs, &ck, true)) {
		ikev2_child_answer(sa, msg, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL,
				   0);
		goto out;
	}
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	if (collide) {
		/* both rekey it: settled when our answer comes (2.8.1) */
		rk->rk_peer = cs;
		nw = &rk->rk_peer;
		nonce_min(msg->pl.nonce.p, msg->pl.nonce.len, nr, sizeof(nr),
			  &m, &mlen);
		memcpy(rk->rk_peer_nmin, m, mlen);
		rk->rk_peer_nmin_len = mlen;
		log_info(LOG_CHD, "%s: CHILD SA %s rekey collision: the peer "
			 "rekeys %08x_i too, answered with %08x_i",
			 ike_sa_name(sa), cc->name, old->cs_spi_in,
			 cs.cs_spi_in);
	} else {
		move_policies(&cs, old);
		rk->rk_old = *old;
		*old = cs;
		nw = old;
		log_info(LOG_CHD, "%s: CHILD SA %s: outbound stays %08x_o "
			 "until the peer deletes it", ike_sa_name(sa),
			 cc->name, rk->rk_old.cs_spi_out);
	}
	put_spi_be(nw->cs_sel.spi, nw->cs_spi_in);
	proposal_from_sel(&nw->cs_sel, &resp);
	if (nw->cs_transport)
		pld_add_notify(&pb, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE,
			       NULL, 0);
	pld_add_sa(&pb, &resp, 1);
	pld_add_nonce(&pb, nr, sizeof(nr));
	if (slen)
		pld_add_ke(&pb, cs.cs_sel.dh, pub, dh_pub_len(cs.cs_sel.dh));
	pld_add_ts(&pb, IKEV2_PLD_TSI, nw->cs_ts_r, nw->cs_n_ts_r);
	pld_add_ts(&pb, IKEV2_PLD_TSR, nw->cs_ts_l, nw->cs_n_ts_l);
	ikev2_msg_respond(sa, msg, &plds, pb.first);
	buf_free(&plds);
out:
	crypto_wipe(shared, sizeof(shared));
	crypto_wipe(nr, sizeof(nr));
}

/*
 * The payloads of our CREATE_CHILD_SA request for cs that follow a REKEY_SA
 * notify, if any (1.3.1, 1.3.3): [USE_TRANSPORT_MODE] SA Ni [KEi] TSi TSr,
 * with the nonce and PFS key of rk.
 */
void ikev2_child_add_request(struct pld_builder *pb, const struct child_sa *cs,
			     const struct prop *props, int n,
			     const struct child_rekey *rk)
{
	uint8_t pub[DH_MAX_PUB];
	uint16_t group = rk->rk_dh ? dh_group(rk->rk_dh) : 0;

	if (cs->cs_transport)
		pld_add_notify(pb, 0, NULL, 0, IKEV2_N_USE_TRANSPORT_MODE,
			       NULL, 0);
	pld_add_sa(pb, props, n);
	pld_add_nonce(pb, rk->rk_ni, sizeof(rk->rk_ni));
	if (group) {
		dh_public(rk->rk_dh, pub, dh_pub_len(group));
		pld_add_ke(pb, group, pub, dh_pub_len(group));
	}
	pld_add_ts(pb, IKEV2_PLD_TSI, cs->cs_ts_l, cs->cs_n_ts_l);
	pld_add_ts(pb, IKEV2_PLD_TSR, cs->cs_ts_r, cs->cs_n_ts_r);
}

/*
 * CREATE_CHILD_SA request (1.3): rekeying the IKE SA (1.3.2, in
 * ikev2_sa_init.c), one of our CHILD SAs (1.3.3), also while we rekey it
 * ourselves (a collision, 2.8.1), or a new CHILD SA (1.3.1, in
 * ikev2_child_new.c). A request that meets another rekey or a delete
 * still in progress gets TEMPORARY_FAILURE, one for an SA we do not have
 * CHILD_SA_NOT_FOUND (2.25).
 */
void ikev2_child_recv_request(struct ike_sa *sa, struct ikev2_msg *msg)
{
	struct prop props[PROP_MAX];
	struct notify n;
	int np = 0;

	if (msg->pl.sa.p) {
		pld_sa(&msg->pl.sa, props, PROP_MAX, &np);
		if (np && props[0].proto == IKEV2_PROTO_IKE) {
			/* ours in flight too: a collision (2.8.2), both
			 * complete; anything else: the peer retries
			 */
			if (sa->sa_rekeyed || sa->sa_collide_nonce ||
			    children_busy(sa)) {
				log_info(LOG_IKE, "%s: IKE SA rekey by the "
					 "peer while %s: TEMPORARY_FAILURE",
					 ike_sa_name(sa), sa->sa_rekeyed ?
					 "this IKE SA is already replaced" :
					 sa->sa_collide_nonce ?
					 "two rekeys are in progress" :
					 "a CHILD SA rekey is in progress");
				ikev2_child_answer(sa, msg,
						   IKEV2_N_TEMPORARY_FAILURE,
						   NULL, 0);
				return;
			}
			ikev2_sa_init_rekey(sa, msg, props, np);
			return;
		}
	}
	if (pld_find_notify(&msg->pl, IKEV2_N_REKEY_SA, &n))
		rekey_request(sa, msg, &n, props, np);
	else
		ikev2_child_new_request(sa, msg, props, np);
	child_slot_gc(sa);
}

/* Our DH group for a rekey: the first of the ESP proposals (PFS). */
uint16_t ikev2_child_pfs_group(const struct cfg_child *cc)
{
	return proposal_first_dh(cc->esp_proposals, cc->n_esp_proposals);
}

int ikev2_child_rekey_start(struct ike_sa *sa)
{
	struct child_slot *sl = child_slot_first_up(sa);

	return sl ? ikev2_child_rekey_slot(sa, sl) : -1;
}

/*
 * Rekey a CHILD SA (1.3.3) before its soft lifetime runs out: a new SA
 * pair is negotiated and installed, then the old one is deleted. While
 * another exchange or rekey is in progress, tried again shortly.
 */
int ikev2_child_rekey_slot(struct ike_sa *sa, struct child_slot *sl)
{
	struct child_sa *old = &sl->cl_cur, *cs;
	const struct cfg_child *cc = old->cs_cfg;
	struct prop props[CFG_MAX_PROPOSALS];
	uint8_t spi[4];
	struct child_rekey *rk;
	struct pld_builder pb;
	uint16_t group;
	struct buf plds;
	int n, ret = -1;

	if (sa->sa_state != IKE_S_ESTABLISHED || !cc || sl->cl_rekeying ||
	    !old->cs_installed)
		return -1;
	if (sa->sa_req_pending || sa->sa_ike_rekeying || slot_busy(sl)) {
		log_info(LOG_CHD, "%s: CHILD SA rekey deferred (another "
			 "exchange is in progress)", ike_sa_name(sa));
		arm_retry(sl, retry_ms());
		return -1;
	}
	rk = child_slot_rk(sl);
	if (!rk)
		return -1;
	cs = &rk->rk_new;
	memset(cs, 0, sizeof(*cs));
	cs->cs_cfg = cc;
	cs->cs_transport = old->cs_transport;
	cs->cs_reqid = old->cs_reqid;
	memcpy(cs->cs_ts_l, old->cs_ts_l, sizeof(cs->cs_ts_l));
	memcpy(cs->cs_ts_r, old->cs_ts_r, sizeof(cs->cs_ts_r));
	cs->cs_n_ts_l = old->cs_n_ts_l;
	cs->cs_n_ts_r = old->cs_n_ts_r;
	if (kernel_spi_alloc(&cs->cs_spi_in))
		return -1;
	group = ikev2_child_pfs_group(cc);
	dh_free(rk->rk_dh);
	rk->rk_dh = group ? dh_new(group) : NULL;
	if (group && !rk->rk_dh)
		return -1;
	crypto_random(rk->rk_ni, sizeof(rk->rk_ni));
	ikev2_child_esp_props(cc, cs->cs_spi_in, true, props, &n);
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	put_spi_be(spi, old->cs_spi_in);
	pld_add_notify(&pb, IKEV2_PROTO_ESP, spi, 4, IKEV2_N_REKEY_SA, NULL,
		       0);
	ikev2_child_add_request(&pb, cs, props, n, rk);
	if (!plds.err && !ikev2_msg_request(sa, IKEV2_EXCH_CREATE_CHILD_SA,
					    &plds, pb.first)) {
		sl->cl_rekeying = true;
		timer_del(&sl->cl_retry_timer);
		log_info(LOG_CHD, "%s: rekeying CHILD SA %s (%08x_i %08x_o)",
			 ike_sa_name(sa), cc->name, old->cs_spi_in,
			 old->cs_spi_out);
		ret = 0;
	}
	buf_free(&plds);
	return ret;
}

/* Ask the peer to delete the SA pair whose inbound SPI is spi. */
int ikev2_child_send_delete(struct ike_sa *sa, uint32_t spi_in)
{
	struct pld_builder pb;
	struct buf plds;
	uint8_t spi[4];
	int ret;

	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	put_spi_be(spi, spi_in);
	pld_add_delete(&pb, IKEV2_PROTO_ESP, 4, spi, 1);
	ret = ikev2_msg_request(sa, IKEV2_EXCH_INFORMATIONAL, &plds, pb.first);
	buf_free(&plds);
	return ret;
}

/* Ask the peer to delete rk_old: the old pair of our completed rekey, or
 * our redundant one of a lost collision.
 */
static void delete_old(struct child_slot *sl)
{
	if (!ikev2_child_send_delete(sl->cl_sa,
				     sl->cl_rk->rk_old.cs_spi_in))
		sl->cl_deleting_old = true;
}

void ikev2_child_delete_done(struct ike_sa *sa)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa) {
		if (sl->cl_deleting_old) {
			sl->cl_deleting_old = false;
			retire(sl, &sl->cl_rk->rk_old);
		}
		if (sl->cl_deleting) {
			sl->cl_deleting = false;
			child_sa_uninstall(sa, &sl->cl_cur);
		}
	}
	child_slot_gc(sa);
	ikev2_child_kick(sa);
}

/* Our rekey refused: TEMPORARY_FAILURE is retried, CHILD_SA_NOT_FOUND
 * means the peer deleted it (2.25.1).
 */
static void rekey_refused(struct child_slot *sl, const struct notify *n)
{
	struct ike_sa *sa = sl->cl_sa;
	struct child_sa *cur = &sl->cl_cur;
	const char *name = cur->cs_cfg ? cur->cs_cfg->name : "?";
	uint32_t ms;

	if (!cur->cs_installed) {
		/* the peer's delete crossed our rekey (2.25.1): done */
		log_info(LOG_CHD, "%s: peer refused the rekey of CHILD SA %s "
			 "%08x_i it deleted meanwhile: %s", ike_sa_name(sa),
			 name, cur->cs_spi_in, ikev2_notify_name(n->type));
		return;
	}
	switch (n->type) {
	case IKEV2_N_TEMPORARY_FAILURE:
		if (sl->cl_rk->rk_peer.cs_installed) {
			log_info(LOG_CHD, "%s: rekey collision: the peer "
				 "refused ours (TEMPORARY_FAILURE), its rekey "
				 "%08x_i stands", ike_sa_name(sa),
				 sl->cl_rk->rk_peer.cs_spi_in);
			return;
		}
		ms = retry_ms();
		log_info(LOG_CHD, "%s: peer is busy with the CHILD SA %s "
			 "(TEMPORARY_FAILURE), rekeying again in %u ms",
			 ike_sa_name(sa), name, ms);
		arm_retry(sl, ms);
		return;
	case IKEV2_N_CHILD_SA_NOT_FOUND:
		ike_diag(sa, NULL, LOG_CHD, "%s: peer does not know CHILD SA %s "
			 "%08x_i %08x_o we rekey (CHILD_SA_NOT_FOUND): "
			 "removing it", ike_sa_name(sa), name, cur->cs_spi_in,
			 cur->cs_spi_out);
		child_sa_uninstall(sa, cur);
		return;
	}
	ike_diag(sa, NULL, LOG_CHD, "%s: rekey of CHILD SA %s failed: peer "
		 "answered %s (%u); we proposed %s (%s)", ike_sa_name(sa), name,
		 ikev2_notify_name(n->type), n->type,
		 cur->cs_cfg && cur->cs_cfg->n_esp_proposals ?
		 cur->cs_cfg->esp_proposals[0].text : "nothing",
		 cur->cs_cfg && proposal_first_dh(cur->cs_cfg->esp_proposals,
						  cur->cs_cfg->n_esp_proposals) ?
		 "with PFS" : "no PFS, no DH group");
}

/* Both ends rekeyed the CHILD SA (2.8.1): the exchange with the lowest
 * nonce made the redundant pair, its initiator deletes it. Ours is
 * installed; the peer's waits in rk_peer.
 */
static void collision(struct child_slot *sl, struct child_sa *ours,
		      const uint8_t *nr, size_t nr_len)
{
	struct ike_sa *sa = sl->cl_sa;
	struct child_rekey *rk = sl->cl_rk;
	struct child_sa *old = &sl->cl_cur;
	const uint8_t *m;
	size_t mlen;

	nonce_min(rk->rk_ni, sizeof(rk->rk_ni), nr, nr_len, &m, &mlen);
	if (ikev2_child_nonce_cmp(m, mlen, rk->rk_peer_nmin,
				  rk->rk_peer_nmin_len) < 0) {
		log_info(LOG_CHD, "%s: rekey collision: ours (%08x_i) has "
			 "the lowest nonce and loses, deleting it; the "
			 "peer's (%08x_i) stays", ike_sa_name(sa),
			 ours->cs_spi_in, rk->rk_peer.cs_spi_in);
		rk->rk_old = *ours;
	} else {
		log_info(LOG_CHD, "%s: rekey collision: the peer's "
			 "(%08x_i) has the lowest nonce and loses; ours "
			 "(%08x_i) stays, deleting the old one",
			 ike_sa_name(sa), rk->rk_peer.cs_spi_in,
			 ours->cs_spi_in);
		move_policies(ours, old);
		rk->rk_old = *old;
		*old = *ours;
	}
	memset(ours, 0, sizeof(*ours));
	delete_old(sl);
}

/*
 * The peer's answer for cs: to our CREATE_CHILD_SA, a new CHILD SA or a
 * rekey (1.3.1, 1.3.3; rk our nonce and PFS key), or to our IKE_AUTH (rk
 * NULL: no Nr, no PFS, 1.2). SA and Nr present, one proposal out of those
 * we offered with a 4-byte SPI, and with PFS a KE payload for the group
 * we sent. 0 with the selection and outbound SPI in cs and g^ir in
 * shared (*slen 0 without PFS); -1 logged as "SA_NAME: WHAT: cause".
 */
int ikev2_child_check_answer(struct ike_sa *sa, struct ikev2_msg *msg,
			     struct child_sa *cs,
			     const struct child_rekey *rk, const char *what,
			     uint8_t *shared, size_t *slen)
{
	const struct cfg_child *cc = cs->cs_cfg;
	struct prop props[PROP_MAX];
	uint16_t group = 0, ours;
	const uint8_t *ke;
	const char *err;
	char why[1024];
	size_t ke_len;
	int np, bad;

	*slen = 0;
	if (!msg->pl.sa.p || (rk && !msg->pl.nonce.p)) {
		ike_diag(sa, NULL, LOG_CHD, "%s: %s: CREATE_CHILD_SA response "
			 "lacks %s", ike_sa_name(sa), what,
			 msg->pl.sa.p ? "Nr" : "SA");
		return -1;
	}
	pld_sa(&msg->pl.sa, props, PROP_MAX, &np);
	bad = np != 1 || proposal_select(props, 1, cc->esp_proposals,
					 cc->n_esp_proposals, IKEV2_PROTO_ESP,
					 !rk, &cs->cs_sel, why, sizeof(why));
	if (bad || cs->cs_sel.spi_size != 4) {
		ike_diag(sa, NULL, LOG_CHD, "%s: %s: peer selected an ESP "
			 "proposal we did not offer: %s", ike_sa_name(sa),
			 what, np != 1 ? "several proposals" :
			 bad ? why : "ESP SPI size not 4");
		return -1;
	}
	if (rk && cs->cs_sel.has_dh && cs->cs_sel.dh) {
		ours = rk->rk_dh ? dh_group(rk->rk_dh) : 0;
		if (msg->pl.ke.p)
			pld_ke(&msg->pl.ke, &group, &ke, &ke_len);
		if (!msg->pl.ke.p) {
			ike_diag(sa, NULL, LOG_CHD, "%s: %s: peer selected DH "
				 "group %u but sent no KE payload; we sent one "
				 "for group %u", ike_sa_name(sa), what,
				 cs->cs_sel.dh, ours);
			return -1;
		}
		if (group != ours || group != cs->cs_sel.dh) {
			ike_diag(sa, NULL, LOG_CHD, "%s: %s: peer selected DH "
				 "group %u with a KE payload for group %u; we "
				 "sent a KE payload for group %u",
				 ike_sa_name(sa), what, cs->cs_sel.dh, group,
				 ours);
			return -1;
		}
		if (dh_derive(rk->rk_dh, ke, ke_len, shared, slen, &err)) {
			ike_diag(sa, NULL, LOG_CHD, "%s: %s: peer's KE payload "
				 "for DH group %u rejected: %s",
				 ike_sa_name(sa), what, group, err);
			return -1;
		}
	}
	cs->cs_spi_out = get32(cs->cs_sel.spi);
	return 0;
}

/*
 * The selectors of the peer's answer for a new cs (IKE_AUTH or
 * CREATE_CHILD_SA): present, only narrowing what we proposed (2.9), and
 * transport mode accepted if we asked for it (1.3.1). 0 with them in cs.
 */
int ikev2_child_check_ts(struct ike_sa *sa, struct ikev2_msg *msg,
			 struct child_sa *cs, const char *what)
{
	struct ts tsi[TS_MAX], tsr[TS_MAX], tmp[TS_MAX];
	char a[256], b[256];
	struct notify n;
	int ni, nr;

	if (!msg->pl.tsi.p || !msg->pl.tsr.p) {
		ike_diag(sa, NULL, LOG_CHD, "%s: %s: response lacks TSi/TSr",
			 ike_sa_name(sa), what);
		return -1;
	}
	pld_ts(&msg->pl.tsi, tsi, TS_MAX, &ni);
	pld_ts(&msg->pl.tsr, tsr, TS_MAX, &nr);
	if (ts_narrow(tsi, ni, cs->cs_ts_l, cs->cs_n_ts_l, tmp, TS_MAX) != ni ||
	    ts_narrow(tsr, nr, cs->cs_ts_r, cs->cs_n_ts_r, tmp, TS_MAX) != nr ||
	    !ni || !nr) {
		ts_format_list(tsi, ni, a, sizeof(a));
		ts_format_list(tsr, nr, b, sizeof(b));
		ike_diag(sa, NULL, LOG_CHD, "%s: %s: peer's selectors TSi %s "
			 "TSr %s exceed what we proposed", ike_sa_name(sa),
			 what, a, b);
		return -1;
	}
	if (cs->cs_transport &&
	    !pld_find_notify(&msg->pl, IKEV2_N_USE_TRANSPORT_MODE, &n)) {
		ike_diag(sa, NULL, LOG_CHD, "%s: %s: peer did not accept "
			 "transport mode", ike_sa_name(sa), what);
		return -1;
	}
	memcpy(cs->cs_ts_l, tsi, sizeof(tsi[0]) * ni);
	cs->cs_n_ts_l = ni;
	memcpy(cs->cs_ts_r, tsr, sizeof(tsr[0]) * nr);
	cs->cs_n_ts_r = nr;
	return 0;
}

static void rekey_response(struct child_slot *sl, struct ikev2_msg *msg)
{
	struct ike_sa *sa = sl->cl_sa;
	struct child_rekey *rk = sl->cl_rk;
	struct child_sa *cs = &rk->rk_new, *old = &sl->cl_cur;
	const struct cfg_child *cc = cs->cs_cfg;
	uint8_t shared[DH_MAX_SECRET];
	struct child_keys ck;
	char what[128];
	struct notify n;
	size_t slen = 0;

	sl->cl_rekeying = false;
	if (pld_find_error(&msg->pl, &n)) {
		rekey_refused(sl, &n);
		return;
	}
	snprintf(what, sizeof(what), "rekey of CHILD SA %s", cc->name);
	if (ikev2_child_check_answer(sa, msg, cs, rk, what, shared, &slen))
		goto out;
	if (!old->cs_installed) {
		/* the peer deleted it while we rekeyed (2.25.1) */
		log_info(LOG_CHD, "%s: rekey of CHILD SA %s crossed the peer's "
			 "delete: deleting the new pair %08x_i too",
			 ike_sa_name(sa), cc->name, cs->cs_spi_in);
		ikev2_child_send_delete(sa, cs->cs_spi_in);
		goto out;
	}
	ck = (struct child_keys){ rk->rk_ni, msg->pl.nonce.p, shared,
				  sizeof(rk->rk_ni), msg->pl.nonce.len,
				  slen, true };
	if (child_sa_install(sa, cs, &ck, true))
		goto out;
	if (rk->rk_peer.cs_installed) {
		collision(sl, cs, msg->pl.nonce.p, msg->pl.nonce.len);
		goto out;
	}
	move_policies(cs, old);
	rk->rk_old = *old;
	*old = *cs;
	memset(cs, 0, sizeof(*cs));
	delete_old(sl);
out:
	crypto_wipe(shared, sizeof(shared));
}

void ikev2_child_recv_response(struct ike_sa *sa, struct ikev2_msg *msg)
{
	struct child_slot *sl;
	struct notify n;
	bool busy;

	if (sa->sa_ike_rekeying) {
		busy = pld_find_error(&msg->pl, &n) &&
		       n.type == IKEV2_N_TEMPORARY_FAILURE;
		ikev2_sa_init_rekey_recv(sa, msg);
		if (busy && sa->sa_state == IKE_S_ESTABLISHED &&
		    sa->sa_rekey_timer.tmr_cb) {
			log_info(LOG_IKE, "%s: peer is busy (TEMPORARY_FAILURE"
				 "), rekeying the IKE SA again shortly",
				 ike_sa_name(sa));
			timer_add(&sa->sa_rekey_timer, retry_ms());
		}
		return;
	}
	sl = child_slot_in_flight(sa);
	if (!sl)
		return;
	if (sl->cl_rekeying)
		rekey_response(sl, msg);
	else
		ikev2_child_new_response(sa, sl, msg);
	child_slot_gc(sa);
	ikev2_child_kick(sa);
}

/* cs->cs_out_deferred: the outbound SA as child_sa_install() built it,
 * its keys copied, until child_sa_install_out().
 */
struct out_pending {
	struct kernel_sa ks;
	uint8_t key[2 * CRYPTO_MAX_KEY];
};

int child_sa_defer_out(struct child_sa *cs, const struct kernel_sa *ks)
{
	struct out_pending *p;

	if (ks->enc_key_len + ks->auth_key_len > sizeof(p->key))
		return -1;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -1;
	p->ks = *ks;
	memcpy(p->key, ks->enc_key, ks->enc_key_len);
	if (ks->auth_key_len)
		memcpy(p->key + ks->enc_key_len, ks->auth_key,
		       ks->auth_key_len);
	child_sa_out_drop(cs);
	cs->cs_out_pending = p;
	return 0;
}

int child_sa_install_out(struct ike_sa *sa, struct child_sa *cs)
{
	struct out_pending *p = cs->cs_out_pending;
	int ret;

	if (!p)
		return 0;
	p->ks.enc_key = p->key;
	p->ks.auth_key = p->ks.auth_key_len ? p->key + p->ks.enc_key_len :
			 NULL;
	if (p->ks.sel_src) {		/* cs may have moved since */
		p->ks.sel_src = &cs->cs_ts_l[0];
		p->ks.sel_dst = &cs->cs_ts_r[0];
	}
	ret = kernel_sa_add(&p->ks);
	if (ret)
		log_warnx(LOG_KNL, "%s: outbound SA %08x of CHILD SA %s not "
			  "installed", ike_sa_name(sa), cs->cs_spi_out,
			  cs->cs_cfg ? cs->cs_cfg->name : "?");
	child_sa_out_drop(cs);
	cs->cs_out_deferred = false;
	return ret;
}

bool child_sa_out_drop(struct child_sa *cs)
{
	struct out_pending *p = cs->cs_out_pending;

	if (!p)
		return false;
	crypto_wipe(p, sizeof(*p));
	free(p);
	cs->cs_out_pending = NULL;
	return true;
}
