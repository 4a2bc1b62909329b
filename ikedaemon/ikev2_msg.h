/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 messages: header, SK payload (RFC 7296 3.14, RFC 5282 for AEAD),
 * sending with retransmission, receiving with message ID checks and the
 * response cache (2.1-2.3), and dispatch to the exchange handlers.
 */
#ifndef IKEDAEMON_IKEV2_MSG_H
#define IKEDAEMON_IKEV2_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "ikev2.h"
#include "ikev2_pld.h"

struct ike_sa;
struct ike_keys;

struct ikev2_msg {
	struct ikev2_hdr hdr;
	const uint8_t *raw;
	size_t len;
	struct ikev2_payloads pl;
	struct buf plain;		/* decrypted SK contents */
	struct sockaddr_storage local, peer;
	bool natt;
};

/* Header: bounds and version only. -1 (logged) when malformed. */
int ikev2_hdr_decode(const uint8_t *p, size_t len, struct ikev2_hdr *h);
void ikev2_hdr_encode(const struct ikev2_hdr *h, uint8_t *p);

/*
 * Assemble a message: header h (next payload and length are filled in)
 * followed by the payloads in pb's buffer, wrapped in an SK payload when
 * keys is not NULL (sender = initiator picks SK_ei/SK_ai). out receives
 * the message.
 */
int ikev2_msg_encode(struct ikev2_hdr *h, const struct ike_keys *keys,
		     bool sender_is_initiator, const struct buf *plds,
		     uint8_t first, struct buf *out);
/* Decrypt and parse the SK payload of a received message into msg->pl. */
int ikev2_msg_decrypt(struct ikev2_msg *msg, const struct ike_keys *keys,
		      bool sender_is_initiator);
/* Parse a datagram into msg (header and the unencrypted chain). */
int ikev2_msg_parse(struct ikev2_msg *msg, const uint8_t *data, size_t len);
void ikev2_msg_free(struct ikev2_msg *msg);

/* Send a request of exchange exch on sa (encrypted unless IKE_SA_INIT);
 * retransmitted until the response comes or the peer is declared gone.
 */
int ikev2_msg_request(struct ike_sa *sa, uint8_t exch, const struct buf *plds,
		      uint8_t first);
/* Retransmission: first wait timeout_ms, each next one base times the
 * last, tries retransmits (defaults 500 ms, 2, 4).
 */
void ikev2_msg_set_retransmit(unsigned int timeout_ms, double base,
			      int tries);
/* Answer request req on sa; cached for retransmitted requests. */
int ikev2_msg_respond(struct ike_sa *sa, const struct ikev2_msg *req,
		      const struct buf *plds, uint8_t first);
/* An unencrypted one-notify answer to an IKE_SA_INIT with no SA kept. */
void ikev2_msg_notify_init(const struct ikev2_msg *req, uint16_t type,
			   const uint8_t *data, size_t len);
/* Stop retransmitting (response arrived, SA going away). */
void ikev2_msg_request_done(struct ike_sa *sa);

/* Entry point for every datagram (net.c). */
void ikev2_msg_recv(const uint8_t *data, size_t len,
		    const struct sockaddr_storage *local,
		    const struct sockaddr_storage *peer, bool natt);

#endif
