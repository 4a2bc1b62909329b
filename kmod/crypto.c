// SPDX-License-Identifier: GPL-2.0
/* Per-SA transforms from the kernel crypto API. Keys are copied into the
 * tfm and never kept elsewhere; temporary buffers are wiped.
 */
#include <crypto/authenc.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "compat.h"
#include "crypto.h"

/* ESN needs authencesn(): the high sequence bits are authenticated after
 * the payload (RFC 4303 2.2.1).
 */
static const char *authenc_name(u16 auth_alg, bool esn, unsigned int *icvlen)
{
	switch (auth_alg) {
	case IKESEC_AUTH_HMAC_SHA256_128:
		*icvlen = 16;
		return esn ? "authencesn(hmac(sha256),cbc(aes))" :
			     "authenc(hmac(sha256),cbc(aes))";
	case IKESEC_AUTH_HMAC_SHA1_96:
		*icvlen = 12;
		return esn ? "authencesn(hmac(sha1),cbc(aes))" :
			     "authenc(hmac(sha1),cbc(aes))";
	}
	return NULL;
}

/* authenc() wants one blob: rtattr param, auth key, enc key. */
static u8 *authenc_key(const u8 *key, unsigned int keylen, const u8 *akey,
		       unsigned int akeylen, unsigned int *bloblen)
{
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *blob, *p;

	*bloblen = RTA_SPACE(sizeof(*param)) + akeylen + keylen;
	blob = kmalloc(*bloblen, GFP_KERNEL);
	if (!blob)
		return NULL;
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(keylen);
	p = blob + RTA_SPACE(sizeof(*param));
	memcpy(p, akey, akeylen);
	memcpy(p + akeylen, key, keylen);
	return blob;
}

static int check_keylen(u16 enc_alg, unsigned int keylen, u16 auth_alg,
			unsigned int akeylen, struct netlink_ext_ack *extack)
{
	switch (enc_alg) {
	case IKESEC_ENC_AES_GCM_16:
		if (keylen != 20 && keylen != 36) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
				"ENC_KEY for AES-GCM must be 20 or 36 bytes (key + 4-byte salt), got %u",
				keylen);
			return -EINVAL;
		}
		break;
	case IKESEC_ENC_CHACHA20_POLY1305:
		if (keylen != 36) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
				"ENC_KEY for ChaCha20-Poly1305 must be 36 bytes (key + 4-byte salt), got %u",
				keylen);
			return -EINVAL;
		}
		break;
	case IKESEC_ENC_AES_CBC:
		if (keylen != 16 && keylen != 24 && keylen != 32) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
				"ENC_KEY for AES-CBC must be 16, 24 or 32 bytes, got %u",
				keylen);
			return -EINVAL;
		}
		break;
	default:
		NL_SET_ERR_MSG_FMT_MOD(extack, "unknown ENC_ALG %u", enc_alg);
		return -EOPNOTSUPP;
	}

	if (enc_alg != IKESEC_ENC_AES_CBC) {
		if (auth_alg != IKESEC_AUTH_NONE || akeylen) {
			NL_SET_ERR_MSG_MOD(extack,
				"AUTH_ALG/AUTH_KEY must be absent for an AEAD ENC_ALG");
			return -EINVAL;
		}
		return 0;
	}
	if (auth_alg == IKESEC_AUTH_HMAC_SHA256_128 && akeylen != 32) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"AUTH_KEY for HMAC-SHA-256-128 must be 32 bytes, got %u",
			akeylen);
		return -EINVAL;
	}
	if (auth_alg == IKESEC_AUTH_HMAC_SHA1_96 && akeylen != 20) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"AUTH_KEY for HMAC-SHA-1-96 must be 20 bytes, got %u",
			akeylen);
		return -EINVAL;
	}
	if (auth_alg != IKESEC_AUTH_HMAC_SHA256_128 &&
	    auth_alg != IKESEC_AUTH_HMAC_SHA1_96) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"AES-CBC needs AUTH_ALG hmac-sha256 or hmac-sha1, got %u",
			auth_alg);
		return -EINVAL;
	}
	return 0;
}

/* Process context (may sleep). */
int ikesec_crypto_init(struct ikesec_crypto *c, u16 enc_alg, const u8 *key,
		       unsigned int keylen, u16 auth_alg, const u8 *akey,
		       unsigned int akeylen, bool esn,
		       struct netlink_ext_ack *extack)
{
	unsigned int icvlen = 16, bloblen = 0;
	/* Salt excluded: what users call the key size. */
	unsigned int enc_key_bits = enc_alg == IKESEC_ENC_AES_CBC ?
				    keylen * 8 : (keylen - 4) * 8;
	const char *name;
	u8 *blob = NULL;
	int err;

	err = check_keylen(enc_alg, keylen, auth_alg, akeylen, extack);
	if (err)
		return err;

	switch (enc_alg) {
	case IKESEC_ENC_AES_GCM_16:
		name = "rfc4106(gcm(aes))";
		break;
	case IKESEC_ENC_CHACHA20_POLY1305:
		name = "rfc7539esp(chacha20,poly1305)";
		break;
	default:
		name = authenc_name(auth_alg, esn, &icvlen);
		blob = authenc_key(key, keylen, akey, akeylen, &bloblen);
		if (!blob)
			return -ENOMEM;
		key = blob;
		keylen = bloblen;
	}

	c->aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(c->aead)) {
		err = PTR_ERR(c->aead);
		c->aead = NULL;
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"kernel crypto API has no %s (error %d)", name, err);
		goto out;
	}
	err = crypto_aead_setkey(c->aead, key, keylen);
	if (err) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s refused the key (error %d)",
				       name, err);
		goto free_aead;
	}
	err = crypto_aead_setauthsize(c->aead, icvlen);
	if (err) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
			"%s refused ICV length %u (error %d)", name, icvlen, err);
		goto free_aead;
	}

	c->enc_alg = enc_alg;
	c->enc_key_bits = enc_key_bits;
	c->auth_key_bits = akeylen * 8;
	c->auth_alg = auth_alg;
	c->icvlen = icvlen;
	c->ivlen = crypto_aead_ivsize(c->aead);
	c->blocksize = max_t(unsigned int, 4, crypto_aead_blocksize(c->aead));
	c->combined = enc_alg != IKESEC_ENC_AES_CBC;
	goto out;

free_aead:
	crypto_free_aead(c->aead);
	c->aead = NULL;
out:
	if (blob)
		kfree_sensitive(blob);
	return err;
}

void ikesec_crypto_uninit(struct ikesec_crypto *c)
{
	if (c->aead)
		crypto_free_aead(c->aead);
	c->aead = NULL;
}
