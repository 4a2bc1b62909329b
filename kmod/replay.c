// SPDX-License-Identifier: GPL-2.0
/* Anti-replay: a ring of bits indexed by the low bits of the sequence number,
 * cleared a word at a time as the top advances (the shape of WireGuard's
 * counter.c), plus the ESN high-half inference of RFC 4303 Appendix A.
 */
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "replay.h"

int ikesec_replay_init(struct ikesec_replay *r, u32 window, bool esn, u64 top,
		       gfp_t gfp)
{
	spin_lock_init(&r->lock);
	r->window = window;
	r->esn = esn;
	r->top = top;
	r->nbits = 0;
	r->bitmap = NULL;
	if (!window)
		return 0;
	/* The window plus one partly valid word must fit in the ring. */
	r->nbits = roundup_pow_of_two(window + 2 * BITS_PER_LONG);
	r->bitmap = kcalloc(BITS_TO_LONGS(r->nbits), sizeof(long), gfp);
	if (!r->bitmap)
		return -ENOMEM;
	if (top)
		__set_bit(top & (r->nbits - 1), r->bitmap);
	return 0;
}

void ikesec_replay_uninit(struct ikesec_replay *r)
{
	kfree(r->bitmap);
	r->bitmap = NULL;
}

/* RFC 4303 Appendix A2.1: which 2^32 subspace seql belongs to, given the
 * window's top T and size W. Returns 0 (never valid) for a number below 1.
 */
static u64 infer_seq(u64 top, u32 window, u32 seql)
{
	u32 tl = lower_32_bits(top), th = upper_32_bits(top);
	u32 w = max_t(u32, window, 1);
	u32 bottom = tl - w + 1;

	if (tl >= w - 1)	/* case A: window within one subspace */
		return (u64)(seql >= bottom ? th : th + 1ULL) << 32 | seql;
	/* case B: window spans two subspaces */
	if (seql >= bottom)
		return th ? (u64)(th - 1) << 32 | seql : 0;
	return (u64)th << 32 | seql;
}

/* Caller holds r->lock or accepts a stale answer. */
static bool fresh(const struct ikesec_replay *r, u64 top, u64 seq)
{
	if (!seq)
		return false;
	if (seq > top || !r->window)
		return true;
	if (top - seq >= r->window)
		return false;
	return !test_bit(seq & (r->nbits - 1), r->bitmap);
}

bool ikesec_replay_check(struct ikesec_replay *r, u32 seql, u64 *seq)
{
	u64 top = READ_ONCE(r->top);

	*seq = r->esn ? infer_seq(top, r->window, seql) : seql;
	return fresh(r, top, *seq);
}

bool ikesec_replay_advance(struct ikesec_replay *r, u64 seq)
{
	const unsigned long mask = r->nbits / BITS_PER_LONG - 1;
	unsigned long cur, idx, n;
	bool ok;

	spin_lock_bh(&r->lock);
	ok = fresh(r, r->top, seq);
	if (!ok || !r->window)
		goto out;
	if (seq > r->top) {
		cur = r->top / BITS_PER_LONG;
		idx = seq / BITS_PER_LONG;
		n = min_t(u64, seq / BITS_PER_LONG - cur, mask + 1);
		while (n--)
			r->bitmap[(idx - n) & mask] = 0;
	}
	__set_bit(seq & (r->nbits - 1), r->bitmap);
out:
	if (ok && seq > r->top)
		WRITE_ONCE(r->top, seq);
	spin_unlock_bh(&r->lock);
	return ok;
}

#ifdef DEBUG
struct replay_case {
	u64 seq;	/* on the wire: low 32 bits for ESN SAs */
	bool expect;
	u64 full;	/* 0: do not check the inferred number */
};

/* One SA per table; every line runs check then advance, like input.c. */
static bool run_table(const char *name, u32 window, bool esn, u64 top,
		      const struct replay_case *t, unsigned int n)
{
	struct ikesec_replay r;
	bool pass = true;
	unsigned int i;
	u64 seq;
	bool ok;

	if (ikesec_replay_init(&r, window, esn, top, GFP_KERNEL))
		return false;
	for (i = 0; i < n; i++) {
		ok = ikesec_replay_check(&r, (u32)t[i].seq, &seq);
		if (!esn)
			seq = t[i].seq;
		ok = ok && ikesec_replay_advance(&r, seq);
		if (ok != t[i].expect || (t[i].full && seq != t[i].full)) {
			pr_err("replay self-test %s %u: seq %llu gave %d (%llu)\n",
			       name, i + 1, t[i].seq, ok, seq);
			pass = false;
		}
	}
	ikesec_replay_uninit(&r);
	return pass;
}

#define T(s, e)		{ .seq = (s), .expect = (e) }
#define E(s, e, f)	{ .seq = (s), .expect = (e), .full = (f) }
#define RUN(name, w, esn, top, tbl) \
	run_table(name, w, esn, top, tbl, ARRAY_SIZE(tbl))

static const struct replay_case small[] = {
	T(0, false),		/*  1: zero is never valid */
	T(1, true),		/*  2 */
	T(1, false),		/*  3: duplicate */
	T(2, true),		/*  4 */
	T(4, true),		/*  5: gap */
	T(3, true),		/*  6: out of order, inside */
	T(3, false),		/*  7 */
	T(67, true),		/*  8: 4 = top - 63 still inside */
	T(4, false),		/*  9: seen */
	T(3, false),		/* 10: too old (67 - 64) */
	T(5, true),		/* 11: oldest slot still open */
	T(6, true),		/* 12 */
	T(1000, true),		/* 13: big jump clears the ring */
	T(937, true),		/* 14: 1000 - 63 */
	T(936, false),		/* 15: too old */
	T(999, true),		/* 16 */
	T(999, false),		/* 17 */
	T(1001, true),		/* 18 */
	T(1000 + 128, true),	/* 19: exactly one ring later */
	T(1000, false),		/* 20: too old, not a stale bit */
	T(1127, true),		/* 21 */
	T(0xffffffff, true),	/* 22: 32-bit top */
	T(0xfffffffe, true),	/* 23 */
};

static const struct replay_case big[] = {
	T(1, true),		/*  1 */
	T(4096, true),		/*  2 */
	T(1, false),		/*  3: dup */
	T(2, true),		/*  4: 4096 - 4094, inside */
	T(4097, true),		/*  5 */
	T(1, false),		/*  6: now too old */
	T(3, true),		/*  7 */
	T(2, false),		/*  8: 4097 - 2 = 4095: inside, seen */
	T(8192, true),		/*  9 */
	T(4097, false),		/* 10: 8192 - 4095, seen at 5 */
	T(4096, false),		/* 11: too old */
	T(8191, true),		/* 12 */
	T(8191, false),		/* 13 */
	T(20000, true),		/* 14 */
	T(15905, true),		/* 15: 20000 - 4095 */
	T(15904, false),	/* 16 */
};

/* ESN: top starts just below 2^32, the window straddles the wrap. */
static const struct replay_case esn[] = {
	E(0xfffffff5, true, 0xfffffff5ULL),	/*  1 */
	E(0xfffffff5, false, 0xfffffff5ULL),	/*  2 */
	E(5, true, 0x100000005ULL),		/*  3: wrapped to subspace 1 */
	E(0xfffffff6, true, 0xfffffff6ULL),	/*  4: case B, back in 0 */
	E(0xfffffff6, false, 0xfffffff6ULL),	/*  5 */
	E(0xffffffc6, true, 0xffffffc6ULL),	/*  6: 0x100000005 - 63 */
	E(0xffffffc5, true, 0x1ffffffc5ULL),	/*  7: below window: ahead */
	E(5, true, 0x200000005ULL),		/*  8: again a subspace up */
};

static const struct replay_case esn_zero[] = {
	E(0xffffffff, true, 0xffffffffULL),	/* 1 */
	E(0, true, 0x100000000ULL),		/* 2: low half 0 is valid */
	E(0, false, 0x100000000ULL),		/* 3 */
	E(1, true, 0x100000001ULL),		/* 4 */
	E(0xfffffffe, true, 0xfffffffeULL),	/* 5 */
};

static const struct replay_case esn_start[] = {
	E(0xffffffff, false, 0),		/* 1: before sequence 1 */
	E(1, true, 1),				/* 2 */
	E(2, true, 2),				/* 3 */
};

static const struct replay_case nowindow[] = {
	T(1, true),		/* 1 */
	T(1, true),		/* 2: anti-replay off: duplicates pass */
	T(0, false),		/* 3: but zero never */
};

static const struct replay_case one[] = {
	T(5, true),		/* 1 */
	T(5, false),		/* 2 */
	T(4, false),		/* 3: window of one: only the top */
	T(6, true),		/* 4 */
};

bool ikesec_replay_selftest(void)
{
	bool pass = true;

	pass &= RUN("small", 64, false, 0, small);
	pass &= RUN("big", 4096, false, 0, big);
	pass &= RUN("esn", 64, true, 0xfffffff0ULL, esn);
	pass &= RUN("esn_zero", 32, true, 0xfffffff0ULL, esn_zero);
	pass &= RUN("esn_start", 64, true, 0, esn_start);
	pass &= RUN("nowindow", 0, false, 0, nowindow);
	pass &= RUN("one", 1, false, 0, one);
	if (pass)
		pr_info("replay self-tests: pass\n");
	return pass;
}
#endif
