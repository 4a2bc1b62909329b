/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SA proposals (RFC 7296 3.3): the decoded form of an SA payload, and the
 * selection of one proposal against configured ones, with the diagnostic
 * that says which transform type had no match when none is chosen.
 */
#ifndef IKEDAEMON_PROPOSAL_H
#define IKEDAEMON_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define PROP_MAX	16	/* proposals we decode from one SA payload */
#define PROP_TEXT_MAX	512

struct prop {
	uint8_t num;			/* proposal number */
	uint8_t proto;			/* IKEV2_PROTO_* */
	uint8_t spi_size;
	uint8_t spi[8];			/* as on the wire */
	struct cfg_xform xf[CFG_MAX_XFORMS];
	int n_xf;
};

/* One proposal, one transform of each type: what was agreed. */
struct prop_sel {
	uint8_t num, proto, spi_size;
	uint8_t spi[8];
	uint16_t encr, encr_keylen, prf, integ, dh, esn;
	bool has_prf, has_integ, has_dh, has_esn;
};

/* Configured proposal -> wire form (proto, number and SPI filled in). */
void proposal_from_cfg(const struct cfg_proposal *cp, uint8_t proto,
		       uint8_t num, const uint8_t *spi, uint8_t spi_size,
		       struct prop *out);
/* The selection as a one-proposal SA payload body (for the response). */
void proposal_from_sel(const struct prop_sel *sel, struct prop *out);

/*
 * Pick the first configured proposal (our preference) that some received
 * proposal of protocol proto matches, every transform type agreeing.
 * With ignore_dh the DH transforms of both are left out (IKE_AUTH child SA,
 * RFC 7296 1.2). Returns 0 and fills sel, or -1 and writes a one-line
 * explanation into why: received vs configured, and the transform types
 * with no common value.
 */
int proposal_select(const struct prop *recv, int n_recv,
		    const struct cfg_proposal *cfg, int n_cfg, uint8_t proto,
		    bool ignore_dh, struct prop_sel *sel, char *why,
		    size_t whylen);

/* "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519" */
void proposal_format(const struct cfg_xform *xf, int n_xf, char *buf,
		     size_t size);
void proposal_format_sel(const struct prop_sel *sel, char *buf, size_t size);
/* The first DH group of the first configured proposal that has one. */
uint16_t proposal_first_dh(const struct cfg_proposal *cfg, int n_cfg);
bool proposal_has_dh(const struct cfg_proposal *cfg, int n_cfg,
		     uint16_t group);

#endif
