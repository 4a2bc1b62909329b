// SPDX-License-Identifier: GPL-2.0
/*
 * connections.NAME.children.CHILD { ... }: one CHILD SA each, its traffic
 * selectors, ESP proposals, mode, actions and lifetimes, with strongSwan's
 * defaults.
 */
#include <linux/ikesec.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_parse.h"
#include "config_priv.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* strongSwan's defaults (swanctl.conf(5)). */
#define DEF_CHILD_REKEY	3600		/* s */
#define DEF_REPLAY	32		/* packets */

#define DURATION(fn, type, field)					\
static int fn(const struct cfg_node *n, void *obj, char *msg, size_t len) \
{									\
	return config_duration(n->value, &((type *)obj)->field, msg, len);	\
}

DURATION(set_child_rekey, struct cfg_child, rekey_time)
DURATION(set_child_life, struct cfg_child, life_time)
DURATION(set_child_rand, struct cfg_child, rand_time)

struct ts_list {
	struct cfg_ts *ts;
	int *n;
};

static int ts_item(const char *item, void *ctx, char *msg, size_t len)
{
	struct ts_list *l = ctx;

	if (*l->n >= CFG_MAX_TS) {
		snprintf(msg, len, "more than %d traffic selectors",
			 CFG_MAX_TS);
		return -1;
	}
	if (config_parse_ts(item, &l->ts[*l->n], msg, len))
		return -1;
	(*l->n)++;
	return 0;
}

static int set_local_ts(const struct cfg_node *n, void *obj, char *msg,
			size_t len)
{
	struct cfg_child *ch = obj;
	struct ts_list l = { ch->local_ts, &ch->n_local_ts };

	return config_each(n->value, ts_item, &l, msg, len);
}

static int set_remote_ts(const struct cfg_node *n, void *obj, char *msg,
			 size_t len)
{
	struct cfg_child *ch = obj;
	struct ts_list l = { ch->remote_ts, &ch->n_remote_ts };

	return config_each(n->value, ts_item, &l, msg, len);
}

static int set_esp_proposals(const struct cfg_node *n, void *obj, char *msg,
			     size_t len)
{
	struct cfg_child *ch = obj;

	return config_proposal_parse(n->value, true, ch->esp_proposals,
				     CFG_MAX_PROPOSALS, &ch->n_esp_proposals,
				     msg, len);
}

static int set_mode(const struct cfg_node *n, void *obj, char *msg,
		    size_t len)
{
	static const char *const names[] = { "tunnel", "transport", NULL };
	int v;

	if (config_keyword(n->value, names, &v, msg, len))
		return -1;
	((struct cfg_child *)obj)->mode = v;
	return 0;
}

static int set_start_action(const struct cfg_node *n, void *obj, char *msg,
			    size_t len)
{
	static const char *const names[] = { "none", "trap", "start", NULL };
	int v;

	if (config_keyword(n->value, names, &v, msg, len))
		return -1;
	((struct cfg_child *)obj)->start_action = v;
	return 0;
}

static int set_dpd_action(const struct cfg_node *n, void *obj, char *msg,
			  size_t len)
{
	static const char *const names[] = { "clear", "trap", "restart", NULL };
	int v;

	if (config_keyword(n->value, names, &v, msg, len))
		return -1;
	((struct cfg_child *)obj)->dpd_action = v;
	return 0;
}

static int size64(const char *v, uint64_t *out, char *msg, size_t len)
{
	if (config_parse_size(v, out, msg, len))
		return -1;
	if (*out == CFG_UNSET64) {
		snprintf(msg, len, "size `%s' is too large", v);
		return -1;
	}
	return 0;
}

#define SIZE(fn, field)							\
static int fn(const struct cfg_node *n, void *obj, char *msg, size_t len) \
{									\
	return size64(n->value, &((struct cfg_child *)obj)->field, msg, len); \
}

SIZE(set_rekey_bytes, rekey_bytes)
SIZE(set_life_bytes, life_bytes)
SIZE(set_rekey_packets, rekey_packets)
SIZE(set_life_packets, life_packets)

static int set_replay_window(const struct cfg_node *n, void *obj, char *msg,
			     size_t len)
{
	uint64_t v;

	if (config_parse_uint(n->value, IKESEC_REPLAY_WINDOW_MAX, &v, msg,
			      len))
		return -1;
	((struct cfg_child *)obj)->replay_window = v;
	return 0;
}

static const struct key child_keys[] = {
	{ "local_ts", set_local_ts },
	{ "remote_ts", set_remote_ts },
	{ "esp_proposals", set_esp_proposals },
	{ "mode", set_mode },
	{ "start_action", set_start_action },
	{ "dpd_action", set_dpd_action },
	{ "rekey_time", set_child_rekey },
	{ "life_time", set_child_life },
	{ "rand_time", set_child_rand },
	{ "rekey_bytes", set_rekey_bytes },
	{ "life_bytes", set_life_bytes },
	{ "rekey_packets", set_rekey_packets },
	{ "life_packets", set_life_packets },
	{ "replay_window", set_replay_window },
};

/* x + 10%, saturating below CFG_UNSET64 */
static uint64_t plus10(uint64_t x)
{
	return x > (CFG_UNSET64 - 1) / 11 * 10 ? CFG_UNSET64 - 1 : x + x / 10;
}

static int child_defaults(struct loader *ld, const struct cfg_node *n,
			  const char *w, struct cfg_child *ch)
{
	char msg[CFG_MSG_MAX];
	int m = 0;

	if (!ch->n_esp_proposals &&
	    config_proposal_parse(config_default_esp, true, ch->esp_proposals,
				  CFG_MAX_PROPOSALS, &ch->n_esp_proposals,
				  msg, sizeof(msg)))
		return config_error(ld, n, w, "%s", msg);
	if (!ch->n_local_ts)
		config_parse_ts("dynamic", &ch->local_ts[ch->n_local_ts++],
				msg, sizeof(msg));
	if (!ch->n_remote_ts)
		config_parse_ts("dynamic", &ch->remote_ts[ch->n_remote_ts++],
				msg, sizeof(msg));
	if (ch->rekey_time == CFG_UNSET32)
		ch->rekey_time = DEF_CHILD_REKEY;
	if (ch->life_time == CFG_UNSET32)
		ch->life_time = plus10(ch->rekey_time) > UINT32_MAX - 1 ?
				UINT32_MAX - 1 : plus10(ch->rekey_time);
	else if (ch->rekey_time && ch->life_time <= ch->rekey_time)
		return config_error(ld, n, w,
				    "life_time (%us) must be longer than rekey_time (%us)",
				    ch->life_time, ch->rekey_time);
	if (ch->rand_time == CFG_UNSET32)
		ch->rand_time = ch->life_time - (ch->rekey_time < ch->life_time ?
						 ch->rekey_time : 0);
	else if (ch->rekey_time && ch->rand_time >= ch->rekey_time)
		return config_error(ld, n, w,
				    "rand_time (%us) must be shorter than rekey_time (%us)",
				    ch->rand_time, ch->rekey_time);
	if (ch->rekey_bytes == CFG_UNSET64)
		ch->rekey_bytes = 0;
	if (ch->life_bytes == CFG_UNSET64)
		ch->life_bytes = plus10(ch->rekey_bytes);
	else if (ch->rekey_bytes && ch->life_bytes <= ch->rekey_bytes)
		m = 1;
	if (ch->rekey_packets == CFG_UNSET64)
		ch->rekey_packets = 0;
	if (ch->life_packets == CFG_UNSET64)
		ch->life_packets = plus10(ch->rekey_packets);
	else if (ch->rekey_packets && ch->life_packets <= ch->rekey_packets)
		m = 2;
	if (m)
		return config_error(ld, n, w,
				    "life_%s must be larger than rekey_%s",
				    m == 1 ? "bytes" : "packets",
				    m == 1 ? "bytes" : "packets");
	return 0;
}

int config_child_section(struct loader *ld, const struct cfg_node *n,
			 const char *where, struct cfg_conn *c)
{
	struct cfg_child *ch;
	char w[CFG_MSG_MAX];

	if (n->value)
		return config_error(ld, n, where,
				    "`%s' must be a section: %s { ... }",
				    n->key, n->key);
	if (config_name_ok(ld, n, where))
		return -1;
	if (c->n_children >= CFG_MAX_CHILDREN)
		return config_error(ld, n, where, "more than %d children",
				    CFG_MAX_CHILDREN);
	config_join(w, sizeof(w), where, n->key);
	ch = &c->children[c->n_children++];
	snprintf(ch->name, sizeof(ch->name), "%s", n->key);
	ch->line = n->line;
	ch->rekey_time = ch->life_time = ch->rand_time = CFG_UNSET32;
	ch->rekey_bytes = ch->life_bytes = CFG_UNSET64;
	ch->rekey_packets = ch->life_packets = CFG_UNSET64;
	ch->replay_window = DEF_REPLAY;
	if (config_section(ld, n, w, child_keys, ARRAY_SIZE(child_keys), ch, NULL,
		    NULL))
		return -1;
	return child_defaults(ld, n, w, ch);
}

