// SPDX-License-Identifier: GPL-2.0
/* Growable byte buffer; see buf.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "buf.h"

void buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void buf_free(struct buf *b)
{
	if (b->data)
		OPENSSL_cleanse(b->data, b->cap);
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	if (b->data)
		OPENSSL_cleanse(b->data, b->len);
	b->len = 0;
	b->err = 0;
}

void buf_shrink(struct buf *b)
{
	uint8_t *p;

	if (b->err || b->len == b->cap)
		return;
	if (!b->len) {
		buf_free(b);
		return;
	}
	p = malloc(b->len);
	if (!p)
		return;		/* keeps the larger block */
	memcpy(p, b->data, b->len);
	OPENSSL_cleanse(b->data, b->cap);
	free(b->data);
	b->data = p;
	b->cap = b->len;
}

/* Grow by doubling; the old block is wiped before it is freed. */
static int grow(struct buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	uint8_t *p;

	if (need > BUF_MAX) {
		b->err = -EMSGSIZE;
		return -1;
	}
	while (cap < need)
		cap *= 2;
	p = calloc(1, cap);
	if (!p) {
		b->err = -ENOMEM;
		return -1;
	}
	if (b->data) {
		memcpy(p, b->data, b->len);
		OPENSSL_cleanse(b->data, b->cap);
		free(b->data);
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

size_t buf_reserve(struct buf *b, size_t n)
{
	size_t off = b->len;

	if (b->err)
		return SIZE_MAX;
	if (b->len + n > b->cap && grow(b, b->len + n))
		return SIZE_MAX;
	memset(b->data + off, 0, n);
	b->len += n;
	return off;
}

void buf_put(struct buf *b, const void *p, size_t n)
{
	size_t off = buf_reserve(b, n);

	if (off != SIZE_MAX && n)
		memcpy(b->data + off, p, n);
}

void buf_put8(struct buf *b, uint8_t v)
{
	buf_put(b, &v, 1);
}

void buf_put16(struct buf *b, uint16_t v)
{
	uint8_t p[2] = { v >> 8, v & 0xff };

	buf_put(b, p, 2);
}

void buf_put32(struct buf *b, uint32_t v)
{
	uint8_t p[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff,
			 v & 0xff };

	buf_put(b, p, 4);
}

void buf_set16(struct buf *b, size_t off, uint16_t v)
{
	if (b->err || off + 2 > b->len)
		return;
	b->data[off] = v >> 8;
	b->data[off + 1] = v & 0xff;
}

void buf_set32(struct buf *b, size_t off, uint32_t v)
{
	if (b->err || off + 4 > b->len)
		return;
	b->data[off] = v >> 24;
	b->data[off + 1] = (v >> 16) & 0xff;
	b->data[off + 2] = (v >> 8) & 0xff;
	b->data[off + 3] = v & 0xff;
}
