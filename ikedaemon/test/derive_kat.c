// SPDX-License-Identifier: GPL-2.0
/*
 * Helper of derive_kat.py: prints our SK_* keys (RFC 7296 2.14), CHILD SA
 * KEYMAT (2.17) and PSK AUTH (2.15) for inputs given in hex, so a Python
 * implementation written from the RFC with hmac/hashlib can check them.
 *   derive_kat PRF ENCR KEYLEN INTEG SHARED NI NR SPII SPIR PSK MSG ID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../buf.h"
#include "../crypto.h"
#include "../ike_sa.h"
#include "../ikev2.h"
#include "../ikev2_exch.h"

static size_t unhex(const char *s, uint8_t *out, size_t size)
{
	size_t i, n = strlen(s) / 2;
	unsigned int v;

	if (n > size)
		exit(2);
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			exit(2);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void hex(const char *name, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%s=", name);
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	uint8_t shared[512], ni[256], nr[256], spii[8], spir[8], psk[256];
	uint8_t keymat[256], auth[64];
	size_t ls, lni, lnr, lpsk, alen, elen;
	struct cfg_id id = { .type = IKEV2_ID_FQDN };
	struct ike_keys k = { 0 };
	struct buf msg;

	if (argc != 13)
		return 2;
	k.prf = crypto_prf_find((uint16_t)atoi(argv[1]));
	k.encr = crypto_encr_find((uint16_t)atoi(argv[2]),
				  (uint16_t)atoi(argv[3]));
	k.integ = atoi(argv[4]) ? crypto_integ_find((uint16_t)atoi(argv[4])) :
				  NULL;
	if (!k.prf || !k.encr)
		return 2;
	ls = unhex(argv[5], shared, sizeof(shared));
	lni = unhex(argv[6], ni, sizeof(ni));
	lnr = unhex(argv[7], nr, sizeof(nr));
	unhex(argv[8], spii, 8);
	unhex(argv[9], spir, 8);
	lpsk = unhex(argv[10], psk, sizeof(psk));
	buf_init(&msg);
	buf_reserve(&msg, strlen(argv[11]) / 2);
	unhex(argv[11], msg.data, msg.len);
	id.len = unhex(argv[12], id.data, sizeof(id.data));
	if (ikev2_sa_init_derive(&k, shared, ls, ni, lni, nr, lnr, spii,
				 spir))
		return 1;
	alen = k.integ ? k.integ->key_len : 0;
	elen = k.encr->key_len;
	hex("SK_d", k.sk_d, k.prf->out_len);
	hex("SK_ai", k.sk_ai, alen);
	hex("SK_ar", k.sk_ar, alen);
	hex("SK_ei", k.sk_ei, elen);
	hex("SK_er", k.sk_er, elen);
	hex("SK_pi", k.sk_pi, k.prf->out_len);
	hex("SK_pr", k.sk_pr, k.prf->out_len);
	if (child_sa_keymat(&k, NULL, 0, ni, lni, nr, lnr, keymat, 2 * 36))
		return 1;
	hex("KEYMAT", keymat, 2 * 36);
	if (ikev2_auth_psk(k.prf, psk, lpsk, &msg, nr, lnr, k.sk_pi, &id,
			   auth))
		return 1;
	hex("AUTH_i", auth, k.prf->out_len);
	buf_free(&msg);
	return 0;
}
