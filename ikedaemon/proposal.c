// SPDX-License-Identifier: GPL-2.0
/*
 * Proposal selection (RFC 7296 2.7, 3.3.6) and its diagnostics: when no
 * proposal is chosen the log says what each side offered and which
 * transform type had no value in common.
 */
#include <stdio.h>
#include <string.h>

#include "ikev2.h"
#include "proposal.h"

void proposal_from_cfg(const struct cfg_proposal *cp, uint8_t proto,
		       uint8_t num, const uint8_t *spi, uint8_t spi_size,
		       struct prop *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	out->num = num;
	out->proto = proto;
	out->spi_size = spi_size;
	if (spi_size)
		memcpy(out->spi, spi, spi_size);
	for (i = 0; i < cp->n_xf && i < CFG_MAX_XFORMS; i++) {
		/* DH in an ESP proposal of IKE_AUTH would mean PFS for a
		 * later rekey; the caller filters when it must.
		 */
		out->xf[out->n_xf++] = cp->xf[i];
	}
	/* ESP proposals must say something about ESN (RFC 7296 3.3.3) */
	if (proto == IKEV2_PROTO_ESP) {
		for (i = 0; i < out->n_xf; i++)
			if (out->xf[i].type == IKEV2_XF_ESN)
				return;
		if (out->n_xf < CFG_MAX_XFORMS)
			out->xf[out->n_xf++] = (struct cfg_xform){
				IKEV2_XF_ESN, IKEV2_ESN_NO, 0 };
	}
}

static void add_xf(struct prop *out, uint8_t type, uint16_t id,
		   uint16_t keylen)
{
	out->xf[out->n_xf++] = (struct cfg_xform){ type, id, keylen };
}

void proposal_from_sel(const struct prop_sel *sel, struct prop *out)
{
	memset(out, 0, sizeof(*out));
	out->num = sel->num;
	out->proto = sel->proto;
	out->spi_size = sel->spi_size;
	memcpy(out->spi, sel->spi, sizeof(out->spi));
	add_xf(out, IKEV2_XF_ENCR, sel->encr, sel->encr_keylen);
	if (sel->has_prf)
		add_xf(out, IKEV2_XF_PRF, sel->prf, 0);
	if (sel->has_integ)
		add_xf(out, IKEV2_XF_INTEG, sel->integ, 0);
	if (sel->has_dh)
		add_xf(out, IKEV2_XF_DH, sel->dh, 0);
	if (sel->has_esn)
		add_xf(out, IKEV2_XF_ESN, sel->esn, 0);
}

/* The transforms of one type; ESN defaults to "no" for ESP. */
static int of_type(const struct cfg_xform *xf, int n, uint8_t type,
		   uint8_t proto, struct cfg_xform *out)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (xf[i].type == type)
			out[k++] = xf[i];
	if (!k && type == IKEV2_XF_ESN && proto == IKEV2_PROTO_ESP)
		out[k++] = (struct cfg_xform){ IKEV2_XF_ESN, IKEV2_ESN_NO, 0 };
	return k;
}

/* Only "NONE" (integrity 0, DH 0) listed: same as not listed. */
static bool only_none(const struct cfg_xform *xf, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (xf[i].id != 0)
			return false;
	return true;
}

/*
 * The value of type `type' both lists agree on, our order first. Returns
 * 1 with *pick, 0 when the type is absent from both, -1 for no match.
 */
static int match_type(const struct cfg_xform *cx, int nc,
		      const struct cfg_xform *rx, int nr, uint8_t type,
		      uint8_t proto, struct cfg_xform *pick)
{
	struct cfg_xform c[CFG_MAX_XFORMS + 1], r[CFG_MAX_XFORMS + 1];
	int i, j, kc, kr;

	kc = of_type(cx, nc, type, proto, c);
	kr = of_type(rx, nr, type, proto, r);
	if (only_none(c, kc) && only_none(r, kr) &&
	    (type == IKEV2_XF_INTEG || type == IKEV2_XF_DH))
		return 0;
	if (!kc && !kr)
		return 0;
	for (i = 0; i < kc; i++)
		for (j = 0; j < kr; j++)
			if (c[i].id == r[j].id && c[i].keylen == r[j].keylen) {
				*pick = c[i];
				return 1;
			}
	return -1;
}

static int match(const struct prop *r, const struct cfg_proposal *c,
		 uint8_t proto, bool ignore_dh, struct prop_sel *sel)
{
	struct cfg_xform pick;
	uint8_t t;
	int m;

	memset(sel, 0, sizeof(*sel));
	for (t = 1; t <= IKEV2_XF_MAX; t++) {
		if (t == IKEV2_XF_DH && ignore_dh)
			continue;
		m = match_type(c->xf, c->n_xf, r->xf, r->n_xf, t, proto,
			       &pick);
		if (m < 0)
			return -1;
		if (!m)
			continue;
		switch (t) {
		case IKEV2_XF_ENCR:
			sel->encr = pick.id;
			sel->encr_keylen = pick.keylen;
			break;
		case IKEV2_XF_PRF:
			sel->prf = pick.id;
			sel->has_prf = true;
			break;
		case IKEV2_XF_INTEG:
			sel->integ = pick.id;
			sel->has_integ = true;
			break;
		case IKEV2_XF_DH:
			sel->dh = pick.id;
			sel->has_dh = true;
			break;
		case IKEV2_XF_ESN:
			sel->esn = pick.id;
			sel->has_esn = true;
			break;
		}
	}
	if (!sel->encr)
		return -1;
	if (proto == IKEV2_PROTO_IKE && (!sel->has_prf || !sel->has_dh))
		return -1;
	sel->num = r->num;
	sel->proto = r->proto;
	sel->spi_size = r->spi_size;
	memcpy(sel->spi, r->spi, sizeof(sel->spi));
	return 0;
}

void proposal_format(const struct cfg_xform *xf, int n_xf, char *buf,
		     size_t size)
{
	char tmp[48];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n_xf && off < size; i++)
		off += snprintf(buf + off, size - off, "%s%s", i ? "/" : "",
				ikev2_xform_name(xf[i].type, xf[i].id,
						 xf[i].keylen, tmp,
						 sizeof(tmp)));
}

void proposal_format_sel(const struct prop_sel *sel, char *buf, size_t size)
{
	struct prop p;

	proposal_from_sel(sel, &p);
	proposal_format(p.xf, p.n_xf, buf, size);
}

/* Append the distinct values of one type found in a set of lists. */
static void type_values(const struct cfg_xform *xf, int n, uint8_t type,
			char *buf, size_t size)
{
	char tmp[48];
	size_t off = strlen(buf);
	int i, j;

	for (i = 0; i < n; i++) {
		if (xf[i].type != type)
			continue;
		for (j = 0; j < i; j++)
			if (xf[j].type == type && xf[j].id == xf[i].id &&
			    xf[j].keylen == xf[i].keylen)
				break;
		if (j < i || off >= size)
			continue;
		off += snprintf(buf + off, size - off, "%s%s",
				off ? "," : "",
				ikev2_xform_name(type, xf[i].id, xf[i].keylen,
						 tmp, sizeof(tmp)));
	}
}

/* Does any value of type appear in both unions? */
static bool type_overlaps(const struct cfg_xform *a, int na,
			  const struct cfg_xform *b, int nb, uint8_t type)
{
	int i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (a[i].type == type && b[j].type == type &&
			    a[i].id == b[j].id && a[i].keylen == b[j].keylen)
				return true;
	return false;
}

static void explain(const struct prop *recv, int n_recv,
		    const struct cfg_proposal *cfg, int n_cfg, uint8_t proto,
		    bool ignore_dh, char *why, size_t len)
{
	struct cfg_xform ru[PROP_MAX * CFG_MAX_XFORMS];
	struct cfg_xform cu[CFG_MAX_PROPOSALS * CFG_MAX_XFORMS];
	char r[160], c[160], text[PROP_TEXT_MAX];
	int i, j, nr = 0, nc = 0, nbad = 0;
	size_t off;
	uint8_t t;

	off = (size_t)snprintf(why, len, "received ");
	for (i = 0; i < n_recv && off < len; i++) {
		if (recv[i].proto != proto)
			continue;
		proposal_format(recv[i].xf, recv[i].n_xf, text, sizeof(text));
		off += snprintf(why + off, len - off, "%s%s", nr ? ", " : "",
				text);
		for (j = 0; j < recv[i].n_xf; j++)
			ru[nr++] = recv[i].xf[j];
	}
	if (!nr && off < len)
		off += snprintf(why + off, len - off, "no proposal for %s",
				proto == IKEV2_PROTO_IKE ? "IKE" : "ESP");
	if (off < len)
		off += snprintf(why + off, len - off, "; configured ");
	for (i = 0; i < n_cfg && off < len; i++) {
		proposal_format(cfg[i].xf, cfg[i].n_xf, text, sizeof(text));
		off += snprintf(why + off, len - off, "%s%s", i ? ", " : "",
				text);
		for (j = 0; j < cfg[i].n_xf; j++)
			cu[nc++] = cfg[i].xf[j];
	}
	if (!nr)
		return;
	for (t = 1; t <= IKEV2_XF_MAX; t++) {
		if (t == IKEV2_XF_DH && ignore_dh)
			continue;
		r[0] = c[0] = '\0';
		type_values(ru, nr, t, r, sizeof(r));
		type_values(cu, nc, t, c, sizeof(c));
		if (!r[0] && !c[0])
			continue;
		if (type_overlaps(ru, nr, cu, nc, t))
			continue;
		if (t == IKEV2_XF_INTEG && (!r[0] || !c[0]))
			continue;	/* AEAD on one side: ENCR says it */
		/* an ESP proposal without ESN means "no ESN" (of_type) */
		if (t == IKEV2_XF_ESN && (!r[0] || !c[0]) &&
		    strstr(r[0] ? r : c, "NO_EXT_SEQ"))
			continue;
		nbad++;
		if (off < len)
			off += snprintf(why + off, len - off,
					"; no match for %s (received %s, "
					"configured %s)",
					ikev2_xform_type_name(t),
					r[0] ? r : "none", c[0] ? c : "none");
	}
	if (!nbad && off < len)
		snprintf(why + off, len - off, "; every transform type has a "
			 "common value but no single proposal combines them");
}

int proposal_select(const struct prop *recv, int n_recv,
		    const struct cfg_proposal *cfg, int n_cfg, uint8_t proto,
		    bool ignore_dh, struct prop_sel *sel, char *why,
		    size_t whylen)
{
	int i, j;

	for (i = 0; i < n_cfg; i++)
		for (j = 0; j < n_recv; j++)
			if (recv[j].proto == proto &&
			    !match(&recv[j], &cfg[i], proto, ignore_dh, sel))
				return 0;
	if (why && whylen)
		explain(recv, n_recv, cfg, n_cfg, proto, ignore_dh, why,
			whylen);
	return -1;
}

uint16_t proposal_first_dh(const struct cfg_proposal *cfg, int n_cfg)
{
	int i, j;

	for (i = 0; i < n_cfg; i++)
		for (j = 0; j < cfg[i].n_xf; j++)
			if (cfg[i].xf[j].type == IKEV2_XF_DH &&
			    cfg[i].xf[j].id)
				return cfg[i].xf[j].id;
	return 0;
}

bool proposal_has_dh(const struct cfg_proposal *cfg, int n_cfg,
		     uint16_t group)
{
	int i, j;

	for (i = 0; i < n_cfg; i++)
		for (j = 0; j < cfg[i].n_xf; j++)
			if (cfg[i].xf[j].type == IKEV2_XF_DH &&
			    cfg[i].xf[j].id == group)
				return true;
	return false;
}
