// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the swanctl.conf parser: the input is a whole
 * configuration (includes refused: no file system walks); what loads is
 * then run through the lookups and `show conns'. Short inputs are also
 * fed to the value parsers on their own.
 *   make -C ikedaemon fuzz [FUZZ_TIME=60]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_parse.h"
#include "config_priv.h"
#include "control.h"

static void lookups(const struct config *cfg)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(0xc0000201) };
	struct control_reply r = { 0 };
	const struct cfg_conn *out[4];
	struct cfg_id a, b;
	char err[256], buf[512];
	int i;

	config_parse_id("moon.example.org", &a, err, sizeof(err));
	config_parse_id("C=CH, O=Example, CN=sun", &b, err, sizeof(err));
	config_find_psk(cfg, &a, &b);
	config_find_psk(cfg, &b, &a);
	config_find_eap(cfg, &a);
	config_match_conn(cfg, (struct sockaddr *)&sin,
			  (struct sockaddr *)&sin, &a, &b, out, 4);
	config_match_conn(cfg, (struct sockaddr *)&sin,
			  (struct sockaddr *)&sin, NULL, NULL, out, 2);
	config_conn_candidates(cfg, (struct sockaddr *)&sin,
			       (struct sockaddr *)&sin, &b, &a, buf,
			       sizeof(buf));
	for (i = 0; i < cfg->n_conns; i++)
		config_find_conn(cfg, cfg->conns[i].name);
	for (i = 0; i < 2; i++) {
		r.json = i;
		control_show_conns(cfg, &r);
		free(r.buf);
		memset(&r, 0, sizeof(r));
	}
}

static void values(const uint8_t *data, size_t size)
{
	struct cfg_proposal p[CFG_MAX_PROPOSALS];
	struct sockaddr_storage ss;
	struct cfg_ts ts;
	struct cfg_id id, id2;
	uint8_t secret[256];
	char s[300], err[512];
	uint32_t d;
	uint64_t v;
	size_t len;
	bool b;
	int n = 0;

	if (size >= sizeof(s) || memchr(data, '\0', size))
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	config_parse_duration(s, &d, err, sizeof(err));
	config_parse_size(s, &v, err, sizeof(err));
	config_parse_uint(s, UINT32_MAX, &v, err, sizeof(err));
	config_parse_bool(s, &b, err, sizeof(err));
	config_parse_addr(s, &ss, err, sizeof(err));
	config_parse_ts(s, &ts, err, sizeof(err));
	config_parse_secret(s, secret, sizeof(secret), &len, err, sizeof(err));
	config_proposal_parse(s, size & 1, p, CFG_MAX_PROPOSALS, &n, err,
			      sizeof(err));
	if (!config_parse_id(s, &id, err, sizeof(err))) {
		id2 = id;
		config_id_match(&id, &id2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char err[1024];

	if (!config_load_untrusted("fuzz.conf", (const char *)data, size, true,
				   &cfg, err, sizeof(err))) {
		lookups(&cfg);
		config_free(&cfg);
	}
	values(data, size);
	return 0;
}
