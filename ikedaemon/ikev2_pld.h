/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 payloads (RFC 7296 3.2-3.16). Parsing is two-step, as iked:
 * ikev2_pld_parse() walks a payload chain calling validate_<payload>() on
 * each (bounds only) and records where each payload's body is; the
 * pld_<payload>() functions then give a recorded body its meaning.
 * Building appends payloads to a buffer, chaining next-payload fields.
 */
#ifndef IKEDAEMON_IKEV2_PLD_H
#define IKEDAEMON_IKEV2_PLD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "proposal.h"
#include "ts.h"

#define PLD_MAX_NOTIFY	24
#define PLD_MAX_DELETE	8
#define PLD_MAX_CERT	8	/* end entity + intermediates */
#define PLD_MAX_CERTREQ	4

/* A payload body: after its generic header. */
struct pld_ref {
	const uint8_t *p;
	size_t len;
};

struct ikev2_payloads {
	struct pld_ref sa, ke, nonce, idi, idr, auth, tsi, tsr, cp, eap;
	struct pld_ref notify[PLD_MAX_NOTIFY];
	int n_notify;
	struct pld_ref del[PLD_MAX_DELETE];
	int n_del;
	/* CERT and CERTREQ (3.6, 3.7) in order: cert[0] is the end entity. */
	struct pld_ref cert[PLD_MAX_CERT];
	int n_cert;
	struct pld_ref certreq[PLD_MAX_CERTREQ];
	int n_certreq;
	/* SK: its body, the first inner payload's type, and where its
	 * generic header starts in the message (the AAD ends there + 4).
	 */
	struct pld_ref sk;
	uint8_t sk_next;
	size_t sk_hdr_off;
	uint8_t unsupported_critical;	/* type, or 0 */
};

struct notify {
	uint8_t proto, spi_size;
	uint16_t type;
	const uint8_t *spi;
	const uint8_t *data;
	size_t len;
};

/*
 * Parse a chain starting with payload type first at p (len bytes); base
 * is the start of the whole message (for sk_hdr_off). Payloads accumulate
 * into pl (a second call adds the SK payload's contents). Returns 0, or -1
 * after logging the function and numbers; a repeated singleton payload is
 * an error too.
 */
int ikev2_pld_parse(const uint8_t *base, const uint8_t *p, size_t len,
		    uint8_t first, struct ikev2_payloads *pl);

int pld_sa(const struct pld_ref *r, struct prop *props, int max, int *n);
int pld_ke(const struct pld_ref *r, uint16_t *group, const uint8_t **data,
	   size_t *len);
int pld_id(const struct pld_ref *r, struct cfg_id *id);
int pld_auth(const struct pld_ref *r, uint8_t *method, const uint8_t **data,
	     size_t *len);
void pld_notify(const struct pld_ref *r, struct notify *n);
/* The first notify of that type, or NULL. */
const struct pld_ref *pld_find_notify(const struct ikev2_payloads *pl,
				      uint16_t type, struct notify *n);
/* The first error notify (type < 16384), or NULL. */
const struct pld_ref *pld_find_error(const struct ikev2_payloads *pl,
				     struct notify *n);
/* CERT or CERTREQ: encoding (3.6) and its data. */
void pld_cert(const struct pld_ref *r, uint8_t *encoding,
	      const uint8_t **data, size_t *len);
int pld_ts(const struct pld_ref *r, struct ts *ts, int max, int *n);
int pld_delete(const struct pld_ref *r, uint8_t *proto, uint8_t *spi_size,
	       const uint8_t **spis, int *n);

/* Building. */
struct pld_builder {
	struct buf *b;
	size_t np_off;		/* pending next-payload byte, or SIZE_MAX */
	uint8_t first;		/* type of the first payload added */
};

void pld_builder_init(struct pld_builder *pb, struct buf *b);
size_t pld_begin(struct pld_builder *pb, uint8_t type);
void pld_end(struct pld_builder *pb, size_t off);
void pld_add_sa(struct pld_builder *pb, const struct prop *props, int n);
void pld_add_ke(struct pld_builder *pb, uint16_t group, const uint8_t *data,
		size_t len);
void pld_add_nonce(struct pld_builder *pb, const uint8_t *n, size_t len);
/* RestOfIDPayload (type, reserved, data) is what AUTH signs. */
void pld_add_id(struct pld_builder *pb, uint8_t type,
		const struct cfg_id *id);
void pld_add_auth(struct pld_builder *pb, uint8_t method,
		  const uint8_t *data, size_t len);
void pld_add_notify(struct pld_builder *pb, uint8_t proto,
		    const uint8_t *spi, uint8_t spi_size, uint16_t type,
		    const uint8_t *data, size_t len);
/* type IKEV2_PLD_CERT or IKEV2_PLD_CERTREQ */
void pld_add_cert(struct pld_builder *pb, uint8_t type, uint8_t encoding,
		  const uint8_t *data, size_t len);
void pld_add_ts(struct pld_builder *pb, uint8_t type, const struct ts *ts,
		int n);
void pld_add_delete(struct pld_builder *pb, uint8_t proto, uint8_t spi_size,
		    const uint8_t *spis, int n);

/* The body of an ID payload as AUTH uses it (RFC 7296 2.15). */
size_t pld_id_body(const struct cfg_id *id, uint8_t *out, size_t size);

#endif
