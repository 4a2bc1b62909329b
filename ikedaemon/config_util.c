// SPDX-License-Identifier: GPL-2.0
/*
 * What the section walkers of config*.c share: error lines, duplicate
 * checks, lists, file names, the key-table walk and common values.
 */
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_parse.h"
#include "config_priv.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

int config_error(struct loader *ld, const struct cfg_node *n,
		 const char *where, const char *fmt, ...)
{
	va_list ap;
	int len;

	len = snprintf(ld->err, ld->errlen, "%s:%d: %s%s", n->file, n->line,
		       where, *where ? ": " : "");
	if (len < 0 || (size_t)len >= ld->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ld->err + len, ld->errlen - len, fmt, ap);
	va_end(ap);
	return -1;
}

void config_join(char *w, size_t len, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + 1 + lb >= len) {
		w[0] = '\0';
		strncat(w, a, len - 1);
		return;
	}
	memcpy(w, a, la);
	w[la] = '.';
	memcpy(w + la + 1, b, lb + 1);
}

int config_check_dup(struct loader *ld, const struct cfg_node *sec,
		     const struct cfg_node *n, const char *where)
{
	const struct cfg_node *p;

	for (p = sec->child; p && p != n; p = p->next)
		if (!strcmp(p->key, n->key)) {
			if (p->file == n->file)
				return config_error(ld, n, where,
						    "duplicate `%s' (first at line %d)",
						    n->key, p->line);
			return config_error(ld, n, where,
					    "duplicate `%s' (first at %s:%d)",
					    n->key, p->file, p->line);
		}
	return 0;
}

int config_each(const char *value, int (*fn)(const char *item, void *ctx,
					     char *msg, size_t len),
		void *ctx, char *msg, size_t len)
{
	const char *p = value, *comma, *b, *e;
	char item[300];

	for (;;) {
		comma = strchr(p, ',');
		e = comma ? comma : p + strlen(p);
		for (b = p; b < e && (*b == ' ' || *b == '\t'); b++)
			;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e == b) {
			snprintf(msg, len, "empty item in `%s'", value);
			return -1;
		}
		if ((size_t)(e - b) >= sizeof(item)) {
			snprintf(msg, len, "item `%.40s...' is too long", b);
			return -1;
		}
		memcpy(item, b, e - b);
		item[e - b] = '\0';
		if (fn(item, ctx, msg, len))
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

int config_file_path(const struct cfg_node *n, const char *value,
		     char out[256], char *msg, size_t len)
{
	char *dir = NULL, *real = NULL;
	int r;

	/* Absolute: the daemon reads these later, from another cwd. */
	if (value[0] == '/') {
		r = snprintf(out, 256, "%s", value);
	} else {
		dir = strdup(n->file);
		real = dir ? realpath(dirname(dir), NULL) : NULL;
		if (!real) {
			snprintf(msg, len, "cannot resolve `%s': %s", value,
				 strerror(errno));
			free(dir);
			return -1;
		}
		r = snprintf(out, 256, "%s/%s", real, value);
		free(real);
		free(dir);
	}
	if (r < 0 || r >= 256) {
		snprintf(msg, len, "file name `%.60s' is too long", value);
		return -1;
	}
	if (access(out, R_OK)) {
		snprintf(msg, len, "cannot read `%s': %s", value,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static const struct key *key_find(const struct key *keys, size_t n_keys,
				  const char *name)
{
	size_t i;

	for (i = 0; i < n_keys; i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

/* Settings of sec through keys; subsections through sub() (NULL: none). */
int config_section(struct loader *ld, const struct cfg_node *sec,
		   const char *where, const struct key *keys, size_t n_keys,
		   void *obj,
		   int (*sub)(struct loader *, const struct cfg_node *,
			      const char *, void *), void *sub_obj)
{
	const struct cfg_node *n;
	const struct key *k;
	char msg[CFG_MSG_MAX];

	for (n = sec->child; n; n = n->next) {
		if (config_check_dup(ld, sec, n, where))
			return -1;
		if (!n->value) {
			if (!sub)
				return config_error(ld, n, where,
						    "unknown section `%s'",
						    n->key);
			if (sub(ld, n, where, sub_obj))
				return -1;
			continue;
		}
		k = key_find(keys, n_keys, n->key);
		if (!k) {
			if (sub && !strcmp(n->key, "children"))
				return config_error(ld, n, where,
						    "`children' is a section: children { NAME { ... } }");
			return config_error(ld, n, where,
					    "unknown setting `%s'", n->key);
		}
		if (k->set(n, obj, msg, sizeof(msg)))
			return config_error(ld, n, where, "%s: %s", n->key,
					    msg);
	}
	return 0;
}

int config_name_ok(struct loader *ld, const struct cfg_node *n,
		   const char *where)
{
	if (strlen(n->key) >= CFG_NAME_MAX)
		return config_error(ld, n, where,
				    "name `%s' is longer than %d characters",
				    n->key, CFG_NAME_MAX - 1);
	return 0;
}

int config_duration(const char *v, uint32_t *out, char *msg, size_t len)
{
	if (config_parse_duration(v, out, msg, len))
		return -1;
	if (*out == CFG_UNSET32) {
		snprintf(msg, len, "duration `%s' is too long", v);
		return -1;
	}
	return 0;
}

/* One of names[] (NULL-terminated) into *v as its index. */
int config_keyword(const char *s, const char *const *names, int *v,
		   char *msg, size_t len)
{
	int i, n;

	for (i = 0; names[i]; i++) {
		if (!strcmp(s, names[i])) {
			*v = i;
			return 0;
		}
	}
	n = snprintf(msg, len, "invalid value `%s' (", s);
	for (i = 0; names[i] && n > 0 && (size_t)n < len; i++)
		n += snprintf(msg + n, len - n, "%s%s", i ? ", " : "",
			      names[i]);
	if (n > 0 && (size_t)n < len)
		snprintf(msg + n, len - n, ")");
	return -1;
}

