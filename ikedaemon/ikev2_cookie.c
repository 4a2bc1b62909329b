// SPDX-License-Identifier: GPL-2.0
/*
 * Responder COOKIEs (RFC 7296 2.6). While the half-open IKE SAs (answered
 * IKE_SA_INIT, no IKE_AUTH yet) reach the threshold, an IKE_SA_INIT
 * request without a valid COOKIE gets only
 *   Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)
 * back, here with HMAC-SHA-256 keyed by the secret, and creates no state.
 * The secret changes every COOKIE_SECRET_LIFE; cookies made with the
 * previous one stay valid until the next change, so an initiator that
 * got a cookie just before a change still gets through.
 */
#include <string.h>

#include "crypto.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_cookie.h"
#include "ikev2_msg.h"
#include "log.h"
#include "net.h"
#include "timer.h"

#define COOKIE_SECRET_LEN	32

struct cookie_secret {
	uint8_t key[COOKIE_SECRET_LEN];
	uint8_t version;
	bool valid;
};

static unsigned int threshold = COOKIE_THRESHOLD_DEFAULT;
static struct cookie_secret cur, prev;
static uint64_t cur_since;		/* ms, when cur was made */
static bool cookies_on;

void ikev2_cookie_set_threshold(unsigned int n)
{
	threshold = n;
}

void ikev2_cookie_rotate(void)
{
	prev = cur;
	crypto_random(cur.key, sizeof(cur.key));
	cur.version = (uint8_t)(prev.version + 1);
	cur.valid = true;
	cur_since = timer_now();
}

/* A fresh secret on first use and every COOKIE_SECRET_LIFE ms; after a
 * quiet spell of two lifetimes the previous one goes too.
 */
static void secret_age(void)
{
	uint64_t age = timer_now() - cur_since;

	if (cur.valid && age < COOKIE_SECRET_LIFE)
		return;
	if (cur.valid && age >= 2 * (uint64_t)COOKIE_SECRET_LIFE) {
		crypto_wipe(cur.key, sizeof(cur.key));
		cur.valid = false;
	}
	ikev2_cookie_rotate();
}

static int mac(const struct cookie_secret *s, const uint8_t *ni,
	       size_t ni_len, const struct sockaddr_storage *peer,
	       const uint8_t *spi_i, uint8_t out[COOKIE_LEN])
{
	const struct crypto_prf *prf = crypto_prf_find(IKEV2_PRF_HMAC_SHA2_256);
	struct crypto_iov v[3];
	const uint8_t *a;

	if (!prf)
		return -1;
	v[0] = (struct crypto_iov){ ni, ni_len };
	v[1].len = net_addr_raw(peer, &a);
	v[1].p = a;
	v[2] = (struct crypto_iov){ spi_i, 8 };
	out[0] = s->version;
	return crypto_prf_iov(prf, s->key, sizeof(s->key), v, 3, out + 1);
}

int ikev2_cookie_make(uint8_t version, const uint8_t *ni, size_t ni_len,
		      const struct sockaddr_storage *peer,
		      const uint8_t *spi_i, uint8_t out[COOKIE_LEN])
{
	const struct cookie_secret *s = cur.valid && cur.version == version ?
					&cur : prev.valid &&
					prev.version == version ? &prev : NULL;

	return s ? mac(s, ni, ni_len, peer, spi_i, out) : -1;
}

bool ikev2_cookie_valid(const uint8_t *cookie, size_t len,
			const uint8_t *ni, size_t ni_len,
			const struct sockaddr_storage *peer,
			const uint8_t *spi_i)
{
	uint8_t want[COOKIE_LEN];
	bool ok;

	if (len != COOKIE_LEN ||
	    ikev2_cookie_make(cookie[0], ni, ni_len, peer, spi_i, want))
		return false;
	ok = !crypto_memcmp(want, cookie, COOKIE_LEN);
	crypto_wipe(want, sizeof(want));
	return ok;
}

/* Are cookies required now? Logs each switch on and off. */
static bool required(void)
{
	unsigned int n = ike_sa_half_open();
	bool on = n >= threshold;

	if (on != cookies_on) {
		if (on)
			log_info(LOG_IKE, "COOKIEs on: %u half-open IKE SAs, "
				 "threshold %u", n, threshold);
		else
			log_info(LOG_IKE, "COOKIEs off: %u half-open IKE SAs, "
				 "threshold %u", n, threshold);
		cookies_on = on;
	}
	return on;
}

bool ikev2_cookie_gate(const struct ikev2_msg *msg)
{
	const uint8_t *spi_i = (const uint8_t *)&msg->hdr.spi_i;
	uint8_t cookie[COOKIE_LEN];
	char from[64] = "";
	struct notify n;

	if (!required())
		return false;
	secret_age();
	if (log_debug_on())	/* only debug lines name it */
		net_addr_str(&msg->peer, from, sizeof(from));
	if (pld_find_notify(&msg->pl, IKEV2_N_COOKIE, &n)) {
		if (ikev2_cookie_valid(n.data, n.len, msg->pl.nonce.p,
				       msg->pl.nonce.len, &msg->peer, spi_i))
			return false;
		log_debug(LOG_IKE, "IKE_SA_INIT from %s: COOKIE not valid "
			  "(%zu bytes, secret version %u; ours %u/%u), "
			  "sending a new one", from, n.len,
			  n.len ? n.data[0] : 0, cur.version, prev.version);
	} else {
		log_debug(LOG_IKE, "IKE_SA_INIT from %s without COOKIE, "
			  "asking for one", from);
	}
	if (mac(&cur, msg->pl.nonce.p, msg->pl.nonce.len, &msg->peer, spi_i,
		cookie))
		return false;
	ikev2_msg_notify_init(msg, IKEV2_N_COOKIE, cookie, sizeof(cookie));
	return true;
}
