/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by config.c and config_secret.c: the state of one load and the
 * helpers that turn a tree node into an error line.
 */
#ifndef IKEDAEMON_CONFIG_PRIV_H
#define IKEDAEMON_CONFIG_PRIV_H

#include "config.h"
#include "config_tree.h"

#define CFG_MAX_CONNS		1024
#define CFG_MAX_SECRETS		1024
#define CFG_MSG_MAX		512
#define CFG_UNSET32		UINT32_MAX	/* not configured: default */
#define CFG_UNSET64		UINT64_MAX

struct loader {
	struct config *cfg;
	char *err;
	size_t errlen;
};

/* "FILE:LINE: where: msg" into ld->err; returns -1. */
int config_error(struct loader *ld, const struct cfg_node *n,
		 const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "a.b" into w (a alone if it does not fit): the dotted key path. */
void config_join(char *w, size_t len, const char *a, const char *b);

/* -1 (with the error) if n's key already appeared before it in sec. */
int config_check_dup(struct loader *ld, const struct cfg_node *sec,
		     const struct cfg_node *n, const char *where);

/* Each comma-separated item of value (blanks trimmed, none empty). */
int config_each(const char *value, int (*fn)(const char *item, void *ctx,
					     char *msg, size_t len),
		void *ctx, char *msg, size_t len);

/* A file named relative to the config file that names it, made readable-
 * checked; into out[256].
 */
int config_file_path(const struct cfg_node *n, const char *value,
		     char out[256], char *msg, size_t len);

/* config_load_buf(), include refused if no_include (the fuzzer). */
int config_load_untrusted(const char *name, const char *text, size_t len,
			  bool no_include, struct config *cfg, char *err,
			  size_t errlen);

/* A key and its value parser: 0, or -1 with msg; obj is the struct of
 * the section the key is in.
 */
struct key {
	const char *name;
	int (*set)(const struct cfg_node *n, void *obj, char *msg,
		   size_t len);
};

/* The settings of sec through keys (obj: their struct), subsections
 * through sub (sub_obj; NULL: none allowed). where is the dotted path.
 */
int config_section(struct loader *ld, const struct cfg_node *sec,
		   const char *where, const struct key *keys, size_t n_keys,
		   void *obj,
		   int (*sub)(struct loader *, const struct cfg_node *,
			      const char *, void *), void *sub_obj);
int config_name_ok(struct loader *ld, const struct cfg_node *n,
		   const char *where);
/* One of names[] (NULL-terminated) into *v as its index. */
int config_keyword(const char *s, const char *const *names, int *v,
		   char *msg, size_t len);
int config_duration(const char *v, uint32_t *out, char *msg, size_t len);

/* config_auth.c: local[-x] / remote[-x]; *seen: the first one of its kind. */
int config_auth_section(struct loader *ld, const struct cfg_node *n,
			const char *where, struct cfg_conn *c, bool local,
			const struct cfg_node **seen);
/* config_child.c: one children.NAME, defaults applied. */
int config_child_section(struct loader *ld, const struct cfg_node *n,
			 const char *where, struct cfg_conn *c);
int config_secrets(struct loader *ld, const struct cfg_node *sec);

#endif
