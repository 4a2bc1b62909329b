// SPDX-License-Identifier: GPL-2.0
/*
 * INFORMATIONAL (RFC 7296 1.4): Delete payloads for the IKE SA and CHILD
 * SAs (1.4.1), and empty requests, which are liveness checks (2.4).
 */
#include <string.h>

#include "child_sa.h"
#include "child_slot.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_child.h"
#include "ikev2_exch.h"
#include "ikev2_msg.h"
#include "log.h"

static void put_spi(uint8_t *p, uint32_t spi)
{
	p[0] = spi >> 24;
	p[1] = (spi >> 16) & 0xff;
	p[2] = (spi >> 8) & 0xff;
	p[3] = spi & 0xff;
}

void ikev2_info_recv_request(struct ike_sa *sa, struct ikev2_msg *msg)
{
	const uint8_t *spis;
	struct pld_builder pb;
	uint8_t proto, size, ours[4];
	uint32_t in;
	bool delete_ike = false;
	struct buf plds;
	int i, j, n, r;

	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	for (i = 0; i < msg->pl.n_del; i++) {
		pld_delete(&msg->pl.del[i], &proto, &size, &spis, &n);
		if (proto == IKEV2_PROTO_IKE) {
			delete_ike = true;
			continue;
		}
		if (proto != IKEV2_PROTO_ESP || size != 4)
			continue;
		for (j = 0; j < n; j++) {
			r = ikev2_child_peer_delete(sa, get32(spis + 4 * j),
						    &in);
			if (r > 0 || (r < 0 && child_sa_delete(sa,
					get32(spis + 4 * j), &in)))
				continue;
			put_spi(ours, in);
			pld_add_delete(&pb, IKEV2_PROTO_ESP, 4, ours, 1);
		}
	}
	child_slot_gc(sa);
	if (delete_ike) {
		buf_reset(&plds);
		pld_builder_init(&pb, &plds);
	}
	ikev2_msg_respond(sa, msg, &plds, pb.first);
	buf_free(&plds);
	if (delete_ike)
		ikev2_sa_init_rekey_peer_deleted(sa);
	if (delete_ike && sa->sa_rekeyed) {
		ike_sa_destroy(sa, "replaced by its rekeyed successor");
	} else if (delete_ike) {
		log_info(LOG_IKE, "%s: peer deleted the IKE SA",
			 ike_sa_name(sa));
		ike_sa_destroy(sa, "deleted by peer");
	}
}

void ikev2_info_recv_response(struct ike_sa *sa, struct ikev2_msg *msg)
{
	(void)msg;
	if (sa->sa_state == IKE_S_DELETING)
		ike_sa_destroy(sa, "deleted");
	else
		ikev2_child_delete_done(sa);
}

int ikev2_info_delete(struct ike_sa *sa)
{
	struct pld_builder pb;
	struct buf plds;
	int ret;

	if (sa->sa_state != IKE_S_ESTABLISHED || sa->sa_req_pending) {
		ike_sa_destroy(sa, "closed");
		return 0;
	}
	buf_init(&plds);
	pld_builder_init(&pb, &plds);
	pld_add_delete(&pb, IKEV2_PROTO_IKE, 0, NULL, 0);
	child_sa_uninstall_all(sa);
	ike_sa_set_state(sa, IKE_S_DELETING);
	ret = ikev2_msg_request(sa, IKEV2_EXCH_INFORMATIONAL, &plds,
				pb.first);
	buf_free(&plds);
	if (ret)
		ike_sa_destroy(sa, "closed");
	return ret;
}

/* Every dpd_delay seconds an empty request (2.4); no answer after the
 * retransmits and the IKE SA goes (ikev2_msg.c logs the peer unreachable).
 */
static void dpd_timer(void *arg)
{
	struct ike_sa *sa = arg;

	if (sa->sa_state != IKE_S_ESTABLISHED || !sa->sa_conn->dpd_delay)
		return;
	log_debug(LOG_IKE, "%s: liveness check (DPD)", ike_sa_name(sa));
	ikev2_info_dpd(sa);
	timer_add(&sa->sa_dpd_timer, (uint64_t)sa->sa_conn->dpd_delay * 1000);
}

void ikev2_info_dpd_start(struct ike_sa *sa)
{
	if (!sa->sa_conn || !sa->sa_conn->dpd_delay)
		return;
	timer_set(&sa->sa_dpd_timer, dpd_timer, sa);
	timer_add(&sa->sa_dpd_timer, (uint64_t)sa->sa_conn->dpd_delay * 1000);
}

int ikev2_info_dpd(struct ike_sa *sa)
{
	struct buf plds;
	int ret;

	if (sa->sa_req_pending)
		return 0;
	buf_init(&plds);
	ret = ikev2_msg_request(sa, IKEV2_EXCH_INFORMATIONAL, &plds,
				IKEV2_PLD_NONE);
	buf_free(&plds);
	if (!ret)
		sa->sa_req_dpd = true;
	return ret;
}
