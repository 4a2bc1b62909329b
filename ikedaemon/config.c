// SPDX-License-Identifier: GPL-2.0
/*
 * swanctl.conf (our subset, see swanctl.conf.5) into struct config. The
 * text is first read into a tree (config_tree.c), then given meaning one
 * section at a time, each with its table of keys (here: the top level and
 * connections; config_auth.c, config_child.c, config_secret.c the rest),
 * values through config_parse.c, then strongSwan's defaults and the checks
 * that need a whole section. The first error refuses the whole file.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_parse.h"
#include "config_priv.h"
#include "ikev2.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* strongSwan's defaults (swanctl.conf(5)). */
#define DEF_IKE_REKEY	(4 * 3600)	/* s */
#define DEF_PORT	IKEV2_PORT

/* ---- connections.NAME ---- */

static int set_version(const struct cfg_node *n, void *obj, char *msg,
		       size_t len)
{
	(void)obj;
	if (!strcmp(n->value, "2") || !strcmp(n->value, "0"))
		return 0;
	if (!strcmp(n->value, "1"))
		snprintf(msg, len, "IKEv1 is not supported");
	else
		snprintf(msg, len, "invalid version `%s' (2)", n->value);
	return -1;
}

struct addr_list {
	struct sockaddr_storage *ss;
	int *n;
	bool any;
};

static int addr_item(const char *item, void *ctx, char *msg, size_t len)
{
	struct addr_list *l = ctx;

	if (!strcmp(item, "%any") || !strcmp(item, "%any4") ||
	    !strcmp(item, "%any6")) {
		l->any = true;
		return 0;
	}
	if (*l->n >= CFG_MAX_ADDRS) {
		snprintf(msg, len, "more than %d addresses", CFG_MAX_ADDRS);
		return -1;
	}
	if (config_parse_addr(item, &l->ss[*l->n], msg, len))
		return -1;
	(*l->n)++;
	return 0;
}

static int addrs(const char *v, struct sockaddr_storage *ss, int *n,
		 char *msg, size_t len)
{
	struct addr_list l = { ss, n, false };

	if (config_each(v, addr_item, &l, msg, len))
		return -1;
	if (l.any && *n) {
		snprintf(msg, len, "%%any and addresses in `%s': use one or the other",
			 v);
		return -1;
	}
	return 0;
}

static int set_local_addrs(const struct cfg_node *n, void *obj, char *msg,
			   size_t len)
{
	struct cfg_conn *c = obj;

	return addrs(n->value, c->local_addrs, &c->n_local_addrs, msg, len);
}

static int set_remote_addrs(const struct cfg_node *n, void *obj, char *msg,
			    size_t len)
{
	struct cfg_conn *c = obj;

	return addrs(n->value, c->remote_addrs, &c->n_remote_addrs, msg, len);
}

static int port(const char *v, uint16_t *p, char *msg, size_t len)
{
	uint64_t x;

	if (config_parse_uint(v, 65535, &x, msg, len))
		return -1;
	if (!x) {
		snprintf(msg, len, "port 0 is not allowed");
		return -1;
	}
	*p = x;
	return 0;
}

static int set_local_port(const struct cfg_node *n, void *obj, char *msg,
			  size_t len)
{
	return port(n->value, &((struct cfg_conn *)obj)->local_port, msg, len);
}

static int set_remote_port(const struct cfg_node *n, void *obj, char *msg,
			   size_t len)
{
	return port(n->value, &((struct cfg_conn *)obj)->remote_port, msg,
		    len);
}

static int set_proposals(const struct cfg_node *n, void *obj, char *msg,
			 size_t len)
{
	struct cfg_conn *c = obj;

	return config_proposal_parse(n->value, false, c->proposals,
				     CFG_MAX_PROPOSALS, &c->n_proposals, msg,
				     len);
}

#define DURATION(fn, type, field)					\
static int fn(const struct cfg_node *n, void *obj, char *msg, size_t len) \
{									\
	return config_duration(n->value, &((type *)obj)->field, msg, len);	\
}

DURATION(set_dpd_delay, struct cfg_conn, dpd_delay)
DURATION(set_dpd_timeout, struct cfg_conn, dpd_timeout)
DURATION(set_ike_rekey, struct cfg_conn, rekey_time)
DURATION(set_reauth, struct cfg_conn, reauth_time)
DURATION(set_over, struct cfg_conn, over_time)
DURATION(set_ike_rand, struct cfg_conn, rand_time)
DURATION(set_keep_alive, struct cfg_conn, keep_alive)

static int set_keyingtries(const struct cfg_node *n, void *obj, char *msg,
			   size_t len)
{
	uint64_t v;

	if (config_parse_uint(n->value, UINT32_MAX, &v, msg, len))
		return -1;
	((struct cfg_conn *)obj)->keyingtries = v;
	return 0;
}

static int set_encap(const struct cfg_node *n, void *obj, char *msg,
		     size_t len)
{
	return config_parse_bool(n->value, &((struct cfg_conn *)obj)->encap,
				 msg, len);
}

static int set_mobike(const struct cfg_node *n, void *obj, char *msg,
		      size_t len)
{
	return config_parse_bool(n->value, &((struct cfg_conn *)obj)->mobike,
				 msg, len);
}

static int set_send_cert(const struct cfg_node *n, void *obj, char *msg,
			 size_t len)
{
	static const char *const names[] = { "ifasked", "always", "never",
					     NULL };
	int v;

	if (config_keyword(n->value, names, &v, msg, len))
		return -1;
	((struct cfg_conn *)obj)->send_cert = v == 1;
	return 0;
}

static const struct key conn_keys[] = {
	{ "version", set_version },
	{ "local_addrs", set_local_addrs },
	{ "remote_addrs", set_remote_addrs },
	{ "local_port", set_local_port },
	{ "remote_port", set_remote_port },
	{ "proposals", set_proposals },
	{ "dpd_delay", set_dpd_delay },
	{ "dpd_timeout", set_dpd_timeout },
	{ "rekey_time", set_ike_rekey },
	{ "reauth_time", set_reauth },
	{ "over_time", set_over },
	{ "rand_time", set_ike_rand },
	{ "keyingtries", set_keyingtries },
	{ "encap", set_encap },
	{ "keep_alive", set_keep_alive },
	{ "mobike", set_mobike },
	{ "send_cert", set_send_cert },
};

struct conn_ctx {
	struct cfg_conn *c;
	const struct cfg_node *local, *remote, *children;
};

static int conn_sub(struct loader *ld, const struct cfg_node *n,
		    const char *where, void *obj)
{
	struct conn_ctx *x = obj;
	const struct cfg_node *ch;
	char w[CFG_MSG_MAX];

	if (!strncmp(n->key, "local", 5))
		return config_auth_section(ld, n, where, x->c, true, &x->local);
	if (!strncmp(n->key, "remote", 6))
		return config_auth_section(ld, n, where, x->c, false, &x->remote);
	if (strcmp(n->key, "children"))
		return config_error(ld, n, where, "unknown section `%s'",
				    n->key);
	x->children = n;
	config_join(w, sizeof(w), where, "children");
	for (ch = n->child; ch; ch = ch->next) {
		if (config_check_dup(ld, n, ch, w) ||
		    config_child_section(ld, ch, w, x->c))
			return -1;
	}
	return 0;
}

static void set_ports(struct sockaddr_storage *ss, int n, uint16_t port)
{
	int i;

	for (i = 0; i < n; i++) {
		if (ss[i].ss_family == AF_INET)
			((struct sockaddr_in *)&ss[i])->sin_port = htons(port);
		else
			((struct sockaddr_in6 *)&ss[i])->sin6_port =
				htons(port);
	}
}

static int conn_defaults(struct loader *ld, const struct cfg_node *n,
			 const char *w, struct cfg_conn *c)
{
	char msg[CFG_MSG_MAX];
	uint32_t base;
	int i;

	if (!c->n_children)
		return config_error(ld, n, w,
				    "no children: a connection needs children { NAME { ... } }");
	if (!c->n_proposals &&
	    config_proposal_parse(config_default_ike, false, c->proposals,
				  CFG_MAX_PROPOSALS, &c->n_proposals, msg,
				  sizeof(msg)))
		return config_error(ld, n, w, "%s", msg);
	if (!c->local.method)
		c->local.method = CFG_AUTH_PUBKEY;
	if (!c->remote.method)
		c->remote.method = CFG_AUTH_PUBKEY;
	if (c->local.method == CFG_AUTH_PUBKEY && !c->local.n_certs)
		return config_error(ld, n, w,
				    "local authentication is pubkey (the default) but local { certs } is not set; use local { auth = psk } for a PSK");
	if (c->remote.method == CFG_AUTH_PUBKEY && !c->remote.n_cacerts)
		return config_error(ld, n, w,
				    "remote authentication is pubkey (the default) but remote { cacerts } is not set; use remote { auth = psk } for a PSK");
	for (i = 0; i < c->n_children; i++)
		if (c->children[i].start_action != CFG_START_NONE &&
		    !c->n_remote_addrs)
			return config_error(ld, n, w,
					    "child `%s' has start_action = %s but remote_addrs is %%any: set the peer's address",
					    c->children[i].name,
					    c->children[i].start_action ==
					    CFG_START_START ? "start" : "trap");
	if (c->rekey_time == CFG_UNSET32)
		c->rekey_time = DEF_IKE_REKEY;
	if (c->reauth_time == CFG_UNSET32)
		c->reauth_time = 0;
	base = c->rekey_time > c->reauth_time ? c->rekey_time :
		c->reauth_time;
	if (c->over_time == CFG_UNSET32)
		c->over_time = base / 10;
	if (c->rand_time == CFG_UNSET32)
		c->rand_time = c->over_time;
	else if (base && c->rand_time >= base)
		return config_error(ld, n, w,
				    "rand_time (%us) must be shorter than rekey_time/reauth_time (%us)",
				    c->rand_time, base);
	set_ports(c->local_addrs, c->n_local_addrs, c->local_port);
	set_ports(c->remote_addrs, c->n_remote_addrs, c->remote_port);
	return 0;
}

static int conn_section(struct loader *ld, const struct cfg_node *n)
{
	struct config *cfg = ld->cfg;
	struct conn_ctx x = { 0 };
	struct cfg_conn *c, *conns;
	char w[CFG_MSG_MAX];

	if (n->value)
		return config_error(ld, n, "connections",
				    "`%s' must be a section: %s { ... }",
				    n->key, n->key);
	if (config_name_ok(ld, n, "connections"))
		return -1;
	if (cfg->n_conns >= CFG_MAX_CONNS)
		return config_error(ld, n, "connections",
				    "more than %d connections", CFG_MAX_CONNS);
	conns = realloc(cfg->conns, (cfg->n_conns + 1) * sizeof(*conns));
	if (!conns)
		return config_error(ld, n, "connections", "out of memory");
	cfg->conns = conns;
	c = &cfg->conns[cfg->n_conns++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", n->key);
	snprintf(c->file, sizeof(c->file), "%s", n->file);
	c->line = n->line;
	c->local_port = c->remote_port = DEF_PORT;
	c->rekey_time = c->reauth_time = CFG_UNSET32;
	c->over_time = c->rand_time = CFG_UNSET32;
	c->keyingtries = 1;
	c->mobike = true;
	c->keep_alive = 20;	/* s, strongSwan's charon.keep_alive */
	x.c = c;
	config_join(w, sizeof(w), "connections", n->key);
	if (config_section(ld, n, w, conn_keys, ARRAY_SIZE(conn_keys), c, conn_sub,
		    &x))
		return -1;
	return conn_defaults(ld, n, w, c);
}

static int top(struct loader *ld, const struct cfg_node *root)
{
	const struct cfg_node *n, *c;

	for (n = root->child; n; n = n->next) {
		if (config_check_dup(ld, root, n, ""))
			return -1;
		if (n->value)
			return config_error(ld, n, "", "unknown setting `%s' (expected connections { } or secrets { })",
					    n->key);
		if (!strcmp(n->key, "connections")) {
			for (c = n->child; c; c = c->next)
				if (config_check_dup(ld, n, c, "connections") ||
				    conn_section(ld, c))
					return -1;
		} else if (!strcmp(n->key, "secrets")) {
			if (config_secrets(ld, n))
				return -1;
		} else {
			return config_error(ld, n, "",
					    "unsupported section `%s' (connections and secrets are)",
					    n->key);
		}
	}
	return 0;
}

/* Needs all of the file: PSK connections need a PSK to use. */
static int check_psk(struct loader *ld)
{
	const struct cfg_conn *c;
	struct cfg_node at;
	int i, j;

	for (i = 0; i < ld->cfg->n_conns; i++) {
		c = &ld->cfg->conns[i];
		if (c->local.method != CFG_AUTH_PSK &&
		    c->remote.method != CFG_AUTH_PSK)
			continue;
		for (j = 0; j < ld->cfg->n_secrets; j++)
			if (ld->cfg->secrets[j].type == CFG_SECRET_IKE)
				break;
		if (j < ld->cfg->n_secrets)
			continue;
		memset(&at, 0, sizeof(at));
		at.file = c->file;
		at.line = c->line;
		return config_error(ld, &at, "",
				    "connections.%s: auth = psk but there is no secrets { ike-NAME { secret = ... } }",
				    c->name);
	}
	return 0;
}

static int load(struct cfg_tree *t, struct config *cfg, char *err,
		size_t errlen)
{
	struct loader ld = { .cfg = cfg, .err = err, .errlen = errlen };
	int ret;

	ret = top(&ld, &t->root);
	if (!ret)
		ret = check_psk(&ld);
	config_tree_free(t);
	if (ret)
		config_free(cfg);
	return ret;
}

int config_load(const char *path, struct config *cfg, char *err,
		size_t errlen)
{
	struct cfg_tree t = { 0 };

	memset(cfg, 0, sizeof(*cfg));
	if (config_tree_load(&t, path, err, errlen))
		return -1;
	return load(&t, cfg, err, errlen);
}

int config_load_buf(const char *name, const char *text, size_t len,
		    struct config *cfg, char *err, size_t errlen)
{
	return config_load_untrusted(name, text, len, false, cfg, err,
				     errlen);
}

int config_load_untrusted(const char *name, const char *text, size_t len,
			  bool no_include, struct config *cfg, char *err,
			  size_t errlen)
{
	struct cfg_tree t = { .no_include = no_include };

	memset(cfg, 0, sizeof(*cfg));
	if (config_tree_load_buf(&t, name, text, len, err, errlen))
		return -1;
	return load(&t, cfg, err, errlen);
}

void config_free(struct config *cfg)
{
	if (cfg->secrets)
		explicit_bzero(cfg->secrets,
			       cfg->n_secrets * sizeof(*cfg->secrets));
	free(cfg->secrets);
	free(cfg->conns);
	memset(cfg, 0, sizeof(*cfg));
}

/*
 * Same connection for `ikectl reload': every setting equal, where it was
 * written (file, line) aside. Entries are zeroed before they are filled
 * (conn_section(), config_child_section()), so bytes compare.
 */
bool config_conn_same(const struct cfg_conn *a, const struct cfg_conn *b)
{
	struct cfg_conn *x = malloc(sizeof(*x)), *y = malloc(sizeof(*y));
	bool same = false;
	int i;

	if (x && y) {
		memcpy(x, a, sizeof(*x));
		memcpy(y, b, sizeof(*y));
		memset(x->file, 0, sizeof(x->file));
		memset(y->file, 0, sizeof(y->file));
		x->line = y->line = 0;
		for (i = 0; i < CFG_MAX_CHILDREN; i++)
			x->children[i].line = y->children[i].line = 0;
		same = !memcmp(x, y, sizeof(*x));
	}
	free(x);
	free(y);
	return same;
}

int config_check_main(const char *path)
{
	struct config cfg;
	char err[1024];

	if (config_load(path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	fprintf(stderr, "%s: OK (%d connection%s, %d secret%s)\n", path,
		cfg.n_conns, cfg.n_conns == 1 ? "" : "s", cfg.n_secrets,
		cfg.n_secrets == 1 ? "" : "s");
	config_free(&cfg);
	return 0;
}
