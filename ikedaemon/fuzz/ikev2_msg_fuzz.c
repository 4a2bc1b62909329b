// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the IKEv2 message decoder: header and payload
 * validation, every pld_*() on what validated, the SK payload with fixed
 * keys (AES-GCM and AES-CBC/HMAC), and the receive path of the engine
 * (ikev2_msg_recv) with a responder configuration, so the exchange
 * handlers see hostile input too. No socket is open: answers are dropped.
 *   make -C ikedaemon fuzz-ikev2
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../config.h"
#include "../crypto.h"
#include "../ike_sa.h"
#include "../ikev2.h"
#include "../ikev2_exch.h"
#include "../ikev2_msg.h"
#include "../ikev2_pld.h"
#include "../log.h"
#include "../net.h"

static const char conf[] =
	"connections { any { proposals = aes128gcm16-prfsha256-x25519,"
	" aes128-sha256-modp2048\n"
	" local { auth = psk\n id = moon }\n remote { auth = psk }\n"
	" children { c { local_ts = 10.0.0.0/8\n esp_proposals = aes128gcm16"
	" } } } }\n"
	"secrets { ike { secret = fuzz } }\n";

static struct config cfg;
static struct ike_keys gcm, cbc;

static void setup(void)
{
	char err[256];

	log_init(1, -1);
	if (config_load_buf("fuzz", conf, sizeof(conf) - 1, &cfg, err,
			    sizeof(err)))
		abort();
	ike_sa_set_config(&cfg);
	gcm.encr = crypto_encr_find(IKEV2_ENCR_AES_GCM_16, 128);
	gcm.prf = crypto_prf_find(IKEV2_PRF_HMAC_SHA2_256);
	cbc.encr = crypto_encr_find(IKEV2_ENCR_AES_CBC, 128);
	cbc.integ = crypto_integ_find(IKEV2_INTEG_HMAC_SHA2_256_128);
	cbc.prf = gcm.prf;
}

static void payloads(const struct ikev2_payloads *pl)
{
	struct prop props[PROP_MAX];
	struct ts ts[TS_MAX];
	const uint8_t *d;
	struct cfg_id id;
	struct notify n;
	uint8_t a, b;
	uint16_t g;
	size_t len;
	int i, k;

	if (pl->sa.p)
		pld_sa(&pl->sa, props, PROP_MAX, &k);
	if (pl->ke.p)
		pld_ke(&pl->ke, &g, &d, &len);
	if (pl->idi.p)
		pld_id(&pl->idi, &id);
	if (pl->idr.p)
		pld_id(&pl->idr, &id);
	if (pl->auth.p)
		pld_auth(&pl->auth, &a, &d, &len);
	if (pl->tsi.p)
		pld_ts(&pl->tsi, ts, TS_MAX, &k);
	if (pl->tsr.p)
		pld_ts(&pl->tsr, ts, TS_MAX, &k);
	for (i = 0; i < pl->n_notify; i++)
		pld_notify(&pl->notify[i], &n);
	for (i = 0; i < pl->n_del; i++)
		pld_delete(&pl->del[i], &a, &b, &d, &k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct sockaddr_storage local = { 0 }, peer = { 0 };
	struct sockaddr_in *l = (void *)&local, *p = (void *)&peer;
	struct ikev2_msg msg = { 0 };
	int i;

	if (!ready) {
		setup();
		ready = 1;
	}
	buf_init(&msg.plain);
	if (!ikev2_msg_parse(&msg, data, size)) {
		payloads(&msg.pl);
		for (i = 0; i < 2 && msg.pl.sk.p; i++) {
			struct ikev2_payloads saved = msg.pl;

			if (!ikev2_msg_decrypt(&msg, i ? &cbc : &gcm, true))
				payloads(&msg.pl);
			msg.pl = saved;
		}
	}
	ikev2_msg_free(&msg);

	l->sin_family = p->sin_family = AF_INET;
	l->sin_addr.s_addr = htonl(0xc0000201);
	p->sin_addr.s_addr = htonl(0xc0000202);
	l->sin_port = p->sin_port = htons(500);
	ikev2_msg_recv(data, size, &local, &peer, false);
	ike_sa_destroy_all();
	return 0;
}
