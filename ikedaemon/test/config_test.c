// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the swanctl.conf parser (config*.c), on the kernel's
 * kselftest harness (KTAP output). Each test runs in its own temporary
 * directory holding t.conf, so errors read "t.conf:LINE: ...": good
 * configurations and the values they give (defaults included), every
 * class of error with its exact message, and the lookups the engine
 * makes (PSK by identities, responder connection selection).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "config.h"
#include "ikev2.h"

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	if (!f || fputs(text, f) == EOF || fclose(f)) {
		perror(name);
		exit(1);
	}
}

/* t.conf := text, then config_load("t.conf"). */
static int load(const char *text, struct config *cfg, char *err,
		size_t errlen)
{
	write_file("t.conf", text);
	return config_load("t.conf", cfg, err, errlen);
}

static const struct cfg_proposal *prop(const struct cfg_proposal *p,
				       int i)
{
	return &p[i];
}

/* Has proposal p the transform type/id/keylen? */
static bool has(const struct cfg_proposal *p, int type, int id, int keylen)
{
	int i;

	for (i = 0; i < p->n_xf; i++)
		if (p->xf[i].type == type && p->xf[i].id == id &&
		    p->xf[i].keylen == keylen)
			return true;
	return false;
}

static struct cfg_id id_of(const char *s)
{
	struct cfg_id id;
	char err[256];

	if (config_parse_id(s, &id, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	return id;
}

static struct sockaddr_storage sa_of(const char *s)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		ss.ss_family = AF_INET;
	} else if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		ss.ss_family = AF_INET6;
	} else {
		fprintf(stderr, "bad address %s\n", s);
		exit(1);
	}
	return ss;
}

FIXTURE(cfg) {
	char dir[64];
	struct config c;
	char err[1024];
};

FIXTURE_SETUP(cfg)
{
	strcpy(self->dir, "/tmp/config_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chdir(self->dir));
	memset(&self->c, 0, sizeof(self->c));
}

FIXTURE_TEARDOWN(cfg)
{
	char cmd[128];

	config_free(&self->c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (chdir("/") || system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
}

static const char site_conf[] =
	"# moon's end of a site-to-site tunnel with sun\n"
	"connections {\n"
	"	moon-sun {\n"
	"		version = 2\n"
	"		local_addrs = 192.0.2.1\n"
	"		remote_addrs = 198.51.100.2\n"
	"		proposals = aes256gcm16-prfsha256-x25519, aes128-sha256-modp3072\n"
	"		dpd_delay = 30s\n"
	"		rekey_time = 2h\n"
	"		local {\n"
	"			auth = psk\n"
	"			id = moon.example.org\n"
	"		}\n"
	"		remote {\n"
	"			auth = psk\n"
	"			id = @sun.example.org\n"
	"		}\n"
	"		children {\n"
	"			net-net {\n"
	"				local_ts = 10.1.0.0/16\n"
	"				remote_ts = 10.2.0.0/16, 10.3.0.1-10.3.0.9[tcp/80]\n"
	"				esp_proposals = aes128gcm16-esn\n"
	"				start_action = start\n"
	"				rekey_bytes = 1G\n"
	"			}\n"
	"		}\n"
	"	}\n"
	"}\n"
	"\n"
	"secrets {\n"
	"	ike-moon-sun {\n"
	"		id-moon = moon.example.org\n"
	"		id-sun = sun.example.org\n"
	"		secret = \"correct horse # battery\"  # a comment\n"
	"	}\n"
	"	ike-hex {\n"
	"		secret = 0x00ff10\n"
	"	}\n"
	"	ike-b64 {\n"
	"		secret = 0sc2VjcmV0\n"
	"	}\n"
	"}\n";

TEST_F(cfg, site_to_site_psk)
{
	const struct cfg_conn *c;
	const struct cfg_child *ch;
	const struct sockaddr_in *sin;

	ASSERT_EQ(0, load(site_conf, &self->c, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	ASSERT_EQ(1, self->c.n_conns);
	c = config_find_conn(&self->c, "moon-sun");
	ASSERT_NE(NULL, c);
	ASSERT_EQ(NULL, config_find_conn(&self->c, "moon"));
	EXPECT_STREQ("t.conf", c->file);
	EXPECT_EQ(3, c->line);

	ASSERT_EQ(1, c->n_local_addrs);
	sin = (const struct sockaddr_in *)&c->local_addrs[0];
	EXPECT_EQ(AF_INET, sin->sin_family);
	EXPECT_EQ(htonl(0xc0000201), sin->sin_addr.s_addr);
	EXPECT_EQ(htons(500), sin->sin_port);
	ASSERT_EQ(1, c->n_remote_addrs);
	EXPECT_EQ(500, c->local_port);
	EXPECT_EQ(500, c->remote_port);

	ASSERT_EQ(2, c->n_proposals);
	EXPECT_STREQ("aes256gcm16-prfsha256-x25519", prop(c->proposals, 0)->text);
	EXPECT_EQ(3, c->proposals[0].n_xf);
	EXPECT_TRUE(has(&c->proposals[0], IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 256));
	EXPECT_TRUE(has(&c->proposals[0], IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_256, 0));
	EXPECT_TRUE(has(&c->proposals[0], IKEV2_XF_DH, IKEV2_DH_CURVE25519, 0));
	/* non-AEAD: the PRF follows from the integrity algorithm */
	EXPECT_EQ(4, c->proposals[1].n_xf);
	EXPECT_TRUE(has(&c->proposals[1], IKEV2_XF_ENCR, IKEV2_ENCR_AES_CBC, 128));
	EXPECT_TRUE(has(&c->proposals[1], IKEV2_XF_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0));
	EXPECT_TRUE(has(&c->proposals[1], IKEV2_XF_PRF, IKEV2_PRF_HMAC_SHA2_256, 0));
	EXPECT_TRUE(has(&c->proposals[1], IKEV2_XF_DH, IKEV2_DH_MODP_3072, 0));

	EXPECT_EQ(30, c->dpd_delay);
	EXPECT_EQ(0, c->dpd_timeout);
	EXPECT_EQ(7200, c->rekey_time);
	EXPECT_EQ(0, c->reauth_time);
	EXPECT_EQ(720, c->over_time);		/* 10% */
	EXPECT_EQ(720, c->rand_time);		/* over_time */
	EXPECT_EQ(1, c->keyingtries);
	EXPECT_TRUE(c->mobike);
	EXPECT_FALSE(c->encap);
	EXPECT_FALSE(c->send_cert);

	EXPECT_EQ(CFG_AUTH_PSK, c->local.method);
	EXPECT_EQ(IKEV2_ID_FQDN, c->local.id.type);
	EXPECT_EQ(16, c->local.id.len);
	EXPECT_EQ(0, memcmp(c->local.id.data, "moon.example.org", 16));
	EXPECT_EQ(IKEV2_ID_FQDN, c->remote.id.type);
	EXPECT_EQ(0, memcmp(c->remote.id.data, "sun.example.org", 15));
	EXPECT_STREQ("@sun.example.org", c->remote.id.text);

	ASSERT_EQ(1, c->n_children);
	ch = &c->children[0];
	EXPECT_STREQ("net-net", ch->name);
	EXPECT_EQ(19, ch->line);
	ASSERT_EQ(1, ch->n_local_ts);
	EXPECT_FALSE(ch->local_ts[0].dynamic);
	EXPECT_EQ(AF_INET, ch->local_ts[0].family);
	EXPECT_EQ(0, memcmp(ch->local_ts[0].start, "\x0a\x01\x00\x00", 4));
	EXPECT_EQ(0, memcmp(ch->local_ts[0].end, "\x0a\x01\xff\xff", 4));
	EXPECT_EQ(0, ch->local_ts[0].proto);
	EXPECT_EQ(0, ch->local_ts[0].port_start);
	EXPECT_EQ(65535, ch->local_ts[0].port_end);
	ASSERT_EQ(2, ch->n_remote_ts);
	EXPECT_EQ(0, memcmp(ch->remote_ts[1].start, "\x0a\x03\x00\x01", 4));
	EXPECT_EQ(0, memcmp(ch->remote_ts[1].end, "\x0a\x03\x00\x09", 4));
	EXPECT_EQ(6, ch->remote_ts[1].proto);
	EXPECT_EQ(80, ch->remote_ts[1].port_start);
	EXPECT_EQ(80, ch->remote_ts[1].port_end);
	EXPECT_STREQ("10.3.0.1-10.3.0.9[tcp/80]", ch->remote_ts[1].text);

	ASSERT_EQ(1, ch->n_esp_proposals);
	EXPECT_EQ(2, ch->esp_proposals[0].n_xf);
	EXPECT_TRUE(has(&ch->esp_proposals[0], IKEV2_XF_ENCR, IKEV2_ENCR_AES_GCM_16, 128));
	EXPECT_TRUE(has(&ch->esp_proposals[0], IKEV2_XF_ESN, IKEV2_ESN_YES, 0));
	EXPECT_EQ(CFG_MODE_TUNNEL, ch->mode);
	EXPECT_EQ(CFG_START_START, ch->start_action);
	EXPECT_EQ(CFG_DPD_CLEAR, ch->dpd_action);
	EXPECT_EQ(3600, ch->rekey_time);
	EXPECT_EQ(3960, ch->life_time);
	EXPECT_EQ(360, ch->rand_time);
	EXPECT_EQ(1ULL << 30, ch->rekey_bytes);
	EXPECT_EQ((1ULL << 30) + (1ULL << 30) / 10, ch->life_bytes);
	EXPECT_EQ(0, ch->rekey_packets);
	EXPECT_EQ(0, ch->life_packets);
	EXPECT_EQ(32, ch->replay_window);

	ASSERT_EQ(3, self->c.n_secrets);
	EXPECT_EQ(CFG_SECRET_IKE, self->c.secrets[0].type);
	EXPECT_STREQ("ike-moon-sun", self->c.secrets[0].name);
	EXPECT_EQ(2, self->c.secrets[0].n_ids);
	EXPECT_EQ(23, self->c.secrets[0].secret_len);
	EXPECT_EQ(0, memcmp(self->c.secrets[0].secret,
			    "correct horse # battery", 23));
	EXPECT_EQ(3, self->c.secrets[1].secret_len);
	EXPECT_EQ(0, memcmp(self->c.secrets[1].secret, "\x00\xff\x10", 3));
	EXPECT_EQ(6, self->c.secrets[2].secret_len);
	EXPECT_EQ(0, memcmp(self->c.secrets[2].secret, "secret", 6));
}

static const char cert_conf[] =
	"connections {\n"
	"	rw {\n"
	"		local_addrs = 2001:db8::1\n"
	"		send_cert = always\n"
	"		local {\n"
	"			certs = moonCert.pem\n"
	"			id = \"C=CH, O=Example, CN=moon.example.org\"\n"
	"		}\n"
	"		remote {\n"
	"			auth = pubkey\n"
	"			cacerts = caCert.pem\n"
	"			id = *@example.org\n"
	"		}\n"
	"		children {\n"
	"			rw {\n"
	"				local_ts = 10.1.0.0/16, 2001:db8:1::/48\n"
	"				mode = transport\n"
	"				start_action = none\n"
	"				life_time = 2h\n"
	"			}\n"
	"		}\n"
	"	}\n"
	"}\n"
	"secrets {\n"
	"	private-moon {\n"
	"		file = moonKey.pem\n"
	"	}\n"
	"}\n";

TEST_F(cfg, certificates)
{
	const struct cfg_conn *c;
	const struct cfg_child *ch;
	struct cfg_id dn, who;
	char path[256];

	write_file("moonCert.pem", "");
	write_file("caCert.pem", "");
	write_file("moonKey.pem", "");
	ASSERT_EQ(0, load(cert_conf, &self->c, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	c = &self->c.conns[0];
	EXPECT_EQ(0, c->n_remote_addrs);
	EXPECT_EQ(AF_INET6, c->local_addrs[0].ss_family);
	EXPECT_TRUE(c->send_cert);
	EXPECT_EQ(CFG_AUTH_PUBKEY, c->local.method);	/* the default */
	ASSERT_EQ(1, c->local.n_certs);
	snprintf(path, sizeof(path), "%s/moonCert.pem", self->dir);
	EXPECT_STREQ(path, c->local.certs[0]);
	ASSERT_EQ(1, c->remote.n_cacerts);

	/* The DN is DER; other spacing and case of keys still match. */
	EXPECT_EQ(IKEV2_ID_DER_ASN1_DN, c->local.id.type);
	EXPECT_EQ(0x30, c->local.id.data[0]);
	dn = id_of("C=CH,O=Example,CN=moon.example.org");
	EXPECT_EQ(CFG_ID_MATCH_PERFECT, config_id_match(&c->local.id, &dn));
	dn = id_of("C=CH, O=Example, CN=sun.example.org");
	EXPECT_EQ(CFG_ID_MATCH_NONE, config_id_match(&c->local.id, &dn));

	EXPECT_EQ(IKEV2_ID_RFC822_ADDR, c->remote.id.type);
	who = id_of("carol@example.org");
	EXPECT_EQ(CFG_ID_MATCH_WILDCARD, config_id_match(&c->remote.id, &who));
	who = id_of("carol@example.com");
	EXPECT_EQ(CFG_ID_MATCH_NONE, config_id_match(&c->remote.id, &who));

	/* default IKE proposals: CBC+HMAC first, then AEAD; x25519 first */
	ASSERT_EQ(2, c->n_proposals);
	EXPECT_EQ(IKEV2_DH_CURVE25519, c->proposals[0].xf[7].id);
	EXPECT_TRUE(has(&c->proposals[1], IKEV2_XF_ENCR,
			IKEV2_ENCR_CHACHA20_POLY1305, 0));
	EXPECT_FALSE(has(&c->proposals[0], IKEV2_XF_DH, IKEV2_DH_MODP_1024, 0));

	ch = &c->children[0];
	EXPECT_EQ(CFG_MODE_TRANSPORT, ch->mode);
	EXPECT_EQ(2, ch->n_local_ts);
	EXPECT_EQ(AF_INET6, ch->local_ts[1].family);
	EXPECT_EQ(0xff, ch->local_ts[1].end[15]);
	EXPECT_EQ(0, ch->local_ts[1].start[6]);
	ASSERT_EQ(1, ch->n_remote_ts);
	EXPECT_TRUE(ch->remote_ts[0].dynamic);
	EXPECT_EQ(7200, ch->life_time);
	EXPECT_EQ(3600, ch->rand_time);
	/* default ESP: AEAD, then CBC+HMAC, both noesn */
	ASSERT_EQ(2, ch->n_esp_proposals);
	EXPECT_TRUE(has(&ch->esp_proposals[0], IKEV2_XF_ESN, IKEV2_ESN_NO, 0));
	EXPECT_TRUE(has(&ch->esp_proposals[1], IKEV2_XF_INTEG,
			IKEV2_INTEG_HMAC_SHA1_96, 0));

	ASSERT_EQ(1, self->c.n_secrets);
	EXPECT_EQ(CFG_SECRET_PRIVATE, self->c.secrets[0].type);
	snprintf(path, sizeof(path), "%s/moonKey.pem", self->dir);
	EXPECT_STREQ(path, self->c.secrets[0].file);
}

TEST_F(cfg, include)
{
	ASSERT_EQ(0, mkdir("conf.d", 0700));
	write_file("conf.d/a.conf",
		   "connections { a { local { auth = psk }\n"
		   "remote { auth = psk }\n"
		   "children { n { } } } }\n");
	write_file("conf.d/b.conf", "secrets { ike { secret = x } }\n");
	ASSERT_EQ(0, load("include conf.d/*.conf\ninclude conf.d/none*.conf\n",
			  &self->c, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	EXPECT_EQ(1, self->c.n_conns);
	EXPECT_EQ(1, self->c.n_secrets);
	EXPECT_STREQ("conf.d/a.conf", self->c.conns[0].file);
	config_free(&self->c);

	/* An error in an included file names that file. */
	write_file("conf.d/b.conf", "secrets {\n  ike { secrt = x } }\n");
	ASSERT_EQ(-1, load("include conf.d/*.conf\n", &self->c, self->err,
			   sizeof(self->err)));
	EXPECT_STREQ("conf.d/b.conf:2: secrets.ike: unknown setting `secrt' (id, id-SUFFIX, secret)",
		     self->err);

	ASSERT_EQ(-1, load("include conf.d/c.conf\n", &self->c, self->err,
			   sizeof(self->err)));
	EXPECT_STREQ("t.conf:1: include `conf.d/c.conf': No such file or directory",
		     self->err);

	ASSERT_EQ(-1, load("include t.conf\n", &self->c, self->err,
			   sizeof(self->err)));
	EXPECT_STREQ("t.conf:1: includes nested too deep (max 8)", self->err);

	ASSERT_EQ(-1, config_load("missing.conf", &self->c, self->err,
				  sizeof(self->err)));
	EXPECT_STREQ("cannot open `missing.conf': No such file or directory",
		     self->err);
}

/* A valid connection, to embed errors in: CONN(extra conn lines). */
#define CONN(x)	"connections {\n c {\n local { auth = psk }\n"	\
		"remote { auth = psk }\n" x "children { n { } }\n }\n}\n" \
		"secrets { ike { secret = x } }\n"
#define CHILD(x) "connections {\n c {\n local { auth = psk }\n"	\
		"remote { auth = psk }\n children {\n n {\n" x "\n}\n}\n}\n}\n" \
		"secrets { ike { secret = x } }\n"

static const struct {
	const char *conf;
	const char *err;
} bad[] = {
	/* syntax */
	{ "connections {\n", "t.conf:2: missing `}' for section `connections' opened at line 1" },
	{ "}\n", "t.conf:1: unexpected `}'" },
	{ "connections\n\n foo\n", "t.conf:3: expected `=' or `{' after `connections', got `f'" },
	{ "a b\n", "t.conf:1: expected `=' or `{' after `a', got `b'" },
	{ "a.b = 1\n", "t.conf:1: expected `=' or `{' after `a', got `.'" },
	{ "\n = 1\n", "t.conf:2: unexpected `='" },
	{ "x = \"abc\n", "t.conf:1: unterminated quoted string" },
	{ "x = \"abc\" d\n", "t.conf:1: unexpected `d' after quoted string" },
	{ "a {\n\n\x01 }", "t.conf:3: unexpected 0x01" },
	/* top level */
	{ "pools { }\n", "t.conf:1: unsupported section `pools' (connections and secrets are)" },
	{ "x = 1\n", "t.conf:1: unknown setting `x' (expected connections { } or secrets { })" },
	{ "connections { }\nconnections { }\n", "t.conf:2: duplicate `connections' (first at line 1)" },
	/* unknown keys */
	{ CONN("foo = 1\n"), "t.conf:5: connections.c: unknown setting `foo'" },
	{ CONN("pools { }\n"), "t.conf:5: connections.c: unknown section `pools'" },
	{ CONN("children = n\n"), "t.conf:5: connections.c: `children' is a section: children { NAME { ... } }" },
	{ CHILD("esp = aes128"), "t.conf:7: connections.c.children.n: unknown setting `esp'" },
	{ CHILD("inner { }"), "t.conf:7: connections.c.children.n: unknown section `inner'" },
	{ "connections { c { local { cacerts = b } } }", "t.conf:1: connections.c.local: unknown setting `cacerts'" },
	{ "secrets { ike { pin = 1 } }", "t.conf:1: secrets.ike: unknown setting `pin' (id, id-SUFFIX, secret)" },
	{ "secrets { rsa-1 { } }", "t.conf:1: secrets: unsupported secret `rsa-1' (ike-NAME, eap-NAME, private-NAME)" },
	/* bad values */
	{ CONN("version = 1\n"), "t.conf:5: connections.c: version: IKEv1 is not supported" },
	{ CONN("rekey_time = 4x\n"), "t.conf:5: connections.c: rekey_time: invalid duration `4x' (a number, optionally with s, m, h or d)" },
	{ CONN("dpd_delay = -1\n"), "t.conf:5: connections.c: dpd_delay: invalid duration `-1' (a number, optionally with s, m, h or d)" },
	{ CONN("reauth_time = 50000d\n"), "t.conf:5: connections.c: reauth_time: duration `50000d' is too long" },
	{ CONN("mobike = maybe\n"), "t.conf:5: connections.c: mobike: invalid boolean `maybe' (yes or no)" },
	{ CONN("local_port = 0\n"), "t.conf:5: connections.c: local_port: port 0 is not allowed" },
	{ CONN("remote_port = 65536\n"), "t.conf:5: connections.c: remote_port: `65536' is too large (max 65535)" },
	{ CONN("keyingtries = two\n"), "t.conf:5: connections.c: keyingtries: invalid number `two'" },
	{ CONN("send_cert = sometimes\n"), "t.conf:5: connections.c: send_cert: invalid value `sometimes' (ifasked, always, never)" },
	{ CONN("local_addrs = vpn.example.org\n"), "t.conf:5: connections.c: local_addrs: invalid address `vpn.example.org' (an IPv4 or IPv6 address; names, subnets and ranges are not supported)" },
	{ CONN("remote_addrs = 192.0.2.1, %any\n"), "t.conf:5: connections.c: remote_addrs: %any and addresses in `192.0.2.1, %any': use one or the other" },
	{ CONN("remote_addrs = 192.0.2.1,,192.0.2.2\n"), "t.conf:5: connections.c: remote_addrs: empty item in `192.0.2.1,,192.0.2.2'" },
	{ CONN("proposals = aes999-sha1-x25519\n"), "t.conf:5: connections.c: proposals: proposal `aes999-sha1-x25519': unknown algorithm `aes999'" },
	{ CONN("proposals = aes128gcm16-x25519\n"), "t.conf:5: connections.c: proposals: proposal `aes128gcm16-x25519': an AEAD algorithm needs a PRF in IKE (e.g. prfsha256)" },
	{ CONN("proposals = aes128-sha256\n"), "t.conf:5: connections.c: proposals: proposal `aes128-sha256': no Diffie-Hellman group (e.g. x25519)" },
	{ CONN("proposals = aes128-x25519\n"), "t.conf:5: connections.c: proposals: proposal `aes128-x25519': no integrity algorithm" },
	{ CONN("proposals = sha256-x25519\n"), "t.conf:5: connections.c: proposals: proposal `sha256-x25519': no encryption algorithm" },
	{ CONN("proposals = aes128gcm16-aes128-prfsha256-x25519\n"), "t.conf:5: connections.c: proposals: proposal `aes128gcm16-aes128-prfsha256-x25519': AEAD and non-AEAD encryption algorithms cannot be mixed" },
	{ CONN("proposals = aes128-sha1-sha1-x25519\n"), "t.conf:5: connections.c: proposals: proposal `aes128-sha1-sha1-x25519': `sha1' appears twice" },
	{ CONN("proposals = aes128-sha1-x25519-esn\n"), "t.conf:5: connections.c: proposals: proposal `aes128-sha1-x25519-esn': esn/noesn belong in esp_proposals only" },
	{ CONN("proposals = aes128-sha1-x25519-\n"), "t.conf:5: connections.c: proposals: proposal `aes128-sha1-x25519-': ends with `-'" },
	{ CHILD("esp_proposals = aes192-sha1"), "t.conf:7: connections.c.children.n: esp_proposals: proposal `aes192-sha1': `aes192' is not supported for ESP by the ikesec module" },
	{ CHILD("esp_proposals = aes128gcm16-prfsha256"), "t.conf:7: connections.c.children.n: esp_proposals: proposal `aes128gcm16-prfsha256': a PRF belongs in IKE proposals only" },
	{ CHILD("local_ts = 10.0.0.0/33"), "t.conf:7: connections.c.children.n: local_ts: invalid traffic selector `10.0.0.0/33' (e.g. 10.1.0.0/16, 10.1.0.1-10.1.0.9, dynamic, 10.1.0.0/16[tcp/80])" },
	{ CHILD("remote_ts = 10.0.0.9-10.0.0.1"), "t.conf:7: connections.c.children.n: remote_ts: invalid traffic selector `10.0.0.9-10.0.0.1' (e.g. 10.1.0.0/16, 10.1.0.1-10.1.0.9, dynamic, 10.1.0.0/16[tcp/80])" },
	{ CHILD("remote_ts = 10.0.0.0/8[tcp/99999]"), "t.conf:7: connections.c.children.n: remote_ts: invalid traffic selector `10.0.0.0/8[tcp/99999]' (e.g. 10.1.0.0/16, 10.1.0.1-10.1.0.9, dynamic, 10.1.0.0/16[tcp/80])" },
	{ CHILD("mode = beet"), "t.conf:7: connections.c.children.n: mode: invalid value `beet' (tunnel, transport)" },
	{ CHILD("start_action = route"), "t.conf:7: connections.c.children.n: start_action: invalid value `route' (none, trap, start)" },
	{ CHILD("dpd_action = hold"), "t.conf:7: connections.c.children.n: dpd_action: invalid value `hold' (clear, trap, restart)" },
	{ CHILD("replay_window = 5000"), "t.conf:7: connections.c.children.n: replay_window: `5000' is too large (max 4096)" },
	{ CHILD("rekey_bytes = 1X"), "t.conf:7: connections.c.children.n: rekey_bytes: invalid size `1X' (a number, optionally with K, M, G or T)" },
	{ CHILD("rekey_time = 1h\nlife_time = 30m"), "t.conf:6: connections.c.children.n: life_time (1800s) must be longer than rekey_time (3600s)" },
	{ CHILD("rekey_bytes = 1M\nlife_bytes = 1K"), "t.conf:6: connections.c.children.n: life_bytes must be larger than rekey_bytes" },
	{ "connections { c { local { id = \"C=CH, XX=y\" } } }", "t.conf:1: connections.c.local: id: invalid identity `C=CH, XX=y' (a DN: C=.., O=.., CN=..)" },
	{ "connections { c { local { id = \"@#abc\" } } }", "t.conf:1: connections.c.local: id: invalid identity `@#abc'" },
	{ "connections { c { local { auth = xauth } } }", "t.conf:1: connections.c.local: auth: invalid auth `xauth' (psk, pubkey, eap or eap-METHOD)" },
	{ "connections { c { local { certs = nothere.pem } } }", "t.conf:1: connections.c.local: certs: cannot read `nothere.pem': No such file or directory" },
	{ "secrets { ike { secret = 0xabc } }", "t.conf:1: secrets.ike: secret: invalid hex secret (0x and an even number of hex digits, at most 256 bytes)" },
	{ "secrets { ike { secret = 0s!!!! } }", "t.conf:1: secrets.ike: secret: invalid base64 secret (0s and base64, at most 256 bytes)" },
	{ "secrets { ike { secret = \"\" } }", "t.conf:1: secrets.ike: secret: the secret must be 1 to 256 bytes" },
	{ "secrets { ike { id = %any\n id = a\n secret = x } }", "t.conf:2: secrets.ike: duplicate `id' (first at line 1)" },
	/* duplicates */
	{ CONN("rekey_time = 1h\nrekey_time = 2h\n"), "t.conf:6: connections.c: duplicate `rekey_time' (first at line 5)" },
	{ "connections {\n c { local { auth = psk } remote { auth = psk } children { n { } } }\n"
	  " c { }\n}\nsecrets { ike { secret = x } }\n", "t.conf:3: connections: duplicate `c' (first at line 2)" },
	{ "connections { c {\nchildren {\n n { }\n n { }\n} } }", "t.conf:4: connections.c.children: duplicate `n' (first at line 3)" },
	{ "connections { c { local { auth = psk }\nlocal-2 { auth = psk } } }", "t.conf:2: connections.c: only one local authentication round is supported (`local' at line 1 and `local-2')" },
	/* missing things */
	{ "connections {\n c {\n local { auth = psk }\n remote { auth = psk }\n }\n}\n", "t.conf:2: connections.c: no children: a connection needs children { NAME { ... } }" },
	{ CHILD("start_action = start"), "t.conf:2: connections.c: child `n' has start_action = start but remote_addrs is %any: set the peer's address" },
	{ "connections {\n c {\n local { auth = psk }\n remote { auth = psk }\n children { n { } }\n }\n}\n", "t.conf:2: connections.c: auth = psk but there is no secrets { ike-NAME { secret = ... } }" },
	{ "connections {\n c {\n remote { auth = psk }\n children { n { } }\n }\n}\n", "t.conf:2: connections.c: local authentication is pubkey (the default) but local { certs } is not set; use local { auth = psk } for a PSK" },
	{ "connections {\n c {\n local { auth = pubkey }\n }\n}\n", "t.conf:3: connections.c.local: auth = pubkey needs certs (our certificate)" },
	{ "connections {\n c {\n local { auth = psk }\n remote { auth = pubkey }\n }\n}\n", "t.conf:4: connections.c.remote: auth = pubkey needs cacerts (the CA that signs the peer's certificate)" },
	{ "secrets {\n ike-1 { id = a }\n}\n", "t.conf:2: secrets.ike-1: missing secret = ..." },
	{ "secrets {\n private-1 { }\n}\n", "t.conf:2: secrets.private-1: missing file = KEY.pem" },
	{ "connections { a234567890123456789012345678901234567890123456789012345678901234 { } }", "t.conf:1: connections: name `a234567890123456789012345678901234567890123456789012345678901234' is longer than 63 characters" },
};

TEST_F(cfg, errors)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		self->err[0] = '\0';
		EXPECT_EQ(-1, load(bad[i].conf, &self->c, self->err,
				   sizeof(self->err)))
			TH_LOG("accepted: %s", bad[i].conf);
		EXPECT_STREQ(bad[i].err, self->err)
			TH_LOG("input: %s", bad[i].conf);
		/* refused whole: nothing is left allocated */
		EXPECT_EQ(0, self->c.n_conns);
		EXPECT_EQ(NULL, self->c.conns);
		EXPECT_EQ(NULL, self->c.secrets);
	}
}

TEST_F(cfg, nul_byte)
{
	char text[] = "secrets {\n ike { secret = a\0b } }\n";

	ASSERT_EQ(-1, config_load_buf("t.conf", text, sizeof(text) - 1,
				      &self->c, self->err, sizeof(self->err)));
	EXPECT_STREQ("t.conf:2: NUL byte in the file", self->err);
}

static const char psk_conf[] =
	"secrets {\n"
	"	ike-any { secret = any }\n"
	"	ike-moon { id = moon.example.org\n secret = moon }\n"
	"	ike-pair { id-1 = moon.example.org\n id-2 = sun.example.org\n"
	"		   secret = pair }\n"
	"	ike-carol { id = carol@example.org\n secret = carol }\n"
	"	ike-wild { id = *@example.net\n secret = wild }\n"
	"	eap-carol { id = carol\n secret = eap }\n"
	"}\n";

/* The name of the PSK config_find_psk() picks, or "none". */
static const char *psk(const struct config *cfg, const char *l,
		       const char *r)
{
	struct cfg_id li = id_of(l), ri = id_of(r);
	const struct cfg_secret *s = config_find_psk(cfg, &li, &ri);

	return s ? s->name : "none";
}

TEST_F(cfg, psk_by_ids)
{
	struct cfg_id carol = id_of("carol");

	ASSERT_EQ(0, load(psk_conf, &self->c, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	/* both ids > one id > wildcard > no ids; ties: first in the file */
	EXPECT_STREQ("ike-pair", psk(&self->c, "moon.example.org", "sun.example.org"));
	EXPECT_STREQ("ike-pair", psk(&self->c, "sun.example.org", "moon.example.org"));
	EXPECT_STREQ("ike-moon", psk(&self->c, "moon.example.org", "venus.example.org"));
	EXPECT_STREQ("ike-pair", psk(&self->c, "%any", "sun.example.org"));
	EXPECT_STREQ("ike-carol", psk(&self->c, "venus.example.org", "carol@example.org"));
	EXPECT_STREQ("ike-carol", psk(&self->c, "venus.example.org", "CAROL@example.org"));
	EXPECT_STREQ("ike-wild", psk(&self->c, "venus.example.org", "dave@example.net"));
	EXPECT_STREQ("ike-any", psk(&self->c, "venus.example.org", "mars.example.org"));
	EXPECT_STREQ("ike-any", psk(&self->c, "192.0.2.1", "2001:db8::2"));
	ASSERT_NE(NULL, config_find_eap(&self->c, &carol));
	EXPECT_STREQ("eap-carol", config_find_eap(&self->c, &carol)->name);
	config_free(&self->c);

	/* without an id-less secret nothing else qualifies */
	ASSERT_EQ(0, load("secrets { ike-moon { id = moon\n secret = x } }\n",
			  &self->c, self->err, sizeof(self->err)));
	EXPECT_STREQ("none", psk(&self->c, "venus", "mars"));
	EXPECT_STREQ("ike-moon", psk(&self->c, "venus", "moon"));
}

static const char match_conf[] =
	"connections {\n"
	"	site {\n"
	"		local_addrs = 192.0.2.1\n"
	"		remote_addrs = 198.51.100.2\n"
	"		local { auth = psk\n id = moon.example.org }\n"
	"		remote { auth = psk\n id = sun.example.org }\n"
	"		children { n { } }\n"
	"	}\n"
	"	rw {\n"
	"		local { auth = psk }\n"
	"		remote { auth = psk\n id = *@example.org }\n"
	"		children { n { } }\n"
	"	}\n"
	"	any {\n"
	"		local { auth = psk\n id = @any.example.org }\n"
	"		remote { auth = psk }\n"
	"		children { n { } }\n"
	"	}\n"
	"}\n"
	"secrets { ike { secret = x } }\n";

TEST_F(cfg, responder_selection)
{
	struct sockaddr_storage moon = sa_of("192.0.2.1");
	struct sockaddr_storage sun = sa_of("198.51.100.2");
	struct sockaddr_storage other = sa_of("203.0.113.5");
	struct cfg_id sun_id = id_of("sun.example.org");
	struct cfg_id carol = id_of("carol@example.org");
	struct cfg_id dave = id_of("dave@example.com");
	struct cfg_id any_id = id_of("any.example.org");
	const struct sockaddr *l = (struct sockaddr *)&moon;
	const struct cfg_conn *out[4];
	char buf[512];

	ASSERT_EQ(0, load(match_conf, &self->c, self->err,
			  sizeof(self->err)))
		TH_LOG("%s", self->err);
	/* IKE_SA_INIT: addresses only; exact addresses first */
	ASSERT_EQ(3, config_match_conn(&self->c, l, (struct sockaddr *)&sun,
				       NULL, NULL, out, 4));
	EXPECT_STREQ("site", out[0]->name);
	EXPECT_STREQ("rw", out[1]->name);
	EXPECT_STREQ("any", out[2]->name);
	/* more matches than room: the best ones, and the count */
	ASSERT_EQ(3, config_match_conn(&self->c, l, (struct sockaddr *)&sun,
				       NULL, NULL, out, 1));
	EXPECT_STREQ("site", out[0]->name);

	/* IKE_AUTH: the identities decide */
	ASSERT_EQ(2, config_match_conn(&self->c, l, (struct sockaddr *)&sun,
				       &sun_id, NULL, out, 4));
	EXPECT_STREQ("site", out[0]->name);
	EXPECT_STREQ("any", out[1]->name);
	ASSERT_EQ(2, config_match_conn(&self->c, l, (struct sockaddr *)&other,
				       &carol, NULL, out, 4));
	EXPECT_STREQ("rw", out[0]->name);
	EXPECT_STREQ("any", out[1]->name);
	/* the IDr the peer asked for */
	ASSERT_EQ(2, config_match_conn(&self->c, l, (struct sockaddr *)&other,
				       &carol, &any_id, out, 4));
	EXPECT_STREQ("any", out[0]->name);
	EXPECT_STREQ("rw", out[1]->name);

	config_conn_candidates(&self->c, l, (struct sockaddr *)&other, &dave,
			       &sun_id, buf, sizeof(buf));
	EXPECT_STREQ("site: remote_addrs 198.51.100.2 does not contain 203.0.113.5; "
		     "rw: remote id `*@example.org' does not match IDi `dave@example.com'; "
		     "any: local id `@any.example.org' does not match IDr `sun.example.org'",
		     buf);
	config_conn_candidates(&self->c, l, (struct sockaddr *)&other, &dave,
			       &sun_id, buf, 20);
	EXPECT_STREQ("site: remote_add...", buf);
}

/* `ikectl reload' keeps a connection's SAs when config_conn_same(): moved
 * lines and comments do not count, any setting does.
 */
TEST_F(cfg, conn_same_for_reload)
{
	static const char moved[] = "\n\n# moved down, same settings\n";
	struct config other;
	char *text, *p;
	size_t n = strlen(site_conf);

	ASSERT_EQ(0, load(site_conf, &self->c, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	text = malloc(n + sizeof(moved) + 8);
	ASSERT_NE(NULL, text);
	memcpy(text, moved, sizeof(moved) - 1);
	memcpy(text + sizeof(moved) - 1, site_conf, n + 1);
	ASSERT_EQ(0, load(text, &other, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	ASSERT_NE(self->c.conns[0].line, other.conns[0].line);
	EXPECT_TRUE(config_conn_same(&self->c.conns[0], &other.conns[0]));
	config_free(&other);

	/* one child setting changed */
	p = strstr(text, "aes128gcm16-esn");
	ASSERT_NE(NULL, p);
	memcpy(p, "aes256", 6);
	ASSERT_EQ(0, load(text, &other, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	EXPECT_FALSE(config_conn_same(&self->c.conns[0], &other.conns[0]));
	config_free(&other);

	/* one connection setting changed */
	memcpy(p, "aes128", 6);
	p = strstr(text, "dpd_delay = 30s");
	ASSERT_NE(NULL, p);
	p[13] = '1';
	ASSERT_EQ(0, load(text, &other, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	EXPECT_FALSE(config_conn_same(&self->c.conns[0], &other.conns[0]));
	config_free(&other);
	free(text);
}

TEST(ids)
{
	static const struct {
		const char *in;
		int type;
		size_t len;
	} t[] = {
		{ "%any", 0, 0 },
		{ "192.0.2.1", IKEV2_ID_IPV4_ADDR, 4 },
		{ "2001:db8::1", IKEV2_ID_IPV6_ADDR, 16 },
		{ "moon.example.org", IKEV2_ID_FQDN, 16 },
		{ "@moon", IKEV2_ID_FQDN, 4 },
		{ "moon", IKEV2_ID_FQDN, 4 },
		{ "carol@example.org", IKEV2_ID_RFC822_ADDR, 17 },
		{ "@@carol", IKEV2_ID_RFC822_ADDR, 5 },
		{ "@#0a1b2c", IKEV2_ID_KEY_ID, 3 },
		{ "CN=moon", IKEV2_ID_DER_ASN1_DN, 0 },
	};
	struct cfg_id id;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(0, config_parse_id(t[i].in, &id, err, sizeof(err)))
			TH_LOG("%s: %s", t[i].in, err);
		EXPECT_EQ(t[i].type, id.type) TH_LOG("%s", t[i].in);
		if (t[i].len)
			EXPECT_EQ(t[i].len, id.len) TH_LOG("%s", t[i].in);
		EXPECT_STREQ(t[i].in, id.text);
	}
	ASSERT_EQ(-1, config_parse_id("", &id, err, sizeof(err)));
	EXPECT_STREQ("invalid identity `'", err);
}

TEST_HARNESS_MAIN
