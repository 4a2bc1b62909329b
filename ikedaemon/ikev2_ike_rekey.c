// SPDX-License-Identifier: GPL-2.0
/*
 * Rekeying the IKE SA (RFC 7296 1.3.2, 2.18): a CREATE_CHILD_SA exchange
 * makes a new IKE SA keyed from the old SK_d,
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr),
 * the CHILD SAs move to it and the exchange's initiator deletes the old.
 *
 * Both ends may rekey at once (2.8.2, 2.25.2): each answers the other's
 * request as usual, so two new IKE SAs exist. The one made with the lowest
 * of the four nonces is redundant and its initiator deletes it; the CHILD
 * SAs go to the other, whose initiator deletes the old IKE SA. Until our
 * own answer arrives, the peer's new SA waits without CHILD SAs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child_slot.h"
#include "crypto.h"
#include "dh.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_child.h"
#include "ikev2_exch.h"
#include "ikev2_msg.h"
#include "log.h"

/* What a new IKE SA takes over from the one it replaces. */
static int rekey_inherit(struct ike_sa *nsa, const struct ike_sa *sa)
{
	nsa->sa_local = sa->sa_local;
	nsa->sa_peer = sa->sa_peer;
	nsa->sa_natt = sa->sa_natt;
	nsa->sa_nat_local = sa->sa_nat_local;
	nsa->sa_nat_remote = sa->sa_nat_remote;
	nsa->sa_nat_fake = sa->sa_nat_fake;
	nsa->sa_ka_last = sa->sa_ka_last;
	nsa->sa_id_l = sa->sa_id_l;
	nsa->sa_id_r = sa->sa_id_r;
	nsa->sa_peer_hashes = sa->sa_peer_hashes;
	nsa->sa_child_cfg = sa->sa_child_cfg;
	if (!sa->sa_peer_cert)
		return 0;
	nsa->sa_peer_cert = strdup(sa->sa_peer_cert);
	return nsa->sa_peer_cert ? 0 : -1;
}

/* The new IKE SA's keys from the old SA's SK_d (2.18). */
static int rekey_keys(struct ike_sa *old, struct ike_sa *nsa,
		      const uint8_t *shared, size_t slen)
{
	uint8_t seed[DH_MAX_SECRET + 512], skeyseed[CRYPTO_MAX_PRF_OUT];
	size_t n = slen + nsa->sa_ni_len + nsa->sa_nr_len;
	int ret;

	memcpy(seed, shared, slen);
	memcpy(seed + slen, nsa->sa_ni, nsa->sa_ni_len);
	memcpy(seed + slen + nsa->sa_ni_len, nsa->sa_nr, nsa->sa_nr_len);
	ret = crypto_prf(old->sa_k.prf, old->sa_k.sk_d, old->sa_k.prf->out_len,
			 seed, n, skeyseed);
	if (!ret)
		ret = ikev2_sa_init_keys(&nsa->sa_k, skeyseed, nsa->sa_ni,
					 nsa->sa_ni_len, nsa->sa_nr,
					 nsa->sa_nr_len, nsa->sa_spi_i,
					 nsa->sa_spi_r);
	crypto_wipe(seed, sizeof(seed));
	crypto_wipe(skeyseed, sizeof(skeyseed));
	if (!ret)
		nsa->sa_keyed = true;
	return ret;
}

/* The CHILD SAs of sa go to its successor nsa. */
static void rekey_adopt(struct ike_sa *nsa, struct ike_sa *sa)
{
	child_slot_move_all(nsa, sa);
	ikev2_child_kick(nsa);
	sa->sa_rekeyed = true;
}

/* The new SA has its keys: nonces and DH are spent, it is up. */
static void rekey_keyed(struct ike_sa *nsa)
{
	ike_sa_init_done(nsa);
	ike_sa_set_state(nsa, IKE_S_ESTABLISHED);
	timer_del(&nsa->sa_life_timer);
}

/* The new SA carries on: liveness checks and its own rekey. */
static void rekey_established(struct ike_sa *nsa)
{
	rekey_keyed(nsa);
	ikev2_info_dpd_start(nsa);
	ikev2_sa_init_rekey_arm(nsa);
}

/* The lower of the two nonces of nsa's exchange. */
static void nonce_low(const struct ike_sa *nsa, const uint8_t **p,
		      size_t *len)
{
	bool i = ikev2_child_nonce_cmp(nsa->sa_ni, nsa->sa_ni_len, nsa->sa_nr,
				       nsa->sa_nr_len) <= 0;

	*p = i ? nsa->sa_ni : nsa->sa_nr;
	*len = i ? nsa->sa_ni_len : nsa->sa_nr_len;
}

/* The peer's rekey met ours in flight: remember its new SA and the lower
 * of its nonces until our answer says which new SA is redundant.
 */
static int collision_note(struct ike_sa *sa, const struct ike_sa *psa)
{
	const uint8_t *lo;
	size_t len;

	nonce_low(psa, &lo, &len);
	free(sa->sa_collide_nonce);
	sa->sa_collide_nonce = malloc(len);
	if (!sa->sa_collide_nonce)
		return -1;
	memcpy(sa->sa_collide_nonce, lo, len);
	sa->sa_collide_nonce_len = len;
	memcpy(sa->sa_collide_spi, ike_sa_our_spi(psa), 8);
	return 0;
}

/* The peer's new SA from a collision, if it is still up. */
static struct ike_sa *collision_peer(struct ike_sa *sa)
{
	struct ike_sa *psa;

	if (!sa->sa_collide_nonce)
		return NULL;
	psa = ike_sa_find(sa->sa_collide_spi);
	return psa && psa->sa_state == IKE_S_ESTABLISHED ? psa : NULL;
}

static void collision_forget(struct ike_sa *sa)
{
	free(sa->sa_collide_nonce);
	sa->sa_collide_nonce = NULL;
	sa->sa_collide_nonce_len = 0;
}

/* Ours failed or lost: the peer's new SA carries on; the peer, its
 * initiator, deletes the old one.
 */
static void collision_peer_wins(struct ike_sa *sa, struct ike_sa *psa,
				const char *why)
{
	char pname[64];

	snprintf(pname, sizeof(pname), "%s", ike_sa_name(psa));
	log_info(LOG_IKE, "%s: IKE SA rekey collision: %s; the CHILD SAs move "
		 "to the peer's new IKE SA %s (SPIs %016llx_i %016llx_r), the "
		 "peer deletes this one", ike_sa_name(sa), why, pname,
		 (unsigned long long)get64(psa->sa_spi_i),
		 (unsigned long long)get64(psa->sa_spi_r));
	rekey_adopt(psa, sa);
}

/*
 * The peer rekeys the IKE SA: a new IKE SA with the peer as its
 * initiator, inheriting the CHILD SAs (unless our own rekey is in flight,
 * see above); the old one stays until the peer deletes it.
 */
void ikev2_sa_init_rekey(struct ike_sa *sa, struct ikev2_msg *msg,
			 const struct prop *props, int np)
{
	const struct cfg_conn *c = sa->sa_conn;
	bool collide = sa->sa_ike_rekeying;
	uint8_t shared[DH_MAX_SECRET], pub[DH_MAX_PUB], grp[2];
	char why[1024], name[256];
	struct pld_builder pb;
	struct prop_sel sel;
	struct ike_sa *nsa;
	const uint8_t *ke;
	struct prop resp;
	const char *err;
	struct buf plds;
	uint16_t group;
	size_t ke_len, slen = 0;
	uint16_t fail = 0;

	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	if (proposal_select(props, np, c->proposals, c->n_proposals,
			    IKEV2_PROTO_IKE, false, &sel, why, sizeof(why)) ||
	    sel.spi_size != 8) {
		ike_diag(sa, NULL, LOG_IKE, "%s: NO_PROPOSAL_CHOSEN for the IKE SA "
			  "rekey: %s", ike_sa_name(sa), why);
		fail = IKEV2_N_NO_PROPOSAL_CHOSEN;
		goto refuse;
	}
	if (!msg->pl.nonce.p || !msg->pl.ke.p ||
	    (pld_ke(&msg->pl.ke, &group, &ke, &ke_len), group != sel.dh)) {
		log_info(LOG_IKE, "%s: IKE SA rekey: asking for DH group %u "
			 "(INVALID_KE_PAYLOAD)", ike_sa_name(sa), sel.dh);
		grp[0] = sel.dh >> 8;
		grp[1] = sel.dh & 0xff;
		pld_add_notify(&pb, 0, NULL, 0, IKEV2_N_INVALID_KE_PAYLOAD,
			       grp, 2);
		goto send;
	}
	nsa = ike_sa_new(false, c);
	if (!nsa) {
		fail = IKEV2_N_TEMPORARY_FAILURE;
		goto refuse;
	}
	ike_sa_set_spi_i(nsa, sel.spi);
	nsa->sa_sel = sel;
	nsa->sa_dh_group = sel.dh;
	nsa->sa_dh = dh_new(sel.dh);
	if (rekey_inherit(nsa, sa) ||
	    ike_sa_nonce(&nsa->sa_ni, &nsa->sa_ni_len, msg->pl.nonce.p,
			 msg->pl.nonce.len) ||
	    ike_sa_nonce(&nsa->sa_nr, &nsa->sa_nr_len, NULL,
			 IKEV2_NONCE_LEN) ||
	    (collide && collision_note(sa, nsa))) {
		ike_sa_destroy(nsa, "IKE SA rekey failed: out of memory");
		fail = IKEV2_N_TEMPORARY_FAILURE;
		goto refuse;
	}
	if (!nsa->sa_dh || ikev2_sa_init_algs(nsa) ||
	    dh_derive(nsa->sa_dh, ke, ke_len, shared, &slen, &err) ||
	    rekey_keys(sa, nsa, shared, slen)) {
		ike_diag(sa, NULL, LOG_IKE, "%s: IKE SA rekey by the peer failed: "
			 "%s (DH group %u, KE of %zu bytes)", ike_sa_name(sa),
			 !nsa->sa_dh ? "no DH key" : slen ?
			 "key derivation failed" :
			 "transforms or KE payload unusable", sel.dh, ke_len);
		ike_sa_destroy(nsa, "IKE SA rekey failed");
		if (collide)
			collision_forget(sa);
		fail = IKEV2_N_NO_PROPOSAL_CHOSEN;
		goto refuse;
	}
	if (!collide)
		rekey_adopt(nsa, sa);

	memcpy(sel.spi, nsa->sa_spi_r, 8);
	proposal_from_sel(&sel, &resp);
	pld_add_sa(&pb, &resp, 1);
	pld_add_nonce(&pb, nsa->sa_nr, nsa->sa_nr_len);
	dh_public(nsa->sa_dh, pub, dh_pub_len(sel.dh));
	pld_add_ke(&pb, sel.dh, pub, dh_pub_len(sel.dh));
	rekey_established(nsa);
	proposal_format_sel(&sel, name, sizeof(name));
	snprintf(why, sizeof(why), "%s", ike_sa_name(nsa));
	log_info(LOG_IKE, "%s: IKE SA rekeyed by the peer%s: now %s, SPIs "
		 "%016llx_i %016llx_r, %s", ike_sa_name(sa),
		 collide ? " while our rekey is in flight (collision, RFC 7296"
		 " 2.8.2; the nonces decide when our answer arrives)" : "",
		 why, (unsigned long long)get64(nsa->sa_spi_i),
		 (unsigned long long)get64(nsa->sa_spi_r), name);
	goto send;
refuse:
	pld_add_notify(&pb, 0, NULL, 0, fail, NULL, 0);
send:
	ikev2_msg_respond(sa, msg, &plds, pb.first);
	buf_free(&plds);
	crypto_wipe(shared, sizeof(shared));
}

static void rekey_timer(void *arg)
{
	struct ike_sa *sa = arg;

	/* another exchange in flight: try again shortly */
	if (ikev2_sa_init_rekey_start(sa))
		timer_add(&sa->sa_rekey_timer, 1000);
}

void ikev2_sa_init_rekey_arm(struct ike_sa *sa)
{
	if (!sa->sa_conn || !sa->sa_conn->rekey_time)
		return;
	timer_set(&sa->sa_rekey_timer, rekey_timer, sa);
	timer_add(&sa->sa_rekey_timer,
		  (uint64_t)sa->sa_conn->rekey_time * 1000);
}

int ikev2_sa_init_rekey_start(struct ike_sa *sa)
{
	const struct cfg_conn *c = sa->sa_conn;
	struct prop props[CFG_MAX_PROPOSALS];
	uint8_t pub[DH_MAX_PUB];
	struct pld_builder pb;
	struct ike_sa *nsa;
	struct buf plds;
	int i, ret = -1;

	if (sa->sa_state != IKE_S_ESTABLISHED || sa->sa_rekeyed)
		return 0;
	if (sa->sa_req_pending || ikev2_child_busy(sa) ||
	    sa->sa_ike_rekeying)
		return -1;
	nsa = ike_sa_new(true, c);
	if (!nsa)
		return -1;
	nsa->sa_dh_group = sa->sa_sel.dh;
	nsa->sa_dh = dh_new(nsa->sa_dh_group);
	if (rekey_inherit(nsa, sa) || !nsa->sa_dh ||
	    ike_sa_nonce(&nsa->sa_ni, &nsa->sa_ni_len, NULL,
			 IKEV2_NONCE_LEN)) {
		ike_sa_destroy(nsa, "IKE SA rekey failed");
		return -1;
	}
	for (i = 0; i < c->n_proposals; i++)
		proposal_from_cfg(&c->proposals[i], IKEV2_PROTO_IKE,
				  (uint8_t)(i + 1), nsa->sa_spi_i, 8,
				  &props[i]);
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	pld_add_sa(&pb, props, c->n_proposals);
	pld_add_nonce(&pb, nsa->sa_ni, nsa->sa_ni_len);
	dh_public(nsa->sa_dh, pub, dh_pub_len(nsa->sa_dh_group));
	pld_add_ke(&pb, nsa->sa_dh_group, pub, dh_pub_len(nsa->sa_dh_group));
	if (!plds.err && !ikev2_msg_request(sa, IKEV2_EXCH_CREATE_CHILD_SA,
					    &plds, pb.first)) {
		sa->sa_ike_rekeying = true;
		memcpy(sa->sa_ike_rekey_spi, nsa->sa_spi_i, 8);
		log_info(LOG_IKE, "%s: rekeying the IKE SA", ike_sa_name(sa));
		ret = 0;
	} else {
		ike_sa_destroy(nsa, "IKE SA rekey could not be sent");
	}
	buf_free(&plds);
	return ret;
}

/* The answer to our IKE SA rekey: keys for the new SA, then move on. */
static int rekey_answer(struct ike_sa *sa, struct ike_sa *nsa,
			struct ikev2_msg *msg)
{
	const struct cfg_conn *c = sa->sa_conn;
	uint8_t shared[DH_MAX_SECRET];
	struct prop props[PROP_MAX];
	const uint8_t *ke;
	const char *err;
	char why[1024];
	uint16_t group;
	size_t ke_len, slen = 0;
	int np, ret = -1;

	if (!msg->pl.sa.p || !msg->pl.nonce.p || !msg->pl.ke.p) {
		ike_diag(sa, NULL, LOG_IKE, "%s: invalid answer to our IKE SA "
			 "rekey: no %s payload", ike_sa_name(sa),
			 !msg->pl.sa.p ? "SA" : !msg->pl.nonce.p ? "Nonce" :
			 "KE");
		return -1;
	}
	pld_sa(&msg->pl.sa, props, PROP_MAX, &np);
	if (np != 1 || proposal_select(props, 1, c->proposals, c->n_proposals,
				       IKEV2_PROTO_IKE, false, &nsa->sa_sel,
				       why, sizeof(why)) ||
	    nsa->sa_sel.spi_size != 8) {
		ike_diag(sa, NULL, LOG_IKE, "%s: invalid answer to our IKE SA "
			 "rekey: %d proposals, %s", ike_sa_name(sa), np,
			 np == 1 ? why : "1 expected");
		return -1;
	}
	pld_ke(&msg->pl.ke, &group, &ke, &ke_len);
	if (group != nsa->sa_dh_group || nsa->sa_sel.dh != group) {
		ike_diag(sa, NULL, LOG_IKE, "%s: invalid answer to our IKE SA "
			 "rekey: KE of DH group %u, we sent %u and the "
			 "proposal selects %u", ike_sa_name(sa), group,
			 nsa->sa_dh_group, nsa->sa_sel.dh);
		return -1;
	}
	memcpy(nsa->sa_spi_r, nsa->sa_sel.spi, 8);
	if (ike_sa_nonce(&nsa->sa_nr, &nsa->sa_nr_len, msg->pl.nonce.p,
			 msg->pl.nonce.len) ||
	    ikev2_sa_init_algs(nsa) ||
	    dh_derive(nsa->sa_dh, ke, ke_len, shared, &slen, &err) ||
	    rekey_keys(sa, nsa, shared, slen))
		ike_diag(sa, NULL, LOG_IKE, "%s: invalid answer to our IKE SA "
			 "rekey: no keys (%s)", ike_sa_name(sa),
			 slen ? "derivation failed" : "unusable KE payload");
	else
		ret = 0;
	crypto_wipe(shared, sizeof(shared));
	return ret;
}

/* Our rekey is answered: with the peer's collision psa, the nonces say
 * which new SA stays (2.8.2).
 */
static void rekey_done(struct ike_sa *sa, struct ike_sa *nsa,
		       struct ike_sa *psa)
{
	char name[256], nname[64], pname[64], nonces[64];
	const uint8_t *lo = NULL, *plo = sa->sa_collide_nonce;
	size_t len = 0;

	snprintf(nname, sizeof(nname), "%s", ike_sa_name(nsa));
	if (psa) {
		nonce_low(nsa, &lo, &len);
		snprintf(pname, sizeof(pname), "%s", ike_sa_name(psa));
		snprintf(nonces, sizeof(nonces), "lower nonces: ours "
			 "%02x%02x%02x%02x.., the peer's %02x%02x%02x%02x..",
			 lo[0], lo[1], lo[2], lo[3], plo[0], plo[1], plo[2],
			 plo[3]);
	}
	/* both rekeys completed (2.8.2): is ours the redundant one? */
	if (psa && ikev2_child_nonce_cmp(lo, len, plo,
					 sa->sa_collide_nonce_len) < 0) {
		/* its initiator, we, delete the redundant one */
		snprintf(name, sizeof(name), "ours (%s) has the lowest nonce "
			 "and is deleted (%s)", nname, nonces);
		collision_peer_wins(sa, psa, name);
		rekey_keyed(nsa);
		ikev2_info_delete(nsa);
		return;
	}
	if (psa)
		log_info(LOG_IKE, "%s: IKE SA rekey collision: the peer's new "
			 "IKE SA %s has the lowest nonce (%s), the peer deletes "
			 "it; the CHILD SAs move to ours, %s", ike_sa_name(sa),
			 pname, nonces, nname);
	rekey_adopt(nsa, sa);
	rekey_established(nsa);
	proposal_format_sel(&nsa->sa_sel, name, sizeof(name));
	log_info(LOG_IKE, "%s: IKE SA rekeyed: now %s, SPIs %016llx_i "
		 "%016llx_r, %s", ike_sa_name(sa), nname,
		 (unsigned long long)get64(nsa->sa_spi_i),
		 (unsigned long long)get64(nsa->sa_spi_r), name);
	ikev2_info_delete(sa);
}

void ikev2_sa_init_rekey_recv(struct ike_sa *sa, struct ikev2_msg *msg)
{
	struct ike_sa *nsa = ike_sa_find(sa->sa_ike_rekey_spi);
	struct ike_sa *psa = collision_peer(sa);
	const char *why = NULL;
	struct notify n;

	sa->sa_ike_rekeying = false;
	if (!nsa || nsa->sa_state == IKE_S_DEAD) {
		why = "ours is gone";
	} else if (pld_find_error(&msg->pl, &n)) {
		ike_diag(sa, NULL, LOG_IKE, "%s: peer refused the IKE SA rekey: %s (%u)",
			  ike_sa_name(sa), ikev2_notify_name(n.type), n.type);
		ike_sa_destroy(nsa, "IKE SA rekey refused");
		why = "ours was refused";
	} else if (rekey_answer(sa, nsa, msg)) {
		ike_sa_destroy(nsa, "IKE SA rekey failed");
		why = "ours failed";
	} else {
		rekey_done(sa, nsa, psa);
	}
	if (why && psa)
		collision_peer_wins(sa, psa, why);
	collision_forget(sa);
}

/*
 * The peer deletes the old IKE SA while a rekey is under way (2.25.2):
 * if the peer rekeyed too but did not see the collision, its new SA is
 * the successor and takes the CHILD SAs. Ours in flight goes with the
 * old SA (ike_sa_destroy() calls ikev2_sa_init_rekey_abort()).
 */
void ikev2_sa_init_rekey_peer_deleted(struct ike_sa *sa)
{
	struct ike_sa *psa = collision_peer(sa);

	if (psa)
		collision_peer_wins(sa, psa, "the peer deleted the old IKE "
				    "SA without deleting its new one");
	collision_forget(sa);
}

/* sa goes: so does the new IKE SA of our rekey still in flight. */
void ikev2_sa_init_rekey_abort(struct ike_sa *sa)
{
	struct ike_sa *nsa;

	collision_forget(sa);
	if (!sa->sa_ike_rekeying)
		return;
	sa->sa_ike_rekeying = false;
	nsa = ike_sa_find(sa->sa_ike_rekey_spi);
	if (nsa && nsa != sa)
		ike_sa_destroy(nsa, "the IKE SA it was to replace is gone");
}
