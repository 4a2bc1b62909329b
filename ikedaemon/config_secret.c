// SPDX-License-Identifier: GPL-2.0
/*
 * secrets { ike-X { id = .., id-2 = .., secret = .. } eap-X { .. }
 * private-X { file = key.pem } }: PSKs, EAP passwords and where private
 * keys are. Secret values are never quoted back in errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_parse.h"
#include "config_priv.h"

static int secret_value(struct loader *ld, const struct cfg_node *n,
			const char *w, struct cfg_secret *s)
{
	char msg[CFG_MSG_MAX];

	if (config_parse_secret(n->value, s->secret, sizeof(s->secret),
				&s->secret_len, msg, sizeof(msg)))
		return config_error(ld, n, w, "secret: %s", msg);
	return 0;
}

static int secret_member(struct loader *ld, const struct cfg_node *sec,
			 const struct cfg_node *n, const char *w,
			 struct cfg_secret *s)
{
	char msg[CFG_MSG_MAX];

	if (config_check_dup(ld, sec, n, w))
		return -1;
	if (!n->value)
		return config_error(ld, n, w, "unknown section `%s'", n->key);
	if (!strcmp(n->key, "secret"))
		return secret_value(ld, n, w, s);
	if (s->type == CFG_SECRET_PRIVATE) {
		if (strcmp(n->key, "file"))
			return config_error(ld, n, w,
					    "unknown setting `%s' (file, secret)",
					    n->key);
		if (config_cred_path(n, n->value, "private", s->file, msg,
				     sizeof(msg)))
			return config_error(ld, n, w, "file: %s", msg);
		return 0;
	}
	/* id, id-1, idfoo: strongSwan's id<suffix> */
	if (strncmp(n->key, "id", 2))
		return config_error(ld, n, w,
				    "unknown setting `%s' (id, id-SUFFIX, secret)",
				    n->key);
	if (s->n_ids >= CFG_MAX_IDS)
		return config_error(ld, n, w, "more than %d ids", CFG_MAX_IDS);
	if (config_parse_id(n->value, &s->ids[s->n_ids], msg, sizeof(msg)))
		return config_error(ld, n, w, "%s: %s", n->key, msg);
	s->n_ids++;
	return 0;
}

static int secret_section(struct loader *ld, const struct cfg_node *n)
{
	struct config *cfg = ld->cfg;
	struct cfg_secret *s, *secrets;
	const struct cfg_node *m;
	enum cfg_secret_type type;
	char w[CFG_MSG_MAX];

	if (!strncmp(n->key, "ike", 3))
		type = CFG_SECRET_IKE;
	else if (!strncmp(n->key, "eap", 3))
		type = CFG_SECRET_EAP;
	else if (!strncmp(n->key, "private", 7))
		type = CFG_SECRET_PRIVATE;
	else
		return config_error(ld, n, "secrets",
				    "unsupported secret `%s' (ike-NAME, eap-NAME, private-NAME)",
				    n->key);
	if (n->value)
		return config_error(ld, n, "secrets",
				    "`%s' must be a section: %s { ... }",
				    n->key, n->key);
	if (strlen(n->key) >= CFG_NAME_MAX)
		return config_error(ld, n, "secrets",
				    "name `%s' is longer than %d characters",
				    n->key, CFG_NAME_MAX - 1);
	if (cfg->n_secrets >= CFG_MAX_SECRETS)
		return config_error(ld, n, "secrets", "more than %d secrets",
				    CFG_MAX_SECRETS);
	secrets = calloc(cfg->n_secrets + 1, sizeof(*secrets));
	if (!secrets)
		return config_error(ld, n, "secrets", "out of memory");
	if (cfg->n_secrets) {
		/* realloc would leave a copy of the keys behind: move. */
		memcpy(secrets, cfg->secrets,
		       cfg->n_secrets * sizeof(*secrets));
		explicit_bzero(cfg->secrets, cfg->n_secrets * sizeof(*secrets));
	}
	free(cfg->secrets);
	cfg->secrets = secrets;
	s = &cfg->secrets[cfg->n_secrets++];
	s->type = type;
	s->line = n->line;
	snprintf(s->name, sizeof(s->name), "%s", n->key);
	config_join(w, sizeof(w), "secrets", n->key);
	for (m = n->child; m; m = m->next)
		if (secret_member(ld, n, m, w, s))
			return -1;
	if (type == CFG_SECRET_PRIVATE && !s->file[0])
		return config_error(ld, n, w, "missing file = KEY.pem");
	if (type != CFG_SECRET_PRIVATE && !s->secret_len)
		return config_error(ld, n, w, "missing secret = ...");
	return 0;
}

int config_secrets(struct loader *ld, const struct cfg_node *sec)
{
	const struct cfg_node *n;

	for (n = sec->child; n; n = n->next)
		if (config_check_dup(ld, sec, n, "secrets") ||
		    secret_section(ld, n))
			return -1;
	return 0;
}
