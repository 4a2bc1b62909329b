// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE SA table and lifetime: a list for walks, and a hash of our SPI
 * for the lookup every message needs (our SPIs are random 64-bit values,
 * RFC 7296 2.6, so their low bits index the table). Destruction is
 * deferred to ike_sa_reap() so handlers can keep using sa after deciding
 * it must go.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "dh.h"
#include "engine.h"
#include "child_sa.h"
#include "auth_cert.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_child.h"
#include "ikev2_exch.h"
#include "ikev2_msg.h"
#include "log.h"
#include "net.h"

#define SPI_BUCKETS	1024	/* a power of two */

static struct ike_sa *sas;
static struct ike_sa *spi_hash[SPI_BUCKETS];
/* Responder SAs by the initiator's SPI: every IKE_SA_INIT request (and
 * its retransmits, and each one with a COOKIE) looks its SPIi up, which
 * walked every IKE SA before.
 */
static struct ike_sa *spi_i_hash[SPI_BUCKETS];
static bool dead_pending;	/* some SA waits for ike_sa_reap() */
static unsigned int half_open;	/* responder SAs in IKE_S_INIT_DONE */
static const struct config *ike_cfg;
static unsigned int next_uid = 1;

static size_t spi_idx(const uint8_t *spi)
{
	return (size_t)(spi[6] << 8 | spi[7]) & (SPI_BUCKETS - 1);
}

static struct ike_sa **bucket(const uint8_t *spi)
{
	return &spi_hash[spi_idx(spi)];
}

void ike_sa_set_config(const struct config *cfg)
{
	ike_cfg = cfg;
}

const struct config *ike_sa_config(void)
{
	return ike_cfg;
}

/* Nonces and COOKIEs are not secret, but wiped like everything else. */
static void free_wiped(void *p, size_t len)
{
	if (p)
		crypto_wipe(p, len);
	free(p);
}

static void half_open_expired(void *arg)
{
	struct ike_sa *sa = arg;

	if (sa->sa_state < IKE_S_ESTABLISHED)
		ike_sa_destroy(sa, "half-open timeout");
}

struct ike_sa *ike_sa_new(bool initiator, const struct cfg_conn *conn)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));
	uint8_t *spi;

	if (!sa)
		return NULL;
	sa->sa_uid = next_uid++;
	sa->sa_initiator = initiator;
	ike_sa_set_conn(sa, conn);
	buf_init(&sa->sa_init_i);
	buf_init(&sa->sa_init_r);
	buf_init(&sa->sa_req);
	buf_init(&sa->sa_resp);
	timer_set(&sa->sa_req_timer, NULL, sa);
	timer_set(&sa->sa_life_timer, half_open_expired, sa);
	timer_set(&sa->sa_dpd_timer, NULL, sa);
	timer_set(&sa->sa_rekey_timer, NULL, sa);
	timer_set(&sa->sa_child_timer, NULL, sa);
	spi = initiator ? sa->sa_spi_i : sa->sa_spi_r;
	do {
		crypto_random(spi, 8);
	} while (ike_sa_find(spi));
	timer_add(&sa->sa_life_timer, IKE_HALF_OPEN_TIMEOUT);
	sa->sa_next = sas;
	sas = sa;
	sa->sa_hnext = *bucket(spi);
	*bucket(spi) = sa;
	return sa;
}

int ike_sa_nonce(uint8_t **n, size_t *nlen, const uint8_t *p, size_t len)
{
	uint8_t *m = malloc(len);

	if (!m) {
		log_warn(LOG_IKE, "%s: nonce of %zu bytes", __func__, len);
		return -1;
	}
	if (p)
		memcpy(m, p, len);
	else if (crypto_random(m, len)) {
		free(m);
		return -1;
	}
	free_wiped(*n, *nlen);
	*n = m;
	*nlen = len;
	return 0;
}

void ike_sa_init_done(struct ike_sa *sa)
{
	free_wiped(sa->sa_ni, sa->sa_ni_len);
	free_wiped(sa->sa_nr, sa->sa_nr_len);
	free_wiped(sa->sa_cookie, sa->sa_cookie_len);
	sa->sa_ni = sa->sa_nr = sa->sa_cookie = NULL;
	sa->sa_ni_len = sa->sa_nr_len = sa->sa_cookie_len = 0;
	buf_free(&sa->sa_init_i);
	buf_free(&sa->sa_init_r);
	dh_free(sa->sa_dh);
	sa->sa_dh = NULL;
}

const uint8_t *ike_sa_our_spi(const struct ike_sa *sa)
{
	return sa->sa_initiator ? sa->sa_spi_i : sa->sa_spi_r;
}

struct ike_sa *ike_sa_find(const uint8_t *our_spi)
{
	struct ike_sa *sa;

	for (sa = *bucket(our_spi); sa; sa = sa->sa_hnext)
		if (!memcmp(ike_sa_our_spi(sa), our_spi, 8))
			return sa;
	return NULL;
}

static void unhash_spi_i(struct ike_sa *sa)
{
	struct ike_sa **pp = &spi_i_hash[spi_idx(sa->sa_spi_i)];

	if (!sa->sa_in_ihash)
		return;
	while (*pp != sa)
		pp = &(*pp)->sa_inext;
	*pp = sa->sa_inext;
	sa->sa_in_ihash = false;
}

void ike_sa_set_spi_i(struct ike_sa *sa, const uint8_t *spi_i)
{
	struct ike_sa **pp;

	unhash_spi_i(sa);
	memcpy(sa->sa_spi_i, spi_i, 8);
	if (sa->sa_initiator)
		return;
	pp = &spi_i_hash[spi_idx(spi_i)];
	sa->sa_inext = *pp;
	*pp = sa;
	sa->sa_in_ihash = true;
}

struct ike_sa *ike_sa_find_init(const uint8_t *spi_i,
				const struct sockaddr_storage *peer)
{
	struct ike_sa *sa;

	for (sa = spi_i_hash[spi_idx(spi_i)]; sa; sa = sa->sa_inext)
		if (!sa->sa_initiator && sa->sa_state != IKE_S_DEAD &&
		    !memcmp(sa->sa_spi_i, spi_i, 8) &&
		    net_addr_eq(&sa->sa_peer, peer))
			return sa;
	return NULL;
}

/* Every state change goes through here: the half-open count the COOKIE
 * threshold reads (every IKE_SA_INIT request) is kept, not counted.
 */
void ike_sa_set_state(struct ike_sa *sa, enum ike_state state)
{
	bool was = !sa->sa_initiator && sa->sa_state == IKE_S_INIT_DONE;
	bool is = !sa->sa_initiator && state == IKE_S_INIT_DONE;

	half_open += (unsigned int)is - (unsigned int)was;
	sa->sa_state = state;
}

unsigned int ike_sa_half_open(void)
{
	return half_open;
}

struct ike_sa *ike_sa_first(void)
{
	return sas;
}

/* The name is formatted here, once per connection the SA takes, not for
 * each of the dozens of log lines of a handshake (their arguments are
 * computed even when the line is below the log level).
 */
void ike_sa_set_conn(struct ike_sa *sa, const struct cfg_conn *conn)
{
	sa->sa_conn = conn;
	snprintf(sa->sa_name, sizeof(sa->sa_name), "%s[%u]",
		 conn ? conn->name : "(none)", sa->sa_uid);
}

const char *ike_sa_name(const struct ike_sa *sa)
{
	return sa->sa_name;
}

void ike_sa_destroy(struct ike_sa *sa, const char *why)
{
	if (sa->sa_state == IKE_S_DEAD)
		return;
	log_info(LOG_IKE, "%s: IKE SA deleted (%s)", ike_sa_name(sa), why);
	if (sa->sa_conn && !sa->sa_diag && sa->sa_state != IKE_S_DELETING &&
	    strcmp(why, "deleted") && strcmp(why, "shutdown"))
		engine_note_error(sa->sa_conn->name, why);
	ikev2_sa_init_rekey_abort(sa);
	ikev2_child_drop_all(sa);
	child_sa_uninstall_all(sa);
	ikev2_msg_request_done(sa);
	timer_del(&sa->sa_life_timer);
	timer_del(&sa->sa_dpd_timer);
	timer_del(&sa->sa_rekey_timer);
	ike_sa_set_state(sa, IKE_S_DEAD);
	dead_pending = true;
}

static void sa_free(struct ike_sa *sa)
{
	struct ike_sa **pp = bucket(ike_sa_our_spi(sa));

	while (*pp != sa)
		pp = &(*pp)->sa_hnext;
	*pp = sa->sa_hnext;
	unhash_spi_i(sa);
	timer_del(&sa->sa_req_timer);
	timer_del(&sa->sa_life_timer);
	timer_del(&sa->sa_dpd_timer);
	timer_del(&sa->sa_rekey_timer);
	timer_del(&sa->sa_child_timer);
	child_slot_free_all(sa);
	ike_sa_init_done(sa);
	free(sa->sa_peer_cert);
	free(sa->sa_collide_nonce);
	buf_free(&sa->sa_req);
	buf_free(&sa->sa_resp);
	crypto_wipe(sa, sizeof(*sa));
	free(sa);
}

void ike_sa_reap(void)
{
	struct ike_sa **pp = &sas, *sa;

	if (!dead_pending)
		return;
	dead_pending = false;
	while ((sa = *pp)) {
		if (sa->sa_state == IKE_S_DEAD) {
			*pp = sa->sa_next;
			sa_free(sa);
		} else {
			pp = &sa->sa_next;
		}
	}
}

void ike_sa_destroy_all(void)
{
	struct ike_sa *sa;

	for (sa = sas; sa; sa = sa->sa_next)
		ike_sa_destroy(sa, "shutdown");
	ike_sa_reap();
}

int ike_sa_initiate(const struct cfg_conn *conn,
		    const struct cfg_child *child)
{
	return ike_sa_start(conn, child) ? 0 : -1;
}

struct ike_sa *ike_sa_start(const struct cfg_conn *conn,
			    const struct cfg_child *child)
{
	struct ike_sa *sa;
	char a[64];

	if (!conn->n_remote_addrs) {
		log_warnx(LOG_CFG, "%s: cannot initiate: remote_addrs is %%any",
			  conn->name);
		return NULL;
	}
	sa = ike_sa_new(true, conn);
	if (!sa)
		return NULL;
	sa->sa_child_cfg = child ? child :
			   conn->n_children ? &conn->children[0] : NULL;
	sa->sa_peer = conn->remote_addrs[0];
	net_set_port(&sa->sa_peer, conn->remote_port ? conn->remote_port :
				   IKEV2_PORT);
	if (conn->n_local_addrs) {
		sa->sa_local = conn->local_addrs[0];
	} else if (net_route_src(&sa->sa_peer, &sa->sa_local)) {
		net_addr_str(&sa->sa_peer, a, sizeof(a));
		log_warnx(LOG_NET, "%s: no route to %s", conn->name, a);
		ike_sa_destroy(sa, "no route");
		return NULL;
	}
	net_set_port(&sa->sa_local, conn->local_port ? conn->local_port :
				    IKEV2_PORT);
	net_addr_str(&sa->sa_peer, a, sizeof(a));
	log_info(LOG_IKE, "%s: initiating IKE SA with %s", ike_sa_name(sa), a);
	if (ikev2_sa_init_start(sa)) {
		ike_sa_destroy(sa, "IKE_SA_INIT could not be sent");
		return NULL;
	}
	return sa;
}

void ike_diag(struct ike_sa *sa, const struct cfg_conn *conn,
	      enum log_subsys s, const char *fmt, ...)
{
	static const char *const tag[] = {
		[LOG_IKE] = "IKE", [LOG_CHD] = "CHD", [LOG_CFG] = "CFG",
		[LOG_ENC] = "ENC", [LOG_NET] = "NET", [LOG_KNL] = "KNL",
		[LOG_DMN] = "DMN",
	};
	char buf[1024], line[1040];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_warnx(s, "%s", buf);
	if (sa) {
		conn = sa->sa_conn;
		sa->sa_diag = true;
	}
	if (conn) {
		snprintf(line, sizeof(line), "[%s] %s", tag[s], buf);
		engine_note_error(conn->name, line);
	}
}

void ike_sa_local_id(const struct ike_sa *sa, struct cfg_id *id)
{
	const uint8_t *p;
	size_t len;

	if (sa->sa_conn && sa->sa_conn->local.id.type) {
		*id = sa->sa_conn->local.id;
		return;
	}
	memset(id, 0, sizeof(*id));
	len = net_addr_raw(&sa->sa_local, &p);
	id->type = len == 4 ? IKEV2_ID_IPV4_ADDR : IKEV2_ID_IPV6_ADDR;
	memcpy(id->data, p, len);
	id->len = len;
}

void ike_id_str(const struct cfg_id *id, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	size_t i, off;

	switch (id->type) {
	case 0:
		snprintf(buf, size, "%%any");
		return;
	case IKEV2_ID_IPV4_ADDR:
	case IKEV2_ID_IPV6_ADDR:
		if (id->len == (id->type == IKEV2_ID_IPV4_ADDR ? 4u : 16u) &&
		    inet_ntop(id->type == IKEV2_ID_IPV4_ADDR ? AF_INET :
			      AF_INET6, id->data, a, sizeof(a))) {
			snprintf(buf, size, "%s", a);
			return;
		}
		break;
	case IKEV2_ID_DER_ASN1_DN:
		if (!auth_cert_dn_str(id->data, id->len, buf, size))
			return;
		break;
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
		snprintf(buf, size, "%.*s", (int)id->len,
			 (const char *)id->data);
		for (i = 0; buf[i]; i++)
			if (buf[i] < 0x20 || buf[i] > 0x7e)
				buf[i] = '?';
		return;
	}
	off = (size_t)snprintf(buf, size, "%s:", ikev2_id_type_name(id->type));
	for (i = 0; i < id->len && off + 3 < size; i++)
		off += snprintf(buf + off, size - off, "%02x", id->data[i]);
}

bool ike_id_match(const struct cfg_id *want, const struct cfg_id *got)
{
	return config_id_match(want, got) != CFG_ID_MATCH_NONE;
}
