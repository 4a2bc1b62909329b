// SPDX-License-Identifier: GPL-2.0
/*
 * Proposal strings as swanctl writes them ("aes256gcm16-prfsha256-x25519,
 * aes128-sha256-modp3072") into IANA transforms (RFC 7296 3.3.2, the IANA
 * "IKEv2 Parameters" registry). Algorithms of one type in one proposal are
 * alternatives. ESP is limited to what the ikesec module implements.
 */
#include <stdio.h>
#include <string.h>

#include "config_parse.h"
#include "ikev2.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * strongSwan's "default" restricted to what we implement, in its order:
 * IKE offers CBC+HMAC, then AEAD; ESP offers AEAD, then CBC+HMAC, no PFS,
 * no ESN. MODP-1024 and SHA-1 PRF-less leftovers are not in it.
 */
const char config_default_ike[] =
	"aes128-aes192-aes256-sha256-sha384-sha512-sha1-"
	"x25519-ecp256-ecp384-modp3072-modp4096-modp2048,"
	"aes128gcm16-aes192gcm16-aes256gcm16-chacha20poly1305-"
	"prfsha256-prfsha384-prfsha512-prfsha1-"
	"x25519-ecp256-ecp384-modp3072-modp4096-modp2048";
const char config_default_esp[] =
	"aes128gcm16-aes256gcm16-chacha20poly1305-noesn,"
	"aes128-aes256-sha256-sha1-noesn";

#define AEAD	1	/* flags */
#define NO_ESP	2	/* the module does not implement it */

static const struct alg {
	const char *name;
	uint8_t type;
	uint16_t id;
	uint16_t keylen;
	uint8_t flags;
	uint16_t prf;		/* INTEG: the PRF implied in IKE */
} algs[] = {
	{ "aes128", IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC, 128, 0, 0 },
	{ "aes192", IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC, 192, NO_ESP, 0 },
	{ "aes256", IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC, 256, 0, 0 },
	{ "aes128gcm16", IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 128, AEAD, 0 },
	{ "aes192gcm16", IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 192,
	  AEAD | NO_ESP, 0 },
	{ "aes256gcm16", IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 256, AEAD, 0 },
	{ "aes128gcm", IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 128, AEAD, 0 },
	{ "aes256gcm", IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 256, AEAD, 0 },
	{ "chacha20poly1305", IKEV2_XF_ENCR, IKEV2_ENCR_CHACHA20_POLY1305, 0,
	  AEAD, 0 },
	{ "sha1", IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA1_96, 0, 0,
	  IKEV2_PRF_HMAC_SHA1 },
	{ "sha256", IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0, 0,
	  IKEV2_PRF_HMAC_SHA2_256 },
	{ "sha384", IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA2_384_192, 0, NO_ESP,
	  IKEV2_PRF_HMAC_SHA2_384 },
	{ "sha512", IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA2_512_256, 0, NO_ESP,
	  IKEV2_PRF_HMAC_SHA2_512 },
	{ "prfsha1", IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA1, 0, 0, 0 },
	{ "prfsha256", IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_256, 0, 0, 0 },
	{ "prfsha384", IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_384, 0, 0, 0 },
	{ "prfsha512", IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_512, 0, 0, 0 },
	{ "modp1024", IKEV2_XF_DH, IKEV2_DH_MODP_1024, 0, 0, 0 },
	{ "modp2048", IKEV2_XF_DH, IKEV2_DH_MODP_2048, 0, 0, 0 },
	{ "modp3072", IKEV2_XF_DH, IKEV2_DH_MODP_3072, 0, 0, 0 },
	{ "modp4096", IKEV2_XF_DH, IKEV2_DH_MODP_4096, 0, 0, 0 },
	{ "ecp256", IKEV2_XF_DH, IKEV2_DH_ECP_256, 0, 0, 0 },
	{ "ecp384", IKEV2_XF_DH, IKEV2_DH_ECP_384, 0, 0, 0 },
	{ "x25519", IKEV2_XF_DH, IKEV2_DH_CURVE25519, 0, 0, 0 },
	{ "curve25519", IKEV2_XF_DH, IKEV2_DH_CURVE25519, 0, 0, 0 },
	{ "esn", IKEV2_XF_ESN, IKEV2_ESN_YES, 0, 0, 0 },
	{ "noesn", IKEV2_XF_ESN, IKEV2_ESN_NO, 0, 0, 0 },
};

static const struct alg *alg_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(algs); i++)
		if (strlen(algs[i].name) == len &&
		    !strncmp(algs[i].name, name, len))
			return &algs[i];
	return NULL;
}

static uint16_t integ_prf(uint16_t integ)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(algs); i++)
		if (algs[i].type == IKEV2_XF_INTEG && algs[i].id == integ)
			return algs[i].prf;
	return 0;
}

static bool has_xform(const struct cfg_proposal *p, uint8_t type,
		      uint16_t id, uint16_t keylen)
{
	int i;

	for (i = 0; i < p->n_xf; i++)
		if (p->xf[i].type == type && p->xf[i].id == id &&
		    p->xf[i].keylen == keylen)
			return true;
	return false;
}

static int add_xform(struct cfg_proposal *p, uint8_t type, uint16_t id,
		     uint16_t keylen)
{
	if (has_xform(p, type, id, keylen))
		return 0;
	if (p->n_xf >= CFG_MAX_XFORMS)
		return -1;
	p->xf[p->n_xf].type = type;
	p->xf[p->n_xf].id = id;
	p->xf[p->n_xf].keylen = keylen;
	p->n_xf++;
	return 0;
}

static int count(const struct cfg_proposal *p, uint8_t type)
{
	int i, n = 0;

	for (i = 0; i < p->n_xf; i++)
		n += p->xf[i].type == type;
	return n;
}

/* What a complete proposal needs (RFC 7296 3.3.3; AEAD: RFC 5282 8). */
static int check(struct cfg_proposal *p, bool esp, int aead, char *err,
		 size_t errlen)
{
	const char *t = p->text;
	int i, n = p->n_xf;

	if (!count(p, IKEV2_XF_ENCR))
		return snprintf(err, errlen, "proposal `%s': no encryption algorithm",
				t), -1;
	if (aead && aead != count(p, IKEV2_XF_ENCR))
		return snprintf(err, errlen, "proposal `%s': AEAD and non-AEAD encryption algorithms cannot be mixed",
				t), -1;
	if (aead && count(p, IKEV2_XF_INTEG))
		return snprintf(err, errlen, "proposal `%s': an AEAD algorithm takes no integrity algorithm",
				t), -1;
	if (!aead && !count(p, IKEV2_XF_INTEG))
		return snprintf(err, errlen, "proposal `%s': no integrity algorithm",
				t), -1;
	if (esp) {
		if (count(p, IKEV2_XF_PRF))
			return snprintf(err, errlen, "proposal `%s': a PRF belongs in IKE proposals only",
					t), -1;
		if (!count(p, IKEV2_XF_ESN) &&
		    add_xform(p, IKEV2_XF_ESN, IKEV2_ESN_NO, 0))
			goto too_many;
		return 0;
	}
	if (count(p, IKEV2_XF_ESN))
		return snprintf(err, errlen, "proposal `%s': esn/noesn belong in esp_proposals only",
				t), -1;
	if (!count(p, IKEV2_XF_DH))
		return snprintf(err, errlen, "proposal `%s': no Diffie-Hellman group (e.g. x25519)",
				t), -1;
	if (count(p, IKEV2_XF_PRF))
		return 0;
	if (aead)
		return snprintf(err, errlen, "proposal `%s': an AEAD algorithm needs a PRF in IKE (e.g. prfsha256)",
				t), -1;
	/* As strongSwan: each integrity algorithm implies its PRF. */
	for (i = 0; i < n; i++)
		if (p->xf[i].type == IKEV2_XF_INTEG &&
		    add_xform(p, IKEV2_XF_PRF, integ_prf(p->xf[i].id), 0))
			goto too_many;
	return 0;
too_many:
	return snprintf(err, errlen, "proposal `%s': more than %d algorithms",
			t, CFG_MAX_XFORMS), -1;
}

/* One proposal, s[0..len), keywords joined by `-'. */
static int one(const char *s, size_t len, bool esp, struct cfg_proposal *p,
	       char *err, size_t errlen)
{
	const char *kw = s, *end = s + len, *dash;
	const struct alg *a;
	int aead = 0;

	memset(p, 0, sizeof(*p));
	if (len >= sizeof(p->text))
		return snprintf(err, errlen, "proposal `%.*s...' is too long",
				40, s), -1;
	memcpy(p->text, s, len);
	while (kw < end) {
		dash = memchr(kw, '-', end - kw);
		if (!dash)
			dash = end;
		a = alg_find(kw, dash - kw);
		if (!a)
			return snprintf(err, errlen, "proposal `%s': unknown algorithm `%.*s'",
					p->text, (int)(dash - kw), kw), -1;
		if (esp && (a->flags & NO_ESP))
			return snprintf(err, errlen, "proposal `%s': `%s' is not supported for ESP by the ikesec module",
					p->text, a->name), -1;
		if (has_xform(p, a->type, a->id, a->keylen))
			return snprintf(err, errlen, "proposal `%s': `%s' appears twice",
					p->text, a->name), -1;
		if (add_xform(p, a->type, a->id, a->keylen))
			return snprintf(err, errlen, "proposal `%s': more than %d algorithms",
					p->text, CFG_MAX_XFORMS), -1;
		aead += !!(a->flags & AEAD);
		kw = dash + 1;
		if (dash + 1 == end)
			return snprintf(err, errlen, "proposal `%s': ends with `-'",
					p->text), -1;
	}
	return check(p, esp, aead, err, errlen);
}

int config_proposal_parse(const char *s, bool esp, struct cfg_proposal *p,
			  int max, int *n, char *err, size_t errlen)
{
	const char *item = s, *comma, *b, *e;

	for (;;) {
		comma = strchr(item, ',');
		e = comma ? comma : item + strlen(item);
		for (b = item; b < e && (*b == ' ' || *b == '\t'); b++)
			;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e == b)
			return snprintf(err, errlen, "empty proposal in `%s'",
					s), -1;
		if (e - b == 7 && !strncmp(b, "default", 7)) {
			if (config_proposal_parse(esp ? config_default_esp :
						  config_default_ike, esp, p,
						  max, n, err, errlen))
				return -1;
		} else {
			if (*n >= max)
				return snprintf(err, errlen, "more than %d proposals in `%s'",
						max, s), -1;
			if (one(b, e - b, esp, &p[*n], err, errlen))
				return -1;
			(*n)++;
		}
		if (!comma)
			return 0;
		item = comma + 1;
	}
}
