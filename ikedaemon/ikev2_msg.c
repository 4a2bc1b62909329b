// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 messages; see ikev2_msg.h. Window size 1 both ways (RFC 7296
 * 2.3): one outstanding request, retransmitted with exponential backoff
 * (2.1); the last response cached and re-sent for a retransmitted request
 * without reprocessing it (2.1).
 */
#include <string.h>

#include "crypto.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_exch.h"
#include "ikev2_msg.h"
#include "log.h"
#include "natt.h"
#include "net.h"

#define IKE_RETRANS_MAX_WAIT	3600000	/* ms, cap of one wait */

int ikev2_hdr_decode(const uint8_t *p, size_t len, struct ikev2_hdr *h)
{
	if (len < IKEV2_HDR_LEN) {
		log_debug(LOG_NET, "%s: datagram too short for IKE (%zu < %d)",
			  __func__, len, IKEV2_HDR_LEN);
		return -1;
	}
	memcpy(&h->spi_i, p, 8);
	memcpy(&h->spi_r, p + 8, 8);
	h->next = p[16];
	h->version = p[17];
	h->exchange = p[18];
	h->flags = p[19];
	h->msgid = get32(p + 20);
	h->length = get32(p + 24);
	if (h->version >> 4 != IKEV2_VERSION >> 4) {
		log_warnx(LOG_ENC, "%s: major version %u, not 2", __func__,
			  h->version >> 4);
		return -1;
	}
	if (h->length != len) {
		log_warnx(LOG_ENC, "%s: header length %u, datagram %zu",
			  __func__, h->length, len);
		return -1;
	}
	return 0;
}

void ikev2_hdr_encode(const struct ikev2_hdr *h, uint8_t *p)
{
	memcpy(p, &h->spi_i, 8);
	memcpy(p + 8, &h->spi_r, 8);
	p[16] = h->next;
	p[17] = IKEV2_VERSION;
	p[18] = h->exchange;
	p[19] = h->flags;
	p[20] = h->msgid >> 24;
	p[21] = (h->msgid >> 16) & 0xff;
	p[22] = (h->msgid >> 8) & 0xff;
	p[23] = h->msgid & 0xff;
	p[24] = h->length >> 24;
	p[25] = (h->length >> 16) & 0xff;
	p[26] = (h->length >> 8) & 0xff;
	p[27] = h->length & 0xff;
}

static size_t icv_len(const struct ike_keys *k)
{
	return k->encr->aead ? k->encr->icv_len : k->integ->out_len;
}

int ikev2_msg_encode(struct ikev2_hdr *h, const struct ike_keys *k,
		     bool sender_is_initiator, const struct buf *plds,
		     uint8_t first, struct buf *out)
{
	const uint8_t *ek, *ak;
	size_t pad, ctlen, sklen, ivlen, icv, ivoff, off;
	int ret = -1;

	buf_reset(out);
	if (!k) {
		h->next = first;
		h->length = (uint32_t)(IKEV2_HDR_LEN + plds->len);
		off = buf_reserve(out, IKEV2_HDR_LEN);
		buf_put(out, plds->data, plds->len);
		if (out->err)
			return -1;
		ikev2_hdr_encode(h, out->data + off);
		return 0;
	}
	ek = sender_is_initiator ? k->sk_ei : k->sk_er;
	ak = sender_is_initiator ? k->sk_ai : k->sk_ar;
	ivlen = k->encr->iv_len;
	icv = icv_len(k);
	pad = (k->encr->block - (plds->len + 1) % k->encr->block) %
	      k->encr->block;
	ctlen = plds->len + pad + 1;
	sklen = IKEV2_PLD_HDR_LEN + ivlen + ctlen + icv;
	h->next = IKEV2_PLD_SK;
	h->length = (uint32_t)(IKEV2_HDR_LEN + sklen);
	if (h->length > IKEV2_MSG_MAX)
		return -1;
	buf_reserve(out, IKEV2_HDR_LEN + IKEV2_PLD_HDR_LEN);
	ivoff = buf_reserve(out, ivlen);
	buf_put(out, plds->data, plds->len);
	buf_reserve(out, pad);
	buf_put8(out, (uint8_t)pad);
	buf_reserve(out, icv);
	if (out->err)
		return -1;
	ikev2_hdr_encode(h, out->data);
	out->data[IKEV2_HDR_LEN] = first;
	buf_set16(out, IKEV2_HDR_LEN + 2, (uint16_t)sklen);
	if (crypto_random(out->data + ivoff, ivlen))
		return -1;
	off = ivoff + ivlen;
	if (k->encr->aead) {
		ret = crypto_encrypt(k->encr, ek, out->data + ivoff, out->data,
				     IKEV2_HDR_LEN + IKEV2_PLD_HDR_LEN,
				     out->data + off, ctlen, out->data + off,
				     out->data + off + ctlen);
	} else {
		ret = crypto_encrypt(k->encr, ek, out->data + ivoff, NULL, 0,
				     out->data + off, ctlen, out->data + off,
				     NULL);
		if (!ret)
			ret = crypto_integ_mac(k->integ, ak, out->data,
					       off + ctlen,
					       out->data + off + ctlen);
	}
	if (ret)
		log_warnx(LOG_ENC, "%s: encryption failed", __func__);
	return ret;
}

int ikev2_msg_decrypt(struct ikev2_msg *msg, const struct ike_keys *k,
		      bool sender_is_initiator)
{
	uint8_t mac[CRYPTO_MAX_ICV];
	const uint8_t *ek, *ak, *iv, *ct, *tag;
	size_t ivlen, icv, ctlen, pad;
	const struct pld_ref *sk = &msg->pl.sk;

	if (!sk->p) {
		log_warnx(LOG_ENC, "%s: %s without SK payload", __func__,
			  ikev2_exch_name(msg->hdr.exchange));
		return -1;
	}
	ek = sender_is_initiator ? k->sk_ei : k->sk_er;
	ak = sender_is_initiator ? k->sk_ai : k->sk_ar;
	ivlen = k->encr->iv_len;
	icv = icv_len(k);
	if (sk->len < ivlen + icv + 1) {
		log_warnx(LOG_ENC, "%s: SK payload too short (%zu < %zu)",
			  __func__, sk->len, ivlen + icv + 1);
		return -1;
	}
	iv = sk->p;
	ct = sk->p + ivlen;
	ctlen = sk->len - ivlen - icv;
	tag = ct + ctlen;
	if (ctlen % k->encr->block) {
		log_warnx(LOG_ENC, "%s: ciphertext %zu not a multiple of the "
			  "block size %zu", __func__, ctlen, k->encr->block);
		return -1;
	}
	buf_reset(&msg->plain);
	if (buf_reserve(&msg->plain, ctlen) == SIZE_MAX)
		return -1;
	if (k->encr->aead) {
		if (crypto_decrypt(k->encr, ek, iv, msg->raw,
				   msg->pl.sk_hdr_off + IKEV2_PLD_HDR_LEN, ct,
				   ctlen, msg->plain.data, tag)) {
			log_warnx(LOG_ENC, "%s: %s message %u: ICV does not "
				  "verify", __func__,
				  ikev2_exch_name(msg->hdr.exchange),
				  msg->hdr.msgid);
			return -1;
		}
	} else {
		if (crypto_integ_mac(k->integ, ak, msg->raw,
				     (size_t)(tag - msg->raw), mac) ||
		    crypto_memcmp(mac, tag, icv)) {
			log_warnx(LOG_ENC, "%s: %s message %u: integrity check "
				  "failed", __func__,
				  ikev2_exch_name(msg->hdr.exchange),
				  msg->hdr.msgid);
			return -1;
		}
		if (crypto_decrypt(k->encr, ek, iv, NULL, 0, ct, ctlen,
				   msg->plain.data, NULL))
			return -1;
	}
	pad = msg->plain.data[ctlen - 1];
	if (pad + 1 > ctlen) {
		log_warnx(LOG_ENC, "%s: pad length %zu exceeds plaintext %zu",
			  __func__, pad, ctlen);
		return -1;
	}
	msg->plain.len = ctlen - pad - 1;
	return ikev2_pld_parse(msg->plain.data, msg->plain.data,
			       msg->plain.len, msg->pl.sk_next, &msg->pl);
}

int ikev2_msg_parse(struct ikev2_msg *msg, const uint8_t *data, size_t len)
{
	memset(&msg->pl, 0, sizeof(msg->pl));
	msg->raw = data;
	msg->len = len;
	if (ikev2_hdr_decode(data, len, &msg->hdr))
		return -1;
	return ikev2_pld_parse(data, data + IKEV2_HDR_LEN,
			       len - IKEV2_HDR_LEN, msg->hdr.next, &msg->pl);
}

void ikev2_msg_free(struct ikev2_msg *msg)
{
	buf_free(&msg->plain);
}

static void send_buf(struct ike_sa *sa, const struct buf *b)
{
	net_send(&sa->sa_local, &sa->sa_peer, sa->sa_natt, b->data, b->len);
	natt_sent(sa);
}

/* Retransmission (2.1), strongSwan's scheme: the wait after send n (0 the
 * first) is timeout * base^n; the peer is given up after tries
 * retransmits and one more wait. ikedaemon -t/-b/-r set them.
 */
static unsigned int retrans_timeout = IKE_RETRANS_BASE;	/* ms */
static double retrans_base = 2.0;
static int retrans_tries = IKE_RETRANS_TRIES;

void ikev2_msg_set_retransmit(unsigned int timeout_ms, double base,
			      int tries)
{
	retrans_timeout = timeout_ms;
	retrans_base = base;
	retrans_tries = tries;
}

/* ms to wait after send n */
static uint64_t retrans_wait(int n)
{
	double t = retrans_timeout;

	while (n-- > 0)
		t *= retrans_base;
	return t > (double)IKE_RETRANS_MAX_WAIT ? IKE_RETRANS_MAX_WAIT :
	       (uint64_t)t;
}

static void retransmit(void *arg)
{
	struct ike_sa *sa = arg;
	uint64_t total = 0;
	char peer[64];
	int i;

	if (!sa->sa_req_pending)
		return;
	if (sa->sa_req_tries >= retrans_tries) {
		for (i = 0; i <= sa->sa_req_tries; i++)
			total += retrans_wait(i);
		net_addr_str(&sa->sa_peer, peer, sizeof(peer));
		ike_diag(sa, NULL, LOG_NET, "%s: peer %s unreachable: no response to "
			  "%s request %u after %d retransmits (%.1f s)%s",
			  ike_sa_name(sa), peer,
			  ikev2_exch_name(sa->sa_req_exch), sa->sa_tx_msgid,
			  sa->sa_req_tries, total / 1000.0, sa->sa_req_dpd ?
			  ": DPD declares the peer dead (liveness check, "
			  "dpd_delay)" : "");
		sa->sa_req_pending = false;
		ike_sa_destroy(sa, "peer unreachable");
		return;
	}
	sa->sa_req_tries++;
	log_info(LOG_NET, "%s: retransmit %d of %s request %u",
		 ike_sa_name(sa), sa->sa_req_tries,
		 ikev2_exch_name(sa->sa_req_exch), sa->sa_tx_msgid);
	send_buf(sa, &sa->sa_req);
	timer_add(&sa->sa_req_timer, retrans_wait(sa->sa_req_tries));
}

int ikev2_msg_request(struct ike_sa *sa, uint8_t exch, const struct buf *plds,
		      uint8_t first)
{
	struct ikev2_hdr h = { 0 };

	memcpy(&h.spi_i, sa->sa_spi_i, 8);
	memcpy(&h.spi_r, sa->sa_spi_r, 8);
	h.exchange = exch;
	h.flags = sa->sa_initiator ? IKEV2_FLAG_INITIATOR : 0;
	h.msgid = sa->sa_tx_msgid;
	if (ikev2_msg_encode(&h, exch == IKEV2_EXCH_IKE_SA_INIT ? NULL :
			     &sa->sa_k, sa->sa_initiator, plds, first,
			     &sa->sa_req))
		return -1;
	sa->sa_req_pending = true;
	sa->sa_req_exch = exch;
	sa->sa_req_tries = 0;
	sa->sa_req_dpd = false;
	log_debug(LOG_NET, "%s: sending %s request %u (%zu bytes)",
		  ike_sa_name(sa), ikev2_exch_name(exch), h.msgid,
		  sa->sa_req.len);
	send_buf(sa, &sa->sa_req);
	timer_set(&sa->sa_req_timer, retransmit, sa);
	timer_add(&sa->sa_req_timer, retrans_wait(0));
	return 0;
}

void ikev2_msg_request_done(struct ike_sa *sa)
{
	sa->sa_req_pending = false;
	timer_del(&sa->sa_req_timer);
	buf_free(&sa->sa_req);	/* answered: nothing to retransmit */
}

int ikev2_msg_respond(struct ike_sa *sa, const struct ikev2_msg *req,
		      const struct buf *plds, uint8_t first)
{
	struct ikev2_hdr h = { 0 };
	uint8_t exch = req->hdr.exchange;

	memcpy(&h.spi_i, sa->sa_spi_i, 8);
	memcpy(&h.spi_r, sa->sa_spi_r, 8);
	h.exchange = exch;
	h.flags = IKEV2_FLAG_RESPONSE |
		  (sa->sa_initiator ? IKEV2_FLAG_INITIATOR : 0);
	h.msgid = req->hdr.msgid;
	if (ikev2_msg_encode(&h, exch == IKEV2_EXCH_IKE_SA_INIT ? NULL :
			     &sa->sa_k, sa->sa_initiator, plds, first,
			     &sa->sa_resp))
		return -1;
	buf_shrink(&sa->sa_resp);	/* kept until the next request */
	sa->sa_resp_valid = true;
	sa->sa_resp_msgid = h.msgid;
	sa->sa_rx_msgid = h.msgid + 1;
	log_debug(LOG_NET, "%s: sending %s response %u (%zu bytes)",
		  ike_sa_name(sa), ikev2_exch_name(exch), h.msgid,
		  sa->sa_resp.len);
	send_buf(sa, &sa->sa_resp);
	return 0;
}

void ikev2_msg_notify_init(const struct ikev2_msg *req, uint16_t type,
			   const uint8_t *data, size_t len)
{
	struct ikev2_hdr h = { 0 };
	struct pld_builder pb;
	struct buf plds, out;

	buf_init(&plds);
	buf_init(&out);
	pld_builder_init(&pb, &plds);
	pld_add_notify(&pb, 0, NULL, 0, type, data, len);
	h.spi_i = req->hdr.spi_i;
	h.exchange = IKEV2_EXCH_IKE_SA_INIT;
	h.flags = IKEV2_FLAG_RESPONSE;
	if (!ikev2_msg_encode(&h, NULL, false, &plds, pb.first, &out))
		net_send(&req->local, &req->peer, req->natt, out.data,
			 out.len);
	buf_free(&plds);
	buf_free(&out);
}

/*
 * An authenticated message (RFC 7296 2.23): on port 4500 while we are
 * still on 500, the peer floated, follow it there; from another address
 * or port while a NAT is in the path, the NAT mapping changed, and the
 * IKE SA and its CHILD SAs follow (natt.c).
 */
static void follow_float(struct ike_sa *sa, const struct ikev2_msg *msg)
{
	char a[64];

	if (msg->hdr.exchange == IKEV2_EXCH_IKE_SA_INIT)
		return;
	if (!sa->sa_natt && msg->natt) {
		sa->sa_natt = true;
		sa->sa_peer = msg->peer;
		net_set_port(&sa->sa_local, net_port(&msg->local));
		net_addr_str(&sa->sa_peer, a, sizeof(a));
		log_info(LOG_NET, "%s: peer switched to NAT-T, now %s",
			 ike_sa_name(sa), a);
		return;
	}
	if (sa->sa_natt && msg->natt && natt_encap_wanted(sa))
		natt_peer_moved(sa, &msg->peer, "IKE message");
}

static void recv_response(struct ike_sa *sa, struct ikev2_msg *msg)
{
	if (!sa->sa_req_pending || msg->hdr.msgid != sa->sa_tx_msgid ||
	    msg->hdr.exchange != sa->sa_req_exch) {
		log_debug(LOG_NET, "%s: unexpected %s response %u (waiting "
			  "for %u), dropped", ike_sa_name(sa),
			  ikev2_exch_name(msg->hdr.exchange), msg->hdr.msgid,
			  sa->sa_tx_msgid);
		return;
	}
	if (msg->hdr.exchange != IKEV2_EXCH_IKE_SA_INIT &&
	    ikev2_msg_decrypt(msg, &sa->sa_k, !sa->sa_initiator))
		return;
	if (msg->hdr.exchange == IKEV2_EXCH_IKE_SA_INIT &&
	    ikev2_sa_init_stale(sa, msg))
		return;		/* the pending request waits on */
	ikev2_msg_request_done(sa);
	follow_float(sa, msg);
	sa->sa_tx_msgid++;
	switch (msg->hdr.exchange) {
	case IKEV2_EXCH_IKE_SA_INIT:
		ikev2_sa_init_recv_response(sa, msg);
		break;
	case IKEV2_EXCH_IKE_AUTH:
		ikev2_auth_recv_response(sa, msg);
		break;
	case IKEV2_EXCH_CREATE_CHILD_SA:
		ikev2_child_recv_response(sa, msg);
		break;
	case IKEV2_EXCH_INFORMATIONAL:
		ikev2_info_recv_response(sa, msg);
		break;
	}
}

/*
 * An authenticated request with a critical payload we do not know: the
 * whole message is rejected and answered with UNSUPPORTED_CRITICAL_PAYLOAD
 * naming the payload type (2.5); the message ID is used up.
 */
static void reject_critical(struct ike_sa *sa, struct ikev2_msg *msg)
{
	uint8_t type = msg->pl.unsupported_critical;
	struct pld_builder pb;
	struct buf plds;

	log_warnx(LOG_ENC, "%s: %s request %u carries critical payload %u, "
		  "which we do not support: answering "
		  "UNSUPPORTED_CRITICAL_PAYLOAD", ike_sa_name(sa),
		  ikev2_exch_name(msg->hdr.exchange), msg->hdr.msgid, type);
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	pld_add_notify(&pb, 0, NULL, 0, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
		       &type, 1);
	if (!plds.err)
		ikev2_msg_respond(sa, msg, &plds, pb.first);
	buf_free(&plds);
}

static void recv_request(struct ike_sa *sa, struct ikev2_msg *msg)
{
	uint32_t id = msg->hdr.msgid;

	if (sa->sa_resp_valid && id == sa->sa_resp_msgid) {
		log_debug(LOG_NET, "%s: retransmitted %s request %u, "
			  "resending our response", ike_sa_name(sa),
			  ikev2_exch_name(msg->hdr.exchange), id);
		send_buf(sa, &sa->sa_resp);
		return;
	}
	if (id != sa->sa_rx_msgid) {
		log_debug(LOG_NET, "%s: %s request %u outside the window "
			  "(expected %u), dropped", ike_sa_name(sa),
			  ikev2_exch_name(msg->hdr.exchange), id,
			  sa->sa_rx_msgid);
		return;
	}
	if (ikev2_msg_decrypt(msg, &sa->sa_k, !sa->sa_initiator)) {
		if (msg->pl.unsupported_critical)
			reject_critical(sa, msg);
		return;
	}
	follow_float(sa, msg);
	switch (msg->hdr.exchange) {
	case IKEV2_EXCH_IKE_AUTH:
		if (sa->sa_state == IKE_S_INIT_DONE)
			ikev2_auth_recv_request(sa, msg);
		break;
	case IKEV2_EXCH_CREATE_CHILD_SA:
		if (sa->sa_state == IKE_S_ESTABLISHED)
			ikev2_child_recv_request(sa, msg);
		break;
	case IKEV2_EXCH_INFORMATIONAL:
		if (sa->sa_state >= IKE_S_ESTABLISHED)
			ikev2_info_recv_request(sa, msg);
		break;
	default:
		log_warnx(LOG_IKE, "%s: exchange type %u not supported, "
			  "request %u dropped", ike_sa_name(sa),
			  msg->hdr.exchange, id);
	}
}

/* An IKE_SA_INIT request we cannot process still gets the answer RFC 7296
 * 2.5 prescribes: INVALID_MAJOR_VERSION (our version in the header) for a
 * newer major version, UNSUPPORTED_CRITICAL_PAYLOAD naming the payload.
 */
static void reject_init(const struct ikev2_msg *msg, size_t len,
			const char *from)
{
	const struct ikev2_hdr *h = &msg->hdr;
	static const uint8_t zero[8];
	uint8_t type = msg->pl.unsupported_critical;

	if (len < IKEV2_HDR_LEN || h->exchange != IKEV2_EXCH_IKE_SA_INIT ||
	    (h->flags & IKEV2_FLAG_RESPONSE) ||
	    !(h->flags & IKEV2_FLAG_INITIATOR) ||
	    memcmp(&h->spi_r, zero, 8) || h->msgid)
		return;
	if (h->version >> 4 > IKEV2_VERSION >> 4) {
		log_info(LOG_NET, "IKE_SA_INIT from %s: major version %u, we "
			 "speak %u: answering INVALID_MAJOR_VERSION", from,
			 h->version >> 4, IKEV2_VERSION >> 4);
		ikev2_msg_notify_init(msg, IKEV2_N_INVALID_MAJOR_VERSION,
				      NULL, 0);
	} else if (type) {
		log_info(LOG_NET, "IKE_SA_INIT from %s: critical payload %u "
			 "not supported: answering UNSUPPORTED_CRITICAL_PAYLOAD",
			 from, type);
		ikev2_msg_notify_init(msg, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
				      &type, 1);
	}
}

void ikev2_msg_recv(const uint8_t *data, size_t len,
		    const struct sockaddr_storage *local,
		    const struct sockaddr_storage *peer, bool natt)
{
	struct ikev2_msg msg = { 0 };
	static const uint8_t zero[8];
	const uint8_t *our_spi;
	struct ike_sa *sa;
	char from[64] = "";

	buf_init(&msg.plain);
	msg.local = *local;
	msg.peer = *peer;
	msg.natt = natt;
	/* the sender as text only for lines that are written */
	if (log_debug_on())
		net_addr_str(peer, from, sizeof(from));
	if (ikev2_msg_parse(&msg, data, len)) {
		if (!from[0])	/* reject_init() may name it at any level */
			net_addr_str(peer, from, sizeof(from));
		log_debug(LOG_NET, "invalid IKE message from %s dropped",
			  from);
		reject_init(&msg, len, from);
		goto out;
	}
	log_debug(LOG_NET, "received %s %s %u from %s (%zu bytes)",
		  ikev2_exch_name(msg.hdr.exchange),
		  msg.hdr.flags & IKEV2_FLAG_RESPONSE ? "response" : "request",
		  msg.hdr.msgid, from, len);
	if (msg.hdr.exchange == IKEV2_EXCH_IKE_SA_INIT &&
	    !(msg.hdr.flags & IKEV2_FLAG_RESPONSE)) {
		if (!(msg.hdr.flags & IKEV2_FLAG_INITIATOR) ||
		    memcmp(&msg.hdr.spi_r, zero, 8) || msg.hdr.msgid) {
			log_debug(LOG_NET, "IKE_SA_INIT request from %s with "
				  "flags 0x%02x, responder SPI %016llx, message "
				  "ID %u (want I, 0, 0), dropped", from,
				  msg.hdr.flags,
				  (unsigned long long)get64((const uint8_t *)
							    &msg.hdr.spi_r),
				  msg.hdr.msgid);
			goto out;
		}
		sa = ike_sa_find_init((const uint8_t *)&msg.hdr.spi_i, peer);
		if (!sa)
			ikev2_sa_init_recv_request(&msg);
		else if (sa->sa_resp_valid && sa->sa_resp_msgid == 0)
			send_buf(sa, &sa->sa_resp);	/* retransmitted */
		goto out;
	}
	our_spi = msg.hdr.flags & IKEV2_FLAG_INITIATOR ?
		  (const uint8_t *)&msg.hdr.spi_r :
		  (const uint8_t *)&msg.hdr.spi_i;
	sa = ike_sa_find(our_spi);
	if (!sa || sa->sa_state == IKE_S_DEAD ||
	    (sa->sa_initiator == !!(msg.hdr.flags & IKEV2_FLAG_INITIATOR))) {
		log_debug(LOG_NET, "%s %u from %s for unknown IKE SA, dropped",
			  ikev2_exch_name(msg.hdr.exchange), msg.hdr.msgid,
			  from);
		goto out;
	}
	if (msg.hdr.flags & IKEV2_FLAG_RESPONSE)
		recv_response(sa, &msg);
	else
		recv_request(sa, &msg);
out:
	ikev2_msg_free(&msg);
}
