// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of certificate authentication: RFC 7427 and older AUTH
 * signatures (sig.c) for RSA and ECDSA, a tampered signature and a wrong
 * key refused; identities against a certificate's subject and SANs; chain
 * validation against a CA file (trusted, untrusted, expired); our
 * certificate and private key (with a passphrase) found in the secrets;
 * CERT/CERTREQ payloads parsed back. Keys and certificates are made here
 * with OpenSSL, in a temporary directory.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "kselftest_harness.h"

#include "../auth_cert.h"
#include "../ikev2.h"
#include "../ikev2_pld.h"
#include "../sig.h"

static EVP_PKEY *keygen(bool rsa)
{
	return rsa ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048) :
		     EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *v)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, v);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
}

/* A certificate for key, CN=cn, signed by ca (NULL: self-signed CA). */
static X509 *mkcert(EVP_PKEY *key, const char *cn, X509 *ca,
		    EVP_PKEY *cakey, long from, long days)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), ca ? 2 : 1);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), from + days * 86400);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
				   (const uint8_t *)"CH", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
				   (const uint8_t *)"ikesec test", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				   (const uint8_t *)cn, -1, -1, 0);
	X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : n);
	if (ca) {
		add_ext(x, ca, NID_basic_constraints, "CA:FALSE");
		add_ext(x, ca, NID_subject_alt_name,
			"DNS:moon.example,email:moon@example,IP:192.0.2.2");
	} else {
		add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, x, NID_key_usage, "critical,keyCertSign");
	}
	X509_sign(x, ca ? cakey : key, EVP_sha256());
	return x;
}

static void write_pem(const char *path, X509 *x, EVP_PKEY *k,
		      const char *pass)
{
	FILE *f = fopen(path, "w");

	if (x)
		PEM_write_X509(f, x);
	if (k)
		PEM_write_PrivateKey(f, k, pass ? EVP_aes_128_cbc() : NULL,
				     (const uint8_t *)pass,
				     pass ? (int)strlen(pass) : 0, NULL, NULL);
	fclose(f);
}

static struct cfg_id id_str(uint8_t type, const char *s)
{
	struct cfg_id id = { .type = type };

	id.len = strlen(s);
	memcpy(id.data, s, id.len);
	snprintf(id.text, sizeof(id.text), "%s", s);
	return id;
}

static struct buf octets(void)
{
	struct buf b;

	buf_init(&b);
	buf_put(&b, "RealMessage|Nonce|prf(SK_p, ID)", 31);
	return b;
}

static void sig_roundtrip(struct __test_metadata *_metadata, bool rsa,
			  unsigned int hashes, uint8_t want_method)
{
	EVP_PKEY *k = keygen(rsa), *other = keygen(!rsa);
	char scheme[128], err[256];
	struct buf m = octets(), a;
	uint8_t method;

	buf_init(&a);
	ASSERT_EQ(0, sig_sign(k, hashes, &m, &method, &a, scheme,
			      sizeof(scheme), err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_EQ(want_method, method);
	EXPECT_EQ(0, sig_verify(k, method, a.data, a.len, &m, scheme,
				sizeof(scheme), err, sizeof(err)))
		TH_LOG("%s: %s", scheme, err);
	/* Tampered: the scheme's name and why in the error. */
	a.data[a.len - 2] ^= 1;
	EXPECT_EQ(-1, sig_verify(k, method, a.data, a.len, &m, scheme,
				 sizeof(scheme), err, sizeof(err)));
	/* Another kind of key. */
	a.data[a.len - 2] ^= 1;
	EXPECT_EQ(-1, sig_verify(other, method, a.data, a.len, &m, scheme,
				 sizeof(scheme), err, sizeof(err)));
	/* A PSK MIC where a signature is wanted. */
	EXPECT_EQ(-1, sig_verify(k, IKEV2_AUTH_SHARED_KEY_MIC, a.data, a.len,
				 &m, scheme, sizeof(scheme), err,
				 sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "PSK"));
	buf_free(&a);
	buf_free(&m);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}

TEST(sig_rsa_7427) { sig_roundtrip(_metadata, true, SIG_HASHES_OURS, 14); }
TEST(sig_ecdsa_7427) { sig_roundtrip(_metadata, false, SIG_HASHES_OURS, 14); }
TEST(sig_rsa_method1) { sig_roundtrip(_metadata, true, 0, 1); }
TEST(sig_ecdsa_rfc4754) { sig_roundtrip(_metadata, false, 0, 9); }

/* RFC 7427 Appendix A: the AlgorithmIdentifier we send for ECDSA P-256. */
TEST(sig_algid_ecdsa_sha256)
{
	static const uint8_t want[] = { 12, 0x30, 0x0a, 0x06, 0x08, 0x2a,
					0x86, 0x48, 0xce, 0x3d, 0x04, 0x03,
					0x02 };
	EVP_PKEY *k = keygen(false);
	char scheme[128], err[256];
	struct buf m = octets(), a;
	uint8_t method;

	buf_init(&a);
	ASSERT_EQ(0, sig_sign(k, 1u << SIG_HASH_SHA256, &m, &method, &a,
			      scheme, sizeof(scheme), err, sizeof(err)));
	EXPECT_EQ(0, memcmp(want, a.data, sizeof(want)));
	EXPECT_STREQ("ecdsa-with-SHA256 (RFC 7427)", scheme);
	/* The peer takes only SHA-1: nothing we sign with. */
	buf_reset(&a);
	EXPECT_EQ(-1, sig_sign(k, 1u << SIG_HASH_SHA1, &m, &method, &a,
			       scheme, sizeof(scheme), err, sizeof(err)));
	buf_free(&a);
	buf_free(&m);
	EVP_PKEY_free(k);
}

TEST(sig_hashes_notify)
{
	static const uint8_t peer[] = { 0, 1, 0, 2, 0, 5, 0xff, 0xff, 0 };
	uint8_t ours[16];
	size_t n = sig_hashes_encode(ours, sizeof(ours));

	EXPECT_EQ(6, n);
	EXPECT_EQ(SIG_HASHES_OURS, sig_hashes_decode(ours, n));
	EXPECT_EQ((1u << 1) | (1u << 2) | (1u << 5),
		  sig_hashes_decode(peer, sizeof(peer)));
}

FIXTURE(pki) {
	char dir[64], ca_path[128], rogue_path[128];
	EVP_PKEY *cakey, *key, *roguekey;
	X509 *ca, *leaf, *rogue;
};

FIXTURE_SETUP(pki)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/cert_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	self->cakey = keygen(false);
	self->key = keygen(false);
	self->roguekey = keygen(false);
	self->ca = mkcert(self->cakey, "Test CA", NULL, NULL, 0, 30);
	self->rogue = mkcert(self->roguekey, "Rogue CA", NULL, NULL, 0, 30);
	self->leaf = mkcert(self->key, "moon.example", self->ca, self->cakey,
			    0, 30);
	snprintf(self->ca_path, sizeof(self->ca_path), "%s/ca.pem",
		 self->dir);
	snprintf(self->rogue_path, sizeof(self->rogue_path), "%s/rogue.pem",
		 self->dir);
	write_pem(self->ca_path, self->ca, NULL, NULL);
	write_pem(self->rogue_path, self->rogue, NULL, NULL);
}

FIXTURE_TEARDOWN(pki)
{
	char cmd[128];

	X509_free(self->ca);
	X509_free(self->rogue);
	X509_free(self->leaf);
	EVP_PKEY_free(self->cakey);
	EVP_PKEY_free(self->key);
	EVP_PKEY_free(self->roguekey);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

TEST_F(pki, identities)
{
	uint8_t ip[4] = { 192, 0, 2, 2 }, h[20];
	struct cfg_id id;
	char err[AUTH_CERT_ERR_MAX];
	unsigned int n;

	id = id_str(IKEV2_ID_FQDN, "Moon.Example");
	EXPECT_EQ(0, auth_cert_check_id(self->leaf, &id, err, sizeof(err)));
	id = id_str(IKEV2_ID_RFC822_ADDR, "moon@example");
	EXPECT_EQ(0, auth_cert_check_id(self->leaf, &id, err, sizeof(err)));
	id = (struct cfg_id){ .type = IKEV2_ID_IPV4_ADDR, .len = 4 };
	memcpy(id.data, ip, 4);
	EXPECT_EQ(0, auth_cert_check_id(self->leaf, &id, err, sizeof(err)));
	ASSERT_EQ(0, auth_cert_subject_id(self->leaf, &id));
	EXPECT_STREQ("C=CH, O=ikesec test, CN=moon.example", id.text);
	EXPECT_EQ(0, auth_cert_check_id(self->leaf, &id, err, sizeof(err)));
	/* KEY_ID: SHA-1 of the SubjectPublicKeyInfo, as strongSwan. */
	id = (struct cfg_id){ .type = IKEV2_ID_KEY_ID, .len = 20 };
	{
		uint8_t *der = NULL;
		int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(self->leaf),
					  &der);

		EVP_Digest(der, (size_t)len, h, &n, EVP_sha1(), NULL);
		OPENSSL_free(der);
	}
	memcpy(id.data, h, 20);
	EXPECT_EQ(0, auth_cert_check_id(self->leaf, &id, err, sizeof(err)));
	id.data[0] ^= 1;
	EXPECT_EQ(-1, auth_cert_check_id(self->leaf, &id, err, sizeof(err)));

	/* Not in the certificate: the log line has subject and SANs. */
	id = id_str(IKEV2_ID_FQDN, "sun.example");
	EXPECT_EQ(-1, auth_cert_check_id(self->leaf, &id, err, sizeof(err)));
	EXPECT_STREQ("identity sun.example (ID_FQDN) is not in the "
		     "certificate: subject \"C=CH, O=ikesec test, "
		     "CN=moon.example\", subjectAltNames DNS:moon.example, "
		     "email:moon@example, IP:192.0.2.2", err);
	/* The CN is not a SAN. */
	ASSERT_EQ(0, auth_cert_subject_id(self->ca, &id));
	EXPECT_EQ(-1, auth_cert_check_id(self->leaf, &id, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "identity C=CH, O=ikesec test, CN=Test CA"));
}

TEST_F(pki, chain)
{
	struct cfg_auth remote = { .method = CFG_AUTH_PUBKEY, .n_cacerts = 1 };
	char err[AUTH_CERT_ERR_MAX];
	X509 *old;

	snprintf(remote.cacerts[0], sizeof(remote.cacerts[0]), "%s",
		 self->ca_path);
	EXPECT_EQ(0, auth_cert_verify(&remote, self->leaf, NULL, err,
				      sizeof(err))) TH_LOG("%s", err);
	snprintf(remote.cacerts[0], sizeof(remote.cacerts[0]), "%s",
		 self->rogue_path);
	EXPECT_EQ(-1, auth_cert_verify(&remote, self->leaf, NULL, err,
				       sizeof(err)));
	EXPECT_STREQ("certificate \"C=CH, O=ikesec test, CN=moon.example\" "
		     "not valid: unable to get local issuer certificate "
		     "(depth 0, \"C=CH, O=ikesec test, CN=moon.example\"); "
		     "trusted CAs: \"C=CH, O=ikesec test, CN=Rogue CA\"", err);
	/* Expired a year ago. */
	old = mkcert(self->key, "moon.example", self->ca, self->cakey,
		     -400 * 86400L, 30);
	snprintf(remote.cacerts[0], sizeof(remote.cacerts[0]), "%s",
		 self->ca_path);
	EXPECT_EQ(-1, auth_cert_verify(&remote, old, NULL, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "certificate has expired (depth 0"))
		TH_LOG("%s", err);
	X509_free(old);
	/* A CA file that is not there. */
	snprintf(remote.cacerts[0], sizeof(remote.cacerts[0]), "%s/none.pem",
		 self->dir);
	EXPECT_EQ(-1, auth_cert_verify(&remote, self->leaf, NULL, err,
				       sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "none.pem: No such file"));
}

TEST_F(pki, credentials)
{
	struct cfg_secret secrets[2] = {
		{ .type = CFG_SECRET_PRIVATE, .name = "private-other" },
		{ .type = CFG_SECRET_PRIVATE, .name = "private-moon",
		  .secret = "pass phrase", .secret_len = 11 },
	};
	struct config cfg = { .secrets = secrets, .n_secrets = 2 };
	struct cfg_auth local = { .method = CFG_AUTH_PUBKEY, .n_certs = 1 };
	char err[AUTH_CERT_ERR_MAX];
	struct cert_cred cr;
	struct buf req;

	snprintf(local.certs[0], sizeof(local.certs[0]), "%s/moon.pem",
		 self->dir);
	snprintf(secrets[0].file, sizeof(secrets[0].file), "%s/other.key",
		 self->dir);
	snprintf(secrets[1].file, sizeof(secrets[1].file), "%s/moon.key",
		 self->dir);
	write_pem(local.certs[0], self->leaf, NULL, NULL);
	write_pem(secrets[0].file, NULL, self->roguekey, NULL);
	write_pem(secrets[1].file, NULL, self->key, "pass phrase");
	ASSERT_EQ(0, auth_cert_cred_load(&local, &cfg, &cr, err, sizeof(err)))
		TH_LOG("%s", err);
	EXPECT_STREQ("private-moon", cr.cc_secret);
	EXPECT_EQ(1, EVP_PKEY_eq(cr.cc_key, self->key));
	auth_cert_cred_free(&cr);

	/* A wrong passphrase: no key, and the log says which files. */
	secrets[1].secret_len = 4;
	EXPECT_EQ(-1, auth_cert_cred_load(&local, &cfg, &cr, err,
					  sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "no private key for certificate"));
	EXPECT_NE(NULL, strstr(err, "private-other"));
	EXPECT_NE(NULL, strstr(err, "another key")) TH_LOG("%s", err);

	/* CERTREQ: SHA-1 of the CA's SubjectPublicKeyInfo. */
	buf_init(&req);
	local.n_cacerts = 1;
	snprintf(local.cacerts[0], sizeof(local.cacerts[0]), "%s",
		 self->ca_path);
	EXPECT_EQ(1, auth_cert_certreq(&local, &req));
	EXPECT_EQ(20, req.len);
	buf_free(&req);
}

TEST(cert_payloads)
{
	struct ikev2_payloads pl = { 0 };
	static const uint8_t der[3] = { 0x30, 0x01, 0x00 };
	const uint8_t *data;
	struct pld_builder pb;
	uint8_t enc;
	size_t len;
	struct buf b;

	buf_init(&b);
	pld_builder_init(&pb, &b);
	pld_add_cert(&pb, IKEV2_PLD_CERT, CERT_X509_SIG, der, sizeof(der));
	pld_add_cert(&pb, IKEV2_PLD_CERT, CERT_X509_SIG, der, 2);
	pld_add_cert(&pb, IKEV2_PLD_CERTREQ, CERT_X509_SIG, der, 1);
	ASSERT_EQ(0, b.err);
	ASSERT_EQ(0, ikev2_pld_parse(b.data, b.data, b.len, pb.first, &pl));
	ASSERT_EQ(2, pl.n_cert);
	ASSERT_EQ(1, pl.n_certreq);
	pld_cert(&pl.cert[1], &enc, &data, &len);
	EXPECT_EQ(CERT_X509_SIG, enc);
	EXPECT_EQ(2, len);
	/* A CERT payload without its encoding byte. */
	b.len = 0;
	pld_builder_init(&pb, &b);
	pld_begin(&pb, IKEV2_PLD_CERT);
	buf_set16(&b, 2, 4);
	memset(&pl, 0, sizeof(pl));
	EXPECT_EQ(-1, ikev2_pld_parse(b.data, b.data, b.len, pb.first, &pl));
	buf_free(&b);
}

TEST_HARNESS_MAIN
