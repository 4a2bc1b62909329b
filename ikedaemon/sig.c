// SPDX-License-Identifier: GPL-2.0
/*
 * AUTH payload signatures; see sig.h. The digest and the padding are
 * OpenSSL's (EVP_DigestSign/Verify): this file only chooses a scheme and
 * converts between the encodings IKEv2 puts on the wire.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "ikev2.h"
#include "sig.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* RFC 4754 ECDSA methods (RFC 7296 3.8 table). */
#define AUTH_ECDSA_256	9
#define AUTH_ECDSA_384	10
#define AUTH_ECDSA_521	11

enum sig_key { SIG_RSA, SIG_EC };

/* RFC 7427 method 14 schemes; algid as RFC 7427 Appendix A encodes it. */
struct scheme {
	const char *name;
	enum sig_key key;
	int nid;		/* of the AlgorithmIdentifier's OID */
	const char *md;
	unsigned int hash;	/* SIG_HASH_* */
	const char *curve;	/* the curve we sign with it, EC only */
	uint8_t algid[16];
	size_t algid_len;
};

#define RSA_ALGID(last) { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, \
			  0xf7, 0x0d, 0x01, 0x01, last, 0x05, 0x00 }, 15
#define EC_ALGID(last) { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, \
			 0x3d, 0x04, 0x03, last }, 12

static const struct scheme schemes[] = {
	{ "sha256WithRSAEncryption", SIG_RSA, NID_sha256WithRSAEncryption,
	  "SHA256", SIG_HASH_SHA256, NULL, RSA_ALGID(0x0b) },
	{ "sha384WithRSAEncryption", SIG_RSA, NID_sha384WithRSAEncryption,
	  "SHA384", SIG_HASH_SHA384, NULL, RSA_ALGID(0x0c) },
	{ "sha512WithRSAEncryption", SIG_RSA, NID_sha512WithRSAEncryption,
	  "SHA512", SIG_HASH_SHA512, NULL, RSA_ALGID(0x0d) },
	{ "ecdsa-with-SHA256", SIG_EC, NID_ecdsa_with_SHA256, "SHA256",
	  SIG_HASH_SHA256, "prime256v1", EC_ALGID(0x02) },
	{ "ecdsa-with-SHA384", SIG_EC, NID_ecdsa_with_SHA384, "SHA384",
	  SIG_HASH_SHA384, "secp384r1", EC_ALGID(0x03) },
	{ "ecdsa-with-SHA512", SIG_EC, NID_ecdsa_with_SHA512, "SHA512",
	  SIG_HASH_SHA512, "secp521r1", EC_ALGID(0x04) },
};

/* RFC 4754: method, curve, hash, size of r and of s. */
static const struct {
	uint8_t method;
	const char *curve, *md;
	size_t n;
} ecdsa_legacy[] = {
	{ AUTH_ECDSA_256, "prime256v1", "SHA256", 32 },
	{ AUTH_ECDSA_384, "secp384r1", "SHA384", 48 },
	{ AUTH_ECDSA_521, "secp521r1", "SHA512", 66 },
};

size_t sig_hashes_encode(uint8_t *out, size_t size)
{
	static const uint8_t ours[] = { 0, SIG_HASH_SHA256, 0, SIG_HASH_SHA384,
					0, SIG_HASH_SHA512 };

	if (size < sizeof(ours))
		return 0;
	memcpy(out, ours, sizeof(ours));
	return sizeof(ours);
}

unsigned int sig_hashes_decode(const uint8_t *p, size_t len)
{
	unsigned int mask = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		if (get16(p + i) < 32)
			mask |= 1u << get16(p + i);
	return mask;
}

static int key_kind(EVP_PKEY *key)
{
	if (EVP_PKEY_is_a(key, "RSA"))
		return SIG_RSA;
	if (EVP_PKEY_is_a(key, "EC"))
		return SIG_EC;
	return -1;
}

static void key_curve(EVP_PKEY *key, char *curve, size_t size)
{
	curve[0] = 0;
	if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
					    curve, size, NULL))
		curve[0] = 0;
}

void sig_key_desc(EVP_PKEY *key, char *buf, size_t size)
{
	char curve[64];

	switch (key_kind(key)) {
	case SIG_RSA:
		snprintf(buf, size, "RSA-%d", EVP_PKEY_get_bits(key));
		break;
	case SIG_EC:
		key_curve(key, curve, sizeof(curve));
		snprintf(buf, size, "ECDSA %s", curve);
		break;
	default:
		snprintf(buf, size, "%s key", EVP_PKEY_get0_type_name(key));
	}
}

static void ossl_err(char *err, size_t elen, const char *what)
{
	unsigned long e = ERR_get_error();
	char s[256];

	ERR_error_string_n(e, s, sizeof(s));
	snprintf(err, elen, "%s: %s", what, e ? s : "failed");
	ERR_clear_error();
}

static int digest_sign(EVP_PKEY *key, const char *md, const struct buf *m,
		       uint8_t **sig, size_t *len, char *err, size_t elen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ret = -1;

	*sig = NULL;
	if (!ctx || EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, key,
					  NULL) != 1 ||
	    EVP_DigestSign(ctx, NULL, len, m->data, m->len) != 1) {
		ossl_err(err, elen, "signing");
		goto out;
	}
	*sig = OPENSSL_malloc(*len);
	if (!*sig || EVP_DigestSign(ctx, *sig, len, m->data, m->len) != 1) {
		ossl_err(err, elen, "signing");
		OPENSSL_free(*sig);
		*sig = NULL;
		goto out;
	}
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

static int digest_verify(EVP_PKEY *key, const char *md, const struct buf *m,
			 const uint8_t *sig, size_t len, char *err,
			 size_t elen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int r = -1;

	if (ctx && EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, key,
					   NULL) == 1)
		r = EVP_DigestVerify(ctx, sig, len, m->data, m->len);
	EVP_MD_CTX_free(ctx);
	if (r == 1)
		return 0;
	if (r == 0)
		snprintf(err, elen, "signature does not verify with the "
			 "certificate's key");
	else
		ossl_err(err, elen, "signature malformed or unusable");
	ERR_clear_error();
	return -1;
}

/* The RFC 7427 scheme we sign with: by key (and curve), the peer's list. */
static const struct scheme *pick(EVP_PKEY *key, unsigned int peer)
{
	const struct scheme *s, *any = NULL;
	char curve[64];
	size_t i;
	int kind = key_kind(key);

	key_curve(key, curve, sizeof(curve));
	for (i = 0; i < ARRAY_SIZE(schemes); i++) {
		s = &schemes[i];
		if ((int)s->key != kind || !(peer & (1u << s->hash)))
			continue;
		if (kind == SIG_RSA || !strcmp(s->curve, curve))
			return s;
		if (!any)
			any = s;
	}
	return any;
}

/* RFC 4754: r | s, each n bytes, from a DER ECDSA-Sig-Value. */
static int ecdsa_der_to_rs(const uint8_t *der, size_t len, size_t n,
			   struct buf *out)
{
	const uint8_t *p = der;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)len);
	const BIGNUM *r, *s;
	uint8_t rs[2 * 66];
	int ret = -1;

	if (!es)
		return -1;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, rs, (int)n) == (int)n &&
	    BN_bn2binpad(s, rs + n, (int)n) == (int)n) {
		buf_put(out, rs, 2 * n);
		ret = 0;
	}
	ECDSA_SIG_free(es);
	return ret;
}

static int ecdsa_rs_to_der(const uint8_t *rs, size_t n, uint8_t **der,
			   size_t *len)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(rs, (int)n, NULL);
	BIGNUM *s = BN_bin2bn(rs + n, (int)n, NULL);
	int l;

	*der = NULL;
	if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return -1;
	}
	l = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	if (l <= 0)
		return -1;
	*len = (size_t)l;
	return 0;
}

static int sign_legacy(EVP_PKEY *key, const struct buf *octets,
		       uint8_t *method, struct buf *out, char *scheme,
		       size_t slen, char *err, size_t elen)
{
	char curve[64];
	uint8_t *sig;
	size_t len, i;
	int ret;

	if (key_kind(key) == SIG_RSA) {
		snprintf(scheme, slen, "RSA PKCS#1 v1.5 with SHA-1 (method 1)");
		if (digest_sign(key, "SHA1", octets, &sig, &len, err, elen))
			return -1;
		*method = IKEV2_AUTH_RSA_SIG;
		buf_put(out, sig, len);
		OPENSSL_free(sig);
		return 0;
	}
	key_curve(key, curve, sizeof(curve));
	for (i = 0; i < ARRAY_SIZE(ecdsa_legacy); i++) {
		if (strcmp(curve, ecdsa_legacy[i].curve))
			continue;
		snprintf(scheme, slen, "ECDSA %s with %s (RFC 4754, method %u)",
			 curve, ecdsa_legacy[i].md, ecdsa_legacy[i].method);
		if (digest_sign(key, ecdsa_legacy[i].md, octets, &sig, &len,
				err, elen))
			return -1;
		*method = ecdsa_legacy[i].method;
		ret = ecdsa_der_to_rs(sig, len, ecdsa_legacy[i].n, out);
		OPENSSL_free(sig);
		if (ret)
			snprintf(err, elen, "cannot convert ECDSA signature");
		return ret;
	}
	snprintf(scheme, slen, "none");
	snprintf(err, elen, "the peer sent no SIGNATURE_HASH_ALGORITHMS and "
		 "there is no older method for a %s key", curve[0] ? curve :
		 EVP_PKEY_get0_type_name(key));
	return -1;
}

int sig_sign(EVP_PKEY *key, unsigned int peer_hashes, const struct buf *octets,
	     uint8_t *method, struct buf *out, char *scheme, size_t slen,
	     char *err, size_t elen)
{
	const struct scheme *s;
	uint8_t *sig;
	size_t len;

	if (key_kind(key) < 0) {
		snprintf(scheme, slen, "none");
		snprintf(err, elen, "unsupported key type %s (RSA or EC)",
			 EVP_PKEY_get0_type_name(key));
		return -1;
	}
	if (!peer_hashes)
		return sign_legacy(key, octets, method, out, scheme, slen, err,
				   elen);
	s = pick(key, peer_hashes);
	if (!s) {
		snprintf(scheme, slen, "none");
		snprintf(err, elen, "the peer's SIGNATURE_HASH_ALGORITHMS "
			 "(mask 0x%x) has none of SHA-256/384/512", peer_hashes);
		return -1;
	}
	snprintf(scheme, slen, "%s (RFC 7427)", s->name);
	if (digest_sign(key, s->md, octets, &sig, &len, err, elen))
		return -1;
	*method = IKEV2_AUTH_SIG;
	buf_put8(out, (uint8_t)s->algid_len);
	buf_put(out, s->algid, s->algid_len);
	buf_put(out, sig, len);
	OPENSSL_free(sig);
	return 0;
}

/*
 * RSASSA-PSS (RFC 7427 A.4, RFC 4055 3.1): hash, MGF1 hash and salt length
 * from the parameters (absent ones are SHA-1, MGF1-SHA-1 and 20). We
 * accept SHA-256/384/512 only; our own RSA signatures are PKCS#1 v1.5,
 * which RFC 8247 makes mandatory to accept.
 */
static int verify_pss(EVP_PKEY *key, const X509_ALGOR *alg,
		      const struct buf *m, const uint8_t *sig, size_t len,
		      char *scheme, size_t slen, char *err, size_t elen)
{
	const ASN1_STRING *pv = NULL;
	const ASN1_OBJECT *obj;
	RSA_PSS_PARAMS *pss = NULL;
	const char *md = "SHA1", *mgf = "SHA1";
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *ctx = NULL;
	const uint8_t *p;
	long salt = 20;
	int ptype, r = -1;

	X509_ALGOR_get0(&obj, &ptype, (const void **)&pv, alg);
	if (ptype == V_ASN1_SEQUENCE && pv) {
		p = ASN1_STRING_get0_data(pv);
		pss = d2i_RSA_PSS_PARAMS(NULL, &p, ASN1_STRING_length(pv));
	}
	if (!pss) {
		snprintf(scheme, slen, "RSASSA-PSS (RFC 7427)");
		snprintf(err, elen, "RSASSA-PSS without valid parameters");
		goto out;
	}
	if (pss->hashAlgorithm)
		md = OBJ_nid2sn(OBJ_obj2nid(pss->hashAlgorithm->algorithm));
	if (pss->maskGenAlgorithm) {
		const ASN1_TYPE *t = pss->maskGenAlgorithm->parameter;
		X509_ALGOR *mh = NULL;

		if (OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) == NID_mgf1 &&
		    t && t->type == V_ASN1_SEQUENCE) {
			p = ASN1_STRING_get0_data(t->value.sequence);
			mh = d2i_X509_ALGOR(NULL, &p,
					    ASN1_STRING_length(t->value.sequence));
		}
		mgf = mh ? OBJ_nid2sn(OBJ_obj2nid(mh->algorithm)) : "?";
		X509_ALGOR_free(mh);
	}
	if (pss->saltLength)
		salt = ASN1_INTEGER_get(pss->saltLength);
	snprintf(scheme, slen, "RSASSA-PSS %s, MGF1 %s, salt %ld (RFC 7427)",
		 md, mgf, salt);
	if (strcmp(md, "SHA256") && strcmp(md, "SHA384") &&
	    strcmp(md, "SHA512")) {
		snprintf(err, elen, "RSASSA-PSS with hash %s (we accept "
			 "SHA-256/384/512)", md);
		goto out;
	}
	if (key_kind(key) != SIG_RSA) {
		snprintf(err, elen, "RSASSA-PSS with a %s certificate key",
			 EVP_PKEY_get0_type_name(key));
		goto out;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestVerifyInit_ex(ctx, &pctx, md, NULL, NULL, key,
					    NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, mgf, NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, (int)salt) != 1) {
		ossl_err(err, elen, "RSASSA-PSS parameters unusable");
		goto out;
	}
	r = EVP_DigestVerify(ctx, sig, len, m->data, m->len);
	if (r != 1) {
		snprintf(err, elen, "signature does not verify with the "
			 "certificate's key");
		r = -1;
	} else {
		r = 0;
	}
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	RSA_PSS_PARAMS_free(pss);
	return r;
}

/* RFC 7427 3: length, AlgorithmIdentifier, signature. */
static int verify_7427(EVP_PKEY *key, const uint8_t *data, size_t len,
		       const struct buf *octets, char *scheme, size_t slen,
		       char *err, size_t elen)
{
	const ASN1_OBJECT *obj;
	const uint8_t *p;
	X509_ALGOR *alg;
	char oid[80];
	size_t i, alen;
	int nid;

	snprintf(scheme, slen, "RFC 7427");
	if (len < 1 || (alen = data[0]) + 1 > len) {
		snprintf(err, elen, "AlgorithmIdentifier length %zu exceeds "
			 "the AUTH data (%zu)", len ? (size_t)data[0] : 0,
			 len ? len - 1 : 0);
		return -1;
	}
	p = data + 1;
	alg = d2i_X509_ALGOR(NULL, &p, (long)alen);
	if (!alg || p != data + 1 + alen) {
		X509_ALGOR_free(alg);
		snprintf(err, elen, "AlgorithmIdentifier (%zu bytes) is not "
			 "valid DER", alen);
		return -1;
	}
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	nid = OBJ_obj2nid(obj);
	OBJ_obj2txt(oid, sizeof(oid), obj, 0);
	if (nid == NID_rsassaPss) {
		nid = verify_pss(key, alg, octets, data + 1 + alen,
				 len - 1 - alen, scheme, slen, err, elen);
		X509_ALGOR_free(alg);
		return nid;
	}
	X509_ALGOR_free(alg);
	for (i = 0; i < ARRAY_SIZE(schemes); i++)
		if (schemes[i].nid == nid)
			break;
	if (i == ARRAY_SIZE(schemes)) {
		snprintf(scheme, slen, "%s (RFC 7427)", oid);
		snprintf(err, elen, "unsupported signature algorithm %s (we "
			 "accept RSA PKCS#1 v1.5, RSASSA-PSS and ECDSA with "
			 "SHA-256/384/512)", oid);
		return -1;
	}
	snprintf(scheme, slen, "%s (RFC 7427)", schemes[i].name);
	if ((int)schemes[i].key != key_kind(key)) {
		snprintf(err, elen, "%s with a %s certificate key",
			 schemes[i].name, EVP_PKEY_get0_type_name(key));
		return -1;
	}
	return digest_verify(key, schemes[i].md, octets, data + 1 + alen,
			     len - 1 - alen, err, elen);
}

int sig_verify(EVP_PKEY *key, uint8_t method, const uint8_t *data,
	       size_t len, const struct buf *octets, char *scheme,
	       size_t slen, char *err, size_t elen)
{
	char curve[64];
	uint8_t *der;
	size_t i, dlen;
	int ret;

	switch (method) {
	case IKEV2_AUTH_SIG:
		return verify_7427(key, data, len, octets, scheme, slen, err,
				   elen);
	case IKEV2_AUTH_RSA_SIG:
		snprintf(scheme, slen, "RSA PKCS#1 v1.5 with SHA-1 (method 1)");
		if (key_kind(key) != SIG_RSA) {
			snprintf(err, elen, "method 1 (RSA) with a %s "
				 "certificate key",
				 EVP_PKEY_get0_type_name(key));
			return -1;
		}
		return digest_verify(key, "SHA1", octets, data, len, err,
				     elen);
	case AUTH_ECDSA_256:
	case AUTH_ECDSA_384:
	case AUTH_ECDSA_521:
		i = method - AUTH_ECDSA_256;
		snprintf(scheme, slen, "ECDSA %s with %s (RFC 4754, method %u)",
			 ecdsa_legacy[i].curve, ecdsa_legacy[i].md, method);
		key_curve(key, curve, sizeof(curve));
		if (key_kind(key) != SIG_EC ||
		    strcmp(curve, ecdsa_legacy[i].curve)) {
			snprintf(err, elen, "method %u needs a %s key, the "
				 "certificate has %s", method,
				 ecdsa_legacy[i].curve, curve[0] ? curve :
				 EVP_PKEY_get0_type_name(key));
			return -1;
		}
		if (len != 2 * ecdsa_legacy[i].n) {
			snprintf(err, elen, "ECDSA signature is %zu bytes, "
				 "expected %zu", len, 2 * ecdsa_legacy[i].n);
			return -1;
		}
		if (ecdsa_rs_to_der(data, ecdsa_legacy[i].n, &der, &dlen)) {
			snprintf(err, elen, "cannot convert ECDSA signature");
			return -1;
		}
		ret = digest_verify(key, ecdsa_legacy[i].md, octets, der, dlen,
				    err, elen);
		OPENSSL_free(der);
		return ret;
	default:
		snprintf(scheme, slen, "method %u", method);
		snprintf(err, elen, "AUTH method %u is not a signature we "
			 "support (1, 9, 10, 11, 14)%s", method,
			 method == IKEV2_AUTH_SHARED_KEY_MIC ?
			 ": the peer uses a PSK" : "");
		return -1;
	}
}
