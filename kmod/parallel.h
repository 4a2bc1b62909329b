/* SPDX-License-Identifier: GPL-2.0 */
/* ESP crypto on every CPU, results in order (padata), as WireGuard spreads
 * its crypto over all CPUs and pcrypt does for XFRM.
 */
#ifndef _IKESEC_PARALLEL_H
#define _IKESEC_PARALLEL_H

#include <crypto/aead.h>
#include <linux/padata.h>
#include <linux/skbuff.h>

struct ikesec_sa;

/* One packet's place in the parallel queue, inside its ikesec_esp_req. */
struct ikesec_par {
	struct padata_priv padata;
	struct aead_request *req;
	struct sk_buff *skb;
	struct ikesec_sa *sa;
	void (*finish)(struct sk_buff *skb, int err);
	int err;
	bool encrypt;
};

int ikesec_par_init(void);
void ikesec_par_uninit(void);

/* Runs req (its callback already set for the inline case) on some CPU
 * and then finish(skb, err) on sa's home CPU, in the order of submission
 * (one CPU per SA while it has packets queued: the order holds for every
 * SA whichever CPU sent), and returns true; or returns false, and the
 * caller runs req itself. len is the packet's length: small packets stay
 * inline unless packets of the same SA are still in the queue, so an SA's
 * packets never overtake each other. Called from the packet path; does
 * not sleep.
 */
bool ikesec_par_submit(struct ikesec_par *p, struct ikesec_sa *sa,
		       struct aead_request *req, bool encrypt,
		       unsigned int len, struct sk_buff *skb,
		       void (*finish)(struct sk_buff *skb, int err));

#endif
