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
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "kselftest_harness.h"

#include "../auth_cert.h"
#include "../ikev2.h"
#include "../ikev2_pld.h"
#include "../sig.h"

/* A throwaway RSA-2048 test key: generating one takes a minute under
 * valgrind.
 */
static const char rsa_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDYmDQtSt2WoFXy\n"
	"rX3XSD1EC/jr0nZaSfKuaPwpg0su9YUfaBp8lV17iMY2UwRihRIZY7j6L1qHqJs2\n"
	"5tVAC0OOJ9GSAUKHtCHW8mPJTx2UzrDU8W2iIajKaXW8HfJdiReRbH1/jy+D6um+\n"
	"UDl3k83gjvvXpxUS4eOgIEWyRbP4LpHFyIv510IWXvA+OH+I5RzrqTv3SxzFbbA3\n"
	"RLyquAbcEfs3I+n0KmvLVv0oOolIcQlNdFMFprnEzLj1nUA1diYicXARXjnp0xGp\n"
	"mMq0ri3GnfQofH1F/J3WI3t1k8iaPbL/sWLwDZph8TERoKrPMq4nSRX7wUXnkXHP\n"
	"t1vg6vSFAgMBAAECggEACMLDSC+2iHYCHqJDgaEzj9yMxtEeULxGpiUAn2yRmRvS\n"
	"NM6A/8K043Rz+/+IoQmGjWNaDeM7c1rvsvKhnokLbvplANWvNg5PA22OJAw2A0Ox\n"
	"pbNW6WTDed3L0X5D7uJG2Jl9oVq5I8oChrGiWW1aOaKJmj6bshtT7zFO+w0pteNC\n"
	"lYqvzN8f4PnUqocMyNPc0I+wV+DXmgi8E1giuD4p0yLiQpZBz2bOlZzsEt+ZKrx0\n"
	"u3Ny6hyeHPRRlsimjgDWSgxDf9gCSQWaVVVmBkKjQZA9J/S27U3MLB1DoeHd6pW3\n"
	"03DGeD6BFeC6g9K1gXDmqyc95wO34eJC6fatpqJ+UQKBgQD5GxmQEgF+6w3nSPmA\n"
	"UK1zX9P7sv5PXXx3FO4m5GOsZLOQR/0wcJntCnTXn54CPQvHMmWf2BsSLKPMqEQ6\n"
	"knbfwkyDS40KEHpiGSQQdKVPxNfr8XqLle7izkc2F4TNZ3UAnXFe1qEKZcD9+CkH\n"
	"RzMOR6BNKCc+D6MA2J3acof0SQKBgQDelsNkcNDH4CFIJZOIbhdYQT7texZmum6I\n"
	"XW/VM/e7o3NV+wc0EPwgpoCKiXbHjjE9iyVDRpIvEFYApzPGwKfZBG00nOrhCslm\n"
	"pDLtLWFb61IbUU3csoK7R9iwpXVidMNH/iyUy+0qmCwbCBg9pd1lDiLIk5P022DJ\n"
	"oU0lLGGGXQKBgHIVRSnD9Udo4t8vfoSTbjxOgMje+rTiPaRTw5WwNy22mL3VGlFa\n"
	"4EO87DHr+fNQfdpmbEA+OneiVgnebhDdDu//Dgd7TEZ1sXbHyMp4gVT8814tI1BW\n"
	"BCd/DQHq13kyjlUPxeIHLY2TeEVXp4KbyvgZOYLchsxXYPF8Qx7OIRFxAoGAPfhv\n"
	"cdlO5zbpTTLY/lTYPwP7RxbLx9ID0AdjiVIsmJsLE1cOTFqmN1jj1K4s2aYm42GI\n"
	"AFD3hg7gQtJKQf2FPZBT7x/47KqaI+93Fj1aK8M6WsyqBtXUO9vm4ldOdRjY/YQw\n"
	"WUTlRMSVEvmP9inll6r12C3uNW+WZMx5s+3FQSkCgYAam6TTPqxt/xrlRXsWEAv6\n"
	"GCV2Mr8JDNuvwxGItGZdPblynNpdKQ+tgZg59lCpUc0xVVD4/aVKPszT6OZe4xHc\n"
	"+WH5WdMFP+Oxx7wbXoyr28J/+Jqza8iFHhALcyy3Myn7AtXGKZP1HQFtjPY98Yao\n"
	"2RsPhTxMP0SHyglbm+y1OA==\n"
	"-----END PRIVATE KEY-----\n";

static EVP_PKEY *keygen(bool rsa)
{
	BIO *b;
	EVP_PKEY *k;

	if (!rsa)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	b = BIO_new_mem_buf(rsa_pem, -1);
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	return k;
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

/* A peer's RSASSA-PSS signature (SHA-256, MGF1-SHA-256, salt 32). */
TEST(sig_rsa_pss_verify)
{
	static const uint8_t algid[] = {
		0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
		0x01, 0x01, 0x0a, 0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06,
		0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
		0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86,
		0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06,
		0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
		0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20 };
	EVP_PKEY *k = keygen(true);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char scheme[128], err[256];
	struct buf m = octets(), a;
	EVP_PKEY_CTX *pctx;
	uint8_t sig[512];
	size_t len = sizeof(sig);

	ASSERT_EQ(1, EVP_DigestSignInit_ex(ctx, &pctx, "SHA256", NULL, NULL,
					   k, NULL));
	EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
	EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", NULL);
	EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
	ASSERT_EQ(1, EVP_DigestSign(ctx, sig, &len, m.data, m.len));
	buf_init(&a);
	buf_put8(&a, sizeof(algid));
	buf_put(&a, algid, sizeof(algid));
	buf_put(&a, sig, len);
	EXPECT_EQ(0, sig_verify(k, IKEV2_AUTH_SIG, a.data, a.len, &m, scheme,
				sizeof(scheme), err, sizeof(err)))
		TH_LOG("%s: %s", scheme, err);
	EXPECT_STREQ("RSASSA-PSS SHA256, MGF1 SHA256, salt 32 (RFC 7427)",
		     scheme);
	a.data[a.len - 1] ^= 1;
	EXPECT_EQ(-1, sig_verify(k, IKEV2_AUTH_SIG, a.data, a.len, &m, scheme,
				 sizeof(scheme), err, sizeof(err)));
	buf_free(&a);
	buf_free(&m);
	EVP_MD_CTX_free(ctx);
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

TEST_F_TIMEOUT(pki, identities, 120)
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
	/* the mismatch line names the certificate's own KEY_ID */
	{
		char want[41];

		for (n = 0; n < 20; n++)
			snprintf(want + 2 * n, 3, "%02x", h[n]);
		TH_LOG("%s", err);
		EXPECT_NE(NULL, strstr(err, "(ID_KEY_ID) is not in the "
				       "certificate"));
		EXPECT_NE(NULL, strstr(err, want));
	}

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

TEST_F_TIMEOUT(pki, chain, 120)
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

TEST_F_TIMEOUT(pki, credentials, 120)
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
