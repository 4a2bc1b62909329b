// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_SA_INIT (RFC 7296 1.2): proposals, DH and nonces; SKEYSEED and the
 * SK_* keys (2.14). INVALID_KE_PAYLOAD (1.2) and COOKIE (2.6) restart the
 * exchange with the same SPI; NAT detection hashes go both ways (2.23).
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "dh.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_cookie.h"
#include "ikev2_auth.h"
#include "ikev2_child.h"
#include "ikev2_exch.h"
#include "ikev2_msg.h"
#include "log.h"
#include "natt.h"
#include "net.h"

#define CFG_MAX_CANDIDATES	16	/* connections tried per request */

/* SHA1(SPIi | SPIr | IP | port) of 2.23. */
static int natd_hash(const uint8_t *spi_i, const uint8_t *spi_r,
		     const struct sockaddr_storage *ss, uint8_t out[20])
{
	uint8_t port[2] = { net_port(ss) >> 8, net_port(ss) & 0xff };
	struct crypto_iov v[4];
	const uint8_t *a;

	v[0] = (struct crypto_iov){ spi_i, 8 };
	v[1] = (struct crypto_iov){ spi_r, 8 };
	v[2].len = net_addr_raw(ss, &a);
	v[2].p = a;
	v[3] = (struct crypto_iov){ port, 2 };
	return crypto_sha1(v, 4, out);
}

/* encap = yes: a random source hash makes the peer see a NAT in front of
 * us and both sides use ESP in UDP (what strongSwan does).
 */
static void add_natd(struct ike_sa *sa, struct pld_builder *pb)
{
	uint8_t h[20];

	if (sa->sa_conn && sa->sa_conn->encap) {
		sa->sa_nat_fake = true;
		crypto_random(h, sizeof(h));
	} else {
		natd_hash(sa->sa_spi_i, sa->sa_spi_r, &sa->sa_local, h);
	}
	pld_add_notify(pb, 0, NULL, 0, IKEV2_N_NAT_DETECTION_SOURCE_IP, h, 20);
	natd_hash(sa->sa_spi_i, sa->sa_spi_r, &sa->sa_peer, h);
	pld_add_notify(pb, 0, NULL, 0, IKEV2_N_NAT_DETECTION_DESTINATION_IP,
		       h, 20);
}

/* Does the peer see our address (and we theirs) unchanged (2.23)? A
 * side is behind a NAT when none of the hashes for it match; no
 * NAT_DETECTION notifies at all means the peer does not do NAT-T.
 */
static void check_natd(struct ike_sa *sa, const struct ikev2_msg *msg)
{
	static const uint8_t zero[8];
	/* the request was hashed before SPIr existed (2.23) */
	const uint8_t *spi_r = msg->hdr.flags & IKEV2_FLAG_RESPONSE ?
			       sa->sa_spi_r : zero;
	bool src_seen = false, src_ok = false, dst_seen = false, dst_ok = false;
	uint8_t h[20];
	struct notify n;
	int i;

	for (i = 0; i < msg->pl.n_notify; i++) {
		pld_notify(&msg->pl.notify[i], &n);
		if (n.type == IKEV2_N_NAT_DETECTION_DESTINATION_IP) {
			dst_seen = true;
			natd_hash(sa->sa_spi_i, spi_r, &sa->sa_local, h);
			dst_ok |= n.len == 20 && !memcmp(h, n.data, 20);
		} else if (n.type == IKEV2_N_NAT_DETECTION_SOURCE_IP) {
			src_seen = true;
			natd_hash(sa->sa_spi_i, spi_r, &sa->sa_peer, h);
			src_ok |= n.len == 20 && !memcmp(h, n.data, 20);
		}
	}
	sa->sa_nat_local = dst_seen && !dst_ok;
	sa->sa_nat_remote = src_seen && !src_ok;
	sa->sa_nat_fake = sa->sa_conn && sa->sa_conn->encap;
	if (!src_seen && !dst_seen)
		log_debug(LOG_IKE, "%s: peer sent no NAT detection notifies",
			  ike_sa_name(sa));
	natt_detected(sa);
}

/* {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *	= prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 */
int ikev2_sa_init_keys(struct ike_keys *k, const uint8_t *skeyseed,
		       const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		       size_t nr_len, const uint8_t *spi_i,
		       const uint8_t *spi_r)
{
	uint8_t seed[2 * 256 + 16];
	uint8_t keymat[CRYPTO_MAX_PRF_OUT * 3 + CRYPTO_MAX_KEY * 4];
	size_t plen = k->prf->out_len, alen = k->integ ? k->integ->key_len : 0;
	size_t elen = k->encr->key_len, off = 0, n = ni_len + nr_len;
	int ret = -1;

	if (elen > sizeof(k->sk_ei) || alen > sizeof(k->sk_ai))
		return -1;	/* a transform table entry too long */
	memcpy(seed, ni, ni_len);
	memcpy(seed + ni_len, nr, nr_len);
	memcpy(seed + n, spi_i, 8);
	memcpy(seed + n + 8, spi_r, 8);
	if (crypto_prfplus(k->prf, skeyseed, plen, seed, n + 16, keymat,
			   3 * plen + 2 * alen + 2 * elen))
		goto out;
	memcpy(k->sk_d, keymat + off, plen);
	off += plen;
	memcpy(k->sk_ai, keymat + off, alen);
	off += alen;
	memcpy(k->sk_ar, keymat + off, alen);
	off += alen;
	memcpy(k->sk_ei, keymat + off, elen);
	off += elen;
	memcpy(k->sk_er, keymat + off, elen);
	off += elen;
	memcpy(k->sk_pi, keymat + off, plen);
	off += plen;
	memcpy(k->sk_pr, keymat + off, plen);
	ret = 0;
out:
	crypto_wipe(keymat, sizeof(keymat));
	return ret;
}

int ikev2_sa_init_derive(struct ike_keys *k, const uint8_t *shared,
			 size_t slen, const uint8_t *ni, size_t ni_len,
			 const uint8_t *nr, size_t nr_len,
			 const uint8_t *spi_i, const uint8_t *spi_r)
{
	uint8_t nonces[2 * 256], skeyseed[CRYPTO_MAX_PRF_OUT];
	int ret;

	/* SKEYSEED = prf(Ni | Nr, g^ir) */
	memcpy(nonces, ni, ni_len);
	memcpy(nonces + ni_len, nr, nr_len);
	ret = crypto_prf(k->prf, nonces, ni_len + nr_len, shared, slen,
			 skeyseed);
	if (!ret)
		ret = ikev2_sa_init_keys(k, skeyseed, ni, ni_len, nr, nr_len,
					 spi_i, spi_r);
	crypto_wipe(skeyseed, sizeof(skeyseed));
	return ret;
}

int ikev2_sa_init_algs(struct ike_sa *sa)
{
	const struct prop_sel *s = &sa->sa_sel;
	char name[64];

	sa->sa_k.encr = crypto_encr_find(s->encr, s->encr_keylen);
	sa->sa_k.prf = crypto_prf_find(s->prf);
	sa->sa_k.integ = s->has_integ && s->integ ?
			 crypto_integ_find(s->integ) : NULL;
	if (!sa->sa_k.encr || !sa->sa_k.prf ||
	    (!sa->sa_k.encr->aead && !sa->sa_k.integ) ||
	    (sa->sa_k.encr->aead && sa->sa_k.integ)) {
		proposal_format_sel(s, name, sizeof(name));
		log_warnx(LOG_ENC, "%s: transforms %s not usable for the IKE "
			  "SA", ike_sa_name(sa), name);
		return -1;
	}
	return 0;
}

/* g^ir, then the keys. */
static int derive(struct ike_sa *sa, const uint8_t *peer_ke, size_t len)
{
	uint8_t shared[DH_MAX_SECRET];
	size_t slen = 0;
	const char *why;
	int ret;

	if (dh_derive(sa->sa_dh, peer_ke, len, shared, &slen, &why)) {
		log_warnx(LOG_ENC, "%s: peer's KE payload (group %u, %zu "
			  "bytes) rejected: %s", ike_sa_name(sa),
			  sa->sa_dh_group, len, why);
		return -1;
	}
	ret = ikev2_sa_init_derive(&sa->sa_k, shared, slen, sa->sa_ni,
				   sa->sa_ni_len, sa->sa_nr, sa->sa_nr_len,
				   sa->sa_spi_i, sa->sa_spi_r);
	crypto_wipe(shared, sizeof(shared));
	if (!ret)
		sa->sa_keyed = true;
	return ret;
}

int ikev2_sa_init_start(struct ike_sa *sa)
{
	const struct cfg_conn *c = sa->sa_conn;
	struct prop props[CFG_MAX_PROPOSALS];
	uint8_t pub[DH_MAX_PUB];
	struct pld_builder pb;
	struct buf plds;
	int i, ret = -1;

	if (!sa->sa_dh_group)
		sa->sa_dh_group = proposal_first_dh(c->proposals,
						    c->n_proposals);
	if (!sa->sa_dh) {
		sa->sa_dh = dh_new(sa->sa_dh_group);
		if (!sa->sa_dh) {
			log_warnx(LOG_ENC, "%s: DH group %u not supported",
				  ike_sa_name(sa), sa->sa_dh_group);
			return -1;
		}
	}
	if (!sa->sa_ni_len &&
	    ike_sa_nonce(&sa->sa_ni, &sa->sa_ni_len, NULL, IKEV2_NONCE_LEN))
		return -1;
	for (i = 0; i < c->n_proposals; i++)
		proposal_from_cfg(&c->proposals[i], IKEV2_PROTO_IKE,
				  (uint8_t)(i + 1), NULL, 0, &props[i]);
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	if (sa->sa_cookie_len)
		pld_add_notify(&pb, 0, NULL, 0, IKEV2_N_COOKIE, sa->sa_cookie,
			       sa->sa_cookie_len);
	pld_add_sa(&pb, props, c->n_proposals);
	if (dh_public(sa->sa_dh, pub, dh_pub_len(sa->sa_dh_group)))
		goto out;
	pld_add_ke(&pb, sa->sa_dh_group, pub, dh_pub_len(sa->sa_dh_group));
	pld_add_nonce(&pb, sa->sa_ni, sa->sa_ni_len);
	add_natd(sa, &pb);
	ikev2_auth_sa_init(sa, NULL, &pb);
	if (plds.err)
		goto out;
	sa->sa_tx_msgid = 0;
	ike_sa_set_state(sa, IKE_S_INIT_SENT);
	if (ikev2_msg_request(sa, IKEV2_EXCH_IKE_SA_INIT, &plds, pb.first))
		goto out;
	buf_reset(&sa->sa_init_i);
	buf_put(&sa->sa_init_i, sa->sa_req.data, sa->sa_req.len);
	ret = sa->sa_init_i.err ? -1 : 0;
out:
	buf_free(&plds);
	return ret;
}

static void no_conn(const struct ikev2_msg *msg)
{
	const struct config *cfg = ike_sa_config();
	char from[64], to[64], cand[1024] = "none";

	net_addr_str(&msg->peer, from, sizeof(from));
	net_addr_str(&msg->local, to, sizeof(to));
	if (cfg)
		config_conn_candidates(cfg, (const struct sockaddr *)&msg->local,
				       (const struct sockaddr *)&msg->peer,
				       NULL, NULL, cand, sizeof(cand));
	log_warnx(LOG_CFG, "no connection for IKE_SA_INIT from %s to %s: %s",
		  from, to, cand);
}

void ikev2_sa_init_recv_request(struct ikev2_msg *msg)
{
	const struct config *cfg = ike_sa_config();
	const struct cfg_conn *conn = NULL, *first = NULL;
	const struct cfg_conn *cands[CFG_MAX_CANDIDATES];
	struct prop props[PROP_MAX];
	struct prop_sel sel;
	struct prop resp;
	char why[1024], from[64], name[256];
	uint8_t pub[DH_MAX_PUB], grp[2];
	const uint8_t *ke;
	struct pld_builder pb;
	struct ike_sa *sa;
	struct buf plds;
	uint16_t group;
	size_t ke_len;
	int i, n, nc;

	net_addr_str(&msg->peer, from, sizeof(from));
	if (!msg->pl.sa.p || !msg->pl.ke.p || !msg->pl.nonce.p) {
		/* INVALID_SYNTAX only in an authenticated message (3.10.1) */
		log_warnx(LOG_ENC, "%s: IKE_SA_INIT from %s lacks %s, dropped",
			  __func__, from, !msg->pl.sa.p ? "SA" :
			  !msg->pl.ke.p ? "KE" : "Ni");
		return;
	}
	if (ikev2_cookie_gate(msg))	/* half-open load: no state (2.6) */
		return;
	pld_sa(&msg->pl.sa, props, PROP_MAX, &n);
	pld_ke(&msg->pl.ke, &group, &ke, &ke_len);
	nc = cfg ? config_match_conn(cfg, (const struct sockaddr *)&msg->local,
				     (const struct sockaddr *)&msg->peer, NULL,
				     NULL, cands, CFG_MAX_CANDIDATES) : 0;
	for (i = 0; i < nc && i < CFG_MAX_CANDIDATES; i++) {
		if (!first)
			first = cands[i];
		if (!proposal_select(props, n, cands[i]->proposals,
				     cands[i]->n_proposals, IKEV2_PROTO_IKE,
				     false, &sel, NULL, 0)) {
			conn = cands[i];
			break;
		}
	}
	if (!first) {
		no_conn(msg);
		ikev2_msg_notify_init(msg, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (!conn) {
		proposal_select(props, n, first->proposals, first->n_proposals,
				IKEV2_PROTO_IKE, false, &sel, why, sizeof(why));
		ike_diag(NULL, first, LOG_IKE, "%s: NO_PROPOSAL_CHOSEN for IKE SA from %s: "
			  "%s", first->name, from, why);
		ikev2_msg_notify_init(msg, IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (group != sel.dh) {
		log_info(LOG_IKE, "%s: peer %s sent KE for DH group %u, we "
			 "selected %u: asking for it (INVALID_KE_PAYLOAD)",
			 conn->name, from, group, sel.dh);
		grp[0] = sel.dh >> 8;
		grp[1] = sel.dh & 0xff;
		ikev2_msg_notify_init(msg, IKEV2_N_INVALID_KE_PAYLOAD, grp, 2);
		return;
	}
	sa = ike_sa_new(false, conn);
	if (!sa)
		return;
	ike_sa_set_spi_i(sa, (const uint8_t *)&msg->hdr.spi_i);
	sa->sa_local = msg->local;
	sa->sa_peer = msg->peer;
	sa->sa_natt = msg->natt;
	sa->sa_sel = sel;
	sa->sa_dh_group = sel.dh;
	sa->sa_rx_msgid = 0;
	if (ike_sa_nonce(&sa->sa_ni, &sa->sa_ni_len, msg->pl.nonce.p,
			 msg->pl.nonce.len) ||
	    ike_sa_nonce(&sa->sa_nr, &sa->sa_nr_len, NULL, IKEV2_NONCE_LEN)) {
		ike_sa_destroy(sa, "out of memory");
		return;
	}
	proposal_format_sel(&sel, name, sizeof(name));
	log_info(LOG_IKE, "%s: IKE_SA_INIT from %s, selected %s",
		 ike_sa_name(sa), from, name);
	sa->sa_dh = dh_new(sel.dh);
	if (!sa->sa_dh || ikev2_sa_init_algs(sa) || derive(sa, ke, ke_len)) {
		/* a KE we cannot use is dropped: INVALID_SYNTAX may only be
		 * sent in an authenticated message (3.10.1)
		 */
		if (!sa->sa_dh)
			ikev2_msg_notify_init(msg, IKEV2_N_NO_PROPOSAL_CHOSEN,
					      NULL, 0);
		ike_sa_destroy(sa, "IKE_SA_INIT failed");
		return;
	}
	check_natd(sa, msg);
	buf_put(&sa->sa_init_i, msg->raw, msg->len);

	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	proposal_from_sel(&sel, &resp);
	pld_add_sa(&pb, &resp, 1);
	dh_public(sa->sa_dh, pub, dh_pub_len(sel.dh));
	dh_free(sa->sa_dh);	/* g^ir is derived, our public value sent */
	sa->sa_dh = NULL;
	pld_add_ke(&pb, sel.dh, pub, dh_pub_len(sel.dh));
	pld_add_nonce(&pb, sa->sa_nr, sa->sa_nr_len);
	add_natd(sa, &pb);
	ikev2_auth_sa_init(sa, msg, &pb);
	ike_sa_set_state(sa, IKE_S_INIT_DONE);
	if (plds.err || ikev2_msg_respond(sa, msg, &plds, pb.first)) {
		ike_sa_destroy(sa, "cannot send IKE_SA_INIT response");
	} else {
		buf_put(&sa->sa_init_r, sa->sa_resp.data, sa->sa_resp.len);
	}
	buf_free(&plds);
}

/* An error notify instead of SA/KE/Nr: retry or give up, saying why. */
static void init_error(struct ike_sa *sa, const struct notify *n)
{
	const struct cfg_conn *c = sa->sa_conn;
	char ours[1024] = "", one[PROP_TEXT_MAX];
	uint16_t group;
	size_t off = 0;
	int i;

	switch (n->type) {
	case IKEV2_N_INVALID_KE_PAYLOAD:
		group = n->len >= 2 ? get16(n->data) : 0;
		if (!proposal_has_dh(c->proposals, c->n_proposals, group) ||
		    !dh_supported(group)) {
			ike_diag(sa, NULL, LOG_IKE, "%s: peer wants DH group %u, which "
				  "we did not propose", ike_sa_name(sa), group);
			ike_sa_destroy(sa, "INVALID_KE_PAYLOAD");
			return;
		}
		if (sa->sa_invalid_ke++ >= IKE_MAX_INVALID_KE) {
			ike_diag(sa, NULL, LOG_IKE, "%s: peer asked for another DH "
				  "group %d times, now %u (after %u), giving up",
				  ike_sa_name(sa), sa->sa_invalid_ke, group,
				  sa->sa_dh_group);
			ike_sa_destroy(sa, "INVALID_KE_PAYLOAD");
			return;
		}
		log_info(LOG_IKE, "%s: peer wants DH group %u instead of %u, "
			 "retrying", ike_sa_name(sa), group, sa->sa_dh_group);
		dh_free(sa->sa_dh);
		sa->sa_dh = NULL;
		sa->sa_dh_group = group;
		break;
	case IKEV2_N_COOKIE:
		/* The answer to a request with our latest cookie (older
		 * ones are ikev2_sa_init_stale()'s): a first COOKIE,
		 * or the responder refused the one we returned (it expired
		 * or its secret changed; 2.6 has it answer as if there were
		 * none). The request goes again with the new one, a few
		 * times at most. Each retransmit of the request just
		 * answered may still draw a COOKIE of its own.
		 */
		if (n->len < 1 || n->len > IKE_COOKIE_MAX) {
			ike_diag(sa, NULL, LOG_IKE, "%s: peer sent a COOKIE of "
				 "%zu bytes (1..%d)", ike_sa_name(sa), n->len,
				 IKE_COOKIE_MAX);
			ike_sa_destroy(sa, "bad COOKIE");
			return;
		}
		if (sa->sa_cookie_len &&
		    sa->sa_cookie_again++ >= IKE_MAX_COOKIE_AGAIN) {
			ike_diag(sa, NULL, LOG_IKE, "%s: peer refused the COOKIE "
				 "we returned %d times (expired, or its secret "
				 "changed, each time), giving up",
				 ike_sa_name(sa), sa->sa_cookie_again);
			ike_sa_destroy(sa, "COOKIE refused");
			return;
		}
		if (sa->sa_cookie_len)
			log_info(LOG_IKE, "%s: peer refused the COOKIE we "
				 "returned (expired, or its secret changed), "
				 "resending with its new one", ike_sa_name(sa));
		else
			log_info(LOG_IKE, "%s: peer asked for a COOKIE (it "
				 "has many half-open IKE SAs), resending with "
				 "it", ike_sa_name(sa));
		sa->sa_cookie_stale = sa->sa_req_tries;
		if (ike_sa_nonce(&sa->sa_cookie, &sa->sa_cookie_len, n->data,
				 n->len)) {
			ike_sa_destroy(sa, "out of memory");
			return;
		}
		break;
	case IKEV2_N_NO_PROPOSAL_CHOSEN:
		for (i = 0; i < c->n_proposals && off < sizeof(ours); i++) {
			proposal_format(c->proposals[i].xf,
					c->proposals[i].n_xf, one, sizeof(one));
			off += snprintf(ours + off, sizeof(ours) - off, "%s%s",
					i ? ", " : "", one);
		}
		ike_diag(sa, NULL, LOG_IKE, "%s: peer answered NO_PROPOSAL_CHOSEN to "
			  "our IKE proposals: %s", ike_sa_name(sa), ours);
		ike_sa_destroy(sa, "NO_PROPOSAL_CHOSEN");
		return;
	default:
		ike_diag(sa, NULL, LOG_IKE, "%s: peer answered IKE_SA_INIT with %s "
			  "(%u)", ike_sa_name(sa), ikev2_notify_name(n->type),
			  n->type);
		ike_sa_destroy(sa, ikev2_notify_name(n->type));
		return;
	}
	memset(sa->sa_spi_r, 0, 8);
	if (ikev2_sa_init_start(sa))
		ike_sa_destroy(sa, "IKE_SA_INIT could not be sent");
}

/*
 * An answer to one of our IKE_SA_INIT requests from before the one pending:
 * dropped, and the pending request keeps its retransmissions. Each request
 * is answered once at most, and a busy responder answers our retransmits
 * late:
 * - a COOKIE while the retransmits of the request our latest cookie
 *   answered are still due one (sa_cookie_stale). charon's cookies change
 *   every second, so these differ: taking each as a refusal would resend
 *   (another IKE_SA_INIT for the responder, and RealMessage1 no longer the
 *   one it accepted) and give up after a few, on a peer that would answer;
 * - INVALID_KE_PAYLOAD asking for the group we already switched to.
 */
bool ikev2_sa_init_stale(struct ike_sa *sa, const struct ikev2_msg *msg)
{
	struct notify n;

	if (sa->sa_cookie_stale &&
	    pld_find_notify(&msg->pl, IKEV2_N_COOKIE, &n)) {
		sa->sa_cookie_stale--;
		log_debug(LOG_IKE, "%s: a COOKIE answering an earlier "
			  "IKE_SA_INIT request, dropped", ike_sa_name(sa));
		return true;
	}
	if (sa->sa_invalid_ke &&
	    pld_find_notify(&msg->pl, IKEV2_N_INVALID_KE_PAYLOAD, &n) &&
	    n.len >= 2 && get16(n.data) == sa->sa_dh_group) {
		log_debug(LOG_IKE, "%s: INVALID_KE_PAYLOAD for group %u, "
			  "which we already use: answers an earlier "
			  "IKE_SA_INIT request, dropped", ike_sa_name(sa),
			  sa->sa_dh_group);
		return true;
	}
	return false;
}

void ikev2_sa_init_recv_response(struct ike_sa *sa, struct ikev2_msg *msg)
{
	const struct cfg_conn *c = sa->sa_conn;
	struct prop props[PROP_MAX];
	char why[1024], name[256];
	const uint8_t *ke;
	struct notify n;
	uint16_t group;
	size_t ke_len;
	int np;

	if (pld_find_notify(&msg->pl, IKEV2_N_COOKIE, &n) ||
	    pld_find_error(&msg->pl, &n)) {
		init_error(sa, &n);
		return;
	}
	if (!msg->pl.sa.p || !msg->pl.ke.p || !msg->pl.nonce.p) {
		log_warnx(LOG_ENC, "%s: IKE_SA_INIT response lacks %s",
			  ike_sa_name(sa), !msg->pl.sa.p ? "SA" :
			  !msg->pl.ke.p ? "KE" : "Nr");
		ike_sa_destroy(sa, "invalid IKE_SA_INIT response");
		return;
	}
	pld_sa(&msg->pl.sa, props, PROP_MAX, &np);
	if (np != 1 || proposal_select(props, 1, c->proposals,
				       c->n_proposals, IKEV2_PROTO_IKE, false,
				       &sa->sa_sel, why, sizeof(why))) {
		ike_diag(sa, NULL, LOG_IKE, "%s: peer selected a proposal we did not "
			  "offer (%d proposals): %s", ike_sa_name(sa), np,
			  np == 1 ? why : "");
		ike_sa_destroy(sa, "invalid proposal in response");
		return;
	}
	pld_ke(&msg->pl.ke, &group, &ke, &ke_len);
	if (group != sa->sa_dh_group || sa->sa_sel.dh != group) {
		ike_diag(sa, NULL, LOG_IKE, "%s: peer's KE is group %u, selected %u, "
			  "ours %u", ike_sa_name(sa), group, sa->sa_sel.dh,
			  sa->sa_dh_group);
		ike_sa_destroy(sa, "DH group mismatch");
		return;
	}
	memcpy(sa->sa_spi_r, &msg->hdr.spi_r, 8);
	if (ike_sa_nonce(&sa->sa_nr, &sa->sa_nr_len, msg->pl.nonce.p,
			 msg->pl.nonce.len) ||
	    ikev2_sa_init_algs(sa) || derive(sa, ke, ke_len)) {
		ike_sa_destroy(sa, "key derivation failed");
		return;
	}
	dh_free(sa->sa_dh);	/* g^ir is derived */
	sa->sa_dh = NULL;
	check_natd(sa, msg);
	ikev2_auth_sa_init(sa, msg, NULL);
	buf_reset(&sa->sa_init_r);
	buf_put(&sa->sa_init_r, msg->raw, msg->len);
	proposal_format_sel(&sa->sa_sel, name, sizeof(name));
	log_info(LOG_IKE, "%s: IKE_SA_INIT done, selected %s",
		 ike_sa_name(sa), name);
	natt_float(sa);		/* IKE_AUTH goes to port 4500 (2.23) */
	if (ikev2_auth_start(sa))
		ike_sa_destroy(sa, "IKE_AUTH could not be sent");
}
