// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_AUTH (RFC 7296 1.2) with pre-shared keys (2.15). When it fails, the
 * log says which of the two usual causes it is: no connection accepts the
 * peer's identity (the candidates are listed), or the AUTH payload did not
 * verify for an identity we know (the PSKs differ).
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_exch.h"
#include "ikev2_msg.h"
#include "log.h"
#include "net.h"

#define KEY_PAD		"Key Pad for IKEv2"
#define KEY_PAD_LEN	17

/*
 * AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>),
 * SignedOctets = RealMessage | Nonce | prf(SK_p, RestOfIDPayload).
 */
int ikev2_auth_psk(const struct crypto_prf *prf, const uint8_t *psk,
		   size_t psk_len, const struct buf *real_msg,
		   const uint8_t *nonce, size_t nonce_len,
		   const uint8_t *sk_p, const struct cfg_id *id,
		   uint8_t *out)
{
	uint8_t idbody[4 + sizeof(id->data)], macid[CRYPTO_MAX_PRF_OUT];
	uint8_t key[CRYPTO_MAX_PRF_OUT];
	struct crypto_iov v[3];
	size_t idlen = pld_id_body(id, idbody, sizeof(idbody));
	int ret = -1;

	if (crypto_prf(prf, sk_p, prf->out_len, idbody, idlen, macid) ||
	    crypto_prf(prf, psk, psk_len, (const uint8_t *)KEY_PAD,
		       KEY_PAD_LEN, key))
		goto out;
	v[0] = (struct crypto_iov){ real_msg->data, real_msg->len };
	v[1] = (struct crypto_iov){ nonce, nonce_len };
	v[2] = (struct crypto_iov){ macid, prf->out_len };
	ret = crypto_prf_iov(prf, key, prf->out_len, v, 3, out);
out:
	crypto_wipe(key, sizeof(key));
	crypto_wipe(macid, sizeof(macid));
	return ret;
}

static const struct cfg_secret *find_psk(const struct ike_sa *sa,
					 const struct cfg_id *remote)
{
	const struct config *cfg = ike_sa_config();

	return cfg ? config_find_psk(cfg, &sa->sa_id_l, remote) : NULL;
}

/* Our AUTH payload value (initiator or responder per sa). */
static int our_auth(struct ike_sa *sa, const struct cfg_secret *psk,
		    uint8_t *out)
{
	const struct ike_keys *k = &sa->sa_k;

	if (sa->sa_initiator)
		return ikev2_auth_psk(k->prf, psk->secret, psk->secret_len,
				      &sa->sa_init_i, sa->sa_nr,
				      sa->sa_nr_len, k->sk_pi, &sa->sa_id_l,
				      out);
	return ikev2_auth_psk(k->prf, psk->secret, psk->secret_len,
			      &sa->sa_init_r, sa->sa_ni, sa->sa_ni_len,
			      k->sk_pr, &sa->sa_id_l, out);
}

/* Check the peer's AUTH payload; 0 if it verifies. */
static int verify_auth(struct ike_sa *sa, const struct cfg_secret *psk,
		       const struct ikev2_msg *msg, const char **why)
{
	const struct ike_keys *k = &sa->sa_k;
	uint8_t want[CRYPTO_MAX_PRF_OUT], method;
	const uint8_t *data;
	size_t len;
	int ret;

	pld_auth(&msg->pl.auth, &method, &data, &len);
	if (method != IKEV2_AUTH_SHARED_KEY_MIC) {
		*why = "peer uses another authentication method than PSK";
		return -1;
	}
	if (sa->sa_initiator)
		ret = ikev2_auth_psk(k->prf, psk->secret, psk->secret_len,
				     &sa->sa_init_r, sa->sa_ni, sa->sa_ni_len,
				     k->sk_pr, &sa->sa_id_r, want);
	else
		ret = ikev2_auth_psk(k->prf, psk->secret, psk->secret_len,
				     &sa->sa_init_i, sa->sa_nr, sa->sa_nr_len,
				     k->sk_pi, &sa->sa_id_r, want);
	*why = "PSK mismatch likely";
	if (!ret && (len != k->prf->out_len ||
		     crypto_memcmp(want, data, len)))
		ret = -1;
	crypto_wipe(want, sizeof(want));
	return ret;
}

int ikev2_auth_start(struct ike_sa *sa)
{
	const struct cfg_conn *c = sa->sa_conn;
	const struct cfg_secret *psk;
	uint8_t auth[CRYPTO_MAX_PRF_OUT];
	char l[300], r[300];
	struct pld_builder pb;
	struct buf plds;
	int ret = -1;

	ike_sa_local_id(sa, &sa->sa_id_l);
	psk = find_psk(sa, &c->remote.id);
	if (!psk) {
		ike_id_str(&sa->sa_id_l, l, sizeof(l));
		ike_id_str(&c->remote.id, r, sizeof(r));
		ike_diag(sa, NULL, LOG_CFG, "%s: no PSK in secrets for %s - %s",
			  ike_sa_name(sa), l, r);
		return -1;
	}
	if (our_auth(sa, psk, auth))
		return -1;
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	pld_add_id(&pb, IKEV2_PLD_IDI, &sa->sa_id_l);
	if (c->remote.id.type)
		pld_add_id(&pb, IKEV2_PLD_IDR, &c->remote.id);
	pld_add_auth(&pb, IKEV2_AUTH_SHARED_KEY_MIC, auth,
		     sa->sa_k.prf->out_len);
	crypto_wipe(auth, sizeof(auth));
	if (sa->sa_child_cfg && ikev2_child_request(sa, &pb))
		goto out;
	if (plds.err)
		goto out;
	sa->sa_state = IKE_S_AUTH_SENT;
	ret = ikev2_msg_request(sa, IKEV2_EXCH_IKE_AUTH, &plds, pb.first);
out:
	buf_free(&plds);
	return ret;
}

/* Responder: the connection for this peer identity, or NULL after a log
 * line listing every connection and why it does not match.
 */
static const struct cfg_conn *find_conn(struct ike_sa *sa,
					const struct ikev2_msg *msg,
					const struct cfg_id *idr)
{
	const struct config *cfg = ike_sa_config();
	const struct cfg_conn *out[1];
	char cand[1024], id[300], want[300], from[64];

	if (cfg && config_match_conn(cfg, (const struct sockaddr *)&msg->local,
				     (const struct sockaddr *)&msg->peer,
				     &sa->sa_id_r, idr, out, 1) > 0) {
		sa->sa_conn = out[0];
		return out[0];
	}
	ike_id_str(&sa->sa_id_r, id, sizeof(id));
	net_addr_str(&msg->peer, from, sizeof(from));
	if (idr)
		ike_id_str(idr, want, sizeof(want));
	if (cfg)
		config_conn_candidates(cfg, (const struct sockaddr *)&msg->local,
				       (const struct sockaddr *)&msg->peer,
				       &sa->sa_id_r, idr, cand, sizeof(cand));
	ike_diag(sa, NULL, LOG_CFG, "%s: AUTHENTICATION_FAILED: no connection matches "
		  "peer identity %s (from %s%s%s); candidates: %s",
		  ike_sa_name(sa), id, from, idr ? ", asking for us as " : "",
		  idr ? want : "", cfg ? cand : "none");
	return NULL;
}

static void auth_failed(struct ike_sa *sa, struct ikev2_msg *msg)
{
	struct pld_builder pb;
	struct buf plds;

	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	pld_add_notify(&pb, 0, NULL, 0, IKEV2_N_AUTHENTICATION_FAILED, NULL,
		       0);
	ikev2_msg_respond(sa, msg, &plds, pb.first);
	buf_free(&plds);
	ike_sa_destroy(sa, "authentication failed");
}

static void established(struct ike_sa *sa)
{
	char l[300], r[300], a[64], b[64];

	sa->sa_state = IKE_S_ESTABLISHED;
	timer_del(&sa->sa_life_timer);
	ikev2_info_dpd_start(sa);
	ikev2_sa_init_rekey_arm(sa);
	ike_id_str(&sa->sa_id_l, l, sizeof(l));
	ike_id_str(&sa->sa_id_r, r, sizeof(r));
	net_addr_str(&sa->sa_local, a, sizeof(a));
	net_addr_str(&sa->sa_peer, b, sizeof(b));
	log_info(LOG_IKE, "%s: IKE SA established between %s[%s]...%s[%s], "
		 "SPIs %016llx_i %016llx_r", ike_sa_name(sa), a, l, b, r,
		 (unsigned long long)get64(sa->sa_spi_i),
		 (unsigned long long)get64(sa->sa_spi_r));
}

void ikev2_auth_recv_request(struct ike_sa *sa, struct ikev2_msg *msg)
{
	const struct cfg_secret *psk;
	uint8_t auth[CRYPTO_MAX_PRF_OUT];
	struct cfg_id idr;
	char id[300], l[300];
	struct pld_builder pb;
	struct buf plds;
	const char *why;

	if (!msg->pl.idi.p || !msg->pl.auth.p) {
		log_warnx(LOG_ENC, "%s: IKE_AUTH request lacks %s (EAP is not "
			  "supported)", ike_sa_name(sa),
			  !msg->pl.idi.p ? "IDi" : "AUTH");
		auth_failed(sa, msg);
		return;
	}
	pld_id(&msg->pl.idi, &sa->sa_id_r);
	ike_id_str(&sa->sa_id_r, sa->sa_id_r.text, sizeof(sa->sa_id_r.text));
	if (msg->pl.idr.p) {
		pld_id(&msg->pl.idr, &idr);
		ike_id_str(&idr, idr.text, sizeof(idr.text));
	}
	if (!find_conn(sa, msg, msg->pl.idr.p ? &idr : NULL)) {
		auth_failed(sa, msg);
		return;
	}
	ike_sa_local_id(sa, &sa->sa_id_l);
	ike_id_str(&sa->sa_id_r, id, sizeof(id));
	ike_id_str(&sa->sa_id_l, l, sizeof(l));
	psk = find_psk(sa, &sa->sa_id_r);
	if (!psk) {
		ike_diag(sa, NULL, LOG_CFG, "%s: AUTHENTICATION_FAILED: no PSK in "
			  "secrets for %s - %s", ike_sa_name(sa), l, id);
		auth_failed(sa, msg);
		return;
	}
	if (verify_auth(sa, psk, msg, &why)) {
		ike_diag(sa, NULL, LOG_IKE, "%s: AUTHENTICATION_FAILED: AUTH payload of "
			  "%s did not verify with secret %s (connection %s): "
			  "%s", ike_sa_name(sa), id, psk->name,
			  sa->sa_conn->name, why);
		auth_failed(sa, msg);
		return;
	}
	log_info(LOG_IKE, "%s: authentication of %s with pre-shared key "
		 "successful", ike_sa_name(sa), id);
	established(sa);
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	pld_add_id(&pb, IKEV2_PLD_IDR, &sa->sa_id_l);
	if (our_auth(sa, psk, auth)) {
		buf_free(&plds);
		auth_failed(sa, msg);
		return;
	}
	pld_add_auth(&pb, IKEV2_AUTH_SHARED_KEY_MIC, auth,
		     sa->sa_k.prf->out_len);
	crypto_wipe(auth, sizeof(auth));
	ikev2_child_respond(sa, msg, &pb);
	if (plds.err || ikev2_msg_respond(sa, msg, &plds, pb.first))
		ike_sa_destroy(sa, "cannot send IKE_AUTH response");
	buf_free(&plds);
}

void ikev2_auth_recv_response(struct ike_sa *sa, struct ikev2_msg *msg)
{
	const struct cfg_conn *c = sa->sa_conn;
	const struct cfg_secret *psk;
	char id[300], want[300];
	struct notify n;
	const char *why;

	ike_id_str(&sa->sa_id_l, id, sizeof(id));
	if (pld_find_notify(&msg->pl, IKEV2_N_AUTHENTICATION_FAILED, &n)) {
		ike_diag(sa, NULL, LOG_IKE, "%s: peer answered AUTHENTICATION_FAILED "
			  "to us as %s: it has no connection for this "
			  "identity, or our PSKs differ (the peer's log "
			  "says which)", ike_sa_name(sa), id);
		ike_sa_destroy(sa, "AUTHENTICATION_FAILED");
		return;
	}
	if (!msg->pl.idr.p || !msg->pl.auth.p) {
		if (pld_find_error(&msg->pl, &n))
			ike_diag(sa, NULL, LOG_IKE, "%s: peer answered IKE_AUTH with "
				  "%s (%u)", ike_sa_name(sa),
				  ikev2_notify_name(n.type), n.type);
		else
			log_warnx(LOG_ENC, "%s: IKE_AUTH response lacks %s",
				  ike_sa_name(sa), !msg->pl.idr.p ? "IDr" :
				  "AUTH");
		ike_sa_destroy(sa, "IKE_AUTH failed");
		return;
	}
	pld_id(&msg->pl.idr, &sa->sa_id_r);
	ike_id_str(&sa->sa_id_r, sa->sa_id_r.text, sizeof(sa->sa_id_r.text));
	ike_id_str(&sa->sa_id_r, id, sizeof(id));
	if (!ike_id_match(&c->remote.id, &sa->sa_id_r)) {
		ike_id_str(&c->remote.id, want, sizeof(want));
		ike_diag(sa, NULL, LOG_CFG, "%s: AUTHENTICATION_FAILED: peer "
			  "identifies as %s, connection %s expects %s",
			  ike_sa_name(sa), id, c->name, want);
		ike_sa_destroy(sa, "peer identity mismatch");
		return;
	}
	psk = find_psk(sa, &sa->sa_id_r);
	if (!psk) {
		ike_diag(sa, NULL, LOG_CFG, "%s: AUTHENTICATION_FAILED: no PSK in "
			  "secrets for the responder %s", ike_sa_name(sa), id);
		ike_sa_destroy(sa, "no PSK");
		return;
	}
	if (verify_auth(sa, psk, msg, &why)) {
		ike_diag(sa, NULL, LOG_IKE, "%s: AUTHENTICATION_FAILED: AUTH payload of "
			  "responder %s did not verify with secret %s: %s",
			  ike_sa_name(sa), id, psk->name, why);
		ike_sa_destroy(sa, "authentication failed");
		return;
	}
	log_info(LOG_IKE, "%s: authentication of %s with pre-shared key "
		 "successful", ike_sa_name(sa), id);
	established(sa);
	ikev2_child_recv_auth(sa, msg);
}
