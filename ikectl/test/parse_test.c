// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for parse.c, on the kernel's kselftest harness (KTAP output).
 * Each parser gets good inputs (and the values they give) and bad inputs
 * (and the exact error, which must quote the input, keys excepted).
 */
#include <arpa/inet.h>
#include <string.h>

#include <linux/ikesec.h>

#include "kselftest_harness.h"
#include "parse.h"

struct bad {
	const char *in;
	const char *msg;
};

TEST(u32_good)
{
	static const struct {
		const char *in;
		uint32_t v;
	} t[] = {
		{ "0", 0 }, { "7", 7 }, { "010", 10 }, { "4294967295", UINT32_MAX },
		{ "0x10", 16 }, { "0XfF", 255 }, { "0xffffffff", UINT32_MAX },
	};
	struct parse_err e;
	uint32_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		v = 1;
		ASSERT_EQ(0, parse_u32("n", t[i].in, 0, UINT32_MAX, &v, &e))
			TH_LOG("input `%s': %s", t[i].in, e.msg);
		ASSERT_EQ(t[i].v, v) TH_LOG("input `%s'", t[i].in);
	}
}

TEST(u32_bad)
{
	static const struct bad t[] = {
		{ "", "invalid reqid `'" },
		{ "-1", "invalid reqid `-1'" },
		{ "+1", "invalid reqid `+1'" },
		{ " 1", "invalid reqid ` 1'" },
		{ "1 ", "invalid reqid `1 '" },
		{ "0x", "invalid reqid `0x'" },
		{ "0x0x10", "invalid reqid `0x0x10'" },
		{ "12abc", "invalid reqid `12abc'" },
		{ "1e3", "invalid reqid `1e3'" },
		{ "4294967296", "invalid reqid `4294967296': must be 0..4294967295" },
		{ "99999999999999999999", "invalid reqid `99999999999999999999'" },
	};
	struct parse_err e;
	uint32_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(-1, parse_u32("reqid", t[i].in, 0, UINT32_MAX, &v, &e))
			TH_LOG("input `%s'", t[i].in);
		ASSERT_STREQ(t[i].msg, e.msg);
	}
}

TEST(u32_range)
{
	struct parse_err e;
	uint32_t v;

	ASSERT_EQ(0, parse_u32("replay-window", "4096", 0, 4096, &v, &e));
	ASSERT_EQ(4096U, v);
	ASSERT_EQ(-1, parse_u32("replay-window", "4097", 0, 4096, &v, &e));
	ASSERT_STREQ("invalid replay-window `4097': must be 0..4096", e.msg);
	ASSERT_EQ(-1, parse_u32("UDP port", "0", 1, 65535, &v, &e));
	ASSERT_STREQ("invalid UDP port `0': must be 1..65535", e.msg);
}

TEST(u64)
{
	struct parse_err e;
	uint64_t v;

	ASSERT_EQ(0, parse_u64("seq", "18446744073709551615", 0, UINT64_MAX,
			       &v, &e));
	ASSERT_EQ(UINT64_MAX, v);
	ASSERT_EQ(0, parse_u64("seq", "0x100000000", 0, UINT64_MAX, &v, &e));
	ASSERT_EQ(0x100000000ULL, v);
	ASSERT_EQ(-1, parse_u64("seq", "18446744073709551616", 0, UINT64_MAX,
				&v, &e));
	ASSERT_STREQ("invalid seq `18446744073709551616'", e.msg);
	ASSERT_EQ(-1, parse_u64("hard-bytes", "1k", 0, UINT64_MAX, &v, &e));
	ASSERT_STREQ("invalid hard-bytes `1k'", e.msg);
}

TEST(spi_good)
{
	static const struct {
		const char *in;
		uint32_t spi;
	} t[] = {
		{ "0x1000", 0x1000 }, { "4096", 4096 }, { "256", 256 },
		{ "0x100", 256 }, { "0xffffffff", 0xffffffff },
		{ "0xDEADBEEF", 0xdeadbeef },
	};
	struct parse_err e;
	uint32_t spi;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(0, parse_spi(t[i].in, &spi, &e))
			TH_LOG("input `%s': %s", t[i].in, e.msg);
		ASSERT_EQ(t[i].spi, spi);
	}
}

TEST(spi_bad)
{
	static const struct bad t[] = {
		{ "0xzz", "invalid SPI `0xzz'" },
		{ "", "invalid SPI `'" },
		{ "spi", "invalid SPI `spi'" },
		{ "-4096", "invalid SPI `-4096'" },
		{ "0x100000000", "invalid SPI `0x100000000'" },
		{ "4294967296", "invalid SPI `4294967296'" },
		{ "0", "invalid SPI `0': 0..255 are reserved (RFC 4303), use 256 (0x100) or above" },
		{ "255", "invalid SPI `255': 0..255 are reserved (RFC 4303), use 256 (0x100) or above" },
	};
	struct parse_err e;
	uint32_t spi;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(-1, parse_spi(t[i].in, &spi, &e))
			TH_LOG("input `%s'", t[i].in);
		ASSERT_STREQ(t[i].msg, e.msg);
	}
}

TEST(addr_good)
{
	static const uint8_t v6[16] = {
		0x20, 0x01, 0x0d, 0xb8, [15] = 1
	};
	struct parse_err e;
	struct ik_addr a;

	ASSERT_EQ(0, parse_addr("192.0.2.1", &a, &e));
	ASSERT_EQ(AF_INET, a.family);
	ASSERT_EQ(4U, ik_addr_len(&a));
	ASSERT_EQ(0, memcmp(a.b, "\xc0\x00\x02\x01", 4));
	ASSERT_EQ(0, parse_addr("2001:db8::1", &a, &e));
	ASSERT_EQ(AF_INET6, a.family);
	ASSERT_EQ(16U, ik_addr_len(&a));
	ASSERT_EQ(0, memcmp(a.b, v6, 16));
	ASSERT_EQ(0, parse_addr("::", &a, &e));
	ASSERT_EQ(AF_INET6, a.family);
	ASSERT_EQ(0, parse_addr("::ffff:192.0.2.1", &a, &e));
	ASSERT_EQ(AF_INET6, a.family);
	ASSERT_EQ(0, parse_addr("0.0.0.0", &a, &e));
	ASSERT_EQ(AF_INET, a.family);
}

TEST(addr_bad)
{
	static const struct bad t[] = {
		{ "", "invalid address `'" },
		{ "1.2.3", "invalid address `1.2.3'" },
		{ "1.2.3.256", "invalid address `1.2.3.256'" },
		{ "1.2.3.4/32", "invalid address `1.2.3.4/32'" },
		{ "fe80::1%eth0", "invalid address `fe80::1%eth0'" },
		{ "2001:db8:::1", "invalid address `2001:db8:::1'" },
		{ "host.example", "invalid address `host.example'" },
		{ " 1.2.3.4", "invalid address ` 1.2.3.4'" },
	};
	struct parse_err e;
	struct ik_addr a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(-1, parse_addr(t[i].in, &a, &e))
			TH_LOG("input `%s'", t[i].in);
		ASSERT_STREQ(t[i].msg, e.msg);
	}
}

TEST(prefix_good)
{
	static const struct {
		const char *in;
		int family;
		unsigned int len;
		const char *net;
	} t[] = {
		{ "10.0.0.0/24", AF_INET, 24, "10.0.0.0" },
		{ "10.0.0.0/8", AF_INET, 8, "10.0.0.0" },
		{ "0.0.0.0/0", AF_INET, 0, "0.0.0.0" },
		{ "192.0.2.1", AF_INET, 32, "192.0.2.1" },
		{ "192.0.2.1/32", AF_INET, 32, "192.0.2.1" },
		{ "fd00::/64", AF_INET6, 64, "fd00::" },
		{ "::/0", AF_INET6, 0, "::" },
		{ "2001:db8::1", AF_INET6, 128, "2001:db8::1" },
		{ "2001:db8::/63", AF_INET6, 63, "2001:db8::" },
	};
	char buf[INET6_ADDRSTRLEN];
	struct parse_err e;
	struct ik_prefix p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(0, parse_prefix(t[i].in, &p, &e))
			TH_LOG("input `%s': %s", t[i].in, e.msg);
		ASSERT_EQ(t[i].family, p.addr.family);
		ASSERT_EQ(t[i].len, p.len);
		inet_ntop(p.addr.family, p.addr.b, buf, sizeof(buf));
		ASSERT_STREQ(t[i].net, buf);
	}
}

TEST(prefix_bad)
{
	static const struct bad t[] = {
		{ "10.0.0.0/33", "invalid prefix `10.0.0.0/33': length must be 0..32" },
		{ "fd00::/129", "invalid prefix `fd00::/129': length must be 0..128" },
		{ "10.0.0.0/", "invalid prefix `10.0.0.0/': length must be 0..32" },
		{ "10.0.0.0/x", "invalid prefix `10.0.0.0/x': length must be 0..32" },
		{ "10.0.0.0/-1", "invalid prefix `10.0.0.0/-1': length must be 0..32" },
		{ "10.0.0.0/24/1", "invalid prefix `10.0.0.0/24/1': length must be 0..32" },
		{ "/24", "invalid prefix `/24'" },
		{ "10.0.0/24", "invalid prefix `10.0.0/24'" },
		{ "", "invalid prefix `'" },
		{ "10.0.0.1/24", "invalid prefix `10.0.0.1/24': host bits set, did you mean 10.0.0.0/24?" },
		{ "2001:db8:0:1::/63", "invalid prefix `2001:db8:0:1::/63': host bits set, did you mean 2001:db8::/63?" },
		{ "0123456789abcdef0123456789abcdef0123456789abcdef/8", "invalid prefix `0123456789abcdef0123456789abcdef0123456789abcdef/8'" },
	};
	struct parse_err e;
	struct ik_prefix p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(-1, parse_prefix(t[i].in, &p, &e))
			TH_LOG("input `%s'", t[i].in);
		ASSERT_STREQ(t[i].msg, e.msg);
	}
}

TEST(ports_good)
{
	static const struct {
		const char *in;
		uint16_t min, max;
	} t[] = {
		{ "80", 80, 80 }, { "0", 0, 0 }, { "65535", 65535, 65535 },
		{ "1000-2000", 1000, 2000 }, { "0-65535", 0, 65535 },
		{ "443-443", 443, 443 },
	};
	struct parse_err e;
	struct ik_ports p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(0, parse_ports(t[i].in, &p, &e))
			TH_LOG("input `%s': %s", t[i].in, e.msg);
		ASSERT_EQ(t[i].min, p.min);
		ASSERT_EQ(t[i].max, p.max);
	}
}

TEST(ports_bad)
{
	static const struct bad t[] = {
		{ "70000", "invalid port `70000': use 0..65535 or a range like 1000-2000" },
		{ "http", "invalid port `http': use 0..65535 or a range like 1000-2000" },
		{ "", "invalid port `': use 0..65535 or a range like 1000-2000" },
		{ "2000-1000", "invalid port range `2000-1000': first port above last" },
		{ "1-", "invalid port range `1-': use FIRST-LAST, each 0..65535" },
		{ "-1", "invalid port range `-1': use FIRST-LAST, each 0..65535" },
		{ "1-2-3", "invalid port range `1-2-3': use FIRST-LAST, each 0..65535" },
		{ "1-70000", "invalid port range `1-70000': use FIRST-LAST, each 0..65535" },
		{ "123456789-1", "invalid port range `123456789-1'" },
	};
	struct parse_err e;
	struct ik_ports p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(-1, parse_ports(t[i].in, &p, &e))
			TH_LOG("input `%s'", t[i].in);
		ASSERT_STREQ(t[i].msg, e.msg);
	}
}

TEST(key_good)
{
	uint8_t key[IK_KEY_MAX];
	char hex[2 + 2 * IK_KEY_MAX + 1] = "0x";
	struct parse_err e;
	size_t len, i;

	ASSERT_EQ(0, parse_key("0x00112233", key, &len, &e));
	ASSERT_EQ(4U, len);
	ASSERT_EQ(0, memcmp(key, "\x00\x11\x22\x33", 4));
	ASSERT_EQ(0, parse_key("aAbBcCdD", key, &len, &e));
	ASSERT_EQ(4U, len);
	ASSERT_EQ(0, memcmp(key, "\xaa\xbb\xcc\xdd", 4));
	ASSERT_EQ(0, parse_key("0XfF", key, &len, &e));
	ASSERT_EQ(1U, len);
	ASSERT_EQ(0xff, key[0]);
	for (i = 0; i < IK_KEY_MAX; i++)
		sprintf(hex + 2 + 2 * i, "%02zx", i);
	ASSERT_EQ(0, parse_key(hex, key, &len, &e));
	ASSERT_EQ((size_t)IK_KEY_MAX, len);
	ASSERT_EQ(IK_KEY_MAX - 1, key[IK_KEY_MAX - 1]);
}

TEST(key_bad)
{
	static const struct bad t[] = {
		{ "0x123", "invalid key: odd number of hex digits (3)" },
		{ "0x", "invalid key: no hex digits" },
		{ "", "invalid key: no hex digits" },
		{ "0xzz", "invalid key: hex digit 1 is not 0-9 or a-f" },
		{ "0x0011g2", "invalid key: hex digit 5 is not 0-9 or a-f" },
		{ "0x00 11", "invalid key: hex digit 3 is not 0-9 or a-f" },
		{ "0x0x00", "invalid key: hex digit 2 is not 0-9 or a-f" },
	};
	char hex[2 + 2 * (IK_KEY_MAX + 1) + 1] = "0x";
	uint8_t key[IK_KEY_MAX];
	struct parse_err e;
	size_t len, i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(-1, parse_key(t[i].in, key, &len, &e))
			TH_LOG("input `%s'", t[i].in);
		ASSERT_STREQ(t[i].msg, e.msg);
	}
	memset(hex + 2, 'a', 2 * (IK_KEY_MAX + 1));
	ASSERT_EQ(-1, parse_key(hex, key, &len, &e));
	ASSERT_STREQ("invalid key: 65 bytes, at most 64", e.msg);
	/* A key is secret: no error may quote it. */
	ASSERT_EQ(-1, parse_key("0x0011223344556677z", key, &len, &e));
	ASSERT_NULL(strstr(e.msg, "0011"));
}

TEST(key_lengths)
{
	struct parse_err e;

	ASSERT_EQ(0, check_enc_key(IKESEC_ENC_AES_GCM_16, 20, &e));
	ASSERT_EQ(0, check_enc_key(IKESEC_ENC_AES_GCM_16, 36, &e));
	ASSERT_EQ(-1, check_enc_key(IKESEC_ENC_AES_GCM_16, 16, &e));
	ASSERT_STREQ("invalid aes-gcm key: 16 bytes, need 20 or 36 (16- or 32-byte key + 4-byte salt)",
		     e.msg);
	ASSERT_EQ(-1, check_enc_key(IKESEC_ENC_AES_GCM_16, 28, &e));
	ASSERT_EQ(0, check_enc_key(IKESEC_ENC_CHACHA20_POLY1305, 36, &e));
	ASSERT_EQ(-1, check_enc_key(IKESEC_ENC_CHACHA20_POLY1305, 32, &e));
	ASSERT_STREQ("invalid chacha20-poly1305 key: 32 bytes, need 36 (32-byte key + 4-byte salt)",
		     e.msg);
	ASSERT_EQ(0, check_enc_key(IKESEC_ENC_AES_CBC, 16, &e));
	ASSERT_EQ(0, check_enc_key(IKESEC_ENC_AES_CBC, 24, &e));
	ASSERT_EQ(0, check_enc_key(IKESEC_ENC_AES_CBC, 32, &e));
	ASSERT_EQ(-1, check_enc_key(IKESEC_ENC_AES_CBC, 20, &e));
	ASSERT_STREQ("invalid aes-cbc key: 20 bytes, need 16, 24 or 32", e.msg);
	ASSERT_EQ(0, check_auth_key(IKESEC_AUTH_HMAC_SHA256_128, 32, &e));
	ASSERT_EQ(-1, check_auth_key(IKESEC_AUTH_HMAC_SHA256_128, 20, &e));
	ASSERT_STREQ("invalid hmac-sha256 key: 20 bytes, need 32", e.msg);
	ASSERT_EQ(0, check_auth_key(IKESEC_AUTH_HMAC_SHA1_96, 20, &e));
	ASSERT_EQ(-1, check_auth_key(IKESEC_AUTH_HMAC_SHA1_96, 32, &e));
	ASSERT_STREQ("invalid hmac-sha1 key: 32 bytes, need 20", e.msg);
}

TEST(algorithms)
{
	struct parse_err e;
	uint16_t alg;

	ASSERT_EQ(0, parse_enc("aes-gcm", &alg, &e));
	ASSERT_EQ(IKESEC_ENC_AES_GCM_16, alg);
	ASSERT_EQ(0, parse_enc("rfc4106(gcm(aes))", &alg, &e));
	ASSERT_EQ(IKESEC_ENC_AES_GCM_16, alg);
	ASSERT_EQ(0, parse_enc("chacha20-poly1305", &alg, &e));
	ASSERT_EQ(IKESEC_ENC_CHACHA20_POLY1305, alg);
	ASSERT_EQ(0, parse_enc("rfc7539esp(chacha20,poly1305)", &alg, &e));
	ASSERT_EQ(IKESEC_ENC_CHACHA20_POLY1305, alg);
	ASSERT_EQ(0, parse_enc("AES-CBC", &alg, &e));
	ASSERT_EQ(IKESEC_ENC_AES_CBC, alg);
	ASSERT_EQ(-1, parse_enc("aes-ccm", &alg, &e));
	ASSERT_STREQ("invalid encryption algorithm `aes-ccm': use aes-gcm, chacha20-poly1305 or aes-cbc",
		     e.msg);
	ASSERT_EQ(-1, parse_enc("", &alg, &e));
	ASSERT_STREQ("invalid encryption algorithm `': use aes-gcm, chacha20-poly1305 or aes-cbc",
		     e.msg);

	ASSERT_EQ(0, parse_auth("hmac-sha256", &alg, &e));
	ASSERT_EQ(IKESEC_AUTH_HMAC_SHA256_128, alg);
	ASSERT_EQ(0, parse_auth("hmac(sha1)", &alg, &e));
	ASSERT_EQ(IKESEC_AUTH_HMAC_SHA1_96, alg);
	ASSERT_EQ(-1, parse_auth("hmac-md5", &alg, &e));
	ASSERT_STREQ("invalid integrity algorithm `hmac-md5': use hmac-sha256 or hmac-sha1",
		     e.msg);
	ASSERT_EQ(-1, parse_auth("none", &alg, &e));

	/* Canonical names only, never aliases. */
	ASSERT_STREQ("aes-gcm", enc_name(IKESEC_ENC_AES_GCM_16));
	ASSERT_STREQ("chacha20-poly1305",
		     enc_name(IKESEC_ENC_CHACHA20_POLY1305));
	ASSERT_STREQ("none", auth_name(IKESEC_AUTH_NONE));
	ASSERT_STREQ("hmac-sha1", auth_name(IKESEC_AUTH_HMAC_SHA1_96));
	ASSERT_NULL(enc_name(99));
	ASSERT_EQ(256U, enc_key_bits(IKESEC_ENC_CHACHA20_POLY1305));
	ASSERT_EQ(0U, enc_key_bits(IKESEC_ENC_AES_GCM_16));
	ASSERT_EQ(160U, auth_key_bits(IKESEC_AUTH_HMAC_SHA1_96));
}

TEST(keywords)
{
	struct parse_err e;
	uint8_t v;

	ASSERT_EQ(0, parse_dir("in", false, &v, &e));
	ASSERT_EQ(IKESEC_DIR_IN, v);
	ASSERT_EQ(0, parse_dir("out", false, &v, &e));
	ASSERT_EQ(IKESEC_DIR_OUT, v);
	ASSERT_EQ(0, parse_dir("fwd", true, &v, &e));
	ASSERT_EQ(IKESEC_DIR_FWD, v);
	ASSERT_EQ(-1, parse_dir("fwd", false, &v, &e));
	ASSERT_STREQ("invalid dir `fwd': an SA is in or out", e.msg);
	ASSERT_EQ(-1, parse_dir("up", false, &v, &e));
	ASSERT_STREQ("invalid dir `up': use in or out", e.msg);
	ASSERT_EQ(-1, parse_dir("up", true, &v, &e));
	ASSERT_STREQ("invalid dir `up': use in, out or fwd", e.msg);

	ASSERT_EQ(0, parse_mode("tunnel", &v, &e));
	ASSERT_EQ(IKESEC_MODE_TUNNEL, v);
	ASSERT_EQ(0, parse_mode("transport", &v, &e));
	ASSERT_EQ(IKESEC_MODE_TRANSPORT, v);
	ASSERT_EQ(-1, parse_mode("beet", &v, &e));
	ASSERT_STREQ("invalid mode `beet': use tunnel or transport", e.msg);

	ASSERT_EQ(0, parse_action("protect", &v, &e));
	ASSERT_EQ(IKESEC_ACTION_PROTECT, v);
	ASSERT_EQ(0, parse_action("bypass", &v, &e));
	ASSERT_EQ(IKESEC_ACTION_BYPASS, v);
	ASSERT_EQ(0, parse_action("discard", &v, &e));
	ASSERT_EQ(IKESEC_ACTION_DISCARD, v);
	ASSERT_EQ(-1, parse_action("drop", &v, &e));
	ASSERT_STREQ("invalid action `drop': use protect, bypass or discard",
		     e.msg);
}

TEST(proto)
{
	static const struct {
		const char *in;
		uint8_t proto;
	} good[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "ipv6-icmp", 58 },
		{ "icmpv6", 58 }, { "50", 50 }, { "0", 0 }, { "255", 255 },
	};
	struct parse_err e;
	uint8_t v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		ASSERT_EQ(0, parse_proto(good[i].in, &v, &e))
			TH_LOG("input `%s': %s", good[i].in, e.msg);
		ASSERT_EQ(good[i].proto, v);
	}
	ASSERT_EQ(-1, parse_proto("256", &v, &e));
	ASSERT_STREQ("invalid proto `256': use a name (tcp, udp, icmp or ipv6-icmp) or 0..255",
		     e.msg);
	ASSERT_EQ(-1, parse_proto("sctp", &v, &e));
	ASSERT_STREQ("invalid proto `sctp': use a name (tcp, udp, icmp or ipv6-icmp) or 0..255",
		     e.msg);
	ASSERT_STREQ("ipv6-icmp", proto_name(58));
	ASSERT_STREQ("any", proto_name(0));
	ASSERT_NULL(proto_name(50));
}

TEST(error_truncation)
{
	char longword[1024];
	struct parse_err e;
	uint32_t spi;

	/* A huge input still yields a terminated, quoted message. */
	memset(longword, 'z', sizeof(longword) - 1);
	longword[sizeof(longword) - 1] = '\0';
	ASSERT_EQ(-1, parse_spi(longword, &spi, &e));
	ASSERT_EQ(sizeof(e.msg) - 1, strlen(e.msg));
	ASSERT_EQ(0, strncmp(e.msg, "invalid SPI `zzz", 16));
}

TEST_HARNESS_MAIN
