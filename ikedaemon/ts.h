/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traffic selectors (RFC 7296 3.13) and their narrowing (2.9).
 */
#ifndef IKEDAEMON_TS_H
#define IKEDAEMON_TS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config.h"

#define TS_MAX		16
#define TS_TEXT_MAX	96

struct ts {
	uint8_t type;			/* IKEV2_TS_IPV4/6_ADDR_RANGE */
	uint8_t proto;			/* 0 = any */
	uint16_t sport, eport;		/* host order */
	uint8_t start[16], end[16];	/* network order; 4 used for IPv4 */
};

/* Configured selectors -> wire form; "dynamic" becomes addr/32 (/128). */
int ts_from_cfg(const struct cfg_ts *c, int n,
		const struct sockaddr_storage *dyn, struct ts *out, int max);
/*
 * The intersection of what the peer proposed with what we allow: every
 * non-empty (proposed ∩ configured) pair, RFC 7296 2.9. Returns the count
 * (0 = TS_UNACCEPTABLE).
 */
int ts_narrow(const struct ts *prop, int n_prop, const struct ts *cfg,
	      int n_cfg, struct ts *out, int max);
/* "10.1.0.0/24", "10.1.0.1-10.1.0.9", with "[tcp/80]" when narrowed. */
void ts_format(const struct ts *ts, char *buf, size_t size);
void ts_format_list(const struct ts *ts, int n, char *buf, size_t size);
/* The prefix length if [start, end] is exactly one prefix, else -1. */
int ts_prefixlen(const struct ts *ts);
int ts_addr_len(const struct ts *ts);
bool ts_equal(const struct ts *a, const struct ts *b);

#endif
