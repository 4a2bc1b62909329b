/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE SA: table, state, keys, message IDs, and its CHILD SAs. One
 * exchange file per state transition drives it (ikev2_sa_init.c,
 * ikev2_auth.c, ikev2_child.c, ikev2_info.c); ike_sa.c owns lifetime.
 */
#ifndef IKEDAEMON_IKE_SA_H
#define IKEDAEMON_IKE_SA_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"
#include "child_slot.h"
#include "log.h"
#include "config.h"
#include "crypto.h"
#include "proposal.h"
#include "timer.h"
#include "ts.h"

struct dh;

enum ike_state {
	IKE_S_INIT_SENT,	/* initiator: IKE_SA_INIT request out */
	IKE_S_INIT_DONE,	/* responder: answered, waiting for IKE_AUTH */
	IKE_S_AUTH_SENT,	/* initiator: IKE_AUTH request out */
	IKE_S_ESTABLISHED,
	IKE_S_DELETING,		/* our INFORMATIONAL delete is out */
	IKE_S_DEAD,		/* to be freed at the end of this event */
};

#define IKE_COOKIE_MAX		256	/* longest COOKIE we echo */

/* Timeouts and retransmission (RFC 7296 2.1, 2.4). */
#define IKE_RETRANS_BASE	500	/* ms before the first retransmit */
#define IKE_RETRANS_TRIES	4	/* retransmits before giving up */
#define IKE_HALF_OPEN_TIMEOUT	30000	/* ms for a responder's IKE_AUTH */
#define IKE_MAX_INVALID_KE	2	/* INVALID_KE_PAYLOAD retries */
#define IKE_MAX_COOKIE_AGAIN	3	/* our COOKIE refused, retries */

struct ike_keys {
	const struct crypto_encr *encr;
	const struct crypto_integ *integ;	/* NULL for AEAD */
	const struct crypto_prf *prf;
	uint8_t sk_d[CRYPTO_MAX_PRF_OUT];
	uint8_t sk_ai[CRYPTO_MAX_KEY], sk_ar[CRYPTO_MAX_KEY];
	uint8_t sk_ei[CRYPTO_MAX_ENCR_KEY], sk_er[CRYPTO_MAX_ENCR_KEY];
	uint8_t sk_pi[CRYPTO_MAX_PRF_OUT], sk_pr[CRYPTO_MAX_PRF_OUT];
};

struct ike_sa {
	struct ike_sa *sa_next;
	struct ike_sa *sa_hnext;	/* ike_sa.c's bucket of our SPI */
	struct ike_sa *sa_inext;	/* ... of SPIi (responder SAs) */
	bool sa_in_ihash;
	unsigned int sa_uid;		/* for log lines: name[uid] */
	char sa_name[CFG_NAME_MAX + 16];	/* "name[uid]", ike_sa_name() */
	uint8_t sa_spi_i[8], sa_spi_r[8];
	bool sa_initiator;		/* we sent the first IKE_SA_INIT */
	enum ike_state sa_state;
	const struct cfg_conn *sa_conn;
	const struct cfg_child *sa_child_cfg;	/* initiator: what to ask */
	struct sockaddr_storage sa_local, sa_peer;
	bool sa_natt;			/* on port 4500 */
	bool sa_nat_local;		/* we are behind a NAT (2.23) */
	bool sa_nat_remote;		/* the peer is behind a NAT */
	bool sa_nat_fake;		/* encap = yes: we claim a NAT */
	uint64_t sa_ka_last;		/* ms, our last NAT keepalive */
	uint64_t sa_ka_esp_out;		/* outbound ESP packets, last look */

	struct dh *sa_dh;
	uint16_t sa_dh_group;
	int sa_invalid_ke;		/* INVALID_KE_PAYLOAD retries so far */
	int sa_cookie_again;		/* our returned COOKIE refused */
	int sa_cookie_stale;		/* COOKIEs still due to older requests */
	/* IKE_SA_INIT material, allocated to fit and freed by
	 * ike_sa_init_done() once both AUTH payloads are done (or the keys
	 * of a rekeyed IKE SA are derived): nonces (3.9), RealMessage1/2
	 * (2.15), the responder's COOKIE (2.6).
	 */
	uint8_t *sa_ni, *sa_nr;
	size_t sa_ni_len, sa_nr_len;
	struct buf sa_init_i, sa_init_r;
	uint8_t *sa_cookie;
	size_t sa_cookie_len;
	struct prop_sel sa_sel;
	struct ike_keys sa_k;
	bool sa_keyed;
	bool sa_rekeyed;		/* replaced by a rekeyed IKE SA */
	bool sa_diag;			/* a diagnostic was recorded */
	bool sa_ike_rekeying;		/* our IKE SA rekey is in flight */
	uint8_t sa_ike_rekey_spi[8];	/* ... for the new SA with this SPI */
	/* The peer rekeyed the IKE SA while ours was in flight (2.8.2): our
	 * SPI of the SA it made, and the lower nonce of its exchange, kept
	 * until our own answer says which new SA is redundant.
	 */
	uint8_t sa_collide_spi[8];
	uint8_t *sa_collide_nonce;
	size_t sa_collide_nonce_len;
	struct timer sa_rekey_timer;	/* conn rekey_time */

	struct cfg_id sa_id_l, sa_id_r;	/* ours; the peer's as received */
	unsigned int sa_peer_hashes;	/* SIGNATURE_HASH_ALGORITHMS (RFC
					 * 7427 4), mask of 1 << id */
	char *sa_peer_cert;		/* subject of the peer's cert, or NULL */

	/* Message IDs, window size 1 (2.3). */
	uint32_t sa_tx_msgid;		/* next request we send */
	uint32_t sa_rx_msgid;		/* next request we accept */
	struct buf sa_req;		/* outstanding request, as sent */
	bool sa_req_pending;
	uint8_t sa_req_exch;
	int sa_req_tries;
	bool sa_req_dpd;		/* ... is a liveness check (2.4) */
	struct timer sa_req_timer;
	struct buf sa_resp;		/* last response, for retransmits */
	bool sa_resp_valid;
	uint32_t sa_resp_msgid;

	/* CHILD SAs (child_slot.h), in the order they were negotiated */
	struct child_slot *sa_slots;
	struct timer sa_child_timer;	/* creates queued CHILD SAs */
	struct timer sa_life_timer;	/* half-open / lifetime */
	struct timer sa_dpd_timer;
};

/* The configuration the engine runs with (main.c sets it). */
void ike_sa_set_config(const struct config *cfg);
const struct config *ike_sa_config(void);

/* Wire-order SPIs. */
struct ike_sa *ike_sa_new(bool initiator, const struct cfg_conn *conn);
/* A nonce of len bytes into *n (freed first): a copy of p, or random
 * when p is NULL. 0, or -1 without memory.
 */
int ike_sa_nonce(uint8_t **n, size_t *nlen, const uint8_t *p, size_t len);
/* Drop what only IKE_SA_INIT and IKE_AUTH need (nonces, both messages,
 * the COOKIE, the DH key): after the last AUTH payload is computed and
 * checked, or once a rekeyed IKE SA has its keys.
 */
void ike_sa_init_done(struct ike_sa *sa);
/* Look up by our SPI. */
struct ike_sa *ike_sa_find(const uint8_t *our_spi);
/* A responder's SA takes the initiator's SPI (IKE_SA_INIT, the peer's
 * IKE SA rekey) and is found by it from now on.
 */
void ike_sa_set_spi_i(struct ike_sa *sa, const uint8_t *spi_i);
/* A responder's half-open SA for this initiator SPI and peer. */
struct ike_sa *ike_sa_find_init(const uint8_t *spi_i,
				const struct sockaddr_storage *peer);
struct ike_sa *ike_sa_first(void);
/* Change sa's state (and the half-open count). */
void ike_sa_set_state(struct ike_sa *sa, enum ike_state state);
/* Responder IKE SAs that answered IKE_SA_INIT and wait for IKE_AUTH. */
unsigned int ike_sa_half_open(void);
const uint8_t *ike_sa_our_spi(const struct ike_sa *sa);
/* Tear down: uninstall the CHILD SA, stop timers, free at the next
 * ike_sa_reap() (the caller may still hold sa).
 */
void ike_sa_destroy(struct ike_sa *sa, const char *why);
void ike_sa_reap(void);
void ike_sa_destroy_all(void);
/* "name[uid]" for log lines. */
const char *ike_sa_name(const struct ike_sa *sa);
/* sa now belongs to conn (ike_sa_new(), IKE_AUTH's choice, a reload). */
void ike_sa_set_conn(struct ike_sa *sa, const struct cfg_conn *conn);

/* Start an IKE SA (initiator) for a connection and its child (NULL:
 * the first); ike_sa_start() returns it, NULL on failure (logged).
 */
int ike_sa_initiate(const struct cfg_conn *conn,
		    const struct cfg_child *child);
struct ike_sa *ike_sa_start(const struct cfg_conn *conn,
			    const struct cfg_child *child);

/* A diagnostic: logged as log_warnx() and kept as the connection's last
 * error for `ikectl last-error' (sa's connection, or conn without sa).
 */
void ike_diag(struct ike_sa *sa, const struct cfg_conn *conn,
	      enum log_subsys s, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Our identity for a connection: configured, or our IP address. */
void ike_sa_local_id(const struct ike_sa *sa, struct cfg_id *id);
/* Printable identity. */
void ike_id_str(const struct cfg_id *id, char *buf, size_t size);
bool ike_id_match(const struct cfg_id *want, const struct cfg_id *got);

#endif
