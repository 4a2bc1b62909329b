// SPDX-License-Identifier: GPL-2.0
/*
 * Certificates for IKE_AUTH; see auth_cert.h. Files are read each time a
 * connection authenticates, so a renewed certificate needs no restart.
 * Chain validation is OpenSSL's X509_verify_cert(); this file only builds
 * its inputs and turns its verdict into a log line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "auth_cert.h"
#include "crypto.h"
#include "ikev2.h"

static void ossl_reason(char *buf, size_t size)
{
	unsigned long e = ERR_peek_last_error();

	if (e)
		ERR_error_string_n(e, buf, size);
	else
		snprintf(buf, size, "no certificate in PEM or DER form");
	ERR_clear_error();
}

/* Every certificate in a PEM file, or the one in a DER file. */
static STACK_OF(X509) *read_certs(const char *file, char *err, size_t elen)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	BIO *bio = BIO_new_file(file, "rb");
	char why[256];
	X509 *x;

	if (!bio) {
		snprintf(err, elen, "cannot read certificate %s: %s", file,
			 strerror(errno));
		sk_X509_free(sk);
		ERR_clear_error();
		return NULL;
	}
	while (sk && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		sk_X509_push(sk, x);
	if (sk && !sk_X509_num(sk) && BIO_reset(bio) == 0 &&
	    (x = d2i_X509_bio(bio, NULL)))
		sk_X509_push(sk, x);
	if (!sk || !sk_X509_num(sk)) {
		ossl_reason(why, sizeof(why));
		snprintf(err, elen, "cannot load certificate %s: %s", file,
			 why);
		sk_X509_pop_free(sk, X509_free);
		sk = NULL;
	}
	ERR_clear_error();
	BIO_free(bio);
	return sk;
}

static int pass_cb(char *buf, int size, int rw, void *u)
{
	const struct cfg_secret *s = u;
	int n = (int)s->secret_len;

	(void)rw;
	if (n > size)
		return -1;
	memcpy(buf, s->secret, (size_t)n);
	return n;
}

/* A private-X key file; its passphrase is the secret, if any. */
static EVP_PKEY *read_key(const struct cfg_secret *s, char *why, size_t wlen)
{
	BIO *bio = BIO_new_file(s->file, "rb");
	EVP_PKEY *key;

	if (!bio) {
		snprintf(why, wlen, "%s", strerror(errno));
		ERR_clear_error();
		return NULL;
	}
	key = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, (void *)s);
	if (!key && BIO_reset(bio) == 0) {
		ERR_set_mark();
		key = d2i_PrivateKey_bio(bio, NULL);
		if (key)
			ERR_pop_to_mark();
		else
			ERR_clear_last_mark();
	}
	if (!key)
		ossl_reason(why, wlen);
	ERR_clear_error();
	BIO_free(bio);
	return key;
}

/* The private-X whose key is cert's; tried lists the others and why. */
static int find_key(const struct config *cfg, X509 *cert,
		    struct cert_cred *cr, char *tried, size_t tlen)
{
	EVP_PKEY *pub = X509_get0_pubkey(cert), *key;
	size_t off = 0;
	char why[256];
	int i;

	tried[0] = 0;
	for (i = 0; cfg && i < cfg->n_secrets; i++) {
		const struct cfg_secret *s = &cfg->secrets[i];

		if (s->type != CFG_SECRET_PRIVATE)
			continue;
		key = read_key(s, why, sizeof(why));
		if (key && pub && EVP_PKEY_eq(key, pub) == 1) {
			cr->cc_key = key;
			snprintf(cr->cc_secret, sizeof(cr->cc_secret), "%s",
				 s->name);
			return 0;
		}
		if (key)
			snprintf(why, sizeof(why), "another key");
		EVP_PKEY_free(key);
		if (off < tlen)
			off += (size_t)snprintf(tried + off, tlen - off,
						"%s%s %s: %s", off ? "; " : "",
						s->name, s->file, why);
	}
	ERR_clear_error();
	return -1;
}

int auth_cert_cred_load(const struct cfg_auth *local, const struct config *cfg,
			struct cert_cred *cr, char *err, size_t elen)
{
	char tried[512], subj[256];
	STACK_OF(X509) *sk;
	int i;

	memset(cr, 0, sizeof(*cr));
	if (!local->n_certs) {
		snprintf(err, elen, "no certs configured in local { }");
		return -1;
	}
	cr->cc_chain = sk_X509_new_null();
	if (!cr->cc_chain) {
		snprintf(err, elen, "out of memory");
		return -1;
	}
	for (i = 0; i < local->n_certs; i++) {
		sk = read_certs(local->certs[i], err, elen);
		if (!sk)
			goto fail;
		while (sk_X509_num(sk)) {
			X509 *x = sk_X509_shift(sk);

			if (!cr->cc_cert)
				cr->cc_cert = x;
			else
				sk_X509_push(cr->cc_chain, x);
		}
		sk_X509_free(sk);
	}
	if (find_key(cfg, cr->cc_cert, cr, tried, sizeof(tried))) {
		auth_cert_name_str(X509_get_subject_name(cr->cc_cert), subj,
				   sizeof(subj));
		snprintf(err, elen, "no private key for certificate %s "
			 "(\"%s\") in secrets: %s", local->certs[0], subj,
			 tried[0] ? tried : "no private-NAME { file = ... }");
		goto fail;
	}
	return 0;
fail:
	auth_cert_cred_free(cr);
	return -1;
}

void auth_cert_cred_free(struct cert_cred *cr)
{
	X509_free(cr->cc_cert);
	sk_X509_pop_free(cr->cc_chain, X509_free);
	EVP_PKEY_free(cr->cc_key);
	memset(cr, 0, sizeof(*cr));
}

/* SHA-1 over the DER SubjectPublicKeyInfo (RFC 7296 3.7). */
static int spki_sha1(X509 *x, uint8_t *out)
{
	uint8_t *der = NULL;
	unsigned int n;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	int ret = len > 0 && EVP_Digest(der, (size_t)len, out, &n,
					EVP_sha1(), NULL) ? 0 : -1;

	OPENSSL_free(der);
	return ret;
}

int auth_cert_certreq(const struct cfg_auth *remote, struct buf *out)
{
	uint8_t h[CERT_KEYID_LEN];
	char err[AUTH_CERT_ERR_MAX];
	STACK_OF(X509) *sk;
	int i, n = 0;

	for (i = 0; i < remote->n_cacerts; i++) {
		sk = read_certs(remote->cacerts[i], err, sizeof(err));
		while (sk && sk_X509_num(sk)) {
			X509 *x = sk_X509_shift(sk);

			if (!spki_sha1(x, h)) {
				buf_put(out, h, sizeof(h));
				n++;
			}
			X509_free(x);
		}
		sk_X509_free(sk);
	}
	return n;
}

X509 *auth_cert_parse(const uint8_t *der, size_t len, char *err, size_t elen)
{
	const uint8_t *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	char why[256];

	if (!x || p != der + len) {
		ossl_reason(why, sizeof(why));
		snprintf(err, elen, "CERT payload (%zu bytes) is not a DER "
			 "X.509 certificate: %s", len, why);
		X509_free(x);
		return NULL;
	}
	return x;
}

int auth_cert_verify(const struct cfg_auth *remote, X509 *leaf,
		     STACK_OF(X509) *untrusted, char *err, size_t elen)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	char subj[256], at[256], cas[512] = "";
	STACK_OF(X509) *sk;
	size_t off = 0;
	int i, e, ret = -1;

	if (!store || !ctx) {
		snprintf(err, elen, "out of memory");
		goto out;
	}
	for (i = 0; i < remote->n_cacerts; i++) {
		sk = read_certs(remote->cacerts[i], err, elen);
		if (!sk)
			goto out;
		while (sk_X509_num(sk)) {
			X509 *x = sk_X509_shift(sk);

			X509_STORE_add_cert(store, x);
			if (off < sizeof(cas)) {
				auth_cert_name_str(X509_get_subject_name(x),
						   at, sizeof(at));
				off += (size_t)snprintf(cas + off,
							sizeof(cas) - off,
							"%s\"%s\"",
							off ? ", " : "", at);
			}
			X509_free(x);
		}
		sk_X509_free(sk);
	}
	ERR_clear_error();
	/* A configured intermediate is a trust anchor, as in strongSwan. */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	if (!X509_STORE_CTX_init(ctx, store, leaf, untrusted)) {
		snprintf(err, elen, "cannot set up certificate validation");
		goto out;
	}
	if (X509_verify_cert(ctx) == 1) {
		ret = 0;
		goto out;
	}
	e = X509_STORE_CTX_get_error(ctx);
	auth_cert_name_str(X509_get_subject_name(leaf), subj, sizeof(subj));
	if (X509_STORE_CTX_get_current_cert(ctx))
		auth_cert_name_str(X509_get_subject_name(
				   X509_STORE_CTX_get_current_cert(ctx)),
				   at, sizeof(at));
	else
		snprintf(at, sizeof(at), "?");
	snprintf(err, elen, "certificate \"%s\" not valid: %s (depth %d, "
		 "\"%s\"); trusted CAs: %s", subj,
		 X509_verify_cert_error_string(e),
		 X509_STORE_CTX_get_error_depth(ctx), at, cas[0] ? cas :
		 "none");
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ret;
}

void auth_cert_name_str(const X509_NAME *name, char *buf, size_t size)
{
	BIO *b = BIO_new(BIO_s_mem());
	unsigned long fl = (XN_FLAG_SEP_CPLUS_SPC | ASN1_STRFLGS_RFC2253) &
			   ~ASN1_STRFLGS_ESC_MSB;
	char *p;
	long n;

	buf[0] = 0;
	if (!b)
		return;
	if (X509_NAME_print_ex(b, name, 0, fl) >= 0) {
		n = BIO_get_mem_data(b, &p);
		snprintf(buf, size, "%.*s", (int)n, p);
	}
	BIO_free(b);
}

int auth_cert_dn_str(const uint8_t *der, size_t len, char *buf, size_t size)
{
	const uint8_t *p = der;
	X509_NAME *n = d2i_X509_NAME(NULL, &p, (long)len);

	if (!n) {
		ERR_clear_error();
		return -1;
	}
	auth_cert_name_str(n, buf, size);
	X509_NAME_free(n);
	return 0;
}

int auth_cert_subject_id(X509 *cert, struct cfg_id *id)
{
	uint8_t *der = NULL;
	int len = i2d_X509_NAME(X509_get_subject_name(cert), &der);

	memset(id, 0, sizeof(*id));
	if (len <= 0 || (size_t)len > sizeof(id->data)) {
		OPENSSL_free(der);
		return -1;
	}
	id->type = IKEV2_ID_DER_ASN1_DN;
	memcpy(id->data, der, (size_t)len);
	id->len = (size_t)len;
	auth_cert_name_str(X509_get_subject_name(cert), id->text,
			   sizeof(id->text));
	OPENSSL_free(der);
	return 0;
}

static int same_str(const ASN1_STRING *s, const struct cfg_id *id)
{
	return (size_t)ASN1_STRING_length(s) == id->len &&
	       !strncasecmp((const char *)ASN1_STRING_get0_data(s),
			    (const char *)id->data, id->len);
}

/* "DNS:moon.example, email:a@b, IP:192.0.2.1" */
static void sans_str(const GENERAL_NAMES *gens, char *buf, size_t size)
{
	const ASN1_OCTET_STRING *ip;
	char a[INET6_ADDRSTRLEN];
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < sk_GENERAL_NAME_num(gens) && off < size; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const char *sep = off ? ", " : "";

		switch (g->type) {
		case GEN_DNS:
		case GEN_EMAIL:
			off += (size_t)snprintf(buf + off, size - off,
				"%s%s:%.*s", sep,
				g->type == GEN_DNS ? "DNS" : "email",
				ASN1_STRING_length(g->d.ia5),
				(const char *)ASN1_STRING_get0_data(g->d.ia5));
			break;
		case GEN_IPADD:
			ip = g->d.iPAddress;
			if (!inet_ntop(ASN1_STRING_length(ip) == 4 ? AF_INET :
				       AF_INET6, ASN1_STRING_get0_data(ip), a,
				       sizeof(a)))
				snprintf(a, sizeof(a), "?");
			off += (size_t)snprintf(buf + off, size - off,
						"%sIP:%s", sep, a);
			break;
		default:
			off += (size_t)snprintf(buf + off, size - off,
						"%s(type %d)", sep, g->type);
		}
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

static bool san_has(const GENERAL_NAMES *gens, const struct cfg_id *id)
{
	const ASN1_OCTET_STRING *ip;
	int i;

	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		switch (id->type) {
		case IKEV2_ID_FQDN:
			if (g->type == GEN_DNS && same_str(g->d.ia5, id))
				return true;
			break;
		case IKEV2_ID_RFC822_ADDR:
			if (g->type == GEN_EMAIL && same_str(g->d.ia5, id))
				return true;
			break;
		case IKEV2_ID_IPV4_ADDR:
		case IKEV2_ID_IPV6_ADDR:
			ip = g->d.iPAddress;
			if (g->type == GEN_IPADD &&
			    (size_t)ASN1_STRING_length(ip) == id->len &&
			    !memcmp(ASN1_STRING_get0_data(ip), id->data,
				    id->len))
				return true;
			break;
		}
	}
	return false;
}

/* strongSwan's KEY_ID: SHA-1 of the certificate, its subjectKeyIdentifier,
 * or SHA-1 of the public key (SubjectPublicKeyInfo or the bare key).
 */
static bool keyid_has(X509 *cert, const struct cfg_id *id)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(cert);
	uint8_t h[EVP_MAX_MD_SIZE];
	const uint8_t *pk;
	unsigned int n;
	int pklen;

	if (ski && (size_t)ASN1_STRING_length(ski) == id->len &&
	    !memcmp(ASN1_STRING_get0_data(ski), id->data, id->len))
		return true;
	if (id->len != CERT_KEYID_LEN)
		return false;
	if (X509_digest(cert, EVP_sha1(), h, &n) && !memcmp(h, id->data, n))
		return true;
	if (!spki_sha1(cert, h) && !memcmp(h, id->data, CERT_KEYID_LEN))
		return true;
	if (X509_PUBKEY_get0_param(NULL, &pk, &pklen, NULL,
				   X509_get_X509_PUBKEY(cert)) &&
	    EVP_Digest(pk, (size_t)pklen, h, &n, EVP_sha1(), NULL) &&
	    !memcmp(h, id->data, n))
		return true;
	return false;
}

static void hex_str(const uint8_t *p, size_t n, char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = 0;
	for (i = 0; i < n && off + 3 <= size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%02x", p[i]);
}

/* The KEY_IDs a configuration would name cert by, for a mismatch line. */
static void keyids_str(X509 *cert, char *buf, size_t size)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(cert);
	uint8_t h[CERT_KEYID_LEN];
	char a[2 * CERT_KEYID_LEN + 1] = "?", b[2 * CERT_KEYID_LEN + 1];

	if (!spki_sha1(cert, h))
		hex_str(h, sizeof(h), a, sizeof(a));
	b[0] = 0;
	if (ski)
		hex_str(ASN1_STRING_get0_data(ski),
			(size_t)ASN1_STRING_length(ski), b, sizeof(b));
	snprintf(buf, size, "SHA-1 of its SubjectPublicKeyInfo %s%s%s", a,
		 b[0] ? ", subjectKeyIdentifier " : "", b);
}

int auth_cert_check_id(X509 *cert, const struct cfg_id *id, char *err,
		       size_t elen)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name,
					       NULL, NULL);
	char subj[256], sans[512], want[300];
	const uint8_t *p = id->data;
	X509_NAME *dn;
	bool ok = false;

	switch (id->type) {
	case IKEV2_ID_DER_ASN1_DN:
		dn = d2i_X509_NAME(NULL, &p, (long)id->len);
		ok = dn && !X509_NAME_cmp(dn, X509_get_subject_name(cert));
		X509_NAME_free(dn);
		break;
	case IKEV2_ID_KEY_ID:
		ok = keyid_has(cert, id);
		break;
	default:
		ok = san_has(gens, id);
	}
	ERR_clear_error();
	if (!ok) {
		auth_cert_name_str(X509_get_subject_name(cert), subj,
				   sizeof(subj));
		sans_str(gens, sans, sizeof(sans));
		if (id->type == IKEV2_ID_DER_ASN1_DN)
			auth_cert_dn_str(id->data, id->len, want,
					 sizeof(want));
		else
			snprintf(want, sizeof(want), "%s", id->text);
		if (id->type == IKEV2_ID_KEY_ID)
			keyids_str(cert, sans, sizeof(sans));
		snprintf(err, elen, "identity %s (%s) is not in the "
			 "certificate: subject \"%s\", %s %s", want,
			 ikev2_id_type_name(id->type), subj,
			 id->type == IKEV2_ID_KEY_ID ? "key ids:" :
			 "subjectAltNames", sans);
	}
	GENERAL_NAMES_free(gens);
	return ok ? 0 : -1;
}
