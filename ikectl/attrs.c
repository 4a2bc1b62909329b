// SPDX-License-Identifier: GPL-2.0
/* Names of the ikesec attributes; see attrs.h. */
#include <stddef.h>

#include <linux/ikesec.h>

#include "attrs.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* An attribute, and one that contains the attributes of space. */
#define ATTR(type, kw)		[type] = { #type, kw, NULL }
#define NEST(type, kw, space)	[type] = { #type, kw, &space }

static const struct attr_desc lifetime_attrs[IKESEC_LT_A_MAX + 1] = {
	ATTR(IKESEC_LT_A_BYTES, NULL),
	ATTR(IKESEC_LT_A_PACKETS, NULL),
	ATTR(IKESEC_LT_A_SECONDS, NULL),
	ATTR(IKESEC_LT_A_PAD, NULL),
};

static const struct attr_space lifetime_space = {
	IKESEC_LT_A_MAX, lifetime_attrs
};

static const struct attr_desc sel_attrs[IKESEC_SEL_A_MAX + 1] = {
	ATTR(IKESEC_SEL_A_SRC_IPV4, "source prefix"),
	ATTR(IKESEC_SEL_A_SRC_IPV6, "source prefix"),
	ATTR(IKESEC_SEL_A_SRC_PREFIXLEN, "source prefix length"),
	ATTR(IKESEC_SEL_A_DST_IPV4, "destination prefix"),
	ATTR(IKESEC_SEL_A_DST_IPV6, "destination prefix"),
	ATTR(IKESEC_SEL_A_DST_PREFIXLEN, "destination prefix length"),
	ATTR(IKESEC_SEL_A_PROTO, "proto"),
	ATTR(IKESEC_SEL_A_SPORT_MIN, "sport"),
	ATTR(IKESEC_SEL_A_SPORT_MAX, "sport"),
	ATTR(IKESEC_SEL_A_DPORT_MIN, "dport"),
	ATTR(IKESEC_SEL_A_DPORT_MAX, "dport"),
};

static const struct attr_space sel_space = { IKESEC_SEL_A_MAX, sel_attrs };

static const struct attr_desc sa_attrs[IKESEC_SA_A_MAX + 1] = {
	ATTR(IKESEC_SA_A_DIR, "dir"),
	ATTR(IKESEC_SA_A_SPI, "spi"),
	ATTR(IKESEC_SA_A_MODE, "mode"),
	ATTR(IKESEC_SA_A_LOCAL_IPV4, "src (out) or dst (in)"),
	ATTR(IKESEC_SA_A_LOCAL_IPV6, "src (out) or dst (in)"),
	ATTR(IKESEC_SA_A_PEER_IPV4, "dst (out) or src (in)"),
	ATTR(IKESEC_SA_A_PEER_IPV6, "dst (out) or src (in)"),
	ATTR(IKESEC_SA_A_ENC_ALG, "enc ALG"),
	ATTR(IKESEC_SA_A_ENC_KEY, "enc ALG KEY"),
	ATTR(IKESEC_SA_A_AUTH_ALG, "auth ALG"),
	ATTR(IKESEC_SA_A_AUTH_KEY, "auth ALG KEY"),
	ATTR(IKESEC_SA_A_FLAGS, "esn"),
	ATTR(IKESEC_SA_A_REPLAY_WINDOW, "replay-window"),
	ATTR(IKESEC_SA_A_SEQ, "seq"),
	ATTR(IKESEC_SA_A_REQID, "reqid"),
	ATTR(IKESEC_SA_A_ENCAP_SPORT, "encap"),
	ATTR(IKESEC_SA_A_ENCAP_DPORT, "encap"),
	NEST(IKESEC_SA_A_LIFETIME_SOFT, "soft-bytes/-packets/-seconds",
	     lifetime_space),
	NEST(IKESEC_SA_A_LIFETIME_HARD, "hard-bytes/-packets/-seconds",
	     lifetime_space),
	NEST(IKESEC_SA_A_CURLIFE, NULL, lifetime_space),
	NEST(IKESEC_SA_A_SELECTOR, "sel", sel_space),
	ATTR(IKESEC_SA_A_STATS, NULL),
	ATTR(IKESEC_SA_A_PAD, NULL),
	ATTR(IKESEC_SA_A_NEW_PEER_IPV4, "new peer"),
	ATTR(IKESEC_SA_A_NEW_PEER_IPV6, "new peer"),
	ATTR(IKESEC_SA_A_ENC_KEY_BITS, NULL),
	ATTR(IKESEC_SA_A_AUTH_KEY_BITS, NULL),
};

static const struct attr_space sa_space = { IKESEC_SA_A_MAX, sa_attrs };

static const struct attr_desc tmpl_attrs[IKESEC_TMPL_A_MAX + 1] = {
	ATTR(IKESEC_TMPL_A_REQID, "tmpl reqid"),
	ATTR(IKESEC_TMPL_A_MODE, "tmpl mode"),
	ATTR(IKESEC_TMPL_A_LOCAL_IPV4, "tmpl src (out) or dst (in, fwd)"),
	ATTR(IKESEC_TMPL_A_LOCAL_IPV6, "tmpl src (out) or dst (in, fwd)"),
	ATTR(IKESEC_TMPL_A_PEER_IPV4, "tmpl dst (out) or src (in, fwd)"),
	ATTR(IKESEC_TMPL_A_PEER_IPV6, "tmpl dst (out) or src (in, fwd)"),
	ATTR(IKESEC_TMPL_A_ENC_ALG, "tmpl enc"),
};

static const struct attr_space tmpl_space = { IKESEC_TMPL_A_MAX, tmpl_attrs };

static const struct attr_desc pol_attrs[IKESEC_POL_A_MAX + 1] = {
	ATTR(IKESEC_POL_A_ID, "id"),
	ATTR(IKESEC_POL_A_DIR, "dir"),
	ATTR(IKESEC_POL_A_ACTION, "action"),
	ATTR(IKESEC_POL_A_PRIORITY, "priority"),
	NEST(IKESEC_POL_A_SELECTOR, "src/dst/proto/sport/dport", sel_space),
	NEST(IKESEC_POL_A_TEMPLATE, "tmpl", tmpl_space),
	ATTR(IKESEC_POL_A_HITS, NULL),
	ATTR(IKESEC_POL_A_PAD, NULL),
};

static const struct attr_space pol_space = { IKESEC_POL_A_MAX, pol_attrs };

static const struct attr_desc top_attrs[IKESEC_A_MAX + 1] = {
	ATTR(IKESEC_A_VERSION, NULL),
	NEST(IKESEC_A_SA, NULL, sa_space),
	NEST(IKESEC_A_POLICY, NULL, pol_space),
	ATTR(IKESEC_A_STATS, NULL),
	ATTR(IKESEC_A_SA_COUNT, NULL),
	ATTR(IKESEC_A_POLICY_COUNT, NULL),
	ATTR(IKESEC_A_SPI_MIN, NULL),
	ATTR(IKESEC_A_SPI_MAX, NULL),
	NEST(IKESEC_A_SELECTOR, NULL, sel_space),
	ATTR(IKESEC_A_EXPIRE_HARD, NULL),
	ATTR(IKESEC_A_PAD, NULL),
};

const struct attr_space ikesec_attr_space = { IKESEC_A_MAX, top_attrs };

const struct attr_desc *attr_desc(const struct attr_space *space, int type)
{
	if (!space || type < 0 || type > space->max ||
	    !space->attrs[type].name)
		return NULL;
	return &space->attrs[type];
}

#define CMD(c)	[c] = #c

static const char *const cmd_names[IKESEC_CMD_MAX + 1] = {
	CMD(IKESEC_CMD_GET_INFO),
	CMD(IKESEC_CMD_SA_NEW),
	CMD(IKESEC_CMD_SA_SET),
	CMD(IKESEC_CMD_SA_DEL),
	CMD(IKESEC_CMD_SA_GET),
	CMD(IKESEC_CMD_SA_FLUSH),
	CMD(IKESEC_CMD_SPI_ALLOC),
	CMD(IKESEC_CMD_POLICY_NEW),
	CMD(IKESEC_CMD_POLICY_DEL),
	CMD(IKESEC_CMD_POLICY_GET),
	CMD(IKESEC_CMD_POLICY_FLUSH),
	CMD(IKESEC_CMD_ACQUIRE),
	CMD(IKESEC_CMD_EXPIRE),
	CMD(IKESEC_CMD_MAPPING),
};

const char *cmd_name(unsigned int cmd)
{
	return cmd < ARRAY_SIZE(cmd_names) ? cmd_names[cmd] : NULL;
}
