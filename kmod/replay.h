/* SPDX-License-Identifier: GPL-2.0 */
/* Anti-replay window (RFC 4303 3.4.3) with 64-bit ESN (RFC 4304,
 * RFC 4303 Appendix A).
 */
#ifndef _IKESEC_REPLAY_H
#define _IKESEC_REPLAY_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct ikesec_replay {
	spinlock_t lock;
	u64 top;		/* highest authenticated sequence number */
	u32 window;		/* packets; 0: anti-replay disabled */
	u32 nbits;		/* bitmap ring size, power of two */
	bool esn;
	unsigned long *bitmap;	/* bit (seq & (nbits - 1)) set: seen */
};

int ikesec_replay_init(struct ikesec_replay *r, u32 window, bool esn, u64 top,
		       gfp_t gfp);
void ikesec_replay_uninit(struct ikesec_replay *r);

/* Before decryption: the full sequence number for the 32 bits on the wire,
 * or false when the packet is certainly a replay or too old.
 */
bool ikesec_replay_check(struct ikesec_replay *r, u32 seql, u64 *seq);
/* After the ICV verified: records seq, false if a racing copy won. */
bool ikesec_replay_advance(struct ikesec_replay *r, u64 seq);

#ifdef DEBUG
bool ikesec_replay_selftest(void);
#else
static inline bool ikesec_replay_selftest(void)
{
	return true;
}
#endif

#endif
