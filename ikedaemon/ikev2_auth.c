// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_AUTH (RFC 7296 1.2) with pre-shared keys or certificates (2.15,
 * RFC 7427 signatures). When it fails, the log says which of the usual
 * causes it is: no connection accepts the peer's identity (the candidates
 * are listed), or the AUTH payload did not verify for an identity we know
 * (the PSKs differ; or the certificate is not trusted, does not hold the
 * identity, or its key does not verify the signature).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_cert.h"
#include "crypto.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_auth.h"
#include "ikev2_exch.h"
#include "ikev2_msg.h"
#include "log.h"
#include "natt.h"
#include "net.h"
#include "sig.h"

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

/*
 * SignedOctets (2.15) of our AUTH (ours) or of the peer's:
 * RealMessage1 | Nr | prf(SK_pi, IDi') for the initiator,
 * RealMessage2 | Ni | prf(SK_pr, IDr') for the responder.
 */
static int signed_octets(const struct ike_sa *sa, bool ours, struct buf *out)
{
	const struct ike_keys *k = &sa->sa_k;
	bool init = sa->sa_initiator == ours;
	const struct cfg_id *id = ours ? &sa->sa_id_l : &sa->sa_id_r;
	uint8_t idbody[4 + sizeof(id->data)], macid[CRYPTO_MAX_PRF_OUT];
	size_t idlen = pld_id_body(id, idbody, sizeof(idbody));
	const struct buf *real = init ? &sa->sa_init_i : &sa->sa_init_r;

	if (crypto_prf(k->prf, init ? k->sk_pi : k->sk_pr, k->prf->out_len,
		       idbody, idlen, macid))
		return -1;
	buf_put(out, real->data, real->len);
	if (init)
		buf_put(out, sa->sa_nr, sa->sa_nr_len);
	else
		buf_put(out, sa->sa_ni, sa->sa_ni_len);
	buf_put(out, macid, k->prf->out_len);
	crypto_wipe(macid, sizeof(macid));
	return out->err ? -1 : 0;
}

void ikev2_auth_sa_init(struct ike_sa *sa, const struct ikev2_msg *msg,
			struct pld_builder *pb)
{
	const struct cfg_conn *c = sa->sa_conn;
	uint8_t hashes[16];
	struct notify n;
	struct buf req;
	size_t len;

	if (msg && pld_find_notify(&msg->pl, IKEV2_N_SIGNATURE_HASH_ALGORITHMS,
				   &n)) {
		sa->sa_peer_hashes = sig_hashes_decode(n.data, n.len);
		log_debug(LOG_IKE, "%s: peer's signature hashes: mask 0x%x",
			  ike_sa_name(sa), sa->sa_peer_hashes);
	}
	if (!pb)
		return;
	len = sig_hashes_encode(hashes, sizeof(hashes));
	pld_add_notify(pb, 0, NULL, 0, IKEV2_N_SIGNATURE_HASH_ALGORITHMS,
		       hashes, len);
	if (sa->sa_initiator || !c || c->remote.method != CFG_AUTH_PUBKEY)
		return;
	buf_init(&req);
	if (auth_cert_certreq(&c->remote, &req) > 0 && !req.err)
		pld_add_cert(pb, IKEV2_PLD_CERTREQ, CERT_X509_SIG, req.data,
			     req.len);
	buf_free(&req);
}

/* Our credentials; a diagnostic naming the file and reason if not. */
static int load_cred(struct ike_sa *sa, struct cert_cred *cr)
{
	char err[AUTH_CERT_ERR_MAX];

	if (!auth_cert_cred_load(&sa->sa_conn->local, ike_sa_config(), cr, err,
				 sizeof(err)))
		return 0;
	ike_diag(sa, NULL, LOG_CFG, "%s: cannot authenticate with a "
		 "certificate: %s", ike_sa_name(sa), err);
	return -1;
}

/* Our identity with a certificate: configured, else its subject DN. */
static void cert_local_id(struct ike_sa *sa, const struct cert_cred *cr)
{
	char err[AUTH_CERT_ERR_MAX];

	if (!sa->sa_conn->local.id.type) {
		auth_cert_subject_id(cr->cc_cert, &sa->sa_id_l);
		return;
	}
	if (auth_cert_check_id(cr->cc_cert, &sa->sa_id_l, err, sizeof(err)))
		log_warnx(LOG_CFG, "%s: our local id: %s; the peer will "
			  "refuse it", ike_sa_name(sa), err);
}

/* CERT payloads and the AUTH payload for certificate authentication. */
static int add_cert_auth(struct ike_sa *sa, const struct cert_cred *cr,
			 struct pld_builder *pb, bool with_certs,
			 bool with_auth)
{
	char scheme[128], err[AUTH_CERT_ERR_MAX], key[64];
	uint8_t *der = NULL, method;
	struct buf oct, auth;
	int i, len, ret = -1;

	if (with_certs) {
		for (i = -1; i < sk_X509_num(cr->cc_chain); i++) {
			len = i2d_X509(i < 0 ? cr->cc_cert :
				       sk_X509_value(cr->cc_chain, i), &der);
			if (len <= 0)
				return -1;
			pld_add_cert(pb, IKEV2_PLD_CERT, CERT_X509_SIG, der,
				     (size_t)len);
			OPENSSL_free(der);
			der = NULL;
		}
		return 0;
	}
	if (!with_auth)
		return 0;
	buf_init(&oct);
	buf_init(&auth);
	if (signed_octets(sa, true, &oct))
		goto out;
	if (sig_sign(cr->cc_key, sa->sa_peer_hashes, &oct, &method, &auth,
		     scheme, sizeof(scheme), err, sizeof(err)) || auth.err) {
		sig_key_desc(cr->cc_key, key, sizeof(key));
		ike_diag(sa, NULL, LOG_IKE, "%s: cannot sign our AUTH with the "
			 "%s key of %s: %s", ike_sa_name(sa), key,
			 cr->cc_secret, err);
		goto out;
	}
	log_debug(LOG_IKE, "%s: signing AUTH with %s", ike_sa_name(sa), scheme);
	pld_add_auth(pb, method, auth.data, auth.len);
	ret = 0;
out:
	buf_free(&oct);
	buf_free(&auth);
	return ret;
}

int ikev2_auth_start(struct ike_sa *sa)
{
	const struct cfg_conn *c = sa->sa_conn;
	const struct cfg_secret *psk = NULL;
	bool cert = c->local.method == CFG_AUTH_PUBKEY;
	uint8_t auth[CRYPTO_MAX_PRF_OUT];
	struct cert_cred cr = { 0 };
	char l[300], r[300];
	struct pld_builder pb;
	struct buf plds, req;
	int ret = -1;

	ike_sa_local_id(sa, &sa->sa_id_l);
	if (cert) {
		if (load_cred(sa, &cr))
			return -1;
		cert_local_id(sa, &cr);
	} else {
		psk = find_psk(sa, &c->remote.id);
		if (!psk) {
			ike_id_str(&sa->sa_id_l, l, sizeof(l));
			ike_id_str(&c->remote.id, r, sizeof(r));
			ike_diag(sa, NULL, LOG_CFG, "%s: no PSK in secrets "
				 "for %s - %s", ike_sa_name(sa), l, r);
			return -1;
		}
		if (our_auth(sa, psk, auth))
			return -1;
	}
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	pld_add_id(&pb, IKEV2_PLD_IDI, &sa->sa_id_l);
	if (cert && add_cert_auth(sa, &cr, &pb, true, false))
		goto out;
	if (c->remote.method == CFG_AUTH_PUBKEY) {
		buf_init(&req);
		if (auth_cert_certreq(&c->remote, &req) > 0 && !req.err)
			pld_add_cert(&pb, IKEV2_PLD_CERTREQ, CERT_X509_SIG,
				     req.data, req.len);
		buf_free(&req);
	}
	if (c->remote.id.type)
		pld_add_id(&pb, IKEV2_PLD_IDR, &c->remote.id);
	if (cert) {
		if (add_cert_auth(sa, &cr, &pb, false, true))
			goto out;
	} else {
		pld_add_auth(&pb, IKEV2_AUTH_SHARED_KEY_MIC, auth,
			     sa->sa_k.prf->out_len);
	}
	if (sa->sa_child_cfg && ikev2_child_request(sa, &pb))
		goto out;
	if (plds.err)
		goto out;
	ike_sa_set_state(sa, IKE_S_AUTH_SENT);
	ret = ikev2_msg_request(sa, IKEV2_EXCH_IKE_AUTH, &plds, pb.first);
out:
	crypto_wipe(auth, sizeof(auth));
	auth_cert_cred_free(&cr);
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
	char cand[1024], id[300], want[300], from[64], nat[800];

	if (cfg && config_match_conn(cfg, (const struct sockaddr *)&msg->local,
				     (const struct sockaddr *)&msg->peer,
				     &sa->sa_id_r, idr, out, 1) > 0) {
		ike_sa_set_conn(sa, out[0]);
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
	/* the connection IKE_SA_INIT chose by address: behind a NAT? */
	natt_id_hint(sa, sa->sa_conn ? &sa->sa_conn->remote.id : NULL,
		     &sa->sa_id_r, nat, sizeof(nat));
	ike_diag(sa, NULL, LOG_CFG, "%s: AUTHENTICATION_FAILED: no connection matches "
		  "peer identity %s (from %s%s%s)%s%s; candidates: %s",
		  ike_sa_name(sa), id, from, idr ? ", asking for us as " : "",
		  idr ? want : "", *nat ? ": " : "", nat, cfg ? cand : "none");
	return NULL;
}

/*
 * The peer's certificate authentication (RFC 7296 2.15, RFC 7427): its
 * chain against remote.cacerts, its identity against the certificate, the
 * AUTH signature against the certificate's key. 0, or -1 after a
 * diagnostic naming which check failed and the values involved.
 */
static int verify_cert_auth(struct ike_sa *sa, const struct ikev2_msg *msg,
			    const char *id)
{
	const struct cfg_conn *c = sa->sa_conn;
	char err[AUTH_CERT_ERR_MAX], scheme[128], subj[256], key[64];
	STACK_OF(X509) *chain = sk_X509_new_null();
	const uint8_t *data;
	X509 *leaf = NULL, *x;
	uint8_t enc, method;
	struct buf oct;
	size_t len;
	int i, ret = -1;

	buf_init(&oct);
	if (!chain)
		goto out;
	if (!msg->pl.n_cert) {
		ike_diag(sa, NULL, LOG_IKE, "%s: AUTHENTICATION_FAILED: %s sent "
			 "no certificate (no CERT payload; connection %s "
			 "needs one for auth = pubkey)", ike_sa_name(sa), id,
			 c->name);
		goto out;
	}
	for (i = 0; i < msg->pl.n_cert; i++) {
		pld_cert(&msg->pl.cert[i], &enc, &data, &len);
		if (enc != CERT_X509_SIG) {
			log_info(LOG_IKE, "%s: ignoring CERT payload with "
				 "encoding %u (we use %u, X.509 signature)",
				 ike_sa_name(sa), enc, CERT_X509_SIG);
			continue;
		}
		x = auth_cert_parse(data, len, err, sizeof(err));
		if (!x) {
			ike_diag(sa, NULL, LOG_IKE, "%s: AUTHENTICATION_FAILED: "
				 "certificate %d of %s: %s", ike_sa_name(sa),
				 i + 1, id, err);
			goto out;
		}
		if (!leaf)
			leaf = x;
		else
			sk_X509_push(chain, x);
	}
	if (!leaf) {
		ike_diag(sa, NULL, LOG_IKE, "%s: AUTHENTICATION_FAILED: %s sent "
			 "no X.509 certificate (encoding %u)", ike_sa_name(sa),
			 id, CERT_X509_SIG);
		goto out;
	}
	auth_cert_name_str(X509_get_subject_name(leaf), subj, sizeof(subj));
	if (auth_cert_verify(&c->remote, leaf, chain, err, sizeof(err))) {
		ike_diag(sa, NULL, LOG_IKE, "%s: AUTHENTICATION_FAILED: "
			 "certificate problem: %s sent a certificate we do "
			 "not trust (connection %s): %s", ike_sa_name(sa), id,
			 c->name, err);
		goto out;
	}
	if (auth_cert_check_id(leaf, &sa->sa_id_r, err, sizeof(err))) {
		ike_diag(sa, NULL, LOG_IKE, "%s: AUTHENTICATION_FAILED: "
			 "certificate problem: peer identity does not match "
			 "its certificate: %s", ike_sa_name(sa), err);
		goto out;
	}
	pld_auth(&msg->pl.auth, &method, &data, &len);
	if (signed_octets(sa, false, &oct))
		goto out;
	if (sig_verify(X509_get0_pubkey(leaf), method, data, len, &oct,
		       scheme, sizeof(scheme), err, sizeof(err))) {
		sig_key_desc(X509_get0_pubkey(leaf), key, sizeof(key));
		ike_diag(sa, NULL, LOG_IKE, "%s: AUTHENTICATION_FAILED: AUTH "
			 "payload of %s did not verify with its certificate "
			 "\"%s\" (%s, %s): %s", ike_sa_name(sa), id, subj,
			 key, scheme, err);
		goto out;
	}
	free(sa->sa_peer_cert);
	sa->sa_peer_cert = strdup(subj);	/* NULL: not shown, no harm */
	log_info(LOG_IKE, "%s: authentication of %s with certificate \"%s\" "
		 "(%s) successful", ike_sa_name(sa), id, subj, scheme);
	ret = 0;
out:
	buf_free(&oct);
	X509_free(leaf);
	sk_X509_pop_free(chain, X509_free);
	return ret;
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

	ike_sa_set_state(sa, IKE_S_ESTABLISHED);
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

/* The peer's PSK authentication; 0, or -1 after a diagnostic. */
static int verify_psk_auth(struct ike_sa *sa, const struct ikev2_msg *msg,
			   const char *id)
{
	const struct cfg_secret *psk = find_psk(sa, &sa->sa_id_r);
	char l[300];
	const char *why;

	if (!psk) {
		ike_id_str(&sa->sa_id_l, l, sizeof(l));
		ike_diag(sa, NULL, LOG_CFG, "%s: AUTHENTICATION_FAILED: no PSK "
			 "in secrets for %s - %s", ike_sa_name(sa), l, id);
		return -1;
	}
	if (verify_auth(sa, psk, msg, &why)) {
		ike_diag(sa, NULL, LOG_IKE, "%s: AUTHENTICATION_FAILED: AUTH "
			 "payload of %s did not verify with secret %s "
			 "(connection %s): %s", ike_sa_name(sa), id, psk->name,
			 sa->sa_conn->name, why);
		return -1;
	}
	log_info(LOG_IKE, "%s: authentication of %s with pre-shared key "
		 "successful", ike_sa_name(sa), id);
	return 0;
}

static int verify_peer(struct ike_sa *sa, const struct ikev2_msg *msg,
		       const char *id)
{
	if (sa->sa_conn->remote.method == CFG_AUTH_PUBKEY)
		return verify_cert_auth(sa, msg, id);
	return verify_psk_auth(sa, msg, id);
}

void ikev2_auth_recv_request(struct ike_sa *sa, struct ikev2_msg *msg)
{
	const struct cfg_secret *psk = NULL;
	uint8_t auth[CRYPTO_MAX_PRF_OUT];
	struct cert_cred cr = { 0 };
	struct cfg_id idr;
	char id[300], l[300];
	struct pld_builder pb;
	struct buf plds;
	bool cert;

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
	cert = sa->sa_conn->local.method == CFG_AUTH_PUBKEY;
	ike_sa_local_id(sa, &sa->sa_id_l);
	ike_id_str(&sa->sa_id_r, id, sizeof(id));
	if (cert && load_cred(sa, &cr)) {
		auth_failed(sa, msg);
		return;
	}
	if (cert)
		cert_local_id(sa, &cr);
	ike_id_str(&sa->sa_id_l, l, sizeof(l));
	if (!cert) {
		psk = find_psk(sa, &sa->sa_id_r);
		if (!psk) {
			ike_diag(sa, NULL, LOG_CFG, "%s: AUTHENTICATION_FAILED: "
				 "no PSK in secrets for %s - %s",
				 ike_sa_name(sa), l, id);
			auth_failed(sa, msg);
			return;
		}
	}
	if (verify_peer(sa, msg, id)) {
		auth_cert_cred_free(&cr);
		auth_failed(sa, msg);
		return;
	}
	established(sa);
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	pld_add_id(&pb, IKEV2_PLD_IDR, &sa->sa_id_l);
	if (cert) {
		if (add_cert_auth(sa, &cr, &pb, true, false) ||
		    add_cert_auth(sa, &cr, &pb, false, true))
			goto fail;
	} else {
		if (our_auth(sa, psk, auth))
			goto fail;
		pld_add_auth(&pb, IKEV2_AUTH_SHARED_KEY_MIC, auth,
			     sa->sa_k.prf->out_len);
		crypto_wipe(auth, sizeof(auth));
	}
	auth_cert_cred_free(&cr);
	ikev2_child_respond(sa, msg, &pb);
	if (plds.err || ikev2_msg_respond(sa, msg, &plds, pb.first))
		ike_sa_destroy(sa, "cannot send IKE_AUTH response");
	else
		ike_sa_init_done(sa);	/* a retransmit gets sa_resp */
	buf_free(&plds);
	return;
fail:
	auth_cert_cred_free(&cr);
	buf_free(&plds);
	auth_failed(sa, msg);
}

void ikev2_auth_recv_response(struct ike_sa *sa, struct ikev2_msg *msg)
{
	const struct cfg_conn *c = sa->sa_conn;
	char id[300], want[300], nat[800];
	struct notify n;

	ike_id_str(&sa->sa_id_l, id, sizeof(id));
	if (pld_find_notify(&msg->pl, IKEV2_N_AUTHENTICATION_FAILED, &n)) {
		natt_idr_hint(sa, &c->remote.id, nat, sizeof(nat));
		ike_diag(sa, NULL, LOG_IKE, "%s: peer answered AUTHENTICATION_FAILED "
			  "to us as %s: it has no connection for this "
			  "identity, or %s (the peer's log says which)%s%s",
			  ike_sa_name(sa), id,
			  c->local.method == CFG_AUTH_PUBKEY ?
			  "it does not accept our certificate" :
			  "our PSKs differ", *nat ? "; " : "", nat);
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
		natt_id_hint(sa, &c->remote.id, &sa->sa_id_r, nat, sizeof(nat));
		ike_diag(sa, NULL, LOG_CFG, "%s: AUTHENTICATION_FAILED: peer "
			  "identifies as %s, connection %s expects %s%s%s",
			  ike_sa_name(sa), id, c->name, want,
			  *nat ? ": " : "", nat);
		ike_sa_destroy(sa, "peer identity mismatch");
		return;
	}
	if (verify_peer(sa, msg, id)) {
		ike_sa_destroy(sa, "authentication failed");
		return;
	}
	established(sa);
	ikev2_child_recv_auth(sa, msg);
	ike_sa_init_done(sa);
}
