// SPDX-License-Identifier: GPL-2.0
/* ESP header and associated data shared by input.c and output.c.
 *
 * All three transforms get the same layout: the associated data is
 * SPI | [seq hi] | seq lo | IV in a buffer of ours (sg[0]), the payload and
 * ICV are the skb in place (sg[1..]). rfc4106() and rfc7539esp() take the
 * trailing IV out of the AAD themselves (RFC 4106 5, RFC 7634 2.1);
 * authenc() authenticates it, as RFC 4303 2.2.1 wants, and authencesn()
 * moves seq hi behind the payload (RFC 4303 2.2.1, RFC 4304).
 */
#include <linux/slab.h>

#include "esp.h"

struct ikesec_esp_req *ikesec_esp_req_alloc(struct ikesec_sa *sa, int nfrags,
					    struct aead_request **req,
					    struct scatterlist **sg)
{
	struct crypto_aead *aead = sa->crypto.aead;
	struct ikesec_esp_req *er;
	size_t len, reqoff, sgoff;

	reqoff = ALIGN(sizeof(*er), crypto_tfm_ctx_alignment());
	sgoff = ALIGN(reqoff + sizeof(**req) + crypto_aead_reqsize(aead),
		      __alignof__(struct scatterlist));
	len = sgoff + sizeof(**sg) * (nfrags + 1);

	er = kmalloc(len, GFP_ATOMIC);
	if (!er)
		return NULL;
	er->sa = sa;
	er->frag = NULL;
	*req = (void *)er + reqoff;
	*sg = (void *)er + sgoff;
	aead_request_set_tfm(*req, aead);
	sg_init_table(*sg, nfrags + 1);
	return er;
}

void ikesec_esp_req_free(struct ikesec_esp_req *er)
{
	/* The IV is public; nothing secret lives here (the trailer is
	 * padding and a next-header value).
	 */
	if (er->frag)
		skb_free_frag(er->frag);
	kfree(er);
}

void ikesec_esp_build_aad(struct ikesec_esp_req *er, __be32 spi, bool esn,
			  const u8 *iv, unsigned int ivlen)
{
	__be32 *p = (__be32 *)er->aad;

	*p++ = spi;
	if (esn)
		*p++ = htonl(upper_32_bits(er->seq));
	*p++ = htonl(lower_32_bits(er->seq));
	memcpy(p, iv, ivlen);
	memcpy(er->iv, iv, ivlen);
	er->aadlen = (u8 *)p - er->aad + ivlen;
}

unsigned int ikesec_esp_overhead(const struct ikesec_sa *sa)
{
	const struct ikesec_crypto *c = &sa->crypto;

	return IKESEC_ESP_HLEN + c->ivlen + c->blocksize - 1 + 2 + c->icvlen;
}

void ikesec_esp_wait(struct ikesec_net *in)
{
	wait_var_event(&in->crypto_pending, !atomic_read(&in->crypto_pending));
}
