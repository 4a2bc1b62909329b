/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IKESEC_CRYPTO_H
#define _IKESEC_CRYPTO_H

#include <linux/types.h>
#include <crypto/aead.h>
#include <uapi/linux/ikesec.h>

struct netlink_ext_ack;

/* One SA's transform: always an AEAD, the CBC+HMAC case via authenc(). */
struct ikesec_crypto {
	struct crypto_aead *aead;
	u16 enc_alg;
	u16 auth_alg;
	u16 enc_key_bits;	/* reported to userspace, salt excluded */
	u16 auth_key_bits;
	u8 ivlen;	/* explicit IV carried in each packet */
	u8 icvlen;	/* integrity check value after the trailer */
	u8 blocksize;	/* payload alignment (RFC 4303 2.4), >= 4 */
	bool combined;	/* true AEAD: AAD is SPI|seq, IV part of the AAD */
};

int ikesec_crypto_init(struct ikesec_crypto *c, u16 enc_alg, const u8 *key,
		       unsigned int keylen, u16 auth_alg, const u8 *akey,
		       unsigned int akeylen, bool esn,
		       struct netlink_ext_ack *extack);
void ikesec_crypto_uninit(struct ikesec_crypto *c);

#endif
