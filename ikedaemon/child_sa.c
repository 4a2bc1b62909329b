// SPDX-License-Identifier: GPL-2.0
/*
 * CHILD SAs as the ikesec module holds them: KEYMAT (RFC 7296 2.17), the
 * ESP transform mapping, the SA pair and its policies added and removed
 * through kernel.c, and the module's expiry events. The exchanges that
 * negotiate them are in ikev2_child.c.
 */
#include <stdio.h>
#include <string.h>

#include <linux/ikesec.h>

#include "child_sa.h"
#include "child_slot.h"
#include "crypto.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_child.h"
#include "ikev2_exch.h"
#include "kernel.h"
#include "log.h"
#include "natt.h"
#include "net.h"
#include "trap.h"

#define CHILD_REPLAY_WINDOW	64	/* packets, swanctl's default */

/* How an ESP selection maps onto the module's algorithms. */
struct esp_alg {
	uint16_t enc;			/* IKESEC_ENC_* */
	size_t enc_len;			/* KEYMAT bytes, salt included */
	uint16_t auth;			/* IKESEC_AUTH_* */
	size_t auth_len;
};

static int esp_alg(const struct prop_sel *s, struct esp_alg *a)
{
	memset(a, 0, sizeof(*a));
	switch (s->encr) {
	case IKEV2_ENCR_AES_GCM_16:
		if (s->encr_keylen != 128 && s->encr_keylen != 256)
			return -1;
		a->enc = IKESEC_ENC_AES_GCM_16;
		a->enc_len = s->encr_keylen / 8 + 4;	/* RFC 4106 8.1 */
		break;
	case IKEV2_ENCR_CHACHA20_POLY1305:
		a->enc = IKESEC_ENC_CHACHA20_POLY1305;
		a->enc_len = 36;			/* RFC 7634 2 */
		break;
	case IKEV2_ENCR_AES_CBC:
		if (s->encr_keylen != 128 && s->encr_keylen != 256)
			return -1;
		a->enc = IKESEC_ENC_AES_CBC;
		a->enc_len = s->encr_keylen / 8;
		break;
	default:
		return -1;
	}
	if (a->enc != IKESEC_ENC_AES_CBC)
		return s->has_integ && s->integ ? -1 : 0;
	switch (s->has_integ ? s->integ : 0) {
	case IKEV2_INTEG_HMAC_SHA2_256_128:
		a->auth = IKESEC_AUTH_HMAC_SHA256_128;
		a->auth_len = 32;
		return 0;
	case IKEV2_INTEG_HMAC_SHA1_96:
		a->auth = IKESEC_AUTH_HMAC_SHA1_96;
		a->auth_len = 20;
		return 0;
	}
	return -1;
}

int child_sa_keymat(const struct ike_keys *k, const uint8_t *shared,
		       size_t slen, const uint8_t *ni, size_t ni_len,
		       const uint8_t *nr, size_t nr_len, uint8_t *out,
		       size_t len)
{
	uint8_t seed[1024];
	int ret;

	/* KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (2.17) */
	if (slen + ni_len + nr_len > sizeof(seed))
		return -1;
	if (slen)
		memcpy(seed, shared, slen);
	memcpy(seed + slen, ni, ni_len);
	memcpy(seed + slen + ni_len, nr, nr_len);
	ret = crypto_prfplus(k->prf, k->sk_d, k->prf->out_len, seed,
			     slen + ni_len + nr_len, out, len);
	crypto_wipe(seed, sizeof(seed));
	return ret;
}

static void child_log_ts(const struct child_sa *cs, char *buf, size_t size)
{
	size_t off;

	ts_format_list(cs->cs_ts_l, cs->cs_n_ts_l, buf, size);
	off = strlen(buf);
	if (off + 6 >= size)
		return;
	memcpy(buf + off, " === ", 6);
	off += 5;
	ts_format_list(cs->cs_ts_r, cs->cs_n_ts_r, buf + off, size - off);
}

static void del_policies(struct child_sa *cs)
{
	while (cs->cs_n_pol)
		kernel_policy_del(cs->cs_pol[--cs->cs_n_pol]);
}

static int add_policies(struct ike_sa *sa, struct child_sa *cs)
{
	struct kernel_policy p = { 0 };
	int i, j;

	p.action = IKESEC_ACTION_PROTECT;
	p.reqid = cs->cs_reqid;
	p.mode = cs->cs_transport ? IKESEC_MODE_TRANSPORT :
				    IKESEC_MODE_TUNNEL;
	p.local = sa->sa_local;
	p.peer = sa->sa_peer;
	for (i = 0; i < cs->cs_n_ts_l; i++)
		for (j = 0; j < cs->cs_n_ts_r; j++) {
			if (cs->cs_ts_l[i].type != cs->cs_ts_r[j].type ||
			    cs->cs_n_pol + 2 > (int)(sizeof(cs->cs_pol) /
						     sizeof(cs->cs_pol[0])))
				continue;
			p.dir = IKESEC_DIR_OUT;
			p.src = &cs->cs_ts_l[i];
			p.dst = &cs->cs_ts_r[j];
			if (kernel_policy_add(&p, &cs->cs_pol[cs->cs_n_pol]))
				return -1;
			cs->cs_n_pol++;
			p.dir = IKESEC_DIR_IN;
			p.src = &cs->cs_ts_r[j];
			p.dst = &cs->cs_ts_l[i];
			if (kernel_policy_add(&p, &cs->cs_pol[cs->cs_n_pol]))
				return -1;
			cs->cs_n_pol++;
		}
	return 0;
}

/*
 * Derive the keys and add both SAs; new policies unless rekeying (the
 * new SAs then take the old reqid, and the module prefers the newest SA
 * of a reqid: make before break).
 */
int child_sa_install(struct ike_sa *sa, struct child_sa *cs,
			 const struct child_keys *ck, bool rekey)
{
	const struct cfg_child *cc = cs->cs_cfg;
	uint8_t keymat[2 * (36 + 64)];
	const uint8_t *i2r, *r2i;
	struct kernel_sa ks = { 0 };
	struct esp_alg a;
	char ts[512], name[256];
	size_t half;
	int ret = -1;

	if (esp_alg(&cs->cs_sel, &a)) {
		proposal_format_sel(&cs->cs_sel, name, sizeof(name));
		log_warnx(LOG_KNL, "%s: %s not supported by the ikesec module",
			  ike_sa_name(sa), name);
		return -1;
	}
	half = a.enc_len + a.auth_len;
	if (child_sa_keymat(&sa->sa_k, ck->shared, ck->slen, ck->ni,
			       ck->ni_len, ck->nr, ck->nr_len, keymat,
			       2 * half))
		goto out;
	i2r = keymat;
	r2i = keymat + half;
	if (!rekey) {
		cs->cs_reqid = trap_reqid(cc);
		if (!cs->cs_reqid)
			cs->cs_reqid = trap_new_reqid();
	}
	ks.mode = cs->cs_transport ? IKESEC_MODE_TRANSPORT :
				     IKESEC_MODE_TUNNEL;
	ks.local = sa->sa_local;
	ks.peer = sa->sa_peer;
	ks.enc_alg = a.enc;
	ks.enc_key_len = a.enc_len;
	ks.auth_alg = a.auth;
	ks.auth_key_len = a.auth_len;
	ks.esn = cs->cs_sel.has_esn && cs->cs_sel.esn == IKEV2_ESN_YES;
	ks.replay_window = cc && cc->replay_window ? cc->replay_window :
			   CHILD_REPLAY_WINDOW;
	ks.reqid = cs->cs_reqid;
	if (natt_encap(sa)) {	/* RFC 3948, ports as IKE uses them */
		ks.encap_sport = net_port(&sa->sa_local);
		ks.encap_dport = net_port(&sa->sa_peer);
	}
	ks.hard_secs = cc ? cc->life_time : 0;
	ks.soft_secs = cc ? cc->rekey_time : 0;
	if (ks.soft_secs >= ks.hard_secs)
		ks.soft_secs = 0;

	/* inbound: what the peer sends us */
	ks.dir = IKESEC_DIR_IN;
	ks.spi = cs->cs_spi_in;
	ks.enc_key = ck->initiator ? r2i : i2r;
	ks.auth_key = ks.enc_key + a.enc_len;
	if (cs->cs_n_ts_l == 1 && cs->cs_n_ts_r == 1 &&
	    ts_prefixlen(&cs->cs_ts_r[0]) >= 0 &&
	    ts_prefixlen(&cs->cs_ts_l[0]) >= 0) {
		ks.sel_src = &cs->cs_ts_r[0];
		ks.sel_dst = &cs->cs_ts_l[0];
	}
	if (kernel_sa_add(&ks))
		goto out;
	ks.dir = IKESEC_DIR_OUT;
	ks.spi = cs->cs_spi_out;
	ks.enc_key = ck->initiator ? i2r : r2i;
	ks.auth_key = ks.enc_key + a.enc_len;
	if (ks.sel_src) {
		ks.sel_src = &cs->cs_ts_l[0];
		ks.sel_dst = &cs->cs_ts_r[0];
	}
	if (cs->cs_out_deferred ? child_sa_defer_out(cs, &ks) :
	    kernel_sa_add(&ks)) {
		kernel_sa_del(IKESEC_DIR_IN, cs->cs_spi_in, &sa->sa_peer);
		goto out;
	}
	cs->cs_installed = true;
	if (!rekey && add_policies(sa, cs)) {
		child_sa_uninstall(sa, cs);
		goto out;
	}
	child_log_ts(cs, ts, sizeof(ts));
	proposal_format_sel(&cs->cs_sel, name, sizeof(name));
	log_info(LOG_CHD, "%s: CHILD SA %s %s, %s mode, SPIs "
		 "%08x_i %08x_o, %s, TS %s", ike_sa_name(sa),
		 cc ? cc->name : "?", rekey ? "rekeyed" : "established",
		 cs->cs_transport ? "transport" :
		 "tunnel", cs->cs_spi_in, cs->cs_spi_out, name, ts);
	if (ks.encap_dport)
		log_info(LOG_CHD, "%s: CHILD SA %s: ESP in UDP, ports %u -> %u",
			 ike_sa_name(sa), cc ? cc->name : "?", ks.encap_sport,
			 ks.encap_dport);
	ret = 0;
out:
	crypto_wipe(keymat, sizeof(keymat));
	return ret;
}

/* cs's policies and SAs, but the one of direction gone (0: none), which
 * the module removed itself.
 */
static void uninstall(struct ike_sa *sa, struct child_sa *cs, uint8_t gone)
{
	if (!cs->cs_installed)
		return;
	del_policies(cs);
	if (!child_sa_out_drop(cs) && gone != IKESEC_DIR_OUT)
		kernel_sa_del(IKESEC_DIR_OUT, cs->cs_spi_out, &sa->sa_peer);
	if (gone != IKESEC_DIR_IN)
		kernel_sa_del(IKESEC_DIR_IN, cs->cs_spi_in, &sa->sa_peer);
	cs->cs_installed = false;
	log_info(LOG_CHD, "%s: CHILD SA %s removed (SPIs %08x_i %08x_o)",
		 ike_sa_name(sa), cs->cs_cfg ? cs->cs_cfg->name : "?",
		 cs->cs_spi_in, cs->cs_spi_out);
}

void child_sa_uninstall(struct ike_sa *sa, struct child_sa *cs)
{
	uninstall(sa, cs, 0);
}

/*
 * The peer moved from old to sa->sa_peer (NAT mapping changed): both SAs
 * follow; in tunnel mode with a new address the policies' templates name
 * the old one, so they are replaced (the module has no POLICY_SET).
 */
static void move(struct ike_sa *sa, struct child_sa *cs,
		 const struct sockaddr_storage *old)
{
	int had = cs->cs_n_pol;

	if (!cs->cs_installed)
		return;
	kernel_sa_set_peer(IKESEC_DIR_IN, cs->cs_spi_in, old, &sa->sa_peer);
	kernel_sa_set_peer(IKESEC_DIR_OUT, cs->cs_spi_out, old, &sa->sa_peer);
	if (!had || cs->cs_transport || net_addr_eq(old, &sa->sa_peer))
		return;
	del_policies(cs);
	if (add_policies(sa, cs))
		log_warnx(LOG_CHD, "%s: CHILD SA %08x_i: policies for the new "
			  "peer address could not be added", ike_sa_name(sa),
			  cs->cs_spi_in);
}

void child_sa_move_all(struct ike_sa *sa, const struct sockaddr_storage *old)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa) {
		if (sl->cl_rk)
			move(sa, &sl->cl_rk->rk_old, old);
		move(sa, &sl->cl_cur, old);
	}
}

/* The slot of sa with the SA pair whose inbound SPI is spi (current or
 * rekeyed), or NULL.
 */
static struct child_slot *slot_by_spi_in(struct ike_sa *sa, uint32_t spi)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa)
		if ((sl->cl_cur.cs_installed && sl->cl_cur.cs_spi_in == spi) ||
		    (sl->cl_rk && sl->cl_rk->rk_old.cs_installed &&
		     sl->cl_rk->rk_old.cs_spi_in == spi))
			return sl;
	return NULL;
}

void child_sa_mapping(uint8_t dir, uint32_t spi,
		      const struct sockaddr_storage *peer)
{
	struct ike_sa *sa;

	if (dir != IKESEC_DIR_IN)
		return;
	for (sa = ike_sa_first(); sa; sa = sa->sa_next) {
		if (sa->sa_state == IKE_S_DEAD || sa->sa_rekeyed)
			continue;
		if (slot_by_spi_in(sa, spi)) {
			natt_peer_moved(sa, peer, "ESP in UDP");
			return;
		}
	}
	log_debug(LOG_KNL, "NAT mapping change for unknown SA %08x ignored",
		  spi);
}

/* sl's current and rekeyed SA pairs. */
static void uninstall_slot(struct ike_sa *sa, struct child_slot *sl)
{
	if (sl->cl_rk)
		child_sa_uninstall(sa, &sl->cl_rk->rk_old);
	child_sa_uninstall(sa, &sl->cl_cur);
}

void child_sa_uninstall_all(struct ike_sa *sa)
{
	struct child_slot *sl;

	child_slot_for_each(sl, sa)
		uninstall_slot(sa, sl);
}

int child_sa_delete(struct ike_sa *sa, uint32_t spi_out, uint32_t *spi_in)
{
	struct child_slot *sl;
	struct child_sa *cs = NULL;

	child_slot_for_each(sl, sa) {
		if (sl->cl_rk && sl->cl_rk->rk_old.cs_installed &&
		    sl->cl_rk->rk_old.cs_spi_out == spi_out)
			cs = &sl->cl_rk->rk_old;
		else if (sl->cl_cur.cs_installed &&
			 sl->cl_cur.cs_spi_out == spi_out)
			cs = &sl->cl_cur;
		if (cs)
			break;
	}
	if (!cs)
		return -1;
	*spi_in = cs->cs_spi_in;
	log_info(LOG_CHD, "%s: peer deleted CHILD SA %08x_o",
		 ike_sa_name(sa), spi_out);
	child_sa_uninstall(sa, cs);
	return 0;
}

/*
 * sl's CHILD SA reached its hard lifetime without a rekey: the module
 * removed the SA of direction dir, the rest goes, and the peer is told,
 * or its half would stay (1.4.1). The slot lives until the answer
 * (cl_deleting).
 */
static void hard_expired(struct ike_sa *sa, struct child_slot *sl,
			 uint8_t dir)
{
	const char *name = sl->cl_cfg ? sl->cl_cfg->name : "?";
	uint32_t spi_in = sl->cl_cur.cs_spi_in;

	if (sl->cl_rk)
		child_sa_uninstall(sa, &sl->cl_rk->rk_old);
	uninstall(sa, &sl->cl_cur, dir);	/* the module's EXPIRE_HARD */
	if (sa->sa_state != IKE_S_ESTABLISHED || sa->sa_req_pending ||
	    sl->cl_deleting) {
		log_warnx(LOG_CHD, "%s: expired CHILD SA %s %08x_i: no Delete "
			  "sent, %s", ike_sa_name(sa), name, spi_in,
			  sl->cl_deleting ? "ours is out already" :
			  "another exchange is in flight");
	} else if (!ikev2_child_send_delete(sa, spi_in)) {
		sl->cl_deleting = true;
		log_info(LOG_CHD, "%s: CHILD SA %s %08x_i expired: Delete sent "
			 "to the peer", ike_sa_name(sa), name, spi_in);
	}
	child_slot_gc(sa);
}

void child_sa_expired(uint8_t dir, uint32_t spi, bool hard)
{
	struct child_slot *sl;
	struct ike_sa *sa;

	for (sa = ike_sa_first(); sa; sa = sa->sa_next) {
		child_slot_for_each(sl, sa) {
			struct child_sa *cs = &sl->cl_cur;

			if (!cs->cs_installed ||
			    spi != (dir == IKESEC_DIR_IN ? cs->cs_spi_in :
							   cs->cs_spi_out))
				continue;
			log_info(LOG_KNL, "%s: %s expiry of CHILD SA %s %08x "
				 "(%s)", ike_sa_name(sa), hard ? "hard" :
				 "soft", cs->cs_cfg ? cs->cs_cfg->name : "?",
				 spi, dir == IKESEC_DIR_IN ? "in" : "out");
			if (hard) {
				hard_expired(sa, sl, dir);
			} else {
				ikev2_child_rekey_slot(sa, sl);
			}
			return;
		}
	}
}

void child_sa_acquire(uint32_t policy_id)
{
	trap_acquire(policy_id);
}
