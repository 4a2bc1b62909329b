/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable byte buffer for building messages. Errors are sticky: append
 * freely, check buf.err once at the end. buf_free() wipes the contents
 * (messages carry keys before encryption).
 */
#ifndef IKEDAEMON_BUF_H
#define IKEDAEMON_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data;
	size_t len, cap;
	int err;		/* -ENOMEM or -EMSGSIZE once, then no-ops */
};

#define BUF_MAX		(64 * 1024)	/* an IKE message is < 64 KiB */

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Give back the unused capacity (a buffer kept for a long time, such as a
 * cached message); the contents stay, the old block is wiped.
 */
void buf_shrink(struct buf *b);
/* Room for n more bytes at the end, zeroed; returns its offset or
 * SIZE_MAX on error.
 */
size_t buf_reserve(struct buf *b, size_t n);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_put8(struct buf *b, uint8_t v);
void buf_put16(struct buf *b, uint16_t v);	/* network order */
void buf_put32(struct buf *b, uint32_t v);
void buf_set16(struct buf *b, size_t off, uint16_t v);
void buf_set32(struct buf *b, size_t off, uint32_t v);

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

#endif
