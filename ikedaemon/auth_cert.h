/* SPDX-License-Identifier: GPL-2.0 */
/*
 * X.509 for IKE_AUTH with certificates (RFC 7296 2.15, 3.6, 3.7): our
 * certificate and private key, CERTREQ hashes of our trust anchors, the
 * peer's chain verified by OpenSSL against a connection's cacerts, and the
 * peer's identity checked against its certificate as strongSwan does.
 * Every failure fills err with the cause and the values involved.
 */
#ifndef IKEDAEMON_AUTH_CERT_H
#define IKEDAEMON_AUTH_CERT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "buf.h"
#include "config.h"

#define AUTH_CERT_ERR_MAX	768

/* RFC 7296 3.6: Certificate Encoding "X.509 Certificate - Signature". */
#define CERT_X509_SIG		4
#define CERT_KEYID_LEN		20	/* SHA-1 of a SubjectPublicKeyInfo */

/* Our credentials for a connection's local { certs }. */
struct cert_cred {
	X509 *cc_cert;			/* certs[0], the end entity */
	STACK_OF(X509) *cc_chain;	/* certs[1..]: sent as extra CERTs */
	EVP_PKEY *cc_key;		/* from the private-X that matches */
	char cc_secret[CFG_NAME_MAX];	/* its name, for log lines */
};

/* Load local.certs and find their private key among cfg's private-X
 * secrets (by public key). -1 with err naming the file and the reason.
 */
int auth_cert_cred_load(const struct cfg_auth *local, const struct config *cfg,
			struct cert_cred *cr, char *err, size_t elen);
void auth_cert_cred_free(struct cert_cred *cr);

/* CERTREQ data: SHA-1 of each trust anchor's SubjectPublicKeyInfo in
 * remote.cacerts, appended to out. Returns how many.
 */
int auth_cert_certreq(const struct cfg_auth *remote, struct buf *out);

/* A DER certificate from a CERT payload; NULL with err if not one. */
X509 *auth_cert_parse(const uint8_t *der, size_t len, char *err, size_t elen);

/* Verify leaf (with untrusted intermediates, may be NULL) against
 * remote.cacerts. 0 or -1 with OpenSSL's verify error, its depth and that
 * certificate's subject in err.
 */
int auth_cert_verify(const struct cfg_auth *remote, X509 *leaf,
		     STACK_OF(X509) *untrusted, char *err, size_t elen);

/* Does cert hold id (DN = subject; FQDN, RFC822, IP in subjectAltName;
 * KEY_ID = a key or certificate hash, as strongSwan)? 0 if yes, -1 with
 * the identity, subject and SANs in err.
 */
int auth_cert_check_id(X509 *cert, const struct cfg_id *id, char *err,
		       size_t elen);

/* "C=CH, O=Example, CN=moon": a DN (subject or DER from an ID). */
void auth_cert_name_str(const X509_NAME *name, char *buf, size_t size);
int auth_cert_dn_str(const uint8_t *der, size_t len, char *buf, size_t size);
/* The certificate's subject as an ID_DER_ASN1_DN identity. */
int auth_cert_subject_id(X509 *cert, struct cfg_id *id);

#endif
