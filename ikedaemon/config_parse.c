// SPDX-License-Identifier: GPL-2.0
/*
 * swanctl.conf values: numbers, durations, sizes, booleans, addresses,
 * traffic selectors, identities and secrets. Every rejection quotes the
 * value as written.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "config_parse.h"
#include "ikev2.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Decimal or 0x hex, nothing else: no sign, no blanks, no suffix. */
static int number(const char *s, const char **end, uint64_t *v)
{
	int base = 10;
	uint64_t n = 0, d;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit((unsigned char)p[2])) {
		base = 16;
		p += 2;
	}
	if (!isxdigit((unsigned char)*p))
		return -1;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			break;
		if (n > (UINT64_MAX - d) / base)
			return -1;
		n = n * base + d;
	}
	*v = n;
	*end = p;
	return 0;
}

int config_parse_uint(const char *s, uint64_t max, uint64_t *v, char *err,
		      size_t errlen)
{
	const char *end;

	if (number(s, &end, v) || *end) {
		snprintf(err, errlen, "invalid number `%s'", s);
		return -1;
	}
	if (*v > max) {
		snprintf(err, errlen, "`%s' is too large (max %llu)", s,
			 (unsigned long long)max);
		return -1;
	}
	return 0;
}

static int scaled(const char *s, const char *units, const uint64_t *mult,
		  uint64_t max, uint64_t *v)
{
	const char *end, *u;
	uint64_t n;

	if (number(s, &end, &n))
		return -1;
	if (*end) {
		u = strchr(units, *end);
		if (!u || end[1])
			return -1;
		if (n > max / mult[u - units])
			return -2;
		n *= mult[u - units];
	}
	if (n > max)
		return -2;
	*v = n;
	return 0;
}

int config_parse_duration(const char *s, uint32_t *v, char *err,
			  size_t errlen)
{
	static const uint64_t mult[] = { 1, 60, 3600, 86400 };
	uint64_t n;
	int r = scaled(s, "smhd", mult, UINT32_MAX, &n);

	if (r == -1)
		snprintf(err, errlen, "invalid duration `%s' (a number, optionally with s, m, h or d)",
			 s);
	else if (r)
		snprintf(err, errlen, "duration `%s' is too long", s);
	else
		*v = n;
	return r ? -1 : 0;
}

int config_parse_size(const char *s, uint64_t *v, char *err, size_t errlen)
{
	static const uint64_t mult[] = { 1ULL << 10, 1ULL << 20, 1ULL << 30,
					 1ULL << 40 };
	int r = scaled(s, "KMGT", mult, UINT64_MAX, v);

	if (r == -1)
		snprintf(err, errlen, "invalid size `%s' (a number, optionally with K, M, G or T)",
			 s);
	else if (r)
		snprintf(err, errlen, "size `%s' is too large", s);
	return r ? -1 : 0;
}

int config_parse_bool(const char *s, bool *v, char *err, size_t errlen)
{
	static const char *const yes[] = { "yes", "true", "enabled", "1" };
	static const char *const no[] = { "no", "false", "disabled", "0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i])) {
			*v = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*v = false;
			return 0;
		}
	}
	snprintf(err, errlen, "invalid boolean `%s' (yes or no)", s);
	return -1;
}

/* An address into family/bytes; 0 or -1. */
static int addr_bytes(const char *s, int *family, uint8_t b[16])
{
	memset(b, 0, 16);
	if (inet_pton(AF_INET, s, b) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

int config_parse_addr(const char *s, struct sockaddr_storage *ss, char *err,
		      size_t errlen)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	uint8_t b[16];
	int family;

	memset(ss, 0, sizeof(*ss));
	if (addr_bytes(s, &family, b)) {
		snprintf(err, errlen, "invalid address `%s' (an IPv4 or IPv6 address; names, subnets and ranges are not supported)",
			 s);
		return -1;
	}
	ss->ss_family = family;
	if (family == AF_INET)
		memcpy(&sin->sin_addr, b, 4);
	else
		memcpy(&sin6->sin6_addr, b, 16);
	return 0;
}

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 },
	{ "esp", 50 }, { "ipv6-icmp", 58 }, { "icmpv6", 58 }, { "sctp", 132 },
};

/* "tcp", "17", "%any" */
static int ts_proto(const char *s, uint8_t *proto)
{
	uint64_t v;
	const char *end;
	size_t i;

	if (!strcmp(s, "%any") || !*s) {
		*proto = 0;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		if (!strcmp(s, protos[i].name)) {
			*proto = protos[i].proto;
			return 0;
		}
	}
	if (number(s, &end, &v) || *end || v > 255)
		return -1;
	*proto = v;
	return 0;
}

/* "80", "1000-2000", "%any" */
static int ts_ports(const char *s, struct cfg_ts *ts)
{
	uint64_t a, b;
	const char *end;

	if (!strcmp(s, "%any"))
		return 0;
	if (number(s, &end, &a) || a > 65535)
		return -1;
	b = a;
	if (*end == '-' && (number(end + 1, &end, &b) || b > 65535 || b < a))
		return -1;
	if (*end)
		return -1;
	ts->port_start = a;
	ts->port_end = b;
	return 0;
}

/* "10.0.0.0/8", "10.0.0.1-10.0.0.9", "2001:db8::1" into ts. */
static int ts_range(char *s, struct cfg_ts *ts)
{
	char *dash = strchr(s, '-'), *slash = strchr(s, '/');
	uint64_t plen;
	const char *end;
	int family, bits, i;

	if (dash) {
		*dash = '\0';
		if (addr_bytes(s, &ts->family, ts->start) ||
		    addr_bytes(dash + 1, &family, ts->end) ||
		    family != ts->family)
			return -1;
		return memcmp(ts->start, ts->end, 16) > 0 ? -1 : 0;
	}
	if (slash)
		*slash = '\0';
	if (addr_bytes(s, &ts->family, ts->start))
		return -1;
	bits = ts->family == AF_INET ? 32 : 128;
	plen = bits;
	if (slash && (number(slash + 1, &end, &plen) || *end ||
		      plen > (uint64_t)bits))
		return -1;
	memcpy(ts->end, ts->start, 16);
	for (i = plen; i < bits; i++) {
		ts->start[i / 8] &= ~(0x80 >> (i % 8));
		ts->end[i / 8] |= 0x80 >> (i % 8);
	}
	return 0;
}

int config_parse_ts(const char *s, struct cfg_ts *ts, char *err,
		    size_t errlen)
{
	char buf[128], *br, *slash;
	size_t n = strlen(s);

	memset(ts, 0, sizeof(*ts));
	ts->port_end = 65535;
	if (n >= sizeof(buf) || n >= sizeof(ts->text))
		goto bad;
	memcpy(buf, s, n + 1);
	snprintf(ts->text, sizeof(ts->text), "%s", s);
	br = strchr(buf, '[');
	if (br) {
		if (buf[n - 1] != ']')
			goto bad;
		buf[n - 1] = '\0';
		*br++ = '\0';
		slash = strchr(br, '/');
		if (slash)
			*slash++ = '\0';
		if (ts_proto(br, &ts->proto) || (slash && ts_ports(slash, ts)))
			goto bad;
	}
	if (!strcmp(buf, "dynamic")) {
		ts->dynamic = true;
		return 0;
	}
	if (!ts_range(buf, ts))
		return 0;
bad:
	snprintf(err, errlen, "invalid traffic selector `%s' (e.g. 10.1.0.0/16, 10.1.0.1-10.1.0.9, dynamic, 10.1.0.0/16[tcp/80])",
		 s);
	return -1;
}

static int hexval(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	if (isxdigit((unsigned char)c))
		return tolower((unsigned char)c) - 'a' + 10;
	return -1;
}

/* Hex digits (an even number of them) into out; -1 if not. */
static int hex_decode(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s), i;

	if (!n || n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = hi << 4 | lo;
	}
	*len = n / 2;
	return 0;
}

/* Base64 (with padding) into out; EVP_DecodeBlock counts the padding. */
static int b64_decode(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s), pad = 0;
	uint8_t *tmp;
	int r;

	if (!n || n % 4 || n / 4 * 3 > max + 2)
		return -1;
	if (s[n - 1] == '=')
		pad++;
	if (s[n - 2] == '=')
		pad++;
	tmp = malloc(n / 4 * 3);
	if (!tmp)
		return -1;
	r = EVP_DecodeBlock(tmp, (const unsigned char *)s, n);
	if (r < 0 || (size_t)r - pad > max || (size_t)r < pad) {
		explicit_bzero(tmp, n / 4 * 3);
		free(tmp);
		return -1;
	}
	*len = r - pad;
	memcpy(out, tmp, *len);
	explicit_bzero(tmp, n / 4 * 3);
	free(tmp);
	return 0;
}

int config_parse_secret(const char *s, uint8_t *out, size_t max,
			size_t *len, char *err, size_t errlen)
{
	/* Never quote a secret back: name its form only. */
	if (!strncmp(s, "0x", 2)) {
		if (!hex_decode(s + 2, out, max, len))
			return 0;
		snprintf(err, errlen, "invalid hex secret (0x and an even number of hex digits, at most %zu bytes)",
			 max);
		return -1;
	}
	if (!strncmp(s, "0s", 2)) {
		if (!b64_decode(s + 2, out, max, len) && *len)
			return 0;
		snprintf(err, errlen, "invalid base64 secret (0s and base64, at most %zu bytes)",
			 max);
		return -1;
	}
	*len = strlen(s);
	if (!*len || *len > max) {
		snprintf(err, errlen, "the secret must be 1 to %zu bytes", max);
		return -1;
	}
	memcpy(out, s, *len);
	return 0;
}

/* strongSwan's DN keywords OpenSSL does not know by these names. */
static const char *dn_key(const char *k)
{
	if (!strcasecmp(k, "E") || !strcasecmp(k, "email"))
		return "emailAddress";
	return k;
}

/* "C=CH, O=Org, CN=host" as DER, through OpenSSL's X509_NAME. */
static int dn_encode(const char *s, struct cfg_id *id)
{
	X509_NAME *name = X509_NAME_new();
	char *copy = strdup(s), *rdn, *save = NULL, *eq, *k, *v, *e;
	unsigned char *der = NULL;
	int len, ret = -1;

	if (!name || !copy)
		goto out;
	for (rdn = strtok_r(copy, ",/", &save); rdn;
	     rdn = strtok_r(NULL, ",/", &save)) {
		eq = strchr(rdn, '=');
		if (!eq)
			goto out;
		*eq = '\0';
		for (k = rdn; isspace((unsigned char)*k); k++)
			;
		for (e = eq; e > k && isspace((unsigned char)e[-1]); e--)
			e[-1] = '\0';
		for (v = eq + 1; isspace((unsigned char)*v); v++)
			;
		for (e = v + strlen(v); e > v && isspace((unsigned char)e[-1]);
		     e--)
			e[-1] = '\0';
		if (!*k || !*v || OBJ_txt2nid(dn_key(k)) == NID_undef)
			goto out;
		if (!X509_NAME_add_entry_by_txt(name, dn_key(k), MBSTRING_UTF8,
						(unsigned char *)v, -1, -1, 0))
			goto out;
	}
	if (X509_NAME_entry_count(name) == 0)
		goto out;
	len = i2d_X509_NAME(name, &der);
	if (len <= 0 || (size_t)len > sizeof(id->data))
		goto out;
	memcpy(id->data, der, len);
	id->len = len;
	id->type = IKEV2_ID_DER_ASN1_DN;
	ret = 0;
out:
	OPENSSL_free(der);
	X509_NAME_free(name);
	free(copy);
	return ret;
}

static int id_text(struct cfg_id *id, uint8_t type, const char *s)
{
	size_t n = strlen(s);

	if (!n || n > sizeof(id->data))
		return -1;
	id->type = type;
	memcpy(id->data, s, n);
	id->len = n;
	return 0;
}

/* The rules of strongSwan's identification_create_from_string(). */
int config_parse_id(const char *s, struct cfg_id *id, char *err,
		    size_t errlen)
{
	int family, r;
	uint8_t b[16];
	size_t len;

	memset(id, 0, sizeof(*id));
	len = strlen(s);
	if (len >= sizeof(id->text))
		goto bad;
	/* Not snprintf: with -fsanitize, gcc 12 warns about a NULL %s. */
	memcpy(id->text, s, len + 1);
	if (!strcmp(s, "%any") || !strcmp(s, "%any6"))
		return 0;
	if (strchr(s, '=')) {
		r = dn_encode(s, id);
	} else if (!addr_bytes(s, &family, b)) {
		id->type = family == AF_INET ? IKEV2_ID_IPV4_ADDR :
			   IKEV2_ID_IPV6_ADDR;
		id->len = family == AF_INET ? 4 : 16;
		memcpy(id->data, b, id->len);
		r = 0;
	} else if (!strncmp(s, "@#", 2)) {
		r = hex_decode(s + 2, id->data, sizeof(id->data), &id->len);
		id->type = IKEV2_ID_KEY_ID;
	} else if (!strncmp(s, "@@", 2)) {
		r = id_text(id, IKEV2_ID_RFC822_ADDR, s + 2);
	} else if (s[0] == '@') {
		r = id_text(id, IKEV2_ID_FQDN, s + 1);
	} else if (strchr(s, '@')) {
		r = id_text(id, IKEV2_ID_RFC822_ADDR, s);
	} else {
		r = id_text(id, IKEV2_ID_FQDN, s);
	}
	if (!r)
		return 0;
bad:
	memset(id, 0, sizeof(*id));
	snprintf(err, errlen, "invalid identity `%.200s'%s", s,
		 strchr(s, '=') ? " (a DN: C=.., O=.., CN=..)" : "");
	return -1;
}
