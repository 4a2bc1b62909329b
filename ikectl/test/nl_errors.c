// SPDX-License-Identifier: GPL-2.0
/*
 * Send requests the kernel must reject and let nl.c word the errors, to
 * check the extack decoding (message, attribute offset, failed policy)
 * against the real module. Needs it loaded: `make test/nl_errors', then
 * run as root where ikesec is loaded. Prints one error line per case;
 * exits non-zero if the kernel accepted any of them.
 */
#include <stdio.h>
#include <string.h>

#include <linux/ikesec.h>

#include "../nl.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const uint8_t key20[20];
static const uint8_t local4[4] = { 192, 0, 2, 1 }, peer4[4] = { 192, 0, 2, 2 };

/* A valid outbound AES-GCM SA, except for what the case adds. */
static void sa_base(struct ik_msg *m, bool dir)
{
	if (dir)
		ik_put_u8(m, IKESEC_SA_A_DIR, IKESEC_DIR_OUT);
	ik_put_u32(m, IKESEC_SA_A_SPI, 0x1000);
	ik_put_data(m, IKESEC_SA_A_LOCAL_IPV4, local4, 4);
	ik_put_data(m, IKESEC_SA_A_PEER_IPV4, peer4, 4);
	ik_put_u8(m, IKESEC_SA_A_MODE, IKESEC_MODE_TUNNEL);
	ik_put_u16(m, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_GCM_16);
	ik_put_data(m, IKESEC_SA_A_ENC_KEY, key20, sizeof(key20));
}

static void replay_window(struct ik_msg *m)
{
	sa_base(m, true);
	ik_put_u32(m, IKESEC_SA_A_REPLAY_WINDOW, 5000);
}

static void low_spi(struct ik_msg *m)
{
	ik_put_u8(m, IKESEC_SA_A_DIR, IKESEC_DIR_OUT);
	ik_put_u32(m, IKESEC_SA_A_SPI, 10);
}

static void short_addr(struct ik_msg *m)
{
	sa_base(m, true);
	ik_put_data(m, IKESEC_SA_A_PEER_IPV6, peer4, 4);
}

static void bad_flags(struct ik_msg *m)
{
	sa_base(m, true);
	ik_put_u32(m, IKESEC_SA_A_FLAGS, 0x6);
}

static void no_dir(struct ik_msg *m)
{
	sa_base(m, false);
}

static void cbc_no_auth(struct ik_msg *m)
{
	ik_put_u8(m, IKESEC_SA_A_DIR, IKESEC_DIR_IN);
	ik_put_u32(m, IKESEC_SA_A_SPI, 0x1001);
	ik_put_data(m, IKESEC_SA_A_LOCAL_IPV4, local4, 4);
	ik_put_data(m, IKESEC_SA_A_PEER_IPV4, peer4, 4);
	ik_put_u8(m, IKESEC_SA_A_MODE, IKESEC_MODE_TUNNEL);
	ik_put_u16(m, IKESEC_SA_A_ENC_ALG, IKESEC_ENC_AES_CBC);
	ik_put_data(m, IKESEC_SA_A_ENC_KEY, key20, 16);
}

static void long_key(struct ik_msg *m)
{
	static const uint8_t key40[40];

	sa_base(m, true);
	ik_put_data(m, IKESEC_SA_A_ENC_KEY, key40, sizeof(key40));
}

static void lifetime_u32(struct ik_msg *m)
{
	sa_base(m, true);
	ik_nest_start(m, IKESEC_SA_A_LIFETIME_HARD);
	ik_put_u32(m, IKESEC_LT_A_BYTES, 1000);
	ik_nest_end(m);
}

static void sel_plen(struct ik_msg *m)
{
	sa_base(m, true);
	ik_nest_start(m, IKESEC_SA_A_SELECTOR);
	ik_put_u8(m, IKESEC_SEL_A_SRC_PREFIXLEN, 200);
	ik_nest_end(m);
}

static void reply_only(struct ik_msg *m)
{
	sa_base(m, true);
	ik_nest_start(m, IKESEC_SA_A_STATS);
	ik_put_u64(m, IKESEC_SA_STAT_PACKETS, 1);
	ik_nest_end(m);
}

static void seq_no_esn(struct ik_msg *m)
{
	sa_base(m, true);
	ik_put_u64(m, IKESEC_SA_A_SEQ, 1ULL << 33);
}

static const struct {
	const char *name;
	void (*fill)(struct ik_msg *m);
} cases[] = {
	{ "replay-window 5000", replay_window },
	{ "spi 10", low_spi },
	{ "4-byte PEER_IPV6", short_addr },
	{ "flags 0x6", bad_flags },
	{ "no DIR", no_dir },
	{ "aes-cbc without auth", cbc_no_auth },
	{ "40-byte key", long_key },
	{ "u32 lifetime", lifetime_u32 },
	{ "prefix length 200", sel_plen },
	{ "STATS in a request", reply_only },
	{ "seq 2^33 without esn", seq_no_esn },
};

int main(void)
{
	struct ik_nl *nl;
	struct ik_msg *m;
	int accepted = 0;
	size_t i;

	if (ik_nl_open("nl_errors", &nl))
		return 1;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		m = ik_msg_new(nl, IKESEC_CMD_SA_NEW, false);
		if (!m)
			break;
		ik_nest_start(m, IKESEC_A_SA);
		cases[i].fill(m);
		ik_nest_end(m);
		if (!ik_nl_request(nl, m, cases[i].name, NULL)) {
			printf("%s: accepted!\n", cases[i].name);
			accepted++;
		}
		ik_msg_free(m);
	}
	ik_nl_close(nl);
	return accepted ? 1 : 0;
}
