// SPDX-License-Identifier: GPL-2.0
/*
 * Lookups the engine makes in a loaded configuration: a connection by
 * name, the connections a responder may use for a peer, the PSK or EAP
 * secret for a pair of identities. Scores follow strongSwan's: identity
 * before address, exact before wildcard before %any.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/x509.h>

#include "config.h"
#include "ikev2.h"

const struct cfg_conn *config_find_conn(const struct config *cfg,
					const char *name)
{
	int i;

	for (i = 0; i < cfg->n_conns; i++)
		if (!strcmp(cfg->conns[i].name, name))
			return &cfg->conns[i];
	return NULL;
}

static bool dn_equal(const struct cfg_id *a, const struct cfg_id *b)
{
	const unsigned char *pa = a->data, *pb = b->data;
	X509_NAME *na = d2i_X509_NAME(NULL, &pa, a->len);
	X509_NAME *nb = d2i_X509_NAME(NULL, &pb, b->len);
	bool eq = na && nb && !X509_NAME_cmp(na, nb);

	X509_NAME_free(na);
	X509_NAME_free(nb);
	return eq;
}

/* "*.example.com" matches "a.example.com"; "*@example.com" "u@example.com" */
static bool wildcard(const struct cfg_id *want, const struct cfg_id *got)
{
	size_t n = want->len - 1;

	return want->len >= 2 && want->data[0] == '*' && got->len >= n &&
	       !strncasecmp((const char *)want->data + 1,
			    (const char *)got->data + got->len - n, n);
}

int config_id_match(const struct cfg_id *want, const struct cfg_id *got)
{
	if (!want->type)
		return CFG_ID_MATCH_ANY;
	if (!got || want->type != got->type)
		return CFG_ID_MATCH_NONE;
	switch (want->type) {
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
		if (want->len == got->len &&
		    !strncasecmp((const char *)want->data,
				 (const char *)got->data, want->len))
			return CFG_ID_MATCH_PERFECT;
		return wildcard(want, got) ? CFG_ID_MATCH_WILDCARD :
		       CFG_ID_MATCH_NONE;
	case IKEV2_ID_DER_ASN1_DN:
		return dn_equal(want, got) ? CFG_ID_MATCH_PERFECT :
		       CFG_ID_MATCH_NONE;
	default:
		return want->len == got->len &&
		       !memcmp(want->data, got->data, want->len) ?
		       CFG_ID_MATCH_PERFECT : CFG_ID_MATCH_NONE;
	}
}

/* The best of a secret's ids against id; an id-less secret is %any. */
static int owner_match(const struct cfg_secret *s, const struct cfg_id *id)
{
	int i, m, best = CFG_ID_MATCH_NONE;

	if (!s->n_ids || !id || !id->type)
		return CFG_ID_MATCH_ANY;
	for (i = 0; i < s->n_ids; i++) {
		m = config_id_match(&s->ids[i], id);
		if (m > best)
			best = m;
	}
	return best;
}

/*
 * strongSwan's shared-key lookup: a secret qualifies when either
 * identity is one of its owners (or it has none); the sum of both sides'
 * scores ranks it, the first in the file wins a tie.
 */
static const struct cfg_secret *find_secret(const struct config *cfg,
					    enum cfg_secret_type type,
					    const struct cfg_id *local,
					    const struct cfg_id *remote)
{
	const struct cfg_secret *best = NULL, *s;
	int i, ml, mr, score, best_score = 0;

	for (i = 0; i < cfg->n_secrets; i++) {
		s = &cfg->secrets[i];
		if (s->type != type)
			continue;
		ml = owner_match(s, local);
		mr = owner_match(s, remote);
		if (!ml && !mr)
			continue;
		score = ml + mr;
		if (score > best_score) {
			best = s;
			best_score = score;
		}
	}
	return best;
}

const struct cfg_secret *config_find_psk(const struct config *cfg,
					 const struct cfg_id *local,
					 const struct cfg_id *remote)
{
	return find_secret(cfg, CFG_SECRET_IKE, local, remote);
}

const struct cfg_secret *config_find_eap(const struct config *cfg,
					 const struct cfg_id *id)
{
	return find_secret(cfg, CFG_SECRET_EAP, id, NULL);
}

/* 2 the address is listed, 1 the list is %any, 0 not listed. */
static int addr_match(const struct sockaddr_storage *list, int n,
		      const struct sockaddr *sa)
{
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)sa;
	int i;

	if (!n)
		return 1;
	if (!sa)
		return 0;
	for (i = 0; i < n; i++) {
		if (list[i].ss_family != sa->sa_family)
			continue;
		if (sa->sa_family == AF_INET &&
		    !memcmp(&((const struct sockaddr_in *)&list[i])->sin_addr,
			    &a4->sin_addr, 4))
			return 2;
		if (sa->sa_family == AF_INET6 &&
		    !memcmp(&((const struct sockaddr_in6 *)&list[i])->sin6_addr,
			    &a6->sin6_addr, 16))
			return 2;
	}
	return 0;
}

static const char *addr_str(const struct sockaddr *sa,
			    char buf[INET6_ADDRSTRLEN])
{
	const void *a;

	if (!sa)
		return "(none)";
	if (sa->sa_family == AF_INET)
		a = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	else
		return "(unknown family)";
	return inet_ntop(sa->sa_family, a, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

/* Why c does not match, into why; or its score (> 0). */
static int conn_score(const struct cfg_conn *c, const struct sockaddr *local,
		      const struct sockaddr *remote, const struct cfg_id *idi,
		      const struct cfg_id *idr, char *why, size_t len)
{
	int la, ra, ri = 0, li = 0;

	la = addr_match(c->local_addrs, c->n_local_addrs, local);
	ra = addr_match(c->remote_addrs, c->n_remote_addrs, remote);
	if (!la || !ra) {
		char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

		snprintf(why, len, "%s_addrs %s%s does not contain %s",
			 la ? "remote" : "local",
			 addr_str((const struct sockaddr *)(la ?
				  &c->remote_addrs[0] : &c->local_addrs[0]), a),
			 (la ? c->n_remote_addrs : c->n_local_addrs) > 1 ?
			 ",..." : "", addr_str(la ? remote : local, b));
		return 0;
	}
	if (idi) {
		ri = config_id_match(&c->remote.id, idi);
		if (!ri) {
			snprintf(why, len, "remote id `%s' does not match IDi `%s'",
				 c->remote.id.text, idi->text);
			return 0;
		}
	}
	if (idr) {
		li = config_id_match(&c->local.id, idr);
		if (!li) {
			snprintf(why, len, "local id `%s' does not match IDr `%s'",
				 c->local.id.text, idr->text);
			return 0;
		}
	}
	/* identity first (at most 40), then addresses (at most 4) */
	return (ri + li) * 8 + la + ra;
}

int config_match_conn(const struct config *cfg, const struct sockaddr *local,
		      const struct sockaddr *remote, const struct cfg_id *idi,
		      const struct cfg_id *idr, const struct cfg_conn **out,
		      int max)
{
	int *scores = max > 0 ? calloc(max, sizeof(*scores)) : NULL;
	int i, j, k, s, kept = 0, n = 0;
	char why[8];

	for (i = 0; i < cfg->n_conns; i++) {
		s = conn_score(&cfg->conns[i], local, remote, idi, idr, why,
			       sizeof(why));
		if (!s)
			continue;
		n++;
		if (!scores)
			continue;
		/* insert into out[], sorted by score, stable */
		for (j = 0; j < kept && s <= scores[j]; j++)
			;
		if (j >= max)
			continue;
		if (kept < max)
			kept++;
		for (k = kept - 1; k > j; k--) {
			out[k] = out[k - 1];
			scores[k] = scores[k - 1];
		}
		out[j] = &cfg->conns[i];
		scores[j] = s;
	}
	free(scores);
	return n;
}

static void append(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	*off += r;
	if (*off >= len && len >= 4)
		memcpy(buf + len - 4, "...", 4);
}

char *config_conn_candidates(const struct config *cfg,
			     const struct sockaddr *local,
			     const struct sockaddr *remote,
			     const struct cfg_id *idi,
			     const struct cfg_id *idr, char *buf,
			     size_t len)
{
	char why[600];
	size_t off = 0;
	int i;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!cfg->n_conns)
		append(buf, len, &off, "no connections are configured");
	for (i = 0; i < cfg->n_conns; i++) {
		if (conn_score(&cfg->conns[i], local, remote, idi, idr, why,
			       sizeof(why)))
			snprintf(why, sizeof(why), "matches");
		append(buf, len, &off, "%s%s: %s", i ? "; " : "",
		       cfg->conns[i].name, why);
	}
	return buf;
}
