// SPDX-License-Identifier: GPL-2.0
/* Command line words to values; see parse.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/ikesec.h>

#include "parse.h"

struct keyword {
	const char *name;
	unsigned int value;
	bool alias;		/* accepted, never printed */
};

static const struct keyword dirs[] = {
	{ "in", IKESEC_DIR_IN, false },
	{ "out", IKESEC_DIR_OUT, false },
	{ "fwd", IKESEC_DIR_FWD, false },
	{ .name = NULL }
};

static const struct keyword modes[] = {
	{ "tunnel", IKESEC_MODE_TUNNEL, false },
	{ "transport", IKESEC_MODE_TRANSPORT, false },
	{ .name = NULL }
};

static const struct keyword encs[] = {
	{ "aes-gcm", IKESEC_ENC_AES_GCM_16, false },
	{ "rfc4106(gcm(aes))", IKESEC_ENC_AES_GCM_16, true },
	{ "chacha20-poly1305", IKESEC_ENC_CHACHA20_POLY1305, false },
	{ "rfc7539esp(chacha20,poly1305)", IKESEC_ENC_CHACHA20_POLY1305, true },
	{ "aes-cbc", IKESEC_ENC_AES_CBC, false },
	{ "cbc(aes)", IKESEC_ENC_AES_CBC, true },
	{ .name = NULL }
};

static const struct keyword auths[] = {
	{ "hmac-sha256", IKESEC_AUTH_HMAC_SHA256_128, false },
	{ "hmac(sha256)", IKESEC_AUTH_HMAC_SHA256_128, true },
	{ "hmac-sha1", IKESEC_AUTH_HMAC_SHA1_96, false },
	{ "hmac(sha1)", IKESEC_AUTH_HMAC_SHA1_96, true },
	{ .name = NULL }
};

static const struct keyword protos[] = {
	{ "tcp", IPPROTO_TCP, false },
	{ "udp", IPPROTO_UDP, false },
	{ "icmp", IPPROTO_ICMP, false },
	{ "ipv6-icmp", IPPROTO_ICMPV6, false },
	{ "icmpv6", IPPROTO_ICMPV6, true },
	{ .name = NULL }
};

static const struct keyword actions[] = {
	{ "protect", IKESEC_ACTION_PROTECT, false },
	{ "bypass", IKESEC_ACTION_BYPASS, false },
	{ "discard", IKESEC_ACTION_DISCARD, false },
	{ .name = NULL }
};

int parse_fail(struct parse_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static const struct keyword *kw_find(const struct keyword *t, const char *s)
{
	for (; t->name; t++)
		if (!strcasecmp(t->name, s))
			return t;
	return NULL;
}

static const char *kw_name(const struct keyword *t, unsigned int value)
{
	for (; t->name; t++)
		if (t->value == value && !t->alias)
			return t->name;
	return NULL;
}

/* "a, b or c" into buf, aliases left out. */
static const char *kw_list(const struct keyword *t, char *buf, size_t size)
{
	size_t n = 0;
	int i, count = 0;

	for (i = 0; t[i].name; i++)
		count += !t[i].alias;
	buf[0] = '\0';
	for (i = 0; t[i].name && n < size; i++) {
		if (t[i].alias)
			continue;
		n += snprintf(buf + n, size - n, "%s%s",
			      !n ? "" : --count == 1 ? " or " : ", ", t[i].name);
	}
	return buf;
}

static int kw_parse(const struct keyword *t, const char *what, const char *s,
		    unsigned int *value, struct parse_err *e)
{
	const struct keyword *k = kw_find(t, s);
	char list[160];

	if (!k)
		return parse_fail(e, "invalid %s `%s': use %s", what, s,
				  kw_list(t, list, sizeof(list)));
	*value = k->value;
	return 0;
}

/* Decimal or 0x-hex; digits only, so no sign, space or double prefix. */
static int parse_num(const char *s, uint64_t *out)
{
	const char *digits = "0123456789";
	const char *p = s;
	int base = 10;
	char *end;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		digits = "0123456789abcdefABCDEF";
		base = 16;
		p += 2;
	}
	if (!*p || p[strspn(p, digits)] != '\0')
		return -1;
	errno = 0;
	*out = strtoull(p, &end, base);
	return errno || *end ? -1 : 0;
}

int parse_u64(const char *what, const char *s, uint64_t min, uint64_t max,
	      uint64_t *out, struct parse_err *e)
{
	uint64_t v = 0;

	if (parse_num(s, &v))
		return parse_fail(e, "invalid %s `%s'", what, s);
	if (v < min || v > max)
		return parse_fail(e, "invalid %s `%s': must be %llu..%llu",
				  what, s, (unsigned long long)min,
				  (unsigned long long)max);
	*out = v;
	return 0;
}

int parse_u32(const char *what, const char *s, uint32_t min, uint32_t max,
	      uint32_t *out, struct parse_err *e)
{
	uint64_t v = 0;

	if (parse_u64(what, s, min, max, &v, e))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int parse_spi(const char *s, uint32_t *spi, struct parse_err *e)
{
	uint64_t v = 0;

	if (parse_num(s, &v) || v > UINT32_MAX)
		return parse_fail(e, "invalid SPI `%s'", s);
	if (v < 256)
		return parse_fail(e,
			"invalid SPI `%s': 0..255 are reserved (RFC 4303), use 256 (0x100) or above",
			s);
	*spi = (uint32_t)v;
	return 0;
}

size_t ik_addr_len(const struct ik_addr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

int parse_addr(const char *s, struct ik_addr *a, struct parse_err *e)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return parse_fail(e, "invalid address `%s'", s);
}

/* Clear the bits past len; return whether any were set. */
static bool mask_host_bits(struct ik_addr *a, unsigned int len)
{
	unsigned int i, bits = ik_addr_len(a) * 8;
	bool set = false;

	for (i = len; i < bits; i++) {
		uint8_t bit = 0x80 >> (i % 8);

		if (a->b[i / 8] & bit)
			set = true;
		a->b[i / 8] &= ~bit;
	}
	return set;
}

int parse_prefix(const char *s, struct ik_prefix *p, struct parse_err *e)
{
	char addr[INET6_ADDRSTRLEN + 1], net[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int max;
	uint64_t len;

	memset(p, 0, sizeof(*p));
	if (alen >= sizeof(addr))
		return parse_fail(e, "invalid prefix `%s'", s);
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (parse_addr(addr, &p->addr, e))
		return parse_fail(e, "invalid prefix `%s'", s);
	max = ik_addr_len(&p->addr) * 8;
	len = max;
	if (slash && (parse_num(slash + 1, &len) || len > max))
		return parse_fail(e,
			"invalid prefix `%s': length must be 0..%u", s, max);
	p->len = (uint8_t)len;
	if (mask_host_bits(&p->addr, p->len)) {
		inet_ntop(p->addr.family, p->addr.b, net, sizeof(net));
		return parse_fail(e,
			"invalid prefix `%s': host bits set, did you mean %s/%u?",
			s, net, p->len);
	}
	return 0;
}

int parse_ports(const char *s, struct ik_ports *p, struct parse_err *e)
{
	const char *dash = strchr(s, '-');
	char first[8];
	uint64_t lo, hi;

	if (!dash) {
		if (parse_num(s, &lo) || lo > 65535)
			return parse_fail(e,
				"invalid port `%s': use 0..65535 or a range like 1000-2000",
				s);
		p->min = p->max = (uint16_t)lo;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(first))
		return parse_fail(e, "invalid port range `%s'", s);
	memcpy(first, s, dash - s);
	first[dash - s] = '\0';
	if (parse_num(first, &lo) || parse_num(dash + 1, &hi) ||
	    lo > 65535 || hi > 65535)
		return parse_fail(e,
			"invalid port range `%s': use FIRST-LAST, each 0..65535",
			s);
	if (lo > hi)
		return parse_fail(e,
			"invalid port range `%s': first port above last", s);
	p->min = (uint16_t)lo;
	p->max = (uint16_t)hi;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Never quote the input: it is secret. */
int parse_key(const char *s, uint8_t key[IK_KEY_MAX], size_t *len,
	      struct parse_err *e)
{
	size_t i, n;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (!n)
		return parse_fail(e, "invalid key: no hex digits");
	for (i = 0; i < n; i++)
		if (hexval(s[i]) < 0)
			return parse_fail(e,
				"invalid key: hex digit %zu is not 0-9 or a-f",
				i + 1);
	if (n % 2)
		return parse_fail(e,
			"invalid key: odd number of hex digits (%zu)", n);
	if (n / 2 > IK_KEY_MAX)
		return parse_fail(e, "invalid key: %zu bytes, at most %d",
				  n / 2, IK_KEY_MAX);
	for (i = 0; i < n / 2; i++)
		key[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
	*len = n / 2;
	return 0;
}

int parse_dir(const char *s, bool allow_fwd, uint8_t *dir,
	      struct parse_err *e)
{
	unsigned int v;

	if (!allow_fwd && !strcasecmp(s, "fwd"))
		return parse_fail(e, "invalid dir `%s': an SA is in or out", s);
	if (!allow_fwd && !kw_find(dirs, s))
		return parse_fail(e, "invalid dir `%s': use in or out", s);
	if (kw_parse(dirs, "dir", s, &v, e))
		return -1;
	*dir = (uint8_t)v;
	return 0;
}

int parse_mode(const char *s, uint8_t *mode, struct parse_err *e)
{
	unsigned int v;

	if (kw_parse(modes, "mode", s, &v, e))
		return -1;
	*mode = (uint8_t)v;
	return 0;
}

int parse_enc(const char *s, uint16_t *alg, struct parse_err *e)
{
	unsigned int v;

	if (kw_parse(encs, "encryption algorithm", s, &v, e))
		return -1;
	*alg = (uint16_t)v;
	return 0;
}

int parse_auth(const char *s, uint16_t *alg, struct parse_err *e)
{
	unsigned int v;

	if (kw_parse(auths, "integrity algorithm", s, &v, e))
		return -1;
	*alg = (uint16_t)v;
	return 0;
}

int parse_proto(const char *s, uint8_t *proto, struct parse_err *e)
{
	const struct keyword *k = kw_find(protos, s);
	char list[80];
	uint64_t v = 0;

	if (k) {
		*proto = (uint8_t)k->value;
		return 0;
	}
	if (parse_num(s, &v) || v > 255)
		return parse_fail(e,
				  "invalid proto `%s': use a name (%s) or 0..255", s,
				  kw_list(protos, list, sizeof(list)));
	*proto = (uint8_t)v;
	return 0;
}

int parse_action(const char *s, uint8_t *action, struct parse_err *e)
{
	unsigned int v;

	if (kw_parse(actions, "action", s, &v, e))
		return -1;
	*action = (uint8_t)v;
	return 0;
}

int check_enc_key(uint16_t alg, size_t len, struct parse_err *e)
{
	switch (alg) {
	case IKESEC_ENC_AES_GCM_16:
		if (len == 20 || len == 36)
			return 0;
		return parse_fail(e,
			"invalid aes-gcm key: %zu bytes, need 20 or 36 (16- or 32-byte key + 4-byte salt)",
			len);
	case IKESEC_ENC_CHACHA20_POLY1305:
		if (len == 36)
			return 0;
		return parse_fail(e,
			"invalid chacha20-poly1305 key: %zu bytes, need 36 (32-byte key + 4-byte salt)",
			len);
	case IKESEC_ENC_AES_CBC:
		if (len == 16 || len == 24 || len == 32)
			return 0;
		return parse_fail(e,
			"invalid aes-cbc key: %zu bytes, need 16, 24 or 32",
			len);
	}
	return parse_fail(e, "unknown encryption algorithm %u", alg);
}

int check_auth_key(uint16_t alg, size_t len, struct parse_err *e)
{
	size_t want;

	switch (alg) {
	case IKESEC_AUTH_HMAC_SHA256_128:
		want = 32;
		break;
	case IKESEC_AUTH_HMAC_SHA1_96:
		want = 20;
		break;
	default:
		return parse_fail(e, "unknown integrity algorithm %u", alg);
	}
	if (len == want)
		return 0;
	return parse_fail(e, "invalid %s key: %zu bytes, need %zu",
			  auth_name(alg), len, want);
}

const char *dir_name(unsigned int dir)
{
	return kw_name(dirs, dir);
}

const char *mode_name(unsigned int mode)
{
	return kw_name(modes, mode);
}

const char *enc_name(unsigned int alg)
{
	return kw_name(encs, alg);
}

const char *auth_name(unsigned int alg)
{
	return alg == IKESEC_AUTH_NONE ? "none" : kw_name(auths, alg);
}

const char *proto_name(unsigned int proto)
{
	return proto ? kw_name(protos, proto) : "any";
}

const char *action_name(unsigned int action)
{
	return kw_name(actions, action);
}

unsigned int enc_key_bits(unsigned int alg)
{
	return alg == IKESEC_ENC_CHACHA20_POLY1305 ? 256 : 0;
}

unsigned int auth_key_bits(unsigned int alg)
{
	switch (alg) {
	case IKESEC_AUTH_HMAC_SHA256_128:
		return 256;
	case IKESEC_AUTH_HMAC_SHA1_96:
		return 160;
	}
	return 0;
}
