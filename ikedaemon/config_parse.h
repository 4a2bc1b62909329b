/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for swanctl.conf values. Each returns 0, or -1 with a message
 * quoting the input in err (no FILE:LINE: config.c adds that).
 */
#ifndef IKEDAEMON_CONFIG_PARSE_H
#define IKEDAEMON_CONFIG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

int config_parse_uint(const char *s, uint64_t max, uint64_t *v, char *err,
		      size_t errlen);
/* 90, 90s, 30m, 4h, 2d; at most UINT32_MAX seconds. */
int config_parse_duration(const char *s, uint32_t *v, char *err,
			  size_t errlen);
/* 1000, 10K, 1M, 2G, 1T (powers of 1024). */
int config_parse_size(const char *s, uint64_t *v, char *err, size_t errlen);
/* yes/no, true/false, enabled/disabled, 1/0 */
int config_parse_bool(const char *s, bool *v, char *err, size_t errlen);
/* An IPv4 or IPv6 literal; port 0. */
int config_parse_addr(const char *s, struct sockaddr_storage *ss, char *err,
		      size_t errlen);
int config_parse_ts(const char *s, struct cfg_ts *ts, char *err,
		    size_t errlen);
/* config_proposal.c: a comma-separated list of proposals, appended to
 * p[*n] (max in all); "default" stands for config_default_ike/esp.
 */
int config_proposal_parse(const char *s, bool esp, struct cfg_proposal *p,
			   int max, int *n, char *err, size_t errlen);
/* plain text, 0x<hex> or 0s<base64> */
int config_parse_secret(const char *s, uint8_t *out, size_t max,
			size_t *len, char *err, size_t errlen);

extern const char config_default_ike[];
extern const char config_default_esp[];

#endif
