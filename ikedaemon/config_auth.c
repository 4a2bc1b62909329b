// SPDX-License-Identifier: GPL-2.0
/*
 * connections.NAME.local { ... } and remote { ... }: one authentication
 * round each (RFC 7296 2.15), its method, identity and certificates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_parse.h"
#include "config_priv.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int set_auth(const struct cfg_node *n, void *obj, char *msg,
		    size_t len)
{
	struct cfg_auth *a = obj;
	const char *v = n->value;

	if (!strcmp(v, "psk")) {
		a->method = CFG_AUTH_PSK;
	} else if (!strcmp(v, "pubkey")) {
		a->method = CFG_AUTH_PUBKEY;
	} else if (!strcmp(v, "eap") || !strncmp(v, "eap-", 4)) {
		a->method = CFG_AUTH_EAP;
		if (strlen(v) >= 4 + sizeof(a->eap_method)) {
			snprintf(msg, len, "EAP method `%s' is too long", v);
			return -1;
		}
		snprintf(a->eap_method, sizeof(a->eap_method), "%s",
			 v[3] ? v + 4 : "");
	} else {
		snprintf(msg, len, "invalid auth `%s' (psk, pubkey, eap or eap-METHOD)",
			 v);
		return -1;
	}
	return 0;
}

static int set_id(const struct cfg_node *n, void *obj, char *msg,
		  size_t len)
{
	return config_parse_id(n->value, &((struct cfg_auth *)obj)->id, msg,
			       len);
}

static int set_eap_id(const struct cfg_node *n, void *obj, char *msg,
		      size_t len)
{
	struct cfg_auth *a = obj;

	if (strlen(n->value) >= sizeof(a->eap_id)) {
		snprintf(msg, len, "too long");
		return -1;
	}
	snprintf(a->eap_id, sizeof(a->eap_id), "%s", n->value);
	return 0;
}

/*
 * A credential file as swanctl finds it: relative to the directory of the
 * file naming it, or in its subdir there (x509/, x509ca/, private/, as
 * under /etc/swanctl). The error is the first lookup's.
 */
int config_cred_path(const struct cfg_node *n, const char *value,
		     const char *subdir, char out[256], char *msg,
		     size_t len)
{
	char sub[256], ignore[CFG_MSG_MAX];

	if (!config_file_path(n, value, out, msg, len))
		return 0;
	if (value[0] == '/' ||
	    snprintf(sub, sizeof(sub), "%s/%s", subdir, value) >=
	    (int)sizeof(sub))
		return -1;
	return config_file_path(n, sub, out, ignore, sizeof(ignore)) ? -1 : 0;
}

struct file_list {
	const struct cfg_node *n;
	char (*files)[256];
	int *count;
	const char *subdir;
};

static int file_item(const char *item, void *ctx, char *msg, size_t len)
{
	struct file_list *l = ctx;

	if (*l->count >= CFG_MAX_IDS) {
		snprintf(msg, len, "more than %d files", CFG_MAX_IDS);
		return -1;
	}
	if (config_cred_path(l->n, item, l->subdir, l->files[*l->count], msg,
			     len))
		return -1;
	(*l->count)++;
	return 0;
}

static int set_certs(const struct cfg_node *n, void *obj, char *msg,
		     size_t len)
{
	struct cfg_auth *a = obj;
	struct file_list l = { n, a->certs, &a->n_certs, "x509" };

	return config_each(n->value, file_item, &l, msg, len);
}

static int set_cacerts(const struct cfg_node *n, void *obj, char *msg,
		       size_t len)
{
	struct cfg_auth *a = obj;
	struct file_list l = { n, a->cacerts, &a->n_cacerts, "x509ca" };

	return config_each(n->value, file_item, &l, msg, len);
}

static const struct key local_keys[] = {
	{ "auth", set_auth }, { "id", set_id }, { "eap_id", set_eap_id },
	{ "certs", set_certs },
};

static const struct key remote_keys[] = {
	{ "auth", set_auth }, { "id", set_id }, { "eap_id", set_eap_id },
	{ "cacerts", set_cacerts },
};

/* local[-x] / remote[-x]: one authentication round each. */
int config_auth_section(struct loader *ld, const struct cfg_node *n,
			const char *where, struct cfg_conn *c, bool local,
			const struct cfg_node **seen)
{
	struct cfg_auth *a = local ? &c->local : &c->remote;
	char w[CFG_MSG_MAX];

	config_join(w, sizeof(w), where, n->key);
	if (*seen)
		return config_error(ld, n, where,
				    "only one %s authentication round is supported (`%s' at line %d and `%s')",
				    local ? "local" : "remote", (*seen)->key,
				    (*seen)->line, n->key);
	*seen = n;
	if (local && config_section(ld, n, w, local_keys, ARRAY_SIZE(local_keys), a,
			     NULL, NULL))
		return -1;
	if (!local && config_section(ld, n, w, remote_keys, ARRAY_SIZE(remote_keys),
			      a, NULL, NULL))
		return -1;
	if (local && a->method == CFG_AUTH_PUBKEY && !a->n_certs)
		return config_error(ld, n, w,
				    "auth = pubkey needs certs (our certificate)");
	if (!local && a->method == CFG_AUTH_PUBKEY && !a->n_cacerts)
		return config_error(ld, n, w,
				    "auth = pubkey needs cacerts (the CA that signs the peer's certificate)");
	return 0;
}

