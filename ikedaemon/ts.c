// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic selectors: configured -> wire form, narrowing (RFC 7296 2.9) as
 * the intersection of address ranges, protocols and port ranges.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ikev2.h"
#include "ts.h"

int ts_addr_len(const struct ts *ts)
{
	return ts->type == IKEV2_TS_IPV4_ADDR_RANGE ? 4 : 16;
}

static void set_host(struct ts *t, const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		t->type = IKEV2_TS_IPV4_ADDR_RANGE;
		memcpy(t->start, &sin->sin_addr, 4);
		memcpy(t->end, &sin->sin_addr, 4);
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		t->type = IKEV2_TS_IPV6_ADDR_RANGE;
		memcpy(t->start, &sin6->sin6_addr, 16);
		memcpy(t->end, &sin6->sin6_addr, 16);
	}
}

int ts_from_cfg(const struct cfg_ts *c, int n,
		const struct sockaddr_storage *dyn, struct ts *out, int max)
{
	int i, k = 0;

	for (i = 0; i < n && k < max; i++, k++) {
		memset(&out[k], 0, sizeof(out[k]));
		if (c[i].dynamic) {
			set_host(&out[k], dyn);
		} else {
			out[k].type = c[i].family == AF_INET ?
				      IKEV2_TS_IPV4_ADDR_RANGE :
				      IKEV2_TS_IPV6_ADDR_RANGE;
			memcpy(out[k].start, c[i].start, 16);
			memcpy(out[k].end, c[i].end, 16);
		}
		out[k].proto = c[i].proto;
		out[k].sport = c[i].port_start;
		out[k].eport = c[i].port_end;
	}
	return k;
}

static const uint8_t *max_addr(const uint8_t *a, const uint8_t *b, int len)
{
	return memcmp(a, b, len) >= 0 ? a : b;
}

static const uint8_t *min_addr(const uint8_t *a, const uint8_t *b, int len)
{
	return memcmp(a, b, len) <= 0 ? a : b;
}

/* a ∩ b into out; false if empty. */
static bool intersect(const struct ts *a, const struct ts *b, struct ts *out)
{
	int len = ts_addr_len(a);

	if (a->type != b->type)
		return false;
	if (a->proto && b->proto && a->proto != b->proto)
		return false;
	memset(out, 0, sizeof(*out));
	out->type = a->type;
	out->proto = a->proto ? a->proto : b->proto;
	out->sport = a->sport > b->sport ? a->sport : b->sport;
	out->eport = a->eport < b->eport ? a->eport : b->eport;
	if (out->sport > out->eport)
		return false;
	memcpy(out->start, max_addr(a->start, b->start, len), len);
	memcpy(out->end, min_addr(a->end, b->end, len), len);
	return memcmp(out->start, out->end, len) <= 0;
}

int ts_narrow(const struct ts *prop, int n_prop, const struct ts *cfg,
	      int n_cfg, struct ts *out, int max)
{
	int i, j, k, n = 0;
	struct ts t;

	for (i = 0; i < n_prop; i++)
		for (j = 0; j < n_cfg; j++) {
			if (!intersect(&prop[i], &cfg[j], &t))
				continue;
			for (k = 0; k < n; k++)
				if (ts_equal(&out[k], &t))
					break;
			if (k == n && n < max)
				out[n++] = t;
		}
	return n;
}

bool ts_equal(const struct ts *a, const struct ts *b)
{
	int len = ts_addr_len(a);

	return a->type == b->type && a->proto == b->proto &&
	       a->sport == b->sport && a->eport == b->eport &&
	       !memcmp(a->start, b->start, len) &&
	       !memcmp(a->end, b->end, len);
}

int ts_prefixlen(const struct ts *ts)
{
	int len = ts_addr_len(ts), bits, i;
	uint8_t mask;

	/* find the first bit where start and end differ; all bits after
	 * it must be 0 in start and 1 in end
	 */
	for (bits = 0; bits < len * 8; bits++) {
		mask = 0x80 >> (bits % 8);
		if ((ts->start[bits / 8] & mask) != (ts->end[bits / 8] & mask))
			break;
	}
	for (i = bits; i < len * 8; i++) {
		mask = 0x80 >> (i % 8);
		if ((ts->start[i / 8] & mask) || !(ts->end[i / 8] & mask))
			return -1;
	}
	return bits;
}

void ts_format(const struct ts *ts, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int af = ts->type == IKEV2_TS_IPV4_ADDR_RANGE ? AF_INET : AF_INET6;
	int plen = ts_prefixlen(ts);
	size_t off;

	inet_ntop(af, ts->start, a, sizeof(a));
	inet_ntop(af, ts->end, b, sizeof(b));
	if (plen >= 0)
		off = (size_t)snprintf(buf, size, "%s/%d", a, plen);
	else
		off = (size_t)snprintf(buf, size, "%s..%s", a, b);
	if (off >= size || (!ts->proto && !ts->sport && ts->eport == 65535))
		return;
	if (ts->sport == 0 && ts->eport == 65535)
		snprintf(buf + off, size - off, "[%u]", ts->proto);
	else if (ts->sport == ts->eport)
		snprintf(buf + off, size - off, "[%u/%u]", ts->proto,
			 ts->sport);
	else
		snprintf(buf + off, size - off, "[%u/%u-%u]", ts->proto,
			 ts->sport, ts->eport);
}

void ts_format_list(const struct ts *ts, int n, char *buf, size_t size)
{
	char one[TS_TEXT_MAX];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < size; i++) {
		ts_format(&ts[i], one, sizeof(one));
		off += snprintf(buf + off, size - off, "%s%s", i ? " " : "",
				one);
	}
	if (!n)
		snprintf(buf, size, "(none)");
}
