/* SPDX-License-Identifier: GPL-2.0 */
/* ESP wire format (RFC 4303 2): header, IV, trailer, ICV, and the
 * associated data each transform authenticates.
 */
#ifndef _IKESEC_ESP_H
#define _IKESEC_ESP_H

#include <crypto/aead.h>
#include <linux/skbuff.h>
#include <linux/wait_bit.h>

#include "parallel.h"
#include "sa.h"

#define IKESEC_ESP_HLEN		8	/* SPI + sequence number */
#define IKESEC_ESP_IV_MAX	16
#define IKESEC_ESP_AAD_MAX	(12 + IKESEC_ESP_IV_MAX)
#define IKESEC_ESP_TAIL_MAX	(IKESEC_ESP_IV_MAX + 1)	/* pad + 2 bytes */

/* One packet's crypto request and everything it points to, in one
 * allocation (the shape of esp4's esp_alloc_tmp()).
 */
struct ikesec_esp_req {
	struct ikesec_sa *sa;		/* holds a reference */
	u64 seq;
	unsigned int aadlen;		/* assoclen given to the AEAD */
	u8 nexthdr;			/* output: the trailer's next header */
	u8 iv[IKESEC_ESP_IV_MAX];	/* the AEAD may overwrite this copy */
	u8 aad[IKESEC_ESP_AAD_MAX];	/* SPI | [seq hi] | seq lo | IV */
	/* Output out of place: the ciphertext and ICV (a netdev page
	 * fragment, owned until it replaces the skb's fragments) and the
	 * plaintext trailer it is encrypted from.
	 */
	void *frag;
	u8 tail[IKESEC_ESP_TAIL_MAX];
	struct ikesec_par par;		/* parallel.c, when queued there */
};

struct ikesec_esp_req *ikesec_esp_req_alloc(struct ikesec_sa *sa, int nfrags,
					    struct aead_request **req,
					    struct scatterlist **sg);
void ikesec_esp_req_free(struct ikesec_esp_req *er);

/* Fills er->aad from the SPI, the 64-bit sequence number and the IV. */
void ikesec_esp_build_aad(struct ikesec_esp_req *er, __be32 spi, bool esn,
			  const u8 *iv, unsigned int ivlen);

/* The worst-case bytes ESP adds around a payload of this SA (header, IV,
 * padding, trailer, ICV), not counting outer IP or UDP headers.
 */
unsigned int ikesec_esp_overhead(const struct ikesec_sa *sa);

/* Every request counts in in->crypto_pending from submission to the end
 * of its completion, so that the namespace (and the module) wait for
 * asynchronous ones before going away: ikesec_esp_wait().
 */
static inline void ikesec_crypto_done(struct ikesec_net *in)
{
	if (atomic_dec_and_test(&in->crypto_pending))
		wake_up_var(&in->crypto_pending);
}

void ikesec_esp_wait(struct ikesec_net *in);

#endif
