// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 payload parsing and building; see ikev2_pld.h. validate_*() look
 * at lengths only and log the function and the numbers on rejection;
 * pld_*() run on validated bodies and give them meaning.
 */
#include <string.h>

#include "ikev2.h"
#include "ikev2_pld.h"
#include "log.h"

#define TS_HDR_LEN	8	/* type, proto, length, ports */

static int validate_sa(const uint8_t *p, size_t len)
{
	size_t off = 0, plen, xoff, xlen;
	unsigned int i, nxf;

	if (!len) {
		log_warnx(LOG_ENC, "%s: SA payload empty", __func__);
		return -1;
	}
	while (off < len) {
		if (len - off < 8) {
			log_warnx(LOG_ENC, "%s: proposal header truncated "
				  "(%zu < 8 at offset %zu)", __func__,
				  len - off, off);
			return -1;
		}
		plen = get16(p + off + 2);
		if (plen < 8 || plen > len - off) {
			log_warnx(LOG_ENC, "%s: proposal length %zu invalid "
				  "(8..%zu)", __func__, plen, len - off);
			return -1;
		}
		if (p[off] != IKEV2_PROP_LAST && p[off] != IKEV2_PROP_MORE) {
			log_warnx(LOG_ENC, "%s: proposal last-substruc %u",
				  __func__, p[off]);
			return -1;
		}
		if ((p[off] == IKEV2_PROP_LAST) != (off + plen == len)) {
			log_warnx(LOG_ENC, "%s: last-substruc %u at offset "
				  "%zu of %zu", __func__, p[off], off, len);
			return -1;
		}
		if (p[off + 6] > 8 || 8u + p[off + 6] > plen) {
			log_warnx(LOG_ENC, "%s: SPI size %u invalid (proposal "
				  "length %zu)", __func__, p[off + 6], plen);
			return -1;
		}
		nxf = p[off + 7];
		xoff = off + 8 + p[off + 6];
		for (i = 0; i < nxf; i++) {
			if (off + plen - xoff < 8) {
				log_warnx(LOG_ENC, "%s: transform %u of %u "
					  "truncated", __func__, i + 1, nxf);
				return -1;
			}
			xlen = get16(p + xoff + 2);
			if (xlen < 8 || xlen > off + plen - xoff) {
				log_warnx(LOG_ENC, "%s: transform length %zu "
					  "invalid (8..%zu)", __func__, xlen,
					  off + plen - xoff);
				return -1;
			}
			xoff += xlen;
		}
		if (xoff != off + plen) {
			log_warnx(LOG_ENC, "%s: proposal %u: %u transforms "
				  "end at %zu, proposal at %zu", __func__,
				  p[off + 4], nxf, xoff - off, plen);
			return -1;
		}
		off += plen;
	}
	return 0;
}

static int validate_min(const char *fn, const char *what, size_t len,
			size_t min)
{
	if (len >= min)
		return 0;
	log_warnx(LOG_ENC, "%s: %s payload too short (%zu < %zu)", fn, what,
		  len, min);
	return -1;
}

static int validate_ke(const uint8_t *p, size_t len)
{
	(void)p;
	return validate_min(__func__, "KE", len, 5);
}

static int validate_nonce(const uint8_t *p, size_t len)
{
	(void)p;
	if (len < IKEV2_NONCE_MIN || len > IKEV2_NONCE_MAX) {
		log_warnx(LOG_ENC, "%s: nonce length %zu outside %d..%d",
			  __func__, len, IKEV2_NONCE_MIN, IKEV2_NONCE_MAX);
		return -1;
	}
	return 0;
}

static int validate_id(const uint8_t *p, size_t len)
{
	(void)p;
	if (validate_min(__func__, "ID", len, 5))
		return -1;
	if (len - 4 > sizeof(((struct cfg_id *)0)->data)) {
		log_warnx(LOG_ENC, "%s: ID too long (%zu > %zu)", __func__,
			  len - 4, sizeof(((struct cfg_id *)0)->data));
		return -1;
	}
	return 0;
}

static int validate_auth(const uint8_t *p, size_t len)
{
	(void)p;
	return validate_min(__func__, "AUTH", len, 5);
}

static int validate_cert(const uint8_t *p, size_t len)
{
	(void)p;
	return validate_min(__func__, "CERT/CERTREQ", len, 1);
}

/* Record one of several payloads of a kind; extra ones are ignored. */
static int many(struct pld_ref *r, int *n, int max, const uint8_t *p,
		size_t len, uint8_t type)
{
	if (validate_cert(p, len))
		return -1;
	if (*n >= max) {
		log_debug(LOG_ENC, "ikev2_pld_parse: more than %d %s payloads, "
			  "rest ignored", max, ikev2_pld_name(type));
		return 0;
	}
	r[*n].p = p;
	r[(*n)++].len = len;
	return 0;
}

static int validate_notify(const uint8_t *p, size_t len)
{
	if (validate_min(__func__, "N", len, 4))
		return -1;
	if (4u + p[1] > len) {
		log_warnx(LOG_ENC, "%s: SPI size %u exceeds payload (%zu)",
			  __func__, p[1], len);
		return -1;
	}
	return 0;
}

static int validate_delete(const uint8_t *p, size_t len)
{
	size_t need;

	if (validate_min(__func__, "D", len, 4))
		return -1;
	need = 4 + (size_t)p[1] * get16(p + 2);
	if (need != len) {
		log_warnx(LOG_ENC, "%s: %u SPIs of %u bytes need %zu, payload "
			  "has %zu", __func__, get16(p + 2), p[1], need, len);
		return -1;
	}
	return 0;
}

static int validate_ts(const uint8_t *p, size_t len)
{
	size_t off = 4, tlen, want;
	unsigned int i, n;

	if (validate_min(__func__, "TS", len, 4))
		return -1;
	n = p[0];
	for (i = 0; i < n; i++) {
		if (len - off < TS_HDR_LEN) {
			log_warnx(LOG_ENC, "%s: selector %u of %u truncated "
				  "(%zu < %d)", __func__, i + 1, n, len - off,
				  TS_HDR_LEN);
			return -1;
		}
		tlen = get16(p + off + 2);
		if (tlen < TS_HDR_LEN || tlen > len - off) {
			log_warnx(LOG_ENC, "%s: selector length %zu invalid "
				  "(%d..%zu)", __func__, tlen, TS_HDR_LEN,
				  len - off);
			return -1;
		}
		want = p[off] == IKEV2_TS_IPV4_ADDR_RANGE ? 16 :
		       p[off] == IKEV2_TS_IPV6_ADDR_RANGE ? 40 : tlen;
		if (tlen != want) {
			log_warnx(LOG_ENC, "%s: selector type %u length %zu, "
				  "expected %zu", __func__, p[off], tlen, want);
			return -1;
		}
		off += tlen;
	}
	if (off != len) {
		log_warnx(LOG_ENC, "%s: %u selectors end at %zu, payload at "
			  "%zu", __func__, n, off, len);
		return -1;
	}
	return 0;
}

/* Record a payload that may appear once. */
static int once(struct pld_ref *r, const uint8_t *p, size_t len,
		uint8_t type)
{
	if (r->p) {
		log_warnx(LOG_ENC, "ikev2_pld_parse: duplicate %s payload",
			  ikev2_pld_name(type));
		return -1;
	}
	r->p = p;
	r->len = len;
	return 0;
}

int ikev2_pld_parse(const uint8_t *base, const uint8_t *p, size_t len,
		    uint8_t first, struct ikev2_payloads *pl)
{
	uint8_t type = first, next;
	size_t off = 0, plen;
	const uint8_t *body;
	int ret;

	while (type != IKEV2_PLD_NONE) {
		if (len - off < IKEV2_PLD_HDR_LEN) {
			log_warnx(LOG_ENC, "%s: %s payload header truncated "
				  "(%zu < %d)", __func__, ikev2_pld_name(type),
				  len - off, IKEV2_PLD_HDR_LEN);
			return -1;
		}
		next = p[off];
		plen = get16(p + off + 2);
		if (plen < IKEV2_PLD_HDR_LEN || plen > len - off) {
			log_warnx(LOG_ENC, "%s: %s payload length %zu invalid "
				  "(%d..%zu)", __func__, ikev2_pld_name(type),
				  plen, IKEV2_PLD_HDR_LEN, len - off);
			return -1;
		}
		body = p + off + IKEV2_PLD_HDR_LEN;
		plen -= IKEV2_PLD_HDR_LEN;
		ret = 0;
		switch (type) {
		case IKEV2_PLD_SA:
			ret = validate_sa(body, plen) ||
			      once(&pl->sa, body, plen, type);
			break;
		case IKEV2_PLD_KE:
			ret = validate_ke(body, plen) ||
			      once(&pl->ke, body, plen, type);
			break;
		case IKEV2_PLD_NONCE:
			ret = validate_nonce(body, plen) ||
			      once(&pl->nonce, body, plen, type);
			break;
		case IKEV2_PLD_IDI:
			ret = validate_id(body, plen) ||
			      once(&pl->idi, body, plen, type);
			break;
		case IKEV2_PLD_IDR:
			ret = validate_id(body, plen) ||
			      once(&pl->idr, body, plen, type);
			break;
		case IKEV2_PLD_AUTH:
			ret = validate_auth(body, plen) ||
			      once(&pl->auth, body, plen, type);
			break;
		case IKEV2_PLD_TSI:
			ret = validate_ts(body, plen) ||
			      once(&pl->tsi, body, plen, type);
			break;
		case IKEV2_PLD_TSR:
			ret = validate_ts(body, plen) ||
			      once(&pl->tsr, body, plen, type);
			break;
		case IKEV2_PLD_CP:
			ret = once(&pl->cp, body, plen, type);
			break;
		case IKEV2_PLD_EAP:
			ret = once(&pl->eap, body, plen, type);
			break;
		case IKEV2_PLD_NOTIFY:
			ret = validate_notify(body, plen);
			if (!ret && pl->n_notify < PLD_MAX_NOTIFY) {
				pl->notify[pl->n_notify].p = body;
				pl->notify[pl->n_notify++].len = plen;
			}
			break;
		case IKEV2_PLD_DELETE:
			ret = validate_delete(body, plen);
			if (!ret && pl->n_del < PLD_MAX_DELETE) {
				pl->del[pl->n_del].p = body;
				pl->del[pl->n_del++].len = plen;
			}
			break;
		case IKEV2_PLD_SK:
			/* encrypted: must be the last payload (3.14) */
			if (off + IKEV2_PLD_HDR_LEN + plen != len) {
				log_warnx(LOG_ENC, "%s: SK payload not last "
					  "(%zu bytes follow)", __func__,
					  len - off - IKEV2_PLD_HDR_LEN - plen);
				return -1;
			}
			ret = once(&pl->sk, body, plen, type);
			pl->sk_next = next;
			pl->sk_hdr_off = (size_t)(p + off - base);
			return ret;
		case IKEV2_PLD_CERT:
			ret = many(pl->cert, &pl->n_cert, PLD_MAX_CERT, body,
				   plen, type);
			break;
		case IKEV2_PLD_CERTREQ:
			ret = many(pl->certreq, &pl->n_certreq,
				   PLD_MAX_CERTREQ, body, plen, type);
			break;
		case IKEV2_PLD_VENDOR:
			break;
		default:
			if (p[off + 1] & IKEV2_CRITICAL) {
				log_warnx(LOG_ENC, "%s: unsupported critical "
					  "payload %u", __func__, type);
				pl->unsupported_critical = type;
				return -1;
			}
			log_debug(LOG_ENC, "%s: skipping unknown payload %u",
				  __func__, type);
		}
		if (ret)
			return -1;
		off += IKEV2_PLD_HDR_LEN + plen;
		type = next;
	}
	if (off != len) {
		log_warnx(LOG_ENC, "%s: %zu bytes after the last payload",
			  __func__, len - off);
		return -1;
	}
	return 0;
}

int pld_sa(const struct pld_ref *r, struct prop *props, int max, int *n)
{
	const uint8_t *p = r->p;
	size_t off = 0, plen, xoff, xlen, aoff;
	struct cfg_xform *xf;
	struct prop *pr;
	unsigned int i;

	*n = 0;
	while (off < r->len) {
		plen = get16(p + off + 2);
		if (*n == max) {
			log_warnx(LOG_ENC, "%s: more than %d proposals, rest "
				  "ignored", __func__, max);
			break;
		}
		pr = &props[*n];
		memset(pr, 0, sizeof(*pr));
		pr->num = p[off + 4];
		pr->proto = p[off + 5];
		pr->spi_size = p[off + 6];
		memcpy(pr->spi, p + off + 8, pr->spi_size);
		xoff = off + 8 + pr->spi_size;
		for (i = 0; i < p[off + 7]; i++) {
			xlen = get16(p + xoff + 2);
			if (pr->n_xf == CFG_MAX_XFORMS) {
				xoff += xlen;
				continue;
			}
			xf = &pr->xf[pr->n_xf++];
			xf->type = p[xoff + 4];
			xf->id = get16(p + xoff + 6);
			xf->keylen = 0;
			/* attributes: only Key Length (TV) is defined */
			for (aoff = 8; aoff + 4 <= xlen;) {
				uint16_t at = get16(p + xoff + aoff);

				if (at & IKEV2_ATTR_TV) {
					if ((at & ~IKEV2_ATTR_TV) ==
					    IKEV2_ATTR_KEYLEN)
						xf->keylen = get16(p + xoff +
								   aoff + 2);
					aoff += 4;
				} else {
					aoff += 4 + get16(p + xoff + aoff + 2);
				}
			}
			xoff += xlen;
		}
		(*n)++;
		off += plen;
	}
	return 0;
}

int pld_ke(const struct pld_ref *r, uint16_t *group, const uint8_t **data,
	   size_t *len)
{
	*group = get16(r->p);
	*data = r->p + 4;
	*len = r->len - 4;
	return 0;
}

int pld_id(const struct pld_ref *r, struct cfg_id *id)
{
	memset(id, 0, sizeof(*id));
	id->type = r->p[0];
	id->len = r->len - 4;
	memcpy(id->data, r->p + 4, id->len);
	return 0;
}

int pld_auth(const struct pld_ref *r, uint8_t *method, const uint8_t **data,
	     size_t *len)
{
	*method = r->p[0];
	*data = r->p + 4;
	*len = r->len - 4;
	return 0;
}

void pld_notify(const struct pld_ref *r, struct notify *n)
{
	n->proto = r->p[0];
	n->spi_size = r->p[1];
	n->type = get16(r->p + 2);
	n->spi = r->p + 4;
	n->data = r->p + 4 + n->spi_size;
	n->len = r->len - 4 - n->spi_size;
}

const struct pld_ref *pld_find_notify(const struct ikev2_payloads *pl,
				      uint16_t type, struct notify *n)
{
	int i;

	for (i = 0; i < pl->n_notify; i++) {
		pld_notify(&pl->notify[i], n);
		if (n->type == type)
			return &pl->notify[i];
	}
	return NULL;
}

const struct pld_ref *pld_find_error(const struct ikev2_payloads *pl,
				     struct notify *n)
{
	int i;

	for (i = 0; i < pl->n_notify; i++) {
		pld_notify(&pl->notify[i], n);
		if (n->type <= IKEV2_N_ERROR_MAX)
			return &pl->notify[i];
	}
	return NULL;
}

void pld_cert(const struct pld_ref *r, uint8_t *encoding,
	      const uint8_t **data, size_t *len)
{
	*encoding = r->p[0];
	*data = r->p + 1;
	*len = r->len - 1;
}

int pld_ts(const struct pld_ref *r, struct ts *ts, int max, int *n)
{
	const uint8_t *p = r->p;
	size_t off = 4, tlen, alen;
	unsigned int i;

	*n = 0;
	for (i = 0; i < p[0]; i++, off += tlen) {
		tlen = get16(p + off + 2);
		if (p[off] != IKEV2_TS_IPV4_ADDR_RANGE &&
		    p[off] != IKEV2_TS_IPV6_ADDR_RANGE) {
			log_debug(LOG_ENC, "%s: skipping selector type %u",
				  __func__, p[off]);
			continue;
		}
		if (*n == max) {
			log_warnx(LOG_ENC, "%s: more than %d selectors, rest "
				  "ignored", __func__, max);
			break;
		}
		memset(&ts[*n], 0, sizeof(ts[*n]));
		alen = p[off] == IKEV2_TS_IPV4_ADDR_RANGE ? 4 : 16;
		ts[*n].type = p[off];
		ts[*n].proto = p[off + 1];
		ts[*n].sport = get16(p + off + 4);
		ts[*n].eport = get16(p + off + 6);
		memcpy(ts[*n].start, p + off + 8, alen);
		memcpy(ts[*n].end, p + off + 8 + alen, alen);
		(*n)++;
	}
	return 0;
}

int pld_delete(const struct pld_ref *r, uint8_t *proto, uint8_t *spi_size,
	       const uint8_t **spis, int *n)
{
	*proto = r->p[0];
	*spi_size = r->p[1];
	*n = get16(r->p + 2);
	*spis = r->p + 4;
	return 0;
}

void pld_builder_init(struct pld_builder *pb, struct buf *b)
{
	pb->b = b;
	pb->np_off = SIZE_MAX;
	pb->first = IKEV2_PLD_NONE;
}

size_t pld_begin(struct pld_builder *pb, uint8_t type)
{
	size_t off = buf_reserve(pb->b, IKEV2_PLD_HDR_LEN);

	if (off == SIZE_MAX)
		return off;
	if (pb->np_off == SIZE_MAX)
		pb->first = type;
	else
		pb->b->data[pb->np_off] = type;
	pb->np_off = off;
	return off;
}

void pld_end(struct pld_builder *pb, size_t off)
{
	if (off != SIZE_MAX)
		buf_set16(pb->b, off + 2, (uint16_t)(pb->b->len - off));
}

void pld_add_sa(struct pld_builder *pb, const struct prop *props, int n)
{
	size_t off = pld_begin(pb, IKEV2_PLD_SA), poff, xoff;
	struct buf *b = pb->b;
	int i, j;

	for (i = 0; i < n; i++) {
		const struct prop *pr = &props[i];

		poff = b->len;
		buf_put8(b, i == n - 1 ? IKEV2_PROP_LAST : IKEV2_PROP_MORE);
		buf_put8(b, 0);
		buf_put16(b, 0);
		buf_put8(b, pr->num);
		buf_put8(b, pr->proto);
		buf_put8(b, pr->spi_size);
		buf_put8(b, (uint8_t)pr->n_xf);
		buf_put(b, pr->spi, pr->spi_size);
		for (j = 0; j < pr->n_xf; j++) {
			xoff = b->len;
			buf_put8(b, j == pr->n_xf - 1 ? IKEV2_XFORM_LAST :
							IKEV2_XFORM_MORE);
			buf_put8(b, 0);
			buf_put16(b, 0);
			buf_put8(b, pr->xf[j].type);
			buf_put8(b, 0);
			buf_put16(b, pr->xf[j].id);
			if (pr->xf[j].keylen) {
				buf_put16(b, IKEV2_ATTR_TV | IKEV2_ATTR_KEYLEN);
				buf_put16(b, pr->xf[j].keylen);
			}
			buf_set16(b, xoff + 2, (uint16_t)(b->len - xoff));
		}
		buf_set16(b, poff + 2, (uint16_t)(b->len - poff));
	}
	pld_end(pb, off);
}

void pld_add_ke(struct pld_builder *pb, uint16_t group, const uint8_t *data,
		size_t len)
{
	size_t off = pld_begin(pb, IKEV2_PLD_KE);

	buf_put16(pb->b, group);
	buf_put16(pb->b, 0);
	buf_put(pb->b, data, len);
	pld_end(pb, off);
}

void pld_add_nonce(struct pld_builder *pb, const uint8_t *n, size_t len)
{
	size_t off = pld_begin(pb, IKEV2_PLD_NONCE);

	buf_put(pb->b, n, len);
	pld_end(pb, off);
}

size_t pld_id_body(const struct cfg_id *id, uint8_t *out, size_t size)
{
	if (size < 4 + id->len)
		return 0;
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	return 4 + id->len;
}

void pld_add_id(struct pld_builder *pb, uint8_t type,
		const struct cfg_id *id)
{
	size_t off = pld_begin(pb, type);

	buf_put8(pb->b, id->type);
	buf_put8(pb->b, 0);
	buf_put16(pb->b, 0);
	buf_put(pb->b, id->data, id->len);
	pld_end(pb, off);
}

void pld_add_auth(struct pld_builder *pb, uint8_t method,
		  const uint8_t *data, size_t len)
{
	size_t off = pld_begin(pb, IKEV2_PLD_AUTH);

	buf_put8(pb->b, method);
	buf_put8(pb->b, 0);
	buf_put16(pb->b, 0);
	buf_put(pb->b, data, len);
	pld_end(pb, off);
}

void pld_add_notify(struct pld_builder *pb, uint8_t proto,
		    const uint8_t *spi, uint8_t spi_size, uint16_t type,
		    const uint8_t *data, size_t len)
{
	size_t off = pld_begin(pb, IKEV2_PLD_NOTIFY);

	buf_put8(pb->b, proto);
	buf_put8(pb->b, spi_size);
	buf_put16(pb->b, type);
	buf_put(pb->b, spi, spi_size);
	buf_put(pb->b, data, len);
	pld_end(pb, off);
}

void pld_add_cert(struct pld_builder *pb, uint8_t type, uint8_t encoding,
		  const uint8_t *data, size_t len)
{
	size_t off = pld_begin(pb, type);

	buf_put8(pb->b, encoding);
	buf_put(pb->b, data, len);
	pld_end(pb, off);
}

void pld_add_ts(struct pld_builder *pb, uint8_t type, const struct ts *ts,
		int n)
{
	size_t off = pld_begin(pb, type), alen;
	int i;

	buf_put8(pb->b, (uint8_t)n);
	buf_put8(pb->b, 0);
	buf_put16(pb->b, 0);
	for (i = 0; i < n; i++) {
		alen = ts[i].type == IKEV2_TS_IPV4_ADDR_RANGE ? 4 : 16;
		buf_put8(pb->b, ts[i].type);
		buf_put8(pb->b, ts[i].proto);
		buf_put16(pb->b, (uint16_t)(TS_HDR_LEN + 2 * alen));
		buf_put16(pb->b, ts[i].sport);
		buf_put16(pb->b, ts[i].eport);
		buf_put(pb->b, ts[i].start, alen);
		buf_put(pb->b, ts[i].end, alen);
	}
	pld_end(pb, off);
}

void pld_add_delete(struct pld_builder *pb, uint8_t proto, uint8_t spi_size,
		    const uint8_t *spis, int n)
{
	size_t off = pld_begin(pb, IKEV2_PLD_DELETE);

	buf_put8(pb->b, proto);
	buf_put8(pb->b, spi_size);
	buf_put16(pb->b, (uint16_t)n);
	buf_put(pb->b, spis, (size_t)spi_size * n);
	pld_end(pb, off);
}
